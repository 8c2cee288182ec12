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
 * Unit tests for src/lgwebd/rfc8522.c: path parsing into commands,
 * parameters (protocol, router/routerindex, runtime, format, vrf, repeats,
 * case), and the JSend documents; plus format.c's UTF-8 cleaning that every
 * JSON answer goes through.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "lg.h"
#include "lgwebd/web.h"

#define B	RFC8522_BASE

static int
parse(const char *path, struct rfc8522_req *r)
{
	char	 err[LG_ERRSTR_MAX];

	return rfc8522_parse_path(path, r, err, sizeof(err));
}

static void
test_paths(void **state)
{
	struct rfc8522_req	 r;
	char			 bad[64];

	(void)state;
	assert_int_equal(parse(B "routers", &r), 0);
	assert_int_equal(r.what, RFC_ROUTERS);
	assert_int_equal(parse(B "cmd", &r), 0);
	assert_int_equal(r.what, RFC_CMD);
	assert_int_equal(parse(B "routers/12", &r), 0);
	assert_int_equal(r.what, RFC_ROUTER);
	assert_int_equal(r.index, 12);
	assert_int_equal(parse(B "routers/x", &r), -1);
	assert_int_equal(parse(B "routers/", &r), -1);
	assert_int_equal(parse(B "routers/1234567", &r), -1);

	assert_int_equal(parse(B "ping/198.18.0.1", &r), 0);
	assert_int_equal(r.what, RFC_QUERY);
	assert_int_equal(r.type, Q_PING);
	assert_string_equal(r.arg, "198.18.0.1");
	assert_int_equal(parse(B "traceroute/lg.example.net", &r), 0);
	assert_int_equal(r.type, Q_TRACEROUTE);
	/* The extension mtr/{host} (DESIGN.md section 15). */
	assert_int_equal(parse(B "mtr/198.18.0.1", &r), 0);
	assert_int_equal(r.type, Q_MTR);
	assert_string_equal(r.arg, "198.18.0.1");
	assert_int_equal(parse(B "mtr/", &r), -1);
	assert_int_equal(parse(B "show/bgp/summary", &r), 0);
	assert_int_equal(r.type, Q_BGP_SUMMARY);
	assert_string_equal(r.arg, "");
	assert_int_equal(parse(B "show/bgp/192.0.2.0/24", &r), 0);
	assert_int_equal(r.type, Q_BGP_ROUTE);
	assert_string_equal(r.arg, "192.0.2.0/24");
	assert_int_equal(parse(B "show/route/2001:2::/48", &r), 0);
	assert_int_equal(r.type, Q_ROUTE);
	assert_string_equal(r.arg, "2001:2::/48");
	assert_int_equal(parse(B "show/bgp/community/65000:100", &r), 0);
	assert_int_equal(r.type, Q_BGP_COMMUNITY);
	assert_int_equal(parse(B "show/bgp/aspath/^65000_", &r), 0);
	assert_int_equal(r.type, Q_BGP_ASPATH);
	assert_int_equal(parse(B "show/bgp/neighbors/198.18.0.2", &r), 0);
	assert_int_equal(r.type, Q_BGP_NEIGHBORS);
	assert_int_equal(parse(B "show/bgp/neighbors/received-routes/"
	    "198.18.0.2", &r), 0);
	assert_int_equal(r.type, Q_BGP_NEIGHBOR_RECEIVED);
	assert_string_equal(r.arg, "198.18.0.2");
	assert_int_equal(parse(B "show/bgp/neighbors/advertised-routes/"
	    "2001:2::1", &r), 0);
	assert_int_equal(r.type, Q_BGP_NEIGHBOR_ADVERTISED);
	assert_string_equal(r.arg, "2001:2::1");
	/* Without an address it is no command; nor is another word. */
	assert_int_equal(parse(B "show/bgp/neighbors/received-routes", &r),
	    0);
	assert_int_equal(r.type, Q_BGP_NEIGHBORS);	/* validation refuses */
	assert_int_equal(parse(B "show/bgp/neighbors/received-routes/", &r),
	    0);
	assert_int_equal(r.type, Q_BGP_NEIGHBORS);

	assert_int_equal(parse(B "show/bgp", &r), -1);
	assert_int_equal(parse(B "show/bgp/", &r), -1);
	assert_int_equal(parse(B "ping", &r), -1);
	assert_int_equal(parse(B "show/bgp/summary/x", &r), 0);
	assert_int_equal(r.type, Q_BGP_ROUTE);	/* validation refuses it */
	assert_int_equal(parse(B "shell/ls", &r), -1);
	assert_int_equal(parse("/api/v1/routers", &r), -1);
	strcpy(bad, B "ping/1.2.3.4");
	bad[strlen(bad) - 1] = WEB_BADESC;
	assert_int_equal(parse(bad, &r), -1);
	strcpy(bad, B "ping/1.2.3.4\n");
	assert_int_equal(parse(bad, &r), -1);
}

