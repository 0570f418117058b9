/**
 * `jsonc-parser`'s `parseTree` and `getNodeValue`, rebuilt on its `visit` with a work meter: each
 * syntax node built and each value read is a unit of work, so a check over its budget stops inside
 * the tree of a large file (128 KB of nested objects took up to 125 ms of CPU in one call) instead
 * of after it. The trees and values are the library's own (same node shapes, same errors), as
 * test/unit/config/jsonTree.test.ts holds against the library.
 */
import { visit, type Node as JsonNode, type ParseError, type ParseOptions } from 'jsonc-parser';
import type { WorkMeter } from './checkBudget';

type MutableNode = { -readonly [key in keyof JsonNode]: JsonNode[key] } & { children?: MutableNode[]; parent?: MutableNode };

function literalType(value: unknown): JsonNode['type'] {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    default:
      return 'null';
  }
}

/** The syntax tree of `text`, as `parseTree` makes it; throws `CheckStopped` (from `meter`) when the budget is spent. */
export function parseTreeMetered(text: string, errors: ParseError[], options: ParseOptions, meter: WorkMeter): JsonNode | undefined {
  // An artificial root, as in the library: the document's value is its only child.
  let currentParent: MutableNode = { type: 'array', offset: -1, length: -1, children: [] };
  const ensurePropertyComplete = (endOffset: number): void => {
    if (currentParent.type === 'property') {
      currentParent.length = endOffset - currentParent.offset;
      currentParent = currentParent.parent!;
    }
  };
  const onValue = (valueNode: MutableNode): MutableNode => {
    meter.unit();
    currentParent.children!.push(valueNode);
    return valueNode;
  };
  visit(
    text,
    {
      onObjectBegin: (offset) => {
        currentParent = onValue({ type: 'object', offset, length: -1, parent: currentParent, children: [] });
      },
      onObjectProperty: (name, offset, length) => {
        currentParent = onValue({ type: 'property', offset, length: -1, parent: currentParent, children: [] });
        currentParent.children!.push({ type: 'string', value: name, offset, length, parent: currentParent });
      },
      onObjectEnd: (offset, length) => {
        // A property without a value ends with its object.
        ensurePropertyComplete(offset + length);
        currentParent.length = offset + length - currentParent.offset;
        currentParent = currentParent.parent!;
        ensurePropertyComplete(offset + length);
      },
      onArrayBegin: (offset) => {
        currentParent = onValue({ type: 'array', offset, length: -1, parent: currentParent, children: [] });
      },
      onArrayEnd: (offset, length) => {
        currentParent.length = offset + length - currentParent.offset;
        currentParent = currentParent.parent!;
        ensurePropertyComplete(offset + length);
      },
      onLiteralValue: (value: unknown, offset, length) => {
        onValue({ type: literalType(value), offset, length, parent: currentParent, value });
        ensurePropertyComplete(offset + length);
      },
      onSeparator: (separator, offset) => {
        if (currentParent.type !== 'property') return;
        if (separator === ':') currentParent.colonOffset = offset;
        else if (separator === ',') ensurePropertyComplete(offset);
      },
      onError: (error, offset, length) => {
        // A file of errors only (60,000 stray commas) builds no nodes: its errors are its work.
        meter.unit();
        errors.push({ error, offset, length });
      },
    },
    options,
  );
  const result = currentParent.children![0];
  if (result) delete result.parent;
  return result;
}

/** The plain value of a syntax tree, as `getNodeValue` reads it; throws `CheckStopped` when the budget is spent. */
export function nodeValueMetered(node: JsonNode, meter: WorkMeter): unknown {
  meter.unit();
  switch (node.type) {
    case 'array':
      return (node.children ?? []).map((child) => nodeValueMetered(child, meter));
    case 'object': {
      const value: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const property of node.children ?? []) {
        const valueNode = property.children?.[1];
        if (valueNode) value[property.children![0]!.value as string] = nodeValueMetered(valueNode, meter);
      }
      return value;
    }
    case 'null':
    case 'string':
    case 'number':
    case 'boolean':
      return node.value;
    default:
      return undefined;
  }
}
