/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_station.c - cw_station_parse and cw_decide_ssid (Called-Station-Id,
 * "<BSSID>:<SSID>" with hostapd's escapes, from every request). A parsed
 * SSID is 1..32 bytes without NUL, terminated; a refusal says why. And
 * cw_log_escape, through which such text reaches radiusd's log: printable
 * ASCII only, terminated, within its buffer.
 */
#include "fuzz.h"
#include "decision.h"
#include "station.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_t f;
	char *in = malloc(size ? size : 1);
	cw_station_t st;
	cw_err_t e;
	char ssid[CW_SSID_MAX + 1], reason[CW_REASON_MAX];
	cw_decide_result_t result = CW_DECIDE_ACCEPT;

	fz_init(&f, data, size);
	fz_keep(&f, in);
	memcpy(in, data, size);
	memset(&e, 'x', sizeof(e));
	if (cw_station_parse(in, size, &st, &e) == 0) {
		if (st.has_ssid) {
			FZ_CHECK(st.ssid_len >= 1 && st.ssid_len <= CW_SSID_MAX, "SSID of %zu bytes", st.ssid_len);
			FZ_CHECK(st.ssid[st.ssid_len] == '\0' && strlen(st.ssid) == st.ssid_len,
				 "SSID not terminated at its length or with an inner NUL");
		}
	} else {
		FZ_CHECK(FZ_TERMINATED(e.msg) && e.msg[0] != '\0', "refusal without a terminated message");
	}
	memset(ssid, 'x', sizeof(ssid));
	memset(reason, 'x', sizeof(reason));
	if (cw_decide_ssid(in, size, ssid, &result, reason, sizeof(reason)) == 0) {
		FZ_CHECK(FZ_TERMINATED(ssid) && ssid[0] != '\0', "no SSID after success");
	} else {
		FZ_CHECK(result == CW_DECIDE_BAD_SSID || result == CW_DECIDE_BAD_INPUT, "result %d", (int)result);
		FZ_CHECK(FZ_TERMINATED(reason) && reason[0] != '\0', "refusal without a terminated reason");
	}
	for (size_t outlen = 1; outlen <= CW_LOG_ESCAPED_MAX; outlen = outlen * 3 + 1) {
		char *esc = malloc(outlen);

		FZ_CHECK(esc != NULL, "out of memory");
		cw_log_escape(in, size, esc, outlen);
		FZ_CHECK(memchr(esc, '\0', outlen) != NULL, "escape into %zu bytes not terminated", outlen);
		for (const char *c = esc; *c; c++)
			FZ_CHECK(*c >= 0x20 && *c < 0x7f, "escaped text holds byte 0x%02x", (unsigned char)*c);
		free(esc);
	}
	fz_free(&f);
	return 0;
}
