/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pages.c - the HTML pages of the enrollment service.
 *
 * Texts are pairs (Japanese, English) chosen by T(); a text with "%s" is an
 * hb_tpl template whose values are escaped. Dates are the service's local
 * time, as the space's staff and members read them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "files.h"
#include "html.h"
#include "pages.h"
#include "psk.h"
#include "qr.h"

#define T(ja, en) (pc->lang == LANG_JA ? (ja) : (en))

#define GETEDUROAM_URL "https://www.geteduroam.app/"

const char PAGES_STYLE[] =
	"body{font-family:system-ui,-apple-system,\"Hiragino Sans\",\"Noto Sans JP\",\"Noto Sans CJK JP\",sans-serif;"
	"margin:0;background:#f4f5f7;color:#1d2330;line-height:1.6}"
	"main{max-width:42rem;margin:0 auto;padding:1rem}"
	"header{display:flex;justify-content:space-between;align-items:baseline;gap:1rem;flex-wrap:wrap}"
	".org{font-weight:600;color:#4a5568}"
	"nav a{margin-left:.6rem}"
	"section{background:#fff;border-radius:.75rem;padding:1rem 1.25rem;margin:1rem 0;"
	"box-shadow:0 1px 3px rgba(0,0,0,.08)}"
	"h1{font-size:1.45rem;margin:.5rem 0}"
	"h2{font-size:1.15rem;margin:0 0 .5rem}"
	"form{margin:.75rem 0}"
	"button{font:inherit;font-size:1.1rem;font-weight:600;padding:.8rem 1.2rem;border:0;border-radius:.5rem;"
	"background:#1a56db;color:#fff;width:100%;cursor:pointer}"
	"button.lost{background:#fff;color:#b42318;border:1px solid #b42318;font-size:.85rem;padding:.2rem .6rem;"
	"width:auto;font-weight:400;white-space:nowrap}"
	"button.danger{background:#b42318}"
	"form.inline{margin:0}"
	".switch a{display:block;margin:.3rem 0}"
	"ul.devices{list-style:none;padding:0;margin:0}"
	"ul.devices li{display:flex;justify-content:space-between;align-items:center;gap:.75rem;"
	"padding:.5rem 0;border-bottom:1px solid #e2e8f0}"
	"p{margin:.4rem 0}"
	".pw{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:1.35rem;letter-spacing:.05em;"
	"background:#fff7e6;padding:.5rem .75rem;border-radius:.4rem;word-break:break-all}"
	".muted{color:#64748b;font-size:.9rem}"
	".serial{font-family:ui-monospace,Menlo,Consolas,monospace;word-break:break-all}"
	".qr svg{width:11rem;height:11rem}"
	"ol{padding-left:1.3rem}"
	"code{font-family:ui-monospace,Menlo,Consolas,monospace;background:#eef2f7;padding:0 .25rem;"
	"border-radius:.2rem;word-break:break-all}";

/* --- pieces -------------------------------------------------------------- */

static void fmt_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || !localtime_r(&tt, &tm) || strftime(buf, len, "%Y-%m-%d %H:%M", &tm) == 0)
		(void)cw_snprintf(buf, len, "-");
}

static void head(cw_buf_t *hb, const page_ctx_t *pc, const char *title)
{
	cw_buf_printf(hb, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		      "<meta name=\"referrer\" content=\"no-referrer\"><title>", lang_code(pc->lang));
	hb_esc(hb, title);
	cw_buf_str(hb, "</title><style>");
	cw_buf_str(hb, PAGES_STYLE);
	cw_buf_str(hb, "</style></head>\n<body><main>\n");
}

/* The header line: the space's name and the language switch (relative links: the same path). */
static void top(cw_buf_t *hb, const page_ctx_t *pc, const char *org)
{
	cw_buf_str(hb, "<header><span class=\"org\">");
	hb_esc(hb, org ? org : "");
	cw_buf_str(hb, "</span>");
	if (pc->lang_links) {
		cw_buf_str(hb, "<nav>");
		for (int l = 0; l < LANG_COUNT; l++) {
			if ((lang_t)l == pc->lang) continue;
			cw_buf_printf(hb, "<a href=\"?lang=%s", lang_code((lang_t)l));
			if (pc->query_p) hb_tpl(hb, "&amp;p=%s", pc->query_p);
			cw_buf_printf(hb, "\" hreflang=\"%s\">%s</a>", lang_code((lang_t)l), l == LANG_JA ? "日本語" : "English");
		}
		cw_buf_str(hb, "</nav>");
	}
	cw_buf_str(hb, "</header>\n");
}

