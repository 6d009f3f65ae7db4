#!/bin/sh
# The sample "binary": a tiny calculator. Usage: calc.sh add|mul|div A B
case "$1" in
  add) echo $(($2 + $3)) ;;
  mul) echo $(($2 * $3)) ;;
  div) echo $(($2 / $3)) ;;
  upper) echo "$2" | tr '[:lower:]' '[:upper:]' ;;
  *) echo "usage: calc.sh add|mul|div|upper ..." >&2; exit 2 ;;
esac
