/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_vlan.c - unit tests for lib/core/vlan.c.
 *
 * Table-driven (table.h): each row of `parse_rows`, `plan_rows` and
 * `member_rows` is one test, named by the row: lists to parse, plans to
 * validate and VLANs to check for a member, each with what must come out.
 * Checks that need more than a row (hand-built sets, sequences of calls)
 * are functions.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "table.h"
#include "vlan.h"

#define MAX_CASES 6

static cw_vlan_set_t set_of(const char *s)
{
	cw_vlan_set_t set;
	cw_err_t err = { "" };

	if (cw_vlan_set_parse(s, &set, &err) != 0) fail_msg("\"%s\": %s", s, err.msg);
	return set;
}

static void assert_msg_has(const cw_err_t *err, const char *part)
{
	if (strstr(err->msg, part) == NULL) fail_msg("message \"%s\" lacks \"%s\"", err->msg, part);
}

/* A plan as text: staff and members lists ("" for an empty set), shared and guest VLANs. */
typedef struct plan_text {
	const char	*staff;
	const char	*members;
	unsigned	shared;
	unsigned	guest;
} plan_text_t;

/* The plan used by the plan tests: staff 10-19, members 100-189, shared 30, guest 40. */
#define GOOD_PLAN { "10-19", "100-189", 30, 40 }

static cw_vlan_plan_t plan_of(const plan_text_t *t)
{
	cw_vlan_plan_t p;

	memset(&p, 0, sizeof(p));
	if (t->staff[0]) p.staff = set_of(t->staff);
	if (t->members[0]) p.members = set_of(t->members);
	p.shared = (uint16_t)t->shared;
	p.guest = (uint16_t)t->guest;
	return p;
}

static cw_vlan_plan_t good_plan(void)
{
	static const plan_text_t good = GOOD_PLAN;

	return plan_of(&good);
}

static void assert_plan_refused(const cw_vlan_plan_t *p, const char *msg)
{
	cw_err_t err = { "" };

	assert_int_equal(cw_vlan_plan_validate(p, &err), -1);
	assert_string_equal(err.msg, msg);
}

/* ---- parsing: cw_vlan_set_parse ---- */

/* One list: accepted, it formats back as `want`; refused, the message holds `want`. */
typedef struct parse_case {
	const char	*in;
	const char	*want;
} parse_case_t;

typedef struct parse_row {
	const char	*name;
	bool		accept;
	bool		exact;			//!< refused: the message is `want`, not only holds it
	parse_case_t	cases[MAX_CASES];	//!< up to the first without `in`
	cw_vlan_set_t	set;			//!< accepted, when set.n: the ranges of the first list
} parse_row_t;

