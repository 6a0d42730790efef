/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_dae.c - Disconnect-Requests (RFC 5176): packets against known
 * vectors and against OpenSSL's MD5 and HMAC-MD5 called directly, answer
 * verification, and the transport against NAS peers on loopback.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "dae.h"

#define SECRET "coa-test-secret-0123456789"

/* Computed independently (Python hmac/hashlib) for the session of known_session(). */
static const char vector_request[] =
	"282a0062a2b2c143031fc33bc6a231a844b6a5a12c12354633413043324539423144344537370107616c6963651f13"
	"30322d30302d30302d30302d30302d3031200a61702d6c6f62627937066955b9005012363def1eccae818aa5d6d664"
	"a5af5265";
/* hostapd's Disconnect-ACK to it: Event-Timestamp, Message-Authenticator (same computation). */
static const char vector_ack[] =
	"292a002cf7b65c6e1d81d37eb4abcd9725c7c87d37066955b9015012556d7a601e8be6fc5907c1baaccea866";

static size_t unhex(const char *hex, uint8_t *out)
{
	size_t n = strlen(hex) / 2;

	for (size_t i = 0; i < n; i++) {
		unsigned v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	return n;
}

static cw_dae_session_t known_session(void)
{
	cw_dae_session_t s = {
		.acct_session_id = "5F3A0C2E9B1D4E77",
		.user_name = "alice",
		.calling_station = "02-00-00-00-00-01",
		.nas_identifier = "ap-lobby",
		.event_timestamp = 1767225600,	/* 2026-01-01T00:00:00Z */
	};
	return s;
}

static void build(const cw_dae_session_t *s, uint8_t id, uint8_t *pkt, size_t *len)
{
	cw_err_t e;

	assert_int_equal(cw_dae_build(s, id, SECRET, strlen(SECRET), pkt, len, &e), 0);
}

/* --- independent computations (OpenSSL directly) -------------------------------------- */

static void openssl_md5(const uint8_t *a, size_t alen, const void *b, size_t blen, uint8_t out[16])
{
	uint8_t buf[CW_RADIUS_MAX + 64];
	unsigned int olen = 0;

	memcpy(buf, a, alen);
	memcpy(buf + alen, b, blen);
	assert_int_equal(EVP_Digest(buf, alen + blen, out, &olen, EVP_md5(), NULL), 1);
}

static void openssl_hmac(const uint8_t *data, size_t len, const char *secret, uint8_t out[16])
{
	unsigned int olen = 0;

	assert_non_null(HMAC(EVP_md5(), secret, (int)strlen(secret), data, len, out, &olen));
	assert_int_equal(olen, 16);
}

/* Offset of the value of the first attribute of type in pkt, or 0. */
static size_t find_attr(const uint8_t *pkt, size_t len, uint8_t type)
{
	for (size_t pos = 20; pos + 2 <= len && pkt[pos + 1] >= 2; pos += pkt[pos + 1]) {
		if (pkt[pos] == type) return pos + 2;
	}
	return 0;
}

/*
 * An answer as hostapd's radius_msg_finish_das_resp makes it: optional
 * Error-Cause, Message-Authenticator over the answer with the Request
 * Authenticator in place, then the Response Authenticator.
 */
static size_t make_answer(const uint8_t *req, uint8_t code, uint8_t id, int cause, bool with_ma, const char *secret,
			  uint8_t *out)
{
	size_t len = 20;

	out[0] = code;
	out[1] = id;
	memcpy(out + 4, req + 4, 16);
	if (cause >= 0) {
		uint8_t v[6] = { 101, 6, 0, 0, (uint8_t)(cause >> 8), (uint8_t)cause };

		memcpy(out + len, v, sizeof(v));
		len += sizeof(v);
	}
	if (with_ma) {
		out[len] = 80;
		out[len + 1] = 18;
		memset(out + len + 2, 0, 16);
		len += 18;
	}
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	if (with_ma) openssl_hmac(out, len, secret, out + len - 16);
	openssl_md5(out, len, secret, strlen(secret), out + 4);
	return len;
}

/* --- building ---------------------------------------------------------------------------- */

static void build__matches_the_known_vector(void **state)
{
	cw_dae_session_t s = known_session();
	uint8_t pkt[CW_RADIUS_MAX], want[CW_RADIUS_MAX];
	size_t len, want_len = unhex(vector_request, want);

	(void)state;
	build(&s, 0x2a, pkt, &len);
	assert_int_equal(len, want_len);
	assert_memory_equal(pkt, want, len);
}

static void build__authenticators_match_openssl(void **state)
{
	cw_dae_session_t s = known_session();
	uint8_t pkt[CW_RADIUS_MAX], copy[CW_RADIUS_MAX], want[16];
	size_t len, ma, ts;

	(void)state;
	s.has_nas_ip = true;
	memcpy(s.nas_ip, "\xc0\x00\x02\x0a", 4);
	s.nas_identifier = NULL;
	s.event_timestamp = 1900000000;
	build(&s, 7, pkt, &len);
	assert_int_equal(pkt[0], 40);
	assert_int_equal(pkt[1], 7);
	assert_int_equal((size_t)(pkt[2] << 8 | pkt[3]), len);
	assert_int_equal(find_attr(pkt, len, 32), 0);	/* no NAS-Identifier */
	assert_memory_equal(pkt + find_attr(pkt, len, 4), "\xc0\x00\x02\x0a", 4);
	ts = find_attr(pkt, len, 55);
	assert_memory_equal(pkt + ts, "\x71\x3f\xb3\x00", 4);	/* 1900000000 */
	ma = find_attr(pkt, len, 80);
	assert_int_not_equal(ma, 0);
	/* Request Authenticator: MD5 over the packet with 16 zero octets in its place, then the secret. */
	memcpy(copy, pkt, len);
	memset(copy + 4, 0, 16);
	openssl_md5(copy, len, SECRET, strlen(SECRET), want);
	assert_memory_equal(pkt + 4, want, 16);
	/* Message-Authenticator: HMAC-MD5 with the Request Authenticator and itself zeroed. */
	memset(copy + ma, 0, 16);
	openssl_hmac(copy, len, SECRET, want);
	assert_memory_equal(pkt + ma, want, 16);
}

static void build__without_acct_session_id__fails(void **state)
{
	cw_dae_session_t s = known_session();
	uint8_t pkt[CW_RADIUS_MAX];
	size_t len;
	cw_err_t e;

	(void)state;
	s.acct_session_id = "";
	assert_int_equal(cw_dae_build(&s, 1, SECRET, strlen(SECRET), pkt, &len, &e), -1);
	assert_non_null(strstr(e.msg, "Acct-Session-Id"));
}

static void build__value_longer_than_an_attribute__fails(void **state)
{
	cw_dae_session_t s = known_session();
	uint8_t pkt[CW_RADIUS_MAX];
	char name[300];
	size_t len;
	cw_err_t e;

	(void)state;
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	s.user_name = name;
	assert_int_equal(cw_dae_build(&s, 1, SECRET, strlen(SECRET), pkt, &len, &e), -1);
	assert_null(strstr(e.msg, SECRET));
}

/* --- verifying answers --------------------------------------------------------------------- */

/* A request and an answer to check; the fixture starts from the known vectors. */
typedef struct {
	uint8_t		req[CW_RADIUS_MAX];
	size_t		req_len;
	uint8_t		ans[CW_RADIUS_MAX];
	size_t		ans_len;
	cw_dae_answer_t	a;
	cw_err_t	e;
} exchange_t;

static int known_exchange(void **state)
{
	exchange_t *x = calloc(1, sizeof(*x));

	if (!x) return -1;
	x->req_len = unhex(vector_request, x->req);
	x->ans_len = unhex(vector_ack, x->ans);
	*state = x;
	return 0;
}

static int free_exchange(void **state)
{
	free(*state);
	return 0;
}

static int verify(exchange_t *x, const char *secret)
{
	return cw_dae_verify(x->req, x->req_len, x->ans, x->ans_len, secret, strlen(secret), &x->a, &x->e);
}

/* The answer is refused with a message holding `why`. */
static void refused(exchange_t *x, const char *why)
{
	assert_int_equal(verify(x, SECRET), -1);
	assert_non_null(strstr(x->e.msg, why));
}

static void verify__known_ack__is_accepted(void **state)
{
	exchange_t *x = *state;

	assert_int_equal(verify(x, SECRET), 0);
	assert_int_equal(x->a.code, CW_DAE_DISCONNECT_ACK);
	assert_true(x->a.has_message_authenticator);
	assert_false(x->a.has_error_cause);
}

static void verify__wrong_secret__fails_the_response_authenticator(void **state)
{
	exchange_t *x = *state;

	assert_int_equal(verify(x, "another-secret-of-the-nas"), -1);
	assert_non_null(strstr(x->e.msg, "Response Authenticator"));
	assert_null(strstr(x->e.msg, "another-secret"));
}

static void verify__altered_attribute__fails(void **state)
{
	exchange_t *x = *state;

	x->ans[25] ^= 1;	/* inside Event-Timestamp */
	refused(x, "Response Authenticator");
}

static void verify__wrong_identifier__fails(void **state)
{
	exchange_t *x = *state;

	x->ans_len = make_answer(x->req, 41, 0x2b, -1, true, SECRET, x->ans);
	refused(x, "identifier 43");
}

static void verify__bad_message_authenticator__fails(void **state)
{
	exchange_t *x = *state;

	/* A valid Response Authenticator over a Message-Authenticator made with another key. */
	x->ans_len = make_answer(x->req, 41, 0x2a, -1, true, SECRET, x->ans);
	openssl_hmac(x->ans, x->ans_len, "not-the-secret", x->ans + x->ans_len - 16);
	memcpy(x->ans + 4, x->req + 4, 16);
	openssl_md5(x->ans, x->ans_len, SECRET, strlen(SECRET), x->ans + 4);
	refused(x, "Message-Authenticator");
}

static void verify__short_packet__fails(void **state)
{
	exchange_t *x = *state;

	x->ans_len = 19;
	refused(x, "short");
}

static void verify__length_field_beyond_the_datagram__fails(void **state)
{
	exchange_t *x = *state;

	x->ans[3] = 200;
	refused(x, "length field");
}

static void verify__attribute_running_past_the_end__fails(void **state)
{
	exchange_t *x = *state;

	x->ans[21] = 40;	/* Event-Timestamp's length */
	refused(x, "malformed attribute");
	x->ans[21] = 1;		/* below the minimum of 2 */
	refused(x, "malformed attribute");
}

static void verify__nak_with_error_cause__is_decoded(void **state)
{
	exchange_t *x = *state;

	x->ans_len = make_answer(x->req, 42, 0x2a, 503, true, SECRET, x->ans);
	assert_int_equal(verify(x, SECRET), 0);
	assert_int_equal(x->a.code, CW_DAE_DISCONNECT_NAK);
	assert_true(x->a.has_error_cause);
	assert_int_equal(x->a.error_cause, 503);
	assert_string_equal(cw_dae_error_cause_name(x->a.error_cause), "Session-Context-Not-Found");
	/* Without Message-Authenticator (optional in answers) it is still valid. */
	x->ans_len = make_answer(x->req, 42, 0x2a, 401, false, SECRET, x->ans);
	assert_int_equal(verify(x, SECRET), 0);
	assert_false(x->a.has_message_authenticator);
	assert_string_equal(cw_dae_error_cause_name(x->a.error_cause), "Unsupported-Attribute");
}

static void verify__other_code__fails(void **state)
{
	exchange_t *x = *state;

	x->ans_len = make_answer(x->req, 2, 0x2a, -1, true, SECRET, x->ans);	/* Access-Accept */
	refused(x, "code 2");
	x->ans_len = make_answer(x->req, 45, 0x2a, -1, true, SECRET, x->ans);	/* CoA-NAK */
	refused(x, "code 45");
}

static void error_cause_names__cover_rfc5176(void **state)
{
	(void)state;
	assert_string_equal(cw_dae_error_cause_name(201), "Residual-Session-Context-Removed");
	assert_string_equal(cw_dae_error_cause_name(403), "NAS-Identification-Mismatch");
	assert_string_equal(cw_dae_error_cause_name(504), "Session-Context-Not-Removable");
	assert_string_equal(cw_dae_error_cause_name(508), "Multiple-Session-Selection-Unsupported");
	assert_string_equal(cw_dae_error_cause_name(999), "unknown");
}

/* --- transport: NAS peers on loopback ------------------------------------------------------- */

typedef enum { PEER_ACK, PEER_NAK, PEER_SILENT, PEER_WRONG_SOURCE, PEER_WRONG_SECRET } peer_mode_t;

typedef struct peer {
	peer_mode_t		mode;
	int			fd;
	int			other_fd;	//!< answers from here in PEER_WRONG_SOURCE
	struct sockaddr_in	addr;
	pthread_t		thread;
	unsigned		received;	//!< requests that passed the peer's own checks
	unsigned		bad;		//!< requests that did not
	unsigned		stop_after_ms;
} peer_t;

/* The peer's check of a request, with OpenSSL directly: both authenticators. */
static bool request_is_valid(const uint8_t *pkt, size_t len)
{
	uint8_t copy[CW_RADIUS_MAX], want[16];
	size_t ma = find_attr(pkt, len, 80);

	if (len < 20 || pkt[0] != 40 || (size_t)(pkt[2] << 8 | pkt[3]) != len || !ma) return false;
	memcpy(copy, pkt, len);
	memset(copy + 4, 0, 16);
	openssl_md5(copy, len, SECRET, strlen(SECRET), want);
	if (memcmp(want, pkt + 4, 16) != 0) return false;
	memset(copy + ma, 0, 16);
	openssl_hmac(copy, len, SECRET, want);
	return memcmp(want, pkt + ma, 16) == 0;
}

static void *peer_main(void *arg)
{
	peer_t *p = arg;
	struct pollfd pfd = { .fd = p->fd, .events = POLLIN };
	uint8_t buf[CW_RADIUS_MAX], ans[CW_RADIUS_MAX];

	while (poll(&pfd, 1, (int)p->stop_after_ms) > 0) {
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(p->fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);
		size_t alen;

		if (n <= 0) continue;
		if (!request_is_valid(buf, (size_t)n)) {
			p->bad++;
			continue;
		}
		p->received++;
		if (p->mode == PEER_SILENT) continue;
		alen = make_answer(buf, p->mode == PEER_NAK ? 42 : 41, buf[1], p->mode == PEER_NAK ? 503 : -1, true,
				   p->mode == PEER_WRONG_SECRET ? "wrong-secret-0123456789" : SECRET, ans);
		(void)sendto(p->mode == PEER_WRONG_SOURCE ? p->other_fd : p->fd, ans, alen, 0, (struct sockaddr *)&from,
			     flen);
	}
	return NULL;
}

static int udp_socket(struct sockaddr_in *addr)
{
	socklen_t len = sizeof(*addr);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	assert_true(fd >= 0);
	memset(addr, 0, sizeof(*addr));
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)addr, sizeof(*addr)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)addr, &len), 0);
	return fd;
}

