import * as assert from 'node:assert/strict';
import { analyze } from '../../../language-server/src/api';
import { FIDELITY_CASES } from './fidelityCases';

/**
 * The ideal roofline is a lower bound on time: datasheet peaks, no overheads. A published
 * measurement faster than it would mean the model counts work or bytes that real kernels skip
 * (or a datasheet figure is wrong). docs/fidelity.md lists the same cases with their errors.
 */
describe('fidelity: published measurements against the roofline', () => {
  for (const testCase of FIDELITY_CASES) {
    it(`ideal is never slower than the measurement: ${testCase.id}`, () => {
      const ideal = analyze(testCase.deployment);
      const achievable = analyze({ ...testCase.deployment, efficiency: 'achievable' });
      const figures = Object.entries(testCase.measured) as [keyof typeof testCase.measured, number][];
      assert.ok(figures.length > 0);
      for (const [metric, measured] of figures) {
        const idealSeconds = ideal.metrics[metric];
        assert.ok(idealSeconds <= measured, `${metric}: ideal ${idealSeconds} s is slower than the measured ${measured} s (${testCase.source})`);
        // The achievable roofline is slower than the ideal one and still not slower than reality here.
        assert.ok(achievable.metrics[metric] > idealSeconds);
        assert.ok(achievable.metrics[metric] <= measured, `${metric}: achievable ${achievable.metrics[metric]} s is slower than measured ${measured} s`);
      }
      assert.ok(ideal.memory.fits, `${testCase.id} ran on this hardware, so it must fit`);
    });
  }
});
