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
 * What the brokers tell the front besides answers: their routers
 * (LIST_ROUTERS, then ROUTER frames and END), merged into the one list
 * the front shows, with each router's region and a name that two brokers
 * claim logged and kept by the first; and the RTR caches' state
 * (RPKI_STATUS frames), for /metrics.  The links and their lock are
 * broker.c's (broker_int.h).
 */

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lg_proto.h"
#include "web.h"
#include "broker_int.h"

#define BRK_RPKI_MAX		16		/* caches kept */
#define BRK_ROUTERS_MAX		10000

/* Is name listed by a link before l?  Lock held. */
static int
brk_listed_before(const struct brk_link *l, const char *name)
{
	size_t	 i;

	for (i = 0; i < l->idx; i++)
		if (brk_lists(&bk.links[i], name))
			return 1;
	return 0;
}

/* Appends l's routers to out[*n], as the front shows them.  Lock held. */
static void
brk_routers_of(const struct brk_link *l, struct lg_msg_router *out,
    size_t *n)
{
	size_t	 j;

	for (j = 0; j < l->nrouters; j++) {
		if (brk_listed_before(l, l->routers[j].name))
			continue;
		out[*n] = l->routers[j];
		if (bk.regions)
			lg_strlcpy(out[*n].group, l->name,
			    sizeof(out[*n].group));
		if (l->state != BRK_UP)
			out[*n].state = ROUTER_STATE_DOWN;
		(*n)++;
	}
}

/*
 * A copy of the routers of every broker, one list; -1 when no broker has
 * listed any yet (the single broker: while it is away).
 */
int
brk_routers(struct lg_msg_router **out, size_t *n)
{
	size_t	 i, total = 0;
	int	 known = 0, rv = -1;

	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&bk.lock);
	for (i = 0; i < bk.nlinks; i++) {
		if (!bk.links[i].have_routers || (!bk.regions &&
		    bk.links[i].state != BRK_UP))
			continue;
		known = 1;
		total += bk.links[i].nrouters;
	}
	if (known && (total == 0 || (*out = calloc(total,
	    sizeof(**out))) != NULL)) {
		for (i = 0; i < bk.nlinks && total > 0; i++)
			if (bk.links[i].have_routers)
				brk_routers_of(&bk.links[i], *out, n);
		rv = 0;
	}
	pthread_mutex_unlock(&bk.lock);
	return rv;
}

/*
 * The i-th broker of web.brokers, for /metrics: 0 with its name, whether
 * it is up and how many times a connection to it was lost; -1 past the
 * last, and at once with broker.socket alone.
 */
int
brk_link_status(size_t i, char *name, size_t len, int *up,
    unsigned long long *losses)
{
	int	 rv = -1;

	pthread_mutex_lock(&bk.lock);
	if (bk.regions && i < bk.nlinks) {
		lg_strlcpy(name, bk.links[i].name, len);
		*up = bk.links[i].state == BRK_UP;
		*losses = bk.links[i].losses;
		rv = 0;
	}
	pthread_mutex_unlock(&bk.lock);
	return rv;
}

/* Asks a broker for its routers.  Lock held. */
void
brk_list(struct brk_link *l)
{
	uint8_t		 frame[LG_FRAME_HDR_SIZE];

	if (l->listing)
		return;
	l->listing = 1;
	l->npending = 0;
	l->list_at = brk_now_ms();
	brk_send(l, frame, proto_encode_empty(frame, sizeof(frame),
	    LG_MSG_LIST_ROUTERS, BRK_LIST_ID));
}

/* Asks for the RTR caches' state.  Lock held. */
static void
brk_rpki_ask(struct brk_link *l)
{
	uint8_t		 frame[LG_FRAME_HDR_SIZE];

	if (l->rpki_listing)
		return;
	l->rpki_listing = 1;
	l->nrpki_pending = 0;
	brk_send(l, frame, proto_encode_empty(frame, sizeof(frame),
	    LG_MSG_RPKI, BRK_RPKI_ID));
}

