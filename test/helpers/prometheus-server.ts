import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port';

/**
 * A real Prometheus server on 127.0.0.1 scraping `target` (one or more) every second. Its TSDB lives in a
 * temp dir of its own, removed once it has exited, so every server starts empty. `job` holds extra YAML
 * for the scrape job (scheme, basic_auth, authorization, tls_config), indented by 4 spaces.
 */
export class PrometheusServer {
  private constructor(private readonly child: ChildProcess, readonly url: string, private readonly dir: string) {}

  static async start(target: string | string[], job = ''): Promise<PrometheusServer> {
    const dir = mkdtempSync(join(tmpdir(), 'omp-prom-'));
    const config = join(dir, 'prometheus.yml');
    writeFileSync(config, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: app\n${job}    static_configs:\n      - targets: [${[target].flat().map((t) => `"${t}"`).join(', ')}]\n`);
    const port = await freePort();
    const child = spawn('prometheus', [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ], { stdio: 'ignore' });
    const server = new PrometheusServer(child, `http://127.0.0.1:${port}`, dir);
    for (let i = 0; i < 100; i++) {
      if (await fetch(`${server.url}/-/ready`).then((r) => r.ok, () => false)) return server;
      await sleep(100);
    }
    void server.stop();
    throw new Error('prometheus did not become ready');
  }

  /** Runs an instant query and returns its vector result. */
  async query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await res.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
    if (body.status !== 'success') throw new Error(`query failed: ${JSON.stringify(body)}`);
    return body.data.result;
  }

  /** The scrape target's health as Prometheus sees it. */
  async targetHealth(): Promise<string | undefined> {
    const res = await fetch(`${this.url}/api/v1/targets`);
    const body = (await res.json()) as { data: { activeTargets: Array<{ health: string; lastError: string }> } };
    const t = body.data.activeTargets[0];
    return t && (t.lastError ? `${t.health}: ${t.lastError}` : t.health);
  }

  /** Kills it; its directory (config, TSDB) is removed once it has exited (await for that). */
  stop(): Promise<void> {
    return stopAndRemove(this.child, this.dir);
  }
}

/** SIGKILL `child`, then remove `dir` once it is gone (a dying server may still hold files open). */
export function stopAndRemove(child: ChildProcess, dir: string): Promise<void> {
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (child.exitCode !== null || child.signalCode !== null) {
    remove();
    return Promise.resolve();
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => { remove(); resolve(); }));
  child.kill('SIGKILL');
  return exited;
}
