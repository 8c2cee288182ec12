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
 * The control sockets (PROTOCOL.md): the public one for lgwebd (mode
 * 0660, group broker.socket_group) and the admin one for lgctl (0600,
 * peer uid 0 or ours, checked with SO_PEERCRED).  Each connection has a
 * frame reader, a capped send queue and its in-flight requests.  Frames
 * are decoded with the bounds-checked codecs of proto_msg.c; anything
 * malformed, unknown, out of order or not allowed on that socket is
 * logged with the peer's uid/pid and closes that connection only.
 *
 * A QUERY becomes a request: re-validated with validate_query under the
 * current policy, resolved first when the target is a hostname
 * (resolve.c, every address checked with validate_resolved), then handed
 * to the pool as a waiter.  The waiter callbacks below turn the pool's
 * output into RESULT_BEGIN/DATA/END frames under the WINDOW flow control;
 * every request ends with exactly one RESULT_END and one audit line.
 *
 * Connections are closed in two steps: at once for I/O and requests, and
 * freed from a timer, so that nothing on the call stack (a pool callback
 * delivering output, say) is left holding a freed connection.
 *
 * A connection cannot take the broker for itself: each socket has its own
 * connection limit (a flood of idle public clients never locks lgctl
 * out), a client that has not said HELLO within CONN_HELLO_MS is closed,
 * a connection holds at most conn_reqs_max() requests in flight (the
 * next ones end at once with busy, each with its own RESULT_END), its
 * requests are found by id in a hash, and each wakeup reads at most
 * CONN_READ_MAX bytes of frames, so other clients, routers and signals
 * get their turn between batches.
 */

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"
#include "lg_proto.h"
#include "broker.h"

#define CONN_OUTQ_CAP		(16 * 1024 * 1024)
#define CONN_OUTQ_HIGH		(1024 * 1024)
#define CONN_MAX		1024	/* public socket */
#define CONN_ADMIN_MAX		32	/* admin socket, counted apart */
#define CONN_REQS_MIN		1024	/* requests in flight per connection */
#define CONN_HASH		256	/* request buckets, a power of two */
#define CONN_HELLO_MS		10000
#define CONN_READ_MAX		4096	/* bytes read per wakeup */
#define WINDOW_MAX		((uint64_t)1 << 40)

struct request {
	TAILQ_ENTRY(request)	 entry;
	LIST_ENTRY(request)	 hentry;	/* in c->hash */
	struct conn		*c;
	uint32_t		 id;
	struct waiter		 w;
	uint64_t		 window;
	uint64_t		 start_ms;
	struct lg_msg_query	 q;
	struct lg_target	 target;
	struct resolve_req	*res;
};

TAILQ_HEAD(requestq, request);

struct conn {
	TAILQ_ENTRY(conn)	 entry;
	int			 fd;
	int			 admin;
	uid_t			 uid;
	pid_t			 pid;
	int			 hello;
	int			 dead;
	struct ev_io		 io;
	struct ev_timer		 reap;
	struct ev_timer		 flush;		/* end of this loop turn */
	struct ev_timer		 t_hello;	/* HELLO or close */
	int			 full;		/* a request found no room */
	struct lg_frame_reader	 rd;
	struct lg_buf		 outq;
	struct requestq		 reqs;
	struct request		*kick_next;	/* conn_kick's cursor */
	unsigned int		 nreqs;
	LIST_HEAD(, request)	 hash[CONN_HASH];
};

struct listener {
	int			 fd;
	int			 admin;
	struct ev_io		 io;
	char			 path[LG_PATH_MAX];
};

static TAILQ_HEAD(, conn) conns = TAILQ_HEAD_INITIALIZER(conns);
static unsigned int	 nconns[2];	/* public, admin */
static struct listener	 listeners[2] = { { .fd = -1 }, { .fd = -1 } };

static void	conn_io(int, uint32_t, void *);
static void	conn_kick(struct conn *);
static void	req_submit(struct request *);

