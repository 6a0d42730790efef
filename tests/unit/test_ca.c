/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_ca.c - unit tests for lib/ca/ca.c.
 *
 * Everything the CA produces is parsed back with OpenSSL itself and
 * checked there, rather than trusting the cw_cert_info_t it reports.
 * Times are fixed (NOW) so that validity arithmetic is exact.
 */
#ifndef OPENSSL_NO_DEPRECATED
#  define OPENSSL_NO_DEPRECATED
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ca.h"

#define NOW		INT64_C(1767225600)	/* 2026-01-01T00:00:00Z */
#define DAY		INT64_C(86400)
#define ORG		"Demo Space"
#define P12_PASSWORD	"k7m2x-9qhfd-3wz8c"

typedef struct {
	cw_ca_t		*ca;
	X509		*ca_cert;	//!< the CA certificate, parsed back from its PEM
	cw_cert_info_t	ca_info;
} fixture_t;

/* ---- helpers: everything below parses with OpenSSL, not with ca.c ---- */

static X509 *x509_from_pem(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *x;

	assert_non_null(bio);
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	assert_non_null(x);
	return x;
}

static EVP_PKEY *key_from_pem(const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *k;

	assert_non_null(bio);
	k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	assert_non_null(k);
	return k;
}

/* UTF-8 text of the first entry nid in name, into buf. */
static void name_text(const X509_NAME *name, int nid, char *buf, size_t size)
{
	int i = X509_NAME_get_index_by_NID(name, nid, -1);
	unsigned char *utf8 = NULL;
	int n;

	assert_true(i >= 0);
	n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
	assert_true(n >= 0 && (size_t)n < size);
	memcpy(buf, utf8, (size_t)n);
	buf[n] = '\0';
	OPENSSL_free(utf8);
}

/* Unix time of an ASN1_TIME, via ASN1_TIME_diff from the epoch (not the code under test). */
static int64_t asn1_unix(const ASN1_TIME *t)
{
	ASN1_TIME *epoch = ASN1_TIME_set(NULL, 0);
	int days = 0, secs = 0;

	assert_non_null(epoch);
	assert_int_equal(ASN1_TIME_diff(&days, &secs, epoch, t), 1);
	ASN1_TIME_free(epoch);
	return (int64_t)days * DAY + secs;
}

static int ext_critical(const X509 *x, int nid)
{
	int i = X509_get_ext_by_NID(x, nid, -1);

	assert_true(i >= 0);
	return X509_EXTENSION_get_critical(X509_get_ext(x, i));
}

static void hex_of(const unsigned char *p, size_t n, char *out)
{
	size_t i;

	for (i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = '\0';
}

/* X509_verify_cert of leaf against a store holding only ca, at time `at`, strict. Returns the verify error. */
static int verify_with(X509 *ca, X509 *leaf, int purpose, int64_t at)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ok, e;

	assert_non_null(store);
	assert_non_null(ctx);
	assert_int_equal(X509_STORE_add_cert(store, ca), 1);
	assert_int_equal(X509_STORE_CTX_init(ctx, store, leaf, NULL), 1);
	assert_int_equal(X509_STORE_CTX_set_purpose(ctx, purpose), 1);
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_X509_STRICT);
	X509_STORE_CTX_set_time(ctx, 0, (time_t)at);
	ok = X509_verify_cert(ctx);
	e = X509_STORE_CTX_get_error(ctx);
	assert_true(ok == 1 ? e == X509_V_OK : e != X509_V_OK);
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	ERR_clear_error();
	return e;
}

