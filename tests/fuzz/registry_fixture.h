/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * registry_fixture.h - a real registry for the member and guest harnesses,
 * made once per fuzzing process in a fresh temporary directory with the
 * project's own schema and admin functions (VLAN plan, SSIDs, a rotated
 * guest passphrase) plus members and certificates written with SQL, then
 * opened read-only as radiusd opens it. The directory is removed at exit.
 */
#ifndef COWORK_FUZZ_REGISTRY_FIXTURE_H
#define COWORK_FUZZ_REGISTRY_FIXTURE_H

#include <sqlite3.h>
#include <unistd.h>

#include "registry.h"
#include "registry_admin.h"
#include "registry_write.h"
#include "vlan.h"

/* 2026-11-22T00:00:00Z: the harnesses' "now". */
#define FZ_NOW INT64_C(1795305600)

static char fz_dir[64], fz_db[96];

static void fz_registry_remove(void)
{
	char path[128];
	static const char *const files[] = { "registry.db", "registry.db-journal", "log/accesslog.db",
					     "log/accesslog.db-wal", "log/accesslog.db-shm", "log" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", fz_dir, files[i]);
		if (unlink(path) < 0) rmdir(path);
	}
	rmdir(fz_dir);
}

static void fz_die(const char *what, const char *msg)
{
	fprintf(stderr, "registry fixture: %s: %s\n", what, msg);
	exit(1);
}

/* The plan: staff 10,20; members 100-189; shared 190; guest 300. */
static void fz_plan(cw_vlan_plan_t *plan)
{
	cw_err_t e;

	memset(plan, 0, sizeof(*plan));
	if (cw_vlan_set_parse("10,20", &plan->staff, &e) < 0 || cw_vlan_set_parse("100-189", &plan->members, &e) < 0)
		fz_die("VLAN plan", e.msg);
	plan->shared = 190;
	plan->guest = 300;
}

/* Create the registry; return a reader connection on it. */
static cw_registry_t *fz_registry(void)
{
	cw_registry_t *admin, *reader;
	cw_vlan_plan_t plan;
	cw_rotation_t rot;
	cw_err_t e;
	sqlite3 *db;
	char *msg = NULL;

	snprintf(fz_dir, sizeof(fz_dir), "%s/cowork-fuzz.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(fz_dir)) fz_die("mkdtemp", fz_dir);
	atexit(fz_registry_remove);
	snprintf(fz_db, sizeof(fz_db), "%s/registry.db", fz_dir);
	fz_plan(&plan);
	if (cw_registry_open_admin(fz_db, true, &admin, &e) < 0) fz_die("registry", e.msg);
	if (cw_admin_vlan_set(admin, &plan, &e) < 0 ||
	    cw_admin_ssid_add(admin, "CoworkMembers", CW_SSID_MEMBER, FZ_NOW - 86400, &e) < 0 ||
	    cw_admin_ssid_add(admin, "CoworkGuest", CW_SSID_GUEST, FZ_NOW - 86400, &e) < 0 ||
	    cw_admin_ssid_add(admin, "Staff", CW_SSID_STAFF, FZ_NOW - 86400, &e) < 0 ||
	    cw_admin_ssid_add(admin, "GuestNoPsk", CW_SSID_GUEST, FZ_NOW - 86400, &e) < 0 ||
	    cw_admin_psk_rotate(admin, "CoworkGuest", FZ_NOW - 3600, false, false, &rot, &e) < 0)
		fz_die("registry set-up", e.msg);
	cw_wipe(&rot, sizeof(rot));
	cw_registry_close(admin);
	/* Members and certificates as coworkctl would have recorded them. */
	if (sqlite3_open_v2(fz_db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(db,
		"INSERT INTO tenant (id, name, vlan, created_at) VALUES (1, 'acme', 100, 0);"
		"INSERT INTO member (id, name, tenant_id, status, valid_from, created_at) VALUES"
		" (1, 'alice', 1, 'active', 0, 0), (2, 'bob', NULL, 'active', 0, 0),"
		" (3, 'sam', NULL, 'suspended', 0, 0);"
		"INSERT INTO member (id, name, tenant_id, status, valid_from, valid_until, until_date, created_at)"
		" VALUES (4, 'old', NULL, 'active', 0, 1700000000, '2023-11-14', 0);"
		"INSERT INTO cert (serial, member_id, subject, issuer, not_before, not_after, sha256, issued_at,"
		" revoked_at, revoke_reason) VALUES"
		" ('1a2b', 1, '/O=Test Space/CN=alice', '/O=Test Space/CN=Test Space CA', 1700000000, 1900000000,"
		"  '" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" "', 0, NULL, NULL),"
		" ('3c4d', 2, '/O=Test Space/CN=bob', '/O=Test Space/CN=Test Space CA', 1700000000, 1900000000,"
		"  '" "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" "', 0, NULL, NULL),"
		" ('5e6f', 1, '/O=Test Space/CN=alice', '/O=Test Space/CN=Test Space CA', 1700000000, 1900000000,"
		"  '" "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc" "', 0, 1790000000, 'key-compromise'),"
		" ('7a', 3, '/O=Test Space/CN=sam', '/O=Test Space/CN=Test Space CA', 1700000000, 1900000000,"
		"  '" "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd" "', 0, NULL, NULL),"
		" ('8b', 4, '/O=Test Space/CN=old', '/O=Test Space/CN=Test Space CA', 1600000000, 1900000000,"
		"  '" "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee" "', 0, NULL, NULL),"
		" ('9c', 2, '/O=Test Space/CN=bob', '/O=Test Space/CN=Test Space CA', 1600000000, 1700000000,"
		"  '" "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" "', 0, NULL, NULL);",
		NULL, NULL, &msg) != SQLITE_OK)
		fz_die("members and certificates", msg ? msg : sqlite3_errmsg(db));
	sqlite3_close(db);
	if (cw_registry_open_reader(fz_db, 1000, &reader, &e) < 0) fz_die("reader", e.msg);
	return reader;
}

#endif
