/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_module.c - the module's entry points, driven directly with
 * FreeRADIUS's own libraries: every return-code row of authorize and
 * post-auth, the VLAN attributes, and configuration errors.
 */
#include <freeradius/radiusd.h>
#include <freeradius/modules.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <sqlite3.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "fixture.h"
#include "session.h"

extern module_t rlm_cowork;

typedef struct {
	fixture_t	fx;
	CONF_SECTION	*cs;
	void		*inst;
	REQUEST		*request;
} ctx_t;

/* Everything the module logs for a request, to check reasons are given. */
static char logged[8192];

static void capture_log(log_type_t type, log_lvl_t lvl, REQUEST *request, char const *fmt, va_list ap)
{
	size_t n = strlen(logged);
	va_list copy;

	(void)request;
	if ((type & L_DBG) && lvl > L_DBG_LVL_1) return;
	if (n + 2 >= sizeof(logged)) return;
	/* The server reuses ap after this call (for Module-Failure-Message). */
	va_copy(copy, ap);
	vsnprintf(logged + n, sizeof(logged) - n - 1, fmt, copy);
	va_end(copy);
	strcat(logged, "\n");
}

/* OCSP responder ports of the module tests (this project's OCSP tests use 18240-18249). */
#define OCSP_PORT	18246
#define OCSP_PORT_TEXT	"18246"
#define OCSP_PORT_TAKEN	18247

/* Our configuration; ocsp_port is 0 (no responder) unless the test gives one. */
static CONF_SECTION *config_ocsp(char const *state_dir, char const *busy, char const *ocsp_port)
{
	CONF_SECTION *cs = cf_section_alloc(NULL, "cowork", NULL);

	cf_pair_add(cs, cf_pair_alloc(cs, "state_dir", state_dir, T_OP_EQ, T_BARE_WORD, T_DOUBLE_QUOTED_STRING));
	cf_pair_add(cs, cf_pair_alloc(cs, "ocsp_port", ocsp_port ? ocsp_port : "0", T_OP_EQ, T_BARE_WORD, T_BARE_WORD));
	if (busy) {
		cf_pair_add(cs, cf_pair_alloc(cs, "registry_busy_timeout", busy, T_OP_EQ, T_BARE_WORD, T_BARE_WORD));
	}
	return cs;
}

static CONF_SECTION *config(char const *state_dir, char const *busy)
{
	return config_ocsp(state_dir, busy, NULL);
}

/* Parse and instantiate a module instance from cs: 0 or -1. */
static int instantiate(CONF_SECTION *cs, void **inst)
{
	*inst = talloc_zero_size(cs, rlm_cowork.inst_size);
	if (cf_section_parse(cs, *inst, rlm_cowork.config) < 0) return -1;
	return rlm_cowork.instantiate(cs, *inst);
}

static void add(VALUE_PAIR **list, TALLOC_CTX *ctx, char const *attr, char const *value)
{
	assert_non_null(fr_pair_make(ctx, list, attr, value, T_OP_EQ));
}

/* A request as cowork_eap presents it: the client certificate and the outer attributes. */
static REQUEST *cert_request(ctx_t *c, char const *serial, char const *member, char const *station)
{
	REQUEST *request = request_alloc(c->cs);
	cw_member_input_t in;
	char subject[128], expiry[16];

	request->packet = rad_alloc(request, false);
	request->reply = rad_alloc(request, false);
	request->timestamp = time(NULL);
	request->log.func = capture_log;
	request->log.lvl = L_DBG_LVL_1;
	fixture_input(&c->fx, &in, serial ? serial : "", member, station, subject, sizeof(subject), expiry);
	if (serial) add(&request->packet->vps, request->packet, "TLS-Client-Cert-Serial", serial);
	add(&request->packet->vps, request->packet, "TLS-Client-Cert-Subject", subject);
	add(&request->packet->vps, request->packet, "TLS-Client-Cert-Issuer", FX_ISSUER);
	add(&request->packet->vps, request->packet, "TLS-Client-Cert-Expiration", expiry);
	if (station) add(&request->packet->vps, request->packet, "Called-Station-Id", station);
	add(&request->packet->vps, request->packet, "User-Name", member);
	c->request = request;
	return request;
}

static int setup(void **state)
{
	ctx_t *c = calloc(1, sizeof(*c));

	if (!c || fixture_setup(&c->fx) < 0) return -1;
	c->cs = config(c->fx.dir, NULL);
	if (instantiate(c->cs, &c->inst) < 0) return -1;
	logged[0] = '\0';
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	ctx_t *c = *state;

	rlm_cowork.detach(c->inst);
	talloc_free(c->cs);
	fixture_teardown(&c->fx);
	free(c);
	return 0;
}

static rlm_rcode_t authorize(ctx_t *c, REQUEST *request)
{
	return rlm_cowork.methods[MOD_AUTHORIZE](c->inst, request);
}

