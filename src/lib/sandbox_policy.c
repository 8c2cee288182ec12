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
 * What each daemon keeps once it is set up: the paths, limits, user and
 * filter of lgwebd and lgbrokerd, built from their configuration and
 * applied with the sandbox_* primitives.  This is the layer that knows
 * the context, so it logs (warnings for what cannot be restricted here,
 * one line saying what was entered) and returns -1 when the daemon must
 * not go on.
 *
 * lgwebd: sandbox_web_files before libmicrohttpd starts its threads
 * (Landlock binds the calling thread and later ones), sandbox_web_enter
 * once the listeners are bound.  The front may read web.www, the TLS
 * files and its configuration file (for SIGHUP; the file, not its
 * directory, which holds the credentials: a file replaced by rename
 * cannot be re-read, edit it in place or restart), and write beside its
 * access log.  It reaches the broker through a Unix socket, which
 * Landlock leaves to the socket's mode and group, and so is a web.store
 * at unix:PATH; a web.store over TCP adds TCP stream sockets (seccomp)
 * and connect to its one port (Landlock, ABI 4).
 *
 * lgbrokerd: sandbox_broker_enter once the control sockets are bound and
 * before the resolver thread starts.  The broker may read the
 * directories of its configuration, credentials, drivers, known_hosts,
 * keys and asn_names, the communities directory (directories, so that a
 * reload finds a file an editor replaced),
 * the resolver's files, and write beside its audit log and sockets.
 */

#include <sys/types.h>
#include <sys/socket.h>

#include <netinet/in.h>
#include <arpa/inet.h>

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg.h"
#include "lg_sandbox.h"

/* A log file may grow this large; beyond it writes fail with EFBIG. */
#define SANDBOX_FSIZE		(4ULL << 30)
/* Threads beyond those running (the broker client, LeakSanitizer). */
#define SANDBOX_NPROC_SLACK	32

/* Files the C library may read at any time: time zone, entropy. */
static const char *const pol_common_ro[] = {
	"/etc/localtime", "/usr/share/zoneinfo", "/proc/self",
	"/dev/urandom", "/dev/random", NULL
};

/*
 * getaddrinfo's files and any NSS module nsswitch.conf names; the user
 * database, where libssh looks up the home directory it insists on.
 */
static const char *const pol_resolver_ro[] = {
	"/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf",
	"/etc/gai.conf", "/etc/host.conf", "/etc/services", "/etc/passwd",
	"/etc/group", "/lib", "/usr/lib", NULL
};

struct pol_paths {
	char		**v;
	size_t		  n, max;
};

static struct sandbox_user	 web_user;

static void
pol_add(struct pol_paths *p, const char *path)
{
	if (path == NULL || path[0] == '\0')
		return;
	if (p->n + 1 >= p->max) {
		p->max = p->max ? p->max * 2 : 32;
		p->v = xreallocarray(p->v, p->max, sizeof(*p->v));
	}
	p->v[p->n++] = xstrdup(path);
	p->v[p->n] = NULL;
}

static void
pol_add_list(struct pol_paths *p, const char *const *list)
{
	for (; *list != NULL; list++)
		pol_add(p, *list);
}

/* The directory holding path. */
static void
pol_add_dir(struct pol_paths *p, const char *path)
{
	char	*copy;

	if (path == NULL || path[0] == '\0')
		return;
	copy = xstrdup(path);
	pol_add(p, dirname(copy));
	free(copy);
}

static void
pol_free(struct pol_paths *p)
{
	size_t	 i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = p->max = 0;
}

