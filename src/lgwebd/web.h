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
 * lgwebd's private declarations.  The front is built from small modules,
 * each with its own prefix: http_ (libmicrohttpd and routing), static_ (the
 * www/ files), api_ (the query engine shared by the JSON API and RFC
 * 8522), slot_ (one router's part of a query), format_ (JSON, SSE and
 * JSend answers), info_ (the endpoints that query no router), rfc8522_,
 * params_ (typed requests from outside bytes), brk_ (the client side of
 * the broker socket; named apart from lgbrokerd's own symbols because
 * unit tests and fuzzers link both programs), ratelimit_, challenge_
 * (the proof of work past the soft limit), wcache_
 * (results), store_ (web.store, the state several fronts share),
 * wmetrics_ (Prometheus counters) and accesslog_.
 *
 * Threads: libmicrohttpd runs a pool of polling threads that call the
 * handlers; the broker client runs one thread of its own reading the
 * broker socket.  They meet in the per-request state (struct api_req and
 * its slots), under a mutex per request, and in the broker table, under
 * the broker lock.  With web.store, each libmicrohttpd thread also
 * holds its own connection to the shared store, and one more thread
 * watches for the store's return when it is down.
 */

#ifndef WEB_H
#define WEB_H

#include <sys/types.h>
#include <sys/socket.h>

#include <pthread.h>
#include <stdint.h>

#include <jansson.h>

#include "lg.h"
#include "lg_proto.h"
#include "lg_results.h"

#define WEB_SOFTWARE		"lgwebd " LG_VERSION
#define WEB_ROUTERS_MAX		LG_QUERY_ROUTERS_MAX	/* web.max_routers */
#define WEB_BODY_MAX		(16 * 1024)	/* POST bodies */
#define WEB_VALUE_MAX		512		/* one query-string value */
#define WEB_BADESC		'\001'	/* marks a bad %-escape */
#define WEB_SSE_KEEPALIVE	15		/* seconds */
#define WEB_ROUTERS_TTL		5		/* router list refresh, s */
#define WEB_RETRY_AFTER		"1"		/* 503's Retry-After, s */
#define WEB_RFC8522_MAX		(4 * 1024 * 1024)	/* buffered output */
#define WEB_PARAMS_MAX		64		/* query-string parameters */
#define WEB_STR(x)		WEB_XSTR(x)
#define WEB_XSTR(x)		#x
#define WEB_XFF_BAD		"X-Forwarded-For: a hop is not an IP address"
#define WEB_CONFIRM		"confirm"	/* page: fill in, do not run */

/* webconf.c: the configuration in force, reloadable (SIGHUP). */
const struct lg_config *webconf_get(void);
void	 webconf_put(const struct lg_config *);
int	 webconf_set(struct lg_config *);

/* A client address, as used by the rate limiter and the logs. */
struct web_client {
	enum lg_afi		 family;
	uint8_t			 addr[16];
	char			 text[INET6_ADDRSTRLEN];
};

/*
 * params.c: a query request, typed, from a query string (one key/value
 * pair at a time, as libmicrohttpd hands them over) or from a JSON body.
 * Nothing here is validated against the configuration or the policy: api.c
 * does that.  Every function fills err with a message that names the field
 * and never quotes the raw input.
 */
struct web_params {
	char			 routers[WEB_ROUTERS_MAX][LG_NAME_MAX];
	size_t			 nrouters;
	size_t			 max;		/* web.max_routers */
	int			 type;		/* enum lg_query_type, -1 unset */
	enum lg_afi		 afi;
	char			 target[LG_TARGET_MAX + 1];
	int			 has_target;
	int			 store;		/* store=1: keep the answer */
	unsigned int		 seen;		/* PARAM_* bits, for repeats */
	enum lg_err		 error;		/* first problem seen */
	char			 errstr[LG_ERRSTR_MAX];
};

size_t	 params_unescape(char *);
void	 params_init(struct web_params *);
int	 params_add(struct web_params *, const char *, const char *);
int	 params_from_json(struct web_params *, const char *, size_t);
int	 params_check(struct web_params *);
int	 params_value_ok(const char *, size_t);

