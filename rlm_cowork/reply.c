/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * reply.c - what rlm_cowork puts into replies and the access log: request
 * attributes read as text, reply attributes (VLAN, Message-Authenticator),
 * refusals (their reply, log line and return code), and the access log
 * rows every decision writes.
 */
#include "module.h"

#include <arpa/inet.h>

#include "clock.h"
#include "wlansec.h"

/* RFC 2868 / RFC 3580 values. */
#define TUNNEL_TYPE_VLAN	13
#define TUNNEL_MEDIUM_802	6

/* At most one "clock not synchronised" line this often; the kernel is asked once a second. */
#define CLOCK_WARNING_INTERVAL	600
/* How long a request waits for room in the access log queue before it is refused. */
#define LOG_PUSH_WAIT_MS	1000

/* --- request and reply attributes -------------------------------------------- */

/* Point at an attribute's text, or leave NULL when the request lacks it. */
void cw_mod_attr_text(REQUEST *request, DICT_ATTR const *da, unsigned attr, char const **s, size_t *len)
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
 * An RFC 7268 suite selector (WLAN-AKM-Suite, WLAN-Pairwise-Cipher): true
 * with *suite set when the request carries it as a 4-byte integer. The
 * server decodes one of another length as raw octets under the same
 * number: that counts as absent.
 */
bool cw_mod_attr_suite(REQUEST *request, unsigned attr, uint32_t *suite)
{
	VALUE_PAIR *vp = fr_pair_find_by_num(request->packet->vps, attr, 0, TAG_ANY);

	*suite = 0;
	if (!vp || vp->da->type != PW_TYPE_INTEGER || vp->vp_length != 4) return false;
	*suite = vp->vp_integer;
	return true;
}

