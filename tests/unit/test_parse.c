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
 * Unit tests for the parse engine (src/lib/parse.c, parse_store.c,
 * parse_value.c and parse_rules.c) on small hand-made rules: typed values
 * (AS paths with asdot, sets and confederations, durations, community lists
 * with well-known names, the old decimal form, BIRD tuples and extended
 * types holding blanks), streaming (the same answer whatever the chunks),
 * the bounds (prefix cap, byte budget, line length, pcre2 match limit, rules
 * sending a line round their states) and the answers that are not routes
 * (not found, no rules, a path before any prefix).  The shipped drivers'
 * rules are tested on real output by test_parse_fixtures.
 */

#include <malloc.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <jansson.h>
#include <pcre2.h>

#include "lg.h"
#include "lg_parse.h"
#include "../../src/lib/parse_int.h"

static char		 tmpdir[] = "/tmp/lg-parse-test.XXXXXX";

/*
 * A driver whose only interest is its parse section: a "P prefix" line
 * starts a prefix, "R ..." rows are paths with their fields.
 */
static const char *const simple_rules =
    "parse = { bgp_route = {\n"
    "  defaults = [ \"best\", \"communities\" ];\n"
    "  start = (\n"
    "    { match = \"^NOT FOUND\"; set = { not_found = \"true\"; }; },\n"
    "    { match = \"^P (?<prefix>\\\\S+)\"; action = \"prefix\"; },\n"
    "    { match = \"^R(?<best>\\\\*)? nh=(?<next_hop>\\\\S+) "
    "path=(?<as_path>[^;]*);(?: c=(?<communities>.*))?$\";\n"
    "      action = \"path\"; },\n"
    "    { match = \"^  med (?<med>\\\\S+)\"; },\n"
    "    { match = \"^GO\"; next = \"other\"; }\n"
    "  );\n"
    "  other = ( { match = \"^BACK\"; next = \"start\"; } );\n"
    "}; bgp_community = \"bgp_route\"; };\n";

static void
load(struct lg_driver *d, const char *parse)
{
	struct lg_diag	 diag;
	char		 path[256];
	FILE		*fp;

	snprintf(path, sizeof(path), "%s/t.conf", tmpdir);
	assert_non_null(fp = fopen(path, "w"));
	fprintf(fp, "name = \"t\";\nvendor = \"Test\";\n"
	    "prompt = \"(?m)^r1[>#] ?\\\\z\";\n"
	    "queries = { bgp_route = \"show bgp {target}\"; "
	    "bgp_summary = \"show bgp summary\"; };\n%s", parse);
	fclose(fp);
	diag_init(&diag);
	if (driver_load_file(path, d, &diag) == -1) {
		for (size_t i = 0; i < diag.nmsgs; i++)
			print_message("# %s\n", diag.msgs[i]);
		fail_msg("test driver refused");
	}
	diag_free(&diag);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char	 path[256];

	(void)state;
	snprintf(path, sizeof(path), "%s/t.conf", tmpdir);
	unlink(path);
	return rmdir(tmpdir);
}

/* Parses text (lines split on '\n') fed in chunks of the given size. */
static json_t *
parse_text(const struct lg_driver *d, const char *text, size_t chunk,
    size_t max)
{
	struct parser	*p;
	json_t		*j;
	char		 err[128];
	size_t		 len = strlen(text), n;

	assert_non_null(p = parser_new(d, Q_BGP_ROUTE, AFI_IPV4, max, err,
	    sizeof(err)));
	for (; len > 0; text += n, len -= n) {
		n = len < chunk ? len : chunk;
		parser_feed_text(p, text, n);
	}
	assert_non_null(j = parser_finish(p));
	parser_free(p);
	return j;
}

static void
assert_json(json_t *got, const char *want)
{
	json_t		*w;
	json_error_t	 jerr;
	char		*s;

	if ((w = json_loads(want, 0, &jerr)) == NULL)
		fail_msg("bad expectation: %s", jerr.text);
	if (!json_equal(w, got)) {
		s = json_dumps(got, JSON_COMPACT);
		print_message("# got: %s\n", s);
		free(s);
		json_decref(w);
		fail_msg("parsed value differs from %s", want);
	}
	json_decref(w);
}