/*
 * broker*.c: one connection to lgbrokerd shared by every request.  A
 * query's callbacks run on the broker thread with the broker lock held:
 * they must be short and must not call back into brk_*.  brk_submit either
 * fails (and no callback ever fires) or guarantees exactly one on_end;
 * after brk_cancel returns no callback fires any more.  on_data returns 0
 * to go on, or -1 to stop: the broker is told to cancel and the query ends
 * as a success with the truncated flag.  With autogrant set, the window is
 * reopened by as much as on_data received, at once (for callers that
 * buffer the whole answer themselves, bounded by their own cap).
 */
struct brk_query;
struct brk_ops {
	void	(*on_begin)(struct brk_query *, const char *);
	int	(*on_data)(struct brk_query *, const uint8_t *, size_t);
	void	(*on_end)(struct brk_query *, const struct lg_msg_result_end *);
	void	(*on_tick)(struct brk_query *, time_t);	/* once a second */
	/*
	 * The parsed answer, just before on_end and only when the broker
	 * sent one: compact JSON text of an object (no control byte, valid
	 * UTF-8), NUL-terminated, malloc'd: the callee owns it.  May be
	 * NULL.
	 */
	void	(*on_parsed)(struct brk_query *, char *, size_t);
};
struct brk_query {
	const struct brk_ops	*ops;
	void			*arg;
	struct lg_msg_query	 msg;
	int64_t			 deadline_ms;	/* monotonic, 0 = none */
	int			 autogrant;
	/* Owned by broker*.c. */
	uint32_t		 id;
	unsigned int		 link;		/* the broker it went to */
	int			 active;
	int			 expired;	/* deadline passed, CANCEL sent */
	int			 cut;		/* on_data said stop */
	struct lg_buf		 parsed;	/* RESULT_PARSED pieces */
	int			 parsed_big;	/* past LG_PARSED_MAX */
};

/* web.brokers, or broker.socket alone when that is empty. */
int	 brk_start(const struct lg_config *);
void	 brk_stop(void);
/* SIGHUP: the TLS brokers' certificates again (web.brokers is fixed). */
void	 brk_reload(const struct lg_config *);
int	 brk_connected(void);
enum lg_err brk_submit(struct brk_query *);
int	 brk_cancel(struct brk_query *);
void	 brk_window(struct brk_query *, size_t);
/* A copy of the latest router list; -1 when none is known. */
int	 brk_routers(struct lg_msg_router **, size_t *);
int	 brk_rpki(struct lg_msg_rpki_status **, size_t *);
unsigned int brk_inflight(void);
int	 brk_link_status(size_t, char *, size_t, int *, unsigned long long *);
int64_t	 brk_now_ms(void);

/*
 * ratelimit.c: token buckets per client address and query type.  The
 * clock is a parameter so tests control it.
 */
struct ratelimit;
struct ratelimit *ratelimit_new(const struct lg_rate *, size_t);
void	 ratelimit_free(struct ratelimit *);
/* 0 when n tokens were taken, else the seconds to wait (>= 1). */
unsigned int ratelimit_take(struct ratelimit *, const struct web_client *,
	    enum lg_query_type, unsigned int, double);
size_t	 ratelimit_size(struct ratelimit *);
/* Router queries in flight per client: 0 counted, -1 over the cap. */
int	 ratelimit_enter(struct ratelimit *, const struct web_client *,
	    unsigned int, unsigned int);
void	 ratelimit_leave(struct ratelimit *, const struct web_client *,
	    unsigned int);
unsigned int ratelimit_inflight(struct ratelimit *,
	    const struct web_client *);
void	 ratelimit_set_rates(struct ratelimit *, const struct lg_rate *);
/* The client's bucket as text: "4" and 8 hex digits, or "6" and 16. */
#define WEB_BUCKET_MAX		18
void	 ratelimit_bucket(const struct web_client *, char *, size_t);
/*
 * web.challenge.soft: 0 when n router queries fit in the client's soft
 * bucket (taken), 1 when it is past the soft limit.
 */
void	 ratelimit_set_soft(struct ratelimit *, const struct lg_rate *);
int	 ratelimit_soft(struct ratelimit *, const struct web_client *,
	    unsigned int, double);
/* Spends a challenge: 0, or -1 when one issued as late was spent. */
int	 ratelimit_spend(struct ratelimit *, const struct web_client *,
	    uint64_t);
/*
 * The client of a request: the TCP peer, or the rightmost address of
 * X-Forwarded-For that is not a trusted proxy when the peer is one.
 */
