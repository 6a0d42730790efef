/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_cert.c - coworkctl cert issue|revoke|list|show: member certificates.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ca.h"
#include "cli.h"
#include "cmd_cert_ocsp.h"
#include "commands.h"
#include "disconnect.h"
#include "fileio.h"
#include "issue.h"
#include "json.h"
#include "names.h"
#include "ocsp.h"
#include "onboard.h"
#include "rand.h"
#include "registry_admin.h"

/* The three files of a certificate, made through the checked --out directory (fileio.h). */
enum { OUT_KEY, OUT_PEM, OUT_P12, OUT_N };

static const struct {
	const char	*suffix;
	mode_t		mode;
} out_defs[OUT_N] = {
	[OUT_KEY] = { ".key", 0600 },
	[OUT_PEM] = { ".pem", 0644 },
	[OUT_P12] = { ".p12", 0600 },
};

struct outfiles {
	cw_outdir_t	dir;			//!< --out, opened once and checked
	char		name[OUT_N][NAME_MAX + 1];	//!< MEMBER.key, .pem, .p12
	char		path[OUT_N][4096];	//!< DIR/NAME as reported
	cw_out_t	out[OUT_N];		//!< open from write_outputs to commit or remove
};

#define OUTFILES_INIT { CW_OUTDIR_INIT, { "" }, { "" }, { CW_OUT_INIT, CW_OUT_INIT, CW_OUT_INIT } }

/* Open (creating it 0700 if missing) and check --out; none of the files may exist. EXIT_OK or EXIT_FAIL. */
static int out_paths(const char *dir, const char *member, struct outfiles *o)
{
	cw_err_t e;
	int exists;

	for (int i = 0; i < OUT_N; i++) {
		if (cw_snprintf(o->name[i], sizeof(o->name[i]), "%s%s", member, out_defs[i].suffix) < 0 ||
		    cw_snprintf(o->path[i], sizeof(o->path[i]), "%s/%s", dir, o->name[i]) < 0) {
			return cli_fail("--out path is too long");
		}
	}
	if (cw_outdir_open(dir, true, &o->dir, &e) < 0) return cli_fail("--out: %s", e.msg);
	for (int i = 0; i < OUT_N; i++) {
		if ((exists = cw_outdir_check_absent(&o->dir, o->name[i], &e)) < 0) return cli_fail("%s", e.msg);
		if (exists) return cli_fail("%s already exists: choose another --out or move it away", o->path[i]);
	}
	return EXIT_OK;
}

/* Remove what write_outputs made and did not commit (only our own inodes, through the directory). */
static void remove_outputs(struct outfiles *o)
{
	for (int i = 0; i < OUT_N; i++) cw_out_abort(&o->out[i]);
}

/* Write key, certificate and PKCS#12, left open for commit_outputs; all or none. */
static int write_outputs(struct outfiles *o, const cw_issued_t *is, const unsigned char *p12, size_t p12_len)
{
	const void *data[OUT_N] = { is->key_pem, is->cert_pem, p12 };
	size_t len[OUT_N] = { is->key_pem_len, is->cert_pem_len, p12_len };
	cw_err_t e;

	for (int i = 0; i < OUT_N; i++) {
		if (cw_out_create(&o->dir, o->name[i], out_defs[i].mode, &o->out[i], &e) < 0 ||
		    cw_out_write(&o->out[i], data[i], len[i], &e) < 0) {
			remove_outputs(o);
			return cli_fail("%s", e.msg);
		}
	}
	return EXIT_OK;
}

/* Sync and close every file, the onboarding ones too, once the certificate is recorded. */
static int commit_outputs(struct outfiles *o, onboard_t *ob, const char *serial)
{
	cw_err_t e;

	for (int i = 0; i < OUT_N; i++) {
		if (cw_out_commit(&o->out[i], &e) < 0) {
			remove_outputs(o);
			onboard_remove(ob);
			goto fail;
		}
	}
	if (onboard_commit(ob, &e) == 0) return EXIT_OK;
fail:
	return cli_fail("%s (certificate %s is recorded but its files are incomplete: revoke it with "
			"`coworkctl cert revoke %s` and issue again)", e.msg, serial, serial);
}

