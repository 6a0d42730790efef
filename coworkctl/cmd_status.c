/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_status.c - coworkctl status: what needs the admin's attention.
 *
 * Exit 0 when all is well, 3 (EXIT_ATTENTION) when something needs action
 * (for cron or monitoring), 1 when the state cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "clock.h"
#include "commands.h"
#include "json.h"
#include "registry_admin.h"
#include "site.h"
#include "registry_ocsp.h"
#include "timeutil.h"

#define EXPIRY_NOTICE_DAYS	30
#define ATTENTION_MAX		32
#define CERTS_SHOWN		5	//!< expiring certificates to renew named one by one; the rest counted

typedef struct status {
	const cli_t	*cli;
	cw_registry_t	*reg;
	json_t		*json;			//!< NULL: text
	json_t		doc;
	int		n_attention;
	char		attention[ATTENTION_MAX][320];	//!< room for two serials and a 64-character member id
	int		n_expiring;
	int		n_to_renew;		//!< expiring, neither renewed nor ending with the membership
	int		n_renewed;		//!< expiring, but renewed
	int		n_with_membership;	//!< expiring with the membership: nothing to renew
} status_t;

static void attention(status_t *s, const char *fmt, ...) CW_PRINTF(2, 3);

static void attention(status_t *s, const char *fmt, ...)
{
	va_list ap;

	if (s->n_attention == ATTENTION_MAX) return;
	va_start(ap, fmt);
	(void)vsnprintf(s->attention[s->n_attention++], sizeof(s->attention[0]), fmt, ap);
	va_end(ap);
}

static int64_t days_left(int64_t until, int64_t now)
{
	return until > now ? (until - now) / 86400 : -((now - until + 86399) / 86400);
}

static void show_clock(status_t *s)
{
	char text[96];
	cw_clock_t c;

	cw_clock_read(0, &c);
	if (cw_clock_describe(&c, text, sizeof(text)) < 0) strcpy(text, "?");
	if (!c.synced) attention(s, "the system clock is %s: check NTP", text);
	if (s->json) {
		json_key(s->json, "clock");
		json_object_begin(s->json);
		json_kv_bool(s->json, "synced", c.synced);
		json_key(s->json, "error_us");
		if (c.error_us >= 0) json_int(s->json, c.error_us);
		else json_null(s->json);
		json_object_end(s->json);
		return;
	}
	printf("clock          %s\n", text);
}

/* One guest passphrase to keep rotated: an SSID (site NULL), or an SSID at a site. */
static int guest_ssid(void *arg, const char *site, const char *ssid)
{
	status_t *s = arg;
	cw_psk_row_t rows[CW_PSK_SERVED_MAX];
	int64_t warn, last, now = s->cli->now;
	char until[16], served[16], at[CW_SITE_NAME_MAX + 16] = "", flag[CW_SITE_NAME_MAX + 16] = "";
	size_t n;
	cw_err_t e;

	if (site) {
		(void)cw_snprintf(at, sizeof(at), " at site %s", site);
		(void)cw_snprintf(flag, sizeof(flag), " --site '%s'", site);
	}
	if (cw_registry_site_guest_psks(s->reg, site, ssid, now, rows, &n, &warn, &last, &e) < 0) {
		attention(s, "guest SSID \"%s\"%s: %s", ssid, at, e.msg);
		return 0;
	}
	cw_wipe(rows[0].passphrase, sizeof(rows[0].passphrase));
	cw_wipe(rows[1].passphrase, sizeof(rows[1].passphrase));
	if (n == 0) {
		attention(s, "guest SSID \"%s\"%s has no valid passphrase: run coworkctl psk rotate --ssid '%s'%s", ssid, at,
			  ssid, flag);
	} else if (rows[0].valid_until <= now) {
		attention(s, "guest SSID \"%s\"%s: rotation overdue, the passphrase stops being served on %s", ssid, at,
			  cli_date(rows[0].grace_until, served));
	}
	if (s->json) {
		json_object_begin(s->json);
		if (site) json_kv_string(s->json, "site", site);
		json_kv_string(s->json, "ssid", ssid);
		json_kv_bool(s->json, "valid", n > 0);
		json_kv_time(s->json, "valid_until", n ? rows[0].valid_until : 0);
		json_kv_time(s->json, "served_until", n ? rows[0].grace_until : 0);
		json_key(s->json, "days_left");
		if (n) json_int(s->json, days_left(rows[0].grace_until, now));
		else json_null(s->json);
		json_object_end(s->json);
		return 0;
	}
	if (n == 0) printf("guest SSID     %s%s: NO VALID PASSPHRASE\n", ssid, at);
	else printf("guest SSID     %s%s: passphrase valid until %s, served until %s (%lld days left)\n", ssid, at,
		    cli_date(rows[0].valid_until, until), cli_date(rows[0].grace_until, served),
		    (long long)days_left(rows[0].grace_until, now));
	return 0;
}

