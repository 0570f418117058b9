/**
 * Text from config files on its way to a user. Names, keys and paths are written by whoever wrote
 * the file: in Markdown they could become images, links or HTML, and on a terminal their escape
 * sequences would move the cursor, recolour or retitle it.
 */

/**
 * C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text (bidi
 * overrides and isolates, zero-width marks): none belongs in a name, and a terminal or an editor
 * acts on them. Tab and newline are handled by the callers (`\n` separates lines of output).
 */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** The text without control characters (each becomes U+FFFD, so something still shows where it was). */
export function stripControlCharacters(text: string): string {
  return text.replace(CONTROL, '\ufffd');
}

/**
 * The characters that start a link or image (`[`, `!`), an HTML tag, autolink (`<…>`, `http:`, `mail@host`), code
 * span, emphasis, strike-through or table cell. `_` only counts at a word's edge (`batch_size`
 * stays as it is), and `.` only after `www` (a GFM autolink).
 */
const MARKDOWN_SPECIAL = /[\\`*[\]<>!|~&:@]|(?<!\w)_|_(?!\w)|(?<=www)\./gi;

/**
 * Plain text as Markdown that renders as exactly that text: no link, image, HTML, emphasis or
 * autolinked URL can form, and line breaks and controls become spaces so it stays on its line.
 */
export function escapeMarkdown(text: string): string {
  return stripControlCharacters(text.replace(/[\r\n\t]+/g, ' ')).replace(MARKDOWN_SPECIAL, (char) => `\\${char}`);
}
