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
 * libFuzzer target for the X-Lorgnette-PoW header, the one piece of the
 * proof-of-work challenge that comes from outside (src/lgwebd/
 * challenge.c).  The first input byte picks the shape: the rest as the
 * whole header value, or as the nonce after a token lgwebd really
 * issued.  Beyond "never crashes" it aborts when:
 *
 *  - an accepted header has a field out of its range (difficulty, bucket,
 *    MAC, nonce);
 *  - an answer is accepted whose MAC this key did not make (any header
 *    of the first shape), or whose work is not done;
 *  - an error message holds a byte that is not printable ASCII or does
 *    not name the header.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lgwebd/web.h"

#define MAX_INPUT	1024
#define NOW		((int64_t)1800000000 * 1000000)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_msg(const char *s)
{
	if (strncmp(s, CHALLENGE_HEADER ": ", strlen(CHALLENGE_HEADER) + 2))
		abort();
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			abort();
}

static void
check_parse(const char *v)
{
	struct challenge_token	 t;
	const char		*nonce;
	char			 err[LG_ERRSTR_MAX];
	size_t			 n;

	if (challenge_parse(v, &t, &nonce, err, sizeof(err)) == -1) {
		check_msg(err);
		return;
	}
	n = strlen(nonce);
	if (t.bits < 1 || t.bits > 32 || strlen(t.mac) != 64 ||
	    (strlen(t.bucket) != 9 && strlen(t.bucket) != 17) ||
	    n < 1 || n > CHALLENGE_NONCE_MAX || t.signed_len >= strlen(v))
		abort();
}

/* 0 when accepted, with the checks that go with it. */
static int
check_verify(const char *v, const struct web_client *c)
{
	char		 err[LG_ERRSTR_MAX];
	uint64_t	 issued;

	if (challenge_verify(v, 1, c, NOW, &issued, err, sizeof(err)) == -1) {
		check_msg(err);
		return -1;
	}
	if (!challenge_work_ok(v, strlen(v), 1))
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int		 keyed;
	struct web_client	 c = { .family = AFI_IPV4,
	    .addr = { 198, 51, 100, 7 } };
	char			 tok[CHALLENGE_TOKEN_MAX], v[2 * MAX_INPUT];

	if (size < 1 || size > MAX_INPUT)
		return 0;
	if (!keyed && challenge_key_set((const uint8_t *)
	    "a fuzzing key, long enough", 26) == 0)
		keyed = 1;
	if (data[0] % 2 == 0) {
		memcpy(v, data + 1, size - 1);
		v[size - 1] = '\0';
		check_parse(v);
		/* Nothing made up here carries this key's MAC. */
		if (check_verify(v, &c) == 0)
			abort();
		return 0;
	}
	if (challenge_issue(1, 60, &c, NOW, tok, sizeof(tok)) == -1)
		abort();
	snprintf(v, sizeof(v), "%s:%.*s", tok, (int)(size - 1),
	    (const char *)data + 1);
	check_parse(v);
	check_verify(v, &c);
	return 0;
}
