/**
 * The work meter inside a check's long steps (config/checkBudget.ts `WorkMeter`): the JSON tree
 * and value built under it are the library's own, YAML composed under it is what it was, the clock is looked at every
 * `UNITS_PER_BUDGET_LOOK` units of work, and a parse told at a look that the budget is spent
 * stops there with a `check-stopped` problem. Counted, not timed: nothing here reads a clock.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getNodeValue, parseTree, type ParseError } from 'jsonc-parser';
import { parse as parseYamlLibrary } from 'yaml';
import { CheckStopped, UNITS_PER_BUDGET_LOOK, WorkMeter, unmetered } from '../../../language-server/src/config/checkBudget';
import { nodeValueMetered, parseTreeMetered } from '../../../language-server/src/config/jsonTree';
import { jsonTooDeepAt } from '../../../language-server/src/config/jsonTokens';
import { parseDocumentSteps } from '../../../language-server/src/config/parse';
import { MAX_NESTING_DEPTH, MAX_TEXT_LENGTH } from '../../../language-server/src/config/parseYaml';
import type { ParsedDocument } from '../../../language-server/src/config/types';
import { adversarialDocuments } from '../../server/adversarialDocuments';

const OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true };

/** Runs the parse's steps through, never stopping between them (only the meter can stop it). */
function parseWith(uri: string, text: string, meter: WorkMeter): ParsedDocument {
  const steps = parseDocumentSteps(uri, text, uri.endsWith('config.json') ? 'hf-config' : 'deployment', meter);
  let step = steps.next();
  while (!step.done) step = steps.next(false);
  return step.value;
}

/** A meter whose budget is spent at its `spentAtLook`-th look at the clock. */
function spentAt(spentAtLook: number): WorkMeter {
  let looks = 0;
  return new WorkMeter(() => ++looks >= spentAtLook);
}

function uriOf(suffix: string): string {
  return suffix.startsWith('.') ? `file:///w/slow${suffix}` : `file:///w/d/${suffix}`;
}

