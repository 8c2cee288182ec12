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
 * Per-router pools.  A router has `sessions` slots, each holding at most
 * one session, opened at start and kept warm; a FIFO of jobs waiting for
 * an idle session (bounded by broker.queue: full is LG_ERR_BUSY); and the
 * jobs running or still delivering (job.c).  A router given by name gets
 * its addresses from pool_resolve.c.
 *
 * Failures: a session that breaks before it was ever ready counts against
 * the router and reconnects after an exponential backoff with jitter;
 * breaker_failures in a row open the circuit breaker (router DOWN: queued
 * and new queries fail fast with LG_ERR_ROUTER_DOWN) until a probe every
 * breaker_probe seconds connects.  Sessions discarded after use (cap,
 * deadline, cancel, idle recycling, wrong prompt) are replaced at once.
 * A connect that fails before the session was ever ready moves on to the
 * name's next address before it counts as a failure.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lg_parse.h"
#include "broker.h"

struct broker	*broker;

static void	pool_sess_state(struct session *, void *);
static void	pool_sess_output(struct session *, void *, const char *,
		    size_t);
static void	pool_sess_done(struct session *, void *, enum lg_err, int);
static void	slot_broken(struct slot *, struct session *);

static const struct sess_owner pool_owner = {
	pool_sess_state, pool_sess_output, pool_sess_done
};

int
pool_backoff_ms(unsigned int attempts, uint32_t rnd)
{
	uint64_t	 d = BACKOFF_BASE_MS;

	d <<= attempts > BACKOFF_SHIFT_MAX ? BACKOFF_SHIFT_MAX : attempts;
	if (d > BACKOFF_MAX_MS)
		d = BACKOFF_MAX_MS;
	/* Jitter: between half and all of the delay. */
	return (int)(d / 2 + rnd % (d / 2 + 1));
}

static int
lat_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

unsigned int
pool_median_ms(const struct router *rt)
{
	uint32_t	 v[POOL_LAT_SAMPLES];
	unsigned int	 n = rt->nlat < POOL_LAT_SAMPLES ? rt->nlat :
			    POOL_LAT_SAMPLES;

	if (n == 0)
		return 0;
	memcpy(v, rt->lat, n * sizeof(v[0]));
	qsort(v, n, sizeof(v[0]), lat_cmp);
	return v[n / 2];
}

static const struct lg_config *
rt_conf(const struct router *rt)
{
	return &rt->gen->conf;
}

/* How often a router that is down is probed, in ms. */
uint64_t
pool_probe_ms(const struct router *rt)
{
	return (uint64_t)rt_conf(rt)->broker.breaker_probe * 1000;
}

void
pool_slot_recycle(struct slot *sl)
{
	if (sl->sess == NULL)
		return;
	session_discard(sl->sess, LG_OK, "recycled");
	session_free(sl->dead);
	sl->dead = sl->sess;
	sl->sess = NULL;
	ev_timer_del(&sl->t_idle);
	ev_timer_add(&sl->timer, 0);
}

/* ---- slots and sessions ---- */

/* Opens a session to the router's address idx; never without one. */
void
pool_slot_connect_addr(struct slot *sl, size_t idx)
{
	struct router	*rt = sl->rt;
	struct session	*s;
	const struct sess_transport *tr = rt->tr_override ? rt->tr_override :
	    session_transport(rt->conf->transport);

	if (idx >= rt->naddrs) {
		ev_timer_add(&sl->timer, BACKOFF_BASE_MS);
		return;
	}
	s = session_new(rt->gen, rt->conf, &rt->addrs[idx], rt->addrlens[idx],
	    tr, &pool_owner, sl);
	if (s == NULL) {
		ev_timer_add(&sl->timer, BACKOFF_BASE_MS);
		return;
	}
	sl->ready = 0;
	sl->sess = s;
	sl->addr_idx = idx;
	if (session_start(s) == -1) {
		log_warnx("router %s: %s", rt->conf->name, s->errstr);
		sl->sess = NULL;
		session_free(sl->dead);
		sl->dead = s;
		slot_broken(sl, s);
	}
}

