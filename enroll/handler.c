/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * handler.c - routing and the answers of the enrollment service.
 *
 * Every path out of here fills the response; nothing here touches a
 * socket except through cfg->broker. The token lives in this file's stack
 * frames only: it goes to the broker and into the page's own form actions,
 * and is wiped when the request is answered. Log lines name an invitation
 * by the first 8 hex digits of its lookup hash (what `coworkctl invite
 * list` can match), never by the token.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

#include "files.h"
#include "form.h"
#include "handler.h"
#include "html.h"
#include "pages.h"
#include "seal.h"

#define MAX_SEGMENTS 4

/* --- the headers of every answer ---------------------------------------- */

static pthread_once_t headers_once = PTHREAD_ONCE_INIT;
static char csp[256];
static enroll_header_t headers[] = {
	{ "Content-Security-Policy", csp },
	{ "Cache-Control", "no-store" },
	{ "Referrer-Policy", "no-referrer" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	{ NULL, NULL },
};

/* The policy names the one stylesheet by its SHA-256: no 'unsafe-inline', no nonce to keep fresh. */
static void headers_init(void)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	char b64[48];

	if (EVP_Digest(PAGES_STYLE, strlen(PAGES_STYLE), md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32 ||
	    EVP_EncodeBlock((unsigned char *)b64, md, 32) != 44) {
		abort();	/* cannot happen with a working libcrypto; no page without its policy */
	}
	if (cw_snprintf(csp, sizeof(csp),
			"default-src 'none'; style-src 'sha256-%s'; img-src data:; form-action 'self'; "
			"frame-ancestors 'none'; base-uri 'none'", b64) < 0) {
		abort();
	}
}

const enroll_header_t *enroll_headers(void)
{
	pthread_once(&headers_once, headers_init);
	return headers;
}

/* --- small helpers ------------------------------------------------------- */

typedef struct tok {
	bool		ok;				//!< well-formed
	cw_token_t	t;
	char		text[CW_TOKEN_TEXT_LEN + 1];
	char		tag[12];			//!< "#1a2b3c4d" for the log, or "#?"
} tok_t;

static void tok_get(const char *seg, size_t len, tok_t *tk)
{
	char lookup[CW_TOKEN_LOOKUP_HEX];

	memset(tk, 0, sizeof(*tk));
	memcpy(tk->tag, "#?", 3);
	if (cw_token_parse(seg, len, &tk->t, NULL) < 0) return;
	memcpy(tk->text, seg, CW_TOKEN_TEXT_LEN);
	tk->text[CW_TOKEN_TEXT_LEN] = '\0';
	if (cw_token_lookup(&tk->t, lookup, NULL) == 0) (void)cw_snprintf(tk->tag, sizeof(tk->tag), "#%.8s", lookup);
	tk->ok = true;
}

static void tok_wipe(tok_t *tk)
{
	cw_wipe(tk, sizeof(*tk));
}

static int64_t now_of(const enroll_cfg_t *cfg)
{
	return cfg->now ? cfg->now() : (int64_t)time(NULL);
}

static void oplog(const enroll_cfg_t *cfg, const char *fmt, ...) CW_PRINTF(2, 3);
static void oplog(const enroll_cfg_t *cfg, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!cfg->log) return;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg->log(msg);
}

/* The client address as the broker's line carries it: an IP address's characters only, or "-". */
static const char *client_word(const char *client)
{
	size_t n = client ? strlen(client) : 0;

	if (n == 0 || n > 45 || client[strspn(client, "0123456789abcdefABCDEF.:")] != '\0') return "-";
	return client;
}

static void set_body(enroll_resp_t *resp, int status, char *body, size_t len, const char *type)
{
	resp->status = status;
	resp->body = body;
	resp->body_len = len;
	resp->content_type = type;
}

static void html_page(enroll_resp_t *resp, int status, int rc, char *body, size_t len)
{
	if (rc < 0) {
		set_body(resp, 500, NULL, 0, "text/plain; charset=utf-8");
		return;
	}
	set_body(resp, status, body, len, "text/html; charset=utf-8");
	resp->html = true;
}

static void status_page(enroll_resp_t *resp, const page_ctx_t *pc, int status)
{
	char *body;
	size_t len;
	int rc = page_status(pc, status, &body, &len);

	html_page(resp, status, rc, body, len);
}

static void refusal(enroll_resp_t *resp, const page_ctx_t *pc)
{
	char *body;
	size_t len;
	page_ctx_t plain = *pc;
	int rc;

	/* The same page whatever the path: no form action, no token. */
	plain.token = NULL;
	plain.query_p = NULL;
	rc = page_refusal(&plain, &body, &len);
	html_page(resp, ENROLL_REFUSAL_STATUS, rc, body, len);
}

