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
 * Unit tests of the configuration loader (src/lib/config*.c): the shipped
 * example, a file with only routers (every default), a file setting every
 * key, and one fixture per kind of mistake in tests/unit/config/, each
 * checked for the exact "file:line: message" diagnostics and their number,
 * so that a loader stopping at the first problem fails.  Also binary
 * garbage, deep nesting, relative paths and the built-in redaction rules.
 */

#include <sys/stat.h>

#include <fcntl.h>
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
#include "diag_check.h"

#define FIXTURES	"tests/unit/config"

static char	 top[LG_PATH_MAX / 2];

static const char *
fixture(const char *name)
{
	static char	 path[2 * LG_PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s/%s", top, FIXTURES, name);
	return path;
}

static void
load_ok(const char *path, struct lg_config *c)
{
	struct lg_diag	 d;
	int		 rc;

	diag_init(&d);
	rc = config_load(path, c, &d);
	if (rc != 0 || d.nmsgs != 0)
		dump(&d);
	assert_int_equal(rc, 0);
	assert_int_equal(d.nmsgs, 0);
	diag_free(&d);
}

static void
test_example(void **state)
{
	struct lg_config	 c;
	const struct lg_router	*r;
	char			 want[2 * LG_PATH_MAX];
	size_t			 i;
	unsigned int		 q;

	(void)state;
	snprintf(want, sizeof(want), "%s/conf/lorgnette.conf.example", top);
	load_ok(want, &c);

	assert_int_equal(c.nrouters, 7);
	assert_non_null(strstr(c.dir, "/conf"));
	assert_true(c.broker.drivers[0] == '/');
	snprintf(want, sizeof(want), "%s/../drivers", c.dir);
	assert_string_equal(c.broker.drivers, want);
	snprintf(want, sizeof(want), "%s/credentials.conf.example", c.dir);
	assert_string_equal(c.broker.credentials, want);
	snprintf(want, sizeof(want), "%s/known_hosts.example", c.dir);
	assert_string_equal(c.broker.known_hosts, want);
	assert_string_equal(c.broker.socket, "/run/lorgnette/broker.sock");
	assert_int_equal(c.web.nlisten, 2);
	assert_string_equal(c.web.listen[1], "[::1]:8080");
	assert_int_equal(c.web.rate[Q_BGP_ROUTE].tokens, 30);
	assert_int_equal(c.web.rate[Q_BGP_ROUTE].period, 60);
	assert_int_equal(c.web.rate[Q_TRACEROUTE].tokens, 5);
	/* Issue 24.3: the shipped config limits every type. */
	for (q = 0; q < Q_COUNT; q++)
		assert_true(c.web.rate[q].tokens > 0);
	assert_int_equal(c.web.cache_ttl[Q_BGP_SUMMARY], 30);
	assert_int_equal(c.web.ntrusted_proxies, 2);
	assert_int_equal(c.policy.nforbidden, 19);
	assert_int_equal(c.nfilters, 3);	/* the built-in rules */

	/* Each platform the example promises. */
	const char *drivers[] = { "cisco-iosxr", "juniper-junos", "cisco-ios",
	    "arista-eos", "cisco-nxos", "bird", "frr" };
	for (i = 0; i < 7; i++)
		assert_string_equal(c.routers[i].driver, drivers[i]);

	assert_non_null(r = config_router(&c, "ams1"));
	assert_int_equal(r->transport, TRANSPORT_TELNET);
	assert_int_equal(r->port, 23);
	assert_non_null(r = config_router(&c, "fra1"));
	assert_string_equal(r->source6, "2001:db8::10");
	assert_int_equal(r->port, 22);
	assert_non_null(r = config_router(&c, "lon1"));
	assert_int_equal(r->queries, Q_MASK_DEFAULT & ~Q_MASK(Q_TRACEROUTE));
	assert_non_null(r = config_router(&c, "rs1"));
	assert_int_equal(r->queries, Q_MASK(Q_BGP_ROUTE) |
	    Q_MASK(Q_BGP_COMMUNITY) | Q_MASK(Q_BGP_ASPATH) |
	    Q_MASK(Q_BGP_SUMMARY));
	assert_null(config_router(&c, "nope"));
	config_free(&c);
}

static void
test_minimal_defaults(void **state)
{
	struct lg_config	 c;
	unsigned int		 q;

	(void)state;
	load_ok(fixture("minimal.conf"), &c);
	assert_int_equal(c.nrouters, 1);
	assert_string_equal(c.broker.socket, "/run/lorgnette/broker.sock");
	assert_string_equal(c.broker.admin_socket, "/run/lorgnette/admin.sock");
	assert_string_equal(c.broker.socket_group, "");
	assert_string_equal(c.broker.user, "");
	assert_int_equal(c.broker.connect_timeout, 10);
	assert_int_equal(c.broker.idle_timeout, 300);
	assert_int_equal(c.broker.keepalive, 60);
	assert_int_equal(c.broker.queue, 16);
	assert_int_equal(c.broker.output_cap, 33554432);
	assert_int_equal(c.broker.breaker_failures, 5);
	assert_int_equal(c.broker.breaker_probe, 30);
	assert_string_equal(c.broker.audit_log, "");
	for (q = 0; q < Q_COUNT; q++) {
		assert_int_equal(c.broker.deadline_ms[q],
		    query_info((enum lg_query_type)q)->deadline_ms);
		assert_int_equal(c.web.cache_ttl[q],
		    query_info((enum lg_query_type)q)->cache_ttl);
		/* Issue 24.3: an absent rate is the type's default. */
		assert_int_equal(c.web.rate[q].tokens,
		    query_info((enum lg_query_type)q)->rate_per_min);
		assert_int_equal(c.web.rate[q].period, 60);
		assert_true(c.web.rate[q].tokens > 0);
	}
	assert_int_equal(c.web.max_inflight_client, 20);
	assert_int_equal(c.web.max_routers, 20);
	assert_int_equal(c.web.nlisten, 1);
	assert_string_equal(c.web.listen[0], "127.0.0.1:8080");
	assert_string_equal(c.web.title, "Looking glass");
	assert_int_equal(c.web.cache_entries, 4096);
	assert_int_equal(c.web.cache_bytes, 64 * 1024 * 1024);
	assert_int_equal(c.web.max_inflight, 64);
	assert_int_equal(c.web.max_connections, 1024);
	assert_int_equal(c.web.connection_timeout, 30);
	assert_int_equal(c.web.runtime_max, 120);
	assert_int_equal(c.web.rfc8522, 1);
	assert_int_equal(c.web.nvrfs, 0);
	assert_int_equal(c.web.ntrusted_proxies, 0);
	assert_string_equal(c.web.tls_certificate, "");
	assert_true(c.policy.nforbidden > 10);	/* built-in list */
	assert_int_equal(c.policy.min_prefix4, 8);
	assert_int_equal(c.policy.min_prefix6, 16);
	assert_int_equal(c.policy.queries, Q_MASK_DEFAULT);
	assert_int_equal(c.policy.resolve, 1);
	assert_int_equal(c.log_level, LOG_LEVEL_INFO);
	assert_int_equal(c.nfilters, 3);
	assert_string_equal(c.routers[0].name, "r1");
	assert_int_equal(c.routers[0].transport, TRANSPORT_SSH);
	assert_int_equal(c.routers[0].port, 22);
	assert_int_equal(c.routers[0].sessions, 2);
	assert_int_equal(c.routers[0].queries, Q_MASK_DEFAULT);
	assert_string_equal(c.routers[0].vrf, "");
	assert_int_equal(c.routers[0].line, 3);
	config_free(&c);
}

static void
test_full(void **state)
{
	struct lg_config	 c;
	char			 want[2 * LG_PATH_MAX], buf[64];

	(void)state;
	load_ok(fixture("full.conf"), &c);
	snprintf(want, sizeof(want), "%s/run/broker.sock", c.dir);
	assert_string_equal(c.broker.socket, want);
	assert_string_equal(c.broker.admin_socket, "/srv/lg/admin.sock");
	snprintf(want, sizeof(want), "%s/drivers.d", c.dir);
	assert_string_equal(c.broker.drivers, want);
	assert_string_equal(c.broker.credentials, "/srv/lg/creds.conf");
	snprintf(want, sizeof(want), "%s/hosts/known", c.dir);
	assert_string_equal(c.broker.known_hosts, want);
	assert_string_equal(c.broker.socket_group, "lgweb");
	assert_string_equal(c.broker.user, "lgbroker");
	assert_int_equal(c.broker.connect_timeout, 7);
	assert_int_equal(c.broker.idle_timeout, 900);
	assert_int_equal(c.broker.keepalive, 0);
	assert_int_equal(c.broker.queue, 4);
	assert_int_equal(c.broker.output_cap, 1048576);
	assert_int_equal(c.broker.deadline_ms[Q_PING], 20000);
	assert_int_equal(c.broker.deadline_ms[Q_TRACEROUTE], 90000);
	assert_int_equal(c.broker.deadline_ms[Q_BGP_ROUTE], 15000);
	assert_int_equal(c.broker.deadline_ms[Q_ROUTE],
	    query_info(Q_ROUTE)->deadline_ms);
	assert_int_equal(c.broker.breaker_failures, 3);
	assert_int_equal(c.broker.breaker_probe, 45);
	snprintf(want, sizeof(want), "%s/audit.log", c.dir);
	assert_string_equal(c.broker.audit_log, want);

	assert_int_equal(c.web.nlisten, 3);
	assert_string_equal(c.web.listen[0], "198.18.0.5:8443");
	assert_string_equal(c.web.listen[1], "[2001:2::5]:8443");
	assert_string_equal(c.web.www, "/srv/lg/www");
	assert_string_equal(c.web.title, "Lab looking glass");
	assert_string_equal(c.web.logo, "/logo.svg");
	assert_string_equal(c.web.footer, "Lab network");
	assert_string_equal(c.web.disclaimer, "Queries are logged.\nBe nice.");
	assert_int_equal(c.web.ntrusted_proxies, 2);
	prefix_format(&c.web.trusted_proxies[0], buf, sizeof(buf));
	assert_string_equal(buf, "198.18.0.0/24");
	prefix_format(&c.web.trusted_proxies[1], buf, sizeof(buf));
	assert_string_equal(buf, "2001:2::1/128");
	assert_int_equal(c.web.rate[Q_BGP_ROUTE].tokens, 20);
	assert_int_equal(c.web.rate[Q_BGP_ROUTE].period, 60);
	assert_int_equal(c.web.rate[Q_PING].tokens, 3);
	assert_int_equal(c.web.rate[Q_PING].period, 1);
	assert_int_equal(c.web.rate[Q_TRACEROUTE].tokens, 100);
	assert_int_equal(c.web.rate[Q_TRACEROUTE].period, 3600);
	assert_int_equal(c.web.rate[Q_ROUTE].tokens, 0);
	assert_int_equal(c.web.cache_ttl[Q_BGP_ROUTE], 120);
	assert_int_equal(c.web.cache_ttl[Q_PING], 5);
	assert_int_equal(c.web.cache_ttl[Q_BGP_SUMMARY], 0);
	assert_int_equal(c.web.cache_entries, 100);
	assert_int_equal(c.web.cache_bytes, 2097152);
	assert_int_equal(c.web.max_inflight, 8);
	assert_int_equal(c.web.max_connections, 256);
	assert_int_equal(c.web.connection_timeout, 12);
	assert_int_equal(c.web.runtime_max, 60);
	assert_int_equal(c.web.max_routers, 32);
	assert_int_equal(c.web.nvrfs, 2);
	assert_string_equal(c.web.vrfs[1], "mgmt");
	snprintf(want, sizeof(want), "%s/tls/cert.pem", c.dir);
	assert_string_equal(c.web.tls_certificate, want);
	assert_string_equal(c.web.tls_key, "/srv/lg/key.pem");
	assert_string_equal(c.web.user, "lgweb");
	assert_string_equal(c.web.access_log, "/var/log/lg/access.log");
	assert_int_equal(c.web.rfc8522, 0);

	/* A forbidden list replaces the built-in one. */
	assert_int_equal(c.policy.nforbidden, 3);
	prefix_format(&c.policy.forbidden[2], buf, sizeof(buf));
	assert_string_equal(buf, "192.0.2.1/32");
	assert_int_equal(c.policy.min_prefix4, 12);
	assert_int_equal(c.policy.min_prefix6, 32);
	assert_int_equal(c.policy.queries, Q_MASK(Q_BGP_ROUTE) |
	    Q_MASK(Q_ROUTE) | Q_MASK(Q_PING) | Q_MASK(Q_BGP_NEIGHBORS));
	assert_int_equal(c.policy.resolve, 0);

	assert_int_equal(c.nfilters, 3);
	assert_int_equal(c.filters[0].action, FILTER_DROP);
	assert_null(c.filters[0].replacement);
	assert_int_equal(c.filters[1].action, FILTER_REPLACE);
	assert_string_equal(c.filters[1].replacement, "<hash>");
	assert_string_equal(c.filters[1].match.src, "[0-9a-f]{32}");
	assert_int_equal(regex_match(&c.filters[1].match,
	    "0123456789abcdef0123456789abcdef", 32), 1);
	assert_int_equal(c.filters[2].action, FILTER_REPLACE);
	assert_string_equal(c.filters[2].replacement, "");
	assert_int_equal(c.log_level, LOG_LEVEL_DEBUG);

	assert_int_equal(c.nrouters, 2);
	assert_string_equal(c.routers[0].location, "Lab A");
	assert_string_equal(c.routers[0].group, "Lab");
	assert_int_equal(c.routers[0].transport, TRANSPORT_TELNET);
	assert_int_equal(c.routers[0].port, 2605);
	assert_string_equal(c.routers[0].credential, "lab");
	assert_int_equal(c.routers[0].sessions, 4);
	assert_string_equal(c.routers[0].source4, "198.18.0.1");
	/* Canonical form. */
	assert_string_equal(c.routers[0].source6, "2001:2::1");
	assert_string_equal(c.routers[0].vrf, "internet");
	assert_int_equal(c.routers[0].queries, Q_MASK(Q_BGP_ROUTE) |
	    Q_MASK(Q_BGP_NEIGHBORS));
	assert_string_equal(c.routers[1].host, "rs2.lab.example");
	assert_int_equal(c.routers[1].port, 23);	/* telnet default */
	assert_int_equal(c.routers[1].queries, c.policy.queries);
	config_free(&c);
}

/*
 * Each broken fixture, every diagnostic it must produce ("file:line:
 * message", matched as a substring) and how many errors in all.
 */
static const struct {
	const char	*file;
	size_t		 nerrors;
	const char	*expect[12];
} broken[] = {
	{ "unknown_top.conf", 1, {
	    "unknown_top.conf:1: unknown section \"rooters\" (did you mean "
	    "\"routers\"?)" } },
	{ "unknown_nested.conf", 4, {
	    "unknown_nested.conf:2: unknown key \"listn\" in web (did you "
	    "mean \"listen\"?)",
	    "unknown_nested.conf:3: unknown query type \"pign\" in web.rate "
	    "(did you mean \"ping\"?)",
	    "unknown_nested.conf:5: unknown query type \"traceroot\" in "
	    "broker.deadlines (did you mean \"traceroute\"?)",
	    "unknown_nested.conf:8: unknown key \"colour\" in router "
	    "\"r1\"" } },
	{ "wrong_types.conf", 9, {
	    "wrong_types.conf:2: broker.connect_timeout: expected an integer, "
	    "got a string",
	    "wrong_types.conf:3: broker.socket: expected a string, got an "
	    "integer",
	    "wrong_types.conf:6: web.rfc8522: expected a boolean, got a string",
	    "wrong_types.conf:7: web.title: expected a string, got an integer",
	    "wrong_types.conf:8: web.max_inflight: expected an integer, got a "
	    "float",
	    "wrong_types.conf:9: web.listen: expected a list, got a string",
	    "wrong_types.conf:11: policy.resolve: expected a boolean, got an "
	    "integer",
	    "wrong_types.conf:11: policy.queries: expected a list, got a "
	    "string",
	    "wrong_types.conf:14: router \"r1\": sessions: expected an "
	    "integer, got a string" } },
	{ "out_of_range.conf", 11, {
	    "out_of_range.conf:2: broker.queue: 99999 is out of range (0 to "
	    "10000)",
	    "out_of_range.conf:3: broker.output_cap: 1 is out of range",
	    "out_of_range.conf:4: broker.connect_timeout: 0 is out of range",
	    "out_of_range.conf:5: broker.idle_timeout: 9999999999999 is out of "
	    "range",
	    "out_of_range.conf:7: web.cache.bgp_route: 100000 is out of range",
	    "out_of_range.conf:7: web.runtime_max: -1 is out of range",
	    "out_of_range.conf:8: web.max_routers: 65 is out of range (1 to "
	    "64)",
	    "out_of_range.conf:9: policy.min_prefix4: 33 is out of range (0 "
	    "to 32)",
	    "out_of_range.conf:9: policy.min_prefix6: 129 is out of range",
	    "out_of_range.conf:12: router \"r1\": sessions: 17 is out of range "
	    "(1 to 16)",
	    "out_of_range.conf:12: router \"r1\": port: 70000 is out of "
	    "range" } },
	{ "big_integer.conf", 2, {
	    "big_integer.conf:2: integer 4294967306 does not fit in 32 bits",
	    "big_integer.conf:3: integer 17179869184 does not fit in 32 "
	    "bits" } },
	{ "duplicate_router.conf", 1, {
	    "duplicate_router.conf:4: duplicate router name \"r1\" (first "
	    "defined at line 2)" } },
	{ "bad_forbidden.conf", 4, {
	    "bad_forbidden.conf:2: policy.forbidden: 10.0.0.1/8 has host bits "
	    "set",
	    "bad_forbidden.conf:2: policy.forbidden: 10.0.0.0/33: prefix "
	    "length /33 is out of range",
	    "bad_forbidden.conf:2: policy.forbidden: fe80::1%eth0: IPv6 zone",
	    "bad_forbidden.conf:2: policy.forbidden: example: not a valid" } },
	{ "bad_listen.conf", 5, {
	    "bad_listen.conf:2: web.listen: bad address \"127.0.0.1\"",
	    "bad_listen.conf:2: web.listen: bad address \"localhost:8080\"",
	    "bad_listen.conf:2: web.listen: bad address \"[::1]:0\"",
	    "bad_listen.conf:2: web.listen: bad address \"::1:8080\"",
	    "bad_listen.conf:3: web.listen: bad address "
	    "\"127.0.0.1:65536\"" } },
	{ "empty_listen.conf", 1, {
	    "empty_listen.conf:2: web.listen: needs at least one address" } },
	{ "bad_rate.conf", 5, {
	    "bad_rate.conf:2: web.rate.ping: bad rate \"10/fortnight\" "
	    "(expected \"N/sec\", \"N/min\", \"N/hour\"",
	    "bad_rate.conf:2: web.rate.traceroute: bad rate \"ten/min\"",
	    "bad_rate.conf:2: web.rate.bgp_route: bad rate \"5\"",
	    "bad_rate.conf:3: web.rate.route: bad rate \"2000000/sec\"",
	    "bad_rate.conf:3: web.rate.bgp_summary: expected a string, got an "
	    "integer" } },
	{ "bad_regex.conf", 5, {
	    "bad_regex.conf:2: filters[0].match: bad regular expression: "
	    "missing closing parenthesis",
	    "bad_regex.conf:3: filters[1]: needs either action = \"drop\" or "
	    "a replace string",
	    "bad_regex.conf:4: filters[2]: needs either",
	    "bad_regex.conf:5: filters[3].match: bad regular expression: "
	    "range out of order",
	    "bad_regex.conf:6: filters[4]: missing required key \"match\"" } },
	{ "syntax_error.conf", 1, { "syntax_error.conf:3: syntax error" } },
	{ "unterminated.conf", 1, {
	    "unterminated.conf:4: string opened here is never closed" } },
	{ "empty.conf", 1, { "empty.conf: no routers" } },
	{ "no_routers.conf", 1, {
	    "no_routers.conf:2: routers: no routers defined" } },
	{ "include.conf", 1, {
	    "include.conf:4: @include is not supported" } },
	{ "routers_broken.conf", 11, {
	    "routers_broken.conf:3: router \"r1\": host: \"bad host!\" is "
	    "neither an IP address nor a host name",
	    "routers_broken.conf:4: router \"r1\": transport: expected \"ssh\", "
	    "\"telnet\" or \"local\"",
	    "routers_broken.conf:4: router \"r1\": source4: \"2001:2::1\" is "
	    "not an IPv4 address",
	    "routers_broken.conf:4: router \"r1\": source6: \"198.18.0.1\" is "
	    "not an IPv6 address",
	    "routers_broken.conf:5: router \"r1\": queries: traceroute is not "
	    "enabled in policy.queries",
	    "routers_broken.conf:6: routers[1]: missing required key \"name\"",
	    "routers_broken.conf:6: routers[1]: missing required key \"host\"",
	    "routers_broken.conf:7: routers[2]: name: \"-bad\" is not a valid "
	    "router name",
	    "routers_broken.conf:9: routers[3]: expected a group" } },
	{ "tls_incomplete.conf", 4, {
	    "tls_incomplete.conf:1: unknown key \"chain\" in web.tls",
	    "tls_incomplete.conf:1: web.tls: missing required key \"key\"",
	    "tls_incomplete.conf:1: web.vrfs: \"bad vrf\" is not a valid VRF",
	    "tls_incomplete.conf:2: log.level: expected \"info\" or "
	    "\"debug\"" } },
};

/* What lgwebd keeps of a router: its name and place, never its access. */
static void
test_forget_router_access(void **state)
{
	struct lg_config	 c;
	size_t			 i;

	(void)state;
	load_ok(fixture("full.conf"), &c);
	assert_true(c.nrouters > 0);
	assert_true(c.routers[0].host[0] != '\0');
	config_forget_router_access(&c);
	for (i = 0; i < c.nrouters; i++) {
		assert_true(c.routers[i].name[0] != '\0');
		assert_string_equal(c.routers[i].host, "");
		assert_string_equal(c.routers[i].credential, "");
		assert_string_equal(c.routers[i].source4, "");
		assert_string_equal(c.routers[i].source6, "");
		assert_int_equal(c.routers[i].port, 0);
	}
	assert_non_null(config_router(&c, c.routers[0].name));
	config_free(&c);
}

static void
test_broken(void **state)
{
	struct lg_config	 c;
	struct lg_diag		 d;
	size_t			 i, j;
	int			 rc;

	(void)state;
	for (i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		print_message("# %s\n", broken[i].file);
		diag_init(&d);
		rc = config_load(fixture(broken[i].file), &c, &d);
		if (rc != -1 || d.nerrors != broken[i].nerrors)
			dump(&d);
		assert_int_equal(rc, -1);
		assert_int_equal(d.nerrors, broken[i].nerrors);
		for (j = 0; broken[i].expect[j] != NULL; j++) {
			if (!has_msg(&d, broken[i].expect[j])) {
				dump(&d);
				fail_msg("%s: no diagnostic \"%s\"",
				    broken[i].file, broken[i].expect[j]);
			}
		}
		/* Failure leaves the config empty and safe to free. */
		assert_int_equal(c.nrouters, 0);
		assert_null(c.routers);
		assert_null(c.web.listen);
		assert_null(c.filters);
		config_free(&c);
		diag_free(&d);
	}
}

/* Diagnostics come out in file order, whatever order sections run in. */
static void
test_line_order(void **state)
{
	struct lg_config	 c;
	struct lg_diag		 d;
	const char		*text =
	    "routers = ( { name = \"r1\"; driver = \"frr\";\n"
	    "  host = \"198.18.0.1\"; credential = \"lab\";\n"
	    "  sessions = 0; } );\n"
	    "web: { max_inflight = 0; };\n"
	    "log: { level = \"loud\"; };\n";

	(void)state;
	diag_init(&d);
	assert_int_equal(config_load_string(text, "order.conf", "/", &c, &d),
	    -1);
	assert_int_equal(d.nmsgs, 3);
	assert_non_null(strstr(d.msgs[0], "order.conf:3: router \"r1\": "));
	assert_non_null(strstr(d.msgs[1], "order.conf:4: web.max_inflight"));
	assert_non_null(strstr(d.msgs[2], "order.conf:5: log.level"));
	config_free(&c);
	diag_free(&d);
}

/* Values quoted in messages lose their control bytes; names must be plain. */
static void
test_escapes(void **state)
{
	struct lg_config	 c;
	struct lg_diag		 d;
	const char		*text =
	    "web: { listen = [ \"\\x1b[31mred:1\" ]; };\n"
	    "routers = ( { name = \"r\"; driver = \"d\"; host = \"h\\x01\";\n"
	    "  credential = \"c\"; } );\n";
	size_t			 i;

	(void)state;
	diag_init(&d);
	assert_int_equal(config_load_string(text, "esc.conf", "/", &c, &d),
	    -1);
	assert_int_equal(d.nerrors, 2);
	assert_true(has_msg(&d, "esc.conf:1: web.listen: bad address "
	    "\"?[31mred:1\""));
	assert_true(has_msg(&d, "esc.conf:2: router \"r\": host: contains a "
	    "control character"));
	for (i = 0; i < d.nmsgs; i++)
		assert_null(strpbrk(d.msgs[i], "\x1b\x01"));
	diag_free(&d);
}

static void
write_file(const char *path, const void *data, size_t len)
{
	int		 fd;

	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600))
	    != -1);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* Binary files: with NUL bytes, and without (high bytes, controls). */
