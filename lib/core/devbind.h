/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devbind.h - device binding: which devices a member certificate may
 * connect from (issue 17, "new devices"; docs/design.md, "Devices").
 *
 * A device is the keyed hash of its MAC (devhash.h). The first device a
 * certificate is accepted from is bound to it; a later one is "new": under
 * the policy notify it is accepted and reported, under enforce it is
 * refused (reason unknown-device) until the admin approves it. Pure
 * logic: the module keeps the states (lib/server/devtab.h), the registry
 * the approvals and the policy.
 */
#ifndef COWORK_DEVBIND_H
#define COWORK_DEVBIND_H

#include <stdbool.h>

/* The policy, global (setting device_binding) or per tenant. */
typedef enum {
	CW_BINDING_OFF = 0,	//!< nothing recorded, nothing refused
	CW_BINDING_NOTIFY,	//!< devices recorded, a new one reported (the default)
	CW_BINDING_ENFORCE,	//!< also refuse a device neither bound nor approved
} cw_binding_t;

#define CW_BINDING_DEFAULT CW_BINDING_NOTIFY

/* "off", "notify", "enforce". */
const char *cw_binding_name(cw_binding_t b);

/* Parse a policy name (exact, lowercase). 0, or -1. */
int cw_binding_parse(const char *s, cw_binding_t *out);

/*
 * The policy in force for a certificate: the tenant's override when set,
 * else the global setting when set, else the default. NULL or "" means
 * unset. 0, or -1 when a set value is not a policy name (written behind
 * coworkctl's back: the caller refuses, it does not guess).
 */
int cw_binding_resolve(const char *tenant, const char *global, cw_binding_t *out);

/* What is known of one device of one certificate. */
typedef enum {
	CW_DEVSTATE_UNSEEN = 0,	//!< never seen with this certificate
	CW_DEVSTATE_BOUND,	//!< the certificate's first device
	CW_DEVSTATE_NEW,	//!< accepted later under notify, not approved
	CW_DEVSTATE_APPROVED,	//!< accepted because the admin approved it
	CW_DEVSTATE_REFUSED,	//!< refused under enforce
} cw_devstate_t;

/* "unseen", "bound", "new", "approved", "refused". */
const char *cw_devstate_name(cw_devstate_t s);

/* Parse a stored state (not "unseen"). 0, or -1. */
int cw_devstate_parse(const char *s, cw_devstate_t *out);

/* The verdict on one authentication's device. */
typedef enum {
	CW_DEVICE_UNCHECKED = 0,	//!< policy off: accept, record nothing
	CW_DEVICE_KNOWN,		//!< accept: bound, approved, or (notify) already reported
	CW_DEVICE_FIRST,		//!< accept and bind: the certificate has no device yet
	CW_DEVICE_ANOTHER,		//!< accept (notify) and report a new device
	CW_DEVICE_APPROVED,		//!< accept: the admin approved it; record it so
	CW_DEVICE_REFUSE,		//!< refuse: unknown-device (enforce)
	CW_DEVICE_NO_ID,		//!< no usable Calling-Station-Id: refuse under enforce, else accept unrecorded
} cw_device_verdict_t;

/*
 * Judge a device. has_device: the request named a well-formed station
 * MAC; state: what is known of this device with this certificate;
 * cert_bound: the certificate already has a bound device; approved: the
 * registry approves this device for the certificate or its member.
 */
cw_device_verdict_t cw_device_judge(cw_binding_t policy, bool has_device, cw_devstate_t state, bool cert_bound,
				    bool approved);

/* Whether a verdict refuses under policy. */
bool cw_device_refuses(cw_binding_t policy, cw_device_verdict_t v);

/* The state a verdict leaves the device in (UNSEEN: nothing to record). */
cw_devstate_t cw_device_next_state(cw_device_verdict_t v, cw_devstate_t current);

#endif
