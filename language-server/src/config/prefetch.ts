/**
 * Asynchronous file reading for the synchronous config layer: resolution runs over the files read
 * so far; whatever it asked for and did not have is read (all at once, without blocking), and it
 * runs again, until it asks for nothing new. Resolution is cheap and references are shallow (a
 * deployment names a model, a hardware file and a draft model; those name only presets), so this
 * is two runs in practice. No `fs` here: the reading is injected.
 */
import type { ConfigHost, FileRead } from './types';

export type FileReader = (uri: string) => Promise<FileRead>;

/** Rounds after which the last run's answer stands (each round reads at least one new file). */
const MAX_ROUNDS = 8;

export async function withFilesRead<T>(run: (host: ConfigHost) => T, read: FileReader): Promise<T> {
  const files = new Map<string, FileRead>();
  for (let round = 1; ; round++) {
    const wanted = new Set<string>();
    const result = run({
      readFile: (uri) => {
        if (files.has(uri)) return files.get(uri);
        wanted.add(uri);
        return undefined;
      },
    });
    if (wanted.size === 0 || round === MAX_ROUNDS) return result;
    const reads = await Promise.all([...wanted].map(async (uri) => [uri, await read(uri)] as const));
    for (const [uri, text] of reads) files.set(uri, text);
  }
}
