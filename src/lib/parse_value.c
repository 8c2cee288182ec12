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
 * Typed values of the parse engine: turns the text a rule captured into
 * the value the model holds (integers, durations, addresses, AS paths
 * with their segments, community lists).  Every function takes a
 * (pointer, length) slice of one line, never reads past it, and either
 * stores a value or fails with a message naming the text it refused.
 */

#include <netinet/in.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_int.h"

#define PV_TOKEN_MAX	128

struct pv_word {
	const char	*text;
	const char	*value;
};

static const struct pv_word pv_origins[] = {
	{ "i", "igp" }, { "igp", "igp" },
	{ "e", "egp" }, { "egp", "egp" },
	{ "?", "incomplete" }, { "incomplete", "incomplete" },
	{ NULL, NULL }
};

static const struct pv_word pv_rpkis[] = {
	{ "v", "valid" }, { "valid", "valid" },
	{ "i", "invalid" }, { "invalid", "invalid" },
	{ "n", "not-found" }, { "not found", "not-found" },
	{ "not-found", "not-found" }, { "notfound", "not-found" },
	{ "unknown", "unknown" }, { "not-verified", "unknown" },
	{ "unverified", "unknown" },
	{ NULL, NULL }
};

/* Copies a slice into a NUL-terminated token; -1 if it is too long. */
static int
pv_token(const char *s, size_t len, char *tok, size_t size)
{
	if (len >= size)
		return -1;
	memcpy(tok, s, len);
	tok[len] = '\0';
	return 0;
}

static void
pv_bad(char *err, size_t errlen, const char *what, const char *s,
    size_t len)
{
	snprintf(err, errlen, "%s: '%.*s'", what, (int)(len > 64 ? 64 : len),
	    s);
}

static int
pv_digits(const char *s, size_t len, unsigned long long max,
    unsigned long long *v)
{
	unsigned long long	 n = 0;
	size_t			 i;

	if (len == 0 || len > 20)
		return -1;
	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		n = n * 10 + (unsigned long long)(s[i] - '0');
		if (n > max)
			return -1;
	}
	*v = n;
	return 0;
}

int
pv_uint(const char *s, size_t len, json_int_t *v, char *err, size_t errlen)
{
	unsigned long long	 n;

	if (pv_digits(s, len, 4294967295ULL, &n) == -1) {
		pv_bad(err, errlen, "not an integer from 0 to 4294967295", s,
		    len);
		return -1;
	}
	*v = (json_int_t)n;
	return 0;
}

static int	 pv_asn(const char *, size_t, json_int_t *);

/* An AS number as printed, asplain or asdot (RFC 5396). */
int
pv_asnumber(const char *s, size_t len, json_int_t *v, char *err,
    size_t errlen)
{
	if (pv_asn(s, len, v) == -1) {
		pv_bad(err, errlen, "not an AS number", s, len);
		return -1;
	}
	return 0;
}

/*
 * A decimal number as routers print times and percentages: digits,
 * optionally a point and more digits ("12", "0.345", "100.0").
 */
int
pv_decimal(const char *s, size_t len, double *v, char *err, size_t errlen)
{
	char		 tok[32], *end;
	size_t		 i, ndig = 0, npoint = 0;

	for (i = 0; i < len; i++) {
		if (isdigit((unsigned char)s[i]))
			ndig++;
		else if (s[i] == '.' && npoint++ == 0 && i > 0)
			continue;
		else
			break;
	}
	if (i < len || ndig == 0 || s[len - 1] == '.' ||
	    pv_token(s, len, tok, sizeof(tok)) == -1) {
		pv_bad(err, errlen, "not a decimal number", s, len);
		return -1;
	}
	*v = strtod(tok, &end);
	return 0;
}

/*
 * MPLS labels separated by blanks, commas or slashes ("24005",
 * "16003/24005"), appended to list unless it holds them already.
 */
int
pv_labels(struct pv_intern *in, const char *s, size_t len, json_t *list,
    char *err, size_t errlen)
{
	unsigned long long	 n;
	json_t			*v;
	size_t			 i = 0, start, k;

	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == ',' || s[i] == '/'))
			i++;
		for (start = i; i < len && isdigit((unsigned char)s[i]); i++)
			;
		if (i == start && i == len)
			break;
		if (pv_digits(s + start, i - start, 1048575, &n) == -1) {
			pv_bad(err, errlen, "not MPLS labels", s, len);
			return -1;
		}
		json_array_foreach(list, k, v)
			if (json_integer_value(v) == (json_int_t)n)
				break;
		if (k == json_array_size(list) &&
		    json_array_append_new(list, pv_int(in, (json_int_t)n)) ==
		    -1) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* One duration token: "3w", "2d", "04h", "5m", "6s", "12", "1:02:03". */
