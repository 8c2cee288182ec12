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
 * Community descriptions (communities = "DIR", DESIGN.md section 13):
 * every file of the directory (not those starting with '.' or ending in
 * '~'), in name order, holds "pattern,description" lines, '#' comments
 * and blank lines.  A pattern is a standard community A:B or a large one
 * A:B:C whose fields are each a number, a range "100-199", or digits with
 * 'n' for any digit ("1nnn": four digits starting with 1).  A community
 * takes the description of the first pattern made of numbers alone that
 * equals it, else of the first pattern that matches it, else the name of
 * a well-known community (validate_community.c's table).  A bad line is
 * a file:line warning and is skipped.
 */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lg_parse.h"

#define COMMDESC_LINE_MAX	4096

/* A decimal number of at most 10 digits, no leading zero; 0 or -1. */
static int
commdesc_number(const char *s, size_t n, uint64_t *v)
{
	size_t	 i;

	if (n == 0 || n > 10 || (n > 1 && s[0] == '0'))
		return -1;
	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

/* One field of n bytes at s, values up to max; 0 or -1 with why. */
static int
commdesc_field(const char *s, size_t n, uint64_t max,
    struct commdesc_field *f, const char **why)
{
	const char	*dash;
	uint64_t	 lo, hi;
	size_t		 i;

	f->wild[0] = '\0';
	if (n > 0 && memchr(s, 'n', n) != NULL) {
		for (i = 0; i < n; i++)
			if (s[i] != 'n' && (s[i] < '0' || s[i] > '9'))
				break;
		if (i < n || n >= sizeof(f->wild) || (n > 1 && s[0] == '0')) {
			*why = "bad wildcard (digits and 'n', e.g. 1nnn)";
			return -1;
		}
		memcpy(f->wild, s, n);
		f->wild[n] = '\0';
		f->lo = 0;
		f->hi = (uint32_t)max;
		return 0;
	}
	if ((dash = memchr(s, '-', n)) != NULL) {
		if (commdesc_number(s, (size_t)(dash - s), &lo) == -1 ||
		    commdesc_number(dash + 1, n - (size_t)(dash - s) - 1,
		    &hi) == -1 || lo > hi || hi > max) {
			*why = "bad range (LOW-HIGH, LOW <= HIGH)";
			return -1;
		}
	} else if (commdesc_number(s, n, &lo) == -1 || lo > max) {
		*why = max == UINT32_MAX ? "field is not a number of 0 to "
		    "4294967295" : "field is not a number of 0 to 65535";
		return -1;
	} else
		hi = lo;
	f->lo = (uint32_t)lo;
	f->hi = (uint32_t)hi;
	return 0;
}

/*
 * Parses a pattern ("65000:1nnn", "65000:100-199", "65000:1:2") into p
 * (text and descr untouched).  Returns 0, or -1 with the reason in err.
 */
int
commdesc_pattern_parse(const char *s, struct commdesc_pattern *p, char *err,
    size_t errlen)
{
	const char	*c[3], *why = NULL;
	size_t		 n = 0, i, len;
	uint64_t	 max;

	c[n++] = s;
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] == ':') {
			if (n == 3) {
				snprintf(err, errlen, "too many fields "
				    "(A:B or A:B:C)");
				return -1;
			}
			c[n++] = s + i + 1;
		}
	if (n == 1) {
		snprintf(err, errlen, "expected a community pattern (A:B or "
		    "A:B:C)");
		return -1;
	}
	p->large = n == 3;
	max = p->large ? UINT32_MAX : 65535;
	for (i = 0; i < n; i++) {
		len = i + 1 < n ? (size_t)(c[i + 1] - c[i] - 1) : strlen(c[i]);
		if (commdesc_field(c[i], len, max, &p->f[i], &why) == -1) {
			snprintf(err, errlen, "field %zu: %s", i + 1, why);
			return -1;
		}
	}
	return 0;
}

static int
commdesc_field_match(const struct commdesc_field *f, uint32_t v)
{
	char	 buf[11];
	size_t	 i, n;

	if (f->wild[0] == '\0')
		return v >= f->lo && v <= f->hi;
	n = (size_t)snprintf(buf, sizeof(buf), "%u", v);
	if (n != strlen(f->wild))
		return 0;
	for (i = 0; i < n; i++)
		if (f->wild[i] != 'n' && f->wild[i] != buf[i])
			return 0;
	return 1;
}

/* "A:B" or "A:B:C" into numbers; the count of fields, or -1. */
static int
commdesc_split(const char *s, uint32_t v[3])
{
	const char	*e;
	uint64_t	 x;
	int		 n = 0;

	for (;;) {
		e = s + strcspn(s, ":");
		if (n == 3 || commdesc_number(s, (size_t)(e - s), &x) == -1 ||
		    x > UINT32_MAX)
			return -1;
		v[n++] = (uint32_t)x;
		if (*e == '\0')
			break;
		s = e + 1;
	}
	if (n == 2 && (v[0] > 65535 || v[1] > 65535))
		return -1;
	return n >= 2 ? n : -1;
}

static int
commdesc_match_v(const struct commdesc_pattern *p, const uint32_t v[3],
    int n)
{
	int	 i;

	if (n != (p->large ? 3 : 2))
		return 0;
	for (i = 0; i < n; i++)
		if (!commdesc_field_match(&p->f[i], v[i]))
			return 0;
	return 1;
}

