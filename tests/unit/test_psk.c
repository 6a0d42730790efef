/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_psk.c - unit tests for lib/core/psk.c.
 *
 * Expected instants were computed with GNU date, e.g.
 * TZ=Asia/Tokyo date -d '2027-01-01 00:00' +%s. Every test that reads the
 * local zone sets TZ itself, and the zone the process started with is put
 * back after it, so the result does not depend on the caller's TZ.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "psk.h"
#include "rand.h"

#define ALPHABET_LEN (sizeof(CW_PASSWORD_ALPHABET) - 1)
#define SAMPLES 1000
#define DAY 86400
#define HOUR 3600

/* ---- time zone handling ---- */

static char saved_tz[256];
static int saved_tz_set;

static void use_tz(const char *tz)
{
	assert_int_equal(setenv("TZ", tz, 1), 0);
	tzset();
}

/* Group setup: remember TZ as the process found it. */
static int save_tz(void **state)
{
	const char *tz = getenv("TZ");

	(void)state;
	saved_tz_set = tz != NULL;
	if (tz != NULL && strlen(tz) >= sizeof(saved_tz)) return -1;
	if (tz != NULL) memcpy(saved_tz, tz, strlen(tz) + 1);
	return 0;
}

/* Teardown: put TZ back as the process found it, set or unset. */
static int restore_tz(void **state)
{
	(void)state;
	if (saved_tz_set) {
		if (setenv("TZ", saved_tz, 1) != 0) return -1;
	} else if (unsetenv("TZ") != 0) {
		return -1;
	}
	tzset();
	return 0;
}

/* ---- helpers ---- */

static cw_period_t period_of(const char *s)
{
	cw_period_t p;
	cw_err_t err = { "" };

	if (cw_period_parse(s, &p, &err) != 0) fail_msg("%s: %s", s, err.msg);
	return p;
}

/* Assert that the period named by spec, at now, is exactly [start, end). */
static void assert_window(const char *spec, int64_t now, int64_t start, int64_t end)
{
	cw_period_t p = period_of(spec);
	int64_t s = -1, e = -1;

	assert_int_equal(cw_period_window(&p, now, &s, &e), 0);
	if (s != start || e != end) {
		fail_msg("%s at %lld: [%lld, %lld), expected [%lld, %lld)", spec, (long long)now,
			 (long long)s, (long long)e, (long long)start, (long long)end);
	}
}

static void assert_period_refused(const char *s, const char *msg_part)
{
	cw_period_t p = { CW_PERIOD_DAYS, 77 };
	cw_err_t err = { "" };

	assert_int_equal(cw_period_parse(s, &p, &err), -1);
	assert_int_equal(p.days, 77);	/* left alone */
	if (strstr(err.msg, msg_part) == NULL) fail_msg("\"%s\": message \"%s\" lacks \"%s\"", s, err.msg, msg_part);
}

static int64_t duration_of(const char *s, int64_t max)
{
	int64_t v = -1;
	cw_err_t err = { "" };

	if (cw_duration_parse(s, max, &v, &err) != 0) fail_msg("%s: %s", s, err.msg);
	return v;
}

static void assert_duration_refused(const char *s, int64_t max, const char *msg)
{
	int64_t v = 12345;
	cw_err_t err = { "" };

	assert_int_equal(cw_duration_parse(s, max, &v, &err), -1);
	assert_int_equal(v, 12345);	/* left alone */
	assert_string_equal(err.msg, msg);
}

static void assert_duration_text(int64_t seconds, const char *text)
{
	char buf[32];

	assert_int_equal(cw_duration_format(seconds, buf, sizeof(buf)), 0);
	assert_string_equal(buf, text);
}

static void assert_qr(const char *ssid, const char *psk, const char *expected)
{
	char out[256];

	assert_int_equal(cw_wifi_qr_payload(ssid, psk, out, sizeof(out)), 0);
	assert_string_equal(out, expected);
}