static void
test_params(void **state)
{
	struct rfc8522_params	 p;
	struct lg_config	 conf = { 0 };

	(void)state;
	config_defaults(&conf);
	conf.web.vrfs = xcalloc(1, sizeof(*conf.web.vrfs));
	conf.web.vrfs[0] = xstrdup("blue");
	conf.web.nvrfs = 1;

	rfc8522_params_init(&p, &conf);
	assert_int_equal(rfc8522_param(&p, "Protocol", "2,1"), 0);
	assert_int_equal(p.afi, AFI_IPV6);
	assert_int_equal(rfc8522_param(&p, "ROUTERINDEX", "3"), 0);
	assert_int_equal(p.routerindex, 3);
	assert_int_equal(rfc8522_param(&p, "router", "r1"), 0);
	assert_string_equal(p.router, "r1");
	assert_int_equal(rfc8522_param(&p, "runtime", "30"), 0);
	assert_int_equal(p.runtime, 30);
	assert_int_equal(rfc8522_param(&p, "format", "text/plain"), 0);
	assert_int_equal(rfc8522_param(&p, "vrf", "blue"), 0);
	assert_string_equal(p.vrf, "blue");
	assert_int_equal(rfc8522_param(&p, "random", "anything at all"), 0);
	assert_int_equal(rfc8522_param(&p, "unknown", "x"), 0);
	assert_int_equal(p.error, LG_OK);

	rfc8522_params_init(&p, &conf);
	assert_int_equal(rfc8522_param(&p, "protocol", "1"), 0);
	assert_int_equal(p.afi, AFI_IPV4);
	assert_int_equal(rfc8522_param(&p, "protocol", "1"), -1);
	assert_string_equal(p.errstr, "protocol: given more than once");

	rfc8522_params_init(&p, &conf);
	assert_int_equal(rfc8522_param(&p, "protocol", "1,128"), -1);
	assert_int_equal(p.error, LG_ERR_BAD_QUERY);
	rfc8522_params_init(&p, &conf);
	assert_int_equal(rfc8522_param(&p, "format", "text/html"), -1);
	assert_string_equal(p.errstr, "format: only text/plain and "
	    "application/json are offered");
	rfc8522_params_init(&p, &conf);
	assert_int_equal(p.json, 0);
	assert_int_equal(rfc8522_param(&p, "format", "Application/JSON"), 0);
	assert_int_equal(p.json, 1);
	rfc8522_params_init(&p, &conf);
	assert_int_equal(rfc8522_param(&p, "vrf", "red"), -1);
	rfc8522_params_init(&p, &conf);
	assert_int_equal(rfc8522_param(&p, "runtime", "-1"), -1);
	rfc8522_params_init(&p, &conf);
	assert_int_equal(rfc8522_param(&p, "router", "<b>"), -1);
	assert_null(strchr(p.errstr, '<'));
	rfc8522_params_init(&p, &conf);
	assert_int_equal(rfc8522_param(&p, "routerindex", "1x"), -1);
	config_free(&conf);
}

static json_t *
member(json_t *o, const char *path)
{
	char	 buf[64], *tok, *save;

	strcpy(buf, path);
	for (tok = strtok_r(buf, ".", &save); tok != NULL && o != NULL;
	    tok = strtok_r(NULL, ".", &save))
		o = json_object_get(o, tok);
	return o;
}

