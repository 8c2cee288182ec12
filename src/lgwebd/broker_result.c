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
 * The results of queries, as the broker sends them (PROTOCOL.md):
 * RESULT_BEGIN, the text in RESULT_DATA frames, the parsed answer in
 * RESULT_PARSED pieces joined and checked here, and RESULT_END, each
 * handed to the query's callbacks.  Everything here runs on the broker
 * thread with the broker lock held (broker.c owns the connections and
 * the lock).  A frame names its query by id and is taken only from the
 * broker the query was sent to.
 */

#include <string.h>

#include "lg.h"
#include "lg_proto.h"
#include "web.h"
#include "broker_int.h"

/* Parsed answers up to this size are read whole to check them. */
#define BRK_PARSED_CHECK	(256 * 1024)

/*
 * A piece of the parsed answer.  Its bytes are granted back at once: the
 * answer is held whole, bounded by LG_PARSED_MAX, past which it is
 * replaced by an error (the text stays whole).  -1: a malformed frame.
 */
static int
brk_on_parsed(struct brk_query *q, const struct lg_frame_hdr *h,
    const uint8_t *p)
{
	uint8_t		 frame[LG_FRAME_HDR_SIZE + 4];

	if (proto_decode_result_parsed(p, h->length) == -1)
		return -1;
	if (h->length > 0)
		brk_qsend(q, frame, proto_encode_window(frame, sizeof(frame),
		    q->id, h->length));
	if (q->cut || q->expired || q->parsed_big)
		return 0;
	if (buf_append(&q->parsed, p, h->length) == -1) {
		buf_free(&q->parsed);
		q->parsed_big = 1;
	}
	return 0;
}

/*
 * Whether the joined text reads as one JSON object.  Up to
 * BRK_PARSED_CHECK it is read whole; beyond, where a tree would cost
 * many times the text, only its envelope is checked (the decoder has
 * refused every control byte already) and bytes that are not UTF-8
 * become '?': the broker wrote it with jansson, and a bad one can spoil
 * that one answer only.
 */
static int
brk_parsed_ok(struct lg_buf *b)
{
	json_t		*j;
	json_error_t	 jerr;
	int		 ok;

	if (b->len > BRK_PARSED_CHECK) {
		format_utf8(b->data, b->len, 1);
		return b->data[0] == '{' && b->data[b->len - 1] == '}';
	}
	j = json_loadb(b->data, b->len, 0, &jerr);
	ok = j != NULL && json_is_object(j);
	if (!ok)
		log_warnx("broker sent a parsed answer that is not a JSON "
		    "object: %s", j == NULL ? jerr.text : "another value");
	json_decref(j);
	return ok;
}

/*
 * Hands the joined parsed answer to the caller before the end: the JSON
 * object as the broker sent it, or an error object in the model's shape
 * when it did not read as one or was too large.  The text changes hands
 * without a copy.
 */
static void
brk_parsed_deliver(struct brk_query *q)
{
	const char	*err = NULL;
	char		*text;
	size_t		 len;

	if (q->ops->on_parsed == NULL || q->cut || q->expired)
		return;
	if (q->parsed_big)
		err = "{\"error\":\"the parsed answer is too large\","
		    "\"line\":null}";
	else if (q->parsed.len == 0)
		return;
	else if (!brk_parsed_ok(&q->parsed))
		err = "{\"error\":\"the parsed answer could not be read\","
		    "\"line\":null}";
	if (err != NULL) {
		if ((text = strdup(err)) == NULL)
			return;
		len = strlen(text);
	} else {
		text = q->parsed.data;
		len = q->parsed.len;
		buf_init(&q->parsed, 0);
	}
	q->ops->on_parsed(q, text, len);
}

int
brk_on_result(unsigned int link, const struct lg_frame_hdr *h,
    const uint8_t *p)
{
	struct brk_query		*q;
	struct lg_msg_result_end	 end;
	char				 router[LG_NAME_MAX];
	char				 command[LG_COMMAND_MAX * 2];
	uint8_t				 frame[LG_FRAME_HDR_SIZE + 4];

	if ((q = brk_find(link, h->request_id)) == NULL)
		return 0;	/* cancelled meanwhile */
	switch (h->type) {
	case LG_MSG_RESULT_BEGIN:
		if (proto_decode_result_begin(p, h->length, router,
		    sizeof(router), command, sizeof(command)) == -1)
			return -1;
		q->ops->on_begin(q, command);
		return 0;
	case LG_MSG_RESULT_DATA:
		if (q->cut || q->expired)
			return 0;
		if (q->ops->on_data(q, p, h->length) == -1) {
			q->cut = 1;
			brk_qsend(q, frame, proto_encode_empty(frame,
			    sizeof(frame), LG_MSG_CANCEL, q->id));
		} else if (q->autogrant && h->length > 0)
			brk_qsend(q, frame, proto_encode_window(frame,
			    sizeof(frame), q->id, h->length));
		return 0;
	case LG_MSG_RESULT_PARSED:
		return brk_on_parsed(q, h, p);
	case LG_MSG_RESULT_END:
		if (proto_decode_result_end(p, h->length, &end) == -1)
			return -1;
		brk_parsed_deliver(q);
		if (q->cut && end.error == LG_ERR_CANCELLED) {
			end.error = LG_OK;
			end.flags |= LG_RESULT_TRUNCATED;
			end.message[0] = '\0';
		} else if (q->expired && end.error == LG_ERR_CANCELLED) {
			end.error = LG_ERR_TIMEOUT;
			lg_strlcpy(end.message, "the query ran out of time",
			    sizeof(end.message));
		}
		brk_release(q);
		q->ops->on_end(q, &end);
		return 0;
	}
	return -1;
}
