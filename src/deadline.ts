/**
 * Resolves with `true` when `work` settles within `millis`, `false` when time runs out first.
 * Never rejects. The timer is ref'd on purpose: during a final flush it is what lets the
 * process wait for the export, and it is cleared as soon as the work settles.
 */
export function settleWithin(work: Promise<unknown>, millis: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), millis);
    work.then(
      () => { clearTimeout(timer); resolve(true); },
      () => { clearTimeout(timer); resolve(true); },
    );
  });
}
