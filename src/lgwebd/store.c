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
 * The shared store of several fronts (web.store, DESIGN.md section 17):
 * a Redis or Valkey server reached with hiredis.  This file owns the
 * connections and the store's health; cache.c, ratelimit.c and
 * store_results.c each keep their own state in it through store_cmd and
 * store_eval, and keep their in-process state as the fallback.
 *
 * Every libmicrohttpd thread has its own blocking connection (a thread
 * key), with the connect and command timeouts of web.store_timeout_ms,
 * so a slow or dead server costs a request at most that, once: the
 * first failure marks the store down, logs it once, and from then on
 * every operation answers NULL at once (counted in
 * lg_store_fallback_total) and its caller uses the local state.  The
 * monitor thread alone then tries the server again, with a backoff from
 * STORE_BACKOFF_MIN to STORE_BACKOFF_MAX; when a PING answers it logs
 * once that the store is back and bumps the generation, which makes
 * each thread open a fresh connection on its next operation.
 *
 * The password (web.store_password_file) is read at start, before the
 * sandbox, and never logged.
 */

#include <sys/types.h>
#include <sys/time.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hiredis/hiredis.h>
#include <nettle/sha1.h>

#include "lg.h"
#include "web.h"

#define STORE_BACKOFF_MIN	100	/* ms */
#define STORE_BACKOFF_MAX	5000	/* ms */
#define STORE_PASSWORD_MAX	512

struct store_conn {
	redisContext		*c;
	unsigned int		 gen;
};

static struct {
	pthread_mutex_t		 lock;
	pthread_cond_t		 cond;
	pthread_key_t		 key;
	pthread_t		 monitor;
	int			 configured, started, stop;
	int			 up;		/* atomic */
	unsigned int		 gen;		/* atomic */
	uint64_t		 fallbacks;	/* atomic */
	uint64_t		 errors;	/* atomic */
	uint64_t		 downs;		/* atomic */
	struct lg_store		 addr;
	char			 name[LG_PATH_MAX + 16];	/* for logs */
	char			 password[STORE_PASSWORD_MAX];
} store = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.cond = PTHREAD_COND_INITIALIZER
};

static void
store_conn_free(void *p)
{
	struct store_conn	*sc = p;

	if (sc == NULL)
		return;
	if (sc->c != NULL)
		redisFree(sc->c);
	free(sc);
}

/* A reply that is an error; 0 when it is not. */
static int
store_reply_error(const redisReply *r)
{
	return r == NULL || r->type == REDIS_REPLY_ERROR;
}

/* Sends a command during set-up: 0, or -1 with err. */
static int
store_setup_cmd(redisContext *c, int argc, const char **argv, char *err,
    size_t errlen)
{
	redisReply	*r;
	int		 rv = 0;

	r = redisCommandArgv(c, argc, argv, NULL);
	if (r == NULL)
		snprintf(err, errlen, "%s", c->errstr);
	else if (r->type == REDIS_REPLY_ERROR)
		snprintf(err, errlen, "%s refused: %.80s", argv[0], r->str);
	if (store_reply_error(r))
		rv = -1;
	if (r != NULL)
		freeReplyObject(r);
	return rv;
}

/*
 * A new connection, authenticated and on its database, with both
 * timeouts set; NULL with err (which never holds the password).
 */
