/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_vlan.c - coworkctl vlan set|show: the VLAN plan.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "json.h"
#include "registry_admin.h"

static void print_plan(const cw_vlan_plan_t *p)
{
	char staff[512], members[512];

	if (cw_vlan_set_format(&p->staff, staff, sizeof(staff)) < 0) strcpy(staff, "(too long)");
	if (cw_vlan_set_format(&p->members, members, sizeof(members)) < 0) strcpy(members, "(too long)");
	printf("staff    %s\n", p->staff.n ? staff : "none");
	printf("members  %s (%u VLANs for tenants)\n", members, cw_vlan_set_count(&p->members));
	printf("shared   %u\n", p->shared);
	printf("guest    %u\n", p->guest);
}

static void json_set(json_t *j, const char *key, const cw_vlan_set_t *s)
{
	json_key(j, key);
	json_array_begin(j);
	for (size_t i = 0; i < s->n; i++) {
		json_array_begin(j);
		json_int(j, s->r[i].lo);
		json_int(j, s->r[i].hi);
		json_array_end(j);
	}
	json_array_end(j);
}

static void print_plan_json(const cw_vlan_plan_t *p)
{
	json_t j;

	json_init(&j, stdout);
	json_object_begin(&j);
	json_set(&j, "staff", &p->staff);
	json_set(&j, "members", &p->members);
	json_kv_int(&j, "shared", p->shared);
	json_kv_int(&j, "guest", p->guest);
	json_object_end(&j);
	json_end(&j);
}

/* --staff accepts "none": a space whose staff network is not on these switches. */
static int parse_list(const char *opt, const char *s, cw_vlan_set_t *out)
{
	cw_err_t e;

	if (strcmp(opt, "--staff") == 0 && strcmp(s, "none") == 0) {
		memset(out, 0, sizeof(*out));
		return 0;
	}
	if (cw_vlan_set_parse(s, out, &e) < 0) {
		cli_err("%s: %s", opt, e.msg);
		return -1;
	}
	return 0;
}

static int parse_one(const char *opt, const char *s, uint16_t *out)
{
	cw_err_t e;

	if (cw_vlan_parse(s, out, &e) < 0) {
		cli_err("%s: %s", opt, e.msg);
		return -1;
	}
	return 0;
}

static int vlan_set(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "staff", required_argument, NULL, 's' },
		{ "members", required_argument, NULL, 'm' },
		{ "shared", required_argument, NULL, 'S' },
		{ "guest", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	cw_vlan_plan_t plan, given;
	bool has_staff = false, has_members = false;
	cw_registry_t *reg = NULL;
	int c, rc = EXIT_USAGE, have;
	cw_err_t e;

	memset(&given, 0, sizeof(given));
	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		rc = EXIT_USAGE;
		if (c == 's' && (has_staff = true) && parse_list("--staff", optarg, &given.staff) < 0) return rc;
		if (c == 'm' && (has_members = true) && parse_list("--members", optarg, &given.members) < 0) return rc;
		if (c == 'S' && parse_one("--shared", optarg, &given.shared) < 0) return rc;
		if (c == 'g' && parse_one("--guest", optarg, &given.guest) < 0) return rc;
	}
	if ((rc = cli_operands(self, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if (!has_staff && !has_members && !given.shared && !given.guest) {
		return cli_usage(self, "nothing to set: give --staff, --members, --shared or --guest");
	}

	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	have = cw_registry_vlan_plan(reg, &plan, &e);
	if (have < 0) {
		rc = cli_fail("%s", e.msg);
		goto done;
	}
	if (have == 0 && !(has_staff && has_members && given.shared && given.guest)) {
		rc = cli_usage(self, "the first plan needs all of --staff, --members, --shared and --guest");
		goto done;
	}
	if (has_staff) plan.staff = given.staff;
	if (has_members) plan.members = given.members;
	if (given.shared) plan.shared = given.shared;
	if (given.guest) plan.guest = given.guest;
	if (cw_admin_vlan_set(reg, &plan, &e) < 0) {
		rc = cli_fail("%s", e.msg);
		goto done;
	}
	print_plan(&plan);
	rc = EXIT_OK;
done:
	cw_registry_close(reg);
	return rc;
}

static int vlan_show(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	cw_registry_t *reg = NULL;
	cw_vlan_plan_t plan;
	bool json;
	int rc, have;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 0, 0, &json, &rc) < 0) return rc;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	have = cw_registry_vlan_plan(reg, &plan, &e);
	cw_registry_close(reg);
	if (have < 0) return cli_fail("%s", e.msg);
	if (have == 0) return cli_fail("no VLAN plan yet: define one with `coworkctl vlan set`");
	if (json) print_plan_json(&plan);
	else print_plan(&plan);
	return EXIT_OK;
}

static const cli_cmd_t vlan_cmds[] = {
	{ "set", vlan_set, "vlan set [--staff LIST|none] [--members LIST] [--shared VLAN] [--guest VLAN]",
	  "Define the VLAN plan, or change parts of it. LIST is VLANs and ranges, e.g. 10,20 or 100-189.\n"
	  "Staff VLANs are never given to members or guests; each tenant gets its own VLAN from the\n"
	  "members pool; members without a tenant share --shared; guests get --guest. All VLANs are\n"
	  "1-4094 and the four kinds must not overlap. The first plan needs all four options.\n\n"
	  "  --staff LIST     staff VLANs (or 'none')\n"
	  "  --members LIST   pool of tenant VLANs\n"
	  "  --shared VLAN    VLAN of members without a tenant\n"
	  "  --guest VLAN     guest VLAN\n" },
	{ "show", vlan_show, "vlan show [--json]", "Show the VLAN plan.\n\n  --json   as JSON\n" },
	{ NULL, NULL, NULL, NULL },
};

int cmd_vlan(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_dispatch(cli, "vlan", vlan_cmds, argc - 1, argv + 1);
}
