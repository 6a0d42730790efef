/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_clock.c - unit tests for lib/core/clock.c.
 *
 * Classification is tested from given adjtimex values, as the kernel would
 * report them under ntpd, chrony (with and without rtcsync) and no daemon.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>
#include <cmocka.h>

#include "clock.h"

static cw_clock_t classify(int state, int status, long maxerror_us, long bound_us)
{
	cw_clock_t c;

	memset(&c, 0x55, sizeof(c));
	cw_clock_classify(state, status, maxerror_us, bound_us, &c);
	return c;
}

static void assert_described(const cw_clock_t *c, const char *expected)
{
	char buf[128];

	assert_int_equal(cw_clock_describe(c, buf, sizeof(buf)), 0);
	assert_string_equal(buf, expected);
}

static void ntp_ok_with_small_maxerror__is_synced(void **state)
{
	cw_clock_t c = classify(TIME_OK, 0, 1000, 0);

	(void)state;
	assert_true(c.synced);
	assert_int_equal(c.error_us, 1000);
	assert_int_equal(c.state, TIME_OK);
	assert_false(c.unsync_flag);
}

static void chrony_unsync_flag_with_small_maxerror__is_synced(void **state)
{
	/* chrony without rtcsync: STA_UNSYNC stays set, so the state is TIME_ERROR */
	cw_clock_t c = classify(TIME_ERROR, STA_UNSYNC | STA_PLL, 2000, 0);

	(void)state;
	assert_true(c.synced);
	assert_int_equal(c.error_us, 2000);
	assert_int_equal(c.state, TIME_ERROR);
	assert_true(c.unsync_flag);
}

static void time_ok_with_capped_maxerror__is_not_synced(void **state)
{
	/* a huge bound must not lift the kernel's cap */
	cw_clock_t c = classify(TIME_OK, 0, CW_CLOCK_MAXERROR_CAP_US, 0);
	cw_clock_t big = classify(TIME_OK, 0, CW_CLOCK_MAXERROR_CAP_US, 2 * CW_CLOCK_MAXERROR_CAP_US);

	(void)state;
	assert_false(c.synced);
	assert_int_equal(c.error_us, CW_CLOCK_MAXERROR_CAP_US);
	assert_false(big.synced);
}

static void time_error_with_capped_maxerror__is_not_synced(void **state)
{
	cw_clock_t c = classify(TIME_ERROR, STA_UNSYNC, 16000000L, 0);

	(void)state;
	assert_false(c.synced);
	assert_int_equal(c.error_us, 16000000L);
	assert_true(c.unsync_flag);
}

static void maxerror_just_under_default_bound__is_synced(void **state)
{
	cw_clock_t c = classify(TIME_OK, 0, CW_CLOCK_BOUND_US_DEFAULT - 1, 0);

	(void)state;
	assert_true(c.synced);
}

static void maxerror_equal_to_default_bound__is_not_synced(void **state)
{
	cw_clock_t c = classify(TIME_OK, 0, CW_CLOCK_BOUND_US_DEFAULT, 0);

	(void)state;
	assert_false(c.synced);
}

static void custom_bound__replaces_the_default(void **state)
{
	(void)state;
	assert_true(classify(TIME_OK, 0, 99999, 100000).synced);
	assert_false(classify(TIME_OK, 0, 100000, 100000).synced);
	/* 200 ms: over the custom bound, well under the default one */
	assert_false(classify(TIME_OK, 0, 200000, 100000).synced);
	assert_true(classify(TIME_OK, 0, 200000, 0).synced);
}

static void bound_zero_or_negative__means_the_default(void **state)
{
	(void)state;
	assert_true(classify(TIME_OK, 0, 4999999, 0).synced);
	assert_false(classify(TIME_OK, 0, 5000000, 0).synced);
	assert_true(classify(TIME_OK, 0, 4999999, -1).synced);
	assert_false(classify(TIME_OK, 0, 5000000, -1).synced);
}

static void adjtimex_failure__is_not_synced_with_unknown_error(void **state)
{
	cw_clock_t c = classify(-1, STA_UNSYNC, 1000, 0);

	(void)state;
	assert_false(c.synced);
	assert_int_equal(c.error_us, -1);
	assert_int_equal(c.state, -1);
}

static void negative_maxerror__is_not_synced(void **state)
{
	cw_clock_t c = classify(TIME_OK, 0, -5, 0);

	(void)state;
	assert_false(c.synced);
	assert_false(classify(TIME_OK, 0, -1, 100000).synced);
}

static void unsync_flag__reflects_sta_unsync_only(void **state)
{
	(void)state;
	assert_true(classify(TIME_OK, STA_UNSYNC, 1000, 0).unsync_flag);
	assert_true(classify(TIME_ERROR, STA_UNSYNC | STA_CLOCKERR, 1000, 0).unsync_flag);
	assert_false(classify(TIME_ERROR, STA_CLOCKERR, 1000, 0).unsync_flag);
	assert_false(classify(TIME_OK, STA_PLL | STA_NANO, 1000, 0).unsync_flag);
}

