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
 * Route facts on a parsed answer (DESIGN.md section 13): once the parse
 * engine has built a bgp_routes answer, every path gets
 *
 *   as_names                {"15169": "GOOGLE"} for the ASNs of its path
 *                           that asn_names knows (when it is configured)
 *   community_descriptions  {"65000:100": "..."} for its communities and
 *                           large communities that have one
 *   rpki, rpki_reason       origin validation of its prefix (when rpki
 *                           is configured), through the facts hook
 *   rpki_vrps               the VRPs that decided a valid or invalid
 *                           path: [{"prefix", "max_length", "asn"}]
 *
 * The origin is the last AS of the path.  A path ending in an AS_SET is
 * not-found (RFC 6907 section 7.1.8: no origin to validate); a path with
 * no AS outside confederation segments (a route of the router's own AS)
 * has no origin the answer shows, and gets null.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lg_parse.h"

static const char *const rpki_states[] = {
	[RPKI_UNKNOWN] = "unknown",
	[RPKI_VALID] = "valid",
	[RPKI_INVALID] = "invalid",
	[RPKI_NOT_FOUND] = "not-found",
};

static const char *const rpki_reasons[] = {
	[RPKI_REASON_NONE] = NULL,
	[RPKI_REASON_ORIGIN] = "origin",
	[RPKI_REASON_MAX_LENGTH] = "max_length",
};

const char *
rpki_state_name(enum rpki_state s)
{
	return (unsigned int)s < sizeof(rpki_states) / sizeof(rpki_states[0]) ?
	    rpki_states[s] : "unknown";
}

const char *
rpki_reason_name(enum rpki_reason r)
{
	return (unsigned int)r < sizeof(rpki_reasons) /
	    sizeof(rpki_reasons[0]) ? rpki_reasons[r] : NULL;
}

static int
facts_set(json_t *o, const char *key, json_t *v)
{
	if (v == NULL)
		return -1;
	return json_object_set_new(o, key, v);
}

/*
 * The values every path shares, made once per answer and referenced by
 * each path (jansson counts references): a 100,000-route answer then
 * costs no allocation per path for its state.
 */
#define FACTS_VRPS_MADE	256	/* a power of two */

struct facts_values {
	json_t		*state[RPKI_NOT_FOUND + 1];
	json_t		*reason[RPKI_REASON_MAX_LENGTH + 1];
	/*
	 * The paths of one prefix mostly share their origin: the last
	 * validation is asked again only for another origin, and its VRP
	 * list, made once, is referenced by each of them.
	 */
	int		 have;
	uint32_t	 asn;
	struct rpki_result res;
	json_t		*vrps;
	/*
	 * The VRP objects made lately, by a hash of the VRP: the routes
	 * under one covering prefix list the same VRPs, made once.
	 */
	struct {
		struct rpki_vrp	 v;
		json_t		*o;
	}		 made[FACTS_VRPS_MADE];
};

static int
facts_values_init(struct facts_values *fv)
{
	size_t		 i;
	const char	*r;

	memset(fv, 0, sizeof(*fv));
	for (i = 0; i <= RPKI_NOT_FOUND; i++)
		if ((fv->state[i] = json_string(rpki_state_name(
		    (enum rpki_state)i))) == NULL)
			return -1;
	for (i = 0; i <= RPKI_REASON_MAX_LENGTH; i++) {
		r = rpki_reason_name((enum rpki_reason)i);
		if ((fv->reason[i] = r != NULL ? json_string(r) : json_null())
		    == NULL)
			return -1;
	}
	return 0;
}

static void
facts_values_free(struct facts_values *fv)
{
	size_t		 i;

	for (i = 0; i <= RPKI_NOT_FOUND; i++)
		json_decref(fv->state[i]);
	for (i = 0; i <= RPKI_REASON_MAX_LENGTH; i++)
		json_decref(fv->reason[i]);
	json_decref(fv->vrps);
	for (i = 0; i < FACTS_VRPS_MADE; i++)
		json_decref(fv->made[i].o);
}

/* VRP v as rpki_vrps lists it: {"prefix", "max_length", "asn"}. */
static json_t *
facts_vrp(const struct rpki_vrp *v)
{
	json_t		*o;
	char		 pfx[64];

	prefix_format(&v->prefix, pfx, sizeof(pfx));
	if ((o = json_object()) == NULL)
		return NULL;
	if (json_object_set_new_nocheck(o, "prefix", json_string(pfx)) ==
	    -1 || json_object_set_new_nocheck(o, "max_length",
	    json_integer(v->max_length)) == -1 ||
	    json_object_set_new_nocheck(o, "asn", json_integer(v->asn)) ==
	    -1) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int
facts_same_vrp(const struct rpki_vrp *a, const struct rpki_vrp *b)
{
	return a->asn == b->asn && a->max_length == b->max_length &&
	    a->prefix.family == b->prefix.family &&
	    a->prefix.len == b->prefix.len && memcmp(a->prefix.addr,
	    b->prefix.addr, sizeof(a->prefix.addr)) == 0;
}

static int
facts_same_vrps(const struct rpki_result *a, const struct rpki_result *b)
{
	size_t	 i;

	if (a->nvrps != b->nvrps)
		return 0;
	for (i = 0; i < a->nvrps; i++)
		if (!facts_same_vrp(&a->vrps[i], &b->vrps[i]))
			return 0;
	return 1;
}

/* The object of VRP v: the one made for it lately, else a new one. */
static json_t *
facts_vrp_made(struct facts_values *fv, const struct rpki_vrp *v)
{
	uint32_t	 h = v->asn * 2654435761U;
	size_t		 i;

	for (i = 0; i < sizeof(v->prefix.addr); i++)
		h = (h ^ v->prefix.addr[i]) * 16777619U;
	h ^= (uint32_t)v->prefix.len << 8 | v->max_length;
	h = (h ^ h >> 15) & (FACTS_VRPS_MADE - 1);
	if (fv->made[h].o != NULL && facts_same_vrp(&fv->made[h].v, v))
		return json_incref(fv->made[h].o);
	json_decref(fv->made[h].o);
	fv->made[h].v = *v;
	fv->made[h].o = facts_vrp(v);
	return json_incref(fv->made[h].o);
}

/*
 * The VRPs of res as rpki_vrps lists them; NULL when there are none (or
 * without memory: the path then goes without its list).
 */
static json_t *
facts_vrps(const struct rpki_result *res, struct facts_values *fv)
{
	json_t		*a;
	size_t		 i;

	if (res->nvrps == 0 || (a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < res->nvrps; i++)
		if (json_array_append_new(a, facts_vrp_made(fv,
		    &res->vrps[i])) == -1) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/*
 * Validates pfx for asn, unless the last path asked the same.  The VRP
 * list is made again only when it differs from the last one: the routes
 * under one covering VRP share it.
 */
static void
facts_ask(const struct lg_prefix *pfx, uint32_t asn, const struct facts *f,
    struct facts_values *fv)
{
	struct rpki_result	 res;
	json_t			*v;

	if (fv->have && fv->asn == asn)
		return;
	f->rpki(f->rpki_arg, pfx, asn, &res);
	if ((unsigned int)res.state > RPKI_NOT_FOUND)
		res.state = RPKI_UNKNOWN;
	if (res.state != RPKI_INVALID ||
	    (unsigned int)res.reason > RPKI_REASON_MAX_LENGTH)
		res.reason = RPKI_REASON_NONE;
	if ((res.state != RPKI_VALID && res.state != RPKI_INVALID) ||
	    res.nvrps > RPKI_VRPS_MAX)
		res.nvrps = 0;
	if (fv->vrps == NULL || !facts_same_vrps(&res, &fv->res)) {
		v = facts_vrps(&res, fv);
		json_decref(fv->vrps);
		fv->vrps = v;
	}
	fv->res = res;
	fv->have = 1;
	fv->asn = asn;
}

static int
facts_as_names(json_t *path, const struct lg_asnames *t)
{
	json_t		*names, *asn;
	const char	*name;
	char		 key[16];
	size_t		 i;

	if ((names = json_object()) == NULL)
		return -1;
	json_array_foreach(json_object_get(path, "as_path"), i, asn) {
		if (!json_is_integer(asn) || json_integer_value(asn) < 0 ||
		    json_integer_value(asn) > UINT32_MAX ||
		    (name = asnames_find(t, (uint32_t)json_integer_value(asn)))
		    == NULL)
			continue;
		snprintf(key, sizeof(key), "%lld", json_integer_value(asn));
		if (facts_set(names, key, json_string(name)) == -1) {
			json_decref(names);
			return -1;
		}
	}
	return json_object_set_new(path, "as_names", names);
}

/* The descriptions of one list of communities into d. */
static int
facts_comm_list(json_t *d, const json_t *list, const struct lg_commdesc *t)
{
	json_t		*c;
	const char	*s, *descr;
	char		 buf[COMMDESC_DESCR_MAX];
	size_t		 i;

	json_array_foreach(list, i, c) {
		if ((s = json_string_value(c)) == NULL ||
		    (descr = commdesc_find(t, s, buf, sizeof(buf))) == NULL)
			continue;
		if (facts_set(d, s, json_string(descr)) == -1)
			return -1;
	}
	return 0;
}

static int
facts_communities(json_t *path, const struct lg_commdesc *t)
{
	json_t		*d;

	if (json_array_size(json_object_get(path, "communities")) == 0 &&
	    json_array_size(json_object_get(path, "large_communities")) == 0)
		return 0;
	if ((d = json_object()) == NULL)
		return -1;
	if (facts_comm_list(d, json_object_get(path, "communities"), t) == -1 ||
	    facts_comm_list(d, json_object_get(path, "large_communities"),
	    t) == -1) {
		json_decref(d);
		return -1;
	}
	return json_object_set_new_nocheck(path, "community_descriptions", d);
}

/*
 * The origin AS of a path: 0 with it set, 1 when the path ends in a set
 * (not-found), -1 when the answer shows no origin.
 */
static int
facts_origin(const json_t *path, uint32_t *asn)
{
	const json_t	*segs, *seg, *asns = NULL, *last;
	const char	*type;
	size_t		 i;

	segs = json_object_get(path, "as_path_segments");
	if (json_is_array(segs)) {
		for (i = json_array_size(segs); i > 0; i--) {
			seg = json_array_get(segs, i - 1);
			type = json_string_value(json_object_get(seg, "type"));
			if (type == NULL || strncmp(type, "confed_", 7) == 0)
				continue;
			if (json_array_size(json_object_get(seg, "asns")) == 0)
				continue;
			if (strcmp(type, "set") == 0)
				return 1;
			asns = json_object_get(seg, "asns");
			break;
		}
	} else
		asns = json_object_get(path, "as_path");
	if (asns == NULL || json_array_size(asns) == 0)
		return -1;
	last = json_array_get(asns, json_array_size(asns) - 1);
	if (!json_is_integer(last) || json_integer_value(last) < 0 ||
	    json_integer_value(last) > UINT32_MAX)
		return -1;
	*asn = (uint32_t)json_integer_value(last);
	return 0;
}

static int
facts_rpki(json_t *path, const struct lg_prefix *pfx, const struct facts *f,
    struct facts_values *fv)
{
	enum rpki_state	 st;
	enum rpki_reason why;
	uint32_t	 asn = 0;
	int		 o;

	if (pfx == NULL || (o = facts_origin(path, &asn)) == -1) {
		if (json_object_set_new_nocheck(path, "rpki", json_null()) ==
		    -1)
			return -1;
		return json_object_set_nocheck(path, "rpki_reason",
		    fv->reason[RPKI_REASON_NONE]);
	}
	facts_ask(pfx, asn, f, fv);
	st = fv->res.state;
	why = fv->res.reason;
	/* An AS_SET at the end: not-found, once there is data at all. */
	if (o == 1 && st != RPKI_UNKNOWN) {
		st = RPKI_NOT_FOUND;
		why = RPKI_REASON_NONE;
	}
	if (json_object_set_nocheck(path, "rpki", fv->state[st]) == -1 ||
	    json_object_set_nocheck(path, "rpki_reason", fv->reason[why]) == -1)
		return -1;
	if (o == 1 || fv->vrps == NULL)
		return 0;
	return json_object_set_nocheck(path, "rpki_vrps", fv->vrps);
}

static int
facts_path(json_t *path, const struct lg_prefix *pfx, const struct facts *f,
    struct facts_values *fv)
{
	if (!json_is_object(path))
		return 0;
	if (f->asnames != NULL && facts_as_names(path, f->asnames) == -1)
		return -1;
	if (facts_communities(path, f->commdesc) == -1)
		return -1;
	if (f->rpki != NULL && facts_rpki(path, pfx, f, fv) == -1)
		return -1;
	return 0;
}

/*
 * A pass of facts over the items of one answer, in as many calls as it
 * takes: the values its paths share live as long as it does (each path
 * holds its own reference).  One thread at a time may use a pass and the
 * items it is given (jansson locks no object).
 */
struct facts_pass {
	struct facts		 f;
	struct facts_values	 fv;
};

struct facts_pass *
parse_facts_pass_new(const struct facts *f)
{
	struct facts_pass	*fp;

	if ((fp = malloc(sizeof(*fp))) == NULL)
		return NULL;
	fp->f = *f;
	if (facts_values_init(&fp->fv) == -1) {
		parse_facts_pass_free(fp);
		return NULL;
	}
	return fp;
}

void
parse_facts_pass_free(struct facts_pass *fp)
{
	if (fp == NULL)
		return;
	facts_values_free(&fp->fv);
	free(fp);
}

int
parse_facts_item(struct facts_pass *fp, json_t *p)
{
	struct lg_prefix pfx;
	json_t		*path;
	const char	*text;
	char		 err[LG_ERRSTR_MAX];
	size_t		 j;
	int		 haslen, ok;

	text = json_string_value(json_object_get(p, "prefix"));
	ok = text != NULL && prefix_parse_any(text, &pfx, &haslen, err,
	    sizeof(err)) == 0 && haslen;
	fp->fv.have = 0;
	json_array_foreach(json_object_get(p, "paths"), j, path)
		if (facts_path(path, ok ? &pfx : NULL, &fp->f, &fp->fv) == -1)
			return -1;
	return 0;
}

int
parse_facts_routes(const json_t *parsed)
{
	const char	*kind;

	kind = json_string_value(json_object_get(parsed, "kind"));
	return kind != NULL && strcmp(kind, "bgp_routes") == 0;
}

int
parse_facts_annotate(json_t *parsed, const struct facts *f)
{
	struct facts_pass *fp;
	json_t		*p;
	size_t		 i;
	int		 rc = 0;

	if (!parse_facts_routes(parsed))
		return 0;
	if ((fp = parse_facts_pass_new(f)) == NULL)
		return -1;
	json_array_foreach(json_object_get(parsed, "prefixes"), i, p)
		if ((rc = parse_facts_item(fp, p)) == -1)
			break;
	parse_facts_pass_free(fp);
	return rc;
}