struct issue_opts {
	const char		*member;
	const char		*out;
	unsigned		days;
	bool			legacy;
	bool			json;
	const cw_cert_record_t	*old;		//!< renew: the certificate renewed; NULL for issue
	bool			revoke_old;	//!< renew: revoke it in the same transaction
	const char		*profile;	//!< --profile LIST, or NULL
	const char		*ssid;		//!< --ssid SSID, or NULL
	onboard_t		*onboard;	//!< --profile files (kinds 0: none)
};

/*
 * Record a new certificate with its pre-signed OCSP answer (lib/ca/ocsp.h),
 * both in one transaction: a certificate without its answer would fail the
 * TLS handshake. A renewal records what it replaces (and revokes it with
 * --revoke-old) in that same transaction. cw_admin_cert_insert's result, or
 * -1 with err when the answer cannot be signed.
 */
static int record_issued(cw_registry_t *reg, cw_ca_t *ca, const struct issue_opts *o, const cw_cert_info_t *info,
			 int64_t now, cw_err_t *err)
{
	unsigned char *ocsp = NULL;
	cw_cert_record_t rec;
	size_t len = 0;
	int ins;

	if (cw_ocsp_sign_good(ca, info->serial, now, info->not_after, &ocsp, &len, err) < 0) return -1;
	issue_record(&rec, o->member, info, now);
	rec.ocsp = ocsp;
	rec.ocsp_len = len;
	if (o->old) {
		(void)cw_snprintf(rec.replaces, sizeof(rec.replaces), "%s", o->old->serial);
		ins = cw_admin_cert_renew(reg, &rec, o->revoke_old, now, err);
	} else {
		ins = cw_admin_cert_insert(reg, &rec, err);
	}
	cw_ocsp_der_free(ocsp);
	return ins;
}

/* What became of the certificate a renewal replaces, as a word for --json. */
static const char *old_fate(const struct issue_opts *o)
{
	if (o->old->revoked_at) return "already-revoked";
	return o->revoke_old ? "revoked" : "valid-until-expiry";
}

/* The renewal part of cert renew --json: what it renews and that certificate's fate. */
static void print_renewed_json(json_t *j, const struct issue_opts *o, int64_t now)
{
	json_kv_string(j, "renews", o->old->serial);
	json_key(j, "old_certificate");
	json_object_begin(j);
	json_kv_string(j, "serial", o->old->serial);
	json_kv_string(j, "fate", old_fate(o));
	json_kv_time(j, "not_after", o->old->not_after);
	json_kv_time(j, "revoked_at", o->old->revoked_at ? o->old->revoked_at : o->revoke_old ? now : 0);
	json_kv_string(j, "revoke_reason", o->old->revoked_at ? o->old->revoke_reason : o->revoke_old ? "superseded" : NULL);
	json_object_end(j);
}

/* The renewal line of cert renew: what it renews and what became of that certificate. */
static void print_renewed(const struct issue_opts *o)
{
	char date[16];

	if (o->old->revoked_at) {
		printf("renews %s, which was revoked on %s (%s); %s is an active member, so the renewal was allowed\n",
		       o->old->serial, cli_date(o->old->revoked_at, date), o->old->revoke_reason, o->member);
	} else if (o->revoke_old) {
		printf("renews %s, now revoked (superseded): rejected from its next authentication\n", o->old->serial);
	} else {
		printf("renews %s, which stays valid until it expires on %s (revoke it with `coworkctl cert revoke %s`)\n",
		       o->old->serial, cli_date(o->old->not_after, date), o->old->serial);
	}
}

static void print_issued(const struct issue_opts *o, const struct outfiles *f, const cw_cert_info_t *info,
			 const char *password, int64_t now)
{
	char until[16];
	json_t j;

	if (o->json) {
		json_init(&j, stdout);
		json_object_begin(&j);
		json_kv_string(&j, "serial", info->serial);
		json_kv_string(&j, "member", o->member);
		json_kv_time(&j, "not_before", info->not_before);
		json_kv_time(&j, "not_after", info->not_after);
		json_kv_string(&j, "sha256", info->sha256);
		json_kv_string(&j, "key_file", f->path[OUT_KEY]);
		json_kv_string(&j, "cert_file", f->path[OUT_PEM]);
		json_kv_string(&j, "p12_file", f->path[OUT_P12]);
		json_kv_string(&j, "p12_password", password);
		if (o->old) print_renewed_json(&j, o, now);
		onboard_json(o->onboard, &j);
		json_object_end(&j);
		json_end(&j);
		return;
	}
	printf("serial: %s\n", info->serial);
	printf("certificate for %s, valid until %s\n", o->member, cli_date(info->not_after, until));
	if (o->old) print_renewed(o);
	printf("  key          %s\n  certificate  %s\n  PKCS#12      %s\n", f->path[OUT_KEY], f->path[OUT_PEM],
	       f->path[OUT_P12]);
	printf("PKCS#12 password: %s\n", password);
	printf("(shown only now: give it to the member with the .p12 file, by another channel)\n");
	onboard_print(o->onboard);
}

