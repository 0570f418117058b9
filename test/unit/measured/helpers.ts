import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ConfigHost } from '../../../language-server/src/config/types';

export const MEASURED_FIXTURES = path.resolve(__dirname, '../../fixtures/measurements/vllm-bench-serve');
export const DEPLOYMENT_FILE = path.join(MEASURED_FIXTURES, 'llama-3.2-3b-l40s.roofline.yaml');

export function fixtureText(name: string): string {
  return readFileSync(path.join(MEASURED_FIXTURES, name), 'utf8');
}

export function fixtureUri(name: string): string {
  return pathToFileURL(path.join(MEASURED_FIXTURES, name)).toString();
}

/** Files from disk, with `overrides` (by uri) in front. */
export function diskHost(overrides: Record<string, string> = {}): ConfigHost {
  return {
    readFile: (uri: string) => {
      if (uri in overrides) return overrides[uri];
      try {
        return readFileSync(fileURLToPath(uri), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
