/** The `variants:` table of `llm-roofline analyze`: this deployment, then each variant. */
import type { AnalysisResult } from '../engine/types';
import { formatBytes, formatRatio, formatSeconds, formatTokensPerSecond } from '../format/units';
import { table } from './format';

export function renderVariants(result: AnalysisResult): string | undefined {
  const variants = result.variants;
  if (!variants || variants.length === 0) return undefined;
  const own = result.metrics.tpot_seconds;
  const rows = [
    ['this deployment', result.model.name, formatSeconds(result.metrics.ttft_seconds), formatSeconds(own), formatTokensPerSecond(result.metrics.output_tokens_per_second), formatBytes(result.memory.total_bytes), result.memory.fits ? 'yes' : 'NO', '1×'],
    ...variants.map((variant) =>
      variant.error
        ? [variant.name, variant.model_name, '—', '—', '—', '—', '—', 'not analysed']
        : [
            variant.name,
            variant.model_name,
            formatSeconds(variant.ttft_seconds),
            formatSeconds(variant.tpot_seconds),
            formatTokensPerSecond(variant.output_tokens_per_second),
            formatBytes(variant.total_memory_bytes),
            variant.fits ? 'yes' : 'NO',
            `${formatRatio(own / variant.tpot_seconds)}`,
          ],
    ),
  ];
  const errors = variants.filter((variant) => variant.error).map((variant) => `  - ${variant.name}: ${variant.error}`);
  return [
    "Variants (decode speed relative to this deployment: its TPOT / the variant's):",
    '',
    table(['', 'model', 'TTFT', 'TPOT', 'tokens/s', 'memory', 'fits', 'decode speed'], rows, [false, false, true, true, true, true, false, true]),
    ...(errors.length > 0 ? ['', 'Not analysed:', ...errors] : []),
  ].join('\n');
}
