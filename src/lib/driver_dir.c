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
 * The drivers directory: every *.conf file in it loaded by driver.c, in
 * name order, into the list lgbrokerd and lgctl look drivers up in.  A
 * file that does not load is reported and left out; the others load.
 * Also the files themselves: reading one (drv_read) and taking the parse
 * rules of a sibling (the parse_from key of driver.c's table).
 */

#include <dirent.h>
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

/*
 * The path of the driver file parse_from names, beside this one, in
 * path; 0, or -1 after reporting the problem.
 */
static int
drv_sibling(struct drv_load *ld, const config_setting_t *s,
    const char *name, char *path, size_t size)
{
	const char	*file = ld->ctx.file, *slash;
	int		 n;

	if (name[0] == '\0' || strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "0123456789-_") != strlen(name)) {
		drv_error(ld, s, "parse_from: '%s' is not a driver file name",
		    name);
		return -1;
	}
	slash = strrchr(file, '/');
	n = snprintf(path, size, "%.*s%s.conf",
	    slash == NULL ? 0 : (int)(slash - file + 1), file, name);
	if (n < 0 || (size_t)n >= size) {
		drv_error(ld, s, "parse_from: path too long");
		return -1;
	}
	if (strcmp(path, file) == 0) {
		drv_error(ld, s, "parse_from: names this file");
		return -1;
	}
	return 0;
}

/*
 * The parse rules of another driver file in the same directory, for a
 * CLI that prints what that platform prints (FRR's bgpd vty and vtysh):
 * one copy of the rules, read from their own file.  Only that file's
 * parse section is taken, so rules never chain.
 */
int
drv_parse_from(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct drv_load		*ld = drv_load(ctx);
	const config_setting_t	*rules;
	const char		*name;
	char			 path[LG_PATH_MAX];
	config_t		 cf;
	int			 rc = -1;

	(void)k;
	if (drv_string(ld, s, &name) == -1)
		return -1;
	if (config_setting_get_member(config_setting_parent(s), "parse") !=
	    NULL) {
		drv_error(ld, s, "parse_from: this file has its own parse "
		    "section");
		return -1;
	}
	if (drv_sibling(ld, s, name, path, sizeof(path)) == -1 ||
	    drv_read(path, &cf, ctx->diag) == -1)
		return -1;
	if ((rules = config_setting_get_member(config_root_setting(&cf),
	    "parse")) == NULL)
		drv_error(ld, s, "parse_from: '%s' has no parse section",
		    name);
	else
		rc = parse_rules_load(rules, dst, path, ctx->diag);
	config_destroy(&cf);
	return rc;
}

/*
 * Read and pre-checked like lorgnette.conf (config_read.c): bounded size,
 * no NUL, no @include, no unclosed string, no integer that libconfig would
 * truncate.  On success the caller destroys cf.
 */
int
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

static int
drv_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names of the *.conf files of dir; the count or -1. */
static int
drv_scan(const char *dir, char ***names, struct lg_diag *diag)
{
	DIR		*dp;
	struct dirent	*de;
	size_t		 n = 0, len;

	*names = NULL;
	if ((dp = opendir(dir)) == NULL) {
		diag_error(diag, dir, 0, "cannot open drivers directory: %s",
		    strerror(errno));
		return -1;
	}
	while ((de = readdir(dp)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= 5 ||
		    strcmp(de->d_name + len - 5, ".conf") != 0)
			continue;
		*names = xreallocarray(*names, n + 1, sizeof(char *));
		(*names)[n++] = xstrdup(de->d_name);
	}
	closedir(dp);
	if (n > 0)
		qsort(*names, n, sizeof(char *), drv_cmp);
	return (int)n;
}

/*
 * Loads every *.conf file of dir, in name order.  Returns 0, or -1 with
 * every problem in diag; in both cases the drivers that loaded cleanly
 * are in the list, which the caller frees with drivers_free.
 */
int
driver_load_dir(const char *dir, struct lg_drivers *ds, struct lg_diag *diag)
{
	struct lg_driver	 d;
	char			**names, path[LG_PATH_MAX];
	size_t			 before = diag->nerrors;
	int			 i, n;

	ds->drivers = NULL;
	ds->ndrivers = 0;
	if ((n = drv_scan(dir, &names, diag)) == -1)
		return -1;
	if (n == 0)
		diag_error(diag, dir, 0, "no driver files (*.conf)");
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]) >= sizeof(path))
			diag_error(diag, names[i], 0, "path too long");
		else if (driver_load_file(path, &d, diag) == 0) {
			if (drivers_find(ds, d.name) != NULL) {
				diag_error(diag, path, 0, "duplicate driver "
				    "'%s'", d.name);
				driver_free(&d);
			} else {
				ds->drivers = xreallocarray(ds->drivers,
				    ds->ndrivers + 1, sizeof(d));
				ds->drivers[ds->ndrivers++] = d;
			}
		}
	}
	config_strv_free(names, (size_t)n);
	return diag->nerrors == before ? 0 : -1;
}

void
drivers_free(struct lg_drivers *ds)
{
	size_t		 i;

	for (i = 0; i < ds->ndrivers; i++)
		driver_free(&ds->drivers[i]);
	free(ds->drivers);
	ds->drivers = NULL;
	ds->ndrivers = 0;
}

const struct lg_driver *
drivers_find(const struct lg_drivers *ds, const char *name)
{
	size_t		 i;

	for (i = 0; i < ds->ndrivers; i++)
		if (strcmp(ds->drivers[i].name, name) == 0)
			return &ds->drivers[i];
	return NULL;
}
