/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * handler.h - the enrollment service's requests and answers, without
 * sockets: routing, limits, the broker calls (through a callback), the
 * seal, the files and the pages. main.c feeds it from libmicrohttpd; the
 * unit tests and tests/fuzz/fuzz_enroll.c call it directly.
 *
 * Routes (docs/enrollment.md; everything else is 404):
 *   GET|HEAD /e/<token>          landing page and member's page (OPEN)
 *   POST     /e/<token>/enroll   platform=apple|eap|windows|linux (COLLECT): the file, or a bundle page
 *   POST     /e/<token>/lost     serial=S: a confirmation page; with confirm=yes: LOST
 *   GET|HEAD /d/<id>/<name>      one file of a Windows or Linux bundle, once (store.h)
 *   GET|HEAD /robots.txt         nothing here is for crawlers
 * A token the broker refuses, and one that is not even well-formed, get
 * the same refusal page with the same status (ENROLL_REFUSAL_STATUS): no
 * oracle tells unknown, expired, exhausted and revoked apart.
 */
#ifndef ENROLL_HANDLER_H
#define ENROLL_HANDLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cowork.h"
#include "store.h"
#include "ua.h"

#define ENROLL_URL_MAX		512		//!< request-target bytes; longer: 414
#define ENROLL_BODY_MAX		4096		//!< POST body bytes; more: 413
#define ENROLL_HEADERS_MAX	8192		//!< header names and values together; more: 431
#define ENROLL_REFUSAL_STATUS	404

typedef enum {
	ENROLL_GET,
	ENROLL_HEAD,
	ENROLL_POST,
	ENROLL_OTHER,	//!< any other method: 405
} enroll_method_t;

typedef struct enroll_req {
	enroll_method_t	method;
	const char	*target;		//!< the raw request-target, "/e/…?lang=en"
	size_t		header_bytes;		//!< total of the header names and values
	const char	*user_agent;		//!< NULL when absent
	const char	*accept_language;
	const char	*content_type;
	const char	*body;			//!< POST body (need not be terminated)
	size_t		body_len;
	bool		body_too_large;		//!< the server saw more than ENROLL_BODY_MAX bytes
	const char	*client;		//!< client address, for the broker and the log
} enroll_req_t;

typedef struct enroll_resp {
	int		status;
	const char	*content_type;		//!< a static string
	char		disposition[160];	//!< Content-Disposition, or ""
	const char	*allow;			//!< Allow (405), or NULL
	lang_t		lang;			//!< Content-Language of an HTML page
	bool		html;
	char		*body;			//!< malloc'd; free with enroll_resp_free
	size_t		body_len;
	char		log[160];		//!< what the log line says of the request: never a token or an id
} enroll_resp_t;

/*
 * The broker call: send request (one line, no \n) and return the answer's
 * text (malloc'd, freed by the handler with broker_text_free). 0, or -1
 * with err (no broker, no answer in time).
 */
typedef int (*enroll_broker_fn)(void *ctx, const char *request, char **answer, size_t *len, cw_err_t *err);

struct cw_profile_signer;

typedef struct enroll_cfg {
	enroll_broker_fn		broker;
	void				*broker_ctx;
	const struct cw_profile_signer	*signer;	//!< signs Apple profiles, or NULL
	store_t				*store;		//!< the one-time downloads
	int64_t				(*now)(void);	//!< the clock (tests); NULL: time()
	void				(*log)(const char *msg);	//!< errors worth an operator's eye, or NULL
} enroll_cfg_t;

/* A header every answer carries. */
typedef struct enroll_header {
	const char	*name;
	const char	*value;
} enroll_header_t;

/*
 * The headers of every answer, NULL-terminated: Content-Security-Policy
 * (the stylesheet by its hash), Cache-Control no-store, Referrer-Policy,
 * X-Content-Type-Options, X-Frame-Options. Static; thread-safe.
 */
const enroll_header_t *enroll_headers(void);

/*
 * Answer one request into *resp (always filled: on any failure an error
 * page). Never logs the token. Free with enroll_resp_free.
 */
void enroll_handle(const enroll_cfg_t *cfg, const enroll_req_t *req, enroll_resp_t *resp);

/*
 * A status page (413, 429, 431, 503...) for a request the server answers
 * before it is read whole, in the request's language. Free with
 * enroll_resp_free.
 */
void enroll_status(const enroll_req_t *req, int status, enroll_resp_t *resp);

void enroll_resp_free(enroll_resp_t *resp);

#endif
