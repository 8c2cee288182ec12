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
 * The driver table loader (DESIGN.md section 3): one libconfig file per
 * platform in the drivers directory, read by lgbrokerd at start and on
 * reload and by lgctl check.  Every key is type-checked, unknown keys are
 * errors, every regex is compiled with pcre2 and every command template
 * is checked by render.c, so that a table that loads can only produce
 * commands render will accept.  Problems are collected in a struct
 * lg_diag as "file:line: message"; a broken file never stops the others
 * from being read.  This file holds the key table, walked by
 * config_keys.c's config_group() like lorgnette.conf, and the keys of
 * the session; the queries section is driver_query.c, the parse rules
 * parse_rules.c, and the directory walk, the reading of a file and
 * parse_from driver_dir.c.  The schema is documented in
 * drivers/README.md.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libconfig.h>

#include "lg.h"
#include "lg_parse.h"
#include "config_int.h"
#include "driver_int.h"

#define DRV_SETUP_MAX		16
#define DRV_ERRORS_MAX		32
#define DRV_FILTERS_MAX		64
#define DRV_PAGER_KEY_MAX	8

static int	 drv_cli_text(struct drv_load *, const config_setting_t *,
		    const char *, const char *);
static CONFIG_PARSER(drv_text);
static CONFIG_PARSER(drv_regex_end);
static CONFIG_PARSER(drv_regex_any);
static CONFIG_PARSER(drv_name);
static CONFIG_PARSER(drv_enable);
static CONFIG_PARSER(drv_setup);
static CONFIG_PARSER(drv_pager);
static CONFIG_PARSER(drv_errors);
static CONFIG_PARSER(drv_keepalive);
static CONFIG_PARSER(drv_newline);
static CONFIG_PARSER(drv_style);
static CONFIG_PARSER(drv_alternation);
static CONFIG_PARSER(drv_ping_count);
static CONFIG_PARSER(drv_filters);
static CONFIG_PARSER(drv_parse);

/*
 * K: a key stored in one member of the driver, whose parser gets that
 * member; W: a key that fills several, whose parser gets the driver.
 */
#define K(key, fn, member)	CONFIG_KEY(struct lg_driver, key, fn, member)
#define W(key, fn)		.name = (key), .parse = (fn)

/* The top level of a driver file, walked by config_group(). */
static const struct config_key drv_keys[] = {
	{ K("name", drv_name, name), .required = 1 },
	{ K("vendor", drv_text, vendor), .required = 1 },
	{ K("description", drv_text, description) },
	{ K("prompt", drv_regex_end, prompt) },	/* unless argv */
	{ K("username_prompt", drv_regex_end, username_prompt) },
	{ K("password_prompt", drv_regex_end, password_prompt) },
	{ K("login_failed", drv_regex_any, login_failed) },
	{ W("enable", drv_enable) },
	{ W("setup", drv_setup) },
	{ W("pager", drv_pager) },
	{ W("errors", drv_errors) },
	{ K("keepalive", drv_keepalive, keepalive) },
	{ K("newline", drv_newline, newline) },
	{ K("aspath_style", drv_style, aspath_style) },
	{ K("community_style", drv_style, community_style) },
	{ K("aspath_alternation", drv_alternation, aspath_alternation) },
	{ K("ping_count", drv_ping_count, ping_count) },
	{ W("interrupt", drv_interrupt) },
	{ K("argv", drv_argv, argv) },
	{ W("local", drv_local) },
	{ K("probes", drv_probes, probes) },
	{ W("helpers", drv_helpers) },
	{ W("queries", drv_queries), .required = 1 },
	{ W("filters", drv_filters) },
	{ W("parse", drv_parse) },
	{ W("parse_from", drv_parse_from) },
	{ .name = NULL }
};

/* Styles are stored by drv_style() as the int index of their word. */
_Static_assert(sizeof(enum lg_aspath_style) == sizeof(int) &&
    sizeof(enum lg_community_style) == sizeof(int), "style enums are ints");

static const char *const drv_aspath_styles[] = {
	[ASPATH_CISCO] = "cisco",
	[ASPATH_JUNOS] = "junos",
	[ASPATH_BIRD] = "bird",
	NULL
};

static const char *const drv_community_styles[] = {
	[COMMUNITY_COLON] = "colon",
	[COMMUNITY_BIRD] = "bird",
	NULL
};

/* The line endings a driver may ask for; newline points into this. */
static const char *const drv_newlines[] = { "\n", "\r\n", "\r", NULL };

