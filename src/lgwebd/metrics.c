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
 * Prometheus counters for /metrics.  Every series is a fixed slot in an
 * array sized at start-up (endpoints x statuses, routers x types x
 * results, types x histogram buckets), updated with relaxed atomics so
 * that the request path takes no lock.  Routers come from the
 * configuration; a query for a router not in it is not counted per router.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lg_proto.h"
#include "web.h"

static const char *const endpoints[EP_COUNT] = {
	[EP_STATIC] = "static",
	[EP_ROUTERS] = "routers",
	[EP_QUERY] = "query",
	[EP_STREAM] = "stream",
	[EP_RFC8522] = "rfc8522",
	[EP_METRICS] = "metrics",
	[EP_HEALTHZ] = "healthz",
	[EP_RESULTS] = "results",
	[EP_OTHER] = "other",
};

static const unsigned int statuses[] = {
	200, 304, 400, 403, 404, 405, 413, 429, 500, 501, 502, 503, 504, 0
};
#define NSTATUS		(sizeof(statuses) / sizeof(statuses[0]))

/* Seconds; the last bucket is +Inf. */
static const double buckets[] = {
	0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
	10, 30, 60, 120
};
#define NBUCKETS	(sizeof(buckets) / sizeof(buckets[0]))

/*
 * Routers are appended, never removed, so a reload adds the new ones
 * without moving a counter: names[] is written before nrouters grows, and
 * readers load nrouters first.  Room is made at start for four times the
 * configured routers (at least 256).
 */
static struct {
	uint64_t	 http[EP_COUNT][NSTATUS];
	uint64_t	*queries;	/* [router][Q_COUNT][LG_ERR_COUNT] */
	size_t		 nrouters, maxrouters;
	char		(*names)[LG_NAME_MAX];
	uint64_t	 hist[Q_COUNT][NBUCKETS + 1];
	uint64_t	 hist_count[Q_COUNT];
	uint64_t	 hist_sum_ms[Q_COUNT];
	uint64_t	 cache_hits, cache_misses, ratelimited;
} m;

#define INC(p)		__atomic_add_fetch((p), 1, __ATOMIC_RELAXED)
#define ADD(p, n)	__atomic_add_fetch((p), (n), __ATOMIC_RELAXED)
#define GET(p)		__atomic_load_n((p), __ATOMIC_RELAXED)

static size_t
router_index(const char *name)
{
	size_t	 r, n = __atomic_load_n(&m.nrouters, __ATOMIC_ACQUIRE);

	for (r = 0; r < n; r++)
		if (strcmp(m.names[r], name) == 0)
			return r;
	return SIZE_MAX;
}

/* Adds the routers not counted yet (start-up and reloads; one thread). */
void
wmetrics_routers(const struct lg_config *conf)
{
	size_t	 i;

	for (i = 0; i < conf->nrouters; i++) {
		if (router_index(conf->routers[i].name) != SIZE_MAX)
			continue;
		if (m.nrouters == m.maxrouters)
			return;
		lg_strlcpy(m.names[m.nrouters], conf->routers[i].name,
		    LG_NAME_MAX);
		__atomic_store_n(&m.nrouters, m.nrouters + 1,
		    __ATOMIC_RELEASE);
	}
}

int
wmetrics_init(const struct lg_config *conf)
{
	m.maxrouters = conf->nrouters * 4 < 256 ? 256 : conf->nrouters * 4;
	m.queries = calloc(m.maxrouters * Q_COUNT * LG_ERR_COUNT,
	    sizeof(*m.queries));
	m.names = calloc(m.maxrouters, sizeof(*m.names));
	if (m.queries == NULL || m.names == NULL)
		return -1;
	wmetrics_routers(conf);
	return 0;
}

void
wmetrics_free(void)
{
	free(m.queries);
	free(m.names);
	m.queries = NULL;
	m.names = NULL;
}

void
wmetrics_http(enum wmetrics_endpoint ep, unsigned int status)
{
	size_t	 i;

	if ((unsigned int)ep >= EP_COUNT)
		ep = EP_OTHER;
	for (i = 0; i < NSTATUS - 1; i++)
		if (statuses[i] == status)
			break;
	INC(&m.http[ep][i]);
}

