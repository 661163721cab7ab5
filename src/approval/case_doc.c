/*
** case_doc.c: the documents an applicant receives (行政许可法 §32, §38;
** domain.md §13): 受理通知书, 不予受理决定书, 一次性补正告知书, 准予/不予行政许可
** 决定书 and the 联合验收意见书 of a 54Y joint acceptance. A number is issued
** in the transaction of the action that calls for the document (per
** department, kind and year, never reused) with a verification code (128
** random bits, base32) printed with a QR code; the page is rendered then and
** kept in the database with the document's row (migration 0030: its bytes
** are durable with the COMMIT that issues it, no file to flush first; its
** SHA-256 recorded on the row and checked on every read), and a reprint
** serves those very bytes (pages kept before 0030: from the file store). The QR code itself is drawn when the
** page is served, not in the issuing transaction (drawing it was an eighth
** of a durable transition, issue 21): the kept page holds the code's text
** in a marker (QR_MARK) that the reader replaces with the drawing, so what
** a user receives is the page as it was issued. Documents issued before
** (and the demo history's) are rendered from the stored facts instead.
** Also 收件回执 (at 收件), 特别程序告知书 (§45, at special_start) and
** 容缺受理告知书 (at a 受理 with materials to follow).
*/
#include "approval/case_int.h"
#include "approval/names.h"
#include "base/filestore.h"
#include "org/totp.h"
#include "store/store_files.h"
#include "store/store_project.h"

#include <sodium.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct doc_kind {
	const char *kind, *title, *mark;
	int appeal;          /* the refusal carries the right to appeal */
};

static const struct doc_kind kinds[] = {
	{"acceptance", "受理通知书", "受", 0},
	{"refusal", "不予受理决定书", "不受", 1},
	{"supplement", "一次性补正告知书", "补", 0},
	{"approval", "准予行政许可决定书", "准", 0},
	{"denial", "不予行政许可决定书", "不准", 1},
	{"joint", "联合验收意见书", "验", 1},
	{"receipt", "收件回执", "收", 0},
	{"special", "特别程序告知书", "特", 0},
	{"tolerance", "容缺受理告知书", "容", 0},
	{NULL, NULL, NULL, 0},
};

static const struct doc_kind *kind_of(const char *k)
{
	for (const struct doc_kind *d = kinds; d->kind; d++)
		if (k && strcmp(d->kind, k) == 0)
			return d;
	return NULL;
}

const char *case_doc_mark(const char *kind)
{
	const struct doc_kind *k = kind_of(kind);
	return k ? k->mark : NULL;
}

/* 128 random bits in base32 (RFC 4648 alphabet, no padding): 26 characters. */
static void verify_code(char out[CASE_VERIFY_LEN + 1])
{
	static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	unsigned char raw[16];
	randombytes_buf(raw, sizeof raw);
	for (int i = 0; i < CASE_VERIFY_LEN; i++) {
		int bit = i * 5, byte = bit / 8, off = bit % 8;
		unsigned v = (unsigned)raw[byte] << 8 | (byte + 1 < 16 ? raw[byte + 1] : 0);
		out[i] = abc[(v >> (11 - off)) & 31];
	}
	out[CASE_VERIFY_LEN] = 0;
}

int case_verify_code_ok(const char *code)
{
	return code && strlen(code) == CASE_VERIFY_LEN &&
	       strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") == CASE_VERIFY_LEN;
}

static int render(struct store *st, const struct case_env *env, int64_t now, const struct case_rec *c,
		  const char *kind, const char *number, int64_t issued, const char *code, struct buf *out,
		  struct err *e);

