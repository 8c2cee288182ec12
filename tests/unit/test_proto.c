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
 * Unit tests of the front-broker wire (src/lib/proto*.c): header layout and
 * refusals, the cursor and its two string kinds, a round trip of every
 * message with boundary values, refusal of every truncation, trailing byte
 * and out-of-range field, the frame reader under every way of splitting a
 * stream, and the send queue over a real socket pair.
 *
 * With LG_FRAME_CORPUS=dir in the environment, the sample frames are also
 * written there, one file each: they seed tests/fuzz/corpus/frame/.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lg.h"
#include "lg_proto.h"

#define BIG	(LG_FRAME_MAX + 64)

static uint8_t	 frame[BIG];
static uint8_t	 frame2[BIG];

/* A string of n copies of ch, in a static buffer big enough for a frame. */
static const char *
fill(size_t n, char ch)
{
	static char	 s[2][BIG];
	static int	 which;
	char		*p = s[which ^= 1];

	assert_true(n < sizeof(s[0]));
	memset(p, ch, n);
	p[n] = '\0';
	return p;
}

static void
decode_hdr(const uint8_t *buf, ssize_t n, uint16_t type, uint32_t id,
    struct lg_frame_hdr *hdr)
{
	assert_true(n >= LG_FRAME_HDR_SIZE);
	assert_int_equal(proto_hdr_decode(buf, hdr), 0);
	assert_int_equal(hdr->type, type);
	assert_int_equal(hdr->request_id, id);
	assert_int_equal(hdr->flags, 0);
	assert_int_equal(hdr->length, (size_t)n - LG_FRAME_HDR_SIZE);
}

/* Decodes a payload with the decoder of its type, into ample buffers. */
static int
decode_any(uint16_t type, const uint8_t *p, size_t len)
{
	static char			 a[BIG], b[BIG], c[BIG], d[BIG];
	struct lg_msg_query		 q;
	struct lg_msg_router		 r;
	struct lg_msg_result_end	 e;
	struct lg_msg_router_status	 s;
	struct lg_msg_rpki_status	 rs;
	uint16_t			 u16;
	uint32_t			 u32;

	switch (type) {
	case LG_MSG_HELLO:
		return proto_decode_hello(p, len, &u16, a, sizeof(a));
	case LG_MSG_QUERY:
		return proto_decode_query(p, len, &q);
	case LG_MSG_CANCEL:
	case LG_MSG_LIST_ROUTERS:
	case LG_MSG_STATUS:
	case LG_MSG_RPKI:
	case LG_MSG_RELOAD:
	case LG_MSG_PING:
	case LG_MSG_PONG:
		return proto_decode_empty(p, len);
	case LG_MSG_WINDOW:
		return proto_decode_window(p, len, &u32);
	case LG_MSG_ROUTER:
		return proto_decode_router(p, len, &r);
	case LG_MSG_END:
		return proto_decode_end(p, len, &u16, a, sizeof(a));
	case LG_MSG_RESULT_BEGIN:
		return proto_decode_result_begin(p, len, a, sizeof(a), b,
		    sizeof(b));
	case LG_MSG_RESULT_DATA:
		return len <= LG_DATA_CHUNK_MAX ? 0 : -1;
	case LG_MSG_RESULT_PARSED:
		return proto_decode_result_parsed(p, len);
	case LG_MSG_RESULT_END:
		return proto_decode_result_end(p, len, &e);
	case LG_MSG_ROUTER_STATUS:
		return proto_decode_router_status(p, len, &s);
	case LG_MSG_RPKI_STATUS:
		return proto_decode_rpki_status(p, len, &rs);
	case LG_MSG_HOSTKEY:
		return proto_decode_str(p, len, a, sizeof(a));
	case LG_MSG_HOSTKEY_INFO:
		return proto_decode_hostkey_info(p, len, a, sizeof(a), b,
		    sizeof(b), c, sizeof(c), d, sizeof(d));
	}
	return -1;
}

static void
query_max(struct lg_msg_query *q)
{
	memset(q, 0, sizeof(*q));
	lg_strlcpy(q->router, fill(sizeof(q->router) - 1, 'r'),
	    sizeof(q->router));
	q->type = Q_COUNT - 1;
	q->afi = AFI_IPV6;
	q->flags = LG_QUERY_F_MASK;
	lg_strlcpy(q->target, fill(sizeof(q->target) - 1, 't'),
	    sizeof(q->target));
	lg_strlcpy(q->vrf, fill(sizeof(q->vrf) - 1, 'v'), sizeof(q->vrf));
	lg_strlcpy(q->client, fill(sizeof(q->client) - 1, 'c'),
	    sizeof(q->client));
	lg_strlcpy(q->user, fill(sizeof(q->user) - 1, 'u'), sizeof(q->user));
}

static void
router_max(struct lg_msg_router *r)
{
	memset(r, 0, sizeof(*r));
	lg_strlcpy(r->name, fill(sizeof(r->name) - 1, 'n'), sizeof(r->name));
	lg_strlcpy(r->location, fill(sizeof(r->location) - 1, 'l'),
	    sizeof(r->location));
	lg_strlcpy(r->group, fill(sizeof(r->group) - 1, 'g'),
	    sizeof(r->group));
	lg_strlcpy(r->vendor, fill(sizeof(r->vendor) - 1, 'v'),
	    sizeof(r->vendor));
	r->queries = Q_MASK_ALL;
	r->state = ROUTER_STATE_LAST;
}

static void
result_end_max(struct lg_msg_result_end *e)
{
	memset(e, 0, sizeof(*e));
	e->error = LG_ERR_COUNT - 1;
	e->flags = LG_RESULT_F_MASK;
	e->runtime_ms = UINT32_MAX;
	e->bytes = UINT64_MAX;
	lg_strlcpy(e->message, fill(sizeof(e->message) - 1, 'm'),
	    sizeof(e->message));
}

static void
router_status_max(struct lg_msg_router_status *s)
{
	memset(s, 0, sizeof(*s));
	lg_strlcpy(s->name, fill(sizeof(s->name) - 1, 'n'), sizeof(s->name));
	s->state = ROUTER_STATE_LAST;
	s->sessions_max = UINT16_MAX;
	s->sessions_up = 1;
	s->sessions_idle = 2;
	s->sessions_busy = 3;
	s->queue_len = UINT16_MAX - 1;
	s->failures = UINT32_MAX;
	s->queries = UINT64_MAX - 1;
	s->median_ms = UINT32_MAX - 1;
	lg_strlcpy(s->last_error, "ssh: auth failed\ttwice\nthen gave up",
	    sizeof(s->last_error));
}

/*
 * The sample frames: one or more of every message type, with boundary
 * values.  Returns the frame length, or -1 when out does not hold it.
 */
#define NSAMPLES	25

