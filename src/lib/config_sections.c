/*
 * Copyright (c) 2026 The Lorgnette authors
 *
 * Permission to use, copy, modify, and distribute this software for any
 * purpose with or without fee is hereby granted, provided that the above
 * copyright notice and this permission notice appear in all copies.
 *
 * THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES
 * WITH REGARD TO THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF
 * MERCHANTABILITY AND FITNESS. IN NO EVENT SHALL THE AUTHOR BE LIABLE FOR
 * ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR ANY DAMAGES
 * WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN
 * ACTION OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF
 * OR IN CONNECTION WITH THE USE OR PERFORMANCE OF THIS SOFTWARE.
 */

/*
 * The broker, web, policy and log sections of lorgnette.conf: their
 * defaults, their key tables and the parsers of values that are more than
 * a scalar (per-query-type rates, cache lifetimes and deadlines, TLS; the
 * address lists are config_addrs.c's).  Driven by config.c; every key is a row
 * below and is documented in conf/lorgnette.conf.example.
 */

#include <sys/socket.h>

#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "lg.h"
#include "config_int.h"

#ifndef LG_SYSCONFDIR
#define LG_SYSCONFDIR		"/etc"
#endif
#ifndef LG_PREFIX
#define LG_PREFIX		"/usr/local"
#endif

#define CONFIG_VRFS_MAX		256
#define CONFIG_RATE_MAX		1000000
/*
 * web.challenge.bits by default: about a second of work in a phone's
 * browser (README.md, "Proof of work", has the measurements).
 */
#define CONFIG_CHALLENGE_BITS	16
/* web.staff defaults: staff's rates are this many times the public's. */
#define CONFIG_STAFF_RATE	10
#define CONFIG_STAFF_INFLIGHT	32	/* max_inflight_client */
#define CONFIG_STAFF_RUNTIME	300	/* runtime_max, s */

static CONFIG_PARSER(config_parse_deadlines);
static CONFIG_PARSER(config_parse_local_max);

/* broker.local_max of a type it does not name (traceroute 2, mtr 1). */
#define CONFIG_LOCAL_MAX	4
/* broker.local_probes: packets a second from this host, over 10 s. */
#define CONFIG_LOCAL_PROBES	100
static CONFIG_PARSER(config_parse_rates);
static CONFIG_PARSER(config_parse_cache);
static CONFIG_PARSER(config_parse_vrfs);
static CONFIG_PARSER(config_parse_tls);
static CONFIG_PARSER(config_parse_challenge);
static CONFIG_PARSER(config_parse_results);
static CONFIG_PARSER(config_parse_store);
static CONFIG_PARSER(config_parse_auth);
static CONFIG_PARSER(config_parse_staff);
static CONFIG_PARSER(config_parse_header);
static CONFIG_PARSER(config_parse_rate);
static CONFIG_PARSER(config_parse_level);

#define C(k, fn, m)	CONFIG_KEY(struct lg_config, k, fn, m)
#define MIB		(1024LL * 1024)

static const struct config_key broker_keys[] = {
	{ C("socket", config_parse_path, broker.socket) },
	{ C("admin_socket", config_parse_path, broker.admin_socket) },
	{ C("drivers", config_parse_path, broker.drivers) },
	{ C("credentials", config_parse_path, broker.credentials) },
	{ C("known_hosts", config_parse_path, broker.known_hosts) },
	{ C("socket_group", config_parse_name, broker.socket_group) },
	{ C("user", config_parse_name, broker.user) },
	{ C("connect_timeout", config_parse_uint, broker.connect_timeout),
	    .min = 1, .max = 600 },
	{ C("idle_timeout", config_parse_uint, broker.idle_timeout),
	    .min = 1, .max = 86400 },
	{ C("keepalive", config_parse_uint, broker.keepalive),
	    .min = 0, .max = 86400 },
	{ C("queue", config_parse_uint, broker.queue), .min = 0, .max = 10000 },
	{ C("output_cap", config_parse_size, broker.output_cap),
	    .min = 65536, .max = 1024 * MIB },
	{ C("parse_max_prefixes", config_parse_uint, broker.parse_max_prefixes),
	    .min = 1, .max = 1000000 },
	{ C("deadlines", config_parse_deadlines, broker.deadline_ms),
	    .min = 1, .max = 3600 },
	{ C("breaker_failures", config_parse_uint, broker.breaker_failures),
	    .min = 1, .max = 1000 },
	{ C("breaker_probe", config_parse_uint, broker.breaker_probe),
	    .min = 1, .max = 86400 },
	{ C("audit_log", config_parse_path, broker.audit_log) },
	{ C("local_max", config_parse_local_max, broker.local_max),
	    .min = 1, .max = 64 },
	{ C("local_probes", config_parse_uint, broker.local_probes),
	    .min = 0, .max = 100000 },
	{ C("listen_tls", config_parse_listen_tls, broker.listen_tls) },
	{ .name = NULL }
};

