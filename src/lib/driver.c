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
 * from being read.  This file holds the key table and the keys of the
 * session; the queries section is driver_query.c, the parse rules
 * parse_rules.c and the directory walk driver_dir.c.  The schema is
 * documented in drivers/README.md.
 */

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libconfig.h>

#include "lg.h"
#include "lg_parse.h"
#include "config_int.h"
#include "driver_int.h"

#define DRV_SETUP_MAX		16
#define DRV_ERRORS_MAX		32
#define DRV_FILTERS_MAX		64
#define DRV_PAGER_KEY_MAX	8
#define DRV_PING_COUNT_MAX	100

enum drv_kind {
	KEY_TEXT,		/* char array in the driver */
	KEY_REGEX,		/* struct lg_regex, anywhere in the buffer */
	KEY_REGEX_END,		/* struct lg_regex that must end with \z */
	KEY_CUSTOM
};

struct drv_key {
	const char	*name;
	int		 required;
	enum drv_kind	 kind;
	size_t		 off;		/* KEY_TEXT, KEY_REGEX* */
	size_t		 size;		/* KEY_TEXT */
	void		(*parse)(struct drv_load *, const config_setting_t *);
};

static int	 drv_cli_text(struct drv_load *, const config_setting_t *,
		    const char *, const char *);
static void	 drv_regex(struct drv_load *, const config_setting_t *,
		    struct lg_regex *, int);
static void	 drv_name(struct drv_load *, const config_setting_t *);
static void	 drv_enable(struct drv_load *, const config_setting_t *);
static void	 drv_setup(struct drv_load *, const config_setting_t *);
static void	 drv_pager(struct drv_load *, const config_setting_t *);
static void	 drv_errors(struct drv_load *, const config_setting_t *);
static void	 drv_keepalive(struct drv_load *, const config_setting_t *);
static void	 drv_newline(struct drv_load *, const config_setting_t *);
static void	 drv_aspath_style(struct drv_load *, const config_setting_t *);
static void	 drv_community_style(struct drv_load *,
		    const config_setting_t *);
static void	 drv_alternation(struct drv_load *, const config_setting_t *);
static void	 drv_ping_count(struct drv_load *, const config_setting_t *);
static void	 drv_filters(struct drv_load *, const config_setting_t *);
static void	 drv_parse(struct drv_load *, const config_setting_t *);
static void	 drv_parse_from(struct drv_load *, const config_setting_t *);
static int	 drv_read(const char *, config_t *, struct lg_diag *);

#define OFF(f)		offsetof(struct lg_driver, f)
#define SZ(f)		sizeof(((struct lg_driver *)0)->f)

static const struct drv_key drv_keys[] = {
	{ "name", 1, KEY_CUSTOM, 0, 0, drv_name },
	{ "vendor", 1, KEY_TEXT, OFF(vendor), SZ(vendor), NULL },
	{ "description", 0, KEY_TEXT, OFF(description), SZ(description),
	    NULL },
	{ "prompt", 1, KEY_REGEX_END, OFF(prompt), 0, NULL },
	{ "username_prompt", 0, KEY_REGEX_END, OFF(username_prompt), 0,
	    NULL },
	{ "password_prompt", 0, KEY_REGEX_END, OFF(password_prompt), 0,
	    NULL },
	{ "login_failed", 0, KEY_REGEX, OFF(login_failed), 0, NULL },
	{ "enable", 0, KEY_CUSTOM, 0, 0, drv_enable },
	{ "setup", 0, KEY_CUSTOM, 0, 0, drv_setup },
	{ "pager", 0, KEY_CUSTOM, 0, 0, drv_pager },
	{ "errors", 0, KEY_CUSTOM, 0, 0, drv_errors },
	{ "keepalive", 0, KEY_CUSTOM, 0, 0, drv_keepalive },
	{ "newline", 0, KEY_CUSTOM, 0, 0, drv_newline },
	{ "aspath_style", 0, KEY_CUSTOM, 0, 0, drv_aspath_style },
	{ "community_style", 0, KEY_CUSTOM, 0, 0, drv_community_style },
	{ "aspath_alternation", 0, KEY_CUSTOM, 0, 0, drv_alternation },
	{ "ping_count", 0, KEY_CUSTOM, 0, 0, drv_ping_count },
	{ "queries", 1, KEY_CUSTOM, 0, 0, drv_queries },
	{ "filters", 0, KEY_CUSTOM, 0, 0, drv_filters },
	{ "parse", 0, KEY_CUSTOM, 0, 0, drv_parse },
	{ "parse_from", 0, KEY_CUSTOM, 0, 0, drv_parse_from },
	{ NULL, 0, KEY_CUSTOM, 0, 0, NULL }
};

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
	diag_error(ld->diag, ld->file, line, "%s", msg);
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

