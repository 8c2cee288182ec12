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
 * Structured answers (DESIGN.md section 12): the parse engine turns a
 * router's text, as the user sees it (filtered, echo and prompt removed),
 * into the model published in schema/parsed.schema.json.  The rules are
 * data in each driver file (the "parse" section, see
 * lorgnette-drivers(5)); they are loaded with the driver and run by one
 * engine.  Linked by lgbrokerd (which parses every answer) and lgctl
 * (lgctl parse); lgwebd never includes this header.
 *
 * Use, for one answer:
 *
 *	p = parser_new(drv, Q_BGP_ROUTE, AFI_IPV4, max, err, sizeof(err));
 *	if (p == NULL)
 *		parsed = err[0] == '\0' ? json_null() : <internal error>;
 *	for each line of output: parser_feed(p, line, len);
 *	parsed = parser_finish(p);
 *	parser_free(p);
 *
 * The parser streams: it keeps one line, the prefixes parsed so far (at
 * most max_prefixes of them, then "truncated" is true) and nothing else.
 */

#ifndef LG_PARSE_H
#define LG_PARSE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "lg.h"

#define PARSE_SCHEMA_VERSION	"1"	/* schema/parsed.schema.json */
#define PARSE_MAX_PREFIXES	10000	/* default of broker.parse_max_prefixes */
#define PARSE_LINE_MAX		(64 * 1024)	/* longer lines: parse error */
/* Times and percentages as routers print them: 0.082, not 0.08200000000000001. */
#define PARSE_JSON_REAL		JSON_REAL_PRECISION(12)

struct parser;		/* one answer being parsed, streaming */
struct parse_rules;	/* compiled rules of one driver, one query type */

/*
 * parse.c.
 *
 * parser_new: a parser for the answer of one query.  afi is the family
 * of the command (AFI_ANY when the answers of both families' commands
 * are fed one after the other; call parser_next_command between them).
 * max_prefixes 0 means PARSE_MAX_PREFIXES.  Returns NULL with err empty
 * when the driver has no rules for this type (parsed is then null), or
 * NULL with err set on an allocation failure.
 */
struct parser	*parser_new(const struct lg_driver *, enum lg_query_type,
		    enum lg_afi, size_t max_prefixes, char *err, size_t errlen);
/*
 * One line of output, without its newline (a trailing CR is ignored).
 * Memory stays bounded whatever the input.  Returns 0, or -1 once the
 * parse has failed (later lines are ignored; parser_finish reports the
 * error and its line).
 */
int		 parser_feed(struct parser *, const char *, size_t);
/*
 * Raw text in arbitrary chunks: split on '\n' here, a partial last line
 * is kept (bounded by PARSE_LINE_MAX) until the next chunk or finish.
 * Same return as parser_feed.
 */
int		 parser_feed_text(struct parser *, const char *, size_t);
/* The output of the next command of the same query begins. */
void		 parser_next_command(struct parser *);
/*
 * The output was cut (the broker's output cap): drops the item being
 * read, which may be incomplete, and marks the answer truncated.  Call
 * before parser_finish.
 */
void		 parser_cut(struct parser *);
/*
 * The model object (DESIGN.md section 12), or {"error": "...", "line": N}
 * when the text could not be parsed.  The caller owns the reference.
 * Call once; NULL only on allocation failure.
 */
json_t		*parser_finish(struct parser *);
/*
 * The address the probes went to, for an answer that does not print it
 * (mtr's report): a traceroute or mtr is complete when its last hop
 * answered from there.  0, or -1 without memory.
 */
int		 parser_set_target(struct parser *, const char *);
void		 parser_free(struct parser *);
/* 1 if the driver has rules for this query type. */
int		 parser_supported(const struct lg_driver *, enum lg_query_type);
/*
 * The items list of a route answer (borrowed) and in *ndone how many of
 * its first items the parser will no longer change, nor remove; NULL for
 * other kinds.
 */
json_t		*parser_routes(const struct parser *, size_t *);

/*
 * parse_rules.c: the "parse" section of a driver file, called by the
 * driver loader (src/lib/driver.c); problems go to diag as file:line.
 */
struct config_setting_t;
int		 parse_rules_load(const struct config_setting_t *,
		    struct lg_driver *, const char *, struct lg_diag *);
void		 parse_rules_free(struct parse_rules *);

/*
 * Route facts (DESIGN.md section 13): names and descriptions the
 * operator supplies, and the hook through which the broker's RPKI
 * validation reaches each path.  Loaders report every bad line as a
 * file:line warning in diag and keep the good ones: a bad line costs
 * that line, never the rest.
 */