/*
 * Issue, write the files, then record the certificate: an unrecorded
 * certificate is refused by the module, so a failure after writing leaves
 * nothing usable behind. A (vanishingly rare) serial collision retries.
 */
static int issue(const cli_t *cli, cw_registry_t *reg, cw_ca_t *ca, const struct issue_opts *o, int64_t limit)
{
	struct outfiles f = OUTFILES_INIT;
	int rc;

	if ((rc = out_paths(o->out, o->member, &f)) != EXIT_OK) goto done;
	for (int attempt = 0; attempt < 3; attempt++) {
		char password[P12_PASSWORD_LEN];
		unsigned char *p12 = NULL;
		size_t p12_len = 0;
		cw_cert_info_t info;
		cw_issued_t is;
		cw_err_t e;
		int ins;

		memset(&is, 0, sizeof(is));
		if (cw_ca_issue_member(ca, o->member, o->days, limit, cli->now, &is, &e) < 0 ||
		    issue_password(password, &e) < 0 ||
		    cw_p12_build(&is, ca, o->member, password, o->legacy, &p12, &p12_len, &e) < 0) {
			cw_issued_clear(&is);
			free(p12);
			cw_wipe(password, sizeof(password));
			rc = cli_fail("%s", e.msg);
			goto done;
		}
		rc = write_outputs(&f, &is, p12, p12_len);
		if (rc == EXIT_OK && (rc = onboard_write(o->onboard, &f.dir, p12, p12_len, password)) != EXIT_OK) {
			remove_outputs(&f);
		}
		free(p12);
		info = is.info;
		cw_issued_clear(&is);
		if (rc != EXIT_OK) {
			cw_wipe(password, sizeof(password));
			goto done;
		}
		ins = record_issued(reg, ca, o, &info, cli->now, &e);
		if (ins == 0 && (rc = commit_outputs(&f, o->onboard, info.serial)) == EXIT_OK) {
			print_issued(o, &f, &info, password, cli->now);
		}
		cw_wipe(password, sizeof(password));
		if (ins == 0) goto done;
		remove_outputs(&f);
		onboard_remove(o->onboard);
		if (ins != CW_ADMIN_DUPLICATE) {
			rc = cli_fail("%s", e.msg);
			goto done;
		}
	}
	rc = cli_fail("three serial collisions in a row: the random number generator is broken");
done:
	remove_outputs(&f);	/* no-op for committed files */
	onboard_remove(o->onboard);	/* likewise */
	cw_outdir_close(&f.dir);
	return rc;
}

/*
 * The member must exist and may be given a certificate; then check what
 * the --profile files need (o->onboard, from onboard_parse), load the CA
 * and issue (cert issue and cert renew). Nothing is issued when any of it
 * is refused. Frees what onboard_prepare allocated.
 */
static int issue_checked(const cli_t *cli, const cli_cmd_t *self, cw_registry_t *reg, const struct issue_opts *o)
{
	cw_member_row_t m;
	cw_ca_t *ca = NULL;
	int found, rc;
	cw_err_t e;

	found = cw_admin_member_get(reg, o->member, cli->now, &m, &e);
	if (found < 0) {
		rc = cli_fail("%s", e.msg);
	} else if (found == 0) {
		rc = cli_fail("unknown member %s", o->member);
	} else if (cw_admin_member_may_issue(o->member, m.status, &e) < 0) {
		rc = cli_fail("%s", e.msg);
	} else if ((rc = onboard_prepare(o->onboard, cli, reg, self, o->out, o->member)) == EXIT_OK &&
		   (rc = cli_load_ca(cli, &ca)) == EXIT_OK) {
		rc = issue(cli, reg, ca, o, m.valid_until);
	}
	cw_ca_free(ca);
	onboard_free(o->onboard);
	return rc;
}

