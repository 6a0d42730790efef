/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_nas.c - coworkctl nas add|set|list|remove: the access points, their
 * site (the guest passphrases they get, see cmd_site.c), and the
 * Disconnect-Requests (RFC 5176) they take, with their CoA port and secret.
 *
 * The secret never appears on the command line (other users see it in
 * ps) nor in any output: it is read from a file or standard input.
 *
 * With --radsec, `nas add` also issues the NAS's RadSec (RFC 6614) client
 * certificate from the NAS CA (nasca.h), never from the member CA, and
 * writes it with what the NAS must trust into --out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ca.h"
#include "cli.h"
#include "commands.h"
#include "fileio.h"
#include "json.h"
#include "names.h"
#include "nas.h"
#include "nasca.h"

/* A secret file is one line; anything longer than this is not a secret file. */
#define SECRET_FILE_MAX 1024

/* Read up to max bytes of standard input into buf. The byte count, or -1 (printed). */
static ssize_t read_stdin(char *buf, size_t max)
{
	size_t got = 0;

	while (got < max) {
		ssize_t n = read(STDIN_FILENO, buf + got, max - got);

		if (n < 0 && errno == EINTR) continue;
		if (n < 0) {
			cli_err("reading the secret from standard input: %s", strerror(errno));
			return -1;
		}
		if (n == 0) break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

/*
 * The secret from FILE ("-": standard input), without its line end, into
 * buf (room for SECRET_FILE_MAX + 1). Its length, or -1 (printed).
 */
static ssize_t read_secret(const char *file, char *buf)
{
	ssize_t len;
	cw_err_t e;

	if (strcmp(file, "-") == 0) {
		len = read_stdin(buf, SECRET_FILE_MAX + 1);
	} else {
		char *data = NULL;
		size_t n = 0;

		if (cw_file_read(file, SECRET_FILE_MAX + 1, &data, &n, &e) < 0) {
			cli_err("%s", e.msg);
			return -1;
		}
		memcpy(buf, data, n);
		cw_wipe(data, n + 1);
		free(data);
		len = (ssize_t)n;
	}
	if (len > SECRET_FILE_MAX) {
		cli_err("the secret file holds more than %d bytes: it should hold the secret on one line",
			SECRET_FILE_MAX);
		return -1;
	}
	if (len > 0 && buf[len - 1] == '\n') len--;
	if (len > 0 && buf[len - 1] == '\r') len--;
	if (len == 0) cli_err("the secret file is empty");
	return len > 0 ? len : -1;
}

/* The files `nas add --radsec` writes into --out. */
enum { RS_KEY, RS_PEM, RS_NASCA, RS_SERVERCA, RS_N };

static const struct {
	const char	*suffix;	//!< after NAME; NULL: a fixed name
	const char	*fixed;
	mode_t		mode;
} rs_defs[RS_N] = {
	[RS_KEY] = { ".key", NULL, 0600 },
	[RS_PEM] = { ".pem", NULL, 0644 },
	[RS_NASCA] = { NULL, "nas-ca.pem", 0644 },
	[RS_SERVERCA] = { NULL, "server-ca.pem", 0644 },
};

struct radsec_out {
	cw_outdir_t	dir;
	char		name[RS_N][NAME_MAX + 1];
	cw_out_t	out[RS_N];
	cw_issued_t	nas;			//!< the NAS's key and certificate
	char		*nasca_pem;		//!< the NAS CA certificate
	size_t		nasca_len;
	char		*serverca_pem;		//!< STATE/ca/ca.pem: what signs the server certificate
	size_t		serverca_len;
	cw_ca_t		*ca;			//!< the NAS CA, for its CRL once the NAS is recorded
};

/* Open and check --out; none of the four files may exist. EXIT_OK or EXIT_FAIL. */
static int radsec_paths(const char *dir, const char *nas, struct radsec_out *o)
{
	cw_err_t e;
	int exists;

	for (int i = 0; i < RS_N; i++) {
		if ((rs_defs[i].suffix ? cw_snprintf(o->name[i], sizeof(o->name[i]), "%s%s", nas, rs_defs[i].suffix) :
					 cw_snprintf(o->name[i], sizeof(o->name[i]), "%s", rs_defs[i].fixed)) < 0) {
			return cli_fail("--out: the NAS name is too long for a file name");
		}
	}
	if (cw_outdir_open(dir, true, &o->dir, &e) < 0) return cli_fail("--out: %s", e.msg);
	for (int i = 0; i < RS_N; i++) {
		if ((exists = cw_outdir_check_absent(&o->dir, o->name[i], &e)) < 0) return cli_fail("%s", e.msg);
		if (exists) return cli_fail("%s/%s already exists: choose another --out or move it away", dir, o->name[i]);
	}
	return EXIT_OK;
}

/*
 * Issue the NAS certificate with the NAS CA (made on first use) and read
 * the server's CA certificate. EXIT_OK or EXIT_FAIL (printed).
 */
static int radsec_issue(const cli_t *cli, cw_registry_t *reg, const char *nas, struct radsec_out *o)
{
	char org[CW_DN_MAX], path[4096], *junk = NULL;
	size_t junk_len = 0;
	bool created;
	int rc, found;
	cw_err_t e;

	found = cw_registry_setting_get(reg, "org", org, sizeof(org), &e);
	if (found < 0) return cli_fail("%s", e.msg);
	if (found == 0) return cli_fail("the registry has no organisation name (was the state made by coworkctl init?)");
	if (cli_path(cli, "ca/ca.pem", path, sizeof(path)) < 0) return EXIT_FAIL;
	if (cw_file_read(path, 1024 * 1024, &o->serverca_pem, &o->serverca_len, &e) < 0) {
		return cli_fail("the server certificate's CA: %s", e.msg);
	}
	if ((rc = nasca_load(cli, org, &o->ca, &created)) != EXIT_OK) return rc;
	if (created) printf("created the NAS CA %s/nas-ca/ca.pem (it signs RadSec client certificates only)\n",
			    cli->state_dir);
	if (cw_ca_issue_nas(o->ca, nas, CW_NAS_DAYS_DEFAULT, cli->now, &o->nas, &e) < 0 ||
	    cw_ca_export(o->ca, &o->nasca_pem, &o->nasca_len, &junk, &junk_len, &e) < 0) {
		rc = cli_fail("%s", e.msg);
	}
	cw_secret_free(junk, junk_len);
	return rc;
}

/* Write the four files, left open for radsec_commit; all or none. EXIT_OK or EXIT_FAIL. */
static int radsec_write(struct radsec_out *o)
{
	const void *data[RS_N] = { o->nas.key_pem, o->nas.cert_pem, o->nasca_pem, o->serverca_pem };
	size_t len[RS_N] = { o->nas.key_pem_len, o->nas.cert_pem_len, o->nasca_len, o->serverca_len };
	cw_err_t e;

	for (int i = 0; i < RS_N; i++) {
		if (cw_out_create(&o->dir, o->name[i], rs_defs[i].mode, &o->out[i], &e) < 0 ||
		    cw_out_write(&o->out[i], data[i], len[i], &e) < 0) {
			for (int j = 0; j < RS_N; j++) cw_out_abort(&o->out[j]);
			return cli_fail("%s", e.msg);
		}
	}
	return EXIT_OK;
}

/* Sync every file once the NAS is recorded. EXIT_OK or EXIT_FAIL. */
static int radsec_commit(struct radsec_out *o, const char *nas)
{
	cw_err_t e;

	for (int i = 0; i < RS_N; i++) {
		if (cw_out_commit(&o->out[i], &e) < 0) {
			for (int j = 0; j < RS_N; j++) cw_out_abort(&o->out[j]);
			return cli_fail("%s (NAS %s is recorded but its files are incomplete: remove it with `coworkctl nas "
					"remove %s` and add it again)", e.msg, nas, nas);
		}
	}
	return EXIT_OK;
}

static void radsec_clear(struct radsec_out *o)
{
	for (int i = 0; i < RS_N; i++) cw_out_abort(&o->out[i]);
	cw_outdir_close(&o->dir);
	cw_issued_clear(&o->nas);
	free(o->nasca_pem);
	free(o->serverca_pem);
	cw_ca_free(o->ca);
}

static void radsec_print(const struct radsec_out *o)
{
	printf("  RadSec client certificate %s/%s (serial %s), key %s/%s\n", o->dir.path, o->name[RS_PEM],
	       o->nas.info.serial, o->dir.path, o->name[RS_KEY]);
	printf("  it must trust %s/%s (the server's CA); %s/%s is the CA that signed it\n", o->dir.path,
	       o->name[RS_SERVERCA], o->dir.path, o->name[RS_NASCA]);
}

/* Record the NAS, with --radsec its certificate and files. */
static int nas_add_run(cli_t *cli, const char *name, const char *address, unsigned port, const char *secret,
		       size_t len, const char *site, const char *out)
{
	struct radsec_out o = { .dir = CW_OUTDIR_INIT, .out = { CW_OUT_INIT, CW_OUT_INIT, CW_OUT_INIT, CW_OUT_INIT } };
	cw_registry_t *reg;
	int rc;
	cw_err_t e;

	if (out && (rc = radsec_paths(out, name, &o)) != EXIT_OK) goto done;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) goto done;
	if (out && ((rc = radsec_issue(cli, reg, name, &o)) != EXIT_OK || (rc = radsec_write(&o)) != EXIT_OK)) {
		cw_registry_close(reg);
		goto done;
	}
	if ((out ? cw_nas_add_radsec(reg, name, address, port, secret, len, cli->now, site, o.nas.info.serial,
				     o.nas.info.not_after, &e) :
		   cw_nas_add_at(reg, name, address, port, secret, len, cli->now, site, &e)) < 0) {
		rc = cli_fail("%s", e.msg);
	} else if (!out || (rc = radsec_commit(&o, name)) == EXIT_OK) {
		printf("NAS %s added: Disconnect-Requests for sessions from %s go to its port %u\n", name, address, port);
		if (site) printf("  it is at site %s: guest requests from %s get that site's passphrases\n", site, address);
		if (out) radsec_print(&o);
		if (out && nasca_write_trust(cli, reg, o.ca) != EXIT_OK) {
			rc = cli_fail("the RadSec listener's trust file is not up to date: run `coworkctl nas crl`");
		}
	}
	cw_registry_close(reg);
done:
	radsec_clear(&o);
	return rc;
}

static int nas_add(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "address", required_argument, NULL, 'a' },
		{ "coa-port", required_argument, NULL, 'p' },
		{ "secret-file", required_argument, NULL, 's' },
		{ "site", required_argument, NULL, 'S' },
		{ "radsec", no_argument, NULL, 'R' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *address = NULL, *secret_file = NULL, *site = NULL, *out = NULL;
	char secret[SECRET_FILE_MAX + 2];
	unsigned port = CW_DAE_PORT_DEFAULT;
	bool radsec = false;
	ssize_t len;
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'a') address = optarg;
		if (c == 'p' && cli_uint(optarg, 1, 65535, "--coa-port", &port) < 0) return EXIT_USAGE;
		if (c == 's') secret_file = optarg;
		if (c == 'S') site = optarg;
		if (c == 'R') radsec = true;
		if (c == 'o') out = optarg;
	}
	if ((rc = cli_operands(self, argc, argv, 1, 1)) != EXIT_OK) return rc;
	if (!address) return cli_usage(self, "--address IP is required");
	if (radsec && !out) return cli_usage(self, "--radsec needs --out DIR (where the NAS's certificate and key go)");
	if (out && !radsec) return cli_usage(self, "--out is only for --radsec (the NAS's certificate and key)");
	if (site && cw_name_check_id(site, "site name", &e) < 0) return cli_usage(self, "--site: %s", e.msg);
	if (!secret_file) return cli_usage(self, "--secret-file FILE is required (- for standard input)");
	if (cw_name_check_id(argv[optind], "NAS name", &e) < 0) return cli_usage(self, "%s", e.msg);
	len = read_secret(secret_file, secret);
	if (len < 0) {
		cw_wipe(secret, sizeof(secret));
		return EXIT_FAIL;
	}
	rc = nas_add_run(cli, argv[optind], address, port, secret, (size_t)len, site, out);
	cw_wipe(secret, sizeof(secret));
	return rc;
}

