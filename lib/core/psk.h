/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * psk.h - guest passphrases: how they are made, how long they last, and
 * how they are shown at the reception desk.
 *
 * A passphrase is valid for one calendar period in the space's local time
 * (the TZ of coworkctl), plus a grace during which the next one is already
 * served too. The registry stores the resulting instants as Unix seconds.
 */
#ifndef COWORK_PSK_H
#define COWORK_PSK_H

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

#include "cowork.h"

/*
 * Generated passphrases: 4 groups of 4 characters of CW_PASSWORD_ALPHABET
 * (rand.h) joined by '-', e.g. "k7m2-x9qh-fd3w-z8cb": 19 characters, about
 * 79 bits of entropy (16 * log2(31)), readable aloud, valid for WPA2 and
 * WPA3-SAE.
 */
#define CW_PSK_GROUPS		4
#define CW_PSK_GROUP_LEN	4
#define CW_PSK_BUF		(CW_PSK_GROUPS * (CW_PSK_GROUP_LEN + 1))	//!< with the NUL
#define CW_PSK_GENERATED_BITS	79	//!< floor(16 * log2(31)) = floor(79.27)

/*
 * Whether p has exactly the shape cw_psk_generate gives (CW_PSK_GROUPS
 * groups of CW_PSK_GROUP_LEN characters of CW_PASSWORD_ALPHABET joined by
 * '-'), so that its entropy is the generator's, CW_PSK_GENERATED_BITS.
 */
bool cw_psk_generated_shape(const char *p);

/* WPA2/WPA3 passphrase bounds (IEEE 802.11: 8..63 printable ASCII). */
#define CW_PSK_MIN 8
#define CW_PSK_MAX 63

/* Make a new passphrase from the CSPRNG. 0, or -1 with err. */
int cw_psk_generate(char out[CW_PSK_BUF], cw_err_t *err);

/*
 * A passphrase an AP can use: 8..63 characters, each printable ASCII
 * (0x20..0x7e). in[0..len) need not be terminated. 1 when valid, else 0.
 */
int cw_psk_valid(const char *in, size_t len);

typedef enum {
	CW_PERIOD_MONTHLY = 0,	//!< from the 1st of a month, 00:00 local
	CW_PERIOD_WEEKLY,	//!< from Monday 00:00 local
	CW_PERIOD_DAYS,		//!< from 00:00 local of the day of rotation, for `days` days
} cw_period_kind_t;

typedef struct cw_period {
	cw_period_kind_t	kind;
	unsigned		days;	//!< CW_PERIOD_DAYS only: 1..CW_PERIOD_DAYS_MAX
} cw_period_t;

#define CW_PERIOD_DAYS_MAX 366

/* "monthly", "weekly" or "Nd" (N = 1..366, e.g. "14d"). 0, or -1 with err. */
int cw_period_parse(const char *s, cw_period_t *out, cw_err_t *err);

/* The inverse: "monthly", "weekly", "14d". 0, or -1 if buf is too small. */
int cw_period_format(const cw_period_t *p, char *buf, size_t len);

/*
 * The period that contains `now`, in local time: [*start, *end) as Unix
 * times. Monthly: the 1st of now's month to the 1st of the next month.
 * Weekly: the Monday at or before now to the next Monday. N days: the
 * start of now's day to the start of the day N days later. Day boundaries
 * are local midnights, so a period across a DST change is 1 hour shorter or
 * longer. 0, or -1 (time not representable).
 */
int cw_period_window(const cw_period_t *p, int64_t now, int64_t *start, int64_t *end);

/*
 * A duration: "0", or a whole number followed by one unit: s, m, h, d, w
 * ("30s", "90m", "12h", "3d", "2w"). Must be 0..max seconds. 0, or -1
 * with err naming the problem.
 */
int cw_duration_parse(const char *s, int64_t max, int64_t *out, cw_err_t *err);

/*
 * The inverse for display: the largest unit that divides it exactly
 * ("3d", "36h", "90m", "45s", "0"). 0, or -1 if buf is too small.
 */
int cw_duration_format(int64_t seconds, char *buf, size_t len);

/*
 * The payload of the standard Wi-Fi QR code that phones read to join a
 * network: WIFI:T:WPA;S:<ssid>;P:<passphrase>;; with '\\', ';', ',', ':'
 * and '"' in the SSID and passphrase escaped by a backslash, and a value
 * made only of hex digits in double quotes (readers would take it as hex
 * bytes). 0, or -1 if out (len bytes) is too small.
 */
int cw_wifi_qr_payload(const char *ssid, const char *psk, char *out, size_t len);

#endif
