/*
** case_files.c: material checklists, uploaded files and the public
** verification page of numbered documents (see case_files.h).
*/
#include "approval/case_files.h"
#include "approval/case_int.h"
#include "base/filestore.h"
#include "org/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int case_files_max_bytes(const struct conf *c, int64_t *out, struct err *e)
{
	if (conf_int_ok(c, "files", "max_mb", 1, 512, e))
		return e->code;
	*out = conf_int(c, "files", "max_mb", CASE_FILES_MAX_MB) * 1024 * 1024;
	return 0;
}

/* The case for who: 404 when it does not exist or is not visible. */
static int case_for(struct store *st, const struct principal *who, int64_t id, struct case_rec *c, struct err *e)
{
	if (store_case_get(st, id, c, e))
		return e->code;
	if (!who->cli && !case_visible(who, c))
		return err_set(e, ERR_NOTFOUND, "id", "办件不存在 (no such case)");
	return 0;
}

/* Who may add to a case's paper: the CLI, its department, a window clerk. */
static int may_add(const struct principal *who, const struct case_rec *c, struct err *e)
{
	if (who->cli || strcmp(who->department, c->department) == 0 || rbac_has(who, ROLE_CLERK))
		return 0;
	return err_set(e, ERR_FORBIDDEN, "", "只有%s的人员或窗口人员可以登记材料 (department or window only)",
		       c->department_name);
}

static void object_of(int64_t id, char out[48])
{
	snprintf(out, 48, "case:%lld", (long long)id);
}

/* ---- the checklist -------------------------------------------------------------------- */

static const json_t *version_materials(const json_t *item_doc)
{
	return json_object_get(item_doc, "materials");
}

static int named_in(const json_t *names, const char *name)
{
	size_t i;
	json_t *v;
	json_array_foreach(names, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), name) == 0)
			return 1;
	return 0;
}

/* Every name of `names` is a material of the version; field names the input. */
static int names_known(const json_t *names, const json_t *materials, const char *field, struct err *e)
{
	size_t i, j;
	json_t *v, *m;
	if (!json_is_array(names) || json_array_size(names) > 100)
		return err_set(e, ERR_INVALID, field, "须为材料名称的数组 (array of material names)");
	json_array_foreach(names, i, v) {
		int found = 0;
		json_array_foreach(materials, j, m)
			found |= json_is_string(v) && strcmp(json_string_value(v),
							     json_string_value(json_object_get(m, "name"))) == 0;
		if (!found)
			return err_set(e, ERR_INVALID, field, "「%s」不在本事项的材料清单中 (not a material of the item)",
				       json_is_string(v) ? json_string_value(v) : "?");
	}
	return 0;
}

int case_material_names_known(const json_t *names, const json_t *item_doc, const char *field, struct err *e)
{
	return names_known(names, version_materials(item_doc), field, e);
}

int case_tolerance_outstanding(struct store *st, int64_t id, int *n, struct err *e)
{
	json_t *rows, *r;
	size_t i;
	*n = 0;
	if (store_case_tolerance(st, id, &rows, e))
		return e->code;
	json_array_foreach(rows, i, r)
		*n += json_is_null(json_object_get(r, "received_at"));
	json_decref(rows);
	return 0;
}

int case_checklist_put(struct store *st, const struct principal *who, int64_t now, int64_t id, const json_t *item_doc,
		       const json_t *received, const char *field, struct err *e)
{
	const json_t *mats = version_materials(item_doc);
	size_t i;
	json_t *m;
	if (names_known(received, mats, field, e))
		return e->code;
	json_array_foreach(mats, i, m) {
		const char *name = json_string_value(json_object_get(m, "name"));
		struct case_material_row r = {
			.position = (int)i + 1, .name = name, .form = json_string_value(json_object_get(m, "form")),
			.required = json_is_true(json_object_get(m, "required")),
			.copies = (int)json_integer_value(json_object_get(m, "copies")),
			.tolerable = json_is_true(json_object_get(m, "tolerable")),
			.received = named_in(received, name),
		};
		if (store_case_material_put(st, id, &r, now, who->username, e))
			return e->code;
	}
	return 0;
}

int case_checklist_supplied(struct store *st, const struct principal *who, int64_t now, int64_t id, struct err *e)
{
	json_t *sup, *rows, *r, *names;
	size_t i;
	int rc;
	if (store_case_supplements(st, id, &sup, e))
		return e->code;
	names = json_loads(json_string_value(json_object_get(json_array_get(sup, json_array_size(sup) - 1), "materials")),
			   0, NULL);
	json_decref(sup);
	if ((rc = store_case_materials(st, id, &rows, e))) {
		json_decref(names);
		return rc;
	}
	json_array_foreach(rows, i, r) {
		const char *name = json_string_value(json_object_get(r, "name"));
		if (json_integer_value(json_object_get(r, "received")) || !named_in(names, name))
			continue;
		struct case_material_row m = {
			.position = (int)json_integer_value(json_object_get(r, "position")), .name = name,
			.form = json_string_value(json_object_get(r, "form")),
			.required = (int)json_integer_value(json_object_get(r, "required")),
			.copies = (int)json_integer_value(json_object_get(r, "copies")),
			.tolerable = (int)json_integer_value(json_object_get(r, "tolerable")), .received = 1,
		};
		if ((rc = store_case_material_put(st, id, &m, now, who->username, e)))
			break;
	}
	json_decref(rows);
	json_decref(names);
	return rc;
}

