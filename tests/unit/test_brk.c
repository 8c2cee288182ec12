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
 * Unit tests for src/lgwebd/broker.c, lgwebd's client of the broker
 * socket.  The test plays the broker's side of a real Unix socket with the
 * protocol's own codecs: the HELLO exchange and the router list, queries
 * multiplexed by request id and answered out of order, the in-flight
 * cap, WINDOW grants (explicit and automatic), CANCEL, late frames for a
 * cancelled query, the deadline, a peer that goes away, a malformed frame
 * and a version mismatch, and reconnection after each.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "lg.h"
#include "lg_proto.h"
#include "lgwebd/web.h"

#define WAIT_MS		6000
#define BIG_PARSED	(300 * 1024)	/* past what lgwebd reads whole */

struct rec {
	pthread_mutex_t	 lock;
	char		 log[4096];	/* "B:cmd D:text E:err/flags " */
	int		 ended;
	int		 stop_data;	/* on_data returns -1 */
};

static char		 sockpath[128];
static char		 tmpdir[64];
static int		 lfd = -1;
static int		 peer = -1;

static void
rec_add(struct rec *r, const char *fmt, ...)
{
	va_list	 ap;
	size_t	 n;

	pthread_mutex_lock(&r->lock);
	n = strlen(r->log);
	va_start(ap, fmt);
	vsnprintf(r->log + n, sizeof(r->log) - n, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&r->lock);
}

static void
on_begin(struct brk_query *q, const char *cmd)
{
	rec_add(q->arg, "B:%s ", cmd);
}

static int
on_data(struct brk_query *q, const uint8_t *p, size_t len)
{
	struct rec	*r = q->arg;

	rec_add(r, "D:%.*s ", (int)len, (const char *)p);
	return r->stop_data ? -1 : 0;
}

static void
on_end(struct brk_query *q, const struct lg_msg_result_end *e)
{
	struct rec	*r = q->arg;

	rec_add(r, "E:%s/%u ", lg_err_name((enum lg_err)e->error), e->flags);
	pthread_mutex_lock(&r->lock);
	r->ended++;
	pthread_mutex_unlock(&r->lock);
}

static void
on_parsed(struct brk_query *q, char *p, size_t len)
{
	assert_int_equal(strlen(p), len);
	if (len > 200)
		rec_add(q->arg, "P:%zu bytes %c%c %c%c ", len, p[0],
		    p[len - 1], p[6], p[7]);
	else
		rec_add(q->arg, "P:%.*s ", (int)len, p);
	free(p);
}

static const struct brk_ops ops = { on_begin, on_data, on_end, NULL,
    on_parsed };

static void
query_init(struct brk_query *q, struct rec *r, const char *router)
{
	memset(q, 0, sizeof(*q));
	memset(r, 0, sizeof(*r));
	pthread_mutex_init(&r->lock, NULL);
	q->ops = &ops;
	q->arg = r;
	lg_strlcpy(q->msg.router, router, sizeof(q->msg.router));
	q->msg.type = Q_BGP_ROUTE;
	lg_strlcpy(q->msg.target, "1.0.4.0/24", sizeof(q->msg.target));
	lg_strlcpy(q->msg.client, "198.18.0.1", sizeof(q->msg.client));
}

static const char *
rec_log(struct rec *r, char *buf, size_t len)
{
	pthread_mutex_lock(&r->lock);
	lg_strlcpy(buf, r->log, len);
	pthread_mutex_unlock(&r->lock);
	return buf;
}

/* Waits until the record's log equals want. */
static void
wait_log(struct rec *r, const char *want)
{
	char	 got[4096];
	int	 i;

	for (i = 0; i < WAIT_MS / 10; i++) {
		if (strcmp(rec_log(r, got, sizeof(got)), want) == 0)
			return;
		usleep(10000);
	}
	assert_string_equal(rec_log(r, got, sizeof(got)), want);
}

static void
send_frame(const uint8_t *f, ssize_t len)
{
	assert_true(len > 0);
	assert_int_equal(write(peer, f, (size_t)len), len);
}

/* Reads one frame; the payload goes to buf.  -1 on EOF or timeout. */
static int
recv_frame(struct lg_frame_hdr *h, uint8_t *buf, int timeout)
{
	struct pollfd	 pfd = { .fd = peer, .events = POLLIN };
	uint8_t		 hdr[LG_FRAME_HDR_SIZE];
	size_t		 got = 0, want = sizeof(hdr);
	uint8_t		*dst = hdr;
	ssize_t		 n;

	for (;;) {
		while (got < want) {
			if (poll(&pfd, 1, timeout) != 1)
				return -1;
			if ((n = read(peer, dst + got, want - got)) <= 0)
				return -1;
			got += (size_t)n;
		}
		if (dst == buf)
			return 0;
		assert_int_equal(proto_hdr_decode(hdr, h), 0);
		if (h->length == 0)
			return 0;
		dst = buf;
		got = 0;
		want = h->length;
	}
}

