/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cmd_audit.c - coworkctl audit: the network and member questions of the
 * checklist of 「共同利用型オフィス等で備えたいセキュリティ対策について」第2版,
 * each answered ok / attention / manual with the evidence it rests on.
 *
 * Evidence comes from the registry, the access log (read by the log
 * owner's child, never by root), the clock and the configuration. What
 * the server cannot see is `manual`, with the guideline's own question.
 * Exit 0 when nothing needs attention, 3 (EXIT_ATTENTION) otherwise.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cli.h"
#include "clock.h"
#include "commands.h"
#include "device.h"
#include "devtab.h"
#include "fileio.h"
#include "json.h"
#include "linksec.h"
#include "psk.h"
#include "rand.h"
#include "registry_admin.h"
#include "site.h"
#include "sqlutil.h"
#include "wlansec.h"

#define AUDIT_EVIDENCE_MAX	12
#define AUDIT_EVIDENCE_LEN	512
#define CERT_NOTICE_DAYS	30
#define SYNCED_SHARE_MIN	990	//!< per mille of rows written with a synchronised clock
#define PSK_BITS_MIN		64	//!< below: guessable by an offline attack on a captured handshake
#define LINK_DAYS		30	//!< 3-3.1 looks at sessions that started this recently
#define LINK_GROUPS_MAX		64	//!< (class, SSID, NAS, AKM, cipher) combinations the log child sends

typedef enum { AUDIT_MANUAL = 0, AUDIT_OK, AUDIT_ATTENTION } audit_status_t;

typedef struct audit_question {
	const char	*id;		//!< ASCII: "3-4.3" (section-measure.question)
	const char	*item;		//!< as the guideline numbers it: "3-④"
	const char	*ja;		//!< the guideline's words, verbatim
	const char	*en;		//!< our English rendering
} audit_question_t;

static const audit_question_t questions[] = {
	{ "2-4.1", "2-④", "事故発生時の追跡可能性を確保するため、利用ログ(利用者、利用時間、利用リソースなど)を取得し、外部に漏えい等することのないよう適切に保存・管理していますか？",
	  "To keep incidents traceable, do you record usage logs (user, time, resources used) and store and manage them so that they cannot leak?" },
	{ "2-7.1", "2-⑦", "(会員制の場合)会員とゲスト利用のユーザー区分を行い、それぞれの利用規約を明確にしていますか？",
	  "(Membership services) Do you distinguish members from guest users and make the terms of use of each clear?" },
	{ "3-1.1", "3-①", "ネットワーク構築時及び運用時のいずれにおいても、ネットワーク機器にセキュリティ脆弱性がないよう、ファームウェアを常に最新の状態にしていますか？",
	  "Do you keep the firmware of the network equipment always up to date, when building the network and in operation, so that it has no security vulnerability?" },
	{ "3-1.2", "3-①", "ファームウェアアップデートを提供する期間を過ぎたネットワーク機器を使用しないようにしていますか？",
	  "Do you avoid using network equipment past the period in which firmware updates are provided?" },
	{ "3-2.1", "3-②", "ネットワーク機器の設定を変更するための管理者パスワードについて、未設定や工場出荷時のデフォルト設定のままにせず、第三者に推測されにくい複雑なパスワードに変更していますか？",
	  "Is the administrator password that changes the network equipment's settings neither unset nor the factory default, but changed to a complex one a third party cannot guess?" },
	{ "3-2.2", "3-②", "ネットワーク機器の設定を変更するための管理者パスワードについて、当該パスワードを知る人物が異動・退職するなどした場合に、速やかに変更していますか？",
	  "Do you change that administrator password promptly when someone who knows it moves or leaves?" },
	{ "3-3.1", "3-③", "無線 LAN アクセスポイントを利用する場合、無線 LAN のセキュリティ方式として(WEP や WPA ではなく)WPA2 又は WPA3 を設定していますか？",
	  "Where wireless LAN access points are used, is their security set to WPA2 or WPA3 (not WEP or WPA)?" },
	{ "3-3.2", "3-③", "無線 LAN アクセスポイントの電波について、共同利用型オフィス等の外に漏れる電波を最小限にするため、適切な電波強度で利用していますか？",
	  "Do the access points transmit at a suitable power, so that as little signal as possible leaks outside the office?" },
	{ "3-4.1", "3-④", "無線 LAN アクセスポイントの暗号化のためのパスフレーズ(WPA2/WPA3 による暗号化の際に利用するパスワード)について、第三者に推測されにくい複雑なもの(管理者パスワードとは全く別のもの)を設定していますか？",
	  "Is the passphrase used for WPA2/WPA3 encryption complex enough that a third party cannot guess it (and entirely different from the administrator password)?" },
	{ "3-4.2", "3-④", "無線 LAN アクセスポイントの暗号化のためのパスフレーズ(WPA2/WPA3 による暗号化の際に利用するパスワード)について、利用者のみが知ることができる方法を徹底し、広く多数が知りうるようなないようにしていますか？ (例) ・受付の際に、身元確認した上でパスフレーズ情報を伝える。 ・正規の会員だけ通知を受けることができる方法で公開する。 (登録アドレスへのメール、パスフレーズで管理された会員サイトでの公開など)",
	  "Do you make sure only users can learn the WPA2/WPA3 passphrase, so that it is not widely known? (e.g. tell it at reception after checking identity; publish it where only genuine members are notified: e-mail to the registered address, a password-protected member site)" },
	{ "3-4.3", "3-④", "(不特定多数に対して同じパスワードを公開・提供している場合)無線 LAN アクセスポイントの暗号化のためのパスワード(WPA2/WPA3による暗号化の際に利用するパスワード)について、一定の頻度(例:毎月)で更新するなど、共同利用型オフィス等を利用しなくなった者がパスワードを知りうる機会を可能な限り低減させていますか?",
	  "(Where the same password is given to many unspecified people) Do you change the WPA2/WPA3 password at a set frequency (e.g. monthly), so that people who no longer use the office have as little chance as possible of knowing it?" },
	{ "3-5.1", "3-⑤", "利用者が別の利用者の端末にアクセスできないように設定していますか? (無線 LAN アクセスポイントを利用している場合には、「ネットワーク分離機能」や「プライバシーセパレーター機能」と呼ばれる設定を有効にすることで、同一の無線 LAN アクセスポイントに接続している端末同士の通信を禁止する。)",
	  "Is it set up so that a user cannot reach another user's device? (On access points, enable 'network separation' or 'privacy separator' to forbid traffic between devices on the same access point.)" },
	{ "3-5.2", "3-⑤", "(複数の無線 LAN アクセスポイントを利用している場合や有線でのアクセスを提供している場合)接続されるスイッチやルーターにおいて、特定のポート間通信の禁止等を設定していますか?",
	  "(With several access points, or wired access) Do the switches and routers forbid traffic between particular ports?" },
	{ "3-5.3", "3-⑤", "無線 LAN 対応プリンタやネットワーク対応複合機を利用する場合には、それらの機器に対してネットワーク構成を適切に設定していますか?",
	  "Where wireless printers or networked multifunction devices are used, is their network configuration set appropriately?" },
	{ "3-6.1", "3-⑥", "利用者に開放するネットワークは、業務システムとは独立して設置するか、仮想的にネットワークを分離する技術である VLAN の導入により、安全に分離していますか?",
	  "Is the network opened to users installed apart from the business systems, or safely separated from them with VLANs?" },
	{ "3-7.1", "3-⑦", "アクセスログを記録する際は、ネットワーク機器にトラブルが発生した際の把握や利用者からの問合せ対応等、業務上の必要性に照らして最小限の記録に留めていますか?",
	  "When recording access logs, do you keep the records to the minimum the business needs (troubleshooting the network equipment, answering users' questions)?" },
	{ "3-7.2", "3-⑦", "記録・保存したアクセスログは、利用者の同意なくマーケティング等の目的に使うことや、第三者に提供することなどがないように、十分注意して取り扱っていますか?",
	  "Do you handle the recorded access logs with care, never using them for marketing or giving them to third parties without the users' consent?" },
	{ "3-7.3", "3-⑦", "(ネットワーク機器の運用を事業者に委託している場合)アクセスログの記録内容や保存期間等を把握しておき、問い合わせがあった場合の対応方法を委託先事業者と確認していますか?",
	  "(Where network operation is outsourced) Do you know what the access logs record and how long they are kept, and have you agreed with the contractor how to answer inquiries?" },
	{ "3-7.4", "3-⑦", "ネットワーク機器が正しく時刻設定されていますか? (ntp 等による自動的な時刻合わせが可能な機器についてはその設定を実施する。)",
	  "Is the network equipment's clock set correctly? (Where it can set its time automatically, with NTP or the like, configure that.)" },
	{ "3-8.1", "3-⑧", "無線 LAN アクセスポイントと接続端末等について、電子証明書等を活用して相互に認証を行い、無線 LAN アクセスポイントのなりすましや許可されていない端末の接続を制限していますか？",
	  "Do access points and devices authenticate each other with digital certificates or the like, limiting impersonation of access points and connections of unauthorised devices?" },
	{ "3-8.2", "3-⑧", "無線 LAN アクセスポイントに対し、MAC アドレスのフィルタリング設定を行い、許可されていない端末の接続を制限していますか？",
	  "Do you set MAC address filtering on the access points, limiting connections of unauthorised devices?" },
	{ "3-8.3", "3-⑧", "共同利用型オフィス等運営事業者が業務で利用するサーバー等へのアクセスについて、アカウント管理を厳重に行うとともに、多要素認証の仕組みを導入するなど、不正アクセスのリスクを軽減していますか？",
	  "For access to the servers the operator uses in its business, do you manage accounts strictly and use multi-factor authentication, reducing the risk of unauthorised access?" },
	{ "3-8.4", "3-⑧", "ネットワークへの接続状況の可視化を行い、接続機器を乗っ取りや遠隔操作などから守るサービスや製品を利用していますか？ (機能例) ・接続される機器の正当性の確認 ・新しい機器が接続された時に通知し、認識していない機器は接続を切断 ・マルウェア感染のおそれがあるサイトやフィッシングサイトへのアクセスを制限 ・ネットワークに接続される機器の安全性診断を実施",
	  "Do you use a service or product that makes connections to the network visible and protects connected devices from takeover or remote control? (e.g. checking devices are legitimate; notifying when a new device connects and disconnecting unrecognised ones; blocking malware and phishing sites; assessing connected devices' safety)" },
};

#define N_QUESTIONS (sizeof(questions) / sizeof(questions[0]))

typedef struct audit_item {
	audit_status_t	status;
	int		n;
	char		evidence[AUDIT_EVIDENCE_MAX][AUDIT_EVIDENCE_LEN];
} audit_item_t;

typedef struct audit {
	const cli_t	*cli;
	bool		en;		//!< evidence in English (--lang en), else Japanese
	cw_registry_t	*reg;
	cw_vlan_plan_t	plan;
	bool		have_plan;
	char		plan_error[256];	//!< why the stored plan is unsafe; "" if it is not
	audit_item_t	items[N_QUESTIONS];
} audit_t;

static audit_item_t *item(audit_t *a, const char *id)
{
	for (size_t i = 0; i < N_QUESTIONS; i++) {
		if (strcmp(questions[i].id, id) == 0) return &a->items[i];
	}
	abort();	/* a typo in this file */
}

static void evidence(audit_item_t *it, const char *fmt, ...) CW_PRINTF(2, 3);

/* One piece of evidence (beyond AUDIT_EVIDENCE_MAX, dropped; a longer one cut at a character). */
static void evidence(audit_item_t *it, const char *fmt, ...)
{
	va_list ap;
	char *ev;
	int n;

	if (it->n == AUDIT_EVIDENCE_MAX) return;
	ev = it->evidence[it->n++];
	va_start(ap, fmt);
	n = vsnprintf(ev, AUDIT_EVIDENCE_LEN, fmt, ap);
	va_end(ap);
	if (n >= AUDIT_EVIDENCE_LEN) {
		/* cut: drop a UTF-8 sequence the cut left incomplete */
		size_t len = AUDIT_EVIDENCE_LEN - 1, start = len;

		while (start > 0 && ((unsigned char)ev[start - 1] & 0xc0) == 0x80) start--;
		if (start > 0 && (unsigned char)ev[start - 1] >= 0xc0) {
			unsigned char lead = (unsigned char)ev[start - 1];
			size_t want = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2;

			if (len - (start - 1) < want) ev[start - 1] = '\0';
		}
	}
}

/*
 * EV(a, it, JA, EN, args...): evidence in the report's language. JA and EN
 * are formats taking the same arguments in the same order (a Japanese one
 * skips an English plural's "s" with %.0s); GCC checks both.
 */
#define EV(a, it, ja, ...) evidence((it), !(a)->en ? (ja) : __VA_ARGS__)

/* Set the status; attention, once set, stays. */
static void verdict(audit_item_t *it, audit_status_t s)
{
	if (it->status != AUDIT_ATTENTION) it->status = s;
}

/* --- the access log, in the log owner's child ------------------------------------ */

typedef struct log_query {
	int64_t		month_ms;	//!< start of this month (local), ms
	int64_t		link_from_ms;	//!< 3-3.1: sessions started at or after, ms
	cw_vlan_set_t	staff;
} log_query_t;

typedef struct log_facts {
	int64_t	rows, oldest_ms, unsynced, staff_accepts, no_psk_month;
	char	fields[256];		//!< the columns of a row, comma-separated
	char	error[256];		//!< "" when the numbers are good
	int64_t	n_links;		//!< 3-3.1: combinations in the period (links[] holds LINK_GROUPS_MAX at most)
	cw_link_count_t links[LINK_GROUPS_MAX];	//!< sessions' Wi-Fi security, as cw_link_summary orders it
} log_facts_t;

/* One int64 from sql, its parameters (none or one) bound to p1. 0 or -1. */
static int log_count(sqlite3 *db, const char *sql, int64_t p1, int64_t *out, cw_err_t *e)
{
	sqlite3_stmt *st;
	int rc = SQLITE_OK;

	if (cw_sql_prepare(db, sql, &st, "auditing the access log", e) < 0) return -1;
	if (sqlite3_bind_parameter_count(st) > 0) rc = cw_sql_bind_int64(st, 1, p1, rc);
	rc = cw_sql_step_row(st, rc, "auditing the access log", e);
	if (rc == 1) *out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == 1 ? 0 : -1;
}

/*
 * Accepts that carried a staff VLAN: one scan over the hull of the staff
 * ranges, grouped by VLAN, each VLAN then tested against the set (one
 * scan however many ranges; no index that radiusd's writes would pay for).
 */
static int log_staff_accepts(sqlite3 *db, const cw_vlan_set_t *staff, int64_t *out, cw_err_t *e)
{
	static const char doing[] = "counting Accepts on staff VLANs";
	sqlite3_stmt *st;
	int rc;

	if (cw_sql_prepare(db, "SELECT vlan, count(*) FROM access WHERE result = 'accept' AND vlan BETWEEN ?1 AND ?2"
			   " GROUP BY vlan", &st, doing, e) < 0) return -1;
	rc = cw_sql_bind_int64(st, 1, staff->r[0].lo, SQLITE_OK);
	rc = cw_sql_bind_int64(st, 2, staff->r[staff->n - 1].hi, rc);
	while ((rc = cw_sql_step(st, rc)) == SQLITE_ROW) {
		if (cw_vlan_set_contains(staff, (unsigned)sqlite3_column_int(st, 0))) *out += sqlite3_column_int64(st, 1);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE) return 0;
	cw_sql_err(db, e, doing);
	return -1;
}

static int log_link(void *arg, const cw_link_count_t *c)
{
	log_facts_t *f = arg;

	if (f->n_links < LINK_GROUPS_MAX) f->links[f->n_links] = *c;
	f->n_links++;
	return 0;
}

static int log_fields(sqlite3 *db, char *out, size_t len, cw_err_t *e)
{
	sqlite3_stmt *st;
	int rc;

	if (cw_sql_prepare(db, "SELECT group_concat(name, ',') FROM pragma_table_info('access')", &st,
			   "reading the access log's columns", e) < 0) return -1;
	rc = cw_sql_step_row(st, SQLITE_OK, "reading the access log's columns", e);
	if (rc == 1) (void)cw_snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return rc == 1 ? 0 : -1;
}

/*
 * Bounded by the index on ts_ms where a period applies; the whole-log
 * counts are one scan each (rows, oldest and unsynchronised in one).
 */
static int log_facts(cw_accesslog_t *log, const log_query_t *q, log_facts_t *f, cw_err_t *e)
{
	sqlite3 *db = cw_accesslog_db(log);

	if (cw_accesslog_stats(log, &f->rows, &f->oldest_ms, e) < 0) return -1;
	if (log_count(db, "SELECT count(*) FROM access WHERE clock_synced = 0", 0, &f->unsynced, e) < 0) return -1;
	if (q->staff.n && log_staff_accepts(db, &q->staff, &f->staff_accepts, e) < 0) return -1;
	if (log_count(db, "SELECT count(*) FROM access WHERE ts_ms >= ?1 AND reason = 'no-passphrase'", q->month_ms,
		      &f->no_psk_month, e) < 0) return -1;
	if (cw_link_summary(log, q->link_from_ms, log_link, f, e) < 0) return -1;
	return log_fields(db, f->fields, sizeof(f->fields), e);
}

static int log_facts_job(cw_accesslog_t *log, void *arg, int out_fd)
{
	log_facts_t f;
	cw_err_t e;

	memset(&f, 0, sizeof(f));
	if (log_facts(log, arg, &f, &e) < 0) (void)cw_snprintf(f.error, sizeof(f.error), "%s", e.msg);
	return statedir_log_send(out_fd, &f, sizeof(f)) < 0 ? EXIT_FAIL : EXIT_OK;
}

/* --- 3-③ Wi-Fi security ---------------------------------------------------------------- */

/*
 * Whether nas reported an AKM for some session of the period (among the
 * first n combinations): then a session it reported without one was on an
 * open SSID, not on an access point that does not report them.
 */
static bool nas_reports_akm(const log_facts_t *lf, size_t n, const char *nas)
{
	for (size_t i = 0; i < n; i++) {
		if (lf->links[i].link.has_akm && strcmp(lf->links[i].link.nas, nas) == 0) return true;
	}
	return false;
}

/* A row's suites as wlansec.h takes them (-1: not reported). */
static int64_t link_akm(const cw_link_row_t *l)
{
	return l->has_akm ? (int64_t)l->akm : -1;
}

static int64_t link_cipher(const cw_link_row_t *l)
{
	return l->has_cipher ? (int64_t)l->cipher : -1;
}

/* One (AKM, cipher) pair of an SSID, its sessions summed over the NASes. */
typedef struct link_pair {
	cw_link_row_t	link;		//!< its first group's (nas: that group's)
	int64_t		sessions;
	bool		open;		//!< no AKM, from a NAS that reports AKMs for others
} link_pair_t;

/* The SSID's line: "guest SSID "X": 3 WPA2-PSK TKIP (weak: TKIP), 10 SAE CCMP-128". */
static void link_ssid_line(const audit_t *a, audit_item_t *it, const link_pair_t *p, size_t n, bool more)
{
	char line[AUDIT_EVIDENCE_LEN], d[CW_WLAN_DESCRIBE_MAX];
	size_t len;

	if (a->en) (void)cw_snprintf(line, sizeof(line), "%s SSID \"%s\":", p[0].link.member ? "member" : "guest", p[0].link.ssid);
	else (void)cw_snprintf(line, sizeof(line), "%s SSID「%s」:", p[0].link.member ? "会員" : "ゲスト", p[0].link.ssid);
	for (size_t i = 0; i < n; i++) {
		const char *why;
		cw_wlan_verdict_t v = cw_wlan_verdict(link_akm(&p[i].link), link_cipher(&p[i].link), &why);

		if (!p[i].link.has_akm && !p[i].link.has_cipher && !p[i].open) {
			(void)cw_snprintf(d, sizeof(d), "%s", a->en ? "not reported" : "報告なし");
		} else {
			(void)cw_wlan_describe(link_akm(&p[i].link), link_cipher(&p[i].link), d, sizeof(d));
		}
		len = strlen(line);
		(void)cw_snprintf(line + len, sizeof(line) - len, "%s %lld%s %s%s%s%s", i ? (a->en ? "," : "、") : "",
				  (long long)p[i].sessions, a->en ? "" : " 件", d,
				  v == CW_WLAN_WEAK ? (a->en ? " (weak: " : "(弱い: ") : "", v == CW_WLAN_WEAK ? why : "",
				  v == CW_WLAN_WEAK ? (a->en ? ")" : ")") : "");
	}
	len = strlen(line);
	if (more) (void)cw_snprintf(line + len, sizeof(line) - len, "%s", a->en ? ", and more" : "、ほかにもあり");
	evidence(it, "%s", line);
}

/* Add a group to the SSID's pairs (at most max); false when they are full. */
static bool link_pair_add(link_pair_t *p, size_t *n, size_t max, const cw_link_count_t *c, bool open)
{
	for (size_t i = 0; i < *n; i++) {
		if (p[i].link.has_akm == c->link.has_akm && p[i].link.akm == c->link.akm &&
		    p[i].link.has_cipher == c->link.has_cipher && p[i].link.cipher == c->link.cipher && p[i].open == open) {
			p[i].sessions += c->sessions;
			return true;
		}
	}
	if (*n == max) return false;
	p[*n].link = c->link;
	p[*n].sessions = c->sessions;
	p[*n].open = open;
	(*n)++;
	return true;
}

/* Judge one group; the NAS line of an open SSID, and the counts of good and unreported sessions. */
static void link_judge(const audit_t *a, audit_item_t *it, const log_facts_t *lf, size_t n, const cw_link_count_t *c, bool *open,
		       int64_t *good, int64_t *unreported)
{
	cw_wlan_verdict_t v = cw_wlan_verdict(link_akm(&c->link), link_cipher(&c->link), NULL);

	*open = !c->link.has_akm && !c->link.has_cipher && nas_reports_akm(lf, n, c->link.nas);
	if (*open) {
		EV(a, it, "アクセスポイント「%s」が AKM なしのセッションを %lld 件(%s%.0s)「%s」で報告。ほかのセッションでは AKM を報告している: 暗号化なし(オープン)の SSID",
		   "access point \"%s\" reported %lld %s session%s on \"%s\" without any AKM, while it reports"
		   " AKMs for other sessions: an open SSID", c->link.nas[0] ? c->link.nas : "-",
		   (long long)c->sessions, c->link.member ? (a->en ? "member" : "会員") : (a->en ? "guest" : "ゲスト"),
		   c->sessions == 1 ? "" : "s", c->link.ssid);
		verdict(it, AUDIT_ATTENTION);
	} else if (v == CW_WLAN_WEAK) {
		verdict(it, AUDIT_ATTENTION);
	} else if (v == CW_WLAN_GOOD) {
		*good += c->sessions;
	} else {
		*unreported += c->sessions;
	}
}

static const char link_howto_ja[] =
	"報告させるには: アクセスポイントのアカウンティングをこのサーバーに送る(hostapd は acct_server_addr を設定すれば、"
	"WPA2/WPA3 の各端末のアカウンティングに WLAN-AKM-Suite と WLAN-Pairwise-Cipher を既定で付ける。他社製品では"
	" RFC 7268 の属性と呼ばれる)。それまでは各 SSID が WPA2 か WPA3 であることをアクセスポイントで確認する";
static const char link_howto[] =
	"to have them reported: send the access points' accounting to this server (hostapd adds WLAN-AKM-Suite and"
	" WLAN-Pairwise-Cipher to the accounting of every WPA2/WPA3 station by default once acct_server_addr is set;"
	" other vendors call it RFC 7268 attributes); meanwhile check each SSID is WPA2 or WPA3 on the access points";

/*
 * 3-3.1 from the sessions' Wi-Fi security (linksec.h): attention for WEP,
 * TKIP, WPA, OWE or an unknown suite, and for a session without an AKM
 * from an access point that reports AKMs for others (an open SSID); ok
 * when every judged session is WPA2/WPA3 with CCMP or GCMP; manual when
 * nothing was reported.
 */
static void audit_linksec(audit_t *a, const log_facts_t *lf)
{
	audit_item_t *it = item(a, "3-3.1");
	size_t n, i = 0;
	int64_t good = 0, unreported = 0;

	if (!lf) {
		EV(a, it, "アクセスログを読めません(上記参照)", "the access log cannot be read (see above)");
		verdict(it, AUDIT_ATTENTION);
		return;
	}
	n = lf->n_links < LINK_GROUPS_MAX ? (size_t)lf->n_links : LINK_GROUPS_MAX;
	if (n == 0) {
		EV(a, it, "過去 %d 日間、会員・ゲストのセッションの Wi-Fi セキュリティ(RFC 7268 の AKM スイートと暗号方式)をアカウンティングで報告したアクセスポイントはありません",
		   "no access point reported the Wi-Fi security (RFC 7268 AKM suite, pairwise cipher) of a member"
			 " or guest session in its accounting in the last %d days", LINK_DAYS);
		evidence(it, "%s", a->en ? link_howto : link_howto_ja);
		return;
	}
	EV(a, it, "過去 %d 日間に始まったセッション。区分と SSID ごとに、アクセスポイントのアカウンティングが報告した AKM スイートと暗号方式:",
	   "sessions that started in the last %d days, by class and SSID, as the access points' accounting"
		 " reported their AKM suite and pairwise cipher:", LINK_DAYS);
	while (i < n) {
		link_pair_t pairs[8];
		size_t np = 0, first = i;
		bool open, more = false;

		for (; i < n && lf->links[i].link.member == lf->links[first].link.member &&
		       strcmp(lf->links[i].link.ssid, lf->links[first].link.ssid) == 0; i++) {
			link_judge(a, it, lf, n, &lf->links[i], &open, &good, &unreported);
			if (!link_pair_add(pairs, &np, sizeof(pairs) / sizeof(pairs[0]), &lf->links[i], open)) more = true;
		}
		link_ssid_line(a, it, pairs, np, more);
	}
	if (lf->n_links > LINK_GROUPS_MAX) {
		EV(a, it, "SSID・アクセスポイント・AKM・暗号方式の組み合わせが %lld 通り。判定したのは最初の %d 通りのみ",
		   "%lld combinations of SSID, access point, AKM and cipher; only the first %d were judged",
			 (long long)lf->n_links, LINK_GROUPS_MAX);
		verdict(it, AUDIT_ATTENTION);
	}
	if (unreported) EV(a, it, "AKM も暗号方式も報告しないアクセスポイントからのセッション %lld 件%.0s: 判定せず",
			   "%lld session%s without an AKM or cipher, from access points that never report"
				 " them: not judged", (long long)unreported, unreported == 1 ? "" : "s");
	if (it->status != AUDIT_ATTENTION && good) {
		EV(a, it, "判定したセッションはすべて WPA2 または WPA3、CCMP または GCMP", "every session judged was WPA2 or WPA3 with CCMP or GCMP");
		verdict(it, AUDIT_OK);
	}
	if (it->status == AUDIT_MANUAL) evidence(it, "%s", a->en ? link_howto : link_howto_ja);
}

/* --- 3-④ guest passphrases ---------------------------------------------------------- */

/* An upper bound of the passphrase's entropy from its length and the character classes it uses. */
static unsigned psk_bits(const char *p, unsigned *alphabet)
{
	bool lower = false, upper = false, digit = false, other = false;
	size_t len = strlen(p);
	unsigned a, bits = 0, pow = 1;

	for (const char *c = p; *c; c++) {
		if (*c >= 'a' && *c <= 'z') lower = true;
		else if (*c >= 'A' && *c <= 'Z') upper = true;
		else if (*c >= '0' && *c <= '9') digit = true;
		else other = true;
	}
	a = 26u * lower + 26u * upper + 10u * digit + 33u * other;
	*alphabet = a;
	while (pow * 2 <= a) { pow *= 2; bits++; }	/* floor(log2(a)) */
	return (unsigned)len * bits;
}

/* One guest passphrase to keep rotated: an SSID (site NULL), or an SSID at a site. */
static int audit_guest_ssid(void *arg, const char *site, const char *name)
{
	audit_t *a = arg;
	char ssid[CW_SSID_MAX + CW_SITE_NAME_MAX + 32];
	audit_item_t *cx = item(a, "3-4.1"), *reach = item(a, "3-4.2"), *rot = item(a, "3-4.3");
	cw_psk_row_t rows[CW_PSK_SERVED_MAX];
	cw_guest_policy_t pol;
	int64_t warn, last, now = a->cli->now;
	char period[16], d1[16], d2[16], d3[16];
	unsigned bits = 0, alphabet = 0;
	bool generated = false;
	size_t n, len = 0;
	cw_err_t e;

	/* The evidence names the SSID, and its site when sites are defined. */
	if (!site) (void)cw_snprintf(ssid, sizeof(ssid), "%s", name);
	else if (a->en) (void)cw_snprintf(ssid, sizeof(ssid), "%s (site %s)", name, site);
	else (void)cw_snprintf(ssid, sizeof(ssid), "%s(サイト %s)", name, site);
	if (cw_registry_site_guest_psks(a->reg, site, name, now, rows, &n, &warn, &last, &e) < 0 ||
	    cw_admin_guest_policy_get(a->reg, name, &pol, &e) < 0) {
		EV(a, rot, "ゲスト SSID「%s」: %s", "guest SSID \"%s\": %s", ssid, e.msg);
		verdict(rot, AUDIT_ATTENTION);
		return 0;
	}
	if (n) {
		generated = cw_psk_generated_shape(rows[0].passphrase);
		bits = generated ? CW_PSK_GENERATED_BITS : psk_bits(rows[0].passphrase, &alphabet);
		len = strlen(rows[0].passphrase);
	}
	for (size_t i = 0; i < CW_PSK_SERVED_MAX; i++) cw_wipe(rows[i].passphrase, sizeof(rows[i].passphrase));
	if (cw_period_format(&pol.period, period, sizeof(period)) < 0) strcpy(period, "?");
	if (n == 0) {
		EV(a, cx, "ゲスト SSID「%s」: 現在提供中のパスフレーズがありません", "guest SSID \"%s\": no passphrase served now", ssid);
		EV(a, rot, "ゲスト SSID「%s」: 現在提供中のパスフレーズがありません(最後のものは %s に提供終了): coworkctl psk rotate を実行してください", "guest SSID \"%s\": no passphrase served now (the last stopped %s): run coworkctl psk rotate",
			 ssid, cli_date(last, d1));
		verdict(cx, AUDIT_ATTENTION);
		verdict(rot, AUDIT_ATTENTION);
	} else {
		if (generated) {
			EV(a, cx, "ゲスト SSID「%s」: パスフレーズは %zu 文字、coworkctl の生成形式(暗号論的擬似乱数による %d 文字、記号 %zu 種類): %d ビット、管理者パスワードとは無関係", "guest SSID \"%s\": passphrase of %zu characters in coworkctl's generated shape"
				 " (%d characters of %zu symbols from the CSPRNG): %d bits, never the admin password",
				 ssid, len, CW_PSK_GROUPS * CW_PSK_GROUP_LEN, sizeof(CW_PASSWORD_ALPHABET) - 1,
				 CW_PSK_GENERATED_BITS);
		} else {
			EV(a, cx, "ゲスト SSID「%s」: パスフレーズは %zu 文字で coworkctl の生成形式ではありません。使われている文字種から字母は %u 種類、最大 %u ビット", "guest SSID \"%s\": passphrase of %zu characters, not coworkctl's generated shape;"
				 " its character classes give an alphabet of %u, so at most %u bits", ssid, len, alphabet,
				 bits);
		}
		verdict(cx, bits >= PSK_BITS_MIN ? AUDIT_OK : AUDIT_ATTENTION);
		EV(a, rot, "ゲスト SSID「%s」: 更新周期 %s、最新のパスフレーズは %s から、有効期限 %s、提供は %s まで", "guest SSID \"%s\": period %s, newest passphrase from %s, valid until %s, served until %s",
			 ssid, period, cli_date(rows[0].valid_from, d1), cli_date(rows[0].valid_until, d2),
			 cli_date(rows[0].grace_until, d3));
		if (rows[0].valid_until <= now) {
			EV(a, rot, "ゲスト SSID「%s」: 最新のパスフレーズは %s に期限切れとなり、後継がありません: coworkctl psk rotate を実行してください", "guest SSID \"%s\": the newest passphrase expired on %s without a successor:"
				 " run coworkctl psk rotate", ssid, cli_date(rows[0].valid_until, d1));
			verdict(rot, AUDIT_ATTENTION);
		} else {
			verdict(rot, pol.period.kind == CW_PERIOD_DAYS && pol.period.days > 31 ? AUDIT_ATTENTION : AUDIT_OK);
		}
	}
	EV(a, reach, "ゲスト SSID「%s」: 受付で QR コードとして提示(coworkctl psk show --qr)、更新時に通知コマンドへ渡す(psk rotate --notify-cmd、記録なし)、会員ページでの表示: %s", "guest SSID \"%s\": shown at reception as a QR code (coworkctl psk show --qr), handed to a"
		 " notify command at rotation (psk rotate --notify-cmd, not recorded), members' pages show it: %s",
		 ssid, pol.members_see && !site ? (a->en ? "yes" : "あり") : (a->en ? "no" : "なし"));
	return 0;
}

static int count_site(void *arg, const cw_site_t *site)
{
	(void)site;
	(*(int *)arg)++;
	return 0;
}

static void audit_guest(audit_t *a, const log_facts_t *lf)
{
	audit_item_t *rot = item(a, "3-4.3");
	int sites = 0;
	cw_err_t e;

	if (cw_admin_guest_offers(a->reg, audit_guest_ssid, a, &e) < 0) {
		evidence(rot, "%s", e.msg);
		verdict(rot, AUDIT_ATTENTION);
	}
	if (item(a, "3-4.2")->n == 0) {
		static const char *const ids[] = { "3-4.1", "3-4.2", "3-4.3" };

		for (size_t i = 0; i < 3; i++) EV(a, item(a, ids[i]), "ゲスト SSID なし: 共有しているパスフレーズはありません", "no guest SSID: no passphrase is shared");
		verdict(item(a, "3-4.1"), AUDIT_OK);
		verdict(item(a, "3-4.3"), AUDIT_OK);
		return;
	}
	if (lf) EV(a, rot, "今月、提供を終えたパスフレーズでの拒否(理由 no-passphrase): %lld 件%.0s", "%lld refusal%s this month for a passphrase no longer served (reason no-passphrase)",
			 (long long)lf->no_psk_month, lf->no_psk_month == 1 ? "" : "s");
	EV(a, item(a, "3-4.2"), "誰に伝えるかは運営者の手順: 受付で本人確認をしてから提示する", "who is told is the operator's process: reception checks identity before showing it");
	if (cw_site_list(a->reg, count_site, &sites, &e) < 0) {
		evidence(item(a, "3-4.2"), "%s", e.msg);
		verdict(item(a, "3-4.2"), AUDIT_ATTENTION);
	} else if (sites > 0) {
		EV(a, item(a, "3-4.2"), "サイト %d 件%.0s: ゲスト用パスフレーズはそのサイトのアクセスポイント(送信元アドレスで登録した NAS)にだけ提供され、ほかの RADIUS クライアントには提供されない", "%d site%s: each guest passphrase is served only to the access points of its site (NAS registered by source address), to no other RADIUS client",
		   sites, sites == 1 ? "" : "s");
	}
}

/* --- 3-⑥ VLANs ---------------------------------------------------------------------- */

static int audit_tenant(void *arg, const cw_tenant_row_t *t)
{
	audit_t *a = arg;
	audit_item_t *it = item(a, "3-6.1");

	if (cw_vlan_set_contains(&a->plan.staff, t->vlan)) {
		EV(a, it, "テナント「%s」の VLAN %u はスタッフ(業務用)VLAN です", "tenant \"%s\" is on VLAN %u, a staff VLAN", t->name, t->vlan);
		verdict(it, AUDIT_ATTENTION);
	}
	return 0;
}

static void audit_vlans(audit_t *a, const log_facts_t *lf)
{
	audit_item_t *it = item(a, "3-6.1");
	char staff[128], members[128];
	cw_err_t e;

	if (a->plan_error[0]) {
		EV(a, it, "保存されている VLAN 計画が安全ではありません: %s", "the stored VLAN plan is unsafe: %s", a->plan_error);
		verdict(it, AUDIT_ATTENTION);
		return;
	}
	if (!a->have_plan) {
		EV(a, it, "VLAN 計画がありません: coworkctl vlan set を実行してください", "no VLAN plan: run coworkctl vlan set");
		verdict(it, AUDIT_ATTENTION);
		return;
	}
	if (cw_vlan_set_format(&a->plan.staff, staff, sizeof(staff)) < 0) strcpy(staff, "?");
	if (cw_vlan_set_format(&a->plan.members, members, sizeof(members)) < 0) strcpy(members, "?");
	EV(a, it, "VLAN 計画: スタッフ %s、会員 %s、共用 %u、ゲスト %u", "VLAN plan: staff %s, members %s, shared %u, guest %u", staff, members, a->plan.shared,
		 a->plan.guest);
	verdict(it, AUDIT_OK);
	if (cw_vlan_set_contains(&a->plan.staff, a->plan.shared) || cw_vlan_set_contains(&a->plan.staff, a->plan.guest)) {
		EV(a, it, "共用またはゲストの VLAN がスタッフ VLAN です", "the shared or guest VLAN is a staff VLAN");
		verdict(it, AUDIT_ATTENTION);
	}
	if (cw_admin_tenant_list(a->reg, audit_tenant, a, &e) < 0) {
		evidence(it, "%s", e.msg);
		verdict(it, AUDIT_ATTENTION);
	} else if (it->status == AUDIT_OK) {
		EV(a, it, "テナント・会員・共用・ゲストのどの VLAN もスタッフ VLAN ではありません", "no tenant, members, shared or guest VLAN is a staff VLAN");
	}
	if (!lf) return;
	EV(a, it, "アクセスログ中、スタッフ VLAN を割り当てた Access-Accept: %lld 件%.0s", "%lld Access-Accept%s in the access log carried a staff VLAN", (long long)lf->staff_accepts,
		 lf->staff_accepts == 1 ? "" : "s");
	if (lf->staff_accepts) verdict(it, AUDIT_ATTENTION);
}

/* --- 3-⑦ the access log ---------------------------------------------------------------- */

static bool raw_identity_field(const char *fields)
{
	static const char *const raw[] = { "mac", "calling_station", "calling_station_id", "user_name", "username", NULL };
	char buf[256], *save = NULL;

	(void)cw_snprintf(buf, sizeof(buf), "%s", fields);
	for (char *f = strtok_r(buf, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		for (size_t i = 0; raw[i]; i++) {
			if (strcmp(f, raw[i]) == 0) return true;
		}
	}
	return false;
}

static void audit_log_rows(audit_t *a, const log_facts_t *lf, unsigned days)
{
	audit_item_t *it = item(a, "3-7.1");
	int64_t age = lf->oldest_ms ? (a->cli->now * 1000 - lf->oldest_ms) / 86400000 : 0;

	EV(a, it, "1 行の項目: %s", "fields of a row: %s", lf->fields);
	if (raw_identity_field(lf->fields)) {
		EV(a, it, "生の MAC アドレスまたは User-Name を保持する項目があります", "a field holds a raw MAC address or User-Name");
		verdict(it, AUDIT_ATTENTION);
	} else {
		EV(a, it, "生の MAC アドレスや User-Name を保持する項目はありません: 端末は鍵付きハッシュ(HMAC-SHA-256)", "no field is a raw MAC address or User-Name: device is a keyed hash (HMAC-SHA-256)");
		verdict(it, AUDIT_OK);
	}
	EV(a, it, "保存期間 %u 日、%lld 行、最古の行は %lld 日前", "retention %u days; %lld rows, the oldest %lld days old", days, (long long)lf->rows, (long long)age);
	if (lf->oldest_ms && age > (int64_t)days) {
		EV(a, it, "保存期間を過ぎた行があります: coworkctl log purge を実行してください(cron で毎日)", "rows older than the retention: run coworkctl log purge (daily from cron)");
		verdict(it, AUDIT_ATTENTION);
	}
}

static void audit_clock(audit_t *a, const log_facts_t *lf)
{
	audit_item_t *it = item(a, "3-7.4");
	int64_t synced = lf->rows - lf->unsynced, permille = lf->rows ? synced * 1000 / lf->rows : 1000;
	char text[96];
	cw_clock_t c;

	cw_clock_read(0, &c);
	if (cw_clock_describe(&c, text, sizeof(text)) < 0) strcpy(text, "?");
	EV(a, it, "同期した時計で記録された行: %lld / %lld 行(%lld.%lld %%)。%d.%d %% 未満は要注意", "%lld of %lld rows (%lld.%lld %%) written with a synchronised clock; below %d.%d %% needs attention",
		 (long long)synced, (long long)lf->rows, (long long)(permille / 10), (long long)(permille % 10),
		 SYNCED_SHARE_MIN / 10, SYNCED_SHARE_MIN % 10);
	EV(a, it, "このホストの現在の時計: %s(coworkctl status が監視)。アクセスポイントの時計はこのサーバーから見えません", "this host's clock now: %s (coworkctl status watches it); the access points' clocks are not seen",
		 text);
	verdict(it, permille >= SYNCED_SHARE_MIN ? AUDIT_OK : AUDIT_ATTENTION);
}

static int audit_export(void *arg, const cw_log_export_t *x)
{
	audit_t *a = arg;
	audit_item_t *it = item(a, "3-7.2");
	char when[16];

	EV(a, it, "%s、%s によるエクスポート、案件「%s」: %lld 行(%s、%s)", "export on %s by %s, case \"%s\": %lld rows (%s, %s)", cli_date(x->at, when), x->operator_name,
		 x->case_ref, (long long)x->rows, x->filter, x->format);
	return 0;
}

static void audit_exports(audit_t *a)
{
	audit_item_t *it = item(a, "3-7.2");
	cw_err_t e;

	EV(a, it, "ログから行を持ち出す手段は coworkctl log export のみで、案件の参照を必須とし記録する", "rows leave the log only by coworkctl log export, which requires a case reference and records it");
	verdict(it, AUDIT_OK);
	if (cw_admin_log_export_list(a->reg, audit_export, a, &e) < 0) {
		evidence(it, "%s", e.msg);
		verdict(it, AUDIT_ATTENTION);
	} else if (it->n == 1) {
		EV(a, it, "エクスポートの記録なし", "no export recorded");
	}
}

static void audit_log(audit_t *a, const log_facts_t *lf)
{
	unsigned days = CW_RETENTION_DAYS_DEFAULT;
	cw_err_t e;

	audit_exports(a);
	if (cw_retention_days(a->reg, &days, &e) < 0) {
		evidence(item(a, "3-7.1"), "%s", e.msg);
		verdict(item(a, "3-7.1"), AUDIT_ATTENTION);
	}
	if (!lf) {
		EV(a, item(a, "3-7.1"), "アクセスログを読めません(上記参照)", "the access log cannot be read (see above)");
		EV(a, item(a, "3-7.4"), "アクセスログを読めません(上記参照)", "the access log cannot be read (see above)");
		verdict(item(a, "3-7.1"), AUDIT_ATTENTION);
		verdict(item(a, "3-7.4"), AUDIT_ATTENTION);
		return;
	}
	audit_log_rows(a, lf, days);
	audit_clock(a, lf);
}

/* --- 3-⑧ certificates --------------------------------------------------------------- */

typedef struct cert_counts {
	int64_t	now;
	long	active, expired, revoked, to_renew;
} cert_counts_t;

static int count_cert(void *arg, const cw_cert_record_t *r)
{
	cert_counts_t *c = arg;

	if (r->revoked_at) c->revoked++;
	else if (r->not_after < c->now) c->expired++;
	else c->active++;
	return 0;
}

static int count_to_renew(void *arg, const cw_cert_expiring_t *r)
{
	cert_counts_t *c = arg;

	if (!r->renewed_by[0] && !r->ends_with_membership) c->to_renew++;
	return 0;
}

static void audit_certs(audit_t *a)
{
	audit_item_t *it = item(a, "3-8.1");
	cert_counts_t c = { a->cli->now, 0, 0, 0, 0 };
	cw_err_t e;

	EV(a, it, "会員はこのサーバーの CA が発行した証明書による EAP-TLS で、ゲストはパスフレーズで認証", "members authenticate with EAP-TLS certificates from this server's CA; guests with a passphrase");
	if (cw_admin_cert_list(a->reg, NULL, count_cert, &c, &e) < 0 ||
	    cw_admin_cert_expiring(a->reg, NULL, a->cli->now, CERT_NOTICE_DAYS, count_to_renew, &c, &e) < 0) {
		evidence(it, "%s", e.msg);
		verdict(it, AUDIT_ATTENTION);
		return;
	}
	EV(a, it, "有効な証明書 %ld 件、期限切れ %ld 件、失効 %ld 件", "%ld active certificates, %ld expired, %ld revoked", c.active, c.expired, c.revoked);
	EV(a, it, "%ld 件が更新されないまま %d 日以内に期限切れ(会員期間の終了によるものを除く)", "%ld expire within %d days without renewal (nor the membership ending)", c.to_renew, CERT_NOTICE_DAYS);
	verdict(it, c.to_renew ? AUDIT_ATTENTION : AUDIT_OK);
}

/* --- 3-⑧ visibility of what connects ------------------------------------------------------ */

typedef struct device_facts {
	int64_t	new_devices, refusals;	//!< this month
	char	error[256];		//!< "" when the numbers are good
} device_facts_t;

/* In the log owner's child: devices first seen and unknown-device refusals since the month began. */
static int device_facts_job(cw_accesslog_t *log, void *arg, int out_fd)
{
	const int64_t *month_ms = arg;
	device_facts_t f;
	cw_err_t e;

	memset(&f, 0, sizeof(f));
	if (cw_devlog_counts(log, *month_ms, &f.new_devices, &f.refusals, &e) < 0) {
		(void)cw_snprintf(f.error, sizeof(f.error), "%s", e.msg);
	}
	return statedir_log_send(out_fd, &f, sizeof(f)) < 0 ? EXIT_FAIL : EXIT_OK;
}

/* A tenant's override, as evidence; off, or notify without a command, needs attention. */
typedef struct tenant_policies {
	const audit_t	*a;
	audit_item_t	*it;
	bool		hook;
} tenant_policies_t;

static int tenant_policy(void *arg, const char *tenant, cw_binding_t b)
{
	tenant_policies_t *t = arg;

	EV(t->a, t->it, "テナント「%s」: %s", "tenant %s: %s", tenant, cw_binding_name(b));
	if (b == CW_BINDING_OFF || (b == CW_BINDING_NOTIFY && !t->hook)) verdict(t->it, AUDIT_ATTENTION);
	return 0;
}

/*
 * 3-8.4: new devices are recorded and reported (notify with a command), or
 * unknown ones refused (enforce); off, or notify with nobody told, is
 * attention. Evidence: the policies, the command, this month's numbers.
 */
static void audit_devices(audit_t *a, int64_t month_ms)
{
	audit_item_t *it = item(a, "3-8.4");
	char cmd[CW_HOOK_CMD_MAX + 1];
	tenant_policies_t t = { a, it, false };
	statedir_bytes_t got = { NULL, 0 };
	device_facts_t f;
	cw_binding_t global;
	bool set;
	int hook;
	cw_err_t e;

	hook = cw_admin_notify_get(a->reg, CW_NOTIFY_NEW_DEVICE, cmd, sizeof(cmd), &e);
	if (hook < 0 || cw_admin_binding_global(a->reg, &global, &set, &e) < 0) {
		evidence(it, "%s", e.msg);
		verdict(it, AUDIT_ATTENTION);
		return;
	}
	t.hook = hook == 1;
	EV(a, it, "端末の紐付け(device binding): %s%s(証明書は最初に使われた端末に紐付く)",
	   "device binding: %s%s (a certificate's first device is bound to it)", cw_binding_name(global),
	   set ? "" : (a->en ? ", the default" : "、既定値"));
	verdict(it, AUDIT_OK);
	if (global == CW_BINDING_OFF) {
		EV(a, it, "新しい端末を記録していません: `coworkctl device policy notify`(または enforce)を実行してください",
		   "new devices are not recorded: run `coworkctl device policy notify` (or enforce)");
		verdict(it, AUDIT_ATTENTION);
	}
	if (cw_admin_binding_tenants(a->reg, tenant_policy, &t, &e) < 0) {
		evidence(it, "%s", e.msg);
		verdict(it, AUDIT_ATTENTION);
	}
	if (t.hook) {
		EV(a, it, "新しい端末の接続で `coworkctl notify set new-device` のコマンドを実行する",
		   "a new device runs the command set with `coworkctl notify set new-device`");
	} else {
		EV(a, it, "新しい端末の接続を誰にも通知しません: `coworkctl notify set new-device CMD` を実行してください%s",
		   "nobody is told of a new device: run `coworkctl notify set new-device CMD`%s",
		   global == CW_BINDING_ENFORCE ? "" : (a->en ? ", or refuse unknown devices with `coworkctl device policy enforce`"
							: "。または `coworkctl device policy enforce` で未知の端末を拒否する"));
		if (global == CW_BINDING_NOTIFY) verdict(it, AUDIT_ATTENTION);
	}
	if (cli_accesslog_run(a->cli, false, "access log", device_facts_job, &month_ms, &got) != EXIT_OK ||
	    got.len != sizeof(f)) {
		EV(a, it, "アクセスログの端末情報を読めません", "the access log's devices could not be read");
		verdict(it, AUDIT_ATTENTION);
	} else {
		memcpy(&f, got.data, sizeof(f));
		f.error[sizeof(f.error) - 1] = '\0';
		if (f.error[0]) {
			EV(a, it, "アクセスログ: %s", "access log: %s", f.error);
			verdict(it, AUDIT_ATTENTION);
		} else {
			EV(a, it, "今月: 初めて接続した端末 %lld 台%.0s(`coworkctl device list --new`)、unknown-device による拒否 %lld 件%.0s",
			   "this month: %lld device%s first seen (`coworkctl device list --new`), %lld refusal%s"
			   " as unknown-device", (long long)f.new_devices, f.new_devices == 1 ? "" : "s",
			   (long long)f.refusals, f.refusals == 1 ? "" : "s");
		}
	}
	free(got.data);
}

/* --- what the server cannot see -------------------------------------------------------- */

static void audit_manual(audit_t *a)
{
	EV(a, item(a, "2-4.1"), "3-⑦ を参照: アクセスログは認証の判定ごとに最小限を、ログ所有者のアカウントで記録する。root もそのアカウントを通してのみ読む", "see 3-⑦: the access log records each authentication decision, minimal, on the"
		 " log owner's account; root reads it only through that account");
	EV(a, item(a, "2-7.1"), "会員(EAP-TLS)とゲスト(パスフレーズ)は SSID と VLAN が別。利用規約は運営者が定める", "members (EAP-TLS) and guests (passphrase) have their own SSIDs and VLANs; the"
		 " terms of use are the operator's");
	EV(a, item(a, "3-7.3"), "ログの項目と保存期間は上の 3-⑦ と docs/operations.md に記載", "the log's fields and retention are in 3-⑦ above and in docs/operations.md");
	EV(a, item(a, "3-8.2"), "会員は MAC アドレスではなく証明書で識別する。MAC フィルタリングはアクセスポイントの設定", "members are identified by certificate, not by MAC address; MAC filtering is"
		 " the access points' setting");
	for (size_t i = 0; i < N_QUESTIONS; i++) {
		if (a->items[i].n == 0) EV(a, &a->items[i], "このサーバーからは見えません: アクセスポイントやスイッチの設定、または運営者自身の対応", "not seen by this server: the access points', switches'"
						 " or the operator's own setting");
	}
}

/* --- gathering and output ---------------------------------------------------------------- */

/*
 * Control bytes as '?': radiusd writes the log, and what it wrote goes to
 * the terminal in the text report (the JSON and HTML escape it anyway).
 */
static void printable(char *s)
{
	for (; *s; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f) *s = '?';
	}
}

/* Start of this month (local), ms. */
static int64_t audit_month_ms(audit_t *a)
{
	cw_period_t monthly = { .kind = CW_PERIOD_MONTHLY };
	int64_t start, end;

	if (cw_period_window(&monthly, a->cli->now, &start, &end) < 0) start = a->cli->now;
	return start * 1000;
}

static const log_facts_t *audit_read_log(audit_t *a, log_facts_t *lf)
{
	log_query_t q;
	statedir_bytes_t got = { NULL, 0 };
	bool ok;

	memset(&q, 0, sizeof(q));
	q.month_ms = audit_month_ms(a);
	q.link_from_ms = (a->cli->now - (int64_t)LINK_DAYS * 86400) * 1000;
	if (a->have_plan) q.staff = a->plan.staff;
	ok = cli_accesslog_run(a->cli, false, "access log", log_facts_job, &q, &got) == EXIT_OK && got.len == sizeof(*lf);
	if (ok) memcpy(lf, got.data, sizeof(*lf));
	free(got.data);
	if (!ok) return NULL;
	lf->fields[sizeof(lf->fields) - 1] = lf->error[sizeof(lf->error) - 1] = '\0';
	if (lf->n_links < 0) lf->n_links = 0;
	for (size_t i = 0; i < LINK_GROUPS_MAX; i++) {
		lf->links[i].link.ssid[CW_SSID_MAX] = lf->links[i].link.nas[CW_NAS_MAX] = '\0';
		printable(lf->links[i].link.ssid);
		printable(lf->links[i].link.nas);
	}
	if (lf->error[0]) {
		cli_fail("access log: %s", lf->error);
		return NULL;
	}
	return lf;
}

static int audit_gather(audit_t *a)
{
	log_facts_t facts;
	const log_facts_t *lf;
	cw_err_t e;
	int rc;

	if ((rc = cw_registry_vlan_plan(a->reg, &a->plan, &e)) < 0 && rc != CW_REGISTRY_PLAN_UNSAFE) {
		return cli_fail("%s", e.msg);
	}
	a->have_plan = rc == 1;
	if (rc == CW_REGISTRY_PLAN_UNSAFE) (void)cw_snprintf(a->plan_error, sizeof(a->plan_error), "%s", e.msg);
	lf = audit_read_log(a, &facts);
	audit_linksec(a, lf);
	audit_guest(a, lf);
	audit_vlans(a, lf);
	audit_log(a, lf);
	audit_certs(a);
	audit_devices(a, audit_month_ms(a));
	audit_manual(a);
	return EXIT_OK;
}

static const char *status_name(audit_status_t s)
{
	return s == AUDIT_OK ? "ok" : s == AUDIT_ATTENTION ? "attention" : "manual";
}

static void audit_json(const audit_t *a, bool en)
{
	json_t j;

	json_init(&j, stdout);
	json_object_begin(&j);
	json_kv_string(&j, "lang", en ? "en" : "ja");
	json_kv_time(&j, "at", a->cli->now);
	json_key(&j, "items");
	json_array_begin(&j);
	for (size_t i = 0; i < N_QUESTIONS; i++) {
		json_object_begin(&j);
		json_kv_string(&j, "id", questions[i].id);
		json_kv_string(&j, "item", questions[i].item);
		json_kv_string(&j, "question", en ? questions[i].en : questions[i].ja);
		json_kv_string(&j, "status", status_name(a->items[i].status));
		json_key(&j, "evidence");
		json_array_begin(&j);
		for (int k = 0; k < a->items[i].n; k++) json_string(&j, a->items[i].evidence[k]);
		json_array_end(&j);
		json_object_end(&j);
	}
	json_array_end(&j);
	json_object_end(&j);
	json_end(&j);
}

static void audit_text(const audit_t *a, bool en)
{
	for (size_t i = 0; i < N_QUESTIONS; i++) {
		printf("%s %-9s %s\n", questions[i].id, status_name(a->items[i].status), en ? questions[i].en : questions[i].ja);
		for (int k = 0; k < a->items[i].n; k++) printf("          - %s\n", a->items[i].evidence[k]);
	}
}

/* s with &, <, >, " and ' as character references. */
static void html_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*s, f);
		}
	}
}

