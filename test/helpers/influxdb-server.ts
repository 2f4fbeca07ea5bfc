import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port';

/** Options for {@link InfluxServer.start}. */
export interface InfluxServerOptions {
  /** Turns on `[http] auth-enabled` and creates this admin user. */
  admin?: { username: string; password: string };
  /** `[http] max-body-size` in bytes (InfluxDB answers 413 above it); default 25 MB. */
  maxBodySize?: number;
  /** Databases to create once it is up. */
  databases?: string[];
}

/** One series of an InfluxQL answer. */
export interface InfluxSeries {
  name: string;
  tags?: Record<string, string>;
  columns: string[];
  values: unknown[][];
}

/**
 * A real InfluxDB 1.x (`influxd` from the Debian package `influxdb`) on 127.0.0.1, with every
 * path of its configuration under one temp dir that `stop()` removes.
 */
export class InfluxServer {
  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    /** `http://127.0.0.1:<port>` */
    readonly url: string,
    private readonly auth?: { username: string; password: string },
    private readonly log: () => string = () => '',
  ) {}

  static async start(options: InfluxServerOptions = {}): Promise<InfluxServer> {
    const dir = mkdtempSync(join(tmpdir(), 'omp-influx-'));
    const [httpPort, rpcPort] = [await freePort(), await freePort()];
    const config = join(dir, 'influxdb.conf');
    writeFileSync(config, [
      'reporting-disabled = true',
      `bind-address = "127.0.0.1:${rpcPort}"`,
      '[meta]', `  dir = "${join(dir, 'meta')}"`, '  logging-enabled = false',
      '[data]', `  dir = "${join(dir, 'data')}"`, `  wal-dir = "${join(dir, 'wal')}"`, '  query-log-enabled = false',
      '[retention]', '  enabled = false',
      '[shard-precreation]', '  enabled = false',
      '[monitor]', '  store-enabled = false',
      '[subscriber]', '  enabled = false',
      '[continuous_queries]', '  enabled = false',
      '[http]', `  bind-address = "127.0.0.1:${httpPort}"`,
      `  auth-enabled = ${options.admin ? 'true' : 'false'}`,
      '  log-enabled = false', '  pprof-enabled = false',
      `  bind-socket = "${join(dir, 'influxdb.sock')}"`,
      `  https-certificate = "${join(dir, 'unused.pem')}"`,
      `  max-body-size = ${options.maxBodySize ?? 25_000_000}`,
      '[logging]', '  level = "error"', '  suppress-logo = true',
      '',
    ].join('\n'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('INFLUXDB_')));
    const child = spawn('influxd', ['run', '-config', config], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d).slice(-4000); });
    const server = new InfluxServer(child, dir, `http://127.0.0.1:${httpPort}`, options.admin, () => stderr);
    try {
      await server.waitReady();
      if (options.admin) {
        // The first admin may be created without credentials; everything after needs them.
        await server.query(`CREATE USER "${options.admin.username}" WITH PASSWORD '${options.admin.password}' WITH ALL PRIVILEGES`, undefined, false);
      }
      for (const db of options.databases ?? []) await server.query(`CREATE DATABASE "${db}"`);
      return server;
    } catch (err) {
      await server.stop();
      throw err;
    }
  }

  private async waitReady(): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if (this.child.exitCode !== null) break;
      if (await fetch(`${this.url}/ping`).then((r) => r.status === 204, () => false)) return;
      await sleep(50);
    }
    throw new Error(`influxd did not become ready: ${this.log()}`);
  }

  /** Runs InfluxQL (POST /query) and returns the first statement's series; throws on an error answer. */
  async query(q: string, db?: string, withAuth = true, epoch?: string): Promise<InfluxSeries[]> {
    const params = new URLSearchParams({ q });
    if (db) params.set('db', db);
    if (epoch) params.set('epoch', epoch);
    const headers: Record<string, string> = {};
    if (withAuth && this.auth) headers.authorization = `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`;
    const res = await fetch(`${this.url}/query`, { method: 'POST', headers, body: params });
    const body = (await res.json()) as { error?: string; results?: Array<{ error?: string; series?: InfluxSeries[] }> };
    const err = body.error ?? body.results?.[0]?.error;
    if (err) throw new Error(`InfluxQL ${q}: ${err}`);
    return body.results?.[0]?.series ?? [];
  }

  /** Rows of `series` as objects keyed by column, tags merged in. */
  static rows(series: InfluxSeries[]): Array<Record<string, unknown>> {
    return series.flatMap((s) => s.values.map((v) => ({ ...s.tags, ...Object.fromEntries(s.columns.map((c, i) => [c, v[i]])) })));
  }

  /** Stops influxd and removes its directory. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((r) => this.child.once('exit', r));
      this.child.kill('SIGKILL');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
