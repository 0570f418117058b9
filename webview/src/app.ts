/**
 * The roofline panel: receives analyses from the extension host, draws the summary, charts and
 * tables, and turns control changes into field edits. It keeps no copy of the document's state
 * beyond the last analysis; view choices (stage, modes, hidden series) go to `setState`.
 */
import { Chart } from 'chart.js';
import type { StageName } from '../../language-server/src/engine/types';
import type { DocumentAnalysis, ServingCurve } from '../../language-server/src/protocol/lsp';
import { isToWebviewMessage, type ToWebviewMessage } from '../../language-server/src/protocol/webview';
import { readAnalysis } from './analysisShape';
import { bottleneckTable, buildBottleneckChart, type BottleneckMode } from './charts/bottleneck';
import { buildMemoryChart, memoryTable } from './charts/memory';
import type { ChartPalette } from './charts/palette';
import { buildRooflineChart, rooflineTable } from './charts/roofline';
import { buildSweepChart, sweepMeasuredSentence, sweepShowsMeasured, sweepTable } from './charts/sweep';
import { buildServingChart, servingTable } from './charts/servingCurve';
import { unplacedFigures } from './charts/measuredMarkers';
import { MeasuredView } from './ui/measuredView';
import { buildPlanChart, planTable } from './charts/planFront';
import { PlanView } from './ui/planView';
import { registerChartParts } from './chartPlugins';
import { EditQueue } from './editQueue';
import { documentLatencyTargets, documentTargets } from './targets';
import { layersCsv } from './export/csv';
import { renderMarkdownReport } from '../../language-server/src/report/markdownReport';
import { CONTROL_FIELDS, controlValue, samePath, type FieldPath } from './fields';
import { restorePanelState, type ChartId, type PanelState } from './panelState';
import { chooseSweepAxis, isSweepMessage, sweepOfAnalysis, SWEEP_AXES, sweepAxisLabel, type SweepAxis, type SweepData, type SweepMessage } from './sweepData';
import { INSPECTOR_GLOBAL, RENDERED_EVENT, type PanelInspector } from './testHooks';
import { resolvePalette, samePalette, watchTheme } from './theme';
import type { Timers } from './throttle';
import { ChartCard } from './ui/chartCard';
import { ComparisonView } from './ui/comparisonView';
import { baselineOf } from './techniques/baseline';
import { withBaselineGhosts } from './techniques/beforeAfterCharts';
import { BeforeAfterView } from './techniques/beforeAfterView';
import { VariantsView } from './techniques/variantsView';
import { Controls } from './ui/controls';
import { clear, el } from './ui/dom';
import { renderSummary } from './ui/summary';
import { radioGroup, Tabs } from './ui/tabs';
import type { PanelHost } from './vscodeApi';

const NOTICE_MILLISECONDS = 6000;
/** Slider drags post at most every 50 ms; the final value is sent on release. */
const DRAG_INTERVAL_MILLISECONDS = 50;
// Long enough for a busy machine: sending before the answer would edit a stale version.
const EDIT_ANSWER_TIMEOUT_MILLISECONDS = 5000;

function assertNever(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}

function documentFileName(uri: string): string {
  try {
    return decodeURIComponent(uri.split('/').pop() ?? '') || 'analysis';
  } catch {
    return uri.split('/').pop() || 'analysis';
  }
}

function documentBaseName(uri: string): string {
  return documentFileName(uri).replace(/\.(roofline|hardware|model)?\.?(ya?ml|json)$/i, '') || 'analysis';
}

export class Panel {
  private state: PanelState;
  private palette: ChartPalette;
  private current: DocumentAnalysis | undefined;
  private problem: string | undefined;
  private sweepMessage: SweepMessage | undefined;
  private servingMessage: { uri: string; version: number; curve: ServingCurve } | undefined;
  private readonly planView: PlanView;
  private renders = 0;
  private renderedVersion: number | undefined;
  private noticeTimer: unknown;
  private readonly editQueue: EditQueue;