static int compare_psk(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* ---- generated passphrases ---- */

static void generated_psk__is_19_alphabet_chars_with_dashes_at_4_9_14(void **state)
{
	char psk[CW_PSK_BUF];
	cw_err_t err = { "" };
	size_t i;

	(void)state;
	assert_int_equal(CW_PSK_BUF, 20);
	assert_int_equal(cw_psk_generate(psk, &err), 0);
	assert_int_equal(strlen(psk), 19);
	for (i = 0; i < 19; i++) {
		if (i == 4 || i == 9 || i == 14) {
			assert_int_equal(psk[i], '-');
		} else if (strchr(CW_PASSWORD_ALPHABET, psk[i]) == NULL) {
			fail_msg("character '%c' at %zu of \"%s\" is not in the alphabet", psk[i], i, psk);
		}
	}
}

static void thousand_generated_psks__are_pairwise_distinct(void **state)
{
	static char psks[SAMPLES][CW_PSK_BUF];
	size_t i;

	(void)state;
	for (i = 0; i < SAMPLES; i++) assert_int_equal(cw_psk_generate(psks[i], NULL), 0);
	qsort(psks, SAMPLES, sizeof(psks[0]), compare_psk);
	for (i = 1; i < SAMPLES; i++) {
		if (strcmp(psks[i - 1], psks[i]) == 0) fail_msg("\"%s\" was generated twice", psks[i]);
	}
}

static void thousand_generated_psks__use_every_alphabet_character(void **state)
{
	size_t seen[ALPHABET_LEN] = { 0 };
	char psk[CW_PSK_BUF];
	size_t i, j;

	(void)state;
	for (i = 0; i < SAMPLES; i++) {
		assert_int_equal(cw_psk_generate(psk, NULL), 0);
		for (j = 0; psk[j] != '\0'; j++) {
			const char *at = strchr(CW_PASSWORD_ALPHABET, psk[j]);

			if (psk[j] != '-' && at != NULL) seen[at - CW_PASSWORD_ALPHABET]++;
		}
	}
	for (i = 0; i < ALPHABET_LEN; i++) {
		if (seen[i] == 0) fail_msg("'%c' never appeared in %d passphrases", CW_PASSWORD_ALPHABET[i], SAMPLES);
	}
}

static void generated_psk_entropy__is_at_least_64_bits(void **state)
{
	double bits = CW_PSK_GROUPS * CW_PSK_GROUP_LEN * log2((double)ALPHABET_LEN);
	long double combinations = 1.0L;
	int i;

	(void)state;
	assert_int_equal(ALPHABET_LEN, 31);
	assert_true(bits >= 64.0);
	assert_true(bits > 79.0 && bits < 80.0);	/* "about 79 bits" in psk.h */
	for (i = 0; i < CW_PSK_GROUPS * CW_PSK_GROUP_LEN; i++) combinations *= ALPHABET_LEN;
	assert_true(combinations >= ldexpl(1.0L, 64));
}

static void psk_valid__accepts_generated_passphrases(void **state)
{
	char psk[CW_PSK_BUF];
	int i;

	(void)state;
	for (i = 0; i < 100; i++) {
		assert_int_equal(cw_psk_generate(psk, NULL), 0);
		assert_int_equal(cw_psk_valid(psk, strlen(psk)), 1);
	}
}

static void psk_valid__accepts_8_and_63_characters(void **state)
{
	char psk[CW_PSK_MAX];

	(void)state;
	memset(psk, 'a', sizeof(psk));
	assert_int_equal(cw_psk_valid(psk, 8), 1);
	assert_int_equal(cw_psk_valid(psk, 63), 1);
	assert_int_equal(cw_psk_valid(" ~!\"#$%&", 8), 1);	/* both ends of printable ASCII */
}

static void psk_valid__refuses_7_and_64_characters(void **state)
{
	char psk[CW_PSK_MAX + 1];

	(void)state;
	memset(psk, 'a', sizeof(psk));
	assert_int_equal(cw_psk_valid(psk, 7), 0);
	assert_int_equal(cw_psk_valid(psk, 64), 0);
	assert_int_equal(cw_psk_valid(psk, 0), 0);
	assert_int_equal(cw_psk_valid(NULL, 10), 0);
}

static void psk_valid__refuses_a_control_character(void **state)
{
	(void)state;
	assert_int_equal(cw_psk_valid("abcd\tefgh", 9), 0);
	assert_int_equal(cw_psk_valid("abcdefgh\n", 9), 0);
	assert_int_equal(cw_psk_valid("abcd\0efgh", 9), 0);
}

static void psk_valid__refuses_bytes_from_0x7f(void **state)
{
	(void)state;
	assert_int_equal(cw_psk_valid("abcd\x7f" "efgh", 9), 0);
	assert_int_equal(cw_psk_valid("abcd\x80" "efgh", 9), 0);
	assert_int_equal(cw_psk_valid("caf\xc3\xa9-wifi", 10), 0);	/* UTF-8 */
	assert_int_equal(cw_psk_valid("abcd\xff" "efgh", 9), 0);
}

static void psk_valid__reads_only_len_bytes(void **state)
{
	const char unterminated[8] = { 'k', '7', 'm', '2', 'x', '9', 'q', 'h' };

	(void)state;
	assert_int_equal(cw_psk_valid(unterminated, sizeof(unterminated)), 1);
}

/* ---- monthly windows ---- */

static void monthly_window_mid_january_in_tokyo__starts_at_jst_midnight_of_the_1st(void **state)
{
	(void)state;
	use_tz("Asia/Tokyo");
	/* 2027-01-15 12:34 JST; 2027-01-01 00:00 JST = 2026-12-31T15:00Z */
	assert_window("monthly", 1799984040, 1798729200, 1801407600);
}

static void monthly_window_at_last_second_of_january__is_january(void **state)
{
	(void)state;
	use_tz("Asia/Tokyo");
	assert_window("monthly", 1801407599, 1798729200, 1801407600);
}

static void monthly_window_at_first_second_of_february__is_february(void **state)
{
	(void)state;
	use_tz("Asia/Tokyo");
	assert_window("monthly", 1801407600, 1801407600, 1803826800);
}

static void monthly_window_in_february_of_leap_year__ends_on_march_1(void **state)
{
	(void)state;
	use_tz("Asia/Tokyo");
	/* 2028-02-15 09:00 JST: [2028-02-01, 2028-03-01), 29 days */
	assert_window("monthly", 1834185600, 1832943600, 1835449200);
	assert_int_equal(1835449200 - 1832943600, 29 * DAY);
}

static void monthly_window_in_february_of_common_year__ends_on_march_1(void **state)
{
	(void)state;
	use_tz("Asia/Tokyo");
	/* 2027-02-15 09:00 JST: [2027-02-01, 2027-03-01), 28 days */
	assert_window("monthly", 1802649600, 1801407600, 1803826800);
	assert_int_equal(1803826800 - 1801407600, 28 * DAY);
}

static void monthly_window_in_december__ends_on_january_1_of_next_year(void **state)
{
	(void)state;
	use_tz("Asia/Tokyo");
	/* 2027-12-15 18:00 JST: [2027-12-01, 2028-01-01) */
	assert_window("monthly", 1828861200, 1827586800, 1830265200);
}

static void monthly_window_in_utc__starts_at_utc_midnight(void **state)
{
	(void)state;
	use_tz("UTC");
	/* 2027-06-15 12:00Z: [2027-06-01, 2027-07-01), 30 days */
	assert_window("monthly", 1813060800, 1811808000, 1814400000);
	assert_int_equal(1814400000 - 1811808000, 30 * DAY);
	/* 2027-12-31 23:59:59Z is still in December */
	assert_window("monthly", 1830297599, 1830297600 - 31 * DAY, 1830297600);
}

static void monthly_window_in_berlin_march__is_one_hour_shorter(void **state)
{
	(void)state;
	use_tz("Europe/Berlin");
	/* 2027-03-15 10:00 CET; clocks go forward on 2027-03-28 */
	assert_window("monthly", 1805101200, 1803855600, 1806530400);
	assert_int_equal(1806530400 - 1803855600, 31 * DAY - HOUR);
}

static void monthly_window_in_berlin_october__is_one_hour_longer(void **state)
{
	(void)state;
	use_tz("Europe/Berlin");
	/* 2027-10-15 10:00 CEST; clocks go back on 2027-10-31 */
	assert_window("monthly", 1823587200, 1822341600, 1825023600);
	assert_int_equal(1825023600 - 1822341600, 31 * DAY + HOUR);
}

/* ---- weekly windows ---- */

static void weekly_window_on_sunday__started_the_previous_monday(void **state)
{
	(void)state;
	use_tz("Asia/Tokyo");
	/* Sunday 2027-01-17 15:00 JST: [Mon 2027-01-11, Mon 2027-01-18) */
	assert_window("weekly", 1800165600, 1799593200, 1800198000);
	assert_window("weekly", 1800197999, 1799593200, 1800198000);	/* Sunday 23:59:59 */
}

static void weekly_window_at_monday_midnight__starts_a_new_week(void **state)
{
	(void)state;
	use_tz("Asia/Tokyo");
	assert_window("weekly", 1800198000, 1800198000, 1800198000 + 7 * DAY);
	assert_window("weekly", 1799593200, 1799593200, 1800198000);	/* Mon 2027-01-11 00:00 */
}

/* ---- windows of N days ---- */

static void days_window_of_14d_started_mid_day__runs_from_that_midnight(void **state)
{
	(void)state;
	use_tz("Asia/Tokyo");
	/* 2027-01-15 12:34 JST: [2027-01-15, 2027-01-29) */
	assert_window("14d", 1799984040, 1799938800, 1801148400);
	assert_int_equal(1801148400 - 1799938800, 14 * DAY);
}

static void days_window_across_dst_change__ends_at_local_midnight(void **state)
{
	struct tm tm;
	time_t end;

	(void)state;
	use_tz("Europe/Berlin");
	/* 2027-03-27 15:00 CET, 3 days: [2027-03-27 00:00 CET, 2027-03-30 00:00 CEST) */
	assert_window("3d", 1806156000, 1806102000, 1806357600);
	assert_int_equal(1806357600 - 1806102000, 3 * DAY - HOUR);
	end = 1806357600;
	assert_non_null(localtime_r(&end, &tm));
	assert_int_equal(tm.tm_hour, 0);
	assert_int_equal(tm.tm_min, 0);
	assert_int_equal(tm.tm_mday, 30);
}

static void days_window_of_1d__is_the_day_of_now(void **state)
{
	(void)state;
	use_tz("Asia/Tokyo");
	assert_window("1d", 1799984040, 1799938800, 1800025200);
	assert_window("1d", 1799938800, 1799938800, 1800025200);	/* at its first second */
}

static void days_window_of_366d__ends_366_calendar_days_later(void **state)
{
	(void)state;
	use_tz("UTC");
	/* 2027-06-15 12:00Z: [2027-06-15, 2028-06-15), which includes 2028-02-29 */
	assert_window("366d", 1813060800, 1813017600, 1844640000);
	assert_int_equal(1844640000 - 1813017600, 366 * DAY);
}

static void window_of_invalid_period__is_refused(void **state)
{
	cw_period_t zero = { CW_PERIOD_DAYS, 0 }, big = { CW_PERIOD_DAYS, CW_PERIOD_DAYS_MAX + 1 };
	cw_period_t bogus = { (cw_period_kind_t)42, 1 };
	int64_t s = 5, e = 6;

	(void)state;
	use_tz("UTC");
	assert_int_equal(cw_period_window(&zero, 1813060800, &s, &e), -1);
	assert_int_equal(cw_period_window(&big, 1813060800, &s, &e), -1);
	assert_int_equal(cw_period_window(&bogus, 1813060800, &s, &e), -1);
	assert_int_equal(cw_period_window(NULL, 1813060800, &s, &e), -1);
	assert_int_equal(s, 5);
	assert_int_equal(e, 6);
}

static void window_of_unrepresentable_time__is_refused(void **state)
{
	cw_period_t p = period_of("monthly");
	int64_t s = 5, e = 6;

	(void)state;
	use_tz("UTC");
	assert_int_equal(cw_period_window(&p, INT64_MAX, &s, &e), -1);
	assert_int_equal(cw_period_window(&p, INT64_MIN, &s, &e), -1);
	assert_int_equal(s, 5);
	assert_int_equal(e, 6);
}

/* ---- period text ---- */

static void period_parse_and_format__round_trip(void **state)
{
	static const char *texts[] = { "monthly", "weekly", "1d", "14d", "366d" };
	char buf[16];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		cw_period_t p = period_of(texts[i]);

		assert_int_equal(cw_period_format(&p, buf, sizeof(buf)), 0);
		assert_string_equal(buf, texts[i]);
	}
	assert_int_equal(period_of("monthly").kind, CW_PERIOD_MONTHLY);
	assert_int_equal(period_of("weekly").kind, CW_PERIOD_WEEKLY);
	assert_int_equal(period_of("14d").kind, CW_PERIOD_DAYS);
	assert_int_equal(period_of("14d").days, 14);
}