static const char html_head[] =
	"<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>%s</title>\n<style>\n"
	"body{font-family:sans-serif;margin:2em;color:#111}table{border-collapse:collapse;width:100%%}\n"
	"th,td{border:1px solid #999;padding:.4em;vertical-align:top;text-align:left}\n"
	".ok{background:#dfd}.attention{background:#fdd}.manual{background:#eee}\n"
	"ul{margin:0;padding-left:1.2em}@media print{body{margin:0}tr{page-break-inside:avoid}}\n"
	"</style>\n</head>\n<body>\n<h1>%s</h1>\n<p>";

static void audit_html(FILE *f, const audit_t *a, bool en)
{
	const char *title = en ? "Shared-office security checklist: network and members"
			       : "共同利用型オフィス等で備えたいセキュリティ対策 チェックシート: ネットワーク・利用者";
	char when[32];

	fprintf(f, html_head, en ? "en" : "ja", title, title);
	html_escaped(f, a->cli->state_dir);
	fprintf(f, " &middot; %s</p>\n<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
		cli_when(a->cli->now, when), en ? "Item" : "項目", en ? "Question" : "質問", en ? "Status" : "状態",
		en ? "Evidence" : "根拠");
	for (size_t i = 0; i < N_QUESTIONS; i++) {
		const char *s = status_name(a->items[i].status);

		fprintf(f, "<tr class=\"%s\"><td>", s);
		html_escaped(f, questions[i].item);
		fputs("</td><td>", f);
		html_escaped(f, en ? questions[i].en : questions[i].ja);
		fprintf(f, "</td><td>%s</td><td><ul>", s);
		for (int k = 0; k < a->items[i].n; k++) {
			fputs("<li>", f);
			html_escaped(f, a->items[i].evidence[k]);
			fputs("</li>", f);
		}
		fputs("</ul></td></tr>\n", f);
	}
	fputs("</table>\n</body>\n</html>\n", f);
}

