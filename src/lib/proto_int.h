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
 * Private to the wire code (proto*.c): the cursor internals the message
 * codecs are written with.  Everything else uses lg_proto.h.
 */

#ifndef PROTO_INT_H
#define PROTO_INT_H

#include <stddef.h>
#include <stdint.h>

#include "lg_proto.h"

/* proto.c */
int	 proto_msg_empty(uint16_t);
uint8_t	*proto_cursor_take(struct lg_cursor *, size_t);
int	 proto_str_check(const uint8_t *, size_t, int);
int	 proto_put_string(struct lg_cursor *, const char *, int);

#endif /* PROTO_INT_H */
