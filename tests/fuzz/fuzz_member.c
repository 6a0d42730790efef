/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_member.c - the member decision, from the request's TLS-Client-Cert-*
 * attributes and Called-Station-Id to Accept-with-VLAN or a refusal:
 *  - mode 0: cw_member_decide against a real registry (fixture) with the
 *    attributes from the input (the serial often one the registry knows);
 *  - mode 1: cw_member_decide_serial (the check inside the TLS handshake);
 *  - mode 2: cw_member_evaluate with a registry row made from the input
 *    (hostile registry contents: any status, dates, tenant VLAN).
 * Never an Accept of a revoked, uncollected, suspended, ended or unknown certificate,
 * on a non-member SSID, or on a VLAN that is staff, guest or outside the
 * plan's member VLANs; the reason and texts are always terminated.
 */
#include "fuzz.h"
#include "member.h"
#include "registry_fixture.h"
#include "serial.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cw_registry_t *reg;
static cw_vlan_plan_t plan;

static const char *const serials[] = { "1a2b", "3c4d", "5e6f", "7a", "8b", "9c", "1A:2B", "0x3C4D", "ffff" };

/* with_vlan: an Accept carries a VLAN (not so in the handshake, which has no SSID yet). */
static void check_decision(const cw_member_decision_t *d, bool with_vlan)
{
	FZ_CHECK(FZ_TERMINATED(d->reason) && d->reason[0], "reason not terminated or empty");
	FZ_CHECK(FZ_TERMINATED(d->serial) && FZ_TERMINATED(d->member) && FZ_TERMINATED(d->ssid), "a text not terminated");
	FZ_CHECK(d->result != CW_DECIDE_UNSET, "no result set (reason \"%s\")", d->reason);
	if (d->result != CW_DECIDE_ACCEPT) {
		FZ_CHECK(d->vlan == 0, "a refusal with VLAN %u", d->vlan);
		return;
	}
	if (!with_vlan) {
		FZ_CHECK(d->vlan == 0, "a handshake Accept with VLAN %u", d->vlan);
		return;
	}
	FZ_CHECK(!cw_vlan_set_contains(&plan.staff, d->vlan), "Accept on staff VLAN %u", d->vlan);
	FZ_CHECK(d->vlan != plan.guest, "Accept on the guest VLAN");
	FZ_CHECK(d->vlan == plan.shared || cw_vlan_set_contains(&plan.members, d->vlan), "Accept on VLAN %u", d->vlan);
}

static void input(fz_t *f, cw_member_input_t *in)
{
	uint8_t pick = fz_u8(f);

	memset(in, 0, sizeof(*in));
	if (pick < 128) {
		in->serial = serials[pick % (sizeof(serials) / sizeof(serials[0]))];
		in->serial_len = strlen(in->serial);
	} else {
		in->serial = fz_field(f, &in->serial_len);
	}
	if (fz_u8(f) & 1) {
		in->issuer = "/O=Test Space/CN=Test Space CA";
		in->issuer_len = strlen(in->issuer);
	} else {
		in->issuer = fz_field(f, &in->issuer_len);
	}
	in->subject = fz_field(f, &in->subject_len);
	in->expiration = fz_field(f, &in->expiration_len);
	in->called_station = fz_field(f, &in->called_station_len);
}

static void decide(fz_t *f)
{
	cw_member_input_t in;
	cw_member_decision_t d;

	input(f, &in);
	memset(&d, 'x', sizeof(d));
	cw_member_decide(reg, &in, FZ_NOW, &d);
	check_decision(&d, true);
	if (d.result == CW_DECIDE_ACCEPT) {
		/* Only alice's 1a2b (tenant acme, VLAN 100) and bob's 3c4d (shared) may pass. */
		FZ_CHECK((strcmp(d.serial, "1a2b") == 0 && d.vlan == 100) || (strcmp(d.serial, "3c4d") == 0 && d.vlan == 190),
			 "Accept of %s on VLAN %u", d.serial, d.vlan);
		FZ_CHECK(strcmp(d.ssid, "CoworkMembers") == 0, "Accept on SSID \"%s\"", d.ssid);
	}
}

