/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nasca.h - the NAS CA (STATE/nas-ca/): it signs the RadSec client
 * certificates of access points and proxies, and the RadSec listener trusts
 * it alone. It is separate from the member CA (STATE/ca/) so that neither
 * kind of certificate can stand in for the other.
 *
 * Layout, made on first use (`nas add --radsec`), so states made before it
 * existed work unchanged:
 *   STATE/nas-ca/ca.pem   0644 (0640 and the server directory's group when
 *                         STATE/server is group-readable: radiusd reads it)
 *   STATE/nas-ca/ca.key   0600, never opened by radiusd
 *   STATE/nas-ca/trust.pem the NAS CA certificate followed by its CRL (the
 *                         removed NASes' certificates), mode as ca.pem: the
 *                         RadSec listener's ca_file, with check_crl = yes.
 *                         Rewritten on every nas add --radsec and nas remove
 *                         of a RadSec NAS; radiusd reads it at start.
 */
#ifndef COWORK_NASCA_H
#define COWORK_NASCA_H

#include <stdbool.h>

#include "ca.h"
#include "cli.h"
#include "registry.h"

/*
 * Load the NAS CA, creating it first when STATE/nas-ca/ca.key is absent
 * (O=<org>, valid CW_CA_DAYS_DEFAULT days; *created set). The key must be
 * ours and 0600. EXIT_OK with *ca (cw_ca_free), or EXIT_FAIL (printed).
 */
int nasca_load(const cli_t *cli, const char *org, cw_ca_t **ca, bool *created);

/*
 * Load the existing NAS CA (never create it). EXIT_OK with *ca, or
 * EXIT_FAIL (printed).
 */
int nasca_open(const cli_t *cli, cw_ca_t **ca);

/*
 * Sign a new CRL of the NAS CA from the registry (cw_nas_crl_prepare) and
 * replace STATE/nas-ca/trust.pem atomically with the CA certificate and
 * that CRL. EXIT_OK or EXIT_FAIL (printed).
 */
int nasca_write_trust(const cli_t *cli, cw_registry_t *reg, const cw_ca_t *ca);

#endif
