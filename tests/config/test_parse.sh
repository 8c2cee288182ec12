#!/bin/sh
# lgctl parse DRIVER TYPE [ipv4|ipv6] < FILE, end to end, and the parsed
# answers against their JSON Schema: every shipped driver parses a route
# sample of its platform to an answer the schema accepts (so do all the
# golden files of tests/unit/golden/parse), a driver without rules for a
# type says so and prints null, text the rules cannot read is a parse
# error naming its line, and a broken schema or answer is caught.
cd "$(dirname "$0")/../.." || exit 1
. tests/lib/tap.sh
LG_BUILD=${LG_BUILD:-build/san}
B=$PWD/$LG_BUILD
T=$(mktemp -d /tmp/lg-parse.XXXXXX) || exit 1
trap 'rm -rf "$T"' EXIT
SCHEMA=schema/parsed.schema.json
VALIDATE="python3 tests/lib/parse_schema.py $SCHEMA"

FX=../shared/fixtures
[ -d "$FX/parse" ] || FX=/work/shared/fixtures
[ -d "$FX/parse" ] || skip_all "no fixtures beside the checkout"

ok "the schema is a valid JSON Schema and the golden answers follow it" \
    $VALIDATE tests/unit/golden/parse/*.json

# One route sample per driver, through lgctl as an operator runs it.
while read -r drv type file; do
	"$B/lgctl" parse "drivers/$drv.conf" "$type" <"$FX/$file" \
	    >"$T/$drv.json" 2>"$T/$drv.err"
	is "lgctl parse $drv $type exits 0" "$?" 0
	ok "and its answer follows the schema" $VALIDATE "$T/$drv.json"
done <<'LIST'
frr bgp_route parse/frr/route_detail__batfish_cumulus_3communities.raw
frr bgp_community parse/frr/route_table__batfish_cumulus_vrf_all.raw
bird bgp_route parse/bird/route_detail__birdlggo_dn42_15paths_large_comm.raw
cisco-ios bgp_route parse/cisco_ios/route_detail__napalm_vpnv4_vrf_3paths.raw
cisco-ios bgp_aspath parse/cisco_ios/route_table__ntc_show_ip_bgp_ibgp_2paths.raw
cisco-iosxr bgp_route parse/cisco_xr/route_detail__genie_vpnv4_local_rr_backup.raw
cisco-nxos bgp_route parse/cisco_nxos/route_detail__ntc_vrf_all_detail_multi_asdot.raw
arista-eos bgp_community parse/arista_eos/route_table__ntc_show_ip_bgp_4paths_per_prefix.raw
juniper-junos bgp_route parse/juniper_junos/route_detail__genie_extensive_single_ebgp.raw
cisco-ios bgp_summary parse/cisco_ios/summary__napalm_show_bgp_all_summary_v4_v6.raw
juniper-junos bgp_summary parse/juniper_junos/summary__genie_show_bgp_summary_19peers.raw
bird bgp_summary parse/bird/summary__birdwatcher_bird165_protocols.raw
cisco-iosxr ping parse/cisco_xr/ping__ntc_ping_fail.raw
arista-eos ping parse/arista_eos/ping__napalm_ping_ok.raw
cisco-nxos traceroute parse/cisco_nxos/traceroute__napalm_traceroute_mpls_ecmp.raw
cisco-ios traceroute parse/cisco_ios/traceroute__ntc_traceroute_mpls_timeout_tail.raw
LIST

# Answers are compared flat: without newlines and blanks.
flat() { tr -d '\n ' ; }

out=$("$B/lgctl" parse drivers/frr.conf bgp_route ipv4 \
    <"$FX/parse/frr/route_detail__frr_docs_community_alias_large.raw")
is "a family may be named" "$?" 0
like "and the answer holds the path" "$(printf '%s' "$out" | flat)" \
    '"as_path":\[65030\]'

printf '%% Network not in table\n' >"$T/nf.txt"
out=$("$B/lgctl" parse drivers/cisco-ios.conf bgp_route <"$T/nf.txt")
is "a prefix not in the table parses" "$?" 0
like "to not_found" "$out" '"not_found": true'

out=$("$B/lgctl" parse drivers/bird.conf bgp_neighbors <"$T/nf.txt" 2>"$T/err")
is "a type without rules exits 1" "$?" 1
is "and prints null" "$out" null
like "saying so" "$(cat "$T/err")" \
    'driver bird has no parse rules for bgp_neighbors: its parsed answer is null'

printf 'BGP routing table entry for 10.0.0.0/8\nPaths: (1 available)\n  65001\n    10.0.0.1 from 10.0.0.1 (1.1.1.1)\n      Origin IGP, metric x99, valid\n      Community: 1:1\n      Origin IGP, metric 4294967296, valid\n' >"$T/bad.txt"
out=$("$B/lgctl" parse drivers/frr.conf bgp_route <"$T/bad.txt" 2>"$T/err")
is "an unreadable value exits 1" "$?" 1
like "with the error and its line on stdout" "$(printf '%s' "$out" | flat)" \
    '"error":"med:notanintegerfrom0to4294967295:.4294967296.","line":7'
like "and on stderr" "$(cat "$T/err")" 'parse error at line 7: med'
printf '%s\n' "$out" >"$T/err.json"
ok "a parse error follows the schema too" $VALIDATE "$T/err.json"

out=$("$B/lgctl" parse drivers/frr.conf nonsense <"$T/nf.txt" 2>&1)
is "an unknown type is a usage error" "$?" 2
out=$("$B/lgctl" parse drivers/frr.conf bgp_route ipv5 <"$T/nf.txt" 2>&1)
is "so is an unknown family" "$?" 2
like "named" "$out" 'family: "ipv5" is not ipv4 or ipv6'
out=$("$B/lgctl" parse "$T/none.conf" bgp_route <"$T/nf.txt" 2>&1)
is "a driver file that cannot be read exits 1" "$?" 1

# A driver by name, from the drivers directory of a configuration.
mkdir "$T/conf"
cp conf/lorgnette.conf.example "$T/conf/"
ln -s "$PWD/drivers" "$T/drivers"
out=$("$B/lgctl" -f "$T/conf/lorgnette.conf.example" parse bird bgp_route \
    <"$FX/parse/bird/route_detail__birdlggo_dn42_15paths_large_comm.raw")
is "a driver is found by name through the configuration" "$?" 0
like "and parses" "$(printf '%s' "$out" | flat)" \
    '"large_communities":\["4242421080:101:44"'
out=$("$B/lgctl" -f "$T/conf/lorgnette.conf.example" parse nosuch \
    bgp_route <"$T/nf.txt" 2>&1)
is "an unknown driver name exits 1" "$?" 1
like "naming it" "$out" 'no driver named "nosuch"'

# The other kinds, as an operator reads them.
out=$("$B/lgctl" parse drivers/cisco-iosxr.conf ping \
    <"$FX/parse/cisco_xr/ping__ntc_ping_fail.raw" | flat)
like "a ping that lost every packet: its counts and loss" "$out" \
    '"sent":5,"received":0,"loss_pct":100'
out=$("$B/lgctl" parse drivers/cisco-iosxr.conf traceroute \
    <"$FX/parse/cisco_xr/traceroute__genie_traceroute_ipv6_mpls.raw" | flat)
like "a traceroute reaches its target, MPLS labels per hop" "$out" \
    '"complete":true,"hops":\[.*"hop":2,"loss_pct":null,"mpls":\[16004,26061\]'
out=$("$B/lgctl" parse drivers/cisco-ios.conf bgp_summary \
    <"$FX/parse/cisco_ios/summary__ntc_show_ip_bgp_summary_asdot.raw" | flat)
like "a summary in asdot: local AS and neighbor AS as integers" "$out" \
    '"local_as":4259841000,.*"address":"100.127.255.1","remote_as":4259841000,"state":"established"'

# The validator catches what the schema forbids.
sed 's/"origin": "igp"/"origin": "IGP"/' "$T/frr.json" >"$T/broken.json"
nok "an answer outside the schema is refused" $VALIDATE "$T/broken.json"

done_testing
