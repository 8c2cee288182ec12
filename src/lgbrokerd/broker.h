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
 * lgbrokerd's private declarations.  The broker is one process with one
 * epoll loop (ev.c).  Its layers, from the wire to the router:
 *
 *   control.c   the public and admin Unix sockets: frames in, frames out
 *   control_req.c  each QUERY becomes a request, which waits on a job
 *   control_msg.c  HELLO and the other messages each socket allows
 *   admin.c     STATUS, RELOAD and HOSTKEY on the admin socket
 *   resolve.c   hostnames of ping/traceroute, on a resolver thread
 *   pool.c      per-router pools: slots of sessions, circuit breaker and
 *               backoff, idle keepalive and recycling
 *   job.c       the FIFO of jobs, coalescing, deadlines, and the delivery
 *               of output to every waiter under flow control
 *   pool_resolve.c  a router's addresses from its name, via resolve.c
 *   pool_local.c    routers on this host: local_max and local_probes
 *   session.c   one router session: the state machine from connect to
 *               idle, login dialogue, first prompt, setup, commands
 *   sess_cmd.c  a running command: its output and the judging of its
 *               end (the confirming newline, settle and redraw waits)
 *   output.c    pure text processing of raw router bytes: terminal
 *               cleanup, echo removal, prompt and pager detection,
 *               filters, error patterns, output cap
 *   sess_ssh.c, sess_telnet.c, sess_local.c   the transports behind
 *               struct sess_transport, the seam unit tests plug a fake
 *               into; local runs commands on this host through
 *   prober.c    the process that runs them, forked at start
 *   audit.c     one line per query, to syslog and an optional JSON file
 *
 * Configuration lives in generations (struct gen): a reload builds a new
 * one, and routers and sessions keep a reference to the generation whose
 * driver and credential they use, so nothing they point into is freed
 * under them.
 */

#ifndef BROKER_H
#define BROKER_H

#include <sys/types.h>
#include <sys/queue.h>
#include <sys/socket.h>

#include <stdint.h>

#include "lg.h"
#include "lg_parse.h"
#include "lg_proto.h"
#include "output.h"

/* Terminal size asked for on a pty: wide, so no line wraps. */
#define SESS_TERM_COLS		511
#define SESS_TERM_ROWS		24
/* Quiet period before a prompt-like tail is believed at login. */
#define SESS_QUIET_MS		250
/* Probes (newline, same prompt again) before the login gives up. */
#define SESS_PROBES_MAX		8
/* A prompt matching the regex but not the learned text: settle time. */
#define SESS_SETTLE_MS		500
/*
 * The learned prompt on a line that was begun with a lone CR (a shell
 * redrawing its prompt while the command still runs, as birdc does): the
 * end only after this much silence.
 */
#define SESS_WEAK_MS		1500
/*
 * The learned prompt at the end of a command is believed only when the
 * empty line sent after it brings the same prompt back; without an answer
 * within this time the end stays unconfirmed (answer marked truncated,
 * session recycled).
 */
#define SESS_CONFIRM_MS		3000
/*
 * Between the last reply counted and the interrupt: a program with a
 * count of its own (the lab's ping) prints its statistics and the prompt
 * within milliseconds of its last reply, and a Ctrl-C that reaches the
 * prompt instead draws another one into the next command's output.
 */
#define SESS_INTR_GRACE_MS	200
/* Held lines (blank or prompt) past this are taken for output. */
#define OUT_HOLD_MAX		4096
/* Bytes read from a transport in one go. */
#define SESS_READ_CHUNK		4096
/* A line longer than this is passed on in pieces. */
#define OUT_LINE_MAX		LG_DATA_CHUNK_MAX
/*
 * Clients sharing one coalesced job at most; the next identical query is
 * busy, so joining a job cannot get around broker.queue.
 */
#define JOB_WAITERS_MAX		256
/* Job output held for slow waiters before the session is paused. */
#define JOB_PENDING_HIGH	(64 * 1024)
/* Reconnect backoff, milliseconds. */
#define BACKOFF_BASE_MS		500
#define BACKOFF_MAX_MS		60000
/* Doublings of the base counted at most: already past BACKOFF_MAX_MS. */
#define BACKOFF_SHIFT_MAX	10
/* Command times kept per router for the median lgctl status shows. */
#define POOL_LAT_SAMPLES	32

