/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * registry_admin.c - the changes coworkctl makes to the registry.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "accesslog.h"
#include "admin_internal.h"
#include "registry_admin.h"
#include "site.h"
#include "registry_ocsp.h"
#include "registry_write.h"
#include "sqlutil.h"

const char *const cw_revoke_reasons[] = {
	"unspecified", "key-compromise", "affiliation-changed", "superseded", "cessation-of-operation",
	"privilege-withdrawn", NULL,
};

/*
 * Prepare sql and bind the arguments described by types: 't' a string
 * (const char *, NULL binds NULL; bound without a copy, so it must outlive
 * the statement), 'i' an int64_t, 'b' a blob (const void *, then its
 * size_t length; bound without a copy too). 0 with *st to finalize, or -1
 * with err.
 */
static int prepare_bound(cw_registry_t *reg, cw_err_t *err, sqlite3_stmt **st, const char *doing, const char *sql,
			 const char *types, va_list ap)
{
	int rc = SQLITE_OK;

	if (cw_registry_prepare(reg, sql, st, doing, err) < 0) return -1;
	for (int i = 0; types[i]; i++) {
		if (types[i] == 't') {
			rc = cw_sql_bind_text(*st, i + 1, va_arg(ap, const char *), rc);
		} else if (types[i] == 'b') {
			const void *p = va_arg(ap, const void *);

			rc = cw_sql_bind_blob(*st, i + 1, p, va_arg(ap, size_t), rc);
		} else {
			rc = cw_sql_bind_int64(*st, i + 1, va_arg(ap, int64_t), rc);
		}
	}
	if (rc == SQLITE_OK) return 0;
	cw_registry_err(reg, err, doing);
	sqlite3_finalize(*st);
	*st = NULL;
	return -1;
}

/* Run a statement that returns no rows (arguments as prepare_bound). Rows changed, or -1 with err. */
int cw_admin_exec(cw_registry_t *reg, cw_err_t *err, const char *doing, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, types);
	rc = prepare_bound(reg, err, &st, doing, sql, types, ap);
	va_end(ap);
	if (rc < 0) return -1;
	return cw_registry_step_done(reg, st, SQLITE_OK, doing, err);
}

/*
 * Run a query (arguments as prepare_bound) and leave its first row in *out:
 * 1 with *out to finalize (step on with cw_registry_step_row), 0 when there
 * is no row, -1 on error.
 */
int cw_admin_query(cw_registry_t *reg, cw_err_t *err, sqlite3_stmt **out, const char *doing, const char *sql,
		   const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	*out = NULL;
	va_start(ap, types);
	rc = prepare_bound(reg, err, &st, doing, sql, types, ap);
	va_end(ap);
	if (rc < 0) return -1;
	rc = cw_registry_step_row(reg, st, SQLITE_OK, doing, err);
	if (rc == 1) {
		*out = st;
		return 1;
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * The first column of a one-row lookup (arguments as prepare_bound), as
 * text in buf: 1 found, 0 no row, -1 on error. What "refuse if it exists"
 * and "refuse if unknown" checks share; the caller words the refusal.
 */
int cw_admin_lookup(cw_registry_t *reg, cw_err_t *err, char *buf, size_t len, const char *doing, const char *sql,
		    const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	buf[0] = '\0';
	va_start(ap, types);
	rc = prepare_bound(reg, err, &st, doing, sql, types, ap);
	va_end(ap);
	if (rc < 0) return -1;
	rc = cw_registry_step_row(reg, st, SQLITE_OK, doing, err);
	if (rc == 1) (void)cw_sql_column_text(st, 0, buf, len);
	sqlite3_finalize(st);
	return rc;
}

/* A member's status text: 1, or -1 with err ("unknown member" when there is none). */
int cw_admin_member_status(cw_registry_t *reg, const char *name, char status[16], cw_err_t *err)
{
	int rc = cw_admin_lookup(reg, err, status, 16, "looking up the member", "SELECT status FROM member WHERE name = ?1",
				 "t", name);

	if (rc == 0) cw_err_set(err, "unknown member %s", name);
	return rc == 1 ? 1 : -1;
}

/* Run fn(arg) inside a write transaction; commit on 0, roll back otherwise. */
int cw_admin_in_txn(cw_registry_t *reg, cw_err_t *err, int (*fn)(cw_registry_t *, void *, cw_err_t *), void *arg)
{
	int rc;

	if (cw_registry_begin(reg, err) < 0) return -1;
	rc = fn(reg, arg, err);
	if (rc < 0) {
		cw_registry_rollback(reg);
		return rc;
	}
	if (cw_registry_commit(reg, err) < 0) return -1;
	return rc;
}

/* --- VLAN plan ------------------------------------------------------------- */

static int insert_ranges(cw_registry_t *reg, const char *kind, const cw_vlan_set_t *s, cw_err_t *err)
{
	for (size_t i = 0; i < s->n; i++) {
		if (cw_admin_exec(reg, err, "writing the VLAN plan",
				  "INSERT INTO vlan_range (kind, lo, hi) VALUES (?1, ?2, ?3)",
				  "tii", kind, (int64_t)s->r[i].lo, (int64_t)s->r[i].hi) < 0) return -1;
	}
	return 0;
}

static int vlan_set_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	const cw_vlan_plan_t *plan = arg;
	cw_vlan_set_t single;
	sqlite3_stmt *st;
	int rc;

	/* A tenant outside the new pool would keep a VLAN the plan no longer gives members. */
	rc = cw_admin_query(reg, err, &st, "reading tenants", "SELECT name, vlan FROM tenant ORDER BY vlan", "");
	while (rc == 1) {
		unsigned vlan = (unsigned)sqlite3_column_int(st, 1);

		if (!cw_vlan_set_contains(&plan->members, vlan)) {
			cw_err_set(err, "tenant %s has VLAN %u, outside the new members pool; "
				   "remove the tenant or keep its VLAN in the pool", sqlite3_column_text(st, 0), vlan);
			sqlite3_finalize(st);
			return -1;
		}
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "reading tenants", err);
	}
	sqlite3_finalize(st);
	if (rc < 0) return -1;

	if (cw_admin_exec(reg, err, "clearing the VLAN plan", "DELETE FROM vlan_range", "") < 0) return -1;
	if (insert_ranges(reg, "staff", &plan->staff, err) < 0) return -1;
	if (insert_ranges(reg, "members", &plan->members, err) < 0) return -1;
	single.n = 1;
	single.r[0].lo = single.r[0].hi = plan->shared;
	if (insert_ranges(reg, "shared", &single, err) < 0) return -1;
	single.r[0].lo = single.r[0].hi = plan->guest;
	return insert_ranges(reg, "guest", &single, err);
}

int cw_admin_vlan_set(cw_registry_t *reg, const cw_vlan_plan_t *plan, cw_err_t *err)
{
	if (cw_vlan_plan_validate(plan, err) < 0) return -1;
	return cw_admin_in_txn(reg, err, vlan_set_txn, (void *)plan);
}