void
wmetrics_cache(int hit)
{
	INC(hit ? &m.cache_hits : &m.cache_misses);
}

void
wmetrics_ratelimited(void)
{
	INC(&m.ratelimited);
}

void
wmetrics_query(const char *router, enum lg_query_type q, enum lg_err e,
    uint32_t runtime_ms, int cached)
{
	size_t	 r, b;

	if ((unsigned int)q >= Q_COUNT || (unsigned int)e >= LG_ERR_COUNT ||
	    m.queries == NULL)
		return;
	if ((r = router_index(router)) != SIZE_MAX)
		INC(&m.queries[(r * Q_COUNT + q) * LG_ERR_COUNT + e]);
	if (cached || e != LG_OK)
		return;
	for (b = 0; b < NBUCKETS; b++)
		if (runtime_ms <= buckets[b] * 1000)
			break;
	INC(&m.hist[q][b]);
	INC(&m.hist_count[q]);
	ADD(&m.hist_sum_ms[q], runtime_ms);
}

struct render_view;
static int	 render_visible(const struct render_view *, const char *,
		    enum lg_query_type);

static void
render_http(struct lg_buf *b)
{
	size_t		 e, s;
	uint64_t	 v;

	buf_printf(b, "# HELP lg_http_requests_total HTTP requests by "
	    "endpoint and status.\n# TYPE lg_http_requests_total counter\n");
	for (e = 0; e < EP_COUNT; e++)
		for (s = 0; s < NSTATUS; s++)
			if ((v = GET(&m.http[e][s])) != 0)
				buf_printf(b, "lg_http_requests_total{endpoint="
				    "\"%s\",status=\"%s%.0u\"} %llu\n",
				    endpoints[e], statuses[s] ? "" : "other",
				    statuses[s], (unsigned long long)v);
}

/* What the asking audience may see of the series (audience.c). */
struct render_view {
	const struct lg_config	*conf;
	enum lg_audience	 audience;
};

static void
render_queries(struct lg_buf *b, const struct render_view *vw)
{
	size_t		 r, q, e;
	size_t		 n = __atomic_load_n(&m.nrouters, __ATOMIC_ACQUIRE);
	uint64_t	 v;

	buf_printf(b, "# HELP lg_queries_total Router queries by router, "
	    "type and result.\n# TYPE lg_queries_total counter\n");
	for (r = 0; r < n; r++)
		for (q = 0; q < Q_COUNT; q++)
			for (e = 0; e < LG_ERR_COUNT; e++) {
				if (!render_visible(vw, m.names[r],
				    (enum lg_query_type)q))
					break;
				v = GET(&m.queries[(r * Q_COUNT + q) *
				    LG_ERR_COUNT + e]);
				if (v != 0)
					buf_printf(b, "lg_queries_total{router="
					    "\"%s\",type=\"%s\",result=\"%s\"} "
					    "%llu\n", m.names[r],
					    query_name((enum lg_query_type)q),
					    lg_err_name((enum lg_err)e),
					    (unsigned long long)v);
			}
}

static void
render_hist(struct lg_buf *b, const struct render_view *vw)
{
	size_t		 q, i;
	uint64_t	 cum;
	const char	*name;

	buf_printf(b, "# HELP lg_query_duration_seconds Router query time "
	    "(live answers).\n# TYPE lg_query_duration_seconds histogram\n");
	for (q = 0; q < Q_COUNT; q++) {
		if (!render_visible(vw, NULL, (enum lg_query_type)q))
			continue;
		name = query_name((enum lg_query_type)q);
		for (i = 0, cum = 0; i <= NBUCKETS; i++) {
			cum += GET(&m.hist[q][i]);
			if (i < NBUCKETS)
				buf_printf(b, "lg_query_duration_seconds_bucket"
				    "{type=\"%s\",le=\"%g\"} %llu\n", name,
				    buckets[i], (unsigned long long)cum);
			else
				buf_printf(b, "lg_query_duration_seconds_bucket"
				    "{type=\"%s\",le=\"+Inf\"} %llu\n", name,
				    (unsigned long long)cum);
		}
		buf_printf(b, "lg_query_duration_seconds_sum{type=\"%s\"} "
		    "%.3f\n", name, (double)GET(&m.hist_sum_ms[q]) / 1000);
		buf_printf(b, "lg_query_duration_seconds_count{type=\"%s\"} "
		    "%llu\n", name, (unsigned long long)GET(&m.hist_count[q]));
	}
}

