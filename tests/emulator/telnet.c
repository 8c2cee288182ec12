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
 * The telnet side of the emulator: libtelnet in server mode over our own
 * non-blocking sockets in the epoll set.  The server offers WILL ECHO and
 * WILL SGA, as routers do, so the client stops echoing locally and the CLI
 * (cli.c) echoes each character itself; it asks for NAWS and ignores the
 * answer.  With the echo_off fault it offers no ECHO and refuses it, as
 * line-mode devices and terminal servers do, and the CLI echoes nothing.  libtelnet is sans-I/O: received bytes go through telnet_recv,
 * decoded data comes back as TELNET_EV_DATA, and everything to send (with
 * IAC escaping) comes out as TELNET_EV_SEND into the session's socket queue.
 */

#include <sys/epoll.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emu.h"

#define TEL_SOCK_HIGH	(256 * 1024)	/* stop taking output above this */

static const telnet_telopt_t tel_opts[] = {
	{ TELNET_TELOPT_ECHO, TELNET_WILL, TELNET_DONT },
	{ TELNET_TELOPT_SGA, TELNET_WILL, TELNET_DO },
	{ TELNET_TELOPT_NAWS, TELNET_WONT, TELNET_DO },
	{ TELNET_TELOPT_TTYPE, TELNET_WONT, TELNET_DONT },
	{ -1, 0, 0 }
};

static const telnet_telopt_t tel_opts_noecho[] = {
	{ TELNET_TELOPT_ECHO, TELNET_WONT, TELNET_DONT },
	{ TELNET_TELOPT_SGA, TELNET_WILL, TELNET_DO },
	{ TELNET_TELOPT_NAWS, TELNET_WONT, TELNET_DO },
	{ TELNET_TELOPT_TTYPE, TELNET_WONT, TELNET_DONT },
	{ -1, 0, 0 }
};

static void
sock_flush(struct emu_sess *s)
{
	ssize_t		 n;
	int		 want;

	while (s->sockout.len > 0) {
		n = write(s->ev.fd, s->sockout.data, s->sockout.len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				emu_sess_kill(s);
			break;
		}
		buf_consume(&s->sockout, (size_t)n);
	}
	want = s->sockout.len > 0;
	if (want != s->want_out && !s->dead) {
		s->want_out = want;
		emu_epoll_mod(&s->ev, EPOLLIN | (want ? EPOLLOUT : 0));
	}
	if (!want)
		emu_sess_unblock(s);
}

static void
tel_event(telnet_t *tel, telnet_event_t *ev, void *arg)
{
	struct emu_sess	*s = arg;

	(void)tel;
	switch (ev->type) {
	case TELNET_EV_DATA:
		cli_input(s, ev->data.buffer, ev->data.size);
		break;
	case TELNET_EV_SEND:
		if (buf_append(&s->sockout, ev->data.buffer,
		    ev->data.size) == -1) {
			log_warnx("%s: telnet session %u output overflow",
			    s->r->name, s->id);
			emu_sess_kill(s);
		}
		break;
	case TELNET_EV_ERROR:
		log_warnx("%s: telnet session %u: %s", s->r->name, s->id,
		    ev->error.msg);
		emu_sess_kill(s);
		break;
	default:
		break;
	}
}

static void
tel_io(struct emu_ev *ev, uint32_t events)
{
	struct emu_sess	*s = (struct emu_sess *)(void *)ev;
	char		 buf[4096];
	ssize_t		 n;

	if (s->dead)
		return;
	if (events & EPOLLOUT)
		sock_flush(s);
	if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
		while ((n = read(ev->fd, buf, sizeof(buf))) > 0 && !s->dead)
			telnet_recv(s->tel, buf, (size_t)n);
		if (n == 0 || (n == -1 && errno != EAGAIN &&
		    errno != EWOULDBLOCK && errno != EINTR))
			emu_sess_kill(s);
	}
	if (!s->dead && s->sockout.len > 0)
		sock_flush(s);
}

static void
accept_one(struct emu_router *r, int fd)
{
	struct emu_sess	*s;
	int		 one = 1;

	/* Echoes and prompts are small writes; do not let Nagle hold them. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	s = emu_sess_new(r, T_TELNET);
	s->ev.fd = fd;
	s->ev.cb = tel_io;
	buf_init(&s->sockout, EMU_TEL_OUT_CAP);
	if ((s->tel = telnet_init(r->faults.echo_off ? tel_opts_noecho :
	    tel_opts, tel_event, 0, s)) == NULL ||
	    emu_epoll_add(&s->ev, EPOLLIN) == -1) {
		emu_sess_kill(s);
		return;
	}
	if (!r->faults.echo_off)
		telnet_negotiate(s->tel, TELNET_WILL, TELNET_TELOPT_ECHO);
	telnet_negotiate(s->tel, TELNET_WILL, TELNET_TELOPT_SGA);
	telnet_negotiate(s->tel, TELNET_DO, TELNET_TELOPT_NAWS);
	cli_start(s);
	sock_flush(s);
}

/* The router's telnet port is readable: accept every waiting connection. */
void
emu_tel_accept(struct emu_ev *ev, uint32_t events)
{
	struct emu_router *r = (struct emu_router *)(void *)((char *)ev -
	    offsetof(struct emu_router, tel_l));
	int		 fd;

	(void)events;
	while ((fd = accept4(ev->fd, NULL, NULL, SOCK_NONBLOCK |
	    SOCK_CLOEXEC)) != -1)
		accept_one(r, fd);
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		log_warn("%s: accept", r->name);
}

/* Takes up to len bytes of CLI output unless the socket queue is full. */
size_t
emu_tel_send(struct emu_sess *s, const char *data, size_t len)
{
	if (s->tel == NULL || s->dead)
		return len;
	if (s->sockout.len >= TEL_SOCK_HIGH)
		return 0;
	telnet_send(s->tel, data, len);
	sock_flush(s);
	return len;
}

/*
 * Ends the connection.  Both ways send what is queued and then FIN; an
 * abrupt end (a fault) just says nothing more first.
 */
void
emu_tel_close(struct emu_sess *s, int abrupt)
{
	(void)abrupt;
	if (s->ev.fd < 0)
		return;
	sock_flush(s);
	shutdown(s->ev.fd, SHUT_RDWR);
}

void
emu_tel_free(struct emu_sess *s)
{
	if (s->ev.fd >= 0) {
		emu_epoll_del(&s->ev);
		close(s->ev.fd);
		s->ev.fd = -1;
	}
	if (s->tel != NULL)
		telnet_free(s->tel);
	s->tel = NULL;
	buf_free(&s->sockout);
}
