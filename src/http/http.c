/*
** http.c: helpers handlers share (see http.h).
*/
#include "http/http.h"
#include "base/clock.h"
#include "base/json.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

const char *http_query(const struct http_req *r, const char *key)
{
	if (r->query_force && strcmp(key, r->query_force) == 0)
		return r->query_force_val;
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
	return v && *v ? v : NULL;
}

const char *http_header(const struct http_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

/* RFC 5987 percent-encoding of a UTF-8 file name into out. */
static void pct(const char *s, char *out, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && k + 4 < n; p++) {
		if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    strchr("-._~", *p)) {
			out[k++] = (char)*p;
		} else {
			out[k++] = '%';
			out[k++] = hex[*p >> 4];
			out[k++] = hex[*p & 15];
		}
	}
	out[k] = 0;
}

void http_attachment(struct http_resp *w, const char *name, const char *ascii_name)
{
	char enc[200];
	pct(name, enc, sizeof enc);
	snprintf(w->disposition, sizeof w->disposition, "attachment; filename=\"%s\"; filename*=UTF-8''%s",
		 ascii_name, enc);
}

int64_t http_now(const struct http_req *r)
{
#ifdef GG_TESTING
	const char *h = http_header(r, "X-GG-Now");
	if (h && *h)
		return strtoll(h, NULL, 10);
#endif
	return r->now;
}

int http_query_int(const struct http_req *r, const char *key, int64_t def,
		   int64_t min, int64_t max, int64_t *out, struct err *e)
{
	const char *v = http_query(r, key);
	*out = def;
	if (!v)
		return 0;
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (errno || *end || x < min || x > max)
		return err_set(e, ERR_INVALID, key, "%s 必须是 %lld 到 %lld 之间的整数 (integer in range)",
			       key, (long long)min, (long long)max);
	*out = x;
	return 0;
}

int http_query_time(const struct http_req *r, const char *key, int64_t def, int64_t *out, struct err *e)
{
	const char *v = http_query(r, key);
	*out = def;
	if (!v)
		return 0;
	if (strlen(v) == 10 && v[4] == '-') {
		int64_t t = clock_cn_midnight(v);
		if (t < 0)
			return err_set(e, ERR_INVALID, key, "日期无效: %s (YYYY-MM-DD)", v);
		*out = strcmp(key, "to") == 0 ? t + 86400 : t;
		return 0;
	}
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (errno || *end || x < 0)
		return err_set(e, ERR_INVALID, key, "时间无效: %s (epoch seconds or YYYY-MM-DD)", v);
	*out = x;
	return 0;
}

int http_page(const struct http_req *r, struct page *pg, struct err *e)
{
	int64_t p, s;
	if (r->page_force > 0) {
		pg->page = r->page_force;
		pg->page_size = r->page_size_force;
		return 0;
	}
	if (http_query_int(r, "page", 1, 1, 1000000, &p, e) ||
	    http_query_int(r, "page_size", 20, 1, 200, &s, e))
		return e->code;
	pg->page = (int)p;
	pg->page_size = (int)s;
	return 0;
}

int http_param_id(const struct http_req *r, int i, int64_t *out, struct err *e)
{
	const char *v = r->params[i];
	char *end;
	long long x = v ? strtoll(v, &end, 10) : 0;
	if (!v || *end || x <= 0)
		return err_set(e, ERR_NOTFOUND, "id", "不存在 (not found: %s)", v ? v : "");
	*out = x;
	return 0;
}

int http_body(struct http_req *r, const struct jfield *fields, struct err *e)
{
	if (!r->json)
		r->json = json_object();
	return json_check(r->json, fields, e);
}

json_t *http_list(json_t *items, int64_t total, const struct page *pg)
{
	return json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total,
			 "page", pg->page, "page_size", pg->page_size);
}
