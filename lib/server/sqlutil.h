/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sqlutil.h - what the registry and the access log share about SQLite:
 * statement plumbing, error messages and numbered schema migrations. The
 * one place that prepares, binds, steps and reads columns; the rest of
 * lib/ calls these rather than keeping its own copies.
 */
#ifndef COWORK_SQLUTIL_H
#define COWORK_SQLUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cowork.h"

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

/* Set err from db's last error, prefixed by what was being done; names a lock when there was one. */
void cw_sql_err(sqlite3 *db, cw_err_t *err, const char *doing);

/*
 * Prepare sql on db into *st. 0, or -1 with *st NULL and err set by
 * cw_sql_err. Pass err NULL to word the error yourself (the registry's
 * connections use cw_registry_err): db's error is left for you to read.
 * The caller finalizes *st.
 */
int cw_sql_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **st, const char *doing, cw_err_t *err);

/* cw_sql_prepare for a statement kept for the connection's life (SQLITE_PREPARE_PERSISTENT). */
int cw_sql_prepare_kept(sqlite3 *db, const char *sql, sqlite3_stmt **st, const char *doing, cw_err_t *err);

/*
 * Bind helpers, chained through rc: each does nothing and returns rc unless
 * rc is SQLITE_OK, so a statement is bound as one chain and checked once:
 *	rc = cw_sql_bind_text(st, 1, name, SQLITE_OK);
 *	rc = cw_sql_bind_int64(st, 2, now, rc);
 *	n = cw_sql_step_done(st, rc, "adding it", err);
 * Text and blobs are bound SQLITE_STATIC: they must outlive the statement's
 * last step. A NULL pointer binds SQL NULL.
 */
int cw_sql_bind_text(sqlite3_stmt *st, int i, const char *s, int rc);
/* Text, or SQL NULL for NULL and for "". */
int cw_sql_bind_text_opt(sqlite3_stmt *st, int i, const char *s, int rc);
/* len bytes of text that need not be terminated (a secret). */
int cw_sql_bind_text_len(sqlite3_stmt *st, int i, const char *s, size_t len, int rc);
int cw_sql_bind_blob(sqlite3_stmt *st, int i, const void *p, size_t len, int rc);
int cw_sql_bind_int64(sqlite3_stmt *st, int i, int64_t v, int rc);
int cw_sql_bind_null(sqlite3_stmt *st, int i, int rc);

/* Step st once when rc is SQLITE_OK: SQLITE_ROW, SQLITE_DONE or the error; rc otherwise. */
int cw_sql_step(sqlite3_stmt *st, int rc);

/*
 * The one-row query: step st (when rc is SQLITE_OK) and say 1 when it gave
 * a row (left for the caller to read, then reset or finalize), 0 when none,
 * -1 with err (cw_sql_err; NULL err: the caller words it). Also the step of
 * a listing loop.
 */
int cw_sql_step_row(sqlite3_stmt *st, int rc, const char *doing, cw_err_t *err);

/*
 * Run a statement without rows to its end and finalize it: rows changed,
 * or -1 with err (cw_sql_err; NULL err: the caller words it from the
 * connection's error, which finalizing keeps).
 */
int cw_sql_step_done(sqlite3_stmt *st, int rc, const char *doing, cw_err_t *err);

/*
 * Copy a text column into buf, always terminated; NULL gives "". 0, or -1
 * when it was longer and was cut (callers that refuse a long value check it).
 */
int cw_sql_column_text(sqlite3_stmt *st, int col, char *buf, size_t len);

/* Copy a blob column of exactly len bytes into buf: true; false (buf untouched) for NULL or any other size. */
bool cw_sql_column_blob(sqlite3_stmt *st, int col, void *buf, size_t len);

/* Run SQL without results. 0, or -1 with err. */
int cw_sql_exec(sqlite3 *db, const char *sql, const char *doing, cw_err_t *err);

/* PRAGMA user_version. 0, or -1 with err. */
int cw_sql_user_version(sqlite3 *db, int *out, cw_err_t *err);

/*
 * Bring the schema of db (the file at path, a `what` such as "registry")
 * to `count` migrations: apply migrations[user_version .. count) and set
 * user_version = count, all in one BEGIN IMMEDIATE transaction (a crash
 * leaves the previous schema). Refuses a negative version or one newer
 * than count. The caller holds any signals it wants held. 0, or -1.
 */
int cw_sql_migrate(sqlite3 *db, const char *const migrations[], size_t count, const char *path, const char *what,
		   cw_err_t *err);

#endif
