/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fileio.c - creating files and directories that hold secrets.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "rand.h"

int cw_write_all(int fd, const void *data, size_t len)
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

/* Split path into its directory part (".", "/" or the text before the last '/') and its last name. 0, or -1 with err. */
static int split_path(const char *path, char *dir, size_t dirlen, const char **name, cw_err_t *err)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int rc;

	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0 || strlen(base) > NAME_MAX) {
		cw_err_set(err, "%s: not a usable file name", path);
		return -1;
	}
	if (!slash) rc = cw_snprintf(dir, dirlen, ".");
	else if (slash == path) rc = cw_snprintf(dir, dirlen, "/");
	else rc = cw_snprintf(dir, dirlen, "%.*s", (int)(slash - path), path);
	if (rc < 0) cw_err_set(err, "%s: path too long", path);
	*name = base;
	return rc;
}

/* Empty out and invalidate the descriptors, so that abort and commit are no-ops on it. */
static void out_reset(cw_out_t *out)
{
	memset(out, 0, sizeof(*out));
	out->dirfd = -1;
	out->fd = -1;
}

/*
 * Create name in dirfd (which out takes over: it is closed with out) with
 * exactly mode and group gid: created 0600 at most, given its group, then
 * widened. The name must not exist (a link included). path is the file's
 * path for messages. 0, or -1 with err (dirfd closed, nothing left behind).
 */
static int create_at(int dirfd, const char *path, const char *name, mode_t mode, gid_t gid, cw_out_t *out,
		     cw_err_t *err)
{
	struct stat st;
	int saved;

	out_reset(out);
	out->dirfd = dirfd;
	if (cw_snprintf(out->name, sizeof(out->name), "%s", name) < 0 ||
	    cw_snprintf(out->path, sizeof(out->path), "%s", path) < 0 ||
	    strchr(name, '/') || !*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
		cw_err_set(err, "%s: not a usable file name", path);
		goto fail;
	}
	out->fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, mode & 0600);
	if (out->fd < 0) {
		if (errno == EEXIST && fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
			cw_err_set(err, "%s already exists as a symbolic link: not following it; remove it or choose another name",
				   out->path);
		} else if (errno == EEXIST) {
			cw_err_set(err, "%s already exists: choose another name or remove it", out->path);
		} else {
			cw_err_set(err, "creating %s: %s", out->path, strerror(errno));
		}
		goto fail;
	}
	if (fstat(out->fd, &st) < 0) {
		/* Cannot tell our inode later: close it, and leave the (empty) file rather than unlink blindly. */
		cw_err_set(err, "creating %s: %s", out->path, strerror(errno));
		goto fail;
	}
	out->dev = st.st_dev;
	out->ino = st.st_ino;
	if ((gid != CW_NO_GID && fchown(out->fd, (uid_t)-1, gid) < 0) || fchmod(out->fd, mode) < 0) {
		saved = errno;
		cw_out_abort(out);
		cw_err_set(err, "setting owner and mode of %s: %s", out->path, strerror(saved));
		return -1;
	}
	return 0;

fail:
	if (out->fd >= 0) close(out->fd);
	close(dirfd);
	out_reset(out);
	return -1;
}

int cw_out_write(cw_out_t *out, const void *data, size_t len, cw_err_t *err)
{
	if (out->fd < 0 || cw_write_all(out->fd, data, len) < 0) {
		cw_err_set(err, "writing %s: %s", out->path, out->fd < 0 ? "not open" : strerror(errno));
		return -1;
	}
	return 0;
}