int case_doc_issue(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		   const struct case_rec *c, const char *kind, struct err *e)
{
	const struct doc_kind *k = kind_of(kind);
	char ymd[CAL_DATE_LEN], number[96], code[CASE_VERIFY_LEN + 1], sha[65];
	struct case_rec cur;
	struct buf b = {0};
	int seq, year;
	case_date(now, ymd);
	year = atoi(ymd);
	if (!k || store_case_doc_next(st, c->department, kind, year, &seq, e))
		return k ? e->code : err_set(e, ERR_INTERNAL, "", "unknown document kind %s", kind);
	snprintf(number, sizeof number, "%s%s〔%d〕%05d号", c->department, k->mark, year, seq);
	verify_code(code);
	/* the case as this transaction left it; the page is kept with the row */
	if (store_case_get(st, c->id, &cur, e) || render(st, env, now, &cur, kind, number, now, code, &b, e))
		return e->code;
	filestore_hash(b.data, b.len, sha);
	struct case_doc_issued d = {.case_id = c->id, .at = now, .kind = kind, .number = number,
				    .by = who->username, .code = code, .sha256 = sha, .page = b.data, .len = b.len};
	int rc = store_case_doc_issue(st, &d, e);
	buf_free(&b);
	return rc;
}

/* ---- rendering ----------------------------------------------------------------------- */

static const char style[] =
	"<style>@page{size:A4;margin:25mm 20mm}"
	"body{font-family:'FangSong','STFangsong','SimSun',serif;font-size:15pt;line-height:1.9;"
	"width:170mm;margin:12mm auto;color:#000}"
	"h1{text-align:center;font-size:21pt;font-weight:bold;letter-spacing:2pt;margin:0 0 4pt}"
	"h2{text-align:center;font-size:15pt;font-weight:normal;margin:0 0 4pt}"
	".no{text-align:center;font-size:13pt;margin-bottom:18pt}"
	"p{text-indent:2em;margin:0 0 6pt}p.to{text-indent:0}"
	"table{border-collapse:collapse;width:100%;font-size:12pt;margin:10pt 0}"
	"th,td{border:1px solid #000;padding:3pt 6pt;text-align:left;vertical-align:top}th{width:28%}"
	"table.items th{width:auto}"
	".sign{text-align:right;margin-top:36pt;text-indent:0}"
	"@media print{.noprint{display:none}}</style>";

/* The last status row of an action: its opinion. */
static const char *opinion_of(const json_t *hist, const char *action)
{
	const char *found = "";
	size_t i;
	json_t *r;
	json_array_foreach(hist, i, r)
		if (strcmp(json_string_value(json_object_get(r, "action")), action) == 0)
			found = json_string_value(json_object_get(r, "opinion"));
	return found;
}

static void fact(struct buf *b, const char *k, const char *v)
{
	buf_printf(b, "<tr><th>%s</th><td>", k);
	buf_html(b, v);
	buf_puts(b, "</td></tr>");
}

static void facts_table(struct buf *b, const struct case_rec *c, const struct deadline *d)
{
	char day[CAL_DATE_LEN], lim[32];
	buf_puts(b, "<table>");
	fact(b, "项目名称", c->project_name);
	fact(b, "项目代码", c->project_code);
	fact(b, "申请事项", c->item_name);
	fact(b, "办件编号", c->number);
	case_date(c->received_at, day);
	fact(b, "收件日期", day);
	if (c->accepted_at) {
		case_date(c->accepted_at, day);
		fact(b, "受理日期", day);
		snprintf(lim, sizeof lim, "%d 个工作日", c->limit);
		fact(b, "承诺时限", lim);
		cal_date_format(d->due_day, day);
		fact(b, "办理期限", day);
	}
	buf_puts(b, "</table>");
}

static void para(struct buf *b, const char *before, const char *text, const char *after)
{
	buf_printf(b, "<p>%s", before);
	buf_html(b, text);
	buf_printf(b, "%s</p>", after);
}

static void materials_list(struct buf *b, const json_t *list)
{
	size_t i;
	json_t *m;
	buf_puts(b, "<table><tr><th>序号</th><td>需补正的材料</td></tr>");
	json_array_foreach(list, i, m) {
		buf_printf(b, "<tr><th>%zu</th><td>", i + 1);
		buf_html(b, json_is_string(m) ? json_string_value(m)
			 : json_string_value(json_object_get(m, "material")));
		buf_puts(b, "</td></tr>");
	}
	buf_puts(b, "</table>");
}

