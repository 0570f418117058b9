/**
 * Parses and checks documents, caching by (uri, version): a parse is made once per version and a
 * check is reused until the document or one of the files it read changes. Keeps the reverse
 * dependency graph (file → deployments that read it) so an edit of a hardware or model file
 * re-checks the deployments that use it.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { ReadPolicy } from '../config/readPolicy';
import type { ConfigHost, ConfigProblem, DocumentKind, ParsedDocument } from '../config/types';
import type { AnalysisResult, EngineInput } from '../engine/types';
import { semanticProblems, type FitAdvice } from './advice';
import { checkDocument, kindOf, parseConfig, type DocumentCheck } from './configApi';
import type { ServerRuntime } from './runtime';

export interface ParsedEntry {
  uri: string;
  version: number;
  text: string;
  kind: DocumentKind;
  parsed: ParsedDocument;
  /** For offset ↔ position conversion. */
  lines: TextDocument;
}

export interface CheckedEntry extends ParsedEntry {
  problems: ConfigProblem[];
  dependencies: string[];
  check: DocumentCheck;
  input?: EngineInput;
  result?: AnalysisResult;
  fit?: FitAdvice;
  /** Time spent parsing and checking, for the robustness test and the bench. */
  handlingMs: number;
}

/** Where document text comes from: open documents first, else the runtime's file reading under the read policy. */
export interface TextSource {
  openText(uri: string): { text: string; version: number } | undefined;
  /** What may be read from disk now (Restricted Mode keeps files outside the workspace folders out). */
  readPolicy(): ReadPolicy;
}

export class DocumentChecker {
  private readonly parses = new Map<string, ParsedEntry>();
  private readonly checks = new Map<string, CheckedEntry>();
  /** dependency uri → uris of the documents that read it. */
  private readonly dependents = new Map<string, Set<string>>();

  constructor(
    private readonly source: TextSource,
    private readonly runtime: ServerRuntime,
    private readonly log: (message: string) => void,
  ) {}

  readonly host: ConfigHost = {
    readFile: (uri: string) => this.source.openText(uri)?.text ?? this.runtime.readFile(uri, this.source.readPolicy()),
  };

  /** The parse of an open document at its current version (undefined when it is not a config file). */
  parse(uri: string): ParsedEntry | undefined {
    const open = this.source.openText(uri);
    if (!open) return undefined;
    const cached = this.parses.get(uri);
    if (cached && cached.version === open.version && cached.text === open.text) return cached;
    const kind = safe(() => kindOf(uri, open.text), undefined, this.log);
    if (!kind) {
      this.parses.delete(uri);
      return undefined;
    }
    const parsed = safe(() => parseConfig(uri, open.text, kind), undefined, this.log);
    if (!parsed) return undefined;
    const entry: ParsedEntry = {
      uri,
      version: open.version,
      text: open.text,
      kind,
      parsed,
      lines: TextDocument.create(uri, 'plaintext', open.version, open.text),
    };
    this.parses.set(uri, entry);
    return entry;
  }

  /** The check of an open document at its current version, computed at most once per version. */
  check(uri: string): CheckedEntry | undefined {
    const started = this.runtime.now();
    const parsed = this.parse(uri);
    if (!parsed) {
      this.forget(uri);
      return undefined;
    }
    const cached = this.checks.get(uri);
    if (cached && cached.version === parsed.version && cached.text === parsed.text) return cached;
    const check = safe<DocumentCheck>(
      () => checkDocument(parsed.parsed, this.host),
      { problems: [internalProblem(parsed)], dependencies: [] },
      this.log,
    );
    const problems = [...check.problems];
    let fit: FitAdvice | undefined;
    if (check.input && check.result) {
      const findings = safe(() => semanticProblems(parsed.parsed, check.input!, check.result!), { problems: [] }, this.log);
      const known = new Set(problems.map((problem) => problem.code));
      problems.push(...findings.problems.filter((problem) => !known.has(problem.code)));
      fit = findings.fit;
    }
    const entry: CheckedEntry = {
      ...parsed,
      problems,
      dependencies: check.dependencies.filter((dependency) => dependency !== uri),
      check,
      ...(check.input ? { input: check.input } : {}),
      ...(check.result ? { result: check.result } : {}),
      ...(fit ? { fit } : {}),
      handlingMs: 0,
    };
    this.recordDependencies(uri, entry.dependencies);
    entry.handlingMs = this.runtime.now() - started;
    this.checks.set(uri, entry);
    return entry;
  }

  /**
   * A file changed (an open document edited, or a file on disk): drops what depended on it and
   * returns the open documents to re-check.
   */
  invalidate(uri: string): string[] {
    const affected = [...(this.dependents.get(uri) ?? [])];
    for (const dependent of affected) this.checks.delete(dependent);
    return affected;
  }

  /** Drops every check (the read policy changed): the next request re-checks, parses are kept. */
  forgetChecks(): void {
    this.checks.clear();
  }

  forget(uri: string): void {
    this.parses.delete(uri);
    this.checks.delete(uri);
    this.recordDependencies(uri, []);
  }

  private recordDependencies(uri: string, dependencies: string[]): void {
    for (const [dependency, users] of this.dependents) {
      if (users.delete(uri) && users.size === 0) this.dependents.delete(dependency);
    }
    for (const dependency of dependencies) {
      const users = this.dependents.get(dependency) ?? new Set<string>();
      users.add(uri);
      this.dependents.set(dependency, users);
    }
  }
}

function internalProblem(parsed: ParsedEntry): ConfigProblem {
  return {
    uri: parsed.uri,
    range: { start: 0, end: 0 },
    path: [],
    message: 'This document could not be checked (internal error; see the LLM Roofline output).',
    code: 'internal-error',
    severity: 'warning',
  };
}

/** Runs `action`; on a throw, logs it and returns `fallback` (a handler must never throw). */
export function safe<T>(action: () => T, fallback: T, log: (message: string) => void): T {
  try {
    return action();
  } catch (error) {
    log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return fallback;
  }
}
