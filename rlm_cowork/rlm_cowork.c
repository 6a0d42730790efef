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
 * Every decision is made by lib/server (lib/server/member.c, lib/server/guest.c); this
 * file only moves attributes in and out and maps results to return codes.
 */
#include <freeradius/radiusd.h>
#include <freeradius/modules.h>
#include <freeradius/modpriv.h>

#include <arpa/inet.h>
#include <pthread.h>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "clock.h"
#include "devhash.h"
#include "guest.h"
#include "logq.h"
#include "member.h"
#include "ocsp_server.h"
#include "psk.h"
#include "regpool.h"
#include "serial.h"
#include "session.h"
#include "station.h"

/* RFC 2868 / RFC 3580 values. */
#define TUNNEL_TYPE_VLAN	13
#define TUNNEL_MEDIUM_802	6

/* At most one "passphrase expires soon" line per SSID this often. */
#define EXPIRY_WARNING_INTERVAL	600
#define EXPIRY_WARNING_SLOTS	16
/* At most one "clock not synchronised" line this often; the kernel is asked once a second. */
#define CLOCK_WARNING_INTERVAL	600
/* How long a request waits for room in the access log queue before it is refused. */
#define LOG_PUSH_WAIT_MS	1000
/* Bounds of acct_interim_interval (0 turns it off): hostapd refuses less than 60 s. */
#define INTERIM_MIN		60
#define INTERIM_MAX		86400
/* Bound of max_sessions_per_nas: beyond, a NAS is not an access point. */
#define MAX_LIVE_MAX		1000000

/* How the guest passphrases go to the AP, per SSID. */
typedef enum {
	PSK_TUNNEL_PASSWORD = 0,	//!< RFC 2868 Tunnel-Password, one per passphrase (hostapd, most APs)
	PSK_CISCO,			//!< Cisco-AVPair "psk-mode=ascii", "psk=..." (identity PSK)
	PSK_ARUBA,			//!< Aruba-MPSK-Passphrase (MPSK)
} psk_format_t;

typedef struct {
	char	ssid[CW_SSID_MAX + 1];
	time_t	last;
} expiry_warning_t;

