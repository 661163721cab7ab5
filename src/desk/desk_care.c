/*
** desk_care.c: the services of 第一条 besides faults and requests: the
** consultation log (技术咨询/热线) and its knowledge base (帮助中心),
** trainings and 技术骨干, emergency drill plans and records (the
** scheduler's restore drills count as drills of the plan 'backup'), and
** visits with their satisfaction scores, whose pain points become requests.
*/
#include "desk/desk.h"
#include "desk/desk_int.h"
#include "base/clock.h"
#include "base/filestore.h"
#include "base/json.h"
#include "org/audit.h"
#include "org/org.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ops_only(const struct principal *who, struct err *e)
{
	return desk_is_ops(who) ? 0 : err_set(e, ERR_FORBIDDEN, "", "仅限运维人员 (ops only)");
}

static int readers(const struct principal *who, struct err *e)
{
	return desk_is_ops(who) || rbac_has(who, ROLE_LEADER) ? 0
		: err_set(e, ERR_FORBIDDEN, "", "仅限运维人员和领导 (ops or leader)");
}

static int audited(struct store *st, const struct principal *who, int64_t now, const char *action,
		   const char *kind, int64_t id, json_t *details, struct err *e)
{
	char object[48];
	snprintf(object, sizeof object, "%s:%lld", kind, (long long)id);
	return audit_write(st, who, now, action, object, "success", details, e);
}

