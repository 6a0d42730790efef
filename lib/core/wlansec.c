/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * wlansec.c - naming and judging RFC 7268 AKM suites and pairwise ciphers.
 *
 * Types from IEEE 802.11-2020, 9.4.2.24.2 (cipher suites) and 9.4.2.24.3
 * (AKM suites), with the names hostapd and the vendors' interfaces use.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cowork.h"
#include "wlansec.h"

typedef struct suite_name {
	uint32_t	suite;
	const char	*name;
	bool		good;		//!< WPA2/WPA3 AKM, or CCMP/GCMP cipher
} suite_name_t;

#define IEEE(t)	(CW_WLAN_OUI_IEEE << 8 | (t))
#define WPA1(t)	(CW_WLAN_OUI_WPA << 8 | (t))

/*
 * OWE (18) is not good: it encrypts, but anyone in range joins without a
 * passphrase or certificate (the Wi-Fi Alliance's "Enhanced Open", not
 * WPA3), so a guest on it bypasses the passphrases of 3-④ altogether.
 */
static const suite_name_t akms[] = {
	{ IEEE(1), "802.1X", true },
	{ IEEE(2), "WPA2-PSK", true },
	{ IEEE(3), "FT-802.1X", true },
	{ IEEE(4), "FT-PSK", true },
	{ IEEE(5), "802.1X-SHA256", true },
	{ IEEE(6), "PSK-SHA256", true },
	{ IEEE(8), "SAE", true },
	{ IEEE(9), "FT-SAE", true },
	{ IEEE(11), "802.1X-SuiteB", true },
	{ IEEE(12), "802.1X-SuiteB-192", true },
	{ IEEE(13), "FT-802.1X-SHA384", true },
	{ IEEE(14), "FILS-SHA256", true },
	{ IEEE(15), "FILS-SHA384", true },
	{ IEEE(16), "FT-FILS-SHA256", true },
	{ IEEE(17), "FT-FILS-SHA384", true },
	{ IEEE(18), "OWE", false },
	{ IEEE(19), "FT-PSK-SHA384", true },
	{ IEEE(20), "PSK-SHA384", true },
	{ IEEE(23), "802.1X-SHA384", true },
	{ IEEE(24), "SAE-EXT-KEY", true },
	{ IEEE(25), "FT-SAE-EXT-KEY", true },
	{ WPA1(1), "WPA-802.1X", false },
	{ WPA1(2), "WPA-PSK", false },
};

static const suite_name_t ciphers[] = {
	{ IEEE(1), "WEP-40", false },
	{ IEEE(2), "TKIP", false },
	{ IEEE(4), "CCMP-128", true },
	{ IEEE(5), "WEP-104", false },
	{ IEEE(8), "GCMP-128", true },
	{ IEEE(9), "GCMP-256", true },
	{ IEEE(10), "CCMP-256", true },
	{ WPA1(1), "WEP-40", false },
	{ WPA1(2), "TKIP", false },
	{ WPA1(4), "CCMP-128", false },
	{ WPA1(5), "WEP-104", false },
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static const suite_name_t *lookup(const suite_name_t *t, size_t n, uint32_t suite)
{
	for (size_t i = 0; i < n; i++) {
		if (t[i].suite == suite) return &t[i];
	}
	return NULL;
}

/* A known suite's name, else the selector as 802.11 writes it. */
static const char *suite_name(const suite_name_t *known, uint32_t suite, char buf[CW_WLAN_NAME_MAX])
{
	if (known) (void)cw_snprintf(buf, CW_WLAN_NAME_MAX, "%s", known->name);
	else (void)cw_snprintf(buf, CW_WLAN_NAME_MAX, "%02X-%02X-%02X:%u", suite >> 24, (suite >> 16) & 0xff,
			       (suite >> 8) & 0xff, suite & 0xff);
	return buf;
}

const char *cw_wlan_akm_name(uint32_t suite, char buf[CW_WLAN_NAME_MAX])
{
	return suite_name(lookup(akms, N_OF(akms), suite), suite, buf);
}

const char *cw_wlan_cipher_name(uint32_t suite, char buf[CW_WLAN_NAME_MAX])
{
	return suite_name(lookup(ciphers, N_OF(ciphers), suite), suite, buf);
}

static bool reported(int64_t v)
{
	return v >= 0 && v <= (int64_t)UINT32_MAX;
}

/* Why a cipher is weak, or NULL when it is not. */
static const char *cipher_weakness(uint32_t suite)
{
	const suite_name_t *c = lookup(ciphers, N_OF(ciphers), suite);
	uint32_t type = suite & 0xff;

	if (!c) return "unknown cipher";
	if (c->good) return NULL;
	if (type == 2) return "TKIP";
	if (type == 1 || type == 5) return "WEP";
	return "WPA (version 1)";
}

/* Why an AKM is weak, or NULL when it is not. */
static const char *akm_weakness(uint32_t suite)
{
	const suite_name_t *a = lookup(akms, N_OF(akms), suite);

	if (!a) return "unknown AKM";
	if (a->good) return NULL;
	return suite >> 8 == CW_WLAN_OUI_WPA ? "WPA (version 1)" : "OWE";
}

cw_wlan_verdict_t cw_wlan_verdict(int64_t akm, int64_t cipher, const char **why)
{
	const char *w = NULL;
	cw_wlan_verdict_t v = CW_WLAN_UNREPORTED;

	/* The cipher first: TKIP under a WPA2 AKM is still TKIP. */
	if (reported(cipher)) w = cipher_weakness((uint32_t)cipher);
	if (w && strcmp(w, "unknown cipher") == 0 && !reported(akm)) w = NULL;
	if (!w && reported(akm)) w = akm_weakness((uint32_t)akm);
	if (w) v = CW_WLAN_WEAK;
	else if (reported(akm) && reported(cipher)) v = CW_WLAN_GOOD;
	if (why) *why = w ? w : "";
	return v;
}

const char *cw_wlan_describe(int64_t akm, int64_t cipher, char *buf, size_t len)
{
	char a[CW_WLAN_NAME_MAX], c[CW_WLAN_NAME_MAX];

	if (!reported(akm) && !reported(cipher)) {
		(void)cw_snprintf(buf, len, "no AKM (open network)");
	} else if (!reported(akm)) {
		(void)cw_snprintf(buf, len, "no AKM, %s", cw_wlan_cipher_name((uint32_t)cipher, c));
	} else if (!reported(cipher)) {
		(void)cw_snprintf(buf, len, "%s (cipher not reported)", cw_wlan_akm_name((uint32_t)akm, a));
	} else {
		(void)cw_snprintf(buf, len, "%s %s", cw_wlan_akm_name((uint32_t)akm, a),
				  cw_wlan_cipher_name((uint32_t)cipher, c));
	}
	return buf;
}
