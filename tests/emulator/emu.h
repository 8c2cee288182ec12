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
 * lgemu, the vendor CLI emulator used by the tests: private types shared
 * by its modules.  One process, one event loop: libssh's ssh_event polls
 * the SSH sessions and, through one extra fd, an epoll set holding every
 * listening socket, every telnet connection, the control socket and a
 * signalfd.  A session (struct emu_sess) is one login on one emulated
 * router; its CLI (cli.c) consumes bytes and produces bytes, and the
 * transport (ssh.c, telnet.c) moves them.
 */

#ifndef EMU_H
#define EMU_H

#include <sys/queue.h>

#include <stdint.h>

#include <libssh/libssh.h>
#include <libssh/server.h>
#include <libssh/callbacks.h>
#include <libtelnet.h>

#include "lg.h"

#define EMU_MAX_LINE		1024	/* one typed command line */
#define EMU_OUT_HIGH		(64 * 1024)	/* stop producing above this */
#define EMU_TEL_OUT_CAP		(4 * 1024 * 1024)
#define EMU_LOGIN_TRIES		3
#define EMU_PAUSE_MS		150	/* ping reply / traceroute hop */
#define EMU_MAX_CMDS		64	/* rows in one platform table */

enum emu_plat_id {
	PLAT_IOS,
	PLAT_IOSXR,
	PLAT_NXOS,
	PLAT_JUNOS,
	PLAT_EOS,
	PLAT_MAX
};

/* What a matched command does. */
enum emu_action {
	ACT_NONE,
	ACT_FIXTURE,		/* print a fixture, no target */
	ACT_ROUTE,		/* fixture or "missing" fixture by target */
	ACT_TEXT,		/* fixture with the target substituted */
	ACT_PACED,		/* _v4/_v6 by the target's family ({pause}) */
	ACT_TABLE,		/* the full table (huge with the fault) */
	ACT_TERMLEN,
	ACT_TERMWIDTH,
	ACT_ENABLE,
	ACT_DISABLE,
	ACT_EXIT,
	ACT_CLOCK,
	ACT_NOTIMESTAMP,	/* IOS-XR: no date line before output */
	ACT_TIMESTAMP
};

struct emu_cmd {
	const char		*pattern;	/* words and <placeholders> */
	enum emu_action		 action;
	const char		*fixture;	/* base name under fixtures/<plat> */
	const char		*missing;	/* when the target is not known */
	const char		*reply;		/* literal reply (terminal cmds) */
};

/* The texts and rules that make a platform look like itself. */
struct emu_platform {
	enum emu_plat_id	 id;
	const char		*key;		/* "ios", fixtures/<key>/ */
	const char		*prompt_user;	/* printf: hostname / user */
	const char		*prompt_priv;	/* NULL: no enable level */
	int			 user_at_host;	/* prompt is user@host */
	const char		*login_user;	/* telnet prompts */
	const char		*login_pass;
	const char		*login_failed;
	const char		*enable_failed;
	const char		*pager;
	const char		*pager_erase;
	int			 pager_any_key_quits;
	const char		*err_invalid;	/* after the caret line */
	const char		*err_unknown;	/* first word unknown */
	const char		*err_incomplete;
	const char		*err_ambiguous;	/* %s: the word */
	int			 caret_incomplete;
	int			 eos_token_err;	/* "(at token N: 'w')" */
	int			 blank_before_prompt;
	const char		*full_table_fmt; /* one generated route */
	const char		*full_table_v6_fmt;
	const struct emu_cmd	*cmds;
};

/* A fault set, switchable per router at run time (ctl.c). */
struct emu_faults {
	int			 slow_bytes;	/* slow_output = "bytes/ms" */
	int			 slow_ms;
	int			 drop_after;	/* commands; 0 = off */
	int			 drop_mid_output;
	char			*hang_on;	/* command prefix; NULL = off */
	int			 huge_mb;
	char			*huge_on;	/* NULL: the full-table command */
	int			 prompt_in_banner;
	int			 ansi_noise;
	int			 stray_cr;
	int			 slow_login_ms;
	int			 response_delay_ms;
	int			 pause_ms;	/* ping/traceroute pace */
	int			 echo_off;	/* echo neither keys nor CR */
	int			 prompt_in_output; /* ms after a fake prompt */
};