void cw_out_abort(cw_out_t *out)
{
	const char *name;
	struct stat st;

	if (out->fd >= 0) {
		/* What was written may be a secret. Should this fail, the file is still removed below. */
		if (ftruncate(out->fd, 0) < 0) {
			/* nothing more to do here */
		}
		close(out->fd);
	}
	if (out->dirfd >= 0) {
		name = out->tmp[0] ? out->tmp : out->name;
		/* Only our own inode: a name swapped since (a link, another file) stays. */
		if (out->ino && fstatat(out->dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && st.st_dev == out->dev &&
		    st.st_ino == out->ino) {
			(void)unlinkat(out->dirfd, name, 0);
		}
		close(out->dirfd);
	}
	out_reset(out);
}

int cw_out_commit(cw_out_t *out, cw_err_t *err)
{
	int fd = out->fd;

	if (fd < 0 || out->dirfd < 0) {
		cw_err_set(err, "writing %s: not open", out->path);
		return -1;
	}
	if (fsync(fd) < 0) {
		cw_err_set(err, "writing %s: %s", out->path, strerror(errno));
		cw_out_abort(out);
		return -1;
	}
	out->fd = -1;
	if (close(fd) < 0) {	/* closed all the same (Linux): never close it twice */
		cw_err_set(err, "writing %s: %s", out->path, strerror(errno));
		cw_out_abort(out);
		return -1;
	}
	if (out->tmp[0]) {
		if (renameat(out->dirfd, out->tmp, out->dirfd, out->name) < 0) {
			cw_err_set(err, "writing %s: %s", out->path, strerror(errno));
			cw_out_abort(out);
			return -1;
		}
		/* In place now: whatever happens next, the new file stays (the old one is gone). */
		out->tmp[0] = '\0';
		out->ino = 0;
	}
	if (fsync(out->dirfd) < 0) {
		cw_err_set(err, "syncing the directory of %s: %s", out->path, strerror(errno));
		cw_out_abort(out);
		return -1;
	}
	close(out->dirfd);
	out_reset(out);
	return 0;
}

int cw_file_write_new(const char *path, const void *data, size_t len, mode_t mode, gid_t gid, cw_err_t *err)
{
	char dir[PATH_MAX];
	const char *name;
	cw_out_t out;
	int dirfd;

	if (split_path(path, dir, sizeof(dir), &name, err) < 0) return -1;
	/* The directory is resolved once; the file is then made and, on failure, removed through it. */
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0) {
		cw_err_set(err, "creating %s: %s", path, strerror(errno));
		return -1;
	}
	if (create_at(dirfd, path, name, mode, gid, &out, err) < 0) return -1;
	if (cw_out_write(&out, data, len, err) < 0) {
		cw_out_abort(&out);
		return -1;
	}
	return cw_out_commit(&out, err);
}

int cw_dir_ensure(const char *path, mode_t mode, gid_t gid, cw_err_t *err)
{
	struct stat st;
	int fd;

	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		cw_err_set(err, "creating directory %s: %s", path, strerror(errno));
		return -1;
	}
	/* Owner and mode are set on the descriptor: a link swapped in after the check is never followed. */
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOTDIR || errno == ELOOP) cw_err_set(err, "%s exists and is not a directory", path);
		else cw_err_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		cw_err_set(err, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		cw_err_set(err, "%s belongs to uid %u, not to us (uid %u)", path, (unsigned)st.st_uid,
			   (unsigned)geteuid());
		close(fd);
		return -1;
	}
	if ((gid != CW_NO_GID && fchown(fd, (uid_t)-1, gid) < 0) || fchmod(fd, mode) < 0) {
		cw_err_set(err, "setting owner and mode of %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
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

/* SUDO_UID, when root runs us through sudo: the person who asked. (uid_t)-1 otherwise. */
static uid_t sudo_uid(void)
{
	const char *s = getuid() == 0 ? getenv("SUDO_UID") : NULL;
	unsigned long v;
	char *end;

	if (!s || !*s) return (uid_t)-1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || s[0] == '-' || v >= (unsigned long)(uid_t)-1) return (uid_t)-1;
	return (uid_t)v;
}

/* "uid N (name)" for a message. */
static const char *owner_name(uid_t uid, char *buf, size_t len)
{
	struct passwd *pw = getpwuid(uid);

	if (cw_snprintf(buf, len, "uid %u (%s)", (unsigned)uid, pw ? pw->pw_name : "no such user") < 0) {
		(void)cw_snprintf(buf, len, "uid %u", (unsigned)uid);
	}
	return buf;
}

/*
 * May we write in (last) or below (!last) the directory dir, whose status
 * is st? The rule of fileio.h. 0, or -1 with err saying what to do.
 */
static int dir_trusted(const char *dir, const struct stat *st, bool last, cw_err_t *err)
{
	const char *who = (st->st_mode & 0002) ? "everyone" : "its group";
	char owner[128];
	mode_t m = st->st_mode & 07777;

	if (!S_ISDIR(st->st_mode)) {
		cw_err_set(err, "%s is not a directory", dir);
		return -1;
	}
	if (st->st_uid != 0 && st->st_uid != getuid() && st->st_uid != sudo_uid()) {
		cw_err_set(err, "refusing to write %s %s: it belongs to %s (mode %o), not to root or you, so that user "
			   "could plant a link or swap a file there; use a directory of root's or yours (mkdir -m 700 DIR)",
			   last ? "in" : "below", dir, owner_name(st->st_uid, owner, sizeof(owner)), (unsigned)m);
		return -1;
	}
	if ((m & 0022) && (last || !(m & S_ISVTX))) {
		cw_err_set(err, "refusing to write %s %s: it is writable by %s (owner %s, mode %o), so another user could "
			   "swap or read what is written; use a directory only root or you can write (chmod go-w %s, "
			   "or mkdir -m 700 a new one)", last ? "in" : "below", dir, who,
			   owner_name(st->st_uid, owner, sizeof(owner)), (unsigned)m, dir);
		return -1;
	}
	return 0;
}

/*
 * Open the canonical (absolute, link-free) directory canon by walking it
 * from / with O_NOFOLLOW, checking each directory on the way (the last one
 * with last_rule). A link or a swapped component met on the way is refused.
 * The way is walked with O_PATH (search permission is enough, as for a
 * path); the directory itself is opened for reading at the end (fsync
 * needs that). The descriptor, or -1 with err.
 */
static int walk_checked(const char *canon, bool last_rule, cw_err_t *err)
{
	char buf[PATH_MAX], shown[PATH_MAX] = "";
	char *comp, *save = NULL;
	struct stat st;
	int fd, next;

	if (cw_snprintf(buf, sizeof(buf), "%s", canon) < 0 || canon[0] != '/') {
		cw_err_set(err, "%s: not a usable directory", canon);
		return -1;
	}
	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		cw_err_set(err, "opening /: %s", strerror(errno));
		if (fd >= 0) close(fd);
		return -1;
	}
	for (comp = strtok_r(buf, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		if (dir_trusted(shown[0] ? shown : "/", &st, false, err) < 0) goto fail;
		(void)cw_snprintf(shown + strlen(shown), sizeof(shown) - strlen(shown), "/%s", comp);
		next = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			cw_err_set(err, "%s: %s", shown, errno == ELOOP || errno == ENOTDIR ?
				   "changed while it was being checked (now a link or not a directory)" : strerror(errno));
			goto fail;
		}
		close(fd);
		fd = next;
		if (fstat(fd, &st) < 0) {
			cw_err_set(err, "%s: %s", shown, strerror(errno));
			goto fail;
		}
	}
	if (dir_trusted(shown[0] ? shown : "/", &st, last_rule, err) < 0) goto fail;
	next = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (next < 0) {
		cw_err_set(err, "%s: %s", shown[0] ? shown : "/", strerror(errno));
		goto fail;
	}
	close(fd);
	return next;

fail:
	close(fd);
	return -1;
}

