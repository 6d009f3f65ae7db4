#!/bin/sh
# Hangs until the engine kills it at the test's timeout (and its child sleep with it).
echo "hanging..."
sleep 600
