/**
 * Regenerates the table of docs/fidelity.md from test/fixtures/measurements/published.json and the
 * engine, in every efficiency mode the deployment schema offers.
 *
 * Run: npm run generate:fidelity
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadPublishedMeasurements } from '../test/unit/fidelity/measurements';
import { renderFidelityReport, replaceGeneratedPart } from '../test/unit/fidelity/report';

const docPath = join(resolve(dirname(new URL(import.meta.url).pathname), '..'), 'docs', 'fidelity.md');
const points = loadPublishedMeasurements();
writeFileSync(docPath, replaceGeneratedPart(readFileSync(docPath, 'utf8'), renderFidelityReport(points)));
console.log(`docs/fidelity.md: ${points.length} published measurements`);