typedef struct rlm_cowork_t {
	/* Configuration, as parsed (module_config). */
	char const	*state_dir;		//!< Holds registry.db, ca/, server/.
	uint32_t	busy_timeout;		//!< Milliseconds to wait for coworkctl's write lock.
	uint32_t	max_idle;		//!< Registry connections kept open between requests.
	char const	*psk_cisco;		//!< First psk_cisco item (all are read in instantiate).
	char const	*psk_aruba;		//!< First psk_aruba item (likewise).
	uint32_t	flush_ms;		//!< Longest an access log row waits in memory.
	uint32_t	purge_interval;		//!< Seconds between retention passes of the log writer, even idle.
	uint32_t	clock_max_error;	//!< ms: a larger kernel maxerror means "not synchronised".
	int32_t		clock_offset;		//!< Tests only: seconds added to the clock.
	uint32_t	interim_interval;	//!< Acct-Interim-Interval in members' Accepts (0: none).
	uint32_t	ocsp_port;		//!< OCSP responder on 127.0.0.1:ocsp_port; 0: none.
	char const	*eap_module;		//!< The eap module whose TLS handshakes we check; "": none.
	uint32_t	max_live;		//!< Live sessions kept per NAS (max_sessions_per_nas).

	/* Derived in mod_instantiate, then read-only. */
	char const	*name;			//!< Instance name.
	CONF_SECTION	*cs;			//!< Our configuration, for the psk_* lists.
	char		*registry_path;		//!< state_dir/registry.db
	char		*key_path;		//!< state_dir/device.key
	char		*log_path;		//!< state_dir/log/accesslog.db
	DICT_ATTR const	*da_serial;		//!< TLS-Client-Cert-Serial
	DICT_ATTR const	*da_issuer;		//!< TLS-Client-Cert-Issuer
	DICT_ATTR const	*da_subject;		//!< TLS-Client-Cert-Subject
	DICT_ATTR const	*da_expiration;		//!< TLS-Client-Cert-Expiration
	DICT_ATTR const	*da_ocsp_valid;		//!< TLS-OCSP-Cert-Valid
	DICT_ATTR const	*da_cisco_avpair;	//!< Cisco-AVPair, when psk_cisco is used
	DICT_ATTR const	*da_aruba_mpsk;		//!< Aruba-MPSK-Passphrase, when psk_aruba is used
	SSL_CTX		*handshake_ctx;		//!< eap_module's TLS context; NULL: none (see claim_handshake).

	/* Runtime state. */
	cw_regpool_t	*pool;			//!< Read-only registry connections.
	cw_logq_t	*logq;			//!< The access log writer.
	cw_ocsp_service_t *ocsp;		//!< The responder's registration; NULL without one.
	pthread_mutex_t	warn_lock;		//!< Guards warned[], the clock and the device key.
	expiry_warning_t warned[EXPIRY_WARNING_SLOTS];	//!< Last expiry warning per SSID.
	int64_t		clock_packed;		//!< Kernel NTP state: (maxerror + 1) << 1 | synced...
	int64_t		clock_read;		//!< ...as read at this second (both atomic).
	int64_t		clock_warned;		//!< Last "not synchronised" line (atomic).
	cw_device_hasher_t *hasher;		//!< Keyed HMAC for device hashes; NULL until the key loads.
	uint8_t		class_key[CW_CLASS_KEY_LEN];	//!< Class MAC key; valid once hasher is set (same lock).
	pthread_mutex_t	session_lock;		//!< Guards sessions: accounting is written one request at a time.
	cw_accesslog_t	*sessions;		//!< Our own access log connection for sessions; NULL until opened.
} rlm_cowork_t;

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
static bool ssid_listed(CONF_SECTION *cs, char const *item, char const *ssid)
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

		if (!v || !*v || strlen(v) > CW_SSID_MAX || ssid_listed(conf, "psk_aruba", v)) {
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

/* --- access log ------------------------------------------------------------- */

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

/*
 * The device key, loaded once (a missing key is retried at each decision):
 * the device hasher, and the Class MAC key derived from it (written before
 * the hasher is published, so a non-NULL hasher means both are there).
 */
static bool load_device_key(rlm_cowork_t *inst)
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

/*
 * The kernel's NTP state, read at most once a second (lock-free on the way
 * through: one atomic load); warns now and then when unsynchronised.
 */
static void clock_state(rlm_cowork_t *inst, time_t now, cw_clock_t *out)
{
	int64_t packed, last;
	char text[96];

	if (__atomic_load_n(&inst->clock_read, __ATOMIC_ACQUIRE) != (int64_t)now) {
		cw_clock_t c;

		cw_clock_read((long)inst->clock_max_error * 1000, &c);
		__atomic_store_n(&inst->clock_packed, (c.error_us + 1) * 2 + c.synced, __ATOMIC_RELAXED);
		__atomic_store_n(&inst->clock_read, (int64_t)now, __ATOMIC_RELEASE);
	}
	packed = __atomic_load_n(&inst->clock_packed, __ATOMIC_RELAXED);
	memset(out, 0, sizeof(*out));
	out->synced = packed & 1;
	out->error_us = packed / 2 - 1;
	if (out->synced) return;
	last = __atomic_load_n(&inst->clock_warned, __ATOMIC_RELAXED);
	if (now - last < CLOCK_WARNING_INTERVAL ||
	    !__atomic_compare_exchange_n(&inst->clock_warned, &last, (int64_t)now, false, __ATOMIC_RELAXED,
					 __ATOMIC_RELAXED)) return;
	if (cw_clock_describe(out, text, sizeof(text)) == 0) {
		WARN("rlm_cowork (%s): the system clock is %s: access log rows are marked; check NTP (chrony, ntpd,"
		     " systemd-timesyncd)", inst->name, text);
	}
}

/* What every row has: time, clock, decision, device, NAS. */
static void row_common(rlm_cowork_t *inst, REQUEST *request, cw_decide_result_t result, bool member,
		       cw_access_row_t *row)
{
	struct timespec ts;
	cw_clock_t clock;
	VALUE_PAIR *vp;
	cw_device_hasher_t const *hasher = __atomic_load_n(&inst->hasher, __ATOMIC_ACQUIRE);
	cw_mac_t mac;

	memset(row, 0, sizeof(*row));
	clock_gettime(CLOCK_REALTIME, &ts);
	row->ts_ms = ((int64_t)ts.tv_sec + inst->clock_offset) * 1000 + ts.tv_nsec / 1000000;
	clock_state(inst, ts.tv_sec, &clock);
	row->clock_synced = clock.synced;
	row->clock_error_us = clock.error_us;
	row->accepted = result == CW_DECIDE_ACCEPT;
	strlcpy(row->reason, cw_decide_result_name(result), sizeof(row->reason));
	row->member = member;
	vp = fr_pair_find_by_num(request->packet->vps, PW_CALLING_STATION_ID, 0, TAG_ANY);
	if (vp && hasher && cw_mac_parse(vp->vp_strvalue, vp->vp_length, &mac) == 0 &&
	    cw_device_hasher_hash(hasher, &mac, row->device) == 0) row->has_device = true;
	vp = fr_pair_find_by_num(request->packet->vps, PW_NAS_IDENTIFIER, 0, TAG_ANY);
	if (vp) {
		size_t n = vp->vp_length < CW_NAS_MAX ? vp->vp_length : CW_NAS_MAX;

		memcpy(row->nas, vp->vp_strvalue, n);
		row->nas[n] = '\0';
	} else if ((vp = fr_pair_find_by_num(request->packet->vps, PW_NAS_IP_ADDRESS, 0, TAG_ANY)) != NULL) {
		(void)inet_ntop(AF_INET, &vp->vp_ipaddr, row->nas, sizeof(row->nas));
	}
}

/*
 * Write the decision's row. 0, or -1 with err: the decision could not be
 * logged (no device key, the log unwritable for too long, the queue full).
 */
static int log_row(rlm_cowork_t *inst, cw_access_row_t const *row, cw_err_t *err)
{
	if (!load_device_key(inst)) {
		cw_err_set(err, "no device key %s (run any coworkctl command to create it)", inst->key_path);
		return -1;
	}
	return cw_logq_push(inst->logq, row, LOG_PUSH_WAIT_MS, err);
}

static void member_row(rlm_cowork_t *inst, REQUEST *request, cw_member_decision_t const *d, cw_access_row_t *row)
{
	row_common(inst, request, d->result, true, row);
	strlcpy(row->member_id, d->member, sizeof(row->member_id));
	strlcpy(row->ssid, d->ssid, sizeof(row->ssid));
	strlcpy(row->serial, d->serial, sizeof(row->serial));
	if (d->result == CW_DECIDE_ACCEPT) row->vlan = d->vlan;
}

static void guest_row(rlm_cowork_t *inst, REQUEST *request, cw_guest_decision_t const *d, cw_access_row_t *row)
{
	row_common(inst, request, d->result, false, row);
	strlcpy(row->ssid, d->ssid, sizeof(row->ssid));
	if (d->result == CW_DECIDE_ACCEPT) row->vlan = d->vlan;
}

/*
 * Write a decision's row. An accept that cannot be logged becomes a
 * refusal (*result, reason): access is only granted on the record.
 */
static void record(rlm_cowork_t *inst, REQUEST *request, cw_access_row_t const *row, cw_decide_result_t *result,
		   char *reason, size_t len)
{
	cw_err_t e;

	if (log_row(inst, row, &e) == 0) return;
	if (*result == CW_DECIDE_ACCEPT) {
		*result = CW_DECIDE_INTERNAL;
		snprintf(reason, len, "cannot log the decision: %s", e.msg);
		return;
	}
	RERROR("this refusal could not be logged: %s", e.msg);
}

/* --- the registry ------------------------------------------------------------- */

/* A decision made with a registry connection: it fills its decision (arg) and returns its result. */
typedef cw_decide_result_t (*decide_fn_t)(cw_registry_t *reg, void *arg);

/*
 * Decide with a connection borrowed from the pool: decide(reg, arg) fills
 * its decision and returns its result; the connection goes back, closed
 * after an internal error (it may be broken). Without a connection:
 * *result is CW_DECIDE_INTERNAL, reason the pool's message, and false.
 */
static bool with_registry(rlm_cowork_t const *inst, decide_fn_t decide, void *arg,
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


/* --- revocation inside the TLS handshake -------------------------------------- */

/*
 * The hook is per TLS context: the SSL_CTX of an eap module's tls-config
 * carries (in its ex_data, at handshake_index) a slot naming the one
 * instance whose registry checks its handshakes. The slot is made when a
 * context is first claimed and lives as long as the context; the
 * instance in it changes only:
 *  - at the very end of a successful mod_instantiate (claim_handshake): a
 *    HUP's new instance replaces the old one of the same name; another
 *    instance holding the context is a configuration error;
 *  - in mod_detach, only if it still names that instance (compare and
 *    exchange): a failed re-instantiation leaves the running one in place.
 * An empty slot (its instance detached) refuses every handshake.
 *
 * FreeRADIUS facts this relies on (3.2.x): rlm_eap is not HUP-safe, so a
 * HUP never re-instantiates it and its context stays the one made at
 * start; a HUP re-reads the configuration into a new tree and instantiates
 * HUP-safe modules (us) from it, keeping the old instance for 60 s or more
 * and detaching a new one that fails (modules.c module_hup_module);
 * tls_server_conf_parse caches the parsed tls-config in its section. So
 * the context is found from the eap module's own instance section
 * (module_find: the section it was instantiated from), never from the
 * new tree, whose tls-config would parse into a new, unused context.
 */
typedef struct {
	rlm_cowork_t	*inst;		//!< atomic; NULL: refuse every handshake
} handshake_slot_t;

static int handshake_index = -1;		/* SSL_CTX ex_data index of the slot */
static pthread_once_t handshake_index_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t handshake_lock = PTHREAD_MUTEX_INITIALIZER;	/* claims and slot creation */
static char handshake_refusal_key;		/* request_data key: a refusal for post-auth */

static void handshake_slot_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx, long argl, void *argp)
{
	(void)parent; (void)ad; (void)idx; (void)argl; (void)argp;
	free(ptr);
}

static void handshake_index_new(void)
{
	handshake_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, handshake_slot_free);
}

/* The slot of a context, or NULL when no instance ever claimed it. */
static handshake_slot_t *handshake_slot(SSL_CTX const *ctx)
{
	return ctx && handshake_index >= 0 ? SSL_CTX_get_ex_data(ctx, handshake_index) : NULL;
}

/* The X509 error that makes OpenSSL send the right TLS alert for a refusal. */
static int handshake_x509_error(cw_decide_result_t r)
{
	switch (r) {
	case CW_DECIDE_REVOKED:
	case CW_DECIDE_SUSPENDED:
	case CW_DECIDE_NOT_STARTED:
	case CW_DECIDE_ENDED:
		return X509_V_ERR_CERT_REVOKED;			/* alert certificate_revoked */
	case CW_DECIDE_CERT_EXPIRED:
		return X509_V_ERR_CERT_HAS_EXPIRED;		/* alert certificate_expired */
	case CW_DECIDE_UNKNOWN_CERT:
	case CW_DECIDE_BAD_INPUT:
		return X509_V_ERR_CERT_REJECTED;		/* alert bad_certificate */
	default:
		return X509_V_ERR_APPLICATION_VERIFICATION;	/* alert handshake_failure */
	}
}

