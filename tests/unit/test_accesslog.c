/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_accesslog.c - unit tests for lib/server/accesslog.c (the access log
 * database: retention, append, purge, WAL truncation, query, open) and
 * lib/server/logq.c (the module's writer thread, its retention timer), on the
 * fixture's registry and access log in a temporary directory.
 *
 * The logq tests run the real writer thread; every wait is bounded (a few
 * seconds at most) so a broken writer fails a test instead of hanging it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "accesslog.h"
#include "devhash.h"
#include "fixture.h"
#include "logq.h"
#include "registry_write.h"

#define DAY_MS		(86400 * (int64_t)1000)
#define T0		((int64_t)1767225600000)	/* 2026-01-01 00:00:00 UTC, in ms */
#define OLD_MARKER	"SECRET-NAS-MARKER-"

typedef struct reports {
	pthread_mutex_t	lock;
	int		errors;		//!< report(is_error 1) calls
	int		recoveries;	//!< report(is_error 0) calls
	char		last[512];	//!< the last message
} reports_t;

typedef struct env {
	fixture_t	f;
	cw_accesslog_t	*log;		//!< opened by log_open(), closed by teardown
	cw_logq_t	*q;		//!< stopped by teardown when a test failed before stopping it
	reports_t	reports;
	char		logdir[128];	//!< f.dir/log
	uint8_t		key[CW_DEVICE_KEY_LEN];
} env_t;

/* Rows handed to a query callback, in order. */
typedef struct rowvec {
	cw_access_row_t	*v;
	size_t		n;
	size_t		cap;
} rowvec_t;

static int setup(void **state)
{
	env_t *env = calloc(1, sizeof(*env));
	char path[160];
	cw_err_t e;

	if (!env) return -1;
	if (fixture_setup(&env->f) < 0) {
		free(env);
		return -1;
	}
	pthread_mutex_init(&env->reports.lock, NULL);
	snprintf(env->logdir, sizeof(env->logdir), "%s/log", env->f.dir);
	snprintf(path, sizeof(path), "%s/device.key", env->f.dir);
	if (cw_device_key_load(path, env->key, &e) < 0) {
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
	char path[160];

	cw_logq_stop(env->q);
	cw_accesslog_close(env->log);
	/* Undo what a failed test may have left: fixture_teardown only unlinks files. */
	(void)chmod(env->logdir, 0700);
	(void)rmdir(env->f.log_path);
	snprintf(path, sizeof(path), "%s/adir.db", env->logdir);
	(void)rmdir(path);
	fixture_teardown(&env->f);
	pthread_mutex_destroy(&env->reports.lock);
	free(env);
	return 0;
}

static void on_report(void *ctx, int is_error, const char *msg)
{
	reports_t *r = ctx;

	pthread_mutex_lock(&r->lock);
	if (is_error) {
		r->errors++;
	} else {
		r->recoveries++;
	}
	snprintf(r->last, sizeof(r->last), "%s", msg);
	pthread_mutex_unlock(&r->lock);
}

static void reports_get(reports_t *r, int *errors, int *recoveries, char *last, size_t len)
{
	pthread_mutex_lock(&r->lock);
	*errors = r->errors;
	*recoveries = r->recoveries;
	if (last) snprintf(last, len, "%s", r->last);
	pthread_mutex_unlock(&r->lock);
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR) {}
}

static void log_open(env_t *env)
{
	cw_err_t e;

	if (cw_accesslog_open(env->f.log_path, false, &env->log, &e) < 0) fail_msg("%s", e.msg);
}

/* A guest reject with nothing optional: the smallest row there is. */
static void plain_row(cw_access_row_t *r, int64_t ts_ms, const char *nas)
{
	memset(r, 0, sizeof(*r));
	r->ts_ms = ts_ms;
	r->clock_synced = true;
	r->clock_error_us = 1000;
	snprintf(r->reason, sizeof(r->reason), "bad-ssid");
	snprintf(r->nas, sizeof(r->nas), "%s", nas);
}

/* A member accept: member id, device (the hash of mac), serial, VLAN 100. */
static void member_row(env_t *env, cw_access_row_t *r, int64_t ts_ms, const char *member, const char *mac,
		       const char *serial)
{
	cw_err_t e;

	plain_row(r, ts_ms, "ap-1");
	r->accepted = true;
	snprintf(r->reason, sizeof(r->reason), "accept");
	r->member = true;
	snprintf(r->member_id, sizeof(r->member_id), "%s", member);
	if (mac) {
		if (cw_device_hash_text(env->key, mac, strlen(mac), r->device, &e) < 0) fail_msg("%s", e.msg);
		r->has_device = true;
	}
	snprintf(r->ssid, sizeof(r->ssid), "CoworkMembers");
	r->vlan = 100;
	snprintf(r->serial, sizeof(r->serial), "%s", serial);
}

static void append(env_t *env, const cw_access_row_t *rows, size_t n)
{
	cw_err_t e;

	if (cw_accesslog_append(env->log, rows, n, 0, 0, NULL, &e) < 0) fail_msg("%s", e.msg);
}

static int collect(void *arg, const cw_access_row_t *row)
{
	rowvec_t *rv = arg;

	if (rv->n == rv->cap) {
		size_t cap = rv->cap ? 2 * rv->cap : 64;
		cw_access_row_t *v = realloc(rv->v, cap * sizeof(*v));

		if (!v) return -1;
		rv->v = v;
		rv->cap = cap;
	}
	rv->v[rv->n++] = *row;
	return 0;
}

static void query(cw_accesslog_t *log, const cw_access_filter_t *f, rowvec_t *rv)
{
	cw_err_t e;

	rv->n = 0;
	if (cw_accesslog_query(log, f, collect, rv, &e) != 0) fail_msg("%s", e.msg);
}

/* Query the file through a connection of its own (the writer thread has another). */
static void query_file(const char *path, rowvec_t *rv)
{
	cw_access_filter_t all;
	cw_accesslog_t *log;
	cw_err_t e;

	memset(&all, 0, sizeof(all));
	if (cw_accesslog_open(path, false, &log, &e) < 0) fail_msg("%s", e.msg);
	rv->n = 0;
	if (cw_accesslog_query(log, &all, collect, rv, &e) != 0) {
		cw_accesslog_close(log);
		fail_msg("%s", e.msg);
	}
	cw_accesslog_close(log);
}

static int64_t stats_rows(cw_accesslog_t *log)
{
	int64_t rows, oldest;
	cw_err_t e;

	if (cw_accesslog_stats(log, &rows, &oldest, &e) < 0) fail_msg("%s", e.msg);
	return rows;
}

/* A plain SQLite connection beside the library's, as another process would have. */
static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fail_msg("sqlite3_open_v2 %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
	}
	sqlite3_busy_timeout(db, 1000);
	return db;
}

/* The first column of the first row of sql, as an integer (-1 when there is no row). */
static int64_t raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v = -1;

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void raw_exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(db));
}

/* Rows in the file as another connection sees them; -1 when it cannot tell. */
static int64_t rows_in_file(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 500);
		if (sqlite3_prepare_v2(db, "SELECT count(*) FROM access", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return n;
}

/* Wait up to ms for the file to hold n rows; whether it did. */
static bool wait_for_rows(const char *path, int64_t n, unsigned ms)
{
	int64_t until = now_ms() + ms;

	for (;;) {
		if (rows_in_file(path) == n) return true;
		if (now_ms() >= until) return false;
		sleep_ms(10);
	}
}

/* Wait up to ms for the writer to report recovery; whether it did. */
static bool wait_for_recovery(reports_t *r, unsigned ms)
{
	int64_t until = now_ms() + ms;
	int errors, recoveries;

	for (;;) {
		reports_get(r, &errors, &recoveries, NULL, 0);
		if (recoveries > 0) return true;
		if (now_ms() >= until) return false;
		sleep_ms(10);
	}
}

/* Whether the file holds needle anywhere in its bytes; false when it does not exist. */
static bool file_contains(const char *path, const char *needle)
{
	FILE *fp = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	bool found;

	if (!fp) return false;
	do {
		if (len == cap) {
			char *nb;

			cap = cap ? 2 * cap : 1 << 20;
			nb = realloc(buf, cap);
			assert_non_null(nb);
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, fp);
		len += got;
	} while (got > 0);
	assert_false(ferror(fp));
	fclose(fp);
	found = memmem(buf, len, needle, strlen(needle)) != NULL;
	free(buf);
	return found;
}

/* Size of a file, -1 when it does not exist. */
static long long file_size(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		assert_int_equal(errno, ENOENT);
		return -1;
	}
	return (long long)st.st_size;
}

