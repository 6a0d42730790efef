/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ship.c - store and forward of the access log to PostgreSQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "central.h"
#include "ship.h"
#include "sqlutil.h"

/* Generated from sql/central/NNNN_*.sql by build-aux/sql2c.sh. */
extern const char *const cw_central_migrations[];
extern const size_t cw_central_migrations_count;

#define COLS 15		//!< a row's columns after the node

static const char sql_rows[] =
	"SELECT id, ts_ms, clock_synced, clock_error_us, result, reason, class, member, device, nas, ssid, vlan, serial,"
	" akm, cipher FROM access WHERE id > ?1 AND ts_ms >= ?2 ORDER BY id LIMIT ?3";

bool cw_ship_node_valid(const char *node)
{
	size_t n = strlen(node);

	if (n == 0 || n > CW_SHIP_NODE_MAX) return false;
	for (size_t i = 0; i < n; i++) {
		char c = node[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');

		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
	}
	return true;
}

/* Run sql (no parameters) expecting want; the result is cleared. 0 or -1. */
static int pg_exec(PGconn *pg, const char *sql, ExecStatusType want, const char *doing, cw_err_t *err)
{
	PGresult *res = PQexec(pg, sql);

	if (PQresultStatus(res) != want) return cw_pg_fail(pg, res, doing, err);
	PQclear(res);
	return 0;
}

/* The central schema's version: 0 when there are no tables yet. 0 or -1. */
static int central_version(PGconn *pg, int *version, cw_err_t *err)
{
	static const char doing[] = "reading the central schema's version";
	PGresult *res = PQexec(pg, "SELECT to_regclass('access_log_schema') IS NOT NULL");

	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) return cw_pg_fail(pg, res, doing, err);
	*version = 0;
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		PQclear(res);
		return 0;
	}
	PQclear(res);
	res = PQexec(pg, "SELECT max(version) FROM access_log_schema");
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) return cw_pg_fail(pg, res, doing, err);
	*version = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int central_create(PGconn *pg, cw_err_t *err)
{
	int version;

	if (pg_exec(pg, "BEGIN", PGRES_COMMAND_OK, "creating the central tables", err) < 0) return -1;
	/* Two shippers with --init at once: the second waits, then sees the tables. */
	if (pg_exec(pg, "SELECT pg_advisory_xact_lock(7236001)", PGRES_TUPLES_OK, "creating the central tables", err) < 0 ||
	    central_version(pg, &version, err) < 0) goto fail;
	for (size_t i = (size_t)version; i < cw_central_migrations_count; i++) {
		if (pg_exec(pg, cw_central_migrations[i], PGRES_COMMAND_OK, "creating the central tables", err) < 0) goto fail;
	}
	if (version < (int)cw_central_migrations_count) {
		char sql[96];

		(void)cw_snprintf(sql, sizeof(sql), "UPDATE access_log_schema SET version = %zu", cw_central_migrations_count);
		if (pg_exec(pg, sql, PGRES_COMMAND_OK, "creating the central tables", err) < 0) goto fail;
	}
	return pg_exec(pg, "COMMIT", PGRES_COMMAND_OK, "creating the central tables", err);
fail:
	PQclear(PQexec(pg, "ROLLBACK"));
	return -1;
}

int cw_ship_connect(const char *conninfo, bool create, PGconn **out, cw_err_t *err)
{
	PGconn *pg = PQconnectdb(conninfo);
	int version = 0;

	*out = NULL;
	if (!pg || PQstatus(pg) != CONNECTION_OK) {
		cw_pg_fail(pg, NULL, "connecting to the central database", err);
		PQfinish(pg);
		return -1;
	}
	if (pg_exec(pg, "SET statement_timeout = 60000", PGRES_COMMAND_OK, "configuring the connection", err) < 0 ||
	    (create && central_create(pg, err) < 0) || central_version(pg, &version, err) < 0) goto fail;
	if (version == 0) {
		cw_err_set(err, "the central database has no access-log tables: run cowork-logship --init once,"
				" as a role that may create them");
		goto fail;
	}
	if (version != CW_SHIP_CENTRAL_VERSION) {
		cw_err_set(err, "the central access log has schema version %d, this build needs %d", version,
			   CW_SHIP_CENTRAL_VERSION);
		goto fail;
	}
	*out = pg;
	return 0;
fail:
	PQfinish(pg);
	return -1;
}

