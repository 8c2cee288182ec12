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
 * The shipped drivers' parse rules against real router output: every
 * text sample of ../shared/fixtures/parse/ (route_detail as bgp_route,
 * route_table as bgp_community, summary as bgp_summary, ping and
 * traceroute as themselves) and the route samples of
 * ../shared/fixtures/vendor-output/ are parsed; the whole answer must
 * equal tests/unit/golden/parse/<platform>__<sample>.json (LG_GOLDEN_UPDATE=1,
 * make golden-update, rewrites them for review as a diff), and the facts
 * of each *.expect.json (read from the sample by hand, conventions in
 * the fixtures' SOURCES.md) must hold: paths in order with their best
 * flag, AS path, next hop, local-pref, MED, origin and communities; for
 * tables the row and prefix counts and the first and last rows; for
 * summaries the neighbor count, the local AS and router id, the first
 * neighbor's address and remote AS; for pings the counts, the loss and
 * the RTTs; for traceroutes the hop count and the last hop's address.  The
 * *_xml and *_json samples are routers' structured modes and are not
 * parsed.  The golden answers are checked against the JSON Schema by
 * tests/config/test_parse.sh.  The emulator's answers must parse too.
 */

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "lg.h"
#include "lg_parse.h"

#define FIXTURES_REL	"/../shared/fixtures"
#define FIXTURES_DEV	"/work/shared/fixtures"

#define parse_kind_routes(t)	((t) == Q_BGP_ROUTE || \
				    (t) == Q_BGP_COMMUNITY || (t) == Q_BGP_ASPATH)

/* Fixture directories and the driver of each. */
static const struct {
	const char	*dir;
	const char	*driver;
} platforms[] = {
	{ "arista_eos", "arista-eos" },
	{ "bird", "bird" },
	{ "cisco_ios", "cisco-ios" },
	{ "cisco_nxos", "cisco-nxos" },
	{ "cisco_xr", "cisco-iosxr" },
	{ "frr", "frr" },
	{ "juniper_junos", "juniper-junos" },
	{ NULL, NULL }
};

/*
 * Route samples of vendor-output/ (no expect file: golden only), and the
 * line of the one that must fail: its AS paths hold 42669611124, which
 * no 32-bit ASN can be, and the asdot 42669.611124 (611124 > 65535), so
 * the parsed answer is an error naming that line, not a guess.
 */
static const struct {
	const char		*dir;
	const char		*file;
	enum lg_query_type	 type;
	int			 error_line;
} vendor_samples[] = {
	{ "arista_eos", "bgp_prefix_detail", Q_BGP_ROUTE, 5 },
	{ "bird", "route_for_all", Q_BGP_ROUTE, 0 },
	{ "cisco_ios", "bgp_not_active", Q_BGP_ROUTE, 0 },
	{ "cisco_ios", "bgp_prefix_detail_v4_rr", Q_BGP_ROUTE, 0 },
	{ "cisco_ios", "bgp_prefix_detail_v4_v6", Q_BGP_ROUTE, 0 },
	{ "cisco_ios", "bgp_regexp_table", Q_BGP_ASPATH, 0 },
	{ "cisco_nxos", "bgp_prefix_detail", Q_BGP_ROUTE, 0 },
	{ "cisco_xr", "bgp_prefix_v4", Q_BGP_ROUTE, 0 },
	{ "cisco_xr", "bgp_prefix_v6_vrf", Q_BGP_ROUTE, 0 },
	{ "frr", "bgp_prefix_v4", Q_BGP_ROUTE, 0 },
	{ "juniper_junos", "route_bgp_prefix_extensive", Q_BGP_ROUTE, 0 },
	{ "juniper_junos", "route_v6_prefix", Q_BGP_ROUTE, 0 },
	{ NULL, NULL, Q_COUNT, 0 }
};

/* Well-known names as the expect files print them, and their A:B. */
static const char *const wellknown[][2] = {
	{ "no-export", "65535:65281" },
	{ "no-advertise", "65535:65282" },
	{ "local-AS", "65535:65283" },
	{ "local-as", "65535:65283" },
	{ "no-export-subconfed", "65535:65283" },
	{ "no-peer", "65535:65284" },
	{ "blackhole", "65535:666" },
	{ "graceful-shutdown", "65535:0" },
	{ "internet", "0:0" },
	{ NULL, NULL }
};

static char		 top[LG_PATH_MAX];
static char		 fixtures[LG_PATH_MAX + 32];
static struct lg_drivers ds;
/* The kinds of sample, by file name prefix. */
static const struct {
	const char		*prefix;
	enum lg_query_type	 type;
} kinds[] = {
	{ "route_detail__", Q_BGP_ROUTE },
	{ "route_table__", Q_BGP_COMMUNITY },
	{ "summary__", Q_BGP_SUMMARY },
	{ "ping__", Q_PING },
	{ "traceroute__", Q_TRACEROUTE },
	{ NULL, Q_COUNT }
};

static int		 nparsed[8][5], nchecked[8][5];

static void
print_diag(const char *line)
{
	print_message("# %s\n", line);
}

static int
setup(void **state)
{
	struct lg_diag	 diag;
	char		 dir[LG_PATH_MAX + 16];
	DIR		*d;

	(void)state;
	lg_strlcpy(top, getenv("LG_TOP") != NULL ? getenv("LG_TOP") : ".",
	    sizeof(top));
	snprintf(fixtures, sizeof(fixtures), "%s%s", top, FIXTURES_REL);
	if ((d = opendir(fixtures)) == NULL)
		lg_strlcpy(fixtures, FIXTURES_DEV, sizeof(fixtures));
	else
		closedir(d);
	snprintf(dir, sizeof(dir), "%s/drivers", top);
	diag_init(&diag);
	if (driver_load_dir(dir, &ds, &diag) == -1) {
		diag_print(&diag, print_diag);
		return -1;
	}
	diag_free(&diag);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	drivers_free(&ds);
	return 0;
}

/* The parsed answer of a file, fed in uneven chunks as a stream is. */
static json_t *
parse_file(const char *driver, enum lg_query_type type, const char *path)
{
	const struct lg_driver	*drv;
	struct parser		*p;
	json_t			*j;
	char			 buf[777], err[128];
	FILE			*fp;
	size_t			 n;

	assert_non_null(drv = drivers_find(&ds, driver));
	p = parser_new(drv, type, AFI_ANY, 0, err, sizeof(err));
	if (p == NULL) {
		print_message("# %s has no rules for %s\n", driver,
		    query_name(type));
		return NULL;
	}
	assert_non_null(fp = fopen(path, "rb"));
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		parser_feed_text(p, buf, n);
	fclose(fp);
	assert_non_null(j = parser_finish(p));
	parser_free(p);
	return j;
}

