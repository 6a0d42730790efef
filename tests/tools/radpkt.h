/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * radpkt.h - RADIUS packet encoding and checking shared by the test and
 * benchmark clients (tests/tools/radtest, tests/tools/radload):
 * RFC 2865 attributes, User-Password hiding and Response Authenticator,
 * RFC 3579 3.2 Message-Authenticator. OpenSSL for MD5 and HMAC-MD5.
 *
 * No function here prints, exits or keeps the secret: callers pass it in.
 */
#ifndef COWORK_TESTS_RADPKT_H
#define COWORK_TESTS_RADPKT_H

#include <stddef.h>
#include <stdint.h>

#define RADIUS_HDR_LEN		20
#define RADIUS_MAX_LEN		4096
#define RADIUS_AUTH_LEN		16
#define RADIUS_ATTR_MAX		253	/* value bytes in one attribute */
#define PASSWORD_MAX		128	/* RFC 2865 5.2 */

#define CODE_ACCESS_REQUEST	1
#define CODE_ACCESS_ACCEPT	2
#define CODE_ACCESS_REJECT	3
#define CODE_ACCESS_CHALLENGE	11

#define ATTR_USER_NAME		1
#define ATTR_USER_PASSWORD	2
#define ATTR_NAS_IP_ADDRESS	4
#define ATTR_REPLY_MESSAGE	18
#define ATTR_VENDOR_SPECIFIC	26
#define ATTR_SESSION_TIMEOUT	27
#define ATTR_CALLED_STATION_ID	30
#define ATTR_CALLING_STATION_ID	31
#define ATTR_NAS_IDENTIFIER	32
#define ATTR_NAS_PORT_TYPE	61
#define ATTR_TUNNEL_TYPE	64
#define ATTR_TUNNEL_MEDIUM_TYPE	65
#define ATTR_TUNNEL_PASSWORD	69
#define ATTR_CONNECT_INFO	77
#define ATTR_MESSAGE_AUTH	80
#define ATTR_TUNNEL_PRIVATE_GID	81

#define NAS_PORT_TYPE_80211	19

struct packet {
	uint8_t		data[RADIUS_MAX_LEN];
	size_t		len;
};

/* Result codes of the encoders below besides 0. */
#define RADPKT_TOO_LARGE	-1	/* value or packet over the limits */
#define RADPKT_CRYPTO		-2	/* OpenSSL failed */

/* Append one attribute; 0 or RADPKT_TOO_LARGE. */
int	radpkt_add_attr(struct packet *, uint8_t type, const void *value,
	    size_t len);
/* Append a string attribute (without its NUL); as radpkt_add_attr. */
int	radpkt_add_string(struct packet *, uint8_t type, const char *s);
/* out = MD5(a || b || c); any part may be empty. Returns 0 or -1. */
int	radpkt_md5_concat(uint8_t out[16], const void *a, size_t alen,
	    const void *b, size_t blen, const void *c, size_t clen);
/* out = HMAC-MD5(key, data). Returns 0 or -1. */
int	radpkt_hmac_md5(uint8_t out[16], const void *key, size_t keylen,
	    const uint8_t *data, size_t len);
/*
 * RFC 2865 5.2: User-Password hidden with the Request Authenticator
 * already in pkt. password at most PASSWORD_MAX bytes (else
 * RADPKT_TOO_LARGE). 0, RADPKT_TOO_LARGE or RADPKT_CRYPTO.
 */
int	radpkt_add_user_password(struct packet *, const void *secret,
	    size_t secret_len, const char *password);
/* Write pkt->len into the Length field. */
void	radpkt_set_length(struct packet *);
/*
 * RFC 3579 3.2: append Message-Authenticator (HMAC-MD5 over the whole
 * request with its value zeroed) and set the Length field. 0,
 * RADPKT_TOO_LARGE or RADPKT_CRYPTO.
 */
int	radpkt_add_message_authenticator(struct packet *, const void *secret,
	    size_t secret_len);
/*
 * RFC 2865 3: Length field 20..4096, no more than received, attributes
 * exactly filling it. NULL if sound (reply->len then is the Length field),
 * else a short reason.
 */
const char *radpkt_check_structure(struct packet *reply);
/*
 * On a reply that passed radpkt_check_structure: *ma_state becomes "ok",
 * "bad" or "missing" (Message-Authenticator). Returns 1 if the Response
 * Authenticator is valid, 0 if not, -1 if OpenSSL failed.
 */
int	radpkt_verify_reply(const struct packet *reply, const uint8_t *req_auth,
	    const void *secret, size_t secret_len, const char **ma_state);

/*
 * The tool's shared secret (one per process). radpkt_secret_set copies
 * arg (1..1023 bytes, else it exits with status 2), wipes arg so that it
 * leaves ps(1), and wipes the copy at exit.
 */
extern char	radpkt_secret[1024];
extern size_t	radpkt_secret_len;
void	radpkt_secret_set(char *arg);

/*
 * strtonum-style: a whole decimal string (no sign, no space) in
 * [min, max]. Returns 0 and sets *out, or -1.
 */
int	radpkt_parse_number(const char *s, long long min, long long max,
	    long long *out);

#endif
