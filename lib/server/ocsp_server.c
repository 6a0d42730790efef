/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ocsp_server.c - the OCSP responder's listener thread.
 *
 * Each connection goes READ (request head and body, cw_http_parse) ->
 * WRITE (the answer) -> DRAIN (wait for the client to close first, so that
 * the TIME_WAIT state stays on the client's side, where Linux reuses it
 * for loopback, and not here at one per handshake) -> closed. Any error,
 * EOF or its deadline closes it at once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ocsp_http.h"
#include "ocsp_responder.h"
#include "ocsp_server.h"
#include "regpool.h"
#include "clock.h"

#define MAX_CONNS	64		//!< connections served at once; more wait in the backlog
#define CONN_MS		5000		//!< a connection's whole life
#define IN_MAX		(CW_HTTP_HEAD_MAX + CW_HTTP_BODY_MAX + 1)	//!< +1 to see bytes after the body
#define HEAD_OUT_MAX	256
#define POLL_MAX_MS	1000

typedef enum { CONN_FREE = 0, CONN_READ, CONN_WRITE, CONN_DRAIN } conn_state_t;

typedef struct conn {
	conn_state_t	state;
	int		fd;
	int64_t		deadline;		//!< monotonic ms
	size_t		in_len;
	char		in[IN_MAX];
	uint8_t		*out;			//!< head + body to send (malloc)
	size_t		out_len;
	size_t		out_off;
} conn_t;

typedef struct listener listener_t;

struct cw_ocsp_service {
	cw_ocsp_config_t	cfg;		//!< paths point into the strings below
	char			*registry_path;
	char			*ca_path;
	cw_regpool_t		*pool;		//!< read-only registry connections (at most one idle)
	cw_ocsp_ca_t		*ca;		//!< NULL until it can be read
	listener_t		*listener;
	cw_ocsp_service_t	*next;
};

struct listener {
	uint16_t		port;
	int			fd;
	int			wake[2];	//!< a byte in wake[1] ends the thread
	pthread_t		thread;
	pthread_mutex_t		lock;		//!< guards services; held while answering
	cw_ocsp_service_t	*services;	//!< newest first: the first answers
	listener_t		*next;
	conn_t			conns[MAX_CONNS];	//!< the thread's own
};

/* Every listener of the process, by port. */
static pthread_mutex_t listeners_lock = PTHREAD_MUTEX_INITIALIZER;
static listener_t *listeners;

static void report(const cw_ocsp_service_t *svc, cw_ocsp_log_t level, const char *fmt, ...) CW_PRINTF(3, 4);
static void report(const cw_ocsp_service_t *svc, cw_ocsp_log_t level, const char *fmt, ...)
{
	char msg[CW_REASON_MAX + 128];
	va_list ap;

	if (!svc || !svc->cfg.report) return;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	svc->cfg.report(svc->cfg.report_ctx, level, msg);
}

/* --- answering ---------------------------------------------------------------- */

/* Answer with svc: its CA (read now if not yet) and a registry connection. */
static void answer_with(cw_ocsp_service_t *svc, const uint8_t *req, size_t len, cw_ocsp_answer_t *a)
{
	int64_t now = (int64_t)time(NULL) + svc->cfg.clock_offset;
	cw_regconn_t *rc;
	cw_err_t e;

	if (!svc->ca && cw_ocsp_ca_load(svc->cfg.ca_path, &svc->ca, &e) < 0) {
		memset(a, 0, sizeof(*a));
		cw_ocsp_refuse(a, CW_OCSP_INTERNAL_ERROR, CW_DECIDE_INTERNAL, "CA certificate: %s", e.msg);
		return;
	}
	if (!(rc = cw_regpool_get(svc->pool, &e))) {
		memset(a, 0, sizeof(*a));
		cw_ocsp_refuse(a, CW_OCSP_INTERNAL_ERROR, CW_DECIDE_INTERNAL, "%s", e.msg);
		return;
	}
	cw_ocsp_answer(svc->ca, rc->reg, req, len, now, a);
	cw_regpool_put(svc->pool, rc, a->decision.result == CW_DECIDE_INTERNAL);
}