static int
pol_landlock(struct pol_paths *ro, struct pol_paths *rw, unsigned int flags,
    const uint16_t *ports)
{
	char	 err[LG_ERRSTR_MAX];
	int	 rv;

	/*
	 * libsystemd opens a new socket for each message: a notify socket
	 * in the abstract namespace must stay reachable (a path socket
	 * is not a Landlock matter).
	 */
	if (notify_abstract()) {
		flags |= SANDBOX_LL_ABSTRACT_UNIX;
		log_info("sandbox: abstract Unix sockets left reachable for "
		    "NOTIFY_SOCKET");
	}
	rv = sandbox_landlock_net((const char *const *)ro->v,
	    (const char *const *)rw->v, flags, ports, err, sizeof(err));
	if (rv == -1 || err[0] != '\0')
		log_warnx("sandbox: %s", err);
	pol_free(ro);
	pol_free(rw);
	return rv;
}

/*
 * User, limits and filter, in that order: the switch needs setgroups and
 * setresuid, which the filter forbids.
 */
static int
pol_enter(const struct sandbox_user *u, const struct sandbox_limits *l,
    enum sandbox_role role)
{
	char	 err[LG_ERRSTR_MAX];
	int	 debug = sandbox_debug_env();

	if (sandbox_drop_privileges(u, err, sizeof(err)) == -1) {
		log_warnx("sandbox: %s", err);
		return -1;
	}
	if (err[0] != '\0')
		log_warnx("sandbox: %s", err);
	if (sandbox_limits(l, err, sizeof(err)) == -1 ||
	    sandbox_seccomp(role, debug, err, sizeof(err)) == -1) {
		log_warnx("sandbox: %s", err);
		return -1;
	}
	log_info("sandbox: user %s, seccomp %s%s, %llu descriptors",
	    u->name[0] ? u->name : "unchanged", role == SANDBOX_WEB ? "web" :
	    role == SANDBOX_WEB_TCP ? "web with TCP (web.store, brokers)" : "broker", debug ? " (debug: forbidden calls are named)" : "",
	    (unsigned long long)l->nofile);
	return 0;
}

static uint64_t
pol_nproc(void)
{
	int	 n = sandbox_threads();

	return (uint64_t)(n > 0 ? n : 1) + SANDBOX_NPROC_SLACK;
}

/* Brokers over TCP in web.brokers: 1 when there is one. */
static int
pol_web_tcp(const struct lg_config *conf)
{
	size_t	 i;

	if (conf->web.store.kind == LG_STORE_TCP)
		return 1;
	for (i = 0; i < conf->web.nbrokers; i++)
		if (conf->web.brokers[i].tls.addr[0] != '\0')
			return 1;
	return 0;
}

/*
 * web.brokers: the Unix sockets are the sockets' own business; the TLS
 * brokers' ports stay reachable (a list ending in 0) and their
 * certificates readable.
 */
static void
pol_web_brokers(const struct lg_config *conf, struct pol_paths *ro,
    uint16_t *ports)
{
	struct sockaddr_storage		 ss;
	const struct lg_broker_link	*b;
	socklen_t			 sl;
	size_t				 i, n = 0;

	for (i = 0; i < conf->web.nbrokers; i++) {
		b = &conf->web.brokers[i];
		if (b->tls.addr[0] == '\0')
			continue;
		/* Directories: a rotation may rename new files in. */
		pol_add_dir(ro, b->tls.ca);
		pol_add_dir(ro, b->tls.cert);
		pol_add_dir(ro, b->tls.key);
		if (sock_parse_addr(b->tls.addr, &ss, &sl) == 0)
			ports[n++] = ntohs(ss.ss_family == AF_INET ?
			    ((struct sockaddr_in *)&ss)->sin_port :
			    ((struct sockaddr_in6 *)&ss)->sin6_port);
	}
	if (conf->web.store.kind == LG_STORE_TCP)
		ports[n++] = (uint16_t)conf->web.store.port;
	ports[n] = 0;
}

