/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * radtest.c - the integration tests' own RADIUS sender.
 *
 * Sends one Access-Request over UDP (by default shaped like hostapd's MAC
 * authentication with wpa_psk_radius) and checks and decodes the raw reply
 * itself, so that the tests do not depend on radclient's printing:
 * RFC 2865 (packet, Response Authenticator, User-Password), RFC 2868
 * (tagged tunnel attributes, Tunnel-Password), RFC 3579 3.2
 * (Message-Authenticator), RFC 3580 (VLAN attributes), and the vendor
 * equivalents Cisco-AVPair and Aruba-MPSK-Passphrase.
 *
 * Output: one "name=value" fact per line on stdout. Strings from the reply
 * are printed with every byte outside 0x20..0x7e, and the backslash, escaped
 * as \xNN (or \\), so a line is always one line. The shared secret is never
 * printed.
 *
 * Exit status: 0 a reply with a valid Response Authenticator (and a valid
 * Message-Authenticator if it carries one); 1 no reply in time; 2 usage;
 * 3 a reply that is malformed or fails an authenticator check; 4 a local
 * failure (socket, crypto library).
 *
 * Every length in the reply is checked before a byte it covers is read.
 */
#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "radpkt.h"

#define EXIT_NOREPLY	1
#define EXIT_USAGE	2
#define EXIT_BADREPLY	3
#define EXIT_LOCAL	4

#define VENDOR_CISCO		9
#define VENDOR_ARUBA		14823
#define CISCO_AVPAIR		1
#define ARUBA_MPSK_PASSPHRASE	44

struct options {
	const char	*server;	/* HOST:PORT, points into argv */
	const char	*source;	/* local address to send from; NULL: the kernel's choice */
	const char	*mac;		/* AA-BB-CC-DD-EE-FF or NULL */
	const char	*user_name;	/* NULL: from --mac, or none */
	const char	*password;	/* NULL: from --mac, or none; "-": none */
	const char	*calling;	/* NULL: from --mac, or none */
	const char	*called;	/* NULL: none */
	int		no_message_authenticator;
	long long	timeout_ms;
	long long	retries;
	long long	id;		/* -1: random */
	struct packet	raw;		/* --raw attributes, already encoded */
};

