/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * serial.c - certificate serial numbers in one canonical text form.
 */
#include <stdbool.h>
#include <string.h>

#include "serial.h"

int cw_serial_normalise(const char *in, size_t inlen, char out[CW_SERIAL_HEX_MAX + 1], cw_err_t *err)
{
	static const char digits[] = "0123456789abcdef";
	size_t i = 0, n = 0;
	bool seen_digit = false;

	out[0] = '\0';
	if (inlen == 0) {
		cw_err_set(err, "empty certificate serial");
		return -1;
	}
	if (inlen > CW_SERIAL_INPUT_MAX) {
		cw_err_set(err, "certificate serial longer than %d characters", CW_SERIAL_INPUT_MAX);
		return -1;
	}
	if (inlen >= 2 && in[0] == '0' && (in[1] == 'x' || in[1] == 'X')) i = 2;

	for (; i < inlen; i++) {
		int v;

		if (in[i] == ':' || in[i] == ' ') continue;
		v = cw_hexval(in[i]);
		if (v < 0) {
			cw_err_set(err, "certificate serial holds a character that is not a hex digit");
			out[0] = '\0';
			return -1;
		}
		seen_digit = true;
		if (v == 0 && n == 0) continue;	/* leading zero */
		if (n == CW_SERIAL_HEX_MAX) {
			cw_err_set(err, "certificate serial longer than %d hex digits", CW_SERIAL_HEX_MAX);
			out[0] = '\0';
			return -1;
		}
		out[n++] = digits[v];
	}
	if (!seen_digit) {
		cw_err_set(err, "certificate serial has no hex digit");
		return -1;
	}
	if (n == 0) out[n++] = '0';
	out[n] = '\0';
	return 0;
}

int cw_serial_from_bytes(const uint8_t *bytes, size_t len, char out[CW_SERIAL_HEX_MAX + 1])
{
	static const char digits[] = "0123456789abcdef";
	char buf[2 * CW_SERIAL_INPUT_MAX];
	size_t i;

	out[0] = '\0';
	while (len > 0 && bytes[0] == 0) {
		bytes++;
		len--;
	}
	if (len == 0) {
		out[0] = '0';
		out[1] = '\0';
		return 0;
	}
	if (len > CW_SERIAL_HEX_MAX / 2 + 1) return -1;
	for (i = 0; i < len; i++) {
		buf[2 * i] = digits[bytes[i] >> 4];
		buf[2 * i + 1] = digits[bytes[i] & 0x0f];
	}
	return cw_serial_normalise(buf, 2 * len, out, NULL);
}
