/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cowork.c - error reporting and small helpers shared by the core library.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cowork.h"

void cw_err_vset(cw_err_t *err, const char *fmt, va_list ap)
{
	if (!err) return;
	(void)vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

void cw_err_set(cw_err_t *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cw_err_vset(err, fmt, ap);
	va_end(ap);
}

int cw_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size) return -1;
	return 0;
}

void cw_wipe(void *p, size_t len)
{
	if (p && len) explicit_bzero(p, len);
}

static bool log_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

void cw_log_escape(const char *in, size_t len, char *out, size_t outlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0, total = 0, limit;

	if (outlen == 0) return;
	for (i = 0; i < len; i++) total += log_plain((unsigned char)in[i]) ? 1 : 4;
	/* Keep room for "..." only when the whole text cannot fit. */
	limit = total < outlen ? outlen - 1 : (outlen > 4 ? outlen - 4 : 0);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (o + (log_plain(c) ? 1 : 4) > limit) break;
		if (log_plain(c)) {
			out[o++] = (char)c;
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 0x0f];
		}
	}
	if (i < len && o + 4 <= outlen) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

int cw_hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}
