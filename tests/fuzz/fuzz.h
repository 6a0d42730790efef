/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz.h - what the libFuzzer harnesses share: cutting the fuzzer's input
 * into fields, each in its own heap block of exactly its length, so that
 * AddressSanitizer catches a read one byte past any of them; and a check
 * that aborts (a finding) with a message.
 */
#ifndef COWORK_FUZZ_H
#define COWORK_FUZZ_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FZ_MAX_BLOCKS 16

typedef struct fz {
	const uint8_t	*p;
	size_t		 n;
	void		*blocks[FZ_MAX_BLOCKS];
	size_t		 nblocks;
} fz_t;

/* A finding: print what broke and abort, so that libFuzzer keeps the input. */
#define FZ_CHECK(cond, ...) do {						\
	if (!(cond)) {								\
		fprintf(stderr, "fuzz check failed at %s:%d: %s: ", __FILE__,	\
			__LINE__, #cond);					\
		fprintf(stderr, __VA_ARGS__);					\
		fputc('\n', stderr);						\
		abort();							\
	}									\
} while (0)

static inline void fz_init(fz_t *f, const uint8_t *data, size_t size)
{
	f->p = data;
	f->n = size;
	f->nblocks = 0;
}

static inline uint8_t fz_u8(fz_t *f)
{
	uint8_t v = 0;

	if (f->n > 0) {
		v = *f->p++;
		f->n--;
	}
	return v;
}

static inline uint32_t fz_u32(fz_t *f)
{
	uint32_t v = 0;

	for (int i = 0; i < 4; i++) v = v << 8 | fz_u8(f);
	return v;
}

static inline int64_t fz_i64(fz_t *f)
{
	uint64_t v = (uint64_t)fz_u32(f) << 32 | fz_u32(f);

	return (int64_t)v;
}

static inline void *fz_keep(fz_t *f, void *block)
{
	if (!block) abort();
	if (f->nblocks == FZ_MAX_BLOCKS) abort();
	f->blocks[f->nblocks++] = block;
	return block;
}

/*
 * A field: a length byte, then that many bytes (fewer at the end of the
 * input), copied to a block of exactly that size (not terminated). NULL
 * (absent) when the length byte is 255.
 */
static inline const char *fz_field(fz_t *f, size_t *len)
{
	uint8_t want = fz_u8(f);
	size_t n = want < f->n ? want : f->n;
	char *out;

	*len = 0;
	if (want == 255) return NULL;
	out = fz_keep(f, malloc(n ? n : 1));
	memcpy(out, f->p, n);
	f->p += n;
	f->n -= n;
	*len = n;
	return out;
}

/* The same as a C string (NUL-terminated, cut at an inner NUL); never NULL. */
static inline const char *fz_cstr(fz_t *f)
{
	size_t len;
	const char *field = fz_field(f, &len);
	char *out = fz_keep(f, malloc(len + 1));

	if (field) memcpy(out, field, len);
	out[field ? len : 0] = '\0';
	return out;
}

/* The rest of the input as a C string. */
static inline const char *fz_rest_cstr(fz_t *f)
{
	char *out = fz_keep(f, malloc(f->n + 1));

	memcpy(out, f->p, f->n);
	out[f->n] = '\0';
	f->p += f->n;
	f->n = 0;
	return out;
}

static inline void fz_free(fz_t *f)
{
	while (f->nblocks > 0) free(f->blocks[--f->nblocks]);
}

/* s is NUL-terminated within size bytes. */
#define FZ_TERMINATED(s) (memchr((s), '\0', sizeof(s)) != NULL)

#endif
