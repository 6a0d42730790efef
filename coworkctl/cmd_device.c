/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_device.c - coworkctl device list|approve|unapprove|policy: the
 * devices members' certificates connect from (docs/design.md, "Devices").
 *
 * What radiusd saw is read from the access log, in the log owner's child
 * (statedir.h); what the admin decides is written to the registry.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "device.h"
#include "devtab.h"
#include "json.h"
#include "registry_admin.h"
#include "timeutil.h"

/* `device list --new`: devices first seen in the last this many days. */
#define NEW_DAYS 7
/* Shortest prefix of a device hash `approve` takes. */
#define PREFIX_MIN 8

/* --- list ------------------------------------------------------------------------ */

static const char *ms_utc(int64_t ms, char buf[CW_RFC3339_MS_LEN])
{
	if (cw_time_format_rfc3339(ms / 1000, buf) < 0) (void)cw_snprintf(buf, CW_RFC3339_MS_LEN, "?");
	return buf;
}

static int device_out(void *arg, const cw_device_row_t *r)
{
	cli_list_t *o = arg;
	char hex[CW_DEVICE_HASH_HEX], first[CW_RFC3339_MS_LEN], last[CW_RFC3339_MS_LEN];

	cw_device_hash_hex(r->device, hex);
	if (o->json) {
		json_object_begin(o->json);
		json_kv_string(o->json, "member", r->member);
		json_kv_string(o->json, "serial", r->serial);
		json_kv_string(o->json, "device", hex);
		json_kv_string(o->json, "state", cw_devstate_name(r->state));
		json_kv_string(o->json, "first_seen", ms_utc(r->first_ms, first));
		json_kv_string(o->json, "last_change", ms_utc(r->last_ms, last));
		json_kv_int(o->json, "refusals", r->refusals);
		json_object_end(o->json);
		return 0;
	}
	if (o->rows++ == 0) {
		printf("%-20s  %-8s  %-16s  %-24s  %-16s  %s\n", "FIRST SEEN (UTC)", "STATE", "MEMBER", "SERIAL", "DEVICE",
		       "REFUSALS");
	}
	printf("%-20s  %-8s  %-16s  %-24s  %-16.16s  %lld\n", ms_utc(r->first_ms, first), cw_devstate_name(r->state),
	       r->member, r->serial, hex, (long long)r->refusals);
	return 0;
}

struct list_job {
	cw_device_filter_t	f;
	bool			json;
	int64_t			now;
	const char		*empty;
};

/* In the log owner's child: the device table to stdout. */
static int list_job(cw_accesslog_t *log, void *arg, int out_fd)
{
	struct list_job *job = arg;
	cli_list_t out;
	cw_err_t e;
	int rc = EXIT_OK;

	(void)out_fd;
	cli_list_begin(&out, job->json, job->now);
	if (cw_devlog_list(log, &job->f, device_out, &out, &e) < 0) rc = cli_fail("%s", e.msg);
	cli_list_end(&out, rc, job->empty);
	return rc;
}

static int device_list(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "new", no_argument, NULL, 'n' },
		{ "member", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct list_job job = { .now = cli->now };
	int c, rc = EXIT_OK;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'n') job.f.since_ms = (cli->now - (int64_t)NEW_DAYS * 86400) * 1000;
		if (c == 'm') job.f.member = optarg;
		if (c == 'j') job.json = true;
	}
	if ((rc = cli_operands(self, argc, argv, 0, 0)) != EXIT_OK) return rc;
	job.empty = job.f.since_ms ? "no new device in the last 7 days" : "no device seen yet";
	return cli_accesslog_run(cli, true, NULL, list_job, &job, NULL);
}

/* --- approve ------------------------------------------------------------------- */

/* Whose device: a certificate (serial set) or a member. */
typedef struct owner {
	char	serial[CW_SERIAL_HEX_MAX + 1];	//!< "" for a member
	char	member[CW_ID_MAX + 1];		//!< "" for a certificate
} owner_t;

/* arg names a recorded certificate or a member, not both. EXIT_OK, or an error printed. */
static int resolve_owner(cw_registry_t *reg, const char *arg, owner_t *o)
{
	int is_serial = 0, is_member;
	cw_err_t e;

	memset(o, 0, sizeof(*o));
	if (cw_serial_normalise(arg, strlen(arg), o->serial, &e) == 0) {
		is_serial = cw_admin_is_serial(reg, o->serial, &e);
		if (is_serial < 0) return cli_fail("%s", e.msg);
	}
	is_member = cw_admin_is_member(reg, arg, &e);
	if (is_member < 0) return cli_fail("%s", e.msg);
	if (is_serial && is_member) {
		return cli_fail("\"%s\" is both a certificate serial and a member: approve per certificate with its"
				" serial written with colons", arg);
	}
	if (!is_serial && !is_member) return cli_fail("no certificate or member \"%.64s\"", arg);
	if (is_member) {
		o->serial[0] = '\0';
		(void)cw_snprintf(o->member, sizeof(o->member), "%s", arg);
	}
	return EXIT_OK;
}

