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
 * Stored results in web.store (lg_results.h's second backend), so that
 * every front serves every /r/<id>.  A document is the hash
 * lg:r:d:<id> (c: creation time, d: the document); the sorted set
 * lg:r:idx orders the ids by creation for expiry, and lg:r:bytes counts
 * the documents' bytes against web.results.max_mb.  Each change is one
 * Lua script, atomic in the server, so the count stays true whichever
 * fronts store and expire at once.
 *
 * The front's SQLite store (web.results.path) stays open beside it as
 * the fallback: while the store does not answer, answers are stored
 * there and served from there (by this front alone), and a lookup the
 * shared store misses also looks there, so such a link keeps working
 * once the store is back.
 */

#include <sys/types.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "lg.h"
#include "lg_results.h"
#include "web.h"

#define SR_DOC		"lg:r:d:"
#define SR_IDX		"lg:r:idx"
#define SR_BYTES	"lg:r:bytes"
#define SR_KEY_MAX	(sizeof(SR_DOC) + RESULTS_ID_LEN)
#define SR_EXPIRE_MAX	"1000"	/* documents per expiry run */
/* The server drops a document itself a day past the retention. */
#define SR_GRACE	86400

struct sr {
	void		*local;		/* results_sqlite's handle */
	unsigned int	 retention;
	size_t		 max_bytes;
};

/* KEYS: doc, idx, bytes; ARGV: id, created, doc, max bytes, lifetime. */
static struct store_script sr_put_lua = { .src =
    "local len = string.len(ARGV[3])\n"
    "local total = tonumber(redis.call('GET', KEYS[3]) or '0')\n"
    "if total + len > tonumber(ARGV[4]) then return 0 end\n"
    "redis.call('HSET', KEYS[1], 'c', ARGV[2], 'd', ARGV[3])\n"
    "redis.call('EXPIRE', KEYS[1], ARGV[5])\n"
    "redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])\n"
    "redis.call('INCRBY', KEYS[3], len)\n"
    "return 1\n"
};

/* KEYS: doc, idx, bytes; ARGV: id. */
static struct store_script sr_del_lua = { .src =
    "local d = redis.call('HGET', KEYS[1], 'd')\n"
    "redis.call('ZREM', KEYS[2], ARGV[1])\n"
    "if not d then return 0 end\n"
    "redis.call('DEL', KEYS[1])\n"
    "redis.call('DECRBY', KEYS[3], string.len(d))\n"
    "return 1\n"
};

/* KEYS: idx, bytes; ARGV: the newest creation time to remove, limit. */
static struct store_script sr_expire_lua = { .src =
    "local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], "
    "'LIMIT', 0, tonumber(ARGV[2]))\n"
    "for _, id in ipairs(ids) do\n"
    "  local k = '" SR_DOC "' .. id\n"
    "  local d = redis.call('HGET', k, 'd')\n"
    "  if d then\n"
    "    redis.call('DECRBY', KEYS[2], string.len(d))\n"
    "    redis.call('DEL', k)\n"
    "  end\n"
    "  redis.call('ZREM', KEYS[1], id)\n"
    "end\n"
    "return #ids\n"
};

static void *
sr_open(const struct results_conf *rc, char *err, size_t errlen)
{
	struct sr	*sr;

	if ((sr = calloc(1, sizeof(*sr))) == NULL) {
		lg_strlcpy(err, "out of memory", errlen);
		return NULL;
	}
	sr->retention = rc->retention;
	sr->max_bytes = rc->max_bytes;
	if ((sr->local = results_sqlite.open(rc, err, errlen)) == NULL) {
		free(sr);
		return NULL;
	}
	return sr;
}

static void
sr_close(void *h)
{
	struct sr	*sr = h;

	results_sqlite.close(sr->local);
	free(sr);
}

/* An integer reply, or -1 (counted) when the reply is anything else. */
static long long
sr_integer(redisReply *r)
{
	long long	 v;

	if (r->type != REDIS_REPLY_INTEGER) {
		store_bad_reply(r);
		return -1;
	}
	v = r->integer;
	freeReplyObject(r);
	return v;
}

static int
sr_put(void *h, const char *id, int64_t now, const char *doc, size_t len,
    char *err, size_t errlen)
{
	struct sr	*sr = h;
	char		 key[SR_KEY_MAX], created[24], max[24], life[24];
	const char	*argv[8] = { key, SR_IDX, SR_BYTES, id, created, doc,
			    max, life };
	size_t		 lens[8];
	redisReply	*r;
	long long	 v;
	int		 i;

	snprintf(key, sizeof(key), SR_DOC "%s", id);
	snprintf(created, sizeof(created), "%lld", (long long)now);
	snprintf(max, sizeof(max), "%zu", sr->max_bytes);
	snprintf(life, sizeof(life), "%u", sr->retention + SR_GRACE);
	for (i = 0; i < 8; i++)
		lens[i] = i == 5 ? len : strlen(argv[i]);
	if ((r = store_eval(&sr_put_lua, 3, 8, argv, lens)) == NULL ||
	    (v = sr_integer(r)) == -1)
		return results_sqlite.put(sr->local, id, now, doc, len, err,
		    errlen);
	if (v == 0) {
		snprintf(err, errlen, "the shared store is full "
		    "(web.results.max_mb)");
		return -1;
	}
	return 0;
}

/* A live document from the shared store: 1, 0 (none), -1 (no answer). */
static int
sr_get_remote(struct sr *sr, const char *id, int64_t now, char **doc,
    size_t *len, int64_t *created)
{
	char		 key[SR_KEY_MAX];
	const char	*argv[4] = { "HMGET", key, "c", "d" };
	redisReply	*r;
	long long	 c;

	snprintf(key, sizeof(key), SR_DOC "%s", id);
	if ((r = store_cmd(4, argv, NULL)) == NULL)
		return -1;
	if (r->type != REDIS_REPLY_ARRAY || r->elements != 2) {
		store_bad_reply(r);
		return -1;
	}
	if (r->element[0]->type != REDIS_REPLY_STRING ||
	    r->element[1]->type != REDIS_REPLY_STRING) {
		freeReplyObject(r);
		return 0;
	}
	c = strtoll(r->element[0]->str, NULL, 10);
	if (now - c >= (long long)sr->retention) {
		freeReplyObject(r);
		return 0;
	}
	if ((*doc = malloc(r->element[1]->len + 1)) == NULL) {
		freeReplyObject(r);
		return -1;
	}
	memcpy(*doc, r->element[1]->str, r->element[1]->len);
	(*doc)[r->element[1]->len] = '\0';
	*len = r->element[1]->len;
	*created = c;
	freeReplyObject(r);
	return 1;
}

static int
sr_get(void *h, const char *id, int64_t now, char **doc, size_t *len,
    int64_t *created)
{
	struct sr	*sr = h;
	int		 rv;

	if ((rv = sr_get_remote(sr, id, now, doc, len, created)) == 1)
		return 1;
	/* Missed or no answer: it may have been stored here meanwhile. */
	return results_sqlite.get(sr->local, id, now, doc, len, created);
}

static int
sr_del(void *h, const char *id)
{
	struct sr	*sr = h;
	char		 key[SR_KEY_MAX];
	const char	*argv[4] = { key, SR_IDX, SR_BYTES, id };
	redisReply	*r;
	long long	 v = -1;
	int		 lv;

	snprintf(key, sizeof(key), SR_DOC "%s", id);
	if ((r = store_eval(&sr_del_lua, 3, 4, argv, NULL)) != NULL)
		v = sr_integer(r);
	lv = results_sqlite.del(sr->local, id);
	if (v == 1 || lv == 1)
		return 1;
	return v == -1 && lv == -1 ? -1 : 0;
}

static int
sr_expire(void *h, int64_t now)
{
	struct sr	*sr = h;
	char		 cut[24];
	const char	*argv[4] = { SR_IDX, SR_BYTES, cut, SR_EXPIRE_MAX };
	redisReply	*r;
	long long	 v = 0;
	int		 lv;

	snprintf(cut, sizeof(cut), "%lld", (long long)(now - sr->retention));
	if ((r = store_eval(&sr_expire_lua, 2, 4, argv, NULL)) != NULL &&
	    (v = sr_integer(r)) < 0)
		v = 0;
	if ((lv = results_sqlite.expire(sr->local, now)) > 0)
		v += lv;
	return (int)v;
}

static int
sr_usage(void *h, size_t *count, size_t *bytes)
{
	struct sr	*sr = h;
	const char	*card[2] = { "ZCARD", SR_IDX };
	const char	*get[2] = { "GET", SR_BYTES };
	redisReply	*a, *b = NULL;
	int		 rv = -1;

	if ((a = store_cmd(2, card, NULL)) != NULL &&
	    (b = store_cmd(2, get, NULL)) != NULL &&
	    a->type == REDIS_REPLY_INTEGER && (b->type == REDIS_REPLY_NIL ||
	    b->type == REDIS_REPLY_STRING)) {
		*count = (size_t)a->integer;
		*bytes = b->type == REDIS_REPLY_NIL ? 0 :
		    (size_t)strtoull(b->str, NULL, 10);
		rv = 0;
	}
	if (a != NULL)
		freeReplyObject(a);
	if (b != NULL)
		freeReplyObject(b);
	return rv == 0 ? 0 : results_sqlite.usage(sr->local, count, bytes);
}

const struct results_backend results_store = {
	.name = "store",
	.open = sr_open,
	.put = sr_put,
	.get = sr_get,
	.del = sr_del,
	.expire = sr_expire,
	.usage = sr_usage,
	.close = sr_close
};
