/*
** test_api_hardening.c: accounts and logins over HTTP after the hardening
** of issue 12: 三员分立 through account management (no roles from the
** sysadmin, no administrator acting on another's account, clerk and head
** apart), a disable racing four clients' logins stays, a password change
** ends the other sessions and a wrong old password counts as a failed
** login, phones of others masked in every read, names that are no account
** answered like accounts, failed logins limited per address (429), and the
** cookie's Secure flag with [server] secure_cookies = on.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apitest.h"

static struct apitest T;

static int setup(void **state)
{
	if (apitest_start(&T, "lockout_failures = 5\nlogin_failures_per_minute = 1000\n") != 0)
		return -1;
	return apitest_user(&T, "clerk1", "clerk", "610202-XSP");
}

static int teardown(void **state)
{
	apitest_stop(&T);
	return 0;
}

static const char *err_field(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "field"));
}

static struct client *logged(const char *user, const char *password)
{
	struct client *c = client_new(&T);
	assert_int_equal(client_login(c, user, password), 200);
	return c;
}

/* id of username as the secadmin lists it */
static int64_t user_id(struct client *sec, const char *username)
{
	json_t *j, *it;
	size_t i;
	int64_t id = 0;
	assert_int_equal(client_req(sec, "GET", "/api/users?page_size=200", NULL, NULL, &j), 200);
	json_array_foreach(json_object_get(j, "items"), i, it)
		if (strcmp(json_string_value(json_object_get(it, "username")), username) == 0)
			id = json_integer_value(json_object_get(it, "id"));
	json_decref(j);
	assert_true(id > 0);
	return id;
}

static void test_admin_accounts(void **state)
{
	struct client *sys = logged("sysadmin", APITEST_PASSWORD), *sec = logged("secadmin", APITEST_PASSWORD);
	json_t *j;
	char path[96];
	/* the sysadmin creates no account with business roles */
	assert_int_equal(client_req(sys, "POST", "/api/users", "{\"username\":\"boss2\",\"password\":\"Init-Passw0rd!\","
				    "\"roles\":[\"leader\"]}", NULL, &j), 403);
	assert_string_equal(err_field(j), "roles");
	json_decref(j);
	assert_int_equal(client_req(sys, "POST", "/api/users", "{\"username\":\"boss2\",\"password\":\"Init-Passw0rd!\"}",
				    NULL, &j), 201);
	json_decref(j);
	/* without a role the account reads no case */
	struct client *b = logged("boss2", "Init-Passw0rd!");
	assert_int_equal(client_do(b, "POST", "/api/me/password",
				   "{\"old_password\":\"Init-Passw0rd!\",\"new_password\":\"Leader-Passw0rd\"}"), 200);
	assert_int_equal(client_do(b, "GET", "/api/cases", NULL), 403);
	client_free(b);
	/* no administrator acts on another administrator's account */
	int64_t aud = user_id(sec, "auditor"), sa = user_id(sec, "secadmin"), sy = user_id(sec, "sysadmin");
	snprintf(path, sizeof path, "/api/users/%lld/password", (long long)aud);
	assert_int_equal(client_req(sec, "POST", path, "{\"password\":\"Taken-0ver-Pw!\"}", NULL, &j), 403);
	json_decref(j);
	snprintf(path, sizeof path, "/api/users/%lld/totp", (long long)aud);
	assert_int_equal(client_do(sec, "DELETE", path, NULL), 403);
	snprintf(path, sizeof path, "/api/users/%lld", (long long)aud);
	assert_int_equal(client_do(sys, "PATCH", path, "{\"active\":false}"), 403);
	snprintf(path, sizeof path, "/api/users/%lld", (long long)sa);
	assert_int_equal(client_do(sys, "PATCH", path, "{\"display_name\":\"改名\"}"), 403);
	snprintf(path, sizeof path, "/api/users/%lld/roles/sysadmin", (long long)sy);
	assert_int_equal(client_do(sec, "DELETE", path, NULL), 403);
	/* the auditor still logs in with the password it had */
	client_free(logged("auditor", APITEST_PASSWORD));
	/* who receives does not decide */
	int64_t c1 = user_id(sec, "clerk1");
	snprintf(path, sizeof path, "/api/users/%lld/roles", (long long)c1);
	assert_int_equal(client_req(sec, "POST", path, "{\"role\":\"head\"}", NULL, &j), 409);
	assert_string_equal(err_field(j), "roles");
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "clerk"));
	json_decref(j);
	/* the command line acts on administrators, audited as such */
	char out[4096];
	assert_int_equal(apitest_cli(&T, "user disable --username auditor", NULL, 0), 0);
	assert_int_equal(apitest_cli(&T, "user enable --username auditor", NULL, 0), 0);
	assert_int_equal(apitest_cli(&T, "audit verify", out, sizeof out), 0);
	client_free(sys);
	client_free(sec);
}

