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
 * validate_aspath.c: the allow-list grammar and the rules against
 * regexes that blow up vendor engines or dump the table (see the comment
 * at the top of validate_aspath.c), one table row per construct.
 */

#include "validate_table.h"

#define A_OK(in, canon)		OK(BGP_ASPATH, ANY, in, canon)
#define A_BAD(in, msg)		BAD(BGP_ASPATH, ANY, in, msg)

static const struct vcase aspath_cases[] = {
	/* Everyday expressions. */
	A_OK("_65000_", "_65000_"),
	A_OK("^65000_", "^65000_"),
	A_OK("_65000$", "_65000$"),
	A_OK("^65000$", "^65000$"),
	A_OK("65000", "65000"),
	A_OK("^65000_65001$", "^65000_65001$"),
	A_OK("^65000_.*_65001$", "^65000_.*_65001$"),
	A_OK("^65000_.*", "^65000_.*"),
	A_OK(".*_65001$", ".*_65001$"),
	A_OK(".*65001.*", ".*65001.*"),
	A_OK("_65000_.*_65001_.*_65002_", "_65000_.*_65001_.*_65002_"),
	A_OK("^65000(_65000)*$", "^65000(_65000)*$"),
	A_OK("^(65000_)+65001$", "^(65000_)+65001$"),
	A_OK("^65000_[0-9]+$", "^65000_[0-9]+$"),
	A_OK("^65000_[0-9]+_[0-9]+$", "^65000_[0-9]+_[0-9]+$"),
	A_OK("_6500[0-9]_", "_6500[0-9]_"),
	A_OK("_6450[0-9]_", "_6450[0-9]_"),
	A_OK("_645[1-3][0-9]_", "_645[1-3][0-9]_"),
	A_OK("_[1-9]1_", "_[1-9]1_"),
	A_OK("_[13579]0_", "_[13579]0_"),
	A_OK("65000|65001", "65000|65001"),
	A_OK("_65000_|_65001_", "_65000_|_65001_"),
	A_OK("^(65000|65001)_", "^(65000|65001)_"),
	A_OK("^(65000|65001|65002)$", "^(65000|65001|65002)$"),
	A_OK("(65000)", "(65000)"),
	A_OK("((65000))", "((65000))"),
	A_OK("^65000(_.*|$)", "^65000(_.*|$)"),
	A_OK("_65000_?", "_65000_?"),
	A_OK("^65000_?65001", "^65000_?65001"),
	A_OK("^65000(_65001)?$", "^65000(_65001)?$"),
	A_OK("^(_65001|_65002)?65000", "^(_65001|_65002)?65000"),
	A_OK("1", "1"),
	A_OK("0", "0"),
	A_OK("^4200000000$", "^4200000000$"),
	A_OK("_174_", "_174_"),
	A_OK("^$", "^$"),
	A_OK("65000+", "65000+"),
	A_OK("_65000.65001_", "_65000.65001_"),
	A_OK("^65000 65001$", "^65000 65001$"),
	A_OK("65000 .* 65001", "65000 .* 65001"),
	A_OK("^.+_65000$", "^.+_65000$"),
	A_OK("_65000_.+", "_65000_.+"),
	A_OK("^[0-9]+_65000$", "^[0-9]+_65000$"),
	A_OK("^65000_(65001_)?65002$", "^65000_(65001_)?65002$"),
	/* Spaces: stripped at the ends, runs collapsed. */
	A_OK(" _65000_", "_65000_"),
	A_OK("_65000_ ", "_65000_"),
	A_OK("   ^65000   65001$   ", "^65000 65001$"),
	A_OK("65000  65001", "65000 65001"),
	A_OK("  65000  |  65001  ", "65000 | 65001"),
	A_BAD("   ", "target: AS-path regex: empty"),
	A_BAD(" ", "empty"),
	/* Outside the alphabet. */
	A_BAD("[a-z]", "target: 'a' is not allowed in an AS-path regex"),
	A_BAD("\\d+", "a backslash is not allowed in an AS-path regex"),
	A_BAD("_65000_\\b", "a backslash is not allowed"),
	A_BAD("65000{2}", "'{' is not allowed"),
	A_BAD("65000{1,3}", "'{' is not allowed"),
	A_BAD("(65000){2,}", "'{' is not allowed"),
	A_BAD("_65000_,", "',' is not allowed"),
	A_BAD("AS65000", "'A' is not allowed"),
	A_BAD("_65000_ i", "'i' is not allowed"),
	A_BAD("65000:100", "':' is not allowed"),
	A_BAD("65000/24", "'/' is not allowed"),
	A_BAD("#65000", "'#' is not allowed"),
	A_BAD("65000!", "'!' is not allowed"),
	A_BAD("(?:65000)", "':' is not allowed"),
	A_BAD("(?=65000)", "'=' is not allowed"),
	A_BAD("(?<x>1)", "'<' is not allowed"),
	A_BAD("[[:digit:]]", "':' is not allowed"),
	A_BAD("65000\t65001", "contains a tab"),
	A_BAD("_\xd9\xa1_", "non-ASCII byte (0xd9)"),
	A_BAD("\xef\xbc\x96\xef\xbc\x95", "non-ASCII"),
	/* Grammar. */
	A_BAD("(65000", "target: AS-path regex: unbalanced '('"),
	A_BAD("((65000)", "unbalanced '('"),
	A_BAD("65000)", "unbalanced ')'"),
	A_BAD("(65000))", "unbalanced ')'"),
	A_BAD(")65000(", "unbalanced ')'"),
	A_BAD("[65000", "unbalanced '['"),
	A_BAD("65000]", "unbalanced ']'"),
	A_BAD("[1-", "incomplete range"),
	A_BAD("[]", "empty bracket '[]'"),
	A_BAD("6[]5", "empty bracket"),
	A_BAD("[^1]", "negated brackets"),
	A_BAD("[9-1]", "descending range in brackets"),
	A_BAD("[1-]", "incomplete range"),
	A_BAD("[-1]", "brackets may hold only digits"),
	A_BAD("[1-2-3]", "brackets may hold only digits"),
	A_BAD("[.]", "brackets may hold only digits"),
	A_BAD("[_]", "brackets may hold only digits"),
	A_BAD("[1 2]", "brackets may hold only digits"),
	A_BAD("[(1)]", "brackets may hold only digits"),
	A_BAD("[[1]]", "brackets may hold only digits"),
	A_BAD("()", "empty group '()'"),
	A_BAD("1()", "empty group"),
	A_BAD("(|1)", "empty alternative around '|'"),
	A_BAD("(1|)", "empty alternative"),
	A_BAD("1||2", "empty alternative"),
	A_BAD("|1", "empty alternative"),
	A_BAD("1|", "empty alternative"),
	A_BAD("|", "empty alternative"),
	A_OK("((((1))))", "((((1))))"),
	A_BAD("(((((1)))))", "groups nested too deep"),
	A_BAD("((((((((((((((((((((1))))))))))))))))))))", "nested too deep"),
	A_BAD("1-2", "'-' is only allowed in a bracket range"),
	A_BAD("_65000_-", "'-' is only allowed"),
	A_BAD("*1", "a quantifier ('*', '+', '?') with nothing before it"),
	A_BAD("+1", "nothing before it to repeat"),
	A_BAD("?1", "nothing before it"),
	A_BAD("(*1)", "nothing before it"),
	A_BAD("1|*2", "nothing before it"),
	A_BAD("^*1", "an anchor ('^', '$') cannot be repeated"),
	A_BAD("1$+", "cannot be repeated"),
	A_BAD("1$?", "cannot be repeated"),
	A_BAD("1**", "consecutive quantifiers"),
	A_BAD("1+*", "consecutive quantifiers"),
	A_BAD("1*?", "consecutive quantifiers"),
	A_BAD("1*+", "consecutive quantifiers"),
	A_BAD("1??", "consecutive quantifiers"),
	A_BAD("_.**65000", "consecutive quantifiers"),
	/* Rule 1: nested quantifiers. */
	A_BAD("(.*)*", "nested quantifier"),
	A_BAD("(.*)+", "nested quantifier"),
	A_BAD("(_1+)+", "nested quantifier"),
	A_BAD("(_[0-9]+)+", "nested quantifier"),
	A_BAD("(1*)*", "nested quantifier"),
	A_BAD("^(65000_?)+$", "nested quantifier"),
	A_BAD("(1?)?", "nested quantifier"),
	A_BAD("((1)+)+", "nested quantifier"),
	A_BAD("(65000(_1)*)?", "nested quantifier"),
	A_BAD("^(1+)?2", "nested quantifier"),
	/* Rule 2: what a repeated group may hold. */
	A_BAD("(1|11)+", "a group repeated with '*' or '+' may hold only"),
	A_BAD("(65000|65001)*", "may hold only digits"),
	A_BAD("(_.)*1", "may hold only digits"),
	A_BAD("(_65000.)+", "may hold only"),
	A_BAD("(^65000)*", "may hold only"),
	A_BAD("(65000$)+", "may hold only"),
	/* Rule 3: wildcards. */
	A_BAD(".*", "every match must contain an AS number"),
	A_BAD(".+", "every match must contain an AS number"),
	A_BAD("^.*$", "every match must contain"),
	A_BAD("_.*_", "every match must contain"),
	A_BAD("_.*_.*", "chained wildcards"),
	A_BAD("_.*_.*_.*_", "chained wildcards"),
	A_BAD(".*.*1", "chained wildcards"),
	A_BAD("1.*_.+", "chained wildcards"),
	A_BAD("^1_.*_.*_2$", "chained wildcards"),
	A_BAD("_.+_.+_1", "chained wildcards"),
	A_BAD("1.*2.*3.*4", "more than 2 '.*' or '.+' wildcards"),
	A_BAD("_1_.*_2_.+_3_.*", "more than 2"),
	A_OK("1.*|.*2", "1.*|.*2"),
	/* Rule 4: quantifier budget. */
	A_BAD("1*1*1*1*2", "more than 3 '*' or '+'"),
	A_BAD("1+1+1+1+", "more than 3 '*' or '+'"),
	A_BAD("_1+_2+_3+_4+_", "more than 3"),
	A_OK("_1+_2+_3+_", "_1+_2+_3+_"),
	A_BAD("1?1?1?1?1?11111", "more than 4 '?'"),
	A_OK("1?1?1?1?1111", "1?1?1?1?1111"),
	/* Rule 5: every match names an AS. */
	A_BAD("_", "every match must contain an AS number"),
	A_BAD("^", "every match must contain"),
	A_BAD("$", "every match must contain"),
	A_BAD("^ $", "every match must contain"),
	A_BAD("^_$", "every match must contain"),
	A_BAD(".", "every match must contain"),
	A_BAD("[0-9]", "every match must contain"),
	A_BAD("[0-9]+", "every match must contain"),
	A_BAD("_[0-9]+_", "every match must contain"),
	A_BAD("^[0-9]+$", "every match must contain"),
	A_BAD("(1)*", "every match must contain"),
	A_BAD("1*", "every match must contain"),
	A_BAD("1?", "every match must contain"),
	A_BAD("_65000_?|_", "every match must contain"),
	A_BAD("1|.*", "every match must contain"),
	A_BAD("65000|_", "every match must contain"),
	A_BAD("(1|_)", "every match must contain"),
	A_BAD("^(65000)?$", "every match must contain"),
	A_BAD("^$|1", "every match must contain"),
	A_BAD("$^", "every match must contain"),
	/* Length. */
	A_OK("_1_2_3_4_5_6_7_8_9_10_11_12_13_14_15_16_17_18_19_20_21_22_23_222", "_1_2_3_4_5_6_7_8_9_10_11_12_13_14_15_16_17_18_19_20_21_22_23_222"),
	A_BAD("_1_2_3_4_5_6_7_8_9_10_11_12_13_14_15_16_17_18_19_20_21_22_23_2225", "target: AS-path regex: longer than 64 characters"),
	A_BAD("_65000_                                                          ", "longer than 64"),
};

