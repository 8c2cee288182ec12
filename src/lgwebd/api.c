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
 * 8522, plus /api/v1/routers, /healthz and /metrics.
 *
 * A request (struct api_req) holds one slot per router.  api_run checks
 * the request against the configuration and the policy (validate_query:
 * nothing reaches the broker that did not pass it), serves cache hits,
 * charges the rate limiter for the rest and submits them to the broker,
 * all before a byte is sent.  Broker callbacks (broker thread) append to
 * the slot's buffer under the request's mutex; libmicrohttpd's content
 * reader (an HTTP thread) formats what is there as JSON or SSE, hands it
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

#define SLOT_BUF_CAP	(LG_WINDOW_INITIAL + LG_DATA_CHUNK_MAX)
#define EMIT_CHUNK	(16 * 1024)
#define BLOCK_SIZE	(32 * 1024)

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
};

struct api_req {
	pthread_mutex_t		 lock;
	unsigned int		 refs;
	const struct lg_config	*conf;		/* the generation it started in */
	struct MHD_Connection	*conn;
	enum api_format		 fmt;
	enum wmetrics_endpoint	 ep;
	int			 suspended;
	int			 keepalive_due;
	time_t			 last_write;
	struct web_client	 client;
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
	struct lg_buf		 body;		/* POST */
	int			 body_big;
	int			 answered;	/* RFC 8522: resumed, reply */
	int			 want_parsed;	/* RFC 8522 application/json */
	unsigned int		 held;		/* counted in the limiter */
};

static struct wcache	*cache;
static struct ratelimit	*limiter;

/*
 * Router queries one client may have in flight: web.max_inflight_client,
 * and never more than half of web.max_inflight, so one client always
 * leaves room for others.
 */
static unsigned int
api_client_cap(const struct lg_config *conf)
{
	unsigned int	 half = conf->web.max_inflight / 2;

	if (half == 0)
		half = 1;
	return conf->web.max_inflight_client < half ?
	    conf->web.max_inflight_client : half;
}

static void	 slot_finish(struct api_req *, struct api_slot *);

static double
mono(void)
{
	return (double)brk_now_ms() / 1000.0;
}

const char *
api_time(time_t t, char *buf, size_t len)
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	if (strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
	return buf;
}

int
api_init(const struct lg_config *conf)
{
	size_t	 entries = conf->web.cache_entries ? conf->web.cache_entries :
	    4096;
	size_t	 bytes = conf->web.cache_bytes ? conf->web.cache_bytes :
	    64 * 1024 * 1024;

	if ((cache = wcache_new(entries, bytes)) == NULL)
		return -1;
	if ((limiter = ratelimit_new(conf->web.rate, 65536)) == NULL)
		return -1;
	return 0;
}

/* What a reload changes outside the configuration itself. */
void
api_reload(const struct lg_config *conf)
{
	ratelimit_set_rates(limiter, conf->web.rate);
}

void
api_shutdown(void)
{
	wcache_free(cache);
	ratelimit_free(limiter);
	cache = NULL;
	limiter = NULL;
}

/*
 * UTF-8 for JSON: invalid bytes become '?', in place.  Returns how many
 * bytes are ready; unless final, an incomplete sequence at the end is
 * held back for the next chunk.
 */
size_t
api_utf8_clean(char *s, size_t len, int final)
{
	const uint8_t	*u = (const uint8_t *)s;
	size_t		 i = 0, n, k;
	uint8_t		 lo, hi;

	while (i < len) {
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (u[i] >= 0xc2 && u[i] <= 0xdf)
			n = 2;
		else if (u[i] >= 0xe0 && u[i] <= 0xef) {
			n = 3;
			lo = u[i] == 0xe0 ? 0xa0 : 0x80;
			hi = u[i] == 0xed ? 0x9f : 0xbf;
		} else if (u[i] >= 0xf0 && u[i] <= 0xf4) {
			n = 4;
			lo = u[i] == 0xf0 ? 0x90 : 0x80;
			hi = u[i] == 0xf4 ? 0x8f : 0xbf;
		} else {
			s[i++] = '?';
			continue;
		}
		for (k = 1; k < n && i + k < len; k++)
			if (u[i + k] < (k == 1 ? lo : 0x80) ||
			    u[i + k] > (k == 1 ? hi : 0xbf))
				break;
		if (k == n) {
			i += n;
			continue;
		}
		if (i + k == len && !final)
			return i;
		s[i++] = '?';
	}
	return len;
}

