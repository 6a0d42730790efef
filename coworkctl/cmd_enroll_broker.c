/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_enroll_broker.c - coworkctl enroll-broker: the one door between the
 * enrollment web service and the registry (docs/enrollment.md).
 *
 * A long-running, single-threaded server on a Unix stream socket
 * (STATE/enroll/broker.sock). One request per connection: one line of at
 * most 1024 bytes within 2 s, from a peer whose uid (SO_PEERCRED) is the
 * web service's user or root; the answer, then the connection is closed.
 * Refusals are answered alike (NO, END), whatever the reason, which goes
 * to the registry's audit only; a client (its address as the service
 * reports it) refused 10 times in a minute gets NO without a lookup until
 * the minute is over. The token is never logged or stored: the registry
 * is asked by its lookup hash.
 *
 * What it runs as root: the registry (as every coworkctl command), the
 * access log through the log owner's child (statedir.h), and for LOST
 * the Disconnect-Requests `cert revoke` sends (disconnect.h), in a child
 * process so that the next request is not kept waiting for the NASes.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "commands.h"
#include "disconnect.h"
#include "enroll_proto.h"
#include "fileio.h"
#include "invite.h"
#include "statedir.h"
#include "clock.h"

#define CLIENT_USER_DEFAULT	"cowork-enroll"
#define SOCKET_NAME		"broker.sock"
/* How long an answer may take to write. */
#define WRITE_MS		2000
/* Disconnect children at once; one more waits for the first to end. */
#define CHILDREN_MAX		4

typedef struct broker {
	cli_t		*cli;
	const char	*client_user;
	uid_t		client_uid;
	gid_t		client_gid;
	int		dir_fd;				//!< the socket's directory
	char		name[sizeof(((struct sockaddr_un *)0)->sun_path)];	//!< the socket's name in it
	char		path[4096];			//!< for messages
	ino_t		ino;				//!< our socket's inode, the only one removed at the end
	int		listen_fd;
	sigset_t	poll_mask;			//!< the mask while waiting: termination signals open
	unsigned	children;
	cw_ratelimit_t	*rate;
} broker_t;

static volatile sig_atomic_t stopping;

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

/* One line on stderr (the journal under systemd). Never a token, a passphrase or a sealed device. */
static void blog(const char *fmt, ...) CW_PRINTF(1, 2);

