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
 * Configuration generations.  A generation is everything the broker reads
 * from disk, loaded and checked together: lorgnette.conf, the credentials
 * file (mode 0600, credentials.c refuses it otherwise) and every driver.
 * A reload builds a new generation and swaps it in only when it is whole;
 * routers and sessions hold references to the generation whose driver and
 * credential they point into, so an old one lives until its last session
 * is gone.
 */

#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "broker.h"

/*
 * A router on this host (transport local) runs its driver's argv, or its
 * CLI commands through the driver's local argv; one over the network
 * needs a CLI driver.
 */
static void
gen_check_local(const struct gen *g, const struct lg_router *r,
    const struct lg_driver *d, struct lg_diag *diag)
{
	if (r->transport == TRANSPORT_LOCAL && !d->argv && d->nlocal == 0)
		diag_error(diag, g->conf.path, r->line, "router %s: driver %s "
		    "has no \"local\" argv: it cannot run on this host",
		    r->name, d->name);
	else if (r->transport != TRANSPORT_LOCAL && d->argv)
		diag_error(diag, g->conf.path, r->line, "router %s: driver %s "
		    "runs programs on this host: it needs transport "
		    "\"local\"", r->name, d->name);
}

/* Whether a router needs the credentials file. */
static int
gen_remote(const struct lg_config *conf)
{
	size_t	 i;

	for (i = 0; i < conf->nrouters; i++)
		if (conf->routers[i].transport != TRANSPORT_LOCAL)
			return 1;
	return 0;
}

/* Every router names a driver, a credential and a transport that exist. */
static void
gen_check_routers(struct gen *g, struct lg_diag *diag)
{
	const struct lg_router	*r;
	const struct lg_driver	*d;
	const struct lg_credential *c;
	size_t			 i;

	for (i = 0; i < g->conf.nrouters; i++) {
		r = &g->conf.routers[i];
		if ((d = drivers_find(&g->drivers, r->driver)) == NULL)
			diag_error(diag, g->conf.path, r->line,
			    "router %s: unknown driver \"%s\"", r->name,
			    r->driver);
		else
			gen_check_local(g, r, d, diag);
		if (r->transport == TRANSPORT_LOCAL)
			continue;
		if ((c = credentials_find(&g->creds, r->credential)) == NULL)
			diag_error(diag, g->conf.path, r->line,
			    "router %s: unknown credential \"%s\"", r->name,
			    r->credential);
		else if (c->password == NULL && c->key == NULL)
			diag_error(diag, g->conf.path, r->line,
			    "router %s: credential \"%s\" has neither password"
			    " nor key", r->name, r->credential);
		if (d != NULL && d->prompt.re == NULL)
			diag_error(diag, d->file, 0, "driver %s: no prompt",
			    d->name);
	}
}

/*
 * AS names and community descriptions: a file that cannot be read or a
 * bad line is a warning, never a reason to refuse the generation.
 */
static void
gen_load_facts(struct gen *g, struct lg_diag *diag)
{
	if (g->conf.asn_names[0] != '\0')
		asnames_load(g->conf.asn_names, &g->asnames, diag);
	if (g->conf.communities[0] != '\0')
		commdesc_load(g->conf.communities, &g->commdesc, diag);
}

/*
 * Loads a generation from the config at path.  Returns it with one
 * reference, or NULL with every problem in diag.
 */
struct gen *
gen_load(const char *path, struct lg_diag *diag)
{
	struct gen	*g;
	size_t		 before = diag->nerrors;

	g = xcalloc(1, sizeof(*g));
	g->refs = 1;
	if (config_load(path, &g->conf, diag) == -1)
		goto fail;
	if (g->conf.broker.credentials[0] == '\0' && gen_remote(&g->conf))
		diag_error(diag, g->conf.path, 0,
		    "broker.credentials is not set");
	else if (gen_remote(&g->conf))
		credentials_load(g->conf.broker.credentials, &g->creds, diag);
	if (g->conf.broker.drivers[0] == '\0')
		diag_error(diag, g->conf.path, 0, "broker.drivers is not set");
	else
		driver_load_dir(g->conf.broker.drivers, &g->drivers, diag);
	if (diag->nerrors == before)
		gen_check_routers(g, diag);
	gen_load_facts(g, diag);
	if (diag->nerrors != before)
		goto fail;
	return g;
fail:
	gen_unref(g);
	return NULL;
}

void
gen_ref(struct gen *g)
{
	g->refs++;
}

void
gen_unref(struct gen *g)
{
	if (g == NULL || --g->refs > 0)
		return;
	drivers_free(&g->drivers);
	asnames_free(&g->asnames);
	commdesc_free(&g->commdesc);
	credentials_free(&g->creds);
	config_free(&g->conf);
	free(g);
}