void
drv_error(struct drv_load *ld, const config_setting_t *s, const char *fmt,
    ...)
{
	char		 msg[DRV_MSG_MAX];
	va_list		 ap;
	int		 line = 0;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (s != NULL)
		line = (int)config_setting_source_line(s);
	diag_error(ld->ctx.diag, ld->ctx.file, line, "%s", msg);
}

/* The dotted path of a setting inside the file, for messages. */
const char *
drv_path(const config_setting_t *s, char *buf, size_t size)
{
	const char	*name, *sep;
	char		 tmp[DRV_PATH_MAX];

	buf[0] = '\0';
	for (; s != NULL && !config_setting_is_root(s); s = s->parent) {
		name = config_setting_name(s);
		sep = buf[0] != '\0' && buf[0] != '[' ? "." : "";
		if (name == NULL)
			snprintf(tmp, sizeof(tmp), "[%u]%s",
			    (unsigned int)config_setting_index(s), sep);
		else
			snprintf(tmp, sizeof(tmp), "%s%s", name, sep);
		lg_strlcat(tmp, buf, sizeof(tmp));
		lg_strlcpy(buf, tmp, size);
	}
	return buf;
}

int
drv_string(struct drv_load *ld, const config_setting_t *s, const char **str)
{
	char		 path[DRV_PATH_MAX];

	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		drv_error(ld, s, "%s: expected a string",
		    drv_path(s, path, sizeof(path)));
		return -1;
	}
	*str = config_setting_get_string(s);
	return 0;
}

/*
 * Text typed into the router outside a template (setup, enable,
 * keepalive): printable ASCII without the bytes a CLI reads as a pipe,
 * a command separator or a help request.
 */
static int
drv_cli_text(struct drv_load *ld, const config_setting_t *s,
    const char *what, const char *text)
{
	const unsigned char	*p;

	if (strlen(text) >= LG_COMMAND_MAX) {
		drv_error(ld, s, "%s: longer than %d bytes", what,
		    LG_COMMAND_MAX - 1);
		return -1;
	}
	for (p = (const unsigned char *)text; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e || strchr(";|?", *p) != NULL) {
			drv_error(ld, s, "%s: byte 0x%02x is not allowed in a "
			    "command", what, *p);
			return -1;
		}
	return 0;
}

/* 0 if no error was reported since before, else -1. */
int
drv_since(const struct config_ctx *ctx, size_t before)
{
	return ctx->diag->nerrors == before ? 0 : -1;
}

/*
 * Compiles a pattern.  A pattern that waits for the router (prompt,
 * pager, login prompts) must end with \z so that it can only match at
 * the very end of the buffer: a banner line that looks like a prompt
 * and is followed by more output never ends an answer.
 */
int
drv_regex(struct drv_load *ld, const config_setting_t *s,
    struct lg_regex *re, int at_end)
{
	const char	*src;
	char		 err[LG_ERRSTR_MAX], path[DRV_PATH_MAX];
	size_t		 len;

	if (drv_string(ld, s, &src) == -1)
		return -1;
	drv_path(s, path, sizeof(path));
	len = strlen(src);
	if (len == 0) {
		drv_error(ld, s, "%s: empty pattern", path);
		return -1;
	}
	if (at_end && (len < 2 || strcmp(src + len - 2, "\\z") != 0 ||
	    (len >= 3 && src[len - 3] == '\\'))) {
		drv_error(ld, s, "%s: pattern must end with \\z (match at the "
		    "end of the buffer only)", path);
		return -1;
	}
	regex_free(re);
	if (regex_compile(re, src, err, sizeof(err)) == -1) {
		drv_error(ld, s, "%s: bad regex: %s", path, err);
		return -1;
	}
	return 0;
}

/* A pattern anchored at the end of the buffer (prompts). */
static int
drv_regex_end(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	(void)k;
	return drv_regex(drv_load(ctx), s, dst, 1);
}

/* A pattern that may match anywhere (login_failed). */
static int
drv_regex_any(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	(void)k;
	return drv_regex(drv_load(ctx), s, dst, 0);
}

/* Printable ASCII into a char array of k->size bytes. */
static int
drv_text(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct drv_load		*ld = drv_load(ctx);
	const char		*str;
	const unsigned char	*p;

	if (drv_string(ld, s, &str) == -1)
		return -1;
	for (p = (const unsigned char *)str; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e) {
			drv_error(ld, s, "%s: control or non-ASCII byte",
			    k->name);
			return -1;
		}
	if (lg_strlcpy(dst, str, k->size) >= k->size) {
		drv_error(ld, s, "%s: longer than %zu bytes", k->name,
		    k->size - 1);
		return -1;
	}
	return 0;
}

