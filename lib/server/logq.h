/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logq.h - the module's access-log writer: request threads push rows into
 * memory, one thread writes them to the access log in batches.
 *
 * What an abrupt kill (SIGKILL, crash) can lose: the rows still in memory,
 * that is at most flush_ms (100 ms by default) of decisions, and never
 * more than batch_max rows... plus, while the log is unwritable, what
 * queued up during fail_grace_s. A clean shutdown (cw_logq_stop) writes
 * everything. Written rows are durable (WAL, synchronous FULL).
 */
#ifndef COWORK_LOGQ_H
#define COWORK_LOGQ_H

#include <stdint.h>

#include "accesslog.h"
#include "devtab.h"

typedef struct cw_logq cw_logq_t;

/* report()'s is_error for a problem that refuses nothing. */
#define CW_LOGQ_WARNING 2

/* Seconds between two retention passes of an idle writer (purge_interval_s). */
#define CW_LOGQ_PURGE_INTERVAL_DEFAULT	300
#define CW_LOGQ_PURGE_INTERVAL_MIN	1
#define CW_LOGQ_PURGE_INTERVAL_MAX	3600

typedef struct cw_logq_config {
	const char	*log_path;		//!< STATE/log/accesslog.db
	const char	*registry_path;		//!< for log_retention_days
	unsigned	flush_ms;		//!< longest a row waits in memory
	unsigned	batch_max;		//!< rows per transaction
	unsigned	capacity;		//!< rows the queue holds
	unsigned	purge_limit;		//!< rows past retention deleted per transaction
	/*
	 * Every purge_interval_s (0: the default), busy or idle, the writer
	 * deletes rows, sessions and sessions' Wi-Fi security (linksec.h)
	 * past retention, ends stale sessions (session.h), and once anything was deleted truncates the WAL so the
	 * deleted bytes do not linger there (a reader holding the WAL defers
	 * that to the next pass).
	 */
	unsigned	purge_interval_s;
	unsigned	fail_grace_s;		//!< refuse rows once the log has been unwritable this long
	int64_t		clock_offset_ms;	//!< tests only: shift of the retention cut-off
	/*
	 * Called from the writer thread when the log becomes unwritable
	 * (is_error 1) or writable again (0), and for a failed session purge
	 * or WAL truncation (CW_LOGQ_WARNING: rows are still written; at most
	 * one such warning an hour).
	 */
	void		(*report)(void *ctx, int is_error, const char *msg);
	void		*report_ctx;
} cw_logq_config_t;

/*
 * Start the writer thread. The log is opened at once: when that fails,
 * cw_logq_push refuses rows from the start (and the writer keeps trying
 * every second). 0 with *out set, or -1 with err (no thread started; also
 * for a purge_interval_s out of its bounds).
 */
int cw_logq_start(const cw_logq_config_t *cfg, cw_logq_t **out, cw_err_t *err);

/*
 * Queue a row. Waits up to wait_ms while the queue is full. Refuses (-1
 * with err) when it stays full, or when the log has been unwritable for
 * fail_grace_s or more: the caller then must not grant access, since the
 * decision could not be logged. 0 when queued.
 */
int cw_logq_push(cw_logq_t *q, const cw_access_row_t *row, unsigned wait_ms, cw_err_t *err);

/*
 * cw_logq_push, with the change of a device's state the decision made
 * (NULL: none), written in the same batch: the writer then runs the notify
 * command for a device seen for the first time (hook.h).
 */
int cw_logq_push_device(cw_logq_t *q, const cw_access_row_t *row, const cw_device_event_t *event, unsigned wait_ms,
			cw_err_t *err);

/*
 * Write every queued row, stop the thread, free. Accepts NULL. No push may
 * run concurrently with or after it (the module stops the writer in
 * detach, once no request uses the instance).
 */
void cw_logq_stop(cw_logq_t *q);

#endif