static redisContext *
store_connect(char *err, size_t errlen)
{
	struct timeval	 tv;
	redisContext	*c;
	char		 db[16];
	const char	*auth[2] = { "AUTH", store.password };
	const char	*sel[2] = { "SELECT", db };

	tv.tv_sec = store.addr.timeout_ms / 1000;
	tv.tv_usec = (store.addr.timeout_ms % 1000) * 1000;
	if (store.addr.kind == LG_STORE_UNIX)
		c = redisConnectUnixWithTimeout(store.addr.path, tv);
	else
		c = redisConnectWithTimeout(store.addr.host,
		    (int)store.addr.port, tv);
	if (c == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(db, sizeof(db), "%u", store.addr.db);
	if (c->err != 0)
		snprintf(err, errlen, "%s", c->errstr);
	else if (redisSetTimeout(c, tv) != REDIS_OK)
		snprintf(err, errlen, "cannot set the timeout");
	else if ((store.password[0] == '\0' ||
	    store_setup_cmd(c, 2, auth, err, errlen) == 0) &&
	    (store.addr.db == 0 || store_setup_cmd(c, 2, sel, err,
	    errlen) == 0))
		return c;
	redisFree(c);
	return NULL;
}

/* The first failure after the store was up: logged once, monitor woken. */
static void
store_down(const char *why)
{
	pthread_mutex_lock(&store.lock);
	if (__atomic_load_n(&store.up, __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&store.up, 0, __ATOMIC_RELEASE);
		__atomic_add_fetch(&store.downs, 1, __ATOMIC_RELAXED);
		log_warnx("web.store %s: %s; using this front's own state "
		    "until it answers again", store.name, why);
		pthread_cond_signal(&store.cond);
	}
	pthread_mutex_unlock(&store.lock);
}

static void
store_up(void)
{
	pthread_mutex_lock(&store.lock);
	__atomic_add_fetch(&store.gen, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&store.up, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&store.lock);
}

/* Sleeps ms, or less when store_close wakes it: 1 when stopping. */
static int
store_nap(unsigned int ms)
{
	struct timespec	 ts;
	int		 stop;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&store.lock);
	if (!store.stop)
		pthread_cond_timedwait(&store.cond, &store.lock, &ts);
	stop = store.stop;
	pthread_mutex_unlock(&store.lock);
	return stop;
}

/* One attempt: a connection that answers PING.  0, or -1 with err. */
static int
store_probe(char *err, size_t errlen)
{
	redisContext	*c;
	const char	*ping[1] = { "PING" };
	int		 rv;

	if ((c = store_connect(err, errlen)) == NULL)
		return -1;
	rv = store_setup_cmd(c, 1, ping, err, errlen);
	redisFree(c);
	return rv;
}

/* The monitor: waits while the store is up, retries it while down. */
static void *
store_monitor(void *arg)
{
	char		 err[LG_ERRSTR_MAX];
	unsigned int	 backoff = STORE_BACKOFF_MIN;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&store.lock);
		while (!store.stop && __atomic_load_n(&store.up,
		    __ATOMIC_ACQUIRE))
			pthread_cond_wait(&store.cond, &store.lock);
		pthread_mutex_unlock(&store.lock);
		if (store_nap(backoff))
			break;
		if (store_probe(err, sizeof(err)) == 0) {
			store_up();
			log_info("web.store %s: answers again; the fronts "
			    "share their state again", store.name);
			backoff = STORE_BACKOFF_MIN;
		} else if ((backoff *= 2) > STORE_BACKOFF_MAX)
			backoff = STORE_BACKOFF_MAX;
	}
	return NULL;
}

/* The password: the file's first line.  0, or -1 (logged). */
static int
store_password(const char *path)
{
	FILE	*f;
	size_t	 n;

	if (path[0] == '\0')
		return 0;
	if ((f = fopen(path, "re")) == NULL) {
		log_warn("web.store_password_file %s", path);
		return -1;
	}
	if (fgets(store.password, sizeof(store.password), f) == NULL)
		store.password[0] = '\0';
	fclose(f);
	n = strcspn(store.password, "\r\n");
	if (n == 0 || store.password[n] == '\0') {
		explicit_bzero(store.password, sizeof(store.password));
		log_warnx("web.store_password_file %s: expected one line of "
		    "at most %d bytes", path, STORE_PASSWORD_MAX - 2);
		return -1;
	}
	store.password[n] = '\0';
	return 0;
}

/*
 * At start, before the sandbox: the password, and a first attempt (the
 * store may come later: the front starts on its own state).  0, or -1
 * when lgwebd must not start.
 */
