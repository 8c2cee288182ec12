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
 * Unit tests of the route facts (DESIGN.md section 13): the AS-name CSV
 * loader (src/lib/asnames.c), community patterns and their directory
 * (src/lib/commdesc.c), the config keys asn_names, communities and rpki
 * (src/lib/config_facts.c), and the annotation of a parsed answer
 * (src/lib/parse_facts.c) with a fake validation hook.  Files are
 * written into a private temporary directory.
 */

#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "lg.h"
#include "lg_parse.h"
#include "diag_check.h"

static char	 dir[64];

static int
setup(void **state)
{
	(void)state;
	lg_strlcpy(dir, "/tmp/lg-test-facts.XXXXXX", sizeof(dir));
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char	 cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
write_file(const char *name, const char *text, char *path, size_t len)
{
	FILE	*f;

	snprintf(path, len, "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* ---- AS names ---- */

static void
test_asnames_lines(void **state)
{
	char		 line[256];
	const char	*name, *why;
	uint32_t	 asn;

	(void)state;
	lg_strlcpy(line, "AS15169,GOOGLE,Content,US", sizeof(line));
	assert_int_equal(asnames_parse_line(line, &asn, &name, &why), 0);
	assert_int_equal(asn, 15169);
	assert_string_equal(name, "GOOGLE");
	lg_strlcpy(line, "  4200000000 , Private 32-bit \r\n", sizeof(line));
	assert_int_equal(asnames_parse_line(line, &asn, &name, &why), 0);
	assert_int_equal(asn, 4200000000U);
	assert_string_equal(name, "Private 32-bit");
	lg_strlcpy(line, "64500,\"Example, Inc. \"\"EX\"\"\",ZZ", sizeof(line));
	assert_int_equal(asnames_parse_line(line, &asn, &name, &why), 0);
	assert_string_equal(name, "Example, Inc. \"EX\"");
	lg_strlcpy(line, "# a comment", sizeof(line));
	assert_int_equal(asnames_parse_line(line, &asn, &name, &why), 1);
	lg_strlcpy(line, "   ", sizeof(line));
	assert_int_equal(asnames_parse_line(line, &asn, &name, &why), 1);

	lg_strlcpy(line, "4294967296,TOO BIG", sizeof(line));
	assert_int_equal(asnames_parse_line(line, &asn, &name, &why), -1);
	assert_non_null(strstr(why, "AS number"));
	lg_strlcpy(line, "0123,LEADING ZERO", sizeof(line));
	assert_int_equal(asnames_parse_line(line, &asn, &name, &why), -1);
	lg_strlcpy(line, "64501", sizeof(line));
	assert_int_equal(asnames_parse_line(line, &asn, &name, &why), -1);
	assert_non_null(strstr(why, "no name"));
	lg_strlcpy(line, "64501,", sizeof(line));
	assert_int_equal(asnames_parse_line(line, &asn, &name, &why), -1);
	assert_non_null(strstr(why, "empty"));
	lg_strlcpy(line, "64501,\"unterminated", sizeof(line));
	assert_int_equal(asnames_parse_line(line, &asn, &name, &why), -1);
	assert_non_null(strstr(why, "quote"));
	lg_strlcpy(line, "64501,bad\001name", sizeof(line));
	assert_int_equal(asnames_parse_line(line, &asn, &name, &why), -1);
	assert_non_null(strstr(why, "control"));
}

/* Bad lines are warnings with file:line; the good ones all load. */
static void
test_asnames_file(void **state)
{
	struct lg_asnames	 t = { 0 };
	struct lg_diag		 d;
	char			 path[LG_PATH_MAX], want[LG_PATH_MAX + 16];

	(void)state;
	write_file("asn.csv",
	    "# a dump, its header after a comment\n"
	    "asn,name,class,cc\n"
	    "AS15169,GOOGLE,Content,US\n"
	    "not-a-number,X\n"
	    "13335,CLOUDFLARENET\n"
	    "\n"
	    "64500,OLD NAME\n"
	    "64500,NEW NAME\n"
	    "3356\n"
	    "asn,a header line further down is a bad line\n", path,
	    sizeof(path));
	diag_init(&d);
	assert_int_equal(asnames_load(path, &t, &d), 0);
	dump(&d);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(d.nmsgs, 3);
	snprintf(want, sizeof(want), "%s:4:", path);
	assert_true(has_msg(&d, want));
	snprintf(want, sizeof(want), "%s:9:", path);
	assert_true(has_msg(&d, want));
	snprintf(want, sizeof(want), "%s:10:", path);
	assert_true(has_msg(&d, want));
	assert_int_equal(t.n, 3);
	assert_string_equal(asnames_find(&t, 15169), "GOOGLE");
	assert_string_equal(asnames_find(&t, 13335), "CLOUDFLARENET");
	assert_string_equal(asnames_find(&t, 64500), "NEW NAME");
	assert_null(asnames_find(&t, 3356));
	assert_null(asnames_find(&t, 0));
	assert_null(asnames_find(NULL, 15169));
	asnames_free(&t);
	diag_free(&d);

	/* A missing file is a warning too, never an error. */
	diag_init(&d);
	snprintf(path, sizeof(path), "%s/absent.csv", dir);
	assert_int_equal(asnames_load(path, &t, &d), -1);
	assert_int_equal(d.nerrors, 0);
	assert_true(has_msg(&d, "absent.csv"));
	assert_int_equal(t.n, 0);
	diag_free(&d);
}

/* ---- community descriptions ---- */

static int
matches(const char *pattern, const char *community)
{
	struct commdesc_pattern	 p = { 0 };
	char			 err[LG_ERRSTR_MAX];

	if (commdesc_pattern_parse(pattern, &p, err, sizeof(err)) == -1)
		fail_msg("%s: %s", pattern, err);
	return commdesc_pattern_match(&p, community);
}

static void
test_commdesc_patterns(void **state)
{
	(void)state;
	assert_true(matches("65000:100", "65000:100"));
	assert_false(matches("65000:100", "65000:1000"));
	assert_false(matches("65000:100", "65000:100:0"));
	assert_true(matches("65000:1nnn", "65000:1000"));
	assert_true(matches("65000:1nnn", "65000:1999"));
	assert_false(matches("65000:1nnn", "65000:2000"));
	assert_false(matches("65000:1nnn", "65000:100"));
	assert_false(matches("65000:1nnn", "65000:10000"));
	assert_true(matches("65000:1n5n", "65000:1256"));
	assert_false(matches("65000:1n5n", "65000:1266"));
	assert_true(matches("65000:100-199", "65000:100"));
	assert_true(matches("65000:100-199", "65000:199"));
	assert_false(matches("65000:100-199", "65000:99"));
	assert_false(matches("65000:100-199", "65000:200"));
	assert_true(matches("6450n:0-65535", "64501:7"));
	assert_true(matches("65000:1:2", "65000:1:2"));
	assert_false(matches("65000:1:2", "65000:1"));
	assert_true(matches("4200000000:0-9:1nn", "4200000000:5:150"));
	assert_false(matches("4200000000:0-9:1nn", "4200000000:10:150"));
	assert_false(matches("65000:100", "garbage"));
	assert_false(matches("65000:100", "65000:"));
}

static void
test_commdesc_bad_patterns(void **state)
{
	struct commdesc_pattern	 p = { 0 };
	char			 err[LG_ERRSTR_MAX];
	static const char *const bad[] = {
		"65000", "65000:100:1:2", "65536:1", "65000:70000",
		"65000:200-100", "65000:1x", "65000:01", "65000:",
		":1", "65000:1-", "4294967296:1:1", "65000:0nn", NULL
	};
	size_t			 i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++)
		if (commdesc_pattern_parse(bad[i], &p, err, sizeof(err)) != -1)
			fail_msg("%s accepted", bad[i]);
}

/*
 * The directory: files in name order, hidden and backup files skipped;
 * an exact pattern wins over an earlier wildcard; the first matching
 * pattern otherwise; the well-known names built in.
 */
static void
test_commdesc_dir(void **state)
{
	struct lg_commdesc	 t = { 0 };
	struct lg_diag		 d;
	char			 path[LG_PATH_MAX], cdir[LG_PATH_MAX];
	char			 want[LG_PATH_MAX + 32], buf[COMMDESC_DESCR_MAX];

	(void)state;
	snprintf(cdir, sizeof(cdir), "%s/communities", dir);
	assert_int_equal(mkdir(cdir, 0700), 0);
	write_file("communities/10-routes.txt",
	    "# origin tags\n"
	    "65000:1nnn, Learned in Europe\n"
	    "65000:1234 ,Frankfurt IX\n"
	    "65000:100-199,Customer route\n"
	    "65000:1:2,Large: do not announce to peers\n"
	    "bad line without comma\n"
	    "65000:99999,Out of range\n", path, sizeof(path));
	write_file("communities/20-more.txt",
	    "65000:100-199,Shadowed by the earlier file\n"
	    "65535:666,Our blackhole\n", path, sizeof(path));
	write_file("communities/.hidden", "65000:5,hidden\n", path,
	    sizeof(path));
	write_file("communities/old.txt~", "65000:6,backup\n", path,
	    sizeof(path));
	diag_init(&d);
	assert_int_equal(commdesc_load(cdir, &t, &d), 0);
	dump(&d);
	assert_int_equal(d.nerrors, 0);
	assert_int_equal(d.nmsgs, 2);
	snprintf(want, sizeof(want), "%s/10-routes.txt:6:", cdir);
	assert_true(has_msg(&d, want));
	snprintf(want, sizeof(want), "%s/10-routes.txt:7:", cdir);
	assert_true(has_msg(&d, want));
	assert_int_equal(t.n, 6);

	assert_string_equal(commdesc_find(&t, "65000:1500", buf, sizeof(buf)),
	    "Learned in Europe");
	assert_string_equal(commdesc_find(&t, "65000:1234", buf, sizeof(buf)),
	    "Frankfurt IX");
	assert_string_equal(commdesc_find(&t, "65000:150", buf, sizeof(buf)),
	    "Customer route");
	assert_string_equal(commdesc_find(&t, "65000:1:2", buf, sizeof(buf)),
	    "Large: do not announce to peers");
	assert_null(commdesc_find(&t, "65000:5", buf, sizeof(buf)));
	assert_null(commdesc_find(&t, "65000:6", buf, sizeof(buf)));
	assert_null(commdesc_find(&t, "65001:1", buf, sizeof(buf)));
	/* The operator's line wins over the built-in name. */
	assert_string_equal(commdesc_find(&t, "65535:666", buf, sizeof(buf)),
	    "Our blackhole");
	assert_string_equal(commdesc_find(&t, "65535:65281", buf, sizeof(buf)),
	    "well-known community no-export");
	assert_string_equal(commdesc_find(NULL, "65535:65283", buf,
	    sizeof(buf)), "well-known community no-export-subconfed");
	assert_string_equal(commdesc_find(NULL, "65535:0", buf, sizeof(buf)),
	    "well-known community graceful-shutdown");
	commdesc_free(&t);
	diag_free(&d);
}

/* ---- config keys ---- */

static void
test_config_keys(void **state)
{
	struct lg_config	 c;
	struct lg_diag		 d;
	static const char	 good[] =
	    "asn_names = \"asn.csv\";\n"
	    "communities = \"communities\";\n"
	    "rpki = { caches = [ \"127.0.0.1:3323\", \"rtr.example.net:323\","
	    " \"[::1]:8282\" ]; refresh = 30; expire = 600; };\n"
	    "routers = ( { name = \"r1\"; driver = \"frr\"; host = \"h\";"
	    " credential = \"c\"; } );\n";
	static const char	 bad[] =
	    "rpki = { caches = [ \"127.0.0.1\", \"a b:1\", \"h:0\","
	    " \"[::1]:8282\", \"[::1]:8282\" ]; expire = 10; };\n"
	    "routers = ( { name = \"r1\"; driver = \"frr\"; host = \"h\";"
	    " credential = \"c\"; } );\n";

	(void)state;
	diag_init(&d);
	assert_int_equal(config_load_string(good, "/etc/lg/x.conf", NULL, &c,
	    &d), 0);
	dump(&d);
	assert_string_equal(c.asn_names, "/etc/lg/asn.csv");
	assert_string_equal(c.communities, "/etc/lg/communities");
	assert_int_equal(c.rpki.ncaches, 3);
	assert_string_equal(c.rpki.caches[1], "rtr.example.net:323");
	assert_int_equal(c.rpki.refresh, 30);
	assert_int_equal(c.rpki.retry, 60);
	assert_int_equal(c.rpki.expire, 600);
	config_free(&c);
	diag_free(&d);

	diag_init(&d);
	assert_int_equal(config_load_string(bad, "x.conf", "/tmp", &c, &d), -1);
	dump(&d);
	assert_true(has_msg(&d, "x.conf:1: rpki.caches: bad cache "
	    "\"127.0.0.1\""));
	assert_true(has_msg(&d, "bad cache \"a b:1\""));
	assert_true(has_msg(&d, "bad cache \"h:0\""));
	assert_true(has_msg(&d, "\"[::1]:8282\" is listed twice"));
	assert_true(has_msg(&d, "rpki.expire"));
	diag_free(&d);

	diag_init(&d);
	assert_int_equal(config_load_string("rpki = { refresh = 5; };\n"
	    "asn_names = 3;\nrouters = ( { name = \"r1\"; driver = \"frr\";"
	    " host = \"h\"; credential = \"c\"; } );\n", "x.conf", "/tmp", &c,
	    &d), -1);
	dump(&d);
	assert_true(has_msg(&d, "missing required key \"caches\""));
	assert_true(has_msg(&d, "asn_names: expected a string"));
	diag_free(&d);
}

/* ---- annotation ---- */

static enum rpki_state	 fake_state;
static enum rpki_reason	 fake_reason;
static uint32_t		 fake_asn;
static char		 fake_prefix[64];
static int		 fake_calls;

static size_t		 fake_nvrps;	/* VRPs the hook lists */
static int		 fake_vary;	/* their ASes: origin * 8 + i */

/*
 * The hook's VRPs: 192.0.2.0/(24 - i), AS 64990 + i, maxLength 24, or 25
 * for odd i and an odd origin.
 */
static void
fake_rpki(void *arg, const struct lg_prefix *p, uint32_t asn,
    struct rpki_result *res)
{
	char	 err[LG_ERRSTR_MAX];
	size_t	 i;

	(void)arg;
	prefix_format(p, fake_prefix, sizeof(fake_prefix));
	fake_asn = asn;
	fake_calls++;
	res->state = fake_state;
	res->reason = fake_reason;
	res->nvrps = fake_nvrps;
	for (i = 0; i < fake_nvrps; i++) {
		assert_int_equal(prefix_parse("192.0.2.0/24",
		    &res->vrps[i].prefix, err, sizeof(err)), 0);
		res->vrps[i].prefix.len = (uint8_t)(24 - i);
		res->vrps[i].max_length = (uint8_t)(24 + (asn & i & 1));
		res->vrps[i].asn = fake_vary ? asn * 8 + (uint32_t)i :
		    64990 + (uint32_t)i;
	}
}

static json_t *
answer(const char *paths)
{
	char		 text[4096];
	json_t		*j;
	json_error_t	 e;

	snprintf(text, sizeof(text), "{\"kind\":\"bgp_routes\",\"prefixes\":"
	    "[{\"prefix\":\"192.0.2.0/24\",\"paths\":[%s]}]}", paths);
	if ((j = json_loads(text, 0, &e)) == NULL)
		fail_msg("%s", e.text);
	return j;
}

static json_t *
path0(json_t *j)
{
	return json_array_get(json_object_get(json_array_get(
	    json_object_get(j, "prefixes"), 0), "paths"), 0);
}

static void
test_annotate(void **state)
{
	struct lg_asnames	 names = { 0 };
	struct lg_commdesc	 comms = { 0 };
	struct lg_diag		 d;
	struct facts		 f = { 0 };
	char			 path[LG_PATH_MAX];
	json_t			*j, *p;

	(void)state;
	write_file("a.csv", "64500,EXAMPLE-A\n64501,EXAMPLE-B\n", path,
	    sizeof(path));
	diag_init(&d);
	asnames_load(path, &names, &d);
	write_file("c.txt", "64500:1nn,Tagged\n", path, sizeof(path));
	commdesc_load_file(path, &comms, &d);
	assert_int_equal(d.nmsgs, 0);
	diag_free(&d);
	f.asnames = &names;
	f.commdesc = &comms;
	f.rpki = fake_rpki;

	fake_state = RPKI_INVALID;
	fake_reason = RPKI_REASON_MAX_LENGTH;
	j = answer("{\"as_path\":[64500,64501,64999],\"as_path_segments\":"
	    "[{\"type\":\"sequence\",\"asns\":[64500,64501,64999]}],"
	    "\"communities\":[\"64500:150\",\"64500:7\",\"65535:65281\"],"
	    "\"large_communities\":[\"64500:1:1\"]}");
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	p = path0(j);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    p, "as_names"), "64501")), "EXAMPLE-B");
	assert_int_equal(json_object_size(json_object_get(p, "as_names")), 2);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    p, "community_descriptions"), "64500:150")), "Tagged");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    p, "community_descriptions"), "65535:65281")),
	    "well-known community no-export");
	assert_int_equal(json_object_size(json_object_get(p,
	    "community_descriptions")), 2);
	assert_string_equal(fake_prefix, "192.0.2.0/24");
	assert_int_equal(fake_asn, 64999);
	assert_string_equal(json_string_value(json_object_get(p, "rpki")),
	    "invalid");
	assert_string_equal(json_string_value(json_object_get(p,
	    "rpki_reason")), "max_length");
	json_decref(j);

	/* Paths of one prefix with the same origin: asked once. */
	fake_calls = 0;
	fake_state = RPKI_VALID;
	j = answer("{\"as_path\":[64500,64999]},{\"as_path\":[64501,64999]},"
	    "{\"as_path\":[64501,64998]}");
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	assert_int_equal(fake_calls, 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(json_array_get(json_object_get(j, "prefixes"), 0),
	    "paths"), 1), "rpki")), "valid");
	json_decref(j);

	/* An AS_SET at the end: not-found, whatever the table says. */
	fake_state = RPKI_VALID;
	j = answer("{\"as_path\":[64500,64501,64502],\"as_path_segments\":"
	    "[{\"type\":\"sequence\",\"asns\":[64500]},{\"type\":\"set\","
	    "\"asns\":[64501,64502]}],\"communities\":null}");
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	assert_string_equal(json_string_value(json_object_get(path0(j),
	    "rpki")), "not-found");
	assert_true(json_is_null(json_object_get(path0(j), "rpki_reason")));
	json_decref(j);

	/* ... but unknown stays unknown: no data is no data. */
	fake_state = RPKI_UNKNOWN;
	j = answer("{\"as_path\":[64501,64502],\"as_path_segments\":"
	    "[{\"type\":\"set\",\"asns\":[64501,64502]}]}");
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	assert_string_equal(json_string_value(json_object_get(path0(j),
	    "rpki")), "unknown");
	json_decref(j);

	/* Trailing confederation segments: the origin is before them. */
	fake_state = RPKI_VALID;
	j = answer("{\"as_path\":[64500,65001],\"as_path_segments\":"
	    "[{\"type\":\"sequence\",\"asns\":[64500]},{\"type\":"
	    "\"confed_sequence\",\"asns\":[65001]}]}");
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	assert_int_equal(fake_asn, 64500);
	assert_string_equal(json_string_value(json_object_get(path0(j),
	    "rpki")), "valid");
	assert_true(json_is_null(json_object_get(path0(j), "rpki_reason")));
	json_decref(j);

	/* A local route shows no origin: null, and the hook is not asked. */
	fake_calls = 0;
	j = answer("{\"as_path\":[],\"as_path_segments\":[]}");
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	assert_int_equal(fake_calls, 0);
	assert_true(json_is_null(json_object_get(path0(j), "rpki")));
	json_decref(j);

	/* No asn_names, no rpki: only the descriptions (built in). */
	f.asnames = NULL;
	f.rpki = NULL;
	j = answer("{\"as_path\":[64500],\"communities\":[\"65535:666\"]}");
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	assert_null(json_object_get(path0(j), "as_names"));
	assert_null(json_object_get(path0(j), "rpki"));
	assert_string_equal(json_string_value(json_object_get(json_object_get(
	    path0(j), "community_descriptions"), "65535:666")),
	    "well-known community blackhole");
	json_decref(j);

	/* Other kinds are left alone. */
	j = json_pack("{s:s}", "kind", "rib");
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	assert_int_equal(json_object_size(j), 1);
	json_decref(j);
	asnames_free(&names);
	commdesc_free(&comms);
}

