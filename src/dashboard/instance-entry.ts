/** One sender, identified by its resource: service.name and service.instance.id (or host and pid). */
export interface InstanceEntry {
  readonly key: string;
  readonly service: string;
  readonly instance: string;
  /** A few resource attributes worth showing (SDK, runtime, host, pid). */
  readonly details: Record<string, string>;
  /** Arrival time (ms) of its last export. */
  lastSeen: number;
  /** Exports received from it. */
  exports: number;
}

const SHOWN = ['telemetry.sdk.language', 'telemetry.sdk.name', 'telemetry.sdk.version', 'process.runtime.name', 'process.runtime.version', 'host.name', 'process.pid', 'service.version', 'deployment.environment.name'];

/** The identity and the shown details of a resource's attributes (already flattened to strings). */
export function describeResource(attrs: Map<string, string>): Omit<InstanceEntry, 'lastSeen' | 'exports'> {
  const service = attrs.get('service.name') ?? 'unknown_service';
  const instance = attrs.get('service.instance.id')
    ?? ([attrs.get('host.name'), attrs.get('process.pid')].filter(Boolean).join(':') || 'default');
  const details: Record<string, string> = {};
  for (const k of SHOWN) {
    const v = attrs.get(k);
    if (v !== undefined) details[k] = v;
  }
  return { key: `${service}\u0001${instance}`, service, instance, details };
}
