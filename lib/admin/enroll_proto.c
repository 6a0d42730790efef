/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * enroll_proto.c - the enroll-broker's request lines and refusal limit.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "enroll_proto.h"
#include "serial.h"

static const struct {
	const char		*name;
	cw_enroll_verb_t	verb;
	unsigned		fields;
} verbs[] = {
	{ "OPEN", CW_ENROLL_OPEN, 3 },
	{ "COLLECT", CW_ENROLL_COLLECT, 4 },
	{ "LOST", CW_ENROLL_LOST, 4 },
};

#define FIELDS_MAX 4

/* Split line at single spaces into at most FIELDS_MAX fields. Their number, or -1 (empty field, too many, a byte outside 0x21..0x7e). */
static int split(const char *line, size_t len, const char *start[FIELDS_MAX], size_t flen[FIELDS_MAX])
{
	int n = 0;
	size_t i = 0;

	while (i < len) {
		size_t j = i;

		while (j < len && line[j] != ' ') {
			if ((unsigned char)line[j] < 0x21 || (unsigned char)line[j] > 0x7e) return -1;
			j++;
		}
		if (j == i || n == FIELDS_MAX) return -1;
		start[n] = line + i;
		flen[n++] = j - i;
		if (j == len) break;
		i = j + 1;
		if (i == len) return -1;	/* a trailing space */
	}
	return n;
}

/* A field as a C string into buf (cap bytes): 0, or -1 when too long. */
static int field(const char *s, size_t len, char *buf, size_t cap)
{
	if (len >= cap) return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return 0;
}

int cw_enroll_parse(const char *line, size_t len, cw_enroll_line_t *out, cw_err_t *err)
{
	const char *f[FIELDS_MAX];
	size_t fl[FIELDS_MAX], v;
	char client[64];
	int n;

	memset(out, 0, sizeof(*out));
	n = split(line, len, f, fl);
	if (n < 1) {
		cw_err_set(err, "malformed request: fields of printable ASCII separated by single spaces");
		return -1;
	}
	for (v = 0; v < sizeof(verbs) / sizeof(verbs[0]); v++) {
		if (fl[0] == strlen(verbs[v].name) && memcmp(f[0], verbs[v].name, fl[0]) == 0) break;
	}
	if (v == sizeof(verbs) / sizeof(verbs[0])) {
		cw_err_set(err, "unknown request: OPEN, COLLECT or LOST");
		return -1;
	}
	if ((unsigned)n != verbs[v].fields) {
		cw_err_set(err, "%s takes %u fields", verbs[v].name, verbs[v].fields - 1);
		return -1;
	}
	out->verb = verbs[v].verb;
	if (field(f[2], fl[2], client, sizeof(client)) < 0 || cw_ip_canonical(client, 0, out->client) < 0) {
		cw_err_set(err, "the client is not an IPv4 or IPv6 address");
		return -1;
	}
	if (out->verb == CW_ENROLL_COLLECT &&
	    (field(f[3], fl[3], out->platform, sizeof(out->platform)) < 0 || cw_enroll_platform_check(out->platform) < 0)) {
		cw_err_set(err, "the platform is not apple, eap, windows or linux");
		return -1;
	}
	if (out->verb == CW_ENROLL_LOST && cw_serial_normalise(f[3], fl[3], out->serial, NULL) < 0) {
		cw_err_set(err, "the serial is not a certificate serial in hex");
		return -1;
	}
	out->token_ok = cw_token_parse(f[1], fl[1], &out->token, NULL) == 0;
	return 0;
}

/* The key of a client: family, then the IPv4 address or the IPv6 /64. 0, or -1 for no address. */
static int client_key(const char *client, uint8_t key[17])
{
	struct in6_addr a6;

	memset(key, 0, 17);
	if (inet_pton(AF_INET, client, key + 1) == 1) {
		key[0] = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, client, &a6) != 1) return -1;
	if (IN6_IS_ADDR_V4MAPPED(&a6)) {
		key[0] = 4;
		memcpy(key + 1, a6.s6_addr + 12, 4);
		return 0;
	}
	key[0] = 6;
	memcpy(key + 1, a6.s6_addr, 8);
	return 0;
}

static bool in_window(const cw_rate_slot_t *s, int64_t now)
{
	return s->count > 0 && now >= s->start && now - s->start < CW_ENROLL_WINDOW_S;
}

static const cw_rate_slot_t *find(const cw_ratelimit_t *r, const uint8_t key[17])
{
	for (size_t i = 0; i < r->n; i++) {
		if (memcmp(r->slot[i].key, key, 17) == 0) return &r->slot[i];
	}
	return NULL;
}

bool cw_rate_limited(const cw_ratelimit_t *r, const char *client, int64_t now)
{
	uint8_t key[17];
	const cw_rate_slot_t *s;

	if (client_key(client, key) < 0) return false;
	s = find(r, key);
	return s && in_window(s, now) && s->count >= CW_ENROLL_REFUSALS_MAX;
}

/* The slot of key: its own, a free one, one whose window is over, or the oldest. */
static cw_rate_slot_t *slot_for(cw_ratelimit_t *r, const uint8_t key[17], int64_t now)
{
	cw_rate_slot_t *s = (cw_rate_slot_t *)find(r, key), *oldest = NULL;

	if (s) return s;
	if (r->n < CW_ENROLL_CLIENTS_MAX) {
		s = &r->slot[r->n++];
	} else {
		for (size_t i = 0; i < r->n && !s; i++) {
			if (!in_window(&r->slot[i], now)) s = &r->slot[i];
			else if (!oldest || r->slot[i].start < oldest->start) oldest = &r->slot[i];
		}
		if (!s) s = oldest;
	}
	memset(s, 0, sizeof(*s));
	memcpy(s->key, key, 17);
	return s;
}

bool cw_rate_refusal(cw_ratelimit_t *r, const char *client, int64_t now)
{
	uint8_t key[17];
	cw_rate_slot_t *s;

	if (client_key(client, key) < 0) return false;
	s = slot_for(r, key, now);
	if (!in_window(s, now)) {
		s->start = now;
		s->count = 0;
	}
	s->count++;
	return s->count == CW_ENROLL_REFUSALS_MAX;
}
