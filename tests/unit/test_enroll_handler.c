/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * test_enroll_handler.c - the enrollment service's routing and answers
 * (enroll/handler.c, pages.c, files.c, store.c) with a fake broker: what
 * each route answers, that refusals cannot be told apart, that every
 * request limit holds, that everything from the broker is escaped, that a
 * collected device becomes the right file, and that neither a log line nor
 * an operator message ever holds the token.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "broker_client.h"
#include "ca.h"
#include "handler.h"
#include "profile.h"
#include "seal.h"
#include "store.h"

#define PASSWORD	"k7m2x-9qhfd-3wz8c-pq4rt"
#define INVITE_ID	7
#define SLOT		1
#define CLIENT		"192.0.2.10"
#define UA_IPHONE	"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
#define UA_ANDROID	"Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/124.0 Mobile"
#define FORM		"application/x-www-form-urlencoded"

typedef enum { B_OK, B_NO, B_ERR, B_FAIL, B_GARBAGE } bmode_t;

static struct fixture {
	char		token[CW_TOKEN_TEXT_LEN + 1];
	char		*ca_b64;
	char		*sealed_b64;
	uint8_t		p12[400];
	bmode_t		mode;
	unsigned	slot;			//!< the slot the broker claims (SLOT: the right one)
	int		calls;
	char		last[BROKER_REQUEST_MAX];
	char		oplog[8192];		//!< every operator message, concatenated
	store_t		*store;
	enroll_cfg_t	cfg;
} fx;

static char *b64(const void *data, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);

	assert_non_null(out);
	EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

static void answer_append(char **text, size_t *len, const char *fmt, ...)
{
	va_list ap;
	char line[1024 * 128];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof(line));
	*text = realloc(*text, *len + (size_t)n + 1);
	assert_non_null(*text);
	memcpy(*text + *len, line, (size_t)n + 1);
	*len += (size_t)n;
}

static int fake_broker(void *ctx, const char *request, char **answer, size_t *len, cw_err_t *err)
{
	bool collect = strncmp(request, "COLLECT ", 8) == 0;

	(void)ctx;
	fx.calls++;
	snprintf(fx.last, sizeof(fx.last), "%s", request);
	*answer = NULL;
	*len = 0;
	switch (fx.mode) {
	case B_FAIL:
		cw_err_set(err, "broker: no answer in time");
		return -1;
	case B_NO:
		answer_append(answer, len, "NO\nEND\n");
		return 0;
	case B_ERR:
		answer_append(answer, len, "ERR broken\nEND\n");
		return 0;
	case B_GARBAGE:
		answer_append(answer, len, "OK\nmember alice\nEND\n");
		return 0;
	case B_OK:
		break;
	}
	if (strncmp(request, "LOST ", 5) == 0) {
		answer_append(answer, len, "OK\nEND\n");
		return 0;
	}
	answer_append(answer, len, "OK\nmember alice\norg Test <Space> & \"Co\"\nserver_name radius.test.example\n"
				   "ssid CoworkMembers\nca %s\nexpires 2000000000\ndevices_left 2\n"
				   "device 1a2b3c active 2000000000 1700000000 apple\n"
				   "device 99aa uncollected 2000000000 0 -\n"
				   "guest CoworkGuest abcd-efgh-jkmn-pqrs 2000000000\n", fx.ca_b64);
	if (collect) answer_append(answer, len, "invite %d\nslot %u\nserial 99aa\nsealed %s\n", INVITE_ID, fx.slot,
				   fx.sealed_b64);
	answer_append(answer, len, "END\n");
	return 0;
}

static int64_t fixed_now(void)
{
	return 1800000000;
}

static void capture_log(const char *msg)
{
	size_t used = strlen(fx.oplog);

	snprintf(fx.oplog + used, sizeof(fx.oplog) - used, "%s\n", msg);
}

