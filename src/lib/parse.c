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
 * The parse engine (DESIGN.md section 12): runs the rules of a driver's
 * "parse" section, a small state machine of pcre2 patterns whose named
 * captures are fields of a model (routes, RIB, BGP summary, ping,
 * traceroute: the kinds below), over a router's answer line by line, and
 * builds the model object.  Every kind is an answer object, a list of
 * items (prefixes, entries, neighbors, hops) and in each item a list
 * (paths, next hops, probes).  It streams: the state, the current item
 * and its member and the items kept so far are all it holds, and what
 * it keeps is bounded by max_prefixes items and a byte budget beyond
 * which the answer is marked truncated.  Every match runs under pcre2's
 * match and depth limits, without JIT (the shipped unit forbids
 * executable memory).  The rules are loaded by parse_rules.c; the values
 * are stored in the model by parse_store.c (a path's wait in parse_sub.c
 * until it ends) and read by parse_value.c.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "parse_int.h"

static int	 parser_end_path(struct parser *);

#define PARSE_BUDGET_PER_PREFIX	4096	/* bytes of model per prefix */
#define PARSE_BUDGET_MIN	(1024 * 1024)

int
parser_supported(const struct lg_driver *drv, enum lg_query_type type)
{
	return drv != NULL && (unsigned int)type < Q_COUNT &&
	    drv->parse[type] != NULL;
}

/*
 * The empty answer of a kind: every answer field null (in its parent
 * object where it has one), the list of items, and for lists whether
 * it was cut.
 */
static json_t *
parser_answer(const struct pk_kind *k)
{
	const struct pf_field	*f;
	json_t			*a, *obj;

	if ((a = json_pack("{s:s, s:s}", "schema", PARSE_SCHEMA_VERSION,
	    "kind", k->name)) == NULL)
		return NULL;
	for (f = k->fields; f->name != NULL; f++) {
		if (f->scope != PF_ANSWER)
			continue;
		obj = a;
		if (f->parent != NULL &&
		    (obj = json_object_get(a, f->parent)) == NULL) {
			obj = json_object();
			json_object_set_new(a, f->parent, obj);
		}
		json_object_set_new(obj, f->key != NULL ? f->key : f->name,
		    json_null());
	}
	if (k->items != NULL) {
		json_object_set_new(a, k->items, json_array());
		json_object_set_new(a, "truncated", json_false());
	}
	return a;
}

struct parser *
parser_new(const struct lg_driver *drv, enum lg_query_type type,
    enum lg_afi afi, size_t max_prefixes, char *err, size_t errlen)
{
	struct parser	*p;

	(void)afi;
	if (errlen > 0)
		err[0] = '\0';
	if (!parser_supported(drv, type))
		return NULL;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		goto nomem;
	p->rules = drv->parse[type];
	p->kind = p->rules->kind;
	p->file = drv->file;
	p->max_prefixes = max_prefixes > 0 ? max_prefixes : PARSE_MAX_PREFIXES;
	p->budget = p->max_prefixes * PARSE_BUDGET_PER_PREFIX;
	if (p->budget < PARSE_BUDGET_MIN)
		p->budget = PARSE_BUDGET_MIN;
	p->md = pcre2_match_data_create(p->rules->maxgroups, NULL);
	p->mc = pcre2_match_context_create(NULL);
	p->answer = parser_answer(p->kind);
	if (p->kind->items != NULL)
		p->prefixes = json_object_get(p->answer, p->kind->items);
	if (p->md == NULL || p->mc == NULL || p->answer == NULL ||
	    (p->kind->items != NULL && p->prefixes == NULL)) {
		parser_free(p);
		goto nomem;
	}
	pcre2_set_match_limit(p->mc, PR_MATCH_LIMIT);
	pcre2_set_depth_limit(p->mc, PR_DEPTH_LIMIT);
	pcre2_set_heap_limit(p->mc, PR_HEAP_LIMIT);
	return p;
nomem:
	snprintf(err, errlen, "parser: out of memory");
	return NULL;
}

