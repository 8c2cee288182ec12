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
 * lgctl parse DRIVER TYPE [ipv4|ipv6] < FILE: runs a driver's parse
 * rules over captured router output, as the broker does, and prints the
 * parsed answer as JSON on stdout.  DRIVER is a driver name, looked up in
 * the drivers directory of the configuration, or the path of a driver
 * file (one with a '/'), so that operators can test a driver before they
 * install it.  Nothing is sent to the broker.
 */

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "lgctl.h"
#include "lg_parse.h"

static void
parse_print_diag(const char *line)
{
	fprintf(stderr, "%s\n", line);
}

/* Loads the named driver into drv; 0, or -1 after saying why. */
static int
parse_load_driver(const char *config, const char *name, struct lg_drivers *ds,
    const struct lg_driver **drv)
{
	struct lg_config	 conf;
	struct lg_diag		 diag;
	int			 rc = -1;

	memset(&conf, 0, sizeof(conf));
	diag_init(&diag);
	if (strchr(name, '/') != NULL) {
		ds->drivers = xcalloc(1, sizeof(*ds->drivers));
		ds->ndrivers = 1;
		if (driver_load_file(name, &ds->drivers[0], &diag) == 0)
			*drv = &ds->drivers[0];
	} else if (config_load(config, &conf, &diag) == 0 &&
	    driver_load_dir(conf.broker.drivers, ds, &diag) == 0 &&
	    (*drv = drivers_find(ds, name)) == NULL)
		fprintf(stderr, "lgctl: no driver named \"%s\" in %s\n", name,
		    conf.broker.drivers);
	diag_print(&diag, parse_print_diag);
	if (*drv != NULL && diag.nerrors == 0)
		rc = 0;
	config_free(&conf);
	diag_free(&diag);
	return rc;
}

/* Feeds stdin to the parser and prints the answer; the exit code. */
static int
parse_run(struct parser *p)
{
	char		 buf[64 * 1024];
	json_t		*parsed, *err;
	ssize_t		 n;
	int		 rc = LGCTL_EXIT_OK;

	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) > 0)
		parser_feed_text(p, buf, (size_t)n);
	if (n == -1) {
		perror("lgctl: stdin");
		return LGCTL_EXIT_ERROR;
	}
	if ((parsed = parser_finish(p)) == NULL) {
		fprintf(stderr, "lgctl: out of memory\n");
		return LGCTL_EXIT_ERROR;
	}
	if ((err = json_object_get(parsed, "error")) != NULL) {
		fprintf(stderr, "lgctl: parse error at line %lld: %s\n",
		    (long long)json_integer_value(json_object_get(parsed,
		    "line")), json_string_value(err));
		rc = LGCTL_EXIT_ERROR;
	}
	json_dumpf(parsed, stdout, JSON_INDENT(2) | PARSE_JSON_REAL);
	putchar('\n');
	json_decref(parsed);
	return rc;
}

int
parse_cmd(const char *config, int argc, char **argv)
{
	struct lg_drivers	 ds = { NULL, 0 };
	const struct lg_driver	*drv = NULL;
	struct parser		*p;
	enum lg_query_type	 type;
	enum lg_afi		 afi = AFI_ANY;
	char			 err[256];
	int			 rc = LGCTL_EXIT_ERROR;

	if (query_from_name(argv[1], &type) == -1) {
		fprintf(stderr, "lgctl: type: unknown query type \"%s\"\n",
		    argv[1]);
		return LGCTL_EXIT_USAGE;
	}
	if (argc > 2 && (afi_from_name(argv[2], &afi) == -1 ||
	    afi == AFI_ANY)) {
		fprintf(stderr, "lgctl: family: \"%s\" is not ipv4 or ipv6\n",
		    argv[2]);
		return LGCTL_EXIT_USAGE;
	}
	if (parse_load_driver(config, argv[0], &ds, &drv) == -1)
		goto done;
	if ((p = parser_new(drv, type, afi, 0, err, sizeof(err))) == NULL) {
		if (err[0] == '\0')
			fprintf(stderr, "lgctl: driver %s has no parse rules "
			    "for %s: its parsed answer is null\n", drv->name,
			    query_name(type));
		else
			fprintf(stderr, "lgctl: %s\n", err);
		printf("null\n");
		goto done;
	}
	rc = parse_run(p);
	parser_free(p);
done:
	drivers_free(&ds);
	return rc;
}