static int
drv_name(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct drv_load	*ld = drv_load(ctx);
	const char	*str, *base, *p;
	size_t		 len;

	if (drv_string(ld, s, &str) == -1)
		return -1;
	if (*str == '\0' || strlen(str) >= k->size ||
	    strspn(str, "abcdefghijklmnopqrstuvwxyz0123456789-_.") !=
	    strlen(str)) {
		drv_error(ld, s, "name: '%s' must be 1-%zu characters of "
		    "a-z 0-9 - _ .", str, k->size - 1);
		return -1;
	}
	lg_strlcpy(dst, str, k->size);
	base = (p = strrchr(ctx->file, '/')) != NULL ? p + 1 : ctx->file;
	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".conf") == 0)
		len -= 5;
	if (strlen(str) != len || strncmp(str, base, len) != 0) {
		drv_error(ld, s, "name: '%s' differs from the file name "
		    "'%.*s'", str, (int)len, base);
		return -1;
	}
	return 0;
}

/*
 * Sorts the members of a sub-group (enable, pager, a filter) into
 * found[], in the order of names[] (NULL where absent), and reports
 * members that are not in names[].
 */
int
drv_group(struct drv_load *ld, const config_setting_t *s,
    const char *const *names, const config_setting_t **found)
{
	const config_setting_t	*m;
	char			 path[DRV_PATH_MAX];
	unsigned int		 i, j;

	if (!config_setting_is_group(s)) {
		drv_error(ld, s, "%s: expected a group { ... }",
		    drv_path(s, path, sizeof(path)));
		return -1;
	}
	for (j = 0; names[j] != NULL; j++)
		found[j] = NULL;
	for (i = 0; (m = config_setting_get_elem(s, i)) != NULL; i++) {
		for (j = 0; names[j] != NULL; j++)
			if (strcmp(names[j], config_setting_name(m)) == 0)
				break;
		if (names[j] == NULL)
			drv_error(ld, m, "%s: unknown key",
			    drv_path(m, path, sizeof(path)));
		else
			found[j] = m;
	}
	return 0;
}

static int
drv_enable(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	static const char *const names[] = { "command", "password_prompt",
	    "prompt", NULL };
	struct drv_load		*ld = drv_load(ctx);
	struct lg_driver	*d = dst;
	const config_setting_t	*f[3];
	const char		*cmd;
	size_t			 before = ctx->diag->nerrors;

	(void)k;
	if (drv_group(ld, s, names, f) == -1)
		return -1;
	if (f[0] == NULL || f[2] == NULL) {
		drv_error(ld, s, "enable: needs command and prompt");
		return -1;
	}
	if (drv_string(ld, f[0], &cmd) == 0 && *cmd != '\0' &&
	    drv_cli_text(ld, f[0], "enable.command", cmd) == 0)
		d->enable_command = xstrdup(cmd);
	if (f[1] != NULL)
		drv_regex(ld, f[1], &d->enable_password_prompt, 1);
	drv_regex(ld, f[2], &d->enable_prompt, 1);
	return drv_since(ctx, before);
}

/* An array of strings; returns the count or -1. */
int
drv_strings(struct drv_load *ld, const config_setting_t *s, int max)
{
	char		 path[DRV_PATH_MAX];
	int		 n;

	drv_path(s, path, sizeof(path));
	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		drv_error(ld, s, "%s: expected a list of strings", path);
		return -1;
	}
	n = config_setting_length(s);
	if (n > max) {
		drv_error(ld, s, "%s: more than %d entries", path, max);
		return -1;
	}
	return n;
}

static int
drv_setup(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct drv_load		*ld = drv_load(ctx);
	struct lg_driver	*d = dst;
	const config_setting_t	*e;
	const char		*cmd;
	int			 i, n;
	size_t			 before = ctx->diag->nerrors;

	(void)k;
	if ((n = drv_strings(ld, s, DRV_SETUP_MAX)) <= 0)
		return n;
	d->setup = xcalloc((size_t)n, sizeof(char *));
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, (unsigned int)i);
		if (drv_string(ld, e, &cmd) == -1 ||
		    drv_cli_text(ld, e, "setup", cmd) == -1)
			continue;
		if (*cmd == '\0') {
			drv_error(ld, e, "setup: empty command");
			continue;
		}
		d->setup[d->nsetup++] = xstrdup(cmd);
	}
	return drv_since(ctx, before);
}

