/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nasd.c - the integration tests' access point, as far as RFC 5176 goes: a
 * Dynamic Authorization Server that receives Disconnect-Requests.
 *
 * It checks each request itself (RFC 5176 3.4, RFC 3579 3.2: Request
 * Authenticator and Message-Authenticator with the shared secret, using
 * OpenSSL directly, not the code under test), writes what it got and when
 * to a record file, and answers as told: Disconnect-ACK, Disconnect-NAK
 * with an Error-Cause, or nothing. Answers are made the way hostapd makes
 * them (Event-Timestamp, Message-Authenticator, Response Authenticator).
 * A request that fails a check is recorded and dropped, as hostapd does.
 *
 * Record file, one block per datagram, flushed at once:
 *   request N
 *   time_ms=<UTC ms of arrival>
 *   source=<ip>
 *   code=40 identifier=<id>
 *   request_authenticator=ok|bad
 *   message_authenticator=ok|bad|missing
 *   <attribute>=<value>        acct_session_id, user_name, calling_station_id,
 *                              nas_identifier, nas_ip_address, event_timestamp, other=<type>
 *   answer=ack|nak|none
 *   end
 *
 * Usage: nasd --listen IP:PORT --secret-file FILE --answer ack|nak:CAUSE|silent
 *             --record FILE [--ready FILE] [--idle MS]
 * It exits after --idle ms without a datagram (default 20000), or on SIGTERM.
 */
#include <arpa/inet.h>
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#define MAX_PACKET	4096

struct config {
	struct sockaddr_in	listen;
	char			secret[256];
	size_t			secret_len;
	int			answer;		/* 41 ACK, 42 NAK, 0 silent */
	uint32_t		cause;
	const char		*record;
	const char		*ready;
	int			idle_ms;
};

static void parse_listen(const char *arg, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(arg, ':');
	char *end;
	long port;

	if (!colon || (size_t)(colon - arg) >= sizeof(host)) errx(2, "--listen: IP:PORT");
	memcpy(host, arg, (size_t)(colon - arg));
	host[colon - arg] = '\0';
	port = strtol(colon + 1, &end, 10);
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (*end || port < 1 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1) errx(2, "--listen: IP:PORT");
	sa->sin_port = htons((uint16_t)port);
}

static void read_secret(const char *path, struct config *c)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (!f) err(2, "%s", path);
	n = fread(c->secret, 1, sizeof(c->secret) - 1, f);
	fclose(f);
	while (n > 0 && (c->secret[n - 1] == '\n' || c->secret[n - 1] == '\r')) n--;
	if (n == 0) errx(2, "%s: empty secret", path);
	c->secret_len = n;
}

/* A whole number from 1 to max; `what` names it in the message. */
static long parse_whole(const char *arg, long max, const char *what)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (*arg < '0' || *arg > '9' || *end || v < 1 || v > max) errx(2, "%s: 1 to %ld", what, max);
	return v;
}

static void parse_args(int argc, char **argv, struct config *c)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' }, { "secret-file", required_argument, NULL, 's' },
		{ "answer", required_argument, NULL, 'a' }, { "record", required_argument, NULL, 'r' },
		{ "ready", required_argument, NULL, 'R' }, { "idle", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;

	memset(c, 0, sizeof(*c));
	c->idle_ms = 20000;
	c->answer = -1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (ch == 'l') parse_listen(optarg, &c->listen);
		else if (ch == 's') read_secret(optarg, c);
		else if (ch == 'r') c->record = optarg;
		else if (ch == 'R') c->ready = optarg;
		else if (ch == 'i') c->idle_ms = (int)parse_whole(optarg, 600000, "--idle (ms)");
		else if (ch == 'a' && strcmp(optarg, "ack") == 0) c->answer = 41;
		else if (ch == 'a' && strcmp(optarg, "silent") == 0) c->answer = 0;
		else if (ch == 'a' && strncmp(optarg, "nak:", 4) == 0) {
			c->answer = 42;
			c->cause = (uint32_t)parse_whole(optarg + 4, 65535, "--answer nak:CAUSE");
		} else errx(2, "usage: see the comment at the top of nasd.c");
	}
	if (!c->listen.sin_port || !c->secret_len || c->answer < 0 || !c->record) errx(2, "missing option");
}