static void log_answer(const cw_ocsp_service_t *svc, const cw_ocsp_answer_t *a)
{
	const cw_member_decision_t *d = &a->decision;

	if (a->status == CW_OCSP_SUCCESSFUL) {
		report(svc, CW_OCSP_LOG_DEBUG, "OCSP: good: %s", d->reason);
		return;
	}
	report(svc, d->result == CW_DECIDE_INTERNAL ? CW_OCSP_LOG_ERROR : CW_OCSP_LOG_WARN,
	       "OCSP: refused certificate %s in the TLS handshake (%s): reject (%s): %s", d->serial[0] ? d->serial : "?",
	       cw_ocsp_status_name(a->status), cw_decide_result_name(d->result), d->reason);
}

/* The HTTP response to a complete request: head and DER. 0, or -1 (out of memory). */
static int respond(listener_t *l, conn_t *c, size_t body_off, size_t body_len)
{
	char head[HEAD_OUT_MAX];
	cw_ocsp_answer_t a;
	size_t n;

	pthread_mutex_lock(&l->lock);
	if (l->services) {
		answer_with(l->services, (const uint8_t *)c->in + body_off, body_len, &a);
		log_answer(l->services, &a);
	} else {
		memset(&a, 0, sizeof(a));
		cw_ocsp_refuse(&a, CW_OCSP_INTERNAL_ERROR, CW_DECIDE_INTERNAL, "the responder is stopping");
	}
	pthread_mutex_unlock(&l->lock);
	n = a.der ? cw_http_response_head(200, a.der_len, head, sizeof(head)) : 0;
	if (n && (c->out = malloc(n + a.der_len)) != NULL) {
		memcpy(c->out, head, n);
		memcpy(c->out + n, a.der, a.der_len);
		c->out_len = n + a.der_len;
	}
	cw_ocsp_answer_clear(&a);
	return c->out ? 0 : -1;
}

/* An HTTP refusal without a body. 0, or -1. */
static int respond_error(listener_t *l, conn_t *c, int status, const char *why)
{
	char head[HEAD_OUT_MAX];
	size_t n = cw_http_response_head(status, 0, head, sizeof(head));

	pthread_mutex_lock(&l->lock);
	report(l->services, CW_OCSP_LOG_WARN, "OCSP: refused an HTTP request on port %u: %d (%s)", (unsigned)l->port,
	       status, why);
	pthread_mutex_unlock(&l->lock);
	if (!n || !(c->out = malloc(n))) return -1;
	memcpy(c->out, head, n);
	c->out_len = n;
	return 0;
}

/* --- connections -------------------------------------------------------------- */

static void conn_close(conn_t *c)
{
	if (c->state == CONN_FREE) return;
	close(c->fd);
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = c->in_len = 0;
	c->state = CONN_FREE;
}

/* Send what is left; then wait for the client to close. */
static void conn_write(conn_t *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);

		if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
		if (n <= 0) {
			conn_close(c);
			return;
		}
		c->out_off += (size_t)n;
	}
	c->state = CONN_DRAIN;
}

/* Read what arrived; answer once the request is complete. */
static void conn_read(listener_t *l, conn_t *c)
{
	size_t body_off, body_len;
	const char *why;
	ssize_t n = recv(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len, 0);
	int rc;

	if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
	if (n <= 0) {
		conn_close(c);
		return;
	}
	c->in_len += (size_t)n;
	rc = cw_http_parse(c->in, c->in_len, &body_off, &body_len, &why);
	if (rc == CW_HTTP_MORE && c->in_len == sizeof(c->in)) {
		rc = 413;
		why = "request too large";
	}
	if (rc == CW_HTTP_MORE) return;
	if ((rc == CW_HTTP_DONE ? respond(l, c, body_off, body_len) : respond_error(l, c, rc, why)) < 0) {
		conn_close(c);
		return;
	}
	c->state = CONN_WRITE;
	conn_write(c);
}

/* Discard anything the client still sends; close at its EOF. */
static void conn_drain(conn_t *c)
{
	char sink[256];
	ssize_t n = recv(c->fd, sink, sizeof(sink), 0);

	if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
	conn_close(c);
}

static conn_t *free_slot(listener_t *l)
{
	for (size_t i = 0; i < MAX_CONNS; i++) {
		if (l->conns[i].state == CONN_FREE) return &l->conns[i];
	}
	return NULL;
}

