/*
 * test_fileio.c - unit tests for the atomic file replacement of
 * lib/fileio.c (cw_file_replace, cw_file_replace_check).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

typedef struct {
	char	dir[64];
	char	path[96];
} fx_t;

static int setup(void **state)
{
	fx_t *f = calloc(1, sizeof(*f));

	if (!f) return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/cowork-fileio.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/crl.pem", f->dir);
	*state = f;
	return 0;
}

/* Entries of dir other than . and .., after removing them when clean is true. */
static int entries(const char *dir, bool clean)
{
	char path[512];
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	if (!dp) return -1;
	while ((d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0) continue;
		n++;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (clean && unlink(path) < 0) (void)rmdir(path);
	}
	closedir(dp);
	return n;
}

static int teardown(void **state)
{
	fx_t *f = *state;

	(void)entries(f->dir, true);
	(void)rmdir(f->dir);
	free(f);
	return 0;
}

static void assert_content(const char *path, const char *want)
{
	char *buf = NULL;
	size_t len = 0;
	cw_err_t e = { "" };

	if (cw_file_read(path, 4096, &buf, &len, &e) < 0) fail_msg("%s", e.msg);
	assert_string_equal(buf, want);
	free(buf);
}

static void replace__creates_the_file_with_exactly_the_mode(void **state)
{
	fx_t *f = *state;
	struct stat st;
	mode_t old = umask(077);
	cw_err_t e = { "" };

	assert_int_equal(cw_file_replace_check(f->path, &e), 0);
	assert_int_equal(cw_file_replace(f->path, "one\n", 4, 0644, &e), 0);
	umask(old);
	assert_int_equal(lstat(f->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_content(f->path, "one\n");
	assert_int_equal(entries(f->dir, false), 1);	/* no temporary file left */
}

static void replace__swaps_in_a_new_file(void **state)
{
	fx_t *f = *state;
	struct stat before, after;
	cw_err_t e = { "" };

	assert_int_equal(cw_file_replace(f->path, "one\n", 4, 0644, &e), 0);
	assert_int_equal(stat(f->path, &before), 0);
	assert_int_equal(cw_file_replace(f->path, "two, longer\n", 12, 0644, &e), 0);
	assert_int_equal(stat(f->path, &after), 0);
	assert_int_not_equal(before.st_ino, after.st_ino);	/* renamed in, not rewritten in place */
	assert_content(f->path, "two, longer\n");
	assert_int_equal(entries(f->dir, false), 1);
}

static void replace__replaces_a_link_not_its_target(void **state)
{
	fx_t *f = *state;
	char target[128];
	struct stat st;
	cw_err_t e = { "" };

	snprintf(target, sizeof(target), "%s/target", f->dir);
	assert_int_equal(cw_file_replace(target, "target\n", 7, 0600, &e), 0);
	assert_int_equal(symlink(target, f->path), 0);
	assert_int_equal(cw_file_replace(f->path, "crl\n", 4, 0644, &e), 0);
	assert_int_equal(lstat(f->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_content(target, "target\n");
}

static void replace__refusals_leave_nothing_behind(void **state)
{
	fx_t *f = *state;
	char missing[128];
	cw_err_t e = { "" };

	assert_int_equal(mkdir(f->path, 0700), 0);	/* a directory where the file should go */
	assert_int_equal(cw_file_replace_check(f->path, &e), -1);
	assert_non_null(strstr(e.msg, "is not a regular file"));
	assert_int_equal(cw_file_replace(f->path, "x", 1, 0644, &e), -1);
	assert_non_null(strstr(e.msg, "is not a regular file"));
	assert_int_equal(entries(f->dir, false), 1);

	snprintf(missing, sizeof(missing), "%s/nope/crl.pem", f->dir);
	assert_int_equal(cw_file_replace_check(missing, &e), -1);
	assert_non_null(strstr(e.msg, "does not exist"));
	assert_int_equal(cw_file_replace(missing, "x", 1, 0644, &e), -1);
	snprintf(missing, sizeof(missing), "%s/", f->dir);
	assert_int_equal(cw_file_replace_check(missing, &e), -1);
	assert_non_null(strstr(e.msg, "not a usable file name"));
	assert_int_equal(entries(f->dir, false), 1);
}

static void replace__relative_name_goes_in_the_current_directory(void **state)
{
	fx_t *f = *state;
	char cwd[512];
	cw_err_t e = { "" };

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(f->dir), 0);
	assert_int_equal(cw_file_replace_check("crl.der", &e), 0);
	assert_int_equal(cw_file_replace("crl.der", "d", 1, 0644, &e), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(entries(f->dir, false), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(replace__creates_the_file_with_exactly_the_mode),
		T(replace__swaps_in_a_new_file),
		T(replace__replaces_a_link_not_its_target),
		T(replace__refusals_leave_nothing_behind),
		T(replace__relative_name_goes_in_the_current_directory),
#undef T
	};

	return cmocka_run_group_tests_name("fileio", tests, NULL, NULL);
}
