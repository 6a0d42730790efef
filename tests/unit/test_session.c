/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_session.c - sessions from accounting: the checks on an
 * Accounting-Request, and Start/Interim-Update/Stop/Accounting-On-Off and
 * retention on a real access log file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "fixture.h"
#include "session.h"

#define T0	INT64_C(1767225600000)	/* 2026-01-01T00:00:00Z in ms */
#define ISSUED	INT64_C(1767225000)	/* when the Accept's Class was made, in s */

/* The Class MAC keys: the server's, and another server's. */
static uint8_t key[CW_CLASS_KEY_LEN], other_key[CW_CLASS_KEY_LEN];
/* Classes made with key: alice's, bob's. */
static char class_alice[CW_CLASS_MAX + 1], class_bob[CW_CLASS_MAX + 1];

/* The keys as radiusd derives them from two device keys, and the Classes. */
static int make_keys(void **state)
{
	uint8_t device_key[CW_DEVICE_KEY_LEN];

	(void)state;
	memset(device_key, 0x5a, sizeof(device_key));
	if (cw_session_class_key(device_key, key) < 0) return -1;
	device_key[0] ^= 1;
	if (cw_session_class_key(device_key, other_key) < 0) return -1;
	if (cw_session_class(key, FX_ALICE, ISSUED, class_alice) < 0 || cw_session_class(key, FX_BOB, ISSUED, class_bob) < 0)
		return -1;
	return 0;
}

typedef struct {
	fixture_t	fx;
	cw_accesslog_t	*log;
} ctx_t;

