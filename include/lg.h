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
 * Shared types, limits and prototypes of the code in src/lib, linked into
 * lgwebd, lgbrokerd and lgctl.  The wire format between the programs is in
 * lg_proto.h; each program keeps its private declarations in its own header.
 */

#ifndef LG_H
#define LG_H

#include <sys/types.h>

#include <netinet/in.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define LG_VERSION		"0.1.0"

/* Bounds applied before anything else looks at outside input. */
#define LG_NAME_MAX		64	/* router, driver, credential names */
#define LG_TEXT_MAX		128	/* location, group, vendor, title */
#define LG_TARGET_MAX		256	/* raw target text */
#define LG_HOSTNAME_MAX		253	/* RFC 1123 */
#define LG_ASPATH_MAX		64	/* AS-path regex */
#define LG_COMMAND_MAX		512	/* a rendered router command */
#define LG_ERRSTR_MAX		256	/* a user-facing error message */
#define LG_QUERY_ROUTERS_MAX	64	/* web.max_routers at most */
#define LG_PATH_MAX		4096
#define LG_SOCKET_PATH_MAX	108	/* sun_path: a router's socket */
/*
 * An argv template (driver key argv, transport local) is kept as one
 * string whose elements are joined by this byte, which neither a template
 * element nor a canonical value may hold; sess_local.c splits it.
 */
#define LG_ARGV_SEP		'\x1f'
#define LG_ARGV_MAX		32	/* elements of one argv */

#ifndef __dead
#define __dead			__attribute__((__noreturn__))
#endif

/*
 * Error codes, one registry for both daemons, lgctl and the wire.  The
 * numeric values travel in RESULT_END frames: append, never renumber.
 */
enum lg_err {
	LG_OK = 0,
	LG_ERR_BAD_QUERY = 1,		/* 400 */
	LG_ERR_DENIED = 2,		/* 403 */
	LG_ERR_UNKNOWN_ROUTER = 3,	/* 404 */
	LG_ERR_UNKNOWN_TYPE = 4,	/* 404 */
	LG_ERR_RATE_LIMITED = 5,	/* 429 */
	LG_ERR_UNSUPPORTED = 6,		/* 501 */
	LG_ERR_UNREACHABLE = 7,		/* 502 */
	LG_ERR_AUTH = 8,		/* 502 */
	LG_ERR_HOSTKEY = 9,		/* 502 */
	LG_ERR_ROUTER_DOWN = 10,	/* 502, circuit breaker open */
	LG_ERR_COMMAND_FAILED = 11,	/* 502, router rejected the command */
	LG_ERR_BUSY = 12,		/* 503 */
	LG_ERR_BROKER_UNAVAILABLE = 13,	/* 503, front cannot reach broker */
	LG_ERR_TIMEOUT = 14,		/* 504 */
	LG_ERR_CANCELLED = 15,		/* client went away */
	LG_ERR_INTERNAL = 16,		/* 500 */
	LG_ERR_CHALLENGE_REQUIRED = 17,	/* 429, proof of work (lgwebd) */
	LG_ERR_UNAUTHORIZED = 18,	/* 401, bad API token (lgwebd) */
	LG_ERR_COUNT
};

/* err.c */
const char	*lg_err_name(enum lg_err);	/* "bad_query", ... */
int		 lg_err_http_status(enum lg_err);

/*
 * Abstract queries (DESIGN.md section 2).  Values travel on the wire:
 * append, never renumber.
 */
enum lg_query_type {
	Q_BGP_ROUTE = 0,
	Q_ROUTE,
	Q_BGP_COMMUNITY,
	Q_BGP_ASPATH,
	Q_BGP_SUMMARY,
	Q_PING,
	Q_TRACEROUTE,
	Q_BGP_NEIGHBORS,
	Q_MTR,
	Q_BGP_NEIGHBOR_RECEIVED,
	Q_BGP_NEIGHBOR_ADVERTISED,
	Q_COUNT
};
#define Q_MASK(q)		(1U << (q))
#define Q_MASK_ALL		((1U << Q_COUNT) - 1)
#define Q_MASK_DEFAULT		(Q_MASK_ALL & ~(Q_MASK(Q_BGP_NEIGHBORS) | \
				    Q_MASK(Q_BGP_NEIGHBOR_RECEIVED) | \
				    Q_MASK(Q_BGP_NEIGHBOR_ADVERTISED)))