static void
test_aspath(void **state)
{
	const char	*path = "65001 {65002,65003} (65004 65005) [65006] "
			    "1.10 4200000000";
	json_t		*flat, *segs;
	char		 err[128];

	(void)state;
	flat = json_array();
	segs = json_array();
	assert_int_equal(pv_aspath(NULL, path, strlen(path), flat, segs, err,
	    sizeof(err)), 0);
	assert_json(flat, "[65001,65002,65003,65004,65005,65006,65546,"
	    "4200000000]");
	assert_json(segs, "[{\"type\":\"sequence\",\"asns\":[65001]},"
	    "{\"type\":\"set\",\"asns\":[65002,65003]},"
	    "{\"type\":\"confed_sequence\",\"asns\":[65004,65005]},"
	    "{\"type\":\"confed_set\",\"asns\":[65006]},"
	    "{\"type\":\"sequence\",\"asns\":[65546,4200000000]}]");
	json_decref(flat);
	json_decref(segs);

	flat = json_array();
	segs = json_array();
	assert_int_equal(pv_aspath(NULL, "", 0, flat, segs, err, sizeof(err)), 0);
	assert_int_equal(json_array_size(flat), 0);
	assert_int_equal(pv_aspath(NULL, "65001 10.0.0.1", 14, flat, segs, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "not an AS path: '65001 10.0.0.1'");
	assert_int_equal(pv_aspath(NULL, "4294967296", 10, flat, segs, err,
	    sizeof(err)), -1);
	assert_int_equal(pv_aspath(NULL, "1.65536", 7, flat, segs, err,
	    sizeof(err)), -1);
	assert_int_equal(pv_aspath(NULL, "{65001 65002", 12, flat, segs, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "unclosed AS path segment: '{65001 65002'");
	json_decref(flat);
	json_decref(segs);
}

static void
test_duration(void **state)
{
	static const struct {
		const char	*text;
		json_int_t	 secs;
	} ok[] = {
		{ "1d02h", 93600 }, { "3w2d", 1987200 }, { "00:12:34", 754 },
		{ "1w0d", 604800 }, { "4:32", 272 }, { "35", 35 }, { "19d16h", 19 * 86400 + 16 * 3600 },
		{ "1y2w", 365 * 86400 + 14 * 86400 }, { NULL, 0 }
	};
	json_int_t	 v;
	char		 err[128];
	size_t		 i;

	(void)state;
	for (i = 0; ok[i].text != NULL; i++) {
		assert_int_equal(pv_duration(ok[i].text, strlen(ok[i].text),
		    &v, err, sizeof(err)), 0);
		assert_int_equal(v, ok[i].secs);
	}
	assert_int_equal(pv_duration("4w5d 22:51:00", 13, &v, err,
	    sizeof(err)), 0);
	assert_int_equal(v, (4 * 7 + 5) * 86400 + 22 * 3600 + 51 * 60);
	assert_int_equal(pv_duration("never", 5, &v, err, sizeof(err)), -1);
	assert_string_equal(err, "not a duration: 'never'");
	assert_int_equal(pv_duration("1:2:3:4", 7, &v, err, sizeof(err)), -1);
	assert_int_equal(pv_duration("", 0, &v, err, sizeof(err)), -1);
}

static void
communities(enum pv_type type, const char *text, const char *want)
{
	json_t		*std, *large, *ext, *all;
	char		 err[128];

	std = json_array();
	large = json_array();
	ext = json_array();
	assert_int_equal(pv_communities(NULL, type, text, strlen(text), std, large,
	    ext, err, sizeof(err)), 0);
	all = json_pack("[o,o,o]", std, large, ext);
	assert_json(all, want);
	json_decref(all);
}

static void
test_communities(void **state)
{
	json_t		*a;
	char		 err[128];
	uint32_t	 wk[2];

	(void)state;
	communities(PV_COMMUNITIES, "65001:1 no-export NO-ADVERTISE local-AS "
	    "blackhole 4259840100 65000:1:2 large:1:2:3 target:1:1 "
	    "community-1", "[[\"65001:1\",\"65535:65281\",\"65535:65282\","
	    "\"65535:65283\",\"65535:666\",\"65000:100\",\"community-1\"],"
	    "[\"65000:1:2\",\"1:2:3\"],[\"target:1:1\"]]");
	/* BIRD writes tuples, with blanks inside the large ones. */
	communities(PV_COMMUNITIES, "(64511,1) (64511, 24)",
	    "[[\"64511:1\",\"64511:24\"],[],[]]");
	communities(PV_LARGE, "(4242421080, 101, 44) lcommunity-1",
	    "[[],[\"4242421080:101:44\",\"lcommunity-1\"],[]]");
	communities(PV_EXT, "(rt, 65000, 1) RT:1:1", "[[],[],[\"rt:65000:1\","
	    "\"RT:1:1\"]]");
	/* Regression: a type with blanks stayed split, or swallowed the rest. */
	communities(PV_EXT, "VRF Route Import:50.1.1.5:17 Source AS:100:0 "
	    "RT:100:1001", "[[],[],[\"VRF Route Import:50.1.1.5:17\","
	    "\"Source AS:100:0\",\"RT:100:1001\"]]");
	communities(PV_EXT, "OSPF DOMAIN ID:0x0005:0x000000000200",
	    "[[],[],[\"OSPF DOMAIN ID:0x0005:0x000000000200\"]]");
	a = json_array();
	assert_int_equal(pv_communities(NULL, PV_COMMUNITIES, "(1,2", 4, a, a, a,
	    err, sizeof(err)), -1);
	assert_string_equal(err, "not a community list: '(1,2'");
	json_decref(a);
	assert_int_equal(validate_community_wellknown("No-Export", 9, wk), 0);
	assert_int_equal(wk[0], 65535);
	assert_int_equal(wk[1], 65281);
	assert_int_equal(validate_community_wellknown("no-exports", 10, wk),
	    -1);
	assert_string_equal(pv_origin("IGP", 3), "igp");
	assert_string_equal(pv_origin("?", 1), "incomplete");
	assert_null(pv_origin("x", 1));
	assert_string_equal(pv_rpki("Not Found", 9), "not-found");
	assert_string_equal(pv_rpki("V", 1), "valid");
}

static void
test_values(void **state)
{
	json_int_t	 v;
	char		 err[128];

	(void)state;
	assert_int_equal(pv_uint("4294967295", 10, &v, err, sizeof(err)), 0);
	assert_int_equal(v, 4294967295LL);
	assert_int_equal(pv_uint("4294967296", 10, &v, err, sizeof(err)), -1);
	assert_int_equal(pv_uint("-1", 2, &v, err, sizeof(err)), -1);
	assert_int_equal(pv_address("2001:db8::1", 11, err, sizeof(err)), 0);
	assert_int_equal(pv_address("10.0.0.256", 10, err, sizeof(err)), -1);
	assert_string_equal(err, "not an address: '10.0.0.256'");
	assert_int_equal(pv_address("10.0.0.0/8", 10, err, sizeof(err)), -1);
	assert_int_equal(pv_address("fe80::1%eth0", 12, err, sizeof(err)),
	    -1);
	assert_int_equal(pv_prefix("10.0.0.0/8", 10, err, sizeof(err)), 0);
	assert_int_equal(pv_prefix("192.168.122.0", 13, err, sizeof(err)),
	    0);
	assert_int_equal(pv_prefix("10.0.0.0/33", 11, err, sizeof(err)), -1);
	assert_int_equal(pv_prefix("2001:db8::/129", 14, err, sizeof(err)),
	    -1);
}

static void
test_answer(void **state)
{
	struct lg_driver	 d;
	json_t			*j, *path;

	(void)state;
	load(&d, simple_rules);
	j = parse_text(&d, "P 10.0.0.0/8\nR* nh=192.0.2.1 path=65001 65002; "
	    "c=no-export 1:2\n  med 7\nR nh=192.0.2.2 path=;\n"
	    "GO\nP 10.1.0.0/16\nBACK\nP 10.2.0.0/16\n", 5, 0);
	assert_int_equal(json_is_false(json_object_get(j, "not_found")), 1);
	assert_int_equal(json_array_size(json_object_get(j, "prefixes")), 1);
	path = json_array_get(json_object_get(json_array_get(
	    json_object_get(j, "prefixes"), 0), "paths"), 0);
	assert_json(json_object_get(path, "as_path"), "[65001,65002]");
	assert_json(json_object_get(path, "communities"),
	    "[\"65535:65281\",\"1:2\"]");
	assert_int_equal(json_integer_value(json_object_get(path, "med")), 7);
	assert_true(json_is_true(json_object_get(path, "best")));
	assert_true(json_is_null(json_object_get(path, "valid")));
	path = json_array_get(json_object_get(json_array_get(
	    json_object_get(j, "prefixes"), 0), "paths"), 1);
	assert_true(json_is_false(json_object_get(path, "best")));
	assert_json(json_object_get(path, "as_path"), "[]");
	assert_json(json_object_get(path, "communities"), "[]");
	/* "P 10.1.0.0/16" came in state other; 10.2.0.0/16 had no path. */
	json_decref(j);

	j = parse_text(&d, "", 1, 0);
	assert_true(json_is_true(json_object_get(j, "not_found")));
	json_decref(j);
	j = parse_text(&d, "NOT FOUND\n", 1, 0);
	assert_true(json_is_true(json_object_get(j, "not_found")));
	json_decref(j);
	j = parse_text(&d, "R nh=192.0.2.2 path=;\n", 64, 0);
	assert_json(j, "{\"error\":\"a path before any prefix\",\"line\":1}");
	json_decref(j);
	j = parse_text(&d, "P 10.0.0.0/8\nR nh=192.0.2.1 path=1;\n  med x\n",
	    64, 0);
	assert_json(j, "{\"error\":\"med: not an integer from 0 to "
	    "4294967295: 'x'\",\"line\":3}");
	json_decref(j);
	/* Regression: a message quoting bytes that are not UTF-8 was lost. */
	j = parse_text(&d, "P 10.0.0.0/8\nR nh=192.0.2.1 path=1;\n  med \xe9\x01\n",
	    64, 0);
	assert_json(j, "{\"error\":\"med: not an integer from 0 to "
	    "4294967295: '?" "?'\",\"line\":3}");
	json_decref(j);
	j = parse_text(&d, "P 10.0.0.0/8\nR nh=bogus path=1;\n", 64, 0);
	assert_json(j, "{\"error\":\"next_hop: not an address: 'bogus'\","
	    "\"line\":2}");
	json_decref(j);
	driver_free(&d);
}

static void
test_chunks(void **state)
{
	struct lg_driver	 d;
	json_t			*a, *b;
	const char		*text = "P 10.0.0.0/8\r\nR* nh=192.0.2.1 "
				    "path=65001 {1,2};\r\n\r\nP 10.9.0.0/16\n"
				    "R nh=2001:db8::1 path=(1 2);";
	size_t			 c;

	(void)state;
	load(&d, simple_rules);
	a = parse_text(&d, text, strlen(text), 0);
	assert_null(json_object_get(a, "error"));
	assert_int_equal(json_array_size(json_object_get(a, "prefixes")), 2);
	for (c = 1; c < 40; c++) {
		b = parse_text(&d, text, c, 0);
		if (!json_equal(a, b))
			fail_msg("chunks of %zu bytes parse differently", c);
		json_decref(b);
	}
	json_decref(a);
	driver_free(&d);
}

static void
test_next_command(void **state)
{
	struct lg_driver	 d;
	struct parser		*p;
	json_t			*j;
	char			 err[64];

	(void)state;
	load(&d, simple_rules);
	assert_non_null(p = parser_new(&d, Q_BGP_COMMUNITY, AFI_ANY, 0, err,
	    sizeof(err)));
	parser_feed_text(p, "P 10.0.0.0/8\nGO\n", 16);
	parser_next_command(p);
	parser_feed_text(p, "P 2001:db8::/32\nR nh=::1 path=1;", 32);
	j = parser_finish(p);
	parser_free(p);
	assert_int_equal(json_array_size(json_object_get(j, "prefixes")), 1);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(json_object_get(j, "prefixes"), 0), "prefix")),
	    "2001:db8::/32");
	json_decref(j);
	driver_free(&d);
}

