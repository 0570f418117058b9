/**
 * Files a deployment must never be stuck on, exhausted by or made to quote, through the real
 * reader in a real temporary folder: a FIFO, a symlink to /dev/zero, `#` and `?` in references,
 * /proc and /etc files, a 10 MB file, and Restricted Mode. A blocking read would time the test out;
 * an unbounded one would exhaust memory.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeDocument } from '../../../language-server/src/config/analyze';
import { parseDocument } from '../../../language-server/src/config/parse';
import { withFilesRead } from '../../../language-server/src/config/prefetch';
import { MAX_CONFIG_FILE_BYTES, readPolicyOfTrust, restrictedTo, TRUSTED, type ReadPolicy } from '../../../language-server/src/config/readPolicy';
import type { ConfigProblem } from '../../../language-server/src/config/types';
import { readConfigFile, readConfigFileSync } from '../../../language-server/src/node/readConfigFile';
import { lineCol } from './fixtures';
import { makeHostileWorkspace, onLinux, SECRET, type HostileWorkspace } from './hostileWorkspace';

function check(root: string, text: string, policy: ReadPolicy = TRUSTED): { problems: ConfigProblem[]; text: string } {
  const uri = pathToFileURL(join(root, 'deploy.roofline.yaml')).href;
  const analysis = analyzeDocument(parseDocument(uri, text, 'deployment'), { readFile: (target) => readConfigFileSync(target, policy) });
  return { problems: analysis.problems, text };
}

/** The one problem on the reference at `key`, with its position in the deployment. */
function problemOn(outcome: { problems: ConfigProblem[]; text: string }, key: string): ConfigProblem & { at: string } {
  const found = outcome.problems.filter((problem) => problem.path.join('.') === key && problem.severity === 'error');
  assert.equal(found.length, 1, `one error on ${key}: ${JSON.stringify(outcome.problems.map((p) => p.message))}`);
  return { ...found[0]!, at: lineCol(outcome.text, found[0]!.range.start) };
}