static void
test_garbage(void **state)
{
	struct lg_config	 c;
	struct lg_diag		 d;
	char			 dir[] = "/tmp/lg-test-config.XXXXXX";
	char			 path[LG_PATH_MAX];
	unsigned char		 buf[4096];
	uint32_t		 x = 2463534242U;
	size_t			 i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/garbage.conf", dir);
	for (i = 0; i < sizeof(buf); i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (unsigned char)x;
	}
	write_file(path, buf, sizeof(buf));
	diag_init(&d);
	assert_int_equal(config_load(path, &c, &d), -1);
	assert_true(has_msg(&d, "NUL byte in the file"));
	diag_free(&d);

	for (i = 0; i < sizeof(buf); i++)
		if (buf[i] == 0)
			buf[i] = 0xff;
	write_file(path, buf, sizeof(buf));
	diag_init(&d);
	assert_int_equal(config_load(path, &c, &d), -1);
	assert_true(d.nerrors >= 1);
	assert_non_null(strstr(d.msgs[0], "garbage.conf"));
	diag_free(&d);

	/* Neither a directory nor a missing file is read. */
	diag_init(&d);
	assert_int_equal(config_load(dir, &c, &d), -1);
	assert_true(has_msg(&d, "not a regular file"));
	diag_free(&d);
	unlink(path);
	diag_init(&d);
	assert_int_equal(config_load(path, &c, &d), -1);
	assert_true(has_msg(&d, "garbage.conf: No such file or directory"));
	diag_free(&d);
	assert_int_equal(rmdir(dir), 0);
}