static void
conn_warn(const struct conn *c, const char *fmt, ...)
    __attribute__((__format__(__printf__, 2, 3)));

static void
conn_warn(const struct conn *c, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_warnx("%s client uid %ld pid %ld: %s", c->admin ? "admin" :
	    "control", (long)c->uid, (long)c->pid, msg);
}

/*
 * The second step of a close, from a timer: requests still in flight are
 * cancelled (no frames: the peer is gone) and the connection is freed.
 */
static void
conn_reap(void *arg)
{
	struct conn	*c = arg;
	struct request	*r;

	while ((r = TAILQ_FIRST(&c->reqs)) != NULL) {
		if (r->res != NULL)
			resolve_cancel(r->res);
		pool_waiter_cancel(&r->w);
		audit_query(r->q.client, r->q.router, r->q.type, r->q.target,
		    LG_ERR_CANCELLED, ev_now() - r->start_ms, r->w.sent);
		TAILQ_REMOVE(&c->reqs, r, entry);
		LIST_REMOVE(r, hentry);
		free(r);
	}
	if (c->admin)
		admin_hostkey_cancel(c);
	TAILQ_REMOVE(&conns, c, entry);
	nconns[c->admin]--;
	buf_free(&c->outq);
	free(c);
}

static void
req_free(struct request *r)
{
	if (r->c->kick_next == r)
		r->c->kick_next = TAILQ_NEXT(r, entry);
	TAILQ_REMOVE(&r->c->reqs, r, entry);
	LIST_REMOVE(r, hentry);
	r->c->nreqs--;
	free(r);
}

static size_t
req_bucket(uint32_t id)
{
	return (size_t)((id * 2654435761U) >> 24) & (CONN_HASH - 1);
}

/* Requests one connection may have in flight: lgwebd's whole table. */
static unsigned int
conn_reqs_max(void)
{
	unsigned int	 n = broker->gen->conf.web.max_inflight;

	return n > CONN_REQS_MIN ? n : CONN_REQS_MIN;
}

/* Closes a connection: no more I/O now, the rest from the reap timer. */
static void
conn_close(struct conn *c)
{
	if (c->dead)
		return;
	c->dead = 1;
	ev_timer_del(&c->t_hello);
	/* Frames queued this turn (an END before a close) still go out. */
	ev_timer_del(&c->flush);
	(void)proto_flush(c->fd, &c->outq);
	ev_io_del(&c->io);
	close(c->fd);
	c->fd = -1;
	ev_timer_add(&c->reap, 0);
}

static void
conn_update(struct conn *c)
{
	if (!c->dead)
		ev_io_mod(&c->io, EPOLLIN | (c->outq.len ? EPOLLOUT : 0));
}

/*
 * Writes what this turn of the loop queued, in one write: a warm answer's
 * RESULT_DATA and RESULT_END leave together and wake the front once.
 */
static void
conn_flush(void *arg)
{
	struct conn	*c = arg;

	if (c->dead)
		return;
	if (proto_flush(c->fd, &c->outq) == -1) {
		if (errno != EPIPE && errno != ECONNRESET)
			conn_warn(c, "write: %s", strerror(errno));
		conn_close(c);
		return;
	}
	conn_update(c);
	/* A request that stopped for room this turn is not waiting for
	 * EPOLLOUT when the queue drained at once. */
	if (c->full && c->outq.len < CONN_OUTQ_HIGH)
		conn_kick(c);
}

/*
 * Queues a frame built by an encoder for the end of this loop turn; a
 * full queue closes the peer.
 */
int
control_send(struct conn *c, const uint8_t *frame, ssize_t len)
{
	if (c->dead)
		return -1;
	if (len < 0) {
		log_warnx("%s: cannot encode a frame", __func__);
		conn_close(c);
		return -1;
	}
	if (proto_queue_frame(&c->outq, frame, (size_t)len) == -1) {
		conn_warn(c, "not reading its replies; closing");
		conn_close(c);
		return -1;
	}
	if (!ev_timer_pending(&c->flush))
		ev_timer_add(&c->flush, 0);
	return 0;
}

