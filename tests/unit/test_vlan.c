/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_vlan.c - unit tests for lib/core/vlan.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vlan.h"

static cw_vlan_set_t set_of(const char *s)
{
	cw_vlan_set_t set;
	cw_err_t err = { "" };

	if (cw_vlan_set_parse(s, &set, &err) != 0) fail_msg("\"%s\": %s", s, err.msg);
	return set;
}

/* Parse s and check that it formats back as want. */
static void assert_set_is(const char *s, const char *want)
{
	cw_vlan_set_t set = set_of(s);
	char text[256];

	assert_int_equal(cw_vlan_set_format(&set, text, sizeof(text)), 0);
	assert_string_equal(text, want);
}

static void assert_msg_has(const cw_err_t *err, const char *part)
{
	if (strstr(err->msg, part) == NULL) fail_msg("message \"%s\" lacks \"%s\"", err->msg, part);
}

static void assert_set_refused(const char *s, const char *msg_part)
{
	cw_vlan_set_t set;
	cw_err_t err = { "" };

	memset(&set, 0, sizeof(set));
	set.n = 1;
	set.r[0].lo = set.r[0].hi = 7;
	assert_int_equal(cw_vlan_set_parse(s, &set, &err), -1);
	assert_int_equal(set.n, 1);	/* left alone */
	assert_msg_has(&err, msg_part);
}

/* The plan used by the plan tests: staff 10-19, members 100-189, shared 30, guest 40. */
static cw_vlan_plan_t good_plan(void)
{
	cw_vlan_plan_t p;

	memset(&p, 0, sizeof(p));
	p.staff = set_of("10-19");
	p.members = set_of("100-189");
	p.shared = 30;
	p.guest = 40;
	return p;
}

static void assert_plan_refused(const cw_vlan_plan_t *p, const char *msg)
{
	cw_err_t err = { "" };

	assert_int_equal(cw_vlan_plan_validate(p, &err), -1);
	assert_string_equal(err.msg, msg);
}

/* ---- parsing ---- */

static void list_of_single_vlans__is_parsed(void **state)
{
	cw_vlan_set_t set = set_of("10,20");

	(void)state;
	assert_int_equal(set.n, 2);
	assert_int_equal(set.r[0].lo, 10);
	assert_int_equal(set.r[0].hi, 10);
	assert_int_equal(set.r[1].lo, 20);
	assert_int_equal(set.r[1].hi, 20);
}

static void range__is_parsed(void **state)
{
	cw_vlan_set_t set = set_of("100-189");

	(void)state;
	assert_int_equal(set.n, 1);
	assert_int_equal(set.r[0].lo, 100);
	assert_int_equal(set.r[0].hi, 189);
}

static void blanks_around_items__are_allowed(void **state)
{
	(void)state;
	assert_set_is(" 10 , 30-39", "10,30-39");
	assert_set_is("\t5\t,\t6-7 ", "5-7");
}

static void unsorted_items__are_sorted(void **state)
{
	(void)state;
	assert_set_is("300,20,100-110,1", "1,20,100-110,300");
}

static void overlapping_items__are_merged(void **state)
{
	(void)state;
	assert_set_is("10-20,15-25", "10-25");
	assert_set_is("10-20,12", "10-20");
	assert_set_is("5,1-100,50-60", "1-100");
	assert_set_is("10,10", "10");
}

static void adjacent_items__are_merged(void **state)
{
	(void)state;
	assert_set_is("10-19,20-29", "10-29");
	assert_set_is("3,1,2", "1-3");
	assert_set_is("1-5,7-9,6", "1-9");
}

static void extreme_vlans__are_accepted(void **state)
{
	(void)state;
	assert_set_is("1,4094", "1,4094");
	assert_set_is("1-4094", "1-4094");
}

static void vlan_0__is_refused(void **state)
{
	(void)state;
	assert_set_refused("0", "VLAN 0 is outside 1-4094");
	assert_set_refused("0-10", "VLAN 0 is outside 1-4094");
}

static void vlan_4095__is_refused(void **state)
{
	(void)state;
	assert_set_refused("4095", "VLAN 4095 is outside 1-4094");
	assert_set_refused("10,4000-4095", "VLAN 4095 is outside 1-4094");
}

static void huge_number__is_refused_without_overflow(void **state)
{
	(void)state;
	assert_set_refused("99999999999", "VLAN 99999999999 is outside 1-4094");
	assert_set_refused("4294967306", "VLAN 4294967306 is outside 1-4094");	/* 2^32 + 10 */
	assert_set_refused("123456789012345678901234567890", "is outside 1-4094");
}

static void non_numbers__are_refused(void **state)
{
	(void)state;
	assert_set_refused("abc", "\"abc\" is not a VLAN number");
	assert_set_refused("10,x", "\"x\" is not a VLAN number");
	assert_set_refused("+10", "\"+10\" is not a VLAN number");
	assert_set_refused("10 20", "\"10 20\" is not a VLAN number");
	assert_set_refused("1-2-3", "\"2-3\" is not a VLAN number");
	assert_set_refused("0x10", "\"0x10\" is not a VLAN number");
}

