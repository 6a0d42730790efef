/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_wlansec.c - unit tests for lib/core/wlansec.c: naming and judging
 * the AKM suite and pairwise cipher an access point reports (RFC 7268).
 *
 * Table-driven (table.h): each row of `rows` is one test, named by the
 * row: an AKM and a cipher as the attributes carry them (-1: absent), the
 * description audit prints, the verdict and its reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "table.h"
#include "wlansec.h"

#define NONE (-1)
#define IEEE(t) (INT64_C(0x000FAC00) | (t))
#define WPA1(t) (INT64_C(0x0050F200) | (t))

typedef struct row {
	const char		*name;
	int64_t			akm, cipher;
	const char		*describe;
	cw_wlan_verdict_t	verdict;
	const char		*why;
} row_t;

static const row_t rows[] = {
	{ "wpa2_psk_ccmp__is_good", IEEE(2), IEEE(4), "WPA2-PSK CCMP-128", CW_WLAN_GOOD, "" },
	{ "sae_ccmp__is_good", IEEE(8), IEEE(4), "SAE CCMP-128", CW_WLAN_GOOD, "" },
	{ "sae_ext_key_gcmp256__is_good", IEEE(24), IEEE(9), "SAE-EXT-KEY GCMP-256", CW_WLAN_GOOD, "" },
	{ "eap_ccmp__is_good", IEEE(1), IEEE(4), "802.1X CCMP-128", CW_WLAN_GOOD, "" },
	{ "ft_psk_ccmp256__is_good", IEEE(4), IEEE(10), "FT-PSK CCMP-256", CW_WLAN_GOOD, "" },
	{ "suite_b_192_gcmp256__is_good", IEEE(12), IEEE(9), "802.1X-SuiteB-192 GCMP-256", CW_WLAN_GOOD, "" },
	{ "wpa2_psk_tkip__is_weak", IEEE(2), IEEE(2), "WPA2-PSK TKIP", CW_WLAN_WEAK, "TKIP" },
	{ "sae_tkip__is_weak_whatever_the_akm", IEEE(8), IEEE(2), "SAE TKIP", CW_WLAN_WEAK, "TKIP" },
	{ "wep40__is_weak", IEEE(2), IEEE(1), "WPA2-PSK WEP-40", CW_WLAN_WEAK, "WEP" },
	{ "wep104__is_weak", IEEE(1), IEEE(5), "802.1X WEP-104", CW_WLAN_WEAK, "WEP" },
	{ "wpa1_psk_tkip__is_weak", WPA1(2), WPA1(2), "WPA-PSK TKIP", CW_WLAN_WEAK, "TKIP" },
	{ "wpa1_psk_ccmp__is_weak", WPA1(2), WPA1(4), "WPA-PSK CCMP-128", CW_WLAN_WEAK, "WPA (version 1)" },
	{ "owe_ccmp__is_weak", IEEE(18), IEEE(4), "OWE CCMP-128", CW_WLAN_WEAK, "OWE" },
	{ "unknown_akm__is_weak_and_named_by_selector", IEEE(22), IEEE(4), "00-0F-AC:22 CCMP-128", CW_WLAN_WEAK,
	  "unknown AKM" },
	{ "vendor_akm__is_named_by_selector", INT64_C(0x00409600), IEEE(4), "00-40-96:0 CCMP-128", CW_WLAN_WEAK,
	  "unknown AKM" },
	{ "unknown_cipher__is_weak", IEEE(2), IEEE(6), "WPA2-PSK 00-0F-AC:6", CW_WLAN_WEAK, "unknown cipher" },
	{ "no_akm_no_cipher__is_unreported_open", NONE, NONE, "no AKM (open network)", CW_WLAN_UNREPORTED, "" },
	{ "akm_without_cipher__is_unreported", IEEE(2), NONE, "WPA2-PSK (cipher not reported)", CW_WLAN_UNREPORTED,
	  "" },
	{ "weak_akm_without_cipher__is_weak", WPA1(2), NONE, "WPA-PSK (cipher not reported)", CW_WLAN_WEAK,
	  "WPA (version 1)" },
	{ "tkip_without_akm__is_weak", NONE, IEEE(2), "no AKM, TKIP", CW_WLAN_WEAK, "TKIP" },
	{ "out_of_range__counts_as_absent", INT64_C(0x100000000), INT64_C(-5), "no AKM (open network)",
	  CW_WLAN_UNREPORTED, "" },
	{ "highest_selector__is_named", INT64_C(0xFFFFFFFF), IEEE(4), "FF-FF-FF:255 CCMP-128", CW_WLAN_WEAK,
	  "unknown AKM" },
};

static void run_row(void **state)
{
	const row_t *r = *state;
	char buf[CW_WLAN_DESCRIBE_MAX];
	const char *why = "unset";

	assert_string_equal(cw_wlan_describe(r->akm, r->cipher, buf, sizeof(buf)), r->describe);
	assert_int_equal(cw_wlan_verdict(r->akm, r->cipher, &why), r->verdict);
	assert_string_equal(why, r->why);
	assert_int_equal(cw_wlan_verdict(r->akm, r->cipher, NULL), r->verdict);
}

/* The longest names fit their buffers exactly, without truncation. */
static void names__fit_their_buffers(void **state)
{
	char buf[CW_WLAN_NAME_MAX], d[CW_WLAN_DESCRIBE_MAX];

	(void)state;
	assert_string_equal(cw_wlan_akm_name(0xFFFFFFFFu, buf), "FF-FF-FF:255");
	assert_string_equal(cw_wlan_cipher_name(0x000FAC02u, buf), "TKIP");
	assert_string_equal(cw_wlan_describe(IEEE(12), NONE, d, sizeof(d)), "802.1X-SuiteB-192 (cipher not reported)");
	assert_true(strlen(d) < sizeof(d));
}

int main(void)
{
	static const struct CMUnitTest specific[] = {
		cmocka_unit_test(names__fit_their_buffers),
	};
	struct CMUnitTest tests[TABLE_LEN(rows) + TABLE_LEN(specific)];
	size_t n = 0;

	TABLE_TESTS(tests, n, rows, run_row, NULL);
	TABLE_TESTS_OF(tests, n, specific);
	return _cmocka_run_group_tests("wlansec", tests, n, NULL, NULL);
}
