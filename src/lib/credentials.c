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
 * The credentials file: named logins for routers, read by lgbrokerd alone
 * (DESIGN.md section 11).
 *
 *   credentials = {
 *     core = { username = "lg"; password = "..."; };
 *     edge = { username = "lg"; key = "id_ed25519"; key_passphrase = "...";
 *              enable = "..."; };
 *   };
 *
 * The file must be a regular file that neither group nor others may read,
 * write or execute.  The check is made with fstat on the descriptor the
 * text is read from, so a symbolic link is followed and the file actually
 * read is the one judged.  Ownership is not checked: the broker may read
 * it as root before dropping privileges, or as its own user.
 *
 * Secrets never appear in a diagnostic (messages name the credential and
 * the key, never a value), and every copy this module makes is wiped with
 * explicit_bzero before it is freed, including the file text and the
 * strings of libconfig's tree.
 */

#include <sys/types.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libconfig.h>

#include "lg.h"
#include "config_int.h"

/* Where relative key paths are resolved, for the duration of a load. */
struct cred_load {
	struct config_ctx	 ctx;
	char			 dir[LG_PATH_MAX];
};

static CONFIG_PARSER(cred_parse_secret);
static CONFIG_PARSER(cred_parse_key);

#define K(k, fn, m)	CONFIG_KEY(struct lg_credential, k, fn, m)

static const struct config_key cred_keys[] = {
	{ K("username", cred_parse_secret, username), .required = 1 },
	{ K("password", cred_parse_secret, password) },
	{ K("key", cred_parse_key, key) },
	{ K("key_passphrase", cred_parse_secret, key_passphrase) },
	{ K("enable", cred_parse_secret, enable) },
	{ .name = NULL }
};

static int	 cred_check_mode(int, const char *, struct lg_diag *);
static void	 cred_dir(const char *, char *, size_t);
static int	 cred_apply(struct cred_load *, const config_setting_t *,
		    struct lg_credentials *);
static void	 cred_one(struct cred_load *, const config_setting_t *,
		    struct lg_credential *);
static void	 cred_wipe(char *);

/*
 * A string kept on the heap.  Line breaks are refused: they would end a
 * telnet login line early and send the rest as a command.
 */
static int
cred_parse_secret(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	const char	*v;
	char		**out = dst;

	(void)k;
	if (config_expect(ctx, s, CONFIG_TYPE_STRING) == -1)
		return -1;
	v = config_setting_get_string(s);
	if (strpbrk(v, "\r\n") != NULL) {
		config_err(ctx, s, "contains a line break");
		return -1;
	}
	if (strlen(v) >= LG_PATH_MAX) {
		config_err(ctx, s, "too long (at most %d bytes)",
		    LG_PATH_MAX - 1);
		return -1;
	}
	cred_wipe(*out);
	*out = xstrdup(v);
	return 0;
}

/* A private key path, relative to the credentials file's directory. */
static int
cred_parse_key(struct config_ctx *ctx, const struct config_key *k,
    const config_setting_t *s, void *dst)
{
	struct cred_load	*cl = (struct cred_load *)(void *)ctx;
	char			**out = dst, *rel;

	if (cred_parse_secret(ctx, k, s, dst) == -1)
		return -1;
	if ((*out)[0] == '\0') {
		config_err(ctx, s, "empty path");
		return -1;
	}
	if ((*out)[0] == '/')
		return 0;
	rel = *out;
	xasprintf(out, "%s/%s", cl->dir, rel);
	cred_wipe(rel);
	return 0;
}

static void
cred_wipe(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

/* Refuses anything but a regular file private to its owner. */
static int
cred_check_mode(int fd, const char *path, struct lg_diag *diag)
{
	struct stat	 st;
	unsigned int	 mode;

	if (fstat(fd, &st) == -1) {
		diag_error(diag, path, 0, "%s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_error(diag, path, 0, "not a regular file");
		return -1;
	}
	mode = (unsigned int)st.st_mode & 07777;
	if ((mode & 077) == 0)
		return 0;
	diag_error(diag, path, 0, "mode %04o is %s by group or others; "
	    "chmod 600 it", mode, (mode & 044) ? "readable" :
	    (mode & 022) ? "writable" : "usable");
	return -1;
}

/* The directory of path, absolute when it can be made so. */
static void
cred_dir(const char *path, char *dir, size_t len)
{
	char		 tmp[LG_PATH_MAX], *slash, *real;

	lg_strlcpy(tmp, path, sizeof(tmp));
	if ((slash = strrchr(tmp, '/')) == NULL)
		lg_strlcpy(tmp, ".", sizeof(tmp));
	else if (slash == tmp)
		tmp[1] = '\0';
	else
		*slash = '\0';
	if ((real = realpath(tmp, NULL)) != NULL) {
		lg_strlcpy(dir, real, len);
		free(real);
	} else
		lg_strlcpy(dir, tmp, len);
}

int
credentials_load(const char *path, struct lg_credentials *creds,
    struct lg_diag *diag)
{
	struct cred_load	 cl = { 0 };
	config_t		 cfg;
	char			*text;
	size_t			 len, before = diag->nerrors;
	size_t			 nmsgs = diag->nmsgs;
	int			 fd;

	memset(creds, 0, sizeof(*creds));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK))
	    == -1) {
		diag_error(diag, path, 0, "%s", strerror(errno));
		return -1;
	}
	if (cred_check_mode(fd, path, diag) == -1 ||
	    (text = config_read_fd(fd, path, diag, &len)) == NULL) {
		close(fd);
		return -1;
	}
	close(fd);
	cred_dir(path, cl.dir, sizeof(cl.dir));
	cl.ctx.file = path;
	cl.ctx.diag = diag;
	cl.ctx.sep = ": ";

	config_init(&cfg);
	if (config_parse_into(&cfg, text, path, diag) == 0)
		cred_apply(&cl, config_root_setting(&cfg), creds);
	config_wipe_strings(config_root_setting(&cfg));
	config_destroy(&cfg);
	explicit_bzero(text, len);
	free(text);

	if (diag->nerrors != before) {
		config_diag_sort(diag, nmsgs);
		credentials_free(creds);
		return -1;
	}
	return 0;
}