/* A device hash or a prefix of one: PREFIX_MIN to 64 hex digits, lowercased into out. 0 or -1. */
static int parse_prefix(const char *s, char out[CW_DEVICE_HASH_HEX])
{
	size_t n = strlen(s);

	if (n < PREFIX_MIN || n > CW_DEVICE_HASH_HEX - 1) return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)s[i])) return -1;
		out[i] = (char)tolower((unsigned char)s[i]);
	}
	out[n] = '\0';
	return 0;
}

struct match_job {
	cw_device_filter_t	f;
	const char		*prefix;
	unsigned		matches;
	uint8_t			device[CW_DEVICE_HASH_LEN];
};

static int match_one(void *arg, const cw_device_row_t *r)
{
	struct match_job *job = arg;
	char hex[CW_DEVICE_HASH_HEX];

	cw_device_hash_hex(r->device, hex);
	if (strncmp(hex, job->prefix, strlen(job->prefix)) != 0) return 0;
	/* A member's device may be recorded under several of its certificates: one device. */
	if (job->matches > 0 && memcmp(job->device, r->device, CW_DEVICE_HASH_LEN) == 0) return 0;
	memcpy(job->device, r->device, CW_DEVICE_HASH_LEN);
	job->matches++;
	return 0;
}

/* In the log owner's child: the one device seen for the owner whose hash starts with the prefix. */
static int match_job(cw_accesslog_t *log, void *arg, int out_fd)
{
	struct match_job *job = arg;
	cw_err_t e;

	if (cw_devlog_list(log, &job->f, match_one, job, &e) < 0) return cli_fail("%s", e.msg);
	if (job->matches == 0) {
		return cli_fail("no device %s... was seen for %s (see `coworkctl device list`)", job->prefix,
				job->f.serial ? job->f.serial : job->f.member);
	}
	if (job->matches > 1) return cli_fail("%u devices start with %s: give more digits", job->matches, job->prefix);
	return statedir_log_send(out_fd, job->device, sizeof(job->device)) < 0 ? EXIT_FAIL : EXIT_OK;
}

/* The full hash of a device seen for owner (a whole hash is taken as it is). EXIT_OK or an error printed. */
static int resolve_device(cli_t *cli, const owner_t *o, const char *prefix, uint8_t out[CW_DEVICE_HASH_LEN])
{
	struct match_job job = { .prefix = prefix };
	statedir_bytes_t got = { NULL, 0 };
	int rc;

	if (strlen(prefix) == CW_DEVICE_HASH_HEX - 1) {
		for (size_t i = 0; i < CW_DEVICE_HASH_LEN; i++) {
			unsigned v;

			(void)sscanf(prefix + 2 * i, "%2x", &v);
			out[i] = (uint8_t)v;
		}
		return EXIT_OK;
	}
	if (o->serial[0]) job.f.serial = o->serial;
	else job.f.member = o->member;
	rc = cli_accesslog_run(cli, false, "finding the device", match_job, &job, &got);
	if (rc == EXIT_OK && got.len != CW_DEVICE_HASH_LEN) rc = cli_fail("finding the device: no answer");
	if (rc == EXIT_OK) memcpy(out, got.data, CW_DEVICE_HASH_LEN);
	free(got.data);
	return rc;
}

/* approve (on) or unapprove. */
static int device_approval(cli_t *cli, const cli_cmd_t *self, int argc, char **argv, bool on)
{
	char prefix[CW_DEVICE_HASH_HEX], hex[CW_DEVICE_HASH_HEX];
	uint8_t device[CW_DEVICE_HASH_LEN];
	cw_registry_t *reg;
	owner_t o;
	bool already = false;
	int rc, n = 0;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 2, 2, NULL, &rc) < 0) return rc;
	if (parse_prefix(argv[optind + 1], prefix) < 0) {
		return cli_usage(self, "a device is its hash, or its first %d to 64 hex digits", PREFIX_MIN);
	}
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	rc = resolve_owner(reg, argv[optind], &o);
	if (rc == EXIT_OK) rc = resolve_device(cli, &o, prefix, device);
	if (rc == EXIT_OK) {
		n = on ? cw_admin_device_approve(reg, o.serial[0] ? o.serial : NULL, o.member[0] ? o.member : NULL, device,
						 cli->now, &already, &e)
		       : cw_admin_device_unapprove(reg, o.serial[0] ? o.serial : NULL, o.member[0] ? o.member : NULL,
						   device, &e);
		if (n < 0) rc = cli_fail("%s", e.msg);
	}
	cw_registry_close(reg);
	if (rc != EXIT_OK) return rc;
	cw_device_hash_hex(device, hex);
	if (on) {
		printf("device %s %s for %s %s\n", hex, already ? "was already approved" : "approved",
		       o.serial[0] ? "certificate" : "every certificate of member", o.serial[0] ? o.serial : o.member);
	} else {
		printf("device %s %s for %s %s\n", hex, n ? "no longer approved" : "was not approved",
		       o.serial[0] ? "certificate" : "member", o.serial[0] ? o.serial : o.member);
	}
	return EXIT_OK;
}

