/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_guest.c - unit tests for lib/server/guest.c: the guest path's decision on
 * hostapd's MAC authentication requests, against the fixture registry
 * with passphrases made by cw_admin_psk_rotate at chosen instants, and
 * for the rotation and policy functions of lib/admin/registry_admin.c it serves.
 *
 * Time is only what the tests pass as `now`; TZ is set where the calendar
 * matters and restored by teardown.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "fixture.h"
#include "guest.h"
#include "psk.h"

#define GUEST_SSID	"CoworkGuest"
#define GUEST_STATION	"02-00-00-00-00-01:" GUEST_SSID
#define STATION_MAC	"aabbccddeeff"
#define CALLING_MAC	"AA-BB-CC-DD-EE-FF"
#define GUEST_VLAN	300

typedef struct env {
	fixture_t	f;
	cw_registry_t	*reader;	//!< what the module uses
	int64_t		t0;		//!< mid-month in every zone: 2027-01-15 03:00 UTC
	bool		tz_changed;
	bool		tz_was_set;
	char		tz_saved[128];
} env_t;

/* Unix time of a UTC calendar instant. */
static int64_t utc_time(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (int64_t)timegm(&tm);
}

/* Unix time of a calendar instant in Japan (UTC+9, no DST), computed without TZ. */
static int64_t jst(int y, int mo, int d, int h, int mi, int s)
{
	return utc_time(y, mo, d, h, mi, s) - 9 * 3600;
}

static void tz_set(env_t *env, const char *tz)
{
	if (!env->tz_changed) {
		const char *old = getenv("TZ");

		env->tz_was_set = old != NULL;
		if (old) snprintf(env->tz_saved, sizeof(env->tz_saved), "%s", old);
		env->tz_changed = true;
	}
	assert_int_equal(setenv("TZ", tz, 1), 0);
	tzset();
}

static void tz_restore(env_t *env)
{
	if (!env->tz_changed) return;
	if (env->tz_was_set) {
		(void)setenv("TZ", env->tz_saved, 1);
	} else {
		(void)unsetenv("TZ");
	}
	tzset();
	env->tz_changed = false;
}

static int setup(void **state)
{
	env_t *env = calloc(1, sizeof(*env));
	cw_err_t e = { "" };

	if (!env) return -1;
	if (fixture_setup(&env->f) < 0) {
		free(env);
		return -1;
	}
	if (cw_registry_open_reader(env->f.path, 1000, &env->reader, &e) < 0) {
		fprintf(stderr, "reader: %s\n", e.msg);
		fixture_teardown(&env->f);
		free(env);
		return -1;
	}
	env->t0 = utc_time(2027, 1, 15, 3, 0, 0);
	*state = env;
	return 0;
}

static int teardown(void **state)
{
	env_t *env = *state;

	tz_restore(env);
	cw_registry_close(env->reader);
	fixture_teardown(&env->f);
	free(env);
	return 0;
}

/* --- helpers ------------------------------------------------------------------- */

/* A request as hostapd sends it; NULL leaves an attribute out. */
static void request(cw_guest_input_t *in, const char *user, const char *password, const char *calling,
		    const char *called)
{
	memset(in, 0, sizeof(*in));
	in->user_name = user;
	in->user_name_len = user ? strlen(user) : 0;
	in->user_password = password;
	in->user_password_len = password ? strlen(password) : 0;
	in->calling_station = calling;
	in->calling_station_len = calling ? strlen(calling) : 0;
	in->called_station = called;
	in->called_station_len = called ? strlen(called) : 0;
}

static void hostapd_request(cw_guest_input_t *in)
{
	request(in, STATION_MAC, STATION_MAC, CALLING_MAC, GUEST_STATION);
}

static void decide_at(env_t *env, const cw_guest_input_t *in, int64_t now, cw_guest_decision_t *out)
{
	memset(out, 0xa5, sizeof(*out));	/* decide must fill everything */
	cw_guest_decide(env->reader, in, now, out);
}

static void decide_hostapd(env_t *env, int64_t now, cw_guest_decision_t *out)
{
	cw_guest_input_t in;

	hostapd_request(&in);
	decide_at(env, &in, now, out);
}

static void assert_reason(const cw_guest_decision_t *d, const char *part)
{
	if (strstr(d->reason, part) == NULL) fail_msg("reason \"%s\" lacks \"%s\"", d->reason, part);
}

static void assert_all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < len; i++) {
		if (b[i] != 0) fail_msg("byte %zu of %zu is 0x%02x, want 0", i, len, b[i]);
	}
}

/* A refusal of this kind: no VLAN, no passphrase, nothing left in psk[]. */
static void assert_refused(const cw_guest_decision_t *d, cw_decide_result_t want)
{
	if (d->result != want) {
		fail_msg("got %s (%s), want %s", cw_decide_result_name(d->result), d->reason,
			 cw_decide_result_name(want));
	}
	assert_true(d->reason[0] != '\0');
	assert_int_equal(d->vlan, 0);
	assert_int_equal(d->n_psk, 0);
	assert_int_equal(d->session_timeout, 0);
	assert_all_zero(d->psk, sizeof(d->psk));
}

static void assert_accepted(const cw_guest_decision_t *d, size_t n_psk)
{
	if (d->result != CW_DECIDE_ACCEPT) {
		fail_msg("got %s (%s), want accept", cw_decide_result_name(d->result), d->reason);
	}
	assert_int_equal(d->vlan, GUEST_VLAN);
	assert_int_equal(d->n_psk, n_psk);
	assert_string_equal(d->ssid, GUEST_SSID);
	for (size_t i = n_psk; i < CW_PSK_SERVED_MAX; i++) assert_all_zero(&d->psk[i], sizeof(d->psk[i]));
}

static void assert_same_psk(const cw_psk_row_t *got, const cw_psk_row_t *want)
{
	assert_string_equal(got->passphrase, want->passphrase);
	assert_int_equal(got->valid_from, want->valid_from);
	assert_int_equal(got->valid_until, want->valid_until);
	assert_int_equal(got->grace_until, want->grace_until);
}

