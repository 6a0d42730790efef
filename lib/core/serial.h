/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * serial.h - certificate serial numbers in one canonical text form.
 *
 * FreeRADIUS reports TLS-Client-Cert-Serial as lowercase hex of the DER
 * integer's bytes ("2a01"); `openssl x509 -serial` prints uppercase, and
 * admins paste "2A:01". Every serial that enters the registry or is looked
 * up in it goes through cw_serial_normalise first, so all of those compare
 * equal.
 */
#ifndef COWORK_SERIAL_H
#define COWORK_SERIAL_H

#include <stddef.h>
#include <stdint.h>

#include "cowork.h"

/* RFC 5280 4.1.2.2: a serial is at most 20 octets. */
#define CW_SERIAL_HEX_MAX 40

/* Longest input accepted before normalising (separators included). */
#define CW_SERIAL_INPUT_MAX 128

/*
 * Normalise a serial written in hex: an optional "0x"/"0X" prefix, hex
 * digits of either case, optionally separated by ':' or ' '. The result is
 * lowercase hex without separators or leading zeros ("0" for zero).
 *
 * in need not be NUL-terminated; inlen is its length. out must hold
 * CW_SERIAL_HEX_MAX + 1 bytes and is always terminated.
 * Returns 0, or -1 (with err set) when the input is empty, longer than
 * CW_SERIAL_INPUT_MAX, holds any other character, has no digit, or has
 * more than CW_SERIAL_HEX_MAX significant digits.
 */
int cw_serial_normalise(const char *in, size_t inlen, char out[CW_SERIAL_HEX_MAX + 1],
			cw_err_t *err);

/*
 * Canonical text of a big-endian unsigned integer given as bytes (as in a
 * DER INTEGER's content without its sign octet). Returns 0, or -1 when it
 * has more than CW_SERIAL_HEX_MAX significant hex digits.
 */
int cw_serial_from_bytes(const uint8_t *bytes, size_t len, char out[CW_SERIAL_HEX_MAX + 1]);

#endif
