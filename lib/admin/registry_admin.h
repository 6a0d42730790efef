/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * registry_admin.h - the changes coworkctl makes to the registry.
 *
 * Each function is one transaction (BEGIN IMMEDIATE ... COMMIT): it checks
 * everything first and changes nothing when it refuses. Functions return 0
 * on success and -1 with err naming what was wrong (unknown member, VLAN in
 * the staff range, ...). Listing functions call fn once per row, in a
 * stable order; fn returning non-zero stops the listing and is returned.
 */
#ifndef COWORK_REGISTRY_ADMIN_H
#define COWORK_REGISTRY_ADMIN_H

#include <stdbool.h>
#include <stdint.h>

#include "psk.h"
#include "registry.h"
#include "registry_write.h"

/* --- VLAN plan ------------------------------------------------------------- */

/*
 * Replace the VLAN plan. The plan must pass cw_vlan_plan_validate, and every
 * tenant's VLAN must stay inside the new members pool.
 */
int cw_admin_vlan_set(cw_registry_t *reg, const cw_vlan_plan_t *plan, cw_err_t *err);

/* --- SSIDs ------------------------------------------------------------------- */

typedef struct cw_ssid_row {
	char		name[CW_SSID_MAX + 1];
	cw_ssid_class_t	cls;
	int64_t		created_at;
} cw_ssid_row_t;

int cw_admin_ssid_add(cw_registry_t *reg, const char *name, cw_ssid_class_t cls, int64_t now, cw_err_t *err);
int cw_admin_ssid_remove(cw_registry_t *reg, const char *name, cw_err_t *err);
int cw_admin_ssid_list(cw_registry_t *reg, int (*fn)(void *arg, const cw_ssid_row_t *row), void *arg,
		       cw_err_t *err);

/* --- tenants ----------------------------------------------------------------- */

typedef struct cw_tenant_row {
	char		name[CW_ID_MAX + 1];
	uint16_t	vlan;
	int64_t		created_at;
	unsigned	members;	//!< members of the tenant that are not removed
} cw_tenant_row_t;

/*
 * Add a tenant. vlan = 0 allocates the lowest VLAN of the members pool that
 * no tenant has; otherwise that VLAN, which must be in the pool and free.
 * The VLAN given is returned in *vlan_out.
 */
int cw_admin_tenant_add(cw_registry_t *reg, const char *name, unsigned vlan, int64_t now, uint16_t *vlan_out,
			cw_err_t *err);
/* Remove a tenant that has no members left (removed members excepted). */
int cw_admin_tenant_remove(cw_registry_t *reg, const char *name, cw_err_t *err);
int cw_admin_tenant_list(cw_registry_t *reg, int (*fn)(void *arg, const cw_tenant_row_t *row), void *arg,
			 cw_err_t *err);

/* --- members ----------------------------------------------------------------- */

typedef struct cw_member_row {
	char			name[CW_ID_MAX + 1];
	char			tenant[CW_ID_MAX + 1];	//!< "" without a tenant
	uint16_t		tenant_vlan;		//!< 0 without a tenant
	cw_member_status_t	status;
	int64_t			valid_from;
	int64_t			valid_until;		//!< 0: open-ended
	char			until_date[16];		//!< as given, "" when open-ended
	int64_t			created_at;
	unsigned		certs_valid;		//!< not revoked, not expired
} cw_member_row_t;

/*
 * Add a member. tenant may be NULL (shared members VLAN). valid_until = 0
 * is open-ended; otherwise it must be after now and after valid_from, and
 * until_date is the date as the admin typed it.
 */
int cw_admin_member_add(cw_registry_t *reg, const char *name, const char *tenant, int64_t valid_from,
			int64_t valid_until, const char *until_date, int64_t now, cw_err_t *err);

/* Suspend (active -> suspended) or resume (suspended -> active) a member. */
int cw_admin_member_set_status(cw_registry_t *reg, const char *name, cw_member_status_t status, cw_err_t *err);

/* One member: 1 found, 0 unknown, -1 error. */
int cw_admin_member_get(cw_registry_t *reg, const char *name, int64_t now, cw_member_row_t *row, cw_err_t *err);

