/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * enroll_proto.h - the enroll-broker's request lines and its limit on
 * refusals (docs/enrollment.md, "Broker protocol"): no I/O here, so that
 * both are tested on their own; coworkctl/cmd_enroll_broker.c does the
 * socket and the answers.
 */
#ifndef COWORK_ENROLL_PROTO_H
#define COWORK_ENROLL_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "invite.h"
#include "seal.h"
#include "session.h"

/* A request: one line of at most this many bytes, its '\n' included, ... */
#define CW_ENROLL_LINE_MAX	1024
/* ... within this many milliseconds of the connection. */
#define CW_ENROLL_READ_MS	2000

/* Refusals a client may get in a window before it gets NO without a lookup. */
#define CW_ENROLL_REFUSALS_MAX	10
#define CW_ENROLL_WINDOW_S	60
/* Clients remembered at once (the oldest window is forgotten first). */
#define CW_ENROLL_CLIENTS_MAX	4096

/* A parsed request. The token is a secret: wipe the struct after use. */
typedef struct cw_enroll_line {
	cw_enroll_verb_t	verb;
	bool			token_ok;	//!< false: not a token's text (a refusal, not an error)
	cw_token_t		token;
	char			client[CW_NAS_ADDRESS_MAX + 1];	//!< canonical address
	char			platform[16];	//!< COLLECT
	char			serial[CW_SERIAL_HEX_MAX + 1];	//!< LOST, normalised
} cw_enroll_line_t;

/*
 * Parse one request line (len bytes, without its '\n'):
 *	OPEN <token> <client>
 *	COLLECT <token> <client> <platform>
 *	LOST <token> <client> <serial>
 * fields separated by exactly one space, printable ASCII only; <client> an
 * IPv4 or IPv6 address, <platform> apple, eap, windows or linux, <serial>
 * hex (any case, colons allowed). A <token> that is not a token's text
 * still parses, with token_ok false. 0, or -1 with err: the text of the
 * ERR answer, which never repeats what the request held.
 */
int cw_enroll_parse(const char *line, size_t len, cw_enroll_line_t *out, cw_err_t *err);

typedef struct cw_rate_slot {
	uint8_t		key[17];	//!< family (4 or 6), then the address (an IPv6 client's /64)
	int64_t		start;		//!< its window's first refusal
	unsigned	count;		//!< refusals in the window
} cw_rate_slot_t;

/*
 * Refusals per client, in memory: a client is an IPv4 address or an IPv6
 * /64 (one host has many addresses of its /64). Zero it to start.
 */
typedef struct cw_ratelimit {
	size_t		n;
	cw_rate_slot_t	slot[CW_ENROLL_CLIENTS_MAX];
} cw_ratelimit_t;

/* Has client (canonical) had CW_ENROLL_REFUSALS_MAX refusals in its window at now? */
bool cw_rate_limited(const cw_ratelimit_t *r, const char *client, int64_t now);

/*
 * Count a refusal of client at now. True when this one reaches the limit
 * (the client is limited from now to the end of its window): the moment
 * to note it in the audit, once per window.
 */
bool cw_rate_refusal(cw_ratelimit_t *r, const char *client, int64_t now);

#endif
