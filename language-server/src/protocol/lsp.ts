/**
 * Every custom LSP message between the LLM Roofline client and server, declared once and
 * imported by both sides.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { AnalysisResult } from '../engine/types';
import type { DocumentKind, UnreadableReason } from '../config/types';
import type { PlanCandidate } from '../plan/planner';
import type { SweepData } from './webview';
import type { MeasuredComparison } from '../measured/types';

/** A range in a document, LSP style (zero-based line and UTF-16 character). */
export interface WireRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** A field the panel can edit, with where it is in the document (absent when not yet written). */
export interface EditableField {
  /** Path in the deployment, e.g. `["workload", "batch_size"]`. */
  path: (string | number)[];
  value: unknown;
  range?: WireRange;
}

export interface DocumentAnalysis {
  uri: string;
  version: number;
  kind: DocumentKind;
  /** Absent when the document has errors that prevent an analysis. */
  result?: AnalysisResult;
  /**
   * The same deployment without its `techniques:` (the panel's before/after view); absent when
   * the deployment has no techniques or no result.
   */
  baseline?: AnalysisResult;
  /** Messages of the errors that prevent an analysis. */
  errors: string[];
  editableFields: EditableField[];
  modelName?: string;
  hardwareName?: string;
  /** The results named under `measured:`, each point beside its prediction; absent without them. */
  measured?: MeasuredComparison;
}

export interface AnalysisParams {
  uri: string;
}

/** Client → server: the full analysis of a document. */
export const AnalysisRequest = new RequestType<AnalysisParams, DocumentAnalysis, void>('llmRoofline/analysis');

/** Server → client: a document's analysis changed (after an edit of it or of a file it uses). */
export const AnalysisChangedNotification = new NotificationType<DocumentAnalysis>('llmRoofline/analysisChanged');

export interface SetFieldParams {
  uri: string;
  /** The document version the edit was made against; a different current version refuses it. */
  version: number;
  path: (string | number)[];
  value: unknown;
}

export interface SetFieldResult {
  /** Absent when the edit was refused. */
  edits?: { range: WireRange; newText: string }[];
  refusedBecause?: 'stale-version' | 'invalid-value' | 'unknown-document';
  message?: string;
}

/** Client → server: the smallest text edit that sets a field, keeping comments and formatting. */
export const SetFieldRequest = new RequestType<SetFieldParams, SetFieldResult, void>('llmRoofline/setField');

export interface SweepParams {
  uri: string;
  /** The document version of the analysis the sweep goes with. */
  version: number;
}

/**
 * Client → server: the deployment swept across batch sizes and prompt lengths, from the input the
 * server resolved for that version. Null when the version is not the current one or the document
 * has errors.
 */
export const SweepRequest = new RequestType<SweepParams, SweepData | null, void>('llmRoofline/sweep');

export interface EngineCommandParams {
  uri: string;
  engine: 'vllm' | 'sglang';
}

export interface EngineCommandResult {
  /** The command line; absent when the deployment has errors that prevent an analysis. */
  command?: string;
  /** What the deployment says that the command cannot. */
  notExpressed: string[];
  /** Why there is no command. */
  error?: string;
}

/** Client → server: the deployment as the `vllm serve` or SGLang launch command that runs it. */
export const EngineCommandRequest = new RequestType<EngineCommandParams, EngineCommandResult, void>('llmRoofline/engineCommand');

/** The extension commands the "Copy as ..." code actions run, with the document uri as argument. */
export const COPY_ENGINE_COMMANDS = { vllm: 'llmRoofline.copyVllmCommand', sglang: 'llmRoofline.copySglangCommand' } as const;

/**
 * Workspace trust as the client sees it. In Restricted Mode (`trusted: false`) the server reads no
 * file outside `folders` (uris of the workspace folders) and says so on the reference.
 */
export interface WorkspaceTrust {
  trusted: boolean;
  folders: string[];
}

/** What the VS Code client sends in `initialize`; other clients may send nothing (then everything is trusted). */
export interface ServerInitializationOptions {
  /** Send `CheckTimingNotification`s (tests and the bench). */
  reportTimings?: boolean;
  /** Honour the test-only requests of the server's debugProtocol.ts (tests only). */
  debugRequests?: boolean;
  /** A check budget other than the 100 ms of CPU (config/checkBudget.ts), honoured with `debugRequests` only (tests only). */
  checkBudgetMs?: number;
  workspaceTrust?: WorkspaceTrust;
}