static int setup(void **state)
{
	ctx_t *c = calloc(1, sizeof(*c));
	cw_err_t e;

	if (!c || fixture_setup(&c->fx) < 0) return -1;
	if (cw_accesslog_open(c->fx.log_path, false, &c->log, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	ctx_t *c = *state;

	cw_accesslog_close(c->log);
	fixture_teardown(&c->fx);
	free(c);
	return 0;
}

/* A hostapd-like Accounting-Request of status for alice's certificate. */
static cw_acct_input_t input(uint32_t status, const char *session_id, int64_t now_ms)
{
	cw_acct_input_t in = {
		.has_status = true,
		.status = status,
		.class_value = class_alice,
		.class_len = strlen(class_alice),
		.session_id = session_id,
		.session_id_len = session_id ? strlen(session_id) : 0,
		.user_name = "alice",
		.user_name_len = 5,
		.calling_station = "02-00-00-00-00-01",
		.calling_station_len = 17,
		.nas_identifier = "ap-lobby",
		.nas_identifier_len = 8,
		.nas_ip = "192.0.2.10",
		.source = "192.0.2.10",
		.now_ms = now_ms,
		.class_key = key,
	};
	return in;
}

static int parse(const cw_acct_input_t *in, cw_acct_event_t *ev, cw_err_t *e)
{
	return cw_acct_parse(in, ev, e);
}

/* --- Class --------------------------------------------------------------------------- */

static void class__names_the_certificate_and_is_recognised(void **state)
{
	char cls[CW_CLASS_MAX + 1];
	char want[CW_CLASS_MAX + 1];
	size_t n;

	(void)state;
	assert_int_equal(cw_session_class(key, FX_ALICE, ISSUED, cls), 0);
	snprintf(want, sizeof(want), "cowork:%s:%lld:", FX_ALICE, (long long)ISSUED);
	n = strlen(want);
	assert_memory_equal(cls, want, n);
	assert_int_equal(strlen(cls), n + 2 * CW_CLASS_TAG_LEN);
	for (size_t i = n; cls[i]; i++) assert_non_null(strchr("0123456789abcdef", cls[i]));
	assert_true(cw_session_class_ours(cls, strlen(cls)));
	assert_false(cw_session_class_ours("coworx:ab", 9));
	assert_false(cw_session_class_ours("cowork", 6));
	assert_false(cw_session_class_ours(NULL, 0));
	/* The longest one fits a RADIUS attribute with room to spare. */
	assert_int_equal(cw_session_class(key, "ffffffffffffffffffffffffffffffffffffffff", INT64_MAX, cls), 0);
	assert_int_equal(strlen(cls), CW_CLASS_MAX);
	assert_true(CW_CLASS_MAX <= 253);
}

static void class__is_made_only_for_canonical_serials(void **state)
{
	char cls[CW_CLASS_MAX + 1];

	(void)state;
	assert_int_equal(cw_session_class(key, "", ISSUED, cls), -1);
	assert_int_equal(cw_session_class(key, "A11CE", ISSUED, cls), -1);
	assert_int_equal(cw_session_class(key, "00a1", ISSUED, cls), -1);
	assert_int_equal(cw_session_class(key, "a1:1c", ISSUED, cls), -1);
	assert_int_equal(cw_session_class(key, FX_ALICE "00000000000", ISSUED, cls), -1);
	assert_int_equal(cw_session_class(key, FX_ALICE, -1, cls), -1);
}

/* The Class key depends on the device key, and is not the device key's hash of anything it hashes. */
static void class_key__is_derived_per_device_key(void **state)
{
	(void)state;
	assert_memory_not_equal(key, other_key, CW_CLASS_KEY_LEN);
}

/* in with class as its Class must be CW_ACCT_UNVERIFIED, saying why (matching `why`). */
static void assert_unverified(cw_acct_input_t *in, const char *class, size_t len, const char *why)
{
	cw_acct_event_t ev;
	cw_err_t e;

	in->class_value = class;
	in->class_len = len;
	assert_int_equal(cw_acct_parse(in, &ev, &e), CW_ACCT_UNVERIFIED);
	if (!strstr(e.msg, why)) fail_msg("\"%s\" lacks \"%s\"", e.msg, why);
	assert_string_equal(ev.serial, "");
}

static void parse_forged_class__is_unverified(void **state)
{
	cw_acct_input_t in = input(CW_ACCT_START, "1", T0);
	char cls[CW_CLASS_MAX + 1], altered[CW_CLASS_MAX + 1];
	char *p;

	(void)state;
	/* The form before Classes had a MAC, for a serial the registry knows. */
	assert_unverified(&in, "cowork:" FX_ALICE, strlen("cowork:" FX_ALICE), "carries no MAC");
	/* Made under another server's key. */
	assert_int_equal(cw_session_class(other_key, FX_ALICE, ISSUED, cls), 0);
	assert_unverified(&in, cls, strlen(cls), "does not verify");
	/* alice's tag on bob's serial. */
	snprintf(altered, sizeof(altered), "cowork:%s%s", FX_BOB, strchr(class_alice + 7, ':'));
	assert_unverified(&in, altered, strlen(altered), "does not verify");
	/* Another time under the same tag. */
	strcpy(altered, class_alice);
	p = strchr(altered + 7, ':') + 1;
	*p = *p == '1' ? '2' : '1';
	assert_unverified(&in, altered, strlen(altered), "does not verify");
	/* One tag digit changed, the tag cut short, lengthened, or in uppercase. */
	strcpy(altered, class_alice);
	p = altered + strlen(altered) - 1;
	*p = *p == '0' ? '1' : '0';
	assert_unverified(&in, altered, strlen(altered), "does not verify");
	assert_unverified(&in, class_alice, strlen(class_alice) - 1, "does not verify");
	snprintf(altered, sizeof(altered), "%s0", class_alice);
	assert_unverified(&in, altered, strlen(altered), "does not verify");
	strcpy(altered, class_alice);
	for (p = strrchr(altered, ':'); *p; p++) *p = (char)toupper((unsigned char)*p);
	assert_unverified(&in, altered, strlen(altered), "does not verify");
	/* No key to verify with (radiusd without its device key). */
	in.class_key = NULL;
	assert_unverified(&in, class_alice, strlen(class_alice), "no device key");
	/* Stop and Interim-Update need the MAC too. */
	in = input(CW_ACCT_STOP, "1", T0);
	assert_unverified(&in, "cowork:" FX_ALICE, strlen("cowork:" FX_ALICE), "carries no MAC");
	in = input(CW_ACCT_INTERIM, "1", T0);
	assert_unverified(&in, cls, strlen(cls), "does not verify");
}

static void parse_verified_class__gives_serial_and_time(void **state)
{
	cw_acct_input_t in = input(CW_ACCT_START, "1", T0);
	cw_acct_event_t ev;
	cw_err_t e;

	(void)state;
	assert_int_equal(cw_acct_parse(&in, &ev, &e), CW_ACCT_SESSION);
	assert_string_equal(ev.serial, FX_ALICE);
	assert_int_equal(ev.class_issued, ISSUED);
}

/* Every time the Class can be made with verifies, up to the largest (found by fuzz_acct). */
static void parse_verified_class__any_issued_time_round_trips(void **state)
{
	static const int64_t times[] = { 0, 9, INT64_C(999999999999999999), INT64_MAX - 1, INT64_MAX };
	char cls[CW_CLASS_MAX + 1];
	cw_acct_input_t in = input(CW_ACCT_START, "1", T0);
	cw_acct_event_t ev;
	cw_err_t e;

	(void)state;
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++) {
		assert_int_equal(cw_session_class(key, FX_ALICE, times[i], cls), 0);
		in.class_value = cls;
		in.class_len = strlen(cls);
		assert_int_equal(cw_acct_parse(&in, &ev, &e), CW_ACCT_SESSION);
		assert_int_equal(ev.class_issued, times[i]);
	}
}

/* --- checking requests ---------------------------------------------------------------- */

static void parse_start__gives_a_session_event(void **state)
{
	cw_acct_input_t in = input(CW_ACCT_START, "5F3A0C2E9B1D4E77", T0);
	cw_acct_event_t ev;
	cw_err_t e;

	(void)state;
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_SESSION);
	assert_int_equal(ev.status, CW_ACCT_START);
	assert_string_equal(ev.serial, FX_ALICE);
	assert_string_equal(ev.acct_session_id, "5F3A0C2E9B1D4E77");
	assert_string_equal(ev.user_name, "alice");
	assert_string_equal(ev.calling_station, "02-00-00-00-00-01");
	assert_true(ev.has_mac);
	assert_string_equal(ev.nas, "ap-lobby");
	assert_string_equal(ev.nas_address, "192.0.2.10");
}