/* 1 if the community text s matches the pattern. */
int
commdesc_pattern_match(const struct commdesc_pattern *p, const char *s)
{
	uint32_t	 v[3];
	int		 n;

	if ((n = commdesc_split(s, v)) == -1)
		return 0;
	return commdesc_match_v(p, v, n);
}

static int
commdesc_exact(const struct commdesc_pattern *p)
{
	int	 i;

	for (i = 0; i < (p->large ? 3 : 2); i++)
		if (p->f[i].wild[0] != '\0' || p->f[i].lo != p->f[i].hi)
			return 0;
	return 1;
}

const char *
commdesc_find(const struct lg_commdesc *t, const char *s, char *buf,
    size_t len)
{
	const char	*name;
	uint32_t	 v[3];
	size_t		 i;
	int		 n, pass;

	if ((n = commdesc_split(s, v)) == -1)
		return NULL;
	for (pass = 0; t != NULL && pass < 2; pass++)
		for (i = 0; i < t->n; i++)
			if ((pass == 1 || commdesc_exact(&t->v[i])) &&
			    commdesc_match_v(&t->v[i], v, n))
				return t->v[i].descr;
	if (n != 2 || (name = validate_community_wellknown_name(v[0], v[1]))
	    == NULL)
		return NULL;
	snprintf(buf, len, "well-known community %s", name);
	return buf;
}

static char *
commdesc_trim(char *s)
{
	size_t	 len;

	s += strspn(s, " \t");
	len = strlen(s);
	while (len > 0 && strchr(" \t\r\n", s[len - 1]) != NULL)
		s[--len] = '\0';
	return s;
}

/* One line, modified in place: 0 added, 1 nothing there, -1 why set. */
static int
commdesc_line(char *line, struct lg_commdesc *t, size_t *max, char *why,
    size_t whylen)
{
	struct commdesc_pattern	 p = { 0 };
	char			*s, *comma, *d;
	const char		*c;

	s = commdesc_trim(line);
	if (*s == '\0' || *s == '#')
		return 1;
	if ((comma = strchr(s, ',')) == NULL) {
		snprintf(why, whylen, "expected \"pattern,description\"");
		return -1;
	}
	*comma = '\0';
	d = commdesc_trim(comma + 1);
	s = commdesc_trim(s);
	if (commdesc_pattern_parse(s, &p, why, whylen) == -1)
		return -1;
	if (*d == '\0' || strlen(d) >= COMMDESC_DESCR_MAX) {
		snprintf(why, whylen, "description %s", *d == '\0' ?
		    "is empty" : "is too long");
		return -1;
	}
	for (c = d; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			snprintf(why, whylen, "control character in the "
			    "description");
			return -1;
		}
	if (t->n == *max) {
		*max = *max ? *max * 2 : 64;
		t->v = xreallocarray(t->v, *max, sizeof(*t->v));
	}
	p.text = xstrdup(s);
	p.descr = xstrdup(d);
	t->v[t->n++] = p;
	return 0;
}

/* Appends the patterns of one file; 0, or -1 if it cannot be read. */
int
commdesc_load_file(const char *path, struct lg_commdesc *t,
    struct lg_diag *diag)
{
	FILE		*f;
	char		*line = NULL, why[LG_ERRSTR_MAX];
	size_t		 cap = 0, max = t->n;
	ssize_t		 len;
	int		 lineno = 0;

	if ((f = fopen(path, "re")) == NULL) {
		diag_warning(diag, path, 0, "communities: %s",
		    strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (len > COMMDESC_LINE_MAX)
			diag_warning(diag, path, lineno, "line too long");
		else if (commdesc_line(line, t, &max, why, sizeof(why)) == -1)
			diag_warning(diag, path, lineno, "%s", why);
	}
	free(line);
	fclose(f);
	return 0;
}

static int
commdesc_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the files to load, sorted; the count, or -1. */
static int
commdesc_names(const char *dir, char **names, struct lg_diag *diag)
{
	DIR		*d;
	struct dirent	*e;
	size_t		 len;
	int		 n = 0;

	if ((d = opendir(dir)) == NULL) {
		diag_warning(diag, dir, 0, "communities: %s", strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (e->d_name[0] == '.' || e->d_name[len - 1] == '~')
			continue;
		if (n == COMMDESC_FILES_MAX) {
			diag_warning(diag, dir, 0, "communities: more than %d "
			    "files, the rest are ignored", COMMDESC_FILES_MAX);
			break;
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(*names), commdesc_name_cmp);
	return n;
}

/*
 * Loads every file of dir into t (empty on entry).  Returns 0, or -1 when
 * the directory cannot be read; problems are warnings in diag.
 */
int
commdesc_load(const char *dir, struct lg_commdesc *t, struct lg_diag *diag)
{
	char		*names[COMMDESC_FILES_MAX], path[LG_PATH_MAX];
	struct stat	 st;
	int		 i, n;

	if ((n = commdesc_names(dir, names, diag)) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]) >= sizeof(path))
			diag_warning(diag, dir, 0, "%s: path too long",
			    names[i]);
		else if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			commdesc_load_file(path, t, diag);
		free(names[i]);
	}
	return 0;
}

void
commdesc_free(struct lg_commdesc *t)
{
	size_t	 i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].text);
		free(t->v[i].descr);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}
