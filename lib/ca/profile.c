/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * profile.c - device onboarding files for a member certificate.
 *
 * Every builder appends to a text buffer (tb_t) that wipes what it leaves
 * behind when it grows, because some outputs hold the PKCS#12 password.
 * A buffer that failed once stays failed, so a builder checks the outcome
 * once, at the end (tb_finish), and errors keep the first message.
 *
 * Formats and the escapes each one has:
 *   plist/XML   &amp; &lt; &gt; &quot; &apos; (tb_xml);
 *   keyfile     GLib's key-file escapes; the SSID as NetworkManager writes
 *               it (a string when plain, else a list of byte values);
 *   wpa_supplicant  "quoted" strings have no escapes: the SSID is written
 *               in hex when it is not plain; paths with '"' are refused.
 */
#ifndef OPENSSL_NO_DEPRECATED
#  define OPENSSL_NO_DEPRECATED
#endif

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "buf.h"
#include "ca.h"
#include "ca_internal.h"
#include "fileio.h"
#include "names.h"
#include "profile.h"
#include "rand.h"

#define TB_MAX		(1024 * 1024)	//!< no output of ours comes near this

/* ---- text buffer ---------------------------------------------------------- */

/* The shared growing buffer (buf.h), with the first error's message for err. */
typedef struct tb {
	cw_buf_t	b;
	cw_err_t	*err;
	bool		said;	//!< err holds the first failure's message
} tb_t;

/* An empty buffer whose errors go to err. */
static void tb_init(tb_t *tb, cw_err_t *err)
{
	*tb = (tb_t){ .b = CW_BUF_INIT(TB_MAX), .err = err };
}

/* Mark the buffer failed with a message (the first failure wins). Returns -1. */
static int tb_fail(tb_t *tb, const char *fmt, ...) CW_PRINTF(2, 3);
static int tb_fail(tb_t *tb, const char *fmt, ...)
{
	va_list ap;

	if (cw_buf_failed(&tb->b)) return -1;
	cw_buf_fail(&tb->b, CW_BUF_REFUSED);
	tb->said = true;
	va_start(ap, fmt);
	cw_err_vset(tb->err, fmt, ap);
	va_end(ap);
	return -1;
}

static void tb_add(tb_t *tb, const void *s, size_t n)
{
	cw_buf_add(&tb->b, s, n);
}

/* Append a string as it is: literals and values that need no escape. */
static void tb_str(tb_t *tb, const char *s)
{
	cw_buf_str(&tb->b, s);
}

/* Append printf output; its arguments must need no escape in the format written. */
#define tb_printf(tb, ...) cw_buf_printf(&(tb)->b, __VA_ARGS__)

/* depth tabs of indentation (the plist writers' own style). */
static void tb_indent(tb_t *tb, int depth)
{
	for (int i = 0; i < depth; i++) tb_add(tb, "\t", 1);
}

/*
 * s with XML's five escapes. The inputs were checked to be UTF-8 without
 * control characters; U+FFFE and U+FFFF, which XML cannot carry either,
 * are refused here.
 */
static void tb_xml(tb_t *tb, const char *s)
{
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '&': tb_str(tb, "&amp;"); break;
		case '<': tb_str(tb, "&lt;"); break;
		case '>': tb_str(tb, "&gt;"); break;
		case '"': tb_str(tb, "&quot;"); break;
		case '\'': tb_str(tb, "&apos;"); break;
		default:
			if ((unsigned char)p[0] == 0xef && (unsigned char)p[1] == 0xbf &&
			    ((unsigned char)p[2] == 0xbe || (unsigned char)p[2] == 0xbf)) {
				tb_fail(tb, "\"%.64s\" holds U+FFFE or U+FFFF, which XML cannot carry", s);
				return;
			}
			tb_add(tb, p, 1);
		}
	}
}

/* Base64 of data; lines of `width` characters (a multiple of 4) each followed by nl, or one line (width 0). */
static void tb_base64(tb_t *tb, const unsigned char *data, size_t len, size_t width, const char *nl)
{
	cw_buf_base64(&tb->b, data, len, width, nl);
}

/* Hand the text over, or wipe it on failure. 0, or -1 with the first error. */
static int tb_finish(tb_t *tb, char **out, size_t *len)
{
	cw_buf_state_t state = tb->b.state;

	if (cw_buf_finish(&tb->b, out, len) == 0) return 0;
	if (tb->said) return -1;
	if (state == CW_BUF_TOO_LARGE) cw_err_set(tb->err, "onboarding file would exceed %d bytes", TB_MAX);
	else if (state == CW_BUF_NOMEM) cw_err_set(tb->err, "out of memory");
	else cw_err_set(tb->err, "cannot format onboarding text");
	return -1;
}

/* A builder's start: no output yet, an empty buffer for it. */
static void builder_start(tb_t *tb, char **out, size_t *len, cw_err_t *err)
{
	*out = NULL;
	*len = 0;
	tb_init(tb, err);
}

/* ---- input checks ------------------------------------------------------------ */

/* Binary input of 1..max bytes. 0, or -1 with err naming `what`. */
static int check_blob(const unsigned char *p, size_t len, size_t max, const char *what, cw_err_t *err)
{
	if (!p || len == 0) {
		cw_err_set(err, "the %s is empty", what);
		return -1;
	}
	if (len > max) {
		cw_err_set(err, "the %s is %zu bytes long, more than the %zu this tool writes", what, len, max);
		return -1;
	}
	return 0;
}

/* The PKCS#12 password goes into quoted and key-file strings: printable ASCII without quotes or backslashes. */
static int check_password(const char *s, cw_err_t *err)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > CW_PROFILE_PASSWORD_MAX) {
		cw_err_set(err, "the PKCS#12 password must be 1 to %d characters long", CW_PROFILE_PASSWORD_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] <= ' ' || s[i] > '~' || s[i] == '"' || s[i] == '\\') {
			cw_err_set(err, "the PKCS#12 password holds a character the configuration files cannot carry");
			return -1;
		}
	}
	return 0;
}

