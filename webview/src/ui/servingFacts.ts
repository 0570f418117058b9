/**
 * What the deployment can serve beyond its headline numbers, one line each when the analysis has
 * it: the capacity answers, speculative decoding, pipeline parallelism and the ceilings the times
 * were computed against, or under `efficiency: expected` the ideal bound and what dominates the
 * gap (engine/types.ts `capacity`, `metrics.speculative`, `metrics.pipeline`,
 * `hardware.efficiency`).
 */
import type { AnalysisResult } from '../../../language-server/src/engine/types';
import { formatBytes, formatInteger, formatPercent, formatRatio, formatSeconds, formatSignificant, formatTokensPerSecond } from '../../../language-server/src/format/units';
import { el } from './dom';
import { expectedFactText } from '../expectedFact';

export interface ServingFact {
  key: 'capacity' | 'speculative' | 'pipeline' | 'efficiency';
  text: string;
}

function capacityFact(result: AnalysisResult): ServingFact | undefined {
  const capacity = result.capacity;
  const deviceBytes = result.memory.capacity_bytes;
  if (!capacity || deviceBytes === undefined) return undefined;
  const batch = capacity.max_batch_size > 0 ? `largest batch that fits: ${formatInteger(capacity.max_batch_size)}` : 'no batch fits';
  return {
    key: 'capacity',
    text:
      `Capacity: ${batch}; longest context: ${formatInteger(capacity.max_context_tokens)} tokens at this batch; ` +
      `usable memory ${formatBytes(capacity.usable_bytes)} of ${formatBytes(deviceBytes)} at ${formatPercent(capacity.memory_utilization)} utilization.`,
  };
}

function speculativeFact(result: AnalysisResult): ServingFact | undefined {
  const speculative = result.metrics.speculative;
  if (!speculative) return undefined;
  return {
    key: 'speculative',
    text:
      `Speculative decoding: ${formatSignificant(speculative.expected_tokens_per_step)} tokens per verification step of ${formatSeconds(speculative.step_seconds)}; ` +
      `TPOT ${formatSeconds(speculative.tpot_seconds)} against ${formatSeconds(speculative.plain_tpot_seconds)} plain, ${formatRatio(speculative.speedup)} faster.`,
  };
}

function pipelineFact(result: AnalysisResult): ServingFact | undefined {
  const pipeline = result.metrics.pipeline;
  if (!pipeline) return undefined;
  return {
    key: 'pipeline',
    text:
      `Pipeline: ${formatInteger(pipeline.stages)} stages; one batch leaves each device idle ${formatPercent(pipeline.bubble_fraction)} of the time; ` +
      `with ${formatInteger(pipeline.stages)} batches in flight decoding reaches ${formatTokensPerSecond(pipeline.in_flight_decode_tokens_per_second)}.`,
  };
}

function efficiencyFact(result: AnalysisResult): ServingFact | undefined {
  const efficiency = result.hardware.efficiency;
  if (!efficiency) return undefined;
  const expected = expectedFactText(result);
  if (expected) return { key: 'efficiency', text: expected };
  const text =
    efficiency.mode === 'ideal'
      ? 'Ceilings: ideal (datasheet peaks).'
      : `Ceilings: ${efficiency.mode} (${formatPercent(efficiency.compute)} of peak compute, ${formatPercent(efficiency.memory)} of peak bandwidth).`;
  return { key: 'efficiency', text };
}

export function servingFacts(result: AnalysisResult): ServingFact[] {
  return [capacityFact(result), speculativeFact(result), pipelineFact(result), efficiencyFact(result)].filter((fact): fact is ServingFact => fact !== undefined);
}

/** The facts as a list, or undefined when the analysis has none. */
export function renderServingFacts(result: AnalysisResult): HTMLElement | undefined {
  const facts = servingFacts(result);
  if (facts.length === 0) return undefined;
  return el('ul', { className: 'facts', 'aria-label': 'Serving' }, facts.map((fact) => el('li', { 'data-fact': fact.key, text: fact.text })));
}
