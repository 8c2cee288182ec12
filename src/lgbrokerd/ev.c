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
 * The broker's event loop: one epoll descriptor for every socket (client
 * connections, router sessions, the resolver's wake-up pipe) and a binary
 * min-heap of timers, so that 1,000 routers' timers cost O(log n) each.
 * The clock is CLOCK_MONOTONIC in milliseconds, read once per loop turn;
 * unit tests switch to a fake clock and move it by hand.
 */

#include <sys/epoll.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lg.h"
#include "broker.h"

#define EV_MAX_EVENTS	64

static int		  ev_fd = -1;
static struct ev_timer	**heap;
static size_t		  nheap, heapsize;
static uint64_t		  now_ms;
static int		  fake_clock;
static int		  stop;

static uint64_t
clock_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void
ev_update_clock(void)
{
	if (!fake_clock)
		now_ms = clock_ms();
}

int
ev_init(void)
{
	if (ev_fd == -1 && (ev_fd = epoll_create1(EPOLL_CLOEXEC)) == -1)
		return -1;
	ev_update_clock();
	stop = 0;
	return 0;
}

void
ev_free(void)
{
	if (ev_fd != -1)
		close(ev_fd);
	ev_fd = -1;
	free(heap);
	heap = NULL;
	nheap = heapsize = 0;
}

uint64_t
ev_now(void)
{
	return now_ms;
}

void
ev_fake_clock(int on)
{
	fake_clock = on;
	if (on && now_ms == 0)
		now_ms = 1000000;
}

void
ev_advance(uint64_t ms)
{
	now_ms += ms;
	ev_timers_run();
}

int
ev_io_add(struct ev_io *io, int fd, uint32_t events,
    void (*cb)(int, uint32_t, void *), void *arg)
{
	struct epoll_event	 ee = { 0 };

	io->fd = fd;
	io->events = events;
	io->cb = cb;
	io->arg = arg;
	ee.events = events;
	ee.data.ptr = io;
	if (epoll_ctl(ev_fd, EPOLL_CTL_ADD, fd, &ee) == -1)
		return -1;
	io->added = 1;
	return 0;
}

int
ev_io_mod(struct ev_io *io, uint32_t events)
{
	struct epoll_event	 ee = { 0 };

	if (!io->added)
		return -1;
	if (io->events == events)
		return 0;
	ee.events = events;
	ee.data.ptr = io;
	if (epoll_ctl(ev_fd, EPOLL_CTL_MOD, io->fd, &ee) == -1)
		return -1;
	io->events = events;
	return 0;
}

void
ev_io_del(struct ev_io *io)
{
	if (!io->added)
		return;
	epoll_ctl(ev_fd, EPOLL_CTL_DEL, io->fd, NULL);
	io->added = 0;
}

/* Heap helpers: idx is the 1-based slot, so 0 means "not armed". */
static void
heap_set(size_t i, struct ev_timer *t)
{
	heap[i] = t;
	t->idx = i + 1;
}

static void
heap_up(size_t i)
{
	struct ev_timer	*t = heap[i];
	size_t		 parent;

	while (i > 0) {
		parent = (i - 1) / 2;
		if (heap[parent]->when <= t->when)
			break;
		heap_set(i, heap[parent]);
		i = parent;
	}
	heap_set(i, t);
}

static void
heap_down(size_t i)
{
	struct ev_timer	*t = heap[i];
	size_t		 child;

	for (;;) {
		child = 2 * i + 1;
		if (child >= nheap)
			break;
		if (child + 1 < nheap && heap[child + 1]->when <
		    heap[child]->when)
			child++;
		if (heap[child]->when >= t->when)
			break;
		heap_set(i, heap[child]);
		i = child;
	}
	heap_set(i, t);
}

void
ev_timer_init(struct ev_timer *t, void (*cb)(void *), void *arg)
{
	t->when = 0;
	t->idx = 0;
	t->cb = cb;
	t->arg = arg;
}

void
ev_timer_add(struct ev_timer *t, uint64_t ms)
{
	ev_timer_del(t);
	if (nheap == heapsize) {
		heapsize = heapsize ? heapsize * 2 : 64;
		heap = xreallocarray(heap, heapsize, sizeof(*heap));
	}
	t->when = now_ms + ms;
	heap_set(nheap++, t);
	heap_up(nheap - 1);
}

void
ev_timer_del(struct ev_timer *t)
{
	size_t		 i;

	if (t->idx == 0)
		return;
	i = t->idx - 1;
	t->idx = 0;
	if (--nheap == i)
		return;
	heap_set(i, heap[nheap]);
	heap_down(i);
	heap_up(heap[i]->idx - 1);
}

int
ev_timer_pending(const struct ev_timer *t)
{
	return t->idx != 0;
}

/* Fires every timer that is due; a callback may add or delete timers. */
void
ev_timers_run(void)
{
	struct ev_timer	*t;

	while (nheap > 0 && heap[0]->when <= now_ms) {
		t = heap[0];
		ev_timer_del(t);
		t->cb(t->arg);
	}
}

static int
ev_next_timeout(int max)
{
	uint64_t	 d;

	if (nheap == 0)
		return max;
	d = heap[0]->when > now_ms ? heap[0]->when - now_ms : 0;
	if (max >= 0 && d > (uint64_t)max)
		return max;
	return d > 60000 ? 60000 : (int)d;
}

int
ev_loop_once(int max)
{
	struct epoll_event	 evs[EV_MAX_EVENTS];
	struct ev_io		*io;
	int			 i, n;

	n = epoll_wait(ev_fd, evs, EV_MAX_EVENTS, ev_next_timeout(max));
	if (n == -1 && errno != EINTR)
		return -1;
	ev_update_clock();
	for (i = 0; i < n; i++) {
		io = evs[i].data.ptr;
		io->cb(io->fd, evs[i].events, io->arg);
	}
	ev_timers_run();
	return 0;
}

void
ev_loop(void)
{
	while (!stop)
		if (ev_loop_once(-1) == -1)
			fatal("epoll_wait");
}

void
ev_break(void)
{
	stop = 1;
}
