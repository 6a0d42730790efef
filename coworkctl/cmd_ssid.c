/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_ssid.c - coworkctl ssid add|remove|list: which SSID serves whom.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "json.h"
#include "names.h"
#include "registry_admin.h"

static int ssid_add(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "class", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *cls_name = NULL, *name;
	cw_ssid_class_t cls;
	cw_registry_t *reg;
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'c') cls_name = optarg;
	}
	if ((rc = cli_operands(self, argc, argv, 1, 1)) != EXIT_OK) return rc;
	name = argv[optind];
	if (!cls_name) return cli_usage(self, "--class is required (member, guest or staff)");
	if (cw_ssid_class_parse(cls_name, &cls) < 0) {
		return cli_usage(self, "unknown class \"%.20s\": use member, guest or staff", cls_name);
	}
	if (cw_name_check_ssid(name, &e) < 0) return cli_usage(self, "%s", e.msg);
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (cw_admin_ssid_add(reg, name, cls, cli->now, &e) < 0) rc = cli_fail("%s", e.msg);
	else printf("SSID \"%s\" added as a %s SSID\n", name, cw_ssid_class_name(cls));
	cw_registry_close(reg);
	return rc;
}

static int ssid_remove(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	cw_registry_t *reg;
	int rc;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 1, 1, NULL, &rc) < 0) return rc;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (cw_admin_ssid_remove(reg, argv[optind], &e) < 0) rc = cli_fail("%s", e.msg);
	else printf("SSID \"%s\" removed\n", argv[optind]);
	cw_registry_close(reg);
	return rc;
}

static int ssid_row(void *arg, const cw_ssid_row_t *r)
{
	cli_list_t *o = arg;
	char date[16];

	if (o->json) {
		json_object_begin(o->json);
		json_kv_string(o->json, "name", r->name);
		json_kv_string(o->json, "class", cw_ssid_class_name(r->cls));
		json_kv_time(o->json, "created_at", r->created_at);
		json_object_end(o->json);
		return 0;
	}
	if (o->rows++ == 0) printf("%-32s  %-6s  %s\n", "SSID", "CLASS", "ADDED");
	printf("%-32s  %-6s  %s\n", r->name, cw_ssid_class_name(r->cls), cli_date(r->created_at, date));
	return 0;
}

static int ssid_rows(cw_registry_t *reg, cli_list_t *out, cw_err_t *err)
{
	return cw_admin_ssid_list(reg, ssid_row, out, err);
}

static int ssid_list(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_registry_list(cli, self, argc, argv, ssid_rows,
				 "no SSIDs yet: add them with `coworkctl ssid add NAME --class member|guest|staff`");
}

static const cli_cmd_t ssid_cmds[] = {
	{ "add", ssid_add, "ssid add SSID --class member|guest|staff",
	  "Declare an SSID. Members (EAP-TLS) are accepted only on member SSIDs, guests only on guest\n"
	  "SSIDs; staff SSIDs are never served by rlm_cowork.\n\n"
	  "  --class CLASS   member, guest or staff\n" },
	{ "remove", ssid_remove, "ssid remove SSID",
	  "Remove an SSID (and its guest passphrases). Devices on it are rejected from then on.\n" },
	{ "list", ssid_list, "ssid list [--json]", "List the SSIDs.\n\n  --json   as JSON\n" },
	{ NULL, NULL, NULL, NULL },
};

int cmd_ssid(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_dispatch(cli, "ssid", ssid_cmds, argc - 1, argv + 1);
}