static void rotate_ssid(env_t *env, const char *ssid, int64_t now, bool force, bool expire_old, cw_rotation_t *out)
{
	cw_err_t e = { "" };

	if (cw_admin_psk_rotate(env->f.admin, ssid, now, force, expire_old, out, &e) < 0) {
		fail_msg("rotate %s at %lld: %s", ssid, (long long)now, e.msg);
	}
}

static void rotate(env_t *env, int64_t now, bool force, bool expire_old, cw_rotation_t *out)
{
	rotate_ssid(env, GUEST_SSID, now, force, expire_old, out);
}

static void set_policy(env_t *env, const char *period, int64_t grace, int64_t warn)
{
	cw_guest_policy_t p;
	cw_err_t e = { "" };

	memset(&p, 0, sizeof(p));
	if (cw_period_parse(period, &p.period, &e) < 0) fail_msg("period %s: %s", period, e.msg);
	p.grace = grace;
	p.warn = warn;
	if (cw_admin_guest_policy_set(env->f.admin, GUEST_SSID, &p, &e) < 0) fail_msg("policy: %s", e.msg);
}

static void admin_exec(env_t *env, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(cw_registry_db(env->f.admin), sql, NULL, NULL, &msg) != SQLITE_OK) {
		fail_msg("%s: %s", sql, msg ? msg : "?");
	}
	sqlite3_free(msg);
}

