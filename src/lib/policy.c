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
 * The forbidden-network policy (DESIGN.md section 4.2).
 *
 * This file owns struct lg_policy: the built-in special-purpose list and
 * the check itself; the networks in it are prefix.c's struct lg_prefix.
 * The config loader fills a policy with prefix_parse() or
 * policy_init_defaults(); validate.c asks policy_check() about every
 * address and prefix a user sends and turns the answer into a message.
 * Nothing here logs.
 *
 * IPv6 can carry an IPv4 address inside it, so the IPv4 list is applied to
 * those too, whatever the configured IPv6 list says:
 *
 *   ::ffff:0:0/96     IPv4-mapped          IPv4 in the last 32 bits
 *   ::/96             IPv4-compatible      same; deprecated by RFC 4291, and
 *                                          also forbidden outright by the
 *                                          built-in list.  :: and ::1 are
 *                                          not treated as embedding 0.0.0.0
 *                                          and 0.0.0.1, so they are named by
 *                                          their own entries.
 *   64:ff9b::/96      NAT64 (RFC 6052)     last 32 bits
 *   64:ff9b:1::/48    local-use NAT64      last 32 bits (the /96 layout, the
 *                     (RFC 8215)           one in use; the whole /48 is in
 *                                          the built-in list anyway)
 *   2002::/16         6to4 (RFC 3056)      bits 16-47
 *   2001::/32         Teredo (RFC 4380)    server in bits 32-63, client in
 *                                          the last 32 bits, inverted
 *
 * Embedded addresses are checked before the IPv6 list so that the message
 * can name the IPv4 network ("::ffff:10.0.0.1 embeds 10.0.0.1 ...").
 *
 * A prefix is refused when it overlaps a forbidden network either way: a
 * prefix inside one (10.1.0.0/16) or one covering one (10.0.0.0/7).  An
 * IPv6 prefix that covers an embedding range entirely (2002::/16) covers
 * every IPv4 address, the forbidden ones too, and is refused as well.
 */

#include <stdlib.h>
#include <string.h>

#include "lg.h"

/*
 * The special-purpose networks refused when the config has no
 * policy.forbidden (RFC 6890 and its updates).  Order matters only for
 * the message: the first match is named, so narrow entries come first.
 */
static const char *const policy_builtin[] = {
	"0.0.0.0/8",		/* "this network", RFC 791 */
	"10.0.0.0/8",		/* private, RFC 1918 */
	"100.64.0.0/10",	/* shared address space (CGNAT), RFC 6598 */
	"127.0.0.0/8",		/* loopback */
	"169.254.0.0/16",	/* link local, RFC 3927 */
	"172.16.0.0/12",	/* private */
	"192.0.0.0/24",		/* IETF protocol assignments */
	"192.0.2.0/24",		/* TEST-NET-1, RFC 5737 */
	"192.88.99.0/24",	/* 6to4 relay anycast, RFC 7526 */
	"192.168.0.0/16",	/* private */
	"198.18.0.0/15",	/* benchmarking, RFC 2544 */
	"198.51.100.0/24",	/* TEST-NET-2 */
	"203.0.113.0/24",	/* TEST-NET-3 */
	"224.0.0.0/4",		/* multicast */
	"255.255.255.255/32",	/* limited broadcast, before 240/4 */
	"240.0.0.0/4",		/* reserved */
	"::/128",		/* unspecified */
	"::1/128",		/* loopback */
	"::/96",		/* IPv4-compatible, deprecated */
	"64:ff9b:1::/48",	/* local-use NAT64, RFC 8215 */
	"100::/64",		/* discard only, RFC 6666 */
	"2001::/23",		/* IETF protocol assignments */
	"2001:db8::/32",	/* documentation, RFC 3849 */
	"3fff::/20",		/* documentation, RFC 9637 */
	"fc00::/7",		/* unique local */
	"fe80::/10",		/* link local */
	"fec0::/10",		/* site local, deprecated */
	"ff00::/8",		/* multicast */
	NULL
};

/* Where IPv6 carries an IPv4 address; see the comment at the top. */
struct policy_embed {
	const char	*name;
	uint8_t		 net[16];
	uint8_t		 len;
	uint8_t		 byte;		/* first byte of the IPv4 address */
	uint8_t		 invert;	/* Teredo client: stored inverted */
	uint8_t		 skip_low;	/* ignore :: and ::1 */
};