static cw_logq_config_t queue_config(env_t *env, const char *log_path)
{
	cw_logq_config_t c = {
		.log_path = log_path,
		.registry_path = env->f.path,
		.flush_ms = 20,
		.batch_max = 8,
		.capacity = 32,
		.purge_limit = 100,
		.fail_grace_s = 1,
		.report = on_report,
		.report_ctx = &env->reports,
	};

	return c;
}

static void queue_start(env_t *env, const cw_logq_config_t *c)
{
	cw_err_t e;

	if (cw_logq_start(c, &env->q, &e) < 0) fail_msg("%s", e.msg);
}

static void queue_stop(env_t *env)
{
	cw_logq_stop(env->q);
	env->q = NULL;
}

static void assert_row_equal(const cw_access_row_t *want, const cw_access_row_t *got)
{
	assert_int_equal(got->ts_ms, want->ts_ms);
	assert_int_equal(got->clock_synced, want->clock_synced);
	assert_int_equal(got->clock_error_us, want->clock_error_us);
	assert_int_equal(got->accepted, want->accepted);
	assert_string_equal(got->reason, want->reason);
	assert_int_equal(got->member, want->member);
	assert_string_equal(got->member_id, want->member_id);
	assert_int_equal(got->has_device, want->has_device);
	if (want->has_device) assert_memory_equal(got->device, want->device, CW_DEVICE_HASH_LEN);
	assert_string_equal(got->nas, want->nas);
	assert_string_equal(got->ssid, want->ssid);
	assert_int_equal(got->vlan, want->vlan);
	assert_string_equal(got->serial, want->serial);
}

/* --- retention ------------------------------------------------------------------------------------------- */

static void retention_cutoff__is_now_minus_whole_days(void **state)
{
	(void)state;
	assert_int_equal(cw_retention_cutoff_ms(T0, 1), T0 - 86400000);
	assert_int_equal(cw_retention_cutoff_ms(T0, 180), T0 - (int64_t)180 * 86400000);
	assert_int_equal(cw_retention_cutoff_ms(T0, 3650), T0 - (int64_t)3650 * 86400000);
	assert_int_equal(cw_retention_cutoff_ms(T0, 3650), T0 - INT64_C(315360000000));
}

static void row_exactly_at_the_cutoff__is_kept(void **state)
{
	env_t *env = *state;
	int64_t cutoff = cw_retention_cutoff_ms(T0, 180);
	cw_access_row_t rows[3];
	cw_access_filter_t all;
	rowvec_t rv = { 0 };
	size_t purged = 99;
	cw_err_t e;

	log_open(env);
	plain_row(&rows[0], cutoff - 1, "just-before");
	plain_row(&rows[1], cutoff, "at");
	plain_row(&rows[2], cutoff + 1, "just-after");
	append(env, rows, 3);
	assert_int_equal(cw_accesslog_append(env->log, NULL, 0, cutoff, 100, &purged, &e), 0);
	assert_int_equal(purged, 1);
	memset(&all, 0, sizeof(all));
	query(env->log, &all, &rv);
	assert_int_equal(rv.n, 2);
	assert_int_equal(rv.v[0].ts_ms, cutoff);
	assert_int_equal(rv.v[1].ts_ms, cutoff + 1);
	free(rv.v);
}

static void retention_days__defaults_to_180_without_the_setting(void **state)
{
	env_t *env = *state;
	unsigned days = 0;
	cw_err_t e;

	assert_int_equal(cw_retention_days(env->f.admin, &days, &e), 0);
	assert_int_equal(days, CW_RETENTION_DAYS_DEFAULT);
	assert_int_equal(days, 180);
}

static void retention_days__reads_the_setting(void **state)
{
	env_t *env = *state;
	static const struct {
		const char	*value;
		unsigned	days;
	} ok[] = { { "30", 30 }, { "1", 1 }, { "3650", 3650 }, { "180", 180 } };
	unsigned days;
	cw_err_t e;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_int_equal(cw_registry_setting_set(env->f.admin, "log_retention_days", ok[i].value, &e), 0);
		days = 0;
		assert_int_equal(cw_retention_days(env->f.admin, &days, &e), 0);
		assert_int_equal(days, ok[i].days);
	}
}

static void retention_days_out_of_range_or_malformed__is_an_error(void **state)
{
	env_t *env = *state;
	static const char *const bad[] = { "0", "3651", "abc", "12x", "", "-5", " 30", "+30", "4294967326" };
	unsigned days;
	cw_err_t e;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cw_registry_setting_set(env->f.admin, "log_retention_days", bad[i], &e), 0);
		memset(&e, 0, sizeof(e));
		if (cw_retention_days(env->f.admin, &days, &e) != -1) fail_msg("\"%s\" was accepted as %u days", bad[i], days);
		assert_non_null(strstr(e.msg, "log_retention_days"));
	}
}

/* --- append and query ------------------------------------------------------------------------------------ */

static void appended_rows__read_back_field_by_field_oldest_first(void **state)
{
	env_t *env = *state;
	cw_access_row_t rows[3];
	cw_access_filter_t all;
	rowvec_t rv = { 0 };
	sqlite3 *db;

	log_open(env);
	member_row(env, &rows[0], T0 + 1000, "alice", "02:00:00:00:00:aa", FX_ALICE);
	rows[0].clock_error_us = 12345;
	plain_row(&rows[1], T0 + 2000, "10.0.0.7");
	snprintf(rows[1].ssid, sizeof(rows[1].ssid), "CoworkGuest");
	rows[1].has_device = true;
	memset(rows[1].device, 0xa5, sizeof(rows[1].device));
	plain_row(&rows[2], T0 + 3000, "");
	rows[2].clock_synced = false;
	rows[2].clock_error_us = -1;
	snprintf(rows[2].reason, sizeof(rows[2].reason), "revoked");
	rows[2].member = true;
	/* Appended newest first: the query orders by time, not by insertion. */
	append(env, &rows[2], 1);
	append(env, &rows[0], 2);

	memset(&all, 0, sizeof(all));
	query(env->log, &all, &rv);
	assert_int_equal(rv.n, 3);
	for (size_t i = 0; i < 3; i++) assert_row_equal(&rows[i], &rv.v[i]);

	assert_true(rv.v[0].accepted);
	assert_true(rv.v[0].member);
	assert_string_equal(rv.v[0].member_id, "alice");
	assert_string_equal(rv.v[0].serial, FX_ALICE);
	assert_int_equal(rv.v[0].vlan, 100);
	assert_true(rv.v[0].has_device);
	assert_memory_equal(rv.v[0].device, rows[0].device, CW_DEVICE_HASH_LEN);

	assert_false(rv.v[1].accepted);
	assert_false(rv.v[1].member);
	assert_string_equal(rv.v[1].member_id, "");
	assert_string_equal(rv.v[1].reason, "bad-ssid");
	assert_string_equal(rv.v[1].nas, "10.0.0.7");

	assert_false(rv.v[2].clock_synced);
	assert_int_equal(rv.v[2].clock_error_us, -1);
	assert_string_equal(rv.v[2].nas, "");
	assert_string_equal(rv.v[2].ssid, "");
	assert_string_equal(rv.v[2].serial, "");
	assert_int_equal(rv.v[2].vlan, 0);
	assert_false(rv.v[2].has_device);

	/* "" and 0 are stored as NULL, as the schema says (vlan 0 would break its CHECK). */
	db = raw_open(env->f.log_path);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM access WHERE member IS NULL AND device IS NULL AND nas IS NULL"
				     " AND ssid IS NULL AND vlan IS NULL AND serial IS NULL AND clock_error_us IS NULL"),
			 1);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM access WHERE result = 'accept' AND class = 'member'"), 1);
	assert_int_equal(raw_int(db, "SELECT length(device) FROM access WHERE member = 'alice'"), CW_DEVICE_HASH_LEN);
	sqlite3_close(db);
	free(rv.v);
}

