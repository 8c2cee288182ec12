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
 * The broker's resolver threads (resolve.c) with a scripted lookup in
 * place of getaddrinfo: names beginning "hold" block until the test lets
 * them go, so the tests can fill the threads and the queue at will.
 * Covered: router names never take every thread (query names pass them),
 * the query queue is capped (issue 24: EAGAIN, answered busy) while the
 * router lane is not, a cancelled request never calls back (and leaves
 * the queue at once when no thread has it yet), and shutdown does not
 * wait for a lookup that never ends.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "lg.h"
#include "lgbrokerd/broker.h"

/* Generous: a loaded machine may be slow to schedule a thread. */
#define WAIT_MS		20000

static pthread_mutex_t	 lk = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t	 cv = PTHREAD_COND_INITIALIZER;
static int		 held;		/* lookups blocked now */
static int		 released;
static int		 answers;	/* callbacks on the loop */
static int		 answered_q;	/* "q" answered */
static int		 lookups_queued, lookups_last;	/* of those names */

static int
fake_lookup(const char *name, struct sockaddr_storage *addrs, size_t max,
    size_t *n)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)&addrs[0];

	assert_true(max >= 1);
	pthread_mutex_lock(&lk);
	lookups_queued += strcmp(name, "nx-queued") == 0;
	lookups_last += strcmp(name, "nx-last") == 0;
	if (strncmp(name, "hold", 4) == 0) {
		held++;
		pthread_cond_broadcast(&cv);
		while (!released)
			pthread_cond_wait(&cv, &lk);
		held--;
	}
	pthread_mutex_unlock(&lk);
	*n = 0;
	if (strncmp(name, "nx", 2) == 0)
		return EAI_NONAME;
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(0xc0000201);
	*n = 1;
	return 0;
}

static void
answer(void *arg, int gai, const struct sockaddr_storage *ss, size_t n)
{
	const char	*name = arg;

	answers++;
	if (strcmp(name, "q") == 0) {
		answered_q++;
		assert_int_equal(gai, 0);
		assert_int_equal(n, 1);
		assert_int_equal(ss[0].ss_family, AF_INET);
	}
	if (strcmp(name, "nx") == 0)
		assert_int_equal(gai, EAI_NONAME);
}

static uint64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Waits until exactly n lookups are blocked. */
static void
wait_held(int n)
{
	struct timespec	 ts;
	int		 rv = 0;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += WAIT_MS / 1000;
	pthread_mutex_lock(&lk);
	while (held != n && rv == 0)
		rv = pthread_cond_timedwait(&cv, &lk, &ts);
	pthread_mutex_unlock(&lk);
	assert_int_equal(held, n);
}

static void
release(int on)
{
	pthread_mutex_lock(&lk);
	released = on;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&lk);
}

/* Runs the loop until n callbacks in all have come, or fails. */
static void
wait_answers(int n)
{
	uint64_t	 end = now_ms() + WAIT_MS;

	while (answers < n && now_ms() < end)
		assert_int_not_equal(ev_loop_once(50), -1);
	assert_int_equal(answers, n);
}

static int
setup(void **state)
{
	(void)state;
	resolve_lookup = fake_lookup;
	held = released = answers = answered_q = 0;
	lookups_queued = lookups_last = 0;
	assert_int_equal(ev_init(), 0);
	assert_int_equal(resolve_init(), 0);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	release(1);
	resolve_shutdown();
	ev_free();
	return 0;
}

/* Routers whose DNS never answers hold some threads, never all. */
static void
test_router_lane(void **state)
{
	char	 r[] = "r", q[] = "q", nx[] = "nx";
	int	 i;

	(void)state;
	for (i = 0; i < RESOLVE_THREADS + 2; i++)
		assert_non_null(resolve_start_router("hold-router", answer, r));
	wait_held(RESOLVE_ROUTER_THREADS);
	usleep(100 * 1000);
	assert_int_equal(held, RESOLVE_ROUTER_THREADS);
	/* A query's name is answered while the router names hang. */
	assert_non_null(resolve_start("pinghost", answer, q));
	assert_non_null(resolve_start("nx.example", answer, nx));
	wait_answers(2);
	assert_int_equal(answered_q, 1);
	assert_int_equal(held, RESOLVE_ROUTER_THREADS);
	release(1);
	wait_answers(2 + RESOLVE_THREADS + 2);
}

