/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_qr.c - cw_wifi_qr_payload, the Wi-Fi QR code printed for guests:
 * the SSID (an admin's text, up to 32 bytes) and the passphrase. The
 * payload is terminated and within its buffer, a too small buffer is an
 * error and not an overflow, and reading the payload back as a phone does
 * (unescaping, a quoted all-hex value) gives the SSID and passphrase.
 */
#include <ctype.h>

#include "fuzz.h"
#include "psk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read the value after "tag" up to an unescaped ';' into out. Pointer after it, or NULL. */
static const char *field(const char *p, const char *tag, char *out, size_t outlen)
{
	size_t n = 0;
	bool quoted = false;

	if (strncmp(p, tag, strlen(tag)) != 0) return NULL;
	p += strlen(tag);
	if (*p == '"') {
		quoted = true;
		p++;
	}
	for (; *p && !(quoted ? *p == '"' : *p == ';'); p++) {
		if (*p == '\\') {
			p++;
			if (!*p || !strchr("\\;,:\"", *p)) return NULL;
		} else if (!quoted && strchr(",:\"", *p)) {
			return NULL;	/* a special character left unescaped */
		}
		if (n + 1 >= outlen) return NULL;
		out[n++] = *p;
	}
	out[n] = '\0';
	if (quoted) {
		if (*p != '"') return NULL;
		p++;
		for (size_t i = 0; i < n; i++)
			if (!isxdigit((unsigned char)out[i])) return NULL;
	}
	return *p == ';' ? p + 1 : NULL;
}

static bool all_hex(const char *s)
{
	if (!*s) return false;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s)) return false;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_t f;
	const char *ssid, *psk, *p;
	char big[1024], s_back[256], p_back[256];
	size_t need;

	fz_init(&f, data, size);
	ssid = fz_cstr(&f);
	psk = fz_cstr(&f);
	if (strlen(ssid) > 32 || strlen(psk) > 63) goto out;
	if (cw_wifi_qr_payload(ssid, psk, big, sizeof(big)) < 0) goto out;
	need = strlen(big) + 1;
	/* Exactly enough room works; one byte less is refused, never overrun. */
	for (size_t len = need - 1; len <= need; len++) {
		char *buf = malloc(len ? len : 1);

		FZ_CHECK(buf != NULL, "out of memory");
		if (len == need) {
			FZ_CHECK(cw_wifi_qr_payload(ssid, psk, buf, len) == 0 && strcmp(buf, big) == 0,
				 "%zu bytes are not enough", len);
		} else {
			FZ_CHECK(cw_wifi_qr_payload(ssid, psk, buf, len) < 0, "a %zu-byte payload in %zu bytes",
				 need, len);
		}
		free(buf);
	}
	FZ_CHECK(strncmp(big, "WIFI:T:WPA;", 11) == 0, "payload \"%s\"", big);
	p = field(big + 11, "S:", s_back, sizeof(s_back));
	FZ_CHECK(p != NULL, "SSID field of \"%s\" does not read back", big);
	p = field(p, "P:", p_back, sizeof(p_back));
	FZ_CHECK(p != NULL, "passphrase field of \"%s\" does not read back", big);
	FZ_CHECK(strcmp(p, ";") == 0, "\"%s\" does not end in ;;", big);
	FZ_CHECK(strcmp(s_back, ssid) == 0, "SSID \"%s\" reads back as \"%s\" from \"%s\"", ssid, s_back, big);
	FZ_CHECK(strcmp(p_back, psk) == 0, "passphrase reads back differently from \"%s\"", big);
	FZ_CHECK(!all_hex(ssid) || strstr(big, ";S:\"") != NULL, "all-hex SSID \"%s\" not quoted", ssid);
	FZ_CHECK(!all_hex(psk) || strstr(big, ";P:\"") != NULL, "all-hex passphrase not quoted");
out:
	fz_free(&f);
	return 0;
}
