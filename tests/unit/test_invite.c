/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_invite.c - unit tests for lib/admin/invite.c: invitations in a real
 * registry (fixture.h), their devices sealed with lib/core/seal.c, and
 * every answer of the enroll-broker's requests.
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
#include "invite.h"
#include "seal.h"

#define PASSWORD "correct-horse-battery"

typedef struct env {
	fixture_t	f;
	cw_token_t	token;
	char		text[CW_TOKEN_TEXT_LEN + 1];
	char		lookup[CW_TOKEN_LOOKUP_HEX];
	int64_t		id;			//!< the invitation made by make_invite
	char		serials[CW_INVITE_DEVICES_MAX][CW_SERIAL_HEX_MAX + 1];
	unsigned	serial_seq;
} env_t;

static int setup(void **state)
{
	env_t *env = calloc(1, sizeof(*env));
	cw_err_t e;

	if (!env) return -1;
	if (fixture_setup(&env->f) < 0) {
		free(env);
		return -1;
	}
	/* What `coworkctl init` sets and the answers name. */
	if (cw_registry_setting_set(env->f.admin, "org", "Test Space", &e) < 0 ||
	    cw_registry_setting_set(env->f.admin, "server_name", "radius.test.example", &e) < 0) {
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

	fixture_teardown(&env->f);
	free(env);
	return 0;
}

/* The single integer a query returns. */
static int64_t query_int(env_t *env, const char *fmt, ...) CW_PRINTF(2, 3);

static int64_t query_int(env_t *env, const char *fmt, ...)
{
	sqlite3_stmt *st = NULL;
	char sql[512];
	va_list ap;
	int64_t v;

	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	if (sqlite3_prepare_v2(cw_registry_db(env->f.admin), sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s", sql);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The p12 "file" of a slot: recognisable bytes. */
static void p12_of(unsigned slot, char *buf, size_t len)
{
	snprintf(buf, len, "PKCS12 of slot %u", slot);
}

static int seal_slot(void *arg, int64_t invite_id, unsigned slot, uint8_t **out, size_t *out_len, cw_err_t *err)
{
	env_t *env = arg;
	char p12[32];

	p12_of(slot, p12, sizeof(p12));
	return cw_seal(&env->token, invite_id, slot, PASSWORD, (const uint8_t *)p12, strlen(p12), out, out_len, err);
}

/* A certificate record for member, with a new serial. */
static void cert_of(env_t *env, cw_cert_record_t *rec, const char *member)
{
	memset(rec, 0, sizeof(*rec));
	(void)cw_snprintf(rec->serial, sizeof(rec->serial), "1fe%05x", ++env->serial_seq);
	(void)cw_snprintf(rec->member, sizeof(rec->member), "%s", member);
	(void)cw_snprintf(rec->subject, sizeof(rec->subject), "/O=Test/CN=%s", member);
	(void)cw_snprintf(rec->issuer, sizeof(rec->issuer), "%s", FX_ISSUER);
	memset(rec->sha256, 'c', 64);
	rec->not_before = env->f.now - 3600;
	rec->not_after = env->f.now + 86400 * 30;
	rec->issued_at = env->f.now;
}

/* cw_invite_create of n devices for member, valid for an hour; its result (env->id set on 0). */
static int try_invite(env_t *env, const char *member, unsigned n, cw_err_t *e)
{
	cw_cert_record_t certs[CW_INVITE_DEVICES_MAX];
	cw_invite_new_t in;

	assert_int_equal(cw_token_new(&env->token, env->text, e), 0);
	assert_int_equal(cw_token_lookup(&env->token, env->lookup, e), 0);
	for (unsigned i = 0; i < n; i++) {
		cert_of(env, &certs[i], member);
		memcpy(env->serials[i], certs[i].serial, sizeof(env->serials[i]));
	}
	in = (cw_invite_new_t){ member, env->lookup, n, env->f.now, env->f.now + 3600, certs, seal_slot, env };
	return cw_invite_create(env->f.admin, &in, &env->id, e);
}

static void make_invite(env_t *env, const char *member, unsigned n)
{
	cw_err_t e = { "" };

	if (try_invite(env, member, n, &e) != 0) fail_msg("invite create: %s", e.msg);
	assert_true(env->id > 0);
}

/* A request of the broker with the current token (or another lookup), at now. Its result. */
static int request(env_t *env, cw_enroll_verb_t verb, const char *lookup, const char *extra, int64_t now,
		   cw_enroll_answer_t *ans)
{
	cw_enroll_req_t req = { verb, lookup, "192.0.2.7", NULL, NULL };
	cw_err_t e = { "" };
	int rc;

	if (verb == CW_ENROLL_COLLECT) req.platform = extra;
	if (verb == CW_ENROLL_LOST) req.serial = extra;
	rc = cw_enroll_answer(env->f.admin, &req, now, ans, &e);
	if (rc < 0) fail_msg("enroll: %s", e.msg);
	return rc;
}

/* A refusal with this reason: nothing in the answer but the reason. */
static void assert_refused(env_t *env, cw_enroll_verb_t verb, const char *lookup, const char *extra, int64_t now,
			   const char *reason)
{
	cw_enroll_answer_t a;

	assert_int_equal(request(env, verb, lookup, extra, now, &a), 0);
	assert_string_equal(a.reason, reason);
	assert_int_equal(a.n_devices, 0);
	assert_int_equal(a.n_guests, 0);
	assert_null(a.sealed);
	assert_string_equal(a.member, "");
	cw_enroll_answer_free(&a);
}

static const cw_enroll_device_t *device(const cw_enroll_answer_t *a, const char *serial)
{
	for (size_t i = 0; i < a->n_devices; i++) {
		if (strcmp(a->devices[i].serial, serial) == 0) return &a->devices[i];
	}
	fail_msg("no device %s in the answer", serial);
	return NULL;
}

/* --- creating ---------------------------------------------------------------- */

static void create__records_the_invitation_its_pending_certificates_and_sealed_devices(void **state)
{
	env_t *env = *state;
	cw_invite_row_t row;
	cw_err_t e = { "" };

	make_invite(env, "bob", 3);
	assert_int_equal(cw_invite_get(env->f.admin, env->id, env->f.now, &row, &e), 1);
	assert_string_equal(row.member, "bob");
	assert_int_equal(row.devices, 3);
	assert_int_equal(row.collected, 0);
	assert_int_equal(row.state, CW_INVITE_ACTIVE);
	assert_int_equal(row.expires_at, env->f.now + 3600);
	assert_int_equal(query_int(env, "SELECT count(*) FROM cert WHERE pending_invite = %lld", (long long)env->id), 3);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_slot WHERE invite_id = %lld AND sealed IS NOT NULL"
				   " AND collected_at IS NULL", (long long)env->id), 3);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_event WHERE invite_id = %lld AND event = 'created'",
				   (long long)env->id), 1);
	/* The registry holds the lookup hash, never the token. */
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite WHERE lookup = '%s'", env->lookup), 1);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite WHERE instr(lookup, '%s')", env->text), 0);
}