int cw_ship_instance(cw_accesslog_t *log, uint8_t out[CW_SHIP_INSTANCE_LEN], cw_err_t *err)
{
	static const char doing[] = "reading the access log's instance";
	sqlite3_stmt *st;
	int rc;

	if (cw_sql_prepare(cw_accesslog_db(log), "SELECT instance FROM log_instance WHERE one = 1", &st, doing, err) < 0) {
		return -1;
	}
	rc = cw_sql_step_row(st, SQLITE_OK, doing, err);
	if (rc == 1 && !cw_sql_column_blob(st, 0, out, CW_SHIP_INSTANCE_LEN)) {
		cw_err_set(err, "%s: it is not %d bytes", doing, CW_SHIP_INSTANCE_LEN);
		rc = -1;
	} else if (rc == 0) {
		cw_err_set(err, "%s: the access log has none", doing);
	}
	sqlite3_finalize(st);
	return rc == 1 ? 0 : -1;
}

/*
 * Lock the node's row (made at its first shipment, for this file) and
 * read its cursor: 0 with *seq, or -1 with err when the row belongs to
 * another file. Inside the caller's transaction.
 */
static int node_cursor(cw_ship_t *s, int64_t now_ms, int64_t *seq, cw_err_t *err)
{
	static const char doing[] = "reading the node's cursor";
	char inst[2 * CW_SHIP_INSTANCE_LEN + 3], now[24];
	const char *p[3] = { s->node, inst, now };
	PGresult *res;

	cw_pg_bytea(s->instance, CW_SHIP_INSTANCE_LEN, inst);
	(void)cw_snprintf(now, sizeof(now), "%lld", (long long)now_ms);
	res = PQexecParams(s->pg, "INSERT INTO access_log_node (node, instance, shipped_seq, shipped_at_ms)"
			   " VALUES ($1, $2, 0, $3) ON CONFLICT (node) DO NOTHING", 3, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) return cw_pg_fail(s->pg, res, doing, err);
	PQclear(res);
	res = PQexecParams(s->pg, "SELECT instance = $2::bytea, shipped_seq, encode(instance, 'hex')"
			   " FROM access_log_node WHERE node = $1 FOR UPDATE", 2, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) return cw_pg_fail(s->pg, res, doing, err);
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0) {
		cw_err_set(err, "node \"%s\" already ships from another access log (instance %.8s..., this one %.8s...):"
			   " a reinstalled or copied node needs its own --node name", s->node, PQgetvalue(res, 0, 2),
			   inst + 2);
		PQclear(res);
		return -1;
	}
	*seq = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	PQclear(res);
	return 0;
}

/* A column as text, malloc'd; *v NULL for SQL NULL. false when memory ran out or a device hash is malformed. */
static bool col_text(sqlite3_stmt *st, int col, char **v)
{
	char buf[2 * 32 + 3];
	uint8_t device[32];
	const unsigned char *t;

	*v = NULL;
	if (sqlite3_column_type(st, col) == SQLITE_NULL) return true;
	if (col == 2) {
		t = (const unsigned char *)(sqlite3_column_int(st, col) ? "t" : "f");
	} else if (col == 8) {
		if (!cw_sql_column_blob(st, col, device, sizeof(device))) return false;
		cw_pg_bytea(device, sizeof(device), buf);
		t = (const unsigned char *)buf;
	} else {
		t = sqlite3_column_text(st, col);
		if (!t) return false;
	}
	return (*v = strdup((const char *)t)) != NULL;
}

typedef struct batch {
	size_t		n;
	char		**v;		//!< n * COLS values
	const char	**params;	//!< the node, then the values
	int64_t		last;		//!< the last row's id
} batch_t;

static void batch_free(batch_t *b)
{
	for (size_t i = 0; b->v && i < b->n * COLS; i++) free(b->v[i]);
	free(b->v);
	free(b->params);
	memset(b, 0, sizeof(*b));
}

/* Up to s->batch rows after seq not older than cutoff_ms. 0 (b->n may be 0) or -1. */
static int batch_read(cw_ship_t *s, int64_t seq, int64_t cutoff_ms, batch_t *b, cw_err_t *err)
{
	static const char doing[] = "reading the access log";
	sqlite3_stmt *st;
	int rc;

	memset(b, 0, sizeof(*b));
	if (!(b->v = calloc(s->batch * COLS, sizeof(*b->v))) ||
	    !(b->params = calloc(s->batch * COLS + 1, sizeof(*b->params)))) {
		batch_free(b);
		cw_err_set(err, "out of memory");
		return -1;
	}
	if (cw_sql_prepare(cw_accesslog_db(s->log), sql_rows, &st, doing, err) < 0) {
		batch_free(b);
		return -1;
	}
	rc = cw_sql_bind_int64(st, 1, seq, SQLITE_OK);
	rc = cw_sql_bind_int64(st, 2, cutoff_ms, rc);
	rc = cw_sql_bind_int64(st, 3, (int64_t)s->batch, rc);
	while ((rc = cw_sql_step(st, rc)) == SQLITE_ROW) {
		char **v = b->v + b->n * COLS;

		for (int c = 0; c < COLS; c++) {
			if (!col_text(st, c, &v[c])) {
				cw_err_set(err, "%s: row %lld: column %d is malformed or memory ran out", doing,
					   (long long)sqlite3_column_int64(st, 0), c);
				sqlite3_finalize(st);
				b->n++;
				batch_free(b);
				return -1;
			}
		}
		b->last = sqlite3_column_int64(st, 0);
		b->n++;
		rc = SQLITE_OK;
	}
	if (rc != SQLITE_DONE) {
		cw_sql_err(cw_accesslog_db(s->log), err, doing);
		sqlite3_finalize(st);
		batch_free(b);
		return -1;
	}
	sqlite3_finalize(st);
	b->params[0] = s->node;
	for (size_t i = 0; i < b->n * COLS; i++) b->params[i + 1] = b->v[i];
	return 0;
}

