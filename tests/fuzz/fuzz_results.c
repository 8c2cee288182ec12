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
 * libFuzzer target for what stored results read from outside: the id in
 * /api/v1/results/<id>, /r/<id> and lgctl's argument (results_id_ok),
 * and the store parameter of a query (params_add, query string or JSON
 * body).  The first input byte picks the parser.  Beyond "never
 * crashes" it aborts when an accepted id is not exactly RESULTS_ID_LEN
 * bytes of the base64url alphabet, or when store is accepted with a
 * value other than 1, 0, true or false (or their JSON forms).
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lg_results.h"
#include "lgwebd/web.h"

#define MAX_INPUT	4096

static int
id_byte_ok(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static void
fuzz_id(const char *s, size_t len)
{
	size_t	 i;

	if (results_id_ok(s, len) == -1)
		return;
	if (len != RESULTS_ID_LEN)
		abort();
	for (i = 0; i < len; i++)
		if (!id_byte_ok(s[i]))
			abort();
}

static void
fuzz_store_param(const char *s)
{
	struct web_params	 p;

	params_init(&p);
	if (params_add(&p, "store", s) == 0 && strcmp(s, "1") != 0 &&
	    strcmp(s, "0") != 0 && strcmp(s, "true") != 0 &&
	    strcmp(s, "false") != 0)
		abort();
	if (p.store != (strcmp(s, "1") == 0 || strcmp(s, "true") == 0))
		abort();
}

static void
fuzz_store_json(const char *s, size_t len)
{
	struct web_params	 p;

	params_init(&p);
	if (params_from_json(&p, s, len) == 0 && p.store != 0 &&
	    p.store != 1)
		abort();
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	if (size < 1 || size > MAX_INPUT)
		return 0;
	if ((s = malloc(size)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 3) {
	case 0:
		fuzz_id(s, size - 1);
		break;
	case 1:
		fuzz_store_param(s);
		break;
	default:
		fuzz_store_json(s, size - 1);
		break;
	}
	free(s);
	return 0;
}
