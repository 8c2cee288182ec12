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
 * struct lg_config.  This file owns the entry points, the top-level
 * sections and the paths; walking a libconfig tree against const key
 * tables is config_keys.c, the tables and the section-specific parsers
 * live in config_sections.c (broker, web, policy, log), config_filters.c
 * and config_routers.c, and reading a file safely into text is
 * config_read.c.
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
	{ "asn_names",	config_section_asn_names },
	{ "communities", config_section_communities },
	{ "rpki",	config_section_rpki },
	{ NULL,		NULL }
};

static int	 config_apply(struct config_ctx *, const config_setting_t *);
static int	 config_toplevel(struct config_ctx *,
		    const config_setting_t *);
static int	 config_set_dir(struct lg_config *, const char *, int);
static int	 config_dir_of(const char *, int, char *, size_t);
static int	 config_path_in(const char *, const char *, char *, size_t);
static long	 config_diag_line(const char *);

/* The byte glibc fills freed memory with while a file is loaded. */
#define CONFIG_FREE_FILL	0xa5

/*
 * The text of the file at path, read as every load reads it, with the
 * allocator overwriting what is freed until config_text_free: router
 * addresses and credential names must not outlive the load in freed
 * memory, and libconfig's scanner frees its own copies of the text
 * unwiped.  NULL with the problem in diag.
 */
static char *
config_text_read(const char *path, struct lg_diag *diag)
{
	char		*text;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK))
	    == -1) {
		diag_error(diag, path, 0, "%s", strerror(errno));
		return NULL;
	}
	mallopt(M_PERTURB, CONFIG_FREE_FILL);
	text = config_read_fd(fd, path, diag, NULL);
	close(fd);
	if (text == NULL)
		mallopt(M_PERTURB, 0);
	return text;
}

static void
config_text_free(char *text)
{
	explicit_bzero(text, strlen(text));
	free(text);
	mallopt(M_PERTURB, 0);
}

int
config_load(const char *path, struct lg_config *conf, struct lg_diag *diag)
{
	char		*text;
	int		 rc;

	memset(conf, 0, sizeof(*conf));
	if ((text = config_text_read(path, diag)) == NULL)
		return -1;
	rc = config_load_string(text, path, NULL, conf, diag);
	config_text_free(text);
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
 * does and the key checked by the loader's own parser, but no section is
 * applied, so no other key is checked and no regex compiled (lgctl check
 * does that), and no struct lg_config is built: its defaults (policy
 * prefixes, every section) were most of what this cost lgctl.  Returns 0
 * with the path, absolute against the file's directory or the default
 * when the key is absent, in out; or -1 with the problem in diag.
 */
int
config_load_admin_socket(const char *path, char *out, size_t len,
    struct lg_diag *diag)
{
	static const struct config_key	 key = { .name = "admin_socket",
					    .parse = config_parse_str,
					    .size = LG_PATH_MAX };
	struct config_ctx		 ctx = { .file = path, .diag = diag,
					    .where = "broker", .sep = "." };
	config_t			 cfg;
	const config_setting_t		*s = NULL;
	char				 dir[LG_PATH_MAX] = "", raw[LG_PATH_MAX];
	char				 sock[LG_PATH_MAX];
	char				*text;
	int				 rc = -1;

	if ((text = config_text_read(path, diag)) == NULL)
		return -1;
	lg_strlcpy(raw, CONFIG_ADMIN_SOCKET, sizeof(raw));
	config_init(&cfg);
	if (config_parse_into(&cfg, text, path, diag) == -1)
		;
	else if ((s = config_lookup(&cfg, "broker.admin_socket")) != NULL &&
	    config_parse_str(&ctx, &key, s, raw) == -1)
		;
	/* realpath(3) of the file's directory only for a relative path. */
	else if (raw[0] != '/' && raw[0] != '\0' &&
	    config_dir_of(path, 1, dir, sizeof(dir)) == -1)
		diag_error(diag, path, 0, "directory name too long");
	else if (config_path_in(dir, raw, sock, sizeof(sock)) == -1)
		config_err(&ctx, s, "path too long");
	else if (sock[0] == '\0')
		diag_error(diag, path, s != NULL ?
		    (int)config_setting_source_line(s) : 0,
		    "broker.admin_socket: empty: the broker opens no admin "
		    "socket");
	else if (lg_strlcpy(out, sock, len) >= len)
		diag_error(diag, path, 0, "broker.admin_socket: path too long");
	else
		rc = 0;
	config_wipe_strings(config_root_setting(&cfg));
	config_destroy(&cfg);
	config_text_free(text);
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

/*
 * Every default of lorgnette.conf, the one source of them: the loader
 * starts from here, and so do tests that build a configuration in C.
 * Allocates (listen, policy): release with config_free.
 */
void
config_defaults(struct lg_config *conf)
{
	config_sections_defaults(conf);
	config_facts_defaults(conf);
}

/*
 * The directory relative paths are resolved against: path itself, or the
 * directory of the file path names, into dir.  Made absolute so that a
 * daemon's later chdir cannot move it.  Returns 0, or -1 if it does not
 * fit.
 */
static int
config_dir_of(const char *path, int isfile, char *out, size_t outsz)
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
	if (lg_strlcpy(out, dir, outsz) >= outsz)
		return -1;
	return 0;
}

static int
config_set_dir(struct lg_config *conf, const char *path, int isfile)
{
	return config_dir_of(path, isfile, conf->dir, sizeof(conf->dir));
}

/* in, resolved against dir (empty: as it is); 0, or -1 if too long. */
static int
config_path_in(const char *dir, const char *in, char *out, size_t outsz)
{
	int		 n;

	if (in[0] == '/' || in[0] == '\0' || dir[0] == '\0')
		n = snprintf(out, outsz, "%s", in);
	else if (strcmp(dir, "/") == 0)
		n = snprintf(out, outsz, "/%s", in);
	else
		n = snprintf(out, outsz, "%s/%s", dir, in);
	if (n < 0 || (size_t)n >= outsz)
		return -1;
	return 0;
}

int
config_path(const struct lg_config *conf, const char *in, char *out,
    size_t outsz)
{
	return config_path_in(conf->dir, in, out, outsz);
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
	config_facts_free(conf);
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

