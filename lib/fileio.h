/*
 * fileio.h - creating files and directories that hold secrets.
 */
#ifndef COWORK_FILEIO_H
#define COWORK_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

#include "cowork.h"

/* "No group": leave the group of a new file or directory as it comes. */
#define CW_NO_GID ((gid_t)-1)

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

#endif
