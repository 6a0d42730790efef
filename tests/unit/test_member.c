/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_member.c - unit tests for lib/server/member.c: the member path's decision,
 * against the fixture registry (cw_member_decide) and on hand-built rows
 * (cw_member_evaluate).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "fixture.h"
#include "timeutil.h"

typedef struct env {
	fixture_t	f;
	cw_registry_t	*reader;	//!< what the module uses
} env_t;

static int setup(void **state)
{
	env_t *env = calloc(1, sizeof(*env));
	cw_err_t e = { "" };

	if (!env) return -1;
	if (fixture_setup(&env->f) < 0) {
		free(env);
		return -1;
	}
	if (cw_registry_open_reader(env->f.path, 500, &env->reader, &e) < 0) {
		fprintf(stderr, "reader: %s\n", e.msg);
		fixture_teardown(&env->f);
		free(env);
		return -1;
	}
	*state = env;
	return 0;
}

static int teardown(void **state)
{
	env_t *env = *state;

	cw_registry_close(env->reader);
	fixture_teardown(&env->f);
	free(env);
	return 0;
}

/* A request as FreeRADIUS presents it; the buffers outlive the decision. */
typedef struct request {
	cw_member_input_t	in;
	char			subject[CW_DN_MAX];
	char			expiry[16];
} request_t;

static void request_of(const env_t *env, request_t *r, const char *serial, const char *member, const char *station)
{
	fixture_input(&env->f, &r->in, serial, member, station, r->subject, sizeof(r->subject), r->expiry);
}

static void decide(env_t *env, const request_t *r, cw_member_decision_t *out)
{
	memset(out, 0xa5, sizeof(*out));	/* decide must fill everything */
	cw_member_decide(env->reader, &r->in, env->f.now, out);
}

static void assert_reason(const cw_member_decision_t *d, const char *part)
{
	if (strstr(d->reason, part) == NULL) fail_msg("reason \"%s\" lacks \"%s\"", d->reason, part);
}

/* A refusal of this kind, with no VLAN given. */
static void assert_refused(const cw_member_decision_t *d, cw_decide_result_t want)
{
	if (d->result != want) {
		fail_msg("got %s (%s), want %s", cw_decide_result_name(d->result), d->reason,
			 cw_decide_result_name(want));
	}
	assert_int_equal(d->vlan, 0);
	assert_true(d->reason[0] != '\0');
}

static void assert_accepted(const cw_member_decision_t *d, uint16_t vlan)
{
	if (d->result != CW_DECIDE_ACCEPT) {
		fail_msg("got %s (%s), want accept", cw_decide_result_name(d->result), d->reason);
	}
	assert_int_equal(d->vlan, vlan);
}

static void admin_exec(env_t *env, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(cw_registry_db(env->f.admin), sql, NULL, NULL, &msg) != SQLITE_OK) {
		fail_msg("%s: %s", sql, msg ? msg : "?");
	}
}

/* --- accepted ------------------------------------------------------------------ */

static void tenant_member__is_accepted_on_tenant_vlan(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, FX_ALICE, "alice", FX_STATION);
	decide(env, &r, &d);
	assert_accepted(&d, 100);
	assert_string_equal(d.member, "alice");
	assert_string_equal(d.serial, FX_ALICE);
	assert_string_equal(d.ssid, "CoworkMembers");
	assert_reason(&d, "acme");
	assert_reason(&d, "VLAN 100");
}

static void member_without_tenant__is_accepted_on_shared_vlan(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, FX_BOB, "bob", FX_STATION);
	decide(env, &r, &d);
	assert_accepted(&d, 190);
	assert_string_equal(d.member, "bob");
	assert_reason(&d, "shared");
}

static void uppercase_serial_with_colons__is_normalised_and_accepted(void **state)
{
	env_t *env = *state;
	char serial[3 * sizeof(FX_ALICE)];
	cw_member_decision_t d;
	request_t r;
	size_t o = 0;

	/* "A1:1C:E0:..." as openssl prints it */
	for (size_t i = 0; FX_ALICE[i]; i += 2) {
		if (o) serial[o++] = ':';
		serial[o++] = (char)(FX_ALICE[i] >= 'a' ? FX_ALICE[i] - 'a' + 'A' : FX_ALICE[i]);
		serial[o++] = (char)(FX_ALICE[i + 1] >= 'a' ? FX_ALICE[i + 1] - 'a' + 'A' : FX_ALICE[i + 1]);
	}
	serial[o] = '\0';
	assert_int_equal(strncmp(serial, "A1:1C:E0:", 9), 0);

	request_of(env, &r, serial, "alice", FX_STATION);
	decide(env, &r, &d);
	assert_accepted(&d, 100);
	assert_string_equal(d.serial, FX_ALICE);
}