static rlm_rcode_t post_auth(ctx_t *c, REQUEST *request, unsigned code)
{
	request->reply->code = code;
	return rlm_cowork.methods[MOD_POST_AUTH](c->inst, request);
}

static void sql(ctx_t *c, char const *statement)
{
	assert_int_equal(sqlite3_exec(cw_registry_db(c->fx.admin), statement, NULL, NULL, NULL), 0);
}

static VALUE_PAIR *reply_attr(REQUEST *request, char const *name)
{
	DICT_ATTR const *da = dict_attrbyname(name);

	assert_non_null(da);
	return fr_pair_find_by_da(request->reply->vps, da, TAG_ANY);
}

/* A refused non-EAP reply holds nothing but its Message-Authenticator. */
static void reply_is_bare_reject(REQUEST *request)
{
	VALUE_PAIR *vp = request->reply->vps;

	assert_non_null(vp);
	assert_int_equal(vp->da->attr, PW_MESSAGE_AUTHENTICATOR);
	assert_null(vp->next);
}

/* --- authorize (the certificate-check virtual server) ---------------------- */

static void authorize_valid_member__is_ok(void **state)
{
	ctx_t *c = *state;

	assert_int_equal(authorize(c, cert_request(c, FX_ALICE, "alice", FX_STATION)), RLM_MODULE_OK);
	assert_null(c->request->reply->vps);
}

static void authorize_without_certificate__is_noop(void **state)
{
	ctx_t *c = *state;

	assert_int_equal(authorize(c, cert_request(c, NULL, "alice", FX_STATION)), RLM_MODULE_NOOP);
}

static void authorize_unknown_certificate__is_notfound(void **state)
{
	ctx_t *c = *state;

	assert_int_equal(authorize(c, cert_request(c, "123456", "alice", FX_STATION)), RLM_MODULE_NOTFOUND);
	assert_non_null(strstr(logged, "reject (unknown-cert)"));
}

static void authorize_revoked_certificate__is_userlock(void **state)
{
	ctx_t *c = *state;
	cw_err_t e;

	assert_int_equal(cw_admin_cert_revoke(c->fx.admin, FX_ALICE, "key-compromise", c->fx.now, NULL, &e), 0);
	assert_int_equal(authorize(c, cert_request(c, FX_ALICE, "alice", FX_STATION)), RLM_MODULE_USERLOCK);
	assert_non_null(strstr(logged, "reject (revoked)"));
	assert_non_null(strstr(logged, "key-compromise"));
}

static void authorize_uncollected_certificate__is_userlock(void **state)
{
	ctx_t *c = *state;
	cw_err_t e;

	if (fixture_make_pending(&c->fx, FX_ALICE, &e) < 0) fail_msg("%s", e.msg);
	assert_int_equal(authorize(c, cert_request(c, FX_ALICE, "alice", FX_STATION)), RLM_MODULE_USERLOCK);
	assert_non_null(strstr(logged, "reject (uncollected)"));
}

static void authorize_suspended_member__is_userlock(void **state)
{
	ctx_t *c = *state;
	cw_err_t e;

	assert_int_equal(cw_admin_member_set_status(c->fx.admin, "bob", CW_MEMBER_SUSPENDED, &e), 0);
	assert_int_equal(authorize(c, cert_request(c, FX_BOB, "bob", FX_STATION)), RLM_MODULE_USERLOCK);
	assert_non_null(strstr(logged, "reject (suspended)"));
}

static void authorize_ended_membership__is_userlock(void **state)
{
	ctx_t *c = *state;

	sql(c, "UPDATE member SET valid_from = 1, valid_until = 2, until_date = '1970-01-01' WHERE name = 'bob'");
	assert_int_equal(authorize(c, cert_request(c, FX_BOB, "bob", FX_STATION)), RLM_MODULE_USERLOCK);
	assert_non_null(strstr(logged, "reject (membership-ended)"));
}

static void authorize_staff_ssid__is_reject(void **state)
{
	ctx_t *c = *state;

	assert_int_equal(authorize(c, cert_request(c, FX_ALICE, "alice", "02-00-00-00-00-01:Staff")),
			 RLM_MODULE_REJECT);
	assert_non_null(strstr(logged, "staff SSID"));
}

static void authorize_foreign_issuer__is_reject(void **state)
{
	ctx_t *c = *state;
	REQUEST *request = cert_request(c, FX_ALICE, "alice", FX_STATION);

	fr_pair_delete_by_num(&request->packet->vps, dict_attrbyname("TLS-Client-Cert-Issuer")->attr, 0, TAG_ANY);
	add(&request->packet->vps, request->packet, "TLS-Client-Cert-Issuer", "/O=Evil/CN=Test Member CA");
	assert_int_equal(authorize(c, request), RLM_MODULE_REJECT);
	assert_non_null(strstr(logged, "reject (wrong-issuer)"));
}

static void authorize_malformed_serial__is_invalid(void **state)
{
	ctx_t *c = *state;

	assert_int_equal(authorize(c, cert_request(c, "not-hex", "alice", FX_STATION)), RLM_MODULE_INVALID);
	assert_non_null(strstr(logged, "reject (bad-input)"));
}

