/**
 * File reading for the config layer when it runs in the extension host (hardware comparison,
 * jump to source): the text of an open document wins over the file on disk, as it does in the
 * language server. Imports nothing from `vscode`; the open-document lookup is injected.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConfigHost } from '../../language-server/src/config/types';

export function createConfigHost(openDocumentText: (uri: string) => string | undefined): ConfigHost {
  return {
    readFile(uri: string): string | undefined {
      const open = openDocumentText(uri);
      if (open !== undefined) return open;
      if (!uri.startsWith('file:')) return undefined;
      try {
        return readFileSync(fileURLToPath(uri), 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}
