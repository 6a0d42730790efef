/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_profile.c - unit tests for lib/ca/profile.c: the onboarding files.
 *
 * The texts are checked here for what each format needs (keys, escapes,
 * cross-references, refusals); tests/integration/profiles.sh reads the same
 * files with real parsers (plistlib, libnm, xml.etree) and authenticates
 * with the wpa_supplicant block.
 */
#ifndef OPENSSL_NO_DEPRECATED
#  define OPENSSL_NO_DEPRECATED
#endif

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "ca.h"
#include "profile.h"

#define NOW		INT64_C(1767225600)	/* 2026-01-01T00:00:00Z */
#define PASSWORD	"k7m2x-9qhfd-3wz8c-abcde"
#define SERVER		"radius.demo.test"

typedef struct {
	cw_ca_t			*ca;
	unsigned char		*ca_der;
	size_t			ca_der_len;
	unsigned char		p12[300];	//!< the builders treat it as opaque bytes
	cw_profile_in_t		in;
	char			dir[64];	//!< the signer's files (setup_signer), or ""
} fixture_t;

typedef int (*builder_t)(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err);

static int setup(void **state)
{
	fixture_t *f = calloc(1, sizeof(*f));
	char *pem = NULL, *key = NULL;
	size_t pem_len = 0, key_len = 0;
	cw_err_t e;

	assert_non_null(f);
	assert_int_equal(cw_ca_generate("Demo Space", 3650, NOW, &f->ca, &e), 0);
	assert_int_equal(cw_ca_export(f->ca, &pem, &pem_len, &key, &key_len, &e), 0);
	assert_int_equal(cw_cert_pem_to_der(pem, pem_len, &f->ca_der, &f->ca_der_len, &e), 0);
	free(pem);
	cw_secret_free(key, key_len);
	for (size_t i = 0; i < sizeof(f->p12); i++) f->p12[i] = (unsigned char)(i * 7 + 1);
	f->in = (cw_profile_in_t){ .member = "alice", .org = "Demo Space", .ssid = "CoworkMembers",
				   .server_name = SERVER, .ca_der = f->ca_der, .ca_der_len = f->ca_der_len,
				   .p12 = f->p12, .p12_len = sizeof(f->p12), .p12_password = PASSWORD,
				   .p12_path = "/home/alice/wifi/alice.p12", .ca_path = "/home/alice/wifi/alice-ca.crt",
				   .ca_file = "alice-ca.crt", .p12_file = "alice.p12", .wlan_file = "alice.wlan.xml" };
	assert_int_equal(cw_profile_uuids_make(&f->in.uuids, &e), 0);
	*state = f;
	return 0;
}

/* The files setup_signer writes into f->dir. */
static const char *const signer_files[] = {
	"ca.pem", "signer.pem", "signer.key", "full.pem", "member.key", "encrypted.key", "nocert.pem", "broken.pem",
};

static int teardown(void **state)
{
	fixture_t *f = *state;
	char path[128];

	if (f->dir[0]) {
		for (size_t i = 0; i < sizeof(signer_files) / sizeof(signer_files[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", f->dir, signer_files[i]);
			unlink(path);
		}
		rmdir(f->dir);
	}
	cw_ca_free(f->ca);
	free(f->ca_der);
	free(f);
	return 0;
}

/* Run a builder that must succeed; the caller frees the text with cw_secret_free. */
static char *build(builder_t fn, const cw_profile_in_t *in, size_t *len)
{
	char *out = NULL;
	cw_err_t e = { "" };

	if (fn(in, &out, len, &e) != 0) fail_msg("builder refused: %s", e.msg);
	assert_non_null(out);
	assert_int_equal(strlen(out), *len);
	return out;
}

/* A builder that must refuse, with a message holding `part`, and leave *out NULL. */
static void assert_refused(builder_t fn, const cw_profile_in_t *in, const char *part)
{
	char *out = (char *)"untouched";
	size_t len = 1;
	cw_err_t e = { "" };

	assert_int_equal(fn(in, &out, &len, &e), -1);
	assert_null(out);
	assert_int_equal(len, 0);
	if (!strstr(e.msg, part)) fail_msg("message \"%s\" lacks \"%s\"", e.msg, part);
}

static void assert_has(const char *text, const char *part)
{
	if (!strstr(text, part)) fail_msg("text lacks \"%s\":\n%s", part, text);
}

static void assert_lacks(const char *text, const char *part)
{
	if (strstr(text, part)) fail_msg("text has \"%s\":\n%s", part, text);
}

static void free_text(char *text, size_t len)
{
	cw_secret_free(text, len);
}

/*
 * The <string> after the n-th (from 0) "<key>key</key>" of a plist, into
 * buf; walks over an <array> to its first <string>. Fails the test when
 * absent.
 */
static const char *plist_value(const char *text, const char *key, int n, char *buf, size_t len)
{
	char tag[128];
	const char *p = text, *s, *e;

	snprintf(tag, sizeof(tag), "<key>%s</key>", key);
	for (int i = 0; i <= n; i++) {
		p = strstr(p, tag);
		if (!p) fail_msg("no %d-th %s", n, tag);
		p += strlen(tag);
	}
	s = strstr(p, "<string>");
	assert_non_null(s);
	s += strlen("<string>");
	e = strstr(s, "</string>");
	assert_non_null(e);
	assert_true((size_t)(e - s) < len);
	memcpy(buf, s, (size_t)(e - s));
	buf[e - s] = '\0';
	return buf;
}

/*
 * The text of the n-th (from 0) element <tag ...>text</tag> into buf;
 * fails the test when absent.
 */
static const char *element_text(const char *text, const char *tag, int n, char *buf, size_t len)
{
	char open[64], close[64];
	const char *p = text, *s, *e;

	snprintf(open, sizeof(open), "<%s", tag);
	snprintf(close, sizeof(close), "</%s>", tag);
	for (int i = 0; i <= n; i++) {
		do {
			p = strstr(p, open);
			if (!p) fail_msg("no %d-th <%s>", n, tag);
			p += strlen(open);
		} while (*p != '>' && *p != ' ');
	}
	s = strchr(p, '>') + 1;
	e = strstr(s, close);
	assert_non_null(e);
	assert_true((size_t)(e - s) < len);
	memcpy(buf, s, (size_t)(e - s));
	buf[e - s] = '\0';
	return buf;
}

/* a stands before b in text, both present. */
static void assert_order(const char *text, const char *a, const char *b)
{
	const char *pa = strstr(text, a), *pb = strstr(text, b);

	if (!pa || !pb || pa > pb) fail_msg("\"%s\" does not stand before \"%s\"", a, b);
}

/* Base64 of data on one line, as NetworkManager's data: form holds it. */
static char *base64(const unsigned char *data, size_t len)
{
	char *out = malloc((len + 2) / 3 * 4 + 1);

	assert_non_null(out);
	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

/* ---- --profile lists --------------------------------------------------------- */

static void profile_list__single_several_and_all(void **state)
{
	unsigned k = 0;
	cw_err_t e;

	(void)state;
	assert_int_equal(cw_profile_parse_list("apple", &k, &e), 0);
	assert_int_equal(k, CW_PROFILE_APPLE);
	assert_int_equal(cw_profile_parse_list("linux,windows", &k, &e), 0);
	assert_int_equal(k, CW_PROFILE_LINUX | CW_PROFILE_WINDOWS);
	assert_int_equal(cw_profile_parse_list("all", &k, &e), 0);
	assert_int_equal(k, CW_PROFILE_ALL);
	assert_int_equal(cw_profile_parse_list("android,apple,windows,linux", &k, &e), 0);
	assert_int_equal(k, CW_PROFILE_ALL);
	assert_string_equal(cw_profile_name(CW_PROFILE_ANDROID), "android");
	assert_string_equal(cw_profile_name(3), "?");
}

static void profile_list__unknown_empty_or_repeated__is_refused(void **state)
{
	const char *bad[] = { "", "ios", "apple,", ",apple", "apple,,linux", "Apple", "apple linux", "apple,apple",
			      "all,linux" };
	unsigned k;
	cw_err_t e;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		e.msg[0] = '\0';
		if (cw_profile_parse_list(bad[i], &k, &e) != -1) fail_msg("\"%s\" accepted", bad[i]);
		if (!strstr(e.msg, "apple, linux, android, windows") && !strstr(e.msg, "twice")) {
			fail_msg("\"%s\": message \"%s\" does not list the valid names", bad[i], e.msg);
		}
	}
	assert_int_equal(cw_profile_parse_list(NULL, &k, &e), -1);
}

/* ---- UUIDs, thumbprints, DER --------------------------------------------------- */

static void uuid_v4__is_random_version_4_variant_10(void **state)
{
	char a[CW_UUID_STR_LEN + 1], b[CW_UUID_STR_LEN + 1];
	cw_err_t e;

	(void)state;
	assert_int_equal(cw_uuid_v4(a, &e), 0);
	assert_int_equal(cw_uuid_v4(b, &e), 0);
	assert_int_equal(strlen(a), 36);
	assert_string_not_equal(a, b);
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) assert_int_equal(a[i], '-');
		else assert_non_null(strchr("0123456789abcdef", a[i]));
	}
	assert_int_equal(a[14], '4');
	assert_non_null(strchr("89ab", a[19]));
}