/* Appends s as the inside of a JSON string (no quotes). */
static int
json_escape_into(struct lg_buf *b, const char *s, size_t len)
{
	json_t	*j;
	char	*d;
	int	 rv = -1;

	if ((j = json_stringn(s, len)) == NULL)
		return -1;
	if ((d = json_dumps(j, JSON_ENCODE_ANY)) != NULL) {
		rv = buf_append(b, d + 1, strlen(d) - 2);
		free(d);
	}
	json_decref(j);
	return rv;
}

/* Appends a compact JSON value and releases it. */
static int
json_into(struct lg_buf *b, json_t *j, size_t skip, size_t trim)
{
	char	*d;
	size_t	 len;
	int	 rv = -1;

	if (j == NULL)
		return -1;
	if ((d = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)) != NULL) {
		len = strlen(d);
		if (len >= skip + trim)
			rv = buf_append(b, d + skip, len - skip - trim);
		free(d);
	}
	json_decref(j);
	return rv;
}

static size_t
slot_avail(const struct api_slot *s, const char **p)
{
	if (s->hit != NULL) {
		*p = s->hit->output + s->hit_off;
		return s->hit->len - s->hit_off;
	}
	*p = s->data.data;
	return s->data.len;
}

static void
slot_consume(struct api_slot *s, size_t n)
{
	if (s->hit != NULL) {
		s->hit_off += n;
		return;
	}
	buf_consume(&s->data, n);
	s->grant += n;
}

/*
 * Takes up to max bytes of output, cleaned for JSON, into a malloc'd
 * copy.  0 when nothing is ready.
 */
static size_t
slot_take(struct api_slot *s, size_t max, char **out)
{
	const char	*p;
	size_t		 n, ready;
	int		 final;

	*out = NULL;
	if ((n = slot_avail(s, &p)) == 0)
		return 0;
	final = s->state == SLOT_DONE;
	if (n > max) {
		n = max;
		final = 0;
	}
	if ((*out = malloc(n + 1)) == NULL)
		return 0;
	memcpy(*out, p, n);
	if ((ready = api_utf8_clean(*out, n, final)) == 0) {
		free(*out);
		*out = NULL;
		return 0;
	}
	slot_consume(s, ready);
	return ready;
}

static enum lg_err
slot_error(const struct api_slot *s)
{
	return (enum lg_err)s->end.error;
}

/* The parsed answer's JSON text: the cached one on a hit; NULL if none. */
static const char *
slot_parsed_text(const struct api_slot *s, size_t *len)
{
	if (s->hit != NULL) {
		*len = s->hit->parsed_len;
		return s->hit->parsed;
	}
	*len = s->parsed_len;
	return s->parsed;
}

/*
 * JSON: the next piece of the parsed answer (or null), at most a chunk,
 * so that a big one does not sit whole in the output buffer.  Sets
 * parsed_done with the last piece.
 */
static void
parsed_piece(struct lg_buf *b, struct api_slot *s)
{
	const char	*p;
	size_t		 len, n;

	if ((p = slot_parsed_text(s, &len)) == NULL) {
		buf_append(b, "null", 4);
		s->parsed_done = 1;
		return;
	}
	n = len - s->parsed_off;
	if (n > EMIT_CHUNK)
		n = EMIT_CHUNK;
	buf_append(b, p + s->parsed_off, n);
	s->parsed_off += n;
	s->parsed_done = s->parsed_off == len;
}

