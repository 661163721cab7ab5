/*
** test_api_files.c: the window's paper over real HTTP (issue 20).
**
** A window clerk applies for 建设用地规划许可 ticking two of the three
** required materials; the checklist reads back, 受理 is refused naming the
** missing one and succeeds as 容缺受理 (the 容缺 list, the notice); 补正 picks
** only names of the list. Files: a raw PDF body against a material, a JPEG
** against the case, HTML named .pdf refused (415), a body over [files]
** max_mb refused (413), a JSON content type on the upload route read as a
** file, other departments 404; the reviewer lists and downloads them byte
** for byte. Documents: the printed 受理通知书 carries a QR code and a
** verification code; GET /verify/{code} without a session confirms title,
** number and department and nothing of the case; a made-up or malformed
** code is 404. The QR code is drawn when the document is served: the kept
** page holds a marker and no drawing, the page served is the drawing of
** the verification address, and a reprint serves the same bytes. 准予许可 waits for the 容缺 materials.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitest.h"
#include "base/filestore.h"
#include "org/totp.h"

#include <unistd.h>

#include "store/store_files.h"

static struct apitest T;
static struct client *Win, *Zc, *Zr, *Zh, *Other, *Anon;

static int setup(void **state)
{
	if (apitest_start(&T, "[files]\nmax_mb = 1\n[server]\npublic_url = https://gg.example.cn\n") != 0)
		return -1;
	if (apitest_user(&T, "win", "clerk", "610200-XSP") || apitest_user(&T, "zr_c", "clerk", "610200-ZRZY") ||
	    apitest_user(&T, "zr_r", "reviewer", "610200-ZRZY") || apitest_user(&T, "zr_h", "head", "610200-ZRZY") ||
	    apitest_user(&T, "zj_c", "clerk", "610200-ZJJ"))
		return -1;
	struct client **cs[] = {&Win, &Zc, &Zr, &Zh, &Other};
	const char *names[] = {"win", "zr_c", "zr_r", "zr_h", "zj_c"};
	for (int i = 0; i < 5; i++) {
		*cs[i] = client_new(&T);
		if (client_login(*cs[i], names[i], APITEST_PASSWORD) != 200)
			return -1;
	}
	Anon = client_new(&T);
	return 0;
}

static int teardown(void **state)
{
	struct client *cs[] = {Win, Zc, Zr, Zh, Other, Anon};
	for (int i = 0; i < 6; i++)
		client_free(cs[i]);
	apitest_stop(&T);
	return 0;
}

#define APP "建设用地规划许可申请表"
#define RED "建设项目用地红线图（宗地图）"
#define CON "国有建设用地使用权出让合同（出让方式）或项目批准、核准、备案文件（划拨方式）"

static json_t *J;
static int64_t C;

static int call(struct client *c, const char *method, const char *path, const char *body, const char *type)
{
	json_decref(J);
	J = NULL;
	return client_req(c, method, path, body, type, &J);
}

static const char *err_field(void)
{
	return json_string_value(json_object_get(json_object_get(J, "error"), "field"));
}

static void act_path(char *path, size_t n, const char *what)
{
	snprintf(path, n, "/api/cases/%lld/%s", (long long)C, what);
}

static void test_checklist_and_tolerance(void **state)
{
	char path[128];
	assert_int_equal(call(Win, "POST", "/api/projects", "{\"code\":\"2025-610202-47-01-000401\",\"name\":\"王益区"
			      "青年路社区食堂\",\"flow_type\":4,\"division\":\"610202\",\"address\":\"王益区青年路\","
			      "\"investment_wan\":800,\"land_area_m2\":900,\"floor_area_m2\":1100,\"planned_start\":"
			      "\"2026-12-01\",\"planned_finish\":\"2027-12-31\",\"units\":[{\"kind\":\"builder\",\"name\":"
			      "\"铜川市测试建设有限公司\",\"credit_code\":\"91350200575030446H\",\"contact\":\"李四\","
			      "\"phone\":\"13800138000\"}]}", NULL), 201);
	int64_t p = json_integer_value(json_object_get(J, "id"));
	snprintf(path, sizeof path, "/api/projects/%lld/applications", (long long)p);
	/* a name not on the item's list, an item not applied for: 400 naming the field */
	assert_int_equal(call(Win, "POST", path, "{\"stage\":1,\"items\":[\"YDGH-001\"],\"materials\":{\"YDGH-001\":"
			      "[\"" APP "\",\"身份证\"]}}", NULL), 400);
	assert_string_equal(err_field(), "materials.YDGH-001");
	assert_int_equal(call(Win, "POST", path, "{\"stage\":1,\"items\":[\"YDGH-001\"],\"materials\":{\"GHXK-001\":"
			      "[]}}", NULL), 400);
	assert_string_equal(err_field(), "materials");
	assert_int_equal(call(Win, "POST", path, "{\"stage\":1,\"items\":[\"YDGH-001\"],\"materials\":{\"YDGH-001\":"
			      "[\"" APP "\",\"" RED "\"]}}", NULL), 201);
	C = json_integer_value(json_object_get(json_array_get(json_object_get(J, "cases"), 0), "id"));

	act_path(path, sizeof path, "materials");
	assert_int_equal(call(Zr, "GET", path, NULL, NULL), 200);
	assert_true(json_is_true(json_object_get(J, "checklist")));
	json_t *m = json_object_get(J, "materials");
	assert_true(json_array_size(m) >= 3);
	assert_true(json_is_true(json_object_get(json_array_get(m, 0), "received")));
	assert_false(json_is_true(json_object_get(json_array_get(m, 1), "received")));   /* the contract */
	assert_true(json_is_true(json_object_get(json_array_get(m, 1), "tolerable")));
	assert_int_equal(call(Other, "GET", path, NULL, NULL), 404);

	act_path(path, sizeof path, "actions");
	assert_int_equal(call(Zc, "POST", path, "{\"action\":\"accept\"}", NULL), 409);
	assert_string_equal(err_field(), "materials");
	assert_non_null(strstr(client_body(Zc), CON));
	assert_int_equal(call(Zc, "POST", path, "{\"action\":\"supplement\",\"materials\":[\"合同\"]}", NULL), 400);
	assert_string_equal(err_field(), "materials");
	assert_int_equal(call(Zc, "POST", path, "{\"action\":\"accept\",\"tolerance\":true,\"materials_days\":5}",
			      NULL), 200);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(J, "status"), "code")), 3);
	/* ticking is for the window before 受理 */
	act_path(path, sizeof path, "materials");
	assert_int_equal(call(Zc, "PUT", path, "{\"received\":[\"" APP "\"]}", NULL), 409);
}

