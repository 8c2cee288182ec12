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
 * The front-broker wire (lg_proto.h): the frame header, the bounds-checked
 * cursor every payload is written and read with, the codecs of each
 * message, the frame reader that cuts a byte stream into frames, and the
 * send queue.  lgwebd and lgctl encode queries and decode results with it;
 * lgbrokerd does the reverse and treats every byte it decodes as hostile.
 * Nothing here logs or allocates: callers own every buffer and decide what
 * a malformed frame costs the peer.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"
#include "lg_proto.h"
#include "proto_int.h"

static_assert(LG_DATA_CHUNK_MAX <= LG_PAYLOAD_MAX,
    "a RESULT_DATA chunk fits in one frame");
static_assert(LG_MSG_TYPE_MAX <= UINT16_MAX, "message types fit in u16");
static_assert(LG_ERR_COUNT <= UINT16_MAX && Q_COUNT <= 32,
    "error codes fit in u16, query masks in u32");

/*
 * What each message type may carry: its name for logs and the largest
 * payload it can have, so that the reader refuses an impossible length
 * before buffering it.  A row with no name is an unknown type.
 */
static const struct {
	const char	*name;
	uint32_t	 maxlen;
} proto_msgs[LG_MSG_TYPE_MAX] = {
	[LG_MSG_HELLO] =		{ "HELLO", LG_PAYLOAD_MAX },
	[LG_MSG_QUERY] =		{ "QUERY", LG_PAYLOAD_MAX },
	[LG_MSG_CANCEL] =		{ "CANCEL", 0 },
	[LG_MSG_WINDOW] =		{ "WINDOW", 4 },
	[LG_MSG_LIST_ROUTERS] =		{ "LIST_ROUTERS", 0 },
	[LG_MSG_ROUTER] =		{ "ROUTER", LG_PAYLOAD_MAX },
	[LG_MSG_END] =			{ "END", LG_PAYLOAD_MAX },
	[LG_MSG_RESULT_BEGIN] =		{ "RESULT_BEGIN", LG_PAYLOAD_MAX },
	[LG_MSG_RESULT_DATA] =		{ "RESULT_DATA", LG_DATA_CHUNK_MAX },
	[LG_MSG_RESULT_END] =		{ "RESULT_END", LG_PAYLOAD_MAX },
	[LG_MSG_STATUS] =		{ "STATUS", 0 },
	[LG_MSG_ROUTER_STATUS] =	{ "ROUTER_STATUS", LG_PAYLOAD_MAX },
	[LG_MSG_RELOAD] =		{ "RELOAD", 0 },
	[LG_MSG_HOSTKEY] =		{ "HOSTKEY", LG_PAYLOAD_MAX },
	[LG_MSG_HOSTKEY_INFO] =		{ "HOSTKEY_INFO", LG_PAYLOAD_MAX },
	[LG_MSG_RESULT_PARSED] =	{ "RESULT_PARSED", LG_DATA_CHUNK_MAX },
};

static void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint16_t
get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

void
proto_hdr_encode(const struct lg_frame_hdr *hdr, uint8_t *out)
{
	put_be16(out, hdr->type);
	put_be16(out + 2, hdr->flags);
	put_be32(out + 4, hdr->length);
	put_be32(out + 8, hdr->request_id);
}

int
proto_hdr_decode(const uint8_t *in, struct lg_frame_hdr *hdr)
{
	hdr->type = get_be16(in);
	hdr->flags = get_be16(in + 2);
	hdr->length = get_be32(in + 4);
	hdr->request_id = get_be32(in + 8);
	if (hdr->type >= LG_MSG_TYPE_MAX || proto_msgs[hdr->type].name == NULL)
		return -1;
	if ((hdr->flags & ~LG_FRAME_F_MASK) != 0)
		return -1;
	if (hdr->length > LG_PAYLOAD_MAX ||
	    hdr->length > proto_msgs[hdr->type].maxlen)
		return -1;
	return 0;
}

const char *
proto_msg_name(uint16_t type)
{
	if (type >= LG_MSG_TYPE_MAX || proto_msgs[type].name == NULL)
		return "UNKNOWN";
	return proto_msgs[type].name;
}

