/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_serial.c - cw_serial_normalise (TLS-Client-Cert-Serial, serials
 * typed to coworkctl) and cw_serial_from_bytes (the DER integer of a
 * certificate in the handshake). The result is lowercase hex, at most 40
 * digits, no leading zero but "0", and normalising it again changes
 * nothing; the bytes' own hex normalises to what from_bytes says.
 */
#include <ctype.h>

#include "fuzz.h"
#include "serial.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_canonical(const char *s)
{
	size_t n = strlen(s);
	char again[CW_SERIAL_HEX_MAX + 1];
	cw_err_t e;

	FZ_CHECK(n >= 1 && n <= CW_SERIAL_HEX_MAX, "\"%s\": %zu digits", s, n);
	for (size_t i = 0; i < n; i++)
		FZ_CHECK(isdigit((unsigned char)s[i]) || (s[i] >= 'a' && s[i] <= 'f'), "\"%s\" is not lowercase hex", s);
	FZ_CHECK(s[0] != '0' || n == 1, "\"%s\" has a leading zero", s);
	FZ_CHECK(cw_serial_normalise(s, n, again, &e) == 0, "\"%s\" does not normalise again: %s", s, e.msg);
	FZ_CHECK(strcmp(s, again) == 0, "\"%s\" normalises again to \"%s\"", s, again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_t f;
	char *in = malloc(size ? size : 1);
	char out[CW_SERIAL_HEX_MAX + 1], from_bytes[CW_SERIAL_HEX_MAX + 1], hex[2 * 64 + 1];
	cw_err_t e;

	fz_init(&f, data, size);
	fz_keep(&f, in);
	memcpy(in, data, size);
	memset(out, 'x', sizeof(out));
	if (cw_serial_normalise(in, size, out, &e) == 0) {
		check_canonical(out);
	} else {
		FZ_CHECK(FZ_TERMINATED(out), "output not terminated after a refusal");
		FZ_CHECK(FZ_TERMINATED(e.msg) && e.msg[0] != '\0', "refusal without a message");
	}
	if (size >= 1 && size <= 60) {
		memset(from_bytes, 'x', sizeof(from_bytes));
		if (cw_serial_from_bytes(data, size, from_bytes) == 0) {
			check_canonical(from_bytes);
			for (size_t i = 0; i < size; i++) snprintf(hex + 2 * i, 3, "%02x", data[i]);
			FZ_CHECK(cw_serial_normalise(hex, 2 * size, out, &e) == 0 && strcmp(out, from_bytes) == 0,
				 "bytes %s: from_bytes \"%s\", normalised \"%s\"", hex, from_bytes, out);
		}
	}
	fz_free(&f);
	return 0;
}
