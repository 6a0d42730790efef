/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * form.h - application/x-www-form-urlencoded, as browsers send a form's
 * fields in a POST body and in a query string.
 *
 * Strict and bounded: a malformed escape, a NUL, a repeated name, more
 * than FORM_MAX_FIELDS fields or a name or value longer than its bound
 * after decoding refuses the whole input.
 */
#ifndef ENROLL_FORM_H
#define ENROLL_FORM_H

#include <stddef.h>

#define FORM_MAX_FIELDS	8
#define FORM_NAME_MAX	16	//!< bytes of a decoded name
#define FORM_VALUE_MAX	128	//!< bytes of a decoded value

typedef struct form_field {
	char	name[FORM_NAME_MAX + 1];
	char	value[FORM_VALUE_MAX + 1];
} form_field_t;

typedef struct form {
	form_field_t	f[FORM_MAX_FIELDS];
	unsigned	n;
} form_t;

/* Parse len bytes of s (not necessarily terminated; may be empty). 0, or -1 (form->n is 0 then). */
int form_parse(const char *s, size_t len, form_t *form);

/* The value of field name, or NULL when absent. */
const char *form_get(const form_t *form, const char *name);

#endif