/* --- the certificate ----------------------------------------------------------- */

static void unknown_serial__is_unknown_cert(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, "deadbeef", "alice", FX_STATION);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_UNKNOWN_CERT);
	assert_string_equal(d.serial, "deadbeef");
	assert_string_equal(d.member, "");
	assert_reason(&d, "deadbeef");
}

static void missing_serial__is_bad_input(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, FX_ALICE, "alice", FX_STATION);
	r.in.serial = NULL;
	r.in.serial_len = 0;
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_BAD_INPUT);
	assert_reason(&d, "TLS-Client-Cert-Serial");
	assert_string_equal(d.member, "");
}

static void malformed_serial__is_bad_input(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, "zz", "alice", FX_STATION);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_BAD_INPUT);
	assert_reason(&d, "malformed TLS-Client-Cert-Serial");
	assert_string_equal(d.serial, "");
}

static void revoked_cert__is_refused_as_revoked(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;
	cw_err_t e = { "" };

	assert_int_equal(cw_admin_cert_revoke(env->f.admin, FX_ALICE, "key-compromise", env->f.now, NULL, &e), 0);
	request_of(env, &r, FX_ALICE, "alice", FX_STATION);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_REVOKED);
	assert_string_equal(d.member, "alice");
	assert_reason(&d, "revoked");
	assert_reason(&d, "key-compromise");
}

static void suspended_member__is_refused_as_suspended(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;
	cw_err_t e = { "" };

	assert_int_equal(cw_admin_member_set_status(env->f.admin, "bob", CW_MEMBER_SUSPENDED, &e), 0);
	request_of(env, &r, FX_BOB, "bob", FX_STATION);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_SUSPENDED);
	assert_reason(&d, "bob is suspended");

	/* Resumed: accepted again at the next request. */
	assert_int_equal(cw_admin_member_set_status(env->f.admin, "bob", CW_MEMBER_ACTIVE, &e), 0);
	decide(env, &r, &d);
	assert_accepted(&d, 190);
}

/* A certificate of an invitation (coworkctl invite create) connects only once collected. */
static void uncollected_cert__is_refused_until_collected(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;
	cw_err_t e = { "" };
	int64_t invite = fixture_make_pending(&env->f, FX_BOB, &e);

	if (invite < 0) fail_msg("%s", e.msg);
	request_of(env, &r, FX_BOB, "bob", FX_STATION);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_UNCOLLECTED);
	assert_string_equal(cw_decide_result_name(d.result), "uncollected");
	assert_string_equal(d.member, "bob");
	assert_reason(&d, "has not been collected");

	/* The question of the TLS handshake and of the OCSP responder: the same refusal. */
	memset(&d, 0xa5, sizeof(d));
	cw_member_decide_serial(env->reader, FX_BOB, env->f.now, &d);
	assert_refused(&d, CW_DECIDE_UNCOLLECTED);

	/* Collected: accepted from the next request, both ways. */
	admin_exec(env, "UPDATE cert SET pending_invite = NULL WHERE serial = '" FX_BOB "'");
	decide(env, &r, &d);
	assert_accepted(&d, 190);
	cw_member_decide_serial(env->reader, FX_BOB, env->f.now, &d);
	assert_int_equal(d.result, CW_DECIDE_ACCEPT);
}

/* An invitation that ended revokes what was not collected: revoked is the reason then. */
static void revoked_uncollected_cert__is_refused_as_revoked(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;
	cw_err_t e = { "" };

	if (fixture_make_pending(&env->f, FX_ALICE, &e) < 0) fail_msg("%s", e.msg);
	assert_int_equal(cw_admin_cert_revoke(env->f.admin, FX_ALICE, "cessation-of-operation", env->f.now, NULL, &e), 0);
	request_of(env, &r, FX_ALICE, "alice", FX_STATION);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_REVOKED);
	assert_reason(&d, "cessation-of-operation");
}

