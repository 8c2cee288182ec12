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
 * Unit tests for src/lib/driver*.c and src/lib/regex.c: the shipped
 * driver tables load cleanly and declare every query their platform has;
 * their prompt, pager and error patterns behave on session transcripts
 * (tests/unit/sessions/, written in the vendors' output formats); every
 * broken table in tests/unit/drivers-bad/ is refused with the
 * diagnostic, file and line its first line announces.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "lg.h"
#include "lg_parse.h"

#define QA(q)		Q_MASK(q)
/* Every type; mtr is the looking-glass host's alone. */
#define ALL		(Q_MASK_ALL & ~Q_MASK(Q_MTR))

/* What each platform can answer; anything else must stay undefined. */
static const struct {
	const char	*name;
	unsigned int	 supported;
	const char	*prompt;	/* the transcript's final prompt */
	const char	*pager;		/* a pager prompt, or NULL */
	const char	*error;		/* a line the router prints on error */
} expect[] = {
	{ "arista-eos", ALL, "eos1>", " --More-- ",
	    "% Invalid input (at token 2: 'bgpx')" },
	{ "bird", QA(Q_BGP_ROUTE) | QA(Q_ROUTE) | QA(Q_BGP_COMMUNITY) |
	    QA(Q_BGP_ASPATH) | QA(Q_BGP_SUMMARY) | QA(Q_BGP_NEIGHBOR_RECEIVED),
	    "bird> ", "--More--",
	    "syntax error, unexpected CF_SYM_UNDEFINED, expecting END" },
	{ "cisco-ios", ALL, "R1#", " --More-- ",
	    "% Invalid input detected at '^' marker." },
	{ "cisco-iosxr", ALL, "RP/0/RSP0/CPU0:xr1#", " --More-- ",
	    "% Invalid input detected at '^' marker." },
	{ "cisco-nxos", ALL, "nx1# ", " --More-- ",
	    "% Invalid command at '^' marker." },
	{ "frr-bgpd", QA(Q_BGP_ROUTE) | QA(Q_BGP_COMMUNITY) |
	    QA(Q_BGP_ASPATH) | QA(Q_BGP_SUMMARY) | QA(Q_BGP_NEIGHBORS) |
	    QA(Q_BGP_NEIGHBOR_RECEIVED) | QA(Q_BGP_NEIGHBOR_ADVERTISED),
	    "r1> ", "--More--",
	    "% [BGP] Unknown command: show ip route 9.9.9.9" },
	{ "frr", ALL, "frr1# ", "--More--",
	    "% Unknown command: show bgp ipv4 unicast foo" },
	{ "juniper-junos", ALL, "{master:0}\nlg@mx1> ", "---(more 45%)---",
	    "syntax error, expecting <command>." },
};
#define NEXPECT		(sizeof(expect) / sizeof(expect[0]))

/* The argv drivers (transport local): no CLI, no prompt, no errors. */
static const struct {
	const char	*name;
	unsigned int	 supported;
} expect_argv[] = {
	{ "linux-host", QA(Q_PING) | QA(Q_TRACEROUTE) | QA(Q_MTR) },
};
#define NEXPECT_ARGV	(sizeof(expect_argv) / sizeof(expect_argv[0]))

static char		 top[LG_PATH_MAX];
static struct lg_drivers drivers;

static const char *
path(char *buf, size_t size, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));

static const char *
path(char *buf, size_t size, const char *fmt, ...)
{
	char		 rel[LG_PATH_MAX];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(rel, sizeof(rel), fmt, ap);
	va_end(ap);
	if ((size_t)snprintf(buf, size, "%s/%s", top, rel) >= size)
		fail_msg("path too long: %s", rel);
	return buf;
}

