/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_devhash.c - unit tests for lib/core/devhash.c.
 *
 * The known answer was computed independently of libcowork, once, with
 *   printf '\xaa\xbb\xcc\xdd\xee\xff' | openssl dgst -sha256 -mac HMAC \
 *     -macopt hexkey:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
 * and checked with Python's hmac.new(bytes(range(32)), bytes.fromhex('aabbccddeeff'), 'sha256').
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "devhash.h"

/* HMAC-SHA-256(key 00 01 .. 1f, aa bb cc dd ee ff): see the top of the file. */
#define KAT_HEX "9862154b3096295d691c3fc60e91864fe64aaadfbdc9562f5e7ae0207c6e493f"

typedef struct keydir {
	char dir[64];		//!< temporary directory for key files
	char path[128];		//!< scratch: dir/<name> of the last keydir_path call
} keydir_t;

static void key_counting(uint8_t key[CW_DEVICE_KEY_LEN])
{
	size_t i;

	for (i = 0; i < CW_DEVICE_KEY_LEN; i++) key[i] = (uint8_t)i;
}

/* Hash s from an exact-size heap copy, so ASan catches a read past len. */
static int hash_text_exact(const uint8_t *key, const char *s, size_t len, uint8_t out[CW_DEVICE_HASH_LEN],
			   cw_err_t *err)
{
	char *copy = malloc(len ? len : 1);
	int rc;

	assert_non_null(copy);
	memcpy(copy, s, len);
	rc = cw_device_hash_text(key, copy, len, out, err);
	free(copy);
	return rc;
}

static void hash_of(const uint8_t *key, const char *s, uint8_t out[CW_DEVICE_HASH_LEN])
{
	cw_err_t err = { "" };

	if (hash_text_exact(key, s, strlen(s), out, &err) != 0) fail_msg("\"%s\": %s", s, err.msg);
}

static void assert_msg_has(const cw_err_t *err, const char *part)
{
	if (strstr(err->msg, part) == NULL) fail_msg("message \"%s\" lacks \"%s\"", err->msg, part);
}

/* ---- hashing ---------------------------------------------------------- */

static void known_answer__matches_openssl_hmac_sha256(void **state)
{
	static const cw_mac_t mac = { { 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff } };
	uint8_t key[CW_DEVICE_KEY_LEN], hash[CW_DEVICE_HASH_LEN];
	char hex[CW_DEVICE_HASH_HEX];

	(void)state;
	key_counting(key);
	assert_int_equal(cw_device_hash(key, &mac, hash), 0);
	cw_device_hash_hex(hash, hex);
	assert_string_equal(hex, KAT_HEX);

	hash_of(key, "AA-BB-CC-DD-EE-FF", hash);
	cw_device_hash_hex(hash, hex);
	assert_string_equal(hex, KAT_HEX);
}

static void same_mac_in_every_form__gives_one_hash(void **state)
{
	static const char *forms[] = {
		"AA-BB-CC-DD-EE-FF", "aa-bb-cc-dd-ee-ff",
		"aa:bb:cc:dd:ee:ff", "AA:BB:CC:DD:EE:FF",
		"aabb.ccdd.eeff",    "AABB.CCDD.EEFF",
		"aabbccddeeff",      "AABBCCDDEEFF",
		"Aa:bB:Cc:dD:eE:Ff", "aAbB.cCdD.eEfF", "AaBbCcDdEeFf",
	};
	uint8_t key[CW_DEVICE_KEY_LEN], first[CW_DEVICE_HASH_LEN], hash[CW_DEVICE_HASH_LEN];
	size_t i;

	(void)state;
	key_counting(key);
	hash_of(key, forms[0], first);
	for (i = 1; i < sizeof(forms) / sizeof(forms[0]); i++) {
		hash_of(key, forms[i], hash);
		if (memcmp(hash, first, sizeof(hash)) != 0) fail_msg("\"%s\" hashes differently", forms[i]);
	}
}

static void different_mac__gives_another_hash(void **state)
{
	uint8_t key[CW_DEVICE_KEY_LEN], a[CW_DEVICE_HASH_LEN], b[CW_DEVICE_HASH_LEN];

	(void)state;
	key_counting(key);
	hash_of(key, "aa:bb:cc:dd:ee:ff", a);
	hash_of(key, "aa:bb:cc:dd:ee:fe", b);
	assert_memory_not_equal(a, b, sizeof(a));
	hash_of(key, "ba:bb:cc:dd:ee:ff", b);
	assert_memory_not_equal(a, b, sizeof(a));
}