static void
golden_check(const char *name, json_t *got)
{
	char		 file[LG_PATH_MAX * 2];
	json_t		*want;
	json_error_t	 jerr;
	const char	*upd = getenv("LG_GOLDEN_UPDATE");

	snprintf(file, sizeof(file), "%s/tests/unit/golden/parse/%s.json",
	    top, name);
	if (upd != NULL && strcmp(upd, "1") == 0) {
		assert_int_equal(json_dump_file(got, file, JSON_INDENT(1) |
		    JSON_PRESERVE_ORDER | PARSE_JSON_REAL), 0);
		return;
	}
	if ((want = json_load_file(file, 0, &jerr)) == NULL)
		fail_msg("%s: %s (run make golden-update)", file, jerr.text);
	if (!json_equal(want, got)) {
		char *s = json_dumps(got, JSON_COMPACT);

		print_message("# %s now: %.600s\n", name, s);
		free(s);
		json_decref(want);
		fail_msg("%s differs from its golden file", name);
	}
	json_decref(want);
}

/* A community as the model writes it, from the form a sample printed. */
static json_t *
norm_community(json_t *c)
{
	const char		*s = json_string_value(c);
	unsigned long long	 v;
	char			 buf[32], *end;
	size_t			 i;

	for (i = 0; wellknown[i][0] != NULL; i++)
		if (strcmp(s, wellknown[i][0]) == 0)
			return json_string(wellknown[i][1]);
	v = strtoull(s, &end, 10);
	if (*s != '\0' && *end == '\0' && v <= 0xffffffffULL) {
		snprintf(buf, sizeof(buf), "%llu:%llu", v >> 16, v & 0xffff);
		return json_string(buf);
	}
	return json_incref(c);
}

static int
facts_differ(const char *where, const char *key, json_t *want, json_t *got)
{
	char	*w, *g;

	if (json_equal(want, got) || (json_is_array(want) &&
	    json_array_size(want) == 0 && json_is_null(got)))
		return 0;
	w = json_dumps(want, JSON_COMPACT | JSON_ENCODE_ANY);
	g = json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY);
	print_message("# %s: %s: expected %s, parsed %s\n", where, key, w, g);
	free(w);
	free(g);
	return 1;
}

/* The facts of one expected path (or table row) against a parsed one. */
static int
check_path(const char *where, json_t *want, json_t *got, json_t *pfx)
{
	static const char *const keys[] = { "best", "as_path", "next_hop",
	    "local_pref", "med", "origin", "communities", "large_communities",
	    NULL };
	json_t		*w, *norm, *v;
	size_t		 i, k;
	int		 bad = 0;

	for (k = 0; keys[k] != NULL; k++) {
		if ((w = json_object_get(want, keys[k])) == NULL)
			continue;
		if (strcmp(keys[k], "communities") == 0) {
			norm = json_array();
			json_array_foreach(w, i, v)
				json_array_append_new(norm, norm_community(v));
			bad |= facts_differ(where, keys[k], norm,
			    json_object_get(got, keys[k]));
			json_decref(norm);
		} else
			bad |= facts_differ(where, keys[k], w,
			    json_object_get(got, keys[k]));
	}
	if ((w = json_object_get(want, "prefix")) != NULL && !json_is_null(w))
		bad |= facts_differ(where, "prefix", w,
		    json_object_get(pfx, "prefix"));
	return bad;
}

/* A detail sample: prefixes (entries) in order, their paths in order. */
static int
check_detail(const char *name, json_t *exp, json_t *got)
{
	json_t		*entries, *e, *pfx, *paths, *gpaths;
	size_t		 i, k;
	char		 where[LG_PATH_MAX + 64];
	int		 bad = 0;

	if ((entries = json_object_get(exp, "entries")) == NULL) {
		entries = json_array();
		json_array_append(entries, exp);
	} else
		json_incref(entries);
	if (json_array_size(json_object_get(got, "prefixes")) !=
	    json_array_size(entries)) {
		print_message("# %s: %zu prefixes expected, %zu parsed\n",
		    name, json_array_size(entries),
		    json_array_size(json_object_get(got, "prefixes")));
		json_decref(entries);
		return 1;
	}
	json_array_foreach(entries, i, e) {
		pfx = json_array_get(json_object_get(got, "prefixes"), i);
		paths = json_object_get(e, "paths");
		gpaths = json_object_get(pfx, "paths");
		if (json_array_size(paths) != json_array_size(gpaths)) {
			print_message("# %s[%zu]: %zu paths expected, %zu "
			    "parsed\n", name, i, json_array_size(paths),
			    json_array_size(gpaths));
			bad = 1;
			continue;
		}
		if (json_is_string(json_object_get(e, "prefix")))
			bad |= facts_differ(name, "prefix", json_object_get(e,
			    "prefix"), json_object_get(pfx, "prefix"));
		for (k = 0; k < json_array_size(paths); k++) {
			snprintf(where, sizeof(where), "%s[%zu].paths[%zu]",
			    name, i, k);
			bad |= check_path(where, json_array_get(paths, k),
			    json_array_get(gpaths, k), pfx);
		}
	}
	json_decref(entries);
	return bad;
}

/* A table sample: counts, first and last rows. */
static int
check_table(const char *name, json_t *exp, json_t *got)
{
	json_t		*pfxs = json_object_get(got, "prefixes"), *pfx, *paths;
	json_t		*first = NULL, *last = NULL, *fp = NULL, *lp = NULL, *n;
	size_t		 i, rows = 0;
	char		 where[LG_PATH_MAX + 64];
	int		 bad = 0;

	json_array_foreach(pfxs, i, pfx) {
		paths = json_object_get(pfx, "paths");
		if (json_array_size(paths) == 0)
			continue;
		if (first == NULL) {
			first = json_array_get(paths, 0);
			fp = pfx;
		}
		last = json_array_get(paths, json_array_size(paths) - 1);
		lp = pfx;
		rows += json_array_size(paths);
	}
	n = json_integer((json_int_t)rows);
	bad |= facts_differ(name, "count", json_object_get(exp, "count"), n);
	json_decref(n);
	n = json_integer((json_int_t)json_array_size(pfxs));
	bad |= facts_differ(name, "prefix_count", json_object_get(exp,
	    "prefix_count"), n);
	json_decref(n);
	if (first == NULL)
		return 1;
	snprintf(where, sizeof(where), "%s.first", name);
	bad |= check_path(where, json_object_get(exp, "first"), first, fp);
	snprintf(where, sizeof(where), "%s.last", name);
	bad |= check_path(where, json_object_get(exp, "last"), last, lp);
	return bad;
}