static char *
slurp(const char *file, size_t *len)
{
	FILE		*fp;
	char		*buf;
	long		 n;

	if ((fp = fopen(file, "rb")) == NULL)
		fail_msg("cannot open %s", file);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static void
spill(const char *file, const char *text)
{
	FILE		*fp;

	assert_non_null(fp = fopen(file, "w"));
	fputs(text, fp);
	fclose(fp);
}

static void
print_diag(const struct lg_diag *d)
{
	size_t		 i;

	for (i = 0; i < d->nmsgs; i++)
		print_message("# %s\n", d->msgs[i]);
}

static int
setup(void **state)
{
	struct lg_diag	 diag;
	const char	*t = getenv("LG_TOP");
	char		 dir[LG_PATH_MAX];
	int		 rc;

	(void)state;
	lg_strlcpy(top, t != NULL ? t : ".", sizeof(top));
	diag_init(&diag);
	rc = driver_load_dir(path(dir, sizeof(dir), "drivers"), &drivers,
	    &diag);
	print_diag(&diag);
	diag_free(&diag);
	return rc;
}

static int
teardown(void **state)
{
	(void)state;
	drivers_free(&drivers);
	return 0;
}

static const struct lg_driver *
find(const char *name)
{
	const struct lg_driver	*d = drivers_find(&drivers, name);

	if (d == NULL)
		fail_msg("driver %s not loaded", name);
	return d;
}

static void
test_shipped_load(void **state)
{
	const struct lg_driver	*d;
	size_t			 i;

	(void)state;
	assert_int_equal(drivers.ndrivers, NEXPECT + NEXPECT_ARGV);
	for (i = 0; i < NEXPECT; i++) {
		d = find(expect[i].name);
		/* Loaded in name order. */
		assert_string_equal(drivers.drivers[i].name, expect[i].name);
		assert_non_null(d->prompt.re);
		assert_non_null(d->newline);
		assert_true(d->vendor[0] != '\0');
		assert_true(d->ping_count >= 1);
	}
	assert_null(drivers_find(&drivers, "cisco"));
}

static void
test_supported_matrix(void **state)
{
	const struct lg_driver	*d;
	size_t			 i;
	unsigned int		 q;

	(void)state;
	for (i = 0; i < NEXPECT; i++) {
		d = find(expect[i].name);
		for (q = 0; q < Q_COUNT; q++)
			if ((d->supported & Q_MASK(q)) !=
			    (expect[i].supported & Q_MASK(q)))
				fail_msg("%s: %s is %ssupported", d->name,
				    query_name((enum lg_query_type)q),
				    d->supported & Q_MASK(q) ? "" : "not ");
	}
}

/*
 * An argv driver: each template an argv whose program is an absolute
 * path, with no placeholder in it, and the VRF and source choices first.
 */
static void
test_argv_drivers(void **state)
{
	const struct lg_driver	*d;
	const char		*t;
	size_t			 i;
	unsigned int		 q, a;

	(void)state;
	for (i = 0; i < NEXPECT_ARGV; i++) {
		d = find(expect_argv[i].name);
		assert_true(d->argv);
		assert_null(d->prompt.re);
		assert_int_equal(d->nlocal, 0);
		assert_int_equal(d->supported, expect_argv[i].supported);
		for (q = 0; q < Q_COUNT; q++)
			for (a = 0; a < 3; a++) {
				if ((t = d->queries[q].tmpl[a]) == NULL)
					continue;
				assert_int_equal(t[0], '/');
				assert_true(strchr(t, LG_ARGV_SEP) != NULL);
				assert_true(strcspn(t, "{") >
				    strcspn(t, (char []){ LG_ARGV_SEP, 0 }));
				assert_non_null(strstr(t, "{vrf}"));
			}
		/* mtr's mtr-packet may be executed in the prober's domain. */
		assert_int_equal(d->nhelpers, 1);
		assert_string_equal(d->helpers[0], "/usr/bin/mtr-packet");
		/* Never the options that ask a third party for AS numbers. */
		t = d->queries[Q_MTR].tmpl[AFI_IPV4];
		assert_null(strstr(t, "\x1f-z"));
		assert_null(strstr(t, "\x1f-y"));
	}
}

/*
 * The whole transcript ends with the prompt, found exactly where the
 * last prompt begins; no earlier line end looks like the end of the
 * answer, banners and '#'/'>' inside output included.
 */
static void
check_session(const struct lg_driver *d, const char *prompt)
{
	char		 file[LG_PATH_MAX], *buf;
	size_t		 len, i, s, e, k;

	buf = slurp(path(file, sizeof(file), "tests/unit/sessions/%s.raw",
	    d->name), &len);
	assert_int_equal(regex_find(&d->prompt, buf, len, &s, &e), 1);
	assert_int_equal(e, len);
	assert_int_equal(s, len - strlen(prompt));
	for (i = 0; i < len; i++) {
		if (buf[i] != '\n' || i + 1 >= len - strlen(prompt))
			continue;
		if (regex_match(&d->prompt, buf, i) != 0 ||
		    regex_match(&d->prompt, buf, i + 1) != 0)
			fail_msg("%s: prompt matched at offset %zu", d->name,
			    i);
	}
	for (k = 0; k < d->nerrors; k++)
		if (regex_match(&d->errors[k], buf, len) != 0)
			fail_msg("%s: error pattern %s matched normal output",
			    d->name, d->errors[k].src);
	free(buf);
}

static void
test_sessions(void **state)
{
	size_t		 i;

	(void)state;
	for (i = 0; i < NEXPECT; i++)
		check_session(find(expect[i].name), expect[i].prompt);
}

static void
test_banners(void **state)
{
	static const char *const banners[] = {
		"Welcome to host# router> ",
		"Welcome to host# router> \nBGP routing table entry",
		"router# \nmore output follows",
		"router> \n",
		"  r1#",
		"Last login: Sat Nov 21 18:00:00 2026 from 198.18.0.9\n",
	};
	const struct lg_driver	*d;
	char			 buf[256];
	size_t			 i, j;

	(void)state;
	for (i = 0; i < NEXPECT; i++) {
		d = find(expect[i].name);
		for (j = 0; j < sizeof(banners) / sizeof(banners[0]); j++)
			if (regex_match(&d->prompt, banners[j],
			    strlen(banners[j])) != 0)
				fail_msg("%s: prompt matches banner '%s'",
				    d->name, banners[j]);
		/* The real prompt followed by more text is no end either. */
		snprintf(buf, sizeof(buf), "%s\nmore", expect[i].prompt);
		assert_int_equal(regex_match(&d->prompt, buf, strlen(buf)), 0);
		snprintf(buf, sizeof(buf), "output\n%s", expect[i].prompt);
		assert_int_equal(regex_match(&d->prompt, buf, strlen(buf)), 1);
	}
}

/* Configuration mode is never taken for the prompt a query waits for. */
static void
test_config_mode(void **state)
{
	static const struct {
		const char	*driver;
		const char	*prompt;
	} cfg[] = {
		{ "cisco-ios", "R1(config)#" },
		{ "cisco-ios", "R1(config-router)#" },
		{ "cisco-iosxr", "RP/0/RSP0/CPU0:xr1(config)#" },
		{ "cisco-nxos", "nx1(config)# " },
		{ "arista-eos", "eos1(config)#" },
		{ "frr", "frr1(config-router)# " },
		{ "frr-bgpd", "r1(config-router)# " },
		{ "juniper-junos", "[edit]\nlg@mx1# " },
		{ "juniper-junos", "lg@mx1% " },
	};
	const struct lg_driver	*d;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(cfg) / sizeof(cfg[0]); i++) {
		d = find(cfg[i].driver);
		if (regex_match(&d->prompt, cfg[i].prompt,
		    strlen(cfg[i].prompt)) != 0)
			fail_msg("%s: prompt matches '%s'", d->name,
			    cfg[i].prompt);
	}
}

