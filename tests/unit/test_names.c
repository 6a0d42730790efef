/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_names.c - unit tests for lib/core/names.c: what admins may call things.
 *
 * Table-driven: each row of `rows` is one test (its name is the row's),
 * a check and the inputs it must accept or refuse with a message that
 * names the kind of name. Inputs longer than a literal are built by `make`
 * from a unit repeated. Checks that need more than that are functions.
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

#include "names.h"
#include "table.h"

/* "会" U+4F1A and "員" U+54E1, three bytes each in UTF-8. */
#define KAI "\xe4\xbc\x9a"
#define IN "\xe5\x93\xa1"

/* A string of n copies of unit (n * strlen(unit) must fit in buf). */
static const char *repeat(char *buf, size_t len, const char *unit, size_t n)
{
	size_t u = strlen(unit);

	assert_true(n * u < len);
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) memcpy(buf + i * u, unit, u + 1);
	return buf;
}

static void assert_msg_has(const cw_err_t *err, const char *part)
{
	if (strstr(err->msg, part) == NULL) fail_msg("message \"%s\" lacks \"%s\"", err->msg, part);
}

typedef enum { ID, SSID, ORG, DNS } kind_t;

/* The check of a kind; its refusals name it (for ids, the kind given). */
static int check(kind_t k, const char *s, cw_err_t *err)
{
	switch (k) {
	case ID: return cw_name_check_id(s, "tenant id", err);
	case SSID: return cw_name_check_ssid(s, err);
	case ORG: return cw_name_check_org(s, err);
	default: return cw_name_check_dns(s, err);
	}
}

static const char *const kind_word[] = { "tenant id", "SSID", "organisation name", "server name" };

/* A built input: labels of `count` x `unit`, joined by dots ("a" x 63 . "b" x 61 ...). */
typedef struct built {
	const char	*unit[4];
	size_t		count[4];
} built_t;

#define MAX_INPUTS 8

typedef struct row {
	const char	*name;
	kind_t		kind;
	bool		accept;
	const char	*in[MAX_INPUTS];	//!< literal inputs, NULL-terminated
	built_t		made;			//!< and one built input when made.unit[0]
	size_t		made_len;		//!< the built input's length, when not 0 (checked)
} row_t;

