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
 * Unit tests for web.store's pure parts: the address (src/lib/store_url.c)
 * and the record of a cache entry kept in the store (wcache_encode and
 * wcache_decode in src/lgwebd/cache.c): a round trip keeps every field
 * and turns the stored time into the age, and every malformed record is
 * refused.  Without web.store the cache and the limiter never reach for
 * a server (store_active is 0).
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lg.h"
#include "lgwebd/web.h"

static const struct {
	const char		*url;
	enum lg_store_kind	 kind;
	const char		*host;	/* or path */
	unsigned int		 port, db;
	const char		*err;	/* NULL: accepted */
} urls[] = {
	{ "", LG_STORE_LOCAL, "", 0, 0, NULL },
	{ "redis://127.0.0.1:6380", LG_STORE_TCP, "127.0.0.1", 6380, 0, NULL },
	{ "redis://127.0.0.1", LG_STORE_TCP, "127.0.0.1", 6379, 0, NULL },
	{ "redis://10.1.2.3:7000/5", LG_STORE_TCP, "10.1.2.3", 7000, 5, NULL },
	{ "redis://127.0.0.1/3", LG_STORE_TCP, "127.0.0.1", 6379, 3, NULL },
	{ "redis://[::1]:6379/1", LG_STORE_TCP, "::1", 6379, 1, NULL },
	{ "redis://[2001:db8::7]", LG_STORE_TCP, "2001:db8::7", 6379, 0,
	    NULL },
	{ "unix:/run/redis/redis.sock", LG_STORE_UNIX,
	    "/run/redis/redis.sock", 0, 0, NULL },
	{ "redis://localhost:6379", 0, NULL, 0, 0, "must be an IP address" },
	{ "redis://::1:6379", 0, NULL, 0, 0, "goes in brackets" },
	{ "redis://[::1:6379", 0, NULL, 0, 0, "lacks its ']'" },
	{ "redis://127.0.0.1:0", 0, NULL, 0, 0, "port must be" },
	{ "redis://127.0.0.1:65536", 0, NULL, 0, 0, "port must be" },
	{ "redis://127.0.0.1:", 0, NULL, 0, 0, "port must be" },
	{ "redis://127.0.0.1:63x9", 0, NULL, 0, 0, "port must be" },
	{ "redis://127.0.0.1:6379/", 0, NULL, 0, 0, "database must be" },
	{ "redis://127.0.0.1:6379/1024", 0, NULL, 0, 0, "database must be" },
	{ "redis://127.0.0.1:6379/1/2", 0, NULL, 0, 0, "database must be" },
	{ "redis://[::1]x", 0, NULL, 0, 0, "unexpected text" },
	{ "redis://user:pw@127.0.0.1", 0, NULL, 0, 0, "no user or password" },
	{ "redis://", 0, NULL, 0, 0, "host is missing" },
	{ "rediss://127.0.0.1", 0, NULL, 0, 0, "expected \"redis://" },
	{ "127.0.0.1:6379", 0, NULL, 0, 0, "expected \"redis://" },
	{ "unix:", 0, NULL, 0, 0, "absolute path" },
	{ "unix:run/redis.sock", 0, NULL, 0, 0, "absolute path" },
	{ NULL, 0, NULL, 0, 0, NULL }
};

static void
test_url(void **state)
{
	struct lg_store	 st;
	char		 err[LG_ERRSTR_MAX], path[200];
	size_t		 i;
	int		 rv;

	(void)state;
	for (i = 0; urls[i].url != NULL; i++) {
		memset(&st, 0xa5, sizeof(st));
		err[0] = '\0';
		rv = store_url_parse(urls[i].url, &st, err, sizeof(err));
		if (urls[i].err != NULL) {
			if (rv != -1 || strstr(err, urls[i].err) == NULL)
				fail_msg("%s: got %d \"%s\"", urls[i].url, rv,
				    err);
			continue;
		}
		if (rv != 0)
			fail_msg("%s: refused: %s", urls[i].url, err);
		assert_int_equal(st.kind, urls[i].kind);
		assert_string_equal(st.kind == LG_STORE_UNIX ? st.path :
		    st.host, urls[i].host);
		assert_int_equal(st.port, urls[i].port);
		assert_int_equal(st.db, urls[i].db);
	}
	/* A socket path longer than sun_path can hold. */
	memset(path, 'a', sizeof(path));
	memcpy(path, "unix:/", 6);
	path[sizeof(path) - 1] = '\0';
	assert_int_equal(store_url_parse(path, &st, err, sizeof(err)), -1);
}

static struct wcache_entry *
mk_entry(const char *parsed)
{
	static char		 out[] = "BGP routing table entry\r\n\0tail";
	static struct wcache_entry e;

	memset(&e, 0, sizeof(e));
	e.command = (char *)(uintptr_t)"show bgp 1.0.4.0/24";
	e.output = out;
	e.len = sizeof(out) - 1;	/* a NUL inside is kept */
	e.parsed = (char *)(uintptr_t)parsed;
	e.parsed_len = parsed != NULL ? strlen(parsed) : 0;
	e.runtime_ms = 1234;
	e.performed_at = 1700000000;
	return &e;
}