static void authorize_missing_registry__is_fail(void **state)
{
	ctx_t *c = *state;

	assert_int_equal(unlink(c->fx.path), 0);
	assert_int_equal(authorize(c, cert_request(c, FX_ALICE, "alice", FX_STATION)), RLM_MODULE_FAIL);
	assert_non_null(strstr(logged, "reject (internal-error)"));
}

/* --- post-auth (the outer server) -------------------------------------------- */

static void check_vlan(REQUEST *request, char const *vlan)
{
	VALUE_PAIR *type = reply_attr(request, "Tunnel-Type");
	VALUE_PAIR *medium = reply_attr(request, "Tunnel-Medium-Type");
	VALUE_PAIR *group = reply_attr(request, "Tunnel-Private-Group-Id");

	assert_non_null(type);
	assert_non_null(medium);
	assert_non_null(group);
	assert_int_equal(type->vp_integer, 13);		/* VLAN */
	assert_int_equal(medium->vp_integer, 6);	/* IEEE-802 */
	assert_string_equal(group->vp_strvalue, vlan);
}

static void post_auth_accept__adds_tenant_vlan(void **state)
{
	ctx_t *c = *state;
	REQUEST *request = cert_request(c, FX_ALICE, "alice", FX_STATION);

	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_ACCEPT), RLM_MODULE_UPDATED);
	check_vlan(request, "100");
}

static void post_auth_accept__adds_shared_vlan_without_tenant(void **state)
{
	ctx_t *c = *state;
	REQUEST *request = cert_request(c, FX_BOB, "bob", FX_STATION);

	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_ACCEPT), RLM_MODULE_UPDATED);
	check_vlan(request, "190");
}

static void post_auth_accept__replaces_a_vlan_set_elsewhere(void **state)
{
	ctx_t *c = *state;
	REQUEST *request = cert_request(c, FX_ALICE, "alice", FX_STATION);
	VALUE_PAIR *vp;
	unsigned groups = 0;
	vp_cursor_t cursor;

	add(&request->reply->vps, request->reply, "Tunnel-Private-Group-Id", "10");
	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_ACCEPT), RLM_MODULE_UPDATED);
	for (vp = fr_cursor_init(&cursor, &request->reply->vps); vp; vp = fr_cursor_next(&cursor)) {
		if (vp->da->attr == PW_TUNNEL_PRIVATE_GROUP_ID && vp->da->vendor == 0) groups++;
	}
	assert_int_equal(groups, 1);
	check_vlan(request, "100");
}

static void post_auth_reject__only_gets_a_message_authenticator(void **state)
{
	ctx_t *c = *state;
	REQUEST *request = cert_request(c, FX_ALICE, "alice", FX_STATION);

	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_REJECT), RLM_MODULE_UPDATED);
	assert_null(reply_attr(request, "Tunnel-Private-Group-Id"));
	assert_non_null(reply_attr(request, "Message-Authenticator"));
	/* a second pass (Post-Auth-Type REJECT after post-auth) changes nothing */
	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_REJECT), RLM_MODULE_NOOP);
}

/* An Accept that neither a certificate nor our guest path decided (e.g. Auth-Type := Accept elsewhere). */
static void post_auth_accept_without_certificate__is_refused(void **state)
{
	ctx_t *c = *state;
	REQUEST *request = cert_request(c, NULL, "alice", FX_STATION);

	assert_non_null(fr_pair_make(request->reply, &request->reply->vps, "Tunnel-Private-Group-Id", "100", T_OP_EQ));
	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_ACCEPT), RLM_MODULE_REJECT);
	reply_is_bare_reject(request);
	assert_non_null(strstr(logged, "reject (unset): an Access-Accept that rlm_cowork did not decide"));
}

/* The request's User-Name as it is now. */
static char const *request_user_name(REQUEST *request)
{
	VALUE_PAIR *vp = fr_pair_find_by_num(request->packet->vps, PW_USER_NAME, 0, TAG_ANY);

	return vp ? vp->vp_strvalue : NULL;
}

/* alice's certificate presented with the identity `identity`: the Accept and the request name alice. */
static void accept_with_identity(ctx_t *c, char const *identity, bool warned)
{
	REQUEST *request = cert_request(c, FX_ALICE, "alice", FX_STATION);
	VALUE_PAIR *vp = fr_pair_find_by_num(request->packet->vps, PW_USER_NAME, 0, TAG_ANY);

	logged[0] = '\0';
	fr_pair_value_strcpy(vp, identity);
	assert_non_null(fr_pair_make(request->reply, &request->reply->vps, "User-Name", identity, T_OP_EQ));
	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_ACCEPT), RLM_MODULE_UPDATED);
	vp = reply_attr(request, "User-Name");
	assert_non_null(vp);
	assert_string_equal(vp->vp_strvalue, "alice");
	assert_null(vp->next && vp->next->da->attr == PW_USER_NAME ? vp->next : NULL);
	assert_string_equal(request_user_name(request), "alice");
	assert_ptr_equal(request->username, fr_pair_find_by_num(request->packet->vps, PW_USER_NAME, 0, TAG_ANY));
	if (warned) {
		char want[128];

		snprintf(want, sizeof(want), "identity \"%s\" presented by member alice's certificate " FX_ALICE, identity);
		assert_non_null(strstr(logged, want));
	} else {
		assert_null(strstr(logged, "presented by member"));
	}
}