/* Issue 24: the queue of query names is capped; router names are not. */
static void
test_queue_cap(void **state)
{
	struct resolve_req	*cancelled = NULL;
	char			 h[] = "h", q[] = "q", r[] = "r";
	int			 i;

	(void)state;
	for (i = 0; i < RESOLVE_THREADS; i++)
		assert_non_null(resolve_start("hold-q", answer, h));
	wait_held(RESOLVE_THREADS);
	for (i = 0; i < RESOLVE_QUEUE_MAX; i++) {
		struct resolve_req *req = resolve_start("hold-q", answer, h);

		assert_non_null(req);
		if (i == 7)
			cancelled = req;
	}
	errno = 0;
	assert_null(resolve_start("pinghost", answer, q));
	assert_int_equal(errno, EAGAIN);
	assert_non_null(resolve_start_router("router", answer, r));
	resolve_cancel(cancelled);
	release(1);
	/* Every one answered but the cancelled one. */
	wait_answers(RESOLVE_THREADS + RESOLVE_QUEUE_MAX - 1 + 1);
	usleep(100 * 1000);
	assert_int_equal(ev_loop_once(0), 0);
	assert_int_equal(answers, RESOLVE_THREADS + RESOLVE_QUEUE_MAX);
	/* Room again. */
	assert_non_null(resolve_start("pinghost", answer, q));
	wait_answers(RESOLVE_THREADS + RESOLVE_QUEUE_MAX + 1);
	assert_int_equal(answered_q, 1);
}

/*
 * A cancelled query name still waiting for a thread leaves the queue at
 * once: it gives its place back (a client cancelling its pings cannot
 * keep the queue full) and is never looked up.
 */
static void
test_cancel_queued(void **state)
{
	struct resolve_req	*req[RESOLVE_QUEUE_MAX];
	char			 h[] = "h", q[] = "q";
	int			 i;

	(void)state;
	for (i = 0; i < RESOLVE_THREADS; i++)
		assert_non_null(resolve_start("hold-q", answer, h));
	wait_held(RESOLVE_THREADS);
	for (i = 0; i < RESOLVE_QUEUE_MAX; i++) {
		req[i] = resolve_start(i == RESOLVE_QUEUE_MAX - 1 ? "nx-last" :
		    "nx-queued", answer, h);
		assert_non_null(req[i]);
	}
	errno = 0;
	assert_null(resolve_start("pinghost", answer, q));
	assert_int_equal(errno, EAGAIN);
	/* The first, one in the middle and the last (the queue's tail). */
	resolve_cancel(req[0]);
	resolve_cancel(req[RESOLVE_QUEUE_MAX / 2]);
	resolve_cancel(req[RESOLVE_QUEUE_MAX - 1]);
	assert_non_null(resolve_start("pinghost", answer, q));
	assert_non_null(resolve_start("pinghost", answer, q));
	assert_non_null(resolve_start("pinghost", answer, q));
	errno = 0;
	assert_null(resolve_start("pinghost", answer, q));
	assert_int_equal(errno, EAGAIN);
	release(1);
	wait_answers(RESOLVE_THREADS + RESOLVE_QUEUE_MAX - 3 + 3);
	assert_int_equal(answered_q, 3);
	pthread_mutex_lock(&lk);
	assert_int_equal(lookups_last, 0);
	assert_int_equal(lookups_queued, RESOLVE_QUEUE_MAX - 3);
	pthread_mutex_unlock(&lk);
}

/* A lookup that never ends does not hold shutdown (SIGTERM) for long. */
static void
test_shutdown_stuck(void **state)
{
	char		 h[] = "h";
	uint64_t	 t0;

	(void)state;
	assert_non_null(resolve_start("hold-forever", answer, h));
	wait_held(1);
	t0 = now_ms();
	resolve_shutdown();
	assert_true(now_ms() - t0 < 10000);
	assert_int_equal(answers, 0);
	/* The thread ends once its lookup does, and calls nobody back. */
	release(1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_router_lane, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_queue_cap, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cancel_queued, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_shutdown_stuck, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
