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
 * The transport under one broker link (broker_int.h): a Unix socket, or
 * TCP with mutual TLS (tls.c) to a regional broker whose certificate must
 * be signed by the link's CA and name the link (subject alternative name
 * DNS = the web.brokers name).  The TCP connect and the handshake never
 * block: broker.c polls brk_link_events and calls brk_link_step until the
 * link is ready for HELLO.  Everything here runs on the broker thread
 * with the broker lock held; the frames above are the same either way.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"
#include "lg_tls.h"
#include "lg_proto.h"
#include "web.h"
#include "broker_int.h"

#define BRK_CONNECT_TIMEOUT	1000	/* ms, a Unix connect */

/* "the broker" or "broker eu (192.0.2.1:4443)", for messages. */
const char *
brk_link_label(const struct brk_link *l)
{
	static __thread char	 s[LG_NAME_MAX + LG_TEXT_MAX + 16];

	if (l->name[0] == '\0')
		return "the broker";
	lg_strlcpy(s, "broker ", sizeof(s));
	lg_strlcat(s, l->name, sizeof(s));
	lg_strlcat(s, " (", sizeof(s));
	lg_strlcat(s, l->path[0] != '\0' ? l->path : l->addr, sizeof(s));
	lg_strlcat(s, ")", sizeof(s));
	return s;
}

/*
 * Starts a connection: 0 ready for HELLO (a Unix socket), 1 in progress
 * (poll brk_link_events, then brk_link_step), -1 failed (errstr).
 */
int
brk_link_open(struct brk_link *l, char *errstr, size_t errlen)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;
	int			 fd, rc;

	if (l->path[0] != '\0') {
		if ((fd = sock_connect_unix(l->path, BRK_CONNECT_TIMEOUT,
		    errstr, errlen)) == -1)
			return -1;
		if (sock_set_nonblock(fd, 1) == -1) {
			close(fd);
			snprintf(errstr, errlen, "%s", strerror(errno));
			return -1;
		}
		l->fd = fd;
		return 0;
	}
	if (sock_parse_addr(l->addr, &ss, &sl) == -1) {
		snprintf(errstr, errlen, "%s: not ADDRESS:PORT", l->addr);
		return -1;
	}
	if ((rc = sock_connect_addr_nb((struct sockaddr *)&ss, sl, &fd,
	    errstr, errlen)) == -1)
		return -1;
	l->fd = fd;
	l->state = BRK_CONNECTING;
	if (rc == 0)
		return brk_link_step(l, errstr, errlen);
	return 1;
}

/* The connect finished or the handshake can go on: same contract. */
int
brk_link_step(struct brk_link *l, char *errstr, size_t errlen)
{
	int	 rc;

	if (l->state == BRK_CONNECTING) {
		if (sock_connect_finish(l->fd, errstr, errlen) == -1)
			return -1;
		if ((l->tls = tls_conn_new(l->cr, l->fd, l->name, errstr,
		    errlen)) == NULL)
			return -1;
		l->state = BRK_HANDSHAKE;
	}
	if ((rc = tls_handshake(l->tls, errstr, errlen)) != 0)
		return rc;
	return 0;
}

/* What to poll for. */
short
brk_link_events(const struct brk_link *l)
{
	switch (l->state) {
	case BRK_CONNECTING:
		return POLLOUT;
	case BRK_HANDSHAKE:
		return tls_want_write(l->tls) ? POLLOUT : POLLIN;
	default:
		return (short)(POLLIN | (l->out.len > 0 ? POLLOUT : 0));
	}
}

ssize_t
brk_link_recv(struct brk_link *l, void *p, size_t len)
{
	if (l->tls != NULL)
		return tls_recv(l->tls, p, len);
	return read(l->fd, p, len);
}

/* Bytes read and decrypted that no poll will announce. */
int
brk_link_more(const struct brk_link *l)
{
	return l->tls != NULL && tls_pending(l->tls) > 0;
}

int
brk_link_flush(struct brk_link *l)
{
	if (l->fd == -1 || l->state < BRK_HELLO)
		return l->out.len > 0;
	if (l->tls != NULL)
		return tls_flush(l->tls, &l->out);
	return proto_flush(l->fd, &l->out);
}

void
brk_link_close(struct brk_link *l)
{
	tls_conn_free(l->tls);
	l->tls = NULL;
	if (l->fd != -1)
		close(l->fd);
	l->fd = -1;
	l->state = BRK_AWAY;
}