/* A number of the expect file against a parsed one, either may be real. */
static int
number_differs(const char *where, const char *key, json_t *want, json_t *got)
{
	if (json_is_null(want) && json_is_null(got))
		return 0;
	if (json_is_number(want) && json_is_number(got) &&
	    json_number_value(want) == json_number_value(got))
		return 0;
	return facts_differ(where, key, want, got);
}

/* A ping: counts, loss and the RTTs printed. */
static int
check_ping(const char *name, json_t *exp, json_t *got)
{
	static const char *const rtt[] = { "min", "avg", "max" };
	json_t		*w = json_object_get(exp, "rtt_min/avg/max");
	size_t		 i;
	int		 bad = 0;

	bad |= number_differs(name, "sent", json_object_get(exp, "sent"),
	    json_object_get(got, "sent"));
	bad |= number_differs(name, "received", json_object_get(exp,
	    "received"), json_object_get(got, "received"));
	bad |= number_differs(name, "loss_pct", json_object_get(exp,
	    "loss_pct"), json_object_get(got, "loss_pct"));
	for (i = 0; i < 3; i++)
		bad |= number_differs(name, rtt[i], json_is_array(w) ?
		    json_array_get(w, i) : json_null(), json_object_get(
		    json_object_get(got, "rtt_ms"), rtt[i]));
	return bad;
}

/* A summary: neighbor count, local AS, router id, the first neighbor. */
static int
check_summary(const char *name, json_t *exp, json_t *got)
{
	json_t		*nb = json_object_get(got, "neighbors"), *n, *first;
	json_t		*w;
	int		 bad = 0;

	n = json_integer((json_int_t)json_array_size(nb));
	bad |= facts_differ(name, "neighbors", json_object_get(exp,
	    "neighbors"), n);
	json_decref(n);
	if ((w = json_object_get(exp, "local_as")) != NULL)
		bad |= facts_differ(name, "local_as", w, json_object_get(got,
		    "local_as"));
	if ((w = json_object_get(exp, "router_id")) != NULL)
		bad |= facts_differ(name, "router_id", w, json_object_get(got,
		    "router_id"));
	first = json_object_get(exp, "first");
	bad |= facts_differ(name, "first.address", json_object_get(first,
	    "address"), json_object_get(json_array_get(nb, 0), "address"));
	bad |= facts_differ(name, "first.remote_as", json_object_get(first,
	    "remote_as"), json_object_get(json_array_get(nb, 0),
	    "remote_as"));
	return bad;
}

/* A traceroute: the highest hop and the last hop's address. */
static int
check_traceroute(const char *name, json_t *exp, json_t *got)
{
	json_t		*hops = json_object_get(got, "hops"), *last, *probe;
	json_t		*addr = json_null();
	size_t		 i;
	int		 bad;

	last = json_array_get(hops, json_array_size(hops) - 1);
	json_array_foreach(json_object_get(last, "probes"), i, probe)
		if (json_is_string(json_object_get(probe, "address"))) {
			addr = json_object_get(probe, "address");
			break;
		}
	bad = facts_differ(name, "hops", json_object_get(exp, "hops"),
	    json_object_get(last, "hop"));
	bad |= facts_differ(name, "last_hop_address", json_object_get(exp,
	    "last_hop_address"), addr);
	return bad;
}

/* One sample of fixtures/parse/: golden and facts. */
static int
check_sample(size_t plat, size_t kind, const char *file)
{
	char		 raw[LG_PATH_MAX * 2], name[LG_PATH_MAX];
	char		 expf[LG_PATH_MAX * 2];
	json_t		*got, *exp;
	json_error_t	 jerr;
	int		 bad;

	snprintf(raw, sizeof(raw), "%s/parse/%s/%s", fixtures,
	    platforms[plat].dir, file);
	snprintf(name, sizeof(name), "%s__%.*s", platforms[plat].dir,
	    (int)(strlen(file) - 4), file);
	snprintf(expf, sizeof(expf), "%.*s.expect.json",
	    (int)(strlen(raw) - 4), raw);
	nparsed[plat][kind]++;
	if ((got = parse_file(platforms[plat].driver, kinds[kind].type,
	    raw)) == NULL)
		return 1;
	golden_check(name, got);
	if ((exp = json_load_file(expf, 0, &jerr)) == NULL)
		fail_msg("%s: %s", expf, jerr.text);
	if (json_object_get(got, "error") != NULL) {
		print_message("# %s: %s at line %lld\n", name,
		    json_string_value(json_object_get(got, "error")),
		    json_integer_value(json_object_get(got, "line")));
		bad = 1;
	} else if (kinds[kind].type == Q_BGP_SUMMARY)
		bad = check_summary(name, exp, got);
	else if (kinds[kind].type == Q_PING)
		bad = check_ping(name, exp, got);
	else if (kinds[kind].type == Q_TRACEROUTE)
		bad = check_traceroute(name, exp, got);
	else
		bad = kinds[kind].type == Q_BGP_COMMUNITY ?
		    check_table(name, exp, got) : check_detail(name, exp, got);
	json_decref(exp);
	json_decref(got);
	if (!bad)
		nchecked[plat][kind]++;
	return bad;
}

/* The kind of a text sample's name, or -1 for other files. */
static int
text_sample(const char *f)
{
	size_t	 n = strlen(f), k;

	if (n <= 4 || strcmp(f + n - 4, ".raw") != 0 ||
	    strstr(f, "_xml.") != NULL || strstr(f, "_json.") != NULL)
		return -1;
	for (k = 0; kinds[k].prefix != NULL; k++)
		if (strncmp(f, kinds[k].prefix, strlen(kinds[k].prefix)) == 0)
			return (int)k;
	return -1;
}

