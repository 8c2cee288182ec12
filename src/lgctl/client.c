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
 * lgctl's connection to the broker's admin socket: a blocking socket with
 * a poll timeout on every read, the HELLO exchange, and whole frames out of
 * the shared frame reader.  HELLO is sent at once and its answer checked
 * before the first frame read: the request follows HELLO without waiting
 * a round trip, since the broker takes a connection's frames in order.
 */

#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lgctl.h"

static int	 client_hello_reply(struct lgctl_client *);

int
client_open(struct lgctl_client *c, const char *path, int timeout_ms)
{
	uint8_t		 frame[256];

	c->timeout_ms = timeout_ms;
	c->errstr[0] = '\0';
	c->hello_wait = 0;
	proto_reader_init(&c->reader);
	c->fd = sock_connect_unix(path, timeout_ms < 0 ? 5000 : timeout_ms,
	    c->errstr, sizeof(c->errstr));
	if (c->fd == -1)
		return -1;
	if (client_send(c, frame, proto_encode_hello(frame, sizeof(frame),
	    "lgctl " LG_VERSION)) == -1) {
		client_close(c);
		return -1;
	}
	c->hello_wait = 1;
	return 0;
}

void
client_close(struct lgctl_client *c)
{
	if (c->fd != -1)
		close(c->fd);
	c->fd = -1;
}

/* Reads and checks the broker's answer to HELLO; 0, or -1 with errstr. */
static int
client_hello_reply(struct lgctl_client *c)
{
	struct lg_frame_hdr	 hdr;
	const uint8_t		*payload;
	char			 software[LG_TEXT_MAX], msg[LG_ERRSTR_MAX];
	uint16_t		 version, code;
	int			 rc;

	c->hello_wait = 0;
	if ((rc = client_next(c, &hdr, &payload)) != 1) {
		if (rc == 0)
			snprintf(c->errstr, sizeof(c->errstr),
			    "the broker closed the connection at HELLO");
		return -1;
	}
	if (hdr.type == LG_MSG_END && proto_decode_end(payload, hdr.length,
	    &code, msg, sizeof(msg)) == 0) {
		snprintf(c->errstr, sizeof(c->errstr), "broker: %s", msg);
		return -1;
	}
	if (hdr.type != LG_MSG_HELLO || proto_decode_hello(payload,
	    hdr.length, &version, software, sizeof(software)) == -1) {
		snprintf(c->errstr, sizeof(c->errstr),
		    "the broker answered HELLO with %s",
		    proto_msg_name(hdr.type));
		return -1;
	}
	if (version != LG_PROTO_VERSION) {
		snprintf(c->errstr, sizeof(c->errstr), "the broker speaks "
		    "protocol version %u, lgctl speaks %u", version,
		    LG_PROTO_VERSION);
		return -1;
	}
	return 0;
}

int
client_send(struct lgctl_client *c, const uint8_t *frame, ssize_t len)
{
	size_t		 off = 0;
	ssize_t		 n;

	if (len < 0) {
		snprintf(c->errstr, sizeof(c->errstr),
		    "request does not fit in a frame");
		return -1;
	}
	while (off < (size_t)len) {
		n = send(c->fd, frame + off, (size_t)len - off, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(c->errstr, sizeof(c->errstr),
			    "sending to the broker: %s", strerror(errno));
			/* A broker that refused HELLO says why. */
			if (c->hello_wait)
				(void)client_hello_reply(c);
			return -1;
		}
		off += (size_t)n;
	}
	return 0;
}

static int
client_fill(struct lgctl_client *c)
{
	struct pollfd	 pfd = { .fd = c->fd, .events = POLLIN };
	uint8_t		*space;
	size_t		 room;
	ssize_t		 n;
	int		 rc;

	while ((rc = poll(&pfd, 1, c->timeout_ms)) == -1 && errno == EINTR)
		;
	if (rc == 0) {
		snprintf(c->errstr, sizeof(c->errstr),
		    "no answer from the broker within %d s",
		    c->timeout_ms / 1000);
		return -1;
	}
	space = proto_reader_space(&c->reader, &room);
	while ((n = read(c->fd, space, room)) == -1 && errno == EINTR)
		;
	if (n == -1) {
		snprintf(c->errstr, sizeof(c->errstr),
		    "reading from the broker: %s", strerror(errno));
		return -1;
	}
	proto_reader_filled(&c->reader, (size_t)n);
	return n == 0 ? 0 : 1;
}

int
client_next(struct lgctl_client *c, struct lg_frame_hdr *hdr,
    const uint8_t **payload)
{
	int		 rc;

	if (c->hello_wait && client_hello_reply(c) == -1)
		return -1;
	for (;;) {
		rc = proto_reader_next(&c->reader, hdr, payload);
		if (rc == 1)
			return 1;
		if (rc == -1) {
			snprintf(c->errstr, sizeof(c->errstr),
			    "malformed frame from the broker");
			return -1;
		}
		if ((rc = client_fill(c)) != 1)
			return rc;
	}
}
