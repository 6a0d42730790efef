/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_cert_ocsp.c - coworkctl cert ocsp-sign.
 *
 * Collects the certificates to sign, signs every answer in memory, then
 * stores them all in one transaction: a failure changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ca.h"
#include "cmd_cert_ocsp.h"
#include "json.h"
#include "ocsp.h"
#include "registry_ocsp.h"
#include "registry_write.h"

typedef struct target {
	cw_ocsp_cert_t	cert;
	unsigned char	*der;		//!< the signed answer
	size_t		der_len;
	bool		stored;		//!< false: revoked between listing and storing
} target_t;

typedef struct job {
	bool		all;		//!< --all
	char		(*serials)[CW_SERIAL_HEX_MAX + 1];	//!< the SERIAL operands, normalised
	bool		*found;		//!< ...each found among the certificates that may connect
	int		n_serials;
	target_t	*t;
	size_t		n, cap;
	size_t		had;		//!< certificates left alone: they have an answer
} job_t;

static void job_free(job_t *j)
{
	for (size_t i = 0; i < j->n; i++) cw_ocsp_der_free(j->t[i].der);
	free(j->t);
	free(j->serials);
	free(j->found);
}

/* Is c one of the SERIAL operands? Marks it found. */
static bool asked_for(job_t *j, const cw_ocsp_cert_t *c)
{
	for (int i = 0; i < j->n_serials; i++) {
		if (strcmp(j->serials[i], c->serial) == 0) return j->found[i] = true;
	}
	return false;
}

/* cw_registry_ocsp_certs callback: keep the certificates this run signs. */
static int collect(void *arg, const cw_ocsp_cert_t *c)
{
	job_t *j = arg;
	bool take = j->n_serials ? asked_for(j, c) : (j->all || !c->has_answer);

	if (!take) {
		if (c->has_answer) j->had++;
		return 0;
	}
	if (j->n == j->cap) {
		size_t cap = j->cap ? 2 * j->cap : 64;
		target_t *t = realloc(j->t, cap * sizeof(*t));

		if (!t) return 1;	/* gather: out of memory */
		j->t = t;
		j->cap = cap;
	}
	memset(&j->t[j->n], 0, sizeof(j->t[0]));
	j->t[j->n++].cert = *c;
	return 0;
}

/* The SERIAL operands, normalised. EXIT_OK or a usage error. */
static int parse_serials(const cli_cmd_t *self, job_t *j, int argc, char **argv)
{
	cw_err_t e;

	j->n_serials = argc - optind;
	if (j->n_serials == 0) return EXIT_OK;
	j->serials = calloc((size_t)j->n_serials, sizeof(*j->serials));
	j->found = calloc((size_t)j->n_serials, sizeof(*j->found));
	if (!j->serials || !j->found) return cli_fail("out of memory");
	for (int i = 0; i < j->n_serials; i++) {
		const char *s = argv[optind + i];

		if (cw_serial_normalise(s, strlen(s), j->serials[i], &e) < 0) return cli_usage(self, "%s", e.msg);
	}
	return EXIT_OK;
}

/* List what to sign; every SERIAL operand must be among the certificates that may connect. */
static int gather(const cli_t *cli, cw_registry_t *reg, job_t *j)
{
	cw_err_t e;
	int rc = cw_registry_ocsp_certs(reg, cli->now, collect, j, &e);

	if (rc > 0) return cli_fail("out of memory");
	if (rc < 0) return cli_fail("%s", e.msg);
	for (int i = 0; i < j->n_serials; i++) {
		if (!j->found[i]) {
			return cli_fail("certificate %s is unknown, revoked or expired: no OCSP answer is signed for it",
					j->serials[i]);
		}
	}
	return EXIT_OK;
}

