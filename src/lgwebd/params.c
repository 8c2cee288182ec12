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
 * Typed query requests from outside bytes.  libmicrohttpd splits the query
 * string and calls params_unescape (installed as its unescape callback) on
 * every key and value; http.c then feeds the pairs to params_add one at a
 * time, so repeated parameters are seen.  POST bodies go through
 * params_from_json, which maps the JSON members onto the same setters.
 * Every value is bounded and checked for stray bytes before it is looked
 * at; messages name the field, never the raw value.  Nothing here knows
 * the configuration: api.c checks routers, types and targets against it.
 */

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "lg.h"
#include "web.h"

#define PARAM_ROUTER	0x01
#define PARAM_TYPE	0x02
#define PARAM_TARGET	0x04
#define PARAM_AFI	0x08
#define PARAM_STORE	0x10

struct param {
	const char	*name;
	unsigned int	 bit;
	int		 repeat;	/* may be given several times */
	int		(*set)(struct web_params *, const char *);
};

static int	 param_router(struct web_params *, const char *);
static int	 param_type(struct web_params *, const char *);
static int	 param_target(struct web_params *, const char *);
static int	 param_afi(struct web_params *, const char *);
static int	 param_store(struct web_params *, const char *);

static const struct param params[] = {
	{ "router",	PARAM_ROUTER,	1,	param_router },
	{ "type",	PARAM_TYPE,	0,	param_type },
	{ "target",	PARAM_TARGET,	0,	param_target },
	{ "afi",	PARAM_AFI,	0,	param_afi },
	{ "store",	PARAM_STORE,	0,	param_store },
	{ NULL,		0,		0,	NULL }
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Decodes %HH escapes in place and returns the new length.  A malformed
 * escape or an encoded NUL becomes WEB_BADESC, a control byte that every
 * later check refuses, because libmicrohttpd's callback cannot fail.
 */
size_t
params_unescape(char *s)
{
	char	*r, *w;
	int	 hi, lo;

	for (r = w = s; *r != '\0'; r++, w++) {
		if (*r != '%') {
			*w = *r;
			continue;
		}
		if ((hi = hexval(r[1])) == -1 || (lo = hexval(r[2])) == -1) {
			*w = WEB_BADESC;
			continue;
		}
		*w = (char)((hi == 0 && lo == 0) ? WEB_BADESC : hi << 4 | lo);
		r += 2;
	}
	*w = '\0';
	return (size_t)(w - s);
}

void
params_init(struct web_params *p)
{
	memset(p, 0, sizeof(*p));
	p->max = WEB_ROUTERS_MAX;
	p->type = -1;
	p->afi = AFI_ANY;
	p->error = LG_OK;
}

static int
params_fail(struct web_params *p, enum lg_err e, const char *field,
    const char *why)
{
	if (p->error == LG_OK) {
		p->error = e;
		snprintf(p->errstr, sizeof(p->errstr), "%s: %s", field, why);
	}
	return -1;
}

static int
params_too_many(struct web_params *p)
{
	char	 why[64];

	snprintf(why, sizeof(why), "too many routers in one query (at most "
	    "%zu, web.max_routers)", p->max);
	return params_fail(p, LG_ERR_BAD_QUERY, "router", why);
}

/*
 * 0 when a value is short enough and holds no control byte, -1 otherwise.
 * Bytes >= 0x80 pass: the validators decide what a target may contain.
 */
int
params_value_ok(const char *v, size_t len)
{
	size_t	 i;

	if (len > WEB_VALUE_MAX)
		return -1;
	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
			return -1;
	return 0;
}

static int
param_router(struct web_params *p, const char *v)
{
	const char	*s, *e;
	size_t		 len, i;
	char		 name[LG_NAME_MAX];

	for (s = v; ; s = e + 1) {
		if ((e = strchr(s, ',')) == NULL)
			e = s + strlen(s);
		len = (size_t)(e - s);
		if (len == 0 || len >= sizeof(name))
			return params_fail(p, LG_ERR_BAD_QUERY, "router",
			    len == 0 ? "empty router name" :
			    "router name too long");
		memcpy(name, s, len);
		name[len] = '\0';
		if (validate_router_name(name) != 0)
			return params_fail(p, LG_ERR_BAD_QUERY, "router",
			    "invalid router name");
		for (i = 0; i < p->nrouters; i++)
			if (strcmp(p->routers[i], name) == 0)
				return params_fail(p, LG_ERR_BAD_QUERY,
				    "router", "a router is listed twice");
		if (p->nrouters == p->max)
			return params_too_many(p);
		lg_strlcpy(p->routers[p->nrouters++], name, LG_NAME_MAX);
		if (*e == '\0')
			return 0;
	}
}

static int
param_type(struct web_params *p, const char *v)
{
	enum lg_query_type	 q;

	if (query_from_name(v, &q) == -1)
		return params_fail(p, LG_ERR_UNKNOWN_TYPE, "type",
		    "unknown query type");
	p->type = (int)q;
	return 0;
}

static int
param_target(struct web_params *p, const char *v)
{
	if (strlen(v) > LG_TARGET_MAX)
		return params_fail(p, LG_ERR_BAD_QUERY, "target",
		    "too long");
	lg_strlcpy(p->target, v, sizeof(p->target));
	p->has_target = 1;
	return 0;
}

static int
param_afi(struct web_params *p, const char *v)
{
	if (afi_from_name(v, &p->afi) == -1)
		return params_fail(p, LG_ERR_BAD_QUERY, "afi",
		    "must be ipv4 or ipv6");
	return 0;
}

/* store=1 keeps the answer (share.c); 0 or absent does not. */
static int
param_store(struct web_params *p, const char *v)
{
	if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
		p->store = 1;
	else if (strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
		p->store = 0;
	else
		return params_fail(p, LG_ERR_BAD_QUERY, "store",
		    "must be 1 or 0");
	return 0;
}

/*
 * Takes one key/value pair (value may be NULL: "?type").  Unknown keys are
 * ignored so that links may carry extra parameters.  Returns 0, or -1 with
 * the problem kept in p (the first one wins).
 */
int
params_add(struct web_params *p, const char *key, const char *value)
{
	const struct param	*pa;

	if (value == NULL)
		value = "";
	for (pa = params; pa->name != NULL; pa++)
		if (strcasecmp(pa->name, key) == 0)
			break;
	if (pa->name == NULL)
		return 0;
	if (strchr(value, WEB_BADESC) != NULL)
		return params_fail(p, LG_ERR_BAD_QUERY, pa->name,
		    "bad percent-encoding");
	if (params_value_ok(value, strlen(value)) == -1)
		return params_fail(p, LG_ERR_BAD_QUERY, pa->name,
		    "too long or contains control characters");
	if ((p->seen & pa->bit) && !pa->repeat)
		return params_fail(p, LG_ERR_BAD_QUERY, pa->name,
		    "given more than once");
	p->seen |= pa->bit;
	return pa->set(p, value);
}

static int
params_json_str(struct web_params *p, const char *key, json_t *v)
{
	const char	*s;

	if (!json_is_string(v))
		return params_fail(p, LG_ERR_BAD_QUERY, key,
		    "must be a string");
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v))
		return params_fail(p, LG_ERR_BAD_QUERY, key,
		    "contains a NUL byte");
	return params_add(p, key, s);
}

