/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocsp_responder.h - the OCSP responder's answers (RFC 6960), without any
 * network: the module's listener (ocsp_server.h) hands each request's DER
 * here and sends back what comes out.
 *
 * FreeRADIUS checks each client certificate during the TLS handshake by
 * asking this responder (cowork_eap's ocsp section). The answer is the
 * registry's, now: for a certificate that may connect (cw_member_decide_
 * serial), the "good" answer coworkctl pre-signed with the CA key, plus the
 * CA certificate so that FreeRADIUS can verify it; for anything else, or
 * any doubt, an unsigned error response, which FreeRADIUS counts as a
 * failed check: the handshake ends with a TLS alert. No key is needed
 * here, so radiusd cannot make a "good" answer the CA did not sign.
 */
#ifndef COWORK_OCSP_RESPONDER_H
#define COWORK_OCSP_RESPONDER_H

#include <stddef.h>
#include <stdint.h>

#include "member.h"
#include "registry.h"

/* Largest OCSP request read (FreeRADIUS sends about 80 bytes). */
#define CW_OCSP_REQUEST_MAX 4096

/* OCSPResponseStatus (RFC 6960 4.2.1) of the answers we give. */
typedef enum {
	CW_OCSP_SUCCESSFUL = 0,		//!< the pre-signed "good" answer
	CW_OCSP_MALFORMED_REQUEST = 1,	//!< not a DER OCSPRequest, or too large
	CW_OCSP_INTERNAL_ERROR = 2,	//!< registry unreadable, stored answer unusable
	CW_OCSP_UNAUTHORIZED = 6,	//!< refused: not ours, may not connect, no stored answer, ...
} cw_ocsp_status_t;

/* The CA whose certificates we answer for. */
typedef struct cw_ocsp_ca cw_ocsp_ca_t;

/*
 * Load the CA certificate (PEM, STATE/ca/ca.pem): kept to be added to
 * every good answer, with the SHA-1 hashes of its name and key that a
 * request's CertID must carry. 0 with *out set, or -1 with err.
 */
int cw_ocsp_ca_load(const char *path, cw_ocsp_ca_t **out, cw_err_t *err);

/* Free; accepts NULL. */
void cw_ocsp_ca_free(cw_ocsp_ca_t *ca);

typedef struct cw_ocsp_answer {
	cw_ocsp_status_t	status;
	cw_member_decision_t	decision;	//!< serial, member, result and reason, for the log
	uint8_t			*der;		//!< the DER OCSPResponse to send (malloc)
	size_t			der_len;
} cw_ocsp_answer_t;

/*
 * Answer one DER OCSPRequest at `now` (Unix seconds). The request must ask
 * about exactly one certificate, with a SHA-1 CertID whose issuer hashes
 * are our CA's, and carry no nonce (the answers are signed in advance).
 * reg is a reader connection; its reads are one transaction. Always fills
 * *out: status SUCCESSFUL (decision ACCEPT) or an error status with the
 * refusal in decision; out->der is NULL only when memory ran out (then
 * send nothing and close). Free with cw_ocsp_answer_clear.
 */
void cw_ocsp_answer(const cw_ocsp_ca_t *ca, cw_registry_t *reg, const uint8_t *req, size_t len, int64_t now,
		    cw_ocsp_answer_t *out);

/*
 * Make *out a refusal: an unsigned response with this error status, the
 * result and the reason (printf format) for the log. For the listener's
 * own refusals (no CA, registry unreachable).
 */
void cw_ocsp_refuse(cw_ocsp_answer_t *out, cw_ocsp_status_t status, cw_decide_result_t r, const char *fmt, ...)
	CW_PRINTF(4, 5);

/* Free out->der and zero the answer; accepts NULL. */
void cw_ocsp_answer_clear(cw_ocsp_answer_t *a);

/* "successful", "malformedRequest", "internalError", "unauthorized". */
const char *cw_ocsp_status_name(cw_ocsp_status_t s);

#endif
