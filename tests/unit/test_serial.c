/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_serial.c - unit tests for lib/core/serial.c.
 *
 * Table-driven (table.h): each row of `text_rows` (serials as people
 * write them, for cw_serial_normalise) and `bytes_rows` (serials as DER
 * bytes, for cw_serial_from_bytes) is one test, named by the row, with the
 * normal form each must give or the refusal. Inputs longer than a literal
 * are built (table_make); a check that needs more than a row is a function.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "serial.h"
#include "table.h"

#define MAX_CASES 8

/* Ten, and forty, copies of a literal. */
#define TEN(s) s s s s s s s s s s
#define FORTY(s) TEN(s) TEN(s) TEN(s) TEN(s)

/* A copy of s without its terminator, so ASan catches a read past len. */
static char *exact_copy(const char *s, size_t len)
{
	char *p = malloc(len ? len : 1);

	assert_non_null(p);
	memcpy(p, s, len);
	return p;
}

/* Normalise s (given without terminator); return the rc, out filled. */
static int normalise(const char *s, char out[CW_SERIAL_HEX_MAX + 1], cw_err_t *err)
{
	size_t len = strlen(s);
	char *copy = exact_copy(s, len);
	int rc = cw_serial_normalise(copy, len, out, err);

	free(copy);
	return rc;
}

/* ---- cw_serial_normalise ---- */

/* A serial as written: accepted, its normal form `want`; refused, `want` is a part of the message. */
typedef struct text_case {
	const char	*in;
	const char	*want;
} text_case_t;

typedef struct text_row {
	const char	*name;
	bool		accept;
	text_case_t	cases[MAX_CASES];	//!< up to the first without `in`
	table_made_t	made;			//!< and one built input, when made.unit
	const char	*made_want;		//!< and what it gives, as `want`
} text_row_t;

static const text_row_t text_rows[] = {
	{ .name = "colon_separated_uppercase__is_lowercased_without_colons", .accept = true,
	  .cases = { { "2A:01", "2a01" } } },
	{ .name = "hex_prefix__is_dropped", .accept = true, .cases = { { "0x2a01", "2a01" }, { "0X2A01", "2a01" } } },
	{ .name = "space_separated__is_joined", .accept = true, .cases = { { "2a 01", "2a01" } } },
	{ .name = "all_spellings_of_one_serial__compare_equal", .accept = true,
	  .cases = { { "2a01", "2a01" }, { "2A01", "2a01" }, { "2A:01", "2a01" }, { "0x2a01", "2a01" },
		     { "2a 01", "2a01" }, { "00:2a:01", "2a01" }, { "0x002A01", "2a01" } } },
	{ .name = "leading_zeros__are_dropped", .accept = true,
	  .cases = { { "00:00:2a:01", "2a01" }, { "0001", "1" } } },
	{ .name = "zero__is_written_as_single_zero", .accept = true,
	  .cases = { { "00", "0" }, { "0", "0" }, { "0x00:00", "0" } } },
	{ .name = "forty_significant_digits__are_accepted", .accept = true, .cases = { { FORTY("f"), FORTY("f") } } },
	{ .name = "forty_digits_after_leading_zeros__are_accepted", .accept = true,
	  .cases = { { "0000" FORTY("a"), FORTY("a") } } },
	{ .name = "forty_one_significant_digits__are_refused",
	  .cases = { { FORTY("1") "1", "longer than 40 hex digits" } } },
	{ .name = "non_hex_character__is_refused",
	  .cases = { { "2g01", "not a hex digit" }, { "2a-01", "not a hex digit" }, { "2a01\n", "not a hex digit" } } },
	{ .name = "hex_prefix_not_at_start__is_refused", .cases = { { "2a0x01", "not a hex digit" } } },
	{ .name = "empty_input__is_refused", .cases = { { "", "empty" } } },
	{ .name = "only_separators__is_refused", .cases = { { "::  :", "no hex digit" }, { "0x", "no hex digit" } } },
	{ .name = "input_of_exactly_max_length__is_accepted", .accept = true,
	  .made = { .unit = "0", .count = CW_SERIAL_INPUT_MAX - 1, .tail = "7" }, .made_want = "7" },
	{ .name = "input_longer_than_max__is_refused",
	  .made = { .unit = "0", .count = CW_SERIAL_INPUT_MAX + 1 }, .made_want = "longer than 128 characters" },
	{ .name = "null_err__is_allowed", .cases = { { "zz", "not a hex digit" } } },
};

