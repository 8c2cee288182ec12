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
 * Unit tests for src/lgwebd/params.c: %-decoding, query-string pairs
 * (repeats, bounds, bad escapes) and JSON bodies (types, duplicates).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lg.h"
#include "lgwebd/web.h"

static void
test_unescape(void **state)
{
	char	 s[64];

	(void)state;
	strcpy(s, "192.0.2.1%2F24");
	assert_int_equal(params_unescape(s), 12);
	assert_string_equal(s, "192.0.2.1/24");
	strcpy(s, "a%zzb");
	params_unescape(s);
	assert_non_null(strchr(s, WEB_BADESC));
	strcpy(s, "a%0");
	params_unescape(s);
	assert_non_null(strchr(s, WEB_BADESC));
	strcpy(s, "x%00y");
	assert_int_equal(params_unescape(s), 3);
	assert_int_equal(s[1], WEB_BADESC);
	strcpy(s, "%41%62");
	params_unescape(s);
	assert_string_equal(s, "Ab");
}

static void
test_query_string(void **state)
{
	struct web_params	 p;

	(void)state;
	params_init(&p);
	assert_int_equal(params_add(&p, "router", "r1,r2"), 0);
	assert_int_equal(params_add(&p, "router", "r3"), 0);
	assert_int_equal(params_add(&p, "TYPE", "bgp_route"), 0);
	assert_int_equal(params_add(&p, "target", "192.0.2.0/24"), 0);
	assert_int_equal(params_add(&p, "afi", "ipv4"), 0);
	assert_int_equal(params_add(&p, "_", "12345"), 0);
	assert_int_equal(params_check(&p), 0);
	assert_int_equal(p.nrouters, 3);
	assert_string_equal(p.routers[2], "r3");
	assert_int_equal(p.type, Q_BGP_ROUTE);
	assert_int_equal(p.afi, AFI_IPV4);
	assert_string_equal(p.target, "192.0.2.0/24");
}

static void
test_repeats_and_errors(void **state)
{
	struct web_params	 p;
	char			 big[WEB_VALUE_MAX + 2];

	(void)state;
	params_init(&p);
	assert_int_equal(params_add(&p, "type", "ping"), 0);
	assert_int_equal(params_add(&p, "type", "ping"), -1);
	assert_int_equal(p.error, LG_ERR_BAD_QUERY);
	assert_string_equal(p.errstr, "type: given more than once");

	params_init(&p);
	assert_int_equal(params_add(&p, "type", "rm -rf"), -1);
	assert_int_equal(p.error, LG_ERR_UNKNOWN_TYPE);
	assert_null(strstr(p.errstr, "rm"));

	params_init(&p);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(params_add(&p, "target", big), -1);

	params_init(&p);
	assert_int_equal(params_add(&p, "target", "1.2.3.4\n"), -1);
	params_init(&p);
	big[0] = WEB_BADESC;
	big[1] = '\0';
	assert_int_equal(params_add(&p, "target", big), -1);
	assert_string_equal(p.errstr, "target: bad percent-encoding");

	params_init(&p);
	assert_int_equal(params_add(&p, "router", "a,,b"), -1);
	params_init(&p);
	assert_int_equal(params_add(&p, "router", "a,a"), -1);
	/* Issue 18: the cap is web.max_routers, set by the caller. */
	params_init(&p);
	p.max = 20;
	assert_int_equal(params_add(&p, "router", "a,b,c,d,e,f,g,h,i,j,"
	    "k,l,m,n,o,p,q,r,s,t"), 0);
	assert_int_equal(p.nrouters, 20);
	params_init(&p);
	p.max = 20;
	assert_int_equal(params_add(&p, "router", "a,b,c,d,e,f,g,h,i,j,"
	    "k,l,m,n,o,p,q,r,s,t,u"), -1);
	/* The message names the cap and its key (lgwebd(8), README). */
	assert_string_equal(p.errstr, "router: too many routers in one query "
	    "(at most 20, web.max_routers)");
	params_init(&p);
	p.max = 2;
	assert_int_equal(params_add(&p, "router", "a,b,c"), -1);
	assert_string_equal(p.errstr, "router: too many routers in one query "
	    "(at most 2, web.max_routers)");
	params_init(&p);
	assert_int_equal(params_add(&p, "router", "<script>"), -1);
	assert_null(strstr(p.errstr, "<"));
	params_init(&p);
	assert_int_equal(params_add(&p, "afi", "ipv5"), -1);

	params_init(&p);
	assert_int_equal(params_add(&p, "router", "r1"), 0);
	assert_int_equal(params_add(&p, "type", "bgp_route"), 0);
	/*
	 * Issue 12 item 8: a missing target is the policy check's to report,
	 * after it has seen whether the type is offered at all.
	 */
	assert_int_equal(params_check(&p), 0);
	assert_int_equal(p.has_target, 0);

	params_init(&p);
	assert_int_equal(params_add(&p, "router", "r1"), 0);
	assert_int_equal(params_add(&p, "type", "bgp_summary"), 0);
	assert_int_equal(params_check(&p), 0);
	params_init(&p);
	assert_int_equal(params_add(&p, "type", "bgp_summary"), 0);
	assert_int_equal(params_check(&p), -1);
	assert_string_equal(p.errstr, "router: missing");
}

static int
json(struct web_params *p, const char *s)
{
	params_init(p);
	if (params_from_json(p, s, strlen(s)) == -1)
		return -1;
	return params_check(p);
}

static void
test_json(void **state)
{
	struct web_params	 p;

	(void)state;
	assert_int_equal(json(&p, "{\"router\":[\"r1\",\"r2\"],\"type\":"
	    "\"ping\",\"target\":\"192.0.2.1\",\"extra\":1}"), 0);
	assert_int_equal(p.nrouters, 2);
	assert_int_equal(p.type, Q_PING);
	assert_int_equal(json(&p, "{\"router\":\"r1\",\"type\":\"ping\","
	    "\"target\":\"192.0.2.1\",\"afi\":\"ipv6\"}"), 0);
	assert_int_equal(p.afi, AFI_IPV6);

	assert_int_equal(json(&p, "[1,2]"), -1);
	assert_string_equal(p.errstr, "body: must be a JSON object");
	assert_int_equal(json(&p, "{\"router\":"), -1);
	assert_string_equal(p.errstr, "body: not valid JSON");
	assert_int_equal(json(&p, "{\"router\":5,\"type\":\"ping\"}"), -1);
	assert_string_equal(p.errstr, "router: must be a string");
	assert_int_equal(json(&p, "{\"router\":[\"r1\",3]}"), -1);
	assert_int_equal(json(&p, "{\"router\":[]}"), -1);
	assert_int_equal(json(&p, "{\"type\":\"ping\",\"type\":\"ping\"}"),
	    -1);
	assert_int_equal(json(&p, "{\"router\":\"r1\",\"type\":\"ping\","
	    "\"target\":\"a\\u0000b\"}"), -1);
	assert_int_equal(json(&p, "{\"router\":\"r1\",\"type\":\"ping\","
	    "\"target\":null}"), -1);
	assert_string_equal(p.errstr, "target: must be a string");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_query_string),
		cmocka_unit_test(test_repeats_and_errors),
		cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