  private readonly heading = el('h1', { text: 'LLM Roofline' });
  private readonly subheading = el('p', { className: 'document-name' });
  private readonly notice = el('p', { className: 'notice', role: 'status', 'aria-live': 'polite', hidden: true });
  private readonly message = el('section', { className: 'message', 'aria-live': 'polite' });
  private readonly summary = el('section', { className: 'summary', 'aria-label': 'Summary' });
  private readonly controls: Controls;
  private readonly body = el('div', { className: 'analysis-body' });
  private readonly cards: Record<ChartId, ChartCard>;
  private readonly stageTabs: Tabs<StageName>;
  private readonly modeChoice: ReturnType<typeof radioGroup<BottleneckMode>>;
  private readonly axisChoice: ReturnType<typeof radioGroup<SweepAxis>>;
  private readonly comparison: ComparisonView;
  private readonly beforeAfter: BeforeAfterView;
  private readonly variants: VariantsView;
  private readonly measured: MeasuredView;
  /** The last analysis with a result, kept (dimmed) while the document has errors. */
  private lastGood: DocumentAnalysis | undefined;
  private readonly tablesToggle = el('input', { type: 'checkbox', id: 'show-tables', 'data-action': 'show-tables' });

  constructor(
    private readonly root: HTMLElement,
    private readonly host: PanelHost,
    private readonly timers: Timers,
  ) {
    registerChartParts();
    this.state = restorePanelState(host.loadState());
    this.palette = resolvePalette();
    this.applyChartDefaults();
    this.editQueue = new EditQueue({
      post: (message) => this.host.post(message),
      currentValue: (path) => this.currentFieldValue(path),
      timers,
      answerTimeoutMs: EDIT_ANSWER_TIMEOUT_MILLISECONDS,
    });
    this.controls = new Controls({
      requestEdit: (path, value, gesture) => this.editQueue.request(path, value, gesture),
      undoRedo: (action) => {
        if (this.current) this.host.post({ type: 'undoRedo', uri: this.current.uri, action });
      },
      timers,
      dragIntervalMs: DRAG_INTERVAL_MILLISECONDS,
    });

    const card = (id: ChartId, title: string) =>
      new ChartCard({
        id,
        title,
        onSeriesToggled: (label, visible) => this.toggleSeries(id, label, visible),
        onExportPng: () => this.exportPng(id),
      });
    this.cards = {
      roofline: card('roofline', 'Roofline'),
      bottleneck: card('bottleneck', 'Time per layer'),
      memory: card('memory', 'Memory'),
      sweep: card('sweep', 'Sweep'),
      serving: card('serving', 'Serving under load'),
      plan: card('plan', 'Pareto front'),
    };
    this.measured = new MeasuredView({
      onImport: () => {
        if (this.current) this.host.post({ type: 'importMeasured', uri: this.current.uri });
      },
      onFit: () => {
        if (this.current) this.host.post({ type: 'fitMeasured', uri: this.current.uri });
      },
    });
    this.planView = new PlanView(this.cards.plan.element, this.state.planSort, {
      onRequest: () => {
        if (this.current) this.host.post({ type: 'requestPlan', uri: this.current.uri, version: this.current.version });
      },
      onApply: (rank) => {
        if (this.current) this.host.post({ type: 'applyCandidate', uri: this.current.uri, version: this.current.version, index: rank });
      },
      onSelect: () => {
        this.renderPlan();
        this.afterRender();
      },
      onSortChanged: (planSort) => this.updateState({ planSort }),
    });
    this.stageTabs = new Tabs<StageName>('Stage', [{ id: 'prefill', label: 'Prefill' }, { id: 'decode', label: 'Decode' }], this.cards.bottleneck.element.id, (stage) => {
      this.updateState({ stage });
      this.renderBottleneck();
      this.afterRender();
    });
    this.modeChoice = radioGroup<BottleneckMode>('Bars', 'bottleneck-mode', [{ id: 'total', label: 'Total' }, { id: 'breakdown', label: 'Breakdown' }], (mode) => {
      this.updateState({ bottleneckMode: mode });
      this.renderBottleneck();
      this.afterRender();
    });
    this.axisChoice = radioGroup<SweepAxis>('Sweep over', 'sweep-axis', SWEEP_AXES.map((axis) => ({ id: axis, label: sweepAxisLabel(axis) })), (axis) => {
      this.updateState({ sweepAxis: axis });
      this.renderSweep();
      this.afterRender();
    });
    this.cards.bottleneck.toolbar.append(this.stageTabs.element, this.modeChoice.element);
    this.cards.sweep.toolbar.append(this.axisChoice.element);
    this.comparison = new ComparisonView(
      this.state.comparisonSort,
      () => {
        if (this.current) this.host.post({ type: 'requestComparison', uri: this.current.uri });
      },
      (sort) => this.updateState({ comparisonSort: sort }),
      (hardware) => this.editQueue.request(['hardware'], hardware),
    );
    this.beforeAfter = new BeforeAfterView((chart, data) => {
      if (this.current && data) this.host.post({ type: 'exportFile', suggestedName: `${documentBaseName(this.current.uri)}-techniques-${chart}.png`, mime: 'image/png', data });
    });
    this.variants = new VariantsView((data) => {
      if (this.current && data) this.host.post({ type: 'exportFile', suggestedName: `${documentBaseName(this.current.uri)}-variants.png`, mime: 'image/png', data });
    });
    this.tablesToggle.checked = this.state.showTables;
    this.tablesToggle.addEventListener('change', () => {
      this.updateState({ showTables: this.tablesToggle.checked });
      this.applyTablesVisibility();
    });
    this.buildLayout();
  }