static ssize_t
sample_encode(int i, uint8_t *out, size_t outlen)
{
	struct lg_msg_query		 q;
	struct lg_msg_router		 r;
	struct lg_msg_result_end	 e;
	struct lg_msg_router_status	 s;
	uint8_t				 bytes[256];
	int				 j;

	for (j = 0; j < 256; j++)
		bytes[j] = (uint8_t)j;
	switch (i) {
	case 0:
		return proto_encode_hello(out, outlen, "lorgnette 0.1.0");
	case 1:
		return proto_encode_hello(out, outlen, "");
	case 2:
		query_max(&q);
		return proto_encode_query(out, outlen, UINT32_MAX, &q);
	case 3:
		memset(&q, 0, sizeof(q));
		return proto_encode_query(out, outlen, 1, &q);
	case 4:
		return proto_encode_empty(out, outlen, LG_MSG_CANCEL, 7);
	case 5:
		return proto_encode_window(out, outlen, 7, UINT32_MAX);
	case 6:
		return proto_encode_empty(out, outlen, LG_MSG_LIST_ROUTERS, 2);
	case 7:
		router_max(&r);
		return proto_encode_router(out, outlen, 2, &r);
	case 8:
		memset(&r, 0, sizeof(r));
		return proto_encode_router(out, outlen, 2, &r);
	case 9:
		return proto_encode_end(out, outlen, 2, LG_OK, "");
	case 10:
		return proto_encode_end(out, outlen, 3, LG_ERR_INTERNAL,
		    "two\tfields\nand a second line");
	case 11:
		return proto_encode_result_begin(out, outlen, 8, "r1",
		    "show bgp ipv4 unicast 198.18.0.0/24\n"
		    "show bgp ipv6 unicast 2001:2::/48");
	case 12:
		return proto_encode_result_data(out, outlen, 8, bytes,
		    sizeof(bytes));
	case 13:
		return proto_encode_result_data(out, outlen, 8, "", 0);
	case 14:
		result_end_max(&e);
		return proto_encode_result_end(out, outlen, 8, &e);
	case 15:
		return proto_encode_empty(out, outlen, LG_MSG_STATUS, 4);
	case 16:
		router_status_max(&s);
		return proto_encode_router_status(out, outlen, 4, &s);
	case 17:
		return proto_encode_empty(out, outlen, LG_MSG_RELOAD, 5);
	case 18:
		return proto_encode_str(out, outlen, LG_MSG_HOSTKEY, 6, "r1");
	case 19:
		return proto_encode_hostkey_info(out, outlen, 6, "r1",
		    "ssh-ed25519", "SHA256:Vh4pT0b0Zd3mD8XQ6bq0x2Hc1T0bL1m3v",
		    "r1.example ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB");
	case 20:
		return proto_encode_result_data(out, outlen, 9,
		    fill(LG_DATA_CHUNK_MAX, 'x'), LG_DATA_CHUNK_MAX);
	case 21:
		memset(&e, 0, sizeof(e));
		e.error = LG_ERR_TIMEOUT;
		e.flags = LG_RESULT_TRUNCATED;
		lg_strlcpy(e.message, "timeout after 30 s", sizeof(e.message));
		return proto_encode_result_end(out, outlen, 9, &e);
	case 22:
		return proto_encode_hello(out, outlen,
		    fill(LG_PAYLOAD_MAX - 4, 'h'));
	case 23:
		return proto_encode_result_parsed(out, outlen, 9,
		    "{\"kind\":\"bgp_routes\",\"not_found\":true}",
		    strlen("{\"kind\":\"bgp_routes\",\"not_found\":true}"));
	case 24:
		return proto_encode_result_parsed(out, outlen, 9,
		    fill(LG_DATA_CHUNK_MAX, 'p'), LG_DATA_CHUNK_MAX);
	}
	return -1;
}

static void
test_hdr_layout(void **state)
{
	static const uint8_t	 want[LG_FRAME_HDR_SIZE] = {
		0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x01, 0x10,
		0xa1, 0xb2, 0xc3, 0xd4
	};
	struct lg_frame_hdr	 hdr = { LG_MSG_QUERY, LG_FRAME_F_ADMIN,
				    0x110, 0xa1b2c3d4 }, out;
	uint8_t			 buf[LG_FRAME_HDR_SIZE];

	(void)state;
	proto_hdr_encode(&hdr, buf);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(proto_hdr_decode(buf, &out), 0);
	assert_int_equal(out.type, LG_MSG_QUERY);
	assert_int_equal(out.flags, LG_FRAME_F_ADMIN);
	assert_int_equal(out.length, 0x110);
	assert_int_equal(out.request_id, 0xa1b2c3d4);
}

/* The largest payload a type accepts, as the header decoder sees it. */
static uint32_t
type_max(uint16_t t)
{
	switch (t) {
	case LG_MSG_CANCEL:
	case LG_MSG_LIST_ROUTERS:
	case LG_MSG_STATUS:
	case LG_MSG_RELOAD:
	case LG_MSG_RPKI:
	case LG_MSG_PING:
	case LG_MSG_PONG:
		return 0;
	case LG_MSG_WINDOW:
		return 4;
	case LG_MSG_RESULT_DATA:
	case LG_MSG_RESULT_PARSED:
		return LG_DATA_CHUNK_MAX;
	}
	return LG_PAYLOAD_MAX;
}

static void
test_hdr_every_type(void **state)
{
	struct lg_frame_hdr	 hdr, out;
	uint8_t			 buf[LG_FRAME_HDR_SIZE];
	uint16_t		 t;

	(void)state;
	for (t = 1; t < LG_MSG_TYPE_MAX; t++) {
		hdr = (struct lg_frame_hdr){ t, 0, type_max(t), UINT32_MAX };
		proto_hdr_encode(&hdr, buf);
		assert_int_equal(proto_hdr_decode(buf, &out), 0);
		assert_memory_equal(&hdr, &out, sizeof(hdr));
		hdr.length = type_max(t) + 1;
		proto_hdr_encode(&hdr, buf);
		assert_int_equal(proto_hdr_decode(buf, &out), -1);
		assert_string_not_equal(proto_msg_name(t), "UNKNOWN");
	}
	assert_string_equal(proto_msg_name(LG_MSG_RESULT_DATA), "RESULT_DATA");
	assert_string_equal(proto_msg_name(0), "UNKNOWN");
	assert_string_equal(proto_msg_name(LG_MSG_TYPE_MAX), "UNKNOWN");
}

/* One table of router-state names serves lgctl, the API and /metrics. */
static void
test_router_state_names(void **state)
{
	(void)state;
	assert_string_equal(proto_router_state_name(ROUTER_STATE_UNKNOWN),
	    "unknown");
	assert_string_equal(proto_router_state_name(ROUTER_STATE_UP), "up");
	assert_string_equal(proto_router_state_name(ROUTER_STATE_CONNECTING),
	    "connecting");
	assert_string_equal(proto_router_state_name(ROUTER_STATE_DOWN),
	    "down");
	assert_string_equal(proto_router_state_name(ROUTER_STATE_LAST + 1),
	    "unknown");
	assert_string_equal(proto_router_state_name(UINT8_MAX), "unknown");
}