static int setup(void **state)
{
	cw_token_t t;
	cw_ca_t *ca = NULL;
	char *cert_pem = NULL, *key_pem = NULL;
	size_t cert_len = 0, key_len = 0, sealed_len = 0, der_len = 0;
	uint8_t *sealed = NULL;
	unsigned char *der = NULL;
	cw_err_t e;

	(void)state;
	memset(&fx, 0, sizeof(fx));
	assert_int_equal(cw_token_new(&t, fx.token, &e), 0);
	assert_int_equal(cw_ca_generate("Test Space", 30, 1700000000, &ca, &e), 0);
	assert_int_equal(cw_ca_export(ca, &cert_pem, &cert_len, &key_pem, &key_len, &e), 0);
	assert_int_equal(cw_cert_pem_to_der(cert_pem, cert_len, &der, &der_len, &e), 0);
	fx.ca_b64 = b64(der, der_len);
	for (size_t i = 0; i < sizeof(fx.p12); i++) fx.p12[i] = (uint8_t)(i * 13 + 5);
	assert_int_equal(cw_seal(&t, INVITE_ID, SLOT, PASSWORD, fx.p12, sizeof(fx.p12), &sealed, &sealed_len, &e), 0);
	fx.sealed_b64 = b64(sealed, sealed_len);
	fx.slot = SLOT;
	assert_non_null(fx.store = store_new());
	fx.cfg = (enroll_cfg_t){ .broker = fake_broker, .store = fx.store, .now = fixed_now, .log = capture_log };
	free(sealed);
	free(der);
	free(cert_pem);
	cw_secret_free(key_pem, key_len);
	cw_ca_free(ca);
	cw_token_wipe(&t);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	/* Whatever a test did, no operator message held the token. */
	assert_null(strstr(fx.oplog, fx.token));
	free(fx.ca_b64);
	free(fx.sealed_b64);
	store_free(fx.store);
	return 0;
}

/* One request; the answer's body is terminated for strstr (a copy). */
static char *request(enroll_method_t m, const char *target, const char *ua, const char *al, const char *ct,
		     const char *body, enroll_resp_t *resp)
{
	enroll_req_t req = { .method = m, .target = target, .user_agent = ua, .accept_language = al,
			     .content_type = ct, .body = body, .body_len = body ? strlen(body) : 0, .client = CLIENT,
			     .header_bytes = 200 };
	char *text;

	enroll_handle(&fx.cfg, &req, resp);
	text = malloc(resp->body_len + 1);
	assert_non_null(text);
	if (resp->body_len) memcpy(text, resp->body, resp->body_len);
	text[resp->body_len] = '\0';
	/* The log line of every request is free of the token. */
	assert_null(strstr(resp->log, fx.token));
	return text;
}

static char *get(const char *target, const char *ua, const char *al, enroll_resp_t *resp)
{
	return request(ENROLL_GET, target, ua, al, NULL, NULL, resp);
}

static char *post(const char *target, const char *body, enroll_resp_t *resp)
{
	return request(ENROLL_POST, target, UA_IPHONE, "ja", FORM, body, resp);
}

/* fmt with its one "%s" (if any) replaced by token, in a static buffer. */
static const char *path(const char *fmt, const char *token)
{
	static char buf[600];
	const char *p = strstr(fmt, "%s");

	if (!p) {
		snprintf(buf, sizeof(buf), "%s", fmt);
	} else {
		snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(p - fmt), fmt, token, p + 2);
	}
	return buf;
}

static void done(enroll_resp_t *resp, char *text)
{
	enroll_resp_free(resp);
	free(text);
}

/* --- the landing page ----------------------------------------------------- */

