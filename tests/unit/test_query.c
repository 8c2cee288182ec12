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
 * Unit tests of the query type table (src/lib/query.c) and of the places
 * that must follow it: names and what each accepts (DESIGN.md section 2),
 * address families, the placeholders render.c derives from the table,
 * and the documentation.  www/api/openapi.json's QueryType enum, the
 * lists of query types marked in the manual pages, their per-type
 * defaults, lgwebd(8)'s RFC 8522 commands and openapi.json's RFC 8522
 * paths must name exactly the table's query types, so that a new type
 * without its documentation fails here.  LG_TOP is the source tree.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "lg.h"

static void
test_query_names_roundtrip(void **state)
{
	const struct lg_query_info	*qi;
	enum lg_query_type		 q, back;
	unsigned int			 i, j;

	(void)state;
	for (i = 0; i < Q_COUNT; i++) {
		q = (enum lg_query_type)i;
		assert_non_null(qi = query_info(q));
		assert_int_equal(qi->type, q);
		assert_string_equal(qi->name, query_name(q));
		assert_non_null(qi->label);
		assert_true(qi->deadline_ms > 0);
		back = Q_COUNT;
		assert_int_equal(query_from_name(qi->name, &back), 0);
		assert_int_equal(back, q);
		for (j = 0; j < i; j++)
			assert_string_not_equal(qi->name,
			    query_name((enum lg_query_type)j));
	}
}

/* The names are the contract of DESIGN.md section 2. */
static void
test_query_contract(void **state)
{
	static const struct {
		enum lg_query_type	 q;
		const char		*name;
		unsigned int		 targets;
	} want[] = {
		{ Q_BGP_ROUTE, "bgp_route",
		    1U << TGT_ADDRESS | 1U << TGT_PREFIX },
		{ Q_ROUTE, "route", 1U << TGT_ADDRESS | 1U << TGT_PREFIX },
		{ Q_BGP_COMMUNITY, "bgp_community", 1U << TGT_COMMUNITY },
		{ Q_BGP_ASPATH, "bgp_aspath", 1U << TGT_ASPATH },
		{ Q_BGP_SUMMARY, "bgp_summary", 1U << TGT_NONE },
		{ Q_PING, "ping", 1U << TGT_ADDRESS | 1U << TGT_HOSTNAME },
		{ Q_TRACEROUTE, "traceroute",
		    1U << TGT_ADDRESS | 1U << TGT_HOSTNAME },
		{ Q_BGP_NEIGHBORS, "bgp_neighbors", 1U << TGT_ADDRESS },
		{ Q_MTR, "mtr", 1U << TGT_ADDRESS | 1U << TGT_HOSTNAME },
		{ Q_BGP_NEIGHBOR_RECEIVED, "bgp_neighbor_received",
		    1U << TGT_ADDRESS },
		{ Q_BGP_NEIGHBOR_ADVERTISED, "bgp_neighbor_advertised",
		    1U << TGT_ADDRESS },
	};
	const struct lg_query_info	*qi;
	size_t				 i;

	(void)state;
	assert_int_equal(sizeof(want) / sizeof(want[0]), Q_COUNT);
	for (i = 0; i < Q_COUNT; i++) {
		qi = query_info(want[i].q);
		assert_string_equal(qi->name, want[i].name);
		assert_int_equal(qi->targets, want[i].targets);
	}
	/* Ping and traceroute are not cached by default; lookups are. */
	assert_int_equal(query_info(Q_PING)->cache_ttl, 0);
	assert_int_equal(query_info(Q_TRACEROUTE)->cache_ttl, 0);
	assert_int_equal(query_info(Q_MTR)->cache_ttl, 0);
	assert_string_equal(query_info(Q_MTR)->rfc8522, "mtr");
	assert_true(query_info(Q_BGP_ROUTE)->cache_ttl > 0);
	/* A community runs once per family unless afi picks one. */
	assert_int_equal(query_info(Q_BGP_COMMUNITY)->afi_both, 1);
	assert_int_equal(query_info(Q_BGP_ROUTE)->afi_both, 0);
	/*
	 * bgp_neighbors and a neighbor's routes are off unless the operator
	 * enables them.
	 */
	assert_int_equal(Q_MASK_DEFAULT & Q_MASK(Q_BGP_NEIGHBORS), 0);
	assert_int_equal(Q_MASK_DEFAULT & Q_MASK(Q_BGP_NEIGHBOR_RECEIVED), 0);
	assert_int_equal(Q_MASK_DEFAULT & Q_MASK(Q_BGP_NEIGHBOR_ADVERTISED),
	    0);
	assert_int_equal(Q_MASK_DEFAULT | Q_MASK(Q_BGP_NEIGHBORS) |
	    Q_MASK(Q_BGP_NEIGHBOR_RECEIVED) | Q_MASK(Q_BGP_NEIGHBOR_ADVERTISED),
	    Q_MASK_ALL);
	/* Their RFC 8522 extensions sit under the neighbor's path. */
	assert_string_equal(query_info(Q_BGP_NEIGHBOR_RECEIVED)->rfc8522,
	    "show/bgp/neighbors/received-routes");
	assert_string_equal(query_info(Q_BGP_NEIGHBOR_ADVERTISED)->rfc8522,
	    "show/bgp/neighbors/advertised-routes");
}

