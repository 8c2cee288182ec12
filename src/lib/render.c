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
 * Rendering: a pure function from (driver, query type, family, validated
 * target, router context) to the one command line sent to the router.
 * Placeholders are filled from the binary fields of struct lg_target and
 * from the router's configured source addresses and VRF, never from raw
 * user text; AS-path regexes and communities are written in the
 * platform's own syntax (drivers/README.md).  The loader in driver.c
 * calls render_template_check so that every template that loads names
 * only placeholders this file can fill for that query type.  The result
 * is checked once more before it is returned: no control character, no
 * ';', no '?', no braces, no backslash, and no '|' except from an AS-path
 * regex on a platform that quotes it.
 */

#include <sys/socket.h>

#include <arpa/inet.h>

#include <stdio.h>
#include <string.h>

#include "lg.h"

/* What a placeholder fill says, beyond success. */
enum rf {
	RF_OK = 0,
	RF_MISSING,		/* no value here: try the next choice */
	RF_BAD,			/* the value cannot be written: bad query */
	RF_UNSUPPORTED		/* the platform cannot express it */
};

struct rctx {
	const struct lg_driver		*d;
	enum lg_query_type		 q;
	enum lg_afi			 fam;	/* of this command, or ANY */
	const struct lg_target		*t;
	const struct lg_render_ctx	*ctx;
	char				*err;
	size_t				 errsz;
};

static enum rf	 fill_address(const struct rctx *, char *, size_t);
static enum rf	 fill_prefix(const struct rctx *, char *, size_t);
static enum rf	 fill_target(const struct rctx *, char *, size_t);
static enum rf	 fill_community(const struct rctx *, char *, size_t);
static enum rf	 fill_aspath(const struct rctx *, char *, size_t);
static enum rf	 fill_source4(const struct rctx *, char *, size_t);
static enum rf	 fill_source6(const struct rctx *, char *, size_t);
static enum rf	 fill_vrf(const struct rctx *, char *, size_t);
static enum rf	 fill_count(const struct rctx *, char *, size_t);

#define TM(k)		TGT_MASK(k)
#define F_ANY		(1U << AFI_ANY)
#define F_V4		(1U << AFI_IPV4)
#define F_V6		(1U << AFI_IPV6)
#define F_ALL		(F_ANY | F_V4 | F_V6)

/*
 * Every placeholder, where it has a value and its source.  A placeholder
 * may appear in a template of a query type that accepts one of its target
 * kinds (and then names the target), or that has its option (query.c's
 * QO_*); one with neither is available to every query type.  The first
 * row that names a query type's target is the one an error suggests.
 */
static const struct placeholder {
	const char	*name;
	unsigned int	 targets;	/* TGT_MASK it writes */
	unsigned int	 opt;		/* QO_* that offers it */
	unsigned int	 families;	/* templates it may appear in */
	enum rf		(*fill)(const struct rctx *, char *, size_t);
} placeholders[] = {
	{ "target", TM(TGT_PREFIX), 0, F_ALL, fill_target },
	{ "address", TM(TGT_ADDRESS) | TM(TGT_HOSTNAME), 0, F_ALL,
	    fill_address },
	{ "prefix", TM(TGT_PREFIX), 0, F_ALL, fill_prefix },
	{ "community", TM(TGT_COMMUNITY), 0, F_ALL, fill_community },
	{ "aspath", TM(TGT_ASPATH), 0, F_ALL, fill_aspath },
	{ "source4", 0, QO_SOURCE, F_ANY | F_V4, fill_source4 },
	{ "source6", 0, QO_SOURCE, F_ANY | F_V6, fill_source6 },
	{ "vrf", 0, 0, F_ALL, fill_vrf },
	{ "count", 0, QO_COUNT, F_ALL, fill_count },
	{ NULL, 0, 0, 0, NULL }
};

/* The target kinds a placeholder can name the target with. */
#define TGT_NAMED(qi)	((qi)->targets & ~TM(TGT_NONE))