static const row_t rows[] = {
	/* member and tenant ids */
	{ .name = "plain_lowercase_id__is_accepted", .kind = ID, .accept = true, .in = { "alice", "acme" } },
	{ .name = "id_with_dot_and_at__is_accepted", .kind = ID, .accept = true,
	  .in = { "alice.smith@acme", "bob_jones-2" } },
	{ .name = "one_character_id__is_accepted", .kind = ID, .accept = true, .in = { "a", "7" } },
	{ .name = "id_starting_with_digit__is_accepted", .kind = ID, .accept = true, .in = { "1alice" } },
	{ .name = "id_of_64_characters__is_accepted", .kind = ID, .accept = true, .made = { { "a" }, { 64 } } },
	{ .name = "id_starting_with_punctuation__is_refused", .kind = ID, .accept = false,
	  .in = { "-alice", ".x", "_x", "@acme" } },
	{ .name = "id_with_space_or_slash__is_refused", .kind = ID, .accept = false,
	  .in = { "al ice", "alice/x", "../x", "alice\n", "alice\t", "a:b" } },
	{ .name = "utf8_id__is_refused", .kind = ID, .accept = false, .in = { "\xc3\xa5lice" /* "ålice" */, KAI IN } },
	/* SSIDs */
	{ .name = "ascii_ssid__is_accepted", .kind = SSID, .accept = true,
	  .in = { "CoworkGuest", "Cowork Guest 5G", "a" } },
	{ .name = "ssid_of_32_bytes__is_accepted", .kind = SSID, .accept = true, .made = { { "S" }, { 32 } } },
	{ .name = "utf8_ssid__is_accepted", .kind = SSID, .accept = true,
	  .in = { KAI IN "Wi-Fi", "Caf\xc3\xa9" /* two-byte form */, "\xf0\x9f\x98\x80 wifi" /* U+1F600 */ } },
	{ .name = "empty_ssid__is_refused", .kind = SSID, .accept = false, .in = { "" } },
	/* The limit is in bytes, not characters: 11 three-byte characters are 33 bytes. */
	{ .name = "ssid_of_11_japanese_characters__is_refused", .kind = SSID, .accept = false,
	  .made = { { KAI }, { 11 } } },
	{ .name = "ssid_of_10_japanese_characters__is_accepted", .kind = SSID, .accept = true,
	  .made = { { KAI }, { 10 } } },
	{ .name = "ssid_with_control_character__is_refused", .kind = SSID, .accept = false,
	  .in = { "\x01", "Guest\n", "Gu\test", "Guest\x7f", "Guest\xc2\x85" /* U+0085, a C1 control */ } },
	{ .name = "invalid_utf8_ssid__is_refused", .kind = SSID, .accept = false,
	  .in = { "\xff", "Guest\xfe", "\x80" /* lone continuation byte */, "\xe4\xbc" /* truncated */,
	    "\xe4\xbc" "A" /* continuation replaced */ } },
	{ .name = "overlong_utf8_ssid__is_refused", .kind = SSID, .accept = false,
	  .in = { "\xc0\xaf" /* '/' in two bytes */, "\xc1\xbf", "\xe0\x80\xaf", "\xf0\x80\x80\xaf" } },
	{ .name = "surrogate_in_ssid__is_refused", .kind = SSID, .accept = false,
	  .in = { "\xed\xa0\x80" /* U+D800 */, "\xed\xbf\xbf" } },
	{ .name = "code_point_above_u10ffff__is_refused", .kind = SSID, .accept = false,
	  .in = { "\xf4\x90\x80\x80", "\xf5\x80\x80\x80" } },
	/* organisation names */
	{ .name = "ascii_org__is_accepted", .kind = ORG, .accept = true, .in = { "Demo Space", "X" } },
	/* The limit is in characters: 64 Japanese characters are 192 bytes. */
	{ .name = "japanese_org_of_64_characters__is_accepted", .kind = ORG, .accept = true,
	  .made = { { KAI }, { 64 } } },
	{ .name = "empty_org__is_refused", .kind = ORG, .accept = false, .in = { "" } },
	{ .name = "org_of_65_characters__is_refused", .kind = ORG, .accept = false, .made = { { "o" }, { 65 } } },
	{ .name = "org_of_65_japanese_characters__is_refused", .kind = ORG, .accept = false,
	  .made = { { IN }, { 65 } } },
	{ .name = "org_with_control_character__is_refused", .kind = ORG, .accept = false,
	  .in = { "Demo\nSpace", "Demo\tSpace", "\x1b[31mDemo", "Demo\x7f", "Demo\xc2\x9b" /* U+009B, CSI */ } },
	{ .name = "invalid_utf8_org__is_refused", .kind = ORG, .accept = false,
	  .in = { "Demo\xff", "\xc0\xaf", "\xed\xa0\x80" } },
	/* server DNS names */
	{ .name = "two_or_more_labels__are_accepted", .kind = DNS, .accept = true,
	  .in = { "radius.demo.test", "a-b.example.org", "a.b", "r1.example.org" } },
	{ .name = "label_of_63_characters__is_accepted", .kind = DNS, .accept = true,
	  .made = { { "a", "example" }, { 63, 1 } } },
	{ .name = "name_of_253_characters__is_accepted", .kind = DNS, .accept = true,
	  .made = { { "a", "a", "a", "b" }, { 63, 63, 63, 61 } }, .made_len = 253 },
	{ .name = "single_label__is_refused", .kind = DNS, .accept = false, .in = { "radius" } },
	{ .name = "empty_name__is_refused", .kind = DNS, .accept = false, .in = { "" } },
	{ .name = "hyphen_at_label_end__is_refused", .kind = DNS, .accept = false,
	  .in = { "-a.example", "a-.example", "radius.-demo.test", "radius.demo.test-" } },
	{ .name = "empty_label__is_refused", .kind = DNS, .accept = false,
	  .in = { "a..b", ".radius.demo", "radius.demo.test." } },
	{ .name = "underscore_or_other_character__is_refused", .kind = DNS, .accept = false,
	  .in = { "a_b.example", "radius demo.test", "*.demo.test", "r\xc3\xa9seau.example" } },
	{ .name = "label_of_64_characters__is_refused", .kind = DNS, .accept = false,
	  .made = { { "a", "example" }, { 64, 1 } } },
	{ .name = "name_of_254_characters__is_refused", .kind = DNS, .accept = false,
	  .made = { { "a", "a", "a", "b" }, { 63, 63, 63, 62 } }, .made_len = 254 },
};

