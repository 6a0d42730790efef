/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_invite.c - coworkctl invite create|list|revoke|sweep|events|url:
 * invitations with which members enroll their own devices
 * (docs/enrollment.md; coworkctl enroll-broker answers the links).
 *
 * The link's token exists only on standard output, in the QR code and on
 * the --notify-cmd's standard input: the registry keeps its lookup hash,
 * and nothing is written to disk but the registry (and the QR file asked
 * for).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ca.h"
#include "cli.h"
#include "commands.h"
#include "invite.h"
#include "issue.h"
#include "names.h"
#include "notify.h"
#include "ocsp.h"
#include "qr.h"
#include "seal.h"
#include "timeutil.h"

/* Longest base URL of the links (the registry setting enroll_url). */
#define URL_MAX 200
/* URL + "/e/" + token. */
#define LINK_MAX (URL_MAX + 3 + CW_TOKEN_TEXT_LEN)

/*
 * The base of the links: https://HOST[/PATH], printable ASCII without
 * blanks, quotes, '<', '>', '\\', a query or a fragment; trailing slashes
 * are dropped. 0, or -1 with err.
 */
static int url_check(const char *in, char out[URL_MAX + 1], cw_err_t *err)
{
	size_t n = strlen(in);

	if (strncmp(in, "https://", 8) != 0 || n == 8) {
		cw_err_set(err, "the enrollment URL must start with https:// and name a host (got \"%.60s\")", in);
		return -1;
	}
	if (n > URL_MAX) {
		cw_err_set(err, "the enrollment URL is longer than %d characters", URL_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)in[i];

		if (c <= 0x20 || c >= 0x7f || strchr("\"'<>\\`?#", c)) {
			cw_err_set(err, "the enrollment URL holds a blank, a control character, a quote, '?' or '#'"
				   " (at position %zu)", i + 1);
			return -1;
		}
	}
	memcpy(out, in, n + 1);
	while (n > 8 && out[n - 1] == '/') out[--n] = '\0';
	if (out[8] == '/') {
		cw_err_set(err, "the enrollment URL names no host (got \"%.60s\")", in);
		return -1;
	}
	return 0;
}

/* The stored base URL: 1 found, 0 none, -1 error (printed). */
static int url_get(cw_registry_t *reg, char out[URL_MAX + 1])
{
	cw_err_t e;
	int rc = cw_registry_setting_get(reg, "enroll_url", out, URL_MAX + 1, &e);

	if (rc < 0) cli_err("%s", e.msg);
	return rc;
}

/* --- invite create ------------------------------------------------------------ */

struct create_opts {
	const char	*member;
	unsigned	devices;
	unsigned	hours;
	unsigned	days;
	const char	*url;		//!< --url, or NULL (the setting)
	char		url_checked[URL_MAX + 1];	//!< --url as url_check leaves it
	const char	*qr;		//!< --qr FILE.svg or "-", or NULL
	const char	*notify;
	bool		json;
};

/* What an invitation is made of before it is recorded: secrets, wiped by make_free. */
typedef struct invite_make {
	cw_token_t		token;
	char			text[CW_TOKEN_TEXT_LEN + 1];
	char			lookup[CW_TOKEN_LOOKUP_HEX];
	unsigned		n;		//!< devices made so far
	cw_cert_record_t	certs[CW_INVITE_DEVICES_MAX];	//!< with their OCSP answers
	unsigned char		*ocsp[CW_INVITE_DEVICES_MAX];
	char			password[CW_INVITE_DEVICES_MAX][P12_PASSWORD_LEN];
	unsigned char		*p12[CW_INVITE_DEVICES_MAX];
	size_t			p12_len[CW_INVITE_DEVICES_MAX];
} invite_make_t;

/* Free the devices made (keeping the struct for another attempt). */
static void make_clear(invite_make_t *m)
{
	for (unsigned i = 0; i < m->n; i++) {
		cw_secret_free(m->p12[i], m->p12_len[i]);
		cw_ocsp_der_free(m->ocsp[i]);
	}
	cw_wipe(m, sizeof(*m));
}

