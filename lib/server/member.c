/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * member.c - the member path's decision.
 */
#include <strings.h>
#include <string.h>

#include "member.h"
#include "timeutil.h"

static void decide(cw_member_decision_t *out, cw_decide_result_t r, const char *fmt, ...) CW_PRINTF(3, 4);

static void decide(cw_member_decision_t *out, cw_decide_result_t r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cw_decide_vset(&out->result, out->reason, sizeof(out->reason), r, fmt, ap);
	va_end(ap);
}

/* Does the attribute hold exactly the registered text? */
static bool same_text(const char *attr, size_t len, const char *registered)
{
	return attr && strlen(registered) == len && memcmp(attr, registered, len) == 0;
}

static void utc(int64_t t, char buf[CW_RFC3339_MS_LEN])
{
	if (cw_time_format_rfc3339(t, buf) < 0) (void)cw_snprintf(buf, CW_RFC3339_MS_LEN, "?");
}

/*
 * Check and normalise what the request says before any lookup: the serial
 * and the SSID. Fills out->serial and out->ssid. 0, or -1 with the
 * refusal decided.
 */
static int parse_input(const cw_member_input_t *in, cw_member_decision_t *out)
{
	cw_err_t e;

	if (!in->serial) {
		decide(out, CW_DECIDE_BAD_INPUT, "request has no TLS-Client-Cert-Serial");
		return -1;
	}
	if (cw_serial_normalise(in->serial, in->serial_len, out->serial, &e) < 0) {
		decide(out, CW_DECIDE_BAD_INPUT, "malformed TLS-Client-Cert-Serial: %s", e.msg);
		return -1;
	}
	return cw_decide_ssid(in->called_station, in->called_station_len, out->ssid, &out->result, out->reason,
			      sizeof(out->reason));
}

/* The certificate presented must be the one we issued under that serial. */
static int check_cert_matches(const cw_member_input_t *in, const cw_cert_row_t *row, cw_member_decision_t *out)
{
	char expiry[16];

	if (!same_text(in->issuer, in->issuer_len, row->issuer)) {
		decide(out, CW_DECIDE_WRONG_ISSUER,
		       "certificate %s claims serial of %s's but its issuer is not our CA", out->serial, row->member);
		return -1;
	}
	if (!same_text(in->subject, in->subject_len, row->subject)) {
		decide(out, CW_DECIDE_WRONG_ISSUER,
		       "certificate %s: subject differs from the one issued to %s", out->serial, row->member);
		return -1;
	}
	if (cw_asn1_time_format(row->not_after, expiry) < 0 ||
	    !same_text(in->expiration, in->expiration_len, expiry)) {
		decide(out, CW_DECIDE_WRONG_ISSUER,
		       "certificate %s: expiry differs from the one issued to %s", out->serial, row->member);
		return -1;
	}
	return 0;
}

/* Revocation, the member's status and dates, the certificate's dates. */
static int check_standing(const cw_cert_row_t *row, int64_t now, cw_member_decision_t *out)
{
	char when[CW_RFC3339_MS_LEN];

	if (row->revoked) {
		utc(row->revoked_at, when);
		decide(out, CW_DECIDE_REVOKED, "certificate %s of %s was revoked at %s (%s)", out->serial,
		       row->member, when, row->revoke_reason);
		return -1;
	}
	/* Issued for an invitation, still waiting to be collected: no device holds it yet. */
	if (row->pending_invite != 0) {
		decide(out, CW_DECIDE_UNCOLLECTED, "certificate %s of %s was issued for invitation %lld and has not"
		       " been collected", out->serial, row->member, (long long)row->pending_invite);
		return -1;
	}
	if (row->member_status != CW_MEMBER_ACTIVE) {
		decide(out, CW_DECIDE_SUSPENDED, "member %s is %s (certificate %s)", row->member,
		       cw_member_status_name(row->member_status), out->serial);
		return -1;
	}
	if (now < row->member_from) {
		utc(row->member_from, when);
		decide(out, CW_DECIDE_NOT_STARTED, "membership of %s starts at %s", row->member, when);
		return -1;
	}
	if (row->member_until != 0 && now >= row->member_until) {
		utc(row->member_until, when);
		decide(out, CW_DECIDE_ENDED, "membership of %s ended at %s", row->member, when);
		return -1;
	}
	if (now < row->not_before || now > row->not_after) {
		utc(row->not_after, when);
		decide(out, CW_DECIDE_CERT_EXPIRED, "certificate %s of %s is outside its validity (ends %s)",
		       out->serial, row->member, when);
		return -1;
	}
	return 0;
}

static int check_ssid(int ssid_class, cw_member_decision_t *out)
{
	char safe[CW_LOG_ESCAPED_MAX];

	cw_log_escape(out->ssid, strlen(out->ssid), safe, sizeof(safe));
	if (ssid_class < 0) {
		decide(out, CW_DECIDE_BAD_SSID, "SSID \"%s\" is not in the registry", safe);
		return -1;
	}
	if (ssid_class != CW_SSID_MEMBER) {
		decide(out, CW_DECIDE_BAD_SSID, "SSID \"%s\" is a %s SSID, not a member SSID", safe,
		       cw_ssid_class_name((cw_ssid_class_t)ssid_class));
		return -1;
	}
	return 0;
}