/* The single integer a query on the admin connection returns. */
static int64_t admin_int(env_t *env, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int64_t v;

	if (sqlite3_prepare_v2(cw_registry_db(env->f.admin), sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		fail_msg("%s: %s", sql, sqlite3_errmsg(cw_registry_db(env->f.admin)));
	}
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t psk_rows(env_t *env)
{
	return admin_int(env, "SELECT count(*) FROM guest_psk WHERE ssid = 'CoworkGuest'");
}

/* --- rotation and serving ---------------------------------------------------------- */

static void rotated_passphrase__is_served_on_guest_vlan(void **state)
{
	env_t *env = *state;
	const cw_mac_t mac = { { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff } };
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	assert_true(rot.rotated);
	assert_false(rot.had_previous);
	assert_int_equal(strlen(rot.current.passphrase), CW_PSK_BUF - 1);
	assert_true(cw_psk_valid(rot.current.passphrase, strlen(rot.current.passphrase)));
	assert_int_equal(rot.current.valid_from, env->t0);
	assert_true(rot.current.valid_until > env->t0 + CW_GUEST_SESSION_MAX);
	assert_int_equal(rot.current.grace_until, rot.current.valid_until + CW_GUEST_GRACE_DEFAULT);

	decide_hostapd(env, env->t0, &d);
	assert_accepted(&d, 1);
	assert_same_psk(&d.psk[0], &rot.current);
	assert_int_equal(d.session_timeout, CW_GUEST_SESSION_MAX);
	assert_int_equal(d.expires_at, rot.current.grace_until);
	assert_false(d.expiring);
	assert_true(d.has_mac);
	assert_memory_equal(&d.mac, &mac, sizeof(mac));
	/* An accept's reason is just "accept"; its description (for debug logs) names neither
	 * the secret nor the device's address. */
	assert_string_equal(d.reason, "accept");
	{
		char what[CW_REASON_MAX];

		cw_guest_describe(&d, what, sizeof(what));
		assert_null(strstr(what, rot.current.passphrase));
		assert_null(strstr(what, STATION_MAC));
		assert_null(strstr(what, CALLING_MAC));
		assert_non_null(strstr(what, GUEST_SSID));
		assert_non_null(strstr(what, "VLAN 300"));
	}
	cw_guest_decision_wipe(&d);
	cw_wipe(&rot, sizeof(rot));
}

static void near_expiry__session_ends_with_passphrase(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;
	int64_t end;

	rotate(env, env->t0, false, false, &rot);
	end = rot.current.grace_until;

	decide_hostapd(env, end - 7200, &d);
	assert_accepted(&d, 1);
	assert_int_equal(d.session_timeout, 7200);

	decide_hostapd(env, end - CW_GUEST_SESSION_MAX, &d);
	assert_accepted(&d, 1);
	assert_int_equal(d.session_timeout, CW_GUEST_SESSION_MAX);

	decide_hostapd(env, end - CW_GUEST_SESSION_MAX - 1, &d);
	assert_accepted(&d, 1);
	assert_int_equal(d.session_timeout, CW_GUEST_SESSION_MAX);

	decide_hostapd(env, end - 1, &d);
	assert_accepted(&d, 1);
	assert_int_equal(d.session_timeout, 1);
	cw_guest_decision_wipe(&d);
}

static void second_rotation_in_period__is_noop(void **state)
{
	env_t *env = *state;
	cw_rotation_t first, again;

	rotate(env, env->t0, false, false, &first);
	rotate(env, env->t0 + 3600, false, false, &again);
	assert_false(again.rotated);
	assert_false(again.had_previous);
	assert_same_psk(&again.current, &first.current);

	/* Up to the last second of the period. */
	rotate(env, first.current.valid_until - 1, false, false, &again);
	assert_false(again.rotated);
	assert_same_psk(&again.current, &first.current);
	assert_int_equal(psk_rows(env), 1);
}

static void next_period_rotation__serves_new_first_then_old_in_grace(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t old, cur;
	int64_t next;

	rotate(env, env->t0, false, false, &old);
	next = old.current.valid_until + 10;

	/* Period over, not rotated yet: the old one is still served in its grace. */
	decide_hostapd(env, next - 5, &d);
	assert_accepted(&d, 1);
	assert_same_psk(&d.psk[0], &old.current);

	rotate(env, next, false, false, &cur);
	assert_true(cur.rotated);
	assert_string_not_equal(cur.current.passphrase, old.current.passphrase);
	assert_int_equal(cur.current.valid_from, next);
	assert_true(cur.current.valid_until > next);
	assert_true(cur.had_previous);
	assert_int_equal(cur.previous_until, old.current.grace_until);

	decide_hostapd(env, next, &d);
	assert_accepted(&d, 2);
	assert_same_psk(&d.psk[0], &cur.current);
	assert_same_psk(&d.psk[1], &old.current);
	assert_int_equal(d.expires_at, cur.current.grace_until);

	decide_hostapd(env, old.current.grace_until - 1, &d);
	assert_accepted(&d, 2);
	assert_same_psk(&d.psk[1], &old.current);

	decide_hostapd(env, old.current.grace_until, &d);
	assert_accepted(&d, 1);
	assert_same_psk(&d.psk[0], &cur.current);
	cw_guest_decision_wipe(&d);
}

static void forced_rotation__serves_old_only_for_grace_from_now(void **state)
{
	env_t *env = *state;
	int64_t t1 = env->t0 + 3600;
	cw_guest_decision_t d;
	cw_rotation_t old, cur;

	rotate(env, env->t0, false, false, &old);
	rotate(env, t1, true, false, &cur);
	assert_true(cur.rotated);
	assert_string_not_equal(cur.current.passphrase, old.current.passphrase);
	assert_int_equal(cur.current.valid_from, t1);
	assert_int_equal(cur.current.valid_until, old.current.valid_until);
	assert_true(cur.had_previous);
	assert_int_equal(cur.previous_until, t1 + CW_GUEST_GRACE_DEFAULT);
	assert_true(old.current.grace_until > t1 + CW_GUEST_GRACE_DEFAULT);

	decide_hostapd(env, t1, &d);
	assert_accepted(&d, 2);
	assert_same_psk(&d.psk[0], &cur.current);
	assert_string_equal(d.psk[1].passphrase, old.current.passphrase);
	assert_int_equal(d.psk[1].valid_until, t1);
	assert_int_equal(d.psk[1].grace_until, t1 + CW_GUEST_GRACE_DEFAULT);

	decide_hostapd(env, t1 + CW_GUEST_GRACE_DEFAULT - 1, &d);
	assert_accepted(&d, 2);

	/* Long before the old one's original end of serving. */
	decide_hostapd(env, t1 + CW_GUEST_GRACE_DEFAULT, &d);
	assert_accepted(&d, 1);
	assert_same_psk(&d.psk[0], &cur.current);
	cw_guest_decision_wipe(&d);
}

static void forced_rotation_expiring_old__never_serves_it_again(void **state)
{
	env_t *env = *state;
	int64_t t1 = env->t0 + 3600;
	cw_guest_decision_t d;
	cw_rotation_t old, cur;

	rotate(env, env->t0, false, false, &old);
	rotate(env, t1, true, true, &cur);
	assert_true(cur.rotated);
	assert_false(cur.had_previous);
	assert_string_not_equal(cur.current.passphrase, old.current.passphrase);

	decide_hostapd(env, t1, &d);
	assert_accepted(&d, 1);
	assert_same_psk(&d.psk[0], &cur.current);

	decide_hostapd(env, t1 + 1, &d);
	assert_accepted(&d, 1);
	assert_same_psk(&d.psk[0], &cur.current);
	assert_int_equal(psk_rows(env), 1);
	cw_guest_decision_wipe(&d);
}

/* Also ends a passphrase in its grace from the previous period. */
static void forced_rotation_expiring_old__ends_previous_in_grace_too(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t first, second, cur;
	int64_t next;

	rotate(env, env->t0, false, false, &first);
	next = first.current.valid_until + 10;
	rotate(env, next, false, false, &second);
	rotate(env, next + 60, true, true, &cur);
	assert_false(cur.had_previous);

	decide_hostapd(env, next + 60, &d);
	assert_accepted(&d, 1);
	assert_same_psk(&d.psk[0], &cur.current);
	cw_guest_decision_wipe(&d);
}

/* A leaked passphrase replaced in the second it was made must not be served for one more second. */
static void forced_rotation_expiring_old_in_same_second__never_serves_it(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t old, cur;

	rotate(env, env->t0, false, false, &old);
	rotate(env, env->t0, true, true, &cur);
	assert_true(cur.rotated);
	assert_false(cur.had_previous);

	decide_hostapd(env, env->t0, &d);
	assert_accepted(&d, 1);
	assert_same_psk(&d.psk[0], &cur.current);

	/* And a later non-forced rotation keeps the new one. */
	cw_wipe(&old, sizeof(old));
	rotate(env, env->t0 + 1, false, false, &old);
	assert_false(old.rotated);
	assert_same_psk(&old.current, &cur.current);
	cw_guest_decision_wipe(&d);
}

/* Forced in the second the old one was made: still reported, and served, for the grace from now. */
static void forced_rotation_in_same_second__reports_old_still_served(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t old, cur;

	rotate(env, env->t0, false, false, &old);
	rotate(env, env->t0, true, false, &cur);
	assert_true(cur.rotated);

	decide_hostapd(env, env->t0, &d);
	assert_accepted(&d, 2);
	assert_same_psk(&d.psk[0], &cur.current);
	assert_string_equal(d.psk[1].passphrase, old.current.passphrase);
	assert_int_equal(d.psk[1].grace_until, env->t0 + CW_GUEST_GRACE_DEFAULT);
	assert_true(cur.had_previous);
	assert_int_equal(cur.previous_until, env->t0 + CW_GUEST_GRACE_DEFAULT);
	cw_guest_decision_wipe(&d);
}

static void expire_old_without_force__is_refused(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t old, cur;
	cw_err_t e = { "" };

	rotate(env, env->t0, false, false, &old);
	memset(&cur, 0xa5, sizeof(cur));
	assert_int_equal(cw_admin_psk_rotate(env->f.admin, GUEST_SSID, env->t0 + 3600, false, true, &cur, &e), -1);
	assert_non_null(strstr(e.msg, "force"));
	assert_all_zero(&cur, sizeof(cur));

	decide_hostapd(env, env->t0 + 3600, &d);
	assert_accepted(&d, 1);
	assert_same_psk(&d.psk[0], &old.current);
	assert_int_equal(psk_rows(env), 1);
	cw_guest_decision_wipe(&d);
}

static void rotation_on_member_ssid__is_refused(void **state)
{
	env_t *env = *state;
	cw_rotation_t rot;
	cw_err_t e = { "" };

	assert_int_equal(cw_admin_psk_rotate(env->f.admin, "CoworkMembers", env->t0, false, false, &rot, &e), -1);
	assert_non_null(strstr(e.msg, "member SSID"));
	assert_int_equal(cw_admin_psk_rotate(env->f.admin, "Nowhere", env->t0, false, false, &rot, &e), -1);
	assert_non_null(strstr(e.msg, "unknown SSID"));
	assert_int_equal(admin_int(env, "SELECT count(*) FROM guest_psk"), 0);
}

/* --- expiry -------------------------------------------------------------------------- */

static void expired_passphrase__is_never_served(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);

	decide_hostapd(env, rot.current.grace_until - 1, &d);
	assert_accepted(&d, 1);

	decide_hostapd(env, rot.current.grace_until, &d);
	assert_refused(&d, CW_DECIDE_NO_PSK);
	assert_reason(&d, "\"" GUEST_SSID "\"");
	assert_reason(&d, "coworkctl psk rotate");
	assert_reason(&d, "expired");
	assert_null(strstr(d.reason, rot.current.passphrase));

	decide_hostapd(env, rot.current.grace_until + 400 * 86400, &d);
	assert_refused(&d, CW_DECIDE_NO_PSK);
}

static void no_passphrase_ever__is_no_psk(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;

	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_NO_PSK);
	assert_reason(&d, "no passphrase yet");
	assert_reason(&d, GUEST_SSID);
	assert_reason(&d, "coworkctl psk rotate");
}