static const struct policy_embed policy_embeds[] = {
	{ "IPv4-mapped", { [10] = 0xff, [11] = 0xff }, 96, 12, 0, 0 },
	{ "IPv4-compatible", { 0 }, 96, 12, 0, 1 },
	{ "NAT64", { 0x00, 0x64, 0xff, 0x9b }, 96, 12, 0, 0 },
	{ "local-use NAT64", { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 }, 48, 12,
	    0, 0 },
	{ "6to4", { 0x20, 0x02 }, 16, 2, 0, 0 },
	{ "Teredo server", { 0x20, 0x01 }, 32, 4, 0, 0 },
	{ "Teredo client", { 0x20, 0x01 }, 32, 12, 1, 0 },
	{ NULL, { 0 }, 0, 0, 0, 0 }
};

int
policy_init_defaults(struct lg_policy *pol)
{
	char		 err[LG_ERRSTR_MAX];
	size_t		 i, n;

	for (n = 0; policy_builtin[n] != NULL; n++)
		;
	memset(pol, 0, sizeof(*pol));
	if ((pol->forbidden = calloc(n, sizeof(*pol->forbidden))) == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (prefix_parse(policy_builtin[i], &pol->forbidden[i], err,
		    sizeof(err)) == -1) {
			policy_free(pol);
			return -1;
		}
	pol->nforbidden = n;
	pol->min_prefix4 = 8;
	pol->min_prefix6 = 16;
	pol->queries = Q_MASK_DEFAULT;
	pol->resolve = 1;
	return 0;
}

void
policy_free(struct lg_policy *pol)
{
	free(pol->forbidden);
	pol->forbidden = NULL;
	pol->nforbidden = 0;
}

static const struct lg_prefix *
policy_list_overlap(const struct lg_policy *pol, const struct lg_prefix *p)
{
	size_t		 i;

	for (i = 0; i < pol->nforbidden; i++)
		if (prefix_overlaps(&pol->forbidden[i], p))
			return &pol->forbidden[i];
	return NULL;
}

/*
 * The IPv4 network that an IPv6 prefix holds in one embedding: as many
 * bits of the IPv4 field as the prefix fixes, none (0.0.0.0/0) when the
 * prefix covers the whole range.  Returns -1 when p is outside it.
 */
static int
policy_embed_project(const struct policy_embed *e, const struct lg_prefix *p,
    struct lg_prefix *v4)
{
	struct lg_prefix	 range = { .family = AFI_IPV6, .len = e->len };
	int			 len = (int)p->len - e->byte * 8;
	unsigned int		 i;

	memcpy(range.addr, e->net, sizeof(range.addr));
	if (!prefix_overlaps(&range, p))
		return -1;
	memset(v4, 0, sizeof(*v4));
	v4->family = AFI_IPV4;
	v4->len = (uint8_t)(len < 0 ? 0 : len > 32 ? 32 : len);
	for (i = 0; i < 4; i++)
		v4->addr[i] = e->invert ? (uint8_t)~p->addr[e->byte + i] :
		    p->addr[e->byte + i];
	prefix_clear_host_bits(v4);
	if (e->skip_low && v4->len >= 31 && v4->addr[0] == 0 &&
	    v4->addr[1] == 0 && v4->addr[2] == 0 && v4->addr[3] < 2)
		return -1;
	return 0;
}

/*
 * The policy decision for an address (a /32 or /128) or a prefix: returns
 * 1 and fills hit when it overlaps a forbidden network, directly or
 * through an embedded IPv4 address (hit->via names the embedding and
 * hit->inner holds the IPv4 part), 0 when it is allowed.
 */
int
policy_check(const struct lg_policy *pol, const struct lg_prefix *p,
    struct lg_policy_hit *hit)
{
	const struct policy_embed	*e;
	struct lg_prefix		 v4;

	memset(hit, 0, sizeof(*hit));
	if (p->family == AFI_IPV6)
		for (e = policy_embeds; e->name != NULL; e++) {
			if (policy_embed_project(e, p, &v4) == -1)
				continue;
			hit->net = policy_list_overlap(pol, &v4);
			if (hit->net != NULL) {
				hit->via = e->name;
				hit->inner = v4;
				return 1;
			}
		}
	if ((hit->net = policy_list_overlap(pol, p)) != NULL)
		return 1;
	return 0;
}