/* An absolute path for a "quoted" wpa_supplicant string: no '"', no control character, bounded. */
static int check_path(const char *s, const char *what, cw_err_t *err)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > CW_PROFILE_PATH_MAX || s[0] != '/') {
		cw_err_set(err, "the %s path must be absolute and at most %d bytes long", what, CW_PROFILE_PATH_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || s[i] == '"') {
			cw_err_set(err, "the %s path \"%.64s\" holds a '\"' or a control character, which "
				   "wpa_supplicant.conf cannot carry", what, s);
			return -1;
		}
	}
	return 0;
}

/* A plain file name for the instructions: no '/', no control character, bounded. */
static int check_file_name(const char *s, const char *what, cw_err_t *err)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 255 || strchr(s, '/')) {
		cw_err_set(err, "the %s file name must be 1 to 255 bytes without '/'", what);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			cw_err_set(err, "the %s file name holds a control character", what);
			return -1;
		}
	}
	return 0;
}

/* "xxxxxxxx-xxxx-4xxx-Nxxx-xxxxxxxxxxxx" in lowercase hex, as cw_uuid_v4 makes them. */
static bool uuid_valid(const char *s)
{
	for (int i = 0; i < CW_UUID_STR_LEN; i++) {
		bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;

		if (hyphen ? s[i] != '-' : !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
	}
	return s[CW_UUID_STR_LEN] == '\0';
}

static int check_uuids(const cw_profile_uuids_t *u, cw_err_t *err)
{
	if (uuid_valid(u->profile) && uuid_valid(u->pkcs12) && uuid_valid(u->ca) && uuid_valid(u->wifi) &&
	    uuid_valid(u->nm)) {
		return 0;
	}
	cw_err_set(err, "an onboarding UUID is malformed (make them with cw_profile_uuids_make)");
	return -1;
}

/* The names every builder writes: member id, SSID, and (when asked) the server name and org. */
static int check_names(const cw_profile_in_t *in, bool server, bool org, cw_err_t *err)
{
	if (!in->member || !in->ssid || (server && !in->server_name) || (org && !in->org)) {
		cw_err_set(err, "onboarding file without a member id, SSID, server name or organisation name");
		return -1;
	}
	if (cw_name_check_id(in->member, "member id", err) < 0 || cw_name_check_ssid(in->ssid, err) < 0) return -1;
	if (server && cw_name_check_dns(in->server_name, err) < 0) return -1;
	return org ? cw_name_check_org(in->org, err) : 0;
}

/* The CA certificate and the PKCS#12, for the files that embed them. */
static int check_certs(const cw_profile_in_t *in, cw_err_t *err)
{
	if (check_blob(in->ca_der, in->ca_der_len, CW_PROFILE_CERT_MAX, "CA certificate", err) < 0) return -1;
	return check_blob(in->p12, in->p12_len, CW_PROFILE_P12_MAX, "PKCS#12", err);
}

/* What the files with UUIDs that embed the certificates need: names (org when asked), UUIDs, the CA, the PKCS#12. */
static int check_embedding(const cw_profile_in_t *in, bool org, cw_err_t *err)
{
	if (check_names(in, true, org, err) < 0 || check_uuids(&in->uuids, err) < 0) return -1;
	return check_certs(in, err);
}

/* ---- lists, UUIDs, certificates ---------------------------------------------- */

static const struct {
	const char	*name;
	unsigned	kind;
} profile_names[] = {
	{ "apple", CW_PROFILE_APPLE },
	{ "linux", CW_PROFILE_LINUX },
	{ "android", CW_PROFILE_ANDROID },
	{ "windows", CW_PROFILE_WINDOWS },
};

#define PROFILE_NAMES (sizeof(profile_names) / sizeof(profile_names[0]))

const char *cw_profile_name(unsigned kind)
{
	for (size_t i = 0; i < PROFILE_NAMES; i++) {
		if (profile_names[i].kind == kind) return profile_names[i].name;
	}
	return "?";
}

/* One item of the list (not NUL-terminated): its bit, or 0 when unknown. */
static unsigned profile_item(const char *s, size_t n)
{
	if (n == 3 && memcmp(s, "all", 3) == 0) return CW_PROFILE_ALL;
	for (size_t i = 0; i < PROFILE_NAMES; i++) {
		if (strlen(profile_names[i].name) == n && memcmp(profile_names[i].name, s, n) == 0) {
			return profile_names[i].kind;
		}
	}
	return 0;
}

int cw_profile_parse_list(const char *list, unsigned *kinds, cw_err_t *err)
{
	const char *p = list;

	*kinds = 0;
	if (!list || !*list) {
		cw_err_set(err, "--profile needs a list: apple, linux, android, windows (comma-separated) or all");
		return -1;
	}
	for (;;) {
		size_t n = strcspn(p, ",");
		unsigned k = profile_item(p, n);

		if (k == 0) {
			cw_err_set(err, "unknown profile \"%.*s\": use apple, linux, android, windows "
				   "(comma-separated) or all", (int)(n > 32 ? 32 : n), p);
			return -1;
		}
		if (*kinds & k) {
			cw_err_set(err, "profile \"%.*s\" is given twice", (int)(n > 32 ? 32 : n), p);
			return -1;
		}
		*kinds |= k;
		if (p[n] == '\0') return 0;
		p += n + 1;
	}
}

int cw_uuid_v4(char out[CW_UUID_STR_LEN + 1], cw_err_t *err)
{
	unsigned char b[16];
	size_t o = 0;

	if (cw_random_bytes(b, sizeof(b), err) < 0) return -1;
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);	/* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* variant 10 */
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
		out[o++] = "0123456789abcdef"[b[i] >> 4];
		out[o++] = "0123456789abcdef"[b[i] & 15];
	}
	out[o] = '\0';
	return 0;
}

int cw_profile_uuids_make(cw_profile_uuids_t *u, cw_err_t *err)
{
	if (cw_uuid_v4(u->profile, err) < 0 || cw_uuid_v4(u->pkcs12, err) < 0 || cw_uuid_v4(u->ca, err) < 0 ||
	    cw_uuid_v4(u->wifi, err) < 0 || cw_uuid_v4(u->nm, err) < 0) {
		return -1;
	}
	return 0;
}

