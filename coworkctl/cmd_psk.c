/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_psk.c - coworkctl psk rotate|show|policy: the guest passphrase.
 *
 * The passphrase is a secret for the entitled only: rotate prints it only
 * with --print, hands it to --notify-cmd on standard input, and show is
 * what reception runs after checking an ID.
 *
 * Once sites are defined (cmd_site.c) a passphrase belongs to a (site,
 * SSID): rotate and show need --site, and rotate --all rotates every
 * (site, SSID) a site offers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "fileio.h"
#include "json.h"
#include "names.h"
#include "notify.h"
#include "qr.h"
#include "registry_admin.h"
#include "site.h"
#include "timeutil.h"

struct rotate_opts {
	bool		force;
	bool		expire_old;
	bool		print;
	bool		json;
	const char	*notify;
	const char	*only_site;	//!< --all --site: that site's SSIDs only
	json_t		doc;
	int		rc;		//!< worst outcome over the SSIDs
};

static void rotation_json(json_t *j, const char *site, const char *ssid, const cw_rotation_t *r, bool print)
{
	json_object_begin(j);
	if (site) json_kv_string(j, "site", site);
	json_kv_string(j, "ssid", ssid);
	json_kv_bool(j, "rotated", r->rotated);
	json_kv_time(j, "valid_from", r->current.valid_from);
	json_kv_time(j, "valid_until", r->current.valid_until);
	json_kv_time(j, "served_until", r->current.grace_until);
	json_kv_time(j, "previous_served_until", r->had_previous ? r->previous_until : 0);
	if (print) json_kv_string(j, "passphrase", r->current.passphrase);
	json_object_end(j);
}

static void rotation_text(const char *site, const char *ssid, const cw_rotation_t *r, bool print)
{
	char a[32], b[32], c[32], at[CW_SITE_NAME_MAX + 16] = "", flag[CW_SITE_NAME_MAX + 16] = "";

	if (site) {
		(void)cw_snprintf(at, sizeof(at), " at site %s", site);
		(void)cw_snprintf(flag, sizeof(flag), " --site '%s'", site);
	}
	if (r->rotated) {
		printf("SSID \"%s\"%s: new passphrase in force until %s, served until %s\n", ssid, at,
		       cli_when(r->current.valid_until, a), cli_when(r->current.grace_until, b));
		if (r->had_previous) printf("  the previous one is still served until %s\n", cli_when(r->previous_until, c));
	} else {
		printf("SSID \"%s\"%s: the passphrase in force is valid until %s; nothing to do (--force rotates anyway)\n",
		       ssid, at, cli_when(r->current.valid_until, a));
	}
	if (print) printf("  passphrase: %s\n", r->current.passphrase);
	else if (r->rotated) printf("  show it with: coworkctl psk show --ssid '%s'%s\n", ssid, flag);
}

/* --notify-cmd: COWORK_SITE too when the passphrase is a site's. */
static int notify_rotation(const char *cmd, const char *site, const char *ssid, const cw_rotation_t *r, cw_err_t *e)
{
	char env_ssid[64], env_site[CW_SITE_NAME_MAX + 16], env_until[64], until[CW_RFC3339_MS_LEN];
	const char *env[] = { env_ssid, env_site, env_until, NULL };

	if (!site) return notify_run(cmd, ssid, r->current.passphrase, r->current.valid_until, e);
	if (cw_time_format_rfc3339(r->current.valid_until, until) < 0) until[0] = '\0';
	(void)cw_snprintf(env_ssid, sizeof(env_ssid), "COWORK_SSID=%s", ssid);
	(void)cw_snprintf(env_site, sizeof(env_site), "COWORK_SITE=%s", site);
	(void)cw_snprintf(env_until, sizeof(env_until), "COWORK_PSK_VALID_UNTIL=%s", until);
	return notify_run_env(cmd, r->current.passphrase, env, e);
}

struct rotate_arg {
	struct rotate_opts	*o;
	cw_registry_t		*reg;
	int64_t			now;
};

/* Rotate one (site, SSID) (site NULL: the site-less passphrase): the registry change first, then the notification. */
static int rotate_one(void *arg, const char *site, const char *ssid)
{
	struct rotate_arg *a = arg;
	struct rotate_opts *o = a->o;
	cw_rotation_t r;
	cw_err_t e;

	if (o->only_site && (!site || strcmp(site, o->only_site) != 0)) return 0;
	if (cw_admin_site_psk_rotate(a->reg, site, ssid, a->now, o->force, o->expire_old, &r, &e) < 0) {
		cli_err("%s", e.msg);
		o->rc = EXIT_FAIL;
		return 0;	/* go on with the other SSIDs */
	}
	if (o->json) rotation_json(&o->doc, site, ssid, &r, o->print);
	else rotation_text(site, ssid, &r, o->print);
	if (r.rotated && o->notify && notify_rotation(o->notify, site, ssid, &r, &e) < 0) {
		if (site) cli_err("SSID \"%s\" at site %s was rotated, but %s", ssid, site, e.msg);
		else cli_err("SSID \"%s\" was rotated, but %s", ssid, e.msg);
		if (o->rc == EXIT_OK) o->rc = EXIT_ATTENTION;
	}
	cw_wipe(&r, sizeof(r));
	return 0;
}

