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
 * AS-path regular expressions for bgp_aspath queries (DESIGN.md 4.3),
 * called by validate_query() and usable alone.  The regex is parsed by a
 * small recursive-descent parser over an allow-list grammar; it is never
 * compiled or run here, the router runs it, so the rule is about what a
 * vendor engine can be trusted with.
 *
 * THE RULE
 *
 * Alphabet: digits, space, and _ ^ $ . * + ? ( ) [ ] | -.  At most
 * LG_ASPATH_MAX (64) bytes as given.  Canonical form: leading and trailing
 * spaces stripped, runs of spaces collapsed to one; the rest is checked on
 * that form and written back unchanged.
 *
 *   regex    := alt
 *   alt      := seq ( '|' seq )*         no empty alternative
 *   seq      := piece+
 *   piece    := atom [ '*' | '+' | '?' ] one quantifier at most ("**",
 *                                         "+*", "*?" are refused)
 *   atom     := digit | '_' | ' ' | '.' | '^' | '$' | group | bracket
 *   group    := '(' alt ')'              not empty, nested at most 4 deep
 *   bracket  := '[' ( digit | digit '-' digit )+ ']'
 *                                         ranges ascending, no '^' negation
 *
 * Anchors (^ $) cannot be quantified; '-' exists only in bracket ranges.
 * Constructs that make backtracking engines blow up, or that dump the
 * whole table, are refused:
 *
 *   1. Nested quantifiers: a quantified group may not contain a quantifier
 *      ("(.*)*", "(_[0-9]+)+", "(1?)?").
 *   2. A group repeated with '*' or '+' holds only digits, '_', spaces and
 *      brackets: no '|', no '.', no anchor ("(1|11)+", "(_.)*").
 *   3. At most 2 unbounded wildcards ('.*', '.+'), and never two of them
 *      without a literal AS digit between them: "_.*_.*" is a chain that
 *      only adds backtracking, "^65000_.*_65001_.*" is fine.  The chain
 *      test restarts after each '|'.
 *   4. At most 3 unbounded quantifiers ('*', '+') and 4 '?' in all, which
 *      bounds the polynomial degree of any backtracking ("1*1*1*1*1*2").
 *   5. Every string the regex matches must contain a literal AS digit: an
 *      alternative, a '*' or '?' piece and a bracket do not count, so
 *      ".*", "_[0-9]+_", "(1)*" and "1|.*" (all of them matching nearly
 *      every path) are refused.  The one exception is "^$", the empty
 *      path of locally originated routes.
 *
 * Quoting: the canonical form never contains a quote, a backslash, ';',
 * a control character or a non-ASCII byte, but it may contain '|', '?',
 * '(', ')', '[', ']', '*', '$', '^' and spaces.  Driver templates must
 * therefore place {aspath} where the platform reads it as one regex
 * argument (inside double quotes where its CLI treats '|' as a pipe or
 * '?' as help), and render.c writes it with the platform's aspath_style.
 */

#include <stdio.h>
#include <string.h>

#include "lg.h"

#define ASPATH_DEPTH_MAX	4
#define ASPATH_WILD_MAX		2
#define ASPATH_UNBOUNDED_MAX	3
#define ASPATH_OPTIONAL_MAX	4

struct aspath_parser {
	const char	*s;
	size_t		 pos;
	int		 depth;
	int		 nwild;		/* ".*" and ".+" */
	int		 nunbounded;	/* '*' and '+' */
	int		 noptional;	/* '?' */
	int		 wild_open;	/* a wildcard with no digit since */
	const char	*why;		/* the first error */
};

/* What a parsed piece of the regex is made of. */
struct aspath_node {
	int		 digit;		/* every match holds a literal digit */
	int		 quant;		/* holds a quantifier */
	int		 alt;		/* holds a '|' */
	int		 loose;		/* holds '.', '^' or '$' */
};

static int	 aspath_alt(struct aspath_parser *, struct aspath_node *);

static int
aspath_fail(struct aspath_parser *ap, const char *why)
{
	if (ap->why == NULL)
		ap->why = why;
	return -1;
}