#define PH_NAME_MAX	16
#define ASPATH_TOKS_MAX	16
#define ASPATH_CHARS	"0123456789 _^$.*+?()[]|-"

static enum rf
rf_err(const struct rctx *rc, enum rf r, const char *fmt, ...)
    __attribute__((__format__(__printf__, 3, 4)));

static enum rf
rf_err(const struct rctx *rc, enum rf r, const char *fmt, ...)
{
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(rc->err, rc->errsz, fmt, ap);
	va_end(ap);
	return r;
}

static const struct placeholder *
ph_find(const char *name, size_t len)
{
	const struct placeholder	*ph;

	for (ph = placeholders; ph->name != NULL; ph++)
		if (strlen(ph->name) == len && strncmp(ph->name, name, len) == 0)
			return ph;
	return NULL;
}

/* Writes an address of the target's family; 0, or -1 if it cannot. */
static int
fmt_addr(const struct lg_target *t, char *buf, size_t size)
{
	int		 af;

	if (t->family == AFI_IPV4)
		af = AF_INET;
	else if (t->family == AFI_IPV6)
		af = AF_INET6;
	else
		return -1;
	return inet_ntop(af, t->addr, buf, (socklen_t)size) == NULL ? -1 : 0;
}

static enum rf
fill_address(const struct rctx *rc, char *buf, size_t size)
{
	if (rc->t->kind != TGT_ADDRESS)
		return rf_err(rc, RF_MISSING, "{address} has no value: the "
		    "target is not an address");
	if (fmt_addr(rc->t, buf, size) == -1)
		return rf_err(rc, RF_BAD, "target: not an address");
	return RF_OK;
}

static enum rf
fill_prefix(const struct rctx *rc, char *buf, size_t size)
{
	char		 a[INET6_ADDRSTRLEN];
	unsigned int	 max = rc->t->family == AFI_IPV4 ? 32 : 128;

	if (rc->t->kind != TGT_PREFIX)
		return rf_err(rc, RF_MISSING, "{prefix} has no value: the "
		    "target is not a prefix");
	if (fmt_addr(rc->t, a, sizeof(a)) == -1 || rc->t->prefixlen > max)
		return rf_err(rc, RF_BAD, "target: not a prefix");
	if ((size_t)snprintf(buf, size, "%s/%u", a, rc->t->prefixlen) >= size)
		return rf_err(rc, RF_BAD, "target: too long");
	return RF_OK;
}

static enum rf
fill_target(const struct rctx *rc, char *buf, size_t size)
{
	if (rc->t->kind == TGT_PREFIX)
		return fill_prefix(rc, buf, size);
	if (rc->t->kind == TGT_ADDRESS)
		return fill_address(rc, buf, size);
	return rf_err(rc, RF_MISSING, "{target} has no value: the target is "
	    "neither an address nor a prefix");
}

/*
 * Communities are written from their numbers, never from their text:
 * well-known ones too, since every platform takes 65535:65281 while the
 * names differ between platforms.
 */
static enum rf
fill_community(const struct rctx *rc, char *buf, size_t size)
{
	const struct lg_target	*t = rc->t;
	int			 bird, n;

	if (t->kind != TGT_COMMUNITY)
		return rf_err(rc, RF_MISSING, "{community} has no value: the "
		    "target is not a community");
	bird = rc->d->community_style == COMMUNITY_BIRD;
	if (t->comm_kind == COMM_LARGE)
		n = snprintf(buf, size, bird ? "(%u,%u,%u)" : "%u:%u:%u",
		    t->comm[0], t->comm[1], t->comm[2]);
	else if (t->comm[0] > 0xffff || t->comm[1] > 0xffff)
		return rf_err(rc, RF_BAD, "target: community value out of "
		    "range");
	else
		n = snprintf(buf, size, bird ? "(%u,%u)" : "%u:%u",
		    t->comm[0], t->comm[1]);
	if (n < 0 || (size_t)n >= size)
		return rf_err(rc, RF_BAD, "target: too long");
	return RF_OK;
}

