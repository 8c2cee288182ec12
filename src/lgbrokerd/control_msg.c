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
 * The messages of a control connection other than the requests: HELLO
 * first, then what each socket allows (conn_msgs), each handled here or
 * passed to control_req.c and admin.c.
 */

#include <stdio.h>
#include <string.h>

#include "lg.h"
#include "lg_proto.h"
#include "broker.h"

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
conn_list_routers(struct conn *c, uint32_t id, const uint8_t *p, size_t len)
{
	struct lg_msg_router	 m;
	struct router		*rt;
	uint8_t			 f[LG_FRAME_HDR_SIZE + sizeof(m) + 64];

	(void)p;
	(void)len;
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
conn_status(struct conn *c, uint32_t id, const uint8_t *p, size_t len)
{
	struct lg_msg_router_status	 st;
	struct router			*rt;
	uint8_t				 f[LG_FRAME_HDR_SIZE + sizeof(st) + 64];

	(void)p;
	(void)len;
	TAILQ_FOREACH(rt, &broker->routers, entry) {
		pool_router_status(rt, &st);
		if (control_send(c, f, proto_encode_router_status(f,
		    sizeof(f), id, &st)) == -1)
			return;
	}
	control_send_end(c, id, LG_OK, "");
}

/* The RTR caches, on both sockets: lgwebd shows them in /metrics. */
static void
conn_rpki(struct conn *c, uint32_t id, const uint8_t *p, size_t len)
{
	struct lg_msg_rpki_status	 st;
	uint8_t				 f[LG_FRAME_HDR_SIZE + sizeof(st) + 64];
	size_t				 i;

	(void)p;
	(void)len;
	for (i = 0; i < rpki_ncaches(); i++) {
		rpki_status(i, &st);
		if (control_send(c, f, proto_encode_rpki_status(f,
		    sizeof(f), id, &st)) == -1)
			return;
	}
	control_send_end(c, id, LG_OK, "");
}

static void
conn_reload(struct conn *c, uint32_t id, const uint8_t *p, size_t len)
{
	char	 msg[LG_ERRSTR_MAX];

	(void)p;
	(void)len;
	if (admin_reload(msg, sizeof(msg)) == -1)
		control_send_end(c, id, LG_ERR_BAD_QUERY, msg);
	else
		control_send_end(c, id, LG_OK, msg);
}

static void
conn_hostkey(struct conn *c, uint32_t id, const uint8_t *p, size_t len)
{
	char		 name[LG_NAME_MAX], err[LG_ERRSTR_MAX];
	enum lg_err	 rc;

	if (proto_decode_str(p, len, name, sizeof(name)) == -1) {
		control_warn(c, "malformed HOSTKEY");
		control_close(c);
		return;
	}
	if ((rc = admin_hostkey(c, id, name, err, sizeof(err))) != LG_OK)
		control_send_end(c, id, rc, err);
}

/* The front's heartbeat: answered at once, on every socket. */
static void
conn_ping(struct conn *c, uint32_t id, const uint8_t *p, size_t len)
{
	uint8_t	 f[LG_FRAME_HDR_SIZE];

	(void)id;
	(void)p;
	(void)len;
	control_send(c, f, proto_encode_empty(f, sizeof(f), LG_MSG_PONG, 0));
}

static void
conn_hello(struct conn *c, const uint8_t *p, size_t len)
{
	uint8_t		 f[LG_FRAME_HDR_SIZE + 128];
	uint16_t	 version;
	char		 sw[LG_TEXT_MAX], msg[LG_ERRSTR_MAX];

	if (proto_decode_hello(p, len, &version, sw, sizeof(sw)) == -1) {
		control_warn(c, "malformed HELLO");
		control_close(c);
		return;
	}
	if (version != LG_PROTO_VERSION) {
		snprintf(msg, sizeof(msg), "protocol version %u not supported, "
		    "broker speaks %d", version, LG_PROTO_VERSION);
		control_warn(c, "%s (%s)", msg, sw);
		control_send_end(c, 0, LG_ERR_INTERNAL, msg);
		control_close(c);
		return;
	}
	log_debug("%s client uid %ld: %s", c->admin ? "admin" : "control",
	    (long)c->uid, sw);
	c->hello = 1;
	ev_timer_del(&c->t_hello);
	control_send(c, f, proto_encode_hello(f, sizeof(f), "lgbrokerd "
	    LG_VERSION));
}

/*
 * The messages a front may send after HELLO, each with the socket it is
 * allowed on and its handler; any other type closes the peer.  How long
 * each payload may be is the wire's own table (proto.c proto_msgs[]),
 * enforced by the frame reader before a frame reaches this one: an empty
 * message's length is 0 here.
 */
static const struct {
	uint16_t	 type;
	int		 admin_only;
	void		(*fn)(struct conn *, uint32_t, const uint8_t *, size_t);
} conn_msgs[] = {
	{ LG_MSG_QUERY,		0, control_req_query },
	{ LG_MSG_CANCEL,	0, control_req_cancel },
	{ LG_MSG_WINDOW,	0, control_req_window },
	{ LG_MSG_LIST_ROUTERS,	0, conn_list_routers },
	{ LG_MSG_STATUS,	1, conn_status },
	{ LG_MSG_RPKI,		0, conn_rpki },
	{ LG_MSG_RELOAD,	1, conn_reload },
	{ LG_MSG_HOSTKEY,	1, conn_hostkey },
	{ LG_MSG_PING,		0, conn_ping },
	{ 0, 0, NULL }
};

void
control_msg_dispatch(struct conn *c, const struct lg_frame_hdr *h,
    const uint8_t *p)
{
	int	 i;

	if (!c->hello) {
		if (h->type == LG_MSG_HELLO)
			conn_hello(c, p, h->length);
		else {
			control_warn(c, "%s before HELLO",
			    proto_msg_name(h->type));
			control_close(c);
		}
		return;
	}
	for (i = 0; conn_msgs[i].type != 0; i++)
		if (conn_msgs[i].type == h->type)
			break;
	if (conn_msgs[i].type == 0 || (conn_msgs[i].admin_only && !c->admin)) {
		control_warn(c, "%s not allowed on this socket",
		    proto_msg_name(h->type));
		control_close(c);
		return;
	}
	conn_msgs[i].fn(c, h->request_id, p, h->length);
}