/* Appends the parsed answer, or null, as a JSON value. */
static int
parsed_into(struct lg_buf *b, const struct api_slot *s)
{
	const char	*p;
	size_t		 len;

	if ((p = slot_parsed_text(s, &len)) == NULL)
		return buf_append(b, "null", 4);
	return buf_append(b, p, len);
}

static json_t *
slot_tail(const struct api_slot *s, int with_router)
{
	json_t	*o, *err;
	char	 when[32];
	int	 ok = slot_error(s) == LG_OK;

	o = json_object();
	if (with_router)
		json_object_set_new(o, "router", json_string(s->router));
	json_object_set_new(o, "status", json_string(ok ? "ok" : "error"));
	json_object_set_new(o, "runtime_ms",
	    json_integer(s->end.runtime_ms));
	json_object_set_new(o, "cached", json_boolean(s->hit != NULL));
	if (s->hit != NULL)
		json_object_set_new(o, "age", json_integer((json_int_t)
		    (mono() - s->hit->stored)));
	json_object_set_new(o, "performed_at", json_string(api_time(
	    s->performed_at, when, sizeof(when))));
	json_object_set_new(o, "truncated",
	    json_boolean(s->end.flags & LG_RESULT_TRUNCATED));
	if (!ok) {
		err = json_pack("{s:s, s:s}", "code",
		    lg_err_name(slot_error(s)), "message", s->end.message);
		json_object_set_new(o, "error", err);
	}
	return o;
}

/* JSON: one step of {"results":[...]}.  1 if out grew. */
static int
format_json(struct api_req *r)
{
	struct api_slot	*s;
	json_t		*head;
	char		*chunk;
	size_t		 n;

	if (!r->opened) {
		r->opened = 1;
		return buf_append(&r->out, "{\"results\":[", 12) == 0;
	}
	if (r->cur == r->nslots) {
		if (r->closed)
			return 0;
		r->closed = 1;
		return buf_append(&r->out, "]}", 2) == 0;
	}
	s = &r->slots[r->cur];
	if (!s->begun) {
		if (s->state == SLOT_WAIT)
			return 0;
		s->begun = 1;
		if (r->cur > 0)
			buf_append(&r->out, ",", 1);
		head = json_pack("{s:s, s:s, s:s, s:s}", "router", s->router,
		    "type", query_name(r->type), "target", r->target.canon,
		    "command", s->command ? s->command : "");
		json_into(&r->out, head, 0, 1);
		return buf_append(&r->out, ",\"output\":\"", 11) == 0;
	}
	/* A cache hit carries its output escaped already: copied out a
	 * chunk at a time, as a live answer is. */
	if (s->hit != NULL && s->hit->json != NULL) {
		if ((n = s->hit->json_len - s->hit_json_off) > 0) {
			if (n > EMIT_CHUNK)
				n = EMIT_CHUNK;
			buf_append(&r->out, s->hit->json + s->hit_json_off, n);
			s->hit_json_off += n;
			return 1;
		}
	} else if ((n = slot_take(s, EMIT_CHUNK, &chunk)) > 0) {
		json_escape_into(&r->out, chunk, n);
		free(chunk);
		return 1;
	}
	if (s->state != SLOT_DONE)
		return 0;
	if (!s->parsed_begun) {
		s->parsed_begun = 1;
		return buf_append(&r->out, "\",\"parsed\":", 11) == 0;
	}
	if (!s->parsed_done) {
		parsed_piece(&r->out, s);
		return 1;
	}
	buf_append(&r->out, ",", 1);
	json_into(&r->out, slot_tail(s, 0), 1, 0);
	r->cur++;
	return 1;
}

static void
sse_event(struct lg_buf *b, const char *event, json_t *data)
{
	buf_printf(b, "event: %s\ndata: ", event);
	json_into(b, data, 0, 0);
	buf_append(b, "\n\n", 2);
}

