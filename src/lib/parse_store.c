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
 * Storing values in the model, for the parse engine (parse.c): a value
 * a rule captured or set is trimmed, read by its field's type
 * (parse_value.c) and put in the object of the field's scope (the
 * answer, the current item or its current sub), charged to the
 * parser's byte budget.  The first failure is recorded on the parser
 * with parser_fail.  ps_set is all parse.c calls.  Keys are the
 * model's own ASCII names, so they are set without jansson's UTF-8
 * check.
 */

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "parse_int.h"

/*
 * The sub's list of field fi, created on first use (*was tells whether
 * it was there); NULL without memory.
 */
static json_t *
ps_list(struct parser *p, int fi, int *was)
{
	json_t		*l;

	l = parser_sub_get(p, fi);
	if ((*was = json_is_array(l)) != 0)
		return l;
	if ((l = json_array()) == NULL)
		return NULL;
	parser_sub_set(p, fi, l);
	return l;
}

/* A list this value put nothing in stays as it was: null. */
static void
ps_list_undo(struct parser *p, int fi, json_t *l, int was)
{
	if (l != NULL && !was && json_array_size(l) == 0)
		parser_sub_set(p, fi, json_null());
}

/*
 * Community values: PV_LARGE and PV_EXT go to their own list, and
 * PV_COMMUNITIES to whichever list each token's form says, so only
 * those lists are looked up.  The three fields follow each other in
 * the table: communities, large_communities, ext_communities.
 */
static int
ps_set_communities(struct parser *p, int fi, const char *s, size_t len,
    char *err, size_t errlen)
{
	const struct pf_field	*f = &p->kind->fields[fi];
	json_t			*a = NULL, *b = NULL, *c = NULL;
	int			 fa, wa = 1, wb = 1, wc = 1, rc;

	fa = fi - (f->type == PV_LARGE ? 1 : f->type == PV_EXT ? 2 : 0);
	if (fa < 0 || p->kind->fields[fa].type != PV_COMMUNITIES ||
	    p->kind->fields[fa + 1].type != PV_LARGE ||
	    p->kind->fields[fa + 2].type != PV_EXT) {
		snprintf(err, errlen, "the model has no community lists");
		return -1;
	}
	if (f->type == PV_COMMUNITIES && (a = ps_list(p, fa, &wa)) == NULL)
		return -1;
	if (f->type != PV_EXT && (b = ps_list(p, fa + 1, &wb)) == NULL)
		return -1;
	if (f->type != PV_LARGE && (c = ps_list(p, fa + 2, &wc)) == NULL)
		return -1;
	rc = pv_communities(&p->intern, f->type, s, len, a, b, c, err,
	    errlen);
	ps_list_undo(p, fa, a, wa);
	ps_list_undo(p, fa + 1, b, wb);
	ps_list_undo(p, fa + 2, c, wc);
	return rc;
}

static int
ps_set_lists(struct parser *p, int fi, const char *s, size_t len,
    char *err, size_t errlen)
{
	const struct pf_field	*f = &p->kind->fields[fi];
	json_t			*a, *b;
	int			 was;

	if (f->type == PV_ASPATH) {
		if ((a = json_array()) == NULL || (b = json_array()) == NULL) {
			json_decref(a);
			return -1;
		}
		parser_sub_set(p, fi, a);
		parser_sub_set(p, PF_SEGMENTS, b);
		return pv_aspath(&p->intern, s, len, a, b, err, errlen);
	}
	if (f->type == PV_ADDRLIST) {
		if ((a = ps_list(p, fi, &was)) == NULL)
			return -1;
		return pv_addrlist(&p->intern, s, len, a, err, errlen);
	}
	return ps_set_communities(p, fi, s, len, err, errlen);
}

/* The JSON value of a scalar field; NULL with err on a bad value. */
static json_t *
ps_scalar(struct parser *p, const struct pf_field *f, const char *s,
    size_t len, char *err, size_t errlen)
{
	const char	*w;
	json_int_t	 n;
	double		 d;
	size_t		 i;
	char		 low[64];

	switch (f->type) {
	case PV_ASN:
		return pv_asnumber(s, len, &n, err, errlen) == 0 ?
		    pv_int(&p->intern, n) : NULL;
	case PV_DECIMAL:
		return pv_decimal(s, len, &d, err, errlen) == 0 ?
		    json_real(d) : NULL;
	case PV_FLAG:
		if (len == 5 && strncmp(s, "false", 5) == 0)
			return json_false();
		return json_true();
	case PV_UINT:
		return pv_uint(s, len, &n, err, errlen) == 0 ?
		    pv_int(&p->intern, n) : NULL;
	case PV_DURATION:
		return pv_duration(s, len, &n, err, errlen) == 0 ?
		    pv_int(&p->intern, n) : NULL;
	case PV_ADDRESS:
		return pv_address(s, len, err, errlen) == 0 ?
		    pv_string(&p->intern, s, len) : NULL;
	case PV_ORIGIN:
	case PV_RPKI:
		w = f->type == PV_ORIGIN ? pv_origin(s, len) : pv_rpki(s, len);
		if (w == NULL)
			snprintf(err, errlen, "not %s: '%.*s'",
			    f->type == PV_ORIGIN ? "an origin" :
			    "an RPKI state", (int)(len > 64 ? 64 : len), s);
		return w != NULL ? pv_string(&p->intern, w, strlen(w)) : NULL;
	case PV_WORD:
		for (i = 0; i < len && i < sizeof(low) - 1; i++)
			low[i] = (char)tolower((unsigned char)s[i]);
		return pv_string(&p->intern, low, i);
	default:
		return pv_string(&p->intern, s, len);
	}
}