static int nas_row(void *arg, const cw_nas_t *n)
{
	cli_list_t *o = arg;
	char added[16], until[16];

	if (o->json) {
		json_object_begin(o->json);
		json_kv_string(o->json, "name", n->name);
		json_kv_string(o->json, "address", n->address);
		json_kv_int(o->json, "coa_port", n->coa_port);
		json_kv_string(o->json, "site", n->site);
		json_kv_time(o->json, "created_at", n->created_at);
		if (n->radsec_serial[0]) {
			json_kv_string(o->json, "radsec_serial", n->radsec_serial);
			json_kv_time(o->json, "radsec_not_after", n->radsec_not_after);
		}
		json_object_end(o->json);
		return 0;
	}
	if (o->rows++ == 0) {
		printf("%-24s  %-39s  %-8s  %-10s  %-16s  %s\n", "NAME", "ADDRESS", "COA PORT", "ADDED", "SITE",
		       "RADSEC UNTIL");
	}
	printf("%-24s  %-39s  %-8u  %-10s  %-16s  %s\n", n->name, n->address, n->coa_port, cli_date(n->created_at, added),
	       n->site[0] ? n->site : "-", n->radsec_serial[0] ? cli_date(n->radsec_not_after, until) : "-");
	return 0;
}

static int nas_rows(cw_registry_t *reg, cli_list_t *out, cw_err_t *err)
{
	return cw_nas_list(reg, nas_row, out, err);
}