(onLinux ? describe : describe.skip)('hostile referenced files (config layer, real files)', function () {
  this.timeout(10_000);
  let workspace: HostileWorkspace;
  before(() => {
    process.env.ROOFLINE_TEST_SECRET = SECRET;
    workspace = makeHostileWorkspace();
  });
  after(() => {
    delete process.env.ROOFLINE_TEST_SECRET;
    workspace.remove();
  });

  it('refuses a FIFO as hardware without blocking, on the hardware value', () => {
    const problem = problemOn(check(workspace.root, 'model: meta-llama/Llama-2-7b-hf\nhardware: ./pipe.hardware.yaml\n'), 'hardware');
    assert.equal(problem.code, 'unreadable-file');
    assert.equal(problem.at, '2:11');
    assert.equal(problem.message, 'hardware file ./pipe.hardware.yaml was not read: not a regular file (a device, pipe or folder, or a link to one)');
  });

  it('refuses a symlink x.model.json → /dev/zero, as the model and as the draft model', () => {
    const asModel = problemOn(check(workspace.root, 'model: ./x.model.json\nhardware: nvidia-l4\n'), 'model');
    assert.match(asModel.message, /^model file \.\/x\.model\.json was not read: not a regular file/);
    const draft = check(
      workspace.root,
      'model: meta-llama/Llama-2-7b-hf\nhardware: nvidia-l4\nspeculative:\n  draft_model: ./x.model.json\n  acceptance_rate: 0.7\n',
    );
    const onDraft = problemOn(draft, 'speculative.draft_model');
    assert.equal(onDraft.at, '4:16');
    assert.match(onDraft.message, /not a regular file/);
  });

  it('reads `/dev/zero#.json` as the path it names (a file called zero#.json), not as /dev/zero', () => {
    const problem = problemOn(check(workspace.root, 'model: /dev/zero#.json\nhardware: nvidia-l4\n'), 'model');
    assert.equal(problem.code, 'missing-file');
    assert.equal(problem.message, "model file not found: /dev/zero#.json, relative to this file's folder");
    const query = problemOn(check(workspace.root, 'model: /dev/zero?.json\nhardware: nvidia-l4\n'), 'model');
    assert.equal(query.code, 'missing-file');
  });

  it('checks the extension of the path a file: URL reads, not of its fragment', () => {
    const problem = problemOn(check(workspace.root, 'model: file:///dev/zero#.json\nhardware: nvidia-l4\n'), 'model');
    // file:///dev/zero is no config file name, so it is a folder reference: /dev/zero/config.json does not exist.
    assert.equal(problem.code, 'missing-file');
    assert.equal(problem.message, "model file not found: file:///dev/zero#.json (looked for /dev/zero/config.json), relative to this file's folder");
    const asHardware = problemOn(check(workspace.root, 'model: meta-llama/Llama-2-7b-hf\nhardware: file:///dev/zero#.hardware.yaml\n'), 'hardware');
    assert.equal(asHardware.message, 'zero is not a hardware file: hardware files are named *.hardware.yaml (or .yml, .json)');
  });

  it('never shows the environment: /proc/self/environ#.yaml is not a hardware file and is not read', () => {
    for (const reference of ['/proc/self/environ#.yaml', '/proc/self/environ', 'file:///proc/self/environ#.hardware.yaml']) {
      const outcome = check(workspace.root, `model: meta-llama/Llama-2-7b-hf\nhardware: ${reference}\n`);
      const problem = problemOn(outcome, 'hardware');
      assert.ok(!JSON.stringify(outcome.problems).includes(SECRET), reference);
      assert.ok(['wrong-kind', 'missing-file'].includes(problem.code), `${reference}: ${problem.code}`);
    }
    const named = problemOn(check(workspace.root, 'model: meta-llama/Llama-2-7b-hf\nhardware: /proc/self/environ#.yaml\n'), 'hardware');
    assert.equal(named.message, 'environ#.yaml is not a hardware file: hardware files are named *.hardware.yaml (or .yml, .json)');
  });

  it('never shows a line of /etc/passwd', () => {
    for (const key of ['hardware', 'model']) {
      const other = key === 'hardware' ? 'model: meta-llama/Llama-2-7b-hf' : 'hardware: nvidia-l4';
      const outcome = check(workspace.root, `${other}\n${key}: /etc/passwd#.yaml\n`);
      problemOn(outcome, key);
      assert.ok(!/root:|nologin|\/bin\//.test(JSON.stringify(outcome.problems)), JSON.stringify(outcome.problems));
    }
  });

  it('shows none of the keys of a file that is not one of ours, named by an absolute path', () => {
    const outcome = check(workspace.root, `model: ${join(workspace.root, 'package.json')}\nhardware: ${join(workspace.root, 'compose.yaml')}\n`);
    assert.ok(!JSON.stringify(outcome.problems).includes(SECRET), JSON.stringify(outcome.problems));
    assert.equal(problemOn(outcome, 'model').message, 'package.json is not a model file: a Hugging Face config.json has model_type or architectures at the top level');
    assert.equal(problemOn(outcome, 'hardware').message, 'compose.yaml is not a hardware file: hardware files are named *.hardware.yaml (or .yml, .json)');
  });

  it('refuses a 10 MB file while reading it, with the limit in the message', () => {
    const problem = problemOn(check(workspace.root, 'model: ./big.model.json\nhardware: nvidia-l4\n'), 'model');
    assert.equal(problem.message, 'model file ./big.model.json was not read: larger than 1 MiB (config files are a few kilobytes)');
  });

  it('in Restricted Mode reads only inside the workspace folders, wherever a symlink points', () => {
    const policy = restrictedTo([pathToFileURL(workspace.root).href]);
    const inside = check(workspace.root, 'model: meta-llama/Llama-2-7b-hf\nhardware: ./lab.hardware.yaml\n', policy);
    assert.deepEqual(inside.problems.filter((problem) => problem.severity === 'error'), []);
    const far = problemOn(check(workspace.root, 'model: meta-llama/Llama-2-7b-hf\nhardware: ../elsewhere/far.hardware.yaml\n', policy), 'hardware');
    assert.equal(far.code, 'unreadable-file');
    assert.equal(far.message, 'Not read in Restricted Mode: ../elsewhere/far.hardware.yaml is outside the workspace folders. Trust the workspace to read it.');
    const linked = problemOn(check(workspace.root, 'model: meta-llama/Llama-2-7b-hf\nhardware: ./linked.hardware.yaml\n', policy), 'hardware');
    assert.match(linked.message, /^Not read in Restricted Mode/);
    // Trusted, the same references are read.
    assert.deepEqual(check(workspace.root, 'model: meta-llama/Llama-2-7b-hf\nhardware: ../elsewhere/far.hardware.yaml\n').problems.filter((p) => p.severity === 'error'), []);
  });

  it('enforces the byte limit while reading, since stat says 0 bytes for /proc files', async () => {
    const environ = pathToFileURL('/proc/self/environ').href;
    assert.deepEqual(readConfigFileSync(environ, { maxBytes: 8 }), { unreadable: 'too-large', limitBytes: 8 });
    assert.deepEqual(await readConfigFile(environ, { maxBytes: 8 }), { unreadable: 'too-large', limitBytes: 8 });
  });

  it('reads asynchronously with the same refusals (a FIFO with no writer answers at once)', async () => {
    assert.deepEqual(await readConfigFile(workspace.uriOf('pipe.hardware.yaml')), { unreadable: 'not-regular-file' });
    assert.deepEqual(await readConfigFile(workspace.uriOf('x.model.json')), { unreadable: 'not-regular-file' });
    assert.deepEqual(await readConfigFile(workspace.uriOf('big.model.json')), { unreadable: 'too-large', limitBytes: MAX_CONFIG_FILE_BYTES });
    assert.equal(await readConfigFile(workspace.uriOf('lab.hardware.yaml')), 'extends: nvidia-l4\nname: lab card\n');
    assert.equal(await readConfigFile(workspace.uriOf('missing.hardware.yaml')), undefined);
    assert.deepEqual(await readConfigFile(workspace.uriOf('linked.hardware.yaml'), restrictedTo([pathToFileURL(workspace.root).href])), { unreadable: 'outside-workspace' });
    assert.equal(await readConfigFile('untitled:Untitled-1'), undefined);
  });

  it('resolves a deployment over asynchronous reads, reading each referenced file once', async () => {
    const asked: string[] = [];
    const text = 'model: ./x.model.json\nhardware: ./lab.hardware.yaml\n';
    const uri = pathToFileURL(join(workspace.root, 'deploy.roofline.yaml')).href;
    const analysis = await withFilesRead(
      (host) => analyzeDocument(parseDocument(uri, text, 'deployment'), host),
      (target) => {
        asked.push(target);
        return readConfigFile(target);
      },
    );
    assert.deepEqual(asked.sort(), [workspace.uriOf('lab.hardware.yaml'), workspace.uriOf('x.model.json')]);
    assert.deepEqual(
      analysis.problems.filter((problem) => problem.severity === 'error').map((problem) => problem.message),
      ['model file ./x.model.json was not read: not a regular file (a device, pipe or folder, or a link to one)'],
    );
  });
});

describe('read policy from workspace trust', () => {
  it('is trusted unless the client says it is not', () => {
    assert.deepEqual(readPolicyOfTrust(undefined), TRUSTED);
    assert.deepEqual(readPolicyOfTrust({ trusted: true, folders: [] }), TRUSTED);
    assert.deepEqual(readPolicyOfTrust({ trusted: false, folders: ['file:///w', 'untitled:x', 3] }), { onlyWithin: ['file:///w'] });
    assert.deepEqual(readPolicyOfTrust({ trusted: false }), { onlyWithin: [] });
    // In the browser, workspace folders are virtual (github.dev) or remote (a browser workbench).
    assert.deepEqual(readPolicyOfTrust({ trusted: false, folders: ['vscode-vfs://github/o/r', 'vscode-remote://host:8080/w'] }), {
      onlyWithin: ['vscode-vfs://github/o/r', 'vscode-remote://host:8080/w'],
    });
  });

  it('decides inside or outside by whole path segments, whatever the encoding', () => {
    const policy = restrictedTo(['file:///c%3A/work/app']);
    assert.deepEqual(readConfigFileSync('file:///c:/work/app2/x.hardware.yaml', policy), { unreadable: 'outside-workspace' });
    assert.deepEqual(readConfigFileSync('file:///C:/work/other/x.hardware.yaml', policy), { unreadable: 'outside-workspace' });
  });
});
