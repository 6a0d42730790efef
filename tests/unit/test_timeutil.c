/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_timeutil.c - unit tests for lib/core/timeutil.c.
 *
 * Expected instants were computed with GNU date, e.g.
 * TZ=Europe/Berlin date -d '2026-03-29 00:00' +%s.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "timeutil.h"

static void use_tz(const char *tz)
{
	assert_int_equal(setenv("TZ", tz, 1), 0);
	tzset();
}

static int restore_utc(void **state)
{
	(void)state;
	use_tz("UTC");
	return 0;
}

static cw_date_t date_of(const char *s)
{
	cw_date_t d;
	cw_err_t err = { "" };

	if (cw_date_parse(s, &d, &err) != 0) fail_msg("%s: %s", s, err.msg);
	return d;
}

static void assert_date_refused(const char *s, const char *msg_part)
{
	cw_date_t d = { 1, 2, 3 };
	cw_err_t err = { "" };

	assert_int_equal(cw_date_parse(s, &d, &err), -1);
	assert_int_equal(d.year, 1);	/* left alone */
	if (strstr(err.msg, msg_part) == NULL) fail_msg("\"%s\": message \"%s\" lacks \"%s\"", s, err.msg, msg_part);
}

static int64_t local_start(const char *s)
{
	cw_date_t d = date_of(s);
	int64_t t = 12345;

	assert_int_equal(cw_date_local_start(&d, &t), 0);
	return t;
}

static int64_t local_end(const char *s)
{
	cw_date_t d = date_of(s);
	int64_t t = 12345;

	assert_int_equal(cw_date_local_end(&d, &t), 0);
	return t;
}

/* ---- cw_date_parse ---- */

static void last_day_of_year__is_parsed(void **state)
{
	cw_date_t d = date_of("2027-12-31");

	(void)state;
	assert_int_equal(d.year, 2027);
	assert_int_equal(d.month, 12);
	assert_int_equal(d.day, 31);
}

static void leap_days__are_accepted(void **state)
{
	cw_date_t d = date_of("2028-02-29");

	(void)state;
	assert_int_equal(d.month, 2);
	assert_int_equal(d.day, 29);
	(void)date_of("2000-02-29");
}

static void february_29_in_common_year__is_refused(void **state)
{
	(void)state;
	assert_date_refused("2027-02-29", "2027-02 has no day 29");
	assert_date_refused("2100-02-29", "2100-02 has no day 29");
}

static void thirty_first_of_short_month__is_refused(void **state)
{
	(void)state;
	assert_date_refused("2027-04-31", "2027-04 has no day 31");
	assert_date_refused("2027-04-00", "2027-04 has no day 00");
}

static void month_13_and_month_0__are_refused(void **state)
{
	(void)state;
	assert_date_refused("2027-13-01", "month 13 is outside 01-12");
	assert_date_refused("2027-00-01", "month 00 is outside 01-12");
}

static void year_1969__is_refused(void **state)
{
	(void)state;
	assert_date_refused("1969-12-31", "year 1969 is outside 1970-9998");
	assert_date_refused("0000-01-01", "year 0 is outside");
	assert_date_refused("9999-12-31", "year 9999 is outside 1970-9998");
	(void)date_of("1970-01-01");
	(void)date_of("9998-12-31");
}

static void other_shapes__are_refused(void **state)
{
	static const char *bad[] = {
		"2027-1-01", "2027-01-1", "27-01-01", " 2027-12-31", "2027-12-31 ", "2027-12-31x",
		"2027/12/31", "20271231", "+027-12-31", "2027-+1-01", "2027-12-31T00:00", "", "2027-12-3",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) assert_date_refused(bad[i], "not in the form YYYY-MM-DD");
}

static void null_date_string__is_refused(void **state)
{
	cw_date_t d;

	(void)state;
	assert_int_equal(cw_date_parse(NULL, &d, NULL), -1);
}

/* ---- local start and end of a date ---- */

static void tokyo_day__starts_at_local_midnight(void **state)
{
	(void)state;
	use_tz("Asia/Tokyo");
	assert_int_equal(local_start("2027-12-31"), 1830178800);
	assert_int_equal(local_end("2027-12-31"), 1830265200);
}

static void utc_day__starts_at_utc_midnight(void **state)
{
	(void)state;
	use_tz("UTC");
	assert_int_equal(local_start("2027-12-31"), 1830211200);
	assert_int_equal(local_end("2027-12-31"), 1830297600);
	assert_int_equal(local_start("1970-01-01"), 0);
}

