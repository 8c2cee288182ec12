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
 * The front's side of the broker sockets (PROTOCOL.md).  One connection
 * per broker carries every query of every HTTP request for that broker's
 * routers, multiplexed by request id: by default one Unix socket
 * (broker.socket); with web.brokers, the listed ones, each a Unix socket
 * or TCP with mutual TLS to a regional broker (broker_link.c).  One
 * thread of our own reads them all, polls an eventfd that other threads
 * kick when they queue frames, and runs the clock: query deadlines, the
 * callers' ticks, the router-list refresh and the heartbeat.
 *
 * A query lives in a slot of a fixed table (web.max_inflight slots, the
 * global cap on in-flight router queries, shared by all brokers); its
 * request id is the slot number plus a generation in the upper bits, so
 * a late frame for a recycled slot is recognised and dropped, and it
 * remembers its broker, whose frames alone may touch it.  Callbacks run
 * on the broker thread with bk.lock held, so brk_cancel, which takes the
 * lock and empties the slot, is a barrier: nothing fires after it
 * returns.  All I/O on the links happens under the lock.
 *
 * A broker that accepts but does not finish the TLS handshake and send
 * HELLO within 2 s is dropped and retried.  When a broker goes away every
 * query in flight to it ends with broker_unavailable, and the thread
 * reconnects with exponential backoff (100 ms to 500 ms, with jitter: a
 * restarted broker is found within half a second, and one that stays
 * away costs two connect attempts a second).
 *
 * The routers of all brokers make one list, in the order of web.brokers;
 * with web.brokers set each router's group is its broker's name (its
 * region).  A router name two brokers list is logged when the second
 * list arrives, and belongs to the broker first in web.brokers; the
 * other's is ignored.  A query goes to the broker that owns its router.  While that broker is away its routers stay in the
 * list as down and their queries fail at once with router unreachable
 * (502); with no list at all (the single broker away, or not yet
 * listed) brk_submit refuses with broker_unavailable (503).  The router
 * list is asked for again every second while a router in it is not up
 * (as after a reconnect, when the new broker is still logging in), every
 * WEB_ROUTERS_TTL seconds otherwise.
 *
 * Heartbeat: on the links of web.brokers a PING goes out every
 * BRK_PING_MS; a link from which nothing arrived for BRK_SILENT_MS (a
 * partition, a stopped process: no FIN to tell) is dropped like a closed
 * one, so its routers show as down within 2 s.  The single default
 * socket keeps no heartbeat: a local broker's death closes the socket.
 *
 * This file holds the links' state and the slot table; broker_list.c
 * the router lists and the RTR caches' state; broker_link.c the
 * transports; broker_result.c turns the result frames into the queries'
 * callbacks.  They share the internals of broker_int.h.
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
#include "lg_tls.h"
#include "lg_proto.h"
#include "web.h"
#include "broker_int.h"

#define BRK_SLOT_MAX		0xffffU
#define BRK_OUT_CAP		(1024 * 1024)
#define BRK_BACKOFF_MIN		100		/* ms */
#define BRK_BACKOFF_MAX		500
#define BRK_HELLO_TIMEOUT	2000		/* ms: connect, TLS, HELLO */
#define BRK_PING_MS		500
#define BRK_SILENT_MS		1500		/* then the link is lost */
#define BRK_CLOCK_MS		250		/* heartbeat granularity */

struct brk_all bk = { .lock = PTHREAD_MUTEX_INITIALIZER, .evfd = -1 };

static void	 brk_disconnect(struct brk_link *, const char *);

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
brk_send(struct brk_link *l, const uint8_t *frame, ssize_t len)
{
	if (len < 0 || l->fd == -1)
		return -1;
	if (proto_queue_frame(&l->out, frame, (size_t)len) == -1)
		return -1;
	if (brk_link_flush(l) != 0)
		brk_wake();
	return 0;
}

/* A frame about a query, to the broker it went to.  Lock held. */
int
brk_qsend(const struct brk_query *q, const uint8_t *frame, ssize_t len)
{
	if (q->link >= bk.nlinks)
		return -1;
	return brk_send(&bk.links[q->link], frame, len);
}

