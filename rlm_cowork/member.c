/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * member.c - the member path (EAP-TLS): the registry's decision on the
 * client certificate, authorize in the certificate-check virtual server,
 * and post-auth of a member's Access-Accept (User-Name, VLAN, Class).
 */
#include "module.h"

/* --- the decision ------------------------------------------------------------- */

static void member_input(rlm_cowork_t const *inst, REQUEST *request, cw_member_input_t *in)
{
	cw_mod_attr_text(request, inst->da_serial, 0, &in->serial, &in->serial_len);
	cw_mod_attr_text(request, inst->da_issuer, 0, &in->issuer, &in->issuer_len);
	cw_mod_attr_text(request, inst->da_subject, 0, &in->subject, &in->subject_len);
	cw_mod_attr_text(request, inst->da_expiration, 0, &in->expiration, &in->expiration_len);
	cw_mod_attr_text(request, NULL, PW_CALLED_STATION_ID, &in->called_station, &in->called_station_len);
}

/* cw_member_decide as a cw_mod_decide_t. */
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
void cw_mod_member_decide(rlm_cowork_t const *inst, REQUEST *request, cw_member_decision_t *d)
{
	cw_member_input_t in;
	member_call_t call = { .in = &in, .now = cw_mod_clock_now(inst, request), .d = d };

	member_input(inst, request, &in);
	memset(d, 0, sizeof(*d));
	(void)cw_mod_with_registry(inst, member_call, &call, &d->result, d->reason, sizeof(d->reason));
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

/* --- authorize ------------------------------------------------------------------ */

/*
 * In the certificate-check virtual server. A refusal is logged here; an
 * accept is logged by post-auth, which decides again and sends the VLAN.
 */
rlm_rcode_t cw_mod_member_authorize(rlm_cowork_t *inst, REQUEST *request)
{
	cw_member_decision_t d;
	cw_access_row_t row;
	cw_device_event_t ev;
	bool has_ev;

	cw_mod_member_decide(inst, request, &d);
	/* Only a refusal is recorded here: post-auth binds or reports the device. */
	has_ev = cw_mod_device_check(inst, request, &d, false, &ev);
	if (d.result == CW_DECIDE_ACCEPT) {
		request_member_name(request, &d, false);	/* post-auth warns about the identity */
		RDEBUG2("Certificate accepted: %s", d.reason);
		return RLM_MODULE_OK;
	}
	cw_mod_member_row(inst, request, &d, &row);
	cw_mod_record_device(inst, request, &row, has_ev ? &ev : NULL, &d.result, d.reason, sizeof(d.reason));
	cw_mod_log_refusal(request, d.result, d.reason);
	return cw_mod_refusal_rcode(d.result, false);
}

/* --- post-auth ------------------------------------------------------------------ */

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

	if (!cw_mod_device_key(inst) ||
	    cw_session_class(inst->class_key, d->serial, cw_mod_clock_now(inst, request), cls) < 0 ||
	    !cw_mod_reply_add(request, PW_CLASS, NULL, (uint8_t const *)cls, strlen(cls), NULL)) return false;
	if (!inst->interim_interval) return true;
	fr_pair_delete_by_num(&request->reply->vps, PW_ACCT_INTERIM_INTERVAL, 0, TAG_ANY);
	return cw_mod_reply_add_int(request, PW_ACCT_INTERIM_INTERVAL, inst->interim_interval);
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
	return cw_mod_reply_add(request, PW_USER_NAME, NULL, NULL, 0, member);
}

/*
 * post-auth on an Access-Accept with a client certificate: decide again,
 * send the member's VLAN, Class and name; on refusal, the Accept's reply
 * becomes a Reject's (see cw_mod_reply_refusal).
 */
rlm_rcode_t cw_mod_member_post_auth(rlm_cowork_t *inst, REQUEST *request)
{
	cw_member_decision_t d;
	cw_access_row_t row;
	cw_device_event_t ev;
	bool has_ev;

	cw_mod_member_decide(inst, request, &d);
	has_ev = cw_mod_device_check(inst, request, &d, true, &ev);
	if (d.result == CW_DECIDE_ACCEPT &&
	    (cw_mod_add_vlan(request, d.vlan) < 0 || !add_session_attrs(inst, request, &d) ||
	     !reply_member_name(request, d.member))) {
		d.result = CW_DECIDE_INTERNAL;
		strlcpy(d.reason, "cannot add the VLAN, Class and User-Name (no device key, or out of memory)",
			sizeof(d.reason));
	}
	cw_mod_member_row(inst, request, &d, &row);
	cw_mod_record_device(inst, request, &row, has_ev ? &ev : NULL, &d.result, d.reason, sizeof(d.reason));
	if (d.result != CW_DECIDE_ACCEPT) {
		cw_mod_log_refusal(request, d.result, d.reason);
		cw_mod_reply_refusal(request);
		return cw_mod_refusal_rcode(d.result, true);
	}
	request_member_name(request, &d, true);
	RINFO("accept: %s", d.reason);
	return RLM_MODULE_UPDATED;
}