/* The end of a write begun with store_begin: commit when rc is 0, else roll
** back; the result is rc or the commit's. */
static int tx_end(struct store *st, int rc, struct err *e)
{
	if (rc) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

/* ---- consultations and the knowledge base ------------------------------------------------ */

static int article_check(const json_t *in, struct err *e)
{
	static const struct jfield f[] = {{"title", J_STRING, 1}, {"body", J_STRING, 1}, {"tags", J_STRING, 0}, {NULL}};
	if (json_check(in, f, e) || desk_text_ok(json_get_str(in, "title", NULL), "title", 200, 1, e) ||
	    desk_text_ok(json_get_str(in, "body", NULL), "body", 60000, 1, e) ||
	    desk_text_ok(json_get_str(in, "tags", NULL), "tags", 200, 0, e))
		return e->code;
	return 0;
}

static int article_write(struct store *st, const struct principal *who, int64_t now, int64_t id, const json_t *in,
			 int64_t *out_id, struct err *e)
{
	struct desk_article_row a = {id, json_get_str(in, "title", ""), json_get_str(in, "body", ""),
				     json_get_str(in, "tags", ""), who->username, now};
	if (id > 0 ? store_desk_article_update(st, &a, e) : store_desk_article_insert(st, &a, out_id, e))
		return e->code;
	if (id > 0)
		*out_id = id;
	return audited(st, who, now, id > 0 ? "desk.article.update" : "desk.article.add", "desk_article", *out_id,
		       json_pack("{s:s}", "title", a.title), e);
}

int desk_article_save(struct store *st, const struct principal *who, int64_t now, int64_t id, const json_t *in,
		      int64_t *out_id, struct err *e)
{
	if (ops_only(who, e) || article_check(in, e))
		return e->code;
	if (store_begin(st, e))
		return e->code;
	return tx_end(st, article_write(st, who, now, id, in, out_id, e), e);
}

int desk_article_show(struct store *st, const struct principal *who, int64_t id, json_t **out, struct err *e)
{
	if (who->user_id <= 0 && !who->cli)
		return err_set(e, ERR_AUTH, "", "请先登录");
	return store_desk_article_get(st, id, out, e);
}

int desk_article_search(struct store *st, const struct principal *who, const char *q, const char *tag,
			const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	if (who->user_id <= 0 && !who->cli)
		return err_set(e, ERR_AUTH, "", "请先登录");
	if (desk_text_ok(q, "q", 100, 0, e) || desk_text_ok(tag, "tag", 40, 0, e))
		return e->code;
	return store_desk_article_search(st, q, tag, pg, items, total, e);
}

static int consult_check(const json_t *in, int64_t now, struct desk_consult_row *c, struct err *e)
{
	static const struct jfield f[] = {
		{"at", J_STRING, 0}, {"caller", J_STRING, 1}, {"unit", J_STRING, 0}, {"channel", J_STRING, 1},
		{"question", J_STRING, 1}, {"answer", J_STRING, 0}, {"category", J_STRING, 0}, {"minutes", J_INT, 0},
		{"article_id", J_INT, 0}, {"article", J_OBJECT, 0}, {NULL},
	};
	memset(c, 0, sizeof *c);
	if (json_check(in, f, e) || desk_text_ok(json_get_str(in, "caller", NULL), "caller", 90, 1, e) ||
	    desk_text_ok(json_get_str(in, "unit", NULL), "unit", 120, 0, e) ||
	    desk_text_ok(json_get_str(in, "question", NULL), "question", 3900, 1, e) ||
	    desk_text_ok(json_get_str(in, "answer", NULL), "answer", 3900, 0, e) ||
	    desk_text_ok(json_get_str(in, "category", NULL), "category", 60, 0, e))
		return e->code;
	if (!desk_channel_ok(json_get_str(in, "channel", NULL)))
		return err_set(e, ERR_INVALID, "channel", "渠道为 phone、wechat、qq、onsite 或 remote");
	c->minutes = (int)json_get_int(in, "minutes", 0);
	if (c->minutes < 0 || c->minutes > 1440)
		return err_set(e, ERR_INVALID, "minutes", "用时 0 到 1440 分钟");
	if (json_object_get(in, "article_id") && json_object_get(in, "article"))
		return err_set(e, ERR_INVALID, "article", "引用文章 (article_id) 与新建文章 (article) 只能选一");
	c->at = now;
	if (json_get_str(in, "at", NULL) && desk_parse_time(json_get_str(in, "at", NULL), "at", &c->at, e))
		return e->code;
	if (c->at > now)
		return err_set(e, ERR_INVALID, "at", "咨询时间不能晚于现在");
	c->caller = json_get_str(in, "caller", NULL);
	c->unit = json_get_str(in, "unit", NULL);
	c->channel = json_get_str(in, "channel", NULL);
	c->question = json_get_str(in, "question", NULL);
	c->answer = json_get_str(in, "answer", NULL);
	c->category = json_get_str(in, "category", NULL);
	c->article_id = json_get_int(in, "article_id", 0);
	c->created_at = now;
	return 0;
}

/* A consultation that creates its article: the question and answer become it. */
static int consult_article(struct store *st, const struct principal *who, int64_t now, const json_t *in,
			   struct desk_consult_row *c, struct err *e)
{
	const json_t *a = json_object_get(in, "article");
	if (!a)
		return 0;
	if (!c->answer || !*c->answer)
		return err_set(e, ERR_INVALID, "answer", "新建知识库文章需要答复内容");
	if (desk_text_ok(json_string_value(json_object_get(a, "title")), "article.title", 200, 1, e) ||
	    desk_text_ok(json_string_value(json_object_get(a, "tags")), "article.tags", 200, 0, e))
		return e->code;
	char *body = NULL;
	if (asprintf(&body, "问：%s\n\n答：%s", c->question, c->answer) < 0)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	json_t *art = json_pack("{s:s,s:s}", "title", json_string_value(json_object_get(a, "title")), "body", body);
	if (json_is_string(json_object_get(a, "tags")))
		json_object_set(art, "tags", json_object_get(a, "tags"));
	free(body);
	int rc = article_check(art, e);
	if (rc == 0)
		rc = article_write(st, who, now, 0, art, &c->article_id, e);
	json_decref(art);
	return rc;
}

static int consult_write(struct store *st, const struct principal *who, int64_t now, const json_t *in,
			 struct desk_consult_row *c, int64_t *id, struct err *e)
{
	if (consult_article(st, who, now, in, c, e) || store_desk_consult_insert(st, c, id, e))
		return e->code;
	return audited(st, who, now, "desk.consult.add", "desk_consult", *id,
		       json_pack("{s:s,s:s,s:I}", "caller", c->caller, "channel", c->channel, "article_id",
				 (json_int_t)c->article_id), e);
}

int desk_consult_add(struct store *st, const struct principal *who, int64_t now, const json_t *in, int64_t *id,
		     struct err *e)
{
	struct desk_consult_row c;
	if (ops_only(who, e) || consult_check(in, now, &c, e))
		return e->code;
	c.created_by = who->username;
	if (store_begin(st, e))
		return e->code;
	return tx_end(st, consult_write(st, who, now, in, &c, id, e), e);
}

int desk_consult_list(struct store *st, const struct principal *who, const char *q, const struct page *pg,
		      json_t **items, int64_t *total, struct err *e)
{
	if (readers(who, e))
		return e->code;
	return store_desk_consult_list(st, q, 0, 0, pg, items, total, e);
}

/* ---- trainings ------------------------------------------------------------------------------- */

static int training_check(const json_t *in, struct desk_training_row *t, struct err *e)
{
	static const struct jfield f[] = {
		{"day", J_STRING, 1}, {"topic", J_STRING, 1}, {"trainer", J_STRING, 1}, {"hours", J_NUMBER, 1},
		{"materials", J_STRING, 0}, {"feedback", J_NUMBER, 0}, {"attendees", J_ARRAY, 0}, {NULL},
	};
	memset(t, 0, sizeof *t);
	if (json_check(in, f, e) || desk_text_ok(json_get_str(in, "topic", NULL), "topic", 200, 1, e) ||
	    desk_text_ok(json_get_str(in, "trainer", NULL), "trainer", 90, 1, e) ||
	    desk_text_ok(json_get_str(in, "materials", NULL), "materials", 1900, 0, e))
		return e->code;
	t->day = json_get_str(in, "day", NULL);
	if (clock_cn_midnight(t->day) < 0)
		return err_set(e, ERR_INVALID, "day", "日期格式为 YYYY-MM-DD");
	t->hours = json_number_value(json_object_get(in, "hours"));
	if (t->hours <= 0 || t->hours > 100)
		return err_set(e, ERR_INVALID, "hours", "课时 0 到 100 小时");
	json_t *fb = json_object_get(in, "feedback");
	t->feedback = fb ? json_number_value(fb) : NAN;
	if (fb && (t->feedback < 1 || t->feedback > 5))
		return err_set(e, ERR_INVALID, "feedback", "反馈评分 1 到 5");
	t->topic = json_get_str(in, "topic", NULL);
	t->trainer = json_get_str(in, "trainer", NULL);
	t->materials = json_get_str(in, "materials", NULL);
	return 0;
}

static int training_write(struct store *st, const struct principal *who, int64_t now, const json_t *in,
			  const struct desk_training_row *t, int64_t *id, struct err *e)
{
	size_t i;
	const json_t *a;
	if (store_desk_training_insert(st, t, id, e))
		return e->code;
	json_array_foreach(json_object_get(in, "attendees"), i, a) {
		struct user u;
		if (!json_is_string(a) || org_user_by_name(st, json_string_value(a), &u, e))
			return err_set(e, ERR_INVALID, "attendees", "账号不存在: %s",
				       json_is_string(a) ? json_string_value(a) : "(not a string)");
		if (store_desk_training_attend(st, *id, u.id, 1, e))
			return e->code == ERR_CONFLICT ? err_set(e, ERR_INVALID, "attendees", "重复的学员: %s", u.username)
						       : e->code;
	}
	return audited(st, who, now, "desk.training.add", "desk_training", *id,
		       json_pack("{s:s,s:s,s:i}", "day", t->day, "topic", t->topic, "attendees",
				 (int)json_array_size(json_object_get(in, "attendees"))), e);
}

int desk_training_add(struct store *st, const struct principal *who, int64_t now, const json_t *in, int64_t *id,
		      struct err *e)
{
	struct desk_training_row t;
	if (ops_only(who, e) || training_check(in, &t, e))
		return e->code;
	t.by = who->username;
	t.at = now;
	if (store_begin(st, e))
		return e->code;
	return tx_end(st, training_write(st, who, now, in, &t, id, e), e);
}

int desk_training_list(struct store *st, const struct principal *who, const struct page *pg, json_t **items,
		       int64_t *total, struct err *e)
{
	size_t i;
	json_t *t, *files;
	if (readers(who, e) || store_desk_training_list(st, pg, items, total, e))
		return e->code;
	json_array_foreach(*items, i, t) {   /* a page of at most 200: one indexed read each */
		if (store_desk_files(st, "training", json_integer_value(json_object_get(t, "id")), &files, e)) {
			json_decref(*items);
			*items = NULL;
			return e->code;
		}
		json_object_set_new(t, "files", files);
	}
	return 0;
}

/* ---- training materials (attachments) ------------------------------------------------------------ */

static int files_dir(struct store *st, char *dir, size_t cap, struct err *e)
{
	return filestore_dir(store_path(st), dir, cap, e);
}

static json_t *file_json(const struct desk_file_row *f)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:I,s:s}", "id", (json_int_t)f->id, "name", f->name, "mime", f->mime,
			 "ext", f->ext, "size", (json_int_t)f->size, "sha256", f->sha256, "uploaded_at",
			 (json_int_t)f->uploaded_at, "uploaded_by", f->uploaded_by);
}

