/**
 * Config files read through VS Code's file system API (`vscode.workspace.fs`), for a language
 * server that cannot read them itself (the browser's web worker; any uri that is not a `file:` in
 * node) and for the hardware comparison in the browser. The same policy as the node reader:
 * regular files only, the byte limit checked before and after reading, Restricted Mode's folders.
 */
import * as vscode from 'vscode';
import { isWithinFolders, MAX_CONFIG_FILE_BYTES, type ReadPolicy } from '../../../language-server/src/config/readPolicy';
import type { FileRead } from '../../../language-server/src/config/types';
import {
  ListDirectoryRequest,
  ReadFilePrefixRequest,
  ReadFileRequest,
  type ListDirectoryParams,
  type ListDirectoryResult,
  type ReadFileParams,
  type ReadFilePrefixParams,
  type ReadFilePrefixResult,
  type ReadFileResult,
} from '../../../language-server/src/protocol/lsp';

/**
 * The largest file read whole for its first bytes (a model shard's safetensors header): VS Code's
 * file system reads files whole, and a browser tab should not hold a multi-gigabyte shard.
 */
export const MAX_WHOLE_READ_FOR_PREFIX_BYTES = 64 * 1024 * 1024;
import type { BaseLanguageClient } from 'vscode-languageclient';

function parseUri(uri: string): vscode.Uri | undefined {
  try {
    return vscode.Uri.parse(uri, true);
  } catch {
    return undefined;
  }
}

/** A scheme no file system provider serves (a `file:` path in vscode.dev). */
function hasNoFileSystem(uri: vscode.Uri): boolean {
  return vscode.workspace.fs.isWritableFileSystem(uri.scheme) === undefined;
}

function failureOf(error: unknown): Exclude<ReadFileResult, { text: string }> {
  const code = error instanceof vscode.FileSystemError ? error.code : undefined;
  if (code === 'NoPermissions') return { unreadable: 'no-permission' };
  if (code === 'FileIsADirectory') return { unreadable: 'not-regular-file' };
  if (code === 'Unavailable') return { unreadable: 'no-file-system' };
  return { missing: true };
}

export async function readWorkspaceFile(params: ReadFileParams): Promise<ReadFileResult> {
  const uri = parseUri(params.uri);
  if (!uri) return { missing: true };
  if (params.onlyWithin && !isWithinFolders(params.uri, params.onlyWithin)) return { unreadable: 'outside-workspace' };
  if (hasNoFileSystem(uri)) return { unreadable: 'no-file-system' };
  const maxBytes = params.maxBytes;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if ((stat.type & vscode.FileType.File) === 0) return { unreadable: 'not-regular-file' };
    if (stat.size > maxBytes) return { unreadable: 'too-large', limitBytes: maxBytes };
    const bytes = await vscode.workspace.fs.readFile(uri);
    // A provider may report no size (0) for what turns out large.
    if (bytes.byteLength > maxBytes) return { unreadable: 'too-large', limitBytes: maxBytes };
    return { text: new TextDecoder('utf-8').decode(bytes) };
  } catch (error) {
    return failureOf(error);
  }
}

export async function listWorkspaceFolder(params: ListDirectoryParams): Promise<ListDirectoryResult> {
  const uri = parseUri(params.uri);
  if (!uri || (params.onlyWithin && !isWithinFolders(params.uri, params.onlyWithin)) || hasNoFileSystem(uri)) return { entries: [] };
  try {
    const entries = await vscode.workspace.fs.readDirectory(uri);
    return { entries: entries.map(([name, type]) => ({ name, isDirectory: (type & vscode.FileType.Directory) !== 0 })) };
  } catch (error) {
    return error instanceof vscode.FileSystemError && error.code === 'FileNotFound' ? { entries: [], missing: true } : { entries: [] };
  }
}

function base64Of(bytes: Uint8Array): string {
  let text = '';
  for (let start = 0; start < bytes.length; start += 0x8000) text += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  return btoa(text);
}

/** The first `bytes` bytes of a file (a shard's safetensors header), refusing files too large to read whole. */
export async function readWorkspaceFilePrefix(params: ReadFilePrefixParams): Promise<ReadFilePrefixResult> {
  const uri = parseUri(params.uri);
  if (!uri) return { missing: true };
  if (params.onlyWithin && !isWithinFolders(params.uri, params.onlyWithin)) return { unreadable: 'outside-workspace' };
  if (hasNoFileSystem(uri)) return { unreadable: 'no-file-system' };
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if ((stat.type & vscode.FileType.File) === 0) return { unreadable: 'not-regular-file' };
    if (stat.size > MAX_WHOLE_READ_FOR_PREFIX_BYTES) return { unreadable: 'whole-file-only', limitBytes: MAX_WHOLE_READ_FOR_PREFIX_BYTES };
    const whole = await vscode.workspace.fs.readFile(uri);
    return { base64: base64Of(whole.subarray(0, Math.max(0, params.bytes))), sizeBytes: whole.byteLength };
  } catch (error) {
    return failureOf(error);
  }
}

/** The config layer's reader over `vscode.workspace.fs`, under `policy`. */
export function workspaceFileReader(policy: ReadPolicy): (uri: string) => Promise<FileRead> {
  return async (uri) => {
    const result = await readWorkspaceFile({ uri, maxBytes: policy.maxBytes ?? MAX_CONFIG_FILE_BYTES, ...(policy.onlyWithin ? { onlyWithin: [...policy.onlyWithin] } : {}) });
    if ('text' in result) return result.text;
    if ('unreadable' in result) return { unreadable: result.unreadable, ...(result.limitBytes === undefined ? {} : { limitBytes: result.limitBytes }) };
    return undefined;
  };
}

/** Answers the server's file requests on `client` (registered before it starts). */
export function serveWorkspaceFiles(client: BaseLanguageClient): vscode.Disposable {
  return vscode.Disposable.from(
    client.onRequest(ReadFileRequest, readWorkspaceFile),
    client.onRequest(ListDirectoryRequest, listWorkspaceFolder),
    client.onRequest(ReadFilePrefixRequest, readWorkspaceFilePrefix),
  );
}
