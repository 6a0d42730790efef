/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ca.c - the member certificate authority: keys, certificates, PKCS#12.
 *
 * OpenSSL 3.0 API only; nothing deprecated in 3.0 is used (the build
 * hides it, see OPENSSL_NO_DEPRECATED below). No global state: every object
 * lives in a cw_ca_t or on the stack, and OpenSSL's error queue is
 * per-thread, so concurrent callers with their own cw_ca_t are safe.
 *
 * Errors are never printed: the last OpenSSL error string goes into the
 * caller's cw_err_t and the queue is cleared.
 */
#ifndef OPENSSL_NO_DEPRECATED
#  define OPENSSL_NO_DEPRECATED	/* hide every deprecated declaration */
#endif

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ca.h"
#include "ca_internal.h"
#include "fileio.h"
#include "names.h"

#if OPENSSL_VERSION_NUMBER < 0x30000000L
#  error "lib/ca/ca.c needs OpenSSL 3.0 or later"
#endif

struct cw_ca {
	X509		*cert;		//!< the CA certificate
	EVP_PKEY	*key;		//!< its private key (freed, and so wiped, by EVP_PKEY_free)
};

/* One X509v3 extension in openssl.cnf syntax. */
typedef struct {
	int		nid;
	const char	*value;
} ext_def_t;

#define SERIAL_OCTETS		16
#define UB_NAME_CHARS		64		//!< RFC 5280 ub-organization-name, ub-common-name
#define DNS_NAME_MAX		253
#define SECONDS_PER_DAY		86400
#define TIME_MAX_UNIX		INT64_C(253402300799)	//!< 9999-12-31T23:59:59Z, the end of GeneralizedTime
#define PEM_FILE_MAX		(1024 * 1024)

/*
 * Set err to the printf-style message followed by the most recent OpenSSL
 * error, if any, and clear the queue (the last error is the one that says
 * what failed; 3.0's decoders queue several). OpenSSL's error strings
 * never hold key material.
 */
static void ossl_verr(cw_err_t *err, const char *fmt, va_list ap) CW_PRINTF(2, 0);
static void ossl_err(cw_err_t *err, const char *fmt, ...) CW_PRINTF(2, 3);
static void ossl_err(cw_err_t *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ossl_verr(err, fmt, ap);
	va_end(ap);
}

static void ossl_verr(cw_err_t *err, const char *fmt, va_list ap)
{
	unsigned long e = ERR_peek_last_error();
	char what[384], buf[128];

	(void)vsnprintf(what, sizeof(what), fmt, ap);
	if (e != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		cw_err_set(err, "%s: %s", what, buf);
	} else {
		cw_err_set(err, "%s", what);
	}
	ERR_clear_error();
}

/* Wipe len bytes at p, then free(p). Accepts NULL. */
void cw_secret_free(void *p, size_t len)
{
	if (!p) return;
	cw_wipe(p, len);
	free(p);
}

/* Wipe and free the key, free the certificate, zero the struct. Accepts NULL. */
void cw_issued_clear(cw_issued_t *issued)
{
	if (!issued) return;
	cw_secret_free(issued->key_pem, issued->key_pem_len);
	free(issued->cert_pem);
	memset(issued, 0, sizeof(*issued));
}

/* Free a CA; EVP_PKEY_free clears the private scalar (BN_clear_free). Accepts NULL. */
void cw_ca_free(cw_ca_t *ca)
{
	if (!ca) return;
	X509_free(ca->cert);
	EVP_PKEY_free(ca->key);
	free(ca);
}

/* Refuse a clock value that cannot be a certificate time (also keeps the sums below in range). */
static int now_check(int64_t now, cw_err_t *err)
{
	if (now < 0 || now > TIME_MAX_UNIX) {
		cw_err_set(err, "current time %lld is out of range", (long long)now);
		return -1;
	}
	return 0;
}

/* Unix time of an ASN1_TIME. 0, or -1. */
static int asn1_time_to_unix(const ASN1_TIME *t, int64_t *out)
{
	struct tm tm;
	time_t v;

	memset(&tm, 0, sizeof(tm));
	if (!t || ASN1_TIME_to_tm(t, &tm) != 1) return -1;
	errno = 0;
	v = timegm(&tm);
	if (v == (time_t)-1 && errno != 0) return -1;
	*out = (int64_t)v;
	return 0;
}