static void
test_hdr_refused(void **state)
{
	static const struct lg_frame_hdr bad[] = {
		{ 0, 0, 0, 0 },
		{ LG_MSG_TYPE_MAX, 0, 0, 0 },
		{ UINT16_MAX, 0, 0, 0 },
		{ LG_MSG_HELLO, 0x0002, 0, 0 },
		{ LG_MSG_HELLO, 0x8000, 0, 0 },
		{ LG_MSG_HELLO, 0, LG_PAYLOAD_MAX + 1, 0 },
		{ LG_MSG_QUERY, 0, UINT32_MAX, 0 },
		{ LG_MSG_RESULT_DATA, 0, LG_DATA_CHUNK_MAX + 1, 0 },
		{ LG_MSG_RESULT_PARSED, 0, LG_DATA_CHUNK_MAX + 1, 0 },
		{ LG_MSG_CANCEL, 0, 1, 0 },
		{ LG_MSG_WINDOW, 0, 5, 0 },
	};
	struct lg_frame_hdr	 out;
	uint8_t			 buf[LG_FRAME_HDR_SIZE];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		proto_hdr_encode(&bad[i], buf);
		assert_int_equal(proto_hdr_decode(buf, &out), -1);
	}
}

static void
test_cursor_ints(void **state)
{
	struct lg_cursor	 c;
	uint8_t			 buf[15], u8;
	uint16_t		 u16;
	uint32_t		 u32;
	uint64_t		 u64;
	static const uint8_t	 want[15] = { 0xfe, 0x12, 0x34, 0xde, 0xad,
		0xbe, 0xef, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08 };

	(void)state;
	proto_cursor_init(&c, buf, sizeof(buf));
	assert_int_equal(proto_put_u8(&c, 0xfe), 0);
	assert_int_equal(proto_put_u16(&c, 0x1234), 0);
	assert_int_equal(proto_put_u32(&c, 0xdeadbeef), 0);
	assert_int_equal(proto_put_u64(&c, 0x0102030405060708ULL), 0);
	assert_memory_equal(buf, want, sizeof(want));
	assert_int_equal(proto_put_u8(&c, 0), -1);	/* full */
	assert_int_equal(c.error, 1);

	proto_cursor_init(&c, buf, sizeof(buf));
	assert_int_equal(proto_get_u8(&c, &u8), 0);
	assert_int_equal(proto_get_u16(&c, &u16), 0);
	assert_int_equal(proto_get_u32(&c, &u32), 0);
	assert_int_equal(proto_get_u64(&c, &u64), 0);
	assert_int_equal(u8, 0xfe);
	assert_int_equal(u16, 0x1234);
	assert_int_equal(u32, 0xdeadbeef);
	assert_true(u64 == 0x0102030405060708ULL);
	assert_int_equal(proto_get_end(&c), 0);
	assert_int_equal(proto_get_u8(&c, &u8), -1);
	assert_int_equal(u8, 0);
	assert_int_equal(proto_get_end(&c), -1);
}

/* After one failure nothing else is read, even what would fit. */
static void
test_cursor_sticky(void **state)
{
	struct lg_cursor	 c;
	uint8_t			 buf[3] = { 1, 2, 3 };
	uint16_t		 u16;
	uint32_t		 u32;
	uint8_t			 u8;

	(void)state;
	proto_cursor_init(&c, buf, sizeof(buf));
	assert_int_equal(proto_get_u32(&c, &u32), -1);
	assert_int_equal(u32, 0);
	assert_int_equal(proto_get_u16(&c, &u16), -1);
	assert_int_equal(proto_get_u8(&c, &u8), -1);
	assert_int_equal(c.off, 0);
	assert_int_equal(proto_get_end(&c), -1);

	proto_cursor_init(&c, buf, sizeof(buf));
	assert_int_equal(proto_get_u16(&c, &u16), 0);
	assert_int_equal(proto_get_end(&c), -1);	/* one byte left */
}

static void
test_cursor_strings(void **state)
{
	struct lg_cursor	 c;
	uint8_t			 buf[64];
	char			 s[8];
	static const uint8_t	 want[] = { 0, 3, 'a', 'b', 'c', 0, 0 };

	(void)state;
	proto_cursor_init(&c, buf, sizeof(buf));
	assert_int_equal(proto_put_str(&c, "abc"), 0);
	assert_int_equal(proto_put_line(&c, ""), 0);
	assert_int_equal(c.off, sizeof(want));
	assert_memory_equal(buf, want, sizeof(want));

	proto_cursor_init(&c, buf, sizeof(want));
	assert_int_equal(proto_get_str(&c, s, sizeof(s)), 0);
	assert_string_equal(s, "abc");
	assert_int_equal(proto_get_line(&c, s, sizeof(s)), 0);
	assert_string_equal(s, "");
	assert_int_equal(proto_get_end(&c), 0);

	/* A string filling its destination exactly, then one byte more. */
	proto_cursor_init(&c, buf, sizeof(buf));
	assert_int_equal(proto_put_line(&c, "1234567"), 0);
	assert_int_equal(proto_put_line(&c, "12345678"), 0);
	proto_cursor_init(&c, buf, 9 + 10);
	assert_int_equal(proto_get_line(&c, s, sizeof(s)), 0);
	assert_string_equal(s, "1234567");
	assert_int_equal(proto_get_line(&c, s, sizeof(s)), -1);
	assert_string_equal(s, "");
	assert_int_equal(proto_get_end(&c), -1);

	/* A length running past the payload. */
	buf[0] = 0;
	buf[1] = 5;
	memcpy(buf + 2, "abcd", 4);
	proto_cursor_init(&c, buf, 6);
	assert_int_equal(proto_get_str(&c, s, sizeof(s)), -1);

	/* Writing past the end of the buffer. */
	proto_cursor_init(&c, buf, 5);
	assert_int_equal(proto_put_str(&c, "abcd"), -1);
	assert_int_equal(proto_put_str(NULL == NULL ? &c : &c, "a"), -1);
}

/*
 * Every byte value in both kinds of string: what the decoder accepts and
 * what the encoder accepts must agree with the rule in lg_proto.h.
 */
static void
test_cursor_string_bytes(void **state)
{
	struct lg_cursor	 c;
	uint8_t			 buf[8];
	char			 s[8], in[4];
	int			 ch, line, want, rv;

	(void)state;
	for (line = 0; line <= 1; line++)
		for (ch = 0; ch < 256; ch++) {
			want = ch >= 0x20 && ch != 0x7f;
			if (!line && (ch == '\t' || ch == '\n'))
				want = 1;
			buf[0] = 0;
			buf[1] = 3;
			buf[2] = 'a';
			buf[3] = (uint8_t)ch;
			buf[4] = 'b';
			proto_cursor_init(&c, buf, 5);
			rv = line ? proto_get_line(&c, s, sizeof(s)) :
			    proto_get_str(&c, s, sizeof(s));
			assert_int_equal(rv, want ? 0 : -1);
			if (ch == 0)
				continue;	/* a C string cannot hold it */
			in[0] = 'a';
			in[1] = (char)ch;
			in[2] = 'b';
			in[3] = '\0';
			proto_cursor_init(&c, buf, sizeof(buf));
			rv = line ? proto_put_line(&c, in) :
			    proto_put_str(&c, in);
			assert_int_equal(rv, want ? 0 : -1);
		}
}

