/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * guest.c - the guest path's decision.
 */
#include <string.h>

#include "guest.h"
#include "psk.h"
#include "station.h"
#include "timeutil.h"

static void decide(cw_guest_decision_t *out, cw_decide_result_t r, const char *fmt, ...) CW_PRINTF(3, 4);

static void decide(cw_guest_decision_t *out, cw_decide_result_t r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cw_decide_vset(&out->result, out->reason, sizeof(out->reason), r, fmt, ap);
	va_end(ap);
}

static void utc(int64_t t, char buf[CW_RFC3339_MS_LEN])
{
	if (cw_time_format_rfc3339(t, buf) < 0) (void)cw_snprintf(buf, CW_RFC3339_MS_LEN, "?");
}

/*
 * Is this MAC authentication, and do its three MAC addresses agree? 0 with
 * out->mac set, or -1 with the result decided (NOT_OURS or BAD_INPUT).
 */
static int check_station(const cw_guest_input_t *in, cw_guest_decision_t *out)
{
	cw_mac_t password, calling;

	if (in->eap || !in->user_name || cw_mac_parse(in->user_name, in->user_name_len, &out->mac) < 0) {
		decide(out, CW_DECIDE_NOT_OURS, "not MAC authentication");
		return -1;
	}
	out->has_mac = true;
	if (!in->user_password) {
		decide(out, CW_DECIDE_BAD_INPUT, "MAC authentication without User-Password");
		return -1;
	}
	if (cw_mac_parse(in->user_password, in->user_password_len, &password) < 0 ||
	    memcmp(&password, &out->mac, sizeof(password)) != 0) {
		decide(out, CW_DECIDE_BAD_INPUT, "User-Password does not match User-Name");
		return -1;
	}
	if (!in->calling_station) {
		decide(out, CW_DECIDE_BAD_INPUT, "MAC authentication without Calling-Station-Id");
		return -1;
	}
	if (cw_mac_parse(in->calling_station, in->calling_station_len, &calling) < 0) {
		decide(out, CW_DECIDE_BAD_INPUT, "malformed Calling-Station-Id");
		return -1;
	}
	if (memcmp(&calling, &out->mac, sizeof(calling)) != 0) {
		decide(out, CW_DECIDE_BAD_INPUT, "User-Name does not match Calling-Station-Id");
		return -1;
	}
	return 0;
}

/* The SSID must be a guest SSID and the plan's guest VLAN safe. 0, or -1 decided. */
static int check_ssid_and_vlan(cw_registry_t *reg, cw_guest_decision_t *out)
{
	char safe[CW_LOG_ESCAPED_MAX];
	cw_ssid_class_t cls;
	cw_vlan_plan_t plan;
	int found;
	cw_err_t e;

	found = cw_registry_ssid_class(reg, out->ssid, &cls, &e);
	if (found < 0) goto internal;
	if (found == 0 || cls != CW_SSID_GUEST) {
		/* Escaped only for a refusal: the accept path of a busy AP formats no text. */
		cw_log_escape(out->ssid, strlen(out->ssid), safe, sizeof(safe));
		if (found == 0) {
			decide(out, CW_DECIDE_BAD_SSID, "SSID \"%s\" is not in the registry", safe);
		} else {
			decide(out, CW_DECIDE_BAD_SSID, "SSID \"%s\" is a %s SSID, not a guest SSID", safe,
			       cw_ssid_class_name(cls));
		}
		return -1;
	}
	found = cw_registry_vlan_plan(reg, &plan, &e);
	if (found == CW_REGISTRY_PLAN_UNSAFE) {
		decide(out, CW_DECIDE_BAD_VLAN, "the registry's VLAN plan is unsafe: %s", e.msg);
		return -1;
	}
	if (found < 0) goto internal;
	if (found == 0) {
		decide(out, CW_DECIDE_BAD_VLAN, "no VLAN plan in the registry (run `coworkctl vlan set`)");
		return -1;
	}
	if (cw_vlan_check_guest(&plan, plan.guest, &e) < 0) {
		decide(out, CW_DECIDE_BAD_VLAN, "refusing the guest VLAN: %s", e.msg);
		return -1;
	}
	out->vlan = plan.guest;
	return 0;

internal:
	decide(out, CW_DECIDE_INTERNAL, "%s", e.msg);
	return -1;
}