static const parse_row_t parse_rows[] = {
	{ .name = "list_of_single_vlans__is_parsed", .accept = true, .cases = { { "10,20", "10,20" } },
	  .set = { 2, { { 10, 10 }, { 20, 20 } } } },
	{ .name = "range__is_parsed", .accept = true, .cases = { { "100-189", "100-189" } },
	  .set = { 1, { { 100, 189 } } } },
	{ .name = "blanks_around_items__are_allowed", .accept = true,
	  .cases = { { " 10 , 30-39", "10,30-39" }, { "\t5\t,\t6-7 ", "5-7" } } },
	{ .name = "unsorted_items__are_sorted", .accept = true,
	  .cases = { { "300,20,100-110,1", "1,20,100-110,300" } } },
	{ .name = "overlapping_items__are_merged", .accept = true,
	  .cases = { { "10-20,15-25", "10-25" }, { "10-20,12", "10-20" }, { "5,1-100,50-60", "1-100" },
		     { "10,10", "10" } } },
	{ .name = "adjacent_items__are_merged", .accept = true,
	  .cases = { { "10-19,20-29", "10-29" }, { "3,1,2", "1-3" }, { "1-5,7-9,6", "1-9" } } },
	{ .name = "extreme_vlans__are_accepted", .accept = true,
	  .cases = { { "1,4094", "1,4094" }, { "1-4094", "1-4094" } } },
	{ .name = "vlan_0__is_refused",
	  .cases = { { "0", "VLAN 0 is outside 1-4094" }, { "0-10", "VLAN 0 is outside 1-4094" } } },
	{ .name = "vlan_4095__is_refused",
	  .cases = { { "4095", "VLAN 4095 is outside 1-4094" }, { "10,4000-4095", "VLAN 4095 is outside 1-4094" } } },
	{ .name = "huge_number__is_refused_without_overflow",
	  .cases = { { "99999999999", "VLAN 99999999999 is outside 1-4094" },
		     { "4294967306", "VLAN 4294967306 is outside 1-4094" },	/* 2^32 + 10 */
		     { "123456789012345678901234567890", "is outside 1-4094" } } },
	{ .name = "non_numbers__are_refused",
	  .cases = { { "abc", "\"abc\" is not a VLAN number" }, { "10,x", "\"x\" is not a VLAN number" },
		     { "+10", "\"+10\" is not a VLAN number" }, { "10 20", "\"10 20\" is not a VLAN number" },
		     { "1-2-3", "\"2-3\" is not a VLAN number" }, { "0x10", "\"0x10\" is not a VLAN number" } } },
	{ .name = "control_characters__are_not_echoed", .exact = true,
	  .cases = { { "1\x1b[2J", "\"1?[2J\" is not a VLAN number" } } },
	{ .name = "long_item__is_quoted_shortened", .exact = true,
	  .cases = { { "10,abcdefghijklmnopqrstuvwxyz0123",
		       "\"abcdefghijklmnopqrstuvwx...\" is not a VLAN number" } } },
	{ .name = "backwards_range__is_refused", .cases = { { "20-10", "VLAN range 20-10 runs backwards" } } },
	{ .name = "half_ranges__are_refused",
	  .cases = { { "-10", "VLAN range -10 lacks a number on one side" },
		     { "10-", "VLAN range 10- lacks a number on one side" }, { "-", "lacks a number" } } },
	{ .name = "empty_list__is_refused", .cases = { { "", "empty VLAN list" }, { "   ", "empty item" } } },
	{ .name = "empty_items__are_refused",
	  .cases = { { "1,,2", "empty item" }, { "1,", "empty item" }, { ",1", "empty item" },
		     { "1, ,2", "empty item" } } },
};

static void parse_accepted(const parse_row_t *r, const parse_case_t *c)
{
	cw_vlan_set_t set = set_of(c->in);
	char text[256];

	assert_int_equal(cw_vlan_set_format(&set, text, sizeof(text)), 0);
	if (strcmp(text, c->want) != 0) {
		fail_msg("%s: \"%s\" formats as \"%s\", not \"%s\"", r->name, c->in, text, c->want);
	}
}

/* Parse s, which must be refused and leave the set alone; the message. */
static cw_err_t set_refused(const char *s)
{
	cw_vlan_set_t set;
	cw_err_t err = { "" };

	memset(&set, 0, sizeof(set));
	set.n = 1;
	set.r[0].lo = set.r[0].hi = 7;
	if (cw_vlan_set_parse(s, &set, &err) != -1) fail_msg("\"%s\" accepted", s);
	assert_int_equal(set.n, 1);
	return err;
}

static void parse_refused(const parse_row_t *r, const parse_case_t *c)
{
	cw_err_t err = set_refused(c->in);

	if (r->exact) assert_string_equal(err.msg, c->want);
	else assert_msg_has(&err, c->want);
}

static void run_parse_row(void **state)
{
	const parse_row_t *r = *state;

	for (size_t i = 0; i < MAX_CASES && r->cases[i].in; i++) {
		if (r->accept) parse_accepted(r, &r->cases[i]);
		else parse_refused(r, &r->cases[i]);
	}
	if (r->set.n) {
		cw_vlan_set_t set = set_of(r->cases[0].in);

		assert_int_equal(set.n, r->set.n);
		for (size_t i = 0; i < set.n; i++) {
			assert_int_equal(set.r[i].lo, r->set.r[i].lo);
			assert_int_equal(set.r[i].hi, r->set.r[i].hi);
		}
	}
}

static void too_many_separate_ranges__are_refused(void **state)
{
	char list[CW_VLAN_RANGES_MAX * 8 + 16];
	size_t used = 0;
	cw_err_t err;
	unsigned i;

	(void)state;
	for (i = 0; i <= CW_VLAN_RANGES_MAX; i++) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%u", i ? "," : "", 2 * i + 1);

		assert_true(n > 0 && (size_t)n < sizeof(list) - used);
		used += (size_t)n;
	}
	err = set_refused(list);
	assert_msg_has(&err, "more than 64 separate ranges");
}

