/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * notify.c - run the operator's notification command.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "notify.h"
#include "timeutil.h"

static void child(int in, const char *cmd, const char *const env[])
{
	if (dup2(in, STDIN_FILENO) < 0) _exit(127);
	close(in);
	for (size_t i = 0; env[i]; i++) {
		if (putenv((char *)env[i]) != 0) _exit(127);
	}
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	_exit(127);
}

/* Wait for pid at most NOTIFY_TIMEOUT_SECONDS, then kill it. -1 when killed. */
static int wait_bounded(pid_t pid, int *status)
{
	for (int i = 0; i < NOTIFY_TIMEOUT_SECONDS * 10; i++) {
		pid_t r = waitpid(pid, status, WNOHANG);
		struct timespec pause = { 0, 100 * 1000 * 1000 };

		if (r == pid) return 0;
		if (r < 0 && errno != EINTR) return -1;
		nanosleep(&pause, NULL);
	}
	kill(pid, SIGKILL);
	(void)waitpid(pid, status, 0);
	return -1;
}

int notify_run(const char *cmd, const char *ssid, const char *passphrase, int64_t valid_until, cw_err_t *err)
{
	char until[CW_RFC3339_MS_LEN], env_ssid[64], env_until[64];
	const char *env[] = { env_ssid, env_until, NULL };

	if (cw_time_format_rfc3339(valid_until, until) < 0) until[0] = '\0';
	(void)cw_snprintf(env_ssid, sizeof(env_ssid), "COWORK_SSID=%s", ssid);
	(void)cw_snprintf(env_until, sizeof(env_until), "COWORK_PSK_VALID_UNTIL=%s", until);
	return notify_run_env(cmd, passphrase, env, err);
}

int notify_run_env(const char *cmd, const char *secret, const char *const env[], cw_err_t *err)
{
	void (*old_pipe)(int);
	int fds[2], status = 0, wrote;
	pid_t pid;

	if (pipe(fds) < 0) {
		cw_err_set(err, "cannot make a pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		cw_err_set(err, "cannot fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		close(fds[1]);
		child(fds[0], cmd, env);
	}
	close(fds[0]);
	old_pipe = signal(SIGPIPE, SIG_IGN);	/* a command that does not read its input */
	wrote = cw_write_all(fds[1], secret, strlen(secret)) == 0 && cw_write_all(fds[1], "\n", 1) == 0;
	close(fds[1]);
	signal(SIGPIPE, old_pipe);
	if (wait_bounded(pid, &status) < 0) {
		cw_err_set(err, "the notify command did not finish within %d s and was killed", NOTIFY_TIMEOUT_SECONDS);
		return -1;
	}
	if (WIFSIGNALED(status)) {
		cw_err_set(err, "the notify command was killed by signal %d", WTERMSIG(status));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		cw_err_set(err, "the notify command exited with status %d", WEXITSTATUS(status));
		return -1;
	}
	if (!wrote) {
		cw_err_set(err, "the notify command exited without reading its input");
		return -1;
	}
	return 0;
}