static void
test_no_rules(void **state)
{
	struct lg_driver	 d;
	char			 err[64] = "x";

	(void)state;
	load(&d, simple_rules);
	assert_true(parser_supported(&d, Q_BGP_ROUTE));
	assert_false(parser_supported(&d, Q_BGP_SUMMARY));
	assert_false(parser_supported(&d, Q_BGP_ASPATH));
	assert_null(parser_new(&d, Q_BGP_SUMMARY, AFI_ANY, 0, err,
	    sizeof(err)));
	assert_string_equal(err, "");
	driver_free(&d);
	load(&d, "");
	assert_null(parser_new(&d, Q_BGP_ROUTE, AFI_ANY, 0, err,
	    sizeof(err)));
	assert_string_equal(err, "");
	driver_free(&d);
}

/* Prefixes past the cap are counted out and the answer says truncated. */
static void
test_cap(void **state)
{
	struct lg_driver	 d;
	json_t			*j;
	char			*text, *w;
	int			 i;

	(void)state;
	load(&d, simple_rules);
	text = malloc(50 * 64);
	assert_non_null(text);
	for (w = text, i = 0; i < 50; i++)
		w += sprintf(w, "P 10.%d.0.0/16\nR nh=192.0.2.1 path=%d;\n", i,
		    i);
	j = parse_text(&d, text, 100, 10);
	assert_int_equal(json_array_size(json_object_get(j, "prefixes")), 10);
	assert_true(json_is_true(json_object_get(j, "truncated")));
	assert_true(json_is_false(json_object_get(j, "not_found")));
	json_decref(j);
	j = parse_text(&d, text, 100, 50);
	assert_int_equal(json_array_size(json_object_get(j, "prefixes")), 50);
	assert_true(json_is_false(json_object_get(j, "truncated")));
	json_decref(j);
	free(text);
	driver_free(&d);
}

/*
 * Output cut by the cap: the prefix being read when it ended may be
 * missing paths and fields, so parser_cut drops it; the prefixes closed
 * before it stay, and the answer says truncated.
 */
static void
test_cut(void **state)
{
	static const char text[] = "P 10.0.0.0/16\nR* nh=192.0.2.1 path=1;\n"
	    "  med 5\nP 10.1.0.0/16\nR nh=192.0.2.2 path=2 3;\n";
	struct lg_driver	 d;
	struct parser		*p;
	json_t			*j, *pfxs;
	char			 err[64];

	(void)state;
	load(&d, simple_rules);
	/* Uncut, both prefixes are answers. */
	j = parse_text(&d, text, 7, 0);
	assert_int_equal(json_array_size(json_object_get(j, "prefixes")), 2);
	assert_true(json_is_false(json_object_get(j, "truncated")));
	json_decref(j);
	/* Cut after the same lines: the open one goes, even half a line. */
	assert_non_null(p = parser_new(&d, Q_BGP_ROUTE, AFI_IPV4, 0, err,
	    sizeof(err)));
	parser_feed_text(p, text, sizeof(text) - 1);
	parser_feed_text(p, "P 10.2.0.0/16\nR nh=", 20);
	parser_cut(p);
	assert_non_null(j = parser_finish(p));
	parser_free(p);
	pfxs = json_object_get(j, "prefixes");
	assert_int_equal(json_array_size(pfxs), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(pfxs, 1), "prefix")), "10.1.0.0/16");
	assert_true(json_is_true(json_object_get(j, "truncated")));
	assert_true(json_is_false(json_object_get(j, "not_found")));
	json_decref(j);
	/* Cut inside the first prefix: nothing is left, and it says so. */
	assert_non_null(p = parser_new(&d, Q_BGP_ROUTE, AFI_IPV4, 0, err,
	    sizeof(err)));
	parser_feed_text(p, text, 38);
	parser_cut(p);
	assert_non_null(j = parser_finish(p));
	parser_free(p);
	assert_int_equal(json_array_size(json_object_get(j, "prefixes")), 0);
	assert_true(json_is_true(json_object_get(j, "truncated")));
	json_decref(j);
	driver_free(&d);
}

