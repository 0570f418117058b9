/**
 * The server's settings: one typed object, its defaults in one place. The client's `package.json`
 * `contributes.configuration` declares the same keys under `llmRoofline.`; the server pulls them
 * per resource through `workspace/configuration`.
 */
export interface ServerSettings {
  validation: {
    /** Quiet time after the last keystroke before a document is checked. */
    debounceMs: number;
  };
  inlayHints: { enabled: boolean };
  codeLens: { enabled: boolean };
}

export const SETTINGS_SECTION = 'llmRoofline';

export const DEFAULT_SETTINGS: Readonly<ServerSettings> = Object.freeze({
  validation: Object.freeze({ debounceMs: 250 }),
  inlayHints: Object.freeze({ enabled: true }),
  codeLens: Object.freeze({ enabled: true }),
});

/** The longest debounce honoured: anything longer would feel like a broken checker. */
const MAX_DEBOUNCE_MS = 10_000;

function objectAt(value: unknown, key: string): Record<string, unknown> {
  const child = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return child !== null && typeof child === 'object' ? (child as Record<string, unknown>) : {};
}

/** Reads whatever the client sent (possibly nothing, possibly wrong types) into complete settings. */
export function readSettings(raw: unknown): ServerSettings {
  const debounce = objectAt(raw, 'validation').debounceMs;
  const inlay = objectAt(raw, 'inlayHints').enabled;
  const lens = objectAt(raw, 'codeLens').enabled;
  return {
    validation: {
      debounceMs:
        typeof debounce === 'number' && Number.isFinite(debounce)
          ? Math.min(MAX_DEBOUNCE_MS, Math.max(0, Math.round(debounce)))
          : DEFAULT_SETTINGS.validation.debounceMs,
    },
    inlayHints: { enabled: typeof inlay === 'boolean' ? inlay : DEFAULT_SETTINGS.inlayHints.enabled },
    codeLens: { enabled: typeof lens === 'boolean' ? lens : DEFAULT_SETTINGS.codeLens.enabled },
  };
}