static void create__refuses_a_suspended_or_unknown_member_and_changes_nothing(void **state)
{
	env_t *env = *state;
	cw_err_t e = { "" };

	assert_int_equal(cw_admin_member_set_status(env->f.admin, "bob", CW_MEMBER_SUSPENDED, &e), 0);
	assert_int_equal(try_invite(env, "bob", 2, &e), -1);
	assert_non_null(strstr(e.msg, "suspended"));
	assert_int_equal(try_invite(env, "nobody", 2, &e), -1);
	assert_non_null(strstr(e.msg, "unknown member nobody"));
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite"), 0);
	assert_int_equal(query_int(env, "SELECT count(*) FROM cert"), 2);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_event"), 0);
}

static void create__with_a_taken_serial_is_duplicate_and_changes_nothing(void **state)
{
	env_t *env = *state;
	cw_err_t e = { "" };

	env->serial_seq = 0;
	make_invite(env, "bob", 1);
	env->serial_seq = 0;	/* the next one takes the same serial */
	assert_int_equal(try_invite(env, "bob", 2, &e), CW_ADMIN_DUPLICATE);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite"), 1);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_slot"), 1);
}

static void create__refuses_0_or_21_devices(void **state)
{
	env_t *env = *state;
	cw_cert_record_t certs[CW_INVITE_DEVICES_MAX + 1];
	cw_invite_new_t in = { "bob", "", 0, env->f.now, env->f.now + 1, certs, seal_slot, env };
	int64_t id;
	cw_err_t e = { "" };

	assert_int_equal(cw_invite_create(env->f.admin, &in, &id, &e), -1);
	in.devices = CW_INVITE_DEVICES_MAX + 1;
	assert_int_equal(cw_invite_create(env->f.admin, &in, &id, &e), -1);
	assert_non_null(strstr(e.msg, "1 to 20 devices"));
}

