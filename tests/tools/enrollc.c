/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * enrollc - a client of coworkctl enroll-broker for the tests: one request
 * on the broker's Unix socket, the answer printed as received.
 *
 * usage: enrollc [--no-newline] [--slow MS] [--size N] [--timeout S] SOCKET [LINE]
 *
 * Sends LINE and a '\n' (none with --no-newline), or with --size N a line
 * of N bytes ('A's, its '\n' the last of them; LINE, if given, ignored), in one write; with --slow
 * MS the first half, a pause of MS milliseconds, then the rest. Then reads
 * until the broker closes the connection (at most --timeout S, default 10)
 * and prints it. Exit 0 when the answer ended in "END\n", 1 when not, 2
 * when it could not connect (the reason on standard error, e.g.
 * "Permission denied").
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define ANSWER_MAX (1 << 20)

static int usage(void)
{
	fprintf(stderr, "usage: enrollc [--no-newline] [--slow MS] [--size N] [--timeout S] SOCKET [LINE]\n");
	return 2;
}

static int connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path)) return -1;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

static void send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR) continue;
		if (w <= 0) return;	/* the broker may have closed already: read what it said */
		p += w;
		n -= (size_t)w;
	}
}

int main(int argc, char **argv)
{
	bool newline = true;
	long slow_ms = 0, size = 0, timeout_s = 10;
	char *req, *answer;
	size_t len, have = 0;
	int i, fd;

	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		if (strcmp(argv[i], "--no-newline") == 0) newline = false;
		else if (strcmp(argv[i], "--slow") == 0 && i + 1 < argc) slow_ms = atol(argv[++i]);
		else if (strcmp(argv[i], "--size") == 0 && i + 1 < argc) size = atol(argv[++i]);
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc) timeout_s = atol(argv[++i]);
		else return usage();
	}
	if (i >= argc || (size <= 0 && i + 2 != argc) || (size > 0 && i + 2 < argc)) return usage();
	if (size > 0) {
		req = malloc((size_t)size);
		if (!req) return 2;
		memset(req, 'A', (size_t)size);
		req[size - 1] = '\n';
		len = (size_t)size;
	} else {
		len = strlen(argv[i + 1]);
		req = malloc(len + 1);
		if (!req) return 2;
		memcpy(req, argv[i + 1], len);
		if (newline) req[len++] = '\n';
	}
	fd = connect_to(argv[i]);
	if (fd < 0) {
		fprintf(stderr, "enrollc: %s: %s\n", argv[i], strerror(errno));
		return 2;
	}
	if (slow_ms > 0) {
		struct timespec pause = { slow_ms / 1000, (slow_ms % 1000) * 1000000L };

		send_all(fd, req, len / 2);
		nanosleep(&pause, NULL);
		send_all(fd, req + len / 2, len - len / 2);
	} else {
		send_all(fd, req, len);
	}
	free(req);
	answer = malloc(ANSWER_MAX);
	if (!answer) return 2;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (have == ANSWER_MAX || poll(&p, 1, (int)(timeout_s * 1000)) <= 0) break;
		n = read(fd, answer + have, ANSWER_MAX - have);
		if (n < 0 && errno == EINTR) continue;
		if (n <= 0) break;
		have += (size_t)n;
	}
	close(fd);
	fwrite(answer, 1, have, stdout);
	i = have >= 4 && memcmp(answer + have - 4, "END\n", 4) == 0 ? 0 : 1;
	free(answer);
	return i;
}
