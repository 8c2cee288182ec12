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

/*
 * The writer: everything a format emits goes through out_*, which append
 * to the request's output.  The first failure sticks (out_err): nothing
 * more is written, and format_step reports it, so an answer is whole or
 * ends in an error, never malformed.
 */
static void
out_put(struct api_req *r, const void *p, size_t len)
{
	if (!r->out_err && buf_append(&r->out, p, len) == -1)
		r->out_err = 1;
}

#define OUT_LIT(r, s)	out_put((r), (s), sizeof(s) - 1)

static void
out_str(struct api_req *r, const char *s)
{
	out_put(r, s, strlen(s));
}

/* s as the inside of a JSON string (no quotes). */
static void
out_escaped(struct api_req *r, const char *s, size_t len)
{
	json_t	*j;
	char	*d = NULL;

	if ((j = json_stringn(s, len)) != NULL &&
	    (d = json_dumps(j, JSON_ENCODE_ANY)) != NULL)
		out_put(r, d + 1, strlen(d) - 2);
	else
		r->out_err = 1;
	free(d);
	json_decref(j);
}

/* A compact JSON value, less skip bytes in front and trim at the end;
 * takes j. */
static void
out_json(struct api_req *r, json_t *j, size_t skip, size_t trim)
{
	char	*d = NULL;
	size_t	 len;

	if (j != NULL && (d = json_dumps(j, JSON_COMPACT |
	    JSON_PRESERVE_ORDER)) != NULL && (len = strlen(d)) >= skip + trim)
		out_put(r, d + skip, len - skip - trim);
	else
		r->out_err = 1;
	free(d);
	json_decref(j);
}

/*
 * JSON: the next piece of the parsed answer (or null), at most a chunk,
 * so that a big one does not sit whole in the output buffer.  Sets
 * parsed_done with the last piece.
 */
static void
parsed_piece(struct api_req *r, struct api_slot *s)
{
	const char	*p;
	size_t		 len, n;

	if ((p = slot_parsed_text(s, &len)) == NULL) {
		OUT_LIT(r, "null");
		s->parsed_done = 1;
		return;
	}
	n = len - s->parsed_off;
	if (n > EMIT_CHUNK)
		n = EMIT_CHUNK;
	out_put(r, p + s->parsed_off, n);
	s->parsed_off += n;
	s->parsed_done = s->parsed_off == len;
}

/* The parsed answer, or null, as a JSON value. */
static void
parsed_whole(struct api_req *r, const struct api_slot *s)
{
	const char	*p;
	size_t		 len;

	if ((p = slot_parsed_text(s, &len)) == NULL)
		OUT_LIT(r, "null");
	else
		out_put(r, p, len);
}

/*
 * The end of one router's result: status, times, flags, the error, and
 * with store=1 the link to the stored answer or why there is none.
 */
json_t *
format_tail(const struct api_slot *s, int with_router)
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
	if (s->share[0] != '\0')
		json_object_set_new(o, "share", json_string(s->share));
	else if (s->share_err[0] != '\0')
		json_object_set_new(o, "share_error",
		    json_string(s->share_err));
	return o;
}

/* JSON: one step of {"results":[...]}.  1 if out grew. */
static int
format_json(struct api_req *r)
{
	struct api_slot	*s;
	char		 chunk[EMIT_CHUNK];
	size_t		 n;

	if (!r->opened) {
		r->opened = 1;
		OUT_LIT(r, "{\"results\":[");
		return 1;
	}
	if (r->cur == r->nslots) {
		if (r->closed)
			return 0;
		r->closed = 1;
		OUT_LIT(r, "]}");
		return 1;
	}
	s = &r->slots[r->cur];
	if (!s->begun) {
		if (s->state == SLOT_WAIT)
			return 0;
		s->begun = 1;
		if (r->cur > 0)
			OUT_LIT(r, ",");
		out_json(r, json_pack("{s:s, s:s, s:s, s:s}", "router",
		    s->router, "type", query_name(r->type), "target",
		    r->target.canon, "command", s->command ? s->command : ""),
		    0, 1);
		OUT_LIT(r, ",\"output\":\"");
		return 1;
	}
	/* A cache hit carries its output escaped already: copied out a
	 * chunk at a time, as a live answer is. */
	if (s->hit != NULL && s->hit->json != NULL) {
		if ((n = s->hit->json_len - s->hit_json_off) > 0) {
			if (n > EMIT_CHUNK)
				n = EMIT_CHUNK;
			out_put(r, s->hit->json + s->hit_json_off, n);
			s->hit_json_off += n;
			return 1;
		}
	} else if ((n = slot_take(s, chunk, sizeof(chunk))) > 0) {
		out_escaped(r, chunk, n);
		return 1;
	}
	if (s->state != SLOT_DONE)
		return 0;
	if (!s->parsed_begun) {
		s->parsed_begun = 1;
		OUT_LIT(r, "\",\"parsed\":");
		return 1;
	}
	if (!s->parsed_done) {
		parsed_piece(r, s);
		return 1;
	}
	share_slot(r, s);
	OUT_LIT(r, ",");
	out_json(r, format_tail(s, 0), 1, 0);
	r->cur++;
	return 1;
}