/* ev.c: one epoll loop, timers on a binary min-heap, a millisecond clock. */
struct ev_io {
	int			 fd;
	uint32_t		 events;	/* EPOLLIN, EPOLLOUT */
	void			(*cb)(int, uint32_t, void *);
	void			*arg;
	int			 added;
};

struct ev_timer {
	uint64_t		 when;		/* ev_now() ms */
	size_t			 idx;		/* heap slot + 1, 0: not armed */
	void			(*cb)(void *);
	void			*arg;
};

int	 ev_init(void);
void	 ev_free(void);
uint64_t ev_now(void);
void	 ev_fake_clock(int);		/* tests: the clock moves by hand */
void	 ev_advance(uint64_t);		/* tests: move it, fire timers */
int	 ev_io_add(struct ev_io *, int, uint32_t, void (*)(int, uint32_t,
	    void *), void *);
int	 ev_io_mod(struct ev_io *, uint32_t);
void	 ev_io_del(struct ev_io *);
void	 ev_timer_init(struct ev_timer *, void (*)(void *), void *);
void	 ev_timer_add(struct ev_timer *, uint64_t);	/* ms from now */
void	 ev_timer_del(struct ev_timer *);
int	 ev_timer_pending(const struct ev_timer *);
void	 ev_timers_run(void);
int	 ev_loop_once(int);		/* max wait ms, -1: until a timer */
void	 ev_loop(void);
void	 ev_break(void);

/* Configuration generations, reference counted. */
struct gen {
	int			 refs;
	struct lg_config	 conf;
	struct lg_credentials	 creds;
	struct lg_drivers	 drivers;
	struct lg_asnames	 asnames;	/* asn_names */
	struct lg_commdesc	 commdesc;	/* communities */
};

struct gen	*gen_load(const char *, struct lg_diag *);
void		 gen_ref(struct gen *);
void		 gen_unref(struct gen *);

/*
 * session.c.  A session is one interactive shell on one router.  States
 * follow DESIGN.md section 5; the transport underneath is a table of
 * functions, so the state machine can be driven by a scripted fake.
 */
enum sess_state {
	SESS_CONNECTING = 0,	/* transport handshake (TCP, SSH kex+auth) */
	SESS_AUTHENTICATING,	/* login dialogue, first prompt */
	SESS_PREPARING,		/* enable, setup commands */
	SESS_IDLE,
	SESS_BUSY,
	SESS_BROKEN
};

/*
 * Where the login dialogue of an AUTHENTICATING session stands.  The
 * first prompt is believed only after a quiet period (t_quiet) and when
 * the newline sent then brings the same text back.
 */
enum sess_login {
	LOGIN_DIALOGUE = 0,	/* username/password prompts, or a prompt */
	LOGIN_QUIET,		/* a prompt-like tail: waiting for silence */
	LOGIN_PROBE,		/* sent a newline: the same prompt again? */
	LOGIN_REFUSED		/* a line matched login_failed */
};

/* What a PREPARING or BUSY session is running, and for whom. */
enum sess_run {
	RUN_NONE = 0,		/* nothing: connecting, login, idle, broken */
	RUN_ENABLE,		/* the enable command and its secret */
	RUN_SETUP,		/* a driver setup command (PREPARING) */
	RUN_KEEPALIVE,		/* the driver keepalive (BUSY, no client) */
	RUN_QUERY		/* a client's command: output to the owner */
};

/*
 * How the end of a running command is judged, each wait with its own
 * timer; at most one of them is armed.
 */
enum sess_wait {
	WAIT_OUTPUT = 0,	/* reading; no prompt ends the output yet */
	WAIT_SETTLE,		/* another prompt: broken if it stays */
	WAIT_WEAK,		/* our prompt, redrawn: the end if it stays */
	WAIT_CONFIRM		/* an empty line went after the prompt */
};

struct session;

/*
 * The transport seam.  open() starts connecting (non-blocking) and
 * handshake() drives it on each event until it returns 0 (a shell is
 * open), 1 (again later) or -1 (error: fills err and errstr).  read()
 * returns bytes, 0 when nothing is available now, -1 when the peer closed
 * or failed.  write() queues all of it or returns -1.  events() says what
 * the loop should wait for now; fd() is the descriptor, -1 if none yet.
 */
