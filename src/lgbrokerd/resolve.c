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
 * Hostname resolution off the event loop: getaddrinfo blocks, so a few
 * resolver threads take requests from two queues and hand the results
 * back through an eventfd the loop watches.  The callback runs on the
 * loop.  A cancelled request leaves its queue, or, once a thread has it,
 * is dropped when its answer comes back; nothing is freed under a thread.
 *
 * Two lanes share the threads.  Query names (ping and traceroute
 * targets) come first and their queue is capped: past RESOLVE_QUEUE_MAX
 * waiting, resolve_start fails with EAGAIN and the query is answered
 * busy.  Router names (at most one request per router at a time, so
 * that lane is bounded by the number of routers) may hold at most
 * RESOLVE_ROUTER_THREADS threads at once, so routers whose DNS server
 * never answers cannot stall the names of queries behind them.
 */

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lg.h"
#include "broker.h"

/* How long shutdown waits for a thread stuck in getaddrinfo, ms. */
#define RESOLVE_JOIN_MS		1000

enum resolve_lane {
	LANE_QUERY = 0,
	LANE_ROUTER,
	LANE_COUNT
};

struct resolve_req {
	struct resolve_req	*next;
	enum resolve_lane	 lane;
	char			 name[LG_HOSTNAME_MAX + 1];
	void			(*cb)(void *, int,
				    const struct sockaddr_storage *, size_t);
	void			*arg;
	int			 cancelled;
	int			 gai;
	struct sockaddr_storage	 addrs[RESOLVE_ADDRS_MAX];
	size_t			 naddrs;
};

struct resolve_queue {
	struct resolve_req	*head;
	struct resolve_req	**tail;
	unsigned int		 len;
	unsigned int		 running;
};

static pthread_t	 res_threads[RESOLVE_THREADS];
static int		 res_nthreads;
static pthread_mutex_t	 res_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 res_cond = PTHREAD_COND_INITIALIZER;
static struct resolve_queue res_q[LANE_COUNT];
static struct resolve_req *res_done;
/* Requests a thread is resolving: reachable, and freed at shutdown. */
static struct resolve_req *res_busy;
static int		 res_stop, res_fd = -1, res_started;
static int		 res_stuck;	/* threads left in a lookup */
static struct ev_io	 res_io;

/* On a resolver thread: a gai code, and up to max addresses. */
static int
resolve_getaddrinfo(const char *name, struct sockaddr_storage *addrs,
    size_t max, size_t *n)
{
	struct addrinfo	 hints = { 0 }, *res, *ai;
	int		 gai;

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	*n = 0;
	if ((gai = getaddrinfo(name, NULL, &hints, &res)) != 0)
		return gai;
	for (ai = res; ai != NULL && *n < max; ai = ai->ai_next) {
		if (ai->ai_addrlen > sizeof(addrs[0]) ||
		    (ai->ai_family != AF_INET && ai->ai_family != AF_INET6))
			continue;
		memcpy(&addrs[(*n)++], ai->ai_addr, ai->ai_addrlen);
	}
	freeaddrinfo(res);
	return 0;
}

int	(*resolve_lookup)(const char *, struct sockaddr_storage *, size_t,
	    size_t *) = resolve_getaddrinfo;

static void
list_remove(struct resolve_req **head, struct resolve_req *r)
{
	for (; *head != NULL; head = &(*head)->next)
		if (*head == r) {
			*head = r->next;
			return;
		}
}

/* Under the lock: the next request a thread may take, or NULL. */
static struct resolve_req *
resolve_take(void)
{
	struct resolve_queue	*q = &res_q[LANE_QUERY];
	struct resolve_req	*r;

	if (q->head == NULL) {
		q = &res_q[LANE_ROUTER];
		if (q->head == NULL || q->running >= RESOLVE_ROUTER_THREADS)
			return NULL;
	}
	r = q->head;
	if ((q->head = r->next) == NULL)
		q->tail = &q->head;
	q->len--;
	q->running++;
	r->next = res_busy;
	res_busy = r;
	return r;
}

static void *
resolve_main(void *arg)
{
	struct resolve_req	*r;
	uint64_t		 one = 1;

	(void)arg;
	pthread_mutex_lock(&res_lock);
	for (;;) {
		while (!res_stop && (r = resolve_take()) == NULL)
			pthread_cond_wait(&res_cond, &res_lock);
		if (res_stop)
			break;
		pthread_mutex_unlock(&res_lock);
		r->gai = resolve_lookup(r->name, r->addrs, RESOLVE_ADDRS_MAX,
		    &r->naddrs);
		pthread_mutex_lock(&res_lock);
		if (res_stop)
			break;		/* r stays on res_busy */
		list_remove(&res_busy, r);
		res_q[r->lane].running--;
		/* A router slot came free: another thread may take it. */
		if (r->lane == LANE_ROUTER && res_q[LANE_ROUTER].head != NULL)
			pthread_cond_signal(&res_cond);
		r->next = res_done;
		res_done = r;
		/* A failed write means the counter is full: the loop is awake. */
		(void)!write(res_fd, &one, sizeof(one));
	}
	pthread_mutex_unlock(&res_lock);
	return NULL;
}

