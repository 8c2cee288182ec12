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
 * Matches one typed command line against a platform's command table, the
 * way a router's parser does: word by word, literal words abbreviable when
 * the abbreviation is unique, typed placeholders checked with inet_pton.
 * The result says which row matched, or where and why the line failed, so
 * cli.c can print the caret under the offending word.
 */

#include <sys/socket.h>
#include <arpa/inet.h>

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emu.h"

#define MATCH_MAX_WORDS	32

struct words {
	const char	*start[MATCH_MAX_WORDS];
	size_t		 len[MATCH_MAX_WORDS];
	int		 n;
};

static int
split_words(const char *line, struct words *w)
{
	const char	*p = line;

	w->n = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return 0;
		if (w->n == MATCH_MAX_WORDS)
			return -1;
		w->start[w->n] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		w->len[w->n] = (size_t)(p - w->start[w->n]);
		w->n++;
	}
}

/* The idx-th word of a pattern, or NULL past its end. */
static const char *
pattern_word(const char *pat, int idx, size_t *len)
{
	const char	*p = pat, *s;
	int		 i = 0;

	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			return NULL;
		s = p;
		while (*p != '\0' && *p != ' ')
			p++;
		if (i++ == idx) {
			*len = (size_t)(p - s);
			return s;
		}
	}
}