static void blog(const char *fmt, ...)
{
	va_list ap;

	fputs("enroll-broker: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stderr);
}

/* --- the answer ----------------------------------------------------------------- */

/* The answer: lines in the shared buffer (buf.h), which wipes what it gives back (it may hold a passphrase). */
typedef cw_buf_t reply_t;

/* Append a formatted line; a value with a control character (a registry written behind our back) breaks it. */
static void reply_line(reply_t *r, const char *fmt, ...) CW_PRINTF(2, 3);

static void reply_line(reply_t *r, const char *fmt, ...)
{
	size_t start = r->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) cw_buf_fail(r, CW_BUF_REFUSED);
	if (!cw_buf_reserve(r, (size_t)n + 1)) return;
	va_start(ap, fmt);
	(void)vsnprintf(r->p + r->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	r->len += (size_t)n;
	for (size_t i = start; i < r->len; i++) {
		if ((unsigned char)r->p[i] < 0x20) cw_buf_fail(r, CW_BUF_REFUSED);
	}
	cw_buf_add(r, "\n", 1);
}

/* "KEY <base64 of data>" (RFC 4648 base64, with padding, on one line). */
static void reply_b64(reply_t *r, const char *key, const unsigned char *data, size_t len)
{
	if (len > INT32_MAX / 2) cw_buf_fail(r, CW_BUF_TOO_LARGE);
	cw_buf_str(r, key);
	cw_buf_add(r, " ", 1);
	cw_buf_base64(r, data, len, 0, NULL);
	cw_buf_add(r, "\n", 1);
}

static void reply_free(reply_t *r)
{
	cw_buf_discard(r);
	r->state = CW_BUF_OK;
}

/* Replace whatever was built by a status answer. */
static void reply_status(reply_t *r, const char *status, const char *message)
{
	reply_free(r);
	if (message) reply_line(r, "%s %s", status, message);
	else reply_line(r, "%s", status);
	reply_line(r, "END");
}

/* The answer of an accepted request (docs/enrollment.md). */
static void reply_ok(reply_t *r, const cw_enroll_line_t *req, const cw_enroll_answer_t *a, const unsigned char *ca,
		     size_t ca_len)
{
	reply_line(r, "OK");
	reply_line(r, "invite %lld", (long long)a->invite_id);
	reply_line(r, "member %s", a->member);
	reply_line(r, "org %s", a->org);
	reply_line(r, "server_name %s", a->server_name);
	for (size_t i = 0; i < a->n_ssids; i++) reply_line(r, "ssid %s", a->ssids[i]);
	reply_b64(r, "ca", ca, ca_len);
	reply_line(r, "expires %lld", (long long)a->expires_at);
	reply_line(r, "devices_left %u", a->devices_left);
	for (size_t i = 0; i < a->n_devices; i++) {
		const cw_enroll_device_t *d = &a->devices[i];

		reply_line(r, "device %s %s %lld %lld %s", d->serial, d->state, (long long)d->not_after,
			   (long long)d->last_seen, d->platform[0] ? d->platform : "-");
	}
	for (size_t i = 0; i < a->n_guests; i++) {
		/*
		 * The SSID may hold spaces, so the line is read from its end: a
		 * passphrase with a space (coworkctl makes none; the registry's
		 * CHECK would allow one) is left out rather than misread.
		 */
		if (strchr(a->guests[i].passphrase, ' ')) continue;
		reply_line(r, "guest %s %s %lld", a->guests[i].ssid, a->guests[i].passphrase,
			   (long long)a->guests[i].valid_until);
	}
	if (req->verb == CW_ENROLL_COLLECT) {
		reply_line(r, "slot %u", a->slot);
		reply_line(r, "serial %s", a->serial);
		reply_b64(r, "sealed", a->sealed, a->sealed_len);
	}
	reply_line(r, "END");
}

/* --- last seen: the access log, through its owner's child --------------------------- */

/* What the log worker sends per certificate. */
typedef struct seen {
	char	serial[CW_SERIAL_HEX_MAX + 1];
	int64_t	ts_ms;
} seen_t;

static int send_seen(void *arg, const char *serial, int64_t ts_ms)
{
	seen_t s;

	memset(&s, 0, sizeof(s));
	(void)cw_snprintf(s.serial, sizeof(s.serial), "%s", serial);
	s.ts_ms = ts_ms;
	return statedir_log_send(*(int *)arg, &s, sizeof(s)) < 0 ? 1 : 0;
}

static int seen_job(cw_accesslog_t *log, void *arg, int out_fd)
{
	cw_err_t e;

	if (cw_accesslog_last_accepted(log, arg, send_seen, &out_fd, &e) == 0) return EXIT_OK;
	cli_err("%s", e.msg);
	return EXIT_FAIL;
}

/* Each device's last_seen from the access log; left 0 when the log cannot be read (said in the log). */
static void last_seen(broker_t *b, cw_enroll_answer_t *a)
{
	statedir_bytes_t got;
	const seen_t *s;

	if (a->n_devices == 0) return;
	if (cli_accesslog_run(b->cli, false, "reading when the member's devices were last seen", seen_job, a->member,
			      &got) != EXIT_OK) return;
	s = got.data;
	for (size_t i = 0; got.len % sizeof(*s) == 0 && i < got.len / sizeof(*s); i++) {
		for (size_t d = 0; d < a->n_devices; d++) {
			if (strncmp(a->devices[d].serial, s[i].serial, sizeof(s[i].serial)) == 0) {
				a->devices[d].last_seen = s[i].ts_ms / 1000;
			}
		}
	}
	free(got.data);
}

/* --- LOST: the Disconnect-Requests, as cert revoke sends them ------------------------ */

static void reap(broker_t *b, bool wait_one)
{
	int status;

	while (b->children > 0 && waitpid(-1, &status, wait_one ? 0 : WNOHANG) > 0) {
		b->children--;
		if (wait_one) break;
	}
}

/* Disconnect the live sessions of serial, in a child: the next request does not wait for the NASes. */
static void disconnect_later(broker_t *b, const char *serial)
{
	disconnect_opts_t o;
	pid_t pid;

	reap(b, false);
	while (b->children >= CHILDREN_MAX) reap(b, true);
	disconnect_opts_init(&o);
	o.out = stderr;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		signal(SIGTERM, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		sigprocmask(SIG_SETMASK, &b->poll_mask, NULL);
		close(b->listen_fd);
		_exit(disconnect_sessions(b->cli, NULL, serial, &o));
	}
	if (pid > 0) {
		b->children++;
		return;
	}
	blog("cannot start the Disconnect of certificate %s in a child (%s): sending it now", serial, strerror(errno));
	(void)disconnect_sessions(b->cli, NULL, serial, &o);
}

/* --- one request ---------------------------------------------------------------- */

/*
 * Read the request line (without its '\n') into line within the deadline.
 * 0 with *len, or -1 with *why (the ERR message).
 */
static int read_request(int fd, int64_t deadline, char line[CW_ENROLL_LINE_MAX], size_t *len, const char **why)
{
	size_t have = 0;

	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		int64_t left = deadline - cw_monotonic_ms();
		char *nl;
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) == 0) {
			*why = "no complete request line within 2 s";
			return -1;
		}
		n = read(fd, line + have, CW_ENROLL_LINE_MAX - have);
		if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
		if (n <= 0) {
			*why = "the connection ended before the end of the line";
			return -1;
		}
		nl = memchr(line + have, '\n', (size_t)n);
		have += (size_t)n;
		if (nl) {
			*len = (size_t)(nl - line);
			if (*len + 1 == have) return 0;
			*why = "one request per connection: nothing may follow the line";
			return -1;
		}
		if (have == CW_ENROLL_LINE_MAX) {
			*why = "the request line is longer than 1024 bytes";
			return -1;
		}
	}
}