static const struct config_key tls_keys[] = {
	{ C("certificate", config_parse_path, web.tls_certificate),
	    .required = 1 },
	{ C("key", config_parse_path, web.tls_key), .required = 1 },
	{ .name = NULL }
};

/* web.challenge: the proof of work asked past the soft limit. */
static const struct config_key challenge_keys[] = {
	{ C("soft", config_parse_rate, web.challenge.soft) },
	{ C("bits", config_parse_uint, web.challenge.bits),
	    .min = 1, .max = 32 },
	{ C("ttl", config_parse_uint, web.challenge.ttl),
	    .min = 5, .max = 3600 },
	{ C("key_file", config_parse_path, web.challenge.key_file),
	    .required = 1 },
	{ .name = NULL }
};

/* web.results: stored answers (results.c). */
static const struct config_key results_keys[] = {
	{ C("path", config_parse_path, web.results.path) },
	{ C("retention", config_parse_uint, web.results.retention),
	    .min = 1, .max = 10 * 366 * 86400 },
	{ C("max_mb", config_parse_uint, web.results.max_mb),
	    .min = 1, .max = 1024 * 1024 },
	{ .name = NULL }
};

/* web.auth: how staff sign in (lgwebd's audience.c). */
static const struct config_key auth_keys[] = {
	{ C("user_header", config_parse_header, web.auth.user_header) },
	{ C("tokens", config_parse_path, web.auth.tokens) },
	{ .name = NULL }
};

/* web.staff: staff's own limits, in place of the public's. */
static const struct config_key staff_keys[] = {
	{ C("rate", config_parse_rates, web.staff.rate) },
	{ C("max_inflight_client", config_parse_uint,
	    web.staff.max_inflight_client), .min = 1, .max = 100000 },
	{ C("runtime_max", config_parse_uint, web.staff.runtime_max),
	    .min = 1, .max = 3600 },
	{ .name = NULL }
};

static const struct config_key web_keys[] = {
	{ C("listen", config_parse_listen, web.listen) },
	{ C("www", config_parse_path, web.www) },
	{ C("title", config_parse_str, web.title) },
	{ C("logo", config_parse_str, web.logo) },
	{ C("footer", config_parse_text, web.footer) },
	{ C("disclaimer", config_parse_text, web.disclaimer) },
	{ C("trusted_proxies", config_parse_proxies, web.trusted_proxies) },
	{ C("rate", config_parse_rates, web.rate) },
	{ C("cache", config_parse_cache, web.cache_ttl),
	    .min = 0, .max = 86400 },
	{ C("cache_entries", config_parse_size, web.cache_entries),
	    .min = 0, .max = 10000000 },
	{ C("cache_bytes", config_parse_size, web.cache_bytes),
	    .min = 0, .max = 16384 * MIB },
	{ C("max_inflight", config_parse_uint, web.max_inflight),
	    .min = 1, .max = 100000 },
	{ C("max_inflight_client", config_parse_uint,
	    web.max_inflight_client), .min = 1, .max = 100000 },
	{ C("max_connections", config_parse_uint, web.max_connections),
	    .min = 1, .max = 1000000 },
	{ C("connection_timeout", config_parse_uint, web.connection_timeout),
	    .min = 1, .max = 3600 },
	{ C("runtime_max", config_parse_uint, web.runtime_max),
	    .min = 1, .max = 3600 },
	{ C("max_routers", config_parse_uint, web.max_routers),
	    .min = 1, .max = LG_QUERY_ROUTERS_MAX },
	{ C("vrfs", config_parse_vrfs, web.vrfs) },
	{ C("tls", config_parse_tls, web.tls_certificate) },
	{ C("user", config_parse_name, web.user) },
	{ C("access_log", config_parse_path, web.access_log) },
	{ C("rfc8522", config_parse_bool, web.rfc8522) },
	{ C("challenge", config_parse_challenge, web.challenge) },
	{ C("results", config_parse_results, web.results) },
	{ C("store", config_parse_store, web.store) },
	{ C("store_password_file", config_parse_path,
	    web.store.password_file) },
	{ C("store_timeout_ms", config_parse_uint, web.store.timeout_ms),
	    .min = 10, .max = 10000 },
	{ C("brokers", config_parse_brokers, web.brokers) },
	{ C("staff_queries", config_parse_qmask, web.staff_queries) },
	{ C("auth", config_parse_auth, web.auth) },
	{ C("staff", config_parse_staff, web.staff) },
	{ .name = NULL }
};

