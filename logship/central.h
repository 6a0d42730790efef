/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * central.h - the central access log (PostgreSQL, sql/central/) as its
 * readers and writers share it: the connection string's file, errors from
 * libpq, and the rows of every node as coworkctl log reads them.
 */
#ifndef LOGSHIP_CENTRAL_H
#define LOGSHIP_CENTRAL_H

#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "accesslog.h"
#include "cowork.h"

#define CW_CENTRAL_CONNINFO_MAX	4096

/*
 * The libpq connection string in path: a regular file (not a link) that
 * others cannot read, since it may hold a password; trailing white space
 * dropped. 0, or -1 with err (the string itself is never in a message).
 * The caller wipes out when done.
 */
int cw_central_conninfo_read(const char *path, char *out, size_t len, cw_err_t *err);

/* p[0..n) as PostgreSQL's bytea hex text "\\x..." into out (2 * n + 3 bytes). */
void cw_pg_bytea(const uint8_t *p, size_t n, char *out);

/* err = "doing: <libpq's message on one line>" from res, or the connection when res says nothing; res cleared. -1. */
int cw_pg_fail(PGconn *pg, PGresult *res, const char *doing, cw_err_t *err);

/*
 * Rows of every node matching f (its member and device; from_ms, to_ms;
 * a limit keeps the most recent rows), oldest first, node and seq
 * breaking ties, streamed one by one to fn with the row's node. fn
 * returning non-zero stops and is returned. 0, or -1 with err.
 */
int cw_central_query(PGconn *pg, const cw_access_filter_t *f,
		     int (*fn)(void *arg, const char *node, const cw_access_row_t *row), void *arg, cw_err_t *err);

#endif