/* Write all of the answer within WRITE_MS; a client that does not read loses it. */
static void send_reply(int fd, const reply_t *r)
{
	int64_t deadline = cw_monotonic_ms() + WRITE_MS;
	size_t done = 0;

	while (done < r->len) {
		struct pollfd p = { fd, POLLOUT, 0 };
		int64_t left = deadline - cw_monotonic_ms();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0) break;
		n = send(fd, r->p + done, r->len - done, MSG_NOSIGNAL);
		if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
		if (n <= 0) break;
		done += (size_t)n;
	}
	if (done < r->len) blog("the client did not take the whole answer (%zu of %zu bytes)", done, r->len);
}

/*
 * Ask the registry; the refusal counted for the client's limit. The token
 * is wiped from req once its lookup hash is made: the access log's worker
 * (forked later, as radiusd's user) must not inherit it. 1 OK, 0 NO, -1
 * ERR (logged).
 */
static int ask(broker_t *b, cw_enroll_line_t *req, cw_enroll_answer_t *a)
{
	char lookup[CW_TOKEN_LOOKUP_HEX] = "";
	cw_enroll_req_t q = { req->verb, NULL, req->client, req->platform, req->serial };
	cw_registry_t *reg;
	int64_t now = b->cli->now;
	int rc;
	cw_err_t e;

	rc = req->token_ok ? cw_token_lookup(&req->token, lookup, &e) : 0;
	cw_token_wipe(&req->token);
	if (rc < 0) {
		blog("%s", e.msg);
		return -1;
	}
	q.lookup = req->token_ok ? lookup : NULL;
	if (req->verb != CW_ENROLL_COLLECT) q.platform = NULL;
	if (req->verb != CW_ENROLL_LOST) q.serial = NULL;
	if (cli_registry_only(b->cli, &reg) != EXIT_OK) return -1;	/* said why */
	rc = cw_enroll_answer(reg, &q, now, a, &e);
	if (rc < 0) blog("%s from %s: %s", cw_enroll_verb_name(req->verb), req->client, e.msg);
	if (rc == 0 && cw_rate_refusal(b->rate, req->client, now)) {
		blog("%s has had %d refusals within %d s: refused without a lookup for the rest of them", req->client,
		     CW_ENROLL_REFUSALS_MAX, CW_ENROLL_WINDOW_S);
		if (cw_invite_event_add(reg, now, 0, "rate-limited", NULL, req->client, &e) < 0) blog("%s", e.msg);
	}
	cw_registry_close(reg);
	return rc;
}