static const struct config_key policy_keys[] = {
	{ C("forbidden", config_parse_forbidden, policy.forbidden) },
	{ C("min_prefix4", config_parse_int, policy.min_prefix4),
	    .min = 0, .max = 32 },
	{ C("min_prefix6", config_parse_int, policy.min_prefix6),
	    .min = 0, .max = 128 },
	{ C("queries", config_parse_qmask, policy.queries) },
	{ C("resolve", config_parse_bool, policy.resolve) },
	{ .name = NULL }
};

static const struct config_key log_keys[] = {
	{ C("level", config_parse_level, log_level) },
	{ .name = NULL }
};

/* Rates are "N/unit"; "0" is unlimited. */
static const struct {
	const char	*unit;
	unsigned int	 seconds;
} rate_units[] = {
	{ "sec", 1 }, { "second", 1 }, { "s", 1 },
	{ "min", 60 }, { "minute", 60 }, { "m", 60 },
	{ "hour", 3600 }, { "h", 3600 },
	{ NULL, 0 }
};

void
config_sections_defaults(struct lg_config *conf)
{
	unsigned int	 i;

	lg_strlcpy(conf->broker.socket, "/run/lorgnette/broker.sock",
	    sizeof(conf->broker.socket));
	lg_strlcpy(conf->broker.admin_socket, CONFIG_ADMIN_SOCKET,
	    sizeof(conf->broker.admin_socket));
	lg_strlcpy(conf->broker.drivers, LG_PREFIX "/share/lorgnette/drivers",
	    sizeof(conf->broker.drivers));
	lg_strlcpy(conf->broker.credentials,
	    LG_SYSCONFDIR "/lorgnette/credentials.conf",
	    sizeof(conf->broker.credentials));
	lg_strlcpy(conf->broker.known_hosts,
	    LG_SYSCONFDIR "/lorgnette/known_hosts",
	    sizeof(conf->broker.known_hosts));
	conf->broker.connect_timeout = 10;
	conf->broker.idle_timeout = 300;
	conf->broker.keepalive = 60;
	conf->broker.queue = 16;
	conf->broker.output_cap = 32 * 1024 * 1024;
	conf->broker.parse_max_prefixes = 10000;
	conf->broker.breaker_failures = 5;
	conf->broker.breaker_probe = 30;

	conf->web.listen = xcalloc(1, sizeof(*conf->web.listen));
	conf->web.listen[0] = xstrdup("127.0.0.1:8080");
	conf->web.nlisten = 1;
	lg_strlcpy(conf->web.www, LG_PREFIX "/share/lorgnette/www",
	    sizeof(conf->web.www));
	lg_strlcpy(conf->web.title, "Looking glass", sizeof(conf->web.title));
	conf->web.cache_entries = 4096;
	conf->web.cache_bytes = 64 * 1024 * 1024;
	conf->web.max_inflight = 64;
	conf->web.max_inflight_client = 20;	/* one web.max_routers query */
	conf->web.max_connections = 1024;
	conf->web.connection_timeout = 30;
	conf->web.runtime_max = 120;
	conf->web.max_routers = 20;
	conf->web.rfc8522 = 1;
	conf->web.challenge.soft.tokens = 20;
	conf->web.challenge.soft.period = 60;
	conf->web.challenge.bits = CONFIG_CHALLENGE_BITS;
	conf->web.challenge.ttl = 120;
	lg_strlcpy(conf->web.results.path, "/var/lib/lorgnette-web/results.db",
	    sizeof(conf->web.results.path));
	conf->web.results.retention = 30 * 86400;
	conf->web.results.max_mb = 256;
	conf->web.store.timeout_ms = 250;
	conf->web.staff_queries = Q_MASK(Q_BGP_NEIGHBORS) |
	    Q_MASK(Q_BGP_NEIGHBOR_RECEIVED) | Q_MASK(Q_BGP_NEIGHBOR_ADVERTISED);
	conf->web.staff.max_inflight_client = CONFIG_STAFF_INFLIGHT;
	conf->web.staff.runtime_max = CONFIG_STAFF_RUNTIME;

	for (i = 0; i < Q_COUNT; i++) {
		conf->broker.deadline_ms[i] =
		    query_info((enum lg_query_type)i)->deadline_ms;
		conf->web.cache_ttl[i] =
		    query_info((enum lg_query_type)i)->cache_ttl;
		/* Never unlimited by omission: "0" says so explicitly. */
		conf->web.rate[i].tokens =
		    query_info((enum lg_query_type)i)->rate_per_min;
		conf->web.rate[i].period = 60;
		conf->web.staff.rate[i].tokens = CONFIG_STAFF_RATE *
		    query_info((enum lg_query_type)i)->rate_per_min;
		conf->web.staff.rate[i].period = 60;
		conf->broker.local_max[i] = CONFIG_LOCAL_MAX;
	}
	conf->broker.local_probes = CONFIG_LOCAL_PROBES;
	conf->broker.local_max[Q_TRACEROUTE] = 2;
	conf->broker.local_max[Q_MTR] = 1;

	if (policy_init_defaults(&conf->policy) == -1)
		fatalx("%s: out of memory", __func__);
	conf->log_level = LOG_LEVEL_INFO;
}