/* The options cert issue and cert renew share, with arg the option's value. 0, or -1 (printed). */
static int issue_opt(int c, const char *arg, struct issue_opts *o)
{
	if (c == 'o') o->out = arg;
	if (c == 'D' && cli_uint(arg, 1, CW_MEMBER_DAYS_MAX, "--days", &o->days) < 0) return -1;
	if (c == 'L') o->legacy = true;
	if (c == 'P') o->profile = arg;
	if (c == 'S') o->ssid = arg;
	if (c == 'j') o->json = true;
	return 0;
}

/* cert renew's own options, for disconnect_cmd_opts: those of cert issue and --revoke-old. */
static int renew_opt(int c, const char *arg, void *ctx)
{
	struct issue_opts *o = ctx;

	if (c == 'R') o->revoke_old = true;
	return issue_opt(c, arg, o) < 0 ? EXIT_USAGE : EXIT_OK;
}

#define ISSUE_OPTIONS \
	{ "out", required_argument, NULL, 'o' }, \
	{ "days", required_argument, NULL, 'D' }, \
	{ "legacy-p12", no_argument, NULL, 'L' }, \
	{ "p12-legacy", no_argument, NULL, 'L' }, /* the first spelling, kept working */ \
	{ "profile", required_argument, NULL, 'P' }, \
	{ "ssid", required_argument, NULL, 'S' }, \
	{ "json", no_argument, NULL, 'j' }, \
	{ "help", no_argument, NULL, 'h' }

static int cert_issue(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = { ISSUE_OPTIONS, { NULL, 0, NULL, 0 } };
	struct issue_opts o = { .days = CW_MEMBER_DAYS_DEFAULT };
	cw_registry_t *reg = NULL;
	onboard_t onboard;
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (issue_opt(c, optarg, &o) < 0) return EXIT_USAGE;
	}
	if ((rc = cli_operands(self, argc, argv, 1, 1)) != EXIT_OK) return rc;
	o.member = argv[optind];
	if (!o.out) return cli_usage(self, "--out DIR is required");
	if (cw_name_check_id(o.member, "member id", &e) < 0) return cli_usage(self, "%s", e.msg);
	if ((rc = onboard_parse(&onboard, o.profile, o.ssid, self)) != EXIT_OK) return rc;
	o.onboard = &onboard;

	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	rc = issue_checked(cli, self, reg, &o);
	cw_registry_close(reg);
	return rc;
}

static int cert_renew(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		ISSUE_OPTIONS,
		{ "revoke-old", no_argument, NULL, 'R' },
		DISCONNECT_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct issue_opts o = { .out = ".", .days = CW_MEMBER_DAYS_DEFAULT };
	char serial[CW_SERIAL_HEX_MAX + 1];
	disconnect_opts_t dopts;
	cw_cert_record_t old;
	cw_registry_t *reg;
	onboard_t onboard;
	int rc, found;
	cw_err_t e;

	if (disconnect_cmd_opts(self, argc, argv, opts, renew_opt, &o, &dopts, &rc) < 0) return rc;
	if (cw_serial_normalise(argv[optind], strlen(argv[optind]), serial, &e) < 0) {
		return cli_usage(self, "%s", e.msg);
	}
	if ((rc = onboard_parse(&onboard, o.profile, o.ssid, self)) != EXIT_OK) return rc;
	o.onboard = &onboard;
	if ((rc = (o.revoke_old ? cli_registry_only : cli_registry)(cli, &reg)) != EXIT_OK) return rc;
	found = cw_admin_cert_get(reg, serial, &old, &e);
	if (found <= 0) {
		rc = found < 0 ? cli_fail("%s", e.msg) : cli_fail("unknown certificate serial %s: nothing to renew", serial);
	} else {
		o.member = old.member;
		o.old = &old;
		rc = issue_checked(cli, self, reg, &o);
	}
	cw_registry_close(reg);
	/* Revoked now, committed and printed: its devices still connected (disconnect.h). */
	if (o.json) dopts.out = stderr;	/* stdout holds one JSON document */
	if (rc == EXIT_OK && o.revoke_old && !old.revoked_at) rc = disconnect_sessions(cli, NULL, serial, &dopts);
	return rc;
}

/*
 * The registry change first, committed and printed; then the live sessions
 * of the certificate are disconnected (disconnect.h), which never changes
 * the registry. Revoking an already revoked certificate disconnects again.
 */