int cw_cert_thumbprint_sha1(const unsigned char *der, size_t len, char out[CW_THUMBPRINT_STR_LEN + 1],
			    cw_err_t *err)
{
	unsigned char md[20];
	unsigned int mdlen = 0;
	size_t o = 0;

	out[0] = '\0';
	if (check_blob(der, len, CW_PROFILE_CERT_MAX, "CA certificate", err) < 0) return -1;
	if (!EVP_Digest(der, len, md, &mdlen, EVP_sha1(), NULL) || mdlen != sizeof(md)) {
		cw_err_set(err, "cannot compute the SHA-1 thumbprint of the CA certificate");
		ERR_clear_error();
		return -1;
	}
	for (unsigned i = 0; i < mdlen; i++) {
		if (i) out[o++] = ' ';
		out[o++] = "0123456789abcdef"[md[i] >> 4];
		out[o++] = "0123456789abcdef"[md[i] & 15];
	}
	out[o] = '\0';
	return 0;
}

/* A malloc'd copy of the n bytes an i2d function gave, for the caller to free(). 0, or -1 with err. */
static int der_copy(const unsigned char *buf, int n, unsigned char **der, size_t *der_len, cw_err_t *err)
{
	if (!(*der = malloc((size_t)n))) {
		cw_err_set(err, "out of memory");
		return -1;
	}
	memcpy(*der, buf, (size_t)n);
	*der_len = (size_t)n;
	return 0;
}

