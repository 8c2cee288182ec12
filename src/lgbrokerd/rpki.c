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
 * RPKI origin validation (DESIGN.md section 13): VRPs from the operator's
 * RTR caches (rpki.caches, most preferred first) through RTRlib's
 * connection manager, one group per cache, so that a lost cache fails
 * over to the next and the preferred one is taken back when it returns.
 *
 * Threads: RTRlib runs one thread per connected cache, which fills its
 * prefix table (with its own lock) and calls rpki_status_cb and
 * rpki_update_cb.  Those touch only this file's counters and the copy of
 * each cache's state, under rk.mtx (counters are atomics).  The loop
 * thread validates against the table (rpki_validate, through the facts
 * hook of lg_parse.h) and reads the state for STATUS and RPKI.  The
 * manager starts after the sandbox is entered, so its threads inherit
 * the seccomp filter and the Landlock domain.
 *
 * A reload with other caches or intervals starts a new manager: the VRPs
 * are fetched again (rpki answers unknown until they are).
 */

#include <arpa/inet.h>

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rtrlib/rtrlib.h>

#include "lg.h"
#include "broker.h"

struct rpki_cache {
	char			 name[LG_RPKI_CACHE_MAX];	/* as configured */
	char			 host[LG_RPKI_CACHE_MAX];
	char			 port[8];
	struct tr_tcp_config	 tcp;
	struct tr_socket	 tr;
	struct rtr_socket	 rtr;
	struct rtr_socket	*sockp;		/* the group's array */
	/* Under rk.mtx, written by RTRlib's threads. */
	enum lg_rpki_cache_state state;
	uint32_t		 serial;
	uint32_t		 session_id;
	uint64_t		 last_update;	/* wall clock */
	time_t			 mono_update;	/* RTRlib's, monotonic */
	uint64_t		 down_since;
	char			 last_error[LG_ERRSTR_MAX];
};

static struct {
	struct rtr_mgr_config	*mgr;
	struct rtr_mgr_group	*groups;
	struct rpki_cache	*caches;
	size_t			 n;
	unsigned int		 refresh, retry, expire;
	pthread_mutex_t		 mtx;
	uint32_t		 vrps4, vrps6;	/* atomics */
	struct pfx_table	*table;		/* rpki_use_table */
	/*
	 * The facts thread validates (facts_worker.c) while the loop may
	 * replace the manager (a reload): mgr and table change under the
	 * write lock, rpki_validate reads them under the read lock.
	 */
	pthread_rwlock_t	 lock;
} rk = { .mtx = PTHREAD_MUTEX_INITIALIZER,
	.lock = PTHREAD_RWLOCK_INITIALIZER };

/* RTRlib's socket states as the status shows them. */
static const enum lg_rpki_cache_state rpki_states[] = {
	[RTR_CONNECTING] = RPKI_CACHE_CONNECTING,
	[RTR_ESTABLISHED] = RPKI_CACHE_UP,
	[RTR_RESET] = RPKI_CACHE_SYNCING,
	[RTR_SYNC] = RPKI_CACHE_SYNCING,
	[RTR_FAST_RECONNECT] = RPKI_CACHE_CONNECTING,
	[RTR_ERROR_NO_DATA_AVAIL] = RPKI_CACHE_DOWN,
	[RTR_ERROR_NO_INCR_UPDATE_AVAIL] = RPKI_CACHE_SYNCING,
	[RTR_ERROR_FATAL] = RPKI_CACHE_DOWN,
	[RTR_ERROR_TRANSPORT] = RPKI_CACHE_DOWN,
	[RTR_SHUTDOWN] = RPKI_CACHE_STANDBY,
	[RTR_CLOSED] = RPKI_CACHE_STANDBY,
};

static struct rpki_cache *
rpki_cache_of(const struct rtr_socket *s)
{
	size_t	 i;

	for (i = 0; i < rk.n; i++)
		if (&rk.caches[i].rtr == s)
			return &rk.caches[i];
	return NULL;
}

