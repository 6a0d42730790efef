/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_enroll_ua.c - the enrollment service's small parts: the platform
 * from a User-Agent and the language from Accept-Language (ua.c),
 * urlencoded fields (form.c), HTML escaping (html.c), the rate limit and
 * the client address behind a trusted proxy (ratelimit.c).
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

#include "form.h"
#include "html.h"
#include "ratelimit.h"
#include "ua.h"

static const struct {
	const char	*ua;
	ua_os_t		os;
	plat_t		primary;
} agents[] = {
	{ "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
	  "Version/17.4 Mobile/15E148 Safari/604.1", UA_OS_IOS, PLAT_APPLE },
	{ "Mozilla/5.0 (iPad; CPU OS 12_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
	  UA_OS_IOS, PLAT_APPLE },
	{ "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 "
	  "Safari/605.1.15", UA_OS_MACOS, PLAT_APPLE },
	{ "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile "
	  "Safari/537.36", UA_OS_ANDROID, PLAT_EAP },
	{ "Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
	  "Safari/537.36", UA_OS_CHROMEOS, PLAT_EAP },
	{ "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 "
	  "Safari/537.36 Edg/124.0.0.0", UA_OS_WINDOWS, PLAT_EAP },
	{ "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0", UA_OS_LINUX, PLAT_EAP },
	{ "curl/7.88.1", UA_OS_UNKNOWN, PLAT_EAP },
	{ "", UA_OS_UNKNOWN, PLAT_EAP },
};

static void user_agents__give_their_platform(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(agents) / sizeof(agents[0]); i++) {
		assert_int_equal(ua_os(agents[i].ua), agents[i].os);
		assert_int_equal(ua_primary(ua_os(agents[i].ua)), agents[i].primary);
	}
	assert_int_equal(ua_os(NULL), UA_OS_UNKNOWN);
}

static void platform_names__round_trip(void **state)
{
	plat_t p;

	(void)state;
	for (int i = 0; i < PLAT_COUNT; i++) {
		assert_true(plat_parse(plat_name((plat_t)i), &p));
		assert_int_equal(p, i);
	}
	assert_false(plat_parse("android", &p));
	assert_false(plat_parse("", &p));
	assert_false(plat_parse("APPLE", &p));
	assert_string_equal(plat_name(PLAT_COUNT), "?");
}

static const struct {
	const char	*header;
	lang_t		lang;
} languages[] = {
	{ "ja", LANG_JA },
	{ "ja-JP,ja;q=0.9,en-US;q=0.8,en;q=0.7", LANG_JA },
	{ "en-US,en;q=0.9,ja;q=0.8", LANG_EN },
	{ "fr-FR, ja;q=0.5", LANG_JA },
	{ "en;q=0.5, ja;q=0.6", LANG_JA },
	{ "JA-jp", LANG_JA },
	{ "fr, de", LANG_EN },
	{ "jam, jav", LANG_EN },		/* not ja: another language whose code starts so */
	{ "ja;q=0", LANG_EN },			/* "not acceptable" */
	{ "ja;q=2, en", LANG_EN },		/* a malformed q-value is ignored */
	{ "ja;level=1", LANG_EN },
	{ "*", LANG_EN },
	{ "", LANG_EN },
	{ ",,,;;;q=", LANG_EN },
};

static void accept_language__picks_the_preferred_of_ja_and_en(void **state)
{
	lang_t l;

	(void)state;
	for (size_t i = 0; i < sizeof(languages) / sizeof(languages[0]); i++) {
		if (ua_lang(languages[i].header) != languages[i].lang) fail_msg("\"%s\"", languages[i].header);
	}
	assert_int_equal(ua_lang(NULL), LANG_EN);
	assert_true(lang_parse("ja", &l) && l == LANG_JA);
	assert_true(lang_parse("en", &l) && l == LANG_EN);
	assert_false(lang_parse("fr", &l));
	assert_false(lang_parse("JA", &l));
}

static void form__decodes_fields(void **state)
{
	form_t f;
	const char *s = "platform=apple&lang=ja&note=a+b%20c%26d%3D&empty=&flag";

	(void)state;
	assert_int_equal(form_parse(s, strlen(s), &f), 0);
	assert_int_equal(f.n, 5);
	assert_string_equal(form_get(&f, "platform"), "apple");
	assert_string_equal(form_get(&f, "note"), "a b c&d=");
	assert_string_equal(form_get(&f, "empty"), "");
	assert_string_equal(form_get(&f, "flag"), "");
	assert_null(form_get(&f, "other"));
	assert_int_equal(form_parse("", 0, &f), 0);
	assert_int_equal(f.n, 0);
	assert_int_equal(form_parse("&&a=1&", 6, &f), 0);
	assert_int_equal(f.n, 1);
}

static void form__refuses_what_is_ambiguous_or_too_big(void **state)
{
	static const char *const bad[] = {
		"a=1&a=2", "a=%", "a=%4", "a=%zz", "a=%00", "=1", "%41%=1",
		"a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9",
		"abcdefghijklmnopq=1",
	};
	char big[FORM_VALUE_MAX + 8];
	form_t f;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (form_parse(bad[i], strlen(bad[i]), &f) == 0) fail_msg("\"%s\" was accepted", bad[i]);
		assert_int_equal(f.n, 0);
	}
	memcpy(big, "v=", 2);
	memset(big + 2, 'x', FORM_VALUE_MAX + 1);
	assert_int_equal(form_parse(big, FORM_VALUE_MAX + 3, &f), -1);
	assert_int_equal(form_parse(big, FORM_VALUE_MAX + 2, &f), 0);
	/* Not terminated: only len bytes are read. */
	assert_int_equal(form_parse("a=12345", 3, &f), 0);
	assert_string_equal(form_get(&f, "a"), "1");
}

