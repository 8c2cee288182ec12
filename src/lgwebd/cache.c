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
 * The result cache: finished, successful, untruncated answers keyed by
 * (router, type, afi, canonical target, vrf), each kept for the TTL of its
 * query type (web.cache; 0 means never cached, the default for ping and
 * traceroute).  Memory is bounded twice, by entry count and by bytes, and
 * the least recently used entries go first; a bound of 0 (web.cache_entries
 * or web.cache_bytes) turns the cache off.  Entries are immutable and
 * reference counted, so a hit is served outside the lock while the cache
 * may drop the entry meanwhile.  The clock is a parameter for the tests.
 *
 * With web.store set, the shared store is the cache: an answer is put
 * there (as well as here, for when the store is down) with its TTL as
 * the key's lifetime, and looked up there first, so one front serves
 * another's answer with its age.  An entry in the store is the record
 * made by wcache_encode, all integers big-endian:
 *
 *	"LGC1", runtime_ms u32, performed_at i64 (Unix s), stored i64
 *	(Unix ms), command length u32, output length u32, parsed length
 *	u32 (0xffffffff: none), then the three byte strings
 *
 * and wcache_decode takes nothing from outside on trust: the lengths
 * must add up to the exact end (tests/fuzz/fuzz_cache_entry.c).
 */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>
#include <jansson.h>

#include "lg.h"
#include "web.h"

#define WCACHE_HDR_LEN		36	/* magic to the parsed length */
#define WCACHE_NO_PARSED	0xffffffffU
#define WCACHE_KEY_PREFIX	"lg:c:"
#define WCACHE_SWEEP_S		1.0	/* between sweeps of expired entries */

struct wcache {
	pthread_mutex_t		 lock;
	struct wcache_entry	**hash;
	size_t			 hmask;
	struct wcache_entry	*head, *tail;
	size_t			 entries, max_entries;
	size_t			 bytes, max_bytes;
	size_t			 entry_max;
	double			 next_sweep;
	int			 off;		/* keeps nothing */
};

