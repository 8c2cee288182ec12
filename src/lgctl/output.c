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
 *
 * Text that came from a router or the broker never reaches the terminal
 * raw: term_write lets printable UTF-8 through and writes every other
 * byte (C0 and C1 controls, DEL, invalid UTF-8) as \xNN, so output or an
 * SSH peer's error text can neither move the cursor nor forge a row.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "lgctl.h"

/*
 * Writes len bytes of outside text for a terminal (see the top of the
 * file); with lines, tab and newline pass too.  Returns the bytes
 * consumed: unless final, a UTF-8 sequence cut at the end is left for
 * the next call.
 */
static size_t
term_write(FILE *f, const char *s, size_t len, int lines, int final)
{
	const uint8_t	*u = (const uint8_t *)s;
	uint32_t	 cp = 0;
	size_t		 i = 0;
	int		 n, k;

	while (i < len) {
		n = lg_utf8_seq(u + i, len - i, &cp);
		if (n == -1 && !final)
			break;
		if (n <= 0)
			n = 1;
		else if (!lg_char_control(cp) ||
		    (lines && (cp == '\n' || cp == '\t'))) {
			fwrite(u + i, 1, (size_t)n, f);
			i += (size_t)n;
			continue;
		}
		for (k = 0; k < n; k++)
			fprintf(f, "\\x%02x", u[i + k]);
		i += (size_t)n;
	}
	return i;
}

/* A one-line field for a table cell, escaped into buf. */
static const char *
term_str(char *buf, size_t size, const char *s)
{
	FILE	*m;

	buf[0] = '\0';
	buf[size - 1] = '\0';
	if ((m = fmemopen(buf, size - 1, "w")) == NULL)
		return "?";
	term_write(m, s, strlen(s), 0, 1);
	fclose(m);
	return buf;
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
	char		 queries[512], name[4 * LG_NAME_MAX];
	char		 loc[4 * sizeof(r->location)], vendor[4 * sizeof(r->vendor)];

	queries_text(r->queries, queries, sizeof(queries));
	printf("%-16s %-10s %-20s %-16s %s\n", term_str(name, sizeof(name),
	    r->name), proto_router_state_name(r->state), term_str(loc, sizeof(loc),
	    r->location), term_str(vendor, sizeof(vendor), r->vendor),
	    queries);
}

static void
text_status(const struct lg_msg_router_status *s)
{
	char	 name[4 * LG_NAME_MAX], err[4 * sizeof(s->last_error)];

	printf("%-16s %-10s %3u/%-3u %4u %4u %5u %8u %8" PRIu64 " %6u  %s\n",
	    term_str(name, sizeof(name), s->name), proto_router_state_name(s->state),
	    s->sessions_up, s->sessions_max, s->sessions_idle,
	    s->sessions_busy, s->queue_len, s->failures, s->queries,
	    s->median_ms, term_str(err, sizeof(err), s->last_error));
}

static const char *const rpki_cache_states[] = {
	[RPKI_CACHE_STANDBY] = "standby",
	[RPKI_CACHE_CONNECTING] = "connecting",
	[RPKI_CACHE_SYNCING] = "syncing",
	[RPKI_CACHE_UP] = "up",
	[RPKI_CACHE_DOWN] = "down",
	[RPKI_CACHE_EXPIRED] = "expired",
};

static const char *
rpki_cache_state_name(uint8_t st)
{
	return st <= RPKI_CACHE_STATE_LAST ? rpki_cache_states[st] : "?";
}

/* "2026-12-07T04:10:00Z", or "never" for 0. */
static const char *
utc_text(uint64_t t, char *buf, size_t len)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (t == 0 || gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return "never";
	return buf;
}

/*
 * One RTR cache; the first also says what the VRPs in use are worth: kept
 * from a lost cache until they expire, or none at all.
 */