static void different_key__gives_another_hash(void **state)
{
	uint8_t key[CW_DEVICE_KEY_LEN], a[CW_DEVICE_HASH_LEN], b[CW_DEVICE_HASH_LEN];

	(void)state;
	key_counting(key);
	hash_of(key, "aa:bb:cc:dd:ee:ff", a);
	key[CW_DEVICE_KEY_LEN - 1] ^= 0x01;
	hash_of(key, "aa:bb:cc:dd:ee:ff", b);
	assert_memory_not_equal(a, b, sizeof(a));
}

static void malformed_macs__are_refused_with_an_error(void **state)
{
	static const struct {
		const char *text;
		size_t len;
	} bad[] = {
		{ "AA-BB-CC", 8 },
		{ "gg:hh:ii:jj:kk:ll", 17 },
		{ "AA-BB-CC-DD-EE-FF ", 18 },
		{ " AA-BB-CC-DD-EE-FF", 18 },
		{ "aabbccddeef", 11 },
		{ "aa:bb-cc:dd:ee:ff", 17 },
		{ "", 0 },
	};
	uint8_t key[CW_DEVICE_KEY_LEN], hash[CW_DEVICE_HASH_LEN];
	size_t i;

	(void)state;
	key_counting(key);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cw_err_t err = { "" };

		assert_int_equal(hash_text_exact(key, bad[i].text, bad[i].len, hash, &err), -1);
		if (err.msg[0] == '\0') fail_msg("\"%s\": refused without a message", bad[i].text);
		assert_msg_has(&err, "not a MAC address");
	}
}

static void malformed_mac__message_does_not_repeat_the_text(void **state)
{
	uint8_t key[CW_DEVICE_KEY_LEN], hash[CW_DEVICE_HASH_LEN];
	cw_err_t err = { "" };

	(void)state;
	key_counting(key);
	/* a malformed Calling-Station-Id may still identify the device */
	assert_int_equal(hash_text_exact(key, "02-1A-2B-3C-4D-5E ", 18, hash, &err), -1);
	assert_msg_has(&err, "not a MAC address");
	assert_null(strstr(err.msg, "02-1A-2B-3C-4D-5E"));
	assert_null(strstr(err.msg, "1A"));
}

static void malformed_mac_without_err__is_refused(void **state)
{
	uint8_t key[CW_DEVICE_KEY_LEN], hash[CW_DEVICE_HASH_LEN];

	(void)state;
	key_counting(key);
	assert_int_equal(hash_text_exact(key, "AA-BB-CC", 8, hash, NULL), -1);
	assert_int_equal(cw_device_hash_text(key, NULL, 0, hash, NULL), -1);
}

static void mac_prefix_of_longer_buffer__is_hashed_within_len(void **state)
{
	uint8_t key[CW_DEVICE_KEY_LEN], a[CW_DEVICE_HASH_LEN], b[CW_DEVICE_HASH_LEN];
	cw_err_t err = { "" };

	(void)state;
	key_counting(key);
	hash_of(key, "aa:bb:cc:dd:ee:ff", a);
	assert_int_equal(cw_device_hash_text(key, "aa:bb:cc:dd:ee:ff:CoworkGuest", 17, b, &err), 0);
	assert_memory_equal(a, b, sizeof(a));
}

static void hex__is_lowercase_and_terminated(void **state)
{
	uint8_t hash[CW_DEVICE_HASH_LEN];
	char hex[CW_DEVICE_HASH_HEX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(hash); i++) hash[i] = (uint8_t)(0xf0 + i * 0x1b);
	hash[0] = 0x00;
	hash[1] = 0x0f;
	hash[2] = 0xab;
	hash[CW_DEVICE_HASH_LEN - 1] = 0xff;
	memset(hex, 'x', sizeof(hex));
	cw_device_hash_hex(hash, hex);
	assert_int_equal(strlen(hex), 2 * CW_DEVICE_HASH_LEN);
	assert_memory_equal(hex, "000fab", 6);
	assert_memory_equal(hex + 2 * CW_DEVICE_HASH_LEN - 2, "ff", 2);
	for (i = 0; i < 2 * CW_DEVICE_HASH_LEN; i++) {
		if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f'))) {
			fail_msg("hex[%zu] is '%c'", i, hex[i]);
		}
	}
}

/* ---- key loading ------------------------------------------------------ */

static const char *keydir_path(keydir_t *k, const char *name)
{
	if (snprintf(k->path, sizeof(k->path), "%s/%s", k->dir, name) >= (int)sizeof(k->path)) {
		fail_msg("path too long");
	}
	return k->path;
}

