/**
 * `llm-roofline`: analyse, check and list presets from the command line. User errors print a
 * message and an exit code (1 problems, 2 usage), never a stack trace.
 */
import packageJson from '../../../package.json';
import { runAnalyze } from './analyzeCommand';
import { runCheck } from './checkCommand';
import { processOutput, type Output } from './output';
import { parseOverride, UsageError, type Override } from './overrides';
import { runPresets } from './presetsCommand';
import { runPlan } from './planCommand';
import { runSweep } from './sweepCommand';
import { USAGE } from './usage';

function parseAnalyzeArguments(args: readonly string[], command = 'analyze'): { path: string; json: boolean; baseline: boolean; overrides: Override[] } {
  let path: string | undefined;
  let json = false;
  let baseline = false;
  const overrides: Override[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--json') json = true;
    else if (arg === '--baseline') baseline = true;
    else if (arg === '--set') {
      const value = args[++index];
      if (value === undefined) throw new UsageError('--set needs key=value');
      overrides.push(parseOverride(value));
    } else if (arg.startsWith('--set=')) overrides.push(parseOverride(arg.slice('--set='.length)));
    else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg} for ${command}`);
    else if (path === undefined) path = arg;
    else throw new UsageError(`${command} takes one file, got ${path} and ${arg}`);
  }
  if (path === undefined) throw new UsageError(`${command} needs a deployment file: llm-roofline ${command} FILE`);
  return { path, json, baseline, overrides };
}

function parseSweepArguments(args: readonly string[]): { path: string; json: boolean; baseline: boolean; overrides: Override[]; vary: string } {
  const rest: string[] = [];
  let vary: string | undefined;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--vary') {
      const value = args[++index];
      if (value === undefined) throw new UsageError('--vary needs path=values, e.g. --vary workload.batch_size=1..256');
      if (vary !== undefined) throw new UsageError('sweep varies one field; give --vary once');
      vary = value;
    } else if (arg.startsWith('--vary=')) {
      if (vary !== undefined) throw new UsageError('sweep varies one field; give --vary once');
      vary = arg.slice('--vary='.length);
    } else rest.push(arg);
  }
  if (vary === undefined) throw new UsageError('sweep needs --vary, e.g. llm-roofline sweep FILE --vary workload.batch_size=1..256');
  const parsed = parseAnalyzeArguments(rest, 'sweep');
  return { ...parsed, vary };
}

function parsePlanArguments(args: readonly string[]): [string, { json: boolean; top: number }] {
  let path: string | undefined;
  let json = false;
  let top = 20;
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--json') json = true;
    else if (arg === '--top') {
      const value = Number(args[++index]);
      if (!Number.isInteger(value) || value < 1) throw new UsageError(`--top needs a positive whole number, got ${args[index] ?? 'nothing'}`);
      top = value;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg} for plan`);
    else if (path !== undefined) throw new UsageError(`plan takes one file, got ${path} and ${arg}`);
    else path = arg;
  }
  if (path === undefined) throw new UsageError('plan needs a deployment file: llm-roofline plan FILE');
  return [path, { json, top }];
}

export function run(args: readonly string[], output: Output): number {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        output.out(USAGE);
        return command === undefined ? 2 : 0;
      case '-v':
      case '--version':
        output.out(packageJson.version);
        return 0;
      case 'analyze': {
        if (rest.includes('--help') || rest.includes('-h')) {
          output.out(USAGE);
          return 0;
        }
        const { path, json, baseline, overrides } = parseAnalyzeArguments(rest);
        return runAnalyze(path, { json, baseline, overrides }, output);
      }
      case 'sweep': {
        if (rest.includes('--help') || rest.includes('-h')) {
          output.out(USAGE);
          return 0;
        }
        const { path, json, baseline, overrides, vary } = parseSweepArguments(rest);
        return runSweep(path, { json, baseline, overrides, vary }, output);
      }
      case 'plan': {
        if (rest.includes('--help') || rest.includes('-h')) {
          output.out(USAGE);
          return 0;
        }
        return runPlan(...parsePlanArguments(rest), output);
      }
      case 'check': {
        const unknownOption = rest.find((arg) => arg.startsWith('-'));
        if (unknownOption) throw new UsageError(`unknown option ${unknownOption} for check`);
        if (rest.length === 0) throw new UsageError('check needs at least one file: llm-roofline check FILE...');
        return runCheck(rest, output);
      }
      case 'presets':
        if (rest.length > 0) throw new UsageError('presets takes no arguments');
        return runPresets(output);
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      output.err(`llm-roofline: ${error.message}\n`);
      output.err(USAGE);
      return 2;
    }
    // Not a user error: say so in one line (the report is what matters, not our stack).
    output.err(`llm-roofline: internal error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

// Only when run as the `llm-roofline` binary (not when a test imports `run`).
if (typeof require !== 'undefined' && require.main === module) {
  process.exitCode = run(process.argv.slice(2), processOutput);
}
