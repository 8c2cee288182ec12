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
 * The one validation path of lgwebd and lgbrokerd (DESIGN.md section 4):
 * raw query text in, a canonical struct lg_target or a message out.  The
 * front calls validate_query() on every request; the broker calls it again
 * on every QUERY frame and validate_resolved() on every address a hostname
 * resolves to.  Policy decisions come from policy.c; communities and
 * AS-path regexes have their own files.  Nothing here logs.
 *
 * The order of the checks is fixed: the length bound, then control and
 * non-ASCII bytes, then a leading '-', then the grammar of the target
 * kind the query type accepts (query.c), then the policy.  Parse, don't
 * pattern-match: addresses go through inet_pton, and the canonical text
 * written to the target is produced here (inet_ntop, lower-case names),
 * never copied from the input.
 *
 * Decisions:
 * - Nothing is trimmed: " 1.2.3.4" is refused with a message saying why.
 *   AS-path regexes are the exception: spaces are part of their grammar,
 *   and their canonical form strips and collapses them.
 * - Host bits in a prefix are refused, and the message names the network
 *   that would be valid ("did you mean 192.0.2.0/24?").
 * - A prefix is checked for its minimum length before the forbidden list,
 *   so 0.0.0.0/0 is "shorter than the minimum", and then refused when it
 *   overlaps a forbidden network in either direction (10.0.0.0/7 covers
 *   10.0.0.0/8).  Addresses are /32 or /128: no minimum applies.
 * - "1.2.3.4/32" stays a prefix (an exact-match lookup), distinct from the
 *   address "1.2.3.4" (a longest-match lookup).
 * - Hostnames are refused (LG_ERR_DENIED) when policy.resolve is off,
 *   after their syntax is checked.
 * - A hostname may be a single label ("localhost"): only the broker
 *   resolves it, and validate_resolved() judges every resulting address.
 *   A name whose last label is all digits is refused, so that "10.1" or
 *   "1.2.3.4.5" cannot pass as names.
 * - Messages repeat the input only when it is short printable ASCII
 *   without quotes or backslashes; otherwise they describe it.
 */

#include <sys/socket.h>

#include <arpa/inet.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lg.h"

#define T(k)		(1U << (k))
#define QUOTE_MAX	64	/* longest input repeated in a message */

static enum lg_err	 verr(char *, size_t, enum lg_err, const char *, ...)
			    __attribute__((__format__(__printf__, 4, 5)));

/* Fills err and returns code, so that callers can "return verr(...)". */
static enum lg_err
verr(char *err, size_t errlen, enum lg_err code, const char *fmt, ...)
{
	va_list		 ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

static const struct {
	unsigned char	 c;
	const char	*desc;
} byte_names[] = {
	{ ' ', "a space" },
	{ '\t', "a tab" },
	{ '\n', "a newline" },
	{ '\r', "a carriage return" },
	{ '\'', "a single quote" },
	{ '"', "a double quote" },
	{ '\\', "a backslash" },
	{ '`', "a backquote" },
	{ 0, NULL }
};

/*
 * A byte named for a message: "';'" for harmless printable ASCII, words
 * for the rest, so that no raw hostile byte reaches a message.
 */
const char *
validate_byte_desc(unsigned char c, char *buf, size_t len)
{
	size_t		 i;

	for (i = 0; byte_names[i].desc != NULL; i++)
		if (byte_names[i].c == c) {
			snprintf(buf, len, "%s", byte_names[i].desc);
			return buf;
		}
	if (c < 0x20 || c == 0x7f)
		snprintf(buf, len, "a control character (0x%02x)", c);
	else if (c >= 0x80)
		snprintf(buf, len, "a non-ASCII byte (0x%02x)", c);
	else
		snprintf(buf, len, "'%c'", c);
	return buf;
}

/* The input quoted, with ": ", if it may be repeated; else "". */
static const char *
quote(const char *s, char *buf, size_t len)
{
	size_t		 i;

	for (i = 0; s[i] != '\0'; i++)
		if (i >= QUOTE_MAX || s[i] <= ' ' || s[i] >= 0x7f ||
		    strchr("'\"\\`", s[i]) != NULL)
			return "";
	snprintf(buf, len, "'%s': ", s);
	return buf;
}

/* Bytes never valid in any target: control and non-ASCII. */
static enum lg_err
check_bytes(const char *s, char *err, size_t errlen)
{
	char		 d[48];
	size_t		 i;

	for (i = 0; s[i] != '\0'; i++) {
		unsigned char	 c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return verr(err, errlen, LG_ERR_BAD_QUERY, "target: "
			    "contains %s", validate_byte_desc(c, d, sizeof(d)));
		if (c >= 0x80)
			return verr(err, errlen, LG_ERR_BAD_QUERY, "target: "
			    "contains %s (only ASCII is accepted)",
			    validate_byte_desc(c, d, sizeof(d)));
	}
	if (s[0] == '-')
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: must not "
		    "start with '-'");
	return LG_OK;
}

