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
 * The query engine behind /api/v1/query, /api/v1/query/stream and RFC
 * 8522: a request from intake to the last byte of its answer.
 *
 * A request (struct api_req) holds one slot per router (slot.c).
 * req_start checks the request against the configuration and the policy
 * (validate_query: nothing reaches the broker that did not pass it),
 * serves cache hits, charges the rate limiter for the rest and submits
 * them to the broker, all before a byte is sent.  Broker callbacks (broker
 * thread) append to the slot's buffer under the request's mutex;
 * libmicrohttpd's content reader (an HTTP thread) formats what is there as
 * JSON or SSE (format.c), hands it
 * over and opens the broker window by as much as it consumed, so a slow
 * client slows the router down instead of filling our memory.  When there
 * is nothing to send the reader suspends the connection and the next
 * callback resumes it.  A request is freed when both libmicrohttpd's
 * completion notice and the response's free callback have let go of it;
 * completion first cancels whatever is still running.
 *
 * A request whose every slot is settled up front (cache hits, per-router
 * refusals) is formatted at once into a buffer response: that is the fast
 * path that serves cached answers.
 */

#include <sys/types.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

#include "lg.h"
#include "lg_proto.h"
#include "web.h"

#define BLOCK_SIZE	(32 * 1024)

struct wcache		*api_cache;
/* Token buckets per audience: the public's web.rate, staff's web.staff. */
static struct ratelimit	*limiters[2];

static struct ratelimit *
api_limiter(const struct api_req *r)
{
	return limiters[r->who.audience == AUD_STAFF];
}

/*
 * Router queries one client may have in flight: web.max_inflight_client
 * (web.staff.max_inflight_client for staff), and never more than half of
 * web.max_inflight, so one client always leaves room for others.
 */
static unsigned int
api_client_cap(const struct api_req *r)
{
	const struct lg_config	*conf = r->conf;
	unsigned int		 half = conf->web.max_inflight / 2, cap;

	if (half == 0)
		half = 1;
	cap = r->who.audience == AUD_STAFF ?
	    conf->web.staff.max_inflight_client :
	    conf->web.max_inflight_client;
	return cap < half ? cap : half;
}

double
api_mono(void)
{
	return (double)brk_now_ms() / 1000.0;
}

int
api_init(const struct lg_config *conf)
{
	if ((api_cache = wcache_new(conf->web.cache_entries,
	    conf->web.cache_bytes)) == NULL)
		return -1;
	if ((limiters[0] = ratelimit_new(conf->web.rate, 65536)) == NULL ||
	    (limiters[1] = ratelimit_new(conf->web.staff.rate, 65536)) == NULL)
		return -1;
	api_reload(conf);
	return 0;
}

/* What a reload changes outside the configuration itself. */
void
api_reload(const struct lg_config *conf)
{
	static const struct lg_rate	 none = { 0, 1 };

	ratelimit_set_rates(limiters[0], conf->web.rate);
	ratelimit_set_soft(limiters[0], conf->web.challenge.enabled ?
	    &conf->web.challenge.soft : &none);
	ratelimit_set_rates(limiters[1], conf->web.staff.rate);
	ratelimit_set_soft(limiters[1], &none);
	aud_reload(conf);
}

void
api_shutdown(void)
{
	wcache_free(api_cache);
	ratelimit_free(limiters[0]);
	ratelimit_free(limiters[1]);
	api_cache = NULL;
	limiters[0] = limiters[1] = NULL;
	aud_shutdown();
}

static void
req_unref(struct api_req *r)
{
	size_t		 i;
	unsigned int	 left;

	pthread_mutex_lock(&r->lock);
	left = --r->refs;
	pthread_mutex_unlock(&r->lock);
	if (left > 0)
		return;
	for (i = 0; i < r->nslots; i++) {
		buf_free(&r->slots[i].data);
		buf_free(&r->slots[i].keep);
		buf_free(&r->slots[i].saved);
		free(r->slots[i].command);
		free(r->slots[i].parsed);
		wcache_release(api_cache, r->slots[i].hit);
	}
	ratelimit_leave(api_limiter(r), &r->client, r->held);
	buf_free(&r->out);
	buf_free(&r->body);
	webconf_put(r->conf);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

/*
 * A request, with its audience (audience.c): NULL when out of memory, or
 * when the caller is refused (*e and err say why, r is not made).
 */
static struct api_req *
api_req_new(struct MHD_Connection *conn, enum api_format fmt, enum lg_err *e,
    char *err, size_t errlen)
{
	struct api_req	*r;

	*e = LG_ERR_INTERNAL;
	snprintf(err, errlen, "out of memory");
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->conf = webconf_get()) == NULL) {
		free(r);
		return NULL;
	}
	if (aud_identify(conn, r->conf, &r->who, e, err, errlen) == -1) {
		webconf_put(r->conf);
		free(r);
		return NULL;
	}
	pthread_mutex_init(&r->lock, NULL);
	r->refs = 1;
	r->conn = conn;
	r->f = &format_table[fmt];
	buf_init(&r->out, SIZE_MAX / 2);
	buf_init(&r->body, WEB_BODY_MAX);
	return r;
}

