/**
 * The Plan request: the cheapest deployments that meet a document's targets, searched with the
 * files its check read. Answers an error (never throws) when the document is not current, has
 * errors, or its plan space cannot be searched.
 */
import type { ConfigHost } from '../config/types';
import { planDeployment } from '../plan/planDocument';
import { planOutcome } from '../plan/planRows';
import type { PlanOutcome, PlanParams } from '../protocol/lsp';
import { writtenAsCommand } from './advice';
import type { CheckedEntry } from './checker';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function documentPlan(entry: CheckedEntry | undefined, params: PlanParams, host: ConfigHost): PlanOutcome {
  const failed = (error: string): PlanOutcome => ({ uri: params.uri, version: params.version, error });
  if (!entry || entry.kind !== 'deployment') return failed('Only a deployment file can be planned.');
  if (entry.version !== params.version) return failed(`The document changed (version ${entry.version}); plan again.`);
  if (!entry.result || !isObject(entry.parsed.value)) return failed('Fix the errors in the document before planning.');
  if (!isObject(entry.parsed.value.targets)) return failed('Add targets: (ttft_ms, tpot_ms or min_tokens_per_second) to plan for.');
  if (writtenAsCommand(entry.parsed.value)) return failed('This deployment is written as an engine command line; plans are made for deployments written with model:, hardware: and their keys.');
  try {
    return planOutcome(params.uri, params.version, planDeployment(entry.parsed.value, entry.uri, host));
  } catch (error) {
    return failed(error instanceof Error ? error.message : String(error));
  }
}
