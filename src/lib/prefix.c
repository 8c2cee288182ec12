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
 * Networks (struct lg_prefix): "addr" and "addr/len" parsed with inet_pton
 * only, strict for configuration (prefix_parse) or keeping host bits for
 * validate.c to judge (prefix_parse_any), containment and overlap, host
 * bits, and the canonical "addr/len" text.  policy.c builds the forbidden
 * list and the trusted proxies are lists of these.  Messages never repeat
 * input that is not short printable ASCII.  Nothing here logs.
 */

#include <sys/socket.h>

#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "lg.h"

static unsigned int
afi_bits(enum lg_afi afi)
{
	return afi == AFI_IPV4 ? 32 : 128;
}

/* 1 if the first nbits of a and b are equal. */
static int
bits_equal(const uint8_t *a, const uint8_t *b, unsigned int nbits)
{
	unsigned int	 full = nbits / 8, rest = nbits % 8;
	uint8_t		 mask;

	if (memcmp(a, b, full) != 0)
		return 0;
	if (rest == 0)
		return 1;
	mask = (uint8_t)(0xff << (8 - rest));
	return ((a[full] ^ b[full]) & mask) == 0;
}

int
prefix_contains(const struct lg_prefix *p, enum lg_afi afi,
    const uint8_t *addr)
{
	if (p->family != afi)
		return 0;
	return bits_equal(p->addr, addr, p->len);
}

int
prefix_overlaps(const struct lg_prefix *a, const struct lg_prefix *b)
{
	if (a->family != b->family)
		return 0;
	return bits_equal(a->addr, b->addr, a->len < b->len ? a->len : b->len);
}

int
prefix_host_bits(const struct lg_prefix *p)
{
	struct lg_prefix	 net = *p;

	prefix_clear_host_bits(&net);
	return memcmp(net.addr, p->addr, sizeof(p->addr)) != 0;
}

void
prefix_clear_host_bits(struct lg_prefix *p)
{
	unsigned int	 i;

	for (i = 0; i < sizeof(p->addr); i++) {
		if (i * 8 >= p->len)
			p->addr[i] = 0;
		else if (i * 8 + 8 > p->len)
			p->addr[i] &= (uint8_t)(0xff << (8 - (p->len - i * 8)));
	}
}

/* A decimal prefix length: digits only, no sign, no leading zero. */
static int
prefix_parse_len(const char *s, unsigned int max, uint8_t *len, char *errstr,
    size_t errlen)
{
	unsigned int	 v = 0;
	size_t		 i, n = strlen(s);

	if (n == 0 || n > 3 || (n > 1 && s[0] == '0')) {
		snprintf(errstr, errlen, "prefix length must be a decimal "
		    "number without leading zeros");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			snprintf(errstr, errlen, "prefix length must be a "
			    "decimal number");
			return -1;
		}
		v = v * 10 + (unsigned int)(s[i] - '0');
	}
	if (v > max) {
		snprintf(errstr, errlen, "prefix length /%u is out of range "
		    "for %s (0-%u)", v, max == 32 ? "IPv4" : "IPv6", max);
		return -1;
	}
	*len = (uint8_t)v;
	return 0;
}

/*
 * The address part: IPv6 when it has a colon, IPv4 (strict dotted quad,
 * which is all inet_pton accepts) otherwise.
 */
static int
prefix_parse_addr(const char *s, struct lg_prefix *p, char *errstr,
    size_t errlen)
{
	if (strchr(s, '%') != NULL) {
		snprintf(errstr, errlen, "IPv6 zone ids (%%...) are not "
		    "allowed");
		return -1;
	}
	if (strchr(s, ':') != NULL) {
		p->family = AFI_IPV6;
		if (inet_pton(AF_INET6, s, p->addr) == 1)
			return 0;
		snprintf(errstr, errlen, "not a valid IPv6 address");
		return -1;
	}
	p->family = AFI_IPV4;
	if (inet_pton(AF_INET, s, p->addr) == 1)
		return 0;
	snprintf(errstr, errlen, "not a valid IPv4 address (dotted quad, "
	    "four decimal numbers 0-255 without leading zeros)");
	return -1;
}

/*
 * Parses "addr" or "addr/len" without judging host bits; *haslen says
 * whether a length was given (a bare address is a host prefix).  The
 * message in errstr never repeats the input, so callers may show it to
 * anyone.  Returns 0 or -1.
 */
int
prefix_parse_any(const char *text, struct lg_prefix *p, int *haslen,
    char *errstr, size_t errlen)
{
	char		 abuf[INET6_ADDRSTRLEN];
	const char	*slash;
	size_t		 alen;

	memset(p, 0, sizeof(*p));
	*haslen = 0;
	if (*text == '\0') {
		snprintf(errstr, errlen, "empty address");
		return -1;
	}
	slash = strchr(text, '/');
	alen = slash != NULL ? (size_t)(slash - text) : strlen(text);
	if (alen >= sizeof(abuf)) {
		snprintf(errstr, errlen, "address too long");
		return -1;
	}
	memcpy(abuf, text, alen);
	abuf[alen] = '\0';
	if (prefix_parse_addr(abuf, p, errstr, errlen) == -1)
		return -1;
	p->len = (uint8_t)afi_bits(p->family);
	if (slash == NULL)
		return 0;
	*haslen = 1;
	return prefix_parse_len(slash + 1, afi_bits(p->family), &p->len,
	    errstr, errlen);
}

/* 1 if text may be repeated in a message: short, printable ASCII. */
static int
printable_short(const char *text)
{
	size_t		 i;

	for (i = 0; text[i] != '\0'; i++)
		if (i >= 64 || text[i] <= ' ' || text[i] >= 0x7f)
			return 0;
	return 1;
}

/*
 * The strict form for configuration: "10.0.0.0/8", "2001:db8::/32" or a
 * bare address (a host prefix); host bits must be clear.  The message
 * names the text when it is short and printable.
 */
int
prefix_parse(const char *text, struct lg_prefix *p, char *errstr,
    size_t errlen)
{
	char		 why[LG_ERRSTR_MAX], canon[INET6_ADDRSTRLEN + 4];
	int		 haslen;

	if (prefix_parse_any(text, p, &haslen, why, sizeof(why)) == -1) {
		if (printable_short(text))
			snprintf(errstr, errlen, "%s: %s", text, why);
		else
			snprintf(errstr, errlen, "network: %s", why);
		return -1;
	}
	if (prefix_host_bits(p)) {
		prefix_clear_host_bits(p);
		prefix_format(p, canon, sizeof(canon));
		snprintf(errstr, errlen, "%s has host bits set (the network "
		    "is %s)", text, canon);
		return -1;
	}
	return 0;
}

/* Canonical "addr/len", inet_ntop form; "?" if it cannot be written. */
void
prefix_format(const struct lg_prefix *p, char *buf, size_t len)
{
	char		 a[INET6_ADDRSTRLEN];
	int		 af = p->family == AFI_IPV4 ? AF_INET : AF_INET6;

	if (len == 0)
		return;
	if ((p->family != AFI_IPV4 && p->family != AFI_IPV6) ||
	    inet_ntop(af, p->addr, a, sizeof(a)) == NULL) {
		lg_strlcpy(buf, "?", len);
		return;
	}
	snprintf(buf, len, "%s/%u", a, (unsigned int)p->len);
}
