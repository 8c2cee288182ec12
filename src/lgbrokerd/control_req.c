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
 * The requests in flight on one control connection, found by id in the
 * connection's hash.  A QUERY becomes a request: re-validated with
 * validate_query under the current policy, resolved first when the
 * target is a hostname (resolve.c, every address checked with
 * validate_resolved), then handed to the pool as a waiter.  The waiter
 * callbacks below turn the pool's output into RESULT_BEGIN/DATA/END
 * frames under the WINDOW flow control; every request ends with exactly
 * one RESULT_END and one audit line.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lg_proto.h"
#include "broker.h"

#define CONN_REQS_MIN		1024	/* requests in flight per connection */
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

static void	req_submit(struct request *);

/*
 * The peer is gone: every request is cancelled without a frame, and a
 * command it alone was waiting for is abandoned with its session.
 */
void
control_req_reap(struct conn *c)
{
	struct request	*r;

	while ((r = TAILQ_FIRST(&c->reqs)) != NULL) {
		if (r->res != NULL)
			resolve_cancel(r->res);
		job_waiter_abandon(&r->w);
		audit_query(r->q.client, r->q.user, r->q.router, r->q.type, r->q.target,
		    LG_ERR_CANCELLED, ev_now() - r->start_ms, r->w.sent);
		TAILQ_REMOVE(&c->reqs, r, entry);
		LIST_REMOVE(r, hentry);
		free(r);
	}
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

/* A chunk of output or of the parsed answer, counted against the window. */
static void
req_chunk(struct waiter *w, ssize_t (*encode)(uint8_t *, size_t, uint32_t,
    const void *, size_t), const char *data, size_t len)
{
	struct request	*r = W2REQ(w);
	uint8_t		 f[LG_FRAME_HDR_SIZE + LG_DATA_CHUNK_MAX];

	r->window -= len;
	control_send(r->c, f, encode(f, sizeof(f), r->id, data, len));
}

static void
req_data(struct waiter *w, const char *data, size_t len)
{
	req_chunk(w, proto_encode_result_data, data, len);
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
	audit_query(r->q.client, r->q.user, r->q.router, r->q.type, r->q.target, err, ms,
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
	req_chunk(w, proto_encode_result_parsed, data, len);
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
	rc = job_submit(rt, r->q.type, r->q.afi, &r->target, r->q.vrf,
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

void
control_req_query(struct conn *c, uint32_t id, const uint8_t *p, size_t len)
{
	struct request	*r;
	struct router	*rt;
	char		 err[LG_ERRSTR_MAX];
	enum lg_err	 rc;

	if (id == 0 || req_find(c, id) != NULL) {
		control_warn(c, "QUERY with %s request id %u", id ?
		    "a duplicate" : "a zero", id);
		control_close(c);
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
		control_warn(c, "malformed QUERY");
		control_close(c);
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

void
control_req_cancel(struct conn *c, uint32_t id, const uint8_t *p, size_t len)
{
	struct request	*r = req_find(c, id);

	(void)p;
	(void)len;
	if (r == NULL)
		return;		/* it may have just finished */
	if (r->res != NULL)
		resolve_cancel(r->res);
	r->res = NULL;
	job_waiter_cancel(&r->w);
	req_finish(r, LG_ERR_CANCELLED, 0, r->w.sent, "cancelled");
}

void
control_req_window(struct conn *c, uint32_t id, const uint8_t *p, size_t len)
{
	struct request	*r;
	uint32_t	 more;

	if (proto_decode_window(p, len, &more) == -1) {
		control_warn(c, "malformed WINDOW");
		control_close(c);
		return;
	}
	if ((r = req_find(c, id)) == NULL)
		return;
	r->window += more;
	if (r->window > WINDOW_MAX)
		r->window = WINDOW_MAX;
	job_waiter_kick(&r->w);
}

/*
 * Lets every request of the connection send again.  Kicking one request
 * delivers its whole job, which may end (and free) other requests of this
 * connection, the next one included: req_free moves the cursor past a
 * request it frees.  Requests sharing a job one after the other are
 * kicked once.
 */
void
control_req_kick(struct conn *c)
{
	struct request	*r;
	const struct job *last = NULL;

	c->full = 0;
	for (r = TAILQ_FIRST(&c->reqs); r != NULL && !c->dead;
	    r = c->kick_next) {
		c->kick_next = TAILQ_NEXT(r, entry);
		if (r->w.job == NULL || r->w.job != last) {
			last = r->w.job;
			job_waiter_kick(&r->w);
		}
	}
	c->kick_next = NULL;
}
