/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * statedir.h - the access-log part of a state directory: the device key,
 * STATE/log/ (radiusd's territory) and the work coworkctl does there.
 *
 *   STATE/device.key           0600 (0640 with a group): HMAC key of device hashes
 *   STATE/log/                 0700 (0770 and radiusd's user with a group): the only directory radiusd writes
 *   STATE/log/accesslog.db     0600 (0640, radiusd's user, with a group)
 *
 * A directory radiusd can write is radiusd's: a compromised radiusd could
 * plant a symbolic link, a hot journal naming any file as its super-journal,
 * or swap a file while root works on it. So root never opens, creates,
 * chowns or chmods anything in STATE/log/ by name: the SQLite work there
 * runs in a child process that holds only the credentials of log/'s owner
 * (statedir_log_run), and log/ itself is reached only through a descriptor
 * opened with O_NOFOLLOW from STATE, which only root can write.
 */
#ifndef COWORKCTL_STATEDIR_H
#define COWORKCTL_STATEDIR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "accesslog.h"
#include "cowork.h"

/* "No user": radiusd's user is the one named like its group (statedir_radiusd_user). */
#define CW_NO_UID ((uid_t)-1)

/*
 * radiusd's user for a group: `user` if given (its uid), else the user
 * named like the group whose primary group it is (Debian: freerad). 0, or
 * -1 with err saying what to pass.
 */
int statedir_radiusd_user(const char *user, gid_t gid, uid_t *uid, cw_err_t *err);

/* Create STATE/device.key if missing (0600; 0640 with group gid). 0, or -1 with err. */
int statedir_ensure_key(const char *dir, gid_t gid, cw_err_t *err);

/* radiusd's group for dir: its group when dir grants the group access, else CW_NO_GID. */
gid_t statedir_group(const char *dir);

/*
 * Work on STATE/log/accesslog.db: called in the child, with the
 * credentials of log/'s owner, on the open log. It may print to stdout and
 * stderr, and send bytes to the parent by statedir_log_send(out_fd, ...).
 * Returns an exit code (EXIT_OK, EXIT_FAIL, ...).
 */
typedef int (*statedir_log_fn)(cw_accesslog_t *log, void *arg, int out_fd);

/* What the child sent: a malloc'd buffer (NULL when empty), freed by the caller. */
typedef struct statedir_bytes {
	void	*data;
	size_t	len;
} statedir_bytes_t;

/* Where the work runs: STATE/log/ and whose credentials it takes. */
typedef struct statedir_log_opts {
	bool	create;		//!< create log/ and accesslog.db when missing (else a missing log is an error)
	uid_t	owner;		//!< with create: owner of a new log/ (CW_NO_UID: statedir_radiusd_user's)
	gid_t	group;		//!< with create: radiusd's group for a new log/ (CW_NO_GID: private 0700)
	const char *context;	//!< what the work is for, before the messages when the log cannot be opened; or NULL
} statedir_log_opts_t;

/*
 * Open STATE/log/ (O_NOFOLLOW, from a descriptor of STATE), creating it
 * per opts, and decide whose credentials the work there takes: its owner's
 * when that is not us (we are root); when log/ is root's but writable by
 * radiusd's group (a state made by an older coworkctl), log/ is first
 * given to radiusd's user (fchown on the descriptor). Then fork a child
 * that drops to those credentials (setgroups, setresgid, setresuid,
 * checked, no way back, not dumpable), opens the access log (creating and
 * migrating it as that user when opts->create), and runs fn; what fn sends
 * is read into *got (may be NULL when fn sends nothing).
 *
 * Returns fn's exit code; EXIT_FAIL with the message printed when the
 * work could not start or the child died. fn may be NULL: the log is only
 * made sure of.
 */
int statedir_log_run(const char *dir, const statedir_log_opts_t *opts, statedir_log_fn fn, void *arg,
		     statedir_bytes_t *got);

/* In fn: send len bytes to the parent. 0, or -1 (the pipe broke). */
int statedir_log_send(int out_fd, const void *data, size_t len);

#endif
