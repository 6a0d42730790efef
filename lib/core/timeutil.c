/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * timeutil.c - dates typed by admins, times printed for them, and the
 * times found in certificates.
 *
 * Local time comes from localtime_r/mktime, UTC from gmtime_r/timegm; no
 * function here keeps state of its own. mktime reads TZ, so the module
 * (which must not depend on a zone) only compares stored integers.
 */
#include <assert.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "timeutil.h"

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in month m (1..12) of year y, proleptic Gregorian. */
static int days_in_month(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	assert(m >= 1 && m <= 12);
	if (m == 2 && is_leap(y)) return 29;
	return days[m - 1];
}

/* Read exactly n decimal digits from s into *out. 0, or -1 on anything else. */
static int read_digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	assert(n <= 4);
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* Narrow an int64_t to time_t, refusing what does not fit. */
static int to_time_t(int64_t v, time_t *out)
{
	time_t t = (time_t)v;

	if ((int64_t)t != v) return -1;
	*out = t;
	return 0;
}

/* Check that d is a calendar date within the range cw_date_t allows. */
static bool date_valid(const cw_date_t *d)
{
	if (d == NULL || d->year < 1970 || d->year > CW_DATE_YEAR_MAX) return false;
	if (d->month < 1 || d->month > 12) return false;
	return d->day >= 1 && d->day <= days_in_month(d->year, d->month);
}

/*
 * Parse "YYYY-MM-DD" from the NUL-terminated s; see timeutil.h. *out is
 * written only on success.
 */
int cw_date_parse(const char *s, cw_date_t *out, cw_err_t *err)
{
	cw_date_t d;

	assert(out != NULL);
	if (s == NULL || strnlen(s, CW_DATE_LEN) != CW_DATE_LEN - 1 || s[4] != '-' || s[7] != '-' ||
	    read_digits(s, 4, &d.year) < 0 || read_digits(s + 5, 2, &d.month) < 0 ||
	    read_digits(s + 8, 2, &d.day) < 0) {
		cw_err_set(err, "date is not in the form YYYY-MM-DD");
		return -1;
	}
	if (d.year < 1970 || d.year > CW_DATE_YEAR_MAX) {
		cw_err_set(err, "year %d is outside 1970-%d", d.year, CW_DATE_YEAR_MAX);
		return -1;
	}
	if (d.month < 1 || d.month > 12) {
		cw_err_set(err, "month %02d is outside 01-12", d.month);
		return -1;
	}
	if (d.day < 1 || d.day > days_in_month(d.year, d.month)) {
		cw_err_set(err, "%04d-%02d has no day %02d", d.year, d.month, d.day);
		return -1;
	}
	*out = d;
	return 0;
}

/*
 * mktime for local 00:00 of y-m-d with the given tm_isdst. Returns 0 when
 * the resulting instant shows that date on the local clock, else -1.
 * tm_wday is a sentinel: mktime sets it only on success, which tells a
 * failure from a legitimate result of -1.
 */
static int midnight_try(int y, int m, int d, int isdst, time_t *out)
{
	struct tm tm, check;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = isdst;
	tm.tm_wday = -1;
	t = mktime(&tm);
	if (tm.tm_wday < 0) return -1;
	if (localtime_r(&t, &check) == NULL) return -1;
	if (check.tm_year != y - 1900 || check.tm_mon != m - 1 || check.tm_mday != d) return -1;
	*out = t;
	return 0;
}

/*
 * The first instant of local date y-m-d: mktime at 00:00 with tm_isdst=-1,
 * which also moves a midnight that falls in a spring-forward gap to the
 * first time that exists. Where clocks fall back across midnight, 00:00
 * happens twice and mktime may pick the later one, so 00:00 under each DST
 * flag is also tried and the earliest that still shows the date wins.
 */
static int local_midnight(int y, int m, int d, int64_t *out)
{
	static const int flags[] = { -1, 0, 1 };
	bool found = false;
	time_t best = 0;
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		time_t t;

		if (midnight_try(y, m, d, flags[i], &t) < 0) continue;
		if (!found || t < best) best = t;
		found = true;
	}
	if (!found) return -1;
	*out = (int64_t)best;
	return 0;
}

int cw_date_local_start(const cw_date_t *d, int64_t *out)
{
	if (!date_valid(d)) return -1;
	return local_midnight(d->year, d->month, d->day, out);
}

