/**
 * Which kind of config a file is: by name for our own formats (`*.roofline.*`, `*.hardware.*`,
 * `*.model.*` with a YAML or JSON extension), and by content for `config.json`, which is a model
 * only when it looks like a Hugging Face config (`model_type` or `architectures` at the top level).
 */
import { jsonTopLevelKeys } from './jsonTokens';
import type { DocumentKind } from './types';

const NAMED_KINDS: readonly [RegExp, DocumentKind][] = [
  [/\.roofline\.(ya?ml|json)$/i, 'deployment'],
  [/\.hardware\.(ya?ml|json)$/i, 'hardware'],
  [/\.model\.(ya?ml|json)$/i, 'model'],
];

/** The last path segment of a uri or path, without query or fragment. */
export function fileNameOf(uri: string): string {
  const withoutQuery = uri.replace(/[?#].*$/, '');
  const name = withoutQuery.slice(withoutQuery.lastIndexOf('/') + 1);
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/** The kind a file name alone says (`*.roofline.*`, `*.hardware.*`, `*.model.*`); undefined otherwise. */
export function kindOfFileName(name: string): DocumentKind | undefined {
  for (const [pattern, kind] of NAMED_KINDS) if (pattern.test(name)) return kind;
  return undefined;
}

/** Whether JSON text has the shape of a Hugging Face config: `model_type` or `architectures` at the top level. */
export function looksLikeHfConfig(text: string): boolean {
  // From the tokens, not a tree, so a file of any depth is recognised (and told it is too deep).
  const saysModel = (key: string): boolean => key === 'model_type' || key === 'architectures';
  return jsonTopLevelKeys(text, saysModel).some(saysModel);
}

export function detectKind(uri: string, text: string): DocumentKind | undefined {
  const name = fileNameOf(uri);
  const named = kindOfFileName(name);
  if (named) return named;
  if (name.toLowerCase() === 'config.json') return looksLikeHfConfig(text) ? 'hf-config' : undefined;
  return undefined;
}

/** JSON for `.json` files, YAML for everything else we read. */
export function syntaxOf(uri: string): 'json' | 'yaml' {
  return /\.json$/i.test(fileNameOf(uri)) ? 'json' : 'yaml';
}
