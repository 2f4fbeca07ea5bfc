import type { Attributes, AttributeValue } from '@opentelemetry/api';
import { readFileSync } from 'node:fs';
import { defaultLog, type Log } from '../../core/log';
import { defaultResource, hostDetector, osDetector, processDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';

/**
 * SDK, host, OS and process attributes detected locally, then the configured attributes on top.
 * No cloud detector runs: those call metadata endpoints, which can hang start-up off-cloud.
 * Every attribute is known synchronously, so a scrape or export never meets a pending resource.
 */
export function buildResource(configured: Attributes, log: Log = defaultLog): Resource {
  const detected: Attributes = {};
  for (const detector of [hostDetector, osDetector, processDetector]) {
    for (const [key, value] of Object.entries(detector.detect().attributes ?? {})) {
      // Upstream reads host.id asynchronously; we read it below instead. Its promise can reject
      // (its lazy require fails with EMFILE when fds run out): unhandled, that would end the app.
      if (value instanceof Promise) value.catch(() => {});
      else if (value !== undefined) detected[key] = value as AttributeValue;
    }
  }
  // The full command line can carry secrets (tokens passed as flags); keep only the executable facts.
  delete detected['process.command_args'];
  const hostId = machineId(log);
  if (hostId) detected['host.id'] = hostId;
  return defaultResource().merge(resourceFromAttributes(detected)).merge(resourceFromAttributes(configured));
}

function machineId(log: Log): string | undefined {
  if (process.platform !== 'linux') return undefined;
  const problems: string[] = [];
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      const id = readFileSync(file, 'utf8').trim();
      if (id) return id;
      problems.push(`${file} is empty`);
    } catch (err) {
      problems.push(`${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  log.debug(`host.id is left out of the resource: no machine id could be read (${problems.join('; ')})`);
  return undefined;
}