/* RPKI_STATUS rows, then END.  Lock held.  -1: a malformed frame. */
int
brk_on_rpki(struct brk_link *l, const struct lg_frame_hdr *h,
    const uint8_t *p)
{
	struct lg_msg_rpki_status	*r;
	uint16_t			 err;
	char				 msg[LG_ERRSTR_MAX];

	if (h->type == LG_MSG_RPKI_STATUS) {
		if (l->rpki_pending == NULL && (l->rpki_pending =
		    calloc(BRK_RPKI_MAX, sizeof(*r))) == NULL)
			return 0;
		if (l->nrpki_pending == BRK_RPKI_MAX)
			return 0;
		return proto_decode_rpki_status(p, h->length,
		    &l->rpki_pending[l->nrpki_pending++]);
	}
	if (proto_decode_end(p, h->length, &err, msg, sizeof(msg)) == -1)
		return -1;
	free(l->rpki);
	l->rpki = l->rpki_pending;
	l->nrpki = l->nrpki_pending;
	l->rpki_pending = NULL;
	l->nrpki_pending = 0;
	l->rpki_listing = 0;
	return 0;
}

/*
 * A copy of the RTR caches' latest state, for /metrics, from the first
 * broker up: 0 with *out (NULL when none, free it) and *n, -1 when every
 * broker is away.
 */
int
brk_rpki(struct lg_msg_rpki_status **out, size_t *n)
{
	struct brk_link	*l = NULL;
	size_t		 i;
	int		 rv = -1;

	*out = NULL;
	*n = 0;
	pthread_mutex_lock(&bk.lock);
	for (i = 0; i < bk.nlinks && l == NULL; i++)
		if (bk.links[i].state == BRK_UP)
			l = &bk.links[i];
	if (l != NULL) {
		rv = 0;
		if (l->nrpki > 0 && (*out = calloc(l->nrpki,
		    sizeof(**out))) != NULL) {
			memcpy(*out, l->rpki, l->nrpki * sizeof(**out));
			*n = l->nrpki;
		}
	}
	pthread_mutex_unlock(&bk.lock);
	return rv;
}

/* Does l list a router named name?  Lock held. */
int
brk_lists(const struct brk_link *l, const char *name)
{
	size_t	 j;

	for (j = 0; j < l->nrouters; j++)
		if (strcmp(l->routers[j].name, name) == 0)
			return 1;
	return 0;
}

/*
 * Logs each router name l lists that another broker lists too: the one
 * later in web.brokers is ignored.  Lock held.
 */
static void
brk_check_clash(const struct brk_link *l)
{
	const struct brk_link	*m, *kept, *dropped;
	size_t			 i, j;

	for (j = 0; j < l->nrouters; j++)
		for (i = 0; i < bk.nlinks; i++) {
			m = &bk.links[i];
			if (m == l || !brk_lists(m, l->routers[j].name))
				continue;
			kept = m->idx < l->idx ? m : l;
			dropped = m->idx < l->idx ? l : m;
			log_warnx("router %s is listed by broker %s and by "
			    "broker %s; router names must be unique across "
			    "brokers: broker %s's is ignored",
			    l->routers[j].name, kept->name, dropped->name,
			    dropped->name);
		}
}

int
brk_on_list(struct brk_link *l, const struct lg_frame_hdr *h,
    const uint8_t *p)
{
	struct lg_msg_router	*r;
	uint16_t		 err;
	size_t			 i;
	char			 msg[LG_ERRSTR_MAX];
	int			 first = !l->have_routers;

	if (h->type == LG_MSG_ROUTER) {
		if (l->npending == BRK_ROUTERS_MAX)
			return 0;
		r = reallocarray(l->pending, l->npending + 1, sizeof(*r));
		if (r == NULL)
			return 0;
		l->pending = r;
		if (proto_decode_router(p, h->length,
		    &l->pending[l->npending]) == -1)
			return -1;
		l->npending++;
		return 0;
	}
	if (h->type != LG_MSG_END ||
	    proto_decode_end(p, h->length, &err, msg, sizeof(msg)) == -1)
		return -1;
	free(l->routers);
	l->routers = l->pending;
	l->nrouters = l->npending;
	l->all_up = 1;
	for (i = 0; i < l->nrouters; i++)
		if (l->routers[i].state != ROUTER_STATE_UP)
			l->all_up = 0;
	l->pending = NULL;
	l->npending = 0;
	l->have_routers = 1;
	l->listing = 0;
	if (first)
		brk_check_clash(l);
	brk_rpki_ask(l);
	return 0;
}
