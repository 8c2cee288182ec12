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
 * The key-table walker of the configuration loader (config.c): a group
 * of a libconfig tree checked against a const table of struct config_key
 * rows, the diagnostics that name a key by its full name ("web.listen:
 * ..."), with a "did you mean" for a misspelt one, and the scalar parsers
 * the tables of config_sections.c, config_filters.c and config_routers.c
 * point at.  The driver loader (driver.c) walks its files' top level
 * with the same config_group().  Nothing here logs or exits: every
 * problem goes to the diag.
 */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "lg.h"
#include "config_int.h"

static const char *const config_type_names[] = {
	[CONFIG_TYPE_NONE] = "nothing",
	[CONFIG_TYPE_GROUP] = "a group",
	[CONFIG_TYPE_INT] = "an integer",
	[CONFIG_TYPE_INT64] = "an integer",
	[CONFIG_TYPE_FLOAT] = "a float",
	[CONFIG_TYPE_STRING] = "a string",
	[CONFIG_TYPE_BOOL] = "a boolean",
	[CONFIG_TYPE_ARRAY] = "a list",
	[CONFIG_TYPE_LIST] = "a list",
};

static size_t	 config_distance(const char *, const char *);
static const struct config_key *config_key_find(const struct config_key *,
		    const char *);
static void	 config_unknown_key(struct config_ctx *,
		    const config_setting_t *, const struct config_key *);

/*
 * Diagnostics.  config_err() prefixes the message with the key's full name
 * ("web.listen: ..."); an element of a list is named after its list.
 */
void
config_err(struct config_ctx *ctx, const config_setting_t *s,
    const char *fmt, ...)
{
	char			 msg[768];
	const char		*name;
	const config_setting_t	*p;
	va_list			 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	name = config_setting_name(s);
	for (p = config_setting_parent(s); name == NULL && p != NULL;
	    p = config_setting_parent(p))
		name = config_setting_name(p);
	p = config_setting_parent(s);
	/* A section itself is named alone. */
	if (p != NULL && config_setting_is_root(p))
		diag_error(ctx->diag, ctx->file,
		    config_setting_source_line(s), "%s: %s", name, msg);
	else
		diag_error(ctx->diag, ctx->file,
		    config_setting_source_line(s), "%s%s%s: %s", ctx->where,
		    ctx->sep, name ? name : "?", msg);
}

const char *
config_type_name(int type)
{
	if (type < 0 || (size_t)type >= sizeof(config_type_names) /
	    sizeof(config_type_names[0]))
		return "something else";
	return config_type_names[type];
}

int
config_is_list(const config_setting_t *s)
{
	return config_setting_type(s) == CONFIG_TYPE_LIST ||
	    config_setting_type(s) == CONFIG_TYPE_ARRAY;
}

/*
 * Checks a setting's type: integers of either width are integers, arrays
 * and lists are lists.  Returns 0, or -1 after reporting the mismatch.
 */
int
config_expect(struct config_ctx *ctx, const config_setting_t *s, int type)
{
	int		 t = config_setting_type(s);

	if (t == type || (type == CONFIG_TYPE_INT && t == CONFIG_TYPE_INT64) ||
	    (type == CONFIG_TYPE_LIST && config_is_list(s)))
		return 0;
	config_err(ctx, s, "expected %s, got %s", config_type_name(type),
	    config_type_name(t));
	return -1;
}

/* Levenshtein distance of two short names, for "did you mean". */
static size_t
config_distance(const char *a, const char *b)
{
	size_t		 row[LG_NAME_MAX + 1], la, lb, i, j;
	size_t		 diag, up, cost;

	la = strlen(a);
	lb = strlen(b);
	if (la > LG_NAME_MAX || lb > LG_NAME_MAX)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			cost = a[i - 1] == b[j - 1] ? 0 : 1;
			row[j] = diag + cost;
			if (up + 1 < row[j])
				row[j] = up + 1;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			diag = up;
		}
	}
	return row[lb];
}

/*
 * The closest candidate within two edits as a message tail in buf,
 * " (did you mean \"routers\"?)", or "" when none is close.
 */
const char *
config_suggest(const char *word, const char *const *cands, size_t n,
    char *buf, size_t len)
{
	const char	*best = NULL;
	size_t		 i, d, bestd = 3;

	for (i = 0; i < n; i++) {
		d = config_distance(word, cands[i]);
		if (d < bestd && d < strlen(word)) {
			best = cands[i];
			bestd = d;
		}
	}
	if (best == NULL)
		return "";
	snprintf(buf, len, " (did you mean \"%s\"?)", best);
	return buf;
}