int
control_send_end(struct conn *c, uint32_t id, enum lg_err err,
    const char *msg)
{
	uint8_t	 f[LG_FRAME_HDR_SIZE + LG_ERRSTR_MAX + 64];
	char	 clean[LG_ERRSTR_MAX];

	lg_strlcpy(clean, msg, sizeof(clean));
	proto_text_clean(clean);
	return control_send(c, f, proto_encode_end(f, sizeof(f), id,
	    (uint16_t)err, clean));
}

/*
 * Ends a request id that never became a request (no room, no memory)
 * with its own RESULT_END, as every query id must end.
 */
static int
conn_refuse(struct conn *c, uint32_t id, enum lg_err err, const char *msg)
{
	struct lg_msg_result_end e = { 0 };
	uint8_t			 f[LG_FRAME_HDR_SIZE + 2 * LG_ERRSTR_MAX];

	e.error = (uint16_t)err;
	lg_strlcpy(e.message, msg, sizeof(e.message));
	return control_send(c, f, proto_encode_result_end(f, sizeof(f), id,
	    &e));
}

/* ---- requests as pool waiters ---- */

#define W2REQ(wp)	((struct request *)((char *)(wp) - \
			    offsetof(struct request, w)))

static size_t
req_room(struct waiter *w)
{
	struct request	*r = W2REQ(w);

	if (r->c->dead)
		return 0;
	if (r->c->outq.len >= CONN_OUTQ_HIGH) {
		r->c->full = 1;
		return 0;
	}
	return r->window > LG_DATA_CHUNK_MAX ? LG_DATA_CHUNK_MAX :
	    (size_t)r->window;
}

static void
req_begin(struct waiter *w, const char *router, const char *cmd)
{
	struct request	*r = W2REQ(w);
	uint8_t		 f[LG_FRAME_HDR_SIZE + 4 * LG_COMMAND_MAX];

	control_send(r->c, f, proto_encode_result_begin(f, sizeof(f), r->id,
	    router, cmd));
}

static void
req_data(struct waiter *w, const char *data, size_t len)
{
	struct request	*r = W2REQ(w);
	uint8_t		 f[LG_FRAME_HDR_SIZE + LG_DATA_CHUNK_MAX];

	r->window -= len;
	control_send(r->c, f, proto_encode_result_data(f, sizeof(f), r->id,
	    data, len));
}

/* Sends RESULT_END, writes the audit line, frees the request. */
static void
req_finish(struct request *r, enum lg_err err, int flags, uint64_t bytes,
    const char *msg)
{
	struct lg_msg_result_end e = { 0 };
	uint8_t			 f[LG_FRAME_HDR_SIZE + 2 * LG_ERRSTR_MAX];
	uint64_t		 ms = ev_now() - r->start_ms;
	struct conn		*c = r->c;
	uint32_t		 id = r->id;

	e.error = (uint16_t)err;
	e.flags = (uint8_t)flags;
	e.runtime_ms = ms > UINT32_MAX ? UINT32_MAX : (uint32_t)ms;
	e.bytes = bytes;
	lg_strlcpy(e.message, msg, sizeof(e.message));
	proto_text_clean(e.message);
	audit_query(r->q.client, r->q.router, r->q.type, r->q.target, err, ms,
	    bytes);
	req_free(r);
	control_send(c, f, proto_encode_result_end(f, sizeof(f), id, &e));
}

static void
req_end(struct waiter *w, enum lg_err err, int flags, uint64_t bytes,
    const char *msg)
{
	req_finish(W2REQ(w), err, flags, bytes, msg);
}

static void
req_parsed(struct waiter *w, const char *data, size_t len)
{
	struct request	*r = W2REQ(w);
	uint8_t		 f[LG_FRAME_HDR_SIZE + LG_DATA_CHUNK_MAX];

	r->window -= len;
	control_send(r->c, f, proto_encode_result_parsed(f, sizeof(f), r->id,
	    data, len));
}

