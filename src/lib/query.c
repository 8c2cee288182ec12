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
 * The abstract query types (DESIGN.md section 2): what each accepts, how
 * long it may run by default and how long its answer may be cached.  This
 * table is the one place a query type is described: render.c derives the
 * placeholders a template may use from the target kinds and options,
 * lgwebd builds its RFC 8522 commands from the rfc8522 paths and serves
 * the rows to the page in /api/v1/routers, and tests/config/test_docs.sh
 * checks that openapi.json and the manual pages list exactly these names.
 * A new query type is a row here, a validation rule if its target is of a
 * new kind, and a template in the drivers (HACKING.md).
 */

#include <string.h>

#include "lg.h"

#define T(k)		TGT_MASK(k)

static const struct lg_query_info queries[Q_COUNT] = {
	[Q_BGP_ROUTE] = { .type = Q_BGP_ROUTE, .name = "bgp_route",
	    .label = "BGP route",
	    .description = "BGP routes for an address or prefix",
	    .targets = T(TGT_ADDRESS) | T(TGT_PREFIX), .rfc8522 = "show/bgp",
	    .deadline_ms = 30000, .cache_ttl = 60, .rate_per_min = 30 },
	[Q_ROUTE] = { .type = Q_ROUTE, .name = "route", .label = "Route (RIB)",
	    .description = "Routing table entry for an address or prefix",
	    .targets = T(TGT_ADDRESS) | T(TGT_PREFIX),
	    .rfc8522 = "show/route",
	    .deadline_ms = 30000, .cache_ttl = 60, .rate_per_min = 30 },
	[Q_BGP_COMMUNITY] = { .type = Q_BGP_COMMUNITY, .name = "bgp_community",
	    .label = "BGP community",
	    .description = "BGP routes carrying a standard or large community",
	    .targets = T(TGT_COMMUNITY), .rfc8522 = "show/bgp/community",
	    .deadline_ms = 60000, .cache_ttl = 60, .afi_both = 1,
	    .rate_per_min = 20 },
	[Q_BGP_ASPATH] = { .type = Q_BGP_ASPATH, .name = "bgp_aspath",
	    .label = "BGP AS path regex",
	    .description = "BGP routes whose AS path matches a regular "
	    "expression",
	    .targets = T(TGT_ASPATH), .rfc8522 = "show/bgp/aspath",
	    .deadline_ms = 60000, .cache_ttl = 60, .afi_both = 1,
	    .rate_per_min = 20 },
	[Q_BGP_SUMMARY] = { .type = Q_BGP_SUMMARY, .name = "bgp_summary",
	    .label = "BGP summary",
	    .description = "Summary of the BGP sessions and their state",
	    .targets = T(TGT_NONE), .rfc8522 = "show/bgp/summary",
	    .deadline_ms = 30000, .cache_ttl = 30, .afi_both = 1,
	    .rate_per_min = 20 },
	[Q_PING] = { .type = Q_PING, .name = "ping", .label = "Ping",
	    .description = "Round-trip times from the router to a host",
	    .targets = T(TGT_ADDRESS) | T(TGT_HOSTNAME),
	    .opts = QO_SOURCE | QO_COUNT, .rfc8522 = "ping",
	    .deadline_ms = 60000, .cache_ttl = 0, .rate_per_min = 10 },
	[Q_TRACEROUTE] = { .type = Q_TRACEROUTE, .name = "traceroute",
	    .label = "Traceroute",
	    .description = "The path from the router to a host, hop by hop",
	    .targets = T(TGT_ADDRESS) | T(TGT_HOSTNAME), .opts = QO_SOURCE,
	    .rfc8522 = "traceroute",
	    .deadline_ms = 120000, .cache_ttl = 0, .rate_per_min = 5 },
	[Q_BGP_NEIGHBORS] = { .type = Q_BGP_NEIGHBORS, .name = "bgp_neighbors",
	    .label = "BGP neighbor",
	    .description = "State of one BGP session in detail",
	    .targets = T(TGT_ADDRESS), .rfc8522 = "show/bgp/neighbors",
	    .deadline_ms = 30000, .cache_ttl = 30, .rate_per_min = 20 },
	[Q_MTR] = { .type = Q_MTR, .name = "mtr", .label = "MTR",
	    .description = "Loss and round-trip times of every hop to a host, "
	    "as an mtr report",
	    .targets = T(TGT_ADDRESS) | T(TGT_HOSTNAME),
	    .opts = QO_SOURCE | QO_COUNT, .rfc8522 = "mtr",
	    .deadline_ms = 120000, .cache_ttl = 0, .rate_per_min = 2 },
	/*
	 * A neighbor's whole table may come back: a longer deadline, a
	 * lower rate, and the output cap bounds the answer.
	 */
	[Q_BGP_NEIGHBOR_RECEIVED] = { .type = Q_BGP_NEIGHBOR_RECEIVED,
	    .name = "bgp_neighbor_received",
	    .label = "BGP routes received from neighbor",
	    .description = "BGP routes a neighbor has sent to the router",
	    .targets = T(TGT_ADDRESS),
	    .rfc8522 = "show/bgp/neighbors/received-routes",
	    .deadline_ms = 120000, .cache_ttl = 30, .rate_per_min = 5 },
	[Q_BGP_NEIGHBOR_ADVERTISED] = { .type = Q_BGP_NEIGHBOR_ADVERTISED,
	    .name = "bgp_neighbor_advertised",
	    .label = "BGP routes advertised to neighbor",
	    .description = "BGP routes the router sends to a neighbor",
	    .targets = T(TGT_ADDRESS),
	    .rfc8522 = "show/bgp/neighbors/advertised-routes",
	    .deadline_ms = 120000, .cache_ttl = 30, .rate_per_min = 5 },
};

