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
 * prefix.c and policy.c: prefix parsing for the config loader,
 * containment and overlap, canonical text, the built-in list, and the
 * forbidden check with IPv4 embedded in IPv6.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#include <arpa/inet.h>

#include <cmocka.h>

#include "lg.h"

#define NCASES(a)	(sizeof(a) / sizeof((a)[0]))

static struct lg_policy	 pol;

static int
setup(void **state)
{
	(void)state;
	return policy_init_defaults(&pol);
}

static int
teardown(void **state)
{
	(void)state;
	policy_free(&pol);
	return 0;
}

/* prefix_parse: canonical text back, or the message. */
static void
test_prefix_parse(void **state)
{
	static const struct {
		const char	*in;
		int		 rc;
		const char	*expect;
	} cases[] = {
		{ "10.0.0.0/8", 0, "10.0.0.0/8" },
		{ "0.0.0.0/0", 0, "0.0.0.0/0" },
		{ "192.0.2.0/24", 0, "192.0.2.0/24" },
		{ "198.18.0.0/15", 0, "198.18.0.0/15" },
		{ "255.255.255.255/32", 0, "255.255.255.255/32" },
		{ "1.2.3.4", 0, "1.2.3.4/32" },
		{ "2001:db8::/32", 0, "2001:db8::/32" },
		{ "2001:DB8:0:0::/32", 0, "2001:db8::/32" },
		{ "::/0", 0, "::/0" },
		{ "::1", 0, "::1/128" },
		{ "::ffff:10.0.0.0/104", 0, "::ffff:10.0.0.0/104" },
		{ "fe80::/10", 0, "fe80::/10" },
		{ "2001:2::/48", 0, "2001:2::/48" },
		{ "10.0.0.1/8", -1, "10.0.0.1/8 has host bits set (the network "
		    "is 10.0.0.0/8)" },
		{ "2001:db8::1/32", -1, "has host bits set (the network is "
		    "2001:db8::/32)" },
		{ "10.1", -1, "10.1: not a valid IPv4 address" },
		{ "012.1.1.1", -1, "not a valid IPv4 address" },
		{ "0x7f.1", -1, "not a valid IPv4 address" },
		{ "0x7f000001", -1, "not a valid IPv4 address" },
		{ "1.2.3.4.5", -1, "not a valid IPv4 address" },
		{ "256.0.0.0/8", -1, "not a valid IPv4 address" },
		{ "10.0.0.0/33", -1, "prefix length /33 is out of range for "
		    "IPv4 (0-32)" },
		{ "::/129", -1, "out of range for IPv6 (0-128)" },
		{ "10.0.0.0/08", -1, "without leading zeros" },
		{ "10.0.0.0/", -1, "prefix length must be" },
		{ "10.0.0.0/8/8", -1, "must be a decimal number" },
		{ "10.0.0.0/x", -1, "must be a decimal number" },
		{ "10.0.0.0/-8", -1, "must be a decimal number" },
		{ "fe80::%eth0/64", -1, "zone ids" },
		{ "fe80::1%1", -1, "zone ids" },
		{ "", -1, "empty address" },
		{ " 10.0.0.0/8", -1, "network: not a valid IPv4 address" },
		{ "10.0.0.0/8 ", -1, "must be a decimal number" },
		{ "2001:db8::/32\n", -1, "must be a decimal number" },
		{ "1:2:3:4:5:6:7:8:9/64", -1, "not a valid IPv6 address" },
		{ "12345678901234567890123456789012345678901234567890"
		    "123456789012345/8", -1,
		    "network: address too long" },
	};
	struct lg_prefix	 p;
	char			 err[LG_ERRSTR_MAX], buf[64];
	size_t			 i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		err[0] = '\0';
		if (prefix_parse(cases[i].in, &p, err, sizeof(err)) !=
		    cases[i].rc)
			fail_msg("row %zu: wrong result (%s)", i, err);
		if (cases[i].rc == 0) {
			prefix_format(&p, buf, sizeof(buf));
			assert_string_equal(buf, cases[i].expect);
		} else if (strstr(err, cases[i].expect) == NULL)
			fail_msg("row %zu: \"%s\" lacks \"%s\"", i, err,
			    cases[i].expect);
	}
}