/*
 * A router given by name is looked up again before every connect, so a
 * change in DNS is followed; a literal address is used as it is.
 */
static void
slot_connect(struct slot *sl)
{
	struct router	*rt = sl->rt;

	sl->addr_next = 0;
	if (rt->literal) {
		pool_slot_connect_addr(sl, 0);
		return;
	}
	sl->want_addr = 1;
	pool_resolve_start(rt);
}

/*
 * The router is down: its queued queries fail fast and it is probed
 * again in ms.
 */
void
pool_router_down(struct router *rt, uint64_t ms)
{
	struct job	*job;

	rt->down = 1;
	while ((job = TAILQ_FIRST(&rt->queue)) != NULL)
		job_finish(job, LG_ERR_ROUTER_DOWN, 0);
	ev_timer_add(&rt->probe, ms);
}

int
pool_has_ready(const struct router *rt)
{
	int	 i;

	for (i = 0; i < rt->nslots; i++)
		if (rt->slots[i].sess != NULL && rt->slots[i].ready)
			return 1;
	return 0;
}

/*
 * No session can serve the queue and the router just refused us: the
 * waiting queries learn why now rather than at their deadline.
 */
static void
pool_fail_queue(struct router *rt, enum lg_err err)
{
	struct job	*job;

	if (err == LG_OK || err == LG_ERR_INTERNAL)
		err = LG_ERR_UNREACHABLE;
	while ((job = TAILQ_FIRST(&rt->queue)) != NULL)
		job_finish(job, err, 0);
}

/* A session broke: count it, then reconnect, back off or open the breaker. */
static void
slot_broken(struct slot *sl, struct session *s)
{
	struct router	*rt = sl->rt;
	unsigned int	 max = rt_conf(rt)->broker.breaker_failures;

	if (sl->sess == s)
		sl->sess = NULL;
	if (sl->dead != s) {
		session_free(sl->dead);
		sl->dead = s;
	}
	ev_timer_del(&sl->t_idle);
	if (rt->draining || broker == NULL || broker->shutting_down) {
		ev_timer_add(&sl->timer, 0);
		return;
	}
	if (sl->ready) {
		ev_timer_add(&sl->timer, 0);
		return;
	}
	if (s->err == LG_ERR_UNREACHABLE && sl->addr_idx + 1 < rt->naddrs) {
		/* Every address of the name in turn, before it counts. */
		log_info("router %s: %s; trying its next address",
		    rt->conf->name, s->errstr);
		sl->addr_next = sl->addr_idx + 1;
		ev_timer_add(&sl->timer, 0);
		return;
	}
	rt->failures++;
	snprintf(rt->last_error, sizeof(rt->last_error), "%s", s->errstr);
	log_warnx("router %s: %s", rt->conf->name, s->errstr);
	if (rt->down || rt->failures >= max) {
		if (!rt->down) {
			log_warnx("router %s: down after %u failures in a row "
			    "(%s); probing every %u s", rt->conf->name,
			    rt->failures, rt->last_error,
			    (unsigned int)(pool_probe_ms(rt) / 1000));
			pool_router_down(rt, pool_probe_ms(rt));
		} else if (!ev_timer_pending(&rt->probe))
			ev_timer_add(&rt->probe, pool_probe_ms(rt));
		ev_timer_add(&sl->timer, 0);	/* reap only */
		sl->attempts = 0;
		return;
	}
	if (!pool_has_ready(rt))
		pool_fail_queue(rt, s->err);
	ev_timer_add(&sl->timer, (uint64_t)pool_backoff_ms(sl->attempts++,
	    arc4random()));
}

/* Reaps a dead session and reconnects unless the breaker is open. */
static void
slot_timer(void *arg)
{
	struct slot	*sl = arg;
	struct router	*rt = sl->rt;

	session_free(sl->dead);
	sl->dead = NULL;
	if (sl->sess != NULL || rt->down || rt->draining ||
	    (broker != NULL && broker->shutting_down))
		return;
	if (sl->addr_next > 0) {
		pool_slot_connect_addr(sl, sl->addr_next);
		sl->addr_next = 0;
		return;
	}
	slot_connect(sl);
}