  start(): void {
    window.addEventListener('message', (event: MessageEvent) => this.handleMessage(event.data));
    watchTheme(() => this.onThemeChanged());
    this.installInspector();
    this.host.post({ type: 'ready' });
  }

  /** Every message is checked by the protocol guards; anything else is ignored. */
  handleMessage(data: unknown): void {
    if (isToWebviewMessage(data)) this.dispatch(data);
    else if (isSweepMessage(data)) this.receiveSweep(data);
  }

  private dispatch(message: ToWebviewMessage): void {
    switch (message.type) {
      case 'analysis':
        this.receiveAnalysis(message.analysis);
        return;
      case 'noDocument':
        this.current = undefined;
        this.problem = undefined;
        this.sweepMessage = undefined;
        this.servingMessage = undefined;
        this.editQueue.documentClosed();
        this.comparison.clearRows();
        this.planView.clear();
        this.render();
        return;
      case 'editRefused':
        this.editQueue.refused();
        this.showNotice(`Edit not applied: ${message.reason}. Showing the document as it is.`);
        this.controls.update(this.current);
        return;
      case 'comparison':
        this.comparison.setRows(message.rows);
        return;
      case 'servingCurve':
        this.servingMessage = message;
        if (this.current?.uri === message.uri && this.current.version === message.version) {
          this.renderServing();
          this.afterRender();
        }
        return;
      case 'planStarted':
        if (this.current?.uri === message.uri) this.planView.started();
        return;
      case 'plan':
        if (this.current?.uri !== message.outcome.uri) return;
        this.planView.show(message.outcome);
        this.planView.setDocumentVersion(this.current.version);
        this.renderPlan();
        this.afterRender();
        return;
      default:
        assertNever(message);
    }
  }

