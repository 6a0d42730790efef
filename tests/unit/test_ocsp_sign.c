/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_ocsp_sign.c - unit tests for lib/ca/ocsp.c: the pre-signed answers.
 *
 * Each answer is checked the way FreeRADIUS 3.2.1's ocsp_check() checks
 * it, with OpenSSL's own functions: OCSP_basic_verify against a store
 * holding only the CA (after adding the CA certificate to the response, as
 * the responder does), OCSP_resp_find_status with the CertID that
 * OCSP_cert_to_id(NULL, leaf, ca) builds, OCSP_check_validity.
 */
#ifndef OPENSSL_NO_DEPRECATED
#  define OPENSSL_NO_DEPRECATED
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "ca.h"
#include "ca_internal.h"
#include "ocsp.h"

typedef struct {
	int64_t		now;
	cw_ca_t		*ca;
	X509		*leaf;		//!< a member certificate the CA issued
	cw_cert_info_t	info;		//!< ...and its facts
	cw_ca_t		*other;		//!< a second CA
} env_t;

static X509 *x509_from_pem(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	assert_non_null(x);
	return x;
}

static int setup(void **state)
{
	env_t *env = calloc(1, sizeof(*env));
	cw_issued_t is;
	cw_err_t e;

	if (!env) return -1;
	env->now = (int64_t)time(NULL);
	memset(&is, 0, sizeof(is));
	if (cw_ca_generate("Test Space", 3650, env->now, &env->ca, &e) < 0 ||
	    cw_ca_generate("Test Space", 3650, env->now, &env->other, &e) < 0 ||
	    cw_ca_issue_member(env->ca, "alice", 30, 0, env->now, &is, &e) < 0) {
		print_error("setup: %s\n", e.msg);
		return -1;
	}
	env->leaf = x509_from_pem(is.cert_pem);
	env->info = is.info;
	cw_issued_clear(&is);
	*state = env;
	return 0;
}

static int teardown(void **state)
{
	env_t *env = *state;

	X509_free(env->leaf);
	cw_ca_free(env->ca);
	cw_ca_free(env->other);
	free(env);
	return 0;
}

/* Sign alice's answer and decode it. */
static OCSP_BASICRESP *signed_answer(env_t *env)
{
	unsigned char *der = NULL;
	const unsigned char *p;
	OCSP_BASICRESP *bs;
	size_t len = 0;
	cw_err_t e;

	if (cw_ocsp_sign_good(env->ca, env->info.serial, env->now, env->info.not_after, &der, &len, &e) < 0) {
		fail_msg("sign: %s", e.msg);
	}
	assert_true(len > 0 && len <= CW_OCSP_ANSWER_MAX);
	p = der;
	bs = d2i_OCSP_BASICRESP(NULL, &p, (long)len);
	assert_non_null(bs);
	assert_ptr_equal(p, der + len);
	cw_ocsp_der_free(der);
	return bs;
}

/* What FreeRADIUS verifies against: a store holding only this CA. */
static X509_STORE *store_of(const cw_ca_t *ca)
{
	X509_STORE *store = X509_STORE_new();

	assert_non_null(store);
	assert_int_equal(X509_STORE_add_cert(store, cw_ca_x509(ca)), 1);
	return store;
}

static void good_answer__verifies_with_the_ca_certificate_added(void **state)
{
	env_t *env = *state;
	OCSP_BASICRESP *bs = signed_answer(env);
	X509_STORE *store = store_of(env->ca);

	/* As stored: no certificate inside, so OpenSSL cannot find the signer... */
	assert_true(sk_X509_num(OCSP_resp_get0_certs(bs)) <= 0);
	assert_true(OCSP_basic_verify(bs, NULL, store, 0) <= 0);
	ERR_clear_error();
	/* ...with the CA certificate added (outside the signed data), it verifies. */
	assert_int_equal(OCSP_basic_add1_cert(bs, cw_ca_x509(env->ca)), 1);
	assert_int_equal(OCSP_basic_verify(bs, NULL, store, 0), 1);
	X509_STORE_free(store);
	OCSP_BASICRESP_free(bs);
}