int case_checklist_gate(struct store *st, const struct case_env *env, const struct case_rec *c,
			const struct case_input *in, int64_t now, json_t *details, int *tolerated, struct err *e)
{
	json_t *rows, *r, *missing = json_array();
	size_t i;
	int untolerable = 0, rc = 0;
	*tolerated = 0;
	if (store_case_materials(st, c->id, &rows, e)) {
		json_decref(missing);
		return e->code;
	}
	json_array_foreach(rows, i, r)
		if (json_integer_value(json_object_get(r, "required")) && !json_integer_value(json_object_get(r, "received"))) {
			json_array_append(missing, json_object_get(r, "name"));
			untolerable |= !json_integer_value(json_object_get(r, "tolerable"));
		}
	json_decref(rows);
	if (json_array_size(missing) == 0 || !in->tolerance) {
		char list[600] = "";
		json_array_foreach(missing, i, r)
			snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? "、" : "",
				 json_string_value(r));
		if (list[0])
			rc = err_set(e, ERR_CONFLICT, "materials", "缺少必需材料：%s。%s", list,
				     c->tolerance_ok && !untolerable ? "可选择容缺受理 (tolerance)，或先一次性告知补正"
				     : "请先一次性告知补正 (required materials missing)");
	} else if (!c->tolerance_ok || untolerable) {
		rc = err_set(e, ERR_CONFLICT, "tolerance", "%s (容缺 not allowed)", !c->tolerance_ok
			     ? "本事项不适用容缺受理" : "缺少的材料中有不可容缺的材料");
	} else {
		int32_t due;
		int days = in->materials_days ? in->materials_days : env->dl.tolerance_days;
		if ((rc = cal_add_workdays(env->cal, deadline_day(now), days, &due, NULL, e)) == 0)
			json_array_foreach(missing, i, r)
				if ((rc = store_case_tolerance_add(st, c->id, json_string_value(r), due, 0, e)))
					break;
		*tolerated = rc == 0;
		json_object_set(details, "tolerance", missing);
	}
	json_decref(missing);
	return rc;
}

int case_materials_get(struct store *st, const struct principal *who, int64_t id, json_t **out, struct err *e)
{
	struct case_rec c;
	struct catalog_item it;
	json_t *rows, *list = json_array(), *m;
	size_t i;
	if (case_for(st, who, id, &c, e) || catalog_item_by_id(st, c.item_version_id, &it, e)) {
		json_decref(list);
		return e->code;
	}
	if (store_case_materials(st, id, &rows, e)) {
		catalog_item_release(&it);
		json_decref(list);
		return e->code;
	}
	json_array_foreach(version_materials(it.doc), i, m) {
		json_t *row = json_array_get(rows, i);
		json_t *o = json_pack("{s:i,s:O,s:b,s:O,s:O,s:b,s:b}", "position", (int)i + 1,
				      "name", json_object_get(m, "name"),
				      "required", json_is_true(json_object_get(m, "required")),
				      "form", json_object_get(m, "form"), "copies", json_object_get(m, "copies"),
				      "tolerable", json_is_true(json_object_get(m, "tolerable")),
				      "received", row && json_integer_value(json_object_get(row, "received")));
		json_object_set(o, "template", json_object_get(m, "template") ? json_object_get(m, "template")
				: json_null());
		json_array_append_new(list, o);
	}
	*out = json_pack("{s:b,s:b,s:o}", "checklist", json_array_size(rows) > 0, "tolerance", c.tolerance_ok,
			 "materials", list);
	json_decref(rows);
	catalog_item_release(&it);
	return 0;
}

static int tick_locked(struct store *st, const struct principal *who, int64_t now, int64_t id,
		       const json_t *received, struct err *e)
{
	struct case_rec c;
	struct catalog_item it;
	char object[48];
	if (case_for(st, who, id, &c, e) || may_add(who, &c, e))
		return e->code;
	if (c.accepted || case_status_final(c.status))
		return err_set(e, ERR_CONFLICT, "status", "办件已受理或已办结，材料清单不能再勾选 (only before 受理)");
	if (catalog_item_by_id(st, c.item_version_id, &it, e))
		return e->code;
	object_of(id, object);
	if (case_checklist_put(st, who, now, id, it.doc, received, "received", e) == 0)
		audit_write(st, who, now, "case.materials", object, "success",
			    json_pack("{s:s,s:O}", "number", c.number, "received", received), e);
	catalog_item_release(&it);
	return e->code;
}

int case_materials_tick(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
			int64_t id, const json_t *received, struct err *e)
{
	err_clear(e);
	if (store_begin(st, e))
		return e->code;
	if (tick_locked(st, who, now, id, received, e)) {
		store_rollback(st);
		return e->code;
	}
	if (store_commit(st, e))
		return e->code;
	case_cache_invalidate(env->cache, id);
	return 0;
}