static void html__escapes_markup_and_controls(void **state)
{
	cw_buf_t hb = CW_BUF_INIT(HB_MAX);
	char *out;
	size_t len;

	(void)state;
	hb_esc(&hb, "<script>\"a\" & 'b'\x01\x7f\n");
	hb_tpl(&hb, "<p title=\"%s\">%s</p>", "\"><x", "&amp;");
	assert_int_equal(cw_buf_finish(&hb, &out, &len), 0);
	assert_string_equal(out, "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;??\n"
				 "<p title=\"&quot;&gt;&lt;x\">&amp;amp;</p>");
	assert_int_equal(len, strlen(out));
	cw_buf_free_text(out, len);
}

static void html__reports_a_buffer_past_its_bound(void **state)
{
	cw_buf_t hb = CW_BUF_INIT(HB_MAX);
	char *chunk = malloc(HB_MAX / 4), *out;
	size_t len;

	(void)state;
	assert_non_null(chunk);
	memset(chunk, 'a', HB_MAX / 4);
	for (int i = 0; i < 5; i++) cw_buf_add(&hb, chunk, HB_MAX / 4);
	assert_int_equal(cw_buf_finish(&hb, &out, &len), -1);
	assert_null(out);
	free(chunk);
}

static void ratelimit__burst_then_refill(void **state)
{
	ratelimit_t *rl = rl_new(3, 60);	/* one a second */

	(void)state;
	assert_non_null(rl);
	for (int i = 0; i < 3; i++) assert_true(rl_allow(rl, "192.0.2.1", 1000));
	assert_false(rl_allow(rl, "192.0.2.1", 1000));
	assert_true(rl_allow(rl, "192.0.2.2", 1000));	/* another client has its own bucket */
	assert_false(rl_allow(rl, "192.0.2.1", 1500));
	assert_true(rl_allow(rl, "192.0.2.1", 2000));
	assert_false(rl_allow(rl, "192.0.2.1", 2000));
	/* A long pause refills up to the burst, not beyond. */
	for (int i = 0; i < 3; i++) assert_true(rl_allow(rl, "192.0.2.1", 100000));
	assert_false(rl_allow(rl, "192.0.2.1", 100000));
	rl_free(rl);
}

static void ratelimit__a_full_table_still_answers(void **state)
{
	ratelimit_t *rl = rl_new(1, 1);
	char addr[32];

	(void)state;
	assert_non_null(rl);
	for (int i = 0; i < RL_SLOTS * 2; i++) {
		snprintf(addr, sizeof(addr), "10.%d.%d.%d", i >> 16 & 255, i >> 8 & 255, i & 255);
		assert_true(rl_allow(rl, addr, 1000));
	}
	rl_free(rl);
}

static void client__x_forwarded_for_only_from_the_trusted_proxy(void **state)
{
	char out[RL_ADDR_MAX];

	(void)state;
	assert_int_equal(rl_client("192.0.2.7", NULL, NULL, out), 0);
	assert_string_equal(out, "192.0.2.7");
	/* Not the proxy: its X-Forwarded-For is the client's own word. */
	assert_int_equal(rl_client("192.0.2.7", "203.0.113.5", "127.0.0.1", out), 0);
	assert_string_equal(out, "192.0.2.7");
	/* The proxy: the last hop, what the proxy itself saw; earlier hops are ignored. */
	assert_int_equal(rl_client("127.0.0.1", "10.0.0.1, 203.0.113.5 ", "127.0.0.1", out), 0);
	assert_string_equal(out, "203.0.113.5");
	assert_int_equal(rl_client("::ffff:127.0.0.1", "2001:DB8::1", "127.0.0.1", out), 0);
	assert_string_equal(out, "2001:db8::1");
	/* A last hop that is no address leaves the peer. */
	assert_int_equal(rl_client("127.0.0.1", "203.0.113.5, evil", "127.0.0.1", out), 0);
	assert_string_equal(out, "127.0.0.1");
	assert_int_equal(rl_client("127.0.0.1", "", "127.0.0.1", out), 0);
	assert_string_equal(out, "127.0.0.1");
	assert_int_equal(rl_client("not an address", NULL, NULL, out), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(user_agents__give_their_platform),
		cmocka_unit_test(platform_names__round_trip),
		cmocka_unit_test(accept_language__picks_the_preferred_of_ja_and_en),
		cmocka_unit_test(form__decodes_fields),
		cmocka_unit_test(form__refuses_what_is_ambiguous_or_too_big),
		cmocka_unit_test(html__escapes_markup_and_controls),
		cmocka_unit_test(html__reports_a_buffer_past_its_bound),
		cmocka_unit_test(ratelimit__burst_then_refill),
		cmocka_unit_test(ratelimit__a_full_table_still_answers),
		cmocka_unit_test(client__x_forwarded_for_only_from_the_trusted_proxy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