static void describe_synced__shows_unit_for_size(void **state)
{
	cw_clock_t c = classify(TIME_OK, 0, 850, 0);

	(void)state;
	assert_described(&c, "synchronised (max error 850 us)");
	c = classify(TIME_OK, 0, 999, 0);
	assert_described(&c, "synchronised (max error 999 us)");
	c = classify(TIME_OK, 0, 1000, 0);
	assert_described(&c, "synchronised (max error 1.0 ms)");
	c = classify(TIME_ERROR, STA_UNSYNC, 12300, 0);
	assert_described(&c, "synchronised (max error 12.3 ms)");
	c = classify(TIME_OK, 0, 12345, 0);
	assert_described(&c, "synchronised (max error 12.3 ms)");
	c = classify(TIME_OK, 0, 999960, 0);
	assert_described(&c, "synchronised (max error 1 s)");
	c = classify(TIME_OK, 0, 2500000, 0);
	assert_described(&c, "synchronised (max error 2.5 s)");
}

static void describe_not_synced__says_so(void **state)
{
	cw_clock_t c = classify(TIME_ERROR, STA_UNSYNC, 16000000L, 0);

	(void)state;
	assert_described(&c, "NOT synchronised (max error 16 s)");
	c = classify(TIME_OK, 0, 200000, 100000);
	assert_described(&c, "NOT synchronised (max error 200.0 ms)");
	c = classify(TIME_OK, 0, 5000000, 0);
	assert_described(&c, "NOT synchronised (max error 5 s)");
	c = classify(TIME_OK, 0, -5, 0);
	assert_described(&c, "NOT synchronised (max error unknown)");
}

static void describe_adjtimex_failure__is_unknown(void **state)
{
	cw_clock_t c = classify(-1, 0, 0, 0);

	(void)state;
	assert_described(&c, "unknown (adjtimex failed)");
}

static void describe_into_small_buffer__fails_terminated(void **state)
{
	cw_clock_t c = classify(TIME_OK, 0, 12300, 0);
	char buf[10];
	char exact[sizeof("synchronised (max error 12.3 ms)")];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(cw_clock_describe(&c, buf, sizeof(buf)), -1);
	assert_non_null(memchr(buf, '\0', sizeof(buf)));
	/* one byte short of the text and its NUL fails; the exact size fits */
	assert_int_equal(cw_clock_describe(&c, exact, sizeof(exact) - 1), -1);
	assert_int_equal(cw_clock_describe(&c, exact, sizeof(exact)), 0);
	assert_string_equal(exact, "synchronised (max error 12.3 ms)");
	assert_int_equal(cw_clock_describe(&c, buf, 0), -1);
	assert_int_equal(cw_clock_describe(&c, NULL, 10), -1);
}

static void read_on_this_machine__is_consistent(void **state)
{
	static const long bounds[] = { 0, 100000, CW_CLOCK_BOUND_US_DEFAULT };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++) {
		long bound = bounds[i] > 0 ? bounds[i] : CW_CLOCK_BOUND_US_DEFAULT;
		cw_clock_t c;
		char buf[128];

		memset(&c, 0x55, sizeof(c));
		cw_clock_read(bounds[i], &c);
		assert_int_not_equal(c.state, -1);
		assert_true(c.error_us >= 0);
		assert_true(c.error_us <= CW_CLOCK_MAXERROR_CAP_US);
		assert_int_equal(c.synced, c.error_us < bound && c.error_us < CW_CLOCK_MAXERROR_CAP_US);
		assert_int_equal(cw_clock_describe(&c, buf, sizeof(buf)), 0);
	}
}

/* Monotonic milliseconds never go back and follow a sleep (within a generous bound). */
static void monotonic_ms__never_goes_back_and_follows_a_sleep(void **state)
{
	struct timespec twenty = { .tv_sec = 0, .tv_nsec = 20 * 1000000 };
	int64_t a, b, prev;

	(void)state;
	prev = a = cw_monotonic_ms();
	assert_true(a > 0);
	for (int i = 0; i < 100000; i++) {
		int64_t now = cw_monotonic_ms();

		assert_true(now >= prev);
		prev = now;
	}
	nanosleep(&twenty, NULL);
	b = cw_monotonic_ms();
	assert_true(b - a >= 20);
	assert_true(b - a < 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(monotonic_ms__never_goes_back_and_follows_a_sleep),
		cmocka_unit_test(ntp_ok_with_small_maxerror__is_synced),
		cmocka_unit_test(chrony_unsync_flag_with_small_maxerror__is_synced),
		cmocka_unit_test(time_ok_with_capped_maxerror__is_not_synced),
		cmocka_unit_test(time_error_with_capped_maxerror__is_not_synced),
		cmocka_unit_test(maxerror_just_under_default_bound__is_synced),
		cmocka_unit_test(maxerror_equal_to_default_bound__is_not_synced),
		cmocka_unit_test(custom_bound__replaces_the_default),
		cmocka_unit_test(bound_zero_or_negative__means_the_default),
		cmocka_unit_test(adjtimex_failure__is_not_synced_with_unknown_error),
		cmocka_unit_test(negative_maxerror__is_not_synced),
		cmocka_unit_test(unsync_flag__reflects_sta_unsync_only),
		cmocka_unit_test(describe_synced__shows_unit_for_size),
		cmocka_unit_test(describe_not_synced__says_so),
		cmocka_unit_test(describe_adjtimex_failure__is_unknown),
		cmocka_unit_test(describe_into_small_buffer__fails_terminated),
		cmocka_unit_test(read_on_this_machine__is_consistent),
	};

	return cmocka_run_group_tests_name("clock", tests, NULL, NULL);
}
