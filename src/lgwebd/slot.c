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
 * One router's part of a query request (struct api_slot): set up from the
 * request, answered from the cache or fed by the broker thread through
 * slot_ops, and read by the output formats (format.c) through slot_avail
 * and slot_take.  The broker callbacks take the request's mutex; whatever
 * a callback changes that a suspended reader waits for resumes the
 * connection.  A finished answer that may be cached is stored here.
 */

#include <sys/types.h>

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

#include "lg.h"
#include "lg_proto.h"
#include "web.h"

#define SLOT_BUF_CAP	(LG_WINDOW_INITIAL + LG_DATA_CHUNK_MAX)

size_t
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
 * Takes up to max bytes of output, cleaned for JSON, into buf (not
 * NUL-terminated).  Returns how many; 0 when nothing is ready.
 */
size_t
slot_take(struct api_slot *s, char *buf, size_t max)
{
	const char	*p;
	size_t		 n, ready;
	int		 final;

	if ((n = slot_avail(s, &p)) == 0)
		return 0;
	final = s->state == SLOT_DONE;
	if (n > max) {
		n = max;
		final = 0;
	}
	memcpy(buf, p, n);
	if ((ready = format_utf8(buf, n, final)) > 0)
		slot_consume(s, ready);
	return ready;
}

enum lg_err
slot_error(const struct api_slot *s)
{
	return (enum lg_err)s->end.error;
}

/* The parsed answer's JSON text: the cached one on a hit; NULL if none. */
const char *
slot_parsed_text(const struct api_slot *s, size_t *len)
{
	if (s->hit != NULL) {
		*len = s->hit->parsed_len;
		return s->hit->parsed;
	}
	*len = s->parsed_len;
	return s->parsed;
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
	/* A format answered whole keeps it in data already. */
	if (s->keep_ok && !r->f->whole &&
	    (s->keep.len + len > wcache_entry_max(api_cache) ||
	    buf_append(&s->keep, p, len) == -1)) {
		s->keep_ok = 0;
		buf_free(&s->keep);
	}
	if (s->save_ok && (s->saved.len + len > share_entry_max() ||
	    buf_append(&s->saved, p, len) == -1)) {
		s->save_ok = 0;
		buf_free(&s->saved);
	}
	resume = req_wake(r);
	pthread_mutex_unlock(&r->lock);
	req_resume(r, resume);
	return rv;
}

/* The cache key of a slot's answer. */
static void
slot_key(const struct api_req *r, const struct api_slot *s,
    struct wcache_key *k)
{
	lg_strlcpy(k->router, s->router, sizeof(k->router));
	k->type = (uint8_t)r->type;
	k->afi = (uint8_t)r->afi;
	k->audience = (aud_router(r->conf, AUD_PUBLIC, s->router) == NULL ||
	    !aud_type(r->conf, AUD_PUBLIC, r->type)) ? AUD_STAFF : AUD_PUBLIC;
	lg_strlcpy(k->target, r->target.canon, sizeof(k->target));
	lg_strlcpy(k->vrf, r->vrf, sizeof(k->vrf));
}

static void
slot_store(struct api_req *r, struct api_slot *s)
{
	struct wcache_key	 k = { 0 };
	unsigned int		 ttl = r->conf->web.cache_ttl[r->type];
	const struct lg_buf	*b = r->f->whole ? &s->data : &s->keep;

	if (!s->keep_ok || !wcache_storable(api_cache, slot_error(s),
	    (s->end.flags & (LG_RESULT_TRUNCATED | LG_RESULT_NOCACHE)) != 0,
	    ttl, b->len))
		return;
	slot_key(r, s, &k);
	wcache_put_parsed(api_cache, &k, s->command ? s->command : "",
	    b->data ? b->data : "", b->len, s->parsed, s->parsed_len,
	    s->end.runtime_ms, s->performed_at, ttl, api_mono());
}

void
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
	if (r->f->events && r->suspended &&
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
void
slot_settle(struct api_req *r, struct api_slot *s, enum lg_err e,
    const char *msg)
{
	s->state = SLOT_DONE;
	s->end.error = (uint16_t)e;
	lg_strlcpy(s->end.message, msg, sizeof(s->end.message));
	slot_finish(r, s);
}

int
slot_lookup(struct api_req *r, struct api_slot *s)
{
	struct wcache_key	 k = { 0 };

	if (r->conf->web.cache_ttl[r->type] == 0)
		return 0;
	slot_key(r, s, &k);
	if ((s->hit = wcache_get(api_cache, &k, api_mono())) == NULL) {
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

void
slot_init(struct api_req *r, struct api_slot *s, const char *router,
    unsigned int runtime)
{
	int64_t		 max = r->who.audience == AUD_STAFF ?
	    r->conf->web.staff.runtime_max : r->conf->web.runtime_max;

	s->req = r;
	lg_strlcpy(s->router, router, sizeof(s->router));
	buf_init(&s->data, r->f->whole ? WEB_RFC8522_MAX :
	    SLOT_BUF_CAP);
	buf_init(&s->keep, SIZE_MAX / 2);
	s->keep_ok = r->conf->web.cache_ttl[r->type] > 0;
	buf_init(&s->saved, SIZE_MAX / 2);
	s->save_ok = r->store && share_enabled();
	s->performed_at = time(NULL);
	s->q.ops = &slot_ops;
	s->q.arg = s;
	s->q.autogrant = r->f->whole;
	if (runtime > 0 && runtime < max)
		max = runtime;
	s->q.deadline_ms = brk_now_ms() + max * 1000;
	lg_strlcpy(s->q.msg.router, router, sizeof(s->q.msg.router));
	s->q.msg.type = (uint8_t)r->type;
	s->q.msg.afi = (uint8_t)r->afi;
	lg_strlcpy(s->q.msg.target, r->target.canon, sizeof(s->q.msg.target));
	lg_strlcpy(s->q.msg.vrf, r->vrf, sizeof(s->q.msg.vrf));
	lg_strlcpy(s->q.msg.client, r->client.text, sizeof(s->q.msg.client));
	lg_strlcpy(s->q.msg.user, r->who.user, sizeof(s->q.msg.user));
}