/* Paths, however many under one prefix, spend a bounded budget. */
static void
test_budget(void **state)
{
	struct lg_driver	 d;
	struct parser		*p;
	json_t			*j;
	char			 err[64], line[1200];
	size_t			 n = 0, i;

	(void)state;
	load(&d, simple_rules);
	assert_non_null(p = parser_new(&d, Q_BGP_ROUTE, AFI_ANY, 1, err,
	    sizeof(err)));
	parser_feed(p, "P 10.0.0.0/8", 12);
	memcpy(line, "R nh=192.0.2.1 path=1; c=", 25);
	for (i = 25; i + 8 < sizeof(line); i += 8)
		memcpy(line + i, "65000:1 ", 8);
	for (i = 0; i < 20000; i++)
		parser_feed(p, line, sizeof(line) - 8);
	j = parser_finish(p);
	parser_free(p);
	assert_true(json_is_true(json_object_get(j, "truncated")));
	n = json_array_size(json_object_get(json_array_get(json_object_get(j,
	    "prefixes"), 0), "paths"));
	assert_true(n > 10 && n < 20000);
	json_decref(j);
	driver_free(&d);
}

static void
test_long_line(void **state)
{
	struct lg_driver	 d;
	struct parser		*p;
	json_t			*j;
	char			*big, err[64];
	size_t			 i;

	(void)state;
	load(&d, simple_rules);
	big = malloc(PARSE_LINE_MAX + 2);
	assert_non_null(big);
	memset(big, 'x', PARSE_LINE_MAX + 1);
	big[PARSE_LINE_MAX + 1] = '\n';
	/* In small chunks: the partial line never grows past the cap. */
	assert_non_null(p = parser_new(&d, Q_BGP_ROUTE, AFI_ANY, 0, err,
	    sizeof(err)));
	parser_feed_text(p, "P 10.0.0.0/8\n", 13);
	for (i = 0; i < PARSE_LINE_MAX + 2; i += 1000)
		parser_feed_text(p, big + i, PARSE_LINE_MAX + 2 - i < 1000 ?
		    PARSE_LINE_MAX + 2 - i : 1000);
	assert_int_equal(parser_feed_text(p, "P 10.1.0.0/16\n", 14), -1);
	j = parser_finish(p);
	parser_free(p);
	assert_json(j, "{\"error\":\"line longer than 65536 bytes\","
	    "\"line\":2}");
	json_decref(j);
	/* A line of exactly the cap is read. */
	assert_non_null(p = parser_new(&d, Q_BGP_ROUTE, AFI_ANY, 0, err,
	    sizeof(err)));
	assert_int_equal(parser_feed(p, big, PARSE_LINE_MAX), 0);
	assert_int_equal(parser_feed(p, big, PARSE_LINE_MAX + 1), -1);
	j = parser_finish(p);
	parser_free(p);
	assert_int_equal(json_integer_value(json_object_get(j, "line")), 2);
	json_decref(j);
	free(big);
	driver_free(&d);
}

/* A pattern that backtracks without end fails the parse, in bounded time. */
static void
test_match_limit(void **state)
{
	struct lg_driver	 d;
	json_t			*j;
	char			 text[4096];

	(void)state;
	load(&d, "parse = { bgp_route = { start = (\n"
	    "  { match = \"^(a|aa)+$\"; } ); }; };\n");
	memset(text, 'a', sizeof(text) - 2);
	text[sizeof(text) - 2] = 'b';
	text[sizeof(text) - 1] = '\0';
	j = parse_text(&d, text, sizeof(text), 0);
	assert_non_null(json_object_get(j, "error"));
	assert_non_null(strstr(json_string_value(json_object_get(j, "error")),
	    "limit"));
	json_decref(j);
	driver_free(&d);
}

static void
test_again(void **state)
{
	struct lg_driver	 d;
	json_t			*j;

	(void)state;
	load(&d, "parse = { bgp_route = {\n"
	    "  start = ( { match = \"^P (?<prefix>\\\\S+)\"; action = \"prefix\";"
	    " next = \"a\"; } );\n"
	    "  a = ( { match = \"^R\"; next = \"b\"; again = true; } );\n"
	    "  b = ( { match = \"^R (?<next_hop>\\\\S+)\"; action = \"path\"; },"
	    " { match = \"^L\"; next = \"a\"; again = true; } ); }; };\n");
	j = parse_text(&d, "P 10.0.0.0/8\nR 192.0.2.1\n", 7, 0);
	assert_null(json_object_get(j, "error"));
	assert_int_equal(json_array_size(json_object_get(json_array_get(
	    json_object_get(j, "prefixes"), 0), "paths")), 1);
	json_decref(j);
	driver_free(&d);

	load(&d, "parse = { bgp_route = {\n"
	    "  start = ( { match = \"^\"; next = \"a\"; again = true; } );\n"
	    "  a = ( { match = \"^\"; next = \"start\"; again = true; } );"
	    " }; };\n");
	j = parse_text(&d, "x\n", 7, 0);
	assert_non_null(strstr(json_string_value(json_object_get(j, "error")),
	    "went round the states"));
	json_decref(j);
	driver_free(&d);
}

/* Parses text with the rules of one query type, in one piece. */
static json_t *
parse_type(const struct lg_driver *d, enum lg_query_type type,
    const char *text)
{
	struct parser	*p;
	json_t		*j;
	char		 err[128];

	assert_non_null(p = parser_new(d, type, AFI_IPV4, 0, err,
	    sizeof(err)));
	parser_feed_text(p, text, strlen(text));
	assert_non_null(j = parser_finish(p));
	parser_free(p);
	return j;
}

/*
 * The kinds beside routes: a traceroute's hops and probes read with
 * rest (several probes on a line, "^" only at its start), carry (a probe
 * without its address answered from the last one with an address, past a
 * timeout), MPLS labels kept
 * once, complete from the header's target; ping's counts, RTTs in their
 * object and the loss derived from the counts; a summary's neighbors,
 * asdot AS numbers and a line wrapped after a long address.
 */