/* --- OPEN ---------------------------------------------------------------------- */

static void open__answers_the_member_the_network_and_every_certificate(void **state)
{
	env_t *env = *state;
	cw_enroll_answer_t a;

	make_invite(env, "bob", 2);
	assert_int_equal(request(env, CW_ENROLL_OPEN, env->lookup, NULL, env->f.now, &a), 1);
	assert_int_equal(a.invite_id, env->id);
	assert_string_equal(a.member, "bob");
	assert_string_equal(a.org, "Test Space");
	assert_string_equal(a.server_name, "radius.test.example");
	assert_int_equal(a.expires_at, env->f.now + 3600);
	assert_int_equal(a.devices_left, 2);
	assert_int_equal(a.n_ssids, 1);
	assert_string_equal(a.ssids[0], "CoworkMembers");
	/* bob's own certificate of the fixture, then the invitation's two. */
	assert_int_equal(a.n_devices, 3);
	assert_string_equal(device(&a, FX_BOB)->state, "active");
	assert_string_equal(device(&a, env->serials[0])->state, "uncollected");
	assert_string_equal(device(&a, env->serials[1])->platform, "");
	assert_int_equal(device(&a, env->serials[1])->not_after, env->f.now + 86400 * 30);
	assert_int_equal(a.n_guests, 0);
	assert_null(a.sealed);
	cw_enroll_answer_free(&a);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_event WHERE event = 'opened' AND client = '192.0.2.7'"),
			 1);
}

static void open__of_an_unknown_or_malformed_token_is_refused_and_recorded(void **state)
{
	env_t *env = *state;
	char other[CW_TOKEN_LOOKUP_HEX];

	make_invite(env, "bob", 1);
	memcpy(other, env->lookup, sizeof(other));
	other[0] = other[0] == 'a' ? 'b' : 'a';
	assert_refused(env, CW_ENROLL_OPEN, other, NULL, env->f.now, "unknown");
	assert_refused(env, CW_ENROLL_OPEN, NULL, NULL, env->f.now, "malformed-token");
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_event WHERE event = 'refused' AND invite_id IS NULL"
				   " AND client = '192.0.2.7' AND reason IN ('unknown', 'malformed-token')"), 2);
}

static void open__shows_guest_passphrases_only_of_ssids_members_see(void **state)
{
	env_t *env = *state;
	cw_guest_policy_t p;
	cw_rotation_t r;
	cw_enroll_answer_t a;
	cw_err_t e = { "" };

	assert_int_equal(cw_admin_psk_rotate(env->f.admin, "CoworkGuest", env->f.now, false, false, &r, &e), 0);
	make_invite(env, "bob", 1);
	assert_int_equal(request(env, CW_ENROLL_OPEN, env->lookup, NULL, env->f.now, &a), 1);
	assert_int_equal(a.n_guests, 0);
	cw_enroll_answer_free(&a);

	assert_int_equal(cw_admin_guest_policy_get(env->f.admin, "CoworkGuest", &p, &e), 0);
	assert_false(p.members_see);
	p.members_see = true;
	assert_int_equal(cw_admin_guest_policy_set(env->f.admin, "CoworkGuest", &p, &e), 0);
	assert_int_equal(request(env, CW_ENROLL_OPEN, env->lookup, NULL, env->f.now, &a), 1);
	assert_int_equal(a.n_guests, 1);
	assert_string_equal(a.guests[0].ssid, "CoworkGuest");
	assert_string_equal(a.guests[0].passphrase, r.current.passphrase);
	assert_int_equal(a.guests[0].valid_until, r.current.valid_until);
	cw_enroll_answer_free(&a);
	assert_int_equal(cw_admin_guest_policy_get(env->f.admin, "CoworkGuest", &p, &e), 0);
	assert_true(p.members_see);
	cw_wipe(&r, sizeof(r));
}

