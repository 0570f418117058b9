/**
 * Hardware and model presets, looked up by id (exactly, else case-insensitively), with
 * did-you-mean suggestions for ids that match nothing.
 */
import { HARDWARE_PRESETS, type HardwarePreset } from './hardwarePresets';
import { MODEL_PRESETS, type ModelPreset } from './modelPresets';

export { suggestIds, editDistance } from './suggest';
export type { HardwarePreset } from './hardwarePresets';
export type { ModelPreset } from './modelPresets';
export {
  applyHardwareFields,
  completeHardwareSpec,
  missingHardwareFigures,
  describeFigure,
  type HardwareFields,
  type PartialHardwareSpec,
} from './hardwareFigures';

function byId<T extends { id: string }>(items: readonly T[]): { exact: Map<string, T>; folded: Map<string, T | null> } {
  const exact = new Map<string, T>();
  const folded = new Map<string, T | null>();
  for (const item of items) {
    exact.set(item.id, item);
    const key = item.id.toLowerCase();
    // Two ids that differ only in case make the case-insensitive lookup ambiguous: require the exact id then.
    folded.set(key, folded.has(key) ? null : item);
  }
  return { exact, folded };
}

const hardwareIndex = byId(HARDWARE_PRESETS);
const modelIndex = byId(MODEL_PRESETS);

function find<T>(index: { exact: Map<string, T>; folded: Map<string, T | null> }, id: string): T | undefined {
  return index.exact.get(id) ?? index.folded.get(id.trim().toLowerCase()) ?? undefined;
}

export function listHardwarePresets(): readonly HardwarePreset[] {
  return HARDWARE_PRESETS;
}

export function findHardwarePreset(id: string): HardwarePreset | undefined {
  return find(hardwareIndex, id);
}

export function listModelPresets(): readonly ModelPreset[] {
  return MODEL_PRESETS;
}

export function findModelPreset(id: string): ModelPreset | undefined {
  return find(modelIndex, id);
}

export function hardwarePresetIds(): string[] {
  return HARDWARE_PRESETS.map((preset) => preset.id);
}

export function modelPresetIds(): string[] {
  return MODEL_PRESETS.map((preset) => preset.id);
}
