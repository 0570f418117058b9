/**
 * The language server's browser entry (dist/web/server.js): runs in a web worker started by the
 * web extension, talking LSP over the worker's messages, on the browser platform
 * (./browserRuntime.ts). Bundled for the browser: nothing here or below may need node.
 */
import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures } from 'vscode-languageserver/browser';
import { clientFiles } from '../server/clientFiles';
import { startServer } from '../server/server';
import { browserRuntime } from './browserRuntime';

/** The worker's global scope (typed by the LSP library: this project's types have no DOM). */
declare const self: ConstructorParameters<typeof BrowserMessageReader>[0];

const connection = createConnection(ProposedFeatures.all, new BrowserMessageReader(self), new BrowserMessageWriter(self));
startServer(connection, browserRuntime(clientFiles(connection)));
