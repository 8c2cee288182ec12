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
 * Unit tests for src/lgwebd/challenge.c and the parts of ratelimit.c it
 * relies on: the token's form, its HMAC, the bucket it is bound to, its
 * expiry, the work, the key file's checks, the soft bucket and the
 * single use of a challenge.  The clock is a parameter throughout.
 */

#include <sys/stat.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <fcntl.h>
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
#include "lgwebd/web.h"
#include "web_client.h"

#define NOW	((int64_t)1800000000 * 1000000)	/* 2027-01-15 */
#define KEY	"0123456789abcdef0123456789abcdef"


static int
setup(void **state)
{
	(void)state;
	return challenge_key_set((const uint8_t *)KEY, strlen(KEY));
}

static int
teardown(void **state)
{
	(void)state;
	challenge_key_clear();
	return 0;
}

/* Finds a nonce that solves tok (want 1) or one that does not (want 0). */
static void
solve(const char *tok, unsigned int bits, int want, char *ans, size_t len)
{
	unsigned long	 n;
	int		 w;

	for (n = 0; n < 100000000UL; n++) {
		w = snprintf(ans, len, "%s:%lu", tok, n);
		assert_true(w > 0 && (size_t)w < len);
		if (challenge_work_ok(ans, (size_t)w, bits) == want)
			return;
	}
	fail_msg("no nonce found");
}

static void
test_token_form(void **state)
{
	struct web_client	 c4, c6;
	struct challenge_token	 t;
	char			 tok[CHALLENGE_TOKEN_MAX];

	(void)state;
	client(&c4, "198.51.100.7");
	client(&c6, "2001:db8:1:2:3:4:5:6");
	assert_int_equal(challenge_issue(12, 60, &c4, NOW, tok, sizeof(tok)),
	    0);
	assert_int_equal(challenge_parse_token(tok, strlen(tok), &t), 0);
	assert_int_equal(t.bits, 12);
	assert_true(t.expires == 1800000060);
	assert_true(t.issued >= (uint64_t)NOW);
	assert_string_equal(t.bucket, "4c6336407");
	assert_int_equal(strlen(t.mac), 64);
	assert_int_equal(strncmp(tok, "1.12.1800000060.", 16), 0);
	/* One /64 is one bucket. */
	assert_int_equal(challenge_issue(12, 60, &c6, NOW, tok, sizeof(tok)),
	    0);
	assert_int_equal(challenge_parse_token(tok, strlen(tok), &t), 0);
	assert_string_equal(t.bucket, "620010db800010002");
}

static void
test_issued_unique(void **state)
{
	struct web_client	 c;
	struct challenge_token	 a, b;
	char			 t1[CHALLENGE_TOKEN_MAX], t2[CHALLENGE_TOKEN_MAX];

	(void)state;
	client(&c, "198.51.100.7");
	assert_int_equal(challenge_issue(8, 60, &c, NOW, t1, sizeof(t1)), 0);
	assert_int_equal(challenge_issue(8, 60, &c, NOW, t2, sizeof(t2)), 0);
	assert_int_equal(challenge_parse_token(t1, strlen(t1), &a), 0);
	assert_int_equal(challenge_parse_token(t2, strlen(t2), &b), 0);
	assert_true(b.issued > a.issued);
	assert_string_not_equal(t1, t2);
}

static void
test_verify_right_work(void **state)
{
	struct web_client	 c;
	char			 tok[CHALLENGE_TOKEN_MAX], ans[256], err[256];
	uint64_t		 issued = 0;
	struct challenge_token	 t;

	(void)state;
	client(&c, "198.51.100.7");
	assert_int_equal(challenge_issue(10, 60, &c, NOW, tok, sizeof(tok)),
	    0);
	solve(tok, 10, 1, ans, sizeof(ans));
	assert_int_equal(challenge_verify(ans, 10, &c, NOW + 59000000,
	    &issued, err, sizeof(err)), 0);
	assert_int_equal(challenge_parse_token(tok, strlen(tok), &t), 0);
	assert_true(issued == t.issued);
}

/* verify ANSWER expecting refusal with a message containing what. */
static void
refused(const char *ans, unsigned int minbits, const struct web_client *c,
    int64_t now, const char *what)
{
	char		 err[256];
	uint64_t	 issued = 0;

	assert_int_equal(challenge_verify(ans, minbits, c, now, &issued, err,
	    sizeof(err)), -1);
	if (strstr(err, what) == NULL)
		fail_msg("\"%s\": wanted \"%s\" in \"%s\"", ans, what, err);
	assert_int_equal(strncmp(err, CHALLENGE_HEADER ": ",
	    strlen(CHALLENGE_HEADER) + 2), 0);
}