static void __attribute__((noreturn))
usage(void)
{
	fprintf(stderr,
	    "usage: radtest --server HOST:PORT --secret SECRET [options]\n"
	    "  --mac AA-BB-CC-DD-EE-FF        hostapd-style MAC-authentication request\n"
	    "  --called STRING                Called-Station-Id\n"
	    "  --user-name S                  User-Name (\"\" sends an empty attribute)\n"
	    "  --password S                   User-Password (\"-\" omits it)\n"
	    "  --calling S                    Calling-Station-Id\n"
	    "  --no-message-authenticator     do not add Message-Authenticator\n"
	    "  --raw TYPE:HEX                 append a raw attribute (repeatable)\n"
	    "  --timeout MS                   wait per attempt (default 3000)\n"
	    "  --retries N                    attempts (default 1)\n"
	    "  --id N                         RADIUS identifier (default random)\n"
	    "  --source ADDR                  send from this local address (e.g. 127.0.0.2)\n");
	exit(EXIT_USAGE);
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/*
 * Decode a hex string of even length into out (room for max bytes).
 * Returns the byte count, or -1 on bad hex or overflow.
 */
static int
hex_decode(const char *hex, uint8_t *out, size_t max)
{
	size_t	n = strlen(hex), i;

	if (n % 2 != 0 || n / 2 > max)
		return -1;
	for (i = 0; i < n / 2; i++) {
		int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return (int)(n / 2);
}

/* --raw TYPE:HEX: validated and encoded into opts->raw. Exits on error. */
static void
add_raw_option(struct options *opts, const char *arg)
{
	char		 typebuf[8];
	const char	*colon = strchr(arg, ':');
	uint8_t		 value[RADIUS_ATTR_MAX];
	long long	 type;
	int		 n;

	if (colon == NULL || (size_t)(colon - arg) >= sizeof(typebuf))
		errx(EXIT_USAGE, "--raw: expected TYPE:HEX");
	memcpy(typebuf, arg, (size_t)(colon - arg));
	typebuf[colon - arg] = '\0';
	if (radpkt_parse_number(typebuf, 1, 255, &type) == -1)
		errx(EXIT_USAGE, "--raw: type must be 1..255");
	if ((n = hex_decode(colon + 1, value, sizeof(value))) < 0)
		errx(EXIT_USAGE, "--raw: value must be even-length hex, "
		    "at most %d bytes", RADIUS_ATTR_MAX);
	if (radpkt_add_attr(&opts->raw, (uint8_t)type, value, (size_t)n) == -1)
		errx(EXIT_USAGE, "--raw: too many raw attributes");
}

/*
 * Parse AA-BB-CC-DD-EE-FF (or with ':'), any case, into the User-Name form
 * "aabbccddeeff" and the Calling-Station-Id form "AA-BB-CC-DD-EE-FF".
 */
static void
parse_mac(const char *arg, char user[13], char calling[18])
{
	static const char	lower[] = "0123456789abcdef";
	static const char	upper[] = "0123456789ABCDEF";
	int			i;

	if (strlen(arg) != 17)
		errx(EXIT_USAGE, "--mac: expected AA-BB-CC-DD-EE-FF");
	for (i = 0; i < 6; i++) {
		const char	*p = arg + 3 * i;
		int		 hi = hex_value(p[0]), lo = hex_value(p[1]);

		if (hi < 0 || lo < 0 || (i < 5 && p[2] != '-' && p[2] != ':'))
			errx(EXIT_USAGE, "--mac: expected AA-BB-CC-DD-EE-FF");
		user[2 * i] = lower[hi];
		user[2 * i + 1] = lower[lo];
		calling[3 * i] = upper[hi];
		calling[3 * i + 1] = upper[lo];
		calling[3 * i + 2] = i < 5 ? '-' : '\0';
	}
	user[12] = '\0';
}

static void
parse_options(int argc, char **argv, struct options *opts)
{
	enum { O_SERVER = 256, O_SECRET, O_MAC, O_CALLED, O_USER, O_PASS,
	    O_CALLING, O_NOMA, O_RAW, O_TIMEOUT, O_RETRIES, O_ID, O_SOURCE, O_HELP };
	static const struct option longopts[] = {
		{ "server",	required_argument, NULL, O_SERVER },
		{ "secret",	required_argument, NULL, O_SECRET },
		{ "mac",	required_argument, NULL, O_MAC },
		{ "called",	required_argument, NULL, O_CALLED },
		{ "user-name",	required_argument, NULL, O_USER },
		{ "password",	required_argument, NULL, O_PASS },
		{ "calling",	required_argument, NULL, O_CALLING },
		{ "no-message-authenticator", no_argument, NULL, O_NOMA },
		{ "raw",	required_argument, NULL, O_RAW },
		{ "timeout",	required_argument, NULL, O_TIMEOUT },
		{ "retries",	required_argument, NULL, O_RETRIES },
		{ "id",		required_argument, NULL, O_ID },
		{ "source",	required_argument, NULL, O_SOURCE },
		{ "help",	no_argument, NULL, O_HELP },
		{ NULL, 0, NULL, 0 }
	};
	int	ch;

	memset(opts, 0, sizeof(*opts));
	opts->timeout_ms = 3000;
	opts->retries = 1;
	opts->id = -1;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case O_SERVER:	opts->server = optarg; break;
		case O_SECRET:	radpkt_secret_set(optarg); break;
		case O_MAC:	opts->mac = optarg; break;
		case O_CALLED:	opts->called = optarg; break;
		case O_USER:	opts->user_name = optarg; break;
		case O_PASS:	opts->password = optarg; break;
		case O_CALLING:	opts->calling = optarg; break;
		case O_SOURCE:	opts->source = optarg; break;
		case O_NOMA:	opts->no_message_authenticator = 1; break;
		case O_RAW:	add_raw_option(opts, optarg); break;
		case O_TIMEOUT:
			if (radpkt_parse_number(optarg, 1, 600000, &opts->timeout_ms))
				errx(EXIT_USAGE, "--timeout: 1..600000 ms");
			break;
		case O_RETRIES:
			if (radpkt_parse_number(optarg, 1, 100, &opts->retries))
				errx(EXIT_USAGE, "--retries: 1..100");
			break;
		case O_ID:
			if (radpkt_parse_number(optarg, 0, 255, &opts->id))
				errx(EXIT_USAGE, "--id: 0..255");
			break;
		default:
			usage();
		}
	}
	if (optind != argc || opts->server == NULL || radpkt_secret_len == 0)
		usage();
}

