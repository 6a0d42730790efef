/*
 * registry_ocsp.c - the pre-signed OCSP answers in the registry.
 */
#include <string.h>

#include <sqlite3.h>

#include "registry_ocsp.h"

static const char sql_get[] = "SELECT response FROM cert_ocsp WHERE serial = ?1";

static const char sql_certs[] =
	"SELECT c.serial, m.name, c.not_after, o.produced_at"
	" FROM cert c JOIN member m ON m.id = c.member_id LEFT JOIN cert_ocsp o ON o.serial = c.serial"
	" WHERE c.revoked_at IS NULL AND c.not_after >= ?1 ORDER BY c.issued_at, c.serial";

static const char sql_missing[] =
	"SELECT count(*) FROM cert c"
	" WHERE c.revoked_at IS NULL AND c.not_after >= ?1"
	" AND NOT EXISTS (SELECT 1 FROM cert_ocsp o WHERE o.serial = c.serial)";

/* Prepare a statement on the registry's connection; NULL with err. */
static sqlite3_stmt *prepare(cw_registry_t *reg, const char *sql, const char *doing, cw_err_t *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(cw_registry_db(reg), sql, -1, &st, NULL) != SQLITE_OK) {
		cw_registry_err(reg, err, doing);
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

int cw_registry_ocsp_get(cw_registry_t *reg, const char *serial, uint8_t *buf, size_t cap, size_t *len,
			 cw_err_t *err)
{
	static const char doing[] = "reading a certificate's OCSP answer";
	sqlite3_stmt *st = prepare(reg, sql_get, doing, err);
	int rc = -1, step;

	*len = 0;
	if (!st) return -1;
	if (sqlite3_bind_text(st, 1, serial, -1, SQLITE_STATIC) != SQLITE_OK) goto sql_error;
	step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = 0;
	} else if (step == SQLITE_ROW) {
		int n = sqlite3_column_bytes(st, 0);
		const void *p = sqlite3_column_blob(st, 0);

		if (n <= 0 || !p || (size_t)n > cap) {
			cw_err_set(err, "certificate %s has a malformed OCSP answer in the registry", serial);
		} else {
			memcpy(buf, p, (size_t)n);
			*len = (size_t)n;
			rc = 1;
		}
	} else {
		goto sql_error;
	}
	sqlite3_finalize(st);
	return rc;

sql_error:
	cw_registry_err(reg, err, doing);
	sqlite3_finalize(st);
	return -1;
}

static void ocsp_cert_of(sqlite3_stmt *st, cw_ocsp_cert_t *c)
{
	const unsigned char *serial = sqlite3_column_text(st, 0);
	const unsigned char *member = sqlite3_column_text(st, 1);

	memset(c, 0, sizeof(*c));
	(void)cw_snprintf(c->serial, sizeof(c->serial), "%s", serial ? (const char *)serial : "");
	(void)cw_snprintf(c->member, sizeof(c->member), "%s", member ? (const char *)member : "");
	c->not_after = sqlite3_column_int64(st, 2);
	c->has_answer = sqlite3_column_type(st, 3) != SQLITE_NULL;
	c->produced_at = sqlite3_column_int64(st, 3);
}

int cw_registry_ocsp_certs(cw_registry_t *reg, int64_t now, int (*fn)(void *arg, const cw_ocsp_cert_t *c),
			   void *arg, cw_err_t *err)
{
	static const char doing[] = "listing certificates for their OCSP answers";
	sqlite3_stmt *st = prepare(reg, sql_certs, doing, err);
	int step, rc = 0;

	if (!st) return -1;
	if (sqlite3_bind_int64(st, 1, now) != SQLITE_OK) {
		step = SQLITE_ERROR;
	} else {
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			cw_ocsp_cert_t c;

			ocsp_cert_of(st, &c);
			if ((rc = fn(arg, &c)) != 0) break;
		}
	}
	if (rc == 0 && step != SQLITE_DONE) {
		cw_registry_err(reg, err, doing);
		rc = -1;
	}
	sqlite3_finalize(st);
	return rc;
}

int cw_registry_ocsp_missing(cw_registry_t *reg, int64_t now, int64_t *count, cw_err_t *err)
{
	static const char doing[] = "counting certificates without an OCSP answer";
	sqlite3_stmt *st = prepare(reg, sql_missing, doing, err);
	int rc = -1;

	*count = 0;
	if (!st) return -1;
	if (sqlite3_bind_int64(st, 1, now) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		*count = sqlite3_column_int64(st, 0);
		rc = 0;
	} else {
		cw_registry_err(reg, err, doing);
	}
	sqlite3_finalize(st);
	return rc;
}