/* The missing directory path made (0700) in its checked parent, then opened and checked. fd, or -1 with err. */
static int make_checked(const char *path, cw_err_t *err)
{
	char parent[PATH_MAX], canon[PATH_MAX], trimmed[PATH_MAX];
	const char *name;
	struct stat st;
	size_t n;
	int pfd, fd;

	if (cw_snprintf(trimmed, sizeof(trimmed), "%s", path) < 0) {
		cw_err_set(err, "%s: path too long", path);
		return -1;
	}
	for (n = strlen(trimmed); n > 1 && trimmed[n - 1] == '/'; n--) trimmed[n - 1] = '\0';
	if (split_path(trimmed, parent, sizeof(parent), &name, err) < 0) return -1;
	if (!realpath(parent, canon)) {
		cw_err_set(err, "creating directory %s: %s: %s", path, parent, strerror(errno));
		return -1;
	}
	if ((pfd = walk_checked(canon, false, err)) < 0) return -1;
	if (mkdirat(pfd, name, 0700) < 0 && errno != EEXIST) {
		cw_err_set(err, "creating directory %s: %s", path, strerror(errno));
		close(pfd);
		return -1;
	}
	fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	close(pfd);
	if (fd < 0) {
		cw_err_set(err, "%s: %s", path, errno == ELOOP || errno == ENOTDIR ? "not a directory" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		cw_err_set(err, "%s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (dir_trusted(path, &st, true, err) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int cw_outdir_open(const char *path, bool create, cw_outdir_t *dir, cw_err_t *err)
{
	char canon[PATH_MAX];

	dir->fd = -1;
	if (!*path || cw_snprintf(dir->path, sizeof(dir->path), "%s", path) < 0) {
		cw_err_set(err, "%s: not a usable directory", path);
		return -1;
	}
	if (realpath(path, canon)) {
		dir->fd = walk_checked(canon, true, err);
	} else if (errno == ENOENT && create) {
		dir->fd = make_checked(path, err);
	} else if (errno == ENOENT) {
		cw_err_set(err, "the directory %s does not exist", path);
	} else {
		cw_err_set(err, "%s: %s", path, strerror(errno));
	}
	return dir->fd < 0 ? -1 : 0;
}

void cw_outdir_close(cw_outdir_t *dir)
{
	if (dir->fd >= 0) close(dir->fd);
	dir->fd = -1;
}

int cw_outdir_check_absent(const cw_outdir_t *dir, const char *name, cw_err_t *err)
{
	struct stat st;

	if (fstatat(dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) return 1;
	if (errno == ENOENT) return 0;
	cw_err_set(err, "%s/%s: %s", dir->path, name, strerror(errno));
	return -1;
}

/* cw_out_create, with shown (when not NULL) as the file's path in messages. */
static int create_in(const cw_outdir_t *dir, const char *name, const char *shown, mode_t mode, cw_out_t *out,
		     cw_err_t *err)
{
	size_t n = strlen(dir->path);
	char path[sizeof(out->path)];
	int fd;

	out_reset(out);
	if (cw_snprintf(path, sizeof(path), "%s%s%s", dir->path, n && dir->path[n - 1] == '/' ? "" : "/", name) < 0) {
		cw_err_set(err, "%s/%s: path too long", dir->path, name);
		return -1;
	}
	if ((fd = fcntl(dir->fd, F_DUPFD_CLOEXEC, 0)) < 0) {
		cw_err_set(err, "%s: %s", dir->path, strerror(errno));
		return -1;
	}
	return create_at(fd, shown ? shown : path, name, mode, CW_NO_GID, out, err);
}

/* Open and check the directory of path; *name points into path. 0, or -1 with err. */
static int out_dir_of(const char *path, cw_outdir_t *dir, const char **name, cw_err_t *err)
{
	char d[PATH_MAX];

	dir->fd = -1;
	if (split_path(path, d, sizeof(d), name, err) < 0) return -1;
	return cw_outdir_open(d, false, dir, err);
}

int cw_out_create(const cw_outdir_t *dir, const char *name, mode_t mode, cw_out_t *out, cw_err_t *err)
{
	return create_in(dir, name, NULL, mode, out, err);
}

int cw_out_open(const char *path, mode_t mode, cw_out_t *out, cw_err_t *err)
{
	cw_outdir_t dir;
	const char *name;
	int rc;

	out_reset(out);
	if (out_dir_of(path, &dir, &name, err) < 0) return -1;
	rc = create_in(&dir, name, path, mode, out, err);
	cw_outdir_close(&dir);
	return rc;
}

/* Is name in dir absent, a regular file or a link (what a replacement may replace)? 0, or -1 with err. */
static int replaceable(const cw_outdir_t *dir, const char *name, const char *path, cw_err_t *err)
{
	struct stat st;

	if (fstatat(dir->fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno == ENOENT) return 0;
		cw_err_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
		cw_err_set(err, "%s exists and is not a regular file", path);
		return -1;
	}
	return 0;
}

int cw_out_replace(const char *path, mode_t mode, cw_out_t *out, cw_err_t *err)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char tmp[NAME_MAX + 1], final[NAME_MAX + 1];
	unsigned char r[6];
	cw_outdir_t dir;
	const char *name;
	int rc = -1;

	out_reset(out);
	if (out_dir_of(path, &dir, &name, err) < 0) return -1;
	if (replaceable(&dir, name, path, err) < 0 || cw_snprintf(final, sizeof(final), "%s", name) < 0) goto done;
	for (int attempt = 0; attempt < 16; attempt++) {
		if (cw_random_bytes(r, sizeof(r), err) < 0) goto done;
		if (cw_snprintf(tmp, sizeof(tmp), ".%s.%c%c%c%c%c%c", name, alphabet[r[0] % 62], alphabet[r[1] % 62],
				alphabet[r[2] % 62], alphabet[r[3] % 62], alphabet[r[4] % 62], alphabet[r[5] % 62]) < 0) {
			cw_err_set(err, "%s: file name too long for a temporary name beside it", path);
			goto done;
		}
		rc = cw_out_create(&dir, tmp, mode, out, err);
		if (rc == 0 || fstatat(dir.fd, tmp, &(struct stat){ 0 }, AT_SYMLINK_NOFOLLOW) < 0) break;
	}
	if (rc == 0) {
		/* Written as the temporary file, named (and reported) as the final one. */
		(void)cw_snprintf(out->tmp, sizeof(out->tmp), "%s", tmp);
		(void)cw_snprintf(out->name, sizeof(out->name), "%s", final);
		(void)cw_snprintf(out->path, sizeof(out->path), "%s", path);
	}
done:
	cw_outdir_close(&dir);
	return rc;
}

int cw_file_replace_check(const char *path, cw_err_t *err)
{
	cw_outdir_t dir;
	const char *name;
	int rc;

	if (out_dir_of(path, &dir, &name, err) < 0) return -1;
	rc = replaceable(&dir, name, path, err);
	cw_outdir_close(&dir);
	return rc;
}

int cw_file_replace(const char *path, const void *data, size_t len, mode_t mode, cw_err_t *err)
{
	cw_out_t out;

	if (cw_out_replace(path, mode, &out, err) < 0) return -1;
	if (cw_out_write(&out, data, len, err) < 0) {
		cw_out_abort(&out);
		return -1;
	}
	return cw_out_commit(&out, err);
}