/* The enable step waits for the privileged prompt, not the user one. */
static void
test_enable(void **state)
{
	static const char *const with[] = { "cisco-ios", "cisco-nxos",
	    "arista-eos" };
	const struct lg_driver	*d;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(with) / sizeof(with[0]); i++) {
		d = find(with[i]);
		assert_string_equal(d->enable_command, "enable");
		assert_int_equal(regex_match(&d->enable_prompt, "r1#", 3), 1);
		assert_int_equal(regex_match(&d->enable_prompt, "r1>", 3), 0);
		assert_int_equal(regex_match(&d->enable_password_prompt,
		    "Password: ", 10), 1);
	}
	for (i = 0; i < drivers.ndrivers; i++)
		if (drivers.drivers[i].enable_command == NULL)
			assert_null(drivers.drivers[i].enable_prompt.re);
}

static void
test_pagers(void **state)
{
	const struct lg_driver	*d;
	char			 buf[256];
	size_t			 i;

	(void)state;
	for (i = 0; i < NEXPECT; i++) {
		d = find(expect[i].name);
		if (expect[i].pager == NULL) {
			assert_null(d->pager.re);
			continue;
		}
		assert_non_null(d->pager_key);
		snprintf(buf, sizeof(buf), "line 1\nline 2\n%s",
		    expect[i].pager);
		assert_int_equal(regex_match(&d->pager, buf, strlen(buf)), 1);
		snprintf(buf, sizeof(buf), "line 1\n%s\nline 2",
		    expect[i].pager);
		assert_int_equal(regex_match(&d->pager, buf, strlen(buf)), 0);
		/* A prompt is not a pager prompt and vice versa. */
		assert_int_equal(regex_match(&d->pager, expect[i].prompt,
		    strlen(expect[i].prompt)), 0);
		assert_int_equal(regex_match(&d->prompt, buf, strlen(buf)), 0);
	}
}

