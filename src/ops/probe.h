/*
** probe.h: inside the inspection module (not for other modules). The table
** of built-in items, the helpers probes share to grade a value against its
** thresholds, and the network primitives (HTTP(S) through libcurl, TCP
** connect, SNTP) the app, net and clock probes use.
**
** A probe fills one struct ops_result for its item; it never throws away a
** measurement: when it cannot measure it says why with UNKNOWN, when the
** thing measured is down or too slow it says CRIT.
*/
#ifndef GG_OPS_PROBE_H
#define GG_OPS_PROBE_H

#include <stddef.h>

#include "ops/ops.h"

struct ops_item_def;
typedef void (*ops_probe_fn)(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r);

struct ops_item_def {
	const char *name;         /* "host.disk.data"                                   */
	const char *group;        /* host app db logs net                               */
	const char *title;        /* 中文名称                                             */
	const char *unit;
	int lower_bad;            /* 1: a value below the threshold is bad (free memory) */
	double warn, crit;        /* defaults, NAN: none                                 */
	ops_probe_fn fn;
	const char *target;       /* endpoint URL for net.* items, else NULL             */
	const struct ops_ext_item *ext; /* an item registered from above (ops.h), else NULL */
};

/* The built-in items, ending with {NULL}. */
extern const struct ops_item_def ops_builtin_items[];

/* All items of cf: the built-in ones and one (two for https) per endpoint.
** *n set; the array is malloc'd (free it); endpoint names point into cf. */
struct ops_item_def *ops_item_defs(const struct ops_conf *cf, int *n);
const struct ops_item_def *ops_builtin_find(const char *name);
/* The item definition of an item registered from above (ext.c). */
struct ops_item_def ops_ext_def(const struct ops_ext_item *it);

/* The threshold in force: [inspect] <item>.<which> or the default. "none"
** disables it (NAN). */
double ops_threshold(const struct ops_conf *cf, const struct ops_item_def *d, const char *which);

/* Fill r from a measured value: status from the thresholds, message from fmt. */
void probe_value(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r,
		 double value, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Set status and message without grading (down, timeout, could not run). */
void probe_status(struct ops_result *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Grade value against warn/crit in the direction of d. */
int probe_grade(const struct ops_item_def *d, double value, double warn, double crit);

/* ---- host, app, db, net probes (probe_*.c) ------------------------------------ */
void probe_load(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_memory(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_disk_data(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_disk_log(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_uptime(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_fds(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_clock(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_app_health(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_app_errors(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_app_p99(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_app_threads(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_app_scheduler(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_calendar(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_db_check(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_db_size(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_db_wal(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_db_free(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_db_backup_age(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_db_growth(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_cases_stuck(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_logs_size(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_logs_expired(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_tmp_expired(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_os_updates(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_lib_versions(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_av_signatures(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_db_drill_age(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_endpoint(struct ops_env *, const struct ops_item_def *, struct ops_result *);
void probe_endpoint_cert(struct ops_env *, const struct ops_item_def *, struct ops_result *);

/* ---- network primitives (net.c) -------------------------------------------------- */

struct ops_http {
	int reached;              /* a connection was made (and TLS agreed)       */
	int timed_out;
	int tls_failed;           /* the certificate did not verify               */
	long status;              /* HTTP status, 0 when none                      */
	double ms;                /* total time                                    */
	int64_t cert_expiry;      /* notAfter of the server certificate, 0: none   */
	char error[200];          /* libcurl's message when not reached            */
	char *body;               /* when asked for: malloc'd, NUL-terminated      */
	size_t body_len;
};

/* GET url (http, https) or connect only (tcp://host:port). Never fails: the
** outcome is in out; free out->body. */
void ops_http_get(const char *url, int timeout_ms, const char *ca_file, int want_body,
		  struct ops_http *out);
/* SNTP query: offset of the local clock from server (ms, positive = local
** ahead). 0 or -1 with msg set (timeout: *timed_out = 1). */
int ops_ntp_offset(const char *server, int timeout_ms, double *offset_ms, int *timed_out,
		   char *msg, size_t cap);

#endif
