/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * session.h - live member sessions, from RADIUS accounting (RFC 2866), so
 * that a revocation can reach a device that is already connected
 * (RFC 5176 Disconnect-Request, see dae.h).
 *
 * The module puts Class = "cowork:<serial>:<issued>:<tag>" into a member's
 * Access-Accept; the NAS echoes it in every Accounting-Request of that
 * session (RFC 2865 5.25). The tag (a truncated HMAC-SHA-256 under a key
 * only radiusd holds, derived from the device key) makes the Class
 * unforgeable: any RADIUS client may send accounting, but only a Class
 * this server issued can make or change a session row. Start and
 * Interim-Update make or refresh a live row in the access
 * log file's table `session` (sql/accesslog/0002_session.sql), Stop ends it
 * and clears what only a Disconnect-Request needs (User-Name, the MAC),
 * Accounting-On/Off (the NAS rebooted) ends every live session of that NAS.
 *
 * Minimal like the access log: accounting without our Class stores
 * nothing; an ended session keeps only the keyed device hash, member,
 * serial, NAS and times, and is deleted with the access log's retention. A
 * live session that has not been heard of for CW_SESSION_STALE_MS counts as
 * ended at the next purge.
 */
#ifndef COWORK_SESSION_H
#define COWORK_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accesslog.h"
#include "devhash.h"
#include "mac.h"
#include "registry.h"
#include "serial.h"

#define CW_CLASS_PREFIX		"cowork:"
#define CW_CLASS_PREFIX_LEN	(sizeof(CW_CLASS_PREFIX) - 1)
/* The Class MAC key, derived from the device key (cw_session_class_key). */
#define CW_CLASS_KEY_LEN	32
/* Bytes of HMAC-SHA-256 kept in the Class (128 bits), written in lowercase hex. */
#define CW_CLASS_TAG_LEN	16
/* Decimal digits of the issue time (seconds since the epoch, non-negative int64). */
#define CW_CLASS_ISSUED_MAX	19
/* "cowork:" serial ":" issued ":" tag: at most 7 + 40 + 1 + 19 + 1 + 32 = 100 bytes, printable. */
#define CW_CLASS_MAX		(CW_CLASS_PREFIX_LEN + CW_SERIAL_HEX_MAX + 1 + CW_CLASS_ISSUED_MAX + 1 + 2 * CW_CLASS_TAG_LEN)

/*
 * Live sessions kept per NAS (source address) unless the module says
 * otherwise: a Start beyond it is ignored, so that no client, however
 * misbehaving, can grow the table without bound.
 */
#define CW_SESSION_MAX_LIVE_PER_NAS	4096

/*
 * Longest Acct-Session-Id kept. Every NAS we know sends at most 32
 * characters (hostapd 16 hex digits, Cisco 8, Aruba and Meraki under 32);
 * longer is refused rather than cut, since the id must go back unchanged.
 */
#define CW_ACCT_SESSION_ID_MAX	128
/* Longest User-Name or NAS-Identifier kept: a whole RADIUS attribute. */
#define CW_ACCT_TEXT_MAX	253
/* An IPv6 address in text (INET6_ADDRSTRLEN - 1). */
#define CW_NAS_ADDRESS_MAX	45

/*
 * A live session not updated for this long counts as ended (2 days). The
 * module asks for an Interim-Update every hour (acct_interim_interval), so
 * only a session whose NAS went silent for two days is affected.
 */
#define CW_SESSION_STALE_MS	(2 * 86400 * INT64_C(1000))

/* Acct-Status-Type values we act on (RFC 2866 5.1). */
typedef enum cw_acct_status {
	CW_ACCT_START	= 1,
	CW_ACCT_STOP	= 2,
	CW_ACCT_INTERIM	= 3,
	CW_ACCT_ON	= 7,
	CW_ACCT_OFF	= 8,
} cw_acct_status_t;

/*
 * An IP address in canonical text (inet_ntop), so that the same address
 * always compares equal; only_family AF_INET accepts IPv4 only, 0 either.
 * 0, or -1 when in is not an address.
 */
int cw_ip_canonical(const char *in, int only_family, char out[CW_NAS_ADDRESS_MAX + 1]);