static void
test_query_unknown(void **state)
{
	static const char *const bad[] = { "", "BGP_ROUTE", "bgp-route",
	    "bgp_route ", "bgp", "show", "unknown", "ping6" };
	enum lg_query_type	 q = Q_PING;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(query_from_name(bad[i], &q), -1);
		assert_int_equal(q, Q_PING);
	}
	assert_null(query_info(Q_COUNT));
	assert_null(query_info((enum lg_query_type)-1));
	assert_string_equal(query_name(Q_COUNT), "unknown");
}

static void
test_afi_names(void **state)
{
	static const char *const bad[] = { "IPv4", "ipv5", "inet", "4",
	    "any ", "bothh" };
	enum lg_afi	 afi;
	unsigned int	 i;

	(void)state;
	for (i = AFI_ANY; i <= AFI_IPV6; i++) {
		afi = (enum lg_afi)7;
		assert_int_equal(afi_from_name(afi_name((enum lg_afi)i), &afi),
		    0);
		assert_int_equal(afi, i);
	}
	assert_string_equal(afi_name(AFI_IPV4), "ipv4");
	assert_string_equal(afi_name(AFI_IPV6), "ipv6");
	assert_string_equal(afi_name(AFI_ANY), "any");
	assert_string_equal(afi_name((enum lg_afi)3), "any");
	afi = AFI_IPV4;
	assert_int_equal(afi_from_name("both", &afi), 0);
	assert_int_equal(afi, AFI_ANY);
	afi = AFI_IPV4;
	assert_int_equal(afi_from_name("", &afi), 0);
	assert_int_equal(afi, AFI_ANY);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		afi = AFI_IPV6;
		assert_int_equal(afi_from_name(bad[i], &afi), -1);
		assert_int_equal(afi, AFI_IPV6);
	}
}

#define DOC_LINES_MAX	4096
#define MARK_LIST	".\\\" query types: every one"
#define MARK_DEFAULTS	".\\\" query type defaults"
#define RFC_BASE	"/.well-known/looking-glass/v1/"

struct doc {
	char	*text;
	char	*line[DOC_LINES_MAX];
	size_t	 n;
};

/* The source tree: LG_TOP, or the current directory. */
static const char *
doc_top(void)
{
	return getenv("LG_TOP") != NULL ? getenv("LG_TOP") : ".";
}