static void
expect_frame(uint16_t type, struct lg_frame_hdr *h, uint8_t *buf)
{
	assert_int_equal(recv_frame(h, buf, WAIT_MS), 0);
	assert_string_equal(proto_msg_name(h->type), proto_msg_name(type));
}

static void
wait_connected(int up)
{
	int	 i;

	for (i = 0; i < WAIT_MS / 10 && brk_connected() != up; i++)
		usleep(10000);
	assert_int_equal(brk_connected(), up);
}

static void
wait_routers(void)
{
	struct lg_msg_router	*rs = NULL;
	size_t			 n;
	int			 i, rv = -1;

	for (i = 0; i < WAIT_MS / 10; i++) {
		if ((rv = brk_routers(&rs, &n)) == 0)
			break;
		usleep(10000);
	}
	assert_int_equal(rv, 0);
	free(rs);
}

/* Accepts the client and plays the broker's side of the start. */
static void
handshake(uint16_t version)
{
	struct pollfd		 pfd = { .fd = lfd, .events = POLLIN };
	struct lg_frame_hdr	 h;
	struct lg_msg_router	 r = { 0 };
	struct lg_msg_rpki_status c = { 0 };
	uint8_t			 buf[LG_FRAME_MAX], f[LG_FRAME_MAX];
	uint16_t		 v;
	char			 sw[LG_TEXT_MAX];
	ssize_t			 n;

	assert_int_equal(poll(&pfd, 1, WAIT_MS), 1);
	assert_true((peer = accept(lfd, NULL, NULL)) != -1);
	expect_frame(LG_MSG_HELLO, &h, buf);
	assert_int_equal(proto_decode_hello(buf, h.length, &v, sw,
	    sizeof(sw)), 0);
	assert_int_equal(v, LG_PROTO_VERSION);
	assert_string_equal(sw, WEB_SOFTWARE);
	n = proto_encode_hello(f, sizeof(f), "test broker");
	if (version != LG_PROTO_VERSION)
		f[LG_FRAME_HDR_SIZE + 1] = (uint8_t)version;	/* u16 BE */
	send_frame(f, n);
	if (version != LG_PROTO_VERSION)
		return;
	expect_frame(LG_MSG_LIST_ROUTERS, &h, buf);
	lg_strlcpy(r.name, "r1", sizeof(r.name));
	lg_strlcpy(r.vendor, "Test", sizeof(r.vendor));
	r.queries = Q_MASK(Q_BGP_ROUTE);
	r.state = ROUTER_STATE_UP;
	send_frame(f, proto_encode_router(f, sizeof(f), h.request_id, &r));
	send_frame(f, proto_encode_end(f, sizeof(f), h.request_id, LG_OK, ""));
	/* After each router list, the RTR caches (for /metrics). */
	expect_frame(LG_MSG_RPKI, &h, buf);
	lg_strlcpy(c.cache, "127.0.0.1:3323", sizeof(c.cache));
	c.preference = 1;
	c.state = RPKI_CACHE_UP;
	c.serial = 7;
	c.vrps4 = 100;
	c.vrps6 = 20;
	send_frame(f, proto_encode_rpki_status(f, sizeof(f), h.request_id,
	    &c));
	send_frame(f, proto_encode_end(f, sizeof(f), h.request_id, LG_OK, ""));
	wait_connected(1);
	wait_routers();
}

static void
drop_peer(void)
{
	close(peer);
	peer = -1;
}

static struct lg_config	 brk_conf;