static void
test_text_clean(void **state)
{
	char	 s[] = "ok\tline\nnext\rcr\x1b[0m\x7f\xc3\xa9";
	/* Issue 24.5: C1 in 8 bits and in UTF-8, invalid and cut UTF-8. */
	char	 c1[] = "a\x9b" "2J b\xc2\x9b" "31m c\xc0\xaf d\xed\xa0\x80 "
		    "e\xf4\x90\x80\x80 f\xe2\x82\xac g\xe2\x82";
	char	 one[] = "bye\r\nforged row\tend\x9b\x1b";

	(void)state;
	proto_text_clean(s);
	assert_string_equal(s, "ok\tline\nnext?cr?[0m?\xc3\xa9");
	proto_text_clean(c1);
	assert_string_equal(c1, "a2J b31m c d e f\xe2\x82\xac g");
	proto_line_clean(one);
	assert_string_equal(one, "bye  forged row end?");
}

static void
test_roundtrip_hello(void **state)
{
	struct lg_frame_hdr	 hdr;
	char			 sw[64];
	static char		 big[LG_PAYLOAD_MAX];
	uint16_t		 version = 0;
	ssize_t			 n;
	size_t			 maxsw = LG_PAYLOAD_MAX - 4;

	(void)state;
	n = proto_encode_hello(frame, sizeof(frame), "lgwebd 0.1.0");
	decode_hdr(frame, n, LG_MSG_HELLO, 0, &hdr);
	assert_int_equal(proto_decode_hello(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, &version, sw, sizeof(sw)), 0);
	assert_int_equal(version, LG_PROTO_VERSION);
	assert_string_equal(sw, "lgwebd 0.1.0");

	/* The longest software string a frame can carry, and one more. */
	n = proto_encode_hello(frame, sizeof(frame), fill(maxsw, 's'));
	assert_int_equal(n, LG_FRAME_MAX);
	decode_hdr(frame, n, LG_MSG_HELLO, 0, &hdr);
	assert_int_equal(proto_decode_hello(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, &version, big, maxsw + 1), 0);
	assert_int_equal(strlen(big), maxsw);
	assert_int_equal(proto_decode_hello(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, &version, big, maxsw), -1);
	assert_int_equal(proto_encode_hello(frame, sizeof(frame),
	    fill(maxsw + 1, 's')), -1);
	assert_int_equal(proto_encode_hello(frame, sizeof(frame),
	    "two\nlines"), -1);
}

static void
check_query(const struct lg_msg_query *q, uint32_t id)
{
	struct lg_frame_hdr	 hdr;
	struct lg_msg_query	 out;
	ssize_t			 n;

	n = proto_encode_query(frame, sizeof(frame), id, q);
	decode_hdr(frame, n, LG_MSG_QUERY, id, &hdr);
	memset(&out, 0xa5, sizeof(out));
	assert_int_equal(proto_decode_query(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, &out), 0);
	assert_string_equal(out.router, q->router);
	assert_int_equal(out.type, q->type);
	assert_int_equal(out.afi, q->afi);
	assert_int_equal(out.flags, q->flags);
	assert_string_equal(out.target, q->target);
	assert_string_equal(out.vrf, q->vrf);
	assert_string_equal(out.client, q->client);
	assert_string_equal(out.user, q->user);
}

static void
test_roundtrip_query(void **state)
{
	struct lg_msg_query	 q;
	unsigned int		 t, afi;

	(void)state;
	query_max(&q);
	check_query(&q, UINT32_MAX);
	memset(&q, 0, sizeof(q));
	check_query(&q, 0);
	for (t = 0; t < Q_COUNT; t++)
		for (afi = AFI_ANY; afi <= AFI_IPV6; afi++) {
			memset(&q, 0, sizeof(q));
			lg_strlcpy(q.router, "edge1.fra", sizeof(q.router));
			q.type = (uint8_t)t;
			q.afi = (uint8_t)afi;
			lg_strlcpy(q.target, "2001:2::/48", sizeof(q.target));
			lg_strlcpy(q.client, "198.18.7.9", sizeof(q.client));
			check_query(&q, t * 10 + afi);
		}
}

/*
 * Issue 20: QUERY carries the user (version 4), a signed-in name or ""
 * for the public; one that web.auth would not accept is refused by the
 * encoder and by the decoder.
 */
static void
test_query_user(void **state)
{
	struct lg_frame_hdr	 hdr;
	struct lg_msg_query	 q, out;
	uint8_t			*u;
	ssize_t			 n;

	(void)state;
	assert_true(LG_PROTO_VERSION >= 4);
	memset(&q, 0, sizeof(q));
	lg_strlcpy(q.router, "core1", sizeof(q.router));
	lg_strlcpy(q.target, "192.0.2.1", sizeof(q.target));
	lg_strlcpy(q.user, "alice@example.net", sizeof(q.user));
	check_query(&q, 7);
	lg_strlcpy(q.user, "bad user", sizeof(q.user));
	assert_int_equal(proto_encode_query(frame, sizeof(frame), 7, &q), -1);
	lg_strlcpy(q.user, "-alice", sizeof(q.user));
	assert_int_equal(proto_encode_query(frame, sizeof(frame), 7, &q), -1);
	lg_strlcpy(q.user, "alice", sizeof(q.user));
	n = proto_encode_query(frame, sizeof(frame), 7, &q);
	decode_hdr(frame, n, LG_MSG_QUERY, 7, &hdr);
	u = memmem(frame + LG_FRAME_HDR_SIZE, hdr.length, "alice", 5);
	assert_non_null(u);
	u[2] = ' ';
	assert_int_equal(proto_decode_query(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, &out), -1);
	u[2] = '"';
	assert_int_equal(proto_decode_query(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, &out), -1);
}

static void
test_roundtrip_small(void **state)
{
	struct lg_frame_hdr	 hdr;
	uint32_t		 more;
	uint16_t		 t;
	ssize_t			 n;

	(void)state;
	n = proto_encode_window(frame, sizeof(frame), 3, UINT32_MAX);
	decode_hdr(frame, n, LG_MSG_WINDOW, 3, &hdr);
	assert_int_equal(proto_decode_window(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, &more), 0);
	assert_int_equal(more, UINT32_MAX);
	n = proto_encode_window(frame, sizeof(frame), 3, 0);
	decode_hdr(frame, n, LG_MSG_WINDOW, 3, &hdr);
	assert_int_equal(proto_decode_window(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, &more), 0);
	assert_int_equal(more, 0);

	for (t = 1; t < LG_MSG_TYPE_MAX; t++) {
		n = proto_encode_empty(frame, sizeof(frame), t, 11);
		if (type_max(t) != 0) {
			assert_int_equal(n, -1);
			continue;
		}
		decode_hdr(frame, n, t, 11, &hdr);
		assert_int_equal(n, LG_FRAME_HDR_SIZE);
		assert_int_equal(proto_decode_empty(frame, 0), 0);
	}
	assert_int_equal(proto_encode_empty(frame, sizeof(frame), 0, 1), -1);
	assert_int_equal(proto_encode_empty(frame, sizeof(frame),
	    LG_MSG_TYPE_MAX, 1), -1);
	assert_int_equal(proto_decode_empty(frame, 1), -1);
}