static void post_auth_accept__names_the_member_whatever_the_identity(void **state)
{
	ctx_t *c = *state;

	accept_with_identity(c, "staff-admin", true);
	accept_with_identity(c, "bob", true);
	accept_with_identity(c, "anonymous@example.org", false);
	accept_with_identity(c, "alice", false);
}

static void post_auth_revoked_since_handshake__is_userlock_with_eap_failure(void **state)
{
	ctx_t *c = *state;
	REQUEST *request = cert_request(c, FX_ALICE, "alice", FX_STATION);
	VALUE_PAIR *eap, *ma;
	cw_err_t e;

	add(&request->reply->vps, request->reply, "EAP-Message", "0x03070004");	/* Success, id 7 */
	add(&request->reply->vps, request->reply, "MS-MPPE-Recv-Key", "0x0102030405060708");
	assert_int_equal(cw_admin_cert_revoke(c->fx.admin, FX_ALICE, "superseded", c->fx.now, NULL, &e), 0);
	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_ACCEPT), RLM_MODULE_USERLOCK);
	eap = reply_attr(request, "EAP-Message");
	ma = reply_attr(request, "Message-Authenticator");
	assert_non_null(eap);
	assert_non_null(ma);
	assert_int_equal(eap->vp_length, 4);
	assert_memory_equal(eap->vp_octets, "\x04\x07\x00\x04", 4);	/* Failure, same id */
	assert_null(reply_attr(request, "MS-MPPE-Recv-Key"));
	assert_null(reply_attr(request, "Tunnel-Private-Group-Id"));
	assert_non_null(strstr(logged, "reject (revoked)"));
}

static void post_auth_unknown_certificate__is_reject_not_notfound(void **state)
{
	ctx_t *c = *state;

	/* NOTFOUND would count as success in post-auth. */
	assert_int_equal(post_auth(c, cert_request(c, "123456", "alice", FX_STATION), PW_CODE_ACCESS_ACCEPT),
			 RLM_MODULE_REJECT);
	reply_is_bare_reject(c->request);
}

static void post_auth_staff_vlan_in_registry__is_reject_and_error(void **state)
{
	ctx_t *c = *state;
	REQUEST *request = cert_request(c, FX_ALICE, "alice", FX_STATION);

	sql(c, "UPDATE tenant SET vlan = 20 WHERE name = 'acme'");
	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_ACCEPT), RLM_MODULE_REJECT);
	assert_null(reply_attr(request, "Tunnel-Private-Group-Id"));
	assert_non_null(strstr(logged, "VLAN 20 is a staff VLAN"));
}

static void post_auth_missing_registry__is_fail(void **state)
{
	ctx_t *c = *state;
	REQUEST *request = cert_request(c, FX_ALICE, "alice", FX_STATION);

	assert_int_equal(unlink(c->fx.path), 0);
	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_ACCEPT), RLM_MODULE_FAIL);
	reply_is_bare_reject(request);
}

static REQUEST *acct_request(ctx_t *c, char const *status, char const *cls, char const *session_id,
			     char const *calling);
static rlm_rcode_t accounting(ctx_t *c, REQUEST *request);
static int sessions(ctx_t *c, bool all);

static void post_auth_accept__adds_class_and_interim_interval(void **state)
{
	ctx_t *c = *state;
	REQUEST *request = cert_request(c, FX_ALICE, "alice", FX_STATION);
	VALUE_PAIR *cls, *interim;

	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_ACCEPT), RLM_MODULE_UPDATED);
	cls = reply_attr(request, "Class");
	interim = reply_attr(request, "Acct-Interim-Interval");
	assert_non_null(cls);
	assert_true(cls->vp_length > strlen("cowork:" FX_ALICE ":"));
	assert_memory_equal(cls->vp_octets, "cowork:" FX_ALICE ":", strlen("cowork:" FX_ALICE ":"));
	/* What the NAS echoes back verifies: accounting records the session. */
	{
		char echoed[CW_CLASS_MAX + 1];

		assert_true(cls->vp_length <= CW_CLASS_MAX);
		memcpy(echoed, cls->vp_octets, cls->vp_length);
		echoed[cls->vp_length] = '\0';
		assert_int_equal(accounting(c, acct_request(c, "Start", echoed, "S9", "02-00-00-00-00-09")), RLM_MODULE_OK);
		assert_int_equal(sessions(c, false), 1);
	}
	assert_non_null(interim);
	assert_int_equal(interim->vp_integer, 3600);
}

