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
 * The embedded results backend: one SQLite file in WAL mode, so that
 * lgwebd's readers never wait for a writer and lgctl may delete while
 * lgwebd runs.  Table results holds (id, created, size, doc); table usage
 * holds the count and total size, kept by triggers so that a delete by
 * any process counts.  A put first forgets what is past the retention,
 * then the oldest documents until the new one fits under the cap; the
 * file gives freed pages back (auto_vacuum = INCREMENTAL).  All of it
 * inside one transaction, under one mutex per handle: one connection
 * serves every thread.
 *
 * The cap counts documents, not the file: SQLite's pages and the id
 * index add a few percent, and the WAL file up to journal_size_limit.
 * The WAL files persist beside the database (SQLITE_FCNTL_PERSIST_WAL),
 * truncated at close, so that closing never unlinks a file.
 */

#include <sys/types.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "lg.h"
#include "lg_results.h"


/*
 * auto_vacuum must come before the first table; journal_mode answers
 * with the mode in force, checked in sq_wal.
 */
static const char *const sq_setup[] = {
	"PRAGMA busy_timeout = 5000",
	"PRAGMA auto_vacuum = INCREMENTAL",
	"PRAGMA synchronous = NORMAL",
	"PRAGMA temp_store = MEMORY",
	"PRAGMA journal_size_limit = 8388608",
	"CREATE TABLE IF NOT EXISTS results (id TEXT PRIMARY KEY NOT NULL, "
	    "created INTEGER NOT NULL, size INTEGER NOT NULL, "
	    "doc TEXT NOT NULL)",
	"CREATE INDEX IF NOT EXISTS results_created ON results (created)",
	"CREATE TABLE IF NOT EXISTS usage (one INTEGER PRIMARY KEY "
	    "CHECK (one = 1), count INTEGER NOT NULL, bytes INTEGER NOT NULL)",
	"INSERT OR IGNORE INTO usage VALUES (1, 0, 0)",
	"CREATE TRIGGER IF NOT EXISTS results_ins AFTER INSERT ON results "
	    "BEGIN UPDATE usage SET count = count + 1, "
	    "bytes = bytes + new.size WHERE one = 1; END",
	"CREATE TRIGGER IF NOT EXISTS results_del AFTER DELETE ON results "
	    "BEGIN UPDATE usage SET count = count - 1, "
	    "bytes = bytes - old.size WHERE one = 1; END",
	NULL
};

enum sq_stmt {
	SQ_BEGIN = 0,
	SQ_COMMIT,
	SQ_ROLLBACK,
	SQ_INSERT,
	SQ_GET,
	SQ_DELETE,
	SQ_EXPIRE,
	SQ_OLDEST,
	SQ_USAGE,
	SQ_COUNT
};

static const char *const sq_sql[SQ_COUNT] = {
	[SQ_BEGIN] = "BEGIN IMMEDIATE",
	[SQ_COMMIT] = "COMMIT",
	[SQ_ROLLBACK] = "ROLLBACK",
	[SQ_INSERT] = "INSERT INTO results (id, created, size, doc) "
	    "VALUES (?1, ?2, ?3, ?4)",
	[SQ_GET] = "SELECT doc, created FROM results "
	    "WHERE id = ?1 AND created > ?2",
	[SQ_DELETE] = "DELETE FROM results WHERE id = ?1",
	[SQ_EXPIRE] = "DELETE FROM results WHERE created <= ?1",
	[SQ_OLDEST] = "DELETE FROM results WHERE rowid = (SELECT rowid "
	    "FROM results ORDER BY created, rowid LIMIT 1)",
	[SQ_USAGE] = "SELECT count, bytes FROM usage WHERE one = 1",
};

struct sq {
	pthread_mutex_t		 lock;
	sqlite3			*db;
	sqlite3_stmt		*st[SQ_COUNT];
	unsigned int		 retention;
	size_t			 max_bytes;
};

static void
sq_close(void *h)
{
	struct sq	*q = h;
	size_t		 i;

	if (q == NULL)
		return;
	for (i = 0; i < SQ_COUNT; i++)
		sqlite3_finalize(q->st[i]);
	sqlite3_close(q->db);
	pthread_mutex_destroy(&q->lock);
	free(q);
}

