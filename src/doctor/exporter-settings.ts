import type { OtlpConfig } from '../../exporters/otlp/otlp-config';
import type { OtlpOptions } from '../../exporters/otlp/otlp-options';
import type { PrometheusConfig, PrometheusOptions } from '../../exporters/prometheus/prometheus-config';
import type { Setting } from './doctor-report';
import type { EnvRead, SelectedExporter } from './read-config';
import { redact } from '../../core/redact';
import { settingSource } from './setting-source';

const both = (suffix: string): string[] => [`OTEL_EXPORTER_OTLP_METRICS_${suffix}`, `OTEL_EXPORTER_OTLP_${suffix}`];

/** One exporter's own settings with their sources; an exporter the doctor does not know shows the variables it read. */
export function exporterSettings(e: SelectedExporter, options: unknown, problems: readonly string[]): Setting[] {
  const o = (options ?? {}) as Record<string, unknown>;
  const row = (key: string, value: string, vars: string[], code: unknown, merged = false): Setting => ({
    name: `${e.name}.${key}`, value, ...settingSource(e.reads, vars, problems, code !== undefined, merged),
  });
  if (e.config === undefined) return e.reads.filter((r) => r.value !== undefined).map((r) => ({ name: `${e.name}.${r.name}`, value: shown(r), source: r.name, sourceKind: 'env' }));
  if (e.name === 'otlp') {
    const c = e.config as OtlpConfig;
    const oo = o as OtlpOptions;
    const file = (suffix: string, code: string | undefined, loaded: Buffer | undefined, none: string): string => {
      const path = code ?? e.reads.find((r) => both(suffix).includes(r.name) && r.value !== undefined)?.value;
      if (path === undefined) return none;
      return loaded ? path : `${path} (not used: see the problems)`;
    };
    const endpoint = row('endpoint', redact.url(c.url), both('ENDPOINT'), oo.endpoint);
    if (endpoint.source === 'OTEL_EXPORTER_OTLP_ENDPOINT' && c.protocol !== 'grpc') endpoint.note ??= '/v1/metrics appended to the generic variable';
    const raw = oo.endpoint ?? e.reads.find((r) => both('ENDPOINT').includes(r.name) && r.value !== undefined)?.value;
    if (c.protocol === 'grpc' && raw !== undefined && !/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
      endpoint.note ??= c.url.startsWith('https:') ? 'no scheme given: TLS is used because OTEL_EXPORTER_OTLP_INSECURE is not true' : 'no scheme given: plaintext because OTEL_EXPORTER_OTLP_INSECURE=true';
    }
    const rows = [
      row('protocol', c.protocol, both('PROTOCOL'), oo.protocol),
      endpoint,
      row('headers', redact.headers(c.headers), ['OTEL_EXPORTER_OTLP_METRICS_HEADERS', 'OTEL_EXPORTER_OTLP_HEADERS'], oo.headers, true),
      row('timeoutMillis', `${c.timeoutMillis} ms`, both('TIMEOUT'), oo.timeoutMillis),
      row('compression', c.compression, both('COMPRESSION'), oo.compression),
      row('certificate', file('CERTIFICATE', oo.certificateFile, c.ca, 'the system trusted CAs'), both('CERTIFICATE'), oo.certificateFile),
      row('clientKey', file('CLIENT_KEY', oo.clientKeyFile, c.key, 'none'), both('CLIENT_KEY'), oo.clientKeyFile),
      row('clientCertificate', file('CLIENT_CERTIFICATE', oo.clientCertificateFile, c.cert, 'none'), both('CLIENT_CERTIFICATE'), oo.clientCertificateFile),
    ];
    if (c.protocol === 'grpc') rows.push(row('insecure', String(c.url.startsWith('http:')), both('INSECURE'), oo.insecure));
    // Env only (code passes an upstream instance instead); what the plug-in read, after a missing package fell back.
    const implementation = (c as OtlpConfig & { implementation?: string }).implementation;
    if (implementation !== undefined) rows.push(row('implementation', implementation, ['OTEL_EXPORTER_OTLP_METRICS_IMPLEMENTATION'], undefined));
    return [...rows, ...selectors(c, oo, row)];
  }
  if (e.name === 'otlp/stdout') return selectors(e.config as OtlpConfig, o as OtlpOptions, row);
  if (e.name === 'prometheus') {
    const c = e.config as PrometheusConfig;
    const po = o as PrometheusOptions;
    return [row('host', c.host, ['OTEL_EXPORTER_PROMETHEUS_HOST'], po.host), row('port', String(c.port), ['OTEL_EXPORTER_PROMETHEUS_PORT'], po.port)];
  }
  return e.reads.filter((r) => r.value !== undefined).map((r) => ({ name: `${e.name}.${r.name}`, value: shown(r), source: r.name, sourceKind: 'env' }));
}

type Row = (key: string, value: string, vars: string[], code: unknown) => Setting;

function selectors(c: Pick<OtlpConfig, 'temporalityPreference' | 'histogramAggregation'>, o: OtlpOptions, row: Row): Setting[] {
  return [
    row('temporalityPreference', c.temporalityPreference, ['OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE'], o.temporalityPreference),
    row('histogramAggregation', c.histogramAggregation, ['OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION'], o.histogramAggregation),
  ];
}

// A plug-in the doctor does not know: secret-named variables are hidden, URLs lose their userinfo.
function shown(r: EnvRead): string {
  if (r.value === undefined) return 'unset';
  return redact.isSecretVariable(r.name) ? redact.mask : redact.url(r.value);
}
