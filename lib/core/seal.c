/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * seal.c - invitation tokens and sealed devices (docs/enrollment.md).
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "rand.h"
#include "seal.h"

#define SEAL_VERSION	1
#define NONCE_LEN	12
#define TAG_LEN		16
#define KEY_LEN		32

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static const char lookup_key[] = "cowork-invite-lookup v1";
static const char seal_info[] = "cowork-invite-seal v1";

/* base64url without padding of CW_TOKEN_LEN bytes: 43 characters, the last one holding 2 bits. */
static void token_text(const cw_token_t *t, char text[CW_TOKEN_TEXT_LEN + 1])
{
	size_t o = 0;
	uint32_t acc = 0;
	int bits = 0;

	for (size_t i = 0; i < CW_TOKEN_LEN; i++) {
		acc = (acc << 8) | t->b[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			text[o++] = b64url[(acc >> bits) & 0x3f];
		}
	}
	if (bits > 0) text[o++] = b64url[(acc << (6 - bits)) & 0x3f];
	assert(o == CW_TOKEN_TEXT_LEN);
	text[o] = '\0';
}

int cw_token_new(cw_token_t *t, char text[CW_TOKEN_TEXT_LEN + 1], cw_err_t *err)
{
	if (cw_random_bytes(t->b, sizeof(t->b), err) < 0) return -1;
	token_text(t, text);
	return 0;
}

static int b64url_value(unsigned char c)
{
	const char *p;

	if (c == '\0') return -1;
	p = strchr(b64url, c);
	return p ? (int)(p - b64url) : -1;
}

int cw_token_parse(const char *text, size_t len, cw_token_t *t, cw_err_t *err)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;

	if (len != CW_TOKEN_TEXT_LEN) {
		cw_err_set(err, "token: %zu characters, expected %d", len, CW_TOKEN_TEXT_LEN);
		goto fail;
	}
	for (size_t i = 0; i < len; i++) {
		int v = b64url_value((unsigned char)text[i]);

		if (v < 0) {
			cw_err_set(err, "token: character %zu is not base64url", i + 1);
			goto fail;
		}
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			t->b[o++] = (uint8_t)(acc >> bits);
		}
	}
	/* 43 * 6 = 258 bits: the last 2 must be zero, or two texts would name one token. */
	if (o != CW_TOKEN_LEN || (acc & ((1u << bits) - 1)) != 0) {
		cw_err_set(err, "token: not the text of %d bytes", CW_TOKEN_LEN);
		goto fail;
	}
	return 0;
fail:
	cw_token_wipe(t);
	return -1;
}

int cw_token_lookup(const cw_token_t *t, char out[CW_TOKEN_LOOKUP_HEX], cw_err_t *err)
{
	unsigned char mac[32];
	unsigned int maclen = 0;

	if (HMAC(EVP_sha256(), lookup_key, (int)strlen(lookup_key), t->b, sizeof(t->b), mac, &maclen) == NULL ||
	    maclen != sizeof(mac)) {
		cw_err_set(err, "token: HMAC-SHA-256 failed");
		out[0] = '\0';
		return -1;
	}
	for (size_t i = 0; i < sizeof(mac); i++) snprintf(out + 2 * i, 3, "%02x", mac[i]);
	return 0;
}

void cw_token_wipe(cw_token_t *t)
{
	OPENSSL_cleanse(t->b, sizeof(t->b));
}

/* K = HKDF-SHA-256(ikm = token, salt = empty, info = seal_info). */
static int seal_key(const cw_token_t *t, uint8_t key[KEY_LEN], cw_err_t *err)
{
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	char digest[] = "SHA256";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, digest, 0),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)(uintptr_t)t->b, sizeof(t->b)),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)(uintptr_t)seal_info,
						  strlen(seal_info)),
		OSSL_PARAM_construct_end(),
	};
	int rc = -1;

	if (ctx && EVP_KDF_derive(ctx, key, KEY_LEN, params) == 1) rc = 0;
	else cw_err_set(err, "seal: HKDF-SHA-256 failed");
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	return rc;
}

/* The additional data binding a sealed device to its invitation and slot. */
static int seal_aad(int64_t invite_id, unsigned slot, char *buf, size_t len)
{
	int n = snprintf(buf, len, "cowork-invite:%" PRId64 ":%u", invite_id, slot);

	return (n > 0 && (size_t)n < len) ? n : -1;
}

/*
 * One AES-256-GCM pass: encrypt (enc = 1; tag written) or decrypt (enc = 0;
 * tag checked). in and out are len bytes each.
 */
static int gcm(int enc, const uint8_t key[KEY_LEN], const uint8_t nonce[NONCE_LEN], const char *aad, int aad_len,
	       const uint8_t *in, size_t len, uint8_t *out, uint8_t tag[TAG_LEN])
{
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n = 0, rc = -1;

	if (!c || len > INT32_MAX) goto done;
	if (EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL) != 1 ||
	    EVP_CipherInit_ex(c, NULL, NULL, key, nonce, enc) != 1 ||
	    EVP_CipherUpdate(c, NULL, &n, (const unsigned char *)aad, aad_len) != 1 ||
	    EVP_CipherUpdate(c, out, &n, in, (int)len) != 1 || (size_t)n != len)
		goto done;
	if (!enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, TAG_LEN, tag) != 1) goto done;
	if (EVP_CipherFinal_ex(c, out + n, &n) != 1 || n != 0) goto done;
	if (enc && EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, TAG_LEN, tag) != 1) goto done;
	rc = 0;
