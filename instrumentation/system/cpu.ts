import { cpus, loadavg } from 'node:os';
import { ValueType } from '@opentelemetry/api';
import { ATTR, SYSTEM } from '../semconv';
import { UtilizationWindow } from '../utilization-window';
import { fields, lines, type Part, type PartContext } from './part';

/** Seconds per /proc/stat tick: USER_HZ is 100 on every Linux build Node runs on. */
const TICK_SECONDS = 0.01;
// /proc/stat column order after the cpu label; irq and softirq together are semconv's `interrupt`.
const MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'interrupt', 'interrupt', 'steal'] as const;

type Times = Map<string, number>; // key `${cpu}\0${mode}` → seconds

function fromProcStat(text: string): Times {
  const times: Times = new Map();
  for (const line of lines(text)) {
    if (!line.startsWith('cpu') || line[3] === ' ') continue; // per-CPU lines only, not the total
    const [label, ...cols] = fields(line);
    const cpu = label.slice(3);
    MODES.forEach((mode, i) => {
      const key = `${cpu}\0${mode}`;
      times.set(key, (times.get(key) ?? 0) + Number(cols[i] ?? 0) * TICK_SECONDS);
    });
  }
  return times;
}

function fromOs(): Times {
  const times: Times = new Map();
  cpus().forEach((c, i) => {
    times.set(`${i}\0user`, c.times.user / 1000);
    times.set(`${i}\0nice`, c.times.nice / 1000);
    times.set(`${i}\0system`, c.times.sys / 1000);
    times.set(`${i}\0idle`, c.times.idle / 1000);
    times.set(`${i}\0interrupt`, c.times.irq / 1000);
  });
  return times;
}

function attrs(key: string): Record<string, string | number> {
  const [cpu, mode] = key.split('\0');
  return { [ATTR.cpuMode]: mode, [ATTR.cpuLogical]: Number(cpu) };
}

/** CPU time and utilization by logical CPU and mode, logical CPU count and load averages. */
export function cpuPart({ meter, files, linux }: PartContext): Part {
  const time = meter.createObservableCounter(SYSTEM.cpuTime, { unit: 's', description: 'Seconds each logical CPU spent in each mode' });
  const util = meter.createObservableGauge(SYSTEM.cpuUtilization, { unit: '1', description: 'Share of time each logical CPU spent in each mode over the last window (>= 1 s)' });
  const count = meter.createObservableUpDownCounter(SYSTEM.cpuLogicalCount, { unit: '{cpu}', valueType: ValueType.INT, description: 'Logical CPUs' });
  const loads = [SYSTEM.load1m, SYSTEM.load5m, SYSTEM.load15m].map((name) =>
    meter.createObservableGauge(name, { unit: '{thread}', description: 'Load average (hostmetrics receiver name)' }),
  );
  const window = new UtilizationWindow<string>();
  return {
    observables: [time, util, count, ...loads],
    observe(result) {
      let times: Times | undefined;
      if (linux) {
        const text = files.read('proc/stat');
        if (text !== undefined) times = fromProcStat(text);
      } else {
        times = fromOs();
      }
      if (times) {
        const cpusSeen = new Set<string>();
        for (const [key, seconds] of times) {
          result.observe(time, seconds, attrs(key));
          cpusSeen.add(key.split('\0')[0]);
        }
        result.observe(count, cpusSeen.size);
        // Capacity: one CPU-second per second per logical CPU, i.e. 0.001 s per ms.
        for (const [key, ratio] of window.update(performance.now(), times, 0.001)) result.observe(util, ratio, attrs(key));
      }
      const avg = loadavg();
      if (avg.some((v) => v > 0) || linux) loads.forEach((g, i) => result.observe(g, avg[i]));
    },
  };
}
