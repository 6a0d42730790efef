/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * html.h - a growing text buffer for the enrollment service's pages and
 * answers, with HTML escaping.
 *
 * A failed allocation marks the buffer failed; every later call is a no-op
 * and hb_finish reports it, so that builders check once at the end. The
 * buffer may hold a secret (a PKCS#12 password on a page): memory is wiped
 * whenever it is given back.
 */
#ifndef ENROLL_HTML_H
#define ENROLL_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "cowork.h"

#define HB_MAX (1024 * 1024)	//!< no page or file of ours is larger

typedef struct hb {
	char	*p;
	size_t	len;
	size_t	cap;
	bool	failed;
} hb_t;

#define HB_INIT { NULL, 0, 0, false }

void hb_add(hb_t *hb, const void *s, size_t n);
void hb_str(hb_t *hb, const char *s);
void hb_printf(hb_t *hb, const char *fmt, ...) CW_PRINTF(2, 3);

/*
 * s as HTML text or attribute value: & < > " ' become character
 * references; control characters other than tab and newline become '?'.
 * Safe in element content and in double- or single-quoted attributes.
 */
void hb_esc(hb_t *hb, const char *s);
void hb_esc_n(hb_t *hb, const char *s, size_t n);

/*
 * A trusted HTML template with "%s" placeholders, each replaced by the
 * next argument (a const char *), HTML-escaped. No other directive.
 */
void hb_tpl(hb_t *hb, const char *tmpl, ...);

/*
 * Hand the text over: *out (NUL-terminated, malloc'd; free with
 * cw_secret_free-like hb_free_text) and *len. 0, or -1 when anything
 * failed (the buffer is wiped and freed either way).
 */
int hb_finish(hb_t *hb, char **out, size_t *len);

/* Wipe and free a buffer that is not finished. Accepts an empty one. */
void hb_discard(hb_t *hb);

/* Wipe and free text that hb_finish returned. Accepts NULL. */
void hb_free_text(char *text, size_t len);

#endif
