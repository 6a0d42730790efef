/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * registry_ocsp.c - the pre-signed OCSP answers in the registry.
 */
#include <string.h>

#include <sqlite3.h>

#include "registry_ocsp.h"
#include "sqlutil.h"

static const char sql_get[] = "SELECT response FROM cert_ocsp WHERE serial = ?1";

static const char sql_certs[] =
	"SELECT c.serial, m.name, c.not_after, o.produced_at"
	" FROM cert c JOIN member m ON m.id = c.member_id LEFT JOIN cert_ocsp o ON o.serial = c.serial"
	" WHERE c.revoked_at IS NULL AND c.not_after >= ?1 ORDER BY c.issued_at, c.serial";

static const char sql_missing[] =
	"SELECT count(*) FROM cert c"
	" WHERE c.revoked_at IS NULL AND c.not_after >= ?1"
	" AND NOT EXISTS (SELECT 1 FROM cert_ocsp o WHERE o.serial = c.serial)";

int cw_registry_ocsp_get(cw_registry_t *reg, const char *serial, uint8_t *buf, size_t cap, size_t *len,
			 cw_err_t *err)
{
	static const char doing[] = "reading a certificate's OCSP answer";
	sqlite3_stmt *st;
	int rc;

	*len = 0;
	if (cw_registry_prepare(reg, sql_get, &st, doing, err) < 0) return -1;
	rc = cw_registry_step_row(reg, st, cw_sql_bind_text(st, 1, serial, SQLITE_OK), doing, err);
	if (rc == 1) {
		int n = sqlite3_column_bytes(st, 0);
		const void *p = sqlite3_column_blob(st, 0);

		if (n <= 0 || !p || (size_t)n > cap) {
			cw_err_set(err, "certificate %s has a malformed OCSP answer in the registry", serial);
			rc = -1;
		} else {
			memcpy(buf, p, (size_t)n);
			*len = (size_t)n;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

static void ocsp_cert_of(sqlite3_stmt *st, cw_ocsp_cert_t *c)
{
	memset(c, 0, sizeof(*c));
	(void)cw_sql_column_text(st, 0, c->serial, sizeof(c->serial));
	(void)cw_sql_column_text(st, 1, c->member, sizeof(c->member));
	c->not_after = sqlite3_column_int64(st, 2);
	c->has_answer = sqlite3_column_type(st, 3) != SQLITE_NULL;
	c->produced_at = sqlite3_column_int64(st, 3);
}

int cw_registry_ocsp_certs(cw_registry_t *reg, int64_t now, int (*fn)(void *arg, const cw_ocsp_cert_t *c),
			   void *arg, cw_err_t *err)
{
	static const char doing[] = "listing certificates for their OCSP answers";
	sqlite3_stmt *st;
	int step, rc = 0;

	if (cw_registry_prepare(reg, sql_certs, &st, doing, err) < 0) return -1;
	step = cw_sql_bind_int64(st, 1, now, SQLITE_OK);
	while ((step = cw_registry_step_row(reg, st, step, doing, err)) == 1) {
		cw_ocsp_cert_t c;

		ocsp_cert_of(st, &c);
		if ((rc = fn(arg, &c)) != 0) break;
		step = SQLITE_OK;
	}
	if (rc == 0 && step < 0) rc = -1;
	sqlite3_finalize(st);
	return rc;
}

int cw_registry_ocsp_missing(cw_registry_t *reg, int64_t now, int64_t *count, cw_err_t *err)
{
	static const char doing[] = "counting certificates without an OCSP answer";
	sqlite3_stmt *st;
	int rc;

	*count = 0;
	if (cw_registry_prepare(reg, sql_missing, &st, doing, err) < 0) return -1;
	rc = cw_registry_step_row(reg, st, cw_sql_bind_int64(st, 1, now, SQLITE_OK), doing, err);
	if (rc == 1) *count = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == 1 ? 0 : -1;
}
