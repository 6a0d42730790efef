/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cowork-enroll - the members' enrollment web service (docs/enrollment.md).
 *
 * main is the options, the listening socket, the keys, the privilege drop
 * and libmicrohttpd; what a request gets is handler.c's business. Order at
 * start, as root: read the TLS and signing keys, bind, drop to --user
 * (groups, gid, uid, each checked, then no_new_privs), and only then start
 * the HTTP threads. The service opens nothing under STATE: it only
 * connects to the broker's socket there, once per request.
 */
#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "broker_client.h"
#include "fileio.h"
#include "handler.h"
#include "profile.h"
#include "ratelimit.h"
#include "clock.h"

#define DEFAULT_MAX_CONNECTIONS	64
#define PER_IP_CONNECTIONS	8	//!< without --trust-proxy: every client is its own peer
#define THREADS			4	//!< libmicrohttpd's pool: each polls its share of connections
#define IDLE_TIMEOUT_S		10	//!< libmicrohttpd closes a connection idle this long
#define HEADER_DEADLINE_MS	10000	//!< a request's headers must be in within this, however trickled
#define REQUEST_DEADLINE_MS	30000	//!< and the whole request (body and answer) within this
#define MEMORY_LIMIT		(32 * 1024)	//!< per connection: headers and the URL fit in here
#define KEY_FILE_MAX		(64 * 1024)

typedef struct opts {
	const char	*state;
	const char	*broker;
	const char	*listen;
	const char	*url;
	const char	*tls_cert;
	const char	*tls_key;
	const char	*sign_cert;
	const char	*sign_key;
	const char	*sign_chain;
	const char	*user;
	const char	*trust_proxy;
	unsigned	max_connections;
	unsigned	rate;		//!< requests per client: burst, and refill per minute
} opts_t;

/* --- logging ------------------------------------------------------------- */

static void logmsg(const char *fmt, ...) CW_PRINTF(1, 2);
static void logmsg(const char *fmt, ...)
{
	char line[768];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "cowork-enroll: %s\n", line);
}

static void handler_log(const char *msg)
{
	logmsg("%s", msg);
}

static bool b64url_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * libmicrohttpd's own messages. None of them is known to quote a URL, but
 * a token must never reach a log: any run of 22 or more base64url
 * characters (a token is 43, a download id 22) is blanked out.
 */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t run = 0;

	(void)cls;
	(void)vsnprintf(line, sizeof(line), fmt, ap);
	for (size_t i = 0; ; i++) {
		if (line[i] && b64url_char(line[i])) {
			run++;
			continue;
		}
		if (run >= 22) memset(line + i - run, '*', run);
		run = 0;
		if (!line[i]) break;
	}
	line[strcspn(line, "\n")] = '\0';
	logmsg("http: %s", line);
}

/* --- connections and their deadlines (slow clients) ----------------------- */

/*
 * libmicrohttpd's own timeout counts idleness: a client that sends one
 * header byte a second is never idle. The watchdog gives every request
 * absolute deadlines instead and shuts a late connection's socket down
 * (libmicrohttpd then closes it as if the client had).
 */
typedef struct conn {
	int		fd;
	int64_t		since_ms;	//!< accepted, or last request answered
	int64_t		busy_ms;	//!< headers in (0: still waiting for them)
	bool		shut;
	struct conn	*prev, *next;
} conn_t;

static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static conn_t *conns;

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	conn_t *k = *socket_context;
	const union MHD_ConnectionInfo *ci;

	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		if (!(k = calloc(1, sizeof(*k)))) return;	/* no deadline then; the idle timeout still holds */
		/* Our own descriptor of the socket: its number cannot be reused under the watchdog. */
		ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		k->fd = ci ? fcntl(ci->connect_fd, F_DUPFD_CLOEXEC, 0) : -1;
		k->since_ms = cw_monotonic_ms();
		pthread_mutex_lock(&conns_lock);
		k->next = conns;
		if (conns) conns->prev = k;
		conns = k;
		pthread_mutex_unlock(&conns_lock);
		*socket_context = k;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && k) {
		pthread_mutex_lock(&conns_lock);
		if (k->prev) k->prev->next = k->next;
		else conns = k->next;
		if (k->next) k->next->prev = k->prev;
		pthread_mutex_unlock(&conns_lock);
		if (k->fd >= 0) close(k->fd);
		free(k);
		*socket_context = NULL;
	}
}

