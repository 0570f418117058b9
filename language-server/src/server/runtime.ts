/**
 * What the server core needs from its platform, injected by the entry point (node today; a
 * browser entry could read files through the client instead), as VS Code's json-language-features
 * does with its `RuntimeEnvironment`.
 */
export interface Disposable {
  dispose(): void;
}

export interface DirectoryEntry {
  name: string;
  isDirectory: boolean;
}

export interface ServerRuntime {
  /** The text of the file at `uri`, or undefined when it does not exist or cannot be read. */
  readFile(uri: string): string | undefined;
  /** The entries of the folder at `uri` (empty when it cannot be listed). */
  listDirectory(uri: string): DirectoryEntry[];
  timer: {
    setTimeout(callback: () => void, milliseconds: number): Disposable;
  };
  /** Milliseconds from an arbitrary origin, for handling-time measurements. */
  now(): number;
}
