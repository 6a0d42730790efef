/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rlm_cowork.c - FreeRADIUS glue for rlm_cowork.
 *
 * Member path (EAP-TLS):
 *  - authorize, in the certificate-check virtual server (check-eap-tls):
 *    decide on TLS-Client-Cert-Serial; a refusal ends the handshake in an
 *    Access-Reject.
 *  - post-auth, in the outer server, on Access-Accept only: decide again
 *    (the registry may have changed, and a site that forgot the check
 *    server must not let anyone through), then add the member's VLAN and
 *    name the member: the Accept's User-Name is the member id, whatever
 *    identity the device presented (anonymous ones are normal in EAP-TLS;
 *    someone else's name is logged).
 *  - post-auth refuses any other Access-Accept: one without a client
 *    certificate that our guest path did not decide either (PEAP, TTLS or
 *    MD5 added to cowork_eap, another module's Auth-Type := Accept).
 *
 * Guest path (MAC authentication, hostapd's wpa_psk_radius):
 *  - authorize, in the outer server: for a station on a guest SSID, accept
 *    with the passphrases in force (Tunnel-Password, or a vendor's
 *    attribute), the guest VLAN and a Session-Timeout.
 *
 * Every decision is written to the access log (one row, lib/server/logq.c): a
 * decision that cannot be logged does not grant access.
 *
 * Sessions (for Disconnect-Requests, RFC 5176):
 *  - post-auth puts Class = "cowork:<serial>:<issued>:<tag>" into a
 *    member's Accept (and Acct-Interim-Interval), which the NAS echoes in
 *    its accounting; the tag is an HMAC under a key derived from the device
 *    key, so no client can forge a session for a serial it guessed;
 *  - accounting records Start/Interim-Update/Stop of those sessions, and
 *    Accounting-On/Off, synchronously in the access log file (lib/server/session.c)
 *    before the Accounting-Response goes out; accounting whose Class does
 *    not verify is logged and ignored, and so is a new session beyond
 *    max_sessions_per_nas live ones of its NAS.
 *
 * Revocation inside the TLS handshake: the module hooks OpenSSL's
 * certificate verification of eap_module's TLS context (the SSL_CTX of its
 * tls-config): after FreeRADIUS's own verification, the client
 * certificate's serial is checked in the registry, and a refusal fails the
 * handshake with a TLS alert the device sees. A handshake refused that way
 * never reaches check-eap-tls: post-auth REJECT logs its row.
 * Alternatively (ocsp_port), the module runs an OCSP responder on
 * 127.0.0.1 (lib/server/ocsp_server.c) that cowork_eap's ocsp section can ask; it
 * answers from the registry with the answers coworkctl pre-signed.
 *
 * Device binding (device.c): the device a member certificate comes from
 * (the keyed hash of Calling-Station-Id) is judged inside the handshake,
 * in check-eap-tls and in post-auth: the first one is bound, a later one
 * reported (policy notify) or refused as unknown-device (enforce) unless
 * approved; post-auth records a new device, and the log writer runs the
 * notify command for it.
 *
 * Every decision is made by lib/server (lib/server/member.c, lib/server/guest.c); the
 * module only moves attributes in and out and maps results to return codes.
 * This file holds the instance, its configuration and the entry points;
 * module.h lists the others (member.c, guest.c, handshake.c, accounting.c,
 * reply.c).
 */
#include "module.h"

#include <freeradius/modpriv.h>

#include "station.h"

/* Bounds of acct_interim_interval (0 turns it off): hostapd refuses less than 60 s. */
#define INTERIM_MIN		60
#define INTERIM_MAX		86400
/* Bound of max_sessions_per_nas: beyond, a NAS is not an access point. */
#define MAX_LIVE_MAX		1000000

/* --- configuration ------------------------------------------------------------ */

static const CONF_PARSER module_config[] = {
	{ "state_dir", FR_CONF_OFFSET(PW_TYPE_STRING | PW_TYPE_REQUIRED, rlm_cowork_t, state_dir), NULL },
	{ "registry_busy_timeout", FR_CONF_OFFSET(PW_TYPE_INTEGER, rlm_cowork_t, busy_timeout), "2000" },
	{ "registry_connections", FR_CONF_OFFSET(PW_TYPE_INTEGER, rlm_cowork_t, max_idle), "32" },
	{ "psk_cisco", FR_CONF_OFFSET(PW_TYPE_STRING | PW_TYPE_MULTI, rlm_cowork_t, psk_cisco), NULL },
	{ "psk_aruba", FR_CONF_OFFSET(PW_TYPE_STRING | PW_TYPE_MULTI, rlm_cowork_t, psk_aruba), NULL },
	{ "log_flush_interval", FR_CONF_OFFSET(PW_TYPE_INTEGER, rlm_cowork_t, flush_ms), "100" },
	{ "log_purge_interval", FR_CONF_OFFSET(PW_TYPE_INTEGER, rlm_cowork_t, purge_interval), "300" },
	{ "clock_max_error", FR_CONF_OFFSET(PW_TYPE_INTEGER, rlm_cowork_t, clock_max_error), "5000" },
	{ "test_clock_offset", FR_CONF_OFFSET(PW_TYPE_SIGNED, rlm_cowork_t, clock_offset), "0" },
	{ "acct_interim_interval", FR_CONF_OFFSET(PW_TYPE_INTEGER, rlm_cowork_t, interim_interval), "3600" },
	{ "ocsp_port", FR_CONF_OFFSET(PW_TYPE_INTEGER, rlm_cowork_t, ocsp_port), "0" },
	{ "eap_module", FR_CONF_OFFSET(PW_TYPE_STRING, rlm_cowork_t, eap_module), "" },
	{ "max_sessions_per_nas", FR_CONF_OFFSET(PW_TYPE_INTEGER, rlm_cowork_t, max_live), STRINGIFY(CW_SESSION_MAX_LIVE_PER_NAS) },
	CONF_PARSER_TERMINATOR
};

static int find_attr(CONF_SECTION *conf, char const *name, DICT_ATTR const **out)
{
	*out = dict_attrbyname(name);
	if (!*out) {
		cf_log_err_cs(conf, "Attribute %s is not in the dictionary", name);
		return -1;
	}
	return 0;
}

/* Is ssid listed in the multi-valued item `item` of our configuration? */
bool cw_mod_ssid_listed(CONF_SECTION *cs, char const *item, char const *ssid)
{
	CONF_PAIR *cp;

	for (cp = cf_pair_find(cs, item); cp; cp = cf_pair_find_next(cs, cp, item)) {
		char const *value = cf_pair_value(cp);

		if (value && strcmp(value, ssid) == 0) return true;
	}
	return false;
}

/* Each SSID in psk_cisco/psk_aruba must be a possible SSID, and in one list only. */
static int check_psk_lists(rlm_cowork_t *inst, CONF_SECTION *conf)
{
	CONF_PAIR *cp;

	for (cp = cf_pair_find(conf, "psk_cisco"); cp; cp = cf_pair_find_next(conf, cp, "psk_cisco")) {
		char const *v = cf_pair_value(cp);

		if (!v || !*v || strlen(v) > CW_SSID_MAX || cw_mod_ssid_listed(conf, "psk_aruba", v)) {
			cf_log_err_cs(conf, "psk_cisco \"%s\" must be an SSID of 1 to 32 bytes, not also in psk_aruba",
				      v ? v : "");
			return -1;
		}
	}
	for (cp = cf_pair_find(conf, "psk_aruba"); cp; cp = cf_pair_find_next(conf, cp, "psk_aruba")) {
		char const *v = cf_pair_value(cp);

		if (!v || !*v || strlen(v) > CW_SSID_MAX) {
			cf_log_err_cs(conf, "psk_aruba \"%s\" must be an SSID of 1 to 32 bytes", v ? v : "");
			return -1;
		}
	}
	if (inst->psk_cisco && find_attr(conf, "Cisco-AVPair", &inst->da_cisco_avpair) < 0) return -1;
	if (inst->psk_aruba && find_attr(conf, "Aruba-MPSK-Passphrase", &inst->da_aruba_mpsk) < 0) return -1;
	return 0;
}

/* --- access log writer ---------------------------------------------------------- */

/* The writer thread's news: the log became unwritable, or writable again. */
static void log_report(void *ctx, int is_error, char const *msg)
{
	rlm_cowork_t const *inst = ctx;

	if (is_error == CW_LOGQ_WARNING) {
		WARN("rlm_cowork (%s): access log: %s", inst->name, msg);
	} else if (is_error) {
		ERROR("rlm_cowork (%s): access log: %s (decisions that cannot be logged are refused)", inst->name, msg);
	} else {
		INFO("rlm_cowork (%s): %s", inst->name, msg);
	}
}

static int start_log(rlm_cowork_t *inst, CONF_SECTION *conf)
{
	cw_logq_config_t cfg = {
		.registry_path = inst->registry_path,
		.flush_ms = inst->flush_ms,
		.batch_max = 512,
		.capacity = 16384,
		.purge_limit = 500,
		.purge_interval_s = inst->purge_interval,
		.fail_grace_s = 10,
		.clock_offset_ms = (int64_t)inst->clock_offset * 1000,
		.report = log_report,
		.report_ctx = inst,
	};
	char *path = talloc_asprintf(inst, "%s/log/accesslog.db", inst->state_dir);
	cw_err_t e;

	if (!path) return -1;
	cfg.log_path = path;
	if (cw_logq_start(&cfg, &inst->logq, &e) < 0) {
		cf_log_err_cs(conf, "%s", e.msg);
		return -1;
	}
	return 0;
}

/* --- the registry and the device key ------------------------------------------- */

/*
 * Decide with a connection borrowed from the pool: decide(reg, arg) fills
 * its decision and returns its result; the connection goes back, closed
 * after an internal error (it may be broken). Without a connection:
 * *result is CW_DECIDE_INTERNAL, reason the pool's message, and false.
 */
bool cw_mod_with_registry(rlm_cowork_t const *inst, cw_mod_decide_t decide, void *arg,
			  cw_decide_result_t *result, char *reason, size_t reason_len)
{
	cw_regconn_t *conn;
	cw_err_t e;

	conn = cw_regpool_get(inst->pool, &e);
	if (!conn) {
		*result = CW_DECIDE_INTERNAL;
		strlcpy(reason, e.msg, reason_len);
		return false;
	}
	*result = decide(conn->reg, arg);
	cw_regpool_put(inst->pool, conn, *result == CW_DECIDE_INTERNAL);
	return true;
}

/*
 * The device key, loaded once (a missing key is retried at each decision):
 * the device hasher, and the Class MAC key derived from it (written before
 * the hasher is published, so a non-NULL hasher means both are there).
 */
bool cw_mod_device_key(rlm_cowork_t *inst)
{
	uint8_t key[CW_DEVICE_KEY_LEN];
	bool loaded;
	cw_err_t e;

	if (__atomic_load_n(&inst->hasher, __ATOMIC_ACQUIRE)) return true;
	pthread_mutex_lock(&inst->warn_lock);
	if (!inst->hasher && cw_device_key_load(inst->key_path, key, &e) == 0) {
		cw_device_hasher_t *h = NULL;

		if (cw_session_class_key(key, inst->class_key) < 0 || cw_device_hasher_new(key, &h, &e) < 0) {
			cw_device_hasher_free(h);
			h = NULL;
		}
		cw_wipe(key, sizeof(key));
		__atomic_store_n(&inst->hasher, h, __ATOMIC_RELEASE);
	}
	loaded = inst->hasher != NULL;
	pthread_mutex_unlock(&inst->warn_lock);
	return loaded;
}

/* --- OCSP responder ---------------------------------------------------------- */

/* The responder's news, from its thread: answers (debug), refusals (with the reason). */
static void ocsp_report(void *ctx, cw_ocsp_log_t level, char const *msg)
{
	rlm_cowork_t const *inst = ctx;

	if (level == CW_OCSP_LOG_ERROR) {
		ERROR("rlm_cowork (%s): %s", inst->name, msg);
	} else if (level == CW_OCSP_LOG_WARN) {
		WARN("rlm_cowork (%s): %s", inst->name, msg);
	} else {
		DEBUG2("rlm_cowork (%s): %s", inst->name, msg);
	}
}

/*
 * Serve OCSP for cowork_eap on 127.0.0.1:ocsp_port. Not in a configuration
 * check (radiusd -C), which must not take the port of the running server.
 */
static int start_ocsp(rlm_cowork_t *inst, CONF_SECTION *conf)
{
	cw_ocsp_config_t cfg = {
		.port = (uint16_t)inst->ocsp_port,
		.busy_ms = inst->busy_timeout,
		.clock_offset = inst->clock_offset,
		.report = ocsp_report,
		.report_ctx = inst,
	};
	cw_err_t e;

	if (inst->ocsp_port > 65535) {
		cf_log_err_cs(conf, "ocsp_port must be 1 to 65535 (0: no OCSP responder)");
		return -1;
	}
	if (inst->ocsp_port == 0) return 0;
	if (check_config) {
		INFO("rlm_cowork (%s): configuration check: the OCSP responder (port %u) is not started", inst->name,
		     inst->ocsp_port);
		return 0;
	}
	cfg.registry_path = inst->registry_path;
	cfg.ca_path = talloc_asprintf(inst, "%s/ca/ca.pem", inst->state_dir);
	if (!cfg.ca_path) return -1;
	if (cw_ocsp_serve(&cfg, &inst->ocsp, &e) < 0) {
		cf_log_err_cs(conf, "%s", e.msg);
		return -1;
	}
	INFO("rlm_cowork (%s): OCSP responder on 127.0.0.1:%u", inst->name, inst->ocsp_port);
	return 0;
}

/* --- instantiate and detach ---------------------------------------------------- */

/*
 * On a HUP, FreeRADIUS 3.2 parses the new instance from the section the
 * module was first loaded from (modules.c: module_hup_module calls
 * module_conf_parse(node), which parses node->cs) but instantiates it with
 * the re-read section. Parse that one again, so that a HUP applies the file
 * as it now is (state_dir, eap_module, ...) instead of silently keeping
 * the values from start. 0, or -1 (the error logged by the parser).
 */
static int parse_current(rlm_cowork_t *inst, CONF_SECTION *conf)
{
	CONF_SECTION *modules = cf_section_sub_find(cf_top_section(conf), "modules");
	char const *name = cf_section_name2(conf) ? cf_section_name2(conf) : cf_section_name1(conf);
	module_instance_t *self = modules ? module_find(modules, name) : NULL;

	if (!self || !self->cs || self->cs == conf) return 0;
	return cf_section_parse(conf, inst, module_config);
}

static int mod_instantiate(CONF_SECTION *conf, void *instance)
{
	rlm_cowork_t *inst = instance;
	cw_regconn_t *conn;
	cw_err_t e;

	if (parse_current(inst, conf) < 0) return -1;
	inst->cs = conf;
	inst->name = cf_section_name2(conf);
	if (!inst->name) inst->name = cf_section_name1(conf);

	if (inst->state_dir[0] != '/') {
		cf_log_err_cs(conf, "state_dir \"%s\" must be an absolute path", inst->state_dir);
		return -1;
	}
	if (inst->busy_timeout > 10000) {
		cf_log_err_cs(conf, "registry_busy_timeout %u is above 10000 ms: a request would wait too long",
			      inst->busy_timeout);
		return -1;
	}
	if (inst->max_idle < 1 || inst->max_idle > 1024) {
		cf_log_err_cs(conf, "registry_connections must be 1 to 1024");
		return -1;
	}
	if (inst->flush_ms < 10 || inst->flush_ms > 1000) {
		cf_log_err_cs(conf, "log_flush_interval must be 10 to 1000 ms (it bounds what a crash can lose)");
		return -1;
	}
	if (inst->purge_interval < CW_LOGQ_PURGE_INTERVAL_MIN || inst->purge_interval > CW_LOGQ_PURGE_INTERVAL_MAX) {
		cf_log_err_cs(conf, "log_purge_interval must be %d to %d s (it bounds how long expired log rows stay)",
			      CW_LOGQ_PURGE_INTERVAL_MIN, CW_LOGQ_PURGE_INTERVAL_MAX);
		return -1;
	}
	if (inst->clock_max_error < 1 || inst->clock_max_error > 16000) {
		cf_log_err_cs(conf, "clock_max_error must be 1 to 16000 ms");
		return -1;
	}
	if (inst->interim_interval != 0 && (inst->interim_interval < INTERIM_MIN || inst->interim_interval > INTERIM_MAX)) {
		cf_log_err_cs(conf, "acct_interim_interval must be 0 (none) or %d to %d s", INTERIM_MIN, INTERIM_MAX);
		return -1;
	}
	if (inst->max_live < 1 || inst->max_live > MAX_LIVE_MAX) {
		cf_log_err_cs(conf, "max_sessions_per_nas must be 1 to %d", MAX_LIVE_MAX);
		return -1;
	}
	if (cw_mod_handshake_find(inst, conf) < 0) return -1;
	if (find_attr(conf, "TLS-Client-Cert-Serial", &inst->da_serial) < 0 ||
	    find_attr(conf, "TLS-Client-Cert-Issuer", &inst->da_issuer) < 0 ||
	    find_attr(conf, "TLS-Client-Cert-Subject", &inst->da_subject) < 0 ||
	    find_attr(conf, "TLS-Client-Cert-Expiration", &inst->da_expiration) < 0 ||
	    find_attr(conf, "TLS-OCSP-Cert-Valid", &inst->da_ocsp_valid) < 0 ||
	    check_psk_lists(inst, conf) < 0) return -1;
	if (inst->clock_offset != 0) {
		WARN("rlm_cowork (%s): test_clock_offset = %d: the module's clock is shifted (tests only!)", inst->name,
		     inst->clock_offset);
	}

	inst->registry_path = talloc_asprintf(inst, "%s/registry.db", inst->state_dir);
	inst->key_path = talloc_asprintf(inst, "%s/device.key", inst->state_dir);
	inst->log_path = talloc_asprintf(inst, "%s/log/accesslog.db", inst->state_dir);
	if (!inst->registry_path || !inst->key_path || !inst->log_path) return -1;
	if (pthread_mutex_init(&inst->warn_lock, NULL) != 0 || pthread_mutex_init(&inst->session_lock, NULL) != 0) {
		cf_log_err_cs(conf, "cannot initialise a mutex");
		return -1;
	}
	if (cw_regpool_create(inst->registry_path, inst->busy_timeout, inst->max_idle, &inst->pool, &e) < 0) {
		cf_log_err_cs(conf, "%s", e.msg);
		return -1;
	}

	if (cw_devtab_new(&inst->devices) < 0) {
		cf_log_err_cs(conf, "out of memory");
		return -1;
	}
	/* After the writer (which made sure of nothing): a log not there yet is retried at the first request. */
	if (start_log(inst, conf) < 0) return -1;
	if (cw_mod_devices_load(inst, &e) < 0) {
		WARN("rlm_cowork (%s): %s: device binding is not checked until it loads (enforce refuses meanwhile)",
		     inst->name, e.msg);
	}
	if (!cw_mod_device_key(inst)) {
		WARN("rlm_cowork (%s): no device key yet: every decision will be refused until %s exists", inst->name,
		     inst->key_path);
	}

	/* A registry that is not there yet is not fatal: requests are rejected until it is. */
	conn = cw_regpool_get(inst->pool, &e);
	if (!conn) {
		WARN("rlm_cowork (%s): %s: every member and guest will be rejected until this is fixed", inst->name,
		     e.msg);
	}
	cw_regpool_put(inst->pool, conn, false);
	if (start_ocsp(inst, conf) < 0) return -1;
	/* Last: nothing may fail after this instance starts checking handshakes. */
	return cw_mod_handshake_claim(inst, conf);
}

static int mod_detach(void *instance)
{
	rlm_cowork_t *inst = instance;

	/* No handshake checked with this instance's registry from now on (refused, unless its successor took over). */
	cw_mod_handshake_release(inst);
	/* No OCSP answer from this instance's configuration from now on. */
	cw_ocsp_unserve(inst->ocsp);
	inst->ocsp = NULL;
	/* Write what is queued before anything else goes. */
	cw_logq_stop(inst->logq);
	inst->logq = NULL;
	cw_device_hasher_free(inst->hasher);
	inst->hasher = NULL;
	cw_wipe(inst->class_key, sizeof(inst->class_key));
	cw_accesslog_close(inst->sessions);
	inst->sessions = NULL;
	cw_devtab_free(inst->devices);
	inst->devices = NULL;
	if (!inst->pool) return 0;
	cw_regpool_free(inst->pool);
	inst->pool = NULL;
	pthread_mutex_destroy(&inst->warn_lock);
	pthread_mutex_destroy(&inst->session_lock);
	return 0;
}

/* --- entry points ----------------------------------------------------------------- */

/*
 * authorize: with a client certificate (the certificate-check virtual
 * server), the member path; otherwise the guest path, which answers MAC
 * authentication only.
 */
static rlm_rcode_t CC_HINT(nonnull) mod_authorize(void *instance, REQUEST *request)
{
	rlm_cowork_t *inst = instance;

	if (fr_pair_find_by_da(request->packet->vps, inst->da_serial, TAG_ANY)) {
		return cw_mod_member_authorize(inst, request);
	}
	return cw_mod_guest_authorize(inst, request);
}

/*
 * An Access-Accept that rlm_cowork did not decide: no client certificate
 * (EAP without TLS, because PEAP, TTLS or MD5 was added to cowork_eap) and
 * not our guest path (another module set Auth-Type := Accept). Refused on
 * any SSID, with its access log row: every access this server grants is
 * one the registry decided and the access log recorded.
 */
static rlm_rcode_t refuse_undecided(rlm_cowork_t *inst, REQUEST *request)
{
	bool eap = fr_pair_find_by_num(request->packet->vps, PW_EAP_MESSAGE, 0, TAG_ANY) != NULL;
	cw_decide_result_t result = CW_DECIDE_UNSET;
	VALUE_PAIR *vp = fr_pair_find_by_num(request->packet->vps, PW_CALLED_STATION_ID, 0, TAG_ANY);
	char reason[CW_REASON_MAX];
	cw_access_row_t row;
	cw_station_t st;
	cw_err_t e;

	snprintf(reason, sizeof(reason), "an Access-Accept that rlm_cowork did not decide (%s): only EAP-TLS with"
		 " a registered certificate and cowork's guest path may grant access",
		 eap ? "EAP without a client certificate" : "no client certificate and no guest decision");
	cw_mod_row_common(inst, request, result, eap, &row);
	if (vp && cw_station_parse(vp->vp_strvalue, vp->vp_length, &st, &e) == 0 && st.has_ssid)
		strlcpy(row.ssid, st.ssid, sizeof(row.ssid));
	cw_mod_record(inst, request, &row, &result, reason, sizeof(reason));
	cw_mod_log_refusal(request, result, reason);
	cw_mod_reply_refusal(request);
	return RLM_MODULE_REJECT;
}

/*
 * post-auth (and Post-Auth-Type REJECT). An Access-Accept is either a
 * member's (a client certificate: cw_mod_member_post_auth), or our guest path's
 * (marked in authorize), or refused (refuse_undecided). A Reject of a
 * handshake that the registry or OCSP refused gets its access log row.
 * Every reply that goes out gets a Message-Authenticator if it has none.
 */
static rlm_rcode_t CC_HINT(nonnull) mod_post_auth(void *instance, REQUEST *request)
{
	rlm_cowork_t *inst = instance;

	if (request->reply->code == PW_CODE_ACCESS_ACCEPT) {
		if (fr_pair_find_by_da(request->packet->vps, inst->da_serial, TAG_ANY))
			return cw_mod_member_post_auth(inst, request);
		if (!cw_mod_guest_accepted(request)) return refuse_undecided(inst, request);
	} else {
		cw_mod_handshake_rejected(inst, request);
	}
	if (fr_pair_find_by_num(request->reply->vps, PW_MESSAGE_AUTHENTICATOR, 0, TAG_ANY)) return RLM_MODULE_NOOP;
	return cw_mod_add_message_authenticator(request) ? RLM_MODULE_UPDATED : RLM_MODULE_FAIL;
}

/* accounting: our members' sessions (accounting.c says which return code means what). */
static rlm_rcode_t CC_HINT(nonnull) mod_accounting(void *instance, REQUEST *request)
{
	return cw_mod_accounting(instance, request);
}

extern module_t rlm_cowork;
module_t rlm_cowork = {
	.magic		= RLM_MODULE_INIT,
	.name		= "cowork",
	.type		= RLM_TYPE_THREAD_SAFE | RLM_TYPE_HUP_SAFE,
	.inst_size	= sizeof(rlm_cowork_t),
	.config		= module_config,
	.instantiate	= mod_instantiate,
	.detach		= mod_detach,
	.methods = {
		[MOD_AUTHORIZE]		= mod_authorize,
		[MOD_POST_AUTH]		= mod_post_auth,
		[MOD_ACCOUNTING]	= mod_accounting,
	},
};
