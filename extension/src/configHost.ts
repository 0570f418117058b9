/**
 * File reading for the config layer when it runs in the extension host (the hardware comparison):
 * the text of an open document wins over the file on disk, as it does in the language server;
 * files on disk go through the shared bounded reader, asynchronously, so the extension host never
 * waits on a file (a FIFO, a device, a huge file). Imports nothing from `vscode`; the open-document
 * lookup and the read policy (Restricted Mode) are injected.
 */
import type { FileReader } from '../../language-server/src/config/prefetch';
import type { ReadPolicy } from '../../language-server/src/config/readPolicy';
import { readConfigFile } from '../../language-server/src/node/readConfigFile';

export function createFileReader(openDocumentText: (uri: string) => string | undefined, policy: ReadPolicy): FileReader {
  return async (uri) => {
    const open = openDocumentText(uri);
    if (open !== undefined) return open;
    return readConfigFile(uri, policy);
  };
}