static int
pv_duration_token(const char *s, size_t len, unsigned long long *v)
{
	static const struct {
		char		 unit;
		unsigned int	 secs;
	} units[] = {
		{ 'y', 365 * 86400 }, { 'w', 7 * 86400 }, { 'd', 86400 },
		{ 'h', 3600 }, { 'm', 60 }, { 's', 1 }, { '\0', 0 }
	};
	unsigned long long	 n, part;
	size_t			 i, start, u, nparts = 0;

	*v = 0;
	if (memchr(s, ':', len) != NULL) {
		for (start = 0, i = 0; i <= len; i++) {
			if (i < len && s[i] != ':')
				continue;
			if (pv_digits(s + start, i - start, 99999, &part) ==
			    -1 || ++nparts > 3)
				return -1;
			*v = *v * 60 + part;
			start = i + 1;
		}
		return 0;
	}
	for (start = 0, i = 0; i < len; i++) {
		if (isdigit((unsigned char)s[i]))
			continue;
		for (u = 0; units[u].unit != '\0'; u++)
			if (units[u].unit == s[i])
				break;
		if (units[u].unit == '\0' ||
		    pv_digits(s + start, i - start, 99999, &n) == -1)
			return -1;
		*v += n * units[u].secs;
		start = i + 1;
	}
	if (start < len) {
		if (pv_digits(s + start, len - start, 4294967295ULL, &n) == -1)
			return -1;
		*v += n;
	}
	return 0;
}

int
pv_duration(const char *s, size_t len, json_int_t *v, char *err,
    size_t errlen)
{
	unsigned long long	 total = 0, t;
	size_t			 i = 0, start;
	int			 ntok = 0;

	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == ','))
			i++;
		for (start = i; i < len && s[i] != ' ' && s[i] != ','; i++)
			;
		if (i == start)
			break;
		if (pv_duration_token(s + start, i - start, &t) == -1) {
			pv_bad(err, errlen, "not a duration", s, len);
			return -1;
		}
		total += t;
		ntok++;
	}
	if (ntok == 0 || ntok > 4) {
		pv_bad(err, errlen, "not a duration", s, len);
		return -1;
	}
	*v = (json_int_t)total;
	return 0;
}

/*
 * An address or a prefix as prefix.c reads the ones users type, without
 * judging host bits; wantlen: 1 a length may follow, 0 it may not.
 */
static int
pv_inet(const char *s, size_t len, int wantlen)
{
	char			 tok[INET6_ADDRSTRLEN + 4], why[LG_ERRSTR_MAX];
	struct lg_prefix	 p;
	int			 haslen;

	return pv_token(s, len, tok, sizeof(tok)) == 0 &&
	    prefix_parse_any(tok, &p, &haslen, why, sizeof(why)) == 0 &&
	    (wantlen || !haslen) ? 0 : -1;
}

int
pv_address(const char *s, size_t len, char *err, size_t errlen)
{
	if (pv_inet(s, len, 0) == -1) {
		pv_bad(err, errlen, "not an address", s, len);
		return -1;
	}
	return 0;
}

int
pv_prefix(const char *s, size_t len, char *err, size_t errlen)
{
	if (pv_inet(s, len, 1) == -1) {
		pv_bad(err, errlen, "not a prefix", s, len);
		return -1;
	}
	return 0;
}

int
pv_addrlist(struct pv_intern *in, const char *s, size_t len, json_t *list,
    char *err, size_t errlen)
{
	size_t		 i = 0, start;

	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == ','))
			i++;
		if (i == len)
			return 0;
		for (start = i; i < len && s[i] != ' ' && s[i] != ','; i++)
			;
		if (pv_address(s + start, i - start, err, errlen) == -1)
			return -1;
		if (json_array_append_new(list, pv_string(in, s + start,
		    i - start)) == -1) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
}

/* An ASN in asplain or asdot (RFC 5396). */
static int
pv_asn(const char *s, size_t len, json_int_t *asn)
{
	const char		*dot;
	unsigned long long	 hi, lo;

	if ((dot = memchr(s, '.', len)) == NULL) {
		if (pv_digits(s, len, 4294967295ULL, &lo) == -1)
			return -1;
		*asn = (json_int_t)lo;
		return 0;
	}
	if (pv_digits(s, (size_t)(dot - s), 65535, &hi) == -1 ||
	    pv_digits(dot + 1, len - (size_t)(dot - s) - 1, 65535, &lo) == -1)
		return -1;
	*asn = (json_int_t)(hi << 16 | lo);
	return 0;
}