static int
is_addr(const char *w, size_t len, int af)
{
	char		 tmp[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned char	 bin[16];
	long		 plen;

	if (len >= sizeof(tmp))
		return 0;
	memcpy(tmp, w, len);
	tmp[len] = '\0';
	if ((slash = strchr(tmp, '/')) != NULL) {
		*slash++ = '\0';
		plen = strtol(slash, &end, 10);
		if (*slash == '\0' || *end != '\0' || plen < 0 ||
		    plen > (af == AF_INET ? 32 : 128))
			return 0;
	}
	return inet_pton(af, tmp, bin) == 1;
}

static int
is_number(const char *w, size_t len)
{
	size_t		 i;

	for (i = 0; i < len; i++)
		if (!isdigit((unsigned char)w[i]))
			return 0;
	return len > 0 && len < 10;
}

/* Does word w fit placeholder ph?  "..." and <re> are handled by callers. */
static int
placeholder_ok(const char *ph, size_t phlen, const char *w, size_t len)
{
	if (phlen == 4 && strncmp(ph, "<v4>", 4) == 0)
		return is_addr(w, len, AF_INET);
	if (phlen == 4 && strncmp(ph, "<v6>", 4) == 0)
		return is_addr(w, len, AF_INET6);
	if (phlen == 4 && strncmp(ph, "<ip>", 4) == 0)
		return is_addr(w, len, AF_INET) || is_addr(w, len, AF_INET6);
	if (phlen == 3 && strncmp(ph, "<n>", 3) == 0)
		return is_number(w, len);
	if (phlen == 3 && strncmp(ph, "<w>", 3) == 0)
		return len > 0 && len < 64;
	return 0;
}

struct row_state {
	uint64_t	 alive;
	uint64_t	 done;		/* consumed the rest ("..." or <re>) */
};

static void
set_arg(struct match *m, const char *s, size_t len)
{
	if (len >= sizeof(m->arg))
		len = sizeof(m->arg) - 1;
	memcpy(m->arg, s, len);
	m->arg[len] = '\0';
}

static void
set_err(struct match *m, const char *line, const struct words *w, int i)
{
	size_t		 len;

	if (i < w->n) {
		m->errpos = (size_t)(w->start[i] - line);
		len = w->len[i];
	} else {
		m->errpos = strlen(line);
		len = 0;
	}
	m->errtoken = i + 1;
	if (len >= sizeof(m->errword))
		len = sizeof(m->errword) - 1;
	memcpy(m->errword, i < w->n ? w->start[i] : "", len);
	m->errword[len] = '\0';
}

/*
 * One step: narrows the alive rows by word i.  Returns MATCH_OK while rows
 * remain, MATCH_AMBIGUOUS when two literals share the abbreviation,
 * MATCH_INVALID when nothing is left.
 */
static enum match_res
step(const struct emu_cmd *cmds, struct row_state *rs, const struct words *w,
    int i, const char *line, struct match *m)
{
	const char	*pw, *lit = NULL;
	size_t		 pl, litlen = 0;
	uint64_t	 exact = 0, prefix = 0, ph = 0, bit;
	int		 r, distinct = 0;

	for (r = 0; cmds[r].pattern != NULL; r++) {
		bit = (uint64_t)1 << r;
		if (!(rs->alive & bit) || (rs->done & bit))
			continue;
		if ((pw = pattern_word(cmds[r].pattern, i, &pl)) == NULL) {
			rs->alive &= ~bit;
		} else if (pl == 3 && strncmp(pw, "...", 3) == 0) {
			rs->done |= bit;
		} else if (pl == 4 && strncmp(pw, "<re>", 4) == 0) {
			rs->done |= bit;
		} else if (pw[0] == '<') {
			if (placeholder_ok(pw, pl, w->start[i], w->len[i]))
				ph |= bit;
			else
				rs->alive &= ~bit;
		} else if (pl == w->len[i] &&
		    strncmp(pw, w->start[i], pl) == 0) {
			exact |= bit;
		} else if (w->len[i] < pl &&
		    strncmp(pw, w->start[i], w->len[i]) == 0) {
			prefix |= bit;
			if (lit == NULL || litlen != pl ||
			    strncmp(lit, pw, pl) != 0)
				distinct++;
			lit = pw;
			litlen = pl;
		} else
			rs->alive &= ~bit;
	}
	/*
	 * An exact keyword beats abbreviations of other keywords; two
	 * keywords sharing the abbreviation are ambiguous.  Arguments stay
	 * alive beside keywords: the row order decides at the end.
	 */
	(void)ph;
	if (exact != 0) {
		rs->alive &= ~prefix;
	} else if (prefix != 0 && distinct > 1) {
		set_err(m, line, w, i);
		return MATCH_AMBIGUOUS;
	}
	if (rs->alive == 0) {
		set_err(m, line, w, i);
		return MATCH_INVALID;
	}
	return MATCH_OK;
}

/*
 * Matches line against cmds.  On MATCH_OK m->cmd is the row and m->arg the
 * first placeholder's text ("" when none).  Otherwise m->errpos is the
 * column of the offending word (or the end of the line when incomplete).
 */
enum match_res
match_line(const struct emu_cmd *cmds, const char *line, struct match *m)
{
	struct words	 w;
	struct row_state rs = { 0 };
	const char	*pw;
	size_t		 pl;
	enum match_res	 res;
	int		 i, r, n;

	memset(m, 0, sizeof(*m));
	for (n = 0; cmds[n].pattern != NULL; n++)
		continue;
	/* platform_check() keeps n within the 64 bits of a row set. */
	rs.alive = n >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << n) - 1;
	if (split_words(line, &w) == -1 || w.n == 0) {
		set_err(m, line, &w, 0);
		return MATCH_INVALID;
	}
	for (i = 0; i < w.n; i++)
		if ((res = step(cmds, &rs, &w, i, line, m)) != MATCH_OK)
			return res;
	for (r = 0; r < n; r++) {
		if (!(rs.alive & ((uint64_t)1 << r)))
			continue;
		pw = pattern_word(cmds[r].pattern, w.n, &pl);
		if ((rs.done & ((uint64_t)1 << r)) || pw == NULL ||
		    (pl == 3 && strncmp(pw, "...", 3) == 0)) {
			m->cmd = &cmds[r];
			break;
		}
	}
	if (m->cmd == NULL) {
		set_err(m, line, &w, w.n);
		return MATCH_INCOMPLETE;
	}
	/* The first placeholder's word (or the rest, for <re>) is the arg. */
	for (i = 0; i < w.n && m->arg[0] == '\0'; i++) {
		pw = pattern_word(m->cmd->pattern, i, &pl);
		if (pw == NULL)
			break;
		if (pw[0] == '<' && strncmp(pw, "<re>", 4) != 0 &&
		    strncmp(pw, "<w>", 3) != 0)
			set_arg(m, w.start[i], w.len[i]);
		else if (strncmp(pw, "<re>", 4) == 0)
			set_arg(m, w.start[i], strlen(w.start[i]));
	}
	return MATCH_OK;
}
