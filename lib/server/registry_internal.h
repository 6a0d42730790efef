/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * registry_internal.h - what lib/server's registry reader and lib/admin's
 * registry writer share: the connection and its helpers. Not for callers.
 */
#ifndef COWORK_REGISTRY_INTERNAL_H
#define COWORK_REGISTRY_INTERNAL_H

#include <signal.h>
#include <stdbool.h>

#include <sqlite3.h>

#include "registry.h"

/* Answers a reader connection remembers (registry.c). */
typedef struct memo memo_t;

struct cw_registry {
	sqlite3		*db;
	bool		admin;
	bool		masked;		//!< termination signals held during a write transaction
	sigset_t	saved_mask;	//!< the signal mask to restore after it
	int		fd;		//!< readers: the file, for its change counter; -1 otherwise
	memo_t		*memo;		//!< readers only
	sqlite3_stmt	*cert_lookup;
	sqlite3_stmt	*ssid_class;
	sqlite3_stmt	*vlan_plan;
	sqlite3_stmt	*setting_get;
	sqlite3_stmt	*guest_psks;
	sqlite3_stmt	*guest_last;
	sqlite3_stmt	*device_approved;
	sqlite3_stmt	*sites_defined;
	sqlite3_stmt	*nas_site;
};

/* Open path with flags (SQLITE_OPEN_*) into a new connection. 0, or -1 with err. */
int cw_registry_open_db(const char *path, int flags, cw_registry_t **out, cw_err_t *err);

/* Prepare the statements every connection keeps. 0, or -1 with err. */
int cw_registry_prepare_all(cw_registry_t *reg, cw_err_t *err);

/* Run SQL without results; errors as cw_registry_err. 0 or -1. */
int cw_registry_exec(cw_registry_t *reg, const char *sql, const char *doing, cw_err_t *err);

/* Hold termination signals for a write transaction, and release them after. */
void cw_registry_hold_signals(cw_registry_t *reg);
void cw_registry_release_signals(cw_registry_t *reg);

#endif
