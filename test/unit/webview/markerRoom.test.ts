/**
 * Room at the plot's edges for markers (charts/markerRoom.ts) and round ticks on an axis whose
 * ends are not ticks (ticksAtMultiples): hand-checked ranges, and the Plan chart's use of both.
 */
import { strict as assert } from 'node:assert';
import { ticksAtMultiples } from '../../../webview/src/charts/common';
import { rangeWithRoom } from '../../../webview/src/charts/markerRoom';
import { DEFAULT_DARK_PALETTE } from '../../../webview/src/charts/palette';
import { buildPlanChart, PLAN_SERIES, type PlanSuccess } from '../../../webview/src/charts/planFront';
import { loadAnalysis } from './fixtures';

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual}, expected ${expected}`);
}

describe('room at the plot edges for markers', () => {
  it('raises the top of a linear axis so a marker on its highest value keeps its extent inside', () => {
    // 0–100 over 100 px, a 10 px marker at 100: (max − 100) / max · 100 px = 10 px ⇒ max = 100 / 0.9.
    const range = rangeWithRoom({ range: { min: 0, max: 100 }, lengthPixels: 100, logarithmic: false }, [{ value: 100, extentPixels: 10 }]);
    close(range.max, 1000 / 9, 'max');
    assert.equal(range.min, 0);
    close(((range.max - 100) / (range.max - range.min)) * 100, 10, 'pixels above the marker');
  });

  it('widens both ends together when markers sit on both', () => {
    // Span S = 100 + 2 · 0.1 · S ⇒ S = 125: −12.5 to 112.5, each marker 10 px (0.1 of 100 px) from its end.
    const range = rangeWithRoom({ range: { min: 0, max: 100 }, lengthPixels: 100, logarithmic: false }, [
      { value: 0, extentPixels: 10 },
      { value: 100, extentPixels: 10 },
    ]);
    close(range.min, -12.5, 'min');
    close(range.max, 112.5, 'max');
  });

  it('works in decades on a log axis', () => {
    // 10–10,000 over 300 px (100 px a decade), a 15 px marker at 10: (1 − L) / (4 − L) · 300 = 15
    // ⇒ L = (1 − 0.05 · 4) / 0.95 = 0.8421 decades, min = 10^0.8421 = 6.95.
    const range = rangeWithRoom({ range: { min: 10, max: 10_000 }, lengthPixels: 300, logarithmic: true }, [{ value: 10, extentPixels: 15 }]);
    close(Math.log10(range.min), 0.8 / 0.95, 'log10 min');
    assert.equal(range.max, 10_000);
  });

  it('leaves a range with room enough as it is, and gives no room in a plot too small to help', () => {
    assert.deepEqual(rangeWithRoom({ range: { min: 10, max: 10_000 }, lengthPixels: 300, logarithmic: true }, [{ value: 100, extentPixels: 15 }]), { min: 10, max: 10_000 });
    assert.deepEqual(rangeWithRoom({ range: { min: 0, max: 100 }, lengthPixels: 20, logarithmic: false }, [{ value: 100, extentPixels: 10 }]), { min: 0, max: 100 });
    assert.deepEqual(rangeWithRoom({ range: { min: 0, max: 100 }, lengthPixels: 0, logarithmic: false }, [{ value: 100, extentPixels: 10 }]), { min: 0, max: 100 });
  });

  it('puts ticks at multiples of chart.js’s step inside ends that are not ticks', () => {
    const axis = { min: -315, max: 14_130, ticks: [-315, 1685, 3685, 5685].map((value) => ({ value })) };
    ticksAtMultiples(axis);
    assert.deepEqual(axis.ticks.map((tick) => tick.value), [0, 2000, 4000, 6000, 8000, 10_000, 12_000, 14_000]);
    const fractions = { min: 0.05, max: 0.71, ticks: [0.05, 0.15].map((value) => ({ value })) };
    ticksAtMultiples(fractions);
    assert.deepEqual(fractions.ticks.map((tick) => tick.value), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  });

  it('the Plan chart asks room for every series and round ticks on its per-GPU axis', () => {
    const plan = (loadAnalysis('llama-3.1-8b-l4-plan') as unknown as { plan: PlanSuccess }).plan;
    const config = buildPlanChart(plan, { palette: DEFAULT_DARK_PALETTE, hiddenSeries: [] })!;
    assert.deepEqual([...(config.options!.plugins!.markerRoom!.datasets ?? [])].sort(), Object.values(PLAN_SERIES).sort());
    const y = config.options!.scales!.y as { bounds?: unknown; afterBuildTicks?: unknown };
    assert.equal(y.bounds, 'data');
    assert.equal(y.afterBuildTicks, ticksAtMultiples);
  });
});