/*
 * What lgctl reads, broker.admin_socket alone, is checked by the loader's
 * own parser: a value the broker refuses is refused with the same message,
 * never taken for a path to connect to.
 */
static void
test_admin_socket(void **state)
{
	static const struct {
		const char	*text;
		const char	*want;		/* the path, or a message */
		int		 rc;
	} cases[] = {
		{ "broker: { socket = \"s\"; };\n",
		    "/run/lorgnette/admin.sock", 0 },
		{ "broker: { admin_socket = \"run/a.sock\"; };\n",
		    "/run/a.sock", 0 },
		{ "broker: { admin_socket = \"/abs/a.sock\"; };\n",
		    "/abs/a.sock", 0 },
		{ "broker: { admin_socket = \"a\\x01b\"; };\n",
		    "a.conf:1: broker.admin_socket: contains a control "
		    "character", -1 },
		{ "broker: { admin_socket = 3; };\n",
		    "a.conf:1: broker.admin_socket: expected a string, got an "
		    "integer", -1 },
		{ "broker: {\n admin_socket = \"\"; };\n",
		    "a.conf:2: broker.admin_socket: empty: the broker opens no "
		    "admin socket", -1 },
	};
	struct lg_diag		 d;
	char			 dir[] = "/tmp/lg-test-config.XXXXXX";
	char			 path[LG_PATH_MAX], out[LG_PATH_MAX];
	char			 want[LG_PATH_MAX + 32];
	size_t			 i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.conf", dir);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file(path, cases[i].text, strlen(cases[i].text));
		diag_init(&d);
		out[0] = '\0';
		assert_int_equal(config_load_admin_socket(path, out,
		    sizeof(out), &d), cases[i].rc);
		if (cases[i].rc == 0) {
			/* A relative path is made absolute in the file's dir. */
			snprintf(want, sizeof(want), "%s%s", i == 1 ? dir : "",
			    cases[i].want);
			assert_string_equal(out, want);
			assert_int_equal(d.nmsgs, 0);
		} else {
			snprintf(want, sizeof(want), "%s/%s", dir,
			    cases[i].want);
			if (!has_msg(&d, want))
				dump(&d);
			assert_true(has_msg(&d, want));
		}
		diag_free(&d);
	}
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

