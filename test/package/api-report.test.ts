import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { ROOT } from '../helpers/spawn-app';

// The checked-in api-report.md is the public API under review: it must match the entry points.
it('api-report.md lists exactly what the entry points export (run `node scripts/api-report.js` after an API change)', () => {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/api-report.js'), '--check'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});
