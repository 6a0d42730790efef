/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nodeepbind.c - LD_PRELOAD shim for the sanitizer test run only.
 *
 * radiusd dlopen()s modules with RTLD_DEEPBIND, which AddressSanitizer's
 * runtime refuses (google/sanitizers#611): FreeRADIUS only drops the flag
 * when radiusd itself is built with ASan. This shim, preloaded before the
 * sanitizer runtimes into Debian's uninstrumented radiusd, clears the flag
 * so that the instrumented rlm_cowork.so can be loaded and tested.
 * rlm_cowork defines no symbol that DEEPBIND would have kept apart.
 */
#include <dlfcn.h>
#include <stddef.h>

void *dlopen(const char *file, int flags);

void *dlopen(const char *file, int flags)
{
	static void *(*real_dlopen)(const char *, int);

	if (!real_dlopen) {
		*(void **)&real_dlopen = dlsym(RTLD_NEXT, "dlopen");
		if (!real_dlopen) return NULL;
	}
	return real_dlopen(file, flags & ~RTLD_DEEPBIND);
}