/*
 * --site against the registry: required once sites are defined (exit 2
 * without it), refused while none is. EXIT_OK or the exit code (printed).
 */
static int site_flag_check(const cli_cmd_t *self, cw_registry_t *reg, const char *site, bool all)
{
	int any;
	cw_err_t e;

	any = cw_admin_sites_defined(reg, &e);
	if (any < 0) return cli_fail("%s", e.msg);
	if (any && !site && !all) {
		return cli_usage(self, "sites are defined, so guest passphrases are per site: give --site SITE"
				 " (see coworkctl site list)");
	}
	if (!any && site) return cli_usage(self, "--site %s: no site is defined (see coworkctl site add --help)", site);
	if (site && cw_admin_site_check(reg, site, &e) < 0) return cli_fail("%s", e.msg);
	return EXIT_OK;
}

static int psk_rotate(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ssid", required_argument, NULL, 's' },
		{ "all", no_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "expire-old", no_argument, NULL, 'x' },
		{ "print", no_argument, NULL, 'p' },
		{ "notify-cmd", required_argument, NULL, 'n' },
		{ "site", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rotate_opts o = { .rc = EXIT_OK };
	struct rotate_arg arg = { &o, NULL, cli->now };
	const char *ssid = NULL, *site = NULL;
	bool all = false;
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 's') ssid = optarg;
		if (c == 'a') all = true;
		if (c == 'f') o.force = true;
		if (c == 'x') o.expire_old = true;
		if (c == 'p') o.print = true;
		if (c == 'n') o.notify = optarg;
		if (c == 'S') site = optarg;
		if (c == 'j') o.json = true;
	}
	if ((rc = cli_operands(self, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if (!ssid == !all) return cli_usage(self, "give either --ssid SSID or --all");
	if (o.expire_old && !o.force) return cli_usage(self, "--expire-old needs --force");
	if (o.notify && !*o.notify) return cli_usage(self, "--notify-cmd needs a command");
	if (site && cw_name_check_id(site, "site name", &e) < 0) return cli_usage(self, "--site: %s", e.msg);

	if ((rc = cli_registry(cli, &arg.reg)) != EXIT_OK) return rc;
	if ((rc = site_flag_check(self, arg.reg, site, all)) != EXIT_OK) {
		cw_registry_close(arg.reg);
		return rc;
	}
	if (o.json) {
		json_init(&o.doc, stdout);
		json_array_begin(&o.doc);
	}
	o.only_site = all ? site : NULL;
	if (ssid) rotate_one(&arg, site, ssid);
	else if (cw_admin_guest_offers(arg.reg, rotate_one, &arg, &e) < 0) o.rc = cli_fail("%s", e.msg);
	if (o.json) {
		json_array_end(&o.doc);
		json_end(&o.doc);
	}
	cw_registry_close(arg.reg);
	return o.rc;
}

/*
 * Write the QR code as SVG to the new file dest, 0600 (it holds the
 * passphrase), through its checked directory (fileio.h: no planted link
 * followed, no directory others can write). Never overwrites a file.
 * 0, or -1 with e.
 */
static int qr_to_file(const char *dest, const char *payload, cw_err_t *e)
{
	cw_out_t out;

	if (cw_out_open(dest, 0600, &out, e) < 0) return -1;
	return qr_write_svg_out(&out, payload, e);
}

/* Write the QR code to a file (or the terminal for "-"). */
static int show_qr(const char *dest, const char *ssid, const char *passphrase)
{
	char payload[512];
	cw_err_t e;
	int rc;

	if (cw_wifi_qr_payload(ssid, passphrase, payload, sizeof(payload)) < 0) return cli_fail("SSID too long for a QR code");
	if (strcmp(dest, "-") == 0) rc = qr_write_terminal(stdout, payload, &e);
	else rc = qr_to_file(dest, payload, &e);
	cw_wipe(payload, sizeof(payload));
	if (rc < 0) return cli_fail("--qr: %s", e.msg);
	return EXIT_OK;
}

static int psk_show(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ssid", required_argument, NULL, 's' },
		{ "qr", required_argument, NULL, 'q' },
		{ "site", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ssid = NULL, *qr = NULL, *site = NULL;
	char flag[CW_SITE_NAME_MAX + 16] = "";
	cw_psk_row_t rows[CW_PSK_SERVED_MAX];
	int64_t warn, last;
	cw_guest_policy_t policy;
	cw_registry_t *reg;
	bool json = false;
	int c, rc = EXIT_OK;
	char a[32], b[32];
	size_t n = 0;
	cw_err_t e;
	json_t j;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 's') ssid = optarg;
		if (c == 'q') qr = optarg;
		if (c == 'S') site = optarg;
		if (c == 'j') json = true;
	}
	if ((rc = cli_operands(self, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if (!ssid) return cli_usage(self, "--ssid is required");
	if (qr && json) return cli_usage(self, "--qr and --json do not go together");
	if (site && cw_name_check_id(site, "site name", &e) < 0) return cli_usage(self, "--site: %s", e.msg);
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if ((rc = site_flag_check(self, reg, site, false)) != EXIT_OK) {
		cw_registry_close(reg);
		return rc;
	}
	if (cw_admin_guest_policy_get(reg, ssid, &policy, &e) < 0 ||
	    cw_registry_site_guest_psks(reg, site, ssid, cli->now, rows, &n, &warn, &last, &e) < 0) {
		cw_registry_close(reg);
		return cli_fail("%s", e.msg);
	}
	cw_registry_close(reg);
	if (site) (void)cw_snprintf(flag, sizeof(flag), " --site '%s'", site);
	if (n == 0 && site && !last) {
		return cli_fail("site %s does not offer SSID \"%s\" (it has no passphrase there): run"
				" `coworkctl psk rotate --ssid '%s'%s`", site, ssid, ssid, flag);
	}
	if (n == 0) {
		return cli_fail("SSID \"%s\" has no valid passphrase%s%s: run `coworkctl psk rotate --ssid '%s'%s`", ssid,
				last ? " since " : "", last ? cli_when(last, a) : "", ssid, flag);
	}
	if (qr) {
		rc = show_qr(qr, ssid, rows[0].passphrase);
	} else if (json) {
		json_init(&j, stdout);
		json_object_begin(&j);
		if (site) json_kv_string(&j, "site", site);
		json_kv_string(&j, "ssid", ssid);
		json_kv_string(&j, "passphrase", rows[0].passphrase);
		json_kv_time(&j, "valid_from", rows[0].valid_from);
		json_kv_time(&j, "valid_until", rows[0].valid_until);
		json_kv_time(&j, "served_until", rows[0].grace_until);
		json_kv_time(&j, "previous_served_until", n > 1 ? rows[1].grace_until : 0);
		json_object_end(&j);
		json_end(&j);
	} else {
		if (site) printf("site        %s\n", site);
		printf("SSID        %s\npassphrase  %s\nvalid       until %s (served until %s)\n", ssid, rows[0].passphrase,
		       cli_when(rows[0].valid_until, a), cli_when(rows[0].grace_until, b));
		if (n > 1) printf("previous    still served until %s\n", cli_when(rows[1].grace_until, a));
	}
	cw_wipe(rows, sizeof(rows));
	return rc;
}

static void policy_print(const char *ssid, const cw_guest_policy_t *p, bool json)
{
	char period[16], grace[16], warn[16];
	json_t j;

	if (cw_period_format(&p->period, period, sizeof(period)) < 0) strcpy(period, "?");
	if (cw_duration_format(p->grace, grace, sizeof(grace)) < 0) strcpy(grace, "?");
	if (cw_duration_format(p->warn, warn, sizeof(warn)) < 0) strcpy(warn, "?");
	if (!json) {
		printf("SSID         %s\nperiod       %s\ngrace        %s\nwarn         %s\nmembers see  %s\n", ssid,
		       period, grace, warn, p->members_see ? "yes" : "no");
		return;
	}
	json_init(&j, stdout);
	json_object_begin(&j);
	json_kv_string(&j, "ssid", ssid);
	json_kv_string(&j, "period", period);
	json_kv_int(&j, "grace_seconds", p->grace);
	json_kv_int(&j, "warn_seconds", p->warn);
	json_kv_bool(&j, "members_see", p->members_see);
	json_object_end(&j);
	json_end(&j);
}

static int psk_policy(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ssid", required_argument, NULL, 's' },
		{ "period", required_argument, NULL, 'p' },
		{ "grace", required_argument, NULL, 'g' },
		{ "warn", required_argument, NULL, 'w' },
		{ "members-see", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ssid = NULL, *period = NULL, *grace = NULL, *warn = NULL, *see = NULL;
	cw_guest_policy_t p;
	cw_registry_t *reg;
	bool json = false;
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 's') ssid = optarg;
		if (c == 'p') period = optarg;
		if (c == 'g') grace = optarg;
		if (c == 'w') warn = optarg;
		if (c == 'm') see = optarg;
		if (c == 'j') json = true;
	}
	if ((rc = cli_operands(self, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if (!ssid) return cli_usage(self, "--ssid is required");
	if (see && strcmp(see, "yes") != 0 && strcmp(see, "no") != 0) {
		return cli_usage(self, "--members-see takes yes or no (got \"%.20s\")", see);
	}
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (cw_admin_guest_policy_get(reg, ssid, &p, &e) < 0) goto fail;
	if ((period && cw_period_parse(period, &p.period, &e) < 0) ||
	    (grace && cw_duration_parse(grace, CW_GUEST_GRACE_MAX, &p.grace, &e) < 0) ||
	    (warn && cw_duration_parse(warn, CW_GUEST_WARN_MAX, &p.warn, &e) < 0)) {
		cw_registry_close(reg);
		return cli_usage(self, "%s", e.msg);
	}
	if (see) p.members_see = strcmp(see, "yes") == 0;
	if ((period || grace || warn || see) && cw_admin_guest_policy_set(reg, ssid, &p, &e) < 0) goto fail;
	cw_registry_close(reg);
	policy_print(ssid, &p, json);
	return EXIT_OK;
fail:
	cw_registry_close(reg);
	return cli_fail("%s", e.msg);
}

static const cli_cmd_t psk_cmds[] = {
	{ "rotate", psk_rotate,
	  "psk rotate --ssid SSID|--all [--site SITE] [--force [--expire-old]] [--print] [--notify-cmd CMD] [--json]",
	  "Give a guest SSID a new passphrase for the current period (cron runs this; see docs/operations.md).\n"
	  "Nothing changes while a passphrase is in force for this period, unless --force. The new one\n"
	  "is served from now to the end of the period plus the grace (see psk policy); the previous\n"
	  "one stays served during its grace. The passphrase is not printed unless asked.\n\n"
	  "  --ssid SSID       the guest SSID (--all: every guest SSID; with sites, every SSID each\n"
	  "                    site offers)\n"
	  "  --site SITE       once sites are defined, required with --ssid: the site's passphrase\n"
	  "                    (the first rotation makes the site offer the SSID); with --all, that\n"
	  "                    site's SSIDs only\n"
	  "  --force           rotate within the period (e.g. the passphrase leaked)\n"
	  "  --expire-old      with --force: stop serving the old passphrase at once\n"
	  "  --print           print the new passphrase\n"
	  "  --notify-cmd CMD  run CMD (with /bin/sh) after a rotation, the passphrase on its standard\n"
	  "                    input, COWORK_SSID, COWORK_PSK_VALID_UNTIL (and COWORK_SITE) in its\n"
	  "                    environment;\n"
	  "                    a failure is reported (exit 3) and does not undo the rotation\n"
	  "  --json            print the result as JSON (the passphrase only with --print)\n" },
	{ "show", psk_show, "psk show --ssid SSID [--site SITE] [--json] [--qr FILE.svg|-]",
	  "Show the passphrase in force, for reception after an ID check.\n\n"
	  "  --ssid SSID     the guest SSID\n"
	  "  --site SITE     the site's passphrase (required once sites are defined)\n"
	  "  --qr FILE.svg   write the Wi-Fi QR code (WIFI:T:WPA;S:...;P:...;;) as SVG (a new file);\n"
	  "                  - draws it on the terminal; FILE's directory must belong to root or you\n"
	  "                  and not be writable by others\n"
	  "  --json          as JSON\n" },
	{ "policy", psk_policy,
	  "psk policy --ssid SSID [--period monthly|weekly|Nd] [--grace DUR] [--warn DUR] [--members-see yes|no] [--json]",
	  "Show or set how a guest SSID's passphrase rotates; changes apply from the next rotation.\n"
	  "With sites, the policy of an SSID applies at every site that offers it.\n\n"
	  "  --period P   monthly (default), weekly, or N days (e.g. 14d)\n"
	  "  --grace DUR  how long the previous passphrase is still served after its period (default 1d;\n"
	  "               0 to 30d; units s, m, h, d, w)\n"
	  "  --warn DUR   radiusd warns this long before the passphrase stops being served (default 1d)\n"
	  "  --members-see yes|no\n"
	  "               whether members see the passphrase in force on their enrollment page\n"
	  "               (coworkctl enroll-broker; default no)\n"
	  "  --json       as JSON\n" },
	{ NULL, NULL, NULL, NULL },
};

int cmd_psk(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_dispatch(cli, "psk", psk_cmds, argc - 1, argv + 1);
}