/* cw_member_decide_serial as a decide_fn_t. */
typedef struct {
	char const		*serial;	//!< The certificate's serial, in hex.
	int64_t			now;		//!< The handshake's time.
	cw_member_decision_t	*d;		//!< Filled in.
} serial_call_t;

static cw_decide_result_t serial_call(cw_registry_t *reg, void *arg)
{
	serial_call_t *call = arg;

	cw_member_decide_serial(reg, call->serial, call->now, call->d);
	return call->d->result;
}

/* The registry's decision on the certificate being verified. */
static void handshake_decide(rlm_cowork_t *inst, X509 *cert, REQUEST *request, cw_member_decision_t *d)
{
	ASN1_INTEGER const *sn = cert ? X509_get0_serialNumber(cert) : NULL;
	char serial[CW_SERIAL_HEX_MAX + 1];
	serial_call_t call = { .serial = serial, .d = d };

	memset(d, 0, sizeof(*d));
	if (!inst) {
		d->result = CW_DECIDE_INTERNAL;
		strlcpy(d->reason, "no rlm_cowork instance checks this eap module's handshakes any more (detached; if"
			" eap_module changed on a HUP, restart radiusd)", sizeof(d->reason));
		return;
	}
	if (!sn || ASN1_STRING_type(sn) != V_ASN1_INTEGER ||
	    cw_serial_from_bytes(ASN1_STRING_get0_data(sn), (size_t)ASN1_STRING_length(sn), serial) < 0) {
		d->result = CW_DECIDE_BAD_INPUT;
		strlcpy(d->reason, "the client certificate's serial number is negative or too long", sizeof(d->reason));
		return;
	}
	call.now = (request ? (int64_t)request->timestamp : (int64_t)time(NULL)) + inst->clock_offset;
	strlcpy(d->serial, serial, sizeof(d->serial));	/* a refusal without a connection names it too */
	(void)with_registry(inst, serial_call, &call, &d->result, d->reason, sizeof(d->reason));
}

/*
 * OpenSSL's verification of a client certificate chain in eap_module's
 * handshakes (the SSL_CTX's cert_verify_callback, which replaces the call
 * to X509_verify_cert): FreeRADIUS's own verification first (the chain to
 * the member CA; cbtls_verify for each certificate, with its attributes,
 * check_cert_cn and any ocsp), then the registry on the client certificate.
 * A refusal fails the handshake with a TLS alert, which the device reports
 * (an EAP-Failure after a completed TLS 1.2 handshake is discarded by
 * wpa_supplicant), and leaves its decision for post-auth REJECT to log.
 */
static int handshake_verify(X509_STORE_CTX *x509, void *arg)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(x509, SSL_get_ex_data_X509_STORE_CTX_idx());
	REQUEST *request = ssl ? SSL_get_ex_data(ssl, FR_TLS_EX_INDEX_REQUEST) : NULL;
	cw_member_decision_t d, *keep;
	handshake_slot_t *slot;
	int ok;

	(void)arg;
	ok = X509_verify_cert(x509);
	if (ok <= 0) return ok;

	slot = ssl ? handshake_slot(SSL_get_SSL_CTX(ssl)) : NULL;
	handshake_decide(slot ? __atomic_load_n(&slot->inst, __ATOMIC_ACQUIRE) : NULL, X509_STORE_CTX_get0_cert(x509),
			 request, &d);
	if (d.result == CW_DECIDE_ACCEPT) {
		if (request) RDEBUG2("Certificate %s of %s passed the registry check in the TLS handshake", d.serial,
				     d.member);
		return 1;
	}
	X509_STORE_CTX_set_error(x509, handshake_x509_error(d.result));
	if (!request) {
		ERROR("rlm_cowork: refused certificate %s in the TLS handshake: reject (%s): %s", d.serial,
		      cw_decide_result_name(d.result), d.reason);
		return 0;
	}
	RWARN("refused certificate %s in the TLS handshake: reject (%s): %s", d.serial,
	      cw_decide_result_name(d.result), d.reason);
	/* First, so that radiusd's "Login incorrect" line gives it rather than the TLS alert. */
	module_failure_msg(request, "reject (%s): %s", cw_decide_result_name(d.result), d.reason);

	/*
	 *	For post-auth REJECT: the decision, and (as FreeRADIUS does when
	 *	its own checks fail) the certificate's attributes in the request.
	 */
	keep = talloc_memdup(request, &d, sizeof(d));
	if (!keep || request_data_add(request, &handshake_refusal_key, 0, keep, true) < 0) talloc_free(keep);
	{
		VALUE_PAIR **certs = ssl ? SSL_get_ex_data(ssl, fr_tls_ex_index_certs) : NULL;

		if (certs && *certs) fr_pair_add(&request->packet->vps, fr_pair_list_copy(request->packet, *certs));
	}
	return 0;
}

/*
 * The TLS context of eap_module's handshakes: `eap <eap_module> { tls {
 * tls = NAME } tls-config NAME {...} }` in the section that eap module was
 * instantiated from (see above), parsed (or taken from the cache) by
 * tls_server_conf_parse: whichever module starts first, both use the same
 * context. NULL with the error logged.
 */
static SSL_CTX *handshake_context(rlm_cowork_t const *inst, CONF_SECTION *conf)
{
	CONF_SECTION *modules = cf_section_sub_find(cf_top_section(conf), "modules"), *tls, *tls_cs;
	module_instance_t *eap = modules ? module_find(modules, inst->eap_module) : NULL;
	fr_tls_server_conf_t *tc;
	CONF_PAIR *cp;

	if (!eap || !eap->cs || strcmp(cf_section_name1(eap->cs), "eap") != 0) {
		cf_log_err_cs(conf, "eap_module \"%s\": there is no `eap %s { ... }` in modules (mods-enabled)",
			      inst->eap_module, inst->eap_module);
		return NULL;
	}
	tls = cf_section_sub_find(eap->cs, "tls");
	cp = tls ? cf_pair_find(tls, "tls") : NULL;
	tls_cs = cp && cf_pair_value(cp) ? cf_section_sub_find_name2(eap->cs, "tls-config", cf_pair_value(cp)) : NULL;
	if (!tls_cs) {
		cf_log_err_cs(conf, "eap_module \"%s\": it needs `tls { tls = NAME }` and a `tls-config NAME { ... }`"
			      " section, whose handshakes rlm_cowork checks", inst->eap_module);
		return NULL;
	}
	tc = tls_server_conf_parse(tls_cs);
	if (!tc || !tc->ctx) {
		cf_log_err_cs(conf, "eap_module \"%s\": its tls-config \"%s\" does not load", inst->eap_module,
			      cf_pair_value(cp));
		return NULL;
	}
	return tc->ctx;
}

/*
 * Whether inst may take the context: free, ours already, or held by the
 * instance of the same name that inst replaces (a HUP). Another instance
 * is a configuration error naming both. Called with handshake_lock held.
 */
static int handshake_claimable(rlm_cowork_t const *inst, SSL_CTX *ctx, CONF_SECTION *conf)
{
	handshake_slot_t *slot = handshake_slot(ctx);
	rlm_cowork_t const *holder = slot ? __atomic_load_n(&slot->inst, __ATOMIC_ACQUIRE) : NULL;

	if (!holder || holder == inst || strcmp(holder->name, inst->name) == 0) return 0;
	cf_log_err_cs(conf, "cowork instances \"%s\" and \"%s\" both name eap_module \"%s\": one TLS context can be"
		      " checked against one registry only (give each instance its own eap module, or set"
		      " eap_module = \"\" in one)", holder->name, inst->name, inst->eap_module);
	return -1;
}

/*
 * Find eap_module's context and check that inst may claim it (before
 * anything else is started). 0 with inst->handshake_ctx set (NULL when
 * eap_module is ""), or -1 with the error logged.
 */