static void parse_without_our_class__is_ignored(void **state)
{
	cw_acct_input_t in = input(CW_ACCT_START, "1", T0);
	cw_acct_event_t ev;
	cw_err_t e;

	(void)state;
	in.class_value = NULL;
	in.class_len = 0;
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_IGNORE);
	in.class_value = "other:123";
	in.class_len = 9;
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_IGNORE);
	/* Without our Class even a malformed request is none of our business. */
	in.calling_station = "garbage";
	in.calling_station_len = 7;
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_IGNORE);
}

static void parse_accounting_on_off__resets_the_nas_without_class(void **state)
{
	cw_acct_input_t in = input(CW_ACCT_ON, NULL, T0);
	cw_acct_event_t ev;
	cw_err_t e;

	(void)state;
	in.class_value = NULL;
	in.class_len = 0;
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_NAS_RESET);
	assert_string_equal(ev.nas_address, "192.0.2.10");
	in.status = CW_ACCT_OFF;
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_NAS_RESET);
	/* Whatever the NAS calls itself, its reboot ends its sessions (by source address). */
	in.nas_identifier = "ap\x01";
	in.nas_identifier_len = 3;
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_NAS_RESET);
	assert_string_equal(ev.nas, "");
	assert_string_equal(ev.nas_address, "192.0.2.10");
	in.source = "nowhere";
	assert_int_equal(parse(&in, &ev, &e), -1);
}

static void parse_untracked_status__is_ignored(void **state)
{
	cw_acct_input_t in = input(9, "1", T0);	/* Tunnel-Start */
	cw_acct_event_t ev;
	cw_err_t e;

	(void)state;
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_IGNORE);
	in.has_status = false;
	assert_int_equal(parse(&in, &ev, &e), -1);
	assert_non_null(strstr(e.msg, "Acct-Status-Type"));
}

