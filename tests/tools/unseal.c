/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * unseal - open a sealed device of an invitation, as the enrollment web
 * service does with the token of the link (lib/core/seal.c), for the tests.
 *
 * usage: unseal [--hex] TOKEN INVITE_ID SLOT SEALED_FILE P12_OUT
 *
 * SEALED_FILE ("-": standard input) holds the sealed bytes as base64 (the
 * broker's "sealed" line) or, with --hex, as hex (sqlite3's hex() of
 * invite_slot.sealed). The PKCS#12 goes to P12_OUT, a new file (0600); its
 * password is printed on standard output. Exit 0, or 1 with a message
 * (a wrong token, slot or invitation opens nothing).
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "seal.h"

#define INPUT_MAX (4 * CW_SEAL_MAX)

static int fail(const char *what)
{
	fprintf(stderr, "unseal: %s\n", what);
	return 1;
}

/* The file's text without blanks into buf (at most cap - 1 bytes). Its length, or -1. */
static long read_text(const char *path, char *buf, size_t cap)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	size_t n = 0;
	int c;

	if (!f) return -1;
	while ((c = fgetc(f)) != EOF) {
		if (isspace(c)) continue;
		if (n + 1 >= cap) {
			n = 0;
			break;
		}
		buf[n++] = (char)c;
	}
	if (f != stdin) fclose(f);
	buf[n] = '\0';
	return n ? (long)n : -1;
}

static long decode_hex(const char *text, size_t len, uint8_t *out)
{
	if (len % 2) return -1;
	for (size_t i = 0; i < len; i += 2) {
		int hi = cw_hexval(text[i]), lo = cw_hexval(text[i + 1]);

		if (hi < 0 || lo < 0) return -1;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return (long)(len / 2);
}

static long decode_b64(const char *text, size_t len, uint8_t *out)
{
	int n = EVP_DecodeBlock(out, (const unsigned char *)text, (int)len);

	if (n < 0 || len % 4) return -1;
	/* EVP_DecodeBlock counts the padding's bytes too. */
	if (len >= 1 && text[len - 1] == '=') n--;
	if (len >= 2 && text[len - 2] == '=') n--;
	return n;
}

int main(int argc, char **argv)
{
	static char text[INPUT_MAX];
	static uint8_t sealed[INPUT_MAX];
	bool hex = argc > 1 && strcmp(argv[1], "--hex") == 0;
	char *password = NULL, *end;
	uint8_t *p12 = NULL;
	size_t p12_len = 0;
	cw_token_t token;
	long id, slot, len, n;
	cw_err_t e;
	int fd;

	argv += hex;
	argc -= hex;
	if (argc != 6) return fail("usage: unseal [--hex] TOKEN INVITE_ID SLOT SEALED_FILE P12_OUT");
	if (cw_token_parse(argv[1], strlen(argv[1]), &token, &e) < 0) return fail(e.msg);
	id = strtol(argv[2], &end, 10);
	if (*end || id < 1) return fail("INVITE_ID must be a number");
	slot = strtol(argv[3], &end, 10);
	if (*end || slot < 1 || slot > 20) return fail("SLOT must be 1 to 20");
	len = read_text(argv[4], text, sizeof(text));
	if (len < 0) return fail("cannot read the sealed device");
	n = hex ? decode_hex(text, (size_t)len, sealed) : decode_b64(text, (size_t)len, sealed);
	if (n <= 0) return fail("the sealed device is not valid base64 (or hex with --hex)");
	if (cw_seal_open(&token, id, (unsigned)slot, sealed, (size_t)n, &password, &p12, &p12_len, &e) < 0) {
		return fail(e.msg);
	}
	fd = open(argv[5], O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, p12, p12_len) != (ssize_t)p12_len || close(fd) < 0) {
		cw_seal_free(password, p12, p12_len);
		return fail(strerror(errno));
	}
	printf("%s\n", password);
	cw_seal_free(password, p12, p12_len);
	cw_token_wipe(&token);
	return 0;
}
