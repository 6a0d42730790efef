/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sqlutil.c - statement plumbing, error messages and schema migrations
 * shared by the registry and the access log.
 */
#include <sqlite3.h>

#include <limits.h>
#include <string.h>

#include "sqlutil.h"

void cw_sql_err(sqlite3 *db, cw_err_t *err, const char *doing)
{
	int rc = sqlite3_extended_errcode(db);

	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
		cw_err_set(err, "%s: locked by another process (%s)", doing, sqlite3_errmsg(db));
		return;
	}
	/* The operating system's reason, when there is one (a full disk, a read-only file system). */
	if (sqlite3_system_errno(db) != 0) {
		cw_err_set(err, "%s: %s (%s)", doing, sqlite3_errmsg(db), strerror(sqlite3_system_errno(db)));
		return;
	}
	cw_err_set(err, "%s: %s", doing, sqlite3_errmsg(db));
}

static int prepare_flags(sqlite3 *db, const char *sql, unsigned flags, sqlite3_stmt **st, const char *doing,
			 cw_err_t *err)
{
	*st = NULL;
	if (sqlite3_prepare_v3(db, sql, -1, flags, st, NULL) == SQLITE_OK) return 0;
	cw_sql_err(db, err, doing);
	sqlite3_finalize(*st);
	*st = NULL;
	return -1;
}

int cw_sql_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, const char *doing, cw_err_t *err)
{
	return prepare_flags(db, sql, 0, st, doing, err);
}

int cw_sql_prepare_kept(sqlite3 *db, const char *sql, sqlite3_stmt **st, const char *doing, cw_err_t *err)
{
	return prepare_flags(db, sql, SQLITE_PREPARE_PERSISTENT, st, doing, err);
}

int cw_sql_bind_text(sqlite3_stmt *st, int i, const char *s, int rc)
{
	if (rc != SQLITE_OK) return rc;
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

int cw_sql_bind_text_opt(sqlite3_stmt *st, int i, const char *s, int rc)
{
	return cw_sql_bind_text(st, i, s && *s ? s : NULL, rc);
}

int cw_sql_bind_text_len(sqlite3_stmt *st, int i, const char *s, size_t len, int rc)
{
	if (rc != SQLITE_OK) return rc;
	if (len > INT_MAX) return SQLITE_TOOBIG;
	return s ? sqlite3_bind_text(st, i, s, (int)len, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

int cw_sql_bind_blob(sqlite3_stmt *st, int i, const void *p, size_t len, int rc)
{
	if (rc != SQLITE_OK) return rc;
	if (len > INT_MAX) return SQLITE_TOOBIG;
	return p ? sqlite3_bind_blob(st, i, p, (int)len, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

int cw_sql_bind_int64(sqlite3_stmt *st, int i, int64_t v, int rc)
{
	return rc == SQLITE_OK ? sqlite3_bind_int64(st, i, v) : rc;
}

int cw_sql_bind_null(sqlite3_stmt *st, int i, int rc)
{
	return rc == SQLITE_OK ? sqlite3_bind_null(st, i) : rc;
}

int cw_sql_step(sqlite3_stmt *st, int rc)
{
	return rc == SQLITE_OK ? sqlite3_step(st) : rc;
}

int cw_sql_step_row(sqlite3_stmt *st, int rc, const char *doing, cw_err_t *err)
{
	rc = cw_sql_step(st, rc);
	if (rc == SQLITE_ROW) return 1;
	if (rc == SQLITE_DONE) return 0;
	cw_sql_err(sqlite3_db_handle(st), err, doing);
	return -1;
}

int cw_sql_step_done(sqlite3_stmt *st, int rc, const char *doing, cw_err_t *err)
{
	sqlite3 *db = sqlite3_db_handle(st);

	rc = cw_sql_step(st, rc);
	if (rc != SQLITE_DONE) cw_sql_err(db, err, doing);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? sqlite3_changes(db) : -1;
}

int cw_sql_column_text(sqlite3_stmt *st, int col, char *buf, size_t len)
{
	const unsigned char *s = sqlite3_column_text(st, col);

	return cw_snprintf(buf, len, "%s", s ? (const char *)s : "");
}

bool cw_sql_column_blob(sqlite3_stmt *st, int col, void *buf, size_t len)
{
	const void *p = sqlite3_column_blob(st, col);

	if (!p || (size_t)sqlite3_column_bytes(st, col) != len) return false;
	memcpy(buf, p, len);
	return true;
}

int cw_sql_exec(sqlite3 *db, const char *sql, const char *doing, cw_err_t *err)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		cw_sql_err(db, err, doing);
		return -1;
	}
	return 0;
}

int cw_sql_user_version(sqlite3 *db, int *out, cw_err_t *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		cw_sql_err(db, err, "reading the schema version");
		sqlite3_finalize(st);
		return -1;
	}
	*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

/*
 * A schema version we can migrate from: 0 (a new file) up to count.
 * user_version is any 32-bit integer a file may hold; a negative one would
 * index before the first migration.
 */
static int check_version(const char *path, const char *what, int have, size_t count, cw_err_t *err)
{
	if (have < 0) {
		cw_err_set(err, "%s has an invalid schema version %d: not a %s written by rlm_cowork", path, have, what);
		return -1;
	}
	if ((size_t)have > count) {
		cw_err_set(err, "%s has schema version %d, newer than this build knows (%zu): upgrade rlm_cowork", path,
			   have, count);
		return -1;
	}
	return 0;
}

int cw_sql_migrate(sqlite3 *db, const char *const migrations[], size_t count, const char *path, const char *what,
		   cw_err_t *err)
{
	char pragma[64];
	int have;

	if (cw_sql_user_version(db, &have, err) < 0 || check_version(path, what, have, count, err) < 0) return -1;
	if ((size_t)have == count) return 0;
	if (cw_sql_exec(db, "BEGIN IMMEDIATE", "starting a migration", err) < 0) return -1;
	/* Another process may have migrated it meanwhile, even a newer build. */
	if (cw_sql_user_version(db, &have, err) < 0 || check_version(path, what, have, count, err) < 0) goto fail;
	for (; (size_t)have < count; have++) {
		if (cw_sql_exec(db, migrations[have], "applying a schema migration", err) < 0) goto fail;
	}
	(void)cw_snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %zu", count);
	if (cw_sql_exec(db, pragma, "recording the schema version", err) < 0 ||
	    cw_sql_exec(db, "COMMIT", "committing a migration", err) < 0) goto fail;
	return 0;

fail:
	(void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}
