/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocsp_responder.c - the OCSP responder's answers (OpenSSL 3 OCSP API).
 */
#ifndef OPENSSL_NO_DEPRECATED
#  define OPENSSL_NO_DEPRECATED
#endif

#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "fileio.h"
#include "ocsp_responder.h"
#include "registry_ocsp.h"
#include "sqlutil.h"

#define SHA1_LEN	20
#define CA_PEM_MAX	(64 * 1024)

struct cw_ocsp_ca {
	X509		*cert;
	unsigned char	name_hash[SHA1_LEN];	//!< SHA-1 of the DER subject name
	unsigned char	key_hash[SHA1_LEN];	//!< SHA-1 of the public key's BIT STRING contents
};

const char *cw_ocsp_status_name(cw_ocsp_status_t s)
{
	switch (s) {
	case CW_OCSP_SUCCESSFUL: return "successful";
	case CW_OCSP_MALFORMED_REQUEST: return "malformedRequest";
	case CW_OCSP_INTERNAL_ERROR: return "internalError";
	case CW_OCSP_UNAUTHORIZED: return "unauthorized";
	}
	return "?";
}

void cw_ocsp_ca_free(cw_ocsp_ca_t *ca)
{
	if (!ca) return;
	X509_free(ca->cert);
	free(ca);
}

static X509 *pem_cert(const char *pem, size_t len)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	X509 *cert = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;

	BIO_free(bio);
	return cert;
}

/* The two hashes of the CA that a CertID names (RFC 6960 4.1.1). 0, or -1. */
static int ca_hashes(cw_ocsp_ca_t *ca)
{
	unsigned int n = 0, k = 0;

	if (!X509_NAME_digest(X509_get_subject_name(ca->cert), EVP_sha1(), ca->name_hash, &n) ||
	    !X509_pubkey_digest(ca->cert, EVP_sha1(), ca->key_hash, &k)) return -1;
	return n == SHA1_LEN && k == SHA1_LEN ? 0 : -1;
}

int cw_ocsp_ca_load(const char *path, cw_ocsp_ca_t **out, cw_err_t *err)
{
	cw_ocsp_ca_t *ca = calloc(1, sizeof(*ca));
	char *pem = NULL;
	size_t len = 0;

	*out = NULL;
	if (!ca) {
		cw_err_set(err, "out of memory");
		return -1;
	}
	if (cw_file_read(path, CA_PEM_MAX, &pem, &len, err) < 0) goto fail;
	ca->cert = pem_cert(pem, len);
	free(pem);
	if (!ca->cert || X509_check_ca(ca->cert) != 1) {
		cw_err_set(err, "%s holds no CA certificate", path);
		goto fail;
	}
	if (ca_hashes(ca) < 0) {
		cw_err_set(err, "%s: cannot hash the CA's name and key", path);
		goto fail;
	}
	*out = ca;
	return 0;
fail:
	ERR_clear_error();
	cw_ocsp_ca_free(ca);
	return -1;
}

void cw_ocsp_answer_clear(cw_ocsp_answer_t *a)
{
	if (!a) return;
	free(a->der);
	memset(a, 0, sizeof(*a));
}

/* An unsigned OCSPResponse carrying only a status: SEQUENCE { ENUMERATED status }. */
static void error_response(cw_ocsp_answer_t *out, cw_ocsp_status_t status)
{
	static const uint8_t head[] = { 0x30, 0x03, 0x0a, 0x01 };

	out->status = status;
	free(out->der);
	out->der_len = 0;
	out->der = malloc(sizeof(head) + 1);
	if (!out->der) return;
	memcpy(out->der, head, sizeof(head));
	out->der[sizeof(head)] = (uint8_t)status;
	out->der_len = sizeof(head) + 1;
}

void cw_ocsp_refuse(cw_ocsp_answer_t *out, cw_ocsp_status_t status, cw_decide_result_t r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cw_decide_vset(&out->decision.result, out->decision.reason, sizeof(out->decision.reason), r, fmt, ap);
	va_end(ap);
	error_response(out, status);
}

/* Do a CertID's issuer hashes name our CA? */
static bool issued_by(const cw_ocsp_ca_t *ca, const ASN1_OCTET_STRING *name_hash, const ASN1_OCTET_STRING *key_hash)
{
	return ASN1_STRING_length(name_hash) == SHA1_LEN && ASN1_STRING_length(key_hash) == SHA1_LEN &&
	       memcmp(ASN1_STRING_get0_data(name_hash), ca->name_hash, SHA1_LEN) == 0 &&
	       memcmp(ASN1_STRING_get0_data(key_hash), ca->key_hash, SHA1_LEN) == 0;
}

