/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * admin_internal.h - the statement helpers of registry_admin.c, shared by
 * the other lib/admin files that change the registry (invite.c). Not for
 * callers outside lib/admin.
 *
 * Arguments are described by a types string: 't' a string (const char *,
 * NULL binds NULL), 'i' an int64_t, 'b' a blob (const void *, then its
 * size_t length). Strings and blobs are bound without a copy: they must
 * outlive the statement.
 */
#ifndef COWORK_ADMIN_INTERNAL_H
#define COWORK_ADMIN_INTERNAL_H

#include <stddef.h>

#include "registry.h"

/* Run a statement that returns no rows. Rows changed, or -1 with err. */
int cw_admin_exec(cw_registry_t *reg, cw_err_t *err, const char *doing, const char *sql, const char *types, ...);

/*
 * Run a query and leave its first row in *out: 1 with *out to finalize
 * (step on with cw_registry_step_row), 0 when there is no row, -1 on error.
 */
int cw_admin_query(cw_registry_t *reg, cw_err_t *err, sqlite3_stmt **out, const char *doing, const char *sql,
		   const char *types, ...);

/* The first column of a one-row lookup as text in buf: 1 found, 0 no row, -1 on error. */
int cw_admin_lookup(cw_registry_t *reg, cw_err_t *err, char *buf, size_t len, const char *doing, const char *sql,
		    const char *types, ...);

/* A member's status text: 1, or -1 with err ("unknown member" when there is none). */
int cw_admin_member_status(cw_registry_t *reg, const char *name, char status[16], cw_err_t *err);

/* Run fn(arg) inside a write transaction (cw_registry_begin); commit on a result >= 0, roll back otherwise. */
int cw_admin_in_txn(cw_registry_t *reg, cw_err_t *err, int (*fn)(cw_registry_t *, void *, cw_err_t *), void *arg);

#endif