/* --- SSIDs ------------------------------------------------------------------- */

struct ssid_add {
	const char	*name;
	cw_ssid_class_t	cls;
	int64_t		now;
};

static int ssid_add_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct ssid_add *a = arg;
	char cls[16];
	int rc;

	rc = cw_admin_lookup(reg, err, cls, sizeof(cls), "looking up the SSID", "SELECT class FROM ssid WHERE name = ?1",
			     "t", a->name);
	if (rc == 1) cw_err_set(err, "SSID \"%s\" already exists (class %s)", a->name, cls);
	if (rc != 0) return -1;
	return cw_admin_exec(reg, err, "adding the SSID", "INSERT INTO ssid (name, class, created_at) VALUES (?1, ?2, ?3)",
			     "tti", a->name, cw_ssid_class_name(a->cls), a->now) < 0 ? -1 : 0;
}

int cw_admin_ssid_add(cw_registry_t *reg, const char *name, cw_ssid_class_t cls, int64_t now, cw_err_t *err)
{
	struct ssid_add a = { name, cls, now };

	return cw_admin_in_txn(reg, err, ssid_add_txn, &a);
}

static int ssid_remove_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	const char *name = arg;
	int n;

	if (cw_admin_exec(reg, err, "removing the SSID's guest passphrases", "DELETE FROM guest_psk WHERE ssid = ?1", "t",
			  name) < 0 ||
	    cw_admin_exec(reg, err, "removing the SSID's passphrase policy", "DELETE FROM guest_policy WHERE ssid = ?1",
			  "t", name) < 0) return -1;
	n = cw_admin_exec(reg, err, "removing the SSID", "DELETE FROM ssid WHERE name = ?1", "t", name);
	if (n == 0) cw_err_set(err, "unknown SSID \"%s\"", name);
	return n == 1 ? 0 : -1;
}

int cw_admin_ssid_remove(cw_registry_t *reg, const char *name, cw_err_t *err)
{
	return cw_admin_in_txn(reg, err, ssid_remove_txn, (void *)name);
}

int cw_admin_ssid_list(cw_registry_t *reg, int (*fn)(void *arg, const cw_ssid_row_t *row), void *arg,
		       cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, "listing SSIDs", "SELECT name, class, created_at FROM ssid ORDER BY name",
				"");

	while (rc == 1) {
		cw_ssid_row_t r;

		(void)cw_sql_column_text(st, 0, r.name, sizeof(r.name));
		if (cw_ssid_class_parse((const char *)sqlite3_column_text(st, 1), &r.cls) < 0) r.cls = CW_SSID_STAFF;
		r.created_at = sqlite3_column_int64(st, 2);
		rc = fn(arg, &r);
		if (rc != 0) break;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "listing SSIDs", err);
	}
	sqlite3_finalize(st);
	return rc;
}

/* --- tenants ----------------------------------------------------------------- */

struct tenant_add {
	const char	*name;
	unsigned	vlan;
	int64_t		now;
	uint16_t	*vlan_out;
};

/* Lowest VLAN of the members pool no tenant has; 0 when the pool is full. */
static int free_tenant_vlan(cw_registry_t *reg, const cw_vlan_plan_t *plan, unsigned *out, cw_err_t *err)
{
	uint64_t used[(CW_VLAN_MAX + 64) / 64] = { 0 };
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, "reading tenant VLANs", "SELECT vlan FROM tenant", "");

	while (rc == 1) {
		unsigned v = (unsigned)sqlite3_column_int(st, 0);

		if (v <= CW_VLAN_MAX) used[v / 64] |= UINT64_C(1) << (v % 64);
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "reading tenant VLANs", err);
	}
	sqlite3_finalize(st);
	if (rc < 0) return -1;
	*out = 0;
	for (size_t i = 0; i < plan->members.n && *out == 0; i++) {
		for (unsigned v = plan->members.r[i].lo; v <= plan->members.r[i].hi; v++) {
			if (!(used[v / 64] & (UINT64_C(1) << (v % 64)))) {
				*out = v;
				break;
			}
		}
	}
	return 0;
}

static int tenant_add_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct tenant_add *a = arg;
	cw_vlan_plan_t plan;
	char found[CW_ID_MAX + 1];
	unsigned vlan = a->vlan;
	int rc;

	rc = cw_registry_vlan_plan(reg, &plan, err);
	if (rc < 0) return -1;
	if (rc == 0) {
		cw_err_set(err, "no VLAN plan yet: run `coworkctl vlan set` before adding tenants");
		return -1;
	}
	rc = cw_admin_lookup(reg, err, found, sizeof(found), "looking up the tenant",
			     "SELECT vlan FROM tenant WHERE name = ?1", "t", a->name);
	if (rc == 1) cw_err_set(err, "tenant %s already exists (VLAN %s)", a->name, found);
	if (rc != 0) return -1;

	if (vlan == 0) {
		if (free_tenant_vlan(reg, &plan, &vlan, err) < 0) return -1;
		if (vlan == 0) {
			cw_err_set(err, "the members pool has no free VLAN left (%u VLANs, all given to tenants)",
				   cw_vlan_set_count(&plan.members));
			return -1;
		}
	} else {
		if (!cw_vlan_set_contains(&plan.members, vlan)) {
			cw_err_set(err, "VLAN %u is not in the members pool", vlan);
			return -1;
		}
		rc = cw_admin_lookup(reg, err, found, sizeof(found), "looking up the VLAN",
				     "SELECT name FROM tenant WHERE vlan = ?1", "i", (int64_t)vlan);
		if (rc == 1) cw_err_set(err, "VLAN %u already belongs to tenant %s", vlan, found);
		if (rc != 0) return -1;
	}
	/* Redundant with the plan's validation; kept because this is the property that matters. */
	if (cw_vlan_check_member(&plan, vlan, err) < 0) return -1;
	if (cw_admin_exec(reg, err, "adding the tenant", "INSERT INTO tenant (name, vlan, created_at) VALUES (?1, ?2, ?3)",
			  "tii", a->name, (int64_t)vlan, a->now) < 0) return -1;
	*a->vlan_out = (uint16_t)vlan;
	return 0;
}

int cw_admin_tenant_add(cw_registry_t *reg, const char *name, unsigned vlan, int64_t now, uint16_t *vlan_out,
			cw_err_t *err)
{
	struct tenant_add a = { name, vlan, now, vlan_out };

	return cw_admin_in_txn(reg, err, tenant_add_txn, &a);
}

