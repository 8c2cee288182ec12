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
 * lgctl check: loads a configuration the way lgbrokerd will (the config,
 * the credentials file with its mode check, every driver, the AS names
 * and community descriptions) and prints each problem as "file:line:
 * message".  Nothing is sent to the broker.
 */

#include <stdio.h>
#include <string.h>

#include "lg_parse.h"
#include "lgctl.h"

static void
print_line(const char *line)
{
	fprintf(stderr, "%s\n", line);
}

/* Router references the loaders cannot check alone. */
static void
check_references(const struct lg_config *conf, const struct lg_drivers *drv,
    const struct lg_credentials *creds, struct lg_diag *diag)
{
	size_t		 i;

	for (i = 0; i < conf->nrouters; i++) {
		const struct lg_router *r = &conf->routers[i];
		const struct lg_driver *d = drivers_find(drv, r->driver);

		if (d == NULL)
			diag_error(diag, conf->path, r->line, "router %s: no "
			    "driver named \"%s\" in %s", r->name, r->driver,
			    conf->broker.drivers);
		else if ((r->transport == TRANSPORT_LOCAL) !=
		    (d->argv || d->nlocal > 0) && (d->argv ||
		    r->transport == TRANSPORT_LOCAL))
			diag_error(diag, conf->path, r->line, "router %s: "
			    "driver %s %s", r->name, d->name, d->argv ?
			    "runs programs on this host: it needs transport "
			    "\"local\"" : "has no \"local\" argv: it cannot "
			    "run on this host");
		if (r->transport == TRANSPORT_LOCAL)
			continue;	/* no login, no credential */
		if (credentials_find(creds, r->credential) == NULL)
			diag_error(diag, conf->path, r->line, "router %s: no "
			    "credential named \"%s\" in %s", r->name,
			    r->credential, conf->broker.credentials);
	}
}

/* Whether a router logs in somewhere: only then is a credentials file read. */
static int
check_remote(const struct lg_config *conf)
{
	size_t	 i;

	for (i = 0; i < conf->nrouters; i++)
		if (conf->routers[i].transport != TRANSPORT_LOCAL)
			return 1;
	return 0;
}

/* The route facts' files: their bad lines are warnings, as in the broker. */
static void
check_facts(const struct lg_config *conf, struct lg_diag *diag)
{
	struct lg_asnames	 names = { 0 };
	struct lg_commdesc	 comms = { 0 };

	if (conf->asn_names[0] != '\0')
		asnames_load(conf->asn_names, &names, diag);
	if (conf->communities[0] != '\0')
		commdesc_load(conf->communities, &comms, diag);
	asnames_free(&names);
	commdesc_free(&comms);
}

int
check_config(const char *path, int verbose)
{
	struct lg_config	 conf;
	struct lg_credentials	 creds;
	struct lg_drivers	 drv;
	struct lg_diag		 diag;
	int			 ok;

	memset(&conf, 0, sizeof(conf));
	memset(&creds, 0, sizeof(creds));
	memset(&drv, 0, sizeof(drv));
	diag_init(&diag);
	if (config_load(path, &conf, &diag) == 0) {
		if (check_remote(&conf))
			credentials_load(conf.broker.credentials, &creds,
			    &diag);
		driver_load_dir(conf.broker.drivers, &drv, &diag);
		if (diag.nerrors == 0)
			check_references(&conf, &drv, &creds, &diag);
		check_facts(&conf, &diag);
	}
	diag_print(&diag, print_line);
	ok = diag.nerrors == 0;
	if (ok)
		printf("%s: configuration OK (%zu routers, %zu drivers)\n",
		    path, conf.nrouters, drv.ndrivers);
	else if (verbose)
		fprintf(stderr, "%s: %zu errors\n", path, diag.nerrors);
	drivers_free(&drv);
	credentials_free(&creds);
	config_free(&conf);
	diag_free(&diag);
	return ok ? LGCTL_EXIT_OK : LGCTL_EXIT_ERROR;
}