struct sess_transport {
	const char	*name;
	int		 login;		/* the session answers login prompts */
	int		(*open)(struct session *, char *, size_t);
	int		(*handshake)(struct session *, enum lg_err *, char *,
			    size_t);
	ssize_t		(*read)(struct session *, char *, size_t);
	int		(*write)(struct session *, const char *, size_t);
	uint32_t	(*events)(struct session *);
	int		(*fd)(struct session *);
	void		(*close)(struct session *);
	/*
	 * Transports whose commands are processes (local): no login, the
	 * session is idle at once, and exec() starts each command; its end
	 * is the transport's to judge (session_cmd_end).  NULL for a shell.
	 */
	int		(*exec)(struct session *, const char *, char *, size_t);
	/*
	 * Interrupts the running command (sess_intr.c); NULL: Ctrl-C is
	 * written to the session's terminal.  0 or -1.
	 */
	int		(*interrupt)(struct session *);
};

/* What a session tells its owner (the pool, or a test). */
struct sess_owner {
	/* The session became idle, or broken (err, errstr set). */
	void	(*state)(struct session *, void *);
	/* Filtered output of the running command. */
	void	(*output)(struct session *, void *, const char *, size_t);
	/* The command ended; the session is idle or broken after it. */
	void	(*done)(struct session *, void *, enum lg_err, int);
};

struct session {
	enum sess_state		 state;		/* sess_set_state only */
	enum sess_login		 login;		/* AUTHENTICATING */
	enum sess_run		 run;		/* PREPARING, BUSY */
	enum sess_wait		 wait;		/* while run is a command */
	const struct sess_transport *tr;
	void			*tr_ctx;
	struct gen		*gen;		/* referenced */
	const struct lg_router	*router;	/* in gen */
	const struct lg_driver	*drv;
	const struct lg_credential *cred;
	struct sockaddr_storage	 addr;		/* the one to connect to */
	socklen_t		 addrlen;
	unsigned int		 connect_timeout;	/* s */

	const struct sess_owner	*owner;
	void			*owner_arg;

	struct ev_io		 io;
	struct ev_timer		 t_phase;	/* connect/login/prep timeout */
	struct ev_timer		 t_quiet;	/* LOGIN_QUIET */
	struct ev_timer		 t_settle;	/* WAIT_SETTLE */
	struct ev_timer		 t_weak;	/* WAIT_WEAK */
	struct ev_timer		 t_confirm;	/* WAIT_CONFIRM */
	struct ev_timer		 t_kick;	/* resume reading after a pause */
	struct ev_timer		 t_intr;	/* interrupt bound, sess_intr.c */
	int			 intr_armed;
	int			 intr_counted;	/* grace running */
	unsigned int		 intr_count;	/* replies before Ctrl-C */
	size_t			 output_cap;
	int			 probe_lines;
	int			 idle_dirty;
	enum out_event		 last_ev;	/* of the latest batch */
	int			 owed;		/* a probe newline is unanswered */
	int			 tainted;	/* a prompt-like line was output */
	struct output		 out;
	char			 candidate[LG_COMMAND_MAX];
	int			 probes;
	int			 sent_user;
	int			 sent_pass;
	size_t			 setup_next;	/* index into drv->setup */
	int			 paused;	/* flow control: not reading */
	int			 hostkey_only;	/* HOSTKEY: stop after kex */
	char			*hostkey[3];	/* type, fingerprint, line */
	uint64_t		 since;		/* entered the state, ms */
	enum lg_err		 err;		/* BROKEN: why, or LG_OK */
	char			 errstr[LG_ERRSTR_MAX];
};

const char	*session_state_name(enum sess_state);
int		 session_transition_valid(enum sess_state, enum sess_state);
struct session	*session_new(struct gen *, const struct lg_router *,
		    const struct sockaddr_storage *, socklen_t,
		    const struct sess_transport *, const struct sess_owner *,
		    void *);
int		 session_start(struct session *);
int		 session_run(struct session *, const char *, int);
void		 session_pause(struct session *, int);
void		 session_discard(struct session *, enum lg_err, const char *);
void		 session_free(struct session *);
void		 session_rebind(struct session *, struct gen *,
		    const struct lg_router *);
