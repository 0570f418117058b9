/** Shared helpers for the config tests: fixture files, a disk host, an in-memory host, line:col. */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConfigHost } from '../../../language-server/src/config/types';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');

/** Fixture files as they are (the reader with its limits is tested in readConfigFile.test.ts). */
export const diskHost = {
  readFile(uri: string): string | undefined {
    try {
      return readFileSync(fileURLToPath(uri), 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** A host over a few in-memory files, keyed by uri. */
export function memoryHost(files: Record<string, string>): ConfigHost {
  return { readFile: (uri: string) => files[uri] };
}

export function fixtureUri(...segments: string[]): string {
  return pathToFileURL(join(FIXTURES, ...segments)).toString();
}

export function filesIn(folder: string): string[] {
  return readdirSync(join(FIXTURES, folder))
    .filter((name) => /\.(ya?ml|json)$/.test(name))
    .sort();
}

/** 1-based `line:col` of an offset. */
export function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

export interface Expectation {
  code: string;
  /** File the problem is in, relative to the fixture (absent: the fixture itself). */
  file?: string;
  position: string;
  message: string;
}

/**
 * The expectations written at the top of an invalid fixture:
 * `# expect: <code> [@file] <line>:<col> <message substring>` and `# expect-suggestion: <id>`.
 */
export function expectationsOf(text: string): { problems: Expectation[]; suggestions: string[] } {
  const problems: Expectation[] = [];
  const suggestions: string[] = [];
  for (const line of text.split('\n')) {
    const problem = /^(?:#|\/\/) expect: (\S+) (?:@(\S+) )?(\d+:\d+)(?: (.*))?$/.exec(line);
    if (problem) problems.push({ code: problem[1]!, ...(problem[2] ? { file: problem[2] } : {}), position: problem[3]!, message: problem[4] ?? '' });
    const suggestion = /^(?:#|\/\/) expect-suggestion: (\S+)$/.exec(line);
    if (suggestion) suggestions.push(suggestion[1]!);
  }
  return { problems, suggestions };
}