static void
test_roundtrip_router(void **state)
{
	struct lg_frame_hdr	 hdr;
	struct lg_msg_router	 r, out;
	unsigned int		 st;
	ssize_t			 n;

	(void)state;
	for (st = ROUTER_STATE_UNKNOWN; st <= ROUTER_STATE_LAST; st++) {
		router_max(&r);
		r.state = (uint8_t)st;
		r.queries = st == 0 ? 0 : Q_MASK(st);
		n = proto_encode_router(frame, sizeof(frame), 5, &r);
		decode_hdr(frame, n, LG_MSG_ROUTER, 5, &hdr);
		memset(&out, 0xa5, sizeof(out));
		assert_int_equal(proto_decode_router(frame +
		    LG_FRAME_HDR_SIZE, hdr.length, &out), 0);
		assert_string_equal(out.name, r.name);
		assert_string_equal(out.location, r.location);
		assert_string_equal(out.group, r.group);
		assert_string_equal(out.vendor, r.vendor);
		assert_int_equal(out.queries, r.queries);
		assert_int_equal(out.state, st);
	}
}

static void
test_roundtrip_end(void **state)
{
	struct lg_frame_hdr	 hdr;
	char			 msg[LG_ERRSTR_MAX];
	uint16_t		 err;
	unsigned int		 e;
	ssize_t			 n;

	(void)state;
	for (e = 0; e < LG_ERR_COUNT; e++) {
		n = proto_encode_end(frame, sizeof(frame), e, (uint16_t)e,
		    lg_err_name((enum lg_err)e));
		decode_hdr(frame, n, LG_MSG_END, e, &hdr);
		assert_int_equal(proto_decode_end(frame + LG_FRAME_HDR_SIZE,
		    hdr.length, &err, msg, sizeof(msg)), 0);
		assert_int_equal(err, e);
		assert_string_equal(msg, lg_err_name((enum lg_err)e));
	}
	n = proto_encode_end(frame, sizeof(frame), 1, LG_OK,
	    fill(sizeof(msg) - 1, 'm'));
	decode_hdr(frame, n, LG_MSG_END, 1, &hdr);
	assert_int_equal(proto_decode_end(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, &err, msg, sizeof(msg)), 0);
	assert_int_equal(strlen(msg), sizeof(msg) - 1);
	assert_int_equal(proto_decode_end(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, &err, msg, sizeof(msg) - 1), -1);
}

static void
test_roundtrip_result(void **state)
{
	struct lg_frame_hdr		 hdr;
	struct lg_msg_result_end	 e, out;
	char				 router[LG_NAME_MAX];
	char				 cmd[2 * LG_COMMAND_MAX];
	const char			*two = "show ip bgp 198.18.0.0/15\n"
					    "show ipv6 route 2001:2::1";
	ssize_t				 n;
	unsigned int			 err, fl;

	(void)state;
	n = proto_encode_result_begin(frame, sizeof(frame), 9,
	    fill(LG_NAME_MAX - 1, 'r'), two);
	decode_hdr(frame, n, LG_MSG_RESULT_BEGIN, 9, &hdr);
	assert_int_equal(proto_decode_result_begin(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, router, sizeof(router), cmd, sizeof(cmd)), 0);
	assert_string_equal(router, fill(LG_NAME_MAX - 1, 'r'));
	assert_string_equal(cmd, two);
	/* Destination one byte short, for each field in turn. */
	assert_int_equal(proto_decode_result_begin(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, router, sizeof(router) - 1, cmd, sizeof(cmd)), -1);
	assert_int_equal(proto_decode_result_begin(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, router, sizeof(router), cmd, strlen(two)), -1);
	assert_int_equal(proto_encode_result_begin(frame, sizeof(frame), 9,
	    "r1\nr2", "show"), -1);

	for (err = 0; err < LG_ERR_COUNT; err++)
		for (fl = 0; fl <= LG_RESULT_F_MASK; fl++) {
			result_end_max(&e);
			e.error = (uint16_t)err;
			e.flags = (uint8_t)fl;
			e.bytes = (uint64_t)err << 40 | fl;
			n = proto_encode_result_end(frame, sizeof(frame), 9,
			    &e);
			decode_hdr(frame, n, LG_MSG_RESULT_END, 9, &hdr);
			memset(&out, 0xa5, sizeof(out));
			assert_int_equal(proto_decode_result_end(frame +
			    LG_FRAME_HDR_SIZE, hdr.length, &out), 0);
			assert_int_equal(out.error, err);
			assert_int_equal(out.flags, fl);
			assert_int_equal(out.runtime_ms, UINT32_MAX);
			assert_true(out.bytes == e.bytes);
			assert_string_equal(out.message, e.message);
		}
}

static void
test_roundtrip_data(void **state)
{
	struct lg_frame_hdr	 hdr;
	uint8_t			 data[LG_DATA_CHUNK_MAX + 1];
	size_t			 i;
	ssize_t			 n;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i * 7);
	n = proto_encode_result_data(frame, sizeof(frame), 4, data,
	    LG_DATA_CHUNK_MAX);
	decode_hdr(frame, n, LG_MSG_RESULT_DATA, 4, &hdr);
	assert_memory_equal(frame + LG_FRAME_HDR_SIZE, data,
	    LG_DATA_CHUNK_MAX);
	n = proto_encode_result_data(frame, sizeof(frame), 4, data, 0);
	decode_hdr(frame, n, LG_MSG_RESULT_DATA, 4, &hdr);
	assert_int_equal(proto_encode_result_data(frame, sizeof(frame), 4,
	    data, sizeof(data)), -1);
	assert_int_equal(proto_encode_result_data(frame, sizeof(frame), 4,
	    NULL, 1), -1);
}

/*
 * RESULT_PARSED: a piece of JSON text up to a chunk, never a control byte
 * (compact JSON has none), refused alike by the encoder and the decoder.
 */
static void
test_roundtrip_parsed(void **state)
{
	static const char	 json[] = "{\"kind\":\"bgp_routes\","
				    "\"prefixes\":[]}";
	static const char	 bad[][4] = { "a\nb", "a\tb", "a\rb",
				    "a\177b", "a\033b" };
	struct lg_frame_hdr	 hdr;
	ssize_t			 n;
	size_t			 i;

	(void)state;
	n = proto_encode_result_parsed(frame, sizeof(frame), 5, json,
	    strlen(json));
	decode_hdr(frame, n, LG_MSG_RESULT_PARSED, 5, &hdr);
	assert_memory_equal(frame + LG_FRAME_HDR_SIZE, json, strlen(json));
	assert_int_equal(proto_decode_result_parsed(frame + LG_FRAME_HDR_SIZE,
	    hdr.length), 0);
	assert_int_equal(proto_decode_result_parsed(frame, 0), 0);
	assert_string_equal(proto_msg_name(LG_MSG_RESULT_PARSED),
	    "RESULT_PARSED");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(proto_encode_result_parsed(frame,
		    sizeof(frame), 5, bad[i], 3), -1);
		assert_int_equal(proto_decode_result_parsed(
		    (const uint8_t *)bad[i], 3), -1);
	}
	/* A NUL inside is refused; UTF-8 passes. */
	assert_int_equal(proto_decode_result_parsed((const uint8_t *)"a\0b",
	    3), -1);
	assert_int_equal(proto_decode_result_parsed(
	    (const uint8_t *)"\"\xc3\xa9\"", 4), 0);
	assert_int_equal(proto_encode_result_parsed(frame, sizeof(frame), 5,
	    fill(LG_DATA_CHUNK_MAX, 'x'), LG_DATA_CHUNK_MAX + 1), -1);
	assert_int_equal(proto_decode_result_parsed(frame,
	    LG_DATA_CHUNK_MAX + 1), -1);
	assert_int_equal(proto_encode_result_parsed(frame, sizeof(frame), 5,
	    NULL, 1), -1);
}