static void post_auth_refusal__sends_no_class(void **state)
{
	ctx_t *c = *state;
	REQUEST *request = cert_request(c, FX_ALICE, "alice", FX_STATION);
	cw_err_t e;

	assert_int_equal(cw_admin_cert_revoke(c->fx.admin, FX_ALICE, "superseded", c->fx.now, NULL, &e), 0);
	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_ACCEPT), RLM_MODULE_USERLOCK);
	assert_null(reply_attr(request, "Class"));
}

/* --- accounting (live sessions) ----------------------------------------------------- */

/*
 * The Class the module issues for serial (made with the key it derives from
 * the fixture's device key), in a static buffer.
 */
static char const *class_of(ctx_t *c, char const *serial)
{
	static char cls[CW_CLASS_MAX + 1];
	uint8_t device_key[CW_DEVICE_KEY_LEN], key[CW_CLASS_KEY_LEN];
	char path[256];
	cw_err_t e;

	snprintf(path, sizeof(path), "%s/device.key", c->fx.dir);
	assert_int_equal(cw_device_key_load(path, device_key, &e), 0);
	assert_int_equal(cw_session_class_key(device_key, key), 0);
	assert_int_equal(cw_session_class(key, serial, time(NULL), cls), 0);
	return cls;
}

/* An Accounting-Request from 192.0.2.10 as hostapd sends it; cls NULL for none. */
static REQUEST *acct_request(ctx_t *c, char const *status, char const *cls, char const *session_id,
			     char const *calling)
{
	REQUEST *request = request_alloc(c->cs);
	char hex[2 + 2 * CW_CLASS_MAX + 1] = "0x";

	request->packet = rad_alloc(request, false);
	request->reply = rad_alloc(request, false);
	request->timestamp = time(NULL);
	request->log.func = capture_log;
	request->log.lvl = L_DBG_LVL_1;
	request->packet->src_ipaddr.af = AF_INET;
	request->packet->src_ipaddr.ipaddr.ip4addr.s_addr = htonl(0xc000020a);
	add(&request->packet->vps, request->packet, "Acct-Status-Type", status);
	if (cls) {
		for (size_t i = 0; cls[i]; i++) snprintf(hex + 2 + 2 * i, 3, "%02x", (unsigned char)cls[i]);
		add(&request->packet->vps, request->packet, "Class", hex);
	}
	if (session_id) add(&request->packet->vps, request->packet, "Acct-Session-Id", session_id);
	if (calling) add(&request->packet->vps, request->packet, "Calling-Station-Id", calling);
	add(&request->packet->vps, request->packet, "User-Name", "alice");
	add(&request->packet->vps, request->packet, "NAS-Identifier", "ap-lobby");
	c->request = request;
	return request;
}

static rlm_rcode_t accounting(ctx_t *c, REQUEST *request)
{
	return rlm_cowork.methods[MOD_ACCOUNTING](c->inst, request);
}

static int count_session(void *arg, const cw_session_t *s)
{
	(void)s;
	(*(int *)arg)++;
	return 0;
}

/* Sessions in the access log: live ones, or all with all. */
static int sessions(ctx_t *c, bool all)
{
	cw_session_filter_t f = { NULL, NULL, all };
	cw_accesslog_t *log;
	int n = 0;
	cw_err_t e;

	assert_int_equal(cw_accesslog_open(c->fx.log_path, false, &log, &e), 0);
	assert_int_equal(cw_session_list(log, &f, count_session, &n, &e), 0);
	cw_accesslog_close(log);
	return n;
}

static void accounting_start_and_stop__record_the_session(void **state)
{
	ctx_t *c = *state;

	assert_int_equal(accounting(c, acct_request(c, "Start", class_of(c, FX_ALICE), "S1", "02-00-00-00-00-01")),
			 RLM_MODULE_OK);
	assert_int_equal(sessions(c, false), 1);
	assert_non_null(strstr(logged, "session started: member alice"));
	assert_int_equal(accounting(c, acct_request(c, "Interim-Update", class_of(c, FX_ALICE), "S1",
						    "02-00-00-00-00-01")), RLM_MODULE_OK);
	assert_int_equal(accounting(c, acct_request(c, "Stop", class_of(c, FX_ALICE), "S1", "02-00-00-00-00-01")),
			 RLM_MODULE_OK);
	assert_int_equal(sessions(c, false), 0);
	assert_int_equal(sessions(c, true), 1);
}

static void accounting_without_our_class__is_noop_and_stores_nothing(void **state)
{
	ctx_t *c = *state;

	assert_int_equal(accounting(c, acct_request(c, "Start", NULL, "S1", "02-00-00-00-00-01")), RLM_MODULE_NOOP);
	assert_int_equal(accounting(c, acct_request(c, "Start", "other", "S1", "02-00-00-00-00-01")), RLM_MODULE_NOOP);
	assert_int_equal(sessions(c, true), 0);
}

