/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * station.h - the Called-Station-Id attribute: which AP, which SSID.
 *
 * Access points send Called-Station-Id as "<BSSID MAC>:<SSID>" (hostapd,
 * Cisco, Meraki, UniFi, Ruckus) or as the bare MAC when no SSID applies.
 * hostapd escapes SSID bytes that are not printable ASCII the way its
 * printf_encode() does (\\, \", \e, \n, \r, \t, \xNN).
 */
#ifndef COWORK_STATION_H
#define COWORK_STATION_H

#include <stdbool.h>
#include <stddef.h>

#include "cowork.h"
#include "mac.h"

/* IEEE 802.11: an SSID is 0 to 32 octets; we accept 1 to 32. */
#define CW_SSID_MAX 32

/* Longest Called-Station-Id we look at: MAC, ':', 32 bytes escaped as \xNN. */
#define CW_STATION_INPUT_MAX (17 + 1 + 4 * CW_SSID_MAX)

typedef struct cw_station {
	cw_mac_t	bssid;			//!< The AP's MAC address.
	bool		has_ssid;		//!< false when the attribute held only the MAC.
	size_t		ssid_len;		//!< Decoded SSID length, 1..CW_SSID_MAX.
	char		ssid[CW_SSID_MAX + 1];	//!< Decoded SSID bytes, NUL-terminated.
} cw_station_t;

/*
 * Parse a Called-Station-Id (in[0..len), need not be NUL-terminated).
 * The MAC may be in any form cw_mac_parse accepts; when an SSID follows,
 * it is separated by one ':' and decoded from hostapd's escapes. The
 * decoded SSID must be 1..CW_SSID_MAX bytes and contain no NUL byte.
 * Returns 0, or -1 with err naming what was wrong.
 */
int cw_station_parse(const char *in, size_t len, cw_station_t *out, cw_err_t *err);

#endif
