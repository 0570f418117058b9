import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DocumentAnalysis, PlanOutcome, ServingCurve } from '../../../language-server/src/protocol/lsp';
import { buildPlanChart, describeCandidate, isDisaggregated, PLAN_COLUMNS, PLAN_SERIES, planCells, planTable, showableRows, type PlanDatum, type PlanSuccess } from '../../../webview/src/charts/planFront';
import { DEFAULT_PLAN_SORT, nextPlanSort, PLAN_SORT_COLUMNS, restorePlanSort, sortPlanRows } from '../../../webview/src/charts/planSort';
import { DEFAULT_DARK_PALETTE } from '../../../webview/src/charts/palette';
import { buildServingChart, SERVING_SERIES, servingTable, type ServingDatum } from '../../../webview/src/charts/servingCurve';

const palette = DEFAULT_DARK_PALETTE;
type PlanFixture = DocumentAnalysis & { serving_curve: ServingCurve; plan: PlanOutcome };
const fixture = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'analysis', 'llama-3.1-8b-l4-plan.json'), 'utf8')) as PlanFixture;
const curve = fixture.serving_curve;
const plan = fixture.plan as PlanSuccess;

describe('serving and plan chart configs', () => {
  describe('serving under load', () => {
    it('draws throughput and latency against requests in flight, the saturation point and the targets', () => {
      const config = buildServingChart(curve, { palette, hiddenSeries: [SERVING_SERIES.ttft], targets: { tpotSeconds: 0.06 } })!;
      const throughput = config.data.datasets.find((d) => d.label === SERVING_SERIES.throughput)!;
      assert.deepEqual(
        (throughput.data as ServingDatum[]).map((d) => [d.x, d.y]),
        curve.points.map((p) => [p.concurrency, p.output_tokens_per_second]),
      );
      assert.equal(throughput.yAxisID, 'yRate');
      const tpot = config.data.datasets.find((d) => d.label === SERVING_SERIES.tpot)!;
      assert.deepEqual((tpot.data as ServingDatum[]).map((d) => d.y), curve.points.map((p) => p.tpot_seconds));
      assert.equal(config.data.datasets.find((d) => d.label === SERVING_SERIES.ttft)!.hidden, true);
      // The document's own point (32 in flight) is the large one, ringed in the current colour.
      const index = curve.points.findIndex((p) => p.concurrency === 32);
      assert.equal((tpot as unknown as { pointRadius: number[] }).pointRadius[index], 7);
      assert.equal((tpot as unknown as { pointBorderColor: string[] }).pointBorderColor[index], palette.current);
      const lines = config.options!.plugins!.referenceLines!;
      assert.deepEqual(
        lines.map((line) => [line.axis, line.scaleId, line.value, line.label]),
        [
          // 32 in flight and the KV pool's 31 are one line apart: one line says both.
          ['x', undefined, 32, 'Current: 32 · Saturation: 31 in flight (KV pool full)'],
          ['y', 'yTime', 0.06, 'TPOT target 60.0 ms'],
        ],
      );
      assert.equal(config.options!.scales!.x!.type, 'logarithmic');
      const apart = buildServingChart({ ...curve, current: 8 }, { palette, hiddenSeries: [] })!;
      assert.deepEqual(
        apart.options!.plugins!.referenceLines!.map((line) => [line.value, line.label, line.dashed]),
        [
          [31, 'Saturation: 31 in flight (KV pool full)', true],
          [8, 'Current: 8', false],
        ],
      );
    });

    it('tabulates each level, marking the current one and the saturation point', () => {
      const table = servingTable(curve)!;
      assert.match(table.caption, /saturation at 31 requests in flight/);
      assert.equal(table.rows.length, curve.points.length);
      assert.ok(table.rows.some((row) => row[0] === '31 (saturation)'), JSON.stringify(table.rows));
      assert.ok(table.rows.some((row) => row[0] === '32 (current)'), JSON.stringify(table.rows));
    });

    it('draws nothing from a curve without finite points', () => {
      const broken: ServingCurve = { ...curve, points: [{ ...curve.points[0]!, output_tokens_per_second: Number.NaN }] };
      assert.equal(buildServingChart(broken, { palette, hiddenSeries: [] }), undefined);
      assert.equal(servingTable(broken), undefined);
    });
  });

  describe('plan', () => {
    it('puts the candidates at (tokens/s per user, tokens/s per GPU), joins the front and marks the cheapest', () => {
      const config = buildPlanChart(plan, { palette, hiddenSeries: [], tpotTargetMs: 60, selectedRank: 3 })!;
      const front = config.data.datasets.find((d) => d.label === PLAN_SERIES.front)!;
      const frontRows = plan.candidates.filter((row) => row.on_front);
      assert.equal(front.data.length, frontRows.length);
      const xs = (front.data as PlanDatum[]).map((d) => d.x);
      assert.deepEqual(xs, [...xs].sort((a, b) => a - b));
      for (const datum of front.data as PlanDatum[]) {
        assert.equal(datum.x, datum.row!.metrics.output_tokens_per_second_per_user);
        assert.equal(datum.y, datum.row!.metrics.output_tokens_per_second_per_gpu);
      }
      const best = config.data.datasets.find((d) => d.label === PLAN_SERIES.best)!;
      assert.equal((best.data as PlanDatum[])[0]!.row!.rank, 0);
      const selected = config.data.datasets.find((d) => d.label === PLAN_SERIES.selected)!;
      assert.equal((selected.data as PlanDatum[])[0]!.row!.rank, 3);
      const others = config.data.datasets.find((d) => d.label === PLAN_SERIES.others)!;
      assert.equal(others.data.length, plan.candidates.length - frontRows.length + plan.others.length);
      // A TPOT target of 60 ms allows a user at most 1000 / 60 = 16.7 tokens/s.
      assert.deepEqual(
        config.options!.plugins!.referenceLines!.map((line) => [line.axis, line.value, line.label]),
        [['x', 1000 / 60, 'TPOT target 60.0 ms: ≥ 16.7 tok/s per user']],
      );
      for (const datum of [...(front.data as PlanDatum[]), ...(others.data as PlanDatum[])]) assert.ok(datum.x >= 1000 / 60 - 1e-9, `every candidate meets the target: ${datum.x}`);
    });

    it('describes and tabulates candidates best first', () => {
      const first = plan.candidates[0]!;
      const described = describeCandidate(first);
      assert.equal(described.hardware, first.deployment.hardware);
      const cells = planCells(first);
      assert.equal(cells[0], '1 ◆');
      assert.equal(cells[1], `$${(first.cost_per_million_output_tokens_usd!).toPrecision(3).replace(/0+$/, '').replace(/\.$/, '')}`);
      assert.equal(cells[3], String(first.gpus));
      assert.deepEqual(describeCandidate({ ...first, deployment: { hardware: 'nvidia-l4', parallelism: { tensor: 2, pipeline: 2 }, quantization: { weights: 'fp8', kv_cache: 'fp8' }, serving: { concurrency: 64 } } }), {
        hardware: 'nvidia-l4',
        gpus: String(first.gpus),
        parallelism: 'TP2 PP2',
        formats: 'fp8 / fp8',
        concurrency: '64',
      });
      const table = planTable(plan);
      assert.equal(table.rows.length, plan.candidates.length);
      assert.match(table.caption, new RegExp(`^${plan.meeting} of ${plan.evaluated} deployments analysed meet every target`));
    });

    it('says which candidates have separate prefill and decode pools, in the table and on the chart', () => {
      const pooled = plan.candidates.filter(isDisaggregated);
      assert.ok(pooled.length > 0, 'the example plan has disaggregated candidates');
      const row = pooled[0]!;
      const split = (row.deployment.serving as { disaggregated: { prefill_gpus: number; decode_gpus: number } }).disaggregated;
      assert.equal(planCells(row)[3], `${row.gpus} (${split.prefill_gpus}P+${split.decode_gpus}D)`);
      assert.equal(row.gpus, split.prefill_gpus + split.decode_gpus);
      const config = buildPlanChart(plan, { palette, hiddenSeries: [] })!;
      const squares = config.data.datasets.find((d) => d.label === PLAN_SERIES.disaggregated)!;
      assert.deepEqual(
        (squares.data as PlanDatum[]).map((d) => d.row!.rank),
        pooled.map((candidate) => candidate.rank),
      );
      const colocatedOnly = { ...plan, candidates: plan.candidates.filter((candidate) => !isDisaggregated(candidate)) };
      assert.equal(buildPlanChart(colocatedOnly, { palette, hiddenSeries: [] })!.data.datasets.some((d) => d.label === PLAN_SERIES.disaggregated), false);
    });

    it('sorts the table by every numeric column, ties and missing prices by rank', () => {
      assert.deepEqual(Object.keys(PLAN_SORT_COLUMNS), PLAN_COLUMNS.filter((column) => !['Hardware', 'Parallelism', 'Weights / KV'].includes(column)));
      const rows = showableRows(plan);
      assert.deepEqual(sortPlanRows(rows, DEFAULT_PLAN_SORT).map((row) => row.rank), rows.map((row) => row.rank).sort((a, b) => a - b));
      const byPerUser = sortPlanRows(rows, { column: 'perUser', descending: true });
      for (let index = 1; index < byPerUser.length; index++) {
        const [a, b] = [byPerUser[index - 1]!, byPerUser[index]!];
        assert.ok(a.metrics.output_tokens_per_second_per_user > b.metrics.output_tokens_per_second_per_user || (a.metrics.output_tokens_per_second_per_user === b.metrics.output_tokens_per_second_per_user && a.rank < b.rank));
      }
      const byGpus = sortPlanRows(rows, { column: 'gpus', descending: false });
      assert.deepEqual(byGpus.map((row) => row.gpus), rows.map((row) => row.gpus).sort((a, b) => a - b));
      // Three rows by hand: TTFT 5, 2, 2 ms; the tie keeps rank order; an unpriced row goes last either way.
      const hand = [rows[0]!, rows[1]!, rows[2]!].map((row, index) => ({ ...row, rank: index, metrics: { ...row.metrics, ttft_ms: [5, 2, 2][index]! } }));
      assert.deepEqual(sortPlanRows(hand, { column: 'ttft', descending: false }).map((row) => row.rank), [1, 2, 0]);
      assert.deepEqual(sortPlanRows(hand, { column: 'ttft', descending: true }).map((row) => row.rank), [0, 1, 2]);
      const { cost_per_million_output_tokens_usd: _cost, ...unpriced } = hand[0]!;
      const priced = [unpriced, { ...hand[1]!, cost_per_million_output_tokens_usd: 3 }, { ...hand[2]!, cost_per_million_output_tokens_usd: 7 }];
      assert.deepEqual(sortPlanRows(priced, { column: 'cost', descending: true }).map((row) => row.rank), [2, 1, 0]);
      assert.deepEqual(sortPlanRows(priced, { column: 'cost', descending: false }).map((row) => row.rank), [1, 2, 0]);
    });

    it('flips the sorted column, starts rates largest first, and reads a stored sort back', () => {
      assert.deepEqual(nextPlanSort(DEFAULT_PLAN_SORT, 'cost'), { column: 'cost', descending: true });
      assert.deepEqual(nextPlanSort(DEFAULT_PLAN_SORT, 'perGpu'), { column: 'perGpu', descending: true });
      assert.deepEqual(nextPlanSort(DEFAULT_PLAN_SORT, 'tpot'), { column: 'tpot', descending: false });
      assert.deepEqual(restorePlanSort({ column: 'ttft', descending: true }), { column: 'ttft', descending: true });
      assert.deepEqual(restorePlanSort({ column: 'hardware', descending: true }), DEFAULT_PLAN_SORT);
      assert.deepEqual(restorePlanSort('cost'), DEFAULT_PLAN_SORT);
    });

    it('leaves out rows that are not well formed', () => {
      const hostile = { ...plan, candidates: [...plan.candidates, { rank: 99 } as never, { ...plan.candidates[0]!, rank: 100, metrics: { ...plan.candidates[0]!.metrics, tpot_ms: Number.POSITIVE_INFINITY } }] };
      assert.equal(showableRows(hostile).length, plan.candidates.length);
      assert.equal(buildPlanChart({ ...plan, candidates: [] }, { palette, hiddenSeries: [] }), undefined);
    });
  });
});
