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
 * Route facts off the event loop.  While a route answer is parsed on the
 * loop, the job hands each batch of items the parser has closed
 * (parser_routes) to one facts thread, which annotates them
 * (parse_facts_item: RPKI through RTRlib, AS names, community
 * descriptions); at the answer's end it hands the rest and the answer,
 * which the thread dumps as the compact JSON text the waiters get, then
 * frees.  The text comes back through an eventfd the loop watches and
 * the job's callback runs on the loop.  Validation thus runs beside the
 * parse instead of after it, and the loop serves other routers while a
 * large answer is validated and dumped.
 *
 * One thread for the whole broker: the loop is one thread, so one more
 * takes the second core, and work of several answers interleaves batch
 * by batch, in arrival order.  A second one would only contend with the
 * loop for the same cores.
 *
 * Ownership: a handed item belongs to the thread until its batch is
 * done: the parser never changes or removes an item it has closed, and
 * the loop keeps one reference to the items list so that a job freed
 * mid-answer frees no item under the thread.  The answer passes whole
 * to the thread with facts_worker_finish.  A cancelled work leaves the
 * queue at once, or, when the thread is in one of its batches, is
 * dropped by the thread after it; the release callback (the job's
 * reference to its generation, whose tables the thread reads) runs on
 * the loop once nothing of the work is in use.  Nothing the loop still
 * uses is freed by the thread, and no object is touched by both at
 * once; jansson's reference counts are atomic besides (2.14 built with
 * atomic builtins).
 */

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/queue.h>

#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "lg.h"
#include "lg_parse.h"
#include "broker.h"

/*
 * After freeing the tree of an answer whose text is this long or more,
 * the thread hands the heap's free pages back to the system, as job.c
 * does on the loop for answers it frees itself (job_heap_trim).
 */
#define FACTS_TRIM_TEXT		(256 * 1024)

struct facts_batch {
	STAILQ_ENTRY(facts_batch) entry;
	size_t			 n;
	json_t			*items[];
};

STAILQ_HEAD(facts_batches, facts_batch);

/* What a work holds of the answer, freed by whichever thread ends it. */
struct facts_res {
	struct facts_batches	 batches;	/* under fw_lock */
	struct facts_pass	*pass;
	json_t			*items;		/* referenced */
	json_t			*answer;	/* set by facts_worker_finish */
};

struct facts_work {
	TAILQ_ENTRY(facts_work)	 entry;		/* todo or done */
	struct facts_res	 res;
	size_t			 handed;	/* loop only */
	char			*text;		/* the dump, once done */
	int			 queued;	/* in fw_todo */
	int			 busy;		/* the thread has it */
	int			 cancelled;
	int			 ended;		/* no more batches */
	int			 indone;	/* in fw_done */
	void			(*done)(void *, char *);
	void			(*release)(void *);
	void			*arg;
	void			*release_arg;
};

TAILQ_HEAD(facts_works, facts_work);

static pthread_mutex_t	 fw_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 fw_cond = PTHREAD_COND_INITIALIZER;
static struct facts_works fw_todo = TAILQ_HEAD_INITIALIZER(fw_todo);
static struct facts_works fw_done = TAILQ_HEAD_INITIALIZER(fw_done);
static pthread_t	 fw_thread;
static int		 fw_started, fw_stop, fw_fd = -1;
static struct ev_io	 fw_io;

/* A work's hold on the answer; on one thread at a time. */
static void
facts_res_free(struct facts_res *r)
{
	struct facts_batch	*b;

	while ((b = STAILQ_FIRST(&r->batches)) != NULL) {
		STAILQ_REMOVE_HEAD(&r->batches, entry);
		free(b);
	}
	parse_facts_pass_free(r->pass);
	r->pass = NULL;
	json_decref(r->answer);
	r->answer = NULL;
	json_decref(r->items);
	r->items = NULL;
}

/* Moves the hold of from to to (empty), leaving from empty. */
static void
facts_res_move(struct facts_res *to, struct facts_res *from)
{
	STAILQ_INIT(&to->batches);
	STAILQ_CONCAT(&to->batches, &from->batches);
	to->pass = from->pass;
	to->items = from->items;
	to->answer = from->answer;
	from->pass = NULL;
	from->items = from->answer = NULL;
}

/* On the loop: the work's end. */
static void
facts_work_free(struct facts_work *w)
{
	facts_res_free(&w->res);
	free(w->text);
	if (w->release != NULL)
		w->release(w->release_arg);
	free(w);
}

static void
facts_worker_wake(void)
{
	uint64_t	 one = 1;

	(void)!write(fw_fd, &one, sizeof(one));
}

/*
 * On the thread, unlocked: one batch, or the dump of a work that has
 * none left.
 */
