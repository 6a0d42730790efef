/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * crl.c - the member CA's certificate revocation list (X.509 v2 CRL).
 *
 * OpenSSL 3.0 API only, as in ca.c. Errors are never printed: the last
 * OpenSSL error string goes into the caller's cw_err_t.
 */
#ifndef OPENSSL_NO_DEPRECATED
#  define OPENSSL_NO_DEPRECATED
#endif

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ca_internal.h"
#include "crl.h"

/* An ASN1_TIME of a Unix time (UTCTime until 2049, as RFC 5280 wants), or NULL; ASN1_TIME_free it. */
static ASN1_TIME *asn1_time(int64_t when)
{
	return ASN1_TIME_set(NULL, (time_t)when);
}

/* The serial in registry form (lowercase hex) as an ASN1_INTEGER, or NULL. */
static ASN1_INTEGER *serial_integer(const char *hex)
{
	BIGNUM *bn = NULL;
	ASN1_INTEGER *ai = NULL;

	if (BN_hex2bn(&bn, hex) == (int)strlen(hex)) ai = BN_to_ASN1_INTEGER(bn, NULL);
	BN_free(bn);
	return ai;
}

/* A reasonCode entry extension for code; none for unspecified (0). 1, or 0. */
static int add_reason(X509_REVOKED *rev, int code)
{
	ASN1_ENUMERATED *e;
	int ok;

	if (code == 0) return 1;
	e = ASN1_ENUMERATED_new();
	ok = e && ASN1_ENUMERATED_set(e, code) && X509_REVOKED_add1_ext_i2d(rev, NID_crl_reason, e, 0, 0) == 1;
	ASN1_ENUMERATED_free(e);
	return ok;
}

/* Add one revoked entry. 0, or -1. */
static int add_entry(X509_CRL *crl, const cw_crl_entry_t *en, cw_err_t *err)
{
	X509_REVOKED *rev = X509_REVOKED_new();
	ASN1_INTEGER *sn = serial_integer(en->serial);
	ASN1_TIME *when = asn1_time(en->revoked_at);
	char what[96];
	int ok;

	ok = rev && sn && when && X509_REVOKED_set_serialNumber(rev, sn) && X509_REVOKED_set_revocationDate(rev, when) &&
	     add_reason(rev, en->reason) && X509_CRL_add0_revoked(crl, rev);
	ASN1_INTEGER_free(sn);
	ASN1_TIME_free(when);
	if (ok) return 0;
	X509_REVOKED_free(rev);
	(void)cw_snprintf(what, sizeof(what), "cannot add the CRL entry of certificate %s", en->serial);
	cw_ossl_err(err, "%s", what);
	return -1;
}

/* authorityKeyIdentifier (from the CA's SKI) and cRLNumber. 0, or -1. */
static int add_crl_exts(X509_CRL *crl, X509 *ca_cert, uint64_t number, cw_err_t *err)
{
	X509V3_CTX ctx;
	X509_EXTENSION *aki;
	ASN1_INTEGER *n = ASN1_INTEGER_new();
	int ok;

	X509V3_set_ctx(&ctx, ca_cert, NULL, NULL, crl, 0);
	aki = X509V3_EXT_conf_nid(NULL, &ctx, NID_authority_key_identifier, "keyid:always");
	ok = aki && X509_CRL_add_ext(crl, aki, -1) && n && ASN1_INTEGER_set_uint64(n, number) &&
	     X509_CRL_add1_ext_i2d(crl, NID_crl_number, n, 0, 0) == 1;
	X509_EXTENSION_free(aki);
	ASN1_INTEGER_free(n);
	if (!ok) cw_ossl_err(err, "cannot add the CRL's extensions");
	return ok ? 0 : -1;
}

/* The CRL's header: version 2, issuer, thisUpdate, nextUpdate. 0, or -1. */
static int fill_header(X509_CRL *crl, X509 *ca_cert, const cw_crl_content_t *c, cw_err_t *err)
{
	time_t at = (time_t)c->this_update;
	ASN1_TIME *last, *next;
	int ok;

	if (X509_cmp_time(X509_get0_notAfter(ca_cert), &at) <= 0) {
		cw_err_set(err, "the CA certificate has expired: it cannot sign a CRL");
		return -1;
	}
	last = asn1_time(c->this_update);
	next = asn1_time(c->next_update);
	ok = last && next && X509_CRL_set_version(crl, X509_CRL_VERSION_2) &&
	     X509_CRL_set_issuer_name(crl, X509_get_subject_name(ca_cert)) && X509_CRL_set1_lastUpdate(crl, last) &&
	     X509_CRL_set1_nextUpdate(crl, next);
	ASN1_TIME_free(last);
	ASN1_TIME_free(next);
	if (!ok) cw_ossl_err(err, "cannot fill in the CRL");
	return ok ? 0 : -1;
}

/* Sign crl and check the signature against the CA's public key. 0, or -1. */
static int sign_crl(X509_CRL *crl, const cw_ca_t *ca, cw_err_t *err)
{
	X509_CRL_sort(crl);
	if (X509_CRL_sign(crl, cw_ca_pkey(ca), EVP_sha256()) <= 0) {
		cw_ossl_err(err, "cannot sign the CRL");
		return -1;
	}
	if (X509_CRL_verify(crl, X509_get0_pubkey(cw_ca_x509(ca))) != 1) {
		cw_ossl_err(err, "the signed CRL does not verify against the CA certificate");
		return -1;
	}
	return 0;
}

/* PEM or DER of crl into a malloc'd buffer. 0, or -1. */
static int encode(X509_CRL *crl, bool der, unsigned char **out, size_t *out_len, cw_err_t *err)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *data = NULL;
	long n = 0;
	int ok;

	ok = bio && (der ? i2d_X509_CRL_bio(bio, crl) : PEM_write_bio_X509_CRL(bio, crl));
	if (ok) n = BIO_get_mem_data(bio, &data);
	if (!ok || n <= 0 || !(*out = malloc((size_t)n))) {
		BIO_free(bio);
		cw_ossl_err(err, "cannot encode the CRL");
		return -1;
	}
	memcpy(*out, data, (size_t)n);
	*out_len = (size_t)n;
	BIO_free(bio);
	return 0;
}

int cw_crl_build(const cw_ca_t *ca, const cw_crl_content_t *c, bool der, unsigned char **out, size_t *out_len,
		 cw_err_t *err)
{
	X509_CRL *crl = NULL;
	int rc = -1;

	*out = NULL;
	*out_len = 0;
	if (!ca || !c || c->next_update <= c->this_update) {
		cw_err_set(err, "no CA, or a CRL whose nextUpdate is not after its thisUpdate");
		return -1;
	}
	crl = X509_CRL_new();
	if (!crl) {
		cw_ossl_err(err, "cannot allocate a CRL");
		return -1;
	}
	if (fill_header(crl, cw_ca_x509(ca), c, err) < 0) goto done;
	for (size_t i = 0; i < c->n; i++) {
		if (add_entry(crl, &c->entries[i], err) < 0) goto done;
	}
	if (add_crl_exts(crl, cw_ca_x509(ca), c->number, err) < 0 || sign_crl(crl, ca, err) < 0) goto done;
	rc = encode(crl, der, out, out_len, err);
done:
	X509_CRL_free(crl);
	return rc;
}
