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
 * The configuration loader: lorgnette.conf (DESIGN.md section 11) into a
 * struct lg_config.  This file owns the entry points and the machinery
 * that walks a libconfig tree against const key tables; the tables and
 * the section-specific parsers live in config_sections.c (broker, web,
 * policy, log), config_filters.c and config_routers.c, and reading a file
 * safely into text is config_read.c.
 *
 * Every problem goes into the caller's struct lg_diag as "file:line:
 * message" and loading carries on, so one run of `lgbrokerd -n` shows all
 * of them.  Unknown keys are errors, numbers are range-checked and no type
 * is converted silently.  Nothing here logs or exits.
 */

#include <sys/types.h>

#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* The top-level sections, in the order they are applied. */
static const struct {
	const char	*name;
	int		(*parse)(struct config_ctx *,
			    const config_setting_t *);
} config_sections[] = {
	{ "log",	config_section_log },
	{ "broker",	config_section_broker },
	{ "web",	config_section_web },
	{ "policy",	config_section_policy },
	{ "filters",	config_section_filters },
	{ "routers",	config_section_routers },
	{ NULL,		NULL }
};

static int	 config_apply(struct config_ctx *, const config_setting_t *);
static int	 config_toplevel(struct config_ctx *,
		    const config_setting_t *);
static void	 config_defaults(struct lg_config *);
static int	 config_set_dir(struct lg_config *, const char *, int);
static size_t	 config_distance(const char *, const char *);
static const struct config_key *config_key_find(const struct config_key *,
		    const char *);
static void	 config_unknown_key(struct config_ctx *,
		    const config_setting_t *, const struct config_key *);
static void	 config_log_line(const char *);
static long	 config_diag_line(const char *);

/* The byte glibc fills freed memory with while a file is loaded. */
#define CONFIG_FREE_FILL	0xa5

int
config_load(const char *path, struct lg_config *conf, struct lg_diag *diag)
{
	char		*text;
	int		 fd, rc;

	memset(conf, 0, sizeof(*conf));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK))
	    == -1) {
		diag_error(diag, path, 0, "%s", strerror(errno));
		return -1;
	}
	/*
	 * Router addresses and credential names must not outlive the load
	 * in freed memory, and libconfig's scanner frees its own copies of
	 * the text unwiped: have the allocator overwrite what is freed
	 * meanwhile.
	 */
	mallopt(M_PERTURB, CONFIG_FREE_FILL);
	text = config_read_fd(fd, path, diag, NULL);
	close(fd);
	rc = -1;
	if (text != NULL) {
		rc = config_load_string(text, path, NULL, conf, diag);
		explicit_bzero(text, strlen(text));
		free(text);
	}
	mallopt(M_PERTURB, 0);
	return rc;
}

/*
 * Loads a configuration held in memory.  name is the file name used in
 * messages, dir the directory relative paths are resolved against (NULL:
 * the directory of name).  Returns 0, or -1 with every problem in diag and
 * conf left empty.
 */
int
config_load_string(const char *text, const char *name, const char *dir,
    struct lg_config *conf, struct lg_diag *diag)
{
	struct config_ctx	 ctx = { 0 };
	config_t		 cfg;
	size_t			 before = diag->nerrors;
	size_t			 nmsgs = diag->nmsgs;

	memset(conf, 0, sizeof(*conf));
	config_defaults(conf);
	lg_strlcpy(conf->path, name, sizeof(conf->path));
	if (config_set_dir(conf, dir != NULL ? dir : name, dir == NULL) == -1)
		diag_error(diag, name, 0, "directory name too long");
	ctx.file = name;
	ctx.diag = diag;
	ctx.conf = conf;
	ctx.sep = ".";

	config_init(&cfg);
	if (config_parse_into(&cfg, text, name, diag) == 0)
		config_apply(&ctx, config_root_setting(&cfg));
	config_wipe_strings(config_root_setting(&cfg));
	config_destroy(&cfg);

	if (diag->nerrors != before) {
		config_diag_sort(diag, nmsgs);
		config_free(conf);
		memset(conf, 0, sizeof(*conf));
		return -1;
	}
	return 0;
}

/*
 * Reads broker.admin_socket alone from the file at path, for a client
 * that needs nothing else: the file is read and parsed as config_load
 * does, but no section is applied, so no other key is checked and no
 * regex compiled (lgctl check does that).  Returns 0 with the path,
 * absolute against the file's directory or the default when the key is
 * absent, in out; or -1 with the problem in diag.
 */
