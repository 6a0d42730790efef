/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_ocsp_responder.c - unit tests for lib/server/ocsp_responder.c (the answer
 * for each registry state and each malformed request) and lib/server/ocsp_server.c
 * (the listener: HTTP on a real loopback socket, bounded connections, the
 * port shared across a HUP, a port already taken).
 *
 * The registry is the fixture's (tests/unit/fixture.h) with a real CA from
 * lib/ca/ca.c and answers signed by lib/ca/ocsp.c; requests are built and
 * answers checked with OpenSSL, as FreeRADIUS does.
 */
#ifndef OPENSSL_NO_DEPRECATED
#  define OPENSSL_NO_DEPRECATED
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <sqlite3.h>

#include "ca.h"
#include "ca_internal.h"
#include "fileio.h"
#include "fixture.h"
#include "ocsp.h"
#include "ocsp_responder.h"
#include "ocsp_server.h"
#include "registry_ocsp.h"
#include "registry_write.h"

/* Ports of this project's OCSP tests (18240-18249): the unit tests take the last two. */
#define PORT		18248
#define PORT_TAKEN	18249

typedef struct env {
	fixture_t	f;
	cw_ca_t		*ca;		//!< the registry's CA (signs the stored answers)
	cw_ca_t		*other;		//!< a foreign CA
	char		ca_path[128];	//!< f.dir/ca.pem
	cw_ocsp_ca_t	*ocsp_ca;	//!< the responder's view of the CA
	cw_registry_t	*reader;
	char		logged[4096];	//!< what the server reported
} env_t;

static void admin_exec(env_t *env, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(cw_registry_db(env->f.admin), sql, NULL, NULL, &msg) != SQLITE_OK) {
		fail_msg("%s: %s", sql, msg ? msg : "?");
	}
}

/* Sign and store the answer of a fixture certificate, as coworkctl does. */
static int store_answer(env_t *env, const char *serial, cw_err_t *e)
{
	unsigned char *der = NULL;
	size_t len = 0;
	int rc = -1;

	if (cw_ocsp_sign_good(env->ca, serial, env->f.now, env->f.not_after, &der, &len, e) < 0) return -1;
	if (cw_registry_begin(env->f.admin, e) == 0) {
		rc = cw_registry_ocsp_put(env->f.admin, serial, der, len, env->f.now, e) == 1 ? 0 : -1;
		if (rc == 0) rc = cw_registry_commit(env->f.admin, e);
		else cw_registry_rollback(env->f.admin);
	}
	cw_ocsp_der_free(der);
	return rc;
}

static int write_ca_pem(env_t *env, cw_err_t *e)
{
	char *cert = NULL, *key = NULL;
	size_t cert_len = 0, key_len = 0;
	int rc;

	if (cw_ca_export(env->ca, &cert, &cert_len, &key, &key_len, e) < 0) return -1;
	cw_secret_free(key, key_len);
	snprintf(env->ca_path, sizeof(env->ca_path), "%s/ca.pem", env->f.dir);
	rc = cw_file_write_new(env->ca_path, cert, cert_len, 0644, CW_NO_GID, e);
	free(cert);
	return rc;
}

static int setup(void **state)
{
	env_t *env = calloc(1, sizeof(*env));
	cw_err_t e = { "" };

	if (!env || fixture_setup(&env->f) < 0) return -1;
	if (cw_ca_generate("Test", 3650, env->f.now, &env->ca, &e) < 0 ||
	    cw_ca_generate("Test", 3650, env->f.now, &env->other, &e) < 0 || write_ca_pem(env, &e) < 0 ||
	    store_answer(env, FX_ALICE, &e) < 0 || store_answer(env, FX_BOB, &e) < 0 ||
	    cw_ocsp_ca_load(env->ca_path, &env->ocsp_ca, &e) < 0 ||
	    cw_registry_open_reader(env->f.path, 500, &env->reader, &e) < 0) {
		print_error("setup: %s\n", e.msg);
		return -1;
	}
	*state = env;
	return 0;
}

