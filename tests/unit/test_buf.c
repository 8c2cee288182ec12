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
 * Unit tests of the capped buffer (src/lib/buf.c): growth up to the cap
 * and never past it, a refused append or printf leaving the buffer as it
 * was, consumption from the front, and the NUL kept after the data.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lg.h"

static void
assert_buf(const struct lg_buf *b, const char *want)
{
	assert_int_equal(b->len, strlen(want));
	assert_memory_equal(b->data, want, b->len);
	assert_int_equal(b->data[b->len], '\0');
	assert_true(b->len < b->size);
	assert_true(b->size <= b->cap + 1);
}

static void
test_append_to_cap(void **state)
{
	struct lg_buf	 b;

	(void)state;
	buf_init(&b, 8);
	assert_null(b.data);
	assert_int_equal(buf_append(&b, "abc", 3), 0);
	assert_buf(&b, "abc");
	assert_int_equal(buf_append(&b, "defgh", 5), 0);	/* exactly 8 */
	assert_buf(&b, "abcdefgh");
	assert_int_equal(buf_append(&b, "i", 1), -1);
	assert_buf(&b, "abcdefgh");
	assert_int_equal(buf_append(&b, "", 0), 0);
	assert_buf(&b, "abcdefgh");
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

/* A refused append is all or nothing, even when part of it would fit. */
static void
test_append_refused_whole(void **state)
{
	struct lg_buf	 b;

	(void)state;
	buf_init(&b, 10);
	assert_int_equal(buf_append(&b, "12345", 5), 0);
	assert_int_equal(buf_append(&b, "678901", 6), -1);
	assert_buf(&b, "12345");
	assert_int_equal(buf_append(&b, "67890", 5), 0);
	assert_buf(&b, "1234567890");
	buf_free(&b);
}

/* Growth past the initial allocation, many times, keeps every byte. */
static void
test_growth(void **state)
{
	struct lg_buf	 b;
	char		 chunk[1000];
	size_t		 i, j;

	(void)state;
	buf_init(&b, 1000 * 1000);
	for (i = 0; i < 1000; i++) {
		memset(chunk, 'a' + (int)(i % 26), sizeof(chunk));
		assert_int_equal(buf_append(&b, chunk, sizeof(chunk)), 0);
	}
	assert_int_equal(b.len, 1000 * 1000);
	assert_true(b.size <= b.cap + 1);
	for (i = 0; i < 1000; i++)
		for (j = 0; j < 1000; j += 250)
			assert_int_equal(b.data[i * 1000 + j],
			    'a' + (int)(i % 26));
	assert_int_equal(b.data[b.len], '\0');
	assert_int_equal(buf_append(&b, "x", 1), -1);
	buf_free(&b);
}

static void
test_printf(void **state)
{
	struct lg_buf	 b;

	(void)state;
	buf_init(&b, 16);
	assert_int_equal(buf_printf(&b, "%s=%d", "rtt", 42), 0);
	assert_buf(&b, "rtt=42");
	assert_int_equal(buf_printf(&b, " %05u", 7u), 0);
	assert_buf(&b, "rtt=42 00007");
	/* 4 more fit exactly; 5 do not, and nothing is written. */
	assert_int_equal(buf_printf(&b, "%s", "12345"), -1);
	assert_buf(&b, "rtt=42 00007");
	assert_int_equal(buf_printf(&b, "%s", "1234"), 0);
	assert_buf(&b, "rtt=42 000071234");
	assert_int_equal(buf_printf(&b, "%s", ""), 0);
	assert_int_equal(buf_printf(&b, "%c", 'x'), -1);
	assert_buf(&b, "rtt=42 000071234");
	buf_free(&b);
}

/* Past the cap from an empty, never allocated buffer. */
static void
test_printf_empty_over_cap(void **state)
{
	struct lg_buf	 b;

	(void)state;
	buf_init(&b, 3);
	assert_int_equal(buf_printf(&b, "%d", 1234), -1);
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_printf(&b, "%d", 123), 0);
	assert_buf(&b, "123");
	buf_free(&b);
}

static void
test_consume(void **state)
{
	struct lg_buf	 b;

	(void)state;
	buf_init(&b, 64);
	buf_consume(&b, 5);		/* nothing there yet */
	assert_int_equal(b.len, 0);
	assert_int_equal(buf_append(&b, "hello, world", 12), 0);
	buf_consume(&b, 0);
	assert_buf(&b, "hello, world");
	buf_consume(&b, 7);
	assert_buf(&b, "world");
	assert_int_equal(buf_append(&b, "wide", 4), 0);
	assert_buf(&b, "worldwide");
	buf_consume(&b, 9);
	assert_buf(&b, "");
	assert_int_equal(buf_append(&b, "again", 5), 0);
	buf_consume(&b, 100);		/* more than there is */
	assert_buf(&b, "");
	/* Consumed room is usable again up to the cap. */
	assert_int_equal(buf_printf(&b, "%64s", "x"), 0);
	assert_int_equal(b.len, 64);
	buf_consume(&b, 60);
	assert_int_equal(buf_append(&b, "0123456789", 10), 0);
	assert_int_equal(b.len, 14);
	assert_int_equal(b.data[14], '\0');
	buf_free(&b);
}

static void
test_reset(void **state)
{
	struct lg_buf	 b;

	(void)state;
	buf_init(&b, 32);
	buf_reset(&b);
	assert_int_equal(buf_append(&b, "data", 4), 0);
	buf_reset(&b);
	assert_buf(&b, "");
	assert_non_null(b.data);	/* kept for reuse */
	assert_int_equal(buf_append(&b, "more", 4), 0);
	assert_buf(&b, "more");
	buf_free(&b);
	buf_free(&b);			/* twice is harmless */
}

/* Binary data: embedded NULs are data, the terminator is extra. */
static void
test_binary(void **state)
{
	struct lg_buf	 b;
	static const char bin[] = { 'a', '\0', 'b', '\0' };

	(void)state;
	buf_init(&b, 4);
	assert_int_equal(buf_append(&b, bin, sizeof(bin)), 0);
	assert_int_equal(b.len, 4);
	assert_memory_equal(b.data, bin, 4);
	assert_int_equal(b.data[4], '\0');
	buf_consume(&b, 1);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, bin + 1, 3);
	buf_free(&b);
}

static void
test_zero_cap(void **state)
{
	struct lg_buf	 b;

	(void)state;
	buf_init(&b, 0);
	assert_int_equal(buf_append(&b, "x", 1), -1);
	assert_int_equal(buf_printf(&b, "x"), -1);
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

/*
 * The largest cap means "no cap": the size with room for the NUL must not
 * wrap to zero and leave the buffer without memory for what it holds.
 */
static void
test_cap_size_max(void **state)
{
	struct lg_buf	 b;

	(void)state;
	buf_init(&b, SIZE_MAX);
	assert_int_equal(buf_append(&b, "abc", 3), 0);
	assert_true(b.size > b.len);
	assert_string_equal(b.data, "abc");
	assert_int_equal(buf_printf(&b, "%0300d", 7), 0);
	assert_true(b.size > b.len);
	assert_int_equal(b.len, 303);
	assert_int_equal(b.data[302], '7');
	assert_int_equal(b.data[303], '\0');
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_to_cap),
		cmocka_unit_test(test_append_refused_whole),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_printf),
		cmocka_unit_test(test_printf_empty_over_cap),
		cmocka_unit_test(test_consume),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_binary),
		cmocka_unit_test(test_zero_cap),
		cmocka_unit_test(test_cap_size_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
