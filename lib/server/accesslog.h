/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * accesslog.h - the access log: one row per authentication decision,
 * minimal, pseudonymous, retention-limited (sql/accesslog/).
 *
 * STATE/log/accesslog.db, in WAL mode with secure_delete: radiusd's writer
 * thread (logq.h) appends in batches and deletes what is past retention as
 * it goes and on a timer; coworkctl reads, exports and purges. The file lives in its own
 * directory, the only one radiusd may write: the registry's directory must
 * stay read-only to radiusd (see docs/install.md, "State directory").
 */
#ifndef COWORK_ACCESSLOG_H
#define COWORK_ACCESSLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cowork.h"
#include "devhash.h"
#include "registry.h"
#include "serial.h"
#include "station.h"

/* Retention of rows, in days: registry setting "log_retention_days". */
#define CW_RETENTION_DAYS_DEFAULT	180
#define CW_RETENTION_DAYS_MIN		1
#define CW_RETENTION_DAYS_MAX		3650

/* Longest NAS-Identifier kept (RFC 2865 allows 253 bytes; longer is cut). */
#define CW_NAS_MAX 64

typedef struct cw_access_row {
	int64_t		ts_ms;				//!< UTC milliseconds
	bool		clock_synced;
	int64_t		clock_error_us;			//!< -1: unknown
	bool		accepted;
	char		reason[32];			//!< cw_decide_result_name()
	bool		member;				//!< class: member (true) or guest
	char		member_id[CW_ID_MAX + 1];	//!< "" unless a member
	bool		has_device;
	uint8_t		device[CW_DEVICE_HASH_LEN];	//!< keyed hash of the station's MAC
	char		nas[CW_NAS_MAX + 1];		//!< NAS-Identifier or NAS-IP-Address; "" none
	char		ssid[CW_SSID_MAX + 1];		//!< "" none
	uint16_t	vlan;				//!< 0: none
	char		serial[CW_SERIAL_HEX_MAX + 1];	//!< "" unless a certificate
	bool		has_akm;			//!< the request carried WLAN-AKM-Suite (RFC 7268)
	uint32_t	akm;				//!< its suite selector (wlansec.h)
	bool		has_cipher;			//!< the request carried WLAN-Pairwise-Cipher
	uint32_t	cipher;				//!< its suite selector
} cw_access_row_t;

typedef struct cw_accesslog cw_accesslog_t;

/* Schema version this build reads and writes. */
int cw_accesslog_schema_version(void);

/*
 * Open the access log read-write (WAL, synchronous FULL, secure_delete,
 * foreign schema distrusted), creating the file 0600 when create is true,
 * and bring its schema up to date (create) or check it is exactly this
 * build's (!create: radiusd never changes the schema). 0 with *out set, or
 * -1 with err.
 */
int cw_accesslog_open(const char *path, bool create, cw_accesslog_t **out, cw_err_t *err);

/* Close; accepts NULL. */
void cw_accesslog_close(cw_accesslog_t *log);

/*
 * Whether the connection can write: SQLite quietly opens a file it cannot
 * write read-only, so an open alone proves nothing for a writer. 1 or 0.
 */
int cw_accesslog_writable(cw_accesslog_t *log);

/*
 * In one transaction: append rows[0..n) and delete at most purge_limit rows
 * older than purge_before_ms (0: none). *purged (may be NULL) gets how many
 * were deleted. 0, or -1 with err (nothing written).
 */
int cw_accesslog_append(cw_accesslog_t *log, const cw_access_row_t *rows, size_t n, int64_t purge_before_ms,
			unsigned purge_limit, size_t *purged, cw_err_t *err);

/*
 * Delete every row older than before_ms, in transactions of a bounded
 * number of rows (so radiusd's writer waits at most for one of them), then
 * truncate the WAL so deleted rows do not linger in it. *deleted gets the
 * count. 0, or -1 with err.
 */
int cw_accesslog_purge(cw_accesslog_t *log, int64_t before_ms, int64_t *deleted, cw_err_t *err);

/*
 * Truncate the WAL (a TRUNCATE checkpoint), so that rows deleted since
 * (zeroed in the database by secure_delete) do not linger in the -wal
 * file. Waits at most wait_ms for readers. 0 when the WAL is empty; 1 with
 * err when a reader kept it (try again later); -1 with err.
 */
int cw_accesslog_checkpoint(cw_accesslog_t *log, unsigned wait_ms, cw_err_t *err);

/* What to select; zero fields select everything. */
typedef struct cw_access_filter {
	int64_t		from_ms;			//!< rows at or after (0: from the start)
	int64_t		to_ms;				//!< rows before (0: to the end)
	const char	*member;			//!< member id, or NULL
	bool		has_device;
	uint8_t		device[CW_DEVICE_HASH_LEN];	//!< a device's hash
	size_t		limit;				//!< most recent `limit` rows (0: all)
} cw_access_filter_t;

/*
 * Rows matching f, oldest first (with a limit: the most recent ones, still
 * oldest first). fn returning non-zero stops and is returned. 0 or -1.
 */
int cw_accesslog_query(cw_accesslog_t *log, const cw_access_filter_t *f,
		       int (*fn)(void *arg, const cw_access_row_t *row), void *arg, cw_err_t *err);

/*
 * When each certificate of member was last accepted: fn once per serial
 * with the time (ms) of its newest accepted row, in serial order (non-zero
 * from fn stops and is returned). For the enrollment page's "last seen".
 * 0, or -1 with err.
 */
int cw_accesslog_last_accepted(cw_accesslog_t *log, const char *member,
			       int (*fn)(void *arg, const char *serial, int64_t ts_ms), void *arg, cw_err_t *err);

/* Number of rows and the oldest row's time (0 when empty). 0 or -1. */
int cw_accesslog_stats(cw_accesslog_t *log, int64_t *rows, int64_t *oldest_ms, cw_err_t *err);

/* The underlying connection, for the session table (session.c). */
sqlite3 *cw_accesslog_db(cw_accesslog_t *log);

/*
 * 0 while the file is where it was opened; -1 with err once it was moved
 * or deleted (a writer must then reopen the path, or its rows would go to
 * a file nobody reads).
 */
int cw_accesslog_in_place(cw_accesslog_t *log, cw_err_t *err);

/* The cut-off for a retention of `days` at now_ms: rows before it are due for deletion. */
int64_t cw_retention_cutoff_ms(int64_t now_ms, unsigned days);

/* The registry's retention in days (the default when unset). 0, or -1 with err. */
int cw_retention_days(cw_registry_t *reg, unsigned *days, cw_err_t *err);

#endif