static void
test_aspath(void **state)
{
	(void)state;
	vtable_run(aspath_cases, NCASES(aspath_cases));
}

/* Called alone, with the target fields a renderer reads. */
static void
test_aspath_direct(void **state)
{
	struct lg_target	 t;
	char			 err[LG_ERRSTR_MAX];

	(void)state;
	assert_int_equal(validate_aspath(" ^65000  65001 ", &t, err,
	    sizeof(err)), LG_OK);
	assert_int_equal(t.kind, TGT_ASPATH);
	assert_string_equal(t.canon, "^65000 65001");
	assert_int_equal(validate_aspath("", &t, err, sizeof(err)),
	    LG_ERR_BAD_QUERY);
	assert_string_equal(err, "target: AS-path regex: empty");
	assert_int_equal(validate_aspath("1\n", &t, err, sizeof(err)),
	    LG_ERR_BAD_QUERY);
	assert_string_equal(err, "target: a newline is not allowed in an "
	    "AS-path regex");
	vcases_run += 3;
}

static void
test_count(void **state)
{
	(void)state;
	print_message("# %zu AS-path cases\n", vcases_run);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_aspath),
		cmocka_unit_test(test_aspath_direct),
		cmocka_unit_test(test_count),
	};

	return cmocka_run_group_tests(tests, vgroup_setup, vgroup_teardown);
}
