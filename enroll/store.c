/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * store.c - one-time downloads.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "rand.h"
#include "store.h"

typedef enum { PLACE_FREE, PLACE_RESERVED, PLACE_FULL } place_state_t;

typedef struct bundle {
	place_state_t	state;
	char		id[STORE_ID_LEN + 1];
	int64_t		expires;
	store_file_t	files[STORE_MAX_FILES];
	bool		taken[STORE_MAX_FILES];
	unsigned	nfiles;
} bundle_t;

struct store {
	pthread_mutex_t	lock;
	bundle_t	b[STORE_MAX_BUNDLES];
};

static const char b64url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void store_file_clear(store_file_t *f)
{
	if (f->data) {
		cw_wipe(f->data, f->len);
		free(f->data);
	}
	f->data = NULL;
	f->len = 0;
}

/* Wipe a bundle and make its place free. Caller holds the lock. */
static void bundle_clear(bundle_t *b)
{
	for (unsigned i = 0; i < b->nfiles; i++) store_file_clear(&b->files[i]);
	cw_wipe(b, sizeof(*b));
	b->state = PLACE_FREE;
}

store_t *store_new(void)
{
	store_t *s = calloc(1, sizeof(*s));

	if (s && pthread_mutex_init(&s->lock, NULL) != 0) {
		free(s);
		s = NULL;
	}
	return s;
}

void store_free(store_t *s)
{
	if (!s) return;
	for (int i = 0; i < STORE_MAX_BUNDLES; i++) bundle_clear(&s->b[i]);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

int store_reserve(store_t *s, int64_t now)
{
	int place = -1;

	pthread_mutex_lock(&s->lock);
	for (int i = 0; i < STORE_MAX_BUNDLES; i++) {
		if (s->b[i].state == PLACE_FULL && s->b[i].expires <= now) bundle_clear(&s->b[i]);
		if (place < 0 && s->b[i].state == PLACE_FREE) place = i;
	}
	if (place >= 0) s->b[place].state = PLACE_RESERVED;
	pthread_mutex_unlock(&s->lock);
	return place;
}

void store_cancel(store_t *s, int place)
{
	if (place < 0 || place >= STORE_MAX_BUNDLES) return;
	pthread_mutex_lock(&s->lock);
	if (s->b[place].state == PLACE_RESERVED) bundle_clear(&s->b[place]);
	pthread_mutex_unlock(&s->lock);
}

/* 16 random bytes as 22 base64url characters (the last holds 2 bits). 0, or -1 with err. */
static int new_id(char id[STORE_ID_LEN + 1], cw_err_t *err)
{
	uint8_t r[16];
	uint32_t acc = 0;
	int bits = 0;
	size_t o = 0;

	if (cw_random_bytes(r, sizeof(r), err) < 0) return -1;
	for (size_t i = 0; i < sizeof(r); i++) {
		acc = acc << 8 | r[i];
		for (bits += 8; bits >= 6; bits -= 6) id[o++] = b64url[(acc >> (bits - 6)) & 0x3f];
	}
	id[o++] = b64url[(acc << (6 - bits)) & 0x3f];
	id[o] = '\0';
	cw_wipe(r, sizeof(r));
	return 0;
}

int store_fill(store_t *s, int place, store_file_t *files, unsigned nfiles, int64_t now,
	       char id[STORE_ID_LEN + 1], cw_err_t *err)
{
	bundle_t *b;

	if (place < 0 || place >= STORE_MAX_BUNDLES || nfiles == 0 || nfiles > STORE_MAX_FILES) {
		cw_err_set(err, "store: bad place or number of files");
		goto fail;
	}
	if (new_id(id, err) < 0) goto fail;
	pthread_mutex_lock(&s->lock);
	b = &s->b[place];
	b->state = PLACE_FULL;
	memcpy(b->id, id, STORE_ID_LEN + 1);
	b->expires = now + STORE_TTL;
	b->nfiles = nfiles;
	for (unsigned i = 0; i < nfiles; i++) {
		b->files[i] = files[i];
		b->taken[i] = false;
		files[i].data = NULL;
	}
	pthread_mutex_unlock(&s->lock);
	return 0;
fail:
	for (unsigned i = 0; i < nfiles && i < STORE_MAX_FILES; i++) store_file_clear(&files[i]);
	store_cancel(s, place);
	return -1;
}

/* The file's index in the bundle, or -1. */
static int file_index(const bundle_t *b, const char *name)
{
	for (unsigned i = 0; i < b->nfiles; i++)
		if (strcmp(b->files[i].name, name) == 0) return (int)i;
	return -1;
}

/* Take file i of b into out (a copy). Caller holds the lock. */
static bool copy_out(const bundle_t *b, int i, store_file_t *out)
{
	*out = b->files[i];
	if (!(out->data = malloc(b->files[i].len ? b->files[i].len : 1))) return false;
	memcpy(out->data, b->files[i].data, b->files[i].len);
	return true;
}

bool store_take(store_t *s, const char *id, const char *name, bool consume, int64_t now, store_file_t *out)
{
	bool found = false;

	memset(out, 0, sizeof(*out));
	if (strlen(id) != STORE_ID_LEN) return false;
	pthread_mutex_lock(&s->lock);
	for (int i = 0; i < STORE_MAX_BUNDLES && !found; i++) {
		bundle_t *b = &s->b[i];
		int f;
		bool left = false;

		if (b->state != PLACE_FULL || CRYPTO_memcmp(b->id, id, STORE_ID_LEN) != 0) continue;
		if (b->expires <= now) {
			bundle_clear(b);
			break;
		}
		if ((f = file_index(b, name)) < 0 || b->taken[f] || !copy_out(b, f, out)) break;
		found = true;
		if (!consume) break;
		b->taken[f] = true;
		store_file_clear(&b->files[f]);
		for (unsigned k = 0; k < b->nfiles; k++) left |= !b->taken[k];
		if (!left) bundle_clear(b);
	}
	pthread_mutex_unlock(&s->lock);
	return found;
}