  private receiveAnalysis(raw: DocumentAnalysis): void {
    const { analysis, problem } = readAnalysis(raw);
    if (this.current && this.current.uri !== analysis.uri) {
      this.comparison.clearRows();
      this.sweepMessage = undefined;
      this.servingMessage = undefined;
      this.planView.clear();
    }
    this.current = analysis;
    this.problem = problem;
    if (this.state.uri !== analysis.uri) this.updateState({ uri: analysis.uri });
    this.editQueue.analysisArrived(analysis.uri, analysis.version);
    this.render();
  }

  private receiveSweep(message: SweepMessage): void {
    this.sweepMessage = message;
    if (this.current?.uri === message.uri && this.current.version === message.version) {
      this.renderSweep();
      this.afterRender();
    }
  }

  private currentSweep(): SweepData | undefined {
    const analysis = this.current;
    if (!analysis) return undefined;
    const fromMessage = this.sweepMessage;
    if (fromMessage && fromMessage.uri === analysis.uri && fromMessage.version === analysis.version) return fromMessage.sweep;
    return sweepOfAnalysis(analysis);
  }

  private currentFieldValue(path: FieldPath): unknown {
    const analysis = this.current;
    if (!analysis) return undefined;
    const field = CONTROL_FIELDS.find((f) => samePath(f.path, path));
    return field ? controlValue(analysis, field) : undefined;
  }

  private buildLayout(): void {
    clear(this.root);
    const charts = el('div', { className: 'charts' }, [this.cards.roofline.element, this.cards.bottleneck.element, this.cards.memory.element, this.cards.sweep.element, this.cards.serving.element]);
    const csvButton = el('button', { type: 'button', className: 'secondary', text: 'Export layers (CSV)', 'data-action': 'export-csv' });
    csvButton.addEventListener('click', () => this.exportCsv());
    const markdownButton = el('button', { type: 'button', className: 'secondary', text: 'Export report (Markdown)', 'data-action': 'export-markdown' });
    markdownButton.addEventListener('click', () => this.exportMarkdown());
    const copyButtons = (['vllm', 'sglang'] as const).map((engine) => {
      const button = el('button', {
        type: 'button',
        className: 'secondary',
        text: engine === 'vllm' ? 'Copy vllm serve command' : 'Copy SGLang command',
        'data-action': `copy-${engine}-command`,
      });
      button.addEventListener('click', () => {
        if (this.current?.result) this.host.post({ type: 'copyCommand', uri: this.current.uri, engine });
      });
      return button;
    });
    const exports = el('section', { className: 'exports', 'aria-label': 'Export and view' }, [
      csvButton,
      markdownButton,
      ...copyButtons,
      el('span', { className: 'field-checkbox' }, [this.tablesToggle, el('label', { for: 'show-tables', text: 'Show data tables' })]),
    ]);
    this.body.append(this.summary, charts, this.measured.element, this.beforeAfter.element, this.variants.element, this.comparison.element, this.planView.element, exports);
    const settings = el('section', { className: 'settings', 'aria-label': 'Settings' }, [this.controls.element]);
    this.root.append(el('header', { className: 'panel-header' }, [this.heading, this.subheading]), this.notice, this.message, settings, this.body);
    this.message.append(el('p', { text: 'Waiting for an analysis…' }));
    this.body.hidden = true;
    this.applyTablesVisibility();
  }