/* The built input of a row into buf. */
static const char *make(const built_t *m, char *buf, size_t len)
{
	char part[256];
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < 4 && m->unit[i]; i++) {
		repeat(part, sizeof(part), m->unit[i], m->count[i]);
		assert_int_equal(cw_snprintf(buf + used, len - used, "%s%s", i ? "." : "", part), 0);
		used = strlen(buf);
	}
	return buf;
}

static void one(const row_t *r, const char *s)
{
	cw_err_t err = { "" };
	int rc = check(r->kind, s, &err);

	if (r->accept && rc != 0) fail_msg("%s: \"%s\" refused: %s", r->name, s, err.msg);
	if (!r->accept) {
		if (rc != -1) fail_msg("%s: \"%s\" accepted", r->name, s);
		assert_msg_has(&err, kind_word[r->kind]);
	}
}

/* One row: each of its inputs accepted, or refused with a message naming the kind. */
static void run_row(void **state)
{
	const row_t *r = *state;
	char buf[512];

	for (size_t i = 0; i < MAX_INPUTS && r->in[i]; i++) one(r, r->in[i]);
	if (r->made.unit[0]) {
		make(&r->made, buf, sizeof(buf));
		if (r->made_len) assert_int_equal(strlen(buf), r->made_len);
		one(r, buf);
	}
}

/* ---- checks that need more than a row ---- */

static void empty_id__is_refused(void **state)
{
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_name_check_id("", "member id", &err), -1);
	assert_msg_has(&err, "member id must be 1 to 64 characters");
}

static void id_of_65_characters__is_refused(void **state)
{
	cw_err_t err = { "" };
	char buf[80];

	(void)state;
	assert_int_equal(cw_name_check_id(repeat(buf, sizeof(buf), "a", 65), "member id", &err), -1);
	assert_msg_has(&err, "1 to 64 characters");
}

static void uppercase_member_id__is_refused(void **state)
{
	cw_err_t err = { "" };

	(void)state;
	assert_int_equal(cw_name_check_id("Alice", "member id", &err), -1);
	assert_msg_has(&err, "invalid member id \"Alice\"");
	assert_msg_has(&err, "lowercase");
	assert_int_equal(cw_name_check_id("aliCe", "member id", NULL), -1);
}

static void id_check_without_err__only_returns(void **state)
{
	(void)state;
	assert_int_equal(cw_name_check_id("Alice", "member id", NULL), -1);
	assert_int_equal(cw_name_check_id("alice", "member id", NULL), 0);
}

static void ssid_of_33_bytes__is_refused(void **state)
{
	cw_err_t err = { "" };
	char buf[40];

	(void)state;
	assert_int_equal(cw_name_check_ssid(repeat(buf, sizeof(buf), "S", 33), &err), -1);
	assert_msg_has(&err, "1 to 32 bytes");
	assert_msg_has(&err, "33");
}

/* The limit is in bytes, not characters: 11 three-byte characters are 33 bytes. */

int main(void)
{
	static const struct CMUnitTest specific[] = {
		cmocka_unit_test(empty_id__is_refused),
		cmocka_unit_test(id_of_65_characters__is_refused),
		cmocka_unit_test(uppercase_member_id__is_refused),
		cmocka_unit_test(id_check_without_err__only_returns),
		cmocka_unit_test(ssid_of_33_bytes__is_refused),
	};
	struct CMUnitTest tests[TABLE_LEN(rows) + TABLE_LEN(specific)];
	size_t n = 0;

	TABLE_TESTS(tests, n, rows, run_row, NULL);
	TABLE_TESTS_OF(tests, n, specific);
	return _cmocka_run_group_tests("names", tests, n, NULL, NULL);
}