/*
 * The state the status shows for a cache whose RTR socket maps to st:
 * lost says it went down and has not been reached since, had_data that
 * RTRlib held its VRPs, last_update is RTRlib's time of them.  A lost
 * cache stays "down" through its reconnect tries, and becomes "expired"
 * once RTRlib has dropped its VRPs: it does so on a reconnect try past
 * the expire interval, and forgets the time of its data then
 * (last_update 0), which is how this tells.
 */
enum lg_rpki_cache_state
rpki_shown_state(enum lg_rpki_cache_state st, int lost, int had_data,
    time_t last_update)
{
	if (st == RPKI_CACHE_CONNECTING && lost)
		st = RPKI_CACHE_DOWN;
	if (st == RPKI_CACHE_DOWN && had_data && last_update == 0)
		st = RPKI_CACHE_EXPIRED;
	return st;
}

/*
 * Copies what the status shows from a cache's RTR socket.  rk.mtx held.
 * RTRlib's thread writes the socket's fields; they are plain integers,
 * read here as its own rtr_mgr_conf_in_sync reads them.  A cache put on
 * standby loses its VRPs (rtr_stop), but they did not expire.
 */
static void
rpki_observe(struct rpki_cache *c)
{
	const struct rtr_socket	*s = &c->rtr;
	enum rtr_socket_state	 rs = s->state;
	enum lg_rpki_cache_state st;

	st = (unsigned int)rs < sizeof(rpki_states) / sizeof(rpki_states[0]) ?
	    rpki_states[rs] : RPKI_CACHE_DOWN;
	if (st == RPKI_CACHE_DOWN && c->down_since == 0) {
		c->down_since = (uint64_t)time(NULL);
		snprintf(c->last_error, sizeof(c->last_error), "%s",
		    rtr_state_to_str(rs));
	} else if (st == RPKI_CACHE_UP || st == RPKI_CACHE_SYNCING ||
	    st == RPKI_CACHE_STANDBY)
		c->down_since = 0;
	if (st == RPKI_CACHE_STANDBY)
		c->mono_update = 0;
	c->state = rpki_shown_state(st, c->down_since != 0,
	    c->mono_update != 0, s->last_update);
	/* RTRlib stamps its data with a monotonic clock. */
	if (s->last_update > 0 && s->last_update != c->mono_update) {
		c->mono_update = s->last_update;
		c->last_update = (uint64_t)time(NULL);
	}
	if (s->last_update > 0) {
		c->serial = s->serial_number;
		c->session_id = s->session_id;
	}
}

/* RTRlib thread: a socket changed state. */
static void
rpki_status_cb(const struct rtr_mgr_group *g, enum rtr_mgr_status gs,
    const struct rtr_socket *s, void *arg)
{
	struct rpki_cache	*c;

	(void)g;
	(void)gs;
	(void)arg;
	pthread_mutex_lock(&rk.mtx);
	if (s != NULL && (c = rpki_cache_of(s)) != NULL)
		rpki_observe(c);
	pthread_mutex_unlock(&rk.mtx);
}

/* RTRlib thread: a VRP was added to the table or removed from it. */
static void
rpki_update_cb(struct pfx_table *t, const struct pfx_record r, const bool add)
{
	uint32_t	*n;

	(void)t;
	n = r.prefix.ver == LRTR_IPV4 ? &rk.vrps4 : &rk.vrps6;
	if (add)
		__atomic_add_fetch(n, 1, __ATOMIC_RELAXED);
	else
		__atomic_sub_fetch(n, 1, __ATOMIC_RELAXED);
}

/* "host:port" or "[v6]:port" (checked by config_facts.c) into c. */
static int
rpki_cache_split(struct rpki_cache *c, const char *v)
{
	const char	*colon = strrchr(v, ':');
	size_t		 hl;

	if (colon == NULL || lg_strlcpy(c->name, v, sizeof(c->name)) >=
	    sizeof(c->name))
		return -1;
	hl = (size_t)(colon - v);
	if (v[0] == '[') {
		v++;
		hl -= 2;
	}
	if (hl >= sizeof(c->host) || lg_strlcpy(c->port, colon + 1,
	    sizeof(c->port)) >= sizeof(c->port))
		return -1;
	memcpy(c->host, v, hl);
	c->host[hl] = '\0';
	return 0;
}

