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
 * Unit tests for src/lgwebd/static.c: which decoded URL paths may name a
 * file below www/, and the content types.
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
test_path_ok(void **state)
{
	static const char *const good[] = { "index.html", "app.js",
	    "api/openapi.json", "fonts/inter-v1.woff2", "a/b/c.png", NULL };
	static const char *const bad[] = { "", "..", "../etc/passwd",
	    "a/../../b", "a/./b", ".git/config", ".htaccess", "a//b", "a/",
	    "/etc/passwd", "a\\..\\b", "a b", "a\tb", "x\x7f", NULL };
	char	 s[400];
	size_t	 i;

	(void)state;
	for (i = 0; good[i] != NULL; i++)
		assert_int_equal(static_path_ok(good[i]), 0);
	for (i = 0; bad[i] != NULL; i++)
		assert_int_equal(static_path_ok(bad[i]), -1);
	/* What a bad or NUL %-escape decodes to. */
	strcpy(s, "index.html");
	s[2] = WEB_BADESC;
	assert_int_equal(static_path_ok(s), -1);
	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	assert_int_equal(static_path_ok(s), -1);
	/* "%2e%2e/" decodes to "../" before we see it. */
	strcpy(s, "%2e%2e/x");
	params_unescape(s);
	assert_int_equal(static_path_ok(s), -1);
	strcpy(s, "a%2fb%00");
	params_unescape(s);
	assert_int_equal(static_path_ok(s), -1);
}

static void
test_types(void **state)
{
	(void)state;
	assert_string_equal(static_content_type("index.html"),
	    "text/html; charset=utf-8");
	assert_string_equal(static_content_type("app.js"),
	    "text/javascript; charset=utf-8");
	assert_string_equal(static_content_type("style.css"),
	    "text/css; charset=utf-8");
	assert_string_equal(static_content_type("logo.svg"), "image/svg+xml");
	assert_string_equal(static_content_type("a.PNG"), "image/png");
	assert_string_equal(static_content_type("favicon.ico"),
	    "image/x-icon");
	assert_string_equal(static_content_type("api/openapi.json"),
	    "application/json");
	assert_string_equal(static_content_type("f.woff2"), "font/woff2");
	assert_string_equal(static_content_type("js"),
	    "application/octet-stream");
	assert_string_equal(static_content_type("x.exe"),
	    "application/octet-stream");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_path_ok),
		cmocka_unit_test(test_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
