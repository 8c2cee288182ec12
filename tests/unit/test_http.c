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
 * Unit tests for src/lgwebd/http.c's cross-site rule: what Sec-Fetch-Site,
 * Origin and Host must say for a request to be taken as coming from
 * another site's page, hosts compared without ports, IPv6 literals in
 * brackets, case-insensitive, and clients that send neither passing.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lg.h"
#include "lgwebd/web.h"

#define WHY(f, o, h)	http_cross_site_why((f), (o), (h))

static void
test_fetch_site(void **state)
{
	(void)state;
	assert_non_null(WHY("cross-site", NULL, "lg.example.net"));
	assert_non_null(WHY("Cross-Site", NULL, NULL));
	/* Sec-Fetch-Site wins over an Origin that would pass. */
	assert_non_null(WHY("cross-site", "https://lg.example.net",
	    "lg.example.net"));
	assert_true(strstr(WHY("cross-site", NULL, NULL),
	    "Sec-Fetch-Site") != NULL);
	assert_null(WHY("same-origin", NULL, "lg.example.net"));
	assert_null(WHY("same-site", NULL, "lg.example.net"));
	assert_null(WHY("none", NULL, "lg.example.net"));
}

static void
test_no_browser_headers(void **state)
{
	(void)state;
	/* curl, scripts and RFC 8522 clients send neither. */
	assert_null(WHY(NULL, NULL, "lg.example.net"));
	assert_null(WHY(NULL, NULL, NULL));
}

static void
test_origin_matches_host(void **state)
{
	static const struct {
		const char	*origin;
		const char	*host;
	} same[] = {
		{ "https://lg.example.net", "lg.example.net" },
		{ "https://lg.example.net", "lg.example.net:443" },
		{ "http://lg.example.net:8080", "lg.example.net" },
		{ "https://LG.Example.NET", "lg.example.net" },
		{ "http://[2001:db8::1]:8080", "[2001:db8::1]" },
		{ "http://[2001:db8::1]", "[2001:db8::1]:80" },
		{ "http://127.0.0.1:8080", "127.0.0.1:8080" },
	}, other[] = {
		{ "https://evil.example", "lg.example.net" },
		{ "https://lg.example.net.evil.example", "lg.example.net" },
		{ "https://lg.example", "lg.example.net" },
		{ "null", "lg.example.net" },
		{ "https://", "lg.example.net" },
		{ "https://lg.example.net", NULL },
		{ "http://[2001:db8::1]", "[2001:db8::2]" },
		{ "http://[2001:db8::1]", "2001" },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		if (WHY(NULL, same[i].origin, same[i].host) != NULL)
			fail_msg("%s vs Host %s refused", same[i].origin,
			    same[i].host);
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++)
		if (WHY(NULL, other[i].origin, other[i].host) == NULL)
			fail_msg("%s vs Host %s passed", other[i].origin,
			    other[i].host ? other[i].host : "(none)");
	assert_true(strstr(WHY(NULL, "null", "x"), "Origin") != NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fetch_site),
		cmocka_unit_test(test_no_browser_headers),
		cmocka_unit_test(test_origin_matches_host),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