static void good_answer__matches_freeradius_cert_id_and_times(void **state)
{
	env_t *env = *state;
	OCSP_BASICRESP *bs = signed_answer(env);
	OCSP_CERTID *id = OCSP_cert_to_id(NULL, env->leaf, cw_ca_x509(env->ca));
	ASN1_GENERALIZEDTIME *this_update = NULL, *next_update = NULL, *rev = NULL;
	int status = -1, reason = -1;
	time_t t;

	assert_non_null(id);
	assert_int_equal(OCSP_resp_find_status(bs, id, &status, &reason, &rev, &this_update, &next_update), 1);
	assert_int_equal(status, V_OCSP_CERTSTATUS_GOOD);
	assert_null(rev);
	/* thisUpdate = now, nextUpdate = the certificate's notAfter */
	t = (time_t)env->now;
	assert_int_equal(ASN1_TIME_cmp_time_t(this_update, t), 0);
	t = (time_t)env->info.not_after;
	assert_int_equal(ASN1_TIME_cmp_time_t(next_update, t), 0);
	/* FreeRADIUS: OCSP_check_validity(thisupd, nextupd, 300, -1) */
	assert_int_equal(OCSP_check_validity(this_update, next_update, 300, -1), 1);
	OCSP_CERTID_free(id);
	OCSP_BASICRESP_free(bs);
}

static void good_answer__has_key_hash_responder_id_and_no_nonce(void **state)
{
	env_t *env = *state;
	OCSP_BASICRESP *bs = signed_answer(env);
	const ASN1_OCTET_STRING *key_hash = NULL;
	const X509_NAME *name = NULL;
	unsigned char md[20];
	unsigned int n = 0;

	assert_int_equal(OCSP_resp_get0_id(bs, &key_hash, &name), 1);
	assert_null(name);
	assert_non_null(key_hash);
	assert_int_equal(X509_pubkey_digest(cw_ca_x509(env->ca), EVP_sha1(), md, &n), 1);
	assert_int_equal(ASN1_STRING_length(key_hash), 20);
	assert_memory_equal(ASN1_STRING_get0_data(key_hash), md, 20);
	assert_int_equal(OCSP_BASICRESP_get_ext_by_NID(bs, NID_id_pkix_OCSP_Nonce, -1), -1);
	OCSP_BASICRESP_free(bs);
}

/* Alice's answer, with added's certificate in it, does not verify against a store of trusted only. */
static void assert_unverifiable(env_t *env, const cw_ca_t *added, const cw_ca_t *trusted)
{
	OCSP_BASICRESP *bs = signed_answer(env);
	X509_STORE *store = store_of(trusted);

	assert_int_equal(OCSP_basic_add1_cert(bs, cw_ca_x509(added)), 1);
	assert_true(OCSP_basic_verify(bs, NULL, store, 0) <= 0);
	ERR_clear_error();
	X509_STORE_free(store);
	OCSP_BASICRESP_free(bs);
}

static void answer__does_not_verify_against_another_ca(void **state)
{
	env_t *env = *state;

	assert_unverifiable(env, env->ca, env->other);
}

static void answer__with_certificate_of_another_ca__does_not_verify(void **state)
{
	env_t *env = *state;

	/* The other CA's certificate does not match the responderID: no signer is found. */
	assert_unverifiable(env, env->other, env->ca);
}

static void expect_refusal(env_t *env, const cw_ca_t *ca, const char *serial, int64_t not_after, const char *why)
{
	unsigned char *der = (unsigned char *)"x";
	size_t len = 1;
	cw_err_t e = { "" };

	assert_int_equal(cw_ocsp_sign_good(ca, serial, env->now, not_after, &der, &len, &e), -1);
	assert_null(der);
	assert_int_equal(len, 0);
	if (!strstr(e.msg, why)) fail_msg("message \"%s\" lacks \"%s\"", e.msg, why);
}

static void expired_certificate__is_not_signed(void **state)
{
	env_t *env = *state;

	expect_refusal(env, env->ca, env->info.serial, env->now, "expired");
	expect_refusal(env, env->ca, env->info.serial, env->now - 86400, "expired");
}

static void malformed_serials__are_not_signed(void **state)
{
	static const struct {
		const char	*serial;
		const char	*why;
	} bad[] = {
		{ "xyz", "" }, { "", "" }, { "00ab", "normalised" }, { "AB", "normalised" },
		{ "0123456789012345678901234567890123456789a", "" }, { NULL, "no serial" },
	};
	env_t *env = *state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		expect_refusal(env, env->ca, bad[i].serial, env->info.not_after, bad[i].why);
	}
}

static void no_ca__is_refused(void **state)
{
	env_t *env = *state;

	expect_refusal(env, NULL, env->info.serial, env->info.not_after, "no CA");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(good_answer__verifies_with_the_ca_certificate_added),
		T(good_answer__matches_freeradius_cert_id_and_times),
		T(good_answer__has_key_hash_responder_id_and_no_nonce),
		T(answer__does_not_verify_against_another_ca),
		T(answer__with_certificate_of_another_ca__does_not_verify),
		T(expired_certificate__is_not_signed),
		T(malformed_serials__are_not_signed),
		T(no_ca__is_refused),
#undef T
	};

	return cmocka_run_group_tests_name("ocsp_sign", tests, NULL, NULL);
}