static void landing__iphone_in_japanese_offers_the_apple_profile(void **state)
{
	enroll_resp_t r;
	char *t = get(path("/e/%s", fx.token), UA_IPHONE, "ja-JP,ja;q=0.9,en;q=0.8", &r);

	(void)state;
	assert_int_equal(r.status, 200);
	assert_true(r.html);
	assert_int_equal(r.lang, LANG_JA);
	assert_string_equal(r.content_type, "text/html; charset=utf-8");
	assert_non_null(strstr(t, "<html lang=\"ja\">"));
	assert_non_null(strstr(t, "name=\"platform\" value=\"apple\""));
	assert_non_null(strstr(t, path("<form method=\"post\" action=\"/e/%s/enroll\">", fx.token)));
	assert_non_null(strstr(t, "Wi-Fi プロファイルをダウンロード"));
	assert_non_null(strstr(t, "<a href=\"?lang=en\""));
	assert_null(strstr(t, "<script"));
	assert_null(strstr(t, " style="));
	assert_int_equal(fx.calls, 1);
	assert_string_equal(fx.last, path("OPEN %s " CLIENT, fx.token));
	done(&r, t);
}

static void landing__android_in_english_offers_the_eap_config(void **state)
{
	enroll_resp_t r;
	char *t = get(path("/e/%s", fx.token), UA_ANDROID, "en-US,en;q=0.9", &r);

	(void)state;
	assert_int_equal(r.status, 200);
	assert_int_equal(r.lang, LANG_EN);
	assert_non_null(strstr(t, "name=\"platform\" value=\"eap\""));
	assert_non_null(strstr(t, "Download the configuration file"));
	assert_non_null(strstr(t, "https://www.geteduroam.app/"));
	/* The switch offers the others, the shown one not. */
	assert_non_null(strstr(t, "?p=apple&amp;lang=en"));
	assert_non_null(strstr(t, "?p=windows&amp;lang=en"));
	assert_non_null(strstr(t, "?p=linux&amp;lang=en"));
	assert_null(strstr(t, "?p=eap&amp;"));
	done(&r, t);
}

static void landing__query_chooses_platform_and_language(void **state)
{
	enroll_resp_t r;
	char *t = get(path("/e/%s?p=windows&lang=ja", fx.token), UA_IPHONE, "en", &r);

	(void)state;
	assert_int_equal(r.status, 200);
	assert_int_equal(r.lang, LANG_JA);
	assert_non_null(strstr(t, "name=\"platform\" value=\"windows\""));
	assert_non_null(strstr(t, "<a href=\"?lang=en&amp;p=windows\""));
	done(&r, t);
	/* An unknown ?p= falls back to the User-Agent. */
	t = get(path("/e/%s?p=beos", fx.token), UA_IPHONE, "en", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(t, "name=\"platform\" value=\"apple\""));
	done(&r, t);
}

static void landing__escapes_everything_from_the_broker(void **state)
{
	enroll_resp_t r;
	char *t = get(path("/e/%s", fx.token), UA_IPHONE, "en", &r);

	(void)state;
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(t, "Test &lt;Space&gt; &amp; &quot;Co&quot;"));
	assert_null(strstr(t, "<Space>"));
	done(&r, t);
}

