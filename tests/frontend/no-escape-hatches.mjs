// Fails when a TypeScript file steps around its types: a type assertion
// (`x as T`, `<T>x`, `as const` included), a non-null assertion (`x!`), the
// `any` type, or a @ts-ignore / @ts-expect-error / @ts-nocheck comment.
// Usage: node no-escape-hatches.mjs app.ts [more.ts ...]
// Complements the plain grep in scripts/check-contract.sh: it reads the syntax
// tree, so it also catches a line-broken `as` and ignores words in strings.
import { readFileSync } from "node:fs";
import ts from "typescript";

let found = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const report = (pos, what) => {
    const { line, character } = source.getLineAndCharacterOfPosition(pos);
    console.error(`${file}:${line + 1}:${character + 1}: ${what}`);
    found += 1;
  };
  const visit = (node) => {
    if (ts.isAsExpression(node)) report(node.getStart(source), "type assertion (`as`)");
    else if (ts.isTypeAssertionExpression(node)) report(node.getStart(source), "type assertion (`<T>x`)");
    else if (ts.isNonNullExpression(node)) report(node.getStart(source), "non-null assertion (`!`)");
    else if (node.kind === ts.SyntaxKind.AnyKeyword) report(node.getStart(source), "the `any` type");
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const match of text.matchAll(/@ts-(ignore|expect-error|nocheck)/g)) {
    report(match.index, `@ts-${match[1]} comment`);
  }
}
if (found > 0) {
  console.error(`${found} escape hatch(es) found`);
  process.exit(1);
}