/* Deeply nested groups and long lists end in diagnostics, not a crash. */
static void
test_deep_nesting(void **state)
{
	struct lg_config	 c;
	struct lg_diag		 d;
	char			*text, *p;
	size_t			 i, depth = 5000;

	(void)state;
	text = malloc(depth * 10 + 4096);
	assert_non_null(text);
	p = text;
	for (i = 0; i < depth; i++)
		p += sprintf(p, "a = { ");
	for (i = 0; i < depth; i++)
		p += sprintf(p, "}; ");
	diag_init(&d);
	assert_int_equal(config_load_string(text, "deep.conf", "/", &c, &d),
	    -1);
	assert_true(d.nerrors >= 1);
	diag_free(&d);

	p = text;
	p += sprintf(p, "web: { listen = [ ");
	for (i = 0; i < 100; i++)
		p += sprintf(p, "%s\"127.0.0.1:%zu\"", i ? ", " : "", i + 1);
	sprintf(p, " ]; };\nrouters = ( { name = \"r\"; driver = \"frr\"; "
	    "host = \"h\"; credential = \"c\"; } );\n");
	diag_init(&d);
	assert_int_equal(config_load_string(text, "long.conf", "/", &c, &d),
	    -1);
	assert_true(has_msg(&d, "long.conf:1: web.listen: too many entries "
	    "(100, at most 16)"));
	diag_free(&d);
	free(text);
}