static int
is_quant(char c)
{
	return c == '*' || c == '+' || c == '?';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* '[' ( digit | digit '-' digit )+ ']', the '[' already consumed. */
static int
aspath_bracket(struct aspath_parser *ap)
{
	const char	*s = ap->s;

	if (s[ap->pos] == ']')
		return aspath_fail(ap, "empty bracket '[]'");
	if (s[ap->pos] == '^')
		return aspath_fail(ap, "negated brackets '[^...]' are not "
		    "allowed");
	while (s[ap->pos] != ']') {
		if (s[ap->pos] == '\0')
			return aspath_fail(ap, "unbalanced '['");
		if (!is_digit(s[ap->pos]))
			return aspath_fail(ap, "brackets may hold only digits "
			    "and ranges like [0-9]");
		if (s[ap->pos + 1] == '-') {
			if (!is_digit(s[ap->pos + 2]))
				return aspath_fail(ap, "incomplete range in "
				    "brackets (write [0-9])");
			if (s[ap->pos + 2] < s[ap->pos])
				return aspath_fail(ap, "descending range in "
				    "brackets");
			ap->pos += 2;
		}
		ap->pos++;
	}
	ap->pos++;
	return 0;
}

/* '(' alt ')', the '(' already consumed. */
static int
aspath_group(struct aspath_parser *ap, struct aspath_node *n)
{
	if (++ap->depth > ASPATH_DEPTH_MAX)
		return aspath_fail(ap, "groups nested too deep");
	if (ap->s[ap->pos] == ')')
		return aspath_fail(ap, "empty group '()'");
	if (aspath_alt(ap, n) == -1)
		return -1;
	if (ap->s[ap->pos] != ')')
		return aspath_fail(ap, "unbalanced '('");
	ap->pos++;
	ap->depth--;
	return 0;
}

/* One atom; *rep says whether a quantifier may follow it. */
static int
aspath_atom(struct aspath_parser *ap, struct aspath_node *n, int *rep,
    int *group)
{
	char		 c = ap->s[ap->pos++];

	memset(n, 0, sizeof(*n));
	*rep = 1;
	*group = 0;
	if (is_digit(c)) {
		n->digit = 1;
		ap->wild_open = 0;
		return 0;
	}
	switch (c) {
	case '_':
	case ' ':
		return 0;
	case '.':
		n->loose = 1;
		return 0;
	case '^':
	case '$':
		n->loose = 1;
		*rep = 0;
		return 0;
	case '(':
		*group = 1;
		return aspath_group(ap, n);
	case '[':
		return aspath_bracket(ap);
	case ']':
		return aspath_fail(ap, "unbalanced ']'");
	case '-':
		return aspath_fail(ap, "'-' is only allowed in a bracket "
		    "range like [1-5]");
	case '*':
	case '+':
	case '?':
		return aspath_fail(ap, "a quantifier ('*', '+', '?') with "
		    "nothing before it to repeat");
	default:
		return aspath_fail(ap, "character outside the AS-path "
		    "grammar");
	}
}

/* The limits on a quantifier q applied to the atom n (rules 1 to 4). */
static int
aspath_quant(struct aspath_parser *ap, struct aspath_node *n, char q,
    int group, char atom)
{
	if (group && n->quant)
		return aspath_fail(ap, "nested quantifier: a repeated group "
		    "may not contain '*', '+' or '?'");
	if (group && q != '?' && (n->alt || n->loose))
		return aspath_fail(ap, "a group repeated with '*' or '+' may "
		    "hold only digits, '_', spaces and brackets");
	if (q == '?' && ++ap->noptional > ASPATH_OPTIONAL_MAX)
		return aspath_fail(ap, "more than 4 '?'");
	if (q != '?' && ++ap->nunbounded > ASPATH_UNBOUNDED_MAX)
		return aspath_fail(ap, "more than 3 '*' or '+'");
	if (atom == '.' && q != '?') {
		if (ap->wild_open)
			return aspath_fail(ap, "chained wildcards: two '.*' "
			    "or '.+' need an AS number between them");
		if (++ap->nwild > ASPATH_WILD_MAX)
			return aspath_fail(ap, "more than 2 '.*' or '.+' "
			    "wildcards");
		ap->wild_open = 1;
	}
	if (q != '+')
		n->digit = 0;
	n->quant = 1;
	return 0;
}

/* atom [ quantifier ] */
static int
aspath_piece(struct aspath_parser *ap, struct aspath_node *n)
{
	char		 atom = ap->s[ap->pos], q;
	int		 rep, group;

	if (aspath_atom(ap, n, &rep, &group) == -1)
		return -1;
	q = ap->s[ap->pos];
	if (!is_quant(q))
		return 0;
	if (!rep)
		return aspath_fail(ap, "an anchor ('^', '$') cannot be "
		    "repeated");
	ap->pos++;
	if (is_quant(ap->s[ap->pos]))
		return aspath_fail(ap, "consecutive quantifiers (like '**' "
		    "or '+*') are not allowed");
	return aspath_quant(ap, n, q, group, atom);
}

static int
aspath_seq(struct aspath_parser *ap, struct aspath_node *n)
{
	struct aspath_node	 p;
	char			 c;
	int			 npieces = 0;

	memset(n, 0, sizeof(*n));
	while ((c = ap->s[ap->pos]) != '\0' && c != '|' && c != ')') {
		if (aspath_piece(ap, &p) == -1)
			return -1;
		npieces++;
		n->digit |= p.digit;
		n->quant |= p.quant;
		n->alt |= p.alt;
		n->loose |= p.loose;
	}
	if (npieces == 0 && c == ')' && ap->depth == 0)
		return aspath_fail(ap, "unbalanced ')'");
	if (npieces == 0)
		return aspath_fail(ap, "empty alternative around '|'");
	return 0;
}

static int
aspath_alt(struct aspath_parser *ap, struct aspath_node *n)
{
	struct aspath_node	 s;

	if (aspath_seq(ap, n) == -1)
		return -1;
	while (ap->s[ap->pos] == '|') {
		ap->pos++;
		ap->wild_open = 0;
		if (aspath_seq(ap, &s) == -1)
			return -1;
		n->digit &= s.digit;
		n->quant |= s.quant;
		n->loose |= s.loose;
		n->alt = 1;
	}
	return 0;
}

/* Strips and collapses spaces into buf; returns the canonical length. */
static size_t
aspath_canon(const char *s, char *buf, size_t len)
{
	size_t		 i, o = 0;

	for (i = 0; s[i] != '\0' && o + 1 < len; i++) {
		if (s[i] == ' ' && (o == 0 || buf[o - 1] == ' '))
			continue;
		buf[o++] = s[i];
	}
	if (o > 0 && buf[o - 1] == ' ')
		o--;
	buf[o] = '\0';
	return o;
}

static enum lg_err
aspath_err(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "target: AS-path regex: %s", why);
	return LG_ERR_BAD_QUERY;
}