static int find_handshake(rlm_cowork_t *inst, CONF_SECTION *conf)
{
	int rc;

	inst->handshake_ctx = NULL;
	if (!inst->eap_module || !inst->eap_module[0]) {
		WARN("rlm_cowork (%s): eap_module is empty: certificates are checked in the registry only after the"
		     " TLS handshake (a refused device is not told; set eap_module = cowork_eap)", inst->name);
		return 0;
	}
	if (pthread_once(&handshake_index_once, handshake_index_new) != 0 || handshake_index < 0) {
		cf_log_err_cs(conf, "cannot make an OpenSSL ex_data index for the TLS hook");
		return -1;
	}
	inst->handshake_ctx = handshake_context(inst, conf);
	if (!inst->handshake_ctx) return -1;
	pthread_mutex_lock(&handshake_lock);
	rc = handshake_claimable(inst, inst->handshake_ctx, conf);
	pthread_mutex_unlock(&handshake_lock);
	return rc;
}

/*
 * The last step of a successful mod_instantiate: inst checks the
 * handshakes of its context from now on. The slot is made and attached
 * before the verify callback is installed, so the callback always finds
 * one. 0, or -1 with the error logged (nothing changed).
 */
static int claim_handshake(rlm_cowork_t *inst, CONF_SECTION *conf)
{
	SSL_CTX *ctx = inst->handshake_ctx;
	handshake_slot_t *slot;
	int rc = -1;

	if (!ctx) return 0;
	pthread_mutex_lock(&handshake_lock);
	if (handshake_claimable(inst, ctx, conf) < 0) goto done;
	slot = handshake_slot(ctx);
	if (!slot) {
		slot = calloc(1, sizeof(*slot));
		if (!slot || !SSL_CTX_set_ex_data(ctx, handshake_index, slot)) {
			free(slot);
			cf_log_err_cs(conf, "cannot attach rlm_cowork's TLS hook to eap module \"%s\"", inst->eap_module);
			goto done;
		}
		SSL_CTX_set_cert_verify_callback(ctx, handshake_verify, NULL);
	}
	__atomic_store_n(&slot->inst, inst, __ATOMIC_RELEASE);
	rc = 0;
	INFO("rlm_cowork (%s): client certificates of %s are checked in the registry inside the TLS handshake",
	     inst->name, inst->eap_module);
done:
	pthread_mutex_unlock(&handshake_lock);
	return rc;
}

/* Detach: the context's handshakes are no longer checked with inst (refused, unless another instance took it). */
static void release_handshake(rlm_cowork_t *inst)
{
	handshake_slot_t *slot = handshake_slot(inst->handshake_ctx);
	rlm_cowork_t *expected = inst;

	if (!slot) return;
	pthread_mutex_lock(&handshake_lock);
	(void)__atomic_compare_exchange_n(&slot->inst, &expected, NULL, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&handshake_lock);
}

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
	if (find_handshake(inst, conf) < 0) return -1;
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

	if (start_log(inst, conf) < 0) return -1;
	if (!load_device_key(inst)) {
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
	return claim_handshake(inst, conf);
}

static int mod_detach(void *instance)
{
	rlm_cowork_t *inst = instance;

	/* No handshake checked with this instance's registry from now on (refused, unless its successor took over). */
	release_handshake(inst);
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
	if (!inst->pool) return 0;
	cw_regpool_free(inst->pool);
	inst->pool = NULL;
	pthread_mutex_destroy(&inst->warn_lock);
	pthread_mutex_destroy(&inst->session_lock);
	return 0;
}

static int64_t clock_now(rlm_cowork_t const *inst, REQUEST *request)
{
	return (int64_t)request->timestamp + inst->clock_offset;
}

/* Point at an attribute's text, or leave NULL when the request lacks it. */
static void attr_text(REQUEST *request, DICT_ATTR const *da, unsigned attr, char const **s, size_t *len)
{
	VALUE_PAIR *vp = da ? fr_pair_find_by_da(request->packet->vps, da, TAG_ANY)
			    : fr_pair_find_by_num(request->packet->vps, attr, 0, TAG_ANY);

	*s = NULL;
	*len = 0;
	if (vp) {
		*s = vp->vp_strvalue;
		*len = vp->vp_length;
	}
}

/*
 * The return code of a refusal. In post-auth, NOTFOUND would count as
 * success (rad_postauth treats it like OK), so an unknown certificate is a
 * REJECT there.
 */
static rlm_rcode_t refusal_rcode(cw_decide_result_t r, bool post_auth)
{
	switch (r) {
	case CW_DECIDE_ACCEPT:
		return RLM_MODULE_OK;
	case CW_DECIDE_NOT_OURS:
		return RLM_MODULE_NOOP;
	case CW_DECIDE_UNKNOWN_CERT:
		return post_auth ? RLM_MODULE_REJECT : RLM_MODULE_NOTFOUND;
	case CW_DECIDE_REVOKED:
	case CW_DECIDE_SUSPENDED:
	case CW_DECIDE_NOT_STARTED:
	case CW_DECIDE_ENDED:
	case CW_DECIDE_CERT_EXPIRED:
		return RLM_MODULE_USERLOCK;
	case CW_DECIDE_BAD_INPUT:
		return RLM_MODULE_INVALID;
	case CW_DECIDE_UNSET:		/* no decision: no access */
	case CW_DECIDE_WRONG_ISSUER:
	case CW_DECIDE_BAD_SSID:
	case CW_DECIDE_BAD_VLAN:
	case CW_DECIDE_NO_PSK:
		return RLM_MODULE_REJECT;
	case CW_DECIDE_INTERNAL:
		break;
	}
	return RLM_MODULE_FAIL;
}

/* One log line per refusal; the reason also goes into radiusd's "Login incorrect (...)" line. */
static void log_refusal(REQUEST *request, cw_decide_result_t result, char const *reason)
{
	char const *code = cw_decide_result_name(result);

	if (result == CW_DECIDE_INTERNAL || result == CW_DECIDE_BAD_VLAN || result == CW_DECIDE_NO_PSK) {
		RERROR("reject (%s): %s", code, reason);
	} else if (result == CW_DECIDE_UNSET) {	/* a configuration error: the operator must see it */
		RERROR("reject (%s): %s", code, reason);
		module_failure_msg(request, "reject (%s): %s", code, reason);
	} else {
		RWARN("reject (%s): %s", code, reason);
		module_failure_msg(request, "reject (%s): %s", code, reason);
	}
}

/* Add an attribute to the reply; false when out of memory. */
static bool reply_add(REQUEST *request, unsigned attr, DICT_ATTR const *da, uint8_t const *data, size_t len,
		      char const *str)
{
	VALUE_PAIR *vp = da ? fr_pair_afrom_da(request->reply, da) : fr_pair_afrom_num(request->reply, attr, 0);

	if (!vp) return false;
	if (str) fr_pair_value_strcpy(vp, str);
	else fr_pair_value_memcpy(vp, data, len);
	vp->tag = TAG_NONE;
	fr_pair_add(&request->reply->vps, vp);
	return true;
}

/*
 * A Message-Authenticator for radiusd to compute: Debian's 3.2.1 adds none
 * to non-EAP replies by itself, and a reply without one can be forged
 * (BlastRADIUS, CVE-2024-3596).
 */
static bool add_message_authenticator(REQUEST *request)
{
	static uint8_t const zero[16];

	if (fr_pair_find_by_num(request->reply->vps, PW_MESSAGE_AUTHENTICATOR, 0, TAG_ANY)) return true;
	return reply_add(request, PW_MESSAGE_AUTHENTICATOR, NULL, zero, sizeof(zero), NULL);
}

