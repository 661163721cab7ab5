/*
** catalog_check.c: the rules a catalogue document must follow (see
** catalog_doc.h and docs/catalog.md for the format).
**
** Three layers, each run only when the one before passed:
**   1. each item version and each flow version alone: keys, types, ranges,
**      codes, dates, materials, steps, stages and side lines;
**   2. versions of one code: (code, version) unique, effective dates rising
**      with the version number;
**   3. each flow version against the item versions that can be in effect
**      while it is (their effective windows overlap): references exist,
**      the item is in effect on the flow's own date, an item appears once
**      per flow, promised limit ≤ stage limit (stages 1-4), prerequisites
**      inside the flow, not in a later main stage, and acyclic, and every
**      stage 1-4 has an item that is a milestone in all those versions.
** The first violation wins; its field names the item or flow by code.
**
** Nothing here allocates what it returns; the scratch arrays of layer 3 are
** freed before returning.
*/
#include "approval/catalog_doc.h"
#include "calendar/cal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD_MAX 160

/* ---- small helpers ------------------------------------------------------ */

static int fail(struct err *e, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct err *e, const char *field, const char *fmt, ...)
{
	char msg[sizeof e->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return err_set(e, ERR_INVALID, field, "%s", msg);
}

enum kind { K_STR, K_INT, K_BOOL, K_ARR };
#define K_OPTIONAL 16      /* or'ed into a kind: the key may be left out */

struct spec {
	const char *name;
	int kind;              /* enum kind, | K_OPTIONAL */
};

static const char *kind_rule(enum kind k)
{
	switch (k) {
	case K_STR: return "必须是字符串";
	case K_INT: return "必须是整数";
	case K_BOOL: return "必须是 true 或 false";
	case K_ARR: return "必须是数组";
	}
	return "类型错误";
}

static int kind_ok(const json_t *v, enum kind k)
{
	switch (k) {
	case K_STR: return json_is_string(v);
	case K_INT: return json_is_integer(v);
	case K_BOOL: return json_is_boolean(v);
	case K_ARR: return json_is_array(v);
	}
	return 0;
}

/* o is an object with the keys of sp (all required but the optional ones)
** and no other, each of its kind. */
static int check_shape(const json_t *o, const struct spec *sp, const char *pre, struct err *e)
{
	char f[FIELD_MAX];
	const char *key;
	json_t *val;
	if (!json_is_object(o))
		return fail(e, pre, "必须是 JSON 对象");
	json_object_foreach((json_t *)o, key, val) {
		const struct spec *s = sp;
		while (s->name && strcmp(s->name, key) != 0)
			s++;
		snprintf(f, sizeof f, "%s.%s", pre, key);
		if (!s->name)
			return fail(e, f, "未知字段 %s", key);
		if (!kind_ok(val, s->kind & ~K_OPTIONAL))
			return fail(e, f, "%s %s", key, kind_rule(s->kind & ~K_OPTIONAL));
	}
	for (const struct spec *s = sp; s->name; s++) {
		if (!(s->kind & K_OPTIONAL) && !json_object_get(o, s->name)) {
			snprintf(f, sizeof f, "%s.%s", pre, s->name);
			return fail(e, f, "缺少必填字段 %s", s->name);
		}
	}
	return 0;
}

static const char *str(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static long long num(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

/* Non-empty, at most maxchars code points, no control characters, no
** leading or trailing blank. */
static int text_ok(const char *s, int maxchars)
{
	int n = 0;
	size_t len = strlen(s);
	if (len == 0 || s[0] == ' ' || s[len - 1] == ' ')
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return 0;
		if ((*p & 0xc0) != 0x80)
			n++;
	}
	return n <= maxchars;
}

static int text_field(const json_t *o, const char *k, int maxchars, const char *pre, struct err *e)
{
	char f[FIELD_MAX];
	if (text_ok(str(o, k), maxchars))
		return 0;
	snprintf(f, sizeof f, "%s.%s", pre, k);
	return fail(e, f, "%s 不能为空，不能有首尾空格或控制字符，最多 %d 个字", k, maxchars);
}

int catalog_code_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n < 2 || n > CATALOG_CODE_MAX || s[0] < 'A' || s[0] > 'Z' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
			return 0;
		if (c == '-' && s[i + 1] == '-')
			return 0;
	}
	return 1;
}

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* "610200-ZJJ": a 6-digit division, a dash, 2-16 of A-Z 0-9. */
static int department_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 9 || n > 23 || !digits(s, 6) || s[6] != '-')
		return 0;
	for (size_t i = 7; i < n; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static int department_field(const json_t *o, const char *k, int allow_empty,
			    const struct catalog_hooks *h, const char *pre, struct err *e)
{
	char f[FIELD_MAX];
	const char *d = str(o, k);
	snprintf(f, sizeof f, "%s.%s", pre, k);
	if (allow_empty && d[0] == '\0')
		return 0;
	if (!department_ok(d))
		return fail(e, f, "部门编码 %s 格式错误（应为 6 位区划代码-部门缩写，如 610200-ZJJ）", d);
	if (h && h->department_exists && !h->department_exists(h->ctx, d))
		return fail(e, f, "部门 %s 不存在", d);
	return 0;
}

int catalog_version_parse(const char *s, int *major, int *minor)
{
	const char *dot = s ? strchr(s, '.') : NULL;
	size_t a, b;
	if (!dot)
		return -1;
	a = (size_t)(dot - s);
	b = strlen(dot + 1);
	if (a < 1 || a > 4 || b < 1 || b > 4 || !digits(s, a) || !digits(dot + 1, b))
		return -1;
	if ((a > 1 && s[0] == '0') || (b > 1 && dot[1] == '0'))
		return -1;
	if (major)
		*major = atoi(s);
	if (minor)
		*minor = atoi(dot + 1);
	return 0;
}

static int version_fields(const json_t *o, const char *pre, struct err *e)
{
	char f[FIELD_MAX];
	struct err scratch;
	int32_t day;
	if (catalog_version_parse(str(o, "version"), NULL, NULL) != 0) {
		snprintf(f, sizeof f, "%s.version", pre);
		return fail(e, f, "版本号 %s 格式错误（应为 主版本.次版本，如 1.0）", str(o, "version"));
	}
	if (cal_date_parse(str(o, "effective_from"), &day, &scratch) != 0) {
		snprintf(f, sizeof f, "%s.effective_from", pre);
		return fail(e, f, "生效日期 %s 不是有效的 YYYY-MM-DD 日期", str(o, "effective_from"));
	}
	return 0;
}

/* "items[CODE]" when the code is well formed, else "items[#index]". */
static void prefix(char *pre, size_t n, const char *what, const json_t *o, int index)
{
	const char *c = json_is_object(o) ? str(o, "code") : NULL;
	if (c && catalog_code_ok(c))
		snprintf(pre, n, "%s[%s]", what, c);
	else
		snprintf(pre, n, "%s[#%d]", what, index);
}

/* ---- one item version ----------------------------------------------------- */

static const struct spec item_spec[] = {
	{"code", K_STR}, {"name", K_STR}, {"national_code", K_STR}, {"department", K_STR},
	{"promised_limit", K_INT}, {"legal_limit", K_INT}, {"legal_basis", K_STR},
	{"materials", K_ARR}, {"steps", K_ARR}, {"milestone", K_BOOL}, {"prerequisites", K_ARR},
	{"commitment", K_BOOL}, {"tolerance", K_BOOL}, {"applicant_kind", K_INT},
	{"case_type", K_INT}, {"fee", K_INT | K_OPTIONAL}, {"fee_basis", K_STR | K_OPTIONAL},
	{"version", K_STR}, {"effective_from", K_STR}, {NULL, 0},
};

static const struct spec material_spec[] = {
	{"name", K_STR}, {"required", K_BOOL}, {"copies", K_INT}, {"form", K_STR},
	{"tolerable", K_BOOL | K_OPTIONAL}, {"template", K_STR | K_OPTIONAL}, {NULL, 0},
};

static const struct spec step_spec[] = {
	{"name", K_STR}, {"role", K_STR}, {NULL, 0},
};

static const char *const material_forms[] = {"original", "copy", "original_and_copy", "electronic", NULL};
static const char *const step_roles[] = {"clerk", "reviewer", "head", NULL};

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

static int check_materials(const json_t *arr, const char *pre, struct err *e)
{
	char p[FIELD_MAX], f[FIELD_MAX];
	size_t i, j;
	int any_required = 0;
	json_t *m;
	snprintf(f, sizeof f, "%s.materials", pre);
	if (json_array_size(arr) == 0 || json_array_size(arr) > 100)
		return fail(e, f, "申请材料至少 1 项，最多 100 项");
	json_array_foreach(arr, i, m) {
		snprintf(p, sizeof p, "%s.materials[%zu]", pre, i);
		if (check_shape(m, material_spec, p, e) || text_field(m, "name", 200, p, e))
			return e->code;
		snprintf(f, sizeof f, "%s.form", p);
		if (!in_list(str(m, "form"), material_forms))
			return fail(e, f, "材料形式必须是 original（原件）、copy（复印件）、"
				    "original_and_copy（原件及复印件）或 electronic（电子件）");
		snprintf(f, sizeof f, "%s.copies", p);
		if (strcmp(str(m, "form"), "electronic") == 0 ? num(m, "copies") != 0
		    : (num(m, "copies") < 1 || num(m, "copies") > 20))
			return fail(e, f, "份数：纸质材料 1-20 份，电子件为 0");
		snprintf(f, sizeof f, "%s.template", p);
		if (json_object_get(m, "template") && !text_ok(str(m, "template"), 200))
			return fail(e, f, "模板文件名须为 1-200 字的文本");
		for (j = 0; j < i; j++)
			if (strcmp(str(json_array_get(arr, j), "name"), str(m, "name")) == 0) {
				snprintf(f, sizeof f, "%s.name", p);
				return fail(e, f, "材料名称「%s」重复", str(m, "name"));
			}
		any_required |= json_is_true(json_object_get(m, "required"));
	}
	if (!any_required) {
		snprintf(f, sizeof f, "%s.materials", pre);
		return fail(e, f, "至少一项申请材料必须是必需材料");
	}
	return 0;
}

static int check_steps(const json_t *arr, const char *pre, struct err *e)
{
	char p[FIELD_MAX], f[FIELD_MAX];
	size_t i, j;
	json_t *s;
	snprintf(f, sizeof f, "%s.steps", pre);
	if (json_array_size(arr) == 0 || json_array_size(arr) > 20)
		return fail(e, f, "办理环节至少 1 个，最多 20 个");
	json_array_foreach(arr, i, s) {
		snprintf(p, sizeof p, "%s.steps[%zu]", pre, i);
		if (check_shape(s, step_spec, p, e) || text_field(s, "name", 50, p, e))
			return e->code;
		snprintf(f, sizeof f, "%s.role", p);
		if (!in_list(str(s, "role"), step_roles))
			return fail(e, f, "环节办理角色必须是 clerk（窗口）、reviewer（审查）或 head（负责人）");
		if (i == 0 && strcmp(str(s, "role"), "clerk") != 0)
			return fail(e, f, "第一个环节（受理）必须由窗口人员 clerk 办理");
		for (j = 0; j < i; j++)
			if (strcmp(str(json_array_get(arr, j), "name"), str(s, "name")) == 0) {
				snprintf(f, sizeof f, "%s.name", p);
				return fail(e, f, "环节名称「%s」重复", str(s, "name"));
			}
	}
	return 0;
}

static int check_prereq_list(const json_t *o, const char *pre, struct err *e)
{
	char f[FIELD_MAX];
	const json_t *arr = json_object_get(o, "prerequisites");
	size_t i, j;
	json_t *p;
	json_array_foreach(arr, i, p) {
		snprintf(f, sizeof f, "%s.prerequisites[%zu]", pre, i);
		if (!json_is_string(p) || !catalog_code_ok(json_string_value(p)))
			return fail(e, f, "前置事项必须是事项编码");
		if (strcmp(json_string_value(p), str(o, "code")) == 0)
			return fail(e, f, "事项不能以自身为前置事项");
		for (j = 0; j < i; j++)
			if (strcmp(json_string_value(json_array_get(arr, j)), json_string_value(p)) == 0)
				return fail(e, f, "前置事项 %s 重复", json_string_value(p));
	}
	return 0;
}

static int check_limits(const json_t *o, const char *pre, struct err *e)
{
	char f[FIELD_MAX];
	long long pl = num(o, "promised_limit"), ll = num(o, "legal_limit");
	long long ak = num(o, "applicant_kind"), ct = num(o, "case_type");
	snprintf(f, sizeof f, "%s.applicant_kind", pre);
	if (ak < 1 || ak > 3)
		return fail(e, f, "申请人类型必须是 1（自然人）、2（法人）或 3（自然人和法人）");
	snprintf(f, sizeof f, "%s.case_type", pre);
	if (ct < 1 || ct > 2)
		return fail(e, f, "办件类型必须是 1（即办件）或 2（承诺件）");
	snprintf(f, sizeof f, "%s.promised_limit", pre);
	if (pl < 0 || pl > CATALOG_ITEM_LIMIT_MAX)
		return fail(e, f, "承诺时限必须在 0-%d 个工作日之间", CATALOG_ITEM_LIMIT_MAX);
	if (ct == 1 && pl != 0)
		return fail(e, f, "即办件的承诺时限必须为 0");
	if (ct == 2 && pl < 1)
		return fail(e, f, "承诺件的承诺时限至少 1 个工作日");
	snprintf(f, sizeof f, "%s.legal_limit", pre);
	if (ll < 0 || ll > CATALOG_ITEM_LIMIT_MAX)
		return fail(e, f, "法定时限必须在 0-%d 个工作日之间", CATALOG_ITEM_LIMIT_MAX);
	if (pl > ll) {
		snprintf(f, sizeof f, "%s.promised_limit", pre);
		return fail(e, f, "承诺时限 %lld 个工作日超过法定时限 %lld 个工作日", pl, ll);
	}
	return 0;
}

/* fee (official fee in fen) and fee_basis come together: 0 for a free item,
** whose basis says why ("依法不收费"). Versions stored before the field
** existed carry neither. */
static int check_fee(const json_t *o, const char *pre, struct err *e)
{
	char f[FIELD_MAX];
	const json_t *fee = json_object_get(o, "fee"), *basis = json_object_get(o, "fee_basis");
	if (!fee && !basis)
		return 0;
	snprintf(f, sizeof f, "%s.%s", pre, fee ? "fee_basis" : "fee");
	if (!fee || !basis)
		return fail(e, f, "收费标准 fee（分）与收费依据 fee_basis 须同时填写（免费事项为 0 并写明依据）");
	snprintf(f, sizeof f, "%s.fee", pre);
	if (json_integer_value(fee) < 0 || json_integer_value(fee) > CATALOG_FEE_MAX)
		return fail(e, f, "收费标准 fee 以分计，必须在 0-%lld 之间", (long long)CATALOG_FEE_MAX);
	return text_field(o, "fee_basis", 200, pre, e);
}

static int item_check(const json_t *o, int index, const struct catalog_hooks *h, struct err *e)
{
	char pre[FIELD_MAX], f[FIELD_MAX];
	const char *nc;
	prefix(pre, sizeof pre, "items", o, index);
	if (check_shape(o, item_spec, pre, e))
		return e->code;
	if (!catalog_code_ok(str(o, "code"))) {
		snprintf(f, sizeof f, "%s.code", pre);
		return fail(e, f, "事项编码 %s 格式错误（2-%d 位大写字母、数字和单个连字符，字母开头）",
			    str(o, "code"), CATALOG_CODE_MAX);
	}
	if (text_field(o, "name", 100, pre, e) || version_fields(o, pre, e) ||
	    department_field(o, "department", 0, h, pre, e) || text_field(o, "legal_basis", 1000, pre, e))
		return e->code;
	nc = str(o, "national_code");
	if (strlen(nc) > 32 || (nc[0] && !text_ok(nc, 32))) {
		snprintf(f, sizeof f, "%s.national_code", pre);
		return fail(e, f, "国家事项编码最多 32 个字符，可为空");
	}
	if (check_limits(o, pre, e) || check_prereq_list(o, pre, e) || check_fee(o, pre, e))
		return e->code;
	if (check_materials(json_object_get(o, "materials"), pre, e))
		return e->code;
	return check_steps(json_object_get(o, "steps"), pre, e);
}

int catalog_validate_item(const json_t *item, const struct catalog_hooks *h, struct err *e)
{
	err_clear(e);
	return item_check(item, 0, h, e);
}

/* ---- one flow version ----------------------------------------------------- */

static const struct spec flow_spec[] = {
	{"code", K_STR}, {"name", K_STR}, {"flow_type", K_INT}, {"division", K_STR},
	{"version", K_STR}, {"effective_from", K_STR}, {"stages", K_ARR}, {NULL, 0},
};

static const struct spec stage_spec[] = {
	{"number", K_INT}, {"name", K_STR}, {"limit", K_INT}, {"completion_rule", K_INT},
	{"lead_department", K_STR}, {"items", K_ARR}, {"side_lines", K_ARR}, {NULL, 0},
};

static const struct spec side_spec[] = {
	{"code", K_STR}, {"name", K_STR}, {"lead_department", K_STR}, {"items", K_ARR}, {NULL, 0},
};

static int code_list(const json_t *arr, int min, const char *pre, struct err *e)
{
	char f[FIELD_MAX];
	size_t i;
	json_t *c;
	snprintf(f, sizeof f, "%s.items", pre);
	if ((int)json_array_size(arr) < min)
		return fail(e, f, "至少要有 %d 个事项", min);
	json_array_foreach(arr, i, c) {
		snprintf(f, sizeof f, "%s.items[%zu]", pre, i);
		if (!json_is_string(c) || !catalog_code_ok(json_string_value(c)))
			return fail(e, f, "必须是事项编码");
	}
	return 0;
}

static int side_line_check(const json_t *sl, int stage, size_t i, const json_t *stage_obj,
			   const struct catalog_hooks *h, const char *spre, struct err *e)
{
	char pre[FIELD_MAX], f[FIELD_MAX];
	const char *code;
	snprintf(pre, sizeof pre, "%s.side_lines[#%zu]", spre, i);
	if (check_shape(sl, side_spec, pre, e))
		return e->code;
	code = str(sl, "code");
	snprintf(f, sizeof f, "%s.code", pre);
	if (!catalog_side_line_name(code))
		return fail(e, f, "辅线编码必须是 51、52、53、54C 或 54Y");
	if (stage == CATALOG_STAGE_PARALLEL)
		return fail(e, f, "并行推进阶段不设辅线");
	if (strcmp(code, "54Y") == 0 && stage != 4)
		return fail(e, f, "辅线 54Y 联合验收只能位于竣工验收阶段（4）");
	for (size_t j = 0; j < i; j++)
		if (strcmp(str(json_array_get(json_object_get(stage_obj, "side_lines"), j), "code"), code) == 0)
			return fail(e, f, "辅线 %s 在同一阶段中重复", code);
	snprintf(pre, sizeof pre, "%s.side_lines[%s]", spre, code);
	if (text_field(sl, "name", 50, pre, e) || department_field(sl, "lead_department", 1, h, pre, e))
		return e->code;
	return code_list(json_object_get(sl, "items"), 1, pre, e);
}

static int stage_limits(const json_t *st, int n, const char *pre, struct err *e)
{
	char f[FIELD_MAX];
	long long lim = num(st, "limit"), rule = num(st, "completion_rule");
	snprintf(f, sizeof f, "%s.limit", pre);
	if (n == CATALOG_STAGE_PARALLEL && lim != 0)
		return fail(e, f, "并行推进阶段的时限必须为 0");
	if (n != CATALOG_STAGE_PARALLEL && (lim < 1 || lim > CATALOG_STAGE_LIMIT_MAX))
		return fail(e, f, "阶段时限必须在 1-%d 个工作日之间，当前为 %lld", CATALOG_STAGE_LIMIT_MAX, lim);
	snprintf(f, sizeof f, "%s.completion_rule", pre);
	if (rule != 1 && rule != 2)
		return fail(e, f, "阶段办结规则必须是 1（全部里程碑事项办结）或 2（任一事项办结）");
	return 0;
}

static int stage_check(const json_t *st, size_t i, int prev, const struct catalog_hooks *h,
		       const char *fpre, struct err *e)
{
	char pre[FIELD_MAX], f[FIELD_MAX];
	size_t j, total;
	long long n;
	json_t *sl;
	snprintf(pre, sizeof pre, "%s.stages[#%zu]", fpre, i);
	if (check_shape(st, stage_spec, pre, e))
		return e->code;
	n = num(st, "number");
	snprintf(f, sizeof f, "%s.number", pre);
	if (n < 1 || n > 5)
		return fail(e, f, "阶段编号必须是 1-5");
	if (n <= prev)
		return fail(e, f, "阶段按编号升序排列且不能重复（阶段 %lld）", n);
	snprintf(pre, sizeof pre, "%s.stages[%lld]", fpre, n);
	if (text_field(st, "name", 50, pre, e) || stage_limits(st, (int)n, pre, e) ||
	    department_field(st, "lead_department", 1, h, pre, e) ||
	    code_list(json_object_get(st, "items"), 0, pre, e))
		return e->code;
	total = json_array_size(json_object_get(st, "items"));
	json_array_foreach(json_object_get(st, "side_lines"), j, sl) {
		if (side_line_check(sl, (int)n, j, st, h, pre, e))
			return e->code;
		total += json_array_size(json_object_get(sl, "items"));
	}
	if (total == 0) {
		snprintf(f, sizeof f, "%s.items", pre);
		return fail(e, f, "阶段至少要有 1 个事项");
	}
	return 0;
}

static int flow_check(const json_t *o, int index, const struct catalog_hooks *h, struct err *e)
{
	char pre[FIELD_MAX], f[FIELD_MAX];
	const char *div;
	size_t i;
	int prev = 0;
	json_t *st;
	prefix(pre, sizeof pre, "flows", o, index);
	if (check_shape(o, flow_spec, pre, e))
		return e->code;
	snprintf(f, sizeof f, "%s.code", pre);
	if (!catalog_code_ok(str(o, "code")))
		return fail(e, f, "流程编码 %s 格式错误（2-%d 位大写字母、数字和单个连字符，字母开头）",
			    str(o, "code"), CATALOG_CODE_MAX);
	if (text_field(o, "name", 100, pre, e) || version_fields(o, pre, e))
		return e->code;
	snprintf(f, sizeof f, "%s.flow_type", pre);
	if (!catalog_flow_type_name((int)num(o, "flow_type")))
		return fail(e, f, "流程类型 SPLCLX 必须是 1-10");
	div = str(o, "division");
	snprintf(f, sizeof f, "%s.division", pre);
	if (strlen(div) != 6 || !digits(div, 6) || div[0] == '0')
		return fail(e, f, "行政区划代码必须是 6 位数字");
	snprintf(f, sizeof f, "%s.stages", pre);
	if (json_array_size(json_object_get(o, "stages")) == 0)
		return fail(e, f, "流程至少要有 1 个阶段");
	json_array_foreach(json_object_get(o, "stages"), i, st) {
		if (stage_check(st, i, prev, h, pre, e))
			return e->code;
		prev = (int)num(st, "number");
	}
	return 0;
}

int catalog_validate_flow(const json_t *flow, const struct catalog_hooks *h, struct err *e)
{
	err_clear(e);
	return flow_check(flow, 0, h, e);
}

/* ---- versions of one code -------------------------------------------------- */

struct ver {
	const json_t *obj;
	const char *code;
	const char *from;
	const char *until;     /* next version's effective_from, or open */
	int major, minor;
};

static int ver_cmp(const void *a, const void *b)
{
	const struct ver *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	if (c)
		return c;
	if (x->major != y->major)
		return x->major < y->major ? -1 : 1;
	return x->minor < y->minor ? -1 : x->minor > y->minor;
}

/* Sorted versions of arr (already checked one by one) in *out (caller frees). */
static int versions(const json_t *arr, const char *what, struct ver **out, struct err *e)
{
	size_t n = json_array_size(arr), i;
	char f[FIELD_MAX];
	struct ver *v = calloc(n ? n : 1, sizeof *v);
	if (!v)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	for (i = 0; i < n; i++) {
		const json_t *o = json_array_get(arr, i);
		v[i].obj = o;
		v[i].code = str(o, "code");
		v[i].from = str(o, "effective_from");
		v[i].until = CATALOG_OPEN_UNTIL;
		catalog_version_parse(str(o, "version"), &v[i].major, &v[i].minor);
	}
	qsort(v, n, sizeof *v, ver_cmp);
	for (i = 1; i < n; i++) {
		if (strcmp(v[i].code, v[i - 1].code) != 0)
			continue;
		if (v[i].major == v[i - 1].major && v[i].minor == v[i - 1].minor) {
			snprintf(f, sizeof f, "%s[%s].version", what, v[i].code);
			fail(e, f, "%s 的版本 %s 重复", v[i].code, str(v[i].obj, "version"));
			free(v);
			return ERR_INVALID;
		}
		if (strcmp(v[i].from, v[i - 1].from) <= 0) {
			snprintf(f, sizeof f, "%s[%s].effective_from", what, v[i].code);
			fail(e, f, "%s 版本 %s 的生效日期 %s 必须晚于版本 %s 的 %s", v[i].code,
			     str(v[i].obj, "version"), v[i].from, str(v[i - 1].obj, "version"), v[i - 1].from);
			free(v);
			return ERR_INVALID;
		}
		v[i - 1].until = v[i].from;
	}
	*out = v;
	return 0;
}

/* Index of the first version of code in v[0..n), or n. */
static size_t first_version(const struct ver *v, size_t n, const char *code)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(v[mid].code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(v[lo].code, code) == 0 ? lo : n;
}

/* ---- a flow version against the items ------------------------------------ */

struct member {
	const char *code;
	int stage;              /* national number */
	long long limit;        /* the stage's limit */
	size_t first, count;    /* relevant item versions: iv[first .. first+count) */
	char where[FIELD_MAX];  /* field of the reference inside the flow */
};

struct flowctx {
	const struct ver *fv;   /* the flow version */
	const char *fpre;       /* "flows[CODE]" */
	const struct ver *iv;   /* all item versions */
	size_t ni;
	struct member *m;
	size_t nm;
	unsigned char *edge;    /* nm × nm: edge[a*nm+b] = a requires b */
	struct err *e;
};

static size_t member_find(const struct flowctx *c, const char *code)
{
	for (size_t i = 0; i < c->nm; i++)
		if (strcmp(c->m[i].code, code) == 0)
			return i;
	return c->nm;
}

/* Add the codes of arr (stage main line or a side line) as members. */
static int add_members(struct flowctx *c, const json_t *arr, int stage, long long limit, const char *pre)
{
	size_t i, k;
	json_t *code;
	json_array_foreach(arr, i, code) {
		struct member *m = &c->m[c->nm];
		const char *s = json_string_value(code);
		snprintf(m->where, sizeof m->where, "%s.items[%zu]", pre, i);
		if (member_find(c, s) < c->nm)
			return fail(c->e, m->where, "事项 %s 在流程 %s（%s）中出现多次", s,
				    c->fv->code, str(c->fv->obj, "version"));
		k = first_version(c->iv, c->ni, s);
		if (k == c->ni)
			return fail(c->e, m->where, "事项 %s 不存在", s);
		if (strcmp(c->iv[k].from, c->fv->from) > 0)
			return fail(c->e, m->where, "事项 %s 最早于 %s 生效，晚于流程 %s（%s）的生效日期 %s",
				    s, c->iv[k].from, c->fv->code, str(c->fv->obj, "version"), c->fv->from);
		m->code = s;
		m->stage = stage;
		m->limit = limit;
		m->count = 0;
		for (; k < c->ni && strcmp(c->iv[k].code, s) == 0; k++) {
			/* windows [from, until) of item and flow overlap */
			if (strcmp(c->iv[k].from, c->fv->until) < 0 && strcmp(c->fv->from, c->iv[k].until) < 0) {
				if (m->count++ == 0)
					m->first = k;
			}
		}
		c->nm++;
	}
	return 0;
}

static int collect_members(struct flowctx *c)
{
	char pre[FIELD_MAX], spre[FIELD_MAX];
	size_t i, j;
	json_t *st, *sl;
	json_array_foreach(json_object_get(c->fv->obj, "stages"), i, st) {
		int n = (int)num(st, "number");
		snprintf(pre, sizeof pre, "%s.stages[%d]", c->fpre, n);
		if (add_members(c, json_object_get(st, "items"), n, num(st, "limit"), pre))
			return c->e->code;
		json_array_foreach(json_object_get(st, "side_lines"), j, sl) {
			snprintf(spre, sizeof spre, "%s.side_lines[%s]", pre, str(sl, "code"));
			if (add_members(c, json_object_get(sl, "items"), n, num(st, "limit"), spre))
				return c->e->code;
		}
	}
	return 0;
}

/* Limits and prerequisites of every relevant version of member a. */
static int member_rules(struct flowctx *c, size_t a)
{
	const struct member *m = &c->m[a];
	char f[FIELD_MAX];
	const char *fver = str(c->fv->obj, "version");
	for (size_t k = m->first; k < m->first + m->count; k++) {
		const json_t *it = c->iv[k].obj;
		size_t i, b;
		json_t *p;
		if (m->stage != CATALOG_STAGE_PARALLEL && num(it, "promised_limit") > m->limit) {
			snprintf(f, sizeof f, "items[%s].promised_limit", m->code);
			return fail(c->e, f, "事项 %s 版本 %s 的承诺时限 %lld 个工作日超过流程 %s（%s）阶段 %d 的时限 %lld 个工作日",
				    m->code, str(it, "version"), num(it, "promised_limit"), c->fv->code, fver,
				    m->stage, m->limit);
		}
		json_array_foreach(json_object_get(it, "prerequisites"), i, p) {
			const char *pc = json_string_value(p);
			snprintf(f, sizeof f, "items[%s].prerequisites", m->code);
			b = member_find(c, pc);
			if (b == c->nm)
				return fail(c->e, f, "事项 %s 版本 %s 的前置事项 %s 不在流程 %s（%s）中",
					    m->code, str(it, "version"), pc, c->fv->code, fver);
			if (m->stage != CATALOG_STAGE_PARALLEL && c->m[b].stage != CATALOG_STAGE_PARALLEL &&
			    c->m[b].stage > m->stage)
				return fail(c->e, f, "事项 %s 的前置事项 %s 位于流程 %s（%s）的后续阶段 %d",
					    m->code, pc, c->fv->code, fver, c->m[b].stage);
			c->edge[a * c->nm + b] = 1;
		}
	}
	return 0;
}

/* DFS colours: 0 white, 1 on the path, 2 done. path holds the current chain. */
static int cycle_dfs(struct flowctx *c, size_t a, unsigned char *colour, size_t *path, size_t depth)
{
	colour[a] = 1;
	path[depth] = a;
	for (size_t b = 0; b < c->nm; b++) {
		if (!c->edge[a * c->nm + b])
			continue;
		if (colour[b] == 1) {
			char chain[300] = "", f[FIELD_MAX];
			size_t start = 0, len = 0;
			while (path[start] != b)
				start++;
			for (size_t i = start; i <= depth && len < sizeof chain - 40; i++)
				len += snprintf(chain + len, sizeof chain - len, "%s → ", c->m[path[i]].code);
			snprintf(chain + len, sizeof chain - len, "%s", c->m[b].code);
			snprintf(f, sizeof f, "items[%s].prerequisites", c->m[b].code);
			return fail(c->e, f, "前置事项存在循环：%s（流程 %s %s）", chain, c->fv->code,
				    str(c->fv->obj, "version"));
		}
		if (colour[b] == 0 && cycle_dfs(c, b, colour, path, depth + 1))
			return c->e->code;
	}
	colour[a] = 2;
	return 0;
}

static int acyclic(struct flowctx *c)
{
	unsigned char *colour = calloc(c->nm + 1, 1);
	size_t *path = calloc(c->nm + 1, sizeof *path);
	int rc = 0;
	if (!colour || !path)
		rc = err_set(c->e, ERR_INTERNAL, "", "out of memory");
	for (size_t a = 0; !rc && a < c->nm; a++)
		if (colour[a] == 0)
			rc = cycle_dfs(c, a, colour, path, 0);
	free(colour);
	free(path);
	return rc;
}

/* Every stage 1-4 needs an item that is a milestone in all its relevant versions. */
static int milestones(struct flowctx *c)
{
	char f[FIELD_MAX];
	size_t i;
	json_t *st;
	json_array_foreach(json_object_get(c->fv->obj, "stages"), i, st) {
		int n = (int)num(st, "number"), found = 0;
		if (n == CATALOG_STAGE_PARALLEL)
			continue;
		for (size_t a = 0; a < c->nm && !found; a++) {
			int all = c->m[a].stage == n && c->m[a].count > 0;
			for (size_t k = c->m[a].first; all && k < c->m[a].first + c->m[a].count; k++)
				all = json_is_true(json_object_get(c->iv[k].obj, "milestone"));
			found = all;
		}
		if (!found) {
			snprintf(f, sizeof f, "%s.stages[%d].items", c->fpre, n);
			return fail(c->e, f, "阶段 %d「%s」没有里程碑事项（办结规则需要至少一个）", n, str(st, "name"));
		}
	}
	return 0;
}

static size_t flow_item_refs(const json_t *flow)
{
	size_t n = 0, i, j;
	json_t *st, *sl;
	json_array_foreach(json_object_get(flow, "stages"), i, st) {
		n += json_array_size(json_object_get(st, "items"));
		json_array_foreach(json_object_get(st, "side_lines"), j, sl)
			n += json_array_size(json_object_get(sl, "items"));
	}
	return n;
}

static int flow_against_items(const struct ver *fv, const struct ver *iv, size_t ni, struct err *e)
{
	char fpre[FIELD_MAX];
	struct flowctx c = {.fv = fv, .fpre = fpre, .iv = iv, .ni = ni, .e = e};
	size_t refs = flow_item_refs(fv->obj);
	int rc;
	snprintf(fpre, sizeof fpre, "flows[%s]", fv->code);
	c.m = calloc(refs + 1, sizeof *c.m);
	c.edge = calloc((refs + 1) * (refs + 1), 1);
	if (!c.m || !c.edge) {
		rc = err_set(e, ERR_INTERNAL, "", "out of memory");
		goto out;
	}
	rc = collect_members(&c);
	for (size_t a = 0; !rc && a < c.nm; a++)
		rc = member_rules(&c, a);
	if (!rc)
		rc = acyclic(&c);
	if (!rc)
		rc = milestones(&c);
out:
	free(c.m);
	free(c.edge);
	return rc;
}

/* ---- the document --------------------------------------------------------- */

static const struct spec doc_spec[] = {
	{"format", K_STR}, {"format_version", K_INT}, {"name", K_STR},
	{"flows", K_ARR}, {"items", K_ARR}, {NULL, 0},
};

/* A document may hold several versions of a code: say which one failed. */
static int with_version(const json_t *o, struct err *e)
{
	const char *v = json_is_object(o) ? str(o, "version") : NULL;
	size_t n = strlen(e->msg);
	if (v && catalog_version_parse(v, NULL, NULL) == 0)
		snprintf(e->msg + n, sizeof e->msg - n, "（版本 %s）", v);
	return e->code;
}

static int doc_shape(const json_t *doc, const struct catalog_hooks *h, struct err *e)
{
	size_t i;
	json_t *o;
	if (!json_is_object(doc))
		return fail(e, "", "目录文件必须是 JSON 对象");
	if (check_shape(doc, doc_spec, "catalog", e))
		return e->code;
	if (strcmp(str(doc, "format"), CATALOG_FORMAT) != 0)
		return fail(e, "catalog.format", "format 必须是 \"%s\"", CATALOG_FORMAT);
	if (num(doc, "format_version") != CATALOG_FORMAT_VERSION)
		return fail(e, "catalog.format_version", "不支持的目录格式版本 %lld（支持 %d）",
			    num(doc, "format_version"), CATALOG_FORMAT_VERSION);
	if (text_field(doc, "name", 100, "catalog", e))
		return e->code;
	json_array_foreach(json_object_get(doc, "items"), i, o)
		if (item_check(o, (int)i, h, e))
			return with_version(o, e);
	json_array_foreach(json_object_get(doc, "flows"), i, o)
		if (flow_check(o, (int)i, h, e))
			return with_version(o, e);
	return 0;
}

int catalog_validate(const json_t *doc, const struct catalog_hooks *h, struct err *e)
{
	struct ver *iv = NULL, *fv = NULL;
	size_t ni, nf;
	int rc;
	err_clear(e);
	if (doc_shape(doc, h, e))
		return e->code;
	ni = json_array_size(json_object_get(doc, "items"));
	nf = json_array_size(json_object_get(doc, "flows"));
	rc = versions(json_object_get(doc, "items"), "items", &iv, e);
	if (!rc)
		rc = versions(json_object_get(doc, "flows"), "flows", &fv, e);
	for (size_t i = 0; !rc && i < nf; i++)
		rc = flow_against_items(&fv[i], iv, ni, e);
	free(iv);
	free(fv);
	return rc;
}
