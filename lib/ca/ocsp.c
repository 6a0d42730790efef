/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocsp.c - the CA's pre-signed OCSP answers (OpenSSL 3 OCSP API).
 *
 * The answer must match what FreeRADIUS 3.2 checks in its ocsp_check():
 * the CertID it builds with OCSP_cert_to_id(NULL, ...) (SHA-1) is looked
 * up with OCSP_resp_find_status, the times go through
 * OCSP_check_validity(thisUpdate, nextUpdate, 300 s, no maximum age), and
 * OCSP_basic_verify finds the signer among the response's certificates by
 * responderID: the responder adds the CA certificate when it serves the
 * answer (that field is outside the signed data).
 */
#ifndef OPENSSL_NO_DEPRECATED
#  define OPENSSL_NO_DEPRECATED
#endif

#include <stdarg.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>

#include "ca_internal.h"
#include "ocsp.h"
#include "serial.h"

/* 9999-12-31T23:59:59Z: GeneralizedTime ends there. */
#define TIME_MAX_UNIX INT64_C(253402300799)

void cw_ocsp_der_free(unsigned char *der)
{
	OPENSSL_free(der);
}

/* The serial as an ASN1_INTEGER; NULL with err for anything but normalised hex. */
static ASN1_INTEGER *serial_integer(const char *serial, cw_err_t *err)
{
	char norm[CW_SERIAL_HEX_MAX + 1];
	ASN1_INTEGER *n = NULL;
	BIGNUM *bn = NULL;

	if (!serial) {
		cw_err_set(err, "no serial");
		return NULL;
	}
	if (cw_serial_normalise(serial, strlen(serial), norm, err) < 0) return NULL;
	if (strcmp(norm, serial) != 0) {
		cw_err_set(err, "serial %s is not in normalised form", serial);
		return NULL;
	}
	if (!BN_hex2bn(&bn, serial) || !(n = BN_to_ASN1_INTEGER(bn, NULL))) {
		cw_ossl_err(err, "cannot encode serial %s", serial);
	}
	BN_free(bn);
	return n;
}

/* The CertID FreeRADIUS asks about: SHA-1 of the CA's name and key, and the serial. */
static OCSP_CERTID *cert_id(X509 *ca, const char *serial, cw_err_t *err)
{
	ASN1_INTEGER *n = serial_integer(serial, err);
	OCSP_CERTID *id;

	if (!n) return NULL;
	id = OCSP_cert_id_new(EVP_sha1(), X509_get_subject_name(ca), X509_get0_pubkey_bitstr(ca), n);
	ASN1_INTEGER_free(n);
	if (!id) cw_ossl_err(err, "cannot build the OCSP CertID of %s", serial);
	return id;
}

static int check_times(int64_t now, int64_t not_after, cw_err_t *err)
{
	if (now < 0 || now > TIME_MAX_UNIX || not_after > TIME_MAX_UNIX) {
		cw_err_set(err, "OCSP answer times out of range");
		return -1;
	}
	if (not_after <= now) {
		cw_err_set(err, "the certificate has expired: no OCSP answer is signed for it");
		return -1;
	}
	return 0;
}

/* The unsigned response: one SingleResponse "good" for id. NULL with err. */
static OCSP_BASICRESP *basic_good(OCSP_CERTID *id, int64_t now, int64_t not_after, cw_err_t *err)
{
	ASN1_GENERALIZEDTIME *this_update = ASN1_GENERALIZEDTIME_set(NULL, (time_t)now);
	ASN1_GENERALIZEDTIME *next_update = ASN1_GENERALIZEDTIME_set(NULL, (time_t)not_after);
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();

	if (!this_update || !next_update || !bs ||
	    !OCSP_basic_add1_status(bs, id, V_OCSP_CERTSTATUS_GOOD, 0, NULL, this_update, next_update)) {
		cw_ossl_err(err, "cannot build the OCSP answer");
		OCSP_BASICRESP_free(bs);
		bs = NULL;
	}
	ASN1_GENERALIZEDTIME_free(this_update);
	ASN1_GENERALIZEDTIME_free(next_update);
	return bs;
}

int cw_ocsp_sign_good(const cw_ca_t *ca, const char *serial, int64_t now, int64_t not_after, unsigned char **der,
		      size_t *der_len, cw_err_t *err)
{
	X509 *ca_cert = cw_ca_x509(ca);
	EVP_PKEY *key = cw_ca_pkey(ca);
	OCSP_BASICRESP *bs = NULL;
	OCSP_CERTID *id = NULL;
	unsigned char *out = NULL;
	int n, rc = -1;

	*der = NULL;
	*der_len = 0;
	if (!ca_cert || !key) {
		cw_err_set(err, "no CA to sign the OCSP answer");
		return -1;
	}
	if (check_times(now, not_after, err) < 0) return -1;
	if (!(id = cert_id(ca_cert, serial, err))) return -1;
	if (!(bs = basic_good(id, now, not_after, err))) goto done;
	/* NOCERTS: the responder adds the CA certificate; RESPID_KEY: responderID byKey. */
	if (!OCSP_basic_sign(bs, ca_cert, key, EVP_sha256(), NULL, OCSP_NOCERTS | OCSP_RESPID_KEY)) {
		cw_ossl_err(err, "cannot sign the OCSP answer of %s", serial);
		goto done;
	}
	n = i2d_OCSP_BASICRESP(bs, &out);
	if (n <= 0 || n > CW_OCSP_ANSWER_MAX) {
		cw_ossl_err(err, "cannot DER-encode the OCSP answer of %s", serial);
		goto done;
	}
	*der = out;
	*der_len = (size_t)n;
	out = NULL;
	rc = 0;
done:
	OPENSSL_free(out);
	OCSP_BASICRESP_free(bs);
	OCSP_CERTID_free(id);
	return rc;
}