/* Set an ASN1_TIME held by a certificate to a Unix time. 0, or -1. */
static int cert_time_set(ASN1_TIME *t, int64_t when, cw_err_t *err)
{
	if (when < 0 || when > TIME_MAX_UNIX) {
		cw_err_set(err, "certificate validity would end after the year 9999");
		return -1;
	}
	if (!ASN1_TIME_set(t, (time_t)when)) {
		ossl_err(err, "cannot set certificate time");
		return -1;
	}
	return 0;
}

/* Lowercase hex of len bytes into out (outsize >= 2 * len + 1). 0, or -1. */
static int hex_encode(const unsigned char *p, size_t len, char *out, size_t outsize)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	if (outsize < 2 * len + 1) return -1;
	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0f];
	}
	out[2 * len] = '\0';
	return 0;
}

/*
 * X509_NAME_oneline() of name into out[CW_DN_MAX]. A name too long for
 * the buffer is an error rather than silently truncated, because the
 * registry compares these strings with what FreeRADIUS reports.
 */
static int dn_oneline(const X509_NAME *name, const char *what, char out[CW_DN_MAX], cw_err_t *err)
{
	char *s = X509_NAME_oneline(name, NULL, 0);
	int rc = -1;

	out[0] = '\0';
	if (!s) {
		ossl_err(err, "cannot format certificate name");
		goto fail;
	}
	if (cw_snprintf(out, CW_DN_MAX, "%s", s) < 0) {
		cw_err_set(err, "certificate %s is longer than %d characters once formatted", what, CW_DN_MAX - 1);
		out[0] = '\0';
		goto fail;
	}
	rc = 0;
fail:
	OPENSSL_free(s);
	return rc;
}

/* Fill info from a certificate. 0, or -1. */
static int cert_info_from_x509(X509 *cert, cw_cert_info_t *info, cw_err_t *err)
{
	const ASN1_INTEGER *sn = X509_get0_serialNumber(cert);
	const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(cert);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	memset(info, 0, sizeof(*info));
	/* Same bytes FreeRADIUS prints for TLS-Client-Cert-Serial. */
	if (!sn || cw_serial_from_bytes(ASN1_STRING_get0_data(sn), (size_t)ASN1_STRING_length(sn), info->serial) < 0) {
		cw_err_set(err, "certificate serial is missing or longer than 20 octets");
		goto fail;
	}
	if (asn1_time_to_unix(X509_get0_notBefore(cert), &info->not_before) < 0 ||
	    asn1_time_to_unix(X509_get0_notAfter(cert), &info->not_after) < 0) {
		ossl_err(err, "certificate has an unreadable validity time");
		goto fail;
	}
	/* X509_digest hashes the DER encoding, i.e. i2d_X509. */
	if (!X509_digest(cert, EVP_sha256(), md, &mdlen) || mdlen != 32 ||
	    hex_encode(md, mdlen, info->sha256, sizeof(info->sha256)) < 0) {
		ossl_err(err, "cannot compute certificate SHA-256");
		goto fail;
	}
	if (dn_oneline(X509_get_subject_name(cert), "subject", info->subject, err) < 0) goto fail;
	if (dn_oneline(X509_get_issuer_name(cert), "issuer", info->issuer, err) < 0) goto fail;
	if (ski && hex_encode(ASN1_STRING_get0_data(ski), (size_t)ASN1_STRING_length(ski), info->ski,
			      sizeof(info->ski)) < 0) {
		cw_err_set(err, "certificate subject key identifier is too long");
		goto fail;
	}
	return 0;
fail:
	memset(info, 0, sizeof(*info));
	return -1;
}

/*
 * Copy the contents of a memory BIO into a new NUL-terminated malloc'd
 * string. When secret, the BIO's own buffer is cleansed afterwards so
 * that BIO_free leaves no copy behind. 0, or -1.
 */
static int bio_take(BIO *bio, bool secret, char **out, size_t *outlen, cw_err_t *err)
{
	char *data = NULL;
	long n = BIO_get_mem_data(bio, &data);
	char *s;

	*out = NULL;
	*outlen = 0;
	if (n <= 0 || !data) {
		cw_err_set(err, "PEM encoding produced no output");
		return -1;
	}
	s = malloc((size_t)n + 1);
	if (!s) {
		if (secret) OPENSSL_cleanse(data, (size_t)n);
		cw_err_set(err, "out of memory");
		return -1;
	}
	memcpy(s, data, (size_t)n);
	s[n] = '\0';
	if (secret) OPENSSL_cleanse(data, (size_t)n);
	*out = s;
	*outlen = (size_t)n;
	return 0;
}

