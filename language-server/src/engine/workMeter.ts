/**
 * The engine's loops whose length a config sets rather than the model's structure (one pass per
 * decoder block: a 200-byte config may claim millions of blocks) count their work here, so a caller
 * holding a time budget (the language server's check while the user types) can stop the analysis.
 * The caller's counter throws to stop; nothing is counted when no caller set one (the CLI, the API).
 */
let countUnit: (() => void) | undefined;

/** One unit of work: a block of the model visited. */
export function engineWorkUnit(): void {
  if (countUnit !== undefined) countUnit();
}

/** Sets the counter of engine work (undefined: none) and returns the one it replaces. */
export function meterEngineWork(count: (() => void) | undefined): (() => void) | undefined {
  const before = countUnit;
  countUnit = count;
  return before;
}

/**
 * `Array.from({ length: count }, (_, index) => valueAt(index))`, counting a unit of work per block.
 * Grown item by item: `Array.from` and `new Array(count)` allocate the whole array before the first
 * item (40 to 50 ms for 5,000,000 blocks), where no count can stop them.
 */
export function countedBlocks<T>(count: number, valueAt: (index: number) => T): T[] {
  const values: T[] = [];
  for (let index = 0; index < count; index++) {
    engineWorkUnit();
    values.push(valueAt(index));
  }
  return values;
}