/*
 * The Class MAC key: HMAC-SHA-256(device_key, a label of its own), so that
 * the device key's other use (device hashes) and this one never meet, and
 * no new secret file is needed. 0, or -1 (library failure, out zeroed).
 * The caller wipes both keys after use.
 */
int cw_session_class_key(const uint8_t device_key[CW_DEVICE_KEY_LEN], uint8_t out[CW_CLASS_KEY_LEN]);

/*
 * The Class for a session of certificate serial (canonical: lowercase hex
 * without leading zeros, as cw_serial_normalise gives), issued at `issued`
 * (seconds, >= 0): "cowork:<serial>:<issued>:<tag>", tag = the first
 * CW_CLASS_TAG_LEN bytes of HMAC-SHA-256(key, "cowork:<serial>:<issued>").
 * 0, or -1 for a serial not in canonical form, a negative time, or a
 * library failure.
 */
int cw_session_class(const uint8_t key[CW_CLASS_KEY_LEN], const char *serial, int64_t issued,
		     char out[CW_CLASS_MAX + 1]);

/* Whether a Class value is one of ours (starts with CW_CLASS_PREFIX). */
bool cw_session_class_ours(const void *value, size_t len);

/* An Accounting-Request as received: untrusted, not terminated; NULL when absent. */
typedef struct cw_acct_input {
	bool		has_status;
	uint32_t	status;			//!< Acct-Status-Type
	const char	*class_value;		//!< our Class (see cw_session_class_ours), or NULL
	size_t		class_len;
	const char	*session_id;		//!< Acct-Session-Id
	size_t		session_id_len;
	const char	*user_name;
	size_t		user_name_len;
	const char	*calling_station;	//!< Calling-Station-Id
	size_t		calling_station_len;
	const char	*nas_identifier;
	size_t		nas_identifier_len;
	const char	*nas_ip;		//!< NAS-IP-Address in text, or NULL
	const char	*source;		//!< the packet's source address in text
	int64_t		now_ms;			//!< UTC milliseconds of receipt
	const uint8_t	*class_key;		//!< CW_CLASS_KEY_LEN bytes; NULL: no Class verifies
} cw_acct_input_t;

/* What an Accounting-Request asks of us. */
typedef enum cw_acct_kind {
	CW_ACCT_IGNORE = 0,	//!< not ours: store nothing
	CW_ACCT_SESSION,	//!< Start, Interim-Update or Stop of one of our sessions
	CW_ACCT_NAS_RESET,	//!< Accounting-On/Off: every live session of the NAS ends
	CW_ACCT_UNVERIFIED,	//!< our Class without a valid tag (forged, altered, another key, old form): store nothing
} cw_acct_kind_t;

/* A validated accounting event: every field checked, terminated. */
typedef struct cw_acct_event {
	cw_acct_kind_t		kind;
	cw_acct_status_t	status;
	char			nas_address[CW_NAS_ADDRESS_MAX + 1];
	char			nas[CW_ACCT_TEXT_MAX + 1];			//!< "" none
	char			acct_session_id[CW_ACCT_SESSION_ID_MAX + 1];	//!< CW_ACCT_SESSION only
	char			serial[CW_SERIAL_HEX_MAX + 1];			//!< CW_ACCT_SESSION only
	int64_t			class_issued;					//!< CW_ACCT_SESSION only: the Class's time
	char			user_name[CW_ACCT_TEXT_MAX + 1];		//!< "" none
	char			calling_station[CW_ACCT_TEXT_MAX + 1];		//!< as sent; "" none
	bool			has_mac;
	cw_mac_t		mac;						//!< parsed calling_station
	int64_t			now_ms;
} cw_acct_event_t;

/*
 * Check an Accounting-Request. CW_ACCT_IGNORE when it is not ours (no Class
 * of ours and not Accounting-On/Off, or a status type we do not track);
 * CW_ACCT_UNVERIFIED with err (no secret in it) when a Start, Interim-Update
 * or Stop carries our Class but its tag does not verify under
 * in->class_key (compared in constant time): nothing may be stored from it;
 * CW_ACCT_SESSION or CW_ACCT_NAS_RESET with *ev filled; -1 with err when
 * one of our requests is malformed (nothing may be stored from it): no or
 * an unknown status, a bad serial in the Class, an Acct-Session-Id missing,
 * over-long or not printable ASCII, a Calling-Station-Id that is not a MAC,
 * a User-Name or NAS-Identifier with control characters, a bad source.
 */
