import type * as zlibTypes from 'node:zlib';

/** Gzips off the event loop (zlib's thread pool): a multi-MiB body never blocks the app. */
export function gzipAsync(data: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => zlib().gzip(data, (err, out) => (err ? reject(err) : resolve(out))));
}

/** Gunzips a small body (a gRPC answer) in place. */
export function gunzipSync(data: Uint8Array): Buffer {
  return zlib().gunzipSync(data);
}

// node:zlib costs over a MiB to load: only when compression is in use.
function zlib(): typeof zlibTypes {
  return require('node:zlib') as typeof zlibTypes;
}