/* PEM of a certificate, malloc'd. 0, or -1. */
static int cert_to_pem(const X509 *cert, char **out, size_t *outlen, cw_err_t *err)
{
	BIO *bio = BIO_new(BIO_s_mem());
	int rc = -1;

	if (!bio) {
		ossl_err(err, "cannot allocate a memory BIO");
		goto fail;
	}
	if (!PEM_write_bio_X509(bio, cert)) {
		ossl_err(err, "cannot PEM-encode certificate");
		goto fail;
	}
	rc = bio_take(bio, false, out, outlen, err);
fail:
	BIO_free(bio);
	return rc;
}

/*
 * Unencrypted PKCS#8 PEM of a private key, malloc'd; free it with
 * cw_secret_free. The BIO is a secure-memory one (its buffer is cleared
 * on free) and is cleansed by bio_take as well. 0, or -1.
 */
static int key_to_pem(const EVP_PKEY *key, char **out, size_t *outlen, cw_err_t *err)
{
	BIO *bio = BIO_new(BIO_s_secmem());
	int rc = -1;

	if (!bio) {
		ossl_err(err, "cannot allocate a memory BIO");
		goto fail;
	}
	if (!PEM_write_bio_PKCS8PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL)) {
		ossl_err(err, "cannot PEM-encode private key");
		goto fail;
	}
	rc = bio_take(bio, true, out, outlen, err);
fail:
	BIO_free(bio);
	return rc;
}

/*
 * Password callback that refuses: we never prompt, and an encrypted key
 * is reported to the caller instead. u points at a bool set when asked.
 */
static int refuse_password(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	if (u) *(bool *)u = true;
	return -1;
}

/* First certificate in a PEM buffer, or NULL. */
static X509 *pem_to_x509(const char *pem, size_t len)
{
	BIO *bio;
	X509 *cert;

	if (!pem || len == 0 || len > INT_MAX) return NULL;
	bio = BIO_new_mem_buf(pem, (int)len);
	if (!bio) return NULL;
	cert = PEM_read_bio_X509(bio, NULL, refuse_password, NULL);
	BIO_free(bio);
	return cert;
}

/* Unencrypted private key from a PEM buffer, or NULL; *encrypted set when it asked for a passphrase. */
static EVP_PKEY *pem_to_key(const char *pem, size_t len, bool *encrypted)
{
	BIO *bio;
	EVP_PKEY *key;

	*encrypted = false;
	if (!pem || len == 0 || len > INT_MAX) return NULL;
	bio = BIO_new_mem_buf(pem, (int)len);	/* read-only view: no copy of the key */
	if (!bio) return NULL;
	key = PEM_read_bio_PrivateKey(bio, NULL, refuse_password, encrypted);
	BIO_free(bio);
	return key;
}

/*
 * A positive serial of exactly SERIAL_OCTETS octets from the CSPRNG: top
 * bit clear (positive, no sign octet) and first octet non-zero (no
 * shortening). Returns a new ASN1_INTEGER, or NULL with err.
 */
static ASN1_INTEGER *serial_make(cw_err_t *err)
{
	unsigned char b[SERIAL_OCTETS];
	ASN1_INTEGER *sn = NULL;

	if (RAND_bytes(b, sizeof(b)) != 1) {
		ossl_err(err, "no random bytes for a serial");
		return NULL;
	}
	b[0] &= 0x7f;
	if (b[0] == 0) b[0] = 0x40;
	sn = ASN1_INTEGER_new();
	if (!sn || !ASN1_STRING_set(sn, b, sizeof(b))) {
		ossl_err(err, "cannot make a serial");
		ASN1_INTEGER_free(sn);
		return NULL;
	}
	return sn;
}

/* Add extensions, with issuer (which may be cert itself) as the AKI source. 0, or -1. */
static int cert_add_exts(X509 *cert, X509 *issuer, const ext_def_t *defs, size_t n, cw_err_t *err)
{
	X509V3_CTX ctx;
	size_t i;

	memset(&ctx, 0, sizeof(ctx));
	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	X509V3_set_ctx_nodb(&ctx);
	for (i = 0; i < n; i++) {
		X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, defs[i].nid, defs[i].value);
		int ok;

		if (!ext) {
			ossl_err(err, "cannot make the %s extension", OBJ_nid2sn(defs[i].nid));
			return -1;
		}
		ok = X509_add_ext(cert, ext, -1);
		X509_EXTENSION_free(ext);
		if (!ok) {
			ossl_err(err, "cannot add an extension to the certificate");
			return -1;
		}
	}
	return 0;
}

