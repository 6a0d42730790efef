/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * files.h - the onboarding files of one collected device, by platform,
 * from the broker's answer and the opened seal (lib/ca/profile.c writes
 * them; this only chooses and names them).
 *
 *   apple    MEMBER.mobileconfig: the PKCS#12 password inside (the member
 *            never sees it), CMS-signed when the service has a signer
 *   eap      MEMBER.eap-config, for the geteduroam app (password inside)
 *   windows  MEMBER.wlan.xml, MEMBER.p12, MEMBER-ca.crt (the password is
 *            shown on the page)
 *   linux    MEMBER.nmconnection (self-contained, password inside),
 *            MEMBER.wpa_supplicant.conf (files under FILES_LINUX_DIR),
 *            MEMBER.p12, MEMBER-ca.crt
 *
 * The first member SSID of the answer is the one the files are for.
 */
#ifndef ENROLL_FILES_H
#define ENROLL_FILES_H

#include "broker_client.h"
#include "store.h"
#include "ua.h"

/* Where the wpa_supplicant block expects the member to save the PKCS#12 and the CA. */
#define FILES_LINUX_DIR "/etc/cowork"

struct cw_profile_signer;

/*
 * Build the files of platform p into files[0..*nfiles) (data malloc'd:
 * store_file_clear each). signer may be NULL (an unsigned Apple profile).
 * 0, or -1 with err (nothing to free then).
 */
int files_build(plat_t p, const broker_answer_t *a, const char *password, const uint8_t *p12, size_t p12_len,
		const struct cw_profile_signer *signer, store_file_t files[STORE_MAX_FILES], unsigned *nfiles,
		cw_err_t *err);

#endif