/* One element of a token-translated AS path: an AS number or any AS. */
struct aspath_tok {
	int		 any;
	uint32_t	 asn;
};

struct aspath_tokens {
	int			 start;		/* ^: anchored at the start */
	int			 end;		/* $: anchored at the end */
	size_t			 n;
	struct aspath_tok	 tok[ASPATH_TOKS_MAX];
};

/* Reads "65000" or "[0-9]+" at *pp; 0, or -1 if neither is there. */
static int
aspath_item(const char **pp, struct aspath_tok *tok)
{
	const char		*p = *pp;
	unsigned long long	 v = 0;
	size_t			 n = 0;

	if (strncmp(p, "[0-9]+", 6) == 0) {
		tok->any = 1;
		*pp = p + 6;
		return 0;
	}
	while (*p >= '0' && *p <= '9' && n < 11) {
		v = v * 10 + (unsigned long long)(*p++ - '0');
		n++;
	}
	if (n == 0 || n > 10 || v > UINT32_MAX)
		return -1;
	tok->any = 0;
	tok->asn = (uint32_t)v;
	*pp = p;
	return 0;
}

/*
 * Token-based platforms (Junos, BIRD) see an AS path as a sequence of
 * AS numbers, not characters, so only the part of the Cisco-style grammar
 * that speaks of whole AS numbers translates: ^$ (empty path), or
 * [^ or _] item (_ item)* [_ or $], where item is an AS number or [0-9]+
 * (any one AS).  Anything else is refused, naming where it stopped.
 */
static enum rf
aspath_tokenize(const struct rctx *rc, const char *re,
    struct aspath_tokens *at, const char *platform)
{
	const char	*p = re;

	memset(at, 0, sizeof(*at));
	if (strcmp(re, "^$") == 0) {
		at->start = at->end = 1;
		return RF_OK;
	}
	if (*p != '^' && *p != '_')
		goto unsupported;
	at->start = *p++ == '^';
	for (;;) {
		if (at->n == ASPATH_TOKS_MAX ||
		    aspath_item(&p, &at->tok[at->n]) == -1)
			goto unsupported;
		at->n++;
		if (p[0] == '$' && p[1] == '\0') {
			at->end = 1;
			return RF_OK;
		}
		if (*p != '_')
			goto unsupported;
		if (*++p == '\0')
			return RF_OK;
	}
 unsupported:
	return rf_err(rc, RF_UNSUPPORTED, "target: '%s' cannot be translated "
	    "to a %s AS-path expression (stopped at offset %zu): use AS "
	    "numbers or [0-9]+ separated by _, with ^ or _ first and $ or _ "
	    "last, or ^$", re, platform, (size_t)(p - re));
}

/* Appends to buf; -1 when it does not fit. */
static int
cat(char *buf, size_t size, const char *s)
{
	return lg_strlcat(buf, s, size) >= size ? -1 : 0;
}

static int
aspath_tok_write(const struct aspath_tokens *at, char *buf, size_t size,
    const char *any_one, const char *any_seq, const char *empty,
    const char *open, const char *close)
{
	char		 num[16];
	size_t		 i;
	int		 r = 0;

	buf[0] = '\0';
	if (at->n == 0)
		return cat(buf, size, empty);
	r |= cat(buf, size, open);
	if (!at->start)
		r |= cat(buf, size, any_seq);
	for (i = 0; i < at->n; i++) {
		if (i > 0 || !at->start)
			r |= cat(buf, size, " ");
		snprintf(num, sizeof(num), "%u", at->tok[i].asn);
		r |= cat(buf, size, at->tok[i].any ? any_one : num);
	}
	if (!at->end) {
		r |= cat(buf, size, " ");
		r |= cat(buf, size, any_seq);
	}
	r |= cat(buf, size, close);
	return r;
}

