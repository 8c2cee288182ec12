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
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "config_int.h"

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