static void thumbprint__is_sha1_as_windows_writes_it(void **state)
{
	fixture_t *f = *state;
	char t[CW_THUMBPRINT_STR_LEN + 1], want[CW_THUMBPRINT_STR_LEN + 1];
	const unsigned char *p = f->ca_der;
	unsigned char md[20];
	unsigned mdlen = 0;
	X509 *x = d2i_X509(NULL, &p, (long)f->ca_der_len);
	cw_err_t e;

	/* Known answer: SHA-1("abc") (FIPS 180-2). */
	assert_int_equal(cw_cert_thumbprint_sha1((const unsigned char *)"abc", 3, t, &e), 0);
	assert_string_equal(t, "a9 99 3e 36 47 06 81 6a ba 3e 25 71 78 50 c2 6c 9c d0 d8 9d");
	/* The CA's, against OpenSSL's own certificate digest. */
	assert_non_null(x);
	assert_int_equal(X509_digest(x, EVP_sha1(), md, &mdlen), 1);
	X509_free(x);
	for (unsigned i = 0; i < mdlen; i++) snprintf(want + 3 * i, 4, i + 1 < mdlen ? "%02x " : "%02x", md[i]);
	assert_int_equal(cw_cert_thumbprint_sha1(f->ca_der, f->ca_der_len, t, &e), 0);
	assert_string_equal(t, want);
	assert_int_equal(cw_cert_thumbprint_sha1(f->ca_der, 0, t, &e), -1);
}

static void pem_to_der__round_trips_and_refuses_garbage(void **state)
{
	fixture_t *f = *state;
	const unsigned char *p = f->ca_der;
	unsigned char *der = NULL;
	size_t len = 0;
	X509 *x = d2i_X509(NULL, &p, (long)f->ca_der_len);
	cw_err_t e;

	assert_non_null(x);
	assert_true(p == f->ca_der + f->ca_der_len);	/* exactly one certificate */
	X509_free(x);
	assert_int_equal(cw_cert_pem_to_der("not a certificate", 17, &der, &len, &e), -1);
	assert_null(der);
	assert_int_equal(cw_cert_pem_to_der("", 0, &der, &len, &e), -1);
}

/* ---- Apple ------------------------------------------------------------------------ */

static void apple__three_payloads_cross_referenced(void **state)
{
	fixture_t *f = *state;
	char v[256], w[256];
	size_t len;
	char *t = build(cw_profile_apple, &f->in, &len);

	assert_has(t, "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\"");
	assert_has(t, "<string>com.apple.security.pkcs12</string>");
	assert_has(t, "<string>com.apple.security.root</string>");
	assert_has(t, "<string>com.apple.wifi.managed</string>");
	assert_has(t, "<string>Configuration</string>");
	/* Payload UUIDs in order: pkcs12, root, wifi, then the profile's own. */
	assert_string_equal(plist_value(t, "PayloadUUID", 0, v, sizeof(v)), f->in.uuids.pkcs12);
	assert_string_equal(plist_value(t, "PayloadUUID", 1, v, sizeof(v)), f->in.uuids.ca);
	assert_string_equal(plist_value(t, "PayloadUUID", 2, v, sizeof(v)), f->in.uuids.wifi);
	assert_string_equal(plist_value(t, "PayloadUUID", 3, v, sizeof(v)), f->in.uuids.profile);
	assert_string_equal(plist_value(t, "PayloadCertificateUUID", 0, w, sizeof(w)), f->in.uuids.pkcs12);
	assert_string_equal(plist_value(t, "PayloadCertificateAnchorUUID", 0, w, sizeof(w)), f->in.uuids.ca);
	assert_string_equal(plist_value(t, "TLSTrustedServerNames", 0, w, sizeof(w)), SERVER);
	assert_string_equal(plist_value(t, "UserName", 0, w, sizeof(w)), "alice");
	assert_string_equal(plist_value(t, "SSID_STR", 0, w, sizeof(w)), "CoworkMembers");
	assert_string_equal(plist_value(t, "EncryptionType", 0, w, sizeof(w)), "WPA2");
	assert_has(t, "<key>AcceptEAPTypes</key>\n\t\t\t\t<array>\n\t\t\t\t\t<integer>13</integer>\n\t\t\t\t</array>");
	assert_has(t, "<key>AutoJoin</key>\n\t\t\t<true/>");
	/* Identifiers: reverse DNS of the server name, then the member. */
	assert_string_equal(plist_value(t, "PayloadIdentifier", 0, w, sizeof(w)), "test.demo.radius.cowork.alice.pkcs12");
	assert_string_equal(plist_value(t, "PayloadIdentifier", 3, w, sizeof(w)), "test.demo.radius.cowork.alice");
	/* The password never goes in: the device asks for it. */
	assert_lacks(t, PASSWORD);
	assert_lacks(t, "<key>Password</key>");
	free_text(t, len);
}

