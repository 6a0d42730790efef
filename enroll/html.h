/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * html.h - HTML escaping for the enrollment service's pages and answers,
 * appended to the shared growing buffer (buf.h), which wipes what it gives
 * back: a page may hold a secret (a PKCS#12 password).
 */
#ifndef ENROLL_HTML_H
#define ENROLL_HTML_H

#include <stddef.h>

#include "buf.h"

#define HB_MAX (1024 * 1024)	//!< no page or file of ours is larger: a page's buffer is CW_BUF_INIT(HB_MAX)

/*
 * s as HTML text or attribute value: & < > " ' become character
 * references; control characters other than tab and newline become '?'.
 * Safe in element content and in double- or single-quoted attributes.
 */
void hb_esc(cw_buf_t *hb, const char *s);
void hb_esc_n(cw_buf_t *hb, const char *s, size_t n);

/*
 * A trusted HTML template with "%s" placeholders, each replaced by the
 * next argument (a const char *), HTML-escaped. No other directive.
 */
void hb_tpl(cw_buf_t *hb, const char *tmpl, ...);

#endif