/* The start of the following day; 9999-12-31 ends at 10000-01-01. */
int cw_date_local_end(const cw_date_t *d, int64_t *out)
{
	int y, m, day;

	if (!date_valid(d)) return -1;
	y = d->year;
	m = d->month;
	day = d->day + 1;
	if (day > days_in_month(y, m)) {
		day = 1;
		if (++m > 12) {
			m = 1;
			y++;
		}
	}
	return local_midnight(y, m, day, out);
}

int cw_date_format_local(int64_t t, char out[CW_DATE_LEN])
{
	struct tm tm;
	time_t tt;

	out[0] = '\0';
	if (to_time_t(t, &tt) < 0 || localtime_r(&tt, &tm) == NULL) return -1;
	if (tm.tm_year < -1900 || tm.tm_year > 9999 - 1900) return -1;
	return cw_snprintf(out, CW_DATE_LEN, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* Milliseconds before the epoch round down: -1 is 23:59:59.999 on 1969-12-31. */
int cw_time_format_rfc3339_ms(int64_t ms, char out[CW_RFC3339_MS_LEN])
{
	int64_t sec = ms / 1000;
	int frac = (int)(ms % 1000);
	struct tm tm;
	time_t tt;

	out[0] = '\0';
	if (frac < 0) {
		frac += 1000;
		sec--;
	}
	if (to_time_t(sec, &tt) < 0 || gmtime_r(&tt, &tm) == NULL) return -1;
	if (tm.tm_year < -1900 || tm.tm_year > 9999 - 1900) return -1;
	return cw_snprintf(out, CW_RFC3339_MS_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
			   tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
			   tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
}

int cw_time_format_rfc3339(int64_t seconds, char out[CW_RFC3339_MS_LEN])
{
	/* Registry times are file-derived: no overflow for any value (year 9999 ends near 2.5e11 s). */
	if (seconds > INT64_MAX / 1000 || seconds < INT64_MIN / 1000) {
		out[0] = '\0';
		return -1;
	}
	return cw_time_format_rfc3339_ms(seconds * 1000, out);
}

/*
 * Read the date and time fields that follow the year in an ASN.1 time:
 * "MMDDHHMMSSZ" in in[0..11). Seconds stop at 59, as OpenSSL's do.
 */
static int asn1_read_fields(const char *in, int year, struct tm *tm)
{
	int mon, day, hour, min, sec;

	if (read_digits(in, 2, &mon) < 0 || read_digits(in + 2, 2, &day) < 0 ||
	    read_digits(in + 4, 2, &hour) < 0 || read_digits(in + 6, 2, &min) < 0 ||
	    read_digits(in + 8, 2, &sec) < 0 || in[10] != 'Z') return -1;
	if (mon < 1 || mon > 12 || day < 1 || day > days_in_month(year, mon)) return -1;
	if (hour > 23 || min > 59 || sec > 59) return -1;

	memset(tm, 0, sizeof(*tm));
	tm->tm_year = year - 1900;
	tm->tm_mon = mon - 1;
	tm->tm_mday = day;
	tm->tm_hour = hour;
	tm->tm_min = min;
	tm->tm_sec = sec;
	return 0;
}

int cw_asn1_time_parse(const char *in, size_t len, int64_t *out)
{
	struct tm tm;
	time_t t;
	int year;

	assert(out != NULL);
	if (in == NULL) return -1;
	if (len == 13) {
		if (read_digits(in, 2, &year) < 0) return -1;
		year += year < 50 ? 2000 : 1900;
	} else if (len == 15) {
		if (read_digits(in, 4, &year) < 0) return -1;
	} else {
		return -1;
	}
	if (asn1_read_fields(in + len - 11, year, &tm) < 0) return -1;
	tm.tm_wday = -1;	/* sentinel, as in midnight_try */
	t = timegm(&tm);
	if (tm.tm_wday < 0) return -1;
	*out = (int64_t)t;
	return 0;
}

int cw_asn1_time_format(int64_t t, char out[16])
{
	struct tm tm;
	time_t tt;
	int year;

	out[0] = '\0';
	if (to_time_t(t, &tt) < 0 || gmtime_r(&tt, &tm) == NULL) return -1;
	if (tm.tm_year < -1900 || tm.tm_year > 9999 - 1900) return -1;
	year = tm.tm_year + 1900;
	if (year >= 1950 && year <= 2049) {
		return cw_snprintf(out, 16, "%02d%02d%02d%02d%02d%02dZ", year % 100,
				   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	}
	return cw_snprintf(out, 16, "%04d%02d%02d%02d%02d%02dZ", year,
			   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
