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
 *
 * States and timers.  A slot is EMPTY, RESOLVING (its router's name is
 * being looked up), OPENING (a session on its way to its first idle) or
 * READY, and moves only through pool_slot_set.  Its timers: t_reconnect
 * (free the session that went before, connect again), t_keepalive and
 * t_recycle (while idle).  A router's breaker is CLOSED or OPEN; t_probe
 * probes it while open, and t_reap frees a draining router once its last
 * job is gone.
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

/* The steps a slot may take, as SLOT_TO() bits of the state it enters. */
#define SLOT_TO(st)	(1U << (st))

static const struct {
	const char	*name;
	unsigned int	 next;
} slot_states[] = {
	[SLOT_EMPTY] = { "empty", SLOT_TO(SLOT_RESOLVING) |
	    SLOT_TO(SLOT_OPENING) },
	/* A second connect while a lookup is under way waits for it too. */
	[SLOT_RESOLVING] = { "resolving", SLOT_TO(SLOT_RESOLVING) |
	    SLOT_TO(SLOT_EMPTY) },
	[SLOT_OPENING] = { "opening", SLOT_TO(SLOT_READY) |
	    SLOT_TO(SLOT_EMPTY) },
	[SLOT_READY] = { "ready", SLOT_TO(SLOT_EMPTY) },
};

/* The one place a slot changes state; a step off the table is logged. */
void
pool_slot_set(struct slot *sl, enum slot_state st)
{
	if (!(slot_states[sl->state].next & SLOT_TO(st)))
		log_warnx("router %s: slot %d %s -> %s is not a transition "
		    "of the pool", sl->rt->conf->name, sl->idx,
		    slot_states[sl->state].name, slot_states[st].name);
	sl->state = st;
}

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
	pool_slot_set(sl, SLOT_EMPTY);
	pool_slot_idle_stop(sl);
	ev_timer_add(&sl->t_reconnect, 0);
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
		ev_timer_add(&sl->t_reconnect, BACKOFF_BASE_MS);
		return;
	}
	s = session_new(rt->gen, rt->conf, &rt->addrs[idx], rt->addrlens[idx],
	    tr, &pool_owner, sl);
	if (s == NULL) {
		ev_timer_add(&sl->t_reconnect, BACKOFF_BASE_MS);
		return;
	}
	pool_slot_set(sl, SLOT_OPENING);
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
	pool_slot_set(sl, SLOT_RESOLVING);
	pool_resolve_start(rt);
}

int
pool_router_is_down(const struct router *rt)
{
	return rt->breaker == BREAKER_OPEN;
}

/*
 * The router is down (the breaker opens, or stays open): its queued
 * queries fail fast and it is probed again in ms.
 */
void
pool_router_down(struct router *rt, uint64_t ms)
{
	struct job	*job;

	rt->breaker = BREAKER_OPEN;
	while ((job = TAILQ_FIRST(&rt->queue)) != NULL)
		job_finish(job, LG_ERR_ROUTER_DOWN, 0);
	ev_timer_add(&rt->t_probe, ms);
}

/* A session of a router that was down reached idle: it is up again. */
static void
router_up(struct router *rt)
{
	rt->breaker = BREAKER_CLOSED;
	ev_timer_del(&rt->t_probe);
	log_info("router %s: up again", rt->conf->name);
	pool_router_start(rt);
}

