/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dae.c - RADIUS Dynamic Authorization client: Disconnect-Requests.
 */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "dae.h"
#include "rand.h"
#include "clock.h"

#define HDR_LEN		20
#define AUTH_LEN	16
#define ATTR_VALUE_MAX	253

#define ATTR_USER_NAME		1
#define ATTR_NAS_IP_ADDRESS	4
#define ATTR_CALLING_STATION_ID	31
#define ATTR_NAS_IDENTIFIER	32
#define ATTR_ACCT_SESSION_ID	44
#define ATTR_EVENT_TIMESTAMP	55
#define ATTR_MESSAGE_AUTH	80
#define ATTR_ERROR_CAUSE	101

/* Identifiers in flight at once: one round uses each at most once. */
#define ROUND_MAX	256

/* --- packets ----------------------------------------------------------------- */

/* Append an attribute at *pos. 0, or -1 when it does not fit. */
static int put_attr(uint8_t *pkt, size_t *pos, uint8_t type, const void *value, size_t len)
{
	if (len > ATTR_VALUE_MAX || *pos + 2 + len > CW_RADIUS_MAX) return -1;
	pkt[*pos] = type;
	pkt[*pos + 1] = (uint8_t)(len + 2);
	memcpy(pkt + *pos + 2, value, len);
	*pos += 2 + len;
	return 0;
}

/* A string attribute, left out for NULL or "". 0 or -1. */
static int put_text(uint8_t *pkt, size_t *pos, uint8_t type, const char *s)
{
	return s && *s ? put_attr(pkt, pos, type, s, strlen(s)) : 0;
}

static void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A part of what MD5 is taken over. */
struct part {
	const void	*p;
	size_t		len;
};