const struct sess_transport *session_transport(enum lg_transport);
/* Called by transports when their descriptor or interest changed. */
void		 session_update_io(struct session *);
/* For sess_cmd.c: writing a line, failing, the end of a command. */
int		 session_send(struct session *, const char *, int);
void		 session_fail(struct session *, enum lg_err, const char *, ...)
		    __attribute__((__format__(__printf__, 3, 4)));
void		 session_cmd_end(struct session *, enum lg_err, int, int);

/* sess_cmd.c: a running command, its output and the judging of its end. */
void	 sess_cmd_init(struct session *);
int	 sess_cmd_running(const struct session *);
void	 sess_cmd_wait(struct session *, enum sess_wait);
void	 sess_cmd_input(struct session *, const char *, size_t);
void	 sess_cmd_event(struct session *);

/* sess_intr.c: ending a command that does not end by itself. */
void	 sess_intr_init(struct session *);
void	 sess_intr_arm(struct session *, const struct lg_regex *,
	    unsigned int, uint64_t);
void	 sess_intr_stop(struct session *);
void	 sess_intr_check(struct session *);

/* sess_ssh.c, sess_telnet.c, sess_local.c */
extern const struct sess_transport sess_ssh_transport;
extern const struct sess_transport sess_telnet_transport;
extern const struct sess_transport sess_local_transport;
/* The prober's socket (prober.c), -1: none; 0 or -1 with err set. */
int	 sess_local_init(int, char *, size_t);
void	 sess_local_cleanup(void);
void	 sess_local_reload(void);
/* Local commands of a type running now, host-wide (broker.local_max). */
unsigned int sess_local_running(enum lg_query_type);

/*
 * prober.c: the process that runs the commands of transport local, one
 * struct prober_msg a packet (and RUN's argv after it).
 */
enum prober_type {
	PROBER_RUN = 1,		/* broker: id, argv joined by LG_ARGV_SEP */
	PROBER_KILL,		/* broker: id */
	PROBER_RELOAD,		/* broker: read the allow-list again */
	PROBER_STARTED,		/* prober: id, status 0 + the pipe, or errno */
	PROBER_EXIT,		/* prober: id, status as waitpid gives it */
	PROBER_INTERRUPT	/* broker: id, SIGINT to its group */
};
#define PROBER_ARGV_MAX		4096
struct prober_msg {
	uint32_t		 type;
	uint32_t		 id;
	int32_t			 status;
	uint32_t		 len;	/* RUN: bytes of argv after this */
};
int	 prober_start(const char *, char *, size_t);
int	 prober_forget_caps(char *, size_t);
void	 sess_ssh_init(void);
void	 sess_ssh_cleanup(void);

/*
 * job.c.  A waiter is one client request for one job's output; the
 * control layer embeds it in its request and supplies the callbacks.
 * room() says how many bytes it may take now (window and socket queue);
 * begin/data/end emit the frames.  end is called exactly once per waiter,
 * after which the pool never touches the waiter again.
 */
struct waiter;
struct waiter_ops {
	size_t	(*room)(struct waiter *);
	void	(*begin)(struct waiter *, const char *, const char *);
	void	(*data)(struct waiter *, const char *, size_t);
	void	(*end)(struct waiter *, enum lg_err, int, uint64_t,
		    const char *);
	/* A piece of the parsed answer (JSON text), after the last data. */
	void	(*parsed)(struct waiter *, const char *, size_t);
};

struct job;
struct waiter {
	TAILQ_ENTRY(waiter)	 entry;
	struct job		*job;
	uint64_t		 sent;		/* bytes of job output taken */
	size_t			 psent;		/* bytes of parsed JSON taken */
	uint64_t		 start_ms;
	const struct waiter_ops	*ops;
};

/*
 * Addresses kept per router name; query names waiting for a thread;
 * threads in all, and how many of them router names may hold at once.
 */
#define RESOLVE_ADDRS_MAX	16
#define RESOLVE_QUEUE_MAX	128
#define RESOLVE_THREADS		4
#define RESOLVE_ROUTER_THREADS	2

/* How the pool resolves router names: resolve.c, or a test's fake. */
struct resolve_req;
struct resolve_ops {
	struct resolve_req *(*start)(const char *, void (*)(void *, int,
			    const struct sockaddr_storage *, size_t), void *);
	void		  (*cancel)(struct resolve_req *);
};

