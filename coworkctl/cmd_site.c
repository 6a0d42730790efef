/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_site.c - coworkctl site add|list|remove: places with their own
 * access points and their own guest passphrases (lib/admin/site.h).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "json.h"
#include "names.h"
#include "site.h"

/* What changes when the first site is added: said once, by `site add`. */
static void first_site_notice(const char *name)
{
	printf("Guest passphrases are now per site. From now on radiusd serves a guest SSID's passphrase only\n"
	       "to a RADIUS client whose source address is a NAS of a site, and only that site's passphrase:\n"
	       "  - any other client (no `nas add`, or a NAS at no site) gets no guest passphrase;\n"
	       "  - the passphrases made before (without --site) are no longer served.\n"
	       "Put the access points at the site and give it its guest SSIDs:\n"
	       "  coworkctl nas add AP --address IP --secret-file FILE --site %s   (or: nas set AP --site %s)\n"
	       "  coworkctl psk rotate --ssid SSID --site %s\n"
	       "Members (EAP-TLS) are not affected.\n", name, name, name);
}

static int site_add(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	cw_registry_t *reg;
	int rc, before;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 1, 1, NULL, &rc) < 0) return rc;
	if (cw_name_check_id(argv[optind], "site name", &e) < 0) return cli_usage(self, "%s", e.msg);
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	before = cw_site_add(reg, argv[optind], cli->now, &e);
	cw_registry_close(reg);
	if (before < 0) return cli_fail("%s", e.msg);
	printf("site %s added\n", argv[optind]);
	if (before == 0) first_site_notice(argv[optind]);
	return EXIT_OK;
}

static int site_remove(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	cw_registry_t *reg;
	int64_t n_psk;
	int rc;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 1, 1, NULL, &rc) < 0) return rc;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (cw_site_remove(reg, argv[optind], &n_psk, &e) < 0) {
		rc = cli_fail("%s", e.msg);
	} else {
		printf("site %s removed, with its %lld guest passphrase%s\n", argv[optind], (long long)n_psk,
		       n_psk == 1 ? "" : "s");
	}
	cw_registry_close(reg);
	return rc;
}

static int site_row(void *arg, const cw_site_t *s)
{
	cli_list_t *o = arg;
	char date[16];

	if (o->json) {
		json_object_begin(o->json);
		json_kv_string(o->json, "name", s->name);
		json_kv_int(o->json, "nas", s->n_nas);
		json_kv_string(o->json, "guest_ssids", s->ssids);
		json_kv_time(o->json, "created_at", s->created_at);
		json_object_end(o->json);
		return 0;
	}
	if (o->rows++ == 0) printf("%-24s  %-4s  %-10s  %s\n", "SITE", "NAS", "ADDED", "GUEST SSIDS");
	printf("%-24s  %-4lld  %-10s  %s\n", s->name, (long long)s->n_nas, cli_date(s->created_at, date),
	       s->ssids[0] ? s->ssids : "-");
	return 0;
}

static int site_rows(cw_registry_t *reg, cli_list_t *out, cw_err_t *err)
{
	return cw_site_list(reg, site_row, out, err);
}

static int site_list(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_registry_list(cli, self, argc, argv, site_rows,
				 "no sites: every RADIUS client gets the guest passphrases (see coworkctl site add --help)");
}

static const cli_cmd_t site_cmds[] = {
	{ "add", site_add, "site add NAME",
	  "Define a site: a place with its own access points and its own guest passphrases.\n"
	  "Once any site exists, radiusd serves a guest SSID's passphrase only to a RADIUS client whose\n"
	  "source address is a NAS of a site (nas add|set --site), and only that site's passphrase\n"
	  "(psk rotate --site); any other client, and the passphrases made without --site, get nothing.\n"
	  "Members (EAP-TLS) are not affected.\n" },
	{ "list", site_list, "site list [--json]",
	  "List the sites, their number of NAS and the guest SSIDs they offer.\n\n  --json   as JSON\n" },
	{ "remove", site_remove, "site remove NAME",
	  "Remove a site and its guest passphrases; refused while a NAS is at the site.\n" },
	{ NULL, NULL, NULL, NULL },
};

int cmd_site(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_dispatch(cli, "site", site_cmds, argc - 1, argv + 1);
}
