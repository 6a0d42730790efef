/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_seal.c - unit tests for lib/core/seal.c: invitation tokens and
 * sealed devices. Whatever is not exactly the sealed blob of this token,
 * invitation and slot must fail to open, and return nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "seal.h"

#define PASSWORD "k7m2x-9qhfd-3wz8c-pq4rt"

static const uint8_t p12[] = { 0x30, 0x82, 0x01, 0x00, 'p', 'k', 'c', 's', '1', '2', 0x00, 0xff };

static void token__text_round_trips(void **state)
{
	cw_token_t t, back;
	char text[CW_TOKEN_TEXT_LEN + 1];
	cw_err_t e = { 0 };

	(void)state;
	for (int i = 0; i < 200; i++) {
		assert_int_equal(cw_token_new(&t, text, &e), 0);
		assert_int_equal(strlen(text), CW_TOKEN_TEXT_LEN);
		assert_null(strpbrk(text, "+/="));
		assert_int_equal(cw_token_parse(text, strlen(text), &back, &e), 0);
		assert_memory_equal(t.b, back.b, CW_TOKEN_LEN);
	}
}

static void token__two_are_different(void **state)
{
	cw_token_t a, b;
	char ta[CW_TOKEN_TEXT_LEN + 1], tb[CW_TOKEN_TEXT_LEN + 1];
	cw_err_t e = { 0 };

	(void)state;
	assert_int_equal(cw_token_new(&a, ta, &e), 0);
	assert_int_equal(cw_token_new(&b, tb, &e), 0);
	assert_memory_not_equal(a.b, b.b, CW_TOKEN_LEN);
	assert_string_not_equal(ta, tb);
}

