/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_member.c - coworkctl member add|suspend|resume|show|list.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "disconnect.h"
#include "json.h"
#include "names.h"
#include "registry_admin.h"
#include "timeutil.h"

/* Parse --from/--until: the local start or the exclusive local end of a date. */
static int parse_day(const cli_cmd_t *self, const char *opt, const char *s, bool end, int64_t *out)
{
	cw_date_t d;
	cw_err_t e;

	if (cw_date_parse(s, &d, &e) < 0) return cli_usage(self, "%s: %s", opt, e.msg);
	if ((end ? cw_date_local_end(&d, out) : cw_date_local_start(&d, out)) < 0) {
		return cli_usage(self, "%s: %s cannot be represented in local time", opt, s);
	}
	return EXIT_OK;
}

static int member_add(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "tenant", required_argument, NULL, 't' },
		{ "from", required_argument, NULL, 'f' },
		{ "until", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *tenant = NULL, *until_date = NULL, *name;
	int64_t from = cli->now, until = 0;
	cw_registry_t *reg;
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 't') tenant = optarg;
		if (c == 'f' && (rc = parse_day(self, "--from", optarg, false, &from)) != EXIT_OK) return rc;
		if (c == 'u' && (rc = parse_day(self, "--until", optarg, true, &until)) != EXIT_OK) return rc;
		if (c == 'u') until_date = optarg;
	}
	if ((rc = cli_operands(self, argc, argv, 1, 1)) != EXIT_OK) return rc;
	name = argv[optind];
	if (cw_name_check_id(name, "member id", &e) < 0) return cli_usage(self, "%s", e.msg);
	if (tenant && cw_name_check_id(tenant, "tenant id", &e) < 0) return cli_usage(self, "%s", e.msg);
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (cw_admin_member_add(reg, name, tenant, from, until, until_date, cli->now, &e) < 0) {
		rc = cli_fail("%s", e.msg);
	} else {
		printf("member %s added%s%s%s%s\n", name, tenant ? " to tenant " : " (shared members VLAN)",
		       tenant ? tenant : "", until_date ? ", member until the end of " : "",
		       until_date ? until_date : "");
	}
	cw_registry_close(reg);
	return rc;
}

static int member_status(cli_t *cli, const cli_cmd_t *self, int argc, char **argv, cw_member_status_t status)
{
	cw_registry_t *reg;
	int rc;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 1, 1, NULL, &rc) < 0) return rc;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (cw_admin_member_set_status(reg, argv[optind], status, &e) < 0) {
		rc = cli_fail("%s", e.msg);
	} else if (status == CW_MEMBER_SUSPENDED) {
		printf("member %s suspended: their devices are rejected from the next authentication\n",
		       argv[optind]);
	} else {
		printf("member %s resumed\n", argv[optind]);
	}
	cw_registry_close(reg);
	return rc;
}

/* Suspend, committed and printed first; then disconnect the member's live sessions (disconnect.h). */
static int member_suspend(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		DISCONNECT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	disconnect_opts_t dopts;
	cw_registry_t *reg;
	int rc;
	cw_err_t e;

	if (disconnect_cmd_opts(self, argc, argv, opts, NULL, NULL, &dopts, &rc) < 0) return rc;
	if ((rc = cli_registry_only(cli, &reg)) != EXIT_OK) return rc;
	rc = cw_admin_member_set_status(reg, argv[optind], CW_MEMBER_SUSPENDED, &e);
	cw_registry_close(reg);
	if (rc < 0) return cli_fail("%s", e.msg);
	printf("member %s suspended: their devices are rejected from the next authentication\n", argv[optind]);
	return disconnect_sessions(cli, argv[optind], NULL, &dopts);
}

static int member_resume(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return member_status(cli, self, argc, argv, CW_MEMBER_ACTIVE);
}

static void print_removal(const char *name, const char *reason, const cw_removal_t *r)
{
	if (r->n == 0) {
		printf("member %s removed (final); no certificate of theirs was left to revoke\n", name);
		return;
	}
	printf("member %s removed (final); %zu certificate%s revoked (%s), rejected from the next authentication:\n",
	       name, r->n, r->n == 1 ? "" : "s", reason);
	for (size_t i = 0; i < r->n; i++) printf("  %s\n", r->serials[i]);
}

static int member_remove(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		DISCONNECT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reason = "cessation-of-operation";
	disconnect_opts_t dopts;
	cw_removal_t removed;
	cw_registry_t *reg;
	int rc;
	cw_err_t e;

	if (disconnect_cmd_opts(self, argc, argv, opts, disconnect_reason_opt, &reason, &dopts, &rc) < 0) return rc;
	if (cw_revoke_reason_check(reason, &e) < 0) return cli_usage(self, "%s", e.msg);
	if ((rc = cli_registry_only(cli, &reg)) != EXIT_OK) return rc;
	rc = cw_admin_member_remove(reg, argv[optind], reason, cli->now, &removed, &e);
	cw_registry_close(reg);
	if (rc < 0) return cli_fail("%s", e.msg);
	print_removal(argv[optind], reason, &removed);
	cw_removal_free(&removed);
	/* Committed and printed: now the member's devices still connected (disconnect.h). */
	return disconnect_sessions(cli, argv[optind], NULL, &dopts);
}