/*
 * Make and sign a v3 certificate for subject_key/subject. issuer NULL
 * means self-signed (issuer_key is then the subject's key). *out is set
 * on success. 0, or -1.
 */
static int cert_make(X509 *issuer, EVP_PKEY *issuer_key, EVP_PKEY *subject_key, const X509_NAME *subject,
		     int64_t not_before, int64_t not_after, const ext_def_t *defs, size_t ndefs, X509 **out,
		     cw_err_t *err)
{
	X509 *cert = NULL;
	ASN1_INTEGER *sn = NULL;
	int rc = -1;

	*out = NULL;
	cert = X509_new();
	if (!cert) {
		ossl_err(err, "cannot allocate a certificate");
		goto fail;
	}
	sn = serial_make(err);
	if (!sn) goto fail;
	if (!X509_set_version(cert, X509_VERSION_3) || !X509_set_serialNumber(cert, sn) ||
	    !X509_set_subject_name(cert, subject) ||
	    !X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : subject) ||
	    !X509_set_pubkey(cert, subject_key)) {
		ossl_err(err, "cannot fill in the certificate");
		goto fail;
	}
	if (cert_time_set(X509_getm_notBefore(cert), not_before, err) < 0) goto fail;
	if (cert_time_set(X509_getm_notAfter(cert), not_after, err) < 0) goto fail;
	if (cert_add_exts(cert, issuer ? issuer : cert, defs, ndefs, err) < 0) goto fail;
	if (X509_sign(cert, issuer_key, EVP_sha256()) <= 0) {
		ossl_err(err, "cannot sign the certificate");
		goto fail;
	}
	*out = cert;
	cert = NULL;
	rc = 0;
fail:
	ASN1_INTEGER_free(sn);
	X509_free(cert);
	return rc;
}

/* A new P-256 key, or NULL with err. */
static EVP_PKEY *key_make(cw_err_t *err)
{
	EVP_PKEY *key = EVP_EC_gen("P-256");

	if (!key) ossl_err(err, "cannot generate a P-256 key");
	return key;
}

/*
 * New P-256 key and self-signed CA certificate named O=<org>, CN="<org><label>"
 * (label alone, without its leading blank, when that is too long); *out is
 * freed with cw_ca_free. 0, or -1.
 */
static int ca_generate(const char *org, const char *label, unsigned days, int64_t now, cw_ca_t **out, cw_err_t *err)
{
	static const ext_def_t exts[] = {
		{ NID_basic_constraints,	"critical,CA:TRUE,pathlen:0" },
		{ NID_key_usage,		"critical,keyCertSign,cRLSign" },
		{ NID_subject_key_identifier,	"hash" },
	};
	char cn[UB_NAME_CHARS * 4 + sizeof(" Member CA")];
	cw_cert_info_t info;
	X509_NAME *name = NULL;
	cw_ca_t *ca = NULL;
	size_t nchars;
	int rc = -1;

	assert(out);
	*out = NULL;
	if (cw_name_check_dn_value(org, UB_NAME_CHARS, "organisation name", &nchars, err) < 0) goto fail;
	if (days == 0) {
		cw_err_set(err, "CA validity must be at least one day");
		goto fail;
	}
	if (now_check(now, err) < 0) goto fail;
	assert(label[0] == ' ' && strlen(label) <= strlen(" Member CA"));
	if (nchars + strlen(label) <= UB_NAME_CHARS) {
		if (cw_snprintf(cn, sizeof(cn), "%s%s", org, label) < 0) {
			cw_err_set(err, "organisation name too long");
			goto fail;
		}
	} else {
		(void)cw_snprintf(cn, sizeof(cn), "%s", label + 1);
	}

	ca = calloc(1, sizeof(*ca));
	if (!ca) {
		cw_err_set(err, "out of memory");
		goto fail;
	}
	ca->key = key_make(err);
	if (!ca->key) goto fail;
	name = X509_NAME_new();
	if (!name ||
	    !X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)org, -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0)) {
		ossl_err(err, "cannot build the CA name");
		goto fail;
	}
	if (cert_make(NULL, ca->key, ca->key, name, now - CW_BACKDATE_SECONDS,
		      now + (int64_t)days * SECONDS_PER_DAY, exts, sizeof(exts) / sizeof(exts[0]), &ca->cert,
		      err) < 0) goto fail;
	/* A CA whose name the registry cannot record is of no use: refuse it now. */
	if (cert_info_from_x509(ca->cert, &info, err) < 0) goto fail;

	*out = ca;
	ca = NULL;
	rc = 0;