static void single_vlan_parse__accepts_only_one_number(void **state)
{
	uint16_t vid = 0;
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_vlan_parse("4094", &vid, &err), 0);
	assert_int_equal(vid, 4094);
	assert_int_equal(cw_vlan_parse("1", &vid, &err), 0);
	assert_int_equal(vid, 1);
	assert_int_equal(cw_vlan_parse("0", &vid, &err), -1);
	assert_string_equal(err.msg, "VLAN 0 is outside 1-4094");
	assert_int_equal(cw_vlan_parse("4095", &vid, &err), -1);
	assert_string_equal(err.msg, "VLAN 4095 is outside 1-4094");
	assert_int_equal(cw_vlan_parse("10-20", &vid, &err), -1);
	assert_int_equal(cw_vlan_parse("", &vid, &err), -1);
	assert_string_equal(err.msg, "missing VLAN number");
	assert_int_equal(cw_vlan_parse(NULL, &vid, NULL), -1);
	assert_int_equal(vid, 1);	/* left alone */
}

/* ---- set operations ---- */

static void set_add__merges_and_refuses_bad_ranges(void **state)
{
	cw_vlan_set_t set;
	char text[64];

	(void)state;
	memset(&set, 0, sizeof(set));
	assert_int_equal(cw_vlan_set_add(&set, 50, 60), 0);
	assert_int_equal(cw_vlan_set_add(&set, 10, 10), 0);
	assert_int_equal(cw_vlan_set_add(&set, 61, 70), 0);
	assert_int_equal(cw_vlan_set_add(&set, 9, 49), 0);
	assert_int_equal(cw_vlan_set_format(&set, text, sizeof(text)), 0);
	assert_string_equal(text, "9-70");
	assert_int_equal(cw_vlan_set_add(&set, 0, 5), -1);
	assert_int_equal(cw_vlan_set_add(&set, 5, 4095), -1);
	assert_int_equal(cw_vlan_set_add(&set, 20, 10), -1);
	assert_int_equal(set.n, 1);
}

static void set_add_beyond_max_ranges__leaves_set_unchanged(void **state)
{
	cw_vlan_set_t set, before;
	unsigned i;

	(void)state;
	memset(&set, 0, sizeof(set));
	for (i = 0; i < CW_VLAN_RANGES_MAX; i++) assert_int_equal(cw_vlan_set_add(&set, 10 * i + 1, 10 * i + 2), 0);
	before = set;
	assert_int_equal(cw_vlan_set_add(&set, 4000, 4000), -1);
	assert_int_equal(cw_vlan_set_add(&set, 5, 5), -1);
	assert_memory_equal(&set, &before, sizeof(set));
	/* joining two ranges still fits */
	assert_int_equal(cw_vlan_set_add(&set, 3, 10), 0);
	assert_int_equal(set.n, CW_VLAN_RANGES_MAX - 1);
}

static void contains__is_true_only_inside_ranges(void **state)
{
	cw_vlan_set_t set = set_of("10,30-39");

	(void)state;
	assert_true(cw_vlan_set_contains(&set, 10));
	assert_true(cw_vlan_set_contains(&set, 30));
	assert_true(cw_vlan_set_contains(&set, 35));
	assert_true(cw_vlan_set_contains(&set, 39));
	assert_false(cw_vlan_set_contains(&set, 9));
	assert_false(cw_vlan_set_contains(&set, 11));
	assert_false(cw_vlan_set_contains(&set, 29));
	assert_false(cw_vlan_set_contains(&set, 40));
	assert_false(cw_vlan_set_contains(&set, 0));
	assert_false(cw_vlan_set_contains(&set, 65536 + 10));
}

static void count__sums_the_ranges(void **state)
{
	cw_vlan_set_t empty;
	cw_vlan_set_t set = set_of("10,30-39,100-189");
	cw_vlan_set_t all = set_of("1-4094");

	(void)state;
	memset(&empty, 0, sizeof(empty));
	assert_int_equal(cw_vlan_set_count(&set), 1 + 10 + 90);
	assert_int_equal(cw_vlan_set_count(&all), 4094);
	assert_int_equal(cw_vlan_set_count(&empty), 0);
}

static void format_then_parse__round_trips(void **state)
{
	static const char *lists[] = { "10", "10,20", "100-189", "1,3,5-9,4094", "1-4094" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		cw_vlan_set_t set = set_of(lists[i]), back;
		char text[64];

		assert_int_equal(cw_vlan_set_format(&set, text, sizeof(text)), 0);
		assert_string_equal(text, lists[i]);
		back = set_of(text);
		assert_memory_equal(&back, &set, sizeof(set));
	}
}

