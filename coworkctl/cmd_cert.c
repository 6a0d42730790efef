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
#include "fileio.h"
#include "json.h"
#include "names.h"
#include "ocsp.h"
#include "rand.h"
#include "registry_admin.h"

/* 4 groups of 5 from a 31-symbol alphabet: about 99 bits. */
#define P12_PASSWORD_GROUPS 4
#define P12_PASSWORD_GROUP_LEN 5
#define P12_PASSWORD_LEN (P12_PASSWORD_GROUPS * (P12_PASSWORD_GROUP_LEN + 1))

struct outfiles {
	char	key[4096];
	char	pem[4096];
	char	p12[4096];
};

static int out_paths(const char *dir, const char *member, struct outfiles *o)
{
	struct stat st;

	if (cw_snprintf(o->key, sizeof(o->key), "%s/%s.key", dir, member) < 0 ||
	    cw_snprintf(o->pem, sizeof(o->pem), "%s/%s.pem", dir, member) < 0 ||
	    cw_snprintf(o->p12, sizeof(o->p12), "%s/%s.p12", dir, member) < 0) {
		return cli_fail("--out path is too long");
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) return cli_fail("creating %s: %s", dir, strerror(errno));
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) return cli_fail("--out %s is not a directory", dir);
	for (const char *p = o->key; p; p = p == o->key ? o->pem : p == o->pem ? o->p12 : NULL) {
		if (lstat(p, &st) == 0) return cli_fail("%s already exists: choose another --out or move it away", p);
	}
	return EXIT_OK;
}

static void remove_outputs(const struct outfiles *o)
{
	(void)unlink(o->key);
	(void)unlink(o->pem);
	(void)unlink(o->p12);
}

/* Write key, certificate and PKCS#12; all or none. */
static int write_outputs(const struct outfiles *o, const cw_issued_t *is, const unsigned char *p12, size_t p12_len)
{
	cw_err_t e;

	if (cw_file_write_new(o->key, is->key_pem, is->key_pem_len, 0600, CW_NO_GID, &e) < 0 ||
	    cw_file_write_new(o->pem, is->cert_pem, is->cert_pem_len, 0644, CW_NO_GID, &e) < 0 ||
	    cw_file_write_new(o->p12, p12, p12_len, 0600, CW_NO_GID, &e) < 0) {
		remove_outputs(o);
		return cli_fail("%s", e.msg);
	}
	return EXIT_OK;
}

static void record_from(cw_cert_record_t *rec, const char *member, const cw_cert_info_t *info, int64_t now)
{
	memset(rec, 0, sizeof(*rec));
	(void)cw_snprintf(rec->serial, sizeof(rec->serial), "%s", info->serial);
	(void)cw_snprintf(rec->member, sizeof(rec->member), "%s", member);
	(void)cw_snprintf(rec->subject, sizeof(rec->subject), "%s", info->subject);
	(void)cw_snprintf(rec->issuer, sizeof(rec->issuer), "%s", info->issuer);
	(void)cw_snprintf(rec->sha256, sizeof(rec->sha256), "%s", info->sha256);
	rec->not_before = info->not_before;
	rec->not_after = info->not_after;
	rec->issued_at = now;
}

/*
 * Record a new certificate with its pre-signed OCSP answer (certs/ocsp.h),
 * both in one transaction: a certificate without its answer would fail the
 * TLS handshake. cw_admin_cert_insert's result, or -1 with err when the
 * answer cannot be signed.
 */
static int record_issued(cw_registry_t *reg, cw_ca_t *ca, const char *member, const cw_cert_info_t *info,
			 int64_t now, cw_err_t *err)
{
	unsigned char *ocsp = NULL;
	cw_cert_record_t rec;
	size_t len = 0;
	int ins;

	if (cw_ocsp_sign_good(ca, info->serial, now, info->not_after, &ocsp, &len, err) < 0) return -1;
	record_from(&rec, member, info, now);
	rec.ocsp = ocsp;
	rec.ocsp_len = len;
	ins = cw_admin_cert_insert(reg, &rec, err);
	cw_ocsp_der_free(ocsp);
	return ins;
}

struct issue_opts {
	const char	*member;
	const char	*out;
	unsigned	days;
	bool		legacy;
	bool		json;
};

