/**
 * The language server's node entry (dist/server.js): a connection over stdio (`--stdio`) or
 * node IPC (when started by the VS Code client), on the node platform (./nodeRuntime.ts).
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { clientFiles } from '../server/clientFiles';
import { startServer } from '../server/server';
import { nodeRuntime } from './nodeRuntime';

const connection = createConnection(ProposedFeatures.all);
startServer(connection, nodeRuntime(clientFiles(connection)));