static void
test_kinds(void **state)
{
	struct lg_driver	 d;
	json_t			*j;

	(void)state;
	load(&d, "parse = {\n"
	    " traceroute = {\n"
	    "  start = (\n"
	    "   { match = \"^traceroute to \\\\S+ \\\\((?<target>[^)]+)\\\\)\"; },\n"
	    "   { match = \"^ ?(?<hop>\\\\d+)\"; action = \"hop\"; rest = true;"
	    " next = \"probes\"; } );\n"
	    "  probes = (\n"
	    "   { match = \"^ ?(?<hop>\\\\d+)\"; action = \"hop\"; rest = true; },\n"
	    "   { match = \"\\\\G +(?<name>\\\\S+) \\\\((?<address>[^)]+)\\\\) +"
	    "(?<rtt_ms>[\\\\d.]+) ms\"; action = \"probe\"; rest = true; },\n"
	    "   { match = \"\\\\G +(?<rtt_ms>[\\\\d.]+) ms\"; action = \"probe\";"
	    " carry = true; rest = true; },\n"
	    "   { match = \"\\\\G +\\\\*\"; action = \"probe\"; rest = true; },\n"
	    "   { match = \"\\\\G +\\\\[MPLS: Labels? (?<mpls>[\\\\d/]+)[^]]*\\\\]\";"
	    " rest = true; } ); };\n"
	    " ping = { start = (\n"
	    "   { match = \"^(?<sent>\\\\d+) packets transmitted, (?<received>\\\\d+)"
	    " received\"; },\n"
	    "   { match = \"^rtt min/avg/max/mdev = (?<rtt_min>[\\\\d.]+)/"
	    "(?<rtt_avg>[\\\\d.]+)/(?<rtt_max>[\\\\d.]+)/(?<rtt_stddev>[\\\\d.]+)"
	    " ms\"; } ); };\n"
	    " bgp_summary = { start = (\n"
	    "   { match = \"^local AS (?<local_as>\\\\S+), id (?<router_id>\\\\S+)\"; },\n"
	    "   { match = \"^(?<address>[\\\\d.:a-f]+)$\"; action = \"neighbor\"; },\n"
	    "   { match = \"^(?<address>[\\\\d.:a-f]+) +(?<remote_as>[\\\\d.]+) +"
	    "(?:(?<prefixes_received>\\\\d+)|(?<state>[A-Za-z]+))$\";"
	    " action = \"neighbor\"; },\n"
	    "   { match = \"^ +(?<remote_as>[\\\\d.]+) +(?<prefixes_received>\\\\d+)$\";"
	    " set = { state = \"Established\"; }; } ); };\n"
	    "};\n");
	j = parse_type(&d, Q_TRACEROUTE, "traceroute to x (192.0.2.9), 30 hops\n"
	    " 1  r1 (10.0.0.1)  0.5 ms *  0.25 ms\n"
	    " 2  * * *\n"
	    " 3  r3 (10.0.0.3)  1.25 ms [MPLS: Label 24005 Exp 0] "
	    "r4 (10.0.0.4)  2 ms [MPLS: Labels 16003/24005 Exp 0]\n"
	    " 4  t (192.0.2.9)  3 ms\n");
	assert_json(j, "{\"schema\":\"1\",\"kind\":\"traceroute\","
	    "\"complete\":true,\"truncated\":false,\"hops\":["
	    "{\"hop\":1,\"loss_pct\":null,\"mpls\":[],\"probes\":["
	    "{\"address\":\"10.0.0.1\",\"name\":\"r1\",\"rtt_ms\":0.5},"
	    "{\"address\":null,\"name\":null,\"rtt_ms\":null},"
	    "{\"address\":\"10.0.0.1\",\"name\":\"r1\",\"rtt_ms\":0.25}]},"
	    "{\"hop\":2,\"loss_pct\":null,\"mpls\":[],\"probes\":["
	    "{\"address\":null,\"name\":null,\"rtt_ms\":null},"
	    "{\"address\":null,\"name\":null,\"rtt_ms\":null},"
	    "{\"address\":null,\"name\":null,\"rtt_ms\":null}]},"
	    "{\"hop\":3,\"loss_pct\":null,\"mpls\":[24005,16003],\"probes\":["
	    "{\"address\":\"10.0.0.3\",\"name\":\"r3\",\"rtt_ms\":1.25},"
	    "{\"address\":\"10.0.0.4\",\"name\":\"r4\",\"rtt_ms\":2.0}]},"
	    "{\"hop\":4,\"loss_pct\":null,\"mpls\":[],\"probes\":["
	    "{\"address\":\"192.0.2.9\",\"name\":\"t\",\"rtt_ms\":3.0}]}]}");
	json_decref(j);
	/* The last hop is not the target: not complete. */
	j = parse_type(&d, Q_TRACEROUTE, "traceroute to x (192.0.2.9), 30 hops\n"
	    " 1  r1 (10.0.0.1)  0.5 ms\n 2  * * *\n");
	assert_true(json_is_false(json_object_get(j, "complete")));
	json_decref(j);
	j = parse_type(&d, Q_TRACEROUTE, " 1  r1 (10.0.0.1)  0.5.1 ms\n");
	assert_json(j, "{\"error\":\"rtt_ms: not a decimal number: '0.5.1'\","
	    "\"line\":1}");
	json_decref(j);

	j = parse_type(&d, Q_PING, "5 packets transmitted, 4 received\n"
	    "rtt min/avg/max/mdev = 1.0/2.5/4.125/0.5 ms\n");
	assert_json(j, "{\"schema\":\"1\",\"kind\":\"ping\",\"sent\":5,"
	    "\"received\":4,\"loss_pct\":20.0,\"rtt_ms\":{\"min\":1.0,"
	    "\"avg\":2.5,\"max\":4.125,\"stddev\":0.5}}");
	json_decref(j);
	j = parse_type(&d, Q_PING, "nothing here\n");
	assert_json(j, "{\"schema\":\"1\",\"kind\":\"ping\",\"sent\":null,"
	    "\"received\":null,\"loss_pct\":null,\"rtt_ms\":{\"min\":null,"
	    "\"avg\":null,\"max\":null,\"stddev\":null}}");
	json_decref(j);

	j = parse_type(&d, Q_BGP_SUMMARY, "local AS 1.10, id 192.0.2.1\n"
	    "10.0.0.1 65001 12\n10.0.0.2 4200000000 Active\n"
	    "2001:db8::1\n   1.2 7\n");
	assert_json(j, "{\"schema\":\"1\",\"kind\":\"bgp_summary\","
	    "\"local_as\":65546,\"router_id\":\"192.0.2.1\",\"truncated\":false,"
	    "\"neighbors\":[{\"address\":\"10.0.0.1\",\"remote_as\":65001,"
	    "\"state\":null,\"uptime_s\":null,\"prefixes_received\":12,"
	    "\"prefixes_accepted\":null,\"description\":null},"
	    "{\"address\":\"10.0.0.2\",\"remote_as\":4200000000,"
	    "\"state\":\"active\",\"uptime_s\":null,\"prefixes_received\":null,"
	    "\"prefixes_accepted\":null,\"description\":null},"
	    "{\"address\":\"2001:db8::1\",\"remote_as\":65538,"
	    "\"state\":\"established\",\"uptime_s\":null,"
	    "\"prefixes_received\":7,\"prefixes_accepted\":null,"
	    "\"description\":null}]}");
	json_decref(j);
	j = parse_type(&d, Q_BGP_SUMMARY, "10.0.0.1 65536.1 1\n");
	assert_json(j, "{\"error\":\"remote_as: not an AS number: '65536.1'\","
	    "\"line\":1}");
	json_decref(j);
	driver_free(&d);
}

/*
 * The text every match must hold is looked for before pcre2 runs: a
 * line without "bc" (it holds a c and a b, which pcre2's own check of
 * one required character lets through) never reaches the pattern that
 * would backtrack past the match limit on it.  Literal text that is optional, quantified, an
 * escape's argument, inside a group or under (?i) or a top-level
 * alternation is not required, so the lines that hold none of it still
 * match; nor is a first character where blanks could start the match.
 * Options are read wherever they are set: (?si) makes what follows it
 * caseless.
 */
