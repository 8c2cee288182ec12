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
 * Diagnostics of a loader: every problem in a file becomes a line
 * "file:line: message", so one run of lgbrokerd -n shows them all.
 */

#include <stdio.h>
#include <stdlib.h>

#include "lg.h"

static void	 diag_vadd(struct lg_diag *, const char *, const char *, int,
		    const char *, va_list)
		    __attribute__((__format__(__printf__, 5, 0)));

void
diag_init(struct lg_diag *d)
{
	d->msgs = NULL;
	d->nmsgs = 0;
	d->nerrors = 0;
}

static void
diag_vadd(struct lg_diag *d, const char *kind, const char *file, int line,
    const char *fmt, va_list ap)
{
	char		 msg[768], *full;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (file != NULL && line > 0)
		xasprintf(&full, "%s:%d: %s%s", file, line, kind, msg);
	else if (file != NULL)
		xasprintf(&full, "%s: %s%s", file, kind, msg);
	else
		xasprintf(&full, "%s%s", kind, msg);
	d->msgs = xreallocarray(d->msgs, d->nmsgs + 1, sizeof(*d->msgs));
	d->msgs[d->nmsgs++] = full;
}

void
diag_error(struct lg_diag *d, const char *file, int line, const char *fmt,
    ...)
{
	va_list		 ap;

	va_start(ap, fmt);
	diag_vadd(d, "", file, line, fmt, ap);
	va_end(ap);
	d->nerrors++;
}

void
diag_warning(struct lg_diag *d, const char *file, int line, const char *fmt,
    ...)
{
	va_list		 ap;

	va_start(ap, fmt);
	diag_vadd(d, "warning: ", file, line, fmt, ap);
	va_end(ap);
}

void
diag_print(const struct lg_diag *d, void (*out)(const char *))
{
	size_t		 i;

	for (i = 0; i < d->nmsgs; i++)
		out(d->msgs[i]);
}

void
diag_free(struct lg_diag *d)
{
	size_t		 i;

	for (i = 0; i < d->nmsgs; i++)
		free(d->msgs[i]);
	free(d->msgs);
	diag_init(d);
}
