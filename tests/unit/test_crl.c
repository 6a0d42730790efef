/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_crl.c - unit tests for lib/ca/crl.c.
 *
 * Every CRL is parsed back with OpenSSL and checked there: version,
 * issuer, dates, entries with their reason codes, extensions, and the
 * signature against the CA's public key. Times are fixed (NOW).
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

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ca_internal.h"
#include "crl.h"

#define NOW	INT64_C(1767225600)	/* 2026-01-01T00:00:00Z */
#define DAY	INT64_C(86400)

/* The CA, and a content of three entries: key-compromise, unspecified, a hold (not in serial order). */
typedef struct {
	cw_ca_t			*ca;
	cw_crl_entry_t		entries[3];
	cw_crl_content_t	c;
} fixture_t;

static int setup(void **state)
{
	static const cw_crl_entry_t entries[3] = {
		{ "7f01", NOW - 3 * DAY, 1 },
		{ "1a2b3c4d5e6f708192a3b4c5d6e7f801", NOW - DAY, 0 },
		{ "55", NOW, CW_CRL_REASON_HOLD },
	};
	fixture_t *f = calloc(1, sizeof(*f));
	cw_err_t e;

	if (!f) return -1;
	if (cw_ca_generate("Demo Space", 3650, NOW - 10 * DAY, &f->ca, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		free(f);
		return -1;
	}
	memcpy(f->entries, entries, sizeof(entries));
	f->c.number = 42;
	f->c.this_update = NOW;
	f->c.next_update = NOW + 7 * DAY;
	f->c.entries = f->entries;
	f->c.n = 3;
	f->c.n_hold = 1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_t *f = *state;

	cw_ca_free(f->ca);
	free(f);
	return 0;
}

/* Build and parse back; the caller frees the result with X509_CRL_free. */
static X509_CRL *build(const cw_ca_t *ca, const cw_crl_content_t *c, bool der)
{
	unsigned char *buf = NULL;
	const unsigned char *p;
	size_t len = 0;
	X509_CRL *crl;
	BIO *bio;
	cw_err_t e = { "" };

	if (cw_crl_build(ca, c, der, &buf, &len, &e) < 0) fail_msg("%s", e.msg);
	if (der) {
		p = buf;
		crl = d2i_X509_CRL(NULL, &p, (long)len);
		assert_ptr_equal(p, buf + len);
	} else {
		assert_non_null(strstr((const char *)buf, "-----BEGIN X509 CRL-----"));
		bio = BIO_new_mem_buf(buf, (int)len);
		crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL);
		BIO_free(bio);
	}
	free(buf);
	assert_non_null(crl);
	return crl;
}

static int64_t unix_of(const ASN1_TIME *t)
{
	int days, secs;
	ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);

	assert_int_equal(ASN1_TIME_diff(&days, &secs, epoch, t), 1);
	ASN1_TIME_free(epoch);
	return (int64_t)days * DAY + secs;
}

/* The entry of serial (hex), or NULL. */
static X509_REVOKED *entry_of(X509_CRL *crl, const char *hex)
{
	STACK_OF(X509_REVOKED) *revs = X509_CRL_get_REVOKED(crl);
	BIGNUM *want = NULL;
	X509_REVOKED *found = NULL;

	assert_true(BN_hex2bn(&want, hex) > 0);
	for (int i = 0; i < sk_X509_REVOKED_num(revs) && !found; i++) {
		X509_REVOKED *r = sk_X509_REVOKED_value(revs, i);
		BIGNUM *bn = ASN1_INTEGER_to_BN(X509_REVOKED_get0_serialNumber(r), NULL);

		if (BN_cmp(bn, want) == 0) found = r;
		BN_free(bn);
	}
	BN_free(want);
	return found;
}

/* The entry's reasonCode, or -1 when it has none. */
static int reason_of(X509_REVOKED *r)
{
	int crit = 0;
	ASN1_ENUMERATED *e = X509_REVOKED_get_ext_d2i(r, NID_crl_reason, &crit, NULL);
	long v;

	if (!e) return -1;
	assert_int_equal(crit, 0);
	v = ASN1_ENUMERATED_get(e);
	ASN1_ENUMERATED_free(e);
	return (int)v;
}

static void crl__header_dates_and_signature(void **state)
{
	fixture_t *f = *state;
	X509_CRL *crl = build(f->ca, &f->c, false);

	assert_int_equal(X509_CRL_get_version(crl), X509_CRL_VERSION_2);
	assert_int_equal(X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(cw_ca_x509(f->ca))), 0);
	assert_int_equal(unix_of(X509_CRL_get0_lastUpdate(crl)), NOW);
	assert_int_equal(unix_of(X509_CRL_get0_nextUpdate(crl)), NOW + 7 * DAY);
	assert_int_equal(X509_CRL_get_signature_nid(crl), NID_ecdsa_with_SHA256);
	assert_int_equal(X509_CRL_verify(crl, X509_get0_pubkey(cw_ca_x509(f->ca))), 1);
	X509_CRL_free(crl);
}