int cw_acct_parse(const cw_acct_input_t *in, cw_acct_event_t *ev, cw_err_t *err);

/*
 * The member of a certificate, for a session: 1 with member filled, 0 when
 * the registry does not know the serial, -1 with err. A revoked certificate
 * still names its member: its sessions are the ones to disconnect.
 */
int cw_session_member(cw_registry_t *reg, const char *serial, char member[CW_ID_MAX + 1], cw_err_t *err);

/* What cw_session_record did. */
typedef enum cw_session_change {
	CW_SESSION_STARTED,	//!< a new live row
	CW_SESSION_UPDATED,	//!< a live row refreshed
	CW_SESSION_RESTARTED,	//!< a Start on an ended row: live again
	CW_SESSION_STALE,	//!< Interim-Update of an ended session: ignored (a late packet revives nothing)
	CW_SESSION_STOPPED,	//!< a live row ended
	CW_SESSION_UNKNOWN,	//!< Stop of a session we hold no live row for: nothing to do
	CW_SESSION_NAS_RESET,	//!< Accounting-On/Off: `ended` rows ended
	CW_SESSION_OVER_LIMIT,	//!< a Start (or Interim-Update) of a new session beyond max_live: nothing stored
} cw_session_change_t;

typedef struct cw_session_outcome {
	cw_session_change_t	change;
	int64_t			ended;	//!< CW_SESSION_NAS_RESET: rows ended
} cw_session_outcome_t;

/*
 * Record an event in one BEGIN IMMEDIATE transaction on log's connection.
 * member and device (may be NULL) are needed for Start and Interim-Update
 * only. A session that is not live yet becomes live only while its NAS
 * (nas_address) has fewer than max_live live sessions (0: no bound);
 * otherwise CW_SESSION_OVER_LIMIT and nothing is written. 0 with *out set,
 * or -1 with err (nothing written: the caller must not acknowledge the
 * request).
 */
int cw_session_record(cw_accesslog_t *log, const cw_acct_event_t *ev, const char *member,
		      const uint8_t device[CW_DEVICE_HASH_LEN], unsigned max_live, cw_session_outcome_t *out,
		      cw_err_t *err);

/* A row of the session table. */
typedef struct cw_session {
	int64_t	id;
	char	nas_address[CW_NAS_ADDRESS_MAX + 1];
	char	nas[CW_ACCT_TEXT_MAX + 1];			//!< "" none
	char	acct_session_id[CW_ACCT_SESSION_ID_MAX + 1];
	char	user_name[CW_ACCT_TEXT_MAX + 1];		//!< "" none or ended
	char	calling_station[CW_ACCT_TEXT_MAX + 1];		//!< "" none or ended
	bool	has_device;
	uint8_t	device[CW_DEVICE_HASH_LEN];
	char	member[CW_ID_MAX + 1];
	char	serial[CW_SERIAL_HEX_MAX + 1];
	int64_t	started_ms;
	int64_t	updated_ms;
	int64_t	stopped_ms;					//!< 0 while live
} cw_session_t;

/* What to list; NULL/false select everything live. */
typedef struct cw_session_filter {
	const char	*member;	//!< one member's
	const char	*serial;	//!< one certificate's (normalised)
	bool		all;		//!< ended sessions too
} cw_session_filter_t;

/*
 * Sessions matching f, oldest start first. fn returning non-zero stops and
 * is returned. 0 or -1 with err.
 */
int cw_session_list(cw_accesslog_t *log, const cw_session_filter_t *f,
		    int (*fn)(void *arg, const cw_session_t *s), void *arg, cw_err_t *err);

/*
 * Retention, in one transaction: delete ended sessions that stopped before
 * cutoff_ms (the access log's retention cut-off), and end live sessions not
 * updated since stale_before_ms (now - CW_SESSION_STALE_MS), clearing their
 * User-Name and MAC. limit bounds the rows of each statement (0: no bound).
 * *deleted and *expired (may be NULL) get the counts. 0 or -1 with err.
 */
int cw_session_purge(cw_accesslog_t *log, int64_t cutoff_ms, int64_t stale_before_ms, unsigned limit,
		     int64_t *deleted, int64_t *expired, cw_err_t *err);

#endif
