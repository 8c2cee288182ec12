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
 * Unit tests of src/lgbrokerd/output.c: the terminal clean-up (escape
 * sequences, CR, backspace, NUL), echo removal, prompt and pager
 * detection at the tail only, error patterns, filters, the output cap,
 * long lines; and every file of the vendor output fixtures wrapped in a
 * prompt, an echo and CRLF line ends, fed in chunks of every size, which
 * must come out as the fixture's own text.
 */

#include <sys/types.h>

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lg.h"
#include "lgbrokerd/broker.h"

/* shared/ stands beside the checkout (CI and developers alike). */
#define FIXTURES_REL	"/../shared/fixtures/vendor-output"
#define FIXTURES_DEV	"/work/shared/fixtures/vendor-output"

static struct lg_driver	 drv;
static struct lg_filter	 gfilters[2];
static struct lg_regex	 errors[2];
static struct lg_filter	 dfilters[1];

static void
compile(struct lg_regex *re, const char *src)
{
	char	 err[128];

	assert_int_equal(regex_compile(re, src, err, sizeof(err)), 0);
}

static int
setup_driver(void **state)
{
	(void)state;
	memset(&drv, 0, sizeof(drv));
	compile(&drv.prompt, "^[A-Za-z0-9_./:@()-]+[#>]\\s*$");
	compile(&drv.pager, "(--More--|---\\(more( \\d+%)?\\)---)\\s*$");
	compile(&errors[0], "^% Invalid input");
	compile(&errors[1], "^% Unknown command");
	drv.errors = errors;
	drv.nerrors = 2;
	compile(&dfilters[0].match, "^Load for five secs");
	dfilters[0].action = FILTER_DROP;
	drv.filters = dfilters;
	drv.nfilters = 1;
	compile(&gfilters[0].match, "password [^ ]+");
	gfilters[0].action = FILTER_REPLACE;
	gfilters[0].replacement = xstrdup("password <removed>");
	compile(&gfilters[1].match, "^Secret line");
	gfilters[1].action = FILTER_DROP;
	return 0;
}

static int
teardown_driver(void **state)
{
	(void)state;
	regex_free(&drv.prompt);
	regex_free(&drv.pager);
	regex_free(&errors[0]);
	regex_free(&errors[1]);
	regex_free(&dfilters[0].match);
	regex_free(&gfilters[0].match);
	regex_free(&gfilters[1].match);
	free(gfilters[0].replacement);
	return 0;
}

/* Collects the lines a term completes, joined by '|'. */
static void
collect(void *arg, const char *line, size_t len)
{
	struct lg_buf	*b = arg;

	assert_int_equal(buf_append(b, line, len), 0);
	assert_int_equal(buf_append(b, "|", 1), 0);
}

static char *
term_run(const char *in, size_t len, size_t step, char *tail, size_t tsize)
{
	struct term	 t;
	struct lg_buf	 b;
	size_t		 off, n, tlen;
	const char	*tp;
	char		*res;

	term_init(&t);
	buf_init(&b, 1 << 20);
	buf_append(&b, "", 0);
	for (off = 0; off < len; off += n) {
		n = len - off < step ? len - off : step;
		assert_int_equal(term_feed(&t, in + off, n, collect, &b), 0);
	}
	tp = term_tail(&t, &tlen);
	snprintf(tail, tsize, "%.*s", (int)tlen, tp);
	res = strdup(b.data);
	buf_free(&b);
	term_free(&t);
	return res;
}

static void
check_term(const char *in, const char *lines, const char *tail)
{
	char	 got_tail[256], *got;
	size_t	 step;

	for (step = 1; step <= strlen(in) + 1; step++) {
		got = term_run(in, strlen(in), step, got_tail,
		    sizeof(got_tail));
		assert_string_equal(got, lines);
		assert_string_equal(got_tail, tail);
		free(got);
	}
}

static void
test_term_crlf(void **state)
{
	(void)state;
	check_term("a\r\nb\r\n\r\nc", "a|b||", "c");
	check_term("a\nb\r\r\n", "a|b|", "");
}

static void
test_term_cr_overwrite(void **state)
{
	(void)state;
	/* A lone CR: later text overwrites from column 0. */
	check_term("hello world\rHELLO\n", "HELLO world|", "");
	/* Junos erases its pager with CR, blanks, CR. */
	check_term("---(more)---\r            \rnext line\n", "next line|",
	    "");
}

