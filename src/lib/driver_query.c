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
 * The queries section of a driver file (DESIGN.md section 3): for each
 * query type, one command template or a list of alternatives per address
 * family, each checked by render.c for its type and family, and the
 * checks that need every template of the file (the supported mask, the
 * quoting aspath_alternation needs).  Called by the loader, driver.c.
 */

#include <stdio.h>
#include <string.h>

#include <libconfig.h>

#include "lg.h"
#include "driver_int.h"

/*
 * One argv of an argv driver, [ "/bin/ping", "-c", "{count}", ... ]: the
 * program an absolute path, no element empty; joined by LG_ARGV_SEP into
 * buf.  0, or -1 with the error reported.
 */
static int
drv_argv_join(struct drv_load *ld, const config_setting_t *s, char *buf,
    size_t size)
{
	const config_setting_t	*e;
	const char		*v;
	char			 path[DRV_PATH_MAX];
	int			 i, n;

	drv_path(s, path, sizeof(path));
	n = config_setting_is_array(s) ? config_setting_length(s) : 0;
	if (n < 1 || n > LG_ARGV_MAX) {
		drv_error(ld, s, "%s: expected an argv, [ \"/path/program\", "
		    "\"arg\", ... ], of 1-%d strings", path, LG_ARGV_MAX);
		return -1;
	}
	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, (unsigned int)i);
		if (drv_string(ld, e, &v) == -1)
			return -1;
		if (*v == '\0' || strchr(v, LG_ARGV_SEP) != NULL ||
		    (i == 0 && (v[0] != '/' || strchr(v, '{') != NULL))) {
			drv_error(ld, e, "%s: element %d: %s", path, i + 1,
			    i == 0 ? "the program must be an absolute path" :
			    "empty or holds a control byte");
			return -1;
		}
		if ((i > 0 && lg_strlcat(buf, (char []){ LG_ARGV_SEP, '\0' },
		    size) >= size) || lg_strlcat(buf, v, size) >= size) {
			drv_error(ld, s, "%s: longer than %d bytes", path,
			    LG_COMMAND_MAX - 1);
			return -1;
		}
	}
	return 0;
}

/*
 * The text of choice i of a template slot: a string, or with argv the
 * joined argv.  NULL when it was reported as wrong.
 */
static const char *
drv_choice(struct drv_load *ld, const config_setting_t *e, char *buf,
    size_t size)
{
	const char	*str;
	char		 path[DRV_PATH_MAX];

	if (ld->d->argv)
		return drv_argv_join(ld, e, buf, size) == 0 ? buf : NULL;
	if (drv_string(ld, e, &str) == -1)
		return NULL;
	if (strchr(str, LG_ARGV_SEP) != NULL) {
		drv_error(ld, e, "%s: byte 0x%02x is not allowed in a template",
		    drv_path(e, path, sizeof(path)), LG_ARGV_SEP);
		return NULL;
	}
	return str;
}

/*
 * One template slot: a string, or a list of up to LG_TMPL_ALTS strings
 * tried in order; with argv, an argv or a list of them.  Each is checked
 * by render.c for this query type and family.
 */
static void
drv_tmpl(struct drv_load *ld, enum lg_query_type q, enum lg_afi afi,
    int large, const config_setting_t *s)
{
	struct lg_driver_query	*dq = &ld->d->queries[q];
	const config_setting_t	*e;
	const char		*str;
	char			 err[LG_ERRSTR_MAX], path[DRV_PATH_MAX];
	char			 argv[LG_COMMAND_MAX];
	int			 i, n = 1, k = 0, one;

	drv_path(s, path, sizeof(path));
	/* With argv, an array is one argv and a list holds the choices. */
	one = ld->d->argv ? !config_setting_is_list(s) :
	    config_setting_type(s) == CONFIG_TYPE_STRING;
	if (!one) {
		n = config_setting_length(s);
		if (n < 1 || n > LG_TMPL_ALTS) {
			drv_error(ld, s, "%s: 1-%d choices", path,
			    LG_TMPL_ALTS);
			return;
		}
	}
	for (i = 0; i < n; i++) {
		e = one ? s : config_setting_get_elem(s, (unsigned int)i);
		if ((str = drv_choice(ld, e, argv, sizeof(argv))) == NULL)
			continue;
		if (render_template_check(q, afi, str, err, sizeof(err)) ==
		    -1) {
			drv_error(ld, e, "%s: %s", path, err);
			continue;
		}
		if (k == 0 && large)
			dq->tmpl_large[afi] = xstrdup(str);
		else if (k == 0)
			dq->tmpl[afi] = xstrdup(str);
		else if (large)
			dq->alt_large[afi][k - 1] = xstrdup(str);
		else
			dq->alt[afi][k - 1] = xstrdup(str);
		k++;
	}
}

/* Group keys of a query: any, ipv4, ipv6, and the _large variants. */
static const struct {
	const char	*name;
	enum lg_afi	 afi;
	int		 large;
} drv_slots[] = {
	{ "any", AFI_ANY, 0 },
	{ "ipv4", AFI_IPV4, 0 },
	{ "ipv6", AFI_IPV6, 0 },
	{ "any_large", AFI_ANY, 1 },
	{ "ipv4_large", AFI_IPV4, 1 },
	{ "ipv6_large", AFI_IPV6, 1 },
};
#define DRV_NSLOTS	(sizeof(drv_slots) / sizeof(drv_slots[0]))

