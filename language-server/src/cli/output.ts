import { stripControlCharacters } from '../userText';

/** Where commands write: stdout for results, stderr for problems. Injected so commands are testable. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/**
 * The terminal: everything printed passes through `stripControlCharacters`, since messages quote
 * names, keys and paths from config files, and an escape sequence there would act on the terminal.
 */
export const processOutput: Output = {
  out: (text) => process.stdout.write(`${stripControlCharacters(text)}\n`),
  err: (text) => process.stderr.write(`${stripControlCharacters(text)}\n`),
};
