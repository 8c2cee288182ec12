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
 * Router output, from raw terminal bytes to the text a client may see.
 * Pure functions over buffers: no I/O, no clock, so every rule here is
 * unit-tested and fuzzed on its own.
 *
 * term_*: a minimal terminal.  Escape sequences (CSI, OSC, charset
 * designations, other two-byte ESC sequences) are swallowed; CR moves the
 * cursor home and backspace one left, printable bytes overwrite at the
 * cursor, LF completes a line; NUL, DEL and the other C0 controls are
 * dropped.  That is how a router's "--More--" erasure, CRLF line ends and
 * readline redraws come out as the text a person would have seen.
 *
 * output_*: one command's view of those lines.  Everything up to and
 * including the line that echoes the command is dropped (stray prompts
 * and login noise included); later lines are checked against the driver's
 * error patterns, filtered (driver rules, then the global ones) and
 * appended to out, within the output cap.  After each batch the tail, the
 * line still being written, decides: the learned prompt exactly (command
 * done, once the session confirmed it), a pager prompt (answer it, drop
 * it), or another prompt-like text (the session settles and then discards
 * itself).  A router that echoes nothing (noecho, learned at login) has
 * no echo to wait for: only a first line that is the command is dropped.
 * While the session confirms an end, complete lines are held back (hold)
 * and either dropped (they were the prompt again) or given back.
 */

#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "lg.h"
#include "broker.h"

#define TERM_LINE_CAP	(OUT_LINE_MAX + 64)

void
term_init(struct term *t)
{
	t->state = TERM_TEXT;
	buf_init(&t->line, TERM_LINE_CAP);
	t->col = 0;
	t->overwritten = 0;
}

void
term_free(struct term *t)
{
	buf_free(&t->line);
}

/* Gives memory back between commands; a warm session keeps little. */
void
term_shrink(struct term *t)
{
	if (t->line.len == 0)
		buf_free(&t->line);
}

const char *
term_tail(const struct term *t, size_t *len)
{
	*len = t->line.len;
	return t->line.len ? t->line.data : "";
}

void
term_clear_tail(struct term *t)
{
	buf_reset(&t->line);
	t->col = 0;
	t->overwritten = 0;
}

static size_t
rtrim_len(const char *s, size_t len)
{
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len;
}

static void
term_emit(struct term *t, void (*line)(void *, const char *, size_t),
    void *arg)
{
	size_t	 len = t->line.len;

	if (t->overwritten)
		len = rtrim_len(t->line.data, len);
	line(arg, len ? t->line.data : "", len);
	term_clear_tail(t);
}

/* Writes one printable byte at the cursor. */
static int
term_put(struct term *t, char ch, void (*line)(void *, const char *, size_t),
    void *arg)
{
	if (t->col < t->line.len) {
		t->line.data[t->col++] = ch;
		return 0;
	}
	if (t->line.len >= OUT_LINE_MAX) {
		/* An endless line is passed on in pieces. */
		t->overwritten = 0;
		term_emit(t, line, arg);
	}
	if (buf_append(&t->line, &ch, 1) == -1)
		return -1;
	t->col = t->line.len;
	return 0;
}

static int
term_text(struct term *t, unsigned char ch,
    void (*line)(void *, const char *, size_t), void *arg)
{
	switch (ch) {
	case 0x1b:
		t->state = TERM_ESC;
		return 0;
	case '\r':
		t->state = TERM_CR;
		return 0;
	case '\n':
		term_emit(t, line, arg);
		return 0;
	case '\b':
		if (t->col > 0)
			t->col--;
		t->overwritten = 1;
		return 0;
	case '\t':
		return term_put(t, '\t', line, arg);
	default:
		if (ch < 0x20 || ch == 0x7f)
			return 0;
		return term_put(t, (char)ch, line, arg);
	}
}

static void
term_escape(struct term *t, unsigned char ch)
{
	switch (ch) {
	case '[':
		t->state = TERM_CSI;
		t->csi_param = 0;
		break;
	case ']':
		t->state = TERM_OSC;
		break;
	case '(': case ')': case '*': case '+': case '-': case '.':
	case '/': case '#': case '%':
		t->state = TERM_CHARSET;
		break;
	default:
		/* ESC 7, ESC 8, ESC =, ESC >, ESC M ...: one byte. */
		t->state = TERM_TEXT;
		break;
	}
}