static void passphrase_before_its_valid_from__is_not_served(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	decide_hostapd(env, env->t0 - 1, &d);
	assert_refused(&d, CW_DECIDE_NO_PSK);
	assert_reason(&d, "no passphrase valid yet");
	assert_null(strstr(d.reason, "expired"));
}

/* --- calendar periods and policies ----------------------------------------------------- */

static void monthly_window__ends_at_next_local_first_of_month(void **state)
{
	env_t *env = *state;
	cw_rotation_t rot;
	int64_t t;

	tz_set(env, "Asia/Tokyo");
	t = jst(2027, 1, 31, 23, 59, 59);
	rotate(env, t, false, false, &rot);
	assert_true(rot.rotated);
	assert_int_equal(rot.current.valid_from, t);
	assert_int_equal(rot.current.valid_until, jst(2027, 2, 1, 0, 0, 0));
	assert_int_equal(rot.current.grace_until, jst(2027, 2, 2, 0, 0, 0));

	t = jst(2027, 2, 1, 0, 0, 0);
	rotate(env, t, false, false, &rot);
	assert_true(rot.rotated);
	assert_int_equal(rot.current.valid_from, t);
	assert_int_equal(rot.current.valid_until, jst(2027, 3, 1, 0, 0, 0));
	assert_int_equal(rot.current.grace_until, jst(2027, 3, 1, 0, 0, 0) + CW_GUEST_GRACE_DEFAULT);
	assert_true(rot.had_previous);
	assert_int_equal(rot.previous_until, jst(2027, 2, 2, 0, 0, 0));

	/* The last second of a 28-day February is still in that period. */
	rotate(env, jst(2027, 2, 28, 23, 59, 59), false, false, &rot);
	assert_false(rot.rotated);
	assert_int_equal(rot.current.valid_until, jst(2027, 3, 1, 0, 0, 0));
	cw_wipe(&rot, sizeof(rot));
}

static void monthly_window_in_leap_february__ends_on_march_first(void **state)
{
	env_t *env = *state;
	cw_rotation_t rot;

	tz_set(env, "Asia/Tokyo");
	rotate(env, jst(2028, 2, 1, 0, 0, 0), false, false, &rot);
	assert_int_equal(rot.current.valid_until, jst(2028, 3, 1, 0, 0, 0));

	rotate(env, jst(2028, 2, 29, 23, 59, 59), false, false, &rot);
	assert_false(rot.rotated);

	rotate(env, jst(2028, 3, 1, 0, 0, 0), false, false, &rot);
	assert_true(rot.rotated);
	assert_int_equal(rot.current.valid_until, jst(2028, 4, 1, 0, 0, 0));
	assert_int_equal(rot.current.grace_until, jst(2028, 4, 2, 0, 0, 0));
	cw_wipe(&rot, sizeof(rot));
}

static void weekly_policy__ends_at_next_local_monday(void **state)
{
	env_t *env = *state;
	cw_rotation_t rot;

	tz_set(env, "Asia/Tokyo");
	set_policy(env, "weekly", 3600, 600);
	/* Wednesday 13 January 2027. */
	rotate(env, jst(2027, 1, 13, 10, 0, 0), false, false, &rot);
	assert_int_equal(rot.current.valid_until, jst(2027, 1, 18, 0, 0, 0));
	assert_int_equal(rot.current.grace_until, jst(2027, 1, 18, 1, 0, 0));

	rotate(env, jst(2027, 1, 17, 23, 59, 59), false, false, &rot);
	assert_false(rot.rotated);

	rotate(env, jst(2027, 1, 18, 0, 0, 0), false, false, &rot);
	assert_true(rot.rotated);
	assert_int_equal(rot.current.valid_until, jst(2027, 1, 25, 0, 0, 0));
	assert_int_equal(rot.previous_until, jst(2027, 1, 18, 1, 0, 0));
	cw_wipe(&rot, sizeof(rot));
}

