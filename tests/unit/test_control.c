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
 * control_msg.c and control_req.c on a connection built by hand: frames
 * go in through control_msg_dispatch, and the frames the broker queued
 * are read back from the connection's send queue.  This binary is linked
 * with calloc wrapped (Makefile), so a test can make the next calloc fail.
 */

#include <sys/types.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lg.h"
#include "lg_proto.h"
#include "lgbrokerd/broker.h"

void	*__real_calloc(size_t, size_t);
void	*__wrap_calloc(size_t, size_t);

static int	 calloc_fail;	/* the next calloc returns NULL */

void *
__wrap_calloc(size_t n, size_t size)
{
	if (calloc_fail) {
		calloc_fail = 0;
		return NULL;
	}
	return __real_calloc(n, size);
}

static struct gen	 gen;
static struct broker	 bk;
static struct conn	 conn;

static int
setup(void **state)
{
	size_t	 i;

	(void)state;
	config_defaults(&gen.conf);
	gen.refs = 1;
	bk.gen = &gen;
	TAILQ_INIT(&bk.routers);
	TAILQ_INIT(&bk.draining);
	broker = &bk;
	ev_fake_clock(1);
	assert_int_equal(ev_init(), 0);
	memset(&conn, 0, sizeof(conn));
	conn.fd = -1;
	conn.hello = 1;
	buf_init(&conn.outq, 1024 * 1024);
	TAILQ_INIT(&conn.reqs);
	for (i = 0; i < CONN_HASH; i++)
		LIST_INIT(&conn.hash[i]);
	ev_timer_init(&conn.flush, NULL, NULL);
	ev_timer_init(&conn.reap, NULL, NULL);
	ev_timer_init(&conn.t_hello, NULL, NULL);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	assert_int_equal(conn.nreqs, 0);
	ev_timer_del(&conn.flush);
	buf_free(&conn.outq);
	ev_free();
	config_free(&gen.conf);
	memset(&gen.conf, 0, sizeof(gen.conf));
	return 0;
}

/* Hands the broker a QUERY for router with the given request id. */
static void
send_query(uint32_t id, const char *router)
{
	struct lg_msg_query	 q = { 0 };
	struct lg_frame_hdr	 h;
	uint8_t			 f[LG_FRAME_HDR_SIZE + sizeof(q) + 64];

	lg_strlcpy(q.router, router, sizeof(q.router));
	q.type = Q_BGP_ROUTE;
	q.afi = AFI_ANY;
	lg_strlcpy(q.target, "1.0.0.0/24", sizeof(q.target));
	lg_strlcpy(q.client, "192.0.2.1", sizeof(q.client));
	assert_true(proto_encode_query(f, sizeof(f), id, &q) > 0);
	assert_int_equal(proto_hdr_decode(f, &h), 0);
	control_msg_dispatch(&conn, &h, f + LG_FRAME_HDR_SIZE);
}

/*
 * The one frame the broker queued: a RESULT_END for id, decoded into e.
 */
static void
one_result_end(uint32_t id, struct lg_msg_result_end *e)
{
	struct lg_frame_hdr	 h;

	assert_true(conn.outq.len >= LG_FRAME_HDR_SIZE);
	assert_int_equal(proto_hdr_decode((uint8_t *)conn.outq.data, &h), 0);
	assert_string_equal(proto_msg_name(h.type), "RESULT_END");
	assert_int_equal(h.request_id, id);
	assert_int_equal(conn.outq.len, LG_FRAME_HDR_SIZE + h.length);
	assert_int_equal(proto_decode_result_end((uint8_t *)conn.outq.data +
	    LG_FRAME_HDR_SIZE, h.length, e), 0);
	conn.outq.len = 0;
	assert_false(conn.dead);
}

/* A query for a router the broker does not have ends with its own error. */
static void
test_unknown_router(void **state)
{
	struct lg_msg_result_end e;

	(void)state;
	send_query(7, "nowhere");
	one_result_end(7, &e);
	assert_int_equal(e.error, LG_ERR_UNKNOWN_ROUTER);
}

/*
 * Issue 11: a QUERY the broker cannot allocate for was answered with END,
 * which lgwebd takes as a protocol error dropping every query in flight.
 * It ends with its own RESULT_END carrying the error, and the connection
 * serves on.
 */
static void
test_query_no_memory(void **state)
{
	struct lg_msg_result_end e;

	(void)state;
	calloc_fail = 1;
	send_query(9, "nowhere");
	assert_int_equal(calloc_fail, 0);
	one_result_end(9, &e);
	assert_int_equal(e.error, LG_ERR_INTERNAL);
	assert_string_equal(e.message, "out of memory");
	send_query(10, "nowhere");
	one_result_end(10, &e);
	assert_int_equal(e.error, LG_ERR_UNKNOWN_ROUTER);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_unknown_router, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_query_no_memory, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
