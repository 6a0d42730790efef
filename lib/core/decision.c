/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * decision.c - the outcome of one authentication decision.
 */
#include <stdio.h>
#include <string.h>

#include "decision.h"
#include "station.h"

const char *cw_decide_result_name(cw_decide_result_t r)
{
	switch (r) {
	case CW_DECIDE_UNSET: return "unset";
	case CW_DECIDE_ACCEPT: return "accept";
	case CW_DECIDE_UNKNOWN_CERT: return "unknown-cert";
	case CW_DECIDE_REVOKED: return "revoked";
	case CW_DECIDE_SUSPENDED: return "suspended";
	case CW_DECIDE_NOT_STARTED: return "membership-not-started";
	case CW_DECIDE_ENDED: return "membership-ended";
	case CW_DECIDE_CERT_EXPIRED: return "cert-expired";
	case CW_DECIDE_UNCOLLECTED: return "uncollected";
	case CW_DECIDE_WRONG_ISSUER: return "wrong-issuer";
	case CW_DECIDE_BAD_SSID: return "bad-ssid";
	case CW_DECIDE_BAD_VLAN: return "bad-vlan";
	case CW_DECIDE_BAD_INPUT: return "bad-input";
	case CW_DECIDE_NO_PSK: return "no-passphrase";
	case CW_DECIDE_UNKNOWN_NAS: return "unknown-nas";
	case CW_DECIDE_NOT_AT_SITE: return "not-at-site";
	case CW_DECIDE_NOT_OURS: return "not-ours";
	case CW_DECIDE_UNKNOWN_DEVICE: return "unknown-device";
	case CW_DECIDE_INTERNAL: return "internal-error";
	}
	return "?";
}

void cw_decide_vset(cw_decide_result_t *result, char *reason, size_t len, cw_decide_result_t r, const char *fmt,
		    va_list ap)
{
	*result = r;
	if (len) (void)vsnprintf(reason, len, fmt, ap);
}

void cw_decide_set(cw_decide_result_t *result, char *reason, size_t len, cw_decide_result_t r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cw_decide_vset(result, reason, len, r, fmt, ap);
	va_end(ap);
}

static void set(cw_decide_result_t *result, char *reason, size_t len, cw_decide_result_t r, const char *fmt, ...)
	CW_PRINTF(5, 6);

static void set(cw_decide_result_t *result, char *reason, size_t len, cw_decide_result_t r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cw_decide_vset(result, reason, len, r, fmt, ap);
	va_end(ap);
}

int cw_decide_ssid(const char *called_station, size_t len, char ssid[CW_SSID_MAX + 1], cw_decide_result_t *result, char *reason,
		   size_t reason_len)
{
	char safe[CW_LOG_ESCAPED_MAX];
	cw_station_t station;
	cw_err_t e;

	if (!called_station) {
		set(result, reason, reason_len, CW_DECIDE_BAD_SSID, "request has no Called-Station-Id, so the SSID is unknown");
		return -1;
	}
	if (cw_station_parse(called_station, len, &station, &e) < 0) {
		cw_log_escape(called_station, len, safe, sizeof(safe));
		set(result, reason, reason_len, CW_DECIDE_BAD_INPUT, "malformed Called-Station-Id \"%s\": %s", safe, e.msg);
		return -1;
	}
	if (!station.has_ssid) {
		set(result, reason, reason_len, CW_DECIDE_BAD_SSID, "Called-Station-Id names no SSID");
		return -1;
	}
	memcpy(ssid, station.ssid, station.ssid_len + 1);
	return 0;
}
