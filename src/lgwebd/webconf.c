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
 * The configuration in force, as reference-counted generations so that
 * SIGHUP can replace it while requests run: a request takes the current
 * generation when it starts (webconf_get) and keeps reading that one until
 * it ends (webconf_put), however many reloads happen meanwhile.  The last
 * holder of an old generation frees it.  One mutex guards the current
 * pointer and the counts; it is held for a few instructions.
 */

#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

#include "lg.h"
#include "web.h"

struct webconf_gen {
	struct lg_config	 conf;		/* first: see gen_of */
	unsigned int		 refs;
};

static pthread_mutex_t		 wc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct webconf_gen	*wc_cur;

static struct webconf_gen *
gen_of(const struct lg_config *c)
{
	return (struct webconf_gen *)(uintptr_t)((const char *)c -
	    offsetof(struct webconf_gen, conf));
}

/* The current configuration, referenced; NULL before webconf_set. */
const struct lg_config *
webconf_get(void)
{
	struct webconf_gen	*g;

	pthread_mutex_lock(&wc_lock);
	if ((g = wc_cur) != NULL)
		g->refs++;
	pthread_mutex_unlock(&wc_lock);
	return g != NULL ? &g->conf : NULL;
}

void
webconf_put(const struct lg_config *c)
{
	struct webconf_gen	*g;
	int			 last;

	if (c == NULL)
		return;
	g = gen_of(c);
	pthread_mutex_lock(&wc_lock);
	last = --g->refs == 0;
	pthread_mutex_unlock(&wc_lock);
	if (last) {
		config_free(&g->conf);
		free(g);
	}
}

/*
 * Makes a loaded configuration the current one; it moves into the
 * generation (the caller's copy must not be freed).  NULL drops the
 * current one, at exit.  Returns 0, or -1 when out of memory.
 */
int
webconf_set(struct lg_config *c)
{
	struct webconf_gen	*g = NULL, *old;

	if (c != NULL) {
		if ((g = calloc(1, sizeof(*g))) == NULL)
			return -1;
		g->conf = *c;
		g->refs = 1;
	}
	pthread_mutex_lock(&wc_lock);
	old = wc_cur;
	wc_cur = g;
	pthread_mutex_unlock(&wc_lock);
	if (old != NULL)
		webconf_put(&old->conf);
	return 0;
}
