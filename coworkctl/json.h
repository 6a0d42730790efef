/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * json.h - a small streaming JSON writer for --json output.
 *
 * Keys and strings are written as given (UTF-8) with RFC 8259 escaping;
 * commas and nesting are tracked here so callers just emit values.
 */
#ifndef COWORKCTL_JSON_H
#define COWORKCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_DEPTH_MAX 16

typedef struct json {
	FILE	*f;
	int	depth;
	bool	need_comma[JSON_DEPTH_MAX];
	bool	after_key;
} json_t;

void json_init(json_t *j, FILE *f);
void json_object_begin(json_t *j);
void json_object_end(json_t *j);
void json_array_begin(json_t *j);
void json_array_end(json_t *j);
void json_key(json_t *j, const char *key);
void json_string(json_t *j, const char *s);	/* NULL writes null */
void json_int(json_t *j, int64_t v);
void json_bool(json_t *j, bool v);
void json_null(json_t *j);
/* An RFC 3339 UTC time from Unix seconds; 0 writes null. */
void json_time(json_t *j, int64_t t);

/* key + value in one call */
void json_kv_string(json_t *j, const char *key, const char *s);
void json_kv_int(json_t *j, const char *key, int64_t v);
void json_kv_bool(json_t *j, const char *key, bool v);
void json_kv_time(json_t *j, const char *key, int64_t t);

/* Finish the document with a newline. */
void json_end(json_t *j);

#endif