static void fourteen_day_policy__ends_fourteen_local_midnights_later(void **state)
{
	env_t *env = *state;
	cw_rotation_t rot;

	tz_set(env, "Asia/Tokyo");
	set_policy(env, "14d", 0, 0);
	rotate(env, jst(2027, 1, 13, 10, 0, 0), false, false, &rot);
	assert_int_equal(rot.current.valid_from, jst(2027, 1, 13, 10, 0, 0));
	assert_int_equal(rot.current.valid_until, jst(2027, 1, 27, 0, 0, 0));
	assert_int_equal(rot.current.grace_until, jst(2027, 1, 27, 0, 0, 0));

	/* Without grace, no overlap: the next one alone from the period's end. */
	rotate(env, jst(2027, 1, 27, 0, 0, 0), false, false, &rot);
	assert_true(rot.rotated);
	assert_false(rot.had_previous);
	assert_int_equal(rot.current.valid_until, jst(2027, 2, 10, 0, 0, 0));
	assert_int_equal(psk_rows(env), 1);
	cw_wipe(&rot, sizeof(rot));
}

static void policy_change__applies_from_next_rotation(void **state)
{
	env_t *env = *state;
	cw_rotation_t first, again;

	tz_set(env, "Asia/Tokyo");
	rotate(env, jst(2027, 1, 13, 10, 0, 0), false, false, &first);
	assert_int_equal(first.current.valid_until, jst(2027, 2, 1, 0, 0, 0));
	set_policy(env, "weekly", 7200, 3600);

	rotate(env, jst(2027, 1, 20, 10, 0, 0), false, false, &again);
	assert_false(again.rotated);
	assert_same_psk(&again.current, &first.current);

	rotate(env, jst(2027, 2, 1, 0, 0, 0), false, false, &again);
	assert_true(again.rotated);
	assert_int_equal(again.current.valid_until, jst(2027, 2, 8, 0, 0, 0));
	assert_int_equal(again.current.grace_until, jst(2027, 2, 8, 2, 0, 0));
	cw_wipe(&first, sizeof(first));
	cw_wipe(&again, sizeof(again));
}

static void policy_on_non_guest_ssid__is_refused(void **state)
{
	env_t *env = *state;
	cw_guest_policy_t p;
	cw_err_t e = { "" };

	memset(&p, 0, sizeof(p));
	p.period.kind = CW_PERIOD_WEEKLY;
	p.grace = 3600;
	p.warn = 3600;
	assert_int_equal(cw_admin_guest_policy_set(env->f.admin, "CoworkMembers", &p, &e), -1);
	assert_non_null(strstr(e.msg, "member SSID"));
	assert_int_equal(cw_admin_guest_policy_set(env->f.admin, "Staff", &p, &e), -1);
	assert_non_null(strstr(e.msg, "staff SSID"));
	assert_int_equal(cw_admin_guest_policy_set(env->f.admin, "Nowhere", &p, &e), -1);
	assert_non_null(strstr(e.msg, "unknown SSID"));
	assert_int_equal(cw_admin_guest_policy_get(env->f.admin, "CoworkMembers", &p, &e), -1);
	assert_int_equal(admin_int(env, "SELECT count(*) FROM guest_policy"), 0);
}

static void grace_above_thirty_days__is_refused(void **state)
{
	env_t *env = *state;
	cw_guest_policy_t p, got;
	cw_err_t e = { "" };

	memset(&p, 0, sizeof(p));
	p.period.kind = CW_PERIOD_MONTHLY;
	p.warn = 3600;
	p.grace = CW_GUEST_GRACE_MAX + 1;
	assert_int_equal(cw_admin_guest_policy_set(env->f.admin, GUEST_SSID, &p, &e), -1);
	assert_non_null(strstr(e.msg, "30 days"));
	p.grace = -1;
	assert_int_equal(cw_admin_guest_policy_set(env->f.admin, GUEST_SSID, &p, &e), -1);
	p.grace = 3600;
	p.warn = CW_GUEST_WARN_MAX + 1;
	assert_int_equal(cw_admin_guest_policy_set(env->f.admin, GUEST_SSID, &p, &e), -1);
	assert_int_equal(admin_int(env, "SELECT count(*) FROM guest_policy"), 0);

	p.grace = CW_GUEST_GRACE_MAX;
	p.warn = CW_GUEST_WARN_MAX;
	assert_int_equal(cw_admin_guest_policy_set(env->f.admin, GUEST_SSID, &p, &e), 0);
	assert_int_equal(cw_admin_guest_policy_get(env->f.admin, GUEST_SSID, &got, &e), 0);
	assert_int_equal(got.grace, CW_GUEST_GRACE_MAX);
	assert_int_equal(got.warn, CW_GUEST_WARN_MAX);
}

static void policy_get_without_row__gives_defaults(void **state)
{
	env_t *env = *state;
	cw_guest_policy_t p;
	cw_err_t e = { "" };

	memset(&p, 0xa5, sizeof(p));
	assert_int_equal(cw_admin_guest_policy_get(env->f.admin, GUEST_SSID, &p, &e), 0);
	assert_int_equal(p.period.kind, CW_PERIOD_MONTHLY);
	assert_int_equal(p.grace, CW_GUEST_GRACE_DEFAULT);
	assert_int_equal(p.warn, CW_GUEST_WARN_DEFAULT);

	set_policy(env, "14d", 7200, 1800);
	assert_int_equal(cw_admin_guest_policy_get(env->f.admin, GUEST_SSID, &p, &e), 0);
	assert_int_equal(p.period.kind, CW_PERIOD_DAYS);
	assert_int_equal(p.period.days, 14);
	assert_int_equal(p.grace, 7200);
	assert_int_equal(p.warn, 1800);
}

/* --- expiry warning -------------------------------------------------------------------- */