/* RFC 2865 5.2 User-Password; exits on an error. */
static int
add_user_password(struct packet *pkt, const char *password)
{
	if (strlen(password) > PASSWORD_MAX)
		errx(EXIT_USAGE, "--password: at most %d bytes", PASSWORD_MAX);
	switch (radpkt_add_user_password(pkt, radpkt_secret, radpkt_secret_len, password)) {
	case 0:
		return 0;
	case RADPKT_CRYPTO:
		errx(EXIT_LOCAL, "MD5 failed");
	default:
		return -1;
	}
}

/* RFC 3579 3.2 Message-Authenticator; exits on an error. */
static void
add_message_authenticator(struct packet *pkt)
{
	switch (radpkt_add_message_authenticator(pkt, radpkt_secret, radpkt_secret_len)) {
	case 0:
		return;
	case RADPKT_CRYPTO:
		errx(EXIT_LOCAL, "HMAC-MD5 failed");
	default:
		errx(EXIT_USAGE, "request too large for Message-Authenticator");
	}
}

/* Header with a random Request Authenticator; the identifier from opts. */
static void
start_request(struct packet *pkt, const struct options *opts)
{
	uint8_t	rnd;

	memset(pkt, 0, sizeof(*pkt));
	if (RAND_bytes(pkt->data + 4, RADIUS_AUTH_LEN) != 1 ||
	    RAND_bytes(&rnd, 1) != 1)
		errx(EXIT_LOCAL, "RAND_bytes failed");
	pkt->data[0] = CODE_ACCESS_REQUEST;
	pkt->data[1] = opts->id >= 0 ? (uint8_t)opts->id : rnd;
	pkt->len = RADIUS_HDR_LEN;
}

/*
 * Attributes in hostapd's order (ieee802_11_auth.c plus its common NAS
 * attributes); then the --raw ones; then Message-Authenticator.
 */
static void
build_request(struct packet *pkt, const struct options *opts)
{
	static const uint8_t nas_ip[4] = { 127, 0, 0, 1 };
	uint8_t		port_type[4] = { 0, 0, 0, NAS_PORT_TYPE_80211 };
	char		mac_user[13] = "", mac_calling[18] = "";
	const char	*user = opts->user_name, *pass = opts->password;
	const char	*calling = opts->calling;
	int		bad = 0;

	start_request(pkt, opts);
	if (opts->mac != NULL) {
		parse_mac(opts->mac, mac_user, mac_calling);
		if (user == NULL) user = mac_user;
		if (pass == NULL) pass = mac_user;
		if (calling == NULL) calling = mac_calling;
	}
	if (user != NULL)
		bad |= radpkt_add_string(pkt, ATTR_USER_NAME, user);
	if (pass != NULL && strcmp(pass, "-") != 0)
		bad |= add_user_password(pkt, pass);
	if (opts->mac != NULL) {
		bad |= radpkt_add_attr(pkt, ATTR_NAS_IP_ADDRESS, nas_ip, 4);
		bad |= radpkt_add_string(pkt, ATTR_NAS_IDENTIFIER, "test-ap");
	}
	if (opts->called != NULL)
		bad |= radpkt_add_string(pkt, ATTR_CALLED_STATION_ID, opts->called);
	if (calling != NULL)
		bad |= radpkt_add_string(pkt, ATTR_CALLING_STATION_ID, calling);
	if (opts->mac != NULL) {
		bad |= radpkt_add_attr(pkt, ATTR_NAS_PORT_TYPE, port_type, 4);
		bad |= radpkt_add_string(pkt, ATTR_CONNECT_INFO,
		    "CONNECT 54Mbps 802.11g");
	}
	if (opts->raw.len > RADIUS_MAX_LEN - pkt->len)
		bad = -1;
	else {
		memcpy(pkt->data + pkt->len, opts->raw.data, opts->raw.len);
		pkt->len += opts->raw.len;
	}
	if (bad != 0)
		errx(EXIT_USAGE, "request too large (a value over %d bytes, "
		    "or more than %d bytes in all)", RADIUS_ATTR_MAX,
		    RADIUS_MAX_LEN);
	if (!opts->no_message_authenticator)
		add_message_authenticator(pkt);
	radpkt_set_length(pkt);
}

