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
 * Unit tests for src/lib/render.c.  The golden test renders every
 * shipped driver x query type x family x sample target x router context
 * and compares the result byte for byte with
 * tests/unit/golden/render/<driver>.txt; LG_GOLDEN_UPDATE=1 (make
 * golden-update) rewrites those files so that a change is reviewed as a
 * diff.  The other tests use small hand-made tables to pin the rules:
 * placeholders without values, choices, families, AS-path translation
 * and the final check of every command.
 */

#include <arpa/inet.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lg.h"

struct sample {
	const char		*label;
	struct lg_target	 t;
};

static char		 top[LG_PATH_MAX];
static struct sample	 samples[32];
static size_t		 nsamples;

static void
add_ip(enum lg_target_kind kind, const char *text)
{
	struct lg_target	*t = &samples[nsamples].t;
	char			 a[INET6_ADDRSTRLEN];
	const char		*slash = strchr(text, '/');
	size_t			 len = slash != NULL ? (size_t)(slash - text) :
				    strlen(text);

	memset(t, 0, sizeof(*t));
	memcpy(a, text, len);
	a[len] = '\0';
	t->kind = kind;
	t->family = strchr(a, ':') != NULL ? AFI_IPV6 : AFI_IPV4;
	assert_int_equal(inet_pton(t->family == AFI_IPV4 ? AF_INET : AF_INET6,
	    a, t->addr), 1);
	t->prefixlen = (uint8_t)(slash != NULL ? atoi(slash + 1) :
	    t->family == AFI_IPV4 ? 32 : 128);
	lg_strlcpy(t->canon, text, sizeof(t->canon));
	samples[nsamples++].label = text;
}

static void
add_comm(enum lg_community_kind kind, const char *label, uint32_t a,
    uint32_t b, uint32_t c)
{
	struct lg_target	*t = &samples[nsamples].t;

	memset(t, 0, sizeof(*t));
	t->kind = TGT_COMMUNITY;
	t->comm_kind = kind;
	t->comm[0] = a;
	t->comm[1] = b;
	t->comm[2] = c;
	lg_strlcpy(t->canon, label, sizeof(t->canon));
	samples[nsamples++].label = label;
}

static void
add_text(enum lg_target_kind kind, const char *text)
{
	struct lg_target	*t = &samples[nsamples].t;

	memset(t, 0, sizeof(*t));
	t->kind = kind;
	lg_strlcpy(t->canon, text, sizeof(t->canon));
	samples[nsamples++].label = text[0] != '\0' ? text : "-";
}

/* The canonical targets validation would produce, built by hand. */
static void
make_samples(void)
{
	nsamples = 0;
	add_ip(TGT_ADDRESS, "198.18.1.1");
	add_ip(TGT_ADDRESS, "2001:2::1");
	add_ip(TGT_PREFIX, "198.18.0.0/15");
	add_ip(TGT_PREFIX, "2001:2::/48");
	add_text(TGT_HOSTNAME, "lab.example");
	add_comm(COMM_STANDARD, "65000:100", 65000, 100, 0);
	add_comm(COMM_LARGE, "65000:1:2", 65000, 1, 2);
	add_comm(COMM_WELLKNOWN, "no-export", 65535, 65281, 0);
	add_comm(COMM_WELLKNOWN, "blackhole", 65535, 666, 0);
	add_text(TGT_ASPATH, "_65000_");
	add_text(TGT_ASPATH, "^65000_");
	add_text(TGT_ASPATH, "_65000$");
	add_text(TGT_ASPATH, "^65000$");
	add_text(TGT_ASPATH, "^$");
	add_text(TGT_ASPATH, "_65000_65001_");
	add_text(TGT_ASPATH, "^65000_[0-9]+_65002$");
	add_text(TGT_ASPATH, "_(65000|65001)_");
	add_text(TGT_ASPATH, "^6500[0-9]_");
	add_text(TGT_ASPATH, "_65000_?");
	add_text(TGT_NONE, "");
}

