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
#include "psk.h"
#include "rand.h"
#include "registry_admin.h"
#include "sqlutil.h"

#define AUDIT_EVIDENCE_MAX	12
#define AUDIT_EVIDENCE_LEN	320
#define CERT_NOTICE_DAYS	30
#define SYNCED_SHARE_MIN	990	//!< per mille of rows written with a synchronised clock
#define PSK_BITS_MIN		64	//!< below: guessable by an offline attack on a captured handshake

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

/* One piece of evidence (beyond AUDIT_EVIDENCE_MAX, dropped). */
static void evidence(audit_item_t *it, const char *fmt, ...)
{
	va_list ap;

	if (it->n == AUDIT_EVIDENCE_MAX) return;
	va_start(ap, fmt);
	(void)vsnprintf(it->evidence[it->n++], AUDIT_EVIDENCE_LEN, fmt, ap);
	va_end(ap);
}

/* Set the status; attention, once set, stays. */
static void verdict(audit_item_t *it, audit_status_t s)
{
	if (it->status != AUDIT_ATTENTION) it->status = s;
}

/* --- the access log, in the log owner's child ------------------------------------ */

typedef struct log_query {
	int64_t		month_ms;	//!< start of this month (local), ms
	cw_vlan_set_t	staff;
} log_query_t;