static void
test_roundtrip_status(void **state)
{
	struct lg_frame_hdr		 hdr;
	struct lg_msg_router_status	 s, out;
	unsigned int			 st;
	ssize_t				 n;

	(void)state;
	for (st = 0; st <= ROUTER_STATE_LAST; st++) {
		router_status_max(&s);
		s.state = (uint8_t)st;
		n = proto_encode_router_status(frame, sizeof(frame), 12, &s);
		decode_hdr(frame, n, LG_MSG_ROUTER_STATUS, 12, &hdr);
		memset(&out, 0xa5, sizeof(out));
		assert_int_equal(proto_decode_router_status(frame +
		    LG_FRAME_HDR_SIZE, hdr.length, &out), 0);
		assert_string_equal(out.name, s.name);
		assert_int_equal(out.state, st);
		assert_int_equal(out.sessions_max, s.sessions_max);
		assert_int_equal(out.sessions_up, s.sessions_up);
		assert_int_equal(out.sessions_idle, s.sessions_idle);
		assert_int_equal(out.sessions_busy, s.sessions_busy);
		assert_int_equal(out.queue_len, s.queue_len);
		assert_int_equal(out.failures, s.failures);
		assert_true(out.queries == s.queries);
		assert_int_equal(out.median_ms, s.median_ms);
		assert_string_equal(out.last_error, s.last_error);
	}
}

static void
test_roundtrip_hostkey(void **state)
{
	struct lg_frame_hdr	 hdr;
	char			 a[LG_NAME_MAX], b[32], c[64], d[256];
	ssize_t			 n;

	(void)state;
	n = proto_encode_str(frame, sizeof(frame), LG_MSG_HOSTKEY, 6,
	    fill(LG_NAME_MAX - 1, 'h'));
	decode_hdr(frame, n, LG_MSG_HOSTKEY, 6, &hdr);
	assert_int_equal(proto_decode_str(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, a, sizeof(a)), 0);
	assert_string_equal(a, fill(LG_NAME_MAX - 1, 'h'));
	assert_int_equal(proto_decode_str(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, a, sizeof(a) - 1), -1);
	assert_int_equal(proto_encode_str(frame, sizeof(frame),
	    LG_MSG_HOSTKEY, 6, "a\tb"), -1);

	n = proto_encode_hostkey_info(frame, sizeof(frame), 6, "edge1",
	    "ecdsa-sha2-nistp256", "SHA256:abc", "");
	decode_hdr(frame, n, LG_MSG_HOSTKEY_INFO, 6, &hdr);
	assert_int_equal(proto_decode_hostkey_info(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, a, sizeof(a), b, sizeof(b), c, sizeof(c), d,
	    sizeof(d)), 0);
	assert_string_equal(a, "edge1");
	assert_string_equal(b, "ecdsa-sha2-nistp256");
	assert_string_equal(c, "SHA256:abc");
	assert_string_equal(d, "");
	assert_int_equal(proto_decode_hostkey_info(frame + LG_FRAME_HDR_SIZE,
	    hdr.length, a, sizeof(a), b, 19, c, sizeof(c), d, sizeof(d)), -1);
}

/*
 * Every sample frame: decodes whole; every shorter payload and the payload
 * with one byte more fail; encoding into a buffer one byte short fails.
 */
static void
test_truncations(void **state)
{
	struct lg_frame_hdr	 hdr;
	ssize_t			 n;
	size_t			 len, cut;
	int			 i;

	(void)state;
	for (i = 0; i < NSAMPLES; i++) {
		n = sample_encode(i, frame, sizeof(frame));
		assert_true(n >= LG_FRAME_HDR_SIZE);
		assert_int_equal(proto_hdr_decode(frame, &hdr), 0);
		len = hdr.length;
		assert_int_equal((size_t)n, LG_FRAME_HDR_SIZE + len);
		memcpy(frame2, frame + LG_FRAME_HDR_SIZE, len);
		assert_int_equal(decode_any(hdr.type, frame2, len), 0);
		/* Chunks have no structure: any length up to a chunk is one. */
		if (hdr.type != LG_MSG_RESULT_DATA &&
		    hdr.type != LG_MSG_RESULT_PARSED) {
			for (cut = 0; cut < len; cut++)
				assert_int_equal(decode_any(hdr.type, frame2,
				    cut), -1);
			frame2[len] = 0;
			assert_int_equal(decode_any(hdr.type, frame2,
			    len + 1), -1);
		}
		assert_int_equal(sample_encode(i, frame, (size_t)n - 1), -1);
		assert_int_equal(sample_encode(i, frame, LG_FRAME_HDR_SIZE -
		    1), -1);
		assert_int_equal(sample_encode(i, NULL, 0), -1);
	}
}

/* Out-of-range fields: the encoder refuses them, and so does the decoder
 * when a peer sends them anyway (patched into a valid frame). */
