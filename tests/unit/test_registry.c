/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_registry.c - unit tests for lib/server/registry.c, lib/admin/registry_admin.c
 * and lib/server/regpool.c against a real SQLite file (see fixture.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "fixture.h"
#include "registry_write.h"
#include "regpool.h"
#include "fileio.h"
#include "sqlutil.h"

/* --- helpers ------------------------------------------------------------------ */

static int setup(void **state)
{
	fixture_t *f = calloc(1, sizeof(*f));

	if (!f) return -1;
	if (fixture_setup(f) < 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture_t *f = *state;

	fixture_teardown(f);
	free(f);
	return 0;
}

static void assert_msg(const cw_err_t *e, const char *part)
{
	if (strstr(e->msg, part) == NULL) fail_msg("message \"%s\" lacks \"%s\"", e->msg, part);
}

/* dir/name of the fixture: fixture_teardown deletes whatever a test leaves there. */
static void in_dir(const fixture_t *f, const char *name, char *buf, size_t len)
{
	assert_int_equal(cw_snprintf(buf, len, "%s/%s", f->dir, name), 0);
}

static void exec_ok(cw_registry_t *reg, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(cw_registry_db(reg), sql, NULL, NULL, &msg) != SQLITE_OK) {
		fail_msg("%s: %s", sql, msg ? msg : "?");
	}
}

/* The single integer a query returns. */
static int64_t query_int(cw_registry_t *reg, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(cw_registry_db(reg), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

struct dump {
	char	*buf;
	size_t	len;
	size_t	cap;
};

static void dump_add(struct dump *d, const char *s)
{
	size_t n = strlen(s);

	if (d->len + n + 1 > d->cap) {
		d->cap = (d->len + n + 1) * 2;
		d->buf = realloc(d->buf, d->cap);
		assert_non_null(d->buf);
	}
	memcpy(d->buf + d->len, s, n + 1);
	d->len += n;
}

static int dump_row(void *arg, int n, char **vals, char **cols)
{
	struct dump *d = arg;

	for (int i = 0; i < n; i++) {
		dump_add(d, cols[i]);
		dump_add(d, "=");
		dump_add(d, vals[i] ? vals[i] : "NULL");
		dump_add(d, "|");
	}
	dump_add(d, "\n");
	return 0;
}

/* Every row of every table, in a fixed order; the caller frees. */
static char *dump_registry(cw_registry_t *reg)
{
	static const char *const queries[] = {
		"PRAGMA user_version",
		"SELECT * FROM setting ORDER BY key",
		"SELECT * FROM vlan_range ORDER BY kind, lo",
		"SELECT * FROM ssid ORDER BY name",
		"SELECT * FROM tenant ORDER BY id",
		"SELECT * FROM member ORDER BY id",
		"SELECT * FROM cert ORDER BY serial",
		"SELECT * FROM guest_psk ORDER BY id",
	};
	struct dump d = { NULL, 0, 0 };

	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		dump_add(&d, queries[i]);
		dump_add(&d, "\n");
		assert_int_equal(sqlite3_exec(cw_registry_db(reg), queries[i], dump_row, &d, NULL), SQLITE_OK);
	}
	return d.buf;
}

static void assert_same_dump(const char *before, cw_registry_t *reg)
{
	char *after = dump_registry(reg);

	assert_string_equal(before, after);
	free(after);
}

static void cert_rec(cw_cert_record_t *rec, const char *serial, const char *member, int64_t issued_at,
		     int64_t not_before, int64_t not_after)
{
	memset(rec, 0, sizeof(*rec));
	assert_int_equal(cw_snprintf(rec->serial, sizeof(rec->serial), "%s", serial), 0);
	assert_int_equal(cw_snprintf(rec->member, sizeof(rec->member), "%s", member), 0);
	assert_int_equal(cw_snprintf(rec->subject, sizeof(rec->subject), "/O=Test/CN=%s", member), 0);
	assert_int_equal(cw_snprintf(rec->issuer, sizeof(rec->issuer), "%s", FX_ISSUER), 0);
	memset(rec->sha256, 'b', 64);
	rec->issued_at = issued_at;
	rec->not_before = not_before;
	rec->not_after = not_after;
}

static void plan_of(cw_vlan_plan_t *p, const char *staff, const char *members, uint16_t shared, uint16_t guest)
{
	cw_err_t e = { "" };

	memset(p, 0, sizeof(*p));
	if (staff[0]) assert_int_equal(cw_vlan_set_parse(staff, &p->staff, &e), 0);
	assert_int_equal(cw_vlan_set_parse(members, &p->members, &e), 0);
	p->shared = shared;
	p->guest = guest;
}

/* A registry with the schema and nothing else, at dir/name; the caller closes it. */
static cw_registry_t *empty_registry(const fixture_t *f, const char *name)
{
	cw_registry_t *reg = NULL;
	char path[128];
	cw_err_t e = { "" };

	in_dir(f, name, path, sizeof(path));
	if (cw_registry_open_admin(path, true, &reg, &e) < 0) fail_msg("%s", e.msg);
	return reg;
}

/* --- opening ------------------------------------------------------------------- */

static void open_admin__creates_file_mode_0600_with_schema_version(void **state)
{
	fixture_t *f = *state;
	cw_registry_t *reg = empty_registry(f, "new.db");
	char path[128];
	struct stat st;

	in_dir(f, "new.db", path, sizeof(path));
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_true(cw_registry_schema_version() >= 1);
	assert_int_equal(query_int(reg, "PRAGMA user_version"), cw_registry_schema_version());
	cw_registry_close(reg);
}

static void reopened_admin__keeps_data(void **state)
{
	fixture_t *f = *state;
	cw_cert_row_t row;
	cw_err_t e = { "" };

	cw_registry_close(f->admin);
	f->admin = NULL;
	assert_int_equal(cw_registry_open_admin(f->path, true, &f->admin, &e), 0);
	assert_int_equal(cw_registry_cert_lookup(f->admin, FX_ALICE, &row, &e), 1);
	assert_string_equal(row.member, "alice");
	assert_int_equal(query_int(f->admin, "SELECT count(*) FROM member"), 2);
}

static void newer_schema__is_refused_by_admin_and_reader(void **state)
{
	fixture_t *f = *state;
	int v = cw_registry_schema_version();
	cw_registry_t *reg = (cw_registry_t *)&reg;
	char sql[64], have[64], want[64];
	cw_err_t e = { "" };

	assert_int_equal(cw_snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v + 1), 0);
	exec_ok(f->admin, sql);
	cw_registry_close(f->admin);
	f->admin = NULL;

	assert_int_equal(cw_snprintf(have, sizeof(have), "schema version %d", v + 1), 0);
	assert_int_equal(cw_registry_open_admin(f->path, false, &reg, &e), -1);
	assert_null(reg);
	assert_msg(&e, have);
	assert_int_equal(cw_snprintf(want, sizeof(want), "(%d)", v), 0);
	assert_msg(&e, want);

	reg = (cw_registry_t *)&reg;
	e.msg[0] = '\0';
	assert_int_equal(cw_registry_open_reader(f->path, 100, &reg, &e), -1);
	assert_null(reg);
	assert_msg(&e, have);
	assert_int_equal(cw_snprintf(want, sizeof(want), "needs %d", v), 0);
	assert_msg(&e, want);
}

static void older_schema__is_refused_by_reader(void **state)
{
	fixture_t *f = *state;
	int v = cw_registry_schema_version();
	cw_registry_t *reg = (cw_registry_t *)&reg;
	char sql[64], have[64], want[64];
	cw_err_t e = { "" };

	assert_int_equal(cw_snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v - 1), 0);
	exec_ok(f->admin, sql);

	assert_int_equal(cw_registry_open_reader(f->path, 100, &reg, &e), -1);
	assert_null(reg);
	assert_int_equal(cw_snprintf(have, sizeof(have), "schema version %d", v - 1), 0);
	assert_msg(&e, have);
	assert_int_equal(cw_snprintf(want, sizeof(want), "needs %d", v), 0);
	assert_msg(&e, want);
}

static void negative_schema_version__is_refused_by_admin_and_reader(void **state)
{
	fixture_t *f = *state;
	cw_registry_t *reg = (cw_registry_t *)&reg;
	cw_err_t e = { "" };

	/* Would index before the first migration if taken as "older". */
	exec_ok(f->admin, "PRAGMA user_version = -1");
	cw_registry_close(f->admin);
	f->admin = NULL;

	assert_int_equal(cw_registry_open_admin(f->path, false, &reg, &e), -1);
	assert_null(reg);
	assert_msg(&e, "schema version -1");
	reg = (cw_registry_t *)&reg;
	assert_int_equal(cw_registry_open_reader(f->path, 100, &reg, &e), -1);
	assert_null(reg);
	assert_msg(&e, "schema version -1");
}

static void reader_on_missing_file__says_it_does_not_exist(void **state)
{
	fixture_t *f = *state;
	cw_registry_t *reg = (cw_registry_t *)&reg;
	char path[128];
	cw_err_t e = { "" };

	in_dir(f, "absent.db", path, sizeof(path));
	assert_int_equal(cw_registry_open_reader(path, 100, &reg, &e), -1);
	assert_null(reg);
	assert_msg(&e, "does not exist");
	assert_msg(&e, path);
	/* ... and did not create it. */
	assert_int_equal(access(path, F_OK), -1);
}