/* SSE: {"router","parsed"} after a router's last output, before its end. */
static void
sse_parsed(struct lg_buf *b, const struct api_slot *s)
{
	buf_append(b, "event: parsed\ndata: {\"router\":\"", 31);
	json_escape_into(b, s->router, strlen(s->router));
	buf_append(b, "\",\"parsed\":", 11);
	parsed_into(b, s);
	buf_append(b, "}\n\n", 3);
}

/* SSE: one round over the slots.  1 if out grew. */
static int
format_sse(struct api_req *r)
{
	struct api_slot	*s;
	char		*chunk;
	size_t		 i, n, ended = 0, before = r->out.len;

	for (i = 0; i < r->nslots; i++) {
		s = &r->slots[(r->rr + i) % r->nslots];
		if (!s->begun && s->state != SLOT_WAIT) {
			s->begun = 1;
			sse_event(&r->out, "begin", json_pack("{s:s, s:s}",
			    "router", s->router, "command",
			    s->command ? s->command : ""));
		}
		if (s->begun && (n = slot_take(s, EMIT_CHUNK, &chunk)) > 0) {
			sse_event(&r->out, "output", json_pack("{s:s, s:s%}",
			    "router", s->router, "text", chunk, n));
			free(chunk);
		}
		if (s->state == SLOT_DONE && !s->ended &&
		    slot_avail(s, &(const char *){ NULL }) == 0) {
			s->ended = 1;
			sse_parsed(&r->out, s);
			sse_event(&r->out, "end", slot_tail(s, 1));
		}
		ended += s->ended;
	}
	r->rr = (r->rr + 1) % (r->nslots ? r->nslots : 1);
	if (ended == r->nslots && !r->closed) {
		r->closed = 1;
		buf_append(&r->out, "event: done\ndata: {}\n\n", 22);
	}
	if (r->out.len == before && r->keepalive_due)
		buf_append(&r->out, ": keep-alive\n\n", 14);
	r->keepalive_due = 0;
	return r->out.len > before;
}

static int
format_step(struct api_req *r)
{
	switch (r->fmt) {
	case FMT_JSON:
		return format_json(r);
	case FMT_SSE:
		return format_sse(r);
	default:
		return 0;
	}
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
		free(r->slots[i].command);
		free(r->slots[i].parsed);
		wcache_release(cache, r->slots[i].hit);
	}
	ratelimit_leave(limiter, &r->client, r->held);
	buf_free(&r->out);
	buf_free(&r->body);
	webconf_put(r->conf);
	pthread_mutex_destroy(&r->lock);
	free(r);
}