/* 收件回执: what was received, when, by whom. */
static int receipt_body(struct store *st, const struct case_rec *c, const json_t *hist, struct buf *b, struct err *e)
{
	json_t *rows, *r, *first = json_array_get(hist, 0);
	size_t i;
	char when[64], day[CAL_DATE_LEN];
	case_date(c->received_at, day);
	snprintf(when, sizeof when, "%s %02d:%02d", day, (int)((c->received_at + 28800) % 86400 / 3600),
		 (int)(c->received_at % 3600 / 60));
	if (store_case_materials(st, c->id, &rows, e))
		return e->code;
	buf_printf(b, "<p>你（单位）提交的「");
	buf_html(b, c->item_name);
	buf_printf(b, "」申请材料已于 %s 收到，办件编号 ", when);
	buf_html(b, c->number);
	buf_puts(b, "，收件人 ");
	buf_html(b, first ? json_string_value(json_object_get(first, "username")) : "");
	buf_puts(b, "。本回执仅证明收到材料，是否受理以受理通知书或不予受理决定书为准。</p>");
	if (json_array_size(rows)) {
		buf_puts(b, "<table class=\"items\"><tr><th>序号</th><th>材料名称</th><th>形式</th><th>份数</th><th>收取</th></tr>");
		json_array_foreach(rows, i, r) {
			buf_printf(b, "<tr><td>%zu</td><td>", i + 1);
			buf_html(b, json_string_value(json_object_get(r, "name")));
			buf_printf(b, "</td><td>%s</td><td>%lld</td><td>%s</td></tr>",
				   approval_form_label(json_string_value(json_object_get(r, "form"))),
				   (long long)json_integer_value(json_object_get(r, "copies")),
				   json_integer_value(json_object_get(r, "received")) ? "已收"
				   : json_integer_value(json_object_get(r, "required")) ? "未收（必需）" : "未收");
		}
		buf_puts(b, "</table>");
	}
	json_decref(rows);
	buf_puts(b, "<p>可凭办件编号在政务服务窗口或“工改系统”查询办理进度；扫描下方二维码可核验本回执。</p>");
	return 0;
}

/* 特别程序告知书 (§45) and 容缺受理告知书; 收件回执 above. */
static int paper_body(struct store *st, const struct case_rec *c, const struct deadline *d, const char *kind,
		      const json_t *hist, const char *intro, struct buf *b, struct err *e)
{
	json_t *rows, *last;
	char due[CAL_DATE_LEN];
	if (strcmp(kind, "receipt") == 0)
		return receipt_body(st, c, hist, b, e);
	if (strcmp(kind, "tolerance") == 0) {
		if (store_case_tolerance(st, c->id, &rows, e))
			return e->code;
		last = json_array_get(rows, 0);
		cal_date_format(last ? (int32_t)json_integer_value(json_object_get(last, "due_day")) : d->due_day, due);
		para(b, "", intro, "申请材料中下列非关键材料暂缺。根据容缺受理的规定，本机关决定予以容缺受理，"
		     "请于以下期限内补交：");
		materials_list(b, rows);
		buf_printf(b, "<p>补交期限：%s 前。逾期未补交的，本机关将依法处理。</p>", due);
		json_decref(rows);
		return 0;
	}
	if (store_case_specials(st, c->id, &rows, e))
		return e->code;
	last = json_array_get(rows, json_array_size(rows) - 1);
	para(b, "", intro, "");
	buf_printf(b, "<p>因需要%s，根据《中华人民共和国行政许可法》第四十五条的规定，本办件进入特别程序，预计需要 %lld "
		   "个工作日。特别程序所需时间不计算在行政许可期限内。</p>",
		   approval_special_kind_label(json_string_value(json_object_get(last, "kind"))),
		   (long long)json_integer_value(json_object_get(last, "time_limit")));
	para(b, "理由：", json_string_value(json_object_get(last, "reason")), "");
	json_decref(rows);
	return 0;
}