static int
drv_pager(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	static const char *const names[] = { "pattern", "key", NULL };
	struct drv_load		*ld = drv_load(ctx);
	struct lg_driver	*d = dst;
	const config_setting_t	*f[2];
	const char		*key = " ";
	size_t			 len;

	(void)k;
	if (drv_group(ld, s, names, f) == -1)
		return -1;
	if (f[0] == NULL) {
		drv_error(ld, s, "pager: needs a pattern");
		return -1;
	}
	if (drv_regex(ld, f[0], &d->pager, 1) == -1)
		return -1;
	if (f[1] != NULL && drv_string(ld, f[1], &key) == -1)
		return -1;
	len = strlen(key);
	if (len == 0 || len > DRV_PAGER_KEY_MAX) {
		drv_error(ld, f[1], "pager.key: 1-%d bytes", DRV_PAGER_KEY_MAX);
		return -1;
	}
	d->pager_key = xstrdup(key);
	return 0;
}

static int
drv_errors(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct drv_load		*ld = drv_load(ctx);
	struct lg_driver	*d = dst;
	int			 i, n;
	size_t			 before = ctx->diag->nerrors;

	(void)k;
	if ((n = drv_strings(ld, s, DRV_ERRORS_MAX)) <= 0)
		return n;
	d->errors = xcalloc((size_t)n, sizeof(*d->errors));
	d->nerrors = (size_t)n;
	for (i = 0; i < n; i++)
		drv_regex(ld, config_setting_get_elem(s, (unsigned int)i),
		    &d->errors[i], 0);
	return drv_since(ctx, before);
}

static int
drv_keepalive(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct drv_load	*ld = drv_load(ctx);
	const char	*cmd;
	char		**keepalive = dst;

	(void)k;
	if (drv_string(ld, s, &cmd) == -1)
		return -1;
	if (*cmd == '\0')
		return 0;
	if (drv_cli_text(ld, s, "keepalive", cmd) == -1)
		return -1;
	*keepalive = xstrdup(cmd);
	return 0;
}

/* Finds str in a NULL-terminated table; the index or -1. */
int
drv_lookup(const char *const *table, const char *str)
{
	int		 i;

	for (i = 0; table[i] != NULL; i++)
		if (strcmp(table[i], str) == 0)
			return i;
	return -1;
}

static int
drv_newline(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct drv_load	*ld = drv_load(ctx);
	const char	*str, **newline = dst;
	int		 i;

	(void)k;
	if (drv_string(ld, s, &str) == -1)
		return -1;
	if ((i = drv_lookup(drv_newlines, str)) == -1) {
		drv_error(ld, s, "newline: must be \"\\n\", \"\\r\\n\" or "
		    "\"\\r\"");
		return -1;
	}
	*newline = drv_newlines[i];
	return 0;
}

/* The words of a style key, in the order of its enum. */
static const char *const *
drv_style_words(const char *key)
{
	static const struct {
		const char		*key;
		const char *const	*words;
	} styles[] = {
		{ "aspath_style", drv_aspath_styles },
		{ "community_style", drv_community_styles },
		{ NULL, NULL }
	};
	size_t		 i;

	for (i = 0; styles[i].key != NULL; i++)
		if (strcmp(styles[i].key, key) == 0)
			break;
	return styles[i].words;
}

/* The words of a table as "a, b or c" in buf. */
static const char *
drv_or(const char *const *words, char *buf, size_t len)
{
	size_t		 i;

	buf[0] = '\0';
	for (i = 0; words[i] != NULL; i++) {
		if (i > 0)
			lg_strlcat(buf, words[i + 1] == NULL ? " or " : ", ",
			    len);
		lg_strlcat(buf, words[i], len);
	}
	return buf;
}

/* A style word (aspath_style, community_style), stored as its enum. */
static int
drv_style(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct drv_load		*ld = drv_load(ctx);
	const char *const	*words = drv_style_words(k->name);
	const char		*str;
	char			 list[DRV_MSG_MAX / 2];
	int			 i;

	if (drv_string(ld, s, &str) == -1)
		return -1;
	if ((i = drv_lookup(words, str)) == -1) {
		drv_error(ld, s, "%s: '%s' is not %s", k->name, str,
		    drv_or(words, list, sizeof(list)));
		return -1;
	}
	memcpy(dst, &i, sizeof(i));
	return 0;
}

static int
drv_alternation(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	int		*on = dst;

	(void)k;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		drv_error(drv_load(ctx), s, "aspath_alternation: expected "
		    "true or false");
		return -1;
	}
	*on = config_setting_get_bool(s);
	return 0;
}

static int
drv_ping_count(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	(void)k;
	return drv_int_range(drv_load(ctx), s, 1, DRV_PING_COUNT_MAX, dst);
}

