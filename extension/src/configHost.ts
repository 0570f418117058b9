/**
 * File reading for the config layer when it runs in the extension host (the hardware comparison):
 * the text of an open document wins over the file, as it does in the language server; files go
 * through the platform's bounded reader (disk in node, VS Code's file system in the browser),
 * asynchronously, so the extension host never waits on a file. Imports nothing from `vscode`.
 */
import type { FileReader } from '../../language-server/src/config/prefetch';

export function createFileReader(openDocumentText: (uri: string) => string | undefined, readFile: FileReader): FileReader {
  return async (uri) => {
    const open = openDocumentText(uri);
    if (open !== undefined) return open;
    return readFile(uri);
  };
}
