/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_enroll_proto.c - unit tests for lib/admin/enroll_proto.c: the
 * enroll-broker's request lines and its limit on refusals per client.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "enroll_proto.h"

/* A token's text (43 base64url characters) and one that is not. */
#define TOKEN	"pgSuUDZv63fpEk6JcMZMm_NDIqj6v_DG6EzhvrXQjlw"

static int parse(const char *line, cw_enroll_line_t *out, cw_err_t *e)
{
	memset(out, 0xa5, sizeof(*out));	/* parse must set everything */
	return cw_enroll_parse(line, strlen(line), out, e);
}

static void assert_err(const char *line, const char *part)
{
	cw_enroll_line_t l;
	cw_err_t e = { "" };

	if (parse(line, &l, &e) != -1) fail_msg("\"%s\" parsed", line);
	if (!strstr(e.msg, part)) fail_msg("\"%s\": message \"%s\" lacks \"%s\"", line, e.msg, part);
	/* An ERR never repeats what the request held. */
	assert_null(strstr(e.msg, TOKEN));
}

static void open_collect_lost__parse_with_their_fields(void **state)
{
	cw_enroll_line_t l;
	cw_err_t e = { "" };
	cw_token_t t;

	(void)state;
	assert_int_equal(cw_token_parse(TOKEN, strlen(TOKEN), &t, &e), 0);
	assert_int_equal(parse("OPEN " TOKEN " 192.0.2.7", &l, &e), 0);
	assert_int_equal(l.verb, CW_ENROLL_OPEN);
	assert_true(l.token_ok);
	assert_memory_equal(&l.token, &t, sizeof(t));
	assert_string_equal(l.client, "192.0.2.7");

	assert_int_equal(parse("COLLECT " TOKEN " 2001:DB8:0:0::1 windows", &l, &e), 0);
	assert_int_equal(l.verb, CW_ENROLL_COLLECT);
	assert_string_equal(l.client, "2001:db8::1");	/* canonical */
	assert_string_equal(l.platform, "windows");

	assert_int_equal(parse("LOST " TOKEN " 192.0.2.7 0A:BC:00:ff", &l, &e), 0);
	assert_int_equal(l.verb, CW_ENROLL_LOST);
	assert_string_equal(l.serial, "abc00ff");	/* normalised */
}

static void a_malformed_token__parses_as_no_token(void **state)
{
	cw_enroll_line_t l;
	cw_err_t e = { "" };

	(void)state;
	assert_int_equal(parse("OPEN short 192.0.2.7", &l, &e), 0);
	assert_false(l.token_ok);
	assert_int_equal(parse("OPEN " TOKEN "A 192.0.2.7", &l, &e), 0);
	assert_false(l.token_ok);
	/* The unused low bits of the last character must be zero: one text per token. */
	assert_int_equal(parse("OPEN pgSuUDZv63fpEk6JcMZMm_NDIqj6v_DG6EzhvrXQjlx 192.0.2.7", &l, &e), 0);
	assert_false(l.token_ok);
}

static void malformed_lines__are_errors_that_say_what_is_wrong(void **state)
{
	(void)state;
	assert_err("", "malformed request");
	assert_err("GET / HTTP/1.0", "unknown request");
	assert_err("open " TOKEN " 192.0.2.7", "unknown request");
	assert_err("OPEN " TOKEN, "OPEN takes 2 fields");
	assert_err("OPEN " TOKEN " 192.0.2.7 apple", "OPEN takes 2 fields");
	assert_err("COLLECT " TOKEN " 192.0.2.7", "COLLECT takes 3 fields");
	assert_err("OPEN  " TOKEN " 192.0.2.7", "malformed request");	/* two spaces */
	assert_err("OPEN " TOKEN " 192.0.2.7 ", "malformed request");	/* trailing space */
	assert_err(" OPEN " TOKEN " 192.0.2.7", "malformed request");
	assert_err("OPEN " TOKEN "\t192.0.2.7", "malformed request");
	assert_err("OPEN " TOKEN " 192.0.2.7\r", "malformed request");
	assert_err("OPEN " TOKEN " 192.0.2.7\xc3\xa9", "malformed request");
	assert_err("OPEN " TOKEN " localhost", "not an IPv4 or IPv6 address");
	assert_err("OPEN " TOKEN " 192.0.2.300", "not an IPv4 or IPv6 address");
	assert_err("COLLECT " TOKEN " 192.0.2.7 android", "not apple, eap, windows or linux");
	assert_err("COLLECT " TOKEN " 192.0.2.7 Apple", "not apple, eap, windows or linux");
	assert_err("LOST " TOKEN " 192.0.2.7 xyz", "not a certificate serial");
	assert_err("LOST " TOKEN " 192.0.2.7 112233445566778899aabbccddeeff00112233445", "not a certificate serial");
}

