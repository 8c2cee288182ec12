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
 * The message codecs of the front-broker wire (lg_proto.h): for each
 * message type, the encoder that writes a whole frame and the decoder
 * that reads its payload with the bounds-checked cursor of proto.c and
 * requires the exact end.  Nothing here logs or allocates.
 */

#include <sys/types.h>

#include <stdint.h>
#include <string.h>

#include "lg.h"
#include "lg_proto.h"
#include "proto_int.h"

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
	    (q->flags & ~LG_QUERY_F_MASK) == 0 &&
	    (q->user[0] == '\0' || validate_user_name(q->user));
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
	PUT_LINE(&c, q->user);
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
	GET_LINE(&c, q->user);
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

ssize_t
proto_encode_rpki_status(uint8_t *out, size_t outlen, uint32_t id,
    const struct lg_msg_rpki_status *s)
{
	struct lg_cursor	 c;

	msg_open(&c, out, outlen);
	msg_require(&c, s->state <= RPKI_CACHE_STATE_LAST);
	PUT_LINE(&c, s->cache);
	proto_put_u8(&c, s->preference);
	proto_put_u8(&c, s->state);
	proto_put_u32(&c, s->serial);
	proto_put_u32(&c, s->session_id);
	proto_put_u64(&c, s->last_update);
	proto_put_u64(&c, s->down_since);
	proto_put_u32(&c, s->vrps4);
	proto_put_u32(&c, s->vrps6);
	PUT_TEXT(&c, s->last_error);
	return msg_close(&c, out, LG_MSG_RPKI_STATUS, id);
}

int
proto_decode_rpki_status(const uint8_t *p, size_t len,
    struct lg_msg_rpki_status *s)
{
	struct lg_cursor	 c;

	msg_read(&c, p, len);
	GET_LINE(&c, s->cache);
	proto_get_u8(&c, &s->preference);
	proto_get_u8(&c, &s->state);
	proto_get_u32(&c, &s->serial);
	proto_get_u32(&c, &s->session_id);
	proto_get_u64(&c, &s->last_update);
	proto_get_u64(&c, &s->down_since);
	proto_get_u32(&c, &s->vrps4);
	proto_get_u32(&c, &s->vrps6);
	GET_TEXT(&c, s->last_error);
	msg_require(&c, s->state <= RPKI_CACHE_STATE_LAST);
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