static void reader_on_random_bytes__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_registry_t *reg = (cw_registry_t *)&reg;
	unsigned char junk[8192];
	uint32_t x = 2463534242u;
	char path[128];
	FILE *fp;
	cw_err_t e = { "" };

	for (size_t i = 0; i < sizeof(junk); i++) {	/* xorshift32: repeatable noise */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		junk[i] = (unsigned char)x;
	}
	in_dir(f, "junk.db", path, sizeof(path));
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(junk, 1, sizeof(junk), fp), sizeof(junk));
	assert_int_equal(fclose(fp), 0);

	assert_int_equal(cw_registry_open_reader(path, 100, &reg, &e), -1);
	assert_null(reg);
	assert_true(e.msg[0] != '\0');
}

static void reader__cannot_write(void **state)
{
	fixture_t *f = *state;
	cw_registry_t *reader = NULL;
	cw_err_t e = { "" };
	int rc;

	assert_int_equal(cw_registry_open_reader(f->path, 100, &reader, &e), 0);
	rc = sqlite3_exec(cw_registry_db(reader), "INSERT INTO setting (key, value) VALUES ('k', 'v')", NULL, NULL,
			  NULL);
	assert_int_equal(rc & 0xff, SQLITE_READONLY);
	assert_int_equal(cw_registry_setting_set(reader, "k", "v", &e), -1);
	assert_msg(&e, "read-only");
	cw_registry_close(reader);
	assert_int_equal(query_int(f->admin, "SELECT count(*) FROM setting WHERE key = 'k'"), 0);
}

/* --- certificate lookup and revocation ------------------------------------------ */

static void cert_lookup__finds_alice_with_her_tenant(void **state)
{
	fixture_t *f = *state;
	cw_cert_row_t row;
	cw_err_t e = { "" };

	assert_int_equal(cw_registry_cert_lookup(f->admin, FX_ALICE, &row, &e), 1);
	assert_string_equal(row.serial, FX_ALICE);
	assert_string_equal(row.member, "alice");
	assert_true(row.has_tenant);
	assert_string_equal(row.tenant, "acme");
	assert_int_equal(row.tenant_vlan, 100);
	assert_int_equal(row.not_before, f->now - 3600);
	assert_int_equal(row.not_after, f->not_after);
	assert_string_equal(row.subject, "/O=Test/CN=alice");
	assert_string_equal(row.issuer, FX_ISSUER);
	assert_false(row.revoked);
	assert_string_equal(row.revoke_reason, "");
	assert_int_equal(row.member_status, CW_MEMBER_ACTIVE);
	assert_int_equal(row.member_from, f->now - 86400);
	assert_int_equal(row.member_until, 0);
}

static void cert_lookup_of_bob__has_no_tenant(void **state)
{
	fixture_t *f = *state;
	cw_cert_row_t row;
	cw_err_t e = { "" };

	assert_int_equal(cw_registry_cert_lookup(f->admin, FX_BOB, &row, &e), 1);
	assert_string_equal(row.member, "bob");
	assert_false(row.has_tenant);
	assert_string_equal(row.tenant, "");
	assert_int_equal(row.tenant_vlan, 0);
}

static void cert_lookup_of_unknown_serial__returns_0(void **state)
{
	fixture_t *f = *state;
	cw_cert_row_t row;
	cw_err_t e = { "" };

	assert_int_equal(cw_registry_cert_lookup(f->admin, "deadbeef", &row, &e), 0);
}

static void revoked_cert__lookup_shows_reason_and_time(void **state)
{
	fixture_t *f = *state;
	cw_cert_record_t rec;
	cw_cert_row_t row;
	cw_err_t e = { "" };

	assert_int_equal(cw_admin_cert_revoke(f->admin, FX_ALICE, "key-compromise", f->now + 5, &rec, &e), 0);
	assert_string_equal(rec.serial, FX_ALICE);
	assert_int_equal(rec.revoked_at, f->now + 5);
	assert_string_equal(rec.revoke_reason, "key-compromise");

	assert_int_equal(cw_registry_cert_lookup(f->admin, FX_ALICE, &row, &e), 1);
	assert_true(row.revoked);
	assert_int_equal(row.revoked_at, f->now + 5);
	assert_string_equal(row.revoke_reason, "key-compromise");
	/* Bob's is untouched. */
	assert_int_equal(cw_registry_cert_lookup(f->admin, FX_BOB, &row, &e), 1);
	assert_false(row.revoked);
}

static void revoking_twice__returns_1_and_changes_nothing(void **state)
{
	fixture_t *f = *state;
	cw_cert_record_t rec;
	cw_err_t e = { "" };
	char *before;

	assert_int_equal(cw_admin_cert_revoke(f->admin, FX_BOB, "superseded", f->now, NULL, &e), 0);
	before = dump_registry(f->admin);
	assert_int_equal(cw_admin_cert_revoke(f->admin, FX_BOB, "key-compromise", f->now + 100, &rec, &e), 1);
	assert_int_equal(rec.revoked_at, f->now);
	assert_string_equal(rec.revoke_reason, "superseded");
	assert_same_dump(before, f->admin);
	free(before);
}

static void revoke_of_unknown_serial__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_err_t e = { "" };
	char *before = dump_registry(f->admin);

	assert_int_equal(cw_admin_cert_revoke(f->admin, "deadbeef", "unspecified", f->now, NULL, &e), -1);
	assert_msg(&e, "unknown certificate");
	assert_msg(&e, "deadbeef");
	assert_same_dump(before, f->admin);
	free(before);
}

static void revoke_with_invalid_reason__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_err_t e = { "" };
	char *before = dump_registry(f->admin);

	assert_int_equal(cw_admin_cert_revoke(f->admin, FX_ALICE, "because", f->now, NULL, &e), -1);
	assert_msg(&e, "unknown revocation reason");
	assert_msg(&e, "key-compromise");
	assert_int_equal(cw_admin_cert_revoke(f->admin, FX_ALICE, "", f->now, NULL, &e), -1);
	assert_same_dump(before, f->admin);
	free(before);
}

/* --- SSIDs and the VLAN plan ------------------------------------------------------ */

static void cert_lookup__reads_pending_invite(void **state)
{
	fixture_t *f = *state;
	cw_cert_row_t row;
	cw_err_t e = { "" };
	int64_t invite;

	assert_int_equal(cw_registry_cert_lookup(f->admin, FX_BOB, &row, &e), 1);
	assert_int_equal(row.pending_invite, 0);
	invite = fixture_make_pending(f, FX_BOB, &e);
	if (invite < 0) fail_msg("%s", e.msg);
	assert_int_equal(cw_registry_cert_lookup(f->admin, FX_BOB, &row, &e), 1);
	assert_int_equal(row.pending_invite, invite);
}

/* Generated from sql/registry/NNNN_*.sql (registry_write.c uses them too). */
extern const char *const cw_registry_migrations[];

/*
 * A registry of schema 4 (before invitations) with a certificate: coworkctl
 * migrates it to this build's schema, and a reader (radiusd) then opens it
 * and finds the certificate with nothing pending.
 */
static void schema4_registry__migrated_by_admin__is_read_by_the_module(void **state)
{
	fixture_t *f = *state;
	cw_registry_t *admin = NULL, *reader = NULL;
	char path[128];
	sqlite3 *db = NULL;
	cw_cert_row_t row;
	cw_err_t e = { "" };

	in_dir(f, "v4.db", path, sizeof(path));
	assert_int_equal(cw_file_write_new(path, "", 0, 0600, CW_NO_GID, &e), 0);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(cw_sql_migrate(db, cw_registry_migrations, 4, path, "registry", &e), 0);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO member (id, name, valid_from, created_at) VALUES (1, 'old', 0, 0);"
		"INSERT INTO cert (serial, member_id, subject, issuer, not_before, not_after, sha256, issued_at)"
		" VALUES ('0ld', 1, '/O=Test/CN=old', '" FX_ISSUER "', 0, 4000000000, printf('%064d', 0), 0);",
		NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	assert_int_equal(cw_registry_open_reader(path, 100, &reader, &e), -1);
	assert_msg(&e, "run any coworkctl command to migrate it");
	assert_int_equal(cw_registry_open_admin(path, false, &admin, &e), 0);
	assert_int_equal(query_int(admin, "PRAGMA user_version"), cw_registry_schema_version());
	cw_registry_close(admin);
	if (cw_registry_open_reader(path, 100, &reader, &e) < 0) fail_msg("%s", e.msg);
	assert_int_equal(cw_registry_cert_lookup(reader, "0ld", &row, &e), 1);
	assert_string_equal(row.member, "old");
	assert_int_equal(row.pending_invite, 0);
	assert_false(row.revoked);
	cw_registry_close(reader);
}

static void ssid_class__of_each_registered_ssid(void **state)
{
	fixture_t *f = *state;
	cw_ssid_class_t cls;
	cw_err_t e = { "" };

	assert_int_equal(cw_registry_ssid_class(f->admin, "CoworkMembers", &cls, &e), 1);
	assert_int_equal(cls, CW_SSID_MEMBER);
	assert_int_equal(cw_registry_ssid_class(f->admin, "CoworkGuest", &cls, &e), 1);
	assert_int_equal(cls, CW_SSID_GUEST);
	assert_int_equal(cw_registry_ssid_class(f->admin, "Staff", &cls, &e), 1);
	assert_int_equal(cls, CW_SSID_STAFF);
}

static void ssid_class_of_unknown_ssid__returns_0(void **state)
{
	fixture_t *f = *state;
	cw_ssid_class_t cls;
	cw_err_t e = { "" };

	assert_int_equal(cw_registry_ssid_class(f->admin, "Nowhere", &cls, &e), 0);
	/* SSIDs compare exactly: case matters. */
	assert_int_equal(cw_registry_ssid_class(f->admin, "coworkmembers", &cls, &e), 0);
}