static int tenant_remove_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	const char *name = arg;
	sqlite3_stmt *st;
	int rc, members;

	rc = cw_admin_query(reg, err, &st, "looking up the tenant",
			    "SELECT (SELECT count(*) FROM member m WHERE m.tenant_id = t.id AND m.status != 'removed')"
			    " FROM tenant t WHERE t.name = ?1", "t", name);
	if (rc == 0) cw_err_set(err, "unknown tenant %s", name);
	if (rc <= 0) return -1;
	members = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (members > 0) {
		cw_err_set(err, "tenant %s still has %d member(s): remove them or move them first", name, members);
		return -1;
	}
	if (cw_admin_exec(reg, err, "detaching removed members",
			  "UPDATE member SET tenant_id = NULL WHERE tenant_id = (SELECT id FROM tenant WHERE name = ?1)", "t",
			  name) < 0) return -1;
	return cw_admin_exec(reg, err, "removing the tenant", "DELETE FROM tenant WHERE name = ?1", "t",
			     name) < 0 ? -1 : 0;
}

int cw_admin_tenant_remove(cw_registry_t *reg, const char *name, cw_err_t *err)
{
	return cw_admin_in_txn(reg, err, tenant_remove_txn, (void *)name);
}

int cw_admin_tenant_list(cw_registry_t *reg, int (*fn)(void *arg, const cw_tenant_row_t *row), void *arg,
			 cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, "listing tenants",
				"SELECT t.name, t.vlan, t.created_at,"
				" (SELECT count(*) FROM member m WHERE m.tenant_id = t.id AND m.status != 'removed')"
				" FROM tenant t ORDER BY t.name", "");

	while (rc == 1) {
		cw_tenant_row_t r;

		(void)cw_sql_column_text(st, 0, r.name, sizeof(r.name));
		r.vlan = (uint16_t)sqlite3_column_int(st, 1);
		r.created_at = sqlite3_column_int64(st, 2);
		r.members = (unsigned)sqlite3_column_int(st, 3);
		rc = fn(arg, &r);
		if (rc != 0) break;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "listing tenants", err);
	}
	sqlite3_finalize(st);
	return rc;
}

/* --- members ----------------------------------------------------------------- */

struct member_add {
	const char	*name;
	const char	*tenant;
	int64_t		from;
	int64_t		until;
	const char	*until_date;
	int64_t		now;
};

static int member_add_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct member_add *a = arg;
	char status[16], tenant_id[24];
	int rc;

	rc = cw_admin_lookup(reg, err, status, sizeof(status), "looking up the member",
			     "SELECT status FROM member WHERE name = ?1", "t", a->name);
	if (rc == 1) cw_err_set(err, "member %s already exists (%s)", a->name, status);
	if (rc != 0) return -1;
	if (a->tenant) {
		rc = cw_admin_lookup(reg, err, tenant_id, sizeof(tenant_id), "looking up the tenant",
				     "SELECT id FROM tenant WHERE name = ?1", "t", a->tenant);
		if (rc == 0) cw_err_set(err, "unknown tenant %s (add it with `coworkctl tenant add %s`)", a->tenant,
					a->tenant);
		if (rc <= 0) return -1;
	}
	return cw_admin_exec(reg, err, "adding the member",
			     "INSERT INTO member (name, tenant_id, valid_from, valid_until, until_date, created_at)"
			     " VALUES (?1, (SELECT id FROM tenant WHERE name = ?2), ?3, nullif(?4, 0), ?5, ?6)",
			     "ttiiti", a->name, a->tenant, a->from, a->until, a->until_date, a->now) < 0 ? -1 : 0;
}

int cw_admin_member_add(cw_registry_t *reg, const char *name, const char *tenant, int64_t valid_from,
			int64_t valid_until, const char *until_date, int64_t now, cw_err_t *err)
{
	struct member_add a = { name, tenant, valid_from, valid_until, valid_until ? until_date : NULL, now };

	if (valid_until != 0 && valid_until <= now) {
		cw_err_set(err, "--until %s is already past", until_date ? until_date : "");
		return -1;
	}
	if (valid_until != 0 && valid_until <= valid_from) {
		cw_err_set(err, "--until %s is not after the membership's start", until_date ? until_date : "");
		return -1;
	}
	return cw_admin_in_txn(reg, err, member_add_txn, &a);
}

/* The status of a member row's text; anything unknown counts as removed (the CHECK allows no other). */
static cw_member_status_t status_of(const char *s)
{
	return strcmp(s, "active") == 0 ? CW_MEMBER_ACTIVE
	       : strcmp(s, "suspended") == 0 ? CW_MEMBER_SUSPENDED : CW_MEMBER_REMOVED;
}

struct member_status {
	const char		*name;
	cw_member_status_t	status;
};

static int member_status_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct member_status *a = arg;
	cw_member_status_t from = a->status == CW_MEMBER_ACTIVE ? CW_MEMBER_SUSPENDED : CW_MEMBER_ACTIVE;
	char now_status[16];

	if (cw_admin_member_status(reg, a->name, now_status, err) < 0) return -1;
	if (strcmp(now_status, cw_member_status_name(a->status)) == 0) {
		cw_err_set(err, "member %s is already %s", a->name, now_status);
		return -1;
	}
	if (status_of(now_status) == CW_MEMBER_REMOVED) {
		cw_err_set(err, "member %s was removed: removal is final and cannot be undone or changed (add the person "
			   "again under a new member id)", a->name);
		return -1;
	}
	if (strcmp(now_status, cw_member_status_name(from)) != 0) {
		cw_err_set(err, "member %s is %s and cannot be made %s", a->name, now_status,
			   cw_member_status_name(a->status));
		return -1;
	}
	return cw_admin_exec(reg, err, "changing the member's status", "UPDATE member SET status = ?2 WHERE name = ?1",
			     "tt", a->name, cw_member_status_name(a->status)) == 1 ? 0 : -1;
}

int cw_admin_member_set_status(cw_registry_t *reg, const char *name, cw_member_status_t status, cw_err_t *err)
{
	struct member_status a = { name, status };

	if (status == CW_MEMBER_REMOVED) {
		cw_err_set(err, "removing a member is not a status change");
		return -1;
	}
	return cw_admin_in_txn(reg, err, member_status_txn, &a);
}

static const char sql_member_rows[] =
	"SELECT m.name, t.name, m.status, m.valid_from, coalesce(m.valid_until, 0), m.until_date, m.created_at,"
	" (SELECT count(*) FROM cert c WHERE c.member_id = m.id AND c.revoked_at IS NULL AND c.not_after >= ?1),"
	" coalesce(t.vlan, 0)"
	" FROM member m LEFT JOIN tenant t ON t.id = m.tenant_id";

static void member_row(sqlite3_stmt *st, cw_member_row_t *r)
{
	char status[16];

	(void)cw_sql_column_text(st, 0, r->name, sizeof(r->name));
	(void)cw_sql_column_text(st, 1, r->tenant, sizeof(r->tenant));
	(void)cw_sql_column_text(st, 2, status, sizeof(status));
	r->status = status_of(status);
	r->valid_from = sqlite3_column_int64(st, 3);
	r->valid_until = sqlite3_column_int64(st, 4);
	(void)cw_sql_column_text(st, 5, r->until_date, sizeof(r->until_date));
	r->created_at = sqlite3_column_int64(st, 6);
	r->certs_valid = (unsigned)sqlite3_column_int(st, 7);
	r->tenant_vlan = (uint16_t)sqlite3_column_int(st, 8);
}