#define FACTS_NAME_MAX		128	/* an AS name, a description */
#define COMMDESC_FILES_MAX	256	/* files in the communities dir */
#define COMMDESC_DESCR_MAX	256	/* a community description */

struct asname {
	uint32_t		 asn;
	uint32_t		 seq;	/* line order, while loading */
	char			*name;
};

struct lg_asnames {
	struct asname		*v;	/* sorted by asn, unique */
	size_t			 n;
};

/* One field of a community pattern: lo-hi, or digits with 'n'. */
struct commdesc_field {
	uint32_t		 lo, hi;
	char			 wild[11];	/* "1nnn", or "" */
};

struct commdesc_pattern {
	int			 large;		/* 3 fields, else 2 */
	struct commdesc_field	 f[3];
	char			*text;		/* the pattern as written */
	char			*descr;
};

struct lg_commdesc {
	struct commdesc_pattern	*v;	/* in file and line order */
	size_t			 n;
};

/*
 * What a path's origin validation says, as the schema writes it; the
 * hook fills it for a prefix ("192.0.2.0/24") and an origin AS.
 */
enum rpki_state {
	RPKI_UNKNOWN = 0,	/* no validator data */
	RPKI_VALID,
	RPKI_INVALID,
	RPKI_NOT_FOUND
};

enum rpki_reason {
	RPKI_REASON_NONE = 0,
	RPKI_REASON_ORIGIN,
	RPKI_REASON_MAX_LENGTH
};

/*
 * The VRPs a path lists (rpki_vrps): for a valid path those that make it
 * valid, for an invalid one those that cover its prefix; at most
 * RPKI_VRPS_MAX, so that an answer stays bounded.
 */
#define RPKI_VRPS_MAX		8

struct rpki_vrp {
	struct lg_prefix	 prefix;
	uint8_t			 max_length;
	uint32_t		 asn;
};

struct rpki_result {
	enum rpki_state		 state;
	enum rpki_reason	 reason;
	size_t			 nvrps;
	struct rpki_vrp		 vrps[RPKI_VRPS_MAX];
};

struct facts {
	const struct lg_asnames	*asnames;	/* NULL: none configured */
	const struct lg_commdesc *commdesc;	/* NULL: built-in only */
	/* NULL: no validation configured.  Fills the whole result. */
	void			(*rpki)(void *, const struct lg_prefix *,
				    uint32_t, struct rpki_result *);
	void			*rpki_arg;
};

/* asnames.c: asn_names = "FILE", "asn,name[,...]" lines. */
int		 asnames_load(const char *, struct lg_asnames *,
		    struct lg_diag *);
/* Parses one line; 0, 1 for nothing there, or -1 with a reason. */
int		 asnames_parse_line(char *, uint32_t *, const char **,
		    const char **);
const char	*asnames_find(const struct lg_asnames *, uint32_t);
void		 asnames_free(struct lg_asnames *);

/* commdesc.c: communities = "DIR", "pattern,description" lines. */
int		 commdesc_load(const char *, struct lg_commdesc *,
		    struct lg_diag *);
int		 commdesc_load_file(const char *, struct lg_commdesc *,
		    struct lg_diag *);
/* One pattern; 0, or -1 with a reason in err. */
int		 commdesc_pattern_parse(const char *,
		    struct commdesc_pattern *, char *, size_t);
int		 commdesc_pattern_match(const struct commdesc_pattern *,
		    const char *);
/*
 * The description of a community ("65000:100", "65000:1:2"): the
 * operator's first matching pattern, else the built-in well-known name,
 * else NULL.  The result for a well-known one is written into buf.
 */
const char	*commdesc_find(const struct lg_commdesc *, const char *,
		    char *, size_t);
void		 commdesc_free(struct lg_commdesc *);

/*
 * parse_facts.c: adds as_names, community_descriptions, rpki,
 * rpki_reason and rpki_vrps to every path of a bgp_routes answer; other
 * answers are left alone.  Returns 0, or -1 on allocation failure (the answer is
 * then left as far as it got, still valid against the schema).
 */
const char	*rpki_state_name(enum rpki_state);
const char	*rpki_reason_name(enum rpki_reason);
int		 parse_facts_annotate(json_t *, const struct facts *);
/*
 * The same in steps, for answers annotated while they are parsed:
 * parse_facts_item annotates one item of the prefixes list (0, or -1
 * without memory), parse_facts_routes says whether an answer is one
 * that gets facts.
 */
struct facts_pass;
struct facts_pass *parse_facts_pass_new(const struct facts *);
int		 parse_facts_item(struct facts_pass *, json_t *);
void		 parse_facts_pass_free(struct facts_pass *);
int		 parse_facts_routes(const json_t *);

#endif /* LG_PARSE_H */