static void
test_fixtures(void **state)
{
	char		 dir[LG_PATH_MAX * 2];
	struct dirent	*de;
	DIR		*d;
	size_t		 p, k;
	int		 bad = 0, total = 0, kind;

	(void)state;
	for (p = 0; platforms[p].dir != NULL; p++) {
		snprintf(dir, sizeof(dir), "%s/parse/%s", fixtures,
		    platforms[p].dir);
		if ((d = opendir(dir)) == NULL)
			fail_msg("%s: cannot open", dir);
		while ((de = readdir(d)) != NULL)
			if ((kind = text_sample(de->d_name)) >= 0) {
				bad |= check_sample(p, (size_t)kind,
				    de->d_name);
				total++;
			}
		closedir(d);
		for (k = 0; kinds[k].prefix != NULL; k++)
			if (nparsed[p][k] > 0)
				print_message("# %s %s: %d of %d samples parse "
				    "to their facts\n", platforms[p].driver,
				    query_name(kinds[k].type), nchecked[p][k],
				    nparsed[p][k]);
	}
	assert_true(total >= 40);
	if (bad)
		fail_msg("samples do not parse to their facts");
}

/*
 * A neighbor's routes print as the route tables do: every route_table
 * sample of every platform parses, as bgp_neighbor_received and as
 * bgp_neighbor_advertised, to the same answer as bgp_community and to
 * the facts of its expect file (the Junos sample is a real
 * "show route receive-protocol bgp" answer).
 */
static void
test_neighbor_tables(void **state)
{
	static const enum lg_query_type types[] = {
		Q_BGP_NEIGHBOR_RECEIVED, Q_BGP_NEIGHBOR_ADVERTISED
	};
	char		 dir[LG_PATH_MAX * 2], raw[LG_PATH_MAX * 3];
	char		 name[LG_PATH_MAX], expf[LG_PATH_MAX * 3];
	struct dirent	*de;
	json_t		*want, *got, *exp;
	json_error_t	 jerr;
	DIR		*d;
	size_t		 p, t, n = 0;
	int		 bad = 0;

	(void)state;
	for (p = 0; platforms[p].dir != NULL; p++) {
		snprintf(dir, sizeof(dir), "%s/parse/%s", fixtures,
		    platforms[p].dir);
		assert_non_null(d = opendir(dir));
		while ((de = readdir(d)) != NULL) {
			if (text_sample(de->d_name) < 0 || strncmp(de->d_name,
			    "route_table__", 13) != 0)
				continue;
			snprintf(raw, sizeof(raw), "%s/%s", dir, de->d_name);
			snprintf(expf, sizeof(expf), "%.*s.expect.json",
			    (int)(strlen(raw) - 4), raw);
			assert_non_null(exp = json_load_file(expf, 0, &jerr));
			want = parse_file(platforms[p].driver,
			    Q_BGP_COMMUNITY, raw);
			for (t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
				snprintf(name, sizeof(name), "%s %s %s",
				    platforms[p].driver, query_name(types[t]),
				    de->d_name);
				got = parse_file(platforms[p].driver, types[t],
				    raw);
				if (got == NULL) {
					/* BIRD: no advertised routes. */
					bad |= types[t] != Q_BGP_NEIGHBOR_ADVERTISED;
					continue;
				}
				if (!json_equal(want, got) ||
				    check_table(name, exp, got)) {
					print_message("# %s: not the table\n",
					    name);
					bad = 1;
				}
				json_decref(got);
				n++;
			}
			json_decref(want);
			json_decref(exp);
		}
		closedir(d);
	}
	assert_true(n >= 14);
	if (bad)
		fail_msg("neighbor tables do not parse as route tables");
}

static void
test_vendor_output(void **state)
{
	char		 raw[LG_PATH_MAX * 2], name[LG_PATH_MAX];
	json_t		*got;
	size_t		 i, p;
	int		 bad = 0;

	(void)state;
	for (i = 0; vendor_samples[i].dir != NULL; i++) {
		for (p = 0; strcmp(platforms[p].dir, vendor_samples[i].dir);
		    p++)
			;
		snprintf(raw, sizeof(raw), "%s/vendor-output/%s/%s.raw",
		    fixtures, vendor_samples[i].dir, vendor_samples[i].file);
		snprintf(name, sizeof(name), "vendor__%s__%s",
		    vendor_samples[i].dir, vendor_samples[i].file);
		if ((got = parse_file(platforms[p].driver,
		    vendor_samples[i].type, raw)) == NULL) {
			bad = 1;
			continue;
		}
		golden_check(name, got);
		if (vendor_samples[i].error_line > 0) {
			if (json_integer_value(json_object_get(got, "line")) !=
			    vendor_samples[i].error_line) {
				print_message("# %s: no error at line %d\n",
				    name, vendor_samples[i].error_line);
				bad = 1;
			}
		} else if (json_object_get(got, "error") != NULL) {
			print_message("# %s: %s at line %lld\n", name,
			    json_string_value(json_object_get(got, "error")),
			    json_integer_value(json_object_get(got, "line")));
			bad = 1;
		}
		json_decref(got);
	}
	if (bad)
		fail_msg("vendor samples fail to parse");
}

/* A prefix of a route answer with paths, each with a next hop and AS path. */
static int
whole_route(json_t *pfx)
{
	json_t		*path;
	size_t		 i;

	if (json_array_size(json_object_get(pfx, "paths")) == 0)
		return -1;
	json_array_foreach(json_object_get(pfx, "paths"), i, path)
		if (!json_is_string(json_object_get(path, "next_hop")) ||
		    !json_is_array(json_object_get(path, "as_path")))
			return -1;
	return 0;
}

/*
 * Answers captured from the lab's routers (tests/unit/parse-lab/, named
 * <driver>-<version>__<type>[_<what>].txt, README there): each parses
 * without error to at least one item, and to its golden file; every
 * route whole (no half-read row).  frr-8.4 bgp_community IPv6 is the
 * regression test of a table row whose next hop pushes the numbers to the
 * next line, frr-8.4 bgp_neighbor_received IPv6 of one whose prefix
 * pushes the rest of the row to the next line.  The RIB answers (route) are
 * FRR's and BIRD's, each entry with its protocol and a next hop.
 */
