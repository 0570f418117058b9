/**
 * Hardware and model files checked on their own (the language server and `llm-roofline check`):
 * syntax and schema problems, `extends:`, missing figures, and for models the shape checks the
 * engine makes (heads dividing the hidden size, ...), placed on the field in the file.
 */
import { isRooflineInputError } from '../engine/errors';
import { normalizeModel } from '../engine/model';
import type { HardwareSpec, HfConfig } from '../engine/types';
import { hasPath } from './parse';
import { dedupeProblems, firstLineRange, formatPath, hasErrors, problemAt, rangeOf } from './problems';
import { newContext } from './references';
import { internalResolutionProblem } from './resolveDeployment';
import { resolveHardwareFile } from './resolveHardware';
import { resolveModelFile } from './resolveModel';
import type { ConfigHost, ConfigProblem, ParsedDocument } from './types';
import { validateDocument } from './validate';

export interface ResolvedHardwareDocument {
  hardware?: HardwareSpec;
  problems: ConfigProblem[];
  dependencies: string[];
}

export interface ResolvedModelDocument {
  model?: HfConfig;
  problems: ConfigProblem[];
  dependencies: string[];
}

export function resolveHardwareDocument(doc: ParsedDocument, host: ConfigHost): ResolvedHardwareDocument {
  try {
    const schemaProblems = validateDocument(doc);
    if (hasErrors(doc.syntaxProblems)) return { problems: schemaProblems, dependencies: [] };
    const context = newContext(host);
    const spec = resolveHardwareFile(context, doc);
    const problems = dedupeProblems([...schemaProblems, ...context.problems]);
    return { ...(spec && !hasErrors(problems) ? { hardware: spec } : {}), problems, dependencies: context.dependencies };
  } catch (error) {
    return { problems: [internalResolutionProblem(doc, error)], dependencies: [] };
  }
}

export function resolveModelDocument(doc: ParsedDocument, host: ConfigHost): ResolvedModelDocument {
  try {
    const schemaProblems = validateDocument(doc);
    if (hasErrors(doc.syntaxProblems)) return { problems: schemaProblems, dependencies: [] };
    const context = newContext(host);
    const { config, extendsId } = resolveModelFile(context, doc);
    const problems = dedupeProblems([...schemaProblems, ...context.problems]);
    if (config && !hasErrors(problems)) {
      try {
        const shape = normalizeModel(config, []);
        // A model_type without known transformers defaults is analysed from its fields: say, on
        // the key that decides it, what the counts take for granted.
        if (shape.assumptions.length > 0) {
          const path = hasPath(doc.value, ['model_type']) ? ['model_type'] : [];
          const range = path.length > 0 ? rangeOf(doc, path) : firstLineRange(doc.text);
          problems.push(problemAt(doc, path, 'model-assumed', shape.assumptions.join(' '), { range, severity: 'information' }));
        }
      } catch (error) {
        if (!isRooflineInputError(error)) throw error;
        const written = error.path.length > 0 && hasPath(doc.value, error.path);
        const onExtends = !written && extendsId !== undefined;
        const path = written ? error.path : onExtends ? ['extends'] : [];
        const range = written || onExtends ? rangeOf(doc, path) : firstLineRange(doc.text);
        const message = `${error.path.length > 0 ? `${formatPath(error.path)}: ` : ''}${error.detail}${onExtends ? ` (from preset ${extendsId})` : ''}`;
        problems.push(problemAt(doc, path, error.code, message, { range }));
      }
    }
    return { ...(config && !hasErrors(problems) ? { model: config } : {}), problems, dependencies: context.dependencies };
  } catch (error) {
    return { problems: [internalResolutionProblem(doc, error)], dependencies: [] };
  }
}
