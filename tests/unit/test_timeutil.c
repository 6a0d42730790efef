/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_timeutil.c - unit tests for lib/core/timeutil.c.
 *
 * Expected instants were computed with GNU date, e.g.
 * TZ=Europe/Berlin date -d '2026-03-29 00:00' +%s.
 *
 * Table-driven (table.h): each row of `date_rows`, `day_rows`,
 * `format_rows` and `asn1_rows` is one test, named by the row: dates to
 * parse, local days in a time zone, instants to format and ASN.1 times to
 * parse, each with what must come out. Checks that need more than a row
 * (round trips, sequences of calls) are functions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "table.h"
#include "timeutil.h"

#define MAX_CASES 13

/* A literal and its length (which counts a NUL inside it). */
#define LIT(s) s, sizeof(s) - 1

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

/* A date: refused with a message that holds `msg`, or accepted (msg NULL). */
typedef struct date_case {
	const char	*in;
	const char	*msg;
} date_case_t;

typedef struct date_row {
	const char	*name;
	date_case_t	cases[MAX_CASES];	//!< up to the first without `in`
	cw_date_t	date;			//!< when date.year: what the first date parses to
} date_row_t;

#define ACCEPTED NULL
#define SHAPE "not in the form YYYY-MM-DD"

static const date_row_t date_rows[] = {
	{ .name = "last_day_of_year__is_parsed", .cases = { { "2027-12-31", ACCEPTED } }, .date = { 2027, 12, 31 } },
	{ .name = "leap_days__are_accepted", .cases = { { "2028-02-29", ACCEPTED }, { "2000-02-29", ACCEPTED } },
	  .date = { 2028, 2, 29 } },
	{ .name = "february_29_in_common_year__is_refused",
	  .cases = { { "2027-02-29", "2027-02 has no day 29" }, { "2100-02-29", "2100-02 has no day 29" } } },
	{ .name = "thirty_first_of_short_month__is_refused",
	  .cases = { { "2027-04-31", "2027-04 has no day 31" }, { "2027-04-00", "2027-04 has no day 00" } } },
	{ .name = "month_13_and_month_0__are_refused",
	  .cases = { { "2027-13-01", "month 13 is outside 01-12" }, { "2027-00-01", "month 00 is outside 01-12" } } },
	{ .name = "year_1969__is_refused",
	  .cases = { { "1969-12-31", "year 1969 is outside 1970-9998" }, { "0000-01-01", "year 0 is outside" },
		     { "9999-12-31", "year 9999 is outside 1970-9998" }, { "1970-01-01", ACCEPTED },
		     { "9998-12-31", ACCEPTED } } },
	{ .name = "other_shapes__are_refused",
	  .cases = { { "2027-1-01", SHAPE }, { "2027-01-1", SHAPE }, { "27-01-01", SHAPE }, { " 2027-12-31", SHAPE },
		     { "2027-12-31 ", SHAPE }, { "2027-12-31x", SHAPE }, { "2027/12/31", SHAPE }, { "20271231", SHAPE },
		     { "+027-12-31", SHAPE }, { "2027-+1-01", SHAPE }, { "2027-12-31T00:00", SHAPE }, { "", SHAPE },
		     { "2027-12-3", SHAPE } } },
};

static void run_date_row(void **state)
{
	const date_row_t *r = *state;

	for (size_t i = 0; i < MAX_CASES && r->cases[i].in; i++) {
		if (r->cases[i].msg) assert_date_refused(r->cases[i].in, r->cases[i].msg);
		else (void)date_of(r->cases[i].in);
	}
	if (r->date.year) {
		cw_date_t d = date_of(r->cases[0].in);

		assert_int_equal(d.year, r->date.year);
		assert_int_equal(d.month, r->date.month);
		assert_int_equal(d.day, r->date.day);
	}
}

static void null_date_string__is_refused(void **state)
{
	cw_date_t d;

	(void)state;
	assert_int_equal(cw_date_parse(NULL, &d, NULL), -1);
}