/* Everything registered in the epoll set starts with this. */
struct emu_ev {
	void			(*cb)(struct emu_ev *, uint32_t);
	int			 fd;
};

struct emu_router {
	char			*name;
	char			*hostname;
	char			*listen;
	char			*username;
	char			*password;
	char			*enable_password;
	const struct emu_platform *plat;
	int			 privileged;	/* start at '#' */
	int			 ssh_port;
	int			 telnet_port;
	struct emu_ev		 ssh_l;
	struct emu_ev		 tel_l;
	struct emu_faults	 faults;
	int			 audit_fd;
	unsigned int		 nsess;
	unsigned int		 nconn;		/* accepted, ever */
};

enum emu_transport {
	T_SSH,
	T_TELNET
};

enum emu_state {
	ST_NEW,			/* connected, no shell yet (ssh) */
	ST_START,		/* slow login or banner pending */
	ST_USER,		/* telnet: username */
	ST_PASS,		/* telnet: password */
	ST_CLI,
	ST_ENABLE,		/* enable password */
	ST_JOB,			/* output in progress */
	ST_PAGER,		/* waiting for a pager key */
	ST_HUNG,		/* a command that never returns */
	ST_CLOSING
};

/* One command's output, produced a line at a time. */
struct emu_job {
	char			*text;		/* expanded, '\n' lines, 0x01 pauses */
	size_t			 len;
	size_t			 off;
	uint64_t		 gen_left;	/* generated bytes still due */
	uint64_t		 gen_i;		/* next generated route */
	int			 gen_v6;
	char			 gen_row[64];	/* row fixture, "bgp_table_row" */
	size_t			 drop_at;	/* bytes; 0 = never */
	size_t			 sent;
	unsigned int		 nlines;
	int			 exit_after;
	int			 no_pager;	/* banners */
	enum emu_state		 next;		/* state after the job */
};

struct emu_sess {
	struct emu_ev		 ev;		/* telnet fd in epoll */
	struct emu_router	*r;
	enum emu_transport	 t;
	unsigned int		 id;
	enum emu_state		 state;
	int			 priv;
	int			 echo;
	int			 screen_len;
	int			 screen_width;
	int			 tries;
	unsigned int		 ncmds;
	int			 last_cr;
	int			 dead;
	int			 exec;		/* ssh exec: one command */
	int			 abrupt;	/* close without goodbye */
	int			 blocked;	/* output waits for the transport */
	int			 no_timestamp;	/* IOS-XR exec prompt */
	uint64_t		 linger;	/* ssh: channel closed, until */
	int			 active;	/* on the active list */
	int			 in_event;	/* ssh session in the ssh_event */
	uint64_t		 wake;		/* ms; nothing before then */
	char			 user[64];
	char			 line[EMU_MAX_LINE];
	size_t			 linelen;
	char			 rawline[EMU_MAX_LINE];	/* as received */
	size_t			 rawlen;
	struct lg_buf		 in;		/* type-ahead */
	struct lg_buf		 out;		/* produced, not yet sent */
	struct emu_job		*job;
	int			 page_lines;
	/* ssh */
	ssh_session		 ssh;
	ssh_channel		 chan;
	struct ssh_server_callbacks_struct scb;
	struct ssh_channel_callbacks_struct ccb;
	/* telnet */
	telnet_t		*tel;
	struct lg_buf		 sockout;
	int			 want_out;
	TAILQ_ENTRY(emu_sess)	 entry;		/* all sessions */
	TAILQ_ENTRY(emu_sess)	 aentry;	/* active sessions */
};
TAILQ_HEAD(emu_sess_list, emu_sess);

struct emu_conf {
	char			*fixtures;
	char			*audit;
	char			*control;
	char			*hostkeys[4];
	int			 nhostkeys;
	struct emu_router	*routers;
	size_t			 nrouters;
};