/*
 * Whether the keys seen (bit j for drv_slots[j]) mix an "any" template
 * with a per-family one of the same kind (plain or large).
 */
static int
drv_slots_mixed(unsigned int seen)
{
	int		 any[2] = { 0, 0 }, family[2] = { 0, 0 };
	unsigned int	 j;

	for (j = 0; j < DRV_NSLOTS; j++) {
		if (!(seen & 1U << j))
			continue;
		if (drv_slots[j].afi == AFI_ANY)
			any[drv_slots[j].large] = 1;
		else
			family[drv_slots[j].large] = 1;
	}
	return (any[0] && family[0]) || (any[1] && family[1]);
}

static void
drv_query_group(struct drv_load *ld, enum lg_query_type q,
    const config_setting_t *s)
{
	const config_setting_t	*m;
	char			 path[DRV_PATH_MAX];
	unsigned int		 i, j, seen = 0;

	for (i = 0; (m = config_setting_get_elem(s, i)) != NULL; i++) {
		for (j = 0; j < DRV_NSLOTS; j++)
			if (strcmp(drv_slots[j].name,
			    config_setting_name(m)) == 0)
				break;
		drv_path(m, path, sizeof(path));
		if (j == DRV_NSLOTS) {
			drv_error(ld, m, "%s: unknown key (any, ipv4, ipv6%s)",
			    path, q == Q_BGP_COMMUNITY ? ", *_large" : "");
			continue;
		}
		if (drv_slots[j].large && q != Q_BGP_COMMUNITY) {
			drv_error(ld, m, "%s: large templates are for "
			    "bgp_community only", path);
			continue;
		}
		seen |= 1U << j;
		drv_tmpl(ld, q, drv_slots[j].afi, drv_slots[j].large, m);
	}
	if (drv_slots_mixed(seen))
		drv_error(ld, s, "%s: mixes 'any' with per-family templates",
		    drv_path(s, path, sizeof(path)));
}

/* The queries group, a row of the key table of driver.c. */
int
drv_queries(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct drv_load		*ld = drv_load(ctx);
	const config_setting_t	*m;
	enum lg_query_type	 q;
	char			 path[DRV_PATH_MAX];
	unsigned int		 i;
	size_t			 before = ctx->diag->nerrors;

	(void)k;
	(void)dst;
	if (!config_setting_is_group(s)) {
		drv_error(ld, s, "queries: expected a group { ... }");
		return -1;
	}
	/* Whether the templates are argv lists, wherever argv is written. */
	m = config_setting_get_member(config_setting_parent(s), "argv");
	if (m != NULL && config_setting_type(m) == CONFIG_TYPE_BOOL)
		ld->d->argv = config_setting_get_bool(m);
	if (config_setting_length(s) == 0)
		drv_error(ld, s, "queries: defines no query");
	for (i = 0; (m = config_setting_get_elem(s, i)) != NULL; i++) {
		drv_path(m, path, sizeof(path));
		if (query_from_name(config_setting_name(m), &q) == -1)
			drv_error(ld, m, "%s: unknown query type", path);
		else if (config_setting_is_group(m))
			drv_query_group(ld, q, m);
		else
			drv_tmpl(ld, q, AFI_ANY, 0, m);
	}
	return ctx->diag->nerrors == before ? 0 : -1;
}

/* Whether a template set names {aspath} only inside double quotes. */
static int
drv_aspath_quoted(const char *t)
{
	const char	*p;

	for (p = t; (p = strstr(p, "{aspath}")) != NULL; p += 8)
		if (p == t || p[-1] != '"' || p[8] != '"')
			return 0;
	return 1;
}

/* Checks that need the whole file; computes the supported mask. */
void
drv_finish(struct drv_load *ld)
{
	struct lg_driver	*d = ld->d;
	struct lg_driver_query	*dq;
	unsigned int		 q, a, k;

	for (q = 0; q < Q_COUNT; q++) {
		dq = &d->queries[q];
		for (a = 0; a < 3; a++)
			if (dq->tmpl[a] != NULL || dq->tmpl_large[a] != NULL)
				d->supported |= Q_MASK(q);
	}
	if (d->argv && d->nlocal > 0)
		diag_error(ld->ctx.diag, ld->ctx.file, 0, "local: an argv "
		    "driver runs its queries as they are");
	if (!d->argv && d->prompt.re == NULL)
		diag_error(ld->ctx.diag, ld->ctx.file, 0, "missing required "
		    "key \"prompt\"");
	for (q = 0; q < Q_COUNT; q++)
		if ((d->intr_queries & Q_MASK(q)) && !(d->supported & Q_MASK(q)))
			diag_error(ld->ctx.diag, ld->ctx.file, ld->intr_line,
			    "interrupt: %s is not among the queries",
			    query_name((enum lg_query_type)q));
	if (!d->aspath_alternation)
		return;
	dq = &d->queries[Q_BGP_ASPATH];
	for (a = 0; a < 3; a++) {
		if (dq->tmpl[a] != NULL && !drv_aspath_quoted(dq->tmpl[a]))
			break;
		for (k = 0; k < LG_TMPL_ALTS - 1; k++)
			if (dq->alt[a][k] != NULL &&
			    !drv_aspath_quoted(dq->alt[a][k]))
				break;
		if (k < LG_TMPL_ALTS - 1)
			break;
	}
	if (a < 3)
		diag_error(ld->ctx.diag, ld->ctx.file, 0, "aspath_alternation "
		    "needs every bgp_aspath template to write \"{aspath}\" "
		    "in double quotes");
}