static conn_t *conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

static void conn_mark(struct MHD_Connection *c, bool busy)
{
	conn_t *k = conn_of(c);

	if (!k) return;
	pthread_mutex_lock(&conns_lock);
	if (busy) {
		k->busy_ms = cw_monotonic_ms();
	} else {
		k->busy_ms = 0;
		k->since_ms = cw_monotonic_ms();
	}
	pthread_mutex_unlock(&conns_lock);
}

static volatile sig_atomic_t stopping;

static void *watchdog(void *arg)
{
	(void)arg;
	while (!stopping) {
		int64_t now = cw_monotonic_ms();

		pthread_mutex_lock(&conns_lock);
		for (conn_t *k = conns; k; k = k->next) {
			bool late = k->busy_ms ? now - k->busy_ms > REQUEST_DEADLINE_MS :
						 now - k->since_ms > HEADER_DEADLINE_MS;

			if (late && !k->shut && k->fd >= 0) {
				(void)shutdown(k->fd, SHUT_RDWR);
				k->shut = true;
				logmsg("closed a connection that missed its deadline");
			}
		}
		pthread_mutex_unlock(&conns_lock);
		usleep(250 * 1000);
	}
	return NULL;
}

/* --- requests ------------------------------------------------------------ */

typedef struct server {
	enroll_cfg_t	cfg;
	const char	*broker_path;
	const char	*trust_proxy;
	ratelimit_t	*rl;
	bool		hsts;
} server_t;

/* What one request gathers until it is answered (its *req_cls). */
typedef struct req_ctx {
	char	target[ENROLL_URL_MAX + 2];	//!< the request-target, cut one byte past the limit
	bool	started;
	char	body[ENROLL_BODY_MAX];
	size_t	body_len;
	bool	too_large;
	char	client[RL_ADDR_MAX];
} req_ctx_t;

static int broker_fn(void *ctx, const char *request, char **answer, size_t *len, cw_err_t *err)
{
	const server_t *s = ctx;

	return broker_call(s->broker_path, BROKER_TIMEOUT_MS, request, answer, len, err);
}

/* The raw request-target, before libmicrohttpd splits and unescapes it. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
	req_ctx_t *rq = calloc(1, sizeof(*rq));

	(void)cls;
	(void)c;
	if (rq) (void)cw_snprintf(rq->target, sizeof(rq->target), "%s", uri ? uri : "");	/* cut: 414 */
	return rq;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **req_cls, enum MHD_RequestTerminationCode toe)
{
	req_ctx_t *rq = *req_cls;

	(void)cls;
	(void)toe;
	if (rq) {
		cw_wipe(rq, sizeof(*rq));	/* the target held a token */
		free(rq);
	}
	*req_cls = NULL;
	conn_mark(c, false);
}

static enum MHD_Result count_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	size_t *n = cls;

	(void)kind;
	*n += strlen(key) + (value ? strlen(value) : 0) + 4;	/* ": " and CRLF */
	return MHD_YES;
}

static void free_body(void *cls)
{
	enroll_resp_t *r = cls;

	enroll_resp_free(r);
	free(r);
}

/* Queue resp (taken over) with the common headers. */
static enum MHD_Result answer(struct MHD_Connection *c, const server_t *s, enroll_resp_t *resp, unsigned retry_after)
{
	struct MHD_Response *mr;
	enum MHD_Result rc;
	enroll_resp_t *owned = malloc(sizeof(*owned));