/*
 * Answer one parsed request into r. The serial of a certificate LOST
 * revoked goes into lost (its sessions are disconnected once the answer
 * is sent).
 */
static void answer(broker_t *b, cw_enroll_line_t *req, reply_t *r, char lost[CW_SERIAL_HEX_MAX + 1])
{
	const char *verb = cw_enroll_verb_name(req->verb);
	cw_enroll_answer_t a;
	unsigned char *ca = NULL;
	size_t ca_len = 0;
	int rc;

	memset(&a, 0, sizeof(a));
	if (cw_rate_limited(b->rate, req->client, b->cli->now)) {
		blog("%s from %s: NO (rate-limited: not looked up)", verb, req->client);
		reply_status(r, "NO", NULL);
		return;
	}
	rc = ask(b, req, &a);
	if (rc == 1 && cli_ca_der(b->cli, &ca, &ca_len) != EXIT_OK) rc = -1;
	if (rc == 1) {
		last_seen(b, &a);
		reply_ok(r, req, &a, ca, ca_len);
		if (cw_buf_failed(r)) {
			rc = -1;
			blog("%s from %s: the answer of invitation %lld cannot be written (out of memory, or a registry value"
			     " with a control character)", verb, req->client, (long long)a.invite_id);
		}
	}
	if (rc == 1) {
		blog("%s from %s: OK (invitation %lld of %s%s%s%s)", verb, req->client, (long long)a.invite_id, a.member,
		     a.serial[0] ? ", certificate " : "", a.serial, req->verb == CW_ENROLL_LOST && !a.lost_newly ?
		     ", already revoked" : "");
		if (req->verb == CW_ENROLL_LOST) memcpy(lost, a.serial, CW_SERIAL_HEX_MAX + 1);
	} else if (rc == 0) {
		if (a.invite_id) blog("%s from %s: NO (%s, invitation %lld)", verb, req->client, a.reason, (long long)a.invite_id);
		else blog("%s from %s: NO (%s)", verb, req->client, a.reason);
		reply_status(r, "NO", NULL);
	} else {
		reply_status(r, "ERR", "the broker failed (see its log)");
	}
	free(ca);
	cw_enroll_answer_free(&a);
}

/* Whose connection it is: the client user's or root's. */
static bool peer_allowed(const broker_t *b, int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 || len != sizeof(cred)) {
		blog("cannot tell who connected (%s): refused", strerror(errno));
		return false;
	}
	if (cred.uid == b->client_uid || cred.uid == 0) return true;
	blog("refused a connection from uid %u (pid %d): only %s (uid %u) or root may ask", (unsigned)cred.uid,
	     (int)cred.pid, b->client_user, (unsigned)b->client_uid);
	return false;
}