static void control_characters__are_not_echoed(void **state)
{
	cw_vlan_set_t set;
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_vlan_set_parse("1\x1b[2J", &set, &err), -1);
	assert_string_equal(err.msg, "\"1?[2J\" is not a VLAN number");
}

static void long_item__is_quoted_shortened(void **state)
{
	cw_vlan_set_t set;
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_vlan_set_parse("10,abcdefghijklmnopqrstuvwxyz0123", &set, &err), -1);
	assert_string_equal(err.msg, "\"abcdefghijklmnopqrstuvwx...\" is not a VLAN number");
}

static void backwards_range__is_refused(void **state)
{
	(void)state;
	assert_set_refused("20-10", "VLAN range 20-10 runs backwards");
}

static void half_ranges__are_refused(void **state)
{
	(void)state;
	assert_set_refused("-10", "VLAN range -10 lacks a number on one side");
	assert_set_refused("10-", "VLAN range 10- lacks a number on one side");
	assert_set_refused("-", "lacks a number");
}

static void empty_list__is_refused(void **state)
{
	(void)state;
	assert_set_refused("", "empty VLAN list");
	assert_set_refused("   ", "empty item");
}

static void empty_items__are_refused(void **state)
{
	(void)state;
	assert_set_refused("1,,2", "empty item");
	assert_set_refused("1,", "empty item");
	assert_set_refused(",1", "empty item");
	assert_set_refused("1, ,2", "empty item");
}

static void too_many_separate_ranges__are_refused(void **state)
{
	char list[CW_VLAN_RANGES_MAX * 8 + 16];
	size_t used = 0;
	unsigned i;

	(void)state;
	for (i = 0; i <= CW_VLAN_RANGES_MAX; i++) {
		int n = snprintf(list + used, sizeof(list) - used, "%s%u", i ? "," : "", 2 * i + 1);

		assert_true(n > 0 && (size_t)n < sizeof(list) - used);
		used += (size_t)n;
	}
	assert_set_refused(list, "more than 64 separate ranges");
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

/* ---- plan validation ---- */

static void good_plan__is_accepted(void **state)
{
	cw_vlan_plan_t p = good_plan();
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_vlan_plan_validate(&p, &err), 0);
}

static void plan_without_staff__is_accepted(void **state)
{
	cw_vlan_plan_t p = good_plan();

	(void)state;
	memset(&p.staff, 0, sizeof(p.staff));
	assert_int_equal(cw_vlan_plan_validate(&p, NULL), 0);
}

static void staff_vlan_in_members_range__is_refused(void **state)
{
	cw_vlan_plan_t p = good_plan();

	(void)state;
	p.staff = set_of("10-19,150");
	assert_plan_refused(&p, "VLAN 150 is both staff and members");
	p.staff = set_of("90-120");
	assert_plan_refused(&p, "VLAN 100 is both staff and members");
}

static void shared_equal_to_guest__is_refused(void **state)
{
	cw_vlan_plan_t p = good_plan();

	(void)state;
	p.guest = 30;
	assert_plan_refused(&p, "VLAN 30 is both shared and guest");
}

static void shared_inside_members__is_refused(void **state)
{
	cw_vlan_plan_t p = good_plan();

	(void)state;
	p.shared = 120;
	assert_plan_refused(&p, "VLAN 120 is both members and shared");
}

static void guest_inside_members__is_refused(void **state)
{
	cw_vlan_plan_t p = good_plan();

	(void)state;
	p.guest = 189;
	assert_plan_refused(&p, "VLAN 189 is both members and guest");
}

static void guest_inside_staff__is_refused(void **state)
{
	cw_vlan_plan_t p = good_plan();

	(void)state;
	p.guest = 15;
	assert_plan_refused(&p, "VLAN 15 is both staff and guest");
}

static void shared_inside_staff__is_refused(void **state)
{
	cw_vlan_plan_t p = good_plan();

	(void)state;
	p.shared = 10;
	assert_plan_refused(&p, "VLAN 10 is both staff and shared");
}

static void empty_members__is_refused(void **state)
{
	cw_vlan_plan_t p = good_plan();

	(void)state;
	memset(&p.members, 0, sizeof(p.members));
	assert_plan_refused(&p, "members VLAN pool is empty");
}

static void unset_shared_or_guest__is_refused(void **state)
{
	cw_vlan_plan_t p = good_plan();

	(void)state;
	p.shared = 0;
	assert_plan_refused(&p, "shared VLAN is not set");
	p = good_plan();
	p.guest = 0;
	assert_plan_refused(&p, "guest VLAN is not set");
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

/* ---- the last check before a reply ---- */

static void member_vlan_in_pool__is_accepted(void **state)
{
	cw_vlan_plan_t p = good_plan();
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_vlan_check_member(&p, 100, &err), 0);
	assert_int_equal(cw_vlan_check_member(&p, 189, &err), 0);
}

