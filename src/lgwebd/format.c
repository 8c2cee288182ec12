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
 * The output formats of a query request: /api/v1/query's JSON document
 * and /api/v1/query/stream's server-sent events, written a step at a time
 * from what the slots hold (format_step, under the request's mutex), and
 * RFC 8522's JSend document, made once the one slot has settled
 * (format_jsend).  Router output is cleaned to UTF-8 on the way
 * (format_utf8).  format_table has one row per format: what the engine
 * needs to know about it (content type, metrics endpoint, error document,
 * whether it streams) is there rather than in branches on the format.
 */

#include <sys/types.h>

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <microhttpd.h>

#include "lg.h"
#include "lg_proto.h"
#include "web.h"

#define EMIT_CHUNK	(16 * 1024)

const char *
format_time(time_t t, char *buf, size_t len)
{
	struct tm	 tm;

	gmtime_r(&t, &tm);
	if (strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		buf[0] = '\0';
	return buf;
}

/*
 * UTF-8 for JSON: bytes that do not decode (lg_utf8_seq) become '?', in
 * place.  Returns how many bytes are ready; unless final, an incomplete
 * sequence at the end is held back for the next chunk.
 */
size_t
format_utf8(char *s, size_t len, int final)
{
	uint32_t	 cp;
	size_t		 i = 0;
	int		 n;

	while (i < len) {
		n = lg_utf8_seq((const uint8_t *)s + i, len - i, &cp);
		if (n > 0) {
			i += (size_t)n;
			continue;
		}
		if (n == -1 && !final)
			return i;
		s[i++] = '?';
	}
	return len;
}

/* Appends s as the inside of a JSON string (no quotes). */
static int
json_escape_into(struct lg_buf *b, const char *s, size_t len)
{
	json_t	*j;
	char	*d;
	int	 rv = -1;

	if ((j = json_stringn(s, len)) == NULL)
		return -1;
	if ((d = json_dumps(j, JSON_ENCODE_ANY)) != NULL) {
		rv = buf_append(b, d + 1, strlen(d) - 2);
		free(d);
	}
	json_decref(j);
	return rv;
}

/* Appends a compact JSON value and releases it. */
static int
json_into(struct lg_buf *b, json_t *j, size_t skip, size_t trim)
{
	char	*d;
	size_t	 len;
	int	 rv = -1;

	if (j == NULL)
		return -1;
	if ((d = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER)) != NULL) {
		len = strlen(d);
		if (len >= skip + trim)
			rv = buf_append(b, d + skip, len - skip - trim);
		free(d);
	}
	json_decref(j);
	return rv;
}

/*
 * JSON: the next piece of the parsed answer (or null), at most a chunk,
 * so that a big one does not sit whole in the output buffer.  Sets
 * parsed_done with the last piece.
 */
static void
parsed_piece(struct lg_buf *b, struct api_slot *s)
{
	const char	*p;
	size_t		 len, n;

	if ((p = slot_parsed_text(s, &len)) == NULL) {
		buf_append(b, "null", 4);
		s->parsed_done = 1;
		return;
	}
	n = len - s->parsed_off;
	if (n > EMIT_CHUNK)
		n = EMIT_CHUNK;
	buf_append(b, p + s->parsed_off, n);
	s->parsed_off += n;
	s->parsed_done = s->parsed_off == len;
}

/* Appends the parsed answer, or null, as a JSON value. */
static int
parsed_into(struct lg_buf *b, const struct api_slot *s)
{
	const char	*p;
	size_t		 len;

	if ((p = slot_parsed_text(s, &len)) == NULL)
		return buf_append(b, "null", 4);
	return buf_append(b, p, len);
}

static json_t *
slot_tail(const struct api_slot *s, int with_router)
{
	json_t	*o, *err;
	char	 when[32];
	int	 ok = slot_error(s) == LG_OK;

	o = json_object();
	if (with_router)
		json_object_set_new(o, "router", json_string(s->router));
	json_object_set_new(o, "status", json_string(ok ? "ok" : "error"));
	json_object_set_new(o, "runtime_ms",
	    json_integer(s->end.runtime_ms));
	json_object_set_new(o, "cached", json_boolean(s->hit != NULL));
	if (s->hit != NULL)
		json_object_set_new(o, "age", json_integer((json_int_t)
		    (api_mono() - s->hit->stored)));
	json_object_set_new(o, "performed_at", json_string(format_time(
	    s->performed_at, when, sizeof(when))));
	json_object_set_new(o, "truncated",
	    json_boolean(s->end.flags & LG_RESULT_TRUNCATED));
	if (!ok) {
		err = json_pack("{s:s, s:s}", "code",
		    lg_err_name(slot_error(s)), "message", s->end.message);
		json_object_set_new(o, "error", err);
	}
	return o;
}

/* JSON: one step of {"results":[...]}.  1 if out grew. */
static int
format_json(struct api_req *r)
{
	struct api_slot	*s;
	json_t		*head;
	char		*chunk;
	size_t		 n;

	if (!r->opened) {
		r->opened = 1;
		return buf_append(&r->out, "{\"results\":[", 12) == 0;
	}
	if (r->cur == r->nslots) {
		if (r->closed)
			return 0;
		r->closed = 1;
		return buf_append(&r->out, "]}", 2) == 0;
	}
	s = &r->slots[r->cur];
	if (!s->begun) {
		if (s->state == SLOT_WAIT)
			return 0;
		s->begun = 1;
		if (r->cur > 0)
			buf_append(&r->out, ",", 1);
		head = json_pack("{s:s, s:s, s:s, s:s}", "router", s->router,
		    "type", query_name(r->type), "target", r->target.canon,
		    "command", s->command ? s->command : "");
		json_into(&r->out, head, 0, 1);
		return buf_append(&r->out, ",\"output\":\"", 11) == 0;
	}
	/* A cache hit carries its output escaped already: copied out a
	 * chunk at a time, as a live answer is. */
	if (s->hit != NULL && s->hit->json != NULL) {
		if ((n = s->hit->json_len - s->hit_json_off) > 0) {
			if (n > EMIT_CHUNK)
				n = EMIT_CHUNK;
			buf_append(&r->out, s->hit->json + s->hit_json_off, n);
			s->hit_json_off += n;
			return 1;
		}
	} else if ((n = slot_take(s, EMIT_CHUNK, &chunk)) > 0) {
		json_escape_into(&r->out, chunk, n);
		free(chunk);
		return 1;
	}
	if (s->state != SLOT_DONE)
		return 0;
	if (!s->parsed_begun) {
		s->parsed_begun = 1;
		return buf_append(&r->out, "\",\"parsed\":", 11) == 0;
	}
	if (!s->parsed_done) {
		parsed_piece(&r->out, s);
		return 1;
	}
	buf_append(&r->out, ",", 1);
	json_into(&r->out, slot_tail(s, 0), 1, 0);
	r->cur++;
	return 1;
}

static void
sse_event(struct lg_buf *b, const char *event, json_t *data)
{
	buf_printf(b, "event: %s\ndata: ", event);
	json_into(b, data, 0, 0);
	buf_append(b, "\n\n", 2);
}

/* SSE: {"router","parsed"} after a router's last output, before its end. */
static void
sse_parsed(struct lg_buf *b, const struct api_slot *s)
{
	buf_append(b, "event: parsed\ndata: {\"router\":\"", 31);
	json_escape_into(b, s->router, strlen(s->router));
	buf_append(b, "\",\"parsed\":", 11);
	parsed_into(b, s);
	buf_append(b, "}\n\n", 3);
}

/* SSE: one round over the slots.  1 if out grew. */
static int
format_sse(struct api_req *r)
{
	struct api_slot	*s;
	char		*chunk;
	size_t		 i, n, ended = 0, before = r->out.len;

	for (i = 0; i < r->nslots; i++) {
		s = &r->slots[(r->rr + i) % r->nslots];
		if (!s->begun && s->state != SLOT_WAIT) {
			s->begun = 1;
			sse_event(&r->out, "begin", json_pack("{s:s, s:s}",
			    "router", s->router, "command",
			    s->command ? s->command : ""));
		}
		if (s->begun && (n = slot_take(s, EMIT_CHUNK, &chunk)) > 0) {
			sse_event(&r->out, "output", json_pack("{s:s, s:s%}",
			    "router", s->router, "text", chunk, n));
			free(chunk);
		}
		if (s->state == SLOT_DONE && !s->ended &&
		    slot_avail(s, &(const char *){ NULL }) == 0) {
			s->ended = 1;
			sse_parsed(&r->out, s);
			sse_event(&r->out, "end", slot_tail(s, 1));
		}
		ended += s->ended;
	}
	r->rr = (r->rr + 1) % (r->nslots ? r->nslots : 1);
	if (ended == r->nslots && !r->closed) {
		r->closed = 1;
		buf_append(&r->out, "event: done\ndata: {}\n\n", 22);
	}
	if (r->out.len == before && r->keepalive_due)
		buf_append(&r->out, ": keep-alive\n\n", 14);
	r->keepalive_due = 0;
	return r->out.len > before;
}

const struct format format_table[FMT_COUNT] = {
	[FMT_JSON] = { "application/json", EP_QUERY, format_json,
	    http_error_doc, .at_once = 1 },
	[FMT_SSE] = { "text/event-stream; charset=utf-8", EP_STREAM,
	    format_sse, http_error_doc, .events = 1 },
	[FMT_JSEND] = { "application/json", EP_RFC8522, NULL,
	    rfc8522_error_doc, .whole = 1 },
};

/* One step of a streamed format; 1 if the output grew. */
int
format_step(struct api_req *r)
{
	return r->f->step != NULL ? r->f->step(r) : 0;
}

/*
 * RFC 8522: the one slot's answer as a JSend document.  With
 * format=application/json and a parsed answer, that is the output, and
 * the text is not split into lines only to be dropped.
 */
int
format_jsend(struct api_req *r)
{
	struct api_slot	*s = &r->slots[0];
	const char	*p;
	char		*copy;
	size_t		 len;
	json_t		*doc, *parsed = NULL;

	if (slot_error(s) != LG_OK && slot_error(s) != LG_ERR_COMMAND_FAILED)
		return rfc8522_error(r->conn, slot_error(s), s->end.message);
	if (r->want_parsed && (p = slot_parsed_text(s, &len)) != NULL)
		parsed = json_loadb(p, len, 0, NULL);
	len = parsed != NULL ? 0 : slot_avail(s, &p);
	if ((copy = malloc(len + 1)) == NULL) {
		json_decref(parsed);
		return MHD_NO;
	}
	memcpy(copy, p, len);
	copy[len] = '\0';
	len = format_utf8(copy, len, 1);
	doc = rfc8522_success(s->router, s->command ? s->command : "",
	    s->performed_at, s->end.runtime_ms, copy, len, s->hit != NULL,
	    (s->end.flags & LG_RESULT_TRUNCATED) != 0);
	free(copy);
	rfc8522_set_parsed(doc, parsed);
	if (slot_error(s) == LG_ERR_COMMAND_FAILED)
		doc = rfc8522_failed(doc, s->end.message);
	return http_queue_json(r->conn, 200, doc, EP_RFC8522);
}
