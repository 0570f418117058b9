#!/usr/bin/env node
// `npm start` (scripts/start.sh): code-server with the packaged extension installed and a folder
// open, in the foreground until interrupted; then the server's whole process group (extension
// host, language server) is stopped with it.
//   node test/e2e/serve-workspace.mjs <run-dir> <extension.vsix> <folder>
// PORT picks the port (default: a free one). Needs E2E_CODE_SERVER_DIR and E2E_NODE24_HOME.
import path from 'node:path';
import { START_PROFILE, startCodeServer } from './lib/codeServer.mjs';

const [runDir, vsix, folder] = process.argv.slice(2);
if (!runDir || !vsix || !folder) {
  console.error('usage: serve-workspace.mjs <run-dir> <extension.vsix> <folder>');
  process.exit(2);
}
const port = process.env.PORT ? Number(process.env.PORT) : undefined;
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
  console.error(`PORT=${process.env.PORT} is not a port number`);
  process.exit(2);
}

const folderPath = path.resolve(folder);
let server;
try {
  // The product as a user runs it: no test driver, no test key bindings. The server is stopped
  // when this process exits, including on Ctrl-C (SIGINT) and SIGTERM.
  server = await startCodeServer({ ...START_PROFILE, runDir: path.resolve(runDir), vsixPaths: [path.resolve(vsix)], port });
} catch (error) {
  console.error(`code-server did not start: ${error.message}`);
  process.exit(1);
}
const url = `${server.url}/?folder=${encodeURIComponent(folderPath).replace(/%2F/g, '/')}`;
console.log(`LLM Roofline is running in VS Code at ${url}`);
console.log(`(code-server log: ${server.layout.logFile}; Ctrl-C stops it)`);
const ended = await server.exited;
console.error(`code-server ended (${ended}); see ${server.layout.logFile}`);
process.exit(1);