static void different_issuer__is_wrong_issuer(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, FX_ALICE, "alice", FX_STATION);
	r.in.issuer = "/O=Evil/CN=Test Member CA";
	r.in.issuer_len = strlen(r.in.issuer);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_WRONG_ISSUER);
	assert_reason(&d, "issuer");

	/* A prefix of the registered issuer is not the issuer. */
	r.in.issuer = FX_ISSUER;
	r.in.issuer_len = strlen(FX_ISSUER) - 1;
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_WRONG_ISSUER);
}

static void missing_issuer__is_wrong_issuer(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, FX_ALICE, "alice", FX_STATION);
	r.in.issuer = NULL;
	r.in.issuer_len = 0;
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_WRONG_ISSUER);
}

static void different_subject__is_wrong_issuer(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	/* bob's subject on alice's serial */
	request_of(env, &r, FX_ALICE, "bob", FX_STATION);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_WRONG_ISSUER);
	assert_reason(&d, "subject");
}

static void different_expiration__is_wrong_issuer(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, FX_ALICE, "alice", FX_STATION);
	assert_int_equal(cw_asn1_time_format(env->f.not_after + 1, r.expiry), 0);
	r.in.expiration_len = strlen(r.expiry);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_WRONG_ISSUER);
	assert_reason(&d, "expiry");

	r.in.expiration = NULL;
	r.in.expiration_len = 0;
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_WRONG_ISSUER);
}

/* --- the SSID ----------------------------------------------------------------- */

static void staff_ssid__is_bad_ssid(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, FX_ALICE, "alice", "02-00-00-00-00-01:Staff");
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_BAD_SSID);
	assert_reason(&d, "staff");
	assert_string_equal(d.ssid, "Staff");
}

static void guest_ssid__is_bad_ssid(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, FX_ALICE, "alice", "02-00-00-00-00-01:CoworkGuest");
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_BAD_SSID);
	assert_reason(&d, "guest");
}

static void unknown_ssid__is_bad_ssid(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, FX_ALICE, "alice", "02-00-00-00-00-01:Elsewhere");
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_BAD_SSID);
	assert_reason(&d, "not in the registry");
}

static void no_called_station__is_bad_ssid(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, FX_ALICE, "alice", NULL);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_BAD_SSID);
	assert_reason(&d, "Called-Station-Id");
}

static void mac_only_called_station__is_bad_ssid(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, FX_ALICE, "alice", "02-00-00-00-00-01");
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_BAD_SSID);
	assert_reason(&d, "no SSID");
}

static void malformed_called_station__is_bad_input(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, FX_ALICE, "alice", "zz:CoworkMembers");
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_BAD_INPUT);
	assert_reason(&d, "malformed Called-Station-Id");

	/* An escaped NUL would cut the SSID short: CoworkMembers\x00Staff is not CoworkMembers. */
	request_of(env, &r, FX_ALICE, "alice", "02-00-00-00-00-01:CoworkMembers\\x00Staff");
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_BAD_INPUT);
	assert_reason(&d, "NUL");
}

static void called_station_with_raw_nul__is_bad_input(void **state)
{
	static const char station[] = "02-00-00-00-00-01:CoworkMembers\0x";
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	request_of(env, &r, FX_ALICE, "alice", FX_STATION);
	r.in.called_station = station;
	r.in.called_station_len = sizeof(station) - 1;
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_BAD_INPUT);
}

/* --- the VLAN ------------------------------------------------------------------ */

static void tenant_vlan_moved_to_staff__is_bad_vlan(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	admin_exec(env, "UPDATE tenant SET vlan = 10 WHERE name = 'acme'");
	request_of(env, &r, FX_ALICE, "alice", FX_STATION);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_BAD_VLAN);
	assert_reason(&d, "staff");
	assert_string_equal(d.member, "alice");
}

static void tenant_vlan_outside_every_pool__is_bad_vlan(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	admin_exec(env, "UPDATE tenant SET vlan = 500 WHERE name = 'acme'");
	request_of(env, &r, FX_ALICE, "alice", FX_STATION);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_BAD_VLAN);
	assert_reason(&d, "VLAN 500");
}

static void tenant_vlan_moved_to_guest__is_bad_vlan(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	admin_exec(env, "UPDATE tenant SET vlan = 300 WHERE name = 'acme'");
	request_of(env, &r, FX_ALICE, "alice", FX_STATION);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_BAD_VLAN);
}

static void deleted_vlan_plan__is_bad_vlan(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	admin_exec(env, "DELETE FROM vlan_range");
	request_of(env, &r, FX_BOB, "bob", FX_STATION);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_BAD_VLAN);
	assert_reason(&d, "no VLAN plan");
}