static void first_day_east_of_utc__starts_before_the_epoch(void **state)
{
	(void)state;
	use_tz("Asia/Tokyo");
	assert_int_equal(local_start("1970-01-01"), -32400);
}

static void berlin_spring_forward_day__lasts_23_hours(void **state)
{
	(void)state;
	use_tz("Europe/Berlin");
	assert_int_equal(local_start("2026-03-29"), 1774738800);
	assert_int_equal(local_end("2026-03-29"), 1774821600);
	assert_int_equal(local_end("2026-03-29") - local_start("2026-03-29"), 23 * 3600);
}

static void berlin_fall_back_day__lasts_25_hours(void **state)
{
	(void)state;
	use_tz("Europe/Berlin");
	assert_int_equal(local_start("2026-10-25"), 1792879200);
	assert_int_equal(local_end("2026-10-25") - local_start("2026-10-25"), 25 * 3600);
}

static void havana_fall_back_at_midnight__starts_at_first_midnight(void **state)
{
	(void)state;
	/* Cuba set clocks back from 01:00 to 00:00 on 2024-11-03: 00:00 came twice. */
	use_tz("America/Havana");
	assert_int_equal(local_start("2024-11-03"), 1730606400);
	assert_int_equal(local_end("2024-11-03") - local_start("2024-11-03"), 25 * 3600);
}

static void sao_paulo_midnight_in_gap__starts_at_one_oclock(void **state)
{
	char text[CW_DATE_LEN];

	(void)state;
	/* Brazil went from 00:00 straight to 01:00 on 2018-11-04. */
	use_tz("America/Sao_Paulo");
	assert_int_equal(local_start("2018-11-04"), 1541300400);
	assert_int_equal(cw_date_format_local(1541300400 - 1, text), 0);
	assert_string_equal(text, "2018-11-03");
}

static void end_of_day__is_start_of_next_across_month_and_year(void **state)
{
	static const char *pairs[][2] = {
		{ "2027-12-31", "2028-01-01" }, { "2028-02-28", "2028-02-29" },
		{ "2028-02-29", "2028-03-01" }, { "2027-02-28", "2027-03-01" },
		{ "2026-03-28", "2026-03-29" }, { "2026-04-30", "2026-05-01" },
	};
	size_t i;

	(void)state;
	use_tz("Europe/Berlin");
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		assert_int_equal(local_end(pairs[i][0]), local_start(pairs[i][1]));
	}
}

static void last_accepted_day__ends_in_a_printable_year(void **state)
{
	char buf[CW_RFC3339_MS_LEN];

	(void)state;
	use_tz("UTC");
	assert_int_equal(local_end("9998-12-31"), INT64_C(253370764800));
	assert_int_equal(cw_time_format_rfc3339_ms(local_end("9998-12-31") * 1000, buf), 0);
	assert_string_equal(buf, "9999-01-01T00:00:00.000Z");
}

static void invalid_date_struct__is_refused(void **state)
{
	static const cw_date_t bad[] = { { 2027, 2, 29 }, { 1969, 12, 31 }, { 2027, 13, 1 }, { 2027, 1, 0 }, { 9999, 1, 1 } };
	size_t i;
	int64_t t;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cw_date_local_start(&bad[i], &t), -1);
		assert_int_equal(cw_date_local_end(&bad[i], &t), -1);
	}
	assert_int_equal(cw_date_local_start(NULL, &t), -1);
}

/* ---- cw_date_format_local ---- */

static void format_local__names_the_local_date(void **state)
{
	char text[CW_DATE_LEN];

	(void)state;
	use_tz("Asia/Tokyo");
	assert_int_equal(cw_date_format_local(1830178800, text), 0);
	assert_string_equal(text, "2027-12-31");
	assert_int_equal(cw_date_format_local(1830178799, text), 0);
	assert_string_equal(text, "2027-12-30");
	use_tz("UTC");
	assert_int_equal(cw_date_format_local(0, text), 0);
	assert_string_equal(text, "1970-01-01");
}

static void format_local_of_local_start__round_trips(void **state)
{
	static const char *dates[] = { "2026-03-29", "2026-10-25", "2028-02-29", "1970-01-01", "9998-12-31" };
	static const char *zones[] = { "UTC", "Asia/Tokyo", "Europe/Berlin", "America/Havana" };
	size_t i, z;

	(void)state;
	for (z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		use_tz(zones[z]);
		for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
			char text[CW_DATE_LEN];

			assert_int_equal(cw_date_format_local(local_start(dates[i]), text), 0);
			assert_string_equal(text, dates[i]);
			assert_int_equal(cw_date_format_local(local_end(dates[i]) - 1, text), 0);
			assert_string_equal(text, dates[i]);
		}
	}
}