/* A thousand routers load, in order, each looked up by name. */
static void
test_many_routers(void **state)
{
	struct lg_config	 c;
	struct lg_diag		 d;
	char			*text, *p, name[16];
	size_t			 i, n = 1000;

	(void)state;
	text = malloc(n * 128 + 32);
	assert_non_null(text);
	p = text + sprintf(text, "routers = (\n");
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s{ name = \"r%zu\"; driver = \"frr\"; "
		    "host = \"198.18.%zu.%zu\"; credential = \"lab\"; }\n",
		    i ? "," : "", i, i / 256, i % 256);
	sprintf(p, ");\n");
	diag_init(&d);
	assert_int_equal(config_load_string(text, "many.conf", "/", &c, &d),
	    0);
	assert_int_equal(c.nrouters, n);
	for (i = 0; i < n; i += 97) {
		snprintf(name, sizeof(name), "r%zu", i);
		assert_ptr_equal(config_router(&c, name), &c.routers[i]);
		assert_int_equal(c.routers[i].line, (int)i + 2);
	}
	config_free(&c);
	diag_free(&d);
	free(text);
}

static void
test_paths(void **state)
{
	struct lg_config	 c;
	struct lg_diag		 d;
	char			 out[LG_PATH_MAX];
	char			 longname[LG_PATH_MAX + 8];
	const char		*text = "broker: { drivers = \"d\"; "
	    "known_hosts = \"/abs/kh\"; };\n"
	    "routers = ( { name = \"r\"; driver = \"frr\"; host = \"h\"; "
	    "credential = \"c\"; } );\n";

	(void)state;
	diag_init(&d);
	assert_int_equal(config_load_string(text, "mem.conf", "/srv/lg", &c,
	    &d), 0);
	assert_string_equal(c.dir, "/srv/lg");
	assert_string_equal(c.broker.drivers, "/srv/lg/d");
	assert_string_equal(c.broker.known_hosts, "/abs/kh");
	assert_int_equal(config_path(&c, "x/y", out, sizeof(out)), 0);
	assert_string_equal(out, "/srv/lg/x/y");
	assert_int_equal(config_path(&c, "/etc/z", out, sizeof(out)), 0);
	assert_string_equal(out, "/etc/z");
	assert_int_equal(config_path(&c, "x/y", out, 8), -1);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_int_equal(config_path(&c, longname, out, sizeof(out)), -1);
	config_free(&c);
	diag_free(&d);
}