/* Whether type is a known message that carries no payload. */
int
proto_msg_empty(uint16_t type)
{
	return type < LG_MSG_TYPE_MAX && proto_msgs[type].name != NULL &&
	    proto_msgs[type].maxlen == 0;
}

/*
 * The cursor.  Every accessor first checks the sticky error, so after the
 * first failure nothing more is read or written and a codec may test once.
 * A failed getter still sets its output (0 or ""), so a decoder may look
 * at every field afterwards without reading garbage.
 */

void
proto_cursor_init(struct lg_cursor *c, void *buf, size_t len)
{
	c->buf = buf;
	c->len = buf == NULL ? 0 : len;
	c->off = 0;
	c->error = 0;
}

/* Reserves n bytes at the cursor; NULL (and the cursor fails) if short. */
uint8_t *
proto_cursor_take(struct lg_cursor *c, size_t n)
{
	uint8_t		*p;

	if (c->error || n > c->len - c->off) {
		c->error = 1;
		return NULL;
	}
	p = c->buf + c->off;
	c->off += n;
	return p;
}

int
proto_put_u8(struct lg_cursor *c, uint8_t v)
{
	uint8_t		*p;

	if ((p = proto_cursor_take(c, 1)) == NULL)
		return -1;
	*p = v;
	return 0;
}

int
proto_put_u16(struct lg_cursor *c, uint16_t v)
{
	uint8_t		*p;

	if ((p = proto_cursor_take(c, 2)) == NULL)
		return -1;
	put_be16(p, v);
	return 0;
}

int
proto_put_u32(struct lg_cursor *c, uint32_t v)
{
	uint8_t		*p;

	if ((p = proto_cursor_take(c, 4)) == NULL)
		return -1;
	put_be32(p, v);
	return 0;
}

int
proto_put_u64(struct lg_cursor *c, uint64_t v)
{
	uint8_t		*p;

	if ((p = proto_cursor_take(c, 8)) == NULL)
		return -1;
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
	return 0;
}

int
proto_get_u8(struct lg_cursor *c, uint8_t *v)
{
	const uint8_t	*p;

	if ((p = proto_cursor_take(c, 1)) == NULL) {
		*v = 0;
		return -1;
	}
	*v = *p;
	return 0;
}

int
proto_get_u16(struct lg_cursor *c, uint16_t *v)
{
	const uint8_t	*p;

	if ((p = proto_cursor_take(c, 2)) == NULL) {
		*v = 0;
		return -1;
	}
	*v = get_be16(p);
	return 0;
}

int
proto_get_u32(struct lg_cursor *c, uint32_t *v)
{
	const uint8_t	*p;

	if ((p = proto_cursor_take(c, 4)) == NULL) {
		*v = 0;
		return -1;
	}
	*v = get_be32(p);
	return 0;
}