int cw_cert_pem_to_der(const char *pem, size_t len, unsigned char **der, size_t *der_len, cw_err_t *err)
{
	BIO *bio = NULL;
	X509 *x = NULL;
	unsigned char *buf = NULL;
	int n = 0, rc = -1;

	*der = NULL;
	*der_len = 0;
	if (!pem || len == 0 || len > INT_MAX || !(bio = BIO_new_mem_buf(pem, (int)len)) ||
	    !(x = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
		cw_err_set(err, "the CA certificate is not a PEM certificate");
		goto done;
	}
	n = i2d_X509(x, &buf);
	if (n <= 0 || (size_t)n > CW_PROFILE_CERT_MAX) {
		cw_err_set(err, "cannot DER-encode the CA certificate");
		goto done;
	}
	rc = der_copy(buf, n, der, der_len, err);
done:
	OPENSSL_free(buf);
	X509_free(x);
	BIO_free(bio);
	ERR_clear_error();
	return rc;
}

/* ---- Apple configuration profile ------------------------------------------------- */

/* "radius.example.org" -> "org.example.radius": the reverse-DNS base of the identifiers. */
static void tb_reverse_dns(tb_t *tb, const char *name)
{
	size_t end = strlen(name);

	while (end > 0) {
		size_t start = end;

		while (start > 0 && name[start - 1] != '.') start--;
		tb_add(tb, name + start, end - start);
		if (start > 0) tb_add(tb, ".", 1);
		end = start > 0 ? start - 1 : 0;
	}
}

/* <tag>prefix value suffix</tag> on a line of its own, the text escaped; tag is a literal. */
static void xml_element(tb_t *tb, int depth, const char *tag, const char *prefix, const char *value,
			const char *suffix)
{
	tb_indent(tb, depth);
	tb_printf(tb, "<%s>", tag);
	tb_xml(tb, prefix);
	tb_xml(tb, value);
	tb_xml(tb, suffix);
	tb_printf(tb, "</%s>\n", tag);
}

/* <key>key</key> and a <string> of prefix, value and suffix, all escaped. */
static void pl_string_affixed(tb_t *tb, int depth, const char *key, const char *prefix, const char *value,
			      const char *suffix)
{
	xml_element(tb, depth, "key", "", key, "");
	xml_element(tb, depth, "string", prefix, value, suffix);
}

/* <key>key</key> and a <string>, both escaped. */
static void pl_string(tb_t *tb, int depth, const char *key, const char *value)
{
	pl_string_affixed(tb, depth, key, "", value, "");
}

/* <key>key</key><string>member's identifier + suffix</string>. */
static void pl_identifier(tb_t *tb, int depth, const cw_profile_in_t *in, const char *suffix)
{
	tb_indent(tb, depth);
	tb_str(tb, "<key>PayloadIdentifier</key>\n");
	tb_indent(tb, depth);
	tb_str(tb, "<string>");
	tb_reverse_dns(tb, in->server_name);
	tb_str(tb, ".cowork.");
	tb_xml(tb, in->member);
	tb_str(tb, suffix);
	tb_str(tb, "</string>\n");
}

/* <key>key</key> for a literal key. */
static void pl_key(tb_t *tb, int depth, const char *key)
{
	tb_indent(tb, depth);
	tb_printf(tb, "<key>%s</key>\n", key);
}

/* A key and an <integer>. */
static void pl_int(tb_t *tb, int depth, const char *key, long value)
{
	pl_key(tb, depth, key);
	tb_indent(tb, depth);
	tb_printf(tb, "<integer>%ld</integer>\n", value);
}

/* A key and <true/> or <false/>. */
static void pl_bool(tb_t *tb, int depth, const char *key, bool value)
{
	pl_key(tb, depth, key);
	tb_indent(tb, depth);
	tb_str(tb, value ? "<true/>\n" : "<false/>\n");
}

/* A key and <data> in base64 lines of 64 characters. */
static void pl_data(tb_t *tb, int depth, const char *key, const unsigned char *data, size_t len)
{
	pl_key(tb, depth, key);
	tb_indent(tb, depth);
	tb_str(tb, "<data>\n");
	tb_base64(tb, data, len, 64, "\n");
	tb_indent(tb, depth);
	tb_str(tb, "</data>\n");
}

/* The keys every payload has, in the order Apple's tools write them (alphabetical). */
static void pl_payload_tail(tb_t *tb, int depth, const cw_profile_in_t *in, const char *suffix, const char *type,
			    const char *uuid)
{
	pl_identifier(tb, depth, in, suffix);
	pl_string(tb, depth, "PayloadType", type);
	pl_string(tb, depth, "PayloadUUID", uuid);
	pl_int(tb, depth, "PayloadVersion", 1);
}

/* The PKCS#12 payload: without a Password key, the device asks for it on install. */
static void apple_pkcs12(tb_t *tb, const cw_profile_in_t *in)
{
	tb_str(tb, "\t\t<dict>\n");
	if (in->apple_password) pl_string(tb, 3, "Password", in->p12_password);
	pl_string_affixed(tb, 3, "PayloadCertificateFileName", "", in->member, ".p12");
	pl_data(tb, 3, "PayloadContent", in->p12, in->p12_len);
	pl_string(tb, 3, "PayloadDescription", in->apple_password ? "Your member certificate and key." :
		  "Your member certificate and key (the device asks for the PKCS#12 password you were given).");
	pl_string(tb, 3, "PayloadDisplayName", in->member);
	pl_payload_tail(tb, 3, in, ".pkcs12", "com.apple.security.pkcs12", in->uuids.pkcs12);
	tb_str(tb, "\t\t</dict>\n");
}

/* The root payload: the member CA, which the Wi-Fi payload names as its only anchor. */
static void apple_root(tb_t *tb, const cw_profile_in_t *in)
{
	tb_str(tb, "\t\t<dict>\n");
	pl_string(tb, 3, "PayloadCertificateFileName", "member-ca.cer");
	pl_data(tb, 3, "PayloadContent", in->ca_der, in->ca_der_len);
	pl_string(tb, 3, "PayloadDescription", "The certificate authority of the Wi-Fi network's server.");
	pl_string_affixed(tb, 3, "PayloadDisplayName", "", in->org, " Member CA");
	pl_payload_tail(tb, 3, in, ".ca", "com.apple.security.root", in->uuids.ca);
	tb_str(tb, "\t\t</dict>\n");
}

/* EAP-TLS only, trusting only the CA payload and the server name, the member id as identity. */
static void apple_eap(tb_t *tb, const cw_profile_in_t *in)
{
	pl_key(tb, 3, "EAPClientConfiguration");
	tb_str(tb, "\t\t\t<dict>\n");
	pl_key(tb, 4, "AcceptEAPTypes");
	tb_str(tb, "\t\t\t\t<array>\n\t\t\t\t\t<integer>13</integer>\n\t\t\t\t</array>\n");
	pl_key(tb, 4, "PayloadCertificateAnchorUUID");
	tb_printf(tb, "\t\t\t\t<array>\n\t\t\t\t\t<string>%s</string>\n\t\t\t\t</array>\n", in->uuids.ca);
	pl_key(tb, 4, "TLSTrustedServerNames");
	tb_str(tb, "\t\t\t\t<array>\n\t\t\t\t\t<string>");
	tb_xml(tb, in->server_name);
	tb_str(tb, "</string>\n\t\t\t\t</array>\n");
	pl_string(tb, 4, "UserName", in->member);
	tb_str(tb, "\t\t\t</dict>\n");
}

/* The Wi-Fi payload: the SSID, joined automatically, with the PKCS#12 payload as identity. */
static void apple_wifi(tb_t *tb, const cw_profile_in_t *in)
{
	tb_str(tb, "\t\t<dict>\n");
	pl_bool(tb, 3, "AutoJoin", true);
	apple_eap(tb, in);
	/* "WPA2" joins WPA2 and WPA3 networks (iOS 16, macOS 13 and later). */
	pl_string(tb, 3, "EncryptionType", "WPA2");
	pl_bool(tb, 3, "HIDDEN_NETWORK", false);
	pl_string(tb, 3, "PayloadCertificateUUID", in->uuids.pkcs12);
	pl_string(tb, 3, "PayloadDescription", "Joins the member Wi-Fi network with your certificate (EAP-TLS).");
	pl_string_affixed(tb, 3, "PayloadDisplayName", "Wi-Fi ", in->ssid, "");
	pl_payload_tail(tb, 3, in, ".wifi", "com.apple.wifi.managed", in->uuids.wifi);
	pl_string(tb, 3, "SSID_STR", in->ssid);
	tb_str(tb, "\t\t</dict>\n");
}

int cw_profile_apple(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err)
{
	tb_t tb;

	builder_start(&tb, out, len, err);
	if (check_embedding(in, true, err) < 0 || (in->apple_password && check_password(in->p12_password, err) < 0)) {
		return -1;
	}
	tb_str(&tb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
	       "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n<plist version=\"1.0\">\n<dict>\n");
	pl_key(&tb, 1, "PayloadContent");
	tb_str(&tb, "\t<array>\n");
	apple_pkcs12(&tb, in);
	apple_root(&tb, in);
	apple_wifi(&tb, in);
	tb_str(&tb, "\t</array>\n");
	tb_str(&tb, "\t<key>PayloadDescription</key>\n\t<string>Joins the Wi-Fi network ");
	tb_xml(&tb, in->ssid);
	tb_str(&tb, " of ");
	tb_xml(&tb, in->org);
	tb_str(&tb, " with the member certificate of ");
	tb_xml(&tb, in->member);
	tb_str(&tb, ".</string>\n");
	pl_string_affixed(&tb, 1, "PayloadDisplayName", "", in->org, " Wi-Fi");
	pl_string(&tb, 1, "PayloadOrganization", in->org);
	pl_bool(&tb, 1, "PayloadRemovalDisallowed", false);
	pl_payload_tail(&tb, 1, in, "", "Configuration", in->uuids.profile);
	tb_str(&tb, "</dict>\n</plist>\n");
	return tb_finish(&tb, out, len);
}

/* ---- signed configuration profiles ---------------------------------------------------- */

#define SIGNER_PEM_MAX	(1024 * 1024)	//!< a certificate chain or a key file

struct cw_profile_signer {
	X509		*cert;		//!< the signing certificate
	EVP_PKEY	*key;		//!< its private key
	STACK_OF(X509)	*chain;		//!< the certificates after it in its file, then the chain file's
};

/* PEM passphrase callback: never prompt; flags that one was wanted. */
static int signer_no_passphrase(char *buf, int size, int rwflag, void *asked)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	if (asked) *(bool *)asked = true;
	return -1;
}

/*
 * Push every certificate of the PEM file at path onto certs, in file order
 * (other PEM blocks are skipped). A file without one, or with one that does
 * not parse, is refused. 0, or -1 with err naming the file.
 */