/* Add an integer attribute to the reply; false when out of memory. */
static bool reply_add_int(REQUEST *request, unsigned attr, uint32_t value)
{
	VALUE_PAIR *vp = fr_pair_afrom_num(request->reply, attr, 0);

	if (!vp) return false;
	vp->vp_integer = value;
	vp->tag = TAG_NONE;
	fr_pair_add(&request->reply->vps, vp);
	return true;
}

/* Replace any tunnel attributes in the reply by the VLAN (RFC 3580). */
static int add_vlan(REQUEST *request, uint16_t vlan)
{
	char buf[8];

	fr_pair_delete_by_num(&request->reply->vps, PW_TUNNEL_TYPE, 0, TAG_ANY);
	fr_pair_delete_by_num(&request->reply->vps, PW_TUNNEL_MEDIUM_TYPE, 0, TAG_ANY);
	fr_pair_delete_by_num(&request->reply->vps, PW_TUNNEL_PRIVATE_GROUP_ID, 0, TAG_ANY);
	snprintf(buf, sizeof(buf), "%u", (unsigned)vlan);
	if (!reply_add_int(request, PW_TUNNEL_TYPE, TUNNEL_TYPE_VLAN) ||
	    !reply_add_int(request, PW_TUNNEL_MEDIUM_TYPE, TUNNEL_MEDIUM_802) ||
	    !reply_add(request, PW_TUNNEL_PRIVATE_GROUP_ID, NULL, NULL, 0, buf)) return -1;
	return 0;
}

/* --- member path ------------------------------------------------------------ */

static void member_input(rlm_cowork_t const *inst, REQUEST *request, cw_member_input_t *in)
{
	attr_text(request, inst->da_serial, 0, &in->serial, &in->serial_len);
	attr_text(request, inst->da_issuer, 0, &in->issuer, &in->issuer_len);
	attr_text(request, inst->da_subject, 0, &in->subject, &in->subject_len);
	attr_text(request, inst->da_expiration, 0, &in->expiration, &in->expiration_len);
	attr_text(request, NULL, PW_CALLED_STATION_ID, &in->called_station, &in->called_station_len);
}

/* cw_member_decide as a decide_fn_t. */
typedef struct {
	cw_member_input_t const	*in;	//!< The request's certificate attributes.
	int64_t			now;	//!< The request's time.
	cw_member_decision_t	*d;	//!< Filled in.
} member_call_t;

static cw_decide_result_t member_call(cw_registry_t *reg, void *arg)
{
	member_call_t *call = arg;

	cw_member_decide(reg, call->in, call->now, call->d);
	return call->d->result;
}

/* Decide with a pooled registry connection. */
static void member_decide(rlm_cowork_t const *inst, REQUEST *request, cw_member_decision_t *d)
{
	cw_member_input_t in;
	member_call_t call = { .in = &in, .now = clock_now(inst, request), .d = d };

	member_input(inst, request, &in);
	memset(d, 0, sizeof(*d));
	(void)with_registry(inst, member_call, &call, &d->result, d->reason, sizeof(d->reason));
}

/*
 * After an accept: make the request's User-Name the member id, so that
 * radiusd's "Login OK: [...]" line (rad_authlog prints the request's
 * User-Name after post-auth, in check-eap-tls "via TLS tunnel" as in the
 * outer server) and every module after us agree with the access log row.
 * With warn, first warn when the presented identity names someone else
 * (another member, a role); an anonymous one is normal for EAP-TLS.
 */
static void request_member_name(REQUEST *request, cw_member_decision_t const *d, bool warn)
{
	VALUE_PAIR *vp = fr_pair_find_by_num(request->packet->vps, PW_USER_NAME, 0, TAG_ANY);
	char presented[CW_LOG_ESCAPED_MAX];

	if (warn && vp && cw_member_identity(vp->vp_strvalue, vp->vp_length, d->member) == CW_IDENTITY_OTHER) {
		cw_log_escape(vp->vp_strvalue, vp->vp_length, presented, sizeof(presented));
		RWARN("identity \"%s\" presented by member %s's certificate %s: the Accept names %s", presented,
		      d->member, d->serial, d->member);
	}
	if (!vp) {
		vp = fr_pair_afrom_num(request->packet, PW_USER_NAME, 0);
		if (!vp) return;
		fr_pair_add(&request->packet->vps, vp);
	}
	fr_pair_value_strcpy(vp, d->member);
	request->username = vp;
}

/*
 * In the certificate-check virtual server. A refusal is logged here; an
 * accept is logged by post-auth, which decides again and sends the VLAN.
 */
static rlm_rcode_t member_authorize(rlm_cowork_t *inst, REQUEST *request)
{
	cw_member_decision_t d;
	cw_access_row_t row;

	member_decide(inst, request, &d);
	if (d.result == CW_DECIDE_ACCEPT) {
		request_member_name(request, &d, false);	/* post-auth warns about the identity */
		RDEBUG2("Certificate accepted: %s", d.reason);
		return RLM_MODULE_OK;
	}
	member_row(inst, request, &d, &row);
	record(inst, request, &row, &d.result, d.reason, sizeof(d.reason));
	log_refusal(request, d.result, d.reason);
	return refusal_rcode(d.result, false);
}

/* --- guest path --------------------------------------------------------------- */

/*
 * request_data key: this request's Accept is our guest path's (its value is
 * the instance that decided). post-auth refuses any Accept that carries
 * neither this mark nor a client certificate.
 */
static char guest_accept_key;

static psk_format_t psk_format(rlm_cowork_t const *inst, char const *ssid)
{
	if (inst->psk_cisco && ssid_listed(inst->cs, "psk_cisco", ssid)) return PSK_CISCO;
	if (inst->psk_aruba && ssid_listed(inst->cs, "psk_aruba", ssid)) return PSK_ARUBA;
	return PSK_TUNNEL_PASSWORD;
}

/*
 * The passphrases for the AP. Tunnel-Password carries each one in force,
 * newest first (hostapd tries them all). The vendors' identity-PSK
 * attributes hold one passphrase: the newest.
 */
static bool add_passphrases(rlm_cowork_t const *inst, REQUEST *request, cw_guest_decision_t const *d)
{
	char avpair[sizeof("psk=") + CW_PSK_MAX];
	bool ok = true;

	switch (psk_format(inst, d->ssid)) {
	case PSK_CISCO:
		ok = reply_add(request, 0, inst->da_cisco_avpair, NULL, 0, "psk-mode=ascii");
		snprintf(avpair, sizeof(avpair), "psk=%s", d->psk[0].passphrase);
		ok = ok && reply_add(request, 0, inst->da_cisco_avpair, NULL, 0, avpair);
		cw_wipe(avpair, sizeof(avpair));
		return ok;
	case PSK_ARUBA:
		return reply_add(request, 0, inst->da_aruba_mpsk, (uint8_t const *)d->psk[0].passphrase,
				 strlen(d->psk[0].passphrase), NULL);
	case PSK_TUNNEL_PASSWORD:
		break;
	}
	for (size_t i = 0; i < d->n_psk && ok; i++) {
		ok = reply_add(request, PW_TUNNEL_PASSWORD, NULL, NULL, 0, d->psk[i].passphrase);
	}
	return ok;
}

static bool add_guest_reply(rlm_cowork_t const *inst, REQUEST *request, cw_guest_decision_t const *d)
{
	if (!add_passphrases(inst, request, d) || add_vlan(request, d->vlan) < 0) return false;
	fr_pair_delete_by_num(&request->reply->vps, PW_SESSION_TIMEOUT, 0, TAG_ANY);
	return reply_add_int(request, PW_SESSION_TIMEOUT, d->session_timeout) && add_message_authenticator(request);
}

