import type { ViewOptions } from '@opentelemetry/sdk-metrics';
import type { DirectInstrument } from './direct-source';

/** The scope of a meter, as a view's meter criteria read it. */
export interface MeterIdentity {
  name: string;
  version: string;
  schemaUrl?: string;
}

/**
 * Whether any of `views` could select `instrument` on `meter`, by the SDK's rules (ViewRegistry:
 * name with `*` wildcards, exact type, unit, meter name, version and schema URL). It errs towards
 * yes (every `*`, `?` as one character as the views file promises, names case-insensitive): a
 * wrong yes only keeps the SDK path.
 */
export function viewCouldSelect(views: readonly ViewOptions[], instrument: DirectInstrument, meter: MeterIdentity): boolean {
  return views.some((v) => {
    if (v.instrumentType !== undefined && v.instrumentType !== instrument.type) return false;
    if (v.instrumentUnit !== undefined && v.instrumentUnit !== instrument.unit) return false;
    if (v.instrumentName !== undefined && !wildcard(v.instrumentName).test(instrument.name)) return false;
    if (v.meterName !== undefined && v.meterName !== meter.name) return false;
    if (v.meterVersion !== undefined && v.meterVersion !== meter.version) return false;
    if (v.meterSchemaUrl !== undefined && meter.schemaUrl !== undefined && v.meterSchemaUrl !== meter.schemaUrl) return false;
    return true;
  });
}

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.replace(/[\^$\\.+()[\]{}|]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
}