static int signer_read_certs(const char *path, STACK_OF(X509) *certs, cw_err_t *err)
{
	char *pem = NULL;
	size_t len = 0;
	BIO *bio = NULL;
	X509 *x;
	int n = 0, rc = -1;

	if (cw_file_read(path, SIGNER_PEM_MAX, &pem, &len, err) < 0) return -1;
	if (!(bio = BIO_new_mem_buf(pem, (int)len))) {
		cw_ossl_err(err, "%s: cannot read it", path);
		goto done;
	}
	ERR_clear_error();
	while ((x = PEM_read_bio_X509(bio, NULL, signer_no_passphrase, NULL))) {
		if (!sk_X509_push(certs, x)) {
			X509_free(x);
			cw_err_set(err, "out of memory");
			goto done;
		}
		n++;
	}
	/* The end of the file reads as "no start line"; anything else is a broken certificate. */
	if (ERR_GET_REASON(ERR_peek_last_error()) != PEM_R_NO_START_LINE) {
		cw_ossl_err(err, "%s: certificate %d does not parse", path, n + 1);
		goto done;
	}
	ERR_clear_error();
	if (n == 0) {
		cw_err_set(err, "%s: no PEM certificate in it", path);
		goto done;
	}
	rc = 0;
done:
	BIO_free(bio);
	free(pem);
	return rc;
}

/* The unencrypted private key of a PEM file, or NULL with err naming the file. */
static EVP_PKEY *signer_read_key(const char *path, cw_err_t *err)
{
	char *pem = NULL;
	size_t len = 0;
	BIO *bio;
	EVP_PKEY *key = NULL;
	bool asked = false;

	if (cw_file_read(path, SIGNER_PEM_MAX, &pem, &len, err) < 0) return NULL;
	bio = BIO_new_mem_buf(pem, (int)len);	/* a read-only view: no copy of the key */
	if (bio) key = PEM_read_bio_PrivateKey(bio, NULL, signer_no_passphrase, &asked);
	BIO_free(bio);
	cw_secret_free(pem, len + 1);
	if (!key && asked) {
		ERR_clear_error();
		cw_err_set(err, "%s: the private key is encrypted; store it unencrypted (mode 0600) instead", path);
	} else if (!key) {
		cw_ossl_err(err, "%s: no PEM private key could be read", path);
	}
	return key;
}

int cw_profile_signer_load(const char *cert_path, const char *key_path, const char *chain_path,
			   cw_profile_signer_t **out, cw_err_t *err)
{
	cw_profile_signer_t *s = NULL;
	int rc = -1;

	*out = NULL;
	if (!cert_path || !key_path) {
		cw_err_set(err, "no profile-signing certificate or key file given");
		return -1;
	}
	if (!(s = calloc(1, sizeof(*s))) || !(s->chain = sk_X509_new_null())) {
		cw_err_set(err, "out of memory");
		goto done;
	}
	if (signer_read_certs(cert_path, s->chain, err) < 0 ||
	    (chain_path && signer_read_certs(chain_path, s->chain, err) < 0)) {
		goto done;
	}
	s->cert = sk_X509_shift(s->chain);
	if (!(s->key = signer_read_key(key_path, err))) goto done;
	if (X509_check_private_key(s->cert, s->key) != 1) {
		ERR_clear_error();
		cw_err_set(err, "%s: the private key does not match the certificate in %s", key_path, cert_path);
		goto done;
	}
	*out = s;
	s = NULL;
	rc = 0;
done:
	cw_profile_signer_free(s);
	return rc;
}

void cw_profile_signer_free(cw_profile_signer_t *s)
{
	if (!s) return;
	X509_free(s->cert);
	EVP_PKEY_free(s->key);
	sk_X509_pop_free(s->chain, X509_free);
	free(s);
}

/* Wipe the copy of the signed text that a CMS structure holds (it may hold a password). */
static void cms_wipe_content(CMS_ContentInfo *cms)
{
	ASN1_OCTET_STRING **content = cms ? CMS_get0_content(cms) : NULL;

	if (content && *content) {
		OPENSSL_cleanse((void *)ASN1_STRING_get0_data(*content), (size_t)ASN1_STRING_length(*content));
	}
}

int cw_profile_sign_with(const cw_profile_signer_t *s, const char *text, size_t len, unsigned char **der,
			 size_t *der_len, cw_err_t *err)
{
	BIO *in = NULL;
	CMS_ContentInfo *cms = NULL;
	unsigned char *buf = NULL;
	int n = 0, rc = -1;

	*der = NULL;
	*der_len = 0;
	if (!s || !text || len == 0 || len > TB_MAX) {
		cw_err_set(err, "no signer, or no profile of 1 to %d bytes to sign", TB_MAX);
		return -1;
	}
	if (!(in = BIO_new_mem_buf(text, (int)len))) {
		cw_ossl_err(err, "cannot sign the profile");
		goto done;
	}
	/* CMS_BINARY: the bytes as they are, not S/MIME text (which would turn "\n" into "\r\n"). */
	cms = CMS_sign(s->cert, s->key, s->chain, in, CMS_BINARY);
	if (!cms || (n = i2d_CMS_ContentInfo(cms, &buf)) <= 0) {
		cw_ossl_err(err, "cannot sign the profile");
		goto done;
	}
	rc = der_copy(buf, n, der, der_len, err);
done:
	if (buf) OPENSSL_clear_free(buf, (size_t)n);
	cms_wipe_content(cms);
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	return rc;
}

/* ---- eduroam EAP metadata (.eap-config) ------------------------------------------------ */

/*
 * <tag format="format" encoding="base64">, the data on one line and nothing
 * else in the element: the geteduroam apps for iOS (Data(base64Encoded:))
 * and Android decode the text as it is, without skipping white space.
 */
static void eap_blob(tb_t *tb, int depth, const char *tag, const char *format, const unsigned char *data,
		     size_t len)
{
	tb_indent(tb, depth);
	tb_printf(tb, "<%s format=\"%s\" encoding=\"base64\">", tag, format);
	tb_base64(tb, data, len, 0, "");
	tb_printf(tb, "</%s>\n", tag);
}

