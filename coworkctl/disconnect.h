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
 * For commands that revoke or suspend (cert revoke, member suspend,
 * session disconnect, member remove, cert renew --revoke-old):
 *
 *	disconnect_opts_t dopts;
 *	disconnect_opts_init(&dopts);
 *	... in the getopt loop: if ((rc = disconnect_option(c, optarg, &dopts)) != EXIT_OK) return rc;
 *	... after the registry change is committed and printed:
 *	return disconnect_sessions(cli, member_or_NULL, serial_or_NULL, &dopts);
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
