#!/bin/sh
# The soak: both daemons under mixed traffic, faults and reloads for
# SOAK_MIN minutes (make soak: 30), then the verdict.
#
# Load (soak_load.py): the JSON API for one router and for several, SSE
# read to the end or dropped mid-stream, RFC 8522; bgp_route through the
# cache, the rest from the routers; every query type; emulated IOS,
# IOS-XR, NX-OS, Junos and EOS over SSH and telnet, and the lab's FRR
# and BIRD (as root).
# Faults: every SOAK_FAULT seconds (20) one emulated router turns bad for
# that long: it hangs, drops the session mid-output, floods, logs in
# slowly; every fifth time the emulator comes back with new host keys
# instead, for one period.
# Reloads: every SOAK_RELOAD seconds (60), lgctl reload, each time with
# the spare routers (nxos1, eos1, and the lab's r2) added or removed.
# Record: every SOAK_SAMPLE seconds (60; 10 under 10 minutes) the RSS,
# descriptors and threads of both daemons, in samples.csv, plotted in
# soak.png (gnuplot) beside report.txt, in SOAK_OUT (build/soak).
# Pass: no daemon dies; no ok answer differs from what its router holds
# (soak_load.py verdict); RSS, descriptors and threads grow less than 5%
# from the end of the warm-up (5 minutes; a third of a shorter run) to the
# end: the run's last third against the third after the warm-up, so a
# reload's routers count in both; for RSS the largest value of each, for
# descriptors and threads the median (a client's connection in flight at
# the sampling instant is not growth; a leak moves the median).
#
# RPKI (with the lab and Debian's stayrtr, in a run of 30 minutes or
# more; a shorter one leaves it off): a stayrtr serves VRPs for the
# lab's table (tests/broker/lab_rpki.py); r1's paths carry the states
# computed from them.  In a run of 30 minutes or more, stayrtr stops in
# the middle: the states stay and the status says the cache is down;
# once the VRPs expire (rpki.expire 600 s, RTRlib's least, and stayrtr
# tells the same) every path is unknown and lgctl status and /metrics
# say they expired; stayrtr starts again and the states come back.  The
# outage (about 11 minutes) is centred on the run, as its RTR socket is
# one of the broker's descriptors and the outage is longer than the
# unmeasured middle third: so each measured third has it up most of the
# time.  A shorter run skips the expiry and says so.
#
# make check runs it for a minute (tests/ops/test_soak.sh): the harness,
# the deaths and the wrong answers; growth is only reported there
# (SOAK_FLAT=0), as a minute says nothing of it.

. "$(dirname "$0")/../lib/tap.sh"
. "$(dirname "$0")/../broker/lib.sh"

SOAK_MIN=${SOAK_MIN:-30}
SOAK_FAULT=${SOAK_FAULT:-20}
SOAK_RELOAD=${SOAK_RELOAD:-60}
if [ "$SOAK_MIN" -ge 10 ]; then
	SOAK_SAMPLE=${SOAK_SAMPLE:-60}
	WARM=300
else
	SOAK_SAMPLE=${SOAK_SAMPLE:-10}
	WARM=$((SOAK_MIN * 20))
fi
SOAK_OUT=${SOAK_OUT:-$LG_TOP/build/soak}
HERE=$LG_TOP/tests/soak

for b in lgbrokerd lgwebd lgctl lgemu; do
	[ -x "$BK_BIN/$b" ] || skip_all "$BK_BIN/$b not built"
done
command -v python3 >/dev/null || skip_all "python3 not installed"
command -v curl >/dev/null || skip_all "curl not installed"

soak_bail() { fail "$1"; done_testing; exit 1; }

