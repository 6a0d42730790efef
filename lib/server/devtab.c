/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devtab.c - the devices of each member certificate, in memory and in the
 * access log.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "devtab.h"
#include "sqlutil.h"

typedef struct devtab_device {
	uint8_t		hash[CW_DEVICE_HASH_LEN];
	cw_devstate_t	state;
} devtab_device_t;

/* One certificate's devices, chained in its bucket. */
typedef struct devtab_cert {
	struct devtab_cert	*next;
	char			serial[CW_SERIAL_HEX_MAX + 1];
	unsigned		n;
	bool			bound;		//!< one of devices[] is CW_DEVSTATE_BOUND
	devtab_device_t		devices[CW_DEVTAB_PER_CERT];
} devtab_cert_t;

struct cw_devtab {
	pthread_mutex_t	lock;
	devtab_cert_t	**buckets;
	size_t		nbuckets;	//!< a power of two
	size_t		ncerts;
	bool		loaded;
};

#define INITIAL_BUCKETS 1024

/* FNV-1a of the serial. */
static size_t serial_hash(const char *s)
{
	uint64_t h = 14695981039346656037ULL;

	for (; *s; s++) h = (h ^ (uint8_t)*s) * 1099511628211ULL;
	return (size_t)h;
}

int cw_devtab_new(cw_devtab_t **out)
{
	cw_devtab_t *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (!t) return -1;
	t->buckets = calloc(INITIAL_BUCKETS, sizeof(*t->buckets));
	if (!t->buckets || pthread_mutex_init(&t->lock, NULL) != 0) {
		free(t->buckets);
		free(t);
		return -1;
	}
	t->nbuckets = INITIAL_BUCKETS;
	*out = t;
	return 0;
}

static void clear(cw_devtab_t *t)
{
	for (size_t i = 0; i < t->nbuckets; i++) {
		devtab_cert_t *c = t->buckets[i];

		while (c) {
			devtab_cert_t *next = c->next;

			free(c);
			c = next;
		}
		t->buckets[i] = NULL;
	}
	t->ncerts = 0;
}