static void
drv_filter(struct drv_load *ld, const config_setting_t *s,
    struct lg_filter *f)
{
	static const char *const names[] = { "match", "action", "replace",
	    NULL };
	const config_setting_t	*k[3];
	const char		*action = NULL, *repl = NULL;

	if (drv_group(ld, s, names, k) == -1)
		return;
	if (k[0] == NULL) {
		drv_error(ld, s, "filters: needs match");
		return;
	}
	drv_regex(ld, k[0], &f->match, 0);
	if (k[1] != NULL && drv_string(ld, k[1], &action) == -1)
		return;
	if (k[2] != NULL && drv_string(ld, k[2], &repl) == -1)
		return;
	if (action == NULL)
		action = repl != NULL ? "replace" : "drop";
	if (strcmp(action, "drop") == 0 && repl == NULL)
		f->action = FILTER_DROP;
	else if (strcmp(action, "replace") == 0 && repl != NULL) {
		f->action = FILTER_REPLACE;
		f->replacement = xstrdup(repl);
	} else
		drv_error(ld, s, "filters: action must be \"drop\" (no "
		    "replace) or \"replace\" (with replace)");
}

static int
drv_filters(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct drv_load		*ld = drv_load(ctx);
	struct lg_driver	*d = dst;
	int			 i, n;
	size_t			 before = ctx->diag->nerrors;

	(void)k;
	if (!config_setting_is_list(s)) {
		drv_error(ld, s, "filters: expected a list ( { ... }, ... )");
		return -1;
	}
	if ((n = config_setting_length(s)) == 0)
		return 0;
	if (n > DRV_FILTERS_MAX) {
		drv_error(ld, s, "filters: more than %d", DRV_FILTERS_MAX);
		return -1;
	}
	d->filters = xcalloc((size_t)n, sizeof(*d->filters));
	d->nfilters = (size_t)n;
	for (i = 0; i < n; i++)
		drv_filter(ld, config_setting_get_elem(s, (unsigned int)i),
		    &d->filters[i]);
	return drv_since(ctx, before);
}

/* The parse rules (parse_rules.c, lorgnette-drivers(5)). */
static int
drv_parse(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	(void)k;
	return parse_rules_load(s, dst, ctx->file, ctx->diag);
}

int
driver_load_file(const char *path, struct lg_driver *d, struct lg_diag *diag)
{
	struct drv_load	 ld = { .ctx = { .file = path, .diag = diag }, .d = d };
	config_t	 cf;
	size_t		 before = diag->nerrors;

	memset(d, 0, sizeof(*d));
	d->ping_count = 5;
	d->newline = drv_newlines[0];
	if (lg_strlcpy(d->file, path, sizeof(d->file)) >= sizeof(d->file)) {
		diag_error(diag, path, 0, "path too long");
		return -1;
	}
	if (drv_read(path, &cf, diag) == -1)
		return -1;
	(void)config_group(&ld.ctx, config_root_setting(&cf), drv_keys, d);
	config_destroy(&cf);
	drv_finish(&ld);
	if (diag->nerrors != before) {
		driver_free(d);
		return -1;
	}
	return 0;
}

void
driver_free(struct lg_driver *d)
{
	struct lg_driver_query	*dq;
	size_t			 i, a, k;

	regex_free(&d->prompt);
	regex_free(&d->username_prompt);
	regex_free(&d->password_prompt);
	regex_free(&d->login_failed);
	regex_free(&d->enable_password_prompt);
	regex_free(&d->enable_prompt);
	regex_free(&d->pager);
	regex_free(&d->intr_match);
	free(d->enable_command);
	free(d->pager_key);
	free(d->keepalive);
	config_strv_free(d->setup, d->nsetup);
	config_strv_free(d->local, d->nlocal);
	config_strv_free(d->helpers, d->nhelpers);
	for (i = 0; i < d->nerrors; i++)
		regex_free(&d->errors[i]);
	free(d->errors);
	for (i = 0; i < d->nfilters; i++) {
		regex_free(&d->filters[i].match);
		free(d->filters[i].replacement);
	}
	free(d->filters);
	for (i = 0; i < Q_COUNT; i++) {
		dq = &d->queries[i];
		for (a = 0; a < 3; a++) {
			free(dq->tmpl[a]);
			free(dq->tmpl_large[a]);
			for (k = 0; k < LG_TMPL_ALTS - 1; k++) {
				free(dq->alt[a][k]);
				free(dq->alt_large[a][k]);
			}
		}
		parse_rules_free(d->parse[i]);
	}
	memset(d, 0, sizeof(*d));
}
