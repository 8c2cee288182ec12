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
 * The head of FRR's "show bgp ipv4 unicast" table, before its rows: the
 * answers bench_rpki and test_facts_worker generate start with it.
 */
#ifndef LG_TESTS_FRR_TABLE_H
#define LG_TESTS_FRR_TABLE_H

static const char frr_table_head[] =
    "BGP table version is 7, local router ID is 198.19.1.1, vrf id 0\n"
    "Default local pref 100, local AS 64601\n"
    "Status codes:  s suppressed, d damped, h history, * valid, > best, "
    "= multipath,\n"
    "               i internal, r RIB-failure, S Stale, R Removed\n"
    "Nexthop codes: @NNN nexthop's vrf id, < announce-nh-self\n"
    "Origin codes:  i - IGP, e - EGP, ? - incomplete\n"
    "RPKI validation codes: V valid, I invalid, N Not found\n"
    "\n"
    "   Network          Next Hop            Metric LocPrf Weight Path\n";

#endif