/* A temporary file holding data; path must hold 32 bytes. The caller unlinks it. */
static void temp_file(const char *data, size_t len, char *path)
{
	int fd;

	strcpy(path, "/tmp/test_ca.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

static void issue_member(fixture_t *f, const char *id, unsigned days, int64_t limit, cw_issued_t *out)
{
	cw_err_t err = { { 0 } };
	int rc = cw_ca_issue_member(f->ca, id, days, limit, NOW, out, &err);

	if (rc != 0) print_error("cw_ca_issue_member: %s\n", err.msg);
	assert_int_equal(rc, 0);
}

static void issue_server(fixture_t *f, const char *name, unsigned days, cw_issued_t *out)
{
	cw_err_t err = { { 0 } };
	int rc = cw_ca_issue_server(f->ca, name, days, NOW, out, &err);

	if (rc != 0) print_error("cw_ca_issue_server: %s\n", err.msg);
	assert_int_equal(rc, 0);
}

static int fixture_open(void **state, const char *org, unsigned days)
{
	fixture_t *f = calloc(1, sizeof(*f));
	cw_err_t err = { { 0 } };
	char *cert_pem = NULL, *key_pem = NULL;
	size_t cert_len = 0, key_len = 0;

	if (!f) return -1;
	*state = f;
	if (cw_ca_generate(org, days, NOW, &f->ca, &err) != 0 ||
	    cw_ca_export(f->ca, &cert_pem, &cert_len, &key_pem, &key_len, &err) != 0 ||
	    cw_ca_info(f->ca, &f->ca_info, &err) != 0) {
		print_error("CA fixture: %s\n", err.msg);
		cw_ca_free(f->ca);
		free(f);
		*state = NULL;
		return -1;
	}
	f->ca_cert = x509_from_pem(cert_pem);
	free(cert_pem);
	cw_secret_free(key_pem, key_len);
	return 0;
}

static int ca_setup(void **state)
{
	return fixture_open(state, ORG, CW_CA_DAYS_DEFAULT);
}

/* A CA that expires in 30 days, to see it cap its certificates. */
static int short_ca_setup(void **state)
{
	return fixture_open(state, ORG, 30);
}

static int ca_teardown(void **state)
{
	fixture_t *f = *state;
	unsigned long e = ERR_peek_error();

	/* Some tests provoke errors in OpenSSL itself and clear them; ca.c must always clear its own. */
	if (e != 0) {
		char buf[256];

		ERR_error_string_n(e, buf, sizeof(buf));
		print_error("OpenSSL error queue not empty: %s\n", buf);
	}
	if (f) {
		X509_free(f->ca_cert);
		cw_ca_free(f->ca);
		free(f);
	}
	ERR_clear_error();
	return e == 0 ? 0 : -1;	/* ca.c must leave no stray errors behind */
}

/* ---- the CA ---- */

static void ca_generate__is_self_signed_v3(void **state)
{
	fixture_t *f = *state;
	EVP_PKEY *pub = X509_get0_pubkey(f->ca_cert);

	assert_int_equal(X509_get_version(f->ca_cert), X509_VERSION_3);
	assert_int_equal(X509_NAME_cmp(X509_get_subject_name(f->ca_cert), X509_get_issuer_name(f->ca_cert)), 0);
	assert_int_equal(X509_verify(f->ca_cert, pub), 1);
	assert_true(X509_get_extension_flags(f->ca_cert) & EXFLAG_SS);
	assert_int_equal(X509_get_signature_nid(f->ca_cert), NID_ecdsa_with_SHA256);
	assert_string_equal(f->ca_info.subject, f->ca_info.issuer);
}

static void ca_generate__is_ca_with_pathlen_0(void **state)
{
	fixture_t *f = *state;

	assert_int_equal(X509_check_ca(f->ca_cert), 1);
	assert_int_equal(X509_get_pathlen(f->ca_cert), 0);
	assert_int_equal(ext_critical(f->ca_cert, NID_basic_constraints), 1);
}

static void ca_generate__key_usage_is_critical_certsign_crlsign(void **state)
{
	fixture_t *f = *state;

	assert_int_equal(X509_get_key_usage(f->ca_cert), KU_KEY_CERT_SIGN | KU_CRL_SIGN);
	assert_int_equal(ext_critical(f->ca_cert, NID_key_usage), 1);
	assert_int_equal(X509_get_ext_by_NID(f->ca_cert, NID_ext_key_usage, -1), -1);
}

static void ca_generate__has_subject_key_id_in_info(void **state)
{
	fixture_t *f = *state;
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(f->ca_cert);
	char hex[2 * 64 + 1];

	assert_non_null(ski);
	assert_true(ASN1_STRING_length(ski) <= 64);
	hex_of(ASN1_STRING_get0_data(ski), (size_t)ASN1_STRING_length(ski), hex);
	assert_string_equal(f->ca_info.ski, hex);
}

static void ca_generate__subject_is_org_and_member_ca(void **state)
{
	fixture_t *f = *state;
	char buf[256];

	name_text(X509_get_subject_name(f->ca_cert), NID_organizationName, buf, sizeof(buf));
	assert_string_equal(buf, ORG);
	name_text(X509_get_subject_name(f->ca_cert), NID_commonName, buf, sizeof(buf));
	assert_string_equal(buf, ORG " Member CA");
	assert_string_equal(f->ca_info.subject, "/O=" ORG "/CN=" ORG " Member CA");
}

static void ca_generate__validity_is_backdated_days(void **state)
{
	fixture_t *f = *state;

	assert_int_equal(asn1_unix(X509_get0_notBefore(f->ca_cert)), NOW - CW_BACKDATE_SECONDS);
	assert_int_equal(asn1_unix(X509_get0_notAfter(f->ca_cert)), NOW + CW_CA_DAYS_DEFAULT * DAY);
	assert_int_equal(f->ca_info.not_before, NOW - CW_BACKDATE_SECONDS);
	assert_int_equal(f->ca_info.not_after, NOW + CW_CA_DAYS_DEFAULT * DAY);
}

static void ca_generate__key_is_p256(void **state)
{
	fixture_t *f = *state;
	char *cert_pem = NULL, *key_pem = NULL;
	size_t cert_len = 0, key_len = 0;
	cw_err_t err = { { 0 } };
	char group[64];
	EVP_PKEY *key;

	assert_int_equal(cw_ca_export(f->ca, &cert_pem, &cert_len, &key_pem, &key_len, &err), 0);
	assert_int_equal(strlen(key_pem), key_len);
	assert_int_equal(strlen(cert_pem), cert_len);
	assert_non_null(strstr(key_pem, "-----BEGIN PRIVATE KEY-----"));
	key = key_from_pem(key_pem);
	assert_true(EVP_PKEY_is_a(key, "EC"));
	assert_int_equal(EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL), 1);
	assert_string_equal(group, "prime256v1");
	assert_int_equal(X509_check_private_key(f->ca_cert, key), 1);
	EVP_PKEY_free(key);
	free(cert_pem);
	cw_secret_free(key_pem, key_len);
}

static void ca_generate__long_org_gives_plain_member_ca_cn(void **state)
{
	char org54[55], org55[56], org64[65], cn[128];
	cw_err_t err = { { 0 } };
	cw_ca_t *ca = NULL;
	cw_cert_info_t info;
	char expect[256];

	(void)state;
	memset(org54, 'a', 54); org54[54] = '\0';
	memset(org55, 'b', 55); org55[55] = '\0';
	memset(org64, 'c', 64); org64[64] = '\0';

	/* 54 + " Member CA" is exactly 64 characters: still fits. */
	assert_int_equal(cw_ca_generate(org54, 30, NOW, &ca, &err), 0);
	assert_int_equal(cw_ca_info(ca, &info, &err), 0);
	(void)snprintf(expect, sizeof(expect), "/O=%s/CN=%s Member CA", org54, org54);
	assert_string_equal(info.subject, expect);
	cw_ca_free(ca);

	assert_int_equal(cw_ca_generate(org55, 30, NOW, &ca, &err), 0);
	assert_int_equal(cw_ca_info(ca, &info, &err), 0);
	(void)snprintf(expect, sizeof(expect), "/O=%s/CN=Member CA", org55);
	assert_string_equal(info.subject, expect);
	cw_ca_free(ca);

	assert_int_equal(cw_ca_generate(org64, 30, NOW, &ca, &err), 0);
	assert_int_equal(cw_ca_info(ca, &info, &err), 0);
	(void)snprintf(cn, sizeof(cn), "/O=%s/CN=Member CA", org64);
	assert_string_equal(info.subject, cn);
	cw_ca_free(ca);
}

static void ca_generate__utf8_org_round_trips(void **state)
{
	static const char org[] = "デモスペース";
	cw_err_t err = { { 0 } };
	cw_ca_t *ca = NULL;
	cw_issued_t member;
	char *cert_pem = NULL, *key_pem = NULL, buf[256], *oneline;
	size_t cert_len = 0, key_len = 0;
	X509 *cert, *leaf;
	const X509_NAME *name;

	(void)state;
	assert_int_equal(cw_ca_generate(org, 30, NOW, &ca, &err), 0);
	assert_int_equal(cw_ca_export(ca, &cert_pem, &cert_len, &key_pem, &key_len, &err), 0);
	cert = x509_from_pem(cert_pem);
	name = X509_get_subject_name(cert);

	assert_int_equal(ASN1_STRING_type(X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name,
			 X509_NAME_get_index_by_NID(name, NID_organizationName, -1)))), V_ASN1_UTF8STRING);
	name_text(name, NID_organizationName, buf, sizeof(buf));
	assert_string_equal(buf, org);
	name_text(name, NID_commonName, buf, sizeof(buf));
	assert_string_equal(buf, "デモスペース Member CA");

	/* The registry's form is X509_NAME_oneline's, which escapes non-ASCII bytes. */
	oneline = X509_NAME_oneline(name, NULL, 0);
	assert_non_null(oneline);
	assert_int_equal(strncmp(oneline, "/O=\\xE3\\x83\\x87", 15), 0);

	/* Member certificates carry the same O, byte for byte. */
	assert_int_equal(cw_ca_issue_member(ca, "alice", 30, 0, NOW, &member, &err), 0);
	leaf = x509_from_pem(member.cert_pem);
	name_text(X509_get_subject_name(leaf), NID_organizationName, buf, sizeof(buf));
	assert_string_equal(buf, org);
	assert_string_equal(member.info.issuer, oneline);

	OPENSSL_free(oneline);
	X509_free(leaf);
	X509_free(cert);
	cw_issued_clear(&member);
	free(cert_pem);
	cw_secret_free(key_pem, key_len);
	cw_ca_free(ca);
}

static void ca_generate__refuses_bad_org(void **state)
{
	char org65[66];
	cw_err_t err = { { 0 } };
	cw_ca_t *ca = (cw_ca_t *)&err;	/* must come back NULL */

	(void)state;
	memset(org65, 'x', 65);
	org65[65] = '\0';

	assert_int_equal(cw_ca_generate("", 30, NOW, &ca, &err), -1);
	assert_null(ca);
	assert_non_null(strstr(err.msg, "empty"));
	assert_int_equal(cw_ca_generate(NULL, 30, NOW, &ca, &err), -1);
	assert_int_equal(cw_ca_generate(org65, 30, NOW, &ca, &err), -1);
	assert_non_null(strstr(err.msg, "64"));
	assert_int_equal(cw_ca_generate("Demo\xff", 30, NOW, &ca, &err), -1);
	assert_non_null(strstr(err.msg, "UTF-8"));
	assert_int_equal(cw_ca_generate("\xc0\xaf", 30, NOW, &ca, &err), -1);	/* overlong '/' */
	assert_int_equal(cw_ca_generate("Demo/CN=evil", 30, NOW, &ca, &err), -1);
	assert_int_equal(cw_ca_generate("Demo\nSpace", 30, NOW, &ca, &err), -1);
	assert_null(ca);
}

