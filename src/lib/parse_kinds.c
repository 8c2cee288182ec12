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
 * The kinds of parsed answer (DESIGN.md section 12) and the fields of
 * each model: where a field lives (the answer, an item of its list, an
 * item's member) and how its captured text is read.  The engine
 * (parse.c) builds answers from these tables; the loader (parse_rules.c)
 * checks rules' captures, sets, defaults and codes against them.  A new
 * field is a row here and in schema/parsed.schema.json.  What some kinds'
 * answers get once every line is read (ping's loss, traceroute's end) is
 * at the bottom.
 */

#include <string.h>

#include "parse_int.h"

/* bgp_route, bgp_community and bgp_aspath answers. */
static const struct pf_field pf_routes[] = {
	{ "prefix", PF_ITEM, PV_PREFIX, NULL, NULL },
	{ "not_found", PF_ANSWER, PV_FLAG, NULL, NULL },
	{ "vrf", PF_ANSWER, PV_TEXT, NULL, NULL },
	{ "rd", PF_ANSWER, PV_TEXT, NULL, NULL },
	{ "best", PF_SUB, PV_FLAG, NULL, NULL },
	{ "valid", PF_SUB, PV_FLAG, NULL, NULL },
	{ "multipath", PF_SUB, PV_FLAG, NULL, NULL },
	{ "stale", PF_SUB, PV_FLAG, NULL, NULL },
	{ "damped", PF_SUB, PV_FLAG, NULL, NULL },
	{ "suppressed", PF_SUB, PV_FLAG, NULL, NULL },
	{ "as_path", PF_SUB, PV_ASPATH, NULL, NULL },
	{ "origin", PF_SUB, PV_ORIGIN, NULL, NULL },
	{ "next_hop", PF_SUB, PV_ADDRESS, NULL, NULL },
	{ "local_pref", PF_SUB, PV_UINT, NULL, NULL },
	{ "med", PF_SUB, PV_UINT, NULL, NULL },
	{ "weight", PF_SUB, PV_UINT, NULL, NULL },
	{ "communities", PF_SUB, PV_COMMUNITIES, NULL, NULL },
	{ "large_communities", PF_SUB, PV_LARGE, NULL, NULL },
	{ "ext_communities", PF_SUB, PV_EXT, NULL, NULL },
	{ "peer", PF_SUB, PV_ADDRESS, NULL, NULL },
	{ "originator_id", PF_SUB, PV_ADDRESS, NULL, NULL },
	{ "cluster_list", PF_SUB, PV_ADDRLIST, NULL, NULL },
	{ "age_s", PF_SUB, PV_DURATION, NULL, NULL },
	{ "source", PF_SUB, PV_WORD, NULL, NULL },
	{ "router_rpki", PF_SUB, PV_RPKI, NULL, NULL },
	{ "status", PF_SUB, PV_CODES, NULL, NULL },
	{ NULL, PF_ANSWER, PV_TEXT, NULL, NULL }
};

/* route answers: the RIB. */
static const struct pf_field pf_rib[] = {
	{ "prefix", PF_ITEM, PV_PREFIX, NULL, NULL },
	{ "protocol", PF_ITEM, PV_WORD, NULL, NULL },
	{ "distance", PF_ITEM, PV_UINT, NULL, NULL },
	{ "metric", PF_ITEM, PV_UINT, NULL, NULL },
	{ "age_s", PF_ITEM, PV_DURATION, NULL, NULL },
	{ "best", PF_ITEM, PV_FLAG, NULL, NULL },
	{ "status", PF_ITEM, PV_CODES, NULL, NULL },
	{ "address", PF_SUB, PV_ADDRESS, NULL, NULL },
	{ "interface", PF_SUB, PV_TEXT, NULL, NULL },
	{ NULL, PF_ANSWER, PV_TEXT, NULL, NULL }
};

static const struct pf_field pf_summary[] = {
	{ "address", PF_ITEM, PV_ADDRESS, NULL, NULL },
	{ "local_as", PF_ANSWER, PV_ASN, NULL, NULL },
	{ "router_id", PF_ANSWER, PV_ADDRESS, NULL, NULL },
	{ "remote_as", PF_ITEM, PV_ASN, NULL, NULL },
	{ "state", PF_ITEM, PV_WORD, NULL, NULL },
	{ "uptime_s", PF_ITEM, PV_DURATION, NULL, NULL },
	{ "prefixes_received", PF_ITEM, PV_UINT, NULL, NULL },
	{ "prefixes_accepted", PF_ITEM, PV_UINT, NULL, NULL },
	{ "description", PF_ITEM, PV_TEXT, NULL, NULL },
	{ NULL, PF_ANSWER, PV_TEXT, NULL, NULL }
};

/*
 * bgp_neighbors: what the router prints of one session.  The counters
 * are those of the address family the command names where the router
 * prints them per family; the router ID is the neighbor's, last_error
 * the reason given for the last reset or error.
 */
static const struct pf_field pf_neighbors[] = {
	{ "address", PF_ITEM, PV_ADDRESS, NULL, NULL },
	{ "remote_as", PF_ITEM, PV_ASN, NULL, NULL },
	{ "local_as", PF_ITEM, PV_ASN, NULL, NULL },
	{ "state", PF_ITEM, PV_WORD, NULL, NULL },
	{ "uptime_s", PF_ITEM, PV_DURATION, NULL, NULL },
	{ "router_id", PF_ITEM, PV_ADDRESS, NULL, NULL },
	{ "description", PF_ITEM, PV_TEXT, NULL, NULL },
	{ "prefixes_received", PF_ITEM, PV_UINT, NULL, NULL },
	{ "prefixes_accepted", PF_ITEM, PV_UINT, NULL, NULL },
	{ "prefixes_advertised", PF_ITEM, PV_UINT, NULL, NULL },
	{ "messages_received", PF_ITEM, PV_UINT, NULL, NULL },
	{ "messages_sent", PF_ITEM, PV_UINT, NULL, NULL },
	{ "updates_received", PF_ITEM, PV_UINT, NULL, NULL },
	{ "updates_sent", PF_ITEM, PV_UINT, NULL, NULL },
	{ "last_error", PF_ITEM, PV_TEXT, NULL, NULL },
	{ NULL, PF_ANSWER, PV_TEXT, NULL, NULL }
};

/* Ping has no list: fields[0] is never an item's key. */
static const struct pf_field pf_ping[] = {
	{ "_none", PF_HIDDEN, PV_TEXT, NULL, NULL },
	{ "sent", PF_ANSWER, PV_UINT, NULL, NULL },
	{ "received", PF_ANSWER, PV_UINT, NULL, NULL },
	{ "loss_pct", PF_ANSWER, PV_DECIMAL, NULL, NULL },
	{ "rtt_min", PF_ANSWER, PV_DECIMAL, "rtt_ms", "min" },
	{ "rtt_avg", PF_ANSWER, PV_DECIMAL, "rtt_ms", "avg" },
	{ "rtt_max", PF_ANSWER, PV_DECIMAL, "rtt_ms", "max" },
	{ "rtt_stddev", PF_ANSWER, PV_DECIMAL, "rtt_ms", "stddev" },
	{ NULL, PF_ANSWER, PV_TEXT, NULL, NULL }
};

/*
 * Traceroute: target is the address the header names; complete is true
 * when a probe of the last hop answered from it (or a rule says so).
 */
static const struct pf_field pf_traceroute[] = {
	{ "hop", PF_ITEM, PV_UINT, NULL, NULL },
	{ "complete", PF_ANSWER, PV_FLAG, NULL, NULL },
	{ "target", PF_HIDDEN, PV_ADDRESS, NULL, NULL },
	{ "loss_pct", PF_ITEM, PV_DECIMAL, NULL, NULL },
	{ "mpls", PF_ITEM, PV_LABELS, NULL, NULL },
	{ "address", PF_SUB, PV_ADDRESS, NULL, NULL },
	{ "name", PF_SUB, PV_TEXT, NULL, NULL },
	{ "rtt_ms", PF_SUB, PV_DECIMAL, NULL, NULL },
	{ NULL, PF_ANSWER, PV_TEXT, NULL, NULL }
};

const struct pk_kind parse_kinds[] = {
	[PK_ROUTES] = { "bgp_routes", "prefixes", "paths", "prefix", "path",
	    1, pf_routes },
	[PK_RIB] = { "rib", "entries", "next_hops", "entry", "next_hop", 0,
	    pf_rib },
	[PK_SUMMARY] = { "bgp_summary", "neighbors", NULL, "neighbor", NULL,
	    0, pf_summary },
	[PK_NEIGHBORS] = { "bgp_neighbors", "neighbors", NULL, "neighbor",
	    NULL, 0, pf_neighbors },
	[PK_PING] = { "ping", NULL, NULL, NULL, NULL, 0, pf_ping },
	[PK_TRACEROUTE] = { "traceroute", "hops", "probes", "hop", "probe",
	    0, pf_traceroute },
	[PK_MTR] = { "mtr", "hops", "probes", "hop", "probe", 0,
	    pf_traceroute },
	[PK_COUNT] = { NULL, NULL, NULL, NULL, NULL, 0, NULL }
};

static const struct {
	enum lg_query_type	 type;
	enum pk_id		 kind;
} pk_types[] = {
	{ Q_BGP_ROUTE, PK_ROUTES },
	{ Q_BGP_COMMUNITY, PK_ROUTES },
	{ Q_BGP_ASPATH, PK_ROUTES },
	{ Q_BGP_NEIGHBOR_RECEIVED, PK_ROUTES },
	{ Q_BGP_NEIGHBOR_ADVERTISED, PK_ROUTES },
	{ Q_ROUTE, PK_RIB },
	{ Q_BGP_SUMMARY, PK_SUMMARY },
	{ Q_BGP_NEIGHBORS, PK_NEIGHBORS },
	{ Q_PING, PK_PING },
	{ Q_TRACEROUTE, PK_TRACEROUTE },
	{ Q_MTR, PK_MTR },
	{ Q_COUNT, PK_COUNT }
};

const struct pk_kind *
parse_kind(enum lg_query_type type)
{
	size_t		 i;

	for (i = 0; pk_types[i].type != Q_COUNT; i++)
		if (pk_types[i].type == type)
			return &parse_kinds[pk_types[i].kind];
	return NULL;
}

int
parse_field_find(const struct pk_kind *k, const char *name)
{
	int		 i;

	for (i = 0; k->fields[i].name != NULL; i++)
		if (strcmp(k->fields[i].name, name) == 0)
			return i;
	return -1;
}

/*
 * Ping: the loss a router printed as a success rate, or not at all, from
 * the counts it printed.
 */
void
parser_finish_ping(struct parser *p)
{
	json_int_t	 sent, recv;

	if (!json_is_null(json_object_get(p->answer, "loss_pct")) ||
	    !json_is_integer(json_object_get(p->answer, "sent")) ||
	    !json_is_integer(json_object_get(p->answer, "received")))
		return;
	sent = json_integer_value(json_object_get(p->answer, "sent"));
	recv = json_integer_value(json_object_get(p->answer, "received"));
	if (sent > 0 && recv <= sent)
		json_object_set_new(p->answer, "loss_pct",
		    json_real(100.0 * (double)(sent - recv) / (double)sent));
}

/*
 * Traceroute: complete unless a rule said otherwise when a probe of the
 * last hop answered from the target the header named.
 */
void
parser_finish_traceroute(struct parser *p)
{
	json_t		*hop, *probe;
	const char	*a;
	size_t		 n, i;
	int		 done = 0;

	if (json_is_boolean(json_object_get(p->answer, "complete")))
		return;
	n = json_array_size(p->prefixes);
	hop = n > 0 ? json_array_get(p->prefixes, n - 1) : NULL;
	json_array_foreach(json_object_get(hop, "probes"), i, probe)
		if (p->target != NULL && (a = json_string_value(
		    json_object_get(probe, "address"))) != NULL &&
		    strcmp(a, p->target) == 0)
			done = 1;
	json_object_set_new(p->answer, "complete", json_boolean(done));
}
