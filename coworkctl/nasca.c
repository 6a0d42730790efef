/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nasca.c - the NAS CA, made on first use beside the member CA.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crl.h"
#include "fileio.h"
#include "nas.h"
#include "nasca.h"

/*
 * Mode and group for nas-ca/ and its certificate: as STATE/server, which
 * `init --group` makes readable by radiusd's group; private otherwise.
 */
static void shared_like_server(const cli_t *cli, mode_t *dir_mode, gid_t *gid)
{
	char path[4096];
	struct stat st;

	*dir_mode = 0700;
	*gid = CW_NO_GID;
	if (cli_path(cli, "server", path, sizeof(path)) < 0 || stat(path, &st) < 0) return;
	if ((st.st_mode & 0050) == 0050) {
		*dir_mode = 0750;
		*gid = st.st_gid;
	}
}

/* Make the key and certificate in the (new or empty) nas-ca/. EXIT_OK or EXIT_FAIL. */
static int create(const cli_t *cli, const char *org, const char *cert, const char *key)
{
	char dir[4096];
	char *cert_pem = NULL, *key_pem = NULL;
	size_t cert_len = 0, key_len = 0;
	cw_ca_t *ca = NULL;
	mode_t dir_mode;
	gid_t gid;
	int rc = EXIT_FAIL;
	cw_err_t e;

	shared_like_server(cli, &dir_mode, &gid);
	if (cli_path(cli, "nas-ca", dir, sizeof(dir)) < 0) return EXIT_FAIL;
	if (cw_dir_ensure(dir, dir_mode, gid, &e) < 0 ||
	    cw_ca_generate_nas(org, CW_CA_DAYS_DEFAULT, cli->now, &ca, &e) < 0 ||
	    cw_ca_export(ca, &cert_pem, &cert_len, &key_pem, &key_len, &e) < 0) {
		rc = cli_fail("%s", e.msg);
		goto done;
	}
	if (cw_file_write_new(key, key_pem, key_len, 0600, CW_NO_GID, &e) < 0) {
		rc = cli_fail("creating the NAS CA: %s", e.msg);
		goto done;
	}
	/* A key without its certificate would block every later run: take it back (we just made it). */
	if (cw_file_write_new(cert, cert_pem, cert_len, gid == CW_NO_GID ? 0644 : 0640, gid, &e) < 0) {
		rc = cli_fail("creating the NAS CA: %s", e.msg);
		(void)unlink(key);
		goto done;
	}
	rc = EXIT_OK;
done:
	cw_secret_free(key_pem, key_len);
	free(cert_pem);
	cw_ca_free(ca);
	return rc;
}

/* Is path absent (1), present (0), or unreadable (-1, printed)? */
static int key_check(const char *key)
{
	struct stat st;

	if (lstat(key, &st) < 0) {
		if (errno == ENOENT) return 1;
		cli_err("NAS CA key %s: %s", key, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		cli_err("NAS CA key %s is not a regular file", key);
		return -1;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		cli_err("NAS CA key %s belongs to uid %u, neither root nor you: refusing to use it", key,
			(unsigned)st.st_uid);
		return -1;
	}
	if (st.st_mode & 077) {
		cli_err("NAS CA key %s is accessible to group or others (mode %03o): run chmod 600 %s", key,
			(unsigned)(st.st_mode & 0777), key);
		return -1;
	}
	return 0;
}

int nasca_open(const cli_t *cli, cw_ca_t **ca)
{
	char cert[4096], key[4096];
	int rc;
	cw_err_t e;

	*ca = NULL;
	if (cli_path(cli, "nas-ca/ca.pem", cert, sizeof(cert)) < 0 ||
	    cli_path(cli, "nas-ca/ca.key", key, sizeof(key)) < 0) return EXIT_FAIL;
	rc = key_check(key);
	if (rc == 1) return cli_fail("NAS CA key %s: %s (no NAS has had a RadSec certificate)", key, strerror(ENOENT));
	if (rc < 0) return EXIT_FAIL;
	if (cw_ca_load(cert, key, ca, &e) < 0) return cli_fail("%s", e.msg);
	return EXIT_OK;
}

int nasca_write_trust(const cli_t *cli, cw_registry_t *reg, const cw_ca_t *ca)
{
	char path[4096], *cert_pem = NULL, *key_pem = NULL;
	size_t cert_len = 0, key_len = 0, crl_len = 0;
	unsigned char *crl = NULL;
	cw_crl_content_t c = { 0 };
	cw_out_t out = CW_OUT_INIT;
	mode_t dir_mode;
	gid_t gid;
	int rc = EXIT_FAIL;
	cw_err_t e;

	shared_like_server(cli, &dir_mode, &gid);
	if (cli_path(cli, "nas-ca/trust.pem", path, sizeof(path)) < 0) return EXIT_FAIL;
	if (cw_ca_export(ca, &cert_pem, &cert_len, &key_pem, &key_len, &e) < 0 ||
	    cw_nas_crl_prepare(reg, cli->now, &c, &e) < 0 || cw_crl_build(ca, &c, false, &crl, &crl_len, &e) < 0 ||
	    cw_out_replace(path, gid == CW_NO_GID ? 0644 : 0640, &out, &e) < 0) {
		rc = cli_fail("the NAS CA's CRL: %s", e.msg);
		goto done;
	}
	if (gid != CW_NO_GID && fchown(out.fd, (uid_t)-1, gid) < 0) {
		rc = cli_fail("setting the group of %s: %s", path, strerror(errno));
		cw_out_abort(&out);
		goto done;
	}
	if (cw_out_write(&out, cert_pem, cert_len, &e) < 0 || cw_out_write(&out, crl, crl_len, &e) < 0 ||
	    cw_out_commit(&out, &e) < 0) {
		rc = cli_fail("%s", e.msg);
		cw_out_abort(&out);
		goto done;
	}
	printf("  %s: the NAS CA and its CRL (%zu revoked NAS certificates); radiusd reads it at start\n", path, c.n);
	rc = EXIT_OK;
done:
	cw_secret_free(key_pem, key_len);
	free(cert_pem);
	free(crl);
	cw_crl_content_free(&c);
	return rc;
}

int nasca_load(const cli_t *cli, const char *org, cw_ca_t **ca, bool *created)
{
	char cert[4096], key[4096];
	int rc;
	cw_err_t e;

	*ca = NULL;
	*created = false;
	if (cli_path(cli, "nas-ca/ca.pem", cert, sizeof(cert)) < 0 ||
	    cli_path(cli, "nas-ca/ca.key", key, sizeof(key)) < 0) return EXIT_FAIL;
	rc = key_check(key);
	if (rc < 0) return EXIT_FAIL;
	if (rc == 1) {
		if ((rc = create(cli, org, cert, key)) != EXIT_OK) return rc;
		*created = true;
		if (key_check(key) != 0) return EXIT_FAIL;
	}
	if (cw_ca_load(cert, key, ca, &e) < 0) return cli_fail("%s", e.msg);
	return EXIT_OK;
}
