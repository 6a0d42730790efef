/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * registry.h - the registry database: tenants, members, certificates,
 * SSIDs, the VLAN plan and guest passphrases.
 *
 * One SQLite file, in rollback-journal mode so that a reader needs nothing
 * but read permission on the file: radiusd opens it read-only and cannot
 * change it; coworkctl is the only writer. Each cw_registry_t is one
 * connection with its prepared statements: use it from one thread at a
 * time (the module keeps a pool, see regpool.h).
 */
#ifndef COWORK_REGISTRY_H
#define COWORK_REGISTRY_H

#include <stdbool.h>
#include <stdint.h>

#include "cowork.h"
#include "devbind.h"
#include "devhash.h"
#include "serial.h"
#include "station.h"
#include "vlan.h"

typedef struct cw_registry cw_registry_t;
typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

/* Schema version this build reads and writes (number of sql/registry files). */
int cw_registry_schema_version(void);

/* Longest member or tenant id. */
#define CW_ID_MAX 64

/* How long a connection waits for a writer's lock before giving up. */
#define CW_REGISTRY_BUSY_MS_DEFAULT 2000

/*
 * Open the registry for the module: read-only (SQLITE_OPEN_READONLY), and
 * only when its schema version is exactly this build's. busy_ms bounds the
 * wait for coworkctl's write lock. 0 with *out set, or -1 with err.
 */
int cw_registry_open_reader(const char *path, unsigned busy_ms, cw_registry_t **out, cw_err_t *err);

/* Close and free; accepts NULL. */
void cw_registry_close(cw_registry_t *reg);

/*
 * Bracket the reads of one decision on a reader connection: between begin
 * and end, the SSID class, VLAN plan and guest passphrases are answered as
 * of begin (one check of the file's change counter), from memory when the
 * file has not changed since they were last read. Outside a bracket every
 * call checks the file itself. No-ops on admin connections.
 */
void cw_registry_read_begin(cw_registry_t *reg);
void cw_registry_read_end(cw_registry_t *reg);

/* A reader connection's own descriptor of the file (for fstat), or -1 for admin connections. */
int cw_registry_reader_fd(const cw_registry_t *reg);

/* The underlying connection, for the admin queries in registry_admin.c. */
sqlite3 *cw_registry_db(cw_registry_t *reg);

/* End a write transaction left open (lib/admin's registry_write.h begins them); releases held signals. */
void cw_registry_rollback(cw_registry_t *reg);

/* Set err from the connection's last error, prefixed by what was being done. */
void cw_registry_err(cw_registry_t *reg, cw_err_t *err, const char *doing);

/*
 * sqlutil's cw_sql_prepare, cw_sql_step_row and cw_sql_step_done on reg's
 * connection, with their errors worded by cw_registry_err (a lock, an
 * interrupted coworkctl). Same returns and ownership as those.
 */
int cw_registry_prepare(cw_registry_t *reg, const char *sql, sqlite3_stmt **st, const char *doing, cw_err_t *err);
int cw_registry_step_row(cw_registry_t *reg, sqlite3_stmt *st, int rc, const char *doing, cw_err_t *err);
int cw_registry_step_done(cw_registry_t *reg, sqlite3_stmt *st, int rc, const char *doing, cw_err_t *err);

typedef enum {
	CW_MEMBER_ACTIVE = 0,
	CW_MEMBER_SUSPENDED,
	CW_MEMBER_REMOVED,
} cw_member_status_t;

typedef enum {
	CW_SSID_MEMBER = 0,
	CW_SSID_GUEST,
	CW_SSID_STAFF,
} cw_ssid_class_t;

/* "member"/"guest"/"staff" <-> enum. parse: 0 or -1. */
const char *cw_ssid_class_name(cw_ssid_class_t c);
int cw_ssid_class_parse(const char *s, cw_ssid_class_t *out);
const char *cw_member_status_name(cw_member_status_t s);

/* A certificate with its member and tenant, as the member path needs it. */
typedef struct cw_cert_row {
	char			serial[CW_SERIAL_HEX_MAX + 1];
	char			subject[CW_DN_MAX];
	char			issuer[CW_DN_MAX];
	int64_t			not_before;
	int64_t			not_after;
	bool			revoked;
	int64_t			revoked_at;
	char			revoke_reason[32];
	int64_t			pending_invite;	//!< invitation it waits to be collected from; 0: none
	char			member[CW_ID_MAX + 1];
	cw_member_status_t	member_status;
	int64_t			member_from;
	int64_t			member_until;	//!< 0: open-ended
	bool			has_tenant;
	char			tenant[CW_ID_MAX + 1];
	uint16_t		tenant_vlan;	//!< 0 without a tenant
	cw_binding_t		binding;	//!< device binding: the tenant's, else the global one, else notify
} cw_cert_row_t;

