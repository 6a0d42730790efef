/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * onboard.c - writes the device onboarding files of an issued certificate
 * (the texts themselves come from lib/ca/profile.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ca.h"
#include "fileio.h"
#include "names.h"
#include "onboard.h"
#include "profile.h"
#include "registry_admin.h"

/* Per file: its name after the member id, who asked for it, its mode, and what it is for people. */
static const struct {
	const char	*suffix;
	unsigned	kinds;		//!< CW_PROFILE_* bits that want it
	mode_t		mode;
	const char	*label;
} file_defs[ONBOARD_NFILES] = {
	[ONBOARD_MOBILECONFIG] = { ".mobileconfig", CW_PROFILE_APPLE, 0600, "Apple profile (PKCS#12 inside)" },
	[ONBOARD_NMCONNECTION] = { ".nmconnection", CW_PROFILE_LINUX, 0600,
				   "NetworkManager (holds the PKCS#12 password)" },
	[ONBOARD_WPA_SUPPLICANT] = { ".wpa_supplicant.conf", CW_PROFILE_LINUX, 0600,
				     "wpa_supplicant (holds the PKCS#12 password)" },
	[ONBOARD_CA] = { "-ca.crt", CW_PROFILE_LINUX | CW_PROFILE_ANDROID | CW_PROFILE_WINDOWS, 0644,
			 "CA certificate (DER)" },
	[ONBOARD_ANDROID] = { ".android.txt", CW_PROFILE_ANDROID, 0644, "Android settings" },
	[ONBOARD_WLAN] = { ".wlan.xml", CW_PROFILE_WINDOWS, 0644, "Windows WLAN profile" },
	[ONBOARD_WINDOWS] = { ".windows.txt", CW_PROFILE_WINDOWS, 0644, "Windows steps" },
};

int onboard_parse(onboard_t *ob, const char *profile_list, const char *ssid, const cli_cmd_t *cmd)
{
	cw_err_t e;

	memset(ob, 0, sizeof(*ob));
	for (int i = 0; i < ONBOARD_NFILES; i++) ob->files[i].out = (cw_out_t)CW_OUT_INIT;
	if (!profile_list) {
		if (ssid) return cli_usage(cmd, "--ssid only chooses the SSID of --profile files: add --profile LIST");
		return EXIT_OK;
	}
	if (cw_profile_parse_list(profile_list, &ob->kinds, &e) < 0) return cli_usage(cmd, "%s", e.msg);
	if (ssid && cw_name_check_ssid(ssid, &e) < 0) return cli_usage(cmd, "--ssid: %s", e.msg);
	ob->ssid_opt = ssid;
	return EXIT_OK;
}

/* What ssid_collect gathers: the --ssid row, or the member SSIDs. */
struct ssid_scan {
	const char	*want;		//!< --ssid, or NULL
	bool		found;		//!< want exists...
	cw_ssid_class_t	found_cls;	//!< ...with this class
	unsigned	members;	//!< member SSIDs seen
	char		first[CW_SSID_MAX + 1];
	char		names[256];	//!< "A", "B", ... for the message
};

/* cw_admin_ssid_list callback: note the --ssid row, or count and name the member SSIDs. */
static int ssid_collect(void *arg, const cw_ssid_row_t *row)
{
	struct ssid_scan *s = arg;
	size_t used = strlen(s->names);

	if (s->want) {
		if (strcmp(row->name, s->want) == 0) {
			s->found = true;
			s->found_cls = row->cls;
		}
		return 0;
	}
	if (row->cls != CW_SSID_MEMBER) return 0;
	if (s->members++ == 0) (void)cw_snprintf(s->first, sizeof(s->first), "%s", row->name);
	/* A cut list still says enough; the message ends in "..." then. */
	if (cw_snprintf(s->names + used, sizeof(s->names) - used, "%s\"%s\"", used ? ", " : "", row->name) < 0) {
		memcpy(s->names + sizeof(s->names) - 4, "...", 4);
	}
	return 0;
}

/* The member SSID the files are for. EXIT_OK, EXIT_FAIL or EXIT_USAGE, printed. */
static int resolve_ssid(onboard_t *ob, cw_registry_t *reg, const cli_cmd_t *cmd)
{
	struct ssid_scan s;
	cw_err_t e;

	memset(&s, 0, sizeof(s));
	s.want = ob->ssid_opt;
	if (cw_admin_ssid_list(reg, ssid_collect, &s, &e) < 0) return cli_fail("%s", e.msg);
	if (s.want && !s.found) {
		return cli_fail("--ssid \"%s\" is not in the registry (see `coworkctl ssid list`)", s.want);
	}
	if (s.want && s.found_cls != CW_SSID_MEMBER) {
		return cli_fail("--ssid \"%s\" is a %s SSID: member certificates are for member SSIDs", s.want,
				cw_ssid_class_name(s.found_cls));
	}
	if (s.want) {
		(void)cw_snprintf(ob->ssid, sizeof(ob->ssid), "%s", s.want);	/* checked: at most 32 bytes */
		return EXIT_OK;
	}
	if (s.members == 0) {
		return cli_fail("the registry has no member SSID for the --profile files: add one with "
				"`coworkctl ssid add NAME --class member`");
	}
	if (s.members > 1) {
		return cli_usage(cmd, "the registry has %u member SSIDs (%s): choose one with --ssid", s.members, s.names);
	}
	memcpy(ob->ssid, s.first, sizeof(ob->ssid));
	return EXIT_OK;
}

/* A registry setting the files need. EXIT_OK or EXIT_FAIL, printed. */
static int setting(cw_registry_t *reg, const char *key, char *buf, size_t len)
{
	cw_err_t e;
	int found = cw_registry_setting_get(reg, key, buf, len, &e);

	if (found < 0) return cli_fail("%s", e.msg);
	if (found == 0) return cli_fail("the registry has no %s setting (made by `coworkctl init`)", key);
	return EXIT_OK;
}

/*
 * The paths of the files asked for, none of which may exist, in a --out
 * that passes fileio's rule if it exists already (cert issue makes it
 * otherwise). A check before anything is issued: the files are made later
 * with O_EXCL in the directory's checked descriptor in any case. EXIT_OK or
 * EXIT_FAIL, printed.
 */
static int plan_files(onboard_t *ob, const char *dir, const char *member)
{
	cw_outdir_t d = CW_OUTDIR_INIT;
	struct stat st;
	int rc = EXIT_OK, exists;
	cw_err_t e;

	if (cw_snprintf(ob->dir, sizeof(ob->dir), "%s", dir) < 0 ||
	    cw_snprintf(ob->member, sizeof(ob->member), "%s", member) < 0) {
		return cli_fail("--out path or member id too long");
	}
	if (stat(dir, &st) == 0 && cw_outdir_open(dir, false, &d, &e) < 0) return cli_fail("--out: %s", e.msg);
	for (int i = 0; i < ONBOARD_NFILES && rc == EXIT_OK; i++) {
		onboard_file_t *f = &ob->files[i];

		if (!(file_defs[i].kinds & ob->kinds)) continue;
		if (cw_snprintf(f->path, sizeof(f->path), "%s/%s%s", dir, member, file_defs[i].suffix) < 0 ||
		    cw_snprintf(f->name, sizeof(f->name), "%s%s", member, file_defs[i].suffix) < 0) {
			rc = cli_fail("--out path is too long");
		} else if (d.fd >= 0 && (exists = cw_outdir_check_absent(&d, f->name, &e)) != 0) {
			rc = exists < 0 ? cli_fail("%s", e.msg) :
					  cli_fail("%s already exists: choose another --out or move it away", f->path);
		}
	}
	cw_outdir_close(&d);
	return rc;
}

int onboard_prepare(onboard_t *ob, const cli_t *cli, cw_registry_t *reg, const cli_cmd_t *cmd, const char *dir,
		    const char *member)
{
	int rc;

	if (ob->kinds == 0) return EXIT_OK;
	if ((rc = resolve_ssid(ob, reg, cmd)) != EXIT_OK) return rc;
	if ((rc = setting(reg, "server_name", ob->server_name, sizeof(ob->server_name))) != EXIT_OK) return rc;
	if ((rc = setting(reg, "org", ob->org, sizeof(ob->org))) != EXIT_OK) return rc;
	if ((rc = cli_ca_der(cli, &ob->ca_der, &ob->ca_der_len)) != EXIT_OK) return rc;
	return plan_files(ob, dir, member);
}

/* The paths and file names the builders write about. */
struct paths {
	char	abs_dir[PATH_MAX];
	char	p12[PATH_MAX + 300];
	char	ca[PATH_MAX + 300];
	char	p12_file[300];
	char	ca_file[300];
	char	wlan_file[300];
};

/* Everything the builders read, for the PKCS#12 just written (new UUIDs each time). 0, or -1 with e. */
static int builder_input(const onboard_t *ob, const unsigned char *p12, size_t p12_len, const char *password,
			 struct paths *p, cw_profile_in_t *in, cw_err_t *e)
{
	/* wpa_supplicant.conf names the files by absolute path: the directory exists by now. */
	if (!realpath(ob->dir, p->abs_dir)) {
		cw_err_set(e, "%s: %s", ob->dir, strerror(errno));
		return -1;
	}
	if (cw_snprintf(p->p12, sizeof(p->p12), "%s/%s.p12", p->abs_dir, ob->member) < 0 ||
	    cw_snprintf(p->ca, sizeof(p->ca), "%s/%s-ca.crt", p->abs_dir, ob->member) < 0 ||
	    cw_snprintf(p->p12_file, sizeof(p->p12_file), "%s.p12", ob->member) < 0 ||
	    cw_snprintf(p->ca_file, sizeof(p->ca_file), "%s-ca.crt", ob->member) < 0 ||
	    cw_snprintf(p->wlan_file, sizeof(p->wlan_file), "%s.wlan.xml", ob->member) < 0) {
		cw_err_set(e, "--out path is too long");
		return -1;
	}
	*in = (cw_profile_in_t){ .member = ob->member, .org = ob->org, .ssid = ob->ssid,
				 .server_name = ob->server_name, .ca_der = ob->ca_der, .ca_der_len = ob->ca_der_len,
				 .p12 = p12, .p12_len = p12_len, .p12_password = password, .p12_path = p->p12,
				 .ca_path = p->ca, .ca_file = p->ca_file, .p12_file = p->p12_file,
				 .wlan_file = p->wlan_file };
	return cw_profile_uuids_make(&in->uuids, e);
}

/* The text of file i (the CA copy is the DER itself). *out is freed with cw_secret_free. 0, or -1. */
static int build_file(int i, const cw_profile_in_t *in, char **out, size_t *len, cw_err_t *e)
{
	switch (i) {
	case ONBOARD_MOBILECONFIG: return cw_profile_apple(in, out, len, e);
	case ONBOARD_NMCONNECTION: return cw_profile_nm(in, out, len, e);
	case ONBOARD_WPA_SUPPLICANT: return cw_profile_wpa_supplicant(in, out, len, e);
	case ONBOARD_ANDROID: return cw_profile_android_text(in, out, len, e);
	case ONBOARD_WLAN: return cw_profile_windows_xml(in, out, len, e);
	case ONBOARD_WINDOWS: return cw_profile_windows_text(in, out, len, e);
	default: break;
	}
	if (!(*out = malloc(in->ca_der_len))) {
		cw_err_set(e, "out of memory");
		return -1;
	}
	memcpy(*out, in->ca_der, in->ca_der_len);
	*len = in->ca_der_len;
	return 0;
}

/* Build file i and write it new in dir with its mode; the text is wiped after. 0, or -1 with e. */
static int write_one(onboard_t *ob, const cw_outdir_t *dir, int i, const cw_profile_in_t *in, cw_err_t *e)
{
	onboard_file_t *f = &ob->files[i];
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (build_file(i, in, &text, &len, e) < 0) return -1;
	rc = cw_out_create(dir, f->name, file_defs[i].mode, &f->out, e);
	if (rc == 0) {
		f->written = true;
		rc = cw_out_write(&f->out, text, len, e);
	}
	cw_secret_free(text, len);
	return rc;
}

int onboard_write(onboard_t *ob, const cw_outdir_t *dir, const unsigned char *p12, size_t p12_len,
		  const char *p12_password)
{
	struct paths p;
	cw_profile_in_t in;
	cw_err_t e;

	if (!ob || ob->kinds == 0) return EXIT_OK;
	if (builder_input(ob, p12, p12_len, p12_password, &p, &in, &e) < 0) return cli_fail("%s", e.msg);
	for (int i = 0; i < ONBOARD_NFILES; i++) {
		if (!ob->files[i].path[0]) continue;
		if (write_one(ob, dir, i, &in, &e) < 0) {
			onboard_remove(ob);
			return cli_fail("%s", e.msg);
		}
	}
	return EXIT_OK;
}

int onboard_commit(onboard_t *ob, cw_err_t *err)
{
	if (!ob) return 0;
	for (int i = 0; i < ONBOARD_NFILES; i++) {
		if (!ob->files[i].written) continue;
		if (cw_out_commit(&ob->files[i].out, err) < 0) {
			ob->files[i].written = false;
			onboard_remove(ob);
			return -1;
		}
	}
	return 0;
}

void onboard_remove(onboard_t *ob)
{
	if (!ob) return;
	for (int i = 0; i < ONBOARD_NFILES; i++) {
		if (!ob->files[i].written) continue;
		cw_out_abort(&ob->files[i].out);	/* a no-op once committed */
		ob->files[i].written = false;
	}
}

void onboard_print(const onboard_t *ob)
{
	if (!ob || ob->kinds == 0) return;
	printf("onboarding files for SSID \"%s\" (server name %s):\n", ob->ssid, ob->server_name);
	for (int i = 0; i < ONBOARD_NFILES; i++) {
		if (ob->files[i].written) printf("  %-45s  %s\n", file_defs[i].label, ob->files[i].path);
	}
	if (ob->kinds & CW_PROFILE_APPLE) {
		printf("The .mobileconfig does not hold the PKCS#12 password: the device asks for it on install.\n");
	}
	if (ob->kinds & CW_PROFILE_LINUX) {
		printf("The .nmconnection and .wpa_supplicant.conf hold the PKCS#12 password: hand them over like the key.\n");
	}
}

void onboard_json(const onboard_t *ob, json_t *j)
{
	if (!ob || ob->kinds == 0) return;
	json_key(j, "onboarding");
	json_object_begin(j);
	json_kv_string(j, "ssid", ob->ssid);
	json_kv_string(j, "server_name", ob->server_name);
	json_key(j, "profiles");
	json_array_begin(j);
	for (unsigned k = CW_PROFILE_APPLE; k & CW_PROFILE_ALL; k <<= 1) {
		if (ob->kinds & k) json_string(j, cw_profile_name(k));
	}
	json_array_end(j);
	json_key(j, "files");
	json_array_begin(j);
	for (int i = 0; i < ONBOARD_NFILES; i++) {
		if (!ob->files[i].written) continue;
		json_object_begin(j);
		json_kv_string(j, "path", ob->files[i].path);
		json_kv_string(j, "what", file_defs[i].label);
		json_kv_bool(j, "holds_password", i == ONBOARD_NMCONNECTION || i == ONBOARD_WPA_SUPPLICANT);
		json_object_end(j);
	}
	json_array_end(j);
	json_object_end(j);
}

void onboard_free(onboard_t *ob)
{
	if (!ob) return;
	free(ob->ca_der);
	ob->ca_der = NULL;
	ob->ca_der_len = 0;
}
