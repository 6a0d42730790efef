/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devbind.c - device binding: policy and verdict.
 */
#include <string.h>

#include "devbind.h"

static const char *const binding_names[] = { "off", "notify", "enforce" };
static const char *const state_names[] = { "unseen", "bound", "new", "approved", "refused" };

const char *cw_binding_name(cw_binding_t b)
{
	return (unsigned)b < sizeof(binding_names) / sizeof(binding_names[0]) ? binding_names[b] : "?";
}

int cw_binding_parse(const char *s, cw_binding_t *out)
{
	for (unsigned i = 0; s && i < sizeof(binding_names) / sizeof(binding_names[0]); i++) {
		if (strcmp(s, binding_names[i]) == 0) {
			*out = (cw_binding_t)i;
			return 0;
		}
	}
	return -1;
}

int cw_binding_resolve(const char *tenant, const char *global, cw_binding_t *out)
{
	*out = CW_BINDING_DEFAULT;
	if (tenant && *tenant) return cw_binding_parse(tenant, out);
	if (global && *global) return cw_binding_parse(global, out);
	return 0;
}

const char *cw_devstate_name(cw_devstate_t s)
{
	return (unsigned)s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s] : "?";
}

int cw_devstate_parse(const char *s, cw_devstate_t *out)
{
	/* From 1: "unseen" is never stored. */
	for (unsigned i = 1; s && i < sizeof(state_names) / sizeof(state_names[0]); i++) {
		if (strcmp(s, state_names[i]) == 0) {
			*out = (cw_devstate_t)i;
			return 0;
		}
	}
	return -1;
}

cw_device_verdict_t cw_device_judge(cw_binding_t policy, bool has_device, cw_devstate_t state, bool cert_bound,
				    bool approved)
{
	if (policy == CW_BINDING_OFF) return CW_DEVICE_UNCHECKED;
	if (!has_device) return CW_DEVICE_NO_ID;
	if (state == CW_DEVSTATE_BOUND || state == CW_DEVSTATE_APPROVED) return CW_DEVICE_KNOWN;
	if (approved) return CW_DEVICE_APPROVED;
	/* A certificate without a bound device binds this one, whatever was seen before. */
	if (!cert_bound) return CW_DEVICE_FIRST;
	if (policy == CW_BINDING_ENFORCE) return CW_DEVICE_REFUSE;
	/* notify: a device already reported is not reported again. */
	return state == CW_DEVSTATE_NEW ? CW_DEVICE_KNOWN : CW_DEVICE_ANOTHER;
}

bool cw_device_refuses(cw_binding_t policy, cw_device_verdict_t v)
{
	if (v == CW_DEVICE_REFUSE) return true;
	/* Fail closed: enforce with no way to tell the device is a refusal. */
	return v == CW_DEVICE_NO_ID && policy == CW_BINDING_ENFORCE;
}

cw_devstate_t cw_device_next_state(cw_device_verdict_t v, cw_devstate_t current)
{
	switch (v) {
	case CW_DEVICE_FIRST: return CW_DEVSTATE_BOUND;
	case CW_DEVICE_ANOTHER: return CW_DEVSTATE_NEW;
	case CW_DEVICE_APPROVED: return CW_DEVSTATE_APPROVED;
	case CW_DEVICE_REFUSE: return CW_DEVSTATE_REFUSED;
	case CW_DEVICE_KNOWN: return current;
	case CW_DEVICE_UNCHECKED:
	case CW_DEVICE_NO_ID:
		break;
	}
	return CW_DEVSTATE_UNSEEN;
}