static void tail(cw_buf_t *hb)
{
	cw_buf_str(hb, "</main></body></html>\n");
}

static void hidden(cw_buf_t *hb, const char *name, const char *value)
{
	hb_tpl(hb, "<input type=\"hidden\" name=\"%s\" value=\"%s\">", name, value);
}

/* A POST form to /e/<token>/<action> with the language kept. The caller closes it with "</form>". */
static void form_open(cw_buf_t *hb, const page_ctx_t *pc, const char *action, const char *cls)
{
	hb_tpl(hb, "<form method=\"post\" action=\"/e/%s/%s\"", pc->token, action);
	if (cls) hb_tpl(hb, " class=\"%s\"", cls);
	cw_buf_str(hb, ">");
	hidden(hb, "lang", lang_code(pc->lang));
}

static const char *plat_title(const page_ctx_t *pc, plat_t p)
{
	switch (p) {
	case PLAT_APPLE: return "iPhone / iPad / Mac";
	case PLAT_EAP: return T("Android・Chromebook・Windows・Linux(geteduroam アプリ)",
				"Android, Chromebook, Windows, Linux (geteduroam app)");
	case PLAT_WINDOWS: return T("Windows(アプリなし)", "Windows (without the app)");
	case PLAT_LINUX: return "Linux (NetworkManager, wpa_supplicant)";
	default: return "?";
	}
}

static const char *plat_short(const page_ctx_t *pc, const char *name)
{
	plat_t p;

	if (!plat_parse(name, &p)) return "";
	switch (p) {
	case PLAT_APPLE: return "Apple";
	case PLAT_EAP: return "geteduroam";
	case PLAT_WINDOWS: return "Windows";
	case PLAT_LINUX: return "Linux";
	default: return "";
	}
}

/* The steps and the button of platform p. */
static void enroll_action(cw_buf_t *hb, const page_ctx_t *pc, const broker_answer_t *a, plat_t p)
{
	const char *ssid = a->ssids[0];

	cw_buf_str(hb, "<section><h2>");
	hb_esc(hb, plat_title(pc, p));
	cw_buf_str(hb, "</h2><ol>");
	switch (p) {
	case PLAT_APPLE:
		cw_buf_str(hb, T("<li>下のボタンを押し、ダウンロードを許可します。</li>",
			     "<li>Press the button below and allow the download.</li>"));
		cw_buf_str(hb, T("<li>iPhone・iPad:「設定」を開き「プロファイルがダウンロードされました」から「インストール」。"
			     "Mac:「システム設定」→「プライバシーとセキュリティ」→「プロファイル」。</li>",
			     "<li>iPhone, iPad: open Settings, tap “Profile Downloaded”, then Install. "
			     "Mac: System Settings → Privacy &amp; Security → Profiles.</li>"));
		hb_tpl(hb, T("<li>インストールが終わると「%s」に自動で接続します。</li>",
			     "<li>Once it is installed, the device joins “%s” by itself.</li>"), ssid);
		break;
	case PLAT_EAP:
		cw_buf_str(hb, T("<li>geteduroam アプリをインストールします(<a href=\"" GETEDUROAM_URL
			     "\" rel=\"noreferrer\">geteduroam.app</a>)。</li>",
			     "<li>Install the geteduroam app (<a href=\"" GETEDUROAM_URL
			     "\" rel=\"noreferrer\">geteduroam.app</a>).</li>"));
		cw_buf_str(hb, T("<li>下のボタンで設定ファイル(.eap-config)をダウンロードします。</li>",
			     "<li>Download the configuration file (.eap-config) with the button below.</li>"));
		hb_tpl(hb, T("<li>ダウンロードしたファイルを geteduroam で開くと「%s」の設定が入ります。</li>",
			     "<li>Open the downloaded file with geteduroam: it sets up “%s”.</li>"), ssid);
		break;
	case PLAT_WINDOWS:
	case PLAT_LINUX:
		cw_buf_str(hb, T("<li>下のボタンを押すと、証明書ファイル(.p12)、Wi-Fi の設定ファイル、CA 証明書と、"
			     "証明書のパスワードを一度だけ表示します。</li>",
			     "<li>The button below shows the certificate (.p12), the Wi-Fi settings, the CA certificate "
			     "and the certificate's password, once.</li>"));
		hb_tpl(hb, T("<li>表示される手順で「%s」を設定します。</li>",
			     "<li>Follow the steps shown there to set up “%s”.</li>"), ssid);
		break;
	default:
		break;
	}
	cw_buf_str(hb, "</ol>");
	form_open(hb, pc, "enroll", NULL);
	hidden(hb, "platform", plat_name(p));
	cw_buf_str(hb, "<button type=\"submit\">");
	cw_buf_str(hb, p == PLAT_APPLE ? T("Wi-Fi プロファイルをダウンロード", "Download the Wi-Fi profile") :
		   p == PLAT_EAP ? T("設定ファイルをダウンロード", "Download the configuration file") :
				   T("ファイルとパスワードを表示", "Get the files and the password"));
	cw_buf_str(hb, "</button></form></section>\n");
}

