/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * disconnect.c - Disconnect-Requests for the live sessions of a revoked
 * certificate or a suspended member.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dae.h"
#include "disconnect.h"
#include "nas.h"
#include "session.h"

/* Pause before a retransmission, and the most transmissions of one request. */
#define RETRY_MS	1000
#define SENDS_MAX	3

/* One live session and what is done about it. */
typedef struct job {
	cw_session_t	s;
	bool		has_nas;	//!< a NAS definition for s.nas_address
	cw_nas_t	nas;		//!< with its secret: wiped at the end
	cw_dae_target_t	*target;	//!< NULL: nothing could be sent
	char		problem[200];	//!< why nothing was sent
} job_t;

typedef struct jobs {
	job_t	*j;
	size_t	n;
	size_t	cap;
} jobs_t;

void disconnect_opts_init(disconnect_opts_t *o)
{
	o->out = stdout;
	o->skip = false;
	o->timeout_s = DISCONNECT_TIMEOUT_DEFAULT;
}

int disconnect_option(int c, const char *arg, disconnect_opts_t *o)
{
	if (c == 'N') o->skip = true;
	if (c == 'T' && cli_uint(arg, 1, DISCONNECT_TIMEOUT_MAX, "--timeout (seconds)", &o->timeout_s) < 0) {
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int disconnect_cmd_opts(const cli_cmd_t *cmd, int argc, char **argv, const struct option *longopts,
			int (*opt)(int c, const char *arg, void *ctx), void *ctx, disconnect_opts_t *o, int *exit_code)
{
	int c;

	disconnect_opts_init(o);
	while ((c = cli_getopt(cmd, argc, argv, "h", longopts, exit_code)) != -1) {
		if (c == -2) return -1;
		if (opt && (*exit_code = opt(c, optarg, ctx)) != EXIT_OK) return -1;
		if ((*exit_code = disconnect_option(c, optarg, o)) != EXIT_OK) return -1;
	}
	*exit_code = cli_operands(cmd, argc, argv, 1, 1);
	return *exit_code == EXIT_OK ? 0 : -1;
}

int disconnect_reason_opt(int c, const char *arg, void *reason)
{
	if (c == 'r') *(const char **)reason = arg;
	return EXIT_OK;
}

/* In the log worker: send each session as it is. */
static int send_session(void *arg, const cw_session_t *s)
{
	return statedir_log_send(*(int *)arg, s, sizeof(*s)) < 0 ? 1 : 0;
}

static int send_sessions_job(cw_accesslog_t *log, void *arg, int out_fd)
{
	cw_err_t e;
	int rc = cw_session_list(log, arg, send_session, &out_fd, &e);

	if (rc < 0) cli_err("cannot read the live sessions: %s", e.msg);
	return rc == 0 ? EXIT_OK : EXIT_FAIL;
}

/* Terminate every text of a session that came from the worker. */
static void terminate(cw_session_t *s)
{
	s->nas_address[sizeof(s->nas_address) - 1] = '\0';
	s->nas[sizeof(s->nas) - 1] = '\0';
	s->acct_session_id[sizeof(s->acct_session_id) - 1] = '\0';
	s->user_name[sizeof(s->user_name) - 1] = '\0';
	s->calling_station[sizeof(s->calling_station) - 1] = '\0';
	s->member[sizeof(s->member) - 1] = '\0';
	s->serial[sizeof(s->serial) - 1] = '\0';
}

/*
 * The live sessions, read from the access log by the log worker (never
 * created here: a missing log is news). 0 or -1 (printed).
 */
static int read_sessions(const cli_t *cli, const char *member, const char *serial, jobs_t *js)
{
	cw_session_filter_t f = { member, serial, false };
	statedir_bytes_t got;
	size_t n;

	if (cli_accesslog_run(cli, false, "cannot read the live sessions", send_sessions_job, &f, &got) != EXIT_OK) {
		return -1;
	}
	if (got.len % sizeof(cw_session_t) != 0) {
		free(got.data);
		cli_err("cannot read the live sessions: the access log worker sent %zu bytes", got.len);
		return -1;
	}
	n = got.len / sizeof(cw_session_t);
	js->j = calloc(n ? n : 1, sizeof(job_t));
	if (!js->j) {
		free(got.data);
		cli_err("out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		memcpy(&js->j[i].s, (char *)got.data + i * sizeof(cw_session_t), sizeof(cw_session_t));
		terminate(&js->j[i].s);
	}
	js->n = js->cap = n;
	free(got.data);
	return 0;
}

/* The NAS of each session, with its secret. 0 or -1 (printed). */
static int find_nases(const cli_t *cli, jobs_t *js)
{
	cw_registry_t *reg;
	char path[4096];
	cw_err_t e;

	if (cli_path(cli, "registry.db", path, sizeof(path)) < 0) return -1;
	if (cw_registry_open_reader(path, CW_REGISTRY_BUSY_MS_DEFAULT, &reg, &e) < 0) {
		cli_err("cannot read the NAS definitions: %s", e.msg);
		return -1;
	}
	for (size_t i = 0; i < js->n; i++) {
		job_t *j = &js->j[i];
		int found = cw_nas_find(reg, j->s.nas_address, &j->nas, &e);

		if (found < 0) {
			cli_err("cannot read the NAS definitions: %s", e.msg);
			cw_registry_close(reg);
			return -1;
		}
		j->has_nas = found == 1;
		if (!j->has_nas) {
			(void)cw_snprintf(j->problem, sizeof(j->problem),
					  "no CoA definition for NAS %s: run coworkctl nas add", j->s.nas_address);
		}
	}
	cw_registry_close(reg);
	return 0;
}

/* The NAS's address and CoA port. 0, or -1 for an address the registry should not hold. */
static int nas_sockaddr(const cw_nas_t *nas, cw_dae_target_t *t)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)&t->addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&t->addr;

	memset(&t->addr, 0, sizeof(t->addr));
	if (inet_pton(AF_INET, nas->address, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)nas->coa_port);
		t->addr_len = sizeof(*v4);
		return 0;
	}
	if (inet_pton(AF_INET6, nas->address, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)nas->coa_port);
		t->addr_len = sizeof(*v6);
		return 0;
	}
	return -1;
}