static void registry_error_midway__is_internal(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	admin_exec(env, "ALTER TABLE cert RENAME TO cert_gone");
	request_of(env, &r, FX_ALICE, "alice", FX_STATION);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_INTERNAL);
	assert_reason(&d, "cert");
}

static void broken_ssid_table__is_internal(void **state)
{
	env_t *env = *state;
	cw_member_decision_t d;
	request_t r;

	admin_exec(env, "ALTER TABLE ssid RENAME TO ssid_gone");
	request_of(env, &r, FX_ALICE, "alice", FX_STATION);
	decide(env, &r, &d);
	assert_refused(&d, CW_DECIDE_INTERNAL);
}

/* --- cw_member_evaluate on hand-built rows ---------------------------------------- */

#define T0 INT64_C(1800000000)	/* 2027-01-15 */

typedef struct eval {
	cw_cert_row_t		row;
	cw_vlan_plan_t		plan;
	cw_member_input_t	in;
	char			expiry[16];
} eval_t;

/* carol, no tenant, member since T0 - 1 day, certificate valid T0 - 1 h .. T0 + 30 days. */
static void eval_init(eval_t *ev)
{
	cw_err_t e = { "" };

	memset(ev, 0, sizeof(*ev));
	(void)cw_snprintf(ev->row.serial, sizeof(ev->row.serial), "c0ffee");
	(void)cw_snprintf(ev->row.subject, sizeof(ev->row.subject), "/O=Test/CN=carol");
	(void)cw_snprintf(ev->row.issuer, sizeof(ev->row.issuer), "%s", FX_ISSUER);
	(void)cw_snprintf(ev->row.member, sizeof(ev->row.member), "carol");
	ev->row.not_before = T0 - 3600;
	ev->row.not_after = T0 + 30 * 86400;
	ev->row.member_status = CW_MEMBER_ACTIVE;
	ev->row.member_from = T0 - 86400;

	assert_int_equal(cw_vlan_set_parse("10,20", &ev->plan.staff, &e), 0);
	assert_int_equal(cw_vlan_set_parse("100-189", &ev->plan.members, &e), 0);
	ev->plan.shared = 190;
	ev->plan.guest = 300;
}

static void evaluate(eval_t *ev, int64_t now, cw_member_decision_t *out)
{
	assert_int_equal(cw_asn1_time_format(ev->row.not_after, ev->expiry), 0);
	ev->in.serial = ev->row.serial;
	ev->in.serial_len = strlen(ev->row.serial);
	ev->in.subject = ev->row.subject;
	ev->in.subject_len = strlen(ev->row.subject);
	ev->in.issuer = ev->row.issuer;
	ev->in.issuer_len = strlen(ev->row.issuer);
	ev->in.expiration = ev->expiry;
	ev->in.expiration_len = strlen(ev->expiry);
	ev->in.called_station = FX_STATION;
	ev->in.called_station_len = strlen(FX_STATION);

	/* What cw_member_decide's parse step leaves before it evaluates. */
	memset(out, 0, sizeof(*out));
	(void)cw_snprintf(out->serial, sizeof(out->serial), "%s", ev->row.serial);
	(void)cw_snprintf(out->ssid, sizeof(out->ssid), "CoworkMembers");
	cw_member_evaluate(&ev->in, &ev->row, CW_SSID_MEMBER, &ev->plan, 1, now, out);
}

static void evaluate_of_good_row__is_accepted(void **state)
{
	cw_member_decision_t d;
	eval_t ev;

	(void)state;
	eval_init(&ev);
	evaluate(&ev, T0, &d);
	assert_accepted(&d, 190);
	assert_string_equal(d.member, "carol");

	ev.row.has_tenant = true;
	(void)cw_snprintf(ev.row.tenant, sizeof(ev.row.tenant), "initech");
	ev.row.tenant_vlan = 142;
	evaluate(&ev, T0, &d);
	assert_accepted(&d, 142);
	assert_reason(&d, "initech");
}

static void membership_not_started__is_not_started(void **state)
{
	cw_member_decision_t d;
	eval_t ev;

	(void)state;
	eval_init(&ev);
	ev.row.member_from = T0 + 1;
	evaluate(&ev, T0, &d);
	assert_refused(&d, CW_DECIDE_NOT_STARTED);
	evaluate(&ev, T0 + 1, &d);
	assert_accepted(&d, 190);
}

