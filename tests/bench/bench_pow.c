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
 * The proof-of-work challenge's difficulty against the time to solve it
 * in C, one core: for each difficulty, RUNS tokens lgwebd really issued
 * (challenge_issue, a fresh key, distinct buckets) are solved by trying
 * nonces 0, 1, 2... with the verifier's own check (challenge_work_ok,
 * nettle's SHA-256), and each answer is then verified as lgwebd would.
 * Prints one line per difficulty: bits, the median and the largest solve
 * time in ms, and the hashes per second over the run.  Compare with the
 * browser's figures (tests/browser/test_challenge.sh) in README.md.
 *
 *	bench_pow [RUNS [MAXBITS]]	(default 9 runs, 22 bits)
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "lg.h"
#include "lgwebd/web.h"

static double
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
cmp_double(const void *a, const void *b)
{
	double	 x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Solves one token; the tries it took, and the answer in ans. */
static unsigned long
solve(const char *tok, unsigned int bits, char *ans, size_t len)
{
	unsigned long	 n;
	int		 w;

	for (n = 0;; n++) {
		w = snprintf(ans, len, "%s:%lu", tok, n);
		if (w < 0 || (size_t)w >= len)
			return 0;
		if (challenge_work_ok(ans, (size_t)w, bits))
			return n + 1;
	}
}

static int
bench(unsigned int bits, int runs, int64_t wall)
{
	struct web_client	 c = { .family = AFI_IPV4 };
	char			 tok[CHALLENGE_TOKEN_MAX], ans[256], err[256];
	double			 t[64], t0, total = 0;
	unsigned long		 tries = 0, k;
	uint64_t		 issued;
	int			 i;

	for (i = 0; i < runs; i++) {
		c.addr[0] = 198;
		c.addr[3] = (uint8_t)i;
		if (challenge_issue(bits, 60, &c, wall, tok, sizeof(tok)) == -1)
			return -1;
		t0 = now_ms();
		if ((k = solve(tok, bits, ans, sizeof(ans))) == 0)
			return -1;
		t[i] = now_ms() - t0;
		total += t[i];
		tries += k;
		if (challenge_verify(ans, bits, &c, wall, &issued, err,
		    sizeof(err)) == -1) {
			fprintf(stderr, "bench_pow: %s\n", err);
			return -1;
		}
	}
	qsort(t, (size_t)runs, sizeof(t[0]), cmp_double);
	printf("%4u %12.1f %12.1f %14.0f\n", bits, t[runs / 2], t[runs - 1],
	    total > 0 ? (double)tries / (total / 1e3) : 0);
	return 0;
}

int
main(int argc, char *argv[])
{
	uint8_t		 key[32];
	struct timespec	 ts;
	int		 runs = argc > 1 ? atoi(argv[1]) : 9;
	unsigned int	 bits, max = argc > 2 ? (unsigned int)atoi(argv[2]) : 22;
	size_t		 i;

	if (runs < 1 || runs > 64 || max < 8 || max > 32) {
		fprintf(stderr, "usage: bench_pow [RUNS (1-64) [MAXBITS (8-32)]]\n");
		return 2;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	srand((unsigned int)ts.tv_nsec);
	for (i = 0; i < sizeof(key); i++)
		key[i] = (uint8_t)rand();
	if (challenge_key_set(key, sizeof(key)) == -1)
		return 1;
	printf("bits    median_ms       max_ms  hashes_per_s   (%d runs)\n",
	    runs);
	for (bits = 8; bits <= max; bits += 2)
		if (bench(bits, runs, (int64_t)ts.tv_sec * 1000000) == -1)
			return 1;
	challenge_key_clear();
	return 0;
}
