import { freemem, totalmem } from 'node:os';
import { ValueType } from '@opentelemetry/api';
import { ATTR, SYSTEM } from '../semconv';
import { fields, lines, type Part, type PartContext } from './part';

/** /proc/meminfo (kB values) as bytes by key. */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of lines(text)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const [value, unit] = fields(line.slice(colon + 1));
    out.set(line.slice(0, colon), Number(value) * (unit === 'kB' ? 1024 : 1));
  }
  return out;
}

// /proc/vmstat has ~180 lines; look up only the four we report.
function vmstatValue(text: string, key: string): number {
  const at = text.startsWith(`${key} `) ? 0 : text.indexOf(`\n${key} `) + 1;
  if (at <= 0 && !text.startsWith(`${key} `)) return 0;
  const start = at + key.length + 1;
  const end = text.indexOf('\n', start);
  return Number(text.slice(start, end < 0 ? undefined : end));
}

/**
 * Memory by state (semconv: `used` + `available` = limit; `free`, `buffers` and `cached` are
 * also reported and overlap `available`), swap usage, and page faults and swap operations.
 */
export function memoryPart({ meter, files, linux }: PartContext): Part {
  const usage = meter.createObservableUpDownCounter(SYSTEM.memoryUsage, { unit: 'By', valueType: ValueType.INT, description: 'Memory in use by state' });
  const util = meter.createObservableGauge(SYSTEM.memoryUtilization, { unit: '1', description: 'Memory by state as a share of the limit' });
  const limit = meter.createObservableUpDownCounter(SYSTEM.memoryLimit, { unit: 'By', valueType: ValueType.INT, description: 'Total physical memory' });
  const paging = meter.createObservableUpDownCounter(SYSTEM.pagingUsage, { unit: 'By', valueType: ValueType.INT, description: 'Swap space by state' });
  const pagingUtil = meter.createObservableGauge(SYSTEM.pagingUtilization, { unit: '1', description: 'Swap space by state as a share of all swap' });
  const faults = meter.createObservableCounter(SYSTEM.pagingFaults, { unit: '{fault}', valueType: ValueType.INT, description: 'Page faults by type' });
  const ops = meter.createObservableCounter(SYSTEM.pagingOperations, { unit: '{operation}', valueType: ValueType.INT, description: 'Pages swapped in and out' });

  function observeStates(result: Parameters<Part['observe']>[0], total: number, states: Record<string, number | undefined>): void {
    result.observe(limit, total);
    for (const [state, bytes] of Object.entries(states)) {
      if (bytes === undefined || Number.isNaN(bytes)) continue;
      result.observe(usage, bytes, { [ATTR.memState]: state });
      if (total > 0) result.observe(util, bytes / total, { [ATTR.memState]: state });
    }
  }

  return {
    observables: [usage, util, limit, paging, pagingUtil, faults, ops],
    observe(result) {
      if (!linux) {
        const total = totalmem();
        observeStates(result, total, { used: total - freemem(), free: freemem() });
        return;
      }
      const meminfoText = files.read('proc/meminfo');
      if (meminfoText !== undefined) {
        const m = parseMeminfo(meminfoText);
        const total = m.get('MemTotal') ?? 0;
        const available = m.get('MemAvailable') ?? m.get('MemFree') ?? 0;
        observeStates(result, total, {
          used: total - available,
          available,
          free: m.get('MemFree'),
          buffers: m.get('Buffers'),
          cached: m.get('Cached'),
        });
        const swapTotal = m.get('SwapTotal') ?? 0;
        const swapFree = m.get('SwapFree') ?? 0;
        for (const [state, bytes] of [['used', swapTotal - swapFree], ['free', swapFree]] as const) {
          result.observe(paging, bytes, { [ATTR.pagingState]: state });
          if (swapTotal > 0) result.observe(pagingUtil, bytes / swapTotal, { [ATTR.pagingState]: state });
        }
      }
      const vmstatText = files.read('proc/vmstat');
      if (vmstatText !== undefined) {
        const all = vmstatValue(vmstatText, 'pgfault');
        const major = vmstatValue(vmstatText, 'pgmajfault');
        result.observe(faults, major, { [ATTR.pagingFault]: 'major' });
        result.observe(faults, all - major, { [ATTR.pagingFault]: 'minor' });
        result.observe(ops, vmstatValue(vmstatText, 'pswpin'), { [ATTR.pagingDirection]: 'in' });
        result.observe(ops, vmstatValue(vmstatText, 'pswpout'), { [ATTR.pagingDirection]: 'out' });
      }
    },
  };
}
