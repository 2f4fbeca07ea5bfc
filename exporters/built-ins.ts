import { consolePlugin } from './console/console-plugin';
import { influxPlugin } from './influx/influx-plugin';
import { otlpPlugin } from './otlp/otlp-plugin';
import { otlpStdoutPlugin } from './otlp/otlp-stdout-plugin';
import type { ExporterPlugin } from './plugin';
import { prometheusPlugin } from './prometheus/prometheus-plugin';
import { pushgatewayPlugin } from './prometheus/pushgateway-plugin';

/** The exporters that ship with the pipeline, in the order `exporterNames()` lists them. */
export const BUILT_IN_EXPORTERS: readonly ExporterPlugin<any>[] = [otlpPlugin, prometheusPlugin, consolePlugin, otlpStdoutPlugin, pushgatewayPlugin, influxPlugin];