/* web.results: off without the group, defaults, relative paths, ranges. */
static void
test_results(void **state)
{
	struct lg_config	 c;
	struct lg_diag		 d;
	const char		*routers = "routers = ( { name = \"r\"; "
	    "driver = \"frr\"; host = \"h\"; credential = \"c\"; } );\n";
	char			 text[1024];

	(void)state;
	diag_init(&d);
	assert_int_equal(config_load_string(routers, "mem.conf", "/srv/lg",
	    &c, &d), 0);
	assert_int_equal(c.web.results.enabled, 0);
	assert_string_equal(c.web.results.path,
	    "/var/lib/lorgnette-web/results.db");
	assert_int_equal(c.web.results.retention, 30 * 86400);
	assert_int_equal(c.web.results.max_mb, 256);
	config_free(&c);
	diag_free(&d);

	snprintf(text, sizeof(text), "web: { results = { }; };\n%s", routers);
	diag_init(&d);
	assert_int_equal(config_load_string(text, "mem.conf", "/srv/lg", &c,
	    &d), 0);
	assert_int_equal(c.web.results.enabled, 1);
	assert_int_equal(c.web.results.max_mb, 256);
	config_free(&c);
	diag_free(&d);

	snprintf(text, sizeof(text), "web: { results = { path = \"r.db\"; "
	    "retention = 60; max_mb = 1; }; };\n%s", routers);
	diag_init(&d);
	assert_int_equal(config_load_string(text, "mem.conf", "/srv/lg", &c,
	    &d), 0);
	assert_string_equal(c.web.results.path, "/srv/lg/r.db");
	assert_int_equal(c.web.results.retention, 60);
	assert_int_equal(c.web.results.max_mb, 1);
	config_free(&c);
	diag_free(&d);

	snprintf(text, sizeof(text), "web: { results = { retention = 0; "
	    "max_mb = 0; size = 3; }; };\n%s", routers);
	diag_init(&d);
	assert_int_equal(config_load_string(text, "mem.conf", "/srv/lg", &c,
	    &d), -1);
	if (!has_msg(&d, "web.results.retention") ||
	    !has_msg(&d, "web.results.max_mb") ||
	    !has_msg(&d, "\"size\" in web.results")) {
		dump(&d);
		fail_msg("a diagnostic per bad key");
	}
	config_free(&c);
	diag_free(&d);

	snprintf(text, sizeof(text), "web: { results = 5; };\n%s", routers);
	diag_init(&d);
	assert_int_equal(config_load_string(text, "mem.conf", "/srv/lg", &c,
	    &d), -1);
	assert_true(has_msg(&d, "web.results"));
	config_free(&c);
	diag_free(&d);
}