static void
test_lab_samples(void **state)
{
	static const char *const lists[] = { "prefixes", "entries",
	    "neighbors", "hops", NULL };
	char		 dir[LG_PATH_MAX + 32], path[LG_PATH_MAX * 2];
	char		 driver[64], name[LG_PATH_MAX];
	struct dirent	*de;
	const char	*t;
	enum lg_query_type type;
	json_t		*got, *e;
	DIR		*d;
	size_t		 i, k, n = 0, items;
	int		 bad = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/unit/parse-lab", top);
	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (strstr(de->d_name, ".txt") == NULL)
			continue;
		snprintf(driver, sizeof(driver), "%.*s",
		    (int)strcspn(de->d_name, "-"), de->d_name);
		t = strstr(de->d_name, "__");
		assert_non_null(t);
		for (k = 0; k < Q_COUNT; k++)
			if (strncmp(t + 2, query_name((enum lg_query_type)k),
			    strlen(query_name((enum lg_query_type)k))) == 0 &&
			    strchr("_.", t[2 + strlen(query_name(
			    (enum lg_query_type)k))]) != NULL)
				break;
		assert_true(k < Q_COUNT);
		type = (enum lg_query_type)k;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		snprintf(name, sizeof(name), "lab__%.*s",
		    (int)(strlen(de->d_name) - 4), de->d_name);
		got = parse_file(driver, type, path);
		assert_non_null(got);
		golden_check(name, got);
		for (items = 0, k = 0; lists[k] != NULL; k++)
			items += json_array_size(json_object_get(got,
			    lists[k]));
		if (json_object_get(got, "error") != NULL || items == 0) {
			print_message("# %s: %s\n", name, json_string_value(
			    json_object_get(got, "error")));
			bad = 1;
		}
		/* Every route whole: one path, its next hop and AS path. */
		json_array_foreach(json_object_get(got, "prefixes"), i, e)
			if (whole_route(e) == -1) {
				print_message("# %s: prefix %zu is not a whole "
				    "route\n", name, i);
				bad = 1;
			}
		json_array_foreach(json_object_get(got, "entries"), i, e)
			if (!json_is_string(json_object_get(e, "protocol")) ||
			    json_array_size(json_object_get(e,
			    "next_hops")) == 0) {
				print_message("# %s: entry %zu lacks its "
				    "protocol or next hop\n", name, i);
				bad = 1;
			}
		json_decref(got);
		n++;
	}
	closedir(d);
	assert_true(n >= 19);
	if (bad)
		fail_msg("lab answers do not parse");
}

/*
 * The emulator's answers (tests/emulator/fixtures/, templates filled as
 * tests/emulator/fixture.c fills them, IOS-XR's date line included) parse
 * without error: each route, community and AS-path answer to its
 * prefixes, every path with a next hop and an AS path; each "missing"
 * answer to not_found; and the RIB, summary, neighbor, ping and
 * traceroute answers of the vendor platforms as emu_other says.
 */
static const struct {
	const char	*dir;
	const char	*driver;
} emu_platforms[] = {
	{ "ios", "cisco-ios" }, { "iosxr", "cisco-iosxr" },
	{ "nxos", "cisco-nxos" }, { "eos", "arista-eos" },
	{ "junos", "juniper-junos" }, { NULL, NULL }
};

static char *
emu_fill(const char *path, int v6, size_t *len)
{
	static const char *const vals[][3] = {
		{ "{prefix}", "1.0.4.0/24", "2001:db8::/32" },
		{ "{address}", "1.0.4.1", "2001:db8::1" },
		{ "{nexthop}", "80.249.208.41", "2001:7f8:1::a506:4510:1" },
		{ "{as1}", "64510", "64510" },
		{ "{as2}", "65010", "65010" },
		{ "{timestamp}", "Mon Dec  7 04:00:00.000 UTC\n",
		    "Mon Dec  7 04:00:00.000 UTC\n" },
		{ "{pause}", "", "" },
		{ NULL, NULL, NULL }
	};
	char		 in[16384], *out, *w;
	size_t		 n, i, k;
	FILE		*fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	n = fread(in, 1, sizeof(in) - 1, fp);
	fclose(fp);
	in[n] = '\0';
	assert_non_null(w = out = malloc(2 * sizeof(in)));
	for (i = 0; i < n;) {
		for (k = 0; vals[k][0] != NULL; k++)
			if (strncmp(in + i, vals[k][0], strlen(vals[k][0])) == 0)
				break;
		if (vals[k][0] == NULL) {
			*w++ = in[i++];
			continue;
		}
		w += sprintf(w, "%s", vals[k][v6 ? 2 : 1]);
		i += strlen(vals[k][0]);
	}
	*len = (size_t)(w - out);
	return out;
}

/* A route answer: prefixes (none when missing), each path complete. */
static int
emu_routes(const char *path, json_t *j, int missing)
{
	json_t		*pfx, *path_;
	size_t		 i, k;
	int		 bad = 0;

	if (missing != json_is_true(json_object_get(j, "not_found"))) {
		print_message("# %s: not_found is not %d\n", path, missing);
		bad = 1;
	}
	json_array_foreach(json_object_get(j, "prefixes"), i, pfx)
		json_array_foreach(json_object_get(pfx, "paths"), k, path_)
			if (json_is_null(json_object_get(path_, "next_hop")) ||
			    json_is_null(json_object_get(path_, "as_path"))) {
				print_message("# %s: %s path %zu lacks its next "
				    "hop or AS path\n", path, json_string_value(
				    json_object_get(pfx, "prefix")), k);
				bad = 1;
			}
	return bad;
}

/*
 * The other kinds: a RIB entry per route (none when missing) with its
 * protocol, distance and a next hop; every neighbor of a summary with
 * its address, AS and state (a neighbor answer: its one session); a
 * ping's counts and RTTs; a traceroute
 * that reaches the address asked for.
 */
static int
emu_other(const char *path, enum lg_query_type type, json_t *j, int missing)
{
	json_t		*e, *nh;
	size_t		 i;
	int		 bad = 0;

	switch (type) {
	case Q_ROUTE:
		bad = (json_array_size(json_object_get(j, "entries")) == 0) !=
		    missing;
		json_array_foreach(json_object_get(j, "entries"), i, e) {
			nh = json_array_get(json_object_get(e, "next_hops"), 0);
			if (!json_is_string(json_object_get(e, "protocol")) ||
			    !json_is_integer(json_object_get(e, "distance")) ||
			    !json_is_string(json_object_get(nh, "address")))
				bad = 1;
		}
		break;
	case Q_BGP_SUMMARY:
	case Q_BGP_NEIGHBORS:
		i = json_array_size(json_object_get(j, "neighbors"));
		bad = type == Q_BGP_NEIGHBORS ? i != 1 : i == 0;
		json_array_foreach(json_object_get(j, "neighbors"), i, e)
			if (!json_is_string(json_object_get(e, "address")) ||
			    !json_is_integer(json_object_get(e, "remote_as")) ||
			    !json_is_string(json_object_get(e, "state")))
				bad = 1;
		break;
	case Q_PING:
		bad = json_integer_value(json_object_get(j, "sent")) != 5 ||
		    json_integer_value(json_object_get(j, "received")) != 5 ||
		    !json_is_number(json_object_get(json_object_get(j,
		    "rtt_ms"), "avg"));
		break;
	default:
		bad = json_array_size(json_object_get(j, "hops")) < 3 ||
		    !json_is_true(json_object_get(j, "complete"));
		break;
	}
	if (bad) {
		char *s = json_dumps(j, JSON_COMPACT);

		print_message("# %s: incomplete answer: %.800s\n", path, s);
		free(s);
	}
	return bad;
}

