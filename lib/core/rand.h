/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rand.h - random bytes and passwords from the kernel's CSPRNG.
 */
#ifndef COWORK_RAND_H
#define COWORK_RAND_H

#include <stddef.h>
#include <stdint.h>

#include "cowork.h"

/*
 * Characters for passwords people read aloud or type from paper: lowercase
 * letters and digits without 0/o, 1/l/i. 31 symbols, about 4.95 bits each.
 */
#define CW_PASSWORD_ALPHABET "23456789abcdefghjkmnpqrstuvwxyz"

/* Fill buf with len bytes from getrandom(2). 0, or -1 with err. */
int cw_random_bytes(void *buf, size_t len, cw_err_t *err);

/*
 * Write a password of `groups` groups of `group_len` characters from
 * CW_PASSWORD_ALPHABET, joined by '-', e.g. "k7m2x-9qhfd-3wz8c" (each
 * character drawn without modulo bias). out must hold
 * groups * (group_len + 1) bytes. Returns 0, or -1 with err (buffer too
 * small, zero groups or group length, or no randomness).
 */
int cw_password_generate(char *out, size_t outlen, unsigned groups, unsigned group_len, cw_err_t *err);

#endif
