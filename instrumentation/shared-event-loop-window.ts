import { EventLoopWindow } from './event-loop-window';

const shared = new Map<string, { window: EventLoopWindow; users: number }>();

/**
 * An EventLoopWindow shared by everyone asking for the same window and resolution, so the
 * runtime producer and the health monitor sample the loop once, not twice. Call `release` when done.
 */
export function acquireEventLoopWindow(windowMillis: number, resolutionMillis: number): { window: EventLoopWindow; release(): void } {
  const key = `${windowMillis}/${resolutionMillis}`;
  let entry = shared.get(key);
  if (!entry) {
    entry = { window: new EventLoopWindow(windowMillis, resolutionMillis), users: 0 };
    shared.set(key, entry);
  }
  entry.users++;
  let released = false;
  const held = entry;
  return {
    window: held.window,
    release() {
      if (released) return;
      released = true;
      if (--held.users === 0) {
        held.window.close();
        shared.delete(key);
      }
    },
  };
}