/* Write len bytes of data to dir/name with exactly `mode` (umask aside). */
static const char *keydir_write(keydir_t *k, const char *name, const void *data, size_t len, mode_t mode)
{
	const char *path = keydir_path(k, name);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd < 0) fail_msg("creating %s: %s", path, strerror(errno));
	if (len > 0 && write(fd, data, len) != (ssize_t)len) fail_msg("writing %s: %s", path, strerror(errno));
	if (fchmod(fd, mode) != 0) fail_msg("chmod %s: %s", path, strerror(errno));
	if (close(fd) != 0) fail_msg("closing %s: %s", path, strerror(errno));
	return path;
}

static void key_pattern(uint8_t *key, size_t len)
{
	size_t i;

	/* distinct from key_counting, with no zero byte, so a wiped key shows */
	for (i = 0; i < len; i++) key[i] = (uint8_t)(0xa5 ^ (i * 7 + 1));
}

static int keydir_setup(void **state)
{
	keydir_t *k = calloc(1, sizeof(*k));

	if (!k) return -1;
	if (snprintf(k->dir, sizeof(k->dir), "/tmp/cw_devhash.XXXXXX") >= (int)sizeof(k->dir) ||
	    mkdtemp(k->dir) == NULL) {
		free(k);
		return -1;
	}
	*state = k;
	return 0;
}

/* Remove every entry of the directory (files, links, empty subdirectories), then it. */
static int keydir_teardown(void **state)
{
	keydir_t *k = *state;
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (!k) return 0;
	d = opendir(k->dir);
	if (d) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
			if (unlinkat(dirfd(d), e->d_name, e->d_type == DT_DIR ? AT_REMOVEDIR : 0) != 0) rc = -1;
		}
		closedir(d);
	}
	if (rmdir(k->dir) != 0) rc = -1;
	free(k);
	*state = NULL;
	return rc;
}

static void assert_key_loads(keydir_t *k, const char *name, mode_t mode)
{
	uint8_t written[CW_DEVICE_KEY_LEN], loaded[CW_DEVICE_KEY_LEN];
	cw_err_t err = { "" };
	const char *path;

	key_pattern(written, sizeof(written));
	path = keydir_write(k, name, written, sizeof(written), mode);
	memset(loaded, 0, sizeof(loaded));
	if (cw_device_key_load(path, loaded, &err) != 0) fail_msg("mode %03o: %s", (unsigned)mode, err.msg);
	assert_memory_equal(loaded, written, sizeof(written));
	cw_wipe(loaded, sizeof(loaded));
}

/* Load path, expect refusal with a message naming path and containing part; the key is left wiped. */
static void assert_key_refused(const char *path, const char *part)
{
	uint8_t key[CW_DEVICE_KEY_LEN], zero[CW_DEVICE_KEY_LEN] = { 0 };
	cw_err_t err = { "" };

	memset(key, 0x55, sizeof(key));
	assert_int_equal(cw_device_key_load(path, key, &err), -1);
	assert_msg_has(&err, path);
	assert_msg_has(&err, part);
	assert_memory_equal(key, zero, sizeof(key));
}

static void key_0600__loads_the_bytes_written(void **state)
{
	assert_key_loads(*state, "device.key", 0600);
}

static void key_0640__loads_for_radiusd_group(void **state)
{
	assert_key_loads(*state, "device.key", 0640);
}

static void key_0400_and_0440__load(void **state)
{
	assert_key_loads(*state, "a.key", 0400);
	assert_key_loads(*state, "b.key", 0440);
}

static void key_world_readable__is_refused(void **state)
{
	uint8_t data[CW_DEVICE_KEY_LEN];
	const char *path;
	char want[300];

	key_pattern(data, sizeof(data));
	path = keydir_write(*state, "device.key", data, sizeof(data), 0644);
	assert_true(snprintf(want, sizeof(want), "readable by others (mode 644): run chmod 640 %s", path) <
		    (int)sizeof(want));
	assert_key_refused(path, want);
}

static void key_group_writable__is_refused(void **state)
{
	uint8_t data[CW_DEVICE_KEY_LEN];
	const char *path;
	char want[300];

	key_pattern(data, sizeof(data));
	path = keydir_write(*state, "device.key", data, sizeof(data), 0660);
	assert_true(snprintf(want, sizeof(want), "writable by group or others (mode 660): run chmod 640 %s",
			     path) < (int)sizeof(want));
	assert_key_refused(path, want);
}

static void key_world_writable__is_refused(void **state)
{
	uint8_t data[CW_DEVICE_KEY_LEN];

	key_pattern(data, sizeof(data));
	assert_key_refused(keydir_write(*state, "device.key", data, sizeof(data), 0602),
			   "writable by group or others (mode 602)");
}