int cw_admin_member_list(cw_registry_t *reg, int64_t now, int (*fn)(void *arg, const cw_member_row_t *row),
			 void *arg, cw_err_t *err);

/* --- certificates ------------------------------------------------------------ */

/* The registry's record of a certificate the CA issued. */
typedef struct cw_cert_record {
	char	serial[CW_SERIAL_HEX_MAX + 1];
	char	member[CW_ID_MAX + 1];
	char	subject[CW_DN_MAX];
	char	issuer[CW_DN_MAX];
	int64_t	not_before;
	int64_t	not_after;
	char	sha256[65];
	int64_t	issued_at;
	int64_t	revoked_at;		//!< 0: not revoked
	char	revoke_reason[32];	//!< "" when not revoked
	char	replaces[CW_SERIAL_HEX_MAX + 1];	//!< serial this one renews; "" for a first issue
	int64_t	pending_invite;		//!< the invitation it waits to be collected from; 0: none
	const uint8_t	*ocsp;		//!< insert only: the pre-signed OCSP answer (DER), or NULL
	size_t		ocsp_len;
} cw_cert_record_t;

/* Names of RFC 5280 CRLReason values we accept for `cert revoke --reason`. */
extern const char *const cw_revoke_reasons[];

/* 0 when reason is one of cw_revoke_reasons, -1 with err listing them. */
int cw_revoke_reason_check(const char *reason, cw_err_t *err);

/* Returned by cw_admin_cert_insert when the serial is already taken. */
#define CW_ADMIN_DUPLICATE (-2)

/*
 * Record a newly issued certificate of rec->member, who must exist and be
 * active, with its pre-signed OCSP answer when rec->ocsp is set (same
 * transaction: both or neither). Returns 0, CW_ADMIN_DUPLICATE when the
 * serial exists (the caller issues another), or -1.
 */
int cw_admin_cert_insert(cw_registry_t *reg, const cw_cert_record_t *rec, cw_err_t *err);

/* cw_admin_cert_insert inside the caller's write transaction (cw_registry_begin). Same results. */
int cw_admin_cert_insert_in(cw_registry_t *reg, const cw_cert_record_t *rec, cw_err_t *err);

/*
 * Revoke a certificate by normalised serial. Returns 0 when revoked now, 1
 * when it already was (nothing changed), -1 on error (unknown serial, ...).
 * *rec (may be NULL) receives the certificate's record after the change.
 */
int cw_admin_cert_revoke(cw_registry_t *reg, const char *serial, const char *reason, int64_t now,
			 cw_cert_record_t *rec, cw_err_t *err);

/*
 * cw_admin_cert_revoke inside the caller's write transaction, with a
 * reason already checked (cw_revoke_reason_check). Same results; rec must
 * not be NULL.
 */
int cw_admin_cert_revoke_in(cw_registry_t *reg, const char *serial, const char *reason, int64_t now,
			    cw_cert_record_t *rec, cw_err_t *err);

/* One certificate: 1 found, 0 unknown, -1 error. */
int cw_admin_cert_get(cw_registry_t *reg, const char *serial, cw_cert_record_t *rec, cw_err_t *err);

/* Certificates, newest first; member = NULL for all. An unknown member is an error. */
int cw_admin_cert_list(cw_registry_t *reg, const char *member, int (*fn)(void *arg, const cw_cert_record_t *rec),
		       void *arg, cw_err_t *err);

/* --- certificate lifecycle: renewal, expiry, removal, CRL ------------------------ */

/*
 * 0 when a member in `status` may be given a certificate; -1 with err
 * saying why not and what to do (suspended: resume first; removed:
 * removal is final).
 */
int cw_admin_member_may_issue(const char *member, cw_member_status_t status, cw_err_t *err);

/*
 * Record rec, a renewal of the certificate rec->replaces, in one
 * transaction: the old certificate must exist and be rec->member's, and
 * the member must be active. With revoke_old, the old certificate is
 * revoked (reason superseded, at now) in the same transaction, unless it
 * already was: the new one is never recorded without the old one's
 * revocation, nor the reverse. Returns 0, CW_ADMIN_DUPLICATE when the new
 * serial is taken (nothing changed; issue another), or -1.
 */