static void show_guest(status_t *s)
{
	cw_err_t e;

	if (s->json) {
		json_key(s->json, "guest_ssids");
		json_array_begin(s->json);
	}
	if (cw_admin_guest_offers(s->reg, guest_ssid, s, &e) < 0) attention(s, "%s", e.msg);
	if (s->json) json_array_end(s->json);
}

/* The CA's or the server certificate's expiry from the registry's settings. */
static void show_expiry(status_t *s, const char *setting, const char *what, const char *json_key_name)
{
	char buf[32], date[16];
	int64_t t = 0;
	cw_err_t e;

	if (cw_registry_setting_get(s->reg, setting, buf, sizeof(buf), &e) == 1) t = strtoll(buf, NULL, 10);
	if (t == 0) attention(s, "the registry does not record the %s's expiry", what);
	else if (days_left(t, s->cli->now) < EXPIRY_NOTICE_DAYS) {
		attention(s, "the %s expires on %s: renew it", what, cli_date(t, date));
	}
	if (s->json) {
		json_kv_time(s->json, json_key_name, t);
		return;
	}
	printf("%-14s expires %s (%lld days)\n", what, cli_date(t, date), (long long)days_left(t, s->cli->now));
}

/* Count an expiring certificate in its class; 1 when it needs renewing. */
static int classify_expiring(status_t *s, const cw_cert_expiring_t *r)
{
	s->n_expiring++;
	if (r->renewed_by[0]) {
		s->n_renewed++;
		return 0;
	}
	if (r->ends_with_membership) {
		s->n_with_membership++;
		return 0;
	}
	s->n_to_renew++;
	return 1;
}

static void expiring_json(status_t *s, const cw_cert_expiring_t *r, bool to_renew)
{
	json_object_begin(s->json);
	json_kv_string(s->json, "serial", r->cert.serial);
	json_kv_string(s->json, "member", r->cert.member);
	json_kv_string(s->json, "member_status", cw_member_status_name(r->member_status));
	json_kv_time(s->json, "not_after", r->cert.not_after);
	json_kv_int(s->json, "days_left", days_left(r->cert.not_after, s->cli->now));
	json_kv_string(s->json, "renewed_by", r->renewed_by[0] ? r->renewed_by : NULL);
	json_kv_bool(s->json, "ends_with_membership", r->ends_with_membership);
	json_kv_bool(s->json, "needs_renewal", to_renew);
	json_object_end(s->json);
}

static int expiring_cert(void *arg, const cw_cert_expiring_t *r)
{
	status_t *s = arg;
	bool to_renew = classify_expiring(s, r);
	char date[16];

	if (s->json) expiring_json(s, r, to_renew);
	if (!to_renew || s->n_to_renew > CERTS_SHOWN) return 0;
	attention(s, "certificate %s of %s expires on %s and is not renewed%s: run coworkctl cert renew %s",
		  r->cert.serial, r->cert.member, cli_date(r->cert.not_after, date),
		  r->member_status == CW_MEMBER_ACTIVE ? "" : " (member suspended: resume first)", r->cert.serial);
	if (!s->json) {
		printf("               to renew: %s %s expires %s (%lld days)\n", r->cert.member, r->cert.serial, date,
		       (long long)days_left(r->cert.not_after, s->cli->now));
	}
	return 0;
}

static void certs_summary(status_t *s)
{
	int more = s->n_to_renew - CERTS_SHOWN;

	if (more > 0) {
		attention(s, "%d more certificate%s within %d days without renewal: see coworkctl cert list --expiring %d",
			  more, more == 1 ? " expires" : "s expire", EXPIRY_NOTICE_DAYS, EXPIRY_NOTICE_DAYS);
	}
	if (s->json) {
		json_key(s->json, "certificate_expiry");
		json_object_begin(s->json);
		json_kv_int(s->json, "window_days", EXPIRY_NOTICE_DAYS);
		json_kv_int(s->json, "expiring", s->n_expiring);
		json_kv_int(s->json, "to_renew", s->n_to_renew);
		json_kv_int(s->json, "renewed", s->n_renewed);
		json_kv_int(s->json, "ending_with_membership", s->n_with_membership);
		json_object_end(s->json);
		return;
	}
	if (more > 0) printf("               ... and %d more to renew (coworkctl cert list --expiring %d)\n", more,
			     EXPIRY_NOTICE_DAYS);
	printf("               %d expiring: %d to renew, %d renewed, %d ending with their membership\n", s->n_expiring,
	       s->n_to_renew, s->n_renewed, s->n_with_membership);
}

static void show_certs(status_t *s)
{
	cw_err_t e;

	if (s->json) {
		json_key(s->json, "expiring_certificates");
		json_array_begin(s->json);
	} else {
		printf("certificates   expiring within %d days:\n", EXPIRY_NOTICE_DAYS);
	}
	if (cw_admin_cert_expiring(s->reg, NULL, s->cli->now, EXPIRY_NOTICE_DAYS, expiring_cert, s, &e) < 0) {
		attention(s, "%s", e.msg);
	}
	if (s->json) json_array_end(s->json);
	certs_summary(s);
}

