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
 * The "parse" section of a driver file (lorgnette-drivers(5)): for each
 * query type whose answer has a model, named states holding lists of rules (a pcre2 pattern
 * whose named captures are model fields, an action, a next state), or
 * the name of another type whose rules it shares.  Called by the driver
 * loader (driver.c) with the section; every pattern is compiled here,
 * every capture name checked against the model's fields and every next
 * state resolved against the model of the type's kind, so that rules that load can only fail on the text they
 * read.  Problems go to the diag as file:line.  Patterns are compiled
 * without JIT: the engine runs as deployed, where it is forbidden.
 */

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>
#include <pcre2.h>

#include "driver_int.h"
#include "parse_int.h"

#define PR_MACROS_MAX	32
#define PR_PATTERN_MAX	8192	/* a pattern after macro expansion */

struct pr_load {
	const config_setting_t	*macros[PR_MACROS_MAX];
	size_t			 nmacros;
	const char		*file;
	struct lg_diag		*diag;
	int			 errors;
	char			 where[96];	/* "parse.bgp_route" */
	const struct pk_kind	*kind;		/* of the type being read */
};

static void	 pr_error(struct pr_load *, const config_setting_t *,
		    const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));

/* The query types whose answers have a model. */
static const enum lg_query_type pr_types[] = {
	Q_BGP_ROUTE, Q_BGP_COMMUNITY, Q_BGP_ASPATH, Q_BGP_NEIGHBOR_RECEIVED,
	Q_BGP_NEIGHBOR_ADVERTISED, Q_ROUTE, Q_BGP_SUMMARY, Q_BGP_NEIGHBORS,
	Q_PING, Q_TRACEROUTE, Q_MTR, Q_COUNT
};

/* An action's name, as the kind calls its items and their members. */
static int
pr_action(const struct pk_kind *k, const char *v)
{
	if (strcmp(v, "set") == 0)
		return PR_NONE;
	if (strcmp(v, "error") == 0)
		return PR_ERROR;
	if (k->item_action != NULL && strcmp(v, k->item_action) == 0)
		return PR_PREFIX;
	if (k->sub_action != NULL && strcmp(v, k->sub_action) == 0)
		return PR_PATH;
	return -1;
}

static void
pr_error(struct pr_load *ld, const config_setting_t *s, const char *fmt,
    ...)
{
	char		 msg[512];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_error(ld->diag, ld->file, s != NULL ?
	    (int)config_setting_source_line(s) : 0, "%s: %s", ld->where, msg);
	ld->errors++;
}

static const char *
pr_string(struct pr_load *ld, const config_setting_t *s, const char *key)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		pr_error(ld, s, "%s: expected a string", key);
		return NULL;
	}
	return config_setting_get_string(s);
}

static void
pr_rule_free(struct pr_rule *r)
{
	size_t		 i;

	pcre2_code_free(r->re);
	free(r->src);
	free(r->lit);
	free(r->req);
	free(r->groups);
	for (i = 0; i < r->nsets; i++)
		free(r->sets[i].value);
	free(r->sets);
	free(r->message);
}

void
parse_rules_free(struct parse_rules *pr)
{
	size_t		 i, j;

	if (pr == NULL || --pr->refs > 0)
		return;
	for (i = 0; i < pr->nstates; i++) {
		for (j = 0; j < pr->states[i].nrules; j++)
			pr_rule_free(&pr->states[i].rules[j]);
		free(pr->states[i].rules);
		free(pr->states[i].name);
	}
	free(pr->states);
	free(pr);
}

