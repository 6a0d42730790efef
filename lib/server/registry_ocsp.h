/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * registry_ocsp.h - the pre-signed OCSP answers in the registry (table
 * cert_ocsp, schema 4).
 *
 * coworkctl stores one DER BasicOCSPResponse "good" per member certificate,
 * signed by the CA (lib/ca/ocsp.h); the module's OCSP responder reads it
 * and serves it only while the certificate may connect.
 */
#ifndef COWORK_REGISTRY_OCSP_H
#define COWORK_REGISTRY_OCSP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "registry.h"

/* Bounds of a stored answer (the table's CHECK). */
#define CW_OCSP_STORED_MAX 4096

/*
 * The stored answer of a certificate (normalised serial) into
 * buf[0..cap): 1 with *len set, 0 when there is none, -1 with err on a
 * database error or an answer larger than cap. Works on reader and admin
 * connections.
 */
int cw_registry_ocsp_get(cw_registry_t *reg, const char *serial, uint8_t *buf, size_t cap, size_t *len,
			 cw_err_t *err);

/* A certificate that may still connect, as `cert ocsp-sign` and `status` see it. */
typedef struct cw_ocsp_cert {
	char	serial[CW_SERIAL_HEX_MAX + 1];
	char	member[CW_ID_MAX + 1];
	int64_t	not_after;
	bool	has_answer;
	int64_t	produced_at;	//!< when its answer was signed; 0 without one
} cw_ocsp_cert_t;

/*
 * Every certificate that is not revoked and not expired at now, oldest
 * first: fn once each (non-zero from fn stops and is returned). Suspended
 * members' certificates are included (they connect again on resume).
 * 0, or -1 with err.
 */
int cw_registry_ocsp_certs(cw_registry_t *reg, int64_t now, int (*fn)(void *arg, const cw_ocsp_cert_t *c),
			   void *arg, cw_err_t *err);

/* How many of those have no stored answer (they are refused in the TLS handshake). 0, or -1. */
int cw_registry_ocsp_missing(cw_registry_t *reg, int64_t now, int64_t *count, cw_err_t *err);

#endif