static void period_parse__refuses_other_text(void **state)
{
	static const char *bad[] = { "d", "x", "monthlyx", "-3d", "+3d", "", "3", "3 d", " 3d", "3D", "Weekly", "14w" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_period_refused(bad[i], "use monthly, weekly or a number of days such as 14d");
	}
	assert_period_refused("x", "period \"x\": use monthly, weekly or a number of days such as 14d");
	assert_int_equal(cw_period_parse(NULL, &(cw_period_t){ CW_PERIOD_MONTHLY, 0 }, NULL), -1);
}

static void period_parse__refuses_0d_and_367d(void **state)
{
	(void)state;
	assert_period_refused("0d", "use 1 to 366 days");
	assert_period_refused("367d", "use 1 to 366 days");
	assert_period_refused("99999999999999999999d", "use 1 to 366 days");
}

static void period_format__refuses_a_small_buffer(void **state)
{
	cw_period_t p = period_of("monthly");
	char buf[8];

	(void)state;
	assert_int_equal(cw_period_format(&p, buf, 8), 0);
	assert_int_equal(cw_period_format(&p, buf, 7), -1);
	p = period_of("366d");
	assert_int_equal(cw_period_format(&p, buf, 4), -1);
	assert_int_equal(cw_period_format(&p, buf, 5), 0);
}

