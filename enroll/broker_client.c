/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * broker_client.c - the broker protocol, client side: the socket call with
 * a deadline and bounded reads, and the strict parse of an answer.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "broker_client.h"
#include "names.h"
#include "psk.h"
#include "seal.h"
#include "clock.h"

/* --- the call ------------------------------------------------------------ */

/* Wait until fd is ready for events or the deadline passes. 0, or -1 with err. */
static int wait_fd(int fd, short events, int64_t deadline, cw_err_t *err)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		int64_t left = deadline - cw_monotonic_ms();
		int n;

		if (left <= 0) break;
		n = poll(&p, 1, (int)left);
		if (n > 0) return 0;
		if (n < 0 && errno != EINTR) {
			cw_err_set(err, "broker: poll: %s", strerror(errno));
			return -1;
		}
	}
	cw_err_set(err, "broker: no answer in time");
	return -1;
}

static int connect_broker(const char *path, int64_t deadline, cw_err_t *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, soerr = 0;
	socklen_t sl = sizeof(soerr);

	if (strlen(path) >= sizeof(sa.sun_path)) {
		cw_err_set(err, "broker: socket path too long");
		return -1;
	}
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0) {
		cw_err_set(err, "broker: socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) return fd;
	if (errno != EINPROGRESS && errno != EAGAIN) {
		cw_err_set(err, "broker: %s: %s", path, strerror(errno));
		goto fail;
	}
	if (wait_fd(fd, POLLOUT, deadline, err) < 0) goto fail;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) < 0 || soerr != 0) {
		cw_err_set(err, "broker: %s: %s", path, strerror(soerr ? soerr : errno));
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return -1;
}

static int send_all(int fd, const char *p, size_t n, int64_t deadline, cw_err_t *err)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
			cw_err_set(err, "broker: send: %s", strerror(errno));
			return -1;
		} else if (wait_fd(fd, POLLOUT, deadline, err) < 0) {
			return -1;
		}
	}
	return 0;
}

/* Does the text end with the line END? */
static bool ends_with_end(const char *p, size_t n)
{
	return n >= 4 && memcmp(p + n - 4, "END\n", 4) == 0 && (n == 4 || p[n - 5] == '\n');
}

/* Read until the answer's END line, EOF, the size bound or the deadline. 0, or -1 with err. */
static int read_answer(int fd, int64_t deadline, char **out, size_t *len, cw_err_t *err)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1), *grown;

	if (!buf) goto oom;
	while (!ends_with_end(buf, n)) {
		ssize_t r;

		if (n == cap) {
			if (cap >= BROKER_ANSWER_MAX) {
				cw_err_set(err, "broker: answer over %d bytes", BROKER_ANSWER_MAX);
				goto fail;
			}
			if (!(grown = malloc(cap * 2 + 1))) goto oom;
			memcpy(grown, buf, n);
			cw_wipe(buf, cap);
			free(buf);
			buf = grown;
			cap *= 2;
		}
		r = recv(fd, buf + n, cap - n, 0);
		if (r > 0) {
			n += (size_t)r;
		} else if (r == 0) {
			cw_err_set(err, "broker: the answer ended without END");
			goto fail;
		} else if (errno != EAGAIN && errno != EINTR) {
			cw_err_set(err, "broker: recv: %s", strerror(errno));
			goto fail;
		} else if (wait_fd(fd, POLLIN, deadline, err) < 0) {
			goto fail;
		}
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
oom:
	cw_err_set(err, "broker: out of memory");
fail:
	broker_text_free(buf, cap);
	return -1;
}