/* Where a slot of a router's pool stands; pool_slot_set moves it. */
enum slot_state {
	SLOT_EMPTY = 0,		/* t_reconnect or a probe opens a session */
	SLOT_RESOLVING,		/* waiting for the router's addresses */
	SLOT_OPENING,		/* a session on its way to its first idle */
	SLOT_READY		/* its session reached idle: it serves */
};

struct router;
struct slot {
	struct router		*rt;
	int			 idx;
	enum slot_state		 state;
	struct session		*sess;		/* OPENING, READY */
	struct session		*dead;		/* freed from the timer */
	/*
	 * Frees the dead session, outside of its callbacks, and connects
	 * again unless the router is down, draining or shutting down.
	 */
	struct ev_timer		 t_reconnect;
	struct ev_timer		 t_keepalive;	/* idle: broker.keepalive */
	struct ev_timer		 t_recycle;	/* idle: broker.idle_timeout */
	uint64_t		 idle_since;
	uint64_t		 last_keepalive;
	unsigned int		 attempts;	/* since the last success */
	size_t			 addr_idx;	/* address of this attempt */
	size_t			 addr_next;	/* 0, or the next one to try */
	struct job		*job;		/* running here, or NULL */
};

TAILQ_HEAD(jobq, job);
TAILQ_HEAD(waiterq, waiter);

struct job {
	TAILQ_ENTRY(job)	 entry;
	struct router		*rt;
	/*
	 * The generation whose driver the job was rendered and its parser
	 * made from (referenced): a reload may give the router a new one,
	 * and the session that ran the old one may end, while the job
	 * still waits in the queue.
	 */
	struct gen		*gen;
	enum lg_query_type	 type;
	char			 key[LG_TARGET_MAX + 2 * LG_NAME_MAX + 16];
	char			 cmds[2][LG_COMMAND_MAX];
	int			 ncmds;
	int			 icmd;
	char			 begin[2 * LG_COMMAND_MAX + 2];
	struct waiterq		 waiters;
	int			 nwaiters;
	struct slot		*slot;		/* running on */
	int			 queued;
	int			 finished;	/* no more output will come */
	enum lg_err		 err;
	int			 flags;		/* LG_RESULT_* */
	char			 message[LG_ERRSTR_MAX];
	struct ev_timer		 deadline;
	struct lg_buf		 pending;	/* output not taken by all */
	uint64_t		 base;		/* offset of pending.data[0] */
	uint64_t		 total;		/* output bytes produced */
	uint64_t		 started;	/* ms, on a session */
	int			 delivering;
	/*
	 * The parse of the output (lg_parse.h), shared by every waiter:
	 * NULL when the driver has no rules for the type.  Once the job
	 * ends well, parsed holds the answer as compact JSON text.
	 */
	struct parser		*parser;
	char			*parsed;
	size_t			 parsed_len;
	/*
	 * The route facts of a route answer, on the facts thread while
	 * it is parsed (facts_worker.c); facts_wait: the output has ended,
	 * and the waiters' parsed frame and end wait for the thread.
	 */
	struct facts_work	*facts;
	int			 facts_wait;
};

/* A router's circuit breaker (DESIGN.md section 5). */
enum pool_breaker {
	BREAKER_CLOSED = 0,	/* queries go to the sessions */
	BREAKER_OPEN		/* down: fail fast until a probe connects */
};

struct router {
	TAILQ_ENTRY(router)	 entry;
	struct gen		*gen;		/* referenced */
	const struct lg_router	*conf;		/* in gen */
	const struct lg_driver	*drv;
	const struct lg_credential *cred;
	/*
	 * Its addresses: the literal host, or the latest answer for its
	 * name (every A and AAAA record, in getaddrinfo's order), port set.
	 */
	struct sockaddr_storage	 addrs[RESOLVE_ADDRS_MAX];
	socklen_t		 addrlens[RESOLVE_ADDRS_MAX];
	size_t			 naddrs;
	int			 literal;	/* host is an address */
	struct resolve_req	*res;		/* a lookup under way */
	unsigned int		 res_fails;	/* lookups failed in a row */
	struct slot		*slots;
	int			 nslots;
	struct jobq		 queue;
	unsigned int		 queued;
	struct jobq		 running;	/* on a session or delivering */
	unsigned int		 failures;	/* consecutive */
	enum pool_breaker	 breaker;
	struct ev_timer		 t_probe;	/* BREAKER_OPEN */
	int			 draining;	/* removed: close when empty */
	struct ev_timer		 t_reap;	/* draining: free when empty */
	uint64_t		 queries;
	uint32_t		 lat[POOL_LAT_SAMPLES];	/* recent times, ms */
	unsigned int		 nlat;
	char			 last_error[LG_ERRSTR_MAX];
	const struct sess_transport *tr_override;	/* tests */
	const struct resolve_ops *res_override;		/* tests */
};