/*
 * Once a site is defined, the RADIUS client must be a registered NAS at a
 * site: out->site and out->nas name them. With no site, out->site stays ""
 * (the site-less passphrases). 0, or -1 decided.
 */
static int check_site(cw_registry_t *reg, const cw_guest_input_t *in, cw_guest_decision_t *out)
{
	char safe[CW_LOG_ESCAPED_MAX];
	cw_nas_site_t nas;
	int rc;
	cw_err_t e;

	rc = cw_registry_sites_defined(reg, &e);
	if (rc < 0) goto internal;
	if (rc == 0) return 0;
	if (!in->client || !*in->client) {
		decide(out, CW_DECIDE_UNKNOWN_NAS, "the RADIUS client's address is unknown: with sites defined, only the"
		       " NAS of a site gets guest passphrases");
		return -1;
	}
	rc = cw_registry_nas_site(reg, in->client, &nas, &e);
	if (rc < 0) goto internal;
	cw_log_escape(in->client, strlen(in->client), safe, sizeof(safe));
	if (rc == 0) {
		decide(out, CW_DECIDE_UNKNOWN_NAS, "RADIUS client %s is not a registered NAS: with sites defined, only the"
		       " NAS of a site gets guest passphrases (`coworkctl nas add NAME --address %s --site SITE ...`)",
		       safe, safe);
		return -1;
	}
	if (!nas.site[0]) {
		decide(out, CW_DECIDE_NOT_AT_SITE, "NAS %s (RADIUS client %s) is at no site, so it gets no guest"
		       " passphrase (`coworkctl nas set %s --site SITE`)", nas.name, safe, nas.name);
		return -1;
	}
	memcpy(out->site, nas.site, sizeof(out->site));
	memcpy(out->nas, nas.name, sizeof(out->nas));
	return 0;

internal:
	decide(out, CW_DECIDE_INTERNAL, "%s", e.msg);
	return -1;
}

/* The refusal for a (site, SSID) without a passphrase served now (last: the latest end of serving, 0 none). */
static void no_passphrase(cw_guest_decision_t *out, int64_t now, int64_t last)
{
	char safe[CW_LOG_ESCAPED_MAX], at[CW_SITE_NAME_MAX + 16], flag[CW_SITE_NAME_MAX + 16];
	char when[CW_RFC3339_MS_LEN];

	cw_log_escape(out->ssid, strlen(out->ssid), safe, sizeof(safe));
	at[0] = flag[0] = '\0';
	if (out->site[0]) {
		/* Site names follow the id rules: no quote, no control byte. */
		(void)cw_snprintf(at, sizeof(at), " at site %s", out->site);
		(void)cw_snprintf(flag, sizeof(flag), " --site '%s'", out->site);
	}
	if (out->site[0] && !last) {
		decide(out, CW_DECIDE_NOT_AT_SITE, "site %s does not offer guest SSID \"%s\" (NAS %s asked; no passphrase"
		       " for it there: `coworkctl psk rotate --ssid '%s' --site '%s'` offers it)", out->site, safe, out->nas,
		       safe, out->site);
	} else if (last > now) {
		decide(out, CW_DECIDE_NO_PSK, "guest SSID \"%s\"%s has no passphrase valid yet (is the server's clock"
		       " right?): run `coworkctl psk rotate --ssid '%s'%s`", safe, at, safe, flag);
	} else if (last) {
		utc(last, when);
		decide(out, CW_DECIDE_NO_PSK, "guest SSID \"%s\"%s has no valid passphrase (the last one expired at %s):"
		       " run `coworkctl psk rotate --ssid '%s'%s`", safe, at, when, safe, flag);
	} else {
		decide(out, CW_DECIDE_NO_PSK, "guest SSID \"%s\" has no passphrase yet:"
		       " run `coworkctl psk rotate --ssid '%s'`", safe, safe);
	}
}

