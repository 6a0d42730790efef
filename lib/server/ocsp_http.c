/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocsp_http.c - just enough HTTP for the OCSP responder.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cowork.h"
#include "ocsp_http.h"

/* What the headers said. */
typedef struct head {
	bool	has_length;
	size_t	length;
	bool	has_type;
} head_t;

static const char *reason_phrase(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 505: return "HTTP Version Not Supported";
	}
	return "Error";
}

/* Is s[0..len) exactly word, ignoring case? */
static bool same_ci(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && strncasecmp(s, word, len) == 0;
}

/* Whole decimal number of at most 9 digits. 0, or -1. */
static int parse_length(const char *s, size_t len, size_t *out)
{
	size_t v = 0;

	if (len == 0 || len > 9) return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') return -1;
		v = v * 10 + (size_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

/* "POST / HTTP/1.x". 0, or the status to refuse with. */
static int request_line(const char *s, size_t len, const char **why)
{
	const char *sp1 = memchr(s, ' ', len), *sp2;

	if (!sp1 || !(sp2 = memchr(sp1 + 1, ' ', len - (size_t)(sp1 + 1 - s)))) {
		*why = "malformed request line";
		return 400;
	}
	if ((size_t)(sp1 - s) != 4 || memcmp(s, "POST", 4) != 0) {
		*why = "method is not POST";
		return 405;
	}
	if (sp2 - sp1 != 2 || sp1[1] != '/') {
		*why = "path is not /";
		return 404;
	}
	if (len - (size_t)(sp2 + 1 - s) != 8 || (memcmp(sp2 + 1, "HTTP/1.0", 8) != 0 && memcmp(sp2 + 1, "HTTP/1.1", 8) != 0)) {
		*why = "not HTTP/1.0 or HTTP/1.1";
		return 505;
	}
	return 0;
}

/* Trim spaces and tabs on both ends of s[0..*len). */
static const char *trim(const char *s, size_t *len)
{
	while (*len && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		(*len)--;
	}
	while (*len && (s[*len - 1] == ' ' || s[*len - 1] == '\t')) (*len)--;
	return s;
}

/* One "Name: value" line. 0, or the status to refuse with. */
static int header_line(const char *s, size_t len, head_t *h, const char **why)
{
	const char *colon = memchr(s, ':', len), *value;
	size_t name_len, value_len;

	if (s[0] == ' ' || s[0] == '\t' || !colon || colon == s) {
		*why = "malformed or folded header line";
		return 400;
	}
	name_len = (size_t)(colon - s);
	value_len = len - name_len - 1;
	value = trim(colon + 1, &value_len);
	if (same_ci(s, name_len, "Content-Length")) {
		if (h->has_length || parse_length(value, value_len, &h->length) < 0) {
			*why = "repeated or malformed Content-Length";
			return 400;
		}
		h->has_length = true;
	} else if (same_ci(s, name_len, "Content-Type")) {
		if (h->has_type || !same_ci(value, value_len, "application/ocsp-request")) {
			*why = "Content-Type is not application/ocsp-request";
			return 415;
		}
		h->has_type = true;
	} else if (same_ci(s, name_len, "Transfer-Encoding")) {
		*why = "Transfer-Encoding is not supported";
		return 501;
	}
	return 0;
}

/* Every line of the head (request line, headers), ending at the blank line at head_len. */
static int parse_head(const char *buf, size_t head_len, head_t *h, const char **why)
{
	size_t pos = 0;
	bool first = true;
	int rc;

	while (pos < head_len) {
		const char *line = buf + pos;
		const char *cr = memchr(line, '\r', head_len - pos);
		size_t len;

		if (!cr || cr[1] != '\n') {
			*why = "line not ended by CRLF";
			return 400;
		}
		len = (size_t)(cr - line);
		if (len == 0) break;	/* the blank line */
		if (memchr(line, '\n', len) || memchr(line, '\0', len)) {
			*why = "bare LF or NUL in the head";
			return 400;
		}
		rc = first ? request_line(line, len, why) : header_line(line, len, h, why);
		if (rc) return rc;
		first = false;
		pos += len + 2;
	}
	return 0;
}

/* Where the head ends (just after CRLF CRLF), or 0 when not received yet. */
static size_t head_end(const char *buf, size_t len)
{
	for (size_t i = 0; i + 4 <= len; i++) {
		if (memcmp(buf + i, "\r\n\r\n", 4) == 0) return i + 4;
	}
	return 0;
}

/* The head is complete: check it and the body's length. */
static int check_request(const char *buf, size_t len, size_t end, size_t *body_off, size_t *body_len,
			 const char **why)
{
	head_t h = { false, 0, false };
	int rc = parse_head(buf, end, &h, why);

	if (rc) return rc;
	if (!h.has_length) {
		*why = "no Content-Length";
		return 411;
	}
	if (!h.has_type) {
		*why = "no Content-Type";
		return 415;
	}
	if (h.length == 0 || h.length > CW_HTTP_BODY_MAX) {
		*why = "body empty or too large";
		return h.length ? 413 : 400;
	}
	if (len < end + h.length) return CW_HTTP_MORE;
	if (len > end + h.length) {
		*why = "bytes after the body (one request per connection)";
		return 400;
	}
	*body_off = end;
	*body_len = h.length;
	return CW_HTTP_DONE;
}

int cw_http_parse(const char *buf, size_t len, size_t *body_off, size_t *body_len, const char **why)
{
	size_t end = head_end(buf, len < CW_HTTP_HEAD_MAX ? len : CW_HTTP_HEAD_MAX);

	*why = "";
	*body_off = *body_len = 0;
	if (end == 0) {
		if (len >= CW_HTTP_HEAD_MAX) {
			*why = "head too large";
			return 431;
		}
		return CW_HTTP_MORE;
	}
	return check_request(buf, len, end, body_off, body_len, why);
}

size_t cw_http_response_head(int status, size_t content_len, char *out, size_t cap)
{
	int n;

	if (status == 200) {
		n = snprintf(out, cap,
			     "HTTP/1.0 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: %zu\r\n"
			     "Connection: close\r\n\r\n",
			     content_len);
	} else {
		n = snprintf(out, cap, "HTTP/1.0 %d %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", status,
			     reason_phrase(status));
	}
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}
