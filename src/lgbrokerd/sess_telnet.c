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
 * The telnet transport: a non-blocking TCP socket with libtelnet's option
 * machine on top.  Options are negotiated by the library from the table
 * below (we let the router echo and suppress go-ahead, and tell it a wide
 * window); only TELNET_EV_DATA reaches the session, which does the login
 * dialogue with the driver's username and password prompts.  Bytes
 * libtelnet wants sent wait in a small queue flushed when the socket is
 * writable.
 */

#include <sys/epoll.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libtelnet.h>

#include "lg.h"
#include "broker.h"

#define TELNET_QUEUE_CAP	(64 * 1024)

struct telnet_ctx {
	int		 fd;
	int		 connected;
	int		 failed;
	telnet_t	*tn;
	struct lg_buf	 in;		/* data for the session */
	struct lg_buf	 out;		/* bytes for the socket */
};

static const telnet_telopt_t telnet_opts[] = {
	{ TELNET_TELOPT_ECHO,	TELNET_WONT,	TELNET_DO },
	{ TELNET_TELOPT_SGA,	TELNET_WILL,	TELNET_DO },
	{ TELNET_TELOPT_NAWS,	TELNET_WILL,	TELNET_DONT },
	{ TELNET_TELOPT_TTYPE,	TELNET_WILL,	TELNET_DONT },
	{ -1, 0, 0 }
};

static void
telnet_naws(telnet_t *tn)
{
	char	 sz[4];

	sz[0] = (char)(SESS_TERM_COLS >> 8);
	sz[1] = (char)(SESS_TERM_COLS & 0xff);
	sz[2] = (char)(SESS_TERM_ROWS >> 8);
	sz[3] = (char)(SESS_TERM_ROWS & 0xff);
	telnet_begin_sb(tn, TELNET_TELOPT_NAWS);
	telnet_send(tn, sz, sizeof(sz));
	telnet_finish_sb(tn);
}

static void
telnet_event(telnet_t *tn, telnet_event_t *ev, void *arg)
{
	struct telnet_ctx	*c = arg;

	switch (ev->type) {
	case TELNET_EV_DATA:
		if (buf_append(&c->in, ev->data.buffer, ev->data.size) == -1)
			c->failed = 1;
		break;
	case TELNET_EV_SEND:
		if (buf_append(&c->out, ev->data.buffer, ev->data.size) == -1)
			c->failed = 1;
		break;
	case TELNET_EV_DO:
		if (ev->neg.telopt == TELNET_TELOPT_NAWS)
			telnet_naws(tn);
		break;
	case TELNET_EV_TTYPE:
		if (ev->ttype.cmd == TELNET_TTYPE_SEND)
			telnet_ttype_is(tn, "vt100");
		break;
	case TELNET_EV_ERROR:
		c->failed = 1;
		break;
	default:
		break;
	}
}

static int
telnet_open(struct session *s, char *errstr, size_t len)
{
	struct telnet_ctx	*c;
	int			 rc;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	buf_init(&c->in, TELNET_QUEUE_CAP);
	buf_init(&c->out, TELNET_QUEUE_CAP);
	s->tr_ctx = c;
	rc = sock_connect_addr_nb((struct sockaddr *)&s->addr, s->addrlen,
	    &c->fd, errstr, len);
	if (rc == -1)
		return -1;
	c->connected = rc == 0;
	if ((c->tn = telnet_init(telnet_opts, telnet_event, 0, c)) == NULL)
		return -1;
	return 0;
}

/* Writes queued bytes; -1 on a socket error. */
static int
telnet_flush(struct telnet_ctx *c)
{
	ssize_t	 n;

	while (c->out.len > 0) {
		n = send(c->fd, c->out.data, c->out.len, MSG_NOSIGNAL);
		if (n == -1)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		buf_consume(&c->out, (size_t)n);
	}
	if (c->out.size > 4096 && c->out.len == 0)
		buf_free(&c->out);
	return 0;
}

static int
telnet_handshake(struct session *s, enum lg_err *err, char *errstr,
    size_t len)
{
	struct telnet_ctx	*c = s->tr_ctx;

	if (!c->connected) {
		if (sock_connect_finish(c->fd, errstr, len) == -1) {
			*err = LG_ERR_UNREACHABLE;
			return -1;
		}
		c->connected = 1;
	}
	return 0;
}

static ssize_t
telnet_take(struct telnet_ctx *c, char *buf, size_t len)
{
	size_t	 n = c->in.len < len ? c->in.len : len;

	memcpy(buf, c->in.data, n);
	buf_consume(&c->in, n);
	if (c->in.len == 0)
		buf_free(&c->in);
	return (ssize_t)n;
}

static ssize_t
telnet_read(struct session *s, char *buf, size_t len)
{
	struct telnet_ctx	*c = s->tr_ctx;
	char			 raw[SESS_READ_CHUNK];
	ssize_t			 n;

	if (telnet_flush(c) == -1 || c->failed)
		return -1;
	while (c->in.len == 0) {
		n = recv(c->fd, raw, sizeof(raw), 0);
		if (n == 0)
			return -1;
		if (n == -1)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		telnet_recv(c->tn, raw, (size_t)n);
		if (c->failed || telnet_flush(c) == -1)
			return -1;
	}
	return telnet_take(c, buf, len);
}

static int
telnet_write(struct session *s, const char *buf, size_t len)
{
	struct telnet_ctx	*c = s->tr_ctx;

	telnet_send(c->tn, buf, len);
	if (c->failed)
		return -1;
	return telnet_flush(c);
}

static uint32_t
telnet_events(struct session *s)
{
	struct telnet_ctx	*c = s->tr_ctx;

	if (!c->connected)
		return EPOLLOUT;
	return EPOLLIN | (c->out.len > 0 ? EPOLLOUT : 0);
}

static int
telnet_fd(struct session *s)
{
	struct telnet_ctx	*c = s->tr_ctx;

	return c->fd;
}

static void
telnet_close(struct session *s)
{
	struct telnet_ctx	*c = s->tr_ctx;

	if (c == NULL)
		return;
	if (c->tn != NULL)
		telnet_free(c->tn);
	if (c->fd != -1)
		close(c->fd);
	buf_free(&c->in);
	buf_free(&c->out);
	free(c);
	s->tr_ctx = NULL;
}

const struct sess_transport sess_telnet_transport = {
	.name = "telnet",
	.login = 1,
	.open = telnet_open,
	.handshake = telnet_handshake,
	.read = telnet_read,
	.write = telnet_write,
	.events = telnet_events,
	.fd = telnet_fd,
	.close = telnet_close,
};
