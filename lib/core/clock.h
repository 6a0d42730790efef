/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * clock.h - is the system clock kept right by NTP, and how far off may it be?
 *
 * The kernel keeps NTP state for the daemon that disciplines the clock
 * (chrony, ntpd, systemd-timesyncd): adjtimex(2) returns the clock state
 * (TIME_ERROR when STA_UNSYNC or STA_CLOCKERR is set) and maxerror, the
 * maximum error in microseconds, which the kernel grows by 500 us every
 * second until a daemon resets it, capped at 16 s (NTP_PHASE_LIMIT).
 * STA_UNSYNC alone is not a verdict: chrony leaves it set unless rtcsync
 * is on, while keeping maxerror small. maxerror is.
 */
#ifndef COWORK_CLOCK_H
#define COWORK_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "cowork.h"

/* The kernel's cap on maxerror: the clock is not synchronised. */
#define CW_CLOCK_MAXERROR_CAP_US	16000000L
/* Default bound under which we call the clock synchronised. */
#define CW_CLOCK_BOUND_US_DEFAULT	5000000L

typedef struct cw_clock {
	bool	synced;		//!< maxerror below the bound (and below the kernel's cap)
	int64_t	error_us;	//!< maxerror; -1 when adjtimex failed
	int	state;		//!< adjtimex's return value (TIME_OK, TIME_ERROR, ...), -1 on failure
	bool	unsync_flag;	//!< STA_UNSYNC was set (for information only)
} cw_clock_t;

/*
 * Classify given adjtimex results: synchronised when state is not -1 and
 * 0 <= maxerror_us < bound_us and maxerror_us < CW_CLOCK_MAXERROR_CAP_US,
 * whatever STA_UNSYNC says. bound_us <= 0 means the default.
 */
void cw_clock_classify(int state, int status, long maxerror_us, long bound_us, cw_clock_t *out);

/* Read the kernel's NTP state now (adjtimex with modes 0) and classify it. */
void cw_clock_read(long bound_us, cw_clock_t *out);

/* "synchronised (max error 12.3 ms)" / "NOT synchronised (max error 16 s)" for people. 0 or -1. */
int cw_clock_describe(const cw_clock_t *c, char *buf, size_t len);

/*
 * Milliseconds of CLOCK_MONOTONIC: for intervals, deadlines and timeouts,
 * which a wall clock set back (or stepped by NTP) must not stretch.
 */
int64_t cw_monotonic_ms(void);

#endif