/* The request is over for libmicrohttpd: stop whatever still runs. */
static void
api_req_free(struct api_req *r)
{
	size_t	 i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nslots; i++)
		if (brk_cancel(&r->slots[i].q)) {
			r->slots[i].end.runtime_ms = (uint32_t)(time(NULL) -
			    r->slots[i].performed_at) * 1000;
			r->slots[i].end.error = LG_ERR_CANCELLED;
			slot_finish(r, &r->slots[i]);
		}
	req_unref(r);
}

/*
 * The request-level checks: every router known, the type offered, the
 * target valid under the policy, all as the request's audience sees
 * them: a staff router or type is, to the public, exactly as unknown as
 * a name that exists nowhere.  LG_OK, or the error for the whole request
 * with a message in err.
 */
static enum lg_err
req_check(struct api_req *r, const struct web_params *p, char *err,
    size_t errlen)
{
	size_t	 i;

	for (i = 0; i < p->nrouters; i++)
		if (aud_router(r->conf, r->who.audience, p->routers[i]) ==
		    NULL) {
			snprintf(err, errlen, "router: no such router");
			return LG_ERR_UNKNOWN_ROUTER;
		}
	r->type = (enum lg_query_type)p->type;
	r->afi = p->afi;
	if (!aud_type(r->conf, r->who.audience, r->type)) {
		snprintf(err, errlen, "type: not offered here");
		return LG_ERR_UNKNOWN_TYPE;
	}
	return validate_query(&r->conf->policy, r->type, r->afi, p->target,
	    &r->target, err, errlen);
}

/* The access log's line for each router query refused before it ran. */
static void
req_log_refused(struct api_req *r, enum lg_err e)
{
	size_t	 i;

	for (i = 0; i < r->nslots; i++)
		if (r->slots[i].state != SLOT_DONE)
			accesslog_query(&r->client, r->slots[i].router,
			    r->type, r->target.canon, e, 0, 0);
}

static int64_t
api_wall_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * Who is never challenged: staff (signed in by user header or token),
 * and clients that are themselves trusted proxies (the operator's own
 * hosts, a request from the proxy's machine).
 */
static int
req_exempt(const struct api_req *r)
{
	return r->who.audience == AUD_STAFF ||
	    aud_trusted(r->conf, r->client.family, r->client.addr);
}

/*
 * web.challenge: n router queries within the client's soft limit pass;
 * past it the request needs a solved challenge in X-Lorgnette-PoW, which
 * it spends.  0 to go on, or -1 with the message in err and a fresh
 * challenge in r->challenge.
 */
static int
req_challenge(struct api_req *r, unsigned int n, char *err, size_t errlen)
{
	const struct lg_config	*c = r->conf;
	const char		*v;
	uint64_t		 issued;
	int64_t			 now = api_wall_us();

	if (!c->web.challenge.enabled || req_exempt(r) ||
	    ratelimit_soft(api_limiter(r), &r->client, n, api_mono()) == 0)
		return 0;
	v = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
	    CHALLENGE_HEADER);
	if (v == NULL)
		snprintf(err, errlen, "too many queries from your address: "
		    "solve the challenge and send the answer in "
		    CHALLENGE_HEADER);
	else if (challenge_verify(v, c->web.challenge.bits, &r->client, now,
	    &issued, err, errlen) == 0) {
		if (ratelimit_spend(api_limiter(r), &r->client, issued) == 0)
			return 0;
		snprintf(err, errlen, CHALLENGE_HEADER ": the challenge was "
		    "already used; solve the new one");
	}
	if (challenge_issue(c->web.challenge.bits, c->web.challenge.ttl,
	    &r->client, now, r->challenge, sizeof(r->challenge)) == -1)
		r->challenge[0] = '\0';
	r->challenged = 1;
	wmetrics_ratelimited();
	return -1;
}