static void parse_bad_session_id__is_refused(void **state)
{
	char longid[CW_ACCT_SESSION_ID_MAX + 2];
	cw_acct_input_t in = input(CW_ACCT_START, NULL, T0);
	cw_acct_event_t ev;
	cw_err_t e;

	(void)state;
	assert_int_equal(parse(&in, &ev, &e), -1);
	assert_non_null(strstr(e.msg, "no Acct-Session-Id"));
	memset(longid, 'A', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	in = input(CW_ACCT_START, longid, T0);
	assert_int_equal(parse(&in, &ev, &e), -1);
	assert_non_null(strstr(e.msg, "129 bytes"));
	longid[CW_ACCT_SESSION_ID_MAX] = '\0';	/* exactly the bound is fine */
	in = input(CW_ACCT_START, longid, T0);
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_SESSION);
	in = input(CW_ACCT_START, "ab\ncd", T0);
	assert_int_equal(parse(&in, &ev, &e), -1);
	assert_non_null(strstr(e.msg, "ab\\x0acd"));	/* escaped in the message */
}

static void parse_bad_mac__is_refused(void **state)
{
	cw_acct_input_t in = input(CW_ACCT_INTERIM, "1", T0);
	cw_acct_event_t ev;
	cw_err_t e;

	(void)state;
	in.calling_station = "02-00-00-00-00-0G";
	assert_int_equal(parse(&in, &ev, &e), -1);
	assert_non_null(strstr(e.msg, "Calling-Station-Id"));
	in.calling_station = "02:00:00:00:00:01";	/* another notation, kept as sent */
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_SESSION);
	assert_string_equal(ev.calling_station, "02:00:00:00:00:01");
	in.calling_station = NULL;	/* absent: allowed, no device */
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_SESSION);
	assert_false(ev.has_mac);
}

/* A Class in another form cannot carry a valid tag: nothing is taken from it. */
static void parse_bad_class_serial__is_unverified(void **state)
{
	static const char *const bad[] = { "cowork:", "cowork:xyz", "cowork:A11CE", "cowork:00a1", "cowork:a1:1c",
					   "cowork:" FX_ALICE "00000000000", "cowork:::", "cowork:a1::" };
	cw_acct_input_t in = input(CW_ACCT_START, "1", T0);

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) assert_unverified(&in, bad[i], strlen(bad[i]), "Class");
}

static void parse_bad_names_and_addresses__are_refused(void **state)
{
	cw_acct_input_t in = input(CW_ACCT_START, "1", T0);
	cw_acct_event_t ev;
	cw_err_t e;

	(void)state;
	in.user_name = "ali\x01" "ce";
	in.user_name_len = 6;
	assert_int_equal(parse(&in, &ev, &e), -1);
	in = input(CW_ACCT_START, "1", T0);
	in.nas_identifier = "ap\x7f";
	in.nas_identifier_len = 3;
	assert_int_equal(parse(&in, &ev, &e), -1);
	in = input(CW_ACCT_START, "1", T0);
	in.source = "not-an-address";
	assert_int_equal(parse(&in, &ev, &e), -1);
	in = input(CW_ACCT_START, "1", T0);
	in.nas_identifier = NULL;
	in.nas_ip = "2001:db8::1";	/* NAS-IP-Address is IPv4 by definition */
	assert_int_equal(parse(&in, &ev, &e), -1);
}

static void parse_nas__identifier_else_ip_and_canonical_source(void **state)
{
	cw_acct_input_t in = input(CW_ACCT_START, "1", T0);
	cw_acct_event_t ev;
	cw_err_t e;

	(void)state;
	in.nas_identifier = NULL;
	in.source = "2001:0db8:0000::0001";
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_SESSION);
	assert_string_equal(ev.nas, "192.0.2.10");
	assert_string_equal(ev.nas_address, "2001:db8::1");
	in.nas_ip = NULL;
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_SESSION);
	assert_string_equal(ev.nas, "");
}