/* The bytes first, then the row and its audit: a rolled-back row leaves
** only an unreferenced file. */
static int file_write(struct store *st, const struct principal *who, int64_t now, const char *dir,
		      const void *data, size_t len, struct desk_file_row *f, struct err *e)
{
	if (filestore_put(dir, data, len, 1, f->sha256, e) || store_desk_file_add(st, f, e))
		return e->code;
	return audited(st, who, now, "desk.training.file", "desk_training", f->owner_id,
		       json_pack("{s:s,s:I,s:s}", "name", f->name, "size", (json_int_t)f->size, "sha256", f->sha256), e);
}

int desk_training_file_add(struct store *st, const struct principal *who, int64_t now, int64_t training_id,
			   const char *name, const void *data, size_t len, int64_t max_bytes, json_t **out,
			   struct err *e)
{
	struct desk_file_row f = {.owner_id = training_id, .size = (int64_t)len, .uploaded_at = now};
	const char *mime, *ext;
	char dir[1100];
	if (ops_only(who, e))
		return e->code;
	if (!store_desk_training_exists(st, training_id))
		return err_set(e, ERR_NOTFOUND, "id", "培训记录不存在 (no such training)");
	if (filestore_accept(name, data, len, max_bytes, &mime, &ext, e) || files_dir(st, dir, sizeof dir, e))
		return e->code;
	snprintf(f.owner, sizeof f.owner, "training");
	snprintf(f.name, sizeof f.name, "%s", name);
	snprintf(f.mime, sizeof f.mime, "%s", mime);
	snprintf(f.ext, sizeof f.ext, "%s", ext);
	snprintf(f.uploaded_by, sizeof f.uploaded_by, "%s", who->username);
	if (store_begin(st, e))
		return e->code;
	if (tx_end(st, file_write(st, who, now, dir, data, len, &f, e), e))
		return e->code;
	*out = file_json(&f);
	return 0;
}