/* The first byte of s outside allowed, or -1. */
static int
first_outside(const char *s, const char *allowed)
{
	size_t		 i;

	for (i = 0; s[i] != '\0'; i++)
		if (strchr(allowed, s[i]) == NULL)
			return (unsigned char)s[i];
	return -1;
}

static const char *
afi_label(enum lg_afi afi)
{
	return afi == AFI_IPV4 ? "IPv4" : "IPv6";
}

/* An address or host prefix as text: inet_ntop, with "/len" if asked. */
static void
addr_format(const struct lg_prefix *p, int withlen, char *buf, size_t len)
{
	if (withlen)
		prefix_format(p, buf, len);
	else if (inet_ntop(p->family == AFI_IPV4 ? AF_INET : AF_INET6,
	    p->addr, buf, (socklen_t)len) == NULL)
		lg_strlcpy(buf, "?", len);
}

/*
 * The policy verdict for a parsed address or prefix, as a message:
 * "10.0.0.1 is in a forbidden network (10.0.0.0/8)", "10.0.0.0/7 covers
 * ...", "::ffff:10.0.0.1 embeds 10.0.0.1 (IPv4-mapped), in ...".
 */
static enum lg_err
check_policy(const struct lg_policy *pol, const struct lg_prefix *p,
    const char *what, const char *shown, char *err, size_t errlen)
{
	struct lg_policy_hit	 hit;
	char			 net[INET6_ADDRSTRLEN + 4];
	char			 inner[INET6_ADDRSTRLEN + 4];
	const struct lg_prefix	*q;

	if (policy_check(pol, p, &hit) == 0)
		return LG_OK;
	prefix_format(hit.net, net, sizeof(net));
	q = hit.via != NULL ? &hit.inner : p;
	if (hit.via != NULL)
		addr_format(q, q->len != 32, inner, sizeof(inner));
	if (hit.via != NULL)
		return verr(err, errlen, LG_ERR_DENIED, "%s: %s embeds %s "
		    "(%s), %s a forbidden network (%s)", what, shown, inner, hit.via,
		    hit.net->len <= q->len ? "in" : "covering", net);
	return verr(err, errlen, LG_ERR_DENIED, "%s: %s %s a forbidden "
	    "network (%s)", what, shown, hit.net->len <= q->len ?
	    "is in" : "covers", net);
}

/* Host bits and the minimum length of a bgp_route/route prefix. */
static enum lg_err
check_prefix(const struct lg_policy *pol, struct lg_prefix *p, char *err,
    size_t errlen)
{
	char		 given[INET6_ADDRSTRLEN + 4], net[INET6_ADDRSTRLEN + 4];
	int		 min;

	if (prefix_host_bits(p)) {
		prefix_format(p, given, sizeof(given));
		prefix_clear_host_bits(p);
		prefix_format(p, net, sizeof(net));
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: %s has "
		    "host bits set; did you mean %s?", given, net);
	}
	min = p->family == AFI_IPV4 ? pol->min_prefix4 : pol->min_prefix6;
	if (p->len < min)
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: prefix "
		    "length /%u is shorter than the minimum /%d for %s",
		    (unsigned int)p->len, min, afi_label(p->family));
	return LG_OK;
}

