/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * site.c - sites and the guest passphrases they offer.
 */
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "admin_internal.h"
#include "names.h"
#include "registry_write.h"
#include "site.h"
#include "sqlutil.h"

int cw_admin_sites_defined(cw_registry_t *reg, cw_err_t *err)
{
	char any[8];
	int rc = cw_admin_lookup(reg, err, any, sizeof(any), "looking for sites", "SELECT EXISTS (SELECT 1 FROM site)", "");

	if (rc <= 0) return rc < 0 ? -1 : 0;
	return strcmp(any, "1") == 0;
}

int cw_admin_site_check(cw_registry_t *reg, const char *name, cw_err_t *err)
{
	char found[CW_SITE_NAME_MAX + 1];
	int rc = cw_admin_lookup(reg, err, found, sizeof(found), "looking up the site", "SELECT name FROM site WHERE name = ?1",
				 "t", name);

	if (rc == 0) cw_err_set(err, "unknown site \"%.64s\" (see coworkctl site list)", name);
	return rc == 1 ? 0 : -1;
}

struct site_add {
	const char	*name;
	int64_t		now;
	int		before;
};

static int site_add_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct site_add *a = arg;
	char n[24];
	int rc = cw_admin_lookup(reg, err, n, sizeof(n), "counting sites", "SELECT count(*) FROM site", "");

	if (rc <= 0) return -1;
	a->before = (int)strtol(n, NULL, 10);
	rc = cw_admin_lookup(reg, err, n, sizeof(n), "looking up the site", "SELECT 1 FROM site WHERE name = ?1", "t",
			     a->name);
	if (rc < 0) return -1;
	if (rc == 1) {
		cw_err_set(err, "site %s already exists", a->name);
		return -1;
	}
	return cw_admin_exec(reg, err, "adding the site", "INSERT INTO site (name, created_at) VALUES (?1, ?2)", "ti",
			     a->name, a->now) < 0 ? -1 : 0;
}

int cw_site_add(cw_registry_t *reg, const char *name, int64_t now, cw_err_t *err)
{
	struct site_add a = { name, now, 0 };

	if (cw_name_check_id(name, "site name", err) < 0) return -1;
	if (cw_admin_in_txn(reg, err, site_add_txn, &a) < 0) return -1;
	return a.before;
}

struct site_remove {
	const char	*name;
	int64_t		n_psk;
};

static int site_remove_txn(cw_registry_t *reg, void *arg, cw_err_t *err)
{
	struct site_remove *a = arg;
	char nas[CW_NAS_NAME_MAX + 1];
	int rc;

	if (cw_admin_site_check(reg, a->name, err) < 0) return -1;
	rc = cw_admin_lookup(reg, err, nas, sizeof(nas), "looking for the site's NAS",
			     "SELECT name FROM nas WHERE site = ?1 ORDER BY name LIMIT 1", "t", a->name);
	if (rc < 0) return -1;
	if (rc == 1) {
		cw_err_set(err, "site %s still has NAS %s (move it with `coworkctl nas set %s --site OTHER` or remove it"
			   " first)", a->name, nas, nas);
		return -1;
	}
	rc = cw_admin_exec(reg, err, "deleting the site's guest passphrases", "DELETE FROM guest_psk WHERE site = ?1",
			   "t", a->name);
	if (rc < 0) return -1;
	a->n_psk = rc;
	return cw_admin_exec(reg, err, "removing the site", "DELETE FROM site WHERE name = ?1", "t", a->name) < 0 ? -1 : 0;
}

int cw_site_remove(cw_registry_t *reg, const char *name, int64_t *n_psk, cw_err_t *err)
{
	struct site_remove a = { name, 0 };

	*n_psk = 0;
	if (cw_admin_in_txn(reg, err, site_remove_txn, &a) < 0) return -1;
	*n_psk = a.n_psk;
	return 0;
}

static const char sql_site_list[] =
	"SELECT s.name, s.created_at, (SELECT count(*) FROM nas n WHERE n.site = s.name),"
	" coalesce((SELECT group_concat(ssid, ',') FROM (SELECT DISTINCT ssid FROM guest_psk p WHERE p.site = s.name"
	" ORDER BY ssid)), '')"
	" FROM site s ORDER BY s.name";

int cw_site_list(cw_registry_t *reg, int (*fn)(void *arg, const cw_site_t *site), void *arg, cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc = cw_admin_query(reg, err, &st, "listing sites", sql_site_list, "");

	while (rc == 1) {
		cw_site_t s;

		memset(&s, 0, sizeof(s));
		(void)cw_sql_column_text(st, 0, s.name, sizeof(s.name));
		s.created_at = sqlite3_column_int64(st, 1);
		s.n_nas = sqlite3_column_int64(st, 2);
		if (cw_sql_column_text(st, 3, s.ssids, sizeof(s.ssids)) < 0) {
			(void)cw_snprintf(s.ssids, sizeof(s.ssids), "%.*s...", (int)sizeof(s.ssids) - 4,
					  (const char *)sqlite3_column_text(st, 3));
		}
		rc = fn(arg, &s);
		if (rc != 0) break;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "listing sites", err);
	}
	sqlite3_finalize(st);
	return rc;
}

static const char sql_offers_siteless[] =
	"SELECT NULL, name FROM ssid WHERE class = 'guest' ORDER BY name";

static const char sql_offers_sites[] =
	"SELECT DISTINCT p.site, p.ssid FROM guest_psk p JOIN ssid s ON s.name = p.ssid"
	" WHERE p.site IS NOT NULL AND s.class = 'guest' ORDER BY p.site, p.ssid";

int cw_admin_guest_offers(cw_registry_t *reg, int (*fn)(void *arg, const char *site, const char *ssid), void *arg,
			  cw_err_t *err)
{
	sqlite3_stmt *st;
	int any = cw_admin_sites_defined(reg, err);
	int rc;

	if (any < 0) return -1;
	rc = cw_admin_query(reg, err, &st, "listing guest SSIDs", any ? sql_offers_sites : sql_offers_siteless, "");
	while (rc == 1) {
		rc = fn(arg, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1));
		if (rc != 0) break;
		rc = cw_registry_step_row(reg, st, SQLITE_OK, "listing guest SSIDs", err);
	}
	sqlite3_finalize(st);
	return rc;
}