/* Maps each named capture of the rule's pattern to a model field. */
static void
pr_groups(struct pr_load *ld, const config_setting_t *s, struct pr_rule *r)
{
	PCRE2_SPTR	 tab;
	uint32_t	 ncap, nnames, esize, i, g;
	int		 f;

	pcre2_pattern_info(r->re, PCRE2_INFO_CAPTURECOUNT, &ncap);
	pcre2_pattern_info(r->re, PCRE2_INFO_NAMECOUNT, &nnames);
	pcre2_pattern_info(r->re, PCRE2_INFO_NAMEENTRYSIZE, &esize);
	pcre2_pattern_info(r->re, PCRE2_INFO_NAMETABLE, &tab);
	r->ngroups = ncap + 1;
	r->groups = xcalloc(r->ngroups, sizeof(*r->groups));
	for (g = 0; g < r->ngroups; g++)
		r->groups[g] = -1;
	for (i = 0; i < nnames; i++, tab += esize) {
		g = (uint32_t)tab[0] << 8 | tab[1];
		if (tab[2] == '_')
			continue;
		if ((f = parse_field_find(ld->kind, (const char *)tab + 2)) ==
		    -1) {
			pr_error(ld, s, "match: (?<%s>...) is not a field of "
			    "the %s model", (const char *)tab + 2,
			    ld->kind->name);
			continue;
		}
		r->groups[g] = f;
		if (f == 0 && r->action != PR_PREFIX && r->action != PR_PATH)
			pr_error(ld, s, "match: (?<%s>...) needs action "
			    "\"%s\"%s%s%s", ld->kind->fields[0].name,
			    ld->kind->item_action, ld->kind->sub_action != NULL ?
			    " or \"" : "", ld->kind->sub_action != NULL ?
			    ld->kind->sub_action : "", ld->kind->sub_action !=
			    NULL ? "\"" : "");
	}
	/* A prefix or RIB entry is known by its prefix. */
	if (r->action == PR_PREFIX && !r->carry &&
	    ld->kind->fields[0].type == PV_PREFIX) {
		for (g = 1; g < r->ngroups && r->groups[g] != 0; g++)
			;
		if (g == r->ngroups)
			pr_error(ld, s, "action \"%s\" needs a "
			    "(?<prefix>...) capture", ld->kind->item_action);
	}
}

/*
 * Writes src into buf with each %{name} replaced by the macro of that
 * name; 0, or -1 (reported) for an unknown macro or an overlong result.
 */
static int
pr_expand(struct pr_load *ld, const config_setting_t *s, const char *src,
    char *buf, size_t size)
{
	const char	*end, *v;
	size_t		 n = 0, len, i;

	while (*src != '\0') {
		if (src[0] == '%' && src[1] == '{' &&
		    (end = strchr(src, '}')) != NULL) {
			len = (size_t)(end - src - 2);
			for (i = 0; i < ld->nmacros; i++)
				if (strlen(config_setting_name(ld->macros[i]))
				    == len && strncmp(config_setting_name(
				    ld->macros[i]), src + 2, len) == 0)
					break;
			if (i == ld->nmacros) {
				pr_error(ld, s, "match: no macro %%{%.*s}",
				    (int)len, src + 2);
				return -1;
			}
			v = config_setting_get_string(ld->macros[i]);
			len = strlen(v);
			src = end + 1;
		} else {
			v = src++;
			len = 1;
		}
		if (n + len >= size) {
			pr_error(ld, s, "match: longer than %zu bytes", size);
			return -1;
		}
		memcpy(buf + n, v, len);
		n += len;
	}
	buf[n] = '\0';
	return 0;
}

static void
pr_compile(struct pr_load *ld, const config_setting_t *s, struct pr_rule *r,
    const char *text)
{
	PCRE2_UCHAR	 msg[128];
	PCRE2_SIZE	 off;
	uint32_t	 minlen;
	char		*src;
	int		 rc;

	src = xmalloc(PR_PATTERN_MAX);
	if (pr_expand(ld, s, text, src, PR_PATTERN_MAX) == -1) {
		free(src);
		return;
	}
	r->re = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, 0, &rc,
	    &off, NULL);
	if (r->re == NULL) {
		pcre2_get_error_message(rc, msg, sizeof(msg));
		pr_error(ld, s, "match: %s at offset %zu", (char *)msg,
		    (size_t)off);
		free(src);
		return;
	}
	/*
	 * Kept for messages: its own size, not the expansion's room, which
	 * made 4.3 of the 5.1 MiB the shipped drivers took, in every
	 * generation a reload loads.
	 */
	r->src = xreallocarray(src, strlen(src) + 1, 1);
	pr_literal(r, r->src);
	pr_required(r, r->src);
	pr_first(r, r->src);
	pr_simple(r);
	if (pcre2_pattern_info(r->re, PCRE2_INFO_MINLENGTH, &minlen) == 0)
		r->minlen = minlen;
}

static void
pr_sets(struct pr_load *ld, const config_setting_t *s, struct pr_rule *r)
{
	const config_setting_t	*m;
	const char		*v;
	unsigned int		 i;
	int			 f;

	if (!config_setting_is_group(s)) {
		pr_error(ld, s, "set: expected a group { field = \"value\"; }");
		return;
	}
	r->sets = xcalloc((size_t)config_setting_length(s) + 1,
	    sizeof(*r->sets));
	for (i = 0; (m = config_setting_get_elem(s, i)) != NULL; i++) {
		if ((f = parse_field_find(ld->kind,
		    config_setting_name(m))) <= 0) {
			pr_error(ld, m, "set: %s is not a field of the %s "
			    "model, other than its key",
			    config_setting_name(m), ld->kind->name);
			continue;
		}
		if ((v = pr_string(ld, m, "set")) == NULL)
			continue;
		r->sets[r->nsets].field = f;
		r->sets[r->nsets++].value = xstrdup(v);
	}
}