static int sign_all(const cli_t *cli, cw_ca_t *ca, job_t *j)
{
	cw_err_t e;

	for (size_t i = 0; i < j->n; i++) {
		target_t *t = &j->t[i];

		if (cw_ocsp_sign_good(ca, t->cert.serial, cli->now, t->cert.not_after, &t->der, &t->der_len, &e) < 0) {
			return cli_fail("certificate %s: %s", t->cert.serial, e.msg);
		}
	}
	return EXIT_OK;
}

/* Store every answer in one transaction. */
static int store_all(const cli_t *cli, cw_registry_t *reg, job_t *j)
{
	cw_err_t e;

	if (cw_registry_begin(reg, &e) < 0) return cli_fail("%s", e.msg);
	for (size_t i = 0; i < j->n; i++) {
		target_t *t = &j->t[i];
		int rc = cw_registry_ocsp_put(reg, t->cert.serial, t->der, t->der_len, cli->now, &e);

		if (rc < 0) {
			cw_registry_rollback(reg);
			return cli_fail("%s", e.msg);
		}
		t->stored = rc == 1;
	}
	if (cw_registry_commit(reg, &e) < 0) return cli_fail("%s", e.msg);
	return EXIT_OK;
}

static void print_json(const job_t *j)
{
	json_t js;

	json_init(&js, stdout);
	json_object_begin(&js);
	json_key(&js, "signed");
	json_array_begin(&js);
	for (size_t i = 0; i < j->n; i++) {
		if (!j->t[i].stored) continue;
		json_object_begin(&js);
		json_kv_string(&js, "serial", j->t[i].cert.serial);
		json_kv_string(&js, "member", j->t[i].cert.member);
		json_kv_time(&js, "not_after", j->t[i].cert.not_after);
		json_object_end(&js);
	}
	json_array_end(&js);
	json_kv_int(&js, "already_signed", (int64_t)j->had);
	json_object_end(&js);
	json_end(&js);
}

static void print_text(const job_t *j)
{
	size_t stored = 0;
	char until[16];

	for (size_t i = 0; i < j->n; i++) {
		const target_t *t = &j->t[i];

		if (!t->stored) {
			printf("skipped  %s  %s  (revoked meanwhile)\n", t->cert.serial, t->cert.member);
			continue;
		}
		stored++;
		printf("signed   %s  %s  (valid until %s)\n", t->cert.serial, t->cert.member,
		       cli_date(t->cert.not_after, until));
	}
	printf("%zu OCSP answer%s signed; %zu certificate%s already had one\n", stored, stored == 1 ? "" : "s", j->had,
	       j->had == 1 ? "" : "s");
}

static int run(const cli_t *cli, job_t *j, bool json)
{
	cw_registry_t *reg = NULL;
	cw_ca_t *ca = NULL;
	int rc;

	if ((rc = cli_registry(cli, &reg)) != EXIT_OK) return rc;
	if ((rc = gather(cli, reg, j)) == EXIT_OK && j->n > 0 && (rc = cli_load_ca(cli, &ca)) == EXIT_OK &&
	    (rc = sign_all(cli, ca, j)) == EXIT_OK) {
		rc = store_all(cli, reg, j);
	}
	cw_ca_free(ca);
	cw_registry_close(reg);
	if (rc != EXIT_OK) return rc;
	if (json) print_json(j);
	else print_text(j);
	return EXIT_OK;
}

int cert_ocsp_sign(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	job_t j;
	bool json = false;
	int c, rc = EXIT_OK;

	memset(&j, 0, sizeof(j));
	while ((c = cli_getopt(self, argc, argv, "h", opts, &rc)) != -1) {
		if (c == -2) return rc;
		if (c == 'a') j.all = true;
		if (c == 'j') json = true;
	}
	rc = parse_serials(self, &j, argc, argv);
	if (rc == EXIT_OK && j.all && j.n_serials) rc = cli_usage(self, "give SERIALs or --all, not both");
	if (rc == EXIT_OK) rc = run(cli, &j, json);
	job_free(&j);
	return rc;
}