static void membership_at_its_end__is_ended(void **state)
{
	cw_member_decision_t d;
	eval_t ev;

	(void)state;
	eval_init(&ev);
	ev.row.member_until = T0 + 86400;
	evaluate(&ev, T0 + 86400, &d);
	assert_refused(&d, CW_DECIDE_ENDED);
	evaluate(&ev, T0 + 86400 + 1, &d);
	assert_refused(&d, CW_DECIDE_ENDED);
}

static void membership_last_second__is_accepted(void **state)
{
	cw_member_decision_t d;
	eval_t ev;

	(void)state;
	eval_init(&ev);
	ev.row.member_until = T0 + 86400;
	evaluate(&ev, T0 + 86400 - 1, &d);
	assert_accepted(&d, 190);
}

static void cert_after_not_after__is_cert_expired(void **state)
{
	cw_member_decision_t d;
	eval_t ev;

	(void)state;
	eval_init(&ev);
	evaluate(&ev, ev.row.not_after + 1, &d);
	assert_refused(&d, CW_DECIDE_CERT_EXPIRED);
	/* notAfter itself is still inside the validity (RFC 5280: inclusive). */
	evaluate(&ev, ev.row.not_after, &d);
	assert_accepted(&d, 190);
}

static void cert_before_not_before__is_cert_expired(void **state)
{
	cw_member_decision_t d;
	eval_t ev;

	(void)state;
	eval_init(&ev);
	ev.row.not_before = T0 + 60;
	evaluate(&ev, T0, &d);
	assert_refused(&d, CW_DECIDE_CERT_EXPIRED);
}

static void uncollected_row__is_uncollected_before_the_member_checks(void **state)
{
	cw_member_decision_t d;
	eval_t ev;

	(void)state;
	eval_init(&ev);
	ev.row.pending_invite = 7;
	ev.row.member_status = CW_MEMBER_SUSPENDED;
	evaluate(&ev, T0, &d);
	assert_refused(&d, CW_DECIDE_UNCOLLECTED);
	assert_reason(&d, "invitation 7");
	ev.row.pending_invite = 0;
	ev.row.member_status = CW_MEMBER_ACTIVE;
	evaluate(&ev, T0, &d);
	assert_accepted(&d, 190);
}

static void removed_member__is_suspended(void **state)
{
	cw_member_decision_t d;
	eval_t ev;

	(void)state;
	eval_init(&ev);
	ev.row.member_status = CW_MEMBER_REMOVED;
	evaluate(&ev, T0, &d);
	assert_refused(&d, CW_DECIDE_SUSPENDED);
	assert_reason(&d, "removed");
}

static void evaluate_without_row__is_unknown_cert(void **state)
{
	cw_member_decision_t d;

	(void)state;
	memset(&d, 0, sizeof(d));
	(void)cw_snprintf(d.serial, sizeof(d.serial), "abc");
	cw_member_evaluate(NULL, NULL, -1, NULL, 0, T0, &d);
	assert_refused(&d, CW_DECIDE_UNKNOWN_CERT);
	assert_reason(&d, "abc");
}

/* The outer identity beside an accepted certificate: only a foreign name is OTHER. */
static void identity__member_anonymous_or_other(void **state)
{
	(void)state;
	assert_int_equal(cw_member_identity("alice", 5, "alice"), CW_IDENTITY_MEMBER);
	assert_int_equal(cw_member_identity("alice@example.org", 17, "alice"), CW_IDENTITY_MEMBER);
	assert_int_equal(cw_member_identity(NULL, 0, "alice"), CW_IDENTITY_ANONYMOUS);
	assert_int_equal(cw_member_identity("", 0, "alice"), CW_IDENTITY_ANONYMOUS);
	assert_int_equal(cw_member_identity("anonymous", 9, "alice"), CW_IDENTITY_ANONYMOUS);
	assert_int_equal(cw_member_identity("Anonymous@example.org", 21, "alice"), CW_IDENTITY_ANONYMOUS);
	assert_int_equal(cw_member_identity("@example.org", 12, "alice"), CW_IDENTITY_ANONYMOUS);
	assert_int_equal(cw_member_identity("staff-admin", 11, "alice"), CW_IDENTITY_OTHER);
	assert_int_equal(cw_member_identity("bob", 3, "alice"), CW_IDENTITY_OTHER);
	assert_int_equal(cw_member_identity("alic", 4, "alice"), CW_IDENTITY_OTHER);
	assert_int_equal(cw_member_identity("alicex", 6, "alice"), CW_IDENTITY_OTHER);
	assert_int_equal(cw_member_identity("ALICE", 5, "alice"), CW_IDENTITY_OTHER);
	assert_int_equal(cw_member_identity("anonymousx", 10, "alice"), CW_IDENTITY_OTHER);
	/* Only len bytes count: "alice" followed by more bytes is not alice. */
	assert_int_equal(cw_member_identity("alice\0bob", 9, "alice"), CW_IDENTITY_OTHER);
	assert_int_equal(cw_member_identity("alicebob", 5, "alice"), CW_IDENTITY_MEMBER);
}