static void ca_generate__refuses_zero_days(void **state)
{
	cw_err_t err = { { 0 } };
	cw_ca_t *ca = NULL;

	(void)state;
	assert_int_equal(cw_ca_generate(ORG, 0, NOW, &ca, &err), -1);
	assert_null(ca);
	assert_int_equal(cw_ca_generate(ORG, 30, -1, &ca, &err), -1);
	assert_null(ca);
}

/*
 * 64 four-byte characters: "/O=" + 64 * 16 escaped characters does not fit
 * CW_DN_MAX; silently truncating would break lookups.
 */
static void ca_generate__refuses_org_whose_dn_exceeds_cw_dn_max(void **state)
{
	char org[64 * 4 + 1];
	cw_err_t err = { { 0 } };
	cw_ca_t *ca = NULL;
	int i;

	(void)state;
	for (i = 0; i < 64; i++) memcpy(org + 4 * i, "\xf0\x9f\x98\x80", 4);	/* U+1F600 */
	org[sizeof(org) - 1] = '\0';
	assert_int_equal(cw_ca_generate(org, 30, NOW, &ca, &err), -1);
	assert_null(ca);
	assert_non_null(strstr(err.msg, "subject"));

	org[20 * 3] = '\0';
	assert_int_equal(cw_ca_generate(org, 30, NOW, &ca, &err), 0);
	cw_ca_free(ca);
}

static void ca_info__matches_exported_pem(void **state)
{
	fixture_t *f = *state;
	char *cert_pem = NULL, *key_pem = NULL;
	size_t cert_len = 0, key_len = 0;
	cw_cert_info_t info;
	cw_err_t err = { { 0 } };

	assert_int_equal(cw_ca_export(f->ca, &cert_pem, &cert_len, &key_pem, &key_len, &err), 0);
	assert_int_equal(cw_cert_info_from_pem(cert_pem, cert_len, &info, &err), 0);
	assert_memory_equal(&info, &f->ca_info, sizeof(info));
	free(cert_pem);
	cw_secret_free(key_pem, key_len);

	assert_int_equal(cw_cert_info_from_pem("not a certificate", 17, &info, &err), -1);
	assert_int_equal(info.serial[0], '\0');
}

/* ---- the RADIUS server certificate ---- */

static void server_cert__has_serverauth_eku_and_san(void **state)
{
	fixture_t *f = *state;
	cw_issued_t s;
	GENERAL_NAMES *sans;
	const GENERAL_NAME *gn;
	X509 *x;
	char buf[128];

	issue_server(f, "radius.demo.example", 365, &s);
	x = x509_from_pem(s.cert_pem);

	assert_int_equal(X509_get_version(x), X509_VERSION_3);
	assert_int_equal(X509_get_extended_key_usage(x), XKU_SSL_SERVER);
	assert_int_equal(X509_get_key_usage(x), KU_DIGITAL_SIGNATURE);
	assert_int_equal(ext_critical(x, NID_key_usage), 1);
	assert_int_equal(X509_check_ca(x), 0);
	assert_true(X509_get_ext_by_NID(x, NID_basic_constraints, -1) >= 0);

	sans = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	assert_non_null(sans);
	assert_int_equal(sk_GENERAL_NAME_num(sans), 1);
	gn = sk_GENERAL_NAME_value(sans, 0);
	assert_int_equal(gn->type, GEN_DNS);
	assert_int_equal(ASN1_STRING_length(gn->d.dNSName), strlen("radius.demo.example"));
	assert_memory_equal(ASN1_STRING_get0_data(gn->d.dNSName), "radius.demo.example", strlen("radius.demo.example"));
	GENERAL_NAMES_free(sans);

	name_text(X509_get_subject_name(x), NID_commonName, buf, sizeof(buf));
	assert_string_equal(buf, "radius.demo.example");
	name_text(X509_get_subject_name(x), NID_organizationName, buf, sizeof(buf));
	assert_string_equal(buf, ORG);

	X509_free(x);
	cw_issued_clear(&s);
}

static void server_cert__verifies_against_ca_only_store(void **state)
{
	fixture_t *f = *state;
	cw_issued_t s;
	X509 *x;

	issue_server(f, "radius.demo.example", 825, &s);
	x = x509_from_pem(s.cert_pem);
	assert_int_equal(verify_with(f->ca_cert, x, X509_PURPOSE_SSL_SERVER, NOW), X509_V_OK);
	assert_int_equal(verify_with(f->ca_cert, x, X509_PURPOSE_SSL_CLIENT, NOW), X509_V_ERR_INVALID_PURPOSE);
	assert_int_equal(verify_with(f->ca_cert, x, X509_PURPOSE_SSL_SERVER, s.info.not_after + 1),
			 X509_V_ERR_CERT_HAS_EXPIRED);
	X509_free(x);
	cw_issued_clear(&s);
}

static void server_cert__validity_is_at_most_825_days(void **state)
{
	fixture_t *f = *state;
	cw_issued_t s;
	X509 *x;
	int64_t nb, na;

	issue_server(f, "radius.demo.example", CW_SERVER_DAYS_MAX, &s);
	x = x509_from_pem(s.cert_pem);
	nb = asn1_unix(X509_get0_notBefore(x));
	na = asn1_unix(X509_get0_notAfter(x));
	assert_int_equal(nb, NOW - CW_BACKDATE_SECONDS);
	assert_true(na - nb <= 825 * DAY);
	assert_int_equal(na - nb, 825 * DAY);
	assert_int_equal(s.info.not_before, nb);
	assert_int_equal(s.info.not_after, na);
	X509_free(x);
	cw_issued_clear(&s);
}

static void server_cert__refuses_0_and_826_days(void **state)
{
	fixture_t *f = *state;
	cw_err_t err = { { 0 } };
	cw_issued_t s;

	assert_int_equal(cw_ca_issue_server(f->ca, "radius.demo.example", 826, NOW, &s, &err), -1);
	assert_non_null(strstr(err.msg, "825"));
	assert_null(s.cert_pem);
	assert_null(s.key_pem);
	assert_int_equal(cw_ca_issue_server(f->ca, "radius.demo.example", 0, NOW, &s, &err), -1);
	issue_server(f, "radius.demo.example", 1, &s);
	cw_issued_clear(&s);
}

static void server_cert__refuses_bad_dns_names(void **state)
{
	static const char *bad[] = {
		"", "a,b.example", "radius.example,DNS:evil.example", "-a.example", "a-.example", "a..example",
		".example", "example.", "*.example", "foo bar.example", "a=b.example", "a/b", "a\nb",
		"rädius.example",
	};
	fixture_t *f = *state;
	char label64[80], long254[260], cn65[80];
	cw_err_t err = { { 0 } };
	cw_issued_t s;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		assert_int_equal(cw_ca_issue_server(f->ca, bad[i], 365, NOW, &s, &err), -1);
		assert_true(err.msg[0] != '\0');
	}
	assert_int_equal(cw_ca_issue_server(f->ca, NULL, 365, NOW, &s, &err), -1);

	memset(label64, 'a', 64);
	strcpy(label64 + 64, ".example");
	assert_int_equal(cw_ca_issue_server(f->ca, label64, 365, NOW, &s, &err), -1);
	assert_non_null(strstr(err.msg, "label"));

	for (i = 0; i < 254; i++) long254[i] = (i % 2) ? '.' : 'a';
	long254[253] = 'a';
	long254[254] = '\0';
	assert_int_equal(cw_ca_issue_server(f->ca, long254, 365, NOW, &s, &err), -1);

	/* A valid name, but longer than a CN may be. */
	memset(cn65, 'a', 57);
	strcpy(cn65 + 57, ".example");
	assert_int_equal(strlen(cn65), 65);
	assert_int_equal(cw_ca_issue_server(f->ca, cn65, 365, NOW, &s, &err), -1);
	assert_non_null(strstr(err.msg, "CN"));
	cn65[1] = '.';	/* 64 characters */
	memmove(cn65 + 1, cn65 + 2, strlen(cn65 + 2) + 1);
	issue_server(f, cn65, 365, &s);
	cw_issued_clear(&s);
}

