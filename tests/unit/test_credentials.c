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
 * Unit tests of src/lib/credentials.c on real files in a private temporary
 * directory: mode 0600 accepted and 0640, 0644, 0620, 0604 refused with a
 * message naming the file and its mode; a directory refused; a symbolic
 * link judged by the file it reaches; required keys, unknown keys, line
 * breaks; relative key paths; and no secret value in any diagnostic.
 */

#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
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

static char	 dir[64];
static char	 path[LG_PATH_MAX];
static char	 top[LG_PATH_MAX / 2];

static int
setup(void **state)
{
	(void)state;
	lg_strlcpy(dir, "/tmp/lg-test-creds.XXXXXX", sizeof(dir));
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/credentials.conf", dir);
	return 0;
}

static int
teardown(void **state)
{
	char	 p[LG_PATH_MAX];

	(void)state;
	unlink(path);
	snprintf(p, sizeof(p), "%s/link.conf", dir);
	unlink(p);
	return rmdir(dir);
}

/* Writes text to path with exactly this mode (umask notwithstanding). */
static void
put(const char *text, mode_t mode)
{
	int		 fd;

	unlink(path);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600)) != -1);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static const char good[] =
    "credentials = {\n"
    "  core = { username = \"lg\"; password = \"Pa55-core-XYZ\"; };\n"
    "  edge = { username = \"lg2\"; key = \"keys/id_ed25519\";\n"
    "           key_passphrase = \"Phrase-XYZ\"; enable = \"En-XYZ\"; };\n"
    "  abs = { username = \"lg3\"; key = \"/etc/lg/id\";\n"
    "          password = \"both-XYZ\"; };\n"
    "};\n";

static void
test_ok(void **state)
{
	struct lg_credentials		 cr;
	struct lg_diag			 d;
	const struct lg_credential	*c;
	char				 want[LG_PATH_MAX * 2];
	char				 real[PATH_MAX];

	(void)state;
	put(good, 0600);
	diag_init(&d);
	if (credentials_load(path, &cr, &d) != 0)
		dump(&d);
	assert_int_equal(d.nmsgs, 0);
	assert_int_equal(cr.ncreds, 3);
	assert_non_null(c = credentials_find(&cr, "core"));
	assert_string_equal(c->username, "lg");
	assert_string_equal(c->password, "Pa55-core-XYZ");
	assert_null(c->key);
	assert_null(c->enable);
	assert_non_null(c = credentials_find(&cr, "edge"));
	assert_null(c->password);
	assert_non_null(realpath(dir, real));
	snprintf(want, sizeof(want), "%s/keys/id_ed25519", real);
	assert_string_equal(c->key, want);
	assert_string_equal(c->key_passphrase, "Phrase-XYZ");
	assert_string_equal(c->enable, "En-XYZ");
	assert_non_null(c = credentials_find(&cr, "abs"));
	assert_string_equal(c->key, "/etc/lg/id");
	assert_string_equal(c->password, "both-XYZ");
	assert_null(credentials_find(&cr, "nope"));
	credentials_free(&cr);
	assert_int_equal(cr.ncreds, 0);
	assert_null(cr.creds);
	diag_free(&d);

	/* 0400 is as private as 0600. */
	put(good, 0400);
	diag_init(&d);
	assert_int_equal(credentials_load(path, &cr, &d), 0);
	credentials_free(&cr);
	diag_free(&d);
}

static void
test_modes(void **state)
{
	static const struct {
		mode_t		 mode;
		const char	*msg;
	} modes[] = {
		{ 0640, "credentials.conf: mode 0640 is readable by group or "
		    "others; chmod 600 it" },
		{ 0644, "credentials.conf: mode 0644 is readable by group or "
		    "others; chmod 600 it" },
		{ 0604, "mode 0604 is readable by group or others" },
		{ 0620, "mode 0620 is writable by group or others" },
		{ 0602, "mode 0602 is writable by group or others" },
		{ 0610, "mode 0610 is usable by group or others" },
	};
	struct lg_credentials	 cr;
	struct lg_diag		 d;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		put(good, modes[i].mode);
		diag_init(&d);
		assert_int_equal(credentials_load(path, &cr, &d), -1);
		if (!has_msg(&d, modes[i].msg)) {
			dump(&d);
			fail_msg("mode %04o: no \"%s\"",
			    (unsigned)modes[i].mode, modes[i].msg);
		}
		assert_int_equal(d.nerrors, 1);
		assert_int_equal(cr.ncreds, 0);
		assert_null(cr.creds);
		diag_free(&d);
	}
}

/* A link is followed and the file it reaches is judged; a dir is not read. */
static void
test_not_plain(void **state)
{
	struct lg_credentials	 cr;
	struct lg_diag		 d;
	char			 link[LG_PATH_MAX];

	(void)state;
	snprintf(link, sizeof(link), "%s/link.conf", dir);
	put(good, 0600);
	assert_int_equal(symlink(path, link), 0);
	diag_init(&d);
	assert_int_equal(credentials_load(link, &cr, &d), 0);
	credentials_free(&cr);
	diag_free(&d);

	assert_int_equal(chmod(path, 0644), 0);
	diag_init(&d);
	assert_int_equal(credentials_load(link, &cr, &d), -1);
	assert_true(has_msg(&d, "link.conf: mode 0644 is readable"));
	diag_free(&d);

	diag_init(&d);
	assert_int_equal(credentials_load(dir, &cr, &d), -1);
	assert_true(has_msg(&d, "not a regular file"));
	diag_free(&d);

	unlink(path);
	diag_init(&d);
	assert_int_equal(credentials_load(path, &cr, &d), -1);
	assert_true(has_msg(&d, "credentials.conf: No such file or directory"));
	diag_free(&d);
}