/* ---- durations ---- */

static void duration_parse__accepts_zero_and_each_unit(void **state)
{
	(void)state;
	assert_int_equal(duration_of("0", 0), 0);
	assert_int_equal(duration_of("30s", INT64_MAX), 30);
	assert_int_equal(duration_of("90m", INT64_MAX), 5400);
	assert_int_equal(duration_of("12h", INT64_MAX), 12 * HOUR);
	assert_int_equal(duration_of("3d", INT64_MAX), 3 * DAY);
	assert_int_equal(duration_of("2w", INT64_MAX), 14 * DAY);
	assert_int_equal(duration_of("0d", 0), 0);
}

static void duration_parse__refuses_malformed_text(void **state)
{
	static const char *bad[] = { "", "3", "3x", "-1d", "+1d", "1.5d", "3 d", " 3d", "3d ", "d", "00", "3D", "3dd" };
	char msg[128];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(snprintf(msg, sizeof(msg), "duration \"%s\": use a number and one of s, m, h, d, w (e.g. 3d)",
					  bad[i]) < (int)sizeof(msg), 1);
		assert_duration_refused(bad[i], INT64_MAX, msg);
	}
}

static void duration_parse__refuses_overflow(void **state)
{
	(void)state;
	assert_duration_refused("99999999999999999999d", 30 * DAY, "duration 99999999999999999999d is longer than 30d");
	assert_duration_refused("99999999999999999999s", INT64_MAX,
				"duration 99999999999999999999s is longer than 9223372036854775807s");
	assert_duration_refused("15250284452472w", INT64_MAX,	/* just past INT64_MAX seconds */
				"duration 15250284452472w is longer than 9223372036854775807s");
}

