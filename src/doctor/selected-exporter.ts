import type { ExporterPlugin } from '../../exporters/plugin';

/** One variable the configuration code read, and its value (undefined when unset or blank). */
export interface EnvRead {
  name: string;
  value: string | undefined;
}

/** A selected exporter with the configuration its own `readConfig` produced. */
export interface SelectedExporter {
  name: string;
  role: 'primary' | 'fallback';
  plugin?: ExporterPlugin;
  config?: unknown;
  /** The variables its `readConfig` read, in order. */
  reads: EnvRead[];
}