static void expiry_within_default_warning__is_expiring(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;
	int64_t end;

	rotate(env, env->t0, false, false, &rot);
	end = rot.current.grace_until;

	decide_hostapd(env, end - CW_GUEST_WARN_DEFAULT - 1, &d);
	assert_accepted(&d, 1);
	assert_false(d.expiring);
	assert_int_equal(d.expires_at, d.psk[0].grace_until);

	decide_hostapd(env, end - CW_GUEST_WARN_DEFAULT, &d);
	assert_accepted(&d, 1);
	assert_true(d.expiring);
	assert_int_equal(d.expires_at, end);

	decide_hostapd(env, end - 1, &d);
	assert_accepted(&d, 1);
	assert_true(d.expiring);
	cw_guest_decision_wipe(&d);
}

static void expiry_warning__follows_policy_warn(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;
	int64_t end;

	set_policy(env, "monthly", 86400, 3600);
	rotate(env, env->t0, false, false, &rot);
	end = rot.current.grace_until;

	decide_hostapd(env, end - 3601, &d);
	assert_accepted(&d, 1);
	assert_false(d.expiring);

	decide_hostapd(env, end - 3600, &d);
	assert_accepted(&d, 1);
	assert_true(d.expiring);
	assert_int_equal(d.expires_at, d.psk[0].grace_until);
	cw_guest_decision_wipe(&d);
}

/* With two served, the warning is about the newest: the old one ending is no news. */
static void expiry_warning__is_about_newest_passphrase(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t old, cur;

	rotate(env, env->t0, false, false, &old);
	rotate(env, old.current.valid_until + 10, false, false, &cur);

	decide_hostapd(env, old.current.grace_until - 1, &d);
	assert_accepted(&d, 2);
	assert_false(d.expiring);
	assert_int_equal(d.expires_at, cur.current.grace_until);
	assert_int_equal(d.expires_at, d.psk[0].grace_until);
	cw_guest_decision_wipe(&d);
}

/* --- not ours -------------------------------------------------------------------------- */

static void assert_not_ours(const cw_guest_decision_t *d)
{
	assert_refused(d, CW_DECIDE_NOT_OURS);
	assert_false(d->has_mac);
}

static void eap_request__is_not_ours(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;
	cw_guest_input_t in;

	rotate(env, env->t0, false, false, &rot);
	hostapd_request(&in);
	in.eap = true;
	decide_at(env, &in, env->t0, &d);
	assert_not_ours(&d);
}

static void no_user_name__is_not_ours(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;
	cw_guest_input_t in;

	rotate(env, env->t0, false, false, &rot);
	request(&in, NULL, STATION_MAC, CALLING_MAC, GUEST_STATION);
	decide_at(env, &in, env->t0, &d);
	assert_not_ours(&d);
}

static void non_mac_user_name__is_not_ours(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;
	cw_guest_input_t in;

	rotate(env, env->t0, false, false, &rot);
	request(&in, "alice", STATION_MAC, CALLING_MAC, GUEST_STATION);
	decide_at(env, &in, env->t0, &d);
	assert_not_ours(&d);

	/* A MAC followed by more bytes is not a MAC. */
	request(&in, STATION_MAC, STATION_MAC, CALLING_MAC, GUEST_STATION);
	in.user_name = "aabbccddeeff\0";
	in.user_name_len = 13;
	decide_at(env, &in, env->t0, &d);
	assert_not_ours(&d);
}

/* --- refusals ---------------------------------------------------------------------------- */

/* Each refusal below has a valid passphrase in force: the refusal is the input's. */
static void refused_with(env_t *env, const char *user, const char *password, const char *calling, const char *called,
			 cw_decide_result_t want, const char *reason_part)
{
	cw_guest_decision_t d;
	cw_rotation_t rot;
	cw_guest_input_t in;

	rotate(env, env->t0, false, false, &rot);
	request(&in, user, password, calling, called);
	decide_at(env, &in, env->t0, &d);
	assert_refused(&d, want);
	if (reason_part) assert_reason(&d, reason_part);
	assert_null(strstr(d.reason, rot.current.passphrase));
	cw_wipe(&rot, sizeof(rot));
}

static void missing_user_password__is_bad_input(void **state)
{
	refused_with(*state, STATION_MAC, NULL, CALLING_MAC, GUEST_STATION, CW_DECIDE_BAD_INPUT, "User-Password");
}

static void user_password_of_other_mac__is_bad_input(void **state)
{
	refused_with(*state, STATION_MAC, "aabbccddee00", CALLING_MAC, GUEST_STATION, CW_DECIDE_BAD_INPUT,
		     "does not match");
}

static void non_mac_user_password__is_bad_input(void **state)
{
	refused_with(*state, STATION_MAC, "hunter2hunter2", CALLING_MAC, GUEST_STATION, CW_DECIDE_BAD_INPUT,
		     "User-Password");
}

static void missing_calling_station__is_bad_input(void **state)
{
	refused_with(*state, STATION_MAC, STATION_MAC, NULL, GUEST_STATION, CW_DECIDE_BAD_INPUT,
		     "Calling-Station-Id");
}

static void malformed_calling_station__is_bad_input(void **state)
{
	refused_with(*state, STATION_MAC, STATION_MAC, "AA-BB-CC", GUEST_STATION, CW_DECIDE_BAD_INPUT,
		     "Calling-Station-Id");
}

static void calling_station_of_other_mac__is_bad_input(void **state)
{
	refused_with(*state, STATION_MAC, STATION_MAC, "AA-BB-CC-DD-EE-00", GUEST_STATION, CW_DECIDE_BAD_INPUT,
		     "does not match");
}

static void missing_called_station__is_bad_ssid(void **state)
{
	refused_with(*state, STATION_MAC, STATION_MAC, CALLING_MAC, NULL, CW_DECIDE_BAD_SSID, "Called-Station-Id");
}

static void bare_mac_called_station__is_bad_ssid(void **state)
{
	refused_with(*state, STATION_MAC, STATION_MAC, CALLING_MAC, "02-00-00-00-00-01", CW_DECIDE_BAD_SSID,
		     "no SSID");
}