/*
 * The Disconnect-Request of a session: what the NAS reported in accounting.
 * The NAS is named as it named itself: NAS-IP-Address when that is what we
 * recorded, else NAS-Identifier (hostapd answers 403 to a name that is not
 * its own, so nothing is invented).
 */
static void fill_target(job_t *j, cw_dae_target_t *t, uint32_t now)
{
	cw_dae_session_t *s = &t->session;

	memset(t, 0, sizeof(*t));
	t->secret = j->nas.secret;
	t->secret_len = j->nas.secret_len;
	s->acct_session_id = j->s.acct_session_id;
	s->user_name = j->s.user_name;
	s->calling_station = j->s.calling_station;
	if (inet_pton(AF_INET, j->s.nas, s->nas_ip) == 1) s->has_nas_ip = true;
	else s->nas_identifier = j->s.nas;
	s->event_timestamp = now;
}

/* Targets for the jobs that have a NAS; the array (n entries), or NULL (printed). */
static cw_dae_target_t *make_targets(jobs_t *js, size_t *n)
{
	cw_dae_target_t *t = calloc(js->n ? js->n : 1, sizeof(*t));
	uint32_t now = (uint32_t)time(NULL);

	*n = 0;
	if (!t) {
		cli_err("out of memory");
		return NULL;
	}
	for (size_t i = 0; i < js->n; i++) {
		job_t *j = &js->j[i];

		if (!j->has_nas) continue;
		fill_target(j, &t[*n], now);
		if (nas_sockaddr(&j->nas, &t[*n]) < 0) {
			(void)cw_snprintf(j->problem, sizeof(j->problem), "NAS %s has an unusable address %s", j->nas.name,
					  j->nas.address);
			continue;
		}
		j->target = &t[(*n)++];
	}
	return t;
}

