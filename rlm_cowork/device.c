/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * device.c - device binding on the member path: which devices a
 * certificate connects from (lib/core/devbind.h, lib/server/devtab.h).
 *
 * A known device costs one keyed hash and one lookup in memory under a
 * mutex; the registry is asked (for an approval) only about a device that
 * is neither bound nor approved, and the access log is written through the
 * writer thread, with the decision's own row.
 */
#include "module.h"

/* A table that failed to load is tried again at most this often. */
#define DEVTAB_RETRY_S 1

/* The keyed hash of the request's Calling-Station-Id: false when it has none, or a malformed one. */
static bool request_device(rlm_cowork_t *inst, REQUEST *request, uint8_t out[CW_DEVICE_HASH_LEN])
{
	cw_device_hasher_t const *hasher = __atomic_load_n(&inst->hasher, __ATOMIC_ACQUIRE);
	VALUE_PAIR *vp = fr_pair_find_by_num(request->packet->vps, PW_CALLING_STATION_ID, 0, TAG_ANY);
	cw_mac_t mac;

	return vp && hasher && cw_mac_parse(vp->vp_strvalue, vp->vp_length, &mac) == 0 &&
	       cw_device_hasher_hash(hasher, &mac, out) == 0;
}

/* Load the device table from the access log. 0, or -1 with err. */
int cw_mod_devices_load(rlm_cowork_t *inst, cw_err_t *err)
{
	cw_accesslog_t *log;
	int rc;

	if (cw_accesslog_open(inst->log_path, false, &log, err) < 0) return -1;
	rc = cw_devtab_load(inst->devices, log, err);
	cw_accesslog_close(log);
	return rc;
}

/*
 * Whether the table is loaded, trying again (at most once a second) when
 * it is not: until it is, nothing can be bound, since the "first" device
 * might be a copy's.
 */
