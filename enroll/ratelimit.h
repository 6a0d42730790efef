/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ratelimit.h - requests per client address, a token bucket each, in
 * memory; and which address a request is from.
 *
 * The broker limits refusals per client too (docs/enrollment.md); this
 * limit is the service's own, before any broker call, so that a flood
 * costs neither the broker nor the registry anything. The table is
 * bounded (RL_SLOTS): when it is full the least recently refilled bucket of
 * a probe window is reused, which can only give a client a fresh bucket,
 * never take one away from a client that is not flooding.
 */
#ifndef ENROLL_RATELIMIT_H
#define ENROLL_RATELIMIT_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>

#define RL_SLOTS	4096
#define RL_BURST	30	//!< requests a client may make at once
#define RL_PER_MINUTE	30	//!< and then on average (cowork-enroll --rate-limit sets both)

typedef struct ratelimit ratelimit_t;

/* A new limiter of burst requests, refilled at per_minute. NULL when out of memory. */
ratelimit_t *rl_new(unsigned burst, unsigned per_minute);

void rl_free(ratelimit_t *rl);

/* May client make a request at now_ms (a monotonic clock)? Takes one token when so. Thread-safe. */
bool rl_allow(ratelimit_t *rl, const char *client, int64_t now_ms);

#define RL_ADDR_MAX INET6_ADDRSTRLEN

/*
 * The client of a request: the peer address, or, when the peer is the
 * trusted reverse proxy (trusted: its address, or NULL for none), the last
 * hop of X-Forwarded-For (the address that proxy saw; earlier hops are the
 * client's own words). A last hop that is not an IP address leaves the
 * peer. Addresses are written in their canonical form. 0, or -1 when
 * peer itself is not an address.
 */
int rl_client(const char *peer, const char *xff, const char *trusted, char out[RL_ADDR_MAX]);

#endif
