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
 * Unit tests for src/lgwebd/format.c: the streamed formats of a query
 * answer (JSON and SSE) written from settled slots.  The output buffer's
 * cap stands in for an allocation that fails: at every size the answer
 * must come out whole or the writer must say it failed, never a
 * malformed answer that looks finished.
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

/* A request for 192.0.2.0/24 on two routers, both answered. */
static void
req_setup(struct api_req *r, enum api_format fmt, size_t cap)
{
	static const char *const outputs[] = { "line one\nline \"two\"\n",
	    "caf\xc3\xa9\n" };
	static const char *const names[] = { "r1", "r2" };
	static const char parsed[] = "{\"kind\":\"bgp_routes\",\"n\":1}";
	struct api_slot	*s;
	size_t		 i;

	memset(r, 0, sizeof(*r));
	r->f = &format_table[fmt];
	r->type = Q_BGP_ROUTE;
	lg_strlcpy(r->target.canon, "192.0.2.0/24", sizeof(r->target.canon));
	buf_init(&r->out, cap);
	r->nslots = 2;
	for (i = 0; i < r->nslots; i++) {
		s = &r->slots[i];
		s->req = r;
		lg_strlcpy(s->router, names[i], sizeof(s->router));
		s->state = SLOT_DONE;
		s->command = strdup("show ip bgp 192.0.2.0/24");
		assert_non_null(s->command);
		buf_init(&s->data, 4096);
		assert_int_equal(buf_append(&s->data, outputs[i],
		    strlen(outputs[i])), 0);
		s->end.runtime_ms = 12;
	}
	r->slots[0].parsed = strdup(parsed);
	assert_non_null(r->slots[0].parsed);
	r->slots[0].parsed_len = strlen(parsed);
	r->slots[1].end.error = LG_ERR_TIMEOUT;
	lg_strlcpy(r->slots[1].end.message, "the router took too long",
	    sizeof(r->slots[1].end.message));
}

static void
req_teardown(struct api_req *r)
{
	size_t	 i;

	for (i = 0; i < r->nslots; i++) {
		free(r->slots[i].command);
		free(r->slots[i].parsed);
		buf_free(&r->slots[i].data);
	}
	buf_free(&r->out);
}

/*
 * Runs a format to its end with the output capped at cap bytes.  Returns
 * 0 with the text in *out (malloc'd) when it finished, -1 when it said
 * it failed.
 */
static int
run(enum api_format fmt, size_t cap, char **out, size_t *len)
{
	struct api_req	*r;
	int		 rv, steps = 0;

	r = malloc(sizeof(*r));
	assert_non_null(r);
	req_setup(r, fmt, cap);
	while ((rv = format_step(r)) > 0)
		assert_true(++steps < 1000);
	if (rv == 0) {
		/* Finished: it stays finished. */
		assert_int_equal(format_step(r), 0);
		*len = r->out.len;
		*out = malloc(r->out.len + 1);
		assert_non_null(*out);
		if (r->out.len > 0)
			memcpy(*out, r->out.data, r->out.len);
		(*out)[r->out.len] = '\0';
	} else	/* Failed: it stays failed. */
		assert_int_equal(format_step(r), -1);
	req_teardown(r);
	free(r);
	return rv;
}

/* At every cap: the whole answer, or a failure said as such. */
static void
sweep(enum api_format fmt, const char *full, size_t len)
{
	char	*out;
	size_t	 cap, n, whole = 0;

	for (cap = 0; cap < len + 16; cap++) {
		if (run(fmt, cap, &out, &n) == -1) {
			assert_true(cap < len);
			continue;
		}
		assert_int_equal(n, len);
		assert_memory_equal(out, full, len);
		free(out);
		whole++;
	}
	assert_int_equal(whole, 16);
}

static void
test_json(void **state)
{
	json_t	*j, *res;
	char	*full;
	size_t	 len;

	(void)state;
	assert_int_equal(run(FMT_JSON, SIZE_MAX / 2, &full, &len), 0);
	j = json_loadb(full, len, 0, NULL);
	assert_non_null(j);
	res = json_object_get(j, "results");
	assert_int_equal(json_array_size(res), 2);
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(res, 0), "output")), "line one\nline \"two\"\n");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    json_array_get(res, 0), "parsed"), "kind")), "bgp_routes");
	assert_true(json_is_null(json_object_get(json_array_get(res, 1),
	    "parsed")));
	assert_string_equal(json_string_value(json_object_get(
	    json_array_get(res, 1), "status")), "error");
	json_decref(j);
	sweep(FMT_JSON, full, len);
	free(full);
}

static void
test_sse(void **state)
{
	char	*full;
	size_t	 len;

	(void)state;
	assert_int_equal(run(FMT_SSE, SIZE_MAX / 2, &full, &len), 0);
	assert_non_null(strstr(full, "event: begin\ndata: {\"router\":"
	    "\"r1\""));
	assert_non_null(strstr(full, "event: parsed\ndata: {\"router\":"
	    "\"r1\",\"parsed\":{\"kind\":\"bgp_routes\",\"n\":1}}\n\n"));
	assert_non_null(strstr(full, "event: parsed\ndata: {\"router\":"
	    "\"r2\",\"parsed\":null}\n\n"));
	assert_true(len > 22 && strcmp(full + len - 22,
	    "event: done\ndata: {}\n\n") == 0);
	sweep(FMT_SSE, full, len);
	free(full);
}

/*
 * RFC 8522's "fail" for a ping that ran and got no reply: a parsed ping
 * with none of its probes answered, and nothing else.
 */
static void
test_ping_unanswered(void **state)
{
	static const struct {
		const char	*parsed;
		int		 unanswered;
	} cases[] = {
		{ "{\"kind\":\"ping\",\"sent\":5,\"received\":0}", 1 },
		{ "{\"kind\":\"ping\",\"sent\":5,\"received\":1}", 0 },
		{ "{\"kind\":\"ping\",\"sent\":0,\"received\":0}", 0 },
		{ "{\"kind\":\"ping\",\"sent\":5,\"received\":null}", 0 },
		{ "{\"kind\":\"traceroute\",\"sent\":5,\"received\":0}", 0 },
		{ "{\"sent\":5,\"received\":0}", 0 },
		{ "[]", 0 },
	};
	char	 why[128];
	json_t	*j;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		j = json_loads(cases[i].parsed, 0, NULL);
		assert_non_null(j);
		why[0] = '\0';
		assert_int_equal(format_ping_unanswered(j, why, sizeof(why)),
		    cases[i].unanswered);
		if (cases[i].unanswered)
			assert_string_equal(why,
			    "no reply: none of the 5 probes was answered");
		json_decref(j);
	}
	assert_int_equal(format_ping_unanswered(NULL, why, sizeof(why)), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_sse),
		cmocka_unit_test(test_ping_unanswered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
