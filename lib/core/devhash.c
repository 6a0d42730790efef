/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * devhash.c - devices in the access log as a keyed hash of their MAC.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>

#include "devhash.h"

/*
 * HMAC-SHA-256 over the 6 bytes of the MAC. On failure out is zeroed, so
 * no caller can mistake a half-written buffer for a hash.
 */
int cw_device_hash(const uint8_t key[CW_DEVICE_KEY_LEN], const cw_mac_t *mac, uint8_t out[CW_DEVICE_HASH_LEN])
{
	unsigned int outlen = 0;

	assert(key != NULL && mac != NULL && out != NULL);
	if (HMAC(EVP_sha256(), key, CW_DEVICE_KEY_LEN, mac->b, sizeof(mac->b), out, &outlen) == NULL ||
	    outlen != CW_DEVICE_HASH_LEN) {
		memset(out, 0, CW_DEVICE_HASH_LEN);
		return -1;
	}
	return 0;
}

struct cw_device_hasher {
	EVP_MAC		*mac;
	EVP_MAC_CTX	*keyed;		//!< initialised with the key; duplicated per hash
};

void cw_device_hasher_free(cw_device_hasher_t *h)
{
	if (!h) return;
	EVP_MAC_CTX_free(h->keyed);	/* OpenSSL cleanses the key material */
	EVP_MAC_free(h->mac);
	free(h);
}

int cw_device_hasher_new(const uint8_t key[CW_DEVICE_KEY_LEN], cw_device_hasher_t **out, cw_err_t *err)
{
	char digest[] = "SHA256";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
		OSSL_PARAM_construct_end(),
	};
	cw_device_hasher_t *h = calloc(1, sizeof(*h));

	*out = NULL;
	if (!h || !(h->mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) || !(h->keyed = EVP_MAC_CTX_new(h->mac)) ||
	    !EVP_MAC_init(h->keyed, key, CW_DEVICE_KEY_LEN, params)) {
		cw_device_hasher_free(h);
		cw_err_set(err, "cannot set up HMAC-SHA-256");
		return -1;
	}
	*out = h;
	return 0;
}

int cw_device_hasher_hash(const cw_device_hasher_t *h, const cw_mac_t *mac, uint8_t out[CW_DEVICE_HASH_LEN])
{
	EVP_MAC_CTX *ctx = EVP_MAC_CTX_dup(h->keyed);
	size_t len = 0;
	int ok;

	ok = ctx && EVP_MAC_update(ctx, mac->b, sizeof(mac->b)) && EVP_MAC_final(ctx, out, &len, CW_DEVICE_HASH_LEN) &&
	     len == CW_DEVICE_HASH_LEN;
	EVP_MAC_CTX_free(ctx);
	if (!ok) memset(out, 0, CW_DEVICE_HASH_LEN);
	return ok ? 0 : -1;
}

/*
 * Parse mac_text[0..len) and hash it. The message never repeats the text:
 * a malformed Calling-Station-Id may still identify a device, and the
 * access log is where a device must not be identifiable.
 */
int cw_device_hash_text(const uint8_t key[CW_DEVICE_KEY_LEN], const char *mac_text, size_t len,
			uint8_t out[CW_DEVICE_HASH_LEN], cw_err_t *err)
{
	cw_mac_t mac;

	assert(out != NULL);
	if (cw_mac_parse(mac_text, len, &mac) != 0) {
		memset(out, 0, CW_DEVICE_HASH_LEN);
		cw_err_set(err, "not a MAC address (expected AA-BB-CC-DD-EE-FF, aa:bb:cc:dd:ee:ff, "
			   "aabb.ccdd.eeff or aabbccddeeff)");
		return -1;
	}
	if (cw_device_hash(key, &mac, out) != 0) {
		cw_err_set(err, "computing the device hash failed (HMAC-SHA-256 in libcrypto)");
		return -1;
	}
	return 0;
}