done:
	EVP_CIPHER_CTX_free(c);
	return rc;
}

int cw_seal(const cw_token_t *t, int64_t invite_id, unsigned slot, const char *password,
	    const uint8_t *p12, size_t p12_len, uint8_t **out, size_t *out_len, cw_err_t *err)
{
	size_t pwlen = password ? strlen(password) : 0;
	size_t plen = 1 + pwlen + p12_len;
	uint8_t key[KEY_LEN], *plain = NULL, *sealed = NULL;
	char aad[64];
	int aad_len = seal_aad(invite_id, slot, aad, sizeof(aad));

	*out = NULL;
	*out_len = 0;
	if (pwlen < CW_SEAL_PASSWORD_MIN || pwlen > CW_SEAL_PASSWORD_MAX) {
		cw_err_set(err, "seal: password of %zu bytes, expected %d to %d", pwlen, CW_SEAL_PASSWORD_MIN,
			   CW_SEAL_PASSWORD_MAX);
		return -1;
	}
	if (p12_len == 0 || CW_SEAL_OVERHEAD + plen > CW_SEAL_MAX || aad_len < 0) {
		cw_err_set(err, "seal: PKCS#12 of %zu bytes does not fit (at most %d in all)", p12_len, CW_SEAL_MAX);
		return -1;
	}
	if (!(plain = malloc(plen)) || !(sealed = malloc(CW_SEAL_OVERHEAD + plen))) {
		cw_err_set(err, "seal: out of memory");
		goto fail;
	}
	plain[0] = (uint8_t)pwlen;
	memcpy(plain + 1, password, pwlen);
	memcpy(plain + 1 + pwlen, p12, p12_len);
	sealed[0] = SEAL_VERSION;
	if (cw_random_bytes(sealed + 1, NONCE_LEN, err) < 0 || seal_key(t, key, err) < 0) goto fail;
	if (gcm(1, key, sealed + 1, aad, aad_len, plain, plen, sealed + 1 + NONCE_LEN,
		sealed + 1 + NONCE_LEN + plen) < 0) {
		cw_err_set(err, "seal: AES-256-GCM failed");
		goto fail;
	}
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_clear_free(plain, plen);
	*out = sealed;
	*out_len = CW_SEAL_OVERHEAD + plen;
	return 0;
fail:
	OPENSSL_cleanse(key, sizeof(key));
	if (plain) OPENSSL_clear_free(plain, plen);
	free(sealed);
	return -1;
}

int cw_seal_open(const cw_token_t *t, int64_t invite_id, unsigned slot, const uint8_t *sealed, size_t len,
		 char **password, uint8_t **p12, size_t *p12_len, cw_err_t *err)
{
	uint8_t key[KEY_LEN], tag[TAG_LEN], *plain = NULL;
	size_t plen, pwlen;
	char aad[64];
	int aad_len = seal_aad(invite_id, slot, aad, sizeof(aad));

	*password = NULL;
	*p12 = NULL;
	*p12_len = 0;
	if (len <= CW_SEAL_OVERHEAD + 1 || len > CW_SEAL_MAX || aad_len < 0) {
		cw_err_set(err, "sealed device: %zu bytes, not a sealed device", len);
		return -1;
	}
	if (sealed[0] != SEAL_VERSION) {
		cw_err_set(err, "sealed device: version %u, expected %d", sealed[0], SEAL_VERSION);
		return -1;
	}
	plen = len - CW_SEAL_OVERHEAD;
	memcpy(tag, sealed + len - TAG_LEN, TAG_LEN);
	if (!(plain = malloc(plen))) {
		cw_err_set(err, "sealed device: out of memory");
		return -1;
	}
	if (seal_key(t, key, err) < 0) goto fail;
	if (gcm(0, key, sealed + 1, aad, aad_len, sealed + 1 + NONCE_LEN, plen, plain, tag) < 0) {
		cw_err_set(err, "sealed device: does not open with this token for invitation %" PRId64 " slot %u",
			   invite_id, slot);
		goto fail;
	}
	pwlen = plain[0];
	if (pwlen < CW_SEAL_PASSWORD_MIN || pwlen > CW_SEAL_PASSWORD_MAX || 1 + pwlen >= plen ||
	    memchr(plain + 1, '\0', pwlen) != NULL) {
		cw_err_set(err, "sealed device: malformed contents");
		goto fail;
	}
	if (!(*password = malloc(pwlen + 1)) || !(*p12 = malloc(plen - 1 - pwlen))) {
		cw_err_set(err, "sealed device: out of memory");
		goto fail;
	}
	memcpy(*password, plain + 1, pwlen);
	(*password)[pwlen] = '\0';
	*p12_len = plen - 1 - pwlen;
	memcpy(*p12, plain + 1 + pwlen, *p12_len);
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_clear_free(plain, plen);
	return 0;
fail:
	OPENSSL_cleanse(key, sizeof(key));
	OPENSSL_clear_free(plain, plen);
	free(*password);	/* never filled on these paths */
	*password = NULL;
	free(*p12);
	*p12 = NULL;
	*p12_len = 0;
	return -1;
}

void cw_seal_free(char *password, uint8_t *p12, size_t p12_len)
{
	if (password) OPENSSL_clear_free(password, strlen(password) + 1);
	if (p12) OPENSSL_clear_free(p12, p12_len);
}