/* MD5 of data with the secret appended. */
static void md5_secret(const struct config *c, const uint8_t *data, size_t len, uint8_t out[16])
{
	uint8_t buf[MAX_PACKET + 256];
	unsigned int olen;

	memcpy(buf, data, len);
	memcpy(buf + len, c->secret, c->secret_len);
	if (!EVP_Digest(buf, len + c->secret_len, out, &olen, EVP_md5(), NULL)) errx(4, "MD5");
	OPENSSL_cleanse(buf, sizeof(buf));
}

static void hmac_secret(const struct config *c, const uint8_t *data, size_t len, uint8_t out[16])
{
	unsigned int olen;

	if (!HMAC(EVP_md5(), c->secret, (int)c->secret_len, data, len, out, &olen)) errx(4, "HMAC-MD5");
}

/* The attributes exactly fill the length field; the length, or 0. */
static size_t sound_length(const uint8_t *p, size_t got)
{
	size_t len, pos;

	if (got < 20) return 0;
	len = (size_t)p[2] << 8 | p[3];
	if (len < 20 || len > got) return 0;
	for (pos = 20; pos < len; pos += p[pos + 1]) {
		if (len - pos < 2 || p[pos + 1] < 2 || p[pos + 1] > len - pos) return 0;
	}
	return len;
}

/* Check both authenticators; writes the two lines. 1 when both are good. */
static int check_request(const struct config *c, const uint8_t *p, size_t len, FILE *rec)
{
	uint8_t copy[MAX_PACKET], want[16];
	size_t ma = 0;
	int ra_ok, ma_ok = 0;

	memcpy(copy, p, len);
	memset(copy + 4, 0, 16);
	md5_secret(c, copy, len, want);
	ra_ok = CRYPTO_memcmp(want, p + 4, 16) == 0;
	for (size_t pos = 20; pos < len; pos += p[pos + 1]) {
		if (p[pos] == 80 && p[pos + 1] == 18) ma = pos + 2;
	}
	if (ma) {
		memset(copy + ma, 0, 16);
		hmac_secret(c, copy, len, want);
		ma_ok = CRYPTO_memcmp(want, p + ma, 16) == 0;
	}
	fprintf(rec, "request_authenticator=%s\nmessage_authenticator=%s\n", ra_ok ? "ok" : "bad",
		!ma ? "missing" : ma_ok ? "ok" : "bad");
	return ra_ok && ma_ok;
}

static void print_text(FILE *rec, const char *name, const uint8_t *v, size_t n)
{
	fprintf(rec, "%s=", name);
	for (size_t i = 0; i < n; i++) {
		if (v[i] >= 0x20 && v[i] < 0x7f && v[i] != '\\') fputc(v[i], rec);
		else fprintf(rec, "\\x%02x", v[i]);
	}
	fputc('\n', rec);
}

static void record_attributes(const uint8_t *p, size_t len, FILE *rec)
{
	for (size_t pos = 20; pos < len; pos += p[pos + 1]) {
		const uint8_t *v = p + pos + 2;
		size_t n = p[pos + 1] - 2u;
		char ip[INET_ADDRSTRLEN];

		switch (p[pos]) {
		case 44: print_text(rec, "acct_session_id", v, n); break;
		case 1: print_text(rec, "user_name", v, n); break;
		case 31: print_text(rec, "calling_station_id", v, n); break;
		case 32: print_text(rec, "nas_identifier", v, n); break;
		case 4:
			if (n == 4 && inet_ntop(AF_INET, v, ip, sizeof(ip))) fprintf(rec, "nas_ip_address=%s\n", ip);
			break;
		case 55:
			if (n == 4) fprintf(rec, "event_timestamp=%u\n", (unsigned)v[0] << 24 | v[1] << 16 | v[2] << 8 | v[3]);
			break;
		case 80: break;
		default: fprintf(rec, "other=%u\n", p[pos]); break;
		}
	}
}