static void landing__lists_devices_with_a_lost_button_and_guest_qr(void **state)
{
	enroll_resp_t r;
	char *t = get(path("/e/%s", fx.token), UA_IPHONE, "en", &r);
	const char *lost;

	(void)state;
	assert_non_null(strstr(t, "<span class=\"serial\">1a2b3c</span> <strong>active</strong> Apple"));
	assert_non_null(strstr(t, "<span class=\"serial\">99aa</span> <strong>not set up</strong>"));
	/* One lost button: for the active device only. */
	assert_non_null(lost = strstr(t, "name=\"serial\" value=\"1a2b3c\""));
	assert_null(strstr(t, "name=\"serial\" value=\"99aa\""));
	assert_non_null(strstr(t, "abcd-efgh-jkmn-pqrs"));
	assert_non_null(strstr(t, "<div class=\"qr\"><svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_null(strstr(t, "<?xml"));
	done(&r, t);
}

/* --- refusals --------------------------------------------------------------- */

static void refusals__cannot_be_told_apart(void **state)
{
	const char *targets[] = {
		path("/e/%s", fx.token),				/* refused by the broker */
		"/e/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB",	/* malformed: a last char with bits set */
		"/e/short",
		"/e/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%41",
	};
	enroll_resp_t r, first;
	char *t, *first_t = NULL;

	(void)state;
	fx.mode = B_NO;
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		char target[600];

		snprintf(target, sizeof(target), "%s", targets[i]);
		t = get(target, UA_ANDROID, "en", &r);
		assert_int_equal(r.status, ENROLL_REFUSAL_STATUS);
		if (!first_t) {
			first_t = t;
			first = r;
			continue;
		}
		assert_int_equal(r.body_len, first.body_len);
		assert_memory_equal(r.body, first.body, r.body_len);
		assert_string_equal(r.content_type, first.content_type);
		done(&r, t);
	}
	assert_int_equal(fx.calls, 1);		/* malformed tokens never reach the broker */
	assert_null(strstr(first_t, fx.token));
	done(&first, first_t);
}

static void refusals__on_every_route_the_same(void **state)
{
	enroll_resp_t r;
	char *t1, *t2, *t3;

	(void)state;
	fx.mode = B_NO;
	t1 = post(path("/e/%s/enroll", fx.token), "platform=eap&lang=en", &r);
	assert_int_equal(r.status, ENROLL_REFUSAL_STATUS);
	enroll_resp_free(&r);
	t2 = post("/e/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB/enroll", "platform=eap&lang=en", &r);
	assert_int_equal(r.status, ENROLL_REFUSAL_STATUS);
	enroll_resp_free(&r);
	t3 = post(path("/e/%s/lost", fx.token), "serial=1a2b3c&confirm=yes&lang=en", &r);
	assert_int_equal(r.status, ENROLL_REFUSAL_STATUS);
	enroll_resp_free(&r);
	assert_string_equal(t1, t2);
	assert_string_equal(t1, t3);
	free(t1);
	free(t2);
	free(t3);
}

static void broker_trouble__is_503_not_a_refusal(void **state)
{
	bmode_t modes[] = { B_ERR, B_FAIL, B_GARBAGE };
	enroll_resp_t r;
	char *t;

	(void)state;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		fx.mode = modes[i];
		t = get(path("/e/%s", fx.token), UA_IPHONE, "en", &r);
		assert_int_equal(r.status, 503);
		done(&r, t);
	}
	assert_non_null(strstr(fx.oplog, "no answer in time"));
}

/* --- limits and routing ---------------------------------------------------- */

static void limits__each_gets_its_status(void **state)
{
	char longurl[ENROLL_URL_MAX + 2];
	enroll_resp_t r;
	enroll_req_t req;
	char *t;

	(void)state;
	memset(longurl, 'a', sizeof(longurl) - 1);
	longurl[0] = '/';
	longurl[sizeof(longurl) - 1] = '\0';
	t = get(longurl, NULL, NULL, &r);
	assert_int_equal(r.status, 414);
	done(&r, t);
	longurl[ENROLL_URL_MAX] = '\0';	/* exactly at the limit: routed (and not found) */
	t = get(longurl, NULL, NULL, &r);
	assert_int_equal(r.status, 404);
	done(&r, t);

	req = (enroll_req_t){ .method = ENROLL_GET, .target = "/robots.txt", .header_bytes = ENROLL_HEADERS_MAX + 1 };
	enroll_handle(&fx.cfg, &req, &r);
	assert_int_equal(r.status, 431);
	enroll_resp_free(&r);

	t = request(ENROLL_OTHER, path("/e/%s", fx.token), NULL, NULL, NULL, NULL, &r);
	assert_int_equal(r.status, 405);
	assert_string_equal(r.allow, "GET, HEAD, POST");
	done(&r, t);

	req = (enroll_req_t){ .method = ENROLL_POST, .target = path("/e/%s/enroll", fx.token), .content_type = FORM,
			      .body_too_large = true };
	enroll_handle(&fx.cfg, &req, &r);
	assert_int_equal(r.status, 413);
	enroll_resp_free(&r);
	assert_int_equal(fx.calls, 0);
}

