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
 * Helpers shared by the loader tests (test_config.c, test_credentials.c)
 * for looking at a struct lg_diag: print it so that a failing test shows
 * what it got, and look for one message by a part of its text.  Include
 * after cmocka.h and lg.h.
 */

#ifndef DIAG_CHECK_H
#define DIAG_CHECK_H

#include <string.h>

static void
dump(const struct lg_diag *d)
{
	size_t		 i;

	for (i = 0; i < d->nmsgs; i++)
		print_message("# diag: %s\n", d->msgs[i]);
}

static int
has_msg(const struct lg_diag *d, const char *needle)
{
	size_t		 i;

	for (i = 0; i < d->nmsgs; i++)
		if (strstr(d->msgs[i], needle) != NULL)
			return 1;
	return 0;
}

#endif /* DIAG_CHECK_H */