static void logf_resp(enroll_resp_t *resp, const char *fmt, ...) CW_PRINTF(2, 3);
static void logf_resp(enroll_resp_t *resp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(resp->log, sizeof(resp->log), fmt, ap);
	va_end(ap);
}

/*
 * Ask the broker "VERB token client[ extra]" and parse the answer into a.
 * 0 with a->status, or -1 (the error is logged for the operator).
 */
static int ask(const enroll_cfg_t *cfg, const char *verb, const tok_t *tk, const char *client, const char *extra,
	       bool collect, broker_answer_t *a)
{
	char line[BROKER_REQUEST_MAX], *text = NULL;
	size_t len = 0;
	cw_err_t err;
	int rc = -1;

	memset(a, 0, sizeof(*a));
	a->status = BROKER_ERR;
	if (cw_snprintf(line, sizeof(line), "%s %s %s%s%s", verb, tk->text, client_word(client), extra ? " " : "",
			extra ? extra : "") < 0) {
		oplog(cfg, "broker request %s %s too long", verb, tk->tag);
	} else if (cfg->broker(cfg->broker_ctx, line, &text, &len, &err) < 0) {
		oplog(cfg, "%s %s: %s", verb, tk->tag, err.msg);
	} else if (broker_answer_parse(text, len, collect, a, &err) < 0) {
		oplog(cfg, "%s %s: %s", verb, tk->tag, err.msg);
	} else {
		if (a->status == BROKER_ERR) oplog(cfg, "%s %s: broker: ERR %s", verb, tk->tag, a->message);
		rc = 0;
	}
	cw_wipe(line, sizeof(line));
	broker_text_free(text, len);
	return rc;
}

/* After ask(): refusal, 503 or nothing (OK: go on). true when the answer is OK. */
static bool answer_ok(int rc, const broker_answer_t *a, enroll_resp_t *resp, const page_ctx_t *pc)
{
	if (rc == 0 && a->status == BROKER_OK) return true;
	if (rc == 0 && a->status == BROKER_NO) {
		refusal(resp, pc);
	} else {
		status_page(resp, pc, 503);
	}
	return false;
}

static broker_answer_t *answer_new(enroll_resp_t *resp, const page_ctx_t *pc)
{
	broker_answer_t *a = calloc(1, sizeof(*a));

	if (!a) status_page(resp, pc, 503);
	return a;
}

static void answer_free(broker_answer_t *a)
{
	broker_answer_free(a);
	free(a);
}

/* --- routes -------------------------------------------------------------- */

typedef struct route {
	const enroll_cfg_t	*cfg;
	const enroll_req_t	*req;
	enroll_resp_t		*resp;
	page_ctx_t		pc;
	form_t			query;
	const char		*seg[MAX_SEGMENTS];
	size_t			seglen[MAX_SEGMENTS];
	unsigned		nseg;
	tok_t			tk;
} route_t;

static void landing(route_t *r)
{
	const char *p = form_get(&r->query, "p");
	broker_answer_t *a;
	plat_t shown;
	char *body;
	size_t len;
	int rc;

	logf_resp(r->resp, "e/%s open", r->tk.tag);
	if (!r->tk.ok) {
		refusal(r->resp, &r->pc);
		return;
	}
	if (!(a = answer_new(r->resp, &r->pc))) return;
	rc = ask(r->cfg, "OPEN", &r->tk, r->req->client, NULL, false, a);
	if (answer_ok(rc, a, r->resp, &r->pc)) {
		if (!p || !plat_parse(p, &shown)) shown = ua_primary(ua_os(r->req->user_agent));
		r->pc.query_p = p && plat_parse(p, &shown) ? plat_name(shown) : NULL;
		rc = page_landing(&r->pc, a, shown, &body, &len);
		html_page(r->resp, 200, rc, body, len);
	}
	answer_free(a);
}

/* The POST body as a form, with its language. false (and an answer) when it is not one. */
static bool post_form(route_t *r, form_t *form)
{
	const char *ct = r->req->content_type, *lang;
	size_t n = strlen("application/x-www-form-urlencoded");

	if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", n) != 0 || (ct[n] && ct[n] != ';')) {
		status_page(r->resp, &r->pc, 415);
		return false;
	}
	if (form_parse(r->req->body ? r->req->body : "", r->req->body_len, form) < 0) {
		status_page(r->resp, &r->pc, 400);
		return false;
	}
	if ((lang = form_get(form, "lang"))) (void)lang_parse(lang, &r->pc.lang);
	r->resp->lang = r->pc.lang;
	return true;
}

