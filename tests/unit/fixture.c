/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fixture.c - a real registry in a temporary directory for unit tests.
 */
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fileio.h"
#include "fixture.h"
#include "registry_write.h"
#include "timeutil.h"

static int add_cert(fixture_t *f, const char *serial, const char *member, cw_err_t *e)
{
	cw_cert_record_t rec;

	memset(&rec, 0, sizeof(rec));
	snprintf(rec.serial, sizeof(rec.serial), "%s", serial);
	snprintf(rec.member, sizeof(rec.member), "%s", member);
	snprintf(rec.subject, sizeof(rec.subject), "/O=Test/CN=%s", member);
	snprintf(rec.issuer, sizeof(rec.issuer), "%s", FX_ISSUER);
	memset(rec.sha256, 'a', 64);
	rec.not_before = f->now - 3600;
	rec.not_after = f->not_after;
	rec.issued_at = f->now;
	return cw_admin_cert_insert(f->admin, &rec, e);
}

/* The device key and an empty access log, as `coworkctl init` makes them. */
static int make_log(fixture_t *f, cw_err_t *e)
{
	uint8_t key[CW_DEVICE_KEY_LEN];
	cw_accesslog_t *log;
	char path[128];

	memset(key, 0x5a, sizeof(key));
	snprintf(path, sizeof(path), "%s/device.key", f->dir);
	if (cw_file_write_new(path, key, sizeof(key), 0600, CW_NO_GID, e) < 0) return -1;
	snprintf(f->log_path, sizeof(f->log_path), "%s/log/accesslog.db", f->dir);
	snprintf(path, sizeof(path), "%s/log", f->dir);
	if (mkdir(path, 0700) < 0) {
		cw_err_set(e, "mkdir %s failed", path);
		return -1;
	}
	if (cw_accesslog_open(f->log_path, true, &log, e) < 0) return -1;
	cw_accesslog_close(log);
	return 0;
}

int fixture_setup(fixture_t *f)
{
	cw_vlan_plan_t plan;
	uint16_t vlan;
	cw_err_t e;

	memset(f, 0, sizeof(*f));
	f->now = (int64_t)time(NULL);
	f->not_after = f->now + 30 * 86400;
	snprintf(f->dir, sizeof(f->dir), "/tmp/cowork-unit.XXXXXX");
	if (!mkdtemp(f->dir)) {
		perror("mkdtemp");
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/registry.db", f->dir);
	memset(&plan, 0, sizeof(plan));
	if (cw_registry_open_admin(f->path, true, &f->admin, &e) < 0 ||
	    cw_vlan_set_parse("10,20", &plan.staff, &e) < 0 || cw_vlan_set_parse("100-189", &plan.members, &e) < 0)
		goto fail;
	plan.shared = 190;
	plan.guest = 300;
	if (cw_admin_vlan_set(f->admin, &plan, &e) < 0 ||
	    cw_admin_ssid_add(f->admin, "CoworkMembers", CW_SSID_MEMBER, f->now, &e) < 0 ||
	    cw_admin_ssid_add(f->admin, "CoworkGuest", CW_SSID_GUEST, f->now, &e) < 0 ||
	    cw_admin_ssid_add(f->admin, "Staff", CW_SSID_STAFF, f->now, &e) < 0 ||
	    cw_admin_tenant_add(f->admin, "acme", 0, f->now, &vlan, &e) < 0 ||
	    cw_admin_member_add(f->admin, "alice", "acme", f->now - 86400, 0, NULL, f->now, &e) < 0 ||
	    cw_admin_member_add(f->admin, "bob", NULL, f->now - 86400, 0, NULL, f->now, &e) < 0 ||
	    add_cert(f, FX_ALICE, "alice", &e) != 0 || add_cert(f, FX_BOB, "bob", &e) != 0 ||
	    make_log(f, &e) < 0)
		goto fail;
	return 0;

fail:
	fprintf(stderr, "fixture: %s\n", e.msg);
	fixture_teardown(f);
	return -1;
}

/* Run one statement with ?1 = serial and ?2 = the fixture's time; 0 when it changed one row. */
static int exec_one(fixture_t *f, const char *sql, const char *serial)
{
	sqlite3 *db = cw_registry_db(f->admin);
	sqlite3_stmt *st = NULL;
	int rc = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC) == SQLITE_OK &&
	    sqlite3_bind_int64(st, 2, f->now) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE &&
	    sqlite3_changes(db) == 1) rc = 0;
	sqlite3_finalize(st);
	return rc;
}

int64_t fixture_make_pending(fixture_t *f, const char *serial, cw_err_t *e)
{
	int64_t id;

	if (exec_one(f, "INSERT INTO invite (lookup, member_id, devices, created_at, expires_at)"
		     " SELECT lower(hex(randomblob(32))), member_id, 1, ?2, ?2 + 3600 FROM cert WHERE serial = ?1", serial) < 0) {
		cw_err_set(e, "making %s pending: %s", serial, sqlite3_errmsg(cw_registry_db(f->admin)));
		return -1;
	}
	id = sqlite3_last_insert_rowid(cw_registry_db(f->admin));
	if (exec_one(f, "UPDATE cert SET pending_invite = last_insert_rowid() WHERE serial = ?1 AND ?2 = ?2", serial) < 0) {
		cw_err_set(e, "making %s pending: %s", serial, sqlite3_errmsg(cw_registry_db(f->admin)));
		return -1;
	}
	return id;
}

/* Unlink every entry of dir: tests leave other files there (a second registry, ...). */
static void empty_dir(const char *dir)
{
	char path[512];
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp) return;
	while ((d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0) continue;
		if (cw_snprintf(path, sizeof(path), "%s/%s", dir, d->d_name) == 0) (void)unlink(path);
	}
	closedir(dp);
}

void fixture_teardown(fixture_t *f)
{
	char logdir[128];

	cw_registry_close(f->admin);
	f->admin = NULL;
	if (!f->dir[0]) return;
	snprintf(logdir, sizeof(logdir), "%s/log", f->dir);
	empty_dir(logdir);
	(void)rmdir(logdir);
	empty_dir(f->dir);
	(void)rmdir(f->dir);
	f->dir[0] = '\0';
}

void fixture_input(const fixture_t *f, cw_member_input_t *in, const char *serial, const char *member,
		   const char *station, char *subject_buf, size_t subject_len, char exp_buf[16])
{
	memset(in, 0, sizeof(*in));
	snprintf(subject_buf, subject_len, "/O=Test/CN=%s", member);
	if (cw_asn1_time_format(f->not_after, exp_buf) < 0) exp_buf[0] = '\0';
	in->serial = serial;
	in->serial_len = strlen(serial);
	in->subject = subject_buf;
	in->subject_len = strlen(subject_buf);
	in->issuer = FX_ISSUER;
	in->issuer_len = strlen(FX_ISSUER);
	in->expiration = exp_buf;
	in->expiration_len = strlen(exp_buf);
	in->called_station = station;
	in->called_station_len = station ? strlen(station) : 0;
}
