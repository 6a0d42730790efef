/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_linksec.c - unit tests for lib/server/linksec.c (the access log's
 * table of sessions' Wi-Fi security: record, summary, retention, also by
 * the module's writer thread on its timer) and for the AKM and cipher
 * columns of access rows (lib/server/accesslog.c), on the fixture's access
 * log in a temporary directory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "accesslog.h"
#include "fixture.h"
#include "linksec.h"
#include "logq.h"

#define T0		((int64_t)1767225600000)	/* 2026-01-01 00:00:00 UTC, in ms */
#define PSK		0x000FAC02u
#define SAE		0x000FAC08u
#define TKIP		0x000FAC02u
#define CCMP		0x000FAC04u

typedef struct env {
	fixture_t	f;
	cw_accesslog_t	*log;
	cw_logq_t	*q;
} env_t;

static int setup(void **state)
{
	env_t *env = calloc(1, sizeof(*env));
	cw_err_t e;

	if (!env) return -1;
	if (fixture_setup(&env->f) < 0) {
		free(env);
		return -1;
	}
	if (cw_accesslog_open(env->f.log_path, false, &env->log, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		fixture_teardown(&env->f);
		free(env);
		return -1;
	}
	*state = env;
	return 0;
}

static int teardown(void **state)
{
	env_t *env = *state;

	cw_logq_stop(env->q);
	cw_accesslog_close(env->log);
	fixture_teardown(&env->f);
	free(env);
	return 0;
}

/* A link row; akm or cipher 0 means not reported. */
static cw_link_row_t link_row(int64_t ts_ms, bool member, const char *ssid, const char *nas, uint32_t akm,
			      uint32_t cipher)
{
	cw_link_row_t r;

	memset(&r, 0, sizeof(r));
	r.ts_ms = ts_ms;
	r.member = member;
	snprintf(r.ssid, sizeof(r.ssid), "%s", ssid);
	snprintf(r.nas, sizeof(r.nas), "%s", nas);
	r.has_akm = akm != 0;
	r.akm = akm;
	r.has_cipher = cipher != 0;
	r.cipher = cipher;
	return r;
}

static void record(env_t *env, cw_link_row_t r)
{
	cw_err_t e;

	if (cw_link_record(env->log, &r, &e) < 0) fail_msg("%s", e.msg);
}

static int64_t raw_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* Summary lines, "class ssid nas akm cipher sessions newest" (akm/cipher "-" when absent), joined by "; ". */
typedef struct text {
	char	buf[1024];
	int	stop_after;	//!< stop (return 7) after this many; 0: never
	int	n;
} text_t;

static int summary_line(void *arg, const cw_link_count_t *c)
{
	text_t *t = arg;
	size_t len = strlen(t->buf);
	char akm[16] = "-", cipher[16] = "-";

	if (c->link.has_akm) snprintf(akm, sizeof(akm), "%08X", c->link.akm);
	if (c->link.has_cipher) snprintf(cipher, sizeof(cipher), "%08X", c->link.cipher);
	snprintf(t->buf + len, sizeof(t->buf) - len, "%s%s %s %s %s %s %lld %lld", len ? "; " : "",
		 c->link.member ? "member" : "guest", c->link.ssid, c->link.nas[0] ? c->link.nas : "-", akm, cipher,
		 (long long)c->sessions, (long long)(c->link.ts_ms - T0));
	return ++t->n == t->stop_after ? 7 : 0;
}

static void summary__counts_by_class_ssid_nas_and_suites_since_a_time(void **state)
{
	env_t *env = *state;
	text_t t = { .buf = "" };
	cw_err_t e;

	record(env, link_row(T0 - 1, false, "CoworkGuest", "ap1", PSK, TKIP));	/* before from_ms: not counted */
	record(env, link_row(T0 + 10, false, "CoworkGuest", "ap1", PSK, TKIP));
	record(env, link_row(T0 + 30, false, "CoworkGuest", "ap1", PSK, TKIP));
	record(env, link_row(T0 + 20, false, "CoworkGuest", "ap1", PSK, CCMP));
	record(env, link_row(T0 + 40, false, "CoworkGuest", "ap1", 0, 0));
	record(env, link_row(T0 + 50, true, "CoworkMembers", "", SAE, CCMP));
	assert_int_equal(cw_link_summary(env->log, T0, summary_line, &t, &e), 0);
	/* NULL sorts first. */
	assert_string_equal(t.buf, "guest CoworkGuest ap1 - - 1 40; "
				   "guest CoworkGuest ap1 000FAC02 000FAC02 2 30; "
				   "guest CoworkGuest ap1 000FAC02 000FAC04 1 20; "
				   "member CoworkMembers - 000FAC08 000FAC04 1 50");
	/* What is not reported is stored as NULL; the nas "" too. */
	assert_int_equal(raw_int(env->f.log_path, "SELECT count(*) FROM link WHERE akm IS NULL AND cipher IS NULL"), 1);
	assert_int_equal(raw_int(env->f.log_path, "SELECT count(*) FROM link WHERE nas IS NULL"), 1);
	assert_int_equal(raw_int(env->f.log_path, "SELECT akm FROM link WHERE class = 'member'"), SAE);
}

static void summary_callback_returning_non_zero__stops_and_is_returned(void **state)
{
	env_t *env = *state;
	text_t t = { .buf = "", .stop_after = 1 };
	cw_err_t e;

	record(env, link_row(T0, false, "CoworkGuest", "ap1", PSK, TKIP));
	record(env, link_row(T0, false, "CoworkGuest", "ap2", PSK, CCMP));
	assert_int_equal(cw_link_summary(env->log, 0, summary_line, &t, &e), 7);
	assert_int_equal(t.n, 1);
}

static void link_row_the_schema_refuses__is_an_error(void **state)
{
	env_t *env = *state;
	cw_link_row_t r = link_row(T0, false, "CoworkGuest", "ap1", PSK, CCMP);
	sqlite3 *db = cw_accesslog_db(env->log);
	cw_err_t e;

	/* A table that lost its row: the insert fails and says so. */
	assert_int_equal(sqlite3_exec(db, "DROP TABLE link", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(cw_link_record(env->log, &r, &e), -1);
	assert_non_null(strstr(e.msg, "Wi-Fi security"));
}

static void purge__deletes_rows_before_the_cutoff_oldest_first_within_the_limit(void **state)
{
	env_t *env = *state;
	int64_t deleted = -1;
	cw_err_t e;

	for (int i = 0; i < 5; i++) record(env, link_row(T0 - 100 + i, false, "CoworkGuest", "old", PSK, CCMP));
	record(env, link_row(T0, false, "CoworkGuest", "new", PSK, CCMP));
	assert_int_equal(cw_link_purge(env->log, T0, 2, &deleted, &e), 0);
	assert_int_equal(deleted, 2);
	assert_int_equal(raw_int(env->f.log_path, "SELECT min(ts_ms) FROM link"), T0 - 98);
	assert_int_equal(cw_link_purge(env->log, T0, 0, &deleted, &e), 0);
	assert_int_equal(deleted, 3);
	/* The row at the cutoff stays. */
	assert_int_equal(raw_int(env->f.log_path, "SELECT count(*) FROM link WHERE nas = 'new'"), 1);
	assert_int_equal(raw_int(env->f.log_path, "SELECT count(*) FROM link"), 1);
}

static void idle_writer__purges_link_rows_past_retention_on_its_timer(void **state)
{
	env_t *env = *state;
	struct timespec ts;
	int64_t now, cutoff;
	cw_err_t e;
	cw_logq_config_t c = {
		.log_path = env->f.log_path,
		.registry_path = env->f.path,
		.flush_ms = 20,
		.batch_max = 8,
		.capacity = 32,
		.purge_limit = 100,
		.purge_interval_s = 1,
		.fail_grace_s = 1,
	};

	clock_gettime(CLOCK_REALTIME, &ts);
	now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	cutoff = cw_retention_cutoff_ms(now, CW_RETENTION_DAYS_DEFAULT);
	record(env, link_row(cutoff - 60000, false, "CoworkGuest", "old-ap", PSK, TKIP));
	record(env, link_row(now, false, "CoworkGuest", "new-ap", PSK, CCMP));
	if (cw_logq_start(&c, &env->q, &e) < 0) fail_msg("%s", e.msg);
	/* No row pushed: only the timer can delete it. Bounded wait. */
	for (int i = 0; i < 80 && raw_int(env->f.log_path, "SELECT count(*) FROM link WHERE nas = 'old-ap'") != 0; i++) {
		usleep(50000);
	}
	assert_int_equal(raw_int(env->f.log_path, "SELECT count(*) FROM link WHERE nas = 'old-ap'"), 0);
	assert_int_equal(raw_int(env->f.log_path, "SELECT count(*) FROM link WHERE nas = 'new-ap'"), 1);
	cw_logq_stop(env->q);
	env->q = NULL;
}

/* The Access-Request's suites go into the access row; absent ones stay NULL. */
static void access_rows__keep_akm_and_cipher_or_null(void **state)
{
	env_t *env = *state;
	cw_access_row_t rows[2];
	cw_err_t e;

	memset(rows, 0, sizeof(rows));
	for (int i = 0; i < 2; i++) {
		rows[i].ts_ms = T0 + i;
		rows[i].clock_error_us = -1;
		snprintf(rows[i].reason, sizeof(rows[i].reason), "accept");
		rows[i].accepted = true;
	}
	rows[0].has_akm = true;
	rows[0].akm = 0xFFFFFFFFu;	/* the largest selector fits the column's CHECK */
	rows[0].has_cipher = true;
	rows[0].cipher = CCMP;
	if (cw_accesslog_append(env->log, rows, 2, 0, 0, NULL, &e) < 0) fail_msg("%s", e.msg);
	assert_int_equal(raw_int(env->f.log_path, "SELECT akm FROM access WHERE ts_ms = 1767225600000"), 0xFFFFFFFFu);
	assert_int_equal(raw_int(env->f.log_path, "SELECT cipher FROM access WHERE ts_ms = 1767225600000"), CCMP);
	assert_int_equal(raw_int(env->f.log_path, "SELECT count(*) FROM access WHERE akm IS NULL AND cipher IS NULL"), 1);
}

typedef struct got {
	cw_access_row_t	r[2];
	int		n;
} got_t;

static int keep_row(void *arg, const cw_access_row_t *row)
{
	got_t *g = arg;

	if (g->n < 2) g->r[g->n] = *row;
	g->n++;
	return 0;
}

static void access_query__reads_akm_and_cipher_back(void **state)
{
	env_t *env = *state;
	cw_access_filter_t all;
	cw_access_row_t row;
	got_t g = { .n = 0 };
	cw_err_t e;

	access_rows__keep_akm_and_cipher_or_null(state);
	memset(&all, 0, sizeof(all));
	if (cw_accesslog_query(env->log, &all, keep_row, &g, &e) < 0) fail_msg("%s", e.msg);
	assert_int_equal(g.n, 2);
	row = g.r[0];
	assert_true(row.has_akm);
	assert_int_equal(row.akm, 0xFFFFFFFFu);
	assert_true(row.has_cipher);
	assert_int_equal(row.cipher, CCMP);
	assert_false(g.r[1].has_akm);
	assert_false(g.r[1].has_cipher);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	static const struct CMUnitTest tests[] = {
		T(summary__counts_by_class_ssid_nas_and_suites_since_a_time),
		T(summary_callback_returning_non_zero__stops_and_is_returned),
		T(link_row_the_schema_refuses__is_an_error),
		T(purge__deletes_rows_before_the_cutoff_oldest_first_within_the_limit),
		T(idle_writer__purges_link_rows_past_retention_on_its_timer),
		T(access_rows__keep_akm_and_cipher_or_null),
		T(access_query__reads_akm_and_cipher_back),
	};
#undef T
	return cmocka_run_group_tests_name("linksec", tests, NULL, NULL);
}
