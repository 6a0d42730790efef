/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_tenant.c - coworkctl tenant add|remove|list: member companies.
 */
#include <stdio.h>

#include "cli.h"
#include "commands.h"
#include "json.h"
#include "names.h"
#include "registry_admin.h"

static int tenant_add(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vlan", required_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned vlan = 0;
	uint16_t given;
	cw_registry_t *reg;
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'v' && cli_uint(optarg, CW_VLAN_MIN, CW_VLAN_MAX, "--vlan", &vlan) < 0) return EXIT_USAGE;
	}
	if ((rc = cli_operands(self, argc, argv, 1, 1)) != EXIT_OK) return rc;
	if (cw_name_check_id(argv[optind], "tenant id", &e) < 0) return cli_usage(self, "%s", e.msg);
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (cw_admin_tenant_add(reg, argv[optind], vlan, cli->now, &given, &e) < 0) rc = cli_fail("%s", e.msg);
	else printf("tenant %s added on VLAN %u\n", argv[optind], given);
	cw_registry_close(reg);
	return rc;
}

static int tenant_remove(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	cw_registry_t *reg;
	int rc;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 1, 1, NULL, &rc) < 0) return rc;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (cw_admin_tenant_remove(reg, argv[optind], &e) < 0) rc = cli_fail("%s", e.msg);
	else printf("tenant %s removed; its VLAN is free again\n", argv[optind]);
	cw_registry_close(reg);
	return rc;
}

static int tenant_row(void *arg, const cw_tenant_row_t *r)
{
	cli_list_t *o = arg;

	if (o->json) {
		json_object_begin(o->json);
		json_kv_string(o->json, "name", r->name);
		json_kv_int(o->json, "vlan", r->vlan);
		json_kv_int(o->json, "members", r->members);
		json_kv_time(o->json, "created_at", r->created_at);
		json_object_end(o->json);
		return 0;
	}
	if (o->rows++ == 0) printf("%-24s  %5s  %s\n", "TENANT", "VLAN", "MEMBERS");
	printf("%-24s  %5u  %u\n", r->name, r->vlan, r->members);
	return 0;
}

static int tenant_rows(cw_registry_t *reg, cli_list_t *out, cw_err_t *err)
{
	return cw_admin_tenant_list(reg, tenant_row, out, err);
}

static int tenant_list(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_registry_list(cli, self, argc, argv, tenant_rows, "no tenants yet");
}

static const cli_cmd_t tenant_cmds[] = {
	{ "add", tenant_add, "tenant add TENANT [--vlan VLAN]",
	  "Add a member company. It gets its own VLAN: the lowest free one of the members pool, or\n"
	  "--vlan, which must be in the pool and free. Prints the VLAN.\n\n"
	  "  --vlan VLAN   a specific VLAN from the members pool\n" },
	{ "remove", tenant_remove, "tenant remove TENANT", "Remove a tenant that has no members left.\n" },
	{ "list", tenant_list, "tenant list [--json]", "List tenants with their VLAN.\n\n  --json   as JSON\n" },
	{ NULL, NULL, NULL, NULL },
};

int cmd_tenant(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_dispatch(cli, "tenant", tenant_cmds, argc - 1, argv + 1);
}