/* Warn, at most once per EXPIRY_WARNING_INTERVAL for each SSID, that rotation is due. */
static void warn_expiring(rlm_cowork_t *inst, REQUEST *request, cw_guest_decision_t const *d, int64_t now)
{
	expiry_warning_t *slot = NULL, *oldest = &inst->warned[0];
	bool due;

	pthread_mutex_lock(&inst->warn_lock);
	for (size_t i = 0; i < EXPIRY_WARNING_SLOTS && !slot; i++) {
		if (strcmp(inst->warned[i].ssid, d->ssid) == 0) slot = &inst->warned[i];
		else if (inst->warned[i].last < oldest->last) oldest = &inst->warned[i];
	}
	if (!slot) {
		slot = oldest;
		strlcpy(slot->ssid, d->ssid, sizeof(slot->ssid));
		slot->last = 0;
	}
	due = now - slot->last >= EXPIRY_WARNING_INTERVAL;
	if (due) slot->last = now;
	pthread_mutex_unlock(&inst->warn_lock);
	if (!due) return;
	RWARN("the passphrase of guest SSID \"%s\" stops being served in %lld min: run `coworkctl psk rotate --ssid '%s'`",
	      d->ssid, (long long)((d->expires_at - now + 59) / 60), d->ssid);
}

/* cw_guest_decide as a decide_fn_t. */
typedef struct {
	cw_guest_input_t const	*in;	//!< What the AP sent.
	int64_t			now;	//!< The request's time.
	cw_guest_decision_t	*d;	//!< Filled in.
} guest_call_t;

static cw_decide_result_t guest_call(cw_registry_t *reg, void *arg)
{
	guest_call_t *call = arg;

	cw_guest_decide(reg, call->in, call->now, call->d);
	return call->d->result;
}

/* authorize without a client certificate: only MAC authentication is ours. */
static rlm_rcode_t guest_authorize(rlm_cowork_t *inst, REQUEST *request)
{
	cw_guest_decision_t d;
	cw_access_row_t row;
	cw_guest_input_t in;
	int64_t now = clock_now(inst, request);
	guest_call_t call = { .in = &in, .now = now, .d = &d };

	memset(&in, 0, sizeof(in));
	in.eap = fr_pair_find_by_num(request->packet->vps, PW_EAP_MESSAGE, 0, TAG_ANY) != NULL;
	attr_text(request, NULL, PW_USER_NAME, &in.user_name, &in.user_name_len);
	attr_text(request, NULL, PW_USER_PASSWORD, &in.user_password, &in.user_password_len);
	attr_text(request, NULL, PW_CALLING_STATION_ID, &in.calling_station, &in.calling_station_len);
	attr_text(request, NULL, PW_CALLED_STATION_ID, &in.called_station, &in.called_station_len);
	if (in.eap || !in.user_name) return RLM_MODULE_NOOP;	/* no registry access for what is not ours */

	memset(&d, 0, sizeof(d));
	(void)with_registry(inst, guest_call, &call, &d.result, d.reason, sizeof(d.reason));
	if (d.result == CW_DECIDE_NOT_OURS) {
		RDEBUG2("%s", d.reason);
		return RLM_MODULE_NOOP;
	}
	if (d.result == CW_DECIDE_ACCEPT && !add_guest_reply(inst, request, &d)) {
		d.result = CW_DECIDE_INTERNAL;
		strlcpy(d.reason, "out of memory building the reply", sizeof(d.reason));
	}
	guest_row(inst, request, &d, &row);
	record(inst, request, &row, &d.result, d.reason, sizeof(d.reason));
	if (d.result != CW_DECIDE_ACCEPT) {
		cw_guest_decision_wipe(&d);
		fr_pair_list_free(&request->reply->vps);
		log_refusal(request, d.result, d.reason);
		(void)add_message_authenticator(request);
		return refusal_rcode(d.result, false);
	}
	if (d.expiring) warn_expiring(inst, request, &d, now);
	cw_guest_decision_wipe(&d);
	if (request_data_add(request, &guest_accept_key, 0, inst, false) < 0 ||
	    !pair_make_config("Auth-Type", "Accept", T_OP_SET)) return RLM_MODULE_FAIL;
	if (RDEBUG_ENABLED2) {
		char what[CW_REASON_MAX];

		cw_guest_describe(&d, what, sizeof(what));
		RDEBUG2("accept: %s", what);
	}
	return RLM_MODULE_UPDATED;
}

/*
 * authorize: with a client certificate (the certificate-check virtual
 * server), the member path; otherwise the guest path, which answers MAC
 * authentication only.
 */
static rlm_rcode_t CC_HINT(nonnull) mod_authorize(void *instance, REQUEST *request)
{
	rlm_cowork_t *inst = instance;

	if (fr_pair_find_by_da(request->packet->vps, inst->da_serial, TAG_ANY)) return member_authorize(inst, request);
	return guest_authorize(inst, request);
}

/*
 * Turn an Accept's reply into a refusal: drop all it carried (the
 * EAP-Success, the keys, any VLAN) and, for EAP, answer with an
 * EAP-Failure of the same identifier (RFC 3748 4.2) and a
 * Message-Authenticator (radiusd computes it). The eap module cannot add
 * the EAP-Failure itself here: its session is already finished.
 */
static void reply_refusal(REQUEST *request)
{
	VALUE_PAIR *vp = fr_pair_find_by_num(request->reply->vps, PW_EAP_MESSAGE, 0, TAG_ANY);
	uint8_t failure[4] = { 4, 0, 0, 4 };	/* code Failure, identifier, length 4 */
	bool eap = vp && vp->vp_length >= 2;

	if (eap) failure[1] = vp->vp_octets[1];
	fr_pair_list_free(&request->reply->vps);
	if (eap) (void)reply_add(request, PW_EAP_MESSAGE, NULL, failure, sizeof(failure), NULL);
	(void)add_message_authenticator(request);
}

/*
 * What lets accounting name the session's certificate: Class =
 * "cowork:<serial>:<issued>:<tag>" (RFC 2865 5.25: the NAS sends it back
 * unchanged in the session's accounting; the tag proves we issued it), and
 * Acct-Interim-Interval so that a live session is heard of regularly.
 * false without the device key, or when out of memory.
 */
static bool add_session_attrs(rlm_cowork_t *inst, REQUEST *request, cw_member_decision_t const *d)
{
	char cls[CW_CLASS_MAX + 1];

	if (!load_device_key(inst) || cw_session_class(inst->class_key, d->serial, clock_now(inst, request), cls) < 0 ||
	    !reply_add(request, PW_CLASS, NULL, (uint8_t const *)cls, strlen(cls), NULL)) return false;
	if (!inst->interim_interval) return true;
	fr_pair_delete_by_num(&request->reply->vps, PW_ACCT_INTERIM_INTERVAL, 0, TAG_ANY);
	return reply_add_int(request, PW_ACCT_INTERIM_INTERVAL, inst->interim_interval);
}

/*
 * Was the certificate refused by OCSP inside the TLS handshake? Then
 * FreeRADIUS copied its attributes into this Access-Reject's request with
 * TLS-OCSP-Cert-Valid 0 (refused) or 2 (no answer, softfail off), and
 * check-eap-tls never ran: nothing has logged the decision yet.
 */
static bool refused_in_handshake(rlm_cowork_t const *inst, REQUEST *request)
{
	VALUE_PAIR *vp;

	if (request->reply->code != PW_CODE_ACCESS_REJECT ||
	    !fr_pair_find_by_da(request->packet->vps, inst->da_serial, TAG_ANY)) return false;
	vp = fr_pair_find_by_da(request->packet->vps, inst->da_ocsp_valid, TAG_ANY);
	return vp && vp->vp_integer != 1;
}

/*
 * The access log row and log line of a handshake refused by OCSP, with the
 * registry's reason. When the registry would accept, the OCSP check itself
 * failed (no stored answer, responder unreachable): an internal error.
 */
