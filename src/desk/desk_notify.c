/*
** desk_notify.c: the webhook of [desk] webhook_url. Changes to tickets put
** their JSON event into desk_outbox in their own transaction; this sender
** (run by the scheduler, or `gonggai desk notify`) POSTs the due ones with
** libcurl and the configured timeout. A failed delivery is logged and
** retried after 30 s, 60 s, 120 s ... until webhook_attempts, then marked
** failed. A bureau points the URL at its SMS or WeChat gateway.
*/
#include "desk/desk.h"
#include "base/log.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#define BATCH 50

static size_t discard(char *p, size_t size, size_t n, void *arg)
{
	return size * n;
}

/* POST body; 0 on a 2xx answer, else the reason in err (cap bytes). */
static int post(const struct desk_conf *cf, const char *body, char *err, size_t cap)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	long status = 0;
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(err, cap, "curl_easy_init failed");
		return -1;
	}
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json; charset=utf-8");
	curl_easy_setopt(c, CURLOPT_URL, cf->webhook_url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)cf->webhook_timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "gonggai-desk");
	CURLcode rc = curl_easy_perform(c);
	if (rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (rc != CURLE_OK) {
		snprintf(err, cap, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
		return -1;
	}
	if (status < 200 || status > 299) {
		snprintf(err, cap, "HTTP %ld", status);
		return -1;
	}
	return 0;
}

static int deliver(struct store *st, const struct desk_conf *cf, int64_t now, const json_t *row, int *sent,
		   int *failed, struct err *e)
{
	char why[CURL_ERROR_SIZE + 32] = "";
	int64_t id = json_integer_value(json_object_get(row, "id"));
	int attempts = (int)json_integer_value(json_object_get(row, "attempts")) + 1;
	if (post(cf, json_string_value(json_object_get(row, "body")), why, sizeof why) == 0) {
		(*sent)++;
		return store_desk_outbox_mark(st, id, "sent", attempts, now, now, "", e);
	}
	int give_up = attempts >= cf->webhook_attempts;
	log_warn("desk", "webhook delivery %lld attempt %d/%d failed: %s%s", (long long)id, attempts,
		 cf->webhook_attempts, why, give_up ? " (giving up)" : "");
	*failed += give_up;
	return store_desk_outbox_mark(st, id, give_up ? "failed" : "pending", attempts,
				      now + (30LL << (attempts - 1 < 10 ? attempts - 1 : 10)), now, why, e);
}

int desk_notify_flush(struct store *st, const struct desk_conf *cf, int64_t now, int *sent, int *failed,
		      struct err *e)
{
	json_t *rows;
	size_t i;
	const json_t *row;
	*sent = *failed = 0;
	if (!cf->webhook_url[0])
		return 0;
	if (store_desk_outbox_due(st, now, BATCH, &rows, e))
		return e->code;
	json_array_foreach(rows, i, row)
		if (deliver(st, cf, now, row, sent, failed, e)) {
			json_decref(rows);
			return e->code;
		}
	json_decref(rows);
	return 0;
}
