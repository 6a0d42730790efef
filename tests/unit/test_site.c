/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_site.c - unit tests for sites (lib/admin/site.c, the site column of
 * nas and guest_psk) and for the guest path's decision once sites are
 * defined (lib/server/guest.c): a guest passphrase is a (site, SSID)'s and
 * goes only to a RADIUS client that is a NAS of that site, found by the
 * request's source address; the reader sees every change at the next
 * request.
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
#include "guest.h"
#include "nas.h"
#include "site.h"

#define GUEST_SSID	"CoworkGuest"
#define ONLY_B_SSID	"UmedaOnly"
#define STATION_MAC	"aabbccddeeff"
#define CALLING_MAC	"AA-BB-CC-DD-EE-FF"
#define SECRET		"a-nas-secret-of-24-chars"
#define AP_A		"192.0.2.1"
#define AP_B		"192.0.2.2"
#define STRANGER	"192.0.2.3"

typedef struct env {
	fixture_t	f;
	cw_registry_t	*reader;	//!< what the module uses
	int64_t		now;
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
	if (cw_registry_open_reader(env->f.path, 1000, &env->reader, &e) < 0) {
		fprintf(stderr, "reader: %s\n", e.msg);
		fixture_teardown(&env->f);
		free(env);
		return -1;
	}
	env->now = env->f.now;
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

/* --- helpers ------------------------------------------------------------------- */

/* hostapd's MAC authentication for ssid, sent from client (NULL: address unknown). */
static void decide(env_t *env, const char *client, const char *ssid, cw_guest_decision_t *out)
{
	char called[64];
	cw_guest_input_t in;

	(void)snprintf(called, sizeof(called), "02-00-00-00-00-01:%s", ssid);
	memset(&in, 0, sizeof(in));
	in.user_name = in.user_password = STATION_MAC;
	in.user_name_len = in.user_password_len = strlen(STATION_MAC);
	in.calling_station = CALLING_MAC;
	in.calling_station_len = strlen(CALLING_MAC);
	in.called_station = called;
	in.called_station_len = strlen(called);
	in.client = client;
	memset(out, 0xa5, sizeof(*out));	/* decide must fill everything */
	cw_guest_decide(env->reader, &in, env->now, out);
}

static void assert_refused(const cw_guest_decision_t *d, cw_decide_result_t want, const char *part)
{
	static const cw_psk_row_t zero;

	if (d->result != want) {
		fail_msg("got %s (%s), want %s", cw_decide_result_name(d->result), d->reason, cw_decide_result_name(want));
	}
	if (strstr(d->reason, part) == NULL) fail_msg("reason \"%s\" lacks \"%s\"", d->reason, part);
	assert_int_equal(d->n_psk, 0);
	assert_int_equal(d->vlan, 0);
	for (size_t i = 0; i < CW_PSK_SERVED_MAX; i++) assert_memory_equal(&d->psk[i], &zero, sizeof(zero));
}

/* An accept serving exactly one passphrase, want. */
static void assert_served(const cw_guest_decision_t *d, const char *want)
{
	if (d->result != CW_DECIDE_ACCEPT) {
		fail_msg("got %s (%s), want accept", cw_decide_result_name(d->result), d->reason);
	}
	assert_int_equal(d->n_psk, 1);
	assert_string_equal(d->psk[0].passphrase, want);
}

static void site_add(env_t *env, const char *name)
{
	cw_err_t e = { "" };

	if (cw_site_add(env->f.admin, name, env->now, &e) < 0) fail_msg("site add %s: %s", name, e.msg);
}

static void nas_add(env_t *env, const char *name, const char *address, const char *site)
{
	cw_err_t e = { "" };

	if (cw_nas_add_at(env->f.admin, name, address, 3799, SECRET, strlen(SECRET), env->now, site, &e) < 0) {
		fail_msg("nas add %s: %s", name, e.msg);
	}
}

/* Rotate (site, ssid) now; the new passphrase into out (room for 64). */
static void rotate(env_t *env, const char *site, const char *ssid, char *out)
{
	cw_rotation_t r;
	cw_err_t e = { "" };

	if (cw_admin_site_psk_rotate(env->f.admin, site, ssid, env->now, true, true, &r, &e) < 0) {
		fail_msg("rotate %s at %s: %s", ssid, site ? site : "(no site)", e.msg);
	}
	memcpy(out, r.current.passphrase, sizeof(r.current.passphrase));
}

static void admin_exec(env_t *env, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(cw_registry_db(env->f.admin), sql, NULL, NULL, &msg) != SQLITE_OK) {
		fail_msg("%s: %s", sql, msg ? msg : "?");
	}
	sqlite3_free(msg);
}

