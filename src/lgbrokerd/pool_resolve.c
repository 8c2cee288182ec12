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
 * A router's addresses.  A router whose host is a name has it looked up
 * on the resolver threads (resolve.c) before every connect, one lookup
 * per router at a time, so the loop never blocks and a change in DNS is
 * followed at the next reconnect.  A name that does not resolve puts the
 * router down at once, with "cannot resolve HOST: reason" as its last
 * error, and is looked up again after a backoff capped at breaker_probe.
 * No session is ever opened without an address.
 */

#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "broker.h"

static void	router_resolved(void *, int, const struct sockaddr_storage *,
		    size_t);
static void	router_unresolved(struct router *, const char *);

static const struct resolve_ops pool_resolver = {
	resolve_start_router, resolve_cancel
};

static const struct resolve_ops *
router_resolver(const struct router *rt)
{
	return rt->res_override ? rt->res_override : &pool_resolver;
}

/* Stops a lookup under way, if any. */
void
pool_resolve_cancel(struct router *rt)
{
	if (rt->res == NULL)
		return;
	router_resolver(rt)->cancel(rt->res);
	rt->res = NULL;
}

/* Starts looking the router's name up, unless a lookup is under way. */
void
pool_resolve_start(struct router *rt)
{
	char	 msg[LG_ERRSTR_MAX];

	if (rt->res != NULL)
		return;
	if ((rt->res = router_resolver(rt)->start(rt->conf->host,
	    router_resolved, rt)) == NULL) {
		snprintf(msg, sizeof(msg), "cannot resolve %.160s: %s",
		    rt->conf->host, strerror(errno));
		router_unresolved(rt, msg);
	}
}

/* An address for port, in place. */
static socklen_t
pool_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET) {
		((struct sockaddr_in *)ss)->sin_port = htons(port);
		return sizeof(struct sockaddr_in);
	}
	((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	return sizeof(struct sockaddr_in6);
}

/* On the loop: the router's name resolved, or not. */
static void
router_resolved(void *arg, int gai, const struct sockaddr_storage *ss,
    size_t n)
{
	struct router	*rt = arg;
	char		 msg[LG_ERRSTR_MAX];
	size_t		 i, k = 0;
	int		 j;

	rt->res = NULL;
	for (i = 0; gai == 0 && i < n && k < RESOLVE_ADDRS_MAX; i++) {
		if (ss[i].ss_family != AF_INET && ss[i].ss_family != AF_INET6)
			continue;
		rt->addrs[k] = ss[i];
		rt->addrlens[k] = pool_set_port(&rt->addrs[k],
		    rt->conf->port);
		k++;
	}
	if (gai != 0 || k == 0) {
		snprintf(msg, sizeof(msg), "cannot resolve %.160s: %s",
		    rt->conf->host, gai != 0 ? gai_strerror(gai) :
		    "no IPv4 or IPv6 address");
		router_unresolved(rt, msg);
		return;
	}
	rt->naddrs = k;
	rt->res_fails = 0;
	log_debug("router %s: %s has %zu address%s", rt->conf->name,
	    rt->conf->host, k, k == 1 ? "" : "es");
	for (j = 0; j < rt->nslots; j++) {
		if (rt->slots[j].state != SLOT_RESOLVING)
			continue;
		pool_slot_set(&rt->slots[j], SLOT_EMPTY);
		if (rt->slots[j].sess == NULL && !rt->draining &&
		    (broker == NULL || !broker->shutting_down))
			pool_slot_connect_addr(&rt->slots[j], 0);
	}
}

/*
 * The name did not resolve, and is tried again after a backoff that
 * grows up to breaker_probe seconds.  While some session of the router
 * is still open it serves on, and only the slots that wanted an address
 * wait; otherwise the router is down with that error at once (its
 * queries fail fast).
 */
static void
router_unresolved(struct router *rt, const char *msg)
{
	uint64_t	 ms, cap = pool_probe_ms(rt);
	int		 i, same = strcmp(rt->last_error, msg) == 0;

	ms = (uint64_t)pool_backoff_ms(rt->res_fails++, arc4random());
	if (ms > cap)
		ms = cap;
	lg_strlcpy(rt->last_error, msg, sizeof(rt->last_error));
	if (pool_has_ready(rt)) {
		if (!same)
			log_warnx("router %s: %s; its open sessions serve on",
			    rt->conf->name, msg);
		for (i = 0; i < rt->nslots; i++)
			if (rt->slots[i].state == SLOT_RESOLVING) {
				pool_slot_set(&rt->slots[i], SLOT_EMPTY);
				ev_timer_add(&rt->slots[i].t_reconnect, ms);
			}
		return;
	}
	for (i = 0; i < rt->nslots; i++)
		if (rt->slots[i].state == SLOT_RESOLVING)
			pool_slot_set(&rt->slots[i], SLOT_EMPTY);
	rt->failures++;
	if (!pool_router_is_down(rt) || !same)
		log_warnx("router %s: %s; down, trying again", rt->conf->name,
		    msg);
	pool_router_down(rt, ms);
}