static struct api_req *
api_req_new(struct MHD_Connection *conn, enum api_format fmt)
{
	struct api_req	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	if ((r->conf = webconf_get()) == NULL) {
		free(r);
		return NULL;
	}
	pthread_mutex_init(&r->lock, NULL);
	r->refs = 1;
	r->conn = conn;
	r->fmt = fmt;
	r->ep = fmt == FMT_SSE ? EP_STREAM : fmt == FMT_JSEND ? EP_RFC8522 :
	    EP_QUERY;
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

/* Lock held.  Returns 1 when the caller must resume the connection. */
static int
req_wake(struct api_req *r)
{
	if (!r->suspended)
		return 0;
	r->suspended = 0;
	return 1;
}

static void
req_resume(struct api_req *r, int resume)
{
	if (resume)
		MHD_resume_connection(r->conn);
}

static void
slot_begin(struct brk_query *q, const char *command)
{
	struct api_slot	*s = q->arg;
	struct api_req	*r = s->req;
	int		 resume;

	pthread_mutex_lock(&r->lock);
	free(s->command);
	s->command = strdup(command);
	if (s->state == SLOT_WAIT)
		s->state = SLOT_RUN;
	resume = req_wake(r);
	pthread_mutex_unlock(&r->lock);
	req_resume(r, resume);
}

static int
slot_data(struct brk_query *q, const uint8_t *p, size_t len)
{
	struct api_slot	*s = q->arg;
	struct api_req	*r = s->req;
	int		 resume, rv = 0;

	pthread_mutex_lock(&r->lock);
	if (s->state == SLOT_WAIT)
		s->state = SLOT_RUN;
	if (buf_append(&s->data, p, len) == -1) {
		s->end.flags |= LG_RESULT_TRUNCATED;
		rv = -1;
	}
	/* RFC 8522 keeps the whole answer in data already. */
	if (s->keep_ok && r->fmt != FMT_JSEND &&
	    (s->keep.len + len > wcache_entry_max(cache) ||
	    buf_append(&s->keep, p, len) == -1)) {
		s->keep_ok = 0;
		buf_free(&s->keep);
	}
	resume = req_wake(r);
	pthread_mutex_unlock(&r->lock);
	req_resume(r, resume);
	return rv;
}

static void
slot_store(struct api_req *r, struct api_slot *s)
{
	struct wcache_key	 k = { 0 };
	unsigned int		 ttl = r->conf->web.cache_ttl[r->type];
	const struct lg_buf	*b = r->fmt == FMT_JSEND ? &s->data : &s->keep;

	if (!s->keep_ok || !wcache_storable(cache, slot_error(s),
	    (s->end.flags & (LG_RESULT_TRUNCATED | LG_RESULT_NOCACHE)) != 0,
	    ttl, b->len))
		return;
	lg_strlcpy(k.router, s->router, sizeof(k.router));
	k.type = (uint8_t)r->type;
	k.afi = (uint8_t)r->afi;
	lg_strlcpy(k.target, r->target.canon, sizeof(k.target));
	lg_strlcpy(k.vrf, r->vrf, sizeof(k.vrf));
	wcache_put_parsed(cache, &k, s->command ? s->command : "",
	    b->data ? b->data : "", b->len, s->parsed, s->parsed_len,
	    s->end.runtime_ms, s->performed_at, ttl, mono());
}

static void
slot_finish(struct api_req *r, struct api_slot *s)
{
	wmetrics_query(s->router, r->type, slot_error(s), s->end.runtime_ms,
	    s->hit != NULL);
	accesslog_query(&r->client, s->router, r->type, r->target.canon,
	    slot_error(s), s->end.runtime_ms, s->hit != NULL);
}

static void
slot_end(struct brk_query *q, const struct lg_msg_result_end *end)
{
	struct api_slot	*s = q->arg;
	struct api_req	*r = s->req;
	int		 resume;
	uint8_t		 truncated;

	pthread_mutex_lock(&r->lock);
	truncated = s->end.flags & LG_RESULT_TRUNCATED;
	s->end = *end;
	s->end.flags |= truncated;
	proto_text_clean(s->end.message);
	s->state = SLOT_DONE;
	slot_store(r, s);
	buf_free(&s->keep);
	slot_finish(r, s);
	resume = req_wake(r);
	pthread_mutex_unlock(&r->lock);
	req_resume(r, resume);
}

/* Keeps the parsed answer (the slot owns the text now). */
static void
slot_parsed(struct brk_query *q, char *text, size_t len)
{
	struct api_slot	*s = q->arg;
	struct api_req	*r = s->req;

	pthread_mutex_lock(&r->lock);
	free(s->parsed);
	s->parsed = text;
	s->parsed_len = len;
	pthread_mutex_unlock(&r->lock);
}

static void
slot_tick(struct brk_query *q, time_t now)
{
	struct api_slot	*s = q->arg;
	struct api_req	*r = s->req;
	int		 resume = 0;

	pthread_mutex_lock(&r->lock);
	if (r->fmt == FMT_SSE && r->suspended &&
	    now - r->last_write >= WEB_SSE_KEEPALIVE) {
		r->keepalive_due = 1;
		resume = req_wake(r);
	}
	pthread_mutex_unlock(&r->lock);
	req_resume(r, resume);
}

static const struct brk_ops slot_ops = {
	slot_begin, slot_data, slot_end, slot_tick, slot_parsed
};

/* Settles a slot without the broker. */
static void
slot_settle(struct api_req *r, struct api_slot *s, enum lg_err e,
    const char *msg)
{
	s->state = SLOT_DONE;
	s->end.error = (uint16_t)e;
	lg_strlcpy(s->end.message, msg, sizeof(s->end.message));
	slot_finish(r, s);
}

static int
slot_lookup(struct api_req *r, struct api_slot *s)
{
	struct wcache_key	 k = { 0 };

	if (r->conf->web.cache_ttl[r->type] == 0)
		return 0;
	lg_strlcpy(k.router, s->router, sizeof(k.router));
	k.type = (uint8_t)r->type;
	k.afi = (uint8_t)r->afi;
	lg_strlcpy(k.target, r->target.canon, sizeof(k.target));
	lg_strlcpy(k.vrf, r->vrf, sizeof(k.vrf));
	if ((s->hit = wcache_get(cache, &k, mono())) == NULL) {
		wmetrics_cache(0);
		return 0;
	}
	wmetrics_cache(1);
	s->command = strdup(s->hit->command);
	s->end.runtime_ms = s->hit->runtime_ms;
	s->end.flags = LG_RESULT_CACHED;
	s->performed_at = s->hit->performed_at;
	slot_settle(r, s, LG_OK, "");
	return 1;
}

static void
slot_init(struct api_req *r, struct api_slot *s, const char *router,
    unsigned int runtime)
{
	int64_t		 max = r->conf->web.runtime_max ?
	    r->conf->web.runtime_max : 120;

	s->req = r;
	lg_strlcpy(s->router, router, sizeof(s->router));
	buf_init(&s->data, r->fmt == FMT_JSEND ? WEB_RFC8522_MAX :
	    SLOT_BUF_CAP);
	buf_init(&s->keep, SIZE_MAX / 2);
	s->keep_ok = r->conf->web.cache_ttl[r->type] > 0;
	s->performed_at = time(NULL);
	s->q.ops = &slot_ops;
	s->q.arg = s;
	s->q.autogrant = r->fmt == FMT_JSEND;
	if (runtime > 0 && runtime < max)
		max = runtime;
	s->q.deadline_ms = brk_now_ms() + max * 1000;
	lg_strlcpy(s->q.msg.router, router, sizeof(s->q.msg.router));
	s->q.msg.type = (uint8_t)r->type;
	s->q.msg.afi = (uint8_t)r->afi;
	lg_strlcpy(s->q.msg.target, r->target.canon, sizeof(s->q.msg.target));
	lg_strlcpy(s->q.msg.vrf, r->vrf, sizeof(s->q.msg.vrf));
	lg_strlcpy(s->q.msg.client, r->client.text, sizeof(s->q.msg.client));
}

/*
 * The request-level checks: every router known, the type offered, the
 * target valid under the policy.  LG_OK, or the error for the whole
 * request with a message in err.
 */
static enum lg_err
req_check(struct api_req *r, const struct web_params *p, char *err,
    size_t errlen)
{
	size_t	 i;

	for (i = 0; i < p->nrouters; i++)
		if (config_router(r->conf, p->routers[i]) == NULL) {
			snprintf(err, errlen, "router: no such router");
			return LG_ERR_UNKNOWN_ROUTER;
		}
	r->type = (enum lg_query_type)p->type;
	r->afi = p->afi;
	if (!(r->conf->policy.queries & Q_MASK(r->type))) {
		snprintf(err, errlen, "type: not offered here");
		return LG_ERR_UNKNOWN_TYPE;
	}
	return validate_query(&r->conf->policy, r->type, r->afi, p->target,
	    &r->target, err, errlen);
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
	if (misses > 0 && (*retry = ratelimit_take(limiter, &r->client,
	    r->type, (unsigned int)misses, mono())) > 0) {
		wmetrics_ratelimited();
		*e = LG_ERR_RATE_LIMITED;
		/* Logged, so that fail2ban can see who keeps hitting it. */
		for (i = 0; i < r->nslots; i++)
			if (r->slots[i].state != SLOT_DONE)
				accesslog_query(&r->client, r->slots[i].router,
				    r->type, r->target.canon, *e, 0, 0);
		snprintf(err, errlen, "too many queries; retry in %u s",
		    *retry);
		return -1;
	}
	if (misses > 0 && ratelimit_enter(limiter, &r->client,
	    (unsigned int)misses, api_client_cap(r->conf)) == -1) {
		wmetrics_ratelimited();
		*e = LG_ERR_RATE_LIMITED;
		*retry = 1;
		snprintf(err, errlen, "too many queries in flight from your "
		    "address (%u at most); retry in 1 s",
		    api_client_cap(r->conf));
		return -1;
	}
	r->held = (unsigned int)misses;
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
		while (r->out.len < max && format_step(r))
			;
	}
	if ((n = r->out.len - r->out_off) > 0) {
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

/* Every slot settled: format the whole answer now. */
static struct MHD_Response *
req_buffered(struct api_req *r)
{
	struct MHD_Response	*resp;

	pthread_mutex_lock(&r->lock);
	while (format_step(r))
		;
	pthread_mutex_unlock(&r->lock);
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
	const char		*ctype = r->fmt == FMT_SSE ?
	    "text/event-stream; charset=utf-8" : "application/json";

	if (r->fmt == FMT_JSON && req_settled(r))
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
		    "out of memory", r->ep);
	MHD_add_response_header(resp, "Content-Type", ctype);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->fmt == FMT_SSE)
		MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	return http_queue(r->conn, 200, resp, r->ep);
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

static int
query_error(struct api_req *r, enum lg_err e, const char *msg,
    unsigned int retry)
{
	struct MHD_Response	*resp;
	char			 s[16];

	if (e != LG_ERR_RATE_LIMITED)
		return http_queue_error(r->conn, e, msg, r->ep);
	if ((resp = http_error_response(e, msg)) == NULL)
		return MHD_NO;
	snprintf(s, sizeof(s), "%u", retry);
	MHD_add_response_header(resp, "Retry-After", s);
	return http_queue(r->conn, 429, resp, r->ep);
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
		if ((r = api_req_new(conn, fmt)) == NULL)
			return MHD_NO;
		*ctx = r;
	}
	if (strcmp(method, "POST") == 0 && body_collect(r, upload, upload_size))
		return MHD_YES;
	if (r->body_big)
		return http_queue(conn, 413, http_error_response(
		    LG_ERR_BAD_QUERY, "body: too large"), r->ep);
	params_init(&p);
	if (strcmp(method, "POST") == 0)
		params_from_json(&p, r->body.data ? r->body.data : "",
		    r->body.len);
	else
		MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND,
		    param_iter, &p);
	if (params_check(&p) == -1)
		return query_error(r, p.error, p.errstr, 0);
	if (req_client(r) == -1)
		return query_error(r, LG_ERR_BAD_QUERY, WEB_XFF_BAD, 0);
	if (req_start(r, &p, NULL, 0, &e, err, sizeof(err), &retry) == -1)
		return query_error(r, e, err, retry);
	return req_respond(r);
}