static const struct {
	const char		*label;
	struct lg_render_ctx	 ctx;
	int			 probes;	/* only for ping/traceroute */
} contexts[] = {
	{ "plain", { NULL, NULL, NULL }, 0 },
	{ "vrf", { NULL, NULL, "CUST-A" }, 0 },
	{ "source", { "198.18.0.1", "2001:2::1", NULL }, 1 },
	{ "source+vrf", { "198.18.0.1", "2001:2::1", "CUST-A" }, 1 },
};

/* The checks every rendered command must pass, whatever its driver. */
static void
assert_safe(const struct lg_driver *d, const char *cmd)
{
	const unsigned char	*p;

	assert_true(strlen(cmd) > 0 && strlen(cmd) < LG_COMMAND_MAX);
	for (p = (const unsigned char *)cmd; *p != '\0'; p++) {
		if (*p == LG_ARGV_SEP && d->argv)
			continue;	/* between the words of an argv */
		if (*p < 0x20 || *p > 0x7e || strchr(";?{}\\", *p) != NULL ||
		    (*p == '|' && !d->aspath_alternation))
			fail_msg("%s: unsafe byte 0x%02x in '%s'", d->name, *p,
			    cmd);
	}
}

/* The words of an argv, written apart by " | " in the golden file. */
static void
argv_show(char *cmd)
{
	char	 out[2 * LG_COMMAND_MAX];
	size_t	 i, n = 0;

	for (i = 0; cmd[i] != '\0' && n + 4 < sizeof(out); i++) {
		if (cmd[i] != LG_ARGV_SEP) {
			out[n++] = cmd[i];
			continue;
		}
		memcpy(out + n, " | ", 3);
		n += 3;
	}
	out[n] = '\0';
	lg_strlcpy(cmd, out, LG_COMMAND_MAX);
}

static void
render_line(struct lg_buf *b, const struct lg_driver *d, enum lg_query_type q,
    enum lg_afi afi, const struct sample *s, size_t c)
{
	enum lg_afi	 fam[2];
	char		 cmd[LG_COMMAND_MAX], err[LG_ERRSTR_MAX];
	enum lg_err	 rc;
	int		 n, i;

	buf_printf(b, "%s %s %s %s ->", query_name(q), afi_name(afi),
	    s->label, contexts[c].label);
	n = render_families(d, q, afi, &s->t, fam);
	if (n == -1)
		buf_printf(b, " no family\n");
	else if (n == 0)
		buf_printf(b, " unsupported\n");
	for (i = 0; i < n; i++) {
		rc = render_command(d, q, fam[i], &s->t, &contexts[c].ctx, cmd,
		    sizeof(cmd), err, sizeof(err));
		if (rc == LG_OK)
			assert_safe(d, cmd);
		else
			assert_string_equal(cmd, "");
		argv_show(cmd);
		buf_printf(b, "%s[%s] %s%s%s", i > 0 ? " ;; " : " ",
		    afi_name(fam[i]), rc == LG_OK ? "" : lg_err_name(rc),
		    rc == LG_OK ? "" : ": ", rc == LG_OK ? cmd : err);
	}
	if (n > 0)
		buf_printf(b, "\n");
}

static void
render_driver(struct lg_buf *b, const struct lg_driver *d)
{
	const struct lg_query_info	*qi;
	unsigned int			 q, a;
	size_t				 s, c;

	buf_printf(b, "# %s: query afi target context -> [family] command\n",
	    d->name);
	for (q = 0; q < Q_COUNT; q++) {
		qi = query_info((enum lg_query_type)q);
		for (s = 0; s < nsamples; s++) {
			if ((qi->targets & (1U << samples[s].t.kind)) == 0)
				continue;
			for (a = AFI_ANY; a <= AFI_IPV6; a++)
				for (c = 0; c < sizeof(contexts) /
				    sizeof(contexts[0]); c++) {
					if (contexts[c].probes && q != Q_PING &&
					    q != Q_TRACEROUTE)
						continue;
					render_line(b, d, qi->type,
					    (enum lg_afi)a, &samples[s], c);
				}
		}
	}
}

