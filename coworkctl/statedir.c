/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * statedir.c - the access-log part of a state directory, and the work in
 * STATE/log/ as log/'s owner (see statedir.h for why).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "accesslog.h"
#include "cli.h"
#include "fileio.h"
#include "rand.h"
#include "statedir.h"

/* Most the child may send back (the live sessions of a member, counts). */
#define SEND_MAX ((size_t)64 << 20)

int statedir_radiusd_user(const char *user, gid_t gid, uid_t *uid, cw_err_t *err)
{
	struct group *g;
	struct passwd *pw;

	if (user) {
		pw = getpwnam(user);
		if (!pw) {
			cw_err_set(err, "unknown user %s", user);
			return -1;
		}
	} else {
		g = getgrgid(gid);
		pw = g ? getpwnam(g->gr_name) : NULL;
		if (!pw || pw->pw_gid != gid) {
			cw_err_set(err, "radiusd's user is not known: no user is named like group %s (gid %u) with it as"
				   " primary group; pass --user USER (the user radiusd runs as)",
				   g ? g->gr_name : "?", (unsigned)gid);
			return -1;
		}
	}
	if (pw->pw_uid == 0) {
		cw_err_set(err, "radiusd's user must not be root (%s)", pw->pw_name);
		return -1;
	}
	*uid = pw->pw_uid;
	return 0;
}

int statedir_ensure_key(const char *dir, gid_t gid, cw_err_t *err)
{
	uint8_t key[CW_DEVICE_KEY_LEN];
	char path[4096];
	struct stat st;
	int rc;

	if (cw_snprintf(path, sizeof(path), "%s/device.key", dir) < 0) {
		cw_err_set(err, "state directory path too long");
		return -1;
	}
	if (lstat(path, &st) == 0) return 0;
	if (cw_random_bytes(key, sizeof(key), err) < 0) return -1;
	rc = cw_file_write_new(path, key, sizeof(key), gid == CW_NO_GID ? 0600 : 0640, gid, err);
	cw_wipe(key, sizeof(key));
	return rc;
}

gid_t statedir_group(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0 || !(st.st_mode & 0050)) return CW_NO_GID;
	return st.st_gid;
}

/* STATE/log/ and the credentials for the work in it. */
typedef struct logdir {
	int	fd;
	uid_t	uid;
	gid_t	gid;
	bool	become;		//!< switch to uid/gid in the child
} logdir_t;

