/**
 * `npm run bench`: speed figures, one section after another. Each section is a module exporting
 * an async function that returns the lines to print; add a section by adding it to SECTIONS.
 * A failing section is reported and makes the exit code non-zero, but the others still run.
 */
import { benchEngine } from './engine';
import { benchLanguageServer } from './lsp';
import { benchSweep } from './sweep';
import { benchPlan } from './plan';
import { benchPanel } from './panel';
import { benchEditToPanel } from './editToPanel';
import { benchStartup } from './startup';
import { benchCheckBudget } from './checkBudget';

interface BenchSection {
  name: string;
  run: () => Promise<string[]>;
}

const SECTIONS: BenchSection[] = [
  { name: 'start-up', run: benchStartup },
  { name: 'engine', run: benchEngine },
  { name: 'sweep', run: benchSweep },
  { name: 'plan', run: benchPlan },
  { name: 'language server', run: benchLanguageServer },
  { name: 'check budget', run: benchCheckBudget },
  { name: 'panel', run: benchPanel },
  { name: 'edit to panel', run: benchEditToPanel },
];

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  for (const section of SECTIONS) {
    if (only.length > 0 && !only.includes(section.name)) continue;
    try {
      for (const line of await section.run()) console.log(line);
    } catch (error) {
      console.log(`${section.name}: failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    }
    console.log('');
  }
}

void main();