/* The page into memory, then through the checked output path. */
static int audit_write_html(const audit_t *a, bool en, const char *path)
{
	cw_out_t out = CW_OUT_INIT;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	cw_err_t e;
	int rc = EXIT_OK;

	if (!f) return cli_fail("--out: out of memory");
	audit_html(f, a, en);
	if (fclose(f) != 0) rc = cli_fail("--out: out of memory");
	else if (cw_out_open(path, 0600, &out, &e) < 0 || cw_out_write(&out, buf, len, &e) < 0 ||
		 cw_out_commit(&out, &e) < 0) rc = cli_fail("--out %s: %s", path, e.msg);
	cw_out_abort(&out);
	free(buf);
	return rc;
}

typedef struct audit_opts {
	bool		json, en;
	const char	*out;
} audit_opts_t;

/* 0, or -1 with *rc the exit code (--help or a usage error). */
static int audit_parse(const cli_cmd_t *self, int argc, char **argv, audit_opts_t *o, int *rc)
{
	static const struct option longopts[] = {
		{ "lang", required_argument, NULL, 'l' },
		{ "json", no_argument, NULL, 'j' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *lang = "ja";
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = cli_getopt(self, argc, argv, "h", longopts, rc)) != -1) {
		if (c == -2) return -1;
		if (c == 'j') o->json = true;
		if (c == 'o') o->out = optarg;
		if (c == 'l') lang = optarg;
	}
	if ((*rc = cli_operands(self, argc, argv, 0, 0)) != EXIT_OK) return -1;
	if (strcmp(lang, "ja") != 0 && strcmp(lang, "en") != 0) {
		*rc = cli_usage(self, "--lang takes ja or en (got \"%.20s\")", lang);
		return -1;
	}
	if (o->out && !*o->out) {
		*rc = cli_usage(self, "--out needs a file name");
		return -1;
	}
	o->en = lang[0] == 'e';
	return 0;
}

int cmd_audit(cli_t *cli, const cli_cmd_t *self, int argc, char **argv)
{
	audit_opts_t o;
	audit_t *a;
	int rc;

	if (audit_parse(self, argc, argv, &o, &rc) < 0) return rc;
	if (!(a = calloc(1, sizeof(*a)))) return cli_fail("out of memory");
	a->cli = cli;
	a->en = o.en;
	if ((rc = cli_registry(cli, &a->reg)) != EXIT_OK) goto done;
	rc = audit_gather(a);
	cw_registry_close(a->reg);
	if (rc != EXIT_OK) goto done;
	if (o.out && (rc = audit_write_html(a, o.en, o.out)) != EXIT_OK) goto done;
	if (o.json) audit_json(a, o.en);
	else audit_text(a, o.en);
	for (size_t i = 0; i < N_QUESTIONS; i++) {
		if (a->items[i].status == AUDIT_ATTENTION) rc = EXIT_ATTENTION;
	}
done:
	free(a);
	return rc;
}
