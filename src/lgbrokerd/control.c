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
 * frame reader, a capped send queue and its in-flight requests
 * (control_req.c).  Frames are decoded with the bounds-checked codecs of
 * proto_msg.c and handed to control_msg.c; anything malformed, unknown, out
 * of order or not allowed on that socket is logged with the peer's
 * uid/pid and closes that connection only.
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
 * get their turn between batches; past CONN_OUTQ_PAUSE bytes of replies
 * it has not taken, its requests wait until it takes them.
 *
 * broker.listen_tls adds a TCP listener whose connections are the public
 * socket's, with TLS under the frames: the same reader, the same decoder
 * (control_msg.c) and the same limits; only conn_recv and conn_out know
 * the transport.  The handshake is driven by the loop like any other
 * I/O, a client that has not finished it and said HELLO within
 * CONN_HELLO_MS is closed, and one whose certificate the CA did not sign
 * is refused in the handshake, before any frame is read.  The
 * credentials are re-read on reload (control_tls_reload); connections
 * keep the ones they started with.
 */

#include <sys/types.h>
#include <sys/epoll.h>
#include <sys/socket.h>

#include <netinet/in.h>

#include <netdb.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"
#include "lg_tls.h"
#include "lg_proto.h"
#include "broker.h"

#define CONN_OUTQ_CAP		(16 * 1024 * 1024)
/*
 * Past this many bytes of replies not yet taken, the connection's requests
 * are not read: a client sending faster than it reads is slowed down to
 * its own pace instead of being closed at CONN_OUTQ_CAP.  Streamed output
 * stops at CONN_OUTQ_HIGH (control_req.c), far below.
 */
#define CONN_OUTQ_PAUSE		(4 * 1024 * 1024)
#define CONN_MAX		1024	/* public socket */
#define CONN_ADMIN_MAX		32	/* admin socket, counted apart */
#define CONN_HELLO_MS		10000
#define CONN_READ_MAX		4096	/* bytes read per wakeup */

struct listener {
	int			 fd;
	int			 admin;
	int			 tls;
	struct ev_io		 io;
	char			 path[LG_PATH_MAX];
};

static TAILQ_HEAD(, conn) conns = TAILQ_HEAD_INITIALIZER(conns);
static unsigned int	 nconns[2];	/* public, admin */
/* The public socket, the admin socket, broker.listen_tls. */
static struct listener	 listeners[3] = { { .fd = -1 }, { .fd = -1 },
			    { .fd = -1 } };
static struct tls_creds	*tls_cr;	/* current; sessions hold their own */

static void	conn_io(int, uint32_t, void *);

void
control_warn(const struct conn *c, const char *fmt, ...)
{
	char	 msg[512];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (c->tls != NULL)
		log_warnx("tls client %s: %s", c->peer, msg);
	else
		log_warnx("%s client uid %ld pid %ld: %s", c->admin ?
		    "admin" : "control", (long)c->uid, (long)c->pid, msg);
}

/* read(2) or its TLS counterpart. */
static ssize_t
conn_recv(struct conn *c, void *p, size_t len)
{
	if (c->tls != NULL)
		return tls_recv(c->tls, p, len);
	return read(c->fd, p, len);
}

/* proto_flush or its TLS counterpart: 0, 1 would block, -1 error. */
static int
conn_out(struct conn *c)
{
	if (c->tls == NULL)
		return proto_flush(c->fd, &c->outq);
	if (!tls_handshake_done(c->tls))
		return c->outq.len > 0;
	return tls_flush(c->tls, &c->outq);
}

/*
 * The second step of a close, from a timer: requests still in flight are
 * cancelled (no frames: the peer is gone) and the connection is freed.
 */
static void
conn_reap(void *arg)
{
	struct conn	*c = arg;

	control_req_reap(c);
	if (c->admin)
		admin_hostkey_cancel(c);
	TAILQ_REMOVE(&conns, c, entry);
	nconns[c->admin]--;
	buf_free(&c->outq);
	tls_conn_free(c->tls);
	free(c);
}

/* Closes a connection: no more I/O now, the rest from the reap timer. */
void
control_close(struct conn *c)
{
	if (c->dead)
		return;
	c->dead = 1;
	ev_timer_del(&c->t_hello);
	ev_timer_del(&c->more);
	/* Frames queued this turn (an END before a close) still go out. */
	ev_timer_del(&c->flush);
	(void)conn_out(c);
	ev_io_del(&c->io);
	close(c->fd);
	c->fd = -1;
	ev_timer_add(&c->reap, 0);
}