void cw_devtab_free(cw_devtab_t *t)
{
	if (!t) return;
	clear(t);
	free(t->buckets);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

/* With the lock held. */
static devtab_cert_t *find_cert(cw_devtab_t *t, const char *serial)
{
	devtab_cert_t *c = t->buckets[serial_hash(serial) & (t->nbuckets - 1)];

	while (c && strcmp(c->serial, serial) != 0) c = c->next;
	return c;
}

/* With the lock held: double the buckets when certificates outnumber them (a failure keeps the old size). */
static void grow(cw_devtab_t *t)
{
	size_t n = t->nbuckets * 2;
	devtab_cert_t **b;

	if (t->ncerts < t->nbuckets) return;
	b = calloc(n, sizeof(*b));
	if (!b) return;
	for (size_t i = 0; i < t->nbuckets; i++) {
		devtab_cert_t *c = t->buckets[i];

		while (c) {
			devtab_cert_t *next = c->next;
			size_t j = serial_hash(c->serial) & (n - 1);

			c->next = b[j];
			b[j] = c;
			c = next;
		}
	}
	free(t->buckets);
	t->buckets = b;
	t->nbuckets = n;
}

/* With the lock held: the certificate's entry, created when missing. NULL when out of memory. */
static devtab_cert_t *get_cert(cw_devtab_t *t, const char *serial)
{
	devtab_cert_t *c = find_cert(t, serial);
	size_t i;

	if (c) return c;
	if (strlen(serial) > CW_SERIAL_HEX_MAX) return NULL;
	c = calloc(1, sizeof(*c));
	if (!c) return NULL;
	strcpy(c->serial, serial);
	grow(t);
	i = serial_hash(serial) & (t->nbuckets - 1);
	c->next = t->buckets[i];
	t->buckets[i] = c;
	t->ncerts++;
	return c;
}

static devtab_device_t *find_device(devtab_cert_t *c, const uint8_t device[CW_DEVICE_HASH_LEN])
{
	for (unsigned i = 0; c && i < c->n; i++) {
		if (memcmp(c->devices[i].hash, device, CW_DEVICE_HASH_LEN) == 0) return &c->devices[i];
	}
	return NULL;
}

/*
 * With the lock held: set (serial, device) to state. 1 when it changed, 0
 * when it was so already, -1 when the certificate is full or memory is out.
 */
static int set_state(cw_devtab_t *t, const char *serial, const uint8_t device[CW_DEVICE_HASH_LEN], cw_devstate_t state)
{
	devtab_cert_t *c = get_cert(t, serial);
	devtab_device_t *d;

	if (!c) return -1;
	d = find_device(c, device);
	if (!d) {
		if (c->n == CW_DEVTAB_PER_CERT) return -1;
		d = &c->devices[c->n++];
		memcpy(d->hash, device, CW_DEVICE_HASH_LEN);
		d->state = CW_DEVSTATE_UNSEEN;
	}
	if (d->state == state) return 0;
	/* A bound device stays bound: it is the certificate's own. */
	if (d->state == CW_DEVSTATE_BOUND) return 0;
	d->state = state;
	if (state == CW_DEVSTATE_BOUND) c->bound = true;
	return 1;
}

bool cw_devtab_loaded(cw_devtab_t *t)
{
	bool loaded;

	pthread_mutex_lock(&t->lock);
	loaded = t->loaded;
	pthread_mutex_unlock(&t->lock);
	return loaded;
}

void cw_devtab_lookup(cw_devtab_t *t, const char *serial, const uint8_t device[CW_DEVICE_HASH_LEN],
		      cw_devstate_t *state, bool *cert_bound)
{
	devtab_cert_t *c;
	devtab_device_t *d;

	pthread_mutex_lock(&t->lock);
	c = find_cert(t, serial);
	d = find_device(c, device);
	*state = d ? d->state : CW_DEVSTATE_UNSEEN;
	*cert_bound = c && c->bound;
	pthread_mutex_unlock(&t->lock);
}

cw_device_verdict_t cw_devtab_settle(cw_devtab_t *t, cw_binding_t policy, const char *serial,
				     const uint8_t device[CW_DEVICE_HASH_LEN], bool has_device, bool approved,
				     cw_devstate_t *state, bool *changed)
{
	cw_device_verdict_t v;
	devtab_cert_t *c;
	devtab_device_t *d;
	cw_devstate_t next;

	*changed = false;
	pthread_mutex_lock(&t->lock);
	c = has_device ? find_cert(t, serial) : NULL;
	d = find_device(c, device);
	*state = d ? d->state : CW_DEVSTATE_UNSEEN;
	v = cw_device_judge(policy, has_device, *state, c && c->bound, approved);
	next = cw_device_next_state(v, *state);
	if (next != CW_DEVSTATE_UNSEEN && next != *state && set_state(t, serial, device, next) == 1) {
		*state = next;
		*changed = true;
	}
	pthread_mutex_unlock(&t->lock);
	return v;
}

/* --- the access log's device table ----------------------------------------------- */

int cw_devtab_load(cw_devtab_t *t, cw_accesslog_t *log, cw_err_t *err)
{
	static const char doing[] = "loading the devices of member certificates from the access log";
	sqlite3_stmt *st;
	int rc;

	if (cw_sql_prepare(cw_accesslog_db(log), "SELECT serial, device, state FROM device ORDER BY serial, first_ms",
			   &st, doing, err) < 0) return -1;
	pthread_mutex_lock(&t->lock);
	clear(t);
	rc = SQLITE_OK;
	while ((rc = cw_sql_step_row(st, rc, doing, err)) == 1) {
		char serial[CW_SERIAL_HEX_MAX + 2], state[16];
		uint8_t device[CW_DEVICE_HASH_LEN];
		cw_devstate_t s;

		rc = SQLITE_OK;
		if (cw_sql_column_text(st, 0, serial, sizeof(serial)) < 0 || strlen(serial) > CW_SERIAL_HEX_MAX ||
		    !cw_sql_column_blob(st, 1, device, sizeof(device)) ||
		    cw_sql_column_text(st, 2, state, sizeof(state)) < 0 || cw_devstate_parse(state, &s) < 0) continue;
		if (set_state(t, serial, device, s) < 0 && !find_cert(t, serial)) {
			cw_err_set(err, "%s: out of memory", doing);
			rc = -1;
			break;
		}
	}
	t->loaded = rc == 0;
	pthread_mutex_unlock(&t->lock);
	sqlite3_finalize(st);
	return rc == 0 ? 0 : -1;
}

static const char sql_insert[] =
	"INSERT INTO device (serial, device, member, state, first_ms, last_ms, refusals, not_after_ms)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?6, ?7) ON CONFLICT (serial, device) DO NOTHING";
/* A bound device stays bound (the module never asks otherwise; a second server sharing nothing might). */
static const char sql_update[] =
	"UPDATE device SET state = CASE WHEN state = 'bound' THEN state ELSE ?3 END, last_ms = max(last_ms, ?4),"
	" refusals = refusals + ?5, not_after_ms = ?6 WHERE serial = ?1 AND device = ?2";

static int write_one(sqlite3_stmt *ins, sqlite3_stmt *upd, const cw_device_event_t *ev, bool *first)
{
	int refused = ev->state == CW_DEVSTATE_REFUSED, rc;
	const char *state = cw_devstate_name(ev->state);

	rc = cw_sql_bind_text(ins, 1, ev->serial, SQLITE_OK);
	rc = cw_sql_bind_blob(ins, 2, ev->device, CW_DEVICE_HASH_LEN, rc);
	rc = cw_sql_bind_text(ins, 3, ev->member, rc);
	rc = cw_sql_bind_text(ins, 4, state, rc);
	rc = cw_sql_bind_int64(ins, 5, ev->ts_ms, rc);
	rc = cw_sql_bind_int64(ins, 6, refused, rc);
	rc = cw_sql_bind_int64(ins, 7, ev->not_after_ms, rc);
	rc = cw_sql_step(ins, rc);
	sqlite3_reset(ins);
	if (rc != SQLITE_DONE) return -1;
	*first = sqlite3_changes(sqlite3_db_handle(ins)) == 1;
	if (*first) return 0;
	rc = cw_sql_bind_text(upd, 1, ev->serial, SQLITE_OK);
	rc = cw_sql_bind_blob(upd, 2, ev->device, CW_DEVICE_HASH_LEN, rc);
	rc = cw_sql_bind_text(upd, 3, state, rc);
	rc = cw_sql_bind_int64(upd, 4, ev->ts_ms, rc);
	rc = cw_sql_bind_int64(upd, 5, refused, rc);
	rc = cw_sql_bind_int64(upd, 6, ev->not_after_ms, rc);
	rc = cw_sql_step(upd, rc);
	sqlite3_reset(upd);
	return rc == SQLITE_DONE ? 0 : -1;
}

int cw_devlog_write(cw_accesslog_t *log, const cw_device_event_t *events, size_t n, bool *first, cw_err_t *err)
{
	static const char doing[] = "writing devices to the access log";
	sqlite3 *db = cw_accesslog_db(log);
	sqlite3_stmt *ins = NULL, *upd = NULL;
	int rc = -1;

	if (n == 0) return 0;
	if (cw_accesslog_in_place(log, err) < 0) return -1;
	if (cw_sql_prepare(db, sql_insert, &ins, doing, err) < 0 || cw_sql_prepare(db, sql_update, &upd, doing, err) < 0)
		goto done;
	if (cw_sql_exec(db, "BEGIN IMMEDIATE", "starting a device transaction", err) < 0) goto done;
	for (size_t i = 0; i < n; i++) {
		bool f = false;

		if (write_one(ins, upd, &events[i], &f) < 0) {
			cw_sql_err(db, err, doing);
			(void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			goto done;
		}
		if (first) first[i] = f;
	}
	if (cw_sql_exec(db, "COMMIT", "committing devices to the access log", err) < 0) {
		(void)sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		goto done;
	}
	rc = 0;
done:
	sqlite3_finalize(ins);
	sqlite3_finalize(upd);
	return rc;
}

int cw_devlog_purge(cw_accesslog_t *log, int64_t cutoff_ms, unsigned limit, size_t *deleted, cw_err_t *err)
{
	sqlite3_stmt *st;
	int rc, n;

	*deleted = 0;
	if (cw_sql_prepare(cw_accesslog_db(log), "DELETE FROM device WHERE (serial, device) IN (SELECT serial,"
			   " device FROM device WHERE not_after_ms < ?1 LIMIT ?2)", &st, "deleting devices past retention", err) < 0) {
		return -1;
	}
	rc = cw_sql_bind_int64(st, 1, cutoff_ms, SQLITE_OK);
	rc = cw_sql_bind_int64(st, 2, limit, rc);
	n = cw_sql_step_done(st, rc, "deleting devices past retention", err);
	if (n < 0) return -1;
	*deleted = (size_t)n;
	return 0;
}

int cw_devlog_list(cw_accesslog_t *log, const cw_device_filter_t *f,
		   int (*fn)(void *arg, const cw_device_row_t *row), void *arg, cw_err_t *err)
{
	static const char doing[] = "listing devices";
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	if (cw_sql_prepare(cw_accesslog_db(log),
			   "SELECT serial, member, device, state, first_ms, last_ms, refusals, not_after_ms FROM device"
			   " WHERE (?1 IS NULL OR member = ?1) AND (?2 IS NULL OR serial = ?2) AND first_ms >= ?3"
			   " ORDER BY first_ms, serial", &st, doing, err) < 0) return -1;
	rc = cw_sql_bind_text(st, 1, f->member, rc);
	rc = cw_sql_bind_text(st, 2, f->serial, rc);
	rc = cw_sql_bind_int64(st, 3, f->since_ms, rc);
	while ((rc = cw_sql_step_row(st, rc, doing, err)) == 1) {
		cw_device_row_t r;
		char state[16];

		memset(&r, 0, sizeof(r));
		(void)cw_sql_column_text(st, 0, r.serial, sizeof(r.serial));
		(void)cw_sql_column_text(st, 1, r.member, sizeof(r.member));
		(void)cw_sql_column_blob(st, 2, r.device, sizeof(r.device));
		(void)cw_sql_column_text(st, 3, state, sizeof(state));
		if (cw_devstate_parse(state, &r.state) < 0) r.state = CW_DEVSTATE_UNSEEN;
		r.first_ms = sqlite3_column_int64(st, 4);
		r.last_ms = sqlite3_column_int64(st, 5);
		r.refusals = sqlite3_column_int64(st, 6);
		r.not_after_ms = sqlite3_column_int64(st, 7);
		rc = fn(arg, &r);
		if (rc != 0) break;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

int cw_devlog_counts(cw_accesslog_t *log, int64_t since_ms, int64_t *new_devices, int64_t *refusals, cw_err_t *err)
{
	static const char doing[] = "counting devices";
	sqlite3_stmt *st;
	int rc;

	if (cw_sql_prepare(cw_accesslog_db(log), "SELECT (SELECT count(*) FROM device WHERE first_ms >= ?1),"
			   " (SELECT count(*) FROM access WHERE ts_ms >= ?1 AND reason = 'unknown-device')",
			   &st, doing, err) < 0) return -1;
	rc = cw_sql_step_row(st, cw_sql_bind_int64(st, 1, since_ms, SQLITE_OK), doing, err);
	if (rc == 1) {
		*new_devices = sqlite3_column_int64(st, 0);
		*refusals = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	return rc == 1 ? 0 : -1;
}