static void format_local_beyond_year_9999__is_refused(void **state)
{
	char text[CW_DATE_LEN];

	(void)state;
	use_tz("UTC");
	assert_int_equal(cw_date_format_local(INT64_C(253402300800), text), -1);
	assert_int_equal(cw_date_format_local(INT64_MAX, text), -1);
}

/* ---- cw_time_format_rfc3339_ms ---- */

static void assert_rfc3339(int64_t ms, const char *want)
{
	char text[CW_RFC3339_MS_LEN];

	assert_int_equal(cw_time_format_rfc3339_ms(ms, text), 0);
	assert_string_equal(text, want);
}

static void rfc3339_of_zero__is_the_epoch(void **state)
{
	(void)state;
	assert_rfc3339(0, "1970-01-01T00:00:00.000Z");
}

static void rfc3339__keeps_milliseconds(void **state)
{
	(void)state;
	assert_rfc3339(INT64_C(1795322262123), "2026-11-22T04:37:42.123Z");
}

static void rfc3339_small_milliseconds__are_zero_padded(void **state)
{
	(void)state;
	assert_rfc3339(5, "1970-01-01T00:00:00.005Z");
	assert_rfc3339(INT64_C(1795322262005), "2026-11-22T04:37:42.005Z");
	assert_rfc3339(INT64_C(1795322262050), "2026-11-22T04:37:42.050Z");
}

static void rfc3339_is_utc_whatever_the_zone(void **state)
{
	(void)state;
	use_tz("Asia/Tokyo");
	assert_rfc3339(INT64_C(1795322262123), "2026-11-22T04:37:42.123Z");
}

static void rfc3339_negative_ms__rounds_down_into_1969(void **state)
{
	(void)state;
	/* timeutil.h allows years 0..9999, so times before 1970 are formatted. */
	assert_rfc3339(-1, "1969-12-31T23:59:59.999Z");
	assert_rfc3339(-1000, "1969-12-31T23:59:59.000Z");
	assert_rfc3339(-1001, "1969-12-31T23:59:58.999Z");
}

static void rfc3339_outside_years_0_to_9999__is_refused(void **state)
{
	char text[CW_RFC3339_MS_LEN];

	(void)state;
	assert_rfc3339(INT64_C(253402300799999), "9999-12-31T23:59:59.999Z");
	assert_rfc3339(INT64_C(-62167219200000), "0000-01-01T00:00:00.000Z");
	assert_int_equal(cw_time_format_rfc3339_ms(INT64_C(253402300800000), text), -1);
	assert_string_equal(text, "");
	assert_int_equal(cw_time_format_rfc3339_ms(INT64_C(-62167219200001), text), -1);
	assert_int_equal(cw_time_format_rfc3339_ms(INT64_MAX, text), -1);
	assert_int_equal(cw_time_format_rfc3339_ms(INT64_MIN, text), -1);
}

/*
 * Found by tests/fuzz/fuzz_member: a registry time (revoked_at, membership
 * dates) multiplied by 1000 for the log overflowed int64 (undefined
 * behaviour) when the registry held a huge value. Seconds are now checked
 * before the multiplication, for every value.
 */
static void rfc3339_seconds__any_int64_is_safe(void **state)
{
	char text[CW_RFC3339_MS_LEN];

	(void)state;
	assert_int_equal(cw_time_format_rfc3339(0, text), 0);
	assert_string_equal(text, "1970-01-01T00:00:00.000Z");
	assert_int_equal(cw_time_format_rfc3339(INT64_C(253402300799), text), 0);
	assert_string_equal(text, "9999-12-31T23:59:59.000Z");
	assert_int_equal(cw_time_format_rfc3339(INT64_C(253402300800), text), -1);
	assert_int_equal(cw_time_format_rfc3339(INT64_C(72057594039959552), text), -1);
	assert_string_equal(text, "");
	assert_int_equal(cw_time_format_rfc3339(INT64_MAX / 1000 + 1, text), -1);
	assert_int_equal(cw_time_format_rfc3339(INT64_MAX, text), -1);
	assert_int_equal(cw_time_format_rfc3339(INT64_MIN, text), -1);
	assert_int_equal(cw_time_format_rfc3339(INT64_MIN / 1000 - 1, text), -1);
}

/* ---- cw_asn1_time_parse ---- */

