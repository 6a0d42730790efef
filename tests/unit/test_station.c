/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_station.c - unit tests for lib/core/station.c.
 *
 * Table-driven (table.h): each row of `parse_rows` is one test, named by
 * the row: Called-Station-Ids, with their lengths, that all give the BSSID
 * aa:bb:cc:dd:ee:ff and each its SSID (or none), or that are all refused
 * with a part of the message. Checks that need more than a row are
 * functions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "station.h"
#include "table.h"

#define MAX_CASES 7

/* A literal and its length (which counts a NUL inside it). */
#define LIT(s) s, sizeof(s) - 1

/* Eight, and thirty-two, copies of a literal. */
#define EIGHT(s) s s s s s s s s
#define THIRTY_TWO(s) EIGHT(s) EIGHT(s) EIGHT(s) EIGHT(s)

#define NO_SSID NULL

static const cw_mac_t bssid = { { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff } };

/* Parse in[0..len) from an exact-size heap copy, so ASan catches a read past len. */
static int parse_exact(const char *in, size_t len, cw_station_t *st, cw_err_t *err)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, in, len);
	rc = cw_station_parse(copy, len, st, err);
	free(copy);
	return rc;
}

/* An input: accepted, `want` is its SSID (NO_SSID: none); refused, a part of the message. */
typedef struct station_case {
	const char	*in;
	size_t		len;
	const char	*want;
} station_case_t;

typedef struct parse_row {
	const char	*name;
	bool		accept;
	station_case_t	cases[MAX_CASES];	//!< up to the first without `in`
	size_t		in_len;			//!< when not 0, the length of each input (checks the row)
} parse_row_t;

static const parse_row_t parse_rows[] = {
	{ .name = "hostapd_form__gives_bssid_and_ssid", .accept = true,
	  .cases = { { LIT("AA-BB-CC-DD-EE-FF:CoworkGuest"), "CoworkGuest" } } },
	{ .name = "colon_mac_form__splits_after_the_mac", .accept = true,
	  .cases = { { LIT("aa:bb:cc:dd:ee:ff:SSID"), "SSID" } } },
	{ .name = "dotted_and_bare_hex_macs__take_an_ssid", .accept = true,
	  .cases = { { LIT("aabb.ccdd.eeff:Members"), "Members" }, { LIT("AABBCCDDEEFF:Members"), "Members" } } },
	{ .name = "bare_mac__has_no_ssid", .accept = true,
	  .cases = { { LIT("AA-BB-CC-DD-EE-FF"), NO_SSID }, { LIT("aa:bb:cc:dd:ee:ff"), NO_SSID },
		     { LIT("aabb.ccdd.eeff"), NO_SSID }, { LIT("aabbccddeeff"), NO_SSID } } },
	{ .name = "ssid_with_colons__keeps_them", .accept = true,
	  .cases = { { LIT("aa:bb:cc:dd:ee:ff:a:b:c"), "a:b:c" }, { LIT("AA-BB-CC-DD-EE-FF::"), ":" } } },
	/* U+4F1A, a CJK character, as hostapd escapes its UTF-8 bytes. */
	{ .name = "escaped_utf8_ssid__decodes_to_its_bytes", .accept = true,
	  .cases = { { LIT("AA-BB-CC-DD-EE-FF:\\xe4\\xbc\\x9a"), "\xe4\xbc\x9a" },
		     { LIT("AA-BB-CC-DD-EE-FF:\\xE4\\xBC\\x9A"), "\xe4\xbc\x9a" } } },
	{ .name = "raw_utf8_ssid__is_kept", .accept = true,
	  .cases = { { LIT("AA-BB-CC-DD-EE-FF:caf\xc3\xa9"), "caf\xc3\xa9" } } },
	{ .name = "backslash_and_quote_escapes__decode", .accept = true,
	  .cases = { { LIT("AA-BB-CC-DD-EE-FF:a\\\\b"), "a\\b" },
		     { LIT("AA-BB-CC-DD-EE-FF:say \\\"hi\\\""), "say \"hi\"" },
		     { LIT("AA-BB-CC-DD-EE-FF:\\e\\n\\r\\t"), "\x1b\n\r\t" } } },
	{ .name = "ssid_of_32_bytes__is_accepted", .accept = true,
	  .cases = { { LIT("aa:bb:cc:dd:ee:ff:" THIRTY_TWO("s")), THIRTY_TWO("s") } } },
	{ .name = "ssid_of_32_escaped_bytes__is_accepted", .accept = true,
	  .cases = { { LIT("aa:bb:cc:dd:ee:ff:" THIRTY_TWO("\\xff")), THIRTY_TWO("\xff") } },
	  .in_len = CW_STATION_INPUT_MAX },
	{ .name = "ssid_of_33_bytes__is_refused",
	  .cases = { { LIT("aa:bb:cc:dd:ee:ff:" THIRTY_TWO("s") "s"), "longer than 32 bytes" } } },
	{ .name = "empty_ssid_after_colon__is_refused",
	  .cases = { { LIT("AA-BB-CC-DD-EE-FF:"), "empty SSID" }, { LIT("aabbccddeeff:"), "empty SSID" } } },
	{ .name = "escaped_nul__is_refused", .cases = { { LIT("AA-BB-CC-DD-EE-FF:ab\\x00cd"), "NUL byte" } } },
	{ .name = "raw_nul_within_len__is_refused", .cases = { { LIT("aabbccddeeff:a\0b"), "control character" } } },
	{ .name = "raw_control_character__is_refused",
	  .cases = { { LIT("AA-BB-CC-DD-EE-FF:a\nb"), "control character" } } },
	{ .name = "bad_escapes__are_refused",
	  .cases = { { LIT("AA-BB-CC-DD-EE-FF:a\\qb"), "unknown escape \\q" },
		     { LIT("AA-BB-CC-DD-EE-FF:a\\101"), "unknown escape \\1" },
		     { LIT("AA-BB-CC-DD-EE-FF:a\\"), "lone backslash" },
		     { LIT("AA-BB-CC-DD-EE-FF:a\\x"), "two hex digits" },
		     { LIT("AA-BB-CC-DD-EE-FF:a\\x4"), "two hex digits" },
		     { LIT("AA-BB-CC-DD-EE-FF:a\\x4g"), "two hex digits" },
		     { LIT("AA-BB-CC-DD-EE-FF:a\\xg4"), "two hex digits" } } },
	{ .name = "input_over_max__is_refused",
	  .cases = { { LIT("aa:bb:cc:dd:ee:ff:" THIRTY_TWO("ssss") "s"), "longer than 146 characters" } },
	  .in_len = CW_STATION_INPUT_MAX + 1 },
	{ .name = "garbage_mac__is_refused",
	  .cases = { { LIT("AA-BB-CC-DD-EE-GG:CoworkGuest"), "MAC address" },
		     { LIT("AA-BB-CC-DD-EE:CoworkGuest"), "MAC address" }, { LIT("CoworkGuest"), "MAC address" },
		     { LIT("aa:bb:cc:dd:ee:ffSSID"), "MAC address" }, { LIT("aabbccddeeff-SSID"), "MAC address" },
		     { LIT(" AA-BB-CC-DD-EE-FF:CoworkGuest"), "MAC address" } } },
};

