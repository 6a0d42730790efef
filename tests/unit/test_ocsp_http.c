/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_ocsp_http.c - unit tests for lib/server/ocsp_http.c: the HTTP framing of
 * the OCSP responder, from the exact request FreeRADIUS's client sends to
 * every way of being refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ocsp_http.h"

/* What OpenSSL 3's OCSP_sendreq_nbio writes for FreeRADIUS 3.2.1 (body: 5 bytes here). */
#define OPENSSL_HEAD                                  \
	"POST / HTTP/1.0\r\n"                         \
	"Host: 127.0.0.1:1814\r\n"                    \
	"Content-Type: application/ocsp-request\r\n" \
	"Content-Length: 5\r\n"                       \
	"\r\n"
#define BODY "\x30\x03\x30\x01\x00"

static int parse(const char *buf, size_t len, size_t *off, size_t *blen, const char **why)
{
	return cw_http_parse(buf, len, off, blen, why);
}

/* The status for a whole request text (head with its blank line, then body). */
static int status_of(const char *head, const char *body, size_t body_len)
{
	char buf[2 * CW_HTTP_HEAD_MAX];
	size_t n = strlen(head), off, blen;
	const char *why;

	assert_true(n + body_len <= sizeof(buf));
	memcpy(buf, head, n);
	memcpy(buf + n, body, body_len);
	return parse(buf, n + body_len, &off, &blen, &why);
}

static void openssl_request__is_complete_with_its_body(void **state)
{
	const char req[] = OPENSSL_HEAD BODY;
	size_t off = 99, blen = 99;
	const char *why = NULL;

	(void)state;
	assert_int_equal(parse(req, sizeof(req) - 1, &off, &blen, &why), CW_HTTP_DONE);
	assert_int_equal(off, strlen(OPENSSL_HEAD));
	assert_int_equal(blen, 5);
	assert_memory_equal(req + off, BODY, 5);
}

static void request_arriving_byte_by_byte__needs_more_until_the_last(void **state)
{
	const char req[] = OPENSSL_HEAD BODY;
	size_t off, blen, len = sizeof(req) - 1;
	const char *why;

	(void)state;
	for (size_t i = 0; i < len; i++) assert_int_equal(parse(req, i, &off, &blen, &why), CW_HTTP_MORE);
	assert_int_equal(parse(req, len, &off, &blen, &why), CW_HTTP_DONE);
}

static void http_1_1_and_header_case__are_accepted(void **state)
{
	(void)state;
	assert_int_equal(status_of("POST / HTTP/1.1\r\ncontent-type:  Application/OCSP-Request \r\n"
				   "CONTENT-LENGTH:5\r\nConnection: close\r\n\r\n", BODY, 5),
			 CW_HTTP_DONE);
}

#define REQ	"POST / HTTP/1.0\r\n"
#define CT	"Content-Type: application/ocsp-request\r\n"
#define CL5	"Content-Length: 5\r\n"

/* A request that must be refused, with the status it must get. */
typedef struct refusal {
	const char	*what;
	const char	*head;
	const char	*body;
	size_t		body_len;
	int		status;
} refusal_t;

static const refusal_t refusals[] = {
	{ "GET", "GET / HTTP/1.0\r\n\r\n", "", 0, 405 },
	{ "lowercase method", "post / HTTP/1.0\r\n" CT CL5 "\r\n", BODY, 5, 405 },
	{ "RFC 6960 GET form", "GET /MEMwQTA%2FMD0wOzAJBgUrDgMCGgUABBQ HTTP/1.0\r\n\r\n", "", 0, 405 },
	{ "another path", "POST /ocsp HTTP/1.0\r\n" CT CL5 "\r\n", BODY, 5, 404 },
	{ "absolute URI", "POST http://127.0.0.1/ HTTP/1.0\r\n\r\n", "", 0, 404 },
	{ "HTTP/2.0", "POST / HTTP/2.0\r\n\r\n", "", 0, 505 },
	{ "space after the version", "POST / HTTP/1.0 \r\n\r\n", "", 0, 505 },
	{ "no version", "POST /\r\n\r\n", "", 0, 400 },
	{ "method alone", "POST\r\n\r\n", "", 0, 400 },
	{ "no Content-Length", REQ CT "\r\n", BODY, 5, 411 },
	{ "no Content-Type", REQ CL5 "\r\n", BODY, 5, 415 },
	{ "another Content-Type", REQ "Content-Type: text/plain\r\n" CL5 "\r\n", BODY, 5, 415 },
	{ "Content-Type twice", REQ CT CT CL5 "\r\n", BODY, 5, 415 },
	{ "Content-Length twice", REQ CT CL5 CL5 "\r\n", BODY, 5, 400 },
	{ "Content-Length 5x", REQ CT "Content-Length: 5x\r\n\r\n", BODY, 5, 400 },
	{ "Content-Length -5", REQ CT "Content-Length: -5\r\n\r\n", BODY, 5, 400 },
	{ "Content-Length of 11 digits", REQ CT "Content-Length: 99999999999\r\n\r\n", BODY, 5, 400 },
	{ "Content-Length 0", REQ CT "Content-Length: 0\r\n\r\n", "", 0, 400 },
	{ "chunked", "POST / HTTP/1.1\r\n" CT "Transfer-Encoding: chunked\r\n\r\n", "5\r\n", 3, 501 },
	{ "bare LF", "POST / HTTP/1.0\n" CT CL5 "\r\n", BODY, 5, 400 },
	{ "folded header", REQ CT " more\r\n" CL5 "\r\n", BODY, 5, 400 },
	{ "header without a colon", REQ "Content-Type application/ocsp-request\r\n" CL5 "\r\n", BODY, 5, 400 },
	{ "empty header name", REQ ": x\r\n" CT CL5 "\r\n", BODY, 5, 400 },
	{ "stray CR", REQ "X-A: b\rc\r\n" CT CL5 "\r\n", BODY, 5, 400 },
};

