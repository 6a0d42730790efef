/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mkenroll.c - writes the files of a self-enrollment for one device, as
 * the enrollment service will make them, from a fresh CA: for
 * tests/integration/enroll_profiles.sh, which reads them back with the
 * checkers in tests/tools and with openssl.
 *
 * Usage: mkenroll [--legacy-p12] DIR MEMBER ORG SSID SERVER
 * The PKCS#12 password comes from $P12PW, never from the command line.
 * DIR must exist; every file is new (0600):
 *   ca.pem             the member CA
 *   signer.pem/.key    the profile-signing certificate (the CA's server profile, CN enroll.SERVER)
 *   MEMBER.pem         the member certificate
 *   MEMBER.p12         its PKCS#12
 *   MEMBER.eap-config  cw_profile_eap_config
 *   MEMBER.mobileconfig         cw_profile_apple with the password
 *   MEMBER.asks.mobileconfig    cw_profile_apple without it (the device asks)
 *   MEMBER.signed.mobileconfig  MEMBER.mobileconfig signed (signer.pem, chain ca.pem)
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ca.h"
#include "fileio.h"
#include "profile.h"

/* DIR/name, exiting on truncation. */
static const char *path_in(const char *dir, const char *name, char *buf, size_t len)
{
	if (cw_snprintf(buf, len, "%s/%s", dir, name) < 0) errx(1, "path too long: %s/%s", dir, name);
	return buf;
}

/* Write a new 0600 file DIR/name, or exit. */
static void put(const char *dir, const char *name, const void *data, size_t len)
{
	char path[4096];
	cw_err_t e;

	if (cw_file_write_new(path_in(dir, name, path, sizeof(path)), data, len, 0600, CW_NO_GID, &e) < 0) {
		errx(1, "%s", e.msg);
	}
}

/* Write DIR/MEMBER.suffix. */
static void put_member(const char *dir, const char *member, const char *suffix, const void *data, size_t len)
{
	char name[512];

	if (cw_snprintf(name, sizeof(name), "%s%s", member, suffix) < 0) errx(1, "member id too long");
	put(dir, name, data, len);
}

/* The CA, the signer, the member's certificate and PKCS#12, written; in->ca_der and in->p12 set (malloc'd). */
static void make_certs(const char *dir, cw_profile_in_t *in, bool legacy, int64_t now)
{
	cw_ca_t *ca = NULL;
	cw_issued_t signer = { 0 }, member = { 0 };
	char *pem = NULL, *key = NULL, signer_name[300];
	size_t pem_len = 0, key_len = 0;
	unsigned char *ca_der = NULL, *p12 = NULL;
	cw_err_t e;

	if (cw_snprintf(signer_name, sizeof(signer_name), "enroll.%s", in->server_name) < 0) errx(1, "server name");
	if (cw_ca_generate(in->org, 30, now, &ca, &e) < 0 || cw_ca_export(ca, &pem, &pem_len, &key, &key_len, &e) < 0 ||
	    cw_cert_pem_to_der(pem, pem_len, &ca_der, &in->ca_der_len, &e) < 0 ||
	    cw_ca_issue_server(ca, signer_name, 30, now, &signer, &e) < 0 ||
	    cw_ca_issue_member(ca, in->member, 30, 0, now, &member, &e) < 0 ||
	    cw_p12_build(&member, ca, in->member, in->p12_password, legacy, &p12, &in->p12_len, &e) < 0) {
		errx(1, "%s", e.msg);
	}
	put(dir, "ca.pem", pem, pem_len);
	put(dir, "signer.pem", signer.cert_pem, signer.cert_pem_len);
	put(dir, "signer.key", signer.key_pem, signer.key_pem_len);
	put_member(dir, in->member, ".pem", member.cert_pem, member.cert_pem_len);
	put_member(dir, in->member, ".p12", p12, in->p12_len);
	in->ca_der = ca_der;
	in->p12 = p12;
	free(pem);
	cw_secret_free(key, key_len);
	cw_issued_clear(&signer);
	cw_issued_clear(&member);
	cw_ca_free(ca);
}

/* Build with fn and write DIR/MEMBER.suffix; the text is returned (free with cw_secret_free). */
static char *build_put(const char *dir, const cw_profile_in_t *in, const char *suffix,
		       int (*fn)(const cw_profile_in_t *, char **, size_t *, cw_err_t *), size_t *len)
{
	char *text = NULL;
	cw_err_t e;

	if (fn(in, &text, len, &e) < 0) errx(1, "%s: %s", suffix, e.msg);
	put_member(dir, in->member, suffix, text, *len);
	return text;
}

/* Sign the profile with DIR's signer and write DIR/MEMBER.signed.mobileconfig. */
static void sign_put(const char *dir, const char *member, const char *text, size_t len)
{
	char cert[4096], key[4096], chain[4096];
	cw_profile_signer_t *s = NULL;
	unsigned char *der = NULL;
	size_t der_len = 0;
	cw_err_t e;

	if (cw_profile_signer_load(path_in(dir, "signer.pem", cert, sizeof(cert)), path_in(dir, "signer.key", key,
				   sizeof(key)), path_in(dir, "ca.pem", chain, sizeof(chain)), &s, &e) < 0 ||
	    cw_profile_sign_with(s, text, len, &der, &der_len, &e) < 0) {
		errx(1, "signing: %s", e.msg);
	}
	put_member(dir, member, ".signed.mobileconfig", der, der_len);
	cw_secret_free(der, der_len);
	cw_profile_signer_free(s);
}

int main(int argc, char **argv)
{
	bool legacy = argc > 1 && strcmp(argv[1], "--legacy-p12") == 0;
	cw_profile_in_t in = { 0 };
	const char *dir;
	char *text;
	size_t len;
	cw_err_t e;

	argv += legacy;
	argc -= legacy;
	if (argc != 6) errx(2, "usage: mkenroll [--legacy-p12] DIR MEMBER ORG SSID SERVER (password in $P12PW)");
	dir = argv[1];
	in.member = argv[2];
	in.org = argv[3];
	in.ssid = argv[4];
	in.server_name = argv[5];
	if (!(in.p12_password = getenv("P12PW"))) errx(2, "P12PW is not set");
	if (cw_profile_uuids_make(&in.uuids, &e) < 0) errx(1, "%s", e.msg);
	make_certs(dir, &in, legacy, (int64_t)time(NULL));
	text = build_put(dir, &in, ".eap-config", cw_profile_eap_config, &len);
	cw_secret_free(text, len);
	text = build_put(dir, &in, ".asks.mobileconfig", cw_profile_apple, &len);
	cw_secret_free(text, len);
	in.apple_password = true;
	text = build_put(dir, &in, ".mobileconfig", cw_profile_apple, &len);
	sign_put(dir, in.member, text, len);
	cw_secret_free(text, len);
	free((void *)in.ca_der);
	free((void *)in.p12);
	return 0;
}