int	 ratelimit_client(const struct sockaddr *, const char *,
	    const struct lg_prefix *, size_t, struct web_client *);

/*
 * cache.c: finished results keyed by (router, type, afi, target, vrf).
 * Entries are immutable and reference counted: a lookup returns one that
 * stays valid until wcache_release, whatever the cache does meanwhile.
 */
struct wcache_key {
	char			 router[LG_NAME_MAX];
	uint8_t			 type;
	uint8_t			 afi;
	/*
	 * AUD_STAFF for an answer of a staff router or type, which a public
	 * request can then never find, even once a reload made it public.
	 */
	uint8_t			 audience;
	char			 target[LG_TARGET_MAX + 1];
	char			 vrf[LG_NAME_MAX];
};
struct wcache_entry {
	struct wcache_key	 key;
	char			*command;
	char			*output;
	size_t			 len;
	/* The output cleaned and escaped as the inside of a JSON string,
	 * made once when stored so a JSON hit is a copy, not an encoding;
	 * NULL when it could not be made. */
	char			*json;
	size_t			 json_len;
	/* The parsed answer, compact JSON text (NUL-terminated), counted
	 * in the entry's size; NULL when there was none. */
	char			*parsed;
	size_t			 parsed_len;
	uint32_t		 runtime_ms;
	time_t			 performed_at;	/* wall clock */
	double			 stored;	/* cache clock */
	double			 expires;
	/* Owned by cache.c. */
	unsigned int		 refs;
	struct wcache_entry	*hnext;
	struct wcache_entry	*prev, *next;	/* LRU, most recent first */
};
struct wcache;
struct wcache *wcache_new(size_t, size_t);
void	 wcache_free(struct wcache *);
/*
 * Stores a copy of an answer and its parsed JSON text (NULL: none); 0, or
 * -1 when it does not fit or ttl is 0.
 */
int	 wcache_put_parsed(struct wcache *, const struct wcache_key *,
	    const char *, const char *, size_t, const char *, size_t,
	    uint32_t, time_t, unsigned int, double);
struct wcache_entry *wcache_get(struct wcache *, const struct wcache_key *,
	    double);
void	 wcache_release(struct wcache *, struct wcache_entry *);
void	 wcache_stats(struct wcache *, size_t *, size_t *);
size_t	 wcache_entry_max(struct wcache *);
int	 wcache_storable(struct wcache *, enum lg_err, int, unsigned int,
	    size_t);

/* The codec of a cache entry kept in web.store (cache.c). */
#define WCACHE_MAGIC		"LGC1"
int	 wcache_encode(const struct wcache_entry *, int64_t, struct lg_buf *);
struct wcache_entry *wcache_decode(const struct wcache_key *, const void *,
	    size_t, double, int64_t);

/*
 * store.c: the state several fronts share (web.store): a Redis or
 * Valkey server.  store_cmd and store_eval return a reply (an error
 * reply included) for the caller to free with freeReplyObject, or NULL
 * when the store is down or failed: the caller then uses its own state
 * (counted in lg_store_fallback_total).  A reply of the wrong shape goes
 * to store_bad_reply, which counts it and frees it, and the caller falls
 * back too.
 */
#define STORE_ARGS_MAX		16
struct redisReply;
struct store_script {
	const char		*src;		/* Lua */
	char			 sha[41];	/* made on first use */
	int			 ready;		/* sha made (atomic) */
};
int	 store_open(const struct lg_config *);
int	 store_start(void);
void	 store_close(void);
int	 store_active(void);
int	 store_answers(void);
void	 store_fallback(void);
void	 store_bad_reply(struct redisReply *);
struct redisReply *store_cmd(int, const char **, const size_t *);
struct redisReply *store_eval(struct store_script *, int, int,
	    const char **, const size_t *);
void	 store_script_init(struct store_script *);
void	 store_metrics(struct lg_buf *);
int64_t	 store_wall_ms(void);

/* store_results.c: stored results in web.store, SQLite as fallback. */
extern const struct results_backend results_store;

/*
 * challenge.c: the proof-of-work challenge past web.challenge.soft.
 * Times are Unix time in microseconds, a parameter so tests drive them.
 */