static void
test_errors(void **state)
{
	const struct lg_driver	*d;
	char			 buf[256];
	size_t			 i, k;
	int			 hit;

	(void)state;
	for (i = 0; i < NEXPECT; i++) {
		d = find(expect[i].name);
		snprintf(buf, sizeof(buf), "                ^\n%s\n",
		    expect[i].error);
		for (hit = 0, k = 0; k < d->nerrors; k++)
			hit |= regex_match(&d->errors[k], buf, strlen(buf));
		if (hit != 1)
			fail_msg("%s: no error pattern matches '%s'", d->name,
			    expect[i].error);
	}
}

/* Does any of the driver's error patterns match line (after a caret)? */
static int
error_hit(const struct lg_driver *d, const char *line)
{
	char		 buf[512];
	size_t		 k;
	int		 hit = 0;

	snprintf(buf, sizeof(buf), "                ^\n%s\n", line);
	for (k = 0; k < d->nerrors; k++)
		hit |= regex_match(&d->errors[k], buf, strlen(buf)) == 1;
	return hit;
}

/*
 * Each shipped driver against its platform's own error texts
 * (tests/unit/driver-errors/NAME.txt): every complaint ("E ") is caught,
 * no normal answer ("N "), "not in table" included, is.
 */
static void
test_error_texts(void **state)
{
	const struct lg_driver	*d;
	char			 file[LG_PATH_MAX], *buf, *line, *save = NULL;
	size_t			 i, len, ne;

	(void)state;
	for (i = 0; i < drivers.ndrivers; i++) {
		d = &drivers.drivers[i];
		if (d->argv)
			continue;	/* a program's exit status says it */
		buf = slurp(path(file, sizeof(file),
		    "tests/unit/driver-errors/%s.txt", d->name), &len);
		ne = 0;
		for (line = strtok_r(buf, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			if (line[0] == '#')
				continue;
			if (strncmp(line, "E ", 2) != 0 &&
			    strncmp(line, "N ", 2) != 0)
				fail_msg("%s: not an E or N line: %s", file,
				    line);
			if (line[0] == 'E')
				ne++;
			if (error_hit(d, line + 2) != (line[0] == 'E'))
				fail_msg("%s: %s '%s'", d->name, line[0] ==
				    'E' ? "no error pattern matches" :
				    "an error pattern matches the answer",
				    line + 2);
		}
		if (ne == 0)
			fail_msg("%s: no error text", file);
		free(buf);
	}
}

static void
test_templates_loaded(void **state)
{
	const struct lg_driver		*d;
	const struct lg_driver_query	*dq;

	(void)state;
	d = find("cisco-ios");
	dq = &d->queries[Q_PING];
	assert_non_null(dq->tmpl[AFI_IPV4]);
	assert_null(dq->tmpl[AFI_ANY]);
	assert_non_null(dq->alt[AFI_IPV4][2]);
	assert_string_equal(dq->alt[AFI_IPV4][2], "ping {address} repeat "
	    "{count}");
	assert_int_equal(d->nsetup, 2);
	assert_string_equal(d->setup[0], "terminal length 0");
	assert_non_null(d->enable_command);
	assert_int_equal(d->nfilters, 2);
	assert_int_equal(d->filters[0].action, FILTER_DROP);
	d = find("juniper-junos");
	assert_int_equal(d->aspath_style, ASPATH_JUNOS);
	assert_non_null(d->queries[Q_BGP_SUMMARY].tmpl[AFI_ANY]);
	assert_non_null(d->queries[Q_BGP_COMMUNITY].tmpl_large[AFI_IPV6]);
	d = find("bird");
	assert_int_equal(d->community_style, COMMUNITY_BIRD);
	assert_string_equal(d->keepalive, "show status");
	assert_null(d->enable_command);
	assert_null(d->queries[Q_PING].tmpl[AFI_IPV4]);
	assert_null(find("frr")->keepalive);
}

/*
 * The interrupt key: frr ends ping itself after ping_count replies (the
 * reply line is iputils' "64 bytes from ..."), or 10 s; the tables whose
 * commands end by themselves interrupt nothing.
 */
static void
test_interrupt(void **state)
{
	static const char reply[] = "64 bytes from 198.18.2.2: icmp_seq=1 "
	    "ttl=63 time=0.151 ms";
	static const char unreach[] = "From 198.19.1.1 icmp_seq=1 "
	    "Destination Net Unreachable";
	static const char stats[] = "5 packets transmitted, 5 received, "
	    "0% packet loss, time 4005ms";
	const struct lg_driver	*d = find("frr");
	size_t			 i;

	(void)state;
	assert_int_equal(d->intr_queries, Q_MASK(Q_PING));
	assert_int_equal(d->intr_count, 0);	/* ping_count */
	assert_int_equal(d->ping_count, 5);
	assert_int_equal(d->intr_within, 10);
	assert_int_equal(regex_match(&d->intr_match, reply, strlen(reply)), 1);
	assert_int_equal(regex_match(&d->intr_match, unreach,
	    strlen(unreach)), 0);
	assert_int_equal(regex_match(&d->intr_match, stats, strlen(stats)), 0);
	for (i = 0; i < NEXPECT; i++)
		if (strcmp(expect[i].name, "frr") != 0)
			assert_int_equal(find(expect[i].name)->intr_queries, 0);
}

/* Reads "# expect: LINE: text" from the first line of a broken table. */
static void
check_bad(const char *dir, const char *name)
{
	struct lg_driver	 d;
	struct lg_diag		 diag;
	char			 file[LG_PATH_MAX], want[1024], *buf, *nl;
	size_t			 len, i;
	int			 line, found = 0, off, n;

	if ((size_t)snprintf(file, sizeof(file), "%s/%s", dir, name) >=
	    sizeof(file))
		fail_msg("path too long: %s", name);
	buf = slurp(file, &len);
	if ((nl = strchr(buf, '\n')) != NULL)
		*nl = '\0';
	if (sscanf(buf, "# expect: %d: %n", &line, &off) != 1)
		fail_msg("%s: no '# expect: LINE: text' line", name);
	if (line > 0)
		n = snprintf(want, sizeof(want), "%s:%d: %s", file, line,
		    buf + off);
	else
		n = snprintf(want, sizeof(want), "%s: %s", file, buf + off);
	if (n < 0 || (size_t)n >= sizeof(want))
		fail_msg("%s: expectation too long", name);
	diag_init(&diag);
	if (driver_load_file(file, &d, &diag) != -1) {
		driver_free(&d);
		fail_msg("%s: loaded", name);
	}
	assert_true(diag.nerrors >= 1);
	for (i = 0; i < diag.nmsgs; i++)
		found |= strncmp(diag.msgs[i], want, strlen(want)) == 0;
	if (!found) {
		print_diag(&diag);
		fail_msg("%s: no diagnostic '%s'", name, want);
	}
	/* A refused table is left empty. */
	assert_null(d.prompt.re);
	assert_int_equal(d.supported, 0);
	diag_free(&diag);
	free(buf);
}

static void
test_bad_tables(void **state)
{
	char		 dir[LG_PATH_MAX];
	DIR		*dp;
	struct dirent	*de;
	int		 n = 0;

	(void)state;
	path(dir, sizeof(dir), "tests/unit/drivers-bad");
	assert_non_null(dp = opendir(dir));
	while ((de = readdir(dp)) != NULL)
		if (strstr(de->d_name, ".conf") != NULL) {
			check_bad(dir, de->d_name);
			n++;
		}
	closedir(dp);
	assert_true(n >= 20);
}

static void
test_bad_dir(void **state)
{
	struct lg_drivers	 ds;
	struct lg_diag		 diag;
	char			 dir[LG_PATH_MAX];

	(void)state;
	diag_init(&diag);
	assert_int_equal(driver_load_dir(path(dir, sizeof(dir),
	    "tests/unit/drivers-bad"), &ds, &diag), -1);
	assert_int_equal(ds.ndrivers, 0);
	assert_true(diag.nerrors >= 20);
	drivers_free(&ds);
	diag_free(&diag);

	diag_init(&diag);
	assert_int_equal(driver_load_dir("/nonexistent/drivers", &ds, &diag),
	    -1);
	assert_int_equal(diag.nmsgs, 1);
	assert_non_null(strstr(diag.msgs[0], "cannot open"));
	drivers_free(&ds);
	diag_free(&diag);
}

/* A good table beside a bad one still loads; an empty dir is an error. */
static void
test_mixed_dir(void **state)
{
	struct lg_drivers	 ds;
	struct lg_diag		 diag;
	char			 tmp[] = "/tmp/lg-test-driver.XXXXXX";
	char			 file[LG_PATH_MAX + 32];

	(void)state;
	assert_non_null(mkdtemp(tmp));
	diag_init(&diag);
	assert_int_equal(driver_load_dir(tmp, &ds, &diag), -1);
	assert_non_null(strstr(diag.msgs[0], "no driver files"));
	drivers_free(&ds);
	diag_free(&diag);

	snprintf(file, sizeof(file), "%s/good-replace.conf", tmp);
	spill(file, "name = \"good-replace\";\nvendor = \"Test\";\n"
	    "prompt = \"(?m)^r1[>#] ?\\\\z\";\n"
	    "queries = { bgp_summary = \"show bgp summary\"; };\n"
	    "filters = ( { match = \"secret \\\\S+\"; replace = \"secret "
	    "<removed>\"; } );\n");
	snprintf(file, sizeof(file), "%s/broken.conf", tmp);
	spill(file, "name = \"broken\";\n");
	snprintf(file, sizeof(file), "%s/README.md", tmp);
	spill(file, "not a driver\n");
	snprintf(file, sizeof(file), "%s/subdir.conf", tmp);
	assert_int_equal(mkdir(file, 0700), 0);
	diag_init(&diag);
	assert_int_equal(driver_load_dir(tmp, &ds, &diag), -1);
	assert_int_equal(ds.ndrivers, 1);
	assert_string_equal(ds.drivers[0].name, "good-replace");
	assert_int_equal(ds.drivers[0].nfilters, 1);
	assert_int_equal(ds.drivers[0].filters[0].action, FILTER_REPLACE);
	assert_string_equal(ds.drivers[0].filters[0].replacement,
	    "secret <removed>");
	assert_int_equal(ds.drivers[0].supported, QA(Q_BGP_SUMMARY));
	/* broken: vendor, prompt, queries; subdir.conf: not a file. */
	assert_int_equal(diag.nerrors, 4);
	drivers_free(&ds);
	diag_free(&diag);

	snprintf(file, sizeof(file), "%s/broken.conf", tmp);
	unlink(file);
	snprintf(file, sizeof(file), "%s/good-replace.conf", tmp);
	unlink(file);
	snprintf(file, sizeof(file), "%s/README.md", tmp);
	unlink(file);
	snprintf(file, sizeof(file), "%s/subdir.conf", tmp);
	rmdir(file);
	rmdir(tmp);
}

/* frr-bgpd reads frr's parse rules (parse_from): one copy, both CLIs. */
static void
test_parse_from(void **state)
{
	const struct lg_driver	*bgpd = find("frr-bgpd");
	enum lg_query_type	 q;

	(void)state;
	for (q = 0; q < Q_COUNT; q++)
		if (bgpd->supported & Q_MASK(q))
			assert_int_equal(parser_supported(bgpd, q),
			    parser_supported(find("frr"), q));
	assert_true(parser_supported(bgpd, Q_BGP_ROUTE));
}

static void
test_regex(void **state)
{
	struct lg_regex	 re = { NULL, NULL };
	char		 err[128];
	size_t		 s, e;
	const char	*buf = "output\nr1# ";

	(void)state;
	assert_int_equal(regex_match(&re, "x", 1), 0);
	assert_int_equal(regex_compile(&re, "(?m)^r1# ?\\z", err,
	    sizeof(err)), 0);
	assert_string_equal(re.src, "(?m)^r1# ?\\z");
	assert_int_equal(regex_find(&re, buf, strlen(buf), &s, &e), 1);
	assert_int_equal(s, 7);
	assert_int_equal(e, strlen(buf));
	/* Only the given length is searched. */
	assert_int_equal(regex_match(&re, buf, strlen(buf) - 2), 0);
	regex_free(&re);
	assert_null(re.re);
	assert_int_equal(regex_compile(&re, "a(b", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "at offset 3"));
	assert_null(re.re);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_load),
		cmocka_unit_test(test_supported_matrix),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_banners),
		cmocka_unit_test(test_config_mode),
		cmocka_unit_test(test_enable),
		cmocka_unit_test(test_pagers),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_texts),
		cmocka_unit_test(test_argv_drivers),
		cmocka_unit_test(test_templates_loaded),
		cmocka_unit_test(test_interrupt),
		cmocka_unit_test(test_bad_tables),
		cmocka_unit_test(test_bad_dir),
		cmocka_unit_test(test_mixed_dir),
		cmocka_unit_test(test_parse_from),
		cmocka_unit_test(test_regex),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
