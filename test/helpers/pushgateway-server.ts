import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port';
import { stopAndRemove } from './prometheus-server';

/**
 * A real Prometheus Pushgateway (Debian `prometheus-pushgateway`) on 127.0.0.1. `webConfig` is
 * an exporter-toolkit web config (basic_auth_users, tls_server_config) in YAML. It persists to a
 * file in its own temp dir (Debian's default, /var/lib/prometheus/pushgateway.data, would hand a
 * new gateway the groups an earlier run pushed), which `stop()` removes: every gateway starts empty.
 */
export class PushgatewayServer {
  private constructor(private readonly child: ChildProcess, readonly url: string, private readonly dir: string, private readonly authorization?: string, private readonly ca?: Buffer) {}

  static async start(options: { webConfig?: string; tls?: boolean; authorization?: string; ca?: Buffer } = {}): Promise<PushgatewayServer> {
    const dir = mkdtempSync(join(tmpdir(), 'omp-pushgw-'));
    const port = await freePort();
    const args = [`--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', `--persistence.file=${join(dir, 'pushgateway.data')}`];
    if (options.webConfig) {
      writeFileSync(join(dir, 'web.yml'), options.webConfig);
      args.push(`--web.config.file=${join(dir, 'web.yml')}`);
    }
    const child = spawn('prometheus-pushgateway', args, { stdio: 'ignore' });
    const server = new PushgatewayServer(child, `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`, dir, options.authorization, options.ca);
    for (let i = 0; i < 100; i++) {
      if (await server.get('/-/ready').then((r) => r.status === 200, () => false)) return server;
      await sleep(100);
    }
    void server.stop();
    throw new Error('pushgateway did not become ready');
  }

  /** GET `path` with the configured credentials and CA. */
  get(path: string): Promise<{ status: number; body: string }> {
    const mod = this.url.startsWith('https') ? require('node:https') : require('node:http');
    return new Promise((resolve, reject) => {
      const req = mod.get(`${this.url}${path}`, { headers: this.authorization ? { authorization: this.authorization } : {}, ca: this.ca }, (res: import('node:http').IncomingMessage) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => { body += d; });
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
    });
  }

  /** The Pushgateway's own exposition of everything pushed to it. */
  async metrics(): Promise<string> {
    return (await this.get('/metrics')).body;
  }

  /** The groups it holds, from its API (`/api/v1/metrics`). */
  async groups(): Promise<Array<Record<string, string>>> {
    const { body } = await this.get('/api/v1/metrics');
    return ((JSON.parse(body) as { data?: Array<{ labels: Record<string, string> }> }).data ?? []).map((g) => g.labels);
  }

  /**
   * The groups once `settled` holds for them, or the last ones read after `withinMillis`: the
   * gateway applies pushes and deletes to its store asynchronously, after it answered them.
   */
  async groupsWhen(settled: (groups: Array<Record<string, string>>) => boolean, withinMillis = 5000): Promise<Array<Record<string, string>>> {
    const deadline = Date.now() + withinMillis;
    for (;;) {
      const groups = await this.groups();
      if (settled(groups) || Date.now() >= deadline) return groups;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Kills it; its directory (persistence file, web config) is removed once it has exited (await for that). */
  stop(): Promise<void> {
    return stopAndRemove(this.child, this.dir);
  }
}
