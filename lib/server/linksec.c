/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linksec.c - the access log's table `link`: sessions' Wi-Fi security.
 */
#include <string.h>

#include <sqlite3.h>

#include "linksec.h"
#include "sqlutil.h"

int cw_link_record(cw_accesslog_t *log, const cw_link_row_t *r, cw_err_t *err)
{
	static const char doing[] = "recording a session's Wi-Fi security";
	sqlite3_stmt *st;
	int rc;

	if (cw_accesslog_in_place(log, err) < 0) return -1;
	if (cw_sql_prepare(cw_accesslog_db(log), "INSERT INTO link (ts_ms, class, ssid, nas, akm, cipher)"
			   " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", &st, doing, err) < 0) return -1;
	rc = cw_sql_bind_int64(st, 1, r->ts_ms, SQLITE_OK);
	rc = cw_sql_bind_text(st, 2, r->member ? "member" : "guest", rc);
	rc = cw_sql_bind_text(st, 3, r->ssid, rc);
	rc = cw_sql_bind_text_opt(st, 4, r->nas, rc);
	rc = r->has_akm ? cw_sql_bind_int64(st, 5, r->akm, rc) : cw_sql_bind_null(st, 5, rc);
	rc = r->has_cipher ? cw_sql_bind_int64(st, 6, r->cipher, rc) : cw_sql_bind_null(st, 6, rc);
	return cw_sql_step_done(st, rc, doing, err) < 0 ? -1 : 0;
}

int cw_link_purge(cw_accesslog_t *log, int64_t cutoff_ms, unsigned limit, int64_t *deleted, cw_err_t *err)
{
	static const char doing[] = "purging sessions' Wi-Fi security";
	sqlite3_stmt *st;
	int rc, n;

	if (deleted) *deleted = 0;
	if (cw_sql_prepare(cw_accesslog_db(log), "DELETE FROM link WHERE id IN (SELECT id FROM link WHERE ts_ms < ?1"
			   " ORDER BY ts_ms LIMIT ?2)", &st, doing, err) < 0) return -1;
	rc = cw_sql_bind_int64(st, 1, cutoff_ms, SQLITE_OK);
	rc = cw_sql_bind_int64(st, 2, limit ? (int64_t)limit : -1, rc);
	n = cw_sql_step_done(st, rc, doing, err);
	if (n < 0) return -1;
	if (deleted) *deleted = n;
	return 0;
}

/* A suite column: false for NULL (or a value no attribute can hold). */
static bool column_suite(sqlite3_stmt *st, int col, uint32_t *out)
{
	int64_t v;

	*out = 0;
	if (sqlite3_column_type(st, col) != SQLITE_INTEGER) return false;
	v = sqlite3_column_int64(st, col);
	if (v < 0 || v > (int64_t)UINT32_MAX) return false;
	*out = (uint32_t)v;
	return true;
}

int cw_link_summary(cw_accesslog_t *log, int64_t from_ms, int (*fn)(void *arg, const cw_link_count_t *c), void *arg,
		    cw_err_t *err)
{
	static const char doing[] = "summing up sessions' Wi-Fi security";
	sqlite3_stmt *st;
	int rc;

	if (cw_sql_prepare(cw_accesslog_db(log), "SELECT class, ssid, nas, akm, cipher, count(*), max(ts_ms) FROM link"
			   " WHERE ts_ms >= ?1 GROUP BY class, ssid, nas, akm, cipher ORDER BY class, ssid, nas, akm, cipher",
			   &st, doing, err) < 0) return -1;
	rc = cw_sql_bind_int64(st, 1, from_ms, SQLITE_OK);
	while ((rc = cw_sql_step_row(st, rc, doing, err)) == 1) {
		cw_link_count_t c;
		char cls[16];

		memset(&c, 0, sizeof(c));
		(void)cw_sql_column_text(st, 0, cls, sizeof(cls));
		c.link.member = strcmp(cls, "member") == 0;
		(void)cw_sql_column_text(st, 1, c.link.ssid, sizeof(c.link.ssid));
		(void)cw_sql_column_text(st, 2, c.link.nas, sizeof(c.link.nas));
		c.link.has_akm = column_suite(st, 3, &c.link.akm);
		c.link.has_cipher = column_suite(st, 4, &c.link.cipher);
		c.sessions = sqlite3_column_int64(st, 5);
		c.link.ts_ms = sqlite3_column_int64(st, 6);
		rc = fn(arg, &c);
		if (rc != 0) break;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}
