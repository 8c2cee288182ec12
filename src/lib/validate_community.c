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
 * BGP community targets for bgp_community queries, called by
 * validate_query() and usable alone (it bounds and checks its input).
 *
 *   standard    "ASN:value", each 0-65535 (RFC 1997)
 *   large       "ASN:value1:value2", each 0-4294967295 (RFC 8092)
 *   well-known  a name from the table below, case-insensitive
 *
 * Numbers are plain decimal: digits only, no sign, no leading zero except
 * "0" itself.  The canonical text is "65000:100", "65000:1:2" or the
 * lower-case primary name ("local-as" becomes "no-export-subconfed");
 * comm[] holds the numbers, 65535:value for a name.  The numeric form of
 * a well-known community (65535:666) stays a standard community written
 * in numbers: the user chose that form and every platform accepts it.
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "lg.h"

#define COMMUNITY_TEXT_MAX	32	/* "4294967295:4294967295:4294967295" */

/*
 * The well-known communities by the names routers print (RFC 1997,
 * RFC 3765, RFC 7611, RFC 7999, RFC 8326, RFC 8642), which the parse
 * engine writes as A:B; those marked target are also accepted as a
 * bgp_community query, a name every platform's CLI takes.
 */
static const struct {
	const char	*name;
	const char	*canon;		/* primary name of an alias */
	uint32_t	 comm[2];
	int		 target;
} wellknown[] = {
	{ "internet", NULL, { 0, 0 }, 0 },
	{ "graceful-shutdown", NULL, { 65535, 0 }, 1 },	/* RFC 8326 */
	{ "accept-own", NULL, { 65535, 1 }, 1 },	/* RFC 7611 */
	{ "route-filter-translated-v4", NULL, { 65535, 2 }, 0 },
	{ "route-filter-v4", NULL, { 65535, 3 }, 0 },
	{ "route-filter-translated-v6", NULL, { 65535, 4 }, 0 },
	{ "route-filter-v6", NULL, { 65535, 5 }, 0 },
	{ "llgr-stale", NULL, { 65535, 6 }, 0 },
	{ "no-llgr", NULL, { 65535, 7 }, 0 },
	{ "accept-own-nexthop", NULL, { 65535, 8 }, 0 },
	{ "blackhole", NULL, { 65535, 666 }, 1 },	/* RFC 7999 */
	{ "no-export", NULL, { 65535, 65281 }, 1 },	/* RFC 1997 */
	{ "no-advertise", NULL, { 65535, 65282 }, 1 },
	{ "no-export-subconfed", NULL, { 65535, 65283 }, 1 },
	{ "local-as", "no-export-subconfed", { 65535, 65283 }, 1 },
	{ "no-peer", NULL, { 65535, 65284 }, 1 },	/* RFC 3765 */
	{ NULL, NULL, { 0, 0 }, 0 }
};

/* The row of the name in the len bytes at s, any case; -1 if none. */
static int
community_find(const char *s, size_t len)
{
	int		 i;

	for (i = 0; wellknown[i].name != NULL; i++)
		if (strlen(wellknown[i].name) == len &&
		    strncasecmp(wellknown[i].name, s, len) == 0)
			return i;
	return -1;
}

/*
 * The two halves of the well-known community named by the len bytes at
 * s, any case: 0, or -1 if it is no such name.
 */
int
validate_community_wellknown(const char *s, size_t len, uint32_t comm[2])
{
	int		 i;

	if ((i = community_find(s, len)) == -1)
		return -1;
	comm[0] = wellknown[i].comm[0];
	comm[1] = wellknown[i].comm[1];
	return 0;
}

const char *
validate_community_wellknown_name(uint32_t hi, uint32_t lo)
{
	int		 i;

	for (i = 0; wellknown[i].name != NULL; i++)
		if (wellknown[i].canon == NULL && wellknown[i].comm[0] == hi &&
		    wellknown[i].comm[1] == lo)
			return wellknown[i].name;
	return NULL;
}

static enum lg_err
comm_err(char *err, size_t errlen, const char *msg)
{
	snprintf(err, errlen, "target: %s", msg);
	return LG_ERR_BAD_QUERY;
}

