/**
 * The extension's settings: their keys, types and defaults in one place. `package.json`
 * `contributes.configuration` declares the same keys (a unit test keeps the two equal). The
 * server-side settings take their defaults from the server's own settings module, so the client and
 * the server can never disagree on a default. This module imports nothing from `vscode`.
 */
import { DEFAULT_SETTINGS as SERVER_DEFAULTS, SETTINGS_SECTION } from '../../language-server/src/server/settings';

export { SETTINGS_SECTION };

export type TraceLevel = 'off' | 'messages' | 'verbose';

export const TRACE_LEVELS: readonly TraceLevel[] = ['off', 'messages', 'verbose'];

export interface ExtensionSettings {
  inlayHints: { enabled: boolean };
  codeLens: { enabled: boolean };
  validation: { debounceMs: number };
  /** Read by the language client itself (`<client id>.trace.server`). */
  trace: { server: TraceLevel };
  panel: { followActiveEditor: boolean };
}

/** One contributed setting: its key under `llmRoofline.`, JSON type, default and allowed values. */
export interface SettingDeclaration {
  key: string;
  type: 'boolean' | 'number' | 'string';
  default: boolean | number | string;
  enum?: readonly string[];
  minimum?: number;
  maximum?: number;
}

export const DEFAULT_EXTENSION_SETTINGS: Readonly<ExtensionSettings> = Object.freeze({
  inlayHints: Object.freeze({ enabled: SERVER_DEFAULTS.inlayHints.enabled }),
  codeLens: Object.freeze({ enabled: SERVER_DEFAULTS.codeLens.enabled }),
  validation: Object.freeze({ debounceMs: SERVER_DEFAULTS.validation.debounceMs }),
  trace: Object.freeze({ server: 'off' as TraceLevel }),
  panel: Object.freeze({ followActiveEditor: true }),
});

/** The server clamps the debounce to this range (see language-server/src/server/settings.ts). */
const MAX_DEBOUNCE_MS = 10_000;

export const SETTING_DECLARATIONS: readonly SettingDeclaration[] = [
  { key: 'inlayHints.enabled', type: 'boolean', default: DEFAULT_EXTENSION_SETTINGS.inlayHints.enabled },
  { key: 'codeLens.enabled', type: 'boolean', default: DEFAULT_EXTENSION_SETTINGS.codeLens.enabled },
  {
    key: 'validation.debounceMs',
    type: 'number',
    default: DEFAULT_EXTENSION_SETTINGS.validation.debounceMs,
    minimum: 0,
    maximum: MAX_DEBOUNCE_MS,
  },
  { key: 'trace.server', type: 'string', default: DEFAULT_EXTENSION_SETTINGS.trace.server, enum: TRACE_LEVELS },
  { key: 'panel.followActiveEditor', type: 'boolean', default: DEFAULT_EXTENSION_SETTINGS.panel.followActiveEditor },
];

/** Full key as VS Code knows it, e.g. `llmRoofline.panel.followActiveEditor`. */
export function qualifiedKey(key: string): string {
  return `${SETTINGS_SECTION}.${key}`;
}

/**
 * Reads settings through a getter of keys under `llmRoofline.` (in the extension:
 * `workspace.getConfiguration('llmRoofline').get`), falling back to the defaults for anything
 * missing or of the wrong type.
 */
export function readExtensionSettings(get: (key: string) => unknown): ExtensionSettings {
  const bool = (key: string, fallback: boolean): boolean => {
    const value = get(key);
    return typeof value === 'boolean' ? value : fallback;
  };
  const debounce = get('validation.debounceMs');
  const trace = get('trace.server');
  return {
    inlayHints: { enabled: bool('inlayHints.enabled', DEFAULT_EXTENSION_SETTINGS.inlayHints.enabled) },
    codeLens: { enabled: bool('codeLens.enabled', DEFAULT_EXTENSION_SETTINGS.codeLens.enabled) },
    validation: {
      debounceMs:
        typeof debounce === 'number' && Number.isFinite(debounce)
          ? Math.min(MAX_DEBOUNCE_MS, Math.max(0, Math.round(debounce)))
          : DEFAULT_EXTENSION_SETTINGS.validation.debounceMs,
    },
    trace: { server: TRACE_LEVELS.includes(trace as TraceLevel) ? (trace as TraceLevel) : DEFAULT_EXTENSION_SETTINGS.trace.server },
    panel: { followActiveEditor: bool('panel.followActiveEditor', DEFAULT_EXTENSION_SETTINGS.panel.followActiveEditor) },
  };
}
