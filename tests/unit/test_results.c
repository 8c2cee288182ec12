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
 * Unit tests for src/lib/results.c and results_sqlite.c: ids (shape,
 * randomness, the check of outside ids), the round trip, retention under
 * an injected clock, the size cap (oldest first, a document over the cap
 * refused), deletion, a second handle on the same file (lgctl beside
 * lgwebd), WAL mode, and a file that stays near the cap.
 */

#include <sys/stat.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <sqlite3.h>

#include "lg.h"
#include "lg_results.h"

struct fix {
	char		 dir[64];
	char		 path[128];
};

static int
setup(void **state)
{
	struct fix	*f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	lg_strlcpy(f->dir, "/tmp/results-test.XXXXXX", sizeof(f->dir));
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/results.db", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*f = *state;
	char		 p[160];
	static const char *const sfx[] = { "", "-wal", "-shm", NULL };
	size_t		 i;

	for (i = 0; sfx[i] != NULL; i++) {
		snprintf(p, sizeof(p), "%s%s", f->path, sfx[i]);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static struct results *
open_store(const struct fix *f, unsigned int retention, size_t max_bytes)
{
	struct results_conf	 rc = { f->path, retention, max_bytes };
	char			 err[LG_ERRSTR_MAX] = "";
	struct results		*r;

	r = results_open(&rc, err, sizeof(err));
	if (r == NULL)
		fail_msg("results_open: %s", err);
	return r;
}

static void
put(struct results *r, const char *id, int64_t now, const char *doc)
{
	char	 err[LG_ERRSTR_MAX] = "";

	if (results_put(r, id, now, doc, strlen(doc), err, sizeof(err)) != 0)
		fail_msg("results_put %s: %s", id, err);
}

/* 1 when id is there at now, with its document checked when want. */
static int
has(struct results *r, const char *id, int64_t now, const char *want)
{
	char	*doc = NULL;
	size_t	 len = 0;
	int64_t	 created = 0;
	int	 rv;

	rv = results_get(r, id, now, &doc, &len, &created);
	assert_int_not_equal(rv, -1);
	if (rv == 1 && want != NULL) {
		assert_int_equal(len, strlen(want));
		assert_string_equal(doc, want);
	}
	free(doc);
	return rv;
}

static void
test_ids(void **state)
{
	char	 id[RESULTS_ID_LEN + 1], prev[RESULTS_ID_LEN + 1] = "";
	int	 i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		assert_int_equal(results_new_id(id), 0);
		assert_int_equal(strlen(id), RESULTS_ID_LEN);
		assert_int_equal(results_id_ok(id, strlen(id)), 0);
		assert_string_not_equal(id, prev);
		memcpy(prev, id, sizeof(prev));
	}
	/* Outside ids: length and alphabet, nothing else. */
	assert_int_equal(results_id_ok("AAAAAAAAAAAAAAAAAAAAAAAA", 24), 0);
	assert_int_equal(results_id_ok("-_az09AZ-_az09AZ-_az09AZ", 24), 0);
	assert_int_equal(results_id_ok("AAAAAAAAAAAAAAAAAAAAAAA", 23), -1);
	assert_int_equal(results_id_ok("AAAAAAAAAAAAAAAAAAAAAAAAA", 25), -1);
	assert_int_equal(results_id_ok("AAAAAAAAAAAAAAAAAAAAAAA=", 24), -1);
	assert_int_equal(results_id_ok("AAAAAAAAAAA/AAAAAAAAAAAA", 24), -1);
	assert_int_equal(results_id_ok("AAAAAAAAAAA.AAAAAAAAAAAA", 24), -1);
	assert_int_equal(results_id_ok("AAAAAAAAAAA\0AAAAAAAAAAAA", 24), -1);
	assert_int_equal(results_id_ok("AAAAAAAAAAA%AAAAAAAAAAAA", 24), -1);
	assert_int_equal(results_id_ok("", 0), -1);
}

static void
test_round_trip(void **state)
{
	struct fix	*f = *state;
	struct results	*r = open_store(f, 3600, 1 << 20);
	const char	*doc = "{\"results\":[{\"output\":\"a\\u00e9\\n\"}]}";
	char		 id[RESULTS_ID_LEN + 1];
	size_t		 n, b;

	assert_int_equal(results_new_id(id), 0);
	put(r, id, 1000, doc);
	assert_int_equal(has(r, id, 1001, doc), 1);
	assert_int_equal(has(r, "AAAAAAAAAAAAAAAAAAAAAAAA", 1001, NULL), 0);
	assert_int_equal(has(r, "not an id", 1001, NULL), 0);
	assert_int_equal(results_usage(r, &n, &b), 0);
	assert_int_equal(n, 1);
	assert_int_equal(b, strlen(doc));
	/* It outlives the handle. */
	results_close(r);
	r = open_store(f, 3600, 1 << 20);
	assert_int_equal(has(r, id, 1002, doc), 1);
	results_close(r);
}

static void
test_retention(void **state)
{
	struct fix	*f = *state;
	struct results	*r = open_store(f, 60, 1 << 20);
	size_t		 n, b;

	put(r, "AAAAAAAAAAAAAAAAAAAAAAAA", 1000, "{\"a\":1}");
	put(r, "BBBBBBBBBBBBBBBBBBBBBBBB", 1030, "{\"b\":1}");
	assert_int_equal(has(r, "AAAAAAAAAAAAAAAAAAAAAAAA", 1059, NULL), 1);
	/* Past the retention a document is gone, expired or not. */
	assert_int_equal(has(r, "AAAAAAAAAAAAAAAAAAAAAAAA", 1060, NULL), 0);
	assert_int_equal(has(r, "BBBBBBBBBBBBBBBBBBBBBBBB", 1060, NULL), 1);
	assert_int_equal(results_expire(r, 1060), 1);
	assert_int_equal(results_usage(r, &n, &b), 0);
	assert_int_equal(n, 1);
	/* A put expires too. */
	put(r, "CCCCCCCCCCCCCCCCCCCCCCCC", 1100, "{\"c\":1}");
	assert_int_equal(results_usage(r, &n, &b), 0);
	assert_int_equal(n, 1);
	assert_int_equal(b, strlen("{\"c\":1}"));
	results_close(r);
}

static void
test_cap(void **state)
{
	struct fix	*f = *state;
	struct results	*r = open_store(f, 3600, 1000);
	char		 doc[301], big[1002], err[LG_ERRSTR_MAX] = "";
	size_t		 n, b;

	memset(doc, 'x', sizeof(doc) - 1);
	doc[sizeof(doc) - 1] = '\0';
	put(r, "AAAAAAAAAAAAAAAAAAAAAAAA", 1, doc);
	put(r, "BBBBBBBBBBBBBBBBBBBBBBBB", 2, doc);
	put(r, "CCCCCCCCCCCCCCCCCCCCCCCC", 3, doc);
	assert_int_equal(has(r, "AAAAAAAAAAAAAAAAAAAAAAAA", 4, NULL), 1);
	/* A fourth does not fit: the oldest goes. */
	put(r, "DDDDDDDDDDDDDDDDDDDDDDDD", 4, doc);
	assert_int_equal(has(r, "AAAAAAAAAAAAAAAAAAAAAAAA", 5, NULL), 0);
	assert_int_equal(has(r, "BBBBBBBBBBBBBBBBBBBBBBBB", 5, NULL), 1);
	assert_int_equal(has(r, "DDDDDDDDDDDDDDDDDDDDDDDD", 5, NULL), 1);
	assert_int_equal(results_usage(r, &n, &b), 0);
	assert_int_equal(n, 3);
	assert_true(b <= 1000);
	/* One larger than the cap is refused and evicts nothing. */
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(results_put(r, "EEEEEEEEEEEEEEEEEEEEEEEE", 6, big,
	    strlen(big), err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too large"));
	assert_int_equal(results_usage(r, &n, &b), 0);
	assert_int_equal(n, 3);
	/* Exactly the cap fits, alone. */
	big[1000] = '\0';
	put(r, "FFFFFFFFFFFFFFFFFFFFFFFF", 7, big);
	assert_int_equal(results_usage(r, &n, &b), 0);
	assert_int_equal(n, 1);
	assert_int_equal(b, 1000);
	results_close(r);
}

static void
test_delete(void **state)
{
	struct fix	*f = *state;
	struct results	*r = open_store(f, 3600, 1 << 20);
	struct results	*other = open_store(f, 3600, 1 << 20);
	size_t		 n, b;

	put(r, "AAAAAAAAAAAAAAAAAAAAAAAA", 10, "{\"a\":1}");
	put(r, "BBBBBBBBBBBBBBBBBBBBBBBB", 10, "{\"b\":1}");
	assert_int_equal(results_delete(r, "AAAAAAAAAAAAAAAAAAAAAAAA"), 1);
	assert_int_equal(results_delete(r, "AAAAAAAAAAAAAAAAAAAAAAAA"), 0);
	assert_int_equal(results_delete(r, "../../etc/passwd"), 0);
	assert_int_equal(has(r, "AAAAAAAAAAAAAAAAAAAAAAAA", 11, NULL), 0);
	/* A second handle, as lgctl beside lgwebd: both see the other. */
	assert_int_equal(results_delete(other, "BBBBBBBBBBBBBBBBBBBBBBBB"), 1);
	assert_int_equal(has(r, "BBBBBBBBBBBBBBBBBBBBBBBB", 11, NULL), 0);
	assert_int_equal(results_usage(r, &n, &b), 0);
	assert_int_equal(n, 0);
	assert_int_equal(b, 0);
	results_close(other);
	results_close(r);
}

static void
test_wal(void **state)
{
	struct fix	*f = *state;
	struct results	*r = open_store(f, 3600, 1 << 20);
	sqlite3		*db;
	sqlite3_stmt	*st;

	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1,
	    &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(db);
	results_close(r);
}

/* Many documents through a small cap: the file stays near the cap. */
static void
test_file_size(void **state)
{
	struct fix	*f = *state;
	size_t		 cap = 1 << 20, len = 100 * 1024;
	struct results	*r = open_store(f, 3600, cap);
	char		*doc = malloc(len + 1), id[RESULTS_ID_LEN + 1];
	struct stat	 st;
	int		 i;

	assert_non_null(doc);
	memset(doc, 'z', len);
	doc[len] = '\0';
	for (i = 0; i < 60; i++) {
		assert_int_equal(results_new_id(id), 0);
		put(r, id, 100 + i, doc);
	}
	results_close(r);
	free(doc);
	assert_int_equal(stat(f->path, &st), 0);
	assert_true((size_t)st.st_size <= 2 * cap);
}

static void
test_open_fails(void **state)
{
	struct results_conf	 rc = { "/nonexistent-dir/x/results.db", 60,
				    1000 };
	char			 err[LG_ERRSTR_MAX] = "";

	(void)state;
	assert_null(results_open(&rc, err, sizeof(err)));
	assert_true(err[0] != '\0');
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ids),
		cmocka_unit_test_setup_teardown(test_round_trip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_retention, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_size, setup,
		    teardown),
		cmocka_unit_test(test_open_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
