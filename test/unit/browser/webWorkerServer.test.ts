/**
 * The browser build of the language server (dist/web/server.js) run as a web worker runs it: in a
 * context with a worker's globals and none of node's (no `process`, `Buffer`, `require`), talking
 * LSP over `postMessage`. A deployment that names a hardware file gets its analysis from a file the
 * server asked the client for (`llmRoofline/readFile`), and a missing one its error: the server
 * needs nothing of node, and reads files only through the client.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, runInContext } from 'node:vm';

const BUNDLE = join(__dirname, '..', '..', '..', 'dist', 'web', 'server.js');
const SAKURA = join(__dirname, '..', '..', 'fixtures', 'checkpoints', 'qwen2.5-14b-sakura');
const QWEN25_14B_TOTAL = 29_540_067_328; // metadata.total_size of the real index

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
}

/** The server's answer to the client's request `id` (the server's own requests to the client have ids too). */
function isAnswer(message: Message, id: number): boolean {
  return message.id === id && message.method === undefined;
}

/** A web worker's global scope around the bundle, with the page's side of its message port. */
function startWorker(answerRequest: (message: Message) => unknown) {
  const received: Message[] = [];
  const waiters: { match: (message: Message) => boolean; resolve: (message: Message) => void }[] = [];
  const scope: Record<string, unknown> = {
    console: { log() {}, info() {}, warn() {}, error() {}, debug() {} },
    setTimeout,
    clearTimeout,
    setInterval,
    clearInterval,
    queueMicrotask,
    performance,
    TextEncoder,
    TextDecoder,
    URL,
    atob,
    btoa,
    crypto,
    structuredClone,
  };
  const listeners: ((event: { data: unknown }) => void)[] = [];
  scope.self = scope;
  scope.addEventListener = (type: string, listener: (event: { data: unknown }) => void) => {
    if (type === 'message') listeners.push(listener);
  };
  scope.removeEventListener = () => undefined;
  scope.postMessage = (data: Message) => {
    received.push(data);
    if (data.method && data.id !== undefined) {
      // A request from the server to the client: answered as VS Code's client would.
      Promise.resolve(answerRequest(data)).then((result) => deliver({ jsonrpc: '2.0', id: data.id, result: result ?? null } as Message));
    }
    for (const waiter of waiters.splice(0)) {
      if (waiter.match(data)) waiter.resolve(data);
      else waiters.push(waiter);
    }
  };
  const deliver = (data: Message) => {
    const event = { data };
    const onmessage = scope.onmessage as ((event: { data: unknown }) => void) | undefined;
    onmessage?.(event);
    for (const listener of listeners) listener(event);
  };
  createContext(scope);
  runInContext(readFileSync(BUNDLE, 'utf8'), scope, { filename: BUNDLE });
  return {
    scope,
    send: (message: Message) => deliver({ jsonrpc: '2.0', ...message } as Message),
    next(match: (message: Message) => boolean): Promise<Message> {
      const already = received.find(match);
      if (already) return Promise.resolve(already);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

describe('the language server built for the browser (dist/web/server.js)', function () {
  this.timeout(20_000);

  it('runs without node and reads a referenced hardware file and model folder through the client', async () => {
    const asked: string[] = [];
    const worker = startWorker((request) => {
      if (request.method === 'llmRoofline/readFile') {
        const { uri } = request.params as { uri: string };
        asked.push(uri);
        if (uri.endsWith('/lab.hardware.yaml')) return { text: 'extends: nvidia-h100-sxm\nname: lab card\n' };
        const inFolder = /\/models\/sakura\/([^/]+)$/.exec(uri);
        return inFolder ? { text: readFileSync(join(SAKURA, decodeURIComponent(inFolder[1]!)), 'utf8') } : { missing: true };
      }
      if (request.method === 'llmRoofline/listDirectory') {
        const { uri } = request.params as { uri: string };
        asked.push(uri);
        if (!/\/models\/sakura\/?$/.test(uri)) return { entries: [], missing: true };
        return { entries: readdirSync(SAKURA).map((name) => ({ name, isDirectory: statSync(join(SAKURA, name)).isDirectory() })) };
      }
      if (request.method === 'workspace/configuration') return [{}];
      return null;
    });
    for (const name of ['process', 'Buffer', 'require', 'global']) assert.equal(name in worker.scope, false, `${name} is not a worker global`);

    worker.send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    const initialized = await worker.next((message) => isAnswer(message, 1));
    // No process to end: a web worker has no process id to report.
    assert.equal((initialized.result as { capabilities: { experimental?: { processId?: number } } }).capabilities.experimental?.processId, undefined);
    worker.send({ method: 'initialized', params: {} });

    const base = 'vscode-vfs://github/acme/serving';
    const deployment = `${base}/web.roofline.yaml`;
    const missing = `${base}/gone.roofline.yaml`;
    const text = 'model: meta-llama/Llama-2-7b-hf\nhardware: ./lab.hardware.yaml\n';
    worker.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: deployment, languageId: 'yaml', version: 1, text } } });
    worker.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: missing, languageId: 'yaml', version: 1, text: 'model: meta-llama/Llama-2-7b-hf\nhardware: ./gone.hardware.yaml\n' } } });

    worker.send({ id: 2, method: 'llmRoofline/analysis', params: { uri: deployment } });
    const analysis = (await worker.next((message) => isAnswer(message, 2))).result as { hardwareName?: string; result?: { hardware: { name?: string } }; errors: string[] };
    assert.equal(analysis.errors.length, 0, analysis.errors.join('\n'));
    assert.equal(analysis.hardwareName, 'lab card');
    assert.ok(asked.includes(`${base}/lab.hardware.yaml`), `asked the client for: ${asked.join(', ')}`);

    const published = await worker.next(
      (message) => message.method === 'textDocument/publishDiagnostics' && (message.params as { uri: string; diagnostics: unknown[] }).uri === missing && (message.params as { diagnostics: unknown[] }).diagnostics.length > 0,
    );
    const messages = (published.params as { diagnostics: { message: string }[] }).diagnostics.map((diagnostic) => diagnostic.message);
    assert.ok(messages.some((message) => message.includes('gone.hardware.yaml')), messages.join('\n'));

    // A model folder in the repository: its config.json and safetensors index, read through the
    // client, give the index's exact total as the weight bytes.
    const folderDeployment = `${base}/sakura.roofline.yaml`;
    worker.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: folderDeployment, languageId: 'yaml', version: 1, text: 'model: ./models/sakura/\nhardware: nvidia-h100-sxm\n' } } });
    worker.send({ id: 3, method: 'llmRoofline/analysis', params: { uri: folderDeployment } });
    const folderAnalysis = (await worker.next((message) => isAnswer(message, 3))).result as { result?: { memory: { weights_bytes: number } }; errors: string[] };
    assert.equal(folderAnalysis.errors.length, 0, folderAnalysis.errors.join('\n'));
    assert.equal(folderAnalysis.result?.memory.weights_bytes, QWEN25_14B_TOTAL);
    assert.ok(asked.includes(`${base}/models/sakura/`), `listed the folder through the client: ${asked.join(', ')}`);

    worker.send({ id: 4, method: 'shutdown' });
    await worker.next((message) => isAnswer(message, 4));
  });
});