int cw_admin_member_get(cw_registry_t *reg, const char *name, int64_t now, cw_member_row_t *r, cw_err_t *err)
{
	char sql[sizeof(sql_member_rows) + 32];
	sqlite3_stmt *st;
	int rc;

	(void)cw_snprintf(sql, sizeof(sql), "%s WHERE m.name = ?2", sql_member_rows);
	rc = cw_admin_query(reg, err, &st, "looking up the member", sql, "it", now, name);
	if (rc == 1) {
		member_row(st, r);
		sqlite3_finalize(st);
	}
	return rc;
}

int cw_admin_member_list(cw_registry_t *reg, int64_t now, int (*fn)(void *arg, const cw_member_row_t *row),
			 void *arg, cw_err_t *err)
{
	char sql[sizeof(sql_member_rows) + 32];
	sqlite3_stmt *st;
	int rc;

	(void)cw_snprintf(sql, sizeof(sql), "%s ORDER BY m.name", sql_member_rows);
	rc = cw_admin_query(reg, err, &st, "listing members", sql, "i", now);
	while (rc == 1) {
		cw_member_row_t r;

		member_row(st, &r);
		rc = fn(arg, &r);
		if (rc != 0) break;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "listing members", err);
	}
	sqlite3_finalize(st);
	return rc;
}

/* --- certificates ------------------------------------------------------------ */

int cw_revoke_reason_check(const char *reason, cw_err_t *err)
{
	for (size_t i = 0; cw_revoke_reasons[i]; i++) {
		if (strcmp(reason, cw_revoke_reasons[i]) == 0) return 0;
	}
	cw_err_set(err, "unknown revocation reason \"%.40s\": use unspecified, key-compromise, affiliation-changed, "
		   "superseded, cessation-of-operation or privilege-withdrawn", reason);
	return -1;
}

int cw_admin_cert_insert_in(cw_registry_t *reg, const cw_cert_record_t *rec, cw_err_t *err)
{
	sqlite3_stmt *st;
	char status[16];
	int rc;

	if (cw_admin_member_status(reg, rec->member, status, err) < 0) return -1;
	if (cw_admin_member_may_issue(rec->member, status_of(status), err) < 0) return -1;
	rc = cw_admin_query(reg, err, &st, "checking the serial", "SELECT 1 FROM cert WHERE serial = ?1", "t",
			    rec->serial);
	if (rc == 1) {
		sqlite3_finalize(st);
		return CW_ADMIN_DUPLICATE;
	}
	if (rc < 0) return -1;
	if (cw_admin_exec(reg, err, "recording the certificate",
			  "INSERT INTO cert (serial, member_id, subject, issuer, not_before, not_after, sha256, issued_at,"
			  " replaces, pending_invite) VALUES (?1, (SELECT id FROM member WHERE name = ?2), ?3, ?4, ?5, ?6,"
			  " ?7, ?8, nullif(?9, ''), nullif(?10, 0))",
			  "ttttiititi", rec->serial, rec->member, rec->subject, rec->issuer, rec->not_before, rec->not_after,
			  rec->sha256, rec->issued_at, rec->replaces, rec->pending_invite) < 0) return -1;
	if (!rec->ocsp) return 0;
	rc = cw_registry_ocsp_put(reg, rec->serial, rec->ocsp, rec->ocsp_len, rec->issued_at, err);
	if (rc == 0) cw_err_set(err, "certificate %s: its OCSP answer could not be stored", rec->serial);
	return rc == 1 ? 0 : -1;
}

static int cert_insert_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	return cw_admin_cert_insert_in(reg, arg, err);
}

int cw_admin_cert_insert(cw_registry_t *reg, const cw_cert_record_t *rec, cw_err_t *err)
{
	return cw_admin_in_txn(reg, err, cert_insert_txn, (void *)rec);
}

static const char sql_cert_rows[] =
	"SELECT c.serial, m.name, c.subject, c.issuer, c.not_before, c.not_after, c.sha256, c.issued_at,"
	" coalesce(c.revoked_at, 0), coalesce(c.revoke_reason, ''), coalesce(c.replaces, ''),"
	" m.status, coalesce(m.valid_until, 0), coalesce(m.until_date, ''), coalesce(c.pending_invite, 0)"
	" FROM cert c JOIN member m ON m.id = c.member_id";

static void cert_record(sqlite3_stmt *st, cw_cert_record_t *r)
{
	(void)cw_sql_column_text(st, 0, r->serial, sizeof(r->serial));
	(void)cw_sql_column_text(st, 1, r->member, sizeof(r->member));
	(void)cw_sql_column_text(st, 2, r->subject, sizeof(r->subject));
	(void)cw_sql_column_text(st, 3, r->issuer, sizeof(r->issuer));
	r->not_before = sqlite3_column_int64(st, 4);
	r->not_after = sqlite3_column_int64(st, 5);
	(void)cw_sql_column_text(st, 6, r->sha256, sizeof(r->sha256));
	r->issued_at = sqlite3_column_int64(st, 7);
	r->revoked_at = sqlite3_column_int64(st, 8);
	(void)cw_sql_column_text(st, 9, r->revoke_reason, sizeof(r->revoke_reason));
	(void)cw_sql_column_text(st, 10, r->replaces, sizeof(r->replaces));
	r->pending_invite = sqlite3_column_int64(st, 14);
}

int cw_admin_cert_get(cw_registry_t *reg, const char *serial, cw_cert_record_t *rec, cw_err_t *err)
{
	char sql[sizeof(sql_cert_rows) + 32];
	sqlite3_stmt *st;
	int rc;

	(void)cw_snprintf(sql, sizeof(sql), "%s WHERE c.serial = ?1", sql_cert_rows);
	rc = cw_admin_query(reg, err, &st, "looking up the certificate", sql, "t", serial);
	if (rc == 1) {
		cert_record(st, rec);
		sqlite3_finalize(st);
	}
	return rc;
}

struct cert_revoke {
	const char		*serial;
	const char		*reason;
	int64_t			now;
	cw_cert_record_t	*rec;
};

int cw_admin_cert_revoke_in(cw_registry_t *reg, const char *serial, const char *reason, int64_t now,
			    cw_cert_record_t *rec, cw_err_t *err)
{
	int rc = cw_admin_cert_get(reg, serial, rec, err);

	if (rc == 0) cw_err_set(err, "unknown certificate serial %s", serial);
	if (rc <= 0) return -1;
	if (rec->revoked_at != 0) return 1;
	if (cw_admin_exec(reg, err, "revoking the certificate",
			  "UPDATE cert SET revoked_at = ?2, revoke_reason = ?3 WHERE serial = ?1 AND revoked_at IS NULL", "tit",
			  serial, now, reason) != 1) return -1;
	rec->revoked_at = now;
	(void)cw_snprintf(rec->revoke_reason, sizeof(rec->revoke_reason), "%s", reason);
	return 0;
}

