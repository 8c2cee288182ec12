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
 * Stored results (DESIGN.md section 16): answers kept under an
 * unguessable id so that a link shows what the router said then.  lgwebd
 * stores and serves them, lgctl deletes them.  A store is one backend
 * (struct results_backend) behind results_*: the backend keeps documents
 * by id, forgets those older than the retention and keeps their total
 * size under the cap; results.c makes the ids and checks them.  SQLite
 * (results_sqlite.c) is the embedded backend; another (a shared store for
 * several fronts) is one more row of results_backends[].
 *
 * Times are Unix time in seconds, passed in so that tests drive them.
 * Every function is safe to call from several threads at once.
 */

#ifndef LG_RESULTS_H
#define LG_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#define RESULTS_ID_BYTES	18	/* 144 random bits */
#define RESULTS_ID_LEN		24	/* base64url, no padding */
#define RESULTS_PREFIX		"/r/"	/* the page's link */
#define RESULTS_API		"/api/v1/results/"

struct results_conf {
	const char		*path;		/* backend's location */
	unsigned int		 retention;	/* s */
	size_t			 max_bytes;	/* sum of stored documents */
};

/*
 * A backend.  open returns a handle or NULL with err filled; put stores
 * a document (0, or -1 with err: too large, full, I/O); get returns 1 and
 * a malloc'd copy (NUL-terminated) with its creation time, 0 when there
 * is no live document under id, -1 on error; del returns 1 when one was
 * removed, 0 when there was none, -1 on error; expire removes what is
 * past the retention and returns how many, or -1; usage gives the
 * documents' count and total size.
 */
struct results_backend {
	const char	*name;
	void		*(*open)(const struct results_conf *, char *, size_t);
	int		 (*put)(void *, const char *, int64_t, const char *,
			    size_t, char *, size_t);
	int		 (*get)(void *, const char *, int64_t, char **,
			    size_t *, int64_t *);
	int		 (*del)(void *, const char *);
	int		 (*expire)(void *, int64_t);
	int		 (*usage)(void *, size_t *, size_t *);
	void		 (*close)(void *);
};

/* results_sqlite.c */
extern const struct results_backend results_sqlite;

/* results.c */
struct results;
struct results *results_open(const struct results_conf *, char *, size_t);
/* The same with another backend than SQLite (lgwebd's web.store). */
struct results *results_open_backend(const struct results_backend *,
	    const struct results_conf *, char *, size_t);
void	 results_close(struct results *);
/* A fresh id from getrandom(2): 0, or -1 (no entropy). */
int	 results_new_id(char [RESULTS_ID_LEN + 1]);
/* 0 when s is exactly an id's shape (RESULTS_ID_LEN of [A-Za-z0-9_-]). */
int	 results_id_ok(const char *, size_t);
int	 results_put(struct results *, const char *, int64_t, const char *,
	    size_t, char *, size_t);
int	 results_get(struct results *, const char *, int64_t, char **,
	    size_t *, int64_t *);
int	 results_delete(struct results *, const char *);
int	 results_expire(struct results *, int64_t);
int	 results_usage(struct results *, size_t *, size_t *);
size_t	 results_max_bytes(const struct results *);

#endif /* LG_RESULTS_H */