static void malformed_requests__get_their_status(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		const refusal_t *r = &refusals[i];
		int got = status_of(r->head, r->body, r->body_len);

		if (got != r->status) fail_msg("%s: status %d, want %d", r->what, got, r->status);
	}
}

static void body_over_the_limit__is_413(void **state)
{
	char head[256];

	(void)state;
	snprintf(head, sizeof(head), REQ CT "Content-Length: %d\r\n\r\n", CW_HTTP_BODY_MAX + 1);
	assert_int_equal(status_of(head, "", 0), 413);
}

static void nul_in_the_head__is_400(void **state)
{
	const char req[] = REQ "X-A: b\0c\r\n" CT CL5 "\r\n" BODY;
	size_t off, blen;
	const char *why;

	(void)state;
	assert_int_equal(parse(req, sizeof(req) - 1, &off, &blen, &why), 400);
}

static void bytes_after_the_body__are_400(void **state)
{
	(void)state;
	assert_int_equal(status_of(OPENSSL_HEAD, BODY "\x00", 6), 400);
	assert_int_equal(status_of(OPENSSL_HEAD, BODY "POST / HTTP/1.0\r\n", 22), 400);
}

static void oversized_head__is_431(void **state)
{
	static char buf[CW_HTTP_HEAD_MAX + 64];
	size_t off, blen, n;
	const char *why;

	(void)state;
	n = (size_t)snprintf(buf, sizeof(buf), "POST / HTTP/1.0\r\nX-Pad: ");
	memset(buf + n, 'a', sizeof(buf) - n);
	assert_int_equal(parse(buf, CW_HTTP_HEAD_MAX - 1, &off, &blen, &why), CW_HTTP_MORE);
	assert_int_equal(parse(buf, CW_HTTP_HEAD_MAX, &off, &blen, &why), 431);
	assert_true(strlen(why) > 0);
}

static void response_heads__are_http_1_0_with_close(void **state)
{
	char out[256];
	size_t n;

	(void)state;
	n = cw_http_response_head(200, 812, out, sizeof(out));
	assert_int_equal(n, strlen(out));
	assert_string_equal(out, "HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: 812\r\n"
				 "Connection: close\r\n\r\n");
	n = cw_http_response_head(405, 0, out, sizeof(out));
	assert_string_equal(out, "HTTP/1.0 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
	assert_int_equal(n, strlen(out));
	assert_int_equal(cw_http_response_head(200, 812, out, 20), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(openssl_request__is_complete_with_its_body),
		cmocka_unit_test(request_arriving_byte_by_byte__needs_more_until_the_last),
		cmocka_unit_test(http_1_1_and_header_case__are_accepted),
		cmocka_unit_test(malformed_requests__get_their_status),
		cmocka_unit_test(body_over_the_limit__is_413),
		cmocka_unit_test(nul_in_the_head__is_400),
		cmocka_unit_test(bytes_after_the_body__are_400),
		cmocka_unit_test(oversized_head__is_431),
		cmocka_unit_test(response_heads__are_http_1_0_with_close),
	};

	return cmocka_run_group_tests_name("ocsp_http", tests, NULL, NULL);
}
