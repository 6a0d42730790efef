/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devtab.h - the devices of each member certificate: in radiusd's memory
 * (the hot path: one lookup under a mutex, no database) and in the access
 * log's device table (sql/accesslog/0004_device.sql), which the writer
 * thread keeps (logq.h) and coworkctl reads.
 *
 * The table is loaded from the access log when the module starts; from
 * then on the module changes it in memory first and queues the change for
 * the writer. Until it has loaded, it knows nothing: the module refuses
 * under enforce rather than binding a copied certificate's device as the
 * "first" one.
 */
#ifndef COWORK_DEVTAB_H
#define COWORK_DEVTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accesslog.h"
#include "devbind.h"

/* Devices kept per certificate: beyond, new ones are neither recorded nor reported (a flood). */
#define CW_DEVTAB_PER_CERT 32

/* A change of one device's state, for the access log's device table. */
typedef struct cw_device_event {
	char		serial[CW_SERIAL_HEX_MAX + 1];
	char		member[CW_ID_MAX + 1];
	uint8_t		device[CW_DEVICE_HASH_LEN];
	cw_devstate_t	state;			//!< the state it is now in
	int64_t		ts_ms;			//!< UTC milliseconds
	int64_t		not_after_ms;		//!< the certificate's end
} cw_device_event_t;

typedef struct cw_devtab cw_devtab_t;

/* An empty table, not loaded. 0, or -1 (out of memory). */
int cw_devtab_new(cw_devtab_t **out);

/* Free; accepts NULL. */
void cw_devtab_free(cw_devtab_t *t);

/* Replace the table's contents by the access log's device table and mark it loaded. 0, or -1 with err. */
int cw_devtab_load(cw_devtab_t *t, cw_accesslog_t *log, cw_err_t *err);

/* Whether cw_devtab_load succeeded once. */
bool cw_devtab_loaded(cw_devtab_t *t);

/* What is known of (serial, device), and whether serial has a bound device. */
void cw_devtab_lookup(cw_devtab_t *t, const char *serial, const uint8_t device[CW_DEVICE_HASH_LEN],
		      cw_devstate_t *state, bool *cert_bound);

/*
 * Judge and record in one step (under the table's lock, so two first
 * devices of one certificate at the same moment cannot both be bound):
 * cw_device_judge on the current state, then the state the verdict leaves.
 * *changed is set when the state changed (a change to write to the
 * access log). A new device of a certificate that already has
 * CW_DEVTAB_PER_CERT is judged but not kept (*changed false). Returns the
 * verdict.
 */
cw_device_verdict_t cw_devtab_settle(cw_devtab_t *t, cw_binding_t policy, const char *serial,
				     const uint8_t device[CW_DEVICE_HASH_LEN], bool has_device, bool approved,
				     cw_devstate_t *state, bool *changed);

/*
 * Write events to the access log's device table, in one transaction.
 * first[i] (may be NULL) is set when events[i] was the device's first
 * sight with its certificate (a row inserted): the event to report. 0, or
 * -1 with err (nothing written).
 */
int cw_devlog_write(cw_accesslog_t *log, const cw_device_event_t *events, size_t n, bool *first, cw_err_t *err);

/* Delete at most limit rows whose certificate ended before cutoff_ms. *deleted gets how many. 0 or -1. */
int cw_devlog_purge(cw_accesslog_t *log, int64_t cutoff_ms, unsigned limit, size_t *deleted, cw_err_t *err);

/* One row of the device table, for coworkctl. */
typedef struct cw_device_row {
	char		serial[CW_SERIAL_HEX_MAX + 1];
	char		member[CW_ID_MAX + 1];
	uint8_t		device[CW_DEVICE_HASH_LEN];
	cw_devstate_t	state;
	int64_t		first_ms;
	int64_t		last_ms;
	int64_t		refusals;
	int64_t		not_after_ms;
} cw_device_row_t;

/* What to list; zero fields select everything. */
typedef struct cw_device_filter {
	const char	*member;	//!< this member's devices, or NULL
	const char	*serial;	//!< this certificate's, or NULL
	int64_t		since_ms;	//!< first seen at or after (0: any time)
} cw_device_filter_t;

/* Rows matching f, by first sight. fn returning non-zero stops and is returned. 0 or -1. */
int cw_devlog_list(cw_accesslog_t *log, const cw_device_filter_t *f,
		   int (*fn)(void *arg, const cw_device_row_t *row), void *arg, cw_err_t *err);

/* Counts for the audit: devices first seen since since_ms, and access rows refused as unknown-device. 0 or -1. */
int cw_devlog_counts(cw_accesslog_t *log, int64_t since_ms, int64_t *new_devices, int64_t *refusals, cw_err_t *err);

#endif