TAILQ_HEAD(routerq, router);

/* The broker: current generation and its routers. */
struct broker {
	struct gen		*gen;
	struct routerq		 routers;
	struct routerq		 draining;
	char			 conf_path[LG_PATH_MAX];
	int			 shutting_down;
};

extern struct broker	*broker;

/* pool.c: routers, their slots of sessions, the breaker. */
struct router	*pool_router_new(struct gen *, const struct lg_router *,
		    char *, size_t);
void		 pool_router_start(struct router *);
void		 pool_router_free(struct router *);
void		 pool_router_drain(struct router *);
void		 pool_router_adopt(struct router *, struct gen *,
		    const struct lg_router *);
struct router	*pool_find(const char *);
enum lg_router_state pool_router_state(const struct router *);
void		 pool_router_status(const struct router *,
		    struct lg_msg_router_status *);
void		 pool_shutdown(void);
int		 pool_backoff_ms(unsigned int, uint32_t);
unsigned int	 pool_median_ms(const struct router *);
uint64_t	 pool_probe_ms(const struct router *);
int		 pool_has_ready(const struct router *);
int		 pool_router_is_down(const struct router *);
void		 pool_router_down(struct router *, uint64_t);
/* Starts the queued jobs on the idle sessions. */
void		 pool_dispatch(struct router *);
int		 pool_would_wait(struct router *);
void		 pool_slot_connect_addr(struct slot *, size_t);
void		 pool_slot_recycle(struct slot *);
void		 pool_slot_set(struct slot *, enum slot_state);
void		 pool_slot_idle_stop(struct slot *);

/* job.c: a job's life from the queue to its last waiter. */
/*
 * Submits a query for one router: renders its command(s), joins an
 * identical job or queues a new one, and calls the waiter's begin.  On an
 * error return the waiter is untouched (its end is never called) and
 * err/msg say why.
 */
enum lg_err	 job_submit(struct router *, enum lg_query_type, enum lg_afi,
		    const struct lg_target *, const char *, struct waiter *,
		    char *, size_t);
void		 job_waiter_kick(struct waiter *);
void		 job_waiter_cancel(struct waiter *);
void		 job_waiter_abandon(struct waiter *);
void		 job_waiter_end(struct job *, struct waiter *, enum lg_err,
		    int);
void		 job_start(struct job *, struct slot *);
void		 job_run(struct job *, struct session *);
/* What an interrupted program has to print its last words, ms. */
#define JOB_INTR_GRACE_MS	3000
void		 job_output(struct job *, const char *, size_t);
void		 job_finish(struct job *, enum lg_err, int);
void		 job_free(struct job *);

/* pool_local.c: the queues of the routers on this host. */
struct job	*pool_next_job(struct router *);
void		 pool_local_kick(void);
void		 pool_probes_stop(void);

/* pool_resolve.c: a router's addresses from its name. */
void		 pool_resolve_start(struct router *);
void		 pool_resolve_cancel(struct router *);

/*
 * control.c: one client connection on the public or the admin socket;
 * control_req.c keeps its requests in flight, control_msg.c answers its
 * messages.
 */
/* Queued output past this stops the requests until it drains. */
#define CONN_OUTQ_HIGH		(1024 * 1024)
#define CONN_HASH		256	/* request buckets, a power of two */

struct request;
TAILQ_HEAD(requestq, request);

struct conn {
	TAILQ_ENTRY(conn)	 entry;
	int			 fd;
	int			 admin;
	struct tls_conn		*tls;		/* broker.listen_tls, or NULL */
	char			 peer[LG_TEXT_MAX * 2];	/* TLS: address, DN */
	struct ev_timer		 more;		/* TLS bytes already read */
	uid_t			 uid;
	pid_t			 pid;
	int			 hello;
	int			 dead;
	struct ev_io		 io;
	struct ev_timer		 reap;
	struct ev_timer		 flush;		/* end of this loop turn */
	struct ev_timer		 t_hello;	/* HELLO or close */
	int			 full;		/* a request found no room */
	struct lg_frame_reader	 rd;
	struct lg_buf		 outq;
	struct requestq		 reqs;
	struct request		*kick_next;	/* control_req_kick's cursor */
	unsigned int		 nreqs;
	LIST_HEAD(, request)	 hash[CONN_HASH];
};