#define CHALLENGE_HEADER	"X-Lorgnette-PoW"
#define CHALLENGE_TOKEN_MAX	160
#define CHALLENGE_NONCE_MAX	64
struct challenge_token {
	unsigned int		 bits;
	uint64_t		 expires;	/* Unix time, s */
	uint64_t		 issued;	/* Unix time, us, unique */
	char			 bucket[WEB_BUCKET_MAX];
	char			 mac[65];	/* lowercase hex */
	size_t			 signed_len;	/* bytes the MAC covers */
};
int	 challenge_key_set(const uint8_t *, size_t);
int	 challenge_load(const char *, char *, size_t);
void	 challenge_key_clear(void);
int	 challenge_issue(unsigned int, unsigned int, const struct web_client *,
	    int64_t, char *, size_t);
int	 challenge_parse_token(const char *, size_t,
	    struct challenge_token *);
int	 challenge_parse(const char *, struct challenge_token *,
	    const char **, char *, size_t);
int	 challenge_work_ok(const char *, size_t, unsigned int);
int	 challenge_verify(const char *, unsigned int,
	    const struct web_client *, int64_t, uint64_t *, char *, size_t);
json_t	*challenge_doc(const char *);

/* audience.c: who a request comes from and what it may see. */
struct aud_who {
	enum lg_audience	 audience;
	char			 user[LG_USER_MAX];	/* "" for the public */
	int			 token;		/* by API token */
};
int	 aud_trusted(const struct lg_config *, enum lg_afi, const uint8_t *);
void	 aud_reload(const struct lg_config *);
void	 aud_shutdown(void);
struct MHD_Connection;
int	 aud_identify(struct MHD_Connection *, const struct lg_config *,
	    struct aud_who *, enum lg_err *, char *, size_t);
const struct lg_router *aud_router(const struct lg_config *,
	    enum lg_audience, const char *);
int	 aud_type(const struct lg_config *, enum lg_audience,
	    enum lg_query_type);
unsigned int aud_queries(const struct lg_config *, enum lg_audience,
	    unsigned int);
const struct lg_router *aud_router_at(const struct lg_config *,
	    enum lg_audience, long);

/* metrics.c */
enum wmetrics_endpoint {
	EP_STATIC = 0,
	EP_ROUTERS,
	EP_QUERY,
	EP_STREAM,
	EP_RFC8522,
	EP_METRICS,
	EP_HEALTHZ,
	EP_RESULTS,
	EP_OTHER,
	EP_COUNT
};
int	 wmetrics_init(const struct lg_config *);
void	 wmetrics_routers(const struct lg_config *);
void	 wmetrics_free(void);
void	 wmetrics_http(enum wmetrics_endpoint, unsigned int);
void	 wmetrics_query(const char *, enum lg_query_type, enum lg_err,
	    uint32_t, int);
void	 wmetrics_ratelimited(void);
void	 wmetrics_cache(int);
char	*wmetrics_render(const struct lg_config *, enum lg_audience,
	    size_t *);

/* accesslog.c */
int	 accesslog_open(const char *);
void	 accesslog_close(void);
void	 accesslog_query(const struct web_client *, const char *,
	    enum lg_query_type, const char *, enum lg_err, uint32_t, int);

/* static.c */
struct MHD_Connection;
int	 static_open(const char *);
void	 static_close(void);
/* 0 when the URL path is a safe relative file name, -1 otherwise. */
int	 static_path_ok(const char *);
const char *static_content_type(const char *);
int	 static_serve(struct MHD_Connection *, const char *);

/* http.c */
struct MHD_Connection;
struct MHD_Response;
int	 http_start(const struct lg_config *);
void	 http_stop(void);
void	 http_quiesce(void);
int	 http_queue(struct MHD_Connection *, unsigned int,
	    struct MHD_Response *, enum wmetrics_endpoint);
/* Takes the reference to the JSON value, even on failure. */
int	 http_queue_json(struct MHD_Connection *, unsigned int, json_t *,
	    enum wmetrics_endpoint);
int	 http_queue_error(struct MHD_Connection *, enum lg_err, const char *,
	    enum wmetrics_endpoint);
json_t	*http_error_doc(enum lg_err, const char *);
struct MHD_Response *http_error_response(enum lg_err, const char *);
struct MHD_Response *http_json_response(json_t *);
char	*http_json_text(const json_t *);
int	 http_queue_json_retry(struct MHD_Connection *, unsigned int, json_t *,
	    enum wmetrics_endpoint, unsigned int);
