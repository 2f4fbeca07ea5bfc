import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { promisify } from 'node:util';
import { ROOT } from '../helpers/spawn-app';

const run = promisify(execFile);

// test/types/*.ts: misspelt names, keys and enum values must fail to compile (`@ts-expect-error`
// fails when its line compiles), the correct forms must compile; with both compilers.
for (const [compiler, bin] of [['TypeScript 5.9', 'typescript/bin/tsc'], ['TypeScript 7', 'typescript7/bin/tsc']] as const) {
  it(`the type fixtures hold under ${compiler}`, async () => {
    const r = await run(process.execPath, [join(ROOT, 'node_modules', bin), '-p', join(ROOT, 'test/types/tsconfig.json')], { cwd: ROOT }).catch((e: { stdout: string; stderr: string }) => e);
    assert.ok(!('code' in r) || (r as { code?: number }).code === undefined, `${r.stdout}${r.stderr}`);
  });
}
