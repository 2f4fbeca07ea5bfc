import type { IncomingMessage, ServerResponse } from 'node:http';
import { ValueType, type Attributes, type Meter } from '@opentelemetry/api';
import { InstrumentType, type MetricDescriptor } from '@opentelemetry/sdk-metrics';
import type { DirectInstrument, DirectSources } from '../../core/direct-source';
import { ReaderHistograms, recordInto, type HistogramCell } from '../../core/reader-histograms';
import { DURATION_BUCKETS, INTERNAL_HTTP, isInternalUserAgent, normalizeMethod } from './http-attributes';

/** Decides the `http.route` of a finished request; default: setHttpRoute, then Express. */
export type RouteFn = (request: IncomingMessage) => string | undefined;

/**
 * Requests in flight for one method and scheme, the attributes they are reported with, and the
 * finished-request attribute sets seen for them (keyed by version, status or error, route).
 * `last` is the set the previous request got: uniform traffic finds its set with four compares
 * and no key string.
 */
interface Active { attrs: Attributes; n: number; finished: Map<string, FinishedSet>; last?: Finished }
/** A finished-request attribute set and, on the direct path, the histogram series it records into. */
interface FinishedSet { attrs: Attributes; cell: HistogramCell | undefined }
interface Finished { version: string; status: number; errorType: string | undefined; route: string | undefined; set: FinishedSet }
interface StartMessage { request: IncomingMessage; response: ServerResponse; socket?: object; server?: object }

/**
 * A request in flight. A keep-alive connection carries its requests one after another, so one
 * of these per connection, rewritten per request, holds the start time: a request then adds no
 * property and no listener to its response (together about half of what the handlers cost a
 * real node:http server per request). A pipelined request, which starts while the one before it
 * on its connection is unfinished, and a message without a socket get one of their own, kept on
 * the response (with a 'close' listener there). `response` is undefined once it is settled.
 */
interface InFlight { response: ServerResponse | undefined; request: IncomingMessage | undefined; start: number; active: Active | undefined }
const emptyInFlight = (): InFlight => ({ response: undefined, request: undefined, start: 0, active: undefined });
/** A connection or a response: where an InFlight is kept. */
type Holder = Record<symbol, InFlight | undefined> & { on?: (event: 'close', listener: (this: Holder) => void) => unknown };

// Attribute sets are reused so a request allocates none. They are bounded by methods (folded to
// _OTHER), versions, statuses and route templates; past this many per method and scheme (a router
// that reports raw paths) new sets are built per request and not kept: the SDK path records them
// as they are (the SDK's cardinality limit then applies), the direct path counts them in one
// overflow series, `otel.metric.overflow: true`, as the SDK does past its limit.
export const MAX_FINISHED_SETS = 1000;

const DURATION_NAME = 'http.server.request.duration';
const DURATION_OPTIONS = { unit: 's', description: 'Duration of HTTP server requests', advice: { explicitBucketBoundaries: DURATION_BUCKETS } };
/** The duration histogram as the direct path asks for it. */
export const DURATION_INSTRUMENT: DirectInstrument = { name: DURATION_NAME, type: InstrumentType.HISTOGRAM, unit: 's' };
// The descriptor the SDK instrument's metric data carries (createInstrumentDescriptorWithView).
const DURATION_DESCRIPTOR = { name: DURATION_NAME, type: InstrumentType.HISTOGRAM, description: DURATION_OPTIONS.description, unit: 's', valueType: ValueType.DOUBLE, advice: DURATION_OPTIONS.advice } as MetricDescriptor;

/**
 * The user-agent from the raw header list. `request.headers` is built on first read in node:http,
 * so reading it here would make every request pay for a header object the app may never use.
 */
function rawUserAgent(request: { rawHeaders?: string[]; headers?: Record<string, unknown> }): string | undefined {
  const raw = request.rawHeaders;
  // A request object built by a test harness or framework shim may lack rawHeaders.
  if (!Array.isArray(raw)) {
    const ua = request.headers?.['user-agent'];
    return typeof ua === 'string' ? ua : undefined;
  }
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i];
    // 'Connection' has ten letters too: the first letter settles it without a lower-cased copy.
    if (name.length === 10 && (name.charCodeAt(0) | 0x20) === 0x75 && name.toLowerCase() === 'user-agent') return raw[i + 1];
  }
  return undefined;
}

/**
 * Server-side HTTP metrics from node:http's diagnostics channels: duration, active requests and,
 * when `bodySizes` (default false: two SDK records per request), body sizes (from
 * Content-Length; chunked bodies are not measured). Active requests are plain counters read at
 * collection. With `direct` (the pipeline's, when it accepts the duration histogram: no view could
 * select it, every reader collects direct sources) the duration goes into a histogram series kept
 * on each attribute set and is built as metric data at collection: no SDK record per request.
 * Otherwise (a view, a plain MeterProvider) it is one SDK record per request, as before.
 */
