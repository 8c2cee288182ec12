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
 * API tokens (web.auth.tokens, DESIGN.md section 16): the file that lgctl
 * token add|list|revoke writes and lgwebd reads.  A token is "lgt_" and
 * 40 hex digits (160 bits from getrandom(2)); the file keeps only its
 * SHA-256 (nettle), one line a token:
 *
 *	ID USER SHA256 CREATED EXPIRES REVOKED
 *
 * ID is 12 hex digits, the name lgctl shows and revokes by; the times are
 * Unix seconds, 0 for never.  lgctl is the file's only writer (a temporary
 * file renamed over it, owner and mode kept).  lgwebd writes the last use
 * of each token into a file of its own beside it, PATH.used ("ID TIME"
 * lines, rewritten in place through a descriptor opened before its
 * sandbox), at most once a minute, so that neither program ever rewrites
 * what the other owns.  Nothing here logs: errors go to errstr.
 */

#include <sys/types.h>
#include <sys/random.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nettle/sha2.h>

#include "lg.h"
#include "lg_tokens.h"

#define TOKENS_LINE_MAX		512
#define TOKENS_MAX		100000

static const char	 hexdigits[] = "0123456789abcdef";

static void
tokens_hex(const uint8_t *in, size_t n, char *out)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hexdigits[in[i] >> 4];
		out[2 * i + 1] = hexdigits[in[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

static int
tokens_unhex(const char *s, uint8_t *out, size_t n)
{
	const char	*a, *b;
	size_t		 i;

	if (strlen(s) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if ((a = strchr(hexdigits, s[2 * i])) == NULL || s[2 * i] == 0 ||
		    (b = strchr(hexdigits, s[2 * i + 1])) == NULL ||
		    s[2 * i + 1] == 0)
			return -1;
		out[i] = (uint8_t)((a - hexdigits) << 4 | (b - hexdigits));
	}
	return 0;
}

static int
tokens_random(uint8_t *buf, size_t n)
{
	size_t	 got = 0;
	ssize_t	 rv;

	while (got < n) {
		if ((rv = getrandom(buf + got, n - got, 0)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)rv;
	}
	return 0;
}

void
tokens_hash(const char *token, uint8_t out[LG_TOKEN_HASH_LEN])
{
	struct sha256_ctx	 ctx;

	sha256_init(&ctx);
	sha256_update(&ctx, strlen(token), (const uint8_t *)token);
	sha256_digest(&ctx, LG_TOKEN_HASH_LEN, out);
}

void
tokens_free(struct lg_tokens *t)
{
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

static int
tokens_grow(struct lg_tokens *t)
{
	struct lg_token	*v;

	if (t->n >= TOKENS_MAX)
		return -1;
	if ((v = reallocarray(t->v, t->n + 1, sizeof(*v))) == NULL)
		return -1;
	t->v = v;
	memset(&t->v[t->n], 0, sizeof(t->v[t->n]));
	return 0;
}

/* One line of the file into a token; 0, or -1 when it is not one. */
static int
tokens_parse_line(const char *line, struct lg_token *tk)
{
	char		 id[LG_TOKEN_ID_LEN + 2], user[LG_USER_MAX + 1];
	char		 hash[2 * LG_TOKEN_HASH_LEN + 2];
	int64_t		 c, e, r;
	uint8_t		 raw[LG_TOKEN_ID_LEN / 2];
	int		 n = 0;

	if (sscanf(line, "%13s %64s %65s %" SCNd64 " %" SCNd64 " %" SCNd64
	    " %n", id, user, hash, &c, &e, &r, &n) != 6 || line[n] != '\0')
		return -1;
	if (tokens_unhex(id, raw, sizeof(raw)) == -1 ||
	    !validate_user_name(user) ||
	    tokens_unhex(hash, tk->hash, sizeof(tk->hash)) == -1 ||
	    c < 0 || e < 0 || r < 0)
		return -1;
	lg_strlcpy(tk->id, id, sizeof(tk->id));
	lg_strlcpy(tk->user, user, sizeof(tk->user));
	tk->created = c;
	tk->expires = e;
	tk->revoked = r;
	return 0;
}

/*
 * Reads the tokens file: 0, or -1 with "PATH:LINE: ..." in errstr.  A
 * file that does not exist holds no token (errno ENOENT is kept so the
 * caller may tell).
 */
int
tokens_load(const char *path, struct lg_tokens *t, char *errstr,
    size_t errlen)
{
	FILE	*f;
	char	 line[TOKENS_LINE_MAX];
	int	 lineno = 0;
	size_t	 len;

	t->v = NULL;
	t->n = 0;
	if ((f = fopen(path, "re")) == NULL) {
		snprintf(errstr, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		len = strcspn(line, "\n");
		if (line[len] != '\n' && !feof(f))
			goto bad;
		line[len] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (tokens_grow(t) == -1 ||
		    tokens_parse_line(line, &t->v[t->n]) == -1)
			goto bad;
		t->n++;
	}
	fclose(f);
	return 0;
bad:
	snprintf(errstr, errlen, "%s:%d: not a token line (ID USER SHA256 "
	    "CREATED EXPIRES REVOKED)", path, lineno);
	fclose(f);
	tokens_free(t);
	return -1;
}

/* The token whose SHA-256 is that of token, or NULL. */
struct lg_token *
tokens_find(const struct lg_tokens *t, const char *token)
{
	uint8_t		 h[LG_TOKEN_HASH_LEN];
	size_t		 i;

	tokens_hash(token, h);
	for (i = 0; i < t->n; i++)
		if (memcmp(t->v[i].hash, h, sizeof(h)) == 0)
			return &t->v[i];
	return NULL;
}

struct lg_token *
tokens_by_id(const struct lg_tokens *t, const char *id)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].id, id) == 0)
			return &t->v[i];
	return NULL;
}

/*
 * Writes fill(arg) to path through a temporary file in the same directory
 * renamed over it, keeping the owner, group and mode of the file it
 * replaces; a new one gets mode and, made by root, the directory's group
 * (so that lgwebd's group, owning the directory, may read it).  0, or -1
 * with errstr.
 */
static int
tokens_dir_stat(const char *path, struct stat *st)
{
	char	 dir[LG_PATH_MAX], *slash;

	if (lg_strlcpy(dir, path, sizeof(dir)) >= sizeof(dir))
		return -1;
	if ((slash = strrchr(dir, '/')) == NULL)
		lg_strlcpy(dir, ".", sizeof(dir));
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	return stat(dir, st);
}

static int
tokens_replace(const char *path, mode_t mode,
    int (*fill)(FILE *, const void *), const void *arg, char *errstr,
    size_t errlen)
{
	struct stat	 st;
	char		 tmp[LG_PATH_MAX];
	FILE		*f;
	int		 fd, have;

	have = stat(path, &st) == 0;
	if (!have && tokens_dir_stat(path, &st) == 0) {
		st.st_uid = 0;
		st.st_mode = mode;
		have = 1;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >=
	    sizeof(tmp)) {
		snprintf(errstr, errlen, "%s: path too long", path);
		return -1;
	}
	if ((fd = mkostemp(tmp, O_CLOEXEC)) == -1) {
		snprintf(errstr, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	if (fchmod(fd, have ? st.st_mode & 07777 : mode) == -1 ||
	    (have && geteuid() == 0 && fchown(fd, st.st_uid, st.st_gid) == -1) ||
	    (f = fdopen(fd, "w")) == NULL) {
		snprintf(errstr, errlen, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (fill(f, arg) == -1 || fflush(f) == EOF || fsync(fd) == -1 ||
	    fclose(f) == EOF) {
		snprintf(errstr, errlen, "%s: %s", tmp, strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) == -1) {
		snprintf(errstr, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int
tokens_fill(FILE *f, const void *arg)
{
	const struct lg_tokens	*t = arg;
	char			 hex[2 * LG_TOKEN_HASH_LEN + 1];
	size_t			 i;

	fprintf(f, "# Lorgnette API tokens (lgctl token): "
	    "ID USER SHA256 CREATED EXPIRES REVOKED\n");
	for (i = 0; i < t->n; i++) {
		tokens_hex(t->v[i].hash, sizeof(t->v[i].hash), hex);
		if (fprintf(f, "%s %s %s %" PRId64 " %" PRId64 " %" PRId64 "\n",
		    t->v[i].id, t->v[i].user, hex, t->v[i].created,
		    t->v[i].expires, t->v[i].revoked) < 0)
			return -1;
	}
	return 0;
}

int
tokens_save(const char *path, const struct lg_tokens *t, char *errstr,
    size_t errlen)
{
	return tokens_replace(path, 0640, tokens_fill, t, errstr, errlen);
}

/*
 * Adds a token for user, expiring at expires (0: never), and writes the
 * token itself (shown once, never stored) into out.  0, or -1.
 */
int
tokens_add(struct lg_tokens *t, const char *user, int64_t now,
    int64_t expires, char *out, size_t outlen, char *errstr, size_t errlen)
{
	uint8_t		 secret[LG_TOKEN_SECRET_LEN], id[LG_TOKEN_ID_LEN / 2];
	char		 hex[2 * LG_TOKEN_SECRET_LEN + 1];
	struct lg_token	*tk;

	if (!validate_user_name(user)) {
		snprintf(errstr, errlen, "user: letters, digits and \"._@+-\", "
		    "1 to %d of them, not starting with '-'", LG_USER_MAX - 1);
		return -1;
	}
	if (outlen < sizeof(LG_TOKEN_PREFIX) + sizeof(hex) - 1 ||
	    tokens_grow(t) == -1) {
		snprintf(errstr, errlen, "out of memory");
		return -1;
	}
	tk = &t->v[t->n];
	do {
		if (tokens_random(id, sizeof(id)) == -1 ||
		    tokens_random(secret, sizeof(secret)) == -1) {
			snprintf(errstr, errlen, "getrandom: %s",
			    strerror(errno));
			return -1;
		}
		tokens_hex(id, sizeof(id), tk->id);
	} while (tokens_by_id(t, tk->id) != NULL);
	tokens_hex(secret, sizeof(secret), hex);
	snprintf(out, outlen, "%s%s", LG_TOKEN_PREFIX, hex);
	lg_strlcpy(tk->user, user, sizeof(tk->user));
	tokens_hash(out, tk->hash);
	tk->created = now;
	tk->expires = expires;
	t->n++;
	return 0;
}

/* PATH.used: "ID TIME" lines, the last use of each token (lgwebd's). */
int
tokens_used_path(const char *path, char *out, size_t outlen)
{
	return (size_t)snprintf(out, outlen, "%s.used", path) < outlen ?
	    0 : -1;
}

/* Sets each token's used time from PATH.used; a missing file is none. */
void
tokens_used_load(const char *path, struct lg_tokens *t)
{
	char		 up[LG_PATH_MAX], line[TOKENS_LINE_MAX];
	char		 id[LG_TOKEN_ID_LEN + 2];
	struct lg_token	*tk;
	int64_t		 when;
	FILE		*f;

	if (tokens_used_path(path, up, sizeof(up)) == -1 ||
	    (f = fopen(up, "re")) == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%13s %" SCNd64, id, &when) == 2 &&
		    (tk = tokens_by_id(t, id)) != NULL && when > tk->used)
			tk->used = when;
	fclose(f);
}

/*
 * PATH.used, opened for lgwebd's writes (before its sandbox, which lets
 * it open nothing for writing later): the descriptor, or -1.
 */
int
tokens_used_open(const char *path, char *errstr, size_t errlen)
{
	char	 up[LG_PATH_MAX];
	int	 fd;

	if (tokens_used_path(path, up, sizeof(up)) == -1) {
		snprintf(errstr, errlen, "%s: path too long", path);
		return -1;
	}
	if ((fd = open(up, O_RDWR | O_CREAT | O_CLOEXEC, 0640)) == -1)
		snprintf(errstr, errlen, "%s: %s", up, strerror(errno));
	return fd;
}

/* Rewrites PATH.used in place from each token's used time; 0 or -1. */
int
tokens_used_write(int fd, const struct lg_tokens *t, char *errstr,
    size_t errlen)
{
	struct lg_buf	 b;
	size_t		 i;
	int		 rv = -1;

	buf_init(&b, (size_t)TOKENS_MAX * 40);
	for (i = 0; i < t->n; i++)
		if (t->v[i].used > 0)
			buf_printf(&b, "%s %" PRId64 "\n", t->v[i].id,
			    t->v[i].used);
	if (b.len > 0 && b.data == NULL)
		snprintf(errstr, errlen, "out of memory");
	else if ((b.len > 0 && pwrite(fd, b.data, b.len, 0) != (ssize_t)b.len)
	    || ftruncate(fd, (off_t)b.len) == -1)
		snprintf(errstr, errlen, "%s", strerror(errno));
	else
		rv = 0;
	buf_free(&b);
	return rv;
}
