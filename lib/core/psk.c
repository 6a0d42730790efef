/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * psk.c - guest passphrases: how they are made, how long they last, and
 * how they are shown at the reception desk.
 *
 * Periods are counted in calendar days of the local zone (TZ): the first
 * and last day of a period are found with date arithmetic, and only then
 * turned into instants by cw_date_local_start/end, so a period that spans
 * a DST change ends at local midnight, 1 hour shorter or longer.
 */
#include <assert.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "psk.h"
#include "rand.h"
#include "timeutil.h"

/* Wide enough for any int64_t duration ("9223372036854775807s") and "366d". */
#define NUMBER_TEXT_MAX 32

#define SECONDS_PER_MINUTE	60
#define SECONDS_PER_HOUR	3600
#define SECONDS_PER_DAY		86400
#define SECONDS_PER_WEEK	604800

#define QR_PREFIX	"WIFI:T:WPA;S:"
#define QR_PSK_FIELD	";P:"
#define QR_SUFFIX	";;"

/* See psk.h. The passphrase alphabet and its unbiased draw live in rand.c. */
bool cw_psk_generated_shape(const char *p)
{
	size_t len = p ? strlen(p) : 0;

	if (len != CW_PSK_BUF - 1) return false;
	for (size_t i = 0; i < len; i++) {
		if ((i + 1) % (CW_PSK_GROUP_LEN + 1) == 0) {
			if (p[i] != '-') return false;
		} else if (strchr(CW_PASSWORD_ALPHABET, p[i]) == NULL) {
			return false;
		}
	}
	return true;
}

int cw_psk_generate(char out[CW_PSK_BUF], cw_err_t *err)
{
	return cw_password_generate(out, CW_PSK_BUF, CW_PSK_GROUPS, CW_PSK_GROUP_LEN, err);
}

/* See psk.h. Reads in[0..len) only, never past it. */
int cw_psk_valid(const char *in, size_t len)
{
	size_t i;

	if (in == NULL || len < CW_PSK_MIN || len > CW_PSK_MAX) return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c < 0x20 || c > 0x7e) return 0;
	}
	return 1;
}

/*
 * Read s[0..n) as a decimal number no larger than cap. Returns 0 with the
 * value in *out, 1 when every character is a digit but the number exceeds
 * cap (the value stops growing there, so nothing overflows), or -1 when n
 * is 0 or a character is not a digit.
 */
static int number_read(const char *s, size_t n, uint64_t cap, uint64_t *out)
{
	bool over = false;
	uint64_t v = 0;
	size_t i;

	if (n == 0) return -1;
	for (i = 0; i < n; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9') return -1;
		d = (unsigned)(s[i] - '0');
		/* v <= cap / 10 keeps v * 10 <= cap, so neither side can wrap. */
		if (over || v > cap / 10 || d > cap - v * 10) {
			over = true;
			continue;
		}
		v = v * 10 + d;
	}
	if (over) return 1;
	*out = v;
	return 0;
}

/* Make s printable and bounded for an error message; buf holds CW_LOG_ESCAPED_MAX. */
static const char *quote(const char *s, char buf[CW_LOG_ESCAPED_MAX])
{
	cw_log_escape(s, strlen(s), buf, CW_LOG_ESCAPED_MAX);
	return buf;
}

/* Seconds in one duration unit, or 0 for a character that names none. */
static uint64_t unit_seconds(char c)
{
	switch (c) {
	case 's': return 1;
	case 'm': return SECONDS_PER_MINUTE;
	case 'h': return SECONDS_PER_HOUR;
	case 'd': return SECONDS_PER_DAY;
	case 'w': return SECONDS_PER_WEEK;
	default: return 0;
	}
}

/*
 * See psk.h. Accepts "0", or digits and one unit letter with nothing else
 * (no sign, no blank). *out is written only on success. A negative max
 * admits no duration at all.
 */
int cw_duration_parse(const char *s, int64_t max, int64_t *out, cw_err_t *err)
{
	char q[CW_LOG_ESCAPED_MAX], limit[NUMBER_TEXT_MAX];
	uint64_t unit, count;
	size_t len;
	int rc;

	assert(out != NULL);
	if (s == NULL) {
		cw_err_set(err, "missing duration");
		return -1;
	}
	if (max < 0) {
		cw_err_set(err, "no duration is allowed here");
		return -1;
	}
	if (strcmp(s, "0") == 0) {
		*out = 0;
		return 0;
	}
	len = strlen(s);
	unit = len >= 2 ? unit_seconds(s[len - 1]) : 0;
	rc = unit ? number_read(s, len - 1, (uint64_t)max / unit, &count) : -1;
	if (rc < 0) {
		cw_err_set(err, "duration \"%s\": use a number and one of s, m, h, d, w (e.g. 3d)", quote(s, q));
		return -1;
	}
	if (rc > 0) {
		if (cw_duration_format(max, limit, sizeof(limit)) < 0) limit[0] = '\0';
		cw_err_set(err, "duration %s is longer than %s", quote(s, q), limit);
		return -1;
	}
	/* count <= max / unit, so the product is at most max. */
	*out = (int64_t)(count * unit);
	return 0;
}

