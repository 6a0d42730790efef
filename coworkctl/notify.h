/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * notify.h - tell the entitled a new guest passphrase through a command of
 * the operator's (a mail to registered members, a message to reception).
 */
#ifndef COWORKCTL_NOTIFY_H
#define COWORKCTL_NOTIFY_H

#include <stdint.h>

#include "cowork.h"

/* How long the command may run before it is killed. */
#define NOTIFY_TIMEOUT_SECONDS 60

/*
 * Run `/bin/sh -c cmd` with the passphrase and a newline on its standard
 * input (never in its arguments or environment, which other users can
 * read), and COWORK_SSID, COWORK_PSK_VALID_UNTIL (RFC 3339) in its
 * environment. Returns 0 when it exited 0; otherwise -1 with err saying
 * how it ended (exit status, signal, killed after the timeout).
 */
int notify_run(const char *cmd, const char *ssid, const char *passphrase, int64_t valid_until, cw_err_t *err);

#endif
