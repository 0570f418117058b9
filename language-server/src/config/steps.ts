/**
 * Work done in steps (parsing, checking, analysing a document: generators that pause between
 * steps so a check can give the event loop back or stop) run whole, for callers with no budget:
 * the API, the CLI, hovers and the parse of a document that is not being checked.
 */

/** Runs `steps` to its end, answering each pause with `resume` (a parse asks "stop now?": false). */
export function runToEnd<T, N>(steps: Generator<unknown, T, N>, resume?: N): T {
  let step = steps.next(resume as N);
  while (!step.done) step = steps.next(resume as N);
  return step.value;
}
