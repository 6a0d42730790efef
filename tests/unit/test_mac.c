/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_mac.c - unit tests for lib/core/mac.c.
 *
 * Table-driven (table.h): each row of `parse_rows` is one test, named by
 * the row: addresses, with their lengths, that all parse to `expected` or
 * are all refused. Checks that need more than a row are functions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mac.h"
#include "table.h"

#define MAX_CASES 8

/* An address literal and its length (which counts a NUL inside it). */
#define ADDR(s) { s, sizeof(s) - 1 }

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

/* ---- cw_mac_parse ---- */

typedef struct mac_case {
	const char	*in;
	size_t		len;
} mac_case_t;

typedef struct parse_row {
	const char	*name;
	bool		accept;			//!< each gives `expected`, or each is refused
	mac_case_t	cases[MAX_CASES];	//!< up to the first without `in`
} parse_row_t;

static const parse_row_t parse_rows[] = {
	{ "four_forms_in_both_cases__give_the_same_bytes", true,
	  { ADDR("AA-BB-CC-0D-E0-FF"), ADDR("aa-bb-cc-0d-e0-ff"),
	    ADDR("AA:BB:CC:0D:E0:FF"), ADDR("aa:bb:cc:0d:e0:ff"),
	    ADDR("AABB.CC0D.E0FF"),    ADDR("aabb.cc0d.e0ff"),
	    ADDR("AABBCC0DE0FF"),      ADDR("aabbcc0de0ff") } },
	{ "mixed_case_digits__are_accepted", true, { ADDR("Aa:bB:cc:0D:e0:Ff") } },
	{ "mixed_separators__are_refused", false,
	  { ADDR("aa:bb-cc:0d:e0:ff"), ADDR("aa-bb-cc-0d-e0:ff"), ADDR("aa.bb.cc.0d.e0.ff"), ADDR("aabb:cc0d:e0ff"),
	    ADDR("aabb-cc0d-e0ff") } },
	{ "separators_in_wrong_places__are_refused", false,
	  { ADDR("aab:bcc:0d:e0:ff"), ADDR("a:abb:cc:0d:e0:ff"), ADDR("aab.bcc0d.e0ff"), ADDR("aabbcc:0de0ff") } },
	{ "wrong_lengths__are_refused", false,
	  { ADDR("aa:bb:cc:0d:e0:f"), ADDR("aa:bb:cc:0d:e0:ff:"), ADDR("aa:bb:cc:0d:e0:ff:00"), ADDR("aabbcc0de0f"),
	    ADDR("aabbcc0de0ff0"), ADDR("aabb.cc0d.e0f"), ADDR("") } },
	{ "non_hex_digits__are_refused", false,
	  { ADDR("aa:bb:cc:0g:e0:ff"), ADDR("aabbcc0de0fz"), ADDR("aabb.cc0d.e0f "), ADDR("+abbcc0de0ff") } },
	{ "surrounding_blanks__are_refused", false,
	  { ADDR("aa:bb:cc:0d:e0:ff "), ADDR(" aa:bb:cc:0d:e0:ff"), ADDR("aabbcc0de0ff\n") } },
	{ "embedded_nul_within_len__is_refused", false, { ADDR("aa:bb:cc:0\0:e0:ff"), ADDR("aabbcc0de0f\0") } },
};

/* Each address gives `expected`, or is refused leaving the output alone. */
static void run_parse_row(void **state)
{
	const parse_row_t *r = *state;

	for (size_t i = 0; i < MAX_CASES && r->cases[i].in; i++) {
		const mac_case_t *c = &r->cases[i];
		cw_mac_t mac;

		memset(&mac, 0x55, sizeof(mac));
		if (parse_exact(c->in, c->len, &mac) != (r->accept ? 0 : -1)) {
			fail_msg("\"%.*s\" was %s", (int)c->len, c->in, r->accept ? "refused" : "accepted");
		}
		if (r->accept) assert_memory_equal(mac.b, expected.b, sizeof(mac.b));
		else assert_int_equal(mac.b[0], 0x55);
	}
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
	static const struct CMUnitTest specific[] = {
		cmocka_unit_test(prefix_of_longer_buffer__is_parsed_within_len),
		cmocka_unit_test(null_input__is_refused),
		cmocka_unit_test(format__writes_lowercase_colon_form),
		cmocka_unit_test(format_then_parse__round_trips),
	};
	struct CMUnitTest tests[TABLE_LEN(parse_rows) + TABLE_LEN(specific)];
	size_t n = 0;

	TABLE_TESTS(tests, n, parse_rows, run_parse_row, NULL);
	TABLE_TESTS_OF(tests, n, specific);
	return _cmocka_run_group_tests("mac", tests, n, NULL, NULL);
}
