/**
 * Labels for scatter points that pile up: points closer than a few pixels form one cluster, named
 * by its slowest layer and how many others share the spot ("gate_proj +3"); labels are placed
 * beside their cluster, slowest first, and a label that would cover another or leave the chart is
 * left out (the tooltip and the data table still name every point). Pure, so it is tested
 * without a canvas; chartPlugins.ts draws what it returns.
 */

export interface LabelledPoint {
  /** Pixel position on the canvas. */
  x: number;
  y: number;
  name: string;
  /** Orders names within a cluster and clusters among themselves (the layer's time in its stage). */
  weight: number;
}

export interface PointCluster {
  x: number;
  y: number;
  names: string[];
  weight: number;
}

export interface PlacedLabel {
  text: string;
  /** Top-left corner and size of the text box, in canvas pixels. */
  left: number;
  top: number;
  width: number;
  height: number;
  /** The cluster's point the label belongs to. */
  anchorX: number;
  anchorY: number;
  /** Above or below its point: drawn with a short line to it, so it is clear which point it names. */
  leader: boolean;
}

export interface Area {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Greedy clustering: each point joins the first cluster whose centre is within `radius` pixels. */
export function clusterPoints(points: readonly LabelledPoint[], radius: number): PointCluster[] {
  const sorted = [...points].sort((a, b) => b.weight - a.weight);
  const clusters: (PointCluster & { members: LabelledPoint[] })[] = [];
  for (const point of sorted) {
    const near = clusters.find((cluster) => Math.hypot(cluster.x - point.x, cluster.y - point.y) <= radius);
    if (near) {
      near.members.push(point);
      if (!near.names.includes(point.name)) near.names.push(point.name);
      near.weight += point.weight;
    } else {
      clusters.push({ x: point.x, y: point.y, names: [point.name], weight: point.weight, members: [point] });
    }
  }
  return clusters
    .map(({ members, ...cluster }) => ({ ...cluster, x: average(members.map((m) => m.x)), y: average(members.map((m) => m.y)) }))
    .sort((a, b) => b.weight - a.weight);
}

function average(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

export function clusterText(cluster: PointCluster): string {
  const [first, ...rest] = cluster.names;
  return rest.length > 0 ? `${first} +${rest.length}` : (first ?? '');
}

type Box = Pick<PlacedLabel, 'left' | 'top' | 'width' | 'height'>;

function overlaps(a: Box, b: Box, gap: number): boolean {
  return a.left < b.left + b.width + gap && b.left < a.left + a.width + gap && a.top < b.top + b.height + gap && b.top < a.top + a.height + gap;
}

/**
 * Places one label per cluster, heaviest first: right of the point, else left, above, below.
 * `avoid` holds boxes no label may cover (the points themselves, other charts' marks).
 */
export function placeLabels(
  clusters: readonly PointCluster[],
  measure: (text: string) => { width: number; height: number },
  area: Area,
  options: { offset: number; avoid?: readonly { x: number; y: number; radius: number }[] } = { offset: 8 },
): PlacedLabel[] {
  const placed: PlacedLabel[] = [];
  const obstacles = (options.avoid ?? []).map((mark) => ({ left: mark.x - mark.radius, top: mark.y - mark.radius, width: 2 * mark.radius, height: 2 * mark.radius }));
  const offset = options.offset;
  for (const cluster of clusters) {
    const text = clusterText(cluster);
    if (!text) continue;
    const { width, height } = measure(text);
    const candidates = [
      { left: cluster.x + offset, top: cluster.y - height / 2 },
      { left: cluster.x - offset - width, top: cluster.y - height / 2 },
      { left: cluster.x - width / 2, top: cluster.y - offset - height },
      { left: cluster.x - width / 2, top: cluster.y + offset },
      // A second row above and below, for points crowded along a roof.
      { left: cluster.x - width / 2, top: cluster.y - offset - 2 * height - 2 },
      { left: cluster.x - width / 2, top: cluster.y + offset + height + 2 },
    ];
    // Above and below, a label near the chart's side slides inward (its leader line still points home).
    const clampLeft = (left: number): number => Math.max(area.left, Math.min(left, area.right - width));
    for (let index = 2; index < candidates.length; index++) candidates[index]!.left = clampLeft(candidates[index]!.left);
    const chosen = candidates.findIndex((box) => {
      const candidate = { ...box, width, height };
      if (box.left < area.left || box.top < area.top || box.left + width > area.right || box.top + height > area.bottom) return false;
      return !placed.some((other) => overlaps(candidate, other, 2)) && !obstacles.some((other) => overlaps(candidate, other, 0));
    });
    if (chosen >= 0) placed.push({ text, ...candidates[chosen]!, width, height, anchorX: cluster.x, anchorY: cluster.y, leader: chosen >= 2 });
  }
  return placed;
}
