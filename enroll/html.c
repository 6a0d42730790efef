/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * html.c - HTML escaping into the shared text buffer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

void hb_esc_n(cw_buf_t *hb, const char *s, size_t n)
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
		cw_buf_add(hb, s + run, i - run);
		cw_buf_str(hb, ref);
		run = i + 1;
	}
	cw_buf_add(hb, s + run, n - run);
}

void hb_esc(cw_buf_t *hb, const char *s)
{
	hb_esc_n(hb, s, strlen(s));
}

void hb_tpl(cw_buf_t *hb, const char *tmpl, ...)
{
	va_list ap;
	const char *p;

	va_start(ap, tmpl);
	while ((p = strstr(tmpl, "%s"))) {
		cw_buf_add(hb, tmpl, (size_t)(p - tmpl));
		hb_esc(hb, va_arg(ap, const char *));
		tmpl = p + 2;
	}
	va_end(ap);
	cw_buf_str(hb, tmpl);
}
