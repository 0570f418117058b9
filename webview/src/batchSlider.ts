/** The batch slider's scale: logarithmic, so batch sizes 1 … 16 get as much room as 64 … 1024. */
export const BATCH_SLIDER_STEPS = 1000;
export const BATCH_SLIDER_MAX = 1024;

/** Slider position (0 … steps) to batch size, on a log2 scale so small batches get room. */
export function batchFromSlider(position: number): number {
  const fraction = Math.min(Math.max(position / BATCH_SLIDER_STEPS, 0), 1);
  return Math.max(1, Math.round(2 ** (fraction * Math.log2(BATCH_SLIDER_MAX))));
}

export function sliderFromBatch(batchSize: number): number {
  if (!(batchSize >= 1)) return 0;
  return Math.min(BATCH_SLIDER_STEPS, Math.round((Math.log2(batchSize) / Math.log2(BATCH_SLIDER_MAX)) * BATCH_SLIDER_STEPS));
}
