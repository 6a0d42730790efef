/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * profile.h - device onboarding files for a member certificate: an Apple
 * configuration profile (and its signature), an eduroam .eap-config, a
 * NetworkManager keyfile, a wpa_supplicant network block, a Windows WLAN
 * profile and the exact settings for Android and Windows.
 *
 * Pure functions: every builder takes a cw_profile_in_t and returns
 * malloc'd, NUL-terminated text; nothing here touches a file except
 * cw_profile_signer_load, which reads the signer's files. Some outputs
 * hold the PKCS#12 password (each builder's comment says so): the
 * caller frees every output with cw_secret_free(text, len) (ca.h), which
 * wipes it.
 * Buffers that grew while building are wiped before they are freed.
 *
 * Every builder checks its inputs again (names, lengths, characters) and
 * refuses what it could not write faithfully: a value that would need an
 * escape its format does not have is an error, never a silently altered
 * file.
 */
#ifndef COWORK_PROFILE_H
#define COWORK_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "cowork.h"

/* The platforms of `cert issue --profile LIST`. */
#define CW_PROFILE_APPLE	0x1u	//!< DIR/MEMBER.mobileconfig
#define CW_PROFILE_LINUX	0x2u	//!< .nmconnection, .wpa_supplicant.conf, -ca.crt
#define CW_PROFILE_ANDROID	0x4u	//!< .android.txt, -ca.crt
#define CW_PROFILE_WINDOWS	0x8u	//!< .wlan.xml, .windows.txt, -ca.crt
#define CW_PROFILE_ALL		0xfu

/*
 * Parse a comma-separated subset of "apple,linux,android,windows", or
 * "all", into CW_PROFILE_* bits. Empty items, unknown names and repeats
 * are refused with a message naming the valid ones. 0, or -1 with err.
 */
int cw_profile_parse_list(const char *list, unsigned *kinds, cw_err_t *err);

/* The name of a single CW_PROFILE_* bit ("apple"), or "?" for anything else. */
const char *cw_profile_name(unsigned kind);

#define CW_UUID_STR_LEN 36	//!< "8-4-4-4-12" hex digits and hyphens

/* A random (version 4, RFC 9562) UUID in lowercase hex. 0, or -1 with err. */
int cw_uuid_v4(char out[CW_UUID_STR_LEN + 1], cw_err_t *err);

/* The random identifiers one set of files uses; make them with cw_profile_uuids_make. */
typedef struct cw_profile_uuids {
	char	profile[CW_UUID_STR_LEN + 1];	//!< the Apple configuration profile itself
	char	pkcs12[CW_UUID_STR_LEN + 1];	//!< its PKCS#12 payload (PayloadCertificateUUID)
	char	ca[CW_UUID_STR_LEN + 1];	//!< its root payload (PayloadCertificateAnchorUUID)
	char	wifi[CW_UUID_STR_LEN + 1];	//!< its Wi-Fi payload
	char	nm[CW_UUID_STR_LEN + 1];	//!< the NetworkManager connection's uuid
} cw_profile_uuids_t;

/* Fill every member with a new cw_uuid_v4. 0, or -1 with err. */
int cw_profile_uuids_make(cw_profile_uuids_t *u, cw_err_t *err);

/* Limits of what the builders accept. */
#define CW_PROFILE_P12_MAX	(64 * 1024)	//!< a PKCS#12 of ours is about 2 KiB
#define CW_PROFILE_CERT_MAX	(16 * 1024)	//!< a DER CA certificate
#define CW_PROFILE_PATH_MAX	1024		//!< a path written into wpa_supplicant.conf
#define CW_PROFILE_PASSWORD_MAX	128

/* What the builders write about. Each builder says which members it reads. */
typedef struct cw_profile_in {
	const char		*member;	//!< member id: the EAP identity (cw_name_check_id)
	const char		*org;		//!< organisation name, for display (cw_name_check_org)
	const char		*ssid;		//!< the member SSID (cw_name_check_ssid)
	const char		*server_name;	//!< DNS name of the RADIUS server's certificate
	const unsigned char	*ca_der;	//!< the member CA certificate, DER
	size_t			ca_der_len;
	const unsigned char	*p12;		//!< the member's PKCS#12, as written to MEMBER.p12
	size_t			p12_len;
	const char		*p12_password;	//!< its password (the Linux files and .eap-config hold it)
	bool			apple_password;	//!< the Apple profile holds p12_password too (false: the device asks)
	const char		*p12_path;	//!< absolute path of MEMBER.p12 (wpa_supplicant)
	const char		*ca_path;	//!< absolute path of MEMBER-ca.crt (wpa_supplicant)
	const char		*ca_file;	//!< file name of the CA copy, for the instructions
	const char		*p12_file;	//!< file name of the PKCS#12, for the instructions
	const char		*wlan_file;	//!< file name of the WLAN profile, for the instructions
	cw_profile_uuids_t	uuids;
} cw_profile_in_t;

