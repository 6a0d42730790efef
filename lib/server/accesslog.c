/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * accesslog.c - the access log database.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "accesslog.h"
#include "fileio.h"
#include "sqlutil.h"

/* Generated from sql/accesslog/NNNN_*.sql by build-aux/sql2c.sh. */
extern const char *const cw_accesslog_migrations[];
extern const size_t cw_accesslog_migrations_count;

/* Rows per transaction of a purge: radiusd's writer never waits for more. */
#define PURGE_CHUNK 5000
/* How long a statement waits for another connection's lock. */
#define BUSY_TIMEOUT_MS 5000

struct cw_accesslog {
	sqlite3		*db;
	sqlite3_stmt	*insert;
	sqlite3_stmt	*purge_some;
};

static const char sql_insert[] =
	"INSERT INTO access (ts_ms, clock_synced, clock_error_us, result, reason, class, member, device, nas, ssid,"
	" vlan, serial, akm, cipher) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

static const char sql_purge_some[] =
	"DELETE FROM access WHERE id IN (SELECT id FROM access WHERE ts_ms < ?1 ORDER BY ts_ms LIMIT ?2)";

int cw_accesslog_schema_version(void)
{
	return (int)cw_accesslog_migrations_count;
}

int64_t cw_retention_cutoff_ms(int64_t now_ms, unsigned days)
{
	return now_ms - (int64_t)days * 86400 * 1000;
}

int cw_retention_days(cw_registry_t *reg, unsigned *days, cw_err_t *err)
{
	char buf[16], *end;
	unsigned long v;
	int rc = cw_registry_setting_get(reg, "log_retention_days", buf, sizeof(buf), err);

	*days = CW_RETENTION_DAYS_DEFAULT;
	if (rc <= 0) return rc;
	errno = 0;
	v = strtoul(buf, &end, 10);
	if (errno || *end || buf[0] < '0' || buf[0] > '9' || v < CW_RETENTION_DAYS_MIN || v > CW_RETENTION_DAYS_MAX) {
		cw_err_set(err, "the registry's log_retention_days \"%s\" is not 1 to %d", buf, CW_RETENTION_DAYS_MAX);
		return -1;
	}
	*days = (unsigned)v;
	return 0;
}

void cw_accesslog_close(cw_accesslog_t *log)
{
	if (!log) return;
	sqlite3_finalize(log->insert);
	sqlite3_finalize(log->purge_some);
	sqlite3_close_v2(log->db);
	free(log);
}

int cw_accesslog_writable(cw_accesslog_t *log)
{
	return sqlite3_db_readonly(log->db, "main") == 0;
}


