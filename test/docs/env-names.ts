import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';

/** A variable name the sources read, and the first file it appears in. */
export interface ReadName { name: string; file: string }

// A whole name inside a string (`'OTEL_SDK_DISABLED'`, or in a message): not preceded or followed
// by a name character, so `ERR_OTEL_METRICS_CONFIG` and `OTEL_EXPORTER_OTLP_` prefixes are not names.
const FULL = /(?<![A-Za-z0-9_])OTEL_[A-Z0-9_]*[A-Z0-9](?![A-Za-z0-9_])/g;
const PREFIX = /^OTEL_[A-Z0-9_]*_$/;
const SUFFIX = /^[A-Z][A-Z0-9_]*[A-Z0-9]$/;
// Property reads straight off an environment object (`env.pm_id`, `process.env.KUBERNETES_SERVICE_HOST`).
const ENV_OBJECT = /^(?:process\.env|env)$/;

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) sourceFiles(p, out);
    else if (/\.m?ts$/.test(entry) && !entry.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/**
 * Every environment variable name the sources under `dirs` read, found in their syntax trees
 * (comments are not read): whole `OTEL_*` names in string and template literals; names a file
 * composes from a prefix it holds (`const P = 'OTEL_EXPORTER_INFLUXDB_'`, or a template that
 * starts with one) and the upper-case suffix literals in the same file (`P + 'TOKEN'`,
 * `${P}HOST`, `both('TIMEOUT')`); and property reads off `env` / `process.env` whose name is
 * not a method of the env reader (`env.pm_id`). `skip` leaves out files by path from `root`
 * (the variable table itself, which names them all).
 */
export function readEnvNames(root: string, dirs: readonly string[], envReaderMethods: ReadonlySet<string>, skip: ReadonlySet<string> = new Set()): ReadName[] {
  const found = new Map<string, string>();
  const add = (name: string, file: string) => { if (!found.has(name)) found.set(name, file); };
  for (const file of dirs.flatMap((d) => sourceFiles(join(root, d)))) {
    const rel = relative(root, file);
    if (skip.has(rel)) continue;
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const prefixes = new Set<string>();
    const suffixes = new Set<string>();
    const visit = (node: ts.Node): void => {
      if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
        for (const m of node.text.matchAll(FULL)) add(m[0], rel);
        if (PREFIX.test(node.text)) prefixes.add(node.text);
        else if (SUFFIX.test(node.text) && !node.text.startsWith('OTEL_')) suffixes.add(node.text);
      } else if (ts.isTemplateExpression(node)) {
        const parts = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
        for (const part of parts) for (const m of part.matchAll(FULL)) add(m[0], rel);
        if (PREFIX.test(node.head.text) || /OTEL_[A-Z0-9_]*_$/.test(node.head.text)) prefixes.add(/OTEL_[A-Z0-9_]*_$/.exec(node.head.text)![0]);
        // `${P}HOST`: the text after a substitution starts with the suffix.
        for (const span of node.templateSpans) {
          const m = /^[A-Z][A-Z0-9_]*[A-Z0-9](?![A-Za-z0-9_*[])/.exec(span.literal.text);
          if (m) suffixes.add(m[0]);
        }
      } else if (ts.isPropertyAccessExpression(node) && ENV_OBJECT.test(node.expression.getText(source))) {
        const name = node.name.text;
        if (!envReaderMethods.has(name) && !ts.isCallExpression(node.parent)) add(name, rel);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
    for (const p of prefixes) for (const s of suffixes) add(p + s, rel);
  }
  return [...found].map(([name, file]) => ({ name, file })).sort((a, b) => a.name.localeCompare(b.name));
}