enum lg_afi {
	AFI_ANY = 0,		/* from the target, or both families */
	AFI_IPV4 = 1,
	AFI_IPV6 = 2
};

enum lg_target_kind {
	TGT_NONE = 0,		/* bgp_summary */
	TGT_ADDRESS,		/* host address */
	TGT_PREFIX,		/* network/length, host bits clear */
	TGT_HOSTNAME,		/* resolved by the broker before use */
	TGT_COMMUNITY,
	TGT_ASPATH
};

#define TGT_MASK(k)		(1U << (k))

/* Template placeholders a query type offers beyond its target (render.c). */
#define QO_SOURCE		0x01	/* {source4} {source6}: a probe's source */
#define QO_COUNT		0x02	/* {count}: the driver's ping_count */

/*
 * What a query type accepts and how long it may run: the one table
 * (query.c) that render.c, lgwebd's RFC 8522 commands, /api/v1/routers
 * (and through it the page) and the documentation tests read.
 */
struct lg_query_info {
	enum lg_query_type	 type;
	const char		*name;		/* "bgp_route" */
	const char		*label;		/* "BGP route" */
	const char		*description;	/* one sentence, for people */
	unsigned int		 targets;	/* TGT_MASK of kinds accepted */
	unsigned int		 opts;		/* QO_* */
	const char		*rfc8522;	/* path under v1/, NULL: none */
	unsigned int		 deadline_ms;	/* default per-query deadline */
	unsigned int		 cache_ttl;	/* default seconds, 0 = never */
	int			 afi_both;	/* AFI_ANY runs one command per family */
	unsigned int		 rate_per_min;	/* default web.rate per client */
};

/* query.c */
const struct lg_query_info	*query_info(enum lg_query_type);
int				 query_from_name(const char *,
				    enum lg_query_type *);
const char			*query_name(enum lg_query_type);
const char			*query_target_name(enum lg_target_kind);
const char			*afi_name(enum lg_afi);	/* "ipv4", "ipv6", "any" */
int				 afi_from_name(const char *, enum lg_afi *);

/* Community flavours; the canonical text is "65000:100", "65000:1:2". */
enum lg_community_kind {
	COMM_STANDARD = 0,
	COMM_LARGE,
	COMM_WELLKNOWN		/* no-export, ..., value in std[] too */
};

/*
 * A validated, canonical target.  Nothing else may be substituted into a
 * router command: templates are filled from these fields only.
 */
struct lg_target {
	enum lg_target_kind	 kind;
	enum lg_afi		 family;	/* TGT_ADDRESS, TGT_PREFIX */
	uint8_t			 addr[16];	/* network byte order */
	uint8_t			 prefixlen;	/* 32/128 for an address */
	enum lg_community_kind	 comm_kind;
	uint32_t		 comm[3];	/* asn:value or asn:v1:v2 */
	/*
	 * Canonical text: inet_ntop form for addresses, "addr/len" for
	 * prefixes, lower-case name for hostnames, "65000:100" or the
	 * well-known name for communities, the normalized regex for AS paths.
	 */
	char			 canon[LG_TARGET_MAX + 1];
};

/* A network, used by the policy and trusted-proxy lists. */
struct lg_prefix {
	enum lg_afi		 family;
	uint8_t			 addr[16];
	uint8_t			 len;
};

struct lg_policy {
	struct lg_prefix	*forbidden;	/* owned; built-in list if unset */
	size_t			 nforbidden;
	int			 min_prefix4;	/* bgp_route/route, default 8 */
	int			 min_prefix6;	/* default 16 */
	unsigned int		 queries;	/* Q_MASK of query types offered */
	int			 resolve;	/* hostnames for ping/traceroute */
};

/* policy.c, and prefix.c for the prefix_* functions */
int	 policy_init_defaults(struct lg_policy *);
void	 policy_free(struct lg_policy *);
int	 prefix_parse(const char *, struct lg_prefix *, char *, size_t);
int	 prefix_contains(const struct lg_prefix *, enum lg_afi,
	    const uint8_t *);
void	 prefix_format(const struct lg_prefix *, char *, size_t);
/*
 * What policy_check found: the forbidden network, and when it was reached
 * through an IPv4 address embedded in IPv6 (IPv4-mapped, NAT64, 6to4,
 * Teredo...), the embedding's name and the IPv4 part.
 */