struct racer {
	int statuses[600];    /* index: HTTP status */
	int rounds;
};

static void *race(void *arg)
{
	struct racer *r = arg;
	struct client *c = client_new(&T);
	for (int i = 0; i < r->rounds; i++) {
		int s = client_login(c, "racer", "Init-Passw0rd!");
		r->statuses[s >= 0 && s < 600 ? s : 0]++;
	}
	client_free(c);
	return NULL;
}

/* Four clients keep logging in while the secadmin disables the account:
** it stays disabled (a login never writes back the row it read). */
static void test_disable_while_logging_in(void **state)
{
	struct client *sec = logged("secadmin", APITEST_PASSWORD);
	pthread_t th[4];
	struct racer r[4];
	char path[64];
	json_t *j;
	assert_int_equal(apitest_user(&T, "racer", "reviewer", "610200-ZJJ"), 0);
	int64_t id = user_id(sec, "racer");
	for (int i = 0; i < 4; i++) {
		memset(&r[i], 0, sizeof r[i]);
		r[i].rounds = 10;
		assert_int_equal(pthread_create(&th[i], NULL, race, &r[i]), 0);
	}
	usleep(100000);
	snprintf(path, sizeof path, "/api/users/%lld", (long long)id);
	assert_int_equal(client_do(sec, "PATCH", path, "{\"active\":false}"), 200);
	for (int i = 0; i < 4; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(r[i].statuses[200] + r[i].statuses[401] + r[i].statuses[423], 10);
	}
	assert_int_equal(client_req(sec, "GET", path, NULL, NULL, &j), 200);
	assert_true(json_is_false(json_object_get(j, "active")));
	json_decref(j);
	struct client *c = client_new(&T);
	int s = client_login(c, "racer", "Init-Passw0rd!");
	assert_true(s == 401 || s == 423);
	client_free(c);
	client_free(sec);
}

/* A password change ends the account's other sessions and keeps this one;
** a wrong old password is a failed login: five lock the account. */
static void test_password_change_and_sessions(void **state)
{
	json_t *j;
	assert_int_equal(apitest_user(&T, "twice", "reviewer", "610200-ZJJ"), 0);
	assert_int_equal(apitest_cli(&T, "user reset-password --username twice --password Reset-Passw0rd1", NULL, 0), 0);
	struct client *a = logged("twice", "Reset-Passw0rd1"), *b = logged("twice", "Reset-Passw0rd1");
	assert_int_equal(client_do(a, "POST", "/api/me/password",
				   "{\"old_password\":\"Reset-Passw0rd1\",\"new_password\":\"Changed-Passw0rd\"}"), 200);
	assert_int_equal(client_do(a, "GET", "/api/me", NULL), 200);
	assert_int_equal(client_do(b, "GET", "/api/me", NULL), 401);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(client_req(a, "POST", "/api/me/password",
					    "{\"old_password\":\"Wrong-Passw0rd\",\"new_password\":\"Other-Passw0rd\"}", NULL,
					    &j), 400);
		assert_string_equal(err_field(j), "old_password");
		json_decref(j);
	}
	assert_int_equal(client_do(a, "POST", "/api/me/password",
				   "{\"old_password\":\"Wrong-Passw0rd\",\"new_password\":\"Other-Passw0rd\"}"), 423);
	assert_int_equal(client_login(b, "twice", "Changed-Passw0rd"), 423);
	client_free(a);
	client_free(b);
	struct client *aud = logged("auditor", APITEST_PASSWORD);
	assert_int_equal(client_req(aud, "GET", "/api/audit?action=session.login&username=twice&page_size=5", NULL, NULL,
				    &j), 200);
	char *items = json_dumps(json_object_get(j, "items"), 0);
	assert_non_null(strstr(items, "wrong old password"));
	free(items);
	json_decref(j);
	client_free(aud);
}