/* ---- local start and end of a date ---- */

/* A date and the instants its local day starts and (exclusively) ends. */
typedef struct day_case {
	const char	*date;
	int64_t		start;
	int64_t		end;
} day_case_t;

typedef struct day_row {
	const char	*name;
	const char	*tz;
	day_case_t	days[3];	//!< up to the first without `date`
} day_row_t;

static const day_row_t day_rows[] = {
	{ "tokyo_day__starts_at_local_midnight", "Asia/Tokyo", { { "2027-12-31", 1830178800, 1830265200 } } },
	{ "utc_day__starts_at_utc_midnight", "UTC",
	  { { "2027-12-31", 1830211200, 1830297600 }, { "1970-01-01", 0, 24 * 3600 } } },
	{ "first_day_east_of_utc__starts_before_the_epoch", "Asia/Tokyo",
	  { { "1970-01-01", -32400, -32400 + 24 * 3600 } } },
	{ "berlin_spring_forward_day__lasts_23_hours", "Europe/Berlin",
	  { { "2026-03-29", 1774738800, 1774821600 /* 1774738800 + 23 * 3600 */ } } },
	{ "berlin_fall_back_day__lasts_25_hours", "Europe/Berlin",
	  { { "2026-10-25", 1792879200, 1792879200 + 25 * 3600 } } },
	/* Cuba set clocks back from 01:00 to 00:00 on 2024-11-03: 00:00 came twice. */
	{ "havana_fall_back_at_midnight__starts_at_first_midnight", "America/Havana",
	  { { "2024-11-03", 1730606400, 1730606400 + 25 * 3600 } } },
};

