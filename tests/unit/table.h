/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * table.h - table-driven cmocka tests, as test_names.c has them: each row
 * of a table is a test of its own, named by the row's `name` and run by one
 * function that gets the row as its state, so cmocka counts, names and
 * reports every row. Include after <cmocka.h>.
 *
 *	struct CMUnitTest tests[TABLE_LEN(rows) + TABLE_LEN(specific)];
 *	size_t n = 0;
 *
 *	TABLE_TESTS(tests, n, rows, run_row, NULL);
 *	TABLE_TESTS_OF(tests, n, specific);
 *	return _cmocka_run_group_tests("unit", tests, n, NULL, NULL);
 */
#ifndef TESTS_UNIT_TABLE_H
#define TESTS_UNIT_TABLE_H

#include <string.h>

#define TABLE_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Append a test per row of the array rows to tests[n++]: run(state = &row), then teardown (may be NULL). */
#define TABLE_TESTS(tests, n, rows, run, teardown) \
	for (size_t table_i = 0; table_i < TABLE_LEN(rows); table_i++) \
		(tests)[(n)++] = (struct CMUnitTest){ .name = (rows)[table_i].name, .test_func = (run), \
						     .teardown_func = (teardown), \
						     .initial_state = (void *)&(rows)[table_i] }

/* Append the tests of an array of cmocka_unit_test() entries (the checks that need their own code). */
#define TABLE_TESTS_OF(tests, n, list) \
	for (size_t table_i = 0; table_i < TABLE_LEN(list); table_i++) (tests)[(n)++] = (list)[table_i]

/* An input too long for a literal: lead, then count copies of unit, then tail (each may be NULL). */
typedef struct table_made {
	const char	*lead;
	const char	*unit;
	size_t		count;
	const char	*tail;
} table_made_t;

/* Build m into buf, which must hold it (the test fails otherwise). Returns buf. */
static inline const char *table_make(const table_made_t *m, char *buf, size_t len)
{
	size_t lead = m->lead ? strlen(m->lead) : 0, unit = m->unit ? strlen(m->unit) : 0;
	size_t tail = m->tail ? strlen(m->tail) : 0, used = lead;

	assert_true(lead + m->count * unit + tail < len);
	if (lead) memcpy(buf, m->lead, lead);
	for (size_t i = 0; i < m->count; i++, used += unit) memcpy(buf + used, m->unit, unit);
	if (tail) memcpy(buf + used, m->tail, tail);
	buf[used + tail] = '\0';
	return buf;
}

#endif