/* Accepted: the normal form. Refused: an empty output and the message, and the same without err. */
static void text_one(const text_row_t *r, const char *in, const char *want)
{
	char out[CW_SERIAL_HEX_MAX + 1];
	cw_err_t err = { "" };

	if (r->accept) {
		assert_int_equal(normalise(in, out, &err), 0);
		assert_string_equal(out, want);
		return;
	}
	assert_int_equal(normalise(in, out, &err), -1);
	assert_string_equal(out, "");
	if (strstr(err.msg, want) == NULL) fail_msg("\"%s\": message \"%s\" lacks \"%s\"", in, err.msg, want);
	assert_int_equal(normalise(in, out, NULL), -1);
}

static void run_text_row(void **state)
{
	const text_row_t *r = *state;
	char buf[CW_SERIAL_INPUT_MAX + 8];

	for (size_t i = 0; i < MAX_CASES && r->cases[i].in; i++) text_one(r, r->cases[i].in, r->cases[i].want);
	if (r->made.unit) text_one(r, table_make(&r->made, buf, sizeof(buf)), r->made_want);
}

static void embedded_nul__is_refused(void **state)
{
	static const char in[] = { '2', 'a', '\0', '0', '1' };
	char out[CW_SERIAL_HEX_MAX + 1];

	(void)state;
	assert_int_equal(cw_serial_normalise(in, sizeof(in), out, NULL), -1);
}

/* ---- cw_serial_from_bytes ---- */

typedef struct bytes_case {
	const uint8_t	*b;
	size_t		len;
} bytes_case_t;

/* Bytes and their serial in text, NULL when they are refused (an empty output). */
typedef struct bytes_row {
	const char	*name;
	bytes_case_t	cases[2];	//!< up to the first without `b`
	const char	*want;
} bytes_row_t;

static const bytes_row_t bytes_rows[] = {
	{ "bytes_with_leading_zero_bytes__match_text_form",
	  { { (const uint8_t[]){ 0x00, 0x00, 0x2a, 0x01 }, 4 } }, "2a01" },
	{ "bytes_with_leading_zero_nibble__drop_it", { { (const uint8_t[]){ 0x0a, 0xbc }, 2 } }, "abc" },
	{ "bytes_all_zero_or_none__give_zero",
	  { { (const uint8_t[]){ 0x00, 0x00 }, 2 }, { (const uint8_t[]){ 0x00, 0x00 }, 0 } }, "0" },
	/* A DER sign octet, then 20 significant bytes. */
	{ "twenty_bytes__are_accepted",
	  { { (const uint8_t[21]){ 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
				   0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, 21 } },
	  FORTY("f") },
	{ "twenty_one_significant_bytes__are_refused",
	  { { (const uint8_t[21]){ 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
				   0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01 }, 21 } },
	  NULL },
	{ "many_leading_zero_bytes__are_skipped", { { (const uint8_t[200]){ [199] = 0x05 }, 200 } }, "5" },
};

static void run_bytes_row(void **state)
{
	const bytes_row_t *r = *state;

	for (size_t i = 0; i < TABLE_LEN(r->cases) && r->cases[i].b; i++) {
		char out[CW_SERIAL_HEX_MAX + 1];

		assert_int_equal(cw_serial_from_bytes(r->cases[i].b, r->cases[i].len, out), r->want ? 0 : -1);
		assert_string_equal(out, r->want ? r->want : "");
	}
}

int main(void)
{
	static const struct CMUnitTest specific[] = {
		cmocka_unit_test(embedded_nul__is_refused),
	};
	struct CMUnitTest tests[TABLE_LEN(text_rows) + TABLE_LEN(specific) + TABLE_LEN(bytes_rows)];
	size_t n = 0;

	TABLE_TESTS(tests, n, text_rows, run_text_row, NULL);
	TABLE_TESTS_OF(tests, n, specific);
	TABLE_TESTS(tests, n, bytes_rows, run_bytes_row, NULL);
	return _cmocka_run_group_tests("serial", tests, n, NULL, NULL);
}
