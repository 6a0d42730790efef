/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz_enroll.c - the enrollment service's request handling
 * (enroll/handler.c and everything it calls): paths, query strings,
 * headers, form bodies, and the broker's answers, all from the fuzzer.
 *
 * Input: a method byte, then fields (fuzz.h) for the request-target, the
 * User-Agent, Accept-Language, Content-Type and the body, then a broker
 * byte and the rest. "@T" in the target stands for a valid token, so that
 * the fuzzer reaches the routes behind it. The broker byte picks the
 * answer: the rest of the input as it is, or a well-formed OPEN or COLLECT
 * answer (with a real sealed device of that token), NO, or a failure.
 *
 * Checks: every answer has a known status and, unless a 5xx without body,
 * a body; an HTML answer holds no script and no style attribute; no log
 * line and no operator message holds the token; a refusal is the refusal
 * page.
 */
#include <strings.h>

#include <openssl/evp.h>

#include "ca.h"
#include "fuzz.h"
#include "handler.h"
#include "profile.h"
#include "seal.h"
#include "store.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char token[CW_TOKEN_TEXT_LEN + 1];
static char *open_answer, *collect_answer;
static store_t *store;
static const uint8_t *rest;
static size_t rest_len;
static uint8_t broker_mode;
static bool leaked;

static char *b64(const void *p, size_t n)
{
	char *out = malloc(4 * ((n + 2) / 3) + 1);

	if (!out) abort();
	EVP_EncodeBlock((unsigned char *)out, p, (int)n);
	return out;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const char fields[] = "OK\nmember alice\norg Fuzz <Space>\nserver_name radius.fuzz.example\nssid Members\n"
				     "ca %s\nexpires 2000000000\ndevices_left 1\ndevice 1a2b active 2000000000 0 apple\n"
				     "guest Guest abcd-efgh-jkmn-pqrs 2000000000\n";
	cw_token_t t;
	cw_ca_t *ca = NULL;
	char *pem = NULL, *key = NULL, *ca64, *sealed64;
	size_t pem_len, key_len, der_len, sealed_len, n;
	unsigned char *der = NULL;
	uint8_t p12[64] = { 0x30 }, *sealed = NULL;

	(void)argc;
	(void)argv;
	if (cw_token_new(&t, token, NULL) < 0 || cw_ca_generate("Fuzz", 30, 1700000000, &ca, NULL) < 0 ||
	    cw_ca_export(ca, &pem, &pem_len, &key, &key_len, NULL) < 0 ||
	    cw_cert_pem_to_der(pem, pem_len, &der, &der_len, NULL) < 0 ||
	    cw_seal(&t, 3, 0, "0123456789abcdef", p12, sizeof(p12), &sealed, &sealed_len, NULL) < 0 ||
	    !(store = store_new())) {
		abort();
	}
	ca64 = b64(der, der_len);
	sealed64 = b64(sealed, sealed_len);
	n = sizeof(fields) + strlen(ca64) + strlen(sealed64) + 128;
	open_answer = malloc(n);
	collect_answer = malloc(n);
	if (!open_answer || !collect_answer) abort();
	snprintf(open_answer, n, fields, ca64);
	strcat(open_answer, "END\n");
	snprintf(collect_answer, n, fields, ca64);
	snprintf(collect_answer + strlen(collect_answer), n - strlen(collect_answer),
		 "invite 3\nslot 0\nserial 99aa\nsealed %s\nEND\n", sealed64);
	free(ca64);
	free(sealed64);
	free(sealed);
	free(der);
	free(pem);
	cw_secret_free(key, key_len);
	cw_ca_free(ca);
	return 0;
}

static int broker(void *ctx, const char *request, char **answer, size_t *len, cw_err_t *err)
{
	const char *text;
	size_t n;

	(void)ctx;
	switch (broker_mode % 5) {
	case 0: text = (const char *)rest; n = rest_len; break;
	case 1: text = open_answer; n = strlen(text); break;
	case 2: text = strncmp(request, "COLLECT", 7) == 0 ? collect_answer : open_answer; n = strlen(text); break;
	case 3: text = "NO\nEND\n"; n = 7; break;
	default:
		cw_err_set(err, "fuzz: no broker");
		return -1;
	}
	if (!(*answer = malloc(n + 1))) abort();
	memcpy(*answer, text, n);
	(*answer)[n] = '\0';
	*len = n;
	return 0;
}

static void oplog(const char *msg)
{
	if (strstr(msg, token)) leaked = true;
}

static int64_t clock_now(void)
{
	return 1800000000;
}

/* The target with every "@T" replaced by the token (bounded). */
static char *target_of(const char *raw)
{
	size_t cap = strlen(raw) * 22 + 1;
	char *out = malloc(cap), *o = out;

	if (!out) abort();
	for (const char *p = raw; *p; p++) {
		if (p[0] == '@' && p[1] == 'T') {
			memcpy(o, token, CW_TOKEN_TEXT_LEN);
			o += CW_TOKEN_TEXT_LEN;
			p++;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

/*
 * Does a tag of the page open a script or carry a style attribute? Every
 * '<' of a page starts a tag: text from the broker has its own escaped.
 */
static bool markup_in_tags(const char *page)
{
	for (const char *lt = strchr(page, '<'); lt; lt = strchr(lt + 1, '<')) {
		const char *gt = strchr(lt, '>');
		size_t n = gt ? (size_t)(gt - lt) : strlen(lt);

		if (strncasecmp(lt + 1, "script", 6) == 0 || memmem(lt, n, " style=", 7) || memmem(lt, n, " on", 3))
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int known[] = { 200, 400, 404, 405, 413, 414, 415, 431, 500, 503 };
	enroll_cfg_t cfg = { .broker = broker, .store = store, .now = clock_now, .log = oplog };
	enroll_req_t req;
	enroll_resp_t resp;
	fz_t f;
	char *target, *body_text;
	const char *body;
	size_t body_len;
	bool status_known = false;

	fz_init(&f, data, size);
	req.method = (enroll_method_t)(fz_u8(&f) % 4);
	target = target_of(fz_cstr(&f));
	req = (enroll_req_t){ .method = req.method, .target = target, .header_bytes = fz_u8(&f) * 64u };
	req.user_agent = fz_cstr(&f);
	req.accept_language = fz_cstr(&f);
	req.content_type = fz_cstr(&f);
	body = fz_field(&f, &body_len);
	req.body = body;
	req.body_len = body ? body_len : 0;
	req.client = "192.0.2.1";
	broker_mode = fz_u8(&f);
	rest = f.p;
	rest_len = f.n;
	leaked = false;

	enroll_handle(&cfg, &req, &resp);
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) status_known |= resp.status == known[i];
	FZ_CHECK(status_known, "status %d", resp.status);
	FZ_CHECK(resp.body || resp.status >= 500, "status %d without a body", resp.status);
	FZ_CHECK(!strstr(resp.log, token), "the log line holds the token: %s", resp.log);
	FZ_CHECK(!leaked, "an operator message held the token");
	if (resp.body && resp.html) {
		body_text = malloc(resp.body_len + 1);
		if (!body_text) abort();
		memcpy(body_text, resp.body, resp.body_len);
		body_text[resp.body_len] = '\0';
		FZ_CHECK(!markup_in_tags(body_text), "a script or a style attribute in a page");
		FZ_CHECK(resp.status != ENROLL_REFUSAL_STATUS || strstr(body_text, "<h1>") != NULL, "empty refusal");
		free(body_text);
	}
	enroll_resp_free(&resp);
	free(target);
	fz_free(&f);
	return 0;
}