void
api_completed(void *ctx, int ok)
{
	(void)ok;
	api_req_free(ctx);
}

static json_t *
router_json(const struct lg_msg_router *m)
{
	static const char *const states[] = { "unknown", "up", "connecting",
	    "down" };
	json_t	*q = json_array();
	size_t	 i;

	for (i = 0; i < Q_COUNT; i++)
		if (m->queries & Q_MASK(i))
			json_array_append_new(q,
			    json_string(query_name((enum lg_query_type)i)));
	return json_pack("{s:s, s:s, s:s, s:s, s:o, s:s}", "name", m->name,
	    "location", m->location, "group", m->group, "vendor", m->vendor,
	    "queries", q, "state", m->state <= ROUTER_STATE_LAST ?
	    states[m->state] : "unknown");
}

int
api_routers(struct MHD_Connection *conn)
{
	struct lg_msg_router	*rs;
	size_t			 n, i;
	json_t			*arr;

	if (brk_routers(&rs, &n) == -1)
		return http_queue_error(conn, LG_ERR_BROKER_UNAVAILABLE,
		    "the router list is not available yet", EP_ROUTERS);
	arr = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(arr, router_json(&rs[i]));
	free(rs);
	return http_queue_json(conn, 200, json_pack("{s:o}", "routers", arr),
	    EP_ROUTERS);
}

