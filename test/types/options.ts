// Type fixture (compiled by test/types.test.ts with TypeScript 5.9 and 7, not built): each
// `@ts-expect-error` line must fail to compile, every other line must compile.
import { startMetrics, type MetricsOptions } from '../../src/index';

startMetrics({ exporters: ['otlp', 'prometheus', 'console', 'otlp/stdout', 'prometheus/pushgateway', 'influxdb', 'none'] });
startMetrics({ exporterOptions: { influxdb: { api: 'v3', database: 'db' }, otlp: { protocol: 'grpc' }, prometheus: { port: 9464, tls: { certFile: 'c.pem' } } } });
startMetrics({ instrumentations: ['system', 'http', 'all'], instrumentationOptions: { http: { bodySizes: true } } });
startMetrics({ fallbackExporter: 'console', otlp: { endpoint: 'http://x' }, prometheus: { port: 1 } });

// @ts-expect-error misspelt built-in exporter name
startMetrics({ exporters: ['promethus'] });
// @ts-expect-error misspelt fallback exporter name
startMetrics({ fallbackExporter: 'consol' });
// @ts-expect-error InfluxDB api is v1, v2 or v3
startMetrics({ exporterOptions: { influxdb: { api: 'v9' } } });
// @ts-expect-error misspelt exporterOptions key
startMetrics({ exporterOptions: { influxdbb: {} } });
// @ts-expect-error misspelt instrumentation option key
startMetrics({ instrumentationOptions: { http: { bodySize: false } } });
// @ts-expect-error misspelt instrumentation name
startMetrics({ instrumentations: ['sytem'] });
// @ts-expect-error OTLP protocol is a closed union
const bad: MetricsOptions = { exporterOptions: { otlp: { protocol: 'http' } } };
void bad;
