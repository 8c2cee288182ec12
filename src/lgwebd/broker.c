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
 * The front's side of the broker socket (PROTOCOL.md).  One Unix stream
 * connection carries every query of every HTTP request, multiplexed by
 * request id; one thread of our own reads it, polls an eventfd that other
 * threads kick when they queue frames, and once a second runs the clock:
 * query deadlines, the callers' ticks and the router-list refresh.
 *
 * A query lives in a slot of a fixed table (web.max_inflight slots, the
 * global cap on in-flight router queries); its request id is the slot
 * number plus a generation in the upper bits, so a late frame for a
 * recycled slot is recognised and dropped.  Callbacks run on the broker
 * thread with bk.lock held, so brk_cancel, which takes the lock and
 * empties the slot, is a barrier: nothing fires after it returns.
 *
 * A broker that accepts but sends no HELLO within 2 s is dropped and
 * retried.  When the broker goes away every query in flight ends with
 * broker_unavailable, and the thread reconnects with exponential backoff
 * (100 ms to 500 ms, with jitter: a restarted broker is found within half
 * a second, and one that stays away costs two connect attempts a second).
 * While it is away brk_submit refuses new queries at once, which the API
 * turns into 503 with Retry-After.  The router list is asked for again
 * every second while a router in it is not up (as after a reconnect, when
 * the new broker is still logging in), every WEB_ROUTERS_TTL seconds
 * otherwise.
 *
 * This file holds the connection, the slot table, the router list and
 * the RTR caches' state; broker_result.c turns the result frames into
 * the queries' callbacks, through the internals of broker_int.h.
 */

#include <sys/types.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lg.h"
#include "lg_proto.h"
#include "web.h"
#include "broker_int.h"

#define BRK_LIST_ID		0xffffffffU	/* LIST_ROUTERS exchanges */
#define BRK_RPKI_ID		0xfffffffeU	/* RPKI exchanges, below it */
#define BRK_RPKI_MAX		16		/* caches kept */
#define BRK_SLOT_MAX		0xffffU
#define BRK_OUT_CAP		(1024 * 1024)
#define BRK_ROUTERS_MAX		10000
#define BRK_BACKOFF_MIN		100		/* ms */
#define BRK_BACKOFF_MAX		500
#define BRK_CONNECT_TIMEOUT	1000
#define BRK_HELLO_TIMEOUT	2000		/* ms for the broker's HELLO */

enum brk_state {
	BRK_AWAY = 0,		/* no socket */
	BRK_HELLO,		/* HELLO sent, waiting for the broker's */
	BRK_UP
};

static struct {
	pthread_mutex_t		 lock;
	pthread_t		 thread;
	int			 started;
	int			 stop;
	int			 evfd;
	int			 fd;
	enum brk_state		 state;
	char			 path[LG_PATH_MAX];
	struct lg_buf		 out;
	struct lg_frame_reader	 rd;
	struct brk_query	**slots;
	size_t			 nslots;
	unsigned int		 inflight;
	uint32_t		 gen;
	struct lg_msg_router	*routers, *pending;
	size_t			 nrouters, npending;
	int			 have_routers, listing;
	int			 all_up;	/* every listed router up */
	int			 was_up;	/* HELLO seen since connect */
	int64_t			 hello_by;	/* HELLO deadline */
	int64_t			 list_at;
	/* The RTR caches, asked after each router list (/metrics). */
	struct lg_msg_rpki_status *rpki, *rpki_pending;
	size_t			 nrpki, nrpki_pending;
	int			 rpki_listing;
} bk = { .lock = PTHREAD_MUTEX_INITIALIZER, .evfd = -1, .fd = -1 };

static void	 brk_disconnect(const char *);

int64_t
brk_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
brk_wake(void)
{
	uint64_t	 one = 1;

	if (write(bk.evfd, &one, sizeof(one)) == -1 && errno != EAGAIN)
		log_warn("%s: eventfd", __func__);
}

