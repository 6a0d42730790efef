/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logq.c - the module's access-log writer thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "devtab.h"
#include "hook.h"
#include "linksec.h"
#include "logq.h"
#include "session.h"
#include "vlan.h"
#include "clock.h"

/* How often the writer re-reads the retention setting and retries a broken log. */
#define RETENTION_REFRESH_S	60
#define RETRY_PAUSE_MS		1000
/* On shutdown, how many failed writes before the queued rows are given up. */
#define STOP_ATTEMPTS		3
/* A retention pass runs at most this many purge_limit transactions, then lets queued rows in. */
#define PURGE_BATCHES		20
/* When a pass left work (more rows or sessions past retention), the next comes this soon. */
#define PURGE_AGAIN_MS		1000
/* How long a WAL truncation waits for readers: rows queue up meanwhile. */
#define CHECKPOINT_WAIT_MS	100
/* At most one warning this often (a reader that never lets go would otherwise flood the log). */
#define WARN_INTERVAL_S		3600
/* While notify commands run, the writer wakes this often to reap them. */
#define HOOK_POLL_MS		100
/* At shutdown, how long running notify commands get before they are killed. */
#define HOOK_STOP_MS		2000

/* A queued row, with the device change its decision made (devtab.h), if any. */
typedef struct queued {
	cw_access_row_t		row;
	bool			has_event;
	cw_device_event_t	event;
} queued_t;