static void
test_verify_refusals(void **state)
{
	struct web_client	 c, other, other6a, other6b;
	char			 tok[CHALLENGE_TOKEN_MAX], ans[256], bad[256];
	char			 tok6[CHALLENGE_TOKEN_MAX], ans6[256];
	char			*p;

	(void)state;
	client(&c, "198.51.100.7");
	client(&other, "198.51.100.8");
	client(&other6a, "2001:db8:1:2::1");
	client(&other6b, "2001:db8:1:3::1");
	assert_int_equal(challenge_issue(10, 60, &c, NOW, tok, sizeof(tok)),
	    0);
	solve(tok, 10, 1, ans, sizeof(ans));
	/* Another bucket. */
	refused(ans, 10, &other, NOW, "issued to another address");
	/* Expired: one second past EXPIRES. */
	refused(ans, 10, &c, NOW + 61000000, "expired");
	/* The difficulty raised since (a reload). */
	refused(ans, 11, &c, NOW, "easier than");
	/* Forged: the MAC changed, or a field under it. */
	snprintf(bad, sizeof(bad), "%s", ans);
	p = strrchr(bad, ':') - 1;
	*p = *p == 'a' ? 'b' : 'a';
	refused(bad, 10, &c, NOW, "not issued by this looking glass");
	snprintf(bad, sizeof(bad), "%s", ans);
	bad[2] = '9';		/* 1.10. -> 1.90.: not a difficulty */
	refused(bad, 10, &c, NOW, "not a challenge token");
	snprintf(bad, sizeof(bad), "%s", ans);
	bad[3] = '1';		/* 1.10. -> 1.11.: another difficulty */
	refused(bad, 10, &c, NOW, "not issued by this looking glass");
	/* Another key: the same token is a forgery. */
	assert_int_equal(challenge_key_set((const uint8_t *)"another key, "
	    "long enough", 24), 0);
	refused(ans, 10, &c, NOW, "not issued by this looking glass");
	assert_int_equal(setup(NULL), 0);
	/* Wrong work. */
	solve(tok, 10, 0, bad, sizeof(bad));
	refused(bad, 10, &c, NOW, "does not solve");
	/* IPv6: the /64 is the bucket. */
	assert_int_equal(challenge_issue(4, 60, &other6a, NOW, tok6,
	    sizeof(tok6)), 0);
	solve(tok6, 4, 1, ans6, sizeof(ans6));
	refused(ans6, 4, &other6b, NOW, "issued to another address");
	client(&other6b, "2001:db8:1:2:ffff::9");
	assert_int_equal(challenge_verify(ans6, 4, &other6b, NOW, &(uint64_t){
	    0 }, bad, sizeof(bad)), 0);
}

/* The pattern with its "%s" (if any) replaced by mac. */
static void
fill(char *v, size_t len, const char *pat, const char *mac)
{
	const char	*at = strstr(pat, "%s");

	if (at == NULL)
		snprintf(v, len, "%s", pat);
	else
		snprintf(v, len, "%.*s%s%s", (int)(at - pat), pat, mac, at + 2);
}

static void
test_malformed(void **state)
{
	static const char *const bad[] = {
		"",
		":",
		"1",
		"1.8.1800000060.1.4c6336407.",
		"x:1",
		"1.8.1800000060.1800000000000000.4c6336407:1",
		"2.8.1800000060.1800000000000000.4c6336407.%s:1",
		"1.08.1800000060.1800000000000000.4c6336407.%s:1",
		"1.0.1800000060.1800000000000000.4c6336407.%s:1",
		"1.33.1800000060.1800000000000000.4c6336407.%s:1",
		"1.8.01800000060.1800000000000000.4c6336407.%s:1",
		"1.8.1800000060.1800000000000000.4C6336407.%s:1",
		"1.8.1800000060.1800000000000000.5c6336407.%s:1",
		"1.8.1800000060.1800000000000000.4c633640.%s:1",
		"1.8.1800000060.18000000000000000000.4c6336407.%s:1",
		"1.8.1800000060.1800000000000000.4c6336407.%s:",
		"1.8.1800000060.1800000000000000.4c6336407.%s:a b",
		"1.8.1800000060.1800000000000000.4c6336407.%s:"
		    "12345678901234567890123456789012345678901234567890"
		    "123456789012345",
		"1.8.1800000060.1800000000000000.4c6336407.%s0:1",
		"1..1800000060.1800000000000000.4c6336407.%s:1",
		"1.8.1800000060.1800000000000000.4c6336407.%s.:1",
		" 1.8.1800000060.1800000000000000.4c6336407.%s:1",
		NULL
	};
	const char	*mac = "00112233445566778899aabbccddeeff"
	    "00112233445566778899aabbccddeeff";
	struct web_client	 c;
	struct challenge_token	 t;
	const char		*nonce;
	char			 v[512], err[256];
	size_t			 i;

	(void)state;
	client(&c, "198.51.100.7");
	for (i = 0; bad[i] != NULL; i++) {
		fill(v, sizeof(v), bad[i], mac);
		err[0] = '\0';
		if (challenge_parse(v, &t, &nonce, err, sizeof(err)) == 0)
			fail_msg("parsed: \"%s\"", v);
		assert_int_equal(strncmp(err, CHALLENGE_HEADER ": ",
		    strlen(CHALLENGE_HEADER) + 2), 0);
		refused(v, 1, &c, NOW, CHALLENGE_HEADER);
	}
	/* The same with a good form parses (and is then refused: forged). */
	snprintf(v, sizeof(v), "1.8.1800000060.1800000000000000.4c6336407."
	    "%s:Az_-9", mac);
	assert_int_equal(challenge_parse(v, &t, &nonce, err, sizeof(err)), 0);
	assert_string_equal(nonce, "Az_-9");
	refused(v, 1, &c, NOW, "not issued by this looking glass");
}