static int
emu_check(const char *driver, enum lg_query_type type, const char *path,
    int v6, int missing)
{
	const struct lg_driver	*drv;
	struct parser		*p;
	json_t			*j;
	char			*text, err[128];
	size_t			 len;
	int			 bad = 0;

	if ((text = emu_fill(path, v6, &len)) == NULL)
		return 0;
	assert_non_null(drv = drivers_find(&ds, driver));
	if ((p = parser_new(drv, type, v6 ? AFI_IPV6 : AFI_IPV4, 0, err,
	    sizeof(err))) == NULL) {
		print_message("# %s has no rules for %s\n", driver,
		    query_name(type));
		free(text);
		return 1;
	}
	parser_feed_text(p, text, len);
	free(text);
	j = parser_finish(p);
	parser_free(p);
	if (json_object_get(j, "error") != NULL) {
		print_message("# %s: %s at line %lld\n", path,
		    json_string_value(json_object_get(j, "error")),
		    json_integer_value(json_object_get(j, "line")));
		bad = 1;
	} else if (parse_kind_routes(type))
		bad = emu_routes(path, j, missing);
	else
		bad = emu_other(path, type, j, missing);
	json_decref(j);
	return bad;
}

static void
test_emulator(void **state)
{
	static const struct {
		const char		*file;
		enum lg_query_type	 type;
		int			 v6;
		int			 missing;
	} files[] = {
		{ "bgp_route_v4", Q_BGP_ROUTE, 0, 0 },
		{ "bgp_route_v6", Q_BGP_ROUTE, 1, 0 },
		{ "bgp_route_detail_v4", Q_BGP_ROUTE, 0, 0 },
		{ "bgp_route_detail_v6", Q_BGP_ROUTE, 1, 0 },
		{ "bgp_route_missing", Q_BGP_ROUTE, 0, 1 },
		{ "bgp_community_v4", Q_BGP_COMMUNITY, 0, 0 },
		{ "bgp_community_v6", Q_BGP_COMMUNITY, 1, 0 },
		{ "bgp_aspath_v4", Q_BGP_ASPATH, 0, 0 },
		{ "bgp_aspath_v6", Q_BGP_ASPATH, 1, 0 },
		{ "route_v4", Q_ROUTE, 0, 0 },
		{ "route_v6", Q_ROUTE, 1, 0 },
		{ "route_missing", Q_ROUTE, 0, 1 },
		{ "bgp_summary_v4", Q_BGP_SUMMARY, 0, 0 },
		{ "bgp_summary_v6", Q_BGP_SUMMARY, 1, 0 },
		{ "bgp_neighbor_v4", Q_BGP_NEIGHBORS, 0, 0 },
		{ "bgp_neighbor_v6", Q_BGP_NEIGHBORS, 1, 0 },
		{ "ping_v4", Q_PING, 0, 0 },
		{ "ping_v6", Q_PING, 1, 0 },
		{ "traceroute_v4", Q_TRACEROUTE, 0, 0 },
		{ "traceroute_v6", Q_TRACEROUTE, 1, 0 },
		{ NULL, Q_COUNT, 0, 0 }
	};
	char		 path[LG_PATH_MAX * 2];
	size_t		 p, f;
	int		 bad = 0;

	(void)state;
	for (p = 0; emu_platforms[p].dir != NULL; p++)
		for (f = 0; files[f].file != NULL; f++) {
			snprintf(path, sizeof(path), "%s/tests/emulator/"
			    "fixtures/%s/%s.txt", top, emu_platforms[p].dir,
			    files[f].file);
			bad |= emu_check(emu_platforms[p].driver,
			    files[f].type, path, files[f].v6,
			    files[f].missing);
		}
	if (bad)
		fail_msg("emulator answers do not parse cleanly");
}

/*
 * bgp_neighbors, the facts of each sample read by hand: the lab's real
 * FRR 8.4 (r1's sessions with the upstream, IPv4 and IPv6, and with the
 * second upstream) and the emulator's answers for the vendor platforms
 * (templates filled as test_emulator fills them).  -1 is a field the
 * platform does not print: null.
 */
static const struct {
	const char	*driver;
	const char	*file;		/* lab: under tests/unit/parse-lab */
	int		 emu;		/* 0 lab, 4 or 6 the emulator's */
	const char	*address;
	long long	 remote_as, uptime_s, received, accepted, advertised;
	long long	 msgs_in, updates_in;
	const char	*last_error;
} nbr_facts[] = {
	{ "frr", "frr-8.4__bgp_neighbors_v4", 0, "198.19.1.1", 64500, 36,
	    -1, 50004, -1, 30365, 30363, "Waiting for peer OPEN" },
	{ "frr", "frr-8.4__bgp_neighbors_v6", 0, "2001:2:0:1::1", 64500, 36,
	    -1, 10004, -1, 5212, 5210, "Waiting for peer OPEN" },
	{ "frr", "frr-8.4__bgp_neighbors_second_v4", 0, "198.19.1.5", 64510,
	    36, -1, 2, -1, 9, 5, "Waiting for peer OPEN" },
	{ "cisco-ios", "ios", 4, "1.0.4.1", 64510, 1641600, 930012, -1, 3,
	    9912033, 9532423, "Peer closed the session of session 1" },
	{ "cisco-ios", "ios", 6, "2001:db8::1", 64510, 1641600, 211904, -1,
	    3, 9912033, 9532423, "Peer closed the session of session 1" },
	{ "cisco-iosxr", "iosxr", 4, "1.0.4.1", 64510, 1641600, -1, 930012,
	    3, 9912033, -1, NULL },
	{ "cisco-iosxr", "iosxr", 6, "2001:db8::1", 64510, 1641600, -1,
	    211904, 3, 9912033, -1, NULL },
	{ "cisco-nxos", "nxos", 4, "1.0.4.1", 64510, 1641600, -1, 930012, 3,
	    9912033, -1, "session closed" },
	{ "cisco-nxos", "nxos", 6, "2001:db8::1", 64510, 1641600, -1, 211904,
	    3, 9912033, -1, "session closed" },
	{ "juniper-junos", "junos", 4, "1.0.4.1", 64510, -1, 930012, 930012,
	    3, 9912033, 9532423, NULL },
	{ "juniper-junos", "junos", 6, "2001:db8::1", 64510, -1, 211904,
	    211904, 3, 9912033, 9532423, NULL },
	{ "arista-eos", "eos", 4, "1.0.4.1", 64510, 1670400, 930012, -1, 3,
	    9912033, 9532423, NULL },
	{ "arista-eos", "eos", 6, "2001:db8::1", 64510, 1670400, 211904, -1,
	    3, 9912033, 9532423, NULL },
	{ NULL, NULL, 0, NULL, 0, 0, 0, 0, 0, 0, 0, NULL }
};