/* The one AuthenticationMethod: EAP-TLS, trusting only the CA and the server name, the PKCS#12 as identity. */
static void eap_tls_method(tb_t *tb, const cw_profile_in_t *in)
{
	tb_str(tb, "\t\t\t<AuthenticationMethod>\n\t\t\t\t<EAPMethod>\n\t\t\t\t\t<Type>13</Type>\n"
	       "\t\t\t\t</EAPMethod>\n\t\t\t\t<ServerSideCredential>\n");
	eap_blob(tb, 5, "CA", "X.509", in->ca_der, in->ca_der_len);
	xml_element(tb, 5, "ServerID", "", in->server_name, "");
	tb_str(tb, "\t\t\t\t</ServerSideCredential>\n\t\t\t\t<ClientSideCredential>\n");
	/* The schema's order: OuterIdentity, ..., ClientCertificate, Passphrase. */
	xml_element(tb, 5, "OuterIdentity", "", in->member, "");
	eap_blob(tb, 5, "ClientCertificate", "PKCS12", in->p12, in->p12_len);
	xml_element(tb, 5, "Passphrase", "", in->p12_password, "");
	tb_str(tb, "\t\t\t\t</ClientSideCredential>\n\t\t\t</AuthenticationMethod>\n");
}

int cw_profile_eap_config(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err)
{
	tb_t tb;

	builder_start(&tb, out, len, err);
	if (check_names(in, true, true, err) < 0 || check_certs(in, err) < 0 ||
	    check_password(in->p12_password, err) < 0) {
		return -1;
	}
	/* No default namespace: CAT and letswifi-portal write none, and the apps match local names. */
	tb_str(&tb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	       "<EAPIdentityProviderList xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
	       "xsi:noNamespaceSchemaLocation=\"eap-metadata.xsd\">\n\t<EAPIdentityProvider ID=\"");
	tb_xml(&tb, in->server_name);
	/* The Android app requires ID, namespace and version; the Windows app uses ID as a domain name. */
	tb_str(&tb, "\" namespace=\"urn:RFC4282:realm\" lang=\"en\" version=\"1\">\n\t\t<AuthenticationMethods>\n");
	eap_tls_method(&tb, in);
	tb_str(&tb, "\t\t</AuthenticationMethods>\n\t\t<CredentialApplicability>\n\t\t\t<IEEE80211>\n");
	xml_element(&tb, 4, "SSID", "", in->ssid, "");
	/* The apps skip an SSID without MinRSNProto, and one with TKIP. */
	tb_str(&tb, "\t\t\t\t<MinRSNProto>CCMP</MinRSNProto>\n\t\t\t</IEEE80211>\n\t\t</CredentialApplicability>\n"
	       "\t\t<ProviderInfo>\n");
	xml_element(&tb, 3, "DisplayName", "", in->org, "");
	xml_element(&tb, 3, "Description", "The member Wi-Fi network, with the certificate of ", in->member, ".");
	tb_str(&tb, "\t\t</ProviderInfo>\n\t</EAPIdentityProvider>\n</EAPIdentityProviderList>\n");
	return tb_finish(&tb, out, len);
}

/* ---- NetworkManager keyfile ----------------------------------------------------- */

/* A key-file string value: GLib's escapes for backslash and a leading space. */
static void kf_string(tb_t *tb, const char *key, const char *value)
{
	tb_printf(tb, "%s=", key);
	for (const char *p = value; *p; p++) {
		if (*p == '\\') tb_str(tb, "\\\\");
		else if (*p == ' ' && p == value) tb_str(tb, "\\s");
		else tb_add(tb, p, 1);
	}
	tb_str(tb, "\n");
}

/*
 * True when NetworkManager reads the SSID back unchanged from a plain
 * string: printable ASCII, no ';' or '\\' (list and escape characters), no
 * space at either end (GLib trims), not only digits (read as a byte list).
 */
static bool kf_ssid_plain(const char *s)
{
	size_t n = strlen(s);
	bool digits = true;

	if (s[0] == ' ' || s[n - 1] == ' ') return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < ' ' || s[i] > '~' || s[i] == ';' || s[i] == '\\') return false;
		if (s[i] < '0' || s[i] > '9') digits = false;
	}
	return !digits;
}

/* The SSID as NetworkManager writes it: a plain string, or a list of byte values ("67;111;"). */
static void kf_ssid(tb_t *tb, const char *ssid)
{
	if (kf_ssid_plain(ssid)) {
		tb_printf(tb, "ssid=%s\n", ssid);
		return;
	}
	tb_str(tb, "ssid=");
	for (const unsigned char *p = (const unsigned char *)ssid; *p; p++) tb_printf(tb, "%u;", *p);
	tb_str(tb, "\n");
}

/* key=data:;base64,... on one line (NetworkManager's embedded-certificate form). */
static void kf_blob(tb_t *tb, const char *key, const unsigned char *data, size_t len)
{
	tb_printf(tb, "%s=data:;base64,", key);
	tb_base64(tb, data, len, 0, "");
	tb_str(tb, "\n");
}

int cw_profile_nm(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err)
{
	tb_t tb;

	builder_start(&tb, out, len, err);
	if (check_embedding(in, false, err) < 0 || check_password(in->p12_password, err) < 0) return -1;
	tb_str(&tb, "# NetworkManager connection (EAP-TLS). It holds the PKCS#12 password: install it as\n"
	       "# /etc/NetworkManager/system-connections/<name>.nmconnection, owned by root, mode 0600.\n\n");
	tb_str(&tb, "[connection]\n");
	kf_string(&tb, "id", in->ssid);
	tb_printf(&tb, "uuid=%s\ntype=wifi\nautoconnect=true\n\n[wifi]\nmode=infrastructure\n", in->uuids.nm);
	kf_ssid(&tb, in->ssid);
	tb_str(&tb, "\n[wifi-security]\nkey-mgmt=wpa-eap\n\n[802-1x]\neap=tls;\n");
	kf_string(&tb, "identity", in->member);
	kf_blob(&tb, "ca-cert", in->ca_der, in->ca_der_len);
	/* A PKCS#12 is both the client certificate and the private key. */
	kf_blob(&tb, "client-cert", in->p12, in->p12_len);
	kf_blob(&tb, "private-key", in->p12, in->p12_len);
	kf_string(&tb, "private-key-password", in->p12_password);
	/* domain-match (exact) needs NetworkManager 1.24; older ones still check the suffix. */
	tb_printf(&tb, "domain-match=%s\ndomain-suffix-match=%s\n", in->server_name, in->server_name);
	tb_str(&tb, "\n[ipv4]\nmethod=auto\n\n[ipv6]\naddr-gen-mode=default\nmethod=auto\n");
	return tb_finish(&tb, out, len);
}