/* Six rows a second apart: alice (device A), bob (B), a guest (A), alice (B), bob (none), alice (A). */
static void six_rows(env_t *env, uint8_t dev_a[CW_DEVICE_HASH_LEN], uint8_t dev_b[CW_DEVICE_HASH_LEN])
{
	static const char *const member[] = { "alice", "bob", NULL, "alice", "bob", "alice" };
	static const char *const mac[] = { "02:00:00:00:00:0a", "02:00:00:00:00:0b", "02:00:00:00:00:0a",
					   "02:00:00:00:00:0b", NULL, "02:00:00:00:00:0a" };
	cw_access_row_t rows[6];

	for (size_t i = 0; i < 6; i++) {
		if (member[i]) {
			member_row(env, &rows[i], T0 + (int64_t)i * 1000, member[i], mac[i], "");
		} else {
			cw_err_t e;

			plain_row(&rows[i], T0 + (int64_t)i * 1000, "ap-2");
			assert_int_equal(cw_device_hash_text(env->key, mac[i], strlen(mac[i]), rows[i].device, &e), 0);
			rows[i].has_device = true;
		}
	}
	memcpy(dev_a, rows[0].device, CW_DEVICE_HASH_LEN);
	memcpy(dev_b, rows[1].device, CW_DEVICE_HASH_LEN);
	append(env, rows, 6);
}

/* The rows' times as offsets from T0 in seconds, e.g. "0,3,5". */
static const char *seconds(const rowvec_t *rv, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < rv->n && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%lld", i ? "," : "", (long long)((rv->v[i].ts_ms - T0) / 1000));

		if (n < 0) break;
		used += (size_t)n;
	}
	return buf;
}

static int last_accepted_text(void *arg, const char *serial, int64_t ts_ms)
{
	char *buf = arg;
	size_t used = strlen(buf);

	snprintf(buf + used, 256 - used, "%s@%lld;", serial, (long long)((ts_ms - T0) / 1000));
	return 0;
}

/* The enrollment page's "last seen": per certificate of the member, its newest accept. */
static void last_accepted__is_the_newest_accept_of_each_certificate(void **state)
{
	env_t *env = *state;
	cw_access_row_t rows[5];
	char got[256] = "";
	cw_err_t e;

	log_open(env);
	member_row(env, &rows[0], T0, "alice", NULL, "aa");
	member_row(env, &rows[1], T0 + 5000, "alice", NULL, "aa");
	member_row(env, &rows[2], T0 + 2000, "alice", NULL, "bb");
	member_row(env, &rows[3], T0 + 9000, "alice", NULL, "aa");
	rows[3].accepted = false;	/* a refusal is not being seen */
	snprintf(rows[3].reason, sizeof(rows[3].reason), "revoked");
	member_row(env, &rows[4], T0 + 20000, "bob", NULL, "cc");
	append(env, rows, 5);
	assert_int_equal(cw_accesslog_last_accepted(env->log, "alice", last_accepted_text, got, &e), 0);
	assert_string_equal(got, "aa@5;bb@2;");
	got[0] = '\0';
	assert_int_equal(cw_accesslog_last_accepted(env->log, "carol", last_accepted_text, got, &e), 0);
	assert_string_equal(got, "");
}

static void query_filters__select_by_time_member_device_and_limit(void **state)
{
	env_t *env = *state;
	uint8_t dev_a[CW_DEVICE_HASH_LEN], dev_b[CW_DEVICE_HASH_LEN];
	cw_access_filter_t f;
	rowvec_t rv = { 0 };
	char buf[64];

	log_open(env);
	six_rows(env, dev_a, dev_b);

	memset(&f, 0, sizeof(f));
	query(env->log, &f, &rv);
	assert_string_equal(seconds(&rv, buf, sizeof(buf)), "0,1,2,3,4,5");

	/* from is inclusive, to exclusive. */
	f.from_ms = T0 + 1000;
	f.to_ms = T0 + 4000;
	query(env->log, &f, &rv);
	assert_string_equal(seconds(&rv, buf, sizeof(buf)), "1,2,3");
	f.from_ms = T0 + 4000;
	f.to_ms = 0;
	query(env->log, &f, &rv);
	assert_string_equal(seconds(&rv, buf, sizeof(buf)), "4,5");
	f.from_ms = 0;
	f.to_ms = T0 + 1000;
	query(env->log, &f, &rv);
	assert_string_equal(seconds(&rv, buf, sizeof(buf)), "0");

	memset(&f, 0, sizeof(f));
	f.member = "alice";
	query(env->log, &f, &rv);
	assert_string_equal(seconds(&rv, buf, sizeof(buf)), "0,3,5");
	f.member = "carol";
	query(env->log, &f, &rv);
	assert_int_equal(rv.n, 0);

	memset(&f, 0, sizeof(f));
	f.has_device = true;
	memcpy(f.device, dev_a, sizeof(f.device));
	query(env->log, &f, &rv);
	assert_string_equal(seconds(&rv, buf, sizeof(buf)), "0,2,5");
	memcpy(f.device, dev_b, sizeof(f.device));
	query(env->log, &f, &rv);
	assert_string_equal(seconds(&rv, buf, sizeof(buf)), "1,3");

	/* A limit keeps the most recent rows, still oldest first. */
	memset(&f, 0, sizeof(f));
	f.limit = 2;
	query(env->log, &f, &rv);
	assert_string_equal(seconds(&rv, buf, sizeof(buf)), "4,5");
	f.limit = 100;
	query(env->log, &f, &rv);
	assert_string_equal(seconds(&rv, buf, sizeof(buf)), "0,1,2,3,4,5");

	/* Everything at once: alice on device A before 5 s, the most recent one. */
	memset(&f, 0, sizeof(f));
	f.member = "alice";
	f.has_device = true;
	memcpy(f.device, dev_a, sizeof(f.device));
	f.to_ms = T0 + 5000;
	query(env->log, &f, &rv);
	assert_string_equal(seconds(&rv, buf, sizeof(buf)), "0");
	f.to_ms = 0;
	f.limit = 1;
	query(env->log, &f, &rv);
	assert_string_equal(seconds(&rv, buf, sizeof(buf)), "5");
	f.limit = 0;
	f.from_ms = T0 + 1000;
	f.member = "bob";
	memcpy(f.device, dev_b, sizeof(f.device));
	query(env->log, &f, &rv);
	assert_string_equal(seconds(&rv, buf, sizeof(buf)), "1");
	free(rv.v);
}

static int stop_at_second_row(void *arg, const cw_access_row_t *row)
{
	int *seen = arg;

	(void)row;
	return ++*seen == 2 ? 42 : 0;
}

static void query_callback_returning_non_zero__stops_and_is_returned(void **state)
{
	env_t *env = *state;
	uint8_t dev_a[CW_DEVICE_HASH_LEN], dev_b[CW_DEVICE_HASH_LEN];
	cw_access_filter_t all;
	int seen = 0;
	cw_err_t e;

	log_open(env);
	six_rows(env, dev_a, dev_b);
	memset(&all, 0, sizeof(all));
	assert_int_equal(cw_accesslog_query(env->log, &all, stop_at_second_row, &seen, &e), 42);
	assert_int_equal(seen, 2);
}

static void row_the_schema_refuses__fails_the_whole_append(void **state)
{
	env_t *env = *state;
	cw_access_row_t rows[3];
	size_t purged = 99;
	cw_err_t e;

	log_open(env);
	plain_row(&rows[0], T0 - 365 * DAY_MS, "old");
	append(env, rows, 1);
	plain_row(&rows[0], T0, "a");
	plain_row(&rows[1], T0 + 1, "b");
	rows[1].vlan = 4095;	/* outside the schema's 1..4094 */
	plain_row(&rows[2], T0 + 2, "c");
	memset(&e, 0, sizeof(e));
	assert_int_equal(cw_accesslog_append(env->log, rows, 3, cw_retention_cutoff_ms(T0, 180), 100, &purged, &e), -1);
	assert_int_equal(purged, 0);
	assert_non_null(strstr(e.msg, "writing to the access log"));
	/* Nothing written, nothing deleted. */
	assert_int_equal(stats_rows(env->log), 1);
	/* The connection is still usable. */
	append(env, &rows[2], 1);
	assert_int_equal(stats_rows(env->log), 2);
}

