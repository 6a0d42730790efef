/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * member.h - the member path's decision: may this certificate connect,
 * here, now, and on which VLAN?
 *
 * The module passes what the request says (TLS-Client-Cert-* attributes,
 * Called-Station-Id) as untrusted text; everything is length- and
 * format-checked here before use. Any doubt is a refusal.
 */
#ifndef COWORK_MEMBER_H
#define COWORK_MEMBER_H

#include <stddef.h>
#include <stdint.h>

#include "decision.h"
#include "registry.h"


/* What the request says, as received. Pointers may be NULL (absent). */
typedef struct cw_member_input {
	const char	*serial;		//!< TLS-Client-Cert-Serial
	size_t		serial_len;
	const char	*issuer;		//!< TLS-Client-Cert-Issuer
	size_t		issuer_len;
	const char	*subject;		//!< TLS-Client-Cert-Subject
	size_t		subject_len;
	const char	*expiration;		//!< TLS-Client-Cert-Expiration
	size_t		expiration_len;
	const char	*called_station;	//!< Called-Station-Id
	size_t		called_station_len;
} cw_member_input_t;

typedef struct cw_member_decision {
	cw_decide_result_t	result;
	char			reason[CW_REASON_MAX];		//!< For radiusd's log; no secret.
	char			serial[CW_SERIAL_HEX_MAX + 1];	//!< Normalised, "" if malformed.
	char			member[CW_ID_MAX + 1];		//!< "" when unknown.
	char			ssid[CW_SSID_MAX + 1];
	uint16_t		vlan;				//!< Set on ACCEPT only.
	cw_binding_t		binding;			//!< Device binding in force (set on ACCEPT).
	int64_t			not_after;			//!< The certificate's end (set on ACCEPT).
} cw_member_decision_t;

/*
 * Decide on a member certificate: look the serial up, check the
 * certificate matches what we issued, the member's status and dates, the
 * SSID's class and the VLAN. reg must be a reader connection. Fills *out
 * (always, whatever the result).
 */
void cw_member_decide(cw_registry_t *reg, const cw_member_input_t *in, int64_t now, cw_member_decision_t *out);

/*
 * The certificate alone, as the OCSP responder sees it during the TLS
 * handshake: by serial (normalised here), is it one this registry
 * recorded, not revoked, its member active and within the membership
 * dates, and now within the certificate's validity? The same checks, in
 * the same order and with the same reasons, as cw_member_decide; but no
 * SSID and no VLAN (check-eap-tls and post-auth decide those after the
 * handshake) and no comparison with the presented certificate's details
 * (the handshake verified our CA's signature over them). reg must be a
 * reader connection. Fills *out: ACCEPT (with the device binding policy
 * and the certificate's end) or the refusal.
 */
void cw_member_decide_serial(cw_registry_t *reg, const char *serial, int64_t now, cw_member_decision_t *out);

/*
 * The pure part of the decision, without a database: given the registry
 * facts, decide. ssid_class < 0 means the SSID is not in the registry;
 * plan_defined = 0 means no VLAN plan. Used by cw_member_decide and by
 * unit tests.
 */
void cw_member_evaluate(const cw_member_input_t *in, const cw_cert_row_t *row, int ssid_class,
			const cw_vlan_plan_t *plan, int plan_defined, int64_t now, cw_member_decision_t *out);

/* What an outer EAP identity says about the member whose certificate was accepted. */
typedef enum cw_identity {
	CW_IDENTITY_MEMBER,	//!< the member id, alone or as member@realm
	CW_IDENTITY_ANONYMOUS,	//!< none, empty, "anonymous[@realm]" (any case) or "@realm"
	CW_IDENTITY_OTHER,	//!< anything else: someone else's name, a role, garbage
} cw_identity_t;

/*
 * Classify the outer identity (User-Name: untrusted, not terminated, may
 * be NULL) presented with member's certificate. In EAP-TLS the identity is
 * not authenticated, only the certificate is: an anonymous identity is
 * normal (RFC 7542 2.4), a different name is worth a warning, and the
 * Access-Accept names the member in every case.
 */
cw_identity_t cw_member_identity(const char *identity, size_t len, const char *member);

#endif