static void apple__payload_data_is_the_exact_bytes(void **state)
{
	fixture_t *f = *state;
	char *p12 = base64(f->p12, 48), *ca = base64(f->ca_der, 48);
	size_t len;
	char *t = build(cw_profile_apple, &f->in, &len);

	/* Lines of 64 characters: the first line of each <data> is the first 48 bytes. */
	assert_has(t, p12);
	assert_has(t, ca);
	free(p12);
	free(ca);
	free_text(t, len);
}

/* An org, an SSID and a password that need every escape XML has, and how they must read in XML. */
#define HOSTILE_ORG		"A&B <Co> \"Q\" 'x'"
#define HOSTILE_ORG_XML		"A&amp;B &lt;Co&gt; &quot;Q&quot; &apos;x&apos;"
#define HOSTILE_SSID		"M&<>\"'"
#define HOSTILE_SSID_XML	"M&amp;&lt;&gt;&quot;&apos;"
#define HOSTILE_PASSWORD	"a&b<c>'d"	/* no '"': check_password refuses it */
#define HOSTILE_PASSWORD_XML	"a&amp;b&lt;c&gt;&apos;d"

/* fn's text for base with the hostile org, SSID and password; none of them appears unescaped. */
static char *build_hostile(const cw_profile_in_t *base, builder_t fn, size_t *len)
{
	cw_profile_in_t in = *base;
	char *t;

	in.org = HOSTILE_ORG;
	in.ssid = HOSTILE_SSID;
	in.p12_password = HOSTILE_PASSWORD;
	t = build(fn, &in, len);
	assert_lacks(t, "M&<");
	assert_lacks(t, "A&B");
	assert_lacks(t, "a&b");
	return t;
}

static void apple__every_string_is_xml_escaped(void **state)
{
	fixture_t *f = *state;
	char v[256];
	size_t len;
	char *t = build_hostile(&f->in, cw_profile_apple, &len);

	assert_string_equal(plist_value(t, "SSID_STR", 0, v, sizeof(v)), HOSTILE_SSID_XML);
	assert_string_equal(plist_value(t, "PayloadOrganization", 0, v, sizeof(v)), HOSTILE_ORG_XML);
	free_text(t, len);
}

static void apple__character_xml_cannot_carry__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_profile_in_t in = f->in;

	in.org = "Space \xef\xbf\xbe";	/* U+FFFE */
	assert_refused(cw_profile_apple, &in, "XML cannot carry");
}

static void apple__password_flag__puts_it_into_the_pkcs12_payload(void **state)
{
	fixture_t *f = *state;
	cw_profile_in_t in = f->in;
	char v[256];
	size_t len;
	char *t;

	in.apple_password = true;
	t = build(cw_profile_apple, &in, &len);
	assert_string_equal(plist_value(t, "Password", 0, v, sizeof(v)), PASSWORD);
	/* In the PKCS#12 payload, which Apple's tools write in key order: Password first. */
	assert_order(t, "<key>Password</key>", "<string>com.apple.security.pkcs12</string>");
	assert_order(t, "<key>Password</key>", "<key>PayloadCertificateFileName</key>");
	assert_lacks(t, "asks for the PKCS#12 password");
	free_text(t, len);
	t = build_hostile(&in, cw_profile_apple, &len);
	assert_string_equal(plist_value(t, "Password", 0, v, sizeof(v)), HOSTILE_PASSWORD_XML);
	free_text(t, len);
}

static void apple__password_flag_with_a_bad_password__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_profile_in_t in = f->in;
	size_t len;
	char *t;

	in.apple_password = true;
	in.p12_password = NULL;
	assert_refused(cw_profile_apple, &in, "1 to 128");
	in.p12_password = "two words";
	assert_refused(cw_profile_apple, &in, "cannot carry");
	/* Without the flag the password is not read at all, as before. */
	in.apple_password = false;
	t = build(cw_profile_apple, &in, &len);
	assert_lacks(t, "<key>Password</key>");
	free_text(t, len);
}

/* ---- eduroam .eap-config ------------------------------------------------------------- */