int
pool_has_ready(const struct router *rt)
{
	int	 i;

	for (i = 0; i < rt->nslots; i++)
		if (rt->slots[i].state == SLOT_READY)
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

/*
 * A session that never became ready failed: one more failure in a row.
 * At breaker_failures the breaker opens; while it is open the slot only
 * reaps, and the probe reconnects.  Returns 1 when the router is down.
 */
static int
router_failed(struct router *rt, struct session *s)
{
	unsigned int	 max = rt_conf(rt)->broker.breaker_failures;

	rt->failures++;
	snprintf(rt->last_error, sizeof(rt->last_error), "%s", s->errstr);
	log_warnx("router %s: %s", rt->conf->name, s->errstr);
	if (!pool_router_is_down(rt) && rt->failures < max)
		return 0;
	if (!pool_router_is_down(rt)) {
		log_warnx("router %s: down after %u failures in a row (%s); "
		    "probing every %u s", rt->conf->name, rt->failures,
		    rt->last_error, (unsigned int)(pool_probe_ms(rt) / 1000));
		pool_router_down(rt, pool_probe_ms(rt));
	} else if (!ev_timer_pending(&rt->t_probe))
		ev_timer_add(&rt->t_probe, pool_probe_ms(rt));
	return 1;
}

/* A session broke: count it, then reconnect, back off or open the breaker. */
static void
slot_broken(struct slot *sl, struct session *s)
{
	struct router	*rt = sl->rt;
	int		 was_ready = sl->state == SLOT_READY;

	if (sl->sess == s)
		sl->sess = NULL;
	pool_slot_set(sl, SLOT_EMPTY);
	if (sl->dead != s) {
		session_free(sl->dead);
		sl->dead = s;
	}
	pool_slot_idle_stop(sl);
	if (rt->draining || broker == NULL || broker->shutting_down ||
	    was_ready) {
		ev_timer_add(&sl->t_reconnect, 0);
		return;
	}
	if (s->err == LG_ERR_UNREACHABLE && sl->addr_idx + 1 < rt->naddrs) {
		/* Every address of the name in turn, before it counts. */
		log_info("router %s: %s; trying its next address",
		    rt->conf->name, s->errstr);
		sl->addr_next = sl->addr_idx + 1;
		ev_timer_add(&sl->t_reconnect, 0);
		return;
	}
	if (router_failed(rt, s)) {
		ev_timer_add(&sl->t_reconnect, 0);	/* reap only */
		sl->attempts = 0;
		return;
	}
	if (!pool_has_ready(rt))
		pool_fail_queue(rt, s->err);
	ev_timer_add(&sl->t_reconnect, (uint64_t)pool_backoff_ms(
	    sl->attempts++, arc4random()));
}

/* Reaps a dead session and reconnects unless the breaker is open. */
static void
slot_reconnect(void *arg)
{
	struct slot	*sl = arg;
	struct router	*rt = sl->rt;

	session_free(sl->dead);
	sl->dead = NULL;
	if (sl->sess != NULL || pool_router_is_down(rt) || rt->draining ||
	    (broker != NULL && broker->shutting_down))
		return;
	if (sl->addr_next > 0) {
		pool_slot_connect_addr(sl, sl->addr_next);
		sl->addr_next = 0;
		return;
	}
	slot_connect(sl);
}

/* ms from now until the time `at`, or 0 when it has passed. */
static uint64_t
slot_until(uint64_t at)
{
	uint64_t	 now = ev_now();

	return at > now ? at - now : 0;
}

/*
 * An idle session: t_recycle for idle_timeout after it became idle,
 * t_keepalive for keepalive after the last one (when the driver has a
 * keepalive command).  Zero turns either off.
 */
static void
slot_idle_arm(struct slot *sl)
{
	const struct lg_config	*conf = rt_conf(sl->rt);
	uint64_t		 ka, it;

	ka = (uint64_t)conf->broker.keepalive * 1000;
	it = (uint64_t)conf->broker.idle_timeout * 1000;
	if (it > 0)
		ev_timer_add(&sl->t_recycle, slot_until(sl->idle_since + it));
	if (ka > 0 && sl->rt->drv->keepalive != NULL)
		ev_timer_add(&sl->t_keepalive,
		    slot_until(sl->last_keepalive + ka));
}

void
pool_slot_idle_stop(struct slot *sl)
{
	ev_timer_del(&sl->t_keepalive);
	ev_timer_del(&sl->t_recycle);
}

/* Is the slot's session idle and free, with idle_timeout reached? */
static int
slot_idle_expired(const struct slot *sl)
{
	uint64_t	 it = (uint64_t)rt_conf(sl->rt)->broker.idle_timeout *
			    1000;

	return it > 0 && ev_now() - sl->idle_since >= it;
}

static int
slot_idle(const struct slot *sl)
{
	return sl->sess != NULL && sl->sess->state == SESS_IDLE &&
	    sl->job == NULL;
}

/* An idle session runs by its router's generation from now on. */
static void
slot_follow_gen(struct slot *sl)
{
	if (slot_idle(sl) && sl->sess->gen != sl->rt->gen)
		session_rebind(sl->sess, sl->rt->gen, sl->rt->conf);
}

/* An idle session past idle_timeout is closed and replaced. */
static void
slot_recycle_timer(void *arg)
{
	struct slot	*sl = arg;

	if (!slot_idle(sl))
		return;
	if (!slot_idle_expired(sl)) {
		slot_idle_arm(sl);
		return;
	}
	log_debug("router %s: recycling an idle session", sl->rt->conf->name);
	pool_slot_recycle(sl);
}

/* An idle session sends the driver's keepalive every broker.keepalive. */
static void
slot_keepalive_timer(void *arg)
{
	struct slot		*sl = arg;
	const struct lg_config	*conf = rt_conf(sl->rt);

	if (!slot_idle(sl))
		return;
	if (slot_idle_expired(sl)) {
		/* Due at the same time: recycling wins. */
		slot_recycle_timer(sl);
		return;
	}
	if (sl->rt->drv->keepalive == NULL || conf->broker.keepalive == 0 ||
	    ev_now() - sl->last_keepalive < (uint64_t)conf->broker.keepalive *
	    1000) {
		slot_idle_arm(sl);
		return;
	}
	sl->last_keepalive = ev_now();
	pool_slot_idle_stop(sl);	/* armed again once idle */
	session_run(sl->sess, sl->rt->drv->keepalive, 1);
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
	slot_follow_gen(sl);
	if (sl->state != SLOT_READY) {
		pool_slot_set(sl, SLOT_READY);
		sl->attempts = 0;
		sl->idle_since = sl->last_keepalive = ev_now();
		rt->failures = 0;
		if (pool_router_is_down(rt))
			router_up(rt);
	}
	slot_idle_arm(sl);
	pool_dispatch(rt);
	if (rt->conf->transport == TRANSPORT_LOCAL && broker != NULL)
		pool_local_kick();
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
			job_run(job, s);
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
		slot_follow_gen(sl);
		slot_idle_arm(sl);
		pool_dispatch(sl->rt);
	}
	if (sl->rt->conf->transport == TRANSPORT_LOCAL && broker != NULL)
		pool_local_kick();
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

	while ((sl = pool_idle_slot(rt)) != NULL &&
	    (job = pool_next_job(rt)) != NULL)
		job_start(job, sl);
}

