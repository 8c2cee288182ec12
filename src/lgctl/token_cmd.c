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
 * lgctl token add USER [--expires DURATION] | list | revoke ID: the API
 * tokens of web.auth.tokens (tokens.c has the file's format).  add prints
 * the token once: only its SHA-256 is kept.  revoke marks the token
 * revoked rather than dropping it, so that lgwebd can say so (401, "was
 * revoked") and list still shows it.  lgwebd sees a change at the next
 * use of a token (it watches the file), and at a reload.  Writers of the
 * file take an exclusive lock on PATH.lock, so two lgctl at once cannot
 * lose each other's token.  Nothing is sent to the broker.
 */

#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lgctl.h"
#include "lg_tokens.h"

#define TOKEN_DURATION_MAX	(100LL * 366 * 86400)	/* --expires */

static void
token_print_diag(const char *line)
{
	fprintf(stderr, "%s\n", line);
}

/* web.auth.tokens from the configuration; -1 after saying why. */
static int
token_path(const char *config, char *path, size_t len)
{
	struct lg_config	 conf;
	struct lg_diag		 diag;
	int			 rc = -1;

	memset(&conf, 0, sizeof(conf));
	diag_init(&diag);
	if (config_load(config, &conf, &diag) == -1)
		diag_print(&diag, token_print_diag);
	else if (conf.web.auth.tokens[0] == '\0')
		fprintf(stderr, "lgctl: %s: web.auth.tokens is not set: this "
		    "looking glass takes no API tokens\n", config);
	else {
		lg_strlcpy(path, conf.web.auth.tokens, len);
		rc = 0;
	}
	diag_free(&diag);
	config_free(&conf);
	return rc;
}

/* "90d", "12h", "30m", "3600s", "2w", "3600": seconds, or -1. */
static long long
token_duration(const char *s)
{
	static const struct {
		char		 unit;
		long long	 seconds;
	} units[] = {
		{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 },
		{ 'w', 7 * 86400 }, { '\0', 1 }
	};
	char		*end;
	long long	 v;
	size_t		 i;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || v < 1 || s[0] == '-')
		return -1;
	for (i = 0; units[i].unit != '\0'; i++)
		if (*end == units[i].unit)
			break;
	if (*end != '\0' && (units[i].unit == '\0' || end[1] != '\0'))
		return -1;
	if (v > TOKEN_DURATION_MAX / units[i].seconds)
		return -1;
	return v * units[i].seconds;
}

/* An exclusive lock beside the file, held until lgctl exits; 0 or -1. */
static int
token_lock(const char *path)
{
	char	 lp[LG_PATH_MAX];
	int	 fd;

	if ((size_t)snprintf(lp, sizeof(lp), "%s.lock", path) >= sizeof(lp) ||
	    (fd = open(lp, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) == -1 ||
	    flock(fd, LOCK_EX) == -1) {
		fprintf(stderr, "lgctl: %s.lock: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* The file's tokens; a file not there yet holds none when may_create. */
static int
token_read(const char *path, struct lg_tokens *t, int may_create)
{
	char	 err[LG_ERRSTR_MAX + LG_PATH_MAX];

	if (tokens_load(path, t, err, sizeof(err)) == 0)
		return 0;
	if (may_create && access(path, F_OK) == -1 && errno == ENOENT)
		return 0;
	fprintf(stderr, "lgctl: %s\n", err);
	return -1;
}

static int
token_write(const char *path, const struct lg_tokens *t)
{
	char	 err[LG_ERRSTR_MAX + LG_PATH_MAX];

	if (tokens_save(path, t, err, sizeof(err)) == 0)
		return 0;
	fprintf(stderr, "lgctl: %s\n", err);
	return -1;
}

static const char *
token_time(int64_t t, char *buf, size_t len)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (t == 0)
		return "never";
	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

static int
token_add(const char *path, int argc, char **argv)
{
	struct lg_tokens	 t = { 0 };
	char			 tok[LG_TOKEN_MAX], err[LG_ERRSTR_MAX];
	long long		 secs = 0;
	int64_t			 now = time(NULL);
	int			 rc = LGCTL_EXIT_ERROR;

	if (argc == 3 && strcmp(argv[1], "--expires") == 0) {
		if ((secs = token_duration(argv[2])) == -1) {
			fprintf(stderr, "lgctl: --expires: not a duration "
			    "(N followed by s, m, h, d or w, at most 100 "
			    "years): %s\n", argv[2]);
			return LGCTL_EXIT_USAGE;
		}
	} else if (argc != 1)
		return LGCTL_EXIT_USAGE;
	if (!validate_user_name(argv[0])) {
		fprintf(stderr, "lgctl: token add: not a user name (letters, "
		    "digits and \"._@+-\", at most %d): %s\n",
		    LG_USER_MAX - 1, argv[0]);
		return LGCTL_EXIT_USAGE;
	}
	if (token_lock(path) == -1 || token_read(path, &t, 1) == -1)
		goto done;
	if (tokens_add(&t, argv[0], now, secs ? now + secs : 0, tok,
	    sizeof(tok), err, sizeof(err)) == -1) {
		fprintf(stderr, "lgctl: token add: %s\n", err);
		goto done;
	}
	if (token_write(path, &t) == -1)
		goto done;
	printf("%s\n", tok);
	fprintf(stderr, "token %s for %s; it is shown this once\n",
	    t.v[t.n - 1].id, argv[0]);
	rc = LGCTL_EXIT_OK;
done:
	tokens_free(&t);
	return rc;
}

static int
token_list(const char *path, int argc, char **argv)
{
	struct lg_tokens	 t = { 0 };
	char			 c[32], e[32], u[32];
	int64_t			 now = time(NULL);
	const char		*state;
	size_t			 i;

	(void)argv;
	if (argc != 0)
		return LGCTL_EXIT_USAGE;
	if (token_read(path, &t, 1) == -1)
		return LGCTL_EXIT_ERROR;
	tokens_used_load(path, &t);
	printf("%-12s %-8s %-20s %-20s %-20s %s\n", "ID", "STATE", "CREATED",
	    "EXPIRES", "LAST USED", "USER");
	for (i = 0; i < t.n; i++) {
		state = t.v[i].revoked ? "revoked" : t.v[i].expires != 0 &&
		    t.v[i].expires <= now ? "expired" : "valid";
		printf("%-12s %-8s %-20s %-20s %-20s %s\n", t.v[i].id, state,
		    token_time(t.v[i].created, c, sizeof(c)),
		    token_time(t.v[i].expires, e, sizeof(e)),
		    token_time(t.v[i].used, u, sizeof(u)), t.v[i].user);
	}
	tokens_free(&t);
	return LGCTL_EXIT_OK;
}

static int
token_revoke(const char *path, int argc, char **argv)
{
	struct lg_tokens	 t = { 0 };
	struct lg_token		*tk;
	int			 rc = LGCTL_EXIT_ERROR;

	if (argc != 1)
		return LGCTL_EXIT_USAGE;
	if (token_lock(path) == -1 || token_read(path, &t, 0) == -1)
		goto done;
	if ((tk = tokens_by_id(&t, argv[0])) == NULL) {
		fprintf(stderr, "lgctl: token revoke: no token has the id "
		    "%s (lgctl token list)\n", argv[0]);
		goto done;
	}
	if (tk->revoked == 0)
		tk->revoked = time(NULL);
	if (token_write(path, &t) == -1)
		goto done;
	printf("revoked %s (%s)\n", tk->id, tk->user);
	rc = LGCTL_EXIT_OK;
done:
	tokens_free(&t);
	return rc;
}

static const struct {
	const char	*name;
	int		(*fn)(const char *, int, char **);
} token_verbs[] = {
	{ "add",	token_add },
	{ "list",	token_list },
	{ "revoke",	token_revoke },
	{ NULL,		NULL }
};

int
token_cmd(const char *config, int argc, char **argv)
{
	char	 path[LG_PATH_MAX];
	size_t	 i;

	if (argc < 1)
		return LGCTL_EXIT_USAGE;
	for (i = 0; token_verbs[i].name != NULL; i++)
		if (strcmp(token_verbs[i].name, argv[0]) == 0)
			break;
	if (token_verbs[i].name == NULL) {
		fprintf(stderr, "lgctl: token: unknown action %s (add, list or "
		    "revoke)\n", argv[0]);
		return LGCTL_EXIT_USAGE;
	}
	if (token_path(config, path, sizeof(path)) == -1)
		return LGCTL_EXIT_ERROR;
	return token_verbs[i].fn(path, argc - 1, argv + 1);
}