int	 control_init(const struct lg_config *);
void	 control_shutdown(void);
int	 control_send(struct conn *, const uint8_t *, ssize_t);
int	 control_send_end(struct conn *, uint32_t, enum lg_err, const char *);
void	 control_close(struct conn *);
void	 control_warn(const struct conn *, const char *, ...)
	    __attribute__((__format__(__printf__, 2, 3)));
int	 control_tls_reload(const struct lg_config *, char *, size_t);

/* control_req.c: QUERY, CANCEL and WINDOW; requests as job waiters. */
void	 control_req_query(struct conn *, uint32_t, const uint8_t *, size_t);
void	 control_req_cancel(struct conn *, uint32_t, const uint8_t *, size_t);
void	 control_req_window(struct conn *, uint32_t, const uint8_t *, size_t);
void	 control_req_kick(struct conn *);
void	 control_req_reap(struct conn *);

/* control_msg.c: HELLO, the other messages, what each socket allows. */
void	 control_msg_dispatch(struct conn *, const struct lg_frame_hdr *,
	    const uint8_t *);

/* admin.c */
int	 admin_reload(char *, size_t);
enum lg_err admin_hostkey(struct conn *, uint32_t, const char *, char *,
	    size_t);
void	 admin_hostkey_cancel(struct conn *);
void	 admin_shutdown(void);

/*
 * resolve.c: getaddrinfo on a few threads; the callback runs on the loop.
 * Query names (resolve_start) go first, in a queue of at most
 * RESOLVE_QUEUE_MAX; router names (resolve_start_router) hold at most
 * some of the threads.  NULL with errno EAGAIN: the queue is full.
 */
struct resolve_req;
int	 resolve_init(void);
void	 resolve_shutdown(void);
/* cb(arg, error, addresses, count): error is a gai code, 0 on success. */
struct resolve_req *resolve_start(const char *, void (*)(void *, int,
	    const struct sockaddr_storage *, size_t), void *);
struct resolve_req *resolve_start_router(const char *, void (*)(void *, int,
	    const struct sockaddr_storage *, size_t), void *);
void	 resolve_cancel(struct resolve_req *);
/* The lookup the threads run (getaddrinfo); tests put a fake here. */
extern int (*resolve_lookup)(const char *, struct sockaddr_storage *, size_t,
	    size_t *);

/* facts_worker.c: route facts and the parsed dump off the event loop. */
struct facts_work;
int	 facts_worker_init(void);
int	 facts_worker_fd(void);
void	 facts_worker_dispatch(void);
void	 facts_worker_shutdown(void);
struct facts_work *facts_worker_start(const struct facts *, json_t *,
	    void (*)(void *, char *), void *, void (*)(void *), void *);
int	 facts_worker_feed(struct facts_work *, size_t);
size_t	 facts_worker_handed(const struct facts_work *);
int	 facts_worker_finish(struct facts_work *, json_t *);
void	 facts_worker_cancel(struct facts_work *);

/* rpki.c: RTR caches through RTRlib, the facts hook, the status. */
int	 rpki_configure(const struct lg_config *);
int	 rpki_enabled(void);
void	 rpki_shutdown(void);
void	 rpki_validate(void *, const struct lg_prefix *, uint32_t,
	    struct rpki_result *);
size_t	 rpki_ncaches(void);
struct pfx_table;
struct lrtr_ip_addr;
void	 rpki_use_table(struct pfx_table *);
void	 rpki_addr(const struct lg_prefix *, struct lrtr_ip_addr *);
void	 rpki_status(size_t, struct lg_msg_rpki_status *);
enum lg_rpki_cache_state rpki_shown_state(enum lg_rpki_cache_state, int, int,
	    time_t);

/* audit.c */
int	 audit_open(const char *);
void	 audit_close(void);
/* client, user ("" for the public), router, type, target, ... */
void	 audit_query(const char *, const char *, const char *,
	    enum lg_query_type, const char *, enum lg_err, uint64_t, uint64_t);

#endif /* BROKER_H */
