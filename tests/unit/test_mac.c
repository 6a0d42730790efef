/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_mac.c - unit tests for lib/core/mac.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mac.h"

static const cw_mac_t expected = { { 0xaa, 0xbb, 0xcc, 0x0d, 0xe0, 0xff } };

/* Parse s from an exact-size heap copy, so ASan catches a read past len. */
static int parse_exact(const char *s, size_t len, cw_mac_t *out)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, s, len);
	rc = cw_mac_parse(copy, len, out);
	free(copy);
	return rc;
}

static void assert_parses_to_expected(const char *s)
{
	cw_mac_t mac;

	memset(&mac, 0x55, sizeof(mac));
	assert_int_equal(parse_exact(s, strlen(s), &mac), 0);
	assert_memory_equal(mac.b, expected.b, sizeof(mac.b));
}

static void assert_refused(const char *s, size_t len)
{
	cw_mac_t mac;

	memset(&mac, 0x55, sizeof(mac));
	assert_int_equal(parse_exact(s, len, &mac), -1);
	/* a refused address leaves *out alone */
	assert_int_equal(mac.b[0], 0x55);
}

static void four_forms_in_both_cases__give_the_same_bytes(void **state)
{
	static const char *forms[] = {
		"AA-BB-CC-0D-E0-FF", "aa-bb-cc-0d-e0-ff",
		"AA:BB:CC:0D:E0:FF", "aa:bb:cc:0d:e0:ff",
		"AABB.CC0D.E0FF",    "aabb.cc0d.e0ff",
		"AABBCC0DE0FF",      "aabbcc0de0ff",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) assert_parses_to_expected(forms[i]);
}

static void mixed_case_digits__are_accepted(void **state)
{
	(void)state;
	assert_parses_to_expected("Aa:bB:cc:0D:e0:Ff");
}

static void mixed_separators__are_refused(void **state)
{
	(void)state;
	assert_refused("aa:bb-cc:0d:e0:ff", 17);
	assert_refused("aa-bb-cc-0d-e0:ff", 17);
	assert_refused("aa.bb.cc.0d.e0.ff", 17);
	assert_refused("aabb:cc0d:e0ff", 14);
	assert_refused("aabb-cc0d-e0ff", 14);
}

static void separators_in_wrong_places__are_refused(void **state)
{
	(void)state;
	assert_refused("aab:bcc:0d:e0:ff", 16);
	assert_refused("a:abb:cc:0d:e0:ff", 17);
	assert_refused("aab.bcc0d.e0ff", 14);
	assert_refused("aabbcc:0de0ff", 13);
}

static void wrong_lengths__are_refused(void **state)
{
	(void)state;
	assert_refused("aa:bb:cc:0d:e0:f", 16);
	assert_refused("aa:bb:cc:0d:e0:ff:", 18);
	assert_refused("aa:bb:cc:0d:e0:ff:00", 20);
	assert_refused("aabbcc0de0f", 11);
	assert_refused("aabbcc0de0ff0", 13);
	assert_refused("aabb.cc0d.e0f", 13);
	assert_refused("", 0);
}

static void non_hex_digits__are_refused(void **state)
{
	(void)state;
	assert_refused("aa:bb:cc:0g:e0:ff", 17);
	assert_refused("aabbcc0de0fz", 12);
	assert_refused("aabb.cc0d.e0f ", 14);
	assert_refused("+abbcc0de0ff", 12);
}

static void surrounding_blanks__are_refused(void **state)
{
	(void)state;
	assert_refused("aa:bb:cc:0d:e0:ff ", 18);
	assert_refused(" aa:bb:cc:0d:e0:ff", 18);
	assert_refused("aabbcc0de0ff\n", 13);
}

static void embedded_nul_within_len__is_refused(void **state)
{
	static const char with_nul[17] = { 'a', 'a', ':', 'b', 'b', ':', 'c', 'c', ':',
					   '0', '\0', ':', 'e', '0', ':', 'f', 'f' };
	static const char bare_nul[12] = { 'a', 'a', 'b', 'b', 'c', 'c', '0', 'd', 'e', '0', 'f', '\0' };

	(void)state;
	assert_refused(with_nul, sizeof(with_nul));
	assert_refused(bare_nul, sizeof(bare_nul));
}

static void prefix_of_longer_buffer__is_parsed_within_len(void **state)
{
	cw_mac_t mac;

	(void)state;
	assert_int_equal(cw_mac_parse("aabbcc0de0ff:guest", 12, &mac), 0);
	assert_memory_equal(mac.b, expected.b, sizeof(mac.b));
}

static void null_input__is_refused(void **state)
{
	cw_mac_t mac;

	(void)state;
	assert_int_equal(cw_mac_parse(NULL, 0, &mac), -1);
}

static void format__writes_lowercase_colon_form(void **state)
{
	char text[CW_MAC_TEXT_LEN];

	(void)state;
	memset(text, 'X', sizeof(text));
	cw_mac_format(&expected, text);
	assert_string_equal(text, "aa:bb:cc:0d:e0:ff");
}

static void format_then_parse__round_trips(void **state)
{
	static const cw_mac_t macs[] = {
		{ { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 } },
		{ { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } },
		{ { 0x02, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e } },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(macs) / sizeof(macs[0]); i++) {
		char text[CW_MAC_TEXT_LEN];
		cw_mac_t back;

		cw_mac_format(&macs[i], text);
		assert_int_equal(strlen(text), CW_MAC_TEXT_LEN - 1);
		assert_int_equal(parse_exact(text, strlen(text), &back), 0);
		assert_memory_equal(back.b, macs[i].b, sizeof(back.b));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(four_forms_in_both_cases__give_the_same_bytes),
		cmocka_unit_test(mixed_case_digits__are_accepted),
		cmocka_unit_test(mixed_separators__are_refused),
		cmocka_unit_test(separators_in_wrong_places__are_refused),
		cmocka_unit_test(wrong_lengths__are_refused),
		cmocka_unit_test(non_hex_digits__are_refused),
		cmocka_unit_test(surrounding_blanks__are_refused),
		cmocka_unit_test(embedded_nul_within_len__is_refused),
		cmocka_unit_test(prefix_of_longer_buffer__is_parsed_within_len),
		cmocka_unit_test(null_input__is_refused),
		cmocka_unit_test(format__writes_lowercase_colon_form),
		cmocka_unit_test(format_then_parse__round_trips),
	};

	return cmocka_run_group_tests_name("mac", tests, NULL, NULL);
}
