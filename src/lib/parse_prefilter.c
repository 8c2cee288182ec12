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
 * A parse rule's prefilters, worked out once when the driver loads: what
 * a line must start with or contain, and the characters it may start
 * with, so that most lines are refused before pcre2 runs (parse.c checks
 * them; parse_rules.c compiles the rule and calls these).
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>
#include <pcre2.h>

#include "driver_int.h"
#include "parse_int.h"

/* 1 if the pattern has a '|' outside any group or class. */
static int
pr_top_alternation(const char *s)
{
	int		 depth = 0, class = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\\' && s[1] != '\0')
			s++;
		else if (class)
			class = *s != ']';
		else if (*s == '[') {
			class = 1;
			if (s[1] == ']' || (s[1] == '^' && s[2] == ']'))
				s += s[1] == '^' ? 2 : 1;
		} else if (*s == '(')
			depth++;
		else if (*s == ')')
			depth--;
		else if (*s == '|' && depth == 0)
			return 1;
	}
	return 0;
}

/*
 * The literal text an anchored pattern starts with ("^  Community: "),
 * so that most lines are refused by a memcmp before pcre2 runs.  Only
 * plain characters and escaped punctuation count; a character followed
 * by a quantifier does not.  litsrc is where the pattern goes on past
 * the literal, for pr_first.  A pattern starting "(?i)^" has its
 * literal compared caseless (litcase), as pcre2 compares ASCII letters.
 */
void
pr_literal(struct pr_rule *r, const char *src)
{
	static const char	 meta[] = "\\^$.|?*+()[]{}";
	const char		*start = src, *prev;
	char			 buf[128];
	size_t			 n = 0;
	char			 c;

	if (strncmp(src, "(?J)", 4) == 0)
		src += 4;
	else if (strncmp(src, "(?i)^", 5) == 0) {
		r->litcase = 1;
		src += 4;
	}
	if (*src++ != '^' || pr_top_alternation(src))
		return;
	if (strncmp(src, "\\s*", 3) == 0) {
		r->litblank = 1;
		src += src[3] == '+' ? 4 : 3;
	}
	while (*src != '\0' && n < sizeof(buf)) {
		prev = src;
		if (src[0] == '\\' && src[1] != '\0' &&
		    strchr(meta, src[1]) != NULL && src[1] != '\0') {
			c = src[1];
			src += 2;
		} else if (src[0] == '\\' && src[1] == 't') {
			c = '\t';
			src += 2;
		} else if (strchr(meta, *src) == NULL)
			c = *src++;
		else
			break;
		if (*src == '?' || *src == '*' || *src == '+' || *src == '{') {
			src = prev;
			break;
		}
		buf[n++] = c;
	}
	/* "^\s* x" would skip the blank the literal needs. */
	if (n == 0 || (r->litblank && (buf[0] == ' ' || buf[0] == '\t')))
		return;
	r->lit = xmalloc(n);
	memcpy(r->lit, buf, n);
	r->litlen = n;
	r->litsrc = (size_t)(src - start);
}

/*
 * Patterns whose options change what a literal character matches
 * (caseless, extended, \Q...\E quoting), set anywhere as (?i), (?si:,
 * (?-i) and the like, are given no required text or first characters.
 */