/*
 * Look up a certificate by normalised serial. Returns 1 and fills *row
 * when found, 0 when unknown, -1 with err on a database error (missing
 * table, busy beyond the timeout, corrupt file, ...).
 */
int cw_registry_cert_lookup(cw_registry_t *reg, const char *serial, cw_cert_row_t *row, cw_err_t *err);

/* Class of an SSID: 1 found, 0 unknown SSID, -1 error. */
int cw_registry_ssid_class(cw_registry_t *reg, const char *ssid, cw_ssid_class_t *out, cw_err_t *err);

/* Returned by cw_registry_vlan_plan for a plan that breaks the rules. */
#define CW_REGISTRY_PLAN_UNSAFE (-2)

/*
 * Load the VLAN plan: 1 when a plan is defined, 0 when `vlan set` has
 * never run (plan zeroed), CW_REGISTRY_PLAN_UNSAFE with err when the
 * stored plan fails cw_vlan_plan_validate or has a malformed row (written
 * behind coworkctl's back: nothing may be sent from it), -1 on a
 * database error.
 */
int cw_registry_vlan_plan(cw_registry_t *reg, cw_vlan_plan_t *plan, cw_err_t *err);

/* A guest passphrase with its window (secret: wipe it after use). */
typedef struct cw_psk_row {
	char	passphrase[64];		//!< 8..63 characters, NUL-terminated
	int64_t	valid_from;		//!< first second it is served
	int64_t	valid_until;		//!< end of its period
	int64_t	grace_until;		//!< end of serving: period end + grace
} cw_psk_row_t;

/* At most the newest passphrase and the previous one, in its grace. */
#define CW_PSK_SERVED_MAX 2

/* Defaults of a guest SSID without a policy row (see sql/registry/0002). */
#define CW_GUEST_GRACE_DEFAULT	86400
#define CW_GUEST_WARN_DEFAULT	86400

/*
 * The passphrases to serve for a guest SSID at a site at `now` (site NULL
 * or "": the site-less passphrases, used while no site is defined): those
 * with valid_from <= now < grace_until, newest first, at most
 * CW_PSK_SERVED_MAX, in rows[0..*n). *warn gets the SSID's warning period.
 * When *n is 0, *last_expiry gets the latest grace_until the (site, SSID)
 * ever had (0 if none: the site does not offer the SSID, or no rotation
 * ever ran), to say since when rotation is overdue. 0, or -1 with err.
 */
int cw_registry_site_guest_psks(cw_registry_t *reg, const char *site, const char *ssid, int64_t now,
				cw_psk_row_t rows[CW_PSK_SERVED_MAX], size_t *n, int64_t *warn, int64_t *last_expiry,
				cw_err_t *err);

/* cw_registry_site_guest_psks of the site-less passphrases (site NULL). */
int cw_registry_guest_psks(cw_registry_t *reg, const char *ssid, int64_t now, cw_psk_row_t rows[CW_PSK_SERVED_MAX],
			   size_t *n, int64_t *warn, int64_t *last_expiry, cw_err_t *err);

/*
 * Whether the admin approved device (its keyed hash) for the certificate
 * serial or for every certificate of member: 1 yes, 0 no, -1 with err.
 */
int cw_registry_device_approved(cw_registry_t *reg, const char *serial, const char *member,
				const uint8_t device[CW_DEVICE_HASH_LEN], cw_err_t *err);

/* Longest site name (sql/registry/0007_site.sql). */
#define CW_SITE_NAME_MAX 64

/* Longest NAS name: the schema's bound (names follow the member id rules). */
#define CW_NAS_NAME_MAX	64

/* Is any site defined? 1 yes (guest passphrases are per site), 0 no, -1 with err. */
int cw_registry_sites_defined(cw_registry_t *reg, cw_err_t *err);

/* A registered NAS as the guest path needs it. */
typedef struct cw_nas_site {
	char	name[CW_NAS_NAME_MAX + 1];
	char	site[CW_SITE_NAME_MAX + 1];	//!< "": the NAS is at no site
} cw_nas_site_t;

/*
 * The NAS registered (`coworkctl nas add`) at a RADIUS client address, in
 * canonical text (cw_ip_canonical): 1 found, 0 none, -1 with err.
 */
int cw_registry_nas_site(cw_registry_t *reg, const char *address, cw_nas_site_t *out, cw_err_t *err);

/* A setting: 1 found (copied into buf, truncation is an error), 0 absent, -1 error. */
int cw_registry_setting_get(cw_registry_t *reg, const char *key, char *buf, size_t len, cw_err_t *err);


#endif