static int cert_revoke(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		DISCONNECT_LONGOPTS,
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reason = "unspecified";
	char serial[CW_SERIAL_HEX_MAX + 1], when[16];
	disconnect_opts_t dopts;
	cw_cert_record_t rec;
	cw_registry_t *reg;
	int rc, done;
	cw_err_t e;

	if (disconnect_cmd_opts(self, argc, argv, opts, disconnect_reason_opt, &reason, &dopts, &rc) < 0) return rc;
	if (cw_serial_normalise(argv[optind], strlen(argv[optind]), serial, &e) < 0) {
		return cli_usage(self, "%s", e.msg);
	}
	if (cw_revoke_reason_check(reason, &e) < 0) return cli_usage(self, "%s", e.msg);
	if ((rc = cli_registry_only(cli, &reg)) != EXIT_OK) return rc;
	done = cw_admin_cert_revoke(reg, serial, reason, cli->now, &rec, &e);
	cw_registry_close(reg);
	if (done < 0) return cli_fail("%s", e.msg);
	if (done == 1) {
		printf("certificate %s of %s was already revoked on %s (%s)\n", serial, rec.member,
		       cli_date(rec.revoked_at, when), rec.revoke_reason);
	} else {
		printf("certificate %s of %s revoked (%s): rejected from its next authentication\n", serial,
		       rec.member, reason);
	}
	return disconnect_sessions(cli, NULL, serial, &dopts);
}

static const char *cert_status(const cw_cert_record_t *r, int64_t now)
{
	if (r->revoked_at) return "revoked";
	if (now > r->not_after) return "expired";
	if (r->pending_invite) return "uncollected";	/* an invitation's, not handed to a device yet */
	return "valid";
}

/* The members of a certificate's JSON object (cert_json and the expiring rows). */
static void cert_json_fields(json_t *j, const cw_cert_record_t *r, int64_t now)
{
	json_kv_string(j, "serial", r->serial);
	json_kv_string(j, "member", r->member);
	json_kv_string(j, "status", cert_status(r, now));
	json_kv_string(j, "subject", r->subject);
	json_kv_string(j, "issuer", r->issuer);
	json_kv_time(j, "not_before", r->not_before);
	json_kv_time(j, "not_after", r->not_after);
	json_kv_string(j, "sha256", r->sha256);
	json_kv_time(j, "issued_at", r->issued_at);
	json_kv_time(j, "revoked_at", r->revoked_at);
	json_kv_string(j, "revoke_reason", r->revoked_at ? r->revoke_reason : NULL);
	json_kv_string(j, "replaces", r->replaces[0] ? r->replaces : NULL);
}

static void cert_json(json_t *j, const cw_cert_record_t *r, int64_t now)
{
	json_object_begin(j);
	cert_json_fields(j, r, now);
	json_object_end(j);
}

static int cert_row(void *arg, const cw_cert_record_t *r)
{
	cli_list_t *o = arg;
	char until[16], revoked[16];

	if (o->json) {
		cert_json(o->json, r, o->now);
		return 0;
	}
	if (o->rows++ == 0) {
		printf("%-32s  %-20s  %-11s  %-10s  %s\n", "SERIAL", "MEMBER", "STATUS", "NOT AFTER", "REVOKED");
	}
	printf("%-32s  %-20s  %-11s  %-10s  %s%s%s%s\n", r->serial, r->member, cert_status(r, o->now),
	       cli_date(r->not_after, until), cli_date(r->revoked_at, revoked), r->revoked_at ? " (" : "",
	       r->revoke_reason, r->revoked_at ? ")" : "");
	return 0;
}

/* Whole days from now until t, rounded down (0 on the last day). */
static int64_t days_until(int64_t t, int64_t now)
{
	return t > now ? (t - now) / 86400 : 0;
}

/* What becomes of an expiring certificate, for people. */
static void expiring_fate(const cw_cert_expiring_t *r, char *buf, size_t len)
{
	char date[16];

	if (r->renewed_by[0]) {
		(void)cw_snprintf(buf, len, "renewed by %s (until %s)", r->renewed_by, cli_date(r->renewed_until, date));
	} else if (r->ends_with_membership) {
		(void)cw_snprintf(buf, len, "ends with the membership (last day %s)", r->until_date);
	} else {
		(void)cw_snprintf(buf, len, "NOT RENEWED: coworkctl cert renew %s", r->cert.serial);
	}
}

