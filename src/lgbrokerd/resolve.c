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
 * Hostname resolution for ping and traceroute targets, off the event
 * loop: getaddrinfo blocks, so one resolver thread takes requests from a
 * queue and hands results back through an eventfd the loop watches.  The
 * callback runs on the loop.  A cancelled request is dropped when its
 * answer comes back; nothing is freed under the thread.
 */

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <netdb.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"
#include "broker.h"

#define RESOLVE_ADDRS_MAX	16

struct resolve_req {
	struct resolve_req	*next;
	char			 name[LG_HOSTNAME_MAX + 1];
	void			(*cb)(void *, int, const struct sockaddr_storage *,
				    size_t);
	void			*arg;
	int			 cancelled;
	int			 gai;
	struct sockaddr_storage	 addrs[RESOLVE_ADDRS_MAX];
	size_t			 naddrs;
};

static pthread_t	 res_thread;
static pthread_mutex_t	 res_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 res_cond = PTHREAD_COND_INITIALIZER;
static struct resolve_req *res_todo, *res_done;
static int		 res_stop, res_fd = -1, res_started;
static struct ev_io	 res_io;

static void
resolve_one(struct resolve_req *r)
{
	struct addrinfo	 hints = { 0 }, *res, *ai;

	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	if ((r->gai = getaddrinfo(r->name, NULL, &hints, &res)) != 0)
		return;
	for (ai = res; ai != NULL && r->naddrs < RESOLVE_ADDRS_MAX;
	    ai = ai->ai_next) {
		if (ai->ai_addrlen > sizeof(r->addrs[0]))
			continue;
		memcpy(&r->addrs[r->naddrs++], ai->ai_addr, ai->ai_addrlen);
	}
	freeaddrinfo(res);
}

static void *
resolve_main(void *arg)
{
	struct resolve_req	*r;
	uint64_t		 one = 1;

	(void)arg;
	pthread_mutex_lock(&res_lock);
	for (;;) {
		while (res_todo == NULL && !res_stop)
			pthread_cond_wait(&res_cond, &res_lock);
		if (res_stop)
			break;
		r = res_todo;
		res_todo = r->next;
		pthread_mutex_unlock(&res_lock);
		resolve_one(r);
		pthread_mutex_lock(&res_lock);
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
	if ((res_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		return -1;
	if (ev_io_add(&res_io, res_fd, EPOLLIN, resolve_io, NULL) == -1)
		return -1;
	res_stop = 0;
	if (pthread_create(&res_thread, NULL, resolve_main, NULL) != 0)
		return -1;
	res_started = 1;
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

void
resolve_shutdown(void)
{
	if (res_started) {
		pthread_mutex_lock(&res_lock);
		res_stop = 1;
		pthread_cond_signal(&res_cond);
		pthread_mutex_unlock(&res_lock);
		pthread_join(res_thread, NULL);
		res_started = 0;
	}
	resolve_free_list(res_todo);
	resolve_free_list(res_done);
	res_todo = res_done = NULL;
	if (res_fd != -1) {
		ev_io_del(&res_io);
		close(res_fd);
		res_fd = -1;
	}
}

/* Returns the request, or NULL (the callback will not fire). */
struct resolve_req *
resolve_start(const char *name, void (*cb)(void *, int,
    const struct sockaddr_storage *, size_t), void *arg)
{
	struct resolve_req	*r, **tail;

	if (!res_started || (r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	lg_strlcpy(r->name, name, sizeof(r->name));
	r->cb = cb;
	r->arg = arg;
	pthread_mutex_lock(&res_lock);
	for (tail = &res_todo; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = r;
	pthread_cond_signal(&res_cond);
	pthread_mutex_unlock(&res_lock);
	return r;
}

void
resolve_cancel(struct resolve_req *r)
{
	pthread_mutex_lock(&res_lock);
	r->cancelled = 1;
	pthread_mutex_unlock(&res_lock);
}
