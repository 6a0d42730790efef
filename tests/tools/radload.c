/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * radload.c - the benchmarks' RADIUS load generator with latencies.
 *
 * Sends hostapd-shaped MAC-authentication Access-Requests for N stations
 * (User-Name = User-Password = the MAC as aabbccddeeff, Calling-Station-Id
 * AA-BB-CC-DD-EE-FF, Called-Station-Id, NAS-IP-Address, NAS-Identifier,
 * NAS-Port-Type Wireless-802.11, Connect-Info, Message-Authenticator) to
 * one server, keeping a fixed number outstanding, with a timeout and
 * retries. Every reply's Response Authenticator (and Message-Authenticator
 * if present) is checked; a reply that fails is counted as bad, not as
 * answered.
 *
 * Station k (0-based) has the MAC 02:00:00:00:hh:ll of k (k < 2^16), so the
 * stations match tests/bench's request files; request i goes to station
 * i mod N.
 *
 * Output: one line of name=value facts on stdout:
 *   sent answered accepted rejected other timeouts bad retransmits
 *   p50_us p90_us p99_us max_us elapsed_ms
 * Latency is from the first send of a request to its valid reply.
 * --dump FILE also writes every latency (µs, ascending, one a line) to FILE,
 * so that runs can be pooled.
 * --accepts FILE writes one line per Access-Accept as it arrives,
 * "CALLING-STATION-ID UNIX-MS" (wall clock at receipt), flushed at once, so
 * that the lines survive a kill of radload (tests/integration/crash.sh).
 *
 * Exit status: 0 at least one valid reply and no bad one; 1 no reply at
 * all; 2 usage; 3 a bad reply; 4 a local failure.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "radpkt.h"

#define EXIT_NOREPLY	1
#define EXIT_USAGE	2
#define EXIT_BADREPLY	3
#define EXIT_LOCAL	4

#define MAX_OUTSTANDING	4096
#define IDS_PER_SOCKET	256

struct options {
	const char	*server;
	const char	*called;
	const char	*nas_id;
	const char	*dump;		/* file for every latency, or NULL */
	const char	*accepts;	/* file for every accept, or NULL */
	long long	 stations;
	long long	 count;
	long long	 parallel;
	long long	 timeout_ms;
	long long	 retries;
};

/* One request in flight: slot i uses socket i / 256 and identifier i % 256. */
struct slot {
	struct packet	req;
	long long	first_us;	/* first send; 0: slot idle */
	long long	deadline_us;
	long long	attempts;
	long long	station;
};

struct counts {
	long long	sent, answered, accepted, rejected, other;
	long long	timeouts, bad, retransmits;
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: radload --server HOST:PORT --secret SECRET [--stations N]\n"
	    "               [--count N] [--parallel N] [--timeout MS]"
	    " [--retries N]\n"
	    "               [--called CALLED-STATION-ID] [--nas-id NAS-ID]"
	    " [--dump FILE]\n"
	    "               [--accepts FILE]\n");
	exit(EXIT_USAGE);
}

static void
number_option(const char *name, long long min, long long max, long long *out)
{
	if (radpkt_parse_number(optarg, min, max, out) == -1)
		errx(EXIT_USAGE, "--%s: %lld..%lld", name, min, max);
}