int	 aud_refuse(struct MHD_Connection *, enum lg_err, const char *,
	    enum wmetrics_endpoint);
/*
 * http_origin.c: whether a request comes from another site's page.
 * _why takes Sec-Fetch-Site, Origin and Host (NULL: absent).
 */
const char *http_cross_site_why(const char *, const char *, const char *);
const char *http_cross_site(struct MHD_Connection *);	/* NULL, or why */
int	 http_fetch_cross_site(struct MHD_Connection *);

/* api.c: the request state behind every handler that queries routers. */
enum api_format {
	FMT_JSON = 0,		/* /api/v1/query */
	FMT_SSE,		/* /api/v1/query/stream */
	FMT_JSEND,		/* RFC 8522 */
	FMT_COUNT
};
struct api_req;
/*
 * An output format (format.c, format_table).  A streamed format has a
 * step, which writes the next piece into the request's out buffer under
 * its mutex and returns 1 if it grew.  A format answered whole (RFC 8522)
 * has none: format_jsend answers once its one slot settles, so its slots
 * hold the whole output (up to WEB_RFC8522_MAX, the broker window
 * reopened as it arrives) and the cache is filled from there.
 */
struct format {
	const char		*ctype;
	enum wmetrics_endpoint	 ep;
	int			(*step)(struct api_req *);
	json_t			*(*error_doc)(enum lg_err, const char *);
	int			 whole;		/* answered whole, no step */
	int			 events;	/* SSE: keep-alives, unbuffered */
	int			 at_once;	/* settled: one buffer response */
};
enum slot_state {
	SLOT_WAIT = 0,		/* submitted, nothing back yet */
	SLOT_RUN,		/* RESULT_BEGIN seen */
	SLOT_DONE		/* RESULT_END seen, or settled here */
};

struct api_slot {
	struct brk_query	 q;
	struct api_req		*req;
	char			 router[LG_NAME_MAX];
	enum slot_state		 state;
	char			*command;
	struct lg_buf		 data;		/* received, not yet sent */
	struct lg_buf		 keep;		/* whole answer, for the cache */
	int			 keep_ok;
	struct wcache_entry	*hit;
	size_t			 hit_off;
	size_t			 hit_json_off;	/* JSON: into hit->json */
	struct lg_msg_result_end end;
	char			*parsed;	/* JSON text, NULL: none */
	size_t			 parsed_len;
	size_t			 parsed_off;	/* JSON: emitted so far */
	int			 parsed_begun, parsed_done;
	time_t			 performed_at;
	size_t			 grant;		/* consumed, window to reopen */
	int			 begun, ended;	/* emitted */
	/* store=1 (share.c): the whole answer, and where it went. */
	struct lg_buf		 saved;
	int			 save_ok;
	int			 shared;	/* share_slot ran */
	char			 share[sizeof(RESULTS_PREFIX) +
				    RESULTS_ID_LEN];	/* "" = not stored */
	char			 share_err[LG_ERRSTR_MAX];
};

struct api_req {
	pthread_mutex_t		 lock;
	unsigned int		 refs;
	const struct lg_config	*conf;		/* the generation it started in */
	struct MHD_Connection	*conn;
	const struct format	*f;
	int			 suspended;
	int			 keepalive_due;
	time_t			 last_write;
	struct web_client	 client;
	struct aud_who		 who;		/* audience.c */
	enum lg_query_type	 type;
	enum lg_afi		 afi;
	struct lg_target	 target;
	char			 vrf[LG_NAME_MAX];
	size_t			 nslots;
	struct api_slot		 slots[WEB_ROUTERS_MAX];
	size_t			 cur;		/* JSON: slot being written */
	size_t			 rr;		/* SSE: round robin */
	int			 opened, closed;
	struct lg_buf		 out;
	size_t			 out_off;
	int			 out_err;	/* an append failed: sticky */
	struct lg_buf		 body;		/* POST */
	int			 body_big;
	int			 want_parsed;	/* RFC 8522 application/json */
	int			 store;		/* store=1 */
	unsigned int		 held;		/* counted in the limiter */
	int			 challenged;	/* 429 challenge_required */
	char			 challenge[CHALLENGE_TOKEN_MAX];
};
extern struct wcache *api_cache;
double	 api_mono(void);
int	 api_init(const struct lg_config *);
void	 api_reload(const struct lg_config *);
void	 api_shutdown(void);
int	 api_query(struct MHD_Connection *, const char *, const char *,
	    size_t *, void **, enum api_format);