/* One configuration that must fail, with a message holding each of want. */
static void
load_bad(const char *text, const char *want1, const char *want2)
{
	struct lg_config	 c;
	struct lg_diag		 d;

	diag_init(&d);
	assert_int_equal(config_load_string(text, "mem.conf", "/srv/lg", &c,
	    &d), -1);
	if (!has_msg(&d, want1) || (want2 != NULL && !has_msg(&d, want2))) {
		dump(&d);
		fail_msg("expected \"%s\"", want1);
	}
	config_free(&c);
	diag_free(&d);
}

/* broker.listen_tls and web.brokers (DESIGN.md section 17). */
static void
test_regions(void **state)
{
	struct lg_config	 c;
	struct lg_diag		 d;
	const char		*routers = "routers = ( { name = \"r\"; "
	    "driver = \"frr\"; host = \"h\"; credential = \"c\"; } );\n";
	char			 text[2048];

	(void)state;
	snprintf(text, sizeof(text), "broker: { listen_tls = { listen = "
	    "\"[::1]:4701\"; ca = \"ca.pem\"; cert = \"b.pem\"; key = "
	    "\"b.key\"; }; };\nweb: { brokers = ( { name = \"local\"; "
	    "socket = \"b.sock\"; }, { name = \"eu\"; connect = "
	    "\"192.0.2.1:4701\"; ca = \"ca.pem\"; cert = \"f.pem\"; key = "
	    "\"/k/f.key\"; } ); };\n%s", routers);
	diag_init(&d);
	assert_int_equal(config_load_string(text, "mem.conf", "/srv/lg", &c,
	    &d), 0);
	assert_string_equal(c.broker.listen_tls.addr, "[::1]:4701");
	assert_string_equal(c.broker.listen_tls.ca, "/srv/lg/ca.pem");
	assert_int_equal(c.web.nbrokers, 2);
	assert_string_equal(c.web.brokers[0].socket, "/srv/lg/b.sock");
	assert_string_equal(c.web.brokers[0].tls.addr, "");
	assert_string_equal(c.web.brokers[1].name, "eu");
	assert_string_equal(c.web.brokers[1].tls.addr, "192.0.2.1:4701");
	assert_string_equal(c.web.brokers[1].tls.key, "/k/f.key");
	config_free(&c);
	diag_free(&d);

	snprintf(text, sizeof(text), "broker: { listen_tls = { listen = "
	    "\"eu.example:4701\"; ca = \"ca.pem\"; }; };\n%s", routers);
	load_bad(text, "bad address \"eu.example:4701\"",
	    "broker.listen_tls: missing required key \"cert\"");
	snprintf(text, sizeof(text), "broker: { listen_tls = { listen = "
	    "\"192.0.2.1:70000\"; ca = \"a\"; cert = \"b\"; key = "
	    "\"c\"; }; };\n%s", routers);
	load_bad(text, "bad address \"192.0.2.1:70000\"", NULL);
	snprintf(text, sizeof(text), "web: { brokers = ( { name = \"a\"; "
	    "}, { name = \"b\"; socket = \"s\"; connect = \"[::1]:1\"; "
	    "} ); };\n%s", routers);
	load_bad(text, "broker \"a\": needs either socket or connect",
	    "broker \"b\": needs either socket or connect");
	snprintf(text, sizeof(text), "web: { brokers = ( { name = \"a\"; "
	    "connect = \"[::1]:1\"; ca = \"x\"; } ); };\n%s", routers);
	load_bad(text, "broker \"a\": connect needs ca, cert and key", NULL);
	snprintf(text, sizeof(text), "web: { brokers = ( { name = \"a\"; "
	    "socket = \"s\"; ca = \"x\"; } ); };\n%s", routers);
	load_bad(text, "ca, cert and key go with connect, not socket", NULL);
	snprintf(text, sizeof(text), "web: { brokers = ( { name = \"a\"; "
	    "socket = \"s\"; }, { name = \"a\"; socket = \"t\"; } ); };\n"
	    "%s", routers);
	load_bad(text, "broker \"a\" named twice", NULL);
	snprintf(text, sizeof(text), "web: { brokers = ( ); };\n%s", routers);
	load_bad(text, "web.brokers: needs 1 to 64 brokers, not 0", NULL);
	snprintf(text, sizeof(text), "web: { brokers = { name = \"a\"; }; "
	    "};\n%s", routers);
	load_bad(text, "expected a list of groups", NULL);
}