static void
test_jsend(void **state)
{
	json_t	*d;
	char	*text;

	(void)state;
	d = rfc8522_success("r1", "show ip bgp 192.0.2.0/24", 0, 1500,
	    "line one\r\nline two\n\nlast", 24, 1, 0);
	assert_non_null(d);
	assert_string_equal(json_string_value(member(d, "status")),
	    "success");
	assert_string_equal(json_string_value(member(d, "data.router")),
	    "r1");
	assert_string_equal(json_string_value(member(d,
	    "data.performed_at")), "1970-01-01T00:00:00Z");
	assert_true(json_real_value(member(d, "data.runtime")) == 1.5);
	assert_string_equal(json_string_value(member(d, "data.format")),
	    "text/plain");
	assert_int_equal(json_array_size(member(d, "data.output")), 4);
	assert_string_equal(json_string_value(json_array_get(member(d,
	    "data.output"), 0)), "line one");
	assert_string_equal(json_string_value(json_array_get(member(d,
	    "data.output"), 2)), "");
	assert_true(json_is_true(member(d, "data.cached")));
	json_decref(d);

	/* format=application/json: the parsed object replaces the text. */
	d = rfc8522_success("r1", "show bgp", 0, 1, "text\n", 5, 0, 0);
	rfc8522_set_parsed(d, json_pack("{s:s, s:b}", "kind", "bgp_routes",
	    "not_found", 1));
	assert_string_equal(json_string_value(member(d, "data.format")),
	    "application/json");
	assert_string_equal(json_string_value(member(d, "data.output.kind")),
	    "bgp_routes");
	rfc8522_set_parsed(d, NULL);	/* none: nothing changes */
	assert_string_equal(json_string_value(member(d, "data.format")),
	    "application/json");
	json_decref(d);

	/*
	 * Issue 12 item 3: every failure of the request or the service is
	 * "error" with a message (RFC 8522 section 2.3.3), a refusal too.
	 */
	d = rfc8522_error_doc(LG_ERR_DENIED, "target: in a forbidden network");
	assert_string_equal(json_string_value(member(d, "status")), "error");
	assert_string_equal(json_string_value(member(d, "message")),
	    "target: in a forbidden network");
	assert_string_equal(json_string_value(member(d, "data.code")),
	    "denied");
	json_decref(d);
	d = rfc8522_error_doc(LG_ERR_UNREACHABLE, "router unreachable");
	assert_string_equal(json_string_value(member(d, "status")), "error");
	assert_string_equal(json_string_value(member(d, "message")),
	    "router unreachable");
	assert_string_equal(json_string_value(member(d, "data.code")),
	    "router_unreachable");
	json_decref(d);

	/* "fail": the router ran the command and said no (section 2.3.2). */
	d = rfc8522_failed(rfc8522_success("r1", "show ip bgp x", 0, 601,
	    "% Invalid input detected", 24, 0, 0), "the router rejected it");
	assert_non_null(d);
	assert_string_equal(json_string_value(member(d, "status")), "fail");
	assert_string_equal(json_string_value(member(d, "data.message")),
	    "the router rejected it");
	assert_string_equal(json_string_value(member(d, "data.code")),
	    "command_failed");
	assert_string_equal(json_string_value(json_array_get(member(d,
	    "data.output"), 0)), "% Invalid input detected");
	/* runtime in milliseconds, without float noise. */
	text = http_json_text(d);
	assert_non_null(strstr(text, "\"runtime\":0.601,"));
	free(text);
	json_decref(d);
}

static void
test_utf8(void **state)
{
	char	 s[32];

	(void)state;
	strcpy(s, "caf\xc3\xa9 ok");
	assert_int_equal(format_utf8(s, strlen(s), 1), strlen(s));
	assert_string_equal(s, "caf\xc3\xa9 ok");
	/* A sequence cut at the end waits for the rest unless final. */
	strcpy(s, "ab\xe2\x82");
	assert_int_equal(format_utf8(s, 4, 0), 2);
	assert_int_equal(format_utf8(s, 4, 1), 4);
	assert_string_equal(s, "ab??");
	/* Stray continuation, overlong, surrogate, beyond U+10FFFF. */
	strcpy(s, "\x80\xc0\xaf\xed\xa0\x80\xf4\x90\x80\x80");
	assert_int_equal(format_utf8(s, strlen(s), 0), strlen(s));
	assert_null(strpbrk(s, "\x80\xc0\xed\xf4"));
	strcpy(s, "\xf0\x9f\x98\x80");
	assert_int_equal(format_utf8(s, 4, 0), 4);
	assert_string_equal(s, "\xf0\x9f\x98\x80");
	/* One '?' per bad byte, the bytes after it read afresh. */
	strcpy(s, "\xe2\x28\xa1x\xc3");
	assert_int_equal(format_utf8(s, 5, 1), 5);
	assert_string_equal(s, "?(?x?");
	/* A sequence that went wrong before the end is not held back. */
	strcpy(s, "ab\xf0\x9f\x28");
	assert_int_equal(format_utf8(s, 5, 0), 5);
	assert_string_equal(s, "ab?" "?(");
	strcpy(s, "\xff\xfe\xc1\xbf\xf5\x80");
	assert_int_equal(format_utf8(s, 6, 0), 6);
	assert_string_equal(s, "?" "?" "?" "?" "?" "?");
}

/*
 * Every byte string comes out as UTF-8 that jansson takes, with valid
 * input untouched and nothing but '?' written: a sweep over all two-byte
 * strings and every three-byte string that starts with the lead byte of a
 * three- or four-byte sequence.
 */
static void
test_utf8_sweep(void **state)
{
	unsigned int	 a, b, c, len;
	char		 in[4] = { 0 }, out[4];
	json_t		*j;

	(void)state;
	for (a = 0; a < 256; a++)
		for (b = 0; b < 256; b++)
			for (c = 0; c < (a >= 0xe0 ? 256U : 1U); c++) {
				in[0] = (char)a;
				in[1] = (char)b;
				in[2] = (char)c;
				len = a >= 0xe0 ? 3 : 2;
				memcpy(out, in, sizeof(out));
				assert_int_equal(format_utf8(out, len, 1), len);
				j = json_stringn(out, len);
				assert_non_null(j);
				json_decref(j);
				if ((j = json_stringn(in, len)) != NULL) {
					assert_memory_equal(in, out, len);
					json_decref(j);
				}
				for (len = 0; len < 3; len++)
					assert_true(in[len] == out[len] ||
					    out[len] == '?');
			}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_jsend),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_utf8_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
