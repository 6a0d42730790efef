/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vlan.c - the VLAN plan and the rules that keep its parts apart.
 */
#include <assert.h>
#include <stdbool.h>
#include <string.h>

#include "vlan.h"

/* Items are quoted in messages; this much of one is enough to find it. */
#define ITEM_QUOTE_MAX 24

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * Quote s[0..len) for an error message: printable ASCII kept, anything else
 * shown as '?', cut short with "..." when long. buf holds ITEM_QUOTE_MAX + 4.
 */
static const char *item_quote(const char *s, size_t len, char buf[ITEM_QUOTE_MAX + 4])
{
	size_t i;

	for (i = 0; i < len && i < ITEM_QUOTE_MAX; i++) buf[i] = (s[i] >= ' ' && s[i] < 0x7f) ? s[i] : '?';
	if (i < len) {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

/*
 * Parse the VLAN number s[0..len): decimal digits only, 1..4094. Digits
 * past the fourth only make the number larger, so the value stops growing
 * there and no overflow is possible.
 */
static int vid_parse(const char *s, size_t len, uint16_t *out, cw_err_t *err)
{
	char q[ITEM_QUOTE_MAX + 4];
	unsigned v = 0;
	size_t i;

	if (len == 0) {
		cw_err_set(err, "missing VLAN number");
		return -1;
	}
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9') {
			cw_err_set(err, "\"%s\" is not a VLAN number", item_quote(s, len, q));
			return -1;
		}
		if (v <= CW_VLAN_MAX) v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v < CW_VLAN_MIN || v > CW_VLAN_MAX) {
		cw_err_set(err, "VLAN %s is outside %d-%d", item_quote(s, len, q), CW_VLAN_MIN, CW_VLAN_MAX);
		return -1;
	}
	*out = (uint16_t)v;
	return 0;
}

/* Parse one list item s[0..len), "N" or "N-M" with blanks around, into *r. */
static int item_parse(const char *s, size_t len, cw_vlan_range_t *r, cw_err_t *err)
{
	char q[ITEM_QUOTE_MAX + 4];
	const char *dash;

	while (len > 0 && is_blank(s[0])) {
		s++;
		len--;
	}
	while (len > 0 && is_blank(s[len - 1])) len--;
	if (len == 0) {
		cw_err_set(err, "VLAN list has an empty item");
		return -1;
	}
	dash = memchr(s, '-', len);
	if (dash == NULL) {
		if (vid_parse(s, len, &r->lo, err) < 0) return -1;
		r->hi = r->lo;
		return 0;
	}
	if (dash == s || dash == s + len - 1) {
		cw_err_set(err, "VLAN range %s lacks a number on one side", item_quote(s, len, q));
		return -1;
	}
	if (vid_parse(s, (size_t)(dash - s), &r->lo, err) < 0 ||
	    vid_parse(dash + 1, len - (size_t)(dash - s) - 1, &r->hi, err) < 0) return -1;
	if (r->lo > r->hi) {
		cw_err_set(err, "VLAN range %s runs backwards", item_quote(s, len, q));
		return -1;
	}
	return 0;
}

/* Parse a comma-separated list from the NUL-terminated s; see vlan.h. */
int cw_vlan_set_parse(const char *s, cw_vlan_set_t *out, cw_err_t *err)
{
	cw_vlan_set_t set;
	const char *p;

	assert(out != NULL);
	memset(&set, 0, sizeof(set));
	if (s == NULL || *s == '\0') {
		cw_err_set(err, "empty VLAN list");
		return -1;
	}
	for (p = s;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		cw_vlan_range_t r;

		if (item_parse(p, len, &r, err) < 0) return -1;
		if (cw_vlan_set_add(&set, r.lo, r.hi) < 0) {
			cw_err_set(err, "VLAN list has more than %d separate ranges", CW_VLAN_RANGES_MAX);
			return -1;
		}
		if (comma == NULL) break;
		p = comma + 1;
	}
	*out = set;
	return 0;
}

int cw_vlan_parse(const char *s, uint16_t *out, cw_err_t *err)
{
	assert(out != NULL);
	if (s == NULL) {
		cw_err_set(err, "missing VLAN number");
		return -1;
	}
	return vid_parse(s, strlen(s), out, err);
}

/*
 * Insert lo..hi: ranges that end before lo - 1 are copied, ranges that
 * overlap or touch it are swallowed into it, the rest follow. The result
 * is built aside so a set that would overflow is left unchanged.
 */
