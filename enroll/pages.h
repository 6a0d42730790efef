/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pages.h - the enrollment service's HTML pages, in Japanese and English.
 *
 * Every page is one document with one inline stylesheet (PAGES_STYLE, whose
 * hash the Content-Security-Policy names), no script, no external asset,
 * no style attribute; forms post to the service itself. Everything that
 * comes from the broker is HTML-escaped (html.h's hb_esc, hb_tpl).
 *
 * Each builder returns malloc'd text: free it with cw_buf_free_text (some pages
 * hold the PKCS#12 password). 0, or -1 when out of memory.
 */
#ifndef ENROLL_PAGES_H
#define ENROLL_PAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "broker_client.h"
#include "store.h"
#include "ua.h"

/* The page's stylesheet, the text of its <style> element. */
extern const char PAGES_STYLE[];

/* What every page knows of its request. */
typedef struct page_ctx {
	lang_t		lang;
	const char	*token;		//!< the invitation's text (checked base64url), for form actions
	const char	*query_p;	//!< the landing page's ?p= value to keep in language links, or NULL
	bool		lang_links;	//!< show the language switch (GET pages only)
} page_ctx_t;

/*
 * The landing page and member's page of an OPEN answer: the enroll action
 * for platform shown (a POST form), the switch to the others, the devices
 * with a "lost" button each, the guest passphrases with QR codes.
 */
int page_landing(const page_ctx_t *pc, const broker_answer_t *a, plat_t shown, char **out, size_t *len);

/* The one refusal page: unknown, expired, exhausted, revoked, malformed tokens alike. */
int page_refusal(const page_ctx_t *pc, char **out, size_t *len);

/* A short page for an HTTP error status (400, 404, 405, 413, 414, 415, 429, 431, 500, 503). */
int page_status(const page_ctx_t *pc, int status, char **out, size_t *len);

/*
 * The answer to a Windows or Linux enroll: the PKCS#12 password, shown
 * this once, and links to the files of download bundle id.
 */
int page_bundle(const page_ctx_t *pc, const broker_answer_t *a, plat_t p, const char *password, const char *id,
		const store_file_t *files, unsigned nfiles, char **out, size_t *len);

/* "Report device d as lost?": the confirmation form. */
int page_lost_confirm(const page_ctx_t *pc, const broker_device_t *d, char **out, size_t *len);

/* The device's certificate is revoked. */
int page_lost_done(const page_ctx_t *pc, const char *serial, char **out, size_t *len);

/* An HTTP status's reason phrase ("Not Found"). */
const char *pages_reason(int status);

#endif
