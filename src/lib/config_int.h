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
 * Private to the loaders of libconfig files (config*.c, credentials.c and
 * driver*.c): the key tables and the helpers that walk a libconfig tree
 * against them.  The rest of Lorgnette sees only struct lg_config and the
 * config_* functions of lg.h.
 */

#ifndef CONFIG_INT_H
#define CONFIG_INT_H

#include <stddef.h>

#include <libconfig.h>

#include "lg.h"

/* Where a loader is: the file, the diagnostics and the section. */
struct config_ctx {
	const char		*file;		/* named in messages */
	struct lg_diag		*diag;
	struct lg_config	*conf;
	char			 where[LG_NAME_MAX + 32];	/* "web" */
	const char		*sep;		/* after where */
};

#define CONFIG_PARSER(fn)						\
	int fn(struct config_ctx *, const struct config_key *,		\
	    const config_setting_t *, void *)

struct config_key;

/*
 * One row of a key table; tables end with a row whose name is NULL.  The
 * parser stores the value of one setting at dst (base + off) and returns
 * 0, or reports the problem in the diag and returns -1.
 */
struct config_key {
	const char		*name;
	int			(*parse)(struct config_ctx *,
				    const struct config_key *,
				    const config_setting_t *, void *);
	size_t			 off;
	size_t			 size;		/* of the field */
	long long		 min;		/* numbers: range */
	long long		 max;
	int			 required;
};

/* A row for the key "key" of a table storing into a struct type. */
#define CONFIG_KEY(type, key, fn, member)				\
	.name = (key), .parse = (fn), .off = offsetof(type, member),	\
	.size = sizeof(((type *)0)->member)

/* broker.admin_socket when the file does not set it. */
#define CONFIG_ADMIN_SOCKET	"/run/lorgnette/admin.sock"

/* config.c */
void	 config_diag_sort(struct lg_diag *, size_t);

/* config_keys.c */
void	 config_err(struct config_ctx *, const config_setting_t *,
	    const char *, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
int	 config_group(struct config_ctx *, const config_setting_t *,
	    const struct config_key *, void *);
int	 config_expect(struct config_ctx *, const config_setting_t *, int);
int	 config_is_list(const config_setting_t *);
const char *config_type_name(int);
int	 config_query_key(struct config_ctx *, const config_setting_t *,
	    enum lg_query_type *);
CONFIG_PARSER(config_parse_str);
CONFIG_PARSER(config_parse_text);
CONFIG_PARSER(config_parse_name);
CONFIG_PARSER(config_parse_path);
CONFIG_PARSER(config_parse_uint);
CONFIG_PARSER(config_parse_int);
CONFIG_PARSER(config_parse_size);
CONFIG_PARSER(config_parse_bool);
CONFIG_PARSER(config_parse_qmask);
int	 config_name_ok(const char *);
void	 config_strv_free(char **, size_t);
const char *config_shown(const char *, char *, size_t);
const char *config_suggest(const char *, const char *const *, size_t,
	    char *, size_t);
int	 config_long_long(struct config_ctx *, const config_setting_t *,
	    long long, long long, long long *);

/* config_sections.c */
void	 config_sections_defaults(struct lg_config *);
int	 config_section_broker(struct config_ctx *,
	    const config_setting_t *);
int	 config_section_web(struct config_ctx *,
	    const config_setting_t *);
int	 config_section_policy(struct config_ctx *,
	    const config_setting_t *);
int	 config_section_log(struct config_ctx *,
	    const config_setting_t *);
void	 config_sections_free(struct lg_config *);
int	 config_port_ok(const char *);
/* config_sections.c: lists of strings, each checked by one. */
int	 config_strlist(struct config_ctx *, const config_setting_t *, int,
	    int (*)(struct config_ctx *, const config_setting_t *,
	    const char *, int, void *), void *);
int	 config_strings(struct config_ctx *, const config_setting_t *, int,
	    int (*)(struct config_ctx *, const config_setting_t *,
	    const char *, int, void *), char ***, size_t *);
/* config_addrs.c */
CONFIG_PARSER(config_parse_listen);
CONFIG_PARSER(config_parse_proxies);
CONFIG_PARSER(config_parse_forbidden);

/* config_tls.c: broker.listen_tls, web.brokers */
CONFIG_PARSER(config_parse_listen_tls);
CONFIG_PARSER(config_parse_brokers);
void	 config_tls_free(struct lg_config *);

/* config_filters.c */
int	 config_section_filters(struct config_ctx *,
	    const config_setting_t *);
int	 config_filters_default(struct config_ctx *);
void	 config_filters_free(struct lg_config *);

/* config_routers.c */
int	 config_section_routers(struct config_ctx *,
	    const config_setting_t *);

/* config_facts.c: asn_names, communities, rpki (DESIGN.md section 13) */
void	 config_facts_defaults(struct lg_config *);
int	 config_section_asn_names(struct config_ctx *,
	    const config_setting_t *);
int	 config_section_communities(struct config_ctx *,
	    const config_setting_t *);
int	 config_section_rpki(struct config_ctx *, const config_setting_t *);
void	 config_facts_free(struct lg_config *);

/* config_read.c: a file to a libconfig tree, shared with credentials.c */
#define CONFIG_TEXT_MAX		(4 * 1024 * 1024)
char	*config_read_fd(int, const char *, struct lg_diag *, size_t *);
int	 config_parse_into(config_t *, const char *, const char *,
	    struct lg_diag *);
void	 config_wipe_strings(config_setting_t *);

#endif /* CONFIG_INT_H */