/*
 * Compiles a pattern.  A pattern that waits for the router (prompt,
 * pager, login prompts) must end with \z so that it can only match at
 * the very end of the buffer: a banner line that looks like a prompt
 * and is followed by more output never ends an answer.
 */
static void
drv_regex(struct drv_load *ld, const config_setting_t *s,
    struct lg_regex *re, int at_end)
{
	const char	*src;
	char		 err[LG_ERRSTR_MAX], path[DRV_PATH_MAX];
	size_t		 len;

	if (drv_string(ld, s, &src) == -1)
		return;
	drv_path(s, path, sizeof(path));
	len = strlen(src);
	if (len == 0) {
		drv_error(ld, s, "%s: empty pattern", path);
		return;
	}
	if (at_end && (len < 2 || strcmp(src + len - 2, "\\z") != 0 ||
	    (len >= 3 && src[len - 3] == '\\'))) {
		drv_error(ld, s, "%s: pattern must end with \\z (match at the "
		    "end of the buffer only)", path);
		return;
	}
	regex_free(re);
	if (regex_compile(re, src, err, sizeof(err)) == -1)
		drv_error(ld, s, "%s: bad regex: %s", path, err);
}

static void
drv_text(struct drv_load *ld, const config_setting_t *s,
    const struct drv_key *k)
{
	const char		*str;
	const unsigned char	*p;
	char			*dst = (char *)ld->d + k->off;

	if (drv_string(ld, s, &str) == -1)
		return;
	for (p = (const unsigned char *)str; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e) {
			drv_error(ld, s, "%s: control or non-ASCII byte",
			    k->name);
			return;
		}
	if (lg_strlcpy(dst, str, k->size) >= k->size)
		drv_error(ld, s, "%s: longer than %zu bytes", k->name,
		    k->size - 1);
}

static void
drv_name(struct drv_load *ld, const config_setting_t *s)
{
	const char	*str, *base, *p;
	size_t		 len;

	if (drv_string(ld, s, &str) == -1)
		return;
	if (*str == '\0' || strlen(str) >= sizeof(ld->d->name) ||
	    strspn(str, "abcdefghijklmnopqrstuvwxyz0123456789-_.") !=
	    strlen(str)) {
		drv_error(ld, s, "name: '%s' must be 1-%zu characters of "
		    "a-z 0-9 - _ .", str, sizeof(ld->d->name) - 1);
		return;
	}
	lg_strlcpy(ld->d->name, str, sizeof(ld->d->name));
	base = (p = strrchr(ld->file, '/')) != NULL ? p + 1 : ld->file;
	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".conf") == 0)
		len -= 5;
	if (strlen(str) != len || strncmp(str, base, len) != 0)
		drv_error(ld, s, "name: '%s' differs from the file name "
		    "'%.*s'", str, (int)len, base);
}

/*
 * Sorts the members of a group into found[], in the order of names[]
 * (NULL where absent), and reports members that are not in names[].
 */
static int
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

static void
drv_enable(struct drv_load *ld, const config_setting_t *s)
{
	static const char *const names[] = { "command", "password_prompt",
	    "prompt", NULL };
	const config_setting_t	*f[3];
	const char		*cmd;

	if (drv_group(ld, s, names, f) == -1)
		return;
	if (f[0] == NULL || f[2] == NULL) {
		drv_error(ld, s, "enable: needs command and prompt");
		return;
	}
	if (drv_string(ld, f[0], &cmd) == 0 && *cmd != '\0' &&
	    drv_cli_text(ld, f[0], "enable.command", cmd) == 0)
		ld->d->enable_command = xstrdup(cmd);
	if (f[1] != NULL)
		drv_regex(ld, f[1], &ld->d->enable_password_prompt, 1);
	drv_regex(ld, f[2], &ld->d->enable_prompt, 1);
}

/* An array of strings; returns the count or -1. */
static int
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

static void
drv_setup(struct drv_load *ld, const config_setting_t *s)
{
	const config_setting_t	*e;
	const char		*cmd;
	int			 i, n;

	if ((n = drv_strings(ld, s, DRV_SETUP_MAX)) <= 0)
		return;
	ld->d->setup = xcalloc((size_t)n, sizeof(char *));
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, (unsigned int)i);
		if (drv_string(ld, e, &cmd) == -1 ||
		    drv_cli_text(ld, e, "setup", cmd) == -1)
			continue;
		if (*cmd == '\0') {
			drv_error(ld, e, "setup: empty command");
			continue;
		}
		ld->d->setup[ld->d->nsetup++] = xstrdup(cmd);
	}
}