int desk_file_read(struct store *st, const struct principal *who, int64_t id, struct desk_file_row *meta,
		   struct buf *data, struct err *e)
{
	char dir[1100];
	if (readers(who, e) || store_desk_file_get(st, id, meta, e) || files_dir(st, dir, sizeof dir, e))
		return e->code;
	return filestore_read(dir, meta->sha256, data, e);
}

static int backbone_write(struct store *st, const struct principal *who, int64_t now, const json_t *in,
			  struct err *e)
{
	struct user u;
	const char *name = json_get_str(in, "username", "");
	int on = json_get_bool(in, "on", 1);
	if (org_user_by_name(st, name, &u, e))
		return err_set(e, ERR_INVALID, "username", "账号不存在: %s", name);
	if (store_desk_backbone_set(st, u.id, on, now, json_get_str(in, "note", ""), e))
		return e->code;
	return audited(st, who, now, on ? "desk.backbone.add" : "desk.backbone.remove", "user", u.id,
		       json_pack("{s:s}", "username", u.username), e);
}

int desk_backbone_set(struct store *st, const struct principal *who, int64_t now, const json_t *in,
		      struct err *e)
{
	static const struct jfield f[] = {{"username", J_STRING, 1}, {"on", J_BOOL, 0}, {"note", J_STRING, 0}, {NULL}};
	if (ops_only(who, e) || json_check(in, f, e) || desk_text_ok(json_get_str(in, "note", NULL), "note", 400, 0, e))
		return e->code;
	if (store_begin(st, e))
		return e->code;
	return tx_end(st, backbone_write(st, who, now, in, e), e);
}