static const char *const target_names[] = {
	[TGT_NONE] = "none",
	[TGT_ADDRESS] = "address",
	[TGT_PREFIX] = "prefix",
	[TGT_HOSTNAME] = "hostname",
	[TGT_COMMUNITY] = "community",
	[TGT_ASPATH] = "aspath",
};

/* The name of a target kind, as /api/v1/routers gives it to the page. */
const char *
query_target_name(enum lg_target_kind k)
{
	if ((unsigned int)k >= sizeof(target_names) / sizeof(target_names[0]))
		return "unknown";
	return target_names[k];
}

const struct lg_query_info *
query_info(enum lg_query_type q)
{
	if ((unsigned int)q >= Q_COUNT)
		return NULL;
	return &queries[q];
}

const char *
query_name(enum lg_query_type q)
{
	if ((unsigned int)q >= Q_COUNT)
		return "unknown";
	return queries[q].name;
}

int
query_from_name(const char *name, enum lg_query_type *q)
{
	unsigned int	 i;

	for (i = 0; i < Q_COUNT; i++)
		if (strcmp(queries[i].name, name) == 0) {
			*q = (enum lg_query_type)i;
			return 0;
		}
	return -1;
}

static const char *const afi_names[] = {
	[AFI_ANY] = "any",
	[AFI_IPV4] = "ipv4",
	[AFI_IPV6] = "ipv6",
};

const char *
afi_name(enum lg_afi afi)
{
	if ((unsigned int)afi > AFI_IPV6)
		return "any";
	return afi_names[afi];
}

int
afi_from_name(const char *name, enum lg_afi *afi)
{
	unsigned int	 i;

	for (i = 0; i <= AFI_IPV6; i++)
		if (strcmp(afi_names[i], name) == 0) {
			*afi = (enum lg_afi)i;
			return 0;
		}
	if (strcmp(name, "both") == 0 || strcmp(name, "") == 0) {
		*afi = AFI_ANY;
		return 0;
	}
	return -1;
}