/*
 * Junos AS-path regexes match the whole path, one AS number per term:
 * "." is any one AS and ".*" any sequence, so _65000_ becomes
 * ".* 65000 .*" and ^$ becomes "()".  BIRD path masks: "*" is any
 * sequence, a range 0..4294967295 any one AS ('?' would open birdc's
 * help), [= =] the empty path.
 */
static enum rf
fill_aspath(const struct rctx *rc, char *buf, size_t size)
{
	const char		*re = rc->t->canon;
	struct aspath_tokens	 at;
	enum rf			 r;
	int			 w = 0;

	if (rc->t->kind != TGT_ASPATH)
		return rf_err(rc, RF_MISSING, "{aspath} has no value: the "
		    "target is not an AS-path regex");
	if (*re == '\0' || strlen(re) > LG_ASPATH_MAX ||
	    strspn(re, ASPATH_CHARS) != strlen(re))
		return rf_err(rc, RF_BAD, "target: not a valid AS-path regex");
	if (strchr(re, '?') != NULL)
		return rf_err(rc, RF_UNSUPPORTED, "target: '?' cannot be sent: "
		    "the router CLI reads it as a request for help");
	if (strchr(re, '|') != NULL && !rc->d->aspath_alternation &&
	    rc->d->aspath_style == ASPATH_CISCO)
		return rf_err(rc, RF_UNSUPPORTED, "target: '|' cannot be sent "
		    "to %s: its CLI reads it as an output pipe", rc->d->name);
	switch (rc->d->aspath_style) {
	case ASPATH_CISCO:
		w = lg_strlcpy(buf, re, size) >= size ? -1 : 0;
		break;
	case ASPATH_JUNOS:
		if ((r = aspath_tokenize(rc, re, &at, "Junos")) != RF_OK)
			return r;
		w = aspath_tok_write(&at, buf, size, ".", ".*", "()", "", "");
		break;
	case ASPATH_BIRD:
		if ((r = aspath_tokenize(rc, re, &at, "BIRD")) != RF_OK)
			return r;
		w = aspath_tok_write(&at, buf, size, "0..4294967295", "*",
		    "[= =]", "[= ", " =]");
		break;
	}
	if (w == -1)
		return rf_err(rc, RF_BAD, "target: too long");
	return RF_OK;
}

/* A configured source address, re-read so only inet_ntop text is used. */
static enum rf
fill_source(const struct rctx *rc, const char *src, enum lg_afi fam,
    const char *name, char *buf, size_t size)
{
	uint8_t		 a[16];
	int		 af = fam == AFI_IPV4 ? AF_INET : AF_INET6;

	if (rc->fam != fam)
		return rf_err(rc, RF_MISSING, "{%s} has no value in an %s "
		    "command", name, fam == AFI_IPV4 ? "IPv6" : "IPv4");
	if (src == NULL || *src == '\0')
		return rf_err(rc, RF_MISSING, "{%s} has no value: the router "
		    "has no %s", name, name);
	if (inet_pton(af, src, a) != 1 ||
	    inet_ntop(af, a, buf, (socklen_t)size) == NULL)
		return rf_err(rc, RF_BAD, "%s: '%s' is not an address of its "
		    "family", name, src);
	return RF_OK;
}

static enum rf
fill_source4(const struct rctx *rc, char *buf, size_t size)
{
	return fill_source(rc, rc->ctx != NULL ? rc->ctx->source4 : NULL,
	    AFI_IPV4, "source4", buf, size);
}

static enum rf
fill_source6(const struct rctx *rc, char *buf, size_t size)
{
	return fill_source(rc, rc->ctx != NULL ? rc->ctx->source6 : NULL,
	    AFI_IPV6, "source6", buf, size);
}