/* Several mistakes in one file, each reported, no secret in any message. */
static void
test_broken(void **state)
{
	static const char text[] =
	    "credentials = {\n"
	    "  a = { password = \"Secret-A-XYZ\"; };\n"
	    "  b = { username = \"lg\"; };\n"
	    "  c = { username = \"lg\"; passwd = \"Secret-C-XYZ\"; };\n"
	    "  d = { username = \"lg\"; password = 1234; };\n"
	    "  e = { username = \"lg\"; password = \"Secret\\nE-XYZ\"; };\n"
	    "  f = \"Secret-F-XYZ\";\n"
	    "};\n"
	    "extra = 1;\n";
	static const char *const expect[] = {
	    ":2: credential \"a\": missing required key \"username\"",
	    ":3: credential \"b\": needs a password or a key",
	    ":4: unknown key \"passwd\" in credential \"c\" (did you mean "
	    "\"password\"?)",
	    ":4: credential \"c\": needs a password or a key",
	    ":5: credential \"d\": password: expected a string, got an integer",
	    ":6: credential \"e\": password: contains a line break",
	    ":7: credential \"f\": expected a group { username = ...; ... }, "
	    "got a string",
	    ":9: unknown key \"extra\"",
	    NULL
	};
	struct lg_credentials	 cr;
	struct lg_diag		 d;
	size_t			 i;

	(void)state;
	put(text, 0600);
	diag_init(&d);
	assert_int_equal(credentials_load(path, &cr, &d), -1);
	for (i = 0; expect[i] != NULL; i++)
		if (!has_msg(&d, expect[i])) {
			dump(&d);
			fail_msg("no diagnostic \"%s\"", expect[i]);
		}
	assert_int_equal(d.nerrors, 8);
	assert_non_null(strstr(d.msgs[0], ":2: "));	/* in file order */
	assert_non_null(strstr(d.msgs[7], ":9: "));
	for (i = 0; i < d.nmsgs; i++) {
		assert_null(strstr(d.msgs[i], "XYZ"));
		assert_null(strstr(d.msgs[i], "1234"));
	}
	assert_int_equal(cr.ncreds, 0);
	diag_free(&d);
}

/* Syntax errors next to a secret: libconfig's message must not carry it. */
static void
test_syntax_no_secret(void **state)
{
	static const char *const texts[] = {
	    "credentials = { a = { username = \"lg\"; password = "
	    "\"Secret-XYZ\" \"more\" = ; }; };\n",
	    "credentials = { a = { username = \"lg\"; password = Secret-XYZ; };"
	    " };\n",
	    "credentials = { a = { username = \"lg\"; password = \"Secret-XYZ;"
	    " }; };\n",
	    "credentials = { a = { username = \"lg\"; password = \"x\"; }; };\n"
	    "@include \"/etc/Secret-XYZ\"\n",
	};
	struct lg_credentials	 cr;
	struct lg_diag		 d;
	size_t			 i, j;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		put(texts[i], 0600);
		diag_init(&d);
		assert_int_equal(credentials_load(path, &cr, &d), -1);
		assert_true(d.nerrors >= 1);
		for (j = 0; j < d.nmsgs; j++)
			if (strstr(d.msgs[j], "XYZ") != NULL)
				fail_msg("secret in \"%s\"", d.msgs[j]);
		diag_free(&d);
	}
}

static void
test_missing_group(void **state)
{
	struct lg_credentials	 cr;
	struct lg_diag		 d;

	(void)state;
	put("# nothing here\n", 0600);
	diag_init(&d);
	assert_int_equal(credentials_load(path, &cr, &d), -1);
	assert_true(has_msg(&d, "no credentials = { ... } group"));
	diag_free(&d);

	put("credentials = {};\n", 0600);
	diag_init(&d);
	assert_int_equal(credentials_load(path, &cr, &d), 0);
	assert_int_equal(cr.ncreds, 0);
	credentials_free(&cr);
	diag_free(&d);
}

/* The shipped example, copied with the mode git cannot keep. */
static void
test_example(void **state)
{
	struct lg_credentials		 cr;
	struct lg_diag			 d;
	const struct lg_credential	*c;
	char				 src[LG_PATH_MAX], buf[8192];
	FILE				*f;
	size_t				 n;

	(void)state;
	snprintf(src, sizeof(src), "%s/conf/credentials.conf.example", top);
	assert_non_null(f = fopen(src, "r"));
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	put(buf, 0600);
	diag_init(&d);
	if (credentials_load(path, &cr, &d) != 0)
		dump(&d);
	assert_int_equal(d.nmsgs, 0);
	assert_non_null(c = credentials_find(&cr, "core"));
	assert_non_null(c->password);
	assert_non_null(c = credentials_find(&cr, "edge"));
	assert_non_null(c->key);
	assert_non_null(c->enable);
	credentials_free(&cr);
	diag_free(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ok, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_plain, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_broken, setup, teardown),
		cmocka_unit_test_setup_teardown(test_syntax_no_secret, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing_group, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_example, setup, teardown),
	};
	const char	*t = getenv("LG_TOP");

	lg_strlcpy(top, t != NULL ? t : ".", sizeof(top));
	log_init(1, 0, "test_credentials");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