static void routing__methods_paths_and_forms(void **state)
{
	static const struct {
		enroll_method_t	m;
		const char	*target;	//!< %s: the token
		const char	*ct;
		const char	*body;
		int		status;
		const char	*allow;
	} cases[] = {
		{ ENROLL_POST, "/e/%s", FORM, "", 405, "GET, HEAD" },
		{ ENROLL_GET, "/e/%s/enroll", NULL, NULL, 405, "POST" },
		{ ENROLL_HEAD, "/e/%s/lost", NULL, NULL, 405, "POST" },
		{ ENROLL_POST, "/d/AAAAAAAAAAAAAAAAAAAAAA/x.p12", FORM, "", 405, "GET, HEAD" },
		{ ENROLL_GET, "/", NULL, NULL, 404, NULL },
		{ ENROLL_GET, "/e", NULL, NULL, 404, NULL },
		{ ENROLL_GET, "/e/%s/", NULL, NULL, 404, NULL },
		{ ENROLL_GET, "/e//%s", NULL, NULL, 404, NULL },
		{ ENROLL_GET, "/e/%s/enroll/x", NULL, NULL, 404, NULL },
		{ ENROLL_GET, "/x/%s", NULL, NULL, 404, NULL },
		{ ENROLL_GET, "e/%s", NULL, NULL, 404, NULL },
		{ ENROLL_GET, "/e/%s?lang=%zz", NULL, NULL, 400, NULL },
		{ ENROLL_GET, "/e/%s?a=1&a=2", NULL, NULL, 400, NULL },
		{ ENROLL_POST, "/e/%s/enroll", "text/plain", "platform=apple", 415, NULL },
		{ ENROLL_POST, "/e/%s/enroll", "multipart/form-data; boundary=x", "", 415, NULL },
		{ ENROLL_POST, "/e/%s/enroll", "application/x-www-form-urlencodedx", "platform=apple", 415, NULL },
		{ ENROLL_POST, "/e/%s/enroll", NULL, "platform=apple", 415, NULL },
		{ ENROLL_POST, "/e/%s/enroll", FORM, "platform=beos", 400, NULL },
		{ ENROLL_POST, "/e/%s/enroll", FORM, "", 400, NULL },
		{ ENROLL_POST, "/e/%s/enroll", FORM, "platform=apple&platform=eap", 400, NULL },
		{ ENROLL_POST, "/e/%s/lost", FORM, "serial=xyz", 400, NULL },
		{ ENROLL_POST, "/e/%s/lost", FORM, "serial=1a2b3c&confirm=no", 400, NULL },
		{ ENROLL_GET, "/robots.txt", NULL, NULL, 200, NULL },
		{ ENROLL_GET, "/d/short/x.p12", NULL, NULL, 404, NULL },
		{ ENROLL_GET, "/d/AAAAAAAAAAAAAAAAAAAAAA/x.p12", NULL, NULL, 404, NULL },
	};
	enroll_resp_t r;
	char *t;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		t = request(cases[i].m, path(cases[i].target, fx.token), UA_IPHONE, "en", cases[i].ct, cases[i].body, &r);
		if (r.status != cases[i].status) fail_msg("case %zu (%s): status %d", i, cases[i].target, r.status);
		if (cases[i].allow) assert_string_equal(r.allow, cases[i].allow);
		done(&r, t);
	}
	assert_int_equal(fx.calls, 0);
	t = get("/robots.txt", NULL, NULL, &r);
	assert_string_equal(t, "User-agent: *\nDisallow: /\n");
	done(&r, t);
}

