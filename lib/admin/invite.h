/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * invite.h - invitations in the registry (docs/enrollment.md): what
 * `coworkctl invite` and `coworkctl enroll-broker` change and read.
 *
 * An invitation names a member and holds N devices (slots), each a member
 * certificate issued at creation and recorded with cert.pending_invite set
 * (radiusd refuses it, reason `uncollected`), and its PKCS#12 sealed under
 * a key only the invitation's token gives (seal.h). The registry holds the
 * token's lookup hash, never the token. Collecting a device clears
 * pending_invite and deletes the sealed blob in one transaction; an
 * invitation that ends (revoked, expired, or its member removed) revokes
 * its uncollected certificates (cessation-of-operation) and deletes their
 * blobs. Every change and every refusal is a row of invite_event.
 *
 * Each function is one transaction unless it says otherwise; 0 (or the
 * result described) on success, -1 with err.
 */
#ifndef COWORK_INVITE_H
#define COWORK_INVITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "registry_admin.h"

#define CW_INVITE_DEVICES_MIN		1
#define CW_INVITE_DEVICES_MAX		20
#define CW_INVITE_DEVICES_DEFAULT	3
#define CW_INVITE_HOURS_MIN		1
#define CW_INVITE_HOURS_MAX		(30 * 24)
#define CW_INVITE_HOURS_DEFAULT		72

/* Longest client address kept in an event (the table's CHECK). */
#define CW_INVITE_CLIENT_MAX		64

/* --- creating ---------------------------------------------------------------- */

/*
 * Seal the device of slot `slot` (1..devices) of the new invitation
 * `invite_id`: called inside cw_invite_create's transaction, once the id
 * is known (it is in the seal's aad). *out is malloc'd; cw_invite_create
 * frees it. 0, or -1 with err.
 */
typedef int (*cw_invite_seal_fn)(void *arg, int64_t invite_id, unsigned slot, uint8_t **out, size_t *out_len,
				 cw_err_t *err);

typedef struct cw_invite_new {
	const char		*member;
	const char		*lookup;	//!< cw_token_lookup of the token
	unsigned		devices;	//!< CW_INVITE_DEVICES_MIN..MAX
	int64_t			created_at;
	int64_t			expires_at;	//!< > created_at
	const cw_cert_record_t	*certs;		//!< devices of them, slot i + 1 = certs[i], with their OCSP answers
	cw_invite_seal_fn	seal;
	void			*seal_arg;
} cw_invite_new_t;

/*
 * Record a new invitation of in->member (who must exist and be active), its
 * certificates (pending), their sealed devices and the event `created`, in
 * one transaction. *id gets the invitation's id. Returns 0,
 * CW_ADMIN_DUPLICATE when a serial is taken (nothing changed: issue
 * others), or -1.
 */
int cw_invite_create(cw_registry_t *reg, const cw_invite_new_t *in, int64_t *id, cw_err_t *err);

/* --- listing, revoking, sweeping ------------------------------------------------ */

typedef enum {
	CW_INVITE_ACTIVE = 0,	//!< before its expiry, not revoked
	CW_INVITE_ENDED,	//!< expired, or its member removed
	CW_INVITE_REVOKED,	//!< `invite revoke`
} cw_invite_state_t;

/* "active", "ended", "revoked". */
const char *cw_invite_state_name(cw_invite_state_t s);

typedef struct cw_invite_row {
	int64_t			id;
	char			member[CW_ID_MAX + 1];
	unsigned		devices;
	unsigned		collected;
	int64_t			created_at;
	int64_t			expires_at;
	int64_t			revoked_at;	//!< 0: not revoked
	int64_t			ended_at;	//!< 0: its uncollected devices are not revoked yet
	cw_invite_state_t	state;		//!< at the `now` of the call
} cw_invite_row_t;

/* Every invitation, oldest first, with its state at now: fn once each (non-zero stops and is returned). */
int cw_invite_list(cw_registry_t *reg, int64_t now, int (*fn)(void *arg, const cw_invite_row_t *row), void *arg,
		   cw_err_t *err);

/* One invitation: 1 found (*row filled), 0 unknown, -1 error. */
int cw_invite_get(cw_registry_t *reg, int64_t id, int64_t now, cw_invite_row_t *row, cw_err_t *err);

/*
 * Revoke an invitation: its uncollected certificates are revoked
 * (cessation-of-operation) and their sealed devices deleted, revoked_at
 * and ended_at set, the event `revoked` recorded. 0 revoked now (*certs:
 * how many certificates it revoked), 1 when it was already revoked or
 * had ended (nothing changed), -1 (unknown id, ...). *row (may be NULL)
 * gets the invitation after the call.
 */
int cw_invite_revoke(cw_registry_t *reg, int64_t id, int64_t now, cw_invite_row_t *row, unsigned *certs,
		     cw_err_t *err);

/*
 * End, in one transaction, every invitation that has not ended and whose
 * expiry passed (event `expired`) or whose member was removed (event
 * `ended`), as cw_invite_revoke does without revoking it. *ended and
 * *certs get how many invitations ended and certificates were revoked.
 */
int cw_invite_sweep(cw_registry_t *reg, int64_t now, unsigned *ended, unsigned *certs, cw_err_t *err);

/* --- audit -------------------------------------------------------------------- */