/* --- retention while appending, and purge ---------------------------------------------------------------- */

static void rows_past_retention__are_deleted_as_new_rows_are_written(void **state)
{
	env_t *env = *state;
	int64_t cutoff = cw_retention_cutoff_ms(T0, 180);
	cw_access_row_t old[10], fresh;
	cw_access_filter_t all;
	rowvec_t rv = { 0 };
	size_t purged = 0;
	cw_err_t e;

	log_open(env);
	for (size_t i = 0; i < 10; i++) plain_row(&old[i], cutoff - 10000 + (int64_t)i, "old");
	append(env, old, 10);

	plain_row(&fresh, T0, "new");
	assert_int_equal(cw_accesslog_append(env->log, &fresh, 1, cutoff, 4, &purged, &e), 0);
	assert_int_equal(purged, 4);
	assert_int_equal(stats_rows(env->log), 7);
	/* The oldest go first. */
	memset(&all, 0, sizeof(all));
	query(env->log, &all, &rv);
	assert_int_equal(rv.n, 7);
	assert_int_equal(rv.v[0].ts_ms, cutoff - 10000 + 4);
	assert_int_equal(rv.v[6].ts_ms, T0);

	/* Without a purge_limit or a cut-off nothing is deleted. */
	assert_int_equal(cw_accesslog_append(env->log, &fresh, 1, cutoff, 0, &purged, &e), 0);
	assert_int_equal(purged, 0);
	assert_int_equal(cw_accesslog_append(env->log, &fresh, 1, 0, 100, &purged, &e), 0);
	assert_int_equal(purged, 0);
	assert_int_equal(stats_rows(env->log), 9);

	/* A large limit takes the rest of the old rows, never a new one. */
	assert_int_equal(cw_accesslog_append(env->log, &fresh, 1, cutoff, 100, &purged, &e), 0);
	assert_int_equal(purged, 6);
	query(env->log, &all, &rv);
	assert_int_equal(rv.n, 4);
	for (size_t i = 0; i < rv.n; i++) assert_int_equal(rv.v[i].ts_ms, T0);
	free(rv.v);
}

static void purge__deletes_every_old_row_and_leaves_no_trace_in_the_files(void **state)
{
	env_t *env = *state;
	enum { OLD = 5003, RECENT = 3 };
	int64_t cutoff = cw_retention_cutoff_ms(T0, 180), deleted = -1, rows, oldest;
	cw_access_row_t *batch = calloc(OLD + RECENT, sizeof(*batch));
	cw_access_filter_t all;
	rowvec_t rv = { 0 };
	char wal[160], marker[CW_NAS_MAX + 1];
	cw_err_t e;

	assert_non_null(batch);
	log_open(env);
	for (size_t i = 0; i < OLD; i++) {
		snprintf(marker, sizeof(marker), OLD_MARKER "%zu", i);
		plain_row(&batch[i], cutoff - 1 - (int64_t)i * 1000, marker);
	}
	for (size_t i = 0; i < RECENT; i++) plain_row(&batch[OLD + i], T0 + (int64_t)i, "recent-nas");
	assert_int_equal(cw_accesslog_append(env->log, batch, OLD + RECENT, 0, 0, NULL, &e), 0);
	free(batch);
	snprintf(wal, sizeof(wal), "%s-wal", env->f.log_path);
	/* The check below means something: the markers are on disk before the purge. */
	assert_true(file_contains(env->f.log_path, OLD_MARKER) || file_contains(wal, OLD_MARKER));

	assert_int_equal(cw_accesslog_purge(env->log, cutoff, &deleted, &e), 0);
	assert_int_equal(deleted, OLD);
	assert_int_equal(cw_accesslog_stats(env->log, &rows, &oldest, &e), 0);
	assert_int_equal(rows, RECENT);
	assert_int_equal(oldest, T0);
	memset(&all, 0, sizeof(all));
	query(env->log, &all, &rv);
	assert_int_equal(rv.n, RECENT);
	for (size_t i = 0; i < RECENT; i++) assert_string_equal(rv.v[i].nas, "recent-nas");
	free(rv.v);

	/* secure_delete zeroed them in the database; the WAL was truncated. */
	assert_false(file_contains(env->f.log_path, OLD_MARKER));
	assert_false(file_contains(wal, OLD_MARKER));
	assert_true(file_size(wal) <= 0);
	assert_true(file_contains(env->f.log_path, "recent-nas") || file_contains(wal, "recent-nas"));

	/* Nothing to do the second time. */
	assert_int_equal(cw_accesslog_purge(env->log, cutoff, &deleted, &e), 0);
	assert_int_equal(deleted, 0);

	cw_accesslog_close(env->log);
	env->log = NULL;
	assert_false(file_contains(env->f.log_path, OLD_MARKER));
	assert_true(file_size(wal) <= 0);
}

static void purge_while_a_reader_holds_the_wal__is_an_error(void **state)
{
	env_t *env = *state;
	int64_t cutoff = cw_retention_cutoff_ms(T0, 180), deleted = -1;
	cw_access_row_t r[2];
	sqlite3 *reader;
	sqlite3_stmt *st = NULL;
	char wal[160];
	cw_err_t e;

	log_open(env);
	plain_row(&r[0], cutoff - 1, OLD_MARKER "0");
	plain_row(&r[1], T0, "recent-nas");
	append(env, r, 2);
	/* A reader in the middle of a read transaction pins the WAL (for the library's busy timeout, 5 s). */
	reader = raw_open(env->f.log_path);
	raw_exec(reader, "BEGIN");
	assert_int_equal(sqlite3_prepare_v2(reader, "SELECT count(*) FROM access", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);

	memset(&e, 0, sizeof(e));
	assert_int_equal(cw_accesslog_purge(env->log, cutoff, &deleted, &e), -1);
	assert_int_equal(deleted, 1);
	assert_non_null(strstr(e.msg, "WAL"));
	snprintf(wal, sizeof(wal), "%s-wal", env->f.log_path);
	assert_true(file_size(wal) > 0);

	/* Once the reader is gone, purging again finishes the job. */
	sqlite3_finalize(st);
	raw_exec(reader, "COMMIT");
	sqlite3_close(reader);
	assert_int_equal(cw_accesslog_purge(env->log, cutoff, &deleted, &e), 0);
	assert_int_equal(deleted, 0);
	assert_true(file_size(wal) <= 0);
	assert_false(file_contains(wal, OLD_MARKER));
	assert_false(file_contains(env->f.log_path, OLD_MARKER));
}

/*
 * Append OLD marker rows older than cutoff and RECENT rows at T0 through
 * env->log, then close it: the last close checkpoints, so the markers are
 * in the database file itself, where only secure_delete can erase them.
 */
static void old_marker_rows_in_the_file(env_t *env, int64_t cutoff, size_t old, size_t recent)
{
	cw_access_row_t *batch = calloc(old + recent, sizeof(*batch));
	char marker[CW_NAS_MAX + 1];

	assert_non_null(batch);
	for (size_t i = 0; i < old; i++) {
		snprintf(marker, sizeof(marker), OLD_MARKER "%zu", i);
		plain_row(&batch[i], cutoff - 1 - (int64_t)i * 1000, marker);
	}
	for (size_t i = 0; i < recent; i++) plain_row(&batch[old + i], T0 + (int64_t)i, "recent-nas");
	log_open(env);
	append(env, batch, old + recent);
	free(batch);
	cw_accesslog_close(env->log);
	env->log = NULL;
	assert_true(file_contains(env->f.log_path, OLD_MARKER));
}

/* Delete the rows older than cutoff through db, in bounded transactions as radiusd's writer does. */
static void delete_old_rows(cw_accesslog_t *log, int64_t cutoff)
{
	size_t n;
	cw_err_t e;

	do {
		if (cw_accesslog_append(log, NULL, 0, cutoff, 500, &n, &e) < 0) fail_msg("%s", e.msg);
	} while (n == 500);
}

static void open__turns_secure_delete_on_for_its_connection(void **state)
{
	env_t *env = *state;

	/* Per connection: the library's connection must have it, whatever SQLite's default. */
	log_open(env);
	assert_int_equal(raw_int(cw_accesslog_db(env->log), "PRAGMA secure_delete"), 1);
}

static void checkpoint_after_deleting__leaves_no_trace_in_the_db_its_free_pages_or_the_wal(void **state)
{
	env_t *env = *state;
	int64_t cutoff = cw_retention_cutoff_ms(T0, 180);
	char wal[160];
	cw_err_t e;

	old_marker_rows_in_the_file(env, cutoff, 3000, 3);
	snprintf(wal, sizeof(wal), "%s-wal", env->f.log_path);
	log_open(env);
	delete_old_rows(env->log, cutoff);
	/* The deletion alone is not enough: the file still holds the old pages until a checkpoint. */
	assert_true(file_contains(env->f.log_path, OLD_MARKER));
	assert_true(file_size(wal) > 0);

	assert_int_equal(cw_accesslog_checkpoint(env->log, 100, &e), 0);
	assert_false(file_contains(env->f.log_path, OLD_MARKER));
	assert_false(file_contains(wal, OLD_MARKER));
	assert_true(file_size(wal) <= 0);
	assert_true(file_contains(env->f.log_path, "recent-nas"));
	/* The old rows' pages went to the free-list, zeroed: it is not empty, yet holds no marker. */
	assert_true(raw_int(cw_accesslog_db(env->log), "PRAGMA freelist_count") > 10);
	assert_int_equal(stats_rows(env->log), 3);
	/* Nothing deleted since: truncating again is harmless. */
	assert_int_equal(cw_accesslog_checkpoint(env->log, 100, &e), 0);
}

static void without_secure_delete__the_same_purge_leaves_the_rows_in_free_pages(void **state)
{
	env_t *env = *state;
	int64_t cutoff = cw_retention_cutoff_ms(T0, 180);
	sqlite3 *db;
	char sql[160];

	/* The control for the test above: it can fail, the markers do survive a plain DELETE. */
	old_marker_rows_in_the_file(env, cutoff, 3000, 3);
	db = raw_open(env->f.log_path);
	raw_exec(db, "PRAGMA secure_delete = OFF");
	snprintf(sql, sizeof(sql), "DELETE FROM access WHERE ts_ms < %lld", (long long)cutoff);
	raw_exec(db, sql);
	assert_int_equal(sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL), SQLITE_OK);
	assert_true(raw_int(db, "PRAGMA freelist_count") > 10);
	sqlite3_close(db);
	assert_true(file_contains(env->f.log_path, OLD_MARKER));
}

