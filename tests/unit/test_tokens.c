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
 * Unit tests for src/lib/tokens.c (API tokens, issue 20): a token's
 * shape and its SHA-256, the file round trip (which never holds a token
 * itself), a malformed line named by file and line, revocation kept, the
 * last-use file lgwebd rewrites in place, and the user names accepted.
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
#include "lg_tokens.h"

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
	lg_strlcpy(f->dir, "/tmp/tokens-test.XXXXXX", sizeof(f->dir));
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/tokens", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*f = *state;
	char		 p[160];

	unlink(f->path);
	snprintf(p, sizeof(p), "%s.used", f->path);
	unlink(p);
	rmdir(f->dir);
	free(f);
	return 0;
}

static char *
slurp(const char *path)
{
	static char	 buf[8192];
	FILE		*fp = fopen(path, "r");
	size_t		 n;

	assert_non_null(fp);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static void
test_add_shape_and_hash(void **state)
{
	struct lg_tokens	 t = { 0 };
	char			 tok[LG_TOKEN_MAX], err[LG_ERRSTR_MAX], other[64];
	uint8_t			 h[LG_TOKEN_HASH_LEN];
	size_t			 i;

	(void)state;
	assert_int_equal(tokens_add(&t, "alice", 100, 0, tok, sizeof(tok),
	    err, sizeof(err)), 0);
	assert_int_equal(strlen(tok), 4 + 40);
	assert_memory_equal(tok, "lgt_", 4);
	for (i = 4; tok[i] != '\0'; i++)
		assert_non_null(strchr("0123456789abcdef", tok[i]));
	assert_int_equal(strlen(t.v[0].id), LG_TOKEN_ID_LEN);
	tokens_hash(tok, h);
	assert_memory_equal(t.v[0].hash, h, sizeof(h));
	assert_ptr_equal(tokens_find(&t, tok), &t.v[0]);
	lg_strlcpy(other, tok, sizeof(other));
	other[10] = other[10] == '0' ? '1' : '0';
	assert_null(tokens_find(&t, other));
	/* SHA-256 as everyone computes it ("abc", FIPS 180-2). */
	tokens_hash("abc", h);
	assert_int_equal(h[0], 0xba);
	assert_int_equal(h[31], 0xad);
	assert_int_equal(tokens_add(&t, "bad user", 100, 0, tok, sizeof(tok),
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "user:"));
	tokens_free(&t);
}

static void
test_file_roundtrip(void **state)
{
	struct fix		*f = *state;
	struct lg_tokens	 t = { 0 }, back;
	char			 tok[LG_TOKEN_MAX], err[LG_ERRSTR_MAX + 160];
	struct stat		 st;

	assert_int_equal(tokens_add(&t, "alice@example.net", 100, 200, tok,
	    sizeof(tok), err, sizeof(err)), 0);
	assert_int_equal(tokens_add(&t, "bob", 101, 0, tok, sizeof(tok), err,
	    sizeof(err)), 0);
	t.v[0].revoked = 150;
	assert_int_equal(tokens_save(f->path, &t, err, sizeof(err)), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_null(strstr(slurp(f->path), tok + 4));
	assert_int_equal(tokens_load(f->path, &back, err, sizeof(err)), 0);
	assert_int_equal(back.n, 2);
	assert_string_equal(back.v[0].user, "alice@example.net");
	assert_int_equal(back.v[0].expires, 200);
	assert_int_equal(back.v[0].revoked, 150);
	assert_string_equal(back.v[1].id, t.v[1].id);
	assert_ptr_equal(tokens_find(&back, tok), &back.v[1]);
	/* A mode set by the operator survives the next write. */
	assert_int_equal(chmod(f->path, 0600), 0);
	assert_int_equal(tokens_save(f->path, &back, err, sizeof(err)), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	tokens_free(&back);
	tokens_free(&t);
}

static void
test_bad_line(void **state)
{
	struct fix		*f = *state;
	struct lg_tokens	 t;
	char			 err[LG_ERRSTR_MAX + 160], want[200];
	FILE			*fp;

	fp = fopen(f->path, "w");
	assert_non_null(fp);
	fprintf(fp, "# comment\n\n0123456789ab alice "
	    "%064d 1 0 0\n0123456789ab alice zz 1 0 0\n", 0);
	fclose(fp);
	assert_int_equal(tokens_load(f->path, &t, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:4: not a token line", f->path);
	assert_non_null(strstr(err, want));
	assert_null(t.v);
	assert_int_equal(tokens_load("/nonexistent/tokens", &t, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/nonexistent/tokens"));
}

static void
test_used_file(void **state)
{
	struct fix		*f = *state;
	struct lg_tokens	 t = { 0 };
	char			 tok[LG_TOKEN_MAX], err[LG_ERRSTR_MAX + 160];
	char			 up[160];
	int			 fd;

	assert_int_equal(tokens_add(&t, "alice", 100, 0, tok, sizeof(tok),
	    err, sizeof(err)), 0);
	assert_int_equal(tokens_add(&t, "bob", 100, 0, tok, sizeof(tok),
	    err, sizeof(err)), 0);
	fd = tokens_used_open(f->path, err, sizeof(err));
	assert_true(fd >= 0);
	t.v[0].used = 123456789;
	t.v[1].used = 987654321;
	assert_int_equal(tokens_used_write(fd, &t, err, sizeof(err)), 0);
	/* Rewritten in place: a shorter table leaves no old tail. */
	t.v[1].used = 0;
	assert_int_equal(tokens_used_write(fd, &t, err, sizeof(err)), 0);
	close(fd);
	snprintf(up, sizeof(up), "%s.used", f->path);
	assert_false(strstr(slurp(up), "987654321") != NULL);
	t.v[0].used = 0;
	tokens_used_load(f->path, &t);
	assert_int_equal(t.v[0].used, 123456789);
	assert_int_equal(t.v[1].used, 0);
	tokens_free(&t);
}

static void
test_user_names(void **state)
{
	static const char *const good[] = { "alice", "alice@example.net",
	    "a.b_c+d-e", "X" };
	static const char *const bad[] = { "", "-alice", "al ice",
	    "al\"ice", "al\nice", "al:ice", "caf\xc3\xa9",
	    "0123456789012345678901234567890123456789012345678901234567890123" };
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(validate_user_name(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(validate_user_name(bad[i]));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_shape_and_hash),
		cmocka_unit_test_setup_teardown(test_file_roundtrip, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_line, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_used_file, setup,
		    teardown),
		cmocka_unit_test(test_user_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
