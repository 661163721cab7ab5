/*
** net.c: network primitives of the probes (see probe.h): one libcurl easy
** handle per probe (a fresh connection, so TLS and its certificate are
** really checked each time), TCP connect-only through the same path, and a
** minimal SNTP client (RFC 4330) for the clock offset.
**
** curl_global_init must have run before the first probe (the verbs and the
** scheduler do it at start, before any other thread uses libcurl).
*/
#include "ops/probe.h"

#include <curl/curl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#define MAX_BODY (4 * 1024 * 1024)

static size_t on_body(char *p, size_t sz, size_t n, void *arg)
{
	struct ops_http *o = arg;
	size_t len = sz * n;
	if (o->body_len + len > MAX_BODY)
		return 0;
	char *b = realloc(o->body, o->body_len + len + 1);
	if (!b)
		return 0;
	memcpy(b + o->body_len, p, len);
	o->body = b;
	o->body_len += len;
	b[o->body_len] = 0;
	return len;
}

static size_t discard(char *p, size_t sz, size_t n, void *arg)
{
	return sz * n;
}

/* "Expire date" of the first certificate: "Mar 15 12:00:00 2027 GMT" (OpenSSL)
** or "2027-03-15 12:00:00 GMT". */
static int64_t cert_expiry(CURL *c)
{
	struct curl_certinfo *ci = NULL;
	if (curl_easy_getinfo(c, CURLINFO_CERTINFO, &ci) != CURLE_OK || !ci || ci->num_of_certs < 1)
		return 0;
	for (struct curl_slist *s = ci->certinfo[0]; s; s = s->next) {
		if (strncmp(s->data, "Expire date:", 12) != 0)
			continue;
		struct tm tm = {0};
		const char *v = s->data + 12;
		if (strptime(v, "%b %d %H:%M:%S %Y", &tm) || strptime(v, "%Y-%m-%d %H:%M:%S", &tm))
			return (int64_t)timegm(&tm);
	}
	return 0;
}

void ops_http_get(const char *url, int timeout_ms, const char *ca_file, int want_body,
		  struct ops_http *out)
{
	memset(out, 0, sizeof *out);
	CURL *c = curl_easy_init();
	if (!c) {
		snprintf(out->error, sizeof out->error, "curl_easy_init failed");
		return;
	}
	char buf[300], errbuf[CURL_ERROR_SIZE] = "";
	int tcp = strncmp(url, "tcp://", 6) == 0;
	if (tcp)
		snprintf(buf, sizeof buf, "http://%s/", url + 6);
	curl_easy_setopt(c, CURLOPT_URL, tcp ? buf : url);
	curl_easy_setopt(c, CURLOPT_CONNECT_ONLY, (long)tcp);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "gonggai-inspect/" GG_VERSION);
	curl_easy_setopt(c, CURLOPT_FRESH_CONNECT, 1L);
	curl_easy_setopt(c, CURLOPT_CERTINFO, 1L);
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	if (ca_file && *ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, ca_file);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, want_body ? on_body : discard);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
	CURLcode rc = curl_easy_perform(c);
	double secs = 0;
	curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &secs);
	out->ms = secs * 1e3;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
	if (rc == CURLE_OK) {
		out->reached = 1;
		out->cert_expiry = cert_expiry(c);
	} else {
		out->timed_out = rc == CURLE_OPERATION_TIMEDOUT;
		out->tls_failed = rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE;
		snprintf(out->error, sizeof out->error, "%s", errbuf[0] ? errbuf : curl_easy_strerror(rc));
	}
	curl_easy_cleanup(c);
}

/* ---- SNTP ------------------------------------------------------------------------- */

#define NTP_UNIX_DELTA 2208988800.0

static double ntp_time(const unsigned char *p)
{
	unsigned long sec = (unsigned long)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
	unsigned long frac = (unsigned long)p[4] << 24 | p[5] << 16 | p[6] << 8 | p[7];
	return sec - NTP_UNIX_DELTA + frac / 4294967296.0;
}

static double wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int ntp_socket(const char *server, char *msg, size_t cap)
{
	char host[128], *port = "123";
	snprintf(host, sizeof host, "%s", server);
	char *colon = strrchr(host, ':');
	if (colon && !strchr(colon + 1, ']')) {
		*colon = 0;
		port = colon + 1;
	}
	struct addrinfo hints = {.ai_socktype = SOCK_DGRAM}, *ai;
	int rc = getaddrinfo(host, port, &hints, &ai);
	if (rc) {
		snprintf(msg, cap, "%s: %s", host, gai_strerror(rc));
		return -1;
	}
	int fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
		close(fd);
		fd = -1;
	}
	if (fd < 0)
		snprintf(msg, cap, "%s: cannot connect", server);
	freeaddrinfo(ai);
	return fd;
}

int ops_ntp_offset(const char *server, int timeout_ms, double *offset_ms, int *timed_out,
		   char *msg, size_t cap)
{
	unsigned char pkt[48] = {0x23};   /* LI 0, version 4, mode 3 (client) */
	*timed_out = 0;
	int fd = ntp_socket(server, msg, cap);
	if (fd < 0)
		return -1;
	double t1 = wall_now();
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	int ok = send(fd, pkt, sizeof pkt, 0) == sizeof pkt && poll(&pfd, 1, timeout_ms) == 1 &&
		 recv(fd, pkt, sizeof pkt, 0) == sizeof pkt;
	double t4 = wall_now();
	close(fd);
	if (!ok) {
		*timed_out = 1;
		snprintf(msg, cap, "%s: 无应答 (no answer within %d ms)", server, timeout_ms);
		return -1;
	}
	if ((pkt[0] & 7) != 4 || pkt[1] == 0) {
		snprintf(msg, cap, "%s: 无效应答 (not a server reply or kiss-of-death)", server);
		return -1;
	}
	double t2 = ntp_time(pkt + 32), t3 = ntp_time(pkt + 40);
	/* offset of the server from us; we report ours from it */
	*offset_ms = -(((t2 - t1) + (t3 - t4)) / 2) * 1e3;
	return 0;
}
