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
 */
#ifndef COWORK_NASCA_H
#define COWORK_NASCA_H

#include <stdbool.h>

#include "ca.h"
#include "cli.h"

/*
 * Load the NAS CA, creating it first when STATE/nas-ca/ca.key is absent
 * (O=<org>, valid CW_CA_DAYS_DEFAULT days; *created set). The key must be
 * ours and 0600. EXIT_OK with *ca (cw_ca_free), or EXIT_FAIL (printed).
 */
int nasca_load(const cli_t *cli, const char *org, cw_ca_t **ca, bool *created);

#endif
