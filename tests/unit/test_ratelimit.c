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
 * Unit tests for src/lgwebd/ratelimit.c: token-bucket arithmetic under an
 * injected clock, IPv6 /64 aggregation, the bounded table and the
 * X-Forwarded-For trust rule.
 */

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "lg.h"
#include "lgwebd/web.h"
#include "web_client.h"


static void
test_bucket(void **state)
{
	struct lg_rate		 rates[Q_COUNT] = { 0 };
	struct ratelimit	*rl;
	struct web_client	 c;
	int			 i;

	(void)state;
	rates[Q_PING].tokens = 10;
	rates[Q_PING].period = 60;		/* one token every 6 s */
	assert_non_null(rl = ratelimit_new(rates, 16));
	client(&c, "198.18.0.1");
	for (i = 0; i < 10; i++)
		assert_int_equal(ratelimit_take(rl, &c, Q_PING, 1, 100.0), 0);
	/* Empty: the next token is 6 s away. */
	assert_int_equal(ratelimit_take(rl, &c, Q_PING, 1, 100.0), 6);
	/* 1 s later, 5 s are left (rounded up: 4.0 s would be wrong). */
	assert_int_equal(ratelimit_take(rl, &c, Q_PING, 1, 101.5), 5);
	assert_int_equal(ratelimit_take(rl, &c, Q_PING, 1, 106.0), 0);
	assert_int_equal(ratelimit_take(rl, &c, Q_PING, 1, 106.0), 6);
	/* Several tokens at once are all or nothing. */
	assert_int_equal(ratelimit_take(rl, &c, Q_PING, 3, 118.0), 6);
	assert_int_equal(ratelimit_take(rl, &c, Q_PING, 2, 118.0), 0);
	/* More than the bucket holds can never succeed: wait a period. */
	assert_int_equal(ratelimit_take(rl, &c, Q_PING, 11, 1000.0), 60);
	/* The refill stops at the capacity. */
	for (i = 0; i < 10; i++)
		assert_int_equal(ratelimit_take(rl, &c, Q_PING, 1, 5000.0),
		    0);
	assert_int_not_equal(ratelimit_take(rl, &c, Q_PING, 1, 5000.0), 0);
	/* Other types have their own buckets; 0 tokens is unlimited. */
	for (i = 0; i < 100; i++)
		assert_int_equal(ratelimit_take(rl, &c, Q_BGP_ROUTE, 1,
		    5000.0), 0);
	ratelimit_free(rl);
}

/*
 * Issue 24.3: router queries in flight are counted per client (IPv6 per
 * /64) and capped; another client keeps its own room; a client with
 * queries running is never forgotten when the table is full.
 */
static void
test_inflight(void **state)
{
	struct lg_rate		 rates[Q_COUNT] = { 0 };
	struct ratelimit	*rl;
	struct web_client	 a, a2, b, o;
	char			 s[64];
	int			 i;

	(void)state;
	assert_non_null(rl = ratelimit_new(rates, 4));
	client(&a, "2001:2::1");
	client(&a2, "2001:2::ffff:1");		/* same /64 */
	client(&b, "198.18.0.1");
	assert_int_equal(ratelimit_enter(rl, &a, 10, 16), 0);
	assert_int_equal(ratelimit_enter(rl, &a2, 6, 16), 0);
	assert_int_equal(ratelimit_enter(rl, &a, 1, 16), -1);
	assert_int_equal(ratelimit_inflight(rl, &a), 16);
	/* More than the cap at once is refused whole. */
	assert_int_equal(ratelimit_enter(rl, &b, 17, 16), -1);
	assert_int_equal(ratelimit_inflight(rl, &b), 0);
	assert_int_equal(ratelimit_enter(rl, &b, 16, 16), 0);
	/* Many other clients pass through the small table... */
	for (i = 0; i < 20; i++) {
		snprintf(s, sizeof(s), "198.18.1.%d", i);
		client(&o, s);
		assert_int_equal(ratelimit_take(rl, &o, Q_PING, 1, 0), 0);
	}
	/* ...and both running clients keep their counts. */
	assert_int_equal(ratelimit_inflight(rl, &a), 16);
	assert_int_equal(ratelimit_inflight(rl, &b), 16);
	ratelimit_leave(rl, &a, 10);
	assert_int_equal(ratelimit_enter(rl, &a2, 10, 16), 0);
	ratelimit_leave(rl, &a, 16);
	ratelimit_leave(rl, &b, 16);
	assert_int_equal(ratelimit_inflight(rl, &a), 0);
	assert_int_equal(ratelimit_inflight(rl, &b), 0);
	ratelimit_free(rl);
}

static void
test_aggregation(void **state)
{
	struct lg_rate		 rates[Q_COUNT] = { 0 };
	struct ratelimit	*rl;
	struct web_client	 a, b, d, v4a, v4b;

	(void)state;
	rates[Q_TRACEROUTE].tokens = 1;
	rates[Q_TRACEROUTE].period = 60;
	assert_non_null(rl = ratelimit_new(rates, 16));
	client(&a, "2001:2::1");
	client(&b, "2001:2:0:0:ffff::2");	/* same /64 */
	client(&d, "2001:2:0:1::1");		/* next /64 */
	client(&v4a, "198.18.0.1");
	client(&v4b, "198.18.0.2");		/* IPv4 is per address */
	assert_int_equal(ratelimit_take(rl, &a, Q_TRACEROUTE, 1, 0), 0);
	assert_int_equal(ratelimit_take(rl, &b, Q_TRACEROUTE, 1, 0), 60);
	assert_int_equal(ratelimit_take(rl, &d, Q_TRACEROUTE, 1, 0), 0);
	assert_int_equal(ratelimit_take(rl, &v4a, Q_TRACEROUTE, 1, 0), 0);
	assert_int_equal(ratelimit_take(rl, &v4b, Q_TRACEROUTE, 1, 0), 0);
	assert_int_equal(ratelimit_size(rl), 4);
	ratelimit_free(rl);
}

