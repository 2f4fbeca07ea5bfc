import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './spawn-app';

/** The folder the compose file's Grafana loads dashboards from. */
export const DASHBOARD_DIR = join(ROOT, 'compose/grafana/dashboards');

/** The fields of a Grafana dashboard JSON the tests read. */
export interface Dashboard {
  uid: string;
  title: string;
  templating: { list: Array<{ name: string; type: string; query: string; datasource: { uid: string }; includeAll?: boolean; allValue?: string }> };
  panels: Panel[];
}

/** One panel; `targets[].expr` is PromQL, `targets[].query` InfluxQL. */
export interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource: { type: string; uid: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets: Array<{ refId: string; datasource: { type: string; uid: string }; expr?: string; query?: string; rawQuery?: boolean }>;
}

/** One query of one panel, for messages. */
export interface PanelQuery {
  dashboard: string;
  panel: Panel;
  refId: string;
  text: string;
  /** The panel documents itself as showing data only under a condition ("Conditional:" in its description). */
  conditional: boolean;
}

/** Every dashboard JSON file, by file name. */
export function loadDashboards(): Map<string, Dashboard> {
  const out = new Map<string, Dashboard>();
  for (const file of readdirSync(DASHBOARD_DIR).filter((f) => f.endsWith('.json')).sort()) {
    out.set(file, JSON.parse(readFileSync(join(DASHBOARD_DIR, file), 'utf8')) as Dashboard);
  }
  return out;
}

/** The PromQL (`kind` prometheus) or InfluxQL (`kind` influxdb) queries of every panel. */
export function panelQueries(dashboards: Map<string, Dashboard>, kind: 'prometheus' | 'influxdb'): PanelQuery[] {
  const out: PanelQuery[] = [];
  for (const d of dashboards.values()) {
    for (const panel of d.panels) {
      for (const t of panel.targets ?? []) {
        if (t.datasource.type !== kind) continue;
        const text = kind === 'prometheus' ? t.expr : t.query;
        out.push({ dashboard: d.title, panel, refId: t.refId, text: text ?? '', conditional: /\bConditional:/.test(panel.description ?? '') });
      }
    }
  }
  return out;
}

/** Replaces `$name` (and `${name}`) with `values[name]`, longest names first. */
export function substitute(text: string, values: Record<string, string>): string {
  let out = text;
  for (const name of Object.keys(values).sort((a, b) => b.length - a.length)) {
    out = out.split(`\${${name}}`).join(values[name]!).split(`$${name}`).join(values[name]!);
  }
  return out;
}

/** Escapes regular-expression characters, as Grafana does for a variable in a regex matcher. */
export function regexEscape(value: string): string {
  return value.replace(/[\\^$*+?.()|[\]{}]/g, '\\$&');
}

/** Parses a YAML file with a real YAML parser (Debian's python3-yaml) into plain JSON values. */
export function parseYaml(path: string): unknown {
  const json = execFileSync('/usr/bin/python3', ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', path], { encoding: 'utf8' });
  return JSON.parse(json);
}