/* The BSSID and the SSID (NUL-terminated), or none; the same without err. */
static void parses(const station_case_t *c)
{
	size_t n = c->want ? strlen(c->want) : 0;
	cw_err_t err = { "" };
	cw_station_t st;

	if (parse_exact(c->in, c->len, &st, &err) != 0) fail_msg("\"%.*s\" refused: %s", (int)c->len, c->in, err.msg);
	assert_memory_equal(st.bssid.b, bssid.b, sizeof(bssid.b));
	assert_int_equal(st.has_ssid, c->want != NO_SSID);
	assert_int_equal(st.ssid_len, n);
	assert_memory_equal(st.ssid, c->want ? c->want : "", n + 1);
	assert_int_equal(parse_exact(c->in, c->len, &st, NULL), 0);
}

/* No SSID and a message that holds c->want; refused without err too. */
static void refused(const station_case_t *c)
{
	cw_err_t err = { "" };
	cw_station_t st;

	if (parse_exact(c->in, c->len, &st, &err) != -1) fail_msg("\"%.*s\" accepted", (int)c->len, c->in);
	assert_false(st.has_ssid);
	assert_int_equal(st.ssid_len, 0);
	if (strstr(err.msg, c->want) == NULL) fail_msg("message \"%s\" lacks \"%s\"", err.msg, c->want);
	assert_int_equal(parse_exact(c->in, c->len, &st, NULL), -1);
}

static void run_parse_row(void **state)
{
	const parse_row_t *r = *state;

	for (size_t i = 0; i < MAX_CASES && r->cases[i].in; i++) {
		if (r->in_len) assert_int_equal(r->cases[i].len, r->in_len);
		if (r->accept) parses(&r->cases[i]);
		else refused(&r->cases[i]);
	}
}

static void empty_input__is_refused(void **state)
{
	cw_station_t st;
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_station_parse("", 0, &st, &err), -1);
	assert_string_equal(err.msg, "empty Called-Station-Id");
	assert_int_equal(cw_station_parse(NULL, 0, &st, NULL), -1);
}

static void shorter_len__ends_the_input(void **state)
{
	static const char in[] = "AA-BB-CC-DD-EE-FF:CoworkGuest";
	cw_station_t st;

	(void)state;
	assert_int_equal(parse_exact(in, 17, &st, NULL), 0);
	assert_false(st.has_ssid);
	assert_int_equal(parse_exact(in, 20, &st, NULL), 0);
	assert_string_equal(st.ssid, "Co");
}

int main(void)
{
	static const struct CMUnitTest specific[] = {
		cmocka_unit_test(empty_input__is_refused),
		cmocka_unit_test(shorter_len__ends_the_input),
	};
	struct CMUnitTest tests[TABLE_LEN(parse_rows) + TABLE_LEN(specific)];
	size_t n = 0;

	TABLE_TESTS(tests, n, parse_rows, run_parse_row, NULL);
	TABLE_TESTS_OF(tests, n, specific);
	return _cmocka_run_group_tests("station", tests, n, NULL, NULL);
}