static void eap_config__one_tls_method_as_the_apps_read_it(void **state)
{
	fixture_t *f = *state;
	char *ca = base64(f->ca_der, f->ca_der_len), *p12 = base64(f->p12, sizeof(f->p12));
	char v[4096];
	size_t len;
	char *t = build(cw_profile_eap_config, &f->in, &len);

	assert_has(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EAPIdentityProviderList ");
	assert_has(t, "<EAPIdentityProvider ID=\"" SERVER "\" namespace=\"urn:RFC4282:realm\" lang=\"en\" "
		   "version=\"1\">");
	/* As CAT and letswifi-portal write it: no default namespace. */
	assert_lacks(t, "xmlns=");
	assert_string_equal(element_text(t, "Type", 0, v, sizeof(v)), "13");
	assert_has(t, "<CA format=\"X.509\" encoding=\"base64\">");
	assert_string_equal(element_text(t, "CA", 0, v, sizeof(v)), ca);
	assert_string_equal(element_text(t, "ServerID", 0, v, sizeof(v)), SERVER);
	assert_string_equal(element_text(t, "OuterIdentity", 0, v, sizeof(v)), "alice");
	assert_has(t, "<ClientCertificate format=\"PKCS12\" encoding=\"base64\">");
	assert_string_equal(element_text(t, "ClientCertificate", 0, v, sizeof(v)), p12);
	assert_string_equal(element_text(t, "Passphrase", 0, v, sizeof(v)), PASSWORD);
	assert_string_equal(element_text(t, "SSID", 0, v, sizeof(v)), "CoworkMembers");
	assert_string_equal(element_text(t, "MinRSNProto", 0, v, sizeof(v)), "CCMP");
	assert_string_equal(element_text(t, "DisplayName", 0, v, sizeof(v)), "Demo Space");
	assert_has(t, "<Description>The member Wi-Fi network, with the certificate of alice.</Description>");
	/* The schema's order. */
	assert_order(t, "<AuthenticationMethods>", "<CredentialApplicability>");
	assert_order(t, "<CredentialApplicability>", "<ProviderInfo>");
	assert_order(t, "<EAPMethod>", "<ServerSideCredential>");
	assert_order(t, "<ServerSideCredential>", "<ClientSideCredential>");
	assert_order(t, "<CA ", "<ServerID>");
	assert_order(t, "<OuterIdentity>", "<ClientCertificate ");
	assert_order(t, "<ClientCertificate ", "<Passphrase>");
	assert_order(t, "<DisplayName>", "<Description>");
	/* Exactly one of each. */
	assert_null(strstr(strstr(t, "<AuthenticationMethod>") + 1, "<AuthenticationMethod>"));
	assert_null(strstr(strstr(t, "<IEEE80211>") + 1, "<IEEE80211>"));
	free(ca);
	free(p12);
	free_text(t, len);
}

static void eap_config__every_value_is_xml_escaped(void **state)
{
	fixture_t *f = *state;
	cw_profile_in_t in = f->in;
	char v[256];
	size_t len;
	char *t = build_hostile(&f->in, cw_profile_eap_config, &len);

	assert_string_equal(element_text(t, "SSID", 0, v, sizeof(v)), HOSTILE_SSID_XML);
	assert_string_equal(element_text(t, "DisplayName", 0, v, sizeof(v)), HOSTILE_ORG_XML);
	assert_string_equal(element_text(t, "Passphrase", 0, v, sizeof(v)), HOSTILE_PASSWORD_XML);
	free_text(t, len);
	in.ssid = "\xe4\xbc\x9a";	/* UTF-8 as it is */
	t = build(cw_profile_eap_config, &in, &len);
	assert_has(t, "<SSID>\xe4\xbc\x9a</SSID>");
	free_text(t, len);
}

static void eap_config__what_it_cannot_write__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_profile_in_t in = f->in;

	in.org = "Space \xef\xbf\xbf";	/* U+FFFF */
	assert_refused(cw_profile_eap_config, &in, "XML cannot carry");
	in.org = NULL;
	assert_refused(cw_profile_eap_config, &in, "organisation name");
	in = f->in;
	in.p12_password = NULL;
	assert_refused(cw_profile_eap_config, &in, "1 to 128");
	/* Some XML readers trim the text of an element: no space at all. */
	in.p12_password = " leading";
	assert_refused(cw_profile_eap_config, &in, "cannot carry");
	in = f->in;
	in.ca_der = NULL;
	assert_refused(cw_profile_eap_config, &in, "CA certificate is empty");
	in = f->in;
	in.p12_len = CW_PROFILE_P12_MAX + 1;
	assert_refused(cw_profile_eap_config, &in, "PKCS#12");
}

static void eap_config__needs_no_uuids(void **state)
{
	fixture_t *f = *state;
	cw_profile_in_t in = f->in;
	size_t len;
	char *t;

	memset(&in.uuids, 0, sizeof(in.uuids));
	t = build(cw_profile_eap_config, &in, &len);
	free_text(t, len);
}

/* ---- signed profiles ------------------------------------------------------------------- */

#define SIGNER_NAME	"enroll.demo.test"
#define VERIFY_AT	(NOW + 86400)	/* every certificate of the fixture is valid then */

/* f->dir/name, into a buffer of the caller's. */
static const char *signer_path(const fixture_t *f, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", f->dir, name);
	return buf;
}