static const struct config_key *
config_key_find(const struct config_key *keys, const char *name)
{
	for (; keys->name != NULL; keys++)
		if (strcmp(keys->name, name) == 0)
			return keys;
	return NULL;
}

static void
config_unknown_key(struct config_ctx *ctx, const config_setting_t *s,
    const struct config_key *keys)
{
	const char	*names[64];
	char		 hint[LG_NAME_MAX + 24];
	size_t		 n;

	for (n = 0; n < 64 && keys[n].name != NULL; n++)
		names[n] = keys[n].name;
	diag_error(ctx->diag, ctx->file, config_setting_source_line(s),
	    "unknown key \"%s\"%s%s%s", config_setting_name(s),
	    ctx->where[0] != '\0' ? " in " : "", ctx->where,
	    config_suggest(config_setting_name(s), names, n, hint,
	    sizeof(hint)));
}

/*
 * Walks a group against a key table, storing into base.  Every member is
 * looked at even after an error.  An empty ctx->where is a file's top
 * level (a driver file): its keys are named alone.  Returns 0, or -1 if
 * anything was wrong.
 */
int
config_group(struct config_ctx *ctx, const config_setting_t *group,
    const struct config_key *keys, void *base)
{
	const struct config_key	*k;
	const config_setting_t	*s;
	size_t			 before = ctx->diag->nerrors;
	int			 i, len;

	if (config_setting_name(group) == NULL &&
	    config_setting_type(group) != CONFIG_TYPE_GROUP) {
		/* An element of a list (a router, a filter) is its own name. */
		diag_error(ctx->diag, ctx->file,
		    config_setting_source_line(group),
		    "%s: expected a group { ... }, got %s", ctx->where,
		    config_type_name(config_setting_type(group)));
		return -1;
	}
	if (config_expect(ctx, group, CONFIG_TYPE_GROUP) == -1)
		return -1;
	len = config_setting_length(group);
	for (i = 0; i < len; i++) {
		s = config_setting_get_elem(group, (unsigned int)i);
		if ((k = config_key_find(keys, config_setting_name(s))) == NULL)
			config_unknown_key(ctx, s, keys);
		else
			k->parse(ctx, k, s, (char *)base + k->off);
	}
	for (k = keys; k->name != NULL; k++)
		if (k->required && config_setting_get_member(group, k->name)
		    == NULL)
			diag_error(ctx->diag, ctx->file,
			    config_setting_source_line(group),
			    "%s%smissing required key \"%s\"", ctx->where,
			    ctx->where[0] != '\0' ? ": " : "", k->name);
	return ctx->diag->nerrors == before ? 0 : -1;
}

/* An integer within [min, max]. */
int
config_long_long(struct config_ctx *ctx, const config_setting_t *s,
    long long min, long long max, long long *v)
{
	if (config_expect(ctx, s, CONFIG_TYPE_INT) == -1)
		return -1;
	*v = config_setting_get_int64(s);
	if (*v < min || *v > max) {
		config_err(ctx, s, "%lld is out of range (%lld to %lld)", *v,
		    min, max);
		return -1;
	}
	return 0;
}

/* A query-type name used as a key (web.rate, web.cache, deadlines). */
int
config_query_key(struct config_ctx *ctx, const config_setting_t *s,
    enum lg_query_type *q)
{
	const char	*names[Q_COUNT];
	char		 hint[LG_NAME_MAX + 24];
	unsigned int	 i;

	if (query_from_name(config_setting_name(s), q) == 0)
		return 0;
	for (i = 0; i < Q_COUNT; i++)
		names[i] = query_name((enum lg_query_type)i);
	diag_error(ctx->diag, ctx->file, config_setting_source_line(s),
	    "unknown query type \"%s\" in %s%s", config_setting_name(s),
	    ctx->where, config_suggest(config_setting_name(s), names, Q_COUNT,
	    hint, sizeof(hint)));
	return -1;
}

/*
 * Scalar parsers for the key tables.  Each checks the type and the bounds
 * and stores into the field at dst, whose size is key->size.
 */
static int
config_string(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst, const char *allowed)
{
	const char		*v;
	const unsigned char	*p;
	size_t			 len;

	if (config_expect(ctx, s, CONFIG_TYPE_STRING) == -1)
		return -1;
	v = config_setting_get_string(s);
	if ((len = strlen(v)) >= k->size) {
		config_err(ctx, s, "too long (%zu bytes, at most %zu)", len,
		    k->size - 1);
		return -1;
	}
	for (p = (const unsigned char *)v; *p != '\0'; p++)
		if ((*p < 0x20 || *p == 0x7f) && strchr(allowed, *p) == NULL) {
			config_err(ctx, s, "contains a control character");
			return -1;
		}
	memcpy(dst, v, len + 1);
	return 0;
}

