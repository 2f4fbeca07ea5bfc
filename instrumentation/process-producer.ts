import { ValueType, type BatchObservableCallback, type Meter, type Observable } from '@opentelemetry/api';
import { ProcFiles } from './proc-files';
import { defaultLog, type Log } from '../core/log';
import type { MetricProducer } from './producer';
import { ATTR, PROCESS } from './semconv';
import { cpuCapacity } from './cpu-capacity';
import { parseMeminfo } from './system/memory';
import { UtilizationWindow } from './utilization-window';

/** Options of the `process` producer. */
export interface ProcessProducerOptions {
  /** Root /proc is read under, for tests; default `/`. */
  root?: string;
}

/**
 * This process: CPU time and utilization, resident and virtual memory, threads, open file
 * descriptors, context switches, page faults and uptime. /proc/self/status is read once per
 * collection; the rest come from process.* calls that do not touch the filesystem.
 */
export function createProcessProducer(options: ProcessProducerOptions = {}, log: Log = defaultLog): MetricProducer {
  let stopFn: (() => void) | undefined;
  return {
    name: 'process',
    start(meter: Meter) {
      if (stopFn) return;
      const files = new ProcFiles(options.root ?? '/', log);
      const linux = process.platform === 'linux';
      const capacity = cpuCapacity(files);
      const cpuTime = meter.createObservableCounter(PROCESS.cpuTime, { unit: 's', description: 'CPU seconds used by this process by mode' });
      const cpuUtil = meter.createObservableGauge(PROCESS.cpuUtilization, { unit: '1', description: `CPU time over elapsed time and the ${capacity} CPUs available to the process, last window >= 1 s` });
      const rss = meter.createObservableUpDownCounter(PROCESS.memoryUsage, { unit: 'By', valueType: ValueType.INT, description: 'Resident set size' });
      const virtual = meter.createObservableUpDownCounter(PROCESS.memoryVirtual, { unit: 'By', valueType: ValueType.INT, description: 'Virtual memory size' });
      const threads = meter.createObservableUpDownCounter(PROCESS.threadCount, { unit: '{thread}', valueType: ValueType.INT, description: 'Threads' });
      const fds = meter.createObservableUpDownCounter(PROCESS.fdCount, { unit: '{file_descriptor}', valueType: ValueType.INT, description: 'Open file descriptors' });
      const switches = meter.createObservableCounter(PROCESS.contextSwitches, { unit: '{context_switch}', valueType: ValueType.INT, description: 'Context switches by type' });
      const faults = meter.createObservableCounter(PROCESS.pagingFaults, { unit: '{fault}', valueType: ValueType.INT, description: 'Page faults by type' });
      const uptime = meter.createObservableGauge(PROCESS.uptime, { unit: 's', description: 'Time since the process started' });
      const observables: Observable[] = [cpuTime, cpuUtil, rss, virtual, threads, fds, switches, faults, uptime];
      const window = new UtilizationWindow<string>();

      const callback: BatchObservableCallback = (result) => {
        try {
          const cpu = process.cpuUsage();
          const times = new Map([['user', cpu.user / 1e6], ['system', cpu.system / 1e6]]);
          for (const [mode, s] of times) result.observe(cpuTime, s, { [ATTR.cpuMode]: mode });
          for (const [mode, r] of window.update(performance.now(), times, capacity * 0.001)) result.observe(cpuUtil, r, { [ATTR.cpuMode]: mode });
          result.observe(rss, process.memoryUsage.rss());
          result.observe(uptime, process.uptime());
          const usage = process.resourceUsage();
          result.observe(faults, usage.majorPageFault, { [ATTR.pagingFault]: 'major' });
          result.observe(faults, usage.minorPageFault, { [ATTR.pagingFault]: 'minor' });
          const status = linux ? files.read('proc/self/status') : undefined;
          if (status !== undefined) {
            // Same "Key:   value [kB]" layout as /proc/meminfo.
            const s = parseMeminfo(status);
            if (s.has('VmSize')) result.observe(virtual, s.get('VmSize')!);
            if (s.has('Threads')) result.observe(threads, s.get('Threads')!);
            result.observe(switches, s.get('voluntary_ctxt_switches') ?? usage.voluntaryContextSwitches, { 'process.context_switch.type': 'voluntary' });
            result.observe(switches, s.get('nonvoluntary_ctxt_switches') ?? usage.involuntaryContextSwitches, { 'process.context_switch.type': 'involuntary' });
          } else {
            result.observe(switches, usage.voluntaryContextSwitches, { 'process.context_switch.type': 'voluntary' });
            result.observe(switches, usage.involuntaryContextSwitches, { 'process.context_switch.type': 'involuntary' });
          }
          const fdList = linux ? files.list('proc/self/fd') : undefined;
          // Listing the directory opens one descriptor of its own, which the listing includes.
          if (fdList !== undefined) result.observe(fds, Math.max(0, fdList.length - (files.root === '/' ? 1 : 0)));
        } catch (err) {
          files.skip('process collection', err);
        }
      };
      meter.addBatchObservableCallback(callback, observables);
      stopFn = () => meter.removeBatchObservableCallback(callback, observables);
    },
    stop() {
      stopFn?.();
      stopFn = undefined;
    },
  };
}