static void test_files(void **state)
{
	char path[256], big[1100000];
	const char pdf[] = "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";
	snprintf(path, sizeof path, "/api/cases/%lld/files?name=%%E7%%BA%%A2%%E7%%BA%%BF%%E5%%9B%%BE.pdf&material="
		 "%%E5%%BB%%BA%%E8%%AE%%BE%%E9%%A1%%B9%%E7%%9B%%AE%%E7%%94%%A8%%E5%%9C%%B0%%E7%%BA%%A2%%E7%%BA%%BF%%E5"
		 "%%9B%%BE%%EF%%BC%%88%%E5%%AE%%97%%E5%%9C%%B0%%E5%%9B%%BE%%EF%%BC%%89", (long long)C);
	assert_int_equal(call(Win, "POST", path, pdf, "application/pdf"), 201);
	assert_string_equal(json_string_value(json_object_get(J, "ext")), "pdf");
	assert_string_equal(json_string_value(json_object_get(J, "material")), RED);
	assert_string_equal(json_string_value(json_object_get(J, "name")), "红线图.pdf");
	int64_t f1 = json_integer_value(json_object_get(J, "id"));
	snprintf(path, sizeof path, "/api/cases/%lld/files?name=photo.jpg", (long long)C);
	assert_int_equal(call(Zc, "POST", path, "\xff\xd8\xff\xe0 JFIF body", "application/json"), 201);
	assert_string_equal(json_string_value(json_object_get(J, "mime")), "image/jpeg");
	snprintf(path, sizeof path, "/api/cases/%lld/files?name=x.pdf", (long long)C);
	assert_int_equal(call(Zc, "POST", path, "<html><script>alert(1)</script></html>", "application/pdf"), 415);
	memset(big, 'a', sizeof big - 1);
	memcpy(big, "%PDF-", 5);
	big[sizeof big - 1] = 0;
	assert_int_equal(call(Zc, "POST", path, big, "application/pdf"), 413);
	snprintf(path, sizeof path, "/api/cases/%lld/files", (long long)C);
	assert_int_equal(call(Zc, "POST", path, pdf, "application/pdf"), 400);          /* no name */
	assert_string_equal(err_field(), "name");
	snprintf(path, sizeof path, "/api/cases/%lld/files?name=a.pdf&material=nope", (long long)C);
	assert_int_equal(call(Zc, "POST", path, pdf, "application/pdf"), 400);
	snprintf(path, sizeof path, "/api/cases/%lld/files?name=a.pdf", (long long)C);
	assert_int_equal(call(Other, "POST", path, pdf, "application/pdf"), 404);
	/* a JSON route keeps its 1 MiB limit and its content type */
	assert_int_equal(call(Zc, "POST", "/api/session", big, NULL), 413);

	snprintf(path, sizeof path, "/api/cases/%lld/files", (long long)C);
	assert_int_equal(call(Zr, "GET", path, NULL, NULL), 200);
	assert_int_equal(json_array_size(json_object_get(J, "items")), 2);
	snprintf(path, sizeof path, "/api/files/%lld", (long long)f1);
	assert_int_equal(call(Zr, "GET", path, NULL, NULL), 200);
	assert_string_equal(client_body(Zr), pdf);
	assert_int_equal(call(Other, "GET", path, NULL, NULL), 404);
	assert_int_equal(call(Anon, "GET", path, NULL, NULL), 401);
	assert_int_equal(call(Zr, "GET", "/api/files/999999", NULL, NULL), 404);
}

