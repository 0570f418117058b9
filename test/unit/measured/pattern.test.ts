import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { analyzeDocument } from '../../../language-server/src/config/analyze';
import type { FolderEntry } from '../../../language-server/src/config/checkpoint/checkpointFiles';
import { listingKey, matchingFiles, measuredPatternOf, folderOfListingKey } from '../../../language-server/src/config/measuredPattern';
import { parseDocument } from '../../../language-server/src/config/parse';
import type { ConfigHost, UnreadableFile } from '../../../language-server/src/config/types';
import { nodeHost } from '../../../language-server/src/cli/nodeHost';
import { DEPLOYMENT_FILE, diskHost, fixtureUri, MEASURED_FIXTURES } from './helpers';

const DEPLOYMENT_URI = pathToFileURL(DEPLOYMENT_FILE).toString();
const FOLDER_URI = `${pathToFileURL(MEASURED_FIXTURES).toString()}/`;
const WITHOUT_MEASURED = readFileSync(DEPLOYMENT_FILE, 'utf8').replace(/measured:[\s\S]*$/, '');

function analyzeWith(measured: string, host: ConfigHost) {
  const doc = parseDocument(DEPLOYMENT_URI, `${WITHOUT_MEASURED}measured:\n${measured}`, 'deployment');
  return { doc, analysis: analyzeDocument(doc, host) };
}

/** Files from disk, and folder listings as `listing` gives them (by folder uri). */
function listingHost(listing: (folderUri: string) => FolderEntry[] | UnreadableFile | null | undefined): ConfigHost {
  return { ...diskHost(), listFolder: listing };
}