static void
test_prefix_parse_any(void **state)
{
	struct lg_prefix	 p;
	char			 err[LG_ERRSTR_MAX], buf[64];
	int			 haslen;

	(void)state;
	assert_int_equal(prefix_parse_any("10.0.0.1/8", &p, &haslen, err,
	    sizeof(err)), 0);
	assert_int_equal(haslen, 1);
	assert_int_equal(prefix_host_bits(&p), 1);
	prefix_clear_host_bits(&p);
	prefix_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.0/8");
	assert_int_equal(prefix_host_bits(&p), 0);
	assert_int_equal(prefix_parse_any("2001:db8::1", &p, &haslen, err,
	    sizeof(err)), 0);
	assert_int_equal(haslen, 0);
	assert_int_equal(p.len, 128);
	assert_int_equal(p.family, AFI_IPV6);
	/* Messages never repeat the input. */
	assert_int_equal(prefix_parse_any("evil;stuff", &p, &haslen, err,
	    sizeof(err)), -1);
	assert_null(strstr(err, "evil"));
	/* Host bits at every length of an all-ones address. */
	assert_int_equal(prefix_parse_any("255.255.255.255/0", &p, &haslen,
	    err, sizeof(err)), 0);
	for (p.len = 0; p.len <= 32; p.len++) {
		struct lg_prefix q = p;

		prefix_clear_host_bits(&q);
		assert_int_equal(prefix_host_bits(&q), 0);
		assert_int_equal(prefix_host_bits(&p), p.len < 32);
		assert_int_equal(__builtin_popcount((unsigned int)q.addr[0] <<
		    24 | (unsigned int)q.addr[1] << 16 |
		    (unsigned int)q.addr[2] << 8 | q.addr[3]), p.len);
		assert_true(prefix_contains(&q, AFI_IPV4, p.addr));
	}
}

static void
test_contains_overlaps(void **state)
{
	static const struct {
		const char	*a, *b;
		int		 overlap;
	} cases[] = {
		{ "10.0.0.0/8", "10.1.0.0/16", 1 },
		{ "10.1.0.0/16", "10.0.0.0/8", 1 },
		{ "10.0.0.0/8", "11.0.0.0/8", 0 },
		{ "10.0.0.0/7", "11.0.0.0/8", 1 },
		{ "8.0.0.0/7", "10.0.0.0/8", 0 },
		{ "0.0.0.0/0", "203.0.113.0/24", 1 },
		{ "172.16.0.0/12", "172.32.0.0/16", 0 },
		{ "172.16.0.0/12", "172.31.255.0/24", 1 },
		{ "2001:db8::/32", "2001:db8:1::/48", 1 },
		{ "2001:db8::/32", "2001:db9::/32", 0 },
		{ "::/0", "10.0.0.0/8", 0 },
		{ "0.0.0.0/0", "::/0", 0 },
		{ "fe80::/10", "febf::/16", 1 },
		{ "fe80::/10", "fec0::/10", 0 },
	};
	struct lg_prefix	 a, b;
	char			 err[LG_ERRSTR_MAX];
	size_t			 i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		assert_int_equal(prefix_parse(cases[i].a, &a, err,
		    sizeof(err)), 0);
		assert_int_equal(prefix_parse(cases[i].b, &b, err,
		    sizeof(err)), 0);
		if (prefix_overlaps(&a, &b) != cases[i].overlap ||
		    prefix_overlaps(&b, &a) != cases[i].overlap)
			fail_msg("row %zu: %s vs %s", i, cases[i].a,
			    cases[i].b);
		/* a holds b's address when a is shorter and they meet. */
		assert_int_equal(prefix_contains(&a, b.family, b.addr),
		    cases[i].overlap && a.len <= b.len);
	}
}

static void
test_format(void **state)
{
	struct lg_prefix	 p = { .family = AFI_IPV4, .len = 24,
				    .addr = { 192, 0, 2, 0 } };
	char			 buf[64];

	(void)state;
	prefix_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.0/24");
	prefix_format(&p, buf, 6);
	assert_string_equal(buf, "192.0");
	p.family = (enum lg_afi)7;
	prefix_format(&p, buf, sizeof(buf));
	assert_string_equal(buf, "?");
}

/* The built-in list: what the design names, with the minimums. */
static void
test_defaults(void **state)
{
	static const char *const must[] = { "0.0.0.0/8", "10.0.0.0/8",
	    "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
	    "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
	    "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
	    "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",
	    "240.0.0.0/4", "255.255.255.255/32", "::/128", "::1/128",
	    "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32",
	    "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8" };
	char			 buf[64];
	size_t			 i, j;

	(void)state;
	assert_int_equal(pol.min_prefix4, 8);
	assert_int_equal(pol.min_prefix6, 16);
	assert_int_equal(pol.queries, Q_MASK_DEFAULT);
	assert_int_equal(pol.resolve, 1);
	assert_false(pol.queries & Q_MASK(Q_BGP_NEIGHBORS));
	for (i = 0; i < NCASES(must); i++) {
		for (j = 0; j < pol.nforbidden; j++) {
			prefix_format(&pol.forbidden[j], buf, sizeof(buf));
			if (strcmp(buf, must[i]) == 0)
				break;
		}
		if (j == pol.nforbidden)
			fail_msg("%s missing from the built-in list", must[i]);
	}
	/* Free twice is harmless: the config loader may do it. */
	{
		struct lg_policy	 p2;

		assert_int_equal(policy_init_defaults(&p2), 0);
		policy_free(&p2);
		policy_free(&p2);
		assert_null(p2.forbidden);
		assert_int_equal(p2.nforbidden, 0);
	}
}