export function httpServerMetrics(meter: Meter, route: RouteFn, bodySizes = false, direct?: DirectSources) {
  const histograms = direct?.accepts(DURATION_INSTRUMENT) ? new ReaderHistograms(DURATION_BUCKETS) : undefined;
  const duration = histograms ? undefined : meter.createHistogram(DURATION_NAME, DURATION_OPTIONS);
  // Past MAX_FINISHED_SETS the direct path counts durations here, as the SDK does past its
  // cardinality limit (body sizes, on the SDK path, keep the request's own attributes).
  const overflowCell = histograms?.cell({ 'otel.metric.overflow': true });
  const removeSource = histograms && direct ? direct.add((reader) => {
    const metric = histograms.collect(reader, DURATION_DESCRIPTOR);
    return metric && { scope: direct.scope, metrics: [metric] };
  }) : undefined;
  const activeGauge = meter.createObservableUpDownCounter('http.server.active_requests', { unit: '{request}', valueType: ValueType.INT, description: 'HTTP server requests in progress' });
  const requestSize = bodySizes ? meter.createHistogram('http.server.request.body.size', { unit: 'By', valueType: ValueType.INT, description: 'HTTP server request body size (Content-Length)' }) : undefined;
  const responseSize = bodySizes ? meter.createHistogram('http.server.response.body.size', { unit: 'By', valueType: ValueType.INT, description: 'HTTP server response body size (Content-Length)' }) : undefined;
  // Keyed by method + scheme: a handful of entries, since unknown methods fold into _OTHER.
  const actives = new Map<string, Active>();
  // Per instance: a connection still open when a pipeline is stopped and another started must
  // not hand its aborts to the stopped one's listener.
  const IN_FLIGHT = Symbol('otel-metrics-pipeline.http.in-flight');
  const observeActive = (result: { observe(n: number, a: Attributes): void }) => { for (const a of actives.values()) result.observe(a.n, a.attrs); };
  activeGauge.addCallback(observeActive);

  function activeFor(method: string, https: boolean): Active {
    const key = https ? `${method} s` : method;
    let a = actives.get(key);
    if (!a) {
      a = { attrs: { 'http.request.method': method, 'url.scheme': https ? 'https' : 'http' }, n: 0, finished: new Map() };
      actives.set(key, a);
    }
    return a;
  }

  function setOf(active: Active, version: string, status: number, errorType: string | undefined, r: string | undefined): FinishedSet {
    const last = active.last;
    if (last !== undefined && last.status === status && last.route === r && last.errorType === errorType && last.version === version) return last.set;
    const key = `${version} ${errorType ?? status} ${r ?? ''}`;
    let set = active.finished.get(key);
    if (set === undefined) {
      const attrs: Attributes = {
        'http.request.method': active.attrs['http.request.method'],
        'url.scheme': active.attrs['url.scheme'],
        'network.protocol.version': version,
      };
      if (r !== undefined) attrs['http.route'] = r;
      if (errorType === undefined) {
        attrs['http.response.status_code'] = status;
        if (status >= 500) attrs['error.type'] = String(status);
      } else {
        attrs['error.type'] = errorType;
      }
      if (active.finished.size >= MAX_FINISHED_SETS) return { attrs, cell: overflowCell };
      set = { attrs, cell: histograms?.cell(attrs) };
      active.finished.set(key, set);
    }
    // Rewritten in place: mixed traffic changes it often, and that should not allocate either.
    if (last === undefined) active.last = { version, status, errorType, route: r, set };
    else {
      last.version = version;
      last.status = status;
      last.errorType = errorType;
      last.route = r;
      last.set = set;
    }
    return set;
  }

  function finish(response: ServerResponse, request: IncomingMessage, start: number, active: Active, errorType: string | undefined): void {
    active.n--;
    const set = setOf(active, request.httpVersion, response.statusCode, errorType, route(request));
    const seconds = (performance.now() - start) / 1000;
    if (set.cell !== undefined) recordInto(set.cell, DURATION_BUCKETS, seconds);
    else duration!.record(seconds, set.attrs);
    if (!bodySizes) return;
    const attrs = set.attrs;
    const inLength = request.headers['content-length'];
    if (inLength !== undefined) requestSize!.record(Number(inLength), attrs);
    const outLength = response.getHeader('content-length');
    if (outLength !== undefined) responseSize!.record(Number(outLength), attrs);
  }

  /** Finishes the request `f` holds, once: it is cleared first, so a later finish or close finds nothing. */
  function settle(f: InFlight, errorType: string | undefined): void {
    const { response, request, start, active } = f;
    f.response = f.request = f.active = undefined;
    finish(response!, request!, start, active!, errorType);
  }

  // A client that hangs up before the response ends never reaches response.finish; the 'close'
  // of its holder (connection or response) always comes, so an unsettled request there is an
  // aborted one (and active_requests stays right).
  function onClose(this: Holder): void {
    const f = this[IN_FLIGHT]!;
    if (f.response !== undefined) settle(f, 'aborted');
  }

  return {
    onStart(message: unknown): void {
      const { request, response, socket, server } = message as StartMessage;
      if ((server as Record<symbol, unknown> | undefined)?.[INTERNAL_HTTP] || isInternalUserAgent(rawUserAgent(request))) return;
      const active = activeFor(normalizeMethod(request.method), (request.socket as { encrypted?: boolean } | undefined)?.encrypted === true);
      active.n++;
      const connection = socket as Holder | undefined;
      let f = connection?.[IN_FLIGHT];
      if (f === undefined && typeof connection?.on === 'function') {
        f = emptyInFlight();
        connection[IN_FLIGHT] = f;
        connection.on('close', onClose);
      }
      if (f === undefined || f.response !== undefined) {
        f = emptyInFlight();
        (response as unknown as Holder)[IN_FLIGHT] = f;
        // 'close' comes once per response, so `on` does what `once` would without its wrapper.
        response.on('close', onClose);
      }
      f.response = response;
      f.request = request;
      f.start = performance.now();
      f.active = active;
    },
    onFinish(message: unknown): void {
      const { response, socket } = message as StartMessage;
      let f = (socket as Holder | undefined)?.[IN_FLIGHT];
      if (f?.response !== response) f = (response as unknown as Holder)[IN_FLIGHT];
      if (f !== undefined && f.response === response) settle(f, undefined);
    },
    stop(): void {
      activeGauge.removeCallback(observeActive);
      removeSource?.();
    },
  };
}