static enum rf
fill_vrf(const struct rctx *rc, char *buf, size_t size)
{
	const char	*vrf = rc->ctx != NULL ? rc->ctx->vrf : NULL;
	size_t		 len;

	if (vrf == NULL || *vrf == '\0')
		return rf_err(rc, RF_MISSING, "{vrf} has no value: the router "
		    "uses the default VRF");
	len = strlen(vrf);
	if (len >= LG_NAME_MAX || len >= size || strspn(vrf,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_.:-") != len)
		return rf_err(rc, RF_BAD, "vrf: '%s' is not a VRF name", vrf);
	memcpy(buf, vrf, len + 1);
	return RF_OK;
}

static enum rf
fill_count(const struct rctx *rc, char *buf, size_t size)
{
	if (rc->d->ping_count == 0)
		return rf_err(rc, RF_MISSING, "{count} has no value");
	snprintf(buf, size, "%u", rc->d->ping_count);
	return RF_OK;
}

/*
 * Whether a finished command may be sent.  Templates were checked at
 * load time, so a failure here means a filled value carried a byte it
 * must not: refuse rather than trust the layers before.
 */
static int
render_safe(const struct lg_driver *d, enum lg_query_type q,
    const char *cmd, char *err, size_t errsz)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)cmd; *p != '\0'; p++) {
		/* LG_ARGV_SEP comes from an argv template, never a value. */
		if (*p == LG_ARGV_SEP && d->argv)
			continue;
		if (*p < 0x20 || *p > 0x7e || strchr(";?{}\\", *p) != NULL ||
		    (*p == '|' && ((query_info(q)->targets &
		    TM(TGT_ASPATH)) == 0 ||
		    !d->aspath_alternation))) {
			snprintf(err, errsz, "target: byte 0x%02x may not "
			    "reach a router command", *p);
			return -1;
		}
	}
	return 0;
}

/* Expands one template choice into out. */
static enum rf
render_one(const struct rctx *rc, const char *tmpl, char *out, size_t size)
{
	const struct placeholder	*ph;
	const char			*p, *e;
	char				 val[LG_COMMAND_MAX];
	size_t				 len = 0, n;
	enum rf				 r;

	for (p = tmpl; *p != '\0'; p += n) {
		if (*p == '{' && (e = strchr(p, '}')) != NULL &&
		    (ph = ph_find(p + 1, (size_t)(e - p - 1))) != NULL) {
			if ((r = ph->fill(rc, val, sizeof(val))) != RF_OK)
				return r;
			n = (size_t)(e - p) + 1;
		} else {
			val[0] = *p;
			val[1] = '\0';
			n = 1;
		}
		if (len + strlen(val) >= size)
			return rf_err(rc, RF_BAD, "target: the command would "
			    "be longer than %zu bytes", size - 1);
		memcpy(out + len, val, strlen(val) + 1);
		len += strlen(val);
	}
	return RF_OK;
}

static void
render_choices(const struct lg_driver *d, enum lg_query_type q,
    enum lg_afi afi, int large, const char *choice[LG_TMPL_ALTS])
{
	const struct lg_driver_query	*dq = &d->queries[q];
	char *const			*set = large ? dq->tmpl_large : dq->tmpl;
	int				 slot, k;

	slot = set[afi] != NULL ? (int)afi : AFI_ANY;
	choice[0] = set[slot];
	for (k = 1; k < LG_TMPL_ALTS; k++)
		choice[k] = large ? dq->alt_large[slot][k - 1] :
		    dq->alt[slot][k - 1];
}

static int
render_is_large(enum lg_query_type q, const struct lg_target *t)
{
	return (query_info(q)->targets & TM(TGT_COMMUNITY)) && t != NULL &&
	    t->kind == TGT_COMMUNITY && t->comm_kind == COMM_LARGE;
}

static int
render_has(const struct lg_driver *d, enum lg_query_type q, enum lg_afi afi,
    const struct lg_target *t)
{
	const struct lg_driver_query	*dq = &d->queries[q];
	char *const			*set;

	set = render_is_large(q, t) ? dq->tmpl_large : dq->tmpl;
	return set[afi] != NULL || set[AFI_ANY] != NULL;
}