static void print_issued(const struct issue_opts *o, const struct outfiles *f, const cw_cert_info_t *info,
			 const char *password)
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
		json_kv_string(&j, "key_file", f->key);
		json_kv_string(&j, "cert_file", f->pem);
		json_kv_string(&j, "p12_file", f->p12);
		json_kv_string(&j, "p12_password", password);
		json_object_end(&j);
		json_end(&j);
		return;
	}
	printf("serial: %s\n", info->serial);
	printf("certificate for %s, valid until %s\n", o->member, cli_date(info->not_after, until));
	printf("  key          %s\n  certificate  %s\n  PKCS#12      %s\n", f->key, f->pem, f->p12);
	printf("PKCS#12 password: %s\n", password);
	printf("(shown only now: give it to the member with the .p12 file, by another channel)\n");
}

/*
 * Issue, write the files, then record the certificate: an unrecorded
 * certificate is refused by the module, so a failure after writing leaves
 * nothing usable behind. A (vanishingly rare) serial collision retries.
 */
static int issue(const cli_t *cli, cw_registry_t *reg, cw_ca_t *ca, const struct issue_opts *o, int64_t limit)
{
	struct outfiles f;
	int rc;

	if ((rc = out_paths(o->out, o->member, &f)) != EXIT_OK) return rc;
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
		    cw_password_generate(password, sizeof(password), P12_PASSWORD_GROUPS, P12_PASSWORD_GROUP_LEN,
					 &e) < 0 ||
		    cw_p12_build(&is, ca, o->member, password, o->legacy, &p12, &p12_len, &e) < 0) {
			cw_issued_clear(&is);
			free(p12);
			cw_wipe(password, sizeof(password));
			return cli_fail("%s", e.msg);
		}
		rc = write_outputs(&f, &is, p12, p12_len);
		free(p12);
		info = is.info;
		cw_issued_clear(&is);
		if (rc != EXIT_OK) {
			cw_wipe(password, sizeof(password));
			return rc;
		}
		ins = record_issued(reg, ca, o->member, &info, cli->now, &e);
		if (ins == 0) print_issued(o, &f, &info, password);
		cw_wipe(password, sizeof(password));
		if (ins == 0) return EXIT_OK;
		remove_outputs(&f);
		if (ins != CW_ADMIN_DUPLICATE) return cli_fail("%s", e.msg);
	}
	return cli_fail("three serial collisions in a row: the random number generator is broken");
}

static int cert_issue(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "days", required_argument, NULL, 'D' },
		{ "p12-legacy", no_argument, NULL, 'L' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct issue_opts o = { NULL, NULL, CW_MEMBER_DAYS_DEFAULT, false, false };
	cw_registry_t *reg = NULL;
	cw_ca_t *ca = NULL;
	cw_member_row_t m;
	int c, rc = EXIT_OK, found;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'o') o.out = optarg;
		if (c == 'D' && cli_uint(optarg, 1, CW_MEMBER_DAYS_MAX, "--days", &o.days) < 0) return EXIT_USAGE;
		if (c == 'L') o.legacy = true;
		if (c == 'j') o.json = true;
	}
	if ((rc = cli_operands(self, argc, argv, 1, 1)) != EXIT_OK) return rc;
	o.member = argv[optind];
	if (!o.out) return cli_usage(self, "--out DIR is required");
	if (cw_name_check_id(o.member, "member id", &e) < 0) return cli_usage(self, "%s", e.msg);

	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	found = cw_admin_member_get(reg, o.member, cli->now, &m, &e);
	if (found <= 0) {
		rc = found < 0 ? cli_fail("%s", e.msg) : cli_fail("unknown member %s", o.member);
		goto done;
	}
	if (m.status != CW_MEMBER_ACTIVE) {
		rc = cli_fail("member %s is %s: resume the member before issuing a certificate", o.member,
			      cw_member_status_name(m.status));
		goto done;
	}
	if ((rc = cli_load_ca(cli, &ca)) != EXIT_OK) goto done;
	rc = issue(cli, reg, ca, &o, m.valid_until);
done:
	cw_ca_free(ca);
	cw_registry_close(reg);
	return rc;
}