void
parser_free(struct parser *p)
{
	if (p == NULL)
		return;
	parser_sub_clear(p);
	pv_intern_clear(&p->intern);
	json_decref(p->answer);
	pcre2_match_data_free(p->md);
	pcre2_match_context_free(p->mc);
	free(p->partial);
	free(p->key);
	free(p->target);
	free(p);
}

/* Records the first failure and its line; always -1. */
int
parser_fail(struct parser *p, const char *fmt, ...)
{
	va_list		 ap;
	size_t		 i;

	if (p->failed)
		return -1;
	va_start(ap, fmt);
	vsnprintf(p->error, sizeof(p->error), fmt, ap);
	va_end(ap);
	/* The message quotes router text: keep it printable ASCII. */
	for (i = 0; p->error[i] != '\0'; i++)
		if ((unsigned char)p->error[i] < 0x20 ||
		    (unsigned char)p->error[i] > 0x7e)
			p->error[i] = '?';
	p->failed = 1;
	p->error_line = p->line;
	return -1;
}

/* Spends model bytes; 0, or -1 (and truncated) when the budget is gone. */
int
parser_spend(struct parser *p, size_t cost)
{
	if (p->truncated)
		return -1;
	if (cost > p->budget) {
		p->truncated = 1;
		return -1;
	}
	p->budget -= cost;
	return 0;
}

/*
 * A prefix left without a path (one shown for another protocol only, say)
 * is no route answer: it is taken out when the next begins, or at the end.
 * Items of the other kinds stand on their own.
 */
static void
parser_drop_empty(struct parser *p)
{
	size_t		 n;

	parser_end_path(p);
	if (p->prefix == NULL || !p->kind->routes ||
	    json_array_size(json_object_get(p->prefix, "paths")) > 0)
		return;
	n = json_array_size(p->prefixes);
	if (n > 0 && json_array_get(p->prefixes, n - 1) == p->prefix) {
		json_array_remove(p->prefixes, n - 1);
		p->nprefixes--;
	}
	p->prefix = NULL;
}


/*
 * The sub being read ends: its object goes in its item's list.  Every
 * change of item or sub, and the answer's end, comes here first, so an
 * item holds all its subs when the next one starts.  0, or -1 without
 * memory.
 */
static int
parser_end_path(struct parser *p)
{
	json_t		*o, *paths;

	if (!p->insub)
		return 0;
	p->insub = 0;
	paths = json_object_get(p->prefix, p->kind->subs);
	if ((o = parser_object(p, PF_SUB, 1)) == NULL || paths == NULL ||
	    json_array_append_new(paths, o) == -1) {
		if (paths == NULL)
			json_decref(o);
		parser_sub_clear(p);
		return parser_fail(p, "out of memory");
	}
	return 0;
}


