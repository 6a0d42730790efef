/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fileio.h - creating files and directories that hold secrets.
 */
#ifndef COWORK_FILEIO_H
#define COWORK_FILEIO_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "cowork.h"

/* "No group": leave the group of a new file or directory as it comes. */
#define CW_NO_GID ((gid_t)-1)

/* write(2) all of data to fd, again after EINTR and short writes. 0, or -1 with errno. */
int cw_write_all(int fd, const void *data, size_t len);

/*
 * Create a new file with exactly `mode` (umask does not apply) and the
 * given group (CW_NO_GID: unchanged), write data, fsync and close it.
 * Refuses to follow a symbolic link or to replace an existing file. On any
 * failure the partial file is removed. 0, or -1 with err naming the path.
 */
int cw_file_write_new(const char *path, const void *data, size_t len, mode_t mode, gid_t gid, cw_err_t *err);

/*
 * Make sure path is a directory of ours with exactly `mode` and the given
 * group, creating it if missing. Refuses a symbolic link, a non-directory,
 * or a directory owned by another user. 0, or -1 with err.
 */
int cw_dir_ensure(const char *path, mode_t mode, gid_t gid, cw_err_t *err);

/* fsync a directory so that new entries in it survive a crash. 0 or -1. */
int cw_dir_sync(const char *path, cw_err_t *err);

/*
 * Read a whole regular file of at most max bytes into a malloc'd,
 * NUL-terminated buffer (*len without the NUL). Refuses a symbolic link.
 * The buffer may hold a key: nothing is left behind on failure, and the
 * caller frees a secret with cw_wipe(buf, len + 1) then free(). Errors
 * name the file. 0, or -1.
 */
int cw_file_read(const char *path, size_t max, char **out, size_t *len, cw_err_t *err);

/*
 * Replace path with data atomically, for files others read while we
 * rewrite them (a CRL): a temporary file in the same directory gets
 * exactly `mode`, data and an fsync, then is renamed over path and the
 * directory synced. A reader sees the old file or the new one, never a
 * mix; a crash leaves the old one (and at worst a ".NAME.XXXXXX" file).
 * Refuses a path that exists as anything but a regular file or a link.
 * 0, or -1 with err naming the path (the temporary file is removed).
 */
int cw_file_replace(const char *path, const void *data, size_t len, mode_t mode, cw_err_t *err);

/*
 * Would cw_file_replace(path, ...) find what it needs: a directory we can
 * write to, and path either absent or a regular file (or a link)? A check
 * before work that is costly to waste; cw_file_replace checks again.
 * 0, or -1 with err.
 */
int cw_file_replace_check(const char *path, cw_err_t *err);

/*
 * Output files that root writes where an admin says (--out, --qr): the
 * directory is opened once and everything after happens relative to that
 * descriptor, so a symbolic link or a renamed path component planted by
 * another user cannot redirect a write or a removal.
 *
 * The rule, checked on the open directory (fstat) and on every directory
 * above it (walked from / with O_NOFOLLOW after resolving the path once):
 *  - each belongs to root or to the invoking user (getuid(); under sudo,
 *    also SUDO_UID: the person who ran sudo);
 *  - the output directory itself is not writable by group or others, sticky
 *    or not (/tmp is refused): others could swap or read what is written;
 *  - a directory above it may be writable by others only with the sticky
 *    bit (like /tmp), since the entry below it is checked to be ours.
 * Refusals name the directory, its owner and mode, and what to do.
 */
typedef struct cw_outdir {
	int	fd;			//!< the checked directory; -1 when closed
	char	path[PATH_MAX];		//!< as given, for messages
} cw_outdir_t;

typedef struct cw_out {
	int	dirfd;			//!< own descriptor of the directory; -1 when done
	int	fd;			//!< the file being written; -1 when closed
	dev_t	dev;			//!< the file's identity: only this inode is ever unlinked
	ino_t	ino;
	char	name[NAME_MAX + 1];	//!< the final name in dirfd
	char	tmp[NAME_MAX + 1];	//!< replace mode: the temporary name; "" otherwise
	char	path[PATH_MAX + NAME_MAX + 2];	//!< directory/name, for messages
} cw_out_t;

/* Initialisers: cw_out_abort and cw_outdir_close are no-ops on these. */
#define CW_OUTDIR_INIT { .fd = -1 }
#define CW_OUT_INIT { .dirfd = -1, .fd = -1 }

/*
 * Open the output directory path after checking the rule above; with
 * create, make it (mode 0700) when missing. 0, or -1 with err. Close with
 * cw_outdir_close (accepts a closed or zeroed-then-failed one).
 */
int cw_outdir_open(const char *path, bool create, cw_outdir_t *dir, cw_err_t *err);
void cw_outdir_close(cw_outdir_t *dir);

/*
 * Is name absent from dir? 0, or -1 with err ("DIR/NAME already exists:
 * choose another name or remove it"). A check before costly work; creating
 * checks again (O_EXCL).
 */
int cw_outdir_check_absent(const cw_outdir_t *dir, const char *name, cw_err_t *err);

/*
 * Create the new file name in dir (a plain name, no '/') with exactly mode
 * (umask does not matter): openat(O_CREAT|O_EXCL|O_NOFOLLOW), so an
 * existing name, a planted symbolic link included, is refused and left
 * alone. out gets its own descriptor of dir. Then cw_out_write, and
 * cw_out_commit or cw_out_abort (one of them, always). 0, or -1 with err.
 */
int cw_out_create(const cw_outdir_t *dir, const char *name, mode_t mode, cw_out_t *out, cw_err_t *err);

/* cw_out_create for a path: its directory (not created) is opened and checked. 0, or -1 with err. */
int cw_out_open(const char *path, mode_t mode, cw_out_t *out, cw_err_t *err);

/*
 * Replace path atomically (a CRL that others read): path may be absent, a
 * regular file or a symbolic link (the link itself is replaced, never what
 * it points to). Writes go to a new ".NAME.XXXXXX" in the same checked
 * directory; cw_out_commit renames it over NAME (renameat, same dirfd).
 * 0, or -1 with err.
 */
int cw_out_replace(const char *path, mode_t mode, cw_out_t *out, cw_err_t *err);

/* Write all of data to the file. 0, or -1 with err naming the path. */
int cw_out_write(cw_out_t *out, const void *data, size_t len, cw_err_t *err);

/*
 * Finish: fsync the file, rename it into place (replace mode), fsync the
 * directory, close both. On failure the file is removed as by cw_out_abort
 * (in replace mode only before the rename: once in place the new file
 * stays). Either way out is finished. 0, or -1 with err.
 */
int cw_out_commit(cw_out_t *out, cw_err_t *err);

/*
 * Give up: truncate and close the file, then unlinkat(dirfd, name) only if
 * the name still refers to our inode (fstatat AT_SYMLINK_NOFOLLOW, same
 * st_dev/st_ino): whatever was swapped in under that name stays. Never
 * unlinks by path. Accepts a finished out (no-op).
 */
void cw_out_abort(cw_out_t *out);

#endif