# --- RPKI: stayrtr with the lab's VRPs --------------------------------------
RPKI=0 RPKI_NOTE="off (needs the lab and stayrtr)"
RPKI_AT=$((SOAK_MIN * 30 - 330))	# the outage is centred on the run
rtr_start() {
	stayrtr -bind "127.0.0.1:$RTR" -metrics.addr "127.0.0.1:$((RTR + 1))" \
	    -cache "$BK/vrps.json" -checktime=false -refresh 5 \
	    -rtr.refresh 30 -rtr.retry 5 -rtr.expire 600 \
	    >>"$BK/stayrtr.log" 2>&1 &
	echo $! >"$BK/stayrtr.pid"
	dm_wait 30 python3 -c "import socket; socket.create_connection(
	    ('127.0.0.1', $RTR), 1)"
}
rtr_stop() {
	[ -s "$BK/stayrtr.pid" ] && kill "$(cat "$BK/stayrtr.pid")" 2>/dev/null
	rm -f "$BK/stayrtr.pid"
}
# "STATE VRPS4 VRPS6" of the cache.
rtr_status() {
	bk_ctl -j status 2>/dev/null | python3 -c "import json, sys
c = json.load(sys.stdin)['rpki'][0]
print(c['state'], c['vrps_ipv4'], c['vrps_ipv6'])"
}
rtr_state_is() { [ "$(rtr_status | cut -d' ' -f1)" = "$1" ]; }
# The sampled prefixes of r1: states from the VRP file, or --unknown.
rpki_check() {
	python3 "$LG_TOP/tests/broker/lab_rpki.py" --table "$LAB_DIR/up/table.conf" \
	    check "$BK/vrps.json" - --router r1 "$@" -- "$BK_BIN/lgctl" \
	    -s "$BK/admin.sock" -t "$BK_CTL_TIMEOUT" 2>&1
}
rpki_metric() {	# name value: /metrics has it for the cache
	curl -fs "$URL/metrics" | grep -q "^$1{cache=\"127.0.0.1:$RTR\"} $2\$"
}
# The expiry, in the background while the load runs: TAP lines in
# rpki.tap, the times (seconds from the start of the run) in rpki.times.
rpki_phase() {
	exec >"$BK/rpki.tap" 2>&1
	t() { echo $(($(date +%s) - start)); }
	res() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fi; }
	while [ "$(t)" -lt "$RPKI_AT" ]; do sleep 1; done
	t_stop=$(t)
	rtr_stop
	dm_wait 60 rtr_state_is down
	res $? "rpki: losing stayrtr shows in the status ($(rtr_status))"
	st=$(rtr_status)
	set -- $st
	[ "${2:-0}" -gt 0 ] && [ "${3:-0}" -gt 0 ]
	res $? "rpki: the VRPs are kept while the cache is gone ($st)"
	out=$(rpki_check)
	echo "$out" | grep -q '^ok 120 prefixes'
	res $? "rpki: the states stay with the cache gone ($(echo "$out" | head -1))"
	# RTRlib drops them on a reconnect try past 600 s from the last
	# update (every 30 s): 570-605 s after the stop, plus the load.
	dm_wait $((t_stop + 900 - $(t))) rtr_state_is expired
	res $? "rpki: the status says the VRPs expired ($(rtr_status))"
	t_exp=$(t)
	[ $((t_exp - t_stop)) -ge 540 ]
	res $? "rpki: they were kept until they expired ($((t_exp - t_stop)) s after the stop)"
	st=$(rtr_status)
	is_zero=$(echo "$st" | awk '{ print ($2 == 0 && $3 == 0) ? 0 : 1 }')
	res "$is_zero" "rpki: no VRP is left ($st)"
	# lgwebd reads the RTR state with its router list (every 1-5 s).
	dm_wait 30 rpki_metric lg_rpki_cache_expired 1
	res $? "rpki: /metrics says they expired (lg_rpki_cache_expired 1)"
	out=$(rpki_check --unknown)
	echo "$out" | grep -q '^ok 120 prefixes .* unknown=[1-9]'
	res $? "rpki: every sampled path is unknown ($(echo "$out" | head -1))"
	rtr_start
	res $? "rpki: stayrtr starts again"
	dm_wait 120 rtr_state_is up
	res $? "rpki: the cache comes back ($(rtr_status))"
	out=$(rpki_check)
	echo "$out" | grep -q '^ok 120 prefixes [0-9]* paths valid=[1-9]'
	res $? "rpki: the states come back ($(echo "$out" | head -1))"
	dm_wait 30 rpki_metric lg_rpki_cache_expired 0
	res $? "rpki: /metrics no longer says expired"
	echo "$t_stop ${t_exp:-} $(t)" >"$BK/rpki.times"
}