/* Make log/ in the state directory sfd: ours 0700, or radiusd's 0770. The new directory's descriptor, or -1. */
static int make_logdir(int sfd, const char *dir, const statedir_log_opts_t *o, cw_err_t *err)
{
	uid_t uid = o->owner;
	int fd;

	if (o->group != CW_NO_GID && uid == CW_NO_UID && statedir_radiusd_user(NULL, o->group, &uid, err) < 0) return -1;
	if (mkdirat(sfd, "log", 0700) < 0) {
		cw_err_set(err, "creating %s/log: %s", dir, strerror(errno));
		return -1;
	}
	fd = openat(sfd, "log", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		cw_err_set(err, "opening %s/log: %s", dir, strerror(errno));
		return -1;
	}
	/* Still empty and in root's directory: giving it away by descriptor is safe. */
	if (o->group != CW_NO_GID && (fchown(fd, uid, o->group) < 0 || fchmod(fd, 0770) < 0)) {
		cw_err_set(err, "giving %s/log to radiusd's user: %s", dir, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Whose credentials the work in log/ (open as l->fd) takes. 0, or -1 with err. */
static int logdir_owner(const char *dir, logdir_t *l, cw_err_t *err)
{
	struct stat st;
	uid_t radiusd;

	if (fstat(l->fd, &st) < 0) {
		cw_err_set(err, "%s/log: %s", dir, strerror(errno));
		return -1;
	}
	if (st.st_mode & 002) {
		cw_err_set(err, "%s/log is writable by everyone (mode %03o): any user could plant files there. Fix: chmod"
			   " o-w %s/log", dir, (unsigned)(st.st_mode & 0777), dir);
		return -1;
	}
	l->uid = st.st_uid;
	l->gid = st.st_gid;
	l->become = st.st_uid != geteuid();
	if (l->become && geteuid() != 0) {
		cw_err_set(err, "%s/log belongs to uid %u: run coworkctl as root or as that user", dir, (unsigned)st.st_uid);
		return -1;
	}
	if (l->become || geteuid() != 0 || !(st.st_mode & 020)) return 0;
	/*
	 *	root's, and radiusd's group may write it: an older state. It
	 *	becomes radiusd's user's (on the descriptor), so that nothing in
	 *	it is ever done as root.
	 */
	if (statedir_radiusd_user(NULL, st.st_gid, &radiusd, err) < 0) {
		cw_err_set(err, "%s/log belongs to root and its group may write it; give it to radiusd's user:"
			   " chown USER %s/log", dir, dir);
		return -1;
	}
	if (fchown(l->fd, radiusd, (gid_t)-1) < 0) {
		cw_err_set(err, "giving %s/log to radiusd's user (uid %u): %s", dir, (unsigned)radiusd, strerror(errno));
		return -1;
	}
	cli_err("note: %s/log now belongs to radiusd's user (uid %u); coworkctl works there as that user", dir,
		(unsigned)radiusd);
	l->uid = radiusd;
	l->become = true;
	return 0;
}

/* Open (or make) STATE/log/ and decide whose credentials the work takes. 0, or -1 with err. */
static int logdir_open(const char *dir, const statedir_log_opts_t *o, logdir_t *l, cw_err_t *err)
{
	int sfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	l->fd = -1;
	if (sfd < 0) {
		cw_err_set(err, "state directory %s: %s", dir, strerror(errno));
		return -1;
	}
	l->fd = openat(sfd, "log", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (l->fd < 0 && errno == ENOENT && o->create) l->fd = make_logdir(sfd, dir, o, err);
	else if (l->fd < 0 && (errno == ELOOP || errno == ENOTDIR)) {
		cw_err_set(err, "%s/log is not a directory (a symbolic link?): refusing to use it", dir);
	} else if (l->fd < 0) {
		cw_err_set(err, "%s/log: %s", dir, strerror(errno));
	}
	close(sfd);
	if (l->fd < 0) return -1;
	if (logdir_owner(dir, l, err) < 0) {
		close(l->fd);
		l->fd = -1;
		return -1;
	}
	return 0;
}

/* In the child: become l's owner for good. 0, or -1 with err. */
static int become(const logdir_t *l, cw_err_t *err)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;

	/* Neither radiusd's user nor anyone else may look into this process (ptrace, /proc/PID/mem). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		cw_err_set(err, "prctl(PR_SET_DUMPABLE): %s", strerror(errno));
		return -1;
	}
	if (!l->become) return 0;
	if (setgroups(0, NULL) < 0 || setresgid(l->gid, l->gid, l->gid) < 0 || setresuid(l->uid, l->uid, l->uid) < 0) {
		cw_err_set(err, "switching to the owner of log/ (uid %u, gid %u): %s", (unsigned)l->uid, (unsigned)l->gid,
			   strerror(errno));
		return -1;
	}
	if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0 || ru != l->uid || eu != l->uid ||
	    su != l->uid || rg != l->gid || eg != l->gid || sg != l->gid || getgroups(0, NULL) != 0 ||
	    (l->uid != 0 && setuid(0) == 0)) {
		cw_err_set(err, "switching to the owner of log/ (uid %u) did not take", (unsigned)l->uid);
		return -1;
	}
	/* The credential change reset it; make sure it stays off. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		cw_err_set(err, "prctl(PR_SET_DUMPABLE): %s", strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * In the child, before it becomes log/'s owner: close every socket the
 * parent holds (the enroll-broker's listening socket), so that none goes
 * with the work into radiusd's territory. Files stay: some work writes to
 * a file the parent opened (log export --out). Best effort without /proc.
 */
static void close_sockets(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *ent;
	struct stat st;

	if (!d) return;
	while ((ent = readdir(d)) != NULL) {
		char *end;
		long fd = strtol(ent->d_name, &end, 10);

		if (*end || end == ent->d_name || fd <= 2 || fd == dirfd(d)) continue;
		if (fstat((int)fd, &st) == 0 && S_ISSOCK(st.st_mode)) close((int)fd);
	}
	closedir(d);
}

static int child(const char *dir, const logdir_t *l, const statedir_log_opts_t *o, statedir_log_fn fn, void *arg,
		 int out_fd)
{
	cw_accesslog_t *log;
	char path[4096];
	cw_err_t e;
	int rc;
	const char *ctx = o->context ? o->context : "", *sep = o->context ? ": " : "";

	close_sockets();
	if (become(l, &e) < 0) return cli_fail("%s%s%s", ctx, sep, e.msg);
	/* radiusd's user owns what it creates here; nobody else reads it. */
	umask(l->become ? 027 : 077);
	if (cw_snprintf(path, sizeof(path), "%s/log/accesslog.db", dir) < 0) return cli_fail("state directory path too long");
	if (cw_accesslog_open(path, o->create, &log, &e) < 0) return cli_fail("%s%s%s", ctx, sep, e.msg);
	rc = fn ? fn(log, arg, out_fd) : EXIT_OK;
	cw_accesslog_close(log);
	return rc;
}

/* Read everything the child sends (at most SEND_MAX). 0, or -1 with err. */
static int read_all(int fd, statedir_bytes_t *got, cw_err_t *err)
{
	size_t cap = 0;
	char *buf = NULL;

	got->data = NULL;
	got->len = 0;
	for (;;) {
		ssize_t n;

		if (got->len == cap) {
			char *more;

			if (cap >= SEND_MAX) {
				cw_err_set(err, "the access log worker sent more than %zu bytes", SEND_MAX);
				goto fail;
			}
			cap = cap ? cap * 2 : 4096;
			more = realloc(buf, cap);
			if (!more) {
				cw_err_set(err, "out of memory");
				goto fail;
			}
			buf = more;
		}
		n = read(fd, buf + got->len, cap - got->len);
		if (n < 0 && errno == EINTR) continue;
		if (n < 0) {
			cw_err_set(err, "reading from the access log worker: %s", strerror(errno));
			goto fail;
		}
		if (n == 0) break;
		got->len += (size_t)n;
	}
	got->data = buf;
	return 0;
fail:
	free(buf);
	got->len = 0;
	return -1;
}

int statedir_log_send(int out_fd, const void *data, size_t len)
{
	return cw_write_all(out_fd, data, len);
}

static int wait_child(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) return cli_fail("waiting for the access log worker: %s", strerror(errno));
	}
	if (WIFEXITED(status)) return WEXITSTATUS(status);
	return cli_fail("the access log worker died (signal %d)", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int statedir_log_run(const char *dir, const statedir_log_opts_t *opts, statedir_log_fn fn, void *arg,
		     statedir_bytes_t *got)
{
	statedir_bytes_t ignored;
	logdir_t l;
	int pipefd[2], rc;
	cw_err_t e;
	pid_t pid;

	if (!got) got = &ignored;
	got->data = NULL;
	got->len = 0;
	if (logdir_open(dir, opts, &l, &e) < 0) {
		return cli_fail("%s%s%s", opts->context ? opts->context : "", opts->context ? ": " : "", e.msg);
	}
	if (pipe2(pipefd, O_CLOEXEC) < 0) {
		close(l.fd);
		return cli_fail("pipe: %s", strerror(errno));
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		close(l.fd);
		close(pipefd[0]);
		close(pipefd[1]);
		return cli_fail("fork: %s", strerror(errno));
	}
	if (pid == 0) {
		close(pipefd[0]);
		close(l.fd);
		rc = child(dir, &l, opts, fn, arg, pipefd[1]);
		fflush(stdout);
		fflush(stderr);
		_exit(rc);
	}
	close(l.fd);
	close(pipefd[1]);
	rc = read_all(pipefd[0], got, &e);
	close(pipefd[0]);
	if (rc < 0) cli_err("%s", e.msg);
	rc = wait_child(pid) == EXIT_OK && rc == 0 ? EXIT_OK : EXIT_FAIL;
	if (rc != EXIT_OK) {
		free(got->data);
		got->data = NULL;
		got->len = 0;
	}
	if (got == &ignored) free(ignored.data);
	return rc;
}