static void checkpoint_while_a_reader_holds_the_wal__says_so_and_works_once_it_is_gone(void **state)
{
	env_t *env = *state;
	int64_t cutoff = cw_retention_cutoff_ms(T0, 180), t0;
	cw_access_row_t r[2];
	sqlite3 *reader;
	sqlite3_stmt *st = NULL;
	char wal[160];
	cw_err_t e;

	/* Written and deleted on an open connection: the WAL holds the frames that wrote the rows. */
	log_open(env);
	plain_row(&r[0], cutoff - 1, OLD_MARKER "0");
	plain_row(&r[1], T0, "recent-nas");
	append(env, r, 2);
	delete_old_rows(env->log, cutoff);
	snprintf(wal, sizeof(wal), "%s-wal", env->f.log_path);
	assert_true(file_contains(wal, OLD_MARKER));
	reader = raw_open(env->f.log_path);
	raw_exec(reader, "BEGIN");
	assert_int_equal(sqlite3_prepare_v2(reader, "SELECT count(*) FROM access", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);

	memset(&e, 0, sizeof(e));
	t0 = now_ms();
	assert_int_equal(cw_accesslog_checkpoint(env->log, 100, &e), 1);
	/* It waited about wait_ms, not the statements' 5 s. */
	assert_true(now_ms() - t0 < 2000);
	assert_non_null(strstr(e.msg, "WAL"));
	assert_true(file_contains(wal, OLD_MARKER));

	sqlite3_finalize(st);
	raw_exec(reader, "COMMIT");
	sqlite3_close(reader);
	assert_int_equal(cw_accesslog_checkpoint(env->log, 100, &e), 0);
	assert_false(file_contains(env->f.log_path, OLD_MARKER));
	assert_false(file_contains(wal, OLD_MARKER));
	assert_true(file_size(wal) <= 0);
}

static void stats__count_rows_and_give_the_oldest_time(void **state)
{
	env_t *env = *state;
	int64_t rows = -1, oldest = -1;
	cw_access_row_t r[3];
	cw_err_t e;

	log_open(env);
	assert_int_equal(cw_accesslog_stats(env->log, &rows, &oldest, &e), 0);
	assert_int_equal(rows, 0);
	assert_int_equal(oldest, 0);
	plain_row(&r[0], T0 + 500, "b");
	plain_row(&r[1], T0 - 7 * DAY_MS, "a");
	plain_row(&r[2], T0 + 900, "c");
	append(env, r, 3);
	assert_int_equal(cw_accesslog_stats(env->log, &rows, &oldest, &e), 0);
	assert_int_equal(rows, 3);
	assert_int_equal(oldest, T0 - 7 * DAY_MS);
}

/* --- open ------------------------------------------------------------------------------------------------ */

static void open_without_create_on_a_missing_file__says_how_to_create_it(void **state)
{
	env_t *env = *state;
	cw_accesslog_t *log = NULL;
	char path[160];
	cw_err_t e;

	snprintf(path, sizeof(path), "%s/missing.db", env->logdir);
	memset(&e, 0, sizeof(e));
	assert_int_equal(cw_accesslog_open(path, false, &log, &e), -1);
	assert_null(log);
	assert_non_null(strstr(e.msg, path));
	assert_non_null(strstr(e.msg, "run any coworkctl command"));
	assert_int_equal(access(path, F_OK), -1);
}

/* Generated from sql/accesslog/: the migrations, to build a file of an older schema. */
extern const char *const cw_accesslog_migrations[];

/*
 * Schema 5 rebuilds the table with AUTOINCREMENT: the ids (and every
 * column) of a schema-4 file stay what they were, and after every row is deleted the next one
 * still gets a new id (cowork-logship keys rows centrally by it).
 */
static void schema_5__keeps_ids_and_never_reuses_them(void **state)
{
	env_t *env = *state;
	cw_accesslog_t *log;
	char path[256];
	sqlite3 *db = NULL;
	cw_err_t e;

	snprintf(path, sizeof(path), "%s/v4.db", env->logdir);
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL), SQLITE_OK);
	for (int i = 0; i < 4; i++) raw_exec(db, cw_accesslog_migrations[i]);
	raw_exec(db, "PRAGMA user_version = 4");
	raw_exec(db, "INSERT INTO access (id, ts_ms, clock_synced, result, reason, class, nas, akm, cipher)"
		     " VALUES (5, 1, 1, 'accept', 'accept', 'guest', 'five', 1027074, 1027076),"
		     " (9, 2, 0, 'reject', 'bad-ssid', 'guest', 'nine', NULL, NULL)");
	sqlite3_close(db);
	assert_int_equal(chmod(path, 0600), 0);

	assert_int_equal(cw_accesslog_open(path, true, &log, &e), 0);
	cw_accesslog_close(log);
	db = raw_open(path);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), cw_accesslog_schema_version());
	assert_int_equal(raw_int(db, "SELECT count(*) FROM access WHERE (id = 5 AND nas = 'five' AND akm = 1027074"
				     " AND cipher = 1027076) OR (id = 9 AND nas = 'nine' AND akm IS NULL)"), 2);
	assert_int_equal(raw_int(db, "SELECT length(instance) FROM log_instance"), 16);
	raw_exec(db, "DELETE FROM access");
	raw_exec(db, "INSERT INTO access (ts_ms, clock_synced, result, reason, class) VALUES (3, 1, 'accept', 'accept', 'guest')");
	assert_int_equal(raw_int(db, "SELECT id FROM access"), 10);
	sqlite3_close(db);
}