/* The QR code of a served document is the drawing of its verification
** address, and the page kept in the database (migration 0030) holds only its
** marker and matches the document's SHA-256. */
static void qr_as_issued(const char *html, const char *code)
{
	char path[128], text[256], dir[512];
	struct buf svg = {0};
	struct err e = {0};
	snprintf(path, sizeof path, "/api/cases/%lld", (long long)C);
	assert_int_equal(call(Zr, "GET", path, NULL, NULL), 200);
	snprintf(text, sizeof text, "https://gg.example.cn/verify/%s?case=%s", code,
		 json_string_value(json_object_get(J, "number")));
	assert_int_equal(totp_qr_svg(text, &svg, &e), 0);
	const char *at = strstr(html, "<div class=\"qr\"><svg");
	assert_non_null(at);
	assert_memory_equal(at + strlen("<div class=\"qr\">"), svg.data, svg.len);
	assert_non_null(strstr(at, "</svg><p>扫码或访问 "));
	buf_free(&svg);
	/* the page kept in the database with the document's row, not a file */
	struct store *st;
	struct buf b;
	char sha[65], got[65], file[600];
	int64_t doc;
	assert_int_equal(store_open(T.db, STORE_READONLY, &st, &e), 0);
	assert_int_equal(store_case_doc_sha(st, C, "acceptance", &doc, sha, &e), 0);
	assert_int_equal(store_case_doc_page(st, doc, &b, &e), 0);
	store_close(st);
	filestore_hash(b.data, b.len, got);
	assert_string_equal(got, sha);
	assert_non_null(strstr(b.data, code));
	assert_non_null(strstr(b.data, "<div class=\"qr\"><!--gg-qr:"));
	assert_null(strstr(b.data, "<svg"));
	buf_free(&b);
	assert_int_equal(filestore_dir(T.db, dir, sizeof dir, &e), 0);
	snprintf(file, sizeof file, "%s/%s", dir, sha);
	assert_int_not_equal(access(file, F_OK), 0);
}

static void test_documents_and_verify(void **state)
{
	char path[128], code[40] = "";
	snprintf(path, sizeof path, "/api/cases/%lld/documents/acceptance", (long long)C);
	assert_int_equal(call(Zr, "GET", path, NULL, NULL), 200);
	const char *html = client_body(Zr);
	assert_non_null(strstr(html, "<svg"));
	const char *at = strstr(html, "核验码 ");
	assert_non_null(at);
	snprintf(code, 27, "%s", at + strlen("核验码 "));
	assert_non_null(strstr(html, "https://gg.example.cn/verify/"));
	char *first = strdup(html);
	assert_int_equal(call(Zr, "GET", path, NULL, NULL), 200);
	assert_string_equal(client_body(Zr), first);                      /* the bytes issued */
	qr_as_issued(first, code);
	free(first);
	snprintf(path, sizeof path, "/api/cases/%lld/documents/tolerance", (long long)C);
	assert_int_equal(call(Zr, "GET", path, NULL, NULL), 200);
	assert_non_null(strstr(client_body(Zr), CON));

	snprintf(path, sizeof path, "/verify/%s", code);
	assert_int_equal(call(Anon, "GET", path, NULL, NULL), 200);
	assert_non_null(strstr(client_body(Anon), "受理通知书"));
	assert_non_null(strstr(client_body(Anon), "自然资源"));
	assert_null(strstr(client_body(Anon), "青年路"));                  /* nothing of the case */
	assert_int_equal(call(Anon, "GET", "/verify/AAAAAAAAAAAAAAAAAAAAAAAAAA", NULL, NULL), 404);
	assert_int_equal(call(Anon, "GET", "/verify/not-a-code", NULL, NULL), 404);
}