/* The last argument: RFC 8522 format=application/json. */
int	 api_jsend(struct MHD_Connection *, void **, const struct web_params *,
	    const char *, unsigned int, int);
void	 api_completed(void *, int);

/* slot.c: one router's part of a request. */
size_t	 slot_avail(const struct api_slot *, const char **);
size_t	 slot_take(struct api_slot *, char *, size_t);
enum lg_err slot_error(const struct api_slot *);
const char *slot_parsed_text(const struct api_slot *, size_t *);
void	 slot_finish(struct api_req *, struct api_slot *);
void	 slot_settle(struct api_req *, struct api_slot *, enum lg_err,
	    const char *);
int	 slot_lookup(struct api_req *, struct api_slot *);
void	 slot_init(struct api_req *, struct api_slot *, const char *,
	    unsigned int);

/*
 * share.c: stored results (web.results, lg_results.h).  share_slot
 * stores a settled slot's answer once (request lock held) and leaves its
 * link or the reason it has none in the slot; share_handle answers
 * /api/v1/results/<id>: GET reads it, DELETE (staff) deletes it.
 */
int	 share_open(const struct lg_config *);
void	 share_close(void);
int	 share_enabled(void);
size_t	 share_entry_max(void);
void	 share_slot(struct api_req *, struct api_slot *);
int	 share_handle(struct MHD_Connection *, const char *, const char *,
	    const char *, size_t *, void **);

/* info.c: the endpoints that query no router. */
int	 info_routers(struct MHD_Connection *);
int	 info_healthz(struct MHD_Connection *);
int	 info_site(struct MHD_Connection *);
int	 info_metrics(struct MHD_Connection *);

/* format.c: the output formats. */
const char *format_time(time_t, char *, size_t);
json_t	*format_tail(const struct api_slot *, int);
size_t	 format_utf8(char *, size_t, int);
extern const struct format format_table[FMT_COUNT];
/* 1: the output grew, 0: nothing more now, -1: failed (for good). */
int	 format_step(struct api_req *);
int	 format_jsend(struct api_req *);
int	 format_ping_unanswered(json_t *, char *, size_t);

/* rfc8522.c */
#define RFC8522_BASE		"/.well-known/looking-glass/v1/"
enum rfc8522_what {
	RFC_QUERY = 0,
	RFC_ROUTERS,
	RFC_ROUTER,
	RFC_CMD
};
struct rfc8522_req {
	enum rfc8522_what	 what;
	enum lg_query_type	 type;		/* RFC_QUERY */
	char			 arg[LG_TARGET_MAX + 1];
	long			 index;		/* RFC_ROUTER */
};
struct rfc8522_params {
	const struct lg_config	*conf;		/* for the VRF list */
	enum lg_afi		 afi;
	char			 router[LG_NAME_MAX];
	long			 routerindex;	/* -1: not given */
	unsigned int		 runtime;	/* 0: not given */
	int			 json;		/* format=application/json */
	char			 vrf[LG_NAME_MAX];
	unsigned int		 seen;
	enum lg_err		 error;
	char			 errstr[LG_ERRSTR_MAX];
};
int	 rfc8522_parse_path(const char *, struct rfc8522_req *, char *,
	    size_t);
void	 rfc8522_params_init(struct rfc8522_params *,
	    const struct lg_config *);
int	 rfc8522_param(struct rfc8522_params *, const char *, const char *);
int	 rfc8522_handle(struct MHD_Connection *, const char *, const char *,
	    void **);
int	 rfc8522_error(struct MHD_Connection *, enum lg_err, const char *);
json_t	*rfc8522_success(const char *, const char *, time_t, uint32_t,
	    const char *, size_t, int, int);
json_t	*rfc8522_error_doc(enum lg_err, const char *);
json_t	*rfc8522_failed(json_t *, const char *);
/* Puts a parsed answer (reference taken; NULL: none) in place of the text. */
void	 rfc8522_set_parsed(json_t *, json_t *);

/* main.c: privileges dropped and the sandbox entered; -1: stop. */
int	 web_privdrop(const struct lg_config *);

#endif /* WEB_H */
