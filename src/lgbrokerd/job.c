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
 * Jobs.  A job is one rendered command (two for both families) and its
 * waiters: identical concurrent queries (router, type, afi, canonical
 * target, vrf) join a job that has not produced output yet, so one router
 * command fans out to every waiter, each of which still gets its own
 * RESULT_BEGIN/DATA/END.  A job waits in its router's FIFO until the pool
 * starts it on an idle session (pool.c), and lives until its last waiter
 * has ended.
 *
 * Flow control: a job keeps the output not yet taken by all its waiters
 * in one buffer; each waiter takes what its window and socket allow.
 * When the buffer passes JOB_PENDING_HIGH the session stops reading, so
 * the slowest waiter paces the router (TCP does the rest) and memory is
 * bounded whatever the output size.  A waiter that stops reading
 * altogether is ended by the deadline, like the job itself.
 */

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "lg.h"
#include "lg_parse.h"
#include "broker.h"

static void	job_deliver(struct job *);

/*
 * An answer of this much text, or a parsed form of this much JSON, or
 * more returns the heap's free pages to the system once the job is gone
 * (job_heap_trim).
 */
#define JOB_TRIM_SIZE		(256 * 1024)

/* Route items closed by the parser handed to the facts thread at once. */
#define JOB_FACTS_BATCH		64

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

/*
 * A large answer is its text in the session's and the job's buffers and,
 * parsed, a jansson tree of up to parse_max_prefixes prefixes (many small
 * blocks), then its JSON text, all freed before the next one comes.
 * glibc keeps the freed pages when the top of the heap is in use: in a
 * soak whose floods (1 MiB of output) come every few minutes, the
 * broker's RSS rose by 20-26 MiB and came down only in part.  The trim
 * follows a large text as well as a large parsed form: a later soak, in
 * which the floods' parsed forms were under the size, trimmed 6 times
 * and its broker grew 5.7% after the warm-up.  malloc_trim(0) hands every
 * free page of every arena back (madvise).  It walks the arenas' free
 * chunks, so it costs time on the event loop: a median of 2.1 ms, at
 * most 5.3 ms, over 62 trims in a 30-minute soak (a heap of about
 * 25 MiB), against far more to read and parse such an answer; it runs
 * after those answers only, and the debug log says what each one cost.
 */