static void
test_required(void **state)
{
	struct lg_driver	 d;
	json_t			*j, *paths;
	char			 text[512];
	const char		*want[] = { "a1", "b1", "c1", "d1", "e1", "g1",
	    "h1", "j1", "k1", "m1", "p1", "r1", "t1", "u1", "v1" };
	size_t			 i;

	(void)state;
	load(&d, "parse = { bgp_route = { start = (\n"
	    "  { match = \"^P (?<prefix>\\\\S+)\"; action = \"prefix\"; },\n"
	    "  { match = \"^(?:a+)+bc\"; },\n"
	    "  { match = \"^(?<source>a\\\\S*) ab?c$\"; action = \"path\"; },\n"
	    "  { match = \"^(?<source>b\\\\S*) \\\\x41BC$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^(?<source>c\\\\S*) \\\\d{2}0$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"(?i)^(?<source>d\\\\S*) route$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"(?J)^(?<source>e\\\\S*) one$|"
	    "^(?<source>e\\\\S*) two$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^(?<source>g\\\\S*) (?:xyz)?end$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^(?<source>h\\\\S*) [)(]kw$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^(?<source>j\\\\S*) xy{2,3}z$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^(?<source>k\\\\S*) (\\\\d)\\\\2{2}0$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^\\\\s*(?:  )?(?<source>m\\\\S*) tail$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^\\\\s*+(?<source>[np]\\\\S*) two$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^(?<source>(?:q|r)\\\\S*) rr$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^(?<source>t\\\\S*) +  end$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^(?<source>u\\\\S*) (?si)caps$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^\\\\s*+(?<source>(?s-i:v)\\\\S*) (?-i:x)(?i:caps)$\";"
	    " action = \"path\"; }\n"
	    " ); }; };\n");
	memset(text, 'a', 40);
	snprintf(text + 40, sizeof(text) - 40, "cb\nP 10.0.0.0/8\na1 ac\n"
	    "b1 ABC\nc1 120\nd1 ROUTE\ne1 two\ng1 end\nh1 (kw\nj1 xyyyz\n"
	    "k1 5550\n    m1 tail\n  p1 two\nr1 rr\n  z1 two\nt1   end\n"
	    "t2  end\nu1 CAPS\n v1 xCAPS\n");
	j = parse_text(&d, text, sizeof(text), 0);
	if (json_object_get(j, "error") != NULL)
		fail_msg("%s", json_string_value(json_object_get(j, "error")));
	paths = json_object_get(json_array_get(json_object_get(j, "prefixes"),
	    0), "paths");
	assert_int_equal(json_array_size(paths), sizeof(want) / sizeof(*want));
	for (i = 0; i < sizeof(want) / sizeof(*want); i++)
		assert_string_equal(json_string_value(json_object_get(
		    json_array_get(paths, i), "source")), want[i]);
	json_decref(j);
	driver_free(&d);
}

/*
 * After a literal start, the characters the rest of the pattern can
 * start with are checked before pcre2 runs: blanks among them count
 * there, a quantified character after the literal is part of the rest,
 * a rest that can match nothing is not checked, and a line that ends
 * with the literal is refused only where the rest needs a character.
 */
static void
test_first_after_literal(void **state)
{
	struct lg_driver	 d;
	json_t			*j, *paths;
	const char		*want[] = { "b1", "n5", "r1", "r2", "c1", "c2",
	    "zz", "y1" };
	size_t			 i;

	(void)state;
	load(&d, "parse = { bgp_route = { start = (\n"
	    "  { match = \"^P (?<prefix>\\\\S+)\"; action = \"prefix\"; },\n"
	    "  { match = \"^  (?<source>[a-c]\\\\S*) one$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^\\\\s*+Lit (?<source>n\\\\d) two$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^R(?: |\\\\t)(?<source>r\\\\S*)$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^ab?(?<source>c\\\\S*)$\";"
	    " action = \"path\"; },\n"
	    "  { match = \"^Z(?<source>z)?$\"; action = \"path\";"
	    " set = { source = \"zz\"; }; },\n"
	    "  { match = \"(?J)^Y (?<source>y\\\\d)$\"; action = \"path\"; }\n"
	    " ); }; };\n");
	j = parse_text(&d, "P 10.0.0.0/8\n  b1 one\n   b2 one\n  d1 one\n"
	    "    Lit n5 two\nLit x5 two\nR r1\nR\tr2\nRxr3\nabc1\nac2\n"
	    "abd3\nZ\nZy\nY y1\nY x1\n", 512, 0);
	if (json_object_get(j, "error") != NULL)
		fail_msg("%s", json_string_value(json_object_get(j, "error")));
	paths = json_object_get(json_array_get(json_object_get(j, "prefixes"),
	    0), "paths");
	assert_int_equal(json_array_size(paths), sizeof(want) / sizeof(*want));
	for (i = 0; i < sizeof(want) / sizeof(*want); i++)
		assert_string_equal(json_string_value(json_object_get(
		    json_array_get(paths, i), "source")), want[i]);
	json_decref(j);
	driver_free(&d);
}

/* rest: bounded per line, and an empty match does not go round. */
static void
test_rest(void **state)
{
	struct lg_driver	 d;
	json_t			*j;
	char			 line[200];

	(void)state;
	load(&d, "parse = { traceroute = { start = (\n"
	    "  { match = \"^(?<hop>\\\\d+)\"; action = \"hop\"; rest = true; },\n"
	    "  { match = \"\\\\G(?: x)?\"; action = \"probe\"; rest = true; }"
	    " ); }; };\n");
	memset(line, 0, sizeof(line));
	line[0] = '1';
	memset(line + 1, ' ', 10);
	j = parse_type(&d, Q_TRACEROUTE, "1 x x\n");
	assert_int_equal(json_array_size(json_object_get(json_array_get(
	    json_object_get(j, "hops"), 0), "probes")), 2);
	json_decref(j);
	j = parse_type(&d, Q_TRACEROUTE, "1 y\n");
	assert_int_equal(json_array_size(json_object_get(json_array_get(
	    json_object_get(j, "hops"), 0), "probes")), 1);
	json_decref(j);
	for (size_t i = 1; i + 2 < sizeof(line) - 2; i += 2)
		memcpy(line + i, " x", 2);
	j = parse_type(&d, Q_TRACEROUTE, line);
	assert_non_null(strstr(json_string_value(json_object_get(j, "error")),
	    "more than 64 matches in one line"));
	json_decref(j);
	driver_free(&d);
}

/*
 * A simple rule matched without pcre2 (pr_simple, parser_simple) must
 * match exactly where pcre2 does, with the same capture: checked on
 * generated lines for every simple rule of the shipped drivers, runs of
 * the rule's own characters mixed with blanks, CR, LF, punctuation and
 * bytes past ASCII, with and without the optional character.  Lines
 * parser_simple leaves to pcre2 are counted: they must stay few.
 */