/*
 * Lets n router queries (the cache misses) through the client's token
 * bucket and counts them in flight for it (r->held, given back when the
 * request is freed).  0, or -1 with the 429's message in err and the
 * seconds to wait in *retry.
 */
static int
req_admit(struct api_req *r, unsigned int n, char *err, size_t errlen,
    unsigned int *retry)
{
	unsigned int	 cap = api_client_cap(r);

	if (req_challenge(r, n, err, errlen) == -1) {
		req_log_refused(r, LG_ERR_CHALLENGE_REQUIRED);
		*retry = 1;
		return -1;
	}
	if ((*retry = ratelimit_take(api_limiter(r), &r->client, r->type, n,
	    api_mono())) > 0) {
		wmetrics_ratelimited();
		/* Logged, so that fail2ban can see who keeps hitting it. */
		req_log_refused(r, LG_ERR_RATE_LIMITED);
		snprintf(err, errlen, "too many queries; retry in %u s",
		    *retry);
		return -1;
	}
	if (ratelimit_enter(api_limiter(r), &r->client, n, cap) == -1) {
		wmetrics_ratelimited();
		*retry = 1;
		snprintf(err, errlen, "too many queries in flight from your "
		    "address (%u at most); retry in 1 s", cap);
		return -1;
	}
	r->held = n;
	return 0;
}

/*
 * Runs a checked request.  Returns 0 when the request was accepted (every
 * slot is settled or submitted), or -1 with the request-level error in
 * *e and err: the caller answers with it.  *retry is set for 429.
 */
static int
req_start(struct api_req *r, const struct web_params *p, const char *vrf,
    unsigned int runtime, enum lg_err *e, char *err, size_t errlen,
    unsigned int *retry)
{
	const struct lg_router	*rt;
	struct api_slot		*s;
	size_t			 i, misses = 0, refused = 0;
	enum lg_err		 se;

	if ((*e = req_check(r, p, err, errlen)) != LG_OK)
		return -1;
	lg_strlcpy(r->vrf, vrf != NULL ? vrf : "", sizeof(r->vrf));
	r->nslots = p->nrouters;
	for (i = 0; i < r->nslots; i++) {
		s = &r->slots[i];
		slot_init(r, s, p->routers[i], runtime);
		rt = config_router(r->conf, s->router);
		if (!(rt->queries & Q_MASK(r->type)))
			slot_settle(r, s, LG_ERR_UNSUPPORTED,
			    "this query type is not offered on this router");
		else if (!slot_lookup(r, s))
			misses++;
	}
	if (misses > 0 && req_admit(r, (unsigned int)misses, err, errlen,
	    retry) == -1) {
		*e = r->challenged ? LG_ERR_CHALLENGE_REQUIRED :
		    LG_ERR_RATE_LIMITED;
		return -1;
	}
	for (i = 0; i < r->nslots; i++) {
		s = &r->slots[i];
		if (s->state == SLOT_DONE)
			continue;
		/* No lock: on failure no callback can touch the slot. */
		if ((se = brk_submit(&s->q)) != LG_OK) {
			refused++;
			*e = se;
			slot_settle(r, s, se, se == LG_ERR_BUSY ?
			    "too many queries in progress; try again later" :
			    "the query service is not available");
		}
	}
	if (refused > 0 && refused == r->nslots) {
		snprintf(err, errlen, "%s", r->slots[0].end.message);
		return -1;
	}
	return 0;
}