static const struct waiter_ops req_ops = {
	req_room, req_begin, req_data, req_end, req_parsed
};

static struct request *
req_find(struct conn *c, uint32_t id)
{
	struct request	*r;

	LIST_FOREACH(r, &c->hash[req_bucket(id)], hentry)
		if (r->id == id)
			return r;
	return NULL;
}

/* ---- QUERY ---- */

static int
vrf_allowed(const struct router *rt, const char *vrf)
{
	const struct lg_config	*conf = &broker->gen->conf;
	size_t			 i;

	if (vrf[0] == '\0' || strcmp(vrf, rt->conf->vrf) == 0)
		return 1;
	for (i = 0; i < conf->web.nvrfs; i++)
		if (strcmp(vrf, conf->web.vrfs[i]) == 0)
			return 1;
	return 0;
}

static void
req_submit(struct request *r)
{
	struct router	*rt = pool_find(r->q.router);
	char		 err[LG_ERRSTR_MAX];
	enum lg_err	 rc;

	if (rt == NULL) {
		req_finish(r, LG_ERR_UNKNOWN_ROUTER, 0, 0, "unknown router");
		return;
	}
	r->w.ops = &req_ops;
	rc = pool_submit(rt, r->q.type, r->q.afi, &r->target, r->q.vrf,
	    &r->w, err, sizeof(err));
	if (rc != LG_OK)
		req_finish(r, rc, 0, 0, err);
}

static int
addr_family(const struct sockaddr_storage *ss, enum lg_afi *afi,
    const uint8_t **bytes)
{
	if (ss->ss_family == AF_INET) {
		*afi = AFI_IPV4;
		*bytes = (const uint8_t *)&((const struct sockaddr_in *)
		    ss)->sin_addr;
		return 0;
	}
	if (ss->ss_family == AF_INET6) {
		*afi = AFI_IPV6;
		*bytes = (const uint8_t *)&((const struct sockaddr_in6 *)
		    ss)->sin6_addr;
		return 0;
	}
	return -1;
}

/*
 * A hostname resolved: every address must pass the policy (a name with
 * one forbidden address is refused), then the family asked for, or the
 * first address, becomes the literal target.
 */
static void
req_resolved(void *arg, int gai, const struct sockaddr_storage *ss, size_t n)
{
	struct request	*r = arg;
	struct lg_target t, pick = { 0 };
	char		 err[LG_ERRSTR_MAX], name[LG_HOSTNAME_MAX + 1];
	const uint8_t	*bytes;
	enum lg_afi	 afi;
	enum lg_err	 rc;
	size_t		 i;
	int		 found = 0;

	r->res = NULL;
	lg_strlcpy(name, r->target.canon, sizeof(name));
	if (gai != 0 || n == 0) {
		snprintf(err, sizeof(err), "target: %.200s does not resolve", name);
		req_finish(r, LG_ERR_BAD_QUERY, 0, 0, err);
		return;
	}
	for (i = 0; i < n; i++) {
		if (addr_family(&ss[i], &afi, &bytes) == -1)
			continue;
		rc = validate_resolved(&broker->gen->conf.policy, afi, bytes,
		    &t, err, sizeof(err));
		if (rc != LG_OK) {
			req_finish(r, rc, 0, 0, err);
			return;
		}
		if (!found && (r->q.afi == AFI_ANY || r->q.afi == afi)) {
			pick = t;
			found = 1;
		}
	}
	if (!found) {
		snprintf(err, sizeof(err), "target: %.200s has no %s address",
		    name, afi_name((enum lg_afi)r->q.afi));
		req_finish(r, LG_ERR_BAD_QUERY, 0, 0, err);
		return;
	}
	r->target = pick;
	req_submit(r);
}