static void
test_work(void **state)
{
	/* SHA-256("abc") = ba7816bf...: no leading zero bit. */
	(void)state;
	assert_int_equal(challenge_work_ok("abc", 3, 0), 1);
	assert_int_equal(challenge_work_ok("abc", 3, 1), 0);
	/* SHA-256("") = e3b0c442...: the first bit is 1. */
	assert_int_equal(challenge_work_ok("", 0, 1), 0);
	/* SHA-256("4") = 4b227777...: one leading zero, not two. */
	assert_int_equal(challenge_work_ok("4", 1, 1), 1);
	assert_int_equal(challenge_work_ok("4", 1, 2), 0);
}

static void
test_no_key(void **state)
{
	struct web_client	 c;
	char			 tok[CHALLENGE_TOKEN_MAX];

	(void)state;
	client(&c, "198.51.100.7");
	challenge_key_clear();
	assert_int_equal(challenge_issue(8, 60, &c, NOW, tok, sizeof(tok)),
	    -1);
	assert_int_equal(challenge_key_set((const uint8_t *)"short", 5), -1);
	assert_int_equal(setup(NULL), 0);
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	int	 fd;

	unlink(path);
	assert_true((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)) >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

static char	 key_dir[] = "/tmp/lg-challenge.XXXXXX";

/* Removes the key file test's directory, even after a failed check. */
static int
teardown_key_dir(void **state)
{
	char	 path[64];

	snprintf(path, sizeof(path), "%s/key", key_dir);
	unlink(path);
	rmdir(key_dir);
	return teardown(state);
}

static void
test_key_file(void **state)
{
	char	*dir, path[64], err[256];

	(void)state;
	assert_non_null(dir = mkdtemp(key_dir));
	snprintf(path, sizeof(path), "%s/key", dir);
	assert_int_equal(challenge_load(path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "No such file"));
	write_file(path, "short", 0600);
	assert_int_equal(challenge_load(path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "5 bytes; a key has 16 to 4096"));
	write_file(path, KEY, 0644);
	assert_int_equal(challenge_load(path, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "chmod o-rw"));
	write_file(path, KEY, 0640);
	assert_int_equal(challenge_load(path, err, sizeof(err)), 0);
	assert_int_equal(challenge_load(dir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a regular file"));
}

static void
test_soft_and_spend(void **state)
{
	struct lg_rate		 rates[Q_COUNT] = { 0 };
	struct lg_rate		 soft = { 3, 60 }, none = { 0, 1 };
	struct ratelimit	*rl;
	struct web_client	 a, b;

	(void)state;
	client(&a, "198.51.100.7");
	client(&b, "198.51.100.8");
	assert_non_null(rl = ratelimit_new(rates, 16));
	/* No soft limit: never past it. */
	assert_int_equal(ratelimit_soft(rl, &a, 100, 0), 0);
	ratelimit_set_soft(rl, &soft);
	assert_int_equal(ratelimit_soft(rl, &a, 2, 0), 0);
	assert_int_equal(ratelimit_soft(rl, &a, 1, 0), 0);
	assert_int_equal(ratelimit_soft(rl, &a, 1, 0), 1);
	assert_int_equal(ratelimit_soft(rl, &b, 1, 0), 0);
	/* One token every 20 s. */
	assert_int_equal(ratelimit_soft(rl, &a, 1, 19), 1);
	assert_int_equal(ratelimit_soft(rl, &a, 1, 21), 0);
	assert_int_equal(ratelimit_soft(rl, &a, 0, 21), 0);
	/* A challenge is spent once, and never an older one after it. */
	assert_int_equal(ratelimit_spend(rl, &a, 100), 0);
	assert_int_equal(ratelimit_spend(rl, &a, 100), -1);
	assert_int_equal(ratelimit_spend(rl, &a, 99), -1);
	assert_int_equal(ratelimit_spend(rl, &b, 100), 0);
	assert_int_equal(ratelimit_spend(rl, &a, 101), 0);
	ratelimit_set_soft(rl, &none);
	assert_int_equal(ratelimit_soft(rl, &a, 100, 21), 0);
	ratelimit_free(rl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_token_form, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_issued_unique, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_verify_right_work, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_verify_refusals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_malformed, setup,
		    teardown),
		cmocka_unit_test(test_work),
		cmocka_unit_test_setup_teardown(test_no_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_file, setup,
		    teardown_key_dir),
		cmocka_unit_test(test_soft_and_spend),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
