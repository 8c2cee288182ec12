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
 * libFuzzer target for the one thing lgwebd decodes from web.store
 * itself (hiredis parses the protocol): a cache entry's record
 * (wcache_decode, src/lgwebd/cache.c).  Beyond "never crashes" it aborts
 * when an accepted record does not encode back to the same bytes (given
 * the stored time it carried), so nothing is accepted that was not
 * exactly one record.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lgwebd/web.h"

static struct wcache	*cache;

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct wcache_key	 k = { .router = "r1", .type = 1 };
	struct wcache_entry	*e;
	struct lg_buf		 b;
	int64_t			 stored = 0;
	size_t			 i;

	if (cache == NULL && (cache = wcache_new(1, 1024)) == NULL)
		abort();
	if ((e = wcache_decode(&k, data, len, 1000.0, INT64_MAX / 2)) == NULL)
		return 0;
	for (i = 16; i < 24; i++)
		stored = (int64_t)((uint64_t)stored << 8 | data[i]);
	buf_init(&b, SIZE_MAX / 2);
	if (wcache_encode(e, stored, &b) == -1 || b.len != len ||
	    memcmp(b.data, data, len) != 0)
		abort();
	buf_free(&b);
	wcache_release(cache, e);
	return 0;
}
