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
 * libFuzzer target for the front-broker wire, fed as a hostile front
 * would feed the broker: the input is a byte stream cut into frames by
 * the frame reader, each frame's payload goes to the decoder of its type
 * (the broker's dispatch) and to every other decoder too.  Beyond "never
 * crashes" it checks two properties and aborts when one fails:
 *
 *  - the reader yields the same frames however the stream is split;
 *  - a payload that decodes re-encodes to the same bytes (the encoding is
 *    canonical, so a decoder cannot accept what an encoder would not
 *    write, nor read a field differently from how it was written).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lg_proto.h"

#define MAX_FRAMES	4096

struct seen {
	struct lg_frame_hdr	 hdr;
	size_t			 off;		/* of the payload in a copy */
};

static struct lg_frame_reader	 reader;
static uint8_t			 out[LG_FRAME_MAX];

/* The re-encoded payload must be the received one. */
static void
same(ssize_t n, const uint8_t *p, size_t len, size_t skip)
{
	if (n < LG_FRAME_HDR_SIZE || (size_t)n - LG_FRAME_HDR_SIZE != len ||
	    memcmp(out + LG_FRAME_HDR_SIZE + skip, p + skip, len - skip) != 0)
		abort();
}

static void
check_hello(uint32_t id, const uint8_t *p, size_t len)
{
	char		 sw[LG_TEXT_MAX];
	uint16_t	 version;

	(void)id;
	if (proto_decode_hello(p, len, &version, sw, sizeof(sw)) == 0)
		same(proto_encode_hello(out, sizeof(out), sw), p, len, 2);
}

static void
check_query(uint32_t id, const uint8_t *p, size_t len)
{
	struct lg_msg_query	 q;

	if (proto_decode_query(p, len, &q) == 0)
		same(proto_encode_query(out, sizeof(out), id, &q), p, len, 0);
}

static void
check_window(uint32_t id, const uint8_t *p, size_t len)
{
	uint32_t	 more;

	if (proto_decode_window(p, len, &more) == 0)
		same(proto_encode_window(out, sizeof(out), id, more), p, len,
		    0);
}

static void
check_router(uint32_t id, const uint8_t *p, size_t len)
{
	struct lg_msg_router	 r;

	if (proto_decode_router(p, len, &r) == 0)
		same(proto_encode_router(out, sizeof(out), id, &r), p, len,
		    0);
}

static void
check_end(uint32_t id, const uint8_t *p, size_t len)
{
	char		 msg[LG_ERRSTR_MAX];
	uint16_t	 err;

	if (proto_decode_end(p, len, &err, msg, sizeof(msg)) == 0)
		same(proto_encode_end(out, sizeof(out), id, err, msg), p, len,
		    0);
}

static void
check_result_begin(uint32_t id, const uint8_t *p, size_t len)
{
	char		 router[LG_NAME_MAX], cmd[2 * LG_COMMAND_MAX];

	if (proto_decode_result_begin(p, len, router, sizeof(router), cmd,
	    sizeof(cmd)) == 0)
		same(proto_encode_result_begin(out, sizeof(out), id, router,
		    cmd), p, len, 0);
}

static void
check_result_data(uint32_t id, const uint8_t *p, size_t len)
{
	if (len <= LG_DATA_CHUNK_MAX)
		same(proto_encode_result_data(out, sizeof(out), id, p, len),
		    p, len, 0);
}

static void
check_result_parsed(uint32_t id, const uint8_t *p, size_t len)
{
	if (proto_decode_result_parsed(p, len) == 0)
		same(proto_encode_result_parsed(out, sizeof(out), id, p, len),
		    p, len, 0);
	else if (proto_encode_result_parsed(out, sizeof(out), id, p, len) !=
	    -1)
		abort();
}

static void
check_result_end(uint32_t id, const uint8_t *p, size_t len)
{
	struct lg_msg_result_end	 e;

	if (proto_decode_result_end(p, len, &e) == 0)
		same(proto_encode_result_end(out, sizeof(out), id, &e), p,
		    len, 0);
}

static void
check_router_status(uint32_t id, const uint8_t *p, size_t len)
{
	struct lg_msg_router_status	 s;

	if (proto_decode_router_status(p, len, &s) == 0)
		same(proto_encode_router_status(out, sizeof(out), id, &s), p,
		    len, 0);
}

static void
check_hostkey(uint32_t id, const uint8_t *p, size_t len)
{
	char		 name[LG_NAME_MAX];

	if (proto_decode_str(p, len, name, sizeof(name)) == 0)
		same(proto_encode_str(out, sizeof(out), LG_MSG_HOSTKEY, id,
		    name), p, len, 0);
}

static void
check_hostkey_info(uint32_t id, const uint8_t *p, size_t len)
{
	char		 r[LG_NAME_MAX], t[64], fp[128], kh[4096];

	if (proto_decode_hostkey_info(p, len, r, sizeof(r), t, sizeof(t), fp,
	    sizeof(fp), kh, sizeof(kh)) == 0)
		same(proto_encode_hostkey_info(out, sizeof(out), id, r, t, fp,
		    kh), p, len, 0);
}

static void
check_rpki_status(uint32_t id, const uint8_t *p, size_t len)
{
	struct lg_msg_rpki_status	 s;

	if (proto_decode_rpki_status(p, len, &s) == 0)
		same(proto_encode_rpki_status(out, sizeof(out), id, &s), p,
		    len, 0);
}

static void
check_empty(uint32_t id, const uint8_t *p, size_t len)
{
	(void)id;
	if (proto_decode_empty(p, len) == 0 && len != 0)
		abort();
}

/* The broker's dispatch table, in the shape the broker will have. */
static void (*const checks[LG_MSG_TYPE_MAX])(uint32_t, const uint8_t *,
    size_t) = {
	[LG_MSG_HELLO] = check_hello,
	[LG_MSG_QUERY] = check_query,
	[LG_MSG_CANCEL] = check_empty,
	[LG_MSG_WINDOW] = check_window,
	[LG_MSG_LIST_ROUTERS] = check_empty,
	[LG_MSG_ROUTER] = check_router,
	[LG_MSG_END] = check_end,
	[LG_MSG_RESULT_BEGIN] = check_result_begin,
	[LG_MSG_RESULT_DATA] = check_result_data,
	[LG_MSG_RESULT_END] = check_result_end,
	[LG_MSG_STATUS] = check_empty,
	[LG_MSG_ROUTER_STATUS] = check_router_status,
	[LG_MSG_RELOAD] = check_empty,
	[LG_MSG_HOSTKEY] = check_hostkey,
	[LG_MSG_HOSTKEY_INFO] = check_hostkey_info,
	[LG_MSG_RESULT_PARSED] = check_result_parsed,
	[LG_MSG_RPKI] = check_empty,
	[LG_MSG_PING] = check_empty,
	[LG_MSG_PONG] = check_empty,
	[LG_MSG_RPKI_STATUS] = check_rpki_status,
};
_Static_assert(LG_MSG_TYPE_MAX == LG_MSG_PONG + 1,
    "a new message type needs its row in checks[]");

static void
dispatch(const struct lg_frame_hdr *hdr, const uint8_t *p)
{
	uint16_t	 t;

	if (hdr->type == 0 || hdr->type >= LG_MSG_TYPE_MAX ||
	    hdr->length > LG_PAYLOAD_MAX)
		abort();	/* the reader let an impossible header by */
	checks[hdr->type](hdr->request_id, p, hdr->length);
	for (t = 1; t < LG_MSG_TYPE_MAX; t++)
		if (t != hdr->type)
			checks[t](hdr->request_id, p, hdr->length);
}

/*
 * Feeds data through the reader in chunks of the given sizes (cycled; 0
 * means all the room there is).  Records the frames, and returns how
 * many, or -(n + 1) when the stream ended in a malformed header after n.
 */
static long
run(const uint8_t *data, size_t size, const size_t *chunks, size_t nchunks,
    struct seen *seen, uint8_t *copy, int do_dispatch)
{
	struct lg_frame_hdr	 hdr;
	const uint8_t		*payload;
	uint8_t			*space;
	size_t			 pos = 0, room, n, ci = 0, copied = 0;
	long			 nseen = 0;
	int			 rv;

	proto_reader_init(&reader);
	for (;;) {
		while ((rv = proto_reader_next(&reader, &hdr, &payload)) ==
		    1) {
			if (nseen < MAX_FRAMES) {
				seen[nseen].hdr = hdr;
				seen[nseen].off = copied;
			}
			memcpy(copy + copied, payload, hdr.length);
			copied += hdr.length;
			nseen++;
			if (do_dispatch)
				dispatch(&hdr, payload);
		}
		if (rv == -1)
			return -(nseen + 1);
		if (pos == size)
			return nseen;
		space = proto_reader_space(&reader, &room);
		if (room == 0)
			abort();	/* a partial frame filled the buffer */
		n = chunks[ci++ % nchunks];
		if (n == 0 || n > room)
			n = room;
		if (n > size - pos)
			n = size - pos;
		memcpy(space, data + pos, n);
		proto_reader_filled(&reader, n);
		pos += n;
	}
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t	 whole[] = { 0 };
	static const size_t	 split[] = { 1, 11, 2, 13, 64, 1, 4093, 5 };
	static struct seen	 a[MAX_FRAMES], b[MAX_FRAMES];
	uint8_t			*ca, *cb;
	long			 na, nb, i, n;

	if ((ca = malloc(size + 1)) == NULL || (cb = malloc(size + 1)) ==
	    NULL) {
		free(ca);
		return 0;
	}
	na = run(data, size, whole, 1, a, ca, 1);
	nb = run(data, size, split, sizeof(split) / sizeof(split[0]), b, cb,
	    0);
	if (na != nb)
		abort();
	n = na < 0 ? -na - 1 : na;
	for (i = 0; i < n && i < MAX_FRAMES; i++)
		if (memcmp(&a[i].hdr, &b[i].hdr, sizeof(a[i].hdr)) != 0 ||
		    a[i].off != b[i].off ||
		    memcmp(ca + a[i].off, cb + b[i].off, a[i].hdr.length) != 0)
			abort();
	free(ca);
	free(cb);
	return 0;
}
