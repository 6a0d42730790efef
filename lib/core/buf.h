/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * buf.h - a growing text buffer that may hold a secret.
 *
 * Builders of onboarding files, the enrollment service's pages and the
 * enrollment broker's answers append to one of these. A failed call (out
 * of memory, past the buffer's limit, or marked by the caller) marks the
 * buffer failed; every later call is a no-op, so a builder checks once, at
 * the end. Memory is wiped whenever it is given back: when the buffer
 * grows, on discard, and by cw_buf_free_text.
 */
#ifndef COWORK_BUF_H
#define COWORK_BUF_H

#include <stdbool.h>
#include <stddef.h>

#include "cowork.h"

typedef enum {
	CW_BUF_OK = 0,
	CW_BUF_NOMEM,		//!< an allocation failed
	CW_BUF_TOO_LARGE,	//!< the text would pass the buffer's limit
	CW_BUF_REFUSED,		//!< the builder refused a value (cw_buf_fail)
} cw_buf_state_t;

typedef struct cw_buf {
	char		*p;	//!< NUL-terminated text once anything was added; NULL before
	size_t		len;
	size_t		cap;
	size_t		max;	//!< most bytes the text may reach (0: no limit)
	cw_buf_state_t	state;
} cw_buf_t;

/* An empty buffer whose text may reach max bytes (0: no limit). */
#define CW_BUF_INIT(max_) { NULL, 0, 0, (max_), CW_BUF_OK }

/* Room for n more bytes and a NUL. true, or false once failed. */
bool cw_buf_reserve(cw_buf_t *b, size_t n);

void cw_buf_add(cw_buf_t *b, const void *s, size_t n);
void cw_buf_str(cw_buf_t *b, const char *s);
void cw_buf_printf(cw_buf_t *b, const char *fmt, ...) CW_PRINTF(2, 3);

/* Base64 (RFC 4648, padded) of data: lines of width characters (a multiple of 4) each followed by nl, or one line (width 0, no nl). */
void cw_buf_base64(cw_buf_t *b, const unsigned char *data, size_t len, size_t width, const char *nl);

/* Mark the buffer failed (a value the builder cannot write). The first failure is kept. */
void cw_buf_fail(cw_buf_t *b, cw_buf_state_t why);

static inline bool cw_buf_failed(const cw_buf_t *b)
{
	return b->state != CW_BUF_OK;
}

/*
 * Hand the text over: *out (NUL-terminated, malloc'd, "" for an empty
 * buffer; give back with cw_buf_free_text) and *len. 0; or -1 when
 * anything failed, the buffer then wiped and freed, its state kept for the
 * caller's message. Either way the buffer is empty afterwards.
 */
int cw_buf_finish(cw_buf_t *b, char **out, size_t *len);

/* Wipe and free what the buffer holds; it is empty again (its limit and state kept). */
void cw_buf_discard(cw_buf_t *b);

/* Wipe and free text that cw_buf_finish returned. Accepts NULL. */
void cw_buf_free_text(char *text, size_t len);

#endif