/* policy_check on addresses, with the embeddings. */
static void
test_forbidden(void **state)
{
	static const struct {
		const char	*addr;
		const char	*net;		/* NULL: allowed */
		const char	*via;
		const char	*inner;
	} cases[] = {
		{ "8.8.8.8", NULL, NULL, NULL },
		{ "10.0.0.1", "10.0.0.0/8", NULL, NULL },
		{ "127.0.0.1", "127.0.0.0/8", NULL, NULL },
		{ "255.255.255.255", "255.255.255.255/32", NULL, NULL },
		{ "2001:4860::8888", NULL, NULL, NULL },
		{ "::1", "::1/128", NULL, NULL },
		{ "::", "::/128", NULL, NULL },
		{ "::ffff:10.0.0.1", "10.0.0.0/8", "IPv4-mapped",
		    "10.0.0.1/32" },
		{ "::ffff:8.8.8.8", NULL, NULL, NULL },
		{ "::10.0.0.1", "10.0.0.0/8", "IPv4-compatible",
		    "10.0.0.1/32" },
		{ "::8.8.8.8", "::/96", NULL, NULL },
		{ "64:ff9b::7f00:1", "127.0.0.0/8", "NAT64", "127.0.0.1/32" },
		{ "64:ff9b::808:808", NULL, NULL, NULL },
		{ "64:ff9b:1::c0a8:1", "192.168.0.0/16", "local-use NAT64",
		    "192.168.0.1/32" },
		{ "2002:a9fe:a9fe::1", "169.254.0.0/16", "6to4",
		    "169.254.169.254/32" },
		{ "2002:808:808::1", NULL, NULL, NULL },
		{ "2001:0:a00:1::", "10.0.0.0/8", "Teredo server",
		    "10.0.0.1/32" },
		{ "2001:0:808:808::f5ff:fffe", "10.0.0.0/8", "Teredo client",
		    "10.0.0.1/32" },
		{ "2001:0:808:808::f7f7:f7f7", "2001::/23", NULL, NULL },
	};
	struct lg_policy_hit	 hit;
	struct lg_prefix	 p;
	char			 err[LG_ERRSTR_MAX], buf[64];
	size_t			 i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		assert_int_equal(prefix_parse(cases[i].addr, &p, err,
		    sizeof(err)), 0);
		assert_int_equal(policy_check(&pol, &p, &hit),
		    cases[i].net != NULL);
		if (cases[i].net == NULL)
			continue;
		prefix_format(hit.net, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].net);
		if (cases[i].via == NULL) {
			assert_null(hit.via);
			continue;
		}
		assert_non_null(hit.via);
		assert_string_equal(hit.via, cases[i].via);
		prefix_format(&hit.inner, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].inner);
	}
}

/* The embeddings judge IPv4 whatever the IPv6 list says. */
static void
test_embedded_custom_list(void **state)
{
	struct lg_prefix	 nets[1], p;
	struct lg_policy	 only4 = { .forbidden = nets, .nforbidden = 1 };
	struct lg_policy	 none = { 0 };
	struct lg_policy_hit	 hit;
	char			 err[LG_ERRSTR_MAX];

	(void)state;
	assert_int_equal(prefix_parse("198.51.100.0/24", &nets[0], err,
	    sizeof(err)), 0);
	assert_int_equal(prefix_parse("::ffff:198.51.100.7", &p, err,
	    sizeof(err)), 0);
	assert_int_equal(policy_check(&only4, &p, &hit), 1);
	assert_string_equal(hit.via, "IPv4-mapped");
	assert_int_equal(prefix_parse("2002:c633:6401::", &p, err,
	    sizeof(err)), 0);
	assert_int_equal(policy_check(&only4, &p, &hit), 1);
	assert_string_equal(hit.via, "6to4");
	/* Without 2001::/23 listed, a public Teredo address passes. */
	assert_int_equal(prefix_parse("2001:0:808:808::f7f7:f7f7", &p, err,
	    sizeof(err)), 0);
	assert_int_equal(policy_check(&only4, &p, &hit), 0);
	assert_null(hit.net);
	/* :: and ::1 do not embed 0.0.0.0 and 0.0.0.1. */
	assert_int_equal(prefix_parse("0.0.0.0/8", &nets[0], err,
	    sizeof(err)), 0);
	assert_int_equal(prefix_parse("::1", &p, err, sizeof(err)), 0);
	assert_int_equal(policy_check(&only4, &p, &hit), 0);
	assert_int_equal(prefix_parse("::2", &p, err, sizeof(err)), 0);
	assert_int_equal(policy_check(&only4, &p, &hit), 1);
	/* An empty list allows everything. */
	assert_int_equal(policy_check(&none, &p, &hit), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefix_parse),
		cmocka_unit_test(test_prefix_parse_any),
		cmocka_unit_test(test_contains_overlaps),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_forbidden),
		cmocka_unit_test(test_embedded_custom_list),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
