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
 * long it may run by default and how long its answer may be cached.  A new
 * query type is a row here, a validation rule and a driver template.
 */

#include <string.h>

#include "lg.h"

#define T(k)		(1U << (k))

static const struct lg_query_info queries[Q_COUNT] = {
	[Q_BGP_ROUTE] = { Q_BGP_ROUTE, "bgp_route", "BGP route",
	    T(TGT_ADDRESS) | T(TGT_PREFIX), 30000, 60, 0, 30 },
	[Q_ROUTE] = { Q_ROUTE, "route", "Route (RIB)",
	    T(TGT_ADDRESS) | T(TGT_PREFIX), 30000, 60, 0, 30 },
	[Q_BGP_COMMUNITY] = { Q_BGP_COMMUNITY, "bgp_community",
	    "BGP community", T(TGT_COMMUNITY), 60000, 60, 1, 20 },
	[Q_BGP_ASPATH] = { Q_BGP_ASPATH, "bgp_aspath", "BGP AS path regex",
	    T(TGT_ASPATH), 60000, 60, 1, 20 },
	[Q_BGP_SUMMARY] = { Q_BGP_SUMMARY, "bgp_summary", "BGP summary",
	    T(TGT_NONE), 30000, 30, 1, 20 },
	[Q_PING] = { Q_PING, "ping", "Ping",
	    T(TGT_ADDRESS) | T(TGT_HOSTNAME), 60000, 0, 0, 10 },
	[Q_TRACEROUTE] = { Q_TRACEROUTE, "traceroute", "Traceroute",
	    T(TGT_ADDRESS) | T(TGT_HOSTNAME), 120000, 0, 0, 5 },
	[Q_BGP_NEIGHBORS] = { Q_BGP_NEIGHBORS, "bgp_neighbors",
	    "BGP neighbor", T(TGT_ADDRESS), 30000, 30, 0, 20 },
};

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