static void
conn_update(struct conn *c)
{
	if (c->dead || (c->tls != NULL && !tls_handshake_done(c->tls)))
		return;
	ev_io_mod(&c->io, (c->outq.len < CONN_OUTQ_PAUSE ? EPOLLIN : 0) |
	    (c->outq.len ? EPOLLOUT : 0));
	/* Records GnuTLS has already decrypted wake no epoll. */
	if (c->tls != NULL && c->outq.len < CONN_OUTQ_PAUSE &&
	    tls_pending(c->tls) > 0 && !ev_timer_pending(&c->more))
		ev_timer_add(&c->more, 0);
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
	if (conn_out(c) == -1) {
		if (errno != EPIPE && errno != ECONNRESET)
			control_warn(c, "write: %s", strerror(errno));
		control_close(c);
		return;
	}
	conn_update(c);
	/* A request that stopped for room this turn is not waiting for
	 * EPOLLOUT when the queue drained at once. */
	if (c->full && c->outq.len < CONN_OUTQ_HIGH)
		control_req_kick(c);
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
		control_close(c);
		return -1;
	}
	if (proto_queue_frame(&c->outq, frame, (size_t)len) == -1) {
		control_warn(c, "not reading its replies; closing");
		control_close(c);
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
	if (c->outq.len >= CONN_OUTQ_PAUSE) {
		conn_update(c);
		return;
	}
	space = proto_reader_space(&c->rd, &room);
	n = conn_recv(c, space, room < CONN_READ_MAX ? room : CONN_READ_MAX);
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
		control_close(c);
		return;
	}
	if (n == -1)
		return;
	proto_reader_filled(&c->rd, (size_t)n);
	while (!c->dead && (rc = proto_reader_next(&c->rd, &h, &p)) != 0) {
		if (rc == -1) {
			control_warn(c, "malformed frame header");
			control_close(c);
			return;
		}
		control_msg_dispatch(c, &h, p);
	}
	conn_update(c);
}

static void
conn_more(void *arg)
{
	struct conn	*c = arg;

	if (!c->dead)
		conn_read(c);
}

/* The queue drained below the mark: let the pool send more. */
static void
conn_writable(struct conn *c)
{
	if (conn_out(c) == -1) {
		control_close(c);
		return;
	}
	conn_update(c);
	if (c->outq.len >= CONN_OUTQ_HIGH)
		return;
	control_req_kick(c);
}

/*
 * One step of a TLS handshake, when the socket is ready for it.  A
 * refused certificate closes the connection before any frame.
 */
static void
conn_handshake(struct conn *c)
{
	char	 err[LG_ERRSTR_MAX], dn[LG_TEXT_MAX];
	int	 rc;

	if ((rc = tls_handshake(c->tls, err, sizeof(err))) == -1) {
		control_warn(c, "refused in the TLS handshake: %s", err);
		control_close(c);
		return;
	}
	if (rc == 1) {
		ev_io_mod(&c->io, tls_want_write(c->tls) ? EPOLLOUT : EPOLLIN);
		return;
	}
	tls_peer_name(c->tls, dn, sizeof(dn));
	lg_strlcat(c->peer, " (", sizeof(c->peer));
	lg_strlcat(c->peer, dn, sizeof(c->peer));
	lg_strlcat(c->peer, ")", sizeof(c->peer));
	log_debug("tls client %s: handshake done", c->peer);
	conn_update(c);
}

static void
conn_io(int fd, uint32_t events, void *arg)
{
	struct conn	*c = arg;

	(void)fd;
	if (c->dead)
		return;
	if (c->tls != NULL && !tls_handshake_done(c->tls)) {
		conn_handshake(c);
		return;
	}
	if (events & EPOLLOUT)
		conn_writable(c);
	if (!c->dead && (events & (EPOLLHUP | EPOLLERR)) &&
	    c->outq.len >= CONN_OUTQ_PAUSE)
		control_close(c);	/* gone with replies it will never take */
	else if (!c->dead && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		conn_read(c);
}

static void
conn_hello_timeout(void *arg)
{
	struct conn	*c = arg;

	control_warn(c, "no %sHELLO within %d s; closing", c->tls != NULL &&
	    !tls_handshake_done(c->tls) ? "TLS handshake nor " : "",
	    CONN_HELLO_MS / 1000);
	control_close(c);
}

/* "198.51.100.7 port 40112" of a TCP peer. */
static void
conn_peer_addr(int fd, char *out, size_t len)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl = sizeof(ss);
	char			 host[INET6_ADDRSTRLEN], serv[8];

	if (getpeername(fd, (struct sockaddr *)&ss, &sl) == -1 ||
	    getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host), serv,
	    sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV) != 0)
		lg_strlcpy(out, "(unknown address)", len);
	else
		snprintf(out, len, "%s port %s", host, serv);
}