static int
sq_fail(struct sq *q, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: %s", what, sqlite3_errmsg(q->db));
	return -1;
}

/* journal_mode = WAL, checked: a file on a system without shared memory
 * stays in its old mode and says so. */
static int
sq_wal(struct sq *q, char *err, size_t errlen)
{
	sqlite3_stmt	*st;
	const char	*mode;
	int		 rv = -1;

	if (sqlite3_prepare_v2(q->db, "PRAGMA journal_mode = WAL", -1, &st,
	    NULL) != SQLITE_OK)
		return sq_fail(q, "journal_mode", err, errlen);
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (mode = (const char *)sqlite3_column_text(st, 0)) != NULL) {
		if (strcmp(mode, "wal") == 0)
			rv = 0;
		else
			snprintf(err, errlen, "journal_mode: WAL refused, "
			    "the file stays in mode %s", mode);
	} else
		sq_fail(q, "journal_mode", err, errlen);
	sqlite3_finalize(st);
	return rv;
}

static int
sq_prepare(struct sq *q, char *err, size_t errlen)
{
	size_t	 i;

	for (i = 0; sq_setup[i] != NULL; i++)
		if (sqlite3_exec(q->db, sq_setup[i], NULL, NULL, NULL) !=
		    SQLITE_OK)
			return sq_fail(q, sq_setup[i], err, errlen);
	if (sq_wal(q, err, errlen) == -1)
		return -1;
	for (i = 0; i < SQ_COUNT; i++)
		if (sqlite3_prepare_v3(q->db, sq_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &q->st[i], NULL) != SQLITE_OK)
			return sq_fail(q, sq_sql[i], err, errlen);
	return 0;
}

static void *
sq_open(const struct results_conf *rc, char *err, size_t errlen)
{
	struct sq	*q;
	int		 rv;

	err[0] = '\0';
	if ((q = calloc(1, sizeof(*q))) == NULL) {
		lg_strlcpy(err, "out of memory", errlen);
		return NULL;
	}
	pthread_mutex_init(&q->lock, NULL);
	q->retention = rc->retention;
	q->max_bytes = rc->max_bytes;
	rv = sqlite3_open_v2(rc->path, &q->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rv != SQLITE_OK) {
		snprintf(err, errlen, "%s", q->db != NULL ?
		    sqlite3_errmsg(q->db) : sqlite3_errstr(rv));
		sq_close(q);
		return NULL;
	}
	/*
	 * The WAL and shared-memory files stay when the last connection
	 * closes: lgwebd's sandbox does not let it unlink them.
	 */
	sqlite3_file_control(q->db, "main", SQLITE_FCNTL_PERSIST_WAL,
	    &(int){ 1 });
	if (sq_prepare(q, err, errlen) == -1) {
		sq_close(q);
		return NULL;
	}
	return q;
}

/* Runs a statement without result rows; SQLITE_DONE or the error. */
static int
sq_run(struct sq *q, enum sq_stmt s)
{
	int	 rv = sqlite3_step(q->st[s]);

	sqlite3_reset(q->st[s]);
	sqlite3_clear_bindings(q->st[s]);
	return rv;
}

static int
sq_usage_locked(struct sq *q, size_t *count, size_t *bytes)
{
	sqlite3_stmt	*st = q->st[SQ_USAGE];
	int		 rv = -1;

	if (sqlite3_step(st) == SQLITE_ROW) {
		*count = (size_t)sqlite3_column_int64(st, 0);
		*bytes = (size_t)sqlite3_column_int64(st, 1);
		rv = 0;
	}
	sqlite3_reset(st);
	return rv;
}

/* Forgets what is past the retention: how many, or -1. */
static int
sq_expire_locked(struct sq *q, int64_t now)
{
	sqlite3_bind_int64(q->st[SQ_EXPIRE], 1, now - (int64_t)q->retention);
	if (sq_run(q, SQ_EXPIRE) != SQLITE_DONE)
		return -1;
	return sqlite3_changes(q->db);
}

/* The oldest documents go until len more bytes fit: how many, or -1. */
static int
sq_make_room(struct sq *q, size_t len)
{
	size_t	 count, bytes;
	int	 n = 0;

	for (;;) {
		if (sq_usage_locked(q, &count, &bytes) == -1)
			return -1;
		if (count == 0 || bytes + len <= q->max_bytes)
			return n;
		if (sq_run(q, SQ_OLDEST) != SQLITE_DONE)
			return -1;
		n++;
	}
}