/*
 * One rule.  Its next state is left as the index of the setting's name
 * in names[] (resolved by the caller), -1 for none.
 */
static void
pr_rule(struct pr_load *ld, const config_setting_t *s, struct pr_rule *r,
    const char *const *names)
{
	static const char *const keys[] = { "match", "action", "next",
	    "continue", "set", "message", "again", "rest", "carry", NULL };
	const config_setting_t	*m;
	const char		*v;
	unsigned int		 i;
	int			 k, a;

	r->line = (int)config_setting_source_line(s);
	r->next = -1;
	if (!config_setting_is_group(s)) {
		pr_error(ld, s, "a rule is a group { match = \"...\"; ... }");
		return;
	}
	for (i = 0; (m = config_setting_get_elem(s, i)) != NULL; i++) {
		k = drv_lookup(keys, config_setting_name(m));
		if (k == -1)
			pr_error(ld, m, "%s: unknown key",
			    config_setting_name(m));
		else if (k == 3 || k >= 6) {
			if (config_setting_type(m) != CONFIG_TYPE_BOOL)
				pr_error(ld, m, "%s: expected true or false",
				    keys[k]);
			*(k == 3 ? &r->cont : k == 6 ? &r->again : k == 7 ?
			    &r->rest : &r->carry) = config_setting_get_bool(m);
		} else if (k == 4)
			pr_sets(ld, m, r);
		else if ((v = pr_string(ld, m, keys[k])) == NULL)
			continue;
		else if (k == 1 && (a = pr_action(ld->kind, v)) == -1)
			pr_error(ld, m, "action: \"%s\" is not one of set, "
			    "%s%s%s, error", v, ld->kind->item_action != NULL ?
			    ld->kind->item_action : "", ld->kind->sub_action !=
			    NULL ? ", " : "", ld->kind->sub_action != NULL ?
			    ld->kind->sub_action : "");
		else if (k == 1)
			r->action = (enum pr_action)a;
		else if (k == 2 && (r->next = drv_lookup(names, v)) == -1)
			pr_error(ld, m, "next: no state \"%s\"", v);
		else if (k == 5)
			r->message = xstrdup(v);
	}
	if ((m = config_setting_get_member(s, "match")) == NULL)
		pr_error(ld, s, "a rule needs match");
	else if ((v = pr_string(ld, m, "match")) != NULL)
		pr_compile(ld, m, r, v);
	if (r->re != NULL)
		pr_groups(ld, s, r);
	if (r->cont && r->next != -1)
		pr_error(ld, s, "a rule with continue cannot change state");
	if (r->rest && (r->cont || r->again))
		pr_error(ld, s, "rest goes without continue and again");
	if (r->carry && r->action != PR_PATH && r->action != PR_PREFIX)
		pr_error(ld, s, "carry goes with action \"%s\"%s%s%s",
		    ld->kind->item_action != NULL ? ld->kind->item_action :
		    "prefix", ld->kind->sub_action != NULL ? " or \"" : "",
		    ld->kind->sub_action != NULL ? ld->kind->sub_action : "",
		    ld->kind->sub_action != NULL ? "\"" : "");
	if (r->again && (r->next == -1 || r->action != PR_NONE ||
	    r->cont || r->nsets > 0 || r->ngroups > 1))
		pr_error(ld, s, "again goes with next alone (no action, set, "
		    "capture or continue)");
	if (r->action == PR_ERROR && r->message == NULL)
		pr_error(ld, s, "action \"error\" needs a message");
}