/* The answer to an apple or eap enroll: the file itself, as an attachment. */
static void attachment(enroll_resp_t *resp, store_file_t *f)
{
	set_body(resp, 200, f->data, f->len, f->content_type);
	(void)cw_snprintf(resp->disposition, sizeof(resp->disposition), "attachment; filename=\"%s\"", f->name);
	f->data = NULL;
	f->len = 0;
}

/* A collected device: open the seal, build the files, answer. */
static void deliver(route_t *r, const broker_answer_t *a, plat_t p, int place)
{
	store_file_t files[STORE_MAX_FILES];
	char *password = NULL, *body, id[STORE_ID_LEN + 1];
	uint8_t *p12 = NULL;
	size_t p12_len = 0, len;
	unsigned n = 0;
	cw_err_t err;
	int rc;

	if (!a->has_invite || cw_seal_open(&r->tk.t, a->invite_id, a->slot, a->sealed, a->sealed_len, &password, &p12,
					   &p12_len, &err) < 0) {
		oplog(r->cfg, "enroll %s serial %s: the sealed device does not open: %s", r->tk.tag, a->serial,
		      a->has_invite ? err.msg : "the broker sent no invite id");
		status_page(r->resp, &r->pc, 500);
		store_cancel(r->cfg->store, place);
		return;
	}
	if (files_build(p, a, password, p12, p12_len, r->cfg->signer, files, &n, &err) < 0) {
		oplog(r->cfg, "enroll %s serial %s: %s", r->tk.tag, a->serial, err.msg);
		status_page(r->resp, &r->pc, 500);
		store_cancel(r->cfg->store, place);
	} else if (place < 0) {
		attachment(r->resp, &files[0]);
		for (unsigned i = 1; i < n; i++) store_file_clear(&files[i]);
	} else if (store_fill(r->cfg->store, place, files, n, now_of(r->cfg), id, &err) < 0) {
		oplog(r->cfg, "enroll %s serial %s: %s", r->tk.tag, a->serial, err.msg);
		status_page(r->resp, &r->pc, 500);
	} else {
		rc = page_bundle(&r->pc, a, p, password, id, files, n, &body, &len);
		html_page(r->resp, 200, rc, body, len);
		cw_wipe(id, sizeof(id));
	}
	cw_seal_free(password, p12, p12_len);
}

static void enroll(route_t *r)
{
	form_t form;
	const char *pname;
	broker_answer_t *a;
	plat_t p;
	int place = -1, rc;

	logf_resp(r->resp, "e/%s enroll", r->tk.tag);
	if (!post_form(r, &form)) return;
	if (!(pname = form_get(&form, "platform")) || !plat_parse(pname, &p)) {
		status_page(r->resp, &r->pc, 400);
		return;
	}
	logf_resp(r->resp, "e/%s enroll %s", r->tk.tag, plat_name(p));
	if (!r->tk.ok) {
		refusal(r->resp, &r->pc);
		return;
	}
	/* A bundle's place first: a full store must refuse before a device is spent. */
	if ((p == PLAT_WINDOWS || p == PLAT_LINUX) && (place = store_reserve(r->cfg->store, now_of(r->cfg))) < 0) {
		oplog(r->cfg, "enroll %s: the download store is full", r->tk.tag);
		status_page(r->resp, &r->pc, 503);
		return;
	}
	if (!(a = answer_new(r->resp, &r->pc))) {
		store_cancel(r->cfg->store, place);
		return;
	}
	rc = ask(r->cfg, "COLLECT", &r->tk, r->req->client, plat_name(p), true, a);
	if (answer_ok(rc, a, r->resp, &r->pc)) {
		logf_resp(r->resp, "e/%s enroll %s serial %s", r->tk.tag, plat_name(p), a->serial);
		deliver(r, a, p, place);
	} else {
		store_cancel(r->cfg->store, place);
	}
	answer_free(a);
}

/* The first line of a LOST answer: its fields, if any, are not needed. */
static broker_status_t lost_status(const char *text, size_t len)
{
	if (len >= 7 && memcmp(text, "OK\n", 3) == 0 && memcmp(text + len - 4, "END\n", 4) == 0) return BROKER_OK;
	if (len == 7 && memcmp(text, "NO\nEND\n", 7) == 0) return BROKER_NO;
	return BROKER_ERR;
}

