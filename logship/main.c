/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cowork-logship - ship a node's access log to the central PostgreSQL
 * database (store and forward; ship.h says how nothing is lost or doubled).
 *
 * Runs as the access log's owner (radiusd's user), never as root, like
 * every other reader of STATE/log/. The connection string comes from a
 * file that others cannot read (it may hold a password) and is never
 * printed. Without --once it ships every --interval seconds until SIGTERM,
 * reconnecting after an outage; rows wait in the local file meanwhile.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "central.h"
#include "registry.h"
#include "ship.h"

#define PURGE_EVERY_MS		(10 * 60 * 1000)
#define BACKOFF_MAX_S		60
#define REGISTRY_BUSY_MS	2000

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

typedef struct opts {
	const char	*state;
	const char	*node;
	const char	*central;
	bool		init, once;	//!< --init: create the central tables and exit
	unsigned	interval;
	unsigned	batch;
} opts_t;

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static void usage(FILE *f)
{
	fputs("usage: cowork-logship -d|--state DIR --node NAME --central FILE [--init] [--once]\n"
	      "                      [--interval SECONDS] [--batch ROWS]\n"
	      "Ship this node's access log (DIR/log/accesslog.db) to the central PostgreSQL database\n"
	      "whose libpq connection string is in FILE (not readable by others). Run as the log's\n"
	      "owner (radiusd's user). --init creates the central tables (once, as a role that may) and\n"
	      "exits; --once ships what there is and exits; otherwise every --interval seconds\n"
	      "(default 5) until SIGTERM.\n", f);
}

static void say(const char *fmt, ...) CW_PRINTF(1, 2);

