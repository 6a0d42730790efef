/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * broker_client.h - the enrollment service's side of the broker protocol
 * (docs/enrollment.md, "Broker protocol"): one request line over the Unix
 * socket STATE/enroll/broker.sock, one answer of lines ending in END.
 *
 * The service holds no state of its own: every page is built from one
 * answer, parsed here into a broker_answer_t. The parser trusts nothing:
 * every value is checked with the same rules the registry applies (names.h,
 * serial.h, psk.h), and an answer that breaks one is an error, never a page
 * with a strange value in it.
 */
#ifndef ENROLL_BROKER_CLIENT_H
#define ENROLL_BROKER_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cowork.h"
#include "serial.h"

#define BROKER_REQUEST_MAX	1024		//!< the protocol's bound on the request line, with its \n
#define BROKER_ANSWER_MAX	(256 * 1024)	//!< a sealed device is at most ~94 KiB of base64
#define BROKER_TIMEOUT_MS	5000		//!< connect, send and the whole answer
#define BROKER_MAX_SSIDS	8
#define BROKER_MAX_DEVICES	64
#define BROKER_MAX_GUESTS	8
#define BROKER_CA_MAX		(16 * 1024)	//!< a DER CA certificate

typedef enum {
	BROKER_OK,	//!< the token is good: the fields are filled
	BROKER_NO,	//!< refused, for a reason only the broker's audit row knows
	BROKER_ERR,	//!< malformed request or broker failure
} broker_status_t;

typedef struct broker_device {
	char	serial[CW_SERIAL_HEX_MAX + 1];
	char	state[16];		//!< active, revoked or uncollected
	int64_t	not_after;
	int64_t	last_seen;		//!< 0: never
	char	platform[16];		//!< apple, eap, windows, linux, or "-"
} broker_device_t;

typedef struct broker_guest {
	char	ssid[33];
	char	passphrase[64];
	int64_t	valid_until;
} broker_guest_t;

typedef struct broker_answer {
	broker_status_t	status;
	char		message[128];		//!< of ERR
	char		member[65];
	char		org[256];
	char		server_name[254];
	char		ssids[BROKER_MAX_SSIDS][33];
	unsigned	nssids;
	uint8_t		*ca_der;		//!< malloc'd
	size_t		ca_der_len;
	int64_t		expires;
	unsigned	devices_left;
	broker_device_t	devices[BROKER_MAX_DEVICES];
	unsigned	ndevices;
	broker_guest_t	guests[BROKER_MAX_GUESTS];
	unsigned	nguests;
	/* COLLECT only. */
	bool		collected;		//!< slot, serial and sealed were all given
	int64_t		invite_id;		//!< for the seal's AAD ("invite <id>")
	bool		has_invite;
	unsigned	slot;
	char		serial[CW_SERIAL_HEX_MAX + 1];
	uint8_t		*sealed;		//!< malloc'd
	size_t		sealed_len;
} broker_answer_t;

/*
 * Send one request line (without its \n) to the broker at sock_path and
 * read the whole answer, within timeout_ms in all. *answer is malloc'd and
 * NUL-terminated; free it with broker_text_free. 0, or -1 with err (no
 * broker, timeout, an answer over BROKER_ANSWER_MAX or without END).
 */
int broker_call(const char *sock_path, int timeout_ms, const char *request, char **answer, size_t *len,
		cw_err_t *err);

/* Wipe and free an answer's text. Accepts NULL. */
void broker_text_free(char *text, size_t len);

/*
 * Parse an answer's text (len bytes, need not be terminated). OK with all
 * the required fields, NO or ERR: 0 and a->status. Anything else: -1 with
 * err. collect says whether slot, serial and sealed are required (and
 * allowed). Free with broker_answer_free, in either case.
 */
int broker_answer_parse(const char *text, size_t len, bool collect, broker_answer_t *a, cw_err_t *err);

/* Free what a parsed answer holds (a itself is the caller's). Accepts NULL. */
void broker_answer_free(broker_answer_t *a);

#endif
