/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nas.h - the access points that take Disconnect-Requests (RFC 5176): the
 * registry's table `nas` (sql/registry/0004_lifecycle.sql).
 *
 * A NAS is defined twice: in FreeRADIUS's clients.conf (for the requests it
 * sends us) and here, with `coworkctl nas add`, for the Disconnect-Requests
 * we send it. The address is the one it sends accounting from: the module
 * records it with each session, and `cert revoke` looks the NAS up by it.
 */
#ifndef COWORK_NAS_H
#define COWORK_NAS_H

#include <stddef.h>
#include <stdint.h>

#include "dae.h"
#include "registry.h"
#include "registry_admin.h"
#include "serial.h"
#include "session.h"

typedef struct cw_nas {
	char		name[CW_NAS_NAME_MAX + 1];
	char		address[CW_NAS_ADDRESS_MAX + 1];	//!< canonical text (inet_ntop)
	unsigned	coa_port;
	int64_t		created_at;
	char		site[CW_SITE_NAME_MAX + 1];		//!< "": at no site
	char		radsec_serial[CW_SERIAL_HEX_MAX + 1];	//!< its RadSec certificate; "": none
	int64_t		radsec_not_after;			//!< that certificate's notAfter; 0: none
	char		secret[CW_DAE_SECRET_MAX + 1];		//!< cw_nas_find only; wipe after use
	size_t		secret_len;
} cw_nas_t;

/*
 * An IPv4 or IPv6 address in canonical text, as the module writes the
 * source of accounting requests (so that both compare equal). 0, or -1
 * with err.
 */
int cw_nas_address(const char *in, char out[CW_NAS_ADDRESS_MAX + 1], cw_err_t *err);

/*
 * A shared secret: CW_DAE_SECRET_MIN to CW_DAE_SECRET_MAX bytes of
 * printable ASCII, without blanks at either end (a copy-and-paste mistake
 * the NAS would not share). The message never quotes the secret. 0 or -1.
 */
int cw_nas_secret_check(const char *secret, size_t len, cw_err_t *err);

/*
 * Add a NAS (one transaction): the name (member id rules), the address and
 * the CoA port (1-65535) must be new and valid, the secret must pass
 * cw_nas_secret_check. 0, or -1 with err naming the NAS that already has
 * the name or the address.
 */
int cw_nas_add(cw_registry_t *reg, const char *name, const char *address, unsigned coa_port, const char *secret,
	       size_t secret_len, int64_t now, cw_err_t *err);

/* cw_nas_add, the NAS at a site (site.h) that must exist; site NULL: at none. */
int cw_nas_add_at(cw_registry_t *reg, const char *name, const char *address, unsigned coa_port, const char *secret,
		  size_t secret_len, int64_t now, const char *site, cw_err_t *err);

/*
 * cw_nas_add_at for a NAS with a RadSec client certificate (serial in
 * cw_serial_normalise form, not_after > now), recorded with it so that
 * removing the NAS revokes it (cw_nas_crl_prepare). The serial must not
 * be recorded yet. 0, or -1 with err.
 */
int cw_nas_add_radsec(cw_registry_t *reg, const char *name, const char *address, unsigned coa_port, const char *secret,
		      size_t secret_len, int64_t now, const char *site, const char *radsec_serial,
		      int64_t radsec_not_after, cw_err_t *err);

/*
 * Move a NAS to a site (site NULL or "": to none; from then on it gets no
 * guest passphrase while sites are defined). 0, or -1 with err (unknown
 * NAS or site).
 */
int cw_nas_set_site(cw_registry_t *reg, const char *name, const char *site, cw_err_t *err);

/* Remove a NAS by name. 0, or -1 with err (unknown name, ...). */
int cw_nas_remove(cw_registry_t *reg, const char *name, cw_err_t *err);

/*
 * Remove a NAS by name at time now; its RadSec certificate, if it has
 * one, is revoked in the same transaction (*had_radsec set, may be NULL).
 * 0, or -1 with err (unknown name, ...).
 */
int cw_nas_remove_at(cw_registry_t *reg, const char *name, int64_t now, bool *had_radsec, cw_err_t *err);

/* How long the NAS CA's CRL is valid: it is rewritten on every change, and radiusd reads it at start. */
#define CW_NAS_CRL_DAYS		825

/*
 * Decide the NAS CA's CRL at now and take its number (setting
 * nas_crl_number, incremented in the same transaction): every revoked NAS
 * certificate not yet expired at now, reason cessationOfOperation;
 * nextUpdate now + CW_NAS_CRL_DAYS days. Free with cw_crl_content_free.
 * 0, or -1 with err.
 */
int cw_nas_crl_prepare(cw_registry_t *reg, int64_t now, cw_crl_content_t *out, cw_err_t *err);

/* Every NAS by name, secret left empty. fn returning non-zero stops and is returned. 0 or -1. */
int cw_nas_list(cw_registry_t *reg, int (*fn)(void *arg, const cw_nas_t *nas), void *arg, cw_err_t *err);

/* The NAS at an address (canonical text), with its secret: 1 found, 0 none, -1 with err. */
int cw_nas_find(cw_registry_t *reg, const char *address, cw_nas_t *out, cw_err_t *err);

#endif
