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
 * validate_community.c: standard, large and well-known communities, their
 * canonical text and numbers, and every way to get them wrong.
 */

#include "validate_table.h"

static const struct vcase community_cases[] = {
	OK(BGP_COMMUNITY, ANY, "65000:100", "65000:100"),
	OK(BGP_COMMUNITY, IPV4, "65000:100", "65000:100"),
	OK(BGP_COMMUNITY, IPV6, "65000:100", "65000:100"),
	OK(BGP_COMMUNITY, ANY, "0:0", "0:0"),
	OK(BGP_COMMUNITY, ANY, "1:1", "1:1"),
	OK(BGP_COMMUNITY, ANY, "65535:65535", "65535:65535"),
	OK(BGP_COMMUNITY, ANY, "64512:0", "64512:0"),
	OK(BGP_COMMUNITY, ANY, "0:65535", "0:65535"),
	OK(BGP_COMMUNITY, ANY, "3356:3", "3356:3"),
	OK(BGP_COMMUNITY, ANY, "174:21000", "174:21000"),
	OK(BGP_COMMUNITY, ANY, "65535:666", "65535:666"),
	OK(BGP_COMMUNITY, ANY, "65535:65281", "65535:65281"),
	OK(BGP_COMMUNITY, ANY, "65535:0", "65535:0"),
	OK(BGP_COMMUNITY, ANY, "65000:1:2", "65000:1:2"),
	OK(BGP_COMMUNITY, ANY, "0:0:0", "0:0:0"),
	OK(BGP_COMMUNITY, ANY, "4294967295:4294967295:4294967295", "4294967295:4294967295:4294967295"),
	OK(BGP_COMMUNITY, ANY, "4200000000:1:2", "4200000000:1:2"),
	OK(BGP_COMMUNITY, ANY, "65536:0:1", "65536:0:1"),
	OK(BGP_COMMUNITY, ANY, "206924:100:65536", "206924:100:65536"),
	OK(BGP_COMMUNITY, IPV6, "1:2:3", "1:2:3"),
	OK(BGP_COMMUNITY, ANY, "no-export", "no-export"),
	OK(BGP_COMMUNITY, ANY, "NO-EXPORT", "no-export"),
	OK(BGP_COMMUNITY, ANY, "No-Export", "no-export"),
	OK(BGP_COMMUNITY, ANY, "nO-eXpOrT", "no-export"),
	OK(BGP_COMMUNITY, ANY, "no-advertise", "no-advertise"),
	OK(BGP_COMMUNITY, ANY, "NO-ADVERTISE", "no-advertise"),
	OK(BGP_COMMUNITY, ANY, "no-export-subconfed", "no-export-subconfed"),
	OK(BGP_COMMUNITY, ANY, "local-as", "no-export-subconfed"),
	OK(BGP_COMMUNITY, ANY, "Local-AS", "no-export-subconfed"),
	OK(BGP_COMMUNITY, ANY, "no-peer", "no-peer"),
	OK(BGP_COMMUNITY, ANY, "blackhole", "blackhole"),
	OK(BGP_COMMUNITY, ANY, "BLACKHOLE", "blackhole"),
	OK(BGP_COMMUNITY, ANY, "graceful-shutdown", "graceful-shutdown"),
	OK(BGP_COMMUNITY, ANY, "Graceful-Shutdown", "graceful-shutdown"),
	OK(BGP_COMMUNITY, ANY, "accept-own", "accept-own"),
	OK(BGP_COMMUNITY, IPV4, "no-export", "no-export"),
	BAD(BGP_COMMUNITY, ANY, "65536:1", "target: standard community number out of range (0-65535)"),
	BAD(BGP_COMMUNITY, ANY, "1:65536", "standard community number out of range"),
	BAD(BGP_COMMUNITY, ANY, "99999:1", "out of range (0-65535)"),
	BAD(BGP_COMMUNITY, ANY, "4294967295:1", "out of range (0-65535)"),
	BAD(BGP_COMMUNITY, ANY, "4294967296:1:1", "target: large community number out of range (0-4294967295)"),
	BAD(BGP_COMMUNITY, ANY, "1:4294967296:1", "large community number out of range"),
	BAD(BGP_COMMUNITY, ANY, "1:1:4294967296", "large community number out of range"),
	BAD(BGP_COMMUNITY, ANY, "99999999999:1:1", "large community number out of range"),
	BAD(BGP_COMMUNITY, ANY, "18446744073709551617:1:1", "out of range"),
	BAD(BGP_COMMUNITY, ANY, "01:1", "target: community number has a leading zero"),
	BAD(BGP_COMMUNITY, ANY, "1:01", "leading zero"),
	BAD(BGP_COMMUNITY, ANY, "00:0", "leading zero"),
	BAD(BGP_COMMUNITY, ANY, "0:00", "leading zero"),
	BAD(BGP_COMMUNITY, ANY, "1:2:03", "leading zero"),
	BAD(BGP_COMMUNITY, ANY, "065000:100", "leading zero"),
	BAD(BGP_COMMUNITY, ANY, "1::1", "target: community has an empty field"),
	BAD(BGP_COMMUNITY, ANY, ":1", "empty field"),
	BAD(BGP_COMMUNITY, ANY, "1:", "empty field"),
	BAD(BGP_COMMUNITY, ANY, "::", "empty field"),
	BAD(BGP_COMMUNITY, ANY, ":", "empty field"),
	BAD(BGP_COMMUNITY, ANY, "1:2:", "empty field"),
	BAD(BGP_COMMUNITY, ANY, "1:2:3:4", "target: community has too many ':'"),
	BAD(BGP_COMMUNITY, ANY, "1:2:3:4:5", "too many ':'"),
	BAD(BGP_COMMUNITY, ANY, ":::", "too many ':'"),
	BAD(BGP_COMMUNITY, ANY, "65000", "target: community must be ASN:value, ASN:value1:value2 or a well-known name"),
	BAD(BGP_COMMUNITY, ANY, "0", "community must be"),
	BAD(BGP_COMMUNITY, ANY, "65000:1a", "community must be"),
	BAD(BGP_COMMUNITY, ANY, "0x10:1", "community must be"),
	BAD(BGP_COMMUNITY, ANY, "no-export:1", "community must be"),
	BAD(BGP_COMMUNITY, ANY, "65535:no-export", "community must be"),
	BAD(BGP_COMMUNITY, ANY, "65000-100", "community must be"),
	BAD(BGP_COMMUNITY, ANY, "-1:1", "must not start with '-'"),
	BAD(BGP_COMMUNITY, ANY, "-no-export", "must not start with '-'"),
	BAD(BGP_COMMUNITY, ANY, "+1:1", "'+' is not allowed in a community"),
	BAD(BGP_COMMUNITY, ANY, "1.1", "'.' is not allowed in a community"),
	BAD(BGP_COMMUNITY, ANY, "1.5:100", "'.' is not allowed"),
	BAD(BGP_COMMUNITY, ANY, "65000 :100", "a space is not allowed in a community"),
	BAD(BGP_COMMUNITY, ANY, "65000: 100", "a space is not allowed"),
	BAD(BGP_COMMUNITY, ANY, " 65000:100", "a space is not allowed"),
	BAD(BGP_COMMUNITY, ANY, "65000:100 ", "a space is not allowed"),
	BAD(BGP_COMMUNITY, ANY, "no_export", "'_' is not allowed in a community"),
	BAD(BGP_COMMUNITY, ANY, "no export", "a space is not allowed"),
	BAD(BGP_COMMUNITY, ANY, "noexport", "target: unknown community name"),
	BAD(BGP_COMMUNITY, ANY, "no-exports", "unknown community name"),
	BAD(BGP_COMMUNITY, ANY, "no-export-", "unknown community name"),
	BAD(BGP_COMMUNITY, ANY, "internet", "unknown community name"),
	BAD(BGP_COMMUNITY, ANY, "llgr-stale", "unknown community name"),
	BAD(BGP_COMMUNITY, ANY, "local-AS-x", "unknown community name"),
	BAD(BGP_COMMUNITY, ANY, "none", "unknown community name"),
	BAD(BGP_COMMUNITY, ANY, "x", "unknown community name"),
	BAD(BGP_COMMUNITY, ANY, "65000:100,65000:200", "',' is not allowed"),
	BAD(BGP_COMMUNITY, ANY, "65000:100 65000:200", "a space is not allowed"),
	BAD(BGP_COMMUNITY, ANY, "(65000,100)", "'(' is not allowed"),
	BAD(BGP_COMMUNITY, ANY, "65000:100/24", "'/' is not allowed"),
	BAD(BGP_COMMUNITY, ANY, "65000:*", "'*' is not allowed"),
	BAD(BGP_COMMUNITY, ANY, "65000:.*", "'.' is not allowed"),
	BAD(BGP_COMMUNITY, ANY, "65000:[0-9]", "'[' is not allowed"),
	BAD(BGP_COMMUNITY, ANY, "\xef\xbc\x91:\xef\xbc\x91", "non-ASCII byte (0xef)"),
	BAD(BGP_COMMUNITY, ANY, "65000\xd9\xa1:1", "non-ASCII"),
	BAD(BGP_COMMUNITY, ANY, "111111111111111111111111111111111", "target: community too long"),
	BAD(BGP_COMMUNITY, ANY, "4294967295:4294967295:42949672950", "community too long"),
	BAD(BGP_COMMUNITY, ANY, "no-export\r", "contains a carriage return"),
	BAD(BGP_COMMUNITY, ANY, "65000:100\n65000:200", "contains a newline"),
};