static void
slot_idle_arm(struct slot *sl)
{
	const struct lg_config	*conf = rt_conf(sl->rt);
	uint64_t		 ka = (uint64_t)conf->broker.keepalive * 1000;
	uint64_t		 it = (uint64_t)conf->broker.idle_timeout * 1000;
	uint64_t		 next = UINT64_MAX, now = ev_now();

	if (it > 0)
		next = sl->idle_since + it;
	if (ka > 0 && sl->rt->drv->keepalive != NULL &&
	    sl->last_keepalive + ka < next)
		next = sl->last_keepalive + ka;
	if (next != UINT64_MAX)
		ev_timer_add(&sl->t_idle, next > now ? next - now : 0);
}

/* An idle session: recycle it after idle_timeout, or send a keepalive. */
static void
slot_idle_timer(void *arg)
{
	struct slot		*sl = arg;
	const struct lg_config	*conf = rt_conf(sl->rt);
	uint64_t		 it = (uint64_t)conf->broker.idle_timeout * 1000;

	if (sl->sess == NULL || sl->sess->state != SESS_IDLE || sl->job)
		return;
	if (it > 0 && ev_now() - sl->idle_since >= it) {
		log_debug("router %s: recycling an idle session",
		    sl->rt->conf->name);
		pool_slot_recycle(sl);
		return;
	}
	if (sl->rt->drv->keepalive == NULL || conf->broker.keepalive == 0 ||
	    ev_now() - sl->last_keepalive < (uint64_t)conf->broker.keepalive *
	    1000) {
		slot_idle_arm(sl);
		return;
	}
	sl->last_keepalive = ev_now();
	if (session_run(sl->sess, sl->rt->drv->keepalive, 1) == -1)
		return;
	sl->keepalive = 1;
}

static void
pool_sess_state(struct session *s, void *arg)
{
	struct slot	*sl = arg;
	struct router	*rt = sl->rt;

	if (s->state == SESS_BROKEN) {
		slot_broken(sl, s);
		return;
	}
	if (s->state != SESS_IDLE)
		return;
	if (!sl->ready) {
		sl->ready = 1;
		sl->attempts = 0;
		sl->idle_since = sl->last_keepalive = ev_now();
		rt->failures = 0;
		if (rt->down) {
			rt->down = 0;
			ev_timer_del(&rt->probe);
			log_info("router %s: up again", rt->conf->name);
			pool_router_start(rt);
		}
	}
	sl->keepalive = 0;
	slot_idle_arm(sl);
	pool_dispatch(rt);
}

static void
pool_sess_output(struct session *s, void *arg, const char *data, size_t len)
{
	struct slot	*sl = arg;
	struct job	*job = sl->job;

	if (job == NULL)
		return;
	job_output(job, data, len);
	if (sl->job == job && job->pending.len >= JOB_PENDING_HIGH)
		session_pause(s, 1);
}

static void
pool_record(struct router *rt, struct job *job)
{
	rt->lat[rt->nlat++ % POOL_LAT_SAMPLES] =
	    (uint32_t)(ev_now() - job->started);
	/* A full ring stays full: nlat wraps within [SAMPLES, 2 SAMPLES). */
	if (rt->nlat >= 2 * POOL_LAT_SAMPLES)
		rt->nlat = POOL_LAT_SAMPLES;
	rt->queries++;
}

static void
pool_sess_done(struct session *s, void *arg, enum lg_err err, int flags)
{
	struct slot	*sl = arg;
	struct job	*job = sl->job;

	if (job != NULL) {
		if (err == LG_OK && flags == 0 && s->state == SESS_IDLE &&
		    job->icmd + 1 < job->ncmds) {
			job->icmd++;
			if (job->parser != NULL)
				parser_next_command(job->parser);
			session_run(s, job->cmds[job->icmd], 0);
			return;
		}
		pool_record(sl->rt, job);
		if (s->state == SESS_BROKEN && err == LG_ERR_UNREACHABLE)
			log_warnx("router %s: session lost during a command "
			    "(%s)", sl->rt->conf->name, s->errstr);
		sl->idle_since = ev_now();
		job_finish(job, err, flags);
	}
	if (s->state == SESS_BROKEN)
		slot_broken(sl, s);
	else {
		slot_idle_arm(sl);
		pool_dispatch(sl->rt);
	}
}