static int teardown(void **state)
{
	env_t *env = *state;

	cw_registry_close(env->reader);
	cw_ocsp_ca_free(env->ocsp_ca);
	cw_ca_free(env->ca);
	cw_ca_free(env->other);
	fixture_teardown(&env->f);
	free(env);
	return 0;
}

/* --- requests, as FreeRADIUS builds them ---------------------------------------- */

static OCSP_CERTID *cert_id_by(const cw_ca_t *issuer, const EVP_MD *md, const char *serial)
{
	X509 *ca = cw_ca_x509(issuer);
	BIGNUM *bn = NULL;
	ASN1_INTEGER *n;
	OCSP_CERTID *id;

	assert_true(BN_hex2bn(&bn, serial) > 0);
	n = BN_to_ASN1_INTEGER(bn, NULL);
	id = OCSP_cert_id_new(md, X509_get_subject_name(ca), X509_get0_pubkey_bitstr(ca), n);
	assert_non_null(id);
	ASN1_INTEGER_free(n);
	BN_free(bn);
	return id;
}

typedef struct req {
	uint8_t		*der;
	size_t		len;
	OCSP_CERTID	*id;	//!< the (first) CertID asked about
} req_t;

/* A request about serials[0..n) (n = 1 normally), optionally with a nonce. */
static void build(req_t *r, const cw_ca_t *issuer, const EVP_MD *md, const char *const *serials, int n, bool nonce)
{
	OCSP_REQUEST *req = OCSP_REQUEST_new();
	unsigned char *p = NULL;
	int len;

	for (int i = 0; i < n; i++) {
		OCSP_CERTID *id = cert_id_by(issuer, md, serials[i]);

		assert_non_null(OCSP_request_add0_id(req, id));
		if (i == 0) r->id = OCSP_CERTID_dup(id);
	}
	if (nonce) assert_int_equal(OCSP_request_add1_nonce(req, NULL, 8), 1);
	len = i2d_OCSP_REQUEST(req, &p);
	assert_true(len > 0);
	r->der = p;
	r->len = (size_t)len;
	OCSP_REQUEST_free(req);
}

static void request_for(env_t *env, req_t *r, const char *serial)
{
	build(r, env->ca, EVP_sha1(), &serial, 1, false);
}

static void req_free(req_t *r)
{
	OPENSSL_free(r->der);
	OCSP_CERTID_free(r->id);
}

/* --- checking answers --------------------------------------------------------------- */

static void answer(env_t *env, const req_t *r, cw_ocsp_answer_t *a)
{
	memset(a, 0xa5, sizeof(*a));	/* cw_ocsp_answer must fill everything */
	cw_ocsp_answer(env->ocsp_ca, env->reader, r->der, r->len, env->f.now, a);
}

/* A successful OCSPResponse that FreeRADIUS would accept as "good" for id. */
static void assert_good_der(const env_t *env, const uint8_t *der, size_t len, OCSP_CERTID *id)
{
	const unsigned char *p = der;
	OCSP_RESPONSE *resp = d2i_OCSP_RESPONSE(NULL, &p, (long)len);
	X509_STORE *store = X509_STORE_new();
	OCSP_BASICRESP *bs;
	int status = -1, reason;

	assert_non_null(resp);
	assert_int_equal(OCSP_response_status(resp), OCSP_RESPONSE_STATUS_SUCCESSFUL);
	bs = OCSP_response_get1_basic(resp);
	assert_non_null(bs);
	assert_int_equal(X509_STORE_add_cert(store, cw_ca_x509(env->ca)), 1);
	assert_int_equal(OCSP_basic_verify(bs, NULL, store, 0), 1);
	assert_int_equal(OCSP_resp_find_status(bs, id, &status, &reason, NULL, NULL, NULL), 1);
	assert_int_equal(status, V_OCSP_CERTSTATUS_GOOD);
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(resp);
	X509_STORE_free(store);
}

static void assert_good(const env_t *env, const cw_ocsp_answer_t *a, const req_t *r)
{
	if (a->status != CW_OCSP_SUCCESSFUL) fail_msg("refused: %s", a->decision.reason);
	assert_int_equal(a->decision.result, CW_DECIDE_ACCEPT);
	assert_good_der(env, a->der, a->der_len, r->id);
}