/*
 * Routers by state, and one lg_router_up series per router (1 when it has
 * a warm session), from the broker's latest list.  Router names are
 * [A-Za-z0-9_.-] (config_keys.c), so they need no escaping in a label.
 */
static void
render_routers(struct lg_buf *b, const struct render_view *vw)
{
	struct lg_msg_router	*rs;
	size_t			 n, i, count[ROUTER_STATE_LAST + 1] = { 0 };

	if (brk_routers(&rs, &n) == -1)
		return;
	for (i = 0; i < n; i++)
		if (!render_visible(vw, rs[i].name, Q_COUNT))
			rs[i].state = UINT8_MAX;	/* not shown */
	for (i = 0; i < n; i++)
		if (rs[i].state <= ROUTER_STATE_LAST)
			count[rs[i].state]++;
	buf_printf(b, "# HELP lg_routers Routers by state, as the broker "
	    "reports them.\n# TYPE lg_routers gauge\n");
	for (i = 0; i <= ROUTER_STATE_LAST; i++)
		buf_printf(b, "lg_routers{state=\"%s\"} %zu\n",
		    proto_router_state_name((uint8_t)i), count[i]);
	buf_printf(b, "# HELP lg_router_up Whether the router has a warm "
	    "session (1) or not (0).\n# TYPE lg_router_up gauge\n");
	for (i = 0; i < n; i++)
		if (rs[i].state != UINT8_MAX)
			buf_printf(b, "lg_router_up{router=\"%s\"} %d\n",
			    rs[i].name, rs[i].state == ROUTER_STATE_UP);
	free(rs);
}

/*
 * The RTR caches (rpki.caches) as the broker reports them: the VRPs in
 * the table, and per cache whether it is up, its serial and the time of
 * its latest data.  Cache names are host:port checked by the config
 * loader (letters, digits, '.', '-', ':', '[', ']'): no escaping needed.
 * Nothing when no cache is configured.
 */
/* web.brokers: each broker's link, up or not, and its losses. */
static void
render_brokers(struct lg_buf *b)
{
	char			 name[LG_NAME_MAX];
	unsigned long long	 losses;
	size_t			 i;
	int			 up;

	for (i = 0; brk_link_status(i, name, sizeof(name), &up,
	    &losses) == 0; i++) {
		if (i == 0)
			buf_printf(b, "# HELP lg_broker_up Whether the link to "
			    "each broker of web.brokers is up.\n"
			    "# TYPE lg_broker_up gauge\n");
		buf_printf(b, "lg_broker_up{broker=\"%s\"} %d\n", name, up);
	}
	for (i = 0; brk_link_status(i, name, sizeof(name), &up,
	    &losses) == 0; i++) {
		if (i == 0)
			buf_printf(b, "# HELP lg_broker_losses_total Links to "
			    "a broker lost after they were up (closed, or "
			    "silent past the heartbeat).\n"
			    "# TYPE lg_broker_losses_total counter\n");
		buf_printf(b, "lg_broker_losses_total{broker=\"%s\"} %llu\n",
		    name, losses);
	}
}