/* CSI K: erase to the end of the line (0), the start (1) or all (2). */
static void
term_erase(struct term *t)
{
	switch (t->csi_param) {
	case 0:
	case '0':
		if (t->col < t->line.len) {
			t->line.len = t->col;
			t->line.data[t->col] = '\0';
		}
		break;
	case '1':
	case '2':
		if (t->line.len > 0)
			memset(t->line.data, ' ', t->col < t->line.len ?
			    t->col : t->line.len);
		if (t->csi_param == '2' && t->col < t->line.len) {
			t->line.len = t->col;
			t->line.data[t->col] = '\0';
		}
		t->overwritten = 1;
		break;
	}
}

/* One byte in a state other than plain text; returns 1 to reprocess. */
static int
term_state_byte(struct term *t, unsigned char ch)
{
	switch (t->state) {
	case TERM_ESC:
		term_escape(t, ch);
		return 0;
	case TERM_CSI:
		/* Parameters and intermediates 0x20-0x3f; final 0x40-0x7e. */
		if (ch >= 0x40 && ch <= 0x7e) {
			if (ch == 'K')
				term_erase(t);
			t->state = TERM_TEXT;
		} else if (ch >= 0x20 && ch <= 0x3f && t->csi_param == 0)
			t->csi_param = (char)ch;
		else if (ch < 0x20 && ch != 0x1b)
			return 0;	/* controls inside CSI are ignored */
		else if (ch == 0x1b)
			t->state = TERM_ESC;
		return 0;
	case TERM_OSC:
		if (ch == 0x07)
			t->state = TERM_TEXT;
		else if (ch == 0x1b)
			t->state = TERM_OSC_ESC;
		return 0;
	case TERM_OSC_ESC:
		t->state = ch == '\\' ? TERM_TEXT : TERM_OSC;
		return 0;
	case TERM_CHARSET:
		t->state = TERM_TEXT;
		return 0;
	case TERM_CR:
		t->state = TERM_TEXT;
		if (ch != '\n') {
			/* A lone CR: the cursor goes home, text overwrites. */
			t->col = 0;
			t->overwritten = 1;
		}
		return 1;
	default:
		return 1;
	}
}

int
term_feed(struct term *t, const char *data, size_t len,
    void (*line)(void *, const char *, size_t), void *arg)
{
	size_t		 i;
	unsigned char	 ch;

	for (i = 0; i < len; i++) {
		ch = (unsigned char)data[i];
		if (t->state != TERM_TEXT && !term_state_byte(t, ch))
			continue;
		if (term_text(t, ch, line, arg) == -1)
			return -1;
	}
	return 0;
}

