/*
** test_totp.c: the TOTP factor (org/totp.h): RFC 6238's SHA-1 test vectors
** (6-digit truncation), the ±1 step window, replay refusal, malformed codes
** and secrets, fresh secrets, the otpauth URI and the QR code.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "org/totp.h"

/* RFC 6238 appendix B's key "12345678901234567890" in base32 */
#define RFC_KEY "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

static void test_rfc_vectors(void **state)
{
	static const struct { int64_t t; const char *code; } v[] = {
		{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"},
		{1234567890, "005924"}, {2000000000, "279037"}, {20000000000LL, "353130"},
	};
	char code[8];
	struct err e;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		assert_int_equal(totp_code(RFC_KEY, v[i].t, code, &e), 0);
		assert_string_equal(code, v[i].code);
	}
}

static void test_window_and_replay(void **state)
{
	int64_t now = 1234567890, step;
	char prev[8], next[8], far[8];
	struct err e;
	/* 1234567890 is step 41152263; its own code is 005924 */
	assert_int_equal(totp_verify(RFC_KEY, now, "005924", 0, &step, &e), 0);
	assert_int_equal(step, now / 30);
	assert_int_equal(totp_code(RFC_KEY, now - 30, prev, &e), 0);
	assert_int_equal(totp_code(RFC_KEY, now + 30, next, &e), 0);
	assert_int_equal(totp_code(RFC_KEY, now + 90, far, &e), 0);
	assert_int_equal(totp_verify(RFC_KEY, now, prev, 0, &step, &e), 0);    /* a slow phone */
	assert_int_equal(step, now / 30 - 1);
	assert_int_equal(totp_verify(RFC_KEY, now, next, 0, &step, &e), 0);    /* a fast one */
	assert_int_equal(step, now / 30 + 1);
	assert_int_equal(totp_verify(RFC_KEY, now, far, 0, &step, &e), ERR_AUTH);
	/* a code is good once: not again, and no older one after it */
	assert_int_equal(totp_verify(RFC_KEY, now, "005924", now / 30, &step, &e), ERR_AUTH);
	assert_non_null(strstr(e.msg, "已使用"));
	assert_int_equal(totp_verify(RFC_KEY, now, prev, now / 30, &step, &e), ERR_AUTH);
	assert_int_equal(totp_verify(RFC_KEY, now, next, now / 30, &step, &e), 0);
	/* malformed */
	assert_int_equal(totp_verify(RFC_KEY, now, "05924", 0, &step, &e), ERR_AUTH);
	assert_int_equal(totp_verify(RFC_KEY, now, "00592a", 0, &step, &e), ERR_AUTH);
	assert_int_equal(totp_verify(RFC_KEY, now, NULL, 0, &step, &e), ERR_AUTH);
	assert_int_equal(totp_verify("not base32!", now, "005924", 0, &step, &e), ERR_INVALID);
	assert_int_equal(totp_verify("", now, "005924", 0, &step, &e), ERR_INVALID);
}

static void test_secret_uri_qr(void **state)
{
	char a[TOTP_SECRET_LEN + 1], b[TOTP_SECRET_LEN + 1], code[8], uri[512];
	struct err e;
	int64_t step;
	assert_int_equal(totp_new_secret(a, &e), 0);
	assert_int_equal(totp_new_secret(b, &e), 0);
	assert_int_equal(strlen(a), TOTP_SECRET_LEN);
	assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), TOTP_SECRET_LEN);
	assert_string_not_equal(a, b);
	assert_int_equal(totp_code(a, 1700000000, code, &e), 0);
	assert_int_equal(totp_verify(a, 1700000000, code, 0, &step, &e), 0);

	totp_uri("gonggai", "系统 admin", RFC_KEY, uri, sizeof uri);
	assert_string_equal(uri, "otpauth://totp/gonggai:%E7%B3%BB%E7%BB%9F%20admin?secret=" RFC_KEY
			    "&issuer=gonggai&algorithm=SHA1&digits=6&period=30");
	struct buf svg = {0};
	assert_int_equal(totp_qr_svg(uri, &svg, &e), 0);
	assert_true(strncmp(svg.data, "<svg xmlns=\"http://www.w3.org/2000/svg\"", 39) == 0);
	assert_non_null(strstr(svg.data, "M4 4h1v1h-1z"));     /* the finder pattern's corner module */
	assert_true(strcmp(svg.data + svg.len - 6, "</svg>") == 0);
	buf_free(&svg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc_vectors),
		cmocka_unit_test(test_window_and_replay),
		cmocka_unit_test(test_secret_uri_qr),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