/* The passphrases in force, checked, with the session's end. 0, or -1 decided. */
static int load_passphrases(cw_registry_t *reg, int64_t now, cw_guest_decision_t *out)
{
	char safe[CW_LOG_ESCAPED_MAX];
	int64_t warn, last, left;
	cw_err_t e;

	if (cw_registry_site_guest_psks(reg, out->site, out->ssid, now, out->psk, &out->n_psk, &warn, &last, &e) < 0) {
		decide(out, CW_DECIDE_INTERNAL, "%s", e.msg);
		return -1;
	}
	if (out->n_psk == 0) {
		no_passphrase(out, now, last);
		return -1;
	}
	for (size_t i = 0; i < out->n_psk; i++) {
		if (!cw_psk_valid(out->psk[i].passphrase, strlen(out->psk[i].passphrase))) {
			cw_log_escape(out->ssid, strlen(out->ssid), safe, sizeof(safe));
			decide(out, CW_DECIDE_INTERNAL, "guest SSID \"%s\" has a passphrase no AP can use", safe);
			return -1;
		}
	}
	out->expires_at = out->psk[0].grace_until;
	left = out->expires_at - now;
	out->session_timeout = (uint32_t)(left < CW_GUEST_SESSION_MAX ? left : CW_GUEST_SESSION_MAX);
	out->expiring = left <= warn;
	return 0;
}

void cw_guest_decide(cw_registry_t *reg, const cw_guest_input_t *in, int64_t now, cw_guest_decision_t *out)
{
	memset(out, 0, sizeof(*out));
	cw_registry_read_begin(reg);
	if (check_station(in, out) < 0 ||
	    cw_decide_ssid(in->called_station, in->called_station_len, out->ssid, &out->result, out->reason,
			   sizeof(out->reason)) < 0 ||
	    check_ssid_and_vlan(reg, out) < 0 ||
	    check_site(reg, in, out) < 0 ||
	    load_passphrases(reg, now, out) < 0) {
		cw_registry_read_end(reg);
		out->vlan = 0;
		cw_guest_decision_wipe(out);
		return;
	}
	cw_registry_read_end(reg);
	/* The hot path of a busy AP: no text to format (see cw_guest_describe). */
	out->result = CW_DECIDE_ACCEPT;
	memcpy(out->reason, "accept", sizeof("accept"));
}

void cw_guest_describe(const cw_guest_decision_t *d, char *buf, size_t len)
{
	char safe[CW_LOG_ESCAPED_MAX];

	if (d->result != CW_DECIDE_ACCEPT) {
		(void)cw_snprintf(buf, len, "%s", d->reason);
		return;
	}
	/* No MAC address here: radiusd's log is not the place for device identifiers. */
	cw_log_escape(d->ssid, strlen(d->ssid), safe, sizeof(safe));
	if (d->site[0]) {
		(void)cw_snprintf(buf, len, "guest on SSID \"%s\" at site %s (NAS %s): %zu passphrase%s, VLAN %u,"
				  " session %u s", safe, d->site, d->nas, d->n_psk, d->n_psk == 1 ? "" : "s", d->vlan,
				  d->session_timeout);
		return;
	}
	(void)cw_snprintf(buf, len, "guest on SSID \"%s\": %zu passphrase%s, VLAN %u, session %u s", safe, d->n_psk,
			  d->n_psk == 1 ? "" : "s", d->vlan, d->session_timeout);
}

void cw_guest_decision_wipe(cw_guest_decision_t *d)
{
	cw_wipe(d->psk, sizeof(d->psk));
	if (d->result != CW_DECIDE_ACCEPT) d->n_psk = 0;
}
