/** Reads a file named on the command line and works out its kind. */
import { detectKind } from '../config/detect';
import { describeUnreadable } from '../config/readPolicy';
import type { DocumentKind } from '../config/types';
import { nodeHost, uriOfPath } from './nodeHost';

export type LoadedArgument =
  | { ok: true; uri: string; text: string; kind: DocumentKind }
  | { ok: false; uri: string; code: 'missing-file' | 'unreadable-file' | 'unknown-kind'; message: string };

export function loadArgumentFile(path: string): LoadedArgument {
  const uri = uriOfPath(path);
  const read = nodeHost.readFile(uri);
  if (read === undefined) return { ok: false, uri, code: 'missing-file', message: `cannot read ${path}: no such file` };
  if (typeof read !== 'string') return { ok: false, uri, code: 'unreadable-file', message: `cannot read ${path}: ${describeUnreadable(read)}` };
  const kind = detectKind(uri, read);
  if (!kind) {
    return {
      ok: false,
      uri,
      code: 'unknown-kind',
      message: `cannot tell what ${path} is: name deployments *.roofline.yaml, hardware *.hardware.yaml, models *.model.yaml (or a Hugging Face config.json with model_type)`,
    };
  }
  return { ok: true, uri, text: read, kind };
}