/*
 * Issue device i: a key and certificate (as cert issue does, within the
 * membership), its OCSP answer, and its PKCS#12 under a new password.
 *
 * The PKCS#12 is the legacy kind (PBE-SHA1-3DES, SHA-1 MAC), as
 * geteduroam's letswifi makes it "for maximum compatibility": it is handed
 * to whatever device collects it, through any of the platforms' profiles,
 * and every importer reads it (Apple's before macOS 14 and iOS 17, older
 * Android keystores, Windows, OpenSSL 3's default provider), while AES
 * PBES2 is refused by some. Its weak key derivation costs nothing here:
 * the password is ~99 random bits, and the file is sealed (AES-256-GCM
 * under the token) at rest and travels only inside TLS.
 */
static int make_device(const cli_t *cli, cw_ca_t *ca, const struct create_opts *o, int64_t limit, invite_make_t *m,
		       cw_err_t *err)
{
	unsigned i = m->n;
	size_t ocsp_len = 0;
	cw_issued_t is;
	int rc = -1;

	memset(&is, 0, sizeof(is));
	if (cw_ca_issue_member(ca, o->member, o->days, limit, cli->now, &is, err) < 0 ||
	    issue_password(m->password[i], err) < 0) goto done;
	m->n++;	/* from here make_clear frees what it holds */
	if (cw_p12_build(&is, ca, o->member, m->password[i], true, &m->p12[i], &m->p12_len[i], err) < 0 ||
	    cw_ocsp_sign_good(ca, is.info.serial, cli->now, is.info.not_after, &m->ocsp[i], &ocsp_len, err) < 0) goto done;
	issue_record(&m->certs[i], o->member, &is.info, cli->now);
	m->certs[i].ocsp = m->ocsp[i];
	m->certs[i].ocsp_len = ocsp_len;
	rc = 0;
done:
	cw_issued_clear(&is);
	return rc;
}

/* cw_invite_seal_fn: seal slot's device under the token, once the invitation's id is known. */
static int seal_device(void *arg, int64_t invite_id, unsigned slot, uint8_t **out, size_t *out_len, cw_err_t *err)
{
	invite_make_t *m = arg;

	return cw_seal(&m->token, invite_id, slot, m->password[slot - 1], m->p12[slot - 1], m->p12_len[slot - 1], out,
		       out_len, err);
}

/*
 * Make the devices and a token, and record the invitation; a (vanishingly
 * rare) serial collision makes everything again. 0 with *id, or -1 (printed).
 */
static int make_and_record(const cli_t *cli, cw_registry_t *reg, cw_ca_t *ca, const struct create_opts *o, int64_t limit,
			   invite_make_t *m, int64_t *id)
{
	cw_err_t e;

	for (int attempt = 0; attempt < 3; attempt++) {
		cw_invite_new_t in;
		int rc = 0;

		make_clear(m);
		while (rc == 0 && m->n < o->devices) rc = make_device(cli, ca, o, limit, m, &e);
		if (rc < 0 || cw_token_new(&m->token, m->text, &e) < 0 || cw_token_lookup(&m->token, m->lookup, &e) < 0) {
			cli_err("%s", e.msg);
			return -1;
		}
		in = (cw_invite_new_t){ o->member, m->lookup, o->devices, cli->now, cli->now + (int64_t)o->hours * 3600,
					m->certs, seal_device, m };
		rc = cw_invite_create(reg, &in, id, &e);
		if (rc == 0) return 0;
		if (rc != CW_ADMIN_DUPLICATE) {
			cli_err("%s", e.msg);
			return -1;
		}
	}
	cli_err("three serial collisions in a row: the random number generator is broken");
	return -1;
}

static void print_created(const struct create_opts *o, const invite_make_t *m, int64_t id, int64_t expires,
			  const char *link)
{
	char until[32];
	json_t j;

	if (!o->json) {
		printf("invitation %lld for %s: %u device%s, until %s\n", (long long)id, o->member, o->devices,
		       o->devices == 1 ? "" : "s", cli_when(expires, until));
		printf("url: %s\n", link);
		printf("(shown only now, the registry keeps no copy: give it to %s by a channel only they read;\n"
		       " whoever holds it can collect the devices until it expires or `coworkctl invite revoke %lld`)\n",
		       o->member, (long long)id);
		return;
	}
	json_init(&j, stdout);
	json_object_begin(&j);
	json_kv_int(&j, "id", id);
	json_kv_string(&j, "member", o->member);
	json_kv_int(&j, "devices", o->devices);
	json_kv_time(&j, "expires_at", expires);
	json_kv_string(&j, "url", link);
	json_key(&j, "certificates");
	json_array_begin(&j);
	for (unsigned i = 0; i < m->n; i++) json_string(&j, m->certs[i].serial);
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
}