int broker_call(const char *sock_path, int timeout_ms, const char *request, char **answer, size_t *len,
		cw_err_t *err)
{
	int64_t deadline = cw_monotonic_ms() + timeout_ms;
	char line[BROKER_REQUEST_MAX];
	size_t n = strlen(request);
	int fd, rc = -1;

	*answer = NULL;
	*len = 0;
	if (n + 1 > sizeof(line) || memchr(request, '\n', n)) {
		cw_err_set(err, "broker: request line too long or malformed");
		return -1;
	}
	memcpy(line, request, n);
	line[n++] = '\n';
	if ((fd = connect_broker(sock_path, deadline, err)) < 0) goto out;
	if (send_all(fd, line, n, deadline, err) == 0) rc = read_answer(fd, deadline, answer, len, err);
	close(fd);
out:
	cw_wipe(line, sizeof(line));	/* it held the token */
	return rc;
}

void broker_text_free(char *text, size_t len)
{
	if (!text) return;
	cw_wipe(text, len);
	free(text);
}

/* --- the parse ----------------------------------------------------------- */

/* Standard base64 with padding, n characters, into a malloc'd block of at most max bytes. 0, or -1. */
static int b64_decode(const char *s, size_t n, size_t max, uint8_t **out, size_t *outlen)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t pad = 0, o = 0;
	uint32_t acc = 0;
	uint8_t *buf;

	if (n == 0 || n % 4 != 0) return -1;
	if (s[n - 1] == '=') pad += 1 + (s[n - 2] == '=');
	if (n / 4 * 3 - pad > max) return -1;
	if (!(buf = malloc(n / 4 * 3))) return -1;
	for (size_t i = 0; i < n; i++) {
		const char *c = i < n - pad && s[i] ? strchr(alphabet, s[i]) : NULL;

		if (i < n - pad && !c) goto fail;
		acc = acc << 6 | (c ? (uint32_t)(c - alphabet) : 0);
		if (i % 4 == 3) {
			buf[o++] = (uint8_t)(acc >> 16);
			buf[o++] = (uint8_t)(acc >> 8);
			buf[o++] = (uint8_t)acc;
			acc = 0;
		}
	}
	*outlen = o - pad;
	*out = buf;
	return 0;
fail:
	free(buf);
	return -1;
}

/* A whole decimal number 0..max, nothing else. 0, or -1. */
static int parse_num(const char *s, int64_t max, int64_t *v)
{
	int64_t n = 0;

	if (!*s) return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9') return -1;
		if (n > (max - (*s - '0')) / 10) return -1;
		n = n * 10 + (*s - '0');
	}
	*v = n;
	return 0;
}

/* Copy s into a field of size bytes. 0, or -1 when it does not fit. */
static int copy(char *dst, size_t size, const char *s)
{
	return cw_snprintf(dst, size, "%s", s);
}

static bool one_of(const char *s, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(s, *set) == 0) return true;
	return false;
}