/* One row of cert list --expiring: the certificate, days left and its fate. */
static int expiring_row(void *arg, const cw_cert_expiring_t *r)
{
	cli_list_t *o = arg;
	char until[16], fate[CW_SERIAL_HEX_MAX + 64];

	if (o->json) {
		json_object_begin(o->json);
		cert_json_fields(o->json, &r->cert, o->now);
		json_kv_int(o->json, "days_left", days_until(r->cert.not_after, o->now));
		json_kv_string(o->json, "renewed_by", r->renewed_by[0] ? r->renewed_by : NULL);
		json_kv_time(o->json, "renewed_until", r->renewed_until);
		json_kv_bool(o->json, "ends_with_membership", r->ends_with_membership);
		json_kv_time(o->json, "member_until", r->member_until);
		json_kv_bool(o->json, "needs_renewal", !r->renewed_by[0] && !r->ends_with_membership);
		json_object_end(o->json);
		return 0;
	}
	if (o->rows++ == 0) {
		printf("%-32s  %-20s  %-10s  %4s  %s\n", "SERIAL", "MEMBER", "NOT AFTER", "DAYS", "FATE");
	}
	expiring_fate(r, fate, sizeof(fate));
	printf("%-32s  %-20s  %-10s  %4lld  %s\n", r->cert.serial, r->cert.member, cli_date(r->cert.not_after, until),
	       (long long)days_until(r->cert.not_after, o->now), fate);
	return 0;
}

