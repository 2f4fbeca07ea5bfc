import assert from 'node:assert/strict';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { PushMetricExporter, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import type { Attempt, CancellableExporter } from '../../../exporters/delivery/attempt';
import { ExitBudget } from '../../../exporters/delivery/exit-budget';
import { ExportError } from '../../../exporters/delivery/export-error';
import { withRetry } from '../../../exporters/delivery/with-retry';
import { withTimeout } from '../../../exporters/delivery/with-timeout';
import { deltaBatch } from '../../helpers/batches';

// Real setImmediate: lets promise chains run between ticks of the mocked clock.
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Advances the mocked clock by `ms` in small steps, letting promises run between them. */
async function advance(ms: number, step = 10): Promise<void> {
  await settle();
  for (let t = 0; t < ms; t += step) {
    mock.timers.tick(step);
    await settle();
  }
}

/** Answers each attempt from `answer(n)`, at once; records when each attempt came and its signal. */
class Fake implements CancellableExporter {
  readonly attempts: Array<{ at: number; signal: AbortSignal }> = [];
  constructor(private readonly answer: (n: number) => ExportResult | 'silent') {}
  export(batch: ResourceMetrics, done: (r: ExportResult) => void): void {
    void this.exportWithin(batch, { signal: new AbortController().signal, deadline: Infinity }).then(done);
  }
  exportWithin(_batch: ResourceMetrics, attempt: Attempt): Promise<ExportResult> {
    this.attempts.push({ at: Date.now(), signal: attempt.signal });
    const a = this.answer(this.attempts.length - 1);
    return a === 'silent' ? new Promise(() => {}) : Promise.resolve(a);
  }
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

const fail = (error: ExportError): ExportResult => ({ code: ExportResultCode.FAILED, error });
const ok: ExportResult = { code: ExportResultCode.SUCCESS };
const http503 = (retryAfterMillis?: number) => new ExportError('HTTP 503', { retryable: true, type: '503', httpStatus: 503, retryAfterMillis });
const unavailable = (retryAfterMillis?: number) => new ExportError('gRPC UNAVAILABLE', { retryable: true, type: 'UNAVAILABLE', grpcStatus: 14, retryAfterMillis });

/** The chain's retry and timeout around `inner`, sharing a 3 s exit budget; the batch is sent once the exit has begun. */
function atExit(inner: PushMetricExporter, random = () => 0.999) {
  const exit = new ExitBudget(3000);
  const chain = withRetry(withTimeout(inner, { timeoutMillis: 10_000, exitBudget: exit }), { initialIntervalMillis: 1000, maxIntervalMillis: 5000, maxElapsedTimeMillis: 300_000, exitBudget: exit, random });
  exit.start();
  const t0 = Date.now();
  const result = new Promise<ExportResult>((resolve) => chain.export(deltaBatch(3), resolve));
  return { result, t0, exit };
}

describe('exit: retries within the budget', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  it('503 three times, then success: delivered, with backoff, inside the 3 s budget', async () => {
    const inner = new Fake((n) => (n < 3 ? fail(http503()) : ok));
    const { result, t0 } = atExit(inner);
    let done: ExportResult | undefined;
    void result.then((r) => { done = r; });
    await advance(3000);
    assert.equal(done?.code, ExportResultCode.SUCCESS);
    assert.equal(inner.attempts.length, 4);
    const at = inner.attempts.map((a) => a.at - t0);
    assert.ok(at.at(-1)! < 3000, `attempts at ${at}`);
    // Backoff, not a storm: each wait at least a fifth of a second here.
    for (let i = 1; i < at.length; i++) assert.ok(at[i]! - at[i - 1]! >= 200, `attempts at ${at}`);
  });

  it('503 with Retry-After: 1 twice: honoured, delivered at about 2 s', async () => {
    const inner = new Fake((n) => (n < 2 ? fail(http503(1000)) : ok));
    const { result, t0 } = atExit(inner);
    await advance(2500);
    assert.equal((await result).code, ExportResultCode.SUCCESS);
    assert.deepEqual(inner.attempts.map((a) => a.at - t0), [0, 1000, 2000]);
  });

  it('gRPC UNAVAILABLE with RetryInfo: the requested delay is honoured', async () => {
    const inner = new Fake((n) => (n < 2 ? fail(unavailable(700)) : ok));
    const { result, t0 } = atExit(inner);
    await advance(2000);
    assert.equal((await result).code, ExportResultCode.SUCCESS);
    assert.deepEqual(inner.attempts.map((a) => a.at - t0), [0, 700, 1400]);
  });

  it('a Retry-After that does not fit the remaining budget ends the tries at once', async () => {
    const inner = new Fake(() => fail(http503(5000)));
    const { result } = atExit(inner);
    await advance(20);
    const r = await result;
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.equal(inner.attempts.length, 1);
  });

  it('a signal aborted mid-attempt: the attempt ends when the budget runs out, as "no answer"', async () => {
    const inner = new Fake(() => 'silent');
    const { result, t0 } = atExit(inner);
    let ended: number | undefined;
    void result.then(() => { ended = Date.now(); });
    await advance(3100);
    const r = await result;
    assert.equal(r.code, ExportResultCode.FAILED);
    assert.match(r.error!.message, /^no answer within 3000ms$/);
    assert.equal(inner.attempts[0]!.signal.aborted, true, 'the exporter was told to stop');
    assert.equal(ended! - t0, 3000);
  });

  it('the exit starting ends a backoff sleep: the waiting batch is tried at once', async () => {
    const exit = new ExitBudget(3000);
    const inner = new Fake((n) => (n === 0 ? fail(http503()) : ok));
    const chain = withRetry(withTimeout(inner, { exitBudget: exit }), { initialIntervalMillis: 20_000, maxIntervalMillis: 30_000, exitBudget: exit, random: () => 0.999 });
    const result = new Promise<ExportResult>((resolve) => chain.export(deltaBatch(1), resolve));
    await advance(100);
    assert.equal(inner.attempts.length, 1);
    exit.start();
    await advance(10);
    assert.equal((await result).code, ExportResultCode.SUCCESS);
    assert.equal(inner.attempts.length, 2);
  });
});