void
config_sections_free(struct lg_config *conf)
{
	config_strv_free(conf->web.listen, conf->web.nlisten);
	conf->web.listen = NULL;
	conf->web.nlisten = 0;
	config_tls_free(conf);
	config_strv_free(conf->web.vrfs, conf->web.nvrfs);
	conf->web.vrfs = NULL;
	conf->web.nvrfs = 0;
	free(conf->web.trusted_proxies);
	conf->web.trusted_proxies = NULL;
	conf->web.ntrusted_proxies = 0;
	policy_free(&conf->policy);
}

int
config_section_broker(struct config_ctx *ctx, const config_setting_t *s)
{
	return config_group(ctx, s, broker_keys, ctx->conf);
}

int
config_section_web(struct config_ctx *ctx, const config_setting_t *s)
{
	return config_group(ctx, s, web_keys, ctx->conf);
}

int
config_section_policy(struct config_ctx *ctx, const config_setting_t *s)
{
	return config_group(ctx, s, policy_keys, ctx->conf);
}

int
config_section_log(struct config_ctx *ctx, const config_setting_t *s)
{
	return config_group(ctx, s, log_keys, ctx->conf);
}

/*
 * Nested groups name their keys "web.rate.ping": enter() extends where
 * and returns the old length for leave().
 */
static size_t
config_enter(struct config_ctx *ctx, const char *name)
{
	size_t		 len = strlen(ctx->where);

	snprintf(ctx->where + len, sizeof(ctx->where) - len, "%s%s",
	    ctx->sep, name);
	return len;
}

static void
config_leave(struct config_ctx *ctx, size_t len)
{
	ctx->where[len] = '\0';
}

/*
 * A group whose keys are query types and whose values are seconds within
 * the key's range, stored multiplied by mult into an array of Q_COUNT.
 */
static int
config_qseconds(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, unsigned int *dst, unsigned int mult)
{
	const config_setting_t	*e;
	enum lg_query_type	 q;
	long long		 v;
	size_t			 saved;
	int			 i, len, bad = 0;

	if (config_expect(ctx, s, CONFIG_TYPE_GROUP) == -1)
		return -1;
	saved = config_enter(ctx, k->name);
	len = config_setting_length(s);
	for (i = 0; i < len; i++) {
		e = config_setting_get_elem(s, (unsigned int)i);
		if (config_query_key(ctx, e, &q) == -1 ||
		    config_long_long(ctx, e, k->min, k->max, &v) == -1) {
			bad = 1;
			continue;
		}
		dst[q] = (unsigned int)v * mult;
	}
	config_leave(ctx, saved);
	return bad ? -1 : 0;
}

static int
config_parse_deadlines(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	return config_qseconds(ctx, k, s, dst, 1000);
}

/* Commands of transport local running at once, per query type. */
static int
config_parse_local_max(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	return config_qseconds(ctx, k, s, dst, 1);
}

static int
config_parse_cache(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	return config_qseconds(ctx, k, s, dst, 1);
}