static enum lg_err
community_name(const char *s, struct lg_target *t, char *err, size_t errlen)
{
	int		 i;

	if ((i = community_find(s, strlen(s))) == -1 || !wellknown[i].target)
		return comm_err(err, errlen, "unknown community name (known: "
		    "no-export, no-advertise, no-export-subconfed, local-as, "
		    "no-peer, blackhole, graceful-shutdown, accept-own)");
	t->kind = TGT_COMMUNITY;
	t->comm_kind = COMM_WELLKNOWN;
	t->comm[0] = wellknown[i].comm[0];
	t->comm[1] = wellknown[i].comm[1];
	lg_strlcpy(t->canon, wellknown[i].canon != NULL ? wellknown[i].canon :
	    wellknown[i].name, sizeof(t->canon));
	return LG_OK;
}

/* One decimal field of n bytes, at most max; 0 or -1 with a reason. */
static int
community_field(const char *s, size_t n, uint32_t max, uint32_t *v,
    const char **why)
{
	uint64_t	 x = 0;
	size_t		 i;

	if (n == 0) {
		*why = "community has an empty field";
		return -1;
	}
	if (n > 1 && s[0] == '0') {
		*why = "community number has a leading zero";
		return -1;
	}
	for (i = 0; i < n; i++) {
		x = x * 10 + (uint64_t)(s[i] - '0');
		if (x > max) {
			*why = max == 65535 ? "standard community number out "
			    "of range (0-65535)" : "large community number out "
			    "of range (0-4294967295)";
			return -1;
		}
	}
	*v = (uint32_t)x;
	return 0;
}

static enum lg_err
community_number(const char *s, struct lg_target *t, char *err,
    size_t errlen)
{
	const char	*p, *colon[3], *why;
	size_t		 ncolon = 0, i;
	uint32_t	 max;

	for (p = s; *p != '\0'; p++)
		if (*p == ':') {
			if (ncolon == 2)
				return comm_err(err, errlen, "community has "
				    "too many ':' (ASN:value or "
				    "ASN:value1:value2)");
			colon[ncolon++] = p;
		}
	if (ncolon == 0)
		return comm_err(err, errlen, "community must be ASN:value, "
		    "ASN:value1:value2 or a well-known name");
	max = ncolon == 1 ? 65535 : UINT32_MAX;
	colon[ncolon] = p;
	for (i = 0, p = s; i <= ncolon; p = colon[i++] + 1)
		if (community_field(p, (size_t)(colon[i] - p), max, &t->comm[i],
		    &why) == -1)
			return comm_err(err, errlen, why);
	t->kind = TGT_COMMUNITY;
	t->comm_kind = ncolon == 1 ? COMM_STANDARD : COMM_LARGE;
	if (ncolon == 1)
		snprintf(t->canon, sizeof(t->canon), "%u:%u", t->comm[0],
		    t->comm[1]);
	else
		snprintf(t->canon, sizeof(t->canon), "%u:%u:%u", t->comm[0],
		    t->comm[1], t->comm[2]);
	return LG_OK;
}

enum lg_err
validate_community(const char *s, struct lg_target *t, char *err,
    size_t errlen)
{
	char		 d[48];
	size_t		 i, n;
	int		 alpha = 0, digit = 0;

	memset(t, 0, sizeof(*t));
	n = strnlen(s, COMMUNITY_TEXT_MAX + 1);
	if (n == 0)
		return comm_err(err, errlen, "missing community");
	if (n > COMMUNITY_TEXT_MAX)
		return comm_err(err, errlen, "community too long");
	for (i = 0; i < n; i++) {
		unsigned char	 c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    c == '-')
			alpha = 1;
		else if ((c >= '0' && c <= '9') || c == ':')
			digit = 1;
		else {
			snprintf(err, errlen, "target: %s is not allowed in a "
			    "community", validate_byte_desc(c, d, sizeof(d)));
			return LG_ERR_BAD_QUERY;
		}
	}
	if (alpha && digit)
		return comm_err(err, errlen, "community must be ASN:value, "
		    "ASN:value1:value2 or a well-known name");
	return alpha ? community_name(s, t, err, errlen) :
	    community_number(s, t, err, errlen);
}