enum lg_err
validate_aspath(const char *s, struct lg_target *t, char *err, size_t errlen)
{
	struct aspath_parser	 ap = { 0 };
	struct aspath_node	 n;
	char			 canon[LG_ASPATH_MAX + 1], d[48];
	size_t			 i;

	memset(t, 0, sizeof(*t));
	if (strnlen(s, LG_ASPATH_MAX + 1) > LG_ASPATH_MAX)
		return aspath_err(err, errlen, "longer than 64 characters");
	for (i = 0; s[i] != '\0'; i++)
		if (strchr("0123456789 _^$.*+?()[]|-", s[i]) == NULL) {
			snprintf(err, errlen, "target: %s is not allowed in an "
			    "AS-path regex", validate_byte_desc(
			    (unsigned char)s[i], d, sizeof(d)));
			return LG_ERR_BAD_QUERY;
		}
	if (aspath_canon(s, canon, sizeof(canon)) == 0)
		return aspath_err(err, errlen, "empty");
	ap.s = canon;
	if (aspath_alt(&ap, &n) == -1)
		return aspath_err(err, errlen, ap.why);
	if (canon[ap.pos] == ')')
		return aspath_err(err, errlen, "unbalanced ')'");
	if (!n.digit && strcmp(canon, "^$") != 0)
		return aspath_err(err, errlen, "every match must contain an "
		    "AS number; a regex of wildcards alone would dump the "
		    "table");
	t->kind = TGT_ASPATH;
	lg_strlcpy(t->canon, canon, sizeof(t->canon));
	return LG_OK;
}