/* The operator's branding for the page (web.title, logo, footer...). */
int
api_site(struct MHD_Connection *conn)
{
	const struct lg_config	*c = webconf_get();
	json_t			*j;

	j = json_pack("{s:s, s:s, s:s, s:s, s:b}", "title", c->web.title,
	    "logo", c->web.logo, "footer", c->web.footer, "disclaimer",
	    c->web.disclaimer, "rfc8522", c->web.rfc8522 != 0);
	webconf_put(c);
	return http_queue_json(conn, 200, j, EP_ROUTERS);
}

int
api_healthz(struct MHD_Connection *conn)
{
	int	 up = brk_connected();

	return http_queue_json(conn, up ? 200 : 503, json_pack("{s:s, s:s}",
	    "status", up ? "ok" : "degraded", "broker",
	    up ? "connected" : "disconnected"), EP_HEALTHZ);
}

int
api_metrics(struct MHD_Connection *conn)
{
	struct MHD_Response	*resp;
	char			*text;
	size_t			 len;

	if ((text = wmetrics_render(&len)) == NULL)
		return http_queue_error(conn, LG_ERR_INTERNAL,
		    "out of memory", EP_METRICS);
	resp = MHD_create_response_from_buffer(len, text,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(text);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type",
	    "text/plain; version=0.0.4; charset=utf-8");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	return http_queue(conn, 200, resp, EP_METRICS);
}

