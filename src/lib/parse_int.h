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
 * Private to the parse engine (parse*.c): the kinds of answer and the
 * fields of each model, the typed values read from captures and the
 * compiled form of a driver's "parse" section.  Outside src/lib/parse*.c
 * only lg_parse.h is seen.
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
	PV_CODES,		/* status codes: each character sets a flag */
	PV_ASN,			/* asplain or asdot, as an integer */
	PV_DECIMAL,		/* 12, 0.345, 100.0: a JSON number */
	PV_LABELS		/* MPLS labels: integers, each kept once */
};

/*
 * Where a field lives in the model: the answer, an item of its list (a
 * prefix, neighbor, hop or RIB entry) or a member of an item's own list
 * (a path, probe or next hop).  Hidden fields are read but not shown.
 */
enum pf_scope {
	PF_ANSWER = 0,
	PF_ITEM,
	PF_SUB,
	PF_HIDDEN
};

struct pf_field {
	const char	*name;		/* capture name, and model key */
	enum pf_scope	 scope;
	enum pv_type	 type;
	const char	*parent;	/* answer object holding it, or NULL */
	const char	*key;		/* key in parent */
};

/*
 * A kind of answer (DESIGN.md section 12): its name, its list of items
 * and each item's list, the action names that start them, and its fields
 * (parse.c).  fields[0] is the item's key: a capture of it starts a new
 * item when it differs from the current one.  The table ends with a NULL
 * name; capture names starting with '_' are helpers.
 */
struct pk_kind {
	const char		*name;		/* "bgp_routes" */
	const char		*items;		/* "prefixes" */
	const char		*subs;		/* "paths", or NULL */
	const char		*item_action;	/* "prefix" */
	const char		*sub_action;	/* "path", or NULL */
	int			 routes;	/* not_found, drop empty items */
	const struct pf_field	*fields;
};

enum pk_id {
	PK_ROUTES = 0,
	PK_RIB,
	PK_SUMMARY,
	PK_NEIGHBORS,
	PK_PING,
	PK_TRACEROUTE,
	PK_MTR,
	PK_COUNT
};

extern const struct pk_kind	 parse_kinds[];
/* The kind of a query type's answer, or NULL if none is parsed. */
const struct pk_kind		*parse_kind(enum lg_query_type);
int				 parse_field_find(const struct pk_kind *,
				    const char *);

enum pr_action {
	PR_NONE = 0,		/* set fields of the current item or sub */
	PR_PREFIX,		/* a new item (prefix, neighbor, hop, entry) */
	PR_PATH,		/* a new sub (path, probe, next hop), in a new
				   item if the item's key is captured */
	PR_ERROR		/* the text cannot be parsed: error */
};

struct pr_set {
	int		 field;
	char		*value;
};

enum pr_simple {
	PRS_NONE = 0,		/* pcre2 matches it */
	PRS_ANY,		/* (?<x>.*): any run, even an empty one */
	PRS_RUN			/* (?<x>[...]+), \\S+, \\d+: one or more */
};

struct pr_rule {
	struct pcre2_real_code_8 *re;
	char		*src;		/* pattern text, for messages */
	int		 line;		/* in the driver file */
	/*
	 * What every match must start with, checked before pcre2 runs:
	 * the literal text after "^" (and after leading blanks when the
	 * pattern starts "^\s*") or else the characters it can start
	 * with (pr_first), the shortest line that can match and literal
	 * text any match holds beyond that start (pr_required).
	 */
	char		*lit;
	size_t		 litlen;
	size_t		 litsrc;	/* where the pattern goes on past it */
	int		 litblank;
	int		 litcase;	/* "(?i)^": lit compared caseless */
	size_t		 minlen;
	char		*req;		/* text every match holds */
	size_t		 reqlen;
	size_t		 reqkey;	/* its first non-blank, looked for */
	unsigned char	 first[32];	/* bitmap: a match's first character,
					   or the one after lit */
	int		 firstset;	/* first[] is to be checked */
	int		 firstblank;	/* ... past the line's leading blanks */
	/*
	 * A simple rule (pr_simple) is its literal start, one capture of
	 * a run of characters and perhaps "$": "^  Community: (?<c>.*)$",
	 * "^\\tBGP\\.med: (?<med>\\d+)".  The engine matches it without
	 * pcre2: the run's characters (as pcre2 matches them), an optional
	 * character before a ".*" run, and whether the run must end the
	 * line.
	 */
	enum pr_simple	 simple;
	unsigned char	 run[32];	/* bitmap of the run's characters */
	int		 runopt;	/* "x?" before the run, or -1 */
	int		 runend;	/* "$" follows the run */
	int		 runnl;		/* the run is every byte but LF */
	enum pr_action	 action;
	int		 next;		/* state index, -1: stay */
	int		 cont;		/* go on with the next rule */
	int		 again;		/* match the line again in next */
	int		 rest;		/* match the rest of the line in next */
	int		 carry;		/* a new sub copies the one before */
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
	/*
	 * The rules a line may match by its first byte and by its first
	 * byte past its blanks (pr_dispatch): bit i for rules[i], clear
	 * where the rule's literal start or first characters refuse it.
	 */
	unsigned long long at0[256];
	unsigned long long atblank[256];
};

