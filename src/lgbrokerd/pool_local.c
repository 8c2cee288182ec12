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
 * The queues of the routers on this host (transport local): which job
 * starts next under broker.local_max (commands of a type at once, across
 * every local router) and broker.local_probes (a host-wide budget of
 * packets), and the kick that moves every local queue when a command ends
 * or the packets are there again.
 */

#include <stdint.h>

#include "lg.h"
#include "broker.h"

/* Commands of a type running on this host now, every local router's. */
static unsigned int
pool_local_running(enum lg_query_type type)
{
	struct routerq	*lists[2] = { &broker->routers, &broker->draining };
	struct router	*rt;
	unsigned int	 n = 0;
	size_t		 l;
	int		 i;

	for (l = 0; l < 2; l++)
		TAILQ_FOREACH(rt, lists[l], entry) {
			if (rt->conf->transport != TRANSPORT_LOCAL)
				continue;
			for (i = 0; i < rt->nslots; i++)
				if (rt->slots[i].job != NULL &&
				    rt->slots[i].job->type == type)
					n++;
		}
	return n;
}

/*
 * broker.local_probes: a token bucket of packets, host-wide, refilled at
 * that rate a second and holding at most POOL_PROBES_BURST seconds of it.
 * A command starts when the packets its driver says it sends at most
 * (probes) are there, or the bucket is full for one that sends more; it
 * takes them all at once.
 */
#define POOL_PROBES_BURST	10
static struct {
	double		 tokens;
	uint64_t	 last;		/* ev_now() of the last refill */
	int		 primed;
	struct ev_timer	 t_wait;	/* when the first waiter fits */
} probes;

static void
pool_probes_retry(void *arg)
{
	(void)arg;
	pool_local_kick();
}

/* 0 if the packets were taken, else the milliseconds until they fit. */
static uint64_t
pool_probes_take(unsigned int rate, unsigned int cost)
{
	double	 burst = (double)rate * POOL_PROBES_BURST, need;
	uint64_t now = ev_now();

	if (rate == 0 || cost == 0)
		return 0;
	if (!probes.primed) {
		probes.tokens = burst;
		probes.primed = 1;
		ev_timer_init(&probes.t_wait, pool_probes_retry, NULL);
	} else
		probes.tokens += (double)(now - probes.last) * rate / 1000;
	if (probes.tokens > burst)
		probes.tokens = burst;
	probes.last = now;
	need = cost < burst ? cost : burst;
	if (probes.tokens >= need) {
		probes.tokens -= cost;
		return 0;
	}
	return (uint64_t)((need - probes.tokens) * 1000 / rate) + 1;
}

/*
 * The job to start next: the oldest, or on this host (transport local)
 * the oldest whose type is under broker.local_max and whose packets fit
 * in broker.local_probes, so that a queue of mtr does not hold up a ping
 * nor a BGP query; when only the packets are missing, the queues move
 * again once they are there.
 */
struct job *
pool_next_job(struct router *rt)
{
	const struct lg_config	*conf = &rt->gen->conf;
	struct job		*job;
	uint64_t		 wait;
	int			 starved = 0;

	if (rt->conf->transport != TRANSPORT_LOCAL || broker == NULL)
		return TAILQ_FIRST(&rt->queue);
	TAILQ_FOREACH(job, &rt->queue, entry) {
		if (pool_local_running(job->type) >=
		    conf->broker.local_max[job->type])
			continue;
		/* Behind a job waiting for packets, only those with none. */
		if (starved && rt->drv->probes[job->type] > 0)
			continue;
		wait = pool_probes_take(conf->broker.local_probes,
		    rt->drv->probes[job->type]);
		if (wait == 0)
			return job;
		starved = 1;
		if (!ev_timer_pending(&probes.t_wait))
			ev_timer_add(&probes.t_wait, wait);
	}
	return NULL;
}

/* Shutdown: the bucket's timer goes with the event loop. */
void
pool_probes_stop(void)
{
	if (probes.primed)
		ev_timer_del(&probes.t_wait);
}

/* A local command ended: jobs of other local routers may start now. */
void
pool_local_kick(void)
{
	struct router	*rt;

	TAILQ_FOREACH(rt, &broker->routers, entry)
		if (rt->conf->transport == TRANSPORT_LOCAL &&
		    !TAILQ_EMPTY(&rt->queue))
			pool_dispatch(rt);
}
