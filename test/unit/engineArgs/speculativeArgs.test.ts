/**
 * Speculative decoding arguments: vLLM's --speculative-config (JSON or dotted) and SGLang's
 * --speculative-* are read and checked on their text; what they ask is said on the argument
 * (a command gives no acceptance rate, so its figures leave speculative decoding out), and the copied command writes a
 * deployment's draft model back in the engine's own terms.
 */
import assert from 'node:assert/strict';
import { analyzeDocument } from '../../../language-server/src/config/analyze';
import { applyOffsetEdits } from '../../../language-server/src/config/edit';
import { parseDocument } from '../../../language-server/src/config/parse';
import { resolveDeployment } from '../../../language-server/src/config/resolveDeployment';
import type { ConfigProblem } from '../../../language-server/src/config/types';
import { engineCommandOf } from '../../../language-server/src/engineArgs/toCommand';
import { memoryHost } from '../config/fixtures';

const URI = 'file:///work/project/spec.roofline.yaml';

function analyze(text: string) {
  return analyzeDocument(parseDocument(URI, text, 'deployment'), memoryHost({}));
}

function on(text: string, problem: ConfigProblem): string {
  return text.slice(problem.range.start, problem.range.end);
}

const SERVE = 'vllm serve meta-llama/Llama-3.1-70B --tensor-parallel-size 4 --max-model-len 8192';

function vllm(args: string): string {
  return `hardware: nvidia-h100-sxm\nvllm: >-\n  ${SERVE}\n  ${args}\n`;
}

