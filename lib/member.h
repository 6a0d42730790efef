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
 * reader connection. Fills *out: ACCEPT or the refusal.
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

#endif