static ssize_t
api_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct api_req	*r = cls;
	size_t		 n, i, grants[WEB_ROUTERS_MAX] = { 0 };
	ssize_t		 rv;

	(void)pos;
	pthread_mutex_lock(&r->lock);
	/*
	 * Everything ready goes out in one block: a warm answer's head,
	 * output and tail arrive together, and one write (one TCP segment,
	 * one wakeup of the client) costs less than one per step.
	 */
	if (r->out_off == r->out.len) {
		buf_reset(&r->out);
		r->out_off = 0;
		while (r->out.len < max && format_step(r) > 0)
			;
	}
	if (r->out_err)		/* cut: the client sees it unfinished */
		rv = MHD_CONTENT_READER_END_WITH_ERROR;
	else if ((n = r->out.len - r->out_off) > 0) {
		if (n > max)
			n = max;
		memcpy(buf, r->out.data + r->out_off, n);
		r->out_off += n;
		r->last_write = time(NULL);
		rv = (ssize_t)n;
	} else if (r->closed)
		rv = MHD_CONTENT_READER_END_OF_STREAM;
	else {
		r->suspended = 1;
		rv = 0;
	}
	for (i = 0; i < r->nslots; i++) {
		grants[i] = r->slots[i].grant;
		r->slots[i].grant = 0;
	}
	pthread_mutex_unlock(&r->lock);
	for (i = 0; i < r->nslots; i++)
		brk_window(&r->slots[i].q, grants[i]);
	if (rv == 0)
		MHD_suspend_connection(r->conn);
	return rv;
}

static void
api_reader_free(void *cls)
{
	req_unref(cls);
}

/* Every slot settled: format the whole answer now.  NULL on failure. */
static struct MHD_Response *
req_buffered(struct api_req *r)
{
	struct MHD_Response	*resp;
	int			 failed;

	pthread_mutex_lock(&r->lock);
	while (format_step(r) > 0)
		;
	failed = r->out_err;
	pthread_mutex_unlock(&r->lock);
	if (failed)
		return NULL;
	resp = MHD_create_response_from_buffer(r->out.len, r->out.data,
	    MHD_RESPMEM_MUST_FREE);
	if (resp != NULL)
		buf_init(&r->out, 0);	/* the response owns the data now */
	return resp;
}

static int
req_settled(struct api_req *r)
{
	size_t	 i;
	int	 done = 1;

	pthread_mutex_lock(&r->lock);
	for (i = 0; i < r->nslots; i++)
		if (r->slots[i].state != SLOT_DONE)
			done = 0;
	pthread_mutex_unlock(&r->lock);
	return done;
}

static int
req_respond(struct api_req *r)
{
	struct MHD_Response	*resp;

	if (r->f->at_once && req_settled(r))
		resp = req_buffered(r);
	else {
		pthread_mutex_lock(&r->lock);
		r->refs++;
		pthread_mutex_unlock(&r->lock);
		resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN,
		    BLOCK_SIZE, api_reader, r, api_reader_free);
		if (resp == NULL)
			req_unref(r);
	}
	if (resp == NULL)
		return http_queue_error(r->conn, LG_ERR_INTERNAL,
		    "out of memory", r->f->ep);
	MHD_add_response_header(resp, "Content-Type", r->f->ctype);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->f->events)
		MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	return http_queue(r->conn, 200, resp, r->f->ep);
}

static enum MHD_Result
xff_iter(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	struct lg_buf	*b = cls;

	(void)kind;
	if (strcasecmp(key, "X-Forwarded-For") != 0 || value == NULL)
		return MHD_YES;
	if (b->len > 0)
		buf_append(b, ",", 1);
	buf_append(b, value, strlen(value));
	return MHD_YES;
}

/*
 * The client address.  Every X-Forwarded-For line counts, in order: a
 * proxy that appends its own line after one the client forged must still
 * be the one believed (the rightmost hops).
 */
static int
req_client(struct api_req *r)
{
	const union MHD_ConnectionInfo	*ci;
	struct lg_buf			 xff;
	int				 rv;

	ci = MHD_get_connection_info(r->conn,
	    MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci == NULL || ci->client_addr == NULL)
		return -1;
	buf_init(&xff, 8192);
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, xff_iter, &xff);
	rv = ratelimit_client(ci->client_addr, xff.len > 0 ? xff.data : NULL,
	    r->conf->web.trusted_proxies, r->conf->web.ntrusted_proxies,
	    &r->client);
	buf_free(&xff);
	return rv;
}

static enum MHD_Result
param_iter(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *value)
{
	(void)kind;
	params_add(cls, key, value);
	return MHD_YES;
}

/*
 * The request-level error in the request's own shape: JSend for RFC
 * 8522, {"error":...} otherwise, with the registry's status; retry > 0
 * adds Retry-After.
 */
