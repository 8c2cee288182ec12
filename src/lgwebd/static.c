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
 * The files of web.www: the page, its script and style, icons, fonts and
 * the OpenAPI document.  A URL path is accepted only if every segment is
 * a plain name (no "..", no "." or dot files, no empty segment, no
 * backslash, control byte or bad %-escape: libmicrohttpd has already
 * decoded the path with params_unescape).  The file is then opened one
 * segment at a time below a descriptor of the www directory, each with
 * O_NOFOLLOW, so no symbolic link can lead outside it, and only regular
 * files are served.  "/" is index.html; directories are never listed.
 * ETag is size and modification time; If-None-Match gives 304.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "lg.h"
#include "web.h"

#define STATIC_PATH_MAX		256

static const struct {
	const char	*ext;
	const char	*type;
} types[] = {
	{ ".html",	"text/html; charset=utf-8" },
	{ ".js",	"text/javascript; charset=utf-8" },
	{ ".mjs",	"text/javascript; charset=utf-8" },
	{ ".css",	"text/css; charset=utf-8" },
	{ ".svg",	"image/svg+xml" },
	{ ".png",	"image/png" },
	{ ".ico",	"image/x-icon" },
	{ ".json",	"application/json" },
	{ ".woff2",	"font/woff2" },
	{ ".txt",	"text/plain; charset=utf-8" },
	{ ".webmanifest", "application/manifest+json" },
	{ NULL,		NULL }
};

static int	 www_fd = -1;

int
static_open(const char *dir)
{
	if (dir == NULL || *dir == '\0')
		return 0;
	www_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return www_fd == -1 ? -1 : 0;
}

void
static_close(void)
{
	if (www_fd != -1)
		close(www_fd);
	www_fd = -1;
}

const char *
static_content_type(const char *path)
{
	size_t	 i, n = strlen(path), e;

	for (i = 0; types[i].ext != NULL; i++) {
		e = strlen(types[i].ext);
		if (n > e && strcasecmp(path + n - e, types[i].ext) == 0)
			return types[i].type;
	}
	return "application/octet-stream";
}

/*
 * 0 when path (as decoded, without the leading '/') is a safe relative
 * file name, -1 otherwise.
 */
int
static_path_ok(const char *path)
{
	const char	*seg, *p;
	size_t		 n = strlen(path);

	if (n == 0 || n > STATIC_PATH_MAX)
		return -1;
	for (p = path; *p != '\0'; p++)
		if ((unsigned char)*p < 0x21 || *p == 0x7f || *p == '\\')
			return -1;
	for (seg = path; ; seg = p + 1) {
		if ((p = strchr(seg, '/')) == NULL)
			p = seg + strlen(seg);
		if (p == seg || *seg == '.')
			return -1;
		if (*p == '\0')
			return 0;
	}
}

/* Opens path below www_fd without following any link; -1 if none. */
static int
static_openat(const char *path)
{
	char		 buf[STATIC_PATH_MAX + 1], *seg, *slash;
	int		 dfd = www_fd, fd;

	lg_strlcpy(buf, path, sizeof(buf));
	for (seg = buf; (slash = strchr(seg, '/')) != NULL; seg = slash + 1) {
		*slash = '\0';
		fd = openat(dfd, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		if (dfd != www_fd)
			close(dfd);
		if (fd == -1)
			return -1;
		dfd = fd;
	}
	fd = openat(dfd, seg, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (dfd != www_fd)
		close(dfd);
	return fd;
}

static int
etag_match(const char *inm, const char *etag)
{
	const char	*p;
	size_t		 n = strlen(etag);

	if (inm == NULL)
		return 0;
	if (strcmp(inm, "*") == 0)
		return 1;
	for (p = inm; (p = strstr(p, etag)) != NULL; p += n)
		if ((p == inm || p[-1] == ' ' || p[-1] == ',' ||
		    p[-1] == '/') && (p[n] == '\0' || p[n] == ',' ||
		    p[n] == ' '))
			return 1;
	return 0;
}

static int
static_not_found(struct MHD_Connection *c)
{
	return http_queue_error(c, LG_ERR_UNKNOWN_TYPE, "no such resource",
	    EP_STATIC);
}

static void
static_headers(struct MHD_Response *resp, const char *path,
    const char *etag, const struct stat *st)
{
	char		 date[64];
	struct tm	 tm;

	MHD_add_response_header(resp, "ETag", etag);
	gmtime_r(&st->st_mtime, &tm);
	if (strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm))
		MHD_add_response_header(resp, "Last-Modified", date);
	/* Names carry no version: revalidate, which the ETag makes cheap. */
	MHD_add_response_header(resp, "Cache-Control", "no-cache");
	if (path != NULL)
		MHD_add_response_header(resp, "Content-Type",
		    static_content_type(path));
}

int
static_serve(struct MHD_Connection *c, const char *url)
{
	struct MHD_Response	*resp;
	struct stat		 st;
	const char		*path = url[0] == '/' ? url + 1 : url;
	char			 etag[64];
	int			 fd;

	if (*path == '\0')
		path = "index.html";
	if (www_fd == -1 || static_path_ok(path) == -1 ||
	    (fd = static_openat(path)) == -1)
		return static_not_found(c);
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		return static_not_found(c);
	}
	snprintf(etag, sizeof(etag), "\"%llx-%llx\"",
	    (unsigned long long)st.st_size,
	    (unsigned long long)st.st_mtim.tv_sec * 1000000000ULL +
	    (unsigned long long)st.st_mtim.tv_nsec);
	if (etag_match(MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	    "If-None-Match"), etag)) {
		close(fd);
		if ((resp = MHD_create_response_from_buffer(0, NULL,
		    MHD_RESPMEM_PERSISTENT)) == NULL)
			return MHD_NO;
		static_headers(resp, NULL, etag, &st);
		return http_queue(c, 304, resp, EP_STATIC);
	}
	if ((resp = MHD_create_response_from_fd((uint64_t)st.st_size,
	    fd)) == NULL) {
		close(fd);
		return MHD_NO;
	}
	static_headers(resp, path, etag, &st);
	return http_queue(c, 200, resp, EP_STATIC);
}
