// Drives the calculator and reports each case as a JSON line in $PROTEUS_RESULTS.
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const calc = (...args) => execFileSync(process.env.PROTEUS_BINARY, args).toString().trim();
const out = path.join(process.env.PROTEUS_RESULTS, "math.jsonl");
const report = (name, ok, message) =>
  fs.appendFileSync(out, JSON.stringify({ name, status: ok ? "passed" : "failed", message }) + "\n");

report("adds", calc("add", "2", "3") === "5");
report("multiplies", calc("mul", "4", "5") === "20");
report("divides", calc("div", "9", "3") === "3");
console.log("math scenario done on", process.env.PROTEUS_PLATFORM);
