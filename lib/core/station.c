/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * station.c - the Called-Station-Id attribute: which AP, which SSID.
 */
#include <assert.h>
#include <string.h>

#include "station.h"

/*
 * Find the MAC at the start of in[0..len). The MAC itself may contain ':',
 * so each of its fixed lengths is tried and must be followed by the end
 * of the input or the ':' before the SSID. Returns the MAC's length, or 0.
 */
static size_t station_mac(const char *in, size_t len, cw_mac_t *mac)
{
	static const size_t lengths[] = { 17, 14, 12 };
	size_t i;

	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		size_t n = lengths[i];

		if (len < n) continue;
		if (len > n && in[n] != ':') continue;
		if (cw_mac_parse(in, n, mac) == 0) return n;
	}
	return 0;
}

/*
 * Decode the escape starting at in[*pos] == '\\' (hostapd printf_encode:
 * \\ \" \e \n \r \t \xNN) into *byte and advance *pos past it.
 */
static int ssid_unescape(const char *in, size_t len, size_t *pos, unsigned char *byte, cw_err_t *err)
{
	size_t i = *pos + 1;
	int hi, lo;

	if (i >= len) {
		cw_err_set(err, "SSID in Called-Station-Id ends with a lone backslash");
		return -1;
	}
	switch (in[i]) {
	case '\\': *byte = '\\'; break;
	case '"':  *byte = '"'; break;
	case 'e':  *byte = 0x1b; break;
	case 'n':  *byte = '\n'; break;
	case 'r':  *byte = '\r'; break;
	case 't':  *byte = '\t'; break;
	case 'x':
		hi = len - i >= 3 ? cw_hexval(in[i + 1]) : -1;
		lo = len - i >= 3 ? cw_hexval(in[i + 2]) : -1;
		if (hi < 0 || lo < 0) {
			cw_err_set(err, "SSID in Called-Station-Id has a \\x escape without two hex digits");
			return -1;
		}
		*byte = (unsigned char)(hi << 4 | lo);
		*pos = i + 3;
		return 0;
	default:
		if (in[i] > ' ' && in[i] < 0x7f) {
			cw_err_set(err, "SSID in Called-Station-Id has an unknown escape \\%c", in[i]);
		} else {
			cw_err_set(err, "SSID in Called-Station-Id has an unknown escape");
		}
		return -1;
	}
	*pos = i + 1;
	return 0;
}

/*
 * Decode the SSID in[0..len) into out. Raw bytes other than control
 * characters are kept as they are, since not every AP escapes UTF-8.
 */
static int ssid_decode(const char *in, size_t len, cw_station_t *out, cw_err_t *err)
{
	size_t pos = 0;

	if (len == 0) {
		cw_err_set(err, "Called-Station-Id has an empty SSID after the ':'");
		return -1;
	}
	while (pos < len) {
		unsigned char c = (unsigned char)in[pos];

		if (c == '\\') {
			if (ssid_unescape(in, len, &pos, &c, err) < 0) return -1;
		} else if (c < 0x20 || c == 0x7f) {
			cw_err_set(err, "SSID in Called-Station-Id holds an unescaped control character");
			return -1;
		} else {
			pos++;
		}
		if (c == '\0') {
			cw_err_set(err, "SSID in Called-Station-Id contains a NUL byte");
			return -1;
		}
		if (out->ssid_len == CW_SSID_MAX) {
			cw_err_set(err, "SSID in Called-Station-Id is longer than %d bytes", CW_SSID_MAX);
			return -1;
		}
		out->ssid[out->ssid_len++] = (char)c;
	}
	out->ssid[out->ssid_len] = '\0';
	out->has_ssid = true;
	return 0;
}

/*
 * Parse a Called-Station-Id; see station.h. *out is cleared first, so on
 * failure it holds no partial SSID.
 */
int cw_station_parse(const char *in, size_t len, cw_station_t *out, cw_err_t *err)
{
	size_t maclen;

	assert(out != NULL);
	memset(out, 0, sizeof(*out));
	if (in == NULL || len == 0) {
		cw_err_set(err, "empty Called-Station-Id");
		return -1;
	}
	if (len > CW_STATION_INPUT_MAX) {
		cw_err_set(err, "Called-Station-Id longer than %d characters", CW_STATION_INPUT_MAX);
		return -1;
	}
	maclen = station_mac(in, len, &out->bssid);
	if (maclen == 0) {
		cw_err_set(err, "Called-Station-Id does not start with a MAC address followed by ':' or its end");
		return -1;
	}
	if (maclen == len) return 0;
	if (ssid_decode(in + maclen + 1, len - maclen - 1, out, err) < 0) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return 0;
}