static void server_cert__never_outlives_the_ca(void **state)
{
	fixture_t *f = *state;
	cw_issued_t s;

	issue_server(f, "radius.demo.example", 825, &s);
	assert_int_equal(s.info.not_after, f->ca_info.not_after);
	cw_issued_clear(&s);
}

/* ---- member certificates ---- */

static void member_cert__subject_is_ca_org_and_member_id(void **state)
{
	fixture_t *f = *state;
	cw_issued_t m;
	X509 *x;
	char buf[128];

	issue_member(f, "alice", CW_MEMBER_DAYS_DEFAULT, 0, &m);
	x = x509_from_pem(m.cert_pem);
	name_text(X509_get_subject_name(x), NID_commonName, buf, sizeof(buf));
	assert_string_equal(buf, "alice");
	name_text(X509_get_subject_name(x), NID_organizationName, buf, sizeof(buf));
	assert_string_equal(buf, ORG);
	assert_int_equal(X509_NAME_entry_count(X509_get_subject_name(x)), 2);
	assert_int_equal(X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(f->ca_cert)), 0);
	assert_string_equal(m.info.subject, "/O=" ORG "/CN=alice");
	X509_free(x);
	cw_issued_clear(&m);
}

static void member_cert__has_clientauth_eku_only(void **state)
{
	fixture_t *f = *state;
	cw_issued_t m;
	X509 *x;

	issue_member(f, "alice", CW_MEMBER_DAYS_DEFAULT, 0, &m);
	x = x509_from_pem(m.cert_pem);
	assert_int_equal(X509_get_version(x), X509_VERSION_3);
	assert_int_equal(X509_get_extended_key_usage(x), XKU_SSL_CLIENT);
	assert_false(X509_get_extended_key_usage(x) & XKU_SSL_SERVER);
	assert_int_equal(X509_get_key_usage(x), KU_DIGITAL_SIGNATURE);
	assert_int_equal(ext_critical(x, NID_key_usage), 1);
	assert_int_equal(X509_check_ca(x), 0);
	assert_int_equal(ext_critical(x, NID_basic_constraints), 1);
	assert_int_equal(X509_get_ext_by_NID(x, NID_subject_alt_name, -1), -1);
	assert_int_equal(X509_get_signature_nid(x), NID_ecdsa_with_SHA256);
	X509_free(x);
	cw_issued_clear(&m);
}

static void member_cert__verifies_for_client_not_server(void **state)
{
	fixture_t *f = *state;
	cw_issued_t m;
	X509 *x;

	issue_member(f, "alice", 30, 0, &m);
	x = x509_from_pem(m.cert_pem);
	assert_int_equal(verify_with(f->ca_cert, x, X509_PURPOSE_SSL_CLIENT, NOW), X509_V_OK);
	assert_int_equal(verify_with(f->ca_cert, x, X509_PURPOSE_SSL_SERVER, NOW), X509_V_ERR_INVALID_PURPOSE);
	/* Backdated for slow device clocks. */
	assert_int_equal(verify_with(f->ca_cert, x, X509_PURPOSE_SSL_CLIENT, NOW - CW_BACKDATE_SECONDS + 1), X509_V_OK);
	X509_free(x);
	cw_issued_clear(&m);
}

static void member_cert__aki_is_ca_ski(void **state)
{
	fixture_t *f = *state;
	cw_issued_t m;
	X509 *x;

	issue_member(f, "alice", 30, 0, &m);
	x = x509_from_pem(m.cert_pem);
	assert_non_null(X509_get0_authority_key_id(x));
	assert_int_equal(ASN1_OCTET_STRING_cmp(X509_get0_authority_key_id(x), X509_get0_subject_key_id(f->ca_cert)), 0);
	assert_non_null(X509_get0_subject_key_id(x));
	X509_free(x);
	cw_issued_clear(&m);
}

static void member_cert__default_days_without_limit(void **state)
{
	fixture_t *f = *state;
	cw_issued_t m;
	X509 *x;

	issue_member(f, "alice", CW_MEMBER_DAYS_DEFAULT, 0, &m);
	x = x509_from_pem(m.cert_pem);
	assert_int_equal(asn1_unix(X509_get0_notBefore(x)), NOW - CW_BACKDATE_SECONDS);
	assert_int_equal(asn1_unix(X509_get0_notAfter(x)), NOW + CW_MEMBER_DAYS_DEFAULT * DAY);
	assert_int_equal(m.info.not_before, NOW - CW_BACKDATE_SECONDS);
	assert_int_equal(m.info.not_after, NOW + CW_MEMBER_DAYS_DEFAULT * DAY);
	X509_free(x);
	cw_issued_clear(&m);
}

static void member_cert__ends_before_membership_limit(void **state)
{
	fixture_t *f = *state;
	int64_t limit = NOW + 10 * DAY;
	cw_issued_t m;
	X509 *x;
	int64_t na;

	issue_member(f, "alice", 365, limit, &m);
	x = x509_from_pem(m.cert_pem);
	na = asn1_unix(X509_get0_notAfter(x));
	assert_int_equal(na, limit - 1);
	assert_true(na <= NOW + 365 * DAY);
	assert_int_equal(m.info.not_after, limit - 1);
	/*
	 * Valid inside the membership, not at its exclusive end. (OpenSSL
	 * treats notAfter itself as expired, RFC 5280 as valid.)
	 */
	assert_int_equal(verify_with(f->ca_cert, x, X509_PURPOSE_SSL_CLIENT, limit - 2), X509_V_OK);
	assert_int_equal(verify_with(f->ca_cert, x, X509_PURPOSE_SSL_CLIENT, limit), X509_V_ERR_CERT_HAS_EXPIRED);
	X509_free(x);
	cw_issued_clear(&m);

	/* When the days end first, they win. */
	issue_member(f, "alice", 5, limit, &m);
	assert_int_equal(m.info.not_after, NOW + 5 * DAY);
	cw_issued_clear(&m);

	/* A limit one second after now still leaves one second. */
	issue_member(f, "alice", 5, NOW + 2, &m);
	assert_int_equal(m.info.not_after, NOW + 1);
	cw_issued_clear(&m);
}

static void member_cert__limit_at_or_before_now_is_refused(void **state)
{
	fixture_t *f = *state;
	cw_err_t err = { { 0 } };
	cw_issued_t m;

	assert_int_equal(cw_ca_issue_member(f->ca, "alice", 365, NOW - 10, NOW, &m, &err), -1);
	assert_non_null(strstr(err.msg, "membership ends before the certificate would start"));
	assert_null(m.cert_pem);
	assert_null(m.key_pem);
	assert_int_equal(cw_ca_issue_member(f->ca, "alice", 365, NOW, NOW, &m, &err), -1);
	assert_int_equal(cw_ca_issue_member(f->ca, "alice", 365, NOW + 1, NOW, &m, &err), -1);
}

static void member_cert__refuses_0_and_826_days(void **state)
{
	fixture_t *f = *state;
	cw_err_t err = { { 0 } };
	cw_issued_t m;

	assert_int_equal(cw_ca_issue_member(f->ca, "alice", 0, 0, NOW, &m, &err), -1);
	assert_int_equal(cw_ca_issue_member(f->ca, "alice", CW_MEMBER_DAYS_MAX + 1, 0, NOW, &m, &err), -1);
	assert_non_null(strstr(err.msg, "825"));
	issue_member(f, "alice", CW_MEMBER_DAYS_MAX, 0, &m);
	assert_int_equal(m.info.not_after, NOW + CW_MEMBER_DAYS_MAX * DAY);
	cw_issued_clear(&m);
}

