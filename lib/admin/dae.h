/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dae.h - a RADIUS Dynamic Authorization client (RFC 5176): Disconnect-
 * Requests to access points, so that a revoked certificate or a suspended
 * member loses a connection that is already up.
 *
 * A Disconnect-Request identifies the session the way the NAS reported it
 * in accounting (Acct-Session-Id, User-Name, Calling-Station-Id, and
 * NAS-Identifier or NAS-IP-Address), carries Event-Timestamp (replay
 * protection, RFC 5176 3.3) and Message-Authenticator (RFC 3579 3.2), and
 * is authenticated like an Accounting-Request (RFC 5176 3.4). The NAS
 * answers Disconnect-ACK, or Disconnect-NAK with an Error-Cause.
 *
 * Secrets are passed in by the caller and never copied, printed or put in
 * an error message.
 */
#ifndef COWORK_DAE_H
#define COWORK_DAE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "cowork.h"

#define CW_DAE_PORT_DEFAULT	3799
/*
 * Shared secrets of NAS definitions: at least 16 bytes, as RFC 2865 3
 * recommends. Both authenticators are MD5 over the packet and the secret:
 * one captured Disconnect-Request lets anyone test guesses offline, and a
 * short secret falls to that in hours. 128 is the registry's bound.
 */
#define CW_DAE_SECRET_MIN	16
#define CW_DAE_SECRET_MAX	128

#define CW_RADIUS_MAX		4096

#define CW_DAE_DISCONNECT_REQUEST	40
#define CW_DAE_DISCONNECT_ACK		41
#define CW_DAE_DISCONNECT_NAK		42

/* What identifies the session to end. Strings are NUL-terminated; NULL or "" leaves the attribute out. */
typedef struct cw_dae_session {
	const char	*acct_session_id;	//!< required
	const char	*user_name;
	const char	*calling_station;
	const char	*nas_identifier;
	bool		has_nas_ip;
	uint8_t		nas_ip[4];		//!< NAS-IP-Address, network order
	uint32_t	event_timestamp;	//!< Unix time
} cw_dae_session_t;

/*
 * Build a Disconnect-Request with this identifier into out: the session's
 * attributes, Event-Timestamp, then Message-Authenticator = HMAC-MD5 over
 * the packet with a zero Request Authenticator, then the Request
 * Authenticator = MD5(packet with 16 zero octets in its place, secret).
 * 0 with *len set, or -1 with err (a value too long for an attribute, no
 * Acct-Session-Id, crypto failure).
 */
int cw_dae_build(const cw_dae_session_t *s, uint8_t identifier, const void *secret, size_t secret_len,
		 uint8_t out[CW_RADIUS_MAX], size_t *len, cw_err_t *err);

/* A verified answer. */
typedef struct cw_dae_answer {
	uint8_t		code;			//!< CW_DAE_DISCONNECT_ACK or _NAK
	bool		has_error_cause;
	uint32_t	error_cause;		//!< RFC 5176 3.5
	bool		has_message_authenticator;
} cw_dae_answer_t;

/*
 * Check an answer to req[0..req_len): sound structure (length field,
 * attribute lengths), code ACK or NAK, the request's identifier, Response
 * Authenticator = MD5(answer with the Request Authenticator in its place,
 * secret), and the Message-Authenticator when there is one (HMAC-MD5 over
 * the answer with the Request Authenticator in place, RFC 5176 3.4). The
 * source address is the transport's to check (cw_dae_send does). 0 with
 * *ans set, or -1 with err saying what was wrong.
 */
int cw_dae_verify(const uint8_t *req, size_t req_len, const uint8_t *pkt, size_t len, const void *secret,
		  size_t secret_len, cw_dae_answer_t *ans, cw_err_t *err);

/* "Session-Context-Not-Found" for 503, and so on (RFC 5176 3.5); "unknown" otherwise. */
const char *cw_dae_error_cause_name(uint32_t cause);

typedef enum cw_dae_outcome {
	CW_DAE_PENDING = 0,	//!< not sent yet / no answer yet
	CW_DAE_ACKED,		//!< Disconnect-ACK: the session ended
	CW_DAE_NAKED,		//!< Disconnect-NAK (see answer.error_cause)
	CW_DAE_NO_ANSWER,	//!< no valid answer in time
	CW_DAE_FAILED,		//!< could not be built or sent (see error)
} cw_dae_outcome_t;

/* One Disconnect-Request to send, and what came of it. */
typedef struct cw_dae_target {
	struct sockaddr_storage	addr;		//!< the NAS and its CoA port
	socklen_t		addr_len;
	const void		*secret;	//!< not copied: keep it until cw_dae_send returns
	size_t			secret_len;
	cw_dae_session_t	session;
	/* Filled by cw_dae_send. */
	cw_dae_outcome_t	outcome;
	cw_dae_answer_t		answer;
	unsigned		sent;		//!< transmissions
	unsigned		discarded;	//!< answers that failed a check
	cw_err_t		error;		//!< FAILED: why; else the last discarded answer's fault
	/* Private to cw_dae_send. */
	uint8_t			packet[CW_RADIUS_MAX];
	size_t			packet_len;
	int64_t			last_sent_ms;
} cw_dae_target_t;

typedef struct cw_dae_config {
	unsigned	timeout_ms;	//!< how long to wait for answers, in all
	unsigned	retry_ms;	//!< pause before a retransmission (same packet, RFC 5176 2.3)
	unsigned	max_sends;	//!< transmissions per request, at least 1
} cw_dae_config_t;

/*
 * Send every target's Disconnect-Request at once (one socket per address
 * family, poll), retransmit unanswered ones every retry_ms up to max_sends
 * times, and take the first answer that comes from the target's address and
 * port with its identifier and passes cw_dae_verify; anything else is
 * discarded (and counted). Returns when every target is answered or
 * timeout_ms has passed: each target's outcome is set. More than 256
 * targets go in rounds of 256 (the identifier space). Returns 0, or -1 with
 * err only for a local failure that stopped everything (no socket).
 */
int cw_dae_send(cw_dae_target_t *targets, size_t n, const cw_dae_config_t *cfg, cw_err_t *err);

#endif
