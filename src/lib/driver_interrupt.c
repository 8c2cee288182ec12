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
 * The interrupt key of a driver file: the queries whose command never
 * ends by itself (vtysh's ping), which the broker ends after a count of
 * reply lines or a time (lorgnette-drivers(5), INTERRUPTED QUERIES), and
 * the integer range check the loader's counts share.  Called by the
 * loader, driver.c.
 */

#include <libconfig.h>

#include "lg.h"
#include "config_int.h"
#include "driver_int.h"

/*
 * An integer setting in lo-hi, named by its path in messages; 0 or -1.
 */
int
drv_int_range(struct drv_load *ld, const config_setting_t *s, int lo,
    int hi, unsigned int *v)
{
	char	 path[DRV_PATH_MAX];
	int	 n;

	drv_path(s, path, sizeof(path));
	if (config_setting_type(s) != CONFIG_TYPE_INT) {
		drv_error(ld, s, "%s: expected an integer", path);
		return -1;
	}
	n = config_setting_get_int(s);
	if (n < lo || n > hi) {
		drv_error(ld, s, "%s: %d is not in %d-%d", path, n, lo, hi);
		return -1;
	}
	*v = (unsigned int)n;
	return 0;
}

/* interrupt.queries: a non-empty list of query type names, each once. */
static void
drv_intr_queries(struct drv_load *ld, const config_setting_t *s,
    unsigned int *mask)
{
	const config_setting_t	*e;
	enum lg_query_type	 q;
	const char		*v;
	unsigned int		 i;

	if (!config_setting_is_array(s) && !config_setting_is_list(s)) {
		drv_error(ld, s, "interrupt.queries: expected a list of "
		    "query types [ \"ping\", ... ]");
		return;
	}
	if (config_setting_length(s) == 0)
		drv_error(ld, s, "interrupt.queries: empty");
	for (i = 0; (e = config_setting_get_elem(s, i)) != NULL; i++) {
		if (drv_string(ld, e, &v) == -1)
			continue;
		if (query_from_name(v, &q) == -1)
			drv_error(ld, e, "interrupt.queries: unknown query "
			    "type \"%s\"", v);
		else if (*mask & Q_MASK(q))
			drv_error(ld, e, "interrupt.queries: \"%s\" twice", v);
		else
			*mask |= Q_MASK(q);
	}
}

/*
 * interrupt = { queries; match; count; within; }: the queries the broker
 * ends itself (lorgnette-drivers(5), INTERRUPTED QUERIES).  Whether each
 * query is defined is checked once the queries are read (drv_finish).
 */
int
drv_interrupt(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	static const char *const names[] = { "queries", "match", "count",
	    "within", NULL };
	struct drv_load		*ld = drv_load(ctx);
	struct lg_driver	*d = dst;
	const config_setting_t	*m[4];
	size_t			 before = ctx->diag->nerrors;

	(void)k;
	ld->intr_line = (int)config_setting_source_line(s);
	if (drv_group(ld, s, names, m) == -1)
		return -1;
	if (m[0] == NULL || m[1] == NULL || m[3] == NULL) {
		drv_error(ld, s, "interrupt: needs queries, match and within");
		return -1;
	}
	drv_intr_queries(ld, m[0], &d->intr_queries);
	drv_regex(ld, m[1], &d->intr_match, 0);
	if (m[2] != NULL)
		(void)drv_int_range(ld, m[2], 1, DRV_PING_COUNT_MAX,
		    &d->intr_count);
	(void)drv_int_range(ld, m[3], 1, DRV_WITHIN_MAX, &d->intr_within);
	return drv_since(ctx, before);
}
