/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * device.h - what the admin decides about members' devices, in the
 * registry: approvals, the device binding policy, the notify command
 * (sql/registry/0006_device.sql). What radiusd saw is in the access log
 * (lib/server/devtab.h).
 */
#ifndef COWORK_ADMIN_DEVICE_H
#define COWORK_ADMIN_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "devbind.h"
#include "devhash.h"
#include "hook.h"
#include "registry.h"

/*
 * Approve device for the certificate serial (normalised) or, when member
 * is given instead, for every certificate of member. *already is set when
 * it was approved before. 0, or -1 with err (unknown certificate or member).
 */
int cw_admin_device_approve(cw_registry_t *reg, const char *serial, const char *member,
			    const uint8_t device[CW_DEVICE_HASH_LEN], int64_t now, bool *already, cw_err_t *err);

/* Withdraw an approval (as approve). 1 withdrawn, 0 there was none, -1 with err. */
int cw_admin_device_unapprove(cw_registry_t *reg, const char *serial, const char *member,
			      const uint8_t device[CW_DEVICE_HASH_LEN], cw_err_t *err);

/* Whether name is a recorded certificate serial (normalised) / a member. 1, 0, or -1 with err. */
int cw_admin_is_serial(cw_registry_t *reg, const char *serial, cw_err_t *err);
int cw_admin_is_member(cw_registry_t *reg, const char *name, cw_err_t *err);

/* Set the global policy, or a tenant's override (policy NULL: remove it). 0, or -1 with err. */
int cw_admin_binding_set(cw_registry_t *reg, const char *tenant, const cw_binding_t *policy, cw_err_t *err);

/* The global policy: *set false when it is the default. 0, or -1 with err (also for a malformed one). */
int cw_admin_binding_global(cw_registry_t *reg, cw_binding_t *out, bool *set, cw_err_t *err);

/* Each tenant's override, by name. fn returning non-zero stops and is returned. 0 or -1. */
int cw_admin_binding_tenants(cw_registry_t *reg, int (*fn)(void *arg, const char *tenant, cw_binding_t b),
			     void *arg, cw_err_t *err);

/* Events the notify command can be set for. */
#define CW_NOTIFY_NEW_DEVICE "new-device"

/* Set (cmd, at most CW_HOOK_CMD_MAX bytes) or remove (cmd NULL) the command run for event. 0, or -1 with err. */
int cw_admin_notify_set(cw_registry_t *reg, const char *event, const char *cmd, cw_err_t *err);

/* The command for event into buf: 1 set, 0 none, -1 with err. */
int cw_admin_notify_get(cw_registry_t *reg, const char *event, char *buf, size_t len, cw_err_t *err);

#endif
