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
 * lgctl-store: the program lgctl runs for "lgctl result" and "lgctl
 * token" (store_exec.c), installed in LIBEXECDIR, not on the PATH.  It
 * links what those two commands need and lgctl's other commands do not:
 * the results store (SQLite; Redis or Valkey through lgwebd's store.c and
 * store_results.c) and nettle for the tokens' SHA-256.
 *
 * Its command line is the one lgctl builds: "-f CONFIG COMMAND ARGS...";
 * its messages, usage and exit codes are lgctl's (lgctl(8)).
 */

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lgctl.h"

static const struct store_cmd {
	const char	*name;
	int		 min_args;
	int		 max_args;
	int		(*run)(const char *, int, char **);
} store_cmds[] = {
	{ "result",	2, 2, result_cmd },
	{ "token",	1, 4, token_cmd },
	{ NULL,		0, 0, NULL }
};

int
main(int argc, char *argv[])
{
	const struct store_cmd	*cmd;
	const char		*config = LGCTL_DEFAULT_CONFIG;
	int			 ch, rc;

	log_init(1, 0, "lgctl");
	while ((ch = getopt(argc, argv, "+f:")) != -1) {
		switch (ch) {
		case 'f':
			config = optarg;
			break;
		default:
			lgctl_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		lgctl_usage();
	for (cmd = store_cmds; cmd->name != NULL; cmd++)
		if (strcmp(cmd->name, argv[0]) == 0)
			break;
	if (cmd->name == NULL || argc - 1 < cmd->min_args ||
	    argc - 1 > cmd->max_args)
		lgctl_usage();
	if ((rc = cmd->run(config, argc - 1, argv + 1)) == LGCTL_EXIT_USAGE)
		lgctl_usage();
	return rc;
}
