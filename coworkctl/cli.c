/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli.c - what every coworkctl command shares.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ca.h"
#include "cli.h"
#include "fileio.h"
#include "profile.h"
#include "registry_write.h"
#include "statedir.h"
#include "timeutil.h"

/* Most a CA certificate file may hold. */
#define CLI_CA_PEM_MAX (64 * 1024)

static void vmsg(const char *fmt, va_list ap)
{
	fputs("coworkctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
}

int cli_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	return EXIT_FAIL;
}

/* Length of the leading command words of a usage line ("cert issue" of "cert issue MEMBER ..."). */
static size_t command_words(const char *usage)
{
	size_t end = 0, i;

	for (i = 0;; i++) {
		char c = usage[i];

		if (c == ' ' || c == '\0') {
			end = i;
			if (c == '\0') break;
			continue;
		}
		if (c < 'a' || c > 'z') break;
	}
	return end;
}

int cli_usage(const cli_cmd_t *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(fmt, ap);
	va_end(ap);
	fprintf(stderr, "usage: coworkctl %s\nTry 'coworkctl %.*s --help'.\n", cmd->usage,
		(int)command_words(cmd->usage), cmd->usage);
	return EXIT_USAGE;
}

int cli_help(const cli_cmd_t *cmd)
{
	printf("usage: coworkctl %s\n\n%s", cmd->usage, cmd->help);
	return EXIT_OK;
}

static void list_commands(FILE *f, const char *group, const cli_cmd_t *cmds)
{
	fprintf(f, "usage: coworkctl %s COMMAND [OPTIONS]\n\nCommands:\n", group);
	for (const cli_cmd_t *c = cmds; c->name; c++) fprintf(f, "  coworkctl %s\n", c->usage);
	fprintf(f, "\nRun 'coworkctl %s COMMAND --help' for a command's options.\n", group);
}

int cli_dispatch(cli_t *cli, const char *group, const cli_cmd_t *cmds, int argc, char **argv)
{
	if (argc < 1) {
		cli_err("%s: a command is required", group);
		list_commands(stderr, group, cmds);
		return EXIT_USAGE;
	}
	if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "help") == 0) {
		list_commands(stdout, group, cmds);
		return EXIT_OK;
	}
	for (const cli_cmd_t *c = cmds; c->name; c++) {
		if (strcmp(argv[0], c->name) != 0) continue;
		optind = 0;	/* restart getopt on the command's own arguments */
		return c->run(cli, c, argc, argv);
	}
	cli_err("unknown command '%s %.40s'", group, argv[0]);
	list_commands(stderr, group, cmds);
	return EXIT_USAGE;
}

int cli_getopt(const cli_cmd_t *cmd, int argc, char **argv, const char *shortopts, const struct option *longopts,
	       int *exit_code)
{
	char spec[64];
	int c;

	/* Options may follow operands ("ssid add NAME --class member"); ':' reports a missing value to us. */
	if (cw_snprintf(spec, sizeof(spec), ":%s", shortopts) < 0) abort();
	opterr = 0;
	c = getopt_long(argc, argv, spec, longopts, NULL);
	switch (c) {
	case 'h':
		*exit_code = cli_help(cmd);
		return -2;
	case '?':
		*exit_code = cli_usage(cmd, "unknown option %s", argv[optind - 1]);
		return -2;
	case ':':
		*exit_code = cli_usage(cmd, "option %s needs a value", argv[optind - 1]);
		return -2;
	default:
		return c;
	}
}

int cli_operands(const cli_cmd_t *cmd, int argc, char **argv, int min, int max)
{
	int n = argc - optind;

	if (n < min) return cli_usage(cmd, "missing argument");
	if (n > max) return cli_usage(cmd, "unexpected argument '%.60s'", argv[optind + max]);
	return EXIT_OK;
}

