/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_broker.c - cw_enroll_parse, the request line of `coworkctl
 * enroll-broker`: the one parser in a root process that reads what the
 * enrollment service (a less trusted user) writes. A parsed request has a
 * known verb, a canonical client address without spaces, a platform from
 * the list (COLLECT) and a canonical serial (LOST); a refusal has a
 * message, and the message never repeats the token field of the line (when
 * it looks like a secret).
 * Then the refusal counter: after CW_ENROLL_REFUSALS_MAX refusals in one
 * window a client is limited, and not before.
 */
#include "fuzz.h"
#include "enroll_proto.h"
#include "serial.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cw_ratelimit_t rate;

static void check_parsed(const cw_enroll_line_t *l)
{
	char again[CW_SERIAL_HEX_MAX + 1];
	cw_err_t e;

	FZ_CHECK(l->verb == CW_ENROLL_OPEN || l->verb == CW_ENROLL_COLLECT || l->verb == CW_ENROLL_LOST,
		 "verb %d", (int)l->verb);
	FZ_CHECK(FZ_TERMINATED(l->client) && l->client[0] != '\0', "client empty or unterminated");
	FZ_CHECK(strpbrk(l->client, " \t\r\n") == NULL, "client \"%s\" has white space", l->client);
	if (l->verb == CW_ENROLL_COLLECT)
		FZ_CHECK(cw_enroll_platform_check(l->platform) == 0, "platform \"%s\" accepted", l->platform);
	if (l->verb == CW_ENROLL_LOST) {
		FZ_CHECK(cw_serial_normalise(l->serial, strlen(l->serial), again, &e) == 0 &&
			 strcmp(again, l->serial) == 0, "serial \"%s\" is not canonical", l->serial);
	}
}

/*
 * The line's second field (the token's place), if it looks like a secret:
 * at least 12 base64url characters (shorter runs, or other bytes, can be
 * words of the message itself: "COLLECT OLLECT" is not a leak).
 */
static size_t token_field(const char *in, size_t size, const char **start)
{
	const char *sp = memchr(in, ' ', size), *end;

	if (!sp) return 0;
	*start = sp + 1;
	end = memchr(*start, ' ', size - (size_t)(*start - in));
	if (!end) end = in + size;
	if ((size_t)(end - *start) < 12) return 0;
	for (const char *p = *start; p < end; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_'))
			return 0;
	}
	return (size_t)(end - *start);
}

static void check_rate(const char *client, uint8_t step)
{
	int64_t now = 1000000 + step;

	if (cw_rate_limited(&rate, client, now)) return;
	for (unsigned i = 0; i < CW_ENROLL_REFUSALS_MAX; i++) {
		FZ_CHECK(!cw_rate_limited(&rate, client, now), "%s limited after %u refusals", client, i);
		if (cw_rate_refusal(&rate, client, now)) {
			FZ_CHECK(cw_rate_limited(&rate, client, now), "%s: the limit reached, yet not limited", client);
			return;
		}
	}
	FZ_CHECK(cw_rate_limited(&rate, client, now), "%s not limited after %d refusals in a window", client,
		 CW_ENROLL_REFUSALS_MAX);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_t f;
	char *in = malloc(size ? size : 1);
	const char *tok = NULL;
	size_t toklen;
	cw_enroll_line_t l;
	cw_err_t e;

	fz_init(&f, data, size);
	fz_keep(&f, in);
	memcpy(in, data, size);
	memset(&l, 0x5a, sizeof(l));
	e.msg[0] = '\0';
	if (cw_enroll_parse(in, size, &l, &e) == 0) {
		check_parsed(&l);
		check_rate(l.client, size ? data[0] : 0);
	} else {
		FZ_CHECK(FZ_TERMINATED(e.msg) && e.msg[0] != '\0', "refusal without a message");
		toklen = token_field(in, size, &tok);
		if (toklen > 0 && toklen <= sizeof(e.msg)) {
			FZ_CHECK(memmem(e.msg, strlen(e.msg), tok, toklen) == NULL,
				 "the refusal \"%s\" repeats the token field", e.msg);
		}
	}
	memset(&l, 0, sizeof(l));
	fz_free(&f);
	return 0;
}