typedef struct log_facts {
	int64_t	rows, oldest_ms, unsynced, staff_accepts, no_psk_month;
	char	fields[256];		//!< the columns of a row, comma-separated
	char	error[256];		//!< "" when the numbers are good
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

static int audit_guest_ssid(void *arg, const char *ssid)
{
	audit_t *a = arg;
	audit_item_t *cx = item(a, "3-4.1"), *reach = item(a, "3-4.2"), *rot = item(a, "3-4.3");
	cw_psk_row_t rows[CW_PSK_SERVED_MAX];
	cw_guest_policy_t pol;
	int64_t warn, last, now = a->cli->now;
	char period[16], d1[16], d2[16], d3[16];
	unsigned bits = 0, alphabet = 0;
	bool generated = false;
	size_t n, len = 0;
	cw_err_t e;

	if (cw_registry_guest_psks(a->reg, ssid, now, rows, &n, &warn, &last, &e) < 0 ||
	    cw_admin_guest_policy_get(a->reg, ssid, &pol, &e) < 0) {
		evidence(rot, "guest SSID \"%s\": %s", ssid, e.msg);
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
		evidence(cx, "guest SSID \"%s\": no passphrase served now", ssid);
		evidence(rot, "guest SSID \"%s\": no passphrase served now (the last stopped %s): run coworkctl psk rotate",
			 ssid, cli_date(last, d1));
		verdict(cx, AUDIT_ATTENTION);
		verdict(rot, AUDIT_ATTENTION);
	} else {
		if (generated) {
			evidence(cx, "guest SSID \"%s\": passphrase of %zu characters in coworkctl's generated shape"
				 " (%d characters of %zu symbols from the CSPRNG): %d bits, never the admin password",
				 ssid, len, CW_PSK_GROUPS * CW_PSK_GROUP_LEN, sizeof(CW_PASSWORD_ALPHABET) - 1,
				 CW_PSK_GENERATED_BITS);
		} else {
			evidence(cx, "guest SSID \"%s\": passphrase of %zu characters, not coworkctl's generated shape;"
				 " its character classes give an alphabet of %u, so at most %u bits", ssid, len, alphabet,
				 bits);
		}
		verdict(cx, bits >= PSK_BITS_MIN ? AUDIT_OK : AUDIT_ATTENTION);
		evidence(rot, "guest SSID \"%s\": period %s, newest passphrase from %s, valid until %s, served until %s",
			 ssid, period, cli_date(rows[0].valid_from, d1), cli_date(rows[0].valid_until, d2),
			 cli_date(rows[0].grace_until, d3));
		if (rows[0].valid_until <= now) {
			evidence(rot, "guest SSID \"%s\": the newest passphrase expired on %s without a successor:"
				 " run coworkctl psk rotate", ssid, cli_date(rows[0].valid_until, d1));
			verdict(rot, AUDIT_ATTENTION);
		} else {
			verdict(rot, pol.period.kind == CW_PERIOD_DAYS && pol.period.days > 31 ? AUDIT_ATTENTION : AUDIT_OK);
		}
	}
	evidence(reach, "guest SSID \"%s\": shown at reception as a QR code (coworkctl psk show --qr), handed to a"
		 " notify command at rotation (psk rotate --notify-cmd, not recorded), members' pages show it: %s",
		 ssid, pol.members_see ? "yes" : "no");
	return 0;
}

static void audit_guest(audit_t *a, const log_facts_t *lf)
{
	audit_item_t *rot = item(a, "3-4.3");
	cw_err_t e;

	if (cw_admin_guest_ssids(a->reg, audit_guest_ssid, a, &e) < 0) {
		evidence(rot, "%s", e.msg);
		verdict(rot, AUDIT_ATTENTION);
	}
	if (item(a, "3-4.2")->n == 0) {
		static const char *const ids[] = { "3-4.1", "3-4.2", "3-4.3" };

		for (size_t i = 0; i < 3; i++) evidence(item(a, ids[i]), "no guest SSID: no passphrase is shared");
		verdict(item(a, "3-4.1"), AUDIT_OK);
		verdict(item(a, "3-4.3"), AUDIT_OK);
		return;
	}
	if (lf) evidence(rot, "%lld refusal%s this month for a passphrase no longer served (reason no-passphrase)",
			 (long long)lf->no_psk_month, lf->no_psk_month == 1 ? "" : "s");
	evidence(item(a, "3-4.2"), "who is told is the operator's process: reception checks identity before showing it");
}

/* --- 3-⑥ VLANs ---------------------------------------------------------------------- */

static int audit_tenant(void *arg, const cw_tenant_row_t *t)
{
	audit_t *a = arg;
	audit_item_t *it = item(a, "3-6.1");

	if (cw_vlan_set_contains(&a->plan.staff, t->vlan)) {
		evidence(it, "tenant \"%s\" is on VLAN %u, a staff VLAN", t->name, t->vlan);
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
		evidence(it, "the stored VLAN plan is unsafe: %s", a->plan_error);
		verdict(it, AUDIT_ATTENTION);
		return;
	}
	if (!a->have_plan) {
		evidence(it, "no VLAN plan: run coworkctl vlan set");
		verdict(it, AUDIT_ATTENTION);
		return;
	}
	if (cw_vlan_set_format(&a->plan.staff, staff, sizeof(staff)) < 0) strcpy(staff, "?");
	if (cw_vlan_set_format(&a->plan.members, members, sizeof(members)) < 0) strcpy(members, "?");
	evidence(it, "VLAN plan: staff %s, members %s, shared %u, guest %u", staff, members, a->plan.shared,
		 a->plan.guest);
	verdict(it, AUDIT_OK);
	if (cw_vlan_set_contains(&a->plan.staff, a->plan.shared) || cw_vlan_set_contains(&a->plan.staff, a->plan.guest)) {
		evidence(it, "the shared or guest VLAN is a staff VLAN");
		verdict(it, AUDIT_ATTENTION);
	}
	if (cw_admin_tenant_list(a->reg, audit_tenant, a, &e) < 0) {
		evidence(it, "%s", e.msg);
		verdict(it, AUDIT_ATTENTION);
	} else if (it->status == AUDIT_OK) {
		evidence(it, "no tenant, members, shared or guest VLAN is a staff VLAN");
	}
	if (!lf) return;
	evidence(it, "%lld Access-Accept%s in the access log carried a staff VLAN", (long long)lf->staff_accepts,
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

	evidence(it, "fields of a row: %s", lf->fields);
	if (raw_identity_field(lf->fields)) {
		evidence(it, "a field holds a raw MAC address or User-Name");
		verdict(it, AUDIT_ATTENTION);
	} else {
		evidence(it, "no field is a raw MAC address or User-Name: device is a keyed hash (HMAC-SHA-256)");
		verdict(it, AUDIT_OK);
	}
	evidence(it, "retention %u days; %lld rows, the oldest %lld days old", days, (long long)lf->rows, (long long)age);
	if (lf->oldest_ms && age > (int64_t)days) {
		evidence(it, "rows older than the retention: run coworkctl log purge (daily from cron)");
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
	evidence(it, "%lld of %lld rows (%lld.%lld %%) written with a synchronised clock; below %d.%d %% needs attention",
		 (long long)synced, (long long)lf->rows, (long long)(permille / 10), (long long)(permille % 10),
		 SYNCED_SHARE_MIN / 10, SYNCED_SHARE_MIN % 10);
	evidence(it, "this host's clock now: %s (coworkctl status watches it); the access points' clocks are not seen",
		 text);
	verdict(it, permille >= SYNCED_SHARE_MIN ? AUDIT_OK : AUDIT_ATTENTION);
}

static int audit_export(void *arg, const cw_log_export_t *x)
{
	audit_item_t *it = arg;
	char when[16];

	evidence(it, "export on %s by %s, case \"%s\": %lld rows (%s, %s)", cli_date(x->at, when), x->operator_name,
		 x->case_ref, (long long)x->rows, x->filter, x->format);
	return 0;
}

static void audit_exports(audit_t *a)
{
	audit_item_t *it = item(a, "3-7.2");
	cw_err_t e;

	evidence(it, "rows leave the log only by coworkctl log export, which requires a case reference and records it");
	verdict(it, AUDIT_OK);
	if (cw_admin_log_export_list(a->reg, audit_export, it, &e) < 0) {
		evidence(it, "%s", e.msg);
		verdict(it, AUDIT_ATTENTION);
	} else if (it->n == 1) {
		evidence(it, "no export recorded");
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
		evidence(item(a, "3-7.1"), "the access log cannot be read (see above)");
		evidence(item(a, "3-7.4"), "the access log cannot be read (see above)");
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

	evidence(it, "members authenticate with EAP-TLS certificates from this server's CA; guests with a passphrase");
	if (cw_admin_cert_list(a->reg, NULL, count_cert, &c, &e) < 0 ||
	    cw_admin_cert_expiring(a->reg, NULL, a->cli->now, CERT_NOTICE_DAYS, count_to_renew, &c, &e) < 0) {
		evidence(it, "%s", e.msg);
		verdict(it, AUDIT_ATTENTION);
		return;
	}
	evidence(it, "%ld active certificates, %ld expired, %ld revoked", c.active, c.expired, c.revoked);
	evidence(it, "%ld expire within %d days without renewal (nor the membership ending)", c.to_renew, CERT_NOTICE_DAYS);
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
	audit_item_t	*it;
	bool		hook;
} tenant_policies_t;

static int tenant_policy(void *arg, const char *tenant, cw_binding_t b)
{
	tenant_policies_t *t = arg;

	evidence(t->it, "tenant %s: %s", tenant, cw_binding_name(b));
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
	tenant_policies_t t = { it, false };
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
	evidence(it, "device binding: %s%s (a certificate's first device is bound to it)", cw_binding_name(global),
		 set ? "" : ", the default");
	verdict(it, AUDIT_OK);
	if (global == CW_BINDING_OFF) {
		evidence(it, "new devices are not recorded: run `coworkctl device policy notify` (or enforce)");
		verdict(it, AUDIT_ATTENTION);
	}
	if (cw_admin_binding_tenants(a->reg, tenant_policy, &t, &e) < 0) {
		evidence(it, "%s", e.msg);
		verdict(it, AUDIT_ATTENTION);
	}
	if (t.hook) {
		evidence(it, "a new device runs the command set with `coworkctl notify set new-device`");
	} else {
		evidence(it, "nobody is told of a new device: run `coworkctl notify set new-device CMD`%s",
			 global == CW_BINDING_ENFORCE ? "" : ", or refuse unknown devices with `coworkctl device policy enforce`");
		if (global == CW_BINDING_NOTIFY) verdict(it, AUDIT_ATTENTION);
	}
	if (cli_accesslog_run(a->cli, false, "access log", device_facts_job, &month_ms, &got) != EXIT_OK ||
	    got.len != sizeof(f)) {
		evidence(it, "the access log's devices could not be read");
		verdict(it, AUDIT_ATTENTION);
	} else {
		memcpy(&f, got.data, sizeof(f));
		f.error[sizeof(f.error) - 1] = '\0';
		if (f.error[0]) {
			evidence(it, "access log: %s", f.error);
			verdict(it, AUDIT_ATTENTION);
		} else {
			evidence(it, "this month: %lld device%s first seen (`coworkctl device list --new`), %lld refusal%s"
				 " as unknown-device", (long long)f.new_devices, f.new_devices == 1 ? "" : "s",
				 (long long)f.refusals, f.refusals == 1 ? "" : "s");
		}
	}
	free(got.data);
}

/* --- what the server cannot see -------------------------------------------------------- */

static void audit_manual(audit_t *a)
{
	evidence(item(a, "2-4.1"), "see 3-⑦: the access log records each authentication decision, minimal, on the"
		 " log owner's account; root reads it only through that account");
	evidence(item(a, "2-7.1"), "members (EAP-TLS) and guests (passphrase) have their own SSIDs and VLANs; the"
		 " terms of use are the operator's");
	evidence(item(a, "3-3.1"), "the AKM suites and ciphers the access points use are not recorded yet:"
		 " check each SSID is WPA2 or WPA3 on the access points");
	evidence(item(a, "3-7.3"), "the log's fields and retention are in 3-⑦ above and in docs/operations.md");
	evidence(item(a, "3-8.2"), "members are identified by certificate, not by MAC address; MAC filtering is"
		 " the access points' setting");
	for (size_t i = 0; i < N_QUESTIONS; i++) {
		if (a->items[i].n == 0) evidence(&a->items[i], "not seen by this server: the access points', switches'"
						 " or the operator's own setting");
	}
}

/* --- gathering and output ---------------------------------------------------------------- */

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
	cw_period_t monthly = { .kind = CW_PERIOD_MONTHLY };
	statedir_bytes_t got = { NULL, 0 };
	int64_t start, end;
	bool ok;

	memset(&q, 0, sizeof(q));
	if (cw_period_window(&monthly, a->cli->now, &start, &end) < 0) start = a->cli->now;
	q.month_ms = start * 1000;
	if (a->have_plan) q.staff = a->plan.staff;
	ok = cli_accesslog_run(a->cli, false, "access log", log_facts_job, &q, &got) == EXIT_OK && got.len == sizeof(*lf);
	if (ok) memcpy(lf, got.data, sizeof(*lf));
	free(got.data);
	if (!ok) return NULL;
	lf->fields[sizeof(lf->fields) - 1] = lf->error[sizeof(lf->error) - 1] = '\0';
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
