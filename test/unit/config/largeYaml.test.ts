import assert from 'node:assert/strict';
import { parseDocument } from '../../../language-server/src/config/index';
import { MAX_YAML_LEXEMES, MAX_YAML_TEXT_LENGTH } from '../../../language-server/src/config/parseYaml';

describe('config: YAML size guards', () => {
  it('refuses a YAML file over the size limit with one problem, without parsing it', () => {
    const text = Array.from({ length: 90_000 }, (_, index) => `- ${index}`).join('\n');
    const doc = parseDocument('file:///w/huge.roofline.yaml', text, 'deployment');
    assert.equal(doc.value, undefined);
    assert.equal(doc.syntaxProblems.length, 1);
    assert.equal(doc.syntaxProblems[0]!.code, 'too-large');
    assert.match(doc.syntaxProblems[0]!.message, /too large to be a config file \(\d+ KB; YAML config files are checked up to 32 KB\)/);
  });

  it('still finds duplicate keys in a large flow map just under the limits', () => {
    // 1,400 distinct keys (about 11,200 words and symbols) and one repeated: the repeat is reported on its own key.
    const keys = Array.from({ length: 1_400 }, (_, index) => `k${index}: ${index}`);
    const text = `{${[...keys, 'k7: 1'].join(', ')}}`;
    assert.ok(text.length < MAX_YAML_TEXT_LENGTH);
    const doc = parseDocument('file:///w/wide.roofline.yaml', text, 'deployment');
    const duplicates = doc.syntaxProblems.filter((problem) => problem.message === 'Map keys must be unique');
    assert.equal(duplicates.length, 1);
    assert.equal(text.slice(duplicates[0]!.range.start, duplicates[0]!.range.end), 'k7');
  });

  it('refuses YAML of more words and symbols than the limit where it passes it, whatever its size', () => {
    // `[]` 16,000 times is 32 KB: each bracket is one of the lexer's tokens, one byte long.
    const text = `a: ${'[]'.repeat(16_000)}`;
    assert.ok(text.length < MAX_YAML_TEXT_LENGTH);
    const doc = parseDocument('file:///w/brackets.roofline.yaml', text, 'deployment');
    assert.equal(doc.value, undefined);
    assert.equal(doc.syntaxProblems.length, 1);
    const problem = doc.syntaxProblems[0]!;
    assert.equal(problem.code, 'too-large');
    assert.equal(problem.message, `the YAML is too long to check: more than ${MAX_YAML_LEXEMES.toLocaleString('en-US')} words and symbols (config files have a few hundred); reading stopped here`);
    // Where the lexer stopped: about 12,000 bytes in, far from the start and from the end.
    assert.ok(problem.range.start > 11_000 && problem.range.start < 13_000, `at ${problem.range.start}`);
  });
});