static void
test_term_backspace(void **state)
{
	(void)state;
	check_term("abc\b\bXY\n", "aXY|", "");
	check_term("\b\bab\n", "ab|", "");
	/* IOS erases " --More-- " with backspaces, blanks, backspaces. */
	check_term(" --More-- \b\b\b\b\b\b\b\b\b\b          "
	    "\b\b\b\b\b\b\b\b\b\bNetwork\n", "Network|", "");
}

static void
test_term_escapes(void **state)
{
	(void)state;
	check_term("\x1b[1;31mred\x1b[0m text\n", "red text|", "");
	check_term("\x1b]0;title\x07prompt#", "", "prompt#");
	check_term("\x1b]2;title\x1b\\x\n", "x|", "");
	check_term("\x1b(Bplain\x1b)0\x1b=\x1b>\n", "plain|", "");
	check_term("\x1b[?2004hR1# \x1b[K", "", "R1# ");
	check_term("a\x01\x7f" "b\x07\n", "ab|", "");
	check_term("tab\there\n", "tab\there|", "");
	/* CSI K erases from the cursor; 2K the whole line. */
	check_term("bird> \r\x1b[KTable\n", "Table|", "");
	check_term("abcdef\b\b\b\x1b[0Kx\n", "abcx|", "");
	check_term("abcdef\x1b[2K\rxy\n", "xy|", "");
}

static enum out_event run_output(struct output *, const char *, const char *,
    const char *, size_t, size_t, struct lg_buf *);

/* birdc redraws its prompt while a command runs: a weak end only. */
static void
test_weak_prompt(void **state)
{
	struct output	 o;
	struct lg_buf	 got;
	const char	*a = "bird> show x\r\n\x1b[?2004l\r\x1b[?2004hbird> ";
	const char	*b = "\r\x1b[KTable master4:\r\n1.0.4.0/24\r\nbird> ";

	(void)state;
	output_init(&o, &drv, NULL, 0, 0);
	buf_init(&got, 1 << 20);
	buf_append(&got, "", 0);
	assert_int_equal(run_output(&o, "show x", "bird>", a, strlen(a), 4096,
	    &got), OUT_WEAK_PROMPT);
	assert_int_equal(output_feed(&o, b, strlen(b)), OUT_DONE);
	buf_append(&got, o.out.data, o.out.len);
	assert_string_equal(got.data, "Table master4:\n1.0.4.0/24\n");
	buf_free(&got);
	output_free(&o);
}

static void
test_term_nul(void **state)
{
	char	 tail[64], *got;

	(void)state;
	got = term_run("a\0b\0\r\0\nc", 9, 1, tail, sizeof(tail));
	assert_string_equal(got, "ab|");
	assert_string_equal(tail, "c");
	free(got);
}

static void
test_sanitize(void **state)
{
	char	 s[] = "a\x01\tb\x1b\nc\x7f";
	char	 c1[] = "x\xc2\x9b" "31my\xc2\xa0z\xc2";
	char	 join[] = "\xc2\xc2\x89\x89" "a\xc2\x01\x9b" "b";
	size_t	 n;

	(void)state;
	n = output_sanitize(s, strlen(s));
	assert_int_equal(n, 5);
	assert_memory_equal(s, "a\tb\nc", 5);
	/* U+009B (CSI) goes, U+00A0 (no-break space) stays. */
	n = output_sanitize(c1, strlen(c1));
	assert_int_equal(n, 9);
	assert_memory_equal(c1, "x31my\xc2\xa0z\xc2", 9);
	/* Removing one cannot leave another behind. */
	n = output_sanitize(join, strlen(join));
	assert_int_equal(n, 2);
	assert_memory_equal(join, "ab", 2);
}

/* Runs a whole command's bytes through output_feed in steps. */
static enum out_event
run_output(struct output *o, const char *cmd, const char *prompt,
    const char *in, size_t len, size_t step, struct lg_buf *got)
{
	enum out_event	 ev = OUT_MORE;
	size_t		 off, n;

	output_start(o, cmd, prompt);
	for (off = 0; off < len; off += n) {
		n = len - off < step ? len - off : step;
		ev = output_feed(o, in + off, n);
		if (o->out.len)
			assert_int_equal(buf_append(got, o->out.data,
			    o->out.len), 0);
		buf_reset(&o->out);
	}
	return ev;
}

static void
check_output(const char *cmd, const char *in, const char *expect,
    enum out_event want)
{
	struct output	 o;
	struct lg_buf	 got;
	size_t		 step;
	enum out_event	 ev;

