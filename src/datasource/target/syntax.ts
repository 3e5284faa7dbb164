/**
 * Graphite target syntax, parsed by the worker's own parser: the editor and the worker then agree on every target,
 * positions in error messages included. The parser imports nothing but the query vocabulary's types, so it bundles
 * into the browser as is.
 */
export { parseTarget } from '../../worker/query/parser';
export { QuerySyntaxError, type Expr } from '../../worker/query/types';