void
output_rtrim_copy(char *dst, size_t size, const char *src, size_t len)
{
	len = rtrim_len(src, len);
	if (len >= size)
		len = size - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

size_t
output_sanitize(char *s, size_t len)
{
	size_t		 i, j;
	unsigned char	 ch;

	for (i = j = 0; i < len; i++) {
		ch = (unsigned char)s[i];
		if ((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f)
			continue;
		/*
		 * C1 controls written in UTF-8 (U+0080-U+009F: CSI, OSC...),
		 * judged on what is kept, so removals cannot form one.
		 */
		if (ch >= 0x80 && ch <= 0x9f && j > 0 &&
		    (unsigned char)s[j - 1] == 0xc2) {
			j--;
			continue;
		}
		s[j++] = s[i];
	}
	return j;
}

void
output_init(struct output *o, const struct lg_driver *drv,
    const struct lg_filter *gfilters, size_t ngfilters, size_t cap)
{
	memset(o, 0, sizeof(*o));
	output_bind(o, drv, gfilters, ngfilters);
	o->cap = cap;
	term_init(&o->term);
	buf_init(&o->out, cap ? cap + OUT_LINE_MAX : SIZE_MAX / 2);
	buf_init(&o->held, OUT_HOLD_MAX + OUT_LINE_MAX + 1);
}

/* The rules the output is read by: the driver's and the config's. */
void
output_bind(struct output *o, const struct lg_driver *drv,
    const struct lg_filter *gfilters, size_t ngfilters)
{
	o->drv = drv;
	o->gfilters = gfilters;
	o->ngfilters = ngfilters;
}

void
output_free(struct output *o)
{
	term_free(&o->term);
	buf_free(&o->out);
	buf_free(&o->held);
}

/*
 * Starts a command: what its echo looks like and what prompt ends it.
 * Earlier output is forgotten; buffers shrink back to nothing.
 */
void
output_start(struct output *o, const char *command, const char *prompt)
{
	lg_strlcpy(o->command, command, sizeof(o->command));
	output_rtrim_copy(o->command, sizeof(o->command), command,
	    strlen(command));
	lg_strlcpy(o->prompt, prompt, sizeof(o->prompt));
	o->echo_seen = o->noecho;
	o->first = o->noecho;
	o->reecho = 0;
	output_unhold(o);
	o->failed = 0;
	o->truncated = 0;
	o->total = 0;
	term_clear_tail(&o->term);
	term_shrink(&o->term);
	buf_free(&o->out);
}

int
output_is_error(const struct lg_driver *drv, const char *line, size_t len)
{
	size_t	 i;

	if (drv == NULL)
		return 0;
	for (i = 0; i < drv->nerrors; i++)
		if (regex_match(&drv->errors[i], line, len) == 1)
			return 1;
	return 0;
}

/* Replaces every match of f in text; the result goes to dst. */
static int
filter_replace(const struct lg_filter *f, const char *text, size_t len,
    struct lg_buf *dst)
{
	PCRE2_UCHAR	 small[1024], *big = NULL;
	PCRE2_SIZE	 outlen = sizeof(small);
	const char	*rep = f->replacement ? f->replacement : "";
	int		 rc;

	rc = pcre2_substitute(f->match.re, (PCRE2_SPTR)text, len, 0,
	    PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_LITERAL |
	    PCRE2_SUBSTITUTE_OVERFLOW_LENGTH, NULL, NULL, (PCRE2_SPTR)rep,
	    strlen(rep), small, &outlen);
	if (rc == PCRE2_ERROR_NOMEMORY) {
		if ((big = malloc(outlen)) == NULL)
			return -1;
		rc = pcre2_substitute(f->match.re, (PCRE2_SPTR)text, len, 0,
		    PCRE2_SUBSTITUTE_GLOBAL | PCRE2_SUBSTITUTE_LITERAL, NULL,
		    NULL, (PCRE2_SPTR)rep, strlen(rep), big, &outlen);
	}
	if (rc < 0)
		rc = buf_append(dst, text, len);	/* no match, or error */
	else
		rc = buf_append(dst, big ? big : small, outlen);
	free(big);
	return rc;
}

/* Applies one list of filters to the line in cur; 1 when dropped. */
static int
filter_list(const struct lg_filter *fl, size_t n, struct lg_buf *cur,
    struct lg_buf *tmp)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (fl[i].match.re == NULL)
			continue;
		if (regex_match(&fl[i].match, cur->len ? cur->data : "",
		    cur->len) != 1)
			continue;
		if (fl[i].action == FILTER_DROP)
			return 1;
		buf_reset(tmp);
		if (filter_replace(&fl[i], cur->len ? cur->data : "",
		    cur->len, tmp) == -1)
			return -1;
		buf_reset(cur);
		if (buf_append(cur, tmp->len ? tmp->data : "", tmp->len) == -1)
			return -1;
	}
	return 0;
}

int
output_filter_line(const struct lg_filter *dfl, size_t ndfl,
    const struct lg_filter *gfl, size_t ngfl, const char *line, size_t len,
    struct lg_buf *dst)
{
	struct lg_buf	 cur, tmp;
	int		 rc;

	buf_init(&cur, 4 * OUT_LINE_MAX);
	buf_init(&tmp, 4 * OUT_LINE_MAX);
	if ((rc = buf_append(&cur, line, len)) == 0 &&
	    (rc = filter_list(dfl, ndfl, &cur, &tmp)) == 0)
		rc = filter_list(gfl, ngfl, &cur, &tmp);
	if (rc == 0 && buf_append(dst, cur.len ? cur.data : "",
	    cur.len) == -1)
		rc = -1;
	buf_free(&cur);
	buf_free(&tmp);
	return rc;
}

