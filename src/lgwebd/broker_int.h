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

#include <stdint.h>

#include "lg_proto.h"

struct brk_query;

/* broker.c */
int		  brk_send(const uint8_t *, ssize_t);
struct brk_query *brk_find(uint32_t);
void		  brk_release(struct brk_query *);

/* broker_result.c */
int		  brk_on_result(const struct lg_frame_hdr *, const uint8_t *);

#endif /* BROKER_INT_H */