static void
drv_pager(struct drv_load *ld, const config_setting_t *s)
{
	static const char *const names[] = { "pattern", "key", NULL };
	const config_setting_t	*f[2];
	const char		*key = " ";
	size_t			 len;

	if (drv_group(ld, s, names, f) == -1)
		return;
	if (f[0] == NULL) {
		drv_error(ld, s, "pager: needs a pattern");
		return;
	}
	drv_regex(ld, f[0], &ld->d->pager, 1);
	if (f[1] != NULL && drv_string(ld, f[1], &key) == -1)
		return;
	len = strlen(key);
	if (len == 0 || len > DRV_PAGER_KEY_MAX) {
		drv_error(ld, f[1], "pager.key: 1-%d bytes", DRV_PAGER_KEY_MAX);
		return;
	}
	ld->d->pager_key = xstrdup(key);
}

static void
drv_errors(struct drv_load *ld, const config_setting_t *s)
{
	int		 i, n;

	if ((n = drv_strings(ld, s, DRV_ERRORS_MAX)) <= 0)
		return;
	ld->d->errors = xcalloc((size_t)n, sizeof(*ld->d->errors));
	ld->d->nerrors = (size_t)n;
	for (i = 0; i < n; i++)
		drv_regex(ld, config_setting_get_elem(s, (unsigned int)i),
		    &ld->d->errors[i], 0);
}

static void
drv_keepalive(struct drv_load *ld, const config_setting_t *s)
{
	const char	*cmd;

	if (drv_string(ld, s, &cmd) == -1 || *cmd == '\0')
		return;
	if (drv_cli_text(ld, s, "keepalive", cmd) == 0)
		ld->d->keepalive = xstrdup(cmd);
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

static void
drv_newline(struct drv_load *ld, const config_setting_t *s)
{
	const char	*str;
	int		 i;

	if (drv_string(ld, s, &str) == -1)
		return;
	if ((i = drv_lookup(drv_newlines, str)) == -1)
		drv_error(ld, s, "newline: must be \"\\n\", \"\\r\\n\" or "
		    "\"\\r\"");
	else
		ld->d->newline = drv_newlines[i];
}

static void
drv_aspath_style(struct drv_load *ld, const config_setting_t *s)
{
	const char	*str;
	int		 i;

	if (drv_string(ld, s, &str) == -1)
		return;
	if ((i = drv_lookup(drv_aspath_styles, str)) == -1)
		drv_error(ld, s, "aspath_style: '%s' is not cisco, junos or "
		    "bird", str);
	else
		ld->d->aspath_style = (enum lg_aspath_style)i;
}

static void
drv_community_style(struct drv_load *ld, const config_setting_t *s)
{
	const char	*str;
	int		 i;

	if (drv_string(ld, s, &str) == -1)
		return;
	if ((i = drv_lookup(drv_community_styles, str)) == -1)
		drv_error(ld, s, "community_style: '%s' is not colon or bird",
		    str);
	else
		ld->d->community_style = (enum lg_community_style)i;
}

static void
drv_alternation(struct drv_load *ld, const config_setting_t *s)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		drv_error(ld, s, "aspath_alternation: expected true or false");
		return;
	}
	ld->d->aspath_alternation = config_setting_get_bool(s);
}