static void decide_serial(fz_t *f)
{
	cw_member_decision_t d;
	const char *serial = fz_u8(f) < 64 ? serials[fz_u8(f) % (sizeof(serials) / sizeof(serials[0]))] : fz_cstr(f);

	memset(&d, 'x', sizeof(d));
	cw_member_decide_serial(reg, serial, FZ_NOW, &d);
	check_decision(&d, false);
	if (d.result == CW_DECIDE_ACCEPT)
		FZ_CHECK(strcmp(d.serial, "1a2b") == 0 || strcmp(d.serial, "3c4d") == 0, "handshake Accept of %s",
			 d.serial);
}

static void evaluate(fz_t *f)
{
	cw_member_input_t in;
	cw_member_decision_t d;
	cw_cert_row_t row;
	cw_decide_result_t r;
	cw_err_t e;
	int ssid_class;

	input(f, &in);
	memset(&row, 0, sizeof(row));
	snprintf(row.serial, sizeof(row.serial), "%s", "1a2b");
	snprintf(row.subject, sizeof(row.subject), "%s", fz_cstr(f));
	snprintf(row.issuer, sizeof(row.issuer), "%s", fz_u8(f) & 1 ? "/O=Test Space/CN=Test Space CA" : fz_cstr(f));
	row.not_before = fz_i64(f);
	row.not_after = fz_i64(f);
	row.revoked = fz_u8(f) & 1;
	row.revoked_at = row.revoked ? fz_i64(f) : 0;
	snprintf(row.revoke_reason, sizeof(row.revoke_reason), "%s", row.revoked ? "key-compromise" : "");
	snprintf(row.member, sizeof(row.member), "%s", fz_cstr(f));
	row.member_status = (cw_member_status_t)(fz_u8(f) % 4);
	row.member_from = fz_i64(f);
	row.member_until = fz_i64(f);
	row.has_tenant = fz_u8(f) & 1;
	snprintf(row.tenant, sizeof(row.tenant), "%s", row.has_tenant ? "acme" : "");
	row.tenant_vlan = row.has_tenant ? (uint16_t)fz_u32(f) : 0;
	ssid_class = (int)(fz_u8(f) % 5) - 1;
	row.pending_invite = fz_u8(f) & 1 ? fz_i64(f) : 0;

	/* What cw_member_decide's input step leaves in the decision. */
	memset(&d, 0, sizeof(d));
	if (!in.serial || cw_serial_normalise(in.serial, in.serial_len, d.serial, &e) < 0 ||
	    cw_decide_ssid(in.called_station, in.called_station_len, d.ssid, &r, d.reason, sizeof(d.reason)) < 0)
		return;
	cw_member_evaluate(&in, &row, ssid_class, &plan, fz_u8(f) != 0, FZ_NOW, &d);
	check_decision(&d, true);
	if (d.result == CW_DECIDE_ACCEPT) {
		FZ_CHECK(!row.revoked, "Accept of a revoked certificate");
		FZ_CHECK(row.pending_invite == 0, "Accept of an uncollected certificate");
		FZ_CHECK(row.member_status == CW_MEMBER_ACTIVE, "Accept of a member with status %d", (int)row.member_status);
		FZ_CHECK(ssid_class == CW_SSID_MEMBER, "Accept on SSID class %d", ssid_class);
		FZ_CHECK(row.not_before <= FZ_NOW && FZ_NOW < row.not_after, "Accept outside the certificate's validity");
		FZ_CHECK(row.member_from <= FZ_NOW && (row.member_until == 0 || FZ_NOW < row.member_until),
			 "Accept outside the membership");
		FZ_CHECK(d.vlan == (row.has_tenant ? row.tenant_vlan : plan.shared), "Accept on VLAN %u", d.vlan);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_plan(&plan);
	reg = fz_registry();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_t f;

	fz_init(&f, data, size);
	switch (fz_u8(&f) % 3) {
	case 0: decide(&f); break;
	case 1: decide_serial(&f); break;
	default: evaluate(&f); break;
	}
	fz_free(&f);
	return 0;
}
