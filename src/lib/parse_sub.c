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
 * The values of the sub (path) being read, kept by field until it ends
 * (parse_store.c sets them), and the model objects made of them: an
 * item's, of defaults, when it starts, and a sub's once, when it ends.
 */

#include <jansson.h>
#include <pcre2.h>

#include "parse_int.h"

/* A field's first value: null, or the format's default false or []. */
static json_t *
parser_default(const struct parser *p, int f)
{
	if (p->kind->fields[f].type == PV_LABELS)
		return json_array();
	if ((p->rules->defaults & (1ULL << f)) == 0)
		return json_null();
	return p->kind->fields[f].type == PV_FLAG ? json_false() :
	    json_array();
}

/* A value of the sub for its object: the one read, or the default. */
static json_t *
parser_sub_take(struct parser *p, int slot, int f)
{
	json_t		*v = p->sub[slot];

	p->sub[slot] = NULL;
	return v != NULL ? v : parser_default(p, f);
}

/*
 * An object with a key for every field of a scope, in the table's order
 * (DESIGN.md section 12), as_path_segments after as_path: the defaults,
 * or with take the sub's values read (which pass to it) and the defaults
 * of those not read.  NULL without memory.
 */
json_t *
parser_object(struct parser *p, enum pf_scope scope, int take)
{
	const struct pf_field	*fs = p->kind->fields;
	json_t			*o;
	int			 f;

	if ((o = json_object()) == NULL)
		return NULL;
	for (f = 0; fs[f].name != NULL; f++) {
		if (fs[f].scope != scope || fs[f].type == PV_CODES)
			continue;
		if (json_object_set_new_nocheck(o, fs[f].name, take ?
		    parser_sub_take(p, f, f) : parser_default(p, f)) == -1 ||
		    (fs[f].type == PV_ASPATH && json_object_set_new_nocheck(o,
		    "as_path_segments", take ? parser_sub_take(p, PF_SEGMENTS,
		    f) : parser_default(p, f)) == -1)) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* The sub's value of a field, its default until one is read. */
json_t *
parser_sub_get(struct parser *p, int f)
{
	if (p->sub[f] == NULL)
		p->sub[f] = parser_default(p, f);
	return p->sub[f];
}

/* Sets the sub's value of a field (or PF_SEGMENTS); v passes to it. */
void
parser_sub_set(struct parser *p, int f, json_t *v)
{
	json_decref(p->sub[f]);
	p->sub[f] = v;
}

/* The sub's values are dropped. */
void
parser_sub_clear(struct parser *p)
{
	size_t		 f;

	for (f = 0; f <= PF_FIELDS_MAX; f++) {
		json_decref(p->sub[f]);
		p->sub[f] = NULL;
	}
	p->insub = 0;
}

/*
 * A carried sub starts as a copy of the values of the one parser_carried
 * found (which parser_object made, in the table's order).
 */
int
parser_sub_copy(struct parser *p, const json_t *from)
{
	const struct pf_field	*fs = p->kind->fields;
	json_t			*v;
	int			 f;

	for (f = 0; fs[f].name != NULL; f++) {
		if (fs[f].scope != PF_SUB || fs[f].type == PV_CODES)
			continue;
		if ((v = json_object_get(from, fs[f].name)) != NULL &&
		    (p->sub[f] = json_deep_copy(v)) == NULL)
			return -1;
		if (fs[f].type == PV_ASPATH && (v = json_object_get(from,
		    "as_path_segments")) != NULL &&
		    (p->sub[PF_SEGMENTS] = json_deep_copy(v)) == NULL)
			return -1;
	}
	return 0;
}