/**
 * What the server adds to its capabilities (`capabilities.experimental`): its process id, so that
 * the client can end a server that stopped answering (a stuck server cannot answer a shutdown).
 */
export interface ServerExperimentalCapabilities {
  processId?: number;
}

/**
 * Client → server: trust was granted or the workspace folders changed. The server re-checks every
 * open document under the new policy.
 */
export const WorkspaceTrustNotification = new NotificationType<WorkspaceTrust>('llmRoofline/workspaceTrust');

/** What the server answers a ping with: nothing but the fact that it answered. */
export interface PingResult {
  ok: true;
}

/**
 * Client → server, every few seconds: answered at once from the server's event loop, so an
 * answer that does not come means the server is stuck (a loop, a blocking read); the client then
 * says so and restarts it.
 */
export const PingRequest = new RequestType0<PingResult, void>('llmRoofline/ping');

/** The deployment under load at one number of requests in flight (closed loop). */
export interface ServingCurvePoint {
  concurrency: number;
  output_tokens_per_second: number;
  output_tokens_per_second_per_gpu: number;
  output_tokens_per_second_per_user: number;
  ttft_seconds: number;
  tpot_seconds: number;
  e2e_seconds: number;
  /** Seconds a request waits before it is admitted (past the KV pool's limit). */
  queue_seconds: number;
}

/**
 * Throughput and latency against concurrency for a deployment with `serving:`. The saturation
 * point is `max_concurrency`, the engine's own: as many requests as the KV pool holds; past it
 * throughput stays flat and requests queue.
 */
export interface ServingCurve {
  points: ServingCurvePoint[];
  /** Requests in flight in the document's own steady state. */
  current: number;
  max_concurrency: number;
  gpus: number;
}

/**
 * Client → server: the serving curve of the analysis of `uri` at `version`, from the input the
 * server resolved. Null when the version is not the current one, the document has errors or has no
 * `serving:` section.
 */
export const ServingCurveRequest = new RequestType<SweepParams, ServingCurve | null, void>('llmRoofline/servingCurve');

/** One candidate of a plan, as the panel shows it: the planner's candidate with its place in the ranking. */
export interface PlanRow extends PlanCandidate {
  /** Place in the full ranking, 0 for the best. */
  rank: number;
  /** On the Pareto front of tokens/s per GPU against tokens/s per user (no candidate beats it on both). */
  on_front: boolean;
}

export interface PlanParams {
  uri: string;
  /** The document version the plan is asked for; another current version answers an error. */
  version: number;
}

/** The cheapest deployments that meet the targets, best first, or why there is no plan. */
export type PlanOutcome =
  | {
      uri: string;
      version: number;
      /** The best candidates and every one on the Pareto front, best first. */
      candidates: PlanRow[];
      /** Every other candidate that meets the targets, as [tokens/s per user, tokens/s per GPU], for the chart (at most a few thousand). */
      others: [number, number][];
      evaluated: number;
      meeting: number;
    }
  | { uri: string; version: number; error: string };

/**
 * Client → server: search the deployment's `plan:` space (or its own hardware and formats when it
 * has none) for the cheapest deployments that meet its `targets:`.
 */
export const PlanRequest = new RequestType<PlanParams, PlanOutcome, void>('llmRoofline/plan');

export interface SetFieldsParams {
  uri: string;
  /** The document version the edit was made against; a different current version refuses it. */
  version: number;
  /**
   * Fields to set together; the answer is one edit covering them all (one undo step). A null value
   * takes the field out of the file (a co-located candidate's `serving.disaggregated`).
   */
  fields: { path: (string | number)[]; value: unknown }[];
}

/**
 * Client → server: one text edit that sets several fields of a deployment at once (a plan
 * candidate applied), made through the syntax tree so comments and formatting outside the changed
 * values survive.
 */
export const SetFieldsRequest = new RequestType<SetFieldsParams, SetFieldResult, void>('llmRoofline/setFields');