/* The first line where two texts differ, for the failure message. */
static void
first_diff(const char *want, const char *got)
{
	int		 line = 1;
	const char	*w = want, *g = got;

	while (*w != '\0' && *w == *g) {
		if (*w == '\n')
			line++;
		w++;
		g++;
	}
	while (w > want && w[-1] != '\n')
		w--;
	while (g > got && g[-1] != '\n')
		g--;
	print_message("# line %d\n# golden: %.*s\n# now:    %.*s\n", line,
	    (int)strcspn(w, "\n"), w, (int)strcspn(g, "\n"), g);
}

static void
golden_check(const char *name, const struct lg_buf *b)
{
	char		 file[LG_PATH_MAX], *want;
	FILE		*fp;
	long		 n;
	const char	*upd = getenv("LG_GOLDEN_UPDATE");

	if ((size_t)snprintf(file, sizeof(file), "%s/tests/unit/golden/"
	    "render/%s.txt", top, name) >= sizeof(file))
		fail_msg("path too long");
	if (upd != NULL && strcmp(upd, "1") == 0) {
		assert_non_null(fp = fopen(file, "w"));
		assert_int_equal(fwrite(b->data, 1, b->len, fp), b->len);
		assert_int_equal(fclose(fp), 0);
		return;
	}
	if ((fp = fopen(file, "rb")) == NULL)
		fail_msg("%s missing: run make golden-update", file);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	want = calloc(1, (size_t)n + 1);
	assert_non_null(want);
	assert_int_equal(fread(want, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	if ((size_t)n != b->len || memcmp(want, b->data, b->len) != 0) {
		first_diff(want, b->data);
		free(want);
		fail_msg("%s differs from the golden file", name);
	}
	free(want);
}

static void
test_golden(void **state)
{
	struct lg_drivers	 ds;
	struct lg_diag		 diag;
	struct lg_buf		 b;
	char			 dir[LG_PATH_MAX + 16];
	size_t			 i;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/drivers", top);
	diag_init(&diag);
	assert_int_equal(driver_load_dir(dir, &ds, &diag), 0);
	assert_true(ds.ndrivers >= 7);
	make_samples();
	for (i = 0; i < ds.ndrivers; i++) {
		buf_init(&b, 1 << 20);
		render_driver(&b, &ds.drivers[i]);
		assert_int_equal(buf_append(&b, "", 1), 0);
		b.len--;
		golden_check(ds.drivers[i].name, &b);
		buf_free(&b);
	}
	drivers_free(&ds);
	diag_free(&diag);
}

/* A hand-made table; templates live in static arrays, render only reads. */
static struct lg_driver	 td;
static char t_ping[] = "ping {address} source {source4}";
static char t_ping2[] = "ping {address}";
static char t_route4[] = "show route {prefix}";
static char t_comm[] = "show community {community}";
static char t_aspath[] = "show aspath \"{aspath}\"";
static char t_sum4[] = "show summary ipv4";
static char t_sum6[] = "show summary ipv6";
static char t_long[LG_COMMAND_MAX - 8];

static int
setup(void **state)
{
	const char	*t = getenv("LG_TOP");

	(void)state;
	lg_strlcpy(top, t != NULL ? t : ".", sizeof(top));
	return 0;
}

static void
table_reset(void)
{
	memset(&td, 0, sizeof(td));
	lg_strlcpy(td.name, "test", sizeof(td.name));
	td.ping_count = 5;
	td.queries[Q_PING].tmpl[AFI_IPV4] = t_ping;
	td.queries[Q_ROUTE].tmpl[AFI_IPV4] = t_route4;
	td.queries[Q_BGP_COMMUNITY].tmpl[AFI_ANY] = t_comm;
	td.queries[Q_BGP_ASPATH].tmpl[AFI_ANY] = t_aspath;
	td.queries[Q_BGP_SUMMARY].tmpl[AFI_IPV4] = t_sum4;
	td.queries[Q_BGP_SUMMARY].tmpl[AFI_IPV6] = t_sum6;
}

static const struct lg_target *
target(const char *label)
{
	size_t		 i;

	make_samples();
	for (i = 0; i < nsamples; i++)
		if (strcmp(samples[i].label, label) == 0)
			return &samples[i].t;
	fail_msg("no sample %s", label);
	return NULL;
}

static enum lg_err
render(enum lg_query_type q, enum lg_afi afi, const struct lg_target *t,
    const struct lg_render_ctx *ctx, char *cmd, char *err)
{
	return render_command(&td, q, afi, t, ctx, cmd, LG_COMMAND_MAX, err,
	    LG_ERRSTR_MAX);
}

static void
test_missing_value(void **state)
{
	struct lg_render_ctx	 none = { NULL, "", NULL };
	struct lg_render_ctx	 src = { "198.18.0.1", NULL, NULL };
	char			 cmd[LG_COMMAND_MAX], err[LG_ERRSTR_MAX];

	(void)state;
	table_reset();
	strcpy(cmd, "stale");
	assert_int_equal(render(Q_PING, AFI_IPV4, target("198.18.1.1"), &none,
	    cmd, err), LG_ERR_BAD_QUERY);
	assert_string_equal(cmd, "");
	assert_non_null(strstr(err, "{source4}"));
	assert_int_equal(render(Q_PING, AFI_IPV4, target("198.18.1.1"), NULL,
	    cmd, err), LG_ERR_BAD_QUERY);
	assert_int_equal(render(Q_PING, AFI_IPV4, target("198.18.1.1"), &src,
	    cmd, err), LG_OK);
	assert_string_equal(cmd, "ping 198.18.1.1 source 198.18.0.1");
	/* A hostname must be resolved before it reaches {address}. */
	assert_int_equal(render(Q_PING, AFI_IPV4, target("lab.example"), &src,
	    cmd, err), LG_ERR_BAD_QUERY);
	assert_non_null(strstr(err, "{address}"));
	/* {prefix} takes a prefix only. */
	assert_int_equal(render(Q_ROUTE, AFI_ANY, target("198.18.1.1"), NULL,
	    cmd, err), LG_ERR_BAD_QUERY);
	assert_non_null(strstr(err, "{prefix}"));
	assert_int_equal(render(Q_ROUTE, AFI_ANY, target("198.18.0.0/15"),
	    NULL, cmd, err), LG_OK);
	assert_string_equal(cmd, "show route 198.18.0.0/15");
}

static void
test_choices(void **state)
{
	struct lg_render_ctx	 src = { "198.18.0.1", NULL, NULL };
	char			 cmd[LG_COMMAND_MAX], err[LG_ERRSTR_MAX];

	(void)state;
	table_reset();
	td.queries[Q_PING].alt[AFI_IPV4][0] = t_ping2;
	assert_int_equal(render(Q_PING, AFI_IPV4, target("198.18.1.1"), NULL,
	    cmd, err), LG_OK);
	assert_string_equal(cmd, "ping 198.18.1.1");
	assert_int_equal(render(Q_PING, AFI_ANY, target("198.18.1.1"), &src,
	    cmd, err), LG_OK);
	assert_string_equal(cmd, "ping 198.18.1.1 source 198.18.0.1");
	/* A bad value is an error, not a reason to try the next choice. */
	src.source4 = "2001:2::1";
	assert_int_equal(render(Q_PING, AFI_IPV4, target("198.18.1.1"), &src,
	    cmd, err), LG_ERR_BAD_QUERY);
	assert_non_null(strstr(err, "source4"));
}

static void
test_families(void **state)
{
	enum lg_afi	 fam[2];
	char		 cmd[LG_COMMAND_MAX], err[LG_ERRSTR_MAX];

	(void)state;
	table_reset();
	assert_int_equal(render_families(&td, Q_BGP_SUMMARY, AFI_ANY,
	    target("-"), fam), 2);
	assert_int_equal(fam[0], AFI_IPV4);
	assert_int_equal(fam[1], AFI_IPV6);
	assert_int_equal(render_families(&td, Q_BGP_SUMMARY, AFI_IPV6,
	    target("-"), fam), 1);
	assert_int_equal(fam[0], AFI_IPV6);
	/* One template for both families: one command. */
	assert_int_equal(render_families(&td, Q_BGP_COMMUNITY, AFI_ANY,
	    target("65000:100"), fam), 1);
	assert_int_equal(fam[0], AFI_ANY);
	/* No large-community template: unsupported, not a fallback. */
	assert_int_equal(render_families(&td, Q_BGP_COMMUNITY, AFI_ANY,
	    target("65000:1:2"), fam), 0);
	assert_int_equal(render(Q_BGP_COMMUNITY, AFI_ANY, target("65000:1:2"),
	    NULL, cmd, err), LG_ERR_UNSUPPORTED);
	assert_non_null(strstr(err, "large community"));
	/* The target decides the family. */
	assert_int_equal(render_families(&td, Q_PING, AFI_ANY,
	    target("198.18.1.1"), fam), 1);
	assert_int_equal(fam[0], AFI_IPV4);
	assert_int_equal(render_families(&td, Q_PING, AFI_ANY,
	    target("2001:2::1"), fam), 0);
	assert_int_equal(render_families(&td, Q_PING, AFI_IPV6,
	    target("198.18.1.1"), fam), -1);
	assert_int_equal(render(Q_PING, AFI_IPV6, target("198.18.1.1"), NULL,
	    cmd, err), LG_ERR_BAD_QUERY);
	assert_int_equal(render_families(&td, Q_PING, AFI_ANY,
	    target("lab.example"), fam), -1);
	assert_int_equal(render(Q_TRACEROUTE, AFI_IPV4, target("198.18.1.1"),
	    NULL, cmd, err), LG_ERR_UNSUPPORTED);
	assert_non_null(strstr(err, "test"));
}

static void
check_aspath(enum lg_aspath_style style, const char *re, enum lg_err want,
    const char *out)
{
	struct lg_target	 t = { .kind = TGT_ASPATH };
	char			 cmd[LG_COMMAND_MAX], err[LG_ERRSTR_MAX];
	enum lg_err		 rc;

	td.aspath_style = style;
	lg_strlcpy(t.canon, re, sizeof(t.canon));
	rc = render(Q_BGP_ASPATH, AFI_ANY, &t, NULL, cmd, err);
	if (rc != want)
		fail_msg("%s: got %s (%s)", re, lg_err_name(rc),
		    rc == LG_OK ? cmd : err);
	assert_string_equal(rc == LG_OK ? cmd : err, out);
}

static void
test_aspath(void **state)
{
	(void)state;
	table_reset();
	check_aspath(ASPATH_CISCO, "_65000_", LG_OK, "show aspath \"_65000_\"");
	check_aspath(ASPATH_JUNOS, "_65000_", LG_OK,
	    "show aspath \".* 65000 .*\"");
	check_aspath(ASPATH_JUNOS, "^65000_65001$", LG_OK,
	    "show aspath \"65000 65001\"");
	check_aspath(ASPATH_JUNOS, "_65000_[0-9]+$", LG_OK,
	    "show aspath \".* 65000 .\"");
	check_aspath(ASPATH_JUNOS, "^$", LG_OK, "show aspath \"()\"");
	check_aspath(ASPATH_BIRD, "_65000_", LG_OK,
	    "show aspath \"[= * 65000 * =]\"");
	check_aspath(ASPATH_BIRD, "^65000_", LG_OK,
	    "show aspath \"[= 65000 * =]\"");
	check_aspath(ASPATH_BIRD, "_65000$", LG_OK,
	    "show aspath \"[= * 65000 =]\"");
	check_aspath(ASPATH_BIRD, "^65000_[0-9]+_4200000000$", LG_OK,
	    "show aspath \"[= 65000 0..4294967295 4200000000 =]\"");
	check_aspath(ASPATH_BIRD, "^$", LG_OK, "show aspath \"[= =]\"");
	check_aspath(ASPATH_BIRD, "^6500[0-9]_", LG_ERR_UNSUPPORTED,
	    "target: '^6500[0-9]_' cannot be translated to a BIRD AS-path "
	    "expression (stopped at offset 5): use AS numbers or [0-9]+ "
	    "separated by _, with ^ or _ first and $ or _ last, or ^$");
	check_aspath(ASPATH_BIRD, "65000", LG_ERR_UNSUPPORTED,
	    "target: '65000' cannot be translated to a BIRD AS-path "
	    "expression (stopped at offset 0): use AS numbers or [0-9]+ "
	    "separated by _, with ^ or _ first and $ or _ last, or ^$");
	check_aspath(ASPATH_JUNOS, "_4294967296_", LG_ERR_UNSUPPORTED,
	    "target: '_4294967296_' cannot be translated to a Junos AS-path "
	    "expression (stopped at offset 1): use AS numbers or [0-9]+ "
	    "separated by _, with ^ or _ first and $ or _ last, or ^$");
	check_aspath(ASPATH_JUNOS, "_(65000|65001)_", LG_ERR_UNSUPPORTED,
	    "target: '_(65000|65001)_' cannot be translated to a Junos "
	    "AS-path expression (stopped at offset 1): use AS numbers or "
	    "[0-9]+ separated by _, with ^ or _ first and $ or _ last, or ^$");
	/* '?' opens the CLI's help; '|' is a pipe unless quoted. */
	check_aspath(ASPATH_CISCO, "_65000_?", LG_ERR_UNSUPPORTED,
	    "target: '?' cannot be sent: the router CLI reads it as a request "
	    "for help");
	check_aspath(ASPATH_CISCO, "_(65000|65001)_", LG_ERR_UNSUPPORTED,
	    "target: '|' cannot be sent to test: its CLI reads it as an "
	    "output pipe");
	td.aspath_alternation = 1;
	check_aspath(ASPATH_CISCO, "_(65000|65001)_", LG_OK,
	    "show aspath \"_(65000|65001)_\"");
}

/* Values that could only come from a bug upstream are still refused. */
static void
test_defence(void **state)
{
	struct lg_target	 t = { .kind = TGT_ASPATH };
	struct lg_render_ctx	 ctx = { "198.18.0.1", NULL, NULL };
	char			 cmd[LG_COMMAND_MAX], err[LG_ERRSTR_MAX];

	(void)state;
	table_reset();
	lg_strlcpy(t.canon, "_65000_;reload", sizeof(t.canon));
	assert_int_equal(render(Q_BGP_ASPATH, AFI_ANY, &t, NULL, cmd, err),
	    LG_ERR_BAD_QUERY);
	lg_strlcpy(t.canon, "_65000_\n", sizeof(t.canon));
	assert_int_equal(render(Q_BGP_ASPATH, AFI_ANY, &t, NULL, cmd, err),
	    LG_ERR_BAD_QUERY);
	lg_strlcpy(t.canon, "", sizeof(t.canon));
	assert_int_equal(render(Q_BGP_ASPATH, AFI_ANY, &t, NULL, cmd, err),
	    LG_ERR_BAD_QUERY);
	ctx.source4 = "198.18.0.1; reload";
	assert_int_equal(render(Q_PING, AFI_IPV4, target("198.18.1.1"), &ctx,
	    cmd, err), LG_ERR_BAD_QUERY);
	assert_string_equal(cmd, "");
	t = *target("65000:100");
	t.comm[0] = 70000;
	assert_int_equal(render(Q_BGP_COMMUNITY, AFI_ANY, &t, NULL, cmd, err),
	    LG_ERR_BAD_QUERY);
	t = *target("198.18.0.0/15");
	t.prefixlen = 33;
	assert_int_equal(render(Q_ROUTE, AFI_IPV4, &t, NULL, cmd, err),
	    LG_ERR_BAD_QUERY);
	/* The command as a whole passes the final check too. */
	td.queries[Q_BGP_SUMMARY].tmpl[AFI_IPV4] = t_sum4;
	td.aspath_alternation = 0;
	t = *target("-");
	assert_int_equal(render(Q_BGP_SUMMARY, AFI_IPV4, &t, NULL, cmd, err),
	    LG_OK);
}

static void
test_vrf(void **state)
{
	static char		 t_vrf[] = "show route vrf {vrf} {prefix}";
	struct lg_render_ctx	 ctx = { NULL, NULL, "CUST-A" };
	char			 cmd[LG_COMMAND_MAX], err[LG_ERRSTR_MAX];

	(void)state;
	table_reset();
	td.queries[Q_ROUTE].tmpl[AFI_IPV4] = t_vrf;
	assert_int_equal(render(Q_ROUTE, AFI_IPV4, target("198.18.0.0/15"),
	    &ctx, cmd, err), LG_OK);
	assert_string_equal(cmd, "show route vrf CUST-A 198.18.0.0/15");
	ctx.vrf = "A B";
	assert_int_equal(render(Q_ROUTE, AFI_IPV4, target("198.18.0.0/15"),
	    &ctx, cmd, err), LG_ERR_BAD_QUERY);
	ctx.vrf = "";
	assert_int_equal(render(Q_ROUTE, AFI_IPV4, target("198.18.0.0/15"),
	    &ctx, cmd, err), LG_ERR_BAD_QUERY);
	assert_non_null(strstr(err, "{vrf}"));
}

static void
test_bounds(void **state)
{
	struct lg_target	 t = { .kind = TGT_ASPATH };
	char			 cmd[LG_COMMAND_MAX], err[LG_ERRSTR_MAX];

	(void)state;
	table_reset();
	/* The output buffer is never overrun, and stays empty on error. */
	assert_int_equal(render_command(&td, Q_ROUTE, AFI_IPV4,
	    target("198.18.0.0/15"), NULL, cmd, 12, err, sizeof(err)),
	    LG_ERR_BAD_QUERY);
	assert_string_equal(cmd, "");
	assert_non_null(strstr(err, "longer than 11 bytes"));
	/* Nor LG_COMMAND_MAX, whatever the caller's buffer. */
	memset(t_long, 'x', sizeof(t_long) - 1);
	memcpy(t_long, "{aspath} ", 9);
	td.queries[Q_BGP_ASPATH].tmpl[AFI_ANY] = t_long;
	lg_strlcpy(t.canon, "_65000_65001_65002_", sizeof(t.canon));
	assert_int_equal(render(Q_BGP_ASPATH, AFI_ANY, &t, NULL, cmd, err),
	    LG_ERR_BAD_QUERY);
	lg_strlcpy(t.canon, "_1_", sizeof(t.canon));
	assert_int_equal(render(Q_BGP_ASPATH, AFI_ANY, &t, NULL, cmd, err),
	    LG_OK);
	assert_int_equal(strlen(cmd), sizeof(t_long) - 1 - strlen("{aspath}") +
	    strlen("_1_"));
}

static void
test_template_check(void **state)
{
	char		 err[LG_ERRSTR_MAX];

	(void)state;
	assert_int_equal(render_template_check(Q_BGP_ROUTE, AFI_IPV4,
	    "show bgp ipv4 unicast {target}", err, sizeof(err)), 0);
	assert_int_equal(render_template_check(Q_BGP_SUMMARY, AFI_ANY,
	    "show bgp vrf {vrf} summary", err, sizeof(err)), 0);
	assert_int_equal(render_template_check(Q_PING, AFI_ANY,
	    "ping {address} count {count}", err, sizeof(err)), 0);
	assert_int_equal(render_template_check(Q_TRACEROUTE, AFI_IPV4,
	    "traceroute {address} count {count}", err, sizeof(err)), -1);
	assert_string_equal(err, "{count} has no value in a traceroute query");
	assert_int_equal(render_template_check(Q_BGP_ROUTE, AFI_IPV4,
	    "show bgp {target}; reload", err, sizeof(err)), -1);
	assert_int_equal(render_template_check(Q_BGP_ROUTE, AFI_IPV4,
	    "show bgp {target}\n", err, sizeof(err)), -1);
	assert_int_equal(render_template_check(Q_BGP_ROUTE, AFI_IPV4,
	    "show bgp {target} ?", err, sizeof(err)), -1);
	assert_int_equal(render_template_check(Q_BGP_ROUTE, AFI_IPV4,
	    "show bgp {tar{get}", err, sizeof(err)), -1);
	assert_int_equal(render_template_check(Q_BGP_ROUTE, AFI_IPV4,
	    "show bgp summary", err, sizeof(err)), -1);
	assert_string_equal(err, "a bgp_route template must name {target}");
	assert_int_equal(render_template_check(Q_PING, AFI_IPV6,
	    "ping {address} source {source4}", err, sizeof(err)), -1);
	assert_int_equal(render_template_check(Q_BGP_ASPATH, AFI_ANY,
	    "show regexp \"{aspath}", err, sizeof(err)), -1);
	assert_string_equal(err, "unbalanced double quote");
	assert_int_equal(render_template_check(Q_BGP_ASPATH, AFI_ANY,
	    "show regexp \\{aspath}", err, sizeof(err)), -1);
	assert_int_equal(render_template_check(Q_COUNT, AFI_IPV6,
	    "ping {address}", err, sizeof(err)), -1);
}

/* Validation's canonical targets render like the hand-made ones. */
static void
test_validated(void **state)
{
	static struct lg_prefix	 only = { AFI_IPV4, { 0 }, 8 };
	struct lg_policy	 pol = { .forbidden = &only, .nforbidden = 1,
	    .min_prefix4 = 8, .min_prefix6 = 16, .queries = Q_MASK_ALL };
	struct lg_drivers	 ds;
	struct lg_diag		 diag;
	struct lg_target	 t;
	char			 dir[LG_PATH_MAX + 16], cmd[LG_COMMAND_MAX];
	char			 err[LG_ERRSTR_MAX];
	const struct lg_driver	*frr, *bird;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/drivers", top);
	diag_init(&diag);
	assert_int_equal(driver_load_dir(dir, &ds, &diag), 0);
	assert_non_null(frr = drivers_find(&ds, "frr"));
	assert_non_null(bird = drivers_find(&ds, "bird"));
	assert_int_equal(validate_query(&pol, Q_BGP_ROUTE, AFI_ANY,
	    "198.18.1.1", &t, err, sizeof(err)), LG_OK);
	assert_int_equal(render_command(frr, Q_BGP_ROUTE, AFI_IPV4, &t, NULL,
	    cmd, sizeof(cmd), err, sizeof(err)), LG_OK);
	assert_string_equal(cmd, "show bgp ipv4 unicast 198.18.1.1");
	assert_int_equal(validate_query(&pol, Q_BGP_COMMUNITY, AFI_ANY,
	    "no-export", &t, err, sizeof(err)), LG_OK);
	assert_int_equal(render_command(bird, Q_BGP_COMMUNITY, AFI_IPV6, &t,
	    NULL, cmd, sizeof(cmd), err, sizeof(err)), LG_OK);
	assert_string_equal(cmd, "show route table master6 where "
	    "bgp_community ~ [(65535,65281)] all");
	assert_int_equal(validate_query(&pol, Q_BGP_ASPATH, AFI_ANY,
	    "_65000_", &t, err, sizeof(err)), LG_OK);
	assert_int_equal(render_command(bird, Q_BGP_ASPATH, AFI_IPV4, &t,
	    NULL, cmd, sizeof(cmd), err, sizeof(err)), LG_OK);
	assert_string_equal(cmd, "show route table master4 where source = "
	    "RTS_BGP && bgp_path ~ [= * 65000 * =] all");
	drivers_free(&ds);
	diag_free(&diag);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_missing_value),
		cmocka_unit_test(test_choices),
		cmocka_unit_test(test_families),
		cmocka_unit_test(test_aspath),
		cmocka_unit_test(test_defence),
		cmocka_unit_test(test_vrf),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_template_check),
		cmocka_unit_test(test_validated),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
