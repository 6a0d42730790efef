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

/*
 * Revoke a certificate by normalised serial. Returns 0 when revoked now, 1
 * when it already was (nothing changed), -1 on error (unknown serial, ...).
 * *rec (may be NULL) receives the certificate's record after the change.
 */
int cw_admin_cert_revoke(cw_registry_t *reg, const char *serial, const char *reason, int64_t now,
			 cw_cert_record_t *rec, cw_err_t *err);

/* One certificate: 1 found, 0 unknown, -1 error. */
int cw_admin_cert_get(cw_registry_t *reg, const char *serial, cw_cert_record_t *rec, cw_err_t *err);

/* Certificates, newest first; member = NULL for all. An unknown member is an error. */
int cw_admin_cert_list(cw_registry_t *reg, const char *member, int (*fn)(void *arg, const cw_cert_record_t *rec),
		       void *arg, cw_err_t *err);

/* --- guest passphrases ------------------------------------------------------- */

typedef struct cw_guest_policy {
	cw_period_t	period;		//!< how long one passphrase is in force
	int64_t		grace;		//!< seconds it is still served after its period
	int64_t		warn;		//!< radiusd warns this long before the newest expires
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
 * force; wipe it.
 * 0, or -1 with err.
 */
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