static int cert_revoke_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct cert_revoke *a = arg;

	return cw_admin_cert_revoke_in(reg, a->serial, a->reason, a->now, a->rec, err);
}

int cw_admin_cert_revoke(cw_registry_t *reg, const char *serial, const char *reason, int64_t now,
			 cw_cert_record_t *rec, cw_err_t *err)
{
	cw_cert_record_t local;
	struct cert_revoke a = { serial, reason, now, rec ? rec : &local };

	if (cw_revoke_reason_check(reason, err) < 0) return -1;
	return cw_admin_in_txn(reg, err, cert_revoke_txn, &a);
}

/* 1 when member is NULL or known, 0 (err set) when unknown, -1 on error. */
static int member_known(cw_registry_t *reg, const char *member, cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc;

	if (!member) return 1;
	rc = cw_admin_query(reg, err, &st, "looking up the member", "SELECT 1 FROM member WHERE name = ?1", "t", member);
	if (rc == 0) cw_err_set(err, "unknown member %s", member);
	if (rc == 1) sqlite3_finalize(st);
	return rc;
}

int cw_admin_cert_list(cw_registry_t *reg, const char *member, int (*fn)(void *arg, const cw_cert_record_t *rec),
		       void *arg, cw_err_t *err)
{
	char sql[sizeof(sql_cert_rows) + 96];
	sqlite3_stmt *st;
	int rc;

	if (member_known(reg, member, err) <= 0) return -1;
	(void)cw_snprintf(sql, sizeof(sql), "%s WHERE ?1 IS NULL OR m.name = ?1 ORDER BY c.issued_at DESC, c.serial",
			  sql_cert_rows);
	rc = cw_admin_query(reg, err, &st, "listing certificates", sql, "t", member);
	while (rc == 1) {
		cw_cert_record_t r;

		cert_record(st, &r);
		rc = fn(arg, &r);
		if (rc != 0) break;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "listing certificates", err);
	}
	sqlite3_finalize(st);
	return rc;
}

/* --- certificate lifecycle: renewal, expiry, removal, CRL ------------------------ */

int cw_admin_member_may_issue(const char *member, cw_member_status_t status, cw_err_t *err)
{
	if (status == CW_MEMBER_ACTIVE) return 0;
	if (status == CW_MEMBER_SUSPENDED) {
		cw_err_set(err, "member %s is suspended: resume the member before issuing a certificate", member);
	} else {
		cw_err_set(err, "member %s was removed: a removed member gets no certificate (removal is final)", member);
	}
	return -1;
}

struct cert_renew {
	const cw_cert_record_t	*rec;
	bool			revoke_old;
	int64_t			now;
};

/* The old certificate must be the member's; insert the new one, then revoke the old one if asked. */
static int cert_renew_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct cert_renew *a = arg;
	cw_cert_record_t old;
	int rc = cw_admin_cert_get(reg, a->rec->replaces, &old, err);

	if (rc == 0) cw_err_set(err, "unknown certificate serial %s", a->rec->replaces);
	if (rc <= 0) return -1;
	if (strcmp(old.member, a->rec->member) != 0) {
		cw_err_set(err, "certificate %s belongs to %s, not to %s", old.serial, old.member, a->rec->member);
		return -1;
	}
	rc = cw_admin_cert_insert_in(reg, a->rec, err);
	if (rc != 0 || !a->revoke_old || old.revoked_at != 0) return rc;
	return cw_admin_exec(reg, err, "revoking the old certificate",
			     "UPDATE cert SET revoked_at = ?2, revoke_reason = 'superseded' WHERE serial = ?1 AND revoked_at IS NULL",
			     "ti", old.serial, a->now) == 1 ? 0 : -1;
}

int cw_admin_cert_renew(cw_registry_t *reg, const cw_cert_record_t *rec, bool revoke_old, int64_t now,
			cw_err_t *err)
{
	struct cert_renew a = { rec, revoke_old, now };

	if (!rec->replaces[0]) {
		cw_err_set(err, "a renewal must name the certificate it replaces");
		return -1;
	}
	return cw_admin_in_txn(reg, err, cert_renew_txn, &a);
}

/* The newest successor of serial (following `replaces`) neither revoked nor expired at now. */
static int newest_successor(cw_registry_t *reg, const char *serial, int64_t now, cw_cert_expiring_t *r, cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, "looking for renewals",
				"WITH RECURSIVE succ(serial) AS (SELECT serial FROM cert WHERE replaces = ?1"
				" UNION SELECT c.serial FROM cert c JOIN succ s ON c.replaces = s.serial)"
				" SELECT c.serial, c.not_after FROM cert c JOIN succ s ON s.serial = c.serial"
				" WHERE c.revoked_at IS NULL AND c.not_after >= ?2 ORDER BY c.issued_at DESC, c.serial LIMIT 1",
				"ti", serial, now);

	r->renewed_by[0] = '\0';
	r->renewed_until = 0;
	if (rc <= 0) return rc;
	(void)cw_sql_column_text(st, 0, r->renewed_by, sizeof(r->renewed_by));
	r->renewed_until = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return 0;
}

/* Fill an expiring row from a sql_cert_rows row, with its member's facts and renewal. */
static int expiring_row(cw_registry_t *reg, sqlite3_stmt *st, int64_t now, cw_cert_expiring_t *r, cw_err_t *err)
{
	char status[16];

	memset(r, 0, sizeof(*r));
	cert_record(st, &r->cert);
	(void)cw_sql_column_text(st, 11, status, sizeof(status));
	r->member_status = status_of(status);
	r->member_until = sqlite3_column_int64(st, 12);
	(void)cw_sql_column_text(st, 13, r->until_date, sizeof(r->until_date));
	r->ends_with_membership = r->member_until != 0 && r->member_until - 1 <= r->cert.not_after;
	return newest_successor(reg, r->cert.serial, now, r, err);
}

int cw_admin_cert_expiring(cw_registry_t *reg, const char *member, int64_t now, unsigned days,
			   int (*fn)(void *arg, const cw_cert_expiring_t *row), void *arg, cw_err_t *err)
{
	char sql[sizeof(sql_cert_rows) + 160];
	sqlite3_stmt *st;
	int rc;

	if (days < 1 || days > CW_EXPIRING_DAYS_MAX) {
		cw_err_set(err, "the expiry window must be 1 to %d days", CW_EXPIRING_DAYS_MAX);
		return -1;
	}
	if (member_known(reg, member, err) <= 0) return -1;
	(void)cw_snprintf(sql, sizeof(sql), "%s WHERE c.revoked_at IS NULL AND c.not_after >= ?1 AND c.not_after < ?2"
			  " AND (?3 IS NULL OR m.name = ?3) ORDER BY c.not_after, c.serial", sql_cert_rows);
	rc = cw_admin_query(reg, err, &st, "listing expiring certificates", sql, "iit", now, now + (int64_t)days * 86400,
			    member);
	while (rc == 1) {
		cw_cert_expiring_t r;

		if (expiring_row(reg, st, now, &r, err) < 0) {
			rc = -1;
			break;
		}
		rc = fn(arg, &r);
		if (rc != 0) break;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "listing expiring certificates", err);
	}
	sqlite3_finalize(st);
	return rc;
}

