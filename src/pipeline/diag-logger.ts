import { diag, type DiagLogLevel } from '@opentelemetry/api';
import { stderrLogger } from '../../core/diag';

// Where @opentelemetry/api 1.x keeps its globals (diag's logger among them), shared by every copy
// of the API in the process (node_modules/@opentelemetry/api, src/internal/global-utils.ts).
const API_GLOBALS = Symbol.for('opentelemetry.js.api.1');

function registeredDiagLogger(): unknown {
  return (globalThis as { [API_GLOBALS]?: { diag?: unknown } })[API_GLOBALS]?.diag;
}

/**
 * Routes upstream `diag` lines (the SDK's own warnings) to our one-line stderr logger at `level`,
 * unless the app set a diag logger of its own: that one is kept, and upstream's lines go where
 * the app wants them (ours still reach stderr through the pipeline's Log). Returns the undo for
 * shutdown: it removes our logger only if it is still the registered one, so a logger the app
 * set meanwhile stays.
 */
export function addDiagLogger(level: DiagLogLevel): () => void {
  if (registeredDiagLogger() !== undefined) return () => {};
  diag.setLogger(stderrLogger, { logLevel: level, suppressOverrideMessage: true });
  // setLogger registers a level-filtering wrapper, not stderrLogger itself: remember that object.
  const ours = registeredDiagLogger();
  return () => {
    if (ours !== undefined && registeredDiagLogger() === ours) diag.disable();
  };
}