static int
render_is_addr(const struct lg_target *t)
{
	return t->kind == TGT_ADDRESS || t->kind == TGT_PREFIX;
}

enum lg_err
render_command(const struct lg_driver *d, enum lg_query_type q,
    enum lg_afi afi, const struct lg_target *t,
    const struct lg_render_ctx *ctx, char *out, size_t outsz, char *err,
    size_t errsz)
{
	struct rctx	 rc = { d, q, afi, t, ctx, err, errsz };
	const char	*choice[LG_TMPL_ALTS];
	size_t		 size = outsz < LG_COMMAND_MAX ? outsz : LG_COMMAND_MAX;
	enum rf		 r = RF_MISSING;
	int		 k;

	if (outsz > 0)
		out[0] = '\0';
	if ((unsigned int)q >= Q_COUNT || (unsigned int)afi > AFI_IPV6 ||
	    t == NULL || outsz == 0) {
		snprintf(err, errsz, "internal: bad render arguments");
		return LG_ERR_INTERNAL;
	}
	if (render_is_addr(t)) {
		if (afi != AFI_ANY && afi != t->family) {
			snprintf(err, errsz, "afi: %s does not match the "
			    "target %s", afi_name(afi), t->canon);
			return LG_ERR_BAD_QUERY;
		}
		rc.fam = afi = t->family;
	}
	if (!render_has(d, q, afi, t)) {
		snprintf(err, errsz, "%s: %s is not supported by %s%s%s",
		    query_name(q), render_is_large(q, t) ? "a large community" :
		    "this query", d->name, afi != AFI_ANY ? " for " : "",
		    afi != AFI_ANY ? afi_name(afi) : "");
		return LG_ERR_UNSUPPORTED;
	}
	render_choices(d, q, afi, render_is_large(q, t), choice);
	/*
	 * When no choice can be filled, err keeps the last choice's reason:
	 * the last is the plainest, so its missing value is the one that
	 * matters ("{address}" for an unresolved hostname, not "{vrf}").
	 */
	for (k = 0; k < LG_TMPL_ALTS && choice[k] != NULL; k++)
		if ((r = render_one(&rc, choice[k], out, size)) != RF_MISSING)
			break;
	if (r == RF_OK && render_safe(d, q, out, err, errsz) == 0)
		return LG_OK;
	out[0] = '\0';
	return r == RF_UNSUPPORTED ? LG_ERR_UNSUPPORTED : LG_ERR_BAD_QUERY;
}

int
render_families(const struct lg_driver *d, enum lg_query_type q,
    enum lg_afi afi, const struct lg_target *t, enum lg_afi fam[2])
{
	const struct lg_query_info	*info;
	char *const			*set;
	int				 n = 0;

	if ((info = query_info(q)) == NULL || (unsigned int)afi > AFI_IPV6)
		return -1;
	if (t != NULL && render_is_addr(t)) {
		if (afi != AFI_ANY && afi != t->family)
			return -1;
		afi = t->family;
	}
	if (afi != AFI_ANY) {
		if (!render_has(d, q, afi, t))
			return 0;
		fam[0] = afi;
		return 1;
	}
	if (!info->afi_both)
		return -1;	/* a hostname not yet resolved */
	set = render_is_large(q, t) ? d->queries[q].tmpl_large :
	    d->queries[q].tmpl;
	if (set[AFI_IPV4] != NULL)
		fam[n++] = AFI_IPV4;
	if (set[AFI_IPV6] != NULL)
		fam[n++] = AFI_IPV6;
	if (n == 0 && set[AFI_ANY] != NULL)
		fam[n++] = AFI_ANY;
	return n;
}

