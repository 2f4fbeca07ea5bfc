import type { BatchObservableCallback, Meter } from '@opentelemetry/api';
import { EnvReader } from '../core/env-reader';
import { ConfigError } from '../core/errors';
import { ProcFiles } from './proc-files';
import { defaultLog, type Log } from '../core/log';
import type { MetricProducer } from './producer';
import { connectionsPart } from './system/connections';
import { containerPart } from './system/container';
import { cpuPart } from './system/cpu';
import { diskPart } from './system/disk';
import { filesystemPart } from './system/filesystem';
import { memoryPart } from './system/memory';
import { nameFilter, patternsFromEnv } from './system/name-filter';
import { networkPart } from './system/network';
import type { Part, PartContext } from './system/part';

/** Options of the `system` producer. */
export interface SystemProducerOptions {
  /** Root the /proc and /sys paths are read under, for tests; default `/`. */
  root?: string;
  /** Interface globs, `!` excludes (env `OTEL_METRICS_SYSTEM_INTERFACES`); default all. */
  interfaces?: string[];
  /** Block device globs (env `OTEL_METRICS_SYSTEM_DEVICES`); default `!loop*,!ram*`. */
  devices?: string[];
  /** Mountpoint globs (env `OTEL_METRICS_SYSTEM_MOUNTS`); default all real mounts. */
  mounts?: string[];
  /**
   * Count sockets by state from /proc/net/{tcp,tcp6,udp,udp6} (env `OTEL_METRICS_SYSTEM_CONNECTIONS`);
   * default false: the kernel formats a line per socket on every read, which costs more than all
   * the other system metrics together on a busy host.
   */
  connections?: boolean;
  /** Where env settings are read from; default `process.env`. */
  env?: EnvReader;
}

/** Default device filter: loop and ram devices are images and RAM disks, not disks. */
export const DEFAULT_DEVICE_PATTERNS: readonly string[] = ['!loop*', '!ram*'];

function patterns(option: unknown, name: string): string[] | undefined {
  if (option === undefined) return undefined;
  if (!Array.isArray(option) || option.some((p) => typeof p !== 'string')) throw new ConfigError(`system.${name} must be an array of glob strings`);
  return option as string[];
}

/**
 * Host metrics: CPU, memory, paging, filesystems, disks, network interfaces and sockets, plus
 * cgroup v2 limits. On Linux from /proc, /sys and statfs; elsewhere what node:os offers.
 */
export function createSystemProducer(options: SystemProducerOptions = {}, log: Log = defaultLog): MetricProducer {
  const env = options.env ?? new EnvReader();
  const interfaces = patterns(options.interfaces, 'interfaces') ?? patternsFromEnv(env, 'OTEL_METRICS_SYSTEM_INTERFACES', []);
  const devices = patterns(options.devices, 'devices') ?? patternsFromEnv(env, 'OTEL_METRICS_SYSTEM_DEVICES', DEFAULT_DEVICE_PATTERNS);
  const mounts = patterns(options.mounts, 'mounts') ?? patternsFromEnv(env, 'OTEL_METRICS_SYSTEM_MOUNTS', []);
  if (options.connections !== undefined && typeof options.connections !== 'boolean') throw new ConfigError('system.connections must be a boolean');
  const connections = options.connections ?? env.bool('OTEL_METRICS_SYSTEM_CONNECTIONS', false);
  let stopFn: (() => void) | undefined;
  return {
    name: 'system',
    start(meter: Meter) {
      if (stopFn) return;
      const ctx: PartContext = {
        meter,
        files: new ProcFiles(options.root ?? '/', log),
        linux: process.platform === 'linux',
        interfaces: nameFilter(interfaces),
        devices: nameFilter(devices),
        mounts: nameFilter(mounts),
      };
      const parts: Part[] = [cpuPart(ctx), memoryPart(ctx), filesystemPart(ctx), diskPart(ctx), networkPart(ctx)];
      if (connections) parts.push(connectionsPart(ctx));
      const container = containerPart(ctx);
      if (container) parts.push(container);
      const registered: Array<[BatchObservableCallback, Part]> = parts.map((part) => [
        (result) => {
          // A parse surprise in one part must not cost the others, nor reach the SDK's error handler as a throw.
          try {
            part.observe(result);
          } catch (err) {
            ctx.files.skip(`system part ${part.observables.length}`, err);
          }
        },
        part,
      ]);
      for (const [cb, part] of registered) meter.addBatchObservableCallback(cb, part.observables);
      stopFn = () => {
        for (const [cb, part] of registered) meter.removeBatchObservableCallback(cb, part.observables);
      };
    },
    stop() {
      stopFn?.();
      stopFn = undefined;
    },
  };
}