static int nas_list(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_registry_list(cli, self, argc, argv, nas_rows,
				 "no NAS defined: Disconnect-Requests cannot be sent (see coworkctl nas add --help)");
}

static int revoke_radsec(const cli_t *cli, cw_registry_t *reg, const char *name);

static int nas_remove(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	cw_registry_t *reg;
	bool had_radsec = false;
	int rc;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 1, 1, NULL, &rc) < 0) return rc;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (cw_nas_remove_at(reg, argv[optind], cli->now, &had_radsec, &e) < 0) {
		rc = cli_fail("%s", e.msg);
	} else {
		printf("NAS %s removed\n", argv[optind]);
		if (had_radsec) rc = revoke_radsec(cli, reg, argv[optind]);
	}
	cw_registry_close(reg);
	return rc;
}

/* Rewrite the RadSec listener's trust file after the NAS lost its certificate. */
static int revoke_radsec(const cli_t *cli, cw_registry_t *reg, const char *name)
{
	cw_ca_t *ca = NULL;
	int rc;

	printf("  its RadSec certificate is revoked\n");
	if ((rc = nasca_open(cli, &ca)) == EXIT_OK) rc = nasca_write_trust(cli, reg, ca);
	cw_ca_free(ca);
	if (rc != EXIT_OK) {
		return cli_fail("NAS %s is removed but the RadSec listener still trusts its certificate: run `coworkctl"
				" nas crl`, then restart radiusd", name);
	}
	printf("  restart radiusd (systemctl restart freeradius) so that the RadSec listener refuses it\n");
	return EXIT_OK;
}