struct lg_policy_hit {
	const struct lg_prefix	*net;		/* NULL: allowed */
	const char		*via;		/* NULL, or "IPv4-mapped"... */
	struct lg_prefix	 inner;		/* the IPv4 part, when via */
};
/* 1 (hit filled) when an address or prefix overlaps a forbidden net. */
int	 policy_check(const struct lg_policy *, const struct lg_prefix *,
	    struct lg_policy_hit *);
/* "addr[/len]", host bits kept; sets *haslen; errstr never echoes input. */
int	 prefix_parse_any(const char *, struct lg_prefix *, int *, char *,
	    size_t);
int	 prefix_overlaps(const struct lg_prefix *, const struct lg_prefix *);
int	 prefix_host_bits(const struct lg_prefix *);	/* 1 if any set */
void	 prefix_clear_host_bits(struct lg_prefix *);

/*
 * validate.c: the single validation path of both daemons.  Returns LG_OK
 * and fills the target, or LG_ERR_BAD_QUERY / LG_ERR_DENIED and writes a
 * message naming the field and the reason into err ("target: 10.0.0.1 is
 * in a forbidden network (10.0.0.0/8)").  Never logs, never exits.
 */
enum lg_err	 validate_query(const struct lg_policy *, enum lg_query_type,
		    enum lg_afi, const char *, struct lg_target *, char *,
		    size_t);
/* Policy check of an address the broker resolved from a hostname. */
enum lg_err	 validate_resolved(const struct lg_policy *, enum lg_afi,
		    const uint8_t *, struct lg_target *, char *, size_t);
int		 validate_router_name(const char *);
int		 validate_user_name(const char *);	/* 1: valid */
/* The afi parameter: NULL, "", "any", "both", "ipv4", "ipv6"; 0 or -1. */
int		 validate_afi_param(const char *, enum lg_afi *, char *,
		    size_t);
/* Names a byte for a message without echoing it: "';'", "a newline". */
const char	*validate_byte_desc(unsigned char, char *, size_t);
/* validate_community.c, validate_aspath.c: one target kind each. */
enum lg_err	 validate_community(const char *, struct lg_target *, char *,
		    size_t);
int		 validate_community_wellknown(const char *, size_t,
		    uint32_t[2]);
/* The primary name of the well-known community A:B, or NULL. */
const char	*validate_community_wellknown_name(uint32_t, uint32_t);
enum lg_err	 validate_aspath(const char *, struct lg_target *, char *,
		    size_t);

/*
 * Who may see a router or a query type (DESIGN.md section 16): the public
 * (anonymous), or staff signed in through web.auth.  lgwebd's audience.c
 * is the one place that decides what an audience sees.
 */
enum lg_audience {
	AUD_PUBLIC = 0,
	AUD_STAFF
};
#define LG_USER_MAX		LG_NAME_MAX	/* a signed-in user's name */

/* Transports a router can be reached by. */
enum lg_transport {
	TRANSPORT_SSH = 0,
	TRANSPORT_TELNET,
	TRANSPORT_LOCAL		/* a command run on this host (sess_local.c) */
};

struct lg_router {
	char			 name[LG_NAME_MAX];
	char			 location[LG_TEXT_MAX];
	char			 group[LG_TEXT_MAX];
	char			 driver[LG_NAME_MAX];
	enum lg_transport	 transport;
	char			 host[LG_HOSTNAME_MAX + 1];
	uint16_t		 port;
	char			 credential[LG_NAME_MAX];
	int			 sessions;	/* max parallel, default 2 */
	char			 source4[INET6_ADDRSTRLEN];	/* "" if unset */
	char			 source6[INET6_ADDRSTRLEN];
	char			 vrf[LG_NAME_MAX];	/* default VRF if "" */
	char			 socket[LG_SOCKET_PATH_MAX];	/* local: "" */
	/*
	 * Q_MASK offered here: the router's "queries" list (default: the
	 * global policy.queries) less its "disable" list.  Always a subset
	 * of policy.queries.
	 */
	unsigned int		 queries;
	enum lg_audience	 audience;	/* AUD_PUBLIC unless "staff" */
	int			 line;		/* in the config, for messages */
};