  private render(): void {
    const analysis = this.current;
    this.controls.update(analysis);
    clear(this.message);
    this.comparison.setEnabled(analysis?.result !== undefined && analysis.kind === 'deployment');
    const targeted = analysis !== undefined && Object.keys(documentTargets(analysis)).length > 0;
    this.planView.setEnabled(analysis?.result !== undefined && analysis.kind === 'deployment' && targeted, targeted ? 'Fix the document first.' : 'Add targets: (ttft_ms, tpot_ms or min_tokens_per_second) to plan for.');
    if (!analysis) {
      this.heading.textContent = 'LLM Roofline';
      this.subheading.textContent = '';
      this.message.append(el('p', { text: 'Open a deployment file (*.roofline.yaml) to see its roofline.' }));
      this.body.hidden = true;
      this.afterRender();
      return;
    }
    const result = analysis.result;
    this.subheading.textContent = documentFileName(analysis.uri);
    const hardwareField = analysis.editableFields.find((field) => samePath(field.path, ['hardware']))?.value;
    this.comparison.setCurrentHardware(typeof hardwareField === 'string' ? hardwareField : undefined);
    if (!result) {
      // A transient typo keeps the last good result on screen, dimmed, as a notebook keeps a
      // cell's output while it re-runs; another document's result is never shown.
      const stale = this.lastGood?.uri === analysis.uri;
      if (!stale) this.heading.textContent = 'LLM Roofline';
      this.body.hidden = !stale;
      this.body.classList.toggle('stale', stale);
      this.body.toggleAttribute('inert', stale);
      const problems = this.problem ? [this.problem, ...analysis.errors] : analysis.errors;
      this.message.append(
        el('div', { className: 'errors', role: 'alert' }, [
          el('p', { text: stale ? 'This document cannot be analysed as it is; the charts below are the last good result, dimmed:' : 'This document cannot be analysed yet:' }),
          el('ul', {}, (problems.length > 0 ? problems : ['No analysis for this document.']).map((text) => el('li', { text }))),
        ]),
      );
      this.afterRender();
      return;
    }
    this.lastGood = analysis;
    this.body.classList.remove('stale');
    this.body.removeAttribute('inert');
    this.heading.textContent = `${analysis.modelName ?? result.model.name} on ${analysis.hardwareName ?? result.hardware.name}`;
    this.body.hidden = false;
    renderSummary(this.summary, analysis, result, {
      notesOpen: this.state.showNotes,
      onNotesToggle: (open) => {
        if (open !== this.state.showNotes) this.updateState({ showNotes: open });
      },
    });
    this.renderRoofline();
    this.renderBottleneck();
    this.renderMemory();
    this.renderSweep();
    this.renderServing();
    this.planView.setDocumentVersion(analysis.version);
    this.renderPlan();
    this.beforeAfter.show(baselineOf(analysis), result, this.palette);
    this.variants.show(result, this.palette);
    this.measured.show(analysis.kind === 'deployment', analysis.measured);
    this.comparison.revealIfPending();
    this.planView.revealIfPending();
    this.afterRender();
  }

  private renderRoofline(): void {
    const result = this.current?.result;
    if (!result) return;
    const card = this.cards.roofline;
    const measured = this.current?.kind === 'deployment' ? this.current.measured : undefined;
    const roofline = buildRooflineChart(result, { palette: this.palette, hiddenSeries: this.state.hiddenSeries.roofline, ...(measured ? { measured } : {}) });
    const baseline = this.current ? baselineOf(this.current) : undefined;
    card.render(baseline ? withBaselineGhosts(roofline, baseline, this.palette, this.state.hiddenSeries.roofline) : roofline, rooflineTable(result, measured), '');
    card.setKey([
      { label: 'memory-bound', color: this.palette.memoryBound },
      { label: 'compute-bound', color: this.palette.computeBound },
    ]);
    const unplaced = unplacedFigures(measured);
    card.setNote(`${unplaced.length} measured figure${unplaced.length === 1 ? ' is' : 's are'} not on the roofline: why`, unplaced);
  }

  private renderBottleneck(): void {
    const result = this.current?.result;
    this.stageTabs.select(this.state.stage);
    this.modeChoice.select(this.state.bottleneckMode);
    if (!result) return;
    const card = this.cards.bottleneck;
    const layerCount = result.stages[this.state.stage].layers.length;
    card.setHeight(Math.max(160, layerCount * 22 + 90));
    card.render(
      buildBottleneckChart(result, { palette: this.palette, stage: this.state.stage, mode: this.state.bottleneckMode, hiddenSeries: this.state.hiddenSeries.bottleneck }),
      bottleneckTable(result, this.state.stage),
      'No layers.',
    );
    const hasNetwork = result.stages[this.state.stage].layers.some((layer) => layer.bound === 'network');
    card.setKey(
      this.state.bottleneckMode === 'total'
        ? [
            { label: 'memory-bound', color: this.palette.memoryBound },
            { label: 'compute-bound', color: this.palette.computeBound },
            ...(hasNetwork ? [{ label: 'network-bound', color: this.palette.networkBound }] : []),
          ]
        : [],
    );
  }

