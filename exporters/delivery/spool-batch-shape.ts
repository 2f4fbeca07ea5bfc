// What a decoded spool file must look like before it may enter the queue. The checksum only
// proves the file is whole, not that we wrote it: anyone who can write the directory can forge
// a valid one. So the parsed JSON is checked against the shape the chain reads (types, arrays,
// finite numbers, bounded counts and string lengths), and a mismatch sets the file aside.

const MAX_STRING = 64 * 1024;
const MAX_ITEMS = 1_000_000;
// DataPointType: HISTOGRAM 0, EXPONENTIAL_HISTOGRAM 1, GAUGE 2, SUM 3.
const POINT_TYPES = new Set([0, 1, 2, 3]);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): boolean => isFiniteNumber(v) && v >= 0;
const isString = (v: unknown): boolean => typeof v === 'string' && v.length <= MAX_STRING;
const optional = (v: unknown, check: (x: unknown) => boolean): boolean => v === undefined || check(v);
const isArrayOf = (v: unknown, check: (x: unknown) => boolean): boolean => Array.isArray(v) && v.length <= MAX_ITEMS && v.every(check);
const isTime = (v: unknown): boolean => Array.isArray(v) && v.length === 2 && isFiniteNumber(v[0]) && isFiniteNumber(v[1]);
// A metric value may be non-finite (the codec keeps NaN and ±Infinity); it must be a number.
const isValue = (v: unknown): boolean => typeof v === 'number';

function isAttributeValue(v: unknown): boolean {
  if (typeof v === 'string') return v.length <= MAX_STRING;
  if (typeof v === 'number' || typeof v === 'boolean') return true;
  return Array.isArray(v) && v.length <= MAX_ITEMS && v.every((x) => x === null || x === undefined || ['string', 'number', 'boolean'].includes(typeof x) && (typeof x !== 'string' || x.length <= MAX_STRING));
}

function isAttributes(v: unknown): boolean {
  return isObject(v) && Object.keys(v).length <= MAX_ITEMS && Object.entries(v).every(([k, x]) => k.length <= MAX_STRING && isAttributeValue(x));
}

const isBuckets = (v: unknown): boolean => isObject(v) && Number.isInteger(v.offset) && isArrayOf(v.bucketCounts, isCount);

function pointValueProblem(type: number, value: unknown): string | undefined {
  if (type === 2 || type === 3) return isValue(value) ? undefined : 'a point value is not a number';
  if (!isObject(value)) return 'a histogram value is not an object';
  if (!isCount(value.count) || !optional(value.sum, isValue) || !optional(value.min, isValue) || !optional(value.max, isValue)) return 'a histogram count, sum, min or max is not a number';
  if (type === 0) {
    const b = value.buckets;
    if (!isObject(b) || !isArrayOf(b.boundaries, isValue) || !isArrayOf(b.counts, isCount)) return 'histogram buckets are not arrays of numbers';
    if ((b.counts as unknown[]).length !== (b.boundaries as unknown[]).length + 1) return 'histogram bucket counts do not match its boundaries';
    return undefined;
  }
  if (!Number.isInteger(value.scale) || !isCount(value.zeroCount) || !isBuckets(value.positive) || !isBuckets(value.negative)) return 'an exponential histogram is malformed';
  return undefined;
}

/**
 * Why `parsed` (a spool file's JSON) is not a batch the chain can take, as a phrase; undefined
 * when it is one holding exactly `points` data points.
 */
export function spoolBatchProblem(parsed: unknown, points: number): string | undefined {
  if (!isObject(parsed)) return 'the batch is not an object';
  const resource = parsed.resource;
  if (!isObject(resource) || !isAttributes(resource.attributes) || !optional(resource.schemaUrl, isString)) return 'the resource is malformed';
  if (!Array.isArray(parsed.scopeMetrics) || parsed.scopeMetrics.length > MAX_ITEMS) return 'scopeMetrics is not an array';
  let counted = 0;
  for (const sm of parsed.scopeMetrics as unknown[]) {
    if (!isObject(sm) || !isObject(sm.scope) || !isString(sm.scope.name) || !optional(sm.scope.version, isString) || !optional(sm.scope.schemaUrl, isString)) return 'a scope is malformed';
    if (!Array.isArray(sm.metrics) || sm.metrics.length > MAX_ITEMS) return 'a scope\'s metrics is not an array';
    for (const m of sm.metrics as unknown[]) {
      if (!isObject(m) || !isObject(m.descriptor)) return 'a metric has no descriptor';
      const d = m.descriptor;
      if (!isString(d.name) || !isString(d.description) || !isString(d.unit)) return 'a metric name, description or unit is not a string';
      if (!POINT_TYPES.has(m.dataPointType as number)) return 'a metric has an unknown dataPointType';
      if (!Array.isArray(m.dataPoints) || m.dataPoints.length > MAX_ITEMS) return 'a metric\'s dataPoints is not an array';
      for (const p of m.dataPoints as unknown[]) {
        if (!isObject(p) || !isAttributes(p.attributes) || !isTime(p.startTime) || !isTime(p.endTime)) return 'a data point\'s attributes or times are malformed';
        const problem = pointValueProblem(m.dataPointType as number, p.value);
        if (problem) return problem;
      }
      counted += m.dataPoints.length;
      if (counted > MAX_ITEMS) return `more than ${MAX_ITEMS} data points`;
    }
  }
  if (counted !== points) return `its header says ${points} data points, the batch holds ${counted}`;
  return undefined;
}