/* A parsed rate: tokens per period seconds. */
struct lg_rate {
	unsigned int		 tokens;	/* 0 = unlimited */
	unsigned int		 period;	/* 1, 60 or 3600 */
};

/* log.level */
enum lg_log_level {
	LOG_LEVEL_INFO = 0,
	LOG_LEVEL_DEBUG
};

/*
 * store_url.c: web.store, the state several fronts share (DESIGN.md
 * section 17): "redis://HOST:PORT[/DB]" (HOST an IP address, IPv6 in
 * brackets) or "unix:PATH".  No password in the URL: lorgnette.conf
 * holds no secret, web.store_password_file does.  0, or -1 with err.
 */
enum lg_store_kind {
	LG_STORE_LOCAL = 0,	/* unset: in-process, one machine */
	LG_STORE_TCP,
	LG_STORE_UNIX
};
#define LG_STORE_DB_MAX		1023
struct lg_store {
	enum lg_store_kind	 kind;
	char			 host[LG_NAME_MAX];	/* numeric */
	unsigned int		 port;
	unsigned int		 db;
	char			 path[LG_PATH_MAX];	/* unix: */
	char			 password_file[LG_PATH_MAX];	/* "" none */
	unsigned int		 timeout_ms;	/* connect and command */
};
int	 store_url_parse(const char *, struct lg_store *, char *, size_t);

/*
 * A TLS end of the front-broker wire (DESIGN.md section 17, config_tls.c):
 * broker.listen_tls, and each TCP entry of web.brokers.  Paths absolute.
 */
struct lg_tls_conf {
	char		 addr[LG_TEXT_MAX];	/* "HOST:PORT", "" = none */
	char		 ca[LG_PATH_MAX];	/* the peers' CA, PEM */
	char		 cert[LG_PATH_MAX];	/* ours, PEM chain */
	char		 key[LG_PATH_MAX];
};

/* One entry of web.brokers: a Unix socket, or TCP with TLS. */
struct lg_broker_link {
	char		 name[LG_NAME_MAX];	/* region; the TLS peer's SAN */
	char		 socket[LG_PATH_MAX];	/* "" for a TLS link */
	struct lg_tls_conf tls;			/* addr is "connect" */
};
#define LG_BROKERS_MAX		64

struct lg_config {
	char			 path[LG_PATH_MAX];
	char			 dir[LG_PATH_MAX];	/* for relative paths */

	/*
	 * Every path below is absolute once loaded: relative ones are
	 * resolved against dir.  "" means unset where a key is optional.
	 */
	struct {
		char		 socket[LG_PATH_MAX];
		char		 admin_socket[LG_PATH_MAX];
		char		 drivers[LG_PATH_MAX];
		char		 credentials[LG_PATH_MAX];
		char		 known_hosts[LG_PATH_MAX];
		char		 socket_group[LG_NAME_MAX];	/* "" = none */
		char		 user[LG_NAME_MAX];	/* "" = stay */
		unsigned int	 connect_timeout;	/* s, default 10 */
		unsigned int	 idle_timeout;		/* s, default 300 */
		unsigned int	 keepalive;		/* s, default 60 */
		unsigned int	 queue;		/* waiting queries/router, 16 */
		size_t		 output_cap;	/* bytes, default 32 MiB */
		unsigned int	 parse_max_prefixes;	/* parsed, 10000 */
		unsigned int	 deadline_ms[Q_COUNT];	/* per query type */
		unsigned int	 breaker_failures;	/* default 5 */
		unsigned int	 breaker_probe;		/* s, default 30 */
		char		 audit_log[LG_PATH_MAX];	/* "" = syslog */
		/* Transport local: commands at once per type, host-wide. */
		unsigned int	 local_max[Q_COUNT];
		unsigned int	 local_probes;	/* per second, 0: no cap */
		struct lg_tls_conf listen_tls;	/* addr "" = none */
	} broker;

