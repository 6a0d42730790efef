/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mac.h - link-layer addresses as access points write them.
 */
#ifndef COWORK_MAC_H
#define COWORK_MAC_H

#include <stddef.h>
#include <stdint.h>

typedef struct cw_mac {
	uint8_t b[6];
} cw_mac_t;

/* "aa:bb:cc:dd:ee:ff" plus NUL */
#define CW_MAC_TEXT_LEN 18

/*
 * Parse a MAC address in any of the forms access points and admins use,
 * in either case:
 *   AA-BB-CC-DD-EE-FF   aa:bb:cc:dd:ee:ff   aabb.ccdd.eeff   aabbccddeeff
 * The whole of in[0..len) must be the address: no surrounding blanks, one
 * separator style throughout. Returns 0, or -1 when it is anything else.
 */
int cw_mac_parse(const char *in, size_t len, cw_mac_t *out);

/* Write the address as "aa:bb:cc:dd:ee:ff". */
void cw_mac_format(const cw_mac_t *mac, char out[CW_MAC_TEXT_LEN]);

#endif