typedef struct cw_invite_event {
	int64_t	at;
	int64_t	invite_id;			//!< 0: none (a token that names no invitation)
	char	member[CW_ID_MAX + 1];		//!< "" without an invitation
	char	event[16];
	char	reason[33];			//!< "" unless refused
	char	serial[CW_SERIAL_HEX_MAX + 1];	//!< "" when none
	char	platform[16];			//!< "" when none
	char	client[CW_INVITE_CLIENT_MAX + 1];	//!< "" when none
} cw_invite_event_t;

/* The audit rows, oldest first; invite_id 0 for all of them. fn as cw_invite_list. */
int cw_invite_events(cw_registry_t *reg, int64_t invite_id, int (*fn)(void *arg, const cw_invite_event_t *ev),
		     void *arg, cw_err_t *err);

/*
 * Record one audit row alone (its own transaction): the broker's
 * `rate-limited`. invite_id 0 for none; reason, serial, platform and
 * client may be NULL.
 */
int cw_invite_event_add(cw_registry_t *reg, int64_t now, int64_t invite_id, const char *event, const char *reason,
			const char *client, cw_err_t *err);

/* --- the enroll-broker's requests ----------------------------------------------- */

typedef enum {
	CW_ENROLL_OPEN = 0,
	CW_ENROLL_COLLECT,
	CW_ENROLL_LOST,
} cw_enroll_verb_t;

/* "OPEN", "COLLECT", "LOST". */
const char *cw_enroll_verb_name(cw_enroll_verb_t v);

/* The platforms COLLECT accepts (the table's CHECK): 0, or -1. */
int cw_enroll_platform_check(const char *platform);

typedef struct cw_enroll_req {
	cw_enroll_verb_t	verb;
	const char		*lookup;	//!< the token's lookup hash; NULL for a malformed token
	const char		*client;	//!< the client's address, canonical (CW_INVITE_CLIENT_MAX at most)
	const char		*platform;	//!< COLLECT: one cw_enroll_platform_check accepts
	const char		*serial;	//!< LOST: normalised (cw_serial_normalise)
} cw_enroll_req_t;

/* A certificate of the member, for the enrollment page. */
typedef struct cw_enroll_device {
	char	serial[CW_SERIAL_HEX_MAX + 1];
	char	state[16];		//!< "active", "revoked", "expired" or "uncollected"
	int64_t	not_after;
	char	platform[16];		//!< the platform it was collected for; "" otherwise
	int64_t	last_seen;		//!< 0 here; the broker fills it from the access log
} cw_enroll_device_t;

/* A guest SSID with its passphrase in force, for members (psk policy --members-see yes). */
typedef struct cw_enroll_guest {
	char	ssid[CW_SSID_MAX + 1];
	char	passphrase[64];		//!< secret: wiped by cw_enroll_answer_free
	int64_t	valid_until;
} cw_enroll_guest_t;

/* What an accepted request answers (docs/enrollment.md, "Broker protocol"). */
typedef struct cw_enroll_answer {
	int64_t			invite_id;
	char			member[CW_ID_MAX + 1];
	char			org[CW_DN_MAX];
	char			server_name[256];
	int64_t			expires_at;
	unsigned		devices_left;	//!< devices COLLECT can still give
	size_t			n_ssids;
	char			(*ssids)[CW_SSID_MAX + 1];	//!< the member SSIDs, by name
	size_t			n_devices;
	cw_enroll_device_t	*devices;	//!< every certificate of the member, oldest first
	size_t			n_guests;
	cw_enroll_guest_t	*guests;
	/* COLLECT: the device handed out. */
	unsigned		slot;
	char			serial[CW_SERIAL_HEX_MAX + 1];
	uint8_t			*sealed;
	size_t			sealed_len;
	/* LOST: the certificate reported lost. */
	bool			lost_newly;	//!< revoked by this request (false: it already was)
	/* A refusal: why (the audit row's reason), never sent to the client. */
	char			reason[33];
} cw_enroll_answer_t;

/*
 * Answer one request, in one transaction: find the invitation by its
 * lookup hash and refuse (returning 0, with ans->reason) an unknown or
 * malformed token, a revoked, expired or ended invitation (an expired one
 * or one of a removed member is ended then, as by cw_invite_sweep), a
 * member who is not active or outside the membership, COLLECT with no
 * device left, LOST of a serial that is not the member's. Otherwise
 * (returning 1) do the request's change: COLLECT takes the next
 * uncollected device whose certificate is not revoked, clears its
 * certificate's pending_invite, deletes its sealed blob and records the
 * platform; LOST revokes the certificate (key-compromise) as `cert revoke`
 * does (cw_admin_cert_revoke_in) and deletes its sealed blob if it had
 * one. Then fill *ans with what the answer says. The event (`opened`,
 * `collected`, `lost` or `refused` with its reason) is recorded in the same
 * transaction. -1 with err on a registry error (nothing changed).
 * *ans is always to be freed with cw_enroll_answer_free.
 */
int cw_enroll_answer(cw_registry_t *reg, const cw_enroll_req_t *req, int64_t now, cw_enroll_answer_t *ans,
		     cw_err_t *err);

/* Wipe and free what an answer holds (passphrases, the sealed device); accepts a zeroed one. */
void cw_enroll_answer_free(cw_enroll_answer_t *ans);

#endif
