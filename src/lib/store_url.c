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
 * The address of web.store, the Redis or Valkey server that several
 * fronts share (DESIGN.md section 17), parsed for config_sections.c.  A
 * leaf: it fills err and never logs.  The host must be an IP address,
 * since lgwebd's sandbox resolves no name, and a password in the URL is
 * refused, since lorgnette.conf holds no secret.
 */

#include <sys/socket.h>
#include <sys/un.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"

#define STORE_TCP_PREFIX	"redis://"
#define STORE_UNIX_PREFIX	"unix:"
#define STORE_PORT_DEFAULT	6379

/* A decimal number in [min, max] spanning s[0..len): 0, or -1. */
static int
store_url_number(const char *s, size_t len, unsigned int min,
    unsigned int max, unsigned int *v)
{
	unsigned long	 n = 0;
	size_t		 i;

	if (len == 0 || len > 6)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (unsigned long)(s[i] - '0');
	}
	if (n < min || n > max)
		return -1;
	*v = (unsigned int)n;
	return 0;
}

/* HOST (IPv4, or IPv6 in brackets) and the rest after it. */
static int
store_url_host(const char *s, struct lg_store *st, const char **rest,
    char *err, size_t errlen)
{
	const char	*end;
	uint8_t		 a[16];
	size_t		 n;

	if (*s == '[') {
		if ((end = strchr(s, ']')) == NULL) {
			snprintf(err, errlen, "an IPv6 host lacks its ']'");
			return -1;
		}
		s++;
		n = (size_t)(end - s);
		*rest = end + 1;
	} else {
		n = strcspn(s, ":/");
		*rest = s + n;
	}
	if (n == 0 || n >= sizeof(st->host)) {
		snprintf(err, errlen, "the host is missing or too long "
		    "(an IPv6 address goes in brackets)");
		return -1;
	}
	memcpy(st->host, s, n);
	st->host[n] = '\0';
	if (inet_pton(s[-1] == '[' ? AF_INET6 : AF_INET, st->host, a) != 1) {
		snprintf(err, errlen, "the host must be an IP address (IPv6 "
		    "in brackets): lgwebd resolves no name");
		return -1;
	}
	return 0;
}

static int
store_url_tcp(const char *s, struct lg_store *st, char *err, size_t errlen)
{
	const char	*rest;
	size_t		 n;

	if (strchr(s, '@') != NULL) {
		snprintf(err, errlen, "no user or password in the URL: "
		    "lorgnette.conf holds no secret, put the password in "
		    "web.store_password_file");
		return -1;
	}
	if (store_url_host(s, st, &rest, err, errlen) == -1)
		return -1;
	st->port = STORE_PORT_DEFAULT;
	if (*rest == ':') {
		rest++;
		n = strcspn(rest, "/");
		if (store_url_number(rest, n, 1, 65535, &st->port) == -1) {
			snprintf(err, errlen, "the port must be a number from "
			    "1 to 65535");
			return -1;
		}
		rest += n;
	}
	st->db = 0;
	if (*rest == '/' && store_url_number(rest + 1, strlen(rest + 1), 0,
	    LG_STORE_DB_MAX, &st->db) == -1) {
		snprintf(err, errlen, "the database must be a number from 0 "
		    "to %d", LG_STORE_DB_MAX);
		return -1;
	}
	if (*rest != '\0' && *rest != '/') {
		snprintf(err, errlen, "unexpected text after the host");
		return -1;
	}
	st->kind = LG_STORE_TCP;
	return 0;
}

/*
 * "redis://HOST[:PORT][/DB]" or "unix:PATH" (absolute); "" is the
 * in-process store.  Fills the address part of st: 0, or -1 with err
 * saying what is wrong (it never quotes the value).
 */
int
store_url_parse(const char *s, struct lg_store *st, char *err,
    size_t errlen)
{
	struct sockaddr_un	 sun;
	size_t			 n;

	st->kind = LG_STORE_LOCAL;
	st->host[0] = st->path[0] = '\0';
	st->port = st->db = 0;
	if (*s == '\0')
		return 0;
	if (strncmp(s, STORE_TCP_PREFIX, strlen(STORE_TCP_PREFIX)) == 0)
		return store_url_tcp(s + strlen(STORE_TCP_PREFIX), st, err,
		    errlen);
	if (strncmp(s, STORE_UNIX_PREFIX, strlen(STORE_UNIX_PREFIX)) != 0) {
		snprintf(err, errlen, "expected \"redis://HOST:PORT[/DB]\" "
		    "or \"unix:PATH\"");
		return -1;
	}
	s += strlen(STORE_UNIX_PREFIX);
	n = strlen(s);
	if (s[0] != '/' || n >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "unix:PATH needs an absolute path "
		    "shorter than a socket address allows");
		return -1;
	}
	memcpy(st->path, s, n + 1);
	st->kind = LG_STORE_UNIX;
	return 0;
}