static void accounting_malformed__is_invalid_and_stores_nothing(void **state)
{
	ctx_t *c = *state;

	assert_int_equal(accounting(c, acct_request(c, "Start", class_of(c, FX_ALICE), "S1", "not-a-mac")),
			 RLM_MODULE_INVALID);
	assert_non_null(strstr(logged, "Calling-Station-Id"));
	assert_int_equal(accounting(c, acct_request(c, "Start", class_of(c, FX_ALICE), NULL, "02-00-00-00-00-01")),
			 RLM_MODULE_INVALID);
	/* A Class we issued for a certificate the registry (no longer) knows. */
	assert_int_equal(accounting(c, acct_request(c, "Start", class_of(c, "123456"), "S1", "02-00-00-00-00-01")),
			 RLM_MODULE_INVALID);
	assert_non_null(strstr(logged, "not in the registry"));
	assert_int_equal(sessions(c, true), 0);
}

static void accounting_with_a_forged_class__is_ignored_and_stores_nothing(void **state)
{
	ctx_t *c = *state;
	char forged[CW_CLASS_MAX + 1];

	/* The form without a MAC, for a serial the registry knows. */
	assert_int_equal(accounting(c, acct_request(c, "Start", "cowork:" FX_ALICE, "S1", "02-00-00-00-00-01")),
			 RLM_MODULE_NOOP);
	assert_non_null(strstr(logged, "accounting ignored: Class \"cowork:" FX_ALICE "\" carries no MAC"));
	/* alice's Class with bob's serial. */
	snprintf(forged, sizeof(forged), "cowork:%s%s", FX_BOB, strchr(class_of(c, FX_ALICE) + 7, ':'));
	assert_int_equal(accounting(c, acct_request(c, "Start", forged, "S2", "02-00-00-00-00-01")), RLM_MODULE_NOOP);
	assert_non_null(strstr(logged, "accounting ignored: the Class of certificate \"" FX_BOB "\" does not verify"));
	assert_int_equal(sessions(c, true), 0);
}

/* Beyond max_sessions_per_nas live sessions of a NAS, a Start is logged and ignored. */
static void accounting_beyond_the_nas_limit__is_ignored(void **state)
{
	ctx_t *c = *state;
	CONF_SECTION *cs = config(c->fx.dir, NULL);
	void *inst;

	cf_pair_add(cs, cf_pair_alloc(cs, "max_sessions_per_nas", "1", T_OP_EQ, T_BARE_WORD, T_BARE_WORD));
	assert_int_equal(instantiate(cs, &inst), 0);
	assert_int_equal(rlm_cowork.methods[MOD_ACCOUNTING](inst, acct_request(c, "Start", class_of(c, FX_ALICE), "S1",
									"02-00-00-00-00-01")), RLM_MODULE_OK);
	assert_int_equal(rlm_cowork.methods[MOD_ACCOUNTING](inst, acct_request(c, "Start", class_of(c, FX_BOB), "S2",
									"02-00-00-00-00-02")), RLM_MODULE_NOOP);
	assert_non_null(strstr(logged, "already has 1 live sessions (max_sessions_per_nas): session S2"));
	assert_int_equal(sessions(c, true), 1);
	rlm_cowork.detach(inst);
	talloc_free(cs);
}

static void max_sessions_per_nas_zero__fails_instantiation(void **state)
{
	fixture_t fx;
	CONF_SECTION *cs;
	void *inst;

	(void)state;
	assert_int_equal(fixture_setup(&fx), 0);
	cs = config(fx.dir, NULL);
	cf_pair_add(cs, cf_pair_alloc(cs, "max_sessions_per_nas", "0", T_OP_EQ, T_BARE_WORD, T_BARE_WORD));
	assert_int_equal(instantiate(cs, &inst), -1);
	talloc_free(cs);
	fixture_teardown(&fx);
}

static void accounting_on__ends_the_nas_sessions(void **state)
{
	ctx_t *c = *state;

	accounting(c, acct_request(c, "Start", class_of(c, FX_ALICE), "S1", "02-00-00-00-00-01"));
	accounting(c, acct_request(c, "Start", class_of(c, FX_BOB), "S2", "02-00-00-00-00-02"));
	assert_int_equal(sessions(c, false), 2);
	assert_int_equal(accounting(c, acct_request(c, "Accounting-On", NULL, NULL, NULL)), RLM_MODULE_OK);
	assert_int_equal(sessions(c, false), 0);
	assert_non_null(strstr(logged, "2 live session(s) ended"));
}

/* With `path` gone, alice's Start fails (no response: the NAS retries) and says why. */
static void start_fails_without(ctx_t *c, char const *path)
{
	assert_int_equal(unlink(path), 0);
	assert_int_equal(accounting(c, acct_request(c, "Start", class_of(c, FX_ALICE), "S1", "02-00-00-00-00-01")),
			 RLM_MODULE_FAIL);
	assert_non_null(strstr(logged, "accounting not recorded"));
}