/* MD5 over parts[0..n) in order. 0 or -1. */
static int md5_parts(const struct part *parts, size_t n, uint8_t out[AUTH_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int olen = 0;
	int ok = ctx && EVP_DigestInit_ex(ctx, EVP_md5(), NULL);

	for (size_t i = 0; ok && i < n; i++) ok = EVP_DigestUpdate(ctx, parts[i].p, parts[i].len);
	ok = ok && EVP_DigestFinal_ex(ctx, out, &olen) && olen == AUTH_LEN;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : -1;
}

static int hmac_md5(const void *secret, size_t secret_len, const uint8_t *data, size_t len, uint8_t out[AUTH_LEN])
{
	unsigned int olen = 0;

	if (!HMAC(EVP_md5(), secret, (int)secret_len, data, len, out, &olen) || olen != AUTH_LEN) return -1;
	return 0;
}

/* The session's attributes and Event-Timestamp after the header. 0 or -1 with err. */
static int put_session(const cw_dae_session_t *s, uint8_t *pkt, size_t *pos, cw_err_t *err)
{
	uint8_t ts[4];

	if (!s->acct_session_id || !*s->acct_session_id) {
		cw_err_set(err, "a Disconnect-Request needs the session's Acct-Session-Id");
		return -1;
	}
	put_u32(ts, s->event_timestamp);
	if (put_text(pkt, pos, ATTR_ACCT_SESSION_ID, s->acct_session_id) < 0 ||
	    put_text(pkt, pos, ATTR_USER_NAME, s->user_name) < 0 ||
	    put_text(pkt, pos, ATTR_CALLING_STATION_ID, s->calling_station) < 0 ||
	    put_text(pkt, pos, ATTR_NAS_IDENTIFIER, s->nas_identifier) < 0 ||
	    (s->has_nas_ip && put_attr(pkt, pos, ATTR_NAS_IP_ADDRESS, s->nas_ip, 4) < 0) ||
	    put_attr(pkt, pos, ATTR_EVENT_TIMESTAMP, ts, sizeof(ts)) < 0) {
		cw_err_set(err, "a session attribute is longer than %d bytes", ATTR_VALUE_MAX);
		return -1;
	}
	return 0;
}

int cw_dae_build(const cw_dae_session_t *s, uint8_t identifier, const void *secret, size_t secret_len,
		 uint8_t out[CW_RADIUS_MAX], size_t *len, cw_err_t *err)
{
	static const uint8_t zero[AUTH_LEN];
	uint8_t mac[AUTH_LEN], auth[AUTH_LEN];
	size_t pos = HDR_LEN, ma_at;

	memset(out, 0, HDR_LEN);
	out[0] = CW_DAE_DISCONNECT_REQUEST;
	out[1] = identifier;
	if (put_session(s, out, &pos, err) < 0) return -1;
	ma_at = pos + 2;
	if (put_attr(out, &pos, ATTR_MESSAGE_AUTH, zero, sizeof(zero)) < 0) {
		cw_err_set(err, "the Disconnect-Request is too long");
		return -1;
	}
	out[2] = (uint8_t)(pos >> 8);
	out[3] = (uint8_t)pos;
	/* RFC 5176 3.4: Message-Authenticator first, with the Request Authenticator zeroed... */
	if (hmac_md5(secret, secret_len, out, pos, mac) < 0) goto crypto;
	memcpy(out + ma_at, mac, sizeof(mac));
	/* ...then the Request Authenticator over the whole packet, as for accounting. */
	if (md5_parts((const struct part[]){ { out, pos }, { secret, secret_len } }, 2, auth) < 0) goto crypto;
	memcpy(out + 4, auth, sizeof(auth));
	*len = pos;
	return 0;

crypto:
	cw_err_set(err, "MD5 is not available from the crypto library");
	return -1;
}

/* RFC 2865 3: the length field and the attributes fill exactly. The length, or 0 with err. */
static size_t check_structure(const uint8_t *pkt, size_t len, cw_err_t *err)
{
	size_t total, pos;

	if (len < HDR_LEN) {
		cw_err_set(err, "short answer (%zu bytes)", len);
		return 0;
	}
	total = (size_t)pkt[2] << 8 | pkt[3];
	if (total < HDR_LEN || total > CW_RADIUS_MAX || total > len) {
		cw_err_set(err, "answer with a bad length field (%zu, received %zu)", total, len);
		return 0;
	}
	for (pos = HDR_LEN; pos < total; pos += pkt[pos + 1]) {
		if (total - pos < 2 || pkt[pos + 1] < 2 || pkt[pos + 1] > total - pos) {
			cw_err_set(err, "answer with a malformed attribute at offset %zu", pos);
			return 0;
		}
	}
	return total;
}

/* Find the Message-Authenticator and Error-Cause. 0, or -1 with err for a malformed one. */
static int scan_attrs(const uint8_t *pkt, size_t total, size_t *ma_at, cw_dae_answer_t *ans, cw_err_t *err)
{
	*ma_at = 0;
	for (size_t pos = HDR_LEN; pos < total; pos += pkt[pos + 1]) {
		uint8_t type = pkt[pos], alen = pkt[pos + 1];

		if (type == ATTR_MESSAGE_AUTH && (alen != 2 + AUTH_LEN || *ma_at)) {
			cw_err_set(err, "answer with a malformed or repeated Message-Authenticator");
			return -1;
		}
		if (type == ATTR_MESSAGE_AUTH) *ma_at = pos + 2;
		if (type == ATTR_ERROR_CAUSE && alen == 6 && !ans->has_error_cause) {
			ans->has_error_cause = true;
			ans->error_cause = get_u32(pkt + pos + 2);
		}
	}
	ans->has_message_authenticator = *ma_at != 0;
	return 0;
}

/* The Message-Authenticator of an answer: HMAC-MD5 with the Request Authenticator in place. 0 or -1 with err. */
static int check_message_authenticator(const uint8_t *req, const uint8_t *pkt, size_t total, size_t ma_at,
				       const void *secret, size_t secret_len, cw_err_t *err)
{
	uint8_t copy[CW_RADIUS_MAX], mac[AUTH_LEN];

	memcpy(copy, pkt, total);
	memcpy(copy + 4, req + 4, AUTH_LEN);
	memset(copy + ma_at, 0, AUTH_LEN);
	if (hmac_md5(secret, secret_len, copy, total, mac) < 0) {
		cw_err_set(err, "HMAC-MD5 is not available from the crypto library");
		return -1;
	}
	if (CRYPTO_memcmp(mac, pkt + ma_at, AUTH_LEN) != 0) {
		cw_err_set(err, "answer with a wrong Message-Authenticator (is the secret the NAS's?)");
		return -1;
	}
	return 0;
}

int cw_dae_verify(const uint8_t *req, size_t req_len, const uint8_t *pkt, size_t len, const void *secret,
		  size_t secret_len, cw_dae_answer_t *ans, cw_err_t *err)
{
	uint8_t auth[AUTH_LEN];
	size_t total, ma_at;

	memset(ans, 0, sizeof(*ans));
	if (req_len < HDR_LEN || (total = check_structure(pkt, len, err)) == 0) {
		if (req_len < HDR_LEN) cw_err_set(err, "no request to match the answer with");
		return -1;
	}
	if (pkt[0] != CW_DAE_DISCONNECT_ACK && pkt[0] != CW_DAE_DISCONNECT_NAK) {
		cw_err_set(err, "answer with code %u, not Disconnect-ACK or -NAK", pkt[0]);
		return -1;
	}
	if (pkt[1] != req[1]) {
		cw_err_set(err, "answer with identifier %u, the request had %u", pkt[1], req[1]);
		return -1;
	}
	/* ResponseAuth = MD5(Code + Identifier + Length + RequestAuth + Attributes + Secret) */
	if (md5_parts((const struct part[]){ { pkt, 4 }, { req + 4, AUTH_LEN }, { pkt + HDR_LEN, total - HDR_LEN },
					     { secret, secret_len } }, 4, auth) < 0) goto crypto;
	if (CRYPTO_memcmp(auth, pkt + 4, AUTH_LEN) != 0) {
		cw_err_set(err, "answer with a wrong Response Authenticator (is the secret the NAS's?)");
		return -1;
	}
	if (scan_attrs(pkt, total, &ma_at, ans, err) < 0) return -1;
	if (ma_at && check_message_authenticator(req, pkt, total, ma_at, secret, secret_len, err) < 0) return -1;
	ans->code = pkt[0];
	return 0;

crypto:
	cw_err_set(err, "MD5 is not available from the crypto library");
	return -1;
}

const char *cw_dae_error_cause_name(uint32_t cause)
{
	static const struct {
		uint32_t	code;
		const char	*name;
	} causes[] = {
		{ 201, "Residual-Session-Context-Removed" },
		{ 202, "Invalid-EAP-Packet" },
		{ 401, "Unsupported-Attribute" },
		{ 402, "Missing-Attribute" },
		{ 403, "NAS-Identification-Mismatch" },
		{ 404, "Invalid-Request" },
		{ 405, "Unsupported-Service" },
		{ 406, "Unsupported-Extension" },
		{ 407, "Invalid-Attribute-Value" },
		{ 501, "Administratively-Prohibited" },
		{ 502, "Request-Not-Routable" },
		{ 503, "Session-Context-Not-Found" },
		{ 504, "Session-Context-Not-Removable" },
		{ 505, "Other-Proxy-Processing-Error" },
		{ 506, "Resources-Unavailable" },
		{ 507, "Request-Initiated" },
		{ 508, "Multiple-Session-Selection-Unsupported" },
	};

	for (size_t i = 0; i < sizeof(causes) / sizeof(causes[0]); i++) {
		if (causes[i].code == cause) return causes[i].name;
	}
	return "unknown";
}

/* --- transport ------------------------------------------------------------------- */

/* The sockets of one round: one per address family in use. */
typedef struct round {
	cw_dae_target_t		*t;
	size_t			n;
	int			fd4;
	int			fd6;
	const cw_dae_config_t	*cfg;
} round_t;

static int family_of(const cw_dae_target_t *t)
{
	return t->addr.ss_family;
}

/* Does from (a datagram's source) equal the target's address and port? */
static bool same_peer(const struct sockaddr_storage *from, const cw_dae_target_t *t)
{
	if (from->ss_family != t->addr.ss_family) return false;
	if (from->ss_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)from, *b = (const struct sockaddr_in *)&t->addr;

		return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
	}
	if (from->ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)from;
		const struct sockaddr_in6 *b = (const struct sockaddr_in6 *)&t->addr;

		return a->sin6_port == b->sin6_port && memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(a->sin6_addr)) == 0;
	}
	return false;
}

