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
 * A growable byte buffer with a hard cap.  Router output, socket queues and
 * rendered responses live in these; the cap is what keeps a flooding peer
 * from growing a daemon without bound.  The data is always NUL-terminated
 * past len, so text users may treat it as a string.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"

#define BUF_MIN_SIZE	256

void
buf_init(struct lg_buf *b, size_t cap)
{
	b->data = NULL;
	b->len = 0;
	b->size = 0;
	b->cap = cap;
}

static int
buf_reserve(struct lg_buf *b, size_t need)
{
	size_t		 size;
	char		*p;

	if (need > b->cap || need == SIZE_MAX)
		return -1;
	if (need < b->size)
		return 0;
	size = b->size < BUF_MIN_SIZE ? BUF_MIN_SIZE : b->size;
	while (size <= need && size <= SIZE_MAX / 2)
		size *= 2;
	if (size <= need)
		size = need + 1;
	/* At most the cap and its NUL, written so that no cap can wrap. */
	if (size - 1 > b->cap)
		size = b->cap + 1;
	if ((p = realloc(b->data, size)) == NULL)
		return -1;
	b->data = p;
	b->size = size;
	return 0;
}

int
buf_append(struct lg_buf *b, const void *data, size_t len)
{
	if (len > b->cap - b->len || buf_reserve(b, b->len + len) == -1)
		return -1;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_printf(struct lg_buf *b, const char *fmt, ...)
{
	va_list		 ap;
	int		 n;
	size_t		 room;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n > b->cap - b->len ||
	    buf_reserve(b, b->len + (size_t)n) == -1)
		return -1;
	room = b->size - b->len;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, room, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void
buf_consume(struct lg_buf *b, size_t n)
{
	if (n >= b->len) {
		b->len = 0;
		if (b->data != NULL)
			b->data[0] = '\0';
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

void
buf_reset(struct lg_buf *b)
{
	buf_consume(b, b->len);
}

void
buf_free(struct lg_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
}