static void write_file(const fixture_t *f, const char *name, const char *data)
{
	char path[128];
	FILE *fp = fopen(signer_path(f, name, path, sizeof(path)), "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, strlen(data), fp), strlen(data));
	assert_int_equal(fclose(fp), 0);
}

/* key_pem again, encrypted with AES-256-CBC under "secret". */
static char *encrypt_key(const char *key_pem)
{
	BIO *in = BIO_new_mem_buf(key_pem, -1), *out = BIO_new(BIO_s_mem());
	EVP_PKEY *key = PEM_read_bio_PrivateKey(in, NULL, NULL, NULL);
	char *data = NULL, *copy;
	long n;

	assert_non_null(key);
	assert_int_equal(PEM_write_bio_PrivateKey(out, key, EVP_aes_256_cbc(), (unsigned char *)"secret", 6, NULL, NULL),
			 1);
	n = BIO_get_mem_data(out, &data);
	copy = strndup(data, (size_t)n);
	assert_non_null(copy);
	EVP_PKEY_free(key);
	BIO_free(in);
	BIO_free(out);
	return copy;
}

/*
 * setup, then a signing certificate as a web service would have one (the
 * CA's server profile: EKU serverAuth, digitalSignature) and the files:
 * ca.pem, signer.pem/.key, full.pem (signer then CA), member.key (another
 * key), encrypted.key (the signer's, encrypted), nocert.pem, broken.pem (the
 * signer's certificate, then one that does not parse).
 */
static int setup_signer(void **state)
{
	fixture_t *f;
	static const char broken[] = "-----BEGIN CERTIFICATE-----\nMIIBAAAA\n-----END CERTIFICATE-----\n";
	cw_issued_t signer = { 0 }, member = { 0 };
	char *ca_pem = NULL, *ca_key = NULL, *full, *enc;
	size_t ca_len = 0, key_len = 0;
	cw_err_t e;

	setup(state);
	f = *state;
	snprintf(f->dir, sizeof(f->dir), "%s/test_profile.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(cw_ca_export(f->ca, &ca_pem, &ca_len, &ca_key, &key_len, &e), 0);
	assert_int_equal(cw_ca_issue_server(f->ca, SIGNER_NAME, 365, NOW, &signer, &e), 0);
	assert_int_equal(cw_ca_issue_member(f->ca, "bob", 365, 0, NOW, &member, &e), 0);
	write_file(f, "ca.pem", ca_pem);
	write_file(f, "signer.pem", signer.cert_pem);
	write_file(f, "signer.key", signer.key_pem);
	write_file(f, "member.key", member.key_pem);
	write_file(f, "nocert.pem", "-----BEGIN NOTHING-----\nAAAA\n-----END NOTHING-----\n");
	full = malloc(signer.cert_pem_len + ca_len + 1);
	assert_non_null(full);
	memcpy(full, signer.cert_pem, signer.cert_pem_len);
	memcpy(full + signer.cert_pem_len, ca_pem, ca_len + 1);
	write_file(f, "full.pem", full);
	assert_true(ca_len + 1 >= sizeof(broken));
	memcpy(full + signer.cert_pem_len, broken, sizeof(broken));
	write_file(f, "broken.pem", full);
	enc = encrypt_key(signer.key_pem);
	write_file(f, "encrypted.key", enc);
	free(enc);
	free(full);
	free(ca_pem);
	cw_secret_free(ca_key, key_len);
	cw_issued_clear(&signer);
	cw_issued_clear(&member);
	return 0;
}

/* Load the signer from f->dir's files (chain NULL: none); it must succeed. */
static cw_profile_signer_t *load_signer(const fixture_t *f, const char *cert, const char *key, const char *chain)
{
	char c[128], k[128], ch[128];
	cw_profile_signer_t *s = NULL;
	cw_err_t e = { "" };

	if (cw_profile_signer_load(signer_path(f, cert, c, sizeof(c)), signer_path(f, key, k, sizeof(k)),
				   chain ? signer_path(f, chain, ch, sizeof(ch)) : NULL, &s, &e) != 0) {
		fail_msg("signer_load refused: %s", e.msg);
	}
	assert_non_null(s);
	return s;
}

/* The Apple profile with its password, signed by s; *text and *der for the caller to free. */
static void sign_profile(const fixture_t *f, const cw_profile_signer_t *s, char **text, size_t *text_len,
			 unsigned char **der, size_t *der_len)
{
	cw_profile_in_t in = f->in;
	cw_err_t e = { "" };

	in.apple_password = true;
	*text = build(cw_profile_apple, &in, text_len);
	if (cw_profile_sign_with(s, *text, *text_len, der, der_len, &e) != 0) fail_msg("sign refused: %s", e.msg);
	assert_non_null(*der);
}

/*
 * CMS_verify of der against the fixture's CA alone (any purpose: a TLS
 * server certificate signs profiles), at VERIFY_AT. The verified content
 * goes into *content (malloc'd, NUL-terminated). 1 when it verifies.
 */
static int verify_with_ca(const fixture_t *f, const unsigned char *der, size_t der_len, char **content,
			  size_t *content_len)
{
	const unsigned char *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)der_len);
	X509_STORE *store = X509_STORE_new();
	X509 *ca;
	BIO *out = BIO_new(BIO_s_mem());
	char *data = NULL;
	long n;
	int ok;

	assert_non_null(cms);
	assert_true(p == der + der_len);
	p = f->ca_der;
	ca = d2i_X509(NULL, &p, (long)f->ca_der_len);
	assert_non_null(ca);
	assert_int_equal(X509_STORE_add_cert(store, ca), 1);
	X509_STORE_set_purpose(store, X509_PURPOSE_ANY);
	X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), (time_t)VERIFY_AT);
	ok = CMS_verify(cms, NULL, store, NULL, out, CMS_BINARY);
	ERR_clear_error();
	n = BIO_get_mem_data(out, &data);
	*content = malloc((size_t)n + 1);
	assert_non_null(*content);
	memcpy(*content, data, (size_t)n);
	(*content)[n] = '\0';
	*content_len = (size_t)n;
	BIO_free(out);
	X509_free(ca);
	X509_STORE_free(store);
	CMS_ContentInfo_free(cms);
	return ok;
}

/*
 * The number of certificates der carries (an attached SignedData of data),
 * checking that its one signer is SIGNER_NAME's certificate, among them.
 */
static int signed_cert_count(const unsigned char *der, size_t der_len)
{
	const unsigned char *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)der_len);
	STACK_OF(CMS_SignerInfo) *infos;
	STACK_OF(X509) *certs;
	int n, signers = 0;

	assert_non_null(cms);
	assert_int_equal(OBJ_obj2nid(CMS_get0_type(cms)), NID_pkcs7_signed);
	assert_int_equal(OBJ_obj2nid(CMS_get0_eContentType(cms)), NID_pkcs7_data);
	assert_int_equal(CMS_is_detached(cms), 0);
	infos = CMS_get0_SignerInfos(cms);
	assert_int_equal(sk_CMS_SignerInfo_num(infos), 1);
	certs = CMS_get1_certs(cms);
	assert_non_null(certs);
	n = sk_X509_num(certs);
	for (int i = 0; i < n; i++) {
		X509 *x = sk_X509_value(certs, i);

		if (CMS_SignerInfo_cert_cmp(sk_CMS_SignerInfo_value(infos, 0), x) == 0) {
			assert_int_equal(X509_check_host(x, SIGNER_NAME, 0, 0, NULL), 1);
			signers++;
		}
	}
	assert_int_equal(signers, 1);
	sk_X509_pop_free(certs, X509_free);
	CMS_ContentInfo_free(cms);
	return n;
}

static void sign__attached_signed_data_that_verifies_against_the_ca(void **state)
{
	fixture_t *f = *state;
	cw_profile_signer_t *s = load_signer(f, "signer.pem", "signer.key", "ca.pem");
	unsigned char *der;
	size_t text_len, der_len, content_len;
	char *text, *content;

	sign_profile(f, s, &text, &text_len, &der, &der_len);
	assert_int_equal(verify_with_ca(f, der, der_len, &content, &content_len), 1);
	/* The embedded content is the profile, byte for byte (no CRLF). */
	assert_int_equal(content_len, text_len);
	assert_memory_equal(content, text, text_len);
	/* The signer's certificate and the chain file's CA. */
	assert_int_equal(signed_cert_count(der, der_len), 2);
	cw_secret_free(content, content_len);
	cw_secret_free(der, der_len);
	free_text(text, text_len);
	cw_profile_signer_free(s);
}

static void sign__an_altered_profile__does_not_verify(void **state)
{
	fixture_t *f = *state;
	cw_profile_signer_t *s = load_signer(f, "signer.pem", "signer.key", "ca.pem");
	unsigned char *der, *at;
	size_t text_len, der_len, content_len;
	char *text, *content;

	sign_profile(f, s, &text, &text_len, &der, &der_len);
	at = memmem(der, der_len, "<string>alice</string>", 22);
	assert_non_null(at);
	at[8] = 'A';
	assert_int_equal(verify_with_ca(f, der, der_len, &content, &content_len), 0);
	free(content);
	cw_secret_free(der, der_len);
	free_text(text, text_len);
	cw_profile_signer_free(s);
}

