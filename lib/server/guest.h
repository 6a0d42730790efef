/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guest.h - the guest path's decision: is this the MAC authentication of a
 * station on a guest SSID, and which passphrases may its AP accept?
 *
 * hostapd with macaddr_acl=2 and wpa_psk_radius=2 asks per station:
 * User-Name = User-Password = "aabbccddeeff", Calling-Station-Id =
 * "AA-BB-CC-DD-EE-FF", Called-Station-Id = "<BSSID>:<SSID>". Everything
 * comes from the request, untrusted; any doubt is a refusal.
 *
 * Sites: once a site is defined, the passphrase served is the one of the
 * site of the NAS the request came from, found by the request's source
 * address (the RADIUS client, authenticated by its shared secret), never
 * by NAS-IP-Address or NAS-Identifier (claims inside the packet).
 */
#ifndef COWORK_GUEST_H
#define COWORK_GUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decision.h"
#include "mac.h"
#include "registry.h"

/* Longest Session-Timeout sent: a station re-authenticates at least daily. */
#define CW_GUEST_SESSION_MAX 86400

/* What the request says, as received. Pointers may be NULL (absent). */
typedef struct cw_guest_input {
	const char	*user_name;
	size_t		user_name_len;
	const char	*user_password;		//!< as decrypted by radiusd
	size_t		user_password_len;
	const char	*calling_station;	//!< Calling-Station-Id: the station's MAC
	size_t		calling_station_len;
	const char	*called_station;	//!< Called-Station-Id: "<BSSID>:<SSID>"
	size_t		called_station_len;
	bool		eap;			//!< the request carries EAP-Message
	const char	*client;		//!< source address of the packet, canonical text; NULL: unknown
} cw_guest_input_t;

typedef struct cw_guest_decision {
	cw_decide_result_t	result;
	char			reason[CW_REASON_MAX];		//!< For radiusd's log; no secret.
	char			ssid[CW_SSID_MAX + 1];
	char			site[CW_SITE_NAME_MAX + 1];	//!< "" while no site is defined
	char			nas[CW_NAS_NAME_MAX + 1];	//!< the NAS asking, when sites are defined
	bool			has_mac;
	cw_mac_t		mac;				//!< The station, when it parsed.
	uint16_t		vlan;				//!< ACCEPT only: the guest VLAN.
	size_t			n_psk;				//!< ACCEPT only: 1 or 2.
	cw_psk_row_t		psk[CW_PSK_SERVED_MAX];		//!< Newest first. Secret.
	uint32_t		session_timeout;		//!< ACCEPT only, seconds.
	int64_t			expires_at;			//!< Newest passphrase's end of serving.
	bool			expiring;			//!< Within the SSID's warning period.
} cw_guest_decision_t;

/*
 * Decide on a request: NOT_OURS when it is not MAC authentication (EAP,
 * no User-Name, a User-Name that is not a MAC address); a refusal when the
 * MAC addresses disagree or are malformed, the SSID is missing, unknown or
 * not a guest SSID, the VLAN plan is unsafe, or no passphrase is valid;
 * once a site is defined, also when the client is no registered NAS
 * (UNKNOWN_NAS) or its NAS is at no site or its site does not offer the
 * SSID (NOT_AT_SITE); ACCEPT with the passphrases (of the NAS's site), the guest VLAN and a Session-Timeout ending
 * no later than the newest passphrase (at most CW_GUEST_SESSION_MAX).
 * Fills *out always; wipe it with cw_guest_decision_wipe.
 */
void cw_guest_decide(cw_registry_t *reg, const cw_guest_input_t *in, int64_t now, cw_guest_decision_t *out);

/*
 * A decision in words, for logs: the reason of a refusal, or for an
 * accept (whose reason is just "accept") what was granted.
 */
void cw_guest_describe(const cw_guest_decision_t *d, char *buf, size_t len);

/* Wipe the passphrases in a decision. */
void cw_guest_decision_wipe(cw_guest_decision_t *d);

#endif