/* Is the line the echo of the command?  It ends with the command text. */
static int
output_is_echo(const struct output *o, const char *line, size_t len)
{
	size_t	 clen = strlen(o->command);

	len = rtrim_len(line, len);
	if (clen > len)
		return 0;
	return memcmp(line + len - clen, o->command, clen) == 0;
}

/*
 * The command echoed a second time, behind the learned prompt: typed
 * ahead while the router's line editor was not reading (a stray prompt,
 * an interrupt reaching a prompt), the terminal echoed it once and the
 * line editor again when it read it.  Not the router's answer.
 */
static int
output_is_reecho(const struct output *o, const char *line, size_t len)
{
	size_t	 plen = rtrim_len(o->prompt, strlen(o->prompt));

	len = rtrim_len(line, len);
	if (plen == 0 || len < plen || memcmp(line, o->prompt, plen) != 0)
		return 0;
	line += plen;
	len -= plen;
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	return len == strlen(o->command) && memcmp(line, o->command, len) == 0;
}

/*
 * An echo without its newline: the line starts with the command and the
 * answer's first line follows on it.  Returns the echo's length, or 0.
 */
static size_t
output_echo_head(const struct output *o, const char *line, size_t len)
{
	size_t	 clen = strlen(o->command);

	if (clen == 0 || len <= clen || memcmp(line, o->command, clen) != 0)
		return 0;
	return clen;
}

/* A line with nothing filtered out must fit the cap, or it truncates. */
static void
output_keep(struct output *o, const char *line, size_t len)
{
	size_t	 before = o->out.len;

	if (o->truncated)
		return;
	if (output_filter_line(o->drv ? o->drv->filters : NULL,
	    o->drv ? o->drv->nfilters : 0, o->gfilters, o->ngfilters, line,
	    len, &o->out) == 1) {
		o->out.len = before;
		return;
	}
	if (o->out.len == before && len > 0)
		return;		/* replaced by nothing: keep no line */
	o->out.len = output_sanitize(o->out.data + before,
	    o->out.len - before) + before;
	if (buf_append(&o->out, "\n", 1) == -1 ||
	    (o->cap && o->total + (o->out.len - before) > o->cap)) {
		o->out.len = before;
		if (o->out.data)
			o->out.data[before] = '\0';
		o->truncated = 1;
		return;
	}
	o->total += o->out.len - before;
}

/* Is the text, without its trailing blanks, the learned prompt exactly? */
static int
output_is_learned(const struct output *o, const char *text, size_t len)
{
	size_t	 plen = strlen(o->prompt);

	return rtrim_len(text, len) == plen &&
	    memcmp(text, o->prompt, plen) == 0;
}

/*
 * Is the line blank, the learned prompt, or a line the driver's prompt
 * pattern takes as part of the prompt above it (Junos "{master:0}")?
 * These are what an answer to an empty line is made of.
 */
static int
output_is_prompt_line(const struct output *o, const char *line, size_t len)
{
	char	 text[2 * LG_COMMAND_MAX];
	size_t	 plen = strlen(o->prompt), start;

	len = rtrim_len(line, len);
	if (len == 0 || output_is_learned(o, line, len))
		return 1;
	if (o->drv == NULL || len + 1 + plen > sizeof(text))
		return 0;
	memcpy(text, line, len);
	text[len] = '\n';
	memcpy(text + len + 1, o->prompt, plen);
	return regex_find(&o->drv->prompt, text, len + 1 + plen, &start,
	    NULL) == 1 && start == 0;
}

/* One complete line of the command's answer. */
static void
output_take(struct output *o, const char *line, size_t len)
{
	size_t	 head;

	if (!o->echo_seen) {
		if (output_is_echo(o, line, len))
			o->echo_seen = o->reecho = 1;
		else if ((head = output_echo_head(o, line, len)) > 0) {
			o->echo_seen = 1;
			output_take(o, line + head, len - head);
		}
		return;
	}
	if (o->reecho && rtrim_len(line, len) > 0) {
		o->reecho = 0;
		if (output_is_reecho(o, line, len))
			return;
	}
	if (o->first && rtrim_len(line, len) > 0) {
		/* No echo is awaited, but a router may echo after all. */
		o->first = 0;
		if (output_is_echo(o, line, len))
			return;
		head = output_echo_head(o, line, len);
		line += head;
		len -= head;
	}
	if (output_is_error(o->drv, line, len))
		o->failed = 1;
	if (o->intr_re != NULL && regex_match(o->intr_re, line, len) == 1)
		o->intr_seen++;
	output_keep(o, line, len);
}