static void open_on_another_schema_version__is_refused_without_create(void **state)
{
	env_t *env = *state;
	cw_accesslog_t *log;
	sqlite3 *db;
	char path[160];
	cw_err_t e;
	int fd;

	char newer[64], want[80];

	/* Newer than this build. */
	snprintf(newer, sizeof(newer), "PRAGMA user_version = %d", cw_accesslog_schema_version() + 1);
	snprintf(want, sizeof(want), "schema version %d", cw_accesslog_schema_version() + 1);
	db = raw_open(env->f.log_path);
	raw_exec(db, newer);
	sqlite3_close(db);
	memset(&e, 0, sizeof(e));
	assert_int_equal(cw_accesslog_open(env->f.log_path, false, &log, &e), -1);
	assert_null(log);
	assert_non_null(strstr(e.msg, want));
	assert_non_null(strstr(e.msg, "upgrade rlm_cowork"));
	/* create=true migrates, it never downgrades. */
	assert_int_equal(cw_accesslog_open(env->f.log_path, true, &log, &e), -1);
	assert_null(log);

	/* Older (an empty file is version 0): radiusd never migrates. */
	snprintf(path, sizeof(path), "%s/empty.db", env->logdir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	close(fd);
	memset(&e, 0, sizeof(e));
	assert_int_equal(cw_accesslog_open(path, false, &log, &e), -1);
	assert_null(log);
	assert_non_null(strstr(e.msg, "schema version 0"));
	assert_non_null(strstr(e.msg, "run any coworkctl command"));
	/* ... but create=true brings it up to date. */
	assert_int_equal(cw_accesslog_open(path, true, &log, &e), 0);
	cw_accesslog_close(log);
	assert_int_equal(cw_accesslog_open(path, false, &log, &e), 0);
	cw_accesslog_close(log);
}

static void open_on_a_directory_or_a_link__is_refused(void **state)
{
	env_t *env = *state;
	cw_accesslog_t *log;
	char path[160];
	cw_err_t e;

	snprintf(path, sizeof(path), "%s/adir.db", env->logdir);
	assert_int_equal(mkdir(path, 0700), 0);
	memset(&e, 0, sizeof(e));
	assert_int_equal(cw_accesslog_open(path, false, &log, &e), -1);
	assert_null(log);
	assert_non_null(strstr(e.msg, "not a regular file"));
	assert_int_equal(cw_accesslog_open(path, true, &log, &e), -1);
	assert_null(log);
	assert_int_equal(rmdir(path), 0);

	snprintf(path, sizeof(path), "%s/link.db", env->logdir);
	assert_int_equal(symlink(env->f.log_path, path), 0);
	memset(&e, 0, sizeof(e));
	assert_int_equal(cw_accesslog_open(path, false, &log, &e), -1);
	assert_null(log);
	assert_non_null(strstr(e.msg, "not a regular file"));
}

static void open_with_create__is_idempotent_and_makes_a_0600_wal_file(void **state)
{
	env_t *env = *state;
	cw_accesslog_t *log = NULL, *again = NULL;
	cw_access_row_t r;
	struct stat st;
	sqlite3 *db;
	sqlite3_stmt *st_mode = NULL;
	char path[160];
	mode_t old_umask;
	cw_err_t e;

	snprintf(path, sizeof(path), "%s/new.db", env->logdir);
	old_umask = umask(0);	/* the 0600 must come from the library, not from the umask */
	assert_int_equal(cw_accesslog_open(path, true, &log, &e), 0);
	umask(old_umask);
	assert_non_null(log);
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);

	plain_row(&r, T0, "kept");
	assert_int_equal(cw_accesslog_append(log, &r, 1, 0, 0, NULL, &e), 0);
	/* A second create while the first connection is open: nothing changes, nothing is lost. */
	assert_int_equal(cw_accesslog_open(path, true, &again, &e), 0);
	assert_int_equal(stats_rows(again), 1);
	cw_accesslog_close(again);
	cw_accesslog_close(log);
	assert_int_equal(cw_accesslog_open(path, true, &log, &e), 0);
	assert_int_equal(stats_rows(log), 1);
	cw_accesslog_close(log);
	assert_int_equal(cw_accesslog_open(path, false, &log, &e), 0);
	cw_accesslog_close(log);
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	db = raw_open(path);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st_mode, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st_mode), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st_mode, 0), "wal");
	sqlite3_finalize(st_mode);
	assert_int_equal(raw_int(db, "PRAGMA user_version"), cw_accesslog_schema_version());
	sqlite3_close(db);

	/* The fixture's log, made by create=true before, opens with create=true again. */
	assert_int_equal(cw_accesslog_open(env->f.log_path, true, &log, &e), 0);
	cw_accesslog_close(log);
}

/* --- logq ------------------------------------------------------------------------------------------------ */

static void stopping_the_queue__writes_every_pushed_row_in_push_order(void **state)
{
	env_t *env = *state;
	cw_logq_config_t c = queue_config(env, env->f.log_path);
	int64_t ts = now_ms();
	cw_access_row_t r;
	rowvec_t rv = { 0 };
	char want[32];
	cw_err_t e;

	queue_start(env, &c);
	/* 50 > capacity 32: pushes wait for the writer to make room. */
	for (int i = 0; i < 50; i++) {
		plain_row(&r, ts, "ap");
		snprintf(r.serial, sizeof(r.serial), "r%d", i);
		if (cw_logq_push(env->q, &r, 2000, &e) < 0) fail_msg("push %d: %s", i, e.msg);
	}
	queue_stop(env);

	query_file(env->f.log_path, &rv);
	assert_int_equal(rv.n, 50);
	/* Same time everywhere: the order is the order of insertion. */
	for (size_t i = 0; i < rv.n; i++) {
		snprintf(want, sizeof(want), "r%zu", i);
		assert_string_equal(rv.v[i].serial, want);
	}
	free(rv.v);
}

static void queued_rows__are_written_after_flush_ms_without_a_stop(void **state)
{
	env_t *env = *state;
	cw_logq_config_t c = queue_config(env, env->f.log_path);
	cw_access_row_t r;
	int64_t t0;
	cw_err_t e;

	queue_start(env, &c);
	/* Fewer than a batch: only flush_ms gets them written. */
	for (int i = 0; i < 3; i++) {
		plain_row(&r, now_ms(), "ap");
		assert_int_equal(cw_logq_push(env->q, &r, 2000, &e), 0);
	}
	t0 = now_ms();
	assert_true(wait_for_rows(env->f.log_path, 3, 2000));
	/* flush_ms is 20: far less than a second, even on a slow machine. */
	assert_true(now_ms() - t0 < 1000);
	queue_stop(env);
	assert_int_equal(rows_in_file(env->f.log_path), 3);
}

static void writer__applies_the_registrys_retention(void **state)
{
	env_t *env = *state;
	cw_logq_config_t c = queue_config(env, env->f.log_path);
	cw_access_row_t r;
	rowvec_t rv = { 0 };
	cw_err_t e;

	/* The writer reads the setting when it starts (and every 60 s). */
	assert_int_equal(cw_registry_setting_set(env->f.admin, "log_retention_days", "1", &e), 0);
	queue_start(env, &c);
	plain_row(&r, now_ms() - 3 * DAY_MS, "three-days-old");
	assert_int_equal(cw_logq_push(env->q, &r, 2000, &e), 0);
	plain_row(&r, now_ms(), "current");
	assert_int_equal(cw_logq_push(env->q, &r, 2000, &e), 0);
	queue_stop(env);

	query_file(env->f.log_path, &rv);
	assert_int_equal(rv.n, 1);
	assert_string_equal(rv.v[0].nas, "current");
	free(rv.v);
}

/* Wait up to ms until neither the log nor its WAL holds needle; whether that happened. */
static bool wait_for_erasure(const char *path, const char *needle, unsigned ms)
{
	int64_t until = now_ms() + ms;
	char wal[200];

	snprintf(wal, sizeof(wal), "%s-wal", path);
	for (;;) {
		if (!file_contains(path, needle) && !file_contains(wal, needle)) return true;
		if (now_ms() >= until) return false;
		sleep_ms(20);
	}
}

