/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mac.c - link-layer addresses as access points write them.
 */
#include <assert.h>
#include <stdbool.h>

#include "cowork.h"
#include "mac.h"

/*
 * Read 12 hex digits from in, skipping the positions where is_sep says a
 * separator `sep` must stand. len has already been checked by the caller.
 */
static int mac_read(const char *in, size_t len, char sep, bool (*is_sep)(size_t), cw_mac_t *out)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		int v;

		if (is_sep(i)) {
			if (in[i] != sep) return -1;
			continue;
		}
		v = cw_hexval(in[i]);
		if (v < 0) return -1;
		assert(n < 12);
		if (n % 2 == 0) {
			out->b[n / 2] = (uint8_t)(v << 4);
		} else {
			out->b[n / 2] |= (uint8_t)v;
		}
		n++;
	}
	return n == 12 ? 0 : -1;
}

/* "aa:bb:cc:dd:ee:ff" and "AA-BB-CC-DD-EE-FF": a separator after each pair. */
static bool sep_pairs(size_t i)
{
	return i % 3 == 2;
}

/* "aabb.ccdd.eeff": a dot after each group of four. */
static bool sep_quads(size_t i)
{
	return i % 5 == 4;
}

static bool sep_none(size_t i)
{
	(void)i;
	return false;
}

/*
 * Parse in[0..len) as a MAC address in one of the four forms named in
 * mac.h. *out is written only on success.
 */
int cw_mac_parse(const char *in, size_t len, cw_mac_t *out)
{
	cw_mac_t mac = { { 0 } };
	int rc = -1;

	assert(out != NULL);
	if (in == NULL) return -1;

	switch (len) {
	case 17:
		if (in[2] == ':' || in[2] == '-') rc = mac_read(in, len, in[2], sep_pairs, &mac);
		break;
	case 14:
		rc = mac_read(in, len, '.', sep_quads, &mac);
		break;
	case 12:
		rc = mac_read(in, len, '\0', sep_none, &mac);
		break;
	default:
		break;
	}
	if (rc == 0) *out = mac;
	return rc;
}

/* Write mac as lowercase "aa:bb:cc:dd:ee:ff" into out (always terminated). */
void cw_mac_format(const cw_mac_t *mac, char out[CW_MAC_TEXT_LEN])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	assert(mac != NULL);
	for (i = 0; i < 6; i++) {
		out[3 * i] = digits[mac->b[i] >> 4];
		out[3 * i + 1] = digits[mac->b[i] & 0x0f];
		out[3 * i + 2] = ':';
	}
	out[CW_MAC_TEXT_LEN - 1] = '\0';
}