static void duration_over_max__is_refused(void **state)
{
	(void)state;
	assert_duration_refused("40d", 30 * DAY, "duration 40d is longer than 30d");
	assert_duration_refused("721h", 30 * DAY, "duration 721h is longer than 30d");
	assert_duration_refused("1s", 0, "duration 1s is longer than 0");
	assert_int_equal(duration_of("30d", 30 * DAY), 30 * DAY);
	assert_int_equal(duration_of("720h", 30 * DAY), 30 * DAY);
}

static void duration_format__uses_the_largest_exact_unit(void **state)
{
	(void)state;
	assert_duration_text(86400, "1d");
	assert_duration_text(129600, "36h");
	assert_duration_text(5400, "90m");
	assert_duration_text(45, "45s");
	assert_duration_text(0, "0");
	assert_duration_text(1209600, "2w");
	assert_duration_text(INT64_MAX, "9223372036854775807s");
}

static void duration_format__refuses_negative_and_a_small_buffer(void **state)
{
	char buf[4];

	(void)state;
	assert_int_equal(cw_duration_format(-1, buf, sizeof(buf)), -1);
	assert_int_equal(cw_duration_format(36 * HOUR, buf, 4), 0);
	assert_int_equal(cw_duration_format(36 * HOUR, buf, 3), -1);
}