/* Sessions as accounting leaves them: ended 200 days before T0, live but silent for 3 days, live. */
static void marker_sessions(env_t *env, int64_t now)
{
	char sql[1024];
	sqlite3 *db = raw_open(env->f.log_path);

	snprintf(sql, sizeof(sql),
		 "INSERT INTO session (nas_address, nas, acct_session_id, user_name, calling_station, member, serial,"
		 " started_ms, updated_ms, stopped_ms) VALUES"
		 " ('127.0.0.1', 'OLD-SESSION-NAS', 'ended', NULL, NULL, 'alice', '0A', %lld, %lld, %lld),"
		 " ('127.0.0.1', 'ap-1', 'stale', 'STALE-USER-MARKER', '02-AB-CD-EF-12-34', 'alice', '0A', %lld, %lld, NULL),"
		 " ('127.0.0.1', 'ap-1', 'live', 'live-user', '02-00-00-00-00-77', 'bob', '0B', %lld, %lld, NULL)",
		 (long long)(now - 200 * DAY_MS), (long long)(now - 200 * DAY_MS), (long long)(now - 200 * DAY_MS),
		 (long long)(now - 4 * DAY_MS), (long long)(now - 3 * DAY_MS), (long long)(now - 3600000),
		 (long long)(now - 60000));
	raw_exec(db, sql);
	sqlite3_close(db);
	assert_true(file_contains(env->f.log_path, "STALE-USER-MARKER"));
}

static void idle_writer__purges_rows_and_sessions_and_truncates_the_wal_on_its_timer(void **state)
{
	env_t *env = *state;
	cw_logq_config_t c = queue_config(env, env->f.log_path);
	int64_t now = now_ms(), cutoff = cw_retention_cutoff_ms(now, CW_RETENTION_DAYS_DEFAULT);
	int errors, recoveries;
	char wal[160];
	sqlite3 *db;

	old_marker_rows_in_the_file(env, cutoff, 1200, 0);
	marker_sessions(env, now);
	/* 1200 rows > PURGE_BATCHES transactions of 50: the first pass leaves work for the next. */
	c.purge_limit = 50;
	c.purge_interval_s = 1;
	queue_start(env, &c);
	/* Not a single row pushed: only the timer can do it. */
	assert_true(wait_for_erasure(env->f.log_path, OLD_MARKER, 8000));
	assert_true(wait_for_erasure(env->f.log_path, "OLD-SESSION-NAS", 2000));
	assert_true(wait_for_erasure(env->f.log_path, "STALE-USER-MARKER", 2000));
	assert_true(wait_for_erasure(env->f.log_path, "02-AB-CD-EF-12-34", 2000));
	snprintf(wal, sizeof(wal), "%s-wal", env->f.log_path);
	assert_true(file_size(wal) <= 0);

	db = raw_open(env->f.log_path);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM access"), 0);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM session WHERE acct_session_id = 'ended'"), 0);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM session WHERE acct_session_id = 'stale' AND user_name IS NULL"
				     " AND calling_station IS NULL AND stopped_ms = updated_ms"),
			 1);
	assert_int_equal(raw_int(db, "SELECT count(*) FROM session WHERE acct_session_id = 'live' AND user_name ="
				     " 'live-user' AND stopped_ms IS NULL"),
			 1);
	sqlite3_close(db);
	queue_stop(env);
	reports_get(&env->reports, &errors, &recoveries, NULL, 0);
	assert_int_equal(errors, 0);
}

static void idle_writer__keeps_rows_within_retention(void **state)
{
	env_t *env = *state;
	cw_logq_config_t c = queue_config(env, env->f.log_path);
	int64_t now = now_ms();
	cw_access_row_t r[2];

	log_open(env);
	plain_row(&r[0], cw_retention_cutoff_ms(now, CW_RETENTION_DAYS_DEFAULT) + 60000, "one-minute-inside");
	plain_row(&r[1], now - DAY_MS, "yesterday");
	append(env, r, 2);
	cw_accesslog_close(env->log);
	env->log = NULL;
	c.purge_interval_s = 1;
	queue_start(env, &c);
	sleep_ms(2500);
	assert_int_equal(rows_in_file(env->f.log_path), 2);
	queue_stop(env);
}