static void vlan_plan__is_the_fixture_plan(void **state)
{
	fixture_t *f = *state;
	cw_vlan_plan_t plan;
	cw_err_t e = { "" };

	assert_int_equal(cw_registry_vlan_plan(f->admin, &plan, &e), 1);
	assert_true(cw_vlan_set_contains(&plan.staff, 10));
	assert_true(cw_vlan_set_contains(&plan.staff, 20));
	assert_int_equal(cw_vlan_set_count(&plan.staff), 2);
	assert_int_equal(plan.members.n, 1);
	assert_int_equal(plan.members.r[0].lo, 100);
	assert_int_equal(plan.members.r[0].hi, 189);
	assert_int_equal(plan.shared, 190);
	assert_int_equal(plan.guest, 300);
}

static void vlan_plan_of_empty_registry__returns_0(void **state)
{
	fixture_t *f = *state;
	cw_registry_t *reg = empty_registry(f, "empty.db");
	cw_vlan_plan_t plan;
	cw_err_t e = { "" };

	memset(&plan, 0xff, sizeof(plan));
	assert_int_equal(cw_registry_vlan_plan(reg, &plan, &e), 0);
	assert_int_equal(plan.staff.n, 0);
	assert_int_equal(plan.members.n, 0);
	assert_int_equal(plan.shared, 0);
	assert_int_equal(plan.guest, 0);
	cw_registry_close(reg);
}

/* --- tenants --------------------------------------------------------------------- */

static uint16_t tenant_add_ok(fixture_t *f, const char *name, unsigned vlan)
{
	uint16_t got = 0;
	cw_err_t e = { "" };

	if (cw_admin_tenant_add(f->admin, name, vlan, f->now, &got, &e) < 0) fail_msg("%s", e.msg);
	return got;
}

static void tenant_add__takes_the_lowest_free_vlan(void **state)
{
	fixture_t *f = *state;

	assert_int_equal(tenant_add_ok(f, "beta", 103), 103);
	assert_int_equal(tenant_add_ok(f, "gamma", 0), 101);
	assert_int_equal(tenant_add_ok(f, "delta", 0), 102);
	assert_int_equal(tenant_add_ok(f, "epsilon", 0), 104);
	assert_int_equal(query_int(f->admin, "SELECT vlan FROM tenant WHERE name = 'gamma'"), 101);
}

static void tenant_add_with_free_vlan_in_pool__uses_it(void **state)
{
	fixture_t *f = *state;

	assert_int_equal(tenant_add_ok(f, "beta", 150), 150);
	assert_int_equal(tenant_add_ok(f, "gamma", 189), 189);
	assert_int_equal(query_int(f->admin, "SELECT vlan FROM tenant WHERE name = 'beta'"), 150);
}

static void tenant_add_with_staff_vlan__is_refused(void **state)
{
	fixture_t *f = *state;
	uint16_t got = 0;
	cw_err_t e = { "" };
	char *before = dump_registry(f->admin);

	assert_int_equal(cw_admin_tenant_add(f->admin, "beta", 10, f->now, &got, &e), -1);
	assert_msg(&e, "not in the members pool");
	assert_int_equal(cw_admin_tenant_add(f->admin, "beta", 190, f->now, &got, &e), -1);	/* shared */
	assert_msg(&e, "not in the members pool");
	assert_int_equal(got, 0);
	assert_same_dump(before, f->admin);
	free(before);
}

static void tenant_add_with_taken_vlan__names_the_owner(void **state)
{
	fixture_t *f = *state;
	uint16_t got = 0;
	cw_err_t e = { "" };
	char *before = dump_registry(f->admin);

	assert_int_equal(cw_admin_tenant_add(f->admin, "beta", 100, f->now, &got, &e), -1);
	assert_msg(&e, "VLAN 100");
	assert_msg(&e, "acme");
	assert_same_dump(before, f->admin);
	free(before);
}

static void duplicate_tenant__is_refused(void **state)
{
	fixture_t *f = *state;
	uint16_t got = 0;
	cw_err_t e = { "" };
	char *before = dump_registry(f->admin);

	assert_int_equal(cw_admin_tenant_add(f->admin, "acme", 0, f->now, &got, &e), -1);
	assert_msg(&e, "acme already exists");
	assert_int_equal(cw_admin_tenant_add(f->admin, "acme", 150, f->now, &got, &e), -1);
	assert_msg(&e, "already exists");
	assert_same_dump(before, f->admin);
	free(before);
}

static void tenant_add_when_pool_is_full__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_vlan_plan_t plan;
	uint16_t got = 0;
	cw_err_t e = { "" };
	char *before;

	plan_of(&plan, "10,20", "100-101", 190, 300);
	assert_int_equal(cw_admin_vlan_set(f->admin, &plan, &e), 0);
	assert_int_equal(tenant_add_ok(f, "beta", 0), 101);

	before = dump_registry(f->admin);
	assert_int_equal(cw_admin_tenant_add(f->admin, "gamma", 0, f->now, &got, &e), -1);
	assert_msg(&e, "no free VLAN");
	assert_msg(&e, "2 VLANs");
	assert_same_dump(before, f->admin);
	free(before);
}

static void tenant_add_without_plan__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_registry_t *reg = empty_registry(f, "empty.db");
	uint16_t got = 0;
	cw_err_t e = { "" };

	assert_int_equal(cw_admin_tenant_add(reg, "acme", 0, f->now, &got, &e), -1);
	assert_msg(&e, "no VLAN plan");
	assert_int_equal(cw_admin_tenant_add(reg, "acme", 100, f->now, &got, &e), -1);
	assert_msg(&e, "no VLAN plan");
	assert_int_equal(query_int(reg, "SELECT count(*) FROM tenant"), 0);
	cw_registry_close(reg);
}

/* --- VLAN plan changes -------------------------------------------------------------- */

static void vlan_set_leaving_tenant_outside_pool__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_vlan_plan_t plan, stored;
	cw_err_t e = { "" };
	char *before = dump_registry(f->admin);

	plan_of(&plan, "10,20", "200-289", 190, 300);
	assert_int_equal(cw_admin_vlan_set(f->admin, &plan, &e), -1);
	assert_msg(&e, "tenant acme");
	assert_msg(&e, "VLAN 100");
	assert_same_dump(before, f->admin);
	free(before);

	assert_int_equal(cw_registry_vlan_plan(f->admin, &stored, &e), 1);
	assert_int_equal(stored.members.n, 1);
	assert_int_equal(stored.members.r[0].lo, 100);
	assert_int_equal(stored.members.r[0].hi, 189);
	assert_int_equal(stored.shared, 190);
}

static void overlapping_vlan_plan__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_vlan_plan_t plan;
	cw_err_t e = { "" };
	char *before = dump_registry(f->admin);

	plan_of(&plan, "10,20,100", "100-189", 190, 300);
	assert_int_equal(cw_admin_vlan_set(f->admin, &plan, &e), -1);
	assert_msg(&e, "VLAN 100 is both staff and members");
	plan_of(&plan, "10,20", "100-189", 150, 300);
	assert_int_equal(cw_admin_vlan_set(f->admin, &plan, &e), -1);
	assert_msg(&e, "VLAN 150");
	plan_of(&plan, "10,20", "100-189", 190, 190);
	assert_int_equal(cw_admin_vlan_set(f->admin, &plan, &e), -1);
	assert_msg(&e, "VLAN 190");
	assert_same_dump(before, f->admin);
	free(before);
}

static void valid_vlan_set__is_stored(void **state)
{
	fixture_t *f = *state;
	cw_vlan_plan_t plan, stored;
	cw_err_t e = { "" };

	plan_of(&plan, "10,30-39", "100-149,160-199", 200, 301);
	assert_int_equal(cw_admin_vlan_set(f->admin, &plan, &e), 0);
	assert_int_equal(cw_registry_vlan_plan(f->admin, &stored, &e), 1);
	assert_memory_equal(&stored.staff, &plan.staff, sizeof(plan.staff));
	assert_memory_equal(&stored.members, &plan.members, sizeof(plan.members));
	assert_int_equal(stored.shared, 200);
	assert_int_equal(stored.guest, 301);
	assert_false(cw_vlan_set_contains(&stored.staff, 20));
	/* The next tenant is allocated from the new pool. */
	assert_int_equal(tenant_add_ok(f, "beta", 0), 101);
	assert_int_equal(tenant_add_ok(f, "gamma", 160), 160);
}

/* --- members --------------------------------------------------------------------- */

static void duplicate_member__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_err_t e = { "" };
	char *before = dump_registry(f->admin);

	assert_int_equal(cw_admin_member_add(f->admin, "alice", NULL, f->now, 0, NULL, f->now, &e), -1);
	assert_msg(&e, "alice already exists");
	assert_same_dump(before, f->admin);
	free(before);
}

static void member_of_unknown_tenant__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_err_t e = { "" };
	char *before = dump_registry(f->admin);

	assert_int_equal(cw_admin_member_add(f->admin, "carol", "nope", f->now, 0, NULL, f->now, &e), -1);
	assert_msg(&e, "unknown tenant nope");
	assert_same_dump(before, f->admin);
	free(before);
}

static void member_until_not_after_now__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_err_t e = { "" };
	char *before = dump_registry(f->admin);

	assert_int_equal(cw_admin_member_add(f->admin, "carol", "acme", f->now - 86400, f->now, "2020-01-01",
					     f->now, &e), -1);
	assert_msg(&e, "already past");
	assert_msg(&e, "2020-01-01");
	assert_int_equal(cw_admin_member_add(f->admin, "carol", NULL, f->now - 86400, f->now - 1, "2020-01-01",
					     f->now, &e), -1);
	assert_msg(&e, "already past");
	/* Not after the start either. */
	assert_int_equal(cw_admin_member_add(f->admin, "carol", NULL, f->now + 7200, f->now + 3600, "2030-01-01",
					     f->now, &e), -1);
	assert_msg(&e, "not after the membership's start");
	assert_same_dump(before, f->admin);
	free(before);
}