describe('measured: a pattern in the file name', () => {
  it('splits the folder from the file-name pattern, and refuses a pattern in a folder', () => {
    assert.deepEqual(measuredPatternOf('./runs/*.json'), { folderReference: './runs/', pattern: '*.json' });
    assert.deepEqual(measuredPatternOf('sweep-{16,64}.csv'), { folderReference: '', pattern: 'sweep-{16,64}.csv' });
    assert.equal(measuredPatternOf('./runs/run-64.json'), undefined);
    assert.throws(() => measuredPatternOf('./runs-*/result.json'), /only the file name may be a pattern/);
    assert.equal(listingKey('file:///w/runs/'), 'file:///w/runs/*');
    assert.equal(folderOfListingKey('file:///w/runs/*'), 'file:///w/runs/');
    assert.equal(folderOfListingKey('file:///w/runs/run.json'), undefined);
  });

  it('matches files, not folders, in numeric name order', () => {
    const entries: FolderEntry[] = [
      { name: 'run-64.json', isDirectory: false },
      { name: 'run-8.json', isDirectory: false },
      { name: 'run-old.json', isDirectory: true },
      { name: 'notes.txt', isDirectory: false },
      { name: '.run-1.json', isDirectory: false },
    ];
    assert.deepEqual(matchingFiles(entries, '*.json'), ['run-8.json', 'run-64.json']);
    assert.deepEqual(matchingFiles(entries, 'run-{8,16}.json'), ['run-8.json']);
  });

  it('reads every matching result of the folder, through the host that lists it (the CLI\'s here)', () => {
    const { doc, analysis } = analyzeWith('  - path: ./llama-3.2-3b-4xl40s-*.json\n    replicas: 4\n', nodeHost);
    assert.deepEqual(analysis.problems.filter((problem) => problem.severity === 'error'), []);
    // base, kvcache and no-features: three runs each.
    assert.equal(analysis.measuredPoints!.length, 9);
    assert.deepEqual([...new Set(analysis.measuredPoints!.map((sourced) => sourced.file))], ['base', 'kvcache', 'no-features'].map((name) => fixtureUri(`llama-3.2-3b-4xl40s-${name}.json`)));
    assert.equal(analysis.measuredPoints![0]!.point.requestRatePerSecond, 10 / 4, 'replicas apply to every file of the pattern');
    const dependencies = analysis.resolved.dependencies;
    assert.ok(dependencies.includes(`${FOLDER_URI}*`), 'the listing is a dependency: a file added to the folder re-checks the deployment');
    assert.ok(dependencies.includes(fixtureUri('llama-3.2-3b-4xl40s-kvcache.json')));
    assert.equal(doc.text.includes('*.json'), true);
  });

  it('waits for a listing not made yet, and says why a folder was not listed', () => {
    const pending = analyzeWith('  - ./runs/*.json\n', listingHost(() => undefined)).analysis;
    assert.deepEqual(pending.problems, []);
    assert.equal(pending.measuredPoints, undefined);
    assert.ok(pending.resolved.dependencies.includes(`${FOLDER_URI}runs/*`));

    const shown = (measured: string, host: ConfigHost) => {
      const { doc, analysis } = analyzeWith(measured, host);
      return analysis.problems.map((problem) => [problem.code, problem.severity, doc.text.slice(problem.range.start, problem.range.end), problem.message]);
    };
    assert.deepEqual(shown('  - ./runs/*.json\n', listingHost(() => null)), [['missing-file', 'error', './runs/*.json', "no folder ./runs/ for ./runs/*.json, relative to this file's folder"]]);
    const restricted = shown('  - ../../*.json\n', listingHost(() => ({ unreadable: 'outside-workspace' })));
    assert.deepEqual(restricted.map(([code, severity, at]) => [code, severity, at]), [['unreadable-file', 'error', '../../*.json']]);
    assert.equal(restricted[0]![3], 'Not read in Restricted Mode: ../../*.json is outside the workspace folders. Trust the workspace to read it.');
    assert.deepEqual(shown('  - ./runs/*.json\n', listingHost(() => ({ unreadable: 'no-permission' }))).map(([, , , message]) => message), ['the folder of ./runs/*.json was not listed: permission denied']);
    assert.deepEqual(shown('  - ./*.parquet\n', listingHost(() => [{ name: 'a.parquet', isDirectory: false }])), [['measured-pattern-empty', 'warning', './*.parquet', "no .json or .csv file in this file's folder matches *.parquet"]]);
    assert.deepEqual(shown('  - ./r*/x.json\n', listingHost(() => [])).map(([code, , at]) => [code, at]), [['measured-pattern-folder', './r*/x.json']]);
    assert.deepEqual(shown('  - ./*.json\n', diskHost()).map(([code, , at]) => [code, at]), [['measured-pattern-unsupported', './*.json']]);
  });

  it('counts a file named by its path and by a pattern once, and says so', () => {
    const { doc, analysis } = analyzeWith('  - ./llama-3.2-3b-4xl40s-base.json\n  - ./llama-3.2-3b-4xl40s-*.json\n', nodeHost);
    assert.equal(analysis.measuredPoints!.length, 9, 'base once, kvcache and no-features');
    const duplicate = analysis.problems.find((problem) => problem.code === 'measured-duplicate')!;
    assert.equal(duplicate.severity, 'warning');
    assert.equal(doc.text.slice(duplicate.range.start, duplicate.range.end), './llama-3.2-3b-4xl40s-*.json');
    assert.equal(duplicate.message, './llama-3.2-3b-4xl40s-base.json is already read by an entry above: its points are counted once');
  });

  it('reads at most 64 files of a pattern and says so', () => {
    const many = Array.from({ length: 70 }, (_, index) => ({ name: `run-${index}.json`, isDirectory: false }));
    const { analysis } = analyzeWith('  - ./runs/*.json\n', listingHost(() => many));
    const truncated = analysis.problems.find((problem) => problem.code === 'measured-pattern-truncated')!;
    assert.match(truncated.message, /^70 files match \.\/runs\/\*\.json: the first 64 by name are read/);
    assert.equal(analysis.problems.filter((problem) => problem.code === 'missing-file').length, 64, 'each of the 64 is read (and here missing)');
  });
});
