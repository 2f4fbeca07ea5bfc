import type { BatchObservableResult, Meter, Observable } from '@opentelemetry/api';
import type { ProcFiles } from '../proc-files';
import type { NameFilter } from './name-filter';

/** What every part of the system producer is given. */
export interface PartContext {
  meter: Meter;
  files: ProcFiles;
  /** True where /proc and statfs are used; elsewhere only node:os is. */
  linux: boolean;
  interfaces: NameFilter;
  devices: NameFilter;
  mounts: NameFilter;
}

/**
 * One group of system instruments fed by one batch callback, which reads each of its files
 * once per collection and observes every instrument from that one reading.
 */
export interface Part {
  observables: Observable[];
  observe(result: BatchObservableResult): void;
}

/** Splits a /proc table into trimmed lines, dropping empty ones. */
export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

/** Whitespace-separated fields of one line. */
export function fields(line: string): string[] {
  return line.trim().split(/\s+/);
}