/* An unsigned error response with this status, and the refusal's result and reason. */
static void assert_refused(const cw_ocsp_answer_t *a, cw_ocsp_status_t status, cw_decide_result_t result,
			   const char *reason_part)
{
	const uint8_t want[] = { 0x30, 0x03, 0x0a, 0x01, (uint8_t)status };

	assert_int_equal(a->status, status);
	assert_int_equal(a->decision.result, result);
	assert_int_equal(a->der_len, sizeof(want));
	assert_memory_equal(a->der, want, sizeof(want));
	if (!strstr(a->decision.reason, reason_part)) {
		fail_msg("reason \"%s\" lacks \"%s\"", a->decision.reason, reason_part);
	}
}

/* Answer a request built by build() and expect this refusal. */
static void expect_request_refused(env_t *env, const cw_ca_t *issuer, const EVP_MD *md, const char *const *serials,
				   int n, bool nonce, cw_ocsp_status_t status, cw_decide_result_t result,
				   const char *reason_part)
{
	cw_ocsp_answer_t a;
	req_t r;

	memset(&r, 0, sizeof(r));
	build(&r, issuer, md, serials, n, nonce);
	answer(env, &r, &a);
	assert_refused(&a, status, result, reason_part);
	cw_ocsp_answer_clear(&a);
	req_free(&r);
}

/* Answer a request about serial and expect a refusal. */
static void expect_refusal(env_t *env, const char *serial, cw_ocsp_status_t status, cw_decide_result_t result,
			   const char *reason_part)
{
	expect_request_refused(env, env->ca, EVP_sha1(), &serial, 1, false, status, result, reason_part);
}

/* --- registry states ---------------------------------------------------------------- */

static void valid_certificate__gets_the_signed_good_answer_with_the_ca(void **state)
{
	env_t *env = *state;
	cw_ocsp_answer_t a;
	req_t r;

	request_for(env, &r, FX_ALICE);
	answer(env, &r, &a);
	assert_good(env, &a, &r);
	assert_string_equal(a.decision.serial, FX_ALICE);
	assert_string_equal(a.decision.member, "alice");
	cw_ocsp_answer_clear(&a);
	req_free(&r);
}

static void revoked_certificate__is_unauthorized(void **state)
{
	env_t *env = *state;
	cw_err_t e;

	assert_int_equal(cw_admin_cert_revoke(env->f.admin, FX_ALICE, "key-compromise", env->f.now, NULL, &e), 0);
	expect_refusal(env, FX_ALICE, CW_OCSP_UNAUTHORIZED, CW_DECIDE_REVOKED, "key-compromise");
}

/* An invitation's certificate not collected yet: refused like a revoked one, good once collected. */
static void uncollected_certificate__is_unauthorized_until_collected(void **state)
{
	env_t *env = *state;
	cw_ocsp_answer_t a;
	cw_err_t e;
	req_t r;

	if (fixture_make_pending(&env->f, FX_ALICE, &e) < 0) fail_msg("%s", e.msg);
	expect_refusal(env, FX_ALICE, CW_OCSP_UNAUTHORIZED, CW_DECIDE_UNCOLLECTED, "has not been collected");
	assert_int_equal(sqlite3_exec(cw_registry_db(env->f.admin),
				      "UPDATE cert SET pending_invite = NULL WHERE serial = '" FX_ALICE "'", NULL, NULL, NULL),
			 SQLITE_OK);
	request_for(env, &r, FX_ALICE);
	answer(env, &r, &a);
	assert_good(env, &a, &r);
	cw_ocsp_answer_clear(&a);
	req_free(&r);
}

static void suspended_member__is_unauthorized_until_resumed(void **state)
{
	env_t *env = *state;
	cw_ocsp_answer_t a;
	cw_err_t e;
	req_t r;

	assert_int_equal(cw_admin_member_set_status(env->f.admin, "bob", CW_MEMBER_SUSPENDED, &e), 0);
	expect_refusal(env, FX_BOB, CW_OCSP_UNAUTHORIZED, CW_DECIDE_SUSPENDED, "member bob is suspended");
	assert_int_equal(cw_admin_member_set_status(env->f.admin, "bob", CW_MEMBER_ACTIVE, &e), 0);
	request_for(env, &r, FX_BOB);
	answer(env, &r, &a);
	assert_good(env, &a, &r);
	cw_ocsp_answer_clear(&a);
	req_free(&r);
}