int desk_backbone_list(struct store *st, const struct principal *who, json_t **items, struct err *e)
{
	return readers(who, e) ? e->code : store_desk_backbones(st, items, e);
}

/* ---- drills ------------------------------------------------------------------------------------- */

/* Every element of arr an object with the string `key` and only the fields listed. */
static int rows_ok(const json_t *arr, const char *field, const struct jfield *f, struct err *e)
{
	size_t i;
	const json_t *it;
	json_array_foreach(arr, i, it) {
		struct err sub;
		if (json_check(it, f, &sub))
			return err_set(e, ERR_INVALID, field, "第 %zu 项: %s %s", i + 1, sub.field, sub.msg);
	}
	return 0;
}

static int text_of(const json_t *v, char **out, struct err *e)
{
	*out = json_text(v);
	return *out ? 0 : err_set(e, ERR_INTERNAL, "", "out of memory");
}

int desk_plan_add(struct store *st, const struct principal *who, int64_t now, const json_t *in, int64_t *id,
		  struct err *e)
{
	static const struct jfield f[] = {
		{"code", J_STRING, 1}, {"name", J_STRING, 1}, {"scenario", J_STRING, 1}, {"steps", J_ARRAY, 1},
		{"roles", J_STRING, 0}, {NULL},
	};
	static const struct jfield step[] = {
		{"step", J_STRING, 1}, {"role", J_STRING, 0}, {"expected_minutes", J_NUMBER, 0}, {NULL},
	};
	char *steps;
	const char *code = json_get_str(in, "code", "");
	if (ops_only(who, e) || json_check(in, f, e) || rows_ok(json_object_get(in, "steps"), "steps", step, e) ||
	    desk_text_ok(json_get_str(in, "name", NULL), "name", 100, 1, e) ||
	    desk_text_ok(json_get_str(in, "scenario", NULL), "scenario", 1900, 1, e))
		return e->code;
	if (!*code || strlen(code) > 32 || strspn(code, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(code))
		return err_set(e, ERR_INVALID, "code", "预案编码为 1-32 位小写字母、数字、_ 或 -");
	if (text_of(json_object_get(in, "steps"), &steps, e))
		return e->code;
	struct desk_plan_row p = {code, json_get_str(in, "name", ""), json_get_str(in, "scenario", ""), steps,
				  json_get_str(in, "roles", ""), now};
	int rc = store_begin(st, e);
	if (rc == 0) {
		rc = store_desk_plan_insert(st, &p, id, e);
		if (rc == 0)
			rc = audited(st, who, now, "desk.plan.add", "desk_plan", *id, json_pack("{s:s}", "code", code), e);
		rc = tx_end(st, rc, e);
	}
	free(steps);
	return rc;
}

int desk_plan_list(struct store *st, const struct principal *who, json_t **items, struct err *e)
{
	return readers(who, e) ? e->code : store_desk_plan_list(st, items, e);
}

static int drill_check(struct store *st, const json_t *in, int64_t now, struct desk_drill_row *d, struct err *e)
{
	static const struct jfield f[] = {
		{"plan_id", J_INT, 1}, {"started_at", J_STRING, 1}, {"ended_at", J_STRING, 1},
		{"participants", J_STRING, 0}, {"results", J_ARRAY, 0}, {"problems", J_STRING, 0},
		{"tickets", J_ARRAY, 0}, {NULL},
	};
	static const struct jfield res[] = {
		{"step", J_STRING, 1}, {"ok", J_BOOL, 1}, {"minutes", J_NUMBER, 0}, {"note", J_STRING, 0}, {NULL},
	};
	int found;
	size_t i;
	const json_t *t;
	memset(d, 0, sizeof *d);
	if (json_check(in, f, e) || rows_ok(json_object_get(in, "results"), "results", res, e) ||
	    desk_text_ok(json_get_str(in, "participants", NULL), "participants", 400, 0, e) ||
	    desk_text_ok(json_get_str(in, "problems", NULL), "problems", 3900, 0, e) ||
	    desk_parse_time(json_get_str(in, "started_at", ""), "started_at", &d->started_at, e) ||
	    desk_parse_time(json_get_str(in, "ended_at", ""), "ended_at", &d->ended_at, e))
		return e->code;
	if (d->ended_at < d->started_at || d->ended_at > now)
		return err_set(e, ERR_INVALID, "ended_at", "结束时间须不早于开始时间且不晚于现在");
	d->plan_id = json_get_int(in, "plan_id", 0);
	if (store_desk_plan_exists(st, d->plan_id, &found, e))
		return e->code;
	if (!found)
		return err_set(e, ERR_INVALID, "plan_id", "演练预案不存在: %lld", (long long)d->plan_id);
	json_array_foreach(json_object_get(in, "tickets"), i, t) {
		struct desk_ticket *tk = malloc(sizeof *tk);
		int rc = tk && json_is_integer(t) ? store_desk_ticket_get(st, json_integer_value(t), tk, e) : ERR_INVALID;
		free(tk);
		if (rc)
			return err_set(e, ERR_INVALID, "tickets", "第 %zu 项不是已有的工单编号", i + 1);
	}
	d->participants = json_get_str(in, "participants", "");
	d->problems = json_get_str(in, "problems", "");
	return 0;
}

int desk_drill_add(struct store *st, const struct principal *who, int64_t now, const json_t *in, int64_t *id,
		   struct err *e)
{
	struct desk_drill_row d;
	char *results = NULL, *tickets = NULL;
	json_t *empty = json_array();
	if (ops_only(who, e) || drill_check(st, in, now, &d, e)) {
		json_decref(empty);
		return e->code;
	}
	const json_t *r = json_object_get(in, "results"), *t = json_object_get(in, "tickets");
	int rc = text_of(r ? r : empty, &results, e);
	rc = rc ? rc : text_of(t ? t : empty, &tickets, e);
	json_decref(empty);
	d.results = results;
	d.tickets = tickets;
	d.by = who->username;
	d.at = now;
	if (rc == 0 && (rc = store_begin(st, e)) == 0) {
		rc = store_desk_drill_insert(st, &d, id, e);
		rc = rc ? rc : audited(st, who, now, "desk.drill.add", "desk_drill", *id,
				       json_pack("{s:I}", "plan_id", (json_int_t)d.plan_id), e);
		rc = tx_end(st, rc, e);
	}
	free(results);
	free(tickets);
	return rc;
}

int desk_drill_list(struct store *st, const struct principal *who, const struct page *pg, json_t **items,
		    int64_t *total, struct err *e)
{
	return readers(who, e) ? e->code : store_desk_drill_list(st, pg, items, total, e);
}

/* ---- visits ---------------------------------------------------------------------------------------- */

static int score(const json_t *in, const char *key, int *out, struct err *e)
{
	*out = (int)json_get_int(in, key, 0);
	return *out >= 1 && *out <= 5 ? 0 : err_set(e, ERR_INVALID, key, "满意度评分 1 到 5");
}

/* pain_points: [text] in, [{"text","request_id":null}] stored. */
static int pain_points(const json_t *in, char **out, struct err *e)
{
	size_t i;
	const json_t *p;
	json_t *arr = json_array();
	json_array_foreach(json_object_get(in, "pain_points"), i, p) {
		if (!json_is_string(p) || !json_string_length(p) || json_string_length(p) > 900) {
			json_decref(arr);
			return err_set(e, ERR_INVALID, "pain_points", "第 %zu 项须为 1 到 900 字节的文字", i + 1);
		}
		json_array_append_new(arr, json_pack("{s:O,s:n}", "text", p, "request_id"));
	}
	int rc = text_of(arr, out, e);
	json_decref(arr);
	return rc;
}

int desk_visit_add(struct store *st, const struct principal *who, int64_t now, const json_t *in, int64_t *id,
		   struct err *e)
{
	static const struct jfield f[] = {
		{"day", J_STRING, 1}, {"unit", J_STRING, 1}, {"contact", J_STRING, 0}, {"score_response", J_INT, 1},
		{"score_quality", J_INT, 1}, {"score_attitude", J_INT, 1}, {"comments", J_STRING, 0},
		{"pain_points", J_ARRAY, 0}, {NULL},
	};
	struct desk_visit_row v = {.day = json_get_str(in, "day", ""), .unit = json_get_str(in, "unit", NULL),
				   .contact = json_get_str(in, "contact", NULL),
				   .comments = json_get_str(in, "comments", NULL), .by = who->username, .at = now};
	char *pp = NULL;
	if (ops_only(who, e) || json_check(in, f, e) || desk_text_ok(v.unit, "unit", 120, 1, e) ||
	    desk_text_ok(v.contact, "contact", 90, 0, e) || desk_text_ok(v.comments, "comments", 3900, 0, e) ||
	    score(in, "score_response", &v.score_response, e) || score(in, "score_quality", &v.score_quality, e) ||
	    score(in, "score_attitude", &v.score_attitude, e))
		return e->code;
	if (clock_cn_midnight(v.day) < 0)
		return err_set(e, ERR_INVALID, "day", "日期格式为 YYYY-MM-DD");
	if (pain_points(in, &pp, e))
		return e->code;
	v.pain_points = pp;
	int rc = store_begin(st, e);
	if (rc == 0) {
		rc = store_desk_visit_insert(st, &v, id, e);
		rc = rc ? rc : audited(st, who, now, "desk.visit.add", "desk_visit", *id,
				       json_pack("{s:s,s:i,s:i,s:i}", "unit", v.unit, "response", v.score_response,
						 "quality", v.score_quality, "attitude", v.score_attitude), e);
		rc = tx_end(st, rc, e);
	}
	free(pp);
	return rc;
}

int desk_visit_list(struct store *st, const struct principal *who, const struct page *pg, json_t **items,
		    int64_t *total, struct err *e)
{
	return readers(who, e) ? e->code : store_desk_visit_list(st, pg, items, total, e);
}

static int visit_request(struct store *st, const struct principal *who, int64_t now, int64_t id, int index,
			 int64_t *request_id, struct err *e)
{
	json_t *v, *p;
	if (store_desk_visit_get(st, id, &v, e))
		return e->code;
	json_t *pts = json_object_get(v, "pain_points");
	if (index < 0 || !(p = json_array_get(pts, index))) {
		json_decref(v);
		return err_set(e, ERR_INVALID, "index", "回访记录 %lld 没有第 %d 个痛点", (long long)id, index);
	}
	if (json_is_integer(json_object_get(p, "request_id"))) {
		json_decref(v);
		return err_set(e, ERR_CONFLICT, "index", "该痛点已转为需求 %lld",
			       (long long)json_integer_value(json_object_get(p, "request_id")));
	}
	struct desk_request *r = calloc(1, sizeof *r);
	char *text = NULL;
	int rc = r ? 0 : err_set(e, ERR_INTERNAL, "", "out of memory");
	if (rc == 0) {
		const char *pain = json_string_value(json_object_get(p, "text"));
		snprintf(r->kind, sizeof r->kind, "other");
		snprintf(r->title, sizeof r->title, "%.200s", pain);
		snprintf(r->description, sizeof r->description, "回访 %s（%s）提出：%s",
			 json_string_value(json_object_get(v, "day")), json_string_value(json_object_get(v, "unit")), pain);
		snprintf(r->status, sizeof r->status, "received");
		snprintf(r->unit, sizeof r->unit, "%s", json_string_value(json_object_get(v, "unit")));
		snprintf(r->requester, sizeof r->requester, "%s", json_string_value(json_object_get(v, "contact"))[0]
			 ? json_string_value(json_object_get(v, "contact")) : r->unit);
		r->estimate_days = NAN;
		r->visit_id = id;
		r->created_at = r->updated_at = now;
		rc = desk_request_insert(st, who, now, r, request_id, e);
	}
	if (rc == 0) {
		json_object_set_new(p, "request_id", json_integer(*request_id));
		rc = text_of(pts, &text, e);
	}
	if (rc == 0)
		rc = store_desk_visit_set_pain_points(st, id, text, e);
	free(text);
	free(r);
	json_decref(v);
	return rc;
}

int desk_visit_to_request(struct store *st, const struct principal *who, int64_t now, int64_t id, int index,
			  int64_t *request_id, struct err *e)
{
	if (ops_only(who, e))
		return e->code;
	if (store_begin(st, e))
		return e->code;
	return tx_end(st, visit_request(st, who, now, id, index, request_id, e), e);
}