static const struct {
	char		 open;
	char		 close;
	const char	*type;
} pv_segments[] = {
	{ '{', '}', "set" },
	{ '(', ')', "confed_sequence" },
	{ '[', ']', "confed_set" },
	{ '\0', '\0', NULL }
};

/* A segment object appended to segs; its asns array is returned. */
static json_t *
pv_segment(json_t *segs, const char *type)
{
	json_t		*seg, *asns;

	/* Built by hand: json_pack would read its format every time. */
	if ((seg = json_object()) == NULL)
		return NULL;
	asns = json_array();
	if (json_object_set_new_nocheck(seg, "type",
	    json_string_nocheck(type)) ==
	    -1 || json_object_set_new_nocheck(seg, "asns", asns) == -1) {
		json_decref(seg);
		return NULL;
	}
	if (json_array_append_new(segs, seg) == -1)
		return NULL;
	return asns;
}

/*
 * An AS path as printed: ASNs separated by blanks, sets in braces
 * (members separated by commas or blanks), confederation sequences in
 * parentheses and confederation sets in brackets.  Appends the ASNs to
 * flat and the segments to segs.
 */
int
pv_aspath(struct pv_intern *in, const char *s, size_t len, json_t *flat,
    json_t *segs, char *err, size_t errlen)
{
	json_t		*asns = NULL, *v;
	json_int_t	 asn;
	size_t		 i = 0, start, k;
	char		 close = '\0';

	while (i < len) {
		if (s[i] == ' ' || s[i] == ',') {
			i++;
			continue;
		}
		for (k = 0; pv_segments[k].type != NULL; k++)
			if (s[i] == pv_segments[k].open)
				break;
		if (pv_segments[k].type != NULL && close == '\0') {
			close = pv_segments[k].close;
			if ((asns = pv_segment(segs, pv_segments[k].type)) ==
			    NULL)
				goto nomem;
			i++;
			continue;
		}
		if (close != '\0' && s[i] == close) {
			close = '\0';
			asns = NULL;
			i++;
			continue;
		}
		for (start = i; i < len && (isdigit((unsigned char)s[i]) ||
		    s[i] == '.'); i++)
			;
		if (i == start || pv_asn(s + start, i - start, &asn) == -1) {
			pv_bad(err, errlen, "not an AS path", s, len);
			return -1;
		}
		if (asns == NULL && (asns = pv_segment(segs, "sequence")) ==
		    NULL)
			goto nomem;
		/* One value in both lists: nothing changes it later. */
		if ((v = pv_int(in, asn)) == NULL)
			goto nomem;
		if (json_array_append(asns, v) == -1) {
			json_decref(v);
			goto nomem;
		}
		if (json_array_append_new(flat, v) == -1)
			goto nomem;
	}
	if (close != '\0') {
		pv_bad(err, errlen, "unclosed AS path segment", s, len);
		return -1;
	}
	return 0;
nomem:
	snprintf(err, errlen, "out of memory");
	return -1;
}

/* The model's word for a printed origin or RPKI state, or NULL. */
static const char *
pv_map(const char *s, size_t len, const struct pv_word *tab)
{
	size_t		 i;

	for (i = 0; tab[i].text != NULL; i++)
		if (strlen(tab[i].text) == len &&
		    strncasecmp(tab[i].text, s, len) == 0)
			return tab[i].value;
	return NULL;
}

const char *
pv_origin(const char *s, size_t len)
{
	return pv_map(s, len, pv_origins);
}

const char *
pv_rpki(const char *s, size_t len)
{
	return pv_map(s, len, pv_rpkis);
}

/* Whether the word at s (to the next blank) holds a colon. */
static int
pv_word_colon(const char *s, size_t len)
{
	size_t		 i;

	for (i = 0; i < len && s[i] != ' '; i++)
		if (s[i] == ':')
			return 1;
	return 0;
}

/*
 * The next community token of s from *i: a word, or a parenthesised
 * tuple as BIRD prints them ("(65000, 1, 2)", "(rt, 65000, 1)"), which
 * is written with colons ("65000:1:2", "rt:65000:1").  With spaced, an
 * extended community's type may hold blanks ("VRF Route Import:1:2"):
 * words without a colon join the word with a colon that follows them.
 * Returns its length in tok, 0 at the end, -1 if too long or unclosed.
 */