static void
drv_ping_count(struct drv_load *ld, const config_setting_t *s)
{
	int		 n;

	if (config_setting_type(s) != CONFIG_TYPE_INT) {
		drv_error(ld, s, "ping_count: expected an integer");
		return;
	}
	n = config_setting_get_int(s);
	if (n < 1 || n > DRV_PING_COUNT_MAX) {
		drv_error(ld, s, "ping_count: %d is not in 1-%d", n,
		    DRV_PING_COUNT_MAX);
		return;
	}
	ld->d->ping_count = (unsigned int)n;
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

static void
drv_filters(struct drv_load *ld, const config_setting_t *s)
{
	int		 i, n;

	if (!config_setting_is_list(s)) {
		drv_error(ld, s, "filters: expected a list ( { ... }, ... )");
		return;
	}
	if ((n = config_setting_length(s)) == 0)
		return;
	if (n > DRV_FILTERS_MAX) {
		drv_error(ld, s, "filters: more than %d", DRV_FILTERS_MAX);
		return;
	}
	ld->d->filters = xcalloc((size_t)n, sizeof(*ld->d->filters));
	ld->d->nfilters = (size_t)n;
	for (i = 0; i < n; i++)
		drv_filter(ld, config_setting_get_elem(s, (unsigned int)i),
		    &ld->d->filters[i]);
}

/* The parse rules (parse_rules.c, lorgnette-drivers(5)). */
static void
drv_parse(struct drv_load *ld, const config_setting_t *s)
{
	(void)parse_rules_load(s, ld->d, ld->file, ld->diag);
}

/*
 * The parse rules of another driver file in the same directory, for a
 * CLI that prints what that platform prints (FRR's bgpd vty and vtysh):
 * one copy of the rules, read from their own file.  Only that file's
 * parse section is taken, so rules never chain.
 */
static void
drv_parse_from(struct drv_load *ld, const config_setting_t *s)
{
	const config_setting_t	*rules;
	const char		*name, *slash;
	char			 path[LG_PATH_MAX];
	config_t		 cf;
	int			 n;

	if (drv_string(ld, s, &name) == -1)
		return;
	if (name[0] == '\0' || strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") != strlen(name)) {
		drv_error(ld, s, "parse_from: '%s' is not a driver file name",
		    name);
		return;
	}
	if (config_setting_get_member(config_setting_parent(s), "parse") !=
	    NULL) {
		drv_error(ld, s, "parse_from: this file has its own parse "
		    "section");
		return;
	}
	slash = strrchr(ld->file, '/');
	n = snprintf(path, sizeof(path), "%.*s%s.conf",
	    slash == NULL ? 0 : (int)(slash - ld->file + 1), ld->file, name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		drv_error(ld, s, "parse_from: path too long");
		return;
	}
	if (strcmp(path, ld->file) == 0) {
		drv_error(ld, s, "parse_from: names this file");
		return;
	}
	if (drv_read(path, &cf, ld->diag) == -1)
		return;
	if ((rules = config_setting_get_member(config_root_setting(&cf),
	    "parse")) == NULL)
		drv_error(ld, s, "parse_from: '%s' has no parse section",
		    name);
	else
		(void)parse_rules_load(rules, ld->d, path, ld->diag);
	config_destroy(&cf);
}

static void
drv_key(struct drv_load *ld, const struct drv_key *k,
    const config_setting_t *s)
{
	switch (k->kind) {
	case KEY_TEXT:
		drv_text(ld, s, k);
		break;
	case KEY_REGEX:
	case KEY_REGEX_END:
		drv_regex(ld, s, (struct lg_regex *)((char *)ld->d + k->off),
		    k->kind == KEY_REGEX_END);
		break;
	case KEY_CUSTOM:
		k->parse(ld, s);
		break;
	}
}

static void
drv_parse_root(struct drv_load *ld, const config_setting_t *root)
{
	const config_setting_t	*m;
	const struct drv_key	*k;
	unsigned int		 i;

	for (i = 0; (m = config_setting_get_elem(root, i)) != NULL; i++) {
		for (k = drv_keys; k->name != NULL; k++)
			if (strcmp(k->name, config_setting_name(m)) == 0)
				break;
		if (k->name == NULL)
			drv_error(ld, m, "%s: unknown key",
			    config_setting_name(m));
		else
			drv_key(ld, k, m);
	}
	for (k = drv_keys; k->name != NULL; k++)
		if (k->required && config_setting_get_member(root, k->name) ==
		    NULL)
			diag_error(ld->diag, ld->file, 0, "missing required "
			    "key '%s'", k->name);
}

/*
 * Read and pre-checked like lorgnette.conf (config_read.c): bounded size,
 * no NUL, no @include, no unclosed string, no integer that libconfig would
 * truncate.  On success the caller destroys cf.
 */
static int
drv_read(const char *path, config_t *cf, struct lg_diag *diag)
{
	char	*text;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) == -1) {
		diag_error(diag, path, 0, "cannot read: %s", strerror(errno));
		return -1;
	}
	text = config_read_fd(fd, path, diag, NULL);
	close(fd);
	if (text == NULL)
		return -1;
	config_init(cf);
	if (config_parse_into(cf, text, path, diag) == -1) {
		config_destroy(cf);
		free(text);
		return -1;
	}
	free(text);
	return 0;
}

int
driver_load_file(const char *path, struct lg_driver *d, struct lg_diag *diag)
{
	struct drv_load	 ld = { path, d, diag };
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
	drv_parse_root(&ld, config_root_setting(&cf));
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
	free(d->enable_command);
	free(d->pager_key);
	free(d->keepalive);
	config_strv_free(d->setup, d->nsetup);
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