/*
 * Queues a frame and tries to send it at once; the thread finishes the
 * job when the socket is full.  Lock held.  Returns 0, or -1 when the
 * queue is full (a broker that does not read).
 */
int
brk_send(const uint8_t *frame, ssize_t len)
{
	if (len < 0 || bk.fd == -1)
		return -1;
	if (proto_queue_frame(&bk.out, frame, (size_t)len) == -1)
		return -1;
	if (proto_flush(bk.fd, &bk.out) != 0)
		brk_wake();
	return 0;
}

int
brk_connected(void)
{
	int	 up;

	pthread_mutex_lock(&bk.lock);
	up = bk.state == BRK_UP;
	pthread_mutex_unlock(&bk.lock);
	return up;
}

unsigned int
brk_inflight(void)
{
	unsigned int	 n;

	pthread_mutex_lock(&bk.lock);
	n = bk.inflight;
	pthread_mutex_unlock(&bk.lock);
	return n;
}

struct brk_query *
brk_find(uint32_t id)
{
	size_t			 slot = (id & BRK_SLOT_MAX);
	struct brk_query	*q;

	if (slot == 0 || slot > bk.nslots)
		return NULL;
	q = bk.slots[slot - 1];
	return q != NULL && q->id == id ? q : NULL;
}

void
brk_release(struct brk_query *q)
{
	bk.slots[(q->id & BRK_SLOT_MAX) - 1] = NULL;
	bk.inflight--;
	q->active = 0;
	buf_free(&q->parsed);
}

/*
 * Starts a query.  LG_OK: exactly one on_end will follow.  Otherwise
 * (broker_unavailable, busy, internal) no callback ever fires.
 */
enum lg_err
brk_submit(struct brk_query *q)
{
	uint8_t		 frame[1024];
	ssize_t		 len;
	size_t		 i;
	enum lg_err	 e = LG_ERR_BUSY;

	pthread_mutex_lock(&bk.lock);
	if (bk.state != BRK_UP) {
		e = LG_ERR_BROKER_UNAVAILABLE;
		goto out;
	}
	for (i = 0; i < bk.nslots; i++)
		if (bk.slots[i] == NULL)
			break;
	if (i == bk.nslots)
		goto out;
	bk.gen = (bk.gen + 1) & 0x7fff;
	q->id = (bk.gen << 16) | (uint32_t)(i + 1);
	q->expired = q->cut = q->parsed_big = 0;
	buf_init(&q->parsed, LG_PARSED_MAX);
	len = proto_encode_query(frame, sizeof(frame), q->id, &q->msg);
	if (len < 0) {
		e = LG_ERR_INTERNAL;
		goto out;
	}
	if (brk_send(frame, len) == -1)
		goto out;
	bk.slots[i] = q;
	bk.inflight++;
	q->active = 1;
	e = LG_OK;
out:
	pthread_mutex_unlock(&bk.lock);
	return e;
}

/* Returns 1 when the query was still running (and is now cancelled). */
int
brk_cancel(struct brk_query *q)
{
	uint8_t		 frame[LG_FRAME_HDR_SIZE];
	int		 was = 0;

	pthread_mutex_lock(&bk.lock);
	if (q->active) {
		brk_send(frame, proto_encode_empty(frame, sizeof(frame),
		    LG_MSG_CANCEL, q->id));
		brk_release(q);
		was = 1;
	}
	pthread_mutex_unlock(&bk.lock);
	return was;
}

void
brk_window(struct brk_query *q, size_t n)
{
	uint8_t		 frame[LG_FRAME_HDR_SIZE + 4];

	if (n == 0)
		return;
	pthread_mutex_lock(&bk.lock);
	if (q->active && bk.state == BRK_UP)
		brk_send(frame, proto_encode_window(frame, sizeof(frame),
		    q->id, (uint32_t)n));
	pthread_mutex_unlock(&bk.lock);
}

