/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_serial.c - unit tests for lib/core/serial.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "serial.h"

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

static void assert_normalises_to(const char *in, const char *want)
{
	char out[CW_SERIAL_HEX_MAX + 1];
	cw_err_t err = { "" };

	assert_int_equal(normalise(in, out, &err), 0);
	assert_string_equal(out, want);
}

static void assert_refused(const char *in, const char *msg_part)
{
	char out[CW_SERIAL_HEX_MAX + 1];
	cw_err_t err = { "" };

	assert_int_equal(normalise(in, out, &err), -1);
	assert_string_equal(out, "");
	assert_non_null(strstr(err.msg, msg_part));
}

/* A string of n copies of c. */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void colon_separated_uppercase__is_lowercased_without_colons(void **state)
{
	(void)state;
	assert_normalises_to("2A:01", "2a01");
}

static void hex_prefix__is_dropped(void **state)
{
	(void)state;
	assert_normalises_to("0x2a01", "2a01");
	assert_normalises_to("0X2A01", "2a01");
}

static void space_separated__is_joined(void **state)
{
	(void)state;
	assert_normalises_to("2a 01", "2a01");
}

static void all_spellings_of_one_serial__compare_equal(void **state)
{
	static const char *forms[] = { "2a01", "2A01", "2A:01", "0x2a01", "2a 01", "00:2a:01", "0x002A01" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) assert_normalises_to(forms[i], "2a01");
}

static void leading_zeros__are_dropped(void **state)
{
	(void)state;
	assert_normalises_to("00:00:2a:01", "2a01");
	assert_normalises_to("0001", "1");
}

static void zero__is_written_as_single_zero(void **state)
{
	(void)state;
	assert_normalises_to("00", "0");
	assert_normalises_to("0", "0");
	assert_normalises_to("0x00:00", "0");
}

static void forty_significant_digits__are_accepted(void **state)
{
	char *forty = repeat('f', 40);

	(void)state;
	assert_normalises_to(forty, forty);
	free(forty);
}

static void forty_digits_after_leading_zeros__are_accepted(void **state)
{
	char in[4 + 40 + 1];
	char *forty = repeat('a', 40);

	(void)state;
	memcpy(in, "0000", 4);
	memcpy(in + 4, forty, 40 + 1);
	assert_normalises_to(in, forty);
	free(forty);
}

static void forty_one_significant_digits__are_refused(void **state)
{
	char *fortyone = repeat('1', 41);

	(void)state;
	assert_refused(fortyone, "longer than 40 hex digits");
	free(fortyone);
}

static void non_hex_character__is_refused(void **state)
{
	(void)state;
	assert_refused("2g01", "not a hex digit");
	assert_refused("2a-01", "not a hex digit");
	assert_refused("2a01\n", "not a hex digit");
}

static void hex_prefix_not_at_start__is_refused(void **state)
{
	(void)state;
	assert_refused("2a0x01", "not a hex digit");
}

static void embedded_nul__is_refused(void **state)
{
	static const char in[] = { '2', 'a', '\0', '0', '1' };
	char out[CW_SERIAL_HEX_MAX + 1];

	(void)state;
	assert_int_equal(cw_serial_normalise(in, sizeof(in), out, NULL), -1);
}

static void empty_input__is_refused(void **state)
{
	char out[CW_SERIAL_HEX_MAX + 1];
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_serial_normalise("", 0, out, &err), -1);
	assert_non_null(strstr(err.msg, "empty"));
}

static void only_separators__is_refused(void **state)
{
	(void)state;
	assert_refused("::  :", "no hex digit");
	assert_refused("0x", "no hex digit");
}

static void input_of_exactly_max_length__is_accepted(void **state)
{
	char *in = repeat('0', CW_SERIAL_INPUT_MAX);

	(void)state;
	in[CW_SERIAL_INPUT_MAX - 1] = '7';
	assert_normalises_to(in, "7");
	free(in);
}

static void input_longer_than_max__is_refused(void **state)
{
	char *in = repeat('0', CW_SERIAL_INPUT_MAX + 1);

	(void)state;
	assert_refused(in, "longer than 128 characters");
	free(in);
}

static void null_err__is_allowed(void **state)
{
	char out[CW_SERIAL_HEX_MAX + 1];

	(void)state;
	assert_int_equal(cw_serial_normalise("zz", 2, out, NULL), -1);
}

