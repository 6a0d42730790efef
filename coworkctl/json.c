/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.c - a small streaming JSON writer for --json output.
 */
#include <assert.h>
#include <inttypes.h>

#include "json.h"
#include "timeutil.h"

void json_init(json_t *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->need_comma[0] = false;
	j->after_key = false;
}

/* Separator before a value: a comma unless it is the first in its container. */
static void value_start(json_t *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (j->need_comma[j->depth]) fputc(',', j->f);
	j->need_comma[j->depth] = true;
}

static void open_container(json_t *j, char c)
{
	value_start(j);
	fputc(c, j->f);
	assert(j->depth + 1 < JSON_DEPTH_MAX);
	j->depth++;
	j->need_comma[j->depth] = false;
}

static void close_container(json_t *j, char c)
{
	assert(j->depth > 0);
	j->depth--;
	fputc(c, j->f);
}

void json_object_begin(json_t *j) { open_container(j, '{'); }
void json_object_end(json_t *j) { close_container(j, '}'); }
void json_array_begin(json_t *j) { open_container(j, '['); }
void json_array_end(json_t *j) { close_container(j, ']'); }

static void write_escaped(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (c < 0x20 || c == 0x7f) fprintf(f, "\\u%04x", c);
			else fputc(c, f);
		}
	}
	fputc('"', f);
}

void json_key(json_t *j, const char *key)
{
	value_start(j);
	write_escaped(j->f, key);
	fputc(':', j->f);
	j->after_key = true;
}

void json_string(json_t *j, const char *s)
{
	if (!s) {
		json_null(j);
		return;
	}
	value_start(j);
	write_escaped(j->f, s);
}

void json_int(json_t *j, int64_t v)
{
	value_start(j);
	fprintf(j->f, "%" PRId64, v);
}

void json_bool(json_t *j, bool v)
{
	value_start(j);
	fputs(v ? "true" : "false", j->f);
}

void json_null(json_t *j)
{
	value_start(j);
	fputs("null", j->f);
}

void json_time(json_t *j, int64_t t)
{
	char buf[CW_RFC3339_MS_LEN];

	if (t == 0 || cw_time_format_rfc3339(t, buf) < 0) {
		json_null(j);
		return;
	}
	json_string(j, buf);
}

void json_kv_string(json_t *j, const char *key, const char *s) { json_key(j, key); json_string(j, s); }
void json_kv_int(json_t *j, const char *key, int64_t v) { json_key(j, key); json_int(j, v); }
void json_kv_bool(json_t *j, const char *key, bool v) { json_key(j, key); json_bool(j, v); }
void json_kv_time(json_t *j, const char *key, int64_t t) { json_key(j, key); json_time(j, t); }

void json_end(json_t *j)
{
	assert(j->depth == 0);
	fputc('\n', j->f);
}