/* --- COLLECT ------------------------------------------------------------------- */

static void collect__hands_out_each_device_once_then_refuses(void **state)
{
	env_t *env = *state;
	cw_enroll_answer_t a;
	cw_err_t e = { "" };
	char *password = NULL, want[32];
	uint8_t *p12 = NULL;
	size_t p12_len = 0;

	make_invite(env, "bob", 2);
	for (unsigned slot = 1; slot <= 2; slot++) {
		assert_int_equal(request(env, CW_ENROLL_COLLECT, env->lookup, slot == 1 ? "apple" : "linux", env->f.now, &a),
				 1);
		assert_int_equal(a.slot, slot);
		assert_string_equal(a.serial, env->serials[slot - 1]);
		assert_int_equal(a.devices_left, 2 - slot);
		assert_string_equal(device(&a, a.serial)->state, "active");
		assert_string_equal(device(&a, a.serial)->platform, slot == 1 ? "apple" : "linux");
		/* The holder of the token opens it; the aad binds it to its slot. */
		assert_int_equal(cw_seal_open(&env->token, env->id, slot, a.sealed, a.sealed_len, &password, &p12, &p12_len,
					      &e), 0);
		assert_string_equal(password, PASSWORD);
		p12_of(slot, want, sizeof(want));
		assert_memory_equal(p12, want, strlen(want));
		cw_seal_free(password, p12, p12_len);
		assert_int_equal(cw_seal_open(&env->token, env->id, slot + 1, a.sealed, a.sealed_len, &password, &p12,
					      &p12_len, &e), -1);
		cw_enroll_answer_free(&a);
		assert_int_equal(query_int(env, "SELECT count(*) FROM cert WHERE serial = '%s' AND pending_invite IS NULL",
					   env->serials[slot - 1]), 1);
		assert_int_equal(query_int(env, "SELECT count(*) FROM invite_slot WHERE serial = '%s' AND sealed IS NULL"
					   " AND collected_at = %lld", env->serials[slot - 1], (long long)env->f.now), 1);
	}
	assert_refused(env, CW_ENROLL_COLLECT, env->lookup, "eap", env->f.now, "exhausted");
	/* OPEN still answers until the expiry: the member's page. */
	assert_int_equal(request(env, CW_ENROLL_OPEN, env->lookup, NULL, env->f.now, &a), 1);
	assert_int_equal(a.devices_left, 0);
	cw_enroll_answer_free(&a);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_event WHERE event = 'collected'"), 2);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_event WHERE event = 'refused' AND reason = 'exhausted'"
				   " AND invite_id = %lld AND platform = 'eap'", (long long)env->id), 1);
}

static void collect__skips_a_device_whose_certificate_was_revoked(void **state)
{
	env_t *env = *state;
	cw_enroll_answer_t a;
	cw_err_t e = { "" };

	make_invite(env, "bob", 2);
	assert_int_equal(cw_admin_cert_revoke(env->f.admin, env->serials[0], "unspecified", env->f.now, NULL, &e), 0);
	assert_int_equal(request(env, CW_ENROLL_COLLECT, env->lookup, "windows", env->f.now, &a), 1);
	assert_int_equal(a.slot, 2);
	assert_int_equal(a.devices_left, 0);
	assert_string_equal(device(&a, env->serials[0])->state, "revoked");
	cw_enroll_answer_free(&a);
	assert_refused(env, CW_ENROLL_COLLECT, env->lookup, "windows", env->f.now, "exhausted");
}

