/**
 * The Plan request: the cheapest deployments that meet a document's targets, searched with the
 * files its check read. Answers an error (never throws) when the document is not current, has
 * errors, or its plan space cannot be searched. The search runs in slices with the event loop given
 * back between them, so a large plan space never holds up requests about other documents, and it
 * stops when the document changes under it.
 */
import type { ConfigHost } from '../config/types';
import { planDeploymentSteps } from '../plan/planDocument';
import { planOutcome } from '../plan/planRows';
import type { PlanOutcome, PlanParams } from '../protocol/lsp';
import { writtenAsCommand } from './advice';
import type { CheckedEntry } from './checker';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** How the search shares the event loop: its clock, how it gives the loop back, and the document's version now. */
export interface PlanPacing {
  now(): number;
  pause(): Promise<void>;
  currentVersion(): number | undefined;
}

/** Work between two pauses: short enough that a hover on another document waits at most about this long. */
export const PLAN_SLICE_MILLISECONDS = 10;

export async function documentPlan(entry: CheckedEntry | undefined, params: PlanParams, host: ConfigHost, pacing: PlanPacing): Promise<PlanOutcome> {
  const failed = (error: string): PlanOutcome => ({ uri: params.uri, version: params.version, error });
  if (!entry || entry.kind !== 'deployment') return failed('Only a deployment file can be planned.');
  if (entry.version !== params.version) return failed(`The document changed (version ${entry.version}); plan again.`);
  if (!entry.result || !isObject(entry.parsed.value)) return failed('Fix the errors in the document before planning.');
  if (!isObject(entry.parsed.value.targets)) return failed('Add targets: (ttft_ms, tpot_ms or min_tokens_per_second) to plan for.');
  if (writtenAsCommand(entry.parsed.value)) return failed('This deployment is written as an engine command line; plans are made for deployments written with model:, hardware: and their keys.');
  try {
    const steps = planDeploymentSteps(entry.parsed.value, entry.uri, host);
    let sliceStart = pacing.now();
    for (;;) {
      const step = steps.next();
      if (step.done) return planOutcome(params.uri, params.version, step.value);
      if (pacing.now() - sliceStart < PLAN_SLICE_MILLISECONDS) continue;
      await pacing.pause();
      const version = pacing.currentVersion();
      if (version !== params.version) return failed(`The document changed (version ${version ?? 'closed'}) while planning; plan again.`);
      sliceStart = pacing.now();
    }
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
}
