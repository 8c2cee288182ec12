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
 * Token buckets per client address and query type (web.rate), and the
 * rule that says who the client is.  IPv6 clients are aggregated per /64,
 * since one host usually owns a whole /64.  The table is bounded: when it
 * is full the least recently seen client is forgotten, which only ever
 * errs towards letting a request through; a client with queries in
 * flight is never forgotten, since it holds a count of them
 * (ratelimit_enter/leave, capped by web.max_inflight_client, so one
 * client cannot fill web.max_inflight and make others busy).  Every type
 * has a rate: an absent one took its query type's default (query.c) at
 * load, and only "0" means unlimited.  Each client also has the soft
 * bucket of web.challenge (all types together; past it a proof of work
 * is asked, api.c) and the issue time of the latest challenge it spent,
 * so that a solved challenge buys one request.  One mutex guards the table;
 * the critical section is a hash lookup and a few floating-point
 * operations.  The clock is a parameter, so tests drive it.
 *
 * With web.store set, the buckets (rate and soft) and the spent
 * challenges live in the shared store instead, so that a client gets its
 * limit once across every front, not once per front: each take is one
 * Lua script (rl_bucket_lua, the same bucket as rl_bucket, on the
 * store's clock), atomic in the server.  When the store does not answer,
 * the local table serves as before.  Queries in flight stay counted per
 * front: they guard this front's own capacity.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hiredis/hiredis.h>

#include "lg.h"
#include "web.h"

#define RL_SPENT_TTL	"7200"	/* s, past web.challenge.ttl's maximum */
#define RL_KEY_LEN	9	/* family byte, then 4 or 8 address bytes */

struct rl_client {
	uint8_t			 key[RL_KEY_LEN];
	double			 tokens[Q_COUNT];	/* < 0: untouched */
	double			 last[Q_COUNT];
	unsigned int		 inflight;	/* router queries running */
	double			 soft, soft_last;	/* web.challenge.soft */
	uint64_t		 spent;		/* latest challenge spent */
	struct rl_client	*hnext;
	struct rl_client	*prev, *next;	/* LRU, most recent first */
};

struct ratelimit {
	pthread_mutex_t		 lock;
	struct lg_rate		 rates[Q_COUNT];
	struct lg_rate		 soft;		/* tokens 0: none */
	struct rl_client	*pool;
	size_t			 max, used;
	struct rl_client	**hash;
	size_t			 hmask;
	struct rl_client	*head, *tail;
};

struct ratelimit *
ratelimit_new(const struct lg_rate *rates, size_t max)
{
	struct ratelimit	*rl;
	size_t			 n;

	if (max == 0)
		max = 1;
	if ((rl = calloc(1, sizeof(*rl))) == NULL)
		return NULL;
	for (n = 1; n < max * 2; n <<= 1)
		;
	rl->pool = calloc(max, sizeof(*rl->pool));
	rl->hash = calloc(n, sizeof(*rl->hash));
	if (rl->pool == NULL || rl->hash == NULL) {
		ratelimit_free(rl);
		return NULL;
	}
	memcpy(rl->rates, rates, sizeof(rl->rates));
	rl->max = max;
	rl->hmask = n - 1;
	pthread_mutex_init(&rl->lock, NULL);
	return rl;
}

void
ratelimit_free(struct ratelimit *rl)
{
	if (rl == NULL)
		return;
	if (rl->hash != NULL && rl->pool != NULL)
		pthread_mutex_destroy(&rl->lock);
	free(rl->pool);
	free(rl->hash);
	free(rl);
}

/* New rates (a reload); buckets keep their tokens, capped by the new size. */
void
ratelimit_set_rates(struct ratelimit *rl, const struct lg_rate *rates)
{
	pthread_mutex_lock(&rl->lock);
	memcpy(rl->rates, rates, sizeof(rl->rates));
	pthread_mutex_unlock(&rl->lock);
}

size_t
ratelimit_size(struct ratelimit *rl)
{
	size_t	 n;

	pthread_mutex_lock(&rl->lock);
	n = rl->used;
	pthread_mutex_unlock(&rl->lock);
	return n;
}

static void
rl_key(const struct web_client *c, uint8_t *key)
{
	memset(key, 0, RL_KEY_LEN);
	key[0] = (uint8_t)c->family;
	memcpy(key + 1, c->addr, c->family == AFI_IPV6 ? 8 : 4);
}

static size_t
rl_hash(const uint8_t *key)
{
	uint32_t	 h = 2166136261U;
	size_t		 i;

	for (i = 0; i < RL_KEY_LEN; i++)
		h = (h ^ key[i]) * 16777619U;
	return h;
}

static void
rl_unlink(struct ratelimit *rl, struct rl_client *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		rl->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	else
		rl->tail = c->prev;
	c->prev = c->next = NULL;
}

static void
rl_push(struct ratelimit *rl, struct rl_client *c)
{
	c->prev = NULL;
	c->next = rl->head;
	if (rl->head != NULL)
		rl->head->prev = c;
	rl->head = c;
	if (rl->tail == NULL)
		rl->tail = c;
}

static void
rl_unhash(struct ratelimit *rl, struct rl_client *c)
{
	struct rl_client	**pp;

	for (pp = &rl->hash[rl_hash(c->key) & rl->hmask]; *pp != NULL;
	    pp = &(*pp)->hnext)
		if (*pp == c) {
			*pp = c->hnext;
			return;
		}
}

/* Finds a client or makes room for it, evicting the least recent. */
static struct rl_client *
rl_find(struct ratelimit *rl, const uint8_t *key)
{
	struct rl_client	*c;
	size_t			 h = rl_hash(key) & rl->hmask, i;

	for (c = rl->hash[h]; c != NULL; c = c->hnext)
		if (memcmp(c->key, key, RL_KEY_LEN) == 0) {
			rl_unlink(rl, c);
			rl_push(rl, c);
			return c;
		}
	if (rl->used < rl->max)
		c = &rl->pool[rl->used++];
	else {
		for (c = rl->tail; c != NULL && c->inflight > 0; c = c->prev)
			;
		if (c == NULL)
			return NULL;	/* every client has queries running */
		rl_unlink(rl, c);
		rl_unhash(rl, c);
	}
	c->inflight = 0;
	c->soft = -1;
	c->spent = 0;
	memcpy(c->key, key, RL_KEY_LEN);
	for (i = 0; i < Q_COUNT; i++)
		c->tokens[i] = -1;
	c->hnext = rl->hash[h];
	rl->hash[h] = c;
	rl_push(rl, c);
	return c;
}

/*
 * A bucket holds up to rate.tokens tokens and refills continuously at
 * rate.tokens per rate.period seconds (at least 1: config_rate_parse).  Taking n tokens either succeeds
 * whole or takes nothing and says how long until it would succeed.
 */
static unsigned int
rl_bucket(const struct lg_rate *r, double *tokens, double *last,
    unsigned int n, double now)
{
	double		 cap = r->tokens, per = r->period, w;
	unsigned int	 wait;

	if (*tokens < 0) {
		*tokens = cap;
		*last = now;
	}
	if (now > *last) {
		*tokens += (now - *last) * cap / per;
		if (*tokens > cap)
			*tokens = cap;
		*last = now;
	}
	if (*tokens >= n) {
		*tokens -= n;
		return 0;
	}
	if (n > cap)
		return r->period;
	/* Rounded up: a client told to wait must then succeed. */
	w = (n - *tokens) * per / cap;
	wait = (unsigned int)w;
	if ((double)wait < w)
		wait++;
	return wait < 1 ? 1 : wait;
}


/*
 * rl_bucket in Lua, run by the store: KEYS[1] the bucket, ARGV the
 * capacity, the period (s) and the tokens to take; the answer is the
 * seconds to wait, 0 when taken.  The clock is the server's (TIME), one
 * for every front; a bucket left alone long enough to be full again is
 * forgotten.
 */
static struct store_script rl_bucket_lua = { .src =
    "if redis.replicate_commands then redis.replicate_commands() end\n"
    "local cap, per, n = tonumber(ARGV[1]), tonumber(ARGV[2]), "
    "tonumber(ARGV[3])\n"
    "local t = redis.call('TIME')\n"
    "local now = tonumber(t[1]) + tonumber(t[2]) / 1000000\n"
    "local s = redis.call('HMGET', KEYS[1], 't', 'l')\n"
    "local tokens, last = tonumber(s[1]), tonumber(s[2])\n"
    "if tokens == nil or last == nil then tokens = cap last = now end\n"
    "if now > last then\n"
    "  tokens = math.min(cap, tokens + (now - last) * cap / per)\n"
    "  last = now\n"
    "end\n"
    "local wait = 0\n"
    "if tokens >= n then tokens = tokens - n\n"
    "elseif n > cap then wait = per\n"
    "else wait = math.max(1, math.ceil((n - tokens) * per / cap)) end\n"
    "redis.call('HSET', KEYS[1], 't', string.format('%.17g', tokens), "
    "'l', string.format('%.17g', last))\n"
    "redis.call('EXPIRE', KEYS[1], math.ceil(per) + 1)\n"
    "return wait\n"
};

/*
 * A challenge spent: KEYS[1] the client's latest, ARGV its issue time
 * and how long to remember it; 1 when spent now, 0 when one issued as
 * late or later was spent already (on any front).
 */
static struct store_script rl_spend_lua = { .src =
    "local spent = tonumber(redis.call('GET', KEYS[1]) or '0')\n"
    "if tonumber(ARGV[1]) <= spent then return 0 end\n"
    "redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])\n"
    "return 1\n"
};

/* The store's key for what of the client: "lg:<what>:<bucket>". */
static void
rl_remote_key(const struct web_client *client, const char *what,
    char *out, size_t len)
{
	char	 b[WEB_BUCKET_MAX];

	ratelimit_bucket(client, b, sizeof(b));
	snprintf(out, len, "lg:%s:%s", what, b);
}

/*
 * Takes n tokens from a bucket in the store: the seconds to wait (0:
 * taken), or -1 when the store did not answer and the local bucket must
 * serve.
 */
static int
rl_remote_take(const struct lg_rate *r, const char *key, unsigned int n)
{
	char		 cap[16], per[16], nn[16];
	const char	*argv[4] = { key, cap, per, nn };
	redisReply	*rep;
	int		 wait;

	snprintf(cap, sizeof(cap), "%u", r->tokens);
	snprintf(per, sizeof(per), "%u", r->period);
	snprintf(nn, sizeof(nn), "%u", n);
	if ((rep = store_eval(&rl_bucket_lua, 1, 4, argv, NULL)) == NULL)
		return -1;
	if (rep->type != REDIS_REPLY_INTEGER || rep->integer < 0 ||
	    rep->integer > UINT32_MAX) {
		store_bad_reply(rep);
		return -1;
	}
	wait = (int)rep->integer;
	freeReplyObject(rep);
	return wait;
}

unsigned int
ratelimit_take(struct ratelimit *rl, const struct web_client *client,
    enum lg_query_type q, unsigned int n, double now)
{
	struct rl_client	*c;
	uint8_t			 key[RL_KEY_LEN];
	unsigned int		 wait;

	struct lg_rate		 rate;
	char			 rkey[48], what[16];
	int			 rv;

	if ((unsigned int)q >= Q_COUNT || n == 0)
		return 0;
	pthread_mutex_lock(&rl->lock);
	rate = rl->rates[q];
	pthread_mutex_unlock(&rl->lock);
	if (rate.tokens == 0)
		return 0;
	if (store_active()) {
		snprintf(what, sizeof(what), "rl:%u", (unsigned int)q);
		rl_remote_key(client, what, rkey, sizeof(rkey));
		if ((rv = rl_remote_take(&rate, rkey, n)) >= 0)
			return (unsigned int)rv;
	}
	rl_key(client, key);
	pthread_mutex_lock(&rl->lock);
	if ((c = rl_find(rl, key)) == NULL)
		wait = 1;
	else
		wait = rl_bucket(&rl->rates[q], &c->tokens[q], &c->last[q], n,
		    now);
	pthread_mutex_unlock(&rl->lock);
	return wait;
}

void
ratelimit_set_soft(struct ratelimit *rl, const struct lg_rate *soft)
{
	pthread_mutex_lock(&rl->lock);
	rl->soft = *soft;
	pthread_mutex_unlock(&rl->lock);
}

/*
 * The soft limit of web.challenge: one bucket per client for every query
 * type together.  Past it the client is asked for a proof of work, so a
 * table too full to track it errs towards asking.
 */
int
ratelimit_soft(struct ratelimit *rl, const struct web_client *client,
    unsigned int n, double now)
{
	struct rl_client	*c;
	uint8_t			 key[RL_KEY_LEN];
	int			 past = 1;

	struct lg_rate		 soft;
	char			 rkey[48];
	int			 rv;

	if (n == 0)
		return 0;
	pthread_mutex_lock(&rl->lock);
	soft = rl->soft;
	pthread_mutex_unlock(&rl->lock);
	if (soft.tokens == 0)
		return 0;
	if (store_active()) {
		rl_remote_key(client, "soft", rkey, sizeof(rkey));
		if ((rv = rl_remote_take(&soft, rkey, n)) >= 0)
			return rv > 0;
	}
	rl_key(client, key);
	pthread_mutex_lock(&rl->lock);
	if (rl->soft.tokens == 0)
		past = 0;
	else if ((c = rl_find(rl, key)) != NULL)
		past = rl_bucket(&rl->soft, &c->soft, &c->soft_last, n,
		    now) > 0;
	pthread_mutex_unlock(&rl->lock);
	return past;
}

/*
 * A challenge spent in the store: 0, -1 when it was spent already, or -2
 * when the store did not answer.
 */
static int
rl_remote_spend(const struct web_client *client, uint64_t issued)
{
	char		 key[48], is[24];
	const char	*argv[3] = { key, is, RL_SPENT_TTL };
	redisReply	*rep;
	int		 rv;

	rl_remote_key(client, "spent", key, sizeof(key));
	snprintf(is, sizeof(is), "%llu", (unsigned long long)issued);
	if ((rep = store_eval(&rl_spend_lua, 1, 3, argv, NULL)) == NULL)
		return -2;
	if (rep->type != REDIS_REPLY_INTEGER) {
		store_bad_reply(rep);
		return -2;
	}
	rv = rep->integer == 1 ? 0 : -1;
	freeReplyObject(rep);
	return rv;
}

/*
 * Marks the challenge issued at issued as spent by the client.  Issue
 * times only grow (challenge.c), so one number per client is enough to
 * refuse a second use: 0, or -1 when a challenge issued as late or later
 * was already spent.
 */
int
ratelimit_spend(struct ratelimit *rl, const struct web_client *client,
    uint64_t issued)
{
	struct rl_client	*c;
	uint8_t			 key[RL_KEY_LEN];
	int			 rv = -1;

	if (store_active() && (rv = rl_remote_spend(client, issued)) != -2)
		return rv;
	rv = -1;
	rl_key(client, key);
	pthread_mutex_lock(&rl->lock);
	if ((c = rl_find(rl, key)) != NULL && issued > c->spent) {
		c->spent = issued;
		rv = 0;
	}
	pthread_mutex_unlock(&rl->lock);
	return rv;
}

/* The client's bucket as text, as challenge tokens carry it. */
void
ratelimit_bucket(const struct web_client *client, char *out, size_t len)
{
	uint8_t		 key[RL_KEY_LEN];
	size_t		 i, n = client->family == AFI_IPV6 ? 8 : 4;

	rl_key(client, key);
	if (len < 2 + 2 * n) {
		if (len > 0)
			out[0] = '\0';
		return;
	}
	out[0] = client->family == AFI_IPV6 ? '6' : '4';
	for (i = 0; i < n; i++)
		snprintf(out + 1 + 2 * i, 3, "%02x", key[1 + i]);
}

/*
 * Counts n more router queries in flight for the client: 0, or -1 (and
 * nothing counted) when that would pass max.
 */
int
ratelimit_enter(struct ratelimit *rl, const struct web_client *client,
    unsigned int n, unsigned int max)
{
	struct rl_client	*c;
	uint8_t			 key[RL_KEY_LEN];
	int			 rv = -1;

	rl_key(client, key);
	pthread_mutex_lock(&rl->lock);
	if ((c = rl_find(rl, key)) != NULL && n <= max &&
	    c->inflight <= max - n) {
		c->inflight += n;
		rv = 0;
	}
	pthread_mutex_unlock(&rl->lock);
	return rv;
}

/* The client's n queries ended (n as counted by ratelimit_enter). */
void
ratelimit_leave(struct ratelimit *rl, const struct web_client *client,
    unsigned int n)
{
	struct rl_client	*c;
	uint8_t			 key[RL_KEY_LEN];

	if (n == 0)
		return;
	rl_key(client, key);
	pthread_mutex_lock(&rl->lock);
	if ((c = rl_find(rl, key)) != NULL)
		c->inflight = c->inflight > n ? c->inflight - n : 0;
	pthread_mutex_unlock(&rl->lock);
}

unsigned int
ratelimit_inflight(struct ratelimit *rl, const struct web_client *client)
{
	struct rl_client	*c;
	uint8_t			 key[RL_KEY_LEN];
	unsigned int		 n = 0;

	rl_key(client, key);
	pthread_mutex_lock(&rl->lock);
	if ((c = rl_find(rl, key)) != NULL)
		n = c->inflight;
	pthread_mutex_unlock(&rl->lock);
	return n;
}

static int
rl_trusted(const struct web_client *c, const struct lg_prefix *t, size_t nt)
{
	size_t	 i;

	for (i = 0; i < nt; i++)
		if (prefix_contains(&t[i], c->family, c->addr))
			return 1;
	return 0;
}

/*
 * An IPv4-mapped IPv6 address (::ffff:0:0/96) is its IPv4 address, so
 * that one client has one bucket however its address is written.
 */
static void
rl_fold(struct web_client *c)
{
	static const uint8_t	 mapped[12] = { [10] = 0xff, 0xff };

	if (c->family != AFI_IPV6 || memcmp(c->addr, mapped, 12) != 0)
		return;
	c->family = AFI_IPV4;
	memmove(c->addr, c->addr + 12, 4);
	memset(c->addr + 4, 0, sizeof(c->addr) - 4);
}

static int
rl_parse(const char *s, size_t len, struct web_client *c)
{
	char	 tmp[INET6_ADDRSTRLEN + 2];

	while (len > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	memset(c->addr, 0, sizeof(c->addr));
	if (inet_pton(AF_INET, tmp, c->addr) == 1)
		c->family = AFI_IPV4;
	else if (inet_pton(AF_INET6, tmp, c->addr) == 1) {
		c->family = AFI_IPV6;
		rl_fold(c);
	} else
		return -1;
	return 0;
}

static int
rl_peer(const struct sockaddr *sa, struct web_client *c)
{
	const struct sockaddr_in6	*s6;

	memset(c, 0, sizeof(*c));
	if (sa->sa_family == AF_INET) {
		c->family = AFI_IPV4;
		memcpy(c->addr,
		    &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		return 0;
	}
	if (sa->sa_family != AF_INET6)
		return -1;
	s6 = (const struct sockaddr_in6 *)(const void *)sa;
	c->family = AFI_IPV6;
	memcpy(c->addr, s6->sin6_addr.s6_addr, 16);
	rl_fold(c);
	return 0;
}

/*
 * X-Forwarded-For is believed only from a trusted proxy, and then only as
 * far as the chain of trusted proxies goes: walking from the right, the
 * first address that is not a trusted proxy is the client.  IPv4-mapped
 * hops are folded to IPv4 as peers are.  Returns 0, or -1 when the peer
 * is not an IP address or a hop the walk reaches is not one: charging
 * such a request to the proxy's own address would let one client spend
 * everybody's bucket, so it is refused.
 */
int
ratelimit_client(const struct sockaddr *peer, const char *xff,
    const struct lg_prefix *trusted, size_t ntrusted, struct web_client *c)
{
	struct web_client	 hop;
	const char		*end, *comma;

	if (rl_peer(peer, c) == -1)
		return -1;
	if (xff != NULL && rl_trusted(c, trusted, ntrusted)) {
		end = xff + strlen(xff);
		while (end > xff) {
			for (comma = end; comma > xff && comma[-1] != ',';
			    comma--)
				;
			if (rl_parse(comma, (size_t)(end - comma), &hop) == -1)
				return -1;
			*c = hop;
			if (!rl_trusted(c, trusted, ntrusted))
				break;
			end = comma > xff ? comma - 1 : xff;
		}
	}
	inet_ntop(c->family == AFI_IPV4 ? AF_INET : AF_INET6, c->addr,
	    c->text, sizeof(c->text));
	return 0;
}
