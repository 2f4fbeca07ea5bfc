import type { Attributes } from '@opentelemetry/api';
import { readFileSync } from 'node:fs';
import { arch, hostname, platform, release, userInfo } from 'node:os';
import { defaultLog, type Log } from '../../core/log';
import { defaultResource, resourceFromAttributes, type Resource } from '@opentelemetry/resources';

/**
 * SDK, host, OS and process attributes detected locally, then the configured attributes on top.
 * No cloud detector runs: those call metadata endpoints, which can hang start-up off-cloud.
 * Every attribute is known synchronously, so a scrape or export never meets a pending resource.
 */
export function buildResource(configured: Attributes, log: Log = defaultLog): Resource {
  // The attributes upstream's host, os and process detectors give, read here from node:os and
  // process: the detectors start an asynchronous host.id read (a lazy require and a file read
  // whose result we replace below anyway) at start-up, and that work shows in the preload's
  // start-up memory (issue 21). The full command line is left out: it can carry secrets (tokens
  // passed as flags); only the executable facts stay.
  const detected: Attributes = {
    'host.name': hostname(),
    'host.arch': normalizeArch(arch()),
    'os.type': normalizeType(platform()),
    'os.version': release(),
    'process.pid': process.pid,
    'process.executable.name': process.title,
    'process.executable.path': process.execPath,
    'process.runtime.version': process.versions.node,
    'process.runtime.name': 'nodejs',
    'process.runtime.description': 'Node.js',
  };
  if (process.argv.length > 1 && process.argv[1] !== undefined) detected['process.command'] = process.argv[1];
  try {
    detected['process.owner'] = userInfo().username;
  } catch (err) {
    log.debug(`process.owner is left out of the resource: ${(err as Error).message}`);
  }
  const hostId = machineId(log);
  if (hostId) detected['host.id'] = hostId;
  return defaultResource().merge(resourceFromAttributes(detected)).merge(resourceFromAttributes(configured));
}

// As upstream's host and os detectors name them (semantic conventions: host.arch, os.type).
function normalizeArch(nodeArch: string): string {
  return nodeArch === 'arm' ? 'arm32' : nodeArch === 'ppc' ? 'ppc32' : nodeArch === 'x64' ? 'amd64' : nodeArch;
}

function normalizeType(nodePlatform: string): string {
  return nodePlatform === 'sunos' ? 'solaris' : nodePlatform === 'win32' ? 'windows' : nodePlatform;
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