/* The body of each kind: what was decided and why. */
static int body(struct store *st, const struct case_rec *c, const struct deadline *d, const char *kind,
		const json_t *hist, struct buf *b, struct err *e)
{
	char day[CAL_DATE_LEN], due[CAL_DATE_LEN], intro[1024];
	case_date(c->received_at, day);
	snprintf(intro, sizeof intro, "你（单位）于%s提交的「%s」申请（办件编号 %s），", day, c->item_name, c->number);
	if (strcmp(kind, "acceptance") == 0) {
		cal_date_format(d->due_day, due);
		para(b, "", intro, "");
		buf_printf(b, "<p>经审查，申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（五）项"
			   "的规定，本机关决定予以受理，并将在 %d 个工作日内（%s 前）作出决定。依法需要听证、招标、拍卖、检验、检测、"
			   "检疫、鉴定和专家评审的，所需时间不计算在期限内，本机关将书面告知。</p>", c->limit, due);
	} else if (strcmp(kind, "refusal") == 0) {
		para(b, "", intro, "经审查：");
		para(b, "", opinion_of(hist, "refuse"), "");
		buf_puts(b, "<p>根据《中华人民共和国行政许可法》第三十二条第一款的规定，本机关决定不予受理。</p>");
	} else if (strcmp(kind, "supplement") == 0) {
		json_t *sup;
		if (store_case_supplements(st, c->id, &sup, e))
			return e->code;
		json_t *last = json_array_get(sup, json_array_size(sup) - 1);
		json_t *m = json_loads(json_string_value(json_object_get(last, "materials")), 0, NULL);
		para(b, "", intro, "经审查，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款"
		     "第（四）项的规定，现一次性告知需要补正的全部内容如下：");
		materials_list(b, m);
		const char *note = json_string_value(json_object_get(last, "note"));
		if (note && *note)
			para(b, "说明：", note, "");
		buf_puts(b, "<p>请按上述要求补正后重新提交。补正期间不计入办理时限。</p>");
		json_decref(m);
		json_decref(sup);
	} else if (strcmp(kind, "approval") == 0) {
		para(b, "", intro, "经审查，符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条第一款的规定，"
		     "本机关决定准予行政许可。");
		if (c->status == CASE_APPROVED_TOL) {
			json_t *tol;
			if (store_case_tolerance(st, c->id, &tol, e))
				return e->code;
			cal_date_format(d->tolerance_due, due);
			buf_printf(b, "<p>本许可按容缺受理办理，下列材料须于 %s 前补交，逾期未补交的，本机关将依法处理：</p>", due);
			materials_list(b, tol);
			json_decref(tol);
		}
	} else if (strcmp(kind, "receipt") == 0 || strcmp(kind, "special") == 0 || strcmp(kind, "tolerance") == 0) {
		return paper_body(st, c, d, kind, hist, intro, b, e);
	} else if (strcmp(kind, "denial") == 0) {
		para(b, "", intro, "经审查：");
		para(b, "", opinion_of(hist, "deny"), "");
		/* the reason is the head's opinion above; the decision only cites the law */
		buf_puts(b, "<p>根据《中华人民共和国行政许可法》第三十八条第二款的规定，本机关决定不予行政许可。</p>");
	}
	return 0;
}

/* The result of one acceptance item in words. */
static const char *joint_result(int status)
{
	if (status == CASE_APPROVED || status == CASE_APPROVED_TOL)
		return "验收通过";
	return status == CASE_DENIED ? "验收不通过" : approval_status_label(status);
}

