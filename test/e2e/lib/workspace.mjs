// Each run works on a fresh copy of the test workspace, so edits made by the tests (quick fixes,
// panel controls) never reach the source tree and never leak into the next run. The repository's
// examples/ are copied in as `examples/`: the tests open them as a user of the examples would.
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const e2eDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
export const WORKSPACE_SOURCE = path.join(e2eDir, 'workspace');
export const EXAMPLES_SOURCE = path.resolve(e2eDir, '..', '..', 'examples');
/** The folder of the examples inside a test workspace (suite/examples.test.ts, ui/*.test.mjs). */
export const EXAMPLES_FOLDER = 'examples';

export function freshWorkspace(target, source = process.env.E2E_WORKSPACE_SOURCE || WORKSPACE_SOURCE) {
  rmSync(target, { recursive: true, force: true });
  cpSync(source, target, { recursive: true });
  cpSync(EXAMPLES_SOURCE, path.join(target, EXAMPLES_FOLDER), { recursive: true });
  return target;
}