int cw_vlan_set_add(cw_vlan_set_t *s, unsigned lo, unsigned hi)
{
	cw_vlan_set_t merged;
	bool placed = false;
	size_t i;

	assert(s != NULL && s->n <= CW_VLAN_RANGES_MAX);
	if (lo < CW_VLAN_MIN || hi > CW_VLAN_MAX || lo > hi) return -1;
	memset(&merged, 0, sizeof(merged));	/* unused slots stay zero */
	for (i = 0; i < s->n; i++) {
		const cw_vlan_range_t *r = &s->r[i];

		if ((unsigned)r->hi + 1 < lo) {
			merged.r[merged.n++] = *r;
		} else if (r->lo > hi + 1) {
			if (!placed) {
				if (merged.n == CW_VLAN_RANGES_MAX) return -1;
				merged.r[merged.n++] = (cw_vlan_range_t){ (uint16_t)lo, (uint16_t)hi };
				placed = true;
			}
			if (merged.n == CW_VLAN_RANGES_MAX) return -1;
			merged.r[merged.n++] = *r;
		} else {
			if (r->lo < lo) lo = r->lo;
			if (r->hi > hi) hi = r->hi;
		}
	}
	if (!placed) {
		if (merged.n == CW_VLAN_RANGES_MAX) return -1;
		merged.r[merged.n++] = (cw_vlan_range_t){ (uint16_t)lo, (uint16_t)hi };
	}
	*s = merged;
	return 0;
}

bool cw_vlan_set_contains(const cw_vlan_set_t *s, unsigned vid)
{
	size_t i;

	assert(s != NULL && s->n <= CW_VLAN_RANGES_MAX);
	for (i = 0; i < s->n; i++) {
		if (vid >= s->r[i].lo && vid <= s->r[i].hi) return true;
	}
	return false;
}

unsigned cw_vlan_set_count(const cw_vlan_set_t *s)
{
	unsigned count = 0;
	size_t i;

	assert(s != NULL && s->n <= CW_VLAN_RANGES_MAX);
	for (i = 0; i < s->n; i++) {
		if (s->r[i].hi >= s->r[i].lo) count += (unsigned)(s->r[i].hi - s->r[i].lo) + 1;
	}
	return count;
}

/* On -1, buf holds as much as fit, terminated, when len > 0. */
int cw_vlan_set_format(const cw_vlan_set_t *s, char *buf, size_t len)
{
	size_t i, used = 0;

	assert(s != NULL && s->n <= CW_VLAN_RANGES_MAX);
	if (buf == NULL || len == 0) return -1;
	buf[0] = '\0';
	for (i = 0; i < s->n; i++) {
		const cw_vlan_range_t *r = &s->r[i];
		const char *sep = i ? "," : "";
		int rc;

		if (r->lo == r->hi) {
			rc = cw_snprintf(buf + used, len - used, "%s%u", sep, (unsigned)r->lo);
		} else {
			rc = cw_snprintf(buf + used, len - used, "%s%u-%u", sep, (unsigned)r->lo, (unsigned)r->hi);
		}
		if (rc < 0) return -1;
		used += strlen(buf + used);
	}
	return 0;
}

/*
 * A set built by hand rather than by cw_vlan_set_add must still be what
 * vlan.h promises: within 1..4094, sorted, neither overlapping nor touching.
 */
static int set_check(const cw_vlan_set_t *s, const char *name, cw_err_t *err)
{
	size_t i;

	if (s->n > CW_VLAN_RANGES_MAX) {
		cw_err_set(err, "%s VLAN set has more than %d ranges", name, CW_VLAN_RANGES_MAX);
		return -1;
	}
	for (i = 0; i < s->n; i++) {
		const cw_vlan_range_t *r = &s->r[i];

		if (r->lo < CW_VLAN_MIN || r->lo > CW_VLAN_MAX) {
			cw_err_set(err, "%s VLAN %u is outside %d-%d", name, (unsigned)r->lo, CW_VLAN_MIN, CW_VLAN_MAX);
			return -1;
		}
		if (r->hi < CW_VLAN_MIN || r->hi > CW_VLAN_MAX) {
			cw_err_set(err, "%s VLAN %u is outside %d-%d", name, (unsigned)r->hi, CW_VLAN_MIN, CW_VLAN_MAX);
			return -1;
		}
		if (r->lo > r->hi || (i > 0 && r->lo <= (unsigned)s->r[i - 1].hi + 1)) {
			cw_err_set(err, "%s VLAN set is not sorted and merged", name);
			return -1;
		}
	}
	return 0;
}

