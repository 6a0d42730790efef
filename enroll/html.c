/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * html.c - the growing text buffer and HTML escaping.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

/* Room for n more bytes and a NUL; grows by doubling, wiping the old block. */
static bool reserve(hb_t *hb, size_t n)
{
	size_t cap;
	char *p;

	if (hb->failed) return false;
	if (n > HB_MAX || hb->len + n + 1 > HB_MAX) goto fail;
	if (hb->len + n + 1 <= hb->cap) return true;
	for (cap = hb->cap ? hb->cap : 1024; cap < hb->len + n + 1; cap *= 2) {}
	if (!(p = malloc(cap))) goto fail;
	if (hb->p) {
		memcpy(p, hb->p, hb->len);
		cw_wipe(hb->p, hb->cap);
		free(hb->p);
	}
	hb->p = p;
	hb->cap = cap;
	return true;
fail:
	hb->failed = true;
	return false;
}

void hb_add(hb_t *hb, const void *s, size_t n)
{
	if (!reserve(hb, n)) return;
	memcpy(hb->p + hb->len, s, n);
	hb->len += n;
	hb->p[hb->len] = '\0';
}

void hb_str(hb_t *hb, const char *s)
{
	hb_add(hb, s, strlen(s));
}

void hb_printf(hb_t *hb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(hb, (size_t)n)) {
		hb->failed = true;
		return;
	}
	va_start(ap, fmt);
	(void)vsnprintf(hb->p + hb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	hb->len += (size_t)n;
}

void hb_esc_n(hb_t *hb, const char *s, size_t n)
{
	size_t run = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *ref = NULL;

		switch (c) {
		case '&': ref = "&amp;"; break;
		case '<': ref = "&lt;"; break;
		case '>': ref = "&gt;"; break;
		case '"': ref = "&quot;"; break;
		case '\'': ref = "&#39;"; break;
		default:
			if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) ref = "?";
			break;
		}
		if (!ref) continue;
		hb_add(hb, s + run, i - run);
		hb_str(hb, ref);
		run = i + 1;
	}
	hb_add(hb, s + run, n - run);
}

void hb_esc(hb_t *hb, const char *s)
{
	hb_esc_n(hb, s, strlen(s));
}

void hb_tpl(hb_t *hb, const char *tmpl, ...)
{
	va_list ap;
	const char *p;

	va_start(ap, tmpl);
	while ((p = strstr(tmpl, "%s"))) {
		hb_add(hb, tmpl, (size_t)(p - tmpl));
		hb_esc(hb, va_arg(ap, const char *));
		tmpl = p + 2;
	}
	va_end(ap);
	hb_str(hb, tmpl);
}

int hb_finish(hb_t *hb, char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	if (!hb->failed && !hb->p) reserve(hb, 0);
	if (hb->failed) {
		hb_discard(hb);
		return -1;
	}
	*out = hb->p;
	*len = hb->len;
	*hb = (hb_t)HB_INIT;
	return 0;
}

void hb_discard(hb_t *hb)
{
	if (hb->p) {
		cw_wipe(hb->p, hb->cap);
		free(hb->p);
	}
	*hb = (hb_t)HB_INIT;
}

void hb_free_text(char *text, size_t len)
{
	if (!text) return;
	cw_wipe(text, len);
	free(text);
}