/* --- the member of a serial ------------------------------------------------------------ */

static void member__of_known_revoked_and_unknown_serials(void **state)
{
	ctx_t *c = *state;
	char member[CW_ID_MAX + 1];
	cw_err_t e;

	assert_int_equal(cw_session_member(c->fx.admin, FX_BOB, member, &e), 1);
	assert_string_equal(member, "bob");
	assert_int_equal(cw_admin_cert_revoke(c->fx.admin, FX_ALICE, "key-compromise", c->fx.now, NULL, &e), 0);
	assert_int_equal(cw_session_member(c->fx.admin, FX_ALICE, member, &e), 1);
	assert_string_equal(member, "alice");
	assert_int_equal(cw_session_member(c->fx.admin, "123456", member, &e), 0);
}

/* --- recording -------------------------------------------------------------------------- */

static const uint8_t device[CW_DEVICE_HASH_LEN] = { 1, 2, 3 };

static cw_session_change_t record(ctx_t *c, uint32_t status, const char *id, int64_t now_ms, const char *source)
{
	cw_acct_input_t in = input(status, id, now_ms);
	cw_session_outcome_t out;
	cw_acct_event_t ev;
	cw_err_t e;

	if (source) in.source = source;
	if (status == CW_ACCT_ON || status == CW_ACCT_OFF) in.class_value = NULL;
	assert_true(parse(&in, &ev, &e) > 0);
	if (cw_session_record(c->log, &ev, "alice", device, 0, &out, &e) < 0) fail_msg("%s", e.msg);
	return out.change;
}

/* The only rows, in order of start, into s[0..*n). */
typedef struct {
	cw_session_t	s[8];
	size_t		n;
} rows_t;

static int collect(void *arg, const cw_session_t *s)
{
	rows_t *r = arg;

	if (r->n < 8) r->s[r->n++] = *s;
	return 0;
}

static rows_t list(ctx_t *c, const char *member, const char *serial, bool all)
{
	cw_session_filter_t f = { member, serial, all };
	rows_t r = { .n = 0 };
	cw_err_t e;

	if (cw_session_list(c->log, &f, collect, &r, &e) < 0) fail_msg("%s", e.msg);
	return r;
}

static void start_interim_stop__make_update_and_end_a_session(void **state)
{
	ctx_t *c = *state;
	rows_t r;

	assert_int_equal(record(c, CW_ACCT_START, "S1", T0, NULL), CW_SESSION_STARTED);
	r = list(c, NULL, NULL, false);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.s[0].member, "alice");
	assert_string_equal(r.s[0].serial, FX_ALICE);
	assert_string_equal(r.s[0].user_name, "alice");
	assert_string_equal(r.s[0].calling_station, "02-00-00-00-00-01");
	assert_true(r.s[0].has_device);
	assert_memory_equal(r.s[0].device, device, sizeof(device));
	assert_int_equal(r.s[0].started_ms, T0);
	assert_int_equal(r.s[0].stopped_ms, 0);

	assert_int_equal(record(c, CW_ACCT_INTERIM, "S1", T0 + 60000, NULL), CW_SESSION_UPDATED);
	r = list(c, NULL, NULL, false);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.s[0].started_ms, T0);
	assert_int_equal(r.s[0].updated_ms, T0 + 60000);

	assert_int_equal(record(c, CW_ACCT_STOP, "S1", T0 + 120000, NULL), CW_SESSION_STOPPED);
	assert_int_equal(list(c, NULL, NULL, false).n, 0);
	r = list(c, NULL, NULL, true);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.s[0].stopped_ms, T0 + 120000);
	/* What only a Disconnect-Request needs is gone; the keyed hash stays for the log's retention. */
	assert_string_equal(r.s[0].user_name, "");
	assert_string_equal(r.s[0].calling_station, "");
	assert_true(r.s[0].has_device);
}