/* Texts that are not a token, each with a word its refusal must hold. */
static const struct {
	const char	*text;
	const char	*msg;
} bad_texts[] = {
	{ "", "0 characters" },
	{ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "42 characters" },
	{ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "44 characters" },
	{ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "not base64url" },
	{ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+", "not base64url" },
	{ "AAAAAAAAAAAAAAAAAAAAA/AAAAAAAAAAAAAAAAAAAAA", "not base64url" },
	{ "AAAAAAAAAAAAAAAAAAAAA AAAAAAAAAAAAAAAAAAAAA", "not base64url" },
	/* the last character carries 2 unused bits: only A, E, I, ... (low 4 bits zero) */
	{ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB", "not the text" },
	{ "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA_", "not the text" },
};

static void token__refuses_what_is_not_one(void **state)
{
	cw_token_t t;
	cw_err_t e = { 0 };

	(void)state;
	for (size_t i = 0; i < sizeof(bad_texts) / sizeof(bad_texts[0]); i++) {
		e.msg[0] = '\0';
		memset(t.b, 0x55, sizeof(t.b));
		if (cw_token_parse(bad_texts[i].text, strlen(bad_texts[i].text), &t, &e) == 0)
			fail_msg("\"%s\" parsed", bad_texts[i].text);
		if (!strstr(e.msg, bad_texts[i].msg))
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"", bad_texts[i].text, e.msg, bad_texts[i].msg);
		for (size_t j = 0; j < sizeof(t.b); j++) assert_int_equal(t.b[j], 0);	/* wiped */
	}
	/* A NUL inside the length is not a character of the token. */
	assert_int_equal(cw_token_parse("AAAAAAAAAAAAAAAAAAAA\0AAAAAAAAAAAAAAAAAAAAAA", CW_TOKEN_TEXT_LEN, &t, &e), -1);
	/* The one valid last character that ends in zero bits. */
	assert_int_equal(cw_token_parse("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE", CW_TOKEN_TEXT_LEN, &t, &e), 0);
	assert_int_equal(t.b[CW_TOKEN_LEN - 1], 0x01);
}

/* RFC 4231-style fixed vector: the lookup of the all-zero token is stable across releases. */
static void lookup__is_hex_and_stable(void **state)
{
	cw_token_t t;
	char a[CW_TOKEN_LOOKUP_HEX], b[CW_TOKEN_LOOKUP_HEX];
	cw_err_t e = { 0 };

	(void)state;
	memset(t.b, 0, sizeof(t.b));
	assert_int_equal(cw_token_lookup(&t, a, &e), 0);
	assert_int_equal(strlen(a), 64);
	assert_int_equal(strspn(a, "0123456789abcdef"), 64);
	assert_int_equal(cw_token_lookup(&t, b, &e), 0);
	assert_string_equal(a, b);
	t.b[31] = 1;
	assert_int_equal(cw_token_lookup(&t, b, &e), 0);
	assert_string_not_equal(a, b);
}

static void seal__opens_with_the_same_token_invite_and_slot(void **state)
{
	cw_token_t t;
	char text[CW_TOKEN_TEXT_LEN + 1], *pw = NULL;
	uint8_t *sealed = NULL, *out = NULL;
	size_t slen = 0, olen = 0;
	cw_err_t e = { 0 };

	(void)state;
	assert_int_equal(cw_token_new(&t, text, &e), 0);
	assert_int_equal(cw_seal(&t, 7, 2, PASSWORD, p12, sizeof(p12), &sealed, &slen, &e), 0);
	assert_int_equal(slen, CW_SEAL_OVERHEAD + 1 + strlen(PASSWORD) + sizeof(p12));
	assert_null(memmem(sealed, slen, PASSWORD, strlen(PASSWORD)));	/* nothing in clear */
	assert_int_equal(cw_seal_open(&t, 7, 2, sealed, slen, &pw, &out, &olen, &e), 0);
	assert_string_equal(pw, PASSWORD);
	assert_int_equal(olen, sizeof(p12));
	assert_memory_equal(out, p12, sizeof(p12));
	cw_seal_free(pw, out, olen);
	free(sealed);
}

static void seal__two_seals_differ(void **state)
{
	cw_token_t t;
	char text[CW_TOKEN_TEXT_LEN + 1];
	uint8_t *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	cw_err_t e = { 0 };

	(void)state;
	assert_int_equal(cw_token_new(&t, text, &e), 0);
	assert_int_equal(cw_seal(&t, 1, 1, PASSWORD, p12, sizeof(p12), &a, &alen, &e), 0);
	assert_int_equal(cw_seal(&t, 1, 1, PASSWORD, p12, sizeof(p12), &b, &blen, &e), 0);
	assert_int_equal(alen, blen);
	assert_memory_not_equal(a, b, alen);	/* fresh nonce each time */
	free(a);
	free(b);
}

/* How a sealed blob is damaged or misused; none of them may open. */
typedef enum { OTHER_TOKEN, OTHER_INVITE, OTHER_SLOT, FLIP_EACH_BYTE, TRUNCATE_EACH, VERSION_2, EMPTY } misuse_t;

static void assert_does_not_open(const cw_token_t *t, int64_t invite, unsigned slot, const uint8_t *s, size_t len)
{
	char *pw = (char *)1;
	uint8_t *out = (uint8_t *)1;
	size_t olen = 1;
	cw_err_t e = { 0 };

	assert_int_equal(cw_seal_open(t, invite, slot, s, len, &pw, &out, &olen, &e), -1);
	assert_null(pw);
	assert_null(out);
	assert_int_equal(olen, 0);
	assert_true(e.msg[0] != '\0');
}

static void misuse_run(misuse_t m)
{
	cw_token_t t, other;
	char text[CW_TOKEN_TEXT_LEN + 1];
	uint8_t *s = NULL;
	size_t len = 0;
	cw_err_t e = { 0 };

	assert_int_equal(cw_token_new(&t, text, &e), 0);
	assert_int_equal(cw_token_new(&other, text, &e), 0);
	assert_int_equal(cw_seal(&t, 42, 3, PASSWORD, p12, sizeof(p12), &s, &len, &e), 0);
	switch (m) {
	case OTHER_TOKEN: assert_does_not_open(&other, 42, 3, s, len); break;
	case OTHER_INVITE: assert_does_not_open(&t, 43, 3, s, len); break;
	case OTHER_SLOT: assert_does_not_open(&t, 42, 2, s, len); break;
	case FLIP_EACH_BYTE:
		for (size_t i = 0; i < len; i++) {
			s[i] ^= 0x01;
			assert_does_not_open(&t, 42, 3, s, len);
			s[i] ^= 0x01;
		}
		break;
	case TRUNCATE_EACH:
		for (size_t i = 0; i < len; i++) assert_does_not_open(&t, 42, 3, s, i);
		break;
	case VERSION_2: s[0] = 2; assert_does_not_open(&t, 42, 3, s, len); break;
	case EMPTY: assert_does_not_open(&t, 42, 3, s, 0); break;
	}
	free(s);
}

#define MISUSE(name, m) static void seal__refuses_##name(void **state) { (void)state; misuse_run(m); }
MISUSE(another_token, OTHER_TOKEN)
MISUSE(another_invitation, OTHER_INVITE)
MISUSE(another_slot, OTHER_SLOT)
MISUSE(any_flipped_bit, FLIP_EACH_BYTE)
MISUSE(any_truncation, TRUNCATE_EACH)
MISUSE(another_version, VERSION_2)
MISUSE(nothing, EMPTY)

static void seal__refuses_bad_inputs(void **state)
{
	cw_token_t t;
	char text[CW_TOKEN_TEXT_LEN + 1], longpw[CW_SEAL_PASSWORD_MAX + 2];
	uint8_t *s = (uint8_t *)1, *big;
	size_t len = 1;
	cw_err_t e = { 0 };

	(void)state;
	assert_int_equal(cw_token_new(&t, text, &e), 0);
	assert_int_equal(cw_seal(&t, 1, 1, "short", p12, sizeof(p12), &s, &len, &e), -1);
	assert_null(s);
	assert_non_null(strstr(e.msg, "password of 5 bytes"));
	memset(longpw, 'a', sizeof(longpw) - 1);
	longpw[sizeof(longpw) - 1] = '\0';
	assert_int_equal(cw_seal(&t, 1, 1, longpw, p12, sizeof(p12), &s, &len, &e), -1);
	assert_int_equal(cw_seal(&t, 1, 1, PASSWORD, p12, 0, &s, &len, &e), -1);
	big = calloc(1, CW_SEAL_MAX);
	assert_non_null(big);
	assert_int_equal(cw_seal(&t, 1, 1, PASSWORD, big, CW_SEAL_MAX, &s, &len, &e), -1);
	assert_non_null(strstr(e.msg, "does not fit"));
	assert_null(s);
	assert_int_equal(len, 0);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(token__text_round_trips),
		cmocka_unit_test(token__two_are_different),
		cmocka_unit_test(token__refuses_what_is_not_one),
		cmocka_unit_test(lookup__is_hex_and_stable),
		cmocka_unit_test(seal__opens_with_the_same_token_invite_and_slot),
		cmocka_unit_test(seal__two_seals_differ),
		cmocka_unit_test(seal__refuses_another_token),
		cmocka_unit_test(seal__refuses_another_invitation),
		cmocka_unit_test(seal__refuses_another_slot),
		cmocka_unit_test(seal__refuses_any_flipped_bit),
		cmocka_unit_test(seal__refuses_any_truncation),
		cmocka_unit_test(seal__refuses_another_version),
		cmocka_unit_test(seal__refuses_nothing),
		cmocka_unit_test(seal__refuses_bad_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