static int nas_crl(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	cw_registry_t *reg;
	cw_ca_t *ca = NULL;
	int rc;

	if (cli_simple_opts(self, argc, argv, 0, 0, NULL, &rc) < 0) return rc;
	if ((rc = nasca_open(cli, &ca)) != EXIT_OK) return rc;
	if ((rc = cli_registry(cli, &reg)) == EXIT_OK) {
		rc = nasca_write_trust(cli, reg, ca);
		cw_registry_close(reg);
	}
	cw_ca_free(ca);
	return rc;
}

static int nas_set(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "site", required_argument, NULL, 'S' },
		{ "no-site", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *site = NULL;
	bool no_site = false;
	cw_registry_t *reg;
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'S') site = optarg;
		if (c == 'N') no_site = true;
	}
	if ((rc = cli_operands(self, argc, argv, 1, 1)) != EXIT_OK) return rc;
	if (!site == !no_site) return cli_usage(self, "give either --site SITE or --no-site");
	if (site && cw_name_check_id(site, "site name", &e) < 0) return cli_usage(self, "--site: %s", e.msg);
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if (cw_nas_set_site(reg, argv[optind], site, &e) < 0) rc = cli_fail("%s", e.msg);
	else if (site) printf("NAS %s is now at site %s\n", argv[optind], site);
	else printf("NAS %s is now at no site: it gets no guest passphrase while sites are defined\n", argv[optind]);
	cw_registry_close(reg);
	return rc;
}