static void removed_member__is_unauthorized(void **state)
{
	env_t *env = *state;

	admin_exec(env, "UPDATE member SET status = 'removed' WHERE name = 'bob'");
	expect_refusal(env, FX_BOB, CW_OCSP_UNAUTHORIZED, CW_DECIDE_SUSPENDED, "removed");
}

static void membership_not_started__is_unauthorized(void **state)
{
	env_t *env = *state;
	char sql[160];

	snprintf(sql, sizeof(sql), "UPDATE member SET valid_from = %lld WHERE name = 'alice'",
		 (long long)env->f.now + 86400);
	admin_exec(env, sql);
	expect_refusal(env, FX_ALICE, CW_OCSP_UNAUTHORIZED, CW_DECIDE_NOT_STARTED, "starts at");
}

static void membership_ended__is_unauthorized(void **state)
{
	env_t *env = *state;
	char sql[200];

	snprintf(sql, sizeof(sql), "UPDATE member SET valid_until = %lld, until_date = '2026-01-01' WHERE name = 'alice'",
		 (long long)env->f.now - 60);
	admin_exec(env, sql);
	expect_refusal(env, FX_ALICE, CW_OCSP_UNAUTHORIZED, CW_DECIDE_ENDED, "ended at");
}

static void expired_certificate__is_unauthorized(void **state)
{
	env_t *env = *state;
	char sql[160];

	snprintf(sql, sizeof(sql), "UPDATE cert SET not_after = %lld WHERE serial = '%s'", (long long)env->f.now - 60,
		 FX_ALICE);
	admin_exec(env, sql);
	expect_refusal(env, FX_ALICE, CW_OCSP_UNAUTHORIZED, CW_DECIDE_CERT_EXPIRED, "outside its validity");
}

static void unknown_serial__is_unauthorized(void **state)
{
	env_t *env = *state;

	expect_refusal(env, "123456", CW_OCSP_UNAUTHORIZED, CW_DECIDE_UNKNOWN_CERT, "not issued by this registry");
}

/* Change the registry behind the responder's back, then expect a refusal about alice. */
static void refused_after(env_t *env, const char *sql, cw_ocsp_status_t status, cw_decide_result_t result,
			  const char *reason_part)
{
	admin_exec(env, sql);
	expect_refusal(env, FX_ALICE, status, result, reason_part);
}

static void no_stored_answer__is_unauthorized_naming_the_command(void **state)
{
	refused_after(*state, "DELETE FROM cert_ocsp WHERE serial = '" FX_ALICE "'", CW_OCSP_UNAUTHORIZED,
		      CW_DECIDE_INTERNAL, "coworkctl cert ocsp-sign");
}

static void stored_answer_of_another_certificate__is_not_served(void **state)
{
	refused_after(*state, "UPDATE cert_ocsp SET response = (SELECT response FROM cert_ocsp WHERE serial = '" FX_BOB
		      "') WHERE serial = '" FX_ALICE "'", CW_OCSP_INTERNAL_ERROR, CW_DECIDE_INTERNAL,
		      "does not answer for it");
}

static void garbage_stored_answer__is_not_served(void **state)
{
	refused_after(*state, "UPDATE cert_ocsp SET response = x'3003020101' WHERE serial = '" FX_ALICE "'",
		      CW_OCSP_INTERNAL_ERROR, CW_DECIDE_INTERNAL, "does not answer for it");
}

static void broken_registry__is_internal_error(void **state)
{
	refused_after(*state, "ALTER TABLE cert RENAME TO cert_gone", CW_OCSP_INTERNAL_ERROR, CW_DECIDE_INTERNAL, "cert");
}

/* --- malformed or unanswerable requests --------------------------------------------- */