/* Reads LG_TOP/rel into lines; fails the test if it cannot. */
static void
doc_read(struct doc *d, const char *rel)
{
	const char	*top = doc_top();
	char		 path[1024];
	FILE		*f;
	long		 len;
	char		*p;

	snprintf(path, sizeof(path), "%s/%s", top, rel);
	f = fopen(path, "r");
	if (f == NULL)
		fail_msg("%s: cannot open", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	d->text = calloc(1, (size_t)len + 1);
	assert_non_null(d->text);
	assert_int_equal(fread(d->text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	d->n = 0;
	for (p = d->text; p != NULL && *p != '\0'; d->n++) {
		assert_true(d->n < DOC_LINES_MAX);
		d->line[d->n] = p;
		if ((p = strchr(p, '\n')) != NULL)
			*p++ = '\0';
	}
}

/* The query type a ".Cm name [,.]" line names, or -1. */
static int
cm_type(const char *line, char *name, size_t size)
{
	enum lg_query_type	 q;
	size_t			 n;

	if (strncmp(line, ".Cm ", 4) != 0)
		return -2;
	n = strcspn(line + 4, " ");
	snprintf(name, size, "%.*s", (int)n, line + 4);
	return query_from_name(name, &q) == 0 ? (int)q : -1;
}

static int
connective(const char *line)
{
	return strcmp(line, "and") == 0 || strcmp(line, "or") == 0 ||
	    strcmp(line, "and, where enabled,") == 0;
}

/* The list after a marker at i must be every query type, once each. */
static void
check_list(const struct doc *d, size_t i, const char *rel)
{
	unsigned int	 seen = 0;
	char		 name[64];
	int		 q;

	while (++i < d->n && strncmp(d->line[i], ".Cm ", 4) != 0)
		;
	for (; i < d->n; i++) {
		if (connective(d->line[i]))
			continue;
		if ((q = cm_type(d->line[i], name, sizeof(name))) == -2)
			break;
		if (q == -1)
			fail_msg("%s:%zu: %s is not a query type", rel, i + 1,
			    name);
		if (seen & Q_MASK(q))
			fail_msg("%s:%zu: %s twice", rel, i + 1, name);
		seen |= Q_MASK(q);
	}
	for (q = 0; q < Q_COUNT; q++)
		if ((seen & Q_MASK(q)) == 0)
			fail_msg("%s:%zu: the list of query types lacks %s",
			    rel, i + 1, query_name((enum lg_query_type)q));
}

static void
test_docs_manpage_lists(void **state)
{
	static const char *const pages[] = { "conf/lorgnette.conf.5",
	    "src/lgctl/lgctl.8", "drivers/lorgnette-drivers.5" };
	struct doc	 d;
	size_t		 p, i, marks;

	(void)state;
	for (p = 0; p < sizeof(pages) / sizeof(pages[0]); p++) {
		doc_read(&d, pages[p]);
		for (i = marks = 0; i < d.n; i++)
			if (strncmp(d.line[i], MARK_LIST,
			    strlen(MARK_LIST)) == 0) {
				check_list(&d, i, pages[p]);
				marks++;
			}
		if (marks == 0)
			fail_msg("%s: no list of query types marked", pages[p]);
		free(d.text);
	}
}

/* The documented default of each type for the key of a paragraph. */
static unsigned int
table_default(const char *key, enum lg_query_type q)
{
	const struct lg_query_info	*qi = query_info(q);

	if (strcmp(key, "deadlines") == 0)
		return qi->deadline_ms / 1000;
	if (strcmp(key, "rate") == 0)
		return qi->rate_per_min;
	if (strcmp(key, "cache") == 0)
		return qi->cache_ttl;
	fail_msg("defaults marked under an unknown key %s", key);
	return 0;
}

/*
 * "Defaults: 30 for .Cm a , .Cm b and .Cm c , 60 for ...": each query
 * type once, with the table's value.
 */
static unsigned int
check_defaults(const struct doc *d, size_t i, const char *key)
{
	unsigned int	 seen = 0, value = 0, have = 0;
	char		 name[64];
	const char	*l;
	int		 q;

	for (i++; i < d->n && (d->line[i][0] != '.' ||
	    strncmp(d->line[i], ".Cm ", 4) == 0); i++) {
		l = d->line[i];
		if (strncmp(l, "Defaults: ", 10) == 0)
			l += 10;
		if (sscanf(l, "%u", &value) == 1 && strstr(l, " for") != NULL) {
			have = 1;
			continue;
		}
		if ((q = cm_type(l, name, sizeof(name))) < 0)
			continue;
		assert_true(have);
		if (seen & Q_MASK(q))
			fail_msg("%s defaults: %s twice", key, name);
		seen |= Q_MASK(q);
		if (value != table_default(key, (enum lg_query_type)q))
			fail_msg("%s defaults: %s is documented as %u, the "
			    "table says %u", key, name, value,
			    table_default(key, (enum lg_query_type)q));
	}
	return seen;
}

static void
test_docs_defaults(void **state)
{
	struct doc	 d;
	char		 key[32] = "";
	size_t		 i, marks = 0;
	unsigned int	 seen;
	int		 q;

	(void)state;
	doc_read(&d, "conf/lorgnette.conf.5");
	for (i = 0; i < d.n; i++) {
		if (sscanf(d.line[i], ".It Ic %31s", key) == 1)
			continue;
		if (strncmp(d.line[i], MARK_DEFAULTS,
		    strlen(MARK_DEFAULTS)) != 0)
			continue;
		marks++;
		seen = check_defaults(&d, i, key);
		for (q = 0; q < Q_COUNT; q++)
			if ((seen & Q_MASK(q)) == 0)
				fail_msg("%s defaults: %s is not documented",
				    key, query_name((enum lg_query_type)q));
	}
	assert_int_equal(marks, 3);
	free(d.text);
}

/* lgwebd(8) names each RFC 8522 command as ".Li path" ("/ Ns Ar x"). */
static void
test_docs_rfc8522_manpage(void **state)
{
	const struct lg_query_info	*qi;
	struct doc			 d;
	size_t				 i, n;
	unsigned int			 q;
	const char			*l;
	int				 found;

	(void)state;
	doc_read(&d, "src/lgwebd/lgwebd.8");
	for (q = 0; q < Q_COUNT; q++) {
		qi = query_info((enum lg_query_type)q);
		if (qi->rfc8522 == NULL)
			continue;
		n = strlen(qi->rfc8522);
		for (i = 0, found = 0; i < d.n && !found; i++) {
			l = d.line[i];
			found = strncmp(l, ".Li ", 4) == 0 &&
			    strncmp(l + 4, qi->rfc8522, n) == 0 &&
			    (l[4 + n] == '\0' || l[4 + n] == ' ' ||
			    strncmp(l + 4 + n, "/ Ns", 4) == 0);
		}
		if (!found)
			fail_msg("lgwebd.8 does not list %s", qi->rfc8522);
	}
	free(d.text);
}

static json_t *
openapi_load(void)
{
	const char	*top = doc_top();
	char		 path[1024];
	json_error_t	 jerr;
	json_t		*j;

	snprintf(path, sizeof(path), "%s/www/api/openapi.json", top);
	if ((j = json_load_file(path, 0, &jerr)) == NULL)
		fail_msg("%s: %s", path, jerr.text);
	return j;
}

static void
test_docs_openapi_enums(void **state)
{
	json_t		*doc = openapi_load(), *e;
	unsigned int	 k;

	(void)state;
	e = json_object_get(json_object_get(json_object_get(json_object_get(
	    doc, "components"), "schemas"), "QueryType"), "enum");
	assert_non_null(e);
	assert_int_equal(json_array_size(e), Q_COUNT);
	for (k = 0; k < Q_COUNT; k++)
		assert_string_equal(json_string_value(json_array_get(e, k)),
		    query_name((enum lg_query_type)k));
	e = json_object_get(json_object_get(json_object_get(json_object_get(
	    doc, "components"), "schemas"), "TargetKind"), "enum");
	assert_non_null(e);
	for (k = 0; strcmp(query_target_name(k), "unknown") != 0; k++)
		assert_string_equal(json_string_value(json_array_get(e, k)),
		    query_target_name(k));
	assert_int_equal(json_array_size(e), k);
	json_decref(doc);
}

/* Whether an openapi path is the RFC 8522 command of a query type. */
static int
openapi_path_type(const char *key, enum lg_query_type *out)
{
	const struct lg_query_info	*qi;
	const char			*rest;
	size_t				 n;
	unsigned int			 q;

	rest = key + strlen(RFC_BASE);
	for (q = 0; q < Q_COUNT; q++) {
		qi = query_info((enum lg_query_type)q);
		if (qi->rfc8522 == NULL)
			continue;
		n = strlen(qi->rfc8522);
		if (strncmp(rest, qi->rfc8522, n) == 0 && (rest[n] == '\0' ||
		    (strncmp(rest + n, "/{", 2) == 0 &&
		    strchr(rest + n + 2, '/') == NULL))) {
			*out = (enum lg_query_type)q;
			return 0;
		}
	}
	return -1;
}

static void
test_docs_openapi_rfc8522(void **state)
{
	static const char *const others[] = { "routers", "routers/{index}",
	    "cmd" };
	json_t			*doc = openapi_load(), *paths, *v;
	const char		*key;
	unsigned int		 seen = 0, want = 0, q;
	enum lg_query_type	 t = Q_COUNT;
	size_t			 i;

	(void)state;
	paths = json_object_get(doc, "paths");
	json_object_foreach(paths, key, v) {
		if (strncmp(key, RFC_BASE, strlen(RFC_BASE)) != 0)
			continue;
		for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
			if (strcmp(key + strlen(RFC_BASE), others[i]) == 0)
				break;
		if (i < sizeof(others) / sizeof(others[0]))
			continue;
		if (openapi_path_type(key, &t) == -1)
			fail_msg("openapi.json: %s is no query type's", key);
		seen |= Q_MASK(t);
	}
	for (q = 0; q < Q_COUNT; q++)
		if (query_info((enum lg_query_type)q)->rfc8522 != NULL)
			want |= Q_MASK(q);
	assert_int_equal(seen, want);
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query_names_roundtrip),
		cmocka_unit_test(test_query_contract),
		cmocka_unit_test(test_query_unknown),
		cmocka_unit_test(test_afi_names),
		cmocka_unit_test(test_docs_manpage_lists),
		cmocka_unit_test(test_docs_defaults),
		cmocka_unit_test(test_docs_rfc8522_manpage),
		cmocka_unit_test(test_docs_openapi_enums),
		cmocka_unit_test(test_docs_openapi_rfc8522),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
