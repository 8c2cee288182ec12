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
 * The keys of a driver file that serve transport local (DESIGN.md
 * section 15): argv (the queries are argv lists run on the looking-glass
 * host), local (how a CLI driver's command runs there), probes (the
 * packets each query type sends, for broker.local_probes) and helpers
 * (the programs those programs run in turn).  Called by the
 * loader, driver.c.
 */

#include <string.h>

#include <libconfig.h>

#include "lg.h"
#include "config_int.h"
#include "driver_int.h"

#define DRV_PROBES_MAX		100000	/* packets of one local command */

/*
 * argv = true: the queries are argv lists run on the looking-glass host
 * (transport local), not lines typed into a CLI.
 */
int
drv_argv(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	(void)k;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		drv_error(drv_load(ctx), s, "argv: expected true or false");
		return -1;
	}
	*(int *)dst = config_setting_get_bool(s);
	return 0;
}

/*
 * One element of the local argv of a CLI driver: "{command}" (the rendered
 * command, as one element), "{socket}" (the router's socket), or plain
 * printable text; the first is an absolute path.  0 or -1.
 */
static int
drv_local_elem(struct drv_load *ld, const config_setting_t *e, int i,
    const char *v, int *commands)
{
	const char	*p;

	if (strcmp(v, "{command}") == 0) {
		(*commands)++;
		return i == 0 ? -1 : 0;
	}
	if (strcmp(v, "{socket}") == 0)
		return i == 0 ? -1 : 0;
	if (i == 0 && v[0] != '/') {
		drv_error(ld, e, "local: the program must be an absolute "
		    "path, not \"%s\"", v);
		return -1;
	}
	for (p = v; *p != '\0'; p++)
		if (*p < 0x20 || *p > 0x7e || *p == '{' || *p == '}') {
			drv_error(ld, e, "local: element %d: only {command} "
			    "and {socket} may be placeholders, printable "
			    "text otherwise", i + 1);
			return -1;
		}
	return *v == '\0' ? -1 : 0;
}

/*
 * local = [ "/usr/sbin/birdc", "-s", "{socket}", "-r", "{command}" ]:
 * how a CLI driver's command runs on the looking-glass host, one process
 * per command (transport local).
 */
int
drv_local(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct drv_load		*ld = drv_load(ctx);
	struct lg_driver	*d = dst;
	const config_setting_t	*e;
	const char		*v;
	int			 i, n, commands = 0;
	size_t			 before = ctx->diag->nerrors;

	(void)k;
	if ((n = drv_strings(ld, s, LG_ARGV_MAX)) <= 0) {
		if (n == 0)
			drv_error(ld, s, "local: an empty argv");
		return -1;
	}
	d->local = xcalloc((size_t)n, sizeof(char *));
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, (unsigned int)i);
		if (drv_string(ld, e, &v) == -1)
			continue;
		if (drv_local_elem(ld, e, i, v, &commands) == -1) {
			if (ctx->diag->nerrors == before)
				drv_error(ld, e, "local: element %d is not "
				    "allowed there", i + 1);
			continue;
		}
		d->local[d->nlocal++] = xstrdup(v);
	}
	if (commands != 1 && ctx->diag->nerrors == before)
		drv_error(ld, s, "local: must hold \"{command}\" once");
	return drv_since(ctx, before);
}

/*
 * probes = { ping = 5; mtr = 300; }: the packets a query of each type
 * sends at most, for broker.local_probes.
 */
int
drv_probes(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct drv_load		*ld = drv_load(ctx);
	unsigned int		*probes = dst;
	const config_setting_t	*e;
	enum lg_query_type	 q;
	int			 i, v;
	size_t			 before = ctx->diag->nerrors;

	(void)k;
	if (!config_setting_is_group(s)) {
		drv_error(ld, s, "probes: expected a group { TYPE = count; }");
		return -1;
	}
	for (i = 0; (e = config_setting_get_elem(s, (unsigned int)i)) != NULL;
	    i++) {
		if (query_from_name(config_setting_name(e), &q) == -1) {
			drv_error(ld, e, "probes.%s: unknown query type",
			    config_setting_name(e));
			continue;
		}
		if (config_setting_type(e) != CONFIG_TYPE_INT ||
		    (v = config_setting_get_int(e)) < 0 ||
		    v > DRV_PROBES_MAX) {
			drv_error(ld, e, "probes.%s: expected 0-%d",
			    config_setting_name(e), DRV_PROBES_MAX);
			continue;
		}
		probes[q] = (unsigned int)v;
	}
	return drv_since(ctx, before);
}

/*
 * helpers = [ "/usr/bin/mtr-packet" ]: programs the driver's programs run
 * themselves, by absolute path.  The prober's Landlock domain lets only
 * the templates' programs and these be executed (prober.c); a script's
 * interpreter is one of them.
 */
int
drv_helpers(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct drv_load		*ld = drv_load(ctx);
	struct lg_driver	*d = dst;
	const config_setting_t	*e;
	const char		*v, *p;
	int			 i, n;
	size_t			 before = ctx->diag->nerrors;

	(void)k;
	if ((n = drv_strings(ld, s, LG_ARGV_MAX)) < 0)
		return -1;
	d->helpers = xcalloc((size_t)n + 1, sizeof(char *));
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, (unsigned int)i);
		if (drv_string(ld, e, &v) == -1)
			continue;
		for (p = v; *p > 0x20 && *p < 0x7f; p++)
			;
		if (v[0] != '/' || *p != '\0' ||
		    strlen(v) >= LG_PATH_MAX) {
			drv_error(ld, e, "helpers: element %d: expected an "
			    "absolute path without spaces", i + 1);
			continue;
		}
		d->helpers[d->nhelpers++] = xstrdup(v);
	}
	return drv_since(ctx, before);
}