static int cert_revoke(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reason", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *reason = "unspecified";
	char serial[CW_SERIAL_HEX_MAX + 1], when[16];
	cw_cert_record_t rec;
	cw_registry_t *reg;
	int c, rc = EXIT_OK, done;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'r') reason = optarg;
	}
	if ((rc = cli_operands(self, argc, argv, 1, 1)) != EXIT_OK) return rc;
	if (cw_serial_normalise(argv[optind], strlen(argv[optind]), serial, &e) < 0) {
		return cli_usage(self, "%s", e.msg);
	}
	if (cw_revoke_reason_check(reason, &e) < 0) return cli_usage(self, "%s", e.msg);
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	done = cw_admin_cert_revoke(reg, serial, reason, cli->now, &rec, &e);
	cw_registry_close(reg);
	if (done < 0) return cli_fail("%s", e.msg);
	if (done == 1) {
		printf("certificate %s of %s was already revoked on %s (%s)\n", serial, rec.member,
		       cli_date(rec.revoked_at, when), rec.revoke_reason);
		return EXIT_OK;
	}
	printf("certificate %s of %s revoked (%s): rejected from its next authentication\n", serial, rec.member,
	       reason);
	return EXIT_OK;
}

static const char *cert_status(const cw_cert_record_t *r, int64_t now)
{
	if (r->revoked_at) return "revoked";
	if (now > r->not_after) return "expired";
	return "valid";
}

static void cert_json(json_t *j, const cw_cert_record_t *r, int64_t now)
{
	json_object_begin(j);
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
		printf("%-32s  %-20s  %-7s  %-10s  %s\n", "SERIAL", "MEMBER", "STATUS", "NOT AFTER", "REVOKED");
	}
	printf("%-32s  %-20s  %-7s  %-10s  %s%s%s%s\n", r->serial, r->member, cert_status(r, o->now),
	       cli_date(r->not_after, until), cli_date(r->revoked_at, revoked), r->revoked_at ? " (" : "",
	       r->revoke_reason, r->revoked_at ? ")" : "");
	return 0;
}

static int cert_list(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "member", required_argument, NULL, 'm' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *member = NULL;
	cw_registry_t *reg;
	cli_list_t out;
	bool json = false;
	int c, rc = EXIT_OK;
	cw_err_t e;

	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'm') member = optarg;
		if (c == 'j') json = true;
	}
	if ((rc = cli_operands(self, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	cli_list_begin(&out, json, cli->now);
	if (cw_admin_cert_list(reg, member, cert_row, &out, &e) < 0) rc = cli_fail("%s", e.msg);
	cli_list_end(&out, rc, "no certificates");
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
	return EXIT_OK;
}

static const cli_cmd_t cert_cmds[] = {
	{ "issue", cert_issue, "cert issue MEMBER --out DIR [--days N] [--p12-legacy] [--json]",
	  "Issue a certificate to a member: DIR/MEMBER.key (0600), DIR/MEMBER.pem and DIR/MEMBER.p12\n"
	  "(0600, with the CA certificate inside). Prints the serial and the PKCS#12 password, once.\n"
	  "The certificate ends at the earliest of --days, the end of the membership and the CA's expiry.\n\n"
	  "  --out DIR       where to write the files (created 0700 if missing; files are never overwritten)\n"
	  "  --days N        validity in days, 1-825 (default 365)\n"
	  "  --p12-legacy    3DES/SHA-1 PKCS#12 for devices that cannot read AES (macOS before 14, old Android)\n"
	  "  --json          print the result as JSON (includes the password)\n" },
	{ "revoke", cert_revoke, "cert revoke SERIAL [--reason REASON]",
	  "Revoke a certificate: the module rejects it from its next authentication, no restart needed.\n"
	  "SERIAL may be written in any case, with or without colons.\n\n"
	  "  --reason REASON  unspecified (default), key-compromise, affiliation-changed, superseded,\n"
	  "                   cessation-of-operation or privilege-withdrawn\n" },
	{ "list", cert_list, "cert list [--member MEMBER] [--json]",
	  "List certificates, newest first.\n\n  --member MEMBER   only this member's\n  --json            as JSON\n" },
	{ "show", cert_show, "cert show SERIAL [--json]", "Show one certificate.\n\n  --json   as JSON\n" },
	{ "ocsp-sign", cert_ocsp_sign, CERT_OCSP_SIGN_USAGE, CERT_OCSP_SIGN_HELP },
	{ NULL, NULL, NULL, NULL },
};

int cmd_cert(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	return cli_dispatch(cli, "cert", cert_cmds, argc - 1, argv + 1);
}