static void member_cert__refuses_bad_member_id(void **state)
{
	static const char *bad[] = { "", "a/b", "a\\b", "a\tb", "a\x7f", "\xff", "\xed\xa0\x80" };
	fixture_t *f = *state;
	char id65[66], id64[65];
	cw_err_t err = { { 0 } };
	cw_issued_t m;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(cw_ca_issue_member(f->ca, bad[i], 30, 0, NOW, &m, &err), -1);
	assert_int_equal(cw_ca_issue_member(f->ca, NULL, 30, 0, NOW, &m, &err), -1);
	memset(id65, 'm', 65);
	id65[65] = '\0';
	assert_int_equal(cw_ca_issue_member(f->ca, id65, 30, 0, NOW, &m, &err), -1);
	memset(id64, 'm', 64);
	id64[64] = '\0';
	issue_member(f, id64, 30, 0, &m);
	cw_issued_clear(&m);
	issue_member(f, "zoë.müller", 30, 0, &m);
	cw_issued_clear(&m);
}

static void member_cert__capped_by_ca_not_after(void **state)
{
	fixture_t *f = *state;
	cw_err_t err = { { 0 } };
	cw_issued_t m;

	assert_int_equal(f->ca_info.not_after, NOW + 30 * DAY);
	issue_member(f, "alice", 365, 0, &m);
	assert_int_equal(m.info.not_after, f->ca_info.not_after);
	cw_issued_clear(&m);

	/* Once the CA has expired nothing can be issued. */
	assert_int_equal(cw_ca_issue_member(f->ca, "alice", 365, 0, f->ca_info.not_after, &m, &err), -1);
	assert_non_null(strstr(err.msg, "expired"));
	assert_int_equal(cw_ca_issue_server(f->ca, "radius.demo.example", 365, f->ca_info.not_after, &m, &err), -1);
	assert_non_null(strstr(err.msg, "expired"));
}

static void member_cert__serial_is_16_positive_octets_and_unique(void **state)
{
	fixture_t *f = *state;
	cw_issued_t a, b;
	const ASN1_INTEGER *sa, *sb;
	const unsigned char *d;
	X509 *xa, *xb;

	issue_member(f, "alice", 30, 0, &a);
	issue_member(f, "alice", 30, 0, &b);
	xa = x509_from_pem(a.cert_pem);
	xb = x509_from_pem(b.cert_pem);
	sa = X509_get0_serialNumber(xa);
	sb = X509_get0_serialNumber(xb);

	assert_int_equal(ASN1_STRING_type(sa), V_ASN1_INTEGER);	/* not V_ASN1_NEG_INTEGER */
	assert_int_equal(ASN1_STRING_length(sa), 16);
	d = ASN1_STRING_get0_data(sa);
	assert_true(d[0] != 0);
	assert_true((d[0] & 0x80) == 0);
	assert_int_equal(i2d_ASN1_INTEGER(sa, NULL), 2 + 16);	/* no sign octet */
	assert_int_equal(ASN1_STRING_length(sb), 16);
	assert_int_not_equal(ASN1_INTEGER_cmp(sa, sb), 0);
	assert_string_not_equal(a.info.serial, b.info.serial);
	/* Canonical text drops a leading zero nibble: 0x0f... prints as "f...". */
	assert_int_equal(strlen(a.info.serial), d[0] < 0x10 ? 31 : 32);

	/* The CA's own serial follows the same rule. */
	assert_int_equal(ASN1_STRING_length(X509_get0_serialNumber(f->ca_cert)), 16);
	assert_int_equal(ASN1_STRING_type(X509_get0_serialNumber(f->ca_cert)), V_ASN1_INTEGER);

	X509_free(xa);
	X509_free(xb);
	cw_issued_clear(&a);
	cw_issued_clear(&b);
}

static void member_cert__info_matches_certificate(void **state)
{
	fixture_t *f = *state;
	cw_issued_t m;
	cw_cert_info_t again;
	cw_err_t err = { { 0 } };
	char serial[CW_SERIAL_HEX_MAX + 1], hex[2 * EVP_MAX_MD_SIZE + 1];
	unsigned char *der = NULL, md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	BIGNUM *bn;
	char *bnhex;
	int derlen;
	size_t i;
	X509 *x;

	issue_member(f, "alice", 30, 0, &m);
	x = x509_from_pem(m.cert_pem);

	bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	assert_non_null(bn);
	bnhex = BN_bn2hex(bn);
	assert_non_null(bnhex);
	assert_int_equal(cw_serial_normalise(bnhex, strlen(bnhex), serial, &err), 0);
	assert_string_equal(m.info.serial, serial);
	OPENSSL_free(bnhex);
	BN_free(bn);

	derlen = i2d_X509(x, &der);
	assert_true(derlen > 0);
	assert_int_equal(EVP_Digest(der, (size_t)derlen, md, &mdlen, EVP_sha256(), NULL), 1);
	OPENSSL_free(der);
	hex_of(md, mdlen, hex);
	assert_string_equal(m.info.sha256, hex);
	assert_int_equal(strlen(m.info.sha256), 64);
	for (i = 0; i < 64; i++) assert_non_null(strchr("0123456789abcdef", m.info.sha256[i]));

	assert_string_equal(m.info.issuer, f->ca_info.subject);
	assert_string_equal(m.info.subject, "/O=" ORG "/CN=alice");
	hex_of(ASN1_STRING_get0_data(X509_get0_subject_key_id(x)),
	       (size_t)ASN1_STRING_length(X509_get0_subject_key_id(x)), hex);
	assert_string_equal(m.info.ski, hex);

	assert_int_equal(cw_cert_info_from_pem(m.cert_pem, m.cert_pem_len, &again, &err), 0);
	assert_memory_equal(&again, &m.info, sizeof(again));

	X509_free(x);
	cw_issued_clear(&m);
}

static void member_cert__key_is_p256_pkcs8_and_matches(void **state)
{
	fixture_t *f = *state;
	cw_issued_t m;
	EVP_PKEY *key;
	X509 *x;
	char group[64];

	issue_member(f, "alice", 30, 0, &m);
	assert_int_equal(strlen(m.key_pem), m.key_pem_len);
	assert_int_equal(strlen(m.cert_pem), m.cert_pem_len);
	assert_int_equal(strncmp(m.key_pem, "-----BEGIN PRIVATE KEY-----\n", 28), 0);
	key = key_from_pem(m.key_pem);
	x = x509_from_pem(m.cert_pem);
	assert_true(EVP_PKEY_is_a(key, "EC"));
	assert_int_equal(EVP_PKEY_get_bits(key), 256);
	assert_int_equal(EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL), 1);
	assert_string_equal(group, "prime256v1");
	assert_int_equal(X509_check_private_key(x, key), 1);
	EVP_PKEY_free(key);
	X509_free(x);
	cw_issued_clear(&m);
}

/* ---- loading a CA from files ---- */

/* ---- the NAS CA and NAS (RadSec client) certificates ---- */

/* A NAS CA next to the fixture's member CA, and its certificate parsed back. */
static cw_ca_t *nas_ca_make(X509 **cert)
{
	char *cert_pem = NULL, *key_pem = NULL;
	size_t cert_len = 0, key_len = 0;
	cw_ca_t *nas_ca = NULL;
	cw_err_t err;

	assert_int_equal(cw_ca_generate_nas(ORG, CW_CA_DAYS_DEFAULT, NOW, &nas_ca, &err), 0);
	assert_int_equal(cw_ca_export(nas_ca, &cert_pem, &cert_len, &key_pem, &key_len, &err), 0);
	*cert = x509_from_pem(cert_pem);
	free(cert_pem);
	cw_secret_free(key_pem, key_len);
	return nas_ca;
}

