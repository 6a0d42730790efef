/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_crl.c - coworkctl crl: the member CA's certificate revocation list,
 * for consumers that cannot ask the registry (RadSec peers, other RADIUS
 * servers trusting our member CA). rlm_cowork itself needs no CRL: it
 * reads revocations from the registry at every authentication.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "crl.h"
#include "fileio.h"
#include "json.h"
#include "registry_admin.h"
#include "timeutil.h"

/* The command's own usage and help (main.c's entry is the one-line summary). */
static const cli_cmd_t crl_cmd = {
	"crl", cmd_crl, "crl --out FILE [--days N] [--der] [--json]",
	"Write an X.509 v2 CRL signed by the member CA: every revoked certificate with its revocation\n"
	"date and reason, and the certificates of suspended members as certificateHold (they leave the\n"
	"CRL when the member is resumed). thisUpdate is now, nextUpdate now + N days; each CRL gets the\n"
	"next cRLNumber. FILE is replaced atomically (mode 0644). Run it daily from cron.\n"
	"FILE's directory must belong to root or you and not be writable by others.\n\n"
	"  --out FILE   where to write the CRL (required)\n"
	"  --days N     validity, 1-7 days (default 7): consumers refuse a CRL past its nextUpdate\n"
	"  --der        DER instead of PEM\n"
	"  --json       print the result as JSON\n",
};

struct crl_opts {
	const char	*out;
	unsigned	days;
	bool		der;
	bool		json;
};

static void print_result(const struct crl_opts *o, const cw_crl_content_t *c)
{
	char next[CW_RFC3339_MS_LEN];
	json_t j;

	if (o->json) {
		json_init(&j, stdout);
		json_object_begin(&j);
		json_kv_string(&j, "file", o->out);
		json_kv_string(&j, "format", o->der ? "der" : "pem");
		json_kv_int(&j, "crl_number", (int64_t)c->number);
		json_kv_int(&j, "entries", (int64_t)c->n);
		json_kv_int(&j, "revoked", (int64_t)(c->n - c->n_hold));
		json_kv_int(&j, "on_hold", (int64_t)c->n_hold);
		json_kv_time(&j, "this_update", c->this_update);
		json_kv_time(&j, "next_update", c->next_update);
		json_object_end(&j);
		json_end(&j);
		return;
	}
	if (cw_time_format_rfc3339(c->next_update, next) < 0) (void)cw_snprintf(next, sizeof(next), "?");
	printf("CRL number %llu written to %s: %zu entries (%zu revoked, %zu on hold), next update %s\n",
	       (unsigned long long)c->number, o->out, c->n, c->n - c->n_hold, c->n_hold, next);
}

/* Decide the content (taking its number), sign it and write the file. */
static int write_crl(const cli_t *cli, const struct crl_opts *o)
{
	cw_crl_content_t c = { 0 };
	cw_registry_t *reg = NULL;
	cw_ca_t *ca = NULL;
	unsigned char *buf = NULL;
	size_t len = 0;
	int rc;
	cw_err_t e;

	/* The CA and the output first: a missing key or a wrong --out costs no CRL number. */
	if (cw_file_replace_check(o->out, &e) < 0) return cli_fail("--out: %s", e.msg);
	if ((rc = cli_load_ca(cli, &ca)) != EXIT_OK) return rc;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) goto done;
	if (cw_admin_crl_prepare(reg, cli->now, o->days, &c, &e) < 0) {
		rc = cli_fail("%s", e.msg);
		goto done;
	}
	/* Replaced through the checked directory's descriptor: renameat never follows a link at FILE. */
	if (cw_crl_build(ca, &c, o->der, &buf, &len, &e) < 0 || cw_file_replace(o->out, buf, len, 0644, &e) < 0) {
		/* The number stays taken: CRL numbers must grow, gaps are allowed (RFC 5280 5.2.3). */
		rc = cli_fail("%s (CRL number %llu is used up; the next run takes the next one)", e.msg,
			      (unsigned long long)c.number);
		goto done;
	}
	print_result(o, &c);
done:
	free(buf);
	cw_crl_content_free(&c);
	cw_registry_close(reg);
	cw_ca_free(ca);
	return rc;
}

int cmd_crl(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "days", required_argument, NULL, 'D' },
		{ "der", no_argument, NULL, 'R' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct crl_opts o = { NULL, CW_CRL_DAYS_DEFAULT, false, false };
	int c, rc = EXIT_OK;

	(void)self;
	while ((c = cli_getopt(&crl_cmd, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'o') o.out = optarg;
		if (c == 'D' && cli_uint(optarg, CW_CRL_DAYS_MIN, CW_CRL_DAYS_MAX, "--days", &o.days) < 0) return EXIT_USAGE;
		if (c == 'R') o.der = true;
		if (c == 'j') o.json = true;
	}
	if ((rc = cli_operands(&crl_cmd, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if (!o.out || !*o.out) return cli_usage(&crl_cmd, "--out FILE is required");
	return write_crl(cli, &o);
}