static int
setup(void **state)
{
	char	 err[256];

	(void)state;
	strcpy(tmpdir, "/tmp/lg-brk.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	snprintf(sockpath, sizeof(sockpath), "%s/broker.sock", tmpdir);
	lfd = sock_listen_unix(sockpath, 0600, NULL, err, sizeof(err));
	assert_true(lfd != -1);
	sock_set_nonblock(lfd, 0);
	memset(&brk_conf, 0, sizeof(brk_conf));
	strcpy(brk_conf.broker.socket, sockpath);
	brk_conf.web.max_inflight = 2;
	assert_int_equal(brk_start(&brk_conf), 0);
	handshake(LG_PROTO_VERSION);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	brk_stop();
	if (peer != -1)
		drop_peer();
	close(lfd);
	unlink(sockpath);
	rmdir(tmpdir);
	return 0;
}

/* A query on router submitted and its QUERY frame read by the broker. */
static void
query_sent(struct brk_query *q, struct rec *r, const char *router)
{
	struct lg_frame_hdr	 h;
	uint8_t			 buf[LG_FRAME_MAX];

	query_init(q, r, router);
	assert_int_equal(brk_submit(q), LG_OK);
	expect_frame(LG_MSG_QUERY, &h, buf);
}

static void
test_routers(void **state)
{
	struct lg_msg_router	*rs;
	size_t			 n;

	(void)state;
	assert_int_equal(brk_routers(&rs, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(rs[0].name, "r1");
	assert_int_equal(rs[0].state, ROUTER_STATE_UP);
	free(rs);
}

/* The RTR caches the broker reported after the router list. */
static void
test_rpki(void **state)
{
	struct lg_msg_rpki_status	*cs = NULL;
	size_t				 n = 0;
	int				 i;

	(void)state;
	for (i = 0; i < WAIT_MS / 10 && n == 0; i++) {
		free(cs);
		assert_int_equal(brk_rpki(&cs, &n), 0);
		if (n == 0)
			usleep(10000);
	}
	assert_int_equal(n, 1);
	assert_string_equal(cs[0].cache, "127.0.0.1:3323");
	assert_int_equal(cs[0].state, RPKI_CACHE_UP);
	assert_int_equal(cs[0].serial, 7);
	assert_int_equal(cs[0].vrps4, 100);
	assert_int_equal(cs[0].vrps6, 20);
	free(cs);
}

static void
test_multiplex(void **state)
{
	struct brk_query		 q1, q2, q3;
	struct rec			 r1, r2, r3;
	struct lg_msg_query		 m;
	struct lg_msg_result_end	 end = { 0 };
	struct lg_frame_hdr		 h;
	uint8_t				 buf[LG_FRAME_MAX], f[LG_FRAME_MAX];
	uint32_t			 id1, id2, more;

	(void)state;
	query_init(&q1, &r1, "r1");
	query_init(&q2, &r2, "r2");
	query_init(&q3, &r3, "r3");
	assert_int_equal(brk_submit(&q1), LG_OK);
	assert_int_equal(brk_submit(&q2), LG_OK);
	/* web.max_inflight = 2 */
	assert_int_equal(brk_submit(&q3), LG_ERR_BUSY);
	assert_int_equal(brk_inflight(), 2);

	expect_frame(LG_MSG_QUERY, &h, buf);
	assert_int_equal(proto_decode_query(buf, h.length, &m), 0);
	assert_string_equal(m.router, "r1");
	assert_string_equal(m.target, "1.0.4.0/24");
	assert_string_equal(m.client, "198.18.0.1");
	id1 = h.request_id;
	expect_frame(LG_MSG_QUERY, &h, buf);
	assert_int_equal(proto_decode_query(buf, h.length, &m), 0);
	assert_string_equal(m.router, "r2");
	id2 = h.request_id;
	assert_true(id1 != 0 && id2 != 0 && id1 != id2);

	/* Answers interleaved and out of order reach the right query. */
	send_frame(f, proto_encode_result_begin(f, sizeof(f), id2, "r2",
	    "show two"));
	send_frame(f, proto_encode_result_begin(f, sizeof(f), id1, "r1",
	    "show one"));
	send_frame(f, proto_encode_result_data(f, sizeof(f), id1, "aaa", 3));
	send_frame(f, proto_encode_result_data(f, sizeof(f), id2, "bbb", 3));
	end.runtime_ms = 7;
	send_frame(f, proto_encode_result_end(f, sizeof(f), id2, &end));
	end.flags = LG_RESULT_TRUNCATED;
	send_frame(f, proto_encode_result_end(f, sizeof(f), id1, &end));
	wait_log(&r1, "B:show one D:aaa E:ok/1 ");
	wait_log(&r2, "B:show two D:bbb E:ok/0 ");
	assert_int_equal(brk_inflight(), 0);

	/* An id that is no longer in flight is ignored. */
	send_frame(f, proto_encode_result_data(f, sizeof(f), id1, "zzz", 3));

	/* WINDOW grants. */
	assert_int_equal(brk_submit(&q3), LG_OK);
	expect_frame(LG_MSG_QUERY, &h, buf);
	brk_window(&q3, 4096);
	expect_frame(LG_MSG_WINDOW, &h, buf);
	assert_int_equal(proto_decode_window(buf, h.length, &more), 0);
	assert_int_equal(more, 4096);
	assert_int_equal(h.request_id, q3.id);

	/* CANCEL is a barrier: nothing arrives after it. */
	assert_int_equal(brk_cancel(&q3), 1);
	expect_frame(LG_MSG_CANCEL, &h, buf);
	assert_int_equal(h.request_id, q3.id);
	assert_int_equal(brk_cancel(&q3), 0);
	send_frame(f, proto_encode_result_data(f, sizeof(f), h.request_id,
	    "late", 4));
	end.error = LG_ERR_CANCELLED;
	send_frame(f, proto_encode_result_end(f, sizeof(f), h.request_id,
	    &end));
	usleep(100000);
	wait_log(&r3, "");
	test_routers(state);	/* the connection is still fine */
}

static void
test_autogrant_and_cut(void **state)
{
	struct brk_query		 q;
	struct rec			 r;
	struct lg_msg_result_end	 end = { 0 };
	struct lg_frame_hdr		 h;
	uint8_t				 buf[LG_FRAME_MAX], f[LG_FRAME_MAX];
	uint32_t			 more;

	(void)state;
	query_init(&q, &r, "r1");
	q.autogrant = 1;
	assert_int_equal(brk_submit(&q), LG_OK);
	expect_frame(LG_MSG_QUERY, &h, buf);
	send_frame(f, proto_encode_result_data(f, sizeof(f), q.id,
	    "0123456789", 10));
	expect_frame(LG_MSG_WINDOW, &h, buf);
	assert_int_equal(proto_decode_window(buf, h.length, &more), 0);
	assert_int_equal(more, 10);

	/* on_data says stop: CANCEL, and the end is a truncated success. */
	r.stop_data = 1;
	send_frame(f, proto_encode_result_data(f, sizeof(f), q.id, "x", 1));
	expect_frame(LG_MSG_CANCEL, &h, buf);
	send_frame(f, proto_encode_result_data(f, sizeof(f), q.id, "y", 1));
	end.error = LG_ERR_CANCELLED;
	send_frame(f, proto_encode_result_end(f, sizeof(f), q.id, &end));
	wait_log(&r, "D:0123456789 D:x E:ok/1 ");
}

/*
 * RESULT_PARSED: pieces joined and handed over once, before the end, each
 * granted back at once; a control byte inside is a protocol violation; a
 * joined text that is not a JSON object becomes an error object; a query
 * without one gets no on_parsed.
 */
static void
test_parsed(void **state)
{
	struct brk_query		 q;
	struct rec			 r;
	struct lg_msg_result_end	 end = { 0 };
	struct lg_frame_hdr		 h;
	uint8_t				 buf[LG_FRAME_MAX], f[LG_FRAME_MAX];
	uint32_t			 more;
	char				*bigtext, want[64];
	size_t				 off, n;

	(void)state;
	query_sent(&q, &r, "r1");
	send_frame(f, proto_encode_result_data(f, sizeof(f), q.id, "txt", 3));
	send_frame(f, proto_encode_result_parsed(f, sizeof(f), q.id,
	    "{\"kind\":", 8));
	expect_frame(LG_MSG_WINDOW, &h, buf);
	assert_int_equal(proto_decode_window(buf, h.length, &more), 0);
	assert_int_equal(more, 8);
	send_frame(f, proto_encode_result_parsed(f, sizeof(f), q.id,
	    "\"bgp_routes\"}", 13));
	expect_frame(LG_MSG_WINDOW, &h, buf);
	send_frame(f, proto_encode_result_end(f, sizeof(f), q.id, &end));
	wait_log(&r, "D:txt P:{\"kind\":\"bgp_routes\"} E:ok/0 ");

	/* Not an object: an error object in the model's shape. */
	query_sent(&q, &r, "r1");
	send_frame(f, proto_encode_result_parsed(f, sizeof(f), q.id,
	    "[1,", 3));
	expect_frame(LG_MSG_WINDOW, &h, buf);
	send_frame(f, proto_encode_result_end(f, sizeof(f), q.id, &end));
	wait_log(&r, "P:{\"error\":\"the parsed answer could not be read\","
	    "\"line\":null} E:ok/0 ");

	/* Past what is read whole: the envelope is checked, bytes that are
	 * not UTF-8 become '?', and the text is handed over as it came. */
	query_sent(&q, &r, "r1");
	bigtext = malloc(BIG_PARSED + 1);
	assert_non_null(bigtext);
	memset(bigtext, 'x', BIG_PARSED);
	memcpy(bigtext, "{\"k\":\"\xff", 7);
	memcpy(bigtext + BIG_PARSED - 2, "\"}", 2);
	for (off = 0; off < BIG_PARSED; off += n) {
		n = BIG_PARSED - off < LG_DATA_CHUNK_MAX ? BIG_PARSED - off :
		    LG_DATA_CHUNK_MAX;
		send_frame(f, proto_encode_result_parsed(f, sizeof(f), q.id,
		    bigtext + off, n));
		expect_frame(LG_MSG_WINDOW, &h, buf);
	}
	free(bigtext);
	send_frame(f, proto_encode_result_end(f, sizeof(f), q.id, &end));
	snprintf(want, sizeof(want), "P:%d bytes {} ?x E:ok/0 ", BIG_PARSED);
	wait_log(&r, want);

	/* None sent: no on_parsed. */
	query_sent(&q, &r, "r1");
	send_frame(f, proto_encode_result_end(f, sizeof(f), q.id, &end));
	wait_log(&r, "E:ok/0 ");

	/* A newline inside a piece: the connection is dropped. */
	query_sent(&q, &r, "r1");
	send_frame(f, proto_encode_result_data(f, sizeof(f), q.id, "{\n}", 3));
	f[1] = LG_MSG_RESULT_PARSED;	/* the same bytes, retyped */
	send_frame(f, LG_FRAME_HDR_SIZE + 3);
	wait_log(&r, "D:{\n} E:broker_unavailable/0 ");
	drop_peer();
	handshake(LG_PROTO_VERSION);
}

static void
test_deadline(void **state)
{
	struct brk_query		 q;
	struct rec			 r;
	struct lg_msg_result_end	 end = { 0 };
	struct lg_frame_hdr		 h;
	uint8_t				 buf[LG_FRAME_MAX], f[LG_FRAME_MAX];

	(void)state;
	query_init(&q, &r, "r1");
	q.deadline_ms = brk_now_ms() + 100;
	assert_int_equal(brk_submit(&q), LG_OK);
	expect_frame(LG_MSG_QUERY, &h, buf);
	expect_frame(LG_MSG_CANCEL, &h, buf);	/* within the next tick */
	assert_int_equal(h.request_id, q.id);
	end.error = LG_ERR_CANCELLED;
	send_frame(f, proto_encode_result_end(f, sizeof(f), q.id, &end));
	wait_log(&r, "E:timeout/0 ");
}

static void
test_loss(void **state)
{
	struct brk_query	 q, q2;
	struct rec		 r, r2;
	struct lg_frame_hdr	 h;
	uint8_t			 buf[LG_FRAME_MAX], f[64];

	(void)state;
	/* The peer goes away: queries in flight end, new ones are refused. */
	query_sent(&q, &r, "r1");
	drop_peer();
	wait_log(&r, "E:broker_unavailable/0 ");
	wait_connected(0);
	query_init(&q2, &r2, "r1");
	assert_int_equal(brk_submit(&q2), LG_ERR_BROKER_UNAVAILABLE);
	handshake(LG_PROTO_VERSION);	/* it comes back */

	/* A malformed header: the client hangs up, the query fails. */
	query_sent(&q, &r, "r1");
	memset(f, 0xff, LG_FRAME_HDR_SIZE);
	send_frame(f, LG_FRAME_HDR_SIZE);
	wait_log(&r, "E:broker_unavailable/0 ");
	assert_int_equal(recv_frame(&h, buf, WAIT_MS), -1);	/* EOF */
	drop_peer();
	handshake(LG_PROTO_VERSION);

	/* A broker speaking another version is left. */
	drop_peer();
	wait_connected(0);
	handshake(LG_PROTO_VERSION + 1);
	assert_int_equal(recv_frame(&h, buf, WAIT_MS), -1);
	assert_int_equal(brk_connected(), 0);
	drop_peer();
	handshake(LG_PROTO_VERSION);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routers),
		cmocka_unit_test(test_rpki),
		cmocka_unit_test(test_multiplex),
		cmocka_unit_test(test_autogrant_and_cut),
		cmocka_unit_test(test_parsed),
		cmocka_unit_test(test_deadline),
		cmocka_unit_test(test_loss),
	};

	log_init(1, 0, "test_brk");
	return cmocka_run_group_tests(tests, setup, teardown);
}
