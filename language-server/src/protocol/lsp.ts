/**
 * Every custom LSP message between the LLM Roofline client and server, declared once and
 * imported by both sides.
 */
import { NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import type { AnalysisResult } from '../engine/types';
import type { DocumentKind } from '../config/types';
import type { SweepData } from './webview';

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
  /** Messages of the errors that prevent an analysis. */
  errors: string[];
  editableFields: EditableField[];
  modelName?: string;
  hardwareName?: string;
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
  workspaceTrust?: WorkspaceTrust;
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
