/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ratelimit.c - token buckets per client address.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cowork.h"
#include "rand.h"
#include "ratelimit.h"

#define PROBES 8	//!< slots looked at per address

typedef struct bucket {
	char	client[RL_ADDR_MAX];	//!< "" when free
	int64_t	refilled_ms;
	int64_t	milli;			//!< tokens, in thousandths
} bucket_t;

struct ratelimit {
	pthread_mutex_t	lock;
	int64_t		burst_milli;
	int64_t		per_minute;
	uint32_t	seed;		//!< so that no one can aim addresses at one probe window
	bucket_t	b[RL_SLOTS];
};

static uint32_t hash(const char *s, uint32_t seed)
{
	uint32_t h = 2166136261u ^ seed;	/* FNV-1a */

	for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

ratelimit_t *rl_new(unsigned burst, unsigned per_minute)
{
	ratelimit_t *rl = calloc(1, sizeof(*rl));

	if (!rl) return NULL;
	if (pthread_mutex_init(&rl->lock, NULL) != 0 || cw_random_bytes(&rl->seed, sizeof(rl->seed), NULL) < 0) {
		free(rl);
		return NULL;
	}
	rl->burst_milli = (int64_t)burst * 1000;
	rl->per_minute = per_minute;
	return rl;
}

void rl_free(ratelimit_t *rl)
{
	if (!rl) return;
	pthread_mutex_destroy(&rl->lock);
	free(rl);
}

/* The bucket of client: its own, a free one, or the stalest of its window (reset). Caller holds the lock. */
static bucket_t *bucket_of(ratelimit_t *rl, const char *client, int64_t now_ms)
{
	uint32_t h = hash(client, rl->seed);
	bucket_t *pick = NULL;

	for (unsigned i = 0; i < PROBES; i++) {
		bucket_t *b = &rl->b[(h + i) % RL_SLOTS];

		if (strcmp(b->client, client) == 0) return b;
		if (!pick || (pick->client[0] && (!b->client[0] || b->refilled_ms < pick->refilled_ms))) pick = b;
	}
	(void)cw_snprintf(pick->client, sizeof(pick->client), "%s", client);
	pick->refilled_ms = now_ms;
	pick->milli = rl->burst_milli;
	return pick;
}

bool rl_allow(ratelimit_t *rl, const char *client, int64_t now_ms)
{
	bucket_t *b;
	bool ok;

	pthread_mutex_lock(&rl->lock);
	b = bucket_of(rl, client, now_ms);
	if (now_ms > b->refilled_ms) {
		int64_t gain = (now_ms - b->refilled_ms) * rl->per_minute / 60;	/* thousandths per ms */

		b->milli = b->milli + gain > rl->burst_milli ? rl->burst_milli : b->milli + gain;
		b->refilled_ms = now_ms;
	}
	ok = b->milli >= 1000;
	if (ok) b->milli -= 1000;
	pthread_mutex_unlock(&rl->lock);
	return ok;
}

/* s as a canonical IPv4 or IPv6 address (an IPv4-mapped IPv6 one as IPv4). 0, or -1. */
static int canonical(const char *s, char out[RL_ADDR_MAX])
{
	unsigned char a[16];

	if (inet_pton(AF_INET, s, a) == 1) return inet_ntop(AF_INET, a, out, RL_ADDR_MAX) ? 0 : -1;
	if (inet_pton(AF_INET6, s, a) != 1) return -1;
	if (memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
		return inet_ntop(AF_INET, a + 12, out, RL_ADDR_MAX) ? 0 : -1;
	return inet_ntop(AF_INET6, a, out, RL_ADDR_MAX) ? 0 : -1;
}

int rl_client(const char *peer, const char *xff, const char *trusted, char out[RL_ADDR_MAX])
{
	char t[RL_ADDR_MAX], hop[RL_ADDR_MAX + 2];
	const char *last;
	size_t n;

	if (!peer || canonical(peer, out) < 0) return -1;
	if (!trusted || !xff || canonical(trusted, t) < 0 || strcmp(out, t) != 0) return 0;
	last = strrchr(xff, ',');
	last = last ? last + 1 : xff;
	while (*last == ' ' || *last == '\t') last++;
	for (n = strlen(last); n > 0 && (last[n - 1] == ' ' || last[n - 1] == '\t'); n--) {}
	if (n == 0 || n >= sizeof(hop)) return 0;
	memcpy(hop, last, n);
	hop[n] = '\0';
	if (canonical(hop, t) == 0) memcpy(out, t, RL_ADDR_MAX);
	return 0;
}
