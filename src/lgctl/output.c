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
 * lgctl's renderers: human text by default, JSON with -j.  Text streams a
 * router's output as it arrives (prefixing each line with the router's name
 * when several answer at once); JSON collects each answer and prints one
 * document at the end, in the shape of the HTTP API's results.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "lgctl.h"

static const char *const state_names[] = {
	[ROUTER_STATE_UNKNOWN] = "unknown",
	[ROUTER_STATE_UP] = "up",
	[ROUTER_STATE_CONNECTING] = "connecting",
	[ROUTER_STATE_DOWN] = "down",
};

const char *
router_state_name(uint8_t state)
{
	if (state > ROUTER_STATE_LAST)
		return "unknown";
	return state_names[state];
}

static void
queries_text(uint32_t mask, char *out, size_t len)
{
	unsigned int	 q;

	out[0] = '\0';
	for (q = 0; q < Q_COUNT; q++) {
		if ((mask & Q_MASK(q)) == 0)
			continue;
		if (out[0] != '\0')
			lg_strlcat(out, ",", len);
		lg_strlcat(out, query_name((enum lg_query_type)q), len);
	}
}

static void
text_router(const struct lg_msg_router *r)
{
	char		 queries[512];

	queries_text(r->queries, queries, sizeof(queries));
	printf("%-16s %-10s %-20s %-16s %s\n", r->name,
	    router_state_name(r->state), r->location, r->vendor, queries);
}

static void
text_status(const struct lg_msg_router_status *s)
{
	printf("%-16s %-10s %3u/%-3u %4u %4u %5u %8u %8" PRIu64 " %6u  %s\n",
	    s->name, router_state_name(s->state), s->sessions_up,
	    s->sessions_max, s->sessions_idle, s->sessions_busy, s->queue_len,
	    s->failures, s->queries, s->median_ms, s->last_error);
}

static void
text_nothing(void)
{
}

/* Writes complete lines of a router's output, each after its name. */
static void
text_prefixed(struct lgctl_result *r, int final)
{
	char		*nl;
	size_t		 n;

	while ((nl = memchr(r->line.data, '\n', r->line.len)) != NULL) {
		n = (size_t)(nl - r->line.data);
		printf("%s| %.*s\n", r->router, (int)n, r->line.data);
		buf_consume(&r->line, n + 1);
	}
	if (final && r->line.len > 0) {
		printf("%s| %s\n", r->router, r->line.data);
		buf_reset(&r->line);
	}
}

static void
text_result_begin(struct lgctl_result *r, int several)
{
	if (several)
		printf("%s| %% %s\n", r->router, r->command);
	fflush(stdout);
}

static void
text_result_data(struct lgctl_result *r, int several, const uint8_t *data,
    size_t len)
{
	if (!several) {
		fwrite(data, 1, len, stdout);
		fflush(stdout);
		return;
	}
	if (buf_append(&r->line, data, len) == -1) {
		/* A line longer than the buffer: print what there is. */
		printf("%s| %s\n", r->router, r->line.data);
		buf_reset(&r->line);
		buf_append(&r->line, data, len);
	}
	text_prefixed(r, 0);
	fflush(stdout);
}

static void
text_result_end(struct lgctl_result *r, int several)
{
	const char	*who = several ? r->router : "lgctl";

	if (several)
		text_prefixed(r, 1);
	if (r->end.flags & LG_RESULT_TRUNCATED)
		fprintf(stderr, "%s: output truncated\n", who);
	if (r->end.error != LG_OK)
		fprintf(stderr, "%s: %s: %s\n", who,
		    lg_err_name((enum lg_err)r->end.error), r->end.message);
	fflush(stdout);
}

static void
text_results_done(struct lgctl_result *r, size_t n)
{
	(void)r;
	(void)n;
}

static void
text_hostkey(const char *router, const char *type, const char *fp,
    const char *line)
{
	printf("router:      %s\nkey type:    %s\nfingerprint: %s\n"
	    "known_hosts: %s\n", router, type, fp, line);
}

static void
text_message(enum lg_err code, const char *msg)
{
	if (code == LG_OK)
		printf("%s\n", msg);
	else
		fprintf(stderr, "lgctl: %s: %s\n", lg_err_name(code), msg);
}

const struct lgctl_output output_text = {
	.router = text_router,
	.routers_end = text_nothing,
	.status = text_status,
	.status_end = text_nothing,
	.result_begin = text_result_begin,
	.result_data = text_result_data,
	.result_end = text_result_end,
	.results_done = text_results_done,
	.hostkey = text_hostkey,
	.message = text_message,
};

/* JSON: documents are built with jansson and printed once complete. */

static json_t	*json_list;

static json_t *
json_list_get(void)
{
	if (json_list == NULL)
		json_list = json_array();
	return json_list;
}

