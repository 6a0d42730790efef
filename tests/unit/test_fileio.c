/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_fileio.c - unit tests for lib/core/fileio.c: the atomic file
 * replacement (cw_file_replace, cw_file_replace_check) and the output
 * files root writes where an admin says (cw_out_*: refusals of directories
 * others control, planted links, swapped names). Some need root (chown).
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
#include <fcntl.h>
#include <pwd.h>
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

/* Content, mode and owner of path as they were: the canary of a refused write. */
static void assert_canary(const char *path, const char *want, mode_t mode)
{
	struct stat st;

	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, mode);
	assert_int_equal(st.st_uid, 0);
	assert_content(path, want);
}

/* A root-owned 0600 canary in a root-only directory beside the test directory. */
static void make_canary(const fx_t *f, char *dir, size_t dlen, char *path, size_t plen)
{
	int fd;

	snprintf(dir, dlen, "%s/root-only", f->dir);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(path, plen, "%s/canary", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "canary\n", 7), 7);
	assert_int_equal(fchmod(fd, 0600), 0);
	close(fd);
}

static void out__writes_a_new_file_with_exactly_the_mode_under_any_umask(void **state)
{
	fx_t *f = *state;
	char path[128];
	struct stat st;
	cw_out_t out;
	mode_t old = umask(0);
	cw_err_t e = { "" };

	snprintf(path, sizeof(path), "%s/secret.key", f->dir);
	assert_int_equal(cw_out_open(path, 0600, &out, &e), 0);
	assert_int_equal(cw_out_write(&out, "key\n", 4, &e), 0);
	assert_int_equal(cw_out_commit(&out, &e), 0);
	umask(old);
	assert_int_equal(lstat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_content(path, "key\n");
	cw_out_abort(&out);	/* a finished one: no-op, the file stays */
	assert_int_equal(lstat(path, &st), 0);
}

static void out__refuses_an_existing_file(void **state)
{
	fx_t *f = *state;
	cw_out_t out;
	cw_err_t e = { "" };

	assert_int_equal(cw_file_replace(f->path, "old\n", 4, 0640, &e), 0);
	assert_int_equal(cw_out_open(f->path, 0600, &out, &e), -1);
	assert_non_null(strstr(e.msg, "already exists: choose another name or remove it"));
	assert_canary(f->path, "old\n", 0640);
}

static void out__refuses_a_planted_link_and_leaves_its_target_alone(void **state)
{
	fx_t *f = *state;
	char rdir[128], canary[160];
	cw_out_t out;
	cw_err_t e = { "" };

	make_canary(f, rdir, sizeof(rdir), canary, sizeof(canary));
	assert_int_equal(symlink(canary, f->path), 0);
	assert_int_equal(cw_out_open(f->path, 0644, &out, &e), -1);
	assert_non_null(strstr(e.msg, "symbolic link"));
	assert_canary(canary, "canary\n", 0600);
	/* A dangling link is no better. */
	assert_int_equal(unlink(f->path), 0);
	snprintf(canary, sizeof(canary), "%s/new", rdir);
	assert_int_equal(symlink(canary, f->path), 0);
	assert_int_equal(cw_out_open(f->path, 0644, &out, &e), -1);
	assert_int_equal(access(canary, F_OK), -1);
}

static void out__refuses_a_group_or_world_writable_directory(void **state)
{
	fx_t *f = *state;
	cw_out_t out;
	cw_err_t e = { "" };

	assert_int_equal(chmod(f->dir, 0770), 0);
	assert_int_equal(cw_out_open(f->path, 0600, &out, &e), -1);
	assert_non_null(strstr(e.msg, "writable by its group"));
	assert_non_null(strstr(e.msg, f->dir));
	assert_non_null(strstr(e.msg, "chmod go-w"));
	assert_int_equal(chmod(f->dir, 01777), 0);	/* sticky, like /tmp: still refused */
	assert_int_equal(cw_out_open(f->path, 0600, &out, &e), -1);
	assert_non_null(strstr(e.msg, "writable by everyone"));
	assert_int_equal(cw_file_replace(f->path, "x", 1, 0644, &e), -1);
	assert_int_equal(chmod(f->dir, 0700), 0);
	assert_int_equal(entries(f->dir, false), 0);
}

static void out__refuses_a_directory_owned_by_another_user(void **state)
{
	fx_t *f = *state;
	struct passwd *pw = getpwnam("nobody");
	char sub[128], path[160];
	cw_outdir_t dir;
	cw_out_t out;
	cw_err_t e = { "" };

	if (geteuid() != 0 || !pw) skip();
	snprintf(sub, sizeof(sub), "%s/theirs", f->dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	assert_int_equal(chown(sub, pw->pw_uid, pw->pw_gid), 0);
	snprintf(path, sizeof(path), "%s/out.svg", sub);
	assert_int_equal(cw_out_open(path, 0600, &out, &e), -1);
	assert_non_null(strstr(e.msg, "belongs to uid"));
	assert_non_null(strstr(e.msg, "nobody"));
	assert_int_equal(cw_outdir_open(sub, true, &dir, &e), -1);
	/* Below it is refused too, even in a directory of ours. */
	snprintf(path, sizeof(path), "%s/mine", sub);
	assert_int_equal(mkdir(path, 0700), 0);
	assert_int_equal(cw_outdir_open(path, false, &dir, &e), -1);
	assert_non_null(strstr(e.msg, "below"));
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(access(sub, F_OK), 0);
	assert_int_equal(rmdir(sub), 0);
}

static void outdir__creates_a_missing_directory_0700(void **state)
{
	fx_t *f = *state;
	char sub[128];
	struct stat st;
	cw_outdir_t dir;
	cw_out_t out;
	mode_t old = umask(0);
	cw_err_t e = { "" };

	snprintf(sub, sizeof(sub), "%s/new/", f->dir);
	assert_int_equal(cw_outdir_open(sub, true, &dir, &e), 0);
	umask(old);
	assert_int_equal(cw_outdir_check_absent(&dir, "a.key", &e), 0);
	assert_int_equal(cw_out_create(&dir, "a.key", 0600, &out, &e), 0);
	assert_int_equal(cw_outdir_check_absent(&dir, "a.key", &e), 1);
	cw_out_abort(&out);
	assert_int_equal(cw_outdir_check_absent(&dir, "a.key", &e), 0);
	cw_outdir_close(&dir);
	assert_int_equal(cw_out_create(&dir, "../x", 0600, &out, &e), -1);
	snprintf(sub, sizeof(sub), "%s/new", f->dir);
	assert_int_equal(lstat(sub, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(rmdir(sub), 0);
}

static void out__abort_after_a_swap_keeps_the_swapped_in_file(void **state)
{
	fx_t *f = *state;
	char moved[128];
	cw_out_t out;
	cw_err_t e = { "" };

	assert_int_equal(cw_out_open(f->path, 0600, &out, &e), 0);
	assert_int_equal(cw_out_write(&out, "secret\n", 7, &e), 0);
	snprintf(moved, sizeof(moved), "%s/moved", f->dir);
	assert_int_equal(rename(f->path, moved), 0);
	assert_int_equal(cw_file_replace(f->path, "theirs\n", 7, 0644, &e), 0);
	cw_out_abort(&out);
	assert_canary(f->path, "theirs\n", 0644);	/* not our inode: not unlinked */
	assert_content(moved, "");			/* ours, truncated: no secret left */
}

static void out__replace_abort_leaves_the_old_file_and_no_temporary(void **state)
{
	fx_t *f = *state;
	cw_out_t out;
	cw_err_t e = { "" };

	assert_int_equal(cw_file_replace(f->path, "old\n", 4, 0644, &e), 0);
	assert_int_equal(cw_out_replace(f->path, 0644, &out, &e), 0);
	assert_int_equal(cw_out_write(&out, "new\n", 4, &e), 0);
	assert_int_equal(entries(f->dir, false), 2);
	cw_out_abort(&out);
	assert_content(f->path, "old\n");
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
		T(out__writes_a_new_file_with_exactly_the_mode_under_any_umask),
		T(out__refuses_an_existing_file),
		T(out__refuses_a_planted_link_and_leaves_its_target_alone),
		T(out__refuses_a_group_or_world_writable_directory),
		T(out__refuses_a_directory_owned_by_another_user),
		T(outdir__creates_a_missing_directory_0700),
		T(out__abort_after_a_swap_keeps_the_swapped_in_file),
		T(out__replace_abort_leaves_the_old_file_and_no_temporary),
#undef T
	};

	return cmocka_run_group_tests_name("fileio", tests, NULL, NULL);
}