describe('engine arguments: speculative decoding', () => {
  it('reads a draft model from --speculative-config and says it on the argument; the analysis is the one without it', () => {
    const args = `--speculative-config '{"method": "draft_model", "model": "meta-llama/Llama-3.1-8B", "num_speculative_tokens": 4}'`;
    const text = vllm(args);
    const { problems, result } = analyze(text);
    assert.equal(problems.length, 1);
    const noted = problems[0]!;
    assert.equal(noted.severity, 'information');
    assert.equal(on(text, noted), args);
    assert.equal(
      noted.message,
      'speculative decoding (a draft model, meta-llama/Llama-3.1-8B, proposing 4 tokens per step) is not in these figures: a command gives no acceptance rate, so they decode one token per request per step; write speculative: with the rate you measured to include it',
    );
    assert.deepEqual(result, analyze(`hardware: nvidia-h100-sxm\nvllm: ${SERVE}\n`).result);
  });

  it('puts malformed JSON at its place inside the string', () => {
    const text = vllm(`--speculative-config '{"method": "eagle3", "model": "yuhuili/EAGLE3-LLaMA3.1-Instruct-8B" "num_speculative_tokens": 3}'`);
    const error = analyze(text).problems.find((problem) => problem.severity === 'error')!;
    assert.equal(error.code, 'engine-arg-value');
    // The comma is missing before the third member: the error sits on it, not on the whole value.
    assert.equal(on(text, error), '"num_speculative_tokens"');
    assert.match(error.message, /--speculative-config takes JSON: comma expected at character 69 of the JSON/);
    const unclosed = vllm(`--speculative-config '{"method": "ngram", "num_speculative_tokens": 3'`);
    const eof = analyze(unclosed).problems.find((problem) => problem.severity === 'error')!;
    assert.match(eof.message, /close brace expected/);
    assert.ok(eof.range.start > unclosed.indexOf("'{"), 'inside the string');
  });

  it('checks the method and the token count on their values, with the close method as a fix', () => {
    const text = vllm(`--speculative-config '{"method": "eagel3", "num_speculative_tokens": 0}'`);
    const { problems } = analyze(text);
    const method = problems.find((problem) => problem.severity === 'warning')!;
    assert.equal(on(text, method), '"eagel3"');
    assert.match(method.message, /did you mean eagle3\?$/);
    assert.equal(method.fixes![0]!.title, 'Change to "eagle3"');
    assert.match(applyOffsetEdits(text, method.fixes![0]!.edits), /\{"method": "eagle3",/);
    const tokens = problems.find((problem) => problem.severity === 'error')!;
    assert.equal(on(text, tokens), '0');
    assert.match(tokens.message, /num_speculative_tokens must be a whole number above 0/);
  });

  it('reads the dotted form and methods without a draft model', () => {
    const text = vllm('--speculative-config.method ngram --speculative-config.num_speculative_tokens 5');
    const [noted] = analyze(text).problems;
    assert.equal(on(text, noted!), '--speculative-config.method ngram --speculative-config.num_speculative_tokens 5');
    assert.match(noted!.message, /speculative decoding \(ngram, proposing 5 tokens per step\) is not in these figures/);
  });

  it('SGLang: STANDALONE is a draft model proposing num_steps tokens; EAGLE3 is said as such', () => {
    const base = 'hardware: nvidia-h100-sxm\nsglang: python -m sglang.launch_server --model-path meta-llama/Llama-3.1-70B --tp 4 --context-length 8192';
    const standalone = `${base} --speculative-algorithm STANDALONE --speculative-draft-model-path meta-llama/Llama-3.1-8B --speculative-num-steps 3 --speculative-eagle-topk 1 --speculative-num-draft-tokens 4\n`;
    const noted = analyze(standalone).problems.find((problem) => problem.code === 'engine-arg-not-modelled')!;
    assert.equal(on(standalone, noted), '--speculative-algorithm STANDALONE');
    assert.match(noted.message, /speculative decoding \(a draft model, meta-llama\/Llama-3\.1-8B, proposing 3 tokens per step\)/);
    const eagle = `${base} --speculative-algorithm EAGLE3 --speculative-draft-model-path jamesliu1/sglang-EAGLE3-Llama-3.1-Instruct-8B --speculative-num-draft-tokens 6\n`;
    assert.match(analyze(eagle).problems.find((problem) => problem.code === 'engine-arg-not-modelled')!.message, /\(EAGLE3, from jamesliu1\/sglang-EAGLE3-Llama-3\.1-Instruct-8B, proposing 5 tokens per step\)/);
  });

  it('round trip: the copied command writes the draft model back, and reading it back finds the same draft and tokens', () => {
    const ours = 'model: meta-llama/Llama-3.1-70B\nhardware: nvidia-h100-sxm\nparallelism: { tensor: 4 }\nspeculative: { draft_model: meta-llama/Llama-3.1-8B, draft_tokens: 4, acceptance_rate: 0.7 }\n';
    const input = resolveDeployment(parseDocument(URI, ours, 'deployment'), memoryHost({})).input!;
    const vllmCommand = engineCommandOf('vllm', input, 'meta-llama/Llama-3.1-70B');
    assert.ok(vllmCommand.command.endsWith(`--speculative-config '{"method":"draft_model","model":"meta-llama/Llama-3.1-8B","num_speculative_tokens":4}'`), vllmCommand.command);
    assert.match(vllmCommand.notExpressed.join('\n'), /the acceptance rate 0\.7: no engine argument sets it/);
    const sglangCommand = engineCommandOf('sglang', input, 'meta-llama/Llama-3.1-70B');
    assert.ok(sglangCommand.command.endsWith('--speculative-algorithm STANDALONE --speculative-draft-model-path meta-llama/Llama-3.1-8B --speculative-num-steps 4 --speculative-eagle-topk 1 --speculative-num-draft-tokens 5'), sglangCommand.command);
    for (const [engine, command] of [['vllm', vllmCommand.command], ['sglang', sglangCommand.command]] as const) {
      const back = `hardware: nvidia-h100-sxm\n${engine}: >-\n  ${command}\n`;
      const read = analyze(back);
      const noted = read.problems.find((problem) => problem.code === 'engine-arg-not-modelled')!;
      assert.match(noted.message, /speculative decoding \(a draft model, meta-llama\/Llama-3\.1-8B, proposing 4 tokens per step\)/, engine);
      assert.equal(read.problems.filter((problem) => problem.severity !== 'information').length, 0, engine);
      // Speculative decoding is said, not analysed (no acceptance rate): the same analysis as the command without it.
      const cut = engine === 'vllm' ? command.slice(0, command.indexOf(' --speculative-config')) : command.slice(0, command.indexOf(' --speculative-algorithm'));
      assert.deepEqual(read.result, analyze(`hardware: nvidia-h100-sxm\n${engine}: >-\n  ${cut}\n`).result, engine);
    }
  });
});