static void log_handshake_refusal(rlm_cowork_t *inst, REQUEST *request)
{
	cw_member_decision_t d;
	cw_access_row_t row;

	member_decide(inst, request, &d);
	if (d.result == CW_DECIDE_ACCEPT) {
		d.result = CW_DECIDE_INTERNAL;
		snprintf(d.reason, sizeof(d.reason), "certificate %s of %s failed the OCSP check in the TLS handshake"
			 " although the registry accepts it: see the OCSP responder's line (no pre-signed answer: run"
			 " `coworkctl cert ocsp-sign`; or the responder is unreachable)", d.serial, d.member);
	}
	member_row(inst, request, &d, &row);
	record(inst, request, &row, &d.result, d.reason, sizeof(d.reason));
	log_refusal(request, d.result, d.reason);
}

/*
 * The access log row of a handshake that the registry check inside it
 * refused (handshake_verify logged the line and the reason).
 */
static void log_handshake_decision(rlm_cowork_t *inst, REQUEST *request, cw_member_decision_t *d)
{
	cw_access_row_t row;
	cw_station_t st;
	VALUE_PAIR *vp = fr_pair_find_by_num(request->packet->vps, PW_CALLED_STATION_ID, 0, TAG_ANY);
	cw_err_t e;

	/* The SSID for the row, when the AP sent a well-formed one (the handshake's check needs none). */
	if (vp && cw_station_parse(vp->vp_strvalue, vp->vp_length, &st, &e) == 0 && st.has_ssid)
		strlcpy(d->ssid, st.ssid, sizeof(d->ssid));
	member_row(inst, request, d, &row);
	record(inst, request, &row, &d->result, d->reason, sizeof(d->reason));
}

/*
 * The Accept names the member, whatever identity the device presented: in
 * EAP-TLS only the certificate is authenticated, and the outer identity is
 * often anonymous ("anonymous@realm", or empty) by design (RFC 7542 2.4).
 * So the reply's User-Name is the member id (replacing the one the eap
 * module copied from the request); false when out of memory.
 */
static bool reply_member_name(REQUEST *request, char const *member)
{
	fr_pair_delete_by_num(&request->reply->vps, PW_USER_NAME, 0, TAG_ANY);
	return reply_add(request, PW_USER_NAME, NULL, NULL, 0, member);
}

/*
 * post-auth on an Access-Accept with a client certificate: decide again,
 * send the member's VLAN, Class and name; on refusal, the Accept's reply
 * becomes a Reject's (see reply_refusal).
 */
static rlm_rcode_t member_post_auth(rlm_cowork_t *inst, REQUEST *request)
{
	cw_member_decision_t d;
	cw_access_row_t row;

	member_decide(inst, request, &d);
	if (d.result == CW_DECIDE_ACCEPT && (add_vlan(request, d.vlan) < 0 || !add_session_attrs(inst, request, &d) ||
					     !reply_member_name(request, d.member))) {
		d.result = CW_DECIDE_INTERNAL;
		strlcpy(d.reason, "cannot add the VLAN, Class and User-Name (no device key, or out of memory)",
			sizeof(d.reason));
	}
	member_row(inst, request, &d, &row);
	record(inst, request, &row, &d.result, d.reason, sizeof(d.reason));
	if (d.result != CW_DECIDE_ACCEPT) {
		log_refusal(request, d.result, d.reason);
		reply_refusal(request);
		return refusal_rcode(d.result, true);
	}
	request_member_name(request, &d, true);
	RINFO("accept: %s", d.reason);
	return RLM_MODULE_UPDATED;
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
	row_common(inst, request, result, eap, &row);
	if (vp && cw_station_parse(vp->vp_strvalue, vp->vp_length, &st, &e) == 0 && st.has_ssid)
		strlcpy(row.ssid, st.ssid, sizeof(row.ssid));
	record(inst, request, &row, &result, reason, sizeof(reason));
	log_refusal(request, result, reason);
	reply_refusal(request);
	return RLM_MODULE_REJECT;
}

/*
 * post-auth (and Post-Auth-Type REJECT). An Access-Accept is either a
 * member's (a client certificate: member_post_auth), or our guest path's
 * (marked in authorize), or refused (refuse_undecided). A Reject of a
 * handshake that the registry or OCSP refused gets its access log row.
 * Every reply that goes out gets a Message-Authenticator if it has none.
 */
static rlm_rcode_t CC_HINT(nonnull) mod_post_auth(void *instance, REQUEST *request)
{
	rlm_cowork_t *inst = instance;

	if (request->reply->code == PW_CODE_ACCESS_ACCEPT) {
		if (fr_pair_find_by_da(request->packet->vps, inst->da_serial, TAG_ANY))
			return member_post_auth(inst, request);
		if (!request_data_reference(request, &guest_accept_key, 0)) return refuse_undecided(inst, request);
	} else {
		cw_member_decision_t *refused = request_data_get(request, &handshake_refusal_key, 0);

		if (refused) {
			log_handshake_decision(inst, request, refused);
			talloc_free(refused);
		} else if (refused_in_handshake(inst, request)) {
			log_handshake_refusal(inst, request);
		}
	}
	if (fr_pair_find_by_num(request->reply->vps, PW_MESSAGE_AUTHENTICATOR, 0, TAG_ANY)) return RLM_MODULE_NOOP;
	return add_message_authenticator(request) ? RLM_MODULE_UPDATED : RLM_MODULE_FAIL;
}

/* --- accounting: live sessions ----------------------------------------------------- */

/* The time of a request in UTC milliseconds (the module's clock, see test_clock_offset). */
static int64_t wall_ms(rlm_cowork_t const *inst)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec + inst->clock_offset) * 1000 + ts.tv_nsec / 1000000;
}

/* The packet's source address in text; an IPv4-mapped IPv6 address as plain IPv4, as NAS definitions hold it. */
static void source_text(REQUEST *request, char buf[INET6_ADDRSTRLEN])
{
	fr_ipaddr_t const *ip = &request->packet->src_ipaddr;

	buf[0] = '\0';
	if (ip->af == AF_INET) {
		(void)inet_ntop(AF_INET, &ip->ipaddr.ip4addr, buf, INET6_ADDRSTRLEN);
	} else if (ip->af == AF_INET6 && IN6_IS_ADDR_V4MAPPED(&ip->ipaddr.ip6addr)) {
		(void)inet_ntop(AF_INET, &ip->ipaddr.ip6addr.s6_addr[12], buf, INET6_ADDRSTRLEN);
	} else if (ip->af == AF_INET6) {
		(void)inet_ntop(AF_INET6, &ip->ipaddr.ip6addr, buf, INET6_ADDRSTRLEN);
	}
}

/* The first Class of ours in the request, if any. */
static void our_class(REQUEST *request, cw_acct_input_t *in)
{
	vp_cursor_t cursor;
	VALUE_PAIR *vp;

	fr_cursor_init(&cursor, &request->packet->vps);
	while ((vp = fr_cursor_next_by_num(&cursor, PW_CLASS, 0, TAG_ANY)) != NULL) {
		if (!cw_session_class_ours(vp->vp_octets, vp->vp_length)) continue;
		in->class_value = (char const *)vp->vp_octets;
		in->class_len = vp->vp_length;
		return;
	}
}

