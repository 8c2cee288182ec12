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
 * The global output filters of lorgnette.conf: a list of groups, each a
 * pcre2 pattern that either drops the lines it matches or replaces every
 * match.  The broker applies them to every line of router output after
 * the driver's own filters.  Patterns are compiled here, at load time, so
 * a bad one is a config error with its line rather than a runtime
 * surprise.
 *
 * Without a filters list, the built-in redaction rules below apply: they
 * drop lines that mention passwords, secrets or keys as whole words (so
 * "keepalive" and "monkey" pass) and SNMP community definitions.  A
 * filters list replaces them entirely; "filters = ();" turns them off.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "lg.h"
#include "config_int.h"

#define CONFIG_FILTERS_MAX	256

struct config_filter_in {
	char		 match[1024];
	char		 action[16];
	char		 replace[512];
};

#define F(k, fn, m)	CONFIG_KEY(struct config_filter_in, k, fn, m)

static const struct config_key filter_keys[] = {
	{ F("match", config_parse_str, match), .required = 1 },
	{ F("action", config_parse_str, action) },
	{ F("replace", config_parse_text, replace) },
	{ .name = NULL }
};

/* The built-in redaction rules, documented in lorgnette.conf.example. */
static const char *const config_redact[] = {
	"(?i)\\b(password|passwd|secret|key)\\b",
	"(?i)\\bsnmp-server\\s+community\\b",
	"\\bcommunity\\s+\\S+.*\\b(RO|RW)\\b",
	NULL
};

static int	 config_filter_one(struct config_ctx *,
		    const config_setting_t *, struct lg_filter *);

/* One element of the list; fills f, or returns -1 leaving it empty. */
static int
config_filter_one(struct config_ctx *ctx, const config_setting_t *s,
    struct lg_filter *f)
{
	struct config_filter_in	 in = { 0 };
	const config_setting_t	*m;
	char			 err[320];
	int			 has_replace;

	if (config_group(ctx, s, filter_keys, &in) == -1)
		return -1;
	has_replace = config_setting_get_member(s, "replace") != NULL;
	if (in.action[0] == '\0')
		lg_strlcpy(in.action, has_replace ? "replace" : "",
		    sizeof(in.action));
	if (strcmp(in.action, "drop") == 0 && !has_replace)
		f->action = FILTER_DROP;
	else if (strcmp(in.action, "replace") == 0 && has_replace)
		f->action = FILTER_REPLACE;
	else {
		diag_error(ctx->diag, ctx->file,
		    config_setting_source_line(s), "%s: needs either "
		    "action = \"drop\" or a replace string", ctx->where);
		return -1;
	}
	if (regex_compile(&f->match, in.match, err, sizeof(err))
	    == -1) {
		m = config_setting_get_member(s, "match");
		config_err(ctx, m, "bad regular expression: %s", err);
		return -1;
	}
	if (f->action == FILTER_REPLACE)
		f->replacement = xstrdup(in.replace);
	return 0;
}

int
config_section_filters(struct config_ctx *ctx, const config_setting_t *s)
{
	struct lg_filter	*f;
	size_t			 n = 0;
	int			 i, len, bad = 0;

	if (config_expect(ctx, s, CONFIG_TYPE_LIST) == -1)
		return -1;
	if ((len = config_setting_length(s)) > CONFIG_FILTERS_MAX) {
		config_err(ctx, s, "too many filters (%d, at most %d)", len,
		    CONFIG_FILTERS_MAX);
		return -1;
	}
	f = xcalloc((size_t)len + 1, sizeof(*f));
	for (i = 0; i < len; i++) {
		snprintf(ctx->where, sizeof(ctx->where), "filters[%d]", i);
		if (config_filter_one(ctx, config_setting_get_elem(s,
		    (unsigned int)i), &f[n]) == -1)
			bad = 1;
		else
			n++;
	}
	ctx->conf->filters = f;
	ctx->conf->nfilters = n;
	return bad ? -1 : 0;
}

int
config_filters_default(struct config_ctx *ctx)
{
	struct lg_filter	*f;
	char			 err[320];
	size_t			 n;

	for (n = 0; config_redact[n] != NULL; n++)
		;
	f = xcalloc(n, sizeof(*f));
	for (n = 0; config_redact[n] != NULL; n++) {
		f[n].action = FILTER_DROP;
		if (regex_compile(&f[n].match, config_redact[n], err,
		    sizeof(err)) == -1)
			fatalx("%s: built-in rule %zu: %s", __func__, n, err);
	}
	ctx->conf->filters = f;
	ctx->conf->nfilters = n;
	return 0;
}

void
config_filters_free(struct lg_config *conf)
{
	size_t		 i;

	for (i = 0; i < conf->nfilters; i++) {
		regex_free(&conf->filters[i].match);
		free(conf->filters[i].replacement);
	}
	free(conf->filters);
	conf->filters = NULL;
	conf->nfilters = 0;
}