/* The link to the operator's command: the link on standard input, the facts in its environment. */
static int notify_created(const struct create_opts *o, int64_t id, int64_t expires, const char *link)
{
	char member[96], invite[48], devices[48], until[CW_RFC3339_MS_LEN], until_env[64];
	const char *env[] = { member, invite, devices, until_env, NULL };
	cw_err_t e;

	if (cw_time_format_rfc3339(expires, until) < 0) until[0] = '\0';
	(void)cw_snprintf(member, sizeof(member), "COWORK_MEMBER=%s", o->member);
	(void)cw_snprintf(invite, sizeof(invite), "COWORK_INVITE_ID=%lld", (long long)id);
	(void)cw_snprintf(devices, sizeof(devices), "COWORK_INVITE_DEVICES=%u", o->devices);
	(void)cw_snprintf(until_env, sizeof(until_env), "COWORK_INVITE_EXPIRES=%s", until);
	if (notify_run_env(o->notify, link, env, &e) == 0) return EXIT_OK;
	cli_err("invitation %lld was created, but %s", (long long)id, e.msg);
	return EXIT_ATTENTION;
}

/* After the invitation is recorded: print it, its QR code, the notification. The exit code. */
static int deliver(const struct create_opts *o, const invite_make_t *m, int64_t id, int64_t expires, const char *url,
		   cw_out_t *qr_out)
{
	char link[LINK_MAX + 1];
	int rc = EXIT_OK;
	cw_err_t e;

	(void)cw_snprintf(link, sizeof(link), "%s/e/%s", url, m->text);
	print_created(o, m, id, expires, link);
	fflush(stdout);
	if (o->qr && strcmp(o->qr, "-") == 0 && qr_write_terminal(stdout, link, &e) < 0) {
		rc = EXIT_ATTENTION;
		cli_err("invitation %lld was created, but its QR code could not be drawn: %s", (long long)id, e.msg);
	} else if (o->qr && strcmp(o->qr, "-") != 0 && qr_write_svg_out(qr_out, link, &e) < 0) {
		rc = EXIT_ATTENTION;
		cli_err("invitation %lld was created, but --qr: %s", (long long)id, e.msg);
	}
	if (o->notify && notify_created(o, id, expires, link) != EXIT_OK) rc = EXIT_ATTENTION;
	cw_wipe(link, sizeof(link));
	return rc;
}

/* The member may be given certificates now; the limit of their validity into *limit. EXIT_OK or EXIT_FAIL. */
static int member_check(const cli_t *cli, cw_registry_t *reg, const char *member, int64_t *limit)
{
	cw_member_row_t row;
	cw_err_t e;
	int found = cw_admin_member_get(reg, member, cli->now, &row, &e);

	if (found < 0) return cli_fail("%s", e.msg);
	if (found == 0) return cli_fail("unknown member %s", member);
	if (cw_admin_member_may_issue(member, row.status, &e) < 0) return cli_fail("%s", e.msg);
	*limit = row.valid_until;
	return EXIT_OK;
}

/* Everything checked with the registry open: the URL, the member, the QR file. Then make the invitation. */
static int create(const cli_t *cli, cw_registry_t *reg, const struct create_opts *o)
{
	char url[URL_MAX + 1];
	cw_out_t qr_out = CW_OUT_INIT;
	invite_make_t *m = NULL;
	cw_ca_t *ca = NULL;
	int64_t limit = 0, id = 0;
	int rc;
	cw_err_t e;

	if (o->url) {
		memcpy(url, o->url_checked, sizeof(url));
	} else if ((rc = url_get(reg, url)) <= 0) {
		return rc < 0 ? EXIT_FAIL : cli_fail("no enrollment URL: give --url, or set it once with"
						     " `coworkctl invite url https://HOST`");
	}
	if ((rc = member_check(cli, reg, o->member, &limit)) != EXIT_OK) return rc;
	/* An existing file refuses the QR code before anything is issued. */
	if (o->qr && strcmp(o->qr, "-") != 0 && cw_out_open(o->qr, 0600, &qr_out, &e) < 0) return cli_fail("--qr: %s", e.msg);
	if ((rc = cli_load_ca(cli, &ca)) == EXIT_OK && !(m = calloc(1, sizeof(*m)))) rc = cli_fail("out of memory");
	if (rc == EXIT_OK && make_and_record(cli, reg, ca, o, limit, m, &id) < 0) rc = EXIT_FAIL;
	cw_ca_free(ca);
	if (rc == EXIT_OK) rc = deliver(o, m, id, cli->now + (int64_t)o->hours * 3600, url, &qr_out);
	cw_out_abort(&qr_out);	/* no-op once committed */
	if (m) {
		make_clear(m);
		free(m);
	}
	return rc;
}