static void crl__entries_carry_dates_and_rfc5280_reason_codes(void **state)
{
	fixture_t *f = *state;
	X509_CRL *crl = build(f->ca, &f->c, true);
	X509_REVOKED *r;

	assert_int_equal(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)), 3);
	assert_non_null(r = entry_of(crl, "7f01"));
	assert_int_equal(reason_of(r), 1);
	assert_int_equal(unix_of(X509_REVOKED_get0_revocationDate(r)), NOW - 3 * DAY);
	assert_non_null(r = entry_of(crl, "1a2b3c4d5e6f708192a3b4c5d6e7f801"));
	assert_int_equal(reason_of(r), -1);	/* unspecified: no reasonCode at all (RFC 5280 5.3.1) */
	assert_int_equal(unix_of(X509_REVOKED_get0_revocationDate(r)), NOW - DAY);
	assert_non_null(r = entry_of(crl, "55"));
	assert_int_equal(reason_of(r), CW_CRL_REASON_HOLD);
	assert_null(entry_of(crl, "56"));
	X509_CRL_free(crl);
}

static void crl__has_crl_number_and_the_cas_key_identifier(void **state)
{
	fixture_t *f = *state;
	X509_CRL *crl = build(f->ca, &f->c, false);
	AUTHORITY_KEYID *aki;
	ASN1_INTEGER *n;
	int crit = -1;

	n = X509_CRL_get_ext_d2i(crl, NID_crl_number, &crit, NULL);
	assert_non_null(n);
	assert_int_equal(crit, 0);
	assert_int_equal(ASN1_INTEGER_get(n), 42);
	ASN1_INTEGER_free(n);
	aki = X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, &crit, NULL);
	assert_non_null(aki);
	assert_non_null(aki->keyid);
	assert_int_equal(ASN1_OCTET_STRING_cmp(aki->keyid, X509_get0_subject_key_id(cw_ca_x509(f->ca))), 0);
	AUTHORITY_KEYID_free(aki);
	assert_int_equal(X509_CRL_get_ext_count(crl), 2);
	X509_CRL_free(crl);
}

static void crl__without_entries_is_valid(void **state)
{
	fixture_t *f = *state;
	X509_CRL *crl;

	f->c.n = f->c.n_hold = 0;
	crl = build(f->ca, &f->c, true);
	assert_true(sk_X509_REVOKED_num(X509_CRL_get_REVOKED(crl)) <= 0);	/* no list at all, or an empty one */
	assert_int_equal(X509_CRL_verify(crl, X509_get0_pubkey(cw_ca_x509(f->ca))), 1);
	X509_CRL_free(crl);
}

static void crl__does_not_verify_against_another_ca(void **state)
{
	fixture_t *f = *state;
	X509_CRL *crl = build(f->ca, &f->c, false);
	cw_ca_t *other = NULL;
	cw_err_t e;

	assert_int_equal(cw_ca_generate("Demo Space", 3650, NOW - DAY, &other, &e), 0);
	assert_int_not_equal(X509_CRL_verify(crl, X509_get0_pubkey(cw_ca_x509(other))), 1);
	X509_CRL_free(crl);
	cw_ca_free(other);
}

static void crl__refusals(void **state)
{
	fixture_t *f = *state;
	unsigned char *buf = (unsigned char *)"x";
	size_t len = 9;
	cw_ca_t *old = NULL;
	cw_err_t e = { "" };

	f->c.next_update = f->c.this_update;
	assert_int_equal(cw_crl_build(f->ca, &f->c, false, &buf, &len, &e), -1);
	assert_null(buf);
	assert_int_equal(len, 0);
	assert_non_null(strstr(e.msg, "nextUpdate"));
	f->c.next_update = NOW + DAY;

	(void)cw_snprintf(f->entries[1].serial, sizeof(f->entries[1].serial), "xyz");
	assert_int_equal(cw_crl_build(f->ca, &f->c, false, &buf, &len, &e), -1);
	assert_non_null(strstr(e.msg, "certificate xyz"));

	f->c.n = 0;
	assert_int_equal(cw_ca_generate("Old Space", 1, NOW - 5 * DAY, &old, &e), 0);
	assert_int_equal(cw_crl_build(old, &f->c, false, &buf, &len, &e), -1);
	assert_non_null(strstr(e.msg, "CA certificate has expired"));
	assert_null(buf);
	cw_ca_free(old);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(crl__header_dates_and_signature),
		T(crl__entries_carry_dates_and_rfc5280_reason_codes),
		T(crl__has_crl_number_and_the_cas_key_identifier),
		T(crl__without_entries_is_valid),
		T(crl__does_not_verify_against_another_ca),
		T(crl__refusals),
#undef T
	};

	return cmocka_run_group_tests_name("crl", tests, NULL, NULL);
}