static bool devices_ready(rlm_cowork_t *inst, REQUEST *request)
{
	int64_t now = (int64_t)time(NULL), last;
	cw_err_t e;

	if (cw_devtab_loaded(inst->devices)) return true;
	last = __atomic_load_n(&inst->devices_tried, __ATOMIC_RELAXED);
	if (now - last < DEVTAB_RETRY_S ||
	    !__atomic_compare_exchange_n(&inst->devices_tried, &last, now, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
		return false;
	}
	if (cw_mod_devices_load(inst, &e) == 0) {
		RINFO("the devices of member certificates are loaded from the access log");
		return true;
	}
	RERROR("cannot load the devices of member certificates: %s", e.msg);
	return false;
}

/* cw_registry_device_approved as a cw_mod_decide_t. */
typedef struct {
	cw_member_decision_t const	*d;
	uint8_t const			*device;
	int				approved;	//!< 1, 0, or -1
	cw_err_t			err;
} approval_call_t;

static cw_decide_result_t approval_call(cw_registry_t *reg, void *arg)
{
	approval_call_t *call = arg;

	call->approved = cw_registry_device_approved(reg, call->d->serial, call->d->member, call->device, &call->err);
	return call->approved < 0 ? CW_DECIDE_INTERNAL : CW_DECIDE_ACCEPT;
}

/* Whether the admin approved the device: 1, 0, or -1 with d turned into an internal error. */
static int approved(rlm_cowork_t *inst, cw_member_decision_t *d, uint8_t const *device)
{
	approval_call_t call = { .d = d, .device = device, .approved = -1 };
	cw_decide_result_t r;
	char reason[CW_REASON_MAX];

	if (!cw_mod_with_registry(inst, approval_call, &call, &r, reason, sizeof(reason))) {
		cw_decide_set(&d->result, d->reason, sizeof(d->reason), CW_DECIDE_INTERNAL, "%s", reason);
		return -1;
	}
	if (call.approved < 0) {
		cw_decide_set(&d->result, d->reason, sizeof(d->reason), CW_DECIDE_INTERNAL, "%s", call.err.msg);
	}
	return call.approved;
}

static void refuse(cw_member_decision_t *d, cw_device_verdict_t v, char const *hex)
{
	if (v == CW_DEVICE_NO_ID) {
		cw_decide_set(&d->result, d->reason, sizeof(d->reason), CW_DECIDE_UNKNOWN_DEVICE,
			      "certificate %s of %s: device binding is enforced and the request has no usable"
			      " Calling-Station-Id", d->serial, d->member);
		return;
	}
	cw_decide_set(&d->result, d->reason, sizeof(d->reason), CW_DECIDE_UNKNOWN_DEVICE,
		      "certificate %s of %s presented from device %.16s, neither its first device nor approved"
		      " (coworkctl device approve %s %.16s)", d->serial, d->member, hex, d->serial, hex);
}

/*
 * Device binding for an accepted member decision d. Without settle (inside
 * the TLS handshake and in the certificate-check server, before post-auth
 * decides), only a refusal is recorded; with it (post-auth), the device's new state too. When d is
 * refused here, it becomes unknown-device (or internal-error). Returns
 * true with *ev filled when a change of state is to be written with the
 * decision's row.
 */
bool cw_mod_device_check(rlm_cowork_t *inst, REQUEST *request, cw_member_decision_t *d, bool settle,
			 cw_device_event_t *ev)
{
	uint8_t device[CW_DEVICE_HASH_LEN] = { 0 };
	char hex[CW_DEVICE_HASH_HEX] = "";
	cw_devstate_t state;
	cw_device_verdict_t v;
	bool has, bound, changed;
	int ok = 0;

	if (d->result != CW_DECIDE_ACCEPT || d->binding == CW_BINDING_OFF) return false;
	has = request_device(inst, request, device);
	if (has) cw_device_hash_hex(device, hex);
	if (!devices_ready(inst, request)) {
		if (d->binding == CW_BINDING_ENFORCE) {
			cw_decide_set(&d->result, d->reason, sizeof(d->reason), CW_DECIDE_INTERNAL,
				      "device binding is enforced and the devices of member certificates are not loaded");
		} else {
			RWARN("device of certificate %s not checked: the device table is not loaded", d->serial);
		}
		return false;
	}
	cw_devtab_lookup(inst->devices, d->serial, device, &state, &bound);
	v = cw_device_judge(d->binding, has, state, bound, false);
	/* Only a device the table would report or refuse costs a registry read. */
	if (v == CW_DEVICE_ANOTHER || v == CW_DEVICE_REFUSE) {
		ok = approved(inst, d, device);
		if (ok < 0) return false;
		v = cw_device_judge(d->binding, has, state, bound, ok == 1);
	}
	if (!settle && !cw_device_refuses(d->binding, v)) return false;
	v = cw_devtab_settle(inst->devices, d->binding, d->serial, device, has, ok == 1, &state, &changed);
	if (cw_device_refuses(d->binding, v)) refuse(d, v, hex);
	if (v == CW_DEVICE_NO_ID && d->binding != CW_BINDING_ENFORCE) {
		RWDEBUG("certificate %s: no usable Calling-Station-Id, the device is not recorded", d->serial);
	}
	if (!changed) return false;
	memset(ev, 0, sizeof(*ev));
	strlcpy(ev->serial, d->serial, sizeof(ev->serial));
	strlcpy(ev->member, d->member, sizeof(ev->member));
	memcpy(ev->device, device, sizeof(ev->device));
	ev->state = state;
	ev->ts_ms = ((int64_t)time(NULL) + inst->clock_offset) * 1000;
	ev->not_after_ms = d->not_after * 1000;
	if (v == CW_DEVICE_FIRST || v == CW_DEVICE_ANOTHER) {
		RINFO("new device %.16s of member %s, certificate %s: %s", hex, d->member, d->serial,
		      cw_devstate_name(state));
	} else if (v == CW_DEVICE_APPROVED) {
		RINFO("device %.16s of member %s, certificate %s: approved", hex, d->member, d->serial);
	}
	return true;
}
