import { parentPort } from 'node:worker_threads';

// The body of the bcrypt worker (see bcrypt-verifier): one synchronous compare per message, on
// this thread, so the ~100 ms a compare costs by design never runs on the app's event loop.
const bcrypt = require('bcryptjs') as typeof import('bcryptjs');

parentPort?.on('message', (m: { id: number; password: string; hash: string }) => {
  let ok = false;
  try {
    ok = bcrypt.compareSync(m.password, m.hash);
  } catch { /* a malformed hash matches nothing */ }
  parentPort!.postMessage({ id: m.id, ok });
});