int cli_simple_opts(const cli_cmd_t *cmd, int argc, char **argv, int min, int max, bool *json, int *exit_code)
{
	static const struct option with_json[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	if (json) *json = false;
	while ((c = cli_getopt(cmd, argc, argv, "h", json ? with_json : with_json + 1, exit_code)) != -1) {
		if (c == -2) return -1;
		if (c == 'j') *json = true;
	}
	*exit_code = cli_operands(cmd, argc, argv, min, max);
	return *exit_code == EXIT_OK ? 0 : -1;
}

void cli_list_begin(cli_list_t *l, bool json, int64_t now)
{
	l->json = json ? &l->doc : NULL;
	l->rows = 0;
	l->now = now;
	if (!json) return;
	json_init(&l->doc, stdout);
	json_array_begin(&l->doc);
}

void cli_list_end(cli_list_t *l, int rc, const char *empty)
{
	if (l->json) {
		json_array_end(l->json);
		json_end(l->json);
	} else if (l->rows == 0 && rc == EXIT_OK) {
		printf("%s\n", empty);
	}
}

int cli_registry_list(cli_t *cli, const cli_cmd_t *self, int argc, char **argv,
		      int (*rows)(cw_registry_t *reg, cli_list_t *out, cw_err_t *err), const char *empty)
{
	cw_registry_t *reg;
	cli_list_t out;
	bool json;
	int rc;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 0, 0, &json, &rc) < 0) return rc;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	cli_list_begin(&out, json, cli->now);
	if (rows(reg, &out, &e) < 0) rc = cli_fail("%s", e.msg);
	cli_list_end(&out, rc, empty);
	cw_registry_close(reg);
	return rc;
}

int cli_uint(const char *s, unsigned min, unsigned max, const char *what, unsigned *out)
{
	unsigned long v;
	char *end;

	if (s[0] < '0' || s[0] > '9') goto bad;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0') goto bad;
	if (v < min || v > max) {
		cli_err("%s must be %u to %u (got %s)", what, min, max, s);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
bad:
	cli_err("%s must be a whole number (got \"%.40s\")", what, s);
	return -1;
}

int cli_path(const cli_t *cli, const char *rel, char *buf, size_t len)
{
	if (cw_snprintf(buf, len, "%s/%s", cli->state_dir, rel) < 0) {
		cli_err("state directory path is too long");
		return -1;
	}
	return 0;
}

/*
 * What another user could tamper with: the state directory, the CA and
 * server directories, the registry, the keys and certificates radiusd
 * trusts. Each must belong to root or to us, and none may be writable by
 * group or others (log/ is radiusd's and is checked where it is used). A
 * missing one is left to the command.
 */
static int check_state_modes(const cli_t *cli)
{
	static const char *const items[] = {
		"", "ca", "server", "registry.db", "device.key", "ca/ca.pem", "ca/ca.key", "server/server.pem",
		"server/server.key", "nas-ca", "nas-ca/ca.pem", "nas-ca/ca.key", "nas-ca/trust.pem",
	};
	char path[4096];
	struct stat st;

	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		if (!items[i][0] ? cw_snprintf(path, sizeof(path), "%s", cli->state_dir) < 0 :
				   cli_path(cli, items[i], path, sizeof(path)) < 0) return EXIT_FAIL;
		if ((items[i][0] ? lstat(path, &st) : stat(path, &st)) < 0) continue;
		if (items[i][0] && S_ISLNK(st.st_mode)) {
			return cli_fail("%s is a symbolic link: refusing to use it (the state holds real files only)", path);
		}
		if (st.st_uid != 0 && st.st_uid != geteuid()) {
			return cli_fail("%s %s belongs to uid %u, neither root nor you: another user could change what"
					" radiusd trusts; refusing to use it. Fix: chown %u %s", S_ISDIR(st.st_mode) ?
					"state directory" : "file", path, (unsigned)st.st_uid, (unsigned)geteuid(), path);
		}
		if ((st.st_mode & 022) == 0) continue;
		return cli_fail("%s %s is writable by %s (mode %03o): another user could change what radiusd trusts;"
				" refusing to use it. Fix: chmod go-w %s", S_ISDIR(st.st_mode) ? "state directory" : "file",
				path, (st.st_mode & 002) ? "everyone" : "its group", (unsigned)(st.st_mode & 0777), path);
	}
	return EXIT_OK;
}

/* The device key and the access log that an older state lacks, for radiusd's group. */
static int ensure_log(const cli_t *cli)
{
	statedir_log_opts_t o = { true, CW_NO_UID, statedir_group(cli->state_dir), NULL };
	cw_err_t e;

	if (statedir_ensure_key(cli->state_dir, o.group, &e) < 0) return cli_fail("%s", e.msg);
	return statedir_log_run(cli->state_dir, &o, NULL, NULL, NULL);
}