/* Links to the other platforms (GET: nothing is spent by following them). */
static void platform_switch(cw_buf_t *hb, const page_ctx_t *pc, plat_t shown)
{
	cw_buf_str(hb, "<p class=\"switch\">");
	cw_buf_str(hb, T("別の種類の端末:", "Another kind of device:"));
	cw_buf_str(hb, "<br>");
	for (int p = 0; p < PLAT_COUNT; p++) {
		if ((plat_t)p == shown) continue;
		cw_buf_printf(hb, "<a href=\"?p=%s&amp;lang=%s\">", plat_name((plat_t)p), lang_code(pc->lang));
		hb_esc(hb, plat_title(pc, (plat_t)p));
		cw_buf_str(hb, "</a>");
	}
	cw_buf_str(hb, "</p>\n");
}

static const char *state_text(const page_ctx_t *pc, const char *state)
{
	if (strcmp(state, "active") == 0) return T("使用中", "active");
	if (strcmp(state, "revoked") == 0) return T("無効", "revoked");
	return T("未設定", "not set up");
}

static void devices(cw_buf_t *hb, const page_ctx_t *pc, const broker_answer_t *a)
{
	char t1[32], t2[32];

	cw_buf_str(hb, "<section><h2>");
	cw_buf_str(hb, T("あなたの端末", "Your devices"));
	cw_buf_str(hb, "</h2>");
	if (a->ndevices == 0) {
		cw_buf_str(hb, T("<p class=\"muted\">まだありません。</p>", "<p class=\"muted\">None yet.</p>"));
		cw_buf_str(hb, "</section>\n");
		return;
	}
	cw_buf_str(hb, "<ul class=\"devices\">");
	for (unsigned i = 0; i < a->ndevices; i++) {
		const broker_device_t *d = &a->devices[i];

		fmt_time(d->not_after, t1, sizeof(t1));
		if (d->last_seen > 0) {
			fmt_time(d->last_seen, t2, sizeof(t2));
		} else {
			(void)cw_snprintf(t2, sizeof(t2), "%s", T("なし", "never"));
		}
		hb_tpl(hb, "<li><div><span class=\"serial\">%s</span> <strong>%s</strong> %s<br>", d->serial,
		       state_text(pc, d->state), plat_short(pc, d->platform));
		hb_tpl(hb, T("<span class=\"muted\">有効期限 %s・最終接続 %s</span></div>",
			     "<span class=\"muted\">expires %s · last seen %s</span></div>"), t1, t2);
		if (strcmp(d->state, "active") == 0) {
			form_open(hb, pc, "lost", "inline");
			hidden(hb, "serial", d->serial);
			cw_buf_str(hb, T("<button type=\"submit\" class=\"lost\">紛失した</button></form>",
				     "<button type=\"submit\" class=\"lost\">Lost</button></form>"));
		}
		cw_buf_str(hb, "</li>");
	}
	cw_buf_str(hb, "</ul>");
	cw_buf_str(hb, T("<p class=\"muted\">端末をなくしたときは「紛失した」を押してください。その端末は接続できなくなります。</p>",
		     "<p class=\"muted\">If a device is lost, press “Lost”: it can no longer connect.</p>"));
	cw_buf_str(hb, "</section>\n");
}

/* The QR code of a guest network, inline. */
static void guest_qr(cw_buf_t *hb, const broker_guest_t *g)
{
	char payload[256], *svg = NULL;
	size_t svg_len = 0;
	FILE *f;

	if (cw_wifi_qr_payload(g->ssid, g->passphrase, payload, sizeof(payload)) < 0) return;
	if (!(f = open_memstream(&svg, &svg_len))) return;
	if (qr_write_svg_element(f, payload, NULL) == 0 && fflush(f) == 0) {
		cw_buf_str(hb, "<div class=\"qr\">");
		cw_buf_add(hb, svg, svg_len);
		cw_buf_str(hb, "</div>");
	}
	fclose(f);
	free(svg);
	cw_wipe(payload, sizeof(payload));
}