static unsigned long	 simple_seed = 12345;

static unsigned int
simple_rand(void)
{
	simple_seed = simple_seed * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned int)(simple_seed >> 33);
}

/* A byte of the rule's run (most often) or of a mix of others. */
static char
simple_byte(const struct pr_rule *r)
{
	static const char	 other[] = " \t\r\n,()[]:.-/0a9Zz_\x80\xff";
	unsigned int		 c;

	if (simple_rand() % 4 != 0)
		for (;;) {
			c = simple_rand() % 256;
			if ((r->run[c >> 3] >> (c & 7)) & 1)
				return (char)c;
		}
	return other[simple_rand() % (sizeof(other) - 1)];
}

/* Blanks as parser_blanks counts them. */
static size_t
simple_blanks(const char *s, size_t len)
{
	size_t		 i = 0;

	while (i < len && strchr(" \t\f\v\r", s[i]) != NULL && s[i] != '\0')
		i++;
	return i;
}

/* Checks one rule on n lines; the number parser_simple left to pcre2. */
static size_t
simple_check(const struct pr_rule *r, pcre2_match_data *md, size_t n)
{
	PCRE2_SIZE	*pov;
	size_t		 ov[4], len, blank, k, deferred = 0;
	char		 line[160];
	int		 rc, prc;

	for (k = 0; k < n; k++) {
		len = 0;
		if (r->litblank)
			for (blank = simple_rand() % 4; blank > 0; blank--)
				line[len++] = " \t\f\v\r"[simple_rand() % 5];
		memcpy(line + len, r->lit, r->litlen);
		len += r->litlen;
		if (r->runopt != -1 && simple_rand() % 2)
			line[len++] = (char)r->runopt;
		for (blank = simple_rand() % 40; blank > 0; blank--)
			line[len++] = simple_byte(r);
		blank = simple_blanks(line, len);
		rc = parser_simple(r, line, len, blank, ov);
		prc = pcre2_match(r->re, (PCRE2_SPTR)line, len, 0, 0, md, NULL);
		if (rc == -1) {
			deferred++;
			continue;
		}
		if (rc == 0) {
			if (prc != PCRE2_ERROR_NOMATCH)
				fail_msg("%s: pcre2 matches '%.*s'", r->src,
				    (int)len, line);
			continue;
		}
		if (prc < 0)
			fail_msg("%s: pcre2 does not match '%.*s'", r->src,
			    (int)len, line);
		pov = pcre2_get_ovector_pointer(md);
		if (pov[0] != ov[0] || pov[1] != ov[1] || pov[2] != ov[2] ||
		    pov[3] != ov[3])
			fail_msg("%s: '%.*s': %zu-%zu, pcre2 %zu-%zu", r->src,
			    (int)len, line, ov[2], ov[3], (size_t)pov[2],
			    (size_t)pov[3]);
	}
	return deferred;
}

static void
test_simple_rules(void **state)
{
	static const char *const drivers[] = { "arista-eos", "bird",
	    "cisco-ios", "cisco-iosxr", "cisco-nxos", "frr", "juniper-junos",
	    NULL };
	struct lg_driver	 d;
	struct lg_diag		 diag;
	const struct parse_rules *pr;
	const struct pr_rule	*r;
	pcre2_match_data	*md;
	const char		*top = getenv("LG_TOP");
	char			 path[1024];
	size_t			 i, s, k, nsimple = 0, lines = 0, deferred = 0;
	int			 q, bird_community = 0;

	(void)state;
	assert_non_null(md = pcre2_match_data_create(8, NULL));
	for (i = 0; drivers[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/drivers/%s.conf",
		    top != NULL ? top : ".", drivers[i]);
		diag_init(&diag);
		assert_int_equal(driver_load_file(path, &d, &diag), 0);
		diag_free(&diag);
		for (q = 0; q < Q_COUNT; q++) {
			if ((pr = d.parse[q]) == NULL)
				continue;
			for (s = 0; s < pr->nstates; s++)
				for (k = 0; k < pr->states[s].nrules; k++) {
					r = &pr->states[s].rules[k];
					/* A rule keeps its source's bytes,
					 * not the expansion's 8 KiB. */
					assert_true(malloc_usable_size(r->src) <
					    strlen(r->src) + 1 + 64);
					if (r->simple == PRS_NONE)
						continue;
					nsimple++;
					if (strcmp(r->src, "^\\tBGP\\.community: "
					    "(?<communities>.*)$") == 0)
						bird_community = 1;
					deferred += simple_check(r, md, 2000);
					lines += 2000;
				}
		}
		driver_free(&d);
	}
	pcre2_match_data_free(md);
	assert_true(bird_community);
	assert_true(nsimple >= 40);
	/* Only "$" after a run cut by CR or LF is left to pcre2. */
	assert_true(deferred * 4 < lines);
}

/*
 * What makes a rule simple: one capture, nothing after it but "$", an
 * optional character only before ".*".
 */
static void
test_simple_kinds(void **state)
{
	static const struct {
		const char	*match;
		enum pr_simple	 simple;
	} cases[] = {
		{ "^A: (?<med>\\\\d+)", PRS_RUN },
		{ "^\\\\s*+A: (?<med>[0-9]+)$", PRS_RUN },
		{ "^A: ?(?<rd>.*)$", PRS_ANY },
		{ "^A: ?(?<med>\\\\d+)", PRS_NONE },
		{ "^A: (?<med>\\\\d+) x", PRS_NONE },
		{ "^A: (?<med>\\\\d+)(?<weight>\\\\d+)", PRS_NONE },
		{ "(?i)^A: (?<rd>.*)", PRS_NONE },
		{ "^A: (?<med>\\\\d*)", PRS_NONE },
		{ "^A: (?<rd>.*?)$", PRS_NONE },
		{ "^(?<rd>.*)$", PRS_NONE },
		{ NULL, PRS_NONE }
	};
	struct lg_driver	 d;
	char			 buf[512];
	size_t			 i, ov[4];

	(void)state;
	for (i = 0; cases[i].match != NULL; i++) {
		snprintf(buf, sizeof(buf), "parse = { bgp_route = { start = ("
		    " { match = \"^P (?<prefix>\\\\S+)\"; action = \"prefix\"; },"
		    " { match = \"%s\"; } ); }; };\n", cases[i].match);
		load(&d, buf);
		if (d.parse[Q_BGP_ROUTE]->states[0].rules[1].simple !=
		    cases[i].simple)
			fail_msg("%s: simple %d, not %d", cases[i].match,
			    d.parse[Q_BGP_ROUTE]->states[0].rules[1].simple,
			    cases[i].simple);
		driver_free(&d);
	}
	/* "$" after a run that stops at a final LF: pcre2 decides. */
	load(&d, "parse = { bgp_route = { start = ( { match = "
	    "\"^A: (?<med>\\\\d+)$\"; } ); }; };\n");
	assert_int_equal(parser_simple(&d.parse[Q_BGP_ROUTE]->states[0].rules[0],
	    "A: 12\n", 6, 0, ov), -1);
	assert_int_equal(parser_simple(&d.parse[Q_BGP_ROUTE]->states[0].rules[0],
	    "A: 12", 5, 0, ov), 1);
	assert_int_equal(ov[2], 3);
	assert_int_equal(ov[3], 5);
	assert_int_equal(parser_simple(&d.parse[Q_BGP_ROUTE]->states[0].rules[0],
	    "A: x", 4, 0, ov), 0);
	driver_free(&d);
}

