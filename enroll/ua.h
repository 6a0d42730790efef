/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ua.h - what the landing page offers first: the platform from the
 * User-Agent, the language from Accept-Language.
 *
 * Only a suggestion: the page always has a switch to the other platforms
 * and languages, so a wrong or missing header costs a member one click.
 */
#ifndef ENROLL_UA_H
#define ENROLL_UA_H

#include <stdbool.h>

/* The operating system a User-Agent names. */
typedef enum {
	UA_OS_UNKNOWN,
	UA_OS_IOS,	//!< iPhone, iPad (before iPadOS 13), iPod
	UA_OS_MACOS,	//!< Macintosh, and iPads that say so
	UA_OS_ANDROID,
	UA_OS_CHROMEOS,
	UA_OS_WINDOWS,
	UA_OS_LINUX,
} ua_os_t;

/*
 * The files the service makes, by the platform names of the broker
 * protocol's COLLECT (docs/enrollment.md).
 */
typedef enum {
	PLAT_APPLE,	//!< .mobileconfig: iOS, iPadOS, macOS
	PLAT_EAP,	//!< .eap-config for the geteduroam app: Android, ChromeOS, Windows, Linux
	PLAT_WINDOWS,	//!< WLAN profile XML, PKCS#12 (PFX) and its password
	PLAT_LINUX,	//!< NetworkManager keyfile, wpa_supplicant block, PKCS#12
	PLAT_COUNT
} plat_t;

typedef enum {
	LANG_JA,
	LANG_EN,
	LANG_COUNT
} lang_t;

/* The operating system of a User-Agent (NULL: unknown). */
ua_os_t ua_os(const char *user_agent);

/* The platform offered first to an operating system: apple for Apple's, else eap. */
plat_t ua_primary(ua_os_t os);

/* The protocol name of a platform ("apple"); "?" for anything else. */
const char *plat_name(plat_t p);

/* A protocol name back to its platform. true when known. */
bool plat_parse(const char *s, plat_t *p);

/*
 * The language of an Accept-Language header (NULL: absent): Japanese when
 * the preferred of the ja and en ranges (by q-value, then order) is ja or
 * ja-*, English otherwise, absent or unparsable included.
 */
lang_t ua_lang(const char *accept_language);

/* "ja" or "en". */
const char *lang_code(lang_t l);

/* A ?lang= value back to its language. true when known. */
bool lang_parse(const char *s, lang_t *l);

#endif
