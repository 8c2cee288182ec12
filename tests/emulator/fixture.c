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
 * Fixtures: the canned answers under fixtures/<platform>/NAME.txt, loaded
 * once at start and shared by every router and session of the fleet.  A
 * command's answer is a fixture expanded with the session's values
 * ({hostname}, {prefix}, {address}...), built fresh per command because
 * the target differs; the full-table generator expands one row template per
 * route.  The emulator's routing table is the known[] list below: targets
 * inside it are found, others get the platform's "not in table" fixture.
 */

#include <sys/socket.h>
#include <sys/stat.h>
#include <arpa/inet.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "emu.h"

#define FIXTURE_MAX_SIZE	(1024 * 1024)

struct fixture {
	char		*name;
	char		*text;
};

static struct fixture	*fixtures[PLAT_MAX];
static size_t		 nfixtures[PLAT_MAX];

/* The routes every emulated router carries (public-looking, lab-wide). */
static const struct known_route {
	int		 af;
	const char	*prefix;
	const char	*network;
	int		 len;
	const char	*netmask;
} known[] = {
	{ AF_INET, "1.0.4.0/24", "1.0.4.0", 24, "255.255.255.0" },
	{ AF_INET6, "2a00:1450::/32", "2a00:1450::", 32, NULL },
	{ 0, NULL, NULL, 0, NULL }
};

struct var {
	const char	*name;
	const char	*value;
};

static char *
read_file(int dfd, const char *name, char *err, size_t errlen)
{
	struct stat	 st;
	char		*text;
	ssize_t		 n;
	size_t		 off = 0;
	int		 fd;

	if ((fd = openat(dfd, name, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1 || st.st_size > FIXTURE_MAX_SIZE) {
		snprintf(err, errlen, "%s: %s", name, fd == -1 ?
		    strerror(errno) : "unreadable or too large");
		if (fd != -1)
			close(fd);
		return NULL;
	}
	text = xmalloc((size_t)st.st_size + 1);
	while (off < (size_t)st.st_size &&
	    (n = read(fd, text + off, (size_t)st.st_size - off)) > 0)
		off += (size_t)n;
	text[off] = '\0';
	close(fd);
	return text;
}

static int
load_platform(const char *dir, const struct emu_platform *p, char *err,
    size_t errlen)
{
	char		 path[1024];
	struct dirent	*de;
	DIR		*d;
	size_t		 l, n = 0;
	struct fixture	*f = NULL;
	char		*text;

	snprintf(path, sizeof(path), "%s/%s", dir, p->key);
	if ((d = opendir(path)) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".txt") != 0)
			continue;
		if ((text = read_file(dirfd(d), de->d_name, err,
		    errlen)) == NULL) {
			closedir(d);
			return -1;
		}
		f = xreallocarray(f, n + 1, sizeof(*f));
		f[n].name = xstrdup(de->d_name);
		f[n].name[l - 4] = '\0';
		f[n].text = text;
		n++;
	}
	closedir(d);
	fixtures[p->id] = f;
	nfixtures[p->id] = n;
	return 0;
}

/* Loads every platform's fixtures; -1 with err filled on failure. */
int
fixture_load_all(const char *dir, char *err, size_t errlen)
{
	int		 i;

	for (i = 0; i < PLAT_MAX; i++)
		if (load_platform(dir, platform_get((enum emu_plat_id)i), err,
		    errlen) == -1)
			return -1;
	return 0;
}

void
fixture_free_all(void)
{
	size_t		 i;
	int		 p;

	for (p = 0; p < PLAT_MAX; p++) {
		for (i = 0; i < nfixtures[p]; i++) {
			free(fixtures[p][i].name);
			free(fixtures[p][i].text);
		}
		free(fixtures[p]);
		fixtures[p] = NULL;
		nfixtures[p] = 0;
	}
}

const char *
fixture_get(const struct emu_platform *p, const char *name)
{
	size_t		 i;

	for (i = 0; i < nfixtures[p->id]; i++)
		if (strcmp(fixtures[p->id][i].name, name) == 0)
			return fixtures[p->id][i].text;
	return NULL;
}

