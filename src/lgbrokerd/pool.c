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
 * jobs running or still delivering.  A job is one rendered command (two
 * for both families) and its waiters: identical concurrent queries
 * (router, type, afi, canonical target, vrf) join a job that has not
 * produced output yet, so one router command fans out to every waiter,
 * each of which still gets its own RESULT_BEGIN/DATA/END.
 *
 * Flow control: a job keeps the output not yet taken by all its waiters
 * in one buffer; each waiter takes what its window and socket allow.
 * When the buffer passes JOB_PENDING_HIGH the session stops reading, so
 * the slowest waiter paces the router (TCP does the rest) and memory is
 * bounded whatever the output size.  A waiter that stops reading
 * altogether is ended by the deadline, like the job itself.
 *
 * Failures: a session that breaks before it was ever ready counts against
 * the router and reconnects after an exponential backoff with jitter;
 * breaker_failures in a row open the circuit breaker (router DOWN: queued
 * and new queries fail fast with LG_ERR_ROUTER_DOWN) until a probe every
 * breaker_probe seconds connects.  Sessions discarded after use (cap,
 * deadline, cancel, idle recycling, wrong prompt) are replaced at once.
 *
 * Addresses: a router whose host is a name has it looked up on the
 * resolver threads (resolve.c) before every connect, one lookup per
 * router at a time, so the loop never blocks and a change in DNS is
 * followed at the next reconnect.  A connect that fails before the
 * session was ever ready moves on to the name's next address before it
 * counts as a failure.  A name that does not resolve puts the router
 * down at once, with "cannot resolve HOST: reason" as its last error,
 * and is looked up again after a backoff capped at breaker_probe.  No
 * session is ever opened without an address.
 */

#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lg.h"
#include "lg_parse.h"
#include "broker.h"

struct broker	*broker;

static void	pool_sess_state(struct session *, void *);
static void	pool_sess_output(struct session *, void *, const char *,
		    size_t);
static void	pool_sess_done(struct session *, void *, enum lg_err, int);
static void	job_deliver(struct job *);
static void	slot_broken(struct slot *, struct session *);
static void	router_resolved(void *, int, const struct sockaddr_storage *,
		    size_t);
static void	router_unresolved(struct router *, const char *);

static const struct sess_owner pool_owner = {
	pool_sess_state, pool_sess_output, pool_sess_done
};

/* User-facing sentences: never a host, an address or a credential. */
static const char *const job_messages[LG_ERR_COUNT] = {
	[LG_OK] = "",
	[LG_ERR_UNREACHABLE] = "the router could not be reached",
	[LG_ERR_AUTH] = "the looking glass could not log in to the router",
	[LG_ERR_HOSTKEY] = "the router's SSH host key is not trusted",
	[LG_ERR_ROUTER_DOWN] = "the router is down; try again later",
	[LG_ERR_COMMAND_FAILED] = "the router rejected the command",
	[LG_ERR_BUSY] = "too many queries are waiting for this router; "
	    "try again later",
	[LG_ERR_TIMEOUT] = "the query took too long",
	[LG_ERR_CANCELLED] = "the query was cancelled",
	[LG_ERR_INTERNAL] = "internal error",
};

static const char *
job_message(enum lg_err err)
{
	if ((unsigned int)err >= LG_ERR_COUNT || job_messages[err] == NULL)
		return "error";
	return job_messages[err];
}

int
pool_backoff_ms(unsigned int attempts, uint32_t rnd)
{
	uint64_t	 d = BACKOFF_BASE_MS;

	d <<= attempts > 10 ? 10 : attempts;
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
	uint32_t	 v[32];
	unsigned int	 n = rt->nlat < 32 ? rt->nlat : 32;

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
	unsigned int	 probe = rt_conf(rt)->broker.breaker_probe;

	return (uint64_t)(probe ? probe : 30) * 1000;
}

/* ---- jobs ---- */

