/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli.h - what every coworkctl command shares: exit codes, messages,
 * option handling, the state directory and the registry.
 */
#ifndef COWORKCTL_CLI_H
#define COWORKCTL_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>

#include "accesslog.h"
#include "ca.h"
#include "cowork.h"
#include "json.h"
#include "registry.h"
#include "statedir.h"

/* Exit codes scripts can rely on (documented in coworkctl(8), EXIT STATUS). */
#define EXIT_OK		0	//!< Done.
#define EXIT_FAIL	1	//!< Refused or failed; the message says why; nothing changed.
#define EXIT_USAGE	2	//!< Unknown command or option, or a malformed argument.
#define EXIT_ATTENTION	3	//!< (status) Something needs the admin's attention.

typedef struct cli {
	const char	*state_dir;	//!< -d DIR, $COWORK_STATE, or the built-in default
	int64_t		now;		//!< Unix time the command started
} cli_t;

typedef struct cli_cmd {
	const char	*name;
	int		(*run)(cli_t *cli, const struct cli_cmd *self, int argc, char **argv);
	const char	*usage;		//!< "vlan set [--staff LIST] ..." (without "coworkctl")
	const char	*help;		//!< What it does and its options, for --help.
} cli_cmd_t;

/*
 * Run the command named by argv[0] from cmds (terminated by a NULL name).
 * `group` ("vlan") is used in messages; "--help" or no command lists cmds.
 */
int cli_dispatch(cli_t *cli, const char *group, const cli_cmd_t *cmds, int argc, char **argv);

/* "coworkctl: <message>" on stderr. */
void cli_err(const char *fmt, ...) CW_PRINTF(1, 2);

/* Print the message and return EXIT_FAIL. */
int cli_fail(const char *fmt, ...) CW_PRINTF(1, 2);

/* Print the message, the command's usage line and a hint; return EXIT_USAGE. */
int cli_usage(const cli_cmd_t *cmd, const char *fmt, ...) CW_PRINTF(2, 3);

/* Print the command's usage and help on stdout; return EXIT_OK. */
int cli_help(const cli_cmd_t *cmd);

/*
 * getopt_long for a command, with our messages: returns the option
 * character, -1 at the end of options, or -2 after handling -h/--help,
 * an unknown option or a missing value; then *exit holds the exit code.
 * The options must include { "help", no_argument, NULL, 'h' }.
 */
int cli_getopt(const cli_cmd_t *cmd, int argc, char **argv, const char *shortopts, const struct option *longopts,
	       int *exit_code);

/*
 * The whole option parsing of a command whose only option is --json (pass
 * json = NULL when it has none, only --help), and the check for min..max
 * operands. Returns 0 to go on, or -1 with *exit_code set when the command
 * is over (help shown: EXIT_OK; usage error: EXIT_USAGE).
 */
int cli_simple_opts(const cli_cmd_t *cmd, int argc, char **argv, int min, int max, bool *json, int *exit_code);

/* A listing's output: a table with a header, or a JSON array. */
typedef struct cli_list {
	json_t	*json;		//!< NULL for a table
	json_t	doc;
	int	rows;		//!< rows written so far (0: print the table header)
	int64_t	now;
} cli_list_t;

/* Start a listing (opens the JSON array when json is true). */
void cli_list_begin(cli_list_t *l, bool json, int64_t now);

/* Finish it: close the JSON array, or say `empty` when a table got no row and rc is EXIT_OK. */
void cli_list_end(cli_list_t *l, int rc, const char *empty);

/*
 * The whole of a `... list [--json]` command over the registry: options,
 * the registry, then rows(reg, out, err) emits the rows into out (returns
 * 0, or -1 with err); `empty` is said when a table got none. The exit code.
 */
int cli_registry_list(cli_t *cli, const cli_cmd_t *self, int argc, char **argv,
		      int (*rows)(cw_registry_t *reg, cli_list_t *out, cw_err_t *err), const char *empty);

/* Check the number of operands left after the options; EXIT_OK or a usage error. */
int cli_operands(const cli_cmd_t *cmd, int argc, char **argv, int min, int max);

/* Parse a whole decimal number in min..max; `what` names it in the message. 0 or -1 (printed). */
int cli_uint(const char *s, unsigned min, unsigned max, const char *what, unsigned *out);

/* STATE/rel into buf. 0, or -1 (printed) when the path is too long. */
int cli_path(const cli_t *cli, const char *rel, char *buf, size_t len);

/*
 * Open STATE/registry.db for changes (migrating it), and create what an
 * older state directory lacks (device key, access log). EXIT_OK or
 * EXIT_FAIL (printed).
 */
int cli_registry(const cli_t *cli, cw_registry_t **reg);

/*
 * Open STATE/registry.db for changes (migrating it) without touching the
 * access log: for revocations, which must not depend on the log, and
 * after which a missing log must be noticed rather than recreated empty.
 * EXIT_OK or EXIT_FAIL (printed).
 */
int cli_registry_only(const cli_t *cli, cw_registry_t **reg);

/*
 * Run fn on STATE/log/accesslog.db in a child process with the credentials
 * of log/'s owner, never root's (statedir.h): creating or migrating the log
 * when create is true (a missing log is an error otherwise); context
 * (may be NULL) leads the message when the log cannot be opened. What fn sends
 * lands in *got (may be NULL), which the caller frees. fn's exit code, or
 * EXIT_FAIL (printed).
 */
int cli_accesslog_run(const cli_t *cli, bool create, const char *context, statedir_log_fn fn, void *arg,
		      statedir_bytes_t *got);

/* Load STATE/device.key. EXIT_OK or EXIT_FAIL (printed). The caller wipes the key. */
int cli_device_key(const cli_t *cli, uint8_t key[CW_DEVICE_KEY_LEN]);

/* Load STATE/ca (ca.pem, ca.key), refusing a key group or others can access. EXIT_OK or EXIT_FAIL (printed). */
int cli_load_ca(const cli_t *cli, cw_ca_t **ca);

/* Local date of a Unix time for tables ("2027-12-31"); "-" for 0. */
const char *cli_date(int64_t t, char buf[16]);

/* Local date and time for people ("2026-12-01 00:00"); "?" when it cannot be shown. */
const char *cli_when(int64_t t, char buf[32]);

/* STATE/ca/ca.pem as DER, malloc'd into *der (the caller frees). EXIT_OK or EXIT_FAIL (printed). */
int cli_ca_der(const cli_t *cli, unsigned char **der, size_t *len);

#endif