bk_init soak
mkdir -p "$SOAK_OUT" && rm -f "$SOAK_OUT"/* || exit 1
BK_CLEANUP_EXTRA='touch "$BK/stop"; [ -n "${RPKI_PID:-}" ] && kill "$RPKI_PID" 2>/dev/null; [ -n "${LOAD_PID:-}" ] && wait "$LOAD_PID"; rtr_stop'
bk_emu_up "$(bk_free_base 40)"
PORT=$(dm_free_port)
URL=http://127.0.0.1:$PORT
now() { python3 -c 'import time; print("%.3f" % time.monotonic())'; }

# --- the lab, as root -------------------------------------------------------
LAB=0
if [ "$(id -u)" = 0 ] && [ "${SOAK_LAB:-1}" = 1 ]; then
	if ! sh "$LG_TOP/tests/lab/lab.sh" status >/dev/null 2>&1; then
		out=$(sh "$LG_TOP/tests/lab/lab.sh" up 2>&1) ||
		    soak_bail "lab.sh up: $(echo "$out" | tail -5)"
		# Under tests/run.sh the lab stays for the suites after this
		# one, and run.sh takes it down at the end.
		[ "${SOAK_KEEP_LAB:-0}" = 1 ] ||
		    BK_CLEANUP_EXTRA="$BK_CLEANUP_EXTRA; sh '$LG_TOP/tests/lab/lab.sh' down >/dev/null 2>&1"
	fi
	. "$(sh "$LG_TOP/tests/lab/lab.sh" env)"
	LAB=1
fi
# A shorter run has no room for the expiry: it leaves RPKI off, as the
# states themselves are tests/broker/test_rpki.sh's.
if [ "$RPKI_AT" -lt 300 ]; then
	RPKI_NOTE="off: the expiry needs SOAK_MIN=30 or more"
elif [ $LAB = 1 ] && command -v stayrtr >/dev/null 2>&1; then
	RTR=$(bk_free_base 2) || soak_bail "no free port for stayrtr"
	python3 "$LG_TOP/tests/broker/lab_rpki.py" --table "$LAB_DIR/up/table.conf" \
	    vrps 1 "$BK/vrps.json" || soak_bail "lab_rpki.py vrps failed"
	if rtr_start; then
		pass "stayrtr serves the lab's VRPs"
	else
		soak_bail "stayrtr serves the lab's VRPs: $(tail -3 "$BK/stayrtr.log")"
	fi
	RPKI=2 RPKI_NOTE="on, stayrtr stops at ${RPKI_AT} s"
fi

# --- configuration: the routers, and the spares reloads toggle --------------
cat "$LG_EMU_KNOWN_HOSTS" >"$BK/known_hosts"
[ $LAB = 1 ] && cat "$LAB_KNOWN_HOSTS" >>"$BK/known_hosts"
bk_emu_credentials ${LAB_USER:+"lab = { username = \"$LAB_USER\"; password = \"$LAB_PASSWORD\"; };"}

emu_router() {	# name driver transport
	_p=$(eval echo "\$LG_EMU_$1_$(echo "$3" | tr a-z A-Z)")
	echo "  { name = \"$1\"; driver = \"$2\"; transport = \"$3\";"
	echo "    host = \"127.0.0.1\"; port = $_p; credential = \"emu\"; sessions = 2; },"
}
lab_router() {	# name driver
	_h=$(eval echo "\$LAB_$(echo "$1" | tr a-z A-Z)_MGMT4")
	echo "  { name = \"$1\"; driver = \"$2\"; transport = \"ssh\";"
	echo "    host = \"$_h\"; credential = \"lab\"; sessions = 2; },"
}
routers() {	# with-spares (0 or 1)
	emu_router ios1 cisco-ios ssh
	emu_router xr1 cisco-iosxr ssh
	emu_router junos1 juniper-junos telnet
	if [ "$1" = 1 ]; then
		emu_router nxos1 cisco-nxos ssh
		emu_router eos1 arista-eos telnet
	fi
	if [ $LAB = 1 ]; then
		lab_router r1 frr
		lab_router r3 bird
		[ "$1" = 1 ] && lab_router r2 frr
	fi
}
write_config() {	# with-spares
	cat >"$BK/lorgnette.conf" <<EOF
broker: {
$(bk_conf_paths)
  known_hosts = "known_hosts";
  connect_timeout = 5;
  output_cap = 1048576;
  deadlines = { bgp_route = 20; bgp_summary = 20; bgp_community = 30;
                traceroute = 60; };
};
policy: {
  forbidden = [ "10.0.0.0/8", "127.0.0.0/8", "fc00::/7", "::1/128" ];
  min_prefix4 = 8;
  min_prefix6 = 16;
};
web: {
  listen = [ "127.0.0.1:$PORT" ];
  www = "$LG_TOP/www";
  rate = { bgp_route = "0"; bgp_summary = "0"; bgp_community = "0";
           ping = "0"; traceroute = "0"; };
  cache = { bgp_route = 20; };
};
routers = (
$(routers "$1" | sed '$ s/,$//')
);
EOF
	[ $RPKI = 0 ] || cat >>"$BK/lorgnette.conf" <<EOF
rpki = { caches = [ "127.0.0.1:$RTR" ]; refresh = 30; retry = 5;
         expire = 600; };
EOF
}
write_config 1

# --- the plan: each router's queries ---------------------------------------
python3 - "$BK/plan.json" "$LAB" "${LAB_ROUTE4:-}" "${LAB_ROUTE6:-}" \
    "${LAB_COMMUNITY:-}" "${LAB_PING4:-}" "${LAB_TRACE4:-}" <<'EOF'
import json, sys
out, lab, route4, route6, comm, ping4, trace4 = sys.argv[1:]
emu = [["bgp_route", "1.0.4.0/24"], ["bgp_summary", ""],
       ["ping", "8.8.8.8"], ["traceroute", "8.8.8.8"]]
routers = {n: emu for n in ("ios1", "xr1", "junos1", "nxos1", "eos1")}
if lab == "1":
    q = [["bgp_route", route4], ["bgp_route", route6],
         ["bgp_community", comm], ["bgp_summary", ""], ["ping", ping4],
         ["traceroute", trace4]]
    routers.update({n: q for n in ("r1", "r2", "r3")})
json.dump({"routers": routers, "workers": 6,
           "volatile": ["bgp_summary"], "probes": ["ping", "traceroute"]},
          open(out, "w"))
EOF

# The verdict's own rule: a summary whose counter gained a digit (its
# columns move) is the same answer; another neighbor is not.
ok "a summary's columns moving by a digit is no wrong answer" python3 -c '
import sys; sys.path.insert(0, sys.argv[1]); import soak_load as s
p = {"volatile": ["bgp_summary"]}
a = "192.0.2.2  4  64500  99  13  0  0  0 01:02:03  5  6 second upstream"
b = a.replace(" 99  ", " 100 ")
c = a.replace("second", "third")
n = lambda t: s.normal(t, "bgp_summary", p)
sys.exit(not (n(a) == n(b) and n(a) != n(c)))' "$HERE"
if bk_start; then pass "lgbrokerd starts"; else soak_bail "lgbrokerd: $(bk_log | tail -5)"; fi
ALL="ios1 xr1 junos1 nxos1 eos1"
[ $LAB = 1 ] && ALL="$ALL r1 r2 r3"
# shellcheck disable=SC2086
ok "its routers come up" bk_wait_up -t 60 $ALL
bk_web_start
healthy() { curl -fs -o /dev/null "$URL/healthz"; }
ok "lgwebd starts" dm_wait 30 healthy
if [ $RPKI != 0 ]; then
	ok "the RTR session comes up" dm_wait 60 rtr_state_is up
	out=$(rpki_check)
	like "r1's paths carry the RPKI states of the VRPs" "$out" \
	    '^ok 120 prefixes [0-9]+ paths valid=[1-9]'
fi
if python3 "$HERE/soak_load.py" reference "$URL" "$BK/plan.json" \
    "$BK/ref.json" 2>"$BK/ref.err"; then
	pass "every router answers each of its queries"
else
	soak_bail "every router answers each of its queries: $(cat "$BK/ref.err")"
fi

# --- sampling ---------------------------------------------------------------
proc() {	# pid: rss_kib fds threads (0 0 0 once it is gone)
	awk '/^VmRSS:/ { r = $2 } /^Threads:/ { t = $2 }
	    END { printf "%d %d", r, t }' "/proc/$1/status" 2>/dev/null |
	    { read -r rss thr; echo "${rss:-0} $(ls "/proc/$1/fd" 2>/dev/null | wc -l) ${thr:-0}"; }
}
DEATHS=0
sample() {	# elapsed seconds
	for p in "$BK_PID" "$WEB_PID"; do
		kill -0 "$p" 2>/dev/null || DEATHS=$((DEATHS + 1))
	done
	echo "$1 $(proc "$BK_PID") $(proc "$WEB_PID")" >>"$SOAK_OUT/samples.txt"
}

# --- faults -----------------------------------------------------------------
emu() { LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" ctl "$@" >/dev/null 2>&1; }
FAULT_ROUTER=
FAULT_N=0
fault_end() {
	[ -n "$FAULT_ROUTER" ] || return 0
	if [ "$FAULT_KIND" = hostkey ]; then
		LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" stop >/dev/null 2>&1
		mkdir -p "$LG_EMU_DIR" && cp "$BK"/keys/* "$LG_EMU_DIR/"
		LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" start >>"$BK/emu-restart.log" 2>&1 ||
		    soak_bail "the emulator does not come back: $(tail -3 "$BK/emu-restart.log")"
	else
		emu clear "$FAULT_ROUTER"
	fi
	printf '{"router": "%s", "fault": "%s", "t0": %s, "t1": %s}\n' \
	    "$FAULT_ROUTER" "$FAULT_KIND" "$FAULT_T0" "$(now)" >>"$BK/faults.jsonl"
	FAULT_ROUTER=
}
fault_start() {
	FAULT_N=$((FAULT_N + 1))
	set -- ios1 xr1 junos1 nxos1 eos1
	shift $(($(od -An -N1 -tu1 /dev/urandom) % 5))
	FAULT_ROUTER=$1
	if [ $((FAULT_N % 5)) = 0 ]; then
		FAULT_KIND=hostkey FAULT_ROUTER='*'
		mkdir -p "$BK/keys"
		cp "$LG_EMU_DIR"/ssh_host_* "$BK/keys/"
		# stop removes the directory, keys included: start makes new ones.
		LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" stop >/dev/null 2>&1
		LG_BUILD=$LG_BUILD sh "$LG_TOP/tests/emulator/emu.sh" start >>"$BK/emu-restart.log" 2>&1 ||
		    soak_bail "the emulator does not restart: $(tail -3 "$BK/emu-restart.log")"
	else
		set -- hang drop flood slowlogin
		shift $(($(od -An -N1 -tu1 /dev/urandom) % 4))
		FAULT_KIND=$1
		case $1 in
		hang)	emu fault "$FAULT_ROUTER" hang_on show ;;
		drop)	emu fault "$FAULT_ROUTER" drop_mid_output true ;;
		flood)	emu fault "$FAULT_ROUTER" huge_output_mb 3
			emu fault "$FAULT_ROUTER" huge_on "show" ;;
		slowlogin) emu fault "$FAULT_ROUTER" slow_login_ms 3000
			emu fault "$FAULT_ROUTER" drop_after_commands 2 ;;
		esac
	fi
	FAULT_T0=$(now)
}

# --- the run ----------------------------------------------------------------
python3 "$HERE/soak_load.py" run "$URL" "$BK/plan.json" "$BK/ref.json" \
    "$BK/load.jsonl" "$BK/stop" 2>"$BK/load.err" &
LOAD_PID=$!
: >"$SOAK_OUT/samples.txt"
: >"$BK/faults.jsonl"
RELOADS=0 RELOAD_FAILS=0 SPARES=1
start=$(date +%s)
RPKI_PID=
if [ $RPKI = 2 ]; then
	rpki_phase &
	RPKI_PID=$!
fi
end=$((start + SOAK_MIN * 60))
next_sample=$start next_fault=$((start + SOAK_FAULT))
next_reload=$((start + SOAK_RELOAD))
while :; do
	t=$(date +%s)
	[ "$t" -ge "$end" ] && break
	if [ "$t" -ge "$next_sample" ]; then
		sample $((t - start))
		next_sample=$((next_sample + SOAK_SAMPLE))
	fi
	if [ "$t" -ge "$next_fault" ]; then
		fault_end
		fault_start
		next_fault=$((next_fault + SOAK_FAULT))
	fi
	if [ "$t" -ge "$next_reload" ]; then
		SPARES=$((1 - SPARES))
		write_config $SPARES
		RELOADS=$((RELOADS + 1))
		bk_ctl reload >>"$BK/reload.log" 2>&1 || RELOAD_FAILS=$((RELOAD_FAILS + 1))
		kill -HUP "$WEB_PID"
		next_reload=$((next_reload + SOAK_RELOAD))
	fi
	sleep 1
done
sample $(($(date +%s) - start))
fault_end
touch "$BK/stop"
wait "$LOAD_PID"
LOAD_PID=
if [ -n "$RPKI_PID" ]; then
	if kill -0 "$RPKI_PID" 2>/dev/null; then
		kill "$RPKI_PID" 2>/dev/null
		echo "not ok - rpki: the expiry phase ended with the run" >>"$BK/rpki.tap"
	fi
	wait "$RPKI_PID" 2>/dev/null
	RPKI_PID=
	while read -r line; do
		case $line in
		"ok - "*) pass "${line#ok - }" ;;
		"not ok - "*) fail "${line#not ok - }" ;;
		*) echo "# $line" ;;
		esac
	done <"$BK/rpki.tap"
fi

# --- the verdict ------------------------------------------------------------
is "no daemon died" "$DEATHS" 0
ok "lgbrokerd is still running" kill -0 "$BK_PID"
ok "lgwebd is still running" kill -0 "$WEB_PID"
is "every reload was taken ($RELOADS)" "$RELOAD_FAILS" 0
python3 "$HERE/soak_load.py" verdict "$BK/load.jsonl" "$BK/faults.jsonl" \
    >"$SOAK_OUT/answers.txt"
like "answers were given" "$(cat "$SOAK_OUT/answers.txt")" '^ok [1-9]'
like "no ok answer differs from what its router holds" \
    "$(cat "$SOAK_OUT/answers.txt")" '^wrong 0$'
like "no answer was unparsable" "$(cat "$SOAK_OUT/answers.txt")" '^unparsable 0$'

growth=$(awk -v warm="$WARM" -v dur=$((SOAK_MIN * 60)) '
	# RSS: the largest value of each window.  Descriptors and threads:
	# the median, since the connections of clients in flight come and
	# go between samples, while a leak moves the median.
	function pick(w, k, median,   i, j, t) {
		if (k == 0)
			return 0
		if (!median) {
			t = w[1]
			for (i = 2; i <= k; i++)
				if (w[i] > t) t = w[i]
			return t
		}
		for (i = 2; i <= k; i++)
			for (j = i; j > 1 && w[j - 1] > w[j]; j--) {
				t = w[j]; w[j] = w[j - 1]; w[j - 1] = t
			}
		return w[int((k + 1) / 2)]
	}
	function chk(name, col, median,   i, ka, kb) {
		split("", wa); split("", wb); ka = kb = 0
		for (i = 1; i <= n; i++) {
			if (T[i] >= warm && T[i] <= warm + third) wa[++ka] = V[i, col]
			if (T[i] >= dur - third) wb[++kb] = V[i, col]
		}
		a = pick(wa, ka, median); b = pick(wb, kb, median)
		printf "%s %d %d %.1f\n", name, a, b, (a > 0 ? (b - a) * 100 / a : 0)
	}
	{ n++; T[n] = $1; for (c = 2; c <= 7; c++) V[n, c] = $c }
	END {
		third = (dur - warm) / 3
		chk("broker_rss_kib", 2, 0); chk("broker_fds", 3, 1)
		chk("broker_threads", 4, 1); chk("web_rss_kib", 5, 0)
		chk("web_fds", 6, 1); chk("web_threads", 7, 1)
	}' "$SOAK_OUT/samples.txt")
echo "$growth" | while read -r name a b pct; do
	awk -v p="$pct" 'BEGIN { exit !(p < 5) }' &&
	    echo "ok - $name flat after the warm-up: $a then $b ($pct%)" ||
	    echo "not ok - $name flat after the warm-up: $a then $b ($pct%)"
done >"$BK/growth.tap"
# A minute says nothing of growth: the short form reports it only.
while read -r line; do
	case $line in
	*) [ "${SOAK_FLAT:-1}" = 1 ] || { echo "# $line"; continue; } ;;
	esac
	case $line in
	"ok - "*) pass "${line#ok - }" ;;
	*) fail "${line#not ok - }" ;;
	esac
done <"$BK/growth.tap"

{
	echo "soak: $SOAK_MIN min, $(date -u +%Y-%m-%dT%H:%MZ), build $LG_BUILD," \
	    "lab $( [ $LAB = 1 ] && echo on || echo off)"
	echo "faults: $FAULT_N ($(cut -d'"' -f8 "$BK/faults.jsonl" | sort | uniq -c | awk '{printf "%s %s, ", $2, $1}'))"
	echo "reloads: $RELOADS ($RELOAD_FAILS refused)"
	echo "daemon deaths: $DEATHS"
	echo "rpki: $RPKI_NOTE"
	# The broker's debug log times each malloc_trim (job.c).
	echo "heap trims after large answers: $(sed -n \
	    's/.*job_heap_trim: \([0-9]*\) us.*/\1/p' "$BK/broker.log" | sort -n |
	    awk '{ a[NR] = $1 } END { if (NR == 0) print 0; else
	    printf "%d, median %d us, largest %d us\n", NR, a[int((NR + 1) / 2)], a[NR] }')"
	if [ $RPKI = 2 ]; then
		read -r a b c <"$BK/rpki.times" 2>/dev/null
		echo "rpki expiry: stayrtr stopped at ${a:-?} s, VRPs expired at ${b:-?} s," \
		    "back at ${c:-?} s; $(grep -c '^ok' "$BK/rpki.tap") of" \
		    "$(grep -c 'ok - ' "$BK/rpki.tap") checks passed"
		grep '^not ok' "$BK/rpki.tap" | sed 's/^/  /'
	fi
	echo "growth after warm-up ($WARM s): name, first third, last third (RSS largest, counts median), percent"
	echo "$growth" | sed 's/^/  /'
	cat "$SOAK_OUT/answers.txt"
} >"$SOAK_OUT/report.txt"
sed 's/^/# /' "$SOAK_OUT/report.txt"

if command -v gnuplot >/dev/null; then
	gnuplot -e "out='$SOAK_OUT/soak.png'; data='$SOAK_OUT/samples.txt'" \
	    "$HERE/soak.gp" 2>"$BK/gnuplot.err"
	ok "the figures are plotted in soak.png" test -s "$SOAK_OUT/soak.png"
else
	fail "gnuplot is installed (apt gnuplot-nox; make deps)"
fi
bk_web_stop
bk_stop
# The daemons' logs stay beside the report, to trace what it counted.
gzip -c "$BK/broker.log" >"$SOAK_OUT/broker.log.gz" 2>/dev/null
gzip -c "$BK/web.log" >"$SOAK_OUT/web.log.gz" 2>/dev/null
done_testing