void cw_removal_free(cw_removal_t *r)
{
	free(r->serials);
	r->serials = NULL;
	r->n = 0;
}

/* Append the serial of the current row to the removal list. 0, or -1 when out of memory. */
static int removal_add(cw_removal_t *r, sqlite3_stmt *st, cw_err_t *err)
{
	void *p = realloc(r->serials, (r->n + 1) * sizeof(*r->serials));

	if (!p) {
		cw_err_set(err, "out of memory");
		return -1;
	}
	r->serials = p;
	(void)cw_sql_column_text(st, 0, r->serials[r->n++], sizeof(*r->serials));
	return 0;
}

struct member_remove {
	const char	*name;
	const char	*reason;
	int64_t		now;
	cw_removal_t	*out;
};

/* The serials of the member's certificates not yet revoked, into a->out. 0, or -1. */
static int unrevoked_certs(cw_registry_t *reg, struct member_remove *a, cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, "listing the member's certificates",
				"SELECT c.serial FROM cert c JOIN member m ON m.id = c.member_id"
				" WHERE m.name = ?1 AND c.revoked_at IS NULL ORDER BY c.serial", "t", a->name);

	while (rc == 1) {
		if (removal_add(a->out, st, err) < 0) {
			rc = -1;
			break;
		}
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "listing the member's certificates", err);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Refuse an unknown or removed member; revoke what is left, then mark the member removed. */
static int member_remove_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct member_remove *a = arg;
	char status[16];
	int rc;

	if (cw_admin_member_status(reg, a->name, status, err) < 0) return -1;
	if (status_of(status) == CW_MEMBER_REMOVED) {
		cw_err_set(err, "member %s is already removed", a->name);
		return -1;
	}
	if (unrevoked_certs(reg, a, err) < 0) return -1;
	rc = cw_admin_exec(reg, err, "revoking the member's certificates",
			   "UPDATE cert SET revoked_at = ?2, revoke_reason = ?3"
			   " WHERE member_id = (SELECT id FROM member WHERE name = ?1) AND revoked_at IS NULL", "tit", a->name,
			   a->now, a->reason);
	if (rc < 0) return -1;
	if ((size_t)rc != a->out->n) {
		cw_err_set(err, "revoking the member's certificates: %d changed where %zu were listed", rc, a->out->n);
		return -1;
	}
	return cw_admin_exec(reg, err, "removing the member", "UPDATE member SET status = 'removed' WHERE name = ?1", "t",
			     a->name) == 1 ? 0 : -1;
}

int cw_admin_member_remove(cw_registry_t *reg, const char *name, const char *reason, int64_t now, cw_removal_t *out,
			   cw_err_t *err)
{
	struct member_remove a = { name, reason, now, out };
	int rc;

	memset(out, 0, sizeof(*out));
	if (cw_revoke_reason_check(reason, err) < 0) return -1;
	rc = cw_admin_in_txn(reg, err, member_remove_txn, &a);
	if (rc < 0) cw_removal_free(out);
	return rc;
}

int cw_revoke_reason_code(const char *reason)
{
	/* RFC 5280 5.3.1: cACompromise (2), certificateHold (6), removeFromCRL (8) and aACompromise (10) are not ours. */
	static const struct {
		const char	*name;
		int		code;
	} codes[] = {
		{ "unspecified", 0 }, { "key-compromise", 1 }, { "affiliation-changed", 3 }, { "superseded", 4 },
		{ "cessation-of-operation", 5 }, { "privilege-withdrawn", 9 },
	};

	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		if (strcmp(reason, codes[i].name) == 0) return codes[i].code;
	}
	return -1;
}

void cw_crl_content_free(cw_crl_content_t *c)
{
	free(c->entries);
	c->entries = NULL;
	c->n = c->n_hold = 0;
}

/* Take the next cRLNumber: the setting crl_number + 1 (1 when absent), stored back. 0, or -1. */
static int crl_number_next(cw_registry_t *reg, uint64_t *number, cw_err_t *err)
{
	char buf[32], *end;
	unsigned long long last = 0;
	int rc = cw_registry_setting_get(reg, "crl_number", buf, sizeof(buf), err);

	if (rc < 0) return -1;
	if (rc == 1) {
		errno = 0;
		last = strtoull(buf, &end, 10);
		if (buf[0] < '0' || buf[0] > '9' || *end != '\0' || errno != 0 || last >= INT64_MAX) {
			cw_err_set(err, "the registry's crl_number setting \"%.20s\" is not a CRL number", buf);
			return -1;
		}
	}
	*number = (uint64_t)last + 1;
	(void)cw_snprintf(buf, sizeof(buf), "%llu", (unsigned long long)*number);
	return cw_registry_setting_set(reg, "crl_number", buf, err);
}

/* Append the current row (serial, revoked_at, reason name or NULL for a hold) as a CRL entry. 0, or -1. */
static int crl_add(cw_crl_content_t *c, sqlite3_stmt *st, cw_err_t *err)
{
	cw_crl_entry_t *e;
	char reason[32];
	void *p = realloc(c->entries, (c->n + 1) * sizeof(*c->entries));

	if (!p) {
		cw_err_set(err, "out of memory");
		return -1;
	}
	c->entries = p;
	e = &c->entries[c->n];
	memset(e, 0, sizeof(*e));
	(void)cw_sql_column_text(st, 0, e->serial, sizeof(e->serial));
	e->revoked_at = sqlite3_column_int64(st, 1);
	(void)cw_sql_column_text(st, 2, reason, sizeof(reason));
	e->reason = reason[0] ? cw_revoke_reason_code(reason) : CW_CRL_REASON_HOLD;
	if (e->reason < 0) {
		cw_err_set(err, "certificate %s has an unknown revocation reason \"%s\"", e->serial, reason);
		return -1;
	}
	if (!reason[0]) c->n_hold++;
	c->n++;
	return 0;
}

struct crl_prepare {
	unsigned		days;
	cw_crl_content_t	*out;
};