static void answer_bytes(env_t *env, const uint8_t *der, size_t len, cw_ocsp_answer_t *a)
{
	memset(a, 0xa5, sizeof(*a));
	cw_ocsp_answer(env->ocsp_ca, env->reader, der, len, env->f.now, a);
}

static void foreign_issuer_hashes__are_wrong_issuer(void **state)
{
	env_t *env = *state;
	const char *serial = FX_ALICE;

	expect_request_refused(env, env->other, EVP_sha1(), &serial, 1, false, CW_OCSP_UNAUTHORIZED,
			       CW_DECIDE_WRONG_ISSUER, "another issuer");
}

static void two_cert_ids__are_refused(void **state)
{
	env_t *env = *state;
	const char *serials[] = { FX_ALICE, FX_BOB };

	expect_request_refused(env, env->ca, EVP_sha1(), serials, 2, false, CW_OCSP_UNAUTHORIZED, CW_DECIDE_BAD_INPUT,
			       "exactly one");
}

static void no_cert_id__is_refused(void **state)
{
	env_t *env = *state;

	expect_request_refused(env, env->ca, EVP_sha1(), NULL, 0, false, CW_OCSP_UNAUTHORIZED, CW_DECIDE_BAD_INPUT,
			       "0 certificates");
}

static void sha256_cert_id__is_refused(void **state)
{
	env_t *env = *state;
	const char *serial = FX_ALICE;

	expect_request_refused(env, env->ca, EVP_sha256(), &serial, 1, false, CW_OCSP_UNAUTHORIZED, CW_DECIDE_BAD_INPUT,
			       "not SHA-1");
}

static void nonce__is_refused_naming_the_setting(void **state)
{
	env_t *env = *state;
	const char *serial = FX_ALICE;

	expect_request_refused(env, env->ca, EVP_sha1(), &serial, 1, true, CW_OCSP_UNAUTHORIZED, CW_DECIDE_BAD_INPUT,
			       "use_nonce = no");
}

static void garbage__is_malformed(void **state)
{
	env_t *env = *state;
	static const uint8_t junk[] = "POST / HTTP/1.0\r\n\r\n";
	static const uint8_t truncated[] = { 0x30, 0x45, 0x30, 0x43 };
	cw_ocsp_answer_t a;

	answer_bytes(env, junk, sizeof(junk) - 1, &a);
	assert_refused(&a, CW_OCSP_MALFORMED_REQUEST, CW_DECIDE_BAD_INPUT, "not a DER OCSP request");
	cw_ocsp_answer_clear(&a);
	answer_bytes(env, truncated, sizeof(truncated), &a);
	assert_refused(&a, CW_OCSP_MALFORMED_REQUEST, CW_DECIDE_BAD_INPUT, "not a DER OCSP request");
	cw_ocsp_answer_clear(&a);
	answer_bytes(env, junk, 0, &a);
	assert_refused(&a, CW_OCSP_MALFORMED_REQUEST, CW_DECIDE_BAD_INPUT, "0 bytes");
	cw_ocsp_answer_clear(&a);
}

static void trailing_bytes__are_malformed(void **state)
{
	env_t *env = *state;
	cw_ocsp_answer_t a;
	uint8_t buf[512];
	req_t r;

	request_for(env, &r, FX_ALICE);
	assert_true(r.len + 1 <= sizeof(buf));
	memcpy(buf, r.der, r.len);
	buf[r.len] = 0;
	answer_bytes(env, buf, r.len + 1, &a);
	assert_refused(&a, CW_OCSP_MALFORMED_REQUEST, CW_DECIDE_BAD_INPUT, "not a DER OCSP request");
	cw_ocsp_answer_clear(&a);
	req_free(&r);
}

static void oversized__is_malformed(void **state)
{
	env_t *env = *state;
	static uint8_t big[CW_OCSP_REQUEST_MAX + 1];
	cw_ocsp_answer_t a;

	memset(big, 0x30, sizeof(big));
	answer_bytes(env, big, sizeof(big), &a);
	assert_refused(&a, CW_OCSP_MALFORMED_REQUEST, CW_DECIDE_BAD_INPUT, "4097 bytes");
	cw_ocsp_answer_clear(&a);
}

