/**
 * `measured:` entries that name several result files by a pattern in the file name
 * (`./runs/*.json`, `./sweep-{16,64}.json`): the folder is listed through the host, as a model
 * folder is (so Restricted Mode and virtual workspaces apply to it as to every reference), and
 * the pattern is matched with picomatch. Only the last part of the path may be a pattern: a folder
 * pattern would mean walking folders, unbounded.
 */
import picomatch from 'picomatch/posix';
import type { FolderEntry } from './checkpoint/checkpointFiles';

/** At most this many files from one pattern: results are small, but a folder can hold thousands. */
export const MAX_PATTERN_FILES = 64;

const PATTERN_CHARACTERS = /[*?[\]{}]/;

export interface MeasuredPattern {
  /** The folder part as written, with its slash (`./runs/`), or '' for the deployment's own folder. */
  folderReference: string;
  /** The file-name pattern (`*.json`). */
  pattern: string;
}

/** The folder and file-name pattern of a reference with pattern characters; undefined for a plain path. Throws for a pattern in a folder name. */
export function measuredPatternOf(reference: string): MeasuredPattern | undefined {
  const normalized = reference.replace(/\\/g, '/');
  if (!PATTERN_CHARACTERS.test(normalized)) return undefined;
  const slash = normalized.lastIndexOf('/');
  const folderReference = normalized.slice(0, slash + 1);
  if (PATTERN_CHARACTERS.test(folderReference)) throw new Error(`only the file name may be a pattern (${reference}): name the folder, as in ./runs/*.json`);
  return { folderReference, pattern: normalized.slice(slash + 1) };
}

/** The files of a listing that match, in name order (so points keep a stable order). */
export function matchingFiles(entries: readonly FolderEntry[], pattern: string): string[] {
  const isMatch = picomatch(pattern, { dot: false });
  return entries
    .filter((entry) => !entry.isDirectory && isMatch(entry.name))
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

/** The key a folder listing is asked for by (a folder uri ends with `/`; a listing key with `/*`). */
export function listingKey(folderUri: string): string {
  return `${folderUri.endsWith('/') ? folderUri : `${folderUri}/`}*`;
}

/** The folder of a listing key; undefined for any other uri. */
export function folderOfListingKey(key: string): string | undefined {
  return key.endsWith('/*') ? key.slice(0, -1) : undefined;
}