  private renderMemory(): void {
    const result = this.current?.result;
    if (!result) return;
    this.cards.memory.render(buildMemoryChart(result, { palette: this.palette, hiddenSeries: this.state.hiddenSeries.memory }), memoryTable(result), '');
  }

  private renderSweep(): void {
    const sweep = this.currentSweep();
    for (const axis of SWEEP_AXES) this.axisChoice.enable(axis, sweep?.[axis] !== undefined);
    const axis = sweep ? chooseSweepAxis(sweep, this.state.sweepAxis) : undefined;
    this.axisChoice.select(axis ?? this.state.sweepAxis);
    const measured = this.current?.kind === 'deployment' ? this.current.measured : undefined;
    const config = sweep
      ? buildSweepChart(sweep, {
          palette: this.palette,
          axis: this.state.sweepAxis,
          hiddenSeries: this.state.hiddenSeries.sweep,
          targets: this.current ? documentLatencyTargets(this.current) : {},
          ...(measured ? { measured } : {}),
        })
      : undefined;
    this.cards.sweep.render(config, sweep ? sweepTable(sweep, this.state.sweepAxis, measured) : undefined, 'No sweep for this analysis yet.');
    const onOtherAxis = axis !== undefined && !sweepShowsMeasured(axis) ? sweepMeasuredSentence(measured, axis) : undefined;
    this.cards.sweep.setNote('Measured points: on the batch-size sweep', onOtherAxis ? [onOtherAxis] : []);
  }

  private renderServing(): void {
    const analysis = this.current;
    const message = this.servingMessage;
    const card = this.cards.serving;
    const hasServing = analysis?.result?.serving !== undefined;
    card.element.hidden = !hasServing;
    if (!hasServing) return;
    const curve = message && analysis && message.uri === analysis.uri && message.version === analysis.version ? message.curve : undefined;
    const config = curve
      ? buildServingChart(curve, {
          palette: this.palette,
          hiddenSeries: this.state.hiddenSeries.serving,
          targets: documentLatencyTargets(analysis!),
          ...(analysis!.measured ? { measured: analysis!.measured } : {}),
        })
      : undefined;
    card.render(config, curve ? servingTable(curve) : undefined, 'Computing throughput and latency under load…');
  }

  private renderPlan(): void {
    const outcome = this.planView.shown;
    if (!outcome || !this.current) return;
    const targets = documentTargets(this.current);
    const selectedRank = this.planView.selectedRank;
    const config = buildPlanChart(outcome, {
      palette: this.palette,
      hiddenSeries: this.state.hiddenSeries.plan,
      ...(targets.tpotMs !== undefined ? { tpotTargetMs: targets.tpotMs } : {}),
      ...(selectedRank !== undefined ? { selectedRank } : {}),
    });
    this.cards.plan.render(config, planTable(outcome), 'No candidate meets every target.');
  }

  /** Marks the render done once the browser has painted it (tests and the benchmark wait on this). */
  private afterRender(): void {
    const version = this.current?.version;
    requestAnimationFrame(() => {
      this.renders += 1;
      this.renderedVersion = version;
      document.body.dataset.renderCount = String(this.renders);
      if (version !== undefined) document.body.dataset.renderedVersion = String(version);
      window.dispatchEvent(new CustomEvent(RENDERED_EVENT, { detail: version }));
    });
  }