/* A decision nobody set (zeroed memory) reads as a refusal, never as an accept. */
static void zeroed_decision__is_refused(void **state)
{
	cw_member_decision_t d;

	(void)state;
	memset(&d, 0, sizeof(d));
	assert_int_equal(d.result, CW_DECIDE_UNSET);
	assert_int_not_equal(d.result, CW_DECIDE_ACCEPT);
	assert_string_equal(cw_decide_result_name(d.result), "unset");
}

static void result_names__are_distinct(void **state)
{
	const char *names[CW_DECIDE_INTERNAL + 1];

	(void)state;
	for (int r = CW_DECIDE_UNSET; r <= CW_DECIDE_INTERNAL; r++) {
		names[r] = cw_decide_result_name((cw_decide_result_t)r);
		assert_non_null(names[r]);
		assert_true(names[r][0] != '\0');
		assert_string_not_equal(names[r], "?");
		for (int q = 0; q < r; q++) assert_string_not_equal(names[q], names[r]);
	}
	assert_string_equal(cw_decide_result_name(CW_DECIDE_REVOKED), "revoked");
	assert_string_equal(cw_decide_result_name((cw_decide_result_t)(CW_DECIDE_INTERNAL + 1)), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(tenant_member__is_accepted_on_tenant_vlan),
		T(member_without_tenant__is_accepted_on_shared_vlan),
		T(uppercase_serial_with_colons__is_normalised_and_accepted),
		T(unknown_serial__is_unknown_cert),
		T(missing_serial__is_bad_input),
		T(malformed_serial__is_bad_input),
		T(revoked_cert__is_refused_as_revoked),
		T(suspended_member__is_refused_as_suspended),
		T(uncollected_cert__is_refused_until_collected),
		T(revoked_uncollected_cert__is_refused_as_revoked),
		T(different_issuer__is_wrong_issuer),
		T(missing_issuer__is_wrong_issuer),
		T(different_subject__is_wrong_issuer),
		T(different_expiration__is_wrong_issuer),
		T(staff_ssid__is_bad_ssid),
		T(guest_ssid__is_bad_ssid),
		T(unknown_ssid__is_bad_ssid),
		T(no_called_station__is_bad_ssid),
		T(mac_only_called_station__is_bad_ssid),
		T(malformed_called_station__is_bad_input),
		T(called_station_with_raw_nul__is_bad_input),
		T(tenant_vlan_moved_to_staff__is_bad_vlan),
		T(tenant_vlan_outside_every_pool__is_bad_vlan),
		T(tenant_vlan_moved_to_guest__is_bad_vlan),
		T(deleted_vlan_plan__is_bad_vlan),
		T(registry_error_midway__is_internal),
		T(broken_ssid_table__is_internal),
#undef T
		cmocka_unit_test(evaluate_of_good_row__is_accepted),
		cmocka_unit_test(membership_not_started__is_not_started),
		cmocka_unit_test(membership_at_its_end__is_ended),
		cmocka_unit_test(membership_last_second__is_accepted),
		cmocka_unit_test(cert_after_not_after__is_cert_expired),
		cmocka_unit_test(cert_before_not_before__is_cert_expired),
		cmocka_unit_test(uncollected_row__is_uncollected_before_the_member_checks),
		cmocka_unit_test(removed_member__is_suspended),
		cmocka_unit_test(evaluate_without_row__is_unknown_cert),
		cmocka_unit_test(zeroed_decision__is_refused),
		cmocka_unit_test(identity__member_anonymous_or_other),
		cmocka_unit_test(result_names__are_distinct),
	};

	return cmocka_run_group_tests_name("member", tests, NULL, NULL);
}
