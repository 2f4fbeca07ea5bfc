import { ValueType } from '@opentelemetry/api';
import { ATTR, SYSTEM } from '../semconv';
import { fields, lines, type Part, type PartContext } from './part';

// /proc/net/dev columns after "iface:": 8 receive columns, then 8 transmit columns.
const RX = { bytes: 0, packets: 1, errs: 2, drop: 3 };
const TX_OFFSET = 8;

/** Bytes, packets, errors and drops per interface and direction, from /proc/net/dev. */
export function networkPart({ meter, files, linux, interfaces }: PartContext): Part {
  const io = meter.createObservableCounter(SYSTEM.networkIo, { unit: 'By', valueType: ValueType.INT, description: 'Bytes received and transmitted' });
  const packets = meter.createObservableCounter(SYSTEM.networkPackets, { unit: '{packet}', valueType: ValueType.INT, description: 'Packets received and transmitted' });
  const errors = meter.createObservableCounter(SYSTEM.networkErrors, { unit: '{error}', valueType: ValueType.INT, description: 'Network errors detected' });
  const dropped = meter.createObservableCounter(SYSTEM.networkDropped, { unit: '{packet}', valueType: ValueType.INT, description: 'Packets dropped without an error' });
  return {
    observables: [io, packets, errors, dropped],
    observe(result) {
      if (!linux) return;
      const text = files.read('proc/net/dev');
      if (text === undefined) return;
      for (const line of lines(text)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue; // the two header lines
        const name = line.slice(0, colon).trim();
        if (!interfaces(name)) continue;
        const cols = fields(line.slice(colon + 1)).map(Number);
        for (const [direction, offset] of [['receive', 0], ['transmit', TX_OFFSET]] as const) {
          const attrs = { [ATTR.iface]: name, [ATTR.netDirection]: direction };
          result.observe(io, cols[offset + RX.bytes], attrs);
          result.observe(packets, cols[offset + RX.packets], attrs);
          result.observe(errors, cols[offset + RX.errs], attrs);
          result.observe(dropped, cols[offset + RX.drop], attrs);
        }
      }
    },
  };
}
