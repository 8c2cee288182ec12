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
 * lgctl result delete|show ID: the operator's hand on stored results
 * (web.results).  The store is opened where the configuration says,
 * through the same lg_results.h interface lgwebd uses, so the delete
 * takes effect at once for every lgwebd serving it (SQLite's WAL lets
 * both write).  With web.store set, the results live in the shared
 * store (Redis or Valkey) and are reached through lgwebd's own modules
 * (store.c, store_results.c): a delete removes the document there, so
 * every front answers 404 at once, and from this front's SQLite
 * fallback too.  A store that does not answer is an error, never a
 * silent local-only delete.  ID may be the id, the link /r/ID or a whole
 * URL ending in it.  Nothing is sent to the broker.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lgctl.h"
#include "lg_results.h"
#include "../lgwebd/web.h"

static void
result_print_diag(const char *line)
{
	fprintf(stderr, "%s\n", line);
}

/* The id in an id, a link or a URL: what follows the last '/'. */
static const char *
result_id(const char *arg)
{
	const char	*slash = strrchr(arg, '/');

	return slash != NULL ? slash + 1 : arg;
}

/*
 * The shared store of web.store, with the SQLite fallback beside it;
 * NULL after saying why, the store closed again.
 */
static struct results *
result_open_shared(const struct lg_config *conf,
    const struct results_conf *rc)
{
	struct results	*r;
	char		 err[LG_ERRSTR_MAX];

	if (store_open(conf) == -1)
		return NULL;
	if (!store_answers()) {
		fprintf(stderr, "lgctl: web.store does not answer: the "
		    "stored results live there, nothing was done\n");
		store_close();
		return NULL;
	}
	if ((r = results_open_backend(&results_store, rc, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "lgctl: web.results.path %s: %s\n", rc->path,
		    err);
		store_close();
	}
	return r;
}

/* Opens the store the configuration names; NULL after saying why. */
static struct results *
result_open(const char *config, struct lg_config *conf)
{
	struct lg_diag		 diag;
	struct results_conf	 rc;
	struct results		*r;
	char			 err[LG_ERRSTR_MAX];

	diag_init(&diag);
	if (config_load(config, conf, &diag) == -1) {
		diag_print(&diag, result_print_diag);
		diag_free(&diag);
		return NULL;
	}
	diag_free(&diag);
	if (!conf->web.results.enabled) {
		fprintf(stderr, "lgctl: %s: web.results is not set: this "
		    "looking glass stores no results\n", config);
		return NULL;
	}
	/* A missing store holds nothing; do not create one as root. */
	if (access(conf->web.results.path, F_OK) == -1) {
		fprintf(stderr, "lgctl: %s: no store yet (lgwebd makes it "
		    "when it starts)\n", conf->web.results.path);
		return NULL;
	}
	rc.path = conf->web.results.path;
	rc.retention = conf->web.results.retention;
	rc.max_bytes = (size_t)conf->web.results.max_mb * 1024 * 1024;
	if (conf->web.store.kind != LG_STORE_LOCAL)
		return result_open_shared(conf, &rc);
	if ((r = results_open(&rc, err, sizeof(err))) == NULL)
		fprintf(stderr, "lgctl: web.results.path %s: %s\n", rc.path,
		    err);
	return r;
}

static int
result_delete(struct results *r, const char *id)
{
	int	 rv;

	rv = results_delete(r, id);
	/* The shared store failed mid-way: the document may be there. */
	if (store_active() && !store_answers()) {
		fprintf(stderr, "lgctl: web.store stopped answering: %s may "
		    "still be served\n", id);
		return LGCTL_EXIT_ERROR;
	}
	switch (rv) {
	case 1:
		printf("deleted %s\n", id);
		return LGCTL_EXIT_OK;
	case 0:
		fprintf(stderr, "lgctl: no stored result has the id %s\n", id);
		return LGCTL_EXIT_ERROR;
	default:
		fprintf(stderr, "lgctl: the store cannot be written\n");
		return LGCTL_EXIT_ERROR;
	}
}

static int
result_show(struct results *r, const char *id)
{
	char	*doc;
	size_t	 len;
	int64_t	 created;

	switch (results_get(r, id, time(NULL), &doc, &len, &created)) {
	case 1:
		fwrite(doc, 1, len, stdout);
		putchar('\n');
		free(doc);
		return LGCTL_EXIT_OK;
	case 0:
		fprintf(stderr, "lgctl: no stored result has the id %s\n", id);
		return LGCTL_EXIT_ERROR;
	default:
		fprintf(stderr, "lgctl: the store cannot be read\n");
		return LGCTL_EXIT_ERROR;
	}
}

static const struct {
	const char	*name;
	int		(*fn)(struct results *, const char *);
} result_verbs[] = {
	{ "delete",	result_delete },
	{ "show",	result_show },
	{ NULL,		NULL }
};

int
result_cmd(const char *config, int argc, char **argv)
{
	struct lg_config	 conf;
	struct results		*r;
	const char		*id;
	size_t			 i;
	int			 rc;

	if (argc != 2)
		return LGCTL_EXIT_USAGE;
	for (i = 0; result_verbs[i].name != NULL; i++)
		if (strcmp(result_verbs[i].name, argv[0]) == 0)
			break;
	if (result_verbs[i].name == NULL) {
		fprintf(stderr, "lgctl: result: unknown action %s (delete or "
		    "show)\n", argv[0]);
		return LGCTL_EXIT_USAGE;
	}
	id = result_id(argv[1]);
	if (results_id_ok(id, strlen(id)) == -1) {
		fprintf(stderr, "lgctl: result: not a result id: %s "
		    "(%d characters of A-Z, a-z, 0-9, - and _)\n", id,
		    RESULTS_ID_LEN);
		return LGCTL_EXIT_USAGE;
	}
	memset(&conf, 0, sizeof(conf));
	if ((r = result_open(config, &conf)) == NULL) {
		config_free(&conf);
		return LGCTL_EXIT_ERROR;
	}
	rc = result_verbs[i].fn(r, id);
	results_close(r);
	store_close();
	config_free(&conf);
	return rc;
}
