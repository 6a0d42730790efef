/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hook.c - the notify command, spawned and reaped without waiting.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "hook.h"

#define ENV_MAX 16

static int spawn(char *const argv[], char *const envp[], pid_t *pid, cw_err_t *err)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t none, all;
	int rc;

	sigemptyset(&none);
	sigfillset(&all);
	if (posix_spawn_file_actions_init(&fa) != 0) {
		cw_err_set(err, "out of memory");
		return -1;
	}
	if (posix_spawnattr_init(&attr) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		cw_err_set(err, "out of memory");
		return -1;
	}
	rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	if (!rc) rc = posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	if (!rc) rc = posix_spawn_file_actions_adddup2(&fa, 1, 2);
	/* radiusd's sockets and databases stay radiusd's. */
	if (!rc) rc = posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	if (!rc) rc = posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
					       POSIX_SPAWN_SETSIGDEF);
	if (!rc) rc = posix_spawnattr_setpgroup(&attr, 0);
	if (!rc) rc = posix_spawnattr_setsigmask(&attr, &none);
	if (!rc) rc = posix_spawnattr_setsigdefault(&attr, &all);
	if (!rc) rc = posix_spawn(pid, "/bin/sh", NULL, &attr, argv, envp);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		cw_err_set(err, "cannot run the notify command: %s", strerror(rc));
		return -1;
	}
	return 0;
}

int cw_hook_run(cw_hooks_t *h, const char *cmd, const char *const env[], cw_err_t *err)
{
	char *argv[] = { "sh", "-c", (char *)cmd, NULL };
	char *envp[ENV_MAX + 2];
	cw_hook_child_t *slot = NULL;
	size_t n = 0;

	for (unsigned i = 0; i < CW_HOOK_MAX && !slot; i++) {
		if (h->child[i].pid == 0) slot = &h->child[i];
	}
	if (!slot) {
		cw_err_set(err, "%d notify commands are still running", CW_HOOK_MAX);
		return -1;
	}
	envp[n++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	for (; env[n - 1] && n <= ENV_MAX; n++) envp[n] = (char *)env[n - 1];
	envp[n] = NULL;
	if (spawn(argv, envp, &slot->pid, err) < 0) {
		slot->pid = 0;
		return -1;
	}
	slot->deadline_ms = cw_monotonic_ms() + (h->timeout_ms ? h->timeout_ms : CW_HOOK_TIMEOUT_MS);
	return 0;
}

unsigned cw_hook_reap(cw_hooks_t *h, void (*report)(void *ctx, const char *msg), void *ctx)
{
	unsigned running = 0;
	int64_t now = cw_monotonic_ms();

	for (unsigned i = 0; i < CW_HOOK_MAX; i++) {
		cw_hook_child_t *c = &h->child[i];
		cw_err_t e;
		int status;
		pid_t r;

		if (c->pid == 0) continue;
		r = waitpid(c->pid, &status, WNOHANG);
		if (r == 0 && now < c->deadline_ms) {
			running++;
			continue;
		}
		if (r == 0) {
			(void)kill(-c->pid, SIGKILL);
			(void)waitpid(c->pid, &status, 0);
			cw_err_set(&e, "the notify command was killed after %u ms",
				   h->timeout_ms ? h->timeout_ms : CW_HOOK_TIMEOUT_MS);
			if (report) report(ctx, e.msg);
		} else if (r > 0 && WIFEXITED(status) && WEXITSTATUS(status) != 0) {
			cw_err_set(&e, "the notify command exited with status %d", WEXITSTATUS(status));
			if (report) report(ctx, e.msg);
		} else if (r > 0 && WIFSIGNALED(status)) {
			cw_err_set(&e, "the notify command died of signal %d", WTERMSIG(status));
			if (report) report(ctx, e.msg);
		}
		/* r < 0: someone else reaped it (ECHILD); the slot is free either way. */
		c->pid = 0;
	}
	return running;
}

void cw_hook_kill_all(cw_hooks_t *h)
{
	for (unsigned i = 0; i < CW_HOOK_MAX; i++) {
		int status;

		if (h->child[i].pid == 0) continue;
		(void)kill(-h->child[i].pid, SIGKILL);
		(void)waitpid(h->child[i].pid, &status, 0);
		h->child[i].pid = 0;
	}
}