/* 联合验收: the instance's facts, every department's item and result, the
** conclusion. *rows: the instance's cases (the caller signs with their
** departments and releases them). */
static int joint_body(struct store *st, const struct case_rec *c, struct buf *b, int *result, json_t **rows,
		      struct err *e)
{
	struct case_instance in;
	json_t *r;
	size_t i, n = strlen(c->project_name);
	char day[CAL_DATE_LEN], count[32];
	if (store_instance_get(st, c->instance_id, &in, e) || store_instance_cases(st, in.id, rows, e))
		return e->code;
	*result = in.result;
	int named = n >= strlen("项目") && strcmp(c->project_name + n - strlen("项目"), "项目") == 0;
	buf_puts(b, "<p>");
	buf_html(b, c->project_name);
	buf_printf(b, "%s的竣工联合验收（并联审批实例 ", named ? "" : "项目");
	buf_html(b, in.number);
	buf_puts(b, "）已由下列部门联合完成，各部门验收意见如下：</p><table>");
	fact(b, "项目名称", c->project_name);
	fact(b, "项目代码", c->project_code);
	fact(b, "并联审批实例", in.number);
	case_date(in.applied_at, day);
	fact(b, "申请日期", day);
	snprintf(count, sizeof count, "%zu 项", json_array_size(*rows));
	fact(b, "验收事项", count);
	buf_puts(b, "</table><table class=\"items\"><tr><th>验收事项</th><th>验收部门</th><th>办件编号</th>"
		 "<th>验收结果</th><th>办结日期</th></tr>");
	json_array_foreach(*rows, i, r) {
		int64_t fin = json_integer_value(json_object_get(r, "final_at"));
		strcpy(day, "-");
		if (fin)
			case_date(fin, day);
		buf_puts(b, "<tr><td>");
		buf_html(b, json_string_value(json_object_get(r, "item_name")));
		buf_puts(b, "</td><td>");
		buf_html(b, json_string_value(json_object_get(r, "department_name")));
		buf_puts(b, "</td><td>");
		buf_html(b, json_string_value(json_object_get(r, "number")));
		buf_printf(b, "</td><td>%s</td><td>%s</td></tr>", joint_result((int)json_integer_value(json_object_get(r,
			"status"))), day);
	}
	buf_printf(b, "</table><p>联合验收结论：<b>%s</b>。</p>", in.result == CASE_APPROVED ? "验收合格" : "验收不合格");
	return 0;
}

/* The seal of every department that took part, once each. */
static void joint_seals(struct buf *b, const json_t *rows, const char *day)
{
	size_t i, k;
	json_t *r;
	buf_puts(b, "<p class=\"sign\">");
	json_array_foreach(rows, i, r) {
		const char *name = json_string_value(json_object_get(r, "department_name"));
		int seen = 0;
		for (k = 0; k < i && !seen; k++)
			seen = strcmp(name, json_string_value(json_object_get(json_array_get(rows, k),
									      "department_name"))) == 0;
		if (seen)
			continue;
		buf_html(b, name);
		buf_puts(b, "（印章）<br>");
	}
	buf_printf(b, "%.4s年%.2s月%.2s日</p>", day, day + 5, day + 8);
}

static void addressee(struct store *st, const struct case_rec *c, struct buf *b)
{
	json_t *units;
	struct err e;
	const char *name = "申请人";
	if (store_project_units(st, c->project_id, &units, &e) == 0) {
		size_t i;
		json_t *u;
		json_array_foreach(units, i, u)
			if (i == 0 || strcmp(json_string_value(json_object_get(u, "kind")), "builder") == 0) {
				name = json_string_value(json_object_get(u, "name"));
				if (strcmp(json_string_value(json_object_get(u, "kind")), "builder") == 0)
					break;
			}
		buf_puts(b, "<p class=\"to\">");
		buf_html(b, name);
		buf_puts(b, "：</p>");
		json_decref(units);
		return;
	}
	buf_printf(b, "<p class=\"to\">%s：</p>", name);
}

/* The joint document of c's instance (kept on the case that ended last):
** its number, issue time, id and, when sealed, the hash of the kept page. */
static int joint_number(struct store *st, const struct case_rec *c, char *number, size_t n, int64_t *at,
			int64_t *doc, char sha[65], struct err *e)
{
	json_t *rows, *r;
	size_t i;
	int rc = ERR_NOTFOUND;
	if (store_instance_cases(st, c->instance_id, &rows, e))
		return e->code;
	json_array_foreach(rows, i, r) {
		int64_t id = json_integer_value(json_object_get(r, "id"));
		if (rc && store_case_doc_get(st, id, "joint", number, n, at, e) == 0)
			rc = store_case_doc_sha(st, id, "joint", doc, sha, e);
	}
	json_decref(rows);
	return rc ? err_set(e, ERR_NOTFOUND, "kind", "联合验收尚无结论 (no combined result yet)") : 0;
}