/*
 * Apple configuration profile (plist XML): a com.apple.security.pkcs12
 * payload with the PKCS#12 (without its password: the device asks for it;
 * with it as Password when apple_password is set, for self-enrollment, so
 * that the device installs it without asking: the profile is then secret),
 * a com.apple.security.root payload with the CA, and a com.apple.wifi.managed
 * payload for the SSID (WPA2/WPA3 enterprise, AutoJoin, EAP-TLS, trusting
 * only the CA payload and the server name, the PKCS#12 as identity). The
 * PayloadIdentifiers are derived from the server name and the member id, so
 * that a renewed profile replaces the old one on the device.
 * Reads member, org, ssid, server_name, ca_der, p12, uuids, apple_password
 * (and p12_password when that is set).
 */
int cw_profile_apple(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err);

/*
 * Signing a configuration profile, so that Apple devices show it as
 * verified rather than "Unverified": a CMS (PKCS#7) SignedData with the
 * profile as attached content, DER-encoded, as `openssl smime -sign
 * -nodetach -binary -outform der` makes it, with the signer's chain.
 * A long-running service loads the signer once.
 */
typedef struct cw_profile_signer cw_profile_signer_t;

/*
 * Load a signer from PEM files: cert_path holds the signing certificate,
 * optionally followed by its chain (a "fullchain.pem"); key_path its
 * unencrypted private key (an encrypted one is refused, never prompted
 * for); chain_path, or NULL, more chain certificates. Every certificate
 * after the first goes into each signature. Symbolic links are refused
 * (cw_file_read). Returns 0 with *signer set (free it with
 * cw_profile_signer_free), or -1 with err naming the file.
 */
int cw_profile_signer_load(const char *cert_path, const char *key_path, const char *chain_path,
			   cw_profile_signer_t **signer, cw_err_t *err);

/*
 * Sign text (a profile from cw_profile_apple, 1 byte to 1 MiB) with
 * signer: *der is the DER SignedData, its content exactly text. *der is
 * malloc'd and holds text (which may hold a password): free it with
 * cw_secret_free(*der, *der_len). 0, or -1 with err.
 */
int cw_profile_sign_with(const cw_profile_signer_t *signer, const char *text, size_t len, unsigned char **der,
			 size_t *der_len, cw_err_t *err);

/* Free a signer (its key is OpenSSL's to wipe). Accepts NULL. */
void cw_profile_signer_free(cw_profile_signer_t *signer);

/*
 * eduroam EAP metadata (.eap-config, the format of GEANT's CAT and of
 * geteduroam's letswifi-portal), which the geteduroam apps for Android,
 * iOS, Windows and Linux install: one EAPIdentityProvider (ID = the server
 * name, namespace urn:RFC4282:realm, version 1) with one EAP-TLS method
 * trusting only the CA and the server name (ServerID), the PKCS#12 as
 * ClientCertificate with its password as Passphrase (so that the app
 * installs it without asking) and the member id as OuterIdentity; the SSID
 * with MinRSNProto CCMP; the org as DisplayName. Binary data is base64 on
 * one line. It holds the PKCS#12 password.
 * Reads member, org, ssid, server_name, ca_der, p12, p12_password.
 */
int cw_profile_eap_config(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err);

/*
 * NetworkManager keyfile: self-contained (CA and PKCS#12 embedded as
 * "data:;base64," blobs), with the PKCS#12 password; uuids.nm as its uuid.
 * Reads member, ssid, server_name, ca_der, p12, p12_password, uuids.
 */
int cw_profile_nm(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err);

/*
 * A wpa_supplicant network block referring to the files by absolute path,
 * with the PKCS#12 password. Reads member, ssid, server_name, p12_path,
 * ca_path, p12_password.
 */
int cw_profile_wpa_supplicant(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err);

/*
 * Windows WLAN profile for `netsh wlan add profile`: WPA2-Enterprise AES,
 * 802.1X with EAP-TLS (type 13), the server name and the CA's SHA-1
 * thumbprint as the only accepted server, no prompt to trust another one.
 * Reads ssid, server_name, ca_der.
 */
int cw_profile_windows_xml(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err);

/* Step-by-step instructions for Windows. Reads member, org, ssid, p12_file, ca_file, wlan_file. */
int cw_profile_windows_text(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err);

/* The settings to enter on Android 11 and later. Reads member, org, ssid, server_name, p12_file, ca_file. */
int cw_profile_android_text(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err);

/*
 * SHA-1 thumbprint of a DER certificate as Windows writes it: 20 lowercase
 * hex pairs separated by single spaces ("a8 98 ... 3f"). 0, or -1 with err.
 */
#define CW_THUMBPRINT_STR_LEN 59
int cw_cert_thumbprint_sha1(const unsigned char *der, size_t len, char out[CW_THUMBPRINT_STR_LEN + 1],
			    cw_err_t *err);

/*
 * The first certificate of a PEM buffer as DER (checked to parse as an
 * X.509 certificate). *der is malloc'd; free() it. 0, or -1 with err.
 */
int cw_cert_pem_to_der(const char *pem, size_t len, unsigned char **der, size_t *der_len, cw_err_t *err);

#endif