static void guests(cw_buf_t *hb, const page_ctx_t *pc, const broker_answer_t *a)
{
	char t[32];

	if (a->nguests == 0) return;
	cw_buf_str(hb, "<section><h2>");
	cw_buf_str(hb, T("ゲスト用 Wi-Fi", "Guest Wi-Fi"));
	cw_buf_str(hb, "</h2>");
	cw_buf_str(hb, T("<p class=\"muted\">お客様に伝えるか、QR コードをカメラで読み取ってもらってください。</p>",
		     "<p class=\"muted\">Tell your guests, or let them scan the QR code with their camera.</p>"));
	for (unsigned i = 0; i < a->nguests; i++) {
		const broker_guest_t *g = &a->guests[i];

		fmt_time(g->valid_until, t, sizeof(t));
		hb_tpl(hb, T("<p>SSID: <strong>%s</strong></p><p>パスワード:</p><p class=\"pw\">%s</p>"
			     "<p class=\"muted\">%s まで有効</p>",
			     "<p>SSID: <strong>%s</strong></p><p>Passphrase:</p><p class=\"pw\">%s</p>"
			     "<p class=\"muted\">valid until %s</p>"),
		       g->ssid, g->passphrase, t);
		guest_qr(hb, g);
	}
	cw_buf_str(hb, "</section>\n");
}

/* --- pages --------------------------------------------------------------- */

int page_landing(const page_ctx_t *pc, const broker_answer_t *a, plat_t shown, char **out, size_t *len)
{
	cw_buf_t hb = CW_BUF_INIT(HB_MAX);
	char until[32], left[16];

	fmt_time(a->expires, until, sizeof(until));
	(void)cw_snprintf(left, sizeof(left), "%u", a->devices_left);
	head(&hb, pc, T("Wi-Fi の設定", "Wi-Fi setup"));
	top(&hb, pc, a->org);
	hb_tpl(&hb, T("<h1>%s さんの Wi-Fi 設定</h1>", "<h1>Wi-Fi setup for %s</h1>"), a->member);
	if (a->devices_left > 0) {
		hb_tpl(&hb, T("<p>端末を会員用 Wi-Fi「%s」に接続します。このリンクで設定できる端末はあと %s 台です"
			      "(%s まで)。</p>\n",
			      "<p>Connect a device to the members' Wi-Fi “%s”. This link can set up %s more "
			      "device(s), until %s.</p>\n"),
		       a->ssids[0], left, until);
		enroll_action(&hb, pc, a, shown);
		platform_switch(&hb, pc, shown);
	} else {
		hb_tpl(&hb, T("<p>このリンクで設定できる端末はもうありません。端末と紛失の届け出は %s まで"
			      "このページで確認できます。</p>\n",
			      "<p>This link has set up all its devices. Your devices and lost-device reports stay "
			      "here until %s.</p>\n"),
		       until);
	}
	devices(&hb, pc, a);
	guests(&hb, pc, a);
	tail(&hb);
	return cw_buf_finish(&hb, out, len);
}

int page_refusal(const page_ctx_t *pc, char **out, size_t *len)
{
	cw_buf_t hb = CW_BUF_INIT(HB_MAX);

	head(&hb, pc, T("このリンクは使えません", "This link cannot be used"));
	top(&hb, pc, NULL);
	cw_buf_str(&hb, T("<h1>このリンクは使えません</h1><section><p>有効期限が切れたか、取り消されたか、"
		      "すべての端末の設定に使われたリンクです。スペースのスタッフに新しいリンクを依頼してください。</p>"
		      "</section>\n",
		      "<h1>This link cannot be used</h1><section><p>It has expired, been withdrawn, or been used "
		      "for all its devices. Please ask the staff of your space for a new link.</p></section>\n"));
	tail(&hb);
	return cw_buf_finish(&hb, out, len);
}