static struct slot *
pool_idle_slot(struct router *rt)
{
	int	 i;

	for (i = 0; i < rt->nslots; i++)
		if (rt->slots[i].sess != NULL && rt->slots[i].job == NULL &&
		    rt->slots[i].sess->state == SESS_IDLE)
			return &rt->slots[i];
	return NULL;
}

/* 1 if a query submitted now would wait for a session, else 0. */
int
pool_would_wait(struct router *rt)
{
	return !TAILQ_EMPTY(&rt->queue) || pool_idle_slot(rt) == NULL;
}

void
pool_dispatch(struct router *rt)
{
	struct slot	*sl;
	struct job	*job;

	while ((job = TAILQ_FIRST(&rt->queue)) != NULL &&
	    (sl = pool_idle_slot(rt)) != NULL)
		job_start(job, sl);
}

/* ---- routers ---- */

static void
router_probe(void *arg)
{
	struct router	*rt = arg;

	if (rt->draining) {
		/* Closed once the last job is gone; job_free calls again. */
		if (!TAILQ_EMPTY(&rt->queue) || !TAILQ_EMPTY(&rt->running))
			return;
		TAILQ_REMOVE(&broker->draining, rt, entry);
		pool_router_free(rt);
		return;
	}
	if (!rt->down)
		return;
	log_debug("router %s: probing", rt->conf->name);
	if (rt->slots[0].sess == NULL && rt->slots[0].dead == NULL &&
	    rt->res == NULL)
		slot_connect(&rt->slots[0]);
	if (rt->down && !ev_timer_pending(&rt->probe))
		ev_timer_add(&rt->probe, pool_probe_ms(rt));
}

static void
router_bind(struct router *rt, struct gen *gen, const struct lg_router *r)
{
	gen_ref(gen);
	if (rt->gen != NULL)
		gen_unref(rt->gen);
	rt->gen = gen;
	rt->conf = r;
	rt->drv = drivers_find(&gen->drivers, r->driver);
	rt->cred = credentials_find(&gen->creds, r->credential);
}

/*
 * A router from a generation.  A literal host is its address at once; a
 * name is looked up on the resolver threads before each connect, never
 * here and never per query.  Returns NULL with err set.
 */
struct router *
pool_router_new(struct gen *gen, const struct lg_router *r, char *err,
    size_t errlen)
{
	struct router	*rt;
	int		 i;

	rt = xcalloc(1, sizeof(*rt));
	router_bind(rt, gen, r);
	if (rt->drv == NULL || rt->cred == NULL) {
		snprintf(err, errlen, "router %s: unknown %s", r->name,
		    rt->drv == NULL ? "driver" : "credential");
		gen_unref(rt->gen);
		free(rt);
		return NULL;
	}
	TAILQ_INIT(&rt->queue);
	TAILQ_INIT(&rt->running);
	ev_timer_init(&rt->probe, router_probe, rt);
	if (sock_addr_numeric(r->host, r->port, &rt->addrs[0],
	    &rt->addrlens[0]) == 0) {
		rt->literal = 1;
		rt->naddrs = 1;
	}
	rt->nslots = r->sessions;
	rt->slots = xcalloc((size_t)rt->nslots, sizeof(*rt->slots));
	for (i = 0; i < rt->nslots; i++) {
		rt->slots[i].rt = rt;
		rt->slots[i].idx = i;
		ev_timer_init(&rt->slots[i].timer, slot_timer, &rt->slots[i]);
		ev_timer_init(&rt->slots[i].t_idle, slot_idle_timer,
		    &rt->slots[i]);
	}
	return rt;
}

