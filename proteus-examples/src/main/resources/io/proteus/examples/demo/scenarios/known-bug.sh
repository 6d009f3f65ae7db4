#!/bin/sh
# A test that fails on purpose: integer division rounds down. Reports JUnit XML.
got=$("$PROTEUS_BINARY" div 7 2)
cat > "$PROTEUS_RESULTS/known-bug.xml" <<XML
<testsuite name="known-bug"><testcase name="rounding"><failure message="7/2 gave $got, expected 3.5"/></testcase></testsuite>
XML
echo "7/2 = $got" >&2
exit 1
