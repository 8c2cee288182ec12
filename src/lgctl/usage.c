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
 * lgctl's usage message.  Both lgctl and lgctl-store print it on a
 * command they cannot parse, so that "lgctl result" and "lgctl token",
 * which run in lgctl-store, answer a mistake exactly as every other
 * command does.
 */

#include <stdio.h>
#include <stdlib.h>

#include "lgctl.h"

void
lgctl_usage(void)
{
	fprintf(stderr,
	    "usage: lgctl [-jv] [-f config] [-s socket] [-t seconds] command\n"
	    "commands:\n"
	    "  routers                          list the routers\n"
	    "  status                           pool state per router\n"
	    "  query [-a ipv4|ipv6] ROUTER[,ROUTER...] TYPE [TARGET]\n"
	    "  hostkey ROUTER                   show the key a router presents\n"
	    "  reload                           reload the broker's config\n"
	    "  check                            check config, credentials, "
	    "drivers\n"
	    "  parse DRIVER TYPE [ipv4|ipv6] < FILE\n"
	    "                                   parse captured router output\n"
	    "  result delete|show ID            a stored result (web.results)"
	    "\n"
	    "  token add USER [--expires DURATION] | list | revoke ID\n"
	    "                                   API tokens (web.auth.tokens)\n");
	exit(LGCTL_EXIT_USAGE);
}