#define PR_STATES_MAX	32
#define PR_RULES_MAX	64
#define PR_AGAIN_MAX	4	/* state changes with again, per line */
#define PR_REST_MAX	64	/* matches of the rest of a line, per line */
#define PR_MATCH_LIMIT	100000	/* pcre2 match limit per line and rule */
#define PR_DEPTH_LIMIT	10000	/* pcre2 backtracking depth */
#define PR_HEAP_LIMIT	20480	/* pcre2 backtracking memory, KiB */

struct parse_rules {
	unsigned int	 refs;		/* query types sharing these rules */
	const struct pk_kind *kind;
	struct pr_state	*states;	/* states[0] is "start" */
	size_t		 nstates;
	unsigned long long defaults;	/* mask of fields: false or [] */
	signed char	 codes[256];	/* status code -> flag field, -1 */
	unsigned int	 maxgroups;	/* largest ngroups */
};

/*
 * One answer being parsed (parse.c), shared with parse_store.c, which
 * puts the values in it.
 */
#define PARSE_ERR_MAX		256
#define PF_FIELDS_MAX		64	/* fields of a kind (defaults' mask) */
#define PF_SEGMENTS		PF_FIELDS_MAX	/* sub[]: as_path_segments */
#define PARSE_VALUE_COST	48	/* bytes a JSON value costs, roughly */

/* parse_intern.c: values shared through one parser's answer. */
#define PV_INTERN_INT_BITS	8
#define PV_INTERN_STR_BITS	9
struct pv_intern {
	json_t		*ints[1 << PV_INTERN_INT_BITS];
	json_t		*strs[1 << PV_INTERN_STR_BITS];
};

struct parser {
	const struct parse_rules *rules;
	const struct pk_kind	*kind;
	const char		*file;		/* driver file, for messages */
	size_t			 max_prefixes;
	size_t			 budget;	/* bytes of model left */
	size_t			 line;		/* lines seen */
	size_t			 state;
	json_t			*answer;
	json_t			*prefixes;	/* answer's items, borrowed */
	json_t			*prefix;	/* current item, borrowed */
	/*
	 * The sub being read (path, probe, next hop): its values by field
	 * (NULL: not read, the field's default), as_path_segments last.
	 * Its object is made once, in the table's order, when it ends
	 * (parser_end_path) and goes in its item's list then.
	 */
	int			 insub;
	json_t			*sub[PF_FIELDS_MAX + 1];
	char			*key;		/* current item's, verbatim */
	char			*target;	/* traceroute, as printed */
	size_t			 nprefixes;
	int			 truncated;
	int			 failed;
	size_t			 error_line;
	char			 error[PARSE_ERR_MAX];
	struct pcre2_real_match_data_8 *md;
	struct pcre2_real_match_context_8 *mc;
	size_t			 ov[4];		/* a simple rule's match */
	char			*partial;	/* parser_feed_text */
	size_t			 npartial;
	int			 overlong;	/* partial line past the max */
	struct pv_intern	 intern;
};

/* parse.c */
int	 parser_fail(struct parser *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
int	 parser_spend(struct parser *, size_t);
char	*parser_copy(const char *, size_t);

/* parse_kinds.c: what a kind's answer gets once it is read. */
void	 parser_finish_ping(struct parser *);
void	 parser_finish_traceroute(struct parser *);

/* parse_sub.c */
json_t	*parser_object(struct parser *, enum pf_scope, int);
json_t	*parser_sub_get(struct parser *, int);
void	 parser_sub_set(struct parser *, int, json_t *);
void	 parser_sub_clear(struct parser *);
int	 parser_sub_copy(struct parser *, const json_t *);

/* parse_store.c: 0, or -1 with the failure recorded on the parser. */
int	 ps_set(struct parser *, int, const char *, size_t);

/* parse_intern.c */
json_t	*pv_int(struct pv_intern *, json_int_t);
json_t	*pv_string(struct pv_intern *, const char *, size_t);
void	 pv_intern_clear(struct pv_intern *);

/*
 * parse_value.c: 0, or -1 with err naming the bad value.  A struct
 * pv_intern may be NULL: every value is then made anew.
 */
int	 pv_uint(const char *, size_t, json_int_t *, char *, size_t);
int	 pv_asnumber(const char *, size_t, json_int_t *, char *, size_t);
int	 pv_decimal(const char *, size_t, double *, char *, size_t);
int	 pv_labels(struct pv_intern *, const char *, size_t, json_t *, char *,
	    size_t);
int	 pv_duration(const char *, size_t, json_int_t *, char *, size_t);
int	 pv_address(const char *, size_t, char *, size_t);
int	 pv_prefix(const char *, size_t, char *, size_t);
int	 pv_addrlist(struct pv_intern *, const char *, size_t, json_t *,
	    char *, size_t);
int	 pv_aspath(struct pv_intern *, const char *, size_t, json_t *,
	    json_t *, char *, size_t);
int	 pv_communities(struct pv_intern *, enum pv_type, const char *,
	    size_t, json_t *, json_t *, json_t *, char *, size_t);
const char *pv_origin(const char *, size_t);
const char *pv_rpki(const char *, size_t);

/* parse_prefilter.c: a compiled rule's prefilters, from its source. */
void	 pr_literal(struct pr_rule *, const char *);
void	 pr_required(struct pr_rule *, const char *);
void	 pr_first(struct pr_rule *, const char *);
void	 pr_simple(struct pr_rule *);
void	 pr_dispatch(struct pr_state *);

/* parse.c: a simple rule's match without pcre2 (see pr_simple). */
int	 parser_simple(const struct pr_rule *, const char *, size_t, size_t,
	    size_t *);

#endif /* PARSE_INT_H */