static void format_of_empty_set__is_empty_string(void **state)
{
	cw_vlan_set_t empty;
	char text[4] = "xyz";

	(void)state;
	memset(&empty, 0, sizeof(empty));
	assert_int_equal(cw_vlan_set_format(&empty, text, sizeof(text)), 0);
	assert_string_equal(text, "");
}

static void format_into_small_buffer__is_refused(void **state)
{
	cw_vlan_set_t set = set_of("10,30-39");
	char text[9];

	(void)state;
	assert_int_equal(cw_vlan_set_format(&set, text, 8), -1);	/* "10,30-39" needs 9 */
	assert_int_equal(cw_vlan_set_format(&set, text, sizeof(text)), 0);
	assert_string_equal(text, "10,30-39");
	assert_int_equal(cw_vlan_set_format(&set, text, 0), -1);
}

/* ---- plan validation: cw_vlan_plan_validate ---- */

/* A plan and the message of its refusal, "" when it is accepted. */
typedef struct plan_case {
	plan_text_t	plan;
	const char	*msg;
} plan_case_t;

typedef struct plan_row {
	const char	*name;
	plan_case_t	cases[MAX_CASES];	//!< up to the first without `msg`
} plan_row_t;

static const plan_row_t plan_rows[] = {
	{ "good_plan__is_accepted", { { GOOD_PLAN, "" } } },
	{ "plan_without_staff__is_accepted", { { { "", "100-189", 30, 40 }, "" } } },
	{ "staff_vlan_in_members_range__is_refused",
	  { { { "10-19,150", "100-189", 30, 40 }, "VLAN 150 is both staff and members" },
	    { { "90-120", "100-189", 30, 40 }, "VLAN 100 is both staff and members" } } },
	{ "shared_equal_to_guest__is_refused",
	  { { { "10-19", "100-189", 30, 30 }, "VLAN 30 is both shared and guest" } } },
	{ "shared_inside_members__is_refused",
	  { { { "10-19", "100-189", 120, 40 }, "VLAN 120 is both members and shared" } } },
	{ "guest_inside_members__is_refused",
	  { { { "10-19", "100-189", 30, 189 }, "VLAN 189 is both members and guest" } } },
	{ "guest_inside_staff__is_refused", { { { "10-19", "100-189", 30, 15 }, "VLAN 15 is both staff and guest" } } },
	{ "shared_inside_staff__is_refused",
	  { { { "10-19", "100-189", 10, 40 }, "VLAN 10 is both staff and shared" } } },
	{ "empty_members__is_refused", { { { "10-19", "", 30, 40 }, "members VLAN pool is empty" } } },
	{ "unset_shared_or_guest__is_refused",
	  { { { "10-19", "100-189", 0, 40 }, "shared VLAN is not set" },
	    { { "10-19", "100-189", 30, 0 }, "guest VLAN is not set" } } },
};

/* Each plan: its message ("" when accepted), and the same answer without err. */
static void run_plan_row(void **state)
{
	const plan_row_t *r = *state;

	for (size_t i = 0; i < MAX_CASES && r->cases[i].msg; i++) {
		const plan_case_t *c = &r->cases[i];
		cw_vlan_plan_t p = plan_of(&c->plan);
		cw_err_t err = { "" };

		assert_int_equal(cw_vlan_plan_validate(&p, &err), c->msg[0] ? -1 : 0);
		assert_string_equal(err.msg, c->msg);
		assert_int_equal(cw_vlan_plan_validate(&p, NULL), c->msg[0] ? -1 : 0);
	}
}

static void out_of_range_vlans_in_plan__are_refused(void **state)
{
	cw_vlan_plan_t p = good_plan();

	(void)state;
	p.guest = 4095;
	assert_plan_refused(&p, "guest VLAN 4095 is outside 1-4094");
	p = good_plan();
	p.members.r[0].hi = 4095;
	assert_plan_refused(&p, "members VLAN 4095 is outside 1-4094");
	p = good_plan();
	p.staff.r[0].lo = 0;
	assert_plan_refused(&p, "staff VLAN 0 is outside 1-4094");
}

static void hand_built_unsorted_set__is_refused(void **state)
{
	cw_vlan_plan_t p = good_plan();

	(void)state;
	p.staff.n = 2;
	p.staff.r[1].lo = 1;
	p.staff.r[1].hi = 2;
	assert_plan_refused(&p, "staff VLAN set is not sorted and merged");
	p = good_plan();
	p.members.n = CW_VLAN_RANGES_MAX + 1;
	assert_plan_refused(&p, "members VLAN set has more than 64 ranges");
}