/* Where a kept page's QR code goes: QR_MARK, the code's text in hex, QR_END.
** Nothing else of a page can contain it: every text from users and records
** goes through buf_html, which escapes '<'. */
#define QR_MARK "<!--gg-qr:"
#define QR_END "-->"

static void qr_mark(struct buf *b, const char *text)
{
	static const char hex[] = "0123456789abcdef";
	buf_puts(b, QR_MARK);
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		char x[2] = {hex[*p >> 4], hex[*p & 15]};
		buf_append(b, x, 2);
	}
	buf_puts(b, QR_END);
}

static int unhex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The kept page in with its QR marker replaced by the drawing, into out
** (in is freed). A page without a marker (issued before) is served as is. */
static int qr_draw(struct buf *in, struct buf *out, struct err *e)
{
	char text[512];
	size_t n = 0;
	const char *at = in->data ? strstr(in->data, QR_MARK) : NULL;
	const char *hex = at ? at + strlen(QR_MARK) : NULL;
	const char *end = hex ? strstr(hex, QR_END) : NULL;
	if (!end) {
		*out = *in;
		return 0;
	}
	for (const char *p = hex; p + 1 < end && n + 1 < sizeof text; p += 2) {
		int hi = unhex(p[0]), lo = unhex(p[1]);
		if (hi < 0 || lo < 0)
			break;
		text[n++] = (char)(hi << 4 | lo);
	}
	text[n] = 0;
	if ((size_t)(end - hex) != 2 * n) {
		buf_free(in);
		return err_set(e, ERR_INTERNAL, "", "a kept document has a damaged QR marker");
	}
	*out = (struct buf){0};
	buf_append(out, in->data, (size_t)(at - in->data));
	int rc = totp_qr_svg(text, out, e);
	buf_puts(out, end + strlen(QR_END));
	buf_free(in);
	if (rc)
		buf_free(out);
	return rc;
}

/* The QR code (its marker: drawn when served) and the verification line of
** a sealed document. */
static void qr_block(const struct case_env *env, const struct case_rec *c, const char *code, struct buf *b)
{
	char text[512];
	snprintf(text, sizeof text, "%s/verify/%s?case=%s", env->public_url ? env->public_url : "", code, c->number);
	buf_puts(b, "<div class=\"qr\">");
	qr_mark(b, text);
	buf_puts(b, "<p>扫码或访问 ");
	buf_html(b, env->public_url && *env->public_url ? env->public_url : "本系统");
	buf_printf(b, "/verify/%s 核验本文书<br>核验码 %s</p></div>", code, code);
}

