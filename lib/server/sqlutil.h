/*
 * sqlutil.h - what the registry and the access log share about SQLite:
 * error messages and numbered schema migrations.
 */
#ifndef COWORK_SQLUTIL_H
#define COWORK_SQLUTIL_H

#include <stddef.h>

#include "cowork.h"

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

/* Set err from db's last error, prefixed by what was being done; names a lock when there was one. */
void cw_sql_err(sqlite3 *db, cw_err_t *err, const char *doing);

/* Copy a text column into buf (always terminated; NULL gives ""; cut when longer). */
void cw_sql_column_text(sqlite3_stmt *st, int col, char *buf, size_t len);

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
