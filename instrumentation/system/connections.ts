import { ValueType } from '@opentelemetry/api';
import { ATTR, SYSTEM } from '../semconv';
import type { Part, PartContext } from './part';

// The `st` column of /proc/net/tcp{,6} (include/net/tcp_states.h) → semconv network.connection.state.
const TCP_STATES: Record<string, string> = {
  '01': 'established', '02': 'syn_sent', '03': 'syn_received', '04': 'fin_wait_1', '05': 'fin_wait_2',
  '06': 'time_wait', '07': 'closed', '08': 'close_wait', '09': 'last_ack', '0A': 'listen', '0B': 'closing',
};

/** Counts rows per `st` value; the state is the 4th field of every row after the header. */
export function countStates(text: string, into: Map<string, number>): void {
  let pos = text.indexOf('\n') + 1; // skip header
  while (pos > 0 && pos < text.length) {
    const end = text.indexOf('\n', pos);
    const line = text.slice(pos, end < 0 ? text.length : end);
    const st = line.trim().split(/\s+/, 4)[3];
    if (st !== undefined) into.set(st, (into.get(st) ?? 0) + 1);
    pos = end + 1;
  }
}

/**
 * Sockets in this network namespace by transport and TCP state (what `ss -ta`/`ss -ua` list),
 * from /proc/net/{tcp,tcp6,udp,udp6}. UDP sockets have no state attribute.
 */
export function connectionsPart({ meter, files, linux }: PartContext): Part {
  const count = meter.createObservableUpDownCounter(SYSTEM.connectionCount, { unit: '{connection}', valueType: ValueType.INT, description: 'Sockets by transport and state' });
  return {
    observables: [count],
    observe(result) {
      if (!linux) return;
      const tcp = new Map<string, number>();
      let tcpSeen = false;
      for (const file of ['proc/net/tcp', 'proc/net/tcp6']) {
        const text = files.read(file);
        if (text !== undefined) { tcpSeen = true; countStates(text, tcp); }
      }
      if (tcpSeen) {
        for (const [st, state] of Object.entries(TCP_STATES)) {
          result.observe(count, tcp.get(st) ?? 0, { [ATTR.transport]: 'tcp', [ATTR.connState]: state });
        }
      }
      let udp = 0;
      let udpSeen = false;
      for (const file of ['proc/net/udp', 'proc/net/udp6']) {
        const text = files.read(file);
        if (text === undefined) continue;
        udpSeen = true;
        const rows = new Map<string, number>();
        countStates(text, rows);
        for (const n of rows.values()) udp += n;
      }
      if (udpSeen) result.observe(count, udp, { [ATTR.transport]: 'udp' });
    },
  };
}