/* The page of document kind of case c numbered `number`, issued at
** `issued`, with its QR code when code is not NULL. */
static int render(struct store *st, const struct case_env *env, int64_t now, const struct case_rec *c,
		  const char *kind, const char *number, int64_t issued, const char *code, struct buf *out,
		  struct err *e)
{
	const struct doc_kind *k = kind_of(kind);
	struct deadline d;
	json_t *hist = NULL, *rows = NULL;
	char day[CAL_DATE_LEN];
	int joint = strcmp(kind, "joint") == 0, result = 0;
	if (case_clock(st, env, c, now, &d, e) || store_case_history(st, c->id, &hist, e))
		return e->code;
	struct buf b = {0};
	buf_puts(&b, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
	buf_printf(&b, "%s ", k->title);
	buf_html(&b, number);
	buf_printf(&b, "</title>%s</head><body><h1>", style);
	buf_html(&b, joint ? "工程建设项目竣工联合验收" : c->department_name);
	buf_printf(&b, "</h1><h2>%s</h2><p class=\"no\">", k->title);
	buf_html(&b, number);
	buf_puts(&b, "</p>");
	addressee(st, c, &b);
	int rc = joint ? joint_body(st, c, &b, &result, &rows, e) : body(st, c, &d, kind, hist, &b, e);
	if (!rc) {
		if (!joint)
			facts_table(&b, c, &d);
		if (k->appeal && (!joint || result != CASE_APPROVED))
			buf_puts(&b, "<p>如不服本决定，可以自收到本决定书之日起六十日内向铜川市人民政府申请行政复议，"
				 "或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。</p>");
		case_date(issued, day);
		if (joint) {
			joint_seals(&b, rows, day);
		} else {
			buf_puts(&b, "<p class=\"sign\">");
			buf_html(&b, c->department_name);
			buf_printf(&b, "（印章）<br>%.4s年%.2s月%.2s日</p>", day, day + 5, day + 8);
		}
	}
	if (!rc && code)
		qr_block(env, c, code, &b);
	if (!rc) {
		buf_puts(&b, "</body></html>");
		*out = b;
	} else {
		buf_free(&b);
	}
	json_decref(rows);
	json_decref(hist);
	return rc;
}

/* The kept page of document doc (sha: its recorded SHA-256): from the
** database (issued since migration 0030) or else the file store; checked
** against sha either way. */
static int kept_page(struct store *st, int64_t doc, const char *sha, struct buf *out, struct err *e)
{
	char dir[1100], got[65];
	if (store_case_doc_page(st, doc, out, e) == 0) {
		filestore_hash(out->data, out->len, got);
		if (strcmp(got, sha) == 0)
			return 0;
		buf_free(out);
		return err_set(e, ERR_INTERNAL, "sha256", "文书页面已损坏（校验和不符）: document %lld", (long long)doc);
	}
	if (e->code != ERR_NOTFOUND || filestore_dir(store_path(st), dir, sizeof dir, e))
		return e->code;
	return filestore_read(dir, sha, out, e);
}

int case_document(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		  int64_t id, const char *kind, struct buf *out, struct err *e)
{
	struct case_rec c;
	char number[96], sha[65] = "";
	int64_t issued, doc = 0;
	struct buf kept;
	if (!kind_of(kind))
		return err_set(e, ERR_NOTFOUND, "kind", "文书种类: acceptance refusal supplement approval denial joint "
			       "receipt special tolerance");
	if (store_case_get(st, id, &c, e))
		return e->code;
	if (!case_visible(who, &c))
		return err_set(e, ERR_NOTFOUND, "id", "办件不存在 (no such case)");
	if (strcmp(kind, "joint") == 0 ? joint_number(st, &c, number, sizeof number, &issued, &doc, sha, e)
	    : store_case_doc_get(st, id, kind, number, sizeof number, &issued, e) ||
	      store_case_doc_sha(st, id, kind, &doc, sha, e))
		return e->code;
	if (!sha[0])      /* issued before pages were kept: rendered from the facts */
		return render(st, env, now, &c, kind, number, issued, NULL, out, e);
	/* the very page issued, with its QR code drawn */
	if (kept_page(st, doc, sha, &kept, e))
		return e->code;
	return qr_draw(&kept, out, e);
}

int case_verify_page(struct store *st, const char *code, struct buf *out, struct err *e)
{
	struct case_doc_found f;
	char day[CAL_DATE_LEN];
	if (!case_verify_code_ok(code))
		return err_set(e, ERR_NOTFOUND, "code", "没有此核验码的文书 (no document with this code)");
	if (store_case_doc_by_code(st, code, &f, e))
		return e->code;
	const struct doc_kind *k = kind_of(f.kind);
	case_date(f.issued_at, day);
	*out = (struct buf){0};
	buf_printf(out, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
		   "<meta name=\"viewport\" content=\"width=device-width\"><link rel=\"icon\" href=\"/favicon.svg\">"
		   "<title>文书核验</title>%s</head><body>"
		   "<h1>文书核验</h1><p class=\"to\">经核验，本系统签发过以下文书：</p><table>", style);
	fact(out, "文书名称", k ? k->title : f.kind);
	fact(out, "文书编号", f.number);
	fact(out, "签发日期", day);
	fact(out, "签发部门", f.department);
	buf_puts(out, "</table><p class=\"to\">如与手中文书不一致，请向签发部门核实。</p></body></html>");
	return 0;
}
