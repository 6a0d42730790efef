/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * radpkt.c - RADIUS encoding and checks shared by radtest and radload; see
 * radpkt.h. Every length is checked before a byte it covers is read.
 */
#include <err.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "radpkt.h"

int
radpkt_add_attr(struct packet *pkt, uint8_t type, const void *value,
    size_t len)
{
	if (len > RADIUS_ATTR_MAX || pkt->len > RADIUS_MAX_LEN - 2 - len)
		return RADPKT_TOO_LARGE;
	pkt->data[pkt->len] = type;
	pkt->data[pkt->len + 1] = (uint8_t)(len + 2);
	if (len > 0)
		memcpy(pkt->data + pkt->len + 2, value, len);
	pkt->len += 2 + len;
	return 0;
}

int
radpkt_add_string(struct packet *pkt, uint8_t type, const char *s)
{
	return radpkt_add_attr(pkt, type, s, strlen(s));
}

int
radpkt_md5_concat(uint8_t out[16], const void *a, size_t alen, const void *b,
    size_t blen, const void *c, size_t clen)
{
	EVP_MD_CTX	*ctx = EVP_MD_CTX_new();
	unsigned int	 olen = 0;
	int		 rc = -1;

	if (ctx == NULL)
		goto fail;
	if (EVP_DigestInit_ex(ctx, EVP_md5(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, a, alen) != 1 ||
	    EVP_DigestUpdate(ctx, b, blen) != 1 ||
	    EVP_DigestUpdate(ctx, c, clen) != 1 ||
	    EVP_DigestFinal_ex(ctx, out, &olen) != 1 || olen != 16)
		goto fail;
	rc = 0;
fail:
	EVP_MD_CTX_free(ctx);
	return rc;
}

int
radpkt_hmac_md5(uint8_t out[16], const void *key, size_t keylen,
    const uint8_t *data, size_t len)
{
	unsigned int	olen = 0;

	if (HMAC(EVP_md5(), key, (int)keylen, data, len, out, &olen) == NULL ||
	    olen != 16)
		return -1;
	return 0;
}

int
radpkt_add_user_password(struct packet *pkt, const void *secret,
    size_t secret_len, const char *password)
{
	uint8_t		 buf[PASSWORD_MAX], b[16];
	const uint8_t	*prev = pkt->data + 4;	/* Request Authenticator */
	size_t		 len = strlen(password), padded, i, j;
	int		 rc = RADPKT_TOO_LARGE;

	if (len > PASSWORD_MAX)
		return RADPKT_TOO_LARGE;
	padded = (len + 15) / 16 * 16;
	memset(buf, 0, sizeof(buf));
	memcpy(buf, password, len);
	for (i = 0; i < padded; i += 16) {
		if (radpkt_md5_concat(b, secret, secret_len, prev,
		    i == 0 ? RADIUS_AUTH_LEN : 16, NULL, 0) == -1) {
			rc = RADPKT_CRYPTO;
			goto out;
		}
		for (j = 0; j < 16; j++)
			buf[i + j] ^= b[j];
		prev = buf + i;
	}
	rc = radpkt_add_attr(pkt, ATTR_USER_PASSWORD, buf, padded);
out:
	explicit_bzero(buf, sizeof(buf));
	explicit_bzero(b, sizeof(b));
	return rc;
}

void
radpkt_set_length(struct packet *pkt)
{
	pkt->data[2] = (uint8_t)(pkt->len >> 8);
	pkt->data[3] = (uint8_t)(pkt->len & 0xff);
}

int
radpkt_add_message_authenticator(struct packet *pkt, const void *secret,
    size_t secret_len)
{
	static const uint8_t	zero[16];
	uint8_t			mac[16];
	size_t			at;

	if (radpkt_add_attr(pkt, ATTR_MESSAGE_AUTH, zero, sizeof(zero)) != 0)
		return RADPKT_TOO_LARGE;
	at = pkt->len - sizeof(zero);
	radpkt_set_length(pkt);
	if (radpkt_hmac_md5(mac, secret, secret_len, pkt->data, pkt->len) == -1)
		return RADPKT_CRYPTO;
	memcpy(pkt->data + at, mac, sizeof(mac));
	return 0;
}

const char *
radpkt_check_structure(struct packet *reply)
{
	size_t	len, pos;

	if (reply->len < RADIUS_HDR_LEN)
		return "short";
	len = (size_t)reply->data[2] << 8 | reply->data[3];
	if (len < RADIUS_HDR_LEN || len > RADIUS_MAX_LEN)
		return "length_field";
	if (len > reply->len)
		return "truncated";
	for (pos = RADIUS_HDR_LEN; pos < len; pos += reply->data[pos + 1]) {
		if (len - pos < 2)
			return "attribute_header";
		if (reply->data[pos + 1] < 2)
			return "attribute_length";
		if (reply->data[pos + 1] > len - pos)
			return "attribute_overrun";
	}
	reply->len = len;
	return NULL;
}

int
radpkt_verify_reply(const struct packet *reply, const uint8_t *req_auth,
    const void *secret, size_t secret_len, const char **ma_state)
{
	struct packet		copy;
	uint8_t			digest[16];
	size_t			pos, ma_at = 0;
	int			ma_count = 0, ra_ok;

	memcpy(copy.data, reply->data, reply->len);
	copy.len = reply->len;
	memcpy(copy.data + 4, req_auth, RADIUS_AUTH_LEN);
	if (radpkt_md5_concat(digest, copy.data, copy.len, secret, secret_len,
	    NULL, 0) == -1)
		return -1;
	ra_ok = CRYPTO_memcmp(digest, reply->data + 4, 16) == 0;

	for (pos = RADIUS_HDR_LEN; pos < copy.len; pos += copy.data[pos + 1]) {
		if (copy.data[pos] != ATTR_MESSAGE_AUTH)
			continue;
		ma_count++;
		ma_at = pos;
	}
	*ma_state = "missing";
	if (ma_count == 0)
		return ra_ok;
	*ma_state = "bad";
	if (ma_count > 1 || copy.data[ma_at + 1] != 18)
		return ra_ok;
	memset(copy.data + ma_at + 2, 0, 16);
	if (radpkt_hmac_md5(digest, secret, secret_len, copy.data,
	    copy.len) == -1)
		return -1;
	if (CRYPTO_memcmp(digest, reply->data + ma_at + 2, 16) == 0)
		*ma_state = "ok";
	return ra_ok;
}

char	radpkt_secret[1024];
size_t	radpkt_secret_len;

static void
wipe_secret(void)
{
	OPENSSL_cleanse(radpkt_secret, sizeof(radpkt_secret));
	radpkt_secret_len = 0;
}

void
radpkt_secret_set(char *arg)
{
	size_t	len = strlen(arg);

	if (len == 0 || len >= sizeof(radpkt_secret))
		errx(2, "--secret: must be 1..%zu bytes",
		    sizeof(radpkt_secret) - 1);
	if (radpkt_secret_len == 0 && atexit(wipe_secret) != 0)
		errx(2, "atexit");
	memcpy(radpkt_secret, arg, len);
	radpkt_secret_len = len;
	/* Keep it out of ps(1) from now on. */
	OPENSSL_cleanse(arg, len);
}

int
radpkt_parse_number(const char *s, long long min, long long max,
    long long *out)
{
	char		*end;
	long long	 v;

	if (*s == '\0' || *s == '+' || *s == '-' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