/* An address, or a prefix where the query type takes one. */
static enum lg_err
validate_ip(const struct lg_policy *pol, const struct lg_query_info *qi,
    enum lg_afi afi, const char *input, struct lg_target *t, char *err,
    size_t errlen)
{
	struct lg_prefix p;
	char		 why[LG_ERRSTR_MAX], q[QUOTE_MAX + 4], d[48];
	int		 c, haslen;
	enum lg_err	 rc;

	if (strchr(input, '%') != NULL && strchr(input, ':') != NULL)
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: IPv6 zone "
		    "ids ('%%' and an interface) are not allowed");
	if ((c = first_outside(input, "0123456789abcdefABCDEF.:/")) != -1)
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: %s is not "
		    "allowed in an address", validate_byte_desc(
		    (unsigned char)c, d, sizeof(d)));
	if (prefix_parse_any(input, &p, &haslen, why, sizeof(why)) == -1)
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: %s%s",
		    quote(input, q, sizeof(q)), why);
	if (haslen && !(qi->targets & T(TGT_PREFIX)))
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: %s takes "
		    "an address%s, not a prefix", qi->name,
		    qi->targets & T(TGT_HOSTNAME) ? " or a hostname" : "");
	if (afi != AFI_ANY && afi != p.family)
		return verr(err, errlen, LG_ERR_BAD_QUERY, "afi: %s was asked "
		    "for but the target is an %s %s", afi_name(afi),
		    afi_label(p.family), haslen ? "prefix" : "address");
	if (haslen && (rc = check_prefix(pol, &p, err, errlen)) != LG_OK)
		return rc;
	t->kind = haslen ? TGT_PREFIX : TGT_ADDRESS;
	t->family = p.family;
	memcpy(t->addr, p.addr, sizeof(t->addr));
	t->prefixlen = p.len;
	addr_format(&p, haslen, t->canon, sizeof(t->canon));
	return check_policy(pol, &p, "target", t->canon, err, errlen);
}

/* One hostname label, already lower-cased: [a-z0-9-]{1,63}, no edge '-'. */
static enum lg_err
check_label(const char *l, size_t n, char *err, size_t errlen)
{
	char		 d[48];
	size_t		 i;

	if (n == 0)
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: hostname "
		    "has an empty label");
	for (i = 0; i < n; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyz0123456789-", l[i]) ==
		    NULL)
			return verr(err, errlen, LG_ERR_BAD_QUERY, "target: %s "
			    "is not allowed in a hostname (letters, digits, "
			    "'-' and '.')", validate_byte_desc(
			    (unsigned char)l[i], d, sizeof(d)));
	if (n > 63)
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: hostname "
		    "label longer than 63 characters");
	if (l[0] == '-' || l[n - 1] == '-')
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: hostname "
		    "label starts or ends with '-'");
	return LG_OK;
}

/* RFC 1123 hostname; canonical form lower-case without a final dot. */
static enum lg_err
validate_hostname(enum lg_afi afi, const char *input, struct lg_target *t,
    char *err, size_t errlen)
{
	char		 name[LG_TARGET_MAX + 1];
	struct in_addr	 in;
	size_t		 i, n, start;
	enum lg_err	 rc;

	n = lg_strlcpy(name, input, sizeof(name));
	if (n > 0 && name[n - 1] == '.')
		name[--n] = '\0';
	if (n > LG_HOSTNAME_MAX)
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: hostname "
		    "longer than %d characters", LG_HOSTNAME_MAX);
	for (i = 0; i < n; i++)
		if (name[i] >= 'A' && name[i] <= 'Z')
			name[i] = (char)(name[i] - 'A' + 'a');
	for (i = start = 0; i <= n; i++) {
		if (i < n && name[i] != '.')
			continue;
		if ((rc = check_label(name + start, i - start, err, errlen)) !=
		    LG_OK)
			return rc;
		if (i < n)
			start = i + 1;
	}
	if (strspn(name + start, "0123456789") == n - start)
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: hostname "
		    "ends in an all-numeric label (neither a name nor a valid "
		    "IPv4 address)");
	/*
	 * Resolvers read "0x7f000001" as 127.0.0.1 (inet_aton); such a
	 * name would reach the policy only as the resolved address, so
	 * refuse it here where the message can say why.
	 */
	if (inet_aton(name, &in) != 0)
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: %s is an "
		    "IPv4 address in a non-standard form (write it as a "
		    "dotted quad)", name);
	t->kind = TGT_HOSTNAME;
	t->family = afi;
	lg_strlcpy(t->canon, name, sizeof(t->canon));
	return LG_OK;
}