/*
 * Check the one CertID of the request and put its serial, normalised, into
 * out->decision.serial. 0, or -1 with the refusal made.
 */
static int check_cert_id(const cw_ocsp_ca_t *ca, OCSP_CERTID *id, cw_ocsp_answer_t *out)
{
	ASN1_OCTET_STRING *name_hash = NULL, *key_hash = NULL;
	ASN1_OBJECT *md = NULL;
	ASN1_INTEGER *serial = NULL;

	if (!OCSP_id_get0_info(&name_hash, &md, &key_hash, &serial, id) || !name_hash || !key_hash || !serial) {
		cw_ocsp_refuse(out, CW_OCSP_MALFORMED_REQUEST, CW_DECIDE_BAD_INPUT, "the request's CertID is incomplete");
		return -1;
	}
	if (OBJ_obj2nid(md) != NID_sha1) {
		cw_ocsp_refuse(out, CW_OCSP_UNAUTHORIZED, CW_DECIDE_BAD_INPUT,
		       "the request's CertID uses %s, not SHA-1 (as FreeRADIUS asks)", OBJ_nid2sn(OBJ_obj2nid(md)));
		return -1;
	}
	if (ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER ||
	    cw_serial_from_bytes(ASN1_STRING_get0_data(serial), (size_t)ASN1_STRING_length(serial),
				 out->decision.serial) < 0) {
		cw_ocsp_refuse(out, CW_OCSP_UNAUTHORIZED, CW_DECIDE_BAD_INPUT, "the request's serial is negative or too long");
		return -1;
	}
	if (!issued_by(ca, name_hash, key_hash)) {
		cw_ocsp_refuse(out, CW_OCSP_UNAUTHORIZED, CW_DECIDE_WRONG_ISSUER,
		       "certificate %s: the request names another issuer than our CA", out->decision.serial);
		return -1;
	}
	return 0;
}

/*
 * Decode the request: exactly one CertID, no nonce. The request is
 * returned in *req, its CertID (owned by it) in *id. 0, or -1 with the
 * refusal made.
 */
static int parse_request(const cw_ocsp_ca_t *ca, const uint8_t *der, size_t len, OCSP_REQUEST **req,
			 OCSP_CERTID **id, cw_ocsp_answer_t *out)
{
	const unsigned char *p = der;
	int n;

	*req = NULL;
	if (len == 0 || len > CW_OCSP_REQUEST_MAX) {
		cw_ocsp_refuse(out, CW_OCSP_MALFORMED_REQUEST, CW_DECIDE_BAD_INPUT, "request of %zu bytes (1 to %d)", len,
		       CW_OCSP_REQUEST_MAX);
		return -1;
	}
	*req = d2i_OCSP_REQUEST(NULL, &p, (long)len);
	if (!*req || p != der + len) {
		cw_ocsp_refuse(out, CW_OCSP_MALFORMED_REQUEST, CW_DECIDE_BAD_INPUT, "not a DER OCSP request");
		return -1;
	}
	if ((n = OCSP_request_onereq_count(*req)) != 1) {
		cw_ocsp_refuse(out, CW_OCSP_UNAUTHORIZED, CW_DECIDE_BAD_INPUT,
		       "the request asks about %d certificates; this responder answers exactly one", n);
		return -1;
	}
	if (OCSP_REQUEST_get_ext_by_NID(*req, NID_id_pkix_OCSP_Nonce, -1) >= 0) {
		cw_ocsp_refuse(out, CW_OCSP_UNAUTHORIZED, CW_DECIDE_BAD_INPUT,
		       "the request carries a nonce, which answers signed in advance cannot repeat:"
		       " set use_nonce = no in cowork_eap's ocsp section");
		return -1;
	}
	*id = OCSP_onereq_get0_id(OCSP_request_onereq_get0(*req, 0));
	return check_cert_id(ca, *id, out);
}

/* Does the stored answer say "good" for exactly the CertID asked about? */
static bool answers(OCSP_BASICRESP *bs, const OCSP_CERTID *asked)
{
	OCSP_SINGLERESP *single;
	int reason;

	if (OCSP_resp_count(bs) != 1 || !(single = OCSP_resp_get0(bs, 0))) return false;
	if (OCSP_id_cmp(OCSP_SINGLERESP_get0_id(single), asked) != 0) return false;
	return OCSP_single_get0_status(single, &reason, NULL, NULL, NULL) == V_OCSP_CERTSTATUS_GOOD;
}