/*
 * Walks a list of strings, calling check on each; reports non-strings and
 * lists longer than max.  Returns the number of elements, or -1.
 */
int
config_strlist(struct config_ctx *ctx, const config_setting_t *s, int max,
    int (*check)(struct config_ctx *, const config_setting_t *,
    const char *, int, void *), void *arg)
{
	const config_setting_t	*e;
	int			 i, len, bad = 0;

	if (config_expect(ctx, s, CONFIG_TYPE_LIST) == -1)
		return -1;
	if ((len = config_setting_length(s)) > max) {
		config_err(ctx, s, "too many entries (%d, at most %d)", len,
		    max);
		return -1;
	}
	for (i = 0; i < len; i++) {
		e = config_setting_get_elem(s, (unsigned int)i);
		if (config_expect(ctx, e, CONFIG_TYPE_STRING) == -1 ||
		    check(ctx, e, config_setting_get_string(e), i, arg) == -1)
			bad = 1;
	}
	return bad ? -1 : len;
}

/*
 * A list of at most max strings, each checked and copied by one(), that
 * replaces *list and *nlist.  Returns 0, or -1 leaving them as they were.
 */
int
config_strings(struct config_ctx *ctx, const config_setting_t *s, int max,
    int (*one)(struct config_ctx *, const config_setting_t *, const char *,
    int, void *), char ***list, size_t *nlist)
{
	char		**v;
	int		  n;

	v = xcalloc((size_t)max, sizeof(*v));
	if ((n = config_strlist(ctx, s, max, one, v)) == -1) {
		config_strv_free(v, (size_t)max);
		return -1;
	}
	config_strv_free(*list, *nlist);
	*list = v;
	*nlist = (size_t)n;
	return 0;
}

/* "N/unit" or "0"; returns 0 and fills r, or -1. */
static int
config_rate_parse(const char *v, struct lg_rate *r)
{
	unsigned long	 n = 0;
	size_t		 digits, i;

	if (strcmp(v, "0") == 0) {
		r->tokens = 0;
		r->period = 1;
		return 0;
	}
	if ((digits = strspn(v, "0123456789")) == 0 || digits > 7 ||
	    v[0] == '0' || v[digits] != '/')
		return -1;
	for (i = 0; i < digits; i++)
		n = n * 10 + (unsigned long)(v[i] - '0');
	if (n > CONFIG_RATE_MAX)
		return -1;
	for (i = 0; rate_units[i].unit != NULL; i++)
		if (strcmp(v + digits + 1, rate_units[i].unit) == 0) {
			r->tokens = (unsigned int)n;
			r->period = rate_units[i].seconds;
			return 0;
		}
	return -1;
}

static int
config_parse_rates(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct lg_rate		*rates = dst;
	const config_setting_t	*e;
	char			 shown[LG_NAME_MAX];
	enum lg_query_type	 q;
	size_t			 saved;
	int			 i, len, bad = 0;

	if (config_expect(ctx, s, CONFIG_TYPE_GROUP) == -1)
		return -1;
	saved = config_enter(ctx, k->name);
	len = config_setting_length(s);
	for (i = 0; i < len; i++) {
		e = config_setting_get_elem(s, (unsigned int)i);
		if (config_query_key(ctx, e, &q) == -1 ||
		    config_expect(ctx, e, CONFIG_TYPE_STRING) == -1) {
			bad = 1;
			continue;
		}
		if (config_rate_parse(config_setting_get_string(e),
		    &rates[q]) == -1) {
			config_err(ctx, e, "bad rate \"%s\" (expected "
			    "\"N/sec\", \"N/min\", \"N/hour\" or \"0\" for "
			    "no limit, N at most %d)",
			    config_shown(config_setting_get_string(e), shown,
			    sizeof(shown)), CONFIG_RATE_MAX);
			bad = 1;
		}
	}
	config_leave(ctx, saved);
	return bad ? -1 : 0;
}

static int
config_vrf_one(struct config_ctx *ctx, const config_setting_t *e,
    const char *v, int i, void *arg)
{
	char		**out = arg, shown[LG_NAME_MAX];

	if (strlen(v) >= LG_NAME_MAX || !config_name_ok(v)) {
		config_err(ctx, e, "\"%s\" is not a valid VRF name "
		    "(letters, digits, '.', '_' and '-', at most %d)",
		    config_shown(v, shown, sizeof(shown)), LG_NAME_MAX - 1);
		return -1;
	}
	out[i] = xstrdup(v);
	return 0;
}