/*
 * Two sites, shibuya (NAS ap-a at AP_A) and umeda (NAS ap-b at AP_B), each
 * with its own CoworkGuest passphrase; umeda alone offers UmedaOnly.
 * Before them, a site-less CoworkGuest passphrase in *siteless.
 */
static void two_sites(env_t *env, char *siteless, char *pa, char *pb, char *pbo)
{
	cw_err_t e = { "" };

	if (cw_admin_ssid_add(env->f.admin, ONLY_B_SSID, CW_SSID_GUEST, env->now, &e) < 0) fail_msg("%s", e.msg);
	rotate(env, NULL, GUEST_SSID, siteless);
	site_add(env, "shibuya");
	site_add(env, "umeda");
	nas_add(env, "ap-a", AP_A, "shibuya");
	nas_add(env, "ap-b", AP_B, "umeda");
	rotate(env, "shibuya", GUEST_SSID, pa);
	rotate(env, "umeda", GUEST_SSID, pb);
	rotate(env, "umeda", ONLY_B_SSID, pbo);
}

/* --- no site: as before ------------------------------------------------------------ */

static void no_site__any_client_gets_the_passphrase(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	char p[64];

	rotate(env, NULL, GUEST_SSID, p);
	decide(env, STRANGER, GUEST_SSID, &d);
	assert_served(&d, p);
	assert_string_equal(d.site, "");
	decide(env, NULL, GUEST_SSID, &d);
	assert_served(&d, p);
	assert_int_equal(cw_admin_sites_defined(env->f.admin, &(cw_err_t){ "" }), 0);
}

static void no_site__rotation_naming_a_site_is_refused(void **state)
{
	env_t *env = *state;
	cw_rotation_t r;
	cw_err_t e = { "" };

	assert_int_equal(cw_admin_site_psk_rotate(env->f.admin, "shibuya", GUEST_SSID, env->now, false, false, &r, &e), -1);
	assert_non_null(strstr(e.msg, "unknown site"));
}

/* --- two sites ---------------------------------------------------------------------- */

static void each_site_nas__gets_its_own_sites_passphrase(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	char p0[64], pa[64], pb[64], pbo[64];

	two_sites(env, p0, pa, pb, pbo);
	assert_string_not_equal(pa, pb);
	decide(env, AP_A, GUEST_SSID, &d);
	assert_served(&d, pa);
	assert_string_equal(d.site, "shibuya");
	assert_string_equal(d.nas, "ap-a");
	decide(env, AP_B, GUEST_SSID, &d);
	assert_served(&d, pb);
	assert_string_equal(d.site, "umeda");
	decide(env, AP_B, ONLY_B_SSID, &d);
	assert_served(&d, pbo);
}

static void nas_asking_for_ssid_only_other_site_offers__is_not_at_site(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	char p0[64], pa[64], pb[64], pbo[64];

	two_sites(env, p0, pa, pb, pbo);
	decide(env, AP_A, ONLY_B_SSID, &d);
	assert_refused(&d, CW_DECIDE_NOT_AT_SITE, "site shibuya does not offer guest SSID \"UmedaOnly\"");
}

static void unregistered_client__is_unknown_nas(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	char p0[64], pa[64], pb[64], pbo[64];

	two_sites(env, p0, pa, pb, pbo);
	decide(env, STRANGER, GUEST_SSID, &d);
	assert_refused(&d, CW_DECIDE_UNKNOWN_NAS, "RADIUS client " STRANGER " is not a registered NAS");
	decide(env, NULL, GUEST_SSID, &d);
	assert_refused(&d, CW_DECIDE_UNKNOWN_NAS, "address is unknown");
	decide(env, "", GUEST_SSID, &d);
	assert_refused(&d, CW_DECIDE_UNKNOWN_NAS, "address is unknown");
}

static void one_site_and_unregistered_client__is_unknown_nas(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	char p0[64], pa[64];

	rotate(env, NULL, GUEST_SSID, p0);
	site_add(env, "shibuya");
	rotate(env, "shibuya", GUEST_SSID, pa);
	decide(env, STRANGER, GUEST_SSID, &d);
	assert_refused(&d, CW_DECIDE_UNKNOWN_NAS, "not a registered NAS");
}

static void siteless_passphrase__is_not_served_once_a_site_exists(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	char p0[64];

	rotate(env, NULL, GUEST_SSID, p0);
	site_add(env, "shibuya");
	nas_add(env, "ap-a", AP_A, "shibuya");
	decide(env, AP_A, GUEST_SSID, &d);
	assert_refused(&d, CW_DECIDE_NOT_AT_SITE, "site shibuya does not offer guest SSID \"CoworkGuest\"");
}