/* Add an attribute to the reply; false when out of memory. */
bool cw_mod_reply_add(REQUEST *request, unsigned attr, DICT_ATTR const *da, uint8_t const *data, size_t len,
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
bool cw_mod_add_message_authenticator(REQUEST *request)
{
	static uint8_t const zero[16];

	if (fr_pair_find_by_num(request->reply->vps, PW_MESSAGE_AUTHENTICATOR, 0, TAG_ANY)) return true;
	return cw_mod_reply_add(request, PW_MESSAGE_AUTHENTICATOR, NULL, zero, sizeof(zero), NULL);
}

/* Add an integer attribute to the reply; false when out of memory. */
bool cw_mod_reply_add_int(REQUEST *request, unsigned attr, uint32_t value)
{
	VALUE_PAIR *vp = fr_pair_afrom_num(request->reply, attr, 0);

	if (!vp) return false;
	vp->vp_integer = value;
	vp->tag = TAG_NONE;
	fr_pair_add(&request->reply->vps, vp);
	return true;
}

/* Replace any tunnel attributes in the reply by the VLAN (RFC 3580). */
int cw_mod_add_vlan(REQUEST *request, uint16_t vlan)
{
	char buf[8];

	fr_pair_delete_by_num(&request->reply->vps, PW_TUNNEL_TYPE, 0, TAG_ANY);
	fr_pair_delete_by_num(&request->reply->vps, PW_TUNNEL_MEDIUM_TYPE, 0, TAG_ANY);
	fr_pair_delete_by_num(&request->reply->vps, PW_TUNNEL_PRIVATE_GROUP_ID, 0, TAG_ANY);
	snprintf(buf, sizeof(buf), "%u", (unsigned)vlan);
	if (!cw_mod_reply_add_int(request, PW_TUNNEL_TYPE, TUNNEL_TYPE_VLAN) ||
	    !cw_mod_reply_add_int(request, PW_TUNNEL_MEDIUM_TYPE, TUNNEL_MEDIUM_802) ||
	    !cw_mod_reply_add(request, PW_TUNNEL_PRIVATE_GROUP_ID, NULL, NULL, 0, buf)) return -1;
	return 0;
}

/* --- refusals ------------------------------------------------------------------ */

/*
 * The return code of a refusal. In post-auth, NOTFOUND would count as
 * success (rad_postauth treats it like OK), so an unknown certificate is a
 * REJECT there.
 */
rlm_rcode_t cw_mod_refusal_rcode(cw_decide_result_t r, bool post_auth)
{
	switch (r) {
	case CW_DECIDE_ACCEPT:
		return RLM_MODULE_OK;
	case CW_DECIDE_NOT_OURS:
		return RLM_MODULE_NOOP;
	case CW_DECIDE_UNKNOWN_CERT:
	case CW_DECIDE_UNKNOWN_DEVICE:
		return post_auth ? RLM_MODULE_REJECT : RLM_MODULE_NOTFOUND;
	case CW_DECIDE_REVOKED:
	case CW_DECIDE_UNCOLLECTED:
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
	case CW_DECIDE_UNKNOWN_NAS:
	case CW_DECIDE_NOT_AT_SITE:
		return RLM_MODULE_REJECT;
	case CW_DECIDE_INTERNAL:
		break;
	}
	return RLM_MODULE_FAIL;
}

/* One log line per refusal; the reason also goes into radiusd's "Login incorrect (...)" line. */
void cw_mod_log_refusal(REQUEST *request, cw_decide_result_t result, char const *reason)
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

/*
 * Turn an Accept's reply into a refusal: drop all it carried (the
 * EAP-Success, the keys, any VLAN) and, for EAP, answer with an
 * EAP-Failure of the same identifier (RFC 3748 4.2) and a
 * Message-Authenticator (radiusd computes it). The eap module cannot add
 * the EAP-Failure itself here: its session is already finished.
 */
void cw_mod_reply_refusal(REQUEST *request)
{
	VALUE_PAIR *vp = fr_pair_find_by_num(request->reply->vps, PW_EAP_MESSAGE, 0, TAG_ANY);
	uint8_t failure[4] = { 4, 0, 0, 4 };	/* code Failure, identifier, length 4 */
	bool eap = vp && vp->vp_length >= 2;

	if (eap) failure[1] = vp->vp_octets[1];
	fr_pair_list_free(&request->reply->vps);
	if (eap) (void)cw_mod_reply_add(request, PW_EAP_MESSAGE, NULL, failure, sizeof(failure), NULL);
	(void)cw_mod_add_message_authenticator(request);
}

/* --- access log rows ---------------------------------------------------------- */

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
void cw_mod_row_common(rlm_cowork_t *inst, REQUEST *request, cw_decide_result_t result, bool member,
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
	row->has_akm = cw_mod_attr_suite(request, CW_ATTR_WLAN_AKM_SUITE, &row->akm);
	row->has_cipher = cw_mod_attr_suite(request, CW_ATTR_WLAN_PAIRWISE_CIPHER, &row->cipher);
}

/*
 * Write the decision's row. 0, or -1 with err: the decision could not be
 * logged (no device key, the log unwritable for too long, the queue full).
 */
static int log_row(rlm_cowork_t *inst, cw_access_row_t const *row, cw_device_event_t const *ev, cw_err_t *err)
{
	if (!cw_mod_device_key(inst)) {
		cw_err_set(err, "no device key %s (run any coworkctl command to create it)", inst->key_path);
		return -1;
	}
	return cw_logq_push_device(inst->logq, row, ev, LOG_PUSH_WAIT_MS, err);
}

void cw_mod_member_row(rlm_cowork_t *inst, REQUEST *request, cw_member_decision_t const *d, cw_access_row_t *row)
{
	cw_mod_row_common(inst, request, d->result, true, row);
	strlcpy(row->member_id, d->member, sizeof(row->member_id));
	strlcpy(row->ssid, d->ssid, sizeof(row->ssid));
	strlcpy(row->serial, d->serial, sizeof(row->serial));
	if (d->result == CW_DECIDE_ACCEPT) row->vlan = d->vlan;
}

void cw_mod_guest_row(rlm_cowork_t *inst, REQUEST *request, cw_guest_decision_t const *d, cw_access_row_t *row)
{
	cw_mod_row_common(inst, request, d->result, false, row);
	strlcpy(row->ssid, d->ssid, sizeof(row->ssid));
	if (d->result == CW_DECIDE_ACCEPT) row->vlan = d->vlan;
}

/*
 * Write a decision's row. An accept that cannot be logged becomes a
 * refusal (*result, reason): access is only granted on the record.
 */
void cw_mod_record(rlm_cowork_t *inst, REQUEST *request, cw_access_row_t const *row, cw_decide_result_t *result,
		   char *reason, size_t len)
{
	cw_mod_record_device(inst, request, row, NULL, result, reason, len);
}

/* cw_mod_record, with the change of a device's state the decision made (NULL: none). */
void cw_mod_record_device(rlm_cowork_t *inst, REQUEST *request, cw_access_row_t const *row,
			  cw_device_event_t const *ev, cw_decide_result_t *result, char *reason, size_t len)
{
	cw_err_t e;

	if (log_row(inst, row, ev, &e) == 0) return;
	if (*result == CW_DECIDE_ACCEPT) {
		*result = CW_DECIDE_INTERNAL;
		snprintf(reason, len, "cannot log the decision: %s", e.msg);
		return;
	}
	RERROR("this refusal could not be logged: %s", e.msg);
}