static int cert_list(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "member", required_argument, NULL, 'm' },
		{ "expiring", required_argument, NULL, 'x' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *member = NULL;
	cw_registry_t *reg;
	cli_list_t out;
	bool json = false;
	unsigned days = 0;
	int c, rc = EXIT_OK, listed;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'm') member = optarg;
		if (c == 'x' && cli_uint(optarg, 1, CW_EXPIRING_DAYS_MAX, "--expiring", &days) < 0) return EXIT_USAGE;
		if (c == 'j') json = true;
	}
	if ((rc = cli_operands(self, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	cli_list_begin(&out, json, cli->now);
	listed = days ? cw_admin_cert_expiring(reg, member, cli->now, days, expiring_row, &out, &e)
		      : cw_admin_cert_list(reg, member, cert_row, &out, &e);
	if (listed < 0) rc = cli_fail("%s", e.msg);
	cli_list_end(&out, rc, days ? "no certificate expires in that time" : "no certificates");
	cw_registry_close(reg);
	return rc;
}

static int cert_show(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	char serial[CW_SERIAL_HEX_MAX + 1], d1[16], d2[16], d3[16];
	cw_cert_record_t r;
	cw_registry_t *reg;
	bool json;
	int rc, found;
	cw_err_t e;
	json_t j;

	if (cli_simple_opts(self, argc, argv, 1, 1, &json, &rc) < 0) return rc;
	if (cw_serial_normalise(argv[optind], strlen(argv[optind]), serial, &e) < 0) {
		return cli_usage(self, "%s", e.msg);
	}
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	found = cw_admin_cert_get(reg, serial, &r, &e);
	cw_registry_close(reg);
	if (found < 0) return cli_fail("%s", e.msg);
	if (found == 0) return cli_fail("unknown certificate serial %s", serial);
	if (json) {
		json_init(&j, stdout);
		cert_json(&j, &r, cli->now);
		json_end(&j);
		return EXIT_OK;
	}
	printf("serial      %s\nmember      %s\nstatus      %s\nsubject     %s\nissuer      %s\n", r.serial,
	       r.member, cert_status(&r, cli->now), r.subject, r.issuer);
	printf("valid       %s to %s\nsha256      %s\nissued      %s\n", cli_date(r.not_before, d1),
	       cli_date(r.not_after, d2), r.sha256, cli_date(r.issued_at, d3));
	if (r.revoked_at) printf("revoked     %s (%s)\n", cli_date(r.revoked_at, d1), r.revoke_reason);
	if (r.replaces[0]) printf("renews      %s\n", r.replaces);
	return EXIT_OK;
}

static const cli_cmd_t cert_cmds[] = {
	{ "issue", cert_issue,
	  "cert issue MEMBER --out DIR [--days N] [--legacy-p12] [--profile LIST [--ssid SSID]] [--json]",
	  "Issue a certificate to a member: DIR/MEMBER.key (0600), DIR/MEMBER.pem and DIR/MEMBER.p12\n"
	  "(0600, with the CA certificate inside). Prints the serial and the PKCS#12 password, once.\n"
	  "The certificate ends at the earliest of --days, the end of the membership and the CA's expiry.\n\n"
	  "  --out DIR       where to write the files (created 0700 if missing; files are never overwritten);\n"
	  "                  DIR must belong to root or you and not be writable by others\n"
	  "  --days N        validity in days, 1-825 (default 365)\n"
	  "  --legacy-p12    3DES/SHA-1 PKCS#12 for devices that cannot read AES (macOS before 14, old Android);\n"
	  "                  --p12-legacy is the same\n"
	  "  --profile LIST  also write device onboarding files, LIST a comma-separated subset of apple,\n"
	  "                  linux, android, windows, or all: MEMBER.mobileconfig (apple), MEMBER.nmconnection\n"
	  "                  and MEMBER.wpa_supplicant.conf (linux, both 0600: they hold the PKCS#12 password),\n"
	  "                  MEMBER.android.txt, MEMBER.wlan.xml and MEMBER.windows.txt, MEMBER-ca.crt\n"
	  "  --ssid SSID     the member SSID of the --profile files (needed when there are several)\n"
	  "  --json          print the result as JSON (includes the password)\n" },
	{ "renew", cert_renew,
	  "cert renew SERIAL [--out DIR] [--days N] [--revoke-old] [--legacy-p12] [--profile LIST [--ssid SSID]] [--json]\n"
	  "       [--no-disconnect] [--timeout S]",
	  "Issue a new key and certificate to the member who holds certificate SERIAL (an active member;\n"
	  "a revoked SERIAL may be renewed too), recorded as its renewal, into DIR/MEMBER.key, .pem\n"
	  "and .p12 like cert issue. The old certificate stays valid until it expires, unless --revoke-old.\n\n"
	  "  --out DIR       where to write the files (default: the current directory; never overwritten;\n"
	  "                  it must belong to root or you and not be writable by others)\n"
	  "  --days N        validity in days, 1-825 (default 365), never past the membership\n"
	  "  --revoke-old    revoke the old certificate (reason superseded) in the same transaction, then\n"
	  "                  send its live sessions a Disconnect-Request, as cert revoke does\n"
	  "  --legacy-p12    3DES/SHA-1 PKCS#12 (see cert issue)\n"
	  "  --profile LIST  also write device onboarding files (see cert issue)\n"
	  "  --ssid SSID     the member SSID of the --profile files (needed when there are several)\n"
	  "  --json          print the result as JSON (includes the password; the disconnect report\n"
	  "                  then goes to standard error)\n" DISCONNECT_HELP },
	{ "revoke", cert_revoke, "cert revoke SERIAL [--reason REASON] [--no-disconnect] [--timeout S]",
	  "Revoke a certificate: the module rejects it from its next authentication, no restart needed.\n"
	  "Then each live session of the certificate gets a Disconnect-Request (RFC 5176) at its access\n"
	  "point, and each answer is printed. Exit 0 when all were disconnected (or none was live), 3 when\n"
	  "one was not (the revocation stands; run the command again to retry).\n"
	  "SERIAL may be written in any case, with or without colons.\n\n"
	  "  --reason REASON   unspecified (default), key-compromise, affiliation-changed, superseded,\n"
	  "                    cessation-of-operation or privilege-withdrawn\n" DISCONNECT_HELP },
	{ "list", cert_list, "cert list [--member MEMBER] [--expiring DAYS] [--json]",
	  "List certificates, newest first.\n\n  --member MEMBER   only this member's\n"
	  "  --expiring DAYS   only those not revoked that expire within DAYS days (1-3650), soonest\n"
	  "                    first, each with its fate: renewed (by which certificate), ending with the\n"
	  "                    membership (nothing to renew), or not renewed\n"
	  "  --json            as JSON\n" },
	{ "show", cert_show, "cert show SERIAL [--json]", "Show one certificate.\n\n  --json   as JSON\n" },
	{ "ocsp-sign", cert_ocsp_sign, CERT_OCSP_SIGN_USAGE, CERT_OCSP_SIGN_HELP },
	{ NULL, NULL, NULL, NULL },
};

int cmd_cert(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_dispatch(cli, "cert", cert_cmds, argc - 1, argv + 1);
}
