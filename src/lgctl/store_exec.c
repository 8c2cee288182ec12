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
 * lgctl result and lgctl token run in a second program, lgctl-store:
 * they reach the results store (SQLite, or Redis through lgwebd's store
 * modules) and the token file (SHA-256 from nettle), and linking those
 * libraries into lgctl made every query pay for binding them at start.
 * lgctl checks the command line as for any command, then replaces itself
 * with lgctl-store, which prints, exits and reports errors as lgctl did.
 *
 * The program is looked for next to the running lgctl first (the build
 * tree: build/san/lgctl-store beside build/san/lgctl), then in the
 * directory it is installed in (LG_LIBEXECDIR, set by the Makefile from
 * LIBEXECDIR).  Only a file that may be executed counts as found.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lgctl.h"

#ifndef LG_LIBEXECDIR
#define LG_LIBEXECDIR		"/usr/local/libexec/lorgnette"
#endif
#define STORE_PROG		"lgctl-store"
#define STORE_MAX_ARGS		4	/* token add USER --expires D */

/* lgctl-store beside the running lgctl, if it is there: 0, else -1. */
static int
store_sibling(char *path, size_t len)
{
	char		 self[PATH_MAX];
	char		*slash;
	ssize_t		 n;

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return -1;
	self[n] = '\0';
	if ((slash = strrchr(self, '/')) == NULL)
		return -1;
	slash[1] = '\0';
	if ((size_t)snprintf(path, len, "%s%s", self, STORE_PROG) >= len)
		return -1;
	return access(path, X_OK);
}

/*
 * Runs "lgctl-store -f CONFIG NAME ARGS...".  Returns only when the
 * program cannot be run, after naming it: LGCTL_EXIT_ERROR.
 */
int
store_exec(const char *config, const char *name, int argc, char **argv)
{
	char		 path[PATH_MAX], conf[PATH_MAX], cmd[16];
	char		 flag[] = "-f";
	char		*args[STORE_MAX_ARGS + 5];
	int		 i, n = 0;

	if (argc > STORE_MAX_ARGS || lg_strlcpy(cmd, name, sizeof(cmd)) >=
	    sizeof(cmd))
		lgctl_usage();
	if (lg_strlcpy(conf, config, sizeof(conf)) >= sizeof(conf)) {
		fprintf(stderr, "lgctl: -f: longer than %zu bytes: %s\n",
		    sizeof(conf) - 1, config);
		return LGCTL_EXIT_USAGE;
	}
	if (store_sibling(path, sizeof(path)) == -1)
		lg_strlcpy(path, LG_LIBEXECDIR "/" STORE_PROG, sizeof(path));
	args[n++] = path;
	args[n++] = flag;
	args[n++] = conf;
	args[n++] = cmd;
	for (i = 0; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	execv(path, args);
	fprintf(stderr, "lgctl: %s: cannot run %s: %s (lgctl result and "
	    "lgctl token run in it; make install puts it there)\n", name,
	    path, strerror(errno));
	return LGCTL_EXIT_ERROR;
}
