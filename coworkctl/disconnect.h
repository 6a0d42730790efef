/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * disconnect.h - after a revocation or a suspension, end the live sessions
 * it concerns with a Disconnect-Request (RFC 5176) to each access point,
 * and say what each one answered.
 *
 * The registry change always comes first and is never undone here: a
 * device the NAS does not disconnect is still refused at its next
 * authentication. What could not be done (a NAK, no answer, no NAS
 * definition, an unreadable session list) is printed, one line per
 * session, and makes the command exit 3.
 *
 * For the commands that revoke or suspend (cert revoke, cert renew
 * --revoke-old, member suspend, member remove):
 *
 *	static const struct option opts[] = { ..., DISCONNECT_LONGOPTS, { "help", ... }, { NULL, ... } };
 *	disconnect_opts_t dopts;
 *	if (disconnect_cmd_opts(self, argc, argv, opts, own_opt_or_NULL, ctx, &dopts, &rc) < 0) return rc;
 *	... after the registry change is committed and printed:
 *	return disconnect_sessions(cli, member_or_NULL, serial_or_NULL, &dopts);
 *
 * session disconnect, which changes nothing and takes no operand, calls
 * disconnect_opts_init and disconnect_option in its own getopt loop.
 */
#ifndef COWORKCTL_DISCONNECT_H
#define COWORKCTL_DISCONNECT_H

#include <stdbool.h>
#include <stdio.h>

#include "cli.h"

#define DISCONNECT_TIMEOUT_DEFAULT	5
#define DISCONNECT_TIMEOUT_MAX		60

typedef struct disconnect_opts {
	FILE		*out;		//!< where the report goes: stdout, or stderr after --json output
	bool		skip;		//!< --no-disconnect
	unsigned	timeout_s;	//!< --timeout S: how long to wait for the answers, in all
} disconnect_opts_t;

/* The long options, for a command's option table: 'N' and 'T'. */
#define DISCONNECT_LONGOPTS \
	{ "no-disconnect", no_argument, NULL, 'N' }, { "timeout", required_argument, NULL, 'T' }

/* Their lines for a command's --help. */
#define DISCONNECT_HELP \
	"  --no-disconnect   do not send Disconnect-Requests to the access points\n" \
	"  --timeout S       wait at most S seconds for their answers (1-60, default 5)\n"

/* Defaults: disconnect, 5 s, report on stdout. */
void disconnect_opts_init(disconnect_opts_t *o);

/*
 * Take option c if it is one of DISCONNECT_LONGOPTS. EXIT_OK (also for an
 * option that is not ours), or EXIT_USAGE for a bad --timeout (printed).
 */
int disconnect_option(int c, const char *arg, disconnect_opts_t *o);

/*
 * The whole option parsing of a command that revokes or suspends and takes
 * one operand (argv[optind], SERIAL or MEMBER). longopts are the command's
 * options: its own, DISCONNECT_LONGOPTS and { "help", no_argument, NULL, 'h' }.
 * *o is initialised, then every option goes to opt(c, optarg, ctx) (opt may
 * be NULL when the command has no option of its own), which returns
 * EXIT_OK or an exit code after printing why, and to disconnect_option.
 * Returns 0 to go on, or -1 with *exit_code set when the command is over
 * (help shown: EXIT_OK; usage error: EXIT_USAGE).
 */
int disconnect_cmd_opts(const cli_cmd_t *cmd, int argc, char **argv, const struct option *longopts,
			int (*opt)(int c, const char *arg, void *ctx), void *ctx, disconnect_opts_t *o, int *exit_code);

/* An opt for disconnect_cmd_opts: --reason ('r') into *(const char **)reason (cert revoke, member remove). */
int disconnect_reason_opt(int c, const char *arg, void *reason);

/*
 * Send a Disconnect-Request for every live session of the certificate
 * `serial` (normalised), or of `member` (serial NULL), all NASes at once,
 * and print one line per session: NAS name and address, session id, and
 * ACK, NAK with its Error-Cause, no answer after the timeout, or no NAS
 * definition. Changes nothing in the registry. EXIT_OK when every session
 * was acknowledged or there was none (or o->skip), EXIT_ATTENTION otherwise,
 * including when the sessions or the NAS definitions cannot be read.
 */
int disconnect_sessions(const cli_t *cli, const char *member, const char *serial, const disconnect_opts_t *o);

#endif