static int parse_device(broker_answer_t *a, char *v)
{
	static const char *const states[] = { "active", "revoked", "uncollected", NULL };
	static const char *const platforms[] = { "apple", "eap", "windows", "linux", "-", NULL };
	broker_device_t *d;
	char *f[5], *save = NULL;
	char serial[CW_SERIAL_HEX_MAX + 1];
	int n = 0;

	if (a->ndevices == BROKER_MAX_DEVICES) return -1;
	d = &a->devices[a->ndevices];
	for (char *t = strtok_r(v, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		if (n == 5) return -1;
		f[n++] = t;
	}
	if (n != 5 || cw_serial_normalise(f[0], strlen(f[0]), serial, NULL) < 0 || strcmp(serial, f[0]) != 0 ||
	    !one_of(f[1], states) || !one_of(f[4], platforms) || parse_num(f[2], INT64_MAX, &d->not_after) < 0 ||
	    parse_num(f[3], INT64_MAX, &d->last_seen) < 0) {
		return -1;
	}
	memcpy(d->serial, serial, sizeof(serial));
	(void)copy(d->state, sizeof(d->state), f[1]);
	(void)copy(d->platform, sizeof(d->platform), f[4]);
	a->ndevices++;
	return 0;
}

/*
 * "guest <ssid> <passphrase> <valid_until>", read from its end: the SSID may
 * hold spaces, the passphrase and the time hold none (docs/enrollment.md).
 */
static int parse_guest(broker_answer_t *a, char *v)
{
	char *sp2 = strrchr(v, ' '), *sp1;
	broker_guest_t *g;

	if (a->nguests == BROKER_MAX_GUESTS || !sp2 || sp2 == v) return -1;
	*sp2 = '\0';
	sp1 = strrchr(v, ' ');
	if (!sp1 || sp1 == v) return -1;
	*sp1 = '\0';
	g = &a->guests[a->nguests];
	if (cw_name_check_ssid(v, NULL) < 0 || !cw_psk_valid(sp1 + 1, strlen(sp1 + 1)) ||
	    parse_num(sp2 + 1, INT64_MAX, &g->valid_until) < 0 || copy(g->ssid, sizeof(g->ssid), v) < 0 ||
	    copy(g->passphrase, sizeof(g->passphrase), sp1 + 1) < 0) {
		return -1;
	}
	a->nguests++;
	return 0;
}

/* Fields seen, to refuse repeats and check what is required. */
enum {
	F_MEMBER = 1 << 0, F_ORG = 1 << 1, F_SERVER = 1 << 2, F_CA = 1 << 3, F_EXPIRES = 1 << 4, F_LEFT = 1 << 5,
	F_SLOT = 1 << 6, F_SERIAL = 1 << 7, F_SEALED = 1 << 8, F_INVITE = 1 << 9,
	F_OPEN_REQUIRED = F_MEMBER | F_ORG | F_SERVER | F_CA | F_EXPIRES | F_LEFT,
	F_COLLECT_ONLY = F_SLOT | F_SERIAL | F_SEALED,
};

/* One "key value" line of an OK answer. 0, or -1. */
static int parse_field(broker_answer_t *a, const char *key, char *v, unsigned *seen)
{
	static const struct {
		const char	*key;
		unsigned	bit;
	} once[] = {
		{ "member", F_MEMBER }, { "org", F_ORG }, { "server_name", F_SERVER }, { "ca", F_CA },
		{ "expires", F_EXPIRES }, { "devices_left", F_LEFT }, { "slot", F_SLOT }, { "serial", F_SERIAL },
		{ "sealed", F_SEALED }, { "invite", F_INVITE },
	};
	int64_t n;

	for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
		if (strcmp(key, once[i].key) != 0) continue;
		if (*seen & once[i].bit) return -1;
		*seen |= once[i].bit;
	}
	if (strcmp(key, "member") == 0)
		return cw_name_check_id(v, "member id", NULL) < 0 ? -1 : copy(a->member, sizeof(a->member), v);
	if (strcmp(key, "org") == 0)
		return cw_name_check_org(v, NULL) < 0 ? -1 : copy(a->org, sizeof(a->org), v);
	if (strcmp(key, "server_name") == 0)
		return cw_name_check_dns(v, NULL) < 0 ? -1 : copy(a->server_name, sizeof(a->server_name), v);
	if (strcmp(key, "ssid") == 0) {
		if (a->nssids == BROKER_MAX_SSIDS || cw_name_check_ssid(v, NULL) < 0) return -1;
		return copy(a->ssids[a->nssids++], sizeof(a->ssids[0]), v);
	}
	if (strcmp(key, "ca") == 0) return b64_decode(v, strlen(v), BROKER_CA_MAX, &a->ca_der, &a->ca_der_len);
	if (strcmp(key, "sealed") == 0) return b64_decode(v, strlen(v), CW_SEAL_MAX, &a->sealed, &a->sealed_len);
	if (strcmp(key, "expires") == 0) return parse_num(v, INT64_MAX, &a->expires);
	if (strcmp(key, "devices_left") == 0) {
		if (parse_num(v, 1000000, &n) < 0) return -1;
		a->devices_left = (unsigned)n;
		return 0;
	}
	if (strcmp(key, "slot") == 0) {
		if (parse_num(v, 1000000, &n) < 0) return -1;
		a->slot = (unsigned)n;
		return 0;
	}
	if (strcmp(key, "invite") == 0) {
		a->has_invite = true;
		return parse_num(v, INT64_MAX, &a->invite_id);
	}
	if (strcmp(key, "serial") == 0) {
		if (cw_serial_normalise(v, strlen(v), a->serial, NULL) < 0) return -1;
		return strcmp(a->serial, v) == 0 ? 0 : -1;
	}
	if (strcmp(key, "device") == 0) return parse_device(a, v);
	if (strcmp(key, "guest") == 0) return parse_guest(a, v);
	return 0;	/* a field a later broker adds: not ours to refuse */
}