/*
 * Certificates without a pre-signed OCSP answer (issued by a version
 * before them): refused in the TLS handshake by the OCSP alternative; the
 * shipped check (eap_module) does not use the answers.
 */
static void show_ocsp(status_t *s)
{
	int64_t missing = 0;
	cw_err_t e;

	if (cw_registry_ocsp_missing(s->reg, s->cli->now, &missing, &e) < 0) attention(s, "%s", e.msg);
	else if (missing > 0) {
		attention(s, "%lld certificate%s no OCSP answer: with the OCSP alternative (ocsp_port) %s refused in the"
			  " TLS handshake; run coworkctl cert ocsp-sign", (long long)missing, missing == 1 ? " has" : "s have",
			  missing == 1 ? "it is" : "they are");
	}
	if (s->json) {
		json_kv_int(s->json, "certificates_without_ocsp_answer", missing);
		return;
	}
	printf("OCSP answers   %s\n", missing ? "MISSING for some certificates (see below)" : "every certificate has one");
}

/* What the log worker tells of the access log. */
struct log_stats {
	int64_t	rows;
	int64_t	oldest;
	char	error[512];	//!< "" when the numbers are good
};

/* In the log worker: the numbers, or why there are none (sent either way). */
static int log_stats_job(cw_accesslog_t *log, void *arg, int out_fd)
{
	struct log_stats st = { 0, 0, "" };
	cw_err_t e;

	(void)arg;
	if (cw_accesslog_stats(log, &st.rows, &st.oldest, &e) < 0) (void)cw_snprintf(st.error, sizeof(st.error), "%s", e.msg);
	return statedir_log_send(out_fd, &st, sizeof(st)) < 0 ? EXIT_FAIL : EXIT_OK;
}

static void show_log(status_t *s)
{
	int64_t rows = 0, oldest = 0, age_days = 0;
	struct log_stats st;
	statedir_bytes_t got;
	unsigned days = CW_RETENTION_DAYS_DEFAULT;
	cw_err_t e;

	if (cw_retention_days(s->reg, &days, &e) < 0) attention(s, "%s", e.msg);
	if (cli_accesslog_run(s->cli, false, "access log", log_stats_job, NULL, &got) != EXIT_OK || got.len != sizeof(st)) {
		attention(s, "the access log cannot be read (see above)");
	} else {
		memcpy(&st, got.data, sizeof(st));
		st.error[sizeof(st.error) - 1] = '\0';
		if (st.error[0]) attention(s, "access log: %s", st.error);
		rows = st.rows;
		oldest = st.oldest;
	}
	free(got.data);
	if (oldest) age_days = (s->cli->now * 1000 - oldest) / 86400000;
	if (oldest && age_days > (int64_t)days) {
		attention(s, "the access log holds rows %lld days old, past its %u-day retention: run coworkctl log purge"
			  " (daily from cron)", (long long)age_days, days);
	}
	if (s->json) {
		json_key(s->json, "access_log");
		json_object_begin(s->json);
		json_kv_int(s->json, "rows", rows);
		json_key(s->json, "oldest_days");
		if (oldest) json_int(s->json, age_days);
		else json_null(s->json);
		json_kv_int(s->json, "retention_days", days);
		json_object_end(s->json);
		return;
	}
	printf("access log     %lld rows, oldest %lld days old (retention %u days)\n", (long long)rows,
	       (long long)age_days, days);
}

static int cmd_status_run(cli_t *cli, bool json)
{
	status_t s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.cli = cli;
	if ((rc = cli_registry(cli, &s.reg)) != EXIT_OK) return rc;
	if (json) {
		s.json = &s.doc;
		json_init(s.json, stdout);
		json_object_begin(s.json);
	} else {
		printf("state          %s\n", cli->state_dir);
	}
	show_clock(&s);
	show_guest(&s);
	show_expiry(&s, "ca_not_after", "CA", "ca_not_after");
	show_expiry(&s, "server_not_after", "server cert", "server_cert_not_after");
	show_certs(&s);
	show_ocsp(&s);
	show_log(&s);
	cw_registry_close(s.reg);
	if (json) {
		json_key(s.json, "attention");
		json_array_begin(s.json);
		for (int i = 0; i < s.n_attention; i++) json_string(s.json, s.attention[i]);
		json_array_end(s.json);
		json_object_end(s.json);
		json_end(s.json);
	} else if (s.n_attention) {
		printf("\nneeds attention:\n");
		for (int i = 0; i < s.n_attention; i++) printf("  - %s\n", s.attention[i]);
	} else {
		printf("\nall well\n");
	}
	return s.n_attention ? EXIT_ATTENTION : EXIT_OK;
}

int cmd_status(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	bool json;
	int rc;

	if (cli_simple_opts(self, argc, argv, 0, 0, &json, &rc) < 0) return rc;
	return cmd_status_run(cli, json);
}
