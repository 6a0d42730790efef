/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linksec.h - the Wi-Fi security of sessions, from RADIUS accounting: one
 * row of the access log file's table `link` (sql/accesslog/0003_linksec.sql)
 * per Accounting-Request Start on one of our SSIDs, with the AKM suite and
 * pairwise cipher the access point reported (RFC 7268, wlansec.h), for
 * coworkctl audit's 3-3.1.
 *
 * Minimal: when, member or guest, SSID, access point, the two suites.
 * No MAC, device hash, User-Name or member: a row says how a session on an
 * SSID was secured, not whose it was. Deleted with the access log's
 * retention.
 */
#ifndef COWORK_LINKSEC_H
#define COWORK_LINKSEC_H

#include <stdbool.h>
#include <stdint.h>

#include "accesslog.h"
#include "station.h"

/* One session's security, as recorded. */
typedef struct cw_link_row {
	int64_t		ts_ms;			//!< UTC milliseconds of the Start
	bool		member;			//!< class: member (true) or guest
	char		ssid[CW_SSID_MAX + 1];	//!< one of our SSIDs
	char		nas[CW_NAS_MAX + 1];	//!< "" none
	bool		has_akm;		//!< WLAN-AKM-Suite was reported
	uint32_t	akm;
	bool		has_cipher;		//!< WLAN-Pairwise-Cipher was reported
	uint32_t	cipher;
} cw_link_row_t;

/* Append r, in its own transaction on log's connection. 0, or -1 with err. */
int cw_link_record(cw_accesslog_t *log, const cw_link_row_t *r, cw_err_t *err);

/*
 * Delete at most limit (0: no bound) rows older than cutoff_ms (the access
 * log's retention cut-off). *deleted (may be NULL) gets the count. 0 or -1.
 */
int cw_link_purge(cw_accesslog_t *log, int64_t cutoff_ms, unsigned limit, int64_t *deleted, cw_err_t *err);

/* The sessions of one (class, SSID, NAS, AKM, cipher) since a time. */
typedef struct cw_link_count {
	cw_link_row_t	link;			//!< ts_ms: the newest of them
	int64_t		sessions;
} cw_link_count_t;

/*
 * The rows at or after from_ms, counted by class, SSID, NAS, AKM and
 * cipher, in that order. fn returning non-zero stops and is returned.
 * 0, or -1 with err.
 */
int cw_link_summary(cw_accesslog_t *log, int64_t from_ms, int (*fn)(void *arg, const cw_link_count_t *c), void *arg,
		    cw_err_t *err);

#endif