static void
rpki_free(void)
{
	size_t	 i;

	if (rk.mgr != NULL) {
		/* It frees the transports too. */
		rtr_mgr_stop(rk.mgr);
		rtr_mgr_free(rk.mgr);
	} else
		for (i = 0; rk.caches != NULL && i < rk.n; i++)
			if (rk.caches[i].tr.free_fp != NULL)
				rk.caches[i].tr.free_fp(&rk.caches[i].tr);
	free(rk.caches);
	free(rk.groups);
	rk.mgr = NULL;
	rk.caches = NULL;
	rk.groups = NULL;
	rk.n = 0;
	__atomic_store_n(&rk.vrps4, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&rk.vrps6, 0, __ATOMIC_RELAXED);
}

/* The caches and their groups, one each, preference by order. */
static int
rpki_build(const struct lg_config *conf)
{
	struct rpki_cache	*c;
	size_t			 i;

	rk.caches = xcalloc(conf->rpki.ncaches, sizeof(*rk.caches));
	rk.groups = xcalloc(conf->rpki.ncaches, sizeof(*rk.groups));
	rk.n = conf->rpki.ncaches;
	for (i = 0; i < rk.n; i++) {
		c = &rk.caches[i];
		if (rpki_cache_split(c, conf->rpki.caches[i]) == -1)
			return -1;
		c->tcp.host = c->host;
		c->tcp.port = c->port;
		c->tcp.connect_timeout = conf->broker.connect_timeout;
		if (tr_tcp_init(&c->tcp, &c->tr) != TR_SUCCESS)
			return -1;
		c->rtr.tr_socket = &c->tr;
		c->sockp = &c->rtr;
		rk.groups[i].sockets = &c->sockp;
		rk.groups[i].sockets_len = 1;
		rk.groups[i].preference = (uint8_t)(i + 1);
	}
	return 0;
}

/* 1 if the manager running was built from these settings. */
static int
rpki_same(const struct lg_config *conf)
{
	size_t	 i;

	if (rk.n != conf->rpki.ncaches || rk.refresh != conf->rpki.refresh ||
	    rk.retry != conf->rpki.retry || rk.expire != conf->rpki.expire)
		return 0;
	for (i = 0; i < rk.n; i++)
		if (strcmp(rk.caches[i].name, conf->rpki.caches[i]) != 0)
			return 0;
	return 1;
}

/* rpki_configure's change, under the write lock. */
static int
rpki_restart(const struct lg_config *conf)
{
	if (rk.mgr != NULL || rk.caches != NULL)
		log_info("rpki: caches changed, fetching the VRPs again");
	rpki_free();
	rk.refresh = conf->rpki.refresh;
	rk.retry = conf->rpki.retry;
	rk.expire = conf->rpki.expire;
	if (conf->rpki.ncaches == 0)
		return 0;
	if (rpki_build(conf) == -1) {
		log_warnx("rpki: cannot set up the caches");
		goto fail;
	}
	if (rtr_mgr_init(&rk.mgr, rk.groups, (unsigned int)rk.n, rk.refresh,
	    rk.expire, rk.retry, rpki_update_cb, NULL, rpki_status_cb, NULL)
	    != RTR_SUCCESS) {
		rk.mgr = NULL;
		log_warnx("rpki: RTRlib refused the configuration");
		goto fail;
	}
	if (rtr_mgr_start(rk.mgr) != RTR_SUCCESS) {
		log_warnx("rpki: cannot start the RTR connections");
		goto fail;
	}
	log_info("rpki: %zu cache%s, %s preferred", rk.n, rk.n == 1 ? "" :
	    "s", rk.caches[0].name);
	return 0;
fail:
	rpki_free();
	return -1;
}

