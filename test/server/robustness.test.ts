/**
 * 10,000 seeded random and mutated documents through the live server: it never crashes, answers
 * every request, never shows NaN or Infinity (in any diagnostic, hover, inlay hint or completion),
 * and the time it spends on a document (measured inside the server, reported per version) stays
 * small. Several documents are in flight at once, as in an editor with several files open.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MarkupContent } from 'vscode-languageserver-protocol';
import { FIXTURE_DIR } from './fixtures';
import { fileUri, LspTestClient, SERVER_PATH } from './lspClient';
import { randomDocuments, seededRandom, type RandomDocument } from './randomDocuments';

const DOCUMENT_COUNT = 10_000;
const SEED = 20_240_229;
/** Documents edited concurrently (one editor tab each). */
const TABS = 6;
/** Per-document handling budget inside the server, checked on the 95th percentile. */
const HANDLING_BUDGET_MS = 100;
/** A document not answered in this long means the server hangs on it. */
const HANG_MS = 30_000;

const NON_FINITE = /\b(NaN|Infinity)\b/;

function withinHangLimit<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${HANG_MS / 1000} s: ${what}`)), HANG_MS);
  });
  return Promise.race([promise, hang]).finally(() => clearTimeout(timer));
}

describe('robustness: random and mutated documents through the live server', function () {
  this.timeout(240_000);
  let client: LspTestClient;

  before(async function () {
    assert.ok(existsSync(SERVER_PATH), `${SERVER_PATH} is missing: run \`node scripts/build.mjs\` first`);
    client = await LspTestClient.start({ settings: { validation: { debounceMs: 0 } }, reportTimings: true });
  });

  after(async function () {
    await client?.stop();
  });

  it(`handles ${DOCUMENT_COUNT.toLocaleString('en-US')} documents without crashing, hanging or printing NaN`, async function () {
    const documents = [...randomDocuments(SEED, DOCUMENT_COUNT)];
    const handling: { handlingMs: number; recipe: string }[] = [];
    let answered = 0;
    let next = 0;

    async function check(tab: number, random: () => number, versions: Map<string, number>, document: RandomDocument): Promise<void> {
      const uri = fileUri(resolve(FIXTURE_DIR, `fuzz-tab${tab}${document.suffix}`));
      const version = (versions.get(uri) ?? 0) + 1;
      versions.set(uri, version);
      const diagnostics = await (version === 1 ? client.open(uri, document.text) : client.change(uri, document.text));
      for (const diagnostic of diagnostics) {
        assert.doesNotMatch(String(diagnostic.message), NON_FINITE, `${document.recipe}: ${diagnostic.message}`);
        assert.ok(diagnostic.range.start.line >= 0 && diagnostic.range.end.line >= diagnostic.range.start.line, document.recipe);
      }
      const position = { line: Math.floor(random() * (document.text.split('\n', 200).length + 1)), character: Math.floor(random() * 20) };
      const [hover, hints, items] = await Promise.all([
        client.hover(uri, position),
        client.inlayHints(uri),
        random() < 0.1 ? client.completion(uri, position) : Promise.resolve([]),
      ]);
      if (hover) assert.doesNotMatch((hover.contents as MarkupContent).value, NON_FINITE, document.recipe);
      for (const hint of hints) assert.doesNotMatch(String(hint.label), NON_FINITE, document.recipe);
      for (const item of items) assert.doesNotMatch(`${item.label} ${item.detail ?? ''}`, NON_FINITE, document.recipe);
      const timing = client.timings.find((entry) => entry.uri === uri && entry.version === version);
      if (timing) handling.push({ handlingMs: timing.handlingMs, recipe: document.recipe });
      answered++;
    }

    async function tab(index: number): Promise<void> {
      const random = seededRandom(SEED + 1 + index);
      const versions = new Map<string, number>();
      for (let current = next++; current < documents.length; current = next++) {
        const document = documents[current]!;
        await withinHangLimit(check(index, random, versions, document), document.recipe);
        if (client.timings.length > 1000) client.timings.splice(0, client.timings.length - 100);
      }
    }

    await Promise.all(Array.from({ length: TABS }, (_, index) => tab(index)));
    assert.equal(answered, DOCUMENT_COUNT);
    assert.ok(client.alive, 'the server exited');
    handling.sort((a, b) => a.handlingMs - b.handlingMs);
    const p95 = handling[Math.floor(handling.length * 0.95)]!;
    const slowest = handling[handling.length - 1]!;
    console.log(
      `      in-server handling: p50 ${handling[Math.floor(handling.length / 2)]!.handlingMs.toFixed(1)} ms, p95 ${p95.handlingMs.toFixed(1)} ms, max ${slowest.handlingMs.toFixed(1)} ms (${slowest.recipe})`,
    );
    assert.ok(handling.length > DOCUMENT_COUNT * 0.9, `only ${handling.length} timings were reported`);
    assert.ok(p95.handlingMs < HANDLING_BUDGET_MS, `95th percentile of in-server handling is ${p95.handlingMs.toFixed(1)} ms`);
  });
});