static void headers__name_the_stylesheet_by_its_hash(void **state)
{
	const enroll_header_t *h = enroll_headers();
	bool csp = false, store = false, ref = false, sniff = false;

	(void)state;
	for (; h->name; h++) {
		if (strcmp(h->name, "Content-Security-Policy") == 0) {
			csp = true;
			assert_non_null(strstr(h->value, "default-src 'none'"));
			assert_non_null(strstr(h->value, "style-src 'sha256-"));
			assert_non_null(strstr(h->value, "img-src data:"));
			assert_non_null(strstr(h->value, "form-action 'self'"));
			assert_non_null(strstr(h->value, "frame-ancestors 'none'"));
			assert_non_null(strstr(h->value, "base-uri 'none'"));
			assert_null(strstr(h->value, "unsafe"));
			assert_null(strstr(h->value, "script"));
		}
		store |= strcmp(h->name, "Cache-Control") == 0 && strcmp(h->value, "no-store") == 0;
		ref |= strcmp(h->name, "Referrer-Policy") == 0 && strcmp(h->value, "no-referrer") == 0;
		sniff |= strcmp(h->name, "X-Content-Type-Options") == 0 && strcmp(h->value, "nosniff") == 0;
	}
	assert_true(csp && store && ref && sniff);
}

/* --- enrolling --------------------------------------------------------------- */

static void enroll__apple_is_a_mobileconfig_with_the_password(void **state)
{
	enroll_resp_t r;
	char *t = post(path("/e/%s/enroll", fx.token), "platform=apple&lang=ja", &r);

	(void)state;
	assert_int_equal(r.status, 200);
	assert_false(r.html);
	assert_string_equal(r.content_type, "application/x-apple-aspen-config");
	assert_string_equal(r.disposition, "attachment; filename=\"alice.mobileconfig\"");
	assert_non_null(strstr(t, "<plist"));
	assert_non_null(strstr(t, "CoworkMembers"));
	assert_non_null(strstr(t, PASSWORD));
	assert_string_equal(fx.last, path("COLLECT %s " CLIENT " apple", fx.token));
	assert_non_null(strstr(r.log, "serial 99aa"));
	done(&r, t);
}

/* Write text to a new file under /tmp; its path in path. */
static void temp_file(char path[64], const char *text, size_t len)
{
	int fd;

	snprintf(path, 64, "/tmp/cowork-enroll-test.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
}

static void enroll__apple_is_signed_when_a_signer_is_set(void **state)
{
	cw_ca_t *ca = NULL;
	char *cert_pem, *key_pem, cert_path[64], key_path[64], *t;
	size_t cert_len, key_len;
	cw_profile_signer_t *signer = NULL;
	enroll_resp_t r;
	cw_err_t e;

	(void)state;
	assert_int_equal(cw_ca_generate("Signer", 30, 1700000000, &ca, &e), 0);
	assert_int_equal(cw_ca_export(ca, &cert_pem, &cert_len, &key_pem, &key_len, &e), 0);
	temp_file(cert_path, cert_pem, cert_len);
	temp_file(key_path, key_pem, key_len);
	assert_int_equal(cw_profile_signer_load(cert_path, key_path, NULL, &signer, &e), 0);
	fx.cfg.signer = signer;
	t = post(path("/e/%s/enroll", fx.token), "platform=apple", &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "application/x-apple-aspen-config");
	assert_true(r.body_len > 2 && (unsigned char)r.body[0] == 0x30);	/* a DER SignedData... */
	assert_non_null(memmem(r.body, r.body_len, "<plist", 6));		/* ...with the profile inside */
	done(&r, t);
	cw_profile_signer_free(signer);
	unlink(cert_path);
	unlink(key_path);
	free(cert_pem);
	cw_secret_free(key_pem, key_len);
	cw_ca_free(ca);
}

static void enroll__eap_is_an_eap_config(void **state)
{
	enroll_resp_t r;
	char *t = post(path("/e/%s/enroll", fx.token), "platform=eap", &r);

	(void)state;
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "application/eap-config");
	assert_string_equal(r.disposition, "attachment; filename=\"alice.eap-config\"");
	assert_non_null(strstr(t, "EAPIdentityProviderList"));
	done(&r, t);
}