fail:
	X509_NAME_free(name);
	cw_ca_free(ca);
	return rc;
}

int cw_ca_generate(const char *org, unsigned days, int64_t now, cw_ca_t **out, cw_err_t *err)
{
	return ca_generate(org, " Member CA", days, now, out, err);
}

int cw_ca_generate_nas(const char *org, unsigned days, int64_t now, cw_ca_t **out, cw_err_t *err)
{
	return ca_generate(org, " NAS CA", days, now, out, err);
}

/* The CA certificate's notAfter as Unix time. 0, or -1. */
static int ca_not_after(const cw_ca_t *ca, int64_t *end, cw_err_t *err)
{
	if (asn1_time_to_unix(X509_get0_notAfter(ca->cert), end) < 0) {
		ossl_err(err, "the CA certificate has an unreadable notAfter");
		return -1;
	}
	return 0;
}

/* Index of the O entry in the CA's subject, which every issued subject copies; -1 if none. */
static int ca_org_index(const X509 *cert)
{
	return X509_NAME_get_index_by_NID(X509_get_subject_name(cert), NID_organizationName, -1);
}

/* CA from PEM files; refuses encrypted keys, mismatched keys and non-CA certificates. 0, or -1. */
int cw_ca_load(const char *cert_path, const char *key_path, cw_ca_t **out, cw_err_t *err)
{
	char *cert_pem = NULL, *key_pem = NULL;
	size_t cert_len = 0, key_len = 0;
	bool encrypted = false;
	cw_ca_t *ca = NULL;
	int rc = -1;

	assert(out);
	*out = NULL;
	if (!cert_path || !key_path) {
		cw_err_set(err, "no CA certificate or key file given");
		goto fail;
	}
	if (cw_file_read(cert_path, PEM_FILE_MAX, &cert_pem, &cert_len, err) < 0) goto fail;
	if (cw_file_read(key_path, PEM_FILE_MAX, &key_pem, &key_len, err) < 0) goto fail;
	ca = calloc(1, sizeof(*ca));
	if (!ca) {
		cw_err_set(err, "out of memory");
		goto fail;
	}
	ca->cert = pem_to_x509(cert_pem, cert_len);
	if (!ca->cert) {
		ossl_err(err, "%s: no PEM certificate could be read", cert_path);
		goto fail;
	}
	if (X509_check_ca(ca->cert) != 1) {
		ERR_clear_error();
		cw_err_set(err, "%s: not a CA certificate (no basicConstraints CA:TRUE)", cert_path);
		goto fail;
	}
	if (ca_org_index(ca->cert) < 0) {
		cw_err_set(err, "%s: the CA certificate's subject has no organisation (O)", cert_path);
		goto fail;
	}
	ca->key = pem_to_key(key_pem, key_len, &encrypted);
	if (!ca->key && encrypted) {
		ERR_clear_error();
		cw_err_set(err, "%s: the private key is encrypted; store it unencrypted (mode 0600) instead",
			   key_path);
		goto fail;
	}
	if (!ca->key) {
		ossl_err(err, "%s: no PEM private key could be read", key_path);
		goto fail;
	}
	if (X509_check_private_key(ca->cert, ca->key) != 1) {
		ERR_clear_error();
		cw_err_set(err, "%s: the private key does not match the certificate in %s", key_path, cert_path);
		goto fail;
	}
	*out = ca;
	ca = NULL;
	rc = 0;
fail:
	cw_ca_free(ca);
	free(cert_pem);
	cw_secret_free(key_pem, key_len);
	return rc;
}

