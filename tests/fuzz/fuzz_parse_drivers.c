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
 * libFuzzer target for the shipped drivers' parse rules with hostile
 * router output: the first byte of the input picks a driver of drivers/
 * (found from the working directory, or LG_TOP, in name order) and a
 * query type with rules (driver index + number of drivers x type index,
 * types in the order of types[] below), the second the chunk size; the
 * rest is fed to the parser as a router's answer would be: fake prompts
 * in the middle, megabyte lines, endless paths, hops or neighbors,
 * broken values, whatever the fuzzer makes.  Every answer must be an
 * error naming its line or its kind's model within the item cap.  Seeds:
 * tests/fuzz/corpus/parse_drivers/, real answers with a selector.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lg.h"
#include "lg_parse.h"

#define FZ_MAX_PREFIXES	50

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static struct lg_drivers	 fz_drivers;

static void
fz_load(void)
{
	struct lg_diag	 diag;
	char		 dir[1024];
	const char	*top = getenv("LG_TOP");

	snprintf(dir, sizeof(dir), "%s/drivers", top != NULL ? top : ".");
	diag_init(&diag);
	if (driver_load_dir(dir, &fz_drivers, &diag) == -1 ||
	    fz_drivers.ndrivers < 7) {
		fprintf(stderr, "fuzz_parse_drivers: cannot load %s\n", dir);
		abort();
	}
	diag_free(&diag);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum lg_query_type types[] = { Q_BGP_ROUTE,
	    Q_BGP_COMMUNITY, Q_BGP_ASPATH, Q_ROUTE, Q_BGP_SUMMARY, Q_PING,
	    Q_TRACEROUTE, Q_BGP_NEIGHBORS };
	static const char *const lists[] = { "prefixes", "entries",
	    "neighbors", "hops", NULL };
	const struct lg_driver	*d;
	struct parser		*p;
	json_t			*j;
	char			 err[128];
	size_t			 chunk, n, k, ntypes;

	if (fz_drivers.ndrivers == 0)
		fz_load();
	if (size < 2)
		return 0;
	ntypes = sizeof(types) / sizeof(types[0]);
	d = &fz_drivers.drivers[data[0] % fz_drivers.ndrivers];
	p = parser_new(d, types[data[0] / fz_drivers.ndrivers % ntypes],
	    AFI_ANY, FZ_MAX_PREFIXES, err, sizeof(err));
	if (p == NULL) {
		if (err[0] != '\0')
			abort();
		return 0;	/* no rules for this type here */
	}
	chunk = (size_t)data[1] * 37 + 1;
	for (data += 2, size -= 2; size > 0; data += n, size -= n) {
		n = size < chunk ? size : chunk;
		parser_feed_text(p, (const char *)data, n);
	}
	if ((j = parser_finish(p)) == NULL)
		abort();
	if (json_object_get(j, "error") != NULL) {
		if (!json_is_integer(json_object_get(j, "line")))
			abort();
	} else if (!json_is_string(json_object_get(j, "kind")))
		abort();
	else
		for (k = 0; lists[k] != NULL; k++)
			if (json_object_get(j, lists[k]) != NULL &&
			    (json_array_size(json_object_get(j, lists[k])) >
			    FZ_MAX_PREFIXES || !json_is_boolean(
			    json_object_get(j, "truncated"))))
				abort();
	json_decref(j);
	parser_free(p);
	return 0;
}