static void
job_heap_trim(void)
{
	struct timespec	 t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	malloc_trim(0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	log_debug("%s: %ld us", __func__, (long)((t1.tv_sec - t0.tv_sec) *
	    1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000));
}

void
job_free(struct job *job)
{
	struct router	*rt = job->rt;
	int		 trim = job->parsed_len >= JOB_TRIM_SIZE ||
			    job->total >= JOB_TRIM_SIZE;

	ev_timer_del(&job->deadline);
	if (job->queued) {
		TAILQ_REMOVE(&rt->queue, job, entry);
		rt->queued--;
	} else
		TAILQ_REMOVE(&rt->running, job, entry);
	if (job->slot != NULL)
		job->slot->job = NULL;
	buf_free(&job->pending);
	if (job->facts != NULL)
		facts_worker_cancel(job->facts);
	if (job->parser != NULL)
		parser_free(job->parser);
	gen_unref(job->gen);
	free(job->parsed);
	free(job);
	if (trim)
		job_heap_trim();
	if (rt->draining && TAILQ_EMPTY(&rt->queue) &&
	    TAILQ_EMPTY(&rt->running))
		ev_timer_add(&rt->t_reap, 0);
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
 * Route facts (AS names, community descriptions, RPKI) from the
 * generation the job was made with, whose driver parses it: a reload
 * during the answer changes neither, and the job's reference keeps both
 * alive.
 */
static void
job_facts_of(const struct job *job, struct facts *f)
{
	const struct gen	*g = job->gen;

	memset(f, 0, sizeof(*f));
	f->asnames = g->conf.asn_names[0] != '\0' ? &g->asnames : NULL;
	f->commdesc = &g->commdesc;
	if (rpki_enabled())
		f->rpki = rpki_validate;
}

/*
 * The facts on the loop, for a small answer.  Without memory the answer
 * keeps what it got.
 */
static void
job_facts(const struct job *job, json_t *j)
{
	struct facts	 f;

	job_facts_of(job, &f);
	if (parse_facts_annotate(j, &f) == -1)
		log_warnx("router %s: route facts: out of memory",
		    job->rt->conf->name);
}

static void
job_facts_release(void *arg)
{
	gen_unref(arg);
}

/* On the loop: the facts thread has dumped the answer (NULL: no memory). */
static void
job_facts_done(void *arg, char *text)
{
	struct job	*job = arg;

	job->facts = NULL;
	job->facts_wait = 0;
	if ((job->parsed = text) != NULL)
		job->parsed_len = strlen(text);
	job_deliver(job);
}

/*
 * Hands the route items the parser has closed to the facts thread, by
 * batches of JOB_FACTS_BATCH at least; the work starts with the first
 * batch, so an answer of fewer items gets its facts on the loop at its
 * end (a thread's round trip would cost it more).  Without memory or
 * thread the items wait for the next call, or for the end.
 */
static void
job_facts_feed(struct job *job)
{
	struct facts	 f;
	json_t		*items;
	size_t		 done;

	if ((items = parser_routes(job->parser, &done)) == NULL)
		return;
	if (job->facts == NULL) {
		if (done < JOB_FACTS_BATCH)
			return;
		job_facts_of(job, &f);
		gen_ref(job->gen);
		if ((job->facts = facts_worker_start(&f, items,
		    job_facts_done, job, job_facts_release, job->gen)) ==
		    NULL) {
			gen_unref(job->gen);
			return;
		}
	}
	if (done - facts_worker_handed(job->facts) >= JOB_FACTS_BATCH)
		(void)facts_worker_feed(job->facts, done);
}

/*
 * The parse ends with the job: a successful answer keeps its parsed form
 * as compact JSON text for the waiters; any other end drops it.  Output
 * cut by the cap parses as far as it goes, without the item it was in
 * (parser_cut), and says it is truncated.  A route answer whose items
 * went to the facts thread goes there whole, to be dumped: the waiters
 * get their parsed frame and end when it comes back (job_facts_done).
 * Without memory the answer goes without its parsed form, never fails.
 */
static void
job_parse_finish(struct job *job)
{
	json_t	*j = NULL;

	if (job->parser == NULL)
		return;
	if (job->flags & LG_RESULT_TRUNCATED)
		parser_cut(job->parser);
	if (job->err == LG_OK)
		j = parser_finish(job->parser);
	if (job->facts != NULL && (j == NULL || !parse_facts_routes(j))) {
		facts_worker_cancel(job->facts);
		job->facts = NULL;
	}
	parser_free(job->parser);
	job->parser = NULL;
	if (j == NULL)
		return;
	if (job->facts != NULL) {
		if (facts_worker_finish(job->facts, j) == 0)
			job->facts_wait = 1;
		else
			job->facts = NULL;
		return;
	}
	job_facts(job, j);
	if ((job->parsed = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    PARSE_JSON_REAL)) != NULL)
		job->parsed_len = strlen(job->parsed);
	json_decref(j);
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
		if (job->finished && !job->facts_wait &&
		    w->sent == job->total && waiter_push_parsed(job, w))
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
	if (job->parser != NULL) {
		(void)parser_feed_text(job->parser, data, len);
		job_facts_feed(job);
	}
	job->total += len;
	job_deliver(job);
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
		job_waiter_end(job, TAILQ_FIRST(&job->waiters), LG_ERR_TIMEOUT,
		    0);
	job_free(job);
}

/*
 * Runs the job's current command on the session, and arms the interrupt
 * of a query type the driver ends itself (sess_intr.c): after its count
 * of reply lines, or its time bound, and in any case before the query's
 * deadline, with a margin for what the program prints on SIGINT.
 */
void
job_run(struct job *job, struct session *s)
{
	const struct lg_driver	*d = s->drv;
	uint64_t		 ms, left = 0, now = ev_now();

	if (session_run(s, job->cmds[job->icmd], 0) == -1 ||
	    !(d->intr_queries & Q_MASK(job->type)))
		return;
	ms = (uint64_t)d->intr_within * 1000;
	if (ev_timer_pending(&job->deadline) && job->deadline.when > now)
		left = job->deadline.when - now;
	if (left > 0 && ms + JOB_INTR_GRACE_MS > left)
		ms = left > 2 * JOB_INTR_GRACE_MS ? left - JOB_INTR_GRACE_MS :
		    left / 2;
	sess_intr_arm(s, &d->intr_match, d->intr_count ? d->intr_count :
	    d->ping_count, ms);
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
	pool_slot_idle_stop(sl);
	job_run(job, sl->sess);
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
	/* An argv is shown as the words it is made of. */
	for (i = 0; job->begin[i] != '\0'; i++)
		if (job->begin[i] == LG_ARGV_SEP)
			job->begin[i] = ' ';
	if ((rc = job_parser(rt, job, n == 1 ? fam[0] : AFI_ANY, err,
	    errlen)) != LG_OK || job->parser == NULL ||
	    t->kind != TGT_ADDRESS)
		return rc;
	/* The address probed, for answers that do not print it (mtr). */
	if (parser_set_target(job->parser, t->canon) == -1) {
		lg_strlcpy(err, job_message(LG_ERR_INTERNAL), errlen);
		return LG_ERR_INTERNAL;
	}
	return LG_OK;
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
	return rt->gen->conf.broker.deadline_ms[type];
}

static enum lg_err
job_new(struct router *rt, enum lg_query_type type, enum lg_afi afi,
    const struct lg_target *t, const char *vrf, const char *key,
    struct job **jobp, char *err, size_t errlen)
{
	struct job	*job;
	enum lg_err	 rc;

	/* broker.queue counts the queries that wait: 0 lets none wait. */
	if (pool_would_wait(rt) && rt->queued >= rt->gen->conf.broker.queue) {
		lg_strlcpy(err, job_message(LG_ERR_BUSY), errlen);
		return LG_ERR_BUSY;
	}
	if ((job = calloc(1, sizeof(*job))) == NULL) {
		lg_strlcpy(err, job_message(LG_ERR_INTERNAL), errlen);
		return LG_ERR_INTERNAL;
	}
	job->rt = rt;
	job->gen = rt->gen;
	gen_ref(job->gen);
	job->type = type;
	lg_strlcpy(job->key, key, sizeof(job->key));
	TAILQ_INIT(&job->waiters);
	buf_init(&job->pending, 4 * JOB_PENDING_HIGH);
	if ((rc = job_render(rt, job, afi, t, vrf, err, errlen)) != LG_OK) {
		if (job->parser != NULL)
			parser_free(job->parser);
		gen_unref(job->gen);
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

	if (pool_router_is_down(rt)) {
		lg_strlcpy(err, job_message(LG_ERR_ROUTER_DOWN), errlen);
		return LG_ERR_ROUTER_DOWN;
	}
	if (!(rt->conf->queries & Q_MASK(type))) {
		snprintf(err, errlen, "%s is not offered on this router",
		    query_name(type));
		return LG_ERR_UNSUPPORTED;
	}
	if (!(rt->drv->supported & Q_MASK(type))) {
		snprintf(err, errlen, "%s is not offered on this router: its "
		    "driver, %s, has no command for it", query_name(type),
		    rt->drv->name);
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

/*
 * The waiter leaves without an end callback (its owner ends it).  When it
 * was the last one of a running job, the command drains to its prompt on
 * the router so that the session stays warm, unless abandon is set or the
 * command runs on this host: then the session goes (a local command is
 * killed with its process group, sess_local.c; a router session is closed
 * and the pool opens a new one) and the job is freed at once.
 */
static void
job_waiter_leave(struct waiter *w, int abandon)
{
	struct job	*job = w->job;

	if (job == NULL)
		return;
	TAILQ_REMOVE(&job->waiters, w, entry);
	job->nwaiters--;
	w->job = NULL;
	if (job->nwaiters == 0 && job->slot != NULL && !job->finished &&
	    (abandon || job->rt->conf->transport == TRANSPORT_LOCAL) &&
	    !job->delivering) {
		pool_slot_recycle(job->slot);
		job_finish(job, LG_ERR_CANCELLED, 0);
		return;
	}
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

/* A client went away (CANCEL): a command left alone drains. */
void
job_waiter_cancel(struct waiter *w)
{
	job_waiter_leave(w, 0);
}

/*
 * The front went away: nobody will ask for this answer again, and a
 * command on a hung router would hold its session and the job until the
 * query deadline; both are let go at once.
 */
void
job_waiter_abandon(struct waiter *w)
{
	job_waiter_leave(w, 1);
}