/* Whether a placeholder has a value in a query type's templates. */
static int
ph_offered(const struct placeholder *ph, const struct lg_query_info *qi)
{
	if (ph->targets == 0 && ph->opt == 0)
		return 1;
	return (ph->targets & TGT_NAMED(qi)) != 0 || (ph->opt & qi->opts) != 0;
}

/* The first placeholder that names a query type's target, or NULL. */
static const struct placeholder *
ph_target(const struct lg_query_info *qi)
{
	const struct placeholder	*ph;

	for (ph = placeholders; ph->name != NULL; ph++)
		if (ph->targets & TGT_NAMED(qi))
			return ph;
	return NULL;
}

/* Checks one "{name}" of a template at p; its length, or -1. */
static int
tmpl_placeholder(enum lg_query_type q, enum lg_afi afi, const char *p,
    unsigned int *seen, char *err, size_t errsz)
{
	const struct placeholder	*ph;
	const char			*e;
	size_t				 len;

	if ((e = strchr(p, '}')) == NULL || (len = (size_t)(e - p - 1)) == 0 ||
	    len > PH_NAME_MAX || memchr(p + 1, '{', len) != NULL) {
		snprintf(err, errsz, "unterminated or empty placeholder");
		return -1;
	}
	if ((ph = ph_find(p + 1, len)) == NULL) {
		snprintf(err, errsz, "unknown placeholder {%.*s}", (int)len,
		    p + 1);
		return -1;
	}
	if (!ph_offered(ph, query_info(q))) {
		snprintf(err, errsz, "{%s} has no value in a %s query",
		    ph->name, query_name(q));
		return -1;
	}
	if ((ph->families & (1U << afi)) == 0) {
		snprintf(err, errsz, "{%s} has no value in an %s template",
		    ph->name, afi_name(afi));
		return -1;
	}
	*seen |= 1U << (ph - placeholders);
	return (int)len + 2;
}

/* Whether the placeholders seen name the target, if the query has one. */
static int
tmpl_names_target(const struct lg_query_info *qi, unsigned int seen,
    char *err, size_t errsz)
{
	const struct placeholder	*ph;

	if (TGT_NAMED(qi) == 0)
		return 0;
	for (ph = placeholders; ph->name != NULL; ph++)
		if ((seen & (1U << (ph - placeholders))) &&
		    (ph->targets & TGT_NAMED(qi)))
			return 0;
	ph = ph_target(qi);
	snprintf(err, errsz, "a %s template must name {%s}", qi->name,
	    ph != NULL ? ph->name : "a target");
	return -1;
}

int
render_template_check(enum lg_query_type q, enum lg_afi afi,
    const char *tmpl, char *err, size_t errsz)
{
	const char	*p;
	unsigned int	 seen = 0, quotes = 0;
	int		 n;

	if ((unsigned int)q >= Q_COUNT || (unsigned int)afi > AFI_IPV6) {
		snprintf(err, errsz, "bad query type or family");
		return -1;
	}
	if (*tmpl == '\0' || strlen(tmpl) >= LG_COMMAND_MAX) {
		snprintf(err, errsz, "template must be 1-%d bytes",
		    LG_COMMAND_MAX - 1);
		return -1;
	}
	for (p = tmpl; *p != '\0'; p += n) {
		n = 1;
		if (*p == '{') {
			if ((n = tmpl_placeholder(q, afi, p, &seen, err,
			    errsz)) == -1)
				return -1;
		} else if (*p != LG_ARGV_SEP && (*p < 0x20 || *p > 0x7e ||
		    strchr(";|?}\\", *p))) {
			snprintf(err, errsz, "byte 0x%02x is not allowed in a "
			    "template", (unsigned char)*p);
			return -1;
		} else if (*p == '"')
			quotes++;
	}
	/* An open quote would leave the CLI waiting for its end. */
	if (quotes % 2 != 0) {
		snprintf(err, errsz, "unbalanced double quote");
		return -1;
	}
	return tmpl_names_target(query_info(q), seen, err, errsz);
}