/* 1 when at least one broker is up. */
int
brk_connected(void)
{
	size_t	 i;
	int	 up = 0;

	pthread_mutex_lock(&bk.lock);
	for (i = 0; i < bk.nlinks && !up; i++)
		up = bk.links[i].state == BRK_UP;
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
brk_find(unsigned int link, uint32_t id)
{
	size_t			 slot = (id & BRK_SLOT_MAX);
	struct brk_query	*q;

	if (slot == 0 || slot > bk.nslots)
		return NULL;
	q = bk.slots[slot - 1];
	return q != NULL && q->id == id && q->link == link ? q : NULL;
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
 * The broker a router belongs to: the first that listed it.  NULL when
 * none did; then the single broker, if there is one, answers for it.
 * Lock held.
 */
static struct brk_link *
brk_owner(const char *router)
{
	size_t	 i;

	for (i = 0; i < bk.nlinks; i++)
		if (brk_lists(&bk.links[i], router))
			return &bk.links[i];
	return bk.nlinks == 1 ? &bk.links[0] : NULL;
}

/* Why a query cannot go to l now, or LG_OK.  Lock held. */
static enum lg_err
brk_route(const struct brk_link *l)
{
	if (l == NULL)
		return LG_ERR_BROKER_UNAVAILABLE;
	if (l->state == BRK_UP)
		return LG_OK;
	/* Routers known, their broker lost: a router error, at once. */
	return l->nrouters > 0 && bk.regions ? LG_ERR_UNREACHABLE :
	    LG_ERR_BROKER_UNAVAILABLE;
}

/*
 * Starts a query.  LG_OK: exactly one on_end will follow.  Otherwise
 * (broker_unavailable, unreachable, busy, internal) no callback ever
 * fires.
 */
enum lg_err
brk_submit(struct brk_query *q)
{
	struct brk_link	*l;
	uint8_t		 frame[1024];
	ssize_t		 len;
	size_t		 i;
	enum lg_err	 e = LG_ERR_BUSY;

	pthread_mutex_lock(&bk.lock);
	l = brk_owner(q->msg.router);
	if ((e = brk_route(l)) != LG_OK)
		goto out;
	e = LG_ERR_BUSY;
	for (i = 0; i < bk.nslots; i++)
		if (bk.slots[i] == NULL)
			break;
	if (i == bk.nslots)
		goto out;
	bk.gen = (bk.gen + 1) & 0x7fff;
	q->id = (bk.gen << 16) | (uint32_t)(i + 1);
	q->link = l->idx;
	q->expired = q->cut = q->parsed_big = 0;
	buf_init(&q->parsed, LG_PARSED_MAX);
	len = proto_encode_query(frame, sizeof(frame), q->id, &q->msg);
	if (len < 0) {
		e = LG_ERR_INTERNAL;
		goto out;
	}
	if (brk_send(l, frame, len) == -1)
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
		brk_qsend(q, frame, proto_encode_empty(frame, sizeof(frame),
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
	if (q->active && bk.links[q->link].state == BRK_UP)
		brk_qsend(q, frame, proto_encode_window(frame, sizeof(frame),
		    q->id, (uint32_t)n));
	pthread_mutex_unlock(&bk.lock);
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

static int
brk_on_hello(struct brk_link *l, const struct lg_frame_hdr *h,
    const uint8_t *p)
{
	uint16_t	 version;
	char		 software[LG_TEXT_MAX];

	if (h->type != LG_MSG_HELLO ||
	    proto_decode_hello(p, h->length, &version, software,
	    sizeof(software)) == -1) {
		brk_disconnect(l, "expected HELLO");
		return -1;
	}
	if (version != LG_PROTO_VERSION) {
		log_warnx("%s speaks protocol version %u, we speak %u",
		    brk_link_label(l), version, LG_PROTO_VERSION);
		brk_disconnect(l, NULL);
		return -1;
	}
	l->state = BRK_UP;
	l->was_up = 1;
	l->failing = 0;
	log_info("connected to %s (%s)", brk_link_label(l), software);
	brk_list(l);
	return 0;
}

/* One frame from a broker.  Lock held.  -1: protocol violation. */
static int
brk_dispatch(struct brk_link *l, const struct lg_frame_hdr *h,
    const uint8_t *p)
{
	if (l->state == BRK_HELLO)
		return brk_on_hello(l, h, p) == -1 ? 1 : 0;
	switch (h->type) {
	case LG_MSG_ROUTER:
	case LG_MSG_END:
		if (h->request_id == BRK_LIST_ID && l->listing)
			return brk_on_list(l, h, p);
		if (h->type == LG_MSG_END && h->request_id == BRK_RPKI_ID &&
		    l->rpki_listing)
			return brk_on_rpki(l, h, p);
		return -1;
	case LG_MSG_RPKI_STATUS:
		if (h->request_id == BRK_RPKI_ID && l->rpki_listing)
			return brk_on_rpki(l, h, p);
		return -1;
	case LG_MSG_PONG:
		return h->request_id == 0 ? 0 : -1;
	case LG_MSG_RESULT_BEGIN:
	case LG_MSG_RESULT_DATA:
	case LG_MSG_RESULT_PARSED:
	case LG_MSG_RESULT_END:
		return brk_on_result(l->idx, h, p);
	default:
		return -1;
	}
}

/*
 * Loses a connection: every query in flight to that broker ends with
 * broker_unavailable; its routers stay listed, as down.  Lock held.
 */
static void
brk_disconnect(struct brk_link *l, const char *why)
{
	size_t	 i;

	/*
	 * A connection that was up is lost: said each time.  An attempt
	 * that fails before HELLO is said once until one succeeds, not at
	 * every retry.
	 */
	if (why != NULL && l->state == BRK_UP)
		log_warnx("%s: connection lost: %s", brk_link_label(l), why);
	else if (why != NULL && !l->failing)
		log_warnx("%s: cannot connect: %s (retrying)",
		    brk_link_label(l), why);
	else if (why != NULL)
		log_debug("%s: cannot connect: %s", brk_link_label(l), why);
	if (why != NULL && l->state != BRK_UP)
		l->failing = 1;
	if (l->state == BRK_UP)
		l->losses++;
	brk_link_close(l);
	buf_reset(&l->out);
	proto_reader_init(&l->rd);
	for (i = 0; i < bk.nslots; i++)
		if (bk.slots[i] != NULL && bk.slots[i]->link == l->idx)
			brk_fail(bk.slots[i], LG_ERR_BROKER_UNAVAILABLE,
			    "the query service is not available");
	free(l->pending);
	l->pending = NULL;
	l->npending = 0;
	l->listing = 0;
	if (!bk.regions)
		l->have_routers = 0;
	l->all_up = 0;
	free(l->rpki_pending);
	l->rpki_pending = NULL;
	l->nrpki_pending = 0;
	l->rpki_listing = 0;
}

/* Reads what a broker sent, frames and all.  Lock held. */
static void
brk_read(struct brk_link *l)
{
	struct lg_frame_hdr	 h;
	const uint8_t		*p;
	uint8_t			*space;
	size_t			 room;
	ssize_t			 n;
	int			 rv;

	do {
		space = proto_reader_space(&l->rd, &room);
		n = brk_link_recv(l, space, room);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			brk_disconnect(l, n == 0 ? "closed by the broker" :
			    strerror(errno));
			return;
		}
		l->rx_at = brk_now_ms();
		proto_reader_filled(&l->rd, (size_t)n);
		while ((rv = proto_reader_next(&l->rd, &h, &p)) == 1 &&
		    l->fd != -1) {
			if ((rv = brk_dispatch(l, &h, p)) == -1) {
				log_warnx("%s sent a bad %s frame",
				    brk_link_label(l), proto_msg_name(h.type));
				brk_disconnect(l, "protocol violation");
				return;
			}
			if (rv == 1)
				return;
		}
		if (rv == -1) {
			brk_disconnect(l, "malformed frame header");
			return;
		}
	} while (l->fd != -1 && brk_link_more(l));
}

/* Query deadlines and the callers' ticks, once a second.  Lock held. */
static void
brk_tick_queries(int64_t now)
{
	uint8_t			 frame[LG_FRAME_HDR_SIZE];
	struct brk_query	*q;
	time_t			 wall = time(NULL);
	size_t			 i;

	for (i = 0; i < bk.nslots; i++) {
		if ((q = bk.slots[i]) == NULL)
			continue;
		if (q->deadline_ms != 0 && now >= q->deadline_ms &&
		    !q->expired) {
			q->expired = 1;
			brk_qsend(q, frame, proto_encode_empty(frame,
			    sizeof(frame), LG_MSG_CANCEL, q->id));
		}
		if (q->ops->on_tick != NULL)
			q->ops->on_tick(q, wall);
	}
}

/* A link's clock: handshake deadline, heartbeat, list.  Lock held. */
static void
brk_tick_link(struct brk_link *l, int64_t now, int second)
{
	uint8_t		 frame[LG_FRAME_HDR_SIZE];
	int64_t		 ttl = l->all_up ? WEB_ROUTERS_TTL * 1000 : 500;

	if (l->state != BRK_AWAY && l->state != BRK_UP && now >= l->hello_by) {
		brk_disconnect(l, l->state == BRK_HELLO ? "no HELLO from the "
		    "broker" : "connect or TLS handshake timed out");
		return;
	}
	if (l->state != BRK_UP)
		return;
	if (l->heartbeat && now - l->rx_at >= BRK_SILENT_MS) {
		brk_disconnect(l, "silent for more than 1.5 s");
		return;
	}
	if (l->heartbeat && now >= l->ping_at) {
		l->ping_at = now + BRK_PING_MS;
		brk_send(l, frame, proto_encode_empty(frame, sizeof(frame),
		    LG_MSG_PING, 0));
	}
	if (second && ((!l->listing && now - l->list_at >= ttl) ||
	    (l->listing && now - l->list_at > 10000))) {
		l->listing = 0;
		brk_list(l);
	}
}

/* The link's transport is ready: say HELLO.  Lock held. */
static void
brk_hello(struct brk_link *l)
{
	uint8_t		 frame[256];

	l->state = BRK_HELLO;
	l->rx_at = brk_now_ms();
	l->ping_at = l->rx_at + BRK_PING_MS;
	if (brk_send(l, frame, proto_encode_hello(frame, sizeof(frame),
	    WEB_SOFTWARE)) == -1)
		brk_disconnect(l, "cannot send HELLO");
}

static void
brk_step(struct brk_link *l)
{
	char	 err[LG_ERRSTR_MAX];
	int	 rc;

	if ((rc = brk_link_step(l, err, sizeof(err))) == -1)
		brk_disconnect(l, err);
	else if (rc == 0)
		brk_hello(l);
}

/*
 * The backoff starts over only once a connection got as far as HELLO: a
 * broker that accepts and then closes or says nothing is retried at the
 * same pace as one that refuses.
 */
static int
brk_backoff(int prev)
{
	int	 next = prev == 0 ? BRK_BACKOFF_MIN : prev * 2;

	if (next > BRK_BACKOFF_MAX)
		next = BRK_BACKOFF_MAX;
	return next / 2 + (int)(arc4random_uniform((uint32_t)next / 2 + 1));
}

static void
brk_connect(struct brk_link *l, int64_t now)
{
	char	 err[LG_ERRSTR_MAX];
	int	 rc;

	if (l->was_up)
		l->backoff = 0;
	l->was_up = 0;
	l->backoff = brk_backoff(l->backoff);
	l->retry_at = now + l->backoff;
	l->hello_by = now + BRK_HELLO_TIMEOUT;
	if ((rc = brk_link_open(l, err, sizeof(err))) == -1) {
		brk_disconnect(l, err);
		return;
	}
	if (rc == 0)
		brk_hello(l);
}

/* Polls the eventfd and every link with a socket, then serves them. */
static void
brk_poll(int timeout)
{
	struct pollfd	 pfd[LG_BROKERS_MAX + 1];
	size_t		 map[LG_BROKERS_MAX + 1], i;
	uint64_t	 cnt;
	nfds_t		 n = 1;
	struct brk_link	*l;

	pfd[0].fd = bk.evfd;
	pfd[0].events = POLLIN;
	pthread_mutex_lock(&bk.lock);
	for (i = 0; i < bk.nlinks; i++) {
		if (bk.links[i].fd == -1)
			continue;
		pfd[n].fd = bk.links[i].fd;
		pfd[n].events = brk_link_events(&bk.links[i]);
		map[n++] = i;
	}
	pthread_mutex_unlock(&bk.lock);
	if (poll(pfd, n, timeout) <= 0)
		return;
	if ((pfd[0].revents & POLLIN) &&
	    read(bk.evfd, &cnt, sizeof(cnt)) == -1 && errno != EAGAIN)
		log_warn("%s: eventfd", __func__);
	pthread_mutex_lock(&bk.lock);
	for (i = 1; i < n; i++) {
		l = &bk.links[map[i]];
		if (l->fd != pfd[i].fd || pfd[i].revents == 0)
			continue;
		if (l->state == BRK_CONNECTING || l->state == BRK_HANDSHAKE)
			brk_step(l);
		else if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR))
			brk_read(l);
	}
	for (i = 0; i < bk.nlinks; i++) {
		l = &bk.links[i];
		if (l->fd != -1 && l->state >= BRK_HELLO && l->out.len > 0 &&
		    brk_link_flush(l) == -1)
			brk_disconnect(l, strerror(errno));
	}
	pthread_mutex_unlock(&bk.lock);
}

/* How long the thread may sleep: until the clock or a retry. */
static int
brk_timeout(int64_t now, int64_t next_clock)
{
	int64_t	 until = next_clock;
	size_t	 i;

	for (i = 0; i < bk.nlinks; i++)
		if (bk.links[i].fd == -1 && bk.links[i].retry_at < until)
			until = bk.links[i].retry_at;
	return until <= now ? 0 : (int)(until - now);
}

static void *
brk_thread(void *arg)
{
	int64_t		 next_clock = 0, next_second = 0, now;
	size_t		 i;
	int		 second;

	(void)arg;
	while (!__atomic_load_n(&bk.stop, __ATOMIC_ACQUIRE)) {
		now = brk_now_ms();
		pthread_mutex_lock(&bk.lock);
		for (i = 0; i < bk.nlinks; i++)
			if (bk.links[i].fd == -1 && now >= bk.links[i].retry_at)
				brk_connect(&bk.links[i], now);
		if (now >= next_clock) {
			second = now >= next_second;
			if (second) {
				brk_tick_queries(now);
				next_second = now + 1000;
			}
			for (i = 0; i < bk.nlinks; i++)
				brk_tick_link(&bk.links[i], now, second);
			next_clock = now + BRK_CLOCK_MS;
		}
		pthread_mutex_unlock(&bk.lock);
		brk_poll(brk_timeout(now, next_clock));
	}
	return NULL;
}

/* One link from a web.brokers entry.  -1: its certificates are bad. */
static int
brk_link_init(struct brk_link *l, const struct lg_broker_link *c)
{
	char	 err[LG_ERRSTR_MAX];

	lg_strlcpy(l->name, c->name, sizeof(l->name));
	lg_strlcpy(l->path, c->socket, sizeof(l->path));
	lg_strlcpy(l->addr, c->tls.addr, sizeof(l->addr));
	l->heartbeat = 1;
	if (c->tls.addr[0] != '\0' && (l->cr = tls_creds_load(c->tls.ca,
	    c->tls.cert, c->tls.key, err, sizeof(err))) == NULL) {
		log_warnx("web.brokers: %s: %s", c->name, err);
		return -1;
	}
	return 0;
}

/*
 * Starts the thread; the connections come up in the background.  -1:
 * out of memory, or a broker's certificates cannot be loaded.
 */
int
brk_start(const struct lg_config *c)
{
	size_t	 n = c->web.max_inflight, i;

	if (n == 0 || n > BRK_SLOT_MAX)
		n = n == 0 ? 64 : BRK_SLOT_MAX;
	bk.regions = c->web.nbrokers > 0;
	bk.nlinks = bk.regions ? c->web.nbrokers : 1;
	if ((bk.links = calloc(bk.nlinks, sizeof(*bk.links))) == NULL)
		return -1;
	for (i = 0; i < bk.nlinks; i++) {
		bk.links[i].idx = (unsigned int)i;
		bk.links[i].fd = -1;
		buf_init(&bk.links[i].out, BRK_OUT_CAP);
		proto_reader_init(&bk.links[i].rd);
		if (bk.regions && brk_link_init(&bk.links[i],
		    &c->web.brokers[i]) == -1)
			return -1;
	}
	if (!bk.regions && lg_strlcpy(bk.links[0].path, c->broker.socket,
	    sizeof(bk.links[0].path)) >= sizeof(bk.links[0].path))
		return -1;
	if ((bk.slots = calloc(n, sizeof(*bk.slots))) == NULL)
		return -1;
	bk.nslots = n;
	if ((bk.evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) == -1)
		return -1;
	if (pthread_create(&bk.thread, NULL, brk_thread, NULL) != 0)
		return -1;
	bk.started = 1;
	return 0;
}

/* Is the reloaded entry b the link l (same name, same place)? */
static int
brk_same_link(const struct brk_link *l, const struct lg_broker_link *b)
{
	return strcmp(l->name, b->name) == 0 && strcmp(l->path,
	    b->socket) == 0 && strcmp(l->addr, b->tls.addr) == 0;
}

/*
 * SIGHUP: re-reads each TLS broker's CA, certificate and key; the next
 * connection uses them, the one up carries on.  The list itself (names
 * and addresses) is read at start: a change is logged, not applied.
 */
void
brk_reload(const struct lg_config *c)
{
	const struct lg_broker_link	*b;
	struct tls_creds		*cr;
	struct brk_link			*l;
	char				 err[LG_ERRSTR_MAX];
	size_t				 i;

	if (bk.regions != (c->web.nbrokers > 0) || (bk.regions &&
	    c->web.nbrokers != bk.nlinks)) {
		log_warnx("reload: web.brokers changed; restart lgwebd for it");
		return;
	}
	for (i = 0; bk.regions && i < bk.nlinks; i++) {
		b = &c->web.brokers[i];
		l = &bk.links[i];
		if (!brk_same_link(l, b)) {
			log_warnx("reload: web.brokers changed; restart "
			    "lgwebd for it");
			return;
		}
		if (b->tls.addr[0] == '\0')
			continue;
		if ((cr = tls_creds_load(b->tls.ca, b->tls.cert, b->tls.key,
		    err, sizeof(err))) == NULL) {
			log_warnx("reload: web.brokers: %s: %s; its "
			    "certificates in force stay", b->name, err);
			continue;
		}
		pthread_mutex_lock(&bk.lock);
		tls_creds_unref(l->cr);
		l->cr = cr;
		pthread_mutex_unlock(&bk.lock);
	}
}

/* Ends every query (broker_unavailable), stops the thread, frees all. */
void
brk_stop(void)
{
	struct brk_link	*l;
	size_t		 i;

	if (bk.started) {
		__atomic_store_n(&bk.stop, 1, __ATOMIC_RELEASE);
		brk_wake();
		pthread_join(bk.thread, NULL);
		bk.started = 0;
	}
	pthread_mutex_lock(&bk.lock);
	for (i = 0; i < bk.nlinks; i++) {
		l = &bk.links[i];
		brk_disconnect(l, NULL);
		buf_free(&l->out);
		free(l->routers);
		free(l->rpki);
		tls_creds_unref(l->cr);
	}
	pthread_mutex_unlock(&bk.lock);
	free(bk.links);
	bk.links = NULL;
	bk.nlinks = 0;
	if (bk.evfd != -1)
		close(bk.evfd);
	bk.evfd = -1;
	free(bk.slots);
	bk.slots = NULL;
	bk.nslots = 0;
	bk.stop = 0;
}