struct cw_logq {
	pthread_mutex_t		lock;
	pthread_cond_t		rows_ready;	//!< writer waits: rows queued, or stop
	pthread_cond_t		space;		//!< pushers wait: room in the queue
	pthread_t		thread;
	queued_t		*ring;		//!< capacity rows; [head, head + count) queued
	size_t			head;
	size_t			count;
	bool			stop;
	time_t			failing_since;	//!< 0 while the log is writable
	cw_err_t		last_error;
	/* Writer-thread state, not shared. */
	cw_accesslog_t		*log;
	unsigned		retention_days;
	time_t			retention_read;
	int64_t			next_purge_ms;	//!< CLOCK_MONOTONIC time of the next retention pass
	bool			wal_dirty;	//!< rows deleted since the WAL was last truncated
	time_t			warned;		//!< last CW_LOGQ_WARNING report
	cw_access_row_t		*batch;
	cw_device_event_t	*events;	//!< the batch's device changes
	bool			*first;		//!< events[i] was a first sight
	size_t			nevents;
	cw_hooks_t		hooks;		//!< notify commands running
	cw_logq_config_t	cfg;
	char			*log_path;
	char			*registry_path;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* An absolute CLOCK_MONOTONIC deadline ms from now, for pthread_cond_timedwait (the conditions use that clock). */
static struct timespec deadline(unsigned ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return ts;
}

static void report(cw_logq_t *q, int is_error, const char *msg)
{
	if (q->cfg.report) q->cfg.report(q->cfg.report_ctx, is_error, msg);
}

/* Writer thread: a CW_LOGQ_WARNING, unless one was given less than WARN_INTERVAL_S ago. */
static void warn(cw_logq_t *q, const char *msg)
{
	time_t now = time(NULL);

	if (q->warned && now - q->warned < WARN_INTERVAL_S) return;
	q->warned = now;
	report(q, CW_LOGQ_WARNING, msg);
}

/* Open the log for writing (an open that SQLite made read-only does not count). 0 or -1. */
static int open_for_writing(cw_logq_t *q, cw_accesslog_t **log, cw_err_t *e)
{
	if (cw_accesslog_open(q->log_path, false, log, e) < 0) return -1;
	if (!cw_accesslog_writable(*log)) {
		cw_err_set(e, "access log %s is not writable by the server (uid %u)", q->log_path, (unsigned)geteuid());
		cw_accesslog_close(*log);
		*log = NULL;
		return -1;
	}
	return 0;
}

/* Writer thread: note a failure (reported once per failing spell). */
static void failed(cw_logq_t *q, const cw_err_t *e)
{
	bool first;

	pthread_mutex_lock(&q->lock);
	first = q->failing_since == 0;
	if (first) q->failing_since = time(NULL);
	q->last_error = *e;
	pthread_mutex_unlock(&q->lock);
	if (first) report(q, 1, e->msg);
	cw_accesslog_close(q->log);
	q->log = NULL;
}

/* Writer thread: the retention in days, re-read from the registry now and then. */
static void refresh_retention(cw_logq_t *q)
{
	cw_registry_t *reg;
	unsigned days;
	cw_err_t e;

	if (q->retention_read && time(NULL) - q->retention_read < RETENTION_REFRESH_S) return;
	q->retention_read = time(NULL);
	if (cw_registry_open_reader(q->registry_path, 1000, &reg, &e) < 0) return;	/* keep the last value */
	if (cw_retention_days(reg, &days, &e) == 0) q->retention_days = days;
	cw_registry_close(reg);
}

/* Writer thread: whether rows wait to be written (or the queue stops): a retention pass yields to them. */
static bool rows_waiting(cw_logq_t *q)
{
	bool waiting;

	pthread_mutex_lock(&q->lock);
	waiting = q->count > 0 || q->stop;
	pthread_mutex_unlock(&q->lock);
	return waiting;
}

/*
 * Writer thread: delete rows older than cutoff, in at most PURGE_BATCHES
 * transactions of purge_limit rows. *more is set when some may remain.
 * 0, or -1 (reported through failed(): the connection is reopened).
 */
static int purge_rows(cw_logq_t *q, int64_t cutoff, bool *more)
{
	size_t n;
	cw_err_t e;

	for (unsigned i = 0; i < PURGE_BATCHES; i++) {
		if (cw_accesslog_append(q->log, NULL, 0, cutoff, q->cfg.purge_limit, &n, &e) < 0) {
			failed(q, &e);
			return -1;
		}
		if (n > 0) q->wal_dirty = true;
		if (n < q->cfg.purge_limit) return 0;
		if (rows_waiting(q)) break;
	}
	*more = true;
	return 0;
}

/*
 * Writer thread: the session table's retention (session.h), in one bounded
 * transaction: stale sessions end (their User-Name and MAC cleared),
 * ended ones past retention go. A failure is a warning (it refuses
 * nothing) and is retried at the next pass.
 */
static void purge_sessions(cw_logq_t *q, int64_t now, int64_t cutoff, bool *more)
{
	int64_t deleted = 0, expired = 0;
	cw_err_t e;

	if (cw_session_purge(q->log, cutoff, now - CW_SESSION_STALE_MS, q->cfg.purge_limit, &deleted, &expired, &e) <
	    0) {
		warn(q, e.msg);
		return;
	}
	if (deleted > 0 || expired > 0) q->wal_dirty = true;
	if (deleted == (int64_t)q->cfg.purge_limit || expired == (int64_t)q->cfg.purge_limit) *more = true;
}

/*
 * Writer thread: the link table's retention (linksec.h), one bounded
 * transaction; a failure is a warning, retried at the next pass.
 */
static void purge_links(cw_logq_t *q, int64_t cutoff, bool *more)
{
	int64_t deleted = 0;
	cw_err_t e;

	if (cw_link_purge(q->log, cutoff, q->cfg.purge_limit, &deleted, &e) < 0) {
		warn(q, e.msg);
		return;
	}
	if (deleted > 0) q->wal_dirty = true;
	if (deleted == (int64_t)q->cfg.purge_limit) *more = true;
}

/*
 * Writer thread: once something was deleted, truncate the WAL, which still
 * holds the deleted rows (secure_delete zeroed them in the database file).
 * A reader holding the WAL defers it to the next pass, with a warning.
 */
static void truncate_wal(cw_logq_t *q)
{
	cw_err_t e;

	if (!q->wal_dirty) return;
	if (cw_accesslog_checkpoint(q->log, CHECKPOINT_WAIT_MS, &e) == 0) {
		q->wal_dirty = false;
		return;
	}
	warn(q, e.msg);
}

/*
 * Writer thread: the devices of certificates that ended before the
 * retention cut-off (devtab.h); a failure is a warning, retried next pass.
 */
static void purge_devices(cw_logq_t *q, int64_t cutoff, bool *more)
{
	size_t deleted;
	cw_err_t e;

	if (cw_devlog_purge(q->log, cutoff, q->cfg.purge_limit, &deleted, &e) < 0) {
		warn(q, e.msg);
		return;
	}
	if (deleted > 0) q->wal_dirty = true;
	if (deleted == q->cfg.purge_limit) *more = true;
}

/* Writer thread: the notify command for new devices, from the registry ("" when none). */
static void hook_command(cw_logq_t *q, char *cmd, size_t len)
{
	cw_registry_t *reg;
	cw_err_t e;

	cmd[0] = '\0';
	if (cw_registry_open_reader(q->registry_path, 1000, &reg, &e) < 0) {
		report(q, CW_LOGQ_WARNING, e.msg);
		return;
	}
	if (cw_registry_setting_get(reg, "notify_new_device", cmd, len, &e) < 0) {
		cmd[0] = '\0';
		report(q, CW_LOGQ_WARNING, e.msg);
	}
	cw_registry_close(reg);
}

static void hook_report(void *ctx, const char *msg)
{
	report(ctx, CW_LOGQ_WARNING, msg);
}

/*
 * Writer thread: run the notify command for each device seen for the first
 * time with its certificate. Its environment names the member, the
 * certificate and the device's keyed hash, never the MAC.
 */
static void notify_new_devices(cw_logq_t *q)
{
	char cmd[CW_HOOK_CMD_MAX + 1];
	bool read = false;

	for (size_t i = 0; i < q->nevents; i++) {
		const cw_device_event_t *ev = &q->events[i];
		char member[16 + CW_ID_MAX], serial[16 + CW_SERIAL_HEX_MAX], hex[CW_DEVICE_HASH_HEX];
		char device[16 + CW_DEVICE_HASH_HEX], state[32];
		const char *env[] = { "COWORK_EVENT=new-device", member, serial, device, state, NULL };
		cw_err_t e;

		if (!q->first[i]) continue;
		if (!read) {
			hook_command(q, cmd, sizeof(cmd));
			read = true;
		}
		if (!cmd[0]) return;
		cw_device_hash_hex(ev->device, hex);
		(void)cw_snprintf(member, sizeof(member), "COWORK_MEMBER=%s", ev->member);
		(void)cw_snprintf(serial, sizeof(serial), "COWORK_SERIAL=%s", ev->serial);
		(void)cw_snprintf(device, sizeof(device), "COWORK_DEVICE=%s", hex);
		(void)cw_snprintf(state, sizeof(state), "COWORK_DEVICE_STATE=%s", cw_devstate_name(ev->state));
		(void)cw_hook_reap(&q->hooks, hook_report, q);
		if (cw_hook_run(&q->hooks, cmd, env, &e) < 0) {
			cw_err_t w;

			cw_err_set(&w, "new device %.12s... of %s (certificate %s) not notified: %s", hex, ev->member,
				   ev->serial, e.msg);
			report(q, CW_LOGQ_WARNING, w.msg);
		}
	}
}

/* Writer thread: ms to wait at most, shortened while notify commands run (they are reaped on waking). */
static unsigned wait_cap(cw_logq_t *q, unsigned ms)
{
	if (cw_hook_reap(&q->hooks, hook_report, q) == 0) return ms;
	return ms < HOOK_POLL_MS ? ms : HOOK_POLL_MS;
}

/* Writer thread: whether the retention pass is due. */
static bool purge_due(const cw_logq_t *q)
{
	/* Monotonic: a wall clock set back must not postpone the retention pass. */
	return cw_monotonic_ms() >= q->next_purge_ms;
}

/* Writer thread: milliseconds until the retention pass (0 when due). */
static unsigned until_purge_ms(const cw_logq_t *q)
{
	int64_t left = q->next_purge_ms - cw_monotonic_ms();

	return left > 0 ? (unsigned)left : 0;
}

/*
 * Writer thread: the retention pass, every purge_interval_s whether or not
 * rows come (an idle server must not keep what is past retention), sooner
 * when the last one left work. Skipped while the log is broken: retry_open
 * or the next write reopens it first.
 */
static void purge_pass(cw_logq_t *q)
{
	int64_t now, cutoff;
	bool more = false;

	q->next_purge_ms = cw_monotonic_ms() + (int64_t)q->cfg.purge_interval_s * 1000;
	if (!q->log) return;
	refresh_retention(q);
	now = now_ms() + q->cfg.clock_offset_ms;
	cutoff = cw_retention_cutoff_ms(now, q->retention_days);
	if (purge_rows(q, cutoff, &more) < 0) return;
	purge_sessions(q, now, cutoff, &more);
	purge_links(q, cutoff, &more);
	purge_devices(q, cutoff, &more);
	truncate_wal(q);
	/* A WAL a reader kept waits for the next regular pass: trying every second would stall the writer. */
	if (more) q->next_purge_ms = cw_monotonic_ms() + PURGE_AGAIN_MS;
}

/* Writer thread: write rows; 0 or -1 (reported). */
static int write_batch(cw_logq_t *q, size_t n)
{
	int64_t cutoff, now;
	size_t purged;
	cw_err_t e;

	if (!q->log && open_for_writing(q, &q->log, &e) < 0) {
		failed(q, &e);
		return -1;
	}
	refresh_retention(q);
	now = now_ms() + q->cfg.clock_offset_ms;
	cutoff = cw_retention_cutoff_ms(now, q->retention_days);
	/*
	 * The devices first, in their own transaction: rewriting them after a
	 * failed append only repeats an upsert (and a first sight is first once).
	 */
	if (cw_devlog_write(q->log, q->events, q->nevents, q->first, &e) < 0) {
		failed(q, &e);
		return -1;
	}
	notify_new_devices(q);
	q->nevents = 0;
	if (cw_accesslog_append(q->log, q->batch, n, cutoff, q->cfg.purge_limit, &purged, &e) < 0) {
		failed(q, &e);
		return -1;
	}
	/* The WAL is truncated at the next retention pass, not after every batch. */
	if (purged > 0) q->wal_dirty = true;
	pthread_mutex_lock(&q->lock);
	if (q->failing_since) {
		q->failing_since = 0;
		pthread_mutex_unlock(&q->lock);
		report(q, 0, "the access log is writable again");
		return 0;
	}
	pthread_mutex_unlock(&q->lock);
	return 0;
}

/* Writer thread, while failing with nothing queued: is the log back? */
static void retry_open(cw_logq_t *q)
{
	cw_err_t e;

	if (!q->log && open_for_writing(q, &q->log, &e) < 0) {
		failed(q, &e);
		return;
	}
	pthread_mutex_lock(&q->lock);
	q->failing_since = 0;
	pthread_mutex_unlock(&q->lock);
	report(q, 0, "the access log is writable again");
}

/* With the lock held: copy up to batch_max queued rows (left queued) into q->batch. */
static size_t peek(cw_logq_t *q)
{
	size_t n = q->count < q->cfg.batch_max ? q->count : q->cfg.batch_max;

	q->nevents = 0;
	for (size_t i = 0; i < n; i++) {
		const queued_t *e = &q->ring[(q->head + i) % q->cfg.capacity];

		q->batch[i] = e->row;
		if (e->has_event) q->events[q->nevents++] = e->event;
	}
	return n;
}

static void *writer(void *arg)
{
	cw_logq_t *q = arg;
	unsigned stop_failures = 0;

	pthread_mutex_lock(&q->lock);
	for (;;) {
		struct timespec until;
		size_t n;
		int rc;

		if (!q->stop && purge_due(q)) {
			pthread_mutex_unlock(&q->lock);
			purge_pass(q);
			pthread_mutex_lock(&q->lock);
		}
		while (!q->stop && q->count == 0 && !purge_due(q)) {
			if (!q->failing_since) {
				until = deadline(wait_cap(q, until_purge_ms(q)));
				(void)pthread_cond_timedwait(&q->rows_ready, &q->lock, &until);
				continue;
			}
			/* Refusing rows: try the log again now and then, or nothing would ever recover. */
			until = deadline(RETRY_PAUSE_MS);
			if (pthread_cond_timedwait(&q->rows_ready, &q->lock, &until) != ETIMEDOUT) continue;
			pthread_mutex_unlock(&q->lock);
			retry_open(q);
			pthread_mutex_lock(&q->lock);
		}
		if (q->count == 0) {
			if (q->stop) break;	/* stopping, all written */
			continue;		/* the retention pass is due */
		}
		/* Let a batch fill for up to flush_ms. */
		until = deadline(q->cfg.flush_ms);
		while (!q->stop && q->count < q->cfg.batch_max) {
			if (pthread_cond_timedwait(&q->rows_ready, &q->lock, &until) == ETIMEDOUT) break;
		}
		n = peek(q);
		pthread_mutex_unlock(&q->lock);
		rc = write_batch(q, n);
		pthread_mutex_lock(&q->lock);
		if (rc == 0) {
			q->head = (q->head + n) % q->cfg.capacity;
			q->count -= n;
			pthread_cond_broadcast(&q->space);
			continue;
		}
		if (q->stop && ++stop_failures >= STOP_ATTEMPTS) break;
		until = deadline(RETRY_PAUSE_MS);
		while (!q->stop) {
			if (pthread_cond_timedwait(&q->rows_ready, &q->lock, &until) == ETIMEDOUT) break;
		}
	}
	/* The notify commands still running get a moment, then go. */
	for (unsigned waited = 0; waited < HOOK_STOP_MS && cw_hook_reap(&q->hooks, hook_report, q) > 0;
	     waited += HOOK_POLL_MS) {
		pthread_mutex_unlock(&q->lock);
		(void)usleep(HOOK_POLL_MS * 1000);
		pthread_mutex_lock(&q->lock);
	}
	cw_hook_kill_all(&q->hooks);
	if (q->count > 0) {
		cw_err_t e;

		cw_err_set(&e, "%zu access log rows could not be written before shutdown: %s", q->count,
			   q->last_error.msg);
		pthread_mutex_unlock(&q->lock);
		report(q, 1, e.msg);
		return NULL;
	}
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

static void destroy(cw_logq_t *q)
{
	cw_accesslog_close(q->log);
	free(q->ring);
	free(q->batch);
	free(q->events);
	free(q->first);
	free(q->log_path);
	free(q->registry_path);
	pthread_cond_destroy(&q->rows_ready);
	pthread_cond_destroy(&q->space);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

int cw_logq_start(const cw_logq_config_t *cfg, cw_logq_t **out, cw_err_t *err)
{
	cw_logq_t *q = calloc(1, sizeof(*q));
	pthread_condattr_t monotonic;
	cw_err_t e;

	*out = NULL;
	if (!q) goto oom;
	q->cfg = *cfg;
	if (q->cfg.batch_max == 0 || q->cfg.capacity < q->cfg.batch_max) {
		free(q);
		cw_err_set(err, "access log queue: capacity must be at least one batch");
		return -1;
	}
	if (q->cfg.purge_interval_s == 0) q->cfg.purge_interval_s = CW_LOGQ_PURGE_INTERVAL_DEFAULT;
	if (q->cfg.purge_interval_s < CW_LOGQ_PURGE_INTERVAL_MIN || q->cfg.purge_interval_s > CW_LOGQ_PURGE_INTERVAL_MAX) {
		free(q);
		cw_err_set(err, "access log queue: the purge interval must be %d to %d s", CW_LOGQ_PURGE_INTERVAL_MIN,
			   CW_LOGQ_PURGE_INTERVAL_MAX);
		return -1;
	}
	pthread_mutex_init(&q->lock, NULL);
	pthread_condattr_init(&monotonic);
	pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC);
	pthread_cond_init(&q->rows_ready, &monotonic);
	pthread_cond_init(&q->space, &monotonic);
	pthread_condattr_destroy(&monotonic);
	q->ring = calloc(q->cfg.capacity, sizeof(*q->ring));
	q->batch = calloc(q->cfg.batch_max, sizeof(*q->batch));
	q->events = calloc(q->cfg.batch_max, sizeof(*q->events));
	q->first = calloc(q->cfg.batch_max, sizeof(*q->first));
	q->log_path = strdup(cfg->log_path);
	q->registry_path = strdup(cfg->registry_path);
	if (!q->ring || !q->batch || !q->events || !q->first || !q->log_path || !q->registry_path) {
		destroy(q);
		goto oom;
	}
	q->retention_days = CW_RETENTION_DAYS_DEFAULT;
	refresh_retention(q);
	q->next_purge_ms = cw_monotonic_ms() + (int64_t)q->cfg.purge_interval_s * 1000;
	/* A crash may have left deleted rows in the WAL: the first pass truncates it. */
	q->wal_dirty = true;
	if (open_for_writing(q, &q->log, &e) < 0) {
		/* Refuse rows at once rather than after the grace: nothing was ever written. */
		q->failing_since = time(NULL) - (time_t)q->cfg.fail_grace_s;
		q->last_error = e;
		report(q, 1, e.msg);
	}
	if (pthread_create(&q->thread, NULL, writer, q) != 0) {
		destroy(q);
		cw_err_set(err, "cannot start the access log writer thread");
		return -1;
	}
	*out = q;
	return 0;

oom:
	cw_err_set(err, "out of memory");
	return -1;
}

int cw_logq_push(cw_logq_t *q, const cw_access_row_t *row, unsigned wait_ms, cw_err_t *err)
{
	return cw_logq_push_device(q, row, NULL, wait_ms, err);
}

int cw_logq_push_device(cw_logq_t *q, const cw_access_row_t *row, const cw_device_event_t *event, unsigned wait_ms,
			cw_err_t *err)
{
	queued_t *slot;
	struct timespec until = deadline(wait_ms);
	int rc = -1;

	if (row->vlan > CW_VLAN_MAX) {
		/* The schema would refuse it, and with it the whole batch, again and again. */
		cw_err_set(err, "access log row with VLAN %u", row->vlan);
		return -1;
	}
	pthread_mutex_lock(&q->lock);
	if (q->stop) {
		cw_err_set(err, "the access log writer is shutting down");
		goto done;
	}
	if (q->failing_since && time(NULL) - q->failing_since >= (time_t)q->cfg.fail_grace_s) {
		cw_err_set(err, "the access log is not writable: %s", q->last_error.msg);
		goto done;
	}
	while (q->count == q->cfg.capacity && !q->stop) {
		if (pthread_cond_timedwait(&q->space, &q->lock, &until) == ETIMEDOUT) {
			cw_err_set(err, "the access log writer is %u rows behind", q->cfg.capacity);
			goto done;
		}
	}
	if (q->stop) {
		cw_err_set(err, "the access log writer is shutting down");
		goto done;
	}
	slot = &q->ring[(q->head + q->count) % q->cfg.capacity];
	slot->row = *row;
	slot->has_event = event != NULL;
	if (event) slot->event = *event;
	q->count++;
	/* Wake the writer for the first row of a batch and for a full one. */
	if (q->count == 1 || q->count == q->cfg.batch_max) pthread_cond_signal(&q->rows_ready);
	rc = 0;
done:
	pthread_mutex_unlock(&q->lock);
	return rc;
}

void cw_logq_stop(cw_logq_t *q)
{
	if (!q) return;
	pthread_mutex_lock(&q->lock);
	q->stop = true;
	pthread_cond_signal(&q->rows_ready);
	pthread_cond_broadcast(&q->space);	/* pushers waiting for room give up */
	pthread_mutex_unlock(&q->lock);
	pthread_join(q->thread, NULL);
	destroy(q);
}
