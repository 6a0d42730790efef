/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_buf.c - unit tests for lib/core/buf.c, the growing text buffer:
 * growth keeps the text, the limit and a refused value make it fail and
 * stay failed, and a failed buffer hands nothing over.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"

static void buf__grows_and_keeps_the_text(void **state)
{
	cw_buf_t b = CW_BUF_INIT(0);
	char *out, want[5001];
	size_t len;

	(void)state;
	for (int i = 0; i < 1000; i++) cw_buf_printf(&b, "%04d|", i);
	for (int i = 0; i < 1000; i++) snprintf(want + 5 * i, 6, "%04d|", i);
	assert_false(cw_buf_failed(&b));
	assert_int_equal(cw_buf_finish(&b, &out, &len), 0);
	assert_int_equal(len, 5000);
	assert_string_equal(out, want);
	assert_null(b.p);
	cw_buf_free_text(out, len);
}

static void buf__empty_is_an_empty_string(void **state)
{
	cw_buf_t b = CW_BUF_INIT(16);
	char *out;
	size_t len;

	(void)state;
	assert_int_equal(cw_buf_finish(&b, &out, &len), 0);
	assert_non_null(out);
	assert_int_equal(len, 0);
	assert_string_equal(out, "");
	cw_buf_free_text(out, len);
}

static void buf__the_limit_fails_and_stays_failed(void **state)
{
	cw_buf_t b = CW_BUF_INIT(8);
	char *out = (char *)1;
	size_t len = 1;

	(void)state;
	cw_buf_str(&b, "1234567");	/* 7 bytes and the NUL: at the limit */
	assert_false(cw_buf_failed(&b));
	cw_buf_str(&b, "8");
	assert_true(cw_buf_failed(&b));
	assert_int_equal(b.state, CW_BUF_TOO_LARGE);
	cw_buf_fail(&b, CW_BUF_NOMEM);	/* the first failure is kept */
	assert_int_equal(b.state, CW_BUF_TOO_LARGE);
	assert_int_equal(cw_buf_finish(&b, &out, &len), -1);
	assert_null(out);
	assert_int_equal(len, 0);
	assert_null(b.p);
	assert_int_equal(b.state, CW_BUF_TOO_LARGE);
}

static void buf__a_refused_value_fails_the_rest(void **state)
{
	cw_buf_t b = CW_BUF_INIT(0);
	char *out;
	size_t len;

	(void)state;
	cw_buf_str(&b, "before ");
	cw_buf_fail(&b, CW_BUF_REFUSED);
	cw_buf_str(&b, "after");
	assert_int_equal(b.len, 7);
	assert_int_equal(cw_buf_finish(&b, &out, &len), -1);
	assert_null(out);
}

static void buf__base64_lines(void **state)
{
	cw_buf_t b = CW_BUF_INIT(0);
	const unsigned char data[] = "any carnal pleasure.";
	char *out;
	size_t len;

	(void)state;
	cw_buf_base64(&b, data, 20, 0, NULL);
	cw_buf_str(&b, "|");
	cw_buf_base64(&b, data, 20, 16, "\r\n");
	assert_int_equal(cw_buf_finish(&b, &out, &len), 0);
	assert_string_equal(out, "YW55IGNhcm5hbCBwbGVhc3VyZS4=|YW55IGNhcm5hbCBw\r\nbGVhc3VyZS4=\r\n");
	cw_buf_free_text(out, len);

	cw_buf_base64(&b, data, 20, 6, "\n");	/* not a multiple of 4 */
	assert_true(cw_buf_failed(&b));
	cw_buf_discard(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf__grows_and_keeps_the_text),
		cmocka_unit_test(buf__empty_is_an_empty_string),
		cmocka_unit_test(buf__the_limit_fails_and_stays_failed),
		cmocka_unit_test(buf__a_refused_value_fails_the_rest),
		cmocka_unit_test(buf__base64_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
