/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * regpool.h - read-only registry connections for the module's threads.
 *
 * radiusd answers requests on several threads; each takes a connection
 * from the pool for the length of one decision and gives it back. Before
 * handing one out, the pool checks that the registry file is still there,
 * still readable by the server, and still the same file (device and inode):
 * a deleted, unreadable or replaced registry must give a reject at the
 * next request, not answers from a file descriptor opened before.
 *
 * On the hot path the check is an fstat() of the idle connection's own
 * descriptor (unlink and rename-over leave that inode without links; chmod,
 * chown and writes move its ctime), and the path itself is stat()ed at least
 * once a second: only a registry moved away without a replacement, or a
 * directory made unreadable, is noticed up to a second later.
 */
#ifndef COWORK_REGPOOL_H
#define COWORK_REGPOOL_H

#include <stdbool.h>

#include "cowork.h"
#include "registry.h"

typedef struct cw_regpool cw_regpool_t;

/* One connection lent out by the pool. */
typedef struct cw_regconn {
	cw_registry_t		*reg;	//!< Use this; do not close it.
	unsigned		gen;	//!< Pool generation it was opened in.
	struct cw_regconn	*next;
} cw_regconn_t;

/*
 * Make a pool for the registry at path. Opens nothing yet: a registry
 * missing at start-up only makes requests fail until it appears.
 * max_idle bounds the connections kept open between requests.
 * 0 with *out set, or -1 with err.
 */
int cw_regpool_create(const char *path, unsigned busy_ms, unsigned max_idle, cw_regpool_t **out, cw_err_t *err);

/*
 * Borrow a connection, opening one if none is idle. Returns NULL with err
 * when the registry is missing, unreadable, not a registry of this schema,
 * or cannot be opened.
 */
cw_regconn_t *cw_regpool_get(cw_regpool_t *pool, cw_err_t *err);

/* Return a connection; broken = true closes it (after a database error). */
void cw_regpool_put(cw_regpool_t *pool, cw_regconn_t *conn, bool broken);

/* Close every idle connection and free the pool (no connection may be lent out). */
void cw_regpool_free(cw_regpool_t *pool);

#endif