int
config_load_admin_socket(const char *path, char *out, size_t len,
    struct lg_diag *diag)
{
	struct lg_config		 conf = { 0 };
	config_t			 cfg;
	const config_setting_t		*s;
	const char			*v;
	char				*text;
	int				 fd, line, rc = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK))
	    == -1) {
		diag_error(diag, path, 0, "%s", strerror(errno));
		return -1;
	}
	mallopt(M_PERTURB, CONFIG_FREE_FILL);
	text = config_read_fd(fd, path, diag, NULL);
	close(fd);
	config_defaults(&conf);
	config_init(&cfg);
	if (text == NULL || config_parse_into(&cfg, text, path, diag) == -1)
		;
	else if (config_set_dir(&conf, path, 1) == -1)
		diag_error(diag, path, 0, "directory name too long");
	else if ((s = config_lookup(&cfg, "broker.admin_socket")) == NULL)
		rc = lg_strlcpy(out, conf.broker.admin_socket, len) < len ?
		    0 : -1;
	else {
		line = config_setting_source_line(s);
		if ((v = config_setting_get_string(s)) == NULL || *v == '\0')
			diag_error(diag, path, line, "broker.admin_socket: "
			    "expected a path");
		else if (config_path(&conf, v, out, len) == -1)
			diag_error(diag, path, line, "broker.admin_socket: "
			    "path too long");
		else
			rc = 0;
	}
	config_wipe_strings(config_root_setting(&cfg));
	config_destroy(&cfg);
	if (text != NULL) {
		explicit_bzero(text, strlen(text));
		free(text);
	}
	mallopt(M_PERTURB, 0);
	config_free(&conf);
	return rc;
}

static int
config_apply(struct config_ctx *ctx, const config_setting_t *root)
{
	const config_setting_t	*s;
	size_t			 i;

	config_toplevel(ctx, root);
	for (i = 0; config_sections[i].name != NULL; i++) {
		lg_strlcpy(ctx->where, config_sections[i].name,
		    sizeof(ctx->where));
		ctx->sep = ".";
		s = config_setting_get_member(root, config_sections[i].name);
		if (s != NULL)
			config_sections[i].parse(ctx, s);
		else if (strcmp(config_sections[i].name, "filters") == 0)
			config_filters_default(ctx);
		else if (strcmp(config_sections[i].name, "routers") == 0)
			diag_error(ctx->diag, ctx->file, 0,
			    "no routers: add a routers = ( { ... } ) list");
	}
	return 0;
}

/* Unknown top-level names are errors like any other unknown key. */
static int
config_toplevel(struct config_ctx *ctx, const config_setting_t *root)
{
	const char		*names[16], *name;
	const config_setting_t	*s;
	char			 hint[LG_NAME_MAX + 24];
	size_t			 i, n;
	int			 j, len, bad = 0;

	for (n = 0; config_sections[n].name != NULL; n++)
		names[n] = config_sections[n].name;
	len = config_setting_length(root);
	for (j = 0; j < len; j++) {
		s = config_setting_get_elem(root, (unsigned int)j);
		name = config_setting_name(s);
		for (i = 0; i < n; i++)
			if (strcmp(names[i], name) == 0)
				break;
		if (i < n)
			continue;
		diag_error(ctx->diag, ctx->file, config_setting_source_line(s),
		    "unknown section \"%s\"%s", name,
		    config_suggest(name, names, n, hint, sizeof(hint)));
		bad = 1;
	}
	return bad ? -1 : 0;
}

static void
config_defaults(struct lg_config *conf)
{
	config_sections_defaults(conf);
}

/*
 * The directory relative paths are resolved against: path itself, or the
 * directory of the file path names.  Made absolute so that a daemon's
 * later chdir cannot move it.
 */
static int
config_set_dir(struct lg_config *conf, const char *path, int isfile)
{
	char		 dir[LG_PATH_MAX], real[PATH_MAX], *slash;

	if (lg_strlcpy(dir, path, sizeof(dir)) >= sizeof(dir))
		return -1;
	if (isfile) {
		if ((slash = strrchr(dir, '/')) == NULL)
			lg_strlcpy(dir, ".", sizeof(dir));
		else if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
	}
	if (realpath(dir, real) != NULL)
		lg_strlcpy(dir, real, sizeof(dir));
	if (lg_strlcpy(conf->dir, dir, sizeof(conf->dir)) >= sizeof(conf->dir))
		return -1;
	return 0;
}