static int
config_parse_vrfs(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	(void)k;
	(void)dst;
	return config_strings(ctx, s, CONFIG_VRFS_MAX, config_vrf_one,
	    &ctx->conf->web.vrfs, &ctx->conf->web.nvrfs);
}

static int
config_parse_tls(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	size_t		 saved;
	int		 rc;

	(void)dst;
	saved = config_enter(ctx, k->name);
	rc = config_group(ctx, s, tls_keys, ctx->conf);
	config_leave(ctx, saved);
	return rc;
}

/* A group of its own keys, named "section.key" in messages. */
static int
config_subgroup(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, const struct config_key *keys)
{
	size_t		 saved;
	int		 rc;

	if (config_expect(ctx, s, CONFIG_TYPE_GROUP) == -1)
		return -1;
	saved = config_enter(ctx, k->name);
	rc = config_group(ctx, s, keys, ctx->conf);
	config_leave(ctx, saved);
	return rc;
}

/*
 * A group whose presence turns a feature on: its keys are read, and
 * *enabled is set when they are all right.
 */
static int
config_switch_group(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, const struct config_key *keys, int *enabled)
{
	int	 rc;

	if ((rc = config_subgroup(ctx, k, s, keys)) == 0)
		*enabled = 1;
	return rc;
}

static int
config_parse_challenge(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	(void)dst;
	return config_switch_group(ctx, k, s, challenge_keys,
	    &ctx->conf->web.challenge.enabled);
}

static int
config_parse_results(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	(void)dst;
	return config_switch_group(ctx, k, s, results_keys,
	    &ctx->conf->web.results.enabled);
}

/* web.store: where the fronts share their state (store_url.c). */
static int
config_parse_store(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct lg_store	*st = dst;
	char		 raw[LG_PATH_MAX], err[LG_ERRSTR_MAX];
	struct config_key kk = *k;

	kk.size = sizeof(raw);
	if (config_parse_str(ctx, &kk, s, raw) == -1)
		return -1;
	if (store_url_parse(raw, st, err, sizeof(err)) == -1) {
		config_err(ctx, s, "%s", err);
		return -1;
	}
	return 0;
}

static int
config_parse_auth(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	(void)dst;
	return config_subgroup(ctx, k, s, auth_keys);
}

static int
config_parse_staff(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	(void)dst;
	return config_subgroup(ctx, k, s, staff_keys);
}

/* An HTTP header name (RFC 9110 token), "X-Remote-User". */
static int
config_parse_header(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	const char	*v;
	char		 shown[LG_NAME_MAX];
	size_t		 n;

	if (config_parse_str(ctx, k, s, dst) == -1)
		return -1;
	v = dst;
	n = strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789!#$%&'*+-.^_`|~");
	if (v[0] != '\0' && v[n] == '\0')
		return 0;
	config_err(ctx, s, "\"%s\" is not an HTTP header name", config_shown(v,
	    shown, sizeof(shown)));
	((char *)dst)[0] = '\0';
	return -1;
}

/* One rate, "N/unit" or "0", as in web.rate. */
static int
config_parse_rate(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	char		 shown[LG_NAME_MAX];

	(void)k;
	if (config_expect(ctx, s, CONFIG_TYPE_STRING) == -1)
		return -1;
	if (config_rate_parse(config_setting_get_string(s), dst) == -1) {
		config_err(ctx, s, "bad rate \"%s\" (expected \"N/sec\", "
		    "\"N/min\", \"N/hour\" or \"0\" for no limit, N at most "
		    "%d)", config_shown(config_setting_get_string(s), shown,
		    sizeof(shown)), CONFIG_RATE_MAX);
		return -1;
	}
	return 0;
}

static int
config_parse_level(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	const char	*v;

	(void)k;
	if (config_expect(ctx, s, CONFIG_TYPE_STRING) == -1)
		return -1;
	v = config_setting_get_string(s);
	if (strcmp(v, "info") == 0)
		*(enum lg_log_level *)dst = LOG_LEVEL_INFO;
	else if (strcmp(v, "debug") == 0)
		*(enum lg_log_level *)dst = LOG_LEVEL_DEBUG;
	else {
		config_err(ctx, s, "expected \"info\" or \"debug\"");
		return -1;
	}
	return 0;
}