static void nas_at_no_site__is_not_at_site(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	char p0[64], pa[64], pb[64], pbo[64];

	two_sites(env, p0, pa, pb, pbo);
	nas_add(env, "ap-dae", STRANGER, NULL);
	decide(env, STRANGER, GUEST_SSID, &d);
	assert_refused(&d, CW_DECIDE_NOT_AT_SITE, "NAS ap-dae (RADIUS client " STRANGER ") is at no site");
}

static void moved_nas__gets_new_sites_passphrase_at_next_request(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	char p0[64], pa[64], pb[64], pbo[64];
	cw_err_t e = { "" };

	two_sites(env, p0, pa, pb, pbo);
	decide(env, AP_B, GUEST_SSID, &d);
	assert_served(&d, pb);
	assert_int_equal(cw_nas_set_site(env->f.admin, "ap-b", "shibuya", &e), 0);
	decide(env, AP_B, GUEST_SSID, &d);	/* the reader's memo must not answer from before the move */
	assert_served(&d, pa);
	assert_int_equal(cw_nas_set_site(env->f.admin, "ap-b", NULL, &e), 0);
	decide(env, AP_B, GUEST_SSID, &d);
	assert_refused(&d, CW_DECIDE_NOT_AT_SITE, "is at no site");
	assert_int_equal(cw_nas_set_site(env->f.admin, "ap-b", "nowhere", &e), -1);
	assert_non_null(strstr(e.msg, "unknown site"));
	assert_int_equal(cw_nas_set_site(env->f.admin, "ap-nowhere", "umeda", &e), -1);
	assert_non_null(strstr(e.msg, "unknown NAS"));
}

static void nas_removed__is_unknown_nas_at_next_request(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	char p0[64], pa[64], pb[64], pbo[64];
	cw_err_t e = { "" };

	two_sites(env, p0, pa, pb, pbo);
	decide(env, AP_A, GUEST_SSID, &d);
	assert_served(&d, pa);
	assert_int_equal(cw_nas_remove(env->f.admin, "ap-a", &e), 0);
	decide(env, AP_A, GUEST_SSID, &d);
	assert_refused(&d, CW_DECIDE_UNKNOWN_NAS, "not a registered NAS");
}

static void one_sites_rotation__leaves_the_other_sites_passphrase(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	char p0[64], pa[64], pb[64], pbo[64], pb2[64];

	two_sites(env, p0, pa, pb, pbo);
	rotate(env, "umeda", GUEST_SSID, pb2);
	assert_string_not_equal(pb, pb2);
	decide(env, AP_B, GUEST_SSID, &d);
	assert_served(&d, pb2);		/* expire_old: the old one is gone */
	decide(env, AP_A, GUEST_SSID, &d);
	assert_served(&d, pa);
}

static void expired_site_passphrase__is_no_psk_naming_the_site(void **state)
{
	env_t *env = *state;
	cw_guest_decision_t d;
	char p0[64], pa[64], pb[64], pbo[64];

	two_sites(env, p0, pa, pb, pbo);
	admin_exec(env, "UPDATE guest_psk SET valid_from = valid_from - 9000000, valid_until = valid_from - 8000000,"
			" grace_until = valid_from - 8000000 WHERE site = 'shibuya'");
	decide(env, AP_A, GUEST_SSID, &d);
	assert_refused(&d, CW_DECIDE_NO_PSK, "--site 'shibuya'");
}

static void rotation_without_site_once_sites_exist__is_refused(void **state)
{
	env_t *env = *state;
	cw_rotation_t r;
	cw_err_t e = { "" };

	site_add(env, "shibuya");
	assert_int_equal(cw_admin_psk_rotate(env->f.admin, GUEST_SSID, env->now, false, false, &r, &e), -1);
	assert_non_null(strstr(e.msg, "--site"));
	assert_int_equal(cw_admin_site_psk_rotate(env->f.admin, "umeda", GUEST_SSID, env->now, false, false, &r, &e), -1);
	assert_non_null(strstr(e.msg, "unknown site"));
}