static int
pr_plain_options(const char *src)
{
	static const char	 flags[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ^-";
	const char		*p;
	size_t			 n;

	if (strstr(src, "\\Q") != NULL)
		return 0;
	for (p = src; (p = strstr(p, "(?")) != NULL; p += 2) {
		n = strspn(p + 2, flags);
		if ((p[2 + n] == ')' || p[2 + n] == ':') &&
		    strcspn(p + 2, "ix^-") < n)
			return 0;
	}
	return 1;
}

/*
 * Past an escape other than escaped punctuation: its argument too, as
 * in \x41, \cA, \12, \g{-1}, \k<name>, \pL and \p{L}.
 */
static const char *
pr_escape_end(const char *p)
{
	const char	*end;
	char		 e = p[1];
	int		 n;

	p += 2;
	if (*p == '{' || (strchr("gk", e) != NULL && (*p == '<' ||
	    *p == '\''))) {
		end = strchr(p + 1, *p == '{' ? '}' : *p == '<' ? '>' : '\'');
		return end != NULL ? end + 1 : p + strlen(p);
	}
	if (e == 'c' || ((e == 'p' || e == 'P') && *p != '\0'))
		return *p != '\0' ? p + 1 : p;
	if (e == 'x')
		for (n = 0; n < 2 && isxdigit((unsigned char)*p); n++)
			p++;
	if (isdigit((unsigned char)e) || e == 'g')
		while (isdigit((unsigned char)*p) || *p == '-' || *p == '+')
			p++;
	return p;
}

/*
 * Reads one item of a pattern outside any group and class: 1 with *c
 * set for a literal character, 0 for anything else (skipping a whole
 * class, group or {n,m} quantifier).  *s moves past the item.
 */
static int
pr_item(const char **s, char *c)
{
	static const char	 meta[] = "\\^$.|?*+()[]{}";
	const char		*p = *s;
	int			 depth = 0, class = 0;

	if (p[0] == '\\' && p[1] != '\0') {
		if (p[1] == 't' || strchr(meta, p[1]) != NULL) {
			*c = p[1] == 't' ? '\t' : p[1];
			*s = p + 2;
			return 1;
		}
		*s = pr_escape_end(p);
		return 0;
	}
	if (strchr(meta, *p) == NULL) {
		*c = *p;
		*s = p + 1;
		return 1;
	}
	if (*p == '{') {
		*s = (p = strchr(p, '}')) != NULL ? p + 1 : *s + strlen(*s);
		return 0;
	}
	if (*p != '(' && *p != '[') {
		*s = p + 1;
		return 0;
	}
	/* A class, or a group with what it holds. */
	do {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (class)
			class = *p != ']';
		else if (*p == '[') {
			class = 1;
			if (p[1] == ']' || (p[1] == '^' && p[2] == ']'))
				p += p[1] == '^' ? 2 : 1;
		} else if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		p++;
	} while (*p != '\0' && (class || depth > 0));
	*s = p;
	return 0;
}

/*
 * The longest run of literal text outside any group that every match
 * must contain: " Preference:" in "^\s*+[*]?\w+\s+Preference:".  A
 * line without it is refused by memmem before pcre2 runs, which costs
 * far less than pcre2 failing.  A character followed by a quantifier
 * ends a run without joining it; the run pr_literal already checks at
 * the start of the line is not taken again.
 */
void
pr_required(struct pr_rule *r, const char *src)
{
	char		 run[128], best[128];
	size_t		 n = 0, nbest = 0;
	char		 c;
	int		 lit, skip = r->litlen > 0;

	if (pr_top_alternation(src) || !pr_plain_options(src))
		return;
	do {
		lit = *src != '\0' && pr_item(&src, &c);
		if (lit && (*src == '?' || *src == '*' || *src == '+' ||
		    *src == '{'))
			lit = 0;
		if (lit && n < sizeof(run)) {
			run[n++] = c;
			continue;
		}
		if (n > 0 && skip)
			skip = 0;
		else if (n > nbest) {
			memcpy(best, run, n);
			nbest = n;
		}
		n = 0;
	} while (*src != '\0' || n > 0);
	if (nbest == 0)
		return;
	r->req = xmalloc(nbest);
	memcpy(r->req, best, nbest);
	r->reqlen = nbest;
	while (r->reqkey + 1 < nbest && (best[r->reqkey] == ' ' ||
	    best[r->reqkey] == '\t'))
		r->reqkey++;
}

/* Whether a rule's set of first characters holds a blank. */
static int
pr_first_blank(const struct pr_rule *r)
{
	static const char	 blanks[] = " \t\n\v\f\r";
	size_t			 i;
	unsigned char		 c;

	for (i = 0; blanks[i] != '\0'; i++) {
		c = (unsigned char)blanks[i];
		if (r->first[c >> 3] & (1 << (c & 7)))
			return 1;
	}
	return 0;
}

/*
 * The characters a match of an anchored pattern can start with, past
 * the blanks of a leading "^\s*+" ("^\s*", "^\s+"): pcre2 works them
 * out only for unanchored patterns, so what follows the anchor is
 * compiled alone to ask, and the copy freed.  A line whose first
 * character (past its blanks) is not among them is refused before
 * pcre2 runs, as are lines refused by pr_literal.  A set holding a
 * blank is not used: the blanks might then belong to the rest.  For a
 * pattern with a literal start, the set is that of the character right
 * after the literal ("^  " then an AS path's digit or bracket), where
 * blanks are as good as any character.
 */
void
pr_first(struct pr_rule *r, const char *src)
{
	pcre2_code	*re;
	const uint8_t	*map = NULL;
	PCRE2_SIZE	 off;
	uint32_t	 type = 0, cu;
	char		*buf;
	int		 rc, blank = 0, dupnames = 0;

	if (!pr_plain_options(src))
		return;
	if (strncmp(src, "(?J)", 4) == 0)
		dupnames = 1;
	if (r->litlen > 0)
		src += r->litsrc;
	else if (dupnames)
		src += 4;
	if (r->litlen == 0 && (*src++ != '^' || pr_top_alternation(src)))
		return;
	if (r->litlen == 0 && src[0] == '\\' && src[1] == 's' &&
	    (src[2] == '*' || src[2] == '+')) {
		blank = 1;
		src += 3;
		if (*src == '+' || *src == '?')
			src++;
	}
	buf = xmalloc(strlen(src) + 5);
	snprintf(buf, strlen(src) + 5, "%s%s", dupnames ? "(?J)" : "", src);
	re = pcre2_compile((PCRE2_SPTR)buf, PCRE2_ZERO_TERMINATED, 0, &rc,
	    &off, NULL);
	free(buf);
	if (re == NULL)
		return;
	pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODETYPE, &type);
	if (type == 1 && pcre2_pattern_info(re, PCRE2_INFO_FIRSTCODEUNIT,
	    &cu) == 0 && cu < 256)
		r->first[cu >> 3] |= (uint8_t)(1 << (cu & 7));
	else if (pcre2_pattern_info(re, PCRE2_INFO_FIRSTBITMAP, &map) == 0 &&
	    map != NULL)
		memcpy(r->first, map, sizeof(r->first));
	pcre2_code_free(re);
	if ((type != 1 && map == NULL) || (r->litlen == 0 &&
	    pr_first_blank(r)))
		return;
	r->firstset = 1;
	r->firstblank = blank;
}

