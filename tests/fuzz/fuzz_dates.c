/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_dates.c - the dates and durations coworkctl reads from its options
 * (cw_date_parse: --until/--from; cw_duration_parse: --grace/--warn;
 * cw_period_parse: psk policy --period) and the certificate times the
 * module reads from TLS-Client-Cert-Expiration (cw_asn1_time_parse). The
 * first byte picks the parser. What parses is in range and formats back to
 * what parses to the same value.
 */
#include "fuzz.h"
#include "psk.h"
#include "timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void date(const char *s)
{
	cw_date_t d;
	cw_err_t e;
	char back[32];
	int64_t start, end;

	if (cw_date_parse(s, &d, &e) < 0) {
		FZ_CHECK(FZ_TERMINATED(e.msg) && e.msg[0], "refusal without a message");
		return;
	}
	FZ_CHECK(d.year >= 1970 && d.year <= CW_DATE_YEAR_MAX && d.month >= 1 && d.month <= 12 && d.day >= 1 &&
		 d.day <= 31, "\"%s\" gave %d-%d-%d", s, d.year, d.month, d.day);
	snprintf(back, sizeof(back), "%04d-%02d-%02d", d.year, d.month, d.day);
	FZ_CHECK(strcmp(back, s) == 0, "\"%s\" read as %s", s, back);
	if (cw_date_local_start(&d, &start) == 0 && cw_date_local_end(&d, &end) == 0) {
		FZ_CHECK(end > start && end - start <= 25 * 3600, "\"%s\": a day of %lld s", s, (long long)(end - start));
		FZ_CHECK(cw_date_format_local(start, back) == 0 && strcmp(back, s) == 0, "\"%s\" starts on %s", s, back);
	}
}

static void duration(const char *s, int64_t max)
{
	int64_t v, again;
	cw_err_t e;
	char back[32];

	if (cw_duration_parse(s, max, &v, &e) < 0) {
		FZ_CHECK(FZ_TERMINATED(e.msg) && e.msg[0], "refusal without a message");
		return;
	}
	FZ_CHECK(v >= 0 && v <= max, "\"%s\" gave %lld, max %lld", s, (long long)v, (long long)max);
	FZ_CHECK(cw_duration_format(v, back, sizeof(back)) == 0, "%lld does not format", (long long)v);
	FZ_CHECK(cw_duration_parse(back, max, &again, &e) == 0 && again == v, "\"%s\" -> %lld -> \"%s\"", s,
		 (long long)v, back);
}

static void period(const char *s)
{
	cw_period_t p, again;
	cw_err_t e;
	char back[32];
	int64_t start, end;

	if (cw_period_parse(s, &p, &e) < 0) {
		FZ_CHECK(FZ_TERMINATED(e.msg) && e.msg[0], "refusal without a message");
		return;
	}
	FZ_CHECK(p.kind != CW_PERIOD_DAYS || (p.days >= 1 && p.days <= CW_PERIOD_DAYS_MAX), "\"%s\": %u days", s,
		 p.days);
	FZ_CHECK(cw_period_format(&p, back, sizeof(back)) == 0, "\"%s\" does not format", s);
	FZ_CHECK(cw_period_parse(back, &again, &e) == 0 && again.kind == p.kind &&
		 (p.kind != CW_PERIOD_DAYS || again.days == p.days), "\"%s\" -> \"%s\"", s, back);
	/* A window around a fixed instant (2026-11-22) holds it. */
	if (cw_period_window(&p, 1795305600, &start, &end) == 0)
		FZ_CHECK(start <= 1795305600 && 1795305600 < end, "\"%s\": window misses its instant", s);
}

static void asn1(const uint8_t *data, size_t size)
{
	char *in = malloc(size ? size : 1);
	char back[16];
	int64_t t, again;

	FZ_CHECK(in != NULL, "out of memory");
	memcpy(in, data, size);
	if (cw_asn1_time_parse(in, size, &t) == 0) {
		FZ_CHECK(size == 13 || size == 15, "accepted %zu characters", size);
		if (cw_asn1_time_format(t, back) == 0)
			FZ_CHECK(cw_asn1_time_parse(back, strlen(back), &again) == 0 && again == t,
				 "%lld -> \"%s\" -> %lld", (long long)t, back, (long long)again);
	}
	free(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_t f;
	uint8_t which;
	int64_t max;

	fz_init(&f, data, size);
	which = fz_u8(&f);
	switch (which % 4) {
	case 0:
		date(fz_rest_cstr(&f));
		break;
	case 1:
		max = (int64_t)(fz_u32(&f) % 400000000u);
		duration(fz_rest_cstr(&f), max);
		break;
	case 2:
		period(fz_rest_cstr(&f));
		break;
	default:
		asn1(f.p, f.n);
		break;
	}
	fz_free(&f);
	return 0;
}
