/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_station.c - unit tests for lib/core/station.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "station.h"

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

static void assert_parses(const char *in, const char *ssid, size_t ssid_len)
{
	cw_station_t st;
	cw_err_t err = { "" };

	assert_int_equal(parse_exact(in, strlen(in), &st, &err), 0);
	assert_memory_equal(st.bssid.b, bssid.b, sizeof(bssid.b));
	assert_true(st.has_ssid);
	assert_int_equal(st.ssid_len, ssid_len);
	assert_memory_equal(st.ssid, ssid, ssid_len);
	assert_int_equal(st.ssid[ssid_len], '\0');
}

static void assert_refused_len(const char *in, size_t len, const char *msg_part)
{
	cw_station_t st;
	cw_err_t err = { "" };

	assert_int_equal(parse_exact(in, len, &st, &err), -1);
	assert_false(st.has_ssid);
	assert_int_equal(st.ssid_len, 0);
	if (strstr(err.msg, msg_part) == NULL) fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg_part);
}

static void assert_refused(const char *in, const char *msg_part)
{
	assert_refused_len(in, strlen(in), msg_part);
}

/* "aa:bb:cc:dd:ee:ff:" followed by n copies of c. */
static char *with_ssid_of(char c, size_t n)
{
	char *s = malloc(18 + n + 1);

	assert_non_null(s);
	memcpy(s, "aa:bb:cc:dd:ee:ff:", 18);
	memset(s + 18, c, n);
	s[18 + n] = '\0';
	return s;
}

static void hostapd_form__gives_bssid_and_ssid(void **state)
{
	(void)state;
	assert_parses("AA-BB-CC-DD-EE-FF:CoworkGuest", "CoworkGuest", 11);
}

static void colon_mac_form__splits_after_the_mac(void **state)
{
	(void)state;
	assert_parses("aa:bb:cc:dd:ee:ff:SSID", "SSID", 4);
}

static void dotted_and_bare_hex_macs__take_an_ssid(void **state)
{
	(void)state;
	assert_parses("aabb.ccdd.eeff:Members", "Members", 7);
	assert_parses("AABBCCDDEEFF:Members", "Members", 7);
}

static void bare_mac__has_no_ssid(void **state)
{
	static const char *forms[] = { "AA-BB-CC-DD-EE-FF", "aa:bb:cc:dd:ee:ff", "aabb.ccdd.eeff", "aabbccddeeff" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		cw_station_t st;

		assert_int_equal(parse_exact(forms[i], strlen(forms[i]), &st, NULL), 0);
		assert_memory_equal(st.bssid.b, bssid.b, sizeof(bssid.b));
		assert_false(st.has_ssid);
		assert_int_equal(st.ssid_len, 0);
		assert_string_equal(st.ssid, "");
	}
}

static void ssid_with_colons__keeps_them(void **state)
{
	(void)state;
	assert_parses("aa:bb:cc:dd:ee:ff:a:b:c", "a:b:c", 5);
	assert_parses("AA-BB-CC-DD-EE-FF::", ":", 1);
}

static void escaped_utf8_ssid__decodes_to_its_bytes(void **state)
{
	(void)state;
	/* U+4F1A, a CJK character, as hostapd escapes its UTF-8 bytes. */
	assert_parses("AA-BB-CC-DD-EE-FF:\\xe4\\xbc\\x9a", "\xe4\xbc\x9a", 3);
	assert_parses("AA-BB-CC-DD-EE-FF:\\xE4\\xBC\\x9A", "\xe4\xbc\x9a", 3);
}

static void raw_utf8_ssid__is_kept(void **state)
{
	(void)state;
	assert_parses("AA-BB-CC-DD-EE-FF:caf\xc3\xa9", "caf\xc3\xa9", 5);
}

static void backslash_and_quote_escapes__decode(void **state)
{
	(void)state;
	assert_parses("AA-BB-CC-DD-EE-FF:a\\\\b", "a\\b", 3);
	assert_parses("AA-BB-CC-DD-EE-FF:say \\\"hi\\\"", "say \"hi\"", 8);
	assert_parses("AA-BB-CC-DD-EE-FF:\\e\\n\\r\\t", "\x1b\n\r\t", 4);
}

static void ssid_of_32_bytes__is_accepted(void **state)
{
	char *in = with_ssid_of('s', 32);

	(void)state;
	assert_parses(in, "ssssssssssssssssssssssssssssssss", 32);
	free(in);
}

