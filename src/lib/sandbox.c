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
 * Privilege separation: the user switch and the resource limits of the
 * daemons.  The user is looked up while /etc/passwd can still be read
 * (sandbox_user_lookup) and switched to later, once the listeners are
 * bound (sandbox_drop_privileges), so Landlock can be entered in between
 * without allowing the password database.  The switch is verified: a
 * process that could get root back is an error, not a warning.  The
 * Landlock ruleset lives in sandbox_landlock.c and the system call filter
 * in sandbox_seccomp.c.  Nothing here logs; the caller gets an errstr.
 */

#include <sys/types.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lg.h"
#include "lg_sandbox.h"

/*
 * Fills u for the named user: uid, primary gid and every supplementary
 * group.  An empty name leaves u->name empty: the process will stay as it
 * is.  Returns 0, or -1 with errstr.
 */
int
sandbox_user_lookup(const char *name, struct sandbox_user *u, char *errstr,
    size_t len)
{
	struct passwd	*pw;

	memset(u, 0, sizeof(*u));
	if (name == NULL || name[0] == '\0')
		return 0;
	if (lg_strlcpy(u->name, name, sizeof(u->name)) >= sizeof(u->name)) {
		snprintf(errstr, len, "user %s: name too long", name);
		return -1;
	}
	errno = 0;
	if ((pw = getpwnam(name)) == NULL) {
		snprintf(errstr, len, "user %s: %s", name,
		    errno ? strerror(errno) : "no such user");
		return -1;
	}
	u->uid = pw->pw_uid;
	u->gid = pw->pw_gid;
	u->ngroups = SANDBOX_GROUPS_MAX;
	if (getgrouplist(name, pw->pw_gid, u->groups, &u->ngroups) == -1) {
		snprintf(errstr, len, "user %s: more than %d groups", name,
		    SANDBOX_GROUPS_MAX);
		return -1;
	}
	if (u->uid == 0) {
		snprintf(errstr, len, "user %s: has uid 0", name);
		return -1;
	}
	return 0;
}

/* Returns 0 if nothing can bring back the privileges given up. */
static int
sandbox_verify_drop(const struct sandbox_user *u, char *errstr, size_t len)
{
	uid_t	 ruid, euid, suid;
	gid_t	 rgid, egid, sgid;

	if (getresuid(&ruid, &euid, &suid) == -1 ||
	    getresgid(&rgid, &egid, &sgid) == -1 ||
	    ruid != u->uid || euid != u->uid || suid != u->uid ||
	    rgid != u->gid || egid != u->gid || sgid != u->gid) {
		snprintf(errstr, len, "user %s: ids not switched", u->name);
		return -1;
	}
	if (setresuid(0, 0, 0) != -1 || seteuid(0) != -1 ||
	    setresgid(0, 0, 0) != -1 || setgroups(0, NULL) != -1) {
		snprintf(errstr, len, "user %s: root can be regained",
		    u->name);
		return -1;
	}
	return 0;
}

/*
 * Switches to u for good: supplementary groups, then gid, then uid, all
 * three ids of each.  With no user named, a process running as root stays
 * root and gets a warning in errstr (return 0).  Not being root with a
 * user named is an error unless the process already runs as that user.
 */
int
sandbox_drop_privileges(const struct sandbox_user *u, char *errstr,
    size_t len)
{
	errstr[0] = '\0';
	if (u->name[0] == '\0') {
		if (geteuid() == 0)
			snprintf(errstr, len, "no user configured: "
			    "running as root");
		return 0;
	}
	if (geteuid() != 0) {
		if (getuid() == u->uid && geteuid() == u->uid)
			return 0;
		snprintf(errstr, len, "user %s: not root, cannot switch",
		    u->name);
		return -1;
	}
	if (setgroups((size_t)u->ngroups, u->groups) == -1 ||
	    setresgid(u->gid, u->gid, u->gid) == -1 ||
	    setresuid(u->uid, u->uid, u->uid) == -1) {
		snprintf(errstr, len, "user %s: %s", u->name, strerror(errno));
		return -1;
	}
	return sandbox_verify_drop(u, errstr, len);
}

static int
sandbox_setrlimit(int resource, const char *name, uint64_t value,
    char *errstr, size_t len)
{
	struct rlimit	 rl;

	rlim_t		 max;

	if (getrlimit(resource, &rl) == -1)
		goto fail;
	max = rl.rlim_max;
	rl.rlim_cur = rl.rlim_max = (rlim_t)value;
	if (setrlimit(resource, &rl) == 0)
		return 0;
	/* Raising a hard limit takes CAP_SYS_RESOURCE: keep the old one. */
	if (errno != EPERM || max == RLIM_INFINITY || value <= max)
		goto fail;
	rl.rlim_cur = rl.rlim_max = max;
	if (setrlimit(resource, &rl) == 0)
		return 0;
 fail:
	snprintf(errstr, len, "%s: %s", name, strerror(errno));
	return -1;
}

/*
 * Sets the limits as both soft and hard values, so they cannot be raised
 * again, and forbids core dumps (the broker's memory holds credentials).
 * A log write past fsize fails with EFBIG rather than killing the
 * process with SIGXFSZ.  Returns 0, or -1 with errstr.
 */
int
sandbox_limits(const struct sandbox_limits *l, char *errstr, size_t len)
{
	if (sandbox_setrlimit(RLIMIT_NOFILE, "RLIMIT_NOFILE", l->nofile,
	    errstr, len) == -1 ||
	    sandbox_setrlimit(RLIMIT_NPROC, "RLIMIT_NPROC", l->nproc,
	    errstr, len) == -1 ||
	    sandbox_setrlimit(RLIMIT_FSIZE, "RLIMIT_FSIZE", l->fsize,
	    errstr, len) == -1 ||
	    sandbox_setrlimit(RLIMIT_CORE, "RLIMIT_CORE", 0,
	    errstr, len) == -1)
		return -1;
	if (signal(SIGXFSZ, SIG_IGN) == SIG_ERR ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1) {
		snprintf(errstr, len, "limits: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* The number of threads of this process, from /proc; -1 if unknown. */
int
sandbox_threads(void)
{
	FILE	*fp;
	char	 line[128];
	int	 n = -1;

	if ((fp = fopen("/proc/self/status", "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp) != NULL)
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	fclose(fp);
	return n;
}

/* The debug switch: LG_SANDBOX_DEBUG set, non-empty and not "0". */
int
sandbox_debug_env(void)
{
	const char	*v = getenv("LG_SANDBOX_DEBUG");

	return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}