int cw_admin_cert_renew(cw_registry_t *reg, const cw_cert_record_t *rec, bool revoke_old, int64_t now,
			cw_err_t *err);

/* A certificate that is about to expire, and what will become of it. */
typedef struct cw_cert_expiring {
	cw_cert_record_t	cert;
	cw_member_status_t	member_status;
	int64_t			member_until;		//!< the member's valid_until; 0: open-ended
	char			until_date[16];		//!< as given, "" when open-ended
	/*
	 * The membership ends no later than the certificate (its last second,
	 * member_until - 1, is at or before not_after): nothing to renew.
	 */
	bool			ends_with_membership;
	char			renewed_by[CW_SERIAL_HEX_MAX + 1];	//!< newest valid successor; "" if none
	int64_t			renewed_until;		//!< that successor's not_after
} cw_cert_expiring_t;

#define CW_EXPIRING_DAYS_MAX 3650

/*
 * Certificates not revoked with now <= not_after < now + days * 86400
 * (days 1..CW_EXPIRING_DAYS_MAX), soonest first; member = NULL for all
 * (an unknown member is an error). renewed_by follows the `replaces`
 * links transitively: the newest successor that is neither revoked nor
 * expired at now.
 */
int cw_admin_cert_expiring(cw_registry_t *reg, const char *member, int64_t now, unsigned days,
			   int (*fn)(void *arg, const cw_cert_expiring_t *row), void *arg, cw_err_t *err);

/* The certificates a removal revoked. */
typedef struct cw_removal {
	size_t	n;
	char	(*serials)[CW_SERIAL_HEX_MAX + 1];	//!< malloc'd (NULL when n is 0); cw_removal_free
} cw_removal_t;

/*
 * Remove a member, in one transaction: revoke every certificate of theirs
 * not revoked yet (reason, at now) and set their status to removed, which
 * is final (no resume, no new certificate). A member already removed is
 * refused ("already removed"), nothing changed. *out lists the serials
 * revoked, in serial order. 0, or -1 with err.
 */
int cw_admin_member_remove(cw_registry_t *reg, const char *name, const char *reason, int64_t now, cw_removal_t *out,
			   cw_err_t *err);

/* Free the list; accepts an empty one. */
void cw_removal_free(cw_removal_t *r);

/* RFC 5280 5.3.1 CRLReason code of one of cw_revoke_reasons; -1 for anything else. */
int cw_revoke_reason_code(const char *reason);

/* RFC 5280 CRLReason certificateHold: a member's suspension, which resume undoes. */
#define CW_CRL_REASON_HOLD 6
/* RFC 5280 CRLReason cessationOfOperation: a removed NAS's RadSec certificate. */
#define CW_CRL_REASON_CESSATION 5

/* One CRL entry: a revoked certificate, or one on hold. */
typedef struct cw_crl_entry {
	char	serial[CW_SERIAL_HEX_MAX + 1];
	int64_t	revoked_at;	//!< revocationDate
	int	reason;		//!< RFC 5280 CRLReason code
} cw_crl_entry_t;

/* What a CRL says, as decided from the registry. */
typedef struct cw_crl_content {
	uint64_t	number;		//!< cRLNumber: the last one's + 1, from 1
	int64_t		this_update;
	int64_t		next_update;
	size_t		n;
	cw_crl_entry_t	*entries;	//!< malloc'd, serial order; cw_crl_content_free
	size_t		n_hold;		//!< of which on hold (suspended members)
} cw_crl_content_t;

#define CW_CRL_DAYS_MIN		1
#define CW_CRL_DAYS_MAX		7	//!< issue 5: a nextUpdate at most 7 days ahead
#define CW_CRL_DAYS_DEFAULT	7

/*
 * Decide the content of a CRL issued at now, valid for days (1..7), and
 * take its number, in one transaction (the setting crl_number is
 * incremented there: numbers only grow, even when the CRL is not written
 * in the end). Entries: every revoked certificate, with its revocation
 * time and reason; and every certificate of a suspended member that is not
 * revoked, as certificateHold dated this_update (the registry does not
 * record when a member was suspended). A certificate is left out only
 * once it expired before this_update - days (RFC 5280 3.3: it then was on
 * at least one regular CRL after it expired, given CRLs are reissued
 * before their nextUpdate). 0, or -1 with err.
 */