/* The held lines go to the output after all. */
static void
output_flush_held(struct output *o)
{
	struct lg_buf	 held = o->held;
	const char	*p, *nl;

	buf_init(&o->held, OUT_HOLD_MAX + OUT_LINE_MAX + 1);
	o->held_prompt = 0;
	for (p = held.data; p != NULL && p < held.data + held.len; p = nl + 1) {
		nl = memchr(p, '\n', held.len - (size_t)(p - held.data));
		output_take(o, p, (size_t)(nl - p));
	}
	buf_free(&held);
}

/* A line while an end is being confirmed. */
static void
output_hold_line(struct output *o, const char *line, size_t len)
{
	if (!output_is_prompt_line(o, line, len) ||
	    o->held.len + len + 1 > OUT_HOLD_MAX) {
		o->held_bad = 1;
		output_flush_held(o);
		output_take(o, line, len);
		return;
	}
	if (buf_append(&o->held, line, len) == -1 ||
	    buf_append(&o->held, "\n", 1) == -1) {
		o->truncated = 1;
		return;
	}
	if (output_is_learned(o, line, len))
		o->held_prompt = 1;
}

static void
output_line(void *arg, const char *line, size_t len)
{
	struct output	*o = arg;

	if (o->hold)
		output_hold_line(o, line, len);
	else
		output_take(o, line, len);
}

static int
output_prompt_match(const struct output *o, const char *tail, size_t len)
{
	if (o->drv == NULL || o->drv->prompt.re == NULL)
		return 0;
	return regex_match(&o->drv->prompt, tail, len) == 1;
}

enum out_event
output_feed(struct output *o, const char *data, size_t len)
{
	if (o->hold)
		o->fed += len;
	if (term_feed(&o->term, data, len, output_line, o) == -1)
		o->truncated = 1;
	return output_tail_event(o);
}

/*
 * A prompt in the tail before the echo is OUT_BARE_PROMPT: it ends
 * nothing, but tells a session still preparing that the router does not
 * echo.
 */
enum out_event
output_tail_event(struct output *o)
{
	const char	*tail;
	size_t		 tlen;

	tail = term_tail(&o->term, &tlen);
	if (tlen == 0)
		return OUT_MORE;
	if (o->drv && o->drv->pager.re && o->echo_seen &&
	    regex_match(&o->drv->pager, tail, tlen) == 1) {
		term_clear_tail(&o->term);
		return OUT_PAGER;
	}
	if (!output_prompt_match(o, tail, tlen))
		return OUT_MORE;
	if (!o->echo_seen)
		return OUT_BARE_PROMPT;
	if (output_is_learned(o, tail, tlen))
		return o->term.overwritten ? OUT_WEAK_PROMPT : OUT_DONE;
	return OUT_OTHER_PROMPT;
}

void
output_hold(struct output *o)
{
	o->hold = 1;
	o->held_bad = 0;
	o->fed = 0;
}

/* Is text the prompt, blanks, the prompt again, blanks? */
static int
output_is_prompt_twice(const struct output *o, const char *text, size_t len)
{
	size_t	 plen = strlen(o->prompt);

	len = rtrim_len(text, len);
	if (plen == 0 || len < 2 * plen ||
	    memcmp(text + len - plen, o->prompt, plen) != 0)
		return 0;
	return output_is_learned(o, text, len - plen);
}

int
output_confirm(const struct output *o)
{
	const char	*tail;
	size_t		 tlen;

	tail = term_tail(&o->term, &tlen);
	if (output_is_prompt_twice(o, tail, tlen))
		return 1;
	if (!output_is_learned(o, tail, tlen))
		return 0;
	return o->held_prompt || (o->term.overwritten && o->fed > 0);
}

void
output_unhold(struct output *o)
{
	o->hold = 0;
	o->held_bad = 0;
	o->held_prompt = 0;
	buf_free(&o->held);
}