static void
conn_query(struct conn *c, uint32_t id, const uint8_t *p, size_t len)
{
	struct request	*r;
	struct router	*rt;
	char		 err[LG_ERRSTR_MAX];
	enum lg_err	 rc;

	if (id == 0 || req_find(c, id) != NULL) {
		conn_warn(c, "QUERY with %s request id %u", id ? "a duplicate" :
		    "a zero", id);
		conn_close(c);
		return;
	}
	if (c->nreqs >= conn_reqs_max()) {
		conn_refuse(c, id, LG_ERR_BUSY, "too many queries in flight "
		    "on this connection");
		return;
	}
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		conn_refuse(c, id, LG_ERR_INTERNAL, "out of memory");
		return;
	}
	if (proto_decode_query(p, len, &r->q) == -1) {
		free(r);
		conn_warn(c, "malformed QUERY");
		conn_close(c);
		return;
	}
	r->c = c;
	r->id = id;
	r->window = LG_WINDOW_INITIAL;
	r->start_ms = ev_now();
	TAILQ_INSERT_TAIL(&c->reqs, r, entry);
	LIST_INSERT_HEAD(&c->hash[req_bucket(id)], r, hentry);
	c->nreqs++;
	if ((rt = pool_find(r->q.router)) == NULL) {
		req_finish(r, LG_ERR_UNKNOWN_ROUTER, 0, 0, "unknown router");
		return;
	}
	rc = validate_query(&broker->gen->conf.policy, r->q.type, r->q.afi,
	    r->q.target, &r->target, err, sizeof(err));
	if (rc == LG_OK && !vrf_allowed(rt, r->q.vrf)) {
		snprintf(err, sizeof(err), "vrf: not allowed");
		rc = LG_ERR_BAD_QUERY;
	}
	if (rc != LG_OK) {
		req_finish(r, rc, 0, 0, err);
		return;
	}
	if (r->target.kind != TGT_HOSTNAME) {
		req_submit(r);
		return;
	}
	if ((r->res = resolve_start(r->target.canon, req_resolved, r)) == NULL)
		req_finish(r, errno == EAGAIN ? LG_ERR_BUSY : LG_ERR_INTERNAL,
		    0, 0, errno == EAGAIN ? "too many names are being resolved;"
		    " try again later" : "cannot resolve now");
}

/* ---- other messages ---- */

static void
conn_cancel(struct conn *c, uint32_t id)
{
	struct request	*r = req_find(c, id);

	if (r == NULL)
		return;		/* it may have just finished */
	if (r->res != NULL)
		resolve_cancel(r->res);
	r->res = NULL;
	pool_waiter_cancel(&r->w);
	req_finish(r, LG_ERR_CANCELLED, 0, r->w.sent, "cancelled");
}

static void
conn_window(struct conn *c, uint32_t id, uint32_t more)
{
	struct request	*r = req_find(c, id);

	if (r == NULL)
		return;
	r->window += more;
	if (r->window > WINDOW_MAX)
		r->window = WINDOW_MAX;
	pool_waiter_kick(&r->w);
}

static void
router_vendor(const struct router *rt, char *out, size_t len)
{
	const struct lg_driver	*d = rt->drv;
	size_t			 vl = strlen(d->vendor);

	if (d->description[0] == '\0')
		lg_strlcpy(out, d->vendor, len);
	else if (strncmp(d->description, d->vendor, vl) == 0)
		lg_strlcpy(out, d->description, len);
	else {
		lg_strlcpy(out, d->vendor, len);
		lg_strlcat(out, " ", len);
		lg_strlcat(out, d->description, len);
	}
}