export interface FitMeasuredParams {
  uri: string;
  /** The document version the fit is made for; a different current version refuses it. */
  version: number;
  /** Today's date as the client sees it (YYYY-MM-DD), written into the fitted terms' source. */
  date: string;
}

/** A file the fit writes: its whole new text, or one edit of an existing file. */
export interface FitFileEdit {
  uri: string;
  /** True when the file does not exist yet (a hardware file that extends the preset). */
  create: boolean;
  /** For an existing file: the edit, against the text at `version` (open documents) or on disk. */
  edit?: { range: WireRange; newText: string };
  /** For a new file: its text. */
  text?: string;
}

export type FitMeasuredResult =
  | {
      /** Edits of the hardware file (or a new one) and of the deployment, to apply together. */
      files: FitFileEdit[];
      /** What was fitted and how much closer the analysis came, for the message beside it. */
      summary: string;
      /** Set when the hardware is a preset: the new file to create, for the client to confirm. */
      createsFile?: string;
    }
  | { error: string };

/**
 * Client → server: fit the hardware's efficiency terms (achievable bandwidth and compute fraction,
 * host time per step and per request) to the deployment's `measured:` points, and the edits that
 * write them with their source: into the hardware file, or a new `<preset>.hardware.yaml` that
 * extends the preset, with the deployment pointed at it (measured/fit.ts).
 */
export const FitMeasuredRequest = new RequestType<FitMeasuredParams, FitMeasuredResult, void>('llmRoofline/fitMeasured');

/**
 * A file the server asks the client to read (server → client), where the server cannot read it
 * itself: in the browser, where it runs in a web worker with no file system, and for any uri that
 * is not a `file:` (a virtual workspace such as github.dev's `vscode-vfs:`). The client reads it
 * through VS Code's file system API under the same policy as the node reader.
 */
export interface ReadFileParams {
  uri: string;
  /** Bytes past which the file is refused (`too-large`). */
  maxBytes: number;
  /** Restricted Mode: folder uris outside which nothing is read. */
  onlyWithin?: string[];
}

/**
 * The text of the file; why it exists and is not read (`unreadable`, an `UnreadableReason`);
 * or `missing` when there is no such file.
 */
export type ReadFileResult = { text: string } | { unreadable: UnreadableReason; limitBytes?: number } | { missing: true };

/** Server → client: read a referenced model or hardware file through VS Code's file system. */
export const ReadFileRequest = new RequestType<ReadFileParams, ReadFileResult, void>('llmRoofline/readFile');

export interface ListDirectoryParams {
  uri: string;
  onlyWithin?: string[];
}

export interface ListDirectoryResult {
  entries: { name: string; isDirectory: boolean }[];
  /** There is no such folder (a model folder says so on its reference). */
  missing?: true;
}

/** Server → client: the entries of a folder through VS Code's file system (empty when it cannot be listed). */
export const ListDirectoryRequest = new RequestType<ListDirectoryParams, ListDirectoryResult, void>('llmRoofline/listDirectory');

export interface ReadFilePrefixParams {
  uri: string;
  /** How many bytes from the start (a safetensors header: its length, then the header). */
  bytes: number;
  onlyWithin?: string[];
}

/** The first bytes (base64) with the file's whole size; why not; or `missing`. */
export type ReadFilePrefixResult = { base64: string; sizeBytes: number } | { unreadable: UnreadableReason; limitBytes?: number } | { missing: true };

/**
 * Server → client: the first bytes of a model folder's shard through VS Code's file system, for its
 * safetensors header. VS Code reads files whole, so a shard past the client's limit is refused
 * (`whole-file-only`) rather than read.
 */
export const ReadFilePrefixRequest = new RequestType<ReadFilePrefixParams, ReadFilePrefixResult, void>('llmRoofline/readFilePrefix');

export interface ImportMeasuredParams {
  uri: string;
  /** The document version the edit is made against; a different current version refuses it. */
  version: number;
  /** Result files to add under `measured:`, as paths relative to the deployment (`./results/run-64.json`). */
  paths: string[];
}

/**
 * Client → server: the edit that adds result files to a deployment's `measured:` (after the
 * entries it has, none twice), through the syntax tree: one edit, one undo step.
 */
export const ImportMeasuredRequest = new RequestType<ImportMeasuredParams, SetFieldResult, void>('llmRoofline/importMeasured');
