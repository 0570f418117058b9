/**
 * A plain CSV of measurements, one row per load level, with a header naming the columns (units
 * in the names, so a column in the wrong unit cannot be read silently):
 *
 * | column | meaning |
 * | --- | --- |
 * | `concurrency` | requests in flight |
 * | `request_rate` | arrival rate, requests per second (instead of concurrency) |
 * | `prompt_tokens`, `output_tokens` | mean lengths of the row's requests (default: the deployment's) |
 * | `ttft_ms`, `tpot_ms` | mean time to first token and per output token after it, milliseconds |
 * | `output_tokens_per_second` | output tokens per second of the whole deployment |
 *
 * Split with csv-parse (quotes, CRLF, a byte order mark), every cell checked with its row and column.
 */
import { parse } from 'csv-parse/sync';
import { MeasuredFileError, type MeasuredMetric, type MeasuredPoint, type MeasuredRun } from './types';

export const CSV_COLUMNS = ['concurrency', 'request_rate', 'prompt_tokens', 'output_tokens', 'ttft_ms', 'tpot_ms', 'output_tokens_per_second'] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
const METRIC_COLUMNS: readonly MeasuredMetric[] = ['ttft_ms', 'tpot_ms', 'output_tokens_per_second'];

function isCsvColumn(name: string): name is CsvColumn {
  return (CSV_COLUMNS as readonly string[]).includes(name);
}

function rows(text: string, name: string): string[][] {
  try {
    return parse(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (error) {
    const details = error as { message?: string; lines?: number };
    const line = typeof details.lines === 'number' ? details.lines : undefined;
    throw new MeasuredFileError('malformed-csv', `${name} is not a valid CSV: ${String(details.message ?? error)}`, line);
  }
}

export function parseMeasuredCsv(text: string, name: string): MeasuredRun {
  const [header, ...body] = rows(text, name);
  if (!header) throw new MeasuredFileError('malformed-csv', `${name} is empty: a header row of ${CSV_COLUMNS.join(', ')} is expected`, 1);
  const columns = header.map((cell) => cell.toLowerCase());
  columns.forEach((column, index) => {
    if (!isCsvColumn(column)) {
      throw new MeasuredFileError('malformed-csv', `${name}: unknown column "${header[index]}"; the columns are ${CSV_COLUMNS.join(', ')} (units in the names)`, 1, index + 1);
    }
  });
  if (!columns.some((column) => (METRIC_COLUMNS as readonly string[]).includes(column))) {
    throw new MeasuredFileError('malformed-csv', `${name}: no measured column; give at least one of ${METRIC_COLUMNS.join(', ')}`, 1);
  }
  const points: MeasuredPoint[] = body.map((row, rowIndex) => {
    const line = rowIndex + 2;
    const point: MeasuredPoint = { label: `${name} row ${rowIndex + 1}`, measured: {} };
    row.forEach((cell, index) => {
      const column = columns[index] as CsvColumn;
      if (cell === '') return;
      const value = Number(cell);
      if (!Number.isFinite(value) || value <= 0) {
        throw new MeasuredFileError('bad-measurement', `${name} line ${line}: ${column} must be a positive number, got "${cell}"`, line, index + 1);
      }
      switch (column) {
        case 'concurrency':
          point.concurrency = value;
          break;
        case 'request_rate':
          point.requestRatePerSecond = value;
          break;
        case 'prompt_tokens':
          point.promptTokens = Math.round(value);
          break;
        case 'output_tokens':
          point.outputTokens = Math.round(value);
          break;
        default:
          point.measured[column] = value;
      }
    });
    if (Object.keys(point.measured).length === 0) {
      throw new MeasuredFileError('bad-measurement', `${name} line ${line}: no measured value in the row`, line);
    }
    return point;
  });
  if (points.length === 0) throw new MeasuredFileError('bad-measurement', `${name}: the header has no rows under it`, 1);
  return { format: 'csv', points, notes: [] };
}