static void
facts_worker_step(struct facts_work *w, struct facts_batch *b)
{
	size_t		 i;

	if (b != NULL) {
		for (i = 0; i < b->n; i++)
			if (parse_facts_item(w->res.pass, b->items[i]) == -1) {
				log_warnx("route facts: out of memory");
				break;
			}
		free(b);
		return;
	}
	w->text = json_dumps(w->res.answer, JSON_COMPACT |
	    JSON_PRESERVE_ORDER | PARSE_JSON_REAL);
}

/*
 * Takes the next thing to do, under fw_lock: a batch of the first work
 * (which then goes to the tail, so answers interleave), or a finished
 * work's dump.  NULL when there is nothing.
 */
static struct facts_work *
facts_worker_take(struct facts_batch **bp)
{
	struct facts_work	*w;

	while ((w = TAILQ_FIRST(&fw_todo)) != NULL) {
		TAILQ_REMOVE(&fw_todo, w, entry);
		w->queued = 0;
		if ((*bp = STAILQ_FIRST(&w->res.batches)) != NULL) {
			STAILQ_REMOVE_HEAD(&w->res.batches, entry);
			if (!STAILQ_EMPTY(&w->res.batches) || w->ended) {
				TAILQ_INSERT_TAIL(&fw_todo, w, entry);
				w->queued = 1;
			}
			return w;
		}
		if (w->ended)
			return w;
	}
	return NULL;
}

/*
 * A work dumped, or cancelled while the thread was in it, goes back to
 * the loop at once (under fw_lock); its hold on the answer moves to rest,
 * for the thread to free after.
 */
static void
facts_worker_end(struct facts_work *w, struct facts_res *rest)
{
	if (w->queued)
		TAILQ_REMOVE(&fw_todo, w, entry);
	w->queued = 0;
	facts_res_move(rest, &w->res);
	TAILQ_INSERT_TAIL(&fw_done, w, entry);
	w->indone = 1;
	facts_worker_wake();
}

static void *
facts_worker_main(void *arg)
{
	struct facts_work	*w;
	struct facts_batch	*b;
	struct facts_res	 rest;
	int			 dump, big;

	(void)arg;
	pthread_mutex_lock(&fw_lock);
	while (!fw_stop) {
		if ((w = facts_worker_take(&b)) == NULL) {
			pthread_cond_wait(&fw_cond, &fw_lock);
			continue;
		}
		w->busy = 1;
		dump = b == NULL;
		pthread_mutex_unlock(&fw_lock);
		facts_worker_step(w, b);
		pthread_mutex_lock(&fw_lock);
		w->busy = 0;
		if (!w->cancelled && !dump)
			continue;
		big = dump && w->text != NULL &&
		    strlen(w->text) >= FACTS_TRIM_TEXT;
		facts_worker_end(w, &rest);
		pthread_mutex_unlock(&fw_lock);
		facts_res_free(&rest);
		if (big)
			malloc_trim(0);
		pthread_mutex_lock(&fw_lock);
	}
	pthread_mutex_unlock(&fw_lock);
	return NULL;
}

/* On the loop: runs the callbacks of the works done. */
void
facts_worker_dispatch(void)
{
	struct facts_works	 done = TAILQ_HEAD_INITIALIZER(done);
	struct facts_work	*w;
	uint64_t		 n;
	char			*text;

	(void)!read(fw_fd, &n, sizeof(n));	/* EAGAIN: spurious */
	pthread_mutex_lock(&fw_lock);
	TAILQ_CONCAT(&done, &fw_done, entry);
	pthread_mutex_unlock(&fw_lock);
	while ((w = TAILQ_FIRST(&done)) != NULL) {
		TAILQ_REMOVE(&done, w, entry);
		if (!w->cancelled) {
			text = w->text;
			w->text = NULL;
			w->done(w->arg, text);
		}
		facts_work_free(w);
	}
}

static void
facts_worker_io(int fd, uint32_t events, void *arg)
{
	(void)fd;
	(void)events;
	(void)arg;
	facts_worker_dispatch();
}

/*
 * Starts the thread and watches its eventfd on the loop (ev_init first).
 * Returns 0, or -1 with errno set.
 */