static void nas_ca__is_a_ca_named_org_nas_ca_with_its_own_key(void **state)
{
	fixture_t *f = *state;
	X509 *nas_ca_cert;
	cw_ca_t *nas_ca = nas_ca_make(&nas_ca_cert);
	char buf[128];

	name_text(X509_get_subject_name(nas_ca_cert), NID_commonName, buf, sizeof(buf));
	assert_string_equal(buf, ORG " NAS CA");
	assert_int_equal(X509_check_ca(nas_ca_cert), 1);
	assert_int_equal(X509_NAME_cmp(X509_get_subject_name(nas_ca_cert), X509_get_subject_name(f->ca_cert)) != 0, 1);
	assert_int_equal(EVP_PKEY_eq(X509_get0_pubkey(nas_ca_cert), X509_get0_pubkey(f->ca_cert)), 0);
	X509_free(nas_ca_cert);
	cw_ca_free(nas_ca);
}

static void nas_cert__is_clientauth_cn_name_and_verifies_against_nas_ca_only(void **state)
{
	fixture_t *f = *state;
	X509 *nas_ca_cert, *x;
	cw_ca_t *nas_ca = nas_ca_make(&nas_ca_cert);
	cw_issued_t n;
	cw_err_t err;
	char buf[128];

	assert_int_equal(cw_ca_issue_nas(nas_ca, "ap1", CW_NAS_DAYS_DEFAULT, NOW, &n, &err), 0);
	x = x509_from_pem(n.cert_pem);
	name_text(X509_get_subject_name(x), NID_commonName, buf, sizeof(buf));
	assert_string_equal(buf, "ap1");
	assert_int_equal(X509_get_extended_key_usage(x), XKU_SSL_CLIENT);
	assert_int_equal(X509_check_ca(x), 0);
	assert_int_equal(X509_NAME_cmp(X509_get_issuer_name(x), X509_get_subject_name(nas_ca_cert)), 0);
	assert_int_equal(verify_with(nas_ca_cert, x, X509_PURPOSE_SSL_CLIENT, NOW), X509_V_OK);
	/* The member CA never vouches for a NAS. */
	assert_int_not_equal(verify_with(f->ca_cert, x, X509_PURPOSE_SSL_CLIENT, NOW), X509_V_OK);
	assert_int_equal(n.info.not_after, NOW + (int64_t)CW_NAS_DAYS_DEFAULT * DAY);
	X509_free(x);
	cw_issued_clear(&n);
	X509_free(nas_ca_cert);
	cw_ca_free(nas_ca);
}

static void nas_ca__never_vouches_for_a_member_certificate(void **state)
{
	fixture_t *f = *state;
	X509 *nas_ca_cert, *x;
	cw_ca_t *nas_ca = nas_ca_make(&nas_ca_cert);
	cw_issued_t m;

	issue_member(f, "alice", 30, 0, &m);
	x = x509_from_pem(m.cert_pem);
	assert_int_not_equal(verify_with(nas_ca_cert, x, X509_PURPOSE_SSL_CLIENT, NOW), X509_V_OK);
	X509_free(x);
	cw_issued_clear(&m);
	X509_free(nas_ca_cert);
	cw_ca_free(nas_ca);
}

static void nas_cert__refuses_0_and_826_days_and_bad_names(void **state)
{
	X509 *nas_ca_cert;
	cw_ca_t *nas_ca = nas_ca_make(&nas_ca_cert);
	cw_issued_t n;
	cw_err_t err;

	(void)state;
	assert_int_equal(cw_ca_issue_nas(nas_ca, "ap1", 0, NOW, &n, &err), -1);
	assert_int_equal(cw_ca_issue_nas(nas_ca, "ap1", CW_NAS_DAYS_MAX + 1, NOW, &n, &err), -1);
	assert_non_null(strstr(err.msg, "825"));
	assert_int_equal(cw_ca_issue_nas(nas_ca, "", CW_NAS_DAYS_DEFAULT, NOW, &n, &err), -1);
	assert_int_equal(cw_ca_issue_nas(NULL, "ap1", CW_NAS_DAYS_DEFAULT, NOW, &n, &err), -1);
	X509_free(nas_ca_cert);
	cw_ca_free(nas_ca);
}


static void write_ca_files(const cw_ca_t *ca, char *cert_path, char *key_path)
{
	char *cert_pem = NULL, *key_pem = NULL;
	size_t cert_len = 0, key_len = 0;
	cw_err_t err = { { 0 } };

	assert_int_equal(cw_ca_export(ca, &cert_pem, &cert_len, &key_pem, &key_len, &err), 0);
	temp_file(cert_pem, cert_len, cert_path);
	temp_file(key_pem, key_len, key_path);
	free(cert_pem);
	cw_secret_free(key_pem, key_len);
}

static void ca_load__round_trips_through_files(void **state)
{
	fixture_t *f = *state;
	char cert_path[32], key_path[32];
	cw_err_t err = { { 0 } };
	cw_cert_info_t info;
	cw_ca_t *loaded = NULL;
	cw_issued_t m;
	X509 *x;

	write_ca_files(f->ca, cert_path, key_path);
	assert_int_equal(cw_ca_load(cert_path, key_path, &loaded, &err), 0);
	assert_int_equal(cw_ca_info(loaded, &info, &err), 0);
	assert_memory_equal(&info, &f->ca_info, sizeof(info));

	assert_int_equal(cw_ca_issue_member(loaded, "bob", 30, 0, NOW, &m, &err), 0);
	x = x509_from_pem(m.cert_pem);
	assert_int_equal(verify_with(f->ca_cert, x, X509_PURPOSE_SSL_CLIENT, NOW), X509_V_OK);
	X509_free(x);
	cw_issued_clear(&m);
	cw_ca_free(loaded);
	unlink(cert_path);
	unlink(key_path);
}

static void ca_load__refuses_mismatched_key(void **state)
{
	fixture_t *f = *state;
	char cert_path[32], key_path[32], other_cert[32], other_key[32];
	cw_err_t err = { { 0 } };
	cw_ca_t *other = NULL, *loaded = NULL;

	assert_int_equal(cw_ca_generate("Other Space", 30, NOW, &other, &err), 0);
	write_ca_files(f->ca, cert_path, key_path);
	write_ca_files(other, other_cert, other_key);

	assert_int_equal(cw_ca_load(cert_path, other_key, &loaded, &err), -1);
	assert_null(loaded);
	assert_non_null(strstr(err.msg, other_key));
	assert_non_null(strstr(err.msg, "does not match"));

	cw_ca_free(other);
	unlink(cert_path);
	unlink(key_path);
	unlink(other_cert);
	unlink(other_key);
}

static void ca_load__refuses_non_ca_certificate(void **state)
{
	fixture_t *f = *state;
	char cert_path[32], key_path[32];
	cw_err_t err = { { 0 } };
	cw_ca_t *loaded = NULL;
	cw_issued_t m;

	issue_member(f, "alice", 30, 0, &m);
	temp_file(m.cert_pem, m.cert_pem_len, cert_path);
	temp_file(m.key_pem, m.key_pem_len, key_path);
	assert_int_equal(cw_ca_load(cert_path, key_path, &loaded, &err), -1);
	assert_null(loaded);
	assert_non_null(strstr(err.msg, cert_path));
	assert_non_null(strstr(err.msg, "not a CA"));
	cw_issued_clear(&m);
	unlink(cert_path);
	unlink(key_path);
}