static void member_with_until__is_stored(void **state)
{
	fixture_t *f = *state;
	cw_member_row_t r;
	cw_err_t e = { "" };

	assert_int_equal(cw_admin_member_add(f->admin, "carol", "acme", f->now, f->now + 86400, "2030-01-01", f->now,
					     &e), 0);
	assert_int_equal(cw_admin_member_get(f->admin, "carol", f->now, &r, &e), 1);
	assert_int_equal(r.valid_from, f->now);
	assert_int_equal(r.valid_until, f->now + 86400);
	assert_string_equal(r.until_date, "2030-01-01");
	assert_int_equal(r.certs_valid, 0);
}

static void member_status__suspends_and_resumes(void **state)
{
	fixture_t *f = *state;
	cw_member_row_t r;
	cw_err_t e = { "" };

	assert_int_equal(cw_admin_member_set_status(f->admin, "alice", CW_MEMBER_SUSPENDED, &e), 0);
	assert_int_equal(cw_admin_member_get(f->admin, "alice", f->now, &r, &e), 1);
	assert_int_equal(r.status, CW_MEMBER_SUSPENDED);
	assert_int_equal(cw_admin_member_set_status(f->admin, "alice", CW_MEMBER_ACTIVE, &e), 0);
	assert_int_equal(cw_admin_member_get(f->admin, "alice", f->now, &r, &e), 1);
	assert_int_equal(r.status, CW_MEMBER_ACTIVE);
}

static void suspending_twice__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_err_t e = { "" };
	char *before;

	assert_int_equal(cw_admin_member_set_status(f->admin, "bob", CW_MEMBER_SUSPENDED, &e), 0);
	before = dump_registry(f->admin);
	assert_int_equal(cw_admin_member_set_status(f->admin, "bob", CW_MEMBER_SUSPENDED, &e), -1);
	assert_msg(&e, "already suspended");
	assert_same_dump(before, f->admin);
	free(before);
}

static void resuming_an_active_member__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_err_t e = { "" };

	assert_int_equal(cw_admin_member_set_status(f->admin, "bob", CW_MEMBER_ACTIVE, &e), -1);
	assert_msg(&e, "already active");
	assert_int_equal(cw_admin_member_set_status(f->admin, "bob", CW_MEMBER_REMOVED, &e), -1);
}

static void status_of_unknown_member__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_err_t e = { "" };

	assert_int_equal(cw_admin_member_set_status(f->admin, "nobody", CW_MEMBER_SUSPENDED, &e), -1);
	assert_msg(&e, "unknown member nobody");
}

static void member_get__shows_tenant_and_valid_certificates(void **state)
{
	fixture_t *f = *state;
	cw_cert_record_t rec;
	cw_member_row_t r;
	cw_err_t e = { "" };

	/* An expired and a revoked certificate do not count. */
	cert_rec(&rec, "a1", "alice", f->now, f->now - 7200, f->now - 1);
	assert_int_equal(cw_admin_cert_insert(f->admin, &rec, &e), 0);
	cert_rec(&rec, "a2", "alice", f->now, f->now - 7200, f->now + 86400);
	assert_int_equal(cw_admin_cert_insert(f->admin, &rec, &e), 0);
	assert_int_equal(cw_admin_cert_revoke(f->admin, "a2", "superseded", f->now, NULL, &e), 0);

	assert_int_equal(cw_admin_member_get(f->admin, "alice", f->now, &r, &e), 1);
	assert_string_equal(r.name, "alice");
	assert_string_equal(r.tenant, "acme");
	assert_int_equal(r.tenant_vlan, 100);
	assert_int_equal(r.status, CW_MEMBER_ACTIVE);
	assert_int_equal(r.valid_from, f->now - 86400);
	assert_int_equal(r.valid_until, 0);
	assert_string_equal(r.until_date, "");
	assert_int_equal(r.created_at, f->now);
	assert_int_equal(r.certs_valid, 1);

	/* Once the fixture's certificate has expired, none is valid. */
	assert_int_equal(cw_admin_member_get(f->admin, "alice", f->not_after + 1, &r, &e), 1);
	assert_int_equal(r.certs_valid, 0);

	assert_int_equal(cw_admin_member_get(f->admin, "bob", f->now, &r, &e), 1);
	assert_string_equal(r.tenant, "");
	assert_int_equal(r.tenant_vlan, 0);
	assert_int_equal(r.certs_valid, 1);

	assert_int_equal(cw_admin_member_get(f->admin, "nobody", f->now, &r, &e), 0);
}

struct names {
	char		name[4][CW_ID_MAX + 1];
	unsigned	certs[4];
	size_t		n;
};

static int collect_member(void *arg, const cw_member_row_t *r)
{
	struct names *nm = arg;

	if (nm->n >= 4) return 99;
	memcpy(nm->name[nm->n], r->name, sizeof(nm->name[0]));
	nm->certs[nm->n] = r->certs_valid;
	nm->n++;
	return 0;
}

static int stop_at_first(void *arg, const cw_member_row_t *r)
{
	(void)r;
	(*(int *)arg)++;
	return 7;
}

static void member_list__is_in_name_order(void **state)
{
	fixture_t *f = *state;
	struct names nm;
	cw_err_t e = { "" };
	int calls = 0;

	assert_int_equal(cw_admin_member_add(f->admin, "aaron", NULL, f->now, 0, NULL, f->now, &e), 0);
	memset(&nm, 0, sizeof(nm));
	assert_int_equal(cw_admin_member_list(f->admin, f->now, collect_member, &nm, &e), 0);
	assert_int_equal(nm.n, 3);
	assert_string_equal(nm.name[0], "aaron");
	assert_string_equal(nm.name[1], "alice");
	assert_string_equal(nm.name[2], "bob");
	assert_int_equal(nm.certs[0], 0);
	assert_int_equal(nm.certs[1], 1);
	assert_int_equal(nm.certs[2], 1);

	/* fn's non-zero return stops the listing and is returned. */
	assert_int_equal(cw_admin_member_list(f->admin, f->now, stop_at_first, &calls, &e), 7);
	assert_int_equal(calls, 1);
}

/* --- certificates ---------------------------------------------------------------- */

static void duplicate_serial__returns_duplicate_and_changes_nothing(void **state)
{
	fixture_t *f = *state;
	cw_cert_record_t rec;
	cw_err_t e = { "" };
	char *before = dump_registry(f->admin);

	cert_rec(&rec, FX_ALICE, "bob", f->now + 1, f->now, f->now + 86400);
	assert_int_equal(cw_admin_cert_insert(f->admin, &rec, &e), CW_ADMIN_DUPLICATE);
	assert_same_dump(before, f->admin);
	free(before);
}

static void cert_for_suspended_member__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_cert_record_t rec;
	cw_err_t e = { "" };
	char *before;

	assert_int_equal(cw_admin_member_set_status(f->admin, "bob", CW_MEMBER_SUSPENDED, &e), 0);
	before = dump_registry(f->admin);
	cert_rec(&rec, "b1", "bob", f->now, f->now, f->now + 86400);
	assert_int_equal(cw_admin_cert_insert(f->admin, &rec, &e), -1);
	assert_msg(&e, "bob is suspended");
	assert_same_dump(before, f->admin);
	free(before);
}

static void cert_for_unknown_member__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_cert_record_t rec;
	cw_err_t e = { "" };
	char *before = dump_registry(f->admin);

	cert_rec(&rec, "c1", "carol", f->now, f->now, f->now + 86400);
	assert_int_equal(cw_admin_cert_insert(f->admin, &rec, &e), -1);
	assert_msg(&e, "unknown member carol");
	assert_same_dump(before, f->admin);
	free(before);
}

struct serials {
	char	serial[4][CW_SERIAL_HEX_MAX + 1];
	char	member[4][CW_ID_MAX + 1];
	size_t	n;
};

static int collect_cert(void *arg, const cw_cert_record_t *rec)
{
	struct serials *s = arg;

	if (s->n >= 4) return 99;
	memcpy(s->serial[s->n], rec->serial, sizeof(s->serial[0]));
	memcpy(s->member[s->n], rec->member, sizeof(s->member[0]));
	s->n++;
	return 0;
}

static void cert_list__is_newest_first_and_filters_by_member(void **state)
{
	fixture_t *f = *state;
	cw_cert_record_t rec;
	struct serials s;
	cw_err_t e = { "" };

	cert_rec(&rec, "b2", "bob", f->now + 10, f->now, f->now + 86400);
	assert_int_equal(cw_admin_cert_insert(f->admin, &rec, &e), 0);

	memset(&s, 0, sizeof(s));
	assert_int_equal(cw_admin_cert_list(f->admin, NULL, collect_cert, &s, &e), 0);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.serial[0], "b2");		/* newest */
	assert_string_equal(s.serial[1], FX_ALICE);	/* same issued_at: by serial */
	assert_string_equal(s.serial[2], FX_BOB);
	assert_string_equal(s.member[1], "alice");

	memset(&s, 0, sizeof(s));
	assert_int_equal(cw_admin_cert_list(f->admin, "bob", collect_cert, &s, &e), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.serial[0], "b2");
	assert_string_equal(s.serial[1], FX_BOB);
	assert_string_equal(s.member[0], "bob");
	assert_string_equal(s.member[1], "bob");
}