/* The parsed answer of a text, fed whole. */
static json_t *
parse_text(const char *driver, enum lg_query_type type, const char *text,
    size_t len)
{
	const struct lg_driver	*drv;
	struct parser		*p;
	json_t			*j;
	char			 err[128];

	assert_non_null(drv = drivers_find(&ds, driver));
	assert_non_null(p = parser_new(drv, type, AFI_ANY, 0, err,
	    sizeof(err)));
	parser_feed_text(p, text, len);
	assert_non_null(j = parser_finish(p));
	parser_free(p);
	return j;
}

/* 0 when a field holds the integer wanted, or null for -1. */
static int
nbr_int(const char *name, json_t *n, const char *field, long long want)
{
	json_t		*v = json_object_get(n, field);

	if (want == -1 ? json_is_null(v) : (json_is_integer(v) &&
	    json_integer_value(v) == want))
		return 0;
	print_message("# %s: %s is %s, want %lld\n", name, field,
	    json_is_integer(v) ? "another number" : "not a number", want);
	return 1;
}

static int
nbr_str(const char *name, json_t *n, const char *field, const char *want)
{
	const char	*v = json_string_value(json_object_get(n, field));

	if (want == NULL ? json_is_null(json_object_get(n, field)) :
	    (v != NULL && strcmp(v, want) == 0))
		return 0;
	print_message("# %s: %s is '%s', want '%s'\n", name, field,
	    v != NULL ? v : "(null)", want != NULL ? want : "(null)");
	return 1;
}

static int
nbr_check(size_t i, json_t *j)
{
	const char	*name = nbr_facts[i].file;
	json_t		*n;
	int		 bad = 0;

	if (json_array_size(json_object_get(j, "neighbors")) != 1) {
		print_message("# %s: not one neighbor\n", name);
		return 1;
	}
	n = json_array_get(json_object_get(j, "neighbors"), 0);
	bad |= nbr_str(name, n, "address", nbr_facts[i].address);
	bad |= nbr_str(name, n, "state", "established");
	bad |= nbr_str(name, n, "last_error", nbr_facts[i].last_error);
	bad |= nbr_int(name, n, "remote_as", nbr_facts[i].remote_as);
	bad |= nbr_int(name, n, "uptime_s", nbr_facts[i].uptime_s);
	bad |= nbr_int(name, n, "prefixes_received", nbr_facts[i].received);
	bad |= nbr_int(name, n, "prefixes_accepted", nbr_facts[i].accepted);
	bad |= nbr_int(name, n, "prefixes_advertised",
	    nbr_facts[i].advertised);
	bad |= nbr_int(name, n, "messages_received", nbr_facts[i].msgs_in);
	bad |= nbr_int(name, n, "updates_received", nbr_facts[i].updates_in);
	return bad;
}

static void
test_neighbors(void **state)
{
	static const char nosuch[] = "% No such neighbor in this view/vrf\n";
	char		 path[LG_PATH_MAX * 2], *text;
	json_t		*j;
	size_t		 i, len;
	int		 bad = 0;

	(void)state;
	for (i = 0; nbr_facts[i].driver != NULL; i++) {
		if (nbr_facts[i].emu == 0) {
			snprintf(path, sizeof(path), "%s/tests/unit/"
			    "parse-lab/%s.txt", top, nbr_facts[i].file);
			j = parse_file(nbr_facts[i].driver, Q_BGP_NEIGHBORS,
			    path);
		} else {
			snprintf(path, sizeof(path), "%s/tests/emulator/"
			    "fixtures/%s/bgp_neighbor_v%d.txt", top,
			    nbr_facts[i].file, nbr_facts[i].emu);
			assert_non_null(text = emu_fill(path,
			    nbr_facts[i].emu == 6, &len));
			j = parse_text(nbr_facts[i].driver, Q_BGP_NEIGHBORS,
			    text, len);
			free(text);
		}
		assert_non_null(j);
		bad |= nbr_check(i, j);
		json_decref(j);
	}
	/* FRR's answer for an address it has no session with: none. */
	j = parse_text("frr", Q_BGP_NEIGHBORS, nosuch, sizeof(nosuch) - 1);
	assert_int_equal(json_array_size(json_object_get(j, "neighbors")), 0);
	assert_null(json_object_get(j, "error"));
	json_decref(j);
	if (bad)
		fail_msg("bgp_neighbors samples do not parse to their facts");
}

/*
 * Row i of a generated table, as tests/emulator/fixture.c writes it
 * (fixture_table_line): the row template with its prefix, next hop and
 * ASNs.
 */
static void
emu_row(struct lg_buf *b, const char *tpl, int v6, unsigned int i)
{
	char		 v[4][64];
	const char	*keys[4] = { "{prefix}", "{nexthop}", "{as1}", "{as2}" };
	size_t		 k;

	if (v6)
		snprintf(v[0], sizeof(v[0]), "2a00:%x:%x::/48", i >> 16,
		    i & 0xffff);
	else
		snprintf(v[0], sizeof(v[0]), "%u.%u.%u.0/24", 1 + (i >> 16) %
		    222, (i >> 8) & 0xff, i & 0xff);
	snprintf(v[1], sizeof(v[1]), v6 ? "2001:7f8::%x:1" :
	    "80.249.208.%u", 1 + i % 200);
	snprintf(v[2], sizeof(v[2]), "%u", 64500 + i % 17);
	snprintf(v[3], sizeof(v[3]), "%u", 64600 + i % 409);
	while (*tpl != '\0') {
		for (k = 0; k < 4; k++)
			if (strncmp(tpl, keys[k], strlen(keys[k])) == 0)
				break;
		if (k < 4) {
			assert_int_equal(buf_append(b, v[k], strlen(v[k])), 0);
			tpl += strlen(keys[k]);
		} else
			assert_int_equal(buf_append(b, tpl++, 1), 0);
	}
	if (b->len > 0 && b->data[b->len - 1] != '\n')
		assert_int_equal(buf_append(b, "\n", 1), 0);
}

