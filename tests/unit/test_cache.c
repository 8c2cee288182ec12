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
 * Unit tests for src/lgwebd/cache.c: TTL under an injected clock, LRU
 * eviction by count and by bytes, replacement, references that outlive
 * eviction, and what is never stored.
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

static void
key(struct wcache_key *k, const char *router, const char *target)
{
	memset(k, 0, sizeof(*k));
	lg_strlcpy(k->router, router, sizeof(k->router));
	lg_strlcpy(k->target, target, sizeof(k->target));
	k->type = Q_BGP_ROUTE;
}

/* An answer without a parsed text. */
static int
cache_put(struct wcache *c, const struct wcache_key *k, const char *command,
    const char *out, size_t len, uint32_t runtime_ms, time_t performed_at,
    unsigned int ttl, double now)
{
	return wcache_put_parsed(c, k, command, out, len, NULL, 0, runtime_ms,
	    performed_at, ttl, now);
}

static void
test_ttl(void **state)
{
	struct wcache		*c;
	struct wcache_key	 k, k2;
	struct wcache_entry	*e;

	(void)state;
	assert_non_null(c = wcache_new(16, 1 << 20));
	key(&k, "r1", "198.18.0.0/24");
	assert_int_equal(cache_put(c, &k, "show bgp", "out\n", 4, 12, 1000,
	    60, 10.0), 0);
	assert_non_null(e = wcache_get(c, &k, 69.9));
	assert_int_equal(e->len, 4);
	assert_string_equal(e->output, "out\n");
	assert_string_equal(e->command, "show bgp");
	assert_int_equal(e->runtime_ms, 12);
	assert_true(e->stored == 10.0);
	wcache_release(c, e);
	assert_null(wcache_get(c, &k, 70.0));	/* expired, and dropped */
	/* Every key field counts. */
	assert_int_equal(cache_put(c, &k, "c", "x", 1, 1, 0, 60, 0), 0);
	k2 = k;
	k2.afi = AFI_IPV4;
	assert_null(wcache_get(c, &k2, 1));
	k2 = k;
	lg_strlcpy(k2.vrf, "blue", sizeof(k2.vrf));
	assert_null(wcache_get(c, &k2, 1));
	k2 = k;
	k2.type = Q_ROUTE;
	assert_null(wcache_get(c, &k2, 1));
	/* The parsed answer is kept beside the text, and costs its bytes. */
	key(&k, "r1", "198.18.1.0/24");
	assert_int_equal(wcache_put_parsed(c, &k, "c", "x", 1,
	    "{\"kind\":\"bgp_routes\"}", 21, 1, 0, 60, 0), 0);
	assert_non_null(e = wcache_get(c, &k, 1));
	assert_string_equal(e->parsed, "{\"kind\":\"bgp_routes\"}");
	assert_int_equal(e->parsed_len, 21);
	wcache_release(c, e);
	key(&k, "r1", "198.18.2.0/24");
	assert_int_equal(cache_put(c, &k, "c", "x", 1, 1, 0, 60, 0), 0);
	assert_non_null(e = wcache_get(c, &k, 1));
	assert_null(e->parsed);
	wcache_release(c, e);
	/* A TTL of 0 means never. */
	key(&k, "r1", "198.18.0.1");
	assert_int_equal(cache_put(c, &k, "ping", "x", 1, 1, 0, 0, 0), -1);
	assert_null(wcache_get(c, &k, 0));
	wcache_free(c);
}

static void
test_lru_count(void **state)
{
	struct wcache		*c;
	struct wcache_key	 k[4];
	struct wcache_entry	*e;
	size_t			 n, b;
	int			 i;
	char			 t[32];

	(void)state;
	assert_non_null(c = wcache_new(3, 1 << 20));
	for (i = 0; i < 4; i++) {
		snprintf(t, sizeof(t), "198.18.%d.0/24", i);
		key(&k[i], "r1", t);
	}
	for (i = 0; i < 3; i++)
		assert_int_equal(cache_put(c, &k[i], "c", "o", 1, 1, 0, 60,
		    0), 0);
	/* Touch 0 so that 1 is now the least recently used. */
	assert_non_null(e = wcache_get(c, &k[0], 1));
	wcache_release(c, e);
	assert_int_equal(cache_put(c, &k[3], "c", "o", 1, 1, 0, 60, 0), 0);
	wcache_stats(c, &n, &b);
	assert_int_equal(n, 3);
	assert_null(wcache_get(c, &k[1], 1));
	for (i = 0; i < 4; i += 2 + (i == 2)) {
		assert_non_null(e = wcache_get(c, &k[i], 1));
		wcache_release(c, e);
	}
	/* Replacing a key keeps one entry with the new content. */
	assert_int_equal(cache_put(c, &k[0], "c2", "new", 3, 1, 0, 60, 0), 0);
	wcache_stats(c, &n, &b);
	assert_int_equal(n, 3);
	assert_non_null(e = wcache_get(c, &k[0], 1));
	assert_string_equal(e->output, "new");
	wcache_release(c, e);
	wcache_free(c);
}