static void
conn_list_routers(struct conn *c, uint32_t id)
{
	struct lg_msg_router	 m;
	struct router		*rt;
	uint8_t			 f[LG_FRAME_HDR_SIZE + sizeof(m) + 64];

	TAILQ_FOREACH(rt, &broker->routers, entry) {
		memset(&m, 0, sizeof(m));
		lg_strlcpy(m.name, rt->conf->name, sizeof(m.name));
		lg_strlcpy(m.location, rt->conf->location, sizeof(m.location));
		lg_strlcpy(m.group, rt->conf->group, sizeof(m.group));
		router_vendor(rt, m.vendor, sizeof(m.vendor));
		m.queries = broker->gen->conf.policy.queries &
		    rt->conf->queries & rt->drv->supported;
		m.state = (uint8_t)pool_router_state(rt);
		if (control_send(c, f, proto_encode_router(f, sizeof(f), id,
		    &m)) == -1)
			return;
	}
	control_send_end(c, id, LG_OK, "");
}

static void
conn_status(struct conn *c, uint32_t id)
{
	struct lg_msg_router_status	 st;
	struct router			*rt;
	uint8_t				 f[LG_FRAME_HDR_SIZE + sizeof(st) + 64];

	TAILQ_FOREACH(rt, &broker->routers, entry) {
		pool_router_status(rt, &st);
		if (control_send(c, f, proto_encode_router_status(f,
		    sizeof(f), id, &st)) == -1)
			return;
	}
	control_send_end(c, id, LG_OK, "");
}

static void
conn_reload(struct conn *c, uint32_t id)
{
	char	 msg[LG_ERRSTR_MAX];

	if (admin_reload(msg, sizeof(msg)) == -1)
		control_send_end(c, id, LG_ERR_BAD_QUERY, msg);
	else
		control_send_end(c, id, LG_OK, msg);
}

static void
conn_hostkey(struct conn *c, uint32_t id, const uint8_t *p, size_t len)
{
	char	 name[LG_NAME_MAX], err[LG_ERRSTR_MAX];

	if (proto_decode_str(p, len, name, sizeof(name)) == -1) {
		conn_warn(c, "malformed HOSTKEY");
		conn_close(c);
		return;
	}
	if (admin_hostkey(c, id, name, err, sizeof(err)) == -1)
		control_send_end(c, id, LG_ERR_UNKNOWN_ROUTER, err);
}

static void
conn_hello(struct conn *c, const uint8_t *p, size_t len)
{
	uint8_t		 f[LG_FRAME_HDR_SIZE + 128];
	uint16_t	 version;
	char		 sw[LG_TEXT_MAX], msg[LG_ERRSTR_MAX];

	if (proto_decode_hello(p, len, &version, sw, sizeof(sw)) == -1) {
		conn_warn(c, "malformed HELLO");
		conn_close(c);
		return;
	}
	if (version != LG_PROTO_VERSION) {
		snprintf(msg, sizeof(msg), "protocol version %u not supported, "
		    "broker speaks %d", version, LG_PROTO_VERSION);
		conn_warn(c, "%s (%s)", msg, sw);
		control_send_end(c, 0, LG_ERR_INTERNAL, msg);
		conn_close(c);
		return;
	}
	log_debug("%s client uid %ld: %s", c->admin ? "admin" : "control",
	    (long)c->uid, sw);
	c->hello = 1;
	ev_timer_del(&c->t_hello);
	control_send(c, f, proto_encode_hello(f, sizeof(f), "lgbrokerd "
	    LG_VERSION));
}

/* Which message types each socket accepts; the rest close the peer. */
static const struct {
	uint16_t	 type;
	int		 admin_only;
} conn_allowed[] = {
	{ LG_MSG_QUERY, 0 },
	{ LG_MSG_CANCEL, 0 },
	{ LG_MSG_WINDOW, 0 },
	{ LG_MSG_LIST_ROUTERS, 0 },
	{ LG_MSG_STATUS, 1 },
	{ LG_MSG_RELOAD, 1 },
	{ LG_MSG_HOSTKEY, 1 },
	{ 0, 0 }
};

static int
conn_may(const struct conn *c, uint16_t type)
{
	int	 i;

	for (i = 0; conn_allowed[i].type != 0; i++)
		if (conn_allowed[i].type == type)
			return !conn_allowed[i].admin_only || c->admin;
	return 0;
}