/* Lowercase hex, always terminated. */
void cw_device_hash_hex(const uint8_t hash[CW_DEVICE_HASH_LEN], char out[CW_DEVICE_HASH_HEX])
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	assert(hash != NULL && out != NULL);
	for (i = 0; i < CW_DEVICE_HASH_LEN; i++) {
		out[2 * i] = digits[hash[i] >> 4];
		out[2 * i + 1] = digits[hash[i] & 0x0f];
	}
	out[CW_DEVICE_HASH_HEX - 1] = '\0';
}

/*
 * Refuse a key file anyone but its owner (and its group, for reading) could
 * change or read: a regular file of exactly CW_DEVICE_KEY_LEN bytes, mode
 * without 022 and without 004. 0, or -1 with err naming path.
 */
static int key_file_check(const char *path, const struct stat *st, cw_err_t *err)
{
	unsigned int mode = (unsigned int)(st->st_mode & 07777);

	if (!S_ISREG(st->st_mode)) {
		cw_err_set(err, "device key %s is not a regular file", path);
		return -1;
	}
	if (mode & 022) {
		cw_err_set(err, "device key %s is writable by group or others (mode %03o): run chmod 640 %s",
			   path, mode, path);
		return -1;
	}
	if (mode & 004) {
		cw_err_set(err, "device key %s is readable by others (mode %03o): run chmod 640 %s",
			   path, mode, path);
		return -1;
	}
	if (st->st_size != CW_DEVICE_KEY_LEN) {
		cw_err_set(err, "device key %s must be exactly %d bytes (it has %lld)",
			   path, CW_DEVICE_KEY_LEN, (long long)st->st_size);
		return -1;
	}
	return 0;
}

/*
 * Read fd to its end into buf (room for len bytes); *got is how many came.
 * Reading one byte more than the key proves the file did not grow after
 * fstat. 0, or -1 with errno set.
 */
static int read_all(int fd, uint8_t *buf, size_t len, size_t *got)
{
	size_t n = 0;

	while (n < len) {
		ssize_t r = read(fd, buf + n, len - n);

		if (r < 0 && errno == EINTR) continue;
		if (r < 0) return -1;
		if (r == 0) break;
		n += (size_t)r;
	}
	*got = n;
	return 0;
}

/*
 * Open without following a link (O_NONBLOCK so that a FIFO put in the
 * key's place cannot hang the server; it changes nothing for a regular
 * file), check with fstat on the open descriptor (no race with a rename),
 * then read. key is wiped on every failure.
 */
int cw_device_key_load(const char *path, uint8_t key[CW_DEVICE_KEY_LEN], cw_err_t *err)
{
	uint8_t buf[CW_DEVICE_KEY_LEN + 1];
	struct stat st;
	size_t got = 0;
	int fd, rc = -1;

	assert(path != NULL && key != NULL);
	cw_wipe(key, CW_DEVICE_KEY_LEN);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ELOOP) {
			cw_err_set(err, "device key %s is a symbolic link: refusing to follow it", path);
		} else {
			cw_err_set(err, "device key %s: %s", path, strerror(errno));
		}
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		cw_err_set(err, "device key %s: %s", path, strerror(errno));
		goto done;
	}
	if (key_file_check(path, &st, err) != 0) goto done;
	if (read_all(fd, buf, sizeof(buf), &got) != 0) {
		cw_err_set(err, "reading device key %s: %s", path, strerror(errno));
		goto done;
	}
	if (got != CW_DEVICE_KEY_LEN) {
		cw_err_set(err, "device key %s changed size while being read (%zu bytes, expected %d)",
			   path, got, CW_DEVICE_KEY_LEN);
		goto done;
	}
	memcpy(key, buf, CW_DEVICE_KEY_LEN);
	rc = 0;

done:
	cw_wipe(buf, sizeof(buf));
	if (close(fd) != 0 && rc == 0) {
		cw_err_set(err, "closing device key %s: %s", path, strerror(errno));
		rc = -1;
	}
	if (rc != 0) cw_wipe(key, CW_DEVICE_KEY_LEN);
	return rc;
}
