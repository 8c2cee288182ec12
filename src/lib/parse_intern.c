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
 * Values that repeat all through a long answer (an AS number, a next hop,
 * an origin, a community), made once per parser and shared by every path
 * that holds them: jansson counts references, and nothing changes a value
 * once it is in the model.  The tables are direct-mapped: a value whose
 * slot holds another takes the slot, so they stay small and a lookup is
 * one hash and one compare.  A path of a route table is about 65
 * allocations, some 20 of them such values.
 */

#include <stdint.h>
#include <string.h>

#include <jansson.h>
#include <pcre2.h>

#include "parse_int.h"

/* Only short strings: longer ones seldom repeat. */
#define PV_INTERN_STR_MAX	48

json_t *
pv_int(struct pv_intern *in, json_int_t n)
{
	json_t	**slot, *v;

	if (in == NULL)
		return json_integer(n);
	slot = &in->ints[((uint64_t)n * 0x9e3779b97f4a7c15ULL) >>
	    (64 - PV_INTERN_INT_BITS)];
	if (*slot == NULL || json_integer_value(*slot) != n) {
		if ((v = json_integer(n)) == NULL)
			return NULL;
		json_decref(*slot);
		*slot = v;
	}
	return json_incref(*slot);
}

/* A slice of ASCII text is valid UTF-8 as it stands. */
static json_t *
pv_string_new(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] >= 0x80)
			return json_stringn(s, len);
	return json_stringn_nocheck(s, len);
}

/* The JSON string of a slice of router text, NULL if it is not UTF-8. */
json_t *
pv_string(struct pv_intern *in, const char *s, size_t len)
{
	json_t		**slot, *v;
	uint32_t	 h = 2166136261U;
	size_t		 i;

	if (in == NULL || len > PV_INTERN_STR_MAX)
		return pv_string_new(s, len);
	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619U;
	slot = &in->strs[h >> (32 - PV_INTERN_STR_BITS)];
	if (*slot == NULL || json_string_length(*slot) != len ||
	    memcmp(json_string_value(*slot), s, len) != 0) {
		if ((v = pv_string_new(s, len)) == NULL)
			return NULL;
		json_decref(*slot);
		*slot = v;
	}
	return json_incref(*slot);
}

void
pv_intern_clear(struct pv_intern *in)
{
	size_t	 i;

	for (i = 0; i < sizeof(in->ints) / sizeof(in->ints[0]); i++)
		json_decref(in->ints[i]);
	for (i = 0; i < sizeof(in->strs) / sizeof(in->strs[0]); i++)
		json_decref(in->strs[i]);
	memset(in, 0, sizeof(*in));
}
