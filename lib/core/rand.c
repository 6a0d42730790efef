/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rand.c - random bytes and passwords from the kernel's CSPRNG.
 */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <sys/random.h>

#include "rand.h"

#define ALPHABET_LEN (sizeof(CW_PASSWORD_ALPHABET) - 1)

/*
 * Bytes at or above this are discarded so that byte % ALPHABET_LEN is
 * uniform: 248 = 8 * 31 is the largest multiple of 31 not above 256.
 */
#define ACCEPT_BELOW (256 - 256 % ALPHABET_LEN)

/* Bytes fetched per getrandom call while drawing password characters. */
#define DRAW_BATCH 64

/*
 * Fill buf from getrandom(2), flags 0: blocks only until the kernel's pool
 * is first initialised, then never. Reads of up to 256 bytes are not
 * interrupted, but longer ones may come back short or with EINTR; both
 * are retried.
 */
int cw_random_bytes(void *buf, size_t len, cw_err_t *err)
{
	uint8_t *p = buf;
	size_t done = 0;

	assert(buf != NULL || len == 0);
	while (done < len) {
		ssize_t n = getrandom(p + done, len - done, 0);

		if (n < 0 && errno == EINTR) continue;
		if (n <= 0) {
			if (n == 0) errno = EIO;
			cw_err_set(err, "cannot read random bytes from the kernel: %m");
			cw_wipe(buf, len);
			return -1;
		}
		done += (size_t)n;
	}
	return 0;
}

/*
 * Draw one index into CW_PASSWORD_ALPHABET by rejection sampling from the
 * pool; refill it from the kernel when used up.
 */
static int draw_index(uint8_t pool[DRAW_BATCH], size_t *avail, size_t *idx, cw_err_t *err)
{
	for (;;) {
		uint8_t b;

		if (*avail == 0) {
			if (cw_random_bytes(pool, DRAW_BATCH, err) < 0) return -1;
			*avail = DRAW_BATCH;
		}
		b = pool[--*avail];
		if (b < ACCEPT_BELOW) {
			*idx = b % ALPHABET_LEN;
			return 0;
		}
	}
}

/* See rand.h. On failure out holds "" (when outlen > 0) and no partial password. */
int cw_password_generate(char *out, size_t outlen, unsigned groups, unsigned group_len, cw_err_t *err)
{
	uint8_t pool[DRAW_BATCH];
	size_t avail = 0, pos = 0, need;
	unsigned g, i;
	int rc = -1;

	if (out != NULL && outlen > 0) out[0] = '\0';
	if (groups == 0 || group_len == 0) {
		cw_err_set(err, "a password needs at least one group of at least one character");
		return -1;
	}
	if ((size_t)group_len + 1 > SIZE_MAX / groups) {
		cw_err_set(err, "password of %u groups of %u characters is too long", groups, group_len);
		return -1;
	}
	need = (size_t)groups * ((size_t)group_len + 1);
	if (out == NULL || outlen < need) {
		cw_err_set(err, "password buffer holds %zu bytes, %zu needed", out ? outlen : 0, need);
		return -1;
	}
	for (g = 0; g < groups; g++) {
		if (g > 0) out[pos++] = '-';
		for (i = 0; i < group_len; i++) {
			size_t idx;

			if (draw_index(pool, &avail, &idx, err) < 0) goto fail;
			out[pos++] = CW_PASSWORD_ALPHABET[idx];
		}
	}
	assert(pos == need - 1);
	out[pos] = '\0';
	rc = 0;
fail:
	if (rc < 0) {
		cw_wipe(out, pos);
		out[0] = '\0';
	}
	cw_wipe(pool, sizeof(pool));
	return rc;
}
