/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * files.c - the onboarding files of a collected device.
 */
#include <stdlib.h>
#include <string.h>

#include "ca.h"
#include "files.h"
#include "profile.h"

/* Names the builders put into the files and the instructions. */
struct names {
	char	p12_file[STORE_NAME_MAX + 1];
	char	ca_file[STORE_NAME_MAX + 1];
	char	wlan_file[STORE_NAME_MAX + 1];
	char	p12_path[sizeof(FILES_LINUX_DIR) + STORE_NAME_MAX + 1];
	char	ca_path[sizeof(FILES_LINUX_DIR) + STORE_NAME_MAX + 1];
};

/* One file made by a builder into files[*n]. 0, or -1 with err. */
typedef int (*builder_t)(const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *err);

static int add_built(store_file_t *files, unsigned *n, builder_t build, const cw_profile_in_t *in,
		     const char *suffix, const char *type, cw_err_t *err)
{
	store_file_t *f = &files[*n];

	if (cw_snprintf(f->name, sizeof(f->name), "%s%s", in->member, suffix) < 0) {
		cw_err_set(err, "file name too long");
		return -1;
	}
	if (build(in, &f->data, &f->len, err) < 0) return -1;
	f->content_type = type;
	(*n)++;
	return 0;
}

/* A copy of bytes as files[*n]. 0, or -1 with err. */
static int add_copy(store_file_t *files, unsigned *n, const char *name, const void *data, size_t len,
		    const char *type, cw_err_t *err)
{
	store_file_t *f = &files[*n];

	if (cw_snprintf(f->name, sizeof(f->name), "%s", name) < 0 || !(f->data = malloc(len ? len : 1))) {
		cw_err_set(err, "out of memory or file name too long");
		return -1;
	}
	memcpy(f->data, data, len);
	f->len = len;
	f->content_type = type;
	(*n)++;
	return 0;
}

/* The signed form (CMS, DER) of the Apple profile in f, in its place. 0, or -1 with err. */
static int sign_apple(store_file_t *f, const cw_profile_signer_t *signer, cw_err_t *err)
{
	unsigned char *der;
	size_t der_len;

	if (cw_profile_sign_with(signer, f->data, f->len, &der, &der_len, err) < 0) return -1;
	store_file_clear(f);
	f->data = (char *)der;
	f->len = der_len;
	return 0;
}

static int build_files(plat_t p, const cw_profile_in_t *in, const struct cw_profile_signer *signer,
		       store_file_t *files, unsigned *n, cw_err_t *err)
{
	switch (p) {
	case PLAT_APPLE:
		if (add_built(files, n, cw_profile_apple, in, ".mobileconfig", "application/x-apple-aspen-config",
			      err) < 0) {
			return -1;
		}
		return signer ? sign_apple(&files[0], signer, err) : 0;
	case PLAT_EAP:
		return add_built(files, n, cw_profile_eap_config, in, ".eap-config", "application/eap-config", err);
	case PLAT_WINDOWS:
		if (add_built(files, n, cw_profile_windows_xml, in, ".wlan.xml", "application/xml", err) < 0) return -1;
		break;
	case PLAT_LINUX:
		if (add_built(files, n, cw_profile_nm, in, ".nmconnection", "application/octet-stream", err) < 0 ||
		    add_built(files, n, cw_profile_wpa_supplicant, in, ".wpa_supplicant.conf", "text/plain; charset=utf-8",
			      err) < 0) {
			return -1;
		}
		break;
	default:
		cw_err_set(err, "unknown platform");
		return -1;
	}
	if (add_copy(files, n, in->p12_file, in->p12, in->p12_len, "application/x-pkcs12", err) < 0) return -1;
	return add_copy(files, n, in->ca_file, in->ca_der, in->ca_der_len, "application/x-x509-ca-cert", err);
}

int files_build(plat_t p, const broker_answer_t *a, const char *password, const uint8_t *p12, size_t p12_len,
		const struct cw_profile_signer *signer, store_file_t files[STORE_MAX_FILES], unsigned *nfiles,
		cw_err_t *err)
{
	struct names nm;
	cw_profile_in_t in;
	unsigned n = 0;

	*nfiles = 0;
	memset(files, 0, STORE_MAX_FILES * sizeof(files[0]));
	if (cw_snprintf(nm.p12_file, sizeof(nm.p12_file), "%s.p12", a->member) < 0 ||
	    cw_snprintf(nm.ca_file, sizeof(nm.ca_file), "%s-ca.crt", a->member) < 0 ||
	    cw_snprintf(nm.wlan_file, sizeof(nm.wlan_file), "%s.wlan.xml", a->member) < 0 ||
	    cw_snprintf(nm.p12_path, sizeof(nm.p12_path), FILES_LINUX_DIR "/%s", nm.p12_file) < 0 ||
	    cw_snprintf(nm.ca_path, sizeof(nm.ca_path), FILES_LINUX_DIR "/%s", nm.ca_file) < 0) {
		cw_err_set(err, "member id too long for a file name");
		return -1;
	}
	in = (cw_profile_in_t){ .member = a->member, .org = a->org, .ssid = a->ssids[0],
				.server_name = a->server_name, .ca_der = a->ca_der, .ca_der_len = a->ca_der_len,
				.p12 = p12, .p12_len = p12_len, .p12_password = password, .apple_password = true,
				.p12_path = nm.p12_path, .ca_path = nm.ca_path, .ca_file = nm.ca_file,
				.p12_file = nm.p12_file, .wlan_file = nm.wlan_file };
	if (cw_profile_uuids_make(&in.uuids, err) < 0) return -1;
	if (build_files(p, &in, signer, files, &n, err) < 0) {
		for (unsigned i = 0; i < n; i++) store_file_clear(&files[i]);
		return -1;
	}
	*nfiles = n;
	return 0;
}