/* A file of tests/emulator/fixtures/DIR/, whole. */
static char *
emu_file(const char *dir, const char *name)
{
	char		 path[LG_PATH_MAX * 2], *text;
	size_t		 n;
	FILE		*fp;

	snprintf(path, sizeof(path), "%s/tests/emulator/fixtures/%s/%s.txt",
	    top, dir, name);
	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	assert_non_null(text = malloc(16384));
	n = fread(text, 1, 16383, fp);
	fclose(fp);
	text[n] = '\0';
	return text;
}

/*
 * Parses a generated table of n rows as type; with cut, the text ends
 * after the first line of one more row and the parse is cut there, as
 * the broker's output cap cuts it.
 */
static json_t *
emu_table(const char *driver, enum lg_query_type type, const char *hdr,
    const char *row, int v6, unsigned int n, int cut)
{
	const struct lg_driver	*drv;
	struct parser		*p;
	struct lg_buf		 b;
	json_t			*j;
	char			 err[128];
	size_t			 before;
	unsigned int		 i;

	buf_init(&b, 1024 * 1024);
	assert_int_equal(buf_append(&b, hdr, strlen(hdr)), 0);
	for (i = 0; i < n + (cut ? 1 : 0); i++) {
		before = b.len;
		emu_row(&b, row, v6, i);
		if (cut && i == n)
			b.len = before + strcspn(b.data + before, "\n") + 1;
	}
	assert_non_null(drv = drivers_find(&ds, driver));
	assert_non_null(p = parser_new(drv, type, v6 ? AFI_IPV6 : AFI_IPV4,
	    0, err, sizeof(err)));
	parser_feed_text(p, b.data, b.len);
	if (cut)
		parser_cut(p);
	j = parser_finish(p);
	parser_free(p);
	buf_free(&b);
	return j;
}

/* n prefixes, each one path with its next hop (none for "Self") and path. */
static int
emu_table_check(const char *what, json_t *j, unsigned int n, int self)
{
	json_t		*pfx, *path;
	size_t		 i;
	int		 bad = 0;

	if (json_array_size(json_object_get(j, "prefixes")) != n) {
		print_message("# %s: %zu prefixes, want %u (%s)\n", what,
		    json_array_size(json_object_get(j, "prefixes")), n,
		    json_string_value(json_object_get(j, "error")));
		return 1;
	}
	json_array_foreach(json_object_get(j, "prefixes"), i, pfx) {
		path = json_array_get(json_object_get(pfx, "paths"), 0);
		if (json_array_size(json_object_get(pfx, "paths")) != 1 ||
		    json_is_null(json_object_get(path, "next_hop")) != self ||
		    json_array_size(json_object_get(path, "as_path")) != 2) {
			print_message("# %s: prefix %zu is not a whole row\n",
			    what, i);
			bad = 1;
		}
	}
	return bad;
}

/*
 * The emulator's neighbor tables (received and advertised, both
 * families, every platform) parse row for row; cut by the cap in the
 * middle of a row (IPv6 rows take three lines on IOS, IOS-XR and NX-OS),
 * the answer is the rows before it and says truncated: no half-read
 * last row.
 */
static void
test_emulator_tables(void **state)
{
	static const struct {
		const char		*dir;
		enum lg_query_type	 type;
		const char		*base;	/* header; row: base_row */
		int			 self;	/* next hop "Self" */
	} tables[] = {
		{ "ios", Q_BGP_NEIGHBOR_RECEIVED, "bgp_table", 0 },
		{ "ios", Q_BGP_NEIGHBOR_ADVERTISED, "bgp_table", 0 },
		{ "iosxr", Q_BGP_NEIGHBOR_RECEIVED, "bgp_table", 0 },
		{ "iosxr", Q_BGP_NEIGHBOR_ADVERTISED, "bgp_table", 0 },
		{ "nxos", Q_BGP_NEIGHBOR_RECEIVED, "bgp_table", 0 },
		{ "nxos", Q_BGP_NEIGHBOR_ADVERTISED, "bgp_table", 0 },
		{ "eos", Q_BGP_NEIGHBOR_RECEIVED, "bgp_table", 0 },
		{ "eos", Q_BGP_NEIGHBOR_ADVERTISED, "bgp_table", 0 },
		{ "junos", Q_BGP_NEIGHBOR_RECEIVED, "bgp_received", 0 },
		{ "junos", Q_BGP_NEIGHBOR_ADVERTISED, "bgp_advertised", 1 },
		{ NULL, Q_COUNT, NULL, 0 }
	};
	char		 name[64], what[128], *hdr, *row;
	const char	*driver;
	json_t		*j;
	size_t		 t, p;
	int		 v6, cut, bad = 0;

	(void)state;
	for (t = 0; tables[t].dir != NULL; t++)
		for (v6 = 0; v6 < 2; v6++) {
			for (p = 0; strcmp(emu_platforms[p].dir,
			    tables[t].dir) != 0; p++)
				;
			driver = emu_platforms[p].driver;
			snprintf(name, sizeof(name), "%s_%s", tables[t].base,
			    v6 ? "v6" : "v4");
			assert_non_null(hdr = emu_file(tables[t].dir, name));
			snprintf(name, sizeof(name), "%s_row_%s",
			    tables[t].base, v6 ? "v6" : "v4");
			assert_non_null(row = emu_file(tables[t].dir, name));
			for (cut = 0; cut < 2; cut++) {
				snprintf(what, sizeof(what), "%s %s %s%s",
				    driver, query_name(tables[t].type), name,
				    cut ? " cut" : "");
				j = emu_table(driver, tables[t].type, hdr, row,
				    v6, 300, cut);
				bad |= emu_table_check(what, j, 300,
				    tables[t].self);
				if (json_is_true(json_object_get(j,
				    "truncated")) != cut) {
					print_message("# %s: truncated is not "
					    "%d\n", what, cut);
					bad = 1;
				}
				json_decref(j);
			}
			free(hdr);
			free(row);
		}
	if (bad)
		fail_msg("emulator neighbor tables do not parse row for row");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_neighbor_tables),
		cmocka_unit_test(test_vendor_output),
		cmocka_unit_test(test_emulator),
		cmocka_unit_test(test_emulator_tables),
		cmocka_unit_test(test_neighbors),
		cmocka_unit_test(test_lab_samples),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