	struct {
		char		**listen;	/* "addr:port", "[v6]:port" */
		size_t		  nlisten;
		char		  www[LG_PATH_MAX];
		char		  title[LG_TEXT_MAX];
		char		  logo[LG_PATH_MAX];	/* URL or path, "" = none */
		char		  footer[LG_ERRSTR_MAX];
		char		  disclaimer[1024];
		struct lg_prefix *trusted_proxies;
		size_t		  ntrusted_proxies;
		struct lg_rate	  rate[Q_COUNT];	/* per client address */
		unsigned int	  cache_ttl[Q_COUNT];	/* seconds, 0 = never */
		size_t		  cache_entries;	/* default 4096 */
		size_t		  cache_bytes;		/* default 64 MiB */
		unsigned int	  max_inflight;		/* default 64 */
		unsigned int	  max_inflight_client;	/* default 16 */
		unsigned int	  max_connections;	/* default 1024 */
		unsigned int	  connection_timeout;	/* s, default 30 */
		unsigned int	  runtime_max;		/* s, default 120 */
		unsigned int	  max_routers;		/* in one query, default 20 */
		char		**vrfs;		/* RFC 8522 vrf allow-list */
		size_t		  nvrfs;
		char		  tls_certificate[LG_PATH_MAX];	/* "" = no TLS */
		char		  tls_key[LG_PATH_MAX];
		char		  user[LG_NAME_MAX];	/* "" = stay */
		char		  access_log[LG_PATH_MAX];	/* "" = none */
		int		  rfc8522;		/* default 1 */
		struct {			/* web.challenge */
			int		 enabled;	/* the group is there */
			struct lg_rate	 soft;		/* per client, all types */
			unsigned int	 bits;		/* leading zero bits */
			unsigned int	 ttl;		/* s, to solve and use */
			char		 key_file[LG_PATH_MAX];	/* HMAC key */
		} challenge;
		unsigned int	  staff_queries;	/* Q_MASK, staff only */
		struct {			/* web.auth */
			char		 user_header[LG_NAME_MAX];	/* "" */
			char		 tokens[LG_PATH_MAX];	/* "" = none */
		} auth;
		struct {			/* web.staff: staff's limits */
			struct lg_rate	 rate[Q_COUNT];
			unsigned int	 max_inflight_client;
			unsigned int	 runtime_max;	/* s */
		} staff;
		struct {			/* web.results */
			int		 enabled;	/* the group is there */
			char		 path[LG_PATH_MAX];	/* SQLite file */
			unsigned int	 retention;	/* s, default 30 days */
			unsigned int	 max_mb;	/* stored bytes, MiB */
		} results;
		struct lg_store	  store;	/* web.store, store_url.c */
		/* web.brokers; 0: broker.socket alone, as one unnamed link. */
		struct lg_broker_link *brokers;
		size_t		  nbrokers;
	} web;

	struct lg_policy	 policy;

	/* Global output filters; the built-in redaction rules if unset. */
	struct lg_filter	*filters;
	size_t			 nfilters;

	enum lg_log_level	 log_level;	/* log.level */

	/* Route facts (DESIGN.md section 13), config_facts.c; "" = none. */
	char			 asn_names[LG_PATH_MAX];	/* CSV file */
	char			 communities[LG_PATH_MAX];	/* directory */
	struct {
		char		**caches;	/* "host:port", by preference */
		size_t		  ncaches;	/* 0: no validation */
		unsigned int	  refresh;	/* s, default 300 */
		unsigned int	  retry;	/* s, default 60 */
		unsigned int	  expire;	/* s, default 7200 */
	} rpki;

	struct lg_router	*routers;
	size_t			 nrouters;
};

/*
 * diag.c: a list of "file:line: message" diagnostics, so that a loader can
 * report every problem in a file rather than stop at the first.
 */
struct lg_diag {
	char			**msgs;
	size_t			  nmsgs;
	size_t			  nerrors;
};
void	 diag_init(struct lg_diag *);
void	 diag_error(struct lg_diag *, const char *, int, const char *, ...)
	    __attribute__((__format__(__printf__, 4, 5)));
void	 diag_warning(struct lg_diag *, const char *, int, const char *, ...)
	    __attribute__((__format__(__printf__, 4, 5)));
void	 diag_print(const struct lg_diag *, void (*)(const char *));
void	 diag_free(struct lg_diag *);

/*
 * config.c: returns 0, or -1 with every problem in diag.  The config is
 * left empty (safe to config_free) on failure.
 */
int		 config_load(const char *, struct lg_config *, struct lg_diag *);
/* The same from memory: file name for messages, dir for relative paths. */
int		 config_load_string(const char *, const char *, const char *,
		    struct lg_config *, struct lg_diag *);
