#!/bin/sh
# Runs inside the demo's container and reports what the sandbox allows, as JSON lines.
out="$PROTEUS_RESULTS/sandbox.jsonl"
report() { echo "{\"name\":\"$1\",\"status\":\"$2\"}" >> "$out"; }
if [ "$(ls /sys/class/net)" = "lo" ]; then report no-network passed; else report no-network failed; fi
if touch /etc/probe 2>/dev/null; then report read-only-root failed; else report read-only-root passed; fi
if grep -q 'CapEff:.0000000000000000' /proc/self/status; then report no-capabilities passed; else report no-capabilities failed; fi
