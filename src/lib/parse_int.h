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
 * Private to the parse engine (parse*.c): the fields of the route model,
 * the typed values read from captures and the compiled form of a driver's
 * "parse" section.  Outside src/lib/parse*.c only lg_parse.h is seen.
 */

#ifndef PARSE_INT_H
#define PARSE_INT_H

#include <stddef.h>

#include <jansson.h>

#include "lg_parse.h"

/* How a captured string becomes a value (parse_value.c). */
enum pv_type {
	PV_TEXT = 0,		/* verbatim */
	PV_WORD,		/* lower-cased: "external" */
	PV_PREFIX,		/* address or address/length, as printed */
	PV_ADDRESS,		/* IPv4 or IPv6 address, as printed */
	PV_ADDRLIST,		/* addresses separated by blanks or commas */
	PV_UINT,		/* 0 to 4294967295 */
	PV_FLAG,		/* a non-empty capture sets true */
	PV_ASPATH,		/* asplain/asdot, {set} (confed) [confed set] */
	PV_COMMUNITIES,		/* standard, well-known, decimal; A:B:C large */
	PV_LARGE,		/* large communities */
	PV_EXT,			/* extended communities, verbatim */
	PV_DURATION,		/* 1d02h, 3w2d, 00:12:34, 1w0d 02:03:04 */
	PV_ORIGIN,		/* i/IGP, e/EGP, ?/incomplete */
	PV_RPKI,		/* V/valid, I/invalid, N/not found, unknown */
	PV_CODES		/* status codes: each character sets a flag */
};

/* Where a field lives in the model. */
enum pf_scope {
	PF_ANSWER = 0,
	PF_PREFIX,
	PF_PATH
};

struct pf_field {
	const char	*name;		/* model key and capture name */
	enum pf_scope	 scope;
	enum pv_type	 type;
};

/*
 * The model's fields and the status pseudo-field; the table ends with a
 * NULL name (parse.c).  Capture names starting with '_' are helpers.
 */
extern const struct pf_field	 parse_fields[];
int				 parse_field_find(const char *);

enum pr_action {
	PR_NONE = 0,		/* set fields of the current path */
	PR_PREFIX,		/* a new prefix (from the prefix capture) */
	PR_PATH,		/* a new path, in a new prefix if one is captured */
	PR_ERROR		/* the text cannot be parsed: error */
};

struct pr_set {
	int		 field;
	char		*value;
};

struct pr_rule {
	struct pcre2_real_code_8 *re;
	char		*src;		/* pattern text, for messages */
	int		 line;		/* in the driver file */
	/*
	 * What every match must start with, checked before pcre2 runs:
	 * the literal text after "^" (and after leading blanks when the
	 * pattern starts "^\s*"), and the shortest line that can match.
	 */
	char		*lit;
	size_t		 litlen;
	int		 litblank;
	size_t		 minlen;
	enum pr_action	 action;
	int		 next;		/* state index, -1: stay */
	int		 cont;		/* go on with the next rule */
	int		 again;		/* match the line again in next */
	int		*groups;	/* capture group number -> field, -1 */
	unsigned int	 ngroups;	/* capture count + 1 */
	struct pr_set	*sets;
	size_t		 nsets;
	char		*message;	/* PR_ERROR */
};

struct pr_state {
	char		*name;
	struct pr_rule	*rules;
	size_t		 nrules;
};

#define PR_STATES_MAX	32
#define PR_RULES_MAX	64
#define PR_AGAIN_MAX	4	/* state changes with again, per line */
#define PR_MATCH_LIMIT	100000	/* pcre2 match limit per line and rule */
#define PR_DEPTH_LIMIT	10000	/* pcre2 backtracking depth */
#define PR_HEAP_LIMIT	20480	/* pcre2 backtracking memory, KiB */

struct parse_rules {
	unsigned int	 refs;		/* query types sharing these rules */
	struct pr_state	*states;	/* states[0] is "start" */
	size_t		 nstates;
	unsigned int	 defaults;	/* mask of fields: false or [] */
	signed char	 codes[256];	/* status code -> flag field, -1 */
	unsigned int	 maxgroups;	/* largest ngroups */
};

/* parse_value.c: 0, or -1 with err naming the bad value. */
int	 pv_uint(const char *, size_t, json_int_t *, char *, size_t);
int	 pv_duration(const char *, size_t, json_int_t *, char *, size_t);
int	 pv_address(const char *, size_t, char *, size_t);
int	 pv_prefix(const char *, size_t, char *, size_t);
int	 pv_addrlist(const char *, size_t, json_t *, char *, size_t);
int	 pv_aspath(const char *, size_t, json_t *, json_t *, char *, size_t);
int	 pv_communities(enum pv_type, const char *, size_t, json_t *,
	    json_t *, json_t *, char *, size_t);
const char *pv_origin(const char *, size_t);
const char *pv_rpki(const char *, size_t);

#endif /* PARSE_INT_H */