/* ---- wpa_supplicant --------------------------------------------------------------- */

/* True when the SSID can go between quotes: printable ASCII without '"' or '#' and no space at either end. */
static bool wpa_ssid_plain(const char *s)
{
	size_t n = strlen(s);

	if (s[0] == ' ' || s[n - 1] == ' ') return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < ' ' || s[i] > '~' || s[i] == '"' || s[i] == '#' || s[i] == '\\') return false;
	}
	return true;
}

int cw_profile_wpa_supplicant(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err)
{
	tb_t tb;

	builder_start(&tb, out, len, err);
	if (check_names(in, true, false, err) < 0 || check_password(in->p12_password, err) < 0 ||
	    check_path(in->p12_path, "PKCS#12", err) < 0 || check_path(in->ca_path, "CA certificate", err) < 0) {
		return -1;
	}
	tb_str(&tb, "# wpa_supplicant network block (EAP-TLS). It holds the PKCS#12 password: keep it 0600.\n"
	       "# ca_cert and private_key are where coworkctl wrote the files: change them if you move them.\n"
	       "network={\n");
	if (wpa_ssid_plain(in->ssid)) {
		tb_printf(&tb, "\tssid=\"%s\"\n", in->ssid);
	} else {
		tb_str(&tb, "\tssid=");
		for (const unsigned char *p = (const unsigned char *)in->ssid; *p; p++) tb_printf(&tb, "%02x", *p);
		tb_str(&tb, "\n");
	}
	/* WPA2-Enterprise, and WPA3-Enterprise where the AP offers it (management frame protection optional). */
	tb_str(&tb, "\tkey_mgmt=WPA-EAP WPA-EAP-SHA256\n\tieee80211w=1\n\teap=TLS\n");
	tb_printf(&tb, "\tidentity=\"%s\"\n", in->member);
	tb_printf(&tb, "\tca_cert=\"%s\"\n", in->ca_path);
	tb_printf(&tb, "\tprivate_key=\"%s\"\n", in->p12_path);
	tb_printf(&tb, "\tprivate_key_passwd=\"%s\"\n", in->p12_password);
	tb_printf(&tb, "\tdomain_match=\"%s\"\n}\n", in->server_name);
	return tb_finish(&tb, out, len);
}

/* ---- Windows --------------------------------------------------------------------- */

/* The EAP-TLS part of the WLAN profile: the server name and the CA thumbprint are the only trust. */
static void win_eap(tb_t *tb, const cw_profile_in_t *in, const char *thumb)
{
	tb_str(tb, "\t\t\t<OneX xmlns=\"http://www.microsoft.com/networking/OneX/v1\">\n"
	       "\t\t\t\t<authMode>user</authMode>\n\t\t\t\t<EAPConfig>\n"
	       "<EapHostConfig xmlns=\"http://www.microsoft.com/provisioning/EapHostConfig\">\n"
	       "\t<EapMethod>\n"
	       "\t\t<Type xmlns=\"http://www.microsoft.com/provisioning/EapCommon\">13</Type>\n"
	       "\t\t<VendorId xmlns=\"http://www.microsoft.com/provisioning/EapCommon\">0</VendorId>\n"
	       "\t\t<VendorType xmlns=\"http://www.microsoft.com/provisioning/EapCommon\">0</VendorType>\n"
	       "\t\t<AuthorId xmlns=\"http://www.microsoft.com/provisioning/EapCommon\">0</AuthorId>\n"
	       "\t</EapMethod>\n"
	       "\t<Config xmlns=\"http://www.microsoft.com/provisioning/EapHostConfig\">\n"
	       "\t\t<Eap xmlns=\"http://www.microsoft.com/provisioning/BaseEapConnectionPropertiesV1\">\n"
	       "\t\t\t<Type>13</Type>\n"
	       "\t\t\t<EapType xmlns=\"http://www.microsoft.com/provisioning/EapTlsConnectionPropertiesV1\">\n"
	       "\t\t\t\t<CredentialsSource>\n\t\t\t\t\t<CertificateStore>\n"
	       "\t\t\t\t\t\t<SimpleCertSelection>true</SimpleCertSelection>\n"
	       "\t\t\t\t\t</CertificateStore>\n\t\t\t\t</CredentialsSource>\n"
	       "\t\t\t\t<ServerValidation>\n"
	       "\t\t\t\t\t<DisableUserPromptForServerValidation>true</DisableUserPromptForServerValidation>\n"
	       "\t\t\t\t\t<ServerNames>");
	tb_xml(tb, in->server_name);
	tb_printf(tb, "</ServerNames>\n\t\t\t\t\t<TrustedRootCA>%s</TrustedRootCA>\n", thumb);
	tb_str(tb, "\t\t\t\t</ServerValidation>\n"
	       "\t\t\t\t<DifferentUsername>false</DifferentUsername>\n"
	       "\t\t\t\t<PerformServerValidation xmlns=\"http://www.microsoft.com/provisioning/"
	       "EapTlsConnectionPropertiesV2\">true</PerformServerValidation>\n"
	       "\t\t\t\t<AcceptServerName xmlns=\"http://www.microsoft.com/provisioning/"
	       "EapTlsConnectionPropertiesV2\">true</AcceptServerName>\n"
	       "\t\t\t</EapType>\n\t\t</Eap>\n\t</Config>\n</EapHostConfig>\n"
	       "\t\t\t\t</EAPConfig>\n\t\t\t</OneX>\n");
}