static void accounting_without_access_log__fails_so_the_nas_retries(void **state)
{
	start_fails_without(*state, ((ctx_t *)*state)->fx.log_path);
}

static void accounting_without_registry__fails(void **state)
{
	ctx_t *c = *state;

	start_fails_without(c, c->fx.path);
	/* A Stop needs no registry: the session ends all the same. */
	assert_int_equal(accounting(c, acct_request(c, "Stop", class_of(c, FX_ALICE), "S1", "02-00-00-00-00-01")),
			 RLM_MODULE_OK);
}

/* --- a handshake refused by OCSP: its Reject is logged in post-auth ------------------ */

/* The Access-Reject of a handshake, after the OCSP check said `valid` (0 no, 1 yes, 2 skipped). */
static REQUEST *ocsp_rejected(ctx_t *c, char const *serial, char const *member, char const *valid)
{
	REQUEST *request = cert_request(c, serial, member, FX_STATION);

	add(&request->packet->vps, request->packet, "TLS-OCSP-Cert-Valid", valid);
	return request;
}

static void post_auth_reject_after_ocsp_refusal__logs_the_registry_reason(void **state)
{
	ctx_t *c = *state;
	REQUEST *request = ocsp_rejected(c, FX_ALICE, "alice", "no");
	cw_err_t e;

	assert_int_equal(cw_admin_cert_revoke(c->fx.admin, FX_ALICE, "key-compromise", c->fx.now, NULL, &e), 0);
	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_REJECT), RLM_MODULE_UPDATED);
	assert_non_null(strstr(logged, "reject (revoked): certificate " FX_ALICE " of alice was revoked"));
	reply_is_bare_reject(request);
}

static void post_auth_reject_after_ocsp_failure_of_a_valid_cert__is_an_internal_error(void **state)
{
	ctx_t *c = *state;
	REQUEST *request = ocsp_rejected(c, FX_ALICE, "alice", "skipped");

	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_REJECT), RLM_MODULE_UPDATED);
	assert_non_null(strstr(logged, "reject (internal-error): certificate " FX_ALICE " of alice failed the OCSP check"));
	assert_non_null(strstr(logged, "coworkctl cert ocsp-sign"));
}

static void post_auth_reject_after_ocsp_good__logs_nothing_more(void **state)
{
	ctx_t *c = *state;
	REQUEST *request = ocsp_rejected(c, FX_ALICE, "alice", "yes");

	/* check-eap-tls refused it and logged it already */
	assert_int_equal(post_auth(c, request, PW_CODE_ACCESS_REJECT), RLM_MODULE_UPDATED);
	assert_string_equal(logged, "");
}

/* --- the OCSP responder's start ---------------------------------------------------- */

static void ocsp_port_above_65535__fails_instantiation(void **state)
{
	CONF_SECTION *cs = config_ocsp("/nonexistent/cowork", NULL, "65536");
	void *inst;

	(void)state;
	assert_int_equal(instantiate(cs, &inst), -1);
	rlm_cowork.detach(inst);
	talloc_free(cs);
}

static int connect_ocsp(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), rc;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	return rc;
}

static void ocsp_port_taken__fails_instantiation(void **state)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(OCSP_PORT_TAKEN) };
	char port[8];
	CONF_SECTION *cs;
	void *inst;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	snprintf(port, sizeof(port), "%d", OCSP_PORT_TAKEN);
	cs = config_ocsp("/nonexistent/cowork", NULL, port);
	assert_int_equal(instantiate(cs, &inst), -1);
	rlm_cowork.detach(inst);
	talloc_free(cs);
	close(fd);
}

static void hup_second_instance_on_the_same_port__instantiates(void **state)
{
	CONF_SECTION *old_cs = config_ocsp("/nonexistent/cowork", NULL, OCSP_PORT_TEXT);
	CONF_SECTION *new_cs = config_ocsp("/nonexistent/cowork", NULL, OCSP_PORT_TEXT);
	void *old_inst, *new_inst;

	(void)state;
	assert_int_equal(instantiate(old_cs, &old_inst), 0);
	assert_int_equal(connect_ocsp(OCSP_PORT), 0);
	assert_int_equal(instantiate(new_cs, &new_inst), 0);	/* the port is not bound twice */
	rlm_cowork.detach(old_inst);
	assert_int_equal(connect_ocsp(OCSP_PORT), 0);	/* still served by the new instance */
	rlm_cowork.detach(new_inst);
	assert_int_equal(connect_ocsp(OCSP_PORT), -1);
	talloc_free(old_cs);
	talloc_free(new_cs);
}

/* --- configuration -------------------------------------------------------------- */

static void relative_state_dir__fails_instantiation(void **state)
{
	CONF_SECTION *cs = config("var/lib/cowork", NULL);
	void *inst;

	(void)state;
	assert_int_equal(instantiate(cs, &inst), -1);
	talloc_free(cs);
}