static void ssid_of_32_escaped_bytes__is_accepted(void **state)
{
	char in[18 + 4 * 32 + 1];
	char want[32];
	size_t i;

	(void)state;
	memcpy(in, "aa:bb:cc:dd:ee:ff:", 18);
	for (i = 0; i < 32; i++) memcpy(in + 18 + 4 * i, "\\xff", 4);
	in[sizeof(in) - 1] = '\0';
	assert_int_equal(strlen(in), CW_STATION_INPUT_MAX);
	memset(want, 0xff, sizeof(want));
	assert_parses(in, want, 32);
}

static void ssid_of_33_bytes__is_refused(void **state)
{
	char *in = with_ssid_of('s', 33);

	(void)state;
	assert_refused(in, "longer than 32 bytes");
	free(in);
}

static void empty_ssid_after_colon__is_refused(void **state)
{
	(void)state;
	assert_refused("AA-BB-CC-DD-EE-FF:", "empty SSID");
	assert_refused("aabbccddeeff:", "empty SSID");
}

static void escaped_nul__is_refused(void **state)
{
	(void)state;
	assert_refused("AA-BB-CC-DD-EE-FF:ab\\x00cd", "NUL byte");
}

static void raw_nul_within_len__is_refused(void **state)
{
	static const char in[] = { 'a', 'a', 'b', 'b', 'c', 'c', 'd', 'd', 'e', 'e', 'f', 'f', ':', 'a', '\0', 'b' };

	(void)state;
	assert_refused_len(in, sizeof(in), "control character");
}

static void raw_control_character__is_refused(void **state)
{
	(void)state;
	assert_refused("AA-BB-CC-DD-EE-FF:a\nb", "control character");
}

static void bad_escapes__are_refused(void **state)
{
	(void)state;
	assert_refused("AA-BB-CC-DD-EE-FF:a\\qb", "unknown escape \\q");
	assert_refused("AA-BB-CC-DD-EE-FF:a\\101", "unknown escape \\1");
	assert_refused("AA-BB-CC-DD-EE-FF:a\\", "lone backslash");
	assert_refused("AA-BB-CC-DD-EE-FF:a\\x", "two hex digits");
	assert_refused("AA-BB-CC-DD-EE-FF:a\\x4", "two hex digits");
	assert_refused("AA-BB-CC-DD-EE-FF:a\\x4g", "two hex digits");
	assert_refused("AA-BB-CC-DD-EE-FF:a\\xg4", "two hex digits");
}

static void input_over_max__is_refused(void **state)
{
	char *in = with_ssid_of('s', CW_STATION_INPUT_MAX - 18 + 1);

	(void)state;
	assert_int_equal(strlen(in), CW_STATION_INPUT_MAX + 1);
	assert_refused(in, "longer than 146 characters");
	free(in);
}

static void garbage_mac__is_refused(void **state)
{
	(void)state;
	assert_refused("AA-BB-CC-DD-EE-GG:CoworkGuest", "MAC address");
	assert_refused("AA-BB-CC-DD-EE:CoworkGuest", "MAC address");
	assert_refused("CoworkGuest", "MAC address");
	assert_refused("aa:bb:cc:dd:ee:ffSSID", "MAC address");
	assert_refused("aabbccddeeff-SSID", "MAC address");
	assert_refused(" AA-BB-CC-DD-EE-FF:CoworkGuest", "MAC address");
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
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hostapd_form__gives_bssid_and_ssid),
		cmocka_unit_test(colon_mac_form__splits_after_the_mac),
		cmocka_unit_test(dotted_and_bare_hex_macs__take_an_ssid),
		cmocka_unit_test(bare_mac__has_no_ssid),
		cmocka_unit_test(ssid_with_colons__keeps_them),
		cmocka_unit_test(escaped_utf8_ssid__decodes_to_its_bytes),
		cmocka_unit_test(raw_utf8_ssid__is_kept),
		cmocka_unit_test(backslash_and_quote_escapes__decode),
		cmocka_unit_test(ssid_of_32_bytes__is_accepted),
		cmocka_unit_test(ssid_of_32_escaped_bytes__is_accepted),
		cmocka_unit_test(ssid_of_33_bytes__is_refused),
		cmocka_unit_test(empty_ssid_after_colon__is_refused),
		cmocka_unit_test(escaped_nul__is_refused),
		cmocka_unit_test(raw_nul_within_len__is_refused),
		cmocka_unit_test(raw_control_character__is_refused),
		cmocka_unit_test(bad_escapes__are_refused),
		cmocka_unit_test(input_over_max__is_refused),
		cmocka_unit_test(garbage_mac__is_refused),
		cmocka_unit_test(empty_input__is_refused),
		cmocka_unit_test(shorter_len__ends_the_input),
	};

	return cmocka_run_group_tests_name("station", tests, NULL, NULL);
}