static int
params_json_member(struct web_params *p, const char *key, json_t *v)
{
	size_t	 i;
	json_t	*el;

	if (strcmp(key, "router") == 0 && json_is_array(v)) {
		if (json_array_size(v) == 0)
			return params_fail(p, LG_ERR_BAD_QUERY, "router",
			    "empty list");
		json_array_foreach(v, i, el)
			if (params_json_str(p, "router", el) == -1)
				return -1;
		return 0;
	}
	if (strcmp(key, "store") == 0 && !json_is_string(v))
		return params_add(p, key, json_is_true(v) ||
		    (json_is_integer(v) && json_integer_value(v) == 1) ? "1" :
		    (json_is_false(v) || (json_is_integer(v) &&
		    json_integer_value(v) == 0)) ? "0" : "neither");
	return params_json_str(p, key, v);
}

/*
 * A POST body: one JSON object with the members router (a string, maybe
 * comma-separated, or an array of strings), type, target, afi and store
 * (also true, false, 1 or 0).
 * Duplicate members are refused by the decoder; unknown ones are ignored.
 */
int
params_from_json(struct web_params *p, const char *body, size_t len)
{
	json_t		*root, *v;
	json_error_t	 jerr;
	const char	*key;
	const struct param *pa;
	int		 rv = 0;

	if (len > WEB_BODY_MAX)
		return params_fail(p, LG_ERR_BAD_QUERY, "body", "too large");
	root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL)
		return params_fail(p, LG_ERR_BAD_QUERY, "body",
		    "not valid JSON");
	if (!json_is_object(root)) {
		json_decref(root);
		return params_fail(p, LG_ERR_BAD_QUERY, "body",
		    "must be a JSON object");
	}
	json_object_foreach(root, key, v) {
		for (pa = params; pa->name != NULL; pa++)
			if (strcmp(pa->name, key) == 0)
				break;
		if (pa->name == NULL)
			continue;
		if ((rv = params_json_member(p, pa->name, v)) == -1)
			break;
	}
	json_decref(root);
	return rv;
}

/*
 * The request as a whole: a router and a type.  Whether the type is
 * offered is the configuration's to say (api.c), and only then is a
 * missing target worth a word (validate_query): a type that is not
 * offered is refused as such, with or without a target.  Returns 0, or
 * -1 with the problem in p.
 */
int
params_check(struct web_params *p)
{
	const struct lg_query_info	*qi;

	if (p->error != LG_OK)
		return -1;
	if (p->nrouters == 0)
		return params_fail(p, LG_ERR_BAD_QUERY, "router", "missing");
	if (p->type == -1)
		return params_fail(p, LG_ERR_BAD_QUERY, "type", "missing");
	qi = query_info((enum lg_query_type)p->type);
	if (qi->targets == (1U << TGT_NONE))
		p->target[0] = '\0';
	return 0;
}
