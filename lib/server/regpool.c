/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * regpool.c - read-only registry connections for the module's threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "regpool.h"

struct cw_regpool {
	pthread_mutex_t	lock;
	char		*path;
	unsigned	busy_ms;
	unsigned	max_idle;
	unsigned	n_idle;
	cw_regconn_t	*idle;		//!< Connections of generation gen, ready for use.
	unsigned	gen;		//!< Bumped when the file at path changes identity.
	dev_t		dev;		//!< Identity of the file the idle connections opened.
	ino_t		ino;
	struct timespec	checked_ctime;	//!< ctime when readability was last verified
	int64_t		path_checked_ms;	//!< monotonic ms of the last successful path check; atomic
};

/* The path itself is stat()ed at least this often (see cw_regpool_get). */
#define PATH_CHECK_MS	1000

static int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cw_regpool_create(const char *path, unsigned busy_ms, unsigned max_idle, cw_regpool_t **out, cw_err_t *err)
{
	cw_regpool_t *pool = calloc(1, sizeof(*pool));

	*out = NULL;
	if (!pool || !(pool->path = strdup(path))) {
		free(pool);
		cw_err_set(err, "out of memory");
		return -1;
	}
	if (pthread_mutex_init(&pool->lock, NULL) != 0) {
		free(pool->path);
		free(pool);
		cw_err_set(err, "cannot initialise a mutex");
		return -1;
	}
	pool->busy_ms = busy_ms;
	pool->max_idle = max_idle;
	*out = pool;
	return 0;
}

static void close_list(cw_regconn_t *c)
{
	while (c) {
		cw_regconn_t *next = c->next;

		cw_registry_close(c->reg);
		free(c);
		c = next;
	}
}

/*
 * Is the registry still there and readable with our effective ids? The
 * permission check runs again whenever the file's ctime moves (chmod,
 * chown, and every write change it) or it is another file.
 */
static int check_file(cw_regpool_t *pool, struct stat *st, cw_err_t *err)
{
	bool same;

	if (stat(pool->path, st) < 0) {
		cw_err_set(err, "registry %s: %s", pool->path, strerror(errno));
		return -1;
	}
	pthread_mutex_lock(&pool->lock);
	same = st->st_dev == pool->dev && st->st_ino == pool->ino &&
	       st->st_ctim.tv_sec == pool->checked_ctime.tv_sec && st->st_ctim.tv_nsec == pool->checked_ctime.tv_nsec;
	pthread_mutex_unlock(&pool->lock);
	if (same) return 0;
	if (faccessat(AT_FDCWD, pool->path, R_OK, AT_EACCESS) < 0) {
		cw_err_set(err, "registry %s is not readable by the server (uid %u): %s", pool->path,
			   (unsigned)geteuid(), strerror(errno));
		return -1;
	}
	return 1;	/* verified anew: the caller records this ctime */
}

/*
 * The fast way, without resolving the path (a stat() of it cost more than the
 * rest of a guest decision): an idle connection whose own descriptor shows the
 * file still linked (an unlink, or a rename over it, leaves the old inode with
 * no link), the same inode, the ctime last verified (chmod, chown and every
 * write move it), and a path check less than PATH_CHECK_MS ago. Anything else
 * takes the full check. NULL when the fast way does not apply.
 */
static cw_regconn_t *get_fast(cw_regpool_t *pool)
{
	cw_regconn_t *conn;
	struct stat st;
	bool same;
	int fd;

	if (monotonic_ms() - __atomic_load_n(&pool->path_checked_ms, __ATOMIC_RELAXED) >= PATH_CHECK_MS) return NULL;
	pthread_mutex_lock(&pool->lock);
	conn = pool->idle;
	if (conn) {
		pool->idle = conn->next;
		pool->n_idle--;
	}
	pthread_mutex_unlock(&pool->lock);
	if (!conn) return NULL;
	conn->next = NULL;
	fd = cw_registry_reader_fd(conn->reg);
	if (fd >= 0 && fstat(fd, &st) == 0 && st.st_nlink > 0) {
		pthread_mutex_lock(&pool->lock);
		same = conn->gen == pool->gen && st.st_dev == pool->dev && st.st_ino == pool->ino &&
		       st.st_ctim.tv_sec == pool->checked_ctime.tv_sec &&
		       st.st_ctim.tv_nsec == pool->checked_ctime.tv_nsec;
		pthread_mutex_unlock(&pool->lock);
		if (same) return conn;
	}
	cw_regpool_put(pool, conn, false);
	return NULL;
}

cw_regconn_t *cw_regpool_get(cw_regpool_t *pool, cw_err_t *err)
{
	cw_regconn_t *conn = get_fast(pool), *stale = NULL;
	struct stat st;
	unsigned gen;
	int checked;

	if (conn) return conn;
	if ((checked = check_file(pool, &st, err)) < 0) return NULL;
	__atomic_store_n(&pool->path_checked_ms, monotonic_ms(), __ATOMIC_RELAXED);

	pthread_mutex_lock(&pool->lock);
	if (st.st_dev != pool->dev || st.st_ino != pool->ino) {
		pool->gen++;
		pool->dev = st.st_dev;
		pool->ino = st.st_ino;
		stale = pool->idle;
		pool->idle = NULL;
		pool->n_idle = 0;
	}
	if (checked == 1) pool->checked_ctime = st.st_ctim;
	gen = pool->gen;
	if (pool->idle) {
		conn = pool->idle;
		pool->idle = conn->next;
		pool->n_idle--;
	}
	pthread_mutex_unlock(&pool->lock);
	close_list(stale);
	if (conn) {
		conn->next = NULL;
		return conn;
	}

	conn = calloc(1, sizeof(*conn));
	if (!conn) {
		cw_err_set(err, "out of memory");
		return NULL;
	}
	if (cw_registry_open_reader(pool->path, pool->busy_ms, &conn->reg, err) < 0) {
		free(conn);
		return NULL;
	}
	conn->gen = gen;
	return conn;
}

void cw_regpool_put(cw_regpool_t *pool, cw_regconn_t *conn, bool broken)
{
	if (!conn) return;
	pthread_mutex_lock(&pool->lock);
	if (!broken && conn->gen == pool->gen && pool->n_idle < pool->max_idle) {
		conn->next = pool->idle;
		pool->idle = conn;
		pool->n_idle++;
		conn = NULL;
	}
	pthread_mutex_unlock(&pool->lock);
	close_list(conn);
}

void cw_regpool_free(cw_regpool_t *pool)
{
	if (!pool) return;
	close_list(pool->idle);
	pthread_mutex_destroy(&pool->lock);
	free(pool->path);
	free(pool);
}
