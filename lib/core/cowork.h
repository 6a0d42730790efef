/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cowork.h - definitions shared by every part of the core library.
 *
 * The core library (libcowork) holds the logic that both the FreeRADIUS
 * module and coworkctl need. It includes no FreeRADIUS header, so it can be
 * unit-tested without a server.
 */
#ifndef COWORK_H
#define COWORK_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#  define CW_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#  define CW_NODISCARD __attribute__((warn_unused_result))
#else
#  define CW_PRINTF(fmt, args)
#  define CW_NODISCARD
#endif

/*
 * An error message for the caller to show. Functions that can fail take a
 * cw_err_t * (which may be NULL) and fill it in before returning -1. The
 * message names what was wrong, in words an operator understands; it never
 * contains a secret.
 */
typedef struct cw_err {
	char msg[512];
} cw_err_t;

/* Set err->msg from a printf format; does nothing when err is NULL. */
void cw_err_set(cw_err_t *err, const char *fmt, ...) CW_PRINTF(2, 3);
void cw_err_vset(cw_err_t *err, const char *fmt, va_list ap) CW_PRINTF(2, 0);

/*
 * snprintf that reports truncation: returns 0 when the whole string fit
 * into buf, -1 otherwise (buf then holds a truncated, terminated string).
 */
int cw_snprintf(char *buf, size_t size, const char *fmt, ...) CW_PRINTF(3, 4);

/*
 * Longest certificate subject or issuer we handle, in X509_NAME_oneline()
 * form (as FreeRADIUS shows TLS-Client-Cert-Subject): non-ASCII bytes take
 * four characters there ("\\xE3"), so a 64-character Japanese name needs
 * ~800. FreeRADIUS itself uses 1024-byte buffers.
 */
#define CW_DN_MAX 1024

/* Room for cw_log_escape output: longer input is cut and ends in "...". */
#define CW_LOG_ESCAPED_MAX 160

/*
 * Make untrusted bytes (an SSID, a Called-Station-Id) safe to put in a log
 * line: printable ASCII stays, '"' and '\\' and every other byte become
 * \xNN. out is always terminated; over-long input is cut at a character
 * boundary and marked with "...".
 */
void cw_log_escape(const char *in, size_t len, char *out, size_t outlen);

/* The value of a hex digit (either case), or -1 for any other character. */
int cw_hexval(char c);

/* Overwrite memory that held a secret, in a way the compiler keeps. */
void cw_wipe(void *p, size_t len);

#endif