static void test_decision_waits_for_tolerance(void **state)
{
	char path[128];
	act_path(path, sizeof path, "actions");
	assert_int_equal(call(Zr, "POST", path, "{\"action\":\"start_review\"}", NULL), 200);
	assert_int_equal(call(Zr, "POST", path, "{\"action\":\"next_step\"}", NULL), 200);
	assert_int_equal(call(Zh, "POST", path, "{\"action\":\"approve\"}", NULL), 409);
	assert_string_equal(err_field(), "materials");
	assert_int_equal(call(Zc, "POST", path, "{\"action\":\"materials_received\"}", NULL), 200);
	assert_int_equal(call(Zh, "POST", path, "{\"action\":\"approve\"}", NULL), 200);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(J, "status"), "code")), 11);
}

/* The project list as a file from the server, CSV and XLSX, in the caller's scope. */
static void test_project_export(void **state)
{
	assert_int_equal(call(Win, "GET", "/api/projects/export?format=csv&q=%E9%9D%92%E5%B9%B4%E8%B7%AF", NULL, NULL), 200);
	const char *csv = client_body(Win);
	assert_memory_equal(csv, "\xEF\xBB\xBF投资项目代码,", strlen("\xEF\xBB\xBF投资项目代码,"));
	assert_non_null(strstr(csv, "2025-610202-47-01-000401"));
	assert_non_null(strstr(csv, "铜川市测试建设有限公司"));
	assert_null(strstr(csv, "13800138000"));                          /* no phones */
	assert_int_equal(call(Win, "GET", "/api/projects/export?format=xlsx", NULL, NULL), 200);
	assert_memory_equal(client_body(Win), "PK", 2);
	assert_int_equal(call(Win, "GET", "/api/projects/export?format=pdf", NULL, NULL), 400);
	assert_int_equal(call(Win, "GET", "/api/projects/export?flow_type=99", NULL, NULL), 400);
	assert_int_equal(call(Anon, "GET", "/api/projects/export", NULL, NULL), 401);
	/* 住建 sees no project of 自然资源's applicant yet */
	assert_int_equal(call(Other, "GET", "/api/projects/export?format=csv", NULL, NULL), 200);
	assert_null(strstr(client_body(Other), "2025-610202-47-01-000401"));
}

/* secadmin 解锁 a locked account without touching its password (audited). */
static void test_unlock(void **state)
{
	struct client *sec = client_new(&T), *x = client_new(&T);
	assert_int_equal(apitest_user(&T, "locked1", "clerk", "610200-ZRZY"), 0);
	assert_int_equal(client_login(sec, "secadmin", APITEST_PASSWORD), 200);
	for (int i = 0; i < 5; i++)
		client_login(x, "locked1", "Wrong-Passw0rd!");
	assert_int_equal(client_login(x, "locked1", APITEST_PASSWORD), 423);
	assert_int_equal(call(sec, "GET", "/api/users?page_size=200", NULL, NULL), 200);
	int64_t id = 0;
	size_t i;
	json_t *u;
	json_array_foreach(json_object_get(J, "items"), i, u)
		if (strcmp(json_string_value(json_object_get(u, "username")), "locked1") == 0)
			id = json_integer_value(json_object_get(u, "id"));
	char path[64];
	snprintf(path, sizeof path, "/api/users/%lld/unlock", (long long)id);
	assert_int_equal(call(Zh, "POST", path, "{}", NULL), 403);
	assert_int_equal(call(sec, "POST", path, "{}", NULL), 204);
	assert_int_equal(client_login(x, "locked1", APITEST_PASSWORD), 200);   /* the same password */
	assert_int_equal(call(sec, "POST", path, "{}", NULL), 409);            /* not locked any more */
	struct client *aud = client_new(&T);
	assert_int_equal(client_login(aud, "auditor", APITEST_PASSWORD), 200);
	assert_int_equal(call(aud, "GET", "/api/audit?action=user.unlock", NULL, NULL), 200);
	assert_int_equal(json_integer_value(json_object_get(J, "total")), 1);
	assert_non_null(strstr(client_body(aud), "locked1"));
	client_free(aud);
	client_free(sec);
	client_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checklist_and_tolerance),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_documents_and_verify),
		cmocka_unit_test(test_decision_waits_for_tolerance),
		cmocka_unit_test(test_project_export),
		cmocka_unit_test(test_unlock),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