static void key_of_31_bytes__is_refused(void **state)
{
	uint8_t data[CW_DEVICE_KEY_LEN + 1];

	key_pattern(data, sizeof(data));
	assert_key_refused(keydir_write(*state, "device.key", data, 31, 0600),
			   "must be exactly 32 bytes (it has 31)");
}

static void key_of_33_bytes__is_refused(void **state)
{
	uint8_t data[CW_DEVICE_KEY_LEN + 1];

	key_pattern(data, sizeof(data));
	assert_key_refused(keydir_write(*state, "device.key", data, 33, 0600),
			   "must be exactly 32 bytes (it has 33)");
}

static void empty_key__is_refused(void **state)
{
	assert_key_refused(keydir_write(*state, "device.key", "", 0, 0600), "must be exactly 32 bytes (it has 0)");
}

static void key_symlink__is_refused_even_to_a_good_key(void **state)
{
	keydir_t *k = *state;
	uint8_t data[CW_DEVICE_KEY_LEN];
	char link[128];

	key_pattern(data, sizeof(data));
	(void)keydir_write(k, "real.key", data, sizeof(data), 0600);
	assert_true(snprintf(link, sizeof(link), "%s/device.key", k->dir) < (int)sizeof(link));
	assert_int_equal(symlink("real.key", link), 0);
	assert_key_refused(link, "symbolic link");
}

static void key_directory__is_refused(void **state)
{
	keydir_t *k = *state;
	const char *path = keydir_path(k, "device.key");

	assert_int_equal(mkdir(path, 0700), 0);
	assert_key_refused(path, "not a regular file");
}

static void missing_key__is_refused(void **state)
{
	keydir_t *k = *state;

	assert_key_refused(keydir_path(k, "device.key"), strerror(ENOENT));
}

static void key_refused_without_err__still_fails(void **state)
{
	keydir_t *k = *state;
	uint8_t key[CW_DEVICE_KEY_LEN];

	assert_int_equal(cw_device_key_load(keydir_path(k, "device.key"), key, NULL), -1);
}

int main(void)
{
	const struct CMUnitTest hashing[] = {
		cmocka_unit_test(known_answer__matches_openssl_hmac_sha256),
		cmocka_unit_test(same_mac_in_every_form__gives_one_hash),
		cmocka_unit_test(different_mac__gives_another_hash),
		cmocka_unit_test(different_key__gives_another_hash),
		cmocka_unit_test(malformed_macs__are_refused_with_an_error),
		cmocka_unit_test(malformed_mac__message_does_not_repeat_the_text),
		cmocka_unit_test(malformed_mac_without_err__is_refused),
		cmocka_unit_test(mac_prefix_of_longer_buffer__is_hashed_within_len),
		cmocka_unit_test(hex__is_lowercase_and_terminated),
		/* One group: TAP allows one plan per program. */
		cmocka_unit_test_setup_teardown(key_0600__loads_the_bytes_written, keydir_setup, keydir_teardown),
		cmocka_unit_test_setup_teardown(key_0640__loads_for_radiusd_group, keydir_setup, keydir_teardown),
		cmocka_unit_test_setup_teardown(key_0400_and_0440__load, keydir_setup, keydir_teardown),
		cmocka_unit_test_setup_teardown(key_world_readable__is_refused, keydir_setup, keydir_teardown),
		cmocka_unit_test_setup_teardown(key_group_writable__is_refused, keydir_setup, keydir_teardown),
		cmocka_unit_test_setup_teardown(key_world_writable__is_refused, keydir_setup, keydir_teardown),
		cmocka_unit_test_setup_teardown(key_of_31_bytes__is_refused, keydir_setup, keydir_teardown),
		cmocka_unit_test_setup_teardown(key_of_33_bytes__is_refused, keydir_setup, keydir_teardown),
		cmocka_unit_test_setup_teardown(empty_key__is_refused, keydir_setup, keydir_teardown),
		cmocka_unit_test_setup_teardown(key_symlink__is_refused_even_to_a_good_key, keydir_setup,
						keydir_teardown),
		cmocka_unit_test_setup_teardown(key_directory__is_refused, keydir_setup, keydir_teardown),
		cmocka_unit_test_setup_teardown(missing_key__is_refused, keydir_setup, keydir_teardown),
		cmocka_unit_test_setup_teardown(key_refused_without_err__still_fails, keydir_setup, keydir_teardown),
	};

	return cmocka_run_group_tests_name("devhash", hashing, NULL, NULL);
}