/* lgwebd, before any thread: look the user up, confine the files. */
int
sandbox_web_files(const struct lg_config *conf)
{
	struct pol_paths	 ro = { 0 }, rw = { 0 };
	uint16_t		 ports[LG_BROKERS_MAX + 2];	/* and web.store */
	char			 err[LG_ERRSTR_MAX];

	if (sandbox_user_lookup(conf->web.user, &web_user, err,
	    sizeof(err)) == -1) {
		log_warnx("web.user: %s", err);
		return -1;
	}
	pol_add_list(&ro, pol_common_ro);
	pol_add(&ro, conf->web.www);
	pol_add(&ro, conf->web.tls_certificate);
	pol_add(&ro, conf->web.tls_key);
	pol_add(&ro, conf->path);
	pol_add(&ro, conf->web.challenge.key_file);
	pol_add_dir(&rw, conf->web.access_log);
	if (conf->web.results.enabled)
		pol_add_dir(&rw, conf->web.results.path);
	/* web.auth.tokens: lgctl renames a new file over it. */
	pol_add_dir(&ro, conf->web.auth.tokens);
	pol_add(&rw, "/dev/null");
	pol_web_brokers(conf, &ro, ports);
	return pol_landlock(&ro, &rw, SANDBOX_LL_NO_TCP_CONNECT, ports);
}

/* lgwebd, listeners bound: the user switch, limits and filter. */
int
sandbox_web_enter(const struct lg_config *conf)
{
	struct sandbox_limits	 l;

	l.nofile = (uint64_t)conf->web.max_connections + 256;
	l.nproc = pol_nproc();
	l.fsize = SANDBOX_FSIZE;
	return pol_enter(&web_user, &l, pol_web_tcp(conf) ? SANDBOX_WEB_TCP :
	    SANDBOX_WEB);
}

static uint64_t
pol_broker_nofile(const struct lg_config *conf)
{
	uint64_t	 n = 0;
	size_t		 i;

	for (i = 0; i < conf->nrouters; i++)
		n += (uint64_t)(conf->routers[i].sessions > 0 ?
		    conf->routers[i].sessions : 2);
	/* Room for a reload that doubles the fleet, and for clients. */
	n = 2 * n + 1024;
	return n < 8192 ? 8192 : n;
}

/* lgbrokerd, sockets bound, no thread yet: everything at once. */
int
sandbox_broker_enter(const struct lg_config *conf,
    const struct lg_credentials *creds)
{
	struct pol_paths	 ro = { 0 }, rw = { 0 };
	struct sandbox_user	 u;
	struct sandbox_limits	 l;
	char			 err[LG_ERRSTR_MAX];
	size_t			 i;

	if (sandbox_user_lookup(conf->broker.user, &u, err,
	    sizeof(err)) == -1) {
		log_warnx("broker.user: %s", err);
		return -1;
	}
	pol_add_list(&ro, pol_common_ro);
	pol_add_list(&ro, pol_resolver_ro);
	pol_add(&ro, conf->dir);
	pol_add(&ro, conf->broker.drivers);
	pol_add_dir(&ro, conf->broker.credentials);
	pol_add_dir(&ro, conf->broker.known_hosts);
	pol_add_dir(&ro, conf->asn_names);
	pol_add(&ro, conf->communities);
	for (i = 0; creds != NULL && i < creds->ncreds; i++)
		pol_add_dir(&ro, creds->creds[i].key);
	pol_add_dir(&rw, conf->broker.audit_log);
	pol_add_dir(&rw, conf->broker.socket);
	pol_add_dir(&rw, conf->broker.admin_socket);
	/* Directories: a rotation may rename new files into place. */
	pol_add_dir(&ro, conf->broker.listen_tls.ca);
	pol_add_dir(&ro, conf->broker.listen_tls.cert);
	pol_add_dir(&ro, conf->broker.listen_tls.key);
	pol_add(&rw, "/dev/null");
	if (pol_landlock(&ro, &rw, SANDBOX_LL_NO_TCP_BIND, NULL) == -1)
		return -1;
	l.nofile = pol_broker_nofile(conf);
	l.nproc = pol_nproc();
	l.fsize = SANDBOX_FSIZE;
	return pol_enter(&u, &l, SANDBOX_BROKER);
}