static void ca_load__refuses_encrypted_key(void **state)
{
	fixture_t *f = *state;
	char cert_path[32], key_path[32], key2_path[32], *data = NULL;
	char *cert_pem = NULL, *key_pem = NULL;
	size_t cert_len = 0, key_len = 0;
	cw_err_t err = { { 0 } };
	cw_ca_t *loaded = NULL;
	EVP_PKEY *key;
	BIO *bio;
	long n;

	assert_int_equal(cw_ca_export(f->ca, &cert_pem, &cert_len, &key_pem, &key_len, &err), 0);
	key = key_from_pem(key_pem);
	temp_file(cert_pem, cert_len, cert_path);

	/* PKCS#8 EncryptedPrivateKeyInfo */
	bio = BIO_new(BIO_s_mem());
	assert_int_equal(PEM_write_bio_PKCS8PrivateKey(bio, key, EVP_aes_256_cbc(), "secret", 6, NULL, NULL), 1);
	n = BIO_get_mem_data(bio, &data);
	temp_file(data, (size_t)n, key_path);
	BIO_free(bio);

	/* Traditional "Proc-Type: 4,ENCRYPTED" */
	bio = BIO_new(BIO_s_mem());
	assert_int_equal(PEM_write_bio_PrivateKey_traditional(bio, key, EVP_aes_256_cbc(),
							      (const unsigned char *)"secret", 6, NULL, NULL), 1);
	n = BIO_get_mem_data(bio, &data);
	assert_non_null(strstr(data, "ENCRYPTED"));
	temp_file(data, (size_t)n, key2_path);
	BIO_free(bio);

	assert_int_equal(cw_ca_load(cert_path, key_path, &loaded, &err), -1);
	assert_null(loaded);
	assert_non_null(strstr(err.msg, key_path));
	assert_non_null(strstr(err.msg, "encrypted"));
	assert_int_equal(cw_ca_load(cert_path, key2_path, &loaded, &err), -1);
	assert_non_null(strstr(err.msg, key2_path));
	assert_non_null(strstr(err.msg, "encrypted"));
	assert_int_equal(ERR_peek_error(), 0);

	EVP_PKEY_free(key);
	free(cert_pem);
	cw_secret_free(key_pem, key_len);
	unlink(cert_path);
	unlink(key_path);
	unlink(key2_path);
}

static void ca_load__errors_name_the_file(void **state)
{
	fixture_t *f = *state;
	char cert_path[32], key_path[32], junk_path[32];
	cw_err_t err = { { 0 } };
	cw_ca_t *loaded = NULL;

	write_ca_files(f->ca, cert_path, key_path);
	temp_file("junk\n", 5, junk_path);

	assert_int_equal(cw_ca_load("/nonexistent/ca.pem", key_path, &loaded, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/ca.pem"));
	assert_int_equal(cw_ca_load(cert_path, "/nonexistent/ca.key", &loaded, &err), -1);
	assert_non_null(strstr(err.msg, "/nonexistent/ca.key"));
	assert_int_equal(cw_ca_load(junk_path, key_path, &loaded, &err), -1);
	assert_non_null(strstr(err.msg, junk_path));
	assert_int_equal(cw_ca_load(cert_path, junk_path, &loaded, &err), -1);
	assert_non_null(strstr(err.msg, junk_path));
	assert_int_equal(cw_ca_load("/tmp", key_path, &loaded, &err), -1);
	assert_non_null(strstr(err.msg, "regular file"));
	assert_null(loaded);
	assert_int_equal(ERR_peek_error(), 0);

	unlink(cert_path);
	unlink(key_path);
	unlink(junk_path);
}

/* ---- PKCS#12 ---- */

static PKCS12 *p12_from_der(const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);

	assert_non_null(p12);
	assert_ptr_equal(p, der + len);
	return p12;
}

/* The cipher an encryption AlgorithmIdentifier names: PBES2's inner cipher, or the PBE itself. */
static int pbe_cipher_nid(const X509_ALGOR *alg)
{
	const ASN1_OBJECT *obj;
	const void *param;
	int ptype, nid, inner;
	PBE2PARAM *pbe2;

	X509_ALGOR_get0(&obj, &ptype, &param, alg);
	nid = OBJ_obj2nid(obj);
	if (nid != NID_pbes2) return nid;
	assert_int_equal(ptype, V_ASN1_SEQUENCE);
	pbe2 = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter);
	assert_non_null(pbe2);
	inner = OBJ_obj2nid(pbe2->encryption->algorithm);
	PBE2PARAM_free(pbe2);
	return inner;
}

