// Summarizes a linter's JSON report, grouped by rule: a count and the first
// three locations of each. Exits 1 when there is an error or a warning.
// Usage: node lint-report.mjs redocly|spectral report.json
import { readFileSync } from "node:fs";

const [tool, file] = process.argv.slice(2);
const report = JSON.parse(readFileSync(file, "utf8"));

// Each problem as { rule, severity: "error" | "warning" | "info" | "hint", where }.
let problems;
if (tool === "redocly") {
  const severity = { error: "error", warn: "warning" };
  problems = report.problems.map((p) => {
    const at = p.location?.[0];
    return {
      rule: p.ruleId,
      severity: severity[p.severity] ?? p.severity,
      where: at ? `${decodeURIComponent(at.pointer ?? "")} (line ${at.start?.line ?? "?"})` : "",
      message: p.message,
    };
  });
} else if (tool === "spectral") {
  const severity = ["error", "warning", "info", "hint"];
  problems = report.map((p) => ({
    rule: p.code,
    severity: severity[p.severity] ?? String(p.severity),
    where: `${p.path.join(".")} (line ${p.range.start.line + 1})`,
    message: p.message,
  }));
} else {
  console.error(`unknown tool ${tool}`);
  process.exit(2);
}

const groups = new Map();
for (const p of problems) {
  const key = `${p.severity} ${p.rule}`;
  const group = groups.get(key) ?? { ...p, count: 0, examples: [] };
  group.count += 1;
  if (group.examples.length < 3) group.examples.push(p.where);
  groups.set(key, group);
}
const sorted = [...groups.values()].sort((a, b) => b.count - a.count);
for (const g of sorted) {
  console.log(`    ${g.severity} ${g.rule} x${g.count}: ${g.message}`);
  for (const where of g.examples) console.log(`        at ${where}`);
  if (g.count > g.examples.length) console.log(`        … and ${g.count - g.examples.length} more`);
}
const failing = problems.filter((p) => p.severity === "error" || p.severity === "warning").length;
const count = (s) => problems.filter((p) => p.severity === s).length;
console.log(
  `    ${tool}: ${count("error")} errors, ${count("warning")} warnings, ${count("info")} infos, ${count("hint")} hints`,
);
process.exit(failing > 0 ? 1 : 0);