int
proto_get_u64(struct lg_cursor *c, uint64_t *v)
{
	const uint8_t	*p;

	if ((p = proto_cursor_take(c, 8)) == NULL) {
		*v = 0;
		return -1;
	}
	*v = (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
	return 0;
}

/*
 * Whether a string byte is refused: NUL, control bytes and DEL always, tab
 * and newline only in a line.  A newline inside a name or a target could
 * forge a second log line or a second router command, hence the two kinds.
 */
static int
str_refused(uint8_t ch, int line)
{
	if (ch == '\t' || ch == '\n')
		return line;
	return ch < 0x20 || ch == 0x7f;
}

int
proto_str_check(const uint8_t *s, size_t len, int line)
{
	size_t		 i;

	for (i = 0; i < len; i++)
		if (str_refused(s[i], line))
			return -1;
	return 0;
}

int
proto_put_string(struct lg_cursor *c, const char *s, int line)
{
	size_t		 len;
	uint8_t		*p;

	if (c->error || s == NULL) {
		c->error = 1;
		return -1;
	}
	len = strlen(s);
	if (len > UINT16_MAX ||
	    proto_str_check((const uint8_t *)s, len, line) == -1) {
		c->error = 1;
		return -1;
	}
	if (proto_put_u16(c, (uint16_t)len) == -1 ||
	    (p = proto_cursor_take(c, len)) == NULL)
		return -1;
	memcpy(p, s, len);
	return 0;
}

int
proto_put_str(struct lg_cursor *c, const char *s)
{
	return proto_put_string(c, s, 0);
}

int
proto_put_line(struct lg_cursor *c, const char *s)
{
	return proto_put_string(c, s, 1);
}

/*
 * Copies a string field into dst, which must hold it and a NUL: a longer
 * field is an error, never silently cut.  dst is "" on failure.
 */
static int
cursor_get_string(struct lg_cursor *c, char *dst, size_t dstsize, int line)
{
	uint16_t	 len;
	const uint8_t	*p;

	if (dstsize > 0)
		dst[0] = '\0';
	if (proto_get_u16(c, &len) == -1)
		return -1;
	if ((size_t)len >= dstsize) {
		c->error = 1;
		return -1;
	}
	if ((p = proto_cursor_take(c, len)) == NULL)
		return -1;
	if (proto_str_check(p, len, line) == -1) {
		c->error = 1;
		return -1;
	}
	memcpy(dst, p, len);
	dst[len] = '\0';
	return 0;
}

int
proto_get_str(struct lg_cursor *c, char *dst, size_t dstsize)
{
	return cursor_get_string(c, dst, dstsize, 0);
}

int
proto_get_line(struct lg_cursor *c, char *dst, size_t dstsize)
{
	return cursor_get_string(c, dst, dstsize, 1);
}

int
proto_get_end(struct lg_cursor *c)
{
	if (c->error || c->off != c->len) {
		c->error = 1;
		return -1;
	}
	return 0;
}

void
proto_text_clean(char *s)
{
	lg_text_clean(s, strlen(s), LG_TEXT_MULTILINE);
}

void
proto_line_clean(char *s)
{
	lg_text_clean(s, strlen(s), 0);
}

/*
 * Whole messages.  An encoder opens a cursor after the header, writes the
 * fields and closes the frame; closing re-decodes the header it wrote, so
 * no encoder can produce a frame the reader would refuse.
 */

static void
msg_open(struct lg_cursor *c, uint8_t *out, size_t outlen)
{
	if (out == NULL || outlen < LG_FRAME_HDR_SIZE) {
		proto_cursor_init(c, NULL, 0);
		c->error = 1;
		return;
	}
	outlen -= LG_FRAME_HDR_SIZE;
	if (outlen > LG_PAYLOAD_MAX)
		outlen = LG_PAYLOAD_MAX;
	proto_cursor_init(c, out + LG_FRAME_HDR_SIZE, outlen);
}

static ssize_t
msg_close(struct lg_cursor *c, uint8_t *out, uint16_t type, uint32_t id)
{
	struct lg_frame_hdr	 hdr = { .type = type, .flags = 0,
				    .request_id = id };
	struct lg_frame_hdr	 check;

	if (c->error)
		return -1;
	hdr.length = (uint32_t)c->off;
	proto_hdr_encode(&hdr, out);
	if (proto_hdr_decode(out, &check) == -1)
		return -1;
	return (ssize_t)(LG_FRAME_HDR_SIZE + c->off);
}

/*
 * A read-only cursor over a received payload.  The getters never write
 * through it, which is what makes dropping the const safe.
 */
static void
msg_read(struct lg_cursor *c, const uint8_t *payload, size_t len)
{
	proto_cursor_init(c, (void *)(uintptr_t)payload, len);
}

/* A fixed-size struct field must hold its NUL to be sent. */
static int
put_field(struct lg_cursor *c, const char *field, size_t size, int line)
{
	if (strnlen(field, size) == size) {
		c->error = 1;
		return -1;
	}
	return proto_put_string(c, field, line);
}

#define PUT_LINE(c, f)	put_field((c), (f), sizeof(f), 1)
#define PUT_TEXT(c, f)	put_field((c), (f), sizeof(f), 0)
#define GET_LINE(c, f)	proto_get_line((c), (f), sizeof(f))
#define GET_TEXT(c, f)	proto_get_str((c), (f), sizeof(f))

/* Fails the cursor when a field is out of its range. */
static void
msg_require(struct lg_cursor *c, int ok)
{
	if (!ok)
		c->error = 1;
}

ssize_t
proto_encode_hello(uint8_t *out, size_t outlen, const char *software)
{
	struct lg_cursor	 c;

	msg_open(&c, out, outlen);
	proto_put_u16(&c, LG_PROTO_VERSION);
	proto_put_line(&c, software);
	return msg_close(&c, out, LG_MSG_HELLO, 0);
}

int
proto_decode_hello(const uint8_t *p, size_t len, uint16_t *version,
    char *software, size_t softwaresize)
{
	struct lg_cursor	 c;

	msg_read(&c, p, len);
	proto_get_u16(&c, version);
	proto_get_line(&c, software, softwaresize);
	return proto_get_end(&c);
}

static int
query_valid(const struct lg_msg_query *q)
{
	return q->type < Q_COUNT && q->afi <= AFI_IPV6 &&
	    (q->flags & ~LG_QUERY_F_MASK) == 0;
}

ssize_t
proto_encode_query(uint8_t *out, size_t outlen, uint32_t id,
    const struct lg_msg_query *q)
{
	struct lg_cursor	 c;

	msg_open(&c, out, outlen);
	msg_require(&c, query_valid(q));
	PUT_LINE(&c, q->router);
	proto_put_u8(&c, q->type);
	proto_put_u8(&c, q->afi);
	proto_put_u16(&c, q->flags);
	PUT_LINE(&c, q->target);
	PUT_LINE(&c, q->vrf);
	PUT_LINE(&c, q->client);
	return msg_close(&c, out, LG_MSG_QUERY, id);
}

int
proto_decode_query(const uint8_t *p, size_t len, struct lg_msg_query *q)
{
	struct lg_cursor	 c;

	msg_read(&c, p, len);
	GET_LINE(&c, q->router);
	proto_get_u8(&c, &q->type);
	proto_get_u8(&c, &q->afi);
	proto_get_u16(&c, &q->flags);
	GET_LINE(&c, q->target);
	GET_LINE(&c, q->vrf);
	GET_LINE(&c, q->client);
	msg_require(&c, query_valid(q));
	return proto_get_end(&c);
}

ssize_t
proto_encode_empty(uint8_t *out, size_t outlen, uint16_t type, uint32_t id)
{
	struct lg_cursor	 c;

	msg_open(&c, out, outlen);
	msg_require(&c, proto_msg_empty(type));
	return msg_close(&c, out, type, id);
}

int
proto_decode_empty(const uint8_t *p, size_t len)
{
	(void)p;
	return len == 0 ? 0 : -1;
}

ssize_t
proto_encode_window(uint8_t *out, size_t outlen, uint32_t id, uint32_t more)
{
	struct lg_cursor	 c;

	msg_open(&c, out, outlen);
	proto_put_u32(&c, more);
	return msg_close(&c, out, LG_MSG_WINDOW, id);
}

int
proto_decode_window(const uint8_t *p, size_t len, uint32_t *more)
{
	struct lg_cursor	 c;

	msg_read(&c, p, len);
	proto_get_u32(&c, more);
	return proto_get_end(&c);
}

static int
router_valid(const struct lg_msg_router *r)
{
	return (r->queries & ~(uint32_t)Q_MASK_ALL) == 0 &&
	    r->state <= ROUTER_STATE_LAST;
}

ssize_t
proto_encode_router(uint8_t *out, size_t outlen, uint32_t id,
    const struct lg_msg_router *r)
{
	struct lg_cursor	 c;

	msg_open(&c, out, outlen);
	msg_require(&c, router_valid(r));
	PUT_LINE(&c, r->name);
	PUT_LINE(&c, r->location);
	PUT_LINE(&c, r->group);
	PUT_LINE(&c, r->vendor);
	proto_put_u32(&c, r->queries);
	proto_put_u8(&c, r->state);
	return msg_close(&c, out, LG_MSG_ROUTER, id);
}

int
proto_decode_router(const uint8_t *p, size_t len, struct lg_msg_router *r)
{
	struct lg_cursor	 c;

	msg_read(&c, p, len);
	GET_LINE(&c, r->name);
	GET_LINE(&c, r->location);
	GET_LINE(&c, r->group);
	GET_LINE(&c, r->vendor);
	proto_get_u32(&c, &r->queries);
	proto_get_u8(&c, &r->state);
	msg_require(&c, router_valid(r));
	return proto_get_end(&c);
}

ssize_t
proto_encode_end(uint8_t *out, size_t outlen, uint32_t id, uint16_t error,
    const char *message)
{
	struct lg_cursor	 c;

	msg_open(&c, out, outlen);
	msg_require(&c, error < LG_ERR_COUNT);
	proto_put_u16(&c, error);
	proto_put_str(&c, message);
	return msg_close(&c, out, LG_MSG_END, id);
}

int
proto_decode_end(const uint8_t *p, size_t len, uint16_t *error,
    char *message, size_t messagesize)
{
	struct lg_cursor	 c;

	msg_read(&c, p, len);
	proto_get_u16(&c, error);
	proto_get_str(&c, message, messagesize);
	msg_require(&c, *error < LG_ERR_COUNT);
	return proto_get_end(&c);
}

ssize_t
proto_encode_result_begin(uint8_t *out, size_t outlen, uint32_t id,
    const char *router, const char *command)
{
	struct lg_cursor	 c;

	msg_open(&c, out, outlen);
	proto_put_line(&c, router);
	proto_put_str(&c, command);
	return msg_close(&c, out, LG_MSG_RESULT_BEGIN, id);
}

int
proto_decode_result_begin(const uint8_t *p, size_t len, char *router,
    size_t routersize, char *command, size_t commandsize)
{
	struct lg_cursor	 c;

	msg_read(&c, p, len);
	proto_get_line(&c, router, routersize);
	proto_get_str(&c, command, commandsize);
	return proto_get_end(&c);
}

/*
 * A chunk message: the payload is the bytes themselves, bounded by type in
 * the reader.  line: the bytes must be those of a line (parsed JSON).
 */
static ssize_t
encode_chunk(uint8_t *out, size_t outlen, uint16_t type, uint32_t id,
    const void *data, size_t datalen, int line)
{
	struct lg_cursor	 c;
	uint8_t			*p;

	msg_open(&c, out, outlen);
	msg_require(&c, datalen <= LG_DATA_CHUNK_MAX &&
	    (data != NULL || datalen == 0));
	if (line && !c.error)
		msg_require(&c, proto_str_check(data, datalen, 1) == 0);
	if ((p = proto_cursor_take(&c, datalen)) != NULL && datalen > 0)
		memcpy(p, data, datalen);
	return msg_close(&c, out, type, id);
}

ssize_t
proto_encode_result_data(uint8_t *out, size_t outlen, uint32_t id,
    const void *data, size_t datalen)
{
	return encode_chunk(out, outlen, LG_MSG_RESULT_DATA, id, data,
	    datalen, 0);
}

ssize_t
proto_encode_result_parsed(uint8_t *out, size_t outlen, uint32_t id,
    const void *data, size_t datalen)
{
	return encode_chunk(out, outlen, LG_MSG_RESULT_PARSED, id, data,
	    datalen, 1);
}

int
proto_decode_result_parsed(const uint8_t *p, size_t len)
{
	if (len > LG_DATA_CHUNK_MAX || (p == NULL && len > 0))
		return -1;
	return proto_str_check(p, len, 1);
}

static int
result_end_valid(const struct lg_msg_result_end *e)
{
	return e->error < LG_ERR_COUNT &&
	    (e->flags & ~LG_RESULT_F_MASK) == 0;
}

ssize_t
proto_encode_result_end(uint8_t *out, size_t outlen, uint32_t id,
    const struct lg_msg_result_end *e)
{
	struct lg_cursor	 c;

	msg_open(&c, out, outlen);
	msg_require(&c, result_end_valid(e));
	proto_put_u16(&c, e->error);
	proto_put_u8(&c, e->flags);
	proto_put_u32(&c, e->runtime_ms);
	proto_put_u64(&c, e->bytes);
	PUT_TEXT(&c, e->message);
	return msg_close(&c, out, LG_MSG_RESULT_END, id);
}

int
proto_decode_result_end(const uint8_t *p, size_t len,
    struct lg_msg_result_end *e)
{
	struct lg_cursor	 c;

	msg_read(&c, p, len);
	proto_get_u16(&c, &e->error);
	proto_get_u8(&c, &e->flags);
	proto_get_u32(&c, &e->runtime_ms);
	proto_get_u64(&c, &e->bytes);
	GET_TEXT(&c, e->message);
	msg_require(&c, result_end_valid(e));
	return proto_get_end(&c);
}

ssize_t
proto_encode_router_status(uint8_t *out, size_t outlen, uint32_t id,
    const struct lg_msg_router_status *s)
{
	struct lg_cursor	 c;

	msg_open(&c, out, outlen);
	msg_require(&c, s->state <= ROUTER_STATE_LAST);
	PUT_LINE(&c, s->name);
	proto_put_u8(&c, s->state);
	proto_put_u16(&c, s->sessions_max);
	proto_put_u16(&c, s->sessions_up);
	proto_put_u16(&c, s->sessions_idle);
	proto_put_u16(&c, s->sessions_busy);
	proto_put_u16(&c, s->queue_len);
	proto_put_u32(&c, s->failures);
	proto_put_u64(&c, s->queries);
	proto_put_u32(&c, s->median_ms);
	PUT_TEXT(&c, s->last_error);
	return msg_close(&c, out, LG_MSG_ROUTER_STATUS, id);
}

int
proto_decode_router_status(const uint8_t *p, size_t len,
    struct lg_msg_router_status *s)
{
	struct lg_cursor	 c;

	msg_read(&c, p, len);
	GET_LINE(&c, s->name);
	proto_get_u8(&c, &s->state);
	proto_get_u16(&c, &s->sessions_max);
	proto_get_u16(&c, &s->sessions_up);
	proto_get_u16(&c, &s->sessions_idle);
	proto_get_u16(&c, &s->sessions_busy);
	proto_get_u16(&c, &s->queue_len);
	proto_get_u32(&c, &s->failures);
	proto_get_u64(&c, &s->queries);
	proto_get_u32(&c, &s->median_ms);
	GET_TEXT(&c, s->last_error);
	msg_require(&c, s->state <= ROUTER_STATE_LAST);
	return proto_get_end(&c);
}

/* A message of one line: HOSTKEY names its router this way. */
ssize_t
proto_encode_str(uint8_t *out, size_t outlen, uint16_t type, uint32_t id,
    const char *s)
{
	struct lg_cursor	 c;

	msg_open(&c, out, outlen);
	proto_put_line(&c, s);
	return msg_close(&c, out, type, id);
}

int
proto_decode_str(const uint8_t *p, size_t len, char *s, size_t ssize)
{
	struct lg_cursor	 c;

	msg_read(&c, p, len);
	proto_get_line(&c, s, ssize);
	return proto_get_end(&c);
}

ssize_t
proto_encode_hostkey_info(uint8_t *out, size_t outlen, uint32_t id,
    const char *router, const char *type, const char *fingerprint,
    const char *known_hosts)
{
	struct lg_cursor	 c;

	msg_open(&c, out, outlen);
	proto_put_line(&c, router);
	proto_put_line(&c, type);
	proto_put_line(&c, fingerprint);
	proto_put_line(&c, known_hosts);
	return msg_close(&c, out, LG_MSG_HOSTKEY_INFO, id);
}

int
proto_decode_hostkey_info(const uint8_t *p, size_t len, char *router,
    size_t routersize, char *type, size_t typesize, char *fingerprint,
    size_t fingerprintsize, char *known_hosts, size_t known_hostssize)
{
	struct lg_cursor	 c;

	msg_read(&c, p, len);
	proto_get_line(&c, router, routersize);
	proto_get_line(&c, type, typesize);
	proto_get_line(&c, fingerprint, fingerprintsize);
	proto_get_line(&c, known_hosts, known_hostssize);
	return proto_get_end(&c);
}

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