/* The download id in a bundle page's first link. */
static void bundle_id(const char *page, char id[STORE_ID_LEN + 1])
{
	const char *p = strstr(page, "href=\"/d/");

	assert_non_null(p);
	memcpy(id, p + 9, STORE_ID_LEN);
	id[STORE_ID_LEN] = '\0';
	assert_int_equal(p[9 + STORE_ID_LEN], '/');
}

static void enroll__windows_shows_the_password_once_and_files_once(void **state)
{
	enroll_resp_t r;
	char *t = post(path("/e/%s/enroll", fx.token), "platform=windows&lang=en", &r), id[STORE_ID_LEN + 1], target[128];

	(void)state;
	assert_int_equal(r.status, 200);
	assert_true(r.html);
	assert_non_null(strstr(t, "<p class=\"pw\">" PASSWORD "</p>"));
	bundle_id(t, id);
	assert_null(strstr(t, "/d/" PASSWORD));
	assert_non_null(strstr(t, "/alice.p12\" download"));
	assert_non_null(strstr(t, "/alice.wlan.xml\" download"));
	assert_non_null(strstr(t, "/alice-ca.crt\" download"));
	assert_null(strstr(r.log, id));
	done(&r, t);

	snprintf(target, sizeof(target), "/d/%s/alice.p12", id);
	t = request(ENROLL_HEAD, target, NULL, NULL, NULL, NULL, &r);	/* HEAD takes nothing */
	assert_int_equal(r.status, 200);
	done(&r, t);
	t = get(target, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "application/x-pkcs12");
	assert_string_equal(r.disposition, "attachment; filename=\"alice.p12\"");
	assert_int_equal(r.body_len, sizeof(fx.p12));
	assert_memory_equal(r.body, fx.p12, sizeof(fx.p12));
	assert_null(strstr(r.log, id));
	done(&r, t);
	t = get(target, NULL, NULL, &r);
	assert_int_equal(r.status, 404);		/* once */
	done(&r, t);
	snprintf(target, sizeof(target), "/d/%s/alice.wlan.xml", id);
	t = get(target, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(t, "<WLANProfile"));
	done(&r, t);
}

static void enroll__linux_bundle_has_keyfile_and_wpa_supplicant(void **state)
{
	enroll_resp_t r;
	char *t = post(path("/e/%s/enroll", fx.token), "platform=linux", &r), id[STORE_ID_LEN + 1], target[128];

	(void)state;
	assert_int_equal(r.status, 200);
	bundle_id(t, id);
	assert_non_null(strstr(t, "/alice.nmconnection\" download"));
	assert_non_null(strstr(t, "/alice.wpa_supplicant.conf\" download"));
	done(&r, t);
	snprintf(target, sizeof(target), "/d/%s/alice.wpa_supplicant.conf", id);
	t = get(target, NULL, NULL, &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(t, "/etc/cowork/alice.p12"));
	done(&r, t);
	/* Expired: the clock moves past the bundle's life. */
	snprintf(target, sizeof(target), "/d/%s/alice.nmconnection", id);
	assert_false(store_take(fx.store, id, "alice.nmconnection", false, fixed_now() + STORE_TTL, &(store_file_t){ 0 }));
}

static void enroll__a_seal_of_another_slot_is_500(void **state)
{
	enroll_resp_t r;
	char *t;

	(void)state;
	fx.slot = SLOT + 1;
	t = post(path("/e/%s/enroll", fx.token), "platform=apple", &r);
	assert_int_equal(r.status, 500);
	assert_non_null(strstr(fx.oplog, "does not open"));
	done(&r, t);
}