  private toggleSeries(chart: ChartId, label: string, visible: boolean): void {
    const hidden = new Set(this.state.hiddenSeries[chart]);
    if (visible) hidden.delete(label);
    else hidden.add(label);
    this.updateState({ hiddenSeries: { ...this.state.hiddenSeries, [chart]: [...hidden] } });
    this.renderChart(chart);
    this.afterRender();
  }

  private renderChart(chart: ChartId): void {
    switch (chart) {
      case 'roofline':
        this.renderRoofline();
        return;
      case 'bottleneck':
        this.renderBottleneck();
        return;
      case 'memory':
        this.renderMemory();
        return;
      case 'sweep':
        this.renderSweep();
        return;
      case 'serving':
        this.renderServing();
        return;
      case 'plan':
        this.renderPlan();
        return;
      default:
        assertNever(chart);
    }
  }

  private updateState(change: Partial<PanelState>): void {
    this.state = { ...this.state, ...change };
    this.host.saveState(this.state);
  }

  private applyTablesVisibility(): void {
    this.root.classList.toggle('show-tables', this.state.showTables);
  }

  private onThemeChanged(): void {
    const palette = resolvePalette();
    if (samePalette(palette, this.palette)) return;
    this.palette = palette;
    this.applyChartDefaults();
    if (this.current?.result) this.render();
  }

  private applyChartDefaults(): void {
    Chart.defaults.font.family = this.palette.fontFamily;
    Chart.defaults.font.size = this.palette.fontSizePixels;
    Chart.defaults.color = this.palette.foreground;
  }

  private showNotice(text: string): void {
    this.notice.textContent = text;
    this.notice.hidden = false;
    if (this.noticeTimer !== undefined) this.timers.clearTimeout(this.noticeTimer);
    this.noticeTimer = this.timers.setTimeout(() => {
      this.notice.hidden = true;
      this.notice.textContent = '';
    }, NOTICE_MILLISECONDS);
  }

  private exportPng(chart: ChartId): void {
    if (!this.current) return;
    const data = this.cards[chart].view.pngDataUrl(true);
    if (data) this.host.post({ type: 'exportFile', suggestedName: `${documentBaseName(this.current.uri)}-${chart}.png`, mime: 'image/png', data });
  }

  private exportCsv(): void {
    const result = this.current?.result;
    if (!this.current || !result) return;
    this.host.post({ type: 'exportFile', suggestedName: `${documentBaseName(this.current.uri)}-layers.csv`, mime: 'text/csv', data: layersCsv(result) });
  }

  private exportMarkdown(): void {
    const result = this.current?.result;
    if (!this.current || !result) return;
    const outcome = renderMarkdownReport(this.current, { documentName: documentFileName(this.current.uri) });
    if ('markdown' in outcome) this.host.post({ type: 'exportFile', suggestedName: `${documentBaseName(this.current.uri)}-report.md`, mime: 'text/markdown', data: outcome.markdown });
  }

  private installInspector(): void {
    const inspector: PanelInspector = {
      snapshot: (chart) => this.cards[chart].view.snapshot(),
      pointPosition: (chart, label, index) => this.cards[chart].view.pointPosition(label, index),
      tooltipLines: (chart) => this.cards[chart].view.tooltipLines(),
      beforeAfterSnapshot: (chart) => this.beforeAfter.snapshot(chart),
      variantsSnapshot: () => this.variants.snapshot(),
      renderCount: () => this.renders,
      renderedVersion: () => this.renderedVersion,
      palette: () => ({ ...this.palette }),
      state: () => JSON.parse(JSON.stringify(this.state)) as PanelState,
    };
    (window as unknown as Record<string, unknown>)[INSPECTOR_GLOBAL] = inspector;
  }
}

export function browserTimers(): Timers {
  return {
    setTimeout: (callback, ms) => window.setTimeout(callback, ms),
    clearTimeout: (handle) => window.clearTimeout(handle as number),
    now: () => performance.now(),
  };
}
