import type { Check, DoctorReport } from './doctor-report';

const MARK: Record<Check['status'], string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

/** The report for people: configuration, problems, destinations, spool, verdict. */
export function formatText(r: DoctorReport): string {
  const out: string[] = ['otel-metrics-pipeline doctor', '', 'Configuration (value, then where it came from):'];
  const width = Math.max(...r.settings.map((s) => s.name.length), 10);
  for (const s of r.settings) out.push(`  ${s.name.padEnd(width)}  ${s.value}  [${s.source}]${s.note ? `  (${s.note})` : ''}`);
  out.push('', r.problems.length ? 'Problems (the preload prints these lines):' : 'Problems: none');
  for (const p of r.problems) out.push(`  ${p}`);
  for (const n of r.notes) out.push('', `Note: ${n}`);
  out.push('', r.destinations.length ? 'Destinations:' : 'Destinations: none');
  for (const d of r.destinations) {
    out.push(`  ${d.name}${d.role === 'fallback' ? ' (fallback)' : ''}${d.target ? ` → ${d.target}` : ''}: ${d.status.toUpperCase()}`);
    for (const c of d.checks) out.push(line(c));
  }
  if (r.spool) {
    out.push('', `Spool ${r.spool.directory}: ${r.spool.status.toUpperCase()}`);
    for (const c of r.spool.checks) out.push(line(c));
  }
  if (r.health) {
    out.push('', `Health endpoint ${r.health.target}: ${r.health.status.toUpperCase()}`);
    for (const c of r.health.checks) out.push(line(c));
  }
  out.push('', verdict(r), '');
  return out.join('\n');
}

function line(c: Check): string {
  return `    ${MARK[c.status]}  ${c.name.padEnd(8)}  ${c.detail}${c.millis !== undefined ? ` (${c.millis} ms)` : ''}`;
}

function verdict(r: DoctorReport): string {
  if (r.exitCode === 2) return `Result: the configuration has problems (exit 2).`;
  if (r.exitCode === 1) return `Result: a destination or the spool fails; metrics will not all arrive (exit 1).`;
  return `Result: metrics will arrive${r.sent ? '' : ' as far as checked without sending (--no-send)'} (exit 0).`;
}
