/**
 * Room at a plot's edges for the markers drawn around its points. chart.js clips datasets at the
 * chart area, so a marker on the highest value (the Plan view's cheapest candidate, often the
 * highest per-GPU rate) is cut in half at the top edge, and its lower half covers nothing useful.
 * Headroom in data units (`grace`) cannot promise pixels: the plot's height depends on the panel.
 * So the range is widened after a layout, from the pixels each marker needs, and the chart laid out
 * again (chartPlugins.ts, markerRoomPlugin).
 */

export interface AxisRange {
  min: number;
  max: number;
}

export interface MarkerExtent {
  /** The point's value on this axis. */
  value: number;
  /** How far the marker reaches from its centre, border included, in CSS pixels. */
  extentPixels: number;
}

export interface AxisRoom {
  range: AxisRange;
  /** The plot's length along this axis, in CSS pixels. */
  lengthPixels: number;
  logarithmic: boolean;
}

/** A marker that would take this share of the plot or more is not given room (a plot too small to help). */
const LARGEST_SHARE = 0.4;

/**
 * The range, no narrower than `axis.range`, in which every marker lies whole inside the plot:
 * each point's distance to either end is at least its extent. Computed where the axis is linear
 * (log10 of the values on a log axis), where a point's pixel is its share of the range.
 */
export function rangeWithRoom(axis: AxisRoom, markers: readonly MarkerExtent[]): AxisRange {
  const { range, lengthPixels, logarithmic } = axis;
  const forward = (value: number): number => (logarithmic ? Math.log10(value) : value);
  const back = (value: number): number => (logarithmic ? 10 ** value : value);
  if (!(lengthPixels > 0) || !Number.isFinite(forward(range.min)) || !Number.isFinite(forward(range.max)) || range.max <= range.min) return range;
  const needs = markers
    .filter((marker) => Number.isFinite(forward(marker.value)) && marker.extentPixels > 0)
    .map((marker) => ({ at: forward(marker.value), share: marker.extentPixels / lengthPixels }))
    .filter((need) => need.share < LARGEST_SHARE);
  let low = forward(range.min);
  let high = forward(range.max);
  // Widening one end moves every point's pixel, so each end is solved with the other as it stands,
  // until neither moves (each round shrinks the change by about the shares' product: a few rounds).
  for (let round = 0; round < 50; round += 1) {
    const before = [low, high];
    for (const { at, share } of needs) {
      // (high − at) ≥ share · (high − low)  ⇔  high ≥ (at − share · low) / (1 − share)
      high = Math.max(high, (at - share * low) / (1 - share));
      low = Math.min(low, (at - share * high) / (1 - share));
    }
    if (Math.abs(high - before[1]!) + Math.abs(low - before[0]!) <= 1e-12 * (high - low)) break;
  }
  return { min: low === forward(range.min) ? range.min : back(low), max: high === forward(range.max) ? range.max : back(high) };
}