/*
 * Which parser an address-or-hostname target goes to: anything with a
 * colon or a slash, or made only of digits and dots, is meant as an
 * address ("1.2.3.4.5" is a bad address, not a name).
 */
static int
looks_like_address(const char *s)
{
	if (strpbrk(s, ":/") != NULL)
		return 1;
	return s[strspn(s, "0123456789.")] == '\0';
}

static const char *
targets_wanted(unsigned int targets)
{
	if (targets & T(TGT_HOSTNAME))
		return "an address or a hostname";
	if (targets & T(TGT_PREFIX))
		return "an address or a prefix";
	if (targets & T(TGT_COMMUNITY))
		return "a community";
	if (targets & T(TGT_ASPATH))
		return "an AS-path regular expression";
	return "an address";
}

/* The type, afi and policy checks that come before the target. */
static enum lg_err
check_query(const struct lg_policy *pol, enum lg_query_type type,
    enum lg_afi afi, char *err, size_t errlen)
{
	if (query_info(type) == NULL)
		return verr(err, errlen, LG_ERR_BAD_QUERY, "type: unknown "
		    "query type");
	if (afi != AFI_ANY && afi != AFI_IPV4 && afi != AFI_IPV6)
		return verr(err, errlen, LG_ERR_BAD_QUERY, "afi: unknown "
		    "address family");
	if (pol == NULL)
		return verr(err, errlen, LG_ERR_INTERNAL, "policy: none "
		    "loaded");
	if (!(pol->queries & Q_MASK(type)))
		return verr(err, errlen, LG_ERR_DENIED, "type: %s is not "
		    "offered here", query_name(type));
	return LG_OK;
}

/* The checks in their fixed order; t may be half filled on failure. */
static enum lg_err
validate_target(const struct lg_policy *pol, enum lg_query_type type,
    enum lg_afi afi, const char *input, struct lg_target *t, char *err,
    size_t errlen)
{
	const struct lg_query_info *qi;
	enum lg_err	 rc;

	if ((rc = check_query(pol, type, afi, err, errlen)) != LG_OK)
		return rc;
	qi = query_info(type);
	if (strnlen(input, LG_TARGET_MAX + 1) > LG_TARGET_MAX)
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: too long "
		    "(more than %d bytes)", LG_TARGET_MAX);
	if (qi->targets == T(TGT_NONE)) {
		if (*input != '\0')
			return verr(err, errlen, LG_ERR_BAD_QUERY, "type: %s "
			    "takes no target", qi->name);
		return LG_OK;
	}
	if (*input == '\0')
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: missing; "
		    "%s takes %s", qi->name, targets_wanted(qi->targets));
	if ((rc = check_bytes(input, err, errlen)) != LG_OK)
		return rc;
	if (qi->targets & (T(TGT_COMMUNITY) | T(TGT_ASPATH))) {
		rc = qi->targets & T(TGT_COMMUNITY) ?
		    validate_community(input, t, err, errlen) :
		    validate_aspath(input, t, err, errlen);
		t->family = afi;	/* the families to ask in */
		return rc;
	}
	if ((qi->targets & T(TGT_HOSTNAME)) && !looks_like_address(input)) {
		if ((rc = validate_hostname(afi, input, t, err, errlen)) !=
		    LG_OK || pol->resolve)
			return rc;
		return verr(err, errlen, LG_ERR_DENIED, "target: hostnames "
		    "are not resolved here; give an IP address");
	}
	return validate_ip(pol, qi, afi, input, t, err, errlen);
}

