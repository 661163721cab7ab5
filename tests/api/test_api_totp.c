/*
** test_api_totp.c: the administrators' TOTP factor over HTTP with
** [security] admin_totp = required: a restricted session until enrolment,
** secret + otpauth URI + QR code, confirmation, logins that need a fresh code
** (missing, wrong and replayed codes are failed logins, five lock the
** account), the reset by the secadmin (business accounts only) and from the
** command line (administrators), and business accounts untouched.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apitest.h"
#include "org/totp.h"

static struct apitest T;

static int setup(void **state)
{
	if (apitest_start(&T, "admin_totp = required\n") != 0)
		return -1;
	return apitest_user(&T, "clerk1", "clerk", "610202-XSP");
}

static int teardown(void **state)
{
	apitest_stop(&T);
	return 0;
}

static json_t *J;

static int req(struct client *c, const char *method, const char *path, const char *body)
{
	json_decref(J);
	J = NULL;
	return client_req(c, method, path, body, NULL, &J);
}

static const char *jstr(const char *key)
{
	return json_string_value(json_object_get(J, key));
}

static int login(struct client *c, const char *user, const char *otp)
{
	char body[256];
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"%s%s%s}", user, APITEST_PASSWORD,
		 otp ? ",\"otp\":\"" : "", otp ? otp : "", otp ? "\"" : "");
	return req(c, "POST", "/api/session", body);
}

/* The code of secret for the step `ahead` steps from now. */
static const char *code_at(const char *secret, int ahead)
{
	static char code[8];
	struct err e;
	assert_int_equal(totp_code(secret, (int64_t)time(NULL) + ahead * TOTP_STEP, code, &e), 0);
	return code;
}

/* Enrol user (logged in on c); the secret into out. */
static void enrol(struct client *c, char *out)
{
	char body[64];
	assert_int_equal(req(c, "POST", "/api/me/totp/secret", "{}"), 200);
	snprintf(out, TOTP_SECRET_LEN + 1, "%s", jstr("secret"));
	snprintf(body, sizeof body, "{\"code\":\"%s\"}", code_at(out, 0));
	assert_int_equal(req(c, "POST", "/api/me/totp", body), 200);
}

static char SYS[TOTP_SECRET_LEN + 1], SYS_CODE[8];   /* the sysadmin's secret, its enrolment code */

static void test_enrolment(void **state)
{
	struct client *c = client_new(&T);
	char body[64], wrong[8];
	/* the password alone opens a session that can only enrol */
	assert_int_equal(login(c, "sysadmin", NULL), 200);
	assert_true(json_is_true(json_object_get(J, "must_enroll_totp")));
	assert_int_equal(req(c, "GET", "/api/users", NULL), 403);
	assert_string_equal(json_string_value(json_object_get(json_object_get(J, "error"), "field")), "otp");
	assert_int_equal(req(c, "GET", "/api/me", NULL), 200);
	assert_true(json_is_true(json_object_get(json_object_get(J, "totp"), "required")));
	assert_false(json_is_true(json_object_get(json_object_get(J, "totp"), "enrolled")));
	/* a code before any secret: 409; the secret with its URI and QR code */
	assert_int_equal(req(c, "POST", "/api/me/totp", "{\"code\":\"123456\"}"), 409);
	assert_int_equal(req(c, "POST", "/api/me/totp/secret", "{\"x\":1}"), 400);
	assert_int_equal(req(c, "POST", "/api/me/totp/secret", "{}"), 200);
	snprintf(SYS, sizeof SYS, "%s", jstr("secret"));
	assert_int_equal(strlen(SYS), TOTP_SECRET_LEN);
	assert_non_null(strstr(jstr("uri"), "otpauth://totp/gonggai:sysadmin?secret="));
	assert_non_null(strstr(jstr("uri"), SYS));
	assert_true(strncmp(jstr("qr_svg"), "<svg", 4) == 0);
	/* a wrong code: 400 naming the field; still restricted */
	snprintf(wrong, sizeof wrong, "%06d", (atoi(code_at(SYS, 0)) + 1) % 1000000);
	snprintf(body, sizeof body, "{\"code\":\"%s\"}", wrong);
	assert_int_equal(req(c, "POST", "/api/me/totp", body), 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(J, "error"), "field")), "code");
	assert_int_equal(req(c, "GET", "/api/users", NULL), 403);
	/* the right one: enrolled, the same session goes on */
	snprintf(SYS_CODE, sizeof SYS_CODE, "%s", code_at(SYS, 0));
	snprintf(body, sizeof body, "{\"code\":\"%s\"}", SYS_CODE);
	assert_int_equal(req(c, "POST", "/api/me/totp", body), 200);
	assert_int_equal(req(c, "GET", "/api/users", NULL), 200);
	assert_int_equal(req(c, "POST", "/api/me/totp/secret", "{}"), 409);   /* a new one needs a reset */
	assert_int_equal(req(c, "GET", "/api/users/1", NULL), 200);
	assert_true(json_is_true(json_object_get(J, "totp_enrolled")));
	client_free(c);
}