static void idle_writer_with_a_reader_on_the_wal__warns_once_and_truncates_once_it_lets_go(void **state)
{
	env_t *env = *state;
	cw_logq_config_t c = queue_config(env, env->f.log_path);
	int64_t cutoff = cw_retention_cutoff_ms(now_ms(), CW_RETENTION_DAYS_DEFAULT), until;
	int errors = 0, recoveries;
	sqlite3 *reader;
	sqlite3_stmt *st = NULL;
	char last[512];

	old_marker_rows_in_the_file(env, cutoff, 10, 0);
	reader = raw_open(env->f.log_path);
	raw_exec(reader, "BEGIN");
	assert_int_equal(sqlite3_prepare_v2(reader, "SELECT count(*) FROM access", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	c.purge_interval_s = 1;
	queue_start(env, &c);
	until = now_ms() + 5000;
	while (errors == 0 && now_ms() < until) {
		sleep_ms(20);
		reports_get(&env->reports, &errors, &recoveries, last, sizeof(last));
	}
	assert_int_equal(errors, 1);
	assert_non_null(strstr(last, "WAL"));
	/* The rows are deleted, but the pages holding them cannot be replaced yet. */
	assert_true(file_contains(env->f.log_path, OLD_MARKER));
	/* Retried every pass (1 s), warned once. */
	sleep_ms(2500);
	reports_get(&env->reports, &errors, &recoveries, NULL, 0);
	assert_int_equal(errors, 1);
	assert_true(file_contains(env->f.log_path, OLD_MARKER));

	sqlite3_finalize(st);
	raw_exec(reader, "COMMIT");
	sqlite3_close(reader);
	assert_true(wait_for_erasure(env->f.log_path, OLD_MARKER, 5000));
	queue_stop(env);
	reports_get(&env->reports, &errors, &recoveries, NULL, 0);
	assert_int_equal(errors, 1);
}

static void purge_interval_out_of_bounds__is_refused(void **state)
{
	env_t *env = *state;
	cw_logq_config_t c = queue_config(env, env->f.log_path);
	cw_logq_t *q = NULL;
	cw_err_t e;

	c.purge_interval_s = CW_LOGQ_PURGE_INTERVAL_MAX + 1;
	memset(&e, 0, sizeof(e));
	assert_int_equal(cw_logq_start(&c, &q, &e), -1);
	assert_null(q);
	assert_non_null(strstr(e.msg, "purge interval"));
}

static void queue_on_a_missing_log__refuses_rows_at_once(void **state)
{
	env_t *env = *state;
	char path[160], last[512];
	cw_logq_config_t c;
	cw_access_row_t r;
	int errors, recoveries;
	int64_t t0;
	cw_err_t e;

	snprintf(path, sizeof(path), "%s/nothere.db", env->logdir);
	c = queue_config(env, path);
	c.fail_grace_s = 10;	/* "at once" must not depend on the grace */
	queue_start(env, &c);
	reports_get(&env->reports, &errors, &recoveries, last, sizeof(last));
	assert_int_equal(errors, 1);
	assert_int_equal(recoveries, 0);
	assert_non_null(strstr(last, path));

	plain_row(&r, now_ms(), "ap");
	memset(&e, 0, sizeof(e));
	t0 = now_ms();
	assert_int_equal(cw_logq_push(env->q, &r, 2000, &e), -1);
	assert_true(now_ms() - t0 < 500);
	assert_non_null(strstr(e.msg, path));
	queue_stop(env);
	assert_int_equal(access(path, F_OK), -1);
}

static void queue_on_a_missing_log__recovers_once_the_log_exists(void **state)
{
	env_t *env = *state;
	cw_accesslog_t *log;
	char path[160];
	cw_logq_config_t c;
	cw_access_row_t r;
	cw_err_t e;

	snprintf(path, sizeof(path), "%s/later.db", env->logdir);
	c = queue_config(env, path);
	queue_start(env, &c);
	plain_row(&r, now_ms(), "ap");
	assert_int_equal(cw_logq_push(env->q, &r, 0, &e), -1);

	/* What `coworkctl` does: the writer finds it within a retry pause. */
	assert_int_equal(cw_accesslog_open(path, true, &log, &e), 0);
	cw_accesslog_close(log);
	assert_true(wait_for_recovery(&env->reports, 3000));
	assert_int_equal(cw_logq_push(env->q, &r, 2000, &e), 0);
	queue_stop(env);
	assert_int_equal(rows_in_file(path), 1);
}

/*
 * Push a row every 20 ms until one is refused (0 with *e set) or ms pass
 * (-1); *accepted counts the rows queued.
 */
static int push_until_refused(env_t *env, unsigned ms, int *accepted, cw_err_t *e)
{
	int64_t until = now_ms() + ms;
	cw_access_row_t r;

	while (now_ms() < until) {
		plain_row(&r, now_ms(), "during");
		snprintf(r.serial, sizeof(r.serial), "p%d", *accepted);
		if (cw_logq_push(env->q, &r, 0, e) < 0) return 0;
		++*accepted;
		sleep_ms(20);
	}
	return -1;
}

static void unwritable_log__refuses_rows_after_the_grace_and_recovers_when_fixed(void **state)
{
	env_t *env = *state;
	cw_logq_config_t c = queue_config(env, env->f.log_path);
	bool as_root = geteuid() == 0;
	int accepted = 0, errors, recoveries;
	char moved[160], last[512];
	cw_access_row_t r;
	cw_err_t e;

	c.capacity = 256;	/* refused for being unwritable, not for being full */
	queue_start(env, &c);
	plain_row(&r, now_ms(), "before");
	assert_int_equal(cw_logq_push(env->q, &r, 2000, &e), 0);
	accepted++;
	assert_true(wait_for_rows(env->f.log_path, 1, 2000));

	/*
	 * Break it. The writer holds the file open, so chmod of the file alone
	 * would not stop it (nor anything stop root, who ignores modes): take the
	 * file away and put a directory in its place; a non-root user also loses
	 * access to the file and its directory.
	 */
	snprintf(moved, sizeof(moved), "%s.moved", env->f.log_path);
	assert_int_equal(rename(env->f.log_path, moved), 0);
	assert_int_equal(mkdir(env->f.log_path, 0700), 0);
	if (!as_root) {
		assert_int_equal(chmod(moved, 0), 0);
		assert_int_equal(chmod(env->logdir, 0), 0);
	}
	memset(&e, 0, sizeof(e));
	assert_int_equal(push_until_refused(env, 3000, &accepted, &e), 0);
	assert_true(accepted > 1);	/* the grace: the first failure is not a refusal */
	assert_non_null(strstr(e.msg, "not writable"));
	reports_get(&env->reports, &errors, &recoveries, last, sizeof(last));
	assert_int_equal(errors, 1);
	assert_int_equal(recoveries, 0);

	/* Fix it: the writer finds the log again and writes what was queued. */
	if (!as_root) {
		assert_int_equal(chmod(env->logdir, 0700), 0);
		assert_int_equal(chmod(moved, 0600), 0);
	}
	assert_int_equal(rmdir(env->f.log_path), 0);
	assert_int_equal(rename(moved, env->f.log_path), 0);
	assert_true(wait_for_recovery(&env->reports, 3000));
	reports_get(&env->reports, &errors, &recoveries, last, sizeof(last));
	assert_int_equal(errors, 1);
	assert_int_equal(recoveries, 1);
	assert_true(wait_for_rows(env->f.log_path, accepted, 2000));
	plain_row(&r, now_ms(), "after");
	assert_int_equal(cw_logq_push(env->q, &r, 2000, &e), 0);
	accepted++;
	queue_stop(env);
	assert_int_equal(rows_in_file(env->f.log_path), accepted);
}

/* --- concurrency ----------------------------------------------------------------------------------------- */

enum { PUSHERS = 4, PUSHES = 500 };

typedef struct pusher {
	pthread_t	thread;
	cw_logq_t	*q;
	int		id;
	int64_t		ts;
	int		failures;
	cw_err_t	e;
} pusher_t;

static void *push_rows(void *arg)
{
	pusher_t *p = arg;
	cw_access_row_t r;

	for (int i = 0; i < PUSHES; i++) {
		plain_row(&r, p->ts, "ap");
		snprintf(r.serial, sizeof(r.serial), "t%d-%d", p->id, i);
		if (cw_logq_push(p->q, &r, 2000, &p->e) < 0) p->failures++;
	}
	return NULL;
}

static void concurrent_pushers__lose_and_duplicate_nothing(void **state)
{
	env_t *env = *state;
	cw_logq_config_t c = queue_config(env, env->f.log_path);
	pusher_t p[PUSHERS];
	int next[PUSHERS] = { 0 };
	rowvec_t rv = { 0 };
	int64_t ts = now_ms();

	c.capacity = 64;
	c.batch_max = 32;
	queue_start(env, &c);
	for (int t = 0; t < PUSHERS; t++) {
		memset(&p[t], 0, sizeof(p[t]));
		p[t].q = env->q;
		p[t].id = t;
		p[t].ts = ts;
		assert_int_equal(pthread_create(&p[t].thread, NULL, push_rows, &p[t]), 0);
	}
	for (int t = 0; t < PUSHERS; t++) pthread_join(p[t].thread, NULL);
	queue_stop(env);
	for (int t = 0; t < PUSHERS; t++) {
		if (p[t].failures) fail_msg("pusher %d: %d failures, last: %s", t, p[t].failures, p[t].e.msg);
	}

	query_file(env->f.log_path, &rv);
	assert_int_equal(rv.n, PUSHERS * PUSHES);
	/* Each thread's rows arrive once each, in the order it pushed them. */
	for (size_t k = 0; k < rv.n; k++) {
		int t, i, used;

		if (sscanf(rv.v[k].serial, "t%d-%d%n", &t, &i, &used) != 2 || rv.v[k].serial[used] != '\0' || t < 0 ||
		    t >= PUSHERS) fail_msg("unexpected serial \"%s\"", rv.v[k].serial);
		if (i != next[t]) fail_msg("thread %d: row %d where %d was due", t, i, next[t]);
		next[t]++;
	}
	for (int t = 0; t < PUSHERS; t++) assert_int_equal(next[t], PUSHES);
	free(rv.v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(retention_cutoff__is_now_minus_whole_days),
		T(row_exactly_at_the_cutoff__is_kept),
		T(retention_days__defaults_to_180_without_the_setting),
		T(retention_days__reads_the_setting),
		T(retention_days_out_of_range_or_malformed__is_an_error),
		T(appended_rows__read_back_field_by_field_oldest_first),
		T(query_filters__select_by_time_member_device_and_limit),
		T(last_accepted__is_the_newest_accept_of_each_certificate),
		T(query_callback_returning_non_zero__stops_and_is_returned),
		T(row_the_schema_refuses__fails_the_whole_append),
		T(rows_past_retention__are_deleted_as_new_rows_are_written),
		T(purge__deletes_every_old_row_and_leaves_no_trace_in_the_files),
		T(purge_while_a_reader_holds_the_wal__is_an_error),
		T(open__turns_secure_delete_on_for_its_connection),
		T(checkpoint_after_deleting__leaves_no_trace_in_the_db_its_free_pages_or_the_wal),
		T(without_secure_delete__the_same_purge_leaves_the_rows_in_free_pages),
		T(checkpoint_while_a_reader_holds_the_wal__says_so_and_works_once_it_is_gone),
		T(stats__count_rows_and_give_the_oldest_time),
		T(open_without_create_on_a_missing_file__says_how_to_create_it),
		T(schema_5__keeps_ids_and_never_reuses_them),
		T(open_on_another_schema_version__is_refused_without_create),
		T(open_on_a_directory_or_a_link__is_refused),
		T(open_with_create__is_idempotent_and_makes_a_0600_wal_file),
		T(stopping_the_queue__writes_every_pushed_row_in_push_order),
		T(queued_rows__are_written_after_flush_ms_without_a_stop),
		T(writer__applies_the_registrys_retention),
		T(idle_writer__purges_rows_and_sessions_and_truncates_the_wal_on_its_timer),
		T(idle_writer__keeps_rows_within_retention),
		T(idle_writer_with_a_reader_on_the_wal__warns_once_and_truncates_once_it_lets_go),
		T(purge_interval_out_of_bounds__is_refused),
		T(queue_on_a_missing_log__refuses_rows_at_once),
		T(queue_on_a_missing_log__recovers_once_the_log_exists),
		T(unwritable_log__refuses_rows_after_the_grace_and_recovers_when_fixed),
		T(concurrent_pushers__lose_and_duplicate_nothing),
#undef T
	};

	return cmocka_run_group_tests_name("accesslog", tests, NULL, NULL);
}
