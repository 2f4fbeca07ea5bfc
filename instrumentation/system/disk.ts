import { ValueType } from '@opentelemetry/api';
import { ATTR, SYSTEM } from '../semconv';
import { fields, lines, type Part, type PartContext } from './part';

/** /proc/diskstats counts 512-byte sectors whatever the device's block size. */
const SECTOR_BYTES = 512;

/** Bytes, operations and busy time per block device, from /proc/diskstats. */
export function diskPart({ meter, files, linux, devices }: PartContext): Part {
  const io = meter.createObservableCounter(SYSTEM.diskIo, { unit: 'By', valueType: ValueType.INT, description: 'Bytes read from and written to each device' });
  const ops = meter.createObservableCounter(SYSTEM.diskOperations, { unit: '{operation}', valueType: ValueType.INT, description: 'Completed reads and writes per device' });
  const ioTime = meter.createObservableCounter(SYSTEM.diskIoTime, { unit: 's', description: 'Time each device had I/O in progress' });
  return {
    observables: [io, ops, ioTime],
    observe(result) {
      if (!linux) return;
      const text = files.read('proc/diskstats');
      if (text === undefined) return;
      for (const line of lines(text)) {
        const f = fields(line);
        const name = f[2];
        if (name === undefined || f.length < 14 || !devices(name)) continue;
        const dev = { [ATTR.device]: name };
        const read = { ...dev, [ATTR.ioDirection]: 'read' };
        const write = { ...dev, [ATTR.ioDirection]: 'write' };
        result.observe(ops, Number(f[3]), read);
        result.observe(io, Number(f[5]) * SECTOR_BYTES, read);
        result.observe(ops, Number(f[7]), write);
        result.observe(io, Number(f[9]) * SECTOR_BYTES, write);
        result.observe(ioTime, Number(f[12]) / 1000, dev);
      }
    },
  };
}