static void sign__fullchain_file_needs_no_chain_file(void **state)
{
	fixture_t *f = *state;
	cw_profile_signer_t *s = load_signer(f, "full.pem", "signer.key", NULL);
	unsigned char *der;
	size_t text_len, der_len, content_len;
	char *text, *content;

	sign_profile(f, s, &text, &text_len, &der, &der_len);
	assert_int_equal(signed_cert_count(der, der_len), 2);
	assert_int_equal(verify_with_ca(f, der, der_len, &content, &content_len), 1);
	cw_secret_free(content, content_len);
	cw_secret_free(der, der_len);
	free_text(text, text_len);
	cw_profile_signer_free(s);
	/* Without a chain, the signature carries the signer's certificate alone. */
	s = load_signer(f, "signer.pem", "signer.key", NULL);
	sign_profile(f, s, &text, &text_len, &der, &der_len);
	assert_int_equal(signed_cert_count(der, der_len), 1);
	cw_secret_free(der, der_len);
	free_text(text, text_len);
	cw_profile_signer_free(s);
}

/* cw_profile_signer_load of f->dir's files must fail with a message holding part. */
static void assert_signer_refused(const fixture_t *f, const char *cert, const char *key, const char *chain,
				  const char *part)
{
	char c[128], k[128], ch[128];
	cw_profile_signer_t *s = (cw_profile_signer_t *)1;
	cw_err_t e = { "" };

	assert_int_equal(cw_profile_signer_load(cert ? signer_path(f, cert, c, sizeof(c)) : NULL,
						key ? signer_path(f, key, k, sizeof(k)) : NULL,
						chain ? signer_path(f, chain, ch, sizeof(ch)) : NULL, &s, &e), -1);
	assert_null(s);
	if (!strstr(e.msg, part)) fail_msg("message \"%s\" lacks \"%s\"", e.msg, part);
	assert_int_equal(ERR_peek_error(), 0);
}

static void signer_load__bad_files__are_refused(void **state)
{
	fixture_t *f = *state;

	assert_signer_refused(f, "signer.pem", "member.key", NULL, "does not match the certificate");
	assert_signer_refused(f, "signer.pem", "encrypted.key", NULL, "encrypted");
	assert_signer_refused(f, "nocert.pem", "signer.key", NULL, "nocert.pem: no PEM certificate");
	assert_signer_refused(f, "signer.pem", "signer.key", "nocert.pem", "nocert.pem: no PEM certificate");
	assert_signer_refused(f, "broken.pem", "signer.key", NULL, "broken.pem: certificate 2 does not parse");
	assert_signer_refused(f, "signer.pem", "ca.pem", NULL, "ca.pem: no PEM private key");
	assert_signer_refused(f, "missing.pem", "signer.key", NULL, "missing.pem");
	assert_signer_refused(f, NULL, "signer.key", NULL, "no profile-signing certificate or key");
	assert_signer_refused(f, "signer.pem", NULL, NULL, "no profile-signing certificate or key");
	cw_profile_signer_free(NULL);
}

static void sign__nothing_to_sign__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_profile_signer_t *s = load_signer(f, "signer.pem", "signer.key", NULL);
	unsigned char *der = (unsigned char *)"untouched";
	size_t der_len = 1;
	cw_err_t e = { "" };

	assert_int_equal(cw_profile_sign_with(s, "", 0, &der, &der_len, &e), -1);
	assert_null(der);
	assert_int_equal(der_len, 0);
	assert_int_equal(cw_profile_sign_with(NULL, "x", 1, &der, &der_len, &e), -1);
	assert_int_equal(cw_profile_sign_with(s, NULL, 1, &der, &der_len, &e), -1);
	assert_non_null(strstr(e.msg, "to sign"));
	cw_profile_signer_free(s);
}

/* ---- NetworkManager ----------------------------------------------------------------- */

static void nm__keys_blobs_and_password(void **state)
{
	fixture_t *f = *state;
	char *ca = base64(f->ca_der, f->ca_der_len), *p12 = base64(f->p12, sizeof(f->p12));
	char line[8192];
	size_t len;
	char *t = build(cw_profile_nm, &f->in, &len);

	assert_has(t, "\n[connection]\nid=CoworkMembers\n");
	snprintf(line, sizeof(line), "\nuuid=%s\ntype=wifi\n", f->in.uuids.nm);
	assert_has(t, line);
	assert_has(t, "\n[wifi]\nmode=infrastructure\nssid=CoworkMembers\n");
	assert_has(t, "\n[wifi-security]\nkey-mgmt=wpa-eap\n");
	assert_has(t, "\n[802-1x]\neap=tls;\nidentity=alice\n");
	snprintf(line, sizeof(line), "\nca-cert=data:;base64,%s\n", ca);
	assert_has(t, line);
	snprintf(line, sizeof(line), "\nclient-cert=data:;base64,%s\nprivate-key=data:;base64,%s\n", p12, p12);
	assert_has(t, line);
	assert_has(t, "\nprivate-key-password=" PASSWORD "\n");
	assert_has(t, "\ndomain-match=" SERVER "\ndomain-suffix-match=" SERVER "\n");
	free(ca);
	free(p12);
	free_text(t, len);
}

/* The SSID line NetworkManager would read back as `ssid`. */
static void assert_nm_ssid(fixture_t *f, const char *ssid, const char *want_line)
{
	cw_profile_in_t in = f->in;
	size_t len;
	char *t;

	in.ssid = ssid;
	t = build(cw_profile_nm, &in, &len);
	assert_has(t, want_line);
	free_text(t, len);
}

static void nm__ssid_plain_or_as_byte_list(void **state)
{
	fixture_t *f = *state;

	assert_nm_ssid(f, "Cowork & <Members>", "\nssid=Cowork & <Members>\n");
	/* Non-ASCII, ';', '\\', digits only, spaces at the ends: NetworkManager's byte-list form. */
	assert_nm_ssid(f, "\xe4\xbc\x9a", "\nssid=228;188;154;\n");
	assert_nm_ssid(f, "a;b", "\nssid=97;59;98;\n");
	assert_nm_ssid(f, "a\\b", "\nssid=97;92;98;\n");
	assert_nm_ssid(f, "12345", "\nssid=49;50;51;52;53;\n");
	assert_nm_ssid(f, " x", "\nssid=32;120;\n");
	assert_nm_ssid(f, "x ", "\nssid=120;32;\n");
}