static int
req_error(struct api_req *r, enum lg_err e, const char *msg,
    unsigned int retry)
{
	json_t	*doc = r->f->error_doc(e, msg), *where;

	/* The challenge beside the error, or in JSend's data. */
	if (e == LG_ERR_CHALLENGE_REQUIRED && doc != NULL) {
		if ((where = json_object_get(doc, "data")) == NULL)
			where = doc;
		json_object_set_new(where, "challenge",
		    challenge_doc(r->challenge));
	}
	return http_queue_json_retry(r->conn,
	    (unsigned int)lg_err_http_status(e), doc, r->f->ep, retry);
}

/*
 * Collects a POST body across calls; 413 past WEB_BODY_MAX.  Returns 1
 * while more is coming, 0 when the body is complete.
 */
static int
body_collect(struct api_req *r, const char *data, size_t *size)
{
	if (*size == 0)
		return 0;
	if (!r->body_big && buf_append(&r->body, data, *size) == -1)
		r->body_big = 1;
	*size = 0;
	return 1;
}

/*
 * /api/v1/query and /api/v1/query/stream, GET or POST.  The first call
 * only sets up the request; POST data arrives over the next calls.
 */
int
api_query(struct MHD_Connection *conn, const char *method,
    const char *upload, size_t *upload_size, void **ctx, enum api_format fmt)
{
	struct api_req		*r = *ctx;
	struct web_params	 p;
	char			 err[LG_ERRSTR_MAX];
	enum lg_err		 e;
	unsigned int		 retry = 0;

	if (r == NULL) {
		if ((r = api_req_new(conn, fmt, &e, err, sizeof(err))) == NULL)
			return e == LG_ERR_INTERNAL ? MHD_NO :
			    aud_refuse(conn, e, err, format_table[fmt].ep);
		*ctx = r;
	}
	if (strcmp(method, "POST") == 0 && body_collect(r, upload, upload_size))
		return MHD_YES;
	if (r->body_big)
		return http_queue(conn, 413, http_error_response(
		    LG_ERR_BAD_QUERY, "body: too large"), r->f->ep);
	params_init(&p);
	p.max = r->conf->web.max_routers;
	if (strcmp(method, "POST") == 0)
		params_from_json(&p, r->body.data ? r->body.data : "",
		    r->body.len);
	else
		MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND,
		    param_iter, &p);
	if (params_check(&p) == -1)
		return req_error(r, p.error, p.errstr, 0);
	if (p.store && !share_enabled())
		return req_error(r, LG_ERR_UNSUPPORTED, "store: this looking "
		    "glass stores no results (web.results)", 0);
	r->store = p.store;
	if (req_client(r) == -1)
		return req_error(r, LG_ERR_BAD_QUERY, WEB_XFF_BAD, 0);
	if (req_start(r, &p, NULL, 0, &e, err, sizeof(err), &retry) == -1)
		return req_error(r, e, err, retry);
	return req_respond(r);
}

void
api_completed(void *ctx, int ok)
{
	(void)ok;
	api_req_free(ctx);
}

/*
 * RFC 8522 queries answer in one piece, with a status that depends on
 * the router's answer, so the connection is parked (suspended) until the
 * slot settles, and libmicrohttpd calls the handler again once resumed.
 * The output is buffered up to WEB_RFC8522_MAX with the broker window
 * reopened as it arrives (autogrant); past the cap the answer is cut and
 * marked truncated.
 */
int
api_jsend(struct MHD_Connection *conn, void **ctx, const struct web_params *p,
    const char *vrf, unsigned int runtime, int want_parsed)
{
	struct api_req	*r = *ctx;
	char		 err[LG_ERRSTR_MAX];
	enum lg_err	 e;
	unsigned int	 retry = 0;

	if (r == NULL) {
		if ((r = api_req_new(conn, FMT_JSEND, &e, err,
		    sizeof(err))) == NULL)
			return e == LG_ERR_INTERNAL ? MHD_NO :
			    rfc8522_error(conn, e, err);
		*ctx = r;
		r->want_parsed = want_parsed;
		if (req_client(r) == -1)
			return req_error(r, LG_ERR_BAD_QUERY, WEB_XFF_BAD, 0);
		if (req_start(r, p, vrf, runtime, &e, err, sizeof(err),
		    &retry) == -1)
			return req_error(r, e, err, retry);
	}
	pthread_mutex_lock(&r->lock);
	if (r->slots[0].state != SLOT_DONE) {
		r->suspended = 1;
		pthread_mutex_unlock(&r->lock);
		MHD_suspend_connection(conn);
		return MHD_YES;
	}
	pthread_mutex_unlock(&r->lock);
	return format_jsend(r);
}
