/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ship.h - store and forward of the access log: a node's rows, written
 * first to its own SQLite file by radiusd, copied to a central PostgreSQL
 * table (sql/central/) when that is reachable.
 *
 * A row is keyed centrally by (node, seq), seq being its id in the node's
 * file, which the file never reuses (access log schema 5). A batch is
 * inserted with ON CONFLICT DO NOTHING and the node's cursor advanced in
 * the same transaction, after locking the node's row and checking that it
 * belongs to this file (its log_instance): rows are neither lost nor
 * doubled by a crash, an outage, a second shipper, or the same node name
 * given to a new file. Rows past the retention are not shipped, and are
 * deleted centrally as they are locally.
 */
#ifndef LOGSHIP_SHIP_H
#define LOGSHIP_SHIP_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "accesslog.h"
#include "cowork.h"

#define CW_SHIP_NODE_MAX	64
#define CW_SHIP_INSTANCE_LEN	16
#define CW_SHIP_BATCH_MAX	2000	//!< rows per statement (16 parameters each; PostgreSQL allows 65535)
#define CW_SHIP_CENTRAL_VERSION	1

typedef struct cw_ship {
	PGconn		*pg;
	cw_accesslog_t	*log;
	char		node[CW_SHIP_NODE_MAX + 1];
	uint8_t		instance[CW_SHIP_INSTANCE_LEN];
	size_t		batch;
} cw_ship_t;

/* A node name: 1 to 64 of [A-Za-z0-9._-], starting with a letter or digit. */
bool cw_ship_node_valid(const char *node);

/*
 * Connect with a libpq connection string (never echoed: it may hold a
 * password) and check the central schema: 0, or -1 with err. With create,
 * a database without the tables gets them (sql/central/), in one
 * transaction; without, their absence is an error naming --init.
 */
int cw_ship_connect(const char *conninfo, bool create, PGconn **out, cw_err_t *err);

/* The file's log_instance. 0, or -1 with err. */
int cw_ship_instance(cw_accesslog_t *log, uint8_t out[CW_SHIP_INSTANCE_LEN], cw_err_t *err);

/*
 * Ship every row after the node's cursor that is not older than
 * cutoff_ms, in batches. *shipped counts rows sent (a row already there
 * counts too; *inserted only the new ones). 0 when all went; -1 with err
 * (what was committed before stays committed).
 */
int cw_ship_all(cw_ship_t *s, int64_t cutoff_ms, int64_t now_ms, int64_t *shipped, int64_t *inserted, cw_err_t *err);

/* Delete central rows (every node's) older than cutoff_ms. 0 or -1 with err. */
int cw_ship_purge_central(PGconn *pg, int64_t cutoff_ms, int64_t *deleted, cw_err_t *err);

#endif
