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
} cw_cert_record_t;

/* Names of RFC 5280 CRLReason values we accept for `cert revoke --reason`. */
extern const char *const cw_revoke_reasons[];

/* 0 when reason is one of cw_revoke_reasons, -1 with err listing them. */
int cw_revoke_reason_check(const char *reason, cw_err_t *err);

/* Returned by cw_admin_cert_insert when the serial is already taken. */
#define CW_ADMIN_DUPLICATE (-2)

/*
 * Record a newly issued certificate of rec->member, who must exist and be
 * active. Returns 0, CW_ADMIN_DUPLICATE when the serial exists (the caller
 * issues another), or -1.
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

#endif