static void
test_communities(void **state)
{
	(void)state;
	vtable_run(community_cases, NCASES(community_cases));
}

/* The numbers behind the text, which drivers write in their own form. */
static void
test_community_fields(void **state)
{
	static const struct {
		const char		*in;
		enum lg_community_kind	 kind;
		uint32_t		 comm[3];
	} cases[] = {
		{ "65000:100", COMM_STANDARD, { 65000, 100, 0 } },
		{ "65535:666", COMM_STANDARD, { 65535, 666, 0 } },
		{ "65000:1:2", COMM_LARGE, { 65000, 1, 2 } },
		{ "4294967295:0:4294967295", COMM_LARGE,
		    { 4294967295U, 0, 4294967295U } },
		{ "no-export", COMM_WELLKNOWN, { 65535, 65281, 0 } },
		{ "no-advertise", COMM_WELLKNOWN, { 65535, 65282, 0 } },
		{ "no-export-subconfed", COMM_WELLKNOWN, { 65535, 65283, 0 } },
		{ "local-as", COMM_WELLKNOWN, { 65535, 65283, 0 } },
		{ "no-peer", COMM_WELLKNOWN, { 65535, 65284, 0 } },
		{ "blackhole", COMM_WELLKNOWN, { 65535, 666, 0 } },
		{ "graceful-shutdown", COMM_WELLKNOWN, { 65535, 0, 0 } },
		{ "accept-own", COMM_WELLKNOWN, { 65535, 1, 0 } },
	};
	struct lg_target	 t;
	char			 err[LG_ERRSTR_MAX];
	size_t			 i;

	(void)state;
	for (i = 0; i < NCASES(cases); i++) {
		assert_int_equal(validate_query(&vpol, Q_BGP_COMMUNITY,
		    AFI_ANY, cases[i].in, &t, err, sizeof(err)), LG_OK);
		assert_int_equal(t.kind, TGT_COMMUNITY);
		assert_int_equal(t.comm_kind, cases[i].kind);
		assert_memory_equal(t.comm, cases[i].comm, sizeof(t.comm));
		vcases_run++;
	}
	/* Called alone, as the broker's renderer tests may. */
	assert_int_equal(validate_community("65000:7", &t, err, sizeof(err)),
	    LG_OK);
	assert_string_equal(t.canon, "65000:7");
	assert_int_equal(validate_community("", &t, err, sizeof(err)),
	    LG_ERR_BAD_QUERY);
	assert_string_equal(err, "target: missing community");
	assert_int_equal(validate_community("1:1\x01", &t, err, sizeof(err)),
	    LG_ERR_BAD_QUERY);
	assert_string_equal(err, "target: a control character (0x01) is not "
	    "allowed in a community");
	vcases_run += 3;
}

static void
test_count(void **state)
{
	(void)state;
	print_message("# %zu community cases\n", vcases_run);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_communities),
		cmocka_unit_test(test_community_fields),
		cmocka_unit_test(test_count),
	};

	return cmocka_run_group_tests(tests, vgroup_setup, vgroup_teardown);
}