int
config_parse_str(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	return config_string(ctx, k, s, dst, "");
}

/* Free text shown on the page: tabs and newlines allowed. */
int
config_parse_text(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	return config_string(ctx, k, s, dst, "\t\n");
}

/*
 * A value quoted in a diagnostic: control and non-ASCII bytes become '?'
 * and long values are cut, so a message cannot carry terminal escapes.
 */
const char *
config_shown(const char *v, char *buf, size_t len)
{
	size_t		 i;

	for (i = 0; v[i] != '\0' && i + 1 < len; i++)
		buf[i] = (v[i] < 0x20 || v[i] > 0x7e) ? '?' : v[i];
	buf[i] = '\0';
	if (v[i] != '\0' && i >= 3)
		memcpy(buf + i - 3, "...", 3);
	return buf;
}

/* Frees n strings and the array holding them. */
void
config_strv_free(char **v, size_t n)
{
	size_t		 i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Letters, digits, '.', '_' and '-', not starting with '-' or '.'. */
int
config_name_ok(const char *v)
{
	const char	*p;

	if (*v == '\0' || *v == '-' || *v == '.')
		return 0;
	for (p = v; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-'))
			return 0;
	return 1;
}

/* A name (user, group, driver, credential, VRF); "" is not a name. */
int
config_parse_name(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	char		*d = dst, shown[LG_NAME_MAX];

	if (config_parse_str(ctx, k, s, dst) == -1)
		return -1;
	if (!config_name_ok(d)) {
		config_err(ctx, s, "\"%s\" is not a valid name (letters, "
		    "digits, '.', '_' and '-')",
		    config_shown(d, shown, sizeof(shown)));
		d[0] = '\0';
		return -1;
	}
	return 0;
}

/* A path, made absolute against the config's directory; "" is unset. */
int
config_parse_path(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	char		 raw[LG_PATH_MAX];
	struct config_key kk = *k;

	kk.size = sizeof(raw);
	if (config_parse_str(ctx, &kk, s, raw) == -1)
		return -1;
	if (config_path(ctx->conf, raw, dst, k->size) == -1) {
		config_err(ctx, s, "path too long");
		return -1;
	}
	return 0;
}

int
config_parse_uint(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	long long	 v;

	if (config_long_long(ctx, s, k->min, k->max, &v) == -1)
		return -1;
	*(unsigned int *)dst = (unsigned int)v;
	return 0;
}

int
config_parse_int(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	long long	 v;

	if (config_long_long(ctx, s, k->min, k->max, &v) == -1)
		return -1;
	*(int *)dst = (int)v;
	return 0;
}

int
config_parse_size(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	long long	 v;

	if (config_long_long(ctx, s, k->min, k->max, &v) == -1)
		return -1;
	*(size_t *)dst = (size_t)v;
	return 0;
}

int
config_parse_bool(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	(void)k;
	if (config_expect(ctx, s, CONFIG_TYPE_BOOL) == -1)
		return -1;
	*(int *)dst = config_setting_get_bool(s) ? 1 : 0;
	return 0;
}

/* A list of query-type names into a Q_MASK. */
int
config_parse_qmask(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	const char		*names[Q_COUNT], *v;
	const config_setting_t	*e;
	enum lg_query_type	 q;
	char			 shown[LG_NAME_MAX], hint[LG_NAME_MAX + 24];
	unsigned int		 mask = 0, i;
	int			 j, len, bad = 0;

	(void)k;
	if (config_expect(ctx, s, CONFIG_TYPE_LIST) == -1)
		return -1;
	for (i = 0; i < Q_COUNT; i++)
		names[i] = query_name((enum lg_query_type)i);
	len = config_setting_length(s);
	for (j = 0; j < len; j++) {
		e = config_setting_get_elem(s, (unsigned int)j);
		if (config_expect(ctx, e, CONFIG_TYPE_STRING) == -1) {
			bad = 1;
			continue;
		}
		v = config_setting_get_string(e);
		if (query_from_name(v, &q) == 0) {
			mask |= Q_MASK(q);
			continue;
		}
		config_err(ctx, e, "unknown query type \"%s\"%s",
		    config_shown(v, shown, sizeof(shown)),
		    config_suggest(v, names, Q_COUNT, hint, sizeof(hint)));
		bad = 1;
	}
	if (bad)
		return -1;
	*(unsigned int *)dst = mask;
	return 0;
}
