/*
 * statedir.c - the access-log part of a state directory.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accesslog.h"
#include "fileio.h"
#include "rand.h"
#include "statedir.h"

static int ensure_key(const char *dir, gid_t gid, cw_err_t *err)
{
	uint8_t key[CW_DEVICE_KEY_LEN];
	char path[4096];
	struct stat st;
	int rc;

	if (cw_snprintf(path, sizeof(path), "%s/device.key", dir) < 0) {
		cw_err_set(err, "state directory path too long");
		return -1;
	}
	if (lstat(path, &st) == 0) return 0;
	if (cw_random_bytes(key, sizeof(key), err) < 0) return -1;
	rc = cw_file_write_new(path, key, sizeof(key), gid == CW_NO_GID ? 0600 : 0640, gid, err);
	cw_wipe(key, sizeof(key));
	return rc;
}

static int ensure_accesslog(const char *dir, gid_t gid, cw_err_t *err)
{
	char logdir[4096], path[4096];
	cw_accesslog_t *log;
	struct stat st;
	bool existed;

	if (cw_snprintf(logdir, sizeof(logdir), "%s/log", dir) < 0 ||
	    cw_snprintf(path, sizeof(path), "%s/log/accesslog.db", dir) < 0) {
		cw_err_set(err, "state directory path too long");
		return -1;
	}
	/* radiusd writes here (the database, its WAL and shared memory), and nowhere else. */
	if (lstat(logdir, &st) < 0 && cw_dir_ensure(logdir, gid == CW_NO_GID ? 0700 : 0770, gid, err) < 0) return -1;
	existed = lstat(path, &st) == 0;
	if (cw_accesslog_open(path, true, &log, err) < 0) return -1;
	cw_accesslog_close(log);
	if (!existed && gid != CW_NO_GID && (chown(path, (uid_t)-1, gid) < 0 || chmod(path, 0660) < 0)) {
		cw_err_set(err, "setting the group of %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int statedir_ensure_log(const char *dir, gid_t gid, cw_err_t *err)
{
	if (ensure_key(dir, gid, err) < 0) return -1;
	return ensure_accesslog(dir, gid, err);
}

gid_t statedir_group(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0 || !(st.st_mode & 0050)) return CW_NO_GID;
	return st.st_gid;
}