static void serve_one(broker_t *b)
{
	char line[CW_ENROLL_LINE_MAX], lost[CW_SERIAL_HEX_MAX + 1] = "";
	int fd = accept4(b->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	cw_enroll_line_t req;
	reply_t r = CW_BUF_INIT(0);
	const char *why;
	size_t len = 0;
	cw_err_t e;

	if (fd < 0) return;
	b->cli->now = (int64_t)time(NULL);
	if (!peer_allowed(b, fd)) {
		reply_status(&r, "ERR", "not allowed");
	} else if (read_request(fd, cw_monotonic_ms() + CW_ENROLL_READ_MS, line, &len, &why) < 0) {
		blog("ERR: %s", why);
		reply_status(&r, "ERR", why);
	} else if (cw_enroll_parse(line, len, &req, &e) < 0) {
		blog("ERR: %s", e.msg);
		reply_status(&r, "ERR", e.msg);
	} else {
		cw_wipe(line, sizeof(line));	/* the token: req holds it until ask() made its lookup hash */
		answer(b, &req, &r, lost);
		cw_wipe(&req, sizeof(req));
	}
	cw_wipe(line, sizeof(line));
	send_reply(fd, &r);
	close(fd);
	reply_free(&r);
	if (lost[0]) disconnect_later(b, lost);
}

/* --- setting up ------------------------------------------------------------------- */

/* The client user: its uid and primary group; never root. EXIT_OK or EXIT_FAIL. */
static int client_user(broker_t *b)
{
	struct passwd *pw = getpwnam(b->client_user);

	if (!pw) {
		return cli_fail("unknown user %s: create the enrollment service's user (e.g. adduser --system --group"
				" --no-create-home %s) or name it with --client-user", b->client_user, b->client_user);
	}
	if (pw->pw_uid == 0) return cli_fail("--client-user must not be root: it is the web service's own user");
	b->client_uid = pw->pw_uid;
	b->client_gid = pw->pw_gid;
	return EXIT_OK;
}

/* May the client user search directory st (others, or its group)? */
static bool client_searches(const broker_t *b, const struct stat *st)
{
	struct passwd *pw;
	struct group *g;

	if (st->st_mode & 0001) return true;
	if (!(st->st_mode & 0010)) return false;
	if (st->st_gid == b->client_gid) return true;
	g = getgrgid(st->st_gid);
	pw = getpwuid(b->client_uid);
	for (char **m = g && pw ? g->gr_mem : NULL; m && *m; m++) {
		if (strcmp(*m, pw->pw_name) == 0) return true;
	}
	return false;
}

/*
 * STATE/enroll/: made, or taken as it is, through a descriptor of STATE
 * (only root writes STATE, so nothing there can be swapped): a directory of
 * root's, not a link, then root:<client's group> 0750 (fchown, fchmod on
 * the descriptor). The client user must reach it: STATE gets the search
 * bit for others when it has not (search only: every file keeps its mode).
 */
static int enroll_dir(broker_t *b)
{
	const char *state = b->cli->state_dir;
	int sfd = open(state, O_RDONLY | O_DIRECTORY | O_CLOEXEC), fd = -1;
	struct stat st;
	int rc = EXIT_FAIL;

	if (sfd < 0) return cli_fail("state directory %s: %s", state, strerror(errno));
	if (fstat(sfd, &st) < 0) goto fail;
	if (!client_searches(b, &st)) {
		if (fchmod(sfd, (st.st_mode & 07777) | 0001) < 0) goto fail;
		blog("note: %s is now mode %03o, so that %s can reach %s/enroll/ (search only: every file in it keeps"
		     " its own mode)", state, (unsigned)((st.st_mode & 0777) | 0001), b->client_user, state);
	}
	if (mkdirat(sfd, "enroll", 0700) < 0 && errno != EEXIST) goto fail;
	fd = openat(sfd, "enroll", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR)) {
		rc = cli_fail("%s/enroll is not a directory (a symbolic link?): refusing to use it", state);
		goto done;
	}
	if (fd < 0 || fstat(fd, &st) < 0) goto fail;
	if (st.st_uid != geteuid()) {
		rc = cli_fail("%s/enroll belongs to uid %u, not root: refusing to use it", state, (unsigned)st.st_uid);
		goto done;
	}
	if (fchown(fd, geteuid(), b->client_gid) < 0 || fchmod(fd, 0750) < 0) goto fail;
	b->dir_fd = fd;
	fd = -1;
	(void)cw_snprintf(b->name, sizeof(b->name), "%s", SOCKET_NAME);
	if (cw_snprintf(b->path, sizeof(b->path), "%s/enroll/%s", state, SOCKET_NAME) < 0) goto fail;
	rc = EXIT_OK;
	goto done;
fail:
	rc = cli_fail("%s/enroll: %s", state, strerror(errno));
done:
	if (fd >= 0) close(fd);
	close(sfd);
	return rc;
}

