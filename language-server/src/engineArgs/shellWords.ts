/**
 * A command line as a shell splits it, with where each word sits in the text. The boundaries come
 * from a scan that follows quotes and backslashes; each word's value is unquoted by shell-quote,
 * which also finds shell operators (`|`, `&&`, `;`, `>`) that have no place in one command.
 * Environment variables are kept as written (`$TP`): nothing is expanded or executed.
 */
import { parse as shellParse } from 'shell-quote';
import { countCheckWork } from '../config/checkBudget';

export interface Word {
  /** The word as the program receives it (quotes removed). */
  value: string;
  /** Offsets of the word as written in the text, end exclusive. */
  start: number;
  end: number;
}

export interface WordProblem {
  start: number;
  end: number;
  message: string;
}

function isBlank(char: string | undefined): boolean {
  return char === ' ' || char === '\t' || char === '\n' || char === '\r';
}

/**
 * The words of `text`. A backslash before a blank or a line break continues the line (YAML folds
 * the lines of a pasted `\`-continued command into spaces); `#` at the start of a word begins a
 * comment to the end of the line.
 */
export function shellWords(text: string): { words: Word[]; problems: WordProblem[] } {
  const words: Word[] = [];
  const problems: WordProblem[] = [];
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (isBlank(char)) {
      // Each blank is a unit of a check's work: a 32 KB command has thousands of words, each unquoted by shell-quote.
      countCheckWork();
      index++;
      continue;
    }
    if (char === '\\' && (index + 1 >= text.length || isBlank(text[index + 1]))) {
      index += 2;
      continue;
    }
    if (char === '#') {
      while (index < text.length && text[index] !== '\n') index++;
      continue;
    }
    const start = index;
    let quote: '"' | "'" | undefined;
    let quoteStart = 0;
    while (index < text.length) {
      const current = text[index]!;
      if (quote === "'") {
        if (current === "'") quote = undefined;
        index++;
      } else if (quote === '"') {
        if (current === '\\') index += 2;
        else {
          if (current === '"') quote = undefined;
          index++;
        }
      } else if (current === "'" || current === '"') {
        quote = current;
        quoteStart = index;
        index++;
      } else if (current === '\\') {
        if (index + 1 >= text.length || isBlank(text[index + 1])) break;
        index += 2;
      } else if (isBlank(current)) {
        break;
      } else {
        index++;
      }
    }
    const end = Math.min(index, text.length);
    if (quote) {
      problems.push({ start: quoteStart, end, message: `unterminated ${quote === '"' ? 'double' : 'single'} quote` });
      words.push({ value: text.slice(quoteStart + 1, end), start, end });
      continue;
    }
    const raw = text.slice(start, end);
    const parsed = shellParse(raw, (name) => `$${name}`);
    const operator = parsed.find((entry) => typeof entry !== 'string');
    if (operator !== undefined) {
      const what = 'op' in operator ? (operator.op === 'glob' ? `the pattern ${(operator as { pattern: string }).pattern}` : `the shell operator ${operator.op}`) : 'a comment';
      problems.push({ start, end, message: `${what} is not read: give one command with its arguments` });
      continue;
    }
    words.push({ value: (parsed as string[]).join(' '), start, end });
  }
  return { words, problems };
}