static void no_ca__is_internal_error(void **state)
{
	env_t *env = *state;
	cw_ocsp_answer_t a;
	req_t r;

	request_for(env, &r, FX_ALICE);
	cw_ocsp_answer(NULL, env->reader, r.der, r.len, env->f.now, &a);
	assert_refused(&a, CW_OCSP_INTERNAL_ERROR, CW_DECIDE_INTERNAL, "no CA");
	cw_ocsp_answer_clear(&a);
	req_free(&r);
}

static void ca_file__must_hold_a_ca_certificate(void **state)
{
	env_t *env = *state;
	cw_ocsp_ca_t *ca = (cw_ocsp_ca_t *)1;
	char path[160];
	cw_err_t e;

	snprintf(path, sizeof(path), "%s/nothing.pem", env->f.dir);
	assert_int_equal(cw_ocsp_ca_load(path, &ca, &e), -1);
	assert_null(ca);
	assert_int_equal(cw_file_write_new(path, "not a certificate\n", 18, 0644, CW_NO_GID, &e), 0);
	assert_int_equal(cw_ocsp_ca_load(path, &ca, &e), -1);
	assert_non_null(strstr(e.msg, "no CA certificate"));
}

/* --- the listener ---------------------------------------------------------------------- */

static void capture(void *ctx, cw_ocsp_log_t level, const char *msg)
{
	env_t *env = ctx;
	size_t n = strlen(env->logged);

	(void)level;
	snprintf(env->logged + n, sizeof(env->logged) - n, "%s\n", msg);
}

static cw_ocsp_service_t *serve(env_t *env, uint16_t port, const char *registry)
{
	cw_ocsp_config_t cfg = {
		.port = port,
		.registry_path = registry,
		.ca_path = env->ca_path,
		.busy_ms = 500,
		.report = capture,
		.report_ctx = env,
	};
	cw_ocsp_service_t *svc = NULL;
	cw_err_t e;

	if (cw_ocsp_serve(&cfg, &svc, &e) < 0) fail_msg("serve: %s", e.msg);
	return svc;
}

static int connect_to(uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Everything the server sends until it closes, within 5 s. */
static size_t read_all(int fd, uint8_t *buf, size_t cap)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t len = 0;

	while (len < cap && poll(&p, 1, 5000) == 1) {
		ssize_t n = recv(fd, buf + len, cap - len, 0);

		if (n <= 0) break;
		len += (size_t)n;
	}
	return len;
}

/* POST der as OpenSSL does; the body of the response into der_out. Returns the HTTP status. */
static int http_exchange(int fd, const uint8_t *der, size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	char head[256];
	uint8_t resp[8192];
	int n = snprintf(head, sizeof(head), "POST / HTTP/1.0\r\nHost: 127.0.0.1:%d\r\nContent-Type: application/ocsp-request\r\n"
			 "Content-Length: %zu\r\n\r\n", PORT, len);
	size_t got;
	char *body;
	int status = 0;

	assert_int_equal(send(fd, head, (size_t)n, 0), n);
	assert_int_equal(send(fd, der, len, 0), (ssize_t)len);
	got = read_all(fd, resp, sizeof(resp) - 1);
	resp[got] = '\0';
	assert_int_equal(sscanf((char *)resp, "HTTP/1.0 %d", &status), 1);
	body = strstr((char *)resp, "\r\n\r\n");
	assert_non_null(body);
	body += 4;
	*out_len = got - (size_t)((uint8_t *)body - resp);
	assert_true(*out_len <= cap);
	memcpy(out, body, *out_len);
	return status;
}

static void server__answers_good_over_http(void **state)
{
	env_t *env = *state;
	cw_ocsp_service_t *svc = serve(env, PORT, env->f.path);
	uint8_t body[4096];
	size_t len;
	req_t r;
	int fd = connect_to(PORT);

	assert_true(fd >= 0);
	request_for(env, &r, FX_ALICE);
	assert_int_equal(http_exchange(fd, r.der, r.len, body, sizeof(body), &len), 200);
	assert_good_der(env, body, len, r.id);
	close(fd);
	req_free(&r);
	cw_ocsp_unserve(svc);
	assert_non_null(strstr(env->logged, "OCSP: good: certificate " FX_ALICE " of alice may connect"));
}