int cw_profile_windows_xml(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err)
{
	char thumb[CW_THUMBPRINT_STR_LEN + 1];
	tb_t tb;

	builder_start(&tb, out, len, err);
	if (check_names(in, true, false, err) < 0 || cw_cert_thumbprint_sha1(in->ca_der, in->ca_der_len, thumb, err) < 0) {
		return -1;
	}
	tb_str(&tb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	       "<WLANProfile xmlns=\"http://www.microsoft.com/networking/WLAN/profile/v1\">\n\t<name>");
	tb_xml(&tb, in->ssid);
	tb_str(&tb, "</name>\n\t<SSIDConfig>\n\t\t<SSID>\n\t\t\t<hex>");
	for (const unsigned char *p = (const unsigned char *)in->ssid; *p; p++) tb_printf(&tb, "%02X", *p);
	tb_str(&tb, "</hex>\n\t\t\t<name>");
	tb_xml(&tb, in->ssid);
	tb_str(&tb, "</name>\n\t\t</SSID>\n\t\t<nonBroadcast>false</nonBroadcast>\n\t</SSIDConfig>\n"
	       "\t<connectionType>ESS</connectionType>\n\t<connectionMode>auto</connectionMode>\n"
	       "\t<MSM>\n\t\t<security>\n\t\t\t<authEncryption>\n"
	       "\t\t\t\t<authentication>WPA2</authentication>\n\t\t\t\t<encryption>AES</encryption>\n"
	       "\t\t\t\t<useOneX>true</useOneX>\n\t\t\t</authEncryption>\n");
	win_eap(&tb, in, thumb);
	tb_str(&tb, "\t\t</security>\n\t</MSM>\n</WLANProfile>\n");
	return tb_finish(&tb, out, len);
}

/* The file names the instructions mention. */
static int check_instruction_files(const cw_profile_in_t *in, bool wlan, cw_err_t *err)
{
	if (check_file_name(in->p12_file, "PKCS#12", err) < 0 || check_file_name(in->ca_file, "CA", err) < 0) {
		return -1;
	}
	return wlan ? check_file_name(in->wlan_file, "WLAN profile", err) : 0;
}

/* The first line of the instructions, then an empty line; nl is the platform's line end. */
static void text_title(tb_t *tb, const cw_profile_in_t *in, const char *platform, const char *nl)
{
	tb_printf(tb, "Wi-Fi \"%s\" of %s on %s (EAP-TLS with the certificate of %s)%s%s", in->ssid, in->org, platform,
		  in->member, nl, nl);
}

int cw_profile_windows_text(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err)
{
	tb_t tb;

	builder_start(&tb, out, len, err);
	if (check_names(in, false, true, err) < 0 || check_instruction_files(in, true, err) < 0) return -1;
	text_title(&tb, in, "Windows 10 and 11", "\r\n");
	tb_printf(&tb, "Copy %s, %s and %s into one folder, open a command prompt there, then:\r\n\r\n",
		  in->p12_file, in->ca_file, in->wlan_file);
	tb_printf(&tb, "1. Your certificate, into your personal store (it asks for the PKCS#12 password\r\n"
		  "   you were given separately):\r\n"
		  "      certutil -user -importPFX \"%s\" NoExport\r\n\r\n", in->p12_file);
	tb_printf(&tb, "2. The certificate authority of the network's server, into Trusted Root\r\n"
		  "   Certification Authorities (from a command prompt run as administrator):\r\n"
		  "      certutil -addstore Root \"%s\"\r\n\r\n", in->ca_file);
	tb_printf(&tb, "3. The Wi-Fi profile (WPA2-Enterprise, EAP-TLS, the server name and CA are\r\n"
		  "   fixed in it, so Windows never asks whether to trust another server):\r\n"
		  "      netsh wlan add profile filename=\"%s\" user=current\r\n\r\n", in->wlan_file);
	tb_printf(&tb, "4. Connect: choose \"%s\" in the Wi-Fi menu", in->ssid);
	/* cmd.exe has no escape for '"' inside quotes, and expands %...% and !...! there. */
	if (!strpbrk(in->ssid, "\"%!^")) tb_printf(&tb, ", or:\r\n      netsh wlan connect name=\"%s\"", in->ssid);
	tb_str(&tb, "\r\n\r\n");
	tb_str(&tb, "If step 1 says the password is wrong although it is right, this Windows cannot read\r\n"
	       "AES-encrypted PKCS#12 files (before Windows 10 1709): ask for one made with --legacy-p12.\r\n");
	return tb_finish(&tb, out, len);
}

int cw_profile_android_text(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err)
{
	tb_t tb;

	builder_start(&tb, out, len, err);
	if (check_names(in, true, true, err) < 0 || check_instruction_files(in, false, err) < 0) return -1;
	text_title(&tb, in, "Android 11 and later", "\n");
	tb_printf(&tb, "1. Copy %s and %s to the phone (Downloads).\n\n", in->ca_file, in->p12_file);
	tb_printf(&tb, "2. Settings > Security > Encryption & credentials > Install a certificate >\n"
		  "   Wi-Fi certificate: choose %s and name it \"%s CA\".\n\n", in->ca_file, in->org);
	tb_printf(&tb, "3. Same place, Wi-Fi certificate again: choose %s, enter the PKCS#12 password you\n"
		  "   were given separately, and name it \"%s\".\n\n", in->p12_file, in->member);
	tb_str(&tb, "4. Settings > Network & internet > Wi-Fi > Add network (or tap the network):\n");
	tb_printf(&tb, "      Network name          %s\n", in->ssid);
	tb_str(&tb, "      Security              WPA/WPA2/WPA3-Enterprise (or 802.1x EAP)\n"
	       "      EAP method            TLS\n");
	tb_printf(&tb, "      CA certificate        %s CA\n", in->org);
	tb_str(&tb, "      Online certificate status   Do not verify\n");
	tb_printf(&tb, "      Domain                %s\n", in->server_name);
	tb_printf(&tb, "      User certificate      %s\n", in->member);
	tb_printf(&tb, "      Identity              %s\n\n", in->member);
	tb_str(&tb, "Never choose \"Do not validate\" or \"Use system certificates\" for the CA: only this\n"
	       "CA and this domain prove that you talk to the space's own server.\n"
	       "If step 3 says the password is wrong although it is right, this phone cannot read\n"
	       "AES-encrypted PKCS#12 files: ask for one made with --legacy-p12.\n");
	return tb_finish(&tb, out, len);
}
