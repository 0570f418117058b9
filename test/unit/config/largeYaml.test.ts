import assert from 'node:assert/strict';
import { parseDocument } from '../../../language-server/src/config/index';
import { MAX_YAML_TEXT_LENGTH } from '../../../language-server/src/config/parseYaml';

describe('config: YAML size guards', () => {
  it('refuses a YAML file over the size limit with one problem, without parsing it', () => {
    const text = Array.from({ length: 90_000 }, (_, index) => `- ${index}`).join('\n');
    const doc = parseDocument('file:///w/huge.roofline.yaml', text, 'deployment');
    assert.equal(doc.value, undefined);
    assert.equal(doc.syntaxProblems.length, 1);
    assert.equal(doc.syntaxProblems[0]!.code, 'too-large');
    assert.match(doc.syntaxProblems[0]!.message, /too large to be a config file \(\d+ KB; YAML config files are checked up to 32 KB\)/);
  });

  it('still finds duplicate keys in a large flow map just under the limit', () => {
    // 2,500 distinct keys and one repeated: the repeat is reported on its own key.
    const keys = Array.from({ length: 2_500 }, (_, index) => `k${index}: ${index}`);
    const text = `{${[...keys, 'k7: 1'].join(', ')}}`;
    assert.ok(text.length < MAX_YAML_TEXT_LENGTH);
    const doc = parseDocument('file:///w/wide.roofline.yaml', text, 'deployment');
    const duplicates = doc.syntaxProblems.filter((problem) => problem.message === 'Map keys must be unique');
    assert.equal(duplicates.length, 1);
    assert.equal(text.slice(duplicates[0]!.range.start, duplicates[0]!.range.end), 'k7');
  });
});