/* --socket PATH: its directory must pass the rule of output directories (fileio.h), and is not changed. */
static int socket_dir(broker_t *b, const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/'), *name = slash ? slash + 1 : path;
	cw_outdir_t d = CW_OUTDIR_INIT;
	cw_err_t e;

	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strlen(name) >= sizeof(b->name)) {
		return cli_fail("--socket %s: give a file name of at most %zu bytes", path, sizeof(b->name) - 1);
	}
	if (cw_snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".") < 0 ||
	    cw_snprintf(b->path, sizeof(b->path), "%s", path) < 0) return cli_fail("--socket: path too long");
	if (slash == path) (void)cw_snprintf(dir, sizeof(dir), "/");
	if (cw_outdir_open(dir, false, &d, &e) < 0) return cli_fail("--socket: %s", e.msg);
	b->dir_fd = d.fd;
	memcpy(b->name, name, strlen(name) + 1);
	return EXIT_OK;
}

/* Is something listening at name already (another broker)? */
static bool listening(const broker_t *b)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), rc;

	if (fd < 0) return false;
	memcpy(sa.sun_path, b->name, strlen(b->name) + 1);
	rc = fchdir(b->dir_fd) == 0 ? connect(fd, (struct sockaddr *)&sa, sizeof(sa)) : -1;
	(void)chdir("/");
	close(fd);
	return rc == 0;
}

/*
 * Listen at name in the socket's directory: a stale socket of ours is
 * replaced, anything else refused; the new one is root:<client's group>
 * 0660 from its creation (umask).
 */
static int listen_on(broker_t *b)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int rc;

	if (fstatat(b->dir_fd, b->name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISSOCK(st.st_mode)) return cli_fail("%s exists and is not a socket: refusing to replace it", b->path);
		if (listening(b)) return cli_fail("another enroll-broker is listening on %s", b->path);
		if (unlinkat(b->dir_fd, b->name, 0) < 0) return cli_fail("removing the stale %s: %s", b->path, strerror(errno));
	}
	b->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (b->listen_fd < 0) return cli_fail("socket: %s", strerror(errno));
	memcpy(sa.sun_path, b->name, strlen(b->name) + 1);
	if (fchdir(b->dir_fd) < 0) return cli_fail("%s: %s", b->path, strerror(errno));
	old = umask(0117);
	rc = bind(b->listen_fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (chdir("/") < 0 || rc < 0) return cli_fail("listening on %s: %s", b->path, strerror(errno));
	if (fchownat(b->dir_fd, b->name, geteuid(), b->client_gid, AT_SYMLINK_NOFOLLOW) < 0 ||
	    fstatat(b->dir_fd, b->name, &st, AT_SYMLINK_NOFOLLOW) < 0 || listen(b->listen_fd, 64) < 0) {
		return cli_fail("listening on %s: %s", b->path, strerror(errno));
	}
	b->ino = st.st_ino;
	return EXIT_OK;
}