static void nm__id_uses_keyfile_escapes(void **state)
{
	fixture_t *f = *state;

	assert_nm_ssid(f, "a\\b", "\nid=a\\\\b\n");
	assert_nm_ssid(f, " lead", "\nid=\\slead\n");
}

/* ---- wpa_supplicant ------------------------------------------------------------------- */

static void wpa_supplicant__network_block(void **state)
{
	fixture_t *f = *state;
	size_t len;
	char *t = build(cw_profile_wpa_supplicant, &f->in, &len);

	assert_has(t, "\nnetwork={\n\tssid=\"CoworkMembers\"\n");
	assert_has(t, "\n\tkey_mgmt=WPA-EAP WPA-EAP-SHA256\n");
	assert_has(t, "\n\teap=TLS\n");
	assert_has(t, "\n\tidentity=\"alice\"\n");
	assert_has(t, "\n\tca_cert=\"/home/alice/wifi/alice-ca.crt\"\n");
	assert_has(t, "\n\tprivate_key=\"/home/alice/wifi/alice.p12\"\n");
	assert_has(t, "\n\tprivate_key_passwd=\"" PASSWORD "\"\n");
	assert_has(t, "\n\tdomain_match=\"" SERVER "\"\n}\n");
	/* A PKCS#12 holds the certificate: a client_cert line would be read as a second one. */
	assert_lacks(t, "client_cert");
	free_text(t, len);
}

static void wpa_supplicant__ssid_that_quotes_cannot_hold__is_hex(void **state)
{
	fixture_t *f = *state;
	cw_profile_in_t in = f->in;
	size_t len;
	char *t;

	in.ssid = "a\"#\xe4\xbc\x9a";
	t = build(cw_profile_wpa_supplicant, &in, &len);
	assert_has(t, "\n\tssid=612223e4bc9a\n");
	free_text(t, len);
}

static void wpa_supplicant__bad_paths__are_refused(void **state)
{
	fixture_t *f = *state;
	cw_profile_in_t in = f->in;
	char long_path[CW_PROFILE_PATH_MAX + 2];

	in.p12_path = "alice.p12";
	assert_refused(cw_profile_wpa_supplicant, &in, "absolute");
	in.p12_path = "/home/a\"b/alice.p12";
	assert_refused(cw_profile_wpa_supplicant, &in, "wpa_supplicant.conf cannot carry");
	in.p12_path = "/home/a\nb/alice.p12";
	assert_refused(cw_profile_wpa_supplicant, &in, "control character");
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	in.p12_path = f->in.p12_path;
	in.ca_path = long_path;
	assert_refused(cw_profile_wpa_supplicant, &in, "at most");
}

static void secret_files__refuse_a_password_they_cannot_quote(void **state)
{
	fixture_t *f = *state;
	cw_profile_in_t in = f->in;
	char long_pw[CW_PROFILE_PASSWORD_MAX + 2];

	in.p12_password = "has\"quote";
	assert_refused(cw_profile_wpa_supplicant, &in, "cannot carry");
	assert_refused(cw_profile_nm, &in, "cannot carry");
	in.p12_password = "";
	assert_refused(cw_profile_nm, &in, "1 to 128");
	memset(long_pw, 'a', sizeof(long_pw) - 1);
	long_pw[sizeof(long_pw) - 1] = '\0';
	in.p12_password = long_pw;
	assert_refused(cw_profile_wpa_supplicant, &in, "1 to 128");
}

/* ---- Windows and Android ------------------------------------------------------------------ */

static void windows_xml__eap_tls_server_name_and_thumbprint(void **state)
{
	fixture_t *f = *state;
	char thumb[CW_THUMBPRINT_STR_LEN + 1], line[256];
	cw_profile_in_t in = f->in;
	size_t len;
	char *t;
	cw_err_t e;

	in.ssid = "Co&<\"";
	t = build(cw_profile_windows_xml, &in, &len);
	assert_int_equal(cw_cert_thumbprint_sha1(f->ca_der, f->ca_der_len, thumb, &e), 0);
	snprintf(line, sizeof(line), "<TrustedRootCA>%s</TrustedRootCA>", thumb);
	assert_has(t, line);
	assert_has(t, "<ServerNames>" SERVER "</ServerNames>");
	assert_has(t, "<hex>436F263C22</hex>");
	assert_has(t, "<name>Co&amp;&lt;&quot;</name>");
	assert_has(t, "<authentication>WPA2</authentication>");
	assert_has(t, "<encryption>AES</encryption>");
	assert_has(t, "<useOneX>true</useOneX>");
	assert_has(t, "<Type xmlns=\"http://www.microsoft.com/provisioning/EapCommon\">13</Type>");
	assert_has(t, "<DisableUserPromptForServerValidation>true</DisableUserPromptForServerValidation>");
	assert_lacks(t, PASSWORD);
	free_text(t, len);
}

static void windows_text__steps_and_safe_netsh_line(void **state)
{
	fixture_t *f = *state;
	cw_profile_in_t in = f->in;
	size_t len;
	char *t = build(cw_profile_windows_text, &f->in, &len);

	assert_has(t, "certutil -user -importPFX \"alice.p12\"");
	assert_has(t, "certutil -addstore Root \"alice-ca.crt\"");
	assert_has(t, "netsh wlan add profile filename=\"alice.wlan.xml\" user=current");
	assert_has(t, "netsh wlan connect name=\"CoworkMembers\"");
	assert_lacks(t, PASSWORD);
	free_text(t, len);
	/* cmd.exe cannot quote these: only the Wi-Fi menu is offered. */
	in.ssid = "50% \"off\"";
	t = build(cw_profile_windows_text, &in, &len);
	assert_lacks(t, "netsh wlan connect");
	free_text(t, len);
}

static void android_text__settings_to_enter(void **state)
{
	fixture_t *f = *state;
	size_t len;
	char *t = build(cw_profile_android_text, &f->in, &len);

	assert_has(t, "Android 11");
	assert_has(t, "EAP method            TLS\n");
	assert_has(t, "Domain                " SERVER "\n");
	assert_has(t, "Identity              alice\n");
	assert_has(t, "Network name          CoworkMembers\n");
	assert_has(t, "choose alice-ca.crt");
	assert_has(t, "choose alice.p12");
	assert_lacks(t, PASSWORD);
	free_text(t, len);
}