/* Take every waiting connection there is room for. */
static void accept_all(listener_t *l, int64_t now)
{
	conn_t *c;
	int fd;

	while ((c = free_slot(l)) != NULL) {
		fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) return;
		memset(c, 0, sizeof(*c));
		c->fd = fd;
		c->state = CONN_READ;
		c->deadline = now + CONN_MS;
	}
}

/* --- the thread --------------------------------------------------------------- */

/* Fill fds: wake pipe, listener (when there is room), each connection. Returns the poll timeout. */
static int poll_set(listener_t *l, struct pollfd *fds, conn_t **owner, nfds_t *n, int64_t now)
{
	int64_t timeout = POLL_MAX_MS;
	bool room = false;

	fds[0] = (struct pollfd){ .fd = l->wake[0], .events = POLLIN };
	fds[1] = (struct pollfd){ .fd = l->fd, .events = POLLIN };
	*n = 2;
	for (size_t i = 0; i < MAX_CONNS; i++) {
		conn_t *c = &l->conns[i];

		if (c->state == CONN_FREE) {
			room = true;
			continue;
		}
		if (c->deadline - now < timeout) timeout = c->deadline - now;
		owner[*n] = c;
		fds[(*n)++] = (struct pollfd){ .fd = c->fd, .events = c->state == CONN_WRITE ? POLLOUT : POLLIN };
	}
	if (!room) fds[1].fd = -1;	/* poll ignores it: new connections wait in the backlog */
	return timeout < 0 ? 0 : (int)timeout;
}

static void serve_ready(listener_t *l, struct pollfd *fds, conn_t **owner, nfds_t n)
{
	for (nfds_t i = 2; i < n; i++) {
		conn_t *c = owner[i];

		if (!fds[i].revents) continue;
		if (c->state == CONN_READ) conn_read(l, c);
		else if (c->state == CONN_WRITE) conn_write(c);
		else conn_drain(c);
	}
}

static void expire(listener_t *l, int64_t now)
{
	for (size_t i = 0; i < MAX_CONNS; i++) {
		if (l->conns[i].state != CONN_FREE && now >= l->conns[i].deadline) conn_close(&l->conns[i]);
	}
}

static void *run(void *arg)
{
	listener_t *l = arg;
	struct pollfd fds[MAX_CONNS + 2];
	conn_t *owner[MAX_CONNS + 2];
	nfds_t n;

	for (;;) {
		int timeout = poll_set(l, fds, owner, &n, cw_monotonic_ms());

		if (poll(fds, n, timeout) < 0 && errno != EINTR) break;
		if (fds[0].revents) break;
		serve_ready(l, fds, owner, n);
		if (fds[1].revents) accept_all(l, cw_monotonic_ms());
		expire(l, cw_monotonic_ms());
	}
	for (size_t i = 0; i < MAX_CONNS; i++) conn_close(&l->conns[i]);
	return NULL;
}

/* --- listeners ---------------------------------------------------------------- */

/* 127.0.0.1:port, listening. The fd, or -1 with err. */
static int bind_port(uint16_t port, cw_err_t *err)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0) {
		cw_err_set(err, "OCSP responder: socket: %s", strerror(errno));
		return -1;
	}
	/* TIME_WAIT connections of a previous run must not block a restart. */
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		cw_err_set(err, "OCSP responder: cannot listen on 127.0.0.1:%u: %s%s", (unsigned)port, strerror(errno),
			   errno == EADDRINUSE ? " (another program holds it: choose another ocsp_port in the cowork"
						 " module and the same port in cowork_eap's ocsp url)" : "");
		close(fd);
		return -1;
	}
	if (listen(fd, SOMAXCONN) < 0) {
		cw_err_set(err, "OCSP responder: listen on 127.0.0.1:%u: %s", (unsigned)port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Start the thread with every signal blocked: they are radiusd's main thread's. 0, or -1. */
static int start_thread(listener_t *l)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&l->thread, NULL, run, l);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc == 0 ? 0 : -1;
}