/* The listed VRPs of path i of j, as "PREFIX MAXLEN ASN;" each. */
static const char *
vrps_of(json_t *j, size_t i)
{
	static char	 out[512];
	json_t		*l, *v;
	size_t		 k, off = 0;

	out[0] = '\0';
	l = json_object_get(json_array_get(json_object_get(json_array_get(
	    json_object_get(j, "prefixes"), 0), "paths"), i), "rpki_vrps");
	if (l == NULL)
		return "absent";
	json_array_foreach(l, k, v) {
		assert_int_equal(json_object_size(v), 3);
		off += (size_t)snprintf(out + off, sizeof(out) - off,
		    "%s %lld %lld;", json_string_value(json_object_get(v,
		    "prefix")), json_integer_value(json_object_get(v,
		    "max_length")), json_integer_value(json_object_get(v,
		    "asn")));
	}
	return out;
}

/* An answer of n paths for 192.0.2.0/24, origins 65000 to 65000 + n - 1. */
static json_t *
many_paths(size_t n)
{
	json_t	*j, *paths;
	size_t	 i;

	j = answer("");
	paths = json_object_get(json_array_get(json_object_get(j,
	    "prefixes"), 0), "paths");
	for (i = 0; i < n; i++)
		assert_int_equal(json_array_append_new(paths, json_pack(
		    "{s:[i,i]}", "as_path", 64500, (int)(65000 + i))), 0);
	return j;
}