int
store_open(const struct lg_config *c)
{
	char	 err[LG_ERRSTR_MAX];

	if (c->web.store.kind == LG_STORE_LOCAL)
		return 0;
	store.addr = c->web.store;
	if (store.addr.kind == LG_STORE_UNIX)
		snprintf(store.name, sizeof(store.name), "unix:%s",
		    store.addr.path);
	else
		snprintf(store.name, sizeof(store.name), "redis://%s%s%s:%u/%u",
		    strchr(store.addr.host, ':') ? "[" : "", store.addr.host,
		    strchr(store.addr.host, ':') ? "]" : "", store.addr.port,
		    store.addr.db);
	if (store_password(c->web.store.password_file) == -1 ||
	    pthread_key_create(&store.key, store_conn_free) != 0)
		return -1;
	store.configured = 1;
	if (store_probe(err, sizeof(err)) == 0) {
		store_up();
		log_info("web.store %s: shared state", store.name);
	} else {
		__atomic_add_fetch(&store.downs, 1, __ATOMIC_RELAXED);
		log_warnx("web.store %s: %s; using this front's own state "
		    "until it answers", store.name, err);
	}
	return 0;
}

/* The monitor thread, once the sandbox holds every thread. */
int
store_start(void)
{
	if (!store.configured)
		return 0;
	if (pthread_create(&store.monitor, NULL, store_monitor, NULL) != 0) {
		log_warnx("web.store: cannot start its thread");
		return -1;
	}
	store.started = 1;
	return 0;
}

void
store_close(void)
{
	if (!store.configured)
		return;
	pthread_mutex_lock(&store.lock);
	store.stop = 1;
	pthread_cond_broadcast(&store.cond);
	pthread_mutex_unlock(&store.lock);
	if (store.started)
		pthread_join(store.monitor, NULL);
	store_conn_free(pthread_getspecific(store.key));
	pthread_setspecific(store.key, NULL);
	pthread_key_delete(store.key);
	explicit_bzero(store.password, sizeof(store.password));
	store.configured = store.started = store.stop = 0;
	__atomic_store_n(&store.up, 0, __ATOMIC_RELEASE);
}

int
store_active(void)
{
	return store.configured;
}

/* 1 while the store answers, 0 while this front uses its own state. */
int
store_answers(void)
{
	return store.configured && __atomic_load_n(&store.up, __ATOMIC_ACQUIRE);
}

/* One operation served by the local state instead. */
void
store_fallback(void)
{
	__atomic_add_fetch(&store.fallbacks, 1, __ATOMIC_RELAXED);
}

/* A reply of the wrong shape: counted, and the caller falls back. */
void
store_bad_reply(redisReply *r)
{
	__atomic_add_fetch(&store.errors, 1, __ATOMIC_RELAXED);
	store_fallback();
	if (r != NULL)
		freeReplyObject(r);
}

/* The calling thread's connection, made when needed; NULL: down. */
static struct store_conn *
store_conn(void)
{
	struct store_conn	*sc;
	unsigned int		 gen;
	char			 err[LG_ERRSTR_MAX];

	if (!store.configured || !__atomic_load_n(&store.up, __ATOMIC_ACQUIRE))
		return NULL;
	gen = __atomic_load_n(&store.gen, __ATOMIC_ACQUIRE);
	if ((sc = pthread_getspecific(store.key)) == NULL) {
		if ((sc = calloc(1, sizeof(*sc))) == NULL)
			return NULL;
		if (pthread_setspecific(store.key, sc) != 0) {
			free(sc);
			return NULL;
		}
	}
	if (sc->c != NULL && sc->gen != gen) {
		redisFree(sc->c);
		sc->c = NULL;
	}
	if (sc->c == NULL) {
		if ((sc->c = store_connect(err, sizeof(err))) == NULL) {
			store_down(err);
			return NULL;
		}
		sc->gen = gen;
	}
	return sc;
}

/*
 * One command, argv as binary-safe strings (lens NULL: NUL-terminated).
 * Returns the reply, an error reply included, for the caller to free;
 * NULL when the store is down or the command failed (timeout, I/O):
 * that is counted as a fallback, and the caller uses its local state.
 */