static void
parse_options(int argc, char **argv, struct options *o)
{
	enum { O_SERVER = 256, O_SECRET, O_STATIONS, O_COUNT, O_PARALLEL,
	    O_TIMEOUT, O_RETRIES, O_CALLED, O_NASID, O_DUMP, O_ACCEPTS };
	static const struct option longopts[] = {
		{ "server",	required_argument, NULL, O_SERVER },
		{ "secret",	required_argument, NULL, O_SECRET },
		{ "stations",	required_argument, NULL, O_STATIONS },
		{ "count",	required_argument, NULL, O_COUNT },
		{ "parallel",	required_argument, NULL, O_PARALLEL },
		{ "timeout",	required_argument, NULL, O_TIMEOUT },
		{ "retries",	required_argument, NULL, O_RETRIES },
		{ "called",	required_argument, NULL, O_CALLED },
		{ "nas-id",	required_argument, NULL, O_NASID },
		{ "dump",	required_argument, NULL, O_DUMP },
		{ "accepts",	required_argument, NULL, O_ACCEPTS },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	memset(o, 0, sizeof(*o));
	o->called = "02-00-00-00-00-01:CoworkGuest";
	o->nas_id = "bench-ap";
	o->stations = 1000;
	o->count = 10000;
	o->parallel = 64;
	o->timeout_ms = 3000;
	o->retries = 2;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case O_SERVER:	o->server = optarg; break;
		case O_SECRET:	radpkt_secret_set(optarg); break;
		case O_STATIONS: number_option("stations", 1, 65536, &o->stations);
			break;
		case O_COUNT:	number_option("count", 1, 100000000, &o->count);
			break;
		case O_PARALLEL: number_option("parallel", 1, MAX_OUTSTANDING,
			    &o->parallel);
			break;
		case O_TIMEOUT:	number_option("timeout", 1, 600000,
			    &o->timeout_ms);
			break;
		case O_RETRIES:	number_option("retries", 1, 100, &o->retries);
			break;
		case O_CALLED:	o->called = optarg; break;
		case O_NASID:	o->nas_id = optarg; break;
		case O_DUMP:	o->dump = optarg; break;
		case O_ACCEPTS:	o->accepts = optarg; break;
		default:	usage();
		}
	}
	if (optind != argc || o->server == NULL || radpkt_secret_len == 0)
		usage();
}

/* count UDP sockets connected to HOST:PORT. Exits on error. */
static void
open_sockets(const char *server, int *fds, int count)
{
	struct addrinfo	 hints, *res = NULL;
	char		 host[256];
	const char	*port = strrchr(server, ':');
	size_t		 hlen;
	int		 gai, i;

	if (port == NULL || port[1] == '\0' ||
	    (hlen = (size_t)(port - server)) == 0 || hlen >= sizeof(host))
		errx(EXIT_USAGE, "--server: expected HOST:PORT");
	memcpy(host, server, hlen);
	host[hlen] = '\0';
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	if ((gai = getaddrinfo(host, port + 1, &hints, &res)) != 0)
		errx(EXIT_USAGE, "--server %s: %s", server, gai_strerror(gai));
	for (i = 0; i < count; i++) {
		fds[i] = socket(res->ai_family, SOCK_DGRAM | SOCK_NONBLOCK, 0);
		if (fds[i] == -1 ||
		    connect(fds[i], res->ai_addr, res->ai_addrlen) == -1)
			err(EXIT_LOCAL, "socket to %s", server);
	}
	freeaddrinfo(res);
}