static void shared_vlan_for_member__is_accepted(void **state)
{
	cw_vlan_plan_t p = good_plan();

	(void)state;
	assert_int_equal(cw_vlan_check_member(&p, 30, NULL), 0);
}

static void staff_vlan_for_member__is_refused(void **state)
{
	cw_vlan_plan_t p = good_plan();
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_vlan_check_member(&p, 12, &err), -1);
	assert_string_equal(err.msg, "VLAN 12 is a staff VLAN, never sent for a member");
}

static void vlan_outside_pool_for_member__is_refused(void **state)
{
	cw_vlan_plan_t p = good_plan();
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_vlan_check_member(&p, 190, &err), -1);
	assert_string_equal(err.msg, "VLAN 190 is neither in the members pool nor the shared VLAN");
	assert_int_equal(cw_vlan_check_member(&p, 40, &err), -1);	/* guest */
	assert_string_equal(err.msg, "VLAN 40 is neither in the members pool nor the shared VLAN");
}

static void out_of_range_vlan_for_member__is_refused(void **state)
{
	cw_vlan_plan_t p = good_plan();
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_vlan_check_member(&p, 0, &err), -1);
	assert_string_equal(err.msg, "VLAN 0 is outside 1-4094");
	assert_int_equal(cw_vlan_check_member(&p, 4095, &err), -1);
	assert_string_equal(err.msg, "VLAN 4095 is outside 1-4094");
	assert_int_equal(cw_vlan_check_member(&p, 65536 + 100, &err), -1);
	assert_string_equal(err.msg, "VLAN 65636 is outside 1-4094");
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
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(list_of_single_vlans__is_parsed),
		cmocka_unit_test(range__is_parsed),
		cmocka_unit_test(blanks_around_items__are_allowed),
		cmocka_unit_test(unsorted_items__are_sorted),
		cmocka_unit_test(overlapping_items__are_merged),
		cmocka_unit_test(adjacent_items__are_merged),
		cmocka_unit_test(extreme_vlans__are_accepted),
		cmocka_unit_test(vlan_0__is_refused),
		cmocka_unit_test(vlan_4095__is_refused),
		cmocka_unit_test(huge_number__is_refused_without_overflow),
		cmocka_unit_test(non_numbers__are_refused),
		cmocka_unit_test(control_characters__are_not_echoed),
		cmocka_unit_test(long_item__is_quoted_shortened),
		cmocka_unit_test(backwards_range__is_refused),
		cmocka_unit_test(half_ranges__are_refused),
		cmocka_unit_test(empty_list__is_refused),
		cmocka_unit_test(empty_items__are_refused),
		cmocka_unit_test(too_many_separate_ranges__are_refused),
		cmocka_unit_test(single_vlan_parse__accepts_only_one_number),
		cmocka_unit_test(set_add__merges_and_refuses_bad_ranges),
		cmocka_unit_test(set_add_beyond_max_ranges__leaves_set_unchanged),
		cmocka_unit_test(contains__is_true_only_inside_ranges),
		cmocka_unit_test(count__sums_the_ranges),
		cmocka_unit_test(format_then_parse__round_trips),
		cmocka_unit_test(format_of_empty_set__is_empty_string),
		cmocka_unit_test(format_into_small_buffer__is_refused),
		cmocka_unit_test(good_plan__is_accepted),
		cmocka_unit_test(plan_without_staff__is_accepted),
		cmocka_unit_test(staff_vlan_in_members_range__is_refused),
		cmocka_unit_test(shared_equal_to_guest__is_refused),
		cmocka_unit_test(shared_inside_members__is_refused),
		cmocka_unit_test(guest_inside_members__is_refused),
		cmocka_unit_test(guest_inside_staff__is_refused),
		cmocka_unit_test(shared_inside_staff__is_refused),
		cmocka_unit_test(empty_members__is_refused),
		cmocka_unit_test(unset_shared_or_guest__is_refused),
		cmocka_unit_test(out_of_range_vlans_in_plan__are_refused),
		cmocka_unit_test(hand_built_unsorted_set__is_refused),
		cmocka_unit_test(member_vlan_in_pool__is_accepted),
		cmocka_unit_test(shared_vlan_for_member__is_accepted),
		cmocka_unit_test(staff_vlan_for_member__is_refused),
		cmocka_unit_test(vlan_outside_pool_for_member__is_refused),
		cmocka_unit_test(out_of_range_vlan_for_member__is_refused),
		cmocka_unit_test(member_check_on_broken_staff_set__fails_closed),
	};

	return cmocka_run_group_tests_name("vlan", tests, NULL, NULL);
}