/* RFC 8522: the one slot's answer as a JSend document. */
static int
jsend_respond(struct api_req *r)
{
	struct api_slot	*s = &r->slots[0];
	const char	*p;
	char		*copy;
	size_t		 len;
	json_t		*doc;

	if (slot_error(s) != LG_OK && slot_error(s) != LG_ERR_COMMAND_FAILED)
		return rfc8522_error(r->conn, slot_error(s), s->end.message,
		    0);
	len = slot_avail(s, &p);
	if ((copy = malloc(len + 1)) == NULL)
		return MHD_NO;
	memcpy(copy, p, len);
	copy[len] = '\0';
	len = api_utf8_clean(copy, len, 1);
	doc = rfc8522_success(s->router, s->command ? s->command : "",
	    s->performed_at, s->end.runtime_ms, copy, len, s->hit != NULL,
	    (s->end.flags & LG_RESULT_TRUNCATED) != 0);
	if (slot_error(s) == LG_ERR_COMMAND_FAILED)
		doc = rfc8522_failed(doc, s->end.message);
	free(copy);
	if (r->want_parsed && (p = slot_parsed_text(s, &len)) != NULL)
		rfc8522_set_parsed(doc, json_loadb(p, len, 0, NULL));
	return http_queue_json(r->conn, 200, doc, EP_RFC8522);
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
		if ((r = api_req_new(conn, FMT_JSEND)) == NULL)
			return MHD_NO;
		*ctx = r;
		r->want_parsed = want_parsed;
		if (req_client(r) == -1)
			return rfc8522_error(conn, LG_ERR_BAD_QUERY,
			    WEB_XFF_BAD, 0);
		if (req_start(r, p, vrf, runtime, &e, err, sizeof(err),
		    &retry) == -1)
			return rfc8522_error(conn, e, err, retry);
	}
	pthread_mutex_lock(&r->lock);
	if (r->slots[0].state != SLOT_DONE) {
		r->suspended = 1;
		pthread_mutex_unlock(&r->lock);
		MHD_suspend_connection(conn);
		return MHD_YES;
	}
	pthread_mutex_unlock(&r->lock);
	return jsend_respond(r);
}