void
job_free(struct job *job)
{
	struct router	*rt = job->rt;

	ev_timer_del(&job->deadline);
	if (job->queued) {
		TAILQ_REMOVE(&rt->queue, job, entry);
		rt->queued--;
	} else
		TAILQ_REMOVE(&rt->running, job, entry);
	if (job->slot != NULL)
		job->slot->job = NULL;
	buf_free(&job->pending);
	if (job->parser != NULL)
		parser_free(job->parser);
	free(job->parsed);
	free(job);
	if (rt->draining && TAILQ_EMPTY(&rt->queue) &&
	    TAILQ_EMPTY(&rt->running))
		ev_timer_add(&rt->probe, 0);
}

void
job_waiter_end(struct job *job, struct waiter *w, enum lg_err err, int flags)
{
	TAILQ_REMOVE(&job->waiters, w, entry);
	job->nwaiters--;
	w->job = NULL;
	w->ops->end(w, err, flags, w->sent, err == job->err && job->message[0]
	    ? job->message : job_message(err));
}

/*
 * The parse ends with the job: a successful answer keeps its parsed form
 * as compact JSON text for the waiters; any other end drops it.  Output
 * cut by the cap parses as far as it goes and says it is truncated.
 * Without memory the answer goes without its parsed form, never fails.
 */
static void
job_parse_finish(struct job *job)
{
	json_t	*j;

	if (job->parser == NULL)
		return;
	if (job->err == LG_OK && (j = parser_finish(job->parser)) != NULL) {
		if ((job->flags & LG_RESULT_TRUNCATED) &&
		    json_object_get(j, "truncated") != NULL)
			json_object_set_new(j, "truncated", json_true());
		if ((job->parsed = json_dumps(j, JSON_COMPACT |
		    JSON_PRESERVE_ORDER)) != NULL)
			job->parsed_len = strlen(job->parsed);
		json_decref(j);
	}
	parser_free(job->parser);
	job->parser = NULL;
}

/* The job has ended with err for every waiter that is still there. */
void
job_finish(struct job *job, enum lg_err err, int flags)
{
	if (job->finished)
		return;
	job->finished = 1;
	if (job->err == LG_OK || err == LG_ERR_TIMEOUT)
		job->err = err;
	job->flags |= flags;
	if (job->err != LG_OK && job->message[0] == '\0')
		lg_strlcpy(job->message, job_message(job->err),
		    sizeof(job->message));
	job_parse_finish(job);
	if (job->slot != NULL) {
		job->slot->job = NULL;
		job->slot = NULL;
	}
	if (job->queued) {
		TAILQ_REMOVE(&job->rt->queue, job, entry);
		job->rt->queued--;
		job->queued = 0;
		TAILQ_INSERT_TAIL(&job->rt->running, job, entry);
	}
	job_deliver(job);
}

/* Sends a waiter what it may take now, cut at a line end if possible. */
static void
waiter_push(struct job *job, struct waiter *w)
{
	size_t		 room, n, off, i;
	uint64_t	 avail;

	while (w->sent < job->total) {
		if ((room = w->ops->room(w)) == 0)
			return;
		off = (size_t)(w->sent - job->base);
		avail = job->total - w->sent;
		n = avail < room ? (size_t)avail : room;
		if (n > LG_DATA_CHUNK_MAX)
			n = LG_DATA_CHUNK_MAX;
		if (n < avail) {
			for (i = n; i > 0; i--)
				if (job->pending.data[off + i - 1] == '\n')
					break;
			if (i > 0)
				n = i;
		}
		w->sent += n;
		w->ops->data(w, job->pending.data + off, n);
	}
}

/*
 * After the last output, the parsed answer in chunks as room allows.
 * Returns 1 when the waiter has had all of it.
 */
static int
waiter_push_parsed(struct job *job, struct waiter *w)
{
	size_t	 room, n;

	while (w->psent < job->parsed_len) {
		if (w->ops->parsed == NULL)
			return 1;
		if ((room = w->ops->room(w)) == 0)
			return 0;
		n = job->parsed_len - w->psent;
		if (n > room)
			n = room;
		if (n > LG_DATA_CHUNK_MAX)
			n = LG_DATA_CHUNK_MAX;
		w->ops->parsed(w, job->parsed + w->psent, n);
		w->psent += n;
	}
	return 1;
}