static void member_json(json_t *j, const cw_member_row_t *r)
{
	json_object_begin(j);
	json_kv_string(j, "name", r->name);
	json_kv_string(j, "tenant", r->tenant[0] ? r->tenant : NULL);
	json_key(j, "tenant_vlan");
	if (r->tenant_vlan) json_int(j, r->tenant_vlan);
	else json_null(j);
	json_kv_string(j, "status", cw_member_status_name(r->status));
	json_kv_time(j, "valid_from", r->valid_from);
	json_kv_time(j, "valid_until", r->valid_until);
	json_kv_string(j, "until_date", r->until_date[0] ? r->until_date : NULL);
	json_kv_int(j, "valid_certificates", r->certs_valid);
	json_kv_time(j, "created_at", r->created_at);
	json_object_end(j);
}

static int member_row(void *arg, const cw_member_row_t *r)
{
	cli_list_t *o = arg;
	char from[16];

	if (o->json) {
		member_json(o->json, r);
		return 0;
	}
	if (o->rows++ == 0) {
		printf("%-24s  %-16s  %-9s  %-10s  %-10s  %s\n", "MEMBER", "TENANT", "STATUS", "FROM", "UNTIL", "CERTS");
	}
	printf("%-24s  %-16s  %-9s  %-10s  %-10s  %u\n", r->name, r->tenant[0] ? r->tenant : "-",
	       cw_member_status_name(r->status), cli_date(r->valid_from, from),
	       r->until_date[0] ? r->until_date : "-", r->certs_valid);
	return 0;
}

static int member_show(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	cw_registry_t *reg;
	cw_member_row_t r;
	bool json;
	int rc, found;
	char from[16];
	cw_err_t e;
	json_t j;

	if (cli_simple_opts(self, argc, argv, 1, 1, &json, &rc) < 0) return rc;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	found = cw_admin_member_get(reg, argv[optind], cli->now, &r, &e);
	cw_registry_close(reg);
	if (found < 0) return cli_fail("%s", e.msg);
	if (found == 0) return cli_fail("unknown member %s", argv[optind]);
	if (json) {
		json_init(&j, stdout);
		member_json(&j, &r);
		json_end(&j);
		return EXIT_OK;
	}
	printf("member        %s\n", r.name);
	if (r.tenant[0]) printf("tenant        %s (VLAN %u)\n", r.tenant, r.tenant_vlan);
	else printf("tenant        - (shared members VLAN)\n");
	printf("status        %s\n", cw_member_status_name(r.status));
	printf("from          %s\n", cli_date(r.valid_from, from));
	printf("until         %s\n", r.until_date[0] ? r.until_date : "- (open-ended)");
	printf("certificates  %u valid\n", r.certs_valid);
	return EXIT_OK;
}

static int member_rows(cw_registry_t *reg, cli_list_t *out, cw_err_t *err)
{
	return cw_admin_member_list(reg, out->now, member_row, out, err);
}

static int member_list(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_registry_list(cli, self, argc, argv, member_rows, "no members yet");
}

static const cli_cmd_t member_cmds[] = {
	{ "add", member_add, "member add MEMBER [--tenant TENANT] [--from DATE] [--until DATE]",
	  "Add a member. With --tenant the member's devices go on the tenant's VLAN, otherwise on the\n"
	  "shared members VLAN. Dates are YYYY-MM-DD in local time; --until is the last day of the\n"
	  "membership (inclusive). Certificates never outlive it.\n\n"
	  "  --tenant TENANT   member company (see `coworkctl tenant add`)\n"
	  "  --from DATE       first day of membership (default: now)\n"
	  "  --until DATE      last day of membership (default: open-ended)\n" },
	{ "suspend", member_suspend, "member suspend MEMBER [--no-disconnect] [--timeout S]",
	  "Suspend a member: all their certificates are rejected from the next authentication. Then each of\n"
	  "the member's live sessions gets a Disconnect-Request (RFC 5176) at its access point, and each\n"
	  "answer is printed. Exit 0 when all were disconnected (or none was live), 3 when one was not\n"
	  "(the suspension stands; `coworkctl session disconnect --member MEMBER` retries).\n\n" DISCONNECT_HELP },
	{ "resume", member_resume, "member resume MEMBER", "Resume a suspended member.\n" },
	{ "remove", member_remove, "member remove MEMBER [--reason REASON] [--no-disconnect] [--timeout S]",
	  "Remove a member for good, in one transaction: every certificate of theirs not revoked yet is\n"
	  "revoked (rejected from its next authentication) and the member is marked removed. A removed\n"
	  "member cannot be resumed, suspended or given certificates. Prints the serials revoked. Then\n"
	  "each of the member's live sessions gets a Disconnect-Request, as with member suspend (exit 3\n"
	  "when one was not disconnected; `coworkctl session disconnect --member MEMBER` retries).\n\n"
	  "  --reason REASON   cessation-of-operation (default), affiliation-changed, privilege-withdrawn,\n"
	  "                    key-compromise, superseded or unspecified\n" DISCONNECT_HELP },
	{ "show", member_show, "member show MEMBER [--json]", "Show one member.\n\n  --json   as JSON\n" },
	{ "list", member_list, "member list [--json]", "List members.\n\n  --json   as JSON\n" },
	{ NULL, NULL, NULL, NULL },
};

int cmd_member(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_dispatch(cli, "member", member_cmds, argc - 1, argv + 1);
}