static void run_day_row(void **state)
{
	const day_row_t *r = *state;

	use_tz(r->tz);
	for (size_t i = 0; i < TABLE_LEN(r->days) && r->days[i].date; i++) {
		assert_int_equal(local_start(r->days[i].date), r->days[i].start);
		assert_int_equal(local_end(r->days[i].date), r->days[i].end);
	}
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

/* ---- cw_time_format_rfc3339_ms, cw_time_format_rfc3339 and cw_asn1_time_format ---- */

typedef enum { RFC3339_MS, RFC3339, ASN1 } format_t;

/* An instant (milliseconds for RFC3339_MS, seconds otherwise) and its text, "" when refused. */
typedef struct format_case {
	int64_t		t;
	const char	*want;
} format_case_t;

typedef struct format_row {
	const char	*name;
	format_t	format;
	const char	*tz;			//!< NULL: UTC
	format_case_t	cases[MAX_CASES];	//!< up to the first without `want`
} format_row_t;

static const format_row_t format_rows[] = {
	{ "rfc3339_of_zero__is_the_epoch", RFC3339_MS, NULL, { { 0, "1970-01-01T00:00:00.000Z" } } },
	{ "rfc3339__keeps_milliseconds", RFC3339_MS, NULL, { { INT64_C(1795322262123), "2026-11-22T04:37:42.123Z" } } },
	{ "rfc3339_small_milliseconds__are_zero_padded", RFC3339_MS, NULL,
	  { { 5, "1970-01-01T00:00:00.005Z" }, { INT64_C(1795322262005), "2026-11-22T04:37:42.005Z" },
	    { INT64_C(1795322262050), "2026-11-22T04:37:42.050Z" } } },
	{ "rfc3339_is_utc_whatever_the_zone", RFC3339_MS, "Asia/Tokyo",
	  { { INT64_C(1795322262123), "2026-11-22T04:37:42.123Z" } } },
	/* timeutil.h allows years 0..9999, so times before 1970 are formatted. */
	{ "rfc3339_negative_ms__rounds_down_into_1969", RFC3339_MS, NULL,
	  { { -1, "1969-12-31T23:59:59.999Z" }, { -1000, "1969-12-31T23:59:59.000Z" },
	    { -1001, "1969-12-31T23:59:58.999Z" } } },
	{ "rfc3339_outside_years_0_to_9999__is_refused", RFC3339_MS, NULL,
	  { { INT64_C(253402300799999), "9999-12-31T23:59:59.999Z" },
	    { INT64_C(-62167219200000), "0000-01-01T00:00:00.000Z" }, { INT64_C(253402300800000), "" },
	    { INT64_C(-62167219200001), "" }, { INT64_MAX, "" }, { INT64_MIN, "" } } },
	/*
	 * Found by tests/fuzz/fuzz_member: a registry time (revoked_at, membership
	 * dates) multiplied by 1000 for the log overflowed int64 (undefined
	 * behaviour) when the registry held a huge value. Seconds are now checked
	 * before the multiplication, for every value.
	 */
	{ "rfc3339_seconds__any_int64_is_safe", RFC3339, NULL,
	  { { 0, "1970-01-01T00:00:00.000Z" }, { INT64_C(253402300799), "9999-12-31T23:59:59.000Z" },
	    { INT64_C(253402300800), "" }, { INT64_C(72057594039959552), "" }, { INT64_MAX / 1000 + 1, "" },
	    { INT64_MAX, "" }, { INT64_MIN, "" }, { INT64_MIN / 1000 - 1, "" } } },
	{ "asn1_format__uses_utctime_until_2049", ASN1, NULL,
	  { { 0, "700101000000Z" }, { INT64_C(2524607999), "491231235959Z" },
	    { INT64_C(-631152000), "500101000000Z" } } },
	{ "asn1_format__switches_to_generalizedtime_for_2050", ASN1, NULL,
	  { { INT64_C(2524608000), "20500101000000Z" }, { INT64_C(253402300799), "99991231235959Z" } } },
	{ "asn1_format_before_1950__uses_generalizedtime", ASN1, NULL, { { INT64_C(-631152001), "19491231235959Z" } } },
	{ "asn1_format_beyond_9999__is_refused", ASN1, NULL, { { INT64_C(253402300800), "" }, { INT64_MIN, "" } } },
};

static int format(format_t f, int64_t t, char text[CW_RFC3339_MS_LEN])
{
	switch (f) {
	case RFC3339_MS: return cw_time_format_rfc3339_ms(t, text);
	case RFC3339: return cw_time_format_rfc3339(t, text);
	default: return cw_asn1_time_format(t, text);
	}
}

/* Each instant gives its text, or is refused leaving the text empty. */
static void run_format_row(void **state)
{
	const format_row_t *r = *state;

	use_tz(r->tz ? r->tz : "UTC");
	for (size_t i = 0; i < MAX_CASES && r->cases[i].want; i++) {
		char text[CW_RFC3339_MS_LEN];

		assert_int_equal(format(r->format, r->cases[i].t, text), r->cases[i].want[0] ? 0 : -1);
		assert_string_equal(text, r->cases[i].want);
	}
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

/* ASN.1 times, given with their lengths (LIT), accepted as `t` or refused leaving the result alone. */
typedef struct asn1_case {
	const char	*in;
	size_t		len;
	int64_t		t;
} asn1_case_t;

typedef struct asn1_row {
	const char	*name;
	bool		accept;
	asn1_case_t	cases[MAX_CASES];	//!< up to the first without `in`
} asn1_row_t;

/* A refused time (its `t` is not used). */
#define REFUSED(s) { LIT(s), 0 }

static const asn1_row_t asn1_rows[] = {
	{ "utctime_year_49__is_2049", true, { { LIT("491231235959Z"), INT64_C(2524607999) } } },
	{ "utctime_year_50__is_1950", true, { { LIT("500101000000Z"), INT64_C(-631152000) } } },
	{ "utctime_epoch_and_leap_day__are_exact", true,
	  { { LIT("700101000000Z"), 0 }, { LIT("000229120000Z"), INT64_C(951825600) } } },
	{ "utctime_one_second_before_epoch__is_minus_one", true, { { LIT("691231235959Z"), -1 } } },
	{ "generalizedtime__is_parsed", true,
	  { { LIT("20500101000000Z"), INT64_C(2524608000) }, { LIT("19491231235959Z"), INT64_C(-631152001) },
	    { LIT("99991231235959Z"), INT64_C(253402300799) } } },
	{ "asn1_malformed_lengths__are_refused", false,
	  { REFUSED(""), REFUSED("49123123595Z"), REFUSED("4912312359590Z"), REFUSED("2049123123595Z"),
	    REFUSED("204912312359590Z"), REFUSED("491231235959+0000"), REFUSED("20491231235959.5Z") } },
	{ "asn1_malformed_characters__are_refused", false,
	  { REFUSED("491231235959z"), REFUSED("4912312359590"), REFUSED("49123123595 Z"), REFUSED("-91231235959Z"),
	    REFUSED("4912312359+9Z"), REFUSED("2049123123595Z9"), REFUSED("204912312359.5Z"),
	    REFUSED("49123123595\0Z") /* a NUL inside */ } },
	{ "asn1_impossible_fields__are_refused", false,
	  { REFUSED("491331235959Z"),	/* month 13 */
	    REFUSED("490031235959Z"),	/* month 0 */
	    REFUSED("490230000000Z"),	/* 30 February */
	    REFUSED("490229000000Z"),	/* 2049 is not leap */
	    REFUSED("491200000000Z"),	/* day 0 */
	    REFUSED("491231240000Z"),	/* hour 24 */
	    REFUSED("491231236000Z"),	/* minute 60 */
	    REFUSED("491231235960Z") } },	/* second 60 */
};

static void run_asn1_row(void **state)
{
	const asn1_row_t *r = *state;

	for (size_t i = 0; i < MAX_CASES && r->cases[i].in; i++) {
		const asn1_case_t *c = &r->cases[i];
		int64_t t = 12345;

		if (asn1_parse_exact(c->in, c->len, &t) != (r->accept ? 0 : -1)) {
			fail_msg("\"%.*s\" was %s", (int)c->len, c->in, r->accept ? "refused" : "accepted");
		}
		assert_int_equal(t, r->accept ? c->t : 12345);
	}
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
	static const struct CMUnitTest dates[] = {
		cmocka_unit_test(null_date_string__is_refused),
	};
	static const struct CMUnitTest days[] = {
		cmocka_unit_test_teardown(sao_paulo_midnight_in_gap__starts_at_one_oclock, restore_utc),
		cmocka_unit_test_teardown(end_of_day__is_start_of_next_across_month_and_year, restore_utc),
		cmocka_unit_test_teardown(last_accepted_day__ends_in_a_printable_year, restore_utc),
		cmocka_unit_test(invalid_date_struct__is_refused),
		cmocka_unit_test_teardown(format_local__names_the_local_date, restore_utc),
		cmocka_unit_test_teardown(format_local_of_local_start__round_trips, restore_utc),
		cmocka_unit_test_teardown(format_local_beyond_year_9999__is_refused, restore_utc),
	};
	static const struct CMUnitTest asn1[] = {
		cmocka_unit_test_teardown(asn1_format_then_parse__round_trips, restore_utc),
	};
	struct CMUnitTest tests[TABLE_LEN(date_rows) + TABLE_LEN(dates) + TABLE_LEN(day_rows) + TABLE_LEN(days) +
				TABLE_LEN(format_rows) + TABLE_LEN(asn1_rows) + TABLE_LEN(asn1)];
	size_t n = 0;

	TABLE_TESTS(tests, n, date_rows, run_date_row, NULL);
	TABLE_TESTS_OF(tests, n, dates);
	TABLE_TESTS(tests, n, day_rows, run_day_row, restore_utc);
	TABLE_TESTS_OF(tests, n, days);
	TABLE_TESTS(tests, n, format_rows, run_format_row, restore_utc);
	TABLE_TESTS(tests, n, asn1_rows, run_asn1_row, NULL);
	TABLE_TESTS_OF(tests, n, asn1);
	use_tz("UTC");
	return _cmocka_run_group_tests("timeutil", tests, n, NULL, NULL);
}