static void
test_bytes(void **state)
{
	struct wcache		*c;
	struct wcache_key	 k1, k2, k3;
	struct wcache_entry	*e;
	size_t			 n, b;
	char			*big;

	(void)state;
	/* 80 KiB: one entry may take 10 KiB. */
	assert_non_null(c = wcache_new(100, 80 * 1024));
	assert_int_equal(wcache_entry_max(c), 10 * 1024);
	assert_non_null(big = calloc(1, 64 * 1024));
	memset(big, 'x', 64 * 1024 - 1);
	key(&k1, "r1", "a");
	key(&k2, "r2", "b");
	key(&k3, "r3", "c");
	assert_int_equal(cache_put(c, &k1, "c", big, 20 * 1024, 1, 0, 60, 0),
	    -1);
	/* The parsed answer counts toward the one-entry limit too. */
	assert_int_equal(wcache_put_parsed(c, &k1, "c", big, 6 * 1024, big,
	    5 * 1024, 1, 0, 60, 0), -1);
	assert_int_equal(wcache_put_parsed(c, &k1, "c", big, 4 * 1024, big,
	    4 * 1024, 1, 0, 60, 0), 0);
	wcache_stats(c, &n, &b);
	assert_true(b > 8 * 1024);
	for (int i = 0; i < 20; i++) {
		char t[16];

		snprintf(t, sizeof(t), "t%d", i);
		key(&k3, "r3", t);
		assert_int_equal(cache_put(c, &k3, "c", big, 9 * 1024, 1, 0,
		    60, 0), 0);
		wcache_stats(c, &n, &b);
		assert_true(b <= 80 * 1024);
	}
	assert_true(n < 10);
	/* A reference survives eviction. */
	key(&k1, "r1", "held");
	assert_int_equal(cache_put(c, &k1, "c", big, 9 * 1024, 1, 0, 60, 0),
	    0);
	assert_non_null(e = wcache_get(c, &k1, 1));
	for (int i = 0; i < 20; i++) {
		char t[16];

		snprintf(t, sizeof(t), "u%d", i);
		key(&k2, "r2", t);
		cache_put(c, &k2, "c", big, 9 * 1024, 1, 0, 60, 0);
	}
	assert_null(wcache_get(c, &k1, 1));
	assert_int_equal(e->len, 9 * 1024);
	assert_int_equal(e->output[9 * 1024 - 1], 'x');
	wcache_release(c, e);
	free(big);
	wcache_free(c);
}

static void
test_storable(void **state)
{
	struct wcache	*c;

	(void)state;
	assert_non_null(c = wcache_new(16, 80 * 1024));
	assert_true(wcache_storable(c, LG_OK, 0, 60, 100));
	assert_false(wcache_storable(c, LG_ERR_TIMEOUT, 0, 60, 100));
	assert_false(wcache_storable(c, LG_ERR_UNREACHABLE, 0, 60, 0));
	assert_false(wcache_storable(c, LG_ERR_COMMAND_FAILED, 0, 60, 10));
	assert_false(wcache_storable(c, LG_OK, 1, 60, 100));	/* truncated */
	assert_false(wcache_storable(c, LG_OK, 0, 0, 100));	/* ping */
	assert_false(wcache_storable(c, LG_OK, 0, 60, 10 * 1024 + 1));
	wcache_free(c);
}

/*
 * Issue 11: web.cache_entries = 0 was taken for one entry.  A bound of 0,
 * entries or bytes, turns the cache off: nothing is stored or found.
 */
