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
 * Unit tests of the error code registry every program shares
 * (src/lib/err.c): names, their round trip and the HTTP statuses
 * (DESIGN.md section 6).
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_err_names_roundtrip),
		cmocka_unit_test(test_err_http),
		cmocka_unit_test(test_err_out_of_range),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
