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
 * Unit tests of src/lgctl/output.c, lgctl's renderers: text from a
 * router or the broker never reaches the terminal raw (escapes, CR and C1
 * controls written as \xNN, one table row per router whatever its
 * fields hold), and -j prints one JSON document in the HTTP API's shape.
 * The renderers write to stdout, which each test points at a file.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "lg.h"
#include "lg_proto.h"
#include "lgctl/lgctl.h"

static FILE	*cap;
static int	 saved = -1;

static void
capture_start(void)
{
	fflush(stdout);
	assert_non_null(cap = tmpfile());
	assert_true((saved = dup(STDOUT_FILENO)) != -1);
	assert_true(dup2(fileno(cap), STDOUT_FILENO) != -1);
}

/* What the renderers wrote since capture_start, malloc'd. */
static char *
capture_end(void)
{
	char	*s;
	long	 len;

	fflush(stdout);
	assert_true(dup2(saved, STDOUT_FILENO) != -1);
	close(saved);
	len = ftell(cap);
	rewind(cap);
	assert_non_null(s = calloc(1, (size_t)len + 1));
	assert_int_equal(fread(s, 1, (size_t)len, cap), (size_t)len);
	fclose(cap);
	return s;
}

static void
router_fill(struct lg_msg_router *r, const char *name, const char *loc)
{
	memset(r, 0, sizeof(*r));
	lg_strlcpy(r->name, name, sizeof(r->name));
	lg_strlcpy(r->location, loc, sizeof(r->location));
	lg_strlcpy(r->group, "Europe", sizeof(r->group));
	lg_strlcpy(r->vendor, "Cisco", sizeof(r->vendor));
	r->queries = Q_MASK(Q_BGP_ROUTE) | Q_MASK(Q_PING);
	r->state = ROUTER_STATE_UP;
}

static void
test_text_router_escaped(void **state)
{
	struct lg_msg_router	 r;
	char			*out;

	(void)state;
	router_fill(&r, "fra1", "Frank\x1b[2Jfurt\r\nams1 up \xc2\x9b");
	capture_start();
	output_text.router(&r);
	out = capture_end();
	assert_null(strchr(out, '\x1b'));
	assert_null(strchr(out, '\r'));
	assert_null(strstr(out, "\xc2\x9b"));
	assert_non_null(strstr(out, "Frank\\x1b[2Jfurt\\x0d\\x0aams1"));
	assert_non_null(strstr(out, "\\xc2\\x9b"));
	/* One row: the only newline ends it. */
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	assert_non_null(strstr(out, "fra1"));
	assert_non_null(strstr(out, " up "));
	assert_non_null(strstr(out, "bgp_route,ping\n"));
	free(out);
}

static void
test_text_status_escaped(void **state)
{
	struct lg_msg_router_status	 s = { 0 };
	char				*out;

	(void)state;
	lg_strlcpy(s.name, "lon1", sizeof(s.name));
	s.state = ROUTER_STATE_DOWN;
	s.sessions_max = 2;
	lg_strlcpy(s.last_error, "auth failed\r\x1b]0;owned\x07 \xff",
	    sizeof(s.last_error));
	capture_start();
	output_text.status(&s);
	out = capture_end();
	assert_null(strchr(out, '\x1b'));
	assert_null(strchr(out, '\x07'));
	assert_non_null(strstr(out, "auth failed\\x0d\\x1b]0;owned\\x07 "
	    "\\xff\n"));
	assert_non_null(strstr(out, "down"));
	assert_ptr_equal(strchr(out, '\n'), out + strlen(out) - 1);
	free(out);
}

static void
test_json_routers(void **state)
{
	struct lg_msg_router	 r1, r2;
	json_error_t		 jerr;
	json_t			*doc, *a;
	char			*out;

	(void)state;
	router_fill(&r1, "fra1", "Frankfurt \"DE\"");
	router_fill(&r2, "ams1", "Amsterdam\x1b");
	r2.state = ROUTER_STATE_DOWN;
	r2.queries = Q_MASK(Q_BGP_SUMMARY);
	capture_start();
	output_json.router(&r1);
	output_json.router(&r2);
	output_json.routers_end();
	out = capture_end();
	doc = json_loads(out, 0, &jerr);
	if (doc == NULL)
		fail_msg("not JSON: %s: %s", jerr.text, out);
	a = json_object_get(doc, "routers");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 0), "location")), "Frankfurt \"DE\"");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    json_array_get(a, 0), "queries"), 1)), "ping");
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(a, 1), "state")), "down");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    json_array_get(a, 1), "queries"), 0)), "bgp_summary");
	/* JSON escapes the control byte itself; nothing raw on stdout. */
	assert_null(strchr(out, '\x1b'));
	json_decref(doc);
	free(out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_router_escaped),
		cmocka_unit_test(test_text_status_escaped),
		cmocka_unit_test(test_json_routers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