static int
pv_comm_token(const char *s, size_t len, size_t *i, char *tok, size_t size,
    int spaced)
{
	size_t		 n = 0, j;
	int		 paren;

	while (*i < len && (s[*i] == ' ' || s[*i] == ','))
		(*i)++;
	if (*i == len)
		return 0;
	if ((paren = s[*i] == '(') != 0)
		(*i)++;
	else if (spaced && !pv_word_colon(s + *i, len - *i)) {
		/* Join the colon-less words up to one with a colon. */
		for (j = *i; j < len && !pv_word_colon(s + j, len - j); j++)
			while (j < len && s[j] != ' ')
				j++;
		if (j >= len)
			spaced = 0;
	}
	for (; *i < len; (*i)++) {
		if (paren && s[*i] == ')')
			break;
		if (!paren && s[*i] == ',' && !spaced)
			break;
		if (!paren && s[*i] == ' ') {
			if (!spaced || memchr(tok, ':', n) != NULL)
				break;
		}
		if (paren && s[*i] == ' ')
			continue;
		if (n + 1 >= size)
			return -1;
		tok[n++] = paren && s[*i] == ',' ? ':' : s[*i];
	}
	if (paren && (*i == len || s[(*i)++] != ')'))
		return -1;
	tok[n] = '\0';
	return n == 0 ? -1 : (int)n;
}

/* The count of colon-separated numbers of tok, 0 if it is not that. */
static int
pv_numbers(const char *tok, unsigned long long max)
{
	unsigned long long	 v;
	const char		*p, *c;
	int			 n = 0;

	for (p = tok;; p = c + 1) {
		c = strchr(p, ':');
		if (pv_digits(p, c != NULL ? (size_t)(c - p) : strlen(p), max,
		    &v) == -1)
			return 0;
		n++;
		if (c == NULL)
			return n;
	}
}

/* Which list of the model a token of a "communities" capture joins. */
static json_t *
pv_comm_classify(char *tok, size_t *skip, json_t *std, json_t *large,
    json_t *ext)
{
	const char	*colon;
	size_t		 i;

	*skip = 0;
	if (strncasecmp(tok, "large:", 6) == 0) {
		*skip = 6;
		return large;
	}
	if (pv_numbers(tok, 4294967295ULL) == 3)
		return large;
	if ((colon = strchr(tok, ':')) != NULL && colon != tok) {
		for (i = 0; tok + i < colon; i++)
			if (isalpha((unsigned char)tok[i]))
				return ext;
	}
	return std;
}

/*
 * Writes a standard community in A:B form into tok where it can.  Most
 * are A:B already; only a token starting with a letter can be a
 * well-known name.
 */
static void
pv_comm_standard(char *tok, size_t size)
{
	uint32_t		 wk[2];
	unsigned long long	 v;

	if (isdigit((unsigned char)tok[0]) && strchr(tok, ':') != NULL)
		return;
	if (isalpha((unsigned char)tok[0]) &&
	    validate_community_wellknown(tok, strlen(tok), wk) == 0)
		snprintf(tok, size, "%u:%u", wk[0], wk[1]);
	else if (pv_digits(tok, strlen(tok), 4294967295ULL, &v) == 0)
		snprintf(tok, size, "%llu:%llu", v >> 16, v & 0xffff);
}

/*
 * A list of communities as printed.  For PV_COMMUNITIES each token goes
 * to the list its form says (standard, large "A:B:C" or "large:A:B:C",
 * extended "type:..."); well-known names and the old decimal form become
 * A:B; anything else (an alias the router substituted) is kept verbatim.
 * PV_LARGE and PV_EXT put every token in their own list; the lists
 * they do not use may be NULL.
 */
int
pv_communities(struct pv_intern *in, enum pv_type type, const char *s,
    size_t len, json_t *std, json_t *large, json_t *ext, char *err,
    size_t errlen)
{
	char		 tok[PV_TOKEN_MAX];
	json_t		*list;
	size_t		 i = 0, skip = 0;
	int		 n;

	while ((n = pv_comm_token(s, len, &i, tok, sizeof(tok),
	    type == PV_EXT)) > 0) {
		if (type == PV_LARGE) {
			list = large;
			if (strncasecmp(tok, "large:", 6) == 0)
				skip = 6;
		} else if (type == PV_EXT)
			list = ext;
		else
			list = pv_comm_classify(tok, &skip, std, large, ext);
		if (list == std)
			pv_comm_standard(tok, sizeof(tok));
		if (json_array_append_new(list, pv_string(in, tok + skip,
		    strlen(tok + skip))) == -1) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		skip = 0;
	}
	if (n == -1) {
		pv_bad(err, errlen, "not a community list", s, len);
		return -1;
	}
	return 0;
}
