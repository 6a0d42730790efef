/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * module.h - inside rlm_cowork: the instance, and what its files share.
 *
 * Not installed, not exported: the module's only exported symbol is
 * `module_t rlm_cowork` (-export-symbols-regex in Makefile.am). Functions
 * shared between the module's files carry the cw_mod_ prefix; everything
 * else is static in its file.
 *
 *   rlm_cowork.c	instance, configuration, instantiate/detach, entry points
 *   member.c		member path: authorize and post-auth of a client certificate
 *   guest.c		guest path: MAC authentication answered with passphrases
 *   handshake.c	revocation inside eap_module's TLS handshake
 *   accounting.c	accounting: our members' sessions, and sessions' Wi-Fi security
 *   reply.c		reply attributes, refusals, access log rows
 *   device.c		device binding: which devices a certificate connects from
 */
#ifndef RLM_COWORK_MODULE_H
#define RLM_COWORK_MODULE_H

#include <freeradius/radiusd.h>
#include <freeradius/modules.h>

#include <pthread.h>

#include <openssl/ssl.h>

#include "devhash.h"
#include "devtab.h"
#include "guest.h"
#include "linksec.h"
#include "logq.h"
#include "member.h"
#include "ocsp_server.h"
#include "regpool.h"
#include "session.h"

/* At most one "passphrase expires soon" line per (site, SSID) this often. */
#define EXPIRY_WARNING_INTERVAL	600
#define EXPIRY_WARNING_SLOTS	16

typedef struct {
	char	ssid[CW_SSID_MAX + 1];
	char	site[CW_SITE_NAME_MAX + 1];	//!< "" while no site is defined
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
	SSL_CTX		*handshake_ctx;		//!< eap_module's TLS context; NULL: none (see handshake.c).

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
	cw_devtab_t	*devices;		//!< Devices of member certificates (device.c).
	int64_t		devices_tried;		//!< Last load attempt of an unloaded table (atomic).
} rlm_cowork_t;

/* The request's time on the module's clock (see test_clock_offset). */
static inline int64_t cw_mod_clock_now(rlm_cowork_t const *inst, REQUEST *request)
{
	return (int64_t)request->timestamp + inst->clock_offset;
}

/* rlm_cowork.c */

/* A decision made with a registry connection: it fills its decision (arg) and returns its result. */
typedef cw_decide_result_t (*cw_mod_decide_t)(cw_registry_t *reg, void *arg);

bool cw_mod_with_registry(rlm_cowork_t const *inst, cw_mod_decide_t decide, void *arg,
			  cw_decide_result_t *result, char *reason, size_t reason_len);
bool cw_mod_device_key(rlm_cowork_t *inst);
bool cw_mod_ssid_listed(CONF_SECTION *cs, char const *item, char const *ssid);

/* member.c */
void cw_mod_member_decide(rlm_cowork_t const *inst, REQUEST *request, cw_member_decision_t *d);
rlm_rcode_t cw_mod_member_authorize(rlm_cowork_t *inst, REQUEST *request);
rlm_rcode_t cw_mod_member_post_auth(rlm_cowork_t *inst, REQUEST *request);

/*
 * The packet's source address (the RADIUS client, authenticated by its
 * shared secret) in canonical text; an IPv4-mapped IPv6 address as plain
 * IPv4, as NAS definitions hold it. "" when it has no address family.
 */
void cw_mod_source_text(REQUEST *request, char buf[INET6_ADDRSTRLEN]);

/* guest.c */
rlm_rcode_t cw_mod_guest_authorize(rlm_cowork_t *inst, REQUEST *request);
bool cw_mod_guest_accepted(REQUEST *request);

/* handshake.c */
int cw_mod_handshake_find(rlm_cowork_t *inst, CONF_SECTION *conf);
int cw_mod_handshake_claim(rlm_cowork_t *inst, CONF_SECTION *conf);
void cw_mod_handshake_release(rlm_cowork_t *inst);
void cw_mod_handshake_rejected(rlm_cowork_t *inst, REQUEST *request);

/* device.c */
int cw_mod_devices_load(rlm_cowork_t *inst, cw_err_t *err);
bool cw_mod_device_check(rlm_cowork_t *inst, REQUEST *request, cw_member_decision_t *d, bool settle,
			 cw_device_event_t *ev);

/* accounting.c */
rlm_rcode_t cw_mod_accounting(rlm_cowork_t *inst, REQUEST *request);

/* reply.c: request and reply attributes */
void cw_mod_attr_text(REQUEST *request, DICT_ATTR const *da, unsigned attr, char const **s, size_t *len);
bool cw_mod_attr_suite(REQUEST *request, unsigned attr, uint32_t *suite);
bool cw_mod_reply_add(REQUEST *request, unsigned attr, DICT_ATTR const *da, uint8_t const *data, size_t len,
		      char const *str);
bool cw_mod_reply_add_int(REQUEST *request, unsigned attr, uint32_t value);
int cw_mod_add_vlan(REQUEST *request, uint16_t vlan);
bool cw_mod_add_message_authenticator(REQUEST *request);

/* reply.c: refusals */
rlm_rcode_t cw_mod_refusal_rcode(cw_decide_result_t r, bool post_auth);
void cw_mod_log_refusal(REQUEST *request, cw_decide_result_t result, char const *reason);
void cw_mod_reply_refusal(REQUEST *request);

/* reply.c: access log rows */
void cw_mod_row_common(rlm_cowork_t *inst, REQUEST *request, cw_decide_result_t result, bool member,
		       cw_access_row_t *row);
void cw_mod_member_row(rlm_cowork_t *inst, REQUEST *request, cw_member_decision_t const *d, cw_access_row_t *row);
void cw_mod_guest_row(rlm_cowork_t *inst, REQUEST *request, cw_guest_decision_t const *d, cw_access_row_t *row);
void cw_mod_record(rlm_cowork_t *inst, REQUEST *request, cw_access_row_t const *row, cw_decide_result_t *result,
		   char *reason, size_t len);
void cw_mod_record_device(rlm_cowork_t *inst, REQUEST *request, cw_access_row_t const *row,
			  cw_device_event_t const *ev, cw_decide_result_t *result, char *reason, size_t len);

#endif