static int invite_create(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "devices", required_argument, NULL, 'n' },
		{ "hours", required_argument, NULL, 'H' },
		{ "days", required_argument, NULL, 'D' },
		{ "url", required_argument, NULL, 'u' },
		{ "qr", required_argument, NULL, 'q' },
		{ "notify-cmd", required_argument, NULL, 'N' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct create_opts o = { NULL, CW_INVITE_DEVICES_DEFAULT, CW_INVITE_HOURS_DEFAULT, CW_MEMBER_DAYS_DEFAULT,
				 NULL, "", NULL, NULL, false };
	cw_registry_t *reg;
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if ((c == 'n' && cli_uint(optarg, CW_INVITE_DEVICES_MIN, CW_INVITE_DEVICES_MAX, "--devices", &o.devices) < 0) ||
		    (c == 'H' && cli_uint(optarg, CW_INVITE_HOURS_MIN, CW_INVITE_HOURS_MAX, "--hours", &o.hours) < 0) ||
		    (c == 'D' && cli_uint(optarg, 1, CW_MEMBER_DAYS_MAX, "--days", &o.days) < 0)) return EXIT_USAGE;
		if (c == 'u') o.url = optarg;
		if (c == 'q') o.qr = optarg;
		if (c == 'N') o.notify = optarg;
		if (c == 'j') o.json = true;
	}
	if ((rc = cli_operands(self, argc, argv, 1, 1)) != EXIT_OK) return rc;
	o.member = argv[optind];
	if (cw_name_check_id(o.member, "member id", &e) < 0) return cli_usage(self, "%s", e.msg);
	if (o.url && url_check(o.url, o.url_checked, &e) < 0) return cli_usage(self, "--url: %s", e.msg);
	if (o.qr && !*o.qr) return cli_usage(self, "--qr needs a file name or -");
	if (o.qr && o.json && strcmp(o.qr, "-") == 0) return cli_usage(self, "--qr - and --json do not go together");
	if (o.notify && !*o.notify) return cli_usage(self, "--notify-cmd needs a command");
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	rc = create(cli, reg, &o);
	cw_registry_close(reg);
	return rc;
}

/* --- invite list --------------------------------------------------------------- */

static int invite_row(void *arg, const cw_invite_row_t *r)
{
	cli_list_t *o = arg;
	char created[32], expires[32], used[16];

	if (o->json) {
		json_object_begin(o->json);
		json_kv_int(o->json, "id", r->id);
		json_kv_string(o->json, "member", r->member);
		json_kv_int(o->json, "devices", r->devices);
		json_kv_int(o->json, "collected", r->collected);
		json_kv_time(o->json, "created_at", r->created_at);
		json_kv_time(o->json, "expires_at", r->expires_at);
		json_kv_time(o->json, "revoked_at", r->revoked_at);
		json_kv_time(o->json, "ended_at", r->ended_at);
		json_kv_string(o->json, "state", cw_invite_state_name(r->state));
		json_object_end(o->json);
		return 0;
	}
	if (o->rows++ == 0) {
		printf("%-5s  %-20s  %-7s  %-16s  %-16s  %s\n", "ID", "MEMBER", "DEVICES", "CREATED", "EXPIRES", "STATE");
	}
	(void)cw_snprintf(used, sizeof(used), "%u/%u", r->collected, r->devices);
	printf("%-5lld  %-20s  %-7s  %-16s  %-16s  %s\n", (long long)r->id, r->member, used,
	       cli_when(r->created_at, created), cli_when(r->expires_at, expires), cw_invite_state_name(r->state));
	return 0;
}

static int list_rows(cw_registry_t *reg, cli_list_t *out, cw_err_t *err)
{
	return cw_invite_list(reg, out->now, invite_row, out, err);
}

static int invite_list(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_registry_list(cli, self, argc, argv, list_rows, "no invitations");
}