/* Take the CRL number, then choose the entries, in the transaction that commits the number. */
static int crl_prepare_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct crl_prepare *a = arg;
	cw_crl_content_t *c = a->out;
	sqlite3_stmt *st;
	int rc;

	if (crl_number_next(reg, &c->number, err) < 0) return -1;
	/* Revoked certificates with their reason; a suspended member's others on hold (reason ''). */
	rc = cw_admin_query(reg, err, &st, "choosing the CRL's entries",
			    "SELECT c.serial, coalesce(c.revoked_at, ?1), coalesce(c.revoke_reason, '')"
			    " FROM cert c JOIN member m ON m.id = c.member_id"
			    " WHERE c.not_after >= ?2 AND (c.revoked_at IS NOT NULL OR m.status = 'suspended')"
			    " ORDER BY c.serial", "ii", c->this_update, c->this_update - (int64_t)a->days * 86400);
	while (rc == 1) {
		if (crl_add(c, st, err) < 0) {
			rc = -1;
			break;
		}
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "choosing the CRL's entries", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int cw_admin_crl_prepare(cw_registry_t *reg, int64_t now, unsigned days, cw_crl_content_t *out, cw_err_t *err)
{
	struct crl_prepare a = { days, out };
	int rc;

	memset(out, 0, sizeof(*out));
	if (days < CW_CRL_DAYS_MIN || days > CW_CRL_DAYS_MAX) {
		cw_err_set(err, "a CRL's validity must be %d to %d days", CW_CRL_DAYS_MIN, CW_CRL_DAYS_MAX);
		return -1;
	}
	out->this_update = now;
	out->next_update = now + (int64_t)days * 86400;
	rc = cw_admin_in_txn(reg, err, crl_prepare_txn, &a);
	if (rc < 0) cw_crl_content_free(out);
	return rc;
}

/* --- guest passphrases ------------------------------------------------------- */

static int guest_ssid_check(cw_registry_t *reg, const char *ssid, cw_err_t *err)
{
	char cls[16];
	int rc = cw_admin_lookup(reg, err, cls, sizeof(cls), "looking up the SSID",
				 "SELECT class FROM ssid WHERE name = ?1", "t", ssid);

	if (rc == 0) cw_err_set(err, "unknown SSID \"%s\" (add it with `coworkctl ssid add NAME --class guest`)", ssid);
	if (rc <= 0) return -1;
	if (strcmp(cls, "guest") != 0) {
		cw_err_set(err, "SSID \"%s\" is a %s SSID, not a guest SSID", ssid, cls);
		return -1;
	}
	return 0;
}

int cw_admin_guest_policy_get(cw_registry_t *reg, const char *ssid, cw_guest_policy_t *p, cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc;

	if (guest_ssid_check(reg, ssid, err) < 0) return -1;
	memset(p, 0, sizeof(*p));
	p->period.kind = CW_PERIOD_MONTHLY;
	p->grace = CW_GUEST_GRACE_DEFAULT;
	p->warn = CW_GUEST_WARN_DEFAULT;
	rc = cw_admin_query(reg, err, &st, "reading the passphrase policy",
			    "SELECT period, grace, warn, members_see FROM guest_policy WHERE ssid = ?1", "t", ssid);
	if (rc <= 0) return rc;
	rc = cw_period_parse((const char *)sqlite3_column_text(st, 0), &p->period, err);
	p->grace = sqlite3_column_int64(st, 1);
	p->warn = sqlite3_column_int64(st, 2);
	p->members_see = sqlite3_column_int64(st, 3) != 0;
	sqlite3_finalize(st);
	return rc;
}

struct policy_set {
	const char		*ssid;
	const cw_guest_policy_t	*p;
};

static int policy_set_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct policy_set *a = arg;
	char period[16];

	if (guest_ssid_check(reg, a->ssid, err) < 0) return -1;
	if (cw_period_format(&a->p->period, period, sizeof(period)) < 0) {
		cw_err_set(err, "invalid period");
		return -1;
	}
	return cw_admin_exec(reg, err, "writing the passphrase policy",
			     "INSERT OR REPLACE INTO guest_policy (ssid, period, grace, warn, members_see)"
			     " VALUES (?1, ?2, ?3, ?4, ?5)", "ttiii",
			     a->ssid, period, a->p->grace, a->p->warn, (int64_t)(a->p->members_see ? 1 : 0)) < 0 ? -1 : 0;
}

int cw_admin_guest_policy_set(cw_registry_t *reg, const char *ssid, const cw_guest_policy_t *p, cw_err_t *err)
{
	struct policy_set a = { ssid, p };

	if (p->grace < 0 || p->grace > CW_GUEST_GRACE_MAX || p->warn < 0 || p->warn > CW_GUEST_WARN_MAX) {
		cw_err_set(err, "grace must be 0 to 30 days and the warning period 0 to 60 days");
		return -1;
	}
	return cw_admin_in_txn(reg, err, policy_set_txn, &a);
}

struct rotate {
	const char	*site;		//!< NULL: the site-less passphrase (no site defined)
	const char	*ssid;
	int64_t		now;
	bool		force;
	bool		expire_old;
	cw_rotation_t	*out;
};

static const char sql_psk_in_force[] =
	"SELECT passphrase, valid_from, valid_until, grace_until FROM guest_psk"
	" WHERE ssid = ?1 AND site IS ?3 AND valid_from <= ?2 AND ?2 < valid_until ORDER BY valid_from DESC, id DESC LIMIT 1";

/* The passphrase in force for the current period into *r: 1 found, 0 none, -1 error. */
static int psk_in_force(cw_registry_t *reg, const struct rotate *a, cw_psk_row_t *r, cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, "reading guest passphrases", sql_psk_in_force, "tit", a->ssid, a->now,
				a->site);

	if (rc <= 0) return rc;
	(void)cw_sql_column_text(st, 0, r->passphrase, sizeof(r->passphrase));
	r->valid_from = sqlite3_column_int64(st, 1);
	r->valid_until = sqlite3_column_int64(st, 2);
	r->grace_until = sqlite3_column_int64(st, 3);
	sqlite3_finalize(st);
	return 1;
}

/*
 * End the passphrases a forced rotation replaces: the one in force ends
 * now and keeps its grace from now; with expire_old, every one still
 * served is deleted, so none is served again and none stays in the file.
 * (The CHECKs need valid_until > valid_from, hence the max().)
 */
static int end_replaced(cw_registry_t *reg, const struct rotate *a, int64_t grace, cw_err_t *err)
{
	if (a->expire_old) {
		return cw_admin_exec(reg, err, "deleting the old passphrases",
				     "DELETE FROM guest_psk WHERE ssid = ?1 AND site IS ?3 AND grace_until > ?2", "tit",
				     a->ssid, a->now, a->site) < 0 ? -1 : 0;
	}
	return cw_admin_exec(reg, err, "ending the old passphrase",
			     "UPDATE guest_psk SET valid_until = max(?2, valid_from + 1),"
			     " grace_until = max(max(?2, valid_from + 1), min(grace_until, ?2 + ?3))"
			     " WHERE ssid = ?1 AND site IS ?4 AND valid_from <= ?2 AND ?2 < valid_until", "tiit", a->ssid,
			     a->now, grace, a->site) < 0 ? -1 : 0;
}

/*
 * Is a passphrase other than the one in force still served, and until when?
 * The one in force is excluded by id, not by valid_from: a forced rotation
 * in the second of the previous one leaves both with the same valid_from.
 */
