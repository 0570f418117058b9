/**
 * File reading for the CLI and the API: uris ↔ paths through node's url helpers. Both are trusted
 * (they read what the user names), within the byte limit and only regular files.
 */
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TRUSTED } from '../config/readPolicy';
import type { ConfigHost } from '../config/types';
import { readConfigFileSync } from '../node/readConfigFile';
import { runSync } from '../config/checkpoint/checkpointFiles';
import { readCheckpoint } from '../config/checkpoint/readCheckpoint';
import { syncCheckpointFiles } from '../node/checkpointFiles';

export const nodeHost: ConfigHost = {
  readFile: (uri) => readConfigFileSync(uri, TRUSTED),
  readCheckpoint: (folderUri) => runSync(readCheckpoint(folderUri), syncCheckpointFiles(TRUSTED)),
  listFolder: (folderUri) => syncCheckpointFiles(TRUSTED).listFolder(folderUri) ?? null,
};

/** The text of a file when it could be read, for placing problems in it. */
export function nodeText(uri: string): string | undefined {
  const read = nodeHost.readFile(uri);
  return typeof read === 'string' ? read : undefined;
}

export function uriOfPath(path: string, baseDir = process.cwd()): string {
  return pathToFileURL(resolve(baseDir, path)).toString();
}

/** A file uri as a path relative to the working directory (absolute when outside it). */
export function displayPath(uri: string): string {
  try {
    const absolute = fileURLToPath(uri);
    const shown = relative(process.cwd(), absolute);
    return shown.startsWith('..') || shown === '' ? absolute : shown;
  } catch {
    return uri;
  }
}