	if (!owned) {
		enroll_resp_free(resp);
		return MHD_NO;
	}
	*owned = *resp;
	mr = MHD_create_response_from_buffer_with_free_callback_cls(owned->body_len, owned->body, free_body, owned);
	if (!mr) {
		free_body(owned);
		return MHD_NO;
	}
	for (const enroll_header_t *h = enroll_headers(); h->name; h++) MHD_add_response_header(mr, h->name, h->value);
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, owned->content_type);
	if (owned->html) MHD_add_response_header(mr, "Content-Language", lang_code(owned->lang));
	if (owned->disposition[0]) MHD_add_response_header(mr, "Content-Disposition", owned->disposition);
	if (owned->allow) MHD_add_response_header(mr, MHD_HTTP_HEADER_ALLOW, owned->allow);
	if (s->hsts) MHD_add_response_header(mr, "Strict-Transport-Security", "max-age=31536000");
	if (retry_after) {
		char v[16];

		(void)cw_snprintf(v, sizeof(v), "%u", retry_after);
		MHD_add_response_header(mr, MHD_HTTP_HEADER_RETRY_AFTER, v);
	}
	rc = MHD_queue_response(c, (unsigned)owned->status, mr);
	MHD_destroy_response(mr);
	return rc;
}

static enroll_method_t method_of(const char *m)
{
	if (strcmp(m, "GET") == 0) return ENROLL_GET;
	if (strcmp(m, "HEAD") == 0) return ENROLL_HEAD;
	if (strcmp(m, "POST") == 0) return ENROLL_POST;
	return ENROLL_OTHER;
}

static void fill_req(struct MHD_Connection *c, const char *method, req_ctx_t *rq, enroll_req_t *req)
{
	*req = (enroll_req_t){
		.method = method_of(method),
		.target = rq->target,
		.user_agent = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_USER_AGENT),
		.accept_language = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_LANGUAGE),
		.content_type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
		.body = rq->body,
		.body_len = rq->body_len,
		.body_too_large = rq->too_large,
		.client = rq->client,
	};
	MHD_get_connection_values(c, MHD_HEADER_KIND, count_header, &req->header_bytes);
}