int
facts_worker_init(void)
{
	if (fw_started)
		return 0;
	if ((fw_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		return -1;
	if (ev_io_add(&fw_io, fw_fd, EPOLLIN, facts_worker_io, NULL) == -1)
		goto fail;
	fw_stop = 0;
	if ((errno = pthread_create(&fw_thread, NULL, facts_worker_main,
	    NULL)) != 0) {
		ev_io_del(&fw_io);
		goto fail;
	}
	fw_started = 1;
	return 0;
fail:
	close(fw_fd);
	fw_fd = -1;
	return -1;
}

int
facts_worker_fd(void)
{
	return fw_fd;
}

/*
 * Stops the thread after its current step; the works left (their jobs
 * are gone) are freed without their callbacks.
 */
void
facts_worker_shutdown(void)
{
	struct facts_work	*w;

	if (!fw_started)
		return;
	pthread_mutex_lock(&fw_lock);
	fw_stop = 1;
	pthread_cond_signal(&fw_cond);
	pthread_mutex_unlock(&fw_lock);
	pthread_join(fw_thread, NULL);
	fw_started = 0;
	TAILQ_CONCAT(&fw_done, &fw_todo, entry);
	while ((w = TAILQ_FIRST(&fw_done)) != NULL) {
		TAILQ_REMOVE(&fw_done, w, entry);
		facts_work_free(w);
	}
	ev_io_del(&fw_io);
	close(fw_fd);
	fw_fd = -1;
}

/*
 * A work for the answer whose items list is items (referenced here): f's
 * tables must live until release(release_arg), which runs on the loop
 * when the work is over.  done(arg, text) runs on the loop with the
 * dumped answer (the callee frees it; NULL without memory) unless the
 * work is cancelled first.  Returns NULL without memory or thread; the
 * callbacks then never run.
 */
struct facts_work *
facts_worker_start(const struct facts *f, json_t *items,
    void (*done)(void *, char *), void *arg, void (*release)(void *),
    void *release_arg)
{
	struct facts_work	*w;

	if (!fw_started || (w = calloc(1, sizeof(*w))) == NULL)
		return NULL;
	STAILQ_INIT(&w->res.batches);
	if ((w->res.pass = parse_facts_pass_new(f)) == NULL) {
		free(w);
		return NULL;
	}
	w->res.items = json_incref(items);
	w->done = done;
	w->arg = arg;
	w->release = release;
	w->release_arg = release_arg;
	return w;
}

/* Queues a batch (under fw_lock). */
static void
facts_worker_queue(struct facts_work *w, struct facts_batch *b)
{
	if (b != NULL)
		STAILQ_INSERT_TAIL(&w->res.batches, b, entry);
	if (!w->queued) {
		TAILQ_INSERT_TAIL(&fw_todo, w, entry);
		w->queued = 1;
	}
	pthread_cond_signal(&fw_cond);
}

/*
 * Hands the items from the last one handed up to upto (those the parser
 * has closed).  Returns 0, or -1 without memory (the work is then of no
 * more use: cancel it).
 */
int
facts_worker_feed(struct facts_work *w, size_t upto)
{
	struct facts_batch	*b;
	size_t			 i;

	if (upto > json_array_size(w->res.items))
		upto = json_array_size(w->res.items);
	if (upto <= w->handed)
		return 0;
	if ((b = malloc(sizeof(*b) + (upto - w->handed) * sizeof(json_t *)))
	    == NULL)
		return -1;
	b->n = upto - w->handed;
	for (i = 0; i < b->n; i++)
		b->items[i] = json_array_get(w->res.items, w->handed + i);
	w->handed = upto;
	pthread_mutex_lock(&fw_lock);
	facts_worker_queue(w, b);
	pthread_mutex_unlock(&fw_lock);
	return 0;
}

/* Items handed so far. */
size_t
facts_worker_handed(const struct facts_work *w)
{
	return w->handed;
}

/*
 * The answer is complete (answer, which holds the items list, passes to
 * the work): its last items are handed, and once all are annotated the
 * thread dumps it and done runs.  Returns 0, or -1 without memory (the
 * work is cancelled then, and the answer freed).
 */
int
facts_worker_finish(struct facts_work *w, json_t *answer)
{
	if (facts_worker_feed(w, json_array_size(w->res.items)) == -1) {
		json_decref(answer);
		facts_worker_cancel(w);
		return -1;
	}
	pthread_mutex_lock(&fw_lock);
	w->res.answer = answer;
	w->ended = 1;
	facts_worker_queue(w, NULL);
	pthread_mutex_unlock(&fw_lock);
	return 0;
}

/*
 * The job goes: its callback will not run.  A work the thread is in is
 * left to it and freed on the loop once it lets go.
 */
void
facts_worker_cancel(struct facts_work *w)
{
	pthread_mutex_lock(&fw_lock);
	w->cancelled = 1;
	if (w->busy) {
		pthread_mutex_unlock(&fw_lock);
		return;
	}
	if (w->queued)
		TAILQ_REMOVE(&fw_todo, w, entry);
	w->queued = 0;
	/* A work done but not dispatched yet is freed by the dispatch. */
	if (w->indone) {
		pthread_mutex_unlock(&fw_lock);
		return;
	}
	pthread_mutex_unlock(&fw_lock);
	facts_work_free(w);
}
