/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * store.h - one-time downloads, in memory only.
 *
 * Windows and Linux need several files and the PKCS#12 password, which a
 * single download cannot carry: the answer to the enroll POST is a page
 * that shows the password (once: the page itself is no-store) and links to
 * the files under /d/<id>/<name>. The id is 128 random bits, lives
 * STORE_TTL seconds at most, and each file can be taken once; the bundle
 * is wiped when its last file is taken or when it expires. Nothing is
 * written to disk, and the password is never part of a URL.
 *
 * A place is reserved BEFORE the broker's COLLECT, so that a full store
 * refuses a request before a device is spent, never after.
 *
 * Thread-safe (one mutex): the HTTP server's threads share one store.
 */
#ifndef ENROLL_STORE_H
#define ENROLL_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cowork.h"

#define STORE_MAX_BUNDLES	32
#define STORE_MAX_FILES		4
#define STORE_TTL		600	//!< seconds a bundle lives
#define STORE_ID_LEN		22	//!< base64url of 16 random bytes
#define STORE_NAME_MAX		95

typedef struct store_file {
	char		name[STORE_NAME_MAX + 1];	//!< "alice.p12": the last part of its URL
	const char	*content_type;			//!< a static string
	char		*data;				//!< malloc'd; wiped when freed
	size_t		len;
} store_file_t;

typedef struct store store_t;

/* A new, empty store, or NULL (out of memory). */
store_t *store_new(void);

/* Wipe every bundle and free the store. Accepts NULL. */
void store_free(store_t *s);

/* Reserve a place for one bundle (expired bundles are dropped first). Its index, or -1 when full. */
int store_reserve(store_t *s, int64_t now);

/* Give a reserved place back unused. */
void store_cancel(store_t *s, int place);

/*
 * Fill a reserved place with nfiles files (their data is taken over: the
 * store frees it, also on failure) and return its id. 0, or -1 with err
 * (the place is given back then).
 */
int store_fill(store_t *s, int place, store_file_t *files, unsigned nfiles, int64_t now,
	       char id[STORE_ID_LEN + 1], cw_err_t *err);

/*
 * The file name of bundle id: a copy into *out (data malloc'd: free with
 * store_file_clear). consume marks it taken (GET); HEAD leaves it. true
 * when found (not expired, not taken), false otherwise.
 */
bool store_take(store_t *s, const char *id, const char *name, bool consume, int64_t now, store_file_t *out);

/* Wipe and free a file's data. */
void store_file_clear(store_file_t *f);

#endif