/* Ciphers protecting the certificate bags and the key bag; asserts each appears once. */
static void p12_ciphers(PKCS12 *p12, int *cert_nid, int *key_nid)
{
	STACK_OF(PKCS7) *safes = PKCS12_unpack_authsafes(p12);
	int i, j;

	*cert_nid = *key_nid = NID_undef;
	assert_non_null(safes);
	for (i = 0; i < sk_PKCS7_num(safes); i++) {
		PKCS7 *p7 = sk_PKCS7_value(safes, i);
		STACK_OF(PKCS12_SAFEBAG) *bags;

		if (OBJ_obj2nid(p7->type) == NID_pkcs7_encrypted) {
			assert_int_equal(*cert_nid, NID_undef);
			*cert_nid = pbe_cipher_nid(p7->d.encrypted->enc_data->algorithm);
			continue;
		}
		assert_int_equal(OBJ_obj2nid(p7->type), NID_pkcs7_data);
		bags = PKCS12_unpack_p7data(p7);
		assert_non_null(bags);
		for (j = 0; j < sk_PKCS12_SAFEBAG_num(bags); j++) {
			const PKCS12_SAFEBAG *bag = sk_PKCS12_SAFEBAG_value(bags, j);
			const X509_ALGOR *alg;

			assert_int_equal(PKCS12_SAFEBAG_get_nid(bag), NID_pkcs8ShroudedKeyBag);
			X509_SIG_get0(PKCS12_SAFEBAG_get0_pkcs8(bag), &alg, NULL);
			assert_int_equal(*key_nid, NID_undef);
			*key_nid = pbe_cipher_nid(alg);
		}
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
}

static int p12_mac_nid(const PKCS12 *p12, long *iter)
{
	const X509_ALGOR *alg = NULL;
	const ASN1_INTEGER *it = NULL;
	const ASN1_OBJECT *obj;

	assert_int_equal(PKCS12_mac_present(p12), 1);
	PKCS12_get0_mac(NULL, &alg, NULL, &it, p12);
	assert_non_null(alg);
	X509_ALGOR_get0(&obj, NULL, NULL, alg);
	*iter = it ? ASN1_INTEGER_get(it) : 1;
	return OBJ_obj2nid(obj);
}

/* PKCS12_parse with the password gives back leaf key, leaf cert and the CA; a wrong one fails. */
static void p12_check_contents(fixture_t *f, const cw_issued_t *m, PKCS12 *p12)
{
	EVP_PKEY *key = NULL;
	X509 *cert = NULL, *leaf;
	STACK_OF(X509) *chain = NULL;
	unsigned char *alias;
	int alias_len = 0;

	assert_int_equal(PKCS12_verify_mac(p12, P12_PASSWORD, -1), 1);
	assert_int_equal(PKCS12_verify_mac(p12, "wrong-password", -1), 0);
	assert_int_equal(PKCS12_parse(p12, "wrong-password", &key, &cert, &chain), 0);
	assert_null(key);
	assert_null(cert);
	ERR_clear_error();

	assert_int_equal(PKCS12_parse(p12, P12_PASSWORD, &key, &cert, &chain), 1);
	leaf = x509_from_pem(m->cert_pem);
	assert_non_null(key);
	assert_non_null(cert);
	assert_int_equal(X509_cmp(cert, leaf), 0);
	assert_int_equal(X509_check_private_key(cert, key), 1);
	assert_non_null(chain);
	assert_int_equal(sk_X509_num(chain), 1);
	assert_int_equal(X509_cmp(sk_X509_value(chain, 0), f->ca_cert), 0);
	alias = X509_alias_get0(cert, &alias_len);
	assert_non_null(alias);
	assert_int_equal(alias_len, 5);
	assert_memory_equal(alias, "alice", 5);

	X509_free(leaf);
	X509_free(cert);
	EVP_PKEY_free(key);
	sk_X509_pop_free(chain, X509_free);
}

static void p12_default__uses_aes_and_sha256_and_parses_back(void **state)
{
	fixture_t *f = *state;
	cw_err_t err = { { 0 } };
	unsigned char *der = NULL;
	size_t der_len = 0;
	int cert_nid, key_nid;
	long iter = 0;
	cw_issued_t m;
	PKCS12 *p12;

	issue_member(f, "alice", 30, 0, &m);
	assert_int_equal(cw_p12_build(&m, f->ca, "alice", P12_PASSWORD, false, &der, &der_len, &err), 0);
	p12 = p12_from_der(der, der_len);
	assert_int_equal(p12_mac_nid(p12, &iter), NID_sha256);
	assert_int_equal(iter, PKCS12_DEFAULT_ITER);
	p12_ciphers(p12, &cert_nid, &key_nid);
	assert_int_equal(cert_nid, NID_aes_256_cbc);
	assert_int_equal(key_nid, NID_aes_256_cbc);
	p12_check_contents(f, &m, p12);
	PKCS12_free(p12);
	free(der);
	cw_issued_clear(&m);
}

static void p12_legacy__uses_3des_and_sha1_and_parses_back(void **state)
{
	fixture_t *f = *state;
	cw_err_t err = { { 0 } };
	unsigned char *der = NULL;
	size_t der_len = 0;
	int cert_nid, key_nid;
	long iter = 0;
	cw_issued_t m;
	PKCS12 *p12;

	issue_member(f, "alice", 30, 0, &m);
	assert_int_equal(cw_p12_build(&m, f->ca, "alice", P12_PASSWORD, true, &der, &der_len, &err), 0);
	p12 = p12_from_der(der, der_len);
	assert_int_equal(p12_mac_nid(p12, &iter), NID_sha1);
	assert_int_equal(iter, PKCS12_DEFAULT_ITER);
	p12_ciphers(p12, &cert_nid, &key_nid);
	assert_int_equal(cert_nid, NID_pbe_WithSHA1And3_Key_TripleDES_CBC);
	assert_int_equal(key_nid, NID_pbe_WithSHA1And3_Key_TripleDES_CBC);
	p12_check_contents(f, &m, p12);
	PKCS12_free(p12);
	free(der);
	cw_issued_clear(&m);
}

static void p12__refuses_empty_password_and_mismatched_key(void **state)
{
	fixture_t *f = *state;
	cw_err_t err = { { 0 } };
	unsigned char *der = (unsigned char *)&err;
	size_t der_len = 1;
	cw_issued_t m, s, mixed;

	issue_member(f, "alice", 30, 0, &m);
	issue_server(f, "radius.demo.example", 30, &s);
	assert_int_equal(cw_p12_build(&m, f->ca, "alice", "", false, &der, &der_len, &err), -1);
	assert_null(der);
	assert_int_equal(der_len, 0);
	assert_int_equal(cw_p12_build(&m, f->ca, "alice", NULL, false, &der, &der_len, &err), -1);
	assert_int_equal(cw_p12_build(NULL, f->ca, "alice", P12_PASSWORD, false, &der, &der_len, &err), -1);

	mixed = m;
	mixed.key_pem = s.key_pem;
	mixed.key_pem_len = s.key_pem_len;
	assert_int_equal(cw_p12_build(&mixed, f->ca, "alice", P12_PASSWORD, false, &der, &der_len, &err), -1);
	assert_non_null(strstr(err.msg, "does not match"));
	assert_null(der);
	assert_int_equal(ERR_peek_error(), 0);

	cw_issued_clear(&m);
	cw_issued_clear(&s);
}

/* ---- freeing ---- */

static void free_functions__accept_null_and_clear(void **state)
{
	fixture_t *f = *state;
	cw_issued_t m, zero;

	cw_secret_free(NULL, 10);
	cw_issued_clear(NULL);
	cw_ca_free(NULL);

	issue_member(f, "alice", 30, 0, &m);
	cw_issued_clear(&m);
	memset(&zero, 0, sizeof(zero));
	assert_memory_equal(&m, &zero, sizeof(m));
	cw_issued_clear(&m);	/* twice is harmless */
}

#define CA_TEST(t)	cmocka_unit_test_setup_teardown(t, ca_setup, ca_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		CA_TEST(ca_generate__is_self_signed_v3),
		CA_TEST(ca_generate__is_ca_with_pathlen_0),
		CA_TEST(ca_generate__key_usage_is_critical_certsign_crlsign),
		CA_TEST(ca_generate__has_subject_key_id_in_info),
		CA_TEST(ca_generate__subject_is_org_and_member_ca),
		CA_TEST(ca_generate__validity_is_backdated_days),
		CA_TEST(ca_generate__key_is_p256),
		cmocka_unit_test(ca_generate__long_org_gives_plain_member_ca_cn),
		cmocka_unit_test(ca_generate__utf8_org_round_trips),
		cmocka_unit_test(ca_generate__refuses_bad_org),
		cmocka_unit_test(ca_generate__refuses_zero_days),
		cmocka_unit_test(ca_generate__refuses_org_whose_dn_exceeds_cw_dn_max),
		CA_TEST(ca_info__matches_exported_pem),

		CA_TEST(server_cert__has_serverauth_eku_and_san),
		CA_TEST(server_cert__verifies_against_ca_only_store),
		CA_TEST(server_cert__validity_is_at_most_825_days),
		CA_TEST(server_cert__refuses_0_and_826_days),
		CA_TEST(server_cert__refuses_bad_dns_names),
		cmocka_unit_test_setup_teardown(server_cert__never_outlives_the_ca, short_ca_setup, ca_teardown),

		CA_TEST(member_cert__subject_is_ca_org_and_member_id),
		CA_TEST(member_cert__has_clientauth_eku_only),
		CA_TEST(member_cert__verifies_for_client_not_server),
		CA_TEST(member_cert__aki_is_ca_ski),
		CA_TEST(member_cert__default_days_without_limit),
		CA_TEST(member_cert__ends_before_membership_limit),
		CA_TEST(member_cert__limit_at_or_before_now_is_refused),
		CA_TEST(member_cert__refuses_0_and_826_days),
		CA_TEST(member_cert__refuses_bad_member_id),
		cmocka_unit_test_setup_teardown(member_cert__capped_by_ca_not_after, short_ca_setup, ca_teardown),
		CA_TEST(member_cert__serial_is_16_positive_octets_and_unique),
		CA_TEST(member_cert__info_matches_certificate),
		CA_TEST(member_cert__key_is_p256_pkcs8_and_matches),

		CA_TEST(nas_ca__is_a_ca_named_org_nas_ca_with_its_own_key),
		CA_TEST(nas_cert__is_clientauth_cn_name_and_verifies_against_nas_ca_only),
		CA_TEST(nas_ca__never_vouches_for_a_member_certificate),
		CA_TEST(nas_cert__refuses_0_and_826_days_and_bad_names),

		CA_TEST(ca_load__round_trips_through_files),
		CA_TEST(ca_load__refuses_mismatched_key),
		CA_TEST(ca_load__refuses_non_ca_certificate),
		CA_TEST(ca_load__refuses_encrypted_key),
		CA_TEST(ca_load__errors_name_the_file),

		CA_TEST(p12_default__uses_aes_and_sha256_and_parses_back),
		CA_TEST(p12_legacy__uses_3des_and_sha1_and_parses_back),
		CA_TEST(p12__refuses_empty_password_and_mismatched_key),

		CA_TEST(free_functions__accept_null_and_clear),
	};

	return cmocka_run_group_tests_name("ca", tests, NULL, NULL);
}