struct wcache *
wcache_new(size_t max_entries, size_t max_bytes)
{
	struct wcache	*c;
	size_t		 n;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	for (n = 16; n < max_entries * 2; n <<= 1)
		;
	if ((c->hash = calloc(n, sizeof(*c->hash))) == NULL) {
		free(c);
		return NULL;
	}
	c->hmask = n - 1;
	c->max_entries = max_entries;
	c->max_bytes = max_bytes;
	/* One answer may take an eighth of the cache, so a few big ones
	 * cannot flush everything else. */
	c->entry_max = max_bytes / 8;
	/* No room for one entry, or no byte: the cache keeps nothing. */
	c->off = max_entries == 0 || max_bytes == 0;
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

static void
entry_free(struct wcache_entry *e)
{
	free(e->command);
	free(e->output);
	free(e->json);
	free(e->parsed);
	free(e);
}

/* What one answer may take (entry_max applies to this). */
static size_t
entry_size(const struct wcache_entry *e)
{
	return sizeof(*e) + e->len + strlen(e->command) + 1 +
	    (e->parsed != NULL ? e->parsed_len + 1 : 0);
}

/* What it costs the cache, its escaped copy included. */
static size_t
entry_cost(const struct wcache_entry *e)
{
	return entry_size(e) + e->json_len;
}

/*
 * The JSON form of the output, as format.c would escape it on every hit:
 * invalid UTF-8 made '?', then jansson's string encoding, quotes off.
 */
static void
entry_json(struct wcache_entry *e)
{
	json_t	*j;
	char	*clean, *d;
	size_t	 n;

	if ((clean = malloc(e->len + 1)) == NULL)
		return;
	memcpy(clean, e->output, e->len);
	n = format_utf8(clean, e->len, 1);
	j = json_stringn(clean, n);
	free(clean);
	if (j == NULL)
		return;
	if ((d = json_dumps(j, JSON_ENCODE_ANY)) != NULL &&
	    (n = strlen(d)) >= 2) {
		memmove(d, d + 1, n - 2);
		d[n - 2] = '\0';
		e->json = d;
		e->json_len = n - 2;
	} else
		free(d);
	json_decref(j);
}

void
wcache_free(struct wcache *c)
{
	struct wcache_entry	*e, *next;

	if (c == NULL)
		return;
	for (e = c->head; e != NULL; e = next) {
		next = e->next;
		entry_free(e);
	}
	pthread_mutex_destroy(&c->lock);
	free(c->hash);
	free(c);
}

size_t
wcache_entry_max(struct wcache *c)
{
	return c->entry_max;
}

void
wcache_stats(struct wcache *c, size_t *entries, size_t *bytes)
{
	pthread_mutex_lock(&c->lock);
	*entries = c->entries;
	*bytes = c->bytes;
	pthread_mutex_unlock(&c->lock);
}

static size_t
key_hash(const struct wcache_key *k)
{
	const char	*strs[3] = { k->router, k->target, k->vrf }, *s;
	uint32_t	 h = 2166136261U;
	size_t		 i;

	for (i = 0; i < 3; i++) {
		for (s = strs[i]; *s != '\0'; s++)
			h = (h ^ (uint8_t)*s) * 16777619U;
		h = (h ^ 0xff) * 16777619U;
	}
	h = (h ^ k->type) * 16777619U;
	h = (h ^ k->afi) * 16777619U;
	h = (h ^ k->audience) * 16777619U;
	return h;
}

static int
key_eq(const struct wcache_key *a, const struct wcache_key *b)
{
	return a->type == b->type && a->afi == b->afi &&
	    a->audience == b->audience && strcmp(a->router, b->router) == 0 &&
	    strcmp(a->target, b->target) == 0 && strcmp(a->vrf, b->vrf) == 0;
}

static void
lru_unlink(struct wcache *c, struct wcache_entry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		c->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		c->tail = e->prev;
	e->prev = e->next = NULL;
}

static void
lru_push(struct wcache *c, struct wcache_entry *e)
{
	e->prev = NULL;
	e->next = c->head;
	if (c->head != NULL)
		c->head->prev = e;
	c->head = e;
	if (c->tail == NULL)
		c->tail = e;
}

/* Drops the cache's own reference; the lock is held. */
static void
cache_remove(struct wcache *c, struct wcache_entry *e)
{
	struct wcache_entry	**pp;

	for (pp = &c->hash[key_hash(&e->key) & c->hmask]; *pp != NULL;
	    pp = &(*pp)->hnext)
		if (*pp == e) {
			*pp = e->hnext;
			break;
		}
	lru_unlink(c, e);
	c->entries--;
	c->bytes -= entry_cost(e);
	if (--e->refs == 0)
		entry_free(e);
}

/*
 * Drops every expired entry, at most once a second.  An answer that is
 * not asked for again would otherwise keep its memory until the bounds
 * push it out: up to web.cache_bytes of dead answers, which a 30-minute
 * soak saw as lgwebd's RSS rising by 17% after its warm-up.  The lock is
 * held; a sweep visits at most web.cache_entries entries.
 */
static void
cache_sweep(struct wcache *c, double now)
{
	struct wcache_entry	*e, *prev;

	if (now < c->next_sweep)
		return;
	c->next_sweep = now + WCACHE_SWEEP_S;
	for (e = c->tail; e != NULL; e = prev) {
		prev = e->prev;
		if (now >= e->expires)
			cache_remove(c, e);
	}
}

static struct wcache_entry *
cache_find(struct wcache *c, const struct wcache_key *k)
{
	struct wcache_entry	*e;

	for (e = c->hash[key_hash(k) & c->hmask]; e != NULL; e = e->hnext)
		if (key_eq(&e->key, k))
			return e;
	return NULL;
}

static struct wcache_entry *
entry_new(const struct wcache_key *k, const char *command, const char *out,
    size_t len)
{
	struct wcache_entry	*e;

	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->key = *k;
	e->command = strdup(command);
	e->output = malloc(len + 1);
	if (e->command == NULL || e->output == NULL) {
		entry_free(e);
		return NULL;
	}
	memcpy(e->output, out, len);
	e->output[len] = '\0';
	e->len = len;
	return e;
}

/*
 * Whether an answer may be cached at all: a success, whole (a truncated
 * answer is cut by the broker's output cap and could be huge), for a type
 * with a TTL, and small enough for one entry.  Errors never are: the next
 * query should try the router again.
 */
int
wcache_storable(struct wcache *c, enum lg_err e, int truncated,
    unsigned int ttl, size_t len)
{
	return !c->off && e == LG_OK && !truncated && ttl > 0 &&
	    len <= c->entry_max;
}

/* Keeps a copy of the parsed JSON text beside the output. */
static int
entry_parsed(struct wcache_entry *e, const char *parsed, size_t plen)
{
	if (parsed == NULL)
		return 0;
	if ((e->parsed = malloc(plen + 1)) == NULL)
		return -1;
	memcpy(e->parsed, parsed, plen);
	e->parsed[plen] = '\0';
	e->parsed_len = plen;
	return 0;
}


static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void
put64(uint8_t *p, int64_t v)
{
	put32(p, (uint32_t)((uint64_t)v >> 32));
	put32(p + 4, (uint32_t)v);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static int64_t
get64(const uint8_t *p)
{
	return (int64_t)((uint64_t)get32(p) << 32 | get32(p + 4));
}

/*
 * The record of an entry stored at stored_ms (Unix ms) in out: 0, or -1
 * when memory or the size limit of a buffer ran out.
 */
int
wcache_encode(const struct wcache_entry *e, int64_t stored_ms,
    struct lg_buf *out)
{
	uint8_t		 h[WCACHE_HDR_LEN];
	size_t		 clen = strlen(e->command);

	if (clen > UINT32_MAX - 1 || e->len > UINT32_MAX - 1 ||
	    e->parsed_len > UINT32_MAX - 1)
		return -1;
	memcpy(h, WCACHE_MAGIC, 4);
	put32(h + 4, e->runtime_ms);
	put64(h + 8, (int64_t)e->performed_at);
	put64(h + 16, stored_ms);
	put32(h + 24, (uint32_t)clen);
	put32(h + 28, (uint32_t)e->len);
	put32(h + 32, e->parsed != NULL ? (uint32_t)e->parsed_len :
	    WCACHE_NO_PARSED);
	if (buf_append(out, h, sizeof(h)) == -1 ||
	    buf_append(out, e->command, clen) == -1 ||
	    buf_append(out, e->output, e->len) == -1 ||
	    (e->parsed != NULL && buf_append(out, e->parsed,
	    e->parsed_len) == -1))
		return -1;
	return 0;
}

/*
 * An entry from a record, for key k, read at mono (the cache clock) and
 * now_ms (Unix ms): its age is how long ago it was stored, whichever
 * front stored it.  Returns an entry with one reference and in no list
 * (wcache_release frees it), or NULL when the record is malformed (any
 * length that does not add up, a NUL in the command, a time before 1970)
 * or memory ran out.
 */
struct wcache_entry *
wcache_decode(const struct wcache_key *k, const void *data, size_t len,
    double mono, int64_t now_ms)
{
	const uint8_t		*p = data;
	struct wcache_entry	*e;
	uint32_t		 clen, olen, plen;
	uint64_t		 need;
	int64_t			 age;

	if (len < WCACHE_HDR_LEN || memcmp(p, WCACHE_MAGIC, 4) != 0)
		return NULL;
	clen = get32(p + 24);
	olen = get32(p + 28);
	plen = get32(p + 32);
	need = (uint64_t)WCACHE_HDR_LEN + clen + olen +
	    (plen != WCACHE_NO_PARSED ? plen : 0);
	if (need != len || memchr(p + WCACHE_HDR_LEN, '\0', clen) != NULL ||
	    get64(p + 16) < 0)
		return NULL;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->key = *k;
	/* Not strndup: the command is not NUL-terminated in the record. */
	if ((e->command = malloc((size_t)clen + 1)) != NULL) {
		memcpy(e->command, p + WCACHE_HDR_LEN, clen);
		e->command[clen] = '\0';
	}
	e->output = malloc((size_t)olen + 1);
	if (e->command == NULL || e->output == NULL ||
	    entry_parsed(e, plen == WCACHE_NO_PARSED ? NULL :
	    (const char *)p + WCACHE_HDR_LEN + clen + olen, plen) == -1) {
		entry_free(e);
		return NULL;
	}
	memcpy(e->output, p + WCACHE_HDR_LEN + clen, olen);
	e->output[olen] = '\0';
	e->len = olen;
	entry_json(e);
	e->runtime_ms = get32(p + 4);
	e->performed_at = (time_t)get64(p + 8);
	/* Another front's clock may run ahead: age 0, never negative. */
	age = get64(p + 16) >= now_ms ? 0 : now_ms - get64(p + 16);
	e->stored = mono - (double)age / 1000.0;
	e->expires = mono;
	e->refs = 1;
	return e;
}

/* The key of an entry in the store: prefix, type, afi, then the names. */
static size_t
remote_key(const struct wcache_key *k, char *out, size_t len)
{
	int	 n;

	n = snprintf(out, len, WCACHE_KEY_PREFIX "%u:%u:%s%c%s%c%s",
	    k->type, k->afi, k->router, 0, k->target, 0, k->vrf);
	return n < 0 || (size_t)n >= len ? 0 : (size_t)n;
}

/* Puts an entry in the store for ttl seconds; a failure costs nothing. */
static void
remote_put(const struct wcache_entry *e, unsigned int ttl)
{
	struct lg_buf	 b;
	char		 key[sizeof(struct wcache_key) + 32], px[24];
	const char	*argv[5] = { "SET", key, NULL, "PX", px };
	size_t		 lens[5] = { 3, 0, 0, 2, 0 };
	redisReply	*r;

	buf_init(&b, SIZE_MAX / 2);
	if ((lens[1] = remote_key(&e->key, key, sizeof(key))) == 0 ||
	    wcache_encode(e, store_wall_ms(), &b) == -1) {
		buf_free(&b);
		return;
	}
	argv[2] = b.data;
	lens[2] = b.len;
	lens[4] = (size_t)snprintf(px, sizeof(px), "%llu",
	    (unsigned long long)ttl * 1000);
	if ((r = store_cmd(5, argv, lens)) != NULL) {
		if (r->type != REDIS_REPLY_STATUS)
			store_bad_reply(r);
		else
			freeReplyObject(r);
	}
	buf_free(&b);
}

/*
 * A lookup in the store: 0 with *e the entry or NULL (a miss), or -1
 * when the store did not answer (or answered nonsense) and the local
 * cache must be asked.
 */
static int
remote_get(const struct wcache_key *k, double now, struct wcache_entry **e)
{
	char		 key[sizeof(struct wcache_key) + 32];
	const char	*argv[2] = { "GET", key };
	size_t		 lens[2] = { 3, 0 };
	redisReply	*r;

	*e = NULL;
	if ((lens[1] = remote_key(k, key, sizeof(key))) == 0 ||
	    (r = store_cmd(2, argv, lens)) == NULL)
		return -1;
	if (r->type == REDIS_REPLY_NIL) {
		freeReplyObject(r);
		return 0;
	}
	if (r->type != REDIS_REPLY_STRING || (*e = wcache_decode(k, r->str,
	    r->len, now, store_wall_ms())) == NULL) {
		store_bad_reply(r);
		return -1;
	}
	freeReplyObject(r);
	return 0;
}

int
wcache_put_parsed(struct wcache *c, const struct wcache_key *k,
    const char *command, const char *out, size_t len, const char *parsed,
    size_t plen, uint32_t runtime_ms, time_t performed_at, unsigned int ttl,
    double now)
{
	struct wcache_entry	*e, *old;
	size_t			 size;

	if (c->off || ttl == 0 || len > c->entry_max || (parsed != NULL &&
	    plen > c->entry_max - len))
		return -1;
	if ((e = entry_new(k, command, out, len)) == NULL)
		return -1;
	if (entry_parsed(e, parsed, plen) == -1 ||
	    entry_size(e) > c->entry_max) {
		entry_free(e);
		return -1;
	}
	entry_json(e);
	size = entry_cost(e);
	e->runtime_ms = runtime_ms;
	e->performed_at = performed_at;
	e->stored = now;
	e->expires = now + ttl;
	e->refs = 1;
	if (store_active())
		remote_put(e, ttl);
	pthread_mutex_lock(&c->lock);
	cache_sweep(c, now);
	if ((old = cache_find(c, k)) != NULL)
		cache_remove(c, old);
	while (c->tail != NULL && (c->entries >= c->max_entries ||
	    c->bytes + size > c->max_bytes))
		cache_remove(c, c->tail);
	e->hnext = c->hash[key_hash(k) & c->hmask];
	c->hash[key_hash(k) & c->hmask] = e;
	lru_push(c, e);
	c->entries++;
	c->bytes += size;
	pthread_mutex_unlock(&c->lock);
	return 0;
}

/*
 * Returns a referenced entry, or NULL on a miss.  Expired entries are
 * dropped on the way.
 */
struct wcache_entry *
wcache_get(struct wcache *c, const struct wcache_key *k, double now)
{
	struct wcache_entry	*e;

	if (store_active() && remote_get(k, now, &e) == 0)
		return e;
	pthread_mutex_lock(&c->lock);
	cache_sweep(c, now);
	if ((e = cache_find(c, k)) != NULL) {
		if (now >= e->expires) {
			cache_remove(c, e);
			e = NULL;
		} else {
			e->refs++;
			lru_unlink(c, e);
			lru_push(c, e);
		}
	}
	pthread_mutex_unlock(&c->lock);
	return e;
}

void
wcache_release(struct wcache *c, struct wcache_entry *e)
{
	int	 last;

	if (e == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	last = --e->refs == 0;
	pthread_mutex_unlock(&c->lock);
	if (last)
		entry_free(e);
}