static void duration_format_and_parse__round_trip(void **state)
{
	static const int64_t values[] = { 0, 1, 59, 60, 3599, 3600, 86399, 86400, 604800, 1209600 + 60, 30 * DAY };
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		assert_int_equal(cw_duration_format(values[i], buf, sizeof(buf)), 0);
		assert_int_equal(duration_of(buf, INT64_MAX), values[i]);
	}
}

/* ---- Wi-Fi QR payload ---- */

static void qr_payload_of_plain_ssid__is_the_standard_text(void **state)
{
	(void)state;
	assert_qr("CoworkGuest", "k7m2-x9qh-fd3w-z8cb", "WIFI:T:WPA;S:CoworkGuest;P:k7m2-x9qh-fd3w-z8cb;;");
}

static void qr_payload__escapes_every_special_character_in_ssid(void **state)
{
	(void)state;
	assert_qr("a;b,c:d\\e\"f", "k7m2-x9qh-fd3w-z8cb", "WIFI:T:WPA;S:a\\;b\\,c\\:d\\\\e\\\"f;P:k7m2-x9qh-fd3w-z8cb;;");
}

static void qr_payload__escapes_every_special_character_in_passphrase(void **state)
{
	(void)state;
	assert_qr("CoworkGuest", "p;a,s:s\\w\"rd '!", "WIFI:T:WPA;S:CoworkGuest;P:p\\;a\\,s\\:s\\\\w\\\"rd '!;;");
}

static void qr_payload_of_utf8_ssid__is_unchanged(void **state)
{
	(void)state;
	assert_qr("コワーキング Café", "k7m2-x9qh-fd3w-z8cb", "WIFI:T:WPA;S:コワーキング Café;P:k7m2-x9qh-fd3w-z8cb;;");
}

static void qr_payload_in_exact_buffer__fits_and_one_byte_less_fails(void **state)
{
	const char *expected = "WIFI:T:WPA;S:a\\;b;P:x\\:y;;";
	size_t need = strlen(expected) + 1;
	char out[64];

	(void)state;
	assert_int_equal(cw_wifi_qr_payload("a;b", "x:y", out, need), 0);
	assert_string_equal(out, expected);
	assert_int_equal(cw_wifi_qr_payload("a;b", "x:y", out, need - 1), -1);
	assert_string_equal(out, "");
	assert_int_equal(cw_wifi_qr_payload("a;b", "x:y", out, 0), -1);
	assert_int_equal(cw_wifi_qr_payload(NULL, "x:y", out, sizeof(out)), -1);
	assert_int_equal(cw_wifi_qr_payload("a;b", NULL, out, sizeof(out)), -1);
}

#define TZ_TEST(f) cmocka_unit_test_teardown(f, restore_tz)

static void qr_all_hex_ssid__is_quoted(void **state)
{
	char out[128];

	(void)state;
	assert_int_equal(cw_wifi_qr_payload("CAFE1234", "k7m2-x9qh-fd3w-z8cb", out, sizeof(out)), 0);
	assert_string_equal(out, "WIFI:T:WPA;S:\"CAFE1234\";P:k7m2-x9qh-fd3w-z8cb;;");
	assert_int_equal(cw_wifi_qr_payload("Guest", "12345678", out, sizeof(out)), 0);
	assert_string_equal(out, "WIFI:T:WPA;S:Guest;P:\"12345678\";;");
	/* exactly the room: prefix 13 + 10 + ";P:" 3 + 19 + ";;" 2 = 47 characters */
	assert_int_equal(cw_wifi_qr_payload("CAFE1234", "k7m2-x9qh-fd3w-z8cb", out, 48), 0);
	assert_int_equal(cw_wifi_qr_payload("CAFE1234", "k7m2-x9qh-fd3w-z8cb", out, 47), -1);
}

