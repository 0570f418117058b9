/**
 * Parses and checks documents, caching by (uri, version): a parse is made once per version and a
 * check is reused until the document or one of the files it read changes. Keeps the reverse
 * dependency graph (file → deployments that read it) so an edit of a hardware or model file
 * re-checks the deployments that use it.
 */
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CHECK_BUDGET_MS, CheckStopped, checkStoppedProblem, withWorkMeter, WorkMeter } from '../config/checkBudget';
import { firstLineRange } from '../config/problems';
import { capped } from '../config/validate';
import type { ReadPolicy } from '../config/readPolicy';
import { runAsync, type FolderEntry } from '../config/checkpoint/checkpointFiles';
import { folderOfListingKey, listingKey } from '../config/measuredPattern';
import { readCheckpoint, type CheckpointRead } from '../config/checkpoint/readCheckpoint';
import type { ConfigHost, FileRead, ConfigProblem, DocumentKind, ParsedDocument, UnreadableFile } from '../config/types';
import type { AnalysisResult, EngineInput } from '../engine/types';
import { semanticProblems, type FitAdvice } from './advice';
import type { TargetChange } from './targetChange';
import { checkDocumentSteps, kindOf, kindOfReferencedFile, parseConfigSteps, type DocumentCheck } from './configApi';
import type { ServerRuntime } from './runtime';
import { runToEnd } from '../config/steps';

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
  targetChange?: TargetChange;
  /** Referenced files not read yet: the check is provisional until they are (see `checkAfterReads`). */
  unreadFiles: string[];
  /** Time spent parsing and checking (pauses between phases left out), for the budget, the tests and the bench. */
  handlingMs: number;
  /** The CPU time of the same, which the budget is held to: a busy machine stretches wall time, not work. */
  cpuMs: number;
  /** Slices the check ran in: the event loop was given back between them. */
  steps: number;
  /** The CPU time of the longest of them: a check over its budget stops at the end of a slice, or inside one where it is metered. */
  longestStepCpuMs: number;
  /** True when the check ran over its budget and stopped before its last phase (`check-stopped` says where). */
  stopped: boolean;
}

/** Where document text comes from: open documents first, else the runtime's file reading under the read policy. */
export interface TextSource {
  openText(uri: string): { text: string; version: number } | undefined;
  /** What may be read from disk now (Restricted Mode keeps files outside the workspace folders out). */
  readPolicy(): ReadPolicy;
}

/**
 * A check gives the event loop back at an optional pause (between composing YAML and its key
 * passes, between a JSON value and its duplicate keys, between resolving a deployment and its
 * analysis) once the step running has taken this much CPU; a quicker check runs on, so an
 * ordinary document is not kept waiting by the pause.
 */
const PAUSE_AFTER_STEP_CPU_MS = 20;

/** Rounds of reading after which a check stands as it is (each round reads at least one new file). */
const MAX_READ_ROUNDS = 4;

/**
 * Time on the event loop of one check, across its steps: `pause()` before giving the loop back,
 * `resume()` after. CPU time when the runtime has it: a machine busy with other work stretches the
 * wall time of a check without the check doing more, and must not make it stop.
 */
class StepClock {
  private spentMs = 0;
  private since: number;
  private cpuSince: number;
  private cpuSpentMs = 0;
  private longestPastStepCpuMs = 0;
  steps = 1;

  constructor(
    private readonly runtime: ServerRuntime,
    private readonly budgetMs: number,
  ) {
    this.since = runtime.now();
    this.cpuSince = this.cpuNow();
  }

  private cpuNow(): number {
    return this.runtime.cpuNow ? this.runtime.cpuNow() : this.runtime.now();
  }

  pause(): void {
    this.spentMs += this.runtime.now() - this.since;
    const stepCpuMs = this.cpuNow() - this.cpuSince;
    this.cpuSpentMs += stepCpuMs;
    this.longestPastStepCpuMs = Math.max(this.longestPastStepCpuMs, stepCpuMs);
  }

  resume(): void {
    this.since = this.runtime.now();
    this.cpuSince = this.cpuNow();
    this.steps++;
  }