static void site_names__follow_the_id_rules(void **state)
{
	env_t *env = *state;
	cw_err_t e = { "" };

	assert_int_equal(cw_site_add(env->f.admin, "Shibuya Office", env->now, &e), -1);
	assert_int_equal(cw_site_add(env->f.admin, "", env->now, &e), -1);
	assert_int_equal(cw_site_add(env->f.admin, "shibuya", env->now, &e), 0);	/* the first: 0 before */
	assert_int_equal(cw_site_add(env->f.admin, "umeda", env->now, &e), 1);
	assert_int_equal(cw_site_add(env->f.admin, "umeda", env->now, &e), -1);
	assert_non_null(strstr(e.msg, "already exists"));
}

static void site_remove__refused_with_nas_then_deletes_its_passphrases(void **state)
{
	env_t *env = *state;
	char p0[64], pa[64], pb[64], pbo[64];
	int64_t n = -1;
	cw_err_t e = { "" };

	two_sites(env, p0, pa, pb, pbo);
	assert_int_equal(cw_site_remove(env->f.admin, "umeda", &n, &e), -1);
	assert_non_null(strstr(e.msg, "still has NAS ap-b"));
	assert_int_equal(cw_nas_remove(env->f.admin, "ap-b", &e), 0);
	assert_int_equal(cw_site_remove(env->f.admin, "umeda", &n, &e), 0);
	assert_int_equal(n, 2);
	assert_int_equal(cw_admin_site_check(env->f.admin, "umeda", &e), -1);
	assert_int_equal(cw_site_remove(env->f.admin, "umeda", &n, &e), -1);
}

typedef struct {
	char	pairs[8][128];
	size_t	n;
} offers_t;

static int collect_offer(void *arg, const char *site, const char *ssid)
{
	offers_t *o = arg;

	if (o->n < 8) (void)snprintf(o->pairs[o->n++], sizeof(o->pairs[0]), "%s/%s", site ? site : "-", ssid);
	return 0;
}

static void guest_offers__are_ssids_then_site_pairs(void **state)
{
	env_t *env = *state;
	char p0[64], pa[64], pb[64], pbo[64];
	offers_t o = { .n = 0 };
	cw_err_t e = { "" };

	assert_int_equal(cw_admin_guest_offers(env->f.admin, collect_offer, &o, &e), 0);
	assert_int_equal(o.n, 1);
	assert_string_equal(o.pairs[0], "-/CoworkGuest");
	two_sites(env, p0, pa, pb, pbo);
	o.n = 0;
	assert_int_equal(cw_admin_guest_offers(env->f.admin, collect_offer, &o, &e), 0);
	assert_int_equal(o.n, 3);
	assert_string_equal(o.pairs[0], "shibuya/CoworkGuest");
	assert_string_equal(o.pairs[1], "umeda/CoworkGuest");
	assert_string_equal(o.pairs[2], "umeda/UmedaOnly");
}

static void nas_add_at_unknown_site__is_refused_and_adds_nothing(void **state)
{
	env_t *env = *state;
	cw_nas_t n;
	cw_err_t e = { "" };

	site_add(env, "shibuya");
	assert_int_equal(cw_nas_add_at(env->f.admin, "ap-x", AP_A, 3799, SECRET, strlen(SECRET), env->now, "nowhere", &e),
			 -1);
	assert_non_null(strstr(e.msg, "unknown site"));
	assert_int_equal(cw_nas_find(env->f.admin, AP_A, &n, &e), 0);
	nas_add(env, "ap-x", AP_A, "shibuya");
	assert_int_equal(cw_nas_find(env->f.admin, AP_A, &n, &e), 1);
	assert_string_equal(n.site, "shibuya");
	cw_wipe(&n, sizeof(n));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(no_site__any_client_gets_the_passphrase),
		T(no_site__rotation_naming_a_site_is_refused),
		T(each_site_nas__gets_its_own_sites_passphrase),
		T(nas_asking_for_ssid_only_other_site_offers__is_not_at_site),
		T(unregistered_client__is_unknown_nas),
		T(one_site_and_unregistered_client__is_unknown_nas),
		T(siteless_passphrase__is_not_served_once_a_site_exists),
		T(nas_at_no_site__is_not_at_site),
		T(moved_nas__gets_new_sites_passphrase_at_next_request),
		T(nas_removed__is_unknown_nas_at_next_request),
		T(one_sites_rotation__leaves_the_other_sites_passphrase),
		T(expired_site_passphrase__is_no_psk_naming_the_site),
		T(rotation_without_site_once_sites_exist__is_refused),
		T(site_names__follow_the_id_rules),
		T(site_remove__refused_with_nas_then_deletes_its_passphrases),
		T(guest_offers__are_ssids_then_site_pairs),
		T(nas_add_at_unknown_site__is_refused_and_adds_nothing),
#undef T
	};

	return cmocka_run_group_tests_name("site", tests, NULL, NULL);
}
