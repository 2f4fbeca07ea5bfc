// A preloaded cluster app (test/fixtures/cluster-app.ts) serving Prometheus from its primary.
import { freePort } from './free-port';
import { fixture, startApp, type RunningApp } from './spawn-app';

// The workers first: a busy one would not notice its primary going away.
export async function stopCluster(app: RunningApp): Promise<void> {
  for (const m of app.stdout().matchAll(/^worker \d+ pid (\d+)$/gm)) {
    try { process.kill(Number(m[1]), 'SIGKILL'); } catch { /* already gone */ }
  }
  app.child.kill('SIGKILL');
  await app.exited;
}

export async function startCluster(env: Record<string, string>): Promise<{ app: RunningApp; appPort: number; metricsPort: number }> {
  const appPort = await freePort();
  const metricsPort = await freePort();
  const app = startApp(fixture('cluster-app.js'), {
    OTEL_METRICS_EXPORTER: 'prometheus', OTEL_EXPORTER_PROMETHEUS_HOST: '127.0.0.1', OTEL_EXPORTER_PROMETHEUS_PORT: String(metricsPort),
    APP_PORT: String(appPort), ...env,
  });
  await app.waitForOutput(/^ready$/m);
  return { app, appPort, metricsPort };
}
