/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_init.c - coworkctl init: the state directory, the member CA, the
 * RADIUS server certificate and an empty registry.
 *
 * Everything is built in a fresh directory beside STATE and renamed into
 * place at the end, so a failed or interrupted init leaves STATE as it was.
 *
 * Layout (the eap configuration points at it):
 *   STATE/registry.db           0600 (0640 with --group)
 *   STATE/ca/ca.pem             0644
 *   STATE/ca/ca.key             0600, never opened by radiusd
 *   STATE/server/server.pem     0644
 *   STATE/server/server.key     0600 (0640 with --group: radiusd reads it)
 *   STATE/device.key, STATE/log/ see statedir.h (log/ belongs to radiusd's user with --group)
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ca.h"
#include "cli.h"
#include "commands.h"
#include "fileio.h"
#include "names.h"
#include "registry_admin.h"
#include "registry_write.h"
#include "statedir.h"

struct init_opts {
	const char	*org;
	const char	*server_name;
	const char	*group;
	gid_t		gid;		//!< CW_NO_GID without --group
	const char	*user;
	uid_t		uid;		//!< radiusd's user, owner of log/ (CW_NO_UID without a group)
	unsigned	server_days;
};

/* Mode of a directory or of a file radiusd reads: group-readable only with --group. */
static mode_t shared_mode(const struct init_opts *o, mode_t private_mode, mode_t group_mode)
{
	return o->gid == CW_NO_GID ? private_mode : group_mode;
}

/* STATE must not exist, or be an empty directory (rename(2) replaces that). */
static int check_target(const char *state)
{
	struct stat st;
	DIR *d;
	struct dirent *ent;
	int entries = 0;
	char key[4096];

	if (lstat(state, &st) < 0) {
		if (errno == ENOENT) return EXIT_OK;
		return cli_fail("%s: %s", state, strerror(errno));
	}
	if (!S_ISDIR(st.st_mode)) return cli_fail("%s exists and is not a directory", state);
	d = opendir(state);
	if (!d) return cli_fail("%s: %s", state, strerror(errno));
	while ((ent = readdir(d)) != NULL) {
		if (strcmp(ent->d_name, ".") != 0 && strcmp(ent->d_name, "..") != 0) entries++;
	}
	closedir(d);
	if (entries == 0) return EXIT_OK;
	if (cw_snprintf(key, sizeof(key), "%s/ca/ca.key", state) == 0 && access(key, F_OK) == 0) {
		return cli_fail("%s already holds a CA (%s): refusing to overwrite it", state, key);
	}
	return cli_fail("%s is not empty: init needs a new or empty directory", state);
}

static int write_pair(const char *dir, const char *name, const cw_issued_t *is, mode_t key_mode, gid_t gid)
{
	char path[4096];
	cw_err_t e;

	if (cw_snprintf(path, sizeof(path), "%s/%s.key", dir, name) < 0) return cli_fail("path too long");
	if (cw_file_write_new(path, is->key_pem, is->key_pem_len, key_mode, gid, &e) < 0) return cli_fail("%s", e.msg);
	if (cw_snprintf(path, sizeof(path), "%s/%s.pem", dir, name) < 0) return cli_fail("path too long");
	if (cw_file_write_new(path, is->cert_pem, is->cert_pem_len, 0644, gid, &e) < 0) return cli_fail("%s", e.msg);
	return EXIT_OK;
}

/* Write the CA and the server certificate into the new tree. */
static int make_pki(const cli_t *cli, const char *tmp, const struct init_opts *o, cw_cert_info_t *ca_info,
		    cw_cert_info_t *server_info)
{
	char dir[4096];
	cw_issued_t ca_files, server;
	cw_ca_t *ca = NULL;
	cw_err_t e;
	int rc = EXIT_FAIL;

	memset(&ca_files, 0, sizeof(ca_files));
	memset(&server, 0, sizeof(server));
	if (cw_ca_generate(o->org, CW_CA_DAYS_DEFAULT, cli->now, &ca, &e) < 0 ||
	    cw_ca_info(ca, ca_info, &e) < 0 ||
	    cw_ca_export(ca, &ca_files.cert_pem, &ca_files.cert_pem_len, &ca_files.key_pem, &ca_files.key_pem_len,
			 &e) < 0 ||
	    cw_ca_issue_server(ca, o->server_name, o->server_days, cli->now, &server, &e) < 0) {
		rc = cli_fail("%s", e.msg);
		goto done;
	}
	*server_info = server.info;

	if (cw_snprintf(dir, sizeof(dir), "%s/ca", tmp) < 0) goto done;
	if (cw_dir_ensure(dir, shared_mode(o, 0700, 0750), o->gid, &e) < 0) {
		rc = cli_fail("%s", e.msg);
		goto done;
	}
	/* The CA key stays 0600 whatever the group: radiusd never needs it. */
	if ((rc = write_pair(dir, "ca", &ca_files, 0600, CW_NO_GID)) != EXIT_OK) goto done;

	if (cw_snprintf(dir, sizeof(dir), "%s/server", tmp) < 0) goto done;
	if (cw_dir_ensure(dir, shared_mode(o, 0700, 0750), o->gid, &e) < 0) {
		rc = cli_fail("%s", e.msg);
		goto done;
	}
	rc = write_pair(dir, "server", &server, shared_mode(o, 0600, 0640), o->gid);
done:
	cw_secret_free(ca_files.key_pem, ca_files.key_pem_len);
	free(ca_files.cert_pem);
	cw_issued_clear(&server);
	cw_ca_free(ca);
	return rc;
}

static int set(cw_registry_t *reg, const char *key, const char *value, cw_err_t *e)
{
	return cw_registry_setting_set(reg, key, value, e);
}

static int set_int(cw_registry_t *reg, const char *key, int64_t value, cw_err_t *e)
{
	char buf[32];

	(void)cw_snprintf(buf, sizeof(buf), "%lld", (long long)value);
	return set(reg, key, buf, e);
}

static int make_registry(const cli_t *cli, const char *tmp, const struct init_opts *o, const cw_cert_info_t *ca,
			 const cw_cert_info_t *server)
{
	char path[4096];
	cw_registry_t *reg = NULL;
	cw_err_t e;

	if (cw_snprintf(path, sizeof(path), "%s/registry.db", tmp) < 0) return cli_fail("path too long");
	if (cw_registry_open_admin(path, true, &reg, &e) < 0) return cli_fail("%s", e.msg);
	if (cw_registry_begin(reg, &e) < 0 ||
	    set(reg, "org", o->org, &e) < 0 || set(reg, "server_name", o->server_name, &e) < 0 ||
	    set(reg, "ca_subject", ca->subject, &e) < 0 || set(reg, "ca_serial", ca->serial, &e) < 0 ||
	    set(reg, "ca_sha256", ca->sha256, &e) < 0 || set_int(reg, "ca_not_after", ca->not_after, &e) < 0 ||
	    set(reg, "server_serial", server->serial, &e) < 0 ||
	    set_int(reg, "server_not_after", server->not_after, &e) < 0 ||
	    set_int(reg, "created_at", cli->now, &e) < 0 || cw_registry_commit(reg, &e) < 0) {
		cw_registry_rollback(reg);
		cw_registry_close(reg);
		return cli_fail("%s", e.msg);
	}
	cw_registry_close(reg);
	if (o->gid != CW_NO_GID && (chown(path, (uid_t)-1, o->gid) < 0 || chmod(path, 0640) < 0)) {
		return cli_fail("setting the group of %s: %s", path, strerror(errno));
	}
	return EXIT_OK;
}

/*
 * Remove what a failed init built (only files and directories it created).
 * log/ is radiusd's user's by then: its entries go through a descriptor
 * opened without following links, never by a path through it.
 */
static void remove_tree(const char *tmp)
{
	static const char *const files[] = {
		"ca/ca.key", "ca/ca.pem", "server/server.key", "server/server.pem", "registry.db",
		"registry.db-journal", "device.key", "log", "ca", "server", NULL,
	};
	static const char *const log_files[] = {
		"accesslog.db", "accesslog.db-journal", "accesslog.db-wal", "accesslog.db-shm", NULL,
	};
	char path[4096];
	int fd;

	if (cw_snprintf(path, sizeof(path), "%s/log", tmp) == 0 &&
	    (fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) >= 0) {
		for (size_t i = 0; log_files[i]; i++) (void)unlinkat(fd, log_files[i], 0);
		close(fd);
	}
	for (size_t i = 0; files[i]; i++) {
		if (cw_snprintf(path, sizeof(path), "%s/%s", tmp, files[i]) < 0) continue;
		if (unlink(path) < 0 && errno == EISDIR) (void)rmdir(path);
	}
	(void)rmdir(tmp);
}

/* The new tree goes beside STATE: same file system, so rename is atomic. */
static int temp_dir(const char *state, char *tmp, size_t len)
{
	char copy[4096], *slash;
	size_t n;

	if (cw_snprintf(copy, sizeof(copy), "%s", state) < 0) return cli_fail("state directory path too long");
	n = strlen(copy);
	while (n > 1 && copy[n - 1] == '/') copy[--n] = '\0';
	slash = strrchr(copy, '/');
	if (!slash) {
		if (cw_snprintf(tmp, len, ".%s.init-XXXXXX", copy) < 0) return cli_fail("path too long");
	} else {
		*slash = '\0';
		if (cw_snprintf(tmp, len, "%s/.%s.init-XXXXXX", slash == copy ? "" : copy, slash + 1) < 0) {
			return cli_fail("path too long");
		}
	}
	if (!mkdtemp(tmp)) return cli_fail("creating a directory beside %s: %s", state, strerror(errno));
	return EXIT_OK;
}

static int init(cli_t *cli, const struct init_opts *o)
{
	char tmp[4096];
	cw_cert_info_t ca, server;
	cw_err_t e;
	int rc;

	if ((rc = check_target(cli->state_dir)) != EXIT_OK) return rc;
	if ((rc = temp_dir(cli->state_dir, tmp, sizeof(tmp))) != EXIT_OK) return rc;
	if (cw_dir_ensure(tmp, shared_mode(o, 0700, 0750), o->gid, &e) < 0) {
		rc = cli_fail("%s", e.msg);
	} else if ((rc = make_pki(cli, tmp, o, &ca, &server)) == EXIT_OK &&
		   (rc = make_registry(cli, tmp, o, &ca, &server)) == EXIT_OK) {
		statedir_log_opts_t lo = { true, o->uid, o->gid, NULL };

		if (statedir_ensure_key(tmp, o->gid, &e) < 0) rc = cli_fail("%s", e.msg);
		else rc = statedir_log_run(tmp, &lo, NULL, NULL, NULL);
	}
	if (rc == EXIT_OK) {
		if (rename(tmp, cli->state_dir) < 0) {
			rc = cli_fail("moving the new state into %s: %s", cli->state_dir, strerror(errno));
		}
	}
	if (rc != EXIT_OK) {
		remove_tree(tmp);
		return rc;
	}
	printf("initialised %s for \"%s\"\n", cli->state_dir, o->org);
	printf("  CA            %s/ca/ca.pem (serial %s)\n", cli->state_dir, ca.serial);
	printf("  server cert   %s/server/server.pem for %s\n", cli->state_dir, o->server_name);
	printf("  registry      %s/registry.db\n", cli->state_dir);
	printf("  access log    %s/log/accesslog.db (devices as keyed hashes, key %s/device.key)\n", cli->state_dir,
	       cli->state_dir);
	if (o->gid != CW_NO_GID) {
		printf("  group %s may read the registry and the server key; log/ belongs to radiusd's user (uid %u)\n",
		       o->group, (unsigned)o->uid);
	}
	printf("next: coworkctl vlan set, ssid add, tenant add, member add, cert issue\n");
	return EXIT_OK;
}

int cmd_init(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "server-name", required_argument, NULL, 's' },
		{ "group", required_argument, NULL, 'g' },
		{ "user", required_argument, NULL, 'u' },
		{ "server-days", required_argument, NULL, 'D' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const cli_cmd_t full = {
		"init", cmd_init, "init --org NAME --server-name DNSNAME [--group GROUP] [--user USER] [--server-days N]",
		"Create the state directory with a new ECDSA P-256 member CA, the RADIUS server certificate\n"
		"signed by it, and an empty registry. Refuses to overwrite an existing CA.\n\n"
		"  --org NAME            organisation name, in the CA's and certificates' subjects\n"
		"  --server-name NAME    DNS name of the RADIUS server (its certificate's subjectAltName);\n"
		"                        members' devices check it\n"
		"  --group GROUP         let this group (radiusd's, e.g. freerad) read the registry and the\n"
		"                        server key; without it everything is private to the caller\n"
		"  --user USER           radiusd's user (e.g. freerad), which owns log/, the only directory\n"
		"                        radiusd writes; default: the user named like --group. Its group is\n"
		"                        the default --group\n"
		"  --server-days N       validity of the server certificate, 1-825 days (default 825)\n"
	};
	struct init_opts o = { NULL, NULL, NULL, CW_NO_GID, NULL, CW_NO_UID, CW_SERVER_DAYS_MAX };
	char group_name[256];
	int c, rc = EXIT_OK;
	cw_err_t e;

	(void)self;
	while ((c = cli_getopt(&full, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'o') o.org = optarg;
		if (c == 's') o.server_name = optarg;
		if (c == 'g') o.group = optarg;
		if (c == 'u') o.user = optarg;
		if (c == 'D' && cli_uint(optarg, 1, CW_SERVER_DAYS_MAX, "--server-days", &o.server_days) < 0) {
			return EXIT_USAGE;
		}
	}
	if ((rc = cli_operands(&full, argc, argv, 0, 0)) != EXIT_OK) return rc;
	if (!o.org) return cli_usage(&full, "--org is required");
	if (!o.server_name) return cli_usage(&full, "--server-name is required");
	if (cw_name_check_org(o.org, &e) < 0) return cli_usage(&full, "%s", e.msg);
	if (cw_name_check_dns(o.server_name, &e) < 0) return cli_usage(&full, "%s", e.msg);
	if (o.user && !o.group) {
		struct passwd *pw = getpwnam(o.user);
		struct group *g = pw ? getgrgid(pw->pw_gid) : NULL;

		if (!pw) return cli_usage(&full, "unknown user %s", o.user);
		if (!g || cw_snprintf(group_name, sizeof(group_name), "%s", g->gr_name) < 0) {
			return cli_usage(&full, "user %s has no usable group: give --group", o.user);
		}
		o.group = group_name;
	}
	if (o.group) {
		struct group *g = getgrnam(o.group);

		if (!g) return cli_usage(&full, "unknown group %s", o.group);
		o.gid = g->gr_gid;
		if (statedir_radiusd_user(o.user, o.gid, &o.uid, &e) < 0) return cli_usage(&full, "%s", e.msg);
	}
	umask(077);
	return init(cli, &o);
}