static void
text_rpki(const struct lg_msg_rpki_status *s, int first)
{
	char	 name[4 * sizeof(s->cache)], up[32], down[32];
	char	 err[4 * sizeof(s->last_error)];

	if (first)
		printf("\nRPKI: %u IPv4 and %u IPv6 VRPs\n"
		    "%-28s %4s %-10s %10s %-20s %s\n", s->vrps4, s->vrps6,
		    "CACHE", "PREF", "STATE", "SERIAL", "LAST UPDATE",
		    "DOWN SINCE");
	printf("%-28s %4u %-10s %10u %-20s %s%s%s\n",
	    term_str(name, sizeof(name), s->cache), s->preference,
	    rpki_cache_state_name(s->state), s->serial,
	    utc_text(s->last_update, up, sizeof(up)), s->down_since == 0 ?
	    "-" : utc_text(s->down_since, down, sizeof(down)),
	    s->last_error[0] != '\0' && s->down_since != 0 ? "  " : "",
	    s->down_since != 0 ? term_str(err, sizeof(err), s->last_error) :
	    "");
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
		printf("%s| ", r->router);
		term_write(stdout, r->line.data, n, 1, 1);
		putchar('\n');
		buf_consume(&r->line, n + 1);
	}
	if (final && r->line.len > 0) {
		printf("%s| ", r->router);
		term_write(stdout, r->line.data, r->line.len, 1, 1);
		putchar('\n');
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
	size_t	 n;

	if (!several) {
		/* At most a cut UTF-8 sequence waits in line. */
		if (r->line.len > 0 && buf_append(&r->line, data, len) == 0) {
			n = term_write(stdout, r->line.data, r->line.len, 1, 0);
			buf_consume(&r->line, n);
		} else {
			n = term_write(stdout, (const char *)data, len, 1, 0);
			buf_append(&r->line, data + n, len - n);
		}
		fflush(stdout);
		return;
	}
	if (buf_append(&r->line, data, len) == -1) {
		/* A line longer than the buffer: print what there is. */
		text_prefixed(r, 1);
		buf_append(&r->line, data, len);
	}
	text_prefixed(r, 0);
	fflush(stdout);
}

static void
text_result_end(struct lgctl_result *r, int several)
{
	const char	*who = several ? r->router : "lgctl";
	char		 msg[4 * sizeof(r->end.message)];

	if (several)
		text_prefixed(r, 1);
	else if (r->line.len > 0) {
		term_write(stdout, r->line.data, r->line.len, 1, 1);
		buf_reset(&r->line);
	}
	if (r->end.flags & LG_RESULT_TRUNCATED)
		fprintf(stderr, "%s: output truncated\n", who);
	if (r->end.error != LG_OK)
		fprintf(stderr, "%s: %s: %s\n", who,
		    lg_err_name((enum lg_err)r->end.error), term_str(msg,
		    sizeof(msg), r->end.message));
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
	char	 clean[4 * LG_ERRSTR_MAX];

	term_str(clean, sizeof(clean), msg);
	if (code == LG_OK)
		printf("%s\n", clean);
	else
		fprintf(stderr, "lgctl: %s: %s\n", lg_err_name(code), clean);
}

const struct lgctl_output output_text = {
	.router = text_router,
	.routers_end = text_nothing,
	.status = text_status,
	.rpki = text_rpki,
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
	    json_queries(r->queries), "state", proto_router_state_name(r->state)));
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
	    "name", s->name, "state", proto_router_state_name(s->state),
	    "sessions_max", s->sessions_max, "sessions_up", s->sessions_up,
	    "sessions_idle", s->sessions_idle, "sessions_busy",
	    s->sessions_busy, "queue", s->queue_len, "failures",
	    (int)s->failures, "queries", (json_int_t)s->queries,
	    "median_ms", (int)s->median_ms, "last_error", s->last_error));
}

static json_t	*json_rpki_list;

static void
json_rpki(const struct lg_msg_rpki_status *s, int first)
{
	(void)first;
	if (json_rpki_list == NULL)
		json_rpki_list = json_array();
	json_array_append_new(json_rpki_list, json_pack(
	    "{s:s, s:i, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:s}",
	    "cache", s->cache, "preference", (int)s->preference, "state",
	    rpki_cache_state_name(s->state), "serial", (json_int_t)s->serial,
	    "session_id", (json_int_t)s->session_id, "last_update",
	    (json_int_t)s->last_update, "down_since",
	    (json_int_t)s->down_since, "vrps_ipv4", (json_int_t)s->vrps4,
	    "vrps_ipv6", (json_int_t)s->vrps6, "last_error", s->last_error));
}

/* {"routers": [...], "rpki": [...]}: rpki only when caches are set. */
static void
json_status_end(void)
{
	json_t		*doc;

	doc = json_pack("{s:o}", "routers", json_list_get());
	json_list = NULL;
	if (json_rpki_list != NULL)
		json_object_set_new(doc, "rpki", json_rpki_list);
	json_rpki_list = NULL;
	json_dumpf(doc, stdout, JSON_INDENT(2));
	putchar('\n');
	json_decref(doc);
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
	.rpki = json_rpki,
	.status_end = json_status_end,
	.result_begin = json_result_begin,
	.result_data = json_result_data,
	.result_end = json_result_end,
	.results_done = json_results_done,
	.hostkey = json_hostkey,
	.message = json_message,
};
