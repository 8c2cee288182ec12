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
 * libFuzzer target for the parse engine with hostile rules: the input is
 * a driver's parse section, a line "%%", then router output.  The section
 * is loaded as part of a driver file (src/lib/parse_rules.c: a refusal
 * must say why); rules that load are run over the output for each type
 * with rules, fed in chunks whose sizes come from the input, with a
 * small item cap.  Every answer must be an error with its line or its
 * kind's model; time and memory are bounded by pcre2's limits, the line cap and
 * the budget (run.sh gives each input 10 s and 2 GB).  Seeds:
 * tests/fuzz/corpus/parse/.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "lg.h"
#include "lg_parse.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 fz_dir[] = "/tmp/lg-fuzz-parse.XXXXXX";
static char	 fz_file[sizeof(fz_dir) + 32];

/* The scratch directory goes when libFuzzer exits at the end of its run. */
static void
fz_cleanup(void)
{
	unlink(fz_file);
	rmdir(fz_dir);
}

static const char fz_head[] =
    "name = \"fuzz\";\nvendor = \"Fuzz\";\nprompt = \"(?m)^r1[>#] ?\\\\z\";\n"
    "queries = { bgp_route = \"show bgp {target}\"; };\n";

/* Every answer is an error with its line, or its kind's model. */
static void
fz_check(json_t *j, enum lg_query_type type)
{
	static const struct {
		enum lg_query_type	 type;
		const char		*kind;
		const char		*list;
	} models[] = {
		{ Q_BGP_ROUTE, "bgp_routes", "prefixes" },
		{ Q_BGP_COMMUNITY, "bgp_routes", "prefixes" },
		{ Q_BGP_ASPATH, "bgp_routes", "prefixes" },
		{ Q_ROUTE, "rib", "entries" },
		{ Q_BGP_SUMMARY, "bgp_summary", "neighbors" },
		{ Q_PING, "ping", NULL },
		{ Q_TRACEROUTE, "traceroute", "hops" },
		{ Q_BGP_NEIGHBORS, "bgp_neighbors", "neighbors" },
		{ Q_COUNT, NULL, NULL }
	};
	size_t		 i;

	if (j == NULL)
		abort();
	if (json_object_get(j, "error") != NULL) {
		if (!json_is_string(json_object_get(j, "error")) ||
		    !json_is_integer(json_object_get(j, "line")))
			abort();
		return;
	}
	for (i = 0; models[i].type != type; i++)
		if (models[i].type == Q_COUNT)
			abort();
	if (strcmp(json_string_value(json_object_get(j, "kind")),
	    models[i].kind) != 0)
		abort();
	if (models[i].list != NULL &&
	    (!json_is_array(json_object_get(j, models[i].list)) ||
	    json_array_size(json_object_get(j, models[i].list)) > 3 ||
	    !json_is_boolean(json_object_get(j, "truncated"))))
		abort();
	if (type == Q_BGP_ROUTE &&
	    !json_is_boolean(json_object_get(j, "not_found")))
		abort();
	if (type == Q_TRACEROUTE &&
	    !json_is_boolean(json_object_get(j, "complete")))
		abort();
}

static void
fz_parse(const struct lg_driver *d, enum lg_query_type type,
    const uint8_t *text, size_t len)
{
	struct parser	*p;
	json_t		*j;
	char		 err[128];
	size_t		 n, chunk;

	if ((p = parser_new(d, type, AFI_ANY, 3, err, sizeof(err))) == NULL) {
		if (err[0] != '\0')
			abort();
		return;
	}
	chunk = len > 0 ? (size_t)text[0] % 97 + 1 : 1;
	for (; len > 0; text += n, len -= n) {
		n = len < chunk ? len : chunk;
		parser_feed_text(p, (const char *)text, n);
		if (n == chunk && len > n && text[n] == 0)
			parser_next_command(p);
	}
	j = parser_finish(p);
	fz_check(j, type);
	json_decref(j);
	parser_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum lg_query_type types[] = { Q_BGP_ROUTE,
	    Q_BGP_COMMUNITY, Q_BGP_ASPATH, Q_ROUTE, Q_BGP_SUMMARY, Q_PING,
	    Q_TRACEROUTE, Q_BGP_NEIGHBORS };
	const uint8_t		*sep;
	struct lg_driver	 d;
	struct lg_diag		 diag;
	FILE			*fp;
	size_t			 rlen, i;

	if (fz_file[0] == '\0') {
		if (mkdtemp(fz_dir) == NULL)
			abort();
		snprintf(fz_file, sizeof(fz_file), "%s/fuzz.conf", fz_dir);
		atexit(fz_cleanup);
	}
	sep = memmem(data, size, "\n%%\n", 4);
	rlen = sep != NULL ? (size_t)(sep - data) : size;
	if ((fp = fopen(fz_file, "wb")) == NULL)
		abort();
	fputs(fz_head, fp);
	if (rlen > 0 && fwrite(data, 1, rlen, fp) != rlen)
		abort();
	fclose(fp);
	diag_init(&diag);
	if (driver_load_file(fz_file, &d, &diag) == 0) {
		if (sep != NULL)
			for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
				fz_parse(&d, types[i], sep + 4,
				    size - rlen - 4);
		driver_free(&d);
	} else if (diag.nerrors == 0)
		abort();
	diag_free(&diag);
	return 0;
}