/* ---- routers ---- */

/* The breaker is open: try to connect the first slot again. */
static void
router_probe(void *arg)
{
	struct router	*rt = arg;

	if (!pool_router_is_down(rt) || rt->draining)
		return;
	log_debug("router %s: probing", rt->conf->name);
	if (rt->slots[0].sess == NULL && rt->slots[0].dead == NULL &&
	    rt->res == NULL)
		slot_connect(&rt->slots[0]);
	if (pool_router_is_down(rt) && !ev_timer_pending(&rt->t_probe))
		ev_timer_add(&rt->t_probe, pool_probe_ms(rt));
}

/* A draining router is freed once its last job is gone. */
static void
router_reap(void *arg)
{
	struct router	*rt = arg;

	if (!TAILQ_EMPTY(&rt->queue) || !TAILQ_EMPTY(&rt->running))
		return;		/* job_free arms the timer again */
	TAILQ_REMOVE(&broker->draining, rt, entry);
	pool_router_free(rt);
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
	if (rt->drv == NULL || (rt->cred == NULL &&
	    r->transport != TRANSPORT_LOCAL)) {
		snprintf(err, errlen, "router %s: unknown %s", r->name,
		    rt->drv == NULL ? "driver" : "credential");
		gen_unref(rt->gen);
		free(rt);
		return NULL;
	}
	TAILQ_INIT(&rt->queue);
	TAILQ_INIT(&rt->running);
	ev_timer_init(&rt->t_probe, router_probe, rt);
	ev_timer_init(&rt->t_reap, router_reap, rt);
	/* This host (transport local) has no address to look up. */
	if (r->transport == TRANSPORT_LOCAL ||
	    sock_addr_numeric(r->host, r->port, &rt->addrs[0],
	    &rt->addrlens[0]) == 0) {
		rt->literal = 1;
		rt->naddrs = 1;
	}
	rt->nslots = r->sessions;
	rt->slots = xcalloc((size_t)rt->nslots, sizeof(*rt->slots));
	for (i = 0; i < rt->nslots; i++) {
		rt->slots[i].rt = rt;
		rt->slots[i].idx = i;
		ev_timer_init(&rt->slots[i].t_reconnect, slot_reconnect,
		    &rt->slots[i]);
		ev_timer_init(&rt->slots[i].t_keepalive, slot_keepalive_timer,
		    &rt->slots[i]);
		ev_timer_init(&rt->slots[i].t_recycle, slot_recycle_timer,
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
		    !ev_timer_pending(&rt->slots[i].t_reconnect))
			slot_connect(&rt->slots[i]);
}

/*
 * An unchanged router moves to a new generation, and so do its idle
 * sessions; a busy one follows when its command is done.
 */
void
pool_router_adopt(struct router *rt, struct gen *gen,
    const struct lg_router *r)
{
	int	 i;

	router_bind(rt, gen, r);
	for (i = 0; i < rt->nslots; i++)
		slot_follow_gen(&rt->slots[i]);
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
		ev_timer_add(&rt->t_reap, 0);
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
		ev_timer_del(&rt->slots[i].t_reconnect);
		pool_slot_idle_stop(&rt->slots[i]);
		session_free(rt->slots[i].sess);
		session_free(rt->slots[i].dead);
	}
	ev_timer_del(&rt->t_probe);
	ev_timer_del(&rt->t_reap);
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

	if (pool_router_is_down(rt))
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
	pool_probes_stop();
	while ((rt = TAILQ_FIRST(&broker->routers)) != NULL) {
		TAILQ_REMOVE(&broker->routers, rt, entry);
		pool_router_free(rt);
	}
	while ((rt = TAILQ_FIRST(&broker->draining)) != NULL) {
		TAILQ_REMOVE(&broker->draining, rt, entry);
		pool_router_free(rt);
	}
}
