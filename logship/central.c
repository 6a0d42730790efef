/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * central.c - the central access log's connection string, libpq's errors,
 * and the query coworkctl log reads every node's rows with.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "central.h"

int cw_central_conninfo_read(const char *path, char *out, size_t len, cw_err_t *err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	ssize_t n;

	out[0] = '\0';
	if (fd < 0) {
		cw_err_set(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		cw_err_set(err, "%s: not a regular file", path);
		close(fd);
		return -1;
	}
	if (st.st_mode & 0007) {
		cw_err_set(err, "%s may hold a password: it must not be readable by others (chmod o-rwx)", path);
		close(fd);
		return -1;
	}
	n = read(fd, out, len - 1);
	close(fd);
	if (n < 0 || (size_t)n >= len - 1) {
		cw_err_set(err, "%s: %s", path, n < 0 ? strerror(errno) : "longer than 4 KiB");
		cw_wipe(out, len);
		return -1;
	}
	out[n] = '\0';
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' ')) out[--n] = '\0';
	if (n == 0) {
		cw_err_set(err, "%s is empty", path);
		return -1;
	}
	return 0;
}

int cw_pg_fail(PGconn *pg, PGresult *res, const char *doing, cw_err_t *err)
{
	const char *msg = res ? PQresultErrorMessage(res) : "";
	char one[512];
	size_t n;

	if (!msg || !*msg) msg = pg ? PQerrorMessage(pg) : "out of memory";
	(void)cw_snprintf(one, sizeof(one), "%s", msg && *msg ? msg : "no answer");
	n = strlen(one);
	while (n && (one[n - 1] == '\n' || one[n - 1] == ' ')) one[--n] = '\0';
	for (char *p = one; *p; p++) {
		if (*p == '\n' || *p == '\t') *p = ' ';
	}
	cw_err_set(err, "%s: %s", doing, one);
	PQclear(res);
	return -1;
}

#define COLUMNS "node, ts_ms, clock_synced, clock_error_us, result, reason, class, member, device, nas, ssid, vlan," \
		" serial, akm, cipher"
#define WHERE	"ts_ms >= $1 AND ($2::bigint = 0 OR ts_ms < $2) AND ($3::text IS NULL OR member = $3)" \
		" AND ($4::bytea IS NULL OR device = $4)"

static const char sql_all[] = "SELECT " COLUMNS " FROM access_log WHERE " WHERE " ORDER BY ts_ms, node, seq";
static const char sql_last[] = "SELECT " COLUMNS " FROM (SELECT * FROM access_log WHERE " WHERE
			       " ORDER BY ts_ms DESC, node DESC, seq DESC LIMIT $5) last ORDER BY ts_ms, node, seq";

void cw_pg_bytea(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	*out++ = '\\';
	*out++ = 'x';
	for (size_t i = 0; i < n; i++) {
		*out++ = digits[p[i] >> 4];
		*out++ = digits[p[i] & 15];
	}
	*out = '\0';
}

/* A suite column: false when NULL or out of range. */
static bool suite(const PGresult *res, int col, uint32_t *out)
{
	long long v;

	if (PQgetisnull(res, 0, col)) return false;
	v = strtoll(PQgetvalue(res, 0, col), NULL, 10);
	if (v < 0 || v > (long long)UINT32_MAX) return false;
	*out = (uint32_t)v;
	return true;
}

/* The single row of res as an access row. false when a value is malformed. */
static bool row_of(const PGresult *res, cw_access_row_t *r)
{
#define TEXT(col, dst) (void)cw_snprintf((dst), sizeof(dst), "%s", PQgetisnull(res, 0, (col)) ? "" : PQgetvalue(res, 0, (col)))
	const char *dev = PQgetvalue(res, 0, 8);
	long long vlan;

	memset(r, 0, sizeof(*r));
	r->ts_ms = strtoll(PQgetvalue(res, 0, 1), NULL, 10);
	r->clock_synced = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	r->clock_error_us = PQgetisnull(res, 0, 3) ? -1 : strtoll(PQgetvalue(res, 0, 3), NULL, 10);
	r->accepted = strcmp(PQgetvalue(res, 0, 4), "accept") == 0;
	TEXT(5, r->reason);
	r->member = strcmp(PQgetvalue(res, 0, 6), "member") == 0;
	TEXT(7, r->member_id);
	if (!PQgetisnull(res, 0, 8)) {
		if (strlen(dev) != 2 + 2 * CW_DEVICE_HASH_LEN || dev[0] != '\\' || dev[1] != 'x') return false;
		for (size_t i = 0; i < CW_DEVICE_HASH_LEN; i++) {
			int hi = cw_hexval(dev[2 + 2 * i]), lo = cw_hexval(dev[3 + 2 * i]);

			if (hi < 0 || lo < 0) return false;
			r->device[i] = (uint8_t)(hi << 4 | lo);
		}
		r->has_device = true;
	}
	TEXT(9, r->nas);
	TEXT(10, r->ssid);
	vlan = PQgetisnull(res, 0, 11) ? 0 : strtoll(PQgetvalue(res, 0, 11), NULL, 10);
	if (vlan < 0 || vlan > 4094) return false;
	r->vlan = (uint16_t)vlan;
	TEXT(12, r->serial);
	r->has_akm = suite(res, 13, &r->akm);
	r->has_cipher = suite(res, 14, &r->cipher);
	return true;
#undef TEXT
}

int cw_central_query(PGconn *pg, const cw_access_filter_t *f,
		     int (*fn)(void *arg, const char *node, const cw_access_row_t *row), void *arg, cw_err_t *err)
{
	static const char doing[] = "reading the central access log";
	char from[24], to[24], limit[24], dev[2 * CW_DEVICE_HASH_LEN + 3];
	const char *p[5] = { from, to, f->member, NULL, limit };
	PGresult *res;
	int rc = 0;

	(void)cw_snprintf(from, sizeof(from), "%lld", (long long)f->from_ms);
	(void)cw_snprintf(to, sizeof(to), "%lld", (long long)f->to_ms);
	(void)cw_snprintf(limit, sizeof(limit), "%zu", f->limit);
	if (f->has_device) {
		cw_pg_bytea(f->device, CW_DEVICE_HASH_LEN, dev);
		p[3] = dev;
	}
	if (!PQsendQueryParams(pg, f->limit ? sql_last : sql_all, f->limit ? 5 : 4, NULL, p, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(pg)) {
		return cw_pg_fail(pg, NULL, doing, err);
	}
	while ((res = PQgetResult(pg))) {
		ExecStatusType s = PQresultStatus(res);
		cw_access_row_t r;

		if (s == PGRES_SINGLE_TUPLE && rc == 0) {
			if (!row_of(res, &r)) {
				cw_err_set(err, "%s: a malformed row of node %.64s", doing, PQgetvalue(res, 0, 0));
				rc = -1;
			} else if ((rc = fn(arg, PQgetvalue(res, 0, 0), &r)) != 0) {
				/* the rest is read and dropped: the connection must be idle again */
			}
		} else if (s != PGRES_SINGLE_TUPLE && s != PGRES_TUPLES_OK && rc == 0) {
			rc = cw_pg_fail(pg, res, doing, err);
			continue;
		}
		PQclear(res);
	}
	return rc;
}