/* ---- refusals common to every builder --------------------------------------------------------- */

static const builder_t all_builders[] = {
	cw_profile_apple, cw_profile_nm, cw_profile_wpa_supplicant, cw_profile_windows_xml, cw_profile_windows_text,
	cw_profile_android_text, cw_profile_eap_config,
};
#define NBUILDERS (sizeof(all_builders) / sizeof(all_builders[0]))

static void every_builder__refuses_bad_member_and_ssid(void **state)
{
	fixture_t *f = *state;
	cw_profile_in_t in;

	for (size_t i = 0; i < NBUILDERS; i++) {
		in = f->in;
		in.ssid = "123456789012345678901234567890123";	/* 33 bytes */
		assert_refused(all_builders[i], &in, "1 to 32 bytes");
		in.ssid = "";
		assert_refused(all_builders[i], &in, "1 to 32 bytes");
		in.ssid = "bad\tssid";
		assert_refused(all_builders[i], &in, "control characters");
		in = f->in;
		in.member = "Alice\"";
		assert_refused(all_builders[i], &in, "member id");
		in.member = NULL;
		assert_refused(all_builders[i], &in, "without a member id");
	}
}

static void builders_that_name_the_server__refuse_a_bad_one(void **state)
{
	fixture_t *f = *state;
	const builder_t fns[] = { cw_profile_apple, cw_profile_nm, cw_profile_wpa_supplicant, cw_profile_windows_xml,
				  cw_profile_android_text, cw_profile_eap_config };
	char long_name[300];
	cw_profile_in_t in = f->in;

	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	long_name[10] = '.';
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {
		in.server_name = long_name;
		assert_refused(fns[i], &in, "1 to 253");
		in.server_name = "radius\".example.org";
		assert_refused(fns[i], &in, "invalid server name");
	}
}

static void over_long_org_and_blobs__are_refused(void **state)
{
	fixture_t *f = *state;
	cw_profile_in_t in = f->in;
	char org[70];
	unsigned char *big = calloc(1, CW_PROFILE_P12_MAX + 1);

	assert_non_null(big);
	memset(org, 'o', sizeof(org) - 1);
	org[sizeof(org) - 1] = '\0';
	in.org = org;
	assert_refused(cw_profile_apple, &in, "longer than 64");
	assert_refused(cw_profile_android_text, &in, "longer than 64");
	in = f->in;
	in.p12 = big;
	in.p12_len = CW_PROFILE_P12_MAX + 1;
	assert_refused(cw_profile_apple, &in, "PKCS#12");
	assert_refused(cw_profile_nm, &in, "PKCS#12");
	in = f->in;
	in.ca_der_len = 0;
	assert_refused(cw_profile_apple, &in, "CA certificate is empty");
	assert_refused(cw_profile_windows_xml, &in, "CA certificate is empty");
	in.ca_der = big;
	in.ca_der_len = CW_PROFILE_CERT_MAX + 1;
	assert_refused(cw_profile_nm, &in, "CA certificate");
	free(big);
}

static void malformed_uuid__is_refused(void **state)
{
	fixture_t *f = *state;
	cw_profile_in_t in = f->in;

	memcpy(in.uuids.ca, "not-a-uuid", 11);
	assert_refused(cw_profile_apple, &in, "UUID");
	in = f->in;
	in.uuids.nm[14] = 'G';
	assert_refused(cw_profile_nm, &in, "UUID");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(profile_list__single_several_and_all),
		cmocka_unit_test(profile_list__unknown_empty_or_repeated__is_refused),
		cmocka_unit_test(uuid_v4__is_random_version_4_variant_10),
		cmocka_unit_test_setup_teardown(thumbprint__is_sha1_as_windows_writes_it, setup, teardown),
		cmocka_unit_test_setup_teardown(pem_to_der__round_trips_and_refuses_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(apple__three_payloads_cross_referenced, setup, teardown),
		cmocka_unit_test_setup_teardown(apple__payload_data_is_the_exact_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(apple__every_string_is_xml_escaped, setup, teardown),
		cmocka_unit_test_setup_teardown(apple__character_xml_cannot_carry__is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(apple__password_flag__puts_it_into_the_pkcs12_payload, setup, teardown),
		cmocka_unit_test_setup_teardown(apple__password_flag_with_a_bad_password__is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(sign__attached_signed_data_that_verifies_against_the_ca, setup_signer,
						teardown),
		cmocka_unit_test_setup_teardown(sign__an_altered_profile__does_not_verify, setup_signer, teardown),
		cmocka_unit_test_setup_teardown(sign__fullchain_file_needs_no_chain_file, setup_signer, teardown),
		cmocka_unit_test_setup_teardown(signer_load__bad_files__are_refused, setup_signer, teardown),
		cmocka_unit_test_setup_teardown(sign__nothing_to_sign__is_refused, setup_signer, teardown),
		cmocka_unit_test_setup_teardown(eap_config__one_tls_method_as_the_apps_read_it, setup, teardown),
		cmocka_unit_test_setup_teardown(eap_config__every_value_is_xml_escaped, setup, teardown),
		cmocka_unit_test_setup_teardown(eap_config__what_it_cannot_write__is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(eap_config__needs_no_uuids, setup, teardown),
		cmocka_unit_test_setup_teardown(nm__keys_blobs_and_password, setup, teardown),
		cmocka_unit_test_setup_teardown(nm__ssid_plain_or_as_byte_list, setup, teardown),
		cmocka_unit_test_setup_teardown(nm__id_uses_keyfile_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(wpa_supplicant__network_block, setup, teardown),
		cmocka_unit_test_setup_teardown(wpa_supplicant__ssid_that_quotes_cannot_hold__is_hex, setup, teardown),
		cmocka_unit_test_setup_teardown(wpa_supplicant__bad_paths__are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(secret_files__refuse_a_password_they_cannot_quote, setup, teardown),
		cmocka_unit_test_setup_teardown(windows_xml__eap_tls_server_name_and_thumbprint, setup, teardown),
		cmocka_unit_test_setup_teardown(windows_text__steps_and_safe_netsh_line, setup, teardown),
		cmocka_unit_test_setup_teardown(android_text__settings_to_enter, setup, teardown),
		cmocka_unit_test_setup_teardown(every_builder__refuses_bad_member_and_ssid, setup, teardown),
		cmocka_unit_test_setup_teardown(builders_that_name_the_server__refuse_a_bad_one, setup, teardown),
		cmocka_unit_test_setup_teardown(over_long_org_and_blobs__are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(malformed_uuid__is_refused, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