/* Parse s from an exact-size heap copy, so ASan catches a read past len. */
static int asn1_parse_exact(const char *s, size_t len, int64_t *t)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, s, len);
	rc = cw_asn1_time_parse(copy, len, t);
	free(copy);
	return rc;
}

static void assert_asn1(const char *s, int64_t want)
{
	int64_t t = 12345;

	if (asn1_parse_exact(s, strlen(s), &t) != 0) fail_msg("\"%s\" was refused", s);
	assert_int_equal(t, want);
}

static void assert_asn1_refused(const char *s, size_t len)
{
	int64_t t = 12345;

	if (asn1_parse_exact(s, len, &t) != -1) fail_msg("\"%.*s\" was accepted", (int)len, s);
	assert_int_equal(t, 12345);
}

static void utctime_year_49__is_2049(void **state)
{
	(void)state;
	assert_asn1("491231235959Z", INT64_C(2524607999));
}

static void utctime_year_50__is_1950(void **state)
{
	(void)state;
	assert_asn1("500101000000Z", INT64_C(-631152000));
}

static void utctime_epoch_and_leap_day__are_exact(void **state)
{
	(void)state;
	assert_asn1("700101000000Z", 0);
	assert_asn1("000229120000Z", INT64_C(951825600));
}

static void utctime_one_second_before_epoch__is_minus_one(void **state)
{
	(void)state;
	assert_asn1("691231235959Z", -1);
}

static void generalizedtime__is_parsed(void **state)
{
	(void)state;
	assert_asn1("20500101000000Z", INT64_C(2524608000));
	assert_asn1("19491231235959Z", INT64_C(-631152001));
	assert_asn1("99991231235959Z", INT64_C(253402300799));
}

static void asn1_malformed_lengths__are_refused(void **state)
{
	(void)state;
	assert_asn1_refused("", 0);
	assert_asn1_refused("49123123595Z", 12);
	assert_asn1_refused("4912312359590Z", 14);
	assert_asn1_refused("2049123123595Z", 14);
	assert_asn1_refused("204912312359590Z", 16);
	assert_asn1_refused("491231235959+0000", 17);
	assert_asn1_refused("20491231235959.5Z", 17);
}

static void asn1_malformed_characters__are_refused(void **state)
{
	static const char with_nul[13] = { '4', '9', '1', '2', '3', '1', '2', '3', '5', '9', '5', '\0', 'Z' };

	(void)state;
	assert_asn1_refused("491231235959z", 13);
	assert_asn1_refused("4912312359590", 13);
	assert_asn1_refused("49123123595 Z", 13);
	assert_asn1_refused("-91231235959Z", 13);
	assert_asn1_refused("4912312359+9Z", 13);
	assert_asn1_refused("2049123123595Z9", 15);
	assert_asn1_refused("204912312359.5Z", 15);
	assert_asn1_refused(with_nul, sizeof(with_nul));
}

static void asn1_impossible_fields__are_refused(void **state)
{
	(void)state;
	assert_asn1_refused("491331235959Z", 13);	/* month 13 */
	assert_asn1_refused("490031235959Z", 13);	/* month 0 */
	assert_asn1_refused("490230000000Z", 13);	/* 30 February */
	assert_asn1_refused("490229000000Z", 13);	/* 2049 is not leap */
	assert_asn1_refused("491200000000Z", 13);	/* day 0 */
	assert_asn1_refused("491231240000Z", 13);	/* hour 24 */
	assert_asn1_refused("491231236000Z", 13);	/* minute 60 */
	assert_asn1_refused("491231235960Z", 13);	/* second 60 */
}

/* ---- cw_asn1_time_format ---- */

static void assert_asn1_format(int64_t t, const char *want)
{
	char text[16];

	assert_int_equal(cw_asn1_time_format(t, text), 0);
	assert_string_equal(text, want);
}

static void asn1_format__uses_utctime_until_2049(void **state)
{
	(void)state;
	assert_asn1_format(0, "700101000000Z");
	assert_asn1_format(INT64_C(2524607999), "491231235959Z");
	assert_asn1_format(INT64_C(-631152000), "500101000000Z");
}

static void asn1_format__switches_to_generalizedtime_for_2050(void **state)
{
	(void)state;
	assert_asn1_format(INT64_C(2524608000), "20500101000000Z");
	assert_asn1_format(INT64_C(253402300799), "99991231235959Z");
}

static void asn1_format_before_1950__uses_generalizedtime(void **state)
{
	(void)state;
	assert_asn1_format(INT64_C(-631152001), "19491231235959Z");
}