/* Append a 32-bit integer attribute, or (value NULL) a zeroed 16-byte one; the new length. */
static size_t append(uint8_t *out, size_t len, uint8_t type, const uint32_t *value)
{
	uint8_t vlen = value ? 4 : 16;

	out[len] = type;
	out[len + 1] = (uint8_t)(2 + vlen);
	memset(out + len + 2, 0, vlen);
	for (int i = 0; value && i < 4; i++) out[len + 2 + i] = (uint8_t)(*value >> (24 - 8 * i));
	return len + 2 + vlen;
}

/* hostapd's way: Error-Cause (NAK), Event-Timestamp, Message-Authenticator, then the Response Authenticator. */
static size_t make_answer(const struct config *c, const uint8_t *req, uint8_t *out)
{
	uint32_t now = (uint32_t)time(NULL);
	size_t len = 20;

	out[0] = (uint8_t)c->answer;
	out[1] = req[1];
	memcpy(out + 4, req + 4, 16);
	if (c->answer == 42) len = append(out, len, 101, &c->cause);
	len = append(out, len, 55, &now);
	len = append(out, len, 80, NULL);
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	hmac_secret(c, out, len, out + len - 16);
	md5_secret(c, out, len, out + 4);
	return len;
}

static int64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Record one datagram and answer it as configured. */
static void handle(const struct config *c, int fd, FILE *rec, unsigned n, const uint8_t *p, size_t got,
		   const struct sockaddr_in *from)
{
	uint8_t ans[MAX_PACKET];
	char ip[INET_ADDRSTRLEN] = "?";
	size_t len = sound_length(p, got);
	int good;

	(void)inet_ntop(AF_INET, &from->sin_addr, ip, sizeof(ip));
	fprintf(rec, "request %u\ntime_ms=%lld\nsource=%s\n", n, (long long)wall_ms(), ip);
	if (!len) {
		fprintf(rec, "malformed\nanswer=none\nend\n");
		return;
	}
	fprintf(rec, "code=%u identifier=%u\n", p[0], p[1]);
	good = check_request(c, p, len, rec) && p[0] == 40;
	record_attributes(p, len, rec);
	if (!good || c->answer == 0) {
		fprintf(rec, "answer=none\nend\n");
		return;
	}
	len = make_answer(c, p, ans);
	if (sendto(fd, ans, len, 0, (const struct sockaddr *)from, sizeof(*from)) < 0) warn("sendto");
	fprintf(rec, "answer=%s\nend\n", c->answer == 41 ? "ack" : "nak");
}

int main(int argc, char **argv)
{
	struct config c;
	struct pollfd pfd;
	uint8_t buf[MAX_PACKET];
	unsigned n = 0;
	FILE *rec;
	int fd;

	parse_args(argc, argv, &c);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&c.listen, sizeof(c.listen)) < 0) err(1, "listen");
	rec = fopen(c.record, "w");
	if (!rec) err(1, "%s", c.record);
	if (c.ready) {
		FILE *f = fopen(c.ready, "w");

		if (!f || fclose(f) != 0) err(1, "%s", c.ready);
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (poll(&pfd, 1, c.idle_ms) > 0) {
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		ssize_t got = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &flen);

		if (got < 0) continue;
		handle(&c, fd, rec, ++n, buf, (size_t)got, &from);
		fflush(rec);
	}
	fclose(rec);
	OPENSSL_cleanse(c.secret, sizeof(c.secret));
	return 0;
}
