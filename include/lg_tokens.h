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


#ifndef LG_TOKENS_H
#define LG_TOKENS_H

#include "lg.h"

/*
 * tokens.c: API tokens (web.auth.tokens), stored as SHA-256 hashes; the
 * file's format is described there.  Times are Unix seconds, 0: never.
 */
#define LG_TOKEN_PREFIX		"lgt_"
#define LG_TOKEN_SECRET_LEN	20	/* bytes of randomness, 160 bits */
#define LG_TOKEN_MAX		(sizeof(LG_TOKEN_PREFIX) + \
				    2 * LG_TOKEN_SECRET_LEN)
#define LG_TOKEN_ID_LEN		12	/* hex digits */
#define LG_TOKEN_HASH_LEN	32
struct lg_token {
	char			 id[LG_TOKEN_ID_LEN + 1];
	char			 user[LG_USER_MAX];
	uint8_t			 hash[LG_TOKEN_HASH_LEN];
	int64_t			 created;
	int64_t			 expires;
	int64_t			 revoked;
	int64_t			 used;		/* from PATH.used */
};
struct lg_tokens {
	struct lg_token		*v;
	size_t			 n;
};
void	 tokens_hash(const char *, uint8_t[LG_TOKEN_HASH_LEN]);
int	 tokens_load(const char *, struct lg_tokens *, char *, size_t);
int	 tokens_save(const char *, const struct lg_tokens *, char *, size_t);
void	 tokens_free(struct lg_tokens *);
struct lg_token *tokens_find(const struct lg_tokens *, const char *);
struct lg_token *tokens_by_id(const struct lg_tokens *, const char *);
int	 tokens_add(struct lg_tokens *, const char *, int64_t, int64_t, char *,
	    size_t, char *, size_t);
int	 tokens_used_path(const char *, char *, size_t);
void	 tokens_used_load(const char *, struct lg_tokens *);
int	 tokens_used_open(const char *, char *, size_t);
int	 tokens_used_write(int, const struct lg_tokens *, char *, size_t);

#endif /* LG_TOKENS_H */