/* Opens every empty slot. */
void
pool_router_start(struct router *rt)
{
	int	 i;

	for (i = 0; i < rt->nslots; i++)
		if (rt->slots[i].sess == NULL &&
		    !ev_timer_pending(&rt->slots[i].timer))
			slot_connect(&rt->slots[i]);
}

/* An unchanged router moves to a new generation; sessions keep theirs. */
void
pool_router_adopt(struct router *rt, struct gen *gen,
    const struct lg_router *r)
{
	router_bind(rt, gen, r);
}

/* Removed or changed: no new queries; closed once its jobs are done. */
void
pool_router_drain(struct router *rt)
{
	int	 i;

	rt->draining = 1;
	for (i = 0; i < rt->nslots; i++)
		if (rt->slots[i].job == NULL && rt->slots[i].sess != NULL)
			pool_slot_recycle(&rt->slots[i]);
	if (TAILQ_EMPTY(&rt->queue) && TAILQ_EMPTY(&rt->running))
		ev_timer_add(&rt->probe, 0);
}

void
pool_router_free(struct router *rt)
{
	struct job	*job;
	int		 i;

	while ((job = TAILQ_FIRST(&rt->queue)) != NULL ||
	    (job = TAILQ_FIRST(&rt->running)) != NULL) {
		while (!TAILQ_EMPTY(&job->waiters))
			job_waiter_end(job, TAILQ_FIRST(&job->waiters),
			    LG_ERR_CANCELLED, 0);
		job_free(job);
	}
	for (i = 0; i < rt->nslots; i++) {
		ev_timer_del(&rt->slots[i].timer);
		ev_timer_del(&rt->slots[i].t_idle);
		session_free(rt->slots[i].sess);
		session_free(rt->slots[i].dead);
	}
	ev_timer_del(&rt->probe);
	pool_resolve_cancel(rt);
	free(rt->slots);
	gen_unref(rt->gen);
	free(rt);
}

struct router *
pool_find(const char *name)
{
	struct router	*rt;

	TAILQ_FOREACH(rt, &broker->routers, entry)
		if (strcmp(rt->conf->name, name) == 0)
			return rt;
	return NULL;
}

enum lg_router_state
pool_router_state(const struct router *rt)
{
	int	 i;

	if (rt->down)
		return ROUTER_STATE_DOWN;
	for (i = 0; i < rt->nslots; i++)
		if (rt->slots[i].sess != NULL &&
		    (rt->slots[i].sess->state == SESS_IDLE ||
		    rt->slots[i].sess->state == SESS_BUSY))
			return ROUTER_STATE_UP;
	return ROUTER_STATE_CONNECTING;
}

void
pool_router_status(const struct router *rt, struct lg_msg_router_status *st)
{
	const struct session	*s;
	int			 i;

	memset(st, 0, sizeof(*st));
	lg_strlcpy(st->name, rt->conf->name, sizeof(st->name));
	st->state = (uint8_t)pool_router_state(rt);
	st->sessions_max = (uint16_t)rt->nslots;
	for (i = 0; i < rt->nslots; i++) {
		if ((s = rt->slots[i].sess) == NULL)
			continue;
		if (s->state == SESS_IDLE || s->state == SESS_BUSY)
			st->sessions_up++;
		if (s->state == SESS_IDLE)
			st->sessions_idle++;
		else if (s->state == SESS_BUSY)
			st->sessions_busy++;
	}
	st->queue_len = (uint16_t)rt->queued;
	st->failures = rt->failures;
	st->queries = rt->queries;
	st->median_ms = pool_median_ms(rt);
	lg_strlcpy(st->last_error, rt->last_error, sizeof(st->last_error));
	proto_line_clean(st->last_error);
}

void
pool_shutdown(void)
{
	struct router	*rt;

	broker->shutting_down = 1;
	while ((rt = TAILQ_FIRST(&broker->routers)) != NULL) {
		TAILQ_REMOVE(&broker->routers, rt, entry);
		pool_router_free(rt);
	}
	while ((rt = TAILQ_FIRST(&broker->draining)) != NULL) {
		TAILQ_REMOVE(&broker->draining, rt, entry);
		pool_router_free(rt);
	}
}
