/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * handshake.c - revocation inside the TLS handshake: rlm_cowork's hook on
 * the certificate verification of eap_module's SSL_CTX (claimed and
 * released per context), the registry check it makes, and the access log
 * row that post-auth writes for a handshake refused by it or by OCSP.
 */
#include "module.h"

#include <freeradius/modpriv.h>

#include <openssl/x509.h>

#include "serial.h"
#include "station.h"

/*
 * The hook is per TLS context: the SSL_CTX of an eap module's tls-config
 * carries (in its ex_data, at handshake_index) a slot naming the one
 * instance whose registry checks its handshakes. The slot is made when a
 * context is first claimed and lives as long as the context; the
 * instance in it changes only:
 *  - at the very end of a successful mod_instantiate (cw_mod_handshake_claim):
 *    a HUP's new instance replaces the old one of the same name; another
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

/* A handshake's refusal, kept for post-auth REJECT to log: the decision and its device's change, if any. */
typedef struct {
	cw_member_decision_t	d;
	bool			has_event;
	cw_device_event_t	event;
} handshake_refusal_t;

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
	case CW_DECIDE_UNCOLLECTED:
	case CW_DECIDE_SUSPENDED:
	case CW_DECIDE_NOT_STARTED:
	case CW_DECIDE_ENDED:
		return X509_V_ERR_CERT_REVOKED;			/* alert certificate_revoked */
	case CW_DECIDE_CERT_EXPIRED:
		return X509_V_ERR_CERT_HAS_EXPIRED;		/* alert certificate_expired */
	case CW_DECIDE_UNKNOWN_CERT:
	case CW_DECIDE_BAD_INPUT:
	case CW_DECIDE_UNKNOWN_DEVICE:
		return X509_V_ERR_CERT_REJECTED;		/* alert bad_certificate */
	default:
		return X509_V_ERR_APPLICATION_VERIFICATION;	/* alert handshake_failure */
	}
}

/* cw_member_decide_serial as a cw_mod_decide_t. */
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
	(void)cw_mod_with_registry(inst, serial_call, &call, &d->result, d->reason, sizeof(d->reason));
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
	handshake_refusal_t r, *keep;
	cw_member_decision_t d;
	handshake_slot_t *slot;
	rlm_cowork_t *inst;
	int ok;

	(void)arg;
	ok = X509_verify_cert(x509);
	if (ok <= 0) return ok;

	slot = ssl ? handshake_slot(SSL_get_SSL_CTX(ssl)) : NULL;
	inst = slot ? __atomic_load_n(&slot->inst, __ATOMIC_ACQUIRE) : NULL;
	handshake_decide(inst, X509_STORE_CTX_get0_cert(x509), request, &d);
	/*
	 * Device binding here too, so that an unknown device under enforce is
	 * refused with a TLS alert the device reports; only a refusal is
	 * recorded (post-auth binds or reports an accepted device).
	 */
	memset(&r, 0, sizeof(r));
	if (request && inst) r.has_event = cw_mod_device_check(inst, request, &d, false, &r.event);
	if (d.result == CW_DECIDE_ACCEPT) {
		if (request) {
			RDEBUG2("Certificate %s of %s passed the registry check in the TLS handshake", d.serial,
				d.member);
		}
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
	r.d = d;
	keep = talloc_memdup(request, &r, sizeof(r));
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
int cw_mod_handshake_find(rlm_cowork_t *inst, CONF_SECTION *conf)
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
int cw_mod_handshake_claim(rlm_cowork_t *inst, CONF_SECTION *conf)
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
void cw_mod_handshake_release(rlm_cowork_t *inst)
{
	handshake_slot_t *slot = handshake_slot(inst->handshake_ctx);
	rlm_cowork_t *expected = inst;

	if (!slot) return;
	pthread_mutex_lock(&handshake_lock);
	(void)__atomic_compare_exchange_n(&slot->inst, &expected, NULL, false, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&handshake_lock);
}

/* --- post-auth of a refused handshake ----------------------------------------- */

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

	cw_mod_member_decide(inst, request, &d);
	if (d.result == CW_DECIDE_ACCEPT) {
		d.result = CW_DECIDE_INTERNAL;
		snprintf(d.reason, sizeof(d.reason), "certificate %s of %s failed the OCSP check in the TLS handshake"
			 " although the registry accepts it: see the OCSP responder's line (no pre-signed answer: run"
			 " `coworkctl cert ocsp-sign`; or the responder is unreachable)", d.serial, d.member);
	}
	cw_mod_member_row(inst, request, &d, &row);
	cw_mod_record(inst, request, &row, &d.result, d.reason, sizeof(d.reason));
	cw_mod_log_refusal(request, d.result, d.reason);
}

/*
 * The access log row of a handshake that the registry check inside it
 * refused (handshake_verify logged the line and the reason).
 */
static void log_handshake_decision(rlm_cowork_t *inst, REQUEST *request, handshake_refusal_t *r)
{
	cw_member_decision_t *d = &r->d;
	cw_access_row_t row;
	cw_station_t st;
	VALUE_PAIR *vp = fr_pair_find_by_num(request->packet->vps, PW_CALLED_STATION_ID, 0, TAG_ANY);
	cw_err_t e;

	/* The SSID for the row, when the AP sent a well-formed one (the handshake's check needs none). */
	if (vp && cw_station_parse(vp->vp_strvalue, vp->vp_length, &st, &e) == 0 && st.has_ssid)
		strlcpy(d->ssid, st.ssid, sizeof(d->ssid));
	cw_mod_member_row(inst, request, d, &row);
	cw_mod_record_device(inst, request, &row, r->has_event ? &r->event : NULL, &d->result, d->reason,
			     sizeof(d->reason));
}

/*
 * post-auth of an Access-Reject: the access log row of a handshake that
 * the registry check inside it refused, or that OCSP refused.
 */
void cw_mod_handshake_rejected(rlm_cowork_t *inst, REQUEST *request)
{
	handshake_refusal_t *refused = request_data_get(request, &handshake_refusal_key, 0);

	if (refused) {
		log_handshake_decision(inst, request, refused);
		talloc_free(refused);
	} else if (refused_in_handshake(inst, request)) {
		log_handshake_refusal(inst, request);
	}
}