/* Caller frees *cert_pem with free() and *key_pem with cw_secret_free(). 0, or -1. */
int cw_ca_export(const cw_ca_t *ca, char **cert_pem, size_t *cert_len, char **key_pem, size_t *key_len,
		 cw_err_t *err)
{
	assert(cert_pem && cert_len && key_pem && key_len);
	*cert_pem = *key_pem = NULL;
	*cert_len = *key_len = 0;
	if (!ca) {
		cw_err_set(err, "no CA");
		return -1;
	}
	if (cert_to_pem(ca->cert, cert_pem, cert_len, err) < 0) return -1;
	if (key_to_pem(ca->key, key_pem, key_len, err) < 0) {
		free(*cert_pem);
		*cert_pem = NULL;
		*cert_len = 0;
		return -1;
	}
	return 0;
}

/* Facts of the CA certificate. 0, or -1 (info zeroed). */
int cw_ca_info(const cw_ca_t *ca, cw_cert_info_t *info, cw_err_t *err)
{
	assert(info);
	if (!ca) {
		memset(info, 0, sizeof(*info));
		cw_err_set(err, "no CA");
		return -1;
	}
	return cert_info_from_x509(ca->cert, info, err);
}

/* Facts of the first certificate in a PEM buffer. 0, or -1 (info zeroed). */
int cw_cert_info_from_pem(const char *pem, size_t len, cw_cert_info_t *info, cw_err_t *err)
{
	X509 *cert;
	int rc;

	assert(info);
	memset(info, 0, sizeof(*info));
	cert = pem_to_x509(pem, len);
	if (!cert) {
		ossl_err(err, "no PEM certificate could be read");
		return -1;
	}
	rc = cert_info_from_x509(cert, info, err);
	X509_free(cert);
	return rc;
}

/* Subject O=<the CA's O entry, copied as is>, CN=<cn>. 0, or -1. */
static int leaf_name(const cw_ca_t *ca, const char *cn, X509_NAME **out, cw_err_t *err)
{
	X509_NAME *name = NULL;
	int i;

	*out = NULL;
	i = ca_org_index(ca->cert);
	if (i < 0) {
		cw_err_set(err, "the CA certificate's subject has no organisation (O)");
		return -1;
	}
	name = X509_NAME_new();
	if (!name || !X509_NAME_add_entry(name, X509_NAME_get_entry(X509_get_subject_name(ca->cert), i), -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0)) {
		ossl_err(err, "cannot build the certificate name");
		X509_NAME_free(name);
		return -1;
	}
	*out = name;
	return 0;
}

/*
 * New key and certificate signed by ca, filling out (cleared on failure).
 * 0, or -1.
 */
static int issue_leaf(cw_ca_t *ca, const char *cn, const ext_def_t *exts, size_t nexts, int64_t not_before,
		      int64_t not_after, cw_issued_t *out, cw_err_t *err)
{
	EVP_PKEY *key = NULL;
	X509_NAME *name = NULL;
	X509 *cert = NULL;
	int rc = -1;

	key = key_make(err);
	if (!key) goto fail;
	if (leaf_name(ca, cn, &name, err) < 0) goto fail;
	if (cert_make(ca->cert, ca->key, key, name, not_before, not_after, exts, nexts, &cert, err) < 0) goto fail;
	if (cert_info_from_x509(cert, &out->info, err) < 0) goto fail;
	if (cert_to_pem(cert, &out->cert_pem, &out->cert_pem_len, err) < 0) goto fail;
	if (key_to_pem(key, &out->key_pem, &out->key_pem_len, err) < 0) goto fail;
	rc = 0;
fail:
	if (rc < 0) cw_issued_clear(out);
	X509_free(cert);
	X509_NAME_free(name);
	EVP_PKEY_free(key);
	return rc;
}

