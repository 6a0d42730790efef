/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ua.c - platform and language from request headers.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "ua.h"

/* Tokens to look for, in order: iOS says "like Mac OS X", Android and ChromeOS say "Linux". */
static const struct {
	const char	*token;
	ua_os_t		os;
} ua_tokens[] = {
	{ "iPhone", UA_OS_IOS },
	{ "iPad", UA_OS_IOS },
	{ "iPod", UA_OS_IOS },
	{ "Android", UA_OS_ANDROID },
	{ "CrOS", UA_OS_CHROMEOS },
	{ "Windows", UA_OS_WINDOWS },
	{ "Macintosh", UA_OS_MACOS },
	{ "Mac OS X", UA_OS_MACOS },
	{ "Linux", UA_OS_LINUX },
	{ "X11", UA_OS_LINUX },
};

static const char *const plat_names[PLAT_COUNT] = {
	[PLAT_APPLE] = "apple",
	[PLAT_EAP] = "eap",
	[PLAT_WINDOWS] = "windows",
	[PLAT_LINUX] = "linux",
};

ua_os_t ua_os(const char *user_agent)
{
	if (!user_agent) return UA_OS_UNKNOWN;
	for (size_t i = 0; i < sizeof(ua_tokens) / sizeof(ua_tokens[0]); i++)
		if (strstr(user_agent, ua_tokens[i].token)) return ua_tokens[i].os;
	return UA_OS_UNKNOWN;
}

plat_t ua_primary(ua_os_t os)
{
	return os == UA_OS_IOS || os == UA_OS_MACOS ? PLAT_APPLE : PLAT_EAP;
}

const char *plat_name(plat_t p)
{
	return (unsigned)p < PLAT_COUNT ? plat_names[p] : "?";
}

bool plat_parse(const char *s, plat_t *p)
{
	for (unsigned i = 0; i < PLAT_COUNT; i++) {
		if (strcmp(s, plat_names[i]) == 0) {
			*p = (plat_t)i;
			return true;
		}
	}
	return false;
}

/* Is the n-byte range tag (no spaces) lang or lang-anything? */
static bool range_is(const char *tag, size_t n, const char *lang)
{
	size_t l = strlen(lang);

	return n >= l && strncasecmp(tag, lang, l) == 0 && (n == l || tag[l] == '-');
}

/* The q-value of the parameters p..end as thousandths (RFC 9110 qvalue); -1 when malformed. */
static int qvalue(const char *p, const char *end)
{
	int q = 1000, scale = 100;

	while (p < end && (*p == ' ' || *p == '\t')) p++;
	if (p == end) return q;
	if (*p++ != ';') return -1;
	while (p < end && (*p == ' ' || *p == '\t')) p++;
	if (end - p < 3 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=') return -1;
	p += 2;
	if (*p != '0' && *p != '1') return -1;
	q = (*p++ - '0') * 1000;
	if (p < end && *p == '.') {
		for (p++; p < end && isdigit((unsigned char)*p) && scale > 0; p++, scale /= 10)
			q += (*p - '0') * scale;
	}
	while (p < end && (*p == ' ' || *p == '\t')) p++;
	return p == end && q <= 1000 ? q : -1;
}

lang_t ua_lang(const char *accept_language)
{
	int best_q = 0;
	lang_t best = LANG_EN;
	const char *p = accept_language;

	while (p && *p) {
		const char *end = p + strcspn(p, ",");
		const char *tag, *tag_end;
		int q;

		for (tag = p; tag < end && (*tag == ' ' || *tag == '\t'); tag++) {}
		for (tag_end = tag; tag_end < end && *tag_end != ';' && *tag_end != ' ' && *tag_end != '\t'; tag_end++) {}
		q = qvalue(tag_end, end);
		if (q > best_q) {
			if (range_is(tag, (size_t)(tag_end - tag), "ja")) {
				best_q = q;
				best = LANG_JA;
			} else if (range_is(tag, (size_t)(tag_end - tag), "en")) {
				best_q = q;
				best = LANG_EN;
			}
		}
		p = *end ? end + 1 : end;
	}
	return best;
}

const char *lang_code(lang_t l)
{
	return l == LANG_JA ? "ja" : "en";
}

bool lang_parse(const char *s, lang_t *l)
{
	if (strcmp(s, "ja") == 0) {
		*l = LANG_JA;
	} else if (strcmp(s, "en") == 0) {
		*l = LANG_EN;
	} else {
		return false;
	}
	return true;
}