int
brk_routers(struct lg_msg_router **out, size_t *n)
{
	int	 rv = -1;

	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&bk.lock);
	if (bk.state == BRK_UP && bk.have_routers) {
		if (bk.nrouters == 0 || (*out = calloc(bk.nrouters,
		    sizeof(**out))) != NULL) {
			if (bk.nrouters > 0)
				memcpy(*out, bk.routers,
				    bk.nrouters * sizeof(**out));
			*n = bk.nrouters;
			rv = 0;
		}
	}
	pthread_mutex_unlock(&bk.lock);
	return rv;
}

/* Ends a query with an error of ours.  Lock held. */
static void
brk_fail(struct brk_query *q, enum lg_err e, const char *msg)
{
	struct lg_msg_result_end	 end = { 0 };

	end.error = (uint16_t)e;
	lg_strlcpy(end.message, msg, sizeof(end.message));
	brk_release(q);
	q->ops->on_end(q, &end);
}

static void
brk_list(void)
{
	uint8_t		 frame[LG_FRAME_HDR_SIZE];

	if (bk.listing)
		return;
	bk.listing = 1;
	bk.npending = 0;
	bk.list_at = brk_now_ms();
	brk_send(frame, proto_encode_empty(frame, sizeof(frame),
	    LG_MSG_LIST_ROUTERS, BRK_LIST_ID));
}

static int
brk_on_hello(const struct lg_frame_hdr *h, const uint8_t *p)
{
	uint16_t	 version;
	char		 software[LG_TEXT_MAX];

	if (h->type != LG_MSG_HELLO ||
	    proto_decode_hello(p, h->length, &version, software,
	    sizeof(software)) == -1) {
		brk_disconnect("expected HELLO");
		return -1;
	}
	if (version != LG_PROTO_VERSION) {
		log_warnx("broker speaks protocol version %u, we speak %u",
		    version, LG_PROTO_VERSION);
		brk_disconnect(NULL);
		return -1;
	}
	bk.state = BRK_UP;
	bk.was_up = 1;
	log_info("connected to the broker (%s)", software);
	brk_list();
	return 0;
}

/* Asks for the RTR caches' state.  Lock held. */
static void
brk_rpki_ask(void)
{
	uint8_t		 frame[LG_FRAME_HDR_SIZE];

	if (bk.rpki_listing)
		return;
	bk.rpki_listing = 1;
	bk.nrpki_pending = 0;
	brk_send(frame, proto_encode_empty(frame, sizeof(frame),
	    LG_MSG_RPKI, BRK_RPKI_ID));
}

/* RPKI_STATUS rows, then END.  Lock held.  -1: a malformed frame. */
static int
brk_on_rpki(const struct lg_frame_hdr *h, const uint8_t *p)
{
	struct lg_msg_rpki_status	*r;
	uint16_t			 err;
	char				 msg[LG_ERRSTR_MAX];

	if (h->type == LG_MSG_RPKI_STATUS) {
		if (bk.rpki_pending == NULL && (bk.rpki_pending =
		    calloc(BRK_RPKI_MAX, sizeof(*r))) == NULL)
			return 0;
		if (bk.nrpki_pending == BRK_RPKI_MAX)
			return 0;
		return proto_decode_rpki_status(p, h->length,
		    &bk.rpki_pending[bk.nrpki_pending++]);
	}
	if (proto_decode_end(p, h->length, &err, msg, sizeof(msg)) == -1)
		return -1;
	free(bk.rpki);
	bk.rpki = bk.rpki_pending;
	bk.nrpki = bk.nrpki_pending;
	bk.rpki_pending = NULL;
	bk.nrpki_pending = 0;
	bk.rpki_listing = 0;
	return 0;
}

