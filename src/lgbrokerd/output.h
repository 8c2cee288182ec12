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

#ifndef LG_BROKER_OUTPUT_H
#define LG_BROKER_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "lg.h"

/*
 * output.c: the clean-up of raw terminal bytes into lines, and what a
 * session needs to know about them.  A struct term behaves like a tiny
 * terminal: escape sequences are swallowed, CR moves the cursor home,
 * backspace moves it left, printable bytes overwrite, LF completes the
 * line.  The line being written (the tail) is where prompts and pager
 * prompts are looked for.
 */
enum term_state {
	TERM_TEXT = 0,
	TERM_ESC,		/* after ESC */
	TERM_CSI,		/* ESC [ ... final byte */
	TERM_OSC,		/* ESC ] ... BEL or ESC \ */
	TERM_OSC_ESC,		/* ESC inside OSC */
	TERM_CHARSET,		/* ESC ( ) * + then one byte */
	TERM_CR			/* a CR: LF or overwrite follows */
};

struct term {
	enum term_state		 state;
	struct lg_buf		 line;		/* the tail being written */
	size_t			 col;		/* cursor in the tail */
	int			 overwritten;	/* CR or BS moved the cursor */
	char			 csi_param;	/* first parameter byte, or 0 */
};

void	 term_init(struct term *);
void	 term_free(struct term *);
void	 term_shrink(struct term *);
/*
 * Feeds bytes; calls line(arg, text, len) for each completed line (without
 * the newline, trailing blanks of overwritten lines trimmed).  Returns
 * 0, or -1 if a line cannot be held (memory).
 */
int	 term_feed(struct term *, const char *, size_t,
	    void (*)(void *, const char *, size_t), void *);
const char *term_tail(const struct term *, size_t *);
void	 term_clear_tail(struct term *);

/* What output_feed found at the end of a batch of bytes. */
enum out_event {
	OUT_MORE = 0,		/* keep reading */
	OUT_PAGER,		/* pager prompt: send the key */
	OUT_DONE,		/* the learned prompt, after the echo */
	OUT_OTHER_PROMPT,	/* a prompt, but not the learned one */
	OUT_WEAK_PROMPT,	/* the learned prompt on a redrawn line */
	OUT_BARE_PROMPT		/* a prompt, and no echo yet */
};

struct output {
	const struct lg_driver	*drv;
	const struct lg_filter	*gfilters;	/* config-wide filters */
	size_t			 ngfilters;
	char			 prompt[LG_COMMAND_MAX];	/* learned */
	char			 command[LG_COMMAND_MAX];	/* for echo */
	int			 echo_seen;	/* or not awaited (noecho) */
	int			 noecho;	/* the router echoes nothing */
	int			 first;		/* noecho: no text line yet */
	int			 reecho;	/* echo seen, no text line yet */
	int			 hold;		/* blank, prompt lines held */
	int			 held_bad;	/* output came while holding */
	int			 held_prompt;	/* a held line is the prompt */
	size_t			 fed;		/* bytes since output_hold */
	struct lg_buf		 held;		/* held lines, '\n' ended */
	int			 failed;	/* an errors pattern matched */
	int			 truncated;	/* cap reached */
	size_t			 cap;		/* 0: none */
	uint64_t		 total;		/* bytes passed to out */
	struct term		 term;
	struct lg_buf		 out;		/* filtered, not yet taken */
	const struct lg_regex	*intr_re;	/* reply lines, sess_intr.c */
	unsigned int		 intr_seen;	/* lines it matched */
};

void	 output_init(struct output *, const struct lg_driver *,
	    const struct lg_filter *, size_t, size_t);
void	 output_bind(struct output *, const struct lg_driver *,
	    const struct lg_filter *, size_t);
void	 output_free(struct output *);
void	 output_start(struct output *, const char *, const char *);
enum out_event output_feed(struct output *, const char *, size_t);
/* What the tail means now, as output_feed returns it. */
enum out_event output_tail_event(struct output *);
/*
 * Confirming an end.  After output_hold, blank lines and lines that are
 * the learned prompt are held back until a line of output comes, which
 * gives them back and sets held_bad.  output_confirm says 1 when the tail
 * is the answer to an empty line: the prompt again after a held prompt
 * line (echo), twice on the same line (noecho) or over itself after a
 * lone CR.  output_unhold drops what is held and stops holding.
 */
void	 output_hold(struct output *);
int	 output_confirm(const struct output *);
void	 output_unhold(struct output *);
/* Filters one line into a buffer; 0 kept, 1 dropped, -1 memory. */
int	 output_filter_line(const struct lg_filter *, size_t,
	    const struct lg_filter *, size_t, const char *, size_t,
	    struct lg_buf *);
int	 output_is_error(const struct lg_driver *, const char *, size_t);
/* Copies a string without its trailing blanks. */
void	 output_rtrim_copy(char *, size_t, const char *, size_t);
/*
 * Strips every C0 control but newline and tab, DEL and the C1 controls
 * written in UTF-8, in place; returns the new length.
 */
size_t	 output_sanitize(char *, size_t);

#endif