/* SIGTERM and SIGINT stop the loop; they are held except while it waits. */
static void signals(broker_t *b)
{
	struct sigaction sa;
	sigset_t hold;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&hold);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGINT);
	sigprocmask(SIG_BLOCK, &hold, &b->poll_mask);
	sigdelset(&b->poll_mask, SIGTERM);
	sigdelset(&b->poll_mask, SIGINT);
}

static void run(broker_t *b)
{
	struct pollfd p = { b->listen_fd, POLLIN, 0 };
	struct timespec tick = { 1, 0 };

	while (!stopping) {
		reap(b, false);
		if (ppoll(&p, 1, &tick, &b->poll_mask) > 0 && (p.revents & POLLIN) && !stopping) serve_one(b);
	}
}

/* Remove our socket (only if its name still holds it) and wait for the Disconnect children. */
static void shut_down(broker_t *b)
{
	struct stat st;

	close(b->listen_fd);
	if (fstatat(b->dir_fd, b->name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISSOCK(st.st_mode) && st.st_ino == b->ino) {
		(void)unlinkat(b->dir_fd, b->name, 0);
	}
	while (b->children > 0) reap(b, true);
	close(b->dir_fd);
	blog("stopped");
}

static const cli_cmd_t broker_cmd = {
	"enroll-broker", cmd_enroll_broker, "enroll-broker [--socket PATH] [--client-user USER]",
	"Answer the enrollment web service on a Unix socket until SIGTERM (run as root, e.g. by\n"
	"cowork-enroll-broker.service): OPEN, COLLECT and LOST with an invitation's token\n"
	"(docs/enrollment.md). One request per connection, one line of at most 1024 bytes within\n"
	"2 s; refusals all answer NO, their reason goes to the audit (invite events); a client refused\n"
	"10 times within a minute gets NO without a lookup until the minute is over. COLLECT hands out\n"
	"a sealed device and marks its certificate collected; LOST revokes one of the member's\n"
	"certificates (key-compromise) and disconnects its live sessions, as cert revoke does.\n\n"
	"  --socket PATH        where to listen (default STATE/enroll/broker.sock, in a directory made\n"
	"                       root:GROUP 0750, GROUP the client user's); PATH's directory must belong to\n"
	"                       root and not be writable by others\n"
	"  --client-user USER   the web service's user (default cowork-enroll): the socket is 0660 for its\n"
	"                       group, and only it (or root) may ask\n",
};

int cmd_enroll_broker(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "socket", required_argument, NULL, 's' },
		{ "client-user", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	broker_t b = { .cli = cli, .client_user = CLIENT_USER_DEFAULT, .dir_fd = -1, .listen_fd = -1 };
	const char *socket_path = NULL;
	cw_registry_t *reg;
	int c, rc = EXIT_OK;

	(void)self;
	while ((c = cli_getopt(&broker_cmd, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 's') socket_path = optarg;
		if (c == 'u') b.client_user = optarg;
	}
	if ((rc = cli_operands(&broker_cmd, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if (socket_path && !*socket_path) return cli_usage(&broker_cmd, "--socket needs a path");
	if (geteuid() != 0) return cli_fail("enroll-broker runs as root: it writes the registry and gives its socket to"
					    " the client user's group");
	/* The state is checked (and migrated) once at start, and again at every request. */
	if ((rc = client_user(&b)) != EXIT_OK || (rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	cw_registry_close(reg);
	if ((rc = socket_path ? socket_dir(&b, socket_path) : enroll_dir(&b)) != EXIT_OK) return rc;
	b.rate = calloc(1, sizeof(*b.rate));
	if (!b.rate) rc = cli_fail("out of memory");
	if (rc == EXIT_OK && (rc = listen_on(&b)) == EXIT_OK) {
		signals(&b);
		blog("listening on %s for %s (uid %u) and root", b.path, b.client_user, (unsigned)b.client_uid);
		run(&b);
		shut_down(&b);
	} else {
		if (b.listen_fd >= 0) close(b.listen_fd);
		close(b.dir_fd);
	}
	free(b.rate);
	return rc;
}