static void busy_timeout_above_bound__fails_instantiation(void **state)
{
	CONF_SECTION *cs = config("/var/lib/cowork", "60000");
	void *inst;

	(void)state;
	assert_int_equal(instantiate(cs, &inst), -1);
	talloc_free(cs);
}

static void missing_registry_at_start__instantiates_and_rejects(void **state)
{
	CONF_SECTION *cs = config("/nonexistent/cowork", NULL);
	ctx_t c;
	void *inst;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(instantiate(cs, &inst), 0);
	c.cs = cs;
	c.inst = inst;
	if (fixture_setup(&c.fx) < 0) fail();
	assert_int_equal(authorize(&c, cert_request(&c, FX_ALICE, "alice", FX_STATION)), RLM_MODULE_FAIL);
	rlm_cowork.detach(inst);
	fixture_teardown(&c.fx);
	talloc_free(cs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(authorize_valid_member__is_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(authorize_without_certificate__is_noop, setup, teardown),
		cmocka_unit_test_setup_teardown(authorize_unknown_certificate__is_notfound, setup, teardown),
		cmocka_unit_test_setup_teardown(authorize_revoked_certificate__is_userlock, setup, teardown),
		cmocka_unit_test_setup_teardown(authorize_uncollected_certificate__is_userlock, setup, teardown),
		cmocka_unit_test_setup_teardown(authorize_suspended_member__is_userlock, setup, teardown),
		cmocka_unit_test_setup_teardown(authorize_ended_membership__is_userlock, setup, teardown),
		cmocka_unit_test_setup_teardown(authorize_staff_ssid__is_reject, setup, teardown),
		cmocka_unit_test_setup_teardown(authorize_foreign_issuer__is_reject, setup, teardown),
		cmocka_unit_test_setup_teardown(authorize_malformed_serial__is_invalid, setup, teardown),
		cmocka_unit_test_setup_teardown(authorize_missing_registry__is_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(post_auth_accept__adds_tenant_vlan, setup, teardown),
		cmocka_unit_test_setup_teardown(post_auth_accept__adds_shared_vlan_without_tenant, setup, teardown),
		cmocka_unit_test_setup_teardown(post_auth_accept__replaces_a_vlan_set_elsewhere, setup, teardown),
		cmocka_unit_test_setup_teardown(post_auth_reject__only_gets_a_message_authenticator, setup, teardown),
		cmocka_unit_test_setup_teardown(post_auth_accept_without_certificate__is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(post_auth_accept__names_the_member_whatever_the_identity, setup, teardown),
		cmocka_unit_test_setup_teardown(post_auth_revoked_since_handshake__is_userlock_with_eap_failure, setup,
						teardown),
		cmocka_unit_test_setup_teardown(post_auth_unknown_certificate__is_reject_not_notfound, setup, teardown),
		cmocka_unit_test_setup_teardown(post_auth_staff_vlan_in_registry__is_reject_and_error, setup, teardown),
		cmocka_unit_test_setup_teardown(post_auth_missing_registry__is_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(post_auth_accept__adds_class_and_interim_interval, setup, teardown),
		cmocka_unit_test_setup_teardown(post_auth_refusal__sends_no_class, setup, teardown),
		cmocka_unit_test_setup_teardown(accounting_start_and_stop__record_the_session, setup, teardown),
		cmocka_unit_test_setup_teardown(accounting_without_our_class__is_noop_and_stores_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(accounting_malformed__is_invalid_and_stores_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(accounting_with_a_forged_class__is_ignored_and_stores_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(accounting_beyond_the_nas_limit__is_ignored, setup, teardown),
		cmocka_unit_test(max_sessions_per_nas_zero__fails_instantiation),
		cmocka_unit_test_setup_teardown(accounting_on__ends_the_nas_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(accounting_without_access_log__fails_so_the_nas_retries, setup, teardown),
		cmocka_unit_test_setup_teardown(accounting_without_registry__fails, setup, teardown),
		cmocka_unit_test_setup_teardown(post_auth_reject_after_ocsp_refusal__logs_the_registry_reason, setup,
						teardown),
		cmocka_unit_test_setup_teardown(post_auth_reject_after_ocsp_failure_of_a_valid_cert__is_an_internal_error,
						setup, teardown),
		cmocka_unit_test_setup_teardown(post_auth_reject_after_ocsp_good__logs_nothing_more, setup, teardown),
		cmocka_unit_test(ocsp_port_above_65535__fails_instantiation),
		cmocka_unit_test(ocsp_port_taken__fails_instantiation),
		cmocka_unit_test(hup_second_instance_on_the_same_port__instantiates),
		cmocka_unit_test(relative_state_dir__fails_instantiation),
		cmocka_unit_test(busy_timeout_above_bound__fails_instantiation),
		cmocka_unit_test(missing_registry_at_start__instantiates_and_rejects),
	};

	if (dict_init("/usr/share/freeradius", "dictionary") < 0) {
		fprintf(stderr, "dict_init: %s\n", fr_strerror());
		return 1;
	}
	return cmocka_run_group_tests_name("module", tests, NULL, NULL);
}
