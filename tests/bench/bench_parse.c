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
 * The parse engine's throughput, as deployed (rules compiled without
 * JIT): reads a captured answer into memory and parses it RUNS times in
 * 16 KiB chunks, as the broker feeds a stream, printing the bytes and the
 * CPU seconds of each run as JSON.  MAX is the prefix cap (default
 * PARSE_MAX_PREFIXES; past it the engine stops reading): a cap above the
 * answer's prefixes measures every line parsed.  The JSON output of the
 * answer is not part of the measure.  The allocator is set as in the
 * broker: large buffers mapped of their own (lg_malloc_map_large), and
 * the heap trimmed once an answer is freed, as the broker does after a
 * large one (job.c), outside the measure.  Run pinned to one core by
 * tests/bench/bench.py (measurement "parse").
 *
 *	bench_parse DRIVER-FILE TYPE FILE [RUNS [MAX]]
 */

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "lg.h"
#include "lg_parse.h"

#define CHUNK	(16 * 1024)

static double
cpu_now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE	*fp;
	char	*buf;
	long	 n;

	if ((fp = fopen(path, "rb")) == NULL || fseek(fp, 0, SEEK_END) == -1 ||
	    (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) == -1)
		return NULL;
	if ((buf = malloc((size_t)n + 1)) == NULL ||
	    fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

int
main(int argc, char *argv[])
{
	struct lg_driver	 d;
	struct lg_diag		 diag;
	enum lg_query_type	 type;
	struct parser		*p;
	json_t			*j;
	char			*text, err[128];
	size_t			 len, off, n, nprefixes = 0;
	double			 t0;
	unsigned long		 max;
	int			 runs, i, truncated = 0;

	if (argc < 4 || query_from_name(argv[2], &type) == -1) {
		fprintf(stderr, "usage: bench_parse DRIVER-FILE TYPE FILE "
		    "[RUNS]\n");
		return 2;
	}
	lg_malloc_map_large();
	runs = argc > 4 ? atoi(argv[4]) : 3;
	max = argc > 5 ? strtoul(argv[5], NULL, 10) : 0;
	diag_init(&diag);
	if (driver_load_file(argv[1], &d, &diag) == -1) {
		for (size_t k = 0; k < diag.nmsgs; k++)
			fprintf(stderr, "%s\n", diag.msgs[k]);
		return 1;
	}
	diag_free(&diag);
	if ((text = slurp(argv[3], &len)) == NULL) {
		perror(argv[3]);
		return 1;
	}
	printf("{\"bytes\": %zu, \"cpu_s\": [", len);
	for (i = 0; i < runs; i++) {
		t0 = cpu_now();
		if ((p = parser_new(&d, type, AFI_ANY, max, err,
		    sizeof(err))) == NULL) {
			fprintf(stderr, "no parser: %s\n", err);
			return 1;
		}
		for (off = 0; off < len; off += n) {
			n = len - off < CHUNK ? len - off : CHUNK;
			parser_feed_text(p, text + off, n);
		}
		j = parser_finish(p);
		parser_free(p);
		printf("%s%.6f", i > 0 ? ", " : "", cpu_now() - t0);
		if (json_object_get(j, "error") != NULL) {
			fprintf(stderr, "parse error: %s\n", json_string_value(
			    json_object_get(j, "error")));
			return 1;
		}
		truncated = json_is_true(json_object_get(j, "truncated"));
		nprefixes = json_array_size(json_object_get(j, "prefixes"));
		json_decref(j);
		malloc_trim(0);
	}
	printf("], \"truncated\": %s, \"prefixes\": %zu}\n",
	    truncated ? "true" : "false", nprefixes);
	free(text);
	driver_free(&d);
	return 0;
}