/* Server certificate for dns_name; out is released with cw_issued_clear. 0, or -1 (out zeroed). */
int cw_ca_issue_server(cw_ca_t *ca, const char *dns_name, unsigned days, int64_t now, cw_issued_t *out,
		       cw_err_t *err)
{
	char san[sizeof("DNS:") + DNS_NAME_MAX];
	const ext_def_t exts[] = {
		{ NID_basic_constraints,		"critical,CA:FALSE" },
		{ NID_key_usage,			"critical,digitalSignature" },
		{ NID_ext_key_usage,			"serverAuth" },
		{ NID_subject_alt_name,			san },
		{ NID_subject_key_identifier,		"hash" },
		{ NID_authority_key_identifier,		"keyid:always" },
	};
	int64_t not_before, not_after, ca_end;

	assert(out);
	memset(out, 0, sizeof(*out));
	if (!ca) {
		cw_err_set(err, "no CA");
		return -1;
	}
	if (!dns_name || cw_name_check_dns(dns_name, err) < 0) return -1;
	if (strlen(dns_name) > UB_NAME_CHARS) {
		cw_err_set(err, "server DNS name is longer than %d characters, the limit for a certificate CN",
			   UB_NAME_CHARS);
		return -1;
	}
	if (days == 0 || days > CW_SERVER_DAYS_MAX) {
		cw_err_set(err, "server certificate validity must be 1 to %d days", CW_SERVER_DAYS_MAX);
		return -1;
	}
	if (now_check(now, err) < 0) return -1;
	/* cw_name_check_dns admits only LDH and '.', so nothing here can be read as openssl.cnf syntax. */
	if (cw_snprintf(san, sizeof(san), "DNS:%s", dns_name) < 0) {
		cw_err_set(err, "server DNS name too long");
		return -1;
	}
	if (ca_not_after(ca, &ca_end, err) < 0) return -1;

	/* `days` is the whole span, backdating included: Apple counts notAfter - notBefore. */
	not_before = now - CW_BACKDATE_SECONDS;
	not_after = not_before + (int64_t)days * SECONDS_PER_DAY;
	if (not_after > ca_end) not_after = ca_end;
	if (not_after <= now) {
		cw_err_set(err, "the CA certificate has expired");
		return -1;
	}
	return issue_leaf(ca, dns_name, exts, sizeof(exts) / sizeof(exts[0]), not_before, not_after, out, err);
}

/*
 * A TLS client certificate (member or NAS): CN name, days of validity (1 to
 * days_max), ending no later than limit - 1 (limit 0: none) nor the CA.
 * Messages name the certificate as what ("member", "NAS"), its name as
 * name_label and the CA as ca_label. out is released with cw_issued_clear.
 * 0, or -1 (out zeroed).
 */
static int issue_client(cw_ca_t *ca, const char *name, const char *name_label, const char *what, const char *ca_label,
			unsigned days, unsigned days_max, int64_t limit, int64_t now, cw_issued_t *out, cw_err_t *err)
{
	static const ext_def_t exts[] = {
		{ NID_basic_constraints,		"critical,CA:FALSE" },
		{ NID_key_usage,			"critical,digitalSignature" },
		{ NID_ext_key_usage,			"clientAuth" },
		{ NID_subject_key_identifier,		"hash" },
		{ NID_authority_key_identifier,		"keyid:always" },
	};
	int64_t not_after, ca_end;
	size_t nchars;

	assert(out);
	memset(out, 0, sizeof(*out));
	if (!ca) {
		cw_err_set(err, "no CA");
		return -1;
	}
	if (cw_name_check_dn_value(name, UB_NAME_CHARS, name_label, &nchars, err) < 0) return -1;
	if (days == 0 || days > days_max) {
		cw_err_set(err, "%s certificate validity must be 1 to %u days", what, days_max);
		return -1;
	}
	if (now_check(now, err) < 0) return -1;
	if (ca_not_after(ca, &ca_end, err) < 0) return -1;
	if (ca_end <= now) {
		cw_err_set(err, "the %s certificate has expired", ca_label);
		return -1;
	}
	if (limit > 0 && limit - 1 <= now) {
		cw_err_set(err, "membership ends before the certificate would start");
		return -1;
	}

	not_after = now + (int64_t)days * SECONDS_PER_DAY;
	if (limit > 0 && limit - 1 < not_after) not_after = limit - 1;
	if (ca_end < not_after) not_after = ca_end;
	assert(not_after > now);
	return issue_leaf(ca, name, exts, sizeof(exts) / sizeof(exts[0]), now - CW_BACKDATE_SECONDS, not_after, out,
			  err);
}

/* Member certificate; out is released with cw_issued_clear. 0, or -1 (out zeroed). */
int cw_ca_issue_member(cw_ca_t *ca, const char *member_id, unsigned days, int64_t limit, int64_t now,
		       cw_issued_t *out, cw_err_t *err)
{
	return issue_client(ca, member_id, "member id", "member", "CA", days, CW_MEMBER_DAYS_MAX, limit, now, out, err);
}

