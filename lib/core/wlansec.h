/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wlansec.h - the Wi-Fi security an access point reports for a session:
 * RFC 7268's WLAN-AKM-Suite (188) and WLAN-Pairwise-Cipher (186), named
 * and judged against the guideline's 3-③ ("WPA2 or WPA3, not WEP or WPA").
 *
 * Both attributes hold a suite selector, OUI << 8 | type: 0x000FAC04 is
 * 00-0F-AC:4 (CCMP-128). IEEE 802.11's suites have the OUI 00-0F-AC; WPA
 * (version 1) used the Wi-Fi Alliance's 00-50-F2, and hostapd reports a
 * WPA station's suites under that OUI. An open network has no AKM, so the
 * access point sends neither attribute.
 */
#ifndef COWORK_WLANSEC_H
#define COWORK_WLANSEC_H

#include <stddef.h>
#include <stdint.h>

/* RFC 7268 attribute numbers (FreeRADIUS 3.2.1 has no PW_ constants for them). */
#define CW_ATTR_WLAN_PAIRWISE_CIPHER	186
#define CW_ATTR_WLAN_AKM_SUITE		188

#define CW_WLAN_OUI_IEEE	0x000FACu	//!< IEEE 802.11 (RSN: WPA2, WPA3)
#define CW_WLAN_OUI_WPA		0x0050F2u	//!< WPA version 1

/* Room for any name cw_wlan_akm_name / cw_wlan_cipher_name write ("802.1X-SuiteB-192", "FF-FF-FF:255"). */
#define CW_WLAN_NAME_MAX	24
/* Longest cw_wlan_describe text, with its NUL. */
#define CW_WLAN_DESCRIBE_MAX	64

/* What a session's security means for 3-③, worst last. */
typedef enum cw_wlan_verdict {
	CW_WLAN_UNREPORTED = 0,	//!< no AKM (or no cipher) reported: nothing to judge on its own
	CW_WLAN_GOOD,		//!< WPA2 or WPA3 AKM with CCMP or GCMP
	CW_WLAN_WEAK,		//!< WEP or TKIP, WPA version 1, OWE, or a suite we do not know
} cw_wlan_verdict_t;

/*
 * The AKM's name ("WPA2-PSK", "SAE", "802.1X", "OWE", "WPA-PSK"), or the
 * selector in 802.11's notation ("00-0F-AC:22") for one we do not know.
 * Writes into buf and returns it.
 */
const char *cw_wlan_akm_name(uint32_t suite, char buf[CW_WLAN_NAME_MAX]);

/* The pairwise cipher's name ("CCMP-128", "TKIP", "WEP-40"), likewise. */
const char *cw_wlan_cipher_name(uint32_t suite, char buf[CW_WLAN_NAME_MAX]);

/*
 * A session's verdict from its AKM and pairwise cipher (-1: not reported;
 * anything outside 0..UINT32_MAX counts as not reported). *why (may be
 * NULL) gets a short English reason for CW_WLAN_WEAK ("TKIP", "WEP",
 * "WPA (version 1)", "OWE", "unknown AKM", "unknown cipher"), "" otherwise.
 * A weak cipher is weak whatever the AKM; an AKM without a cipher is
 * CW_WLAN_UNREPORTED unless the AKM itself is weak.
 */
cw_wlan_verdict_t cw_wlan_verdict(int64_t akm, int64_t cipher, const char **why);

/*
 * "WPA2-PSK CCMP-128", "SAE GCMP-256", "802.1X (cipher not reported)",
 * "no AKM (open network)" for a session's pair (-1: not reported), into
 * buf (len >= CW_WLAN_DESCRIBE_MAX). Returns buf.
 */
const char *cw_wlan_describe(int64_t akm, int64_t cipher, char *buf, size_t len);

#endif
