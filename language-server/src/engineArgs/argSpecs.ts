/**
 * What an engine's command line accepts: each argument's names (the first is canonical) and the
 * kind of value it takes, as argparse reads it. Only the kind matters for the arguments that do
 * not change the analysis: it says how many words the argument consumes.
 */

/**
 * `int` and `float`: one number; `human-int`: an integer that may end in k, K, m, M, g, G, t or T
 * (vLLM's `human_readable_int`); `choice`: one of `choices`; `string`, `json`: one word; `list`: one
 * or more words (nargs '+'); `flag`: no value, and `--no-NAME` turns it off (BooleanOptionalAction);
 * `optional`: a flag that may take one value (nargs '?').
 */
export type ArgKind = 'int' | 'human-int' | 'float' | 'string' | 'json' | 'choice' | 'list' | 'flag' | 'optional';

export interface ArgSpec {
  /** `--tensor-parallel-size`, then its aliases (`-tp`). */
  names: readonly string[];
  kind: ArgKind;
  choices?: readonly string[];
}

export interface EngineArgTable {
  /** `vLLM` or `SGLang`, for messages. */
  engine: string;
  /** Where the arguments are defined, for messages and the documentation. */
  source: string;
  byName: ReadonlyMap<string, ArgSpec>;
  /** Every canonical name, for did-you-mean. */
  canonicalNames: readonly string[];
  /** argparse in vLLM and SGLang reads `--max_model_len` as `--max-model-len`; click (TensorRT-LLM) reads names as written. */
  dashesForUnderscores: boolean;
}

/**
 * A table from compact lines: `--name -alias kind[:choice,choice]`, one per argument. Kinds as
 * ArgKind above; `choice` lists its values after a colon.
 */
export function argTable(engine: string, source: string, lines: readonly string[], dashesForUnderscores = true): EngineArgTable {
  const byName = new Map<string, ArgSpec>();
  const canonicalNames: string[] = [];
  for (const line of lines) {
    const parts = line.trim().split(/\s+/);
    const kindText = parts.pop()!;
    const [kind, choiceText] = kindText.split(':') as [ArgKind, string | undefined];
    const spec: ArgSpec = { names: parts, kind, ...(choiceText ? { choices: choiceText.split(',') } : {}) };
    canonicalNames.push(parts[0]!);
    for (const name of parts) byName.set(name, spec);
  }
  return { engine, source, byName, canonicalNames, dashesForUnderscores };
}