static void unknown_ssid__is_bad_ssid(void **state)
{
	refused_with(*state, STATION_MAC, STATION_MAC, CALLING_MAC, "02-00-00-00-00-01:CoworkGuest2",
		     CW_DECIDE_BAD_SSID, "not in the registry");
}

static void member_ssid__is_bad_ssid(void **state)
{
	refused_with(*state, STATION_MAC, STATION_MAC, CALLING_MAC, "02-00-00-00-00-01:CoworkMembers",
		     CW_DECIDE_BAD_SSID, "member SSID");
}

static void staff_ssid__is_bad_ssid(void **state)
{
	refused_with(*state, STATION_MAC, STATION_MAC, CALLING_MAC, "02-00-00-00-00-01:Staff", CW_DECIDE_BAD_SSID,
		     "staff SSID");
}

static void called_station_with_escaped_nul__is_bad_input(void **state)
{
	refused_with(*state, STATION_MAC, STATION_MAC, CALLING_MAC, "02-00-00-00-00-01:CoworkGuest\\x00evil",
		     CW_DECIDE_BAD_INPUT, "Called-Station-Id");
}

/* A raw NUL would otherwise cut the SSID to "CoworkGuest" in the lookup. */
static void called_station_with_raw_nul__is_bad_input(void **state)
{
	static const char station[] = GUEST_STATION "\0evil";
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;
	cw_guest_input_t in;

	rotate(env, env->t0, false, false, &rot);
	hostapd_request(&in);
	in.called_station = station;
	in.called_station_len = sizeof(station) - 1;
	decide_at(env, &in, env->t0, &d);
	assert_refused(&d, CW_DECIDE_BAD_INPUT);
}

/* --- MAC notations ------------------------------------------------------------------------ */

static void mac_in_other_notations__is_accepted(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;
	cw_guest_input_t in;

	rotate(env, env->t0, false, false, &rot);
	request(&in, "AA:BB:CC:DD:EE:FF", STATION_MAC, "aabb.ccdd.eeff", GUEST_STATION);
	decide_at(env, &in, env->t0, &d);
	assert_accepted(&d, 1);
	assert_same_psk(&d.psk[0], &rot.current);

	request(&in, STATION_MAC, "AA-BB-CC-DD-EE-FF", "aa:bb:cc:dd:ee:ff", "02:00:00:00:00:01:" GUEST_SSID);
	decide_at(env, &in, env->t0, &d);
	assert_accepted(&d, 1);
	cw_guest_decision_wipe(&d);
	cw_wipe(&rot, sizeof(rot));
}

/* --- unsafe VLAN plans written behind the API ------------------------------------------------ */

/*
 * cw_registry_vlan_plan validates the whole plan, so a guest VLAN that
 * collides with another kind is an unsafe plan (BAD_VLAN) before
 * cw_vlan_check_guest sees it; either way a refusal, never an accept.
 */
static void guest_vlan_moved_to_staff__is_refused(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	admin_exec(env, "UPDATE vlan_range SET lo = 10, hi = 10 WHERE kind = 'guest'");
	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_BAD_VLAN);
	assert_reason(&d, "VLAN 10");
}

static void guest_vlan_moved_into_members_pool__is_refused(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	admin_exec(env, "UPDATE vlan_range SET lo = 150, hi = 150 WHERE kind = 'guest'");
	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_BAD_VLAN);
	assert_reason(&d, "VLAN 150");
}

static void guest_vlan_moved_to_shared__is_refused(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	admin_exec(env, "UPDATE vlan_range SET lo = 190, hi = 190 WHERE kind = 'guest'");
	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_BAD_VLAN);
	assert_reason(&d, "VLAN 190");
}

static void guest_vlan_row_deleted__is_refused(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	admin_exec(env, "DELETE FROM vlan_range WHERE kind = 'guest'");
	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_BAD_VLAN);
	assert_reason(&d, "guest");
}

static void deleted_vlan_plan__is_bad_vlan(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	admin_exec(env, "DELETE FROM vlan_range");
	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_BAD_VLAN);
	assert_reason(&d, "no VLAN plan");
}

/* --- passphrase rows no AP could use --------------------------------------------------------- */

static void short_passphrase__is_refused_by_schema(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	assert_int_equal(sqlite3_exec(cw_registry_db(env->f.admin), "UPDATE guest_psk SET passphrase = 'short'", NULL,
				      NULL, NULL) & 0xff, SQLITE_CONSTRAINT);
	decide_hostapd(env, env->t0, &d);
	assert_accepted(&d, 1);
	assert_same_psk(&d.psk[0], &rot.current);
	cw_guest_decision_wipe(&d);
}

static void short_passphrase_behind_checks__is_internal(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	admin_exec(env, "PRAGMA ignore_check_constraints = ON;"
			" UPDATE guest_psk SET passphrase = 'short';"
			" PRAGMA ignore_check_constraints = OFF");
	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_INTERNAL);
	assert_reason(&d, "no AP can use");
	assert_null(strstr(d.reason, "short"));
}

static void control_character_passphrase__is_internal(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	admin_exec(env, "UPDATE guest_psk SET passphrase = 'abcd' || char(9) || 'efghij'");
	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_INTERNAL);
}

static void non_ascii_passphrase__is_internal(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	admin_exec(env, "UPDATE guest_psk SET passphrase = 'p' || char(228) || 'sswort1'");
	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_INTERNAL);
}

/* 63 characters by the schema's CHECK, 126 bytes: must not overflow passphrase[64]. */
static void overlong_utf8_passphrase__is_internal(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	admin_exec(env, "UPDATE guest_psk SET passphrase = replace(hex(zeroblob(63)), '00', char(233))");
	assert_int_equal(admin_int(env, "SELECT length(CAST(passphrase AS BLOB)) FROM guest_psk"), 126);
	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_INTERNAL);
}