static void
render_rpki(struct lg_buf *b)
{
	struct lg_msg_rpki_status	*rs;
	size_t				 n, i;

	if (brk_rpki(&rs, &n) == -1 || n == 0) {
		free(rs);
		return;
	}
	buf_printf(b, "# HELP lg_rpki_vrps VRPs in the broker's table.\n"
	    "# TYPE lg_rpki_vrps gauge\nlg_rpki_vrps{family=\"ipv4\"} %u\n"
	    "lg_rpki_vrps{family=\"ipv6\"} %u\n", rs[0].vrps4, rs[0].vrps6);
	buf_printf(b, "# HELP lg_rpki_cache_up Whether the RTR cache is "
	    "connected and in sync (1) or not (0).\n"
	    "# TYPE lg_rpki_cache_up gauge\n");
	for (i = 0; i < n; i++)
		buf_printf(b, "lg_rpki_cache_up{cache=\"%s\",preference="
		    "\"%u\"} %d\n", rs[i].cache, rs[i].preference,
		    rs[i].state == RPKI_CACHE_UP ||
		    rs[i].state == RPKI_CACHE_SYNCING);
	buf_printf(b, "# HELP lg_rpki_cache_down Whether the RTR cache was "
	    "lost and not reached since (1).\n"
	    "# TYPE lg_rpki_cache_down gauge\n");
	for (i = 0; i < n; i++)
		buf_printf(b, "lg_rpki_cache_down{cache=\"%s\"} %d\n",
		    rs[i].cache, rs[i].down_since != 0);
	buf_printf(b, "# HELP lg_rpki_cache_expired Whether the VRPs of the "
	    "lost RTR cache expired and were dropped (1).\n"
	    "# TYPE lg_rpki_cache_expired gauge\n");
	for (i = 0; i < n; i++)
		buf_printf(b, "lg_rpki_cache_expired{cache=\"%s\"} %d\n",
		    rs[i].cache, rs[i].state == RPKI_CACHE_EXPIRED);
	buf_printf(b, "# HELP lg_rpki_serial Serial of the cache's latest "
	    "data.\n# TYPE lg_rpki_serial gauge\n");
	for (i = 0; i < n; i++)
		buf_printf(b, "lg_rpki_serial{cache=\"%s\"} %u\n",
		    rs[i].cache, rs[i].serial);
	buf_printf(b, "# HELP lg_rpki_last_update_timestamp_seconds When the "
	    "cache's data was last brought up to date (0: never).\n"
	    "# TYPE lg_rpki_last_update_timestamp_seconds gauge\n");
	for (i = 0; i < n; i++)
		buf_printf(b, "lg_rpki_last_update_timestamp_seconds{cache="
		    "\"%s\"} %llu\n", rs[i].cache,
		    (unsigned long long)rs[i].last_update);
	free(rs);
}

/* A router (NULL: any) and a type (Q_COUNT: any) this view shows. */
static int
render_visible(const struct render_view *vw, const char *router,
    enum lg_query_type q)
{
	if (router != NULL && aud_router(vw->conf, vw->audience, router) ==
	    NULL)
		return 0;
	return q == Q_COUNT || vw->audience == AUD_STAFF ||
	    !(vw->conf->web.staff_queries & Q_MASK(q));
}

/*
 * The exposition text, malloc'd; NULL on allocation failure.  A series
 * labelled with a staff router or a staff query type is left out for the
 * public, as if it did not exist; staff see every series.
 */
char *
wmetrics_render(const struct lg_config *conf, enum lg_audience a,
    size_t *len)
{
	struct lg_buf		 b;
	struct render_view	 vw = { conf, a };

	buf_init(&b, 16 * 1024 * 1024);
	render_http(&b);
	render_queries(&b, &vw);
	render_hist(&b, &vw);
	render_routers(&b, &vw);
	render_rpki(&b);
	render_brokers(&b);
	buf_printf(&b, "# HELP lg_cache_hits_total Answers served from the "
	    "cache.\n# TYPE lg_cache_hits_total counter\n"
	    "lg_cache_hits_total %llu\n"
	    "# HELP lg_cache_misses_total Answers not in the cache.\n"
	    "# TYPE lg_cache_misses_total counter\n"
	    "lg_cache_misses_total %llu\n"
	    "# HELP lg_ratelimit_rejections_total Requests refused by the "
	    "rate limit.\n# TYPE lg_ratelimit_rejections_total counter\n"
	    "lg_ratelimit_rejections_total %llu\n"
	    "# HELP lg_broker_connected Whether lgwebd is connected to "
	    "lgbrokerd.\n"
	    "# TYPE lg_broker_connected gauge\nlg_broker_connected %d\n"
	    "# HELP lg_inflight Router queries in flight.\n"
	    "# TYPE lg_inflight gauge\nlg_inflight %u\n",
	    (unsigned long long)GET(&m.cache_hits),
	    (unsigned long long)GET(&m.cache_misses),
	    (unsigned long long)GET(&m.ratelimited), brk_connected(),
	    brk_inflight());
	store_metrics(&b);
	if (b.data == NULL) {
		buf_free(&b);
		return NULL;
	}
	*len = b.len;
	return b.data;
}
