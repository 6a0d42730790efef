/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * registry_write.h - the registry opened for changes (coworkctl only; the
 * module links lib/core and lib/server, never this).
 */
#ifndef COWORK_REGISTRY_WRITE_H
#define COWORK_REGISTRY_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "registry.h"

/*
 * Open the registry for coworkctl: read-write, creating the file (mode
 * 0600, or 0640 when the caller prepared a group; see coworkctl init) when
 * create is true, and bring its schema up to date inside one transaction.
 * Refuses a registry whose schema is newer than this build.
 * 0 with *out set, or -1 with err.
 */
int cw_registry_open_admin(const char *path, bool create, cw_registry_t **out, cw_err_t *err);

/*
 * BEGIN IMMEDIATE / COMMIT (and cw_registry_rollback). 0 or -1 with err.
 * Between begin and commit or rollback, SIGINT, SIGTERM, SIGHUP and SIGQUIT
 * are held (they arrive once the transaction is over).
 */
int cw_registry_begin(cw_registry_t *reg, cw_err_t *err);
int cw_registry_commit(cw_registry_t *reg, cw_err_t *err);

/* Insert or replace a setting (admin connections only). 0 or -1. */
int cw_registry_setting_set(cw_registry_t *reg, const char *key, const char *value, cw_err_t *err);

/*
 * Store (or replace) the answer of a certificate that is recorded and not
 * revoked, inside the caller's write transaction (cw_registry_begin, or
 * cw_admin_cert_insert's). 1 stored, 0 when the certificate is unknown or
 * revoked (nothing stored), -1 with err.
 */
int cw_registry_ocsp_put(cw_registry_t *reg, const char *serial, const uint8_t *der, size_t len,
			 int64_t produced_at, cw_err_t *err);

#endif
