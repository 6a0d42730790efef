/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clock.c - is the system clock kept right by NTP, and how far off may it be?
 *
 * The verdict rests on maxerror alone: STA_UNSYNC and TIME_ERROR are
 * recorded but not trusted, because chrony leaves STA_UNSYNC set (and so
 * the state at TIME_ERROR) unless rtcsync is on.
 */
#include <assert.h>
#include <inttypes.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>

#include "clock.h"

/*
 * Fill *out from one adjtimex result. state -1 means adjtimex failed: then
 * nothing else is known, error_us is -1 and the clock is not synchronised.
 * A negative maxerror from the kernel is kept as given, and never synced.
 */
void cw_clock_classify(int state, int status, long maxerror_us, long bound_us, cw_clock_t *out)
{
	assert(out != NULL);
	if (bound_us <= 0) bound_us = CW_CLOCK_BOUND_US_DEFAULT;

	memset(out, 0, sizeof(*out));
	out->state = state;
	if (state == -1) {
		out->error_us = -1;
		out->synced = false;
		out->unsync_flag = false;
		return;
	}
	out->error_us = (int64_t)maxerror_us;
	out->unsync_flag = (status & STA_UNSYNC) != 0;
	out->synced = maxerror_us >= 0 && maxerror_us < bound_us && maxerror_us < CW_CLOCK_MAXERROR_CAP_US;
}

/*
 * Ask the kernel (modes 0: read only, no privilege needed) and classify.
 * A failed call is classified as state -1.
 */
void cw_clock_read(long bound_us, cw_clock_t *out)
{
	struct timex tx;
	int state;

	assert(out != NULL);
	memset(&tx, 0, sizeof(tx));
	tx.modes = 0;
	state = adjtimex(&tx);
	if (state < 0) {
		cw_clock_classify(-1, 0, -1, bound_us, out);
		return;
	}
	cw_clock_classify(state, tx.status, tx.maxerror, bound_us, out);
}

/*
 * Write a non-negative duration in microseconds with a unit people read at
 * a glance: "850 us", "12.3 ms", "16 s", "2.5 s". Rounded to the nearest
 * tenth in integer arithmetic, so 999960 us is "1 s", not "1000.0 ms".
 * 0, or -1 on truncation.
 */
static int duration_format(int64_t us, char *buf, size_t len)
{
	int64_t tenths;

	assert(us >= 0);
	if (us < 1000) return cw_snprintf(buf, len, "%" PRId64 " us", us);

	tenths = (us + 50) / 100;	/* tenths of a millisecond */
	if (tenths < 10000) return cw_snprintf(buf, len, "%" PRId64 ".%" PRId64 " ms", tenths / 10, tenths % 10);

	tenths = (us + 50000) / 100000;	/* tenths of a second */
	if (tenths % 10 == 0) return cw_snprintf(buf, len, "%" PRId64 " s", tenths / 10);
	return cw_snprintf(buf, len, "%" PRId64 ".%" PRId64 " s", tenths / 10, tenths % 10);
}

/*
 * "synchronised (max error 12.3 ms)", "NOT synchronised (max error 16 s)",
 * "unknown (adjtimex failed)", or, for a negative maxerror the kernel
 * should never report, "NOT synchronised (max error unknown)".
 * 0, or -1 when buf is NULL, len is 0 or the text did not fit (buf then
 * holds a truncated, terminated string when len > 0).
 */
int cw_clock_describe(const cw_clock_t *c, char *buf, size_t len)
{
	char dur[32];
	const char *verdict;

	assert(c != NULL);
	if (buf == NULL || len == 0) return -1;

	if (c->state == -1) return cw_snprintf(buf, len, "unknown (adjtimex failed)");

	verdict = c->synced ? "synchronised" : "NOT synchronised";
	if (c->error_us < 0) return cw_snprintf(buf, len, "%s (max error unknown)", verdict);
	if (duration_format(c->error_us, dur, sizeof(dur)) != 0) {
		buf[0] = '\0';
		return -1;
	}
	return cw_snprintf(buf, len, "%s (max error %s)", verdict, dur);
}

int64_t cw_monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