static void unknown_cert(cw_member_decision_t *out)
{
	decide(out, CW_DECIDE_UNKNOWN_CERT, "certificate %s was not issued by this registry", out->serial);
}

void cw_member_evaluate(const cw_member_input_t *in, const cw_cert_row_t *row, int ssid_class,
			const cw_vlan_plan_t *plan, int plan_defined, int64_t now, cw_member_decision_t *out)
{
	unsigned vlan;
	cw_err_t e;

	if (!row) {
		unknown_cert(out);
		return;
	}
	(void)cw_snprintf(out->member, sizeof(out->member), "%s", row->member);
	if (check_cert_matches(in, row, out) < 0) return;
	if (check_standing(row, now, out) < 0) return;
	if (check_ssid(ssid_class, out) < 0) return;
	if (!plan_defined) {
		decide(out, CW_DECIDE_BAD_VLAN, "no VLAN plan in the registry (run `coworkctl vlan set`)");
		return;
	}
	vlan = row->has_tenant ? row->tenant_vlan : plan->shared;
	if (cw_vlan_check_member(plan, vlan, &e) < 0) {
		decide(out, CW_DECIDE_BAD_VLAN, "refusing VLAN for %s: %s", row->member, e.msg);
		return;
	}
	out->vlan = (uint16_t)vlan;
	out->binding = row->binding;
	out->not_after = row->not_after;
	if (row->has_tenant) {
		decide(out, CW_DECIDE_ACCEPT, "member %s of tenant %s, certificate %s: VLAN %u", row->member,
		       row->tenant, out->serial, vlan);
	} else {
		decide(out, CW_DECIDE_ACCEPT, "member %s, certificate %s: shared VLAN %u", row->member, out->serial,
		       vlan);
	}
}

static void decide_with(cw_registry_t *reg, const cw_member_input_t *in, int64_t now, cw_member_decision_t *out);

void cw_member_decide(cw_registry_t *reg, const cw_member_input_t *in, int64_t now, cw_member_decision_t *out)
{
	memset(out, 0, sizeof(*out));
	if (parse_input(in, out) < 0) return;

	cw_registry_read_begin(reg);
	decide_with(reg, in, now, out);
	cw_registry_read_end(reg);
}

/* cw_member_decide's lookups and verdict, inside a read bracket. */
static void decide_with(cw_registry_t *reg, const cw_member_input_t *in, int64_t now, cw_member_decision_t *out)
{
	cw_cert_row_t row;
	cw_vlan_plan_t plan;
	cw_ssid_class_t cls;
	int found, ssid_found, plan_defined;
	cw_err_t e;

	found = cw_registry_cert_lookup(reg, out->serial, &row, &e);
	if (found < 0) goto internal;
	if (found == 0) {
		cw_member_evaluate(in, NULL, -1, NULL, 0, now, out);
		return;
	}
	ssid_found = cw_registry_ssid_class(reg, out->ssid, &cls, &e);
	if (ssid_found < 0) goto internal;
	plan_defined = cw_registry_vlan_plan(reg, &plan, &e);
	if (plan_defined == CW_REGISTRY_PLAN_UNSAFE) {
		decide(out, CW_DECIDE_BAD_VLAN, "the registry's VLAN plan is unsafe: %s", e.msg);
		return;
	}
	if (plan_defined < 0) goto internal;
	cw_member_evaluate(in, &row, ssid_found ? (int)cls : -1, &plan, plan_defined, now, out);
	return;

internal:
	decide(out, CW_DECIDE_INTERNAL, "%s", e.msg);
}

void cw_member_decide_serial(cw_registry_t *reg, const char *serial, int64_t now, cw_member_decision_t *out)
{
	cw_cert_row_t row;
	cw_err_t e;
	int found;

	memset(out, 0, sizeof(*out));
	if (!serial || cw_serial_normalise(serial, strlen(serial), out->serial, &e) < 0) {
		decide(out, CW_DECIDE_BAD_INPUT, "malformed serial: %s", serial ? e.msg : "none");
		return;
	}
	found = cw_registry_cert_lookup(reg, out->serial, &row, &e);
	if (found < 0) {
		decide(out, CW_DECIDE_INTERNAL, "%s", e.msg);
		return;
	}
	if (found == 0) {
		unknown_cert(out);
		return;
	}
	(void)cw_snprintf(out->member, sizeof(out->member), "%s", row.member);
	if (check_standing(&row, now, out) < 0) return;
	out->binding = row.binding;
	out->not_after = row.not_after;
	decide(out, CW_DECIDE_ACCEPT, "certificate %s of %s may connect", out->serial, row.member);
}

cw_identity_t cw_member_identity(const char *identity, size_t len, const char *member)
{
	const char *at = identity ? memchr(identity, '@', len) : NULL;
	size_t user_len = at ? (size_t)(at - identity) : len;

	if (!identity || user_len == 0) return CW_IDENTITY_ANONYMOUS;
	if (user_len == strlen("anonymous") && strncasecmp(identity, "anonymous", user_len) == 0)
		return CW_IDENTITY_ANONYMOUS;
	if (same_text(identity, user_len, member)) return CW_IDENTITY_MEMBER;
	return CW_IDENTITY_OTHER;
}