static void enroll__a_full_store_refuses_before_the_broker(void **state)
{
	enroll_resp_t r;
	char *t;

	(void)state;
	for (int i = 0; i < STORE_MAX_BUNDLES; i++) assert_true(store_reserve(fx.store, fixed_now()) >= 0);
	t = post(path("/e/%s/enroll", fx.token), "platform=windows", &r);
	assert_int_equal(r.status, 503);
	assert_int_equal(fx.calls, 0);
	done(&r, t);
	/* Apple and eap need no place. */
	t = post(path("/e/%s/enroll", fx.token), "platform=apple", &r);
	assert_int_equal(r.status, 200);
	done(&r, t);
}

/* --- lost devices ------------------------------------------------------------ */

static void lost__asks_first_then_tells_the_broker(void **state)
{
	enroll_resp_t r;
	char *t = post(path("/e/%s/lost", fx.token), "serial=1A:2B:3C&lang=en", &r);

	(void)state;
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(t, "name=\"confirm\" value=\"yes\""));
	assert_non_null(strstr(t, "name=\"serial\" value=\"1a2b3c\""));
	assert_string_equal(fx.last, path("OPEN %s " CLIENT, fx.token));
	done(&r, t);
	t = post(path("/e/%s/lost", fx.token), "serial=1a2b3c&confirm=yes&lang=en", &r);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(t, "can no longer connect"));
	assert_string_equal(fx.last, path("LOST %s " CLIENT " 1a2b3c", fx.token));
	done(&r, t);
}

static void lost__a_device_not_active_is_refused(void **state)
{
	enroll_resp_t r;
	char *t = post(path("/e/%s/lost", fx.token), "serial=99aa", &r);

	(void)state;
	assert_int_equal(r.status, ENROLL_REFUSAL_STATUS);
	done(&r, t);
	t = post(path("/e/%s/lost", fx.token), "serial=abcdef", &r);
	assert_int_equal(r.status, ENROLL_REFUSAL_STATUS);
	done(&r, t);
}

static void client__odd_addresses_reach_the_broker_as_a_dash(void **state)
{
	enroll_req_t req = { .method = ENROLL_GET, .client = "1.2.3.4 COLLECT x" };
	enroll_resp_t r;
	char target[128];

	(void)state;
	snprintf(target, sizeof(target), "/e/%s", fx.token);
	req.target = target;
	enroll_handle(&fx.cfg, &req, &r);
	assert_string_equal(fx.last, path("OPEN %s -", fx.token));
	enroll_resp_free(&r);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(landing__iphone_in_japanese_offers_the_apple_profile),
		T(landing__android_in_english_offers_the_eap_config),
		T(landing__query_chooses_platform_and_language),
		T(landing__escapes_everything_from_the_broker),
		T(landing__lists_devices_with_a_lost_button_and_guest_qr),
		T(refusals__cannot_be_told_apart),
		T(refusals__on_every_route_the_same),
		T(broker_trouble__is_503_not_a_refusal),
		T(limits__each_gets_its_status),
		T(routing__methods_paths_and_forms),
		T(headers__name_the_stylesheet_by_its_hash),
		T(enroll__apple_is_a_mobileconfig_with_the_password),
		T(enroll__apple_is_signed_when_a_signer_is_set),
		T(enroll__eap_is_an_eap_config),
		T(enroll__windows_shows_the_password_once_and_files_once),
		T(enroll__linux_bundle_has_keyfile_and_wpa_supplicant),
		T(enroll__a_seal_of_another_slot_is_500),
		T(enroll__a_full_store_refuses_before_the_broker),
		T(lost__asks_first_then_tells_the_broker),
		T(lost__a_device_not_active_is_refused),
		T(client__odd_addresses_reach_the_broker_as_a_dash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