static void cert_list_of_unknown_member__is_an_error(void **state)
{
	fixture_t *f = *state;
	struct serials s;
	cw_err_t e = { "" };

	memset(&s, 0, sizeof(s));
	assert_int_equal(cw_admin_cert_list(f->admin, "nobody", collect_cert, &s, &e), -1);
	assert_msg(&e, "unknown member nobody");
	assert_int_equal(s.n, 0);
}

static void cert_get__returns_the_record(void **state)
{
	fixture_t *f = *state;
	cw_cert_record_t rec;
	cw_err_t e = { "" };
	char sha[65];

	assert_int_equal(cw_admin_cert_get(f->admin, FX_BOB, &rec, &e), 1);
	assert_string_equal(rec.member, "bob");
	assert_string_equal(rec.issuer, FX_ISSUER);
	memset(sha, 'a', 64);
	sha[64] = '\0';
	assert_string_equal(rec.sha256, sha);
	assert_int_equal(rec.issued_at, f->now);
	assert_int_equal(rec.revoked_at, 0);
	assert_string_equal(rec.revoke_reason, "");
	assert_int_equal(cw_admin_cert_get(f->admin, "ff", &rec, &e), 0);
}

/* --- certificate lifecycle: renewal, expiry, removal, CRL ------------------------ */

/* Insert a certificate of member valid until not_after; optionally renewing `replaces`. */
static void add_cert(fixture_t *f, const char *serial, const char *member, int64_t issued_at, int64_t not_after,
		     const char *replaces)
{
	cw_cert_record_t rec;
	cw_err_t e = { "" };

	cert_rec(&rec, serial, member, issued_at, f->now - 3600, not_after);
	if (replaces) {
		assert_int_equal(cw_snprintf(rec.replaces, sizeof(rec.replaces), "%s", replaces), 0);
		if (cw_admin_cert_renew(f->admin, &rec, false, f->now, &e) != 0) fail_msg("%s", e.msg);
	} else if (cw_admin_cert_insert(f->admin, &rec, &e) != 0) {
		fail_msg("%s", e.msg);
	}
}

static void renew__records_the_link_and_keeps_the_old_certificate_valid(void **state)
{
	fixture_t *f = *state;
	cw_cert_record_t rec, old;
	cw_err_t e = { "" };

	cert_rec(&rec, "a2", "alice", f->now, f->now - 3600, f->now + 86400);
	assert_int_equal(cw_snprintf(rec.replaces, sizeof(rec.replaces), "%s", FX_ALICE), 0);
	assert_int_equal(cw_admin_cert_renew(f->admin, &rec, false, f->now, &e), 0);
	assert_int_equal(cw_admin_cert_get(f->admin, "a2", &rec, &e), 1);
	assert_string_equal(rec.replaces, FX_ALICE);
	assert_int_equal(cw_admin_cert_get(f->admin, FX_ALICE, &old, &e), 1);
	assert_int_equal(old.revoked_at, 0);
	assert_string_equal(old.replaces, "");
}

static void renew_with_revoke_old__revokes_it_as_superseded(void **state)
{
	fixture_t *f = *state;
	cw_cert_record_t rec, old;
	cw_err_t e = { "" };

	cert_rec(&rec, "a2", "alice", f->now, f->now - 3600, f->now + 86400);
	assert_int_equal(cw_snprintf(rec.replaces, sizeof(rec.replaces), "%s", FX_ALICE), 0);
	assert_int_equal(cw_admin_cert_renew(f->admin, &rec, true, f->now + 5, &e), 0);
	assert_int_equal(cw_admin_cert_get(f->admin, FX_ALICE, &old, &e), 1);
	assert_int_equal(old.revoked_at, f->now + 5);
	assert_string_equal(old.revoke_reason, "superseded");
	assert_int_equal(cw_admin_cert_get(f->admin, "a2", &rec, &e), 1);
	assert_int_equal(rec.revoked_at, 0);
}