/* See psk.h. Negative durations have no text and are refused. */
int cw_duration_format(int64_t seconds, char *buf, size_t len)
{
	static const struct {
		int64_t	seconds;
		char	letter;
	} units[] = {
		{ SECONDS_PER_WEEK, 'w' }, { SECONDS_PER_DAY, 'd' }, { SECONDS_PER_HOUR, 'h' },
		{ SECONDS_PER_MINUTE, 'm' }, { 1, 's' },
	};
	size_t i;

	if (buf == NULL || len == 0) return -1;
	buf[0] = '\0';
	if (seconds < 0) return -1;
	if (seconds == 0) return cw_snprintf(buf, len, "0");
	/* The last unit is 1 second, which divides everything. */
	for (i = 0; seconds % units[i].seconds != 0; i++) continue;
	return cw_snprintf(buf, len, "%lld%c", (long long)(seconds / units[i].seconds), units[i].letter);
}

/* See psk.h. *out is written only on success. */
int cw_period_parse(const char *s, cw_period_t *out, cw_err_t *err)
{
	char q[CW_LOG_ESCAPED_MAX];
	uint64_t days = 0;
	size_t len;
	int rc;

	assert(out != NULL);
	if (s == NULL) {
		cw_err_set(err, "missing period");
		return -1;
	}
	if (strcmp(s, "monthly") == 0 || strcmp(s, "weekly") == 0) {
		out->kind = s[0] == 'm' ? CW_PERIOD_MONTHLY : CW_PERIOD_WEEKLY;
		out->days = 0;
		return 0;
	}
	len = strlen(s);
	rc = len >= 2 && s[len - 1] == 'd' ? number_read(s, len - 1, CW_PERIOD_DAYS_MAX, &days) : -1;
	if (rc < 0) {
		cw_err_set(err, "period \"%s\": use monthly, weekly or a number of days such as 14d", quote(s, q));
		return -1;
	}
	if (rc > 0 || days == 0) {
		cw_err_set(err, "period \"%s\": use 1 to %d days", quote(s, q), CW_PERIOD_DAYS_MAX);
		return -1;
	}
	out->kind = CW_PERIOD_DAYS;
	out->days = (unsigned)days;
	return 0;
}

/* A period that cw_period_parse could have produced. */
static bool period_valid(const cw_period_t *p)
{
	if (p == NULL) return false;
	switch (p->kind) {
	case CW_PERIOD_MONTHLY:
	case CW_PERIOD_WEEKLY:
		return true;
	case CW_PERIOD_DAYS:
		return p->days >= 1 && p->days <= CW_PERIOD_DAYS_MAX;
	}
	return false;
}

/* See psk.h. Also -1 for a period that cw_period_parse would refuse. */
int cw_period_format(const cw_period_t *p, char *buf, size_t len)
{
	if (buf == NULL || len == 0) return -1;
	buf[0] = '\0';
	if (!period_valid(p)) return -1;
	switch (p->kind) {
	case CW_PERIOD_MONTHLY: return cw_snprintf(buf, len, "monthly");
	case CW_PERIOD_WEEKLY: return cw_snprintf(buf, len, "weekly");
	case CW_PERIOD_DAYS: return cw_snprintf(buf, len, "%ud", p->days);
	}
	return -1;
}

/*
 * The calendar date y-m-d where month and day may run past their range
 * (day 0 is the last day of the previous month, month 13 is January of the
 * next year), as timegm normalises them. Pure calendar arithmetic: UTC has
 * no DST. 0, or -1 outside the years cw_date_t allows.
 */
static int date_normalise(int y, int m, int d, cw_date_t *out)
{
	struct tm tm;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_wday = -1;	/* timegm sets it only on success */
	t = timegm(&tm);
	if (tm.tm_wday < 0 || gmtime_r(&t, &tm) == NULL) return -1;
	if (tm.tm_year < 1970 - 1900 || tm.tm_year > CW_DATE_YEAR_MAX - 1900) return -1;
	out->year = tm.tm_year + 1900;
	out->month = tm.tm_mon + 1;
	out->day = tm.tm_mday;
	return 0;
}

/*
 * The local calendar date of now, with its weekday (0 = Sunday, as in
 * struct tm). -1 when now is not a time_t or its year is outside
 * cw_date_t's range.
 */
