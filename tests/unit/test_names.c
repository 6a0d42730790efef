/*
 * test_names.c - unit tests for lib/core/names.c: what admins may call things.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "names.h"

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

static void assert_id_ok(const char *s)
{
	cw_err_t err = { "" };

	if (cw_name_check_id(s, "member id", &err) != 0) fail_msg("\"%s\" refused: %s", s, err.msg);
}

/* Refused, with a message that names the kind of id. */
static void assert_id_refused(const char *s)
{
	cw_err_t err = { "" };

	assert_int_equal(cw_name_check_id(s, "tenant id", &err), -1);
	assert_msg_has(&err, "tenant id");
}

static void assert_ssid_ok(const char *s)
{
	cw_err_t err = { "" };

	if (cw_name_check_ssid(s, &err) != 0) fail_msg("SSID \"%s\" refused: %s", s, err.msg);
}

static void assert_ssid_refused(const char *s)
{
	cw_err_t err = { "" };

	assert_int_equal(cw_name_check_ssid(s, &err), -1);
	assert_msg_has(&err, "SSID");
}

static void assert_org_ok(const char *s)
{
	cw_err_t err = { "" };

	if (cw_name_check_org(s, &err) != 0) fail_msg("org \"%s\" refused: %s", s, err.msg);
}

static void assert_org_refused(const char *s)
{
	cw_err_t err = { "" };

	assert_int_equal(cw_name_check_org(s, &err), -1);
	assert_msg_has(&err, "organisation name");
}

static void assert_dns_ok(const char *s)
{
	cw_err_t err = { "" };

	if (cw_name_check_dns(s, &err) != 0) fail_msg("server name \"%s\" refused: %s", s, err.msg);
}

static void assert_dns_refused(const char *s)
{
	cw_err_t err = { "" };

	assert_int_equal(cw_name_check_dns(s, &err), -1);
	assert_msg_has(&err, "server name");
}

/* ---- member and tenant ids ---- */

static void plain_lowercase_id__is_accepted(void **state)
{
	(void)state;
	assert_id_ok("alice");
	assert_id_ok("acme");
}

static void id_with_dot_and_at__is_accepted(void **state)
{
	(void)state;
	assert_id_ok("alice.smith@acme");
	assert_id_ok("bob_jones-2");
}

static void one_character_id__is_accepted(void **state)
{
	(void)state;
	assert_id_ok("a");
	assert_id_ok("7");
}

static void id_starting_with_digit__is_accepted(void **state)
{
	(void)state;
	assert_id_ok("1alice");
}

static void id_of_64_characters__is_accepted(void **state)
{
	char buf[80];

	(void)state;
	assert_id_ok(repeat(buf, sizeof(buf), "a", 64));
}

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
	assert_id_refused("aliCe");
}

static void id_starting_with_punctuation__is_refused(void **state)
{
	(void)state;
	assert_id_refused("-alice");
	assert_id_refused(".x");
	assert_id_refused("_x");
	assert_id_refused("@acme");
}

static void id_with_space_or_slash__is_refused(void **state)
{
	(void)state;
	assert_id_refused("al ice");
	assert_id_refused("alice/x");
	assert_id_refused("../x");
	assert_id_refused("alice\n");
	assert_id_refused("alice\t");
	assert_id_refused("a:b");
}

static void utf8_id__is_refused(void **state)
{
	(void)state;
	assert_id_refused("\xc3\xa5lice");	/* "ålice" */
	assert_id_refused(KAI IN);
}

static void id_check_without_err__only_returns(void **state)
{
	(void)state;
	assert_int_equal(cw_name_check_id("Alice", "member id", NULL), -1);
	assert_int_equal(cw_name_check_id("alice", "member id", NULL), 0);
}

/* ---- SSIDs ---- */

static void ascii_ssid__is_accepted(void **state)
{
	(void)state;
	assert_ssid_ok("CoworkGuest");
	assert_ssid_ok("Cowork Guest 5G");
	assert_ssid_ok("a");
}

static void ssid_of_32_bytes__is_accepted(void **state)
{
	char buf[40];

	(void)state;
	assert_ssid_ok(repeat(buf, sizeof(buf), "S", 32));
}

static void utf8_ssid__is_accepted(void **state)
{
	(void)state;
	assert_ssid_ok(KAI IN "Wi-Fi");
	assert_ssid_ok("Caf\xc3\xa9");			/* two-byte form */
	assert_ssid_ok("\xf0\x9f\x98\x80 wifi");	/* four-byte form, U+1F600 */
}