static void
sse_event(struct api_req *r, const char *event, json_t *data)
{
	OUT_LIT(r, "event: ");
	out_str(r, event);
	OUT_LIT(r, "\ndata: ");
	out_json(r, data, 0, 0);
	OUT_LIT(r, "\n\n");
}

/* SSE: {"router","parsed"} after a router's last output, before its end. */
static void
sse_parsed(struct api_req *r, const struct api_slot *s)
{
	OUT_LIT(r, "event: parsed\ndata: {\"router\":\"");
	out_escaped(r, s->router, strlen(s->router));
	OUT_LIT(r, "\",\"parsed\":");
	parsed_whole(r, s);
	OUT_LIT(r, "}\n\n");
}

/* SSE: one round over the slots.  1 if out grew. */
static int
format_sse(struct api_req *r)
{
	struct api_slot	*s;
	char		 chunk[EMIT_CHUNK];
	size_t		 i, n, ended = 0, before = r->out.len;

	for (i = 0; i < r->nslots; i++) {
		s = &r->slots[(r->rr + i) % r->nslots];
		if (!s->begun && s->state != SLOT_WAIT) {
			s->begun = 1;
			sse_event(r, "begin", json_pack("{s:s, s:s}",
			    "router", s->router, "command",
			    s->command ? s->command : ""));
		}
		if (s->begun && (n = slot_take(s, chunk, sizeof(chunk))) > 0)
			sse_event(r, "output", json_pack("{s:s, s:s%}",
			    "router", s->router, "text", chunk, n));
		if (s->state == SLOT_DONE && !s->ended &&
		    slot_avail(s, &(const char *){ NULL }) == 0) {
			s->ended = 1;
			sse_parsed(r, s);
			share_slot(r, s);
			sse_event(r, "end", format_tail(s, 1));
		}
		ended += s->ended;
	}
	r->rr = (r->rr + 1) % (r->nslots ? r->nslots : 1);
	if (ended == r->nslots && !r->closed) {
		r->closed = 1;
		OUT_LIT(r, "event: done\ndata: {}\n\n");
	}
	if (r->out.len == before && r->keepalive_due)
		OUT_LIT(r, ": keep-alive\n\n");
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

/*
 * One step of a streamed format: 1 if the output grew, 0 when there is
 * nothing more to write now, -1 once a write failed (for good).
 */
int
format_step(struct api_req *r)
{
	int	 rv;

	if (r->out_err || r->f->step == NULL)
		return r->out_err ? -1 : 0;
	rv = r->f->step(r);
	return r->out_err ? -1 : rv;
}

/*
 * Whether a parsed answer is a ping that got no reply (RFC 8522 section
 * 2.3.2: the command ran and failed to succeed), with the words for it.
 */
int
format_ping_unanswered(json_t *parsed, char *why, size_t len)
{
	json_t		*sent, *received;
	const char	*kind;

	kind = json_string_value(json_object_get(parsed, "kind"));
	if (kind == NULL || strcmp(kind, "ping") != 0)
		return 0;
	sent = json_object_get(parsed, "sent");
	received = json_object_get(parsed, "received");
	if (!json_is_integer(sent) || !json_is_integer(received) ||
	    json_integer_value(sent) <= 0 || json_integer_value(received) != 0)
		return 0;
	snprintf(why, len, "no reply: none of the %lld probes was answered",
	    (long long)json_integer_value(sent));
	return 1;
}

/*
 * RFC 8522: the one slot's answer as a JSend document.  With
 * format=application/json and a parsed answer, that is the output, and
 * the text is not split into lines only to be dropped.  A ping that got
 * no reply is "fail", as the driver's error patterns make any answer.
 */
int
format_jsend(struct api_req *r)
{
	struct api_slot	*s = &r->slots[0];
	const char	*p;
	char		*copy, why[LG_ERRSTR_MAX];
	size_t		 len;
	json_t		*doc, *parsed = NULL;
	int		 unanswered;

	if (slot_error(s) != LG_OK && slot_error(s) != LG_ERR_COMMAND_FAILED)
		return rfc8522_error(r->conn, slot_error(s), s->end.message);
	if ((p = slot_parsed_text(s, &len)) != NULL)
		parsed = json_loadb(p, len, 0, NULL);
	unanswered = format_ping_unanswered(parsed, why, sizeof(why));
	if (!r->want_parsed) {
		json_decref(parsed);
		parsed = NULL;
	}
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
	else if (unanswered)
		doc = rfc8522_failed(doc, why);
	return http_queue_json(r->conn, 200, doc, EP_RFC8522);
}