static void
test_zero_bounds(void **state)
{
	static const size_t	 bounds[][2] = { { 0, 1 << 20 }, { 16, 0 } };
	struct wcache		*c;
	struct wcache_key	 k;
	size_t			 i;

	(void)state;
	key(&k, "r1", "198.18.0.0/24");
	for (i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++) {
		assert_non_null(c = wcache_new(bounds[i][0], bounds[i][1]));
		assert_false(wcache_storable(c, LG_OK, 0, 60, 4));
		assert_int_equal(cache_put(c, &k, "show bgp", "out\n", 4, 12,
		    1000, 60, 10.0), -1);
		assert_null(wcache_get(c, &k, 11.0));
		wcache_free(c);
	}
}

/*
 * The escaped copy a JSON hit is served from: what jansson makes of the
 * output after invalid UTF-8 became '?', without the quotes, and counted
 * in the cache's bytes.
 */
static void
test_json(void **state)
{
	struct wcache		*c;
	struct wcache_key	 k;
	struct wcache_entry	*e;
	const char		 out[] = "a \"b\"\tc\\d\n\xff\xc3\xa9\xe2\x82";
	size_t			 n, b, b0;

	(void)state;
	assert_non_null(c = wcache_new(16, 1 << 20));
	key(&k, "r1", "t");
	assert_int_equal(cache_put(c, &k, "c", "", 0, 1, 0, 60, 0), 0);
	wcache_stats(c, &n, &b0);
	assert_non_null(e = wcache_get(c, &k, 1));
	assert_string_equal(e->json, "");
	wcache_release(c, e);
	assert_int_equal(cache_put(c, &k, "c", out, sizeof(out) - 1, 1, 0,
	    60, 0), 0);
	assert_non_null(e = wcache_get(c, &k, 1));
	assert_non_null(e->json);
	assert_string_equal(e->json,
	    "a \\\"b\\\"\\tc\\\\d\\n?\xc3\xa9??");
	assert_int_equal(e->json_len, strlen(e->json));
	/* The raw output is kept as it came. */
	assert_memory_equal(e->output, out, sizeof(out) - 1);
	wcache_stats(c, &n, &b);
	assert_int_equal(n, 1);
	assert_true(b - b0 >= (sizeof(out) - 1) + e->json_len);
	wcache_release(c, e);
	wcache_free(c);
}

/*
 * Expired answers go at the next put or lookup, whatever their key, so
 * answers nobody asks for again do not hold the cache's memory; an entry
 * still referenced stays readable until released.
 */
static void
test_sweep(void **state)
{
	struct wcache		*c;
	struct wcache_key	 k;
	struct wcache_entry	*held;
	size_t			 n, b, b_live;
	char			 target[32];
	int			 i;

	(void)state;
	assert_non_null(c = wcache_new(64, 1 << 20));
	key(&k, "r2", "198.18.9.0/24");
	assert_int_equal(cache_put(c, &k, "c", "live", 4, 1, 0, 60, 0), 0);
	wcache_stats(c, &n, &b_live);
	for (i = 0; i < 10; i++) {
		snprintf(target, sizeof(target), "198.18.%d.0/24", i);
		key(&k, "r1", target);
		assert_int_equal(cache_put(c, &k, "c", "dead", 4, 1, 0, 30,
		    0.5), 0);
	}
	assert_non_null(held = wcache_get(c, &k, 0.9));
	wcache_stats(c, &n, &b);
	assert_int_equal(n, 11);
	key(&k, "r3", "198.18.99.0/24");
	assert_null(wcache_get(c, &k, 31.0));
	wcache_stats(c, &n, &b);
	assert_int_equal(n, 1);
	assert_int_equal(b, b_live);
	assert_string_equal(held->output, "dead");
	wcache_release(c, held);
	key(&k, "r2", "198.18.9.0/24");
	assert_non_null(held = wcache_get(c, &k, 31.0));
	wcache_release(c, held);
	/* Expired by 61 s: gone at the next put of another key. */
	key(&k, "r3", "198.18.99.0/24");
	assert_int_equal(cache_put(c, &k, "c", "new", 3, 1, 0, 60, 61.0), 0);
	wcache_stats(c, &n, &b);
	assert_int_equal(n, 1);
	wcache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ttl),
		cmocka_unit_test(test_lru_count),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_storable),
		cmocka_unit_test(test_zero_bounds),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_sweep),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