/* The client's address (the proxy's word for it when the peer is --trust-proxy). */
static void client_of(struct MHD_Connection *c, const server_t *s, char out[RL_ADDR_MAX])
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char peer[NI_MAXHOST];
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;
	socklen_t sl = sa && sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);

	if (!sa || getnameinfo(sa, sl, peer, sizeof(peer), NULL, 0, NI_NUMERICHOST) != 0 ||
	    rl_client(peer, MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For"), s->trust_proxy, out) < 0)
		(void)cw_snprintf(out, RL_ADDR_MAX, "-");
}

static void log_request(const req_ctx_t *rq, const char *method, const enroll_resp_t *resp)
{
	char m[16];

	cw_log_escape(method, strlen(method), m, sizeof(m));
	logmsg("%s %s %s %d %zu", rq->client, m, resp->log, resp->status, resp->body_len);
}

/* The first call, headers in: rate limit and the announced body size. MHD_YES to read on. */
static enum MHD_Result first_call(struct MHD_Connection *c, server_t *s, req_ctx_t *rq, const char *method)
{
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	enroll_req_t req;
	enroll_resp_t resp;
	int status = 0;

	rq->started = true;
	conn_mark(c, true);
	client_of(c, s, rq->client);
	if (!rl_allow(s->rl, rq->client, cw_monotonic_ms())) {
		status = 429;
	} else if (cl && (strlen(cl) > 6 || strtoul(cl, NULL, 10) > ENROLL_BODY_MAX)) {
		status = 413;
	}
	if (!status) return MHD_YES;
	fill_req(c, method, rq, &req);
	enroll_status(&req, status, &resp);
	log_request(rq, method, &resp);
	return answer(c, s, &resp, status == 429 ? 60 : 0);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **req_cls)
{
	server_t *s = cls;
	req_ctx_t *rq = *req_cls;
	enroll_req_t req;
	enroll_resp_t resp;

	(void)url;
	(void)version;
	if (!rq) return MHD_NO;
	if (!rq->started) return first_call(c, s, rq, method);
	if (*upload_data_size > 0) {
		/* A chunked body that grows past the bound: no answer can be queued mid-upload; drop it. */
		if (*upload_data_size > ENROLL_BODY_MAX - rq->body_len) return MHD_NO;
		memcpy(rq->body + rq->body_len, upload_data, *upload_data_size);
		rq->body_len += *upload_data_size;
		*upload_data_size = 0;
		return MHD_YES;
	}
	fill_req(c, method, rq, &req);
	enroll_handle(&s->cfg, &req, &resp);
	log_request(rq, method, &resp);
	return answer(c, s, &resp, 0);
}

/* --- start-up ------------------------------------------------------------ */

static void usage(FILE *f)
{
	fputs("usage: cowork-enroll -d STATE --listen ADDR:PORT --url URL [--broker PATH]\n"
	      "                     [--tls-cert FILE --tls-key FILE]\n"
	      "                     [--sign-cert FILE --sign-key FILE [--sign-chain FILE]]\n"
	      "                     [--user USER] [--trust-proxy ADDR] [--max-connections N]\n"
	      "                     [--rate-limit N]\n"
	      "\n"
	      "The members' enrollment web service: a member opens the link of `coworkctl invite\n"
	      "create` and gets the Wi-Fi profile of a device (docs/enrollment.md).\n"
	      "\n"
	      "  -d, --state-dir DIR      the state directory: only its broker socket is used\n"
	      "                           (DIR/enroll/broker.sock)\n"
	      "      --broker PATH        the broker's socket, instead\n"
	      "      --listen ADDR:PORT   where to serve HTTP (127.0.0.1:8080, [::1]:8080)\n"
	      "      --url URL            the public address of the links (https://enroll.example.org)\n"
	      "      --tls-cert, --tls-key FILE   serve HTTPS with this certificate and key (PEM)\n"
	      "      --sign-cert, --sign-key, --sign-chain FILE\n"
	      "                           sign Apple profiles (PEM certificate, key, chain)\n"
	      "      --user USER          started as root: serve as USER (keys are read and the\n"
	      "                           port bound first)\n"
	      "      --trust-proxy ADDR   the reverse proxy whose X-Forwarded-For (last hop) names\n"
	      "                           the client\n"
	      "      --max-connections N  connections at once (default 64)\n"
	      "      --rate-limit N       requests per client address: N at once, then N a minute\n"
	      "                           (default 30)\n"
	      "  -h, --help               this help\n", f);
}

/* A whole number lo..hi, nothing else (strtonum-like). 0, or -1. */
static int parse_number(const char *s, long lo, long hi, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return errno || end == s || *end || *v < lo || *v > hi ? -1 : 0;
}

static void parse_opts(int argc, char **argv, opts_t *o)
{
	enum { O_BROKER = 256, O_LISTEN, O_URL, O_TLS_CERT, O_TLS_KEY, O_SIGN_CERT, O_SIGN_KEY, O_SIGN_CHAIN, O_USER,
	       O_TRUST, O_MAXCONN, O_RATE };
	static const struct option lo[] = {
		{ "state-dir", required_argument, NULL, 'd' }, { "broker", required_argument, NULL, O_BROKER },
		{ "listen", required_argument, NULL, O_LISTEN }, { "url", required_argument, NULL, O_URL },
		{ "tls-cert", required_argument, NULL, O_TLS_CERT }, { "tls-key", required_argument, NULL, O_TLS_KEY },
		{ "sign-cert", required_argument, NULL, O_SIGN_CERT }, { "sign-key", required_argument, NULL, O_SIGN_KEY },
		{ "sign-chain", required_argument, NULL, O_SIGN_CHAIN }, { "user", required_argument, NULL, O_USER },
		{ "trust-proxy", required_argument, NULL, O_TRUST },
		{ "max-connections", required_argument, NULL, O_MAXCONN }, { "rate-limit", required_argument, NULL, O_RATE },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long n;
	int c;

	*o = (opts_t){ .max_connections = DEFAULT_MAX_CONNECTIONS, .rate = RL_BURST };
	while ((c = getopt_long(argc, argv, "d:h", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o->state = optarg; break;
		case O_BROKER: o->broker = optarg; break;
		case O_LISTEN: o->listen = optarg; break;
		case O_URL: o->url = optarg; break;
		case O_TLS_CERT: o->tls_cert = optarg; break;
		case O_TLS_KEY: o->tls_key = optarg; break;
		case O_SIGN_CERT: o->sign_cert = optarg; break;
		case O_SIGN_KEY: o->sign_key = optarg; break;
		case O_SIGN_CHAIN: o->sign_chain = optarg; break;
		case O_USER: o->user = optarg; break;
		case O_TRUST: o->trust_proxy = optarg; break;
		case O_MAXCONN:
			if (parse_number(optarg, 1, 10000, &n) < 0) errx(2, "--max-connections: a number from 1 to 10000");
			o->max_connections = (unsigned)n;
			break;
		case O_RATE:
			if (parse_number(optarg, 1, 100000, &n) < 0) errx(2, "--rate-limit: a number from 1 to 100000");
			o->rate = (unsigned)n;
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind != argc) errx(2, "unexpected argument \"%s\" (see --help)", argv[optind]);
	if (!o->listen || !o->url || (!o->state && !o->broker)) errx(2, "-d STATE (or --broker), --listen and --url are required (see --help)");
	if (strncmp(o->url, "https://", 8) != 0 && strncmp(o->url, "http://", 7) != 0)
		errx(2, "--url must start with https:// (or http:// behind a proxy)");
	if (!o->tls_cert != !o->tls_key) errx(2, "--tls-cert and --tls-key go together");
	if (!o->sign_cert != !o->sign_key) errx(2, "--sign-cert and --sign-key go together");
	if (o->sign_chain && !o->sign_cert) errx(2, "--sign-chain needs --sign-cert and --sign-key");
}

/* "127.0.0.1:8080" or "[::1]:8080" into a bound, listening socket. */
static int listen_on(const char *spec)
{
	char host[64];
	const char *colon = strrchr(spec, ':');
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM }, *ai;
	size_t hlen;
	int fd, one = 1, rc;

	if (!colon || colon == spec) errx(2, "--listen %s: ADDR:PORT", spec);
	hlen = (size_t)(colon - spec);
	if (spec[0] == '[' && hlen >= 2 && spec[hlen - 1] == ']') {
		spec++;
		hlen -= 2;
	}
	if (hlen >= sizeof(host)) errx(2, "--listen %s: address too long", spec);
	memcpy(host, spec, hlen);
	host[hlen] = '\0';
	if ((rc = getaddrinfo(host, colon + 1, &hints, &ai)) != 0) errx(2, "--listen: %s", gai_strerror(rc));
	if ((fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) err(1, "socket");
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) < 0) err(1, "bind %s", colon + 1 > spec ? host : spec);
	if (listen(fd, 64) < 0) err(1, "listen");
	freeaddrinfo(ai);
	return fd;
}

static char *read_key_file(const char *path)
{
	char *text;
	size_t len;
	cw_err_t e;

	if (cw_file_read(path, KEY_FILE_MAX, &text, &len, &e) < 0) errx(1, "%s", e.msg);
	return text;
}

/*
 * Become user: its primary group only, then gid and uid (real, effective,
 * saved), each checked; then no new privileges for anything we might exec.
 */
static void drop_privileges(const char *user)
{
	struct passwd *pw = getpwnam(user);
	uid_t r, e, s;
	gid_t rg, eg, sg;

	if (!pw) errx(1, "--user %s: no such user", user);
	if (pw->pw_uid == 0) errx(1, "--user %s: that is root", user);
	if (setgroups(1, &pw->pw_gid) < 0) err(1, "setgroups");
	if (setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0) err(1, "setresgid");
	if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0) err(1, "setresuid");
	if (getresgid(&rg, &eg, &sg) < 0 || rg != pw->pw_gid || eg != pw->pw_gid || sg != pw->pw_gid)
		errx(1, "the group did not change");
	if (getresuid(&r, &e, &s) < 0 || r != pw->pw_uid || e != pw->pw_uid || s != pw->pw_uid)
		errx(1, "the user did not change");
	if (setuid(0) == 0) errx(1, "root could be regained after dropping privileges");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) err(1, "PR_SET_NO_NEW_PRIVS");
}