/* broker.admin_socket alone, for lgctl, checked as config_load would. */
int		 config_load_admin_socket(const char *, char *, size_t,
		    struct lg_diag *);
void		 config_free(struct lg_config *);
/* Every default, as the loader starts from; release with config_free. */
void		 config_defaults(struct lg_config *);
/* A router's defaults for its transport (sessions, port). */
void		 config_router_defaults(struct lg_router *, enum lg_transport);
/* Wipes router hosts, ports, credential names, sources: lgwebd. */
void		 config_forget_router_access(struct lg_config *);
const struct lg_router *config_router(const struct lg_config *,
		    const char *);
/* Resolves a config-relative path; returns 0 or -1 if too long. */
int		 config_path(const struct lg_config *, const char *, char *,
		    size_t);
/* The config file's path, absolute against the working directory. */
int		 config_abspath(const char *, char *, size_t);

/* Named credentials, from the broker-only file. */
struct lg_credential {
	char			 name[LG_NAME_MAX];
	char			*username;
	char			*password;	/* NULL if key only */
	char			*key;		/* private key path, or NULL */
	char			*key_passphrase;
	char			*enable;	/* enable secret, or NULL */
};

struct lg_credentials {
	struct lg_credential	*creds;
	size_t			 ncreds;
};

/* credentials.c: refuses a file readable by group or others. */
int		 credentials_load(const char *, struct lg_credentials *,
		    struct lg_diag *);
void		 credentials_free(struct lg_credentials *);	/* wipes */
const struct lg_credential *credentials_find(const struct lg_credentials *,
		    const char *);

/*
 * Driver tables (one file a platform in drivers/, DESIGN.md section 3),
 * loaded by the broker and by lgctl check.  Every regex is compiled with
 * pcre2 at load time.
 */
struct pcre2_real_code_8;
struct lg_regex {
	struct pcre2_real_code_8 *re;
	char			 *src;		/* pattern text, for messages */
};

/* How an AS-path regex is written for a platform. */
enum lg_aspath_style {
	ASPATH_CISCO = 0,	/* as validated: _ ^ $ kept, no quoting */
	ASPATH_JUNOS,		/* _ becomes a space, whole regex quoted */
	ASPATH_BIRD		/* translated to a BIRD path mask, or refused */
};

/* How a community is written for a platform. */
enum lg_community_style {
	COMMUNITY_COLON = 0,	/* 65000:100, 65000:1:2, no-export */
	COMMUNITY_BIRD		/* (65000,100), (65000,1,2) */
};

enum lg_filter_action {
	FILTER_DROP = 0,	/* drop the whole line */
	FILTER_REPLACE		/* replace every match with the replacement */
};

struct lg_filter {
	enum lg_filter_action	 action;
	struct lg_regex		 match;
	char			*replacement;	/* FILTER_REPLACE */
};

/*
 * One command template.  A query type may have one for each family, and
 * bgp_community distinct ones for large communities.  NULL: unsupported.
 */
#define LG_TMPL_ALTS		4	/* choices one template may list */
struct lg_driver_query {
	char			*tmpl[3];	/* [AFI_ANY], [AFI_IPV4], [AFI_IPV6] */
	char			*tmpl_large[3];	/* bgp_community, large ones */
	/*
	 * Later choices of the same template, NULL-terminated: render uses
	 * the first choice whose placeholders all have values (with and
	 * without {source4}, say).
	 */
	char			*alt[3][LG_TMPL_ALTS - 1];
	char			*alt_large[3][LG_TMPL_ALTS - 1];
};

struct lg_driver {
	char			 name[LG_NAME_MAX];	/* "cisco-iosxr" */
	char			 vendor[LG_TEXT_MAX];	/* "Cisco" */
	char			 description[LG_TEXT_MAX];
	char			 file[LG_PATH_MAX];

	/* Session. */
	struct lg_regex		 prompt;	/* at the end of the buffer */
	struct lg_regex		 username_prompt;	/* telnet login */
	struct lg_regex		 password_prompt;
	struct lg_regex		 login_failed;
	char			*enable_command;	/* NULL: no enable step */
	struct lg_regex		 enable_password_prompt;
	struct lg_regex		 enable_prompt;	/* privileged prompt */
	char			**setup;	/* run once per session */
	size_t			 nsetup;
	struct lg_regex		 pager;		/* re.re NULL if none */
	char			*pager_key;	/* sent on a pager prompt */
	struct lg_regex		*errors;	/* output marks a failure */
	size_t			 nerrors;
	char			*keepalive;	/* NULL: none */
	const char		*newline;	/* "\n" or "\r\n" */

