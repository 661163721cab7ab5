/*
** desk_notify.c: the webhook of [desk] webhook_url. Changes to tickets put
** their JSON event into desk_outbox in their own transaction; this sender
** (run by the scheduler, or `gonggai desk notify`) POSTs the due ones with
** libcurl and the configured timeout; `serve` runs it every interval_s,
** after the SLA sweep (desk_sweep.c), on a thread of its own with its own
** connection. A failed delivery is logged and
** retried after 30 s, 60 s, 120 s ... until webhook_attempts, then marked
** failed. A bureau points the URL at its SMS or WeChat gateway.
*/
#include "desk/desk.h"
#include "base/clock.h"
#include "base/log.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* ---- the desk worker of `serve`: SLA sweep and webhook deliveries ------------------------------------------------------- */

struct desk_sender {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
	struct store *st;
	struct desk_conf cf;
};

static void *sender_main(void *arg)
{
	struct desk_sender *s = arg;
	pthread_mutex_lock(&s->mu);
	while (!s->stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += s->cf.interval_s;
		pthread_mutex_unlock(&s->mu);
		int sent, failed, recorded;
		struct err e = {0};
		int64_t now = clock_now(NULL);
		if (desk_sla_sweep(s->st, &s->cf, now, &recorded, &e))
			log_error("desk", "SLA sweep: %s", e.msg);
		else if (recorded)
			log_info("desk", "SLA sweep: %d warning(s) or breach(es) recorded", recorded);
		if (desk_notify_flush(s->st, &s->cf, now, &sent, &failed, &e))
			log_error("desk", "webhook sender: %s", e.msg);
		else if (sent)
			log_info("desk", "webhook: %d event(s) delivered", sent);
		pthread_mutex_lock(&s->mu);
		while (!s->stop && pthread_cond_timedwait(&s->cv, &s->mu, &until) == 0)
			;
	}
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

int desk_sender_start(const char *db_path, const struct desk_conf *cf, struct desk_sender **out, struct err *e)
{
	*out = NULL;
	struct desk_sender *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	s->cf = *cf;
	if (store_open(db_path, 0, &s->st, e)) {
		free(s);
		return e->code;
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	if (pthread_create(&s->thread, NULL, sender_main, s) != 0) {
		store_close(s->st);
		free(s);
		return err_set(e, ERR_INTERNAL, "", "cannot start the desk worker thread");
	}
	*out = s;
	return 0;
}

void desk_sender_stop(struct desk_sender *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_cond_signal(&s->cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	store_close(s->st);
	free(s);
}