/*
 * The object a field of the answer or an item goes in, or NULL if there
 * is none (a sub's values wait in the parser: parser_sub_set).
 */
static json_t *
ps_scope(const struct parser *p, const struct pf_field *f)
{
	json_t		*o;

	switch (f->scope) {
	case PF_ANSWER:
		o = p->answer;
		return f->parent != NULL ? json_object_get(o, f->parent) : o;
	case PF_ITEM:
		return p->prefix;
	default:
		return NULL;
	}
}

/* Each status code character sets the flag the rules map it to. */
static int
ps_codes(struct parser *p, const char *s, size_t len)
{
	const struct pf_field	*f;
	json_t			*obj;
	size_t			 i;
	int			 fi;

	for (i = 0; i < len; i++) {
		if ((fi = p->rules->codes[(unsigned char)s[i]]) < 0)
			continue;
		f = &p->kind->fields[fi];
		if (f->scope == PF_SUB && p->insub)
			parser_sub_set(p, fi, json_true());
		else if ((obj = ps_scope(p, f)) != NULL)
			json_object_set_new_nocheck(obj, f->name, json_true());
	}
	return 0;
}

/* A hidden field: the traceroute's target, the first one printed. */
static int
ps_hidden(struct parser *p, const struct pf_field *f, const char *s,
    size_t len)
{
	char		 err[PARSE_ERR_MAX];

	if (p->target != NULL)
		return 0;
	if (pv_address(s, len, err, sizeof(err)) == -1)
		return parser_fail(p, "%s: %s", f->name, err);
	if ((p->target = parser_copy(s, len)) == NULL)
		return parser_fail(p, "out of memory");
	return 0;
}

/* A list of a field that adds to it: MPLS labels. */
static int
ps_labels(struct parser *p, json_t *obj, int fi, const char *s, size_t len)
{
	const struct pf_field	*f = &p->kind->fields[fi];
	json_t			*l;
	char			 err[PARSE_ERR_MAX] = "";

	if (f->scope == PF_SUB) {
		if (!json_is_array(l = parser_sub_get(p, fi))) {
			if ((l = json_array()) == NULL)
				return parser_fail(p, "out of memory");
			parser_sub_set(p, fi, l);
		}
	} else if (!json_is_array(l = json_object_get(obj, f->name))) {
		if ((l = json_array()) == NULL ||
		    json_object_set_new_nocheck(obj, f->name, l) == -1)
			return parser_fail(p, "out of memory");
	}
	if (pv_labels(&p->intern, s, len, l, err, sizeof(err)) == -1)
		return parser_fail(p, "%s: %s", f->name, err);
	return 0;
}

/*
 * Stores one captured or constant value in the model, trimmed of the
 * blanks around it (columns are often captured with their padding).
 */
int
ps_set(struct parser *p, int fi, const char *s, size_t len)
{
	const struct pf_field	*f = &p->kind->fields[fi];
	const char		*key = f->key != NULL ? f->key : f->name;
	json_t			*obj, *v;
	char			 err[PARSE_ERR_MAX];

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 && f->type != PV_ASPATH)
		return 0;
	if (f->scope == PF_HIDDEN)
		return ps_hidden(p, f, s, len);
	obj = ps_scope(p, f);
	if (f->scope == PF_ANSWER) {
		if (!json_is_null(json_object_get(obj, key)))
			return 0;	/* the first one printed */
	} else if (p->truncated)
		return 0;
	else if (f->scope == PF_SUB ? !p->insub : obj == NULL)
		return parser_fail(p, "%s outside a %s", f->name,
		    f->scope == PF_SUB ? p->kind->sub_action :
		    p->kind->item_action);
	if (parser_spend(p, len + PARSE_VALUE_COST) == -1)
		return 0;
	err[0] = '\0';
	switch (f->type) {
	case PV_CODES:
		return ps_codes(p, s, len);
	case PV_LABELS:
		return ps_labels(p, obj, fi, s, len);
	case PV_ASPATH:
	case PV_ADDRLIST:
	case PV_COMMUNITIES:
	case PV_LARGE:
	case PV_EXT:
		if (ps_set_lists(p, fi, s, len, err, sizeof(err)) == -1)
			return parser_fail(p, "%s: %s", f->name,
			    err[0] != '\0' ? err : "out of memory");
		return 0;
	default:
		break;
	}
	if ((v = ps_scalar(p, f, s, len, err, sizeof(err))) == NULL)
		return parser_fail(p, "%s: %s", f->name,
		    err[0] != '\0' ? err : "not UTF-8 text");
	if (f->scope == PF_SUB)
		parser_sub_set(p, fi, v);
	else
		json_object_set_new_nocheck(obj, key, v);
	return 0;
}
