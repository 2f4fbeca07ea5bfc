import { execFileSync } from 'node:child_process';
import type { TestContext } from 'node:test';

/**
 * True when `command` runs. When it does not, the test is skipped, except under
 * OTEL_TEST_REQUIRE_PEERS=1 (set by .ci/run), where a missing peer fails the test.
 */
export function havePeer(t: TestContext, command: string, args = ['--version']): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    if (process.env.OTEL_TEST_REQUIRE_PEERS === '1') throw new Error(`required peer ${command} is not installed`);
    t.skip(`${command} is not installed`);
    return false;
  }
}