static void listener_free(listener_t *l)
{
	if (l->fd >= 0) close(l->fd);
	if (l->wake[0] >= 0) close(l->wake[0]);
	if (l->wake[1] >= 0) close(l->wake[1]);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

static listener_t *listener_start(uint16_t port, cw_err_t *err)
{
	listener_t *l = calloc(1, sizeof(*l));

	if (!l) {
		cw_err_set(err, "out of memory");
		return NULL;
	}
	l->port = port;
	l->wake[0] = l->wake[1] = -1;
	pthread_mutex_init(&l->lock, NULL);
	if ((l->fd = bind_port(port, err)) < 0) goto fail;
	if (pipe2(l->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		cw_err_set(err, "OCSP responder: pipe: %s", strerror(errno));
		goto fail;
	}
	if (start_thread(l) < 0) {
		cw_err_set(err, "OCSP responder: cannot start its thread");
		goto fail;
	}
	return l;
fail:
	listener_free(l);
	return NULL;
}

static void listener_stop(listener_t *l)
{
	char b = 1;

	while (write(l->wake[1], &b, 1) < 0 && errno == EINTR) continue;
	pthread_join(l->thread, NULL);
	listener_free(l);
}

/* --- services ----------------------------------------------------------------- */

static void service_free(cw_ocsp_service_t *svc)
{
	if (!svc) return;
	cw_regpool_free(svc->pool);
	cw_ocsp_ca_free(svc->ca);
	free(svc->registry_path);
	free(svc->ca_path);
	free(svc);
}

static cw_ocsp_service_t *service_new(const cw_ocsp_config_t *cfg, cw_err_t *err)
{
	cw_ocsp_service_t *svc = calloc(1, sizeof(*svc));
	cw_err_t e;

	if (!svc || !(svc->registry_path = strdup(cfg->registry_path)) || !(svc->ca_path = strdup(cfg->ca_path))) {
		cw_err_set(err, "out of memory");
		service_free(svc);
		return NULL;
	}
	svc->cfg = *cfg;
	svc->cfg.registry_path = svc->registry_path;
	svc->cfg.ca_path = svc->ca_path;
	if (cw_regpool_create(svc->registry_path, cfg->busy_ms, 1, &svc->pool, err) < 0) {
		service_free(svc);
		return NULL;
	}
	if (cw_ocsp_ca_load(svc->ca_path, &svc->ca, &e) < 0) {
		report(svc, CW_OCSP_LOG_ERROR, "OCSP: %s: every certificate is refused in the TLS handshake until it"
		       " can be read", e.msg);
	}
	return svc;
}

static listener_t *listener_find(uint16_t port)
{
	for (listener_t *l = listeners; l; l = l->next) {
		if (l->port == port) return l;
	}
	return NULL;
}

int cw_ocsp_serve(const cw_ocsp_config_t *cfg, cw_ocsp_service_t **out, cw_err_t *err)
{
	cw_ocsp_service_t *svc;
	listener_t *l;

	*out = NULL;
	if (cfg->port == 0) {
		cw_err_set(err, "OCSP responder: no port");
		return -1;
	}
	if (!(svc = service_new(cfg, err))) return -1;
	pthread_mutex_lock(&listeners_lock);
	if (!(l = listener_find(cfg->port)) && (l = listener_start(cfg->port, err)) != NULL) {
		l->next = listeners;
		listeners = l;
	}
	if (l) {
		pthread_mutex_lock(&l->lock);
		svc->listener = l;
		svc->next = l->services;
		l->services = svc;
		pthread_mutex_unlock(&l->lock);
	}
	pthread_mutex_unlock(&listeners_lock);
	if (!l) {
		service_free(svc);
		return -1;
	}
	*out = svc;
	return 0;
}

/* Take svc out of its listener's list; true when none is left. Both locks held. */
static bool unlink_service(listener_t *l, cw_ocsp_service_t *svc)
{
	for (cw_ocsp_service_t **p = &l->services; *p; p = &(*p)->next) {
		if (*p == svc) {
			*p = svc->next;
			break;
		}
	}
	return l->services == NULL;
}

void cw_ocsp_unserve(cw_ocsp_service_t *svc)
{
	listener_t *l, **p;
	bool last;

	if (!svc) return;
	l = svc->listener;
	pthread_mutex_lock(&listeners_lock);
	pthread_mutex_lock(&l->lock);
	last = unlink_service(l, svc);
	pthread_mutex_unlock(&l->lock);
	if (last) {
		for (p = &listeners; *p; p = &(*p)->next) {
			if (*p == l) {
				*p = l->next;
				break;
			}
		}
		/* Still under listeners_lock: the port is closed before anyone may bind it again. */
		listener_stop(l);
	}
	pthread_mutex_unlock(&listeners_lock);
	service_free(svc);
}
