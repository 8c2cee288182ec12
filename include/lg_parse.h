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
 * The model object (DESIGN.md section 12), or {"error": "...", "line": N}
 * when the text could not be parsed.  The caller owns the reference.
 * Call once; NULL only on allocation failure.
 */
json_t		*parser_finish(struct parser *);
void		 parser_free(struct parser *);
/* 1 if the driver has rules for this query type. */
int		 parser_supported(const struct lg_driver *, enum lg_query_type);

/*
 * parse_rules.c: the "parse" section of a driver file, called by the
 * driver loader (src/lib/driver.c); problems go to diag as file:line.
 */
struct config_setting_t;
int		 parse_rules_load(const struct config_setting_t *,
		    struct lg_driver *, const char *, struct lg_diag *);
void		 parse_rules_free(struct parse_rules *);

#endif /* LG_PARSE_H */