static void lost_confirmed(route_t *r, const char *serial)
{
	char line[BROKER_REQUEST_MAX], *text = NULL, *body;
	size_t len = 0;
	broker_status_t st = BROKER_ERR;
	cw_err_t err;
	int rc;

	if (cw_snprintf(line, sizeof(line), "LOST %s %s %s", r->tk.text, client_word(r->req->client), serial) == 0) {
		if (r->cfg->broker(r->cfg->broker_ctx, line, &text, &len, &err) < 0) {
			oplog(r->cfg, "LOST %s: %s", r->tk.tag, err.msg);
		} else if ((st = lost_status(text, len)) == BROKER_ERR) {
			oplog(r->cfg, "LOST %s: the broker's answer is not OK or NO", r->tk.tag);
		}
	}
	cw_wipe(line, sizeof(line));
	broker_text_free(text, len);
	if (st == BROKER_NO) {
		refusal(r->resp, &r->pc);
	} else if (st == BROKER_ERR) {
		status_page(r->resp, &r->pc, 503);
	} else {
		rc = page_lost_done(&r->pc, serial, &body, &len);
		html_page(r->resp, 200, rc, body, len);
	}
}

/* The confirmation step: the device must be one of the member's active ones. */
static void lost_confirm(route_t *r, const char *serial)
{
	broker_answer_t *a;
	char *body;
	size_t len;
	int rc;

	if (!(a = answer_new(r->resp, &r->pc))) return;
	rc = ask(r->cfg, "OPEN", &r->tk, r->req->client, NULL, false, a);
	if (answer_ok(rc, a, r->resp, &r->pc)) {
		unsigned i;

		for (i = 0; i < a->ndevices; i++)
			if (strcmp(a->devices[i].serial, serial) == 0 && strcmp(a->devices[i].state, "active") == 0) break;
		if (i == a->ndevices) {
			refusal(r->resp, &r->pc);
		} else {
			rc = page_lost_confirm(&r->pc, &a->devices[i], &body, &len);
			html_page(r->resp, 200, rc, body, len);
		}
	}
	answer_free(a);
}

static void lost(route_t *r)
{
	form_t form;
	const char *serial, *confirm;
	char norm[CW_SERIAL_HEX_MAX + 1];

	logf_resp(r->resp, "e/%s lost", r->tk.tag);
	if (!post_form(r, &form)) return;
	serial = form_get(&form, "serial");
	confirm = form_get(&form, "confirm");
	if (!serial || cw_serial_normalise(serial, strlen(serial), norm, NULL) < 0 ||
	    (confirm && strcmp(confirm, "yes") != 0)) {
		status_page(r->resp, &r->pc, 400);
		return;
	}
	logf_resp(r->resp, "e/%s lost %s%s", r->tk.tag, norm, confirm ? " confirmed" : "");
	if (!r->tk.ok) {
		refusal(r->resp, &r->pc);
	} else if (confirm) {
		lost_confirmed(r, norm);
	} else {
		lost_confirm(r, norm);
	}
}

static void download(route_t *r)
{
	char id[STORE_ID_LEN + 1], name[STORE_NAME_MAX + 1];
	store_file_t f;

	logf_resp(r->resp, "d/#? download");
	if (r->seglen[1] != STORE_ID_LEN || r->seglen[2] > STORE_NAME_MAX) {
		status_page(r->resp, &r->pc, 404);
		return;
	}
	memcpy(id, r->seg[1], STORE_ID_LEN);
	id[STORE_ID_LEN] = '\0';
	memcpy(name, r->seg[2], r->seglen[2]);
	name[r->seglen[2]] = '\0';
	if (!store_take(r->cfg->store, id, name, r->req->method == ENROLL_GET, now_of(r->cfg), &f)) {
		status_page(r->resp, &r->pc, 404);
	} else {
		logf_resp(r->resp, "d/#? download %s", f.name);
		attachment(r->resp, &f);
	}
	cw_wipe(id, sizeof(id));
}

static void robots(route_t *r)
{
	static const char text[] = "User-agent: *\nDisallow: /\n";
	char *body = malloc(sizeof(text));

	logf_resp(r->resp, "robots.txt");
	if (!body) {
		set_body(r->resp, 503, NULL, 0, "text/plain; charset=utf-8");
		return;
	}
	memcpy(body, text, sizeof(text));
	set_body(r->resp, 200, body, sizeof(text) - 1, "text/plain; charset=utf-8");
}

/* Split the path into segments; false for an empty segment or too many. */
static bool split_path(route_t *r, const char *path, size_t len)
{
	size_t i = 1;

	r->nseg = 0;
	if (len == 0 || path[0] != '/') return false;
	while (i < len) {
		const char *slash = memchr(path + i, '/', len - i);
		size_t n = slash ? (size_t)(slash - (path + i)) : len - i;

		if (n == 0 || r->nseg == MAX_SEGMENTS) return false;
		r->seg[r->nseg] = path + i;
		r->seglen[r->nseg++] = n;
		i += n + 1;
		if (slash && i == len) return false;	/* a trailing '/' */
	}
	return true;
}