int cw_admin_crl_prepare(cw_registry_t *reg, int64_t now, unsigned days, cw_crl_content_t *out, cw_err_t *err);

/* Free the entries; accepts an empty content. */
void cw_crl_content_free(cw_crl_content_t *c);

/* --- guest passphrases ------------------------------------------------------- */

typedef struct cw_guest_policy {
	cw_period_t	period;		//!< how long one passphrase is in force
	int64_t		grace;		//!< seconds it is still served after its period
	int64_t		warn;		//!< radiusd warns this long before the newest expires
	bool		members_see;	//!< members' enrollment pages show the passphrase (enroll-broker)
} cw_guest_policy_t;

#define CW_GUEST_GRACE_MAX	(30 * 86400)
#define CW_GUEST_WARN_MAX	(60 * 86400)

/* The SSID's policy (the defaults without a row). The SSID must be a guest SSID. 0 or -1. */
int cw_admin_guest_policy_get(cw_registry_t *reg, const char *ssid, cw_guest_policy_t *p, cw_err_t *err);

/* Store the SSID's policy; it applies from the next rotation. 0 or -1. */
int cw_admin_guest_policy_set(cw_registry_t *reg, const char *ssid, const cw_guest_policy_t *p, cw_err_t *err);

typedef struct cw_rotation {
	bool		rotated;	//!< false: one is already in force for this period
	cw_psk_row_t	current;	//!< the passphrase in force now (secret)
	bool		had_previous;	//!< a previous passphrase is still served...
	int64_t		previous_until;	//!< ...until then (its grace)
} cw_rotation_t;

/*
 * Rotate a guest SSID's passphrase at `now`, in one transaction (a crash
 * leaves the previous passphrase in force). When a passphrase is already
 * in force for the current period (valid_from <= now < valid_until),
 * nothing changes unless force. Otherwise a new passphrase is made
 * (cw_psk_generate), valid from now to the end of the policy's period,
 * served until that end + grace. With force, the one it replaces ends now
 * and keeps its grace from now (expire_old: every older one is deleted at
 * once). Passphrases no longer served are deleted. *out gets what is in
 * force; wipe it. The passphrase is the site's (site.h): site NULL makes
 * the site-less one, refused once a site is defined; a site must exist.
 * 0, or -1 with err.
 */
int cw_admin_site_psk_rotate(cw_registry_t *reg, const char *site, const char *ssid, int64_t now, bool force,
			     bool expire_old, cw_rotation_t *out, cw_err_t *err);

/* cw_admin_site_psk_rotate of the site-less passphrase (site NULL). */
int cw_admin_psk_rotate(cw_registry_t *reg, const char *ssid, int64_t now, bool force, bool expire_old,
			cw_rotation_t *out, cw_err_t *err);

/* --- access log exports ---------------------------------------------------------- */

typedef struct cw_log_export {
	int64_t	at;			//!< Unix time of the export
	char	operator_name[96];	//!< who: "root (uid 0)"
	char	case_ref[129];
	int64_t	from_ms;
	int64_t	to_ms;
	char	filter[96];		//!< "all", "member alice", "device <hash>"
	char	format[8];		//!< "csv" or "json"
	int64_t	rows;
} cw_log_export_t;

/* Record an export in the audit table. 0 or -1. */
int cw_admin_log_export_record(cw_registry_t *reg, const cw_log_export_t *x, cw_err_t *err);

/* Every recorded export, oldest first. */
int cw_admin_log_export_list(cw_registry_t *reg, int (*fn)(void *arg, const cw_log_export_t *x), void *arg,
			     cw_err_t *err);

/* Set the access log's retention (CW_RETENTION_DAYS_MIN..MAX days, accesslog.h). 0 or -1. */
int cw_admin_log_retention_set(cw_registry_t *reg, unsigned days, cw_err_t *err);

/* Every guest SSID, for `psk rotate --all`: fn once per name. */
int cw_admin_guest_ssids(cw_registry_t *reg, int (*fn)(void *arg, const char *ssid), void *arg, cw_err_t *err);

#endif