static const struct {
	int		status;
	const char	*reason;
	const char	*ja;
	const char	*en;
} statuses[] = {
	{ 400, "Bad Request", "リクエストが正しくありません。", "The request is malformed." },
	{ 404, "Not Found", "ページが見つかりません。届いたリンクをそのまま開いてください。",
	  "There is no such page. Please open the link you received as it is." },
	{ 405, "Method Not Allowed", "この方法では使えません。", "This method is not allowed here." },
	{ 413, "Content Too Large", "送信されたデータが大きすぎます。", "The request is too large." },
	{ 414, "URI Too Long", "URL が長すぎます。", "The URL is too long." },
	{ 415, "Unsupported Media Type", "この形式は受け付けていません。", "This form encoding is not accepted." },
	{ 429, "Too Many Requests", "アクセスが多すぎます。しばらくしてからもう一度お試しください。",
	  "Too many requests. Please try again in a minute." },
	{ 431, "Request Header Fields Too Large", "リクエストのヘッダーが大きすぎます。", "The request headers are too large." },
	{ 500, "Internal Server Error", "ファイルを準備できませんでした。スペースのスタッフに連絡してください。",
	  "Your files could not be prepared. Please contact the staff of your space." },
	{ 503, "Service Unavailable", "ただいま利用できません。しばらくしてからもう一度お試しください。",
	  "The service is unavailable at the moment. Please try again in a few minutes." },
};

const char *pages_reason(int status)
{
	if (status == 200) return "OK";
	for (size_t i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (statuses[i].status == status) return statuses[i].reason;
	return "Error";
}

int page_status(const page_ctx_t *pc, int status, char **out, size_t *len)
{
	cw_buf_t hb = CW_BUF_INIT(HB_MAX);
	size_t i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]) - 1 && statuses[i].status != status; i++) {}
	head(&hb, pc, statuses[i].reason);
	top(&hb, pc, NULL);
	cw_buf_printf(&hb, "<h1>%d %s</h1><section><p>", statuses[i].status, statuses[i].reason);
	cw_buf_str(&hb, T(statuses[i].ja, statuses[i].en));
	cw_buf_str(&hb, "</p></section>\n");
	tail(&hb);
	return cw_buf_finish(&hb, out, len);
}

/* The file of files[] whose name ends with suffix, or "". */
static const char *file_named(const store_file_t *files, unsigned n, const char *suffix)
{
	for (unsigned i = 0; i < n; i++) {
		size_t l = strlen(files[i].name), s = strlen(suffix);

		if (l >= s && strcmp(files[i].name + l - s, suffix) == 0) return files[i].name;
	}
	return "";
}

static void bundle_steps(cw_buf_t *hb, const page_ctx_t *pc, plat_t p, const store_file_t *files, unsigned n)
{
	const char *p12 = file_named(files, n, ".p12"), *ca = file_named(files, n, "-ca.crt");

	cw_buf_str(hb, "<ol>");
	if (p == PLAT_WINDOWS) {
		hb_tpl(hb, T("<li>%s をダブルクリックし、「現在のユーザー」に上のパスワードでインポートします。</li>",
			     "<li>Double-click %s and import it for the current user with the password above.</li>"), p12);
		hb_tpl(hb, T("<li>%s をダブルクリックし、「信頼されたルート証明機関」にインストールします。</li>",
			     "<li>Double-click %s and install it into “Trusted Root Certification Authorities”.</li>"), ca);
		hb_tpl(hb, T("<li>コマンドプロンプトで <code>netsh wlan add profile filename=\"%s\"</code> を実行します。</li>",
			     "<li>In a command prompt, run <code>netsh wlan add profile filename=\"%s\"</code>.</li>"),
		       file_named(files, n, ".wlan.xml"));
	} else {
		hb_tpl(hb, T("<li>NetworkManager: %s を <code>/etc/NetworkManager/system-connections/</code> に置き"
			     "(所有者 root、モード 600)、<code>nmcli connection reload</code> を実行します。</li>",
			     "<li>NetworkManager: put %s into <code>/etc/NetworkManager/system-connections/</code> "
			     "(owner root, mode 600) and run <code>nmcli connection reload</code>.</li>"),
		       file_named(files, n, ".nmconnection"));
		hb_tpl(hb, T("<li>wpa_supplicant: %s と %s を <code>" FILES_LINUX_DIR "/</code> に置き、"
			     "%s の内容を wpa_supplicant.conf に加えます。</li>",
			     "<li>wpa_supplicant: put %s and %s into <code>" FILES_LINUX_DIR "/</code> and add "
			     "%s to wpa_supplicant.conf.</li>"),
		       p12, ca, file_named(files, n, ".wpa_supplicant.conf"));
	}
	cw_buf_str(hb, "</ol>");
}