/* Another person's phone is masked in every read, one's own is not. */
static void test_phone_masked(void **state)
{
	struct client *sec = logged("secadmin", APITEST_PASSWORD), *sys = logged("sysadmin", APITEST_PASSWORD);
	json_t *j;
	char path[64];
	assert_int_equal(client_req(sys, "POST", "/api/users", "{\"username\":\"phoney\",\"password\":\"Init-Passw0rd!\","
				    "\"phone\":\"13912345678\",\"department\":\"610200-ZJJ\"}", NULL, &j), 201);
	assert_string_equal(json_string_value(json_object_get(j, "phone")), "139****5678");
	int64_t id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	snprintf(path, sizeof path, "/api/users/%lld", (long long)id);
	assert_int_equal(client_req(sec, "GET", path, NULL, NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "phone")), "139****5678");
	json_decref(j);
	assert_int_equal(client_req(sec, "PATCH", path, "{\"display_name\":\"电话\"}", NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "phone")), "139****5678");
	json_decref(j);
	struct client *me = logged("phoney", "Init-Passw0rd!");
	assert_int_equal(client_do(me, "POST", "/api/me/password",
				   "{\"old_password\":\"Init-Passw0rd!\",\"new_password\":\"Mobile-Passw0rd\"}"), 200);
	assert_int_equal(client_req(me, "GET", "/api/me", NULL, NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "phone")), "13912345678");
	json_decref(j);
	client_free(me);
	client_free(sec);
	client_free(sys);
}

/* A name that is no account: the same answers as an account, 423 after five. */
static void test_unknown_names(void **state)
{
	struct client *c = client_new(&T);
	json_t *j1, *j2;
	assert_int_equal(apitest_user(&T, "known", "reviewer", "610200-ZJJ"), 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(client_req(c, "POST", "/api/session", "{\"username\":\"known\",\"password\":\"x\"}", NULL,
					    &j1), 401);
		assert_int_equal(client_req(c, "POST", "/api/session", "{\"username\":\"unknown\",\"password\":\"x\"}", NULL,
					    &j2), 401);
		assert_true(json_equal(j1, j2));
		json_decref(j1);
		json_decref(j2);
	}
	assert_int_equal(client_req(c, "POST", "/api/session", "{\"username\":\"known\",\"password\":\"x\"}", NULL, &j1),
			 423);
	assert_int_equal(client_req(c, "POST", "/api/session", "{\"username\":\"unknown\",\"password\":\"x\"}", NULL, &j2),
			 423);
	assert_true(json_equal(j1, j2));
	json_decref(j1);
	json_decref(j2);
	client_free(c);
}

static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	char *cookie = arg;
	if (size * n > 12 && strncasecmp(p, "Set-Cookie:", 11) == 0)
		snprintf(cookie, 512, "%.*s", (int)(size * n), p);
	return size * n;
}

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	return size * n;
}

/* The Set-Cookie line of a login to server t. */
static long login_cookie(struct apitest *t, char cookie[512])
{
	char url[128];
	long status = 0;
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	CURL *c = curl_easy_init();
	cookie[0] = 0;
	snprintf(url, sizeof url, "%s/api/session", t->base);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, "{\"username\":\"sysadmin\",\"password\":\"" APITEST_PASSWORD "\"}");
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, cookie);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	if (curl_easy_perform(c) == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_cleanup(c);
	curl_slist_free_all(h);
	return status;
}

static void test_secure_cookie(void **state)
{
	struct apitest t2;
	char cookie[512];
	assert_int_equal(login_cookie(&T, cookie), 200);
	assert_non_null(strstr(cookie, "HttpOnly"));
	assert_null(strstr(cookie, "Secure"));
	assert_int_equal(apitest_start(&t2, "[server]\nsecure_cookies = on\n"), 0);
	assert_int_equal(login_cookie(&t2, cookie), 200);
	assert_non_null(strstr(cookie, "; Secure"));
	apitest_stop(&t2);
}

/* Failed logins from one address: limited per minute, then 429 for every
** login from it (the right password too) until the minute is over. */
static void test_rate_limit(void **state)
{
	struct apitest t3;
	json_t *j;
	assert_int_equal(apitest_start(&t3, "login_failures_per_minute = 10\nlockout_failures = 100\n"), 0);
	struct client *c = client_new(&t3);
	int limited = 0, i;
	for (i = 0; i < 20 && !limited; i++)
		limited = client_login(c, "sysadmin", "Wrong-Passw0rd") == 429;
	assert_true(limited);
	assert_true(i <= 11);
	assert_int_equal(client_req(c, "POST", "/api/session", "{\"username\":\"sysadmin\",\"password\":\""
				    APITEST_PASSWORD "\"}", NULL, &j), 429);
	assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "retry after"));
	json_decref(j);
	client_free(c);
	apitest_stop(&t3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_admin_accounts),
		cmocka_unit_test(test_disable_while_logging_in),
		cmocka_unit_test(test_password_change_and_sessions),
		cmocka_unit_test(test_phone_masked),
		cmocka_unit_test(test_unknown_names),
		cmocka_unit_test(test_secure_cookie),
		cmocka_unit_test(test_rate_limit),
	};
	return cmocka_run_group_tests_name("api_hardening", tests, setup, teardown);
}
