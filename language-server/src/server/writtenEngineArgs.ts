/**
 * The `vllm:` or `sglang:` command written in the deployment itself, placed on its words: what the
 * hover on an argument and the start-up inlay hint read. Hovers and hints read no files, so a
 * command kept in a `--config` file places no argument here.
 */
import { withEngineArgs, type EngineArgsResolution } from '../engineArgs/applyEngineArgs';
import type { CheckedEntry } from './checker';

const NO_FILES = { readFile: (): undefined => undefined };

/** By check: a check stands until its document changes, and every hover and hint on it reads the same words. */
const byCheck = new WeakMap<CheckedEntry, EngineArgsResolution | undefined>();

export function writtenEngineArgs(entry: CheckedEntry): EngineArgsResolution | undefined {
  if (!byCheck.has(entry)) {
    const resolution = withEngineArgs(entry.parsed, NO_FILES);
    byCheck.set(entry, resolution && resolution.argsUri === entry.uri ? resolution : undefined);
  }
  return byCheck.get(entry);
}
