/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devhash.h - devices in the access log as a keyed hash of their MAC.
 *
 * The access log never holds a MAC address: only HMAC-SHA-256(key, the 6
 * bytes of the MAC), under a random 32-byte key that `coworkctl init`
 * creates (STATE/device.key). Without the key the hash cannot be linked
 * to a device; with it, `coworkctl log find --mac` finds a device's rows.
 */
#ifndef COWORK_DEVHASH_H
#define COWORK_DEVHASH_H

#include <stddef.h>
#include <stdint.h>

#include "cowork.h"
#include "mac.h"

#define CW_DEVICE_KEY_LEN	32
#define CW_DEVICE_HASH_LEN	32
/* Size of a hash in lowercase hex, with the NUL. */
#define CW_DEVICE_HASH_HEX	(2 * CW_DEVICE_HASH_LEN + 1)

/* HMAC-SHA-256(key, mac->b[0..6)) into out. 0, or -1 (library failure). */
int cw_device_hash(const uint8_t key[CW_DEVICE_KEY_LEN], const cw_mac_t *mac, uint8_t out[CW_DEVICE_HASH_LEN]);

/*
 * The same hash with the key set up once, for radiusd's hot path: new
 * makes a keyed HMAC-SHA-256 template (the caller wipes its copy of the
 * key); hash may be called from several threads at once. new: 0 or -1
 * with err; hash: 0 or -1; free accepts NULL and wipes the template.
 */
typedef struct cw_device_hasher cw_device_hasher_t;
int cw_device_hasher_new(const uint8_t key[CW_DEVICE_KEY_LEN], cw_device_hasher_t **out, cw_err_t *err);
int cw_device_hasher_hash(const cw_device_hasher_t *h, const cw_mac_t *mac, uint8_t out[CW_DEVICE_HASH_LEN]);
void cw_device_hasher_free(cw_device_hasher_t *h);

/* The hash of a MAC written in any form cw_mac_parse accepts. 0, or -1 with err for a malformed MAC. */
int cw_device_hash_text(const uint8_t key[CW_DEVICE_KEY_LEN], const char *mac_text, size_t len,
			uint8_t out[CW_DEVICE_HASH_LEN], cw_err_t *err);

/* Lowercase hex of a hash. */
void cw_device_hash_hex(const uint8_t hash[CW_DEVICE_HASH_LEN], char out[CW_DEVICE_HASH_HEX]);

/*
 * Load the key: a regular file (not a link) of exactly CW_DEVICE_KEY_LEN
 * bytes, not writable by group or others, not readable by others. 0, or
 * -1 with err naming the file and the problem. The caller wipes the key.
 */
int cw_device_key_load(const char *path, uint8_t key[CW_DEVICE_KEY_LEN], cw_err_t *err);

#endif
