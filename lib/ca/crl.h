/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * crl.h - the member CA's certificate revocation list: an X.509 v2 CRL
 * (RFC 5280 section 5) for consumers that cannot ask the registry, such as
 * RadSec peers and other RADIUS servers that trust our member CA.
 *
 * What goes into the CRL (entries, dates, number) is decided from the
 * registry by cw_admin_crl_prepare (lib/admin/registry_admin.h); this file only
 * encodes and signs it.
 */
#ifndef COWORK_CRL_H
#define COWORK_CRL_H

#include <stdbool.h>
#include <stddef.h>

#include "ca.h"
#include "registry_admin.h"

/*
 * Build and sign the CRL of content c with the CA: version 2; issuer the
 * CA's subject; thisUpdate and nextUpdate from c; per entry the serial,
 * revocationDate and a reasonCode entry extension (left out for
 * unspecified, as RFC 5280 5.3.1 asks); CRL extensions
 * authorityKeyIdentifier (the CA's subject key identifier) and cRLNumber;
 * signature ECDSA with SHA-256. The CA must not have expired at
 * c->this_update. *out (malloc'd, free() it) receives PEM text, or DER
 * when der is true. 0, or -1 with err.
 */
int cw_crl_build(const cw_ca_t *ca, const cw_crl_content_t *c, bool der, unsigned char **out, size_t *out_len,
		 cw_err_t *err);

#endif