/* The lines after OK, up to END (excluded). 0, or -1 with err. */
static int parse_ok(char *body, bool collect, broker_answer_t *a, cw_err_t *err)
{
	unsigned seen = 0, lineno = 1;
	char *save = NULL;

	for (char *line = strtok_r(body, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sp = strchr(line, ' ');

		lineno++;
		if (!sp || sp == line || !sp[1]) {
			cw_err_set(err, "broker: answer line %u is not \"key value\"", lineno);
			return -1;
		}
		*sp = '\0';
		if (parse_field(a, line, sp + 1, &seen) < 0) {
			cw_err_set(err, "broker: answer line %u (%.20s): bad or repeated value", lineno, line);
			return -1;
		}
	}
	if ((seen & F_OPEN_REQUIRED) != F_OPEN_REQUIRED || a->nssids == 0) {
		cw_err_set(err, "broker: the answer lacks a required field");
		return -1;
	}
	if (collect ? (seen & F_COLLECT_ONLY) != F_COLLECT_ONLY : (seen & F_COLLECT_ONLY) != 0) {
		cw_err_set(err, "broker: slot, serial and sealed %s", collect ? "missing" : "where none was asked for");
		return -1;
	}
	a->collected = collect;
	return 0;
}

int broker_answer_parse(const char *text, size_t len, bool collect, broker_answer_t *a, cw_err_t *err)
{
	char *copy_text, *body;
	int rc = -1;

	memset(a, 0, sizeof(*a));
	a->status = BROKER_ERR;
	if (len > BROKER_ANSWER_MAX || memchr(text, '\0', len) || !ends_with_end(text, len) || memchr(text, '\r', len)) {
		cw_err_set(err, "broker: malformed answer");
		return -1;
	}
	if (!(copy_text = malloc(len + 1))) {
		cw_err_set(err, "broker: out of memory");
		return -1;
	}
	memcpy(copy_text, text, len - 4);	/* without END\n */
	copy_text[len - 4] = '\0';
	body = copy_text + strcspn(copy_text, "\n");
	if (*body) *body++ = '\0';
	if (strcmp(copy_text, "NO") == 0 && !*body) {
		a->status = BROKER_NO;
		rc = 0;
	} else if (strncmp(copy_text, "ERR", 3) == 0 && (copy_text[3] == '\0' || copy_text[3] == ' ') && !*body) {
		(void)copy(a->message, sizeof(a->message), copy_text[3] ? copy_text + 4 : "");
		rc = 0;
	} else if (strcmp(copy_text, "OK") == 0) {
		rc = parse_ok(body, collect, a, err);
		if (rc == 0) a->status = BROKER_OK;
	} else {
		cw_err_set(err, "broker: unknown status line");
	}
	broker_text_free(copy_text, len + 1);
	return rc;
}

void broker_answer_free(broker_answer_t *a)
{
	if (!a) return;
	free(a->ca_der);
	if (a->sealed) cw_wipe(a->sealed, a->sealed_len);
	free(a->sealed);
	a->ca_der = a->sealed = NULL;
	a->ca_der_len = a->sealed_len = 0;
}
