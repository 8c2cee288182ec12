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
 * Hostile targets in the broker's audit trail (src/lgbrokerd/audit.c), the
 * regression side of tests/security/test_hostile.sh: a refused query is
 * recorded with what was received, so a target with spaces, line
 * separators, invalid UTF-8 or control bytes must still give exactly one
 * JSON record, with every such byte written as '?', and nothing that could
 * pass for another field.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "lg.h"
#include "lgbrokerd/broker.h"

static char	 path[64];

static int
setup(void **state)
{
	int	 fd;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/lg-test-audit.XXXXXX");
	if ((fd = mkstemp(path)) == -1)
		return -1;
	close(fd);
	return audit_open(path);
}

static int
teardown(void **state)
{
	(void)state;
	audit_close();
	unlink(path);
	return 0;
}

/* The only record of the file, decoded; fails unless there is one. */
static json_t *
only_record(void)
{
	json_error_t	 jerr;
	json_t		*o;
	FILE		*fp;
	char		 line[4096];

	audit_close();
	assert_non_null(fp = fopen(path, "r"));
	assert_non_null(fgets(line, sizeof(line), fp));
	assert_null(fgets(line + strlen(line), 2, fp));
	fclose(fp);
	o = json_loads(line, 0, &jerr);
	assert_non_null(o);
	return o;
}

static void
check_target(const char *sent, const char *recorded)
{
	json_t	*o;

	audit_query("198.18.0.9", "", "ios1", Q_PING, sent, LG_ERR_BAD_QUERY, 0,
	    0);
	o = only_record();
	assert_string_equal(json_string_value(json_object_get(o, "target")),
	    recorded);
	assert_string_equal(json_string_value(json_object_get(o, "status")),
	    "bad_query");
	json_decref(o);
}

static void
test_spaces_cannot_add_fields(void **state)
{
	(void)state;
	check_target("1.1.1.1 status=ok runtime_ms=1",
	    "1.1.1.1?status=ok?runtime_ms=1");
}

static void
test_invalid_utf8_is_recorded(void **state)
{
	(void)state;
	/* jansson refuses these bytes: the record used to be lost. */
	check_target("1.1.1.1\xff\xfe;show", "1.1.1.1??;show");
}

static void
test_overlong_utf8_is_recorded(void **state)
{
	(void)state;
	check_target("\xc0\xaf\xc0\xae", "????");
}

static void
test_separators_and_controls(void **state)
{
	(void)state;
	check_target("1.1.1.1\xe2\x80\xa8show\x1b[2J\x7f",
	    "1.1.1.1???show?[2J?");
}

/* Issue 20: every staff query names its user and audience. */
static void
test_staff_user_recorded(void **state)
{
	json_t	*o;

	(void)state;
	audit_query("198.18.0.9", "alice@example.net", "core1",
	    Q_BGP_NEIGHBORS, "192.0.2.1", LG_OK, 3, 10);
	o = only_record();
	assert_string_equal(json_string_value(json_object_get(o, "audience")),
	    "staff");
	assert_string_equal(json_string_value(json_object_get(o, "user")),
	    "alice@example.net");
	json_decref(o);
}

static void
test_public_has_no_user(void **state)
{
	json_t	*o;

	(void)state;
	audit_query("198.18.0.9", "", "ios1", Q_BGP_ROUTE, "1.0.4.0/24",
	    LG_OK, 3, 10);
	o = only_record();
	assert_string_equal(json_string_value(json_object_get(o, "audience")),
	    "public");
	assert_null(json_object_get(o, "user"));
	json_decref(o);
}

static void
test_client_and_router_cleaned(void **state)
{
	json_t	*o;

	(void)state;
	audit_query("lgctl x=1", "", "ios1 \xff", Q_BGP_ROUTE, "1.0.4.0/24",
	    LG_OK, 3, 10);
	o = only_record();
	assert_string_equal(json_string_value(json_object_get(o, "client")),
	    "lgctl?x=1");
	assert_string_equal(json_string_value(json_object_get(o, "router")),
	    "ios1??");
	assert_string_equal(json_string_value(json_object_get(o, "target")),
	    "1.0.4.0/24");
	json_decref(o);
}

static void
test_canonical_target_unchanged(void **state)
{
	(void)state;
	check_target("2a00:1450::/32", "2a00:1450::/32");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spaces_cannot_add_fields,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8_is_recorded,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlong_utf8_is_recorded,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_separators_and_controls,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_staff_user_recorded,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_public_has_no_user,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_and_router_cleaned,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_canonical_target_unchanged,
		    setup, teardown),
	};

	log_init(1, 0, "test_audit");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
