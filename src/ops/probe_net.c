/*
** probe_net.c: network and interfaces (网络巡检, 接口监控, 前置库巡检): each
** endpoint of [inspect] endpoints is reached over TCP or HTTP(S) with its
** latency and status, and HTTPS certificates are checked for expiry. The
** 前置库 is inspected by the exchange module's items (exchange.target …,
** registered from above in cli_ext_exchange.c).
*/
#include "ops/probe.h"
#include "base/clock.h"

#include <stdio.h>
#include <string.h>

static void reach(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r,
		  const char *url, const char *what)
{
	struct ops_http h;
	ops_http_get(url, env->cf->probe_timeout_ms, env->cf->ca_file, 0, &h);
	if (!h.reached) {
		if (h.timed_out) {
			r->has_value = 1;
			r->value = h.ms;
		}
		probe_status(r, OPS_CRIT, "%s %s %s：%s", what, url, h.timed_out ? "超时" : "不可达", h.error);
		return;
	}
	if (h.status >= 500) {
		r->has_value = 1;
		r->value = h.ms;
		probe_status(r, OPS_CRIT, "%s %s 返回 HTTP %ld（%.0f ms）", what, url, h.status, h.ms);
		return;
	}
	if (strncmp(url, "tcp://", 6) == 0)
		probe_value(env, d, r, h.ms, "%s %s 可连接，%.1f ms", what, url, h.ms);
	else
		probe_value(env, d, r, h.ms, "%s %s 返回 HTTP %ld，%.1f ms", what, url, h.status, h.ms);
}

void probe_endpoint(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	reach(env, d, r, d->target, "接口");
}

void probe_endpoint_cert(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	struct ops_http h;
	char when[20];
	ops_http_get(d->target, env->cf->probe_timeout_ms, env->cf->ca_file, 0, &h);
	if (!h.reached) {
		if (h.tls_failed)
			probe_status(r, OPS_CRIT, "%s 证书验证失败（过期、域名不符或 CA 未配置 [inspect] ca_file）：%s",
				     d->target, h.error);
		else
			probe_status(r, h.timed_out ? OPS_CRIT : OPS_UNKNOWN, "%s %s，证书未能检查：%s", d->target,
				     h.timed_out ? "超时" : "不可达", h.error);
		return;
	}
	if (!h.cert_expiry) {
		probe_status(r, OPS_UNKNOWN, "%s 未返回证书信息", d->target);
		return;
	}
	double days = (h.cert_expiry - env->now) / 86400.0;
	probe_value(env, d, r, days, "%s 证书 %s 到期，剩余 %.0f 天", d->target, clock_cn_datetime(h.cert_expiry, when),
		    days);
}