/* --- invite revoke, sweep -------------------------------------------------------- */

static int invite_revoke(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	cw_invite_row_t row;
	cw_registry_t *reg;
	unsigned id, certs = 0;
	char when[32];
	int rc, done;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 1, 1, NULL, &rc) < 0) return rc;
	if (cli_uint(argv[optind], 1, 0x7fffffff, "the invitation id", &id) < 0) return EXIT_USAGE;
	if ((rc = cli_registry_only(cli, &reg)) != EXIT_OK) return rc;
	done = cw_invite_revoke(reg, id, cli->now, &row, &certs, &e);
	cw_registry_close(reg);
	if (done < 0) return cli_fail("%s", e.msg);
	if (done == 1 && row.revoked_at) {
		printf("invitation %u of %s was already revoked on %s\n", id, row.member, cli_when(row.revoked_at, when));
	} else if (done == 1) {
		printf("invitation %u of %s had already ended on %s (its uncollected certificates revoked then)\n", id,
		       row.member, cli_when(row.ended_at, when));
	} else {
		printf("invitation %u of %s revoked: its link is refused from now on; %u uncollected certificate%s revoked"
		       " (cessation-of-operation), %u collected kept\n", id, row.member, certs, certs == 1 ? "" : "s",
		       row.collected);
	}
	return EXIT_OK;
}

static int invite_sweep(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	cw_registry_t *reg;
	unsigned ended, certs;
	int rc, done;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 0, 0, NULL, &rc) < 0) return rc;
	if ((rc = cli_registry_only(cli, &reg)) != EXIT_OK) return rc;
	done = cw_invite_sweep(reg, cli->now, &ended, &certs, &e);
	cw_registry_close(reg);
	if (done < 0) return cli_fail("%s", e.msg);
	if (ended == 0) printf("no invitation to end\n");
	else printf("%u invitation%s ended (expired, or the member removed): %u uncollected certificate%s revoked\n", ended,
		    ended == 1 ? "" : "s", certs, certs == 1 ? "" : "s");
	return EXIT_OK;
}

/* --- invite events ------------------------------------------------------------- */

static int event_row(void *arg, const cw_invite_event_t *ev)
{
	cli_list_t *o = arg;
	char at[32], invite[24];

	if (o->json) {
		json_object_begin(o->json);
		json_kv_time(o->json, "at", ev->at);
		if (ev->invite_id) json_kv_int(o->json, "invite", ev->invite_id);
		else json_kv_string(o->json, "invite", NULL);
		json_kv_string(o->json, "member", ev->member[0] ? ev->member : NULL);
		json_kv_string(o->json, "event", ev->event);
		json_kv_string(o->json, "reason", ev->reason[0] ? ev->reason : NULL);
		json_kv_string(o->json, "serial", ev->serial[0] ? ev->serial : NULL);
		json_kv_string(o->json, "platform", ev->platform[0] ? ev->platform : NULL);
		json_kv_string(o->json, "client", ev->client[0] ? ev->client : NULL);
		json_object_end(o->json);
		return 0;
	}
	if (o->rows++ == 0) {
		printf("%-16s  %-6s  %-20s  %-12s  %-18s  %-8s  %-15s  %s\n", "AT", "INVITE", "MEMBER", "EVENT", "REASON",
		       "PLATFORM", "CLIENT", "SERIAL");
	}
	(void)cw_snprintf(invite, sizeof(invite), "%lld", (long long)ev->invite_id);
	printf("%-16s  %-6s  %-20s  %-12s  %-18s  %-8s  %-15s  %s\n", cli_when(ev->at, at), ev->invite_id ? invite : "-",
	       ev->member[0] ? ev->member : "-", ev->event, ev->reason[0] ? ev->reason : "-",
	       ev->platform[0] ? ev->platform : "-", ev->client[0] ? ev->client : "-", ev->serial[0] ? ev->serial : "-");
	return 0;
}

static int invite_events(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	cw_registry_t *reg;
	cli_list_t out;
	unsigned id = 0;
	bool json;
	int rc;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 0, 1, &json, &rc) < 0) return rc;
	if (optind < argc && cli_uint(argv[optind], 1, 0x7fffffff, "the invitation id", &id) < 0) return EXIT_USAGE;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	cli_list_begin(&out, json, cli->now);
	if (cw_invite_events(reg, id, event_row, &out, &e) < 0) rc = cli_fail("%s", e.msg);
	cli_list_end(&out, rc, "no events");
	cw_registry_close(reg);
	return rc;
}

