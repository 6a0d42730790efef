/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * form.c - urlencoded fields.
 */
#include <string.h>

#include "cowork.h"
#include "form.h"

/* Decode n bytes of s into out (room for max bytes and a NUL). 0, or -1. */
static int decode(const char *s, size_t n, char *out, size_t max)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;

			if (i + 2 >= n) return -1;
			hi = cw_hexval(s[i + 1]);
			lo = cw_hexval(s[i + 2]);
			if (hi < 0 || lo < 0) return -1;
			c = hi << 4 | lo;
			i += 2;
		}
		if (c == '\0' || o == max) return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

/* One "name=value" (or "name") pair of n bytes into the next field. 0, or -1. */
static int add_pair(form_t *form, const char *s, size_t n)
{
	const char *eq = memchr(s, '=', n);
	size_t nlen = eq ? (size_t)(eq - s) : n;
	form_field_t *f;

	if (form->n == FORM_MAX_FIELDS || nlen == 0) return -1;
	f = &form->f[form->n];
	if (decode(s, nlen, f->name, FORM_NAME_MAX) < 0) return -1;
	if (decode(eq ? eq + 1 : s + n, eq ? n - nlen - 1 : 0, f->value, FORM_VALUE_MAX) < 0) return -1;
	if (form_get(form, f->name)) return -1;
	form->n++;
	return 0;
}

int form_parse(const char *s, size_t len, form_t *form)
{
	size_t i = 0;

	form->n = 0;
	while (i < len) {
		const char *amp = memchr(s + i, '&', len - i);
		size_t n = amp ? (size_t)(amp - (s + i)) : len - i;

		/* An empty pair ("a=1&&b=2", a trailing '&') is skipped, as browsers do. */
		if (n > 0 && add_pair(form, s + i, n) < 0) {
			form->n = 0;
			return -1;
		}
		i += n + 1;
	}
	return 0;
}

const char *form_get(const form_t *form, const char *name)
{
	for (unsigned i = 0; i < form->n; i++)
		if (strcmp(form->f[i].name, name) == 0) return form->f[i].value;
	return NULL;
}
