/*
** totp.c: TOTP codes and their enrolment QR code (see totp.h).
*/
#include "org/totp.h"

#include <liboath/oath.h>
#include <pthread.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* liboath wants oath_init() once per process before anything else. */
static pthread_once_t once = PTHREAD_ONCE_INIT;
static void init_oath(void)
{
	oath_init();
}

int totp_new_secret(char *out, struct err *e)
{
	unsigned char raw[20];
	char *b32 = NULL;
	size_t len = 0;
	pthread_once(&once, init_oath);
	randombytes_buf(raw, sizeof raw);
	if (oath_base32_encode((const char *)raw, sizeof raw, &b32, &len) != OATH_OK || len != TOTP_SECRET_LEN) {
		free(b32);
		return err_set(e, ERR_INTERNAL, "", "cannot encode a TOTP secret");
	}
	memcpy(out, b32, TOTP_SECRET_LEN);
	out[TOTP_SECRET_LEN] = 0;
	sodium_memzero(raw, sizeof raw);
	free(b32);
	return 0;
}

/* The raw key of a base32 secret (the caller frees *key). */
static int decode(const char *secret, char **key, size_t *len, struct err *e)
{
	pthread_once(&once, init_oath);
	*key = NULL;
	if (!secret || !*secret || oath_base32_decode(secret, strlen(secret), key, len) != OATH_OK) {
		free(*key);
		*key = NULL;
		return err_set(e, ERR_INVALID, "secret", "动态口令密钥无法读取 (bad TOTP secret)");
	}
	return 0;
}

int totp_code(const char *secret, int64_t t, char *out, struct err *e)
{
	char *key;
	size_t len;
	if (decode(secret, &key, &len, e))
		return e->code;
	int rc = oath_totp_generate(key, len, (time_t)t, TOTP_STEP, 0, 6, out);
	sodium_memzero(key, len);
	free(key);
	return rc == OATH_OK ? 0 : err_set(e, ERR_INVALID, "secret", "cannot compute a TOTP code");
}

int totp_verify(const char *secret, int64_t now, const char *code, int64_t last_step, int64_t *step,
		struct err *e)
{
	char *key;
	size_t len;
	int pos = 0;
	if (!code || strlen(code) != 6 || strspn(code, "0123456789") != 6)
		return err_set(e, ERR_AUTH, "code", "动态口令应为 6 位数字 (six digits)");
	if (decode(secret, &key, &len, e))
		return e->code;
	int rc = oath_totp_validate2(key, len, (time_t)now, TOTP_STEP, 0, 1, &pos, code);
	sodium_memzero(key, len);
	free(key);
	if (rc < 0)
		return err_set(e, ERR_AUTH, "code", "动态口令不正确 (wrong code)");
	*step = now / TOTP_STEP + pos;
	if (*step <= last_step)
		return err_set(e, ERR_AUTH, "code", "动态口令已使用过，请等待下一个口令 (code already used)");
	return 0;
}

/* Percent-encode s for a URI component. */
static void uri_part(const char *s, char *out, size_t n)
{
	size_t o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 4 < n; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			out[o++] = (char)*p;
		else
			o += (size_t)snprintf(out + o, n - o, "%%%02X", *p);
	}
	out[o] = 0;
}

void totp_uri(const char *issuer, const char *user, const char *secret, char *out, size_t n)
{
	char is[128], us[200];
	uri_part(issuer, is, sizeof is);
	uri_part(user, us, sizeof us);
	snprintf(out, n, "otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=6&period=%d", is, us,
		 secret, is, TOTP_STEP);
}

int totp_qr_svg(const char *text, struct buf *out, struct err *e)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return err_set(e, ERR_INTERNAL, "", "cannot encode the QR code");
	int quiet = 4, size = q->width + 2 * quiet;
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" "
		   "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
		   size, size, size * 5, size * 5, size, size);
	for (int y = 0; y < q->width; y++)
		for (int x = 0; x < q->width; x++)
			if (q->data[y * q->width + x] & 1)
				buf_printf(out, "M%d %dh1v1h-1z", x + quiet, y + quiet);
	buf_puts(out, "\"/></svg>");
	QRcode_free(q);
	return 0;
}