/* DER of a successful OCSPResponse wrapping bs, into out. 0, or -1. */
static int encode_success(OCSP_BASICRESP *bs, cw_ocsp_answer_t *out)
{
	OCSP_RESPONSE *resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
	unsigned char *p;
	int n = resp ? i2d_OCSP_RESPONSE(resp, NULL) : -1;

	if (n > 0 && (out->der = malloc((size_t)n)) != NULL) {
		p = out->der;
		if (i2d_OCSP_RESPONSE(resp, &p) == n) out->der_len = (size_t)n;
	}
	OCSP_RESPONSE_free(resp);
	if (out->der_len) return 0;
	free(out->der);
	out->der = NULL;
	return -1;
}

/* The stored answer, checked against the request, with the CA certificate added. */
static void serve_stored(const cw_ocsp_ca_t *ca, const OCSP_CERTID *asked, const uint8_t *stored, size_t len,
			 cw_ocsp_answer_t *out)
{
	const unsigned char *p = stored;
	OCSP_BASICRESP *bs = d2i_OCSP_BASICRESP(NULL, &p, (long)len);
	const char *serial = out->decision.serial;

	if (!bs || p != stored + len || !answers(bs, asked)) {
		cw_ocsp_refuse(out, CW_OCSP_INTERNAL_ERROR, CW_DECIDE_INTERNAL,
		       "the stored OCSP answer of certificate %s does not answer for it: run `coworkctl cert ocsp-sign %s`",
		       serial, serial);
	} else if (!OCSP_basic_add1_cert(bs, ca->cert) || encode_success(bs, out) < 0) {
		cw_ocsp_refuse(out, CW_OCSP_INTERNAL_ERROR, CW_DECIDE_INTERNAL, "out of memory building the OCSP answer of %s",
		       serial);
	} else {
		out->status = CW_OCSP_SUCCESSFUL;
	}
	OCSP_BASICRESP_free(bs);
}

/* The registry's verdict on the serial in out->decision, and its stored answer, in one read transaction. */
static void decide(const cw_ocsp_ca_t *ca, cw_registry_t *reg, const OCSP_CERTID *asked, int64_t now,
		   cw_ocsp_answer_t *out)
{
	uint8_t stored[CW_OCSP_STORED_MAX];
	char serial[CW_SERIAL_HEX_MAX + 1];
	size_t len = 0;
	int found = 0;
	cw_err_t e;

	memcpy(serial, out->decision.serial, sizeof(serial));
	if (cw_sql_exec(cw_registry_db(reg), "BEGIN", "reading the registry", &e) < 0) {
		cw_ocsp_refuse(out, CW_OCSP_INTERNAL_ERROR, CW_DECIDE_INTERNAL, "%s", e.msg);
		return;
	}
	cw_member_decide_serial(reg, serial, now, &out->decision);
	if (out->decision.result == CW_DECIDE_ACCEPT) {
		found = cw_registry_ocsp_get(reg, serial, stored, sizeof(stored), &len, &e);
	}
	(void)cw_sql_exec(cw_registry_db(reg), "COMMIT", "reading the registry", NULL);
	if (out->decision.result == CW_DECIDE_INTERNAL) {
		error_response(out, CW_OCSP_INTERNAL_ERROR);
	} else if (out->decision.result != CW_DECIDE_ACCEPT) {
		error_response(out, CW_OCSP_UNAUTHORIZED);
	} else if (found < 0) {
		cw_ocsp_refuse(out, CW_OCSP_INTERNAL_ERROR, CW_DECIDE_INTERNAL, "%s", e.msg);
	} else if (found == 0) {
		cw_ocsp_refuse(out, CW_OCSP_UNAUTHORIZED, CW_DECIDE_INTERNAL,
		       "certificate %s of %s has no pre-signed OCSP answer: run `coworkctl cert ocsp-sign`", serial,
		       out->decision.member);
	} else {
		serve_stored(ca, asked, stored, len, out);
	}
}

void cw_ocsp_answer(const cw_ocsp_ca_t *ca, cw_registry_t *reg, const uint8_t *req, size_t len, int64_t now,
		    cw_ocsp_answer_t *out)
{
	OCSP_REQUEST *request = NULL;
	OCSP_CERTID *id = NULL;

	memset(out, 0, sizeof(*out));
	if (!ca) {
		cw_ocsp_refuse(out, CW_OCSP_INTERNAL_ERROR, CW_DECIDE_INTERNAL, "no CA certificate loaded");
	} else if (parse_request(ca, req, len, &request, &id, out) == 0) {
		decide(ca, reg, id, now, out);
	}
	OCSP_REQUEST_free(request);
	ERR_clear_error();
}