/*
 * A copy of the RTR caches' latest state, for /metrics: 0 with *out
 * (NULL when none, free it) and *n, -1 when the broker is away.
 */
int
brk_rpki(struct lg_msg_rpki_status **out, size_t *n)
{
	int	 rv = -1;

	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&bk.lock);
	if (bk.state == BRK_UP) {
		rv = 0;
		if (bk.nrpki > 0 && (*out = calloc(bk.nrpki,
		    sizeof(**out))) != NULL) {
			memcpy(*out, bk.rpki, bk.nrpki * sizeof(**out));
			*n = bk.nrpki;
		}
	}
	pthread_mutex_unlock(&bk.lock);
	return rv;
}

static int
brk_on_list(const struct lg_frame_hdr *h, const uint8_t *p)
{
	struct lg_msg_router	*r;
	uint16_t		 err;
	size_t			 i;
	char			 msg[LG_ERRSTR_MAX];

	if (h->type == LG_MSG_ROUTER) {
		if (bk.npending == BRK_ROUTERS_MAX)
			return 0;
		r = reallocarray(bk.pending, bk.npending + 1, sizeof(*r));
		if (r == NULL)
			return 0;
		bk.pending = r;
		if (proto_decode_router(p, h->length,
		    &bk.pending[bk.npending]) == -1)
			return -1;
		bk.npending++;
		return 0;
	}
	if (h->type != LG_MSG_END ||
	    proto_decode_end(p, h->length, &err, msg, sizeof(msg)) == -1)
		return -1;
	free(bk.routers);
	bk.routers = bk.pending;
	bk.nrouters = bk.npending;
	bk.all_up = 1;
	for (i = 0; i < bk.nrouters; i++)
		if (bk.routers[i].state != ROUTER_STATE_UP)
			bk.all_up = 0;
	bk.pending = NULL;
	bk.npending = 0;
	bk.have_routers = 1;
	bk.listing = 0;
	brk_rpki_ask();
	return 0;
}

/* One frame from the broker.  Lock held.  -1: protocol violation. */
static int
brk_dispatch(const struct lg_frame_hdr *h, const uint8_t *p)
{
	if (bk.state == BRK_HELLO)
		return brk_on_hello(h, p) == -1 ? 1 : 0;
	switch (h->type) {
	case LG_MSG_ROUTER:
	case LG_MSG_END:
		if (h->request_id == BRK_LIST_ID && bk.listing)
			return brk_on_list(h, p);
		if (h->type == LG_MSG_END && h->request_id == BRK_RPKI_ID &&
		    bk.rpki_listing)
			return brk_on_rpki(h, p);
		return -1;
	case LG_MSG_RPKI_STATUS:
		if (h->request_id == BRK_RPKI_ID && bk.rpki_listing)
			return brk_on_rpki(h, p);
		return -1;
	case LG_MSG_RESULT_BEGIN:
	case LG_MSG_RESULT_DATA:
	case LG_MSG_RESULT_PARSED:
	case LG_MSG_RESULT_END:
		return brk_on_result(h, p);
	default:
		return -1;
	}
}

/*
 * Loses the connection: every query in flight ends with
 * broker_unavailable.  Lock held.
 */
static void
brk_disconnect(const char *why)
{
	size_t	 i;

	if (why != NULL)
		log_warnx("broker connection lost: %s", why);
	if (bk.fd != -1)
		close(bk.fd);
	bk.fd = -1;
	bk.state = BRK_AWAY;
	buf_reset(&bk.out);
	proto_reader_init(&bk.rd);
	for (i = 0; i < bk.nslots; i++)
		if (bk.slots[i] != NULL)
			brk_fail(bk.slots[i], LG_ERR_BROKER_UNAVAILABLE,
			    "the query service is not available");
	free(bk.pending);
	bk.pending = NULL;
	bk.npending = 0;
	bk.listing = 0;
	bk.have_routers = 0;
	bk.all_up = 0;
	free(bk.rpki_pending);
	bk.rpki_pending = NULL;
	bk.nrpki_pending = 0;
	bk.rpki_listing = 0;
}