	for (step = 1; step <= strlen(in); step++) {
		output_init(&o, &drv, gfilters, 2, 0);
		buf_init(&got, 1 << 24);
		buf_append(&got, "", 0);
		ev = run_output(&o, cmd, "R1#", in, strlen(in), step, &got);
		assert_string_equal(got.data, expect);
		assert_int_equal(ev, want);
		buf_free(&got);
		output_free(&o);
	}
}

static void
test_echo_and_prompt(void **state)
{
	(void)state;
	check_output("show ip bgp 1.0.0.0/24",
	    "R1#\r\nR1#show ip bgp 1.0.0.0/24\r\nline one\r\nline two\r\nR1#",
	    "line one\nline two\n", OUT_DONE);
	/* Nothing before the echo counts, prompt-like or not. */
	check_output("show x", "garbage\r\nR1#\r\nR1# show x\r\nok\r\nR1# ",
	    "ok\n", OUT_DONE);
	/* Not finished: a prompt-like line that is complete. */
	check_output("show x", "R1#show x\r\nR1#\r\nmore\r\n", "R1#\nmore\n",
	    OUT_MORE);
	/* A different prompt at the end. */
	check_output("show x", "R1#show x\r\nout\r\nR1(config)#", "out\n",
	    OUT_OTHER_PROMPT);
	/* Without the echo, a prompt is not the end, only a bare prompt. */
	check_output("show x", "R1#\r\nR1#", "", OUT_BARE_PROMPT);
}

static void
test_pager(void **state)
{
	struct output	 o;
	struct lg_buf	 got;
	const char	*a = "R1#show x\r\nl1\r\n --More-- ";
	const char	*b = "\b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\b"
	    "l2\r\nR1#";

	(void)state;
	output_init(&o, &drv, NULL, 0, 0);
	buf_init(&got, 1 << 20);
	buf_append(&got, "", 0);
	assert_int_equal(run_output(&o, "show x", "R1#", a, strlen(a), 1000,
	    &got), OUT_PAGER);
	assert_int_equal(output_feed(&o, b, strlen(b)), OUT_DONE);
	buf_append(&got, o.out.data, o.out.len);
	assert_string_equal(got.data, "l1\nl2\n");
	buf_free(&got);
	output_free(&o);
	check_output("show x", "R1#show x\r\nl1\r\n---(more 45%)---\r"
	    "                \rl2\r\nR1#", "l1\nl2\n", OUT_DONE);
}

static void
test_errors_and_filters(void **state)
{
	struct output	 o;
	struct lg_buf	 got;
	const char	*in = "R1#show x\r\nLoad for five secs: 1%\r\n"
	    "% Invalid input detected at '^' marker.\r\n"
	    "username lg password s3cret level 1\r\nSecret line\r\nR1#";

	(void)state;
	output_init(&o, &drv, gfilters, 2, 0);
	buf_init(&got, 1 << 20);
	buf_append(&got, "", 0);
	assert_int_equal(run_output(&o, "show x", "R1#", in, strlen(in), 7,
	    &got), OUT_DONE);
	assert_true(o.failed);
	assert_string_equal(got.data, "% Invalid input detected at '^' marker."
	    "\nusername lg password <removed> level 1\n");
	buf_free(&got);
	output_free(&o);
}

static void
test_cap(void **state)
{
	struct output	 o;
	struct lg_buf	 got;
	const char	*in = "R1#show x\r\n0123456789\r\n0123456789\r\n"
	    "0123456789\r\nR1#";

	(void)state;
	output_init(&o, &drv, NULL, 0, 25);
	buf_init(&got, 1 << 20);
	buf_append(&got, "", 0);
	run_output(&o, "show x", "R1#", in, strlen(in), 3, &got);
	assert_true(o.truncated);
	assert_string_equal(got.data, "0123456789\n0123456789\n");
	assert_int_equal(o.total, 22);
	buf_free(&got);
	output_free(&o);
}

static void
test_long_line(void **state)
{
	struct output	 o;
	struct lg_buf	 in, got;
	size_t		 i;

	(void)state;
	buf_init(&in, 1 << 20);
	buf_init(&got, 1 << 20);
	buf_append(&got, "", 0);
	buf_append(&in, "R1#show x\r\n", 11);
	for (i = 0; i < 40000; i++)
		buf_append(&in, "x", 1);
	buf_append(&in, "\r\nR1#", 5);
	output_init(&o, &drv, NULL, 0, 0);
	assert_int_equal(run_output(&o, "show x", "R1#", in.data, in.len,
	    4096, &got), OUT_DONE);
	assert_int_equal(got.len, 40000 + 3);	/* split in 3 lines */
	for (i = 0; i < got.len; i++)
		assert_true(got.data[i] == 'x' || got.data[i] == '\n');
	output_free(&o);
	buf_free(&in);
	buf_free(&got);
}