static void test_login_needs_a_fresh_code(void **state)
{
	struct client *c = client_new(&T);
	char next[8];
	assert_int_equal(login(c, "sysadmin", NULL), 401);
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(J, "error"), "message")), "动态口令"));
	char wrong[8];
	snprintf(wrong, sizeof wrong, "%06d", (atoi(code_at(SYS, 1)) + 1) % 1000000);
	assert_int_equal(login(c, "sysadmin", wrong), 401);
	/* the code spent on the enrolment: a replay */
	assert_int_equal(login(c, "sysadmin", SYS_CODE), 401);
	snprintf(next, sizeof next, "%s", code_at(SYS, 1));
	assert_int_equal(login(c, "sysadmin", next), 200);
	assert_false(json_is_true(json_object_get(J, "must_enroll_totp")));
	assert_int_equal(req(c, "GET", "/api/users", NULL), 200);
	struct client *again = client_new(&T);
	assert_int_equal(login(again, "sysadmin", next), 401);                  /* used once */
	client_free(again);
	/* business accounts: the password alone, no enrolment */
	struct client *k = client_new(&T);
	assert_int_equal(login(k, "clerk1", NULL), 200);
	assert_false(json_is_true(json_object_get(J, "must_enroll_totp")));
	assert_int_equal(req(k, "GET", "/api/me", NULL), 200);
	assert_false(json_is_true(json_object_get(json_object_get(J, "totp"), "required")));
	client_free(k);
	client_free(c);
}

static void test_wrong_codes_lock(void **state)
{
	struct client *c = client_new(&T);
	char aud[TOTP_SECRET_LEN + 1], wrong[8];
	assert_int_equal(login(c, "auditor", NULL), 200);
	enrol(c, aud);
	snprintf(wrong, sizeof wrong, "%06d", (atoi(code_at(aud, 1)) + 500000) % 1000000);
	for (int i = 0; i < 5; i++)
		assert_int_equal(login(c, "auditor", i % 2 ? NULL : wrong), i < 4 ? 401 : 423);
	assert_int_equal(login(c, "auditor", code_at(aud, 1)), 423);            /* even the right one */
	client_free(c);
}

static void test_reset(void **state)
{
	struct client *sec = client_new(&T), *sys = client_new(&T);
	char secs[TOTP_SECRET_LEN + 1];
	assert_int_equal(login(sec, "secadmin", NULL), 200);
	enrol(sec, secs);
	assert_int_equal(req(sec, "DELETE", "/api/users/2/totp", NULL), 403);   /* not one's own */
	/* 三员分立: nor another administrator's, which the command line resets */
	assert_int_equal(req(sec, "DELETE", "/api/users/1/totp", NULL), 403);
	assert_int_equal(apitest_cli(&T, "user reset-totp --username sysadmin", NULL, 0), 0);
	/* a business account's factor (enrolled of its own will) the secadmin resets */
	struct client *clk = client_new(&T);
	char cs[TOTP_SECRET_LEN + 1];
	assert_int_equal(login(clk, "clerk1", NULL), 200);
	enrol(clk, cs);
	assert_int_equal(req(sec, "DELETE", "/api/users/4/totp", NULL), 204);
	client_free(clk);
	/* the sysadmin enrols again: the password alone gives a restricted session */
	assert_int_equal(login(sys, "sysadmin", NULL), 200);
	assert_true(json_is_true(json_object_get(J, "must_enroll_totp")));
	assert_int_equal(req(sys, "GET", "/api/users", NULL), 403);
	/* from the command line, audited */
	assert_int_equal(apitest_cli(&T, "user reset-totp --username secadmin", NULL, 0), 0);
	struct client *fresh = client_new(&T);
	assert_int_equal(login(fresh, "secadmin", NULL), 200);
	assert_true(json_is_true(json_object_get(J, "must_enroll_totp")));
	client_free(fresh);
	char out[8192];
	assert_int_equal(apitest_cli(&T, "audit verify", out, sizeof out), 0);
	client_free(sec);
	client_free(sys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_enrolment),
		cmocka_unit_test(test_login_needs_a_fresh_code),
		cmocka_unit_test(test_wrong_codes_lock),
		cmocka_unit_test(test_reset),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	json_decref(J);
	return rc;
}