int cli_registry(const cli_t *cli, cw_registry_t **reg)
{
	int rc = cli_registry_only(cli, reg);

	if (rc != EXIT_OK) return rc;
	/* A state made before the access log existed gets it now, for radiusd's group. */
	if ((rc = ensure_log(cli)) != EXIT_OK) {
		cw_registry_close(*reg);
		*reg = NULL;
	}
	return rc;
}

int cli_registry_only(const cli_t *cli, cw_registry_t **reg)
{
	char path[4096];
	cw_err_t e;

	if (check_state_modes(cli) != EXIT_OK || cli_path(cli, "registry.db", path, sizeof(path)) < 0) return EXIT_FAIL;
	if (cw_registry_open_admin(path, false, reg, &e) < 0) return cli_fail("%s", e.msg);
	return EXIT_OK;
}

int cli_accesslog_run(const cli_t *cli, bool create, const char *context, statedir_log_fn fn, void *arg,
		      statedir_bytes_t *got)
{
	statedir_log_opts_t o = { create, CW_NO_UID, statedir_group(cli->state_dir), context };
	cw_err_t e;

	if (got) {
		got->data = NULL;
		got->len = 0;
	}
	if (check_state_modes(cli) != EXIT_OK) return EXIT_FAIL;
	/* Recreated (or created for an older state) with radiusd's group, like init does. */
	if (create && statedir_ensure_key(cli->state_dir, o.group, &e) < 0) return cli_fail("%s", e.msg);
	return statedir_log_run(cli->state_dir, &o, fn, arg, got);
}

int cli_device_key(const cli_t *cli, uint8_t key[CW_DEVICE_KEY_LEN])
{
	char path[4096];
	cw_err_t e;

	if (cli_path(cli, "device.key", path, sizeof(path)) < 0) return EXIT_FAIL;
	if (cw_device_key_load(path, key, &e) < 0) return cli_fail("%s", e.msg);
	return EXIT_OK;
}

int cli_load_ca(const cli_t *cli, cw_ca_t **ca)
{
	char cert[4096], key[4096];
	struct stat st;
	cw_err_t e;

	if (check_state_modes(cli) != EXIT_OK || cli_path(cli, "ca/ca.pem", cert, sizeof(cert)) < 0 ||
	    cli_path(cli, "ca/ca.key", key, sizeof(key)) < 0) {
		return EXIT_FAIL;
	}
	if (lstat(key, &st) < 0) return cli_fail("CA key %s: %s (run `coworkctl init` first)", key, strerror(errno));
	if (!S_ISREG(st.st_mode)) return cli_fail("CA key %s is not a regular file", key);
	if (st.st_mode & 077) {
		return cli_fail("CA key %s is accessible to group or others (mode %03o): run chmod 600 %s", key,
				(unsigned)(st.st_mode & 0777), key);
	}
	if (cw_ca_load(cert, key, ca, &e) < 0) return cli_fail("%s", e.msg);
	return EXIT_OK;
}

const char *cli_date(int64_t t, char buf[16])
{
	if (t == 0 || cw_date_format_local(t, buf) < 0) return "-";
	return buf;
}

const char *cli_when(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!localtime_r(&tt, &tm) || strftime(buf, 32, "%Y-%m-%d %H:%M", &tm) == 0) return "?";
	return buf;
}

int cli_ca_der(const cli_t *cli, unsigned char **der, size_t *len)
{
	char path[4096], *pem = NULL;
	size_t pem_len = 0;
	cw_err_t e;
	int rc;

	*der = NULL;
	*len = 0;
	if (cli_path(cli, "ca/ca.pem", path, sizeof(path)) < 0) return EXIT_FAIL;
	if (cw_file_read(path, CLI_CA_PEM_MAX, &pem, &pem_len, &e) < 0) return cli_fail("%s", e.msg);
	rc = cw_cert_pem_to_der(pem, pem_len, der, len, &e);
	free(pem);
	return rc < 0 ? cli_fail("%s: %s", path, e.msg) : EXIT_OK;
}