/* --- LOST ---------------------------------------------------------------------- */

static void lost__revokes_the_members_certificate_and_nothing_else(void **state)
{
	env_t *env = *state;
	cw_enroll_answer_t a;
	cw_cert_record_t rec;
	cw_err_t e = { "" };

	make_invite(env, "bob", 2);
	/* Another member's certificate, or one that does not exist: refused, nothing revoked. */
	assert_refused(env, CW_ENROLL_LOST, env->lookup, FX_ALICE, env->f.now, "not-members-serial");
	assert_refused(env, CW_ENROLL_LOST, env->lookup, "abcdef", env->f.now, "not-members-serial");
	assert_int_equal(query_int(env, "SELECT count(*) FROM cert WHERE revoked_at IS NOT NULL"), 0);

	assert_int_equal(request(env, CW_ENROLL_LOST, env->lookup, FX_BOB, env->f.now, &a), 1);
	assert_true(a.lost_newly);
	assert_string_equal(a.serial, FX_BOB);
	assert_string_equal(device(&a, FX_BOB)->state, "revoked");
	assert_int_equal(a.devices_left, 2);
	cw_enroll_answer_free(&a);
	assert_int_equal(cw_admin_cert_get(env->f.admin, FX_BOB, &rec, &e), 1);
	assert_string_equal(rec.revoke_reason, "key-compromise");
	assert_int_equal(rec.revoked_at, env->f.now);

	/* Again: already revoked, still an answer (the broker disconnects again, as cert revoke does). */
	assert_int_equal(request(env, CW_ENROLL_LOST, env->lookup, FX_BOB, env->f.now + 5, &a), 1);
	assert_false(a.lost_newly);
	cw_enroll_answer_free(&a);
	assert_int_equal(cw_admin_cert_get(env->f.admin, FX_BOB, &rec, &e), 1);
	assert_int_equal(rec.revoked_at, env->f.now);

	/* An uncollected device reported lost is never handed out. */
	assert_int_equal(request(env, CW_ENROLL_LOST, env->lookup, env->serials[0], env->f.now, &a), 1);
	assert_int_equal(a.devices_left, 1);
	cw_enroll_answer_free(&a);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_slot WHERE serial = '%s' AND sealed IS NULL",
				   env->serials[0]), 1);
	assert_int_equal(request(env, CW_ENROLL_COLLECT, env->lookup, "eap", env->f.now, &a), 1);
	assert_string_equal(a.serial, env->serials[1]);
	cw_enroll_answer_free(&a);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_event WHERE event = 'lost'"), 3);
}

/* --- when an invitation can no longer be used ------------------------------------- */

static void expired__is_refused_and_ended_its_uncollected_certificates_revoked(void **state)
{
	env_t *env = *state;
	int64_t later = env->f.now + 3600;
	cw_invite_row_t row;
	cw_enroll_answer_t a;
	cw_err_t e = { "" };

	make_invite(env, "bob", 2);
	assert_int_equal(request(env, CW_ENROLL_COLLECT, env->lookup, "apple", later - 1, &a), 1);
	cw_enroll_answer_free(&a);
	assert_refused(env, CW_ENROLL_OPEN, env->lookup, NULL, later, "expired");
	assert_int_equal(cw_invite_get(env->f.admin, env->id, later, &row, &e), 1);
	assert_int_equal(row.state, CW_INVITE_ENDED);
	assert_int_equal(row.ended_at, later);
	assert_int_equal(row.revoked_at, 0);
	assert_int_equal(row.collected, 1);
	assert_int_equal(query_int(env, "SELECT count(*) FROM cert WHERE serial = '%s' AND revoked_at = %lld"
				   " AND revoke_reason = 'cessation-of-operation'", env->serials[1], (long long)later), 1);
	assert_int_equal(query_int(env, "SELECT count(*) FROM cert WHERE serial = '%s' AND revoked_at IS NULL",
				   env->serials[0]), 1);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_slot WHERE sealed IS NOT NULL"), 0);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_event WHERE event = 'expired'"), 1);
	/* Met again: refused, not ended twice. */
	assert_refused(env, CW_ENROLL_COLLECT, env->lookup, "apple", later + 10, "expired");
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_event WHERE event = 'expired'"), 1);
}

