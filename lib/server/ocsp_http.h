/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocsp_http.h - just enough HTTP for the OCSP responder (RFC 6960
 * Appendix A.1): one POST of an application/ocsp-request per connection,
 * as FreeRADIUS's client (OpenSSL's OCSP_sendreq_*) sends it:
 *
 *   POST / HTTP/1.0
 *   Host: 127.0.0.1:1814
 *   Content-Type: application/ocsp-request
 *   Content-Length: 75
 *
 *   <DER OCSPRequest>
 *
 * Anything else is refused with a 4xx/5xx status and the connection closed:
 * other methods and paths, chunked bodies, missing or repeated lengths,
 * oversized headers or bodies, bare LF line ends, folded headers, bytes
 * after the body.
 */
#ifndef COWORK_OCSP_HTTP_H
#define COWORK_OCSP_HTTP_H

#include <stddef.h>

/* Longest request line plus headers, blank line included. */
#define CW_HTTP_HEAD_MAX 4096

/* Largest body (the OCSP request). */
#define CW_HTTP_BODY_MAX 4096

/* What cw_http_parse returns besides an HTTP error status (400..505). */
#define CW_HTTP_MORE	0	//!< incomplete: read more bytes
#define CW_HTTP_DONE	1	//!< a whole request: body at *body_off, *body_len bytes

/*
 * Parse the bytes received so far on a connection, buf[0..len). Returns
 * CW_HTTP_MORE, CW_HTTP_DONE, or the HTTP status to refuse with (400, 404,
 * 405, 411, 413, 415, 431, 501, 505) with *why set to a short reason for
 * the log. Refusals are final: the caller answers and closes.
 */
int cw_http_parse(const char *buf, size_t len, size_t *body_off, size_t *body_len, const char **why);

/*
 * The response head for status (200 with content_len bytes of
 * application/ocsp-response, or an error without a body), always
 * HTTP/1.0 with Connection: close, into out[0..cap). Returns its length,
 * or 0 when it does not fit.
 */
size_t cw_http_response_head(int status, size_t content_len, char *out, size_t cap);

#endif