/* One bad row among the served refuses the lot: the AP gets all or nothing. */
static void unusable_old_passphrase__refuses_both(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t old, cur;

	rotate(env, env->t0, false, false, &old);
	rotate(env, old.current.valid_until + 10, false, false, &cur);
	admin_exec(env, "UPDATE guest_psk SET passphrase = 'abcd' || char(10) || 'efghij'"
			" WHERE valid_from = (SELECT min(valid_from) FROM guest_psk)");
	decide_hostapd(env, old.current.valid_until + 10, &d);
	assert_refused(&d, CW_DECIDE_INTERNAL);
}

/* --- wipe -------------------------------------------------------------------------------------- */

static void decision_wipe__zeroes_passphrases(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t old, cur;

	rotate(env, env->t0, false, false, &old);
	rotate(env, old.current.valid_until + 10, false, false, &cur);
	decide_hostapd(env, old.current.valid_until + 10, &d);
	assert_accepted(&d, 2);
	assert_true(d.psk[0].passphrase[0] != '\0' && d.psk[1].passphrase[0] != '\0');

	cw_guest_decision_wipe(&d);
	assert_all_zero(d.psk, sizeof(d.psk));
	assert_int_equal(d.result, CW_DECIDE_ACCEPT);
}

/* --- registry errors ----------------------------------------------------------------------------- */

static void dropped_psk_table__is_internal(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	admin_exec(env, "DROP TABLE guest_psk");
	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_INTERNAL);
	assert_reason(&d, "guest_psk");
}

static void renamed_psk_table__is_internal(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	/* Served once, so the reader's statements were run before the change. */
	decide_hostapd(env, env->t0, &d);
	assert_accepted(&d, 1);
	admin_exec(env, "ALTER TABLE guest_psk RENAME TO guest_psk_gone");
	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_INTERNAL);
	assert_reason(&d, "guest_psk");

	/* Without any passphrase row the second query (the last expiry) is the one to fail. */
	admin_exec(env, "ALTER TABLE guest_psk_gone RENAME TO guest_psk; DELETE FROM guest_psk");
	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_NO_PSK);
	admin_exec(env, "ALTER TABLE guest_psk RENAME TO guest_psk_gone");
	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_INTERNAL);
}

static void dropped_policy_table__is_internal(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	admin_exec(env, "DROP TABLE guest_policy");
	decide_hostapd(env, env->t0, &d);
	assert_refused(&d, CW_DECIDE_INTERNAL);
}

static void locked_registry__is_internal(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	cw_rotation_t rot;

	rotate(env, env->t0, false, false, &rot);
	admin_exec(env, "BEGIN EXCLUSIVE");
	decide_hostapd(env, env->t0, &d);
	admin_exec(env, "ROLLBACK");
	assert_refused(&d, CW_DECIDE_INTERNAL);
	assert_reason(&d, "locked");

	decide_hostapd(env, env->t0, &d);
	assert_accepted(&d, 1);
	cw_guest_decision_wipe(&d);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(rotated_passphrase__is_served_on_guest_vlan),
		T(near_expiry__session_ends_with_passphrase),
		T(second_rotation_in_period__is_noop),
		T(next_period_rotation__serves_new_first_then_old_in_grace),
		T(forced_rotation__serves_old_only_for_grace_from_now),
		T(forced_rotation_expiring_old__never_serves_it_again),
		T(forced_rotation_expiring_old__ends_previous_in_grace_too),
		T(forced_rotation_expiring_old_in_same_second__never_serves_it),
		T(forced_rotation_in_same_second__reports_old_still_served),
		T(expire_old_without_force__is_refused),
		T(rotation_on_member_ssid__is_refused),
		T(expired_passphrase__is_never_served),
		T(no_passphrase_ever__is_no_psk),
		T(passphrase_before_its_valid_from__is_not_served),
		T(monthly_window__ends_at_next_local_first_of_month),
		T(monthly_window_in_leap_february__ends_on_march_first),
		T(weekly_policy__ends_at_next_local_monday),
		T(fourteen_day_policy__ends_fourteen_local_midnights_later),
		T(policy_change__applies_from_next_rotation),
		T(policy_on_non_guest_ssid__is_refused),
		T(grace_above_thirty_days__is_refused),
		T(policy_get_without_row__gives_defaults),
		T(expiry_within_default_warning__is_expiring),
		T(expiry_warning__follows_policy_warn),
		T(expiry_warning__is_about_newest_passphrase),
		T(eap_request__is_not_ours),
		T(no_user_name__is_not_ours),
		T(non_mac_user_name__is_not_ours),
		T(missing_user_password__is_bad_input),
		T(user_password_of_other_mac__is_bad_input),
		T(non_mac_user_password__is_bad_input),
		T(missing_calling_station__is_bad_input),
		T(malformed_calling_station__is_bad_input),
		T(calling_station_of_other_mac__is_bad_input),
		T(missing_called_station__is_bad_ssid),
		T(bare_mac_called_station__is_bad_ssid),
		T(unknown_ssid__is_bad_ssid),
		T(member_ssid__is_bad_ssid),
		T(staff_ssid__is_bad_ssid),
		T(called_station_with_escaped_nul__is_bad_input),
		T(called_station_with_raw_nul__is_bad_input),
		T(mac_in_other_notations__is_accepted),
		T(guest_vlan_moved_to_staff__is_refused),
		T(guest_vlan_moved_into_members_pool__is_refused),
		T(guest_vlan_moved_to_shared__is_refused),
		T(guest_vlan_row_deleted__is_refused),
		T(deleted_vlan_plan__is_bad_vlan),
		T(short_passphrase__is_refused_by_schema),
		T(short_passphrase_behind_checks__is_internal),
		T(control_character_passphrase__is_internal),
		T(non_ascii_passphrase__is_internal),
		T(overlong_utf8_passphrase__is_internal),
		T(unusable_old_passphrase__refuses_both),
		T(decision_wipe__zeroes_passphrases),
		T(dropped_psk_table__is_internal),
		T(renamed_psk_table__is_internal),
		T(dropped_policy_table__is_internal),
		T(locked_registry__is_internal),
#undef T
	};

	return cmocka_run_group_tests_name("guest", tests, NULL, NULL);
}