/* ---- files ------------------------------------------------------------------------------ */

static int file_dir(struct store *st, char *dir, size_t cap, struct err *e)
{
	return filestore_dir(store_path(st), dir, cap, e);
}

static int check_upload(const struct case_upload *u, const char **mime, const char **ext, struct err *e)
{
	return filestore_accept(u->name, u->data, u->len, u->max_bytes, mime, ext, e);
}

static json_t *file_json(const struct case_file_rec *f)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:s,s:i,s:I,s:s}", "id", (json_int_t)f->id, "material", f->material,
			 "name", f->name, "mime", f->mime, "ext", f->ext, "size", (json_int_t)f->size,
			 "sha256", f->sha256, "kind", f->kind, "uploaded_at", (json_int_t)f->uploaded_at,
			 "uploaded_by", f->uploaded_by);
}

/* The upload's row and audit inside the caller's transaction; the bytes
** first: a rolled-back row leaves only an unreferenced file. */
static int upload_locked(struct store *st, const struct principal *who, int64_t now, int64_t id,
			 const struct case_upload *u, const char *dir, struct case_file_rec *f, struct err *e)
{
	struct case_rec c;
	struct catalog_item it;
	char object[48];
	if (case_for(st, who, id, &c, e) || may_add(who, &c, e))
		return e->code;
	if (u->material && *u->material) {
		if (catalog_item_by_id(st, c.item_version_id, &it, e))
			return e->code;
		json_t *one = json_pack("[s]", u->material);
		names_known(one, version_materials(it.doc), "material", e);
		json_decref(one);
		catalog_item_release(&it);
		if (e->code)
			return e->code;
	}
	object_of(id, object);
	if (filestore_put(dir, u->data, u->len, 1, f->sha256, e) || store_case_file_add(st, f, e))
		return e->code;
	return audit_write(st, who, now, "case.file_upload", object, "success",
			   json_pack("{s:s,s:s,s:s,s:I,s:s}", "number", c.number, "name", f->name, "material",
				     f->material, "size", (json_int_t)f->size, "sha256", f->sha256), e);
}

int case_file_upload(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		     int64_t id, const struct case_upload *u, json_t **out, struct err *e)
{
	struct case_file_rec f = {.case_id = id, .kind = 1, .uploaded_at = now, .size = (int64_t)u->len};
	const char *mime, *ext;
	char dir[1100];
	err_clear(e);
	if (check_upload(u, &mime, &ext, e) || file_dir(st, dir, sizeof dir, e))
		return e->code;
	snprintf(f.material, sizeof f.material, "%s", u->material ? u->material : "");
	snprintf(f.name, sizeof f.name, "%s", u->name);
	snprintf(f.mime, sizeof f.mime, "%s", mime);
	snprintf(f.ext, sizeof f.ext, "%s", ext);
	snprintf(f.uploaded_by, sizeof f.uploaded_by, "%s", who->username);
	if (store_begin(st, e))
		return e->code;
	if (upload_locked(st, who, now, id, u, dir, &f, e)) {
		store_rollback(st);
		return e->code;
	}
	if (store_commit(st, e))
		return e->code;
	case_cache_invalidate(env->cache, id);
	*out = file_json(&f);
	return 0;
}

int case_files_get(struct store *st, const struct principal *who, int64_t id, json_t **out, struct err *e)
{
	struct case_rec c;
	if (case_for(st, who, id, &c, e))
		return e->code;
	return store_case_files(st, id, out, e);
}

int case_file_read(struct store *st, const struct principal *who, int64_t file_id, struct case_file_rec *meta,
		   struct buf *data, struct err *e)
{
	struct case_rec c;
	char dir[1100];
	if (store_case_file_get(st, file_id, meta, e))
		return e->code;
	if (case_for(st, who, meta->case_id, &c, e))
		return err_set(e, ERR_NOTFOUND, "id", "文件不存在 (no such file)");
	if (file_dir(st, dir, sizeof dir, e))
		return e->code;
	return filestore_read(dir, meta->sha256, data, e);
}

int case_files_list(struct store *st, int64_t case_id, json_t **out, struct err *e)
{
	json_t *rows, *r;
	size_t i;
	char fjid[32];
	if (store_case_files(st, case_id, &rows, e))
		return e->code;
	*out = json_array();
	json_array_foreach(rows, i, r) {
		snprintf(fjid, sizeof fjid, "%lld", (long long)json_integer_value(json_object_get(r, "id")));
		json_array_append_new(*out, json_pack("{s:s,s:O,s:O,s:i,s:O,s:O,s:O,s:O}", "FJID", fjid,
						      "FJMC", json_object_get(r, "name"), "FJLX", json_object_get(r, "ext"),
						      "FJFL", 1, "sha256", json_object_get(r, "sha256"),
						      "size", json_object_get(r, "size"),
						      "material", json_object_get(r, "material"),
						      "uploaded_at", json_object_get(r, "uploaded_at")));
	}
	json_decref(rows);
	return 0;
}