static void server__refuses_revoked_and_logs_the_reason(void **state)
{
	env_t *env = *state;
	cw_ocsp_service_t *svc = serve(env, PORT, env->f.path);
	uint8_t body[4096];
	size_t len;
	cw_err_t e;
	req_t r;
	int fd = connect_to(PORT);

	assert_int_equal(cw_admin_cert_revoke(env->f.admin, FX_ALICE, "superseded", env->f.now, NULL, &e), 0);
	request_for(env, &r, FX_ALICE);
	assert_int_equal(http_exchange(fd, r.der, r.len, body, sizeof(body), &len), 200);
	assert_int_equal(len, 5);
	assert_memory_equal(body, "\x30\x03\x0a\x01\x06", 5);
	close(fd);
	req_free(&r);
	cw_ocsp_unserve(svc);
	assert_non_null(strstr(env->logged, "OCSP: refused certificate " FX_ALICE " in the TLS handshake (unauthorized):"
				 " reject (revoked)"));
}

static void server__refuses_bad_http_with_a_status(void **state)
{
	env_t *env = *state;
	cw_ocsp_service_t *svc = serve(env, PORT, env->f.path);
	static const char get[] = "GET / HTTP/1.0\r\n\r\n";
	uint8_t resp[512];
	size_t n;
	int fd = connect_to(PORT);

	assert_int_equal(send(fd, get, sizeof(get) - 1, 0), (ssize_t)(sizeof(get) - 1));
	n = read_all(fd, resp, sizeof(resp) - 1);
	resp[n] = '\0';
	assert_non_null(strstr((char *)resp, "HTTP/1.0 405 Method Not Allowed\r\n"));
	close(fd);
	cw_ocsp_unserve(svc);
	assert_non_null(strstr(env->logged, "405 (method is not POST)"));
}

static void server__slow_client_does_not_block_others(void **state)
{
	env_t *env = *state;
	cw_ocsp_service_t *svc = serve(env, PORT, env->f.path);
	static const char half[] = "POST / HTTP/1.0\r\nContent-Ty";
	uint8_t body[4096];
	size_t len;
	req_t r;
	int slow = connect_to(PORT), fd;

	assert_int_equal(send(slow, half, sizeof(half) - 1, 0), (ssize_t)(sizeof(half) - 1));
	fd = connect_to(PORT);
	request_for(env, &r, FX_BOB);
	assert_int_equal(http_exchange(fd, r.der, r.len, body, sizeof(body), &len), 200);
	assert_good_der(env, body, len, r.id);
	close(fd);
	req_free(&r);
	close(slow);
	cw_ocsp_unserve(svc);
}

static void server__closes_a_silent_connection_after_its_deadline(void **state)
{
	env_t *env = *state;
	cw_ocsp_service_t *svc = serve(env, PORT, env->f.path);
	struct pollfd p;
	char c;
	time_t start = time(NULL);
	int fd = connect_to(PORT);

	p.fd = fd;
	p.events = POLLIN;
	assert_int_equal(poll(&p, 1, 8000), 1);
	assert_int_equal(recv(fd, &c, 1, 0), 0);	/* EOF, no answer */
	assert_true(time(NULL) - start >= 4 && time(NULL) - start <= 7);
	close(fd);
	cw_ocsp_unserve(svc);
}

static void server__port_taken_by_another_program__is_a_clear_error(void **state)
{
	env_t *env = *state;
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(PORT_TAKEN) };
	cw_ocsp_config_t cfg = { .port = PORT_TAKEN, .registry_path = env->f.path, .ca_path = env->ca_path };
	cw_ocsp_service_t *svc = NULL;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	cw_err_t e;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(cw_ocsp_serve(&cfg, &svc, &e), -1);
	assert_null(svc);
	assert_non_null(strstr(e.msg, "cannot listen on 127.0.0.1:18249"));
	assert_non_null(strstr(e.msg, "choose another ocsp_port"));
	close(fd);
}

