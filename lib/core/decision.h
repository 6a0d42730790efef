/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * decision.h - the outcome of one authentication decision, shared by the
 * member path (member.h) and the guest path (guest.h).
 */
#ifndef COWORK_DECISION_H
#define COWORK_DECISION_H

#include <stdarg.h>
#include <stddef.h>

#include "cowork.h"
#include "station.h"

/*
 * The zero value is a refusal: a decision that was never set (memset to
 * zero, a forgotten assignment) must never read as an accept. ACCEPT is
 * therefore not 0, and every consumer treats UNSET like any other refusal.
 */
typedef enum {
	CW_DECIDE_UNSET = 0,		//!< No decision was made: refused.
	CW_DECIDE_ACCEPT,		//!< May connect.
	CW_DECIDE_UNKNOWN_CERT,		//!< Serial not issued by us.
	CW_DECIDE_REVOKED,		//!< Certificate revoked.
	CW_DECIDE_SUSPENDED,		//!< Member suspended or removed.
	CW_DECIDE_NOT_STARTED,		//!< Membership has not begun.
	CW_DECIDE_ENDED,		//!< Membership is over (--until passed).
	CW_DECIDE_CERT_EXPIRED,		//!< Outside the certificate's validity as issued.
	CW_DECIDE_UNCOLLECTED,		//!< Issued for an invitation and not collected yet.
	CW_DECIDE_WRONG_ISSUER,		//!< Issuer/subject/dates differ from what we issued.
	CW_DECIDE_BAD_SSID,		//!< No SSID, unknown SSID, or an SSID of the wrong class.
	CW_DECIDE_BAD_VLAN,		//!< No VLAN plan, or the VLAN would be unsafe.
	CW_DECIDE_BAD_INPUT,		//!< Missing or malformed attribute.
	CW_DECIDE_NO_PSK,		//!< Guest SSID without a valid passphrase (rotation overdue).
	CW_DECIDE_UNKNOWN_NAS,		//!< Sites defined, and the RADIUS client is no registered NAS.
	CW_DECIDE_NOT_AT_SITE,		//!< Its NAS is at no site, or its site does not offer the SSID.
	CW_DECIDE_NOT_OURS,		//!< Not a request rlm_cowork answers (e.g. not MAC authentication).
	CW_DECIDE_UNKNOWN_DEVICE,	//!< Device binding (enforce): a device neither bound nor approved.
	CW_DECIDE_INTERNAL,		//!< Registry missing, unreadable, locked, corrupt.
} cw_decide_result_t;

/* Longest reason text, for logs; never holds a secret. */
#define CW_REASON_MAX 600

/* Short stable name of a result, for logs and tests ("revoked"). */
const char *cw_decide_result_name(cw_decide_result_t r);

/* Set *result and the reason text (printf format), truncating if needed. */
void cw_decide_vset(cw_decide_result_t *result, char *reason, size_t len, cw_decide_result_t r, const char *fmt,
		    va_list ap) CW_PRINTF(5, 0);

/* cw_decide_vset with the arguments inline. */
void cw_decide_set(cw_decide_result_t *result, char *reason, size_t len, cw_decide_result_t r, const char *fmt, ...)
	CW_PRINTF(5, 6);

/*
 * The SSID step both paths take: parse Called-Station-Id (may be NULL) into
 * ssid. 0, or -1 with *result and reason set: BAD_SSID when there is no
 * Called-Station-Id or it names no SSID, BAD_INPUT when it is malformed.
 */
int cw_decide_ssid(const char *called_station, size_t len, char ssid[CW_SSID_MAX + 1], cw_decide_result_t *result, char *reason,
		   size_t reason_len);

#endif
