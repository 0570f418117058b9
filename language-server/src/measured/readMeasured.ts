/**
 * A benchmark result file → its points, whichever benchmark wrote it: a `.csv` is read as the
 * plain CSV; a `.json` is recognised by its fields (vLLM's result, GuideLLM's report). Anything
 * else is a `MeasuredFileError` saying which formats are read.
 */
import { parseMeasuredCsv } from './parseCsv';
import { looksLikeGuidellmReport, parseGuidellmReport } from './parseGuidellm';
import { looksLikeVllmResult, parseVllmResult } from './parseVllm';
import { readJson } from './readJson';
import { MeasuredFileError, type MeasuredRun } from './types';

export const MEASURED_FILE_EXTENSION = /\.(json|csv)$/i;

/**
 * `vllm bench serve --save-result --append-result` appends each run to the file as one line of
 * JSON: a file of several lines that each hold an object is read run by run.
 */
function jsonLines(text: string): { text: string; line: number }[] | undefined {
  const lines = text
    .split('\n')
    .map((line, index) => ({ text: line.trim(), line: index + 1 }))
    .filter((line) => line.text.length > 0);
  if (lines.length < 2 || !lines.every((line) => line.text.startsWith('{') && line.text.endsWith('}'))) return undefined;
  return lines;
}

function readVllmLines(lines: { text: string; line: number }[], name: string): MeasuredRun {
  const runs = lines.map(({ text, line }) => {
    let value: unknown;
    try {
      value = readJson(text, name);
    } catch (error) {
      if (error instanceof MeasuredFileError) throw new MeasuredFileError(error.code, error.message.replace(/at line 1, column/, `at line ${line}, column`), line, error.column);
      throw error;
    }
    if (!looksLikeVllmResult(value)) throw new MeasuredFileError('unknown-format', `${name} line ${line} is not a vllm bench serve result (mean_ttft_ms, output_throughput, completed)`, line);
    const run = parseVllmResult(value, `${name} line ${line}`);
    return run;
  });
  return {
    format: 'vllm-bench-serve',
    ...(runs[0]?.model ? { model: runs[0].model } : {}),
    points: runs.flatMap((run) => run.points),
    notes: runs.flatMap((run) => run.notes),
  };
}

export function readMeasuredText(text: string, name: string): MeasuredRun {
  if (/\.csv$/i.test(name)) return parseMeasuredCsv(text, name);
  if (!/\.json$/i.test(name)) {
    throw new MeasuredFileError('unknown-format', `${name}: measured results are read from .json (vllm bench serve --save-result, GuideLLM's report) or .csv files`);
  }
  const lines = jsonLines(text);
  if (lines) return readVllmLines(lines, name);
  const value = readJson(text, name);
  if (looksLikeVllmResult(value)) return parseVllmResult(value, name);
  if (looksLikeGuidellmReport(value)) return parseGuidellmReport(value, name);
  throw new MeasuredFileError(
    'unknown-format',
    `${name} is neither a vllm bench serve result (mean_ttft_ms, output_throughput, completed) nor a GuideLLM report (benchmarks with metrics)`,
  );
}