	/* Rendering. */
	enum lg_aspath_style	 aspath_style;
	enum lg_community_style	 community_style;
	unsigned int		 ping_count;	/* {count} */
	/*
	 * interrupt: queries that never end by themselves, ended as a
	 * terminal user does (Ctrl-C; SIGINT on transport local) after
	 * intr_count lines matching intr_match, or intr_within seconds.
	 */
	unsigned int		 intr_queries;	/* Q_MASK, 0: none */
	struct lg_regex		 intr_match;	/* a reply line */
	unsigned int		 intr_count;	/* 0: ping_count */
	unsigned int		 intr_within;	/* s after the command */
	int			 aspath_alternation;	/* '|' may reach the CLI */
	struct lg_driver_query	 queries[Q_COUNT];
	unsigned int		 supported;	/* Q_MASK of defined queries */

	/* Output. */
	struct lg_filter	*filters;
	size_t			 nfilters;

	/* Parse rules per query type, NULL: none (lg_parse.h). */
	struct parse_rules	*parse[Q_COUNT];

	/* Transport local (sess_local.c). */
	int			 argv;		/* templates are argv lists */
	unsigned int		 probes[Q_COUNT];	/* sent at most, 0: none */
	char			**local;	/* argv of one CLI command */
	size_t			 nlocal;
	char			**helpers;	/* programs those programs run */
	size_t			 nhelpers;
};

struct lg_drivers {
	struct lg_driver	*drivers;
	size_t			 ndrivers;
};

/* driver*.c: loads every .conf file of a directory; 0, or -1 with diag. */
int		 driver_load_dir(const char *, struct lg_drivers *,
		    struct lg_diag *);
int		 driver_load_file(const char *, struct lg_driver *,
		    struct lg_diag *);
void		 driver_free(struct lg_driver *);
void		 drivers_free(struct lg_drivers *);
const struct lg_driver *drivers_find(const struct lg_drivers *, const char *);
/*
 * regex.c.  regex_compile returns 0, or -1 with pcre2's message and
 * offset in the error buffer.  regex_match: 1 match, 0 no (also for an
 * unset regex), -1 error.
 */
int		 regex_compile(struct lg_regex *, const char *, char *, size_t);
void		 regex_free(struct lg_regex *);
int		 regex_match(const struct lg_regex *, const char *, size_t);
/* Same, and on a match sets the byte offsets where it starts and ends. */
int		 regex_find(const struct lg_regex *, const char *, size_t,
		    size_t *, size_t *);

/* Values for the placeholders that do not come from the target. */
struct lg_render_ctx {
	const char		*source4;	/* "" or NULL: unset */
	const char		*source6;
	const char		*vrf;
};

/*
 * render.c: a pure function from (driver, query, family, target) to one
 * command line.  afi is the family of this command (never AFI_ANY when the
 * template is per family).  Returns LG_OK, LG_ERR_UNSUPPORTED when the
 * driver has no template, LG_ERR_BAD_QUERY when a placeholder has no value
 * or the target cannot be written for this platform; err says which.
 */
enum lg_err	 render_command(const struct lg_driver *, enum lg_query_type,
		    enum lg_afi, const struct lg_target *,
		    const struct lg_render_ctx *, char *, size_t, char *,
		    size_t);
/*
 * The families a query runs in for the requested afi and target: the
 * count written to the array (0: unsupported), or -1 when the afi does
 * not match the target or a hostname has not been resolved yet.
 * AFI_ANY in the array means one command for both families.
 */
int		 render_families(const struct lg_driver *, enum lg_query_type,
		    enum lg_afi, const struct lg_target *, enum lg_afi[2]);
/* For the loader: 0 if a template may be used for (type, family). */
int		 render_template_check(enum lg_query_type, enum lg_afi,
		    const char *, char *, size_t);

