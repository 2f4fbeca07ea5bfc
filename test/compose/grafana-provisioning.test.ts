import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadDashboards, panelQueries, parseYaml } from '../helpers/grafana-dashboards';
import { havePeer } from '../helpers/peers';
import { ROOT } from '../helpers/spawn-app';

// Grafana cannot run here (no Docker, not in Debian): these check, with a real YAML parser, the
// fields Grafana reads when it provisions the data sources and dashboards at startup.
interface Datasources { apiVersion: number; datasources: Array<{ name: string; uid: string; type: string; url: string }> }
interface Compose { services: Record<string, { volumes: string[]; environment: Record<string, string> }> }
interface Providers { apiVersion: number; providers: Array<{ name: string; type: string; options: { path: string } }> }

const haveYaml = (t: Parameters<typeof havePeer>[0]) => havePeer(t, '/usr/bin/python3', ['-c', 'import yaml']);
const provisioned = (): Datasources => parseYaml(join(ROOT, 'compose/grafana/provisioning/datasources/datasources.yaml')) as Datasources;

describe('Grafana provisioning in compose/grafana', () => {
  it('the data sources parse and have fixed uids the dashboards can name', (t) => {
    if (!haveYaml(t)) return;
    const ds = provisioned();
    assert.equal(ds.apiVersion, 1);
    assert.deepEqual(ds.datasources.map((d) => [d.uid, d.type]), [['prometheus', 'prometheus'], ['influxdb', 'influxdb']]);
  });

  it('the dashboard provider reads the folder docker-compose.yml mounts the dashboards into', (t) => {
    if (!haveYaml(t)) return;
    const p = parseYaml(join(ROOT, 'compose/grafana/provisioning/dashboards/dashboards.yaml')) as Providers;
    assert.equal(p.apiVersion, 1);
    assert.equal(p.providers.length, 1);
    assert.equal(p.providers[0]!.type, 'file');
    const grafana = (parseYaml(join(ROOT, 'docker-compose.yml')) as Compose).services.grafana!;
    assert.ok(grafana.volumes.includes(`./compose/grafana/dashboards:${p.providers[0]!.options.path}:ro`), grafana.volumes.join(' '));
    assert.ok(grafana.volumes.includes('./compose/grafana/provisioning:/etc/grafana/provisioning:ro'));
    assert.equal(grafana.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH, `${p.providers[0]!.options.path}/service-overview.json`);
  });

  it('every YAML file of the compose setup parses', (t) => {
    if (!haveYaml(t)) return;
    const files = ['docker-compose.yml', 'compose/prometheus.yml', 'compose/otel-collector.yaml', 'compose/grafana/provisioning/datasources/datasources.yaml', 'compose/grafana/provisioning/dashboards/dashboards.yaml'];
    for (const file of files) assert.equal(typeof parseYaml(join(ROOT, file)), 'object', file);
  });

  it('each dashboard has what Grafana needs: uid, title, panels with targets, known data sources', (t) => {
    if (!haveYaml(t)) return;
    const uids = new Map(provisioned().datasources.map((d) => [d.uid, d.type]));
    const dashboards = loadDashboards();
    assert.deepEqual([...dashboards.keys()], ['host.json', 'pipeline-health.json', 'service-overview.json']);
    const seen = new Set<string>();
    for (const [file, d] of dashboards) {
      assert.match(d.uid, /^[a-zA-Z0-9_-]{1,40}$/, `${file}: uid`); // Grafana's uid limit is 40 characters
      assert.ok(!seen.has(d.uid), `${file}: uid ${d.uid} is used twice`);
      seen.add(d.uid);
      assert.ok(d.title, `${file}: title`);
      const vars = d.templating.list.map((v) => v.name);
      assert.deepEqual(vars, ['service_name', 'instance'], `${file}: variables`);
      for (const v of d.templating.list) assert.equal(uids.get(v.datasource.uid), 'prometheus', `${file}: variable ${v.name}`);
      assert.ok(d.panels.length > 0, `${file}: panels`);
      const ids = new Set<number>();
      for (const p of d.panels) {
        const where = `${file}: panel "${p.title}"`;
        assert.ok(Number.isInteger(p.id) && !ids.has(p.id), `${where}: id`);
        ids.add(p.id);
        assert.equal(p.type, 'timeseries', where);
        assert.ok(p.gridPos.w > 0 && p.gridPos.h > 0 && p.gridPos.x + p.gridPos.w <= 24, `${where}: gridPos`);
        assert.equal(uids.get(p.datasource.uid), p.datasource.type, `${where}: data source ${p.datasource.uid}`);
        assert.ok(p.targets.length > 0, `${where}: targets`);
        for (const target of p.targets) {
          assert.deepEqual(target.datasource, p.datasource, `${where} ${target.refId}: data source`);
          if (target.datasource.type === 'prometheus') assert.ok(target.expr && target.expr.length > 0, `${where} ${target.refId}: expr`);
          else assert.ok(target.rawQuery === true && target.query && /\$timeFilter/.test(target.query), `${where} ${target.refId}: raw InfluxQL with $timeFilter`);
        }
      }
    }
  });

  it('every conditional panel says so in its description and in docs/compose.md', () => {
    const readme = readFileSync(join(ROOT, 'docs', 'compose.md'), 'utf8');
    const conditional = panelQueries(loadDashboards(), 'prometheus').filter((q) => q.conditional);
    assert.ok(conditional.length > 0);
    for (const q of conditional) assert.ok(readme.includes(`*${q.panel.title}*`), `docs/compose.md names conditional panel "${q.panel.title}"`);
  });
});