static int previous_served(cw_registry_t *reg, const struct rotate *a, cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, "reading guest passphrases",
				"SELECT max(grace_until) FROM guest_psk WHERE ssid = ?1 AND site IS ?3 AND valid_from <= ?2"
				" AND grace_until > ?2 AND id <> (SELECT id FROM guest_psk WHERE ssid = ?1 AND site IS ?3"
				" AND valid_from <= ?2 AND ?2 < valid_until ORDER BY valid_from DESC, id DESC LIMIT 1)",
				"tit", a->ssid, a->now, a->site);

	if (rc <= 0) return rc;
	a->out->had_previous = sqlite3_column_type(st, 0) != SQLITE_NULL;
	a->out->previous_until = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/*
 * A rotation names a site exactly when sites are defined: a site-less
 * passphrase would never be served then, and a site that does not exist
 * cannot be one. 0, or -1 with err.
 */
static int rotation_site_check(cw_registry_t *reg, const char *site, cw_err_t *err)
{
	int any = cw_admin_sites_defined(reg, err);

	if (any < 0) return -1;
	if (!site) {
		if (!any) return 0;
		cw_err_set(err, "sites are defined, so guest passphrases are per site: name the site (--site SITE, or"
			   " --all for every site and SSID)");
		return -1;
	}
	return cw_admin_site_check(reg, site, err);
}

static int rotate_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct rotate *a = arg;
	cw_psk_row_t *cur = &a->out->current;
	cw_guest_policy_t p;
	int64_t start, end;
	int rc;

	if (cw_admin_guest_policy_get(reg, a->ssid, &p, err) < 0 || rotation_site_check(reg, a->site, err) < 0) return -1;
	rc = psk_in_force(reg, a, cur, err);
	if (rc < 0) return -1;
	if (rc == 1 && !a->force) return previous_served(reg, a, err);
	if (cw_period_window(&p.period, a->now, &start, &end) < 0 || end <= a->now) {
		cw_err_set(err, "cannot compute the current period in local time");
		return -1;
	}
	if ((rc == 1 || a->expire_old) && end_replaced(reg, a, p.grace, err) < 0) return -1;

	memset(cur, 0, sizeof(*cur));
	if (cw_psk_generate(cur->passphrase, err) < 0) return -1;
	cur->valid_from = a->now;
	cur->valid_until = end;
	cur->grace_until = end + p.grace;
	if (cw_admin_exec(reg, err, "storing the new passphrase",
			  "INSERT INTO guest_psk (ssid, passphrase, valid_from, valid_until, grace_until, created_at, site)"
			  " VALUES (?1, ?2, ?3, ?4, ?5, ?3, ?6)", "ttiiit", a->ssid, cur->passphrase, cur->valid_from,
			  cur->valid_until, cur->grace_until, a->site) < 0 ||
	    cw_admin_exec(reg, err, "deleting passphrases no longer served",
			  "DELETE FROM guest_psk WHERE ssid = ?1 AND site IS ?3 AND grace_until <= ?2", "tit", a->ssid,
			  a->now, a->site) < 0) return -1;
	a->out->rotated = true;
	return previous_served(reg, a, err);
}

int cw_admin_psk_rotate(cw_registry_t *reg, const char *ssid, int64_t now, bool force, bool expire_old,
			cw_rotation_t *out, cw_err_t *err)
{
	return cw_admin_site_psk_rotate(reg, NULL, ssid, now, force, expire_old, out, err);
}

int cw_admin_site_psk_rotate(cw_registry_t *reg, const char *site, const char *ssid, int64_t now, bool force,
			     bool expire_old, cw_rotation_t *out, cw_err_t *err)
{
	struct rotate a = { site && *site ? site : NULL, ssid, now, force, expire_old, out };
	int rc;

	memset(out, 0, sizeof(*out));
	if (expire_old && !force) {
		cw_err_set(err, "expiring the old passphrase needs a forced rotation");
		return -1;
	}
	rc = cw_admin_in_txn(reg, err, rotate_txn, &a);
	if (rc < 0) cw_wipe(out, sizeof(*out));
	return rc;
}

int cw_admin_guest_ssids(cw_registry_t *reg, int (*fn)(void *arg, const char *ssid), void *arg, cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, "listing guest SSIDs",
				"SELECT name FROM ssid WHERE class = 'guest' ORDER BY name", "");

	while (rc == 1) {
		rc = fn(arg, (const char *)sqlite3_column_text(st, 0));
		if (rc != 0) break;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "listing guest SSIDs", err);
	}
	sqlite3_finalize(st);
	return rc;
}

/* --- access log exports ---------------------------------------------------------- */

static int export_record_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	const cw_log_export_t *x = arg;

	return cw_admin_exec(reg, err, "recording the export",
			     "INSERT INTO log_export (at, operator, case_ref, from_ms, to_ms, filter, format, rows)"
			     " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", "ittiitti", x->at, x->operator_name, x->case_ref,
			     x->from_ms, x->to_ms, x->filter, x->format, x->rows) < 0 ? -1 : 0;
}

int cw_admin_log_export_record(cw_registry_t *reg, const cw_log_export_t *x, cw_err_t *err)
{
	if (x->case_ref[0] == '\0') {
		cw_err_set(err, "an export needs a case reference");
		return -1;
	}
	return cw_admin_in_txn(reg, err, export_record_txn, (void *)x);
}

int cw_admin_log_export_list(cw_registry_t *reg, int (*fn)(void *arg, const cw_log_export_t *x), void *arg,
			     cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, "listing exports",
				"SELECT at, operator, case_ref, from_ms, to_ms, filter, format, rows FROM log_export ORDER BY id", "");

	while (rc == 1) {
		cw_log_export_t x;

		x.at = sqlite3_column_int64(st, 0);
		(void)cw_sql_column_text(st, 1, x.operator_name, sizeof(x.operator_name));
		(void)cw_sql_column_text(st, 2, x.case_ref, sizeof(x.case_ref));
		x.from_ms = sqlite3_column_int64(st, 3);
		x.to_ms = sqlite3_column_int64(st, 4);
		(void)cw_sql_column_text(st, 5, x.filter, sizeof(x.filter));
		(void)cw_sql_column_text(st, 6, x.format, sizeof(x.format));
		x.rows = sqlite3_column_int64(st, 7);
		rc = fn(arg, &x);
		if (rc != 0) break;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "listing exports", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int cw_admin_log_retention_set(cw_registry_t *reg, unsigned days, cw_err_t *err)
{
	char buf[16];

	if (days < CW_RETENTION_DAYS_MIN || days > CW_RETENTION_DAYS_MAX) {
		cw_err_set(err, "retention must be %d to %d days", CW_RETENTION_DAYS_MIN, CW_RETENTION_DAYS_MAX);
		return -1;
	}
	(void)cw_snprintf(buf, sizeof(buf), "%u", days);
	return cw_registry_setting_set(reg, "log_retention_days", buf, err);
}