static void a_nul_byte__is_an_error(void **state)
{
	static const char line[] = "OPEN " TOKEN "\0 192.0.2.7";
	cw_enroll_line_t l;
	cw_err_t e = { "" };

	(void)state;
	assert_int_equal(cw_enroll_parse(line, sizeof(line) - 1, &l, &e), -1);
}

static void ten_refusals__limit_a_client_for_the_rest_of_its_window(void **state)
{
	cw_ratelimit_t *r = calloc(1, sizeof(*r));
	int64_t t = 1800000000;

	(void)state;
	assert_non_null(r);
	for (int i = 1; i < CW_ENROLL_REFUSALS_MAX; i++) {
		assert_false(cw_rate_limited(r, "192.0.2.7", t + i));
		assert_false(cw_rate_refusal(r, "192.0.2.7", t + i));
	}
	assert_false(cw_rate_limited(r, "192.0.2.7", t + 20));
	assert_true(cw_rate_refusal(r, "192.0.2.7", t + 20));	/* the 10th: note it, once */
	assert_true(cw_rate_limited(r, "192.0.2.7", t + 20));
	assert_false(cw_rate_refusal(r, "192.0.2.7", t + 21));
	assert_true(cw_rate_limited(r, "192.0.2.7", t + 1 + CW_ENROLL_WINDOW_S - 1));
	/* Others are not affected. */
	assert_false(cw_rate_limited(r, "192.0.2.8", t + 20));
	/* The window ends a minute after its first refusal. */
	assert_false(cw_rate_limited(r, "192.0.2.7", t + 1 + CW_ENROLL_WINDOW_S));
	assert_false(cw_rate_refusal(r, "192.0.2.7", t + 1 + CW_ENROLL_WINDOW_S));
	free(r);
}

static void an_ipv6_client__is_its_slash_64(void **state)
{
	cw_ratelimit_t *r = calloc(1, sizeof(*r));
	char addr[64];
	int64_t t = 1800000000;

	(void)state;
	assert_non_null(r);
	for (int i = 0; i < CW_ENROLL_REFUSALS_MAX; i++) {
		snprintf(addr, sizeof(addr), "2001:db8:1:2::%x", i + 1);
		(void)cw_rate_refusal(r, addr, t);
	}
	assert_true(cw_rate_limited(r, "2001:db8:1:2:ffff::9", t));
	assert_false(cw_rate_limited(r, "2001:db8:1:3::1", t));
	/* An IPv4 address written as IPv6 is that IPv4 address. */
	for (int i = 0; i < CW_ENROLL_REFUSALS_MAX; i++) (void)cw_rate_refusal(r, "::ffff:192.0.2.9", t);
	assert_true(cw_rate_limited(r, "192.0.2.9", t));
	free(r);
}

static void a_full_table__forgets_the_oldest_window(void **state)
{
	cw_ratelimit_t *r = calloc(1, sizeof(*r));
	char addr[32];
	int64_t t = 1800000000;

	(void)state;
	assert_non_null(r);
	for (int i = 0; i < CW_ENROLL_REFUSALS_MAX; i++) (void)cw_rate_refusal(r, "198.51.100.1", t);
	for (int i = 0; i < CW_ENROLL_CLIENTS_MAX - 1; i++) {
		snprintf(addr, sizeof(addr), "10.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255, i & 255);
		(void)cw_rate_refusal(r, addr, t + 1);
	}
	assert_int_equal(r->n, CW_ENROLL_CLIENTS_MAX);
	assert_true(cw_rate_limited(r, "198.51.100.1", t + 1));
	(void)cw_rate_refusal(r, "203.0.113.1", t + 2);	/* takes the oldest window's slot */
	assert_int_equal(r->n, CW_ENROLL_CLIENTS_MAX);
	assert_false(cw_rate_limited(r, "198.51.100.1", t + 2));
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(open_collect_lost__parse_with_their_fields),
		cmocka_unit_test(a_malformed_token__parses_as_no_token),
		cmocka_unit_test(malformed_lines__are_errors_that_say_what_is_wrong),
		cmocka_unit_test(a_nul_byte__is_an_error),
		cmocka_unit_test(ten_refusals__limit_a_client_for_the_rest_of_its_window),
		cmocka_unit_test(an_ipv6_client__is_its_slash_64),
		cmocka_unit_test(a_full_table__forgets_the_oldest_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
