/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * seal.h - invitation tokens and the sealed PKCS#12 of a device
 * (docs/enrollment.md): what `coworkctl invite create` makes and what only
 * the holder of the link can open.
 *
 * The token is CW_TOKEN_LEN random bytes, written as CW_TOKEN_TEXT_LEN
 * characters of base64url without padding. The registry stores only its
 * lookup hash; the key that opens a sealed device is derived from it with
 * HKDF, so neither the registry nor the web service can open one.
 */
#ifndef COWORK_SEAL_H
#define COWORK_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "cowork.h"

#define CW_TOKEN_LEN		32	//!< random bytes of a token
#define CW_TOKEN_TEXT_LEN	43	//!< base64url characters, no padding
#define CW_TOKEN_LOOKUP_HEX	65	//!< hex HMAC-SHA-256 and its NUL

#define CW_SEAL_PASSWORD_MIN	16	//!< PKCS#12 password bytes in a sealed device
#define CW_SEAL_PASSWORD_MAX	64
#define CW_SEAL_OVERHEAD	(1 + 12 + 16)	//!< version, nonce, tag
#define CW_SEAL_MAX		(70 * 1024)	//!< a sealed device, whole

typedef struct cw_token {
	uint8_t	b[CW_TOKEN_LEN];
} cw_token_t;

/* A new token from the CSPRNG and its text (CW_TOKEN_TEXT_LEN + 1 bytes). 0, or -1 with err. */
int cw_token_new(cw_token_t *t, char text[CW_TOKEN_TEXT_LEN + 1], cw_err_t *err);

/*
 * Parse a token's text: exactly CW_TOKEN_TEXT_LEN base64url characters
 * (no padding, no other byte, and the unused low bits of the last character
 * zero, so that one token has one text). 0, or -1 with err.
 */
int cw_token_parse(const char *text, size_t len, cw_token_t *t, cw_err_t *err);

/* lookup = hex(HMAC-SHA-256("cowork-invite-lookup v1", token)). 0, or -1 (library failure). */
int cw_token_lookup(const cw_token_t *t, char out[CW_TOKEN_LOOKUP_HEX], cw_err_t *err);

/*
 * Seal a device: password (CW_SEAL_PASSWORD_MIN..MAX bytes, no NUL) and the
 * PKCS#12 DER under HKDF-SHA-256(token, "cowork-invite-seal v1"), AES-256-GCM
 * with a random nonce and aad "cowork-invite:<invite_id>:<slot>".
 * *out is malloc'd (free()); *out_len <= CW_SEAL_MAX. 0, or -1 with err.
 */
int cw_seal(const cw_token_t *t, int64_t invite_id, unsigned slot, const char *password,
	    const uint8_t *p12, size_t p12_len, uint8_t **out, size_t *out_len, cw_err_t *err);

/*
 * Open what cw_seal made for the same token, invite id and slot. Any other
 * input (wrong token, other slot, a flipped bit, truncation, a version
 * other than 1) is -1 with err, and nothing is returned. On success
 * *password (NUL-terminated) and *p12 are malloc'd: free both with
 * cw_secret_free-like wiping (cw_seal_free). 0, or -1 with err.
 */
int cw_seal_open(const cw_token_t *t, int64_t invite_id, unsigned slot, const uint8_t *sealed, size_t len,
		 char **password, uint8_t **p12, size_t *p12_len, cw_err_t *err);

/* Wipe and free what cw_seal_open returned. Accepts NULLs. */
void cw_seal_free(char *password, uint8_t *p12, size_t p12_len);

/* Wipe a token from memory. */
void cw_token_wipe(cw_token_t *t);

#endif