/*
 * Starts (or restarts, when the settings changed) validation for conf;
 * no caches stops it.  Returns 0, or -1 after logging why (validation is
 * then off: paths carry rpki "unknown").
 */
int
rpki_configure(const struct lg_config *conf)
{
	int	 rc;

	if (rk.mgr != NULL && rpki_same(conf))
		return 0;
	pthread_rwlock_wrlock(&rk.lock);
	rc = rpki_restart(conf);
	pthread_rwlock_unlock(&rk.lock);
	return rc;
}

int
rpki_enabled(void)
{
	return rk.n > 0;
}

void
rpki_shutdown(void)
{
	pthread_rwlock_wrlock(&rk.lock);
	rpki_free();
	pthread_rwlock_unlock(&rk.lock);
}

/*
 * The address of p as RTRlib holds it: 32-bit words in host order, most
 * significant first (what lrtr_ip_str_to_addr makes of the text; the
 * unit test compares the two).
 */
void
rpki_addr(const struct lg_prefix *p, struct lrtr_ip_addr *a)
{
	const uint8_t	*b = p->addr;
	int		 i;

	memset(a, 0, sizeof(*a));
	if (p->family == AFI_IPV4) {
		a->ver = LRTR_IPV4;
		a->u.addr4.addr = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		    (uint32_t)b[2] << 8 | b[3];
		return;
	}
	a->ver = LRTR_IPV6;
	for (i = 0; i < 4; i++)
		a->u.addr6.addr[i] = (uint32_t)b[4 * i] << 24 |
		    (uint32_t)b[4 * i + 1] << 16 | (uint32_t)b[4 * i + 2] << 8 |
		    b[4 * i + 3];
}

/* The inverse of rpki_addr: a VRP's prefix as the answer writes it. */
static void
rpki_prefix(const struct lrtr_ip_addr *a, uint8_t len, struct lg_prefix *p)
{
	uint32_t	 w;
	int		 i, nw;

	memset(p, 0, sizeof(*p));
	p->family = a->ver == LRTR_IPV4 ? AFI_IPV4 : AFI_IPV6;
	p->len = len;
	nw = a->ver == LRTR_IPV4 ? 1 : 4;
	for (i = 0; i < nw; i++) {
		w = a->ver == LRTR_IPV4 ? a->u.addr4.addr : a->u.addr6.addr[i];
		p->addr[4 * i] = (uint8_t)(w >> 24);
		p->addr[4 * i + 1] = (uint8_t)(w >> 16);
		p->addr[4 * i + 2] = (uint8_t)(w >> 8);
		p->addr[4 * i + 3] = (uint8_t)w;
	}
}

/*
 * Lists VRP r in res unless it is there already (two caches may send the
 * same one) or the list is full.
 */
static void
rpki_list(struct rpki_result *res, const struct pfx_record *r)
{
	struct rpki_vrp	 v;
	size_t		 i;

	rpki_prefix(&r->prefix, r->min_len, &v.prefix);
	v.max_length = r->max_len;
	v.asn = r->asn;
	for (i = 0; i < res->nvrps; i++)
		if (res->vrps[i].asn == v.asn && res->vrps[i].max_length ==
		    v.max_length && res->vrps[i].prefix.len == v.prefix.len &&
		    memcmp(res->vrps[i].prefix.addr, v.prefix.addr,
		    sizeof(v.prefix.addr)) == 0)
			return;
	if (res->nvrps < RPKI_VRPS_MAX)
		res->vrps[res->nvrps++] = v;
}

/*
 * The facts hook: the state of prefix p originated by asn, and the VRPs
 * that decided it.  Unknown while the table is empty (no data yet, or
 * expired).  RTRlib returns the VRPs it met on its way to the state:
 * every covering one for an invalid path (listed here the origin's own
 * first), the covering ones up to the first that matches for a valid
 * one (listed here: those that match).  Invalid says why: max_length when
 * a VRP covers p for this AS but is too short for it, origin otherwise.
 *
 * RTRlib grows its list with realloc from NULL: a list kept from one
 * call to the next would cost more (realloc copies what it holds).
 */
