/**
 * Bad input is reported, never computed with: every error names the field it is about, as a path
 * from the root of the deployment (e.g. `["workload", "batch_size"]` or
 * `["model", "num_key_value_heads"]`), so the CLI can print it and the language server can put a
 * diagnostic on the exact key.
 */
export class RooflineInputError extends Error {
  readonly path: readonly (string | number)[];
  /** Stable code, shown with diagnostics (e.g. `heads-not-divisible`). */
  readonly code: string;

  constructor(path: readonly (string | number)[], message: string, code = 'invalid-value') {
    super(path.length > 0 ? `${path.join('.')}: ${message}` : message);
    this.name = 'RooflineInputError';
    this.path = path;
    this.code = code;
    /** The message without the path prefix, for places that show the path themselves. */
    this.detail = message;
  }

  readonly detail: string;
}

export function isRooflineInputError(error: unknown): error is RooflineInputError {
  return error instanceof RooflineInputError;
}