static void revoke__ends_it_at_once_and_twice_changes_nothing(void **state)
{
	env_t *env = *state;
	cw_invite_row_t row;
	unsigned certs = 9;
	cw_enroll_answer_t a;
	cw_err_t e = { "" };

	make_invite(env, "bob", 3);
	assert_int_equal(request(env, CW_ENROLL_COLLECT, env->lookup, "eap", env->f.now, &a), 1);
	cw_enroll_answer_free(&a);
	assert_int_equal(cw_invite_revoke(env->f.admin, env->id, env->f.now + 1, &row, &certs, &e), 0);
	assert_int_equal(certs, 2);
	assert_int_equal(row.state, CW_INVITE_REVOKED);
	assert_int_equal(row.revoked_at, env->f.now + 1);
	assert_int_equal(query_int(env, "SELECT count(*) FROM cert WHERE pending_invite = %lld"
				   " AND revoke_reason = 'cessation-of-operation'", (long long)env->id), 2);
	assert_int_equal(query_int(env, "SELECT count(*) FROM cert WHERE serial = '%s' AND revoked_at IS NULL",
				   env->serials[0]), 1);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_slot WHERE sealed IS NOT NULL"), 0);
	assert_refused(env, CW_ENROLL_OPEN, env->lookup, NULL, env->f.now + 2, "revoked");

	assert_int_equal(cw_invite_revoke(env->f.admin, env->id, env->f.now + 3, &row, &certs, &e), 1);
	assert_int_equal(certs, 0);
	assert_int_equal(row.revoked_at, env->f.now + 1);
	assert_int_equal(cw_invite_revoke(env->f.admin, env->id + 1, env->f.now, &row, &certs, &e), -1);
	assert_non_null(strstr(e.msg, "unknown invitation"));
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_event WHERE event = 'revoked'"), 1);
}

static void sweep__ends_expired_invitations_and_those_of_removed_members(void **state)
{
	env_t *env = *state;
	cw_removal_t removed;
	unsigned ended = 9, certs = 9;
	int64_t bobs, alices;
	cw_err_t e = { "" };

	make_invite(env, "bob", 2);
	bobs = env->id;
	make_invite(env, "alice", 1);
	alices = env->id;
	assert_int_equal(cw_invite_sweep(env->f.admin, env->f.now, &ended, &certs, &e), 0);
	assert_int_equal(ended, 0);
	assert_int_equal(certs, 0);

	assert_int_equal(cw_admin_member_remove(env->f.admin, "alice", "affiliation-changed", env->f.now, &removed, &e), 0);
	cw_removal_free(&removed);
	assert_int_equal(cw_invite_sweep(env->f.admin, env->f.now, &ended, &certs, &e), 0);
	assert_int_equal(ended, 1);
	assert_int_equal(certs, 0);	/* member remove revoked them already */
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_event WHERE invite_id = %lld AND event = 'ended'",
				   (long long)alices), 1);
	assert_int_equal(cw_invite_sweep(env->f.admin, env->f.now + 3600, &ended, &certs, &e), 0);
	assert_int_equal(ended, 1);
	assert_int_equal(certs, 2);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_event WHERE invite_id = %lld AND event = 'expired'",
				   (long long)bobs), 1);
	assert_int_equal(query_int(env, "SELECT count(*) FROM invite_slot WHERE sealed IS NOT NULL"), 0);
	assert_int_equal(cw_invite_sweep(env->f.admin, env->f.now + 7200, &ended, &certs, &e), 0);
	assert_int_equal(ended, 0);
}