/*
 * Bind fd to the local address source (numeric, same family as the
 * server's), so that the server sees the request come from it. Exits on
 * error.
 */
static void
bind_source(int fd, int family, const char *source)
{
	struct addrinfo	 hints, *res = NULL;
	int		 gai;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
	if ((gai = getaddrinfo(source, "0", &hints, &res)) != 0)
		errx(EXIT_USAGE, "--source %s: %s", source, gai_strerror(gai));
	if (bind(fd, res->ai_addr, res->ai_addrlen) == -1)
		err(EXIT_LOCAL, "--source %s", source);
	freeaddrinfo(res);
}

/*
 * Connected UDP socket to HOST:PORT (IPv6 literals as [addr]:port), sent
 * from source when not NULL; the kernel then drops datagrams from any
 * other source. Exits on error.
 */
static int
open_socket(const char *server, const char *source)
{
	struct addrinfo	 hints, *res = NULL, *ai;
	char		 host[256];
	const char	*port, *h = server;
	size_t		 hlen;
	int		 fd = -1, gai;

	if ((port = strrchr(server, ':')) == NULL || port[1] == '\0')
		errx(EXIT_USAGE, "--server: expected HOST:PORT");
	hlen = (size_t)(port - server);
	port++;
	if (hlen >= 2 && h[0] == '[' && h[hlen - 1] == ']') {
		h++;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= sizeof(host))
		errx(EXIT_USAGE, "--server: bad host");
	memcpy(host, h, hlen);
	host[hlen] = '\0';

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_DGRAM;
	if ((gai = getaddrinfo(host, port, &hints, &res)) != 0)
		errx(EXIT_USAGE, "--server %s: %s", server, gai_strerror(gai));
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
		if (fd == -1)
			continue;
		if (source != NULL)
			bind_source(fd, ai->ai_family, source);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd == -1)
		err(EXIT_LOCAL, "cannot reach %s", server);
	return fd;
}

static long long
now_ms(void)
{
	struct timespec	ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) == -1)
		err(EXIT_LOCAL, "clock_gettime");
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Wait until deadline for a datagram carrying our identifier; others are
 * ignored. Returns the bytes stored in reply (at most sizeof reply->data;
 * what lies beyond is outside any valid Length field anyway), or 0.
 */
static size_t
await_reply(int fd, uint8_t id, long long deadline, struct packet *reply)
{
	struct pollfd	pfd = { .fd = fd, .events = POLLIN };
	long long	left;
	ssize_t		n;

	while ((left = deadline - now_ms()) > 0) {
		if (poll(&pfd, 1, (int)left) <= 0)
			continue;	/* EINTR or timeout: re-check the clock */
		n = recv(fd, reply->data, sizeof(reply->data), MSG_TRUNC);
		if (n < 0)
			continue;	/* e.g. ECONNREFUSED from an ICMP */
		if (n < 2 || reply->data[1] != id)
			continue;
		reply->len = (size_t)n < sizeof(reply->data) ?
		    (size_t)n : sizeof(reply->data);
		return reply->len;
	}
	return 0;
}

/* Send req up to opts->retries times; returns 1 with a reply, else 0. */
static int
exchange(int fd, const struct packet *req, const struct options *opts,
    struct packet *reply)
{
	long long	attempt;

	for (attempt = 0; attempt < opts->retries; attempt++) {
		if (send(fd, req->data, req->len, 0) != (ssize_t)req->len)
			warn("send");
		if (await_reply(fd, req->data[1], now_ms() + opts->timeout_ms,
		    reply) > 0)
			return 1;
	}
	return 0;
}

