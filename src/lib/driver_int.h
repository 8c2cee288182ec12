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
 * Private to the driver table loader (driver*.c): the state of one file
 * being loaded and the helpers that read its settings with file:line
 * diagnostics.  Its top-level keys are walked by config_keys.c's
 * config_group().  The rest of Lorgnette sees struct lg_driver and the
 * driver_* functions of lg.h.
 */

#ifndef DRIVER_INT_H
#define DRIVER_INT_H

#include <stddef.h>

#include <libconfig.h>

#include "lg.h"
#include "config_int.h"

/* A setting's dotted path in a driver file, as messages show it. */
#define DRV_PATH_MAX	128
/* One message about a driver file, before its file:line prefix. */
#define DRV_MSG_MAX	512
#define DRV_PING_COUNT_MAX	100
#define DRV_WITHIN_MAX		600	/* s: interrupt.within */

/*
 * One driver file being loaded.  The walker's context comes first, so a
 * key parser handed the struct config_ctx reaches the driver through
 * drv_load().
 */
struct drv_load {
	struct config_ctx	 ctx;		/* file, diag */
	struct lg_driver	*d;
	int			 intr_line;	/* of interrupt, 0: none */
};

static inline struct drv_load *
drv_load(struct config_ctx *ctx)
{
	return (struct drv_load *)(void *)ctx;
}

/* driver.c */
void	 drv_error(struct drv_load *, const config_setting_t *,
	    const char *, ...)
	    __attribute__((__format__(__printf__, 3, 4)));
const char *drv_path(const config_setting_t *, char *, size_t);
int	 drv_string(struct drv_load *, const config_setting_t *,
	    const char **);
int	 drv_lookup(const char *const *, const char *);
int	 drv_strings(struct drv_load *, const config_setting_t *, int);
int	 drv_since(const struct config_ctx *, size_t);
int	 drv_regex(struct drv_load *, const config_setting_t *,
	    struct lg_regex *, int);
int	 drv_group(struct drv_load *, const config_setting_t *,
	    const char *const *, const config_setting_t **);
/* An integer setting in lo-hi, named by its path in messages; 0 or -1. */
int	 drv_int_range(struct drv_load *, const config_setting_t *, int, int,
	    unsigned int *);
CONFIG_PARSER(drv_interrupt);

/* driver_dir.c */
int	 drv_read(const char *, config_t *, struct lg_diag *);
CONFIG_PARSER(drv_parse_from);

/* driver_query.c */
CONFIG_PARSER(drv_queries);
void	 drv_finish(struct drv_load *);

/* driver_local.c */
CONFIG_PARSER(drv_argv);
CONFIG_PARSER(drv_local);
CONFIG_PARSER(drv_probes);
CONFIG_PARSER(drv_helpers);

#endif /* DRIVER_INT_H */