static int device_approve(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return device_approval(cli, self, argc, argv, true);
}

static int device_unapprove(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return device_approval(cli, self, argc, argv, false);
}

/* --- policy --------------------------------------------------------------------- */

static int tenant_policy_out(void *arg, const char *tenant, cw_binding_t b)
{
	json_t *j = arg;

	if (j) {
		json_kv_string(j, tenant, cw_binding_name(b));
	} else {
		printf("tenant %-16s %s\n", tenant, cw_binding_name(b));
	}
	return 0;
}

static int policy_show(cw_registry_t *reg, bool json)
{
	cw_binding_t global;
	bool set;
	json_t j;
	cw_err_t e;
	int rc;

	if (cw_admin_binding_global(reg, &global, &set, &e) < 0) return cli_fail("%s", e.msg);
	if (json) {
		json_init(&j, stdout);
		json_object_begin(&j);
		json_kv_string(&j, "global", cw_binding_name(global));
		json_kv_bool(&j, "default", !set);
		json_key(&j, "tenants");
		json_object_begin(&j);
	} else {
		printf("global  %s%s\n", cw_binding_name(global), set ? "" : " (the default)");
	}
	rc = cw_admin_binding_tenants(reg, tenant_policy_out, json ? &j : NULL, &e);
	if (json) {
		json_object_end(&j);
		json_object_end(&j);
		json_end(&j);
	}
	return rc < 0 ? cli_fail("%s", e.msg) : EXIT_OK;
}

static int device_policy(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tenant", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *tenant = NULL, *arg;
	cw_binding_t b;
	cw_registry_t *reg;
	bool json = false, reset;
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 't') tenant = optarg;
		if (c == 'j') json = true;
	}
	if ((rc = cli_operands(self, argc, argv, 0, 1)) != EXIT_OK) return rc;
	arg = optind < argc ? argv[optind] : NULL;
	if (arg && json) return cli_usage(self, "--json only shows the policy");
	if (!arg && tenant) return cli_usage(self, "--tenant needs a policy: off, notify, enforce or default");
	reset = arg && strcmp(arg, "default") == 0;
	if (arg && !reset && cw_binding_parse(arg, &b) < 0) {
		return cli_usage(self, "unknown policy \"%.20s\": use off, notify, enforce or default", arg);
	}
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (!arg) {
		rc = policy_show(reg, json);
	} else if (cw_admin_binding_set(reg, tenant, reset ? NULL : &b, &e) < 0) {
		rc = cli_fail("%s", e.msg);
	} else if (tenant) {
		printf("device binding for tenant %s: %s\n", tenant, reset ? "the global policy" : cw_binding_name(b));
	} else {
		printf("device binding: %s\n", reset ? "notify (the default)" : cw_binding_name(b));
	}
	cw_registry_close(reg);
	return rc;
}

static const cli_cmd_t device_cmds[] = {
	{ "list", device_list, "device list [--new] [--member M] [--json]",
	  "The devices each member certificate was seen from, by keyed hash (never the MAC): bound\n"
	  "(the certificate's first), new (a later one, accepted under notify), approved, refused\n"
	  "(enforce).\n\n"
	  "  --new        only devices first seen in the last 7 days\n"
	  "  --member M   only member M's\n"
	  "  --json       as JSON (with the whole hash)\n" },
	{ "approve", device_approve, "device approve SERIAL|MEMBER DEVICE",
	  "Let a certificate (SERIAL), or every certificate of MEMBER, connect from DEVICE under the\n"
	  "policy enforce. DEVICE is a hash from `device list`, or its first 8 or more hex digits.\n" },
	{ "unapprove", device_unapprove, "device unapprove SERIAL|MEMBER DEVICE",
	  "Withdraw an approval (as approve). A device still known to radiusd as approved stays\n"
	  "accepted until radiusd restarts.\n" },
	{ "policy", device_policy, "device policy [--tenant T] [off|notify|enforce|default] [--json]",
	  "Show the device binding policy, or set it, globally or for tenant T (default: the global\n"
	  "policy for the tenant; notify for the global one). off: nothing recorded. notify: devices\n"
	  "recorded, each new one reported (`coworkctl notify set new-device CMD`). enforce: also\n"
	  "refuse a certificate from a device neither its first nor approved (unknown-device).\n\n"
	  "  --tenant T   the tenant's policy, overriding the global one\n"
	  "  --json       show as JSON\n" },
	{ NULL, NULL, NULL, NULL },
};

int cmd_device(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_dispatch(cli, "device", device_cmds, argc - 1, argv + 1);
}
