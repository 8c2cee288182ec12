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
 * Unit tests of the two registries every program shares: error codes
 * (src/lib/err.c) with their names and HTTP statuses (DESIGN.md section
 * 6), and query types and address families (src/lib/query.c) with their
 * names and what each accepts (DESIGN.md section 2).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lg.h"

static void
test_err_names_roundtrip(void **state)
{
	enum lg_err	 e;
	unsigned int	 i, j;

	(void)state;
	for (i = 0; i < LG_ERR_COUNT; i++) {
		e = (enum lg_err)i;
		assert_non_null(lg_err_name(e));
		assert_true(strlen(lg_err_name(e)) > 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(lg_err_name(e),
			    lg_err_name((enum lg_err)j));
	}
	assert_string_equal(lg_err_name(LG_OK), "ok");
	assert_string_equal(lg_err_name(LG_ERR_BAD_QUERY), "bad_query");
	assert_string_equal(lg_err_name(LG_ERR_TIMEOUT), "timeout");
}

/* The mapping DESIGN.md section 6 prescribes, code by code. */
static void
test_err_http(void **state)
{
	static const struct {
		enum lg_err	 e;
		int		 status;
	} want[] = {
		{ LG_OK, 200 },
		{ LG_ERR_BAD_QUERY, 400 },
		{ LG_ERR_DENIED, 403 },
		{ LG_ERR_UNKNOWN_ROUTER, 404 },
		{ LG_ERR_UNKNOWN_TYPE, 404 },
		{ LG_ERR_RATE_LIMITED, 429 },
		{ LG_ERR_UNSUPPORTED, 501 },
		{ LG_ERR_UNREACHABLE, 502 },
		{ LG_ERR_AUTH, 502 },
		{ LG_ERR_HOSTKEY, 502 },
		{ LG_ERR_ROUTER_DOWN, 502 },
		{ LG_ERR_COMMAND_FAILED, 502 },
		{ LG_ERR_BUSY, 503 },
		{ LG_ERR_BROKER_UNAVAILABLE, 503 },
		{ LG_ERR_TIMEOUT, 504 },
		{ LG_ERR_INTERNAL, 500 },
	};
	size_t		 i;
	unsigned int	 e;
	int		 s;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(lg_err_http_status(want[i].e),
		    want[i].status);
	/* Every code maps to some status a client can read. */
	for (e = 0; e < LG_ERR_COUNT; e++) {
		s = lg_err_http_status((enum lg_err)e);
		assert_true(s >= 200 && s <= 599);
		assert_true((e == LG_OK) == (s == 200));
	}
}

/* A code from a newer peer, or garbage, is an internal error. */
static void
test_err_out_of_range(void **state)
{
	(void)state;
	assert_string_equal(lg_err_name(LG_ERR_COUNT), "internal");
	assert_string_equal(lg_err_name((enum lg_err)1000), "internal");
	assert_int_equal(lg_err_http_status(LG_ERR_COUNT), 500);
	assert_int_equal(lg_err_http_status((enum lg_err)-1), 500);
}

static void
test_query_names_roundtrip(void **state)
{
	const struct lg_query_info	*qi;
	enum lg_query_type		 q, back;
	unsigned int			 i, j;

	(void)state;
	for (i = 0; i < Q_COUNT; i++) {
		q = (enum lg_query_type)i;
		assert_non_null(qi = query_info(q));
		assert_int_equal(qi->type, q);
		assert_string_equal(qi->name, query_name(q));
		assert_non_null(qi->label);
		assert_true(qi->deadline_ms > 0);
		back = Q_COUNT;
		assert_int_equal(query_from_name(qi->name, &back), 0);
		assert_int_equal(back, q);
		for (j = 0; j < i; j++)
			assert_string_not_equal(qi->name,
			    query_name((enum lg_query_type)j));
	}
}

/* The names are the contract of DESIGN.md section 2. */
static void
test_query_contract(void **state)
{
	static const struct {
		enum lg_query_type	 q;
		const char		*name;
		unsigned int		 targets;
	} want[] = {
		{ Q_BGP_ROUTE, "bgp_route",
		    1U << TGT_ADDRESS | 1U << TGT_PREFIX },
		{ Q_ROUTE, "route", 1U << TGT_ADDRESS | 1U << TGT_PREFIX },
		{ Q_BGP_COMMUNITY, "bgp_community", 1U << TGT_COMMUNITY },
		{ Q_BGP_ASPATH, "bgp_aspath", 1U << TGT_ASPATH },
		{ Q_BGP_SUMMARY, "bgp_summary", 1U << TGT_NONE },
		{ Q_PING, "ping", 1U << TGT_ADDRESS | 1U << TGT_HOSTNAME },
		{ Q_TRACEROUTE, "traceroute",
		    1U << TGT_ADDRESS | 1U << TGT_HOSTNAME },
		{ Q_BGP_NEIGHBORS, "bgp_neighbors", 1U << TGT_ADDRESS },
	};
	const struct lg_query_info	*qi;
	size_t				 i;

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), Q_COUNT);
	for (i = 0; i < Q_COUNT; i++) {
		qi = query_info(want[i].q);
		assert_string_equal(qi->name, want[i].name);
		assert_int_equal(qi->targets, want[i].targets);
	}
	/* Ping and traceroute are not cached by default; lookups are. */
	assert_int_equal(query_info(Q_PING)->cache_ttl, 0);
	assert_int_equal(query_info(Q_TRACEROUTE)->cache_ttl, 0);
	assert_true(query_info(Q_BGP_ROUTE)->cache_ttl > 0);
	/* A community runs once per family unless afi picks one. */
	assert_int_equal(query_info(Q_BGP_COMMUNITY)->afi_both, 1);
	assert_int_equal(query_info(Q_BGP_ROUTE)->afi_both, 0);
	/* bgp_neighbors is off unless the operator enables it. */
	assert_int_equal(Q_MASK_DEFAULT & Q_MASK(Q_BGP_NEIGHBORS), 0);
	assert_int_equal(Q_MASK_DEFAULT | Q_MASK(Q_BGP_NEIGHBORS),
	    Q_MASK_ALL);
}