/* The lowest VLAN in both a and b (both sorted), or 0 when they are disjoint. */
static unsigned set_first_common(const cw_vlan_set_t *a, const cw_vlan_set_t *b)
{
	size_t i = 0, j = 0;

	while (i < a->n && j < b->n) {
		const cw_vlan_range_t *x = &a->r[i], *y = &b->r[j];

		if (x->hi < y->lo) {
			i++;
		} else if (y->hi < x->lo) {
			j++;
		} else {
			return x->lo > y->lo ? x->lo : y->lo;
		}
	}
	return 0;
}

/* Refuse a single VLAN (shared or guest) that is unset or out of range. */
static int single_check(unsigned vid, const char *name, cw_err_t *err)
{
	if (vid == 0) {
		cw_err_set(err, "%s VLAN is not set", name);
		return -1;
	}
	if (vid > CW_VLAN_MAX) {
		cw_err_set(err, "%s VLAN %u is outside %d-%d", name, vid, CW_VLAN_MIN, CW_VLAN_MAX);
		return -1;
	}
	return 0;
}

static int set_single_disjoint(const cw_vlan_set_t *s, const char *sname, unsigned vid,
			       const char *vname, cw_err_t *err)
{
	if (cw_vlan_set_contains(s, vid)) {
		cw_err_set(err, "VLAN %u is both %s and %s", vid, sname, vname);
		return -1;
	}
	return 0;
}

/* Check a plan; see vlan.h. Conflicts are reported in a fixed order. */
int cw_vlan_plan_validate(const cw_vlan_plan_t *p, cw_err_t *err)
{
	unsigned common;

	assert(p != NULL);
	if (set_check(&p->staff, "staff", err) < 0 || set_check(&p->members, "members", err) < 0) return -1;
	if (p->members.n == 0) {
		cw_err_set(err, "members VLAN pool is empty");
		return -1;
	}
	if (single_check(p->shared, "shared", err) < 0 || single_check(p->guest, "guest", err) < 0) return -1;

	common = set_first_common(&p->staff, &p->members);
	if (common != 0) {
		cw_err_set(err, "VLAN %u is both staff and members", common);
		return -1;
	}
	if (set_single_disjoint(&p->staff, "staff", p->shared, "shared", err) < 0 ||
	    set_single_disjoint(&p->staff, "staff", p->guest, "guest", err) < 0 ||
	    set_single_disjoint(&p->members, "members", p->shared, "shared", err) < 0 ||
	    set_single_disjoint(&p->members, "members", p->guest, "guest", err) < 0) return -1;
	if (p->shared == p->guest) {
		cw_err_set(err, "VLAN %u is both shared and guest", (unsigned)p->shared);
		return -1;
	}
	return 0;
}

/*
 * What every VLAN about to be sent must pass: a well-formed plan, 1..4094,
 * and not a staff VLAN. `who` ("member", "guest") goes into the message.
 */
static int check_sendable(const cw_vlan_plan_t *p, unsigned vid, const char *who, cw_err_t *err)
{
	assert(p != NULL);
	if (set_check(&p->staff, "staff", err) < 0 || set_check(&p->members, "members", err) < 0) return -1;
	if (vid < CW_VLAN_MIN || vid > CW_VLAN_MAX) {
		cw_err_set(err, "VLAN %u is outside %d-%d", vid, CW_VLAN_MIN, CW_VLAN_MAX);
		return -1;
	}
	if (cw_vlan_set_contains(&p->staff, vid)) {
		cw_err_set(err, "VLAN %u is a staff VLAN, never sent for a %s", vid, who);
		return -1;
	}
	return 0;
}

int cw_vlan_check_member(const cw_vlan_plan_t *p, unsigned vid, cw_err_t *err)
{
	if (check_sendable(p, vid, "member", err) < 0) return -1;
	if (vid == p->shared || cw_vlan_set_contains(&p->members, vid)) return 0;
	cw_err_set(err, "VLAN %u is neither in the members pool nor the shared VLAN", vid);
	return -1;
}

int cw_vlan_check_guest(const cw_vlan_plan_t *p, unsigned vid, cw_err_t *err)
{
	if (check_sendable(p, vid, "guest", err) < 0) return -1;
	if (vid == p->shared || cw_vlan_set_contains(&p->members, vid)) {
		cw_err_set(err, "VLAN %u is a members VLAN, never sent for a guest", vid);
		return -1;
	}
	if (vid != p->guest) {
		cw_err_set(err, "VLAN %u is not the plan's guest VLAN (%u)", vid, p->guest);
		return -1;
	}
	return 0;
}
