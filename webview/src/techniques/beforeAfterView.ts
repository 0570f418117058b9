/**
 * The panel's before/after view of a deployment's `techniques:`: the speed-up of each stage and
 * the memory change, the techniques applied with what each changed and its paper, and time per
 * layer and memory side by side. Shown only when the analysis carries a baseline.
 */
import type { AnalysisResult, StageName } from '../../../language-server/src/engine/types';
import { formatBytes, formatSeconds } from '../../../language-server/src/format/units';
import type { ChartPalette } from '../charts/palette';
import type { ChartSnapshot } from '../testHooks';
import { ChartCard } from '../ui/chartCard';
import { clear, el } from '../ui/dom';
import { radioGroup } from '../ui/tabs';
import { buildMemoryComparisonChart, buildTimeComparisonChart, memoryComparisonTable, stageSpeedups, timeComparisonTable } from './beforeAfterCharts';

export type BeforeAfterChart = 'time' | 'memory';

export class BeforeAfterView {
  readonly element: HTMLElement;
  private readonly facts = el('dl', { className: 'metrics before-after-metrics' });
  private readonly list = el('ul', { className: 'facts techniques-applied', 'aria-label': 'Techniques applied' });
  private readonly timeCard: ChartCard;
  private readonly memoryCard: ChartCard;
  private readonly stageChoice: ReturnType<typeof radioGroup<StageName>>;
  private readonly hidden: Record<BeforeAfterChart, string[]> = { time: [], memory: [] };
  private stage: StageName = 'decode';
  private shown: { baseline: AnalysisResult; result: AnalysisResult; palette: ChartPalette } | undefined;

  constructor(onExportPng: (chart: BeforeAfterChart, dataUrl: string | undefined) => void) {
    const card = (id: BeforeAfterChart, title: string): ChartCard =>
      new ChartCard({
        id: `techniques-${id}`,
        title,
        onSeriesToggled: (label, visible) => {
          this.hidden[id] = visible ? this.hidden[id].filter((entry) => entry !== label) : [...this.hidden[id], label];
          this.draw();
        },
        onExportPng: () => onExportPng(id, (id === 'time' ? this.timeCard : this.memoryCard).view.pngDataUrl(true)),
      });
    this.timeCard = card('time', 'Time per layer, without and with techniques');
    this.memoryCard = card('memory', 'Memory, without and with techniques');
    // Radio buttons of their own name, so the stage tabs of the time-per-layer card stay the only tabs.
    this.stageChoice = radioGroup<StageName>('Stage', 'techniques-stage', [{ id: 'prefill', label: 'Prefill' }, { id: 'decode', label: 'Decode' }], (stage) => {
      this.stage = stage;
      this.draw();
    });
    this.timeCard.toolbar.append(this.stageChoice.element);
    this.element = el('section', { className: 'before-after', id: 'before-after', 'aria-label': 'With and without techniques', hidden: true }, [
      el('h2', { text: 'With and without techniques' }),
      this.facts,
      this.list,
      el('div', { className: 'charts' }, [this.timeCard.element, this.memoryCard.element]),
    ]);
  }

  show(baseline: AnalysisResult | undefined, result: AnalysisResult, palette: ChartPalette): void {
    if (!baseline || !result.techniques || result.techniques.length === 0) {
      this.shown = undefined;
      this.element.hidden = true;
      return;
    }
    this.shown = { baseline, result, palette };
    this.element.hidden = false;
    clear(this.facts);
    for (const speedup of stageSpeedups(baseline, result)) {
      const format = speedup.id === 'memory' ? formatBytes : formatSeconds;
      const better = speedup.ratio > 1.005;
      const worse = speedup.ratio < 0.995;
      this.facts.append(
        el('div', { className: worse ? 'metric danger' : 'metric', 'data-speedup': speedup.id }, [
          el('dt', { text: speedup.label }),
          el('dd', { text: `${format(speedup.before)} → ${format(speedup.after)}` }),
          el('dd', { className: better ? 'hint better' : 'hint', text: speedup.text }),
        ]),
      );
    }
    clear(this.list);
    for (const technique of result.techniques) {
      this.list.append(
        el('li', { 'data-technique': technique.key }, [el('strong', { text: technique.label }), `: ${technique.effect} `, el('span', { className: 'source', text: `(${technique.source})` })]),
      );
    }
    this.draw();
  }

  snapshot(chart: BeforeAfterChart): ChartSnapshot | undefined {
    return (chart === 'time' ? this.timeCard : this.memoryCard).view.snapshot();
  }

  private draw(): void {
    this.stageChoice.select(this.stage);
    if (!this.shown) return;
    const { baseline, result, palette } = this.shown;
    const layers = new Set([...baseline.stages[this.stage].layers, ...result.stages[this.stage].layers].map((layer) => layer.name)).size;
    this.timeCard.setHeight(Math.max(180, layers * 26 + 110));
    this.timeCard.render(buildTimeComparisonChart(baseline, result, this.stage, { palette, hiddenSeries: this.hidden.time }), timeComparisonTable(baseline, result, this.stage), 'No layers.');
    this.memoryCard.setHeight(200);
    this.memoryCard.render(buildMemoryComparisonChart(baseline, result, { palette, hiddenSeries: this.hidden.memory }), memoryComparisonTable(baseline, result), '');
  }
}