static void
test_query_unknown(void **state)
{
	static const char *const bad[] = { "", "BGP_ROUTE", "bgp-route",
	    "bgp_route ", "bgp", "show", "unknown", "ping6" };
	enum lg_query_type	 q = Q_PING;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(query_from_name(bad[i], &q), -1);
		assert_int_equal(q, Q_PING);
	}
	assert_null(query_info(Q_COUNT));
	assert_null(query_info((enum lg_query_type)-1));
	assert_string_equal(query_name(Q_COUNT), "unknown");
}

static void
test_afi_names(void **state)
{
	static const char *const bad[] = { "IPv4", "ipv5", "inet", "4",
	    "any ", "bothh" };
	enum lg_afi	 afi;
	unsigned int	 i;

	(void)state;
	for (i = AFI_ANY; i <= AFI_IPV6; i++) {
		afi = (enum lg_afi)7;
		assert_int_equal(afi_from_name(afi_name((enum lg_afi)i), &afi),
		    0);
		assert_int_equal(afi, i);
	}
	assert_string_equal(afi_name(AFI_IPV4), "ipv4");
	assert_string_equal(afi_name(AFI_IPV6), "ipv6");
	assert_string_equal(afi_name(AFI_ANY), "any");
	assert_string_equal(afi_name((enum lg_afi)3), "any");
	afi = AFI_IPV4;
	assert_int_equal(afi_from_name("both", &afi), 0);
	assert_int_equal(afi, AFI_ANY);
	afi = AFI_IPV4;
	assert_int_equal(afi_from_name("", &afi), 0);
	assert_int_equal(afi, AFI_ANY);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		afi = AFI_IPV6;
		assert_int_equal(afi_from_name(bad[i], &afi), -1);
		assert_int_equal(afi, AFI_IPV6);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_names_roundtrip),
		cmocka_unit_test(test_err_http),
		cmocka_unit_test(test_err_out_of_range),
		cmocka_unit_test(test_query_names_roundtrip),
		cmocka_unit_test(test_query_contract),
		cmocka_unit_test(test_query_unknown),
		cmocka_unit_test(test_afi_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