/* What the Accounting-Request says, as received; src and nas_ip hold the addresses' text. */
static void acct_input(rlm_cowork_t *inst, REQUEST *request, cw_acct_input_t *in, char src[INET6_ADDRSTRLEN],
		       char nas_ip[INET_ADDRSTRLEN])
{
	VALUE_PAIR *vp;

	memset(in, 0, sizeof(*in));
	vp = fr_pair_find_by_num(request->packet->vps, PW_ACCT_STATUS_TYPE, 0, TAG_ANY);
	if (vp) {
		in->has_status = true;
		in->status = vp->vp_integer;
	}
	our_class(request, in);
	attr_text(request, NULL, PW_ACCT_SESSION_ID, &in->session_id, &in->session_id_len);
	attr_text(request, NULL, PW_USER_NAME, &in->user_name, &in->user_name_len);
	attr_text(request, NULL, PW_CALLING_STATION_ID, &in->calling_station, &in->calling_station_len);
	attr_text(request, NULL, PW_NAS_IDENTIFIER, &in->nas_identifier, &in->nas_identifier_len);
	vp = fr_pair_find_by_num(request->packet->vps, PW_NAS_IP_ADDRESS, 0, TAG_ANY);
	if (vp && inet_ntop(AF_INET, &vp->vp_ipaddr, nas_ip, INET_ADDRSTRLEN)) in->nas_ip = nas_ip;
	source_text(request, src);
	in->source = src;
	in->now_ms = wall_ms(inst);
	if (load_device_key(inst)) in->class_key = inst->class_key;
}

/*
 * The member of the session's certificate, and the device hash. RLM_MODULE_OK
 * to go on; INVALID for a certificate the registry does not know; FAIL when
 * the registry or the device key is not usable.
 */
static rlm_rcode_t session_owner(rlm_cowork_t *inst, REQUEST *request, cw_acct_event_t const *ev,
				 char member[CW_ID_MAX + 1], uint8_t device[CW_DEVICE_HASH_LEN], bool *has_device)
{
	cw_regconn_t *conn;
	cw_err_t e;
	int found;

	*has_device = false;
	if (ev->kind != CW_ACCT_SESSION || ev->status == CW_ACCT_STOP) return RLM_MODULE_OK;
	conn = cw_regpool_get(inst->pool, &e);
	found = conn ? cw_session_member(conn->reg, ev->serial, member, &e) : -1;
	cw_regpool_put(inst->pool, conn, found < 0);
	if (found < 0) {
		RERROR("accounting not recorded: %s", e.msg);
		return RLM_MODULE_FAIL;
	}
	if (found == 0) {
		RWARN("accounting refused: certificate %s named in Class is not in the registry (nothing stored)",
		      ev->serial);
		return RLM_MODULE_INVALID;
	}
	if (!ev->has_mac) return RLM_MODULE_OK;
	if (!load_device_key(inst) ||
	    cw_device_hasher_hash(__atomic_load_n(&inst->hasher, __ATOMIC_ACQUIRE), &ev->mac, device) < 0) {
		RERROR("accounting not recorded: no device key %s (run any coworkctl command to create it)",
			inst->key_path);
		return RLM_MODULE_FAIL;
	}
	*has_device = true;
	return RLM_MODULE_OK;
}

/*
 * Write the event on the module's own access log connection, opened on
 * first use and reopened after any failure (the logq writer holds another;
 * WAL and the busy timeout let both write). 0, or -1 with err.
 */
static int session_write(rlm_cowork_t *inst, cw_acct_event_t const *ev, char const *member, uint8_t const *device,
			 cw_session_outcome_t *out, cw_err_t *err)
{
	int rc = -1;

	pthread_mutex_lock(&inst->session_lock);
	if (!inst->sessions && cw_accesslog_open(inst->log_path, false, &inst->sessions, err) == 0 &&
	    !cw_accesslog_writable(inst->sessions)) {
		cw_err_set(err, "access log %s is not writable by the server", inst->log_path);
		cw_accesslog_close(inst->sessions);
		inst->sessions = NULL;
	}
	if (inst->sessions) rc = cw_session_record(inst->sessions, ev, member, device, inst->max_live, out, err);
	if (rc < 0 && inst->sessions) {
		cw_accesslog_close(inst->sessions);
		inst->sessions = NULL;
	}
	pthread_mutex_unlock(&inst->session_lock);
	return rc;
}

/* One line for what was recorded: starts and ends at info level, updates in debug. */
static void session_logged(REQUEST *request, cw_acct_event_t const *ev, char const *member, unsigned inst_max_live,
			   cw_session_outcome_t const *out)
{
	char nas[CW_LOG_ESCAPED_MAX], id[CW_LOG_ESCAPED_MAX];

	cw_log_escape(ev->nas, strlen(ev->nas), nas, sizeof(nas));
	cw_log_escape(ev->acct_session_id, strlen(ev->acct_session_id), id, sizeof(id));
	switch (out->change) {
	case CW_SESSION_STARTED:
	case CW_SESSION_RESTARTED:
		RINFO("session started: member %s, certificate %s, NAS %s (%s), session %s", member, ev->serial,
		      nas[0] ? nas : "-", ev->nas_address, id);
		break;
	case CW_SESSION_STOPPED:
		RINFO("session ended: certificate %s, NAS %s (%s), session %s", ev->serial, nas[0] ? nas : "-",
		      ev->nas_address, id);
		break;
	case CW_SESSION_NAS_RESET:
		RINFO("NAS %s (%s) restarted: %lld live session(s) ended", nas[0] ? nas : "-", ev->nas_address,
		      (long long)out->ended);
		break;
	case CW_SESSION_OVER_LIMIT:
		RWARN("accounting ignored: NAS %s (%s) already has %u live sessions (max_sessions_per_nas): session %s"
		      " of certificate %s not recorded", nas[0] ? nas : "-", ev->nas_address, inst_max_live, id, ev->serial);
		break;
	case CW_SESSION_UPDATED:
	case CW_SESSION_STALE:
	case CW_SESSION_UNKNOWN:
		RDEBUG2("session %s on %s: %s", id, ev->nas_address,
			out->change == CW_SESSION_UPDATED ? "updated" :
			out->change == CW_SESSION_STALE ? "already ended, update ignored" : "not live, nothing to end");
		break;
	}
}

/*
 * accounting: record our members' sessions (RFC 2866: the response goes
 * out only once the session is recorded). NOOP for accounting that is not
 * ours, whose Class does not verify, or that would exceed the NAS's live
 * sessions (nothing stored; the last two logged); INVALID (no response) for
 * a malformed one of ours; FAIL (no response: the NAS retries) when it
 * cannot be recorded; OK when recorded.
 */
static rlm_rcode_t CC_HINT(nonnull) mod_accounting(void *instance, REQUEST *request)
{
	rlm_cowork_t *inst = instance;
	char src[INET6_ADDRSTRLEN], nas_ip[INET_ADDRSTRLEN], member[CW_ID_MAX + 1] = "";
	uint8_t device[CW_DEVICE_HASH_LEN];
	cw_session_outcome_t out;
	cw_acct_input_t in;
	cw_acct_event_t ev;
	bool has_device;
	rlm_rcode_t rc;
	cw_err_t e;
	int kind;

	acct_input(inst, request, &in, src, nas_ip);
	kind = cw_acct_parse(&in, &ev, &e);
	if (kind == CW_ACCT_IGNORE) return RLM_MODULE_NOOP;
	if (kind == CW_ACCT_UNVERIFIED) {
		RWARN("accounting ignored: %s (nothing stored)", e.msg);
		return RLM_MODULE_NOOP;
	}
	if (kind < 0) {
		RWARN("accounting refused: %s (nothing stored)", e.msg);
		return RLM_MODULE_INVALID;
	}
	rc = session_owner(inst, request, &ev, member, device, &has_device);
	if (rc != RLM_MODULE_OK) return rc;
	if (session_write(inst, &ev, member, has_device ? device : NULL, &out, &e) < 0) {
		RERROR("accounting not recorded (no response, the NAS will retry): %s", e.msg);
		return RLM_MODULE_FAIL;
	}
	session_logged(request, &ev, member, inst->max_live, &out);
	return out.change == CW_SESSION_OVER_LIMIT ? RLM_MODULE_NOOP : RLM_MODULE_OK;
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