static void
conn_dispatch(struct conn *c, const struct lg_frame_hdr *h,
    const uint8_t *p)
{
	uint32_t	 more;

	if (!c->hello) {
		if (h->type == LG_MSG_HELLO)
			conn_hello(c, p, h->length);
		else {
			conn_warn(c, "%s before HELLO", proto_msg_name(h->type));
			conn_close(c);
		}
		return;
	}
	if (!conn_may(c, h->type)) {
		conn_warn(c, "%s not allowed on this socket",
		    proto_msg_name(h->type));
		conn_close(c);
		return;
	}
	if (h->type != LG_MSG_QUERY && h->type != LG_MSG_HOSTKEY &&
	    h->type != LG_MSG_WINDOW && proto_decode_empty(p, h->length) == -1) {
		conn_warn(c, "malformed %s", proto_msg_name(h->type));
		conn_close(c);
		return;
	}
	switch (h->type) {
	case LG_MSG_QUERY:
		conn_query(c, h->request_id, p, h->length);
		break;
	case LG_MSG_CANCEL:
		conn_cancel(c, h->request_id);
		break;
	case LG_MSG_WINDOW:
		if (proto_decode_window(p, h->length, &more) == -1) {
			conn_warn(c, "malformed WINDOW");
			conn_close(c);
		} else
			conn_window(c, h->request_id, more);
		break;
	case LG_MSG_LIST_ROUTERS:
		conn_list_routers(c, h->request_id);
		break;
	case LG_MSG_STATUS:
		conn_status(c, h->request_id);
		break;
	case LG_MSG_RELOAD:
		conn_reload(c, h->request_id);
		break;
	case LG_MSG_HOSTKEY:
		conn_hostkey(c, h->request_id, p, h->length);
		break;
	}
}

static void
conn_read(struct conn *c)
{
	struct lg_frame_hdr	 h;
	const uint8_t		*p;
	uint8_t			*space;
	size_t			 room;
	ssize_t			 n;
	int			 rc;

	/*
	 * One small read a wakeup (some 60 QUERY frames): the socket stays
	 * readable for the next turn, after everyone else's.
	 */
	space = proto_reader_space(&c->rd, &room);
	n = read(c->fd, space, room < CONN_READ_MAX ? room : CONN_READ_MAX);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
		conn_close(c);
		return;
	}
	if (n == -1)
		return;
	proto_reader_filled(&c->rd, (size_t)n);
	while (!c->dead && (rc = proto_reader_next(&c->rd, &h, &p)) != 0) {
		if (rc == -1) {
			conn_warn(c, "malformed frame header");
			conn_close(c);
			return;
		}
		conn_dispatch(c, &h, p);
	}
}

/*
 * Lets every request of the connection send again.  Kicking one request
 * delivers its whole job, which may end (and free) other requests of this
 * connection, the next one included: req_free moves the cursor past a
 * request it frees.  Requests sharing a job one after the other are
 * kicked once.
 */
static void
conn_kick(struct conn *c)
{
	struct request	*r;
	const struct job *last = NULL;

	c->full = 0;
	for (r = TAILQ_FIRST(&c->reqs); r != NULL && !c->dead;
	    r = c->kick_next) {
		c->kick_next = TAILQ_NEXT(r, entry);
		if (r->w.job == NULL || r->w.job != last) {
			last = r->w.job;
			pool_waiter_kick(&r->w);
		}
	}
	c->kick_next = NULL;
}

/* The queue drained below the mark: let the pool send more. */
static void
conn_writable(struct conn *c)
{
	if (proto_flush(c->fd, &c->outq) == -1) {
		conn_close(c);
		return;
	}
	conn_update(c);
	if (c->outq.len >= CONN_OUTQ_HIGH)
		return;
	conn_kick(c);
}