static void
json_print_list(const char *key)
{
	json_t		*doc;

	doc = json_pack("{s:o}", key, json_list_get());
	json_list = NULL;
	json_dumpf(doc, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(doc);
}

static json_t *
json_queries(uint32_t mask)
{
	json_t		*a = json_array();
	unsigned int	 q;

	for (q = 0; q < Q_COUNT; q++)
		if (mask & Q_MASK(q))
			json_array_append_new(a,
			    json_string(query_name((enum lg_query_type)q)));
	return a;
}

static void
json_router(const struct lg_msg_router *r)
{
	json_array_append_new(json_list_get(), json_pack(
	    "{s:s, s:s, s:s, s:s, s:o, s:s}", "name", r->name, "location",
	    r->location, "group", r->group, "vendor", r->vendor, "queries",
	    json_queries(r->queries), "state", router_state_name(r->state)));
}

static void
json_routers_end(void)
{
	json_print_list("routers");
}

static void
json_status(const struct lg_msg_router_status *s)
{
	json_array_append_new(json_list_get(), json_pack(
	    "{s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:I, s:i, s:s}",
	    "name", s->name, "state", router_state_name(s->state),
	    "sessions_max", s->sessions_max, "sessions_up", s->sessions_up,
	    "sessions_idle", s->sessions_idle, "sessions_busy",
	    s->sessions_busy, "queue", s->queue_len, "failures",
	    (int)s->failures, "queries", (json_int_t)s->queries,
	    "median_ms", (int)s->median_ms, "last_error", s->last_error));
}

static void
json_status_end(void)
{
	json_print_list("routers");
}

static void
json_result_begin(struct lgctl_result *r, int several)
{
	(void)r;
	(void)several;
}

static void
json_result_data(struct lgctl_result *r, int several, const uint8_t *data,
    size_t len)
{
	(void)several;
	if (buf_append(&r->output, data, len) == -1)
		r->end.flags |= LG_RESULT_TRUNCATED;
}

static void
json_result_end(struct lgctl_result *r, int several)
{
	(void)r;
	(void)several;
}

/*
 * The parsed answer as the broker sent it, null when it sent none, an
 * error object in the model's shape when it cannot be read.
 */
static json_t *
json_parsed(const struct lgctl_result *r)
{
	json_t		*j;

	if (r->parsed.cap == 0)
		return json_pack("{s:s, s:n}", "error",
		    "the parsed answer is too large", "line");
	if (r->parsed.len == 0)
		return json_null();
	if ((j = json_loadb(r->parsed.data, r->parsed.len, 0, NULL)) == NULL ||
	    !json_is_object(j)) {
		json_decref(j);
		return json_pack("{s:s, s:n}", "error",
		    "the parsed answer could not be read", "line");
	}
	return j;
}

static json_t *
json_result(const struct lgctl_result *r)
{
	json_t		*o;
	int		 ok = r->ended && r->end.error == LG_OK;

	o = json_pack("{s:s, s:s, s:s, s:s%, s:i, s:b}", "router", r->router,
	    "command", r->command, "status", ok ? "ok" : "error", "output",
	    r->output.data != NULL ? r->output.data : "", r->output.len,
	    "runtime_ms", (int)r->end.runtime_ms, "truncated",
	    (r->end.flags & LG_RESULT_TRUNCATED) != 0);
	json_object_set_new(o, "parsed", json_parsed(r));
	if (!ok)
		json_object_set_new(o, "error", json_pack("{s:s, s:s}",
		    "code", r->ended ? lg_err_name((enum lg_err)r->end.error) :
		    "broker_unavailable", "message", r->ended ?
		    r->end.message : "the broker went away"));
	return o;
}

static void
json_results_done(struct lgctl_result *r, size_t n)
{
	size_t		 i;

	for (i = 0; i < n; i++)
		json_array_append_new(json_list_get(), json_result(&r[i]));
	json_print_list("results");
}

static void
json_hostkey(const char *router, const char *type, const char *fp,
    const char *line)
{
	json_t		*doc;

	doc = json_pack("{s:s, s:s, s:s, s:s}", "router", router, "type",
	    type, "fingerprint", fp, "known_hosts", line);
	json_dumpf(doc, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(doc);
}

static void
json_message(enum lg_err code, const char *msg)
{
	json_t		*doc;

	if (code == LG_OK)
		doc = json_pack("{s:s, s:s}", "status", "ok", "message", msg);
	else
		doc = json_pack("{s:{s:s, s:s}}", "error", "code",
		    lg_err_name(code), "message", msg);
	json_dumpf(doc, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(doc);
}

const struct lgctl_output output_json = {
	.router = json_router,
	.routers_end = json_routers_end,
	.status = json_status,
	.status_end = json_status_end,
	.result_begin = json_result_begin,
	.result_data = json_result_data,
	.result_end = json_result_end,
	.results_done = json_results_done,
	.hostkey = json_hostkey,
	.message = json_message,
};
