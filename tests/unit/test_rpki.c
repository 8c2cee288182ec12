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
	struct rpki_result	 res;
	char			 err[LG_ERRSTR_MAX];
	int			 haslen;

	assert_int_equal(prefix_parse_any(text, &p, &haslen, err,
	    sizeof(err)), 0);
	rpki_validate(NULL, &p, asn, &res);
	snprintf(out, sizeof(out), "%s%s%s", rpki_state_name(res.state),
	    rpki_reason_name(res.reason) != NULL ? " " : "",
	    rpki_reason_name(res.reason) != NULL ?
	    rpki_reason_name(res.reason) : "");
	return out;
}

/* The VRPs listed for text and asn, sorted: "PREFIX-MAX AS,..." */
static const char *
listed(const char *text, uint32_t asn)
{
	static char		 out[512];
	char			 v[RPKI_VRPS_MAX][96], pfx[64], tmp[96];
	struct lg_prefix	 p;
	struct rpki_result	 res;
	char			 err[LG_ERRSTR_MAX];
	size_t			 i, k, off = 0;
	int			 haslen;

	assert_int_equal(prefix_parse_any(text, &p, &haslen, err,
	    sizeof(err)), 0);
	rpki_validate(NULL, &p, asn, &res);
	assert_true(res.nvrps <= RPKI_VRPS_MAX);
	for (i = 0; i < res.nvrps; i++) {
		prefix_format(&res.vrps[i].prefix, pfx, sizeof(pfx));
		snprintf(v[i], sizeof(v[i]), "%s-%u AS%u", pfx,
		    res.vrps[i].max_length, res.vrps[i].asn);
	}
	for (i = 1; i < res.nvrps; i++)
		for (k = i; k > 0 && strcmp(v[k - 1], v[k]) > 0; k--) {
			memcpy(tmp, v[k], sizeof(tmp));
			memcpy(v[k], v[k - 1], sizeof(tmp));
			memcpy(v[k - 1], tmp, sizeof(tmp));
		}
	out[0] = '\0';
	for (i = 0; i < res.nvrps; i++)
		off += (size_t)snprintf(out + off, sizeof(out) - off, "%s%s",
		    i > 0 ? "," : "", v[i]);
	return out;
}

/*
 * The VRPs that decided: those that validate a valid route, every
 * covering one for an invalid route, none for not-found; each once,
 * at most RPKI_VRPS_MAX.
 */
static void
test_vrps(void **state)
{
	struct pfx_table	 t;
	struct pfx_record	 r = { 0 };
	int			 i;

	(void)state;
	pfx_table_init(&t, NULL);
	vrp(&t, "192.0.2.0", 24, 24, 64500);
	vrp(&t, "192.0.2.0", 24, 24, 64510);
	vrp(&t, "192.0.0.0", 16, 24, 64501);
	vrp(&t, "2001:db8::", 32, 48, 64503);
	rpki_use_table(&t);

	/* Valid: the one of its origin; not the others that cover it. */
	assert_string_equal(listed("192.0.2.0/24", 64500),
	    "192.0.2.0/24-24 AS64500");
	assert_string_equal(listed("192.0.2.0/24", 64999),
	    "192.0.0.0/16-24 AS64501,192.0.2.0/24-24 AS64500,"
	    "192.0.2.0/24-24 AS64510");
	assert_string_equal(check("192.0.2.128/25", 64500),
	    "invalid max_length");
	assert_string_equal(listed("192.0.2.128/25", 64500),
	    "192.0.0.0/16-24 AS64501,192.0.2.0/24-24 AS64500,"
	    "192.0.2.0/24-24 AS64510");
	assert_string_equal(listed("2001:db8:ab::/48", 64503),
	    "2001:db8::/32-48 AS64503");
	assert_string_equal(listed("2001:db8:ab::/49", 1),
	    "2001:db8::/32-48 AS64503");
	assert_string_equal(listed("10.0.0.0/8", 64500), "");

	/* The same VRP from a second cache is listed once. */
	assert_int_equal(lrtr_ip_str_to_addr("2001:db8::", &r.prefix), 0);
	r.min_len = 32;
	r.max_len = 48;
	r.asn = 64503;
	r.socket = (struct rtr_socket *)&t;
	assert_int_equal(pfx_table_add(&t, &r), PFX_SUCCESS);
	assert_string_equal(listed("2001:db8:ab::/49", 1),
	    "2001:db8::/32-48 AS64503");

	/* Twelve VRPs cover 198.51.100.0/24: eight are listed. */
	for (i = 0; i < 12; i++)
		vrp(&t, "198.51.100.0", 24, 24, 65000 + (uint32_t)i);
	assert_string_equal(check("198.51.100.0/24", 64500),
	    "invalid origin");
	assert_int_equal(strlen(listed("198.51.100.0/24", 64500)),
	    RPKI_VRPS_MAX * strlen("198.51.100.0/24-24 AS65000") +
	    RPKI_VRPS_MAX - 1);
	/* Cut at eight, the origin's own VRP (why: max_length) stays. */
	vrp(&t, "198.51.0.0", 16, 16, 64777);
	assert_string_equal(check("198.51.100.0/24", 64777),
	    "invalid max_length");
	assert_non_null(strstr(listed("198.51.100.0/24", 64777),
	    "198.51.0.0/16-16 AS64777"));
	/* The same with the others less specific than the origin's. */
	for (i = 0; i < 12; i++)
		vrp(&t, "203.0.0.0", 16, 24, 65000 + (uint32_t)i);
	vrp(&t, "203.0.113.0", 24, 24, 64778);
	assert_string_equal(check("203.0.113.0/25", 64778),
	    "invalid max_length");
	assert_non_null(strstr(listed("203.0.113.0/25", 64778),
	    "203.0.113.0/24-24 AS64778"));

	rpki_use_table(NULL);
	pfx_table_free(&t);
	rpki_shutdown();
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
		cmocka_unit_test(test_vrps),
		cmocka_unit_test(test_addr),
		cmocka_unit_test(test_shown_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
