/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * names.c - what admins may call things.
 */
#include <stdbool.h>
#include <string.h>

#include "names.h"

int cw_name_check_id(const char *s, const char *what, cw_err_t *err)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > 64) {
		cw_err_set(err, "%s must be 1 to 64 characters long", what);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char c = s[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

		if (alnum) continue;
		if (i > 0 && (c == '.' || c == '_' || c == '-' || c == '@')) continue;
		cw_err_set(err, "invalid %s \"%.64s\": use lowercase letters, digits and . _ - @, "
			   "starting with a letter or digit", what, s);
		return -1;
	}
	return 0;
}

/*
 * Length in characters of valid UTF-8 without control characters, or -1.
 * Rejects overlong forms, surrogates and code points above U+10FFFF.
 */
static long utf8_chars(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	long chars = 0;

	while (i < n) {
		unsigned c = p[i], need, cp, min;

		if (c < 0x20 || c == 0x7f) return -1;
		if (c < 0x80) { i++; chars++; continue; }
		if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; min = 0x80; }
		else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; min = 0x800; }
		else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; min = 0x10000; }
		else return -1;
		if (n - i <= need) return -1;
		for (unsigned k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80) return -1;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
		if (cp >= 0x80 && cp < 0xa0) return -1;	/* C1 controls */
		i += need + 1;
		chars++;
	}
	return chars;
}

int cw_name_check_ssid(const char *s, cw_err_t *err)
{
	size_t n = strlen(s);

	if (n == 0 || n > 32) {
		cw_err_set(err, "an SSID is 1 to 32 bytes long (this one has %zu)", n);
		return -1;
	}
	if (utf8_chars(s, n) < 0) {
		cw_err_set(err, "the SSID is not valid UTF-8 or holds control characters");
		return -1;
	}
	return 0;
}

int cw_name_check_dn_value(const char *s, size_t max_chars, const char *what, size_t *nchars, cw_err_t *err)
{
	long chars;

	if (!s || !*s) {
		cw_err_set(err, "%s is empty", what);
		return -1;
	}
	chars = utf8_chars(s, strlen(s));
	if (chars < 0) {
		cw_err_set(err, "%s is not valid UTF-8 or holds a control character", what);
		return -1;
	}
	if (strpbrk(s, "/\\")) {
		cw_err_set(err, "%s holds '/' or '\\', which would make certificate names ambiguous", what);
		return -1;
	}
	if ((size_t)chars > max_chars) {
		cw_err_set(err, "%s is longer than %zu characters", what, max_chars);
		return -1;
	}
	if (nchars) *nchars = (size_t)chars;
	return 0;
}

int cw_name_check_org(const char *s, cw_err_t *err)
{
	return cw_name_check_dn_value(s, 64, "the organisation name", NULL, err);
}

int cw_name_check_dns(const char *s, cw_err_t *err)
{
	size_t n = strlen(s), label = 0, labels = 0, i;
	const char *why;

	if (n == 0 || n > 253) {
		cw_err_set(err, "server name must be 1 to 253 characters long");
		return -1;
	}
	for (i = 0; i <= n; i++) {
		char c = s[i];

		if (c == '.' || c == '\0') {
			why = "it has an empty label or one ending in '-'";
			if (label == 0 || s[i - 1] == '-') goto bad;
			labels++;
			label = 0;
			continue;
		}
		why = "use only letters, digits, '-' and '.', with no label starting with '-'";
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      (c == '-' && label > 0))) goto bad;
		why = "it has a label longer than 63 characters";
		if (++label > 63) goto bad;
	}
	why = "use a name of at least two labels, such as radius.example.org";
	if (labels < 2) goto bad;
	return 0;

bad:
	cw_err_set(err, "invalid server name \"%.253s\": %s", s, why);
	return -1;
}
