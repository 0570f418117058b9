/** File reading for the CLI and the API: uris ↔ paths through node's url helpers. */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConfigHost } from '../config/types';

export const nodeHost: ConfigHost = {
  readFile(uri: string): string | undefined {
    try {
      return readFileSync(fileURLToPath(uri), 'utf8');
    } catch {
      return undefined;
    }
  },
};

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
