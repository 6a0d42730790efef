/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * notify.h - tell the entitled a secret through a command of the
 * operator's: a new guest passphrase (a mail to registered members, a
 * message to reception), an invitation's link (a mail to the member).
 */
#ifndef COWORKCTL_NOTIFY_H
#define COWORKCTL_NOTIFY_H

#include <stdint.h>

#include "cowork.h"

/* How long the command may run before it is killed. */
#define NOTIFY_TIMEOUT_SECONDS 60

/*
 * Run `/bin/sh -c cmd` with secret and a newline on its standard input
 * (never in its arguments or environment, which other users can read), and
 * env (NAME=VALUE strings, NULL-terminated; facts that are not secret)
 * added to its environment. Returns 0 when it exited 0 and read its input;
 * otherwise -1 with err saying how it ended (exit status, signal, killed
 * after the timeout).
 */
int notify_run_env(const char *cmd, const char *secret, const char *const env[], cw_err_t *err);

/* notify_run_env for a passphrase: COWORK_SSID and COWORK_PSK_VALID_UNTIL (RFC 3339) in the environment. */
int notify_run(const char *cmd, const char *ssid, const char *passphrase, int64_t valid_until, cw_err_t *err);

#endif
