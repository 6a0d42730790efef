/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ca.h - the member certificate authority: keys, certificates, PKCS#12.
 *
 * Only coworkctl links this; the RADIUS module never opens the CA key.
 * Everything here works in memory: callers write the PEM/DER results to
 * files themselves (see lib/core/fileio.h), so that file modes, O_EXCL and the
 * order of "files, then registry" are decided in one place.
 *
 * Keys are ECDSA P-256, signatures ECDSA with SHA-256. Every serial is 16
 * random bytes from the CSPRNG with the top bit cleared and the first byte
 * non-zero (127 bits of randomness, positive, always 16 octets).
 */
#ifndef COWORK_CA_H
#define COWORK_CA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cowork.h"
#include "serial.h"

typedef struct cw_ca cw_ca_t;

/* What the registry records about a certificate. */
typedef struct cw_cert_info {
	char	serial[CW_SERIAL_HEX_MAX + 1];	//!< cw_serial_normalise() form
	int64_t	not_before;			//!< Unix time
	int64_t	not_after;			//!< Unix time
	char	sha256[65];			//!< lowercase hex SHA-256 of the DER certificate
	char	subject[CW_DN_MAX];		//!< X509_NAME_oneline() of the subject
	char	issuer[CW_DN_MAX];		//!< X509_NAME_oneline() of the issuer
	char	ski[128];			//!< Subject Key Identifier, lowercase hex, "" if none
} cw_cert_info_t;

/* A freshly made key and certificate. Free with cw_issued_clear(). */
typedef struct cw_issued {
	cw_cert_info_t	info;
	char		*cert_pem;		//!< NUL-terminated PEM certificate
	size_t		cert_pem_len;
	char		*key_pem;		//!< NUL-terminated PEM PKCS#8 private key (secret)
	size_t		key_pem_len;
} cw_issued_t;

/* Validity limits. */
#define CW_CA_DAYS_DEFAULT	3650	//!< CA certificate: 10 years
#define CW_SERVER_DAYS_MAX	825	//!< CA/Browser Forum's old limit; Apple devices enforce it
#define CW_MEMBER_DAYS_DEFAULT	365
#define CW_MEMBER_DAYS_MAX	825
#define CW_NAS_DAYS_DEFAULT	825	//!< NAS (RadSec client) certificate
#define CW_NAS_DAYS_MAX		825
#define CW_BACKDATE_SECONDS	3600	//!< notBefore = now - this, for devices with a slow clock

/*
 * Make a new CA: key and self-signed certificate (v3; basicConstraints
 * critical CA:TRUE, pathlen:0; keyUsage critical keyCertSign, cRLSign;
 * subjectKeyIdentifier). Subject O=<org>, CN="<org> Member CA" (CN
 * "Member CA" when that would exceed 64 characters). org is UTF-8, 1..64
 * characters. Returns 0 with *out set (free with cw_ca_free), or -1.
 */
int cw_ca_generate(const char *org, unsigned days, int64_t now, cw_ca_t **out, cw_err_t *err);

/*
 * Make the NAS CA, which signs only the RadSec client certificates of
 * access points and proxies (cw_ca_issue_nas) and is the only trust anchor
 * of the RadSec listener: as cw_ca_generate, CN "<org> NAS CA" ("NAS CA"
 * when too long). Never the member CA: a member's certificate must not
 * open a RADIUS connection, nor a NAS's an EAP-TLS session.
 */
int cw_ca_generate_nas(const char *org, unsigned days, int64_t now, cw_ca_t **out, cw_err_t *err);

/*
 * Load a CA from its certificate and key files. Checks that the key
 * matches the certificate and that the certificate is a CA. Returns 0 with
 * *out set, or -1 with err naming the file and the problem.
 */
int cw_ca_load(const char *cert_path, const char *key_path, cw_ca_t **out, cw_err_t *err);

/* Free a CA and wipe its key from memory. Accepts NULL. */
void cw_ca_free(cw_ca_t *ca);

/*
 * PEM of the CA certificate and of its private key. Both strings are
 * allocated (malloc) and NUL-terminated; the caller frees the certificate
 * with free() and the key with cw_secret_free(). 0 or -1.
 */
int cw_ca_export(const cw_ca_t *ca, char **cert_pem, size_t *cert_len, char **key_pem, size_t *key_len,
		 cw_err_t *err);

/* Facts of the CA certificate itself. 0 or -1. */
int cw_ca_info(const cw_ca_t *ca, cw_cert_info_t *info, cw_err_t *err);

/*
 * Issue the RADIUS server certificate: new key; subject O=<CA's O>,
 * CN=<dns_name>; subjectAltName DNS:<dns_name>; EKU serverAuth; keyUsage
 * critical digitalSignature; basicConstraints CA:FALSE; SKI/AKI. Valid
 * from now - CW_BACKDATE_SECONDS for `days` days (1..CW_SERVER_DAYS_MAX),
 * never past the CA's own notAfter. 0, or -1.
 */
int cw_ca_issue_server(cw_ca_t *ca, const char *dns_name, unsigned days, int64_t now, cw_issued_t *out,
		       cw_err_t *err);

/*
 * Issue a member certificate: new key; subject O=<CA's O>, CN=<member_id>;
 * EKU clientAuth only; keyUsage critical digitalSignature; basicConstraints
 * CA:FALSE; SKI/AKI. Valid from now - CW_BACKDATE_SECONDS until the
 * earliest of now + days * 86400 (days 1..CW_MEMBER_DAYS_MAX), limit - 1
 * (when limit > 0: the exclusive end of the membership) and the CA's
 * notAfter. Fails when that leaves no validity after now.
 * 0, or -1.
 */
int cw_ca_issue_member(cw_ca_t *ca, const char *member_id, unsigned days, int64_t limit, int64_t now,
		       cw_issued_t *out, cw_err_t *err);

/*
 * Issue a NAS's RadSec client certificate with the NAS CA: new key;
 * subject O=<CA's O>, CN=<nas_name>; EKU clientAuth only; keyUsage
 * critical digitalSignature; basicConstraints CA:FALSE; SKI/AKI. Valid from
 * now - CW_BACKDATE_SECONDS until now + days * 86400 (days
 * 1..CW_NAS_DAYS_MAX), never past the CA's notAfter. 0, or -1.
 */
int cw_ca_issue_nas(cw_ca_t *ca, const char *nas_name, unsigned days, int64_t now, cw_issued_t *out,
		    cw_err_t *err);

/*
 * PKCS#12 of a member's key and certificate with the CA certificate in the
 * chain, friendly name = member id, protected by password. Default
 * algorithms are OpenSSL 3's (PBES2 AES-256-CBC, PBKDF2, HMAC-SHA-256 MAC);
 * legacy = true uses PBE-SHA1-3DES and a SHA-1 MAC for devices that cannot
 * read the former (macOS before 14, older Android). *der is malloc'd;
 * free it with free(). 0, or -1.
 */
int cw_p12_build(const cw_issued_t *leaf, const cw_ca_t *ca, const char *friendly_name, const char *password,
		 bool legacy, unsigned char **der, size_t *der_len, cw_err_t *err);

/* Facts of a PEM certificate (first one in the buffer). 0, or -1. */
int cw_cert_info_from_pem(const char *pem, size_t len, cw_cert_info_t *info, cw_err_t *err);

/* Wipe and free the key, free the certificate, zero the struct. Accepts NULL. */
void cw_issued_clear(cw_issued_t *issued);

/* Wipe len bytes at p, then free(p). Accepts NULL. */
void cw_secret_free(void *p, size_t len);

#endif
