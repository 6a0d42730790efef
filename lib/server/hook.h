/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hook.h - run the admin's notify command for an event, from radiusd's
 * access-log writer thread, without ever waiting for it.
 *
 * The command (the registry's notify_new_device, which only coworkctl
 * writes) runs as `/bin/sh -c CMD` with radiusd's user, in its own process
 * group, with standard input, output and error on /dev/null, no inherited
 * descriptor and an environment of our making only: PATH and the event's
 * COWORK_* variables (no MAC, no secret). At most CW_HOOK_MAX run at once
 * (an event beyond is not reported, and the caller says so); one still
 * running after its timeout is killed (SIGKILL to its group). Children are
 * reaped by pid, never by waitpid(-1), which would steal radiusd's own.
 */
#ifndef COWORK_HOOK_H
#define COWORK_HOOK_H

#include <stdint.h>
#include <sys/types.h>

#include "cowork.h"

#define CW_HOOK_MAX		4
#define CW_HOOK_TIMEOUT_MS	10000
/* Longest command accepted (coworkctl refuses longer). */
#define CW_HOOK_CMD_MAX		1024

typedef struct cw_hook_child {
	pid_t	pid;		//!< 0: free slot
	int64_t	deadline_ms;	//!< CLOCK_MONOTONIC
} cw_hook_child_t;

typedef struct cw_hooks {
	cw_hook_child_t	child[CW_HOOK_MAX];
	unsigned	timeout_ms;	//!< 0: CW_HOOK_TIMEOUT_MS
} cw_hooks_t;

/*
 * Start cmd with env (NULL-terminated "NAME=value" strings, PATH added
 * here). 0, or -1 with err (all slots busy, or the spawn failed).
 */
int cw_hook_run(cw_hooks_t *h, const char *cmd, const char *const env[], cw_err_t *err);

/*
 * Reap the children that ended, kill those past their deadline. report
 * (may be NULL) is told of each command that failed or was killed. The
 * number still running.
 */
unsigned cw_hook_reap(cw_hooks_t *h, void (*report)(void *ctx, const char *msg), void *ctx);

/* Kill every child still running and reap it (at shutdown). */
void cw_hook_kill_all(cw_hooks_t *h);

#endif