/* emu.c: the loop and the session list. */
extern struct emu_sess_list emu_sessions;
uint64_t	 emu_now(void);
int		 emu_epoll_add(struct emu_ev *, uint32_t);
int		 emu_epoll_mod(struct emu_ev *, uint32_t);
void		 emu_epoll_del(struct emu_ev *);
struct emu_sess	*emu_sess_new(struct emu_router *, enum emu_transport);
void		 emu_sess_activate(struct emu_sess *);
void		 emu_sess_kill(struct emu_sess *);
void		 emu_sess_unblock(struct emu_sess *);
void		 emu_sess_close(struct emu_sess *, int);
void		 emu_kill_router(struct emu_router *);
size_t		 emu_rss_kb(void);
size_t		 emu_nsessions(void);
extern struct emu_conf *emu_conf;

/* conf.c */
int		 conf_load(struct emu_conf *, const char *, char *, size_t);
int		 conf_scale(struct emu_conf *, int, const char *, int, int,
		    const char *, char *, size_t);
void		 conf_free(struct emu_conf *);
int		 conf_fault_set(struct emu_faults *, const char *, const char *,
		    char *, size_t);
void		 conf_fault_show(const struct emu_faults *, struct lg_buf *);
void		 conf_faults_clear(struct emu_faults *);
struct emu_router *conf_router(struct emu_conf *, const char *);

/* platform.c */
const struct emu_platform *platform_find(const char *);
const struct emu_platform *platform_get(enum emu_plat_id);
int		 platform_check(char *, size_t);
int		 platform_prompt(const struct emu_sess *, char *, size_t);

/* fixture.c */
int		 fixture_load_all(const char *, char *, size_t);
void		 fixture_free_all(void);
const char	*fixture_get(const struct emu_platform *, const char *);
int		 fixture_known(const char *);
char		*fixture_expand(const struct emu_sess *, const char *,
		    const char *, size_t *);
int		 fixture_table_line(const struct emu_platform *, const char *,
		    int, uint64_t, char *, size_t);

/* cli.c */
void		 cli_start(struct emu_sess *);
void		 cli_input(struct emu_sess *, const char *, size_t);
void		 cli_run(struct emu_sess *, uint64_t);
int		 cli_busy(const struct emu_sess *);
void		 cli_exec(struct emu_sess *, const char *);
void		 cli_free(struct emu_sess *);

/* match.c */
enum match_res {
	MATCH_OK,
	MATCH_INVALID,
	MATCH_INCOMPLETE,
	MATCH_AMBIGUOUS
};
struct match {
	const struct emu_cmd	*cmd;
	char			 arg[EMU_MAX_LINE];	/* first placeholder */
	size_t			 errpos;	/* column of the bad word */
	int			 errtoken;	/* 1-based word number */
	char			 errword[64];
};
enum match_res	 match_line(const struct emu_cmd *, const char *,
		    struct match *);

/* ssh.c */
int		 emu_ssh_init(struct emu_conf *, ssh_event, char *, size_t);
void		 emu_ssh_shutdown(void);
void		 emu_ssh_accept(struct emu_ev *, uint32_t);
int		 emu_ssh_poll(int);
size_t		 emu_ssh_send(struct emu_sess *, const char *, size_t);
int		 emu_ssh_close(struct emu_sess *, int);
void		 emu_ssh_free(struct emu_sess *);
int		 emu_ssh_alive(struct emu_sess *);

/* telnet.c */
void		 emu_tel_accept(struct emu_ev *, uint32_t);
size_t		 emu_tel_send(struct emu_sess *, const char *, size_t);
void		 emu_tel_noecho(struct emu_sess *, int);
void		 emu_tel_close(struct emu_sess *, int);
void		 emu_tel_free(struct emu_sess *);

/* audit.c */
int		 audit_open(const char *, struct emu_router *);
void		 audit_line(struct emu_sess *, const char *, const char *,
		    size_t);
void		 audit_close(struct emu_router *);

/* ctl.c */
int		 ctl_init(const char *, char *, size_t);
void		 ctl_shutdown(void);
int		 ctl_client(const char *, int, char **);

#endif /* EMU_H */
