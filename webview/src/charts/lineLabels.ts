/**
 * Where the label of each vertical reference line goes (capacity and usable memory, the current
 * batch and the memory limit, targets): beside its line, on the side where the text crosses no
 * other line and stays inside the plot. Lines close together would otherwise strike through each
 * other's labels ("Capacity 80 GiB" cut by the usable-memory line 8 GiB to its left).
 */

/** A reference line's label as drawn at the chart's last draw (canvas pixels), for the panel's test hooks. */
export interface PlacedLineLabel {
  text: string;
  axis: 'x' | 'y';
  /** Where its line is drawn: x of a vertical line, y of a horizontal one. */
  pixel: number;
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface VerticalLine {
  /** The line's x, in canvas pixels. */
  pixel: number;
  /** The label's width as drawn, in canvas pixels. */
  textWidth: number;
}

export interface LineLabelPlace {
  /** The text's left edge, in canvas pixels. */
  left: number;
  side: 'left' | 'right';
}

/** Space between a line and its label. */
const GAP_PX = 4;

/** Space between rows of labels, beyond the font size (the band above a plot is sized by it too). */
export const LINE_LABEL_ROW_GAP_PX = 4;

export function placeVerticalLineLabels(lines: readonly VerticalLine[], area: { left: number; right: number }): LineLabelPlace[] {
  return lines.map((line, index) => {
    const right = { left: line.pixel + GAP_PX, side: 'right' as const };
    const left = { left: line.pixel - GAP_PX - line.textWidth, side: 'left' as const };
    const crossesNothing = (place: LineLabelPlace): boolean => {
      const end = place.left + line.textWidth;
      if (place.left < area.left || end > area.right) return false;
      return lines.every((other, otherIndex) => otherIndex === index || other.pixel < place.left || other.pixel > end);
    };
    // In the plot's left half the text reads towards the middle, in the right half likewise.
    const preferred = line.pixel < (area.left + area.right) / 2 ? [right, left] : [left, right];
    return preferred.find(crossesNothing) ?? preferred[0]!;
  });
}

/**
 * The left edge of a horizontal line's label (a latency target): at the plot's right end, as
 * usual, unless a vertical line (the current point, saturation) runs through the text there and
 * not at the left end.
 */
export function placeHorizontalLineLabel(textWidth: number, verticalPixels: readonly number[], area: { left: number; right: number }): number {
  const atRight = area.right - GAP_PX - textWidth;
  const atLeft = area.left + GAP_PX;
  const crossed = (left: number): boolean => verticalPixels.some((pixel) => pixel >= left && pixel <= left + textWidth);
  return crossed(atRight) && !crossed(atLeft) ? atLeft : atRight;
}