/* The built-in redaction rules: what they drop and what they keep. */
static void
test_default_filters(void **state)
{
	static const struct {
		const char	*line;
		int		 dropped;
	} lines[] = {
		{ " neighbor 198.18.0.2 password 7 0822455D0A16", 1 },
		{ "enable secret 5 $1$abcd$0123456789", 1 },
		{ "set authentication-key \"$9$xyz\"", 1 },
		{ "Pre-Shared-Key: hidden", 1 },
		{ "snmp-server community public RO", 1 },
		{ "SNMP-SERVER COMMUNITY private rw", 1 },
		{ " community s3cr3t RW 10", 1 },
		{ "  Keepalive interval is 60 seconds", 0 },
		{ "the monkey keyboard", 0 },
		{ "  Community: 65000:100 no-export", 0 },
		{ "BGP routing table entry for 198.18.0.0/24", 0 },
		{ "  Last reset never, keys 0", 0 },
	};
	struct lg_config	 c;
	size_t			 i, j;
	int			 hit;

	(void)state;
	load_ok(fixture("minimal.conf"), &c);
	assert_int_equal(c.nfilters, 3);
	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		hit = 0;
		for (j = 0; j < c.nfilters; j++) {
			assert_int_equal(c.filters[j].action, FILTER_DROP);
			if (regex_match(&c.filters[j].match, lines[i].line,
			    strlen(lines[i].line)) == 1)
				hit = 1;
		}
		if (hit != lines[i].dropped)
			fail_msg("\"%s\": dropped %d, want %d", lines[i].line,
			    hit, lines[i].dropped);
	}
	config_free(&c);
}

/* "filters = ();" turns the built-in rules off. */
static void
test_filters_off(void **state)
{
	struct lg_config	 c;
	struct lg_diag		 d;
	const char		*text = "filters = ();\n"
	    "routers = ( { name = \"r\"; driver = \"frr\"; host = \"h\"; "
	    "credential = \"c\"; } );\n";

	(void)state;
	diag_init(&d);
	assert_int_equal(config_load_string(text, "f.conf", "/", &c, &d), 0);
	assert_int_equal(c.nfilters, 0);
	config_free(&c);
	diag_free(&d);
}

/*
 * Transport local: no host, port or credential (and each is an error),
 * socket only there; broker.local_max with its defaults.
 */
static void
test_local(void **state)
{
	struct lg_config	 c;
	struct lg_diag		 d;
	const char		*good =
	    "broker: { local_max = { mtr = 3; }; };\n"
	    "routers = ( { name = \"h\"; driver = \"linux-host\";\n"
	    "  transport = \"local\"; },\n"
	    "  { name = \"b\"; driver = \"bird\"; transport = \"local\";\n"
	    "  socket = \"bird.ctl\"; } );\n";
	const char		*bad =
	    "broker: { local_max = { mtr = 0; }; };\n"
	    "routers = ( { name = \"h\"; driver = \"linux-host\";\n"
	    "  transport = \"local\"; host = \"198.18.0.1\";\n"
	    "  credential = \"x\"; },\n"
	    "  { name = \"s\"; driver = \"frr\"; host = \"198.18.0.2\";\n"
	    "  credential = \"x\"; socket = \"/run/frr\"; },\n"
	    "  { name = \"n\"; driver = \"frr\"; } );\n";
	const char *const want[] = {
	    "local_max.mtr", "router \"h\": host: has no use with "
	    "transport \"local\"", "router \"h\": credential: has no use",
	    "router \"s\": socket: is for transport \"local\" only",
	    "router \"n\": missing required key \"host\"",
	    "router \"n\": missing required key \"credential\"" };
	size_t			 i;

	(void)state;
	diag_init(&d);
	if (config_load_string(good, "local.conf", "/etc/lg", &c, &d) != 0)
		dump(&d);
	assert_int_equal(c.routers[0].transport, TRANSPORT_LOCAL);
	assert_string_equal(c.routers[0].host, "");
	assert_string_equal(c.routers[1].socket, "/etc/lg/bird.ctl");
	assert_int_equal(c.broker.local_max[Q_MTR], 3);
	assert_int_equal(c.broker.local_max[Q_TRACEROUTE], 2);
	assert_int_equal(c.broker.local_max[Q_PING], 4);
	assert_int_equal(c.broker.local_probes, 100);
	config_free(&c);
	diag_free(&d);

	diag_init(&d);
	assert_int_equal(config_load_string(bad, "local.conf", "/", &c, &d),
	    -1);
	assert_int_equal(d.nerrors, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (strstr(d.msgs[i], want[i]) == NULL)
			fail_msg("%s: expected \"%s\"", d.msgs[i], want[i]);
	config_free(&c);
	diag_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local),
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_minimal_defaults),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_forget_router_access),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_line_order),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_admin_socket),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_many_routers),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_default_filters),
		cmocka_unit_test(test_filters_off),
		cmocka_unit_test(test_results),
		cmocka_unit_test(test_regions),
	};
	const char	*t = getenv("LG_TOP");

	lg_strlcpy(top, t != NULL ? t : ".", sizeof(top));
	log_init(1, 0, "test_config");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
