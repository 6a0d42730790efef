/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ca_internal.h - the CA's OpenSSL objects, for the other signers in
 * certs/ (the CRL, the OCSP answers). coworkctl sees a CA only through ca.h.
 */
#ifndef COWORK_CA_INTERNAL_H
#define COWORK_CA_INTERNAL_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ca.h"

/* The CA certificate and its private key, owned by ca (do not free); NULL for a NULL ca. */
X509 *cw_ca_x509(const cw_ca_t *ca);
EVP_PKEY *cw_ca_pkey(const cw_ca_t *ca);

/* err = the message (printf-style) + ": " + the last OpenSSL error (if any); clears OpenSSL's error queue. */
void cw_ossl_err(cw_err_t *err, const char *fmt, ...) CW_PRINTF(2, 3);

#endif
