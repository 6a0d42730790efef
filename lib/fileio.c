/*
 * fileio.c - creating files and directories that hold secrets.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR) continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int cw_file_write_new(const char *path, const void *data, size_t len, mode_t mode, gid_t gid, cw_err_t *err)
{
	int fd, saved;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode & 0600);
	if (fd < 0) {
		if (errno == EEXIST) {
			cw_err_set(err, "%s already exists; not overwriting it", path);
		} else {
			cw_err_set(err, "creating %s: %s", path, strerror(errno));
		}
		return -1;
	}
	/* Widen to the wanted mode only once the group is right. */
	if ((gid != CW_NO_GID && fchown(fd, (uid_t)-1, gid) < 0) || fchmod(fd, mode) < 0 ||
	    write_all(fd, data, len) < 0 || fsync(fd) < 0) goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	return 0;

fail:
	saved = errno;
	if (fd >= 0) close(fd);
	(void)unlink(path);
	cw_err_set(err, "writing %s: %s", path, strerror(saved));
	return -1;
}

int cw_dir_ensure(const char *path, mode_t mode, gid_t gid, cw_err_t *err)
{
	struct stat st;

	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		cw_err_set(err, "creating directory %s: %s", path, strerror(errno));
		return -1;
	}
	if (lstat(path, &st) < 0) {
		cw_err_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		cw_err_set(err, "%s exists and is not a directory", path);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		cw_err_set(err, "%s belongs to uid %u, not to us (uid %u)", path, (unsigned)st.st_uid,
			   (unsigned)geteuid());
		return -1;
	}
	if ((gid != CW_NO_GID && chown(path, (uid_t)-1, gid) < 0) || chmod(path, mode) < 0) {
		cw_err_set(err, "setting owner and mode of %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int cw_dir_sync(const char *path, cw_err_t *err)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fsync(fd) < 0) {
		cw_err_set(err, "syncing directory %s: %s", path, strerror(errno));
		if (fd >= 0) close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int cw_file_read(const char *path, size_t max, char **out, size_t *len, cw_err_t *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
	struct stat st;
	char *buf = NULL;
	size_t n = 0;

	*out = NULL;
	if (len) *len = 0;
	if (fd < 0) {
		cw_err_set(err, "reading %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		cw_err_set(err, "reading %s: not a regular file", path);
		goto fail;
	}
	buf = malloc(max + 1);
	if (!buf) {
		cw_err_set(err, "reading %s: out of memory", path);
		goto fail;
	}
	for (;;) {
		ssize_t r = read(fd, buf + n, max + 1 - n);

		if (r < 0 && errno == EINTR) continue;
		if (r < 0) {
			cw_err_set(err, "reading %s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0) break;
		n += (size_t)r;
		if (n > max) {
			cw_err_set(err, "%s is larger than %zu bytes", path, max);
			goto fail;
		}
	}
	close(fd);
	buf[n] = '\0';
	*out = buf;
	if (len) *len = n;
	return 0;

fail:
	close(fd);
	if (buf) {
		cw_wipe(buf, max + 1);
		free(buf);
	}
	return -1;
}

/* The directory part of path into dir ("." when none). 0, or -1 when too long. */
static int dir_of(const char *path, char *dir, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash) return cw_snprintf(dir, len, ".");
	if (slash == path) return cw_snprintf(dir, len, "/");
	return cw_snprintf(dir, len, "%.*s", (int)(slash - path), path);
}

/* Write data to the new temporary file fd with mode, sync and close it. 0, or -1 with errno. */
static int fill_temp(int fd, const void *data, size_t len, mode_t mode)
{
	int saved;

	if (fchmod(fd, mode) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}

/* Split path into its directory and the temporary file name beside it. 0, or -1 with err. */
static int replace_names(const char *path, char *dir, size_t dirlen, char *tmp, size_t tmplen, cw_err_t *err)
{
	const char *base = strrchr(path, '/');
	struct stat st;

	base = base ? base + 1 : path;
	if (!*base || dir_of(path, dir, dirlen) < 0 || cw_snprintf(tmp, tmplen, "%s/.%s.XXXXXX", dir, base) < 0) {
		cw_err_set(err, "%s: not a usable file name", path);
		return -1;
	}
	if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
		cw_err_set(err, "%s exists and is not a regular file", path);
		return -1;
	}
	return 0;
}

int cw_file_replace_check(const char *path, cw_err_t *err)
{
	char dir[4096], tmp[4096 + 16];
	struct stat st;

	if (replace_names(path, dir, sizeof(dir), tmp, sizeof(tmp), err) < 0) return -1;
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		cw_err_set(err, "%s: the directory %s does not exist", path, dir);
		return -1;
	}
	if (access(dir, W_OK | X_OK) < 0) {
		cw_err_set(err, "%s: cannot write in %s: %s", path, dir, strerror(errno));
		return -1;
	}
	return 0;
}

int cw_file_replace(const char *path, const void *data, size_t len, mode_t mode, cw_err_t *err)
{
	char dir[4096], tmp[4096 + 16];
	int fd;

	if (replace_names(path, dir, sizeof(dir), tmp, sizeof(tmp), err) < 0) return -1;
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		cw_err_set(err, "creating a temporary file in %s: %s", dir, strerror(errno));
		return -1;
	}
	if (fill_temp(fd, data, len, mode) < 0 || rename(tmp, path) < 0) {
		cw_err_set(err, "writing %s: %s", path, strerror(errno));
		(void)unlink(tmp);
		return -1;
	}
	return cw_dir_sync(dir, err);
}