static int
cred_apply(struct cred_load *cl, const config_setting_t *root,
    struct lg_credentials *creds)
{
	const config_setting_t	*s, *c;
	int			 i, len, bad = 0;

	len = config_setting_length(root);
	for (i = 0; i < len; i++) {
		s = config_setting_get_elem(root, (unsigned int)i);
		if (strcmp(config_setting_name(s), "credentials") != 0) {
			diag_error(cl->ctx.diag, cl->ctx.file,
			    config_setting_source_line(s), "unknown key \"%s\" "
			    "(the file holds one group, credentials = { ... })",
			    config_setting_name(s));
			bad = 1;
		}
	}
	if ((s = config_setting_get_member(root, "credentials")) == NULL) {
		diag_error(cl->ctx.diag, cl->ctx.file, 0,
		    "no credentials = { ... } group");
		return -1;
	}
	lg_strlcpy(cl->ctx.where, "credentials", sizeof(cl->ctx.where));
	cl->ctx.sep = ".";
	if (config_expect(&cl->ctx, s, CONFIG_TYPE_GROUP) == -1)
		return -1;
	len = config_setting_length(s);
	creds->creds = xcalloc((size_t)len + 1, sizeof(*creds->creds));
	for (i = 0; i < len; i++) {
		c = config_setting_get_elem(s, (unsigned int)i);
		cred_one(cl, c, &creds->creds[creds->ncreds++]);
	}
	return bad ? -1 : 0;
}

/* One entry; problems go to the diag (the caller counts them). */
static void
cred_one(struct cred_load *cl, const config_setting_t *s,
    struct lg_credential *c)
{
	const char	*name = config_setting_name(s);

	if (strlen(name) >= sizeof(c->name) || !config_name_ok(name)) {
		diag_error(cl->ctx.diag, cl->ctx.file,
		    config_setting_source_line(s), "credentials: \"%.*s\" is "
		    "not a valid credential name (letters, digits, '.', '_' "
		    "and '-', at most %zu)", LG_NAME_MAX, name,
		    sizeof(c->name) - 1);
		return;
	}
	lg_strlcpy(c->name, name, sizeof(c->name));
	snprintf(cl->ctx.where, sizeof(cl->ctx.where), "credential \"%s\"",
	    name);
	cl->ctx.sep = ": ";
	if (config_setting_type(s) != CONFIG_TYPE_GROUP) {
		diag_error(cl->ctx.diag, cl->ctx.file,
		    config_setting_source_line(s), "%s: expected a group "
		    "{ username = ...; ... }, got %s", cl->ctx.where,
		    config_type_name(config_setting_type(s)));
		return;
	}
	config_group(&cl->ctx, s, cred_keys, c);
	if (c->password == NULL && c->key == NULL &&
	    config_setting_get_member(s, "password") == NULL &&
	    config_setting_get_member(s, "key") == NULL) {
		diag_error(cl->ctx.diag, cl->ctx.file,
		    config_setting_source_line(s), "%s: needs a password or "
		    "a key", cl->ctx.where);
	}
}

void
credentials_free(struct lg_credentials *creds)
{
	struct lg_credential	*c;
	size_t			 i;

	for (i = 0; i < creds->ncreds; i++) {
		c = &creds->creds[i];
		cred_wipe(c->username);
		cred_wipe(c->password);
		cred_wipe(c->key);
		cred_wipe(c->key_passphrase);
		cred_wipe(c->enable);
	}
	if (creds->creds != NULL)
		explicit_bzero(creds->creds, creds->ncreds *
		    sizeof(*creds->creds));
	free(creds->creds);
	creds->creds = NULL;
	creds->ncreds = 0;
}

const struct lg_credential *
credentials_find(const struct lg_credentials *creds, const char *name)
{
	size_t		 i;

	for (i = 0; i < creds->ncreds; i++)
		if (strcmp(creds->creds[i].name, name) == 0)
			return &creds->creds[i];
	return NULL;
}