int page_bundle(const page_ctx_t *pc, const broker_answer_t *a, plat_t p, const char *password, const char *id,
		const store_file_t *files, unsigned nfiles, char **out, size_t *len)
{
	cw_buf_t hb = CW_BUF_INIT(HB_MAX);
	char minutes[16];

	(void)cw_snprintf(minutes, sizeof(minutes), "%d", STORE_TTL / 60);
	head(&hb, pc, T("ファイルの準備ができました", "Your files are ready"));
	top(&hb, pc, a->org);
	cw_buf_str(&hb, T("<h1>ファイルの準備ができました</h1>", "<h1>Your files are ready</h1>"));
	cw_buf_str(&hb, "<section><h2>");
	cw_buf_str(&hb, T("証明書のパスワード", "Certificate password"));
	hb_tpl(&hb, "</h2><p class=\"pw\">%s</p>", password);
	cw_buf_str(&hb, T("<p>このパスワードはこの画面に一度だけ表示されます。証明書をインストールし終えるまで、"
		      "この画面を閉じないでください。</p>",
		      "<p>This password is shown on this page only, once. Keep the page open until the certificate "
		      "is installed.</p>"));
	cw_buf_str(&hb, "</section>\n<section><h2>");
	hb_esc(&hb, plat_title(pc, p));
	cw_buf_str(&hb, "</h2><ul>");
	for (unsigned i = 0; i < nfiles; i++)
		hb_tpl(&hb, "<li><a href=\"/d/%s/%s\" download=\"%s\">%s</a></li>", id, files[i].name, files[i].name,
		       files[i].name);
	cw_buf_str(&hb, "</ul>");
	hb_tpl(&hb, T("<p class=\"muted\">それぞれのファイルは一度だけ、%s 分以内にダウンロードできます。</p>",
		      "<p class=\"muted\">Each file can be downloaded once, within %s minutes.</p>"), minutes);
	bundle_steps(&hb, pc, p, files, nfiles);
	cw_buf_str(&hb, "</section>\n");
	tail(&hb);
	return cw_buf_finish(&hb, out, len);
}

/* A link back to the member's page, then the end of the section and of the page. */
static void back_and_finish(cw_buf_t *hb, const page_ctx_t *pc)
{
	cw_buf_printf(hb, "<p><a href=\"/e/%s?lang=%s\">%s</a></p></section>\n", pc->token, lang_code(pc->lang),
		  T("戻る", "Back"));
	tail(hb);
}

int page_lost_confirm(const page_ctx_t *pc, const broker_device_t *d, char **out, size_t *len)
{
	cw_buf_t hb = CW_BUF_INIT(HB_MAX);

	head(&hb, pc, T("端末の紛失の届け出", "Report a lost device"));
	top(&hb, pc, NULL);
	cw_buf_str(&hb, T("<h1>端末の紛失の届け出</h1>", "<h1>Report a lost device</h1>"));
	hb_tpl(&hb, T("<section><p>シリアル <span class=\"serial\">%s</span> の端末の証明書を無効にします。"
		      "この端末は Wi-Fi から切断され、二度と接続できなくなります。元に戻すことはできません。</p>",
		      "<section><p>The certificate of device <span class=\"serial\">%s</span> will be revoked: "
		      "the device is disconnected and can never connect again. This cannot be undone.</p>"),
	       d->serial);
	form_open(&hb, pc, "lost", NULL);
	hidden(&hb, "serial", d->serial);
	hidden(&hb, "confirm", "yes");
	cw_buf_str(&hb, T("<button type=\"submit\" class=\"danger\">無効にする</button></form>",
		      "<button type=\"submit\" class=\"danger\">Revoke it</button></form>"));
	back_and_finish(&hb, pc);
	return cw_buf_finish(&hb, out, len);
}

int page_lost_done(const page_ctx_t *pc, const char *serial, char **out, size_t *len)
{
	cw_buf_t hb = CW_BUF_INIT(HB_MAX);

	head(&hb, pc, T("端末の証明書を無効にしました", "The device's certificate is revoked"));
	top(&hb, pc, NULL);
	hb_tpl(&hb, T("<h1>端末の証明書を無効にしました</h1><section><p>シリアル <span class=\"serial\">%s</span> "
		      "の端末はもう接続できません。</p>",
		      "<h1>The device's certificate is revoked</h1><section><p>Device <span class=\"serial\">%s</span> "
		      "can no longer connect.</p>"),
	       serial);
	back_and_finish(&hb, pc);
	return cw_buf_finish(&hb, out, len);
}
