/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_mac.c - cw_mac_parse (User-Name, User-Password, Calling-Station-Id
 * of every MAC authentication; MACs typed to coworkctl). A parsed MAC
 * formats to 17 characters that parse back to the same bytes.
 */
#include "fuzz.h"
#include "mac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_t f;
	size_t len;
	const char *in;
	cw_mac_t mac, again;
	char text[CW_MAC_TEXT_LEN];

	fz_init(&f, data, size);
	len = f.n;
	in = fz_keep(&f, malloc(len ? len : 1));
	memcpy((char *)in, data, len);
	if (cw_mac_parse(in, len, &mac) == 0) {
		FZ_CHECK(len == 12 || len == 14 || len == 17, "accepted a MAC of %zu characters", len);
		cw_mac_format(&mac, text);
		FZ_CHECK(strlen(text) == 17, "formatted as \"%s\"", text);
		FZ_CHECK(cw_mac_parse(text, strlen(text), &again) == 0, "\"%s\" does not parse back", text);
		FZ_CHECK(memcmp(&mac, &again, sizeof(mac)) == 0, "\"%s\" parses back to other bytes", text);
	}
	fz_free(&f);
	return 0;
}