static void
test_roundtrip(void **state)
{
	struct wcache_key	 k = { .router = "xr1", .type = Q_BGP_ROUTE };
	struct wcache_entry	*e, *d;
	struct lg_buf		 b;
	const char		*parsed[2] = { "{\"kind\":\"bgp_routes\"}", NULL };
	struct wcache		*c = wcache_new(4, 1 << 20);
	int			 i;

	(void)state;
	assert_non_null(c);
	for (i = 0; i < 2; i++) {
		e = mk_entry(parsed[i]);
		buf_init(&b, 1 << 20);
		assert_int_equal(wcache_encode(e, 5000000, &b), 0);
		assert_memory_equal(b.data, WCACHE_MAGIC, 4);
		/* Read 7.5 s after it was stored, on a cache clock at 100. */
		d = wcache_decode(&k, b.data, b.len, 100.0, 5007500);
		assert_non_null(d);
		assert_string_equal(d->key.router, "xr1");
		assert_string_equal(d->command, e->command);
		assert_int_equal(d->len, e->len);
		assert_memory_equal(d->output, e->output, e->len);
		assert_int_equal(d->runtime_ms, 1234);
		assert_int_equal(d->performed_at, 1700000000);
		assert_true(100.0 - d->stored > 7.4 && 100.0 - d->stored < 7.6);
		assert_non_null(d->json);
		if (parsed[i] == NULL)
			assert_null(d->parsed);
		else
			assert_string_equal(d->parsed, parsed[i]);
		wcache_release(c, d);
		/* Another front's clock ahead of ours: age 0, not negative. */
		d = wcache_decode(&k, b.data, b.len, 100.0, 4000000);
		assert_non_null(d);
		assert_true(d->stored == 100.0);
		wcache_release(c, d);
		buf_free(&b);
	}
	wcache_free(c);
}

/*
 * A record that ends with its command (no output, no parsed answer), in a
 * buffer of exactly its size: the command is read as the bytes it is,
 * never as a string (strndup read one byte past it).
 */
static void
test_command_last(void **state)
{
	struct wcache_key	 k = { .router = "xr1", .type = Q_BGP_ROUTE };
	struct wcache_entry	*e, *d;
	struct lg_buf		 b;
	struct wcache		*c = wcache_new(4, 1 << 20);
	uint8_t			*exact;

	(void)state;
	assert_non_null(c);
	e = mk_entry(NULL);
	e->len = 0;
	buf_init(&b, 1 << 20);
	assert_int_equal(wcache_encode(e, 1, &b), 0);
	assert_non_null(exact = malloc(b.len));
	memcpy(exact, b.data, b.len);
	assert_non_null(d = wcache_decode(&k, exact, b.len, 1.0, 1));
	assert_string_equal(d->command, e->command);
	assert_int_equal(d->len, 0);
	wcache_release(c, d);
	free(exact);
	buf_free(&b);
	wcache_free(c);
}

static void
test_malformed(void **state)
{
	struct wcache_key	 k = { .router = "xr1" };
	struct wcache_entry	*e = mk_entry("{}");
	struct lg_buf		 b;
	char			*m;
	size_t			 cut;

	(void)state;
	buf_init(&b, 1 << 20);
	assert_int_equal(wcache_encode(e, 1, &b), 0);
	/* Every truncation, and one byte too many. */
	for (cut = 0; cut < b.len; cut++)
		assert_null(wcache_decode(&k, b.data, cut, 1.0, 1));
	m = malloc(b.len + 1);
	assert_non_null(m);
	memcpy(m, b.data, b.len);
	m[b.len] = 'x';
	assert_null(wcache_decode(&k, m, b.len + 1, 1.0, 1));
	/* A wrong magic; a length that lies; a NUL in the command. */
	m[0] = 'X';
	assert_null(wcache_decode(&k, m, b.len, 1.0, 1));
	memcpy(m, b.data, b.len);
	m[31] = (char)(m[31] + 1);	/* output length + 1 */
	assert_null(wcache_decode(&k, m, b.len, 1.0, 1));
	memcpy(m, b.data, b.len);
	m[36 + 2] = '\0';
	assert_null(wcache_decode(&k, m, b.len, 1.0, 1));
	/* Lengths near 2^32 do not wrap around. */
	memcpy(m, b.data, b.len);
	memset(m + 24, 0xff, 8);
	assert_null(wcache_decode(&k, m, b.len, 1.0, 1));
	free(m);
	buf_free(&b);
}

/* With no web.store the cache stays in-process and asks no server. */
static void
test_local(void **state)
{
	struct wcache		*c;
	struct wcache_key	 k = { .router = "xr1", .type = Q_BGP_ROUTE };
	struct wcache_entry	*e;

	(void)state;
	assert_int_equal(store_active(), 0);
	c = wcache_new(4, 1 << 20);
	assert_int_equal(wcache_put_parsed(c, &k, "cmd", "out", 3, NULL, 0,
	    1, 2, 60, 10.0), 0);
	e = wcache_get(c, &k, 11.0);
	assert_non_null(e);
	assert_true(e->stored == 10.0);
	wcache_release(c, e);
	wcache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url),
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_command_last),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_local),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
