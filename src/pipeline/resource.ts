import type { Attributes } from '@opentelemetry/api';
import { defaultResource, hostDetector, osDetector, processDetector, resourceFromAttributes, type Resource } from '@opentelemetry/resources';

/**
 * SDK, host, OS and process attributes detected locally, then the configured attributes on top.
 * No cloud detector runs: those call metadata endpoints, which can hang start-up off-cloud.
 */
export function buildResource(configured: Attributes): Resource {
  const processAttrs = { ...processDetector.detect().attributes };
  // The full command line can carry secrets (tokens passed as flags); keep only the executable facts.
  delete processAttrs['process.command_args'];
  return defaultResource()
    .merge(resourceFromAttributes(hostDetector.detect().attributes ?? {}))
    .merge(resourceFromAttributes(osDetector.detect().attributes ?? {}))
    .merge(resourceFromAttributes(processAttrs))
    .merge(resourceFromAttributes(configured));
}
