/**
 * The work meter past the parse (config/checkBudget.ts `withWorkMeter`): the schema validators
 * count each key and item they visit, the engine each block of the model it walks, a meter that
 * finds the budget spent stops them with `CheckStopped` (never an internal-error problem), and a
 * deployment's check pauses between resolving and analysing with the problems found so far.
 * Counted, not timed: nothing here reads a clock.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckStopped, UNITS_PER_BUDGET_LOOK, WorkMeter, unmetered, withWorkMeter } from '../../../language-server/src/config/checkBudget';
import { parseDocument } from '../../../language-server/src/config/parse';
import type { ConfigHost, ParsedDocument } from '../../../language-server/src/config/types';
import { validateDocument } from '../../../language-server/src/config/validate';
import { checkDocument, checkDocumentSteps } from '../../../language-server/src/server/configApi';
import { manyBlocks } from '../../server/adversarialDocuments';

/** A meter whose budget is spent at its `spentAtLook`-th look at the clock. */
function spentAt(spentAtLook: number): WorkMeter {
  let looks = 0;
  return new WorkMeter(() => ++looks >= spentAtLook);
}

const HOST: ConfigHost = { readFile: () => undefined };

function deployment(text: string, suffix = '.roofline.yaml'): ParsedDocument {
  return parseDocument(`file:///w/budget${suffix}`, text, 'deployment');
}

const UNKNOWN_KEYS = 5_000;
const unknownKeys = (): ParsedDocument =>
  deployment(`{ "model": "meta-llama/Llama-3.1-8B", "hardware": "nvidia-h100-sxm"${Array.from({ length: UNKNOWN_KEYS }, (_, index) => `, "k${index}": ${index}`).join('')} }`, '.roofline.json');

describe('check budget: the work meter in validating, resolving and the engine', () => {
  it('counts each key the schema validators visit, and stops validating at the look that finds the budget spent', () => {
    const doc = unknownKeys();
    const whole = unmetered();
    const problems = withWorkMeter(whole, () => validateDocument(doc));
    assert.equal(problems.filter((problem) => problem.code === 'unknown-key').length, 100);
    // Every key is visited by the validator and every error read once after it.
    assert.ok(whole.unitsDone >= 2 * UNKNOWN_KEYS, `${whole.unitsDone} units`);
    for (const look of [1, 3, Math.floor(whole.looks / 2)]) {
      const meter = spentAt(look);
      assert.throws(() => withWorkMeter(meter, () => validateDocument(doc)), CheckStopped);
      assert.equal(meter.looks, look);
      assert.ok(meter.unitsDone <= look * UNITS_PER_BUDGET_LOOK, `${meter.unitsDone} units for ${look} looks`);
    }
  });

  it('looks at the budget once a document is validated, however small', () => {
    const doc = deployment('model: meta-llama/Llama-3.1-8B\nhardware: nvidia-h100-sxm\n');
    const meter = unmetered();
    withWorkMeter(meter, () => validateDocument(doc));
    assert.ok(meter.unitsDone < UNITS_PER_BUDGET_LOOK, `${meter.unitsDone} units`);
    assert.equal(meter.looks, 1);
    assert.throws(() => withWorkMeter(spentAt(1), () => validateDocument(doc)), CheckStopped);
    // Outside a check it looks at nothing.
    assert.ok(validateDocument(doc));
  });

  it('meters every loop of the generated validators', () => {
    const source = readFileSync(join(__dirname, '..', '..', '..', 'language-server', 'src', 'config', 'schemaValidators.generated.ts'), 'utf8');
    const loops = source.match(/\bfor \(/g)?.length ?? 0;
    const metered = source.match(/\bfor \([^\n]*\) \{\n *countCheckWork\(\);\n/g)?.length ?? 0;
    assert.ok(loops > 0);
    assert.equal(metered, loops);
  });

  it('counts each block the engine walks, for a plain and a hybrid model', () => {
    const blocks = 100_000;
    for (const [family, extra] of [['llama', ''], ['jamba', '  num_experts: 16\n  num_experts_per_tok: 2\n']] as const) {
      const meter = unmetered();
      const check = withWorkMeter(meter, () => checkDocument(deployment(manyBlocks(family, extra, blocks)), HOST));
      assert.ok(check.result, `${family}: analysed`);
      assert.ok(meter.unitsDone >= blocks, `${family}: ${meter.unitsDone} units for ${blocks} blocks`);
    }
  });

  it('stops the engine with CheckStopped, not an internal-error problem, and releases the meter after', () => {
    const doc = deployment(manyBlocks('jamba', '', 100_000));
    for (const look of [1, 10, 100]) {
      const meter = spentAt(look);
      assert.throws(() => withWorkMeter(meter, () => checkDocument(doc, HOST)), CheckStopped);
      assert.equal(meter.looks, look);
    }
    // Outside a check nothing is counted or stopped: the CLI and the API analyse it whole.
    const check = checkDocument(doc, HOST);
    assert.ok(check.result);
    assert.deepEqual(check.problems.filter((problem) => problem.code === 'internal-error'), []);
  });

  it('looks at the budget before each measured results file, and pauses before reading them', () => {
    const run = readFileSync(join(__dirname, '..', '..', '..', 'examples', 'measured', 'llama-3.2-3b-4xl40s-base.json'), 'utf8');
    const files = 8;
    const host: ConfigHost = { readFile: (uri) => (/\/runs\/run\d+\.json$/.test(uri) ? run : undefined) };
    const head = 'model: meta-llama/Llama-3.1-8B\nhardware: nvidia-l40s\nworkload:\n  prompt_tokens: 1000\n  output_tokens: 500\n';
    const measured = `measured:\n${Array.from({ length: files }, (_, index) => `  - ./runs/run${index}.json\n`).join('')}`;
    const looksOf = (text: string): number => {
      const meter = unmetered();
      const check = withWorkMeter(meter, () => checkDocument(deployment(text), host));
      assert.ok(check.result, text);
      return meter.looks;
    };
    const without = looksOf(head);
    const withFiles = looksOf(head + measured);
    assert.ok(withFiles - without >= files, `${withFiles - without} more looks for ${files} files`);
    // Spent just after the analysis: it stops among the files.
    assert.throws(() => withWorkMeter(spentAt(without + 2), () => checkDocument(deployment(head + measured), host)), CheckStopped);
    // The pauses: after resolving, then before the measured results, with the analysis' problems.
    const steps = checkDocumentSteps(deployment(head + measured), host);
    assert.equal(steps.next().done, false);
    assert.equal(steps.next().done, false);
    const done = steps.next();
    assert.ok(done.done && done.value.measuredPoints && done.value.measuredPoints.length > 0);
  });

  it('pauses a deployment check between resolving and analysing, with the problems found so far', () => {
    const steps = checkDocumentSteps(deployment(`${manyBlocks('llama', '', 64)}workload:\n  batch_sise: 8\n`), HOST);
    const paused = steps.next();
    assert.equal(paused.done, false);
    assert.deepEqual(paused.value.map((problem) => problem.code), ['unknown-key']);
    const done = steps.next();
    assert.equal(done.done, true);
    assert.ok(done.done && done.value.problems.some((problem) => problem.code === 'unknown-key'));
  });
});