static void
rpki_lookup(const struct lg_prefix *p, uint32_t asn, struct rpki_result *res)
{
	struct pfx_table	*t = rk.table;
	struct pfx_record	*r = NULL;
	struct lrtr_ip_addr	 a;
	enum pfxv_state		 v;
	unsigned int		 n = 0, i;

	memset(res, 0, offsetof(struct rpki_result, vrps));
	res->state = RPKI_UNKNOWN;
	res->reason = RPKI_REASON_NONE;
	if (t == NULL && (rk.mgr == NULL ||
	    (__atomic_load_n(&rk.vrps4, __ATOMIC_RELAXED) +
	    __atomic_load_n(&rk.vrps6, __ATOMIC_RELAXED)) == 0))
		return;
	if (t == NULL)
		t = rk.mgr->pfx_table;
	rpki_addr(p, &a);
	if (pfx_table_validate_r(t, &r, &n, asn, &a, p->len, &v) !=
	    PFX_SUCCESS) {
		free(r);
		return;
	}
	switch (v) {
	case BGP_PFXV_STATE_VALID:
		res->state = RPKI_VALID;
		for (i = 0; i < n; i++)
			if (r[i].asn == asn &&
			    p->len <= r[i].max_len)
				rpki_list(res, &r[i]);
		break;
	case BGP_PFXV_STATE_NOT_FOUND:
		res->state = RPKI_NOT_FOUND;
		break;
	case BGP_PFXV_STATE_INVALID:
		/* The origin's own VRPs first: they say why (max_length). */
		res->state = RPKI_INVALID;
		res->reason = RPKI_REASON_ORIGIN;
		for (i = 0; i < n; i++)
			if (r[i].asn == asn) {
				res->reason = RPKI_REASON_MAX_LENGTH;
				rpki_list(res, &r[i]);
			}
		for (i = 0; i < n; i++)
			if (r[i].asn != asn)
				rpki_list(res, &r[i]);
		break;
	}
	free(r);
}

/* Any thread. */
void
rpki_validate(void *arg, const struct lg_prefix *p, uint32_t asn,
    struct rpki_result *res)
{
	(void)arg;
	pthread_rwlock_rdlock(&rk.lock);
	rpki_lookup(p, asn, res);
	pthread_rwlock_unlock(&rk.lock);
}

/*
 * Benches and tests: validate against table t (filled by the caller with
 * pfx_table_add) rather than the caches'; NULL goes back to the caches.
 */
void
rpki_use_table(struct pfx_table *t)
{
	pthread_rwlock_wrlock(&rk.lock);
	rk.table = t;
	pthread_rwlock_unlock(&rk.lock);
}

/* The status of cache i (< rpki_ncaches()). */
void
rpki_status(size_t i, struct lg_msg_rpki_status *m)
{
	struct rpki_cache	*c = &rk.caches[i];

	memset(m, 0, sizeof(*m));
	pthread_mutex_lock(&rk.mtx);
	rpki_observe(c);
	lg_strlcpy(m->cache, c->name, sizeof(m->cache));
	m->preference = (uint8_t)(i + 1);
	m->state = (uint8_t)c->state;
	m->serial = c->serial;
	m->session_id = c->session_id;
	m->last_update = c->last_update;
	m->down_since = c->down_since;
	lg_strlcpy(m->last_error, c->last_error, sizeof(m->last_error));
	pthread_mutex_unlock(&rk.mtx);
	m->vrps4 = __atomic_load_n(&rk.vrps4, __ATOMIC_RELAXED);
	m->vrps6 = __atomic_load_n(&rk.vrps6, __ATOMIC_RELAXED);
}

size_t
rpki_ncaches(void)
{
	return rk.n;
}