static void peer_start(peer_t *p, peer_mode_t mode)
{
	struct sockaddr_in other;

	memset(p, 0, sizeof(*p));
	p->mode = mode;
	p->stop_after_ms = 800;
	p->fd = udp_socket(&p->addr);
	p->other_fd = udp_socket(&other);
	assert_int_equal(pthread_create(&p->thread, NULL, peer_main, p), 0);
}

static void peer_stop(peer_t *p)
{
	pthread_join(p->thread, NULL);
	close(p->fd);
	close(p->other_fd);
}

static void target_for(cw_dae_target_t *t, const peer_t *p)
{
	memset(t, 0, sizeof(*t));
	memcpy(&t->addr, &p->addr, sizeof(p->addr));
	t->addr_len = sizeof(p->addr);
	t->secret = SECRET;
	t->secret_len = strlen(SECRET);
	t->session = known_session();
	t->session.event_timestamp = (uint32_t)time(NULL);
}

static int64_t elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (int64_t)(t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static const cw_dae_config_t quick = { .timeout_ms = 1000, .retry_ms = 200, .max_sends = 3 };

static void send__ack_nak_and_silence_at_once(void **state)
{
	peer_t peers[3];
	cw_dae_target_t t[3];
	struct timespec t0;
	cw_err_t e;

	(void)state;
	peer_start(&peers[0], PEER_ACK);
	peer_start(&peers[1], PEER_NAK);
	peer_start(&peers[2], PEER_SILENT);
	for (int i = 0; i < 3; i++) target_for(&t[i], &peers[i]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(cw_dae_send(t, 3, &quick, &e), 0);
	/* All three in parallel: the whole exchange is bounded by one timeout, not three. */
	assert_true(elapsed_ms(&t0) < 1000 + 700);
	for (int i = 0; i < 3; i++) peer_stop(&peers[i]);
	assert_int_equal(t[0].outcome, CW_DAE_ACKED);
	assert_int_equal(t[0].sent, 1);
	assert_int_equal(t[1].outcome, CW_DAE_NAKED);
	assert_true(t[1].answer.has_error_cause);
	assert_int_equal(t[1].answer.error_cause, 503);
	assert_int_equal(t[2].outcome, CW_DAE_NO_ANSWER);
	assert_int_equal(t[2].sent, 3);		/* retransmitted, bounded */
	assert_int_equal(peers[2].received, 3);
	for (int i = 0; i < 3; i++) assert_int_equal(peers[i].bad, 0);
	/* Every request had its own identifier. */
	assert_int_not_equal(t[0].packet[1], t[1].packet[1]);
	assert_int_not_equal(t[1].packet[1], t[2].packet[1]);
}

/* One request to a peer whose every answer must be discarded: no answer, and why. */
static void expect_discarded(peer_mode_t mode, const char *why, unsigned *discarded)
{
	cw_dae_target_t t;
	peer_t p;
	cw_err_t e;

	peer_start(&p, mode);
	target_for(&t, &p);
	assert_int_equal(cw_dae_send(&t, 1, &quick, &e), 0);
	peer_stop(&p);
	assert_int_equal(t.outcome, CW_DAE_NO_ANSWER);
	assert_non_null(strstr(t.error.msg, why));
	*discarded = t.discarded;
}

static void send__answer_from_another_address__is_discarded(void **state)
{
	unsigned discarded;

	(void)state;
	expect_discarded(PEER_WRONG_SOURCE, "another address", &discarded);
	assert_int_equal(discarded, 3);	/* one per transmission */
}

static void send__answer_with_another_secret__is_discarded(void **state)
{
	unsigned discarded;

	(void)state;
	expect_discarded(PEER_WRONG_SECRET, "Response Authenticator", &discarded);
	assert_int_equal(discarded, 3);
}

static void send__unbuildable_request__fails_alone(void **state)
{
	cw_dae_target_t t[2];
	peer_t p;
	cw_err_t e;

	(void)state;
	peer_start(&p, PEER_ACK);
	target_for(&t[0], &p);
	target_for(&t[1], &p);
	t[1].session.acct_session_id = NULL;
	assert_int_equal(cw_dae_send(t, 2, &quick, &e), 0);
	peer_stop(&p);
	assert_int_equal(t[0].outcome, CW_DAE_ACKED);
	assert_int_equal(t[1].outcome, CW_DAE_FAILED);
	assert_non_null(strstr(t[1].error.msg, "Acct-Session-Id"));
}

static void send__zero_transmissions__is_refused(void **state)
{
	cw_dae_config_t none = { .timeout_ms = 100, .retry_ms = 100, .max_sends = 0 };
	cw_dae_target_t t;
	cw_err_t e;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_int_equal(cw_dae_send(&t, 1, &none, &e), -1);
}

int main(void)
{
#define V(f) cmocka_unit_test_setup_teardown(f, known_exchange, free_exchange)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(build__matches_the_known_vector),
		cmocka_unit_test(build__authenticators_match_openssl),
		cmocka_unit_test(build__without_acct_session_id__fails),
		cmocka_unit_test(build__value_longer_than_an_attribute__fails),
		V(verify__known_ack__is_accepted),
		V(verify__wrong_secret__fails_the_response_authenticator),
		V(verify__altered_attribute__fails),
		V(verify__wrong_identifier__fails),
		V(verify__bad_message_authenticator__fails),
		V(verify__short_packet__fails),
		V(verify__length_field_beyond_the_datagram__fails),
		V(verify__attribute_running_past_the_end__fails),
		V(verify__nak_with_error_cause__is_decoded),
		V(verify__other_code__fails),
		cmocka_unit_test(error_cause_names__cover_rfc5176),
		cmocka_unit_test(send__ack_nak_and_silence_at_once),
		cmocka_unit_test(send__answer_from_another_address__is_discarded),
		cmocka_unit_test(send__answer_with_another_secret__is_discarded),
		cmocka_unit_test(send__unbuildable_request__fails_alone),
		cmocka_unit_test(send__zero_transmissions__is_refused),
	};

#undef V

	return cmocka_run_group_tests_name("dae", tests, NULL, NULL);
}