static void
conn_io(int fd, uint32_t events, void *arg)
{
	struct conn	*c = arg;

	(void)fd;
	if (c->dead)
		return;
	if (events & EPOLLOUT)
		conn_writable(c);
	if (!c->dead && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		conn_read(c);
}

static void
conn_hello_timeout(void *arg)
{
	struct conn	*c = arg;

	conn_warn(c, "no HELLO within %d s; closing", CONN_HELLO_MS / 1000);
	conn_close(c);
}

static void
conn_accept_one(struct listener *l, int fd)
{
	struct conn	*c;
	uid_t		 uid = (uid_t)-1;
	gid_t		 gid;
	pid_t		 pid = 0;
	int		 full;
	size_t		 i;

	full = nconns[l->admin] >= (l->admin ? CONN_ADMIN_MAX : CONN_MAX);
	if (sock_peer_cred(fd, &uid, &gid, &pid) == -1 ||
	    (l->admin && uid != 0 && uid != geteuid()) || full) {
		log_warnx("%s socket: refused a client (uid %ld pid %ld%s)",
		    l->admin ? "admin" : "control", (long)uid, (long)pid,
		    full ? ", too many connections" : "");
		close(fd);
		return;
	}
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		close(fd);
		return;
	}
	c->fd = fd;
	c->admin = l->admin;
	c->uid = uid;
	c->pid = pid;
	proto_reader_init(&c->rd);
	buf_init(&c->outq, CONN_OUTQ_CAP);
	TAILQ_INIT(&c->reqs);
	for (i = 0; i < CONN_HASH; i++)
		LIST_INIT(&c->hash[i]);
	ev_timer_init(&c->reap, conn_reap, c);
	ev_timer_init(&c->flush, conn_flush, c);
	ev_timer_init(&c->t_hello, conn_hello_timeout, c);
	ev_timer_add(&c->t_hello, CONN_HELLO_MS);
	TAILQ_INSERT_TAIL(&conns, c, entry);
	nconns[c->admin]++;
	if (ev_io_add(&c->io, fd, EPOLLIN, conn_io, c) == -1)
		conn_close(c);
}

static void
listener_io(int fd, uint32_t events, void *arg)
{
	struct listener	*l = arg;
	int		 cfd;

	(void)events;
	for (;;) {
		cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (cfd == -1) {
			if (errno != EAGAIN && errno != EINTR &&
			    errno != ECONNABORTED)
				log_warn("accept");
			return;
		}
		conn_accept_one(l, cfd);
	}
}

static int
listener_open(struct listener *l, const char *path, mode_t mode,
    const char *group, int admin)
{
	char	 err[LG_ERRSTR_MAX];

	if (path[0] == '\0')
		return 0;
	l->admin = admin;
	lg_strlcpy(l->path, path, sizeof(l->path));
	if ((l->fd = sock_listen_unix(path, mode, group, err,
	    sizeof(err))) == -1) {
		log_warnx("%s", err);
		return -1;
	}
	if (ev_io_add(&l->io, l->fd, EPOLLIN, listener_io, l) == -1) {
		log_warn("epoll");
		return -1;
	}
	return 0;
}

int
control_init(const struct lg_config *conf)
{
	if (conf->broker.socket[0] == '\0') {
		log_warnx("broker.socket is not set");
		return -1;
	}
	if (listener_open(&listeners[0], conf->broker.socket, 0660,
	    conf->broker.socket_group[0] ? conf->broker.socket_group : NULL,
	    0) == -1)
		return -1;
	return listener_open(&listeners[1], conf->broker.admin_socket, 0600,
	    NULL, 1);
}

void
control_shutdown(void)
{
	struct conn	*c;
	int		 i;

	for (i = 0; i < 2; i++) {
		if (listeners[i].fd == -1)
			continue;
		ev_io_del(&listeners[i].io);
		close(listeners[i].fd);
		unlink(listeners[i].path);
		listeners[i].fd = -1;
	}
	while ((c = TAILQ_FIRST(&conns)) != NULL) {
		conn_close(c);
		ev_timer_del(&c->reap);
		conn_reap(c);
	}
}
