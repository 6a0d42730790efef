/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * onboard.h - the device onboarding files of `cert issue --profile LIST`
 * (and of any command that issues a member certificate the same way).
 *
 * Three steps around the issuing code, so that nothing is issued when the
 * request cannot be met and nothing is left behind when issuing fails:
 *
 *   onboard_parse    with the options: profile names, --ssid (usage errors);
 *   onboard_prepare  with the registry open, BEFORE issuing: the member SSID,
 *                    the server name, the CA, and that no output file exists;
 *   onboard_write    after MEMBER.p12 was written and BEFORE the certificate
 *                    is recorded: every file, all or none, created through
 *                    the --out directory's checked descriptor (fileio.h);
 *   onboard_commit   once the certificate is recorded: sync and close them;
 *   onboard_remove   when recording the certificate failed instead (each
 *                    file is unlinked through that descriptor, and only if
 *                    its name still holds the file we created).
 *
 * onboard_print/onboard_json report what was written; onboard_free frees.
 * An onboard_t whose kinds is 0 (no --profile) makes every step a no-op, and
 * so does NULL in onboard_write, _remove, _print, _json and _free.
 */
#ifndef COWORKCTL_ONBOARD_H
#define COWORKCTL_ONBOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cli.h"
#include "fileio.h"
#include "json.h"
#include "registry.h"

/* The files, in the order they are written and listed. */
enum {
	ONBOARD_MOBILECONFIG,	//!< apple: MEMBER.mobileconfig (0600: holds the PKCS#12)
	ONBOARD_NMCONNECTION,	//!< linux: MEMBER.nmconnection (0600: holds the password)
	ONBOARD_WPA_SUPPLICANT,	//!< linux: MEMBER.wpa_supplicant.conf (0600: holds the password)
	ONBOARD_CA,		//!< linux, android, windows: MEMBER-ca.crt (DER)
	ONBOARD_ANDROID,	//!< android: MEMBER.android.txt
	ONBOARD_WLAN,		//!< windows: MEMBER.wlan.xml
	ONBOARD_WINDOWS,	//!< windows: MEMBER.windows.txt
	ONBOARD_NFILES
};

typedef struct onboard_file {
	char		path[4096];		//!< DIR/MEMBER<suffix>; "" when not asked for
	char		name[NAME_MAX + 1];	//!< MEMBER<suffix>, its name in DIR
	bool		written;		//!< created by onboard_write (out valid)
	cw_out_t	out;			//!< the file being written, until commit or remove
} onboard_file_t;

typedef struct onboard {
	unsigned	kinds;				//!< CW_PROFILE_* bits; 0: no onboarding files
	const char	*ssid_opt;			//!< --ssid, or NULL
	char		ssid[CW_SSID_MAX + 1];		//!< the member SSID the files are for
	char		server_name[256];		//!< registry setting server_name
	char		org[CW_DN_MAX];			//!< registry setting org
	char		member[CW_ID_MAX + 1];
	char		dir[4096];			//!< --out as given
	unsigned char	*ca_der;			//!< STATE/ca/ca.pem as DER
	size_t		ca_der_len;
	onboard_file_t	files[ONBOARD_NFILES];
} onboard_t;

/*
 * Start from the options: profile_list is --profile (NULL: none), ssid is
 * --ssid (NULL: none; only with --profile). EXIT_OK, or EXIT_USAGE printed
 * with cmd's usage line.
 */
int onboard_parse(onboard_t *ob, const char *profile_list, const char *ssid, const cli_cmd_t *cmd);

/*
 * Everything the files need, checked before anything is issued: the SSID
 * (--ssid must be a member SSID; without it the registry must have exactly
 * one), the server name and org, STATE/ca/ca.pem, and that no file to
 * write exists under dir. EXIT_OK, EXIT_FAIL or EXIT_USAGE (several member
 * SSIDs and no --ssid), printed.
 */
int onboard_prepare(onboard_t *ob, const cli_t *cli, cw_registry_t *reg, const cli_cmd_t *cmd, const char *dir,
		    const char *member);

/*
 * Write the files for the PKCS#12 just written to DIR/MEMBER.p12 (its
 * bytes and password) in dir, the checked --out directory: new files only
 * (O_EXCL|O_NOFOLLOW), secret ones 0600. On failure removes what it wrote.
 * The files stay open until onboard_commit or onboard_remove. EXIT_OK or
 * EXIT_FAIL, printed.
 */
int onboard_write(onboard_t *ob, const cw_outdir_t *dir, const unsigned char *p12, size_t p12_len,
		  const char *p12_password);

/* Sync and close every file onboard_write wrote. 0, or -1 with err (the rest are removed). */
int onboard_commit(onboard_t *ob, cw_err_t *err);

/* Remove every file onboard_write wrote and that is not committed (cw_out_abort). */
void onboard_remove(onboard_t *ob);

/* The files written and what to do with them, for people. */
void onboard_print(const onboard_t *ob);

/* The same as an "onboarding" member of the JSON object being written (nothing when kinds is 0). */
void onboard_json(const onboard_t *ob, json_t *j);

/* Free what onboard_prepare allocated. Accepts an onboard_t that never got that far. */
void onboard_free(onboard_t *ob);

#endif