/* Open the sockets the round's targets need. 0, or -1 with err. */
static int open_sockets(round_t *r, cw_err_t *err)
{
	for (size_t i = 0; i < r->n; i++) {
		int fam = family_of(&r->t[i]);
		int *fd = fam == AF_INET ? &r->fd4 : fam == AF_INET6 ? &r->fd6 : NULL;

		if (!fd) {
			r->t[i].outcome = CW_DAE_FAILED;
			cw_err_set(&r->t[i].error, "not an IPv4 or IPv6 address");
			continue;
		}
		if (*fd >= 0) continue;
		*fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (*fd < 0) {
			cw_err_set(err, "cannot open a UDP socket: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Give each target its identifier and packet; a target that cannot be built fails alone. */
static void build_round(round_t *r, uint8_t first_id)
{
	for (size_t i = 0; i < r->n; i++) {
		cw_dae_target_t *t = &r->t[i];

		if (t->outcome != CW_DAE_PENDING) continue;
		if (cw_dae_build(&t->session, (uint8_t)(first_id + i), t->secret, t->secret_len, t->packet,
				 &t->packet_len, &t->error) < 0) t->outcome = CW_DAE_FAILED;
	}
}

/* Send what is due now (first transmissions and retransmissions); the number still pending. */
static size_t transmit_due(round_t *r, int64_t now)
{
	size_t pending = 0;

	for (size_t i = 0; i < r->n; i++) {
		cw_dae_target_t *t = &r->t[i];
		int fd = family_of(t) == AF_INET ? r->fd4 : r->fd6;

		if (t->outcome != CW_DAE_PENDING) continue;
		pending++;
		if (t->sent >= r->cfg->max_sends || (t->sent && now - t->last_sent_ms < (int64_t)r->cfg->retry_ms)) continue;
		if (sendto(fd, t->packet, t->packet_len, 0, (const struct sockaddr *)&t->addr, t->addr_len) < 0) {
			t->outcome = CW_DAE_FAILED;
			cw_err_set(&t->error, "cannot send: %s", strerror(errno));
			pending--;
			continue;
		}
		t->sent++;
		t->last_sent_ms = now;
	}
	return pending;
}

/* Milliseconds until the next retransmission is due (or the deadline). */
static int next_wait(const round_t *r, int64_t now, int64_t deadline)
{
	int64_t next = deadline;

	for (size_t i = 0; i < r->n; i++) {
		const cw_dae_target_t *t = &r->t[i];
		int64_t due = t->last_sent_ms + r->cfg->retry_ms;

		if (t->outcome == CW_DAE_PENDING && t->sent < r->cfg->max_sends && due < next) next = due;
	}
	return next > now ? (int)(next - now) : 0;
}

/* One datagram: give it to the pending target it answers, or drop it. */
static void take_answer(round_t *r, const struct sockaddr_storage *from, const uint8_t *pkt, size_t len)
{
	for (size_t i = 0; i < r->n; i++) {
		cw_dae_target_t *t = &r->t[i];
		cw_err_t e;

		if (t->outcome != CW_DAE_PENDING || len < 2 || pkt[1] != t->packet[1] || family_of(t) != from->ss_family) {
			continue;
		}
		if (!same_peer(from, t)) {
			/* Our identifier from elsewhere: not the NAS's answer, but worth saying. */
			t->discarded++;
			cw_err_set(&t->error, "an answer came from another address or port than the NAS's");
			continue;
		}
		if (cw_dae_verify(t->packet, t->packet_len, pkt, len, t->secret, t->secret_len, &t->answer, &e) < 0) {
			t->discarded++;
			t->error = e;
			return;
		}
		t->outcome = t->answer.code == CW_DAE_DISCONNECT_ACK ? CW_DAE_ACKED : CW_DAE_NAKED;
		return;
	}
}

/* Read every datagram waiting on fd. */
static void drain(round_t *r, int fd)
{
	uint8_t buf[CW_RADIUS_MAX];
	struct sockaddr_storage from;
	socklen_t flen;
	ssize_t got;

	for (;;) {
		flen = sizeof(from);
		got = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		if (got < 0) {
			if (errno == EINTR) continue;
			return;	/* EAGAIN: all read; anything else (an ICMP error) ends this read too */
		}
		take_answer(r, &from, buf, (size_t)got);
	}
}

static void run_round(round_t *r)
{
	int64_t deadline = cw_monotonic_ms() + r->cfg->timeout_ms, now;
	struct pollfd pfd[2] = { { .fd = r->fd4, .events = POLLIN }, { .fd = r->fd6, .events = POLLIN } };

	while ((now = cw_monotonic_ms()) < deadline && transmit_due(r, now) > 0) {
		if (poll(pfd, 2, next_wait(r, now, deadline)) <= 0) continue;	/* timeout or EINTR */
		if (pfd[0].revents) drain(r, r->fd4);
		if (pfd[1].revents) drain(r, r->fd6);
	}
	for (size_t i = 0; i < r->n; i++) {
		if (r->t[i].outcome == CW_DAE_PENDING) r->t[i].outcome = CW_DAE_NO_ANSWER;
	}
}

int cw_dae_send(cw_dae_target_t *targets, size_t n, const cw_dae_config_t *cfg, cw_err_t *err)
{
	uint8_t first_id;
	int rc = 0;

	if (cfg->max_sends < 1) {
		cw_err_set(err, "a Disconnect-Request must be sent at least once");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		memset(&targets[i].answer, 0, sizeof(targets[i].answer));
		targets[i].outcome = CW_DAE_PENDING;
		targets[i].sent = targets[i].discarded = 0;
		targets[i].error.msg[0] = '\0';
	}
	/* A random first identifier: a late answer to an earlier run is unlikely to match. */
	if (cw_random_bytes(&first_id, 1, err) < 0) return -1;
	for (size_t start = 0; start < n && rc == 0; start += ROUND_MAX) {
		round_t r = { targets + start, n - start < ROUND_MAX ? n - start : ROUND_MAX, -1, -1, cfg };

		rc = open_sockets(&r, err);
		if (rc == 0) {
			build_round(&r, first_id);
			run_round(&r);
		}
		if (r.fd4 >= 0) close(r.fd4);
		if (r.fd6 >= 0) close(r.fd6);
	}
	for (size_t i = 0; i < n && rc < 0; i++) {
		if (targets[i].outcome != CW_DAE_PENDING) continue;
		targets[i].outcome = CW_DAE_FAILED;
		targets[i].error = *err;
	}
	return rc;
}