/*
 * The characters one atom of a pattern (".", "\S", "[0-9a-f.:]")
 * matches, asked of pcre2 byte by byte, so that the engine's run is
 * what pcre2's would be, whatever its newline convention and tables:
 * 0, or -1 if the atom does not compile.
 */
static int
pr_simple_set(struct pr_rule *r, const char *atom, size_t len)
{
	pcre2_code		*re;
	pcre2_match_data	*md;
	unsigned char		 c;
	unsigned int		 i;
	int			 rc;
	PCRE2_SIZE		 off;

	if ((re = pcre2_compile((PCRE2_SPTR)atom, len, PCRE2_ANCHORED, &rc,
	    &off, NULL)) == NULL)
		return -1;
	if ((md = pcre2_match_data_create_from_pattern(re, NULL)) == NULL) {
		pcre2_code_free(re);
		return -1;
	}
	for (i = 0; i < 256; i++) {
		c = (unsigned char)i;
		if (pcre2_match(re, &c, 1, 0, 0, md, NULL) >= 0 &&
		    pcre2_get_ovector_pointer(md)[1] == 1)
			r->run[i >> 3] |= (unsigned char)(1 << (i & 7));
	}
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return 0;
}

/*
 * The atom of a simple rule's capture and its quantifier: ".*", or a
 * class, \S, \d or \w then "+".  Its length, and *any for ".*"; 0 if
 * the capture holds anything else.
 */