static void
test_ranges(void **state)
{
	struct lg_frame_hdr		 hdr;
	struct lg_msg_query		 q;
	struct lg_msg_router		 r;
	struct lg_msg_result_end	 e;
	struct lg_msg_router_status	 s;
	struct lg_cursor		 c;
	uint8_t				*p = frame + LG_FRAME_HDR_SIZE;
	ssize_t				 n;

	(void)state;
	memset(&q, 0, sizeof(q));
	q.type = Q_COUNT;
	assert_int_equal(proto_encode_query(frame, sizeof(frame), 1, &q), -1);
	q.type = 0;
	q.afi = AFI_IPV6 + 1;
	assert_int_equal(proto_encode_query(frame, sizeof(frame), 1, &q), -1);
	q.afi = 0;
	q.flags = LG_QUERY_F_MASK + 1;
	assert_int_equal(proto_encode_query(frame, sizeof(frame), 1, &q), -1);
	q.flags = 0;
	memset(q.target, 'x', sizeof(q.target));	/* no NUL */
	assert_int_equal(proto_encode_query(frame, sizeof(frame), 1, &q), -1);
	memset(&q, 0, sizeof(q));
	n = proto_encode_query(frame, sizeof(frame), 1, &q);
	decode_hdr(frame, n, LG_MSG_QUERY, 1, &hdr);
	p[2] = Q_COUNT;		/* router "" takes 2 bytes, then type */
	assert_int_equal(proto_decode_query(p, hdr.length, &q), -1);
	p[2] = 0;
	p[3] = AFI_IPV6 + 1;
	assert_int_equal(proto_decode_query(p, hdr.length, &q), -1);
	p[3] = 0;
	p[5] = 2;		/* flags, low byte */
	assert_int_equal(proto_decode_query(p, hdr.length, &q), -1);
	p[5] = 0;
	assert_int_equal(proto_decode_query(p, hdr.length, &q), 0);

	memset(&r, 0, sizeof(r));
	r.state = ROUTER_STATE_LAST + 1;
	assert_int_equal(proto_encode_router(frame, sizeof(frame), 1, &r), -1);
	r.state = 0;
	r.queries = Q_MASK(Q_COUNT);
	assert_int_equal(proto_encode_router(frame, sizeof(frame), 1, &r), -1);
	r.queries = 0;
	n = proto_encode_router(frame, sizeof(frame), 1, &r);
	decode_hdr(frame, n, LG_MSG_ROUTER, 1, &hdr);
	p[hdr.length - 1] = ROUTER_STATE_LAST + 1;
	assert_int_equal(proto_decode_router(p, hdr.length, &r), -1);
	p[hdr.length - 1] = 0;
	proto_cursor_init(&c, p + hdr.length - 5, 4);	/* queries */
	assert_int_equal(proto_put_u32(&c, Q_MASK(Q_COUNT)), 0);
	assert_int_equal(proto_decode_router(p, hdr.length, &r), -1);
	proto_cursor_init(&c, p + hdr.length - 5, 4);
	assert_int_equal(proto_put_u32(&c, Q_MASK_ALL), 0);
	assert_int_equal(proto_decode_router(p, hdr.length, &r), 0);

	assert_int_equal(proto_encode_end(frame, sizeof(frame), 1,
	    LG_ERR_COUNT, ""), -1);
	n = proto_encode_end(frame, sizeof(frame), 1, LG_OK, "");
	decode_hdr(frame, n, LG_MSG_END, 1, &hdr);
	p[1] = LG_ERR_COUNT;
	assert_int_equal(proto_decode_end(p, hdr.length, &hdr.type,
	    (char *)frame2, 8), -1);

	memset(&e, 0, sizeof(e));
	e.error = LG_ERR_COUNT;
	assert_int_equal(proto_encode_result_end(frame, sizeof(frame), 1, &e),
	    -1);
	e.error = 0;
	e.flags = LG_RESULT_F_MASK + 1;
	assert_int_equal(proto_encode_result_end(frame, sizeof(frame), 1, &e),
	    -1);
	e.flags = 0;
	n = proto_encode_result_end(frame, sizeof(frame), 1, &e);
	decode_hdr(frame, n, LG_MSG_RESULT_END, 1, &hdr);
	p[1] = LG_ERR_COUNT;
	assert_int_equal(proto_decode_result_end(p, hdr.length, &e), -1);
	p[1] = 0;
	p[2] = 0x80;
	assert_int_equal(proto_decode_result_end(p, hdr.length, &e), -1);

	memset(&s, 0, sizeof(s));
	s.state = ROUTER_STATE_LAST + 1;
	assert_int_equal(proto_encode_router_status(frame, sizeof(frame), 1,
	    &s), -1);
	s.state = 0;
	n = proto_encode_router_status(frame, sizeof(frame), 1, &s);
	decode_hdr(frame, n, LG_MSG_ROUTER_STATUS, 1, &hdr);
	p[2] = ROUTER_STATE_LAST + 1;
	assert_int_equal(proto_decode_router_status(p, hdr.length, &s), -1);
}

/* A NUL or a control byte slipped into a string of a valid frame. */
static void
test_string_injection(void **state)
{
	struct lg_frame_hdr	 hdr;
	struct lg_msg_query	 q;
	uint8_t			*p = frame + LG_FRAME_HDR_SIZE;
	static const uint8_t	 bad[] = { 0, 1, '\r', '\n', '\t', 0x1b, 0x7f };
	size_t			 i;
	ssize_t			 n;

	(void)state;
	memset(&q, 0, sizeof(q));
	lg_strlcpy(q.router, "edge", sizeof(q.router));
	n = proto_encode_query(frame, sizeof(frame), 1, &q);
	decode_hdr(frame, n, LG_MSG_QUERY, 1, &hdr);
	for (i = 0; i < sizeof(bad); i++) {
		p[4] = bad[i];		/* "edge" starts at p + 2 */
		assert_int_equal(proto_decode_query(p, hdr.length, &q), -1);
	}
	p[4] = 'g';
	assert_int_equal(proto_decode_query(p, hdr.length, &q), 0);
	assert_string_equal(q.router, "edge");
}

/* A stream of every sample frame, and what the reader must give back. */
static size_t
sample_stream(uint8_t *out, size_t outlen, size_t *offs, int *nframes)
{
	size_t		 len = 0;
	ssize_t		 n;
	int		 i;

	for (i = 0; i < NSAMPLES; i++) {
		n = sample_encode(i, out + len, outlen - len);
		assert_true(n > 0);
		offs[i] = len;
		len += (size_t)n;
	}
	offs[NSAMPLES] = len;
	*nframes = NSAMPLES;
	return len;
}

static uint8_t	 stream[4 * LG_FRAME_MAX];

/* Feeds stream[0, len) in chunks chosen by next_chunk; checks each frame. */
static int
feed(struct lg_frame_reader *r, size_t len, const size_t *offs,
    int nframes, size_t (*next_chunk)(void))
{
	struct lg_frame_hdr	 hdr, want;
	const uint8_t		*payload;
	uint8_t			*space;
	size_t			 pos = 0, room, n;
	int			 got = 0, rv;

	proto_reader_init(r);
	while (pos < len || got < nframes) {
		while ((rv = proto_reader_next(r, &hdr, &payload)) == 1) {
			assert_true(got < nframes);
			assert_int_equal(proto_hdr_decode(stream + offs[got],
			    &want), 0);
			assert_memory_equal(&hdr, &want, sizeof(hdr));
			assert_int_equal(offs[got + 1] - offs[got],
			    LG_FRAME_HDR_SIZE + hdr.length);
			assert_memory_equal(payload, stream + offs[got] +
			    LG_FRAME_HDR_SIZE, hdr.length);
			got++;
		}
		if (rv == -1)
			return got;
		if (pos == len)
			break;
		space = proto_reader_space(r, &room);
		assert_true(room > 0);
		n = next_chunk();
		if (n > room)
			n = room;
		if (n > len - pos)
			n = len - pos;
		memcpy(space, stream + pos, n);
		proto_reader_filled(r, n);
		pos += n;
	}
	return got;
}

static uint64_t	 rng_state;

static size_t
chunk_one(void)
{
	return 1;
}

static size_t
chunk_all(void)
{
	return SIZE_MAX;
}

/* xorshift64: repeatable splits, a different pattern for every seed. */
static size_t
chunk_random(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	switch (rng_state % 4) {
	case 0:
		return 1 + rng_state % 16;
	case 1:
		return 1 + rng_state % LG_FRAME_HDR_SIZE * 2;
	default:
		return 1 + (rng_state >> 8) % (LG_FRAME_MAX + 100);
	}
}

