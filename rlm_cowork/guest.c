/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guest.c - the guest path (MAC authentication, hostapd's
 * wpa_psk_radius): authorize a station on a guest SSID with the
 * passphrases in force (Tunnel-Password, or a vendor's attribute), the
 * guest VLAN and a Session-Timeout; and the mark post-auth looks for.
 */
#include "module.h"

#include "psk.h"

/* How the guest passphrases go to the AP, per SSID. */
typedef enum {
	PSK_TUNNEL_PASSWORD = 0,	//!< RFC 2868 Tunnel-Password, one per passphrase (hostapd, most APs)
	PSK_CISCO,			//!< Cisco-AVPair "psk-mode=ascii", "psk=..." (identity PSK)
	PSK_ARUBA,			//!< Aruba-MPSK-Passphrase (MPSK)
} psk_format_t;

/*
 * request_data key: this request's Accept is our guest path's (its value is
 * the instance that decided). post-auth refuses any Accept that carries
 * neither this mark nor a client certificate.
 */
static char guest_accept_key;

static psk_format_t psk_format(rlm_cowork_t const *inst, char const *ssid)
{
	if (inst->psk_cisco && cw_mod_ssid_listed(inst->cs, "psk_cisco", ssid)) return PSK_CISCO;
	if (inst->psk_aruba && cw_mod_ssid_listed(inst->cs, "psk_aruba", ssid)) return PSK_ARUBA;
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
		ok = cw_mod_reply_add(request, 0, inst->da_cisco_avpair, NULL, 0, "psk-mode=ascii");
		snprintf(avpair, sizeof(avpair), "psk=%s", d->psk[0].passphrase);
		ok = ok && cw_mod_reply_add(request, 0, inst->da_cisco_avpair, NULL, 0, avpair);
		cw_wipe(avpair, sizeof(avpair));
		return ok;
	case PSK_ARUBA:
		return cw_mod_reply_add(request, 0, inst->da_aruba_mpsk, (uint8_t const *)d->psk[0].passphrase,
					strlen(d->psk[0].passphrase), NULL);
	case PSK_TUNNEL_PASSWORD:
		break;
	}
	for (size_t i = 0; i < d->n_psk && ok; i++) {
		ok = cw_mod_reply_add(request, PW_TUNNEL_PASSWORD, NULL, NULL, 0, d->psk[i].passphrase);
	}
	return ok;
}

static bool add_guest_reply(rlm_cowork_t const *inst, REQUEST *request, cw_guest_decision_t const *d)
{
	if (!add_passphrases(inst, request, d) || cw_mod_add_vlan(request, d->vlan) < 0) return false;
	fr_pair_delete_by_num(&request->reply->vps, PW_SESSION_TIMEOUT, 0, TAG_ANY);
	return cw_mod_reply_add_int(request, PW_SESSION_TIMEOUT, d->session_timeout) &&
	       cw_mod_add_message_authenticator(request);
}

/* Warn, at most once per EXPIRY_WARNING_INTERVAL for each SSID, that rotation is due. */
static void warn_expiring(rlm_cowork_t *inst, REQUEST *request, cw_guest_decision_t const *d, int64_t now)
{
	expiry_warning_t *slot = NULL, *oldest = &inst->warned[0];
	bool due;

	pthread_mutex_lock(&inst->warn_lock);
	for (size_t i = 0; i < EXPIRY_WARNING_SLOTS && !slot; i++) {
		if (strcmp(inst->warned[i].ssid, d->ssid) == 0 && strcmp(inst->warned[i].site, d->site) == 0) {
			slot = &inst->warned[i];
		}
		else if (inst->warned[i].last < oldest->last) oldest = &inst->warned[i];
	}
	if (!slot) {
		slot = oldest;
		strlcpy(slot->ssid, d->ssid, sizeof(slot->ssid));
		strlcpy(slot->site, d->site, sizeof(slot->site));
		slot->last = 0;
	}
	due = now - slot->last >= EXPIRY_WARNING_INTERVAL;
	if (due) slot->last = now;
	pthread_mutex_unlock(&inst->warn_lock);
	if (!due) return;
	if (d->site[0]) {
		RWARN("the passphrase of guest SSID \"%s\" at site %s stops being served in %lld min: run"
		      " `coworkctl psk rotate --ssid '%s' --site '%s'`", d->ssid, d->site,
		      (long long)((d->expires_at - now + 59) / 60), d->ssid, d->site);
	} else {
		RWARN("the passphrase of guest SSID \"%s\" stops being served in %lld min: run `coworkctl psk rotate --ssid '%s'`",
		      d->ssid, (long long)((d->expires_at - now + 59) / 60), d->ssid);
	}
}

/* cw_guest_decide as a cw_mod_decide_t. */
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
rlm_rcode_t cw_mod_guest_authorize(rlm_cowork_t *inst, REQUEST *request)
{
	char client[INET6_ADDRSTRLEN];
	cw_guest_decision_t d;
	cw_access_row_t row;
	cw_guest_input_t in;
	int64_t now = cw_mod_clock_now(inst, request);
	guest_call_t call = { .in = &in, .now = now, .d = &d };

	memset(&in, 0, sizeof(in));
	in.eap = fr_pair_find_by_num(request->packet->vps, PW_EAP_MESSAGE, 0, TAG_ANY) != NULL;
	cw_mod_source_text(request, client);
	in.client = client;
	cw_mod_attr_text(request, NULL, PW_USER_NAME, &in.user_name, &in.user_name_len);
	cw_mod_attr_text(request, NULL, PW_USER_PASSWORD, &in.user_password, &in.user_password_len);
	cw_mod_attr_text(request, NULL, PW_CALLING_STATION_ID, &in.calling_station, &in.calling_station_len);
	cw_mod_attr_text(request, NULL, PW_CALLED_STATION_ID, &in.called_station, &in.called_station_len);
	if (in.eap || !in.user_name) return RLM_MODULE_NOOP;	/* no registry access for what is not ours */

	memset(&d, 0, sizeof(d));
	(void)cw_mod_with_registry(inst, guest_call, &call, &d.result, d.reason, sizeof(d.reason));
	if (d.result == CW_DECIDE_NOT_OURS) {
		RDEBUG2("%s", d.reason);
		return RLM_MODULE_NOOP;
	}
	if (d.result == CW_DECIDE_ACCEPT && !add_guest_reply(inst, request, &d)) {
		d.result = CW_DECIDE_INTERNAL;
		strlcpy(d.reason, "out of memory building the reply", sizeof(d.reason));
	}
	cw_mod_guest_row(inst, request, &d, &row);
	cw_mod_record(inst, request, &row, &d.result, d.reason, sizeof(d.reason));
	if (d.result != CW_DECIDE_ACCEPT) {
		cw_guest_decision_wipe(&d);
		fr_pair_list_free(&request->reply->vps);
		cw_mod_log_refusal(request, d.result, d.reason);
		(void)cw_mod_add_message_authenticator(request);
		return cw_mod_refusal_rcode(d.result, false);
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

/* Is this request's Access-Accept our guest path's (marked in authorize)? */
bool cw_mod_guest_accepted(REQUEST *request)
{
	return request_data_reference(request, &guest_accept_key, 0) != NULL;
}