static size_t
pr_simple_atom(const char *s, int *any)
{
	const char	*p;

	*any = 0;
	if (strncmp(s, ".*", 2) == 0 && s[2] != '+' && s[2] != '?') {
		*any = 1;
		return 1;
	}
	if (s[0] == '\\' && strchr("Sdw", s[1]) != NULL)
		p = s + 2;
	else if (s[0] == '[') {
		/* A class of plain characters, ranges and escapes. */
		p = s + 1;
		if (*p == '^')
			p++;
		if (*p == ']')
			p++;
		for (; *p != ']' && *p != '\0'; p++)
			if (*p == '[' || (*p == '\\' && *++p == '\0'))
				return 0;
		if (*p++ != ']')
			return 0;
	} else
		return 0;
	if (p[0] != '+' || p[1] == '+' || p[1] == '?')
		return 0;
	return (size_t)(p - s);
}

/*
 * Whether a rule is simple: its literal start (pr_literal), perhaps one
 * optional character before a ".*", one named capture of a run and
 * perhaps "$", nothing else: "^\s*+Community: (?<communities>.*)$".
 * The engine then matches it without pcre2 (parser_simple), which on
 * such lines costs several times what the memcmp and a loop over the
 * run do.  A pattern with options, other groups or other quantifiers
 * is left to pcre2.
 */
void
pr_simple(struct pr_rule *r)
{
	const char	*s;
	uint32_t	 ncap = 0;
	size_t		 n;
	int		 opt = -1, any;

	r->simple = PRS_NONE;
	r->runopt = -1;
	if (r->litlen == 0 || r->src[0] != '^' ||
	    pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &ncap) != 0 ||
	    ncap != 1)
		return;
	s = r->src + r->litsrc;
	if (s[0] != '\0' && s[1] == '?' && strchr("\\^$.|?*+()[]{}", s[0]) ==
	    NULL) {
		opt = (unsigned char)s[0];
		s += 2;
	}
	if (strncmp(s, "(?<", 3) != 0)
		return;
	for (s += 3; *s == '_' || isalnum((unsigned char)*s); s++)
		;
	if (*s++ != '>' || (n = pr_simple_atom(s, &any)) == 0 ||
	    (opt != -1 && !any))
		return;
	memset(r->run, 0, sizeof(r->run));
	if (pr_simple_set(r, s, n) == -1)
		return;
	s += n + 1;
	if (*s++ != ')')
		return;
	r->runend = *s == '$';
	if (*s == '$')
		s++;
	if (*s != '\0')
		return;
	r->runopt = opt;
	r->simple = any ? PRS_ANY : PRS_RUN;
	r->runnl = 1;
	for (n = 0; n < 256; n++)
		if (((r->run[n >> 3] >> (n & 7)) & 1) != (n != '\n'))
			r->runnl = 0;
}

/* An ASCII letter in lower case, as pcre2's tables fold it. */
static unsigned int
pr_fold(unsigned int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * Which rules of a state a line may match, by the byte it starts with
 * and the byte past its blanks, worked out from the prefilters the
 * engine checks anyway (parser_may_match): a literal start's first
 * character, or the set of first characters, at the line's start or
 * past its blanks.  The engine then looks at no other rule for that
 * line, rather than at each rule in turn.
 */
void
pr_dispatch(struct pr_state *st)
{
	const struct pr_rule	*r;
	unsigned long long	 bit;
	unsigned int		 c;
	size_t			 i;
	int			 blank, ok;

	for (c = 0; c < 256; c++)
		st->at0[c] = st->atblank[c] = 0;
	for (i = 0; i < st->nrules && i < PR_RULES_MAX; i++) {
		r = &st->rules[i];
		bit = 1ULL << i;
		blank = r->litlen > 0 ? r->litblank : r->firstblank;
		for (c = 0; c < 256; c++) {
			if (r->litlen > 0 && r->litcase)
				ok = pr_fold(c) ==
				    pr_fold((unsigned char)r->lit[0]);
			else if (r->litlen > 0)
				ok = c == (unsigned char)r->lit[0];
			else if (r->firstset)
				ok = (r->first[c >> 3] >> (c & 7)) & 1;
			else
				ok = 1;
			st->at0[c] |= blank || ok ? bit : 0;
			st->atblank[c] |= !blank || ok ? bit : 0;
		}
	}
}