static void bytes_with_leading_zero_bytes__match_text_form(void **state)
{
	static const uint8_t bytes[] = { 0x00, 0x00, 0x2a, 0x01 };
	char out[CW_SERIAL_HEX_MAX + 1];

	(void)state;
	assert_int_equal(cw_serial_from_bytes(bytes, sizeof(bytes), out), 0);
	assert_string_equal(out, "2a01");
}

static void bytes_with_leading_zero_nibble__drop_it(void **state)
{
	static const uint8_t bytes[] = { 0x0a, 0xbc };
	char out[CW_SERIAL_HEX_MAX + 1];

	(void)state;
	assert_int_equal(cw_serial_from_bytes(bytes, sizeof(bytes), out), 0);
	assert_string_equal(out, "abc");
}

static void bytes_all_zero_or_none__give_zero(void **state)
{
	static const uint8_t zeros[] = { 0x00, 0x00 };
	char out[CW_SERIAL_HEX_MAX + 1];

	(void)state;
	assert_int_equal(cw_serial_from_bytes(zeros, sizeof(zeros), out), 0);
	assert_string_equal(out, "0");
	assert_int_equal(cw_serial_from_bytes(zeros, 0, out), 0);
	assert_string_equal(out, "0");
}

static void twenty_bytes__are_accepted(void **state)
{
	uint8_t bytes[21];
	char out[CW_SERIAL_HEX_MAX + 1];

	(void)state;
	memset(bytes, 0xff, sizeof(bytes));
	bytes[0] = 0x00;	/* DER sign octet */
	assert_int_equal(cw_serial_from_bytes(bytes, sizeof(bytes), out), 0);
	assert_int_equal(strlen(out), 40);
}

static void twenty_one_significant_bytes__are_refused(void **state)
{
	uint8_t bytes[21];
	char out[CW_SERIAL_HEX_MAX + 1];

	(void)state;
	memset(bytes, 0x01, sizeof(bytes));
	assert_int_equal(cw_serial_from_bytes(bytes, sizeof(bytes), out), -1);
	assert_string_equal(out, "");
}

static void many_leading_zero_bytes__are_skipped(void **state)
{
	uint8_t bytes[200];
	char out[CW_SERIAL_HEX_MAX + 1];

	(void)state;
	memset(bytes, 0, sizeof(bytes));
	bytes[199] = 0x05;
	assert_int_equal(cw_serial_from_bytes(bytes, sizeof(bytes), out), 0);
	assert_string_equal(out, "5");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(colon_separated_uppercase__is_lowercased_without_colons),
		cmocka_unit_test(hex_prefix__is_dropped),
		cmocka_unit_test(space_separated__is_joined),
		cmocka_unit_test(all_spellings_of_one_serial__compare_equal),
		cmocka_unit_test(leading_zeros__are_dropped),
		cmocka_unit_test(zero__is_written_as_single_zero),
		cmocka_unit_test(forty_significant_digits__are_accepted),
		cmocka_unit_test(forty_digits_after_leading_zeros__are_accepted),
		cmocka_unit_test(forty_one_significant_digits__are_refused),
		cmocka_unit_test(non_hex_character__is_refused),
		cmocka_unit_test(hex_prefix_not_at_start__is_refused),
		cmocka_unit_test(embedded_nul__is_refused),
		cmocka_unit_test(empty_input__is_refused),
		cmocka_unit_test(only_separators__is_refused),
		cmocka_unit_test(input_of_exactly_max_length__is_accepted),
		cmocka_unit_test(input_longer_than_max__is_refused),
		cmocka_unit_test(null_err__is_allowed),
		cmocka_unit_test(bytes_with_leading_zero_bytes__match_text_form),
		cmocka_unit_test(bytes_with_leading_zero_nibble__drop_it),
		cmocka_unit_test(bytes_all_zero_or_none__give_zero),
		cmocka_unit_test(twenty_bytes__are_accepted),
		cmocka_unit_test(twenty_one_significant_bytes__are_refused),
		cmocka_unit_test(many_leading_zero_bytes__are_skipped),
	};

	return cmocka_run_group_tests_name("serial", tests, NULL, NULL);
}
