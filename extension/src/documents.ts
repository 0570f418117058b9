/**
 * Which files are ours, by name. The language server decides a `config.json`'s kind by its
 * content; everything else is decided here by file name. Imports nothing from `vscode`.
 */
export type DocumentRole = 'deployment' | 'hardware' | 'model' | 'hf-config';

const EXTENSIONS = '{yaml,yml,json}';

/** Glob patterns of the documents the language server handles. */
export const DOCUMENT_PATTERNS: Readonly<Record<DocumentRole, string>> = {
  deployment: `**/*.roofline.${EXTENSIONS}`,
  hardware: `**/*.hardware.${EXTENSIONS}`,
  model: `**/*.model.${EXTENSIONS}`,
  'hf-config': '**/config.json',
};

/**
 * Files a deployment can reference; editing one of them re-checks the deployments using it. A
 * model folder's shards (`*.safetensors`) are watched too: their headers size the weights; and
 * CSV results under `measured:` (a file added to a folder a pattern names re-lists it).
 */
export const WATCHED_FILES_PATTERN = `**/*.{yaml,yml,json,csv,safetensors}`;

/**
 * Schemes of saved documents the server gets: files on disk, and in the browser a virtual
 * workspace's (github.dev, Remote Repositories: `vscode-vfs`) or a remote workspace's seen from the
 * web worker extension host (`vscode-remote`). Their referenced files are read through VS Code.
 */
export const SAVED_DOCUMENT_SCHEMES = ['file', 'vscode-vfs', 'vscode-remote'] as const;

/** Saved documents, and untitled documents that carry a file name (`llmRoofline.newDeployment` creates those). */
export const DOCUMENT_SCHEMES = [...SAVED_DOCUMENT_SCHEMES, 'untitled'] as const;

export interface PatternDocumentFilter {
  scheme: string;
  pattern: string;
}

export function documentFilters(roles: readonly DocumentRole[]): PatternDocumentFilter[] {
  return roles.flatMap((role) =>
    // A Hugging Face config is only ever a saved file; the other kinds can also be new documents.
    (role === 'hf-config' ? SAVED_DOCUMENT_SCHEMES : DOCUMENT_SCHEMES).map((scheme) => ({ scheme, pattern: DOCUMENT_PATTERNS[role] })),
  );
}

export const ALL_ROLES: readonly DocumentRole[] = ['deployment', 'hardware', 'model', 'hf-config'];

const NAME_PATTERNS: readonly [DocumentRole, RegExp][] = [
  ['deployment', /\.roofline\.(ya?ml|json)$/i],
  ['hardware', /\.hardware\.(ya?ml|json)$/i],
  ['model', /\.model\.(ya?ml|json)$/i],
  ['hf-config', /(^|[\\/])config\.json$/i],
];

/** The role a file plays, judged by its path or uri alone. */
export function roleOfPath(path: string): DocumentRole | undefined {
  return NAME_PATTERNS.find(([, pattern]) => pattern.test(path))?.[0];
}

export function isDeploymentPath(path: string): boolean {
  return roleOfPath(path) === 'deployment';
}

/**
 * Whether opening this document should start the language server. A `config.json` is only worth
 * it when it looks like a Hugging Face model config (most `config.json` files are not).
 */
export function isWorthStartingServerFor(path: string, text: () => string): boolean {
  const role = roleOfPath(path);
  if (role === undefined) return false;
  if (role !== 'hf-config') return true;
  return /"(model_type|architectures|num_hidden_layers|n_layer)"\s*:/.test(text());
}

/** A short file name for a preset id, e.g. `meta-llama/Llama-2-7b-hf` → `llama-2-7b-hf`. */
export function slugOfPresetId(id: string): string {
  const last = id.split('/').pop() ?? id;
  const slug = last
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'deployment' : slug;
}
