import { createHash } from 'node:crypto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { countPoints } from './batch-size';
import { spoolBatchProblem } from './spool-batch-shape';

const MAGIC = 'OMPSPOOL2';
const LEGACY_MAGIC = 'OMPSPOOL1';

/** Byte offset of the state character (`P` pending, `D` delivered) in a spool file. */
export const STATE_OFFSET = MAGIC.length + 1;
/** What the spool writes at {@link STATE_OFFSET} once the batch was delivered. */
export const DELIVERED_MARK = Buffer.from('D');

/**
 * Encodes a batch for the disk spool: a header line `OMPSPOOL2 P <points> <bytes> <sha256>
 * [<destination identity>]` and the batch as JSON. The length and checksum let a torn or foreign file be told apart from a
 * good one; the state character is rewritten in place to `D` when the batch is delivered, so a
 * file that could not be deleted is never sent again. Pure; the spool does the I/O.
 */
export function encodeSpoolRecord(batch: ResourceMetrics, identity?: string): Buffer {
  const body = Buffer.from(JSON.stringify({
    resource: { attributes: batch.resource.attributes, schemaUrl: batch.resource.schemaUrl },
    scopeMetrics: batch.scopeMetrics,
  }, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? { $num: String(value) } : value)));
  const header = `${MAGIC} P ${countPoints(batch)} ${body.length} ${sha256(body)}${identity ? ` ${identity}` : ''}\n`;
  return Buffer.concat([Buffer.from(header), body]);
}

/**
 * A decoded spool file (with the destination identity it was written for, if any), one already
 * delivered, a whole file whose batch is not one we could have written (`invalid`: set aside),
 * or the reason a torn file cannot be used (`error`).
 */
export type SpoolRecord = { batch: ResourceMetrics; points: number; identity?: string } | { delivered: true } | { invalid: string } | { error: string };

/** Decodes what {@link encodeSpoolRecord} wrote; anything else yields `{ error }`, never a throw. */
export function decodeSpoolRecord(data: Buffer): SpoolRecord {
  const newline = data.indexOf(0x0a);
  if (newline < 0) return { error: 'no header line (truncated or not a spool file)' };
  const fields = data.subarray(0, newline).toString('latin1').split(' ');
  if (fields[0] === LEGACY_MAGIC) fields.splice(1, 0, 'P');
  else if (fields[0] !== MAGIC) return { error: 'not a spool file' };
  const [, state, points, length, checksum, identity] = fields;
  if (state === 'D') return { delivered: true };
  const body = data.subarray(newline + 1);
  if (body.length !== Number(length)) return { error: `truncated: ${body.length} of ${length} bytes` };
  if (sha256(body) !== checksum) return { error: 'checksum mismatch' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'), (_key, value: unknown) =>
      value !== null && typeof value === 'object' && '$num' in value ? Number((value as { $num: string }).$num) : value,
    );
  } catch (err) {
    return { invalid: `unreadable JSON: ${(err as Error).message}` };
  }
  const count = Number(points);
  const problem = Number.isSafeInteger(count) && count >= 0 ? spoolBatchProblem(parsed, count) : 'its point count is not a whole number';
  if (problem) return { invalid: problem };
  const p = parsed as { resource: { attributes: Record<string, never>; schemaUrl?: string }; scopeMetrics: ResourceMetrics['scopeMetrics'] };
  try {
    const resource = resourceFromAttributes(p.resource.attributes, p.resource.schemaUrl ? { schemaUrl: p.resource.schemaUrl } : undefined);
    return { batch: { resource, scopeMetrics: p.scopeMetrics }, points: count, ...(identity ? { identity } : {}) };
  } catch (err) {
    return { invalid: `its resource cannot be rebuilt: ${(err as Error).message}` };
  }
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