static long long
now_us(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		err(EXIT_LOCAL, "clock_gettime");
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* hostapd's MAC-authentication request for station k, identifier id. */
static void
build_request(struct packet *pkt, const struct options *o, long long k,
    uint8_t id)
{
	static const uint8_t nas_ip[4] = { 127, 0, 0, 1 };
	static const uint8_t port_type[4] = { 0, 0, 0, NAS_PORT_TYPE_80211 };
	char	user[13], calling[18];
	int	bad = 0;

	snprintf(user, sizeof(user), "02000000%02x%02x",
	    (unsigned)(k >> 8) & 0xff, (unsigned)k & 0xff);
	snprintf(calling, sizeof(calling), "02-00-00-00-%02X-%02X",
	    (unsigned)(k >> 8) & 0xff, (unsigned)k & 0xff);
	memset(pkt->data, 0, RADIUS_HDR_LEN);
	pkt->data[0] = CODE_ACCESS_REQUEST;
	pkt->data[1] = id;
	if (RAND_bytes(pkt->data + 4, RADIUS_AUTH_LEN) != 1)
		errx(EXIT_LOCAL, "RAND_bytes failed");
	pkt->len = RADIUS_HDR_LEN;
	bad |= radpkt_add_string(pkt, ATTR_USER_NAME, user);
	bad |= radpkt_add_user_password(pkt, radpkt_secret, radpkt_secret_len, user);
	bad |= radpkt_add_attr(pkt, ATTR_NAS_IP_ADDRESS, nas_ip, 4);
	bad |= radpkt_add_string(pkt, ATTR_NAS_IDENTIFIER, o->nas_id);
	bad |= radpkt_add_string(pkt, ATTR_CALLED_STATION_ID, o->called);
	bad |= radpkt_add_string(pkt, ATTR_CALLING_STATION_ID, calling);
	bad |= radpkt_add_attr(pkt, ATTR_NAS_PORT_TYPE, port_type, 4);
	bad |= radpkt_add_string(pkt, ATTR_CONNECT_INFO,
	    "CONNECT 54Mbps 802.11g");
	bad |= radpkt_add_message_authenticator(pkt, radpkt_secret, radpkt_secret_len);
	if (bad != 0)
		errx(EXIT_LOCAL, "cannot encode the request");
	radpkt_set_length(pkt);
}

static void
transmit(int fd, struct slot *s, long long now, long long timeout_us)
{
	if (send(fd, s->req.data, s->req.len, 0) == -1 && errno != EAGAIN &&
	    errno != ECONNREFUSED)
		warn("send");
	s->attempts++;
	s->deadline_us = now + timeout_us;
}

/* 1 valid reply, 0 bad; the code is left in *code. */
static int
check_reply(struct packet *reply, const struct slot *s, uint8_t *code)
{
	const char	*ma_state;
	int		 ra;

	if (radpkt_check_structure(reply) != NULL)
		return 0;
	ra = radpkt_verify_reply(reply, s->req.data + 4, radpkt_secret, radpkt_secret_len,
	    &ma_state);
	if (ra == -1)
		errx(EXIT_LOCAL, "MD5 failed");
	*code = reply->data[0];
	return ra == 1 && strcmp(ma_state, "bad") != 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t	x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t
percentile(const uint32_t *v, long long n, int pct)
{
	long long	i;

	if (n == 0)
		return 0;
	i = (n * pct + 99) / 100 - 1;
	return v[i < 0 ? 0 : i];
}

struct run {
	const struct options	*o;
	struct slot		*slots;
	int			*fds;
	int			 nfds;
	long long		 next;		/* next request to start */
	long long		 busy;		/* slots in flight */
	uint32_t		*lat;
	FILE			*accepts;	/* or NULL */
	struct counts		 c;
};

static void
start_slot(struct run *r, long long i, long long now)
{
	struct slot	*s = &r->slots[i];

	s->station = r->next % r->o->stations;
	build_request(&s->req, r->o, s->station,
	    (uint8_t)(i % IDS_PER_SOCKET));
	r->next++;
	r->busy++;
	r->c.sent++;
	s->first_us = now;
	s->attempts = 0;
	transmit(r->fds[i / IDS_PER_SOCKET], s, now, r->o->timeout_ms * 1000);
}

/* The slot is done: start the next request in it, if any is left. */
static void
finish_slot(struct run *r, long long i, long long now)
{
	r->slots[i].first_us = 0;
	r->busy--;
	if (r->next < r->o->count)
		start_slot(r, i, now);
}

/* --accepts: one line for an Access-Accept to station k, flushed at once. */
static void
note_accept(struct run *r, long long k)
{
	struct timespec	ts;

	if (r->accepts == NULL)
		return;
	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		err(EXIT_LOCAL, "clock_gettime");
	if (fprintf(r->accepts, "02-00-00-00-%02X-%02X %lld\n",
	    (unsigned)(k >> 8) & 0xff, (unsigned)k & 0xff,
	    (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000) < 0 ||
	    fflush(r->accepts) != 0)
		err(EXIT_LOCAL, "%s", r->o->accepts);
}

static void
receive(struct run *r, int sock)
{
	static struct packet	reply;
	struct slot		*s;
	long long		 i, now;
	ssize_t			 n;
	uint8_t			 code = 0;

	while ((n = recv(r->fds[sock], reply.data, sizeof(reply.data),
	    MSG_TRUNC)) >= 0) {
		if (n < 2)
			continue;
		i = (long long)sock * IDS_PER_SOCKET + reply.data[1];
		if (i >= r->o->parallel || r->slots[i].first_us == 0)
			continue;	/* late duplicate */
		s = &r->slots[i];
		reply.len = (size_t)n < sizeof(reply.data) ? (size_t)n :
		    sizeof(reply.data);
		now = now_us();
		if (!check_reply(&reply, s, &code)) {
			r->c.bad++;
		} else {
			r->lat[r->c.answered++] = (uint32_t)(now - s->first_us);
			if (code == CODE_ACCESS_ACCEPT) {
				r->c.accepted++;
				note_accept(r, s->station);
			} else if (code == CODE_ACCESS_REJECT)
				r->c.rejected++;
			else
				r->c.other++;
		}
		finish_slot(r, i, now);
	}
}

/* Retransmit or give up the slots past their deadline. */
static void
expire(struct run *r, long long now)
{
	long long	i;

	for (i = 0; i < r->o->parallel; i++) {
		struct slot	*s = &r->slots[i];

		if (s->first_us == 0 || s->deadline_us > now)
			continue;
		if (s->attempts < r->o->retries) {
			r->c.retransmits++;
			transmit(r->fds[i / IDS_PER_SOCKET], s, now,
			    r->o->timeout_ms * 1000);
		} else {
			r->c.timeouts++;
			finish_slot(r, i, now);
		}
	}
}

static void
run_load(struct run *r)
{
	struct pollfd	pfd[MAX_OUTSTANDING / IDS_PER_SOCKET];
	long long	i, now = now_us(), wait_ms;
	int		k;

	for (k = 0; k < r->nfds; k++)
		pfd[k] = (struct pollfd){ .fd = r->fds[k], .events = POLLIN };
	for (i = 0; i < r->o->parallel && r->next < r->o->count; i++)
		start_slot(r, i, now);
	while (r->busy > 0) {
		wait_ms = 10;
		if (poll(pfd, (nfds_t)r->nfds, (int)wait_ms) == -1 &&
		    errno != EINTR)
			err(EXIT_LOCAL, "poll");
		for (k = 0; k < r->nfds; k++)
			if (pfd[k].revents & (POLLIN | POLLERR))
				receive(r, k);
		expire(r, now_us());
	}
}

static void
dump_latencies(const char *path, const uint32_t *lat, long long n)
{
	FILE		*f = fopen(path, "w");
	long long	 i;

	if (f == NULL)
		err(EXIT_LOCAL, "%s", path);
	for (i = 0; i < n; i++)
		fprintf(f, "%u\n", lat[i]);
	if (fclose(f) != 0)
		err(EXIT_LOCAL, "%s", path);
}

int
main(int argc, char **argv)
{
	static struct options	o;
	struct run		r;
	long long		start, elapsed;
	uint32_t		*lat;

	parse_options(argc, argv, &o);
	memset(&r, 0, sizeof(r));
	r.o = &o;
	r.nfds = (int)((o.parallel + IDS_PER_SOCKET - 1) / IDS_PER_SOCKET);
	if ((r.fds = calloc((size_t)r.nfds, sizeof(*r.fds))) == NULL ||
	    (r.slots = calloc((size_t)o.parallel, sizeof(*r.slots))) == NULL ||
	    (r.lat = calloc((size_t)o.count, sizeof(*r.lat))) == NULL)
		err(EXIT_LOCAL, "calloc");
	if (o.accepts != NULL && (r.accepts = fopen(o.accepts, "w")) == NULL)
		err(EXIT_LOCAL, "%s", o.accepts);
	open_sockets(o.server, r.fds, r.nfds);
	start = now_us();
	run_load(&r);
	elapsed = now_us() - start;
	lat = r.lat;
	qsort(lat, (size_t)r.c.answered, sizeof(*lat), cmp_u32);
	printf("sent=%lld answered=%lld accepted=%lld rejected=%lld other=%lld "
	    "timeouts=%lld bad=%lld retransmits=%lld p50_us=%u p90_us=%u "
	    "p99_us=%u max_us=%u elapsed_ms=%lld\n", r.c.sent, r.c.answered,
	    r.c.accepted, r.c.rejected, r.c.other, r.c.timeouts, r.c.bad,
	    r.c.retransmits, percentile(lat, r.c.answered, 50),
	    percentile(lat, r.c.answered, 90), percentile(lat, r.c.answered, 99),
	    r.c.answered ? lat[r.c.answered - 1] : 0, elapsed / 1000);
	if (fflush(stdout) != 0)
		err(EXIT_LOCAL, "stdout");
	if (o.dump != NULL)
		dump_latencies(o.dump, lat, r.c.answered);
	if (r.accepts != NULL && fclose(r.accepts) != 0)
		err(EXIT_LOCAL, "%s", o.accepts);
	/* Everything back, so that a sanitizer build's leak check stays quiet. */
	for (int i = 0; i < r.nfds; i++)
		close(r.fds[i]);
	free(r.fds);
	free(r.slots);
	free(r.lat);
	if (r.c.bad > 0)
		return EXIT_BADREPLY;
	return r.c.answered > 0 ? 0 : EXIT_NOREPLY;
}