static void
collect_nl(void *arg, const char *line, size_t len)
{
	struct lg_buf	*b = arg;

	assert_int_equal(buf_append(b, line, len), 0);
	assert_int_equal(buf_append(b, "\n", 1), 0);
}

/* The fixture's text as a terminal shows it, one '\n' a line. */
static void
expected_text(const char *raw, size_t len, struct lg_buf *exp)
{
	struct term	 t;

	term_init(&t);
	term_feed(&t, raw, len, collect_nl, exp);
	if (t.line.len)
		term_feed(&t, "\n", 1, collect_nl, exp);
	term_free(&t);
}

static int
read_file(const char *path, struct lg_buf *b)
{
	FILE	*fp;
	char	 chunk[4096];
	size_t	 n;

	if ((fp = fopen(path, "r")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(b, chunk, n);
	fclose(fp);
	return 0;
}

/* Wraps a fixture as a session would see it and checks what comes out. */
static void
check_fixture(const char *path)
{
	struct lg_buf	 raw, in, exp, got;
	struct output	 o;
	size_t		 i, steps[] = { 1, 3, 64, 1460, 4096, 1 << 20 };
	const char	*prompt = "lab-rtr_1#";

	buf_init(&raw, 1 << 24);
	buf_init(&in, 1 << 25);
	buf_init(&exp, 1 << 24);
	buf_append(&exp, "", 0);
	assert_int_equal(read_file(path, &raw), 0);
	buf_append(&in, "lab-rtr_1#show fixture\r\n", 24);
	for (i = 0; i < raw.len; i++) {
		if (raw.data[i] == '\n' && (i == 0 || raw.data[i - 1] != '\r'))
			buf_append(&in, "\r", 1);
		buf_append(&in, &raw.data[i], 1);
	}
	if (raw.len && raw.data[raw.len - 1] != '\n')
		buf_append(&in, "\r\n", 2);
	buf_append(&in, prompt, strlen(prompt));
	expected_text(raw.data, raw.len, &exp);
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		buf_init(&got, 1 << 24);
		buf_append(&got, "", 0);
		output_init(&o, &drv, NULL, 0, 0);
		assert_int_equal(run_output(&o, "show fixture", prompt,
		    in.data, in.len, steps[i], &got), OUT_DONE);
		if (got.len != exp.len || memcmp(got.data, exp.data,
		    exp.len) != 0)
			fail_msg("%s: output differs at step %zu", path,
			    steps[i]);
		for (size_t k = 0; k < got.len; k++)
			assert_false((unsigned char)got.data[k] < 0x20 &&
			    got.data[k] != '\n' && got.data[k] != '\t');
		output_free(&o);
		buf_free(&got);
	}
	buf_free(&raw);
	buf_free(&in);
	buf_free(&exp);
}

static void
test_fixtures(void **state)
{
	DIR		*d, *sub;
	struct dirent	*de, *fe;
	char		 top[512], dir[1024], path[2048];
	int		 n = 0;

	(void)state;
	snprintf(top, sizeof(top), "%s%s", getenv("LG_TOP") != NULL ?
	    getenv("LG_TOP") : ".", FIXTURES_REL);
	if ((d = opendir(top)) == NULL) {
		lg_strlcpy(top, FIXTURES_DEV, sizeof(top));
		if ((d = opendir(top)) == NULL)
			skip();
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", top, de->d_name);
		if ((sub = opendir(dir)) == NULL)
			continue;
		while ((fe = readdir(sub)) != NULL) {
			if (strstr(fe->d_name, ".raw") == NULL)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, fe->d_name);
			check_fixture(path);
			n++;
		}
		closedir(sub);
	}
	closedir(d);
	assert_true(n >= 40);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_term_crlf),
		cmocka_unit_test(test_term_cr_overwrite),
		cmocka_unit_test(test_term_backspace),
		cmocka_unit_test(test_term_escapes),
		cmocka_unit_test(test_term_nul),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_echo_and_prompt),
		cmocka_unit_test(test_pager),
		cmocka_unit_test(test_weak_prompt),
		cmocka_unit_test(test_errors_and_filters),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_fixtures),
	};

	return cmocka_run_group_tests(tests, setup_driver, teardown_driver);
}
