/** The config layer: parse (with positions), validate, resolve, analyse. See ./types.ts for the contract. */
export * from './types';
export { detectKind, syntaxOf, fileNameOf } from './detect';
export { parseDocument, hasPath, valueAt } from './parse';
export { MAX_ALIAS_COUNT, MAX_TEXT_LENGTH } from './parseYaml';
export { validateDocument } from './validate';
export { SCHEMAS } from './schemas';
export { formatPath, withField } from './problems';
export { isPathLike, resolveReferenceUri } from './references';
export {
  resolveDeployment,
  resolveDeploymentDetailed,
  DEFAULT_WORKLOAD,
  DEFAULT_FORMAT,
  DEFAULT_TENSOR_PARALLELISM,
  type DetailedResolution,
} from './resolveDeployment';
export { resolveHardwareDocument, resolveModelDocument, type ResolvedHardwareDocument, type ResolvedModelDocument } from './resolveDocuments';
export { analyzeDocument, analyzeDocumentSteps, type DocumentAnalysis } from './analyze';