/* The revocation of the old certificate fails after the insert: the insert is rolled back too. */
static void renew_with_revoke_old__failing_revocation_leaves_no_new_certificate(void **state)
{
	fixture_t *f = *state;
	cw_cert_record_t rec;
	cw_err_t e = { "" };
	char *before;

	exec_ok(f->admin, "CREATE TEMP TRIGGER no_revoke BEFORE UPDATE OF revoked_at ON cert"
			  " BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
	before = dump_registry(f->admin);
	cert_rec(&rec, "a2", "alice", f->now, f->now - 3600, f->now + 86400);
	assert_int_equal(cw_snprintf(rec.replaces, sizeof(rec.replaces), "%s", FX_ALICE), 0);
	assert_int_equal(cw_admin_cert_renew(f->admin, &rec, true, f->now, &e), -1);
	assert_msg(&e, "injected failure");
	assert_same_dump(before, f->admin);
	free(before);
	assert_int_equal(query_int(f->admin, "SELECT count(*) FROM cert WHERE serial = 'a2'"), 0);
}

static void renew_with_taken_serial__returns_duplicate_and_revokes_nothing(void **state)
{
	fixture_t *f = *state;
	cw_cert_record_t rec;
	cw_err_t e = { "" };
	char *before = dump_registry(f->admin);

	cert_rec(&rec, FX_BOB, "alice", f->now, f->now - 3600, f->now + 86400);
	assert_int_equal(cw_snprintf(rec.replaces, sizeof(rec.replaces), "%s", FX_ALICE), 0);
	assert_int_equal(cw_admin_cert_renew(f->admin, &rec, true, f->now, &e), CW_ADMIN_DUPLICATE);
	assert_same_dump(before, f->admin);
	free(before);
}

static void renew__refusals_change_nothing(void **state)
{
	fixture_t *f = *state;
	cw_cert_record_t rec;
	cw_err_t e = { "" };
	char *before = dump_registry(f->admin);

	cert_rec(&rec, "a2", "alice", f->now, f->now - 3600, f->now + 86400);
	assert_int_equal(cw_admin_cert_renew(f->admin, &rec, true, f->now, &e), -1);
	assert_msg(&e, "must name the certificate it replaces");
	assert_int_equal(cw_snprintf(rec.replaces, sizeof(rec.replaces), "ffff"), 0);
	assert_int_equal(cw_admin_cert_renew(f->admin, &rec, true, f->now, &e), -1);
	assert_msg(&e, "unknown certificate serial ffff");
	assert_int_equal(cw_snprintf(rec.replaces, sizeof(rec.replaces), "%s", FX_BOB), 0);
	assert_int_equal(cw_admin_cert_renew(f->admin, &rec, true, f->now, &e), -1);
	assert_msg(&e, "belongs to bob, not to alice");
	assert_same_dump(before, f->admin);
	free(before);

	assert_int_equal(cw_admin_member_set_status(f->admin, "alice", CW_MEMBER_SUSPENDED, &e), 0);
	before = dump_registry(f->admin);
	assert_int_equal(cw_snprintf(rec.replaces, sizeof(rec.replaces), "%s", FX_ALICE), 0);
	assert_int_equal(cw_admin_cert_renew(f->admin, &rec, true, f->now, &e), -1);
	assert_msg(&e, "alice is suspended: resume");
	assert_same_dump(before, f->admin);
	free(before);
}

static void renew_of_a_revoked_certificate__is_allowed_and_keeps_its_reason(void **state)
{
	fixture_t *f = *state;
	cw_cert_record_t rec, old;
	cw_err_t e = { "" };

	assert_int_equal(cw_admin_cert_revoke(f->admin, FX_ALICE, "key-compromise", f->now - 60, NULL, &e), 0);
	cert_rec(&rec, "a2", "alice", f->now, f->now - 3600, f->now + 86400);
	assert_int_equal(cw_snprintf(rec.replaces, sizeof(rec.replaces), "%s", FX_ALICE), 0);
	assert_int_equal(cw_admin_cert_renew(f->admin, &rec, true, f->now, &e), 0);
	assert_int_equal(cw_admin_cert_get(f->admin, FX_ALICE, &old, &e), 1);
	assert_int_equal(old.revoked_at, f->now - 60);
	assert_string_equal(old.revoke_reason, "key-compromise");
}

struct expiring {
	cw_cert_expiring_t	row[8];
	size_t			n;
};

static int collect_expiring(void *arg, const cw_cert_expiring_t *r)
{
	struct expiring *x = arg;

	if (x->n >= 8) return 99;
	x->row[x->n++] = *r;
	return 0;
}

static void expiring(fixture_t *f, const char *member, int64_t now, unsigned days, struct expiring *x)
{
	cw_err_t e = { "" };

	memset(x, 0, sizeof(*x));
	if (cw_admin_cert_expiring(f->admin, member, now, days, collect_expiring, x, &e) != 0) fail_msg("%s", e.msg);
}

/* The fixture's certificates end at now + 30 days: the window's edges around them. */
static void expiring__window_includes_now_and_excludes_now_plus_days(void **state)
{
	fixture_t *f = *state;
	struct expiring x;

	expiring(f, NULL, f->not_after - 10 * 86400, 10, &x);	/* not_after == now + 10 days: outside */
	assert_int_equal(x.n, 0);
	expiring(f, NULL, f->not_after - 10 * 86400 + 1, 10, &x);	/* one second inside */
	assert_int_equal(x.n, 2);
	expiring(f, NULL, f->not_after, 1, &x);			/* not_after == now: still inside */
	assert_int_equal(x.n, 2);
	expiring(f, NULL, f->not_after + 1, 1, &x);			/* expired: outside */
	assert_int_equal(x.n, 0);
}

static void expiring__is_soonest_first_filters_and_skips_revoked(void **state)
{
	fixture_t *f = *state;
	struct expiring x;
	cw_err_t e = { "" };

	add_cert(f, "b2", "bob", f->now, f->now + 86400, NULL);
	add_cert(f, "b3", "bob", f->now, f->now + 2 * 86400, NULL);
	assert_int_equal(cw_admin_cert_revoke(f->admin, "b3", "unspecified", f->now, NULL, &e), 0);
	expiring(f, NULL, f->now, 30, &x);	/* the fixture's two end exactly at now + 30 days: outside */
	assert_int_equal(x.n, 1);
	assert_string_equal(x.row[0].cert.serial, "b2");
	expiring(f, NULL, f->now, 31, &x);
	assert_int_equal(x.n, 3);
	assert_string_equal(x.row[0].cert.serial, "b2");
	assert_string_equal(x.row[1].cert.serial, FX_ALICE);	/* same not_after: by serial */
	assert_string_equal(x.row[2].cert.serial, FX_BOB);
	expiring(f, "alice", f->now, 31, &x);
	assert_int_equal(x.n, 1);
	assert_string_equal(x.row[0].cert.member, "alice");
	assert_int_equal(x.row[0].member_status, CW_MEMBER_ACTIVE);
}

static void expiring__bad_window_or_unknown_member_is_refused(void **state)
{
	fixture_t *f = *state;
	struct expiring x;
	cw_err_t e = { "" };

	memset(&x, 0, sizeof(x));
	assert_int_equal(cw_admin_cert_expiring(f->admin, NULL, f->now, 0, collect_expiring, &x, &e), -1);
	assert_msg(&e, "1 to 3650 days");
	assert_int_equal(cw_admin_cert_expiring(f->admin, NULL, f->now, 3651, collect_expiring, &x, &e), -1);
	assert_int_equal(cw_admin_cert_expiring(f->admin, "nobody", f->now, 30, collect_expiring, &x, &e), -1);
	assert_msg(&e, "unknown member nobody");
	assert_int_equal(x.n, 0);
}

/* Successors are followed through renewals of renewals; revoked or expired ones do not count. */
static void expiring__renewed_by_is_the_newest_valid_successor(void **state)
{
	fixture_t *f = *state;
	struct expiring x;
	cw_err_t e = { "" };

	expiring(f, "alice", f->now, 31, &x);
	assert_string_equal(x.row[0].renewed_by, "");
	add_cert(f, "a2", "alice", f->now + 1, f->now + 100 * 86400, FX_ALICE);
	add_cert(f, "a3", "alice", f->now + 2, f->now + 200 * 86400, "a2");
	expiring(f, "alice", f->now, 31, &x);
	assert_int_equal(x.n, 1);
	assert_string_equal(x.row[0].renewed_by, "a3");
	assert_int_equal(x.row[0].renewed_until, f->now + 200 * 86400);
	assert_int_equal(cw_admin_cert_revoke(f->admin, "a3", "key-compromise", f->now, NULL, &e), 0);
	expiring(f, "alice", f->now, 31, &x);
	assert_string_equal(x.row[0].renewed_by, "a2");	/* a3 revoked: a2 still renews it */
	assert_int_equal(cw_admin_cert_revoke(f->admin, "a2", "superseded", f->now, NULL, &e), 0);
	expiring(f, "alice", f->now, 31, &x);
	assert_string_equal(x.row[0].renewed_by, "");
	add_cert(f, "a4", "alice", f->now + 3, f->now - 1, "a3");	/* already expired */
	expiring(f, "alice", f->now, 31, &x);
	assert_string_equal(x.row[0].renewed_by, "");
}

/* valid_until is the first second after the membership; the certificate's last second is not_after. */
static void expiring__ends_with_membership_when_the_membership_ends_first(void **state)
{
	fixture_t *f = *state;
	struct expiring x;
	char sql[160];

	expiring(f, "bob", f->now, 31, &x);
	assert_false(x.row[0].ends_with_membership);	/* open-ended */
	assert_int_equal(cw_snprintf(sql, sizeof(sql), "UPDATE member SET valid_until = %lld, until_date = '2030-01-01'"
				     " WHERE name = 'bob'", (long long)(f->not_after + 1)), 0);
	exec_ok(f->admin, sql);
	expiring(f, "bob", f->now, 31, &x);
	assert_true(x.row[0].ends_with_membership);
	assert_int_equal(x.row[0].member_until, f->not_after + 1);
	assert_string_equal(x.row[0].until_date, "2030-01-01");
	assert_int_equal(cw_snprintf(sql, sizeof(sql), "UPDATE member SET valid_until = %lld WHERE name = 'bob'",
				     (long long)(f->not_after + 2)), 0);
	exec_ok(f->admin, sql);
	expiring(f, "bob", f->now, 31, &x);
	assert_false(x.row[0].ends_with_membership);
}

static void member_remove__revokes_every_valid_certificate_and_marks_removed(void **state)
{
	fixture_t *f = *state;
	cw_removal_t r;
	cw_cert_record_t rec;
	cw_member_row_t m;
	cw_err_t e = { "" };

	add_cert(f, "a2", "alice", f->now, f->now + 86400, NULL);
	add_cert(f, "a3", "alice", f->now, f->now + 86400, NULL);
	assert_int_equal(cw_admin_cert_revoke(f->admin, "a3", "key-compromise", f->now - 10, NULL, &e), 0);
	assert_int_equal(cw_admin_member_remove(f->admin, "alice", "cessation-of-operation", f->now, &r, &e), 0);
	assert_int_equal(r.n, 2);
	assert_string_equal(r.serials[0], FX_ALICE);	/* serial order */
	assert_string_equal(r.serials[1], "a2");
	cw_removal_free(&r);
	assert_int_equal(cw_admin_cert_get(f->admin, FX_ALICE, &rec, &e), 1);
	assert_int_equal(rec.revoked_at, f->now);
	assert_string_equal(rec.revoke_reason, "cessation-of-operation");
	assert_int_equal(cw_admin_cert_get(f->admin, "a3", &rec, &e), 1);
	assert_string_equal(rec.revoke_reason, "key-compromise");	/* already revoked: kept */
	assert_int_equal(cw_admin_member_get(f->admin, "alice", f->now, &m, &e), 1);
	assert_int_equal(m.status, CW_MEMBER_REMOVED);
	assert_int_equal(cw_admin_cert_get(f->admin, FX_BOB, &rec, &e), 1);
	assert_int_equal(rec.revoked_at, 0);				/* bob untouched */
}

static void member_remove_twice__is_refused_and_changes_nothing(void **state)
{
	fixture_t *f = *state;
	cw_removal_t r;
	cw_err_t e = { "" };
	char *before;

	assert_int_equal(cw_admin_member_remove(f->admin, "bob", "privilege-withdrawn", f->now, &r, &e), 0);
	cw_removal_free(&r);
	before = dump_registry(f->admin);
	assert_int_equal(cw_admin_member_remove(f->admin, "bob", "cessation-of-operation", f->now + 9, &r, &e), -1);
	assert_msg(&e, "bob is already removed");
	assert_int_equal(r.n, 0);
	assert_null(r.serials);
	assert_int_equal(cw_admin_member_remove(f->admin, "nobody", "cessation-of-operation", f->now, &r, &e), -1);
	assert_msg(&e, "unknown member nobody");
	assert_int_equal(cw_admin_member_remove(f->admin, "alice", "lost", f->now, &r, &e), -1);
	assert_msg(&e, "unknown revocation reason");
	assert_same_dump(before, f->admin);
	free(before);
}

static void removed_member__cannot_be_resumed_suspended_or_given_certificates(void **state)
{
	fixture_t *f = *state;
	cw_removal_t r;
	cw_cert_record_t rec;
	cw_err_t e = { "" };
	char *before;

	assert_int_equal(cw_admin_member_remove(f->admin, "bob", "cessation-of-operation", f->now, &r, &e), 0);
	cw_removal_free(&r);
	before = dump_registry(f->admin);
	assert_int_equal(cw_admin_member_set_status(f->admin, "bob", CW_MEMBER_ACTIVE, &e), -1);
	assert_msg(&e, "bob was removed: removal is final");
	assert_int_equal(cw_admin_member_set_status(f->admin, "bob", CW_MEMBER_SUSPENDED, &e), -1);
	assert_msg(&e, "bob was removed: removal is final");
	cert_rec(&rec, "b2", "bob", f->now, f->now - 3600, f->now + 86400);
	assert_int_equal(cw_admin_cert_insert(f->admin, &rec, &e), -1);
	assert_msg(&e, "bob was removed: a removed member gets no certificate");
	assert_int_equal(cw_snprintf(rec.replaces, sizeof(rec.replaces), "%s", FX_BOB), 0);
	assert_int_equal(cw_admin_cert_renew(f->admin, &rec, false, f->now, &e), -1);
	assert_msg(&e, "removed member gets no certificate");
	assert_same_dump(before, f->admin);
	free(before);
}

static void revoke_reason_code__follows_rfc5280(void **state)
{
	(void)state;
	assert_int_equal(cw_revoke_reason_code("unspecified"), 0);
	assert_int_equal(cw_revoke_reason_code("key-compromise"), 1);
	assert_int_equal(cw_revoke_reason_code("affiliation-changed"), 3);
	assert_int_equal(cw_revoke_reason_code("superseded"), 4);
	assert_int_equal(cw_revoke_reason_code("cessation-of-operation"), 5);
	assert_int_equal(cw_revoke_reason_code("privilege-withdrawn"), 9);
	assert_int_equal(cw_revoke_reason_code("certificate-hold"), -1);
	assert_int_equal(cw_revoke_reason_code(""), -1);
	for (size_t i = 0; cw_revoke_reasons[i]; i++) assert_true(cw_revoke_reason_code(cw_revoke_reasons[i]) >= 0);
}

static const cw_crl_entry_t *crl_entry(const cw_crl_content_t *c, const char *serial)
{
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->entries[i].serial, serial) == 0) return &c->entries[i];
	}
	return NULL;
}