/* The defaults list: fields a path starts with as false or []. */
static void
pr_defaults(struct pr_load *ld, const config_setting_t *s,
    struct parse_rules *pr)
{
	const config_setting_t	*m;
	const char		*v;
	unsigned int		 i;
	int			 f;

	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		pr_error(ld, s, "defaults: expected [ \"field\", ... ]");
		return;
	}
	for (i = 0; (m = config_setting_get_elem(s, i)) != NULL; i++) {
		if ((v = pr_string(ld, m, "defaults")) == NULL)
			continue;
		f = parse_field_find(ld->kind, v);
		if (f <= 0 || (ld->kind->fields[f].scope != PF_SUB &&
		    ld->kind->fields[f].scope != PF_ITEM) ||
		    (ld->kind->fields[f].type != PV_FLAG &&
		    ld->kind->fields[f].type != PV_ASPATH &&
		    ld->kind->fields[f].type != PV_COMMUNITIES &&
		    ld->kind->fields[f].type != PV_LARGE &&
		    ld->kind->fields[f].type != PV_EXT &&
		    ld->kind->fields[f].type != PV_ADDRLIST))
			pr_error(ld, m, "defaults: %s is not a flag or a list "
			    "of a %s or %s", v, ld->kind->item_action != NULL ?
			    ld->kind->item_action : "item",
			    ld->kind->sub_action != NULL ?
			    ld->kind->sub_action : "item");
		else
			pr->defaults |= 1ULL << f;
	}
}

/* The codes group: flag = "characters"; that set it in a status. */
static void
pr_codes(struct pr_load *ld, const config_setting_t *s,
    struct parse_rules *pr)
{
	const config_setting_t	*m;
	const char		*v;
	unsigned int		 i;
	int			 f;

	if (!config_setting_is_group(s)) {
		pr_error(ld, s, "codes: expected a group { best = \">\"; }");
		return;
	}
	for (i = 0; (m = config_setting_get_elem(s, i)) != NULL; i++) {
		f = parse_field_find(ld->kind, config_setting_name(m));
		if (f <= 0 || ld->kind->fields[f].type != PV_FLAG ||
		    (ld->kind->fields[f].scope != PF_SUB &&
		    ld->kind->fields[f].scope != PF_ITEM)) {
			pr_error(ld, m, "codes: %s is not a flag of a %s or "
			    "%s", config_setting_name(m),
			    ld->kind->item_action != NULL ?
			    ld->kind->item_action : "item",
			    ld->kind->sub_action != NULL ?
			    ld->kind->sub_action : "item");
			continue;
		}
		if ((v = pr_string(ld, m, "codes")) == NULL)
			continue;
		for (; *v != '\0'; v++)
			pr->codes[(unsigned char)*v] = (signed char)f;
	}
}

/*
 * The names of the states of a type's group, "start" first, in a
 * NULL-terminated array; NULL (and an error) if there is no start.
 */
static const char **
pr_state_names(struct pr_load *ld, const config_setting_t *s, size_t *n)
{
	const config_setting_t	*m;
	const char		**names;
	unsigned int		 i;

	names = xcalloc((size_t)config_setting_length(s) + 2,
	    sizeof(*names));
	names[0] = "start";
	*n = 1;
	for (i = 0; (m = config_setting_get_elem(s, i)) != NULL; i++) {
		if (strcmp(config_setting_name(m), "defaults") == 0 ||
		    strcmp(config_setting_name(m), "codes") == 0)
			continue;
		if (!config_setting_is_list(m)) {
			pr_error(ld, m, "%s: a state is a list of rules "
			    "( { ... }, ... )", config_setting_name(m));
			continue;
		}
		if (strcmp(config_setting_name(m), "start") != 0)
			names[(*n)++] = config_setting_name(m);
	}
	if (config_setting_get_member(s, "start") == NULL)
		pr_error(ld, s, "no \"start\" state");
	if (*n > PR_STATES_MAX)
		pr_error(ld, s, "more than %d states", PR_STATES_MAX);
	return names;
}

static void
pr_state(struct pr_load *ld, const config_setting_t *s, struct pr_state *st,
    const char *const *names, struct parse_rules *pr)
{
	unsigned int	 i, n;

	st->name = xstrdup(config_setting_name(s));
	if ((n = (unsigned int)config_setting_length(s)) > PR_RULES_MAX) {
		pr_error(ld, s, "%s: more than %d rules", st->name,
		    PR_RULES_MAX);
		return;
	}
	st->rules = xcalloc(n + 1, sizeof(*st->rules));
	st->nrules = n;
	for (i = 0; i < n; i++) {
		pr_rule(ld, config_setting_get_elem(s, i), &st->rules[i],
		    names);
		if (st->rules[i].ngroups > pr->maxgroups)
			pr->maxgroups = st->rules[i].ngroups;
	}
	pr_dispatch(st);
}

