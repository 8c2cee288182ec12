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
 * AS names (asn_names = "FILE", DESIGN.md section 13): a CSV file of
 * "asn,name[,...]" lines in the shape of the public AS-name dumps
 * ("AS15169,GOOGLE,..." or "15169,GOOGLE"), '#' comments, blank lines,
 * and a first line "asn,name,..." (after comments) taken for a header.  A name may be
 * quoted ("a, b" with "" for a quote).  Loaded into a sorted array by the
 * broker with each configuration generation; a bad line is a file:line
 * warning and is skipped.  Later lines win over earlier ones for the
 * same ASN, as a refreshed dump appended to an old one would expect.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lg.h"
#include "lg_parse.h"

/* Lines past this are refused (a name is short; this is not a name). */
#define ASNAMES_LINE_MAX	4096

/*
 * The next CSV field of *sp, unquoted in place, NUL-terminated; *sp moves
 * past it and its comma (NULL at the end of the line).  NULL on an
 * unterminated quote.
 */
static char *
asnames_field(char **sp)
{
	char	*s = *sp, *out, *f;

	if (*s != '"') {
		f = s;
		if ((s = strchr(s, ',')) != NULL)
			*s++ = '\0';
		*sp = s;
		return f;
	}
	f = out = ++s;
	for (;;) {
		if (*s == '\0')
			return NULL;
		if (*s == '"' && s[1] == '"') {
			*out++ = '"';
			s += 2;
		} else if (*s == '"')
			break;
		else
			*out++ = *s++;
	}
	*out = '\0';
	s++;
	if (*s == ',')
		s++;
	else if (*s != '\0')
		return NULL;
	*sp = *s != '\0' || s[-1] == ',' ? s : NULL;
	return f;
}

/* "15169" or "AS15169": 0, or -1. */
static int
asnames_asn(const char *s, uint32_t *asn)
{
	uint64_t	 v = 0;
	size_t		 n;

	if (strncasecmp(s, "AS", 2) == 0)
		s += 2;
	if ((n = strspn(s, "0123456789")) == 0 || n > 10 || s[n] != '\0' ||
	    (n > 1 && s[0] == '0'))
		return -1;
	for (; *s != '\0'; s++)
		v = v * 10 + (uint64_t)(*s - '0');
	if (v > UINT32_MAX)
		return -1;
	*asn = (uint32_t)v;
	return 0;
}

/* Trims blanks at both ends, in place. */
static char *
asnames_trim(char *s)
{
	size_t	 len;

	s += strspn(s, " \t");
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\r' || s[len - 1] == '\n'))
		s[--len] = '\0';
	return s;
}

/*
 * One line, modified in place.  Returns 0 with the ASN and name, 1 when
 * the line holds nothing (blank, comment), or -1 with why set.
 */
int
asnames_parse_line(char *line, uint32_t *asn, const char **name,
    const char **why)
{
	char		*s, *f, *nm;
	const char	*p;

	s = asnames_trim(line);
	if (*s == '\0' || *s == '#')
		return 1;
	if ((f = asnames_field(&s)) == NULL) {
		*why = "unterminated quote";
		return -1;
	}
	if (asnames_asn(asnames_trim(f), asn) == -1) {
		*why = "expected an AS number (15169 or AS15169) first";
		return -1;
	}
	if (s == NULL || (nm = asnames_field(&s)) == NULL) {
		*why = s == NULL ? "no name after the AS number" :
		    "unterminated quote";
		return -1;
	}
	nm = asnames_trim(nm);
	if (*nm == '\0') {
		*why = "empty name";
		return -1;
	}
	if (strlen(nm) >= FACTS_NAME_MAX) {
		*why = "name too long";
		return -1;
	}
	for (p = nm; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			*why = "control character in the name";
			return -1;
		}
	*name = nm;
	return 0;
}

static int
asnames_cmp(const void *a, const void *b)
{
	const struct asname	*x = a, *y = b;

	if (x->asn != y->asn)
		return x->asn < y->asn ? -1 : 1;
	/* Same ASN: the later line last. */
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sorts, keeping the last of each ASN. */
static void
asnames_sort(struct lg_asnames *t)
{
	size_t	 i, o = 0;

	qsort(t->v, t->n, sizeof(*t->v), asnames_cmp);
	for (i = 0; i < t->n; i++) {
		if (i + 1 < t->n && t->v[i + 1].asn == t->v[i].asn) {
			free(t->v[i].name);
			continue;
		}
		t->v[o++] = t->v[i];
	}
	t->n = o;
}

static void
asnames_add(struct lg_asnames *t, size_t *max, uint32_t asn,
    const char *name)
{
	if (t->n == *max) {
		*max = *max ? *max * 2 : 1024;
		t->v = xreallocarray(t->v, *max, sizeof(*t->v));
	}
	t->v[t->n].asn = asn;
	t->v[t->n].seq = (uint32_t)t->n;
	t->v[t->n].name = xstrdup(name);
	t->n++;
}

/*
 * Loads the file at path into t (empty on entry).  Returns 0, or -1 when
 * the file cannot be read; bad lines are warnings in diag either way.
 */
int
asnames_load(const char *path, struct lg_asnames *t, struct lg_diag *diag)
{
	FILE		*f;
	char		*line = NULL;
	const char	*name, *why;
	size_t		 cap = 0, max = 0;
	ssize_t		 len;
	uint32_t	 asn;
	int		 lineno = 0, data = 0;

	if ((f = fopen(path, "re")) == NULL) {
		diag_warning(diag, path, 0, "asn_names: %s", strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, f)) != -1) {
		lineno++;
		if (len > ASNAMES_LINE_MAX) {
			diag_warning(diag, path, lineno, "line too long");
			continue;
		}
		if (!data && strncasecmp(asnames_trim(line), "asn,", 4) == 0) {
			data = 1;	/* the header of a dump */
			continue;
		}
		switch (asnames_parse_line(line, &asn, &name, &why)) {
		case 0:
			data = 1;
			asnames_add(t, &max, asn, name);
			break;
		case -1:
			data = 1;
			diag_warning(diag, path, lineno, "%s", why);
			break;
		}
	}
	free(line);
	fclose(f);
	asnames_sort(t);
	return 0;
}

const char *
asnames_find(const struct lg_asnames *t, uint32_t asn)
{
	size_t	 lo = 0, hi, mid;

	if (t == NULL)
		return NULL;
	hi = t->n;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (t->v[mid].asn == asn)
			return t->v[mid].name;
		if (t->v[mid].asn < asn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
asnames_free(struct lg_asnames *t)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].name);
	free(t->v);
	t->v = NULL;
	t->n = 0;
}