static void crl_prepare__lists_revoked_with_reasons_and_suspended_as_hold(void **state)
{
	fixture_t *f = *state;
	cw_crl_content_t c;
	cw_err_t e = { "" };
	const cw_crl_entry_t *en;

	add_cert(f, "a2", "alice", f->now, f->now + 86400, NULL);
	add_cert(f, "b2", "bob", f->now, f->now + 86400, NULL);
	assert_int_equal(cw_admin_cert_revoke(f->admin, "a2", "key-compromise", f->now - 100, NULL, &e), 0);
	assert_int_equal(cw_admin_cert_revoke(f->admin, "b2", "unspecified", f->now - 50, NULL, &e), 0);
	assert_int_equal(cw_admin_member_set_status(f->admin, "bob", CW_MEMBER_SUSPENDED, &e), 0);
	assert_int_equal(cw_admin_crl_prepare(f->admin, f->now, 7, &c, &e), 0);
	assert_int_equal(c.this_update, f->now);
	assert_int_equal(c.next_update, f->now + 7 * 86400);
	assert_int_equal(c.n, 3);	/* a2, b2 revoked; bob's other one on hold; alice's valid one absent */
	assert_int_equal(c.n_hold, 1);
	assert_null(crl_entry(&c, FX_ALICE));
	assert_non_null(en = crl_entry(&c, "a2"));
	assert_int_equal(en->reason, 1);
	assert_int_equal(en->revoked_at, f->now - 100);
	assert_non_null(en = crl_entry(&c, "b2"));
	assert_int_equal(en->reason, 0);	/* revoked, not held, though bob is suspended */
	assert_non_null(en = crl_entry(&c, FX_BOB));
	assert_int_equal(en->reason, CW_CRL_REASON_HOLD);
	assert_int_equal(en->revoked_at, f->now);
	assert_string_equal(c.entries[0].serial, "a2");	/* serial order */
	cw_crl_content_free(&c);

	assert_int_equal(cw_admin_member_set_status(f->admin, "bob", CW_MEMBER_ACTIVE, &e), 0);
	assert_int_equal(cw_admin_crl_prepare(f->admin, f->now, 7, &c, &e), 0);
	assert_int_equal(c.n, 2);	/* resumed: the hold is gone */
	assert_int_equal(c.n_hold, 0);
	cw_crl_content_free(&c);
}

/* Kept while not_after >= this_update - days; dropped from one second before. */
static void crl_prepare__drops_an_entry_only_days_after_expiry(void **state)
{
	fixture_t *f = *state;
	cw_crl_content_t c;
	cw_err_t e = { "" };
	int64_t t = f->now + 100 * 86400;

	add_cert(f, "a2", "alice", f->now, t - 3 * 86400, NULL);
	add_cert(f, "a3", "alice", f->now, t - 3 * 86400 - 1, NULL);
	assert_int_equal(cw_admin_cert_revoke(f->admin, "a2", "superseded", f->now, NULL, &e), 0);
	assert_int_equal(cw_admin_cert_revoke(f->admin, "a3", "superseded", f->now, NULL, &e), 0);
	assert_int_equal(cw_admin_crl_prepare(f->admin, t, 3, &c, &e), 0);
	assert_non_null(crl_entry(&c, "a2"));
	assert_null(crl_entry(&c, "a3"));
	cw_crl_content_free(&c);
	assert_int_equal(cw_admin_crl_prepare(f->admin, t, 4, &c, &e), 0);
	assert_non_null(crl_entry(&c, "a3"));	/* a longer validity keeps it longer */
	cw_crl_content_free(&c);
}

static void crl_prepare__number_grows_by_one_per_crl(void **state)
{
	fixture_t *f = *state;
	cw_crl_content_t c;
	cw_err_t e = { "" };
	char buf[32];

	for (uint64_t want = 1; want <= 3; want++) {
		assert_int_equal(cw_admin_crl_prepare(f->admin, f->now, 1, &c, &e), 0);
		assert_int_equal(c.number, want);
		cw_crl_content_free(&c);
	}
	assert_int_equal(cw_registry_setting_get(f->admin, "crl_number", buf, sizeof(buf), &e), 1);
	assert_string_equal(buf, "3");
}

static void crl_prepare__refusals_take_no_number(void **state)
{
	fixture_t *f = *state;
	cw_crl_content_t c;
	cw_err_t e = { "" };
	char *before;

	assert_int_equal(cw_admin_crl_prepare(f->admin, f->now, 7, &c, &e), 0);
	cw_crl_content_free(&c);
	before = dump_registry(f->admin);
	assert_int_equal(cw_admin_crl_prepare(f->admin, f->now, 0, &c, &e), -1);
	assert_msg(&e, "1 to 7 days");
	assert_int_equal(cw_admin_crl_prepare(f->admin, f->now, 8, &c, &e), -1);
	assert_same_dump(before, f->admin);
	free(before);
	exec_ok(f->admin, "UPDATE setting SET value = '12x' WHERE key = 'crl_number'");
	before = dump_registry(f->admin);
	assert_int_equal(cw_admin_crl_prepare(f->admin, f->now, 7, &c, &e), -1);
	assert_msg(&e, "crl_number setting \"12x\" is not a CRL number");
	assert_null(c.entries);
	assert_same_dump(before, f->admin);
	free(before);
}

/* --- the reader pool ---------------------------------------------------------------- */

static int64_t tenants_named(cw_registry_t *reg, const char *name)
{
	char sql[128];

	assert_int_equal(cw_snprintf(sql, sizeof(sql), "SELECT count(*) FROM tenant WHERE name = '%s'", name), 0);
	return query_int(reg, sql);
}

static void regpool_get__lends_a_working_connection(void **state)
{
	fixture_t *f = *state;
	cw_regpool_t *pool = NULL;
	cw_regconn_t *c, *again;
	cw_cert_row_t row;
	cw_err_t e = { "" };

	assert_int_equal(cw_regpool_create(f->path, 500, 4, &pool, &e), 0);
	c = cw_regpool_get(pool, &e);
	assert_non_null(c);
	assert_int_equal(cw_registry_cert_lookup(c->reg, FX_ALICE, &row, &e), 1);
	assert_string_equal(row.member, "alice");
	cw_regpool_put(pool, c, false);

	/* The idle connection is lent again. */
	again = cw_regpool_get(pool, &e);
	assert_ptr_equal(again, c);
	assert_int_equal(cw_registry_cert_lookup(again->reg, FX_BOB, &row, &e), 1);
	cw_regpool_put(pool, again, false);
	cw_regpool_free(pool);
}

static void regpool_after_atomic_replace__sees_the_new_file(void **state)
{
	fixture_t *f = *state;
	cw_regpool_t *pool = NULL;
	cw_regconn_t *c;
	fixture_t g;
	cw_err_t e = { "" };

	assert_int_equal(cw_regpool_create(f->path, 500, 4, &pool, &e), 0);
	c = cw_regpool_get(pool, &e);
	assert_non_null(c);
	assert_int_equal(tenants_named(c->reg, "globex"), 0);
	cw_regpool_put(pool, c, false);

	/* coworkctl restore style: a complete new file renamed over the old one. */
	assert_int_equal(fixture_setup(&g), 0);
	assert_int_equal(tenant_add_ok(&g, "globex", 0), 101);
	cw_registry_close(g.admin);
	g.admin = NULL;
	assert_int_equal(rename(g.path, f->path), 0);
	fixture_teardown(&g);

	c = cw_regpool_get(pool, &e);
	if (!c) fail_msg("%s", e.msg);
	assert_int_equal(tenants_named(c->reg, "globex"), 1);
	cw_regpool_put(pool, c, false);
	cw_regpool_free(pool);
}

static void regpool_after_unlink__returns_null_naming_the_path(void **state)
{
	fixture_t *f = *state;
	cw_regpool_t *pool = NULL;
	cw_regconn_t *c;
	cw_err_t e = { "" };

	assert_int_equal(cw_regpool_create(f->path, 500, 4, &pool, &e), 0);
	c = cw_regpool_get(pool, &e);
	assert_non_null(c);
	cw_regpool_put(pool, c, false);

	assert_int_equal(unlink(f->path), 0);
	assert_null(cw_regpool_get(pool, &e));
	assert_msg(&e, f->path);
	assert_msg(&e, "No such file");
	cw_regpool_free(pool);
}

/*
 * The check itself: a registry the server cannot read gives NULL. Runs in
 * the calling process; exits 0 on success (for the forked variant).
 */
static int unreadable_registry_check(const char *path)
{
	cw_regpool_t *pool = NULL;
	cw_err_t e = { "" };
	int rc = 1;

	if (cw_regpool_create(path, 500, 4, &pool, &e) < 0) return 1;
	if (!cw_regpool_get(pool, &e) && strstr(e.msg, path) && strstr(e.msg, "not readable")) rc = 0;
	cw_regpool_free(pool);
	return rc;
}