/* One line for a session; true when it was disconnected. */
static bool print_job(const job_t *j, const disconnect_opts_t *o)
{
	const cw_dae_target_t *t = j->target;
	char id[CW_LOG_ESCAPED_MAX];

	cw_log_escape(j->s.acct_session_id, strlen(j->s.acct_session_id), id, sizeof(id));
	if (!t) {
		fprintf(o->out, "  %s session %s: %s\n", j->s.nas_address, id, j->problem);
		return false;
	}
	fprintf(o->out, "  %s (%s port %u) session %s: ", j->nas.name, j->nas.address, j->nas.coa_port, id);
	switch (t->outcome) {
	case CW_DAE_ACKED:
		fprintf(o->out, "ACK, disconnected\n");
		return true;
	case CW_DAE_NAKED:
		if (t->answer.has_error_cause) {
			fprintf(o->out, "NAK, %s (Error-Cause %u)\n", cw_dae_error_cause_name(t->answer.error_cause),
			       t->answer.error_cause);
		} else {
			fprintf(o->out, "NAK, without Error-Cause\n");
		}
		return false;
	case CW_DAE_NO_ANSWER:
		fprintf(o->out, "no answer after %u s (%u request%s sent", o->timeout_s, t->sent, t->sent == 1 ? "" : "s");
		if (t->discarded) fprintf(o->out, "; %u answer%s discarded: %s", t->discarded, t->discarded == 1 ? "" : "s",
					 t->error.msg);
		fprintf(o->out, ")\n");
		return false;
	case CW_DAE_FAILED:
	case CW_DAE_PENDING:
		break;
	}
	fprintf(o->out, "not sent: %s\n", t->error.msg);
	return false;
}

/* Send, then report every session. EXIT_OK when all were acknowledged. */
static int send_and_report(jobs_t *js, const disconnect_opts_t *o)
{
	cw_dae_config_t cfg = { o->timeout_s * 1000, RETRY_MS, o->timeout_s < SENDS_MAX ? o->timeout_s : SENDS_MAX };
	size_t n, done = 0;
	cw_dae_target_t *t = make_targets(js, &n);
	cw_err_t e;

	if (!t) return EXIT_ATTENTION;
	if (n > 0 && cw_dae_send(t, n, &cfg, &e) < 0) cli_err("sending Disconnect-Requests: %s", e.msg);
	for (size_t i = 0; i < js->n; i++) done += print_job(&js->j[i], o);
	free(t);
	if (done == js->n) return EXIT_OK;
	fprintf(o->out, "%zu of %zu session(s) not disconnected: those devices stay connected until they re-authenticate"
	       " (and are refused then)\n", js->n - done, js->n);
	return EXIT_ATTENTION;
}

int disconnect_sessions(const cli_t *cli, const char *member, const char *serial, const disconnect_opts_t *o)
{
	jobs_t js = { NULL, 0, 0 };
	char what[96];
	int rc = EXIT_ATTENTION;

	(void)cw_snprintf(what, sizeof(what), serial ? "certificate %s" : "member %s", serial ? serial : member);
	if (o->skip) {
		fprintf(o->out, "live sessions of %s not disconnected (--no-disconnect)\n", what);
		return EXIT_OK;
	}
	fflush(o->out);	/* the registry change is shown before any wait on the network */
	if (read_sessions(cli, member, serial, &js) < 0) {
		fprintf(o->out, "live sessions of %s unknown: connected devices stay on until they re-authenticate\n", what);
		goto done;
	}
	if (js.n == 0) {
		fprintf(o->out, "no live session of %s to disconnect\n", what);
		rc = EXIT_OK;
		goto done;
	}
	fprintf(o->out, "disconnecting %zu live session(s) of %s:\n", js.n, what);
	fflush(o->out);
	if (find_nases(cli, &js) < 0) {
		fprintf(o->out, "%zu session(s) not disconnected: those devices stay connected until they re-authenticate\n", js.n);
		goto done;
	}
	rc = send_and_report(&js, o);
done:
	if (js.j) cw_wipe(js.j, js.cap * sizeof(js.j[0]));
	free(js.j);
	return rc;
}