/* PRAGMA secure_delete on this connection: 1 (on), 0 (off), 2 (fast: free pages not zeroed) or -1. */
static int secure_delete_on(sqlite3 *db)
{
	sqlite3_stmt *st;
	int v = -1;

	if (cw_sql_prepare(db, "PRAGMA secure_delete", &st, "reading secure_delete", NULL) < 0) return -1;
	if (cw_sql_step_row(st, SQLITE_OK, "reading secure_delete", NULL) == 1) v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int configure(cw_accesslog_t *log, const char *path, bool create, cw_err_t *err)
{
	int version;

	sqlite3_extended_result_codes(log->db, 1);
	sqlite3_busy_timeout(log->db, BUSY_TIMEOUT_MS);
	/* radiusd can write this file: never let its schema run code in coworkctl. */
	sqlite3_db_config(log->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(log->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	if (sqlite3_exec(log->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA secure_delete = ON",
			 NULL, NULL, NULL) != SQLITE_OK) {
		char doing[4200];

		const char *slash = strrchr(path, '/');

		(void)cw_snprintf(doing, sizeof(doing), "configuring the access log %s", path);
		/* SQLite creates the WAL files beside it: say so when their directory cannot be written. */
		if (slash && (size_t)(slash - path) < sizeof(doing) / 2) {
			char dir[2100];

			(void)cw_snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
			if (access(dir, W_OK) < 0) {
				cw_err_set(err, "%s: its directory %s cannot be written (%s)", doing, dir, strerror(errno));
				return -1;
			}
		}
		cw_sql_err(log->db, err, doing);
		return -1;
	}
	/* secure_delete is per connection, and a SQLite built without it ignores the pragma: check. */
	if (secure_delete_on(log->db) != 1) {
		cw_err_set(err, "access log %s: this SQLite does not zero deleted rows (PRAGMA secure_delete)", path);
		return -1;
	}
	if (create) {
		return cw_sql_migrate(log->db, cw_accesslog_migrations, cw_accesslog_migrations_count, path,
				      "access log", err);
	}
	if (cw_sql_user_version(log->db, &version, err) < 0) return -1;
	if (version != cw_accesslog_schema_version()) {
		cw_err_set(err, "access log %s has schema version %d, this build needs %d%s", path, version,
			   cw_accesslog_schema_version(),
			   version < cw_accesslog_schema_version() ? " (run any coworkctl command to migrate it)"
								   : " (upgrade rlm_cowork)");
		return -1;
	}
	return 0;
}

static const char doing_prepare[] = "preparing access log statements (is this an access log?)";

int cw_accesslog_open(const char *path, bool create, cw_accesslog_t **out, cw_err_t *err)
{
	cw_accesslog_t *log;
	struct stat st;

	*out = NULL;
	if (lstat(path, &st) < 0) {
		if (errno != ENOENT || !create) {
			cw_err_set(err, "access log %s: %s%s", path, strerror(errno),
				   errno == ENOENT ? " (run any coworkctl command to create it)" : "");
			return -1;
		}
		if (cw_file_write_new(path, "", 0, 0600, CW_NO_GID, err) < 0) return -1;
	} else if (!S_ISREG(st.st_mode)) {
		cw_err_set(err, "access log %s is not a regular file", path);
		return -1;
	}
	log = calloc(1, sizeof(*log));
	if (!log) {
		cw_err_set(err, "out of memory");
		return -1;
	}
	if (sqlite3_open_v2(path, &log->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW, NULL) !=
	    SQLITE_OK) {
		cw_err_set(err, "opening access log %s: %s", path, log->db ? sqlite3_errmsg(log->db) : "out of memory");
		goto fail;
	}
	if (configure(log, path, create, err) < 0) goto fail;
	if (cw_sql_prepare_kept(log->db, sql_insert, &log->insert, doing_prepare, err) < 0 ||
	    cw_sql_prepare_kept(log->db, sql_purge_some, &log->purge_some, doing_prepare, err) < 0) goto fail;
	*out = log;
	return 0;

fail:
	cw_accesslog_close(log);
	return -1;
}

static int insert_row(cw_accesslog_t *log, const cw_access_row_t *r)
{
	sqlite3_stmt *st = log->insert;
	int rc;

	rc = cw_sql_bind_int64(st, 1, r->ts_ms, SQLITE_OK);
	rc = cw_sql_bind_int64(st, 2, r->clock_synced, rc);
	rc = r->clock_error_us >= 0 ? cw_sql_bind_int64(st, 3, r->clock_error_us, rc) : cw_sql_bind_null(st, 3, rc);
	rc = cw_sql_bind_text(st, 4, r->accepted ? "accept" : "reject", rc);
	rc = cw_sql_bind_text(st, 5, r->reason, rc);
	rc = cw_sql_bind_text(st, 6, r->member ? "member" : "guest", rc);
	rc = cw_sql_bind_text_opt(st, 7, r->member_id, rc);
	rc = cw_sql_bind_blob(st, 8, r->has_device ? r->device : NULL, sizeof(r->device), rc);
	rc = cw_sql_bind_text_opt(st, 9, r->nas, rc);
	rc = cw_sql_bind_text_opt(st, 10, r->ssid, rc);
	rc = r->vlan ? cw_sql_bind_int64(st, 11, r->vlan, rc) : cw_sql_bind_null(st, 11, rc);
	rc = cw_sql_bind_text_opt(st, 12, r->serial, rc);
	rc = r->has_akm ? cw_sql_bind_int64(st, 13, r->akm, rc) : cw_sql_bind_null(st, 13, rc);
	rc = r->has_cipher ? cw_sql_bind_int64(st, 14, r->cipher, rc) : cw_sql_bind_null(st, 14, rc);
	rc = cw_sql_step(st, rc);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/*
 * Refuse a file renamed or deleted since it was opened (mv, rm, a restore):
 * the open connection would go on writing to it, rows coworkctl never sees.
 * The writer then reopens the path. 0, or -1 with err.
 */
static int check_in_place(cw_accesslog_t *log, cw_err_t *err)
{
	int moved = 0;

	if (sqlite3_file_control(log->db, "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK && moved) {
		cw_err_set(err, "the access log %s was moved or deleted while open", sqlite3_db_filename(log->db, "main"));
		return -1;
	}
	return 0;
}

sqlite3 *cw_accesslog_db(cw_accesslog_t *log)
{
	return log->db;
}

int cw_accesslog_in_place(cw_accesslog_t *log, cw_err_t *err)
{
	return check_in_place(log, err);
}

int cw_accesslog_append(cw_accesslog_t *log, const cw_access_row_t *rows, size_t n, int64_t purge_before_ms,
			unsigned purge_limit, size_t *purged, cw_err_t *err)
{
	sqlite3_stmt *st = log->purge_some;

	if (purged) *purged = 0;
	if (check_in_place(log, err) < 0) return -1;
	if (cw_sql_exec(log->db, "BEGIN IMMEDIATE", "starting an access log transaction", err) < 0) return -1;
	for (size_t i = 0; i < n; i++) {
		if (insert_row(log, &rows[i]) < 0) {
			cw_sql_err(log->db, err, "writing to the access log");
			goto fail;
		}
	}
	if (purge_before_ms > 0 && purge_limit > 0) {
		int rc = cw_sql_bind_int64(st, 1, purge_before_ms, SQLITE_OK);

		if (cw_sql_step(st, cw_sql_bind_int64(st, 2, purge_limit, rc)) != SQLITE_DONE) {
			cw_sql_err(log->db, err, "deleting rows past retention");
			sqlite3_reset(st);
			goto fail;
		}
		sqlite3_reset(st);
		if (purged) *purged = (size_t)sqlite3_changes(log->db);
	}
	if (cw_sql_exec(log->db, "COMMIT", "committing to the access log", err) < 0) goto fail;
	return 0;

fail:
	(void)sqlite3_exec(log->db, "ROLLBACK", NULL, NULL, NULL);
	if (purged) *purged = 0;
	return -1;
}

int cw_accesslog_checkpoint(cw_accesslog_t *log, unsigned wait_ms, cw_err_t *err)
{
	int rc, frames = -1, copied = -1;

	/*
	 * Not through PRAGMA wal_checkpoint: it reports a reader that kept the
	 * WAL busy past the timeout as success, leaving the deleted rows in it.
	 * A shorter wait than a statement's, so radiusd's writer is not held up.
	 */
	sqlite3_busy_timeout(log->db, (int)wait_ms);
	rc = sqlite3_wal_checkpoint_v2(log->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &frames, &copied);
	sqlite3_busy_timeout(log->db, BUSY_TIMEOUT_MS);
	if ((rc & 0xff) == SQLITE_BUSY || (rc == SQLITE_OK && frames != copied)) {
		cw_err_set(err, "a reader of the access log %s kept its WAL, which still holds deleted rows, from being"
			   " truncated", sqlite3_db_filename(log->db, "main"));
		return 1;
	}
	if (rc != SQLITE_OK) {
		cw_sql_err(log->db, err, "truncating the access log's WAL, which still holds deleted rows");
		return -1;
	}
	return 0;
}

int cw_accesslog_purge(cw_accesslog_t *log, int64_t before_ms, int64_t *deleted, cw_err_t *err)
{
	size_t n;

	*deleted = 0;
	do {
		if (cw_accesslog_append(log, NULL, 0, before_ms, PURGE_CHUNK, &n, err) < 0) return -1;
		*deleted += (int64_t)n;
	} while (n == PURGE_CHUNK);
	/* Deleted rows are zeroed in the database (secure_delete); the WAL goes too. */
	return cw_accesslog_checkpoint(log, BUSY_TIMEOUT_MS, err) == 0 ? 0 : -1;
}

static void read_row(sqlite3_stmt *st, cw_access_row_t *r)
{
	char result[16], cls[16];

	memset(r, 0, sizeof(*r));
	r->ts_ms = sqlite3_column_int64(st, 0);
	r->clock_synced = sqlite3_column_int(st, 1) != 0;
	r->clock_error_us = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 2);
	(void)cw_sql_column_text(st, 3, result, sizeof(result));
	r->accepted = strcmp(result, "accept") == 0;
	(void)cw_sql_column_text(st, 4, r->reason, sizeof(r->reason));
	(void)cw_sql_column_text(st, 5, cls, sizeof(cls));
	r->member = strcmp(cls, "member") == 0;
	(void)cw_sql_column_text(st, 6, r->member_id, sizeof(r->member_id));
	r->has_device = cw_sql_column_blob(st, 7, r->device, CW_DEVICE_HASH_LEN);
	(void)cw_sql_column_text(st, 8, r->nas, sizeof(r->nas));
	(void)cw_sql_column_text(st, 9, r->ssid, sizeof(r->ssid));
	r->vlan = (uint16_t)sqlite3_column_int(st, 10);
	(void)cw_sql_column_text(st, 11, r->serial, sizeof(r->serial));
	r->has_akm = sqlite3_column_type(st, 12) != SQLITE_NULL;
	r->akm = (uint32_t)sqlite3_column_int64(st, 12);
	r->has_cipher = sqlite3_column_type(st, 13) != SQLITE_NULL;
	r->cipher = (uint32_t)sqlite3_column_int64(st, 13);
}

/* The SELECT for a filter; parameters ?1 from, ?2 to, ?3 member, ?4 device, ?5 limit. */
static int query_sql(const cw_access_filter_t *f, char *sql, size_t len)
{
	return cw_snprintf(sql, len,
			   "SELECT * FROM (SELECT ts_ms, clock_synced, clock_error_us, result, reason, class, member,"
			   " device, nas, ssid, vlan, serial, akm, cipher, id FROM access WHERE 1%s%s%s%s"
			   " ORDER BY ts_ms DESC, id DESC%s) ORDER BY ts_ms, id",
			   f->from_ms ? " AND ts_ms >= ?1" : "", f->to_ms ? " AND ts_ms < ?2" : "",
			   f->member ? " AND member = ?3" : "", f->has_device ? " AND device = ?4" : "",
			   f->limit ? " LIMIT ?5" : "");
}

int cw_accesslog_query(cw_accesslog_t *log, const cw_access_filter_t *f,
		       int (*fn)(void *arg, const cw_access_row_t *row), void *arg, cw_err_t *err)
{
	char sql[512];
	static const char doing[] = "querying the access log";
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	if (query_sql(f, sql, sizeof(sql)) < 0) {
		cw_sql_err(log->db, err, doing);
		return -1;
	}
	if (cw_sql_prepare(log->db, sql, &st, doing, err) < 0) return -1;
	if (f->from_ms) rc = cw_sql_bind_int64(st, 1, f->from_ms, rc);
	if (f->to_ms) rc = cw_sql_bind_int64(st, 2, f->to_ms, rc);
	if (f->member) rc = cw_sql_bind_text(st, 3, f->member, rc);
	if (f->has_device) rc = cw_sql_bind_blob(st, 4, f->device, CW_DEVICE_HASH_LEN, rc);
	if (f->limit) rc = cw_sql_bind_int64(st, 5, (int64_t)f->limit, rc);
	while ((rc = cw_sql_step_row(st, rc, doing, err)) == 1) {
		cw_access_row_t r;

		read_row(st, &r);
		rc = fn(arg, &r);
		if (rc != 0) break;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

int cw_accesslog_last_accepted(cw_accesslog_t *log, const char *member,
			       int (*fn)(void *arg, const char *serial, int64_t ts_ms), void *arg, cw_err_t *err)
{
	static const char doing[] = "finding when the member's certificates were last accepted";
	sqlite3_stmt *st;
	int rc;

	if (cw_sql_prepare(log->db, "SELECT serial, max(ts_ms) FROM access WHERE member = ?1 AND result = 'accept'"
			   " AND serial IS NOT NULL GROUP BY serial ORDER BY serial", &st, doing, err) < 0) return -1;
	rc = cw_sql_bind_text(st, 1, member, SQLITE_OK);
	while ((rc = cw_sql_step_row(st, rc, doing, err)) == 1) {
		char serial[CW_SERIAL_HEX_MAX + 1];

		(void)cw_sql_column_text(st, 0, serial, sizeof(serial));
		rc = fn(arg, serial, sqlite3_column_int64(st, 1));
		if (rc != 0) break;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

int cw_accesslog_stats(cw_accesslog_t *log, int64_t *rows, int64_t *oldest_ms, cw_err_t *err)
{
	static const char doing[] = "counting access log rows";
	sqlite3_stmt *st;
	int rc;

	if (cw_sql_prepare(log->db, "SELECT count(*), coalesce(min(ts_ms), 0) FROM access", &st, doing, err) < 0) {
		return -1;
	}
	rc = cw_sql_step_row(st, SQLITE_OK, doing, err);
	if (rc == 1) {
		*rows = sqlite3_column_int64(st, 0);
		*oldest_ms = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == 1 ? 0 : -1;
}