/* --- invite url ---------------------------------------------------------------- */

static int invite_url(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	char url[URL_MAX + 1];
	cw_registry_t *reg;
	int rc, found;
	cw_err_t e;

	if (cli_simple_opts(self, argc, argv, 0, 1, NULL, &rc) < 0) return rc;
	if (optind < argc && url_check(argv[optind], url, &e) < 0) return cli_usage(self, "%s", e.msg);
	if ((rc = cli_registry_only(cli, &reg)) != EXIT_OK) return rc;
	if (optind < argc) {
		found = cw_registry_setting_set(reg, "enroll_url", url, &e) < 0 ? -1 : 1;
		if (found < 0) cli_err("%s", e.msg);
	} else {
		found = url_get(reg, url);
	}
	cw_registry_close(reg);
	if (found < 0) return EXIT_FAIL;
	if (found == 0) return cli_fail("no enrollment URL is set: set it with `coworkctl invite url https://HOST`");
	printf("invitation links: %s/e/<token>\n", url);
	return EXIT_OK;
}

static const cli_cmd_t invite_cmds[] = {
	{ "create", invite_create,
	  "invite create MEMBER [--devices N] [--hours H] [--days D] [--url URL] [--qr FILE.svg|-]\n"
	  "       [--notify-cmd CMD] [--json]",
	  "Invite an active member to enroll their own devices: issue N member certificates now (a key\n"
	  "each, as cert issue does), each waiting in the registry, refused by radiusd (uncollected)\n"
	  "until a device collects it through the link, its PKCS#12 sealed under the link's token.\n"
	  "Prints the link once (url: URL/e/TOKEN); the registry keeps no copy of the token.\n\n"
	  "  --devices N       devices the link can collect, 1-20 (default 3)\n"
	  "  --hours H         how long the link works, 1-720 hours (default 72); then its\n"
	  "                    uncollected certificates are revoked (enroll-broker, invite sweep)\n"
	  "  --days D          validity of the certificates in days, 1-825 (default 365), never past\n"
	  "                    the membership\n"
	  "  --url URL         the enrollment service's address, https://HOST[/PATH] (default: the one\n"
	  "                    set with invite url)\n"
	  "  --qr FILE.svg     also write the link as a QR code into a new file (0600); - draws it on\n"
	  "                    the terminal\n"
	  "  --notify-cmd CMD  run CMD (with /bin/sh), the link on its standard input, COWORK_MEMBER,\n"
	  "                    COWORK_INVITE_ID, COWORK_INVITE_DEVICES and COWORK_INVITE_EXPIRES in its\n"
	  "                    environment; a failure is reported (exit 3) and keeps the invitation\n"
	  "  --json            print the result as JSON (with the link)\n" },
	{ "list", invite_list, "invite list [--json]",
	  "List invitations: member, devices collected of all, when made, until when, and state (active,\n"
	  "ended: expired or its member removed, revoked).\n\n  --json   as JSON\n" },
	{ "revoke", invite_revoke, "invite revoke ID",
	  "Revoke an invitation: its link is refused from now on, its uncollected certificates are\n"
	  "revoked (cessation-of-operation) and their sealed PKCS#12 deleted. Devices already collected\n"
	  "keep their certificates (cert revoke them one by one).\n" },
	{ "sweep", invite_sweep, "invite sweep",
	  "End every invitation past its expiry or whose member was removed, as invite revoke does (for\n"
	  "the daily cron; the enroll-broker also ends an expired invitation when its link is used).\n" },
	{ "events", invite_events, "invite events [ID] [--json]",
	  "The invitations' audit, oldest first: creations, pages opened, devices collected, lost\n"
	  "devices, revocations, ends, and every refusal with its reason and the client's address.\n\n"
	  "  ID       only this invitation's\n  --json   as JSON\n" },
	{ "url", invite_url, "invite url [URL]",
	  "Show, or set, the enrollment service's address that links start with (registry setting\n"
	  "enroll_url): https://HOST[/PATH], without a query; invite create --url overrides it.\n" },
	{ NULL, NULL, NULL, NULL },
};

int cmd_invite(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_dispatch(cli, "invite", invite_cmds, argc - 1, argv + 1);
}