int
config_path(const struct lg_config *conf, const char *in, char *out,
    size_t outsz)
{
	int		 n;

	if (in[0] == '/' || in[0] == '\0' || conf->dir[0] == '\0')
		n = snprintf(out, outsz, "%s", in);
	else if (strcmp(conf->dir, "/") == 0)
		n = snprintf(out, outsz, "/%s", in);
	else
		n = snprintf(out, outsz, "%s/%s", conf->dir, in);
	if (n < 0 || (size_t)n >= outsz)
		return -1;
	return 0;
}

/*
 * The config file's path made absolute against the working directory, at
 * start: a reload reads it again after daemon(3) moved to "/" and under a
 * sandbox that refuses getcwd.  Returns 0, or -1 if it does not fit or
 * the working directory is unknown.
 */
int
config_abspath(const char *in, char *out, size_t outsz)
{
	char	 cwd[PATH_MAX];
	int	 n;

	if (in[0] == '/')
		n = snprintf(out, outsz, "%s", in);
	else if (getcwd(cwd, sizeof(cwd)) == NULL)
		return -1;
	else
		n = snprintf(out, outsz, "%s%s%s", cwd, strcmp(cwd, "/") == 0 ?
		    "" : "/", in);
	if (n < 0 || (size_t)n >= outsz)
		return -1;
	return 0;
}

const struct lg_router *
config_router(const struct lg_config *conf, const char *name)
{
	size_t		 i;

	for (i = 0; i < conf->nrouters; i++)
		if (strcmp(conf->routers[i].name, name) == 0)
			return &conf->routers[i];
	return NULL;
}

/*
 * Wipes what only the broker may know of each router: its address, port,
 * credential name and source addresses.  lgwebd calls this right after
 * loading, keeping the names, locations and query lists it validates
 * requests against.
 */
void
config_forget_router_access(struct lg_config *conf)
{
	size_t		 i;

	for (i = 0; i < conf->nrouters; i++) {
		struct lg_router *r = &conf->routers[i];

		explicit_bzero(r->host, sizeof(r->host));
		explicit_bzero(r->credential, sizeof(r->credential));
		explicit_bzero(r->source4, sizeof(r->source4));
		explicit_bzero(r->source6, sizeof(r->source6));
		r->port = 0;
	}
}

void
config_free(struct lg_config *conf)
{
	config_sections_free(conf);
	config_filters_free(conf);
	free(conf->routers);
	conf->routers = NULL;
	conf->nrouters = 0;
}

/* The line number of a "file:line: message" diagnostic, 0 if none. */
static long
config_diag_line(const char *msg)
{
	const char	*p;
	char		*end;
	long		 line;

	/* File names may hold colons: the line is the last ":N:" field. */
	for (p = strchr(msg, ':'); p != NULL; p = strchr(p + 1, ':')) {
		line = strtol(p + 1, &end, 10);
		if (end != p + 1 && *end == ':' && line > 0)
			return line;
	}
	return 0;
}

/*
 * Sections are checked in dependency order, not file order: sort the
 * diagnostics a load added (from index from on) by line, stably, so that
 * they read from the top of the file down.
 */
void
config_diag_sort(struct lg_diag *diag, size_t from)
{
	char		*m;
	size_t		 i, j;

	for (i = from + 1; i < diag->nmsgs; i++) {
		m = diag->msgs[i];
		for (j = i; j > from && config_diag_line(diag->msgs[j - 1]) >
		    config_diag_line(m); j--)
			diag->msgs[j] = diag->msgs[j - 1];
		diag->msgs[j] = m;
	}
}

static void
config_log_line(const char *line)
{
	log_warnx("%s", line);
}

/* For the daemons: every diagnostic through the log (stderr with -d/-n). */
void
config_log_diag(const struct lg_diag *diag)
{
	diag_print(diag, config_log_line);
}

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
	    "unknown key \"%s\" in %s%s", config_setting_name(s), ctx->where,
	    config_suggest(config_setting_name(s), names, n, hint,
	    sizeof(hint)));
}

/*
 * Walks a group against a key table, storing into base.  Every member is
 * looked at even after an error.  Returns 0, or -1 if anything was wrong.
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
			    "%s: missing required key \"%s\"", ctx->where,
			    k->name);
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