redisReply *
store_cmd(int argc, const char **argv, const size_t *lens)
{
	struct store_conn	*sc;
	redisReply		*r;

	if ((sc = store_conn()) == NULL) {
		store_fallback();
		return NULL;
	}
	if ((r = redisCommandArgv(sc->c, argc, argv, lens)) == NULL) {
		store_down(sc->c->errstr[0] ? sc->c->errstr : "no answer");
		redisFree(sc->c);
		sc->c = NULL;
		store_fallback();
	}
	return r;
}

/* The SHA-1 of a script, in hex, as EVALSHA names it. */
void
store_script_init(struct store_script *s)
{
	struct sha1_ctx	 ctx;
	uint8_t		 d[SHA1_DIGEST_SIZE];
	size_t		 i;

	sha1_init(&ctx);
	sha1_update(&ctx, strlen(s->src), (const uint8_t *)s->src);
	sha1_digest(&ctx, sizeof(d), d);
	for (i = 0; i < sizeof(d); i++)
		snprintf(s->sha + 2 * i, 3, "%02x", d[i]);
}

/*
 * Runs a Lua script with argc arguments (KEYS first, nkeys of them):
 * EVALSHA, and EVAL when the server does not know the script yet (a new
 * or restarted server), which also loads it.  Returns as store_cmd.
 */
redisReply *
store_eval(struct store_script *s, int nkeys, int argc, const char **argv,
    const size_t *lens)
{
	const char	*v[STORE_ARGS_MAX + 3];
	size_t		 l[STORE_ARGS_MAX + 3];
	char		 nk[12];
	redisReply	*r;
	int		 i;

	if (argc > STORE_ARGS_MAX) {
		store_bad_reply(NULL);
		return NULL;
	}
	if (!__atomic_load_n(&s->ready, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&store.lock);
		if (!s->ready) {
			store_script_init(s);
			__atomic_store_n(&s->ready, 1, __ATOMIC_RELEASE);
		}
		pthread_mutex_unlock(&store.lock);
	}
	snprintf(nk, sizeof(nk), "%d", nkeys);
	v[0] = "EVALSHA";
	v[1] = s->sha;
	v[2] = nk;
	for (i = 0; i < 3; i++)
		l[i] = strlen(v[i]);
	for (i = 0; i < argc; i++) {
		v[i + 3] = argv[i];
		l[i + 3] = lens != NULL ? lens[i] : strlen(argv[i]);
	}
	if ((r = store_cmd(argc + 3, v, l)) == NULL ||
	    r->type != REDIS_REPLY_ERROR || strncmp(r->str, "NOSCRIPT", 8) != 0)
		return r;
	freeReplyObject(r);
	v[0] = "EVAL";
	v[1] = s->src;
	l[0] = 4;
	l[1] = strlen(s->src);
	return store_cmd(argc + 3, v, l);
}

/* /metrics: the store's health. */
void
store_metrics(struct lg_buf *b)
{
	if (!store.configured)
		return;
	buf_printf(b, "# HELP lg_store_up Whether web.store answers.\n"
	    "# TYPE lg_store_up gauge\nlg_store_up %d\n"
	    "# HELP lg_store_down_total Times web.store stopped answering.\n"
	    "# TYPE lg_store_down_total counter\nlg_store_down_total %llu\n"
	    "# HELP lg_store_fallback_total Operations served from this "
	    "front's own state because web.store did not answer.\n"
	    "# TYPE lg_store_fallback_total counter\n"
	    "lg_store_fallback_total %llu\n"
	    "# HELP lg_store_errors_total Replies of web.store that made no "
	    "sense.\n# TYPE lg_store_errors_total counter\n"
	    "lg_store_errors_total %llu\n",
	    __atomic_load_n(&store.up, __ATOMIC_ACQUIRE),
	    (unsigned long long)__atomic_load_n(&store.downs,
	    __ATOMIC_RELAXED),
	    (unsigned long long)__atomic_load_n(&store.fallbacks,
	    __ATOMIC_RELAXED),
	    (unsigned long long)__atomic_load_n(&store.errors,
	    __ATOMIC_RELAXED));
}

/* The wall clock in ms: what fronts on several machines agree on. */
int64_t
store_wall_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