static bool seg_is(const route_t *r, unsigned i, const char *s)
{
	return i < r->nseg && r->seglen[i] == strlen(s) && memcmp(r->seg[i], s, r->seglen[i]) == 0;
}

/* The method check of a route: true to go on; false after a 405. */
static bool method_ok(route_t *r, bool post)
{
	bool ok = post ? r->req->method == ENROLL_POST : r->req->method != ENROLL_POST;

	if (!ok) {
		r->resp->allow = post ? "POST" : "GET, HEAD";
		status_page(r->resp, &r->pc, 405);
	}
	return ok;
}

static void dispatch(route_t *r, const char *path, size_t plen)
{
	if (!split_path(r, path, plen)) {
		logf_resp(r->resp, "not found");
		status_page(r->resp, &r->pc, 404);
		return;
	}
	if (seg_is(r, 0, "e") && (r->nseg == 2 || r->nseg == 3)) tok_get(r->seg[1], r->seglen[1], &r->tk);
	if (seg_is(r, 0, "e") && r->nseg == 2) {
		if (method_ok(r, false)) landing(r);
	} else if (seg_is(r, 0, "e") && r->nseg == 3 && seg_is(r, 2, "enroll")) {
		if (method_ok(r, true)) enroll(r);
	} else if (seg_is(r, 0, "e") && r->nseg == 3 && seg_is(r, 2, "lost")) {
		if (method_ok(r, true)) lost(r);
	} else if (seg_is(r, 0, "d") && r->nseg == 3) {
		if (method_ok(r, false)) download(r);
	} else if (seg_is(r, 0, "robots.txt") && r->nseg == 1) {
		if (method_ok(r, false)) robots(r);
	} else {
		logf_resp(r->resp, "not found");
		status_page(r->resp, &r->pc, 404);
	}
}

void enroll_handle(const enroll_cfg_t *cfg, const enroll_req_t *req, enroll_resp_t *resp)
{
	route_t *r = calloc(1, sizeof(*r));
	const char *q, *lang;
	size_t tlen = strnlen(req->target, ENROLL_URL_MAX + 1);

	memset(resp, 0, sizeof(*resp));
	(void)enroll_headers();
	if (!r) {
		set_body(resp, 503, NULL, 0, "text/plain; charset=utf-8");
		return;
	}
	*r = (route_t){ .cfg = cfg, .req = req, .resp = resp };
	r->pc.lang = ua_lang(req->accept_language);
	r->pc.lang_links = req->method != ENROLL_POST;
	resp->lang = r->pc.lang;
	logf_resp(resp, "-");
	q = memchr(req->target, '?', tlen);
	if (tlen > ENROLL_URL_MAX) {
		status_page(resp, &r->pc, 414);
	} else if (req->header_bytes > ENROLL_HEADERS_MAX) {
		status_page(resp, &r->pc, 431);
	} else if (req->method == ENROLL_OTHER) {
		resp->allow = "GET, HEAD, POST";
		status_page(resp, &r->pc, 405);
	} else if (req->body_too_large || req->body_len > ENROLL_BODY_MAX) {
		status_page(resp, &r->pc, 413);
	} else if (q && form_parse(q + 1, tlen - (size_t)(q + 1 - req->target), &r->query) < 0) {
		status_page(resp, &r->pc, 400);
	} else {
		if ((lang = form_get(&r->query, "lang")) && lang_parse(lang, &r->pc.lang)) resp->lang = r->pc.lang;
		r->pc.token = r->tk.text;
		dispatch(r, req->target, q ? (size_t)(q - req->target) : tlen);
	}
	tok_wipe(&r->tk);
	cw_wipe(r, sizeof(*r));
	free(r);
}

void enroll_status(const enroll_req_t *req, int status, enroll_resp_t *resp)
{
	page_ctx_t pc = { .lang = ua_lang(req->accept_language) };

	memset(resp, 0, sizeof(*resp));
	resp->lang = pc.lang;
	(void)cw_snprintf(resp->log, sizeof(resp->log), "refused early");
	status_page(resp, &pc, status);
}

void enroll_resp_free(enroll_resp_t *resp)
{
	if (!resp) return;
	if (resp->body) {
		cw_wipe(resp->body, resp->body_len);
		free(resp->body);
	}
	resp->body = NULL;
	resp->body_len = 0;
}
