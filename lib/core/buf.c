/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * buf.c - the growing text buffer.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "buf.h"

#define CW_BUF_INITIAL 1024

void cw_buf_fail(cw_buf_t *b, cw_buf_state_t why)
{
	if (b->state == CW_BUF_OK) b->state = why == CW_BUF_OK ? CW_BUF_REFUSED : why;
}

bool cw_buf_reserve(cw_buf_t *b, size_t n)
{
	size_t need, cap;
	char *p;

	if (b->state != CW_BUF_OK) return false;
	if (n > SIZE_MAX / 4 - b->len || (b->max && b->len + n + 1 > b->max)) {
		cw_buf_fail(b, CW_BUF_TOO_LARGE);
		return false;
	}
	need = b->len + n + 1;
	if (need <= b->cap) return true;
	for (cap = b->cap ? b->cap : CW_BUF_INITIAL; cap < need; cap *= 2) {}
	if (!(p = malloc(cap))) {
		cw_buf_fail(b, CW_BUF_NOMEM);
		return false;
	}
	if (b->p) {
		memcpy(p, b->p, b->len + 1);
		cw_wipe(b->p, b->cap);
		free(b->p);
	} else {
		p[0] = '\0';
	}
	b->p = p;
	b->cap = cap;
	return true;
}

void cw_buf_add(cw_buf_t *b, const void *s, size_t n)
{
	if (!cw_buf_reserve(b, n)) return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void cw_buf_str(cw_buf_t *b, const char *s)
{
	cw_buf_add(b, s, strlen(s));
}

void cw_buf_printf(cw_buf_t *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		cw_buf_fail(b, CW_BUF_REFUSED);
		return;
	}
	if (!cw_buf_reserve(b, (size_t)n)) return;
	va_start(ap, fmt);
	(void)vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void cw_buf_base64(cw_buf_t *b, const unsigned char *data, size_t len, size_t width, const char *nl)
{
	size_t chunk = width ? width / 4 * 3 : 3 * 1024;

	if (width && (width % 4 || !nl)) {
		cw_buf_fail(b, CW_BUF_REFUSED);
		return;
	}
	for (size_t off = 0; off < len; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;

		if (!cw_buf_reserve(b, (n + 2) / 3 * 4)) return;
		b->len += (size_t)EVP_EncodeBlock((unsigned char *)b->p + b->len, data + off, (int)n);
		b->p[b->len] = '\0';
		if (width) cw_buf_str(b, nl);
	}
}

int cw_buf_finish(cw_buf_t *b, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (b->state == CW_BUF_OK && !b->p) (void)cw_buf_reserve(b, 0);
	if (b->state != CW_BUF_OK) {
		cw_buf_discard(b);
		return -1;
	}
	*out = b->p;
	*len = b->len;
	b->p = NULL;
	b->len = b->cap = 0;
	return 0;
}

void cw_buf_discard(cw_buf_t *b)
{
	if (b->p) {
		cw_wipe(b->p, b->cap);
		free(b->p);
	}
	b->p = NULL;
	b->len = b->cap = 0;
}

void cw_buf_free_text(char *text, size_t len)
{
	if (!text) return;
	cw_wipe(text, len);
	free(text);
}
