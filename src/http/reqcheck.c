/*
** reqcheck.c: checks on a request before routing (see reqcheck.h).
*/
#include "http/reqcheck.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when none:
** no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	size_t len;
	unsigned min, cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, min = 0x80, cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, min = 0x800, cp = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, min = 0x10000, cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

static int is_control(unsigned char c)
{
	return c < 0x20 || c == 0x7F;
}

int req_text_ok(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		size_t k = utf8_seq(p + i, n - i);
		if (k == 0 || (k == 1 && is_control(p[i]) && p[i] != '\t'))
			return 0;
		i += k;
	}
	return 1;
}

size_t req_scrub(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t n = strlen(s), i = 0, bad = 0;
	while (i < n) {
		size_t k = utf8_seq(p + i, n - i);
		if (k == 0 || (k == 1 && is_control(p[i]) && p[i] != '\t' && p[i] != '\n')) {
			p[i++] = '?';
			bad++;
			continue;
		}
		i += k;
	}
	return bad;
}

int req_check_target(const char *path, struct err *e)
{
	if (!path || path[0] != '/')
		return err_set(e, ERR_INVALID, "target",
			       "请求目标必须是以 / 开头的路径 (request target must be an absolute path)");
	if (strlen(path) > REQ_MAX_TARGET)
		return err_set(e, ERR_INVALID, "target", "请求路径过长 (path longer than %d bytes)", REQ_MAX_TARGET);
	return 0;
}

int req_check_query(const char *uri, struct err *e)
{
	const char *q = uri ? strchr(uri, '?') : NULL;
	int n = 0;
	for (const char *p = q; p && *p; p++)
		if ((*p == '?' || *p == '&') && p[1] && p[1] != '&')
			n++;
	if (n > REQ_MAX_PARAMS)
		return err_set(e, ERR_INVALID, "query", "查询参数过多 (more than %d query parameters)", REQ_MAX_PARAMS);
	return 0;
}

int req_check_param(int i, const char *key, const char *value, struct err *e)
{
	if (i >= REQ_MAX_PARAMS)
		return err_set(e, ERR_INVALID, "query", "查询参数过多 (more than %d query parameters)", REQ_MAX_PARAMS);
	size_t kn = key ? strlen(key) : 0, vn = value ? strlen(value) : 0;
	if (kn > 64 || !req_text_ok(key ? key : "", kn))
		return err_set(e, ERR_INVALID, "query", "查询参数名无效 (parameter name must be UTF-8 text of at most 64 bytes)");
	if (vn > REQ_MAX_VALUE || !req_text_ok(value ? value : "", vn)) {
		char name[65];
		memcpy(name, key, kn);
		name[kn] = 0;
		return err_set(e, ERR_INVALID, name, "查询参数 %s 无效 (value must be UTF-8 text of at most %d bytes)",
			       name, REQ_MAX_VALUE);
	}
	return 0;
}

#ifdef GG_TESTING
/* X-GG-Now (test build): epoch seconds the handlers act at. */
static int check_now(const char *v, struct err *e)
{
	char *end;
	errno = 0;
	long long t = strtoll(v, &end, 10);
	if (errno || end == v || *end || t < 0 || t > REQ_MAX_NOW)
		return err_set(e, ERR_INVALID, "X-GG-Now", "X-GG-Now 必须是 0 到 %lld 之间的整数 (epoch seconds)",
			       REQ_MAX_NOW);
	return 0;
}
#endif

int req_check_header(const char *name, const char *value, struct err *e)
{
	if (!name || !value)
		return 0;
	if (strcasecmp(name, "Transfer-Encoding") == 0 && strcasecmp(value, "chunked") != 0)
		return err_set(e, ERR_INVALID, "Transfer-Encoding",
			       "不支持的传输编码 %s (only chunked is accepted)", req_text_ok(value, strlen(value)) ? value : "?");
#ifdef GG_TESTING
	if (strcasecmp(name, "X-GG-Now") == 0 && *value)
		return check_now(value, e);
#endif
	return 0;
}