/* name=value with value escaped so that the line stays one greppable line. */
static void
print_escaped(const char *name, const uint8_t *v, size_t len)
{
	size_t	i;

	printf("%s=", name);
	for (i = 0; i < len; i++) {
		if (v[i] == '\\')
			fputs("\\\\", stdout);
		else if (v[i] >= 0x20 && v[i] < 0x7f)
			putchar(v[i]);
		else
			printf("\\x%02x", v[i]);
	}
	putchar('\n');
}

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/*
 * RFC 2868 3.5 decryption of salt(2) || ciphertext(n*16), len bytes at v.
 * b(1) = MD5(secret + Request Authenticator + salt), b(i) = MD5(secret +
 * c(i-1)); the first plaintext byte is the data length. On success the
 * data (at most 255 bytes) goes to out and NULL is returned; else the
 * reason. The caller wipes out.
 */
static const char *
tunnel_decrypt(const uint8_t *v, size_t len, const uint8_t *req_auth,
    uint8_t out[256], size_t *out_len)
{
	uint8_t		plain[256], b[16];
	const uint8_t	*c;
	size_t		clen, i, j;

	if (len < 2)
		return "short";
	if ((v[0] & 0x80) == 0)
		return "salt";
	c = v + 2;
	clen = len - 2;
	if (clen == 0 || clen % 16 != 0 || clen > sizeof(plain))
		return "length";
	for (i = 0; i < clen; i += 16) {
		int rc = i == 0 ?
		    radpkt_md5_concat(b, radpkt_secret, radpkt_secret_len, req_auth,
			RADIUS_AUTH_LEN, v, 2) :
		    radpkt_md5_concat(b, radpkt_secret, radpkt_secret_len, c + i - 16, 16,
			NULL, 0);

		if (rc == -1)
			errx(EXIT_LOCAL, "MD5 failed");
		for (j = 0; j < 16; j++)
			plain[i + j] = c[i + j] ^ b[j];
	}
	explicit_bzero(b, sizeof(b));
	if (plain[0] > clen - 1) {
		explicit_bzero(plain, sizeof(plain));
		return "data_length";
	}
	*out_len = plain[0];
	memcpy(out, plain + 1, *out_len);
	explicit_bzero(plain, sizeof(plain));
	return NULL;
}

/* Decrypt and print one passphrase (Tunnel-Password or Aruba-MPSK). */
static void
print_tunnel_secret(const char *name, const uint8_t *v, size_t len,
    const uint8_t *req_auth)
{
	uint8_t		 out[256];
	size_t		 out_len = 0;
	const char	*error;
	char		 errname[64];

	error = tunnel_decrypt(v, len, req_auth, out, &out_len);
	if (error == NULL)
		print_escaped(name, out, out_len);
	else {
		if (snprintf(errname, sizeof(errname), "%s_error", name) >=
		    (int)sizeof(errname))
			errx(EXIT_LOCAL, "name too long");
		printf("%s=%s\n", errname, error);
	}
	explicit_bzero(out, sizeof(out));
}

/* Tunnel-Type, Tunnel-Medium-Type: tag(1) || 24-bit value (RFC 2868). */
static void
print_tagged_integer(const char *name, const uint8_t *v, size_t len)
{
	if (len != 4)
		printf("%s_error=length\n", name);
	else
		printf("%s=%u\n", name, get_u32(v) & 0xffffff);
}

/* Sub-attributes of a Cisco or Aruba Vendor-Specific (RFC 2865 5.26). */
static void
print_vendor_specific(const uint8_t *v, size_t len, const uint8_t *req_auth)
{
	uint32_t	vendor;
	size_t		pos;

	if (len < 4) {
		printf("vsa_error=short\n");
		return;
	}
	vendor = get_u32(v);
	if (vendor != VENDOR_CISCO && vendor != VENDOR_ARUBA)
		return;
	for (pos = 4; pos < len; pos += v[pos + 1]) {
		if (len - pos < 2 || v[pos + 1] < 2 || v[pos + 1] > len - pos) {
			printf("vsa_error=%u:length\n", vendor);
			return;
		}
		printf("vsa=%u:%u:%u\n", vendor, v[pos], v[pos + 1]);
		if (vendor == VENDOR_CISCO && v[pos] == CISCO_AVPAIR)
			print_escaped("cisco_avpair", v + pos + 2,
			    v[pos + 1] - 2u);
		else if (vendor == VENDOR_ARUBA &&
		    v[pos] == ARUBA_MPSK_PASSPHRASE)
			print_tunnel_secret("aruba_mpsk", v + pos + 2,
			    v[pos + 1] - 2u, req_auth);
	}
}