static void
test_reader_splits(void **state)
{
	static struct lg_frame_reader	 r;
	size_t				 offs[NSAMPLES + 1], len;
	int				 n, seed;

	(void)state;
	len = sample_stream(stream, sizeof(stream), offs, &n);
	assert_true(len > LG_FRAME_MAX);	/* the buffer must wrap */
	assert_int_equal(feed(&r, len, offs, n, chunk_all), n);
	assert_int_equal(feed(&r, len, offs, n, chunk_one), n);
	for (seed = 1; seed <= 200; seed++) {
		rng_state = 0x9e3779b97f4a7c15ULL * (uint64_t)seed;
		assert_int_equal(feed(&r, len, offs, n, chunk_random), n);
	}
}

/* Frames of the largest size back to back fill the buffer exactly. */
static void
test_reader_max_frames(void **state)
{
	static struct lg_frame_reader	 r;
	size_t				 offs[5], len = 0;
	ssize_t				 m;
	int				 i;

	(void)state;
	for (i = 0; i < 4; i++) {
		offs[i] = len;
		m = proto_encode_hello(stream + len, sizeof(stream) - len,
		    fill(LG_PAYLOAD_MAX - 4, (char)('a' + i)));
		assert_int_equal(m, LG_FRAME_MAX);
		len += (size_t)m;
	}
	offs[4] = len;
	assert_int_equal(feed(&r, len, offs, 4, chunk_all), 4);
	assert_int_equal(feed(&r, len, offs, 4, chunk_one), 4);
	rng_state = 42;
	assert_int_equal(feed(&r, len, offs, 4, chunk_random), 4);
}

/* A bad header after good frames: they come out, then -1, for good. */
static void
test_reader_malformed(void **state)
{
	static struct lg_frame_reader	 r;
	struct lg_frame_hdr		 hdr = { 0, 0, 0, 0 };
	const uint8_t			*payload;
	size_t				 offs[NSAMPLES + 1], len, good;
	int				 n;

	(void)state;
	len = sample_stream(stream, sizeof(stream), offs, &n);
	good = offs[3];
	proto_hdr_encode(&hdr, stream + good);
	assert_int_equal(feed(&r, len, offs, n, chunk_one), 3);
	assert_int_equal(proto_reader_next(&r, &hdr, &payload), -1);
	rng_state = 7;
	assert_int_equal(feed(&r, len, offs, n, chunk_random), 3);

	/* An oversized length is refused from the header alone. */
	hdr = (struct lg_frame_hdr){ LG_MSG_QUERY, 0, LG_PAYLOAD_MAX + 1, 1 };
	proto_hdr_encode(&hdr, stream);
	assert_int_equal(feed(&r, LG_FRAME_HDR_SIZE, offs, 0, chunk_all), 0);
	assert_int_equal(proto_reader_next(&r, &hdr, &payload), -1);
}

/* Queue frames on a non-blocking socket pair until it blocks, drain. */
static void
test_queue_flush(void **state)
{
	static struct lg_frame_reader	 r;
	struct lg_frame_hdr		 hdr;
	const uint8_t			*payload;
	struct lg_buf			 q;
	uint8_t				*space;
	size_t				 room;
	ssize_t				 n;
	uint32_t			 sent = 0, got = 0;
	int				 sv[2], rv;

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
	    sv), 0);
	buf_init(&q, 4 * LG_FRAME_MAX);
	proto_reader_init(&r);
	for (;;) {
		n = proto_encode_result_data(frame, sizeof(frame), sent,
		    fill(LG_DATA_CHUNK_MAX, 'd'), LG_DATA_CHUNK_MAX);
		if (proto_queue_frame(&q, frame, (size_t)n) == -1)
			break;
		sent++;
		if ((rv = proto_flush(sv[0], &q)) == 1)
			break;
		assert_int_equal(rv, 0);
	}
	assert_true(sent > 2);
	while (got < sent) {
		space = proto_reader_space(&r, &room);
		n = read(sv[1], space, room);
		assert_true(n > 0);
		proto_reader_filled(&r, (size_t)n);
		while (proto_reader_next(&r, &hdr, &payload) == 1) {
			assert_int_equal(hdr.type, LG_MSG_RESULT_DATA);
			assert_int_equal(hdr.request_id, got);
			got++;
		}
		rv = proto_flush(sv[0], &q);
		assert_true(rv == 0 || rv == 1);
	}
	assert_int_equal(q.len, 0);

	/* The cap: a frame that does not fit is not queued at all. */
	buf_reset(&q);
	q.cap = LG_FRAME_HDR_SIZE + 10;
	n = proto_encode_result_data(frame, sizeof(frame), 1, "0123456789",
	    10);
	assert_int_equal(proto_queue_frame(&q, frame, (size_t)n), 0);
	assert_int_equal(proto_queue_frame(&q, frame, 1), -1);
	assert_int_equal(q.len, (size_t)n);

	/* The peer is gone: an error, EPIPE, and no SIGPIPE. */
	close(sv[1]);
	assert_int_equal(proto_flush(sv[0], &q), -1);
	assert_int_equal(errno, EPIPE);
	close(sv[0]);
	buf_free(&q);
}

static int
write_corpus(const char *dir)
{
	char		 path[LG_PATH_MAX];
	ssize_t		 n;
	FILE		*f;
	int		 i;

	for (i = 0; i < NSAMPLES; i++) {
		n = sample_encode(i, frame, sizeof(frame));
		snprintf(path, sizeof(path), "%s/%02d-%s", dir, i,
		    proto_msg_name((uint16_t)(frame[0] << 8 | frame[1])));
		if ((f = fopen(path, "wb")) == NULL)
			return -1;
		fwrite(frame, 1, (size_t)n, f);
		if (fclose(f) != 0)
			return -1;
	}
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hdr_layout),
		cmocka_unit_test(test_hdr_every_type),
		cmocka_unit_test(test_hdr_refused),
		cmocka_unit_test(test_router_state_names),
		cmocka_unit_test(test_cursor_ints),
		cmocka_unit_test(test_cursor_sticky),
		cmocka_unit_test(test_cursor_strings),
		cmocka_unit_test(test_cursor_string_bytes),
		cmocka_unit_test(test_text_clean),
		cmocka_unit_test(test_roundtrip_hello),
		cmocka_unit_test(test_roundtrip_query),
		cmocka_unit_test(test_query_user),
		cmocka_unit_test(test_roundtrip_small),
		cmocka_unit_test(test_roundtrip_router),
		cmocka_unit_test(test_roundtrip_end),
		cmocka_unit_test(test_roundtrip_result),
		cmocka_unit_test(test_roundtrip_data),
		cmocka_unit_test(test_roundtrip_parsed),
		cmocka_unit_test(test_roundtrip_status),
		cmocka_unit_test(test_roundtrip_hostkey),
		cmocka_unit_test(test_truncations),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_string_injection),
		cmocka_unit_test(test_reader_splits),
		cmocka_unit_test(test_reader_max_frames),
		cmocka_unit_test(test_reader_malformed),
		cmocka_unit_test(test_queue_flush),
	};
	const char	*corpus;

	signal(SIGPIPE, SIG_DFL);
	if ((corpus = getenv("LG_FRAME_CORPUS")) != NULL &&
	    write_corpus(corpus) == -1) {
		fprintf(stderr, "cannot write the corpus in %s\n", corpus);
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