static void regpool_on_unreadable_file__returns_null(void **state)
{
	fixture_t *f = *state;
	int status;
	pid_t pid;

	assert_int_equal(chmod(f->path, 0), 0);
	if (geteuid() != 0) {
		assert_int_equal(unreadable_registry_check(f->path), 0);
	} else {
		/* Root reads a mode-000 file anyway: check as nobody, as radiusd runs unprivileged. */
		assert_int_equal(chmod(f->dir, 0755), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			if (setgid(65534) < 0 || setuid(65534) < 0) _exit(2);
			_exit(unreadable_registry_check(f->path));
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(chmod(f->path, 0600), 0);
}

/* File descriptors of this process open on path (SQLite keeps one per connection); -1 without /proc. */
static int fds_on(const char *path)
{
	char link[256], target[256];
	struct dirent *d;
	DIR *dp = opendir("/proc/self/fd");
	int n = 0;

	if (!dp) return -1;
	while ((d = readdir(dp)) != NULL) {
		ssize_t len;

		if (d->d_name[0] == '.') continue;
		if (cw_snprintf(link, sizeof(link), "/proc/self/fd/%s", d->d_name) < 0) continue;
		len = readlink(link, target, sizeof(target) - 1);
		if (len < 0) continue;
		target[len] = '\0';
		if (strcmp(target, path) == 0) n++;
	}
	closedir(dp);
	return n;
}

static void regpool_max_idle__bounds_idle_connections(void **state)
{
	fixture_t *f = *state;
	cw_regpool_t *pool = NULL;
	cw_regconn_t *c[3];
	cw_err_t e = { "" };

	assert_int_equal(cw_regpool_create(f->path, 500, 2, &pool, &e), 0);
	for (size_t i = 0; i < 3; i++) {
		c[i] = cw_regpool_get(pool, &e);
		assert_non_null(c[i]);
	}
	for (size_t i = 0; i < 3; i++) cw_regpool_put(pool, c[i], false);
	/* The admin connection and two idle readers (each: SQLite's descriptor and its own, for the
	 * change counter): the third was closed. */
	if (fds_on(f->path) >= 0) assert_int_equal(fds_on(f->path), 1 + 2 * 2);
	/* The two kept are lent again and still work. */
	for (size_t i = 0; i < 2; i++) {
		c[i] = cw_regpool_get(pool, &e);
		assert_non_null(c[i]);
		assert_int_equal(tenants_named(c[i]->reg, "acme"), 1);
	}
	cw_regpool_put(pool, c[0], true);	/* broken: closed, not kept */
	cw_regpool_put(pool, c[1], false);
	cw_regpool_put(pool, NULL, false);
	cw_regpool_free(pool);
	cw_regpool_free(NULL);
}

/* --- the reader's memory (change counter) ------------------------------------------ */

static cw_registry_t *reader(fixture_t *f)
{
	cw_registry_t *r = NULL;
	cw_err_t e = { "" };

	assert_int_equal(cw_registry_open_reader(f->path, 1000, &r, &e), 0);
	return r;
}

static void memo__sees_an_ssid_removed_at_the_next_read(void **state)
{
	fixture_t *f = *state;
	cw_registry_t *r = reader(f);
	cw_ssid_class_t cls;
	cw_err_t e;

	assert_int_equal(cw_registry_ssid_class(r, "CoworkGuest", &cls, &e), 1);
	assert_int_equal(cw_registry_ssid_class(r, "CoworkGuest", &cls, &e), 1);	/* from memory */
	assert_int_equal(cw_admin_ssid_remove(f->admin, "CoworkGuest", &e), 0);
	assert_int_equal(cw_registry_ssid_class(r, "CoworkGuest", &cls, &e), 0);
	cw_registry_close(r);
}

static void memo__sees_a_vlan_plan_change_inside_a_new_read_bracket(void **state)
{
	fixture_t *f = *state;
	cw_registry_t *r = reader(f);
	cw_vlan_plan_t plan;
	cw_err_t e;

	cw_registry_read_begin(r);
	assert_int_equal(cw_registry_vlan_plan(r, &plan, &e), 1);
	assert_int_equal(plan.guest, 300);
	cw_registry_read_end(r);
	plan.guest = 301;
	assert_int_equal(cw_admin_vlan_set(f->admin, &plan, &e), 0);
	cw_registry_read_begin(r);
	assert_int_equal(cw_registry_vlan_plan(r, &plan, &e), 1);
	assert_int_equal(plan.guest, 301);
	cw_registry_read_end(r);
	cw_registry_close(r);
}

static void memo__sees_a_rotation_at_the_next_read(void **state)
{
	fixture_t *f = *state;
	cw_registry_t *r = reader(f);
	cw_psk_row_t rows[CW_PSK_SERVED_MAX];
	cw_rotation_t a, b;
	int64_t warn, last;
	size_t n;
	cw_err_t e;

	assert_int_equal(cw_admin_psk_rotate(f->admin, "CoworkGuest", f->now, false, false, &a, &e), 0);
	assert_int_equal(cw_registry_guest_psks(r, "CoworkGuest", f->now, rows, &n, &warn, &last, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].passphrase, a.current.passphrase);
	assert_int_equal(cw_admin_psk_rotate(f->admin, "CoworkGuest", f->now, true, true, &b, &e), 0);
	assert_int_equal(cw_registry_guest_psks(r, "CoworkGuest", f->now, rows, &n, &warn, &last, &e), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rows[0].passphrase, b.current.passphrase);
	/* The time of each request filters what memory holds: nothing after the end of serving. */
	assert_int_equal(cw_registry_guest_psks(r, "CoworkGuest", b.current.grace_until, rows, &n, &warn, &last, &e), 0);
	assert_int_equal(n, 0);
	assert_int_equal(last, b.current.grace_until);
	cw_wipe(&a, sizeof(a));
	cw_wipe(&b, sizeof(b));
	cw_registry_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(open_admin__creates_file_mode_0600_with_schema_version),
		T(reopened_admin__keeps_data),
		T(newer_schema__is_refused_by_admin_and_reader),
		T(older_schema__is_refused_by_reader),
		T(negative_schema_version__is_refused_by_admin_and_reader),
		T(reader_on_missing_file__says_it_does_not_exist),
		T(reader_on_random_bytes__is_refused),
		T(reader__cannot_write),
		T(cert_lookup__finds_alice_with_her_tenant),
		T(cert_lookup_of_bob__has_no_tenant),
		T(cert_lookup_of_unknown_serial__returns_0),
		T(revoked_cert__lookup_shows_reason_and_time),
		T(revoking_twice__returns_1_and_changes_nothing),
		T(revoke_of_unknown_serial__is_refused),
		T(revoke_with_invalid_reason__is_refused),
		T(cert_lookup__reads_pending_invite),
		T(schema4_registry__migrated_by_admin__is_read_by_the_module),
		T(ssid_class__of_each_registered_ssid),
		T(ssid_class_of_unknown_ssid__returns_0),
		T(vlan_plan__is_the_fixture_plan),
		T(vlan_plan_of_empty_registry__returns_0),
		T(tenant_add__takes_the_lowest_free_vlan),
		T(tenant_add_with_free_vlan_in_pool__uses_it),
		T(tenant_add_with_staff_vlan__is_refused),
		T(tenant_add_with_taken_vlan__names_the_owner),
		T(duplicate_tenant__is_refused),
		T(tenant_add_when_pool_is_full__is_refused),
		T(tenant_add_without_plan__is_refused),
		T(vlan_set_leaving_tenant_outside_pool__is_refused),
		T(overlapping_vlan_plan__is_refused),
		T(valid_vlan_set__is_stored),
		T(duplicate_member__is_refused),
		T(member_of_unknown_tenant__is_refused),
		T(member_until_not_after_now__is_refused),
		T(member_with_until__is_stored),
		T(member_status__suspends_and_resumes),
		T(suspending_twice__is_refused),
		T(resuming_an_active_member__is_refused),
		T(status_of_unknown_member__is_refused),
		T(member_get__shows_tenant_and_valid_certificates),
		T(member_list__is_in_name_order),
		T(duplicate_serial__returns_duplicate_and_changes_nothing),
		T(cert_for_suspended_member__is_refused),
		T(cert_for_unknown_member__is_refused),
		T(cert_list__is_newest_first_and_filters_by_member),
		T(cert_list_of_unknown_member__is_an_error),
		T(cert_get__returns_the_record),
		T(renew__records_the_link_and_keeps_the_old_certificate_valid),
		T(renew_with_revoke_old__revokes_it_as_superseded),
		T(renew_with_revoke_old__failing_revocation_leaves_no_new_certificate),
		T(renew_with_taken_serial__returns_duplicate_and_revokes_nothing),
		T(renew__refusals_change_nothing),
		T(renew_of_a_revoked_certificate__is_allowed_and_keeps_its_reason),
		T(expiring__window_includes_now_and_excludes_now_plus_days),
		T(expiring__is_soonest_first_filters_and_skips_revoked),
		T(expiring__bad_window_or_unknown_member_is_refused),
		T(expiring__renewed_by_is_the_newest_valid_successor),
		T(expiring__ends_with_membership_when_the_membership_ends_first),
		T(member_remove__revokes_every_valid_certificate_and_marks_removed),
		T(member_remove_twice__is_refused_and_changes_nothing),
		T(removed_member__cannot_be_resumed_suspended_or_given_certificates),
		T(revoke_reason_code__follows_rfc5280),
		T(crl_prepare__lists_revoked_with_reasons_and_suspended_as_hold),
		T(crl_prepare__drops_an_entry_only_days_after_expiry),
		T(crl_prepare__number_grows_by_one_per_crl),
		T(crl_prepare__refusals_take_no_number),
		T(regpool_get__lends_a_working_connection),
		T(regpool_after_atomic_replace__sees_the_new_file),
		T(regpool_after_unlink__returns_null_naming_the_path),
		T(regpool_on_unreadable_file__returns_null),
		T(regpool_max_idle__bounds_idle_connections),
		T(memo__sees_an_ssid_removed_at_the_next_read),
		T(memo__sees_a_vlan_plan_change_inside_a_new_read_bracket),
		T(memo__sees_a_rotation_at_the_next_read),
#undef T
	};

	return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