static const char *broker_path(const opts_t *o, char *buf, size_t len)
{
	if (o->broker) return o->broker;
	if (cw_snprintf(buf, len, "%s/enroll/broker.sock", o->state) < 0) errx(2, "-d: path too long");
	return buf;
}

static int64_t wall_clock(void)
{
	return (int64_t)time(NULL);
}

int main(int argc, char **argv)
{
	opts_t o;
	server_t s;
	char sock[4096], *tls_cert = NULL, *tls_key = NULL;
	cw_profile_signer_t *signer = NULL;
	struct MHD_Daemon *d;
	sigset_t sigs;
	pthread_t wd;
	int fd, sig;
	cw_err_t e;

	parse_opts(argc, argv, &o);
	memset(&s, 0, sizeof(s));
	s.broker_path = broker_path(&o, sock, sizeof(sock));
	s.trust_proxy = o.trust_proxy;
	s.hsts = strncmp(o.url, "https://", 8) == 0;
	if (o.trust_proxy && rl_client(o.trust_proxy, NULL, NULL, (char[RL_ADDR_MAX]){ 0 }) < 0)
		errx(2, "--trust-proxy %s: not an IP address", o.trust_proxy);
	/* As root: everything that needs root, before a single request is read. */
	if (o.tls_cert) {
		tls_cert = read_key_file(o.tls_cert);
		tls_key = read_key_file(o.tls_key);
	}
	if (o.sign_cert && cw_profile_signer_load(o.sign_cert, o.sign_key, o.sign_chain, &signer, &e) < 0)
		errx(1, "%s", e.msg);
	fd = listen_on(o.listen);
	if (o.user) {
		drop_privileges(o.user);
	} else if (geteuid() == 0) {
		errx(1, "refusing to serve as root: give --user (the service's own user, cowork-enroll)");
	}
	if (!(s.rl = rl_new(o.rate, o.rate)) || !(s.cfg.store = store_new())) errx(1, "out of memory");
	s.cfg = (enroll_cfg_t){ .broker = broker_fn, .broker_ctx = &s, .signer = signer, .store = s.cfg.store,
				.now = wall_clock, .log = handler_log };
	struct MHD_OptionItem tls_opts[] = {
		{ MHD_OPTION_HTTPS_MEM_CERT, 0, tls_cert },
		{ MHD_OPTION_HTTPS_MEM_KEY, 0, tls_key },
		{ MHD_OPTION_END, 0, NULL },
	}, no_opts[] = { { MHD_OPTION_END, 0, NULL } };
	/* Signals go to sigwait below, in this thread only. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG |
				     (tls_cert ? MHD_USE_TLS : 0),
			     0, NULL, NULL, on_request, &s,
			     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,	/* first: it covers the other options' messages */
			     MHD_OPTION_LISTEN_SOCKET, fd,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)THREADS,
			     MHD_OPTION_CONNECTION_LIMIT, o.max_connections,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, o.trust_proxy ? 0u : (unsigned)PER_IP_CONNECTIONS,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S,
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MEMORY_LIMIT,
			     MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
			     MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
			     MHD_OPTION_SIGPIPE_HANDLED_BY_APP, 1,
			     MHD_OPTION_ARRAY, tls_cert ? tls_opts : no_opts,
			     MHD_OPTION_END);
	if (!d) errx(1, "cannot start the HTTP server on %s", o.listen);
	if (pthread_create(&wd, NULL, watchdog, NULL) != 0) errx(1, "cannot start the watchdog");
	logmsg("serving %s on %s (broker %s)%s", o.url, o.listen, s.broker_path, signer ? ", signing Apple profiles" : "");
	sigdelset(&sigs, SIGPIPE);
	while (sigwait(&sigs, &sig) == 0 && sig != SIGTERM && sig != SIGINT) {}
	logmsg("stopping");
	stopping = 1;
	MHD_stop_daemon(d);
	pthread_join(wd, NULL);
	store_free(s.cfg.store);
	rl_free(s.rl);
	cw_profile_signer_free(signer);
	if (tls_key) cw_wipe(tls_key, strlen(tls_key));
	free(tls_key);
	free(tls_cert);
	return 0;
}
