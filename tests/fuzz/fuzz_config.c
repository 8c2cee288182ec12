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
 * libFuzzer target for the configuration loaders.  The first byte picks
 * the path, the rest is the file:
 *
 *   even   config_load_string() on the text (cut at the first NUL);
 *   odd    the bytes written to a mode-0600 file, then config_load() and
 *          credentials_load() on it, so the bounded read, the NUL check
 *          and the mode check run too.
 *
 * Beyond "never crashes, never leaks" it checks the loaders' contract and
 * aborts when it is broken: success means no error in the diag and at
 * least one router; failure means at least one error and an empty config.
 */

#include <sys/stat.h>

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 path[] = "/tmp/lg-fuzz-config.XXXXXX";
static int	 fd = -1;

static void
cleanup(void)
{
	if (fd != -1)
		unlink(path);
}

static void
check_config(int rc, const struct lg_config *c, const struct lg_diag *d)
{
	if (rc == 0 && (d->nerrors != 0 || c->nrouters == 0 ||
	    c->routers == NULL))
		abort();
	if (rc == -1 && (d->nerrors == 0 || c->nrouters != 0 ||
	    c->routers != NULL || c->web.listen != NULL || c->filters != NULL))
		abort();
	if (rc != 0 && rc != -1)
		abort();
}

static void
by_string(const uint8_t *data, size_t size)
{
	struct lg_config	 c;
	struct lg_diag		 d;
	char			*text;
	int			 rc;

	text = malloc(size + 1);
	if (text == NULL)
		return;
	memcpy(text, data, size);
	text[size] = '\0';
	diag_init(&d);
	rc = config_load_string(text, "fuzz.conf", "/", &c, &d);
	check_config(rc, &c, &d);
	config_free(&c);
	diag_free(&d);
	free(text);
}

static void
by_file(const uint8_t *data, size_t size)
{
	struct lg_config	 c;
	struct lg_credentials	 cr;
	struct lg_diag		 d;
	int			 rc;

	if (fd == -1) {
		if ((fd = mkstemp(path)) == -1)
			abort();
		atexit(cleanup);
	}
	if (ftruncate(fd, 0) == -1 || pwrite(fd, data, size, 0) !=
	    (ssize_t)size || fchmod(fd, 0600) == -1)
		abort();

	diag_init(&d);
	rc = config_load(path, &c, &d);
	check_config(rc, &c, &d);
	config_free(&c);
	diag_free(&d);

	diag_init(&d);
	rc = credentials_load(path, &cr, &d);
	if ((rc == 0 && d.nerrors != 0) || (rc == -1 && (d.nerrors == 0 ||
	    cr.ncreds != 0 || cr.creds != NULL)))
		abort();
	credentials_free(&cr);
	diag_free(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		by_file(data + 1, size - 1);
	else
		by_string(data + 1, size - 1);
	return 0;
}