const jsonTexts = (): { name: string; text: string }[] => {
  const fixtures = join(__dirname, '..', '..', 'fixtures', 'hf');
  const real = readdirSync(fixtures, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.json'))
    .map((path) => ({ name: path, text: readFileSync(join(fixtures, path), 'utf8') }));
  // Only what the parse builds a tree of: within the size and depth limits (the library recurses per level).
  const corpus = adversarialDocuments().filter(
    (document) => document.suffix.endsWith('.json') && document.text.length <= MAX_TEXT_LENGTH && jsonTooDeepAt(document.text, MAX_NESTING_DEPTH) === undefined,
  );
  const broken = ['{"a": 1,, "b": }', '{"a" 1}', '[1, 2', '{"a": [1, {"b": }]', '// c\n{"a": 1,}', '', '{"k": 1, "k": 2}'];
  return [...real, ...corpus.map(({ name, text }) => ({ name, text })), ...broken.map((text) => ({ name: JSON.stringify(text), text }))];
};

describe('check budget: the work meter inside long steps', () => {
  it('builds the same JSON tree, errors and value as jsonc-parser, for real configs, the adversarial corpus and broken text', () => {
    for (const { name, text } of jsonTexts()) {
      const libraryErrors: ParseError[] = [];
      const meteredErrors: ParseError[] = [];
      const library = parseTree(text, libraryErrors, OPTIONS);
      const metered = parseTreeMetered(text, meteredErrors, OPTIONS, unmetered());
      // Node objects hold their parents: compare them without the cycles.
      const plain = (node: unknown) => JSON.stringify(node, (key, value: unknown) => (key === 'parent' ? undefined : value));
      assert.equal(plain(metered), plain(library), name);
      assert.deepEqual(meteredErrors, libraryErrors, name);
      if (library) assert.deepEqual(nodeValueMetered(metered!, unmetered()), getNodeValue(library), name);
    }
  });

  it('composes YAML through the metered view of its collections to the value the library reads', () => {
    const root = join(__dirname, '..', '..', '..');
    const folders = [join(root, 'examples'), join(root, 'test', 'fixtures', 'deployments'), join(root, 'test', 'fixtures', 'hardware')];
    let files = 0;
    for (const folder of folders) {
      for (const name of readdirSync(folder).filter((file) => file.endsWith('.yaml'))) {
        const text = readFileSync(join(folder, name), 'utf8');
        const parsed = parseWith(`file:///w/${name}`, text, unmetered());
        assert.deepEqual(parsed.syntaxProblems, [], name);
        assert.deepEqual(parsed.value, parseYamlLibrary(text), name);
        files++;
      }
    }
    assert.ok(files >= 10, `${files} YAML files`);
  });

  it('looks at the clock once every UNITS_PER_BUDGET_LOOK units, and not before', () => {
    let looks = 0;
    const meter = new WorkMeter(() => {
      looks++;
      return false;
    });
    for (let unit = 1; unit < UNITS_PER_BUDGET_LOOK; unit++) meter.unit();
    assert.equal(looks, 0);
    meter.unit();
    assert.equal(looks, 1);
    for (let unit = 0; unit < 10 * UNITS_PER_BUDGET_LOOK; unit++) meter.unit();
    assert.equal(looks, 11);
    assert.throws(() => new WorkMeter(() => true).lookNow(), CheckStopped);
  });

  it('meters every step of a large JSON or YAML parse: no more than UNITS_PER_BUDGET_LOOK units between two looks', () => {
    // The documents whose steps ran longest (up to 125 ms of CPU in one step before the meter).
    const names = ['JSON objects at depth 63, repeated', 'JSON many syntax errors', 'JSON flat map of unknown keys', 'config.json with a 128 KB label map', 'explicit keys ? ×64 per line', 'YAML duplicate keys'];
    for (const name of names) {
      const document = adversarialDocuments().find((candidate) => candidate.name === name)!;
      const meter = unmetered();
      const parsed = parseWith(uriOf(document.suffix), document.text, meter);
      assert.ok(!parsed.syntaxProblems.some((problem) => problem.code === 'check-stopped'), name);
      // Thousands of units, each counted: the looks follow them.
      assert.ok(meter.unitsDone > 10 * UNITS_PER_BUDGET_LOOK, `${name}: ${meter.unitsDone} units`);
      assert.ok(meter.looks >= Math.floor(meter.unitsDone / UNITS_PER_BUDGET_LOOK), `${name}: ${meter.looks} looks for ${meter.unitsDone} units`);
    }
  });

  it('stops a parse at the look that finds the budget spent, with a check-stopped problem and no more work', () => {
    const names = ['JSON objects at depth 63, repeated', 'JSON many syntax errors', 'config.json with a 128 KB label map', 'explicit keys ? ×64 per line', 'flow [] ×16,000', 'YAML duplicate keys'];
    for (const name of names) {
      const document = adversarialDocuments().find((candidate) => candidate.name === name)!;
      const whole = unmetered();
      parseWith(uriOf(document.suffix), document.text, whole);
      // Spent part-way: at the first looks, half-way, or at the last (in the YAML composer, or the JSON value and duplicate keys).
      for (const look of [1, 5, Math.floor(whole.looks / 2), whole.looks - 1]) {
        const meter = spentAt(look);
        const parsed = parseWith(uriOf(document.suffix), document.text, meter);
        assert.deepEqual(
          parsed.syntaxProblems.map((problem) => problem.code),
          ['check-stopped'],
          `${name}, spent at look ${look}`,
        );
        assert.equal(parsed.value, undefined, name);
        assert.equal(meter.looks, look, `${name}: it stopped at the look that found the budget spent`);
        assert.ok(meter.unitsDone <= look * UNITS_PER_BUDGET_LOOK, `${name}: ${meter.unitsDone} units for ${look} looks`);
      }
    }
  });
});