/* A NUL-terminated copy of a slice of a line (which has no NUL). */
char *
parser_copy(const char *s, size_t len)
{
	char		*c;

	if ((c = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(c, s, len);
	c[len] = '\0';
	return c;
}

/* A new item, keyed by s (a prefix, an address, a hop) unless NULL. */
static int
parser_new_prefix(struct parser *p, const char *s, size_t len)
{
	json_t		*pfx;
	char		 err[PARSE_ERR_MAX];

	if (p->kind->items == NULL)
		return parser_fail(p, "%s: no list to start an item in",
		    p->kind->name);
	if (p->kind->fields[0].type == PV_PREFIX && s != NULL &&
	    pv_prefix(s, len, err, sizeof(err)) == -1)
		return parser_fail(p, "prefix: %s", err);
	parser_drop_empty(p);
	p->prefix = NULL;
	free(p->key);
	p->key = NULL;
	if (p->nprefixes >= p->max_prefixes)
		p->truncated = 1;
	if (parser_spend(p, len + 4 * PARSE_VALUE_COST) == -1)
		return 0;
	if ((pfx = parser_object(p, PF_ITEM, 0)) == NULL ||
	    (p->kind->subs != NULL && json_object_set_new(pfx, p->kind->subs,
	    json_array()) == -1) ||
	    json_array_append_new(p->prefixes, pfx) == -1 ||
	    (s != NULL && (p->key = parser_copy(s, len)) == NULL))
		return parser_fail(p, "out of memory");
	p->prefix = pfx;
	p->nprefixes++;
	return s != NULL ? ps_set(p, 0, s, len) : 0;
}

/*
 * The member a carried one copies: the item's last that holds a value
 * of the first member field (a probe's address, a next hop's), or NULL.
 */
static json_t *
parser_carried(const struct parser *p, json_t *paths)
{
	const struct pf_field	*f;
	json_t			*m;
	size_t			 n;

	for (f = p->kind->fields; f->name != NULL && f->scope != PF_SUB; f++)
		;
	if (f->name == NULL)
		return NULL;
	for (n = json_array_size(paths); n > 0; n--) {
		m = json_array_get(paths, n - 1);
		if (!json_is_null(json_object_get(m, f->name)))
			return m;
	}
	return NULL;
}

/*
 * A new sub (path, probe, next hop) in the current item; with carry it
 * starts as a copy of the one parser_carried finds.
 */
static int
parser_new_path(struct parser *p, int carry)
{
	json_t		*paths, *from;

	if (parser_end_path(p) == -1)
		return -1;
	if (p->truncated)
		return 0;
	if (p->kind->subs == NULL)
		return parser_fail(p, "%s: an item has no list here",
		    p->kind->name);
	if (p->prefix == NULL)
		return parser_fail(p, "a %s before any %s",
		    p->kind->sub_action, p->kind->item_action);
	if (parser_spend(p, 22 * PARSE_VALUE_COST) == -1)
		return 0;
	paths = json_object_get(p->prefix, p->kind->subs);
	if (paths == NULL || (carry && (from = parser_carried(p, paths)) !=
	    NULL && parser_sub_copy(p, from) == -1)) {
		parser_sub_clear(p);
		return parser_fail(p, "out of memory");
	}
	p->insub = 1;
	return 0;
}

/* Where a rule captured the prefix: 1 and its slice, or 0. */
static int
parser_captured(const struct pr_rule *r, const PCRE2_SIZE *ov, size_t *off,
    size_t *len)
{
	unsigned int	 g;

	for (g = 1; g < r->ngroups; g++)
		if (r->groups[g] == 0 && ov[2 * g] != PCRE2_UNSET) {
			*off = ov[2 * g];
			*len = ov[2 * g + 1] - ov[2 * g];
			return 1;
		}
	return 0;
}

/* A new item with the key of the current one (another route of a prefix). */
static int
parser_carry_item(struct parser *p)
{
	char		*key;
	int		 rc;

	if ((key = strdup(p->key)) == NULL)
		return parser_fail(p, "out of memory");
	rc = parser_new_prefix(p, key, strlen(key));
	free(key);
	return rc;
}

/*
 * Starts the item or sub a rule asks for: a sub whose rule captured an
 * item key other than the current item's starts a new item first.
 */
static int
parser_action(struct parser *p, const struct pr_rule *r, const char *line,
    const PCRE2_SIZE *ov)
{
	const char	*s = NULL;
	size_t		 off = 0, len = 0;

	if (parser_captured(r, ov, &off, &len))
		s = line + off;
	if (r->action == PR_PREFIX) {
		if (s == NULL && r->carry && p->key != NULL)
			return parser_carry_item(p);
		if (s == NULL && p->kind->routes)
			s = "";
		return parser_new_prefix(p, s, len);
	}
	if (s != NULL && len > 0 && (p->prefix == NULL || p->key == NULL ||
	    strlen(p->key) != len || memcmp(p->key, s, len) != 0) &&
	    parser_new_prefix(p, s, len) == -1)
		return -1;
	return parser_new_path(p, r->carry);
}

static int
parser_apply(struct parser *p, const struct pr_rule *r, const char *line,
    const PCRE2_SIZE *ov)
{
	unsigned int	 g;
	size_t		 i;

	if (r->action == PR_ERROR)
		return parser_fail(p, "%s", r->message);
	if ((r->action == PR_PREFIX || r->action == PR_PATH) &&
	    parser_action(p, r, line, ov) == -1)
		return -1;
	/* The constants first: what a capture says overrides them. */
	for (i = 0; i < r->nsets; i++)
		if (ps_set(p, r->sets[i].field, r->sets[i].value,
		    strlen(r->sets[i].value)) == -1)
			return -1;
	for (g = 1; g < r->ngroups; g++) {
		if (r->groups[g] <= 0 || ov[2 * g] == PCRE2_UNSET)
			continue;
		if (ps_set(p, r->groups[g], line + ov[2 * g],
		    ov[2 * g + 1] - ov[2 * g]) == -1)
			return -1;
	}
	return 0;
}

/* The length of the blanks a line starts with, as \s matches them. */
static size_t
parser_blanks(const char *line, size_t len)
{
	size_t		 i = 0;

	while (i < len && (line[i] == ' ' || line[i] == '\t' ||
	    line[i] == '\f' || line[i] == '\v' || line[i] == '\r'))
		i++;
	return i;
}

/*
 * Whether s holds the rule's required text: memchr for its first
 * character other than a blank (lines are full of blanks), then memcmp.
 */
static int
parser_holds(const struct pr_rule *r, const char *s, size_t len)
{
	const char	*c, *from = s + r->reqkey, *end = s + len;
	const char	*last = end - (r->reqlen - r->reqkey) + 1;

	if (len < r->reqlen)
		return 0;
	while (from < last &&
	    (c = memchr(from, r->req[r->reqkey], (size_t)(last - from))) !=
	    NULL) {
		if (memcmp(c - r->reqkey, r->req, r->reqlen) == 0)
			return 1;
		from = c + 1;
	}
	return 0;
}

/* Whether n bytes of s are t's, ASCII letters in either case. */
static int
parser_caseeq(const char *s, const char *t, size_t n)
{
	size_t		 i;
	unsigned char	 a, b;

	for (i = 0; i < n; i++) {
		a = (unsigned char)s[i];
		b = (unsigned char)t[i];
		if (a >= 'A' && a <= 'Z')
			a = (unsigned char)(a - 'A' + 'a');
		if (b >= 'A' && b <= 'Z')
			b = (unsigned char)(b - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return 1;
}

/*
 * Whether a rule may match the line from off, by what pcre2 need not
 * be asked: the shortest match, the literal text or the characters a
 * match starts with (past the line's leading blanks, blank bytes long,
 * where the pattern skips them) and the text every match holds.
 */
static int
parser_may_match(const struct pr_rule *r, const char *line, size_t len,
    size_t off, size_t blank)
{
	uint64_t	 a, b;
	size_t		 i;
	unsigned char	 c;

	if (len - off < r->minlen)
		return 0;
	if (off > 0 && r->litlen > 0)
		return 0;
	if (off == 0 && r->litlen > 0) {
		i = r->litblank ? blank : 0;
		/*
		 * Most lines differ at once, or within the first 8 bytes
		 * ("\tBGP.med: " against "\tBGP.origin: "): no call for
		 * them.
		 */
		if (len - i < r->litlen)
			return 0;
		if (r->litcase) {
			if (!parser_caseeq(line + i, r->lit, r->litlen))
				return 0;
		} else if (line[i] != r->lit[0])
			return 0;
		else if (r->litlen >= 8) {
			memcpy(&a, line + i, sizeof(a));
			memcpy(&b, r->lit, sizeof(b));
			if (a != b || memcmp(line + i + 8, r->lit + 8,
			    r->litlen - 8) != 0)
				return 0;
		} else if (memcmp(line + i, r->lit, r->litlen) != 0)
			return 0;
	}
	if (off == 0 && r->firstset) {
		if (r->litlen > 0)
			i = (r->litblank ? blank : 0) + r->litlen;
		else
			i = r->firstblank ? blank : 0;
		if (i == len)
			return 0;
		c = (unsigned char)line[i];
		if (((r->first[c >> 3] >> (c & 7)) & 1) == 0)
			return 0;
	}
	return r->reqlen == 0 || parser_holds(r, line + off, len - off);
}

/*
 * A simple rule's match (pr_simple), as pcre2 would make it, for a line
 * parser_may_match let through at its start (the literal is there,
 * past blank bytes of blanks where the pattern skips them): 1 with the
 * whole match and the capture in ov[0..3], 0 for no match, or -1 when
 * only pcre2 can tell ("$" after a run that stops short of the line's
 * end, where a final newline could still let it match).
 */
int
parser_simple(const struct pr_rule *r, const char *line, size_t len,
    size_t blank, size_t *ov)
{
	const char	*e;
	size_t		 i, from;
	unsigned char	 c;

	i = (r->litblank ? blank : 0) + r->litlen;
	if (r->runopt != -1 && i < len && (unsigned char)line[i] == r->runopt)
		i++;
	from = i;
	if (r->runnl)		/* ".": to the line's end, or an LF */
		i = (e = memchr(line + i, '\n', len - i)) != NULL ?
		    (size_t)(e - line) : len;
	for (; i < len; i++) {
		c = (unsigned char)line[i];
		if (((r->run[c >> 3] >> (c & 7)) & 1) == 0)
			break;
	}
	if (r->simple == PRS_RUN && i == from)
		return 0;
	if (r->runend && i < len)
		return -1;
	ov[0] = 0;
	ov[1] = i;
	ov[2] = from;
	ov[3] = i;
	return 1;
}

/*
 * Matches a rule at off: 1 with the match in *ovp, 0 for none, -1 on a
 * pcre2 error (recorded).  A simple rule at the line's start is matched
 * by parser_simple, the others (and what it cannot tell) by pcre2.
 */
static int
parser_match(struct parser *p, const struct pr_rule *r, const char *line,
    size_t len, size_t off, size_t blank, const PCRE2_SIZE **ovp)
{
	PCRE2_UCHAR	 msg[128];
	int		 rc;

	if (r->simple != PRS_NONE && off == 0 &&
	    (rc = parser_simple(r, line, len, blank, p->ov)) != -1) {
		*ovp = p->ov;
		return rc;
	}
	rc = pcre2_match(r->re, (PCRE2_SPTR)line, len, off, 0, p->md, p->mc);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		pcre2_get_error_message(rc, msg, sizeof(msg));
		return parser_fail(p, "rule at %s:%d: %s", p->file, r->line,
		    (char *)msg);
	}
	*ovp = pcre2_get_ovector_pointer(p->md);
	return 1;
}

/*
 * Runs the rules of the current state over a line from offset off: the
 * first rule that matches applies, and so do the matching rules after
 * one marked continue.  A rule marked again sends the line to its next
 * state to be matched there, a bounded number of times; one marked rest
 * sends what follows its match (a pattern starting \G is anchored
 * there, "^" only at the line's start), a bounded number of times.
 */
static int
parser_line(struct parser *p, const char *line, size_t len)
{
	const struct pr_state	*st;
	const struct pr_rule	*r;
	const PCRE2_SIZE	*ov = NULL;
	unsigned long long	 cand;
	size_t			 i, off = 0, blank = parser_blanks(line, len);
	int			 rc, again = 0, rest = 0;

restart:
	st = &p->rules->states[p->state];
	/* Past the line's start, or on a blank line, every rule is tried. */
	cand = off == 0 && blank < len ?
	    st->at0[(unsigned char)line[0]] &
	    st->atblank[(unsigned char)line[blank]] : ~0ULL;
	for (i = 0; i < st->nrules; i++) {
		r = &st->rules[i];
		if (((cand >> i) & 1) == 0 ||
		    !parser_may_match(r, line, len, off, blank))
			continue;
		if ((rc = parser_match(p, r, line, len, off, blank, &ov)) == 0)
			continue;
		if (rc == -1 || parser_apply(p, r, line, ov) == -1)
			return -1;
		if (r->next >= 0)
			p->state = (size_t)r->next;
		if (r->again) {
			if (++again > PR_AGAIN_MAX)
				return parser_fail(p, "rule at %s:%d: the "
				    "line went round the states more than %d "
				    "times", p->file, r->line, PR_AGAIN_MAX);
			goto restart;
		}
		if (r->rest && ov[1] > off && ov[1] < len) {
			if (++rest > PR_REST_MAX)
				return parser_fail(p, "rule at %s:%d: more "
				    "than %d matches in one line", p->file,
				    r->line, PR_REST_MAX);
			off = ov[1];
			goto restart;
		}
		if (!r->cont)
			break;
	}
	return 0;
}

int
parser_feed(struct parser *p, const char *line, size_t len)
{
	if (p->failed)
		return -1;
	p->line++;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > PARSE_LINE_MAX)
		return parser_fail(p, "line longer than %d bytes",
		    PARSE_LINE_MAX);
	/* Past the cap nothing more is kept: the rest is not read. */
	if (p->truncated)
		return 0;
	return parser_line(p, line, len);
}

int
parser_feed_text(struct parser *p, const char *buf, size_t len)
{
	const char	*nl;
	size_t		 n;
	char		*np;

	while (len > 0 && !p->failed) {
		nl = memchr(buf, '\n', len);
		n = nl != NULL ? (size_t)(nl - buf) : len;
		if (p->overlong || p->npartial + n > PARSE_LINE_MAX) {
			p->overlong = 1;
			p->npartial = 0;
		} else if (nl == NULL || p->npartial > 0) {
			if ((np = realloc(p->partial, p->npartial + n + 1)) ==
			    NULL)
				return parser_fail(p, "out of memory");
			p->partial = np;
			memcpy(p->partial + p->npartial, buf, n);
			p->npartial += n;
		}
		if (nl == NULL)
			break;
		if (p->overlong) {
			p->line++;
			p->overlong = 0;
			return parser_fail(p, "line longer than %d bytes",
			    PARSE_LINE_MAX);
		}
		if (p->npartial > 0) {
			parser_feed(p, p->partial, p->npartial);
			p->npartial = 0;
		} else
			parser_feed(p, buf, n);
		buf += n + 1;
		len -= n + 1;
	}
	return p->failed ? -1 : 0;
}

void
parser_next_command(struct parser *p)
{
	if (p->npartial > 0 || p->overlong)
		parser_feed_text(p, "\n", 1);
	p->state = 0;
	parser_drop_empty(p);
	p->prefix = NULL;
	free(p->key);
	p->key = NULL;
}

/*
 * The output was cut by the cap: the item being read may lack members
 * or fields that were never printed, so it is dropped (a route table's
 * last row could otherwise stand half-read), and the answer is marked
 * truncated.  Items closed by the start of the next one stay.
 */
void
parser_cut(struct parser *p)
{
	size_t		 n;

	if (p->npartial > 0 || p->overlong)
		parser_feed_text(p, "\n", 1);
	p->truncated = 1;
	if (p->failed || parser_end_path(p) == -1 || p->prefix == NULL ||
	    p->kind->items == NULL)
		return;
	n = json_array_size(p->prefixes);
	if (n > 0 && json_array_get(p->prefixes, n - 1) == p->prefix) {
		json_array_remove(p->prefixes, n - 1);
		p->nprefixes--;
	}
	p->prefix = NULL;
}

json_t *
parser_routes(const struct parser *p, size_t *ndone)
{
	size_t		 n;

	if (!p->kind->routes)
		return NULL;
	n = json_array_size(p->prefixes);
	/* The item being read is the last; it may change or go. */
	if (n > 0 && p->prefix != NULL)
		n--;
	*ndone = n;
	return p->prefixes;
}

int
parser_set_target(struct parser *p, const char *addr)
{
	if (p->target != NULL)
		return 0;
	if ((p->target = strdup(addr)) == NULL)
		return -1;
	return 0;
}

json_t *
parser_finish(struct parser *p)
{
	json_t		*a;

	if (p->npartial > 0 || p->overlong)
		parser_feed_text(p, "\n", 1);
	if (!p->failed)
		parser_end_path(p);
	if (p->failed)
		return json_pack("{s:s, s:I}", "error", p->error, "line",
		    (json_int_t)p->error_line);
	parser_drop_empty(p);
	a = p->answer;
	if (p->kind->routes)
		json_object_set_new(a, "not_found",
		    json_boolean(p->nprefixes == 0));
	if (p->kind == &parse_kinds[PK_PING])
		parser_finish_ping(p);
	if (p->kind == &parse_kinds[PK_TRACEROUTE] ||
	    p->kind == &parse_kinds[PK_MTR])
		parser_finish_traceroute(p);
	if (p->kind->items != NULL)
		json_object_set_new(a, "truncated",
		    json_boolean(p->truncated));
	p->answer = NULL;
	return a;
}