static int
parse_target(const char *t, int *af, unsigned char *bin, int *plen)
{
	char		 tmp[INET6_ADDRSTRLEN + 8], *slash;

	if (lg_strlcpy(tmp, t, sizeof(tmp)) >= sizeof(tmp))
		return -1;
	tmp[strcspn(tmp, " ")] = '\0';
	*plen = -1;
	if ((slash = strchr(tmp, '/')) != NULL) {
		*slash++ = '\0';
		*plen = atoi(slash);
	}
	*af = strchr(tmp, ':') != NULL ? AF_INET6 : AF_INET;
	return inet_pton(*af, tmp, bin) == 1 ? 0 : -1;
}

static int
route_contains(const unsigned char *net, int len, const unsigned char *a)
{
	int		 bytes = len / 8, bits = len % 8;
	unsigned char	 mask;

	if (memcmp(net, a, (size_t)bytes) != 0)
		return 0;
	if (bits == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - bits));
	return (net[bytes] & mask) == (a[bytes] & mask);
}

/*
 * Returns the index of the known route answering target, or -1.  An
 * address finds the route containing it; a prefix must be exactly one.
 */
int
fixture_known(const char *target)
{
	unsigned char	 a[16], net[16];
	int		 af, plen, i;

	if (parse_target(target, &af, a, &plen) == -1)
		return -1;
	for (i = 0; known[i].prefix != NULL; i++) {
		if (known[i].af != af)
			continue;
		inet_pton(af, known[i].network, net);
		if (plen == -1 && route_contains(net, known[i].len, a))
			return i;
		if (plen == known[i].len && memcmp(net, a, af == AF_INET ?
		    4 : 16) == 0)
			return i;
	}
	return -1;
}

static const char *
var_get(const struct var *vars, const char *name, size_t len)
{
	for (; vars->name != NULL; vars++)
		if (strlen(vars->name) == len &&
		    strncmp(vars->name, name, len) == 0)
			return vars->value;
	return NULL;
}

static void
var_set(struct var *vars, const char *name, const char *value)
{
	for (; vars->name != NULL; vars++)
		if (strcmp(vars->name, name) == 0)
			vars->value = value;
}

/*
 * Expands {name} references from vars into b; unknown names stay as they
 * are.  {pause} becomes the byte 0x01, which the output pump turns into a
 * delay.  Returns -1 when b is full.
 */
static int
expand(struct lg_buf *b, const char *tpl, const struct var *vars)
{
	const char	*p = tpl, *open, *close, *val;

	while ((open = strchr(p, '{')) != NULL) {
		if (buf_append(b, p, (size_t)(open - p)) == -1)
			return -1;
		close = strchr(open, '}');
		if (close == NULL)
			break;
		if (close - open == 6 && strncmp(open, "{pause}", 7) == 0)
			val = "\001";
		else
			val = var_get(vars, open + 1,
			    (size_t)(close - open - 1));
		if (val == NULL) {
			val = open;
			if (buf_append(b, open, (size_t)(close - open + 1)) ==
			    -1)
				return -1;
		} else if (buf_append(b, val, strlen(val)) == -1)
			return -1;
		p = close + 1;
	}
	return buf_append(b, p, strlen(p));
}

static void
xr_date(char *buf, size_t len)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 d[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(d, sizeof(d), "%a %b %e %H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03ld UTC", d, ts.tv_nsec / 1000000);
}

