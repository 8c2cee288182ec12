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
 * The stream side of the front-broker wire (lg_proto.h): the frame reader
 * that cuts a byte stream into frames, refusing a bad header before it
 * buffers the payload, and the send queue that writes frames out without
 * blocking.  Nothing here logs or allocates.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"
#include "lg_proto.h"

/*
 * The frame reader.  Unread bytes are buf[consumed, len); a frame handed
 * out stays where it is until the caller asks for space, which is when the
 * rest moves to the front.  A partial frame is always shorter than the
 * buffer, so after that move there is room to read.
 */

void
proto_reader_init(struct lg_frame_reader *r)
{
	r->len = 0;
	r->consumed = 0;
	r->error = 0;
}

int
proto_reader_next(struct lg_frame_reader *r, struct lg_frame_hdr *hdr,
    const uint8_t **payload)
{
	size_t		 avail;

	if (r->error)
		return -1;
	avail = r->len - r->consumed;
	if (avail < LG_FRAME_HDR_SIZE)
		return 0;
	if (proto_hdr_decode(r->buf + r->consumed, hdr) == -1) {
		r->error = 1;
		return -1;
	}
	if (avail - LG_FRAME_HDR_SIZE < hdr->length)
		return 0;
	*payload = r->buf + r->consumed + LG_FRAME_HDR_SIZE;
	r->consumed += LG_FRAME_HDR_SIZE + hdr->length;
	return 1;
}

uint8_t *
proto_reader_space(struct lg_frame_reader *r, size_t *room)
{
	if (r->consumed > 0) {
		memmove(r->buf, r->buf + r->consumed, r->len - r->consumed);
		r->len -= r->consumed;
		r->consumed = 0;
	}
	*room = sizeof(r->buf) - r->len;
	return r->buf + r->len;
}

void
proto_reader_filled(struct lg_frame_reader *r, size_t n)
{
	if (n > sizeof(r->buf) - r->len)
		n = sizeof(r->buf) - r->len;
	r->len += n;
}

/*
 * The send queue.  A queued frame is all or nothing, so the peer never
 * sees half a frame followed by another.
 */

int
proto_queue_frame(struct lg_buf *b, const uint8_t *frame, size_t len)
{
	return buf_append(b, frame, len);
}

/* send(2) without SIGPIPE on sockets, write(2) on anything else. */
static ssize_t
proto_send(int fd, const void *p, size_t len)
{
	ssize_t		 n;

	n = send(fd, p, len, MSG_NOSIGNAL);
	if (n == -1 && errno == ENOTSOCK)
		n = write(fd, p, len);
	return n;
}

int
proto_flush(int fd, struct lg_buf *b)
{
	ssize_t		 n;

	while (b->len > 0) {
		n = proto_send(fd, b->data, b->len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 1;
			return -1;
		}
		buf_consume(b, (size_t)n);
	}
	return 0;
}