/* Drops output every waiter has taken; resumes a paused session. */
static void
job_trim(struct job *job)
{
	struct waiter	*w;
	uint64_t	 min = job->total;

	TAILQ_FOREACH(w, &job->waiters, entry)
		if (w->sent < min)
			min = w->sent;
	if (min > job->base) {
		buf_consume(&job->pending, (size_t)(min - job->base));
		job->base = min;
	}
	if (job->pending.len == 0)
		buf_free(&job->pending);
	if (job->slot != NULL && job->slot->sess != NULL &&
	    job->pending.len < JOB_PENDING_HIGH / 2)
		session_pause(job->slot->sess, 0);
}

static void
job_deliver(struct job *job)
{
	struct waiter	*w, *next;

	if (job->delivering)
		return;
	job->delivering = 1;
	for (w = TAILQ_FIRST(&job->waiters); w != NULL; w = next) {
		next = TAILQ_NEXT(w, entry);
		waiter_push(job, w);
		if (job->finished && w->sent == job->total &&
		    waiter_push_parsed(job, w))
			job_waiter_end(job, w, job->err, job->flags);
	}
	job->delivering = 0;
	job_trim(job);
	if (job->finished && job->nwaiters == 0)
		job_free(job);
}

void
job_output(struct job *job, const char *data, size_t len)
{
	if (job->nwaiters == 0)
		return;		/* draining a cancelled command */
	if (buf_append(&job->pending, data, len) == -1) {
		job_finish(job, LG_ERR_INTERNAL, 0);
		return;
	}
	/* Whole filtered lines; a parse failure only ends the parse. */
	if (job->parser != NULL)
		(void)parser_feed_text(job->parser, data, len);
	job->total += len;
	job_deliver(job);
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

static void
job_deadline(void *arg)
{
	struct job	*job = arg;
	struct slot	*sl = job->slot;

	log_info("router %s: query deadline passed (%s)", job->rt->conf->name,
	    job->begin);
	if (sl != NULL)
		pool_slot_recycle(sl);
	if (!job->finished) {
		job_finish(job, LG_ERR_TIMEOUT, 0);
		return;
	}
	/* Finished, but some waiter is not taking its output. */
	while (!TAILQ_EMPTY(&job->waiters))
		job_waiter_end(job, TAILQ_FIRST(&job->waiters), LG_ERR_TIMEOUT, 0);
	job_free(job);
}

void
job_start(struct job *job, struct slot *sl)
{
	struct router	*rt = job->rt;

	TAILQ_REMOVE(&rt->queue, job, entry);
	rt->queued--;
	job->queued = 0;
	TAILQ_INSERT_TAIL(&rt->running, job, entry);
	job->slot = sl;
	sl->job = job;
	job->started = ev_now();
	job->icmd = 0;
	ev_timer_del(&sl->t_idle);
	session_run(sl->sess, job->cmds[0], 0);
}

/*
 * The job's parser, when the driver has rules for the type: afi is the
 * command's family, AFI_ANY for one command per family.
 */
static enum lg_err
job_parser(struct router *rt, struct job *job, enum lg_afi afi, char *err,
    size_t errlen)
{
	char	 perr[LG_ERRSTR_MAX] = "";

	job->parser = parser_new(rt->drv, job->type, afi,
	    rt->gen->conf.broker.parse_max_prefixes, perr, sizeof(perr));
	if (job->parser == NULL && perr[0] != '\0') {
		log_warnx("router %s: %s", rt->conf->name, perr);
		lg_strlcpy(err, job_message(LG_ERR_INTERNAL), errlen);
		return LG_ERR_INTERNAL;
	}
	return LG_OK;
}

/* Renders the command(s) of a query into a new job. */
static enum lg_err
job_render(struct router *rt, struct job *job, enum lg_afi afi,
    const struct lg_target *t, const char *vrf, char *err, size_t errlen)
{
	struct lg_render_ctx	 ctx;
	enum lg_afi		 fam[2];
	enum lg_err		 rc;
	int			 i, n;

	ctx.source4 = rt->conf->source4;
	ctx.source6 = rt->conf->source6;
	ctx.vrf = vrf && vrf[0] ? vrf : rt->conf->vrf;
	n = render_families(rt->drv, job->type, afi, t, fam);
	if (n <= 0) {
		snprintf(err, errlen, n == 0 ? "%s is not supported on this "
		    "router for this address family" : "afi: does not match "
		    "the target", query_name(job->type));
		return n == 0 ? LG_ERR_UNSUPPORTED : LG_ERR_BAD_QUERY;
	}
	for (i = 0; i < n; i++) {
		rc = render_command(rt->drv, job->type, fam[i], t, &ctx,
		    job->cmds[i], sizeof(job->cmds[i]), err, errlen);
		if (rc != LG_OK)
			return rc;
		if (i > 0)
			lg_strlcat(job->begin, "\n", sizeof(job->begin));
		lg_strlcat(job->begin, job->cmds[i], sizeof(job->begin));
	}
	job->ncmds = n;
	return job_parser(rt, job, n == 1 ? fam[0] : AFI_ANY, err, errlen);
}

static struct job *
job_find(struct router *rt, const char *key)
{
	struct job	*job;

	TAILQ_FOREACH(job, &rt->queue, entry)
		if (strcmp(job->key, key) == 0)
			return job;
	TAILQ_FOREACH(job, &rt->running, entry)
		if (!job->finished && job->total == 0 && job->nwaiters > 0 &&
		    strcmp(job->key, key) == 0)
			return job;
	return NULL;
}

static unsigned int
job_deadline_ms(const struct router *rt, enum lg_query_type type)
{
	unsigned int	 ms = rt->gen->conf.broker.deadline_ms[type];

	if (ms == 0 && query_info(type) != NULL)
		ms = query_info(type)->deadline_ms;
	return ms ? ms : 30000;
}

static enum lg_err
job_new(struct router *rt, enum lg_query_type type, enum lg_afi afi,
    const struct lg_target *t, const char *vrf, const char *key,
    struct job **jobp, char *err, size_t errlen)
{
	struct job	*job;
	unsigned int	 cap = rt->gen->conf.broker.queue;
	enum lg_err	 rc;

	if (rt->queued >= (cap ? cap : 16)) {
		lg_strlcpy(err, job_message(LG_ERR_BUSY), errlen);
		return LG_ERR_BUSY;
	}
	if ((job = calloc(1, sizeof(*job))) == NULL) {
		lg_strlcpy(err, job_message(LG_ERR_INTERNAL), errlen);
		return LG_ERR_INTERNAL;
	}
	job->rt = rt;
	job->type = type;
	lg_strlcpy(job->key, key, sizeof(job->key));
	TAILQ_INIT(&job->waiters);
	buf_init(&job->pending, 4 * JOB_PENDING_HIGH);
	if ((rc = job_render(rt, job, afi, t, vrf, err, errlen)) != LG_OK) {
		if (job->parser != NULL)
			parser_free(job->parser);
		free(job);
		return rc;
	}
	ev_timer_init(&job->deadline, job_deadline, job);
	ev_timer_add(&job->deadline, job_deadline_ms(rt, type));
	job->queued = 1;
	TAILQ_INSERT_TAIL(&rt->queue, job, entry);
	rt->queued++;
	*jobp = job;
	return LG_OK;
}

enum lg_err
job_submit(struct router *rt, enum lg_query_type type, enum lg_afi afi,
    const struct lg_target *t, const char *vrf, struct waiter *w, char *err,
    size_t errlen)
{
	struct job	*job;
	char		 key[sizeof(job->key)];
	enum lg_err	 rc;

	if (rt->down) {
		lg_strlcpy(err, job_message(LG_ERR_ROUTER_DOWN), errlen);
		return LG_ERR_ROUTER_DOWN;
	}
	if (!(rt->conf->queries & Q_MASK(type)) ||
	    !(rt->drv->supported & Q_MASK(type))) {
		snprintf(err, errlen, "%s is not offered on this router",
		    query_name(type));
		return LG_ERR_UNSUPPORTED;
	}
	snprintf(key, sizeof(key), "%d|%d|%s|%s", (int)type, (int)afi,
	    t->canon, vrf ? vrf : "");
	if ((job = job_find(rt, key)) != NULL &&
	    job->nwaiters >= JOB_WAITERS_MAX) {
		lg_strlcpy(err, job_message(LG_ERR_BUSY), errlen);
		return LG_ERR_BUSY;
	}
	if (job == NULL && (rc = job_new(rt, type, afi, t, vrf, key,
	    &job, err, errlen)) != LG_OK)
		return rc;
	w->job = job;
	w->sent = job->base;
	w->start_ms = ev_now();
	TAILQ_INSERT_TAIL(&job->waiters, w, entry);
	job->nwaiters++;
	w->ops->begin(w, rt->conf->name, job->begin);
	pool_dispatch(rt);
	return LG_OK;
}

void
job_waiter_kick(struct waiter *w)
{
	if (w->job != NULL)
		job_deliver(w->job);
}

/* The waiter leaves without an end callback (its owner ends it). */
void
job_waiter_cancel(struct waiter *w)
{
	struct job	*job = w->job;

	if (job == NULL)
		return;
	TAILQ_REMOVE(&job->waiters, w, entry);
	job->nwaiters--;
	w->job = NULL;
	if (job->nwaiters > 0 || (job->slot != NULL && !job->finished)) {
		/*
		 * Others still read, or the command drains to its prompt.
		 * Only a waiter that held the oldest byte can free any, so
		 * a cancel walks the others only then.
		 */
		if (!job->delivering && (w->sent == job->base ||
		    job->nwaiters == 0))
			job_trim(job);
		return;
	}
	if (!job->delivering)
		job_free(job);
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

static const struct resolve_ops pool_resolver = {
	resolve_start_router, resolve_cancel
};

static const struct resolve_ops *
router_resolver(const struct router *rt)
{
	return rt->res_override ? rt->res_override : &pool_resolver;
}

/* Stops a lookup under way, if any. */
void
pool_resolve_cancel(struct router *rt)
{
	if (rt->res == NULL)
		return;
	router_resolver(rt)->cancel(rt->res);
	rt->res = NULL;
}

/* Starts looking the router's name up, unless a lookup is under way. */
void
pool_resolve_start(struct router *rt)
{
	char	 msg[LG_ERRSTR_MAX];

	if (rt->res != NULL)
		return;
	if ((rt->res = router_resolver(rt)->start(rt->conf->host,
	    router_resolved, rt)) == NULL) {
		snprintf(msg, sizeof(msg), "cannot resolve %.160s: %s",
		    rt->conf->host, strerror(errno));
		router_unresolved(rt, msg);
	}
}

/* An address for port, in place. */
static socklen_t
pool_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET) {
		((struct sockaddr_in *)ss)->sin_port = htons(port);
		return sizeof(struct sockaddr_in);
	}
	((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	return sizeof(struct sockaddr_in6);
}

uint16_t
pool_router_port(const struct lg_router *r)
{
	if (r->port != 0)
		return r->port;
	return r->transport == TRANSPORT_TELNET ? 23 : 22;
}

/* On the loop: the router's name resolved, or not. */
static void
router_resolved(void *arg, int gai, const struct sockaddr_storage *ss,
    size_t n)
{
	struct router	*rt = arg;
	char		 msg[LG_ERRSTR_MAX];
	size_t		 i, k = 0;
	int		 j;

	rt->res = NULL;
	for (i = 0; gai == 0 && i < n && k < RESOLVE_ADDRS_MAX; i++) {
		if (ss[i].ss_family != AF_INET && ss[i].ss_family != AF_INET6)
			continue;
		rt->addrs[k] = ss[i];
		rt->addrlens[k] = pool_set_port(&rt->addrs[k],
		    pool_router_port(rt->conf));
		k++;
	}
	if (gai != 0 || k == 0) {
		snprintf(msg, sizeof(msg), "cannot resolve %.160s: %s",
		    rt->conf->host, gai != 0 ? gai_strerror(gai) :
		    "no IPv4 or IPv6 address");
		router_unresolved(rt, msg);
		return;
	}
	rt->naddrs = k;
	rt->res_fails = 0;
	log_debug("router %s: %s has %zu address%s", rt->conf->name,
	    rt->conf->host, k, k == 1 ? "" : "es");
	for (j = 0; j < rt->nslots; j++) {
		if (!rt->slots[j].want_addr)
			continue;
		rt->slots[j].want_addr = 0;
		if (rt->slots[j].sess == NULL && !rt->draining &&
		    (broker == NULL || !broker->shutting_down))
			pool_slot_connect_addr(&rt->slots[j], 0);
	}
}

/*
 * The name did not resolve, and is tried again after a backoff that
 * grows up to breaker_probe seconds.  While some session of the router
 * is still open it serves on, and only the slots that wanted an address
 * wait; otherwise the router is down with that error at once (its
 * queries fail fast).
 */
static void
router_unresolved(struct router *rt, const char *msg)
{
	struct job	*job;
	uint64_t	 ms, cap = pool_probe_ms(rt);
	int		 i, same = strcmp(rt->last_error, msg) == 0;

	ms = (uint64_t)pool_backoff_ms(rt->res_fails++, arc4random());
	if (ms > cap)
		ms = cap;
	lg_strlcpy(rt->last_error, msg, sizeof(rt->last_error));
	if (pool_has_ready(rt)) {
		if (!same)
			log_warnx("router %s: %s; its open sessions serve on",
			    rt->conf->name, msg);
		for (i = 0; i < rt->nslots; i++)
			if (rt->slots[i].want_addr) {
				rt->slots[i].want_addr = 0;
				ev_timer_add(&rt->slots[i].timer, ms);
			}
		return;
	}
	for (i = 0; i < rt->nslots; i++)
		rt->slots[i].want_addr = 0;
	rt->failures++;
	if (!rt->down || !same)
		log_warnx("router %s: %s; down, trying again", rt->conf->name,
		    msg);
	rt->down = 1;
	while ((job = TAILQ_FIRST(&rt->queue)) != NULL)
		job_finish(job, LG_ERR_ROUTER_DOWN, 0);
	ev_timer_del(&rt->probe);
	ev_timer_add(&rt->probe, ms);
}

static void
router_down(struct router *rt)
{
	struct job	*job;

	rt->down = 1;
	log_warnx("router %s: down after %u failures in a row (%s); probing "
	    "every %u s", rt->conf->name, rt->failures, rt->last_error,
	    (unsigned int)(pool_probe_ms(rt) / 1000));
	while ((job = TAILQ_FIRST(&rt->queue)) != NULL)
		job_finish(job, LG_ERR_ROUTER_DOWN, 0);
	ev_timer_add(&rt->probe, pool_probe_ms(rt));
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
	if (rt->down || rt->failures >= (max ? max : 5)) {
		if (!rt->down)
			router_down(rt);
		else if (!ev_timer_pending(&rt->probe))
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
	rt->lat[rt->nlat++ % 32] = (uint32_t)(ev_now() - job->started);
	if (rt->nlat >= 64)
		rt->nlat = 32;
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
	if (sock_addr_numeric(r->host, pool_router_port(r), &rt->addrs[0],
	    &rt->addrlens[0]) == 0) {
		rt->literal = 1;
		rt->naddrs = 1;
	}
	rt->nslots = r->sessions > 0 ? r->sessions : 2;
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