static void
brk_read(void)
{
	struct lg_frame_hdr	 h;
	const uint8_t		*p;
	uint8_t			*space;
	size_t			 room;
	ssize_t			 n;
	int			 rv;

	space = proto_reader_space(&bk.rd, &room);
	n = read(bk.fd, space, room);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	pthread_mutex_lock(&bk.lock);
	if (n <= 0) {
		brk_disconnect(n == 0 ? "closed by the broker" :
		    strerror(errno));
		goto out;
	}
	proto_reader_filled(&bk.rd, (size_t)n);
	while ((rv = proto_reader_next(&bk.rd, &h, &p)) == 1 &&
	    bk.fd != -1) {
		if ((rv = brk_dispatch(&h, p)) == -1) {
			log_warnx("broker sent a bad %s frame",
			    proto_msg_name(h.type));
			brk_disconnect("protocol violation");
			goto out;
		}
		if (rv == 1)
			goto out;
	}
	if (rv == -1)
		brk_disconnect("malformed frame header");
out:
	pthread_mutex_unlock(&bk.lock);
}

/* Once a second: deadlines, callers' ticks, the router list.  Lock held. */
static void
brk_tick(void)
{
	uint8_t			 frame[LG_FRAME_HDR_SIZE];
	struct brk_query	*q;
	int64_t			 now = brk_now_ms();
	int64_t			 ttl = bk.all_up ? WEB_ROUTERS_TTL * 1000 :
				     500;	/* every tick */
	time_t			 wall = time(NULL);
	size_t			 i;

	for (i = 0; i < bk.nslots; i++) {
		if ((q = bk.slots[i]) == NULL)
			continue;
		if (q->deadline_ms != 0 && now >= q->deadline_ms &&
		    !q->expired) {
			q->expired = 1;
			brk_send(frame, proto_encode_empty(frame,
			    sizeof(frame), LG_MSG_CANCEL, q->id));
		}
		if (q->ops->on_tick != NULL)
			q->ops->on_tick(q, wall);
	}
	if (bk.state == BRK_HELLO && now >= bk.hello_by) {
		brk_disconnect("no HELLO from the broker");
		return;
	}
	if (bk.state == BRK_UP && ((!bk.listing && now - bk.list_at >=
	    ttl) || (bk.listing && now - bk.list_at > 10000))) {
		bk.listing = 0;
		brk_list();
	}
}

static void
brk_connect(void)
{
	uint8_t		 frame[256];
	char		 err[LG_ERRSTR_MAX];
	int		 fd;

	if ((fd = sock_connect_unix(bk.path, BRK_CONNECT_TIMEOUT, err,
	    sizeof(err))) == -1) {
		log_debug("broker: %s", err);
		return;
	}
	if (sock_set_nonblock(fd, 1) == -1) {
		close(fd);
		return;
	}
	pthread_mutex_lock(&bk.lock);
	bk.fd = fd;
	bk.state = BRK_HELLO;
	bk.hello_by = brk_now_ms() + BRK_HELLO_TIMEOUT;
	if (brk_send(frame, proto_encode_hello(frame, sizeof(frame),
	    WEB_SOFTWARE)) == -1)
		brk_disconnect("cannot send HELLO");
	pthread_mutex_unlock(&bk.lock);
}

static int
brk_backoff(int prev)
{
	int	 next = prev == 0 ? BRK_BACKOFF_MIN : prev * 2;

	if (next > BRK_BACKOFF_MAX)
		next = BRK_BACKOFF_MAX;
	return next / 2 + (int)(arc4random_uniform((uint32_t)next / 2 + 1));
}