/* A second registry where alice is suspended: what a HUP's new configuration might say. */
static void second_registry(env_t *env, char *path, size_t len)
{
	char sql[600];

	snprintf(path, len, "%s/second.db", env->f.dir);
	snprintf(sql, sizeof(sql), "VACUUM INTO '%s'", path);
	admin_exec(env, sql);
	snprintf(sql, sizeof(sql), "ATTACH '%s' AS second; UPDATE second.member SET status = 'suspended'"
		 " WHERE name = 'alice'; DETACH second", path);
	admin_exec(env, sql);
}

/* One request about alice on a new connection: the HTTP body's first bytes tell good from refused. */
static bool alice_is_good(env_t *env)
{
	uint8_t body[4096];
	size_t len;
	req_t r;
	int fd = connect_to(PORT);
	bool good;

	assert_true(fd >= 0);
	request_for(env, &r, FX_ALICE);
	assert_int_equal(http_exchange(fd, r.der, r.len, body, sizeof(body), &len), 200);
	good = len > 5;
	close(fd);
	req_free(&r);
	return good;
}

static void server__hup_shares_the_port_and_the_newest_configuration_answers(void **state)
{
	env_t *env = *state;
	cw_ocsp_service_t *old = serve(env, PORT, env->f.path), *new;
	char second[160];

	second_registry(env, second, sizeof(second));
	assert_true(alice_is_good(env));
	new = serve(env, PORT, second);		/* the HUP: no bind error */
	assert_false(alice_is_good(env));
	cw_ocsp_unserve(old);			/* the old instance detached later */
	assert_false(alice_is_good(env));
	cw_ocsp_unserve(new);			/* the last one closes the port */
	assert_int_equal(connect_to(PORT), -1);
	assert_int_equal(errno, ECONNREFUSED);
	/* and it can be served again at once (a restart) */
	new = serve(env, PORT, env->f.path);
	assert_true(alice_is_good(env));
	cw_ocsp_unserve(new);
}

static void server__without_a_readable_ca__refuses_and_says_so(void **state)
{
	env_t *env = *state;
	cw_ocsp_service_t *svc;

	assert_int_equal(unlink(env->ca_path), 0);
	svc = serve(env, PORT, env->f.path);
	assert_non_null(strstr(env->logged, "every certificate is refused"));
	assert_false(alice_is_good(env));
	cw_ocsp_unserve(svc);
	assert_non_null(strstr(env->logged, "reject (internal-error): CA certificate"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(valid_certificate__gets_the_signed_good_answer_with_the_ca),
		T(revoked_certificate__is_unauthorized),
		T(uncollected_certificate__is_unauthorized_until_collected),
		T(suspended_member__is_unauthorized_until_resumed),
		T(removed_member__is_unauthorized),
		T(membership_not_started__is_unauthorized),
		T(membership_ended__is_unauthorized),
		T(expired_certificate__is_unauthorized),
		T(unknown_serial__is_unauthorized),
		T(no_stored_answer__is_unauthorized_naming_the_command),
		T(stored_answer_of_another_certificate__is_not_served),
		T(garbage_stored_answer__is_not_served),
		T(broken_registry__is_internal_error),
		T(foreign_issuer_hashes__are_wrong_issuer),
		T(two_cert_ids__are_refused),
		T(no_cert_id__is_refused),
		T(sha256_cert_id__is_refused),
		T(nonce__is_refused_naming_the_setting),
		T(garbage__is_malformed),
		T(trailing_bytes__are_malformed),
		T(oversized__is_malformed),
		T(no_ca__is_internal_error),
		T(ca_file__must_hold_a_ca_certificate),
		T(server__answers_good_over_http),
		T(server__refuses_revoked_and_logs_the_reason),
		T(server__refuses_bad_http_with_a_status),
		T(server__slow_client_does_not_block_others),
		T(server__closes_a_silent_connection_after_its_deadline),
		T(server__port_taken_by_another_program__is_a_clear_error),
		T(server__hup_shares_the_port_and_the_newest_configuration_answers),
		T(server__without_a_readable_ca__refuses_and_says_so),
#undef T
	};

	return cmocka_run_group_tests_name("ocsp_responder", tests, NULL, NULL);
}
