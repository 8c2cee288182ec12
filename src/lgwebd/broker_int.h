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
 * Private to lgwebd's broker client (broker*.c): broker.c owns the
 * connection, the slot table and the broker lock; broker_result.c turns
 * the broker's result frames into the queries' callbacks.  Everything
 * declared here is called with the broker lock held.  The rest of lgwebd
 * uses the brk_ functions of web.h.
 */

#ifndef BROKER_INT_H
#define BROKER_INT_H

#include <sys/types.h>

#include <pthread.h>
#include <stdint.h>

#include "lg_proto.h"

struct brk_query;
struct tls_creds;
struct tls_conn;

enum brk_state {
	BRK_AWAY = 0,		/* no socket */
	BRK_CONNECTING,		/* TCP connect in progress */
	BRK_HANDSHAKE,		/* TLS handshake in progress */
	BRK_HELLO,		/* HELLO sent, waiting for the broker's */
	BRK_UP
};

/*
 * One broker: an entry of web.brokers, or broker.socket alone (name "").
 * Its state, its queue and reader, and the routers it last listed, kept
 * while it is away so that they show as down.
 */
struct brk_link {
	unsigned int		 idx;
	char			 name[LG_NAME_MAX];
	char			 path[LG_PATH_MAX];	/* Unix socket, or "" */
	char			 addr[LG_TEXT_MAX];	/* TLS: ADDRESS:PORT */
	struct tls_creds	*cr;
	struct tls_conn		*tls;
	int			 fd;
	int			 heartbeat;	/* PING, and silence is loss */
	enum brk_state		 state;
	struct lg_buf		 out;
	struct lg_frame_reader	 rd;
	struct lg_msg_router	*routers, *pending;
	size_t			 nrouters, npending;
	int			 have_routers, listing;
	int			 all_up;	/* every listed router up */
	int			 was_up;	/* HELLO seen since connect */
	int			 failing;	/* a failed attempt was logged */
	unsigned long long	 losses;	/* connections up, then lost */
	int			 backoff;	/* ms, last wait */
	int64_t			 hello_by;	/* connect, TLS and HELLO */
	int64_t			 list_at, rx_at, ping_at, retry_at;
	struct lg_msg_rpki_status *rpki, *rpki_pending;
	size_t			 nrpki, nrpki_pending;
	int			 rpki_listing;
};

/* broker_link.c: a link's transport, Unix or TCP with TLS. */
#define BRK_LIST_ID		0xffffffffU	/* LIST_ROUTERS exchanges */
#define BRK_RPKI_ID		0xfffffffeU	/* RPKI exchanges, below it */

/* broker.c: the links, the slot table and their lock. */
struct brk_all {
	pthread_mutex_t		 lock;
	pthread_t		 thread;
	int			 started;
	int			 stop;
	int			 evfd;
	int			 regions;	/* web.brokers is set */
	struct brk_link		*links;
	size_t			 nlinks;
	struct brk_query	**slots;
	size_t			 nslots;
	unsigned int		 inflight;
	uint32_t		 gen;
};
extern struct brk_all bk;

int		  brk_send(struct brk_link *, const uint8_t *, ssize_t);

/* broker_list.c: router lists and RTR caches' state.  Lock held. */
void		  brk_list(struct brk_link *);
int		  brk_lists(const struct brk_link *, const char *);
int		  brk_on_list(struct brk_link *, const struct lg_frame_hdr *,
		    const uint8_t *);
int		  brk_on_rpki(struct brk_link *, const struct lg_frame_hdr *,
		    const uint8_t *);

/* broker_link.c: the transports. */
int		  brk_link_open(struct brk_link *, char *, size_t);
int		  brk_link_step(struct brk_link *, char *, size_t);
ssize_t		  brk_link_recv(struct brk_link *, void *, size_t);
int		  brk_link_more(const struct brk_link *);
int		  brk_link_flush(struct brk_link *);
short		  brk_link_events(const struct brk_link *);
void		  brk_link_close(struct brk_link *);
const char	 *brk_link_label(const struct brk_link *);

/* broker.c */
int		  brk_qsend(const struct brk_query *, const uint8_t *, ssize_t);
struct brk_query *brk_find(unsigned int, uint32_t);
void		  brk_release(struct brk_query *);

/* broker_result.c */
int		  brk_on_result(unsigned int, const struct lg_frame_hdr *,
		    const uint8_t *);

#endif /* BROKER_INT_H */