static void asn1_format_beyond_9999__is_refused(void **state)
{
	char text[16];

	(void)state;
	assert_int_equal(cw_asn1_time_format(INT64_C(253402300800), text), -1);
	assert_int_equal(cw_asn1_time_format(INT64_MIN, text), -1);
}

static void asn1_format_then_parse__round_trips(void **state)
{
	static const int64_t times[] = {
		0, -1, 1, INT64_C(1795322262), INT64_C(2524607999), INT64_C(2524608000),
		INT64_C(-631152000), INT64_C(-631152001), INT64_C(253402300799), INT64_C(951825600),
	};
	size_t i;

	(void)state;
	use_tz("Asia/Tokyo");	/* must not matter */
	for (i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		char text[16];
		int64_t back = 12345;

		assert_int_equal(cw_asn1_time_format(times[i], text), 0);
		assert_int_equal(asn1_parse_exact(text, strlen(text), &back), 0);
		assert_int_equal(back, times[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(last_day_of_year__is_parsed),
		cmocka_unit_test(leap_days__are_accepted),
		cmocka_unit_test(february_29_in_common_year__is_refused),
		cmocka_unit_test(thirty_first_of_short_month__is_refused),
		cmocka_unit_test(month_13_and_month_0__are_refused),
		cmocka_unit_test(year_1969__is_refused),
		cmocka_unit_test(other_shapes__are_refused),
		cmocka_unit_test(null_date_string__is_refused),
		cmocka_unit_test_teardown(tokyo_day__starts_at_local_midnight, restore_utc),
		cmocka_unit_test_teardown(utc_day__starts_at_utc_midnight, restore_utc),
		cmocka_unit_test_teardown(first_day_east_of_utc__starts_before_the_epoch, restore_utc),
		cmocka_unit_test_teardown(berlin_spring_forward_day__lasts_23_hours, restore_utc),
		cmocka_unit_test_teardown(berlin_fall_back_day__lasts_25_hours, restore_utc),
		cmocka_unit_test_teardown(havana_fall_back_at_midnight__starts_at_first_midnight, restore_utc),
		cmocka_unit_test_teardown(sao_paulo_midnight_in_gap__starts_at_one_oclock, restore_utc),
		cmocka_unit_test_teardown(end_of_day__is_start_of_next_across_month_and_year, restore_utc),
		cmocka_unit_test_teardown(last_accepted_day__ends_in_a_printable_year, restore_utc),
		cmocka_unit_test(invalid_date_struct__is_refused),
		cmocka_unit_test_teardown(format_local__names_the_local_date, restore_utc),
		cmocka_unit_test_teardown(format_local_of_local_start__round_trips, restore_utc),
		cmocka_unit_test_teardown(format_local_beyond_year_9999__is_refused, restore_utc),
		cmocka_unit_test(rfc3339_of_zero__is_the_epoch),
		cmocka_unit_test(rfc3339__keeps_milliseconds),
		cmocka_unit_test(rfc3339_small_milliseconds__are_zero_padded),
		cmocka_unit_test_teardown(rfc3339_is_utc_whatever_the_zone, restore_utc),
		cmocka_unit_test(rfc3339_negative_ms__rounds_down_into_1969),
		cmocka_unit_test(rfc3339_outside_years_0_to_9999__is_refused),
		cmocka_unit_test(rfc3339_seconds__any_int64_is_safe),
		cmocka_unit_test(utctime_year_49__is_2049),
		cmocka_unit_test(utctime_year_50__is_1950),
		cmocka_unit_test(utctime_epoch_and_leap_day__are_exact),
		cmocka_unit_test(utctime_one_second_before_epoch__is_minus_one),
		cmocka_unit_test(generalizedtime__is_parsed),
		cmocka_unit_test(asn1_malformed_lengths__are_refused),
		cmocka_unit_test(asn1_malformed_characters__are_refused),
		cmocka_unit_test(asn1_impossible_fields__are_refused),
		cmocka_unit_test(asn1_format__uses_utctime_until_2049),
		cmocka_unit_test(asn1_format__switches_to_generalizedtime_for_2050),
		cmocka_unit_test(asn1_format_before_1950__uses_generalizedtime),
		cmocka_unit_test(asn1_format_beyond_9999__is_refused),
		cmocka_unit_test_teardown(asn1_format_then_parse__round_trips, restore_utc),
	};

	use_tz("UTC");
	return cmocka_run_group_tests_name("timeutil", tests, NULL, NULL);
}