static void
print_attribute(uint8_t type, const uint8_t *v, size_t len,
    const uint8_t *req_auth)
{
	printf("attr=%u:%zu\n", type, len + 2);
	switch (type) {
	case ATTR_TUNNEL_PASSWORD:
		if (len < 1) {
			printf("tunnel_password_error=short\n");
			break;
		}
		printf("tunnel_password_tag=%u\n", v[0]);
		print_tunnel_secret("tunnel_password", v + 1, len - 1,
		    req_auth);
		break;
	case ATTR_TUNNEL_PRIVATE_GID:
		if (len > 0 && v[0] < 0x20)
			print_escaped("vlan", v + 1, len - 1);
		else
			print_escaped("vlan", v, len);
		break;
	case ATTR_TUNNEL_TYPE:
		print_tagged_integer("tunnel_type", v, len);
		break;
	case ATTR_TUNNEL_MEDIUM_TYPE:
		print_tagged_integer("tunnel_medium_type", v, len);
		break;
	case ATTR_SESSION_TIMEOUT:
		if (len != 4)
			printf("session_timeout_error=length\n");
		else
			printf("session_timeout=%u\n", get_u32(v));
		break;
	case ATTR_REPLY_MESSAGE:
		print_escaped("reply_message", v, len);
		break;
	case ATTR_VENDOR_SPECIFIC:
		print_vendor_specific(v, len, req_auth);
		break;
	default:
		break;
	}
}

static void
print_code(uint8_t code)
{
	switch (code) {
	case CODE_ACCESS_ACCEPT:	puts("code=Access-Accept"); break;
	case CODE_ACCESS_REJECT:	puts("code=Access-Reject"); break;
	case CODE_ACCESS_CHALLENGE:	puts("code=Access-Challenge"); break;
	default:			printf("code=%u\n", code); break;
	}
}

/* Check and print a reply to req. Returns the exit status. */
static int
report_reply(struct packet *reply, const struct packet *req)
{
	const uint8_t	*req_auth = req->data + 4;
	const char	*malformed, *ma_state;
	size_t		 pos;
	int		 ra_ok;

	if (reply->len >= 1)
		print_code(reply->data[0]);
	if ((malformed = radpkt_check_structure(reply)) != NULL) {
		printf("malformed=%s\n", malformed);
		return EXIT_BADREPLY;
	}
	ra_ok = radpkt_verify_reply(reply, req_auth, radpkt_secret, radpkt_secret_len,
	    &ma_state);
	if (ra_ok == -1)
		errx(EXIT_LOCAL, "MD5 failed");
	printf("response_authenticator=%s\n", ra_ok ? "ok" : "bad");
	printf("message_authenticator=%s\n", ma_state);
	for (pos = RADIUS_HDR_LEN; pos < reply->len;
	    pos += reply->data[pos + 1])
		print_attribute(reply->data[pos], reply->data + pos + 2,
		    reply->data[pos + 1] - 2u, req_auth);
	if (!ra_ok || strcmp(ma_state, "bad") == 0)
		return EXIT_BADREPLY;
	return 0;
}

int
main(int argc, char **argv)
{
	static struct options	opts;
	static struct packet	req, reply;
	int			fd, rc;

	parse_options(argc, argv, &opts);
	build_request(&req, &opts);
	fd = open_socket(opts.server, opts.source);
	if (!exchange(fd, &req, &opts, &reply)) {
		fprintf(stderr, "radtest: no reply within %lld ms x %lld\n",
		    opts.timeout_ms, opts.retries);
		rc = EXIT_NOREPLY;
	} else
		rc = report_reply(&reply, &req);
	close(fd);
	explicit_bzero(&req, sizeof(req));
	if (fflush(stdout) != 0)
		err(EXIT_LOCAL, "stdout");
	return rc;
}
