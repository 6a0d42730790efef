/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_devbind.c - unit tests for device binding: the verdict
 * (lib/core/devbind.c), the table in memory and in the access log
 * (lib/server/devtab.c), the policy and approvals in the registry
 * (lib/server/registry.c, lib/admin/device.c) and the notify command
 * (lib/server/hook.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "table.h"

#include "devbind.h"
#include "devtab.h"
#include "device.h"
#include "fixture.h"
#include "hook.h"

/* --- the verdict, row by row ----------------------------------------------------- */

typedef struct judge_row {
	const char		*name;
	cw_binding_t		policy;
	bool			has_device;
	cw_devstate_t		state;
	bool			cert_bound;
	bool			approved;
	cw_device_verdict_t	want;
	bool			refused;
} judge_row_t;

#define OFF CW_BINDING_OFF
#define NOTIFY CW_BINDING_NOTIFY
#define ENFORCE CW_BINDING_ENFORCE

static const judge_row_t judge_rows[] = {
	{ "off__checks_nothing_even_without_a_mac", OFF, false, CW_DEVSTATE_UNSEEN, true, false, CW_DEVICE_UNCHECKED, false },
	{ "off__checks_nothing_for_an_unknown_device", OFF, true, CW_DEVSTATE_UNSEEN, true, false, CW_DEVICE_UNCHECKED, false },
	{ "notify_first_device__binds", NOTIFY, true, CW_DEVSTATE_UNSEEN, false, false, CW_DEVICE_FIRST, false },
	{ "enforce_first_device__binds", ENFORCE, true, CW_DEVSTATE_UNSEEN, false, false, CW_DEVICE_FIRST, false },
	{ "bound_device__is_known", ENFORCE, true, CW_DEVSTATE_BOUND, true, false, CW_DEVICE_KNOWN, false },
	{ "approved_device__is_known", ENFORCE, true, CW_DEVSTATE_APPROVED, true, false, CW_DEVICE_KNOWN, false },
	{ "notify_second_device__is_reported", NOTIFY, true, CW_DEVSTATE_UNSEEN, true, false, CW_DEVICE_ANOTHER, false },
	{ "notify_reported_device__is_not_reported_again", NOTIFY, true, CW_DEVSTATE_NEW, true, false, CW_DEVICE_KNOWN, false },
	{ "notify_device_refused_under_enforce__is_accepted_and_reported", NOTIFY, true, CW_DEVSTATE_REFUSED, true, false,
	  CW_DEVICE_ANOTHER, false },
	{ "enforce_second_device__is_refused", ENFORCE, true, CW_DEVSTATE_UNSEEN, true, false, CW_DEVICE_REFUSE, true },
	{ "enforce_device_reported_under_notify__is_refused", ENFORCE, true, CW_DEVSTATE_NEW, true, false, CW_DEVICE_REFUSE,
	  true },
	{ "enforce_refused_device__stays_refused", ENFORCE, true, CW_DEVSTATE_REFUSED, true, false, CW_DEVICE_REFUSE, true },
	{ "enforce_second_device_approved__is_accepted", ENFORCE, true, CW_DEVSTATE_REFUSED, true, true, CW_DEVICE_APPROVED,
	  false },
	{ "enforce_without_a_mac__is_refused", ENFORCE, false, CW_DEVSTATE_UNSEEN, false, false, CW_DEVICE_NO_ID, true },
	{ "notify_without_a_mac__is_accepted_unrecorded", NOTIFY, false, CW_DEVSTATE_UNSEEN, false, false, CW_DEVICE_NO_ID,
	  false },
};

static void run_judge(void **state)
{
	const judge_row_t *r = *state;
	cw_device_verdict_t v = cw_device_judge(r->policy, r->has_device, r->state, r->cert_bound, r->approved);

	assert_int_equal(v, r->want);
	assert_int_equal(cw_device_refuses(r->policy, v), r->refused);
}

/* --- names and the policy in force --------------------------------------------------- */

static void policy_names__round_trip_and_nothing_else_parses(void **state)
{
	cw_binding_t b;
	cw_devstate_t s;

	(void)state;
	for (int i = CW_BINDING_OFF; i <= CW_BINDING_ENFORCE; i++) {
		assert_int_equal(cw_binding_parse(cw_binding_name((cw_binding_t)i), &b), 0);
		assert_int_equal(b, i);
	}
	assert_int_equal(cw_binding_parse("Enforce", &b), -1);
	assert_int_equal(cw_binding_parse("", &b), -1);
	assert_int_equal(cw_binding_parse(NULL, &b), -1);
	for (int i = CW_DEVSTATE_BOUND; i <= CW_DEVSTATE_REFUSED; i++) {
		assert_int_equal(cw_devstate_parse(cw_devstate_name((cw_devstate_t)i), &s), 0);
		assert_int_equal(s, i);
	}
	assert_int_equal(cw_devstate_parse("unseen", &s), -1);
}

static void resolve__tenant_over_global_over_default(void **state)
{
	cw_binding_t b;

	(void)state;
	assert_int_equal(cw_binding_resolve(NULL, NULL, &b), 0);
	assert_int_equal(b, CW_BINDING_NOTIFY);
	assert_int_equal(cw_binding_resolve("", "enforce", &b), 0);
	assert_int_equal(b, CW_BINDING_ENFORCE);
	assert_int_equal(cw_binding_resolve("off", "enforce", &b), 0);
	assert_int_equal(b, CW_BINDING_OFF);
	assert_int_equal(cw_binding_resolve(NULL, "sometimes", &b), -1);
	assert_int_equal(cw_binding_resolve("ENFORCE", NULL, &b), -1);
}

/* --- the table in memory ------------------------------------------------------------ */

static const uint8_t dev_a[CW_DEVICE_HASH_LEN] = { 0xaa };
static const uint8_t dev_b[CW_DEVICE_HASH_LEN] = { 0xbb };

static cw_devtab_t *new_table(void)
{
	cw_devtab_t *t;

	assert_int_equal(cw_devtab_new(&t), 0);
	return t;
}

static void settle__first_binds_the_second_is_refused_under_enforce(void **state)
{
	cw_devtab_t *t = new_table();
	cw_devstate_t s;
	bool changed, bound;

	(void)state;
	assert_int_equal(cw_devtab_settle(t, ENFORCE, "2a01", dev_a, true, false, &s, &changed), CW_DEVICE_FIRST);
	assert_true(changed);
	assert_int_equal(s, CW_DEVSTATE_BOUND);
	assert_int_equal(cw_devtab_settle(t, ENFORCE, "2a01", dev_a, true, false, &s, &changed), CW_DEVICE_KNOWN);
	assert_false(changed);
	assert_int_equal(cw_devtab_settle(t, ENFORCE, "2a01", dev_b, true, false, &s, &changed), CW_DEVICE_REFUSE);
	assert_true(changed);
	assert_int_equal(s, CW_DEVSTATE_REFUSED);
	/* A second refusal is no change of state. */
	assert_int_equal(cw_devtab_settle(t, ENFORCE, "2a01", dev_b, true, false, &s, &changed), CW_DEVICE_REFUSE);
	assert_false(changed);
	cw_devtab_lookup(t, "2a01", dev_b, &s, &bound);
	assert_int_equal(s, CW_DEVSTATE_REFUSED);
	assert_true(bound);
	/* Another certificate knows nothing of these. */
	cw_devtab_lookup(t, "2a02", dev_a, &s, &bound);
	assert_int_equal(s, CW_DEVSTATE_UNSEEN);
	assert_false(bound);
	cw_devtab_free(t);
}

static void settle__approval_turns_a_refused_device_approved(void **state)
{
	cw_devtab_t *t = new_table();
	cw_devstate_t s;
	bool changed;

	(void)state;
	(void)cw_devtab_settle(t, ENFORCE, "2a01", dev_a, true, false, &s, &changed);
	(void)cw_devtab_settle(t, ENFORCE, "2a01", dev_b, true, false, &s, &changed);
	assert_int_equal(cw_devtab_settle(t, ENFORCE, "2a01", dev_b, true, true, &s, &changed), CW_DEVICE_APPROVED);
	assert_true(changed);
	assert_int_equal(s, CW_DEVSTATE_APPROVED);
	/* Known from memory from now on, without asking the registry. */
	assert_int_equal(cw_devtab_settle(t, ENFORCE, "2a01", dev_b, true, false, &s, &changed), CW_DEVICE_KNOWN);
	cw_devtab_free(t);
}

static void settle__a_certificate_keeps_at_most_its_limit_of_devices(void **state)
{
	cw_devtab_t *t = new_table();
	uint8_t dev[CW_DEVICE_HASH_LEN] = { 0 };
	cw_devstate_t s;
	bool changed;

	(void)state;
	for (unsigned i = 0; i < CW_DEVTAB_PER_CERT; i++) {
		dev[0] = (uint8_t)i;
		(void)cw_devtab_settle(t, NOTIFY, "2a01", dev, true, false, &s, &changed);
		assert_true(changed);
	}
	dev[0] = 0xff;
	/* Judged (accepted under notify), but neither kept nor reported: a flood of MACs is bounded. */
	assert_int_equal(cw_devtab_settle(t, NOTIFY, "2a01", dev, true, false, &s, &changed), CW_DEVICE_ANOTHER);
	assert_false(changed);
	assert_int_equal(cw_devtab_settle(t, ENFORCE, "2a01", dev, true, false, &s, &changed), CW_DEVICE_REFUSE);
	assert_false(changed);
	cw_devtab_free(t);
}

static void settle__without_a_mac_records_nothing(void **state)
{
	cw_devtab_t *t = new_table();
	cw_devstate_t s;
	bool changed, bound;

	(void)state;
	assert_int_equal(cw_devtab_settle(t, NOTIFY, "2a01", dev_a, false, false, &s, &changed), CW_DEVICE_NO_ID);
	assert_false(changed);
	cw_devtab_lookup(t, "2a01", dev_a, &s, &bound);
	assert_false(bound);
	cw_devtab_free(t);
}

/* --- the access log's device table ------------------------------------------------------- */

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

static cw_device_event_t event(const char *serial, const uint8_t *dev, cw_devstate_t s, int64_t ts_ms,
			       int64_t not_after_ms)
{
	cw_device_event_t ev = { .state = s, .ts_ms = ts_ms, .not_after_ms = not_after_ms };

	strcpy(ev.serial, serial);
	strcpy(ev.member, "alice");
	memcpy(ev.device, dev, CW_DEVICE_HASH_LEN);
	return ev;
}

static int count_row(void *arg, const cw_device_row_t *r)
{
	cw_device_row_t *last = arg;

	*last = *r;
	last->refusals += 1000;	/* marks "seen" */
	return 0;
}

static void devlog__first_sight_once_then_upserts_and_loads_back(void **state)
{
	ctx_t *c = *state;
	cw_device_event_t ev[3] = {
		event(FX_ALICE, dev_a, CW_DEVSTATE_BOUND, 1000, 9000000),
		event(FX_ALICE, dev_b, CW_DEVSTATE_REFUSED, 2000, 9000000),
		event(FX_ALICE, dev_b, CW_DEVSTATE_REFUSED, 3000, 9000000),
	};
	cw_device_filter_t f = { .serial = FX_ALICE };
	cw_device_row_t row = { .refusals = 0 };
	bool first[3];
	cw_devtab_t *t = new_table();
	cw_devstate_t s;
	bool bound;
	cw_err_t e;

	assert_int_equal(cw_devlog_write(c->log, ev, 3, first, &e), 0);
	assert_true(first[0]);
	assert_true(first[1]);
	assert_false(first[2]);		/* the same device again: no second event */
	/* A bound device stays bound whatever a later event says. */
	ev[0].state = CW_DEVSTATE_REFUSED;
	assert_int_equal(cw_devlog_write(c->log, ev, 1, first, &e), 0);
	assert_false(first[0]);
	f.since_ms = 1500;
	assert_int_equal(cw_devlog_list(c->log, &f, count_row, &row, &e), 0);
	assert_memory_equal(row.device, dev_b, CW_DEVICE_HASH_LEN);
	assert_int_equal(row.state, CW_DEVSTATE_REFUSED);
	assert_int_equal(row.refusals, 1000 + 2);
	assert_int_equal(row.last_ms, 3000);

	assert_int_equal(cw_devtab_load(t, c->log, &e), 0);
	assert_true(cw_devtab_loaded(t));
	cw_devtab_lookup(t, FX_ALICE, dev_a, &s, &bound);
	assert_int_equal(s, CW_DEVSTATE_BOUND);
	assert_true(bound);
	cw_devtab_lookup(t, FX_ALICE, dev_b, &s, &bound);
	assert_int_equal(s, CW_DEVSTATE_REFUSED);
	cw_devtab_free(t);
}

static void devlog_purge__deletes_only_certificates_ended_before_the_cutoff(void **state)
{
	ctx_t *c = *state;
	cw_device_event_t ev[2] = {
		event("0a", dev_a, CW_DEVSTATE_BOUND, 1000, 5000),
		event("0b", dev_a, CW_DEVSTATE_BOUND, 1000, 50000),
	};
	cw_device_filter_t f = { 0 };
	cw_device_row_t row = { .refusals = 0 };
	int64_t news, refusals;
	size_t deleted;
	cw_err_t e;

	assert_int_equal(cw_devlog_write(c->log, ev, 2, NULL, &e), 0);
	assert_int_equal(cw_devlog_counts(c->log, 0, &news, &refusals, &e), 0);
	assert_int_equal(news, 2);
	assert_int_equal(cw_devlog_purge(c->log, 10000, 100, &deleted, &e), 0);
	assert_int_equal(deleted, 1);
	assert_int_equal(cw_devlog_list(c->log, &f, count_row, &row, &e), 0);
	assert_string_equal(row.serial, "0b");
	assert_int_equal(cw_devlog_counts(c->log, 0, &news, &refusals, &e), 0);
	assert_int_equal(news, 1);
}

/* --- the registry: policy and approvals -------------------------------------------- */

static cw_binding_t binding_of(ctx_t *c, const char *serial)
{
	cw_registry_t *reg;
	cw_cert_row_t row;
	cw_err_t e;

	assert_int_equal(cw_registry_open_reader(c->fx.path, 1000, &reg, &e), 0);
	assert_int_equal(cw_registry_cert_lookup(reg, serial, &row, &e), 1);
	cw_registry_close(reg);
	return row.binding;
}

static void registry__tenant_override_global_policy_and_approvals(void **state)
{
	ctx_t *c = *state;
	cw_binding_t enforce = CW_BINDING_ENFORCE, off = CW_BINDING_OFF;
	cw_registry_t *reg;
	bool already;
	cw_err_t e;

	assert_int_equal(binding_of(c, FX_ALICE), CW_BINDING_NOTIFY);
	assert_int_equal(cw_admin_binding_set(c->fx.admin, NULL, &enforce, &e), 0);
	assert_int_equal(binding_of(c, FX_ALICE), CW_BINDING_ENFORCE);
	assert_int_equal(cw_admin_binding_set(c->fx.admin, "acme", &off, &e), 0);
	assert_int_equal(binding_of(c, FX_ALICE), CW_BINDING_OFF);	/* alice is acme's */
	assert_int_equal(binding_of(c, FX_BOB), CW_BINDING_ENFORCE);	/* bob has no tenant */
	assert_int_equal(cw_admin_binding_set(c->fx.admin, "nobody", &off, &e), -1);

	assert_int_equal(cw_admin_device_approve(c->fx.admin, NULL, "bob", dev_b, 1, &already, &e), 0);
	assert_false(already);
	assert_int_equal(cw_admin_device_approve(c->fx.admin, NULL, "bob", dev_b, 1, &already, &e), 0);
	assert_true(already);
	assert_int_equal(cw_admin_device_approve(c->fx.admin, FX_ALICE, NULL, dev_a, 1, &already, &e), 0);
	assert_int_equal(cw_admin_device_approve(c->fx.admin, "ffff", NULL, dev_a, 1, &already, &e), -1);
	assert_int_equal(cw_registry_open_reader(c->fx.path, 1000, &reg, &e), 0);
	assert_int_equal(cw_registry_device_approved(reg, FX_BOB, "bob", dev_b, &e), 1);	/* per member */
	assert_int_equal(cw_registry_device_approved(reg, FX_ALICE, "alice", dev_a, &e), 1);	/* per certificate */
	assert_int_equal(cw_registry_device_approved(reg, FX_ALICE, "alice", dev_b, &e), 0);
	assert_int_equal(cw_registry_device_approved(reg, FX_BOB, "bob", dev_a, &e), 0);
	cw_registry_close(reg);
}

static void registry__a_malformed_policy_fails_the_lookup(void **state)
{
	ctx_t *c = *state;
	cw_registry_t *reg;
	cw_cert_row_t row;
	cw_err_t e;

	assert_int_equal(cw_registry_setting_set(c->fx.admin, "device_binding", "sometimes", &e), 0);
	assert_int_equal(cw_registry_open_reader(c->fx.path, 1000, &reg, &e), 0);
	assert_int_equal(cw_registry_cert_lookup(reg, FX_ALICE, &row, &e), -1);
	cw_registry_close(reg);
}

/* --- the notify command --------------------------------------------------------------- */

/* Reap until nothing runs (at most 5 s). */
static void reap_all(cw_hooks_t *h, void (*report)(void *, const char *), void *ctx)
{
	for (int i = 0; i < 500 && cw_hook_reap(h, report, ctx) > 0; i++) usleep(10000);
}

static void note(void *ctx, const char *msg)
{
	snprintf(ctx, 200, "%s", msg);
}

static void hook__gets_our_environment_only_and_no_input(void **state)
{
	char dir[] = "/tmp/cw-hook-XXXXXX", cmd[256], path[128], got[512] = "";
	const char *env[] = { "COWORK_MEMBER=alice", NULL };
	cw_hooks_t h = { .timeout_ms = 0 };
	FILE *f;
	size_t n;
	cw_err_t e;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/out", dir);
	snprintf(cmd, sizeof(cmd), "{ echo \"member=$COWORK_MEMBER home=${HOME:-} in=$(cat)\"; } > %s", path);
	setenv("HOME", "/root-of-radiusd", 1);
	assert_int_equal(cw_hook_run(&h, cmd, env, &e), 0);
	reap_all(&h, NULL, NULL);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	got[n] = '\0';
	fclose(f);
	assert_string_equal(got, "member=alice home= in=\n");
	unlink(path);
	rmdir(dir);
}

static void hook__is_killed_after_its_timeout_and_slots_are_bounded(void **state)
{
	const char *env[] = { NULL };
	cw_hooks_t h = { .timeout_ms = 200 };
	char msg[200] = "";
	cw_err_t e;

	(void)state;
	for (int i = 0; i < CW_HOOK_MAX; i++) assert_int_equal(cw_hook_run(&h, "sleep 30", env, &e), 0);
	assert_int_equal(cw_hook_run(&h, "true", env, &e), -1);
	assert_non_null(strstr(e.msg, "still running"));
	usleep(300000);
	assert_int_equal(cw_hook_reap(&h, note, msg), 0);
	assert_non_null(strstr(msg, "killed"));
	assert_int_equal(cw_hook_run(&h, "exit 3", env, &e), 0);
	reap_all(&h, note, msg);
	assert_non_null(strstr(msg, "status 3"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest specific[] = {
		cmocka_unit_test(policy_names__round_trip_and_nothing_else_parses),
		cmocka_unit_test(resolve__tenant_over_global_over_default),
		cmocka_unit_test(settle__first_binds_the_second_is_refused_under_enforce),
		cmocka_unit_test(settle__approval_turns_a_refused_device_approved),
		cmocka_unit_test(settle__a_certificate_keeps_at_most_its_limit_of_devices),
		cmocka_unit_test(settle__without_a_mac_records_nothing),
		T(devlog__first_sight_once_then_upserts_and_loads_back),
		T(devlog_purge__deletes_only_certificates_ended_before_the_cutoff),
		T(registry__tenant_override_global_policy_and_approvals),
		T(registry__a_malformed_policy_fails_the_lookup),
		cmocka_unit_test(hook__gets_our_environment_only_and_no_input),
		cmocka_unit_test(hook__is_killed_after_its_timeout_and_slots_are_bounded),
	};
	struct CMUnitTest tests[TABLE_LEN(judge_rows) + TABLE_LEN(specific)];
	size_t n = 0;

	TABLE_TESTS(tests, n, judge_rows, run_judge, NULL);
	TABLE_TESTS_OF(tests, n, specific);
	return _cmocka_run_group_tests("devbind", tests, n, NULL, NULL);
}
