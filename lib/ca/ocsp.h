/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocsp.h - the CA's pre-signed OCSP answers for member certificates.
 *
 * radiusd must not be able to mint or un-revoke anything, so it holds no
 * signing key. Instead coworkctl signs, with the CA key, one OCSP answer
 * "good" per member certificate when it issues it (and `cert ocsp-sign`
 * for older ones); the registry keeps it (table cert_ocsp), and the
 * module's responder (lib/server/ocsp_responder.h) hands it out only while the
 * registry says the certificate may connect.
 */
#ifndef COWORK_OCSP_H
#define COWORK_OCSP_H

#include <stddef.h>
#include <stdint.h>

#include "ca.h"
#include "cowork.h"

/* Largest answer the registry stores (sql/registry/0004_lifecycle.sql). */
#define CW_OCSP_ANSWER_MAX 4096

/*
 * Sign the answer for the member certificate with this serial (normalised
 * hex, see serial.h): a DER BasicOCSPResponse (RFC 6960 4.2.1) with one
 * SingleResponse: CertID with SHA-1 (as FreeRADIUS asks: issuerNameHash and
 * issuerKeyHash of the CA, the serial), certStatus good, thisUpdate = now,
 * nextUpdate = not_after (the certificate's); responderID by the CA key's
 * SHA-1 hash; no nonce; no certificates (the responder adds the CA's);
 * ECDSA-SHA-256 by the CA key. *der is allocated; free it with
 * cw_ocsp_der_free. 0, or -1 with err.
 */
int cw_ocsp_sign_good(const cw_ca_t *ca, const char *serial, int64_t now, int64_t not_after, unsigned char **der,
		      size_t *der_len, cw_err_t *err);

/* Free an answer from cw_ocsp_sign_good; accepts NULL. */
void cw_ocsp_der_free(unsigned char *der);

#endif
