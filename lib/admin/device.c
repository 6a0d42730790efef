/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * device.c - approvals, the device binding policy and the notify command.
 */
#include <string.h>

#include <sqlite3.h>

#include "admin_internal.h"
#include "device.h"
#include "hook.h"
#include "registry_write.h"
#include "sqlutil.h"

int cw_admin_is_serial(cw_registry_t *reg, const char *serial, cw_err_t *err)
{
	char buf[8];

	return cw_admin_lookup(reg, err, buf, sizeof(buf), "looking up the certificate",
			       "SELECT 1 FROM cert WHERE serial = ?1", "t", serial);
}

int cw_admin_is_member(cw_registry_t *reg, const char *name, cw_err_t *err)
{
	char buf[8];

	return cw_admin_lookup(reg, err, buf, sizeof(buf), "looking up the member",
			       "SELECT 1 FROM member WHERE name = ?1", "t", name);
}

/* serial or member must name a recorded certificate or member. 0, or -1 with err. */
static int check_owner(cw_registry_t *reg, const char *serial, const char *member, cw_err_t *err)
{
	int rc = serial ? cw_admin_is_serial(reg, serial, err) : cw_admin_is_member(reg, member, err);

	if (rc == 0) {
		if (serial) cw_err_set(err, "unknown certificate %s", serial);
		else cw_err_set(err, "unknown member %s", member);
	}
	return rc == 1 ? 0 : -1;
}

int cw_admin_device_approve(cw_registry_t *reg, const char *serial, const char *member,
			    const uint8_t device[CW_DEVICE_HASH_LEN], int64_t now, bool *already, cw_err_t *err)
{
	static const char doing[] = "approving the device";
	int n;

	*already = false;
	if (check_owner(reg, serial, member, err) < 0) return -1;
	if (serial) {
		n = cw_admin_exec(reg, err, doing, "INSERT OR IGNORE INTO device_approval (serial, device, approved_at)"
				  " VALUES (?1, ?2, ?3)", "tbi", serial, device, (size_t)CW_DEVICE_HASH_LEN, now);
	} else {
		n = cw_admin_exec(reg, err, doing, "INSERT OR IGNORE INTO device_approval (member_id, device, approved_at)"
				  " SELECT id, ?2, ?3 FROM member WHERE name = ?1", "tbi", member, device,
				  (size_t)CW_DEVICE_HASH_LEN, now);
	}
	if (n < 0) return -1;
	*already = n == 0;
	return 0;
}

int cw_admin_device_unapprove(cw_registry_t *reg, const char *serial, const char *member,
			      const uint8_t device[CW_DEVICE_HASH_LEN], cw_err_t *err)
{
	static const char doing[] = "withdrawing the device's approval";
	int n;

	if (check_owner(reg, serial, member, err) < 0) return -1;
	if (serial) {
		n = cw_admin_exec(reg, err, doing, "DELETE FROM device_approval WHERE serial = ?1 AND device = ?2", "tb",
				  serial, device, (size_t)CW_DEVICE_HASH_LEN);
	} else {
		n = cw_admin_exec(reg, err, doing, "DELETE FROM device_approval WHERE device = ?2 AND member_id ="
				  " (SELECT id FROM member WHERE name = ?1)", "tb", member, device,
				  (size_t)CW_DEVICE_HASH_LEN);
	}
	return n < 0 ? -1 : n > 0;
}

int cw_admin_binding_set(cw_registry_t *reg, const char *tenant, const cw_binding_t *policy, cw_err_t *err)
{
	int n;

	if (!tenant) {
		if (!policy) return cw_admin_exec(reg, err, "resetting the device binding policy",
						  "DELETE FROM setting WHERE key = 'device_binding'", "") < 0 ? -1 : 0;
		return cw_registry_setting_set(reg, "device_binding", cw_binding_name(*policy), err);
	}
	n = cw_admin_exec(reg, err, "setting the tenant's device binding policy",
			  "UPDATE tenant SET device_binding = ?2 WHERE name = ?1", "tt", tenant,
			  policy ? cw_binding_name(*policy) : NULL);
	if (n == 0) cw_err_set(err, "unknown tenant %s", tenant);
	return n == 1 ? 0 : -1;
}

int cw_admin_binding_global(cw_registry_t *reg, cw_binding_t *out, bool *set, cw_err_t *err)
{
	char buf[16];
	int rc = cw_registry_setting_get(reg, "device_binding", buf, sizeof(buf), err);

	*set = rc == 1;
	*out = CW_BINDING_DEFAULT;
	if (rc < 0) return -1;
	if (rc == 1 && cw_binding_parse(buf, out) < 0) {
		cw_err_set(err, "the registry's device_binding \"%.16s\" is not off, notify or enforce", buf);
		return -1;
	}
	return 0;
}

int cw_admin_binding_tenants(cw_registry_t *reg, int (*fn)(void *arg, const char *tenant, cw_binding_t b),
			     void *arg, cw_err_t *err)
{
	static const char doing[] = "listing tenants' device binding policies";
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, doing, "SELECT name, device_binding FROM tenant"
				" WHERE device_binding IS NOT NULL ORDER BY name", "");

	while (rc == 1) {
		char name[CW_ID_MAX + 1], policy[16];
		cw_binding_t b;

		(void)cw_sql_column_text(st, 0, name, sizeof(name));
		(void)cw_sql_column_text(st, 1, policy, sizeof(policy));
		if (cw_binding_parse(policy, &b) < 0) {
			cw_err_set(err, "tenant %s has a malformed device_binding", name);
			rc = -1;
			break;
		}
		rc = fn(arg, name, b);
		if (rc != 0) break;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, doing, err);
	}
	sqlite3_finalize(st);
	return rc;
}

/* The setting that holds event's command. NULL for an unknown event. */
static const char *notify_key(const char *event)
{
	return strcmp(event, CW_NOTIFY_NEW_DEVICE) == 0 ? "notify_new_device" : NULL;
}

int cw_admin_notify_set(cw_registry_t *reg, const char *event, const char *cmd, cw_err_t *err)
{
	const char *key = notify_key(event);

	if (!key) {
		cw_err_set(err, "unknown event \"%.32s\" (known: " CW_NOTIFY_NEW_DEVICE ")", event);
		return -1;
	}
	if (!cmd) {
		return cw_admin_exec(reg, err, "removing the notify command", "DELETE FROM setting WHERE key = ?1", "t",
				     key) < 0 ? -1 : 0;
	}
	if (!*cmd || strlen(cmd) > CW_HOOK_CMD_MAX) {
		cw_err_set(err, "the command must be 1 to %d bytes", CW_HOOK_CMD_MAX);
		return -1;
	}
	return cw_registry_setting_set(reg, key, cmd, err);
}

int cw_admin_notify_get(cw_registry_t *reg, const char *event, char *buf, size_t len, cw_err_t *err)
{
	const char *key = notify_key(event);

	if (!key) {
		cw_err_set(err, "unknown event \"%.32s\"", event);
		return -1;
	}
	return cw_registry_setting_get(reg, key, buf, len, err);
}
