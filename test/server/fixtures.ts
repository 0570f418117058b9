/**
 * Server fixtures are real config files with `${cursor}` markers where a test puts the cursor.
 * `loadFixture` strips the markers and gives their positions.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Position } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { fileUri, repositoryRoot } from './lspClient';

export const FIXTURE_DIR = resolve(repositoryRoot(), 'test/fixtures/server');
const MARKER = '${cursor}';

export interface Fixture {
  uri: string;
  text: string;
  /** The markers' positions, in order. */
  cursors: Position[];
}

export function withoutMarkers(raw: string, uri: string): { text: string; cursors: Position[] } {
  const offsets: number[] = [];
  let text = '';
  let rest = raw;
  for (let at = rest.indexOf(MARKER); at !== -1; at = rest.indexOf(MARKER)) {
    text += rest.slice(0, at);
    offsets.push(text.length);
    rest = rest.slice(at + MARKER.length);
  }
  text += rest;
  const document = TextDocument.create(uri, 'yaml', 1, text);
  return { text, cursors: offsets.map((offset) => document.positionAt(offset)) };
}

export function loadFixture(name: string): Fixture {
  const path = resolve(FIXTURE_DIR, name);
  const uri = fileUri(path);
  return { uri, ...withoutMarkers(readFileSync(path, 'utf8'), uri) };
}
