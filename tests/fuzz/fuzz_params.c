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
 * libFuzzer target for the HTTP parameters lgwebd reads from outside:
 * %-decoding, query strings (split as libmicrohttpd splits them, then
 * decoded and fed pair by pair), JSON bodies, RFC 8522 paths and
 * parameters, and static file paths.  The first input byte picks the
 * parser.  Beyond "never crashes" it aborts when:
 *
 *  - decoding grows a string or reports a wrong length;
 *  - an accepted request holds a router name validation refuses, a type
 *    out of range, or no router;
 *  - an error message holds a byte that is not printable ASCII (messages
 *    never quote the input);
 *  - a static path accepted as safe contains a dot segment or a byte that
 *    could escape www/.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lgwebd/web.h"

#define MAX_INPUT	(64 * 1024)

static void
check_msg(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			abort();
}

static void
check_params(struct web_params *p)
{
	size_t	 i;

	if (params_check(p) == -1) {
		check_msg(p->errstr);
		return;
	}
	if (p->nrouters == 0 || p->nrouters > WEB_ROUTERS_MAX ||
	    p->type < 0 || p->type >= Q_COUNT)
		abort();
	for (i = 0; i < p->nrouters; i++)
		if (validate_router_name(p->routers[i]) != 0)
			abort();
}

static size_t
unescape(char *s)
{
	size_t	 before = strlen(s), after;

	after = params_unescape(s);
	if (after > before || after != strlen(s))
		abort();
	return after;
}

/* "k=v&k2=v2", split as libmicrohttpd does: '&' then the first '='. */
static void
fuzz_query(char *s)
{
	struct web_params	 p;
	char			*pair, *save, *eq;

	params_init(&p);
	for (pair = strtok_r(s, "&", &save); pair != NULL;
	    pair = strtok_r(NULL, "&", &save)) {
		if ((eq = strchr(pair, '=')) != NULL)
			*eq++ = '\0';
		unescape(pair);
		if (eq != NULL)
			unescape(eq);
		params_add(&p, pair, eq);
	}
	check_params(&p);
}

static void
fuzz_json(const char *s, size_t len)
{
	struct web_params	 p;

	params_init(&p);
	params_from_json(&p, s, len);
	check_params(&p);
}

static void
fuzz_rfc8522(char *s)
{
	static struct lg_config	 conf;	/* the defaults: no VRF offered */
	static int		 loaded;
	struct rfc8522_req	 r;
	struct rfc8522_params	 p;
	char			 path[1024], err[LG_ERRSTR_MAX];
	char			*q;

	if (!loaded) {
		config_defaults(&conf);
		loaded = 1;
	}
	if ((q = strchr(s, '?')) != NULL)
		*q++ = '\0';
	unescape(s);
	snprintf(path, sizeof(path), "%s%s", RFC8522_BASE, s);
	if (rfc8522_parse_path(path, &r, err, sizeof(err)) == -1)
		check_msg(err);
	else if (r.what == RFC_QUERY && (r.type >= Q_COUNT ||
	    strlen(r.arg) > LG_TARGET_MAX))
		abort();
	rfc8522_params_init(&p, &conf);
	if (q != NULL && (s = strchr(q, '=')) != NULL) {
		*s++ = '\0';
		unescape(q);
		unescape(s);
		if (rfc8522_param(&p, q, s) == -1)
			check_msg(p.errstr);
	}
}

static void
fuzz_static(char *s)
{
	unescape(s);
	if (static_path_ok(s) == -1)
		return;
	if (s[0] == '/' || s[0] == '.' || strstr(s, "/.") != NULL ||
	    strchr(s, '\\') != NULL || strstr(s, "//") != NULL)
		abort();
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x21)
			abort();
}

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s;

	if (size < 1 || size > MAX_INPUT)
		return 0;
	if ((s = malloc(size)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	switch (data[0] % 4) {
	case 0:
		fuzz_query(s);
		break;
	case 1:
		fuzz_json((const char *)data + 1, size - 1);
		break;
	case 2:
		fuzz_rfc8522(s);
		break;
	default:
		fuzz_static(s);
		break;
	}
	free(s);
	return 0;
}