static void interim_without_start__makes_the_session(void **state)
{
	ctx_t *c = *state;

	/* A server restart or a lost Start: the session is live all the same. */
	assert_int_equal(record(c, CW_ACCT_INTERIM, "S2", T0, NULL), CW_SESSION_STARTED);
	assert_int_equal(list(c, "alice", NULL, false).n, 1);
}

static void late_interim_after_stop__revives_nothing(void **state)
{
	ctx_t *c = *state;

	record(c, CW_ACCT_START, "S3", T0, NULL);
	record(c, CW_ACCT_STOP, "S3", T0 + 1000, NULL);
	assert_int_equal(record(c, CW_ACCT_INTERIM, "S3", T0 + 2000, NULL), CW_SESSION_STALE);
	assert_int_equal(list(c, NULL, NULL, false).n, 0);
	/* A new Start of the same id (a NAS that reuses ids) is a new session. */
	assert_int_equal(record(c, CW_ACCT_START, "S3", T0 + 3000, NULL), CW_SESSION_RESTARTED);
	assert_int_equal(list(c, NULL, NULL, false).s[0].started_ms, T0 + 3000);
}

static void stop_of_unknown_session__changes_nothing(void **state)
{
	ctx_t *c = *state;

	assert_int_equal(record(c, CW_ACCT_STOP, "never-started", T0, NULL), CW_SESSION_UNKNOWN);
	assert_int_equal(list(c, NULL, NULL, true).n, 0);
}

static void same_session_id_on_two_nases__are_two_sessions(void **state)
{
	ctx_t *c = *state;

	record(c, CW_ACCT_START, "S4", T0, "192.0.2.10");
	assert_int_equal(record(c, CW_ACCT_START, "S4", T0, "192.0.2.11"), CW_SESSION_STARTED);
	assert_int_equal(list(c, NULL, NULL, false).n, 2);
}

static void accounting_on__ends_every_live_session_of_that_nas_only(void **state)
{
	ctx_t *c = *state;
	cw_acct_input_t in = input(CW_ACCT_ON, NULL, T0 + 5000);
	cw_session_outcome_t out;
	cw_acct_event_t ev;
	rows_t r;
	cw_err_t e;

	record(c, CW_ACCT_START, "A", T0, "192.0.2.10");
	record(c, CW_ACCT_START, "B", T0, "192.0.2.10");
	record(c, CW_ACCT_START, "C", T0, "192.0.2.11");
	in.class_value = NULL;
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_NAS_RESET);
	assert_int_equal(cw_session_record(c->log, &ev, NULL, NULL, 0, &out, &e), 0);
	assert_int_equal(out.change, CW_SESSION_NAS_RESET);
	assert_int_equal(out.ended, 2);
	r = list(c, NULL, NULL, false);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.s[0].nas_address, "192.0.2.11");
	r = list(c, NULL, NULL, true);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.s[0].calling_station, "");
}

static void list__filters_by_member_and_serial(void **state)
{
	ctx_t *c = *state;
	cw_acct_input_t in = input(CW_ACCT_START, "BOB1", T0);
	cw_session_outcome_t out;
	cw_acct_event_t ev;
	cw_err_t e;

	record(c, CW_ACCT_START, "ALICE1", T0, NULL);
	in.class_value = class_bob;
	in.class_len = strlen(in.class_value);
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_SESSION);
	assert_int_equal(cw_session_record(c->log, &ev, "bob", NULL, 0, &out, &e), 0);
	assert_int_equal(list(c, "alice", NULL, false).n, 1);
	assert_int_equal(list(c, "bob", NULL, false).n, 1);
	assert_false(list(c, "bob", NULL, false).s[0].has_device);
	assert_int_equal(list(c, NULL, FX_BOB, false).n, 1);
	assert_string_equal(list(c, NULL, FX_BOB, false).s[0].acct_session_id, "BOB1");
	assert_int_equal(list(c, "carol", NULL, false).n, 0);
}

