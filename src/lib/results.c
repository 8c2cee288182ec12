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
 * The stored results' front (lg_results.h): ids and the backend in use.
 * An id is RESULTS_ID_BYTES from getrandom(2), base64url-encoded
 * (nettle) without padding: 144 bits, so that a link cannot be found by
 * trying ids.  Every id that comes from outside is checked for its shape
 * here before a backend sees it.
 */

#include <sys/types.h>
#include <sys/random.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/base64.h>

#include "lg.h"
#include "lg_results.h"

struct results {
	const struct results_backend	*be;
	void				*h;
	size_t				 max_bytes;
};

struct results *
results_open(const struct results_conf *rc, char *err, size_t errlen)
{
	return results_open_backend(&results_sqlite, rc, err, errlen);
}

struct results *
results_open_backend(const struct results_backend *be,
    const struct results_conf *rc, char *err, size_t errlen)
{
	struct results	*r;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		lg_strlcpy(err, "out of memory", errlen);
		return NULL;
	}
	r->be = be;
	r->max_bytes = rc->max_bytes;
	if ((r->h = r->be->open(rc, err, errlen)) == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

void
results_close(struct results *r)
{
	if (r == NULL)
		return;
	r->be->close(r->h);
	free(r);
}

int
results_new_id(char id[RESULTS_ID_LEN + 1])
{
	struct base64_encode_ctx	 ctx;
	uint8_t				 raw[RESULTS_ID_BYTES];
	size_t				 got = 0, n;
	ssize_t				 rv;

	while (got < sizeof(raw)) {
		if ((rv = getrandom(raw + got, sizeof(raw) - got, 0)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)rv;
	}
	base64url_encode_init(&ctx);
	n = base64_encode_update(&ctx, id, sizeof(raw), raw);
	n += base64_encode_final(&ctx, id + n);
	id[n] = '\0';
	explicit_bzero(raw, sizeof(raw));
	return n == RESULTS_ID_LEN ? 0 : -1;
}

int
results_id_ok(const char *s, size_t len)
{
	static const char	 alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t			 i;

	if (len != RESULTS_ID_LEN)
		return -1;
	for (i = 0; i < len; i++)
		if (s[i] == '\0' || strchr(alphabet, s[i]) == NULL)
			return -1;
	return 0;
}

int
results_put(struct results *r, const char *id, int64_t now,
    const char *doc, size_t len, char *err, size_t errlen)
{
	if (results_id_ok(id, strlen(id)) == -1) {
		lg_strlcpy(err, "id: not a result id", errlen);
		return -1;
	}
	return r->be->put(r->h, id, now, doc, len, err, errlen);
}

int
results_get(struct results *r, const char *id, int64_t now, char **doc,
    size_t *len, int64_t *created)
{
	if (results_id_ok(id, strlen(id)) == -1)
		return 0;
	return r->be->get(r->h, id, now, doc, len, created);
}

int
results_delete(struct results *r, const char *id)
{
	if (results_id_ok(id, strlen(id)) == -1)
		return 0;
	return r->be->del(r->h, id);
}

int
results_expire(struct results *r, int64_t now)
{
	return r->be->expire(r->h, now);
}

int
results_usage(struct results *r, size_t *count, size_t *bytes)
{
	return r->be->usage(r->h, count, bytes);
}

size_t
results_max_bytes(const struct results *r)
{
	return r->max_bytes;
}