static void
brk_poll(int timeout)
{
	struct pollfd	 pfd[2];
	uint64_t	 cnt;
	nfds_t		 n = 1;

	pfd[0].fd = bk.evfd;
	pfd[0].events = POLLIN;
	if (bk.fd != -1) {
		pfd[1].fd = bk.fd;
		pthread_mutex_lock(&bk.lock);
		pfd[1].events = POLLIN | (bk.out.len > 0 ? POLLOUT : 0);
		pthread_mutex_unlock(&bk.lock);
		n = 2;
	}
	if (poll(pfd, n, timeout) <= 0)
		return;
	if ((pfd[0].revents & POLLIN) &&
	    read(bk.evfd, &cnt, sizeof(cnt)) == -1 && errno != EAGAIN)
		log_warn("%s: eventfd", __func__);
	if (n == 2 && (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)))
		brk_read();
	pthread_mutex_lock(&bk.lock);
	if (bk.fd != -1 && bk.out.len > 0 &&
	    proto_flush(bk.fd, &bk.out) == -1)
		brk_disconnect(strerror(errno));
	pthread_mutex_unlock(&bk.lock);
}

static void *
brk_thread(void *arg)
{
	int64_t		 next_tick = 0, retry_at = 0, now;
	int		 backoff = 0, timeout;

	(void)arg;
	while (!__atomic_load_n(&bk.stop, __ATOMIC_ACQUIRE)) {
		now = brk_now_ms();
		/*
		 * The backoff starts over only once a connection got as far
		 * as HELLO: a broker that accepts and then closes or says
		 * nothing is retried at the same pace as one that refuses.
		 */
		if (bk.fd == -1 && now >= retry_at) {
			if (bk.was_up)
				backoff = 0;
			bk.was_up = 0;
			brk_connect();
			backoff = brk_backoff(backoff);
			retry_at = now + backoff;
		}
		if (now >= next_tick) {
			pthread_mutex_lock(&bk.lock);
			brk_tick();
			pthread_mutex_unlock(&bk.lock);
			next_tick = now + 1000;
		}
		timeout = (int)(next_tick - now);
		if (bk.fd == -1 && retry_at - now < timeout)
			timeout = (int)(retry_at - now);
		brk_poll(timeout < 0 ? 0 : timeout);
	}
	return NULL;
}

/* Starts the thread; the connection comes up in the background. */
int
brk_start(const char *path, unsigned int max_inflight)
{
	size_t	 n = max_inflight;

	if (n == 0 || n > BRK_SLOT_MAX)
		n = n == 0 ? 64 : BRK_SLOT_MAX;
	if (lg_strlcpy(bk.path, path, sizeof(bk.path)) >= sizeof(bk.path))
		return -1;
	if ((bk.slots = calloc(n, sizeof(*bk.slots))) == NULL)
		return -1;
	bk.nslots = n;
	buf_init(&bk.out, BRK_OUT_CAP);
	proto_reader_init(&bk.rd);
	if ((bk.evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		return -1;
	if (pthread_create(&bk.thread, NULL, brk_thread, NULL) != 0)
		return -1;
	bk.started = 1;
	return 0;
}

/* Ends every query (broker_unavailable), stops the thread, frees all. */
void
brk_stop(void)
{
	if (bk.started) {
		__atomic_store_n(&bk.stop, 1, __ATOMIC_RELEASE);
		brk_wake();
		pthread_join(bk.thread, NULL);
		bk.started = 0;
	}
	pthread_mutex_lock(&bk.lock);
	brk_disconnect(NULL);
	pthread_mutex_unlock(&bk.lock);
	if (bk.evfd != -1)
		close(bk.evfd);
	bk.evfd = -1;
	buf_free(&bk.out);
	free(bk.routers);
	bk.routers = NULL;
	bk.nrouters = 0;
	free(bk.rpki);
	bk.rpki = NULL;
	bk.nrpki = 0;
	free(bk.slots);
	bk.slots = NULL;
	bk.nslots = 0;
}
