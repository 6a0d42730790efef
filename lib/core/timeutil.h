/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * timeutil.h - dates typed by admins, times printed for them, and the
 * times found in certificates.
 *
 * Membership dates are calendar days in the space's local time (the TZ of
 * the process that runs coworkctl): "--until 2027-12-31" means through the
 * end of that day. The registry stores the resulting instants as Unix
 * seconds, so the module compares plain integers and needs no time zone.
 */
#ifndef COWORK_TIMEUTIL_H
#define COWORK_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "cowork.h"

/* The end of the last day must still print as a four-digit year (RFC 3339). */
#define CW_DATE_YEAR_MAX 9998

typedef struct cw_date {
	int year;	//!< 1970..CW_DATE_YEAR_MAX
	int month;	//!< 1..12
	int day;	//!< 1..31, valid for the month
} cw_date_t;

/* "2026-11-22T04:37:42.123Z" plus NUL */
#define CW_RFC3339_MS_LEN 25
/* "2027-12-31" plus NUL */
#define CW_DATE_LEN 11

/*
 * Parse exactly "YYYY-MM-DD": four-digit year 1970..CW_DATE_YEAR_MAX, a real calendar
 * date (leap years included), nothing before or after. Returns 0, or -1
 * with err naming the problem.
 */
int cw_date_parse(const char *s, cw_date_t *out, cw_err_t *err);

/* Unix time of the local midnight at which the date begins. 0 or -1. */
int cw_date_local_start(const cw_date_t *d, int64_t *out);

/* Unix time of the local midnight at which the date ends (the next day
 * begins): the exclusive end of "through that day". 0 or -1. */
int cw_date_local_end(const cw_date_t *d, int64_t *out);

/* The local calendar date of a Unix time, as "YYYY-MM-DD". 0 or -1. */
int cw_date_format_local(int64_t t, char out[CW_DATE_LEN]);

/* Format milliseconds since the epoch as RFC 3339 UTC with milliseconds:
 * "2026-11-22T04:37:42.123Z". 0, or -1 for a time outside years 0..9999. */
int cw_time_format_rfc3339_ms(int64_t ms, char out[CW_RFC3339_MS_LEN]);

/* The same for Unix seconds (".000Z"); any int64_t is safe: -1 outside years 0..9999. */
int cw_time_format_rfc3339(int64_t seconds, char out[CW_RFC3339_MS_LEN]);

/*
 * Parse an ASN.1 time as OpenSSL and FreeRADIUS print it from a
 * certificate: UTCTime "YYMMDDHHMMSSZ" (YY < 50 is 20YY, else 19YY, per
 * RFC 5280) or GeneralizedTime "YYYYMMDDHHMMSSZ". in[0..len) need not be
 * terminated. Returns 0 with the Unix time in *out, or -1.
 */
int cw_asn1_time_parse(const char *in, size_t len, int64_t *out);

/*
 * The text FreeRADIUS shows in TLS-Client-Cert-Expiration for a
 * certificate time: UTCTime for years 1950..2049, GeneralizedTime beyond
 * (RFC 5280 4.1.2.5). out must hold 16 bytes. 0 or -1.
 */
int cw_asn1_time_format(int64_t t, char out[16]);

#endif