static int local_today(int64_t now, cw_date_t *today, int *wday)
{
	time_t t = (time_t)now;
	struct tm tm;

	if ((int64_t)t != now || localtime_r(&t, &tm) == NULL) return -1;
	if (tm.tm_year < 1970 - 1900 || tm.tm_year > CW_DATE_YEAR_MAX - 1900) return -1;
	today->year = tm.tm_year + 1900;
	today->month = tm.tm_mon + 1;
	today->day = tm.tm_mday;
	*wday = tm.tm_wday;
	return 0;
}

/* The first and the last calendar day of the period p that contains today. */
static int period_days(const cw_period_t *p, const cw_date_t *today, int wday, cw_date_t *first, cw_date_t *last)
{
	int y = today->year, m = today->month, d = today->day;
	int back = (wday + 6) % 7;	/* days since Monday (ISO 8601) */

	switch (p->kind) {
	case CW_PERIOD_MONTHLY:
		if (date_normalise(y, m, 1, first) < 0) return -1;
		return date_normalise(y, m + 1, 0, last);
	case CW_PERIOD_WEEKLY:
		if (date_normalise(y, m, d - back, first) < 0) return -1;
		return date_normalise(y, m, d - back + 6, last);
	case CW_PERIOD_DAYS:
		*first = *today;
		return date_normalise(y, m, d + (int)p->days - 1, last);
	}
	return -1;
}

/*
 * See psk.h. The end is the local end of the period's last day, which is
 * the start of the next period. *start and *end are written only on
 * success.
 */
int cw_period_window(const cw_period_t *p, int64_t now, int64_t *start, int64_t *end)
{
	cw_date_t today, first, last;
	int64_t s, e;
	int wday;

	assert(start != NULL && end != NULL);
	if (!period_valid(p)) return -1;
	if (local_today(now, &today, &wday) < 0) return -1;
	if (period_days(p, &today, wday, &first, &last) < 0) return -1;
	if (cw_date_local_start(&first, &s) < 0 || cw_date_local_end(&last, &e) < 0) return -1;
	/* Holds for any sane zone; a tzdata oddity must not yield a window missing now. */
	if (s > now || now >= e) return -1;
	*start = s;
	*end = e;
	return 0;
}

/* Whether c must be preceded by a backslash in a WIFI: QR field. */
static bool qr_special(char c)
{
	return c == '\\' || c == ';' || c == ',' || c == ':' || c == '"';
}

/*
 * Readers of the WIFI: format take a value made only of hex digits
 * ("CAFE1234") as hex bytes unless it is in double quotes.
 */
static bool qr_all_hex(const char *s)
{
	if (*s == '\0') return false;
	for (; *s != '\0'; s++) {
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || (*s >= 'A' && *s <= 'F'))) return false;
	}
	return true;
}

/* Length of s once escaped (and quoted when all hex) for a WIFI: QR field. */
static size_t qr_escaped_len(const char *s)
{
	size_t n = qr_all_hex(s) ? 2 : 0;

	for (; *s != '\0'; s++) n += qr_special(*s) ? 2 : 1;
	return n;
}

/* Append s to out at *pos, as a field value or verbatim; the caller has checked the room. */
static void qr_append(char *out, size_t *pos, const char *s, bool field)
{
	bool quote = field && qr_all_hex(s);

	if (quote) out[(*pos)++] = '"';
	for (; *s != '\0'; s++) {
		if (field && qr_special(*s)) out[(*pos)++] = '\\';
		out[(*pos)++] = *s;
	}
	if (quote) out[(*pos)++] = '"';
}

/*
 * See psk.h. Bytes other than the five specials pass through unchanged,
 * so a UTF-8 SSID stays UTF-8. On failure out holds "" (when len > 0).
 */
int cw_wifi_qr_payload(const char *ssid, const char *psk, char *out, size_t len)
{
	size_t need, pos = 0;

	if (out == NULL || len == 0) return -1;
	out[0] = '\0';
	if (ssid == NULL || psk == NULL) return -1;
	need = sizeof(QR_PREFIX) - 1 + qr_escaped_len(ssid) + sizeof(QR_PSK_FIELD) - 1 +
	       qr_escaped_len(psk) + sizeof(QR_SUFFIX) - 1;
	if (need >= len) return -1;
	qr_append(out, &pos, QR_PREFIX, false);
	qr_append(out, &pos, ssid, true);
	qr_append(out, &pos, QR_PSK_FIELD, false);
	qr_append(out, &pos, psk, true);
	qr_append(out, &pos, QR_SUFFIX, false);
	assert(pos == need);
	out[pos] = '\0';
	return 0;
}