static int
sq_insert(struct sq *q, const char *id, int64_t now, const char *doc,
    size_t len)
{
	sqlite3_stmt	*st = q->st[SQ_INSERT];

	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)len);
	sqlite3_bind_text64(st, 4, doc, len, SQLITE_STATIC, SQLITE_UTF8);
	return sq_run(q, SQ_INSERT) == SQLITE_DONE ? 0 : -1;
}

static int
sq_put(void *h, const char *id, int64_t now, const char *doc, size_t len,
    char *err, size_t errlen)
{
	struct sq	*q = h;
	int		 gone, room = 0, rv = -1;

	if (len > q->max_bytes) {
		snprintf(err, errlen, "the answer is too large to store "
		    "(%zu bytes; web.results.max_mb allows %zu)", len,
		    q->max_bytes);
		return -1;
	}
	pthread_mutex_lock(&q->lock);
	if (sq_run(q, SQ_BEGIN) != SQLITE_DONE) {
		sq_fail(q, "begin", err, errlen);
		goto out;
	}
	if ((gone = sq_expire_locked(q, now)) == -1 ||
	    (room = sq_make_room(q, len)) == -1 ||
	    sq_insert(q, id, now, doc, len) == -1 ||
	    sq_run(q, SQ_COMMIT) != SQLITE_DONE) {
		sq_fail(q, "store", err, errlen);
		sq_run(q, SQ_ROLLBACK);
		goto out;
	}
	rv = 0;
	if (gone + room > 0)
		sqlite3_exec(q->db, "PRAGMA incremental_vacuum", NULL, NULL,
		    NULL);
out:
	pthread_mutex_unlock(&q->lock);
	return rv;
}

static int
sq_get(void *h, const char *id, int64_t now, char **doc, size_t *len,
    int64_t *created)
{
	struct sq	*q = h;
	sqlite3_stmt	*st = q->st[SQ_GET];
	const void	*p;
	int		 rv, step;

	pthread_mutex_lock(&q->lock);
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now - (int64_t)q->retention);
	if ((step = sqlite3_step(st)) == SQLITE_ROW) {
		p = sqlite3_column_blob(st, 0);
		*len = (size_t)sqlite3_column_bytes(st, 0);
		*created = sqlite3_column_int64(st, 1);
		rv = -1;
		if ((*doc = malloc(*len + 1)) != NULL) {
			if (*len > 0)
				memcpy(*doc, p, *len);
			(*doc)[*len] = '\0';
			rv = 1;
		}
	} else
		rv = step == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	pthread_mutex_unlock(&q->lock);
	return rv;
}

static int
sq_del(void *h, const char *id)
{
	struct sq	*q = h;
	int		 rv = -1;

	pthread_mutex_lock(&q->lock);
	sqlite3_bind_text(q->st[SQ_DELETE], 1, id, -1, SQLITE_STATIC);
	if (sq_run(q, SQ_DELETE) == SQLITE_DONE) {
		rv = sqlite3_changes(q->db) > 0;
		sqlite3_exec(q->db, "PRAGMA incremental_vacuum", NULL, NULL,
		    NULL);
	}
	pthread_mutex_unlock(&q->lock);
	return rv;
}

static int
sq_expire(void *h, int64_t now)
{
	struct sq	*q = h;
	int		 rv;

	pthread_mutex_lock(&q->lock);
	if ((rv = sq_expire_locked(q, now)) > 0)
		sqlite3_exec(q->db, "PRAGMA incremental_vacuum", NULL, NULL,
		    NULL);
	pthread_mutex_unlock(&q->lock);
	return rv;
}

static int
sq_usage(void *h, size_t *count, size_t *bytes)
{
	struct sq	*q = h;
	int		 rv;

	pthread_mutex_lock(&q->lock);
	rv = sq_usage_locked(q, count, bytes);
	pthread_mutex_unlock(&q->lock);
	return rv;
}

const struct results_backend results_sqlite = {
	.name = "sqlite",
	.open = sq_open,
	.put = sq_put,
	.get = sq_get,
	.del = sq_del,
	.expire = sq_expire,
	.usage = sq_usage,
	.close = sq_close,
};