/* log.c */
void	 log_init(int foreground, int verbose, const char *ident);
void	 log_setverbose(int);
int	 log_getverbose(void);
void	 log_warn(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	 log_warnx(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	 log_info(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
void	 log_debug(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
__dead void fatal(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));
__dead void fatalx(const char *, ...)
	    __attribute__((__format__(__printf__, 1, 2)));

/* xmalloc.c: for start-up and config load only; they abort on failure. */
void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xreallocarray(void *, size_t, size_t);
#define LG_MALLOC_MAP_LARGE	(128 * 1024)	/* bytes, mapped from here up */
void	 lg_malloc_map_large(void);
char	*xstrdup(const char *);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));

/* strl.c: portable strlcpy/strlcat, glibc 2.36 lacks them. */
size_t	 lg_strlcpy(char *, const char *, size_t);
size_t	 lg_strlcat(char *, const char *, size_t);

/*
 * text.c: outside text made safe for logs, wire strings and terminals.
 * lg_utf8_seq: length of the UTF-8 sequence at s (1-4), 0 if invalid, -1
 * if s ends inside it.  lg_text_clean: drops invalid UTF-8 and C1
 * controls, masks C0 and DEL as '?', keeps tab and newline only with
 * LG_TEXT_MULTILINE (else they become spaces); returns the new length.
 */
#define LG_TEXT_MULTILINE	0x01
int	 lg_utf8_seq(const uint8_t *, size_t, uint32_t *);
int	 lg_char_control(uint32_t);
size_t	 lg_text_clean(char *, size_t, int);

/*
 * buf.c: a growable byte buffer with a hard cap, for router output and
 * socket I/O.  buf_append returns -1 (and appends nothing) past the cap.
 */
struct lg_buf {
	char			*data;
	size_t			 len;
	size_t			 size;
	size_t			 cap;		/* never grow past this */
};
void	 buf_init(struct lg_buf *, size_t cap);
int	 buf_append(struct lg_buf *, const void *, size_t);
int	 buf_printf(struct lg_buf *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
void	 buf_consume(struct lg_buf *, size_t);	/* drop from the front */
void	 buf_reset(struct lg_buf *);
void	 buf_free(struct lg_buf *);

/*
 * sock.c: Unix socket helpers for the front, broker and lgctl, and the
 * non-blocking TCP connect the broker uses to reach routers.  They fill
 * errstr and never log.  Every descriptor is close-on-exec.
 */
struct sockaddr;
struct sockaddr_storage;
/* Listening, non-blocking; mode and group (NULL: keep) applied to path. */
int	 sock_listen_unix(const char *, mode_t, const char *, char *, size_t);
/* Blocking connect; timeout in ms, -1 waits as long as the kernel does. */
int	 sock_connect_unix(const char *, int, char *, size_t);
int	 sock_peer_cred(int, uid_t *, gid_t *, pid_t *);
int	 sock_set_nonblock(int, int);
/* A literal address only, never a lookup: 0, or -1 for anything else. */
int	 sock_addr_numeric(const char *, uint16_t, struct sockaddr_storage *,
	    socklen_t *);
/* 0 connected, 1 in progress (wait for POLLOUT, then finish), -1 error. */
int	 sock_connect_addr_nb(const struct sockaddr *, socklen_t, int *,
	    char *, size_t);
int	 sock_connect_finish(int, char *, size_t);
/* "ADDRESS:PORT" or "[IPV6-ADDRESS]:PORT", literal only: 0, or -1. */
int	 sock_parse_addr(const char *, struct sockaddr_storage *,
	    socklen_t *);
/* A listening TCP socket on such an address, non-blocking. */
int	 sock_listen_tcp(const char *, char *, size_t);

/*
 * notify.c: systemd's notify protocol (sd_notify) for the daemons; every
 * call is a no-op without NOTIFY_SOCKET.  notify_send logs a lost message
 * and returns -1; it never stops a daemon.
 */
enum notify_state {
	NOTIFY_NONE = 0,
	NOTIFY_READY,		/* serving; also after a reload */
	NOTIFY_RELOADING,	/* reload begins */
	NOTIFY_STOPPING,	/* shutdown begins */
	NOTIFY_WATCHDOG		/* alive, every notify_watchdog_ms */
};
int	 notify_supervised(void);	/* NOTIFY_SOCKET set: stay in front */
int	 notify_abstract(void);		/* NOTIFY_SOCKET is "@..." */
int	 notify_send(enum notify_state, const char *);
uint64_t notify_watchdog_ms(void);	/* half WatchdogSec=, or 0 */

#endif /* LG_H */
