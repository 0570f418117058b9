import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { efficiencyModes, loadPublishedMeasurements } from './measurements';
import { GENERATED_END, GENERATED_START, renderFidelityReport } from './report';

describe('docs/fidelity.md', () => {
  it('holds the table generated from the published measurements (npm run generate:fidelity)', () => {
    const page = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'fidelity.md'), 'utf8');
    const committed = page.slice(page.indexOf(GENERATED_START), page.indexOf(GENERATED_END) + GENERATED_END.length);
    assert.ok(committed.startsWith(GENERATED_START), 'the generated-part markers are in the page');
    assert.equal(committed, renderFidelityReport(loadPublishedMeasurements()), 'docs/fidelity.md is stale: run npm run generate:fidelity');
  });

  it('compares every efficiency mode the deployment schema offers', () => {
    const modes = efficiencyModes();
    assert.ok(modes.includes('ideal') && modes.includes('achievable'), modes.join(', '));
    const header = renderFidelityReport(loadPublishedMeasurements().slice(0, 1)).split('\n').find((line) => line.startsWith('| point |'))!;
    for (const mode of modes) assert.ok(header.includes(`| ${mode} | error |`), `${mode} column in ${header}`);
  });
});
