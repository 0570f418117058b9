/**
 * Chart tooltips as an HTML element over the page instead of drawn in the canvas: a canvas clips
 * what it draws at its edge, so a layer's seven lines did not fit beside a point near the edge of
 * a short chart. The element is placed beside the point and kept inside the window.
 */
import type { Chart, TooltipModel } from 'chart.js';

const MARGIN_PIXELS = 6;
const GAP_PIXELS = 12;
let element: HTMLElement | undefined;

function tooltipElement(): HTMLElement {
  if (element && element.isConnected) return element;
  element = document.createElement('div');
  element.className = 'chart-tooltip';
  // The canvas is described by its data table; this box repeats it for the mouse.
  element.setAttribute('aria-hidden', 'true');
  element.hidden = true;
  document.body.append(element);
  // Fixed boxes do not follow the page: hide on scroll, the next hover places it again.
  window.addEventListener('scroll', hideChartTooltip, { passive: true });
  return element;
}

export function hideChartTooltip(): void {
  if (element) element.hidden = true;
}

/** Where a box of this size goes beside a point, inside a viewport (all in CSS pixels). */
export function tooltipPosition(
  point: { x: number; y: number },
  size: { width: number; height: number },
  viewport: { width: number; height: number },
): { left: number; top: number } {
  const fitsRight = point.x + GAP_PIXELS + size.width <= viewport.width - MARGIN_PIXELS;
  const fitsLeft = point.x - GAP_PIXELS - size.width >= MARGIN_PIXELS;
  let left = fitsRight || !fitsLeft ? point.x + GAP_PIXELS : point.x - GAP_PIXELS - size.width;
  left = Math.max(MARGIN_PIXELS, Math.min(left, viewport.width - MARGIN_PIXELS - size.width));
  let top = point.y - size.height / 2;
  top = Math.max(MARGIN_PIXELS, Math.min(top, viewport.height - MARGIN_PIXELS - size.height));
  return { left, top };
}

/** chart.js `plugins.tooltip.external`. */
export function renderChartTooltip(context: { chart: Chart; tooltip: TooltipModel<never> }): void {
  const { chart, tooltip } = context;
  const box = tooltipElement();
  if (tooltip.opacity === 0 || tooltip.body.length === 0) {
    box.hidden = true;
    return;
  }
  box.replaceChildren();
  for (const title of tooltip.title ?? []) {
    const line = document.createElement('div');
    line.className = 'chart-tooltip-title';
    line.textContent = title;
    box.append(line);
  }
  tooltip.body.forEach((item, index) => {
    const color = tooltip.labelColors[index];
    item.lines.forEach((text, lineIndex) => {
      const line = document.createElement('div');
      line.className = lineIndex === 0 ? 'chart-tooltip-line first' : 'chart-tooltip-line';
      if (lineIndex === 0 && color) {
        const swatch = document.createElement('span');
        swatch.className = 'chart-tooltip-swatch';
        swatch.style.background = String(color.backgroundColor);
        swatch.style.borderColor = String(color.borderColor);
        line.append(swatch);
      }
      line.append(text);
      box.append(line);
    });
  });
  box.hidden = false;
  const canvas = chart.canvas.getBoundingClientRect();
  const size = box.getBoundingClientRect();
  const { left, top } = tooltipPosition(
    { x: canvas.left + tooltip.caretX, y: canvas.top + tooltip.caretY },
    { width: size.width, height: size.height },
    { width: document.documentElement.clientWidth, height: window.innerHeight },
  );
  box.style.left = `${left}px`;
  box.style.top = `${top}px`;
}
