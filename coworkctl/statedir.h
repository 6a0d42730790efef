/*
 * statedir.h - the access-log part of a state directory: the device key
 * and log/accesslog.db, and the group through which radiusd uses them.
 *
 *   STATE/device.key           0600 (0640 with a group): HMAC key of device hashes
 *   STATE/log/                 0700 (0770 with a group): the only directory radiusd writes
 *   STATE/log/accesslog.db     0600 (0660 with a group)
 */
#ifndef COWORKCTL_STATEDIR_H
#define COWORKCTL_STATEDIR_H

#include <sys/types.h>

#include "cowork.h"

/*
 * Create what is missing of the above in dir (never touching what
 * exists), for radiusd's group gid (CW_NO_GID: private to the caller), and
 * bring the access log's schema up to date. 0, or -1 with err.
 */
int statedir_ensure_log(const char *dir, gid_t gid, cw_err_t *err);

/* radiusd's group for dir: its group when dir grants the group access, else CW_NO_GID. */
gid_t statedir_group(const char *dir);

#endif