static void empty_ssid__is_refused(void **state)
{
	(void)state;
	assert_ssid_refused("");
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
static void ssid_of_11_japanese_characters__is_refused(void **state)
{
	char buf[64];

	(void)state;
	assert_ssid_refused(repeat(buf, sizeof(buf), KAI, 11));
	assert_ssid_ok(repeat(buf, sizeof(buf), KAI, 10));
}

static void ssid_with_control_character__is_refused(void **state)
{
	(void)state;
	assert_ssid_refused("\x01");
	assert_ssid_refused("Guest\n");
	assert_ssid_refused("Gu\test");
	assert_ssid_refused("Guest\x7f");
	assert_ssid_refused("Guest\xc2\x85");	/* U+0085, a C1 control */
}

static void invalid_utf8_ssid__is_refused(void **state)
{
	(void)state;
	assert_ssid_refused("\xff");
	assert_ssid_refused("Guest\xfe");
	assert_ssid_refused("\x80");		/* lone continuation byte */
	assert_ssid_refused("\xe4\xbc");	/* truncated three-byte form */
	assert_ssid_refused("\xe4\xbc" "A");	/* continuation replaced */
}

static void overlong_utf8_ssid__is_refused(void **state)
{
	(void)state;
	assert_ssid_refused("\xc0\xaf");		/* '/' in two bytes */
	assert_ssid_refused("\xc1\xbf");
	assert_ssid_refused("\xe0\x80\xaf");		/* '/' in three bytes */
	assert_ssid_refused("\xf0\x80\x80\xaf");	/* '/' in four bytes */
}

static void surrogate_in_ssid__is_refused(void **state)
{
	(void)state;
	assert_ssid_refused("\xed\xa0\x80");	/* U+D800 */
	assert_ssid_refused("\xed\xbf\xbf");	/* U+DFFF */
}

static void code_point_above_u10ffff__is_refused(void **state)
{
	(void)state;
	assert_ssid_refused("\xf4\x90\x80\x80");
	assert_ssid_refused("\xf5\x80\x80\x80");
}

/* ---- organisation names ---- */

static void ascii_org__is_accepted(void **state)
{
	(void)state;
	assert_org_ok("Demo Space");
	assert_org_ok("X");
}

/* The limit is in characters: 64 Japanese characters are 192 bytes. */
static void japanese_org_of_64_characters__is_accepted(void **state)
{
	char buf[256];

	(void)state;
	assert_org_ok(repeat(buf, sizeof(buf), KAI, 64));
}

static void empty_org__is_refused(void **state)
{
	(void)state;
	assert_org_refused("");
}

static void org_of_65_characters__is_refused(void **state)
{
	char buf[256];

	(void)state;
	assert_org_refused(repeat(buf, sizeof(buf), "o", 65));
	assert_org_refused(repeat(buf, sizeof(buf), IN, 65));
}

static void org_with_control_character__is_refused(void **state)
{
	(void)state;
	assert_org_refused("Demo\nSpace");
	assert_org_refused("Demo\tSpace");
	assert_org_refused("\x1b[31mDemo");
	assert_org_refused("Demo\x7f");
	assert_org_refused("Demo\xc2\x9b");	/* U+009B, CSI */
}

static void invalid_utf8_org__is_refused(void **state)
{
	(void)state;
	assert_org_refused("Demo\xff");
	assert_org_refused("\xc0\xaf");
	assert_org_refused("\xed\xa0\x80");
}

/* ---- server DNS names ---- */

static void two_or_more_labels__are_accepted(void **state)
{
	(void)state;
	assert_dns_ok("radius.demo.test");
	assert_dns_ok("a-b.example.org");
	assert_dns_ok("a.b");
	assert_dns_ok("r1.example.org");
}

static void label_of_63_characters__is_accepted(void **state)
{
	char label[80], name[96];

	(void)state;
	repeat(label, sizeof(label), "a", 63);
	assert_int_equal(cw_snprintf(name, sizeof(name), "%s.example", label), 0);
	assert_dns_ok(name);
}

static void name_of_253_characters__is_accepted(void **state)
{
	char l63[80], l61[80], name[300];

	(void)state;
	repeat(l63, sizeof(l63), "a", 63);
	repeat(l61, sizeof(l61), "b", 61);
	assert_int_equal(cw_snprintf(name, sizeof(name), "%s.%s.%s.%s", l63, l63, l63, l61), 0);
	assert_int_equal(strlen(name), 253);
	assert_dns_ok(name);
}

static void single_label__is_refused(void **state)
{
	(void)state;
	assert_dns_refused("radius");
}

static void empty_name__is_refused(void **state)
{
	(void)state;
	assert_dns_refused("");
}

static void hyphen_at_label_end__is_refused(void **state)
{
	(void)state;
	assert_dns_refused("-a.example");
	assert_dns_refused("a-.example");
	assert_dns_refused("radius.-demo.test");
	assert_dns_refused("radius.demo.test-");
}

static void empty_label__is_refused(void **state)
{
	(void)state;
	assert_dns_refused("a..b");
	assert_dns_refused(".radius.demo");
	assert_dns_refused("radius.demo.test.");
}

static void underscore_or_other_character__is_refused(void **state)
{
	(void)state;
	assert_dns_refused("a_b.example");
	assert_dns_refused("radius demo.test");
	assert_dns_refused("*.demo.test");
	assert_dns_refused("r\xc3\xa9seau.example");
}

static void label_of_64_characters__is_refused(void **state)
{
	char label[80], name[96];

	(void)state;
	repeat(label, sizeof(label), "a", 64);
	assert_int_equal(cw_snprintf(name, sizeof(name), "%s.example", label), 0);
	assert_dns_refused(name);
}

static void name_of_254_characters__is_refused(void **state)
{
	char l63[80], l62[80], name[300];

	(void)state;
	repeat(l63, sizeof(l63), "a", 63);
	repeat(l62, sizeof(l62), "b", 62);
	assert_int_equal(cw_snprintf(name, sizeof(name), "%s.%s.%s.%s", l63, l63, l63, l62), 0);
	assert_int_equal(strlen(name), 254);
	assert_dns_refused(name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_lowercase_id__is_accepted),
		cmocka_unit_test(id_with_dot_and_at__is_accepted),
		cmocka_unit_test(one_character_id__is_accepted),
		cmocka_unit_test(id_starting_with_digit__is_accepted),
		cmocka_unit_test(id_of_64_characters__is_accepted),
		cmocka_unit_test(empty_id__is_refused),
		cmocka_unit_test(id_of_65_characters__is_refused),
		cmocka_unit_test(uppercase_member_id__is_refused),
		cmocka_unit_test(id_starting_with_punctuation__is_refused),
		cmocka_unit_test(id_with_space_or_slash__is_refused),
		cmocka_unit_test(utf8_id__is_refused),
		cmocka_unit_test(id_check_without_err__only_returns),
		cmocka_unit_test(ascii_ssid__is_accepted),
		cmocka_unit_test(ssid_of_32_bytes__is_accepted),
		cmocka_unit_test(utf8_ssid__is_accepted),
		cmocka_unit_test(empty_ssid__is_refused),
		cmocka_unit_test(ssid_of_33_bytes__is_refused),
		cmocka_unit_test(ssid_of_11_japanese_characters__is_refused),
		cmocka_unit_test(ssid_with_control_character__is_refused),
		cmocka_unit_test(invalid_utf8_ssid__is_refused),
		cmocka_unit_test(overlong_utf8_ssid__is_refused),
		cmocka_unit_test(surrogate_in_ssid__is_refused),
		cmocka_unit_test(code_point_above_u10ffff__is_refused),
		cmocka_unit_test(ascii_org__is_accepted),
		cmocka_unit_test(japanese_org_of_64_characters__is_accepted),
		cmocka_unit_test(empty_org__is_refused),
		cmocka_unit_test(org_of_65_characters__is_refused),
		cmocka_unit_test(org_with_control_character__is_refused),
		cmocka_unit_test(invalid_utf8_org__is_refused),
		cmocka_unit_test(two_or_more_labels__are_accepted),
		cmocka_unit_test(label_of_63_characters__is_accepted),
		cmocka_unit_test(name_of_253_characters__is_accepted),
		cmocka_unit_test(single_label__is_refused),
		cmocka_unit_test(empty_name__is_refused),
		cmocka_unit_test(hyphen_at_label_end__is_refused),
		cmocka_unit_test(empty_label__is_refused),
		cmocka_unit_test(underscore_or_other_character__is_refused),
		cmocka_unit_test(label_of_64_characters__is_refused),
		cmocka_unit_test(name_of_254_characters__is_refused),
	};

	return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