/* rpki_vrps: listed for valid and invalid paths only, never empty. */
static void
test_annotate_vrps(void **state)
{
	struct facts	 f = { 0 };
	json_t		*j, *l;
	size_t		 i, k;

	(void)state;
	f.rpki = fake_rpki;
	fake_state = RPKI_INVALID;
	fake_reason = RPKI_REASON_ORIGIN;
	fake_nvrps = 2;
	fake_calls = 0;
	j = answer("{\"as_path\":[64500,64999]},{\"as_path\":[64501,64999]},"
	    "{\"as_path\":[64501,64502],\"as_path_segments\":[{\"type\":"
	    "\"sequence\",\"asns\":[64501]},{\"type\":\"set\",\"asns\":"
	    "[64502]}]}");
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	assert_string_equal(vrps_of(j, 0),
	    "192.0.2.0/24 24 64990;192.0.2.0/23 25 64991;");
	/* The same origin: the same list, asked once. */
	assert_string_equal(vrps_of(j, 1),
	    "192.0.2.0/24 24 64990;192.0.2.0/23 25 64991;");
	assert_int_equal(fake_calls, 2);
	/* An AS_SET at the end is not-found: no VRP decided it. */
	assert_string_equal(vrps_of(j, 2), "absent");
	json_decref(j);

	fake_state = RPKI_VALID;
	fake_reason = RPKI_REASON_NONE;
	fake_nvrps = RPKI_VRPS_MAX;
	j = answer("{\"as_path\":[64500,64999]}");
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	assert_int_equal(json_array_size(json_object_get(path0(j),
	    "rpki_vrps")), RPKI_VRPS_MAX);
	json_decref(j);

	/* Lists that share VRPs: each still lists its own. */
	fake_nvrps = 3;
	j = answer("{\"as_path\":[64500,64999]},{\"as_path\":[64500,64998]},"
	    "{\"as_path\":[64500,64997]}");
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	assert_string_equal(vrps_of(j, 0), "192.0.2.0/24 24 64990;"
	    "192.0.2.0/23 25 64991;192.0.2.0/22 24 64992;");
	assert_string_equal(vrps_of(j, 1), "192.0.2.0/24 24 64990;"
	    "192.0.2.0/23 24 64991;192.0.2.0/22 24 64992;");
	assert_string_equal(vrps_of(j, 2), "192.0.2.0/24 24 64990;"
	    "192.0.2.0/23 25 64991;192.0.2.0/22 24 64992;");
	json_decref(j);

	/*
	 * Far more VRPs than the objects kept for reuse (they collide):
	 * every path still lists its own.
	 */
	fake_vary = 1;
	fake_nvrps = RPKI_VRPS_MAX;
	j = many_paths(200);
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	for (i = 0; i < 200; i++) {
		l = json_object_get(json_array_get(json_object_get(
		    json_array_get(json_object_get(j, "prefixes"), 0), "paths"),
		    i), "rpki_vrps");
		assert_int_equal(json_array_size(l), RPKI_VRPS_MAX);
		for (k = 0; k < RPKI_VRPS_MAX; k++)
			assert_int_equal(json_integer_value(json_object_get(
			    json_array_get(l, k), "asn")),
			    (65000 + i) * 8 + k);
	}
	json_decref(j);
	fake_vary = 0;

	/* Not-found and unknown list none, whatever the hook says. */
	fake_state = RPKI_NOT_FOUND;
	fake_nvrps = 1;
	j = answer("{\"as_path\":[64500,64999]}");
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	assert_string_equal(vrps_of(j, 0), "absent");
	json_decref(j);
	fake_state = RPKI_UNKNOWN;
	j = answer("{\"as_path\":[64500,64999]}");
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	assert_string_equal(vrps_of(j, 0), "absent");
	json_decref(j);

	/* Valid with nothing listed: no empty array. */
	fake_state = RPKI_VALID;
	fake_nvrps = 0;
	j = answer("{\"as_path\":[64500,64999]}");
	assert_int_equal(parse_facts_annotate(j, &f), 0);
	assert_string_equal(vrps_of(j, 0), "absent");
	json_decref(j);
	fake_nvrps = 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_asnames_lines),
		cmocka_unit_test_setup_teardown(test_asnames_file, setup,
		    teardown),
		cmocka_unit_test(test_commdesc_patterns),
		cmocka_unit_test(test_commdesc_bad_patterns),
		cmocka_unit_test_setup_teardown(test_commdesc_dir, setup,
		    teardown),
		cmocka_unit_test(test_config_keys),
		cmocka_unit_test_setup_teardown(test_annotate, setup,
		    teardown),
		cmocka_unit_test(test_annotate_vrps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
