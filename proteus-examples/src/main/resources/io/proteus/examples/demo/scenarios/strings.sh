#!/bin/sh
# Reports TAP to $PROTEUS_RESULTS/strings.tap; reads metadata from the environment.
out="$PROTEUS_RESULTS/strings.tap"
echo "1..2" > "$out"
if [ "$("$PROTEUS_BINARY" upper "$PROTEUS_META_GREETING")" = "HELLO" ]; then
  echo "ok 1 - upper" >> "$out"
else
  echo "not ok 1 - upper" >> "$out"
fi
if [ -s "$PROTEUS_METADATA" ]; then echo "ok 2 - length" >> "$out"; else echo "not ok 2 - length" >> "$out"; fi