/* A TLS listener's client: its session, no uid to check. */
static int
conn_accept_tls(struct conn *c, int full)
{
	char	 err[LG_ERRSTR_MAX];

	conn_peer_addr(c->fd, c->peer, sizeof(c->peer));
	if (full || tls_cr == NULL) {
		log_warnx("tls socket: refused a client (%s%s)", c->peer,
		    full ? ", too many connections" : "");
		return -1;
	}
	if ((c->tls = tls_conn_new(tls_cr, c->fd, NULL, err,
	    sizeof(err))) == NULL) {
		log_warnx("tls client %s: %s", c->peer, err);
		return -1;
	}
	return 0;
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
	/* Over TCP there are no peer credentials: the handshake checks. */
	if (!l->tls && (sock_peer_cred(fd, &uid, &gid, &pid) == -1 ||
	    (l->admin && uid != 0 && uid != geteuid()) || full)) {
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
	if (l->tls && conn_accept_tls(c, full) == -1) {
		close(fd);
		free(c);
		return;
	}
	proto_reader_init(&c->rd);
	buf_init(&c->outq, CONN_OUTQ_CAP);
	TAILQ_INIT(&c->reqs);
	for (i = 0; i < CONN_HASH; i++)
		LIST_INIT(&c->hash[i]);
	ev_timer_init(&c->reap, conn_reap, c);
	ev_timer_init(&c->flush, conn_flush, c);
	ev_timer_init(&c->t_hello, conn_hello_timeout, c);
	ev_timer_init(&c->more, conn_more, c);
	ev_timer_add(&c->t_hello, CONN_HELLO_MS);
	TAILQ_INSERT_TAIL(&conns, c, entry);
	nconns[c->admin]++;
	if (ev_io_add(&c->io, fd, EPOLLIN, conn_io, c) == -1)
		control_close(c);
	else if (c->tls != NULL)
		conn_handshake(c);	/* its ClientHello may be there already */
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

/*
 * Re-reads broker.listen_tls's CA, certificate and key; new connections
 * get them, those up keep theirs.  Returns 0 (also when there is no TLS
 * listener), or -1 keeping the old ones, with msg saying why.
 */
int
control_tls_reload(const struct lg_config *conf, char *msg, size_t len)
{
	const struct lg_tls_conf	*t = &conf->broker.listen_tls;
	struct tls_creds		*cr;
	char				 err[LG_ERRSTR_MAX];

	if (listeners[2].fd == -1)
		return 0;
	if (strcmp(t->addr, listeners[2].path) != 0)
		log_warnx("broker.listen_tls: the address changes (%s to %s) "
		    "only with a restart", listeners[2].path, t->addr[0] ?
		    t->addr : "none");
	if (t->addr[0] == '\0')
		return 0;
	if ((cr = tls_creds_load(t->ca, t->cert, t->key, err,
	    sizeof(err))) == NULL) {
		snprintf(msg, len, "broker.listen_tls: %s", err);
		return -1;
	}
	tls_creds_unref(tls_cr);
	tls_cr = cr;
	return 0;
}

static int
listener_open_tls(struct listener *l, const struct lg_tls_conf *t)
{
	char	 err[LG_ERRSTR_MAX];

	if (t->addr[0] == '\0')
		return 0;
	if ((tls_cr = tls_creds_load(t->ca, t->cert, t->key, err,
	    sizeof(err))) == NULL) {
		log_warnx("broker.listen_tls: %s", err);
		return -1;
	}
	l->tls = 1;
	lg_strlcpy(l->path, t->addr, sizeof(l->path));
	if ((l->fd = sock_listen_tcp(t->addr, err, sizeof(err))) == -1) {
		log_warnx("broker.listen_tls: %s", err);
		return -1;
	}
	if (ev_io_add(&l->io, l->fd, EPOLLIN, listener_io, l) == -1) {
		log_warn("epoll");
		return -1;
	}
	log_info("listening for fronts over TLS on %s", t->addr);
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
	if (listener_open(&listeners[1], conf->broker.admin_socket, 0600,
	    NULL, 1) == -1)
		return -1;
	return listener_open_tls(&listeners[2], &conf->broker.listen_tls);
}

void
control_shutdown(void)
{
	struct conn	*c;
	int		 i;

	for (i = 0; i < 3; i++) {
		if (listeners[i].fd == -1)
			continue;
		ev_io_del(&listeners[i].io);
		close(listeners[i].fd);
		if (!listeners[i].tls)
			unlink(listeners[i].path);
		listeners[i].fd = -1;
	}
	while ((c = TAILQ_FIRST(&conns)) != NULL) {
		control_close(c);
		ev_timer_del(&c->reap);
		conn_reap(c);
	}
	tls_creds_unref(tls_cr);
	tls_cr = NULL;
}