/*
 * Returns LG_OK with *t filled, LG_ERR_BAD_QUERY (malformed) or
 * LG_ERR_DENIED (policy), with err naming the field and the reason, and
 * LG_ERR_INTERNAL without a policy.  input may be NULL (no target), and t
 * may be NULL to only check.  On failure *t is empty (TGT_NONE, canon
 * ""), so that nothing half-checked can reach a template.
 */
enum lg_err
validate_query(const struct lg_policy *pol, enum lg_query_type type,
    enum lg_afi afi, const char *input, struct lg_target *t, char *err,
    size_t errlen)
{
	struct lg_target scratch;
	enum lg_err	 rc;

	if (t == NULL)
		t = &scratch;
	memset(t, 0, sizeof(*t));
	t->family = afi;
	rc = validate_target(pol, type, afi, input == NULL ? "" : input, t,
	    err, errlen);
	if (rc != LG_OK) {
		memset(t, 0, sizeof(*t));
		t->family = afi;
	}
	return rc;
}

/*
 * The broker's check of each address a hostname resolved to: the same
 * policy, and the target becomes that literal address.
 */
enum lg_err
validate_resolved(const struct lg_policy *pol, enum lg_afi afi,
    const uint8_t *addr, struct lg_target *t, char *err, size_t errlen)
{
	struct lg_prefix p = { .family = afi };
	char		 shown[sizeof(t->canon) + 20];
	enum lg_err	 rc;

	memset(t, 0, sizeof(*t));
	if (afi != AFI_IPV4 && afi != AFI_IPV6)
		return verr(err, errlen, LG_ERR_BAD_QUERY, "target: resolved "
		    "to an address of unknown family");
	if (pol == NULL)
		return verr(err, errlen, LG_ERR_INTERNAL, "policy: none "
		    "loaded");
	p.len = afi == AFI_IPV4 ? 32 : 128;
	memcpy(p.addr, addr, afi == AFI_IPV4 ? 4 : 16);
	t->kind = TGT_ADDRESS;
	t->family = afi;
	t->prefixlen = p.len;
	memcpy(t->addr, p.addr, sizeof(t->addr));
	addr_format(&p, 0, t->canon, sizeof(t->canon));
	snprintf(shown, sizeof(shown), "resolved address %s", t->canon);
	if ((rc = check_policy(pol, &p, "target", shown, err, errlen)) !=
	    LG_OK)
		memset(t, 0, sizeof(*t));
	return rc;
}

/* Router names: [A-Za-z0-9._-], 1 to LG_NAME_MAX - 1, no '-' or '.' first. */
int
validate_router_name(const char *name)
{
	size_t		 n;

	if (name == NULL)
		return -1;
	n = strnlen(name, LG_NAME_MAX);
	if (n == 0 || n >= LG_NAME_MAX || name[0] == '-' || name[0] == '.')
		return -1;
	if (first_outside(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != -1)
		return -1;
	return 0;
}

/* The afi request parameter, case-insensitive; absent means AFI_ANY. */
int
validate_afi_param(const char *s, enum lg_afi *afi, char *err, size_t errlen)
{
	char		 low[8];
	size_t		 i, n;

	*afi = AFI_ANY;
	if (s == NULL)
		return 0;
	n = strnlen(s, sizeof(low));
	if (n < sizeof(low)) {
		for (i = 0; i <= n; i++)
			low[i] = s[i] >= 'A' && s[i] <= 'Z' ?
			    (char)(s[i] - 'A' + 'a') : s[i];
		if (afi_from_name(low, afi) == 0)
			return 0;
	}
	verr(err, errlen, LG_ERR_BAD_QUERY, "afi: must be ipv4, ipv6 or any");
	return -1;
}

/*
 * A signed-in user's name (web.auth, the QUERY frame's user): 1 to
 * LG_USER_MAX - 1 bytes of letters, digits and "._@+-", not starting
 * with '-'.  Mail addresses pass; a space, a quote or a control byte does
 * not.  1 when it is one.
 */
int
validate_user_name(const char *u)
{
	size_t	 n = strlen(u);

	return n > 0 && n < LG_USER_MAX && u[0] != '-' &&
	    strspn(u, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._@+-") == n;
}