/*
 * A path's object is made when the path ends, but an item holds all its
 * paths, each whole, by the time the next item starts (what a reader of
 * the answer's list while the parse goes on sees); a path left open
 * when the parser is freed unfinished is freed with it.
 */
static void
test_path_at_end(void **state)
{
	static const char text[] = "P 10.0.0.0/16\nR* nh=192.0.2.1 path=1;\n"
	    "  med 5\nR nh=192.0.2.2 path=2 3; c=no-export\n  med 7\n"
	    "P 10.1.0.0/16\n";
	struct lg_driver	 d;
	struct parser		*p;
	json_t			*paths, *path;
	char			 err[64];

	(void)state;
	load(&d, simple_rules);
	assert_non_null(p = parser_new(&d, Q_BGP_ROUTE, AFI_IPV4, 0, err,
	    sizeof(err)));
	assert_int_equal(parser_feed_text(p, text, sizeof(text) - 1), 0);
	assert_int_equal(json_array_size(p->prefixes), 2);
	paths = json_object_get(json_array_get(p->prefixes, 0), "paths");
	assert_int_equal(json_array_size(paths), 2);
	path = json_array_get(paths, 1);
	assert_int_equal(json_integer_value(json_object_get(path, "med")), 7);
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    path, "communities"), 0)), "65535:65281");
	assert_true(json_is_false(json_object_get(path, "best")));
	assert_true(json_is_true(json_object_get(json_array_get(paths, 0),
	    "best")));
	/* The key order is the model's, as_path_segments after as_path. */
	assert_string_equal(json_object_iter_key(json_object_iter_next(path,
	    json_object_iter_at(path, "as_path"))), "as_path_segments");
	assert_int_equal(parser_feed_text(p, "R nh=192.0.2.3 path=4;\n", 23),
	    0);
	parser_free(p);
	driver_free(&d);
}

/*
 * A "(?i)^" pattern's literal start refuses lines before pcre2 runs,
 * compared caseless as pcre2 compares it: ASCII letters in either case,
 * other bytes as they are.
 */
static void
test_caseless_literal(void **state)
{
	struct lg_driver	 d;
	const struct pr_rule	*r;
	json_t			*j, *path;

	(void)state;
	load(&d, "parse = { bgp_route = { start = (\n"
	    "  { match = \"^P (?<prefix>\\\\S+)\"; action = \"prefix\"; },\n"
	    "  { match = \"^R nh=(?<next_hop>\\\\S+)\"; action = \"path\"; },\n"
	    "  { match = \"(?i)^\\\\s*+rpki state: (?<router_rpki>valid|"
	    "invalid)\"; } ); }; };\n");
	r = &d.parse[Q_BGP_ROUTE]->states[0].rules[2];
	assert_true(r->litcase);
	assert_int_equal(r->litlen, strlen("rpki state: "));
	j = parse_text(&d, "P 10.0.0.0/8\nR nh=192.0.2.1\n"
	    "  RPKI State: VALID\n", 5, 0);
	path = json_array_get(json_object_get(json_array_get(json_object_get(
	    j, "prefixes"), 0), "paths"), 0);
	assert_string_equal(json_string_value(json_object_get(path,
	    "router_rpki")), "valid");
	json_decref(j);
	/* Letters only: a "_" is no " ", whatever the case. */
	j = parse_text(&d, "P 10.0.0.0/8\nR nh=192.0.2.1\n"
	    "  rpki_state: valid\n", 5, 0);
	path = json_array_get(json_object_get(json_array_get(json_object_get(
	    j, "prefixes"), 0), "paths"), 0);
	assert_true(json_is_null(json_object_get(path, "router_rpki")));
	json_decref(j);
	driver_free(&d);
}

/*
 * Values repeated through an answer are one shared value; another value
 * in the same slot takes it, a long or invalid string is never kept, and
 * without a table every value is new.
 */
static void
test_intern(void **state)
{
	struct pv_intern	 in;
	json_t			*a, *b, *c;
	char			 longer[64];
	json_int_t		 n;

	(void)state;
	memset(&in, 0, sizeof(in));
	a = pv_int(&in, 65001);
	b = pv_int(&in, 65001);
	assert_ptr_equal(a, b);
	assert_int_equal(a->refcount, 3);
	json_decref(b);
	/* Every number lands somewhere: each one reads back as itself. */
	for (n = 0; n < 4096; n++) {
		assert_non_null(c = pv_int(&in, n * 7919));
		assert_int_equal(json_integer_value(c), n * 7919);
		json_decref(c);
	}
	assert_int_equal(json_integer_value(a), 65001);
	json_decref(a);
	a = pv_string(&in, "198.18.0.1", 10);
	b = pv_string(&in, "198.18.0.1xyz", 10);
	assert_ptr_equal(a, b);
	assert_string_equal(json_string_value(b), "198.18.0.1");
	json_decref(b);
	b = pv_string(&in, "198.18.0.2", 10);
	assert_ptr_not_equal(a, b);
	assert_string_equal(json_string_value(a), "198.18.0.1");
	json_decref(a);
	json_decref(b);
	assert_null(pv_string(&in, "\xff\xfe", 2));
	memset(longer, 'x', sizeof(longer));
	a = pv_string(&in, longer, sizeof(longer));
	b = pv_string(&in, longer, sizeof(longer));
	assert_ptr_not_equal(a, b);
	assert_int_equal(json_string_length(a), sizeof(longer));
	json_decref(a);
	json_decref(b);
	a = pv_int(NULL, 1);
	b = pv_int(NULL, 1);
	assert_ptr_not_equal(a, b);
	json_decref(a);
	json_decref(b);
	pv_intern_clear(&in);
	assert_null(in.ints[0]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aspath),
		cmocka_unit_test(test_intern),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_communities),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_answer),
		cmocka_unit_test(test_chunks),
		cmocka_unit_test(test_next_command),
		cmocka_unit_test(test_no_rules),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_cut),
		cmocka_unit_test(test_budget),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_match_limit),
		cmocka_unit_test(test_again),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_rest),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_first_after_literal),
		cmocka_unit_test(test_simple_rules),
		cmocka_unit_test(test_simple_kinds),
		cmocka_unit_test(test_path_at_end),
		cmocka_unit_test(test_caseless_literal),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