  /** Gives the event loop back between two steps (`yield* clock.step()`); the time away is not counted. */
  *step(): Generator<void, void> {
    this.pause();
    yield;
    this.resume();
  }

  /** Wall time on the event loop so far. */
  elapsedMs(): number {
    return this.spentMs + this.runtime.now() - this.since;
  }

  /** CPU time on the event loop so far (wall time where the runtime has no CPU clock). */
  cpuMs(): number {
    return this.cpuSpentMs + this.cpuNow() - this.cpuSince;
  }

  /** The CPU time of the step running now. */
  stepCpuMs(): number {
    return this.cpuNow() - this.cpuSince;
  }

  /** The CPU time of the longest step so far, the one running now included. */
  longestStepCpuMs(): number {
    return Math.max(this.longestPastStepCpuMs, this.cpuNow() - this.cpuSince);
  }

  overBudget(): boolean {
    return this.cpuMs() > this.budgetMs;
  }
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
    /** CPU time a check may take: `CHECK_BUDGET_MS`, unless a test sets a smaller one. */
    private readonly budgetMs: () => number = () => CHECK_BUDGET_MS,
  ) {}

  /**
   * Files read from disk, by uri. Reads are asynchronous (the server never waits on a file); a
   * check that asks for a file not read yet is provisional (`unreadFiles`), and `checkAfterReads`
   * reads them and checks again.
   */
  private readonly diskFiles = new Map<string, FileRead>();
  /** Model folders read (safetensors index and headers), by folder uri (which ends with `/`). */
  private readonly checkpoints = new Map<string, CheckpointRead>();
  /** Folder listings for `measured:` patterns, by listing key (config/measuredPattern.ts `listingKey`). */
  private readonly listings = new Map<string, FolderEntry[] | UnreadableFile | null>();
  private readonly reading = new Map<string, Promise<void>>();
  /** document uri → the version whose files are in `diskFiles`. */
  private readonly filesReadFor = new Map<string, number>();
  /** The check in progress per document, with the version and generation it is for. */
  private readonly running = new Map<string, { version: number | undefined; generation: number; check: Promise<CheckedEntry | undefined> }>();
  /** Counts changes of files and policy, so a check paused across one knows its result is stale. */
  private generation = 0;
  /** document uri → files its provisional checks asked for, read for its next check. */
  private readonly wanted = new Map<string, Set<string>>();
  /** Files the check being run asked for and did not have. */
  private unread = new Set<string>();

  private builtHost: ConfigHost | undefined;

  /** Files as checks read them; built on first use, once the runtime is known. */
  private get host(): ConfigHost {
    this.builtHost ??= this.buildHost();
    return this.builtHost;
  }

  private buildHost(): ConfigHost {
    return {
      readFile: (uri: string) => {
        const open = this.source.openText(uri);
        if (open) return open.text;
        if (this.diskFiles.has(uri)) return this.diskFiles.get(uri);
        this.unread.add(uri);
        return undefined;
      },
      // A model folder not read yet is asked for like a file (its uri ends with `/`) and read in the next round.
      ...(this.runtime.checkpointFiles
        ? {
            readCheckpoint: (folderUri: string) => {
              const read = this.checkpoints.get(folderUri);
              if (!read) this.unread.add(folderUri);
              return read;
            },
            // A folder a `measured:` pattern lists is asked for by its listing key and listed in the next round.
            listFolder: (folderUri: string) => {
              const key = listingKey(folderUri);
              if (!this.listings.has(key)) {
                this.unread.add(key);
                return undefined;
              }
              return this.listings.get(key);
            },
          }
        : {}),
      parse: (uri: string, text: string, kind: DocumentKind) => {
        const open = this.parses.get(uri);
        // An open document's parse, unless it stopped part-way (then it is parsed whole here).
        const stopped = open?.parsed.syntaxProblems.some((problem) => problem.code === 'check-stopped');
        if (open && open.text === text && open.kind === kind && !stopped) return open.parsed;
        const file = this.fileParses.get(uri);
        if (file && file.text === text && file.kind === kind) return file.parsed;
        const parsed = parseWhole(uri, text, kind);
        this.fileParses.set(uri, { text, kind, parsed });
        return parsed;
      },
    };
  }

  /** Parses of files read from disk, by uri, made a step each before the check that needs them. */
  private readonly fileParses = new Map<string, { text: string; kind: DocumentKind; parsed: ParsedDocument }>();

  /** Files as the checks read them (open documents first, then what was read from disk), for searches over many deployments. */
  get readHost(): ConfigHost {
    return this.host;
  }

  /** The parse of an open document at its current version (undefined when it is not a config file). */
  parse(uri: string): ParsedEntry | undefined {
    const clock = new StepClock(this.runtime, this.budgetMs());
    return runToEnd(this.parseInSteps(uri, clock));
  }

  /** The parse, a slice of lexing per step; it stops where it is when `clock` says the budget is spent. */
  private *parseInSteps(uri: string, clock: StepClock): Generator<void, ParsedEntry | undefined> {
    const open = this.source.openText(uri);
    if (!open) return undefined;
    const cached = this.parses.get(uri);
    if (cached && cached.version === open.version && cached.text === open.text) return cached;
    const kind = safe(() => kindOf(uri, open.text), undefined, this.log);
    if (!kind) {
      this.parses.delete(uri);
      return undefined;
    }
    let parsed: ParsedDocument | undefined;
    try {
      // Inside a slice the parse looks at the clock every few hundred tokens or nodes.
      const steps = parseConfigSteps(uri, open.text, kind, new WorkMeter(() => clock.overBudget()));
      let step = steps.next();
      while (!step.done) {
        if (step.value !== 'if-long' || clock.stepCpuMs() >= PAUSE_AFTER_STEP_CPU_MS) yield* clock.step();
        step = steps.next(clock.overBudget());
      }
      parsed = step.value;
    } catch (error) {
      this.log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return undefined;
    }
    // Another request parsed this version while this parse was paused: keep one parse per version.
    const again = this.parses.get(uri);
    if (again && again.version === open.version && again.text === open.text) return again;
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
    return runToEnd(this.phases(uri));
  }

  /**
   * The same check with the event loop given back between its phases (`pause`), so requests about
   * other documents are answered while this one is checked. Undefined when the document changed
   * meanwhile: its newer version has a check of its own queued.
   */
  async checkYielding(uri: string, pause: () => Promise<void>): Promise<CheckedEntry | undefined> {
    const steps = this.phases(uri);
    let step = steps.next();
    while (!step.done) {
      await pause();
      step = steps.next();
    }
    return step.value;
  }

  /**
   * Parse (in slices), then a parse of each referenced file read from disk (one per step), then
   * resolve and analyse, then the advice, with a `yield` between steps. Past the budget the check
   * stops at the next step and says so: what is found so far is kept, the rest is skipped.
   */
  private *phases(uri: string): Generator<void, CheckedEntry | undefined> {
    const clock = new StepClock(this.runtime, this.budgetMs());
    const parsed = yield* this.parseInSteps(uri, clock);
    if (!parsed) {
      this.forget(uri);
      return undefined;
    }
    const cached = this.checks.get(uri);
    if (cached && cached.version === parsed.version && cached.text === parsed.text) return cached;
    if (this.filesReadFor.get(uri) !== parsed.version) {
      // Each version reads its files afresh: files outside the workspace send no change events.
      for (const [dependency, users] of this.dependents) {
        if (!users.has(uri)) continue;
        this.diskFiles.delete(dependency);
        this.listings.delete(dependency);
        // Model folders are kept: an index can be megabytes, and the watcher reports changes to their files.
        if (!this.checkpoints.has(dependency)) this.reading.delete(dependency);
        this.fileParses.delete(dependency);
      }
      this.filesReadFor.set(uri, parsed.version);
    }
    const current = (): boolean => this.source.openText(uri)?.version === parsed.version;
    // A request that cannot wait (a code lens, a code action) checks this version at once while this
    // check is paused: once it has, this one takes its result rather than analysing the version again.
    const checkedMeanwhile = (): CheckedEntry | undefined => {
      const done = this.checks.get(uri);
      return done && done.version === parsed.version && done.text === parsed.text ? done : undefined;
    };
    const generation = this.generation;
    const finish = (
      check: DocumentCheck,
      problems: ConfigProblem[],
      unreadFiles: string[],
      advice: { fit?: FitAdvice; targetChange?: TargetChange } = {},
      stopped = false,
    ): CheckedEntry => ({
      ...parsed,
      problems,
      dependencies: check.dependencies.filter((dependency) => dependency !== uri),
      check,
      ...(check.input ? { input: check.input } : {}),
      ...(check.result ? { result: check.result } : {}),
      ...(advice.fit ? { fit: advice.fit } : {}),
      ...(advice.targetChange ? { targetChange: advice.targetChange } : {}),
      unreadFiles,
      handlingMs: clock.elapsedMs(),
      cpuMs: clock.cpuMs(),
      steps: clock.steps,
      longestStepCpuMs: clock.longestStepCpuMs(),
      stopped,
    });
    /** The check as far as it got, with where and why it stopped; not kept, so the next request checks again. */
    const stoppedHere = (check: DocumentCheck, problems: ConfigProblem[]): CheckedEntry => {
      const stop = checkStoppedProblem(uri, firstLineRange(parsed.text), clock.elapsedMs(), this.budgetMs());
      const entry = finish(check, [...capped(parsed.parsed, problems, problems.length), stop], [], {}, true);
      this.log(`checking ${uri} stopped after ${Math.round(entry.handlingMs)} ms, over the ${this.budgetMs()} ms budget of a document check`);
      return entry;
    };
    if (parsed.parsed.syntaxProblems.some((problem) => problem.code === 'check-stopped')) {
      return stoppedHere({ problems: [], dependencies: [] }, parsed.parsed.syntaxProblems.filter((problem) => problem.code !== 'check-stopped'));
    }

    // Referenced files already read, parsed a step each (a model file can be 128 KB of JSON).
    for (const file of this.filesOf(uri)) {
      const text = this.diskFiles.get(file);
      if (typeof text !== 'string' || this.source.openText(file)) continue;
      const kind = kindOfReferencedFile(file);
      const known = this.fileParses.get(file);
      if (known && known.text === text && known.kind === kind) continue;
      yield* clock.step();
      if (!current()) return undefined;
      if (clock.overBudget()) return stoppedHere({ problems: [], dependencies: [] }, parsed.parsed.syntaxProblems);
      // Metered like the document's own parse; a parse stopped part-way is not kept (the next check parses the file again).
      const fileParse = parseWhole(file, text, kind, new WorkMeter(() => clock.overBudget()));
      if (fileParse.syntaxProblems.some((problem) => problem.code === 'check-stopped')) {
        return stoppedHere({ problems: [], dependencies: [] }, parsed.parsed.syntaxProblems);
      }
      this.fileParses.set(file, { text, kind, parsed: fileParse });
    }

    yield* clock.step();
    if (!current()) return undefined;
    const before = checkedMeanwhile();
    if (before) return before;
    if (clock.overBudget()) return stoppedHere({ problems: [], dependencies: [] }, parsed.parsed.syntaxProblems);
    // Files this check asks for and has not read; its own set, as another check may run while it pauses.
    const unread = new Set<string>();
    // Resolving and validating, then the engine's analysis: inside each, the validators' and the
    // engine's long loops (a key or item, a block of the model) count their work on the check's
    // meter. Between them the check pauses if it has run long, keeping the problems found so far.
    const meter = new WorkMeter(() => clock.overBudget());
    const checkSteps = checkDocumentSteps(parsed.parsed, this.host);
    let foundSoFar = parsed.parsed.syntaxProblems;
    let check: DocumentCheck | undefined;
    let stoppedInside = false;
    while (!check && !stoppedInside) {
      let step: IteratorResult<ConfigProblem[], DocumentCheck>;
      try {
        step = withWorkMeter(meter, () => {
          this.unread = unread;
          return checkSteps.next();
        });
      } catch (error) {
        if (error instanceof CheckStopped) {
          stoppedInside = true;
          break;
        }
        this.log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        check = { problems: [internalProblem(parsed)], dependencies: [] };
        break;
      }
      if (step.done) {
        check = step.value;
        break;
      }
      foundSoFar = step.value;
      if (clock.stepCpuMs() >= PAUSE_AFTER_STEP_CPU_MS) {
        yield* clock.step();
        if (!current()) return undefined;
        const meanwhile = checkedMeanwhile();
        if (meanwhile) return meanwhile;
      }
      if (clock.overBudget()) stoppedInside = true;
    }
    if (!check) return stoppedHere({ problems: [], dependencies: [] }, foundSoFar);
    const unreadFiles = [...unread];
    const problems = [...check.problems];
    let fit: FitAdvice | undefined;
    let targetChange: TargetChange | undefined;
    if (check.input && check.result && unreadFiles.length === 0) {
      yield* clock.step();
      if (!current()) return undefined;
      const meanwhile = checkedMeanwhile();
      if (meanwhile) return meanwhile;
      if (clock.overBudget()) return stoppedHere(check, problems);
      // The advice's search has a time budget of its own, held to CPU time like the check's: on a
      // busy machine a wall clock would cut it short and name a different cheapest change.
      const cpuNow = (): number => (this.runtime.cpuNow ? this.runtime.cpuNow() : this.runtime.now());
      const findings = safe(() => semanticProblems(parsed.parsed, check.input!, check.result!, cpuNow), { problems: [] }, this.log);
      const known = new Set(problems.map((problem) => problem.code));
      problems.push(...findings.problems.filter((problem) => !known.has(problem.code)));
      fit = findings.fit;
      targetChange = findings.targetChange;
    }
    // A file it read changed while this check was paused: its result is stale, so check again.
    if (generation !== this.generation) return yield* this.phases(uri);
    const entry = finish(check, problems, unreadFiles, { ...(fit ? { fit } : {}), ...(targetChange ? { targetChange } : {}) });
    this.recordDependencies(uri, entry.dependencies);
    // A provisional check is not kept: the next one runs with the files read.
    if (unreadFiles.length === 0) this.checks.set(uri, entry);
    return entry;
  }

  /**
   * The check of an open document once every file it references has been read from disk, with the
   * event loop given back between phases (`pause`; by default only to promise callbacks). A
   * deployment's references name only presets beyond one level, so this is one or two rounds.
   */
  async checkAfterReads(uri: string, pause: () => Promise<void> = () => Promise.resolve()): Promise<CheckedEntry | undefined> {
    // Requests that arrive while the same version is being checked share that check.
    const version = this.source.openText(uri)?.version;
    const running = this.running.get(uri);
    if (running && running.version === version && running.generation === this.generation) return running.check;
    const check = this.readAndCheck(uri, pause);
    this.running.set(uri, { version, generation: this.generation, check });
    try {
      return await check;
    } finally {
      if (this.running.get(uri)?.check === check) this.running.delete(uri);
    }
  }

  private async readAndCheck(uri: string, pause: () => Promise<void>): Promise<CheckedEntry | undefined> {
    for (let round = 1; ; round++) {
      const entry = await this.checkYielding(uri, pause);
      if (!entry || entry.unreadFiles.length === 0 || round === MAX_READ_ROUNDS) return entry;
      const wanted = this.wanted.get(uri) ?? new Set<string>();
      for (const file of entry.unreadFiles) wanted.add(file);
      this.wanted.set(uri, wanted);
      await Promise.all(entry.unreadFiles.map((file) => this.readFromDisk(file)));
    }
  }

  /** The files a document read at its last check, or asked for and had read since. */
  private filesOf(uri: string): string[] {
    const files = new Set(this.wanted.get(uri));
    for (const [dependency, users] of this.dependents) if (users.has(uri)) files.add(dependency);
    return [...files];
  }

  private readFromDisk(uri: string): Promise<void> {
    const inFlight = this.reading.get(uri);
    if (inFlight) return inFlight;
    const listed = folderOfListingKey(uri);
    if (listed !== undefined) return this.listFromDisk(uri, listed);
    const files = uri.endsWith('/') ? this.runtime.checkpointFiles?.(this.source.readPolicy()) : undefined;
    const reading: Promise<FileRead | CheckpointRead> = files ? runAsync(readCheckpoint(uri), files) : this.runtime.readFile(uri, this.source.readPolicy());
    const read: Promise<void> = reading.then(
      (text) => {
        // Dropped when the file changed or the policy changed while it was being read.
        if (this.reading.get(uri) !== read) return;
        if (files) this.checkpoints.set(uri, text as CheckpointRead);
        else this.diskFiles.set(uri, text as FileRead);
      },
      (error: unknown) => this.log(`reading ${uri} failed: ${error instanceof Error ? error.message : String(error)}`),
    ).finally(() => {
      if (this.reading.get(uri) === read) this.reading.delete(uri);
    });
    this.reading.set(uri, read);
    return read;
  }

  private listFromDisk(key: string, folderUri: string): Promise<void> {
    const files = this.runtime.checkpointFiles?.(this.source.readPolicy());
    if (!files) {
      this.listings.set(key, null);
      return Promise.resolve();
    }
    const read: Promise<void> = files.listFolder(folderUri).then(
      (entries) => {
        if (this.reading.get(key) === read) this.listings.set(key, entries ?? null);
      },
      (error: unknown) => this.log(`listing ${folderUri} failed: ${error instanceof Error ? error.message : String(error)}`),
    ).finally(() => {
      if (this.reading.get(key) === read) this.reading.delete(key);
    });
    this.reading.set(key, read);
    return read;
  }

  /**
   * A file changed (an open document edited, or a file on disk): drops what depended on it and
   * returns the open documents to re-check.
   */
  invalidate(uri: string): string[] {
    this.generation++;
    this.diskFiles.delete(uri);
    this.reading.delete(uri);
    this.fileParses.delete(uri);
    const affected = [...(this.dependents.get(uri) ?? [])];
    // A file in a model folder (config.json, the index, a shard added or removed): that folder's read is stale.
    for (const folder of [...this.checkpoints.keys(), ...this.dependents.keys()]) {
      if (!folder.endsWith('/') || !uri.startsWith(folder) || uri.slice(folder.length).includes('/')) continue;
      this.checkpoints.delete(folder);
      this.reading.delete(folder);
      for (const dependent of this.dependents.get(folder) ?? []) if (!affected.includes(dependent)) affected.push(dependent);
    }
    // A file added to or removed from a folder a `measured:` pattern lists: that listing is stale.
    for (const key of [...this.listings.keys(), ...this.dependents.keys()]) {
      const folder = folderOfListingKey(key);
      if (folder === undefined || !uri.startsWith(folder) || uri.slice(folder.length).includes('/')) continue;
      this.listings.delete(key);
      this.reading.delete(key);
      for (const dependent of this.dependents.get(key) ?? []) if (!affected.includes(dependent)) affected.push(dependent);
    }
    for (const dependent of affected) this.checks.delete(dependent);
    return affected;
  }

  /** Drops every check and file read (the read policy changed): the next request re-checks, parses are kept. */
  forgetChecks(): void {
    this.generation++;
    this.checks.clear();
    this.diskFiles.clear();
    this.checkpoints.clear();
    this.listings.clear();
    this.reading.clear();
    this.fileParses.clear();
  }

  forget(uri: string): void {
    this.filesReadFor.delete(uri);
    this.wanted.delete(uri);
    this.parses.delete(uri);
    this.checks.delete(uri);
    const used = [...this.dependents].filter(([, users]) => users.has(uri)).map(([dependency]) => dependency);
    this.recordDependencies(uri, []);
    // Files and model folders no open document uses any more are read afresh next time (reopening re-reads them).
    for (const dependency of used) {
      if (this.dependents.has(dependency)) continue;
      this.diskFiles.delete(dependency);
      this.checkpoints.delete(dependency);
      this.listings.delete(dependency);
      this.fileParses.delete(dependency);
      this.reading.delete(dependency);
    }
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

/**
 * A file's parse run through without pauses: a referenced file is parsed in one step, stopped
 * part-way only by `meter` (a check's budget spent), else never.
 */
function parseWhole(uri: string, text: string, kind: DocumentKind, meter?: WorkMeter): ParsedDocument {
  return runToEnd(parseConfigSteps(uri, text, kind, meter), false);
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