static void record_without_member__is_refused(void **state)
{
	ctx_t *c = *state;
	cw_acct_input_t in = input(CW_ACCT_START, "X", T0);
	cw_session_outcome_t out;
	cw_acct_event_t ev;
	cw_err_t e;

	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_SESSION);
	assert_int_equal(cw_session_record(c->log, &ev, "", NULL, 0, &out, &e), -1);
	assert_int_equal(list(c, NULL, NULL, true).n, 0);
}

static void record_into_a_moved_log__fails(void **state)
{
	ctx_t *c = *state;
	cw_acct_input_t in = input(CW_ACCT_START, "X", T0);
	cw_session_outcome_t out;
	cw_acct_event_t ev;
	char moved[160];
	cw_err_t e;

	snprintf(moved, sizeof(moved), "%s.moved", c->fx.log_path);
	assert_int_equal(rename(c->fx.log_path, moved), 0);
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_SESSION);
	assert_int_equal(cw_session_record(c->log, &ev, "alice", NULL, 0, &out, &e), -1);
	assert_non_null(strstr(e.msg, "moved"));
}

/* Start session id from source with max_live: the change. */
static cw_session_change_t start_limited(ctx_t *c, const char *id, const char *source, unsigned max_live,
					 uint32_t status)
{
	cw_acct_input_t in = input(status, id, T0);
	cw_session_outcome_t out;
	cw_acct_event_t ev;
	cw_err_t e;

	in.source = source;
	assert_int_equal(parse(&in, &ev, &e), CW_ACCT_SESSION);
	if (cw_session_record(c->log, &ev, "alice", NULL, max_live, &out, &e) < 0) fail_msg("%s", e.msg);
	return out.change;
}

static void live_sessions_per_nas__are_bounded(void **state)
{
	ctx_t *c = *state;

	assert_int_equal(start_limited(c, "A", "192.0.2.10", 2, CW_ACCT_START), CW_SESSION_STARTED);
	assert_int_equal(start_limited(c, "B", "192.0.2.10", 2, CW_ACCT_START), CW_SESSION_STARTED);
	/* A third live session of that NAS, by Start or by Interim-Update: ignored, nothing stored. */
	assert_int_equal(start_limited(c, "C", "192.0.2.10", 2, CW_ACCT_START), CW_SESSION_OVER_LIMIT);
	assert_int_equal(start_limited(c, "C", "192.0.2.10", 2, CW_ACCT_INTERIM), CW_SESSION_OVER_LIMIT);
	assert_int_equal(list(c, NULL, NULL, true).n, 2);
	/* The live ones are still updated; another NAS has its own bound. */
	assert_int_equal(start_limited(c, "A", "192.0.2.10", 2, CW_ACCT_INTERIM), CW_SESSION_UPDATED);
	assert_int_equal(start_limited(c, "C", "192.0.2.11", 2, CW_ACCT_START), CW_SESSION_STARTED);
	/* Once one ends, there is room again; restarting an ended one counts as new. */
	assert_int_equal(start_limited(c, "B", "192.0.2.10", 2, CW_ACCT_STOP), CW_SESSION_STOPPED);
	assert_int_equal(start_limited(c, "C", "192.0.2.10", 2, CW_ACCT_START), CW_SESSION_STARTED);
	assert_int_equal(start_limited(c, "B", "192.0.2.10", 2, CW_ACCT_START), CW_SESSION_OVER_LIMIT);
	assert_int_equal(list(c, NULL, NULL, false).n, 3);
}

/* --- retention ------------------------------------------------------------------------- */