/* "18:03:01.123 UTC Sat Nov 21 2026" (Cisco show clock) and ISO forms. */
static void
clock_forms(char *cisco, size_t clen, char *iso, size_t ilen)
{
	struct timespec	 ts;
	struct tm	 tm;
	char		 hms[16], rest[48];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(hms, sizeof(hms), "%H:%M:%S", &tm);
	strftime(rest, sizeof(rest), "%a %b %e %Y", &tm);
	snprintf(cisco, clen, "%s.%03ld UTC %s", hms, ts.tv_nsec / 1000000,
	    rest);
	strftime(iso, ilen, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static void
strip_quotes(char *s)
{
	size_t		 l = strlen(s);

	if (l >= 2 && (s[0] == '"' || s[0] == '\'') && s[l - 1] == s[0]) {
		memmove(s, s + 1, l - 2);
		s[l - 2] = '\0';
	}
}

/*
 * Expands fixture tpl for session s and argument arg (the command's first
 * placeholder, may be ""); returns a malloc'd string and its length, or
 * NULL when memory runs out.
 */
char *
fixture_expand(const struct emu_sess *s, const char *tpl, const char *arg,
    size_t *lenp)
{
	struct lg_buf	 b;
	char		 prompt[256], date[96], target[EMU_MAX_LINE];
	char		 address[EMU_MAX_LINE], aspath[EMU_MAX_LINE];
	char		 stamp[100], clock[96], iso[48];
	const struct known_route *k = NULL;
	int		 ki;
	struct var	 vars[] = {
		{ "hostname", s->r->hostname },
		{ "prompt", prompt },
		{ "user", s->user[0] != '\0' ? s->user : s->r->username },
		{ "arg", arg },
		{ "target", target },
		{ "address", address },
		{ "community", arg },
		{ "aspath", aspath },
		{ "date", date },
		{ "timestamp", stamp },
		{ "clock", clock },
		{ "isotime", iso },
		{ "prefix", target },
		{ "network", address },
		{ "len", "" },
		{ "netmask", "" },
		{ NULL, NULL }
	};

	if (platform_prompt(s, prompt, sizeof(prompt)) == -1)
		prompt[0] = '\0';
	xr_date(date, sizeof(date));
	clock_forms(clock, sizeof(clock), iso, sizeof(iso));
	/* IOS-XR's date line before each answer, unless switched off. */
	snprintf(stamp, sizeof(stamp), "%s\n", s->no_timestamp ? "" : date);
	if (s->no_timestamp)
		stamp[0] = '\0';
	lg_strlcpy(target, arg, sizeof(target));
	target[strcspn(target, " ")] = '\0';
	lg_strlcpy(address, target, sizeof(address));
	address[strcspn(address, "/")] = '\0';
	lg_strlcpy(aspath, arg, sizeof(aspath));
	strip_quotes(aspath);
	if ((ki = fixture_known(target)) != -1) {
		k = &known[ki];
		var_set(vars, "prefix", k->prefix);
		var_set(vars, "network", k->network);
		var_set(vars, "len", k->len == 24 ? "24" : "32");
		var_set(vars, "netmask", k->netmask != NULL ? k->netmask : "");
	}
	buf_init(&b, FIXTURE_MAX_SIZE * 2);
	if (expand(&b, tpl, vars) == -1 || b.data == NULL) {
		buf_free(&b);
		return NULL;
	}
	*lenp = b.len;
	return b.data;
}

/*
 * Writes generated route number i of a table (IPv6 when v6) into buf,
 * from the platform's row template, row ("bgp_table_row") with the
 * family's suffix.  Returns the length, or -1.
 */
int
fixture_table_line(const struct emu_platform *p, const char *row, int v6,
    uint64_t i, char *buf, size_t len)
{
	const char	*tpl;
	char		 prefix[64], nh[64], as1[16], as2[16], name[80];
	struct lg_buf	 b;
	struct var	 vars[] = {
		{ "prefix", prefix },
		{ "nexthop", nh },
		{ "as1", as1 },
		{ "as2", as2 },
		{ NULL, NULL }
	};
	int		 n;

	snprintf(name, sizeof(name), "%s_%s", row, v6 ? "v6" : "v4");
	if ((tpl = fixture_get(p, name)) == NULL)
		return -1;
	if (v6)
		snprintf(prefix, sizeof(prefix), "2a%02x:%x:%x::/48",
		    (unsigned)((i >> 32) & 0xff), (unsigned)((i >> 16) & 0xffff),
		    (unsigned)(i & 0xffff));
	else
		snprintf(prefix, sizeof(prefix), "%u.%u.%u.0/24",
		    (unsigned)(1 + (i >> 16) % 222), (unsigned)((i >> 8) & 0xff),
		    (unsigned)(i & 0xff));
	snprintf(nh, sizeof(nh), v6 ? "2001:7f8::%x:1" : "80.249.208.%u",
	    (unsigned)(1 + i % 200));
	snprintf(as1, sizeof(as1), "%u", (unsigned)(64500 + i % 17));
	snprintf(as2, sizeof(as2), "%u", (unsigned)(64600 + i % 409));
	buf_init(&b, len - 1);
	if (expand(&b, tpl, vars) == -1 || b.data == NULL) {
		buf_free(&b);
		return -1;
	}
	/* Each row ends in exactly one newline, whatever the file did. */
	while (b.len > 0 && b.data[b.len - 1] == '\n')
		b.len--;
	if (b.len + 2 > len) {
		buf_free(&b);
		return -1;
	}
	memcpy(buf, b.data, b.len);
	buf[b.len] = '\n';
	buf[b.len + 1] = '\0';
	n = (int)b.len + 1;
	buf_free(&b);
	return n;
}