static const cli_cmd_t nas_cmds[] = {
	{ "add", nas_add, "nas add NAME --address IP [--coa-port PORT] --secret-file FILE [--site SITE]"
	  " [--radsec --out DIR]",
	  "Define an access point (NAS): its site, and Disconnect-Requests to it (RFC 5176). The NAS must\n"
	  "also be a client in FreeRADIUS's clients.conf, and have its dynamic authorization (DAE/CoA)\n"
	  "server on for Disconnect-Requests.\n\n"
	  "  --address IP        the address it sends RADIUS from (the source of its requests)\n"
	  "  --coa-port PORT     its Dynamic Authorization port (default 3799)\n"
	  "  --secret-file FILE  the shared secret, one line (- reads standard input); 16 to 128\n"
	  "                      printable characters. Never on the command line, never printed.\n"
	  "  --site SITE         the site it is at: guest requests from IP get that site's passphrases\n"
	  "  --radsec            issue its RadSec (RADIUS over TLS, port 2083) client certificate from\n"
	  "                      the NAS CA (STATE/nas-ca, made on first use; never the member CA)\n"
	  "  --out DIR           with --radsec: write NAME.pem, NAME.key (0600), nas-ca.pem and\n"
	  "                      server-ca.pem (the CA the NAS must trust for the server) into DIR\n" },
	{ "set", nas_set, "nas set NAME --site SITE|--no-site",
	  "Move an access point to a site, or to none (it then gets no guest passphrase while sites are\n"
	  "defined).\n\n"
	  "  --site SITE   the site it is at now\n"
	  "  --no-site     at no site\n" },
	{ "list", nas_list, "nas list [--json]",
	  "List NAS definitions, their sites and RadSec certificates (never their secrets).\n\n"
	  "  --json   as JSON\n" },
	{ "remove", nas_remove, "nas remove NAME",
	  "Remove a NAS definition. Its RadSec certificate, if it has one, is revoked: the NAS CA's CRL in\n"
	  "STATE/nas-ca/trust.pem is rewritten; restart radiusd for the RadSec listener to read it.\n" },
	{ "crl", nas_crl, "nas crl",
	  "Rewrite STATE/nas-ca/trust.pem, the RadSec listener's trust file: the NAS CA and a new CRL of\n"
	  "the removed NASes' certificates (nas add --radsec and nas remove do it themselves).\n" },
	{ NULL, NULL, NULL, NULL },
};

int cmd_nas(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_dispatch(cli, "nas", nas_cmds, argc - 1, argv + 1);
}