static void say(const char *fmt, ...)
{
	va_list ap;

	fputs("cowork-logship: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static bool parse_uint(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || s[0] < '0' || s[0] > '9' || v < lo || v > hi) return false;
	*out = (unsigned)v;
	return true;
}

/* -1 with a usage message, 1 for --help, or 0. */
static int parse(int argc, char **argv, opts_t *o)
{
	static const struct option longopts[] = {
		{ "state", required_argument, NULL, 's' },
		{ "node", required_argument, NULL, 'n' },
		{ "central", required_argument, NULL, 'c' },
		{ "init", no_argument, NULL, 'I' },
		{ "once", no_argument, NULL, 'o' },
		{ "interval", required_argument, NULL, 'i' },
		{ "batch", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int c;

	*o = (opts_t){ .interval = 5, .batch = 1000 };
	opterr = 0;
	while ((c = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
		case 's': o->state = optarg; break;
		case 'n': o->node = optarg; break;
		case 'c': o->central = optarg; break;
		case 'I': o->init = true; break;
		case 'o': o->once = true; break;
		case 'i':
			if (!parse_uint(optarg, 1, 3600, &o->interval)) {
				say("--interval takes 1 to 3600 seconds (got \"%.20s\")", optarg);
				return -1;
			}
			break;
		case 'b':
			if (!parse_uint(optarg, 1, CW_SHIP_BATCH_MAX, &o->batch)) {
				say("--batch takes 1 to %d rows (got \"%.20s\")", CW_SHIP_BATCH_MAX, optarg);
				return -1;
			}
			break;
		case 'h': return 1;
		default:
			say("unknown or incomplete option %.40s", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc) {
		say("unexpected argument \"%.40s\"", argv[optind]);
		return -1;
	}
	if (!o->state || !o->node || !o->central) {
		say("-d (the state directory), --node and --central are required");
		return -1;
	}
	if (!cw_ship_node_valid(o->node)) {
		say("--node takes 1 to %d of A-Z a-z 0-9 . _ -, starting with a letter or digit (got \"%.70s\")",
		    CW_SHIP_NODE_MAX, o->node);
		return -1;
	}
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The retention cut-off now, from the registry. 0 or -1 (said). */
static int cutoff(const char *state, int64_t now, int64_t *out)
{
	char path[4096];
	cw_registry_t *reg;
	unsigned days;
	cw_err_t e;
	int rc;

	(void)cw_snprintf(path, sizeof(path), "%s/registry.db", state);
	if (cw_registry_open_reader(path, REGISTRY_BUSY_MS, &reg, &e) < 0) {
		say("%s", e.msg);
		return -1;
	}
	rc = cw_retention_days(reg, &days, &e);
	cw_registry_close(reg);
	if (rc < 0) {
		say("%s", e.msg);
		return -1;
	}
	*out = cw_retention_cutoff_ms(now, days);
	return 0;
}

/* One round: connect if needed, ship, purge centrally when due. 0 or -1 (said; at most every BACKOFF_MAX_S in a loop). */
static int round_once(const opts_t *o, const char *conninfo, cw_ship_t *s, int64_t *last_purge, bool verbose)
{
	int64_t now = now_ms(), cut, shipped, inserted, deleted = -1;
	cw_err_t e;

	if (cutoff(o->state, now, &cut) < 0) return -1;
	if (s->pg && PQstatus(s->pg) != CONNECTION_OK) {
		PQfinish(s->pg);
		s->pg = NULL;
	}
	if (!s->pg && cw_ship_connect(conninfo, false, &s->pg, &e) < 0) {
		say("%s", e.msg);
		return -1;
	}
	if (cw_ship_all(s, cut, now, &shipped, &inserted, &e) < 0) {
		say("%s", e.msg);
		return -1;
	}
	if (o->once || now - *last_purge >= PURGE_EVERY_MS) {
		if (cw_ship_purge_central(s->pg, cut, &deleted, &e) < 0) {
			say("%s", e.msg);
			return -1;
		}
		*last_purge = now;
	}
	if (verbose || shipped) {
		printf("node %s: shipped %lld row%s (%lld new)", s->node, (long long)shipped, shipped == 1 ? "" : "s",
		       (long long)inserted);
		if (deleted >= 0) printf("; central rows past retention deleted: %lld", (long long)deleted);
		printf("\n");
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	char conninfo[CW_CENTRAL_CONNINFO_MAX], path[4096];
	cw_ship_t s = { 0 };
	int64_t last_purge = 0;
	unsigned backoff;
	bool failing = false;
	opts_t o;
	cw_err_t e;
	int rc;

	if ((rc = parse(argc, argv, &o)) != 0) {
		usage(rc > 0 ? stdout : stderr);
		return rc > 0 ? EXIT_OK : EXIT_USAGE;
	}
	if (geteuid() == 0) {
		say("runs as the access log's owner (radiusd's user), not as root: e.g. runuser -u freerad --"
		    " cowork-logship ...");
		return EXIT_FAIL;
	}
	if (cw_central_conninfo_read(o.central, conninfo, sizeof(conninfo), &e) < 0) {
		say("--central %s", e.msg);
		return EXIT_FAIL;
	}
	if (o.init) {
		if (cw_ship_connect(conninfo, true, &s.pg, &e) < 0) {
			say("%s", e.msg);
			rc = EXIT_FAIL;
		} else {
			printf("central access log ready (schema %d)\n", CW_SHIP_CENTRAL_VERSION);
			rc = EXIT_OK;
		}
		goto done;
	}
	(void)cw_snprintf(path, sizeof(path), "%s/log/accesslog.db", o.state);
	if (cw_accesslog_open(path, false, &s.log, &e) < 0 || cw_ship_instance(s.log, s.instance, &e) < 0) {
		say("%s", e.msg);
		rc = EXIT_FAIL;
		goto done;
	}
	(void)cw_snprintf(s.node, sizeof(s.node), "%s", o.node);
	s.batch = o.batch;
	signal(SIGPIPE, SIG_IGN);
	if (o.once) {
		rc = round_once(&o, conninfo, &s, &last_purge, true) < 0 ? EXIT_FAIL : EXIT_OK;
		goto done;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	backoff = o.interval;
	while (!stopping) {
		if (round_once(&o, conninfo, &s, &last_purge, false) < 0) {
			if (!failing) say("rows wait in the local log; retrying");
			failing = true;
			backoff = backoff * 2 > BACKOFF_MAX_S ? BACKOFF_MAX_S : backoff * 2;
		} else {
			if (failing) say("shipping again");
			failing = false;
			backoff = o.interval;
		}
		for (unsigned i = 0; i < backoff * 10 && !stopping; i++) {
			struct timespec tick = { 0, 100 * 1000 * 1000 };

			nanosleep(&tick, NULL);
		}
	}
	rc = EXIT_OK;
done:
	cw_wipe(conninfo, sizeof(conninfo));
	PQfinish(s.pg);
	cw_accesslog_close(s.log);
	return rc;
}