static void purge__deletes_old_ended_and_ends_stale_live_sessions(void **state)
{
	ctx_t *c = *state;
	int64_t deleted, expired, day = 86400000;
	rows_t r;
	cw_err_t e;

	record(c, CW_ACCT_START, "OLD", T0, NULL);
	record(c, CW_ACCT_STOP, "OLD", T0 + 1000, NULL);		/* ended long ago */
	record(c, CW_ACCT_START, "RECENT", T0 + 9 * day, NULL);
	record(c, CW_ACCT_STOP, "RECENT", T0 + 9 * day, NULL);	/* ended, within retention */
	record(c, CW_ACCT_START, "SILENT", T0 + 5 * day, NULL);	/* live, unheard of for 5 days */
	record(c, CW_ACCT_START, "ALIVE", T0 + 10 * day - 1000, NULL);	/* live, heard of a second ago */
	/* now = T0 + 10 days, retention cut-off at T0 + 2 days. */
	assert_int_equal(cw_session_purge(c->log, T0 + 2 * day, T0 + 10 * day - CW_SESSION_STALE_MS, 0, &deleted,
					  &expired, &e), 0);
	assert_int_equal(deleted, 1);
	assert_int_equal(expired, 1);
	r = list(c, NULL, NULL, true);
	assert_int_equal(r.n, 3);
	assert_string_equal(r.s[0].acct_session_id, "SILENT");
	assert_int_equal(r.s[0].stopped_ms, T0 + 5 * day);	/* ended when last heard of */
	assert_string_equal(r.s[0].user_name, "");
	assert_string_equal(r.s[0].calling_station, "");
	assert_int_equal(list(c, NULL, NULL, false).n, 1);
	/* Past retention itself, the expired one goes at a later purge. */
	assert_int_equal(cw_session_purge(c->log, T0 + 9 * day, T0, 0, &deleted, &expired, &e), 0);
	assert_int_equal(deleted, 1);
	assert_int_equal(expired, 0);
}

static void purge__is_bounded_by_limit(void **state)
{
	ctx_t *c = *state;
	int64_t deleted, expired;
	char id[8];
	cw_err_t e;

	for (int i = 0; i < 5; i++) {
		snprintf(id, sizeof(id), "L%d", i);
		record(c, CW_ACCT_START, id, T0, NULL);
		record(c, CW_ACCT_STOP, id, T0 + 1, NULL);
	}
	assert_int_equal(cw_session_purge(c->log, T0 + 100, 0, 2, &deleted, &expired, &e), 0);
	assert_int_equal(deleted, 2);
	assert_int_equal(cw_session_purge(c->log, T0 + 100, 0, 0, &deleted, &expired, &e), 0);
	assert_int_equal(deleted, 3);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(class__names_the_certificate_and_is_recognised),
		cmocka_unit_test(class__is_made_only_for_canonical_serials),
		cmocka_unit_test(class_key__is_derived_per_device_key),
		cmocka_unit_test(parse_verified_class__any_issued_time_round_trips),
		cmocka_unit_test(parse_forged_class__is_unverified),
		cmocka_unit_test(parse_verified_class__gives_serial_and_time),
		cmocka_unit_test(parse_start__gives_a_session_event),
		cmocka_unit_test(parse_without_our_class__is_ignored),
		cmocka_unit_test(parse_accounting_on_off__resets_the_nas_without_class),
		cmocka_unit_test(parse_untracked_status__is_ignored),
		cmocka_unit_test(parse_bad_session_id__is_refused),
		cmocka_unit_test(parse_bad_mac__is_refused),
		cmocka_unit_test(parse_bad_class_serial__is_unverified),
		cmocka_unit_test(parse_bad_names_and_addresses__are_refused),
		cmocka_unit_test(parse_nas__identifier_else_ip_and_canonical_source),
		T(member__of_known_revoked_and_unknown_serials),
		T(start_interim_stop__make_update_and_end_a_session),
		T(interim_without_start__makes_the_session),
		T(late_interim_after_stop__revives_nothing),
		T(stop_of_unknown_session__changes_nothing),
		T(same_session_id_on_two_nases__are_two_sessions),
		T(accounting_on__ends_every_live_session_of_that_nas_only),
		T(list__filters_by_member_and_serial),
		T(record_without_member__is_refused),
		T(record_into_a_moved_log__fails),
		T(live_sessions_per_nas__are_bounded),
		T(purge__deletes_old_ended_and_ends_stale_live_sessions),
		T(purge__is_bounded_by_limit),
	};
#undef T

	return cmocka_run_group_tests_name("session", tests, make_keys, NULL);
}