/* The rules of one query type, or NULL after reporting errors. */
static struct parse_rules *
pr_type(struct pr_load *ld, const config_setting_t *s)
{
	struct parse_rules	*pr;
	const config_setting_t	*m;
	const char		**names;
	size_t			 n, i;

	pr = xcalloc(1, sizeof(*pr));
	pr->refs = 1;
	pr->kind = ld->kind;
	pr->maxgroups = 1;
	memset(pr->codes, -1, sizeof(pr->codes));
	if ((m = config_setting_get_member(s, "defaults")) != NULL)
		pr_defaults(ld, m, pr);
	if ((m = config_setting_get_member(s, "codes")) != NULL)
		pr_codes(ld, m, pr);
	names = pr_state_names(ld, s, &n);
	if (ld->errors == 0) {
		pr->states = xcalloc(n, sizeof(*pr->states));
		pr->nstates = n;
		for (i = 0; i < n; i++)
			pr_state(ld, config_setting_get_member(s, names[i]),
			    &pr->states[i], names, pr);
	}
	free(names);
	if (ld->errors > 0) {
		parse_rules_free(pr);
		return NULL;
	}
	return pr;
}

/* A type whose value names another: both share one set of rules. */
static void
pr_alias(struct pr_load *ld, const config_setting_t *s, struct lg_driver *d,
    enum lg_query_type q)
{
	enum lg_query_type	 other;
	const char		*v;

	if ((v = pr_string(ld, s, ld->where)) == NULL)
		return;
	if (query_from_name(v, &other) == -1 || other == q ||
	    d->parse[other] == NULL ||
	    d->parse[other]->kind != parse_kind(q)) {
		pr_error(ld, s, "\"%s\" is not a type with its own rules "
		    "here and answers of the same kind", v);
		return;
	}
	if ((d->parse[q] = d->parse[other]) != NULL)
		d->parse[q]->refs++;
}

/* Named pattern pieces, written %{name} in a match. */
static void
pr_macros(struct pr_load *ld, const config_setting_t *s)
{
	const config_setting_t	*m;
	unsigned int		 i;

	if (!config_setting_is_group(s)) {
		pr_error(ld, s, "macros: expected a group { name = \"...\"; }");
		return;
	}
	for (i = 0; (m = config_setting_get_elem(s, i)) != NULL; i++) {
		if (ld->nmacros == PR_MACROS_MAX) {
			pr_error(ld, m, "macros: more than %d", PR_MACROS_MAX);
			return;
		}
		if (pr_string(ld, m, "macros") == NULL)
			continue;
		if (strstr(config_setting_get_string(m), "%{") != NULL)
			pr_error(ld, m, "macros: a macro cannot use another");
		ld->macros[ld->nmacros++] = m;
	}
}

int
parse_rules_load(const struct config_setting_t *s, struct lg_driver *d,
    const char *file, struct lg_diag *diag)
{
	struct pr_load		 ld = { .file = file, .diag = diag };
	const config_setting_t	*m;
	enum lg_query_type	 q;
	unsigned int		 i, k;
	int			 pass;

	snprintf(ld.where, sizeof(ld.where), "parse");
	if (!config_setting_is_group(s)) {
		pr_error(&ld, s, "expected a group { bgp_route = { ... }; }");
		return -1;
	}
	if ((m = config_setting_get_member(s, "macros")) != NULL)
		pr_macros(&ld, m);
	for (i = 0; (m = config_setting_get_elem(s, i)) != NULL; i++) {
		if (strcmp(config_setting_name(m), "macros") == 0)
			continue;
		snprintf(ld.where, sizeof(ld.where), "parse.%s",
		    config_setting_name(m));
		for (k = 0; pr_types[k] != Q_COUNT; k++)
			if (query_from_name(config_setting_name(m), &q) == 0 &&
			    q == pr_types[k])
				break;
		if (pr_types[k] == Q_COUNT)
			pr_error(&ld, m, "no rules for this type: only "
			    "bgp_route, bgp_community, bgp_aspath, "
			    "bgp_neighbor_received, bgp_neighbor_advertised, "
			    "route, bgp_summary, bgp_neighbors, ping, "
			    "traceroute and mtr "
			    "answers are parsed");
	}
	/* Groups first, then the types that name another. */
	for (pass = 0; pass < 2 && ld.errors == 0; pass++)
		for (k = 0; pr_types[k] != Q_COUNT; k++) {
			q = pr_types[k];
			m = config_setting_get_member(s, query_name(q));
			if (m == NULL || config_setting_is_group(m) != !pass)
				continue;
			snprintf(ld.where, sizeof(ld.where), "parse.%s",
			    query_name(q));
			ld.kind = parse_kind(q);
			if (pass == 0)
				d->parse[q] = pr_type(&ld, m);
			else
				pr_alias(&ld, m, d, q);
		}
	return ld.errors > 0 ? -1 : 0;
}
