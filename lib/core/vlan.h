/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vlan.h - the VLAN plan: which VLANs belong to staff, members, the shared
 * members VLAN and guests, and the rules that keep them apart.
 */
#ifndef COWORK_VLAN_H
#define COWORK_VLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cowork.h"

/* IEEE 802.1Q: 0 and 4095 are reserved. */
#define CW_VLAN_MIN 1
#define CW_VLAN_MAX 4094
#define CW_VLAN_RANGES_MAX 64

typedef struct cw_vlan_range {
	uint16_t lo;	//!< first VLAN of the range
	uint16_t hi;	//!< last VLAN of the range, >= lo
} cw_vlan_range_t;

/* A set of VLANs as sorted, non-overlapping, non-adjacent ranges. */
typedef struct cw_vlan_set {
	size_t		n;
	cw_vlan_range_t	r[CW_VLAN_RANGES_MAX];
} cw_vlan_set_t;

typedef struct cw_vlan_plan {
	cw_vlan_set_t	staff;		//!< Never sent for a member or a guest.
	cw_vlan_set_t	members;	//!< Pool from which each tenant gets its own VLAN.
	uint16_t	shared;		//!< Members without a tenant.
	uint16_t	guest;		//!< Guests.
} cw_vlan_plan_t;

/*
 * Parse a list such as "10,20" or "100-189" or "10,30-39" (blanks around
 * items allowed). Each VLAN must be 1..4094; a range must not run
 * backwards. Items may overlap; the result is merged and sorted.
 * Returns 0, or -1 with err naming the offending item.
 */
int cw_vlan_set_parse(const char *s, cw_vlan_set_t *out, cw_err_t *err);

/* Parse one VLAN number 1..4094. 0 or -1 with err. */
int cw_vlan_parse(const char *s, uint16_t *out, cw_err_t *err);

/* Add the range lo..hi (1 <= lo <= hi <= 4094) to the set, keeping it merged and
 * sorted. Returns 0, or -1 when the set would need more than CW_VLAN_RANGES_MAX ranges. */
int cw_vlan_set_add(cw_vlan_set_t *s, unsigned lo, unsigned hi);

bool cw_vlan_set_contains(const cw_vlan_set_t *s, unsigned vid);

/* Number of VLANs in the set. */
unsigned cw_vlan_set_count(const cw_vlan_set_t *s);

/* Write the set as "10,20,30-39" ("" when empty). 0, or -1 if buf is too small. */
int cw_vlan_set_format(const cw_vlan_set_t *s, char *buf, size_t len);

/*
 * Check a whole plan: members pool not empty; shared and guest set
 * (non-zero); every VLAN within 1..4094; and staff, members, shared and
 * guest pairwise disjoint. Returns 0, or -1 with err naming the first
 * conflict with the VLAN concerned (e.g. "VLAN 20 is both staff and members").
 */
int cw_vlan_plan_validate(const cw_vlan_plan_t *p, cw_err_t *err);

/*
 * The last check before a VLAN goes into a reply for a member: it must be
 * in 1..4094, not a staff VLAN, and either in the members pool or the
 * shared VLAN. Returns 0, or -1 with err saying why.
 */
int cw_vlan_check_member(const cw_vlan_plan_t *p, unsigned vid, cw_err_t *err);

/*
 * The same for a guest: the VLAN must be the plan's guest VLAN, in
 * 1..4094, and neither a staff VLAN nor a members VLAN (pool or shared).
 * Returns 0, or -1 with err saying why.
 */
int cw_vlan_check_guest(const cw_vlan_plan_t *p, unsigned vid, cw_err_t *err);

#endif
