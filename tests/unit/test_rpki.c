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
 * Unit tests of the broker's origin validation (src/lgbrokerd/rpki.c)
 * against a real RTRlib prefix table filled here: valid, invalid by
 * origin, invalid by max length (a VRP of the origin too short for the
 * prefix), not-found, IPv6, and unknown while there is no data; and the
 * state the status shows for a cache (down, then expired).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <rtrlib/rtrlib.h>

#include "lg.h"
#include "lgbrokerd/broker.h"

static void
vrp(struct pfx_table *t, const char *prefix, uint8_t len, uint8_t maxlen,
    uint32_t asn)
{
	struct pfx_record	 r = { 0 };

	assert_int_equal(lrtr_ip_str_to_addr(prefix, &r.prefix), 0);
	r.min_len = len;
	r.max_len = maxlen;
	r.asn = asn;
	assert_int_equal(pfx_table_add(t, &r), PFX_SUCCESS);
}

static const char *
check(const char *text, uint32_t asn)
{
	static char		 out[64];
	struct lg_prefix	 p;
	enum rpki_state		 st;
	enum rpki_reason	 why;
	char			 err[LG_ERRSTR_MAX];
	int			 haslen;

	assert_int_equal(prefix_parse_any(text, &p, &haslen, err,
	    sizeof(err)), 0);
	rpki_validate(NULL, &p, asn, &st, &why);
	snprintf(out, sizeof(out), "%s%s%s", rpki_state_name(st),
	    rpki_reason_name(why) != NULL ? " " : "",
	    rpki_reason_name(why) != NULL ? rpki_reason_name(why) : "");
	return out;
}

static void
test_validate(void **state)
{
	struct pfx_table	 t;

	(void)state;
	/* No caches, no table: no data, unknown. */
	assert_false(rpki_enabled());
	assert_string_equal(check("192.0.2.0/24", 64500), "unknown");

	pfx_table_init(&t, NULL);
	vrp(&t, "192.0.2.0", 24, 24, 64500);
	vrp(&t, "198.51.100.0", 22, 22, 64501);
	vrp(&t, "203.0.113.0", 24, 26, 64502);
	vrp(&t, "2001:db8::", 32, 48, 64503);
	rpki_use_table(&t);

	assert_string_equal(check("192.0.2.0/24", 64500), "valid");
	assert_string_equal(check("192.0.2.0/24", 64999), "invalid origin");
	/* A more specific of a VRP without room for it. */
	assert_string_equal(check("192.0.2.128/25", 64500),
	    "invalid max_length");
	assert_string_equal(check("198.51.101.0/24", 64501),
	    "invalid max_length");
	assert_string_equal(check("198.51.101.0/24", 64999),
	    "invalid origin");
	/* maxLength room. */
	assert_string_equal(check("203.0.113.64/26", 64502), "valid");
	assert_string_equal(check("203.0.113.64/27", 64502),
	    "invalid max_length");
	/* Not covered: the covering VRP is more specific. */
	assert_string_equal(check("198.51.0.0/16", 64501), "not-found");
	assert_string_equal(check("10.0.0.0/8", 64500), "not-found");
	assert_string_equal(check("2001:db8:1::/48", 64503), "valid");
	assert_string_equal(check("2001:db8:1::/49", 64503),
	    "invalid max_length");
	assert_string_equal(check("2001:db8::/32", 1), "invalid origin");
	assert_string_equal(check("2001:db9::/32", 64503), "not-found");

	rpki_use_table(NULL);
	assert_string_equal(check("192.0.2.0/24", 64500), "unknown");
	pfx_table_free(&t);
}

/* The direct conversion is what RTRlib makes of the text. */
/*
 * A lost cache is down through its reconnect tries while RTRlib holds its
 * VRPs, and expired once RTRlib has dropped them (last_update 0).
 */
static void
test_shown_state(void **state)
{
	(void)state;
	assert_int_equal(rpki_shown_state(RPKI_CACHE_UP, 0, 1, 42),
	    RPKI_CACHE_UP);
	assert_int_equal(rpki_shown_state(RPKI_CACHE_CONNECTING, 0, 0, 0),
	    RPKI_CACHE_CONNECTING);
	assert_int_equal(rpki_shown_state(RPKI_CACHE_CONNECTING, 1, 1, 42),
	    RPKI_CACHE_DOWN);
	assert_int_equal(rpki_shown_state(RPKI_CACHE_DOWN, 1, 1, 42),
	    RPKI_CACHE_DOWN);
	assert_int_equal(rpki_shown_state(RPKI_CACHE_CONNECTING, 1, 1, 0),
	    RPKI_CACHE_EXPIRED);
	assert_int_equal(rpki_shown_state(RPKI_CACHE_DOWN, 1, 1, 0),
	    RPKI_CACHE_EXPIRED);
	/* Never reached: no VRPs to expire. */
	assert_int_equal(rpki_shown_state(RPKI_CACHE_DOWN, 1, 0, 0),
	    RPKI_CACHE_DOWN);
	assert_int_equal(rpki_shown_state(RPKI_CACHE_SYNCING, 0, 1, 0),
	    RPKI_CACHE_SYNCING);
}

static void
test_addr(void **state)
{
	static const char *const addrs[] = {
		"0.0.0.0", "1.2.3.4", "192.0.2.255", "255.255.255.255",
		"::", "2001:db8::1", "2a00:1450:4001:81c::200e",
		"ffff:eeee:dddd:cccc:bbbb:aaaa:9999:8888", NULL
	};
	struct lg_prefix	 p;
	struct lrtr_ip_addr	 a, b;
	char			 err[LG_ERRSTR_MAX];
	int			 haslen, i;

	(void)state;
	for (i = 0; addrs[i] != NULL; i++) {
		assert_int_equal(prefix_parse_any(addrs[i], &p, &haslen, err,
		    sizeof(err)), 0);
		rpki_addr(&p, &a);
		assert_int_equal(lrtr_ip_str_to_addr(addrs[i], &b), 0);
		if (!lrtr_ip_addr_equal(a, b))
			fail_msg("%s differs", addrs[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_shown_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