/* NAS (RadSec client) certificate, from the NAS CA; out is released with cw_issued_clear. 0, or -1 (out zeroed). */
int cw_ca_issue_nas(cw_ca_t *ca, const char *nas_name, unsigned days, int64_t now, cw_issued_t *out, cw_err_t *err)
{
	return issue_client(ca, nas_name, "NAS name", "NAS", "NAS CA", days, CW_NAS_DAYS_MAX, 0, now, out, err);
}

/* PKCS#12 of leaf with the CA in the chain; caller frees *der with free(). 0, or -1. */
int cw_p12_build(const cw_issued_t *leaf, const cw_ca_t *ca, const char *friendly_name, const char *password,
		 bool legacy, unsigned char **der, size_t *der_len, cw_err_t *err)
{
	X509 *cert = NULL;
	EVP_PKEY *key = NULL;
	STACK_OF(X509) *chain = NULL;
	PKCS12 *p12 = NULL;
	unsigned char *buf = NULL, *p;
	bool encrypted = false;
	int n, nid, rc = -1;

	assert(der && der_len);
	*der = NULL;
	*der_len = 0;
	if (!leaf || !ca || !leaf->cert_pem || !leaf->key_pem) {
		cw_err_set(err, "no certificate and key to put in a PKCS#12 file");
		goto fail;
	}
	if (!friendly_name || !*friendly_name) {
		cw_err_set(err, "PKCS#12 friendly name is empty");
		goto fail;
	}
	if (!password || !*password) {
		cw_err_set(err, "PKCS#12 password is empty");
		goto fail;
	}
	cert = pem_to_x509(leaf->cert_pem, leaf->cert_pem_len);
	if (!cert) {
		ossl_err(err, "cannot read the certificate for the PKCS#12 file");
		goto fail;
	}
	key = pem_to_key(leaf->key_pem, leaf->key_pem_len, &encrypted);
	if (!key) {
		ossl_err(err, "cannot read the private key for the PKCS#12 file");
		goto fail;
	}
	if (X509_check_private_key(cert, key) != 1) {
		ERR_clear_error();
		cw_err_set(err, "the private key does not match the certificate");
		goto fail;
	}
	chain = sk_X509_new_null();
	if (!chain || !sk_X509_push(chain, ca->cert)) {
		ossl_err(err, "out of memory");
		goto fail;
	}

	/*
	 * No MAC from PKCS12_create (mac_iter -1: its default would be a
	 * single iteration), then an explicit one with PKCS12_DEFAULT_ITER.
	 * 3DES and the PKCS#12 KDF are in 3.0's default provider, so legacy
	 * files need no legacy provider.
	 */
	nid = legacy ? NID_pbe_WithSHA1And3_Key_TripleDES_CBC : NID_aes_256_cbc;
	p12 = PKCS12_create(password, friendly_name, key, cert, chain, nid, nid, PKCS12_DEFAULT_ITER, -1, 0);
	if (!p12) {
		ossl_err(err, "cannot build the PKCS#12 file");
		goto fail;
	}
	if (!PKCS12_set_mac(p12, password, -1, NULL, 0, PKCS12_DEFAULT_ITER, legacy ? EVP_sha1() : EVP_sha256())) {
		ossl_err(err, "cannot add the PKCS#12 MAC");
		goto fail;
	}
	n = i2d_PKCS12(p12, NULL);
	if (n <= 0) {
		ossl_err(err, "cannot DER-encode the PKCS#12 file");
		goto fail;
	}
	buf = malloc((size_t)n);
	if (!buf) {
		cw_err_set(err, "out of memory");
		goto fail;
	}
	p = buf;
	if (i2d_PKCS12(p12, &p) != n) {
		ossl_err(err, "cannot DER-encode the PKCS#12 file");
		goto fail;
	}
	*der = buf;
	*der_len = (size_t)n;
	buf = NULL;
	rc = 0;
fail:
	free(buf);
	PKCS12_free(p12);
	sk_X509_free(chain);	/* the CA certificate stays the CA's */
	EVP_PKEY_free(key);
	X509_free(cert);
	return rc;
}

/* --- for the other signers in certs/ (ca_internal.h) --------------------------- */

X509 *cw_ca_x509(const cw_ca_t *ca)
{
	return ca ? ca->cert : NULL;
}

EVP_PKEY *cw_ca_pkey(const cw_ca_t *ca)
{
	return ca ? ca->key : NULL;
}

void cw_ossl_err(cw_err_t *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ossl_verr(err, fmt, ap);
	va_end(ap);
}