static void
test_bounded(void **state)
{
	struct lg_rate		 rates[Q_COUNT] = { 0 };
	struct ratelimit	*rl;
	struct web_client	 c;
	char			 s[32];
	int			 i;

	(void)state;
	rates[Q_PING].tokens = 1;
	rates[Q_PING].period = 3600;
	assert_non_null(rl = ratelimit_new(rates, 4));
	for (i = 0; i < 100; i++) {
		snprintf(s, sizeof(s), "198.18.1.%d", i);
		client(&c, s);
		assert_int_equal(ratelimit_take(rl, &c, Q_PING, 1, 0), 0);
	}
	assert_int_equal(ratelimit_size(rl), 4);
	/* The most recent clients are remembered, the oldest forgotten. */
	assert_int_not_equal(ratelimit_take(rl, &c, Q_PING, 1, 0), 0);
	client(&c, "198.18.1.0");
	assert_int_equal(ratelimit_take(rl, &c, Q_PING, 1, 0), 0);
	ratelimit_free(rl);
}

static void
peer4(struct sockaddr_storage *ss, const char *s)
{
	struct sockaddr_in	*sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	sin->sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, s, &sin->sin_addr), 1);
}

static void
test_client(void **state)
{
	struct lg_prefix	 trusted[2];
	struct sockaddr_storage	 ss;
	struct sockaddr_in6	*sin6 = (struct sockaddr_in6 *)&ss;
	struct web_client	 c;
	char			 err[128];

	(void)state;
	assert_int_equal(prefix_parse("127.0.0.1/32", &trusted[0], err,
	    sizeof(err)), 0);
	assert_int_equal(prefix_parse("198.18.9.0/24", &trusted[1], err,
	    sizeof(err)), 0);

	/* An untrusted peer's header is ignored. */
	peer4(&ss, "198.18.0.7");
	assert_int_equal(ratelimit_client((struct sockaddr *)&ss,
	    "198.18.0.1", trusted, 2, &c), 0);
	assert_string_equal(c.text, "198.18.0.7");

	/* A trusted peer: the rightmost untrusted hop is the client. */
	peer4(&ss, "127.0.0.1");
	assert_int_equal(ratelimit_client((struct sockaddr *)&ss,
	    "198.18.0.66, 198.18.0.5, 198.18.9.4", trusted, 2, &c), 0);
	assert_string_equal(c.text, "198.18.0.5");
	/* A forged leftmost hop changes nothing. */
	assert_int_equal(ratelimit_client((struct sockaddr *)&ss,
	    "garbage, 198.18.0.5", trusted, 2, &c), 0);
	assert_string_equal(c.text, "198.18.0.5");
	/*
	 * Issue 24 item 7: garbage right after the proxies is refused, not
	 * charged to the last proxy; so is an empty hop.
	 */
	assert_int_equal(ratelimit_client((struct sockaddr *)&ss,
	    "198.18.0.5, bogus, 198.18.9.4", trusted, 2, &c), -1);
	assert_int_equal(ratelimit_client((struct sockaddr *)&ss,
	    "198.18.0.5, , 198.18.9.4", trusted, 2, &c), -1);
	assert_int_equal(ratelimit_client((struct sockaddr *)&ss,
	    "198.18.0.5,", trusted, 2, &c), -1);
	/* An IPv4-mapped hop is the IPv4 client, one bucket either way. */
	assert_int_equal(ratelimit_client((struct sockaddr *)&ss,
	    "::ffff:198.18.0.5", trusted, 2, &c), 0);
	assert_string_equal(c.text, "198.18.0.5");
	assert_int_equal(c.family, AFI_IPV4);
	assert_int_equal(ratelimit_client((struct sockaddr *)&ss,
	    "198.18.0.5, ::FFFF:c612:904", trusted, 2, &c), 0);
	assert_string_equal(c.text, "198.18.0.5");
	assert_int_equal(ratelimit_client((struct sockaddr *)&ss, NULL,
	    trusted, 2, &c), 0);
	assert_string_equal(c.text, "127.0.0.1");
	assert_int_equal(ratelimit_client((struct sockaddr *)&ss,
	    "2001:2::5", trusted, 2, &c), 0);
	assert_string_equal(c.text, "2001:2::5");
	assert_int_equal(c.family, AFI_IPV6);

	/* IPv4-mapped peers are IPv4 clients. */
	memset(&ss, 0, sizeof(ss));
	sin6->sin6_family = AF_INET6;
	assert_int_equal(inet_pton(AF_INET6, "::ffff:198.18.0.9",
	    &sin6->sin6_addr), 1);
	assert_int_equal(ratelimit_client((struct sockaddr *)&ss, NULL,
	    trusted, 2, &c), 0);
	assert_string_equal(c.text, "198.18.0.9");
	assert_int_equal(c.family, AFI_IPV4);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bucket),
		cmocka_unit_test(test_inflight),
		cmocka_unit_test(test_aggregation),
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_client),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
