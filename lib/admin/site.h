/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * site.h - sites: places with their own access points (NAS) and their own
 * guest passphrases (sql/registry/0007_site.sql).
 *
 * While no site is defined, guest passphrases have no site and any RADIUS
 * client gets them. Once one is, radiusd serves a guest SSID's passphrase
 * only to a NAS of a site (found by the request's source address), and
 * only that site's passphrase: `coworkctl psk rotate --ssid X --site S`
 * makes it, and with it the site offers the SSID.
 */
#ifndef COWORK_SITE_H
#define COWORK_SITE_H

#include <stddef.h>
#include <stdint.h>

#include "registry.h"

typedef struct cw_site {
	char	name[CW_SITE_NAME_MAX + 1];
	int64_t	created_at;
	int64_t	n_nas;			//!< NAS at the site
	char	ssids[512];		//!< guest SSIDs it offers, comma-separated ("" none; "..." at the end if cut)
} cw_site_t;

/* Is any site defined? 1 yes, 0 no, -1 with err. */
int cw_admin_sites_defined(cw_registry_t *reg, cw_err_t *err);

/* Does the site exist? 0 yes, -1 with err ("unknown site ..." or a database error). */
int cw_admin_site_check(cw_registry_t *reg, const char *name, cw_err_t *err);

/*
 * Add a site (the name follows the member id rules). Returns the number of
 * sites there were before (0: this one starts per-site serving, see above),
 * or -1 with err.
 */
int cw_site_add(cw_registry_t *reg, const char *name, int64_t now, cw_err_t *err);

/*
 * Remove a site, refused while a NAS is at it. Its guest passphrases (served
 * to no NAS without one at the site) are deleted with it, in the same
 * transaction; *n_psk gets how many. 0, or -1 with err.
 */
int cw_site_remove(cw_registry_t *reg, const char *name, int64_t *n_psk, cw_err_t *err);

/* Every site by name. fn returning non-zero stops and is returned. 0 or -1. */
int cw_site_list(cw_registry_t *reg, int (*fn)(void *arg, const cw_site_t *site), void *arg, cw_err_t *err);

/*
 * Every guest passphrase to keep rotated, for `psk rotate --all`, `status`
 * and `audit`: while no site is defined, each guest SSID with site NULL;
 * once one is, each (site, SSID) a site offers. fn non-zero stops. 0, -1.
 */
int cw_admin_guest_offers(cw_registry_t *reg, int (*fn)(void *arg, const char *site, const char *ssid), void *arg,
			  cw_err_t *err);

#endif
