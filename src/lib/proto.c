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
 * The front-broker wire (lg_proto.h): the message table, the frame header
 * and the bounds-checked cursor every payload is written and read with.
 * The codecs of each message are proto_msg.c; the frame reader that cuts
 * a byte stream into frames and the send queue are proto_stream.c.
 * lgwebd and lgctl encode queries and decode results with it;
 * lgbrokerd does the reverse and treats every byte it decodes as hostile.
 * Nothing here logs or allocates: callers own every buffer and decide what
 * a malformed frame costs the peer.
 */

#include <sys/types.h>

#include <string.h>

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
	[LG_MSG_RPKI] =			{ "RPKI", 0 },
	[LG_MSG_RPKI_STATUS] =		{ "RPKI_STATUS", LG_PAYLOAD_MAX },
	[LG_MSG_PING] =			{ "PING", 0 },
	[LG_MSG_PONG] =			{ "PONG", 0 },
};

/* Router states by name, for lgctl, the API and the metrics alike. */
static const char *const proto_router_states[ROUTER_STATE_LAST + 1] = {
	[ROUTER_STATE_UNKNOWN] =	"unknown",
	[ROUTER_STATE_UP] =		"up",
	[ROUTER_STATE_CONNECTING] =	"connecting",
	[ROUTER_STATE_DOWN] =		"down",
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

/* A router state's name; "unknown" for a value past ROUTER_STATE_LAST. */
const char *
proto_router_state_name(uint8_t state)
{
	if (state > ROUTER_STATE_LAST)
		return proto_router_states[ROUTER_STATE_UNKNOWN];
	return proto_router_states[state];
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
