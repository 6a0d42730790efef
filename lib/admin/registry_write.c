/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * registry_write.c - the registry opened for changes: its schema
 * migrations, write transactions, settings and the pre-signed OCSP
 * answers. coworkctl links it; the module (lib/server only) does not.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "fileio.h"
#include "registry_internal.h"
#include "registry_ocsp.h"
#include "registry_write.h"
#include "sqlutil.h"

/* Generated from sql/registry/NNNN_*.sql by build-aux/sql2c.sh. */
extern const char *const cw_registry_migrations[];
extern const size_t cw_registry_migrations_count;

/* Bring the registry's schema up to date, with termination signals held. */
static int migrate(cw_registry_t *reg, const char *path, cw_err_t *err)
{
	int rc;

	cw_registry_hold_signals(reg);
	rc = cw_sql_migrate(reg->db, cw_registry_migrations, cw_registry_migrations_count, path, "registry", err);
	cw_registry_release_signals(reg);
	return rc;
}

int cw_registry_open_admin(const char *path, bool create, cw_registry_t **out, cw_err_t *err)
{
	cw_registry_t *reg = NULL;
	struct stat st;

	*out = NULL;
	if (create && lstat(path, &st) < 0 && errno == ENOENT &&
	    cw_file_write_new(path, "", 0, 0600, CW_NO_GID, err) < 0) return -1;
	if (cw_registry_open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, &reg, err) < 0) return -1;
	reg->admin = true;
	sqlite3_busy_timeout(reg->db, 10000);
	if (cw_registry_exec(reg, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL;"
		     " PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON",
		     "configuring the registry connection", err) < 0) goto fail;
	if (migrate(reg, path, err) < 0) goto fail;
	if (cw_registry_prepare_all(reg, err) < 0) goto fail;
	*out = reg;
	return 0;

fail:
	cw_registry_close(reg);
	return -1;
}

int cw_registry_begin(cw_registry_t *reg, cw_err_t *err)
{
	cw_registry_hold_signals(reg);
	if (cw_registry_exec(reg, "BEGIN IMMEDIATE", "starting a registry transaction", err) < 0) {
		cw_registry_release_signals(reg);
		return -1;
	}
	return 0;
}

int cw_registry_commit(cw_registry_t *reg, cw_err_t *err)
{
	if (cw_registry_exec(reg, "COMMIT", "committing to the registry", err) < 0) {
		cw_registry_rollback(reg);
		return -1;
	}
	cw_registry_release_signals(reg);
	return 0;
}

int cw_registry_setting_set(cw_registry_t *reg, const char *key, const char *value, cw_err_t *err)
{
	static const char doing[] = "writing a setting";
	sqlite3_stmt *st;
	int rc;

	if (!reg->admin) {
		cw_err_set(err, "the registry is open read-only");
		return -1;
	}
	if (cw_registry_prepare(reg, "INSERT OR REPLACE INTO setting (key, value) VALUES (?1, ?2)", &st, doing,
				err) < 0) return -1;
	rc = cw_sql_bind_text(st, 1, key, SQLITE_OK);
	rc = cw_sql_bind_text(st, 2, value, rc);
	return cw_registry_step_done(reg, st, rc, doing, err) < 0 ? -1 : 0;
}

/* Only for a certificate that is recorded and not revoked, in one statement. */
static const char sql_put[] =
	"INSERT OR REPLACE INTO cert_ocsp (serial, response, produced_at)"
	" SELECT serial, ?2, ?3 FROM cert WHERE serial = ?1 AND revoked_at IS NULL";

int cw_registry_ocsp_put(cw_registry_t *reg, const char *serial, const uint8_t *der, size_t len,
			 int64_t produced_at, cw_err_t *err)
{
	static const char doing[] = "storing a certificate's OCSP answer";
	sqlite3_stmt *st;
	int rc;

	if (!der || len == 0 || len > CW_OCSP_STORED_MAX) {
		cw_err_set(err, "OCSP answer of %s: %zu bytes, must be 1 to %d", serial, len, CW_OCSP_STORED_MAX);
		return -1;
	}
	if (cw_registry_prepare(reg, sql_put, &st, doing, err) < 0) return -1;
	rc = cw_sql_bind_text(st, 1, serial, SQLITE_OK);
	rc = cw_sql_bind_blob(st, 2, der, len, rc);
	rc = cw_sql_bind_int64(st, 3, produced_at, rc);
	rc = cw_registry_step_done(reg, st, rc, doing, err);
	return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}