/* The generator's shape, and only it, counts as the generator's entropy. */
static void generated_shape__is_what_the_generator_makes_only(void **state)
{
	static const char *const not_generated[] = {
		"", "k7m2-x9qh-fd3w-z8c", "k7m2-x9qh-fd3w-z8cbb", "k7m2x9qh-fd3w-z8cb-", "K7m2-x9qh-fd3w-z8cb",
		"k7m0-x9qh-fd3w-z8cb",	/* 0 is not in the alphabet */
		"k7m2-x9qh-fd3w-z8cl", "k7m2 x9qh-fd3w-z8cb", "k7m2-x9qh-fd3w_z8cb", "correct horse battery",
	};
	char p[CW_PSK_BUF];
	cw_err_t e;

	(void)state;
	for (int i = 0; i < 200; i++) {
		assert_int_equal(cw_psk_generate(p, &e), 0);
		assert_true(cw_psk_generated_shape(p));
	}
	for (size_t i = 0; i < sizeof(not_generated) / sizeof(not_generated[0]); i++) {
		if (cw_psk_generated_shape(not_generated[i])) fail_msg("\"%s\" taken for generated", not_generated[i]);
	}
	assert_false(cw_psk_generated_shape(NULL));
	assert_int_equal(CW_PSK_GENERATED_BITS, 79);	/* 16 * log2(31) = 79.27 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(generated_psk__is_19_alphabet_chars_with_dashes_at_4_9_14),
		cmocka_unit_test(thousand_generated_psks__are_pairwise_distinct),
		cmocka_unit_test(generated_shape__is_what_the_generator_makes_only),
		cmocka_unit_test(thousand_generated_psks__use_every_alphabet_character),
		cmocka_unit_test(generated_psk_entropy__is_at_least_64_bits),
		cmocka_unit_test(psk_valid__accepts_generated_passphrases),
		cmocka_unit_test(psk_valid__accepts_8_and_63_characters),
		cmocka_unit_test(psk_valid__refuses_7_and_64_characters),
		cmocka_unit_test(psk_valid__refuses_a_control_character),
		cmocka_unit_test(psk_valid__refuses_bytes_from_0x7f),
		cmocka_unit_test(psk_valid__reads_only_len_bytes),
		TZ_TEST(monthly_window_mid_january_in_tokyo__starts_at_jst_midnight_of_the_1st),
		TZ_TEST(monthly_window_at_last_second_of_january__is_january),
		TZ_TEST(monthly_window_at_first_second_of_february__is_february),
		TZ_TEST(monthly_window_in_february_of_leap_year__ends_on_march_1),
		TZ_TEST(monthly_window_in_february_of_common_year__ends_on_march_1),
		TZ_TEST(monthly_window_in_december__ends_on_january_1_of_next_year),
		TZ_TEST(monthly_window_in_utc__starts_at_utc_midnight),
		TZ_TEST(monthly_window_in_berlin_march__is_one_hour_shorter),
		TZ_TEST(monthly_window_in_berlin_october__is_one_hour_longer),
		TZ_TEST(weekly_window_on_sunday__started_the_previous_monday),
		TZ_TEST(weekly_window_at_monday_midnight__starts_a_new_week),
		TZ_TEST(days_window_of_14d_started_mid_day__runs_from_that_midnight),
		TZ_TEST(days_window_across_dst_change__ends_at_local_midnight),
		TZ_TEST(days_window_of_1d__is_the_day_of_now),
		TZ_TEST(days_window_of_366d__ends_366_calendar_days_later),
		TZ_TEST(window_of_invalid_period__is_refused),
		TZ_TEST(window_of_unrepresentable_time__is_refused),
		cmocka_unit_test(period_parse_and_format__round_trip),
		cmocka_unit_test(period_parse__refuses_other_text),
		cmocka_unit_test(period_parse__refuses_0d_and_367d),
		cmocka_unit_test(period_format__refuses_a_small_buffer),
		cmocka_unit_test(duration_parse__accepts_zero_and_each_unit),
		cmocka_unit_test(duration_parse__refuses_malformed_text),
		cmocka_unit_test(duration_parse__refuses_overflow),
		cmocka_unit_test(duration_over_max__is_refused),
		cmocka_unit_test(duration_format__uses_the_largest_exact_unit),
		cmocka_unit_test(duration_format__refuses_negative_and_a_small_buffer),
		cmocka_unit_test(duration_format_and_parse__round_trip),
		cmocka_unit_test(qr_payload_of_plain_ssid__is_the_standard_text),
		cmocka_unit_test(qr_payload__escapes_every_special_character_in_ssid),
		cmocka_unit_test(qr_payload__escapes_every_special_character_in_passphrase),
		cmocka_unit_test(qr_payload_of_utf8_ssid__is_unchanged),
		cmocka_unit_test(qr_payload_in_exact_buffer__fits_and_one_byte_less_fails),
		cmocka_unit_test(qr_all_hex_ssid__is_quoted),
	};

	return cmocka_run_group_tests_name("psk", tests, save_tz, restore_tz);
}