/* "INSERT ... VALUES ($1, $2, ...), ($1, $15, ...) ... ON CONFLICT DO NOTHING" for n rows. */
static char *insert_sql(size_t n)
{
	static const char head[] = "INSERT INTO access_log (node, seq, ts_ms, clock_synced, clock_error_us, result,"
				   " reason, class, member, device, nas, ssid, vlan, serial, akm, cipher) VALUES ";
	static const char tail[] = " ON CONFLICT (node, seq) DO NOTHING";
	size_t cap = sizeof(head) + sizeof(tail) + n * (COLS * 9 + 8);
	char *sql = malloc(cap), *p;

	if (!sql) return NULL;
	p = sql + sprintf(sql, "%s", head);
	for (size_t i = 0; i < n; i++) {
		p += sprintf(p, "%s($1", i ? ", " : "");
		for (int c = 0; c < COLS; c++) p += sprintf(p, ", $%zu", 2 + i * COLS + (size_t)c);
		*p++ = ')';
	}
	strcpy(p, tail);
	return sql;
}

/* Send one batch and move the cursor, in one transaction. 0 or -1. */
static int batch_send(cw_ship_t *s, const batch_t *b, int64_t now_ms, int64_t *inserted, cw_err_t *err)
{
	static const char doing[] = "inserting rows into the central access log";
	char *sql = insert_sql(b->n), last[24], now[24];
	const char *p[3] = { s->node, last, now };
	PGresult *res;

	if (!sql) {
		cw_err_set(err, "out of memory");
		return -1;
	}
	res = PQexecParams(s->pg, sql, (int)(b->n * COLS + 1), NULL, b->params, NULL, NULL, 0);
	free(sql);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) return cw_pg_fail(s->pg, res, doing, err);
	*inserted += strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	(void)cw_snprintf(last, sizeof(last), "%lld", (long long)b->last);
	(void)cw_snprintf(now, sizeof(now), "%lld", (long long)now_ms);
	res = PQexecParams(s->pg, "UPDATE access_log_node SET shipped_seq = GREATEST(shipped_seq, $2::bigint),"
			   " shipped_at_ms = $3 WHERE node = $1", 3, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) return cw_pg_fail(s->pg, res, "moving the node's cursor", err);
	PQclear(res);
	return 0;
}

int cw_ship_all(cw_ship_t *s, int64_t cutoff_ms, int64_t now_ms, int64_t *shipped, int64_t *inserted, cw_err_t *err)
{
	*shipped = *inserted = 0;
	if (s->batch == 0 || s->batch > CW_SHIP_BATCH_MAX) s->batch = CW_SHIP_BATCH_MAX;
	for (;;) {
		int64_t seq = 0, ins = 0;
		batch_t b;

		if (pg_exec(s->pg, "BEGIN", PGRES_COMMAND_OK, "starting a shipment", err) < 0) return -1;
		if (node_cursor(s, now_ms, &seq, err) < 0 || batch_read(s, seq, cutoff_ms, &b, err) < 0) goto fail;
		if (b.n == 0) {
			batch_free(&b);
			return pg_exec(s->pg, "COMMIT", PGRES_COMMAND_OK, "ending a shipment", err);
		}
		if (batch_send(s, &b, now_ms, &ins, err) < 0 ||
		    pg_exec(s->pg, "COMMIT", PGRES_COMMAND_OK, "committing a shipment", err) < 0) {
			batch_free(&b);
			goto fail;
		}
		*shipped += (int64_t)b.n;
		*inserted += ins;
		batch_free(&b);
	}
fail:
	PQclear(PQexec(s->pg, "ROLLBACK"));
	return -1;
}

int cw_ship_purge_central(PGconn *pg, int64_t cutoff_ms, int64_t *deleted, cw_err_t *err)
{
	char cut[24];
	const char *p[1] = { cut };
	PGresult *res;

	(void)cw_snprintf(cut, sizeof(cut), "%lld", (long long)cutoff_ms);
	res = PQexecParams(pg, "DELETE FROM access_log WHERE ts_ms < $1", 1, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) return cw_pg_fail(pg, res, "purging the central access log", err);
	*deleted = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return 0;
}
