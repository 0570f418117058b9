/**
 * The contract of the config layer: parse a document (keeping positions), check it against its
 * schema, and resolve it (presets, `extends:`, referenced files) into the engine's input. File
 * reading is injected through `ConfigHost`, so this layer stays usable in a browser and in tests.
 */
import type { EngineInput } from '../engine/types';
import type { CheckpointRead } from './checkpoint/readCheckpoint';
import type { FolderEntry } from './checkpoint/checkpointFiles';
import type { CheckpointSummary } from './checkpoint/checkpointWeights';

export type DocumentKind = 'deployment' | 'hardware' | 'model' | 'hf-config';

export type JsonPath = readonly (string | number)[];

/** Offsets into a document's text, end exclusive. */
export interface OffsetRange {
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'information';

export interface ConfigProblem {
  /** The document the problem is in (a deployment's problem may sit in a referenced file). */
  uri: string;
  range: OffsetRange;
  /** The field the problem is about; empty for the document as a whole. */
  path: JsonPath;
  message: string;
  /** Stable code, e.g. `unknown-key`, `unknown-preset`, `heads-not-divisible`, `yaml-syntax`. */
  code: string;
  severity: Severity;
  /** Replacement values a quick fix can offer (closest preset ids, keys, enum values). */
  suggestions?: string[];
  /** Quick fixes as plain text edits in the problem's document (arguments inside a `vllm:` command line). */
  fixes?: TextFix[];
}

/** A quick fix that replaces text: offsets into the problem's document, end exclusive. */
export interface TextFix {
  title: string;
  edits: { start: number; end: number; newText: string }[];
  preferred?: boolean;
}

/** Where a node sits in the text: the key (when it has one) and the value. */
export interface NodeLocation {
  keyRange?: OffsetRange;
  valueRange: OffsetRange;
}

export interface ParsedDocument {
  uri: string;
  kind: DocumentKind;
  text: string;
  /** The plain value (objects, arrays, strings, numbers, booleans, null); undefined if unparseable. */
  value: unknown;
  /** Syntax problems only. */
  syntaxProblems: ConfigProblem[];
  /** Syntax problems found but not listed (a file of 60,000 stray commas lists its first few hundred). */
  unlistedSyntaxProblems?: number;
  /** Position of the node at `path`, or of its closest existing ancestor. */
  locate(path: JsonPath): NodeLocation | undefined;
  /** The path of the deepest node at `offset` and whether the offset is on a key. */
  pathAt(offset: number): { path: JsonPath; onKey: boolean } | undefined;
}

/**
 * Why a file that exists was not read: it is not a regular file (a device, a FIFO, a folder,
 * including through a symlink), it is larger than the limit, Restricted Mode keeps it out, the
 * operating system refuses access, or the editor has no file system for its uri (a `file:` path
 * named in vscode.dev, where only the workspace's own files can be read), or only its first bytes
 * were wanted from a file the editor can only read whole and that is past its limit (a model
 * shard in the browser).
 */
export type UnreadableReason = 'not-regular-file' | 'too-large' | 'outside-workspace' | 'no-permission' | 'no-file-system' | 'whole-file-only';

export interface UnreadableFile {
  unreadable: UnreadableReason;
  /** The byte limit that was exceeded (for `too-large`). */
  limitBytes?: number;
}

/** The text of a file, why it was not read, or undefined when there is no such file. */
export type FileRead = string | UnreadableFile | undefined;

/** What resolution needs from the outside world. */
export interface ConfigHost {
  /** The text of the file at `uri`; `UnreadableFile` when it exists but is not read; undefined if it does not exist. */
  readFile(uri: string): FileRead;
  /**
   * The parse of a file's text, when the host keeps one (the language server parses referenced
   * files ahead, one per step of a check, and reuses the parse of open documents); else it is parsed here.
   */
  parse?(uri: string, text: string, kind: DocumentKind): ParsedDocument;
  /**
   * What the model folder at `folderUri` holds beside config.json (safetensors index and headers,
   * read by config/checkpoint/readCheckpoint.ts); undefined when not read yet (the host reads it and
   * resolution runs again). A host without it analyses model folders from config.json alone.
   */
  readCheckpoint?(folderUri: string): CheckpointRead | undefined;
  /**
   * The entries of the folder at `folderUri` (ending in `/`), for a `measured:` pattern: `null`
   * when there is no such folder, `UnreadableFile` when it is not listed (Restricted Mode);
   * undefined when not listed yet (the host lists it and resolution runs again). A host without it
   * cannot expand patterns, and says so on the entry.
   */
  listFolder?(folderUri: string): FolderEntry[] | UnreadableFile | null | undefined;
}

/** Where a resolved value came from, so hovers and diagnostics can point into referenced files. */
export interface ResolvedSource {
  /** Preset id, or the uri of the file the value was read from, or `inline`. */
  origin: 'preset' | 'file' | 'inline';
  id: string;
  uri?: string;
}

export interface ResolvedDeployment {
  /** Present only when there are no errors among `problems`. */
  input?: EngineInput;
  problems: ConfigProblem[];
  /** Every file that was read to resolve this document; editing one re-checks the deployment. */
  dependencies: string[];
  modelSource?: ResolvedSource;
  hardwareSource?: ResolvedSource;
  /** What was read from the model folder's safetensors, when `model:` names a folder. */
  checkpoint?: CheckpointSummary;
}