/* ---- the last check before a reply: cw_vlan_check_member on the good plan ---- */

/* A VLAN and the message of its refusal, "" when it is accepted. */
typedef struct member_case {
	unsigned	vid;
	const char	*msg;
} member_case_t;

typedef struct member_row {
	const char	*name;
	member_case_t	cases[MAX_CASES];	//!< up to the first without `msg`
} member_row_t;

static const member_row_t member_rows[] = {
	{ "member_vlan_in_pool__is_accepted", { { 100, "" }, { 189, "" } } },
	{ "shared_vlan_for_member__is_accepted", { { 30, "" } } },
	{ "staff_vlan_for_member__is_refused", { { 12, "VLAN 12 is a staff VLAN, never sent for a member" } } },
	{ "vlan_outside_pool_for_member__is_refused",
	  { { 190, "VLAN 190 is neither in the members pool nor the shared VLAN" },
	    { 40 /* guest */, "VLAN 40 is neither in the members pool nor the shared VLAN" } } },
	{ "out_of_range_vlan_for_member__is_refused",
	  { { 0, "VLAN 0 is outside 1-4094" }, { 4095, "VLAN 4095 is outside 1-4094" },
	    { 65536 + 100, "VLAN 65636 is outside 1-4094" } } },
};

/* Each VLAN: its message ("" when accepted), and the same answer without err. */
static void run_member_row(void **state)
{
	const member_row_t *r = *state;
	cw_vlan_plan_t p = good_plan();

	for (size_t i = 0; i < MAX_CASES && r->cases[i].msg; i++) {
		const member_case_t *c = &r->cases[i];
		cw_err_t err = { "" };

		assert_int_equal(cw_vlan_check_member(&p, c->vid, &err), c->msg[0] ? -1 : 0);
		assert_string_equal(err.msg, c->msg);
		assert_int_equal(cw_vlan_check_member(&p, c->vid, NULL), c->msg[0] ? -1 : 0);
	}
}

static void member_check_on_broken_staff_set__fails_closed(void **state)
{
	cw_vlan_plan_t p = good_plan();

	(void)state;
	p.staff.n = CW_VLAN_RANGES_MAX + 1;
	assert_int_equal(cw_vlan_check_member(&p, 100, NULL), -1);
}

int main(void)
{
	static const struct CMUnitTest parsing[] = {
		cmocka_unit_test(too_many_separate_ranges__are_refused),
		cmocka_unit_test(single_vlan_parse__accepts_only_one_number),
	};
	static const struct CMUnitTest set_operations[] = {
		cmocka_unit_test(set_add__merges_and_refuses_bad_ranges),
		cmocka_unit_test(set_add_beyond_max_ranges__leaves_set_unchanged),
		cmocka_unit_test(contains__is_true_only_inside_ranges),
		cmocka_unit_test(count__sums_the_ranges),
		cmocka_unit_test(format_then_parse__round_trips),
		cmocka_unit_test(format_of_empty_set__is_empty_string),
		cmocka_unit_test(format_into_small_buffer__is_refused),
	};
	static const struct CMUnitTest plans[] = {
		cmocka_unit_test(out_of_range_vlans_in_plan__are_refused),
		cmocka_unit_test(hand_built_unsorted_set__is_refused),
	};
	static const struct CMUnitTest members[] = {
		cmocka_unit_test(member_check_on_broken_staff_set__fails_closed),
	};
	struct CMUnitTest tests[TABLE_LEN(parse_rows) + TABLE_LEN(parsing) + TABLE_LEN(set_operations) +
				TABLE_LEN(plan_rows) + TABLE_LEN(plans) + TABLE_LEN(member_rows) + TABLE_LEN(members)];
	size_t n = 0;

	TABLE_TESTS(tests, n, parse_rows, run_parse_row, NULL);
	TABLE_TESTS_OF(tests, n, parsing);
	TABLE_TESTS_OF(tests, n, set_operations);
	TABLE_TESTS(tests, n, plan_rows, run_plan_row, NULL);
	TABLE_TESTS_OF(tests, n, plans);
	TABLE_TESTS(tests, n, member_rows, run_member_row, NULL);
	TABLE_TESTS_OF(tests, n, members);
	return _cmocka_run_group_tests("vlan", tests, n, NULL, NULL);
}
