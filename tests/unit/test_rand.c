/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_rand.c - unit tests for lib/core/rand.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rand.h"

#define ALPHABET_LEN (sizeof(CW_PASSWORD_ALPHABET) - 1)

/* Check that pw is `groups` groups of `group_len` alphabet characters joined by '-'. */
static void assert_password_shape(const char *pw, unsigned groups, unsigned group_len)
{
	size_t i, len = strlen(pw);

	assert_int_equal(len, (size_t)groups * (group_len + 1) - 1);
	for (i = 0; i < len; i++) {
		if ((i + 1) % (group_len + 1) == 0) {
			assert_int_equal(pw[i], '-');
		} else if (strchr(CW_PASSWORD_ALPHABET, pw[i]) == NULL || pw[i] == '\0') {
			fail_msg("character '%c' at %zu of \"%s\" is not in the alphabet", pw[i], i, pw);
		}
	}
}

static void alphabet__has_31_unambiguous_symbols(void **state)
{
	(void)state;
	assert_int_equal(ALPHABET_LEN, 31);
	assert_null(strpbrk(CW_PASSWORD_ALPHABET, "01ilo"));
}

static void password__has_groups_joined_by_dashes(void **state)
{
	char pw[3 * 6];
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_password_generate(pw, sizeof(pw), 3, 5, &err), 0);
	assert_password_shape(pw, 3, 5);
	assert_int_equal(pw[5], '-');
	assert_int_equal(pw[11], '-');
}

static void single_group__has_no_dash(void **state)
{
	char pw[9];

	(void)state;
	assert_int_equal(cw_password_generate(pw, sizeof(pw), 1, 8, NULL), 0);
	assert_password_shape(pw, 1, 8);
	assert_null(strchr(pw, '-'));
}

static void various_shapes__are_respected(void **state)
{
	static const unsigned shapes[][2] = { { 1, 1 }, { 4, 4 }, { 6, 3 }, { 2, 20 } };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		char pw[64];

		assert_int_equal(cw_password_generate(pw, sizeof(pw), shapes[i][0], shapes[i][1], NULL), 0);
		assert_password_shape(pw, shapes[i][0], shapes[i][1]);
	}
}

static void two_passwords__differ(void **state)
{
	char a[18], b[18];

	(void)state;
	assert_int_equal(cw_password_generate(a, sizeof(a), 3, 5, NULL), 0);
	assert_int_equal(cw_password_generate(b, sizeof(b), 3, 5, NULL), 0);
	assert_string_not_equal(a, b);
}

static void many_characters__use_the_whole_alphabet_only(void **state)
{
	char pw[2000 * 2];
	size_t seen[ALPHABET_LEN] = { 0 };
	size_t i;

	(void)state;
	assert_int_equal(cw_password_generate(pw, sizeof(pw), 2000, 1, NULL), 0);
	assert_int_equal(strlen(pw), 2000 * 2 - 1);
	for (i = 0; i < 2000 * 2; i += 2) {
		const char *p = strchr(CW_PASSWORD_ALPHABET, pw[i]);

		assert_non_null(p);
		seen[p - CW_PASSWORD_ALPHABET]++;
	}
	/* 2000 draws over 31 symbols: each is expected about 64 times. */
	for (i = 0; i < ALPHABET_LEN; i++) {
		if (seen[i] == 0) fail_msg("symbol '%c' never drawn", CW_PASSWORD_ALPHABET[i]);
	}
}

static void buffer_one_byte_too_small__is_refused(void **state)
{
	char pw[18];
	cw_err_t err = { "" };

	(void)state;
	memset(pw, 'X', sizeof(pw));
	assert_int_equal(cw_password_generate(pw, 17, 3, 5, &err), -1);
	assert_string_equal(pw, "");
	assert_string_equal(err.msg, "password buffer holds 17 bytes, 18 needed");
}

static void zero_groups_or_length__are_refused(void **state)
{
	char pw[16];
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_password_generate(pw, sizeof(pw), 0, 5, &err), -1);
	assert_non_null(strstr(err.msg, "at least one group"));
	assert_int_equal(cw_password_generate(pw, sizeof(pw), 3, 0, &err), -1);
	assert_non_null(strstr(err.msg, "at least one character"));
}

static void huge_shape__is_refused_without_overflow(void **state)
{
	char pw[16];
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_password_generate(pw, sizeof(pw), UINT32_MAX, UINT32_MAX, &err), -1);
	/* on LP64 the size fits size_t; on 32-bit systems it is caught as too long */
	assert_true(strstr(err.msg, "password buffer holds 16 bytes") != NULL || strstr(err.msg, "too long") != NULL);
	assert_int_equal(cw_password_generate(NULL, 0, 1, 1, NULL), -1);
}

static void random_bytes__fill_the_buffer(void **state)
{
	uint8_t buf[4096];
	size_t i, zeros = 0;

	(void)state;
	memset(buf, 0, sizeof(buf));
	assert_int_equal(cw_random_bytes(buf, sizeof(buf), NULL), 0);
	for (i = 0; i < sizeof(buf); i++) zeros += buf[i] == 0;
	/* about 16 zero bytes are expected; 200 would mean part was never written */
	assert_true(zeros < 200);
	for (i = 0; i + 64 <= sizeof(buf); i += 64) {
		static const uint8_t zero64[64];

		assert_memory_not_equal(buf + i, zero64, 64);
	}
}

static void random_bytes_of_zero_length__succeed(void **state)
{
	uint8_t b = 0xaa;

	(void)state;
	assert_int_equal(cw_random_bytes(&b, 0, NULL), 0);
	assert_int_equal(b, 0xaa);
}

static void two_random_draws__differ(void **state)
{
	uint8_t a[32], b[32];

	(void)state;
	assert_int_equal(cw_random_bytes(a, sizeof(a), NULL), 0);
	assert_int_equal(cw_random_bytes(b, sizeof(b), NULL), 0);
	assert_memory_not_equal(a, b, sizeof(a));
}

static void large_request__is_read_in_full(void **state)
{
	static const uint8_t zero64[64];
	size_t len = 1 << 20;
	uint8_t *buf = calloc(1, len);

	(void)state;
	assert_non_null(buf);
	assert_int_equal(cw_random_bytes(buf, len, NULL), 0);
	/* the last bytes are written too, past any short read */
	assert_memory_not_equal(buf + len - 64, zero64, 64);
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alphabet__has_31_unambiguous_symbols),
		cmocka_unit_test(password__has_groups_joined_by_dashes),
		cmocka_unit_test(single_group__has_no_dash),
		cmocka_unit_test(various_shapes__are_respected),
		cmocka_unit_test(two_passwords__differ),
		cmocka_unit_test(many_characters__use_the_whole_alphabet_only),
		cmocka_unit_test(buffer_one_byte_too_small__is_refused),
		cmocka_unit_test(zero_groups_or_length__are_refused),
		cmocka_unit_test(huge_shape__is_refused_without_overflow),
		cmocka_unit_test(random_bytes__fill_the_buffer),
		cmocka_unit_test(random_bytes_of_zero_length__succeed),
		cmocka_unit_test(two_random_draws__differ),
		cmocka_unit_test(large_request__is_read_in_full),
	};

	return cmocka_run_group_tests_name("rand", tests, NULL, NULL);
}