static void suspended_member__is_refused_until_resumed(void **state)
{
	env_t *env = *state;
	cw_enroll_answer_t a;
	cw_err_t e = { "" };

	make_invite(env, "bob", 1);
	assert_int_equal(cw_admin_member_set_status(env->f.admin, "bob", CW_MEMBER_SUSPENDED, &e), 0);
	assert_refused(env, CW_ENROLL_COLLECT, env->lookup, "apple", env->f.now, "member-inactive");
	assert_int_equal(cw_admin_member_set_status(env->f.admin, "bob", CW_MEMBER_ACTIVE, &e), 0);
	assert_int_equal(request(env, CW_ENROLL_COLLECT, env->lookup, "apple", env->f.now, &a), 1);
	cw_enroll_answer_free(&a);
}

/* --- audit -------------------------------------------------------------------- */

static int count_event(void *arg, const cw_invite_event_t *ev)
{
	unsigned *n = arg;

	assert_true(ev->at > 0);
	if (strcmp(ev->event, "refused") == 0) {
		assert_string_equal(ev->reason, "exhausted");
		assert_string_equal(ev->member, "bob");
		assert_string_equal(ev->platform, "apple");
		assert_string_equal(ev->client, "192.0.2.7");
	}
	(*n)++;
	return 0;
}

static void events__list_every_row_or_one_invitations(void **state)
{
	env_t *env = *state;
	cw_enroll_answer_t a;
	unsigned n = 0;
	cw_err_t e = { "" };

	make_invite(env, "alice", 1);
	make_invite(env, "bob", 1);
	assert_int_equal(request(env, CW_ENROLL_COLLECT, env->lookup, "apple", env->f.now, &a), 1);
	cw_enroll_answer_free(&a);
	assert_refused(env, CW_ENROLL_COLLECT, env->lookup, "apple", env->f.now, "exhausted");
	assert_int_equal(cw_invite_event_add(env->f.admin, env->f.now, 0, "rate-limited", NULL, "192.0.2.9", &e), 0);
	assert_int_equal(cw_invite_events(env->f.admin, 0, count_event, &n, &e), 0);
	assert_int_equal(n, 5);	/* created x2, collected, refused, rate-limited */
	n = 0;
	assert_int_equal(cw_invite_events(env->f.admin, env->id, count_event, &n, &e), 0);
	assert_int_equal(n, 3);
}

static void platform_check__takes_the_four_platforms_only(void **state)
{
	(void)state;
	assert_int_equal(cw_enroll_platform_check("apple"), 0);
	assert_int_equal(cw_enroll_platform_check("eap"), 0);
	assert_int_equal(cw_enroll_platform_check("windows"), 0);
	assert_int_equal(cw_enroll_platform_check("linux"), 0);
	assert_int_equal(cw_enroll_platform_check("Apple"), -1);
	assert_int_equal(cw_enroll_platform_check(""), -1);
	assert_int_equal(cw_enroll_platform_check("android"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(create__records_the_invitation_its_pending_certificates_and_sealed_devices),
		T(create__refuses_a_suspended_or_unknown_member_and_changes_nothing),
		T(create__with_a_taken_serial_is_duplicate_and_changes_nothing),
		T(create__refuses_0_or_21_devices),
		T(open__answers_the_member_the_network_and_every_certificate),
		T(open__of_an_unknown_or_malformed_token_is_refused_and_recorded),
		T(open__shows_guest_passphrases_only_of_ssids_members_see),
		T(collect__hands_out_each_device_once_then_refuses),
		T(collect__skips_a_device_whose_certificate_was_revoked),
		T(lost__revokes_the_members_certificate_and_nothing_else),
		T(expired__is_refused_and_ended_its_uncollected_certificates_revoked),
		T(revoke__ends_it_at_once_and_twice_changes_nothing),
		T(sweep__ends_expired_invitations_and_those_of_removed_members),
		T(suspended_member__is_refused_until_resumed),
		T(events__list_every_row_or_one_invitations),
		cmocka_unit_test(platform_check__takes_the_four_platforms_only),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