/* On the loop: hands finished requests to their callbacks. */
static void
resolve_io(int fd, uint32_t events, void *arg)
{
	struct resolve_req	*r, *done;
	uint64_t		 n;

	(void)events;
	(void)arg;
	(void)!read(fd, &n, sizeof(n));	/* EAGAIN: a spurious wake-up */
	pthread_mutex_lock(&res_lock);
	done = res_done;
	res_done = NULL;
	pthread_mutex_unlock(&res_lock);
	while ((r = done) != NULL) {
		done = r->next;
		if (!r->cancelled)
			r->cb(r->arg, r->gai, r->addrs, r->naddrs);
		free(r);
	}
}

int
resolve_init(void)
{
	int	 i;

	for (i = 0; i < LANE_COUNT; i++) {
		res_q[i].head = NULL;
		res_q[i].tail = &res_q[i].head;
		res_q[i].len = res_q[i].running = 0;
	}
	if ((res_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		return -1;
	if (ev_io_add(&res_io, res_fd, EPOLLIN, resolve_io, NULL) == -1)
		return -1;
	res_stop = 0;
	res_started = 1;
	for (res_nthreads = 0; res_nthreads < RESOLVE_THREADS; res_nthreads++)
		if (pthread_create(&res_threads[res_nthreads], NULL,
		    resolve_main, NULL) != 0)
			return res_nthreads > 0 ? 0 : -1;
	return 0;
}

static void
resolve_free_list(struct resolve_req *r)
{
	struct resolve_req	*next;

	for (; r != NULL; r = next) {
		next = r->next;
		free(r);
	}
}

/*
 * Stops the threads.  One blocked in getaddrinfo (a DNS server that
 * never answers) is waited for RESOLVE_JOIN_MS at most, then left to die
 * with the process, its request still reachable.
 */
void
resolve_shutdown(void)
{
	struct timespec	 ts;
	int		 i;

	if (res_started) {
		pthread_mutex_lock(&res_lock);
		res_stop = 1;
		pthread_cond_broadcast(&res_cond);
		pthread_mutex_unlock(&res_lock);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += RESOLVE_JOIN_MS / 1000;
		for (i = 0; i < res_nthreads; i++)
			if (pthread_timedjoin_np(res_threads[i], NULL, &ts) != 0)
				res_stuck++;
		res_started = 0;
		res_nthreads = 0;
	}
	for (i = 0; i < LANE_COUNT; i++) {
		resolve_free_list(res_q[i].head);
		res_q[i].head = NULL;
		res_q[i].tail = &res_q[i].head;
		res_q[i].len = res_q[i].running = 0;
	}
	resolve_free_list(res_done);
	res_done = NULL;
	if (!res_stuck) {
		resolve_free_list(res_busy);
		res_busy = NULL;
	}
	if (res_fd != -1) {
		/* A stopped thread never writes it again. */
		ev_io_del(&res_io);
		close(res_fd);
		res_fd = -1;
	}
}

static struct resolve_req *
resolve_enqueue(enum resolve_lane lane, const char *name,
    void (*cb)(void *, int, const struct sockaddr_storage *, size_t),
    void *arg)
{
	struct resolve_queue	*q = &res_q[lane];
	struct resolve_req	*r;

	if (!res_started) {
		errno = ENOTCONN;
		return NULL;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->lane = lane;
	lg_strlcpy(r->name, name, sizeof(r->name));
	r->cb = cb;
	r->arg = arg;
	pthread_mutex_lock(&res_lock);
	if (lane == LANE_QUERY && q->len >= RESOLVE_QUEUE_MAX) {
		pthread_mutex_unlock(&res_lock);
		free(r);
		errno = EAGAIN;
		return NULL;
	}
	*q->tail = r;
	q->tail = &r->next;
	q->len++;
	pthread_cond_signal(&res_cond);
	pthread_mutex_unlock(&res_lock);
	return r;
}

/*
 * A query's name.  Returns the request, or NULL with errno set (EAGAIN:
 * the queue is full) and then the callback will not fire.
 */
struct resolve_req *
resolve_start(const char *name, void (*cb)(void *, int,
    const struct sockaddr_storage *, size_t), void *arg)
{
	return resolve_enqueue(LANE_QUERY, name, cb, arg);
}

/* A router's name: the same contract, in the router lane. */
struct resolve_req *
resolve_start_router(const char *name, void (*cb)(void *, int,
    const struct sockaddr_storage *, size_t), void *arg)
{
	return resolve_enqueue(LANE_ROUTER, name, cb, arg);
}

/*
 * A request still waiting in its queue leaves it at once, so it takes
 * neither a thread nor a place in the capped query queue; one a thread
 * has taken is dropped when its answer comes back.  Either way the
 * callback never fires.
 */
void
resolve_cancel(struct resolve_req *r)
{
	struct resolve_queue	*q = &res_q[r->lane];
	struct resolve_req	**pp;

	pthread_mutex_lock(&res_lock);
	for (pp = &q->head; *pp != NULL && *pp != r; pp = &(*pp)->next)
		;
	if (*pp == NULL) {
		r->cancelled = 1;
		pthread_mutex_unlock(&res_lock);
		return;
	}
	if ((*pp = r->next) == NULL)
		q->tail = pp;
	q->len--;
	pthread_mutex_unlock(&res_lock);
	free(r);
}
